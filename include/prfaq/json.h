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
 * Decode buf[0..len) (not NUL-terminated) rejecting duplicate keys, NUL in
 * strings, invalid UTF-8 and integers out of range.  On success *out is a new
 * reference; on failure err says where the input went wrong (PRFAQ_EINVAL).
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
