/*
 * json.h - strict JSON decoding and JSON Pointer (RFC 6901) helpers.
 */
#ifndef PRFAQ_JSON_H
#define PRFAQ_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "prfaq/buf.h"
#include "prfaq/error.h"

/*
 * The most values (objects, arrays, scalars) a text may hold.  A PR/FAQ at
 * every limit of its schema has under 2,000; a megabyte of "[{},{},..." has
 * 350,000, which would cost far more to build than to refuse.
 */
#define PRFAQ_JSON_VALUES_MAX 10000

/*
 * Decode buf[0..len) (not NUL-terminated) rejecting duplicate keys, NUL in
 * strings, invalid UTF-8, integers out of range, nesting beyond Jansson's
 * limit and more than PRFAQ_JSON_VALUES_MAX values.  On success *out is a
 * new reference; on failure err says where the input went wrong
 * (PRFAQ_EINVAL).
 */
prfaq_code prfaq_json_parse(const char *buf, size_t len, json_t **out,
			    struct prfaq_error *err);

/*
 * Resolve an RFC 6901 pointer ("" is the whole document).  Returns a borrowed
 * reference, or NULL when the pointer is malformed or names nothing.
 */
json_t *prfaq_pointer_get(const json_t *root, const char *pointer);

/* Append "/" and token escaped per RFC 6901 (~ -> ~0, / -> ~1). */
int prfaq_pointer_push(struct prfaq_buf *ptr, const char *token);

/* Append "/<index>". */
int prfaq_pointer_push_index(struct prfaq_buf *ptr, size_t index);

#endif
