/*
 * evidence.h - the rules of an evidence item (what customers said or did):
 * the shape of one object as clients send it, and of one line of an NDJSON
 * import.  Pure code: no HTTP, no database; unit-tested and fuzzed alone.
 *
 * An evidence object as sent:
 *   {"kind": "anecdote"|"request"|"data", "text": str (1..4000),
 *    "sentiment"?: "negative"|"neutral"|"positive", "source"?: str,
 *    "source_ref"?: str, "url"?: http(s) URL, "customer"?: {"segment"?,
 *    "name"?}, "observed_on"?: "YYYY-MM-DD", "tags"?: [str],
 *    "value"?: number, "unit"?: str}
 * Optional members may be null (absent); value and unit only for "data".
 */
#ifndef PRFAQ_EVIDENCE_H
#define PRFAQ_EVIDENCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "prfaq/error.h"

#define PRFAQ_EVIDENCE_TEXT_MAX	      4000
#define PRFAQ_EVIDENCE_SOURCE_MAX     100
#define PRFAQ_EVIDENCE_SOURCE_REF_MAX 200
#define PRFAQ_EVIDENCE_NAME_MAX	      200
#define PRFAQ_EVIDENCE_UNIT_MAX	      50
#define PRFAQ_EVIDENCE_IMPORT_LINES   10000

/*
 * Validate an evidence object (borrowed): every problem goes to err with a
 * pointer under base ("" for a body).  Returns PRFAQ_OK, PRFAQ_EINVAL or
 * PRFAQ_ENOMEM.  Also the check of a merge-patched object: the editable
 * members are the same.
 */
prfaq_code prfaq_evidence_validate(const json_t *obj, const char *base,
				   struct prfaq_error *err);

/*
 * Parse and validate one line of an NDJSON import (line[0..len), without
 * its newline; lineno counts from 1), by the rules of a POST.  An import
 * upserts on (source, source_ref): a line without source_ref is a new item
 * every time.  On success *out is a new reference to the object.
 * Otherwise each problem is added to err as {"line", "pointer", "message"}
 * (under err's cap) and *out is untouched.
 */
prfaq_code prfaq_evidence_parse_line(const char *line, size_t len,
				     size_t lineno, json_t **out,
				     struct prfaq_error *err);

/*
 * Parse a whole NDJSON import body[0..len): one evidence object a line,
 * lines ending in "\n" or "\r\n" (the last one may end without).  A line
 * of nothing but spaces and tabs is skipped (it still counts for line
 * numbers), so a trailing newline or a blank line between records is
 * harmless; at least one record and at most PRFAQ_EVIDENCE_IMPORT_LINES.
 * Two lines with the same (source, source_ref) are an error at the second:
 * an upsert of one key twice in one import has no single meaning.
 *
 * On success *items is a new array of the validated objects, in order.
 * Otherwise err holds every problem found, {"line", "pointer", "message"}
 * (reading stops once err's list is full), and *items is untouched.
 */
prfaq_code prfaq_evidence_import_parse(const char *body, size_t len,
				       json_t **items, struct prfaq_error *err);

#endif
