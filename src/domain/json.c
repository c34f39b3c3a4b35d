/*
 * json.c - strict JSON decoding and RFC 6901 pointers (see prfaq/json.h).
 */
#include "prfaq/json.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Does buf[0..len) hold more than PRFAQ_JSON_VALUES_MAX values?  Every value
 * but the root is the first in its container or follows a comma, so one
 * plus the brackets and commas outside strings bounds the count from above:
 * a linear scan that allocates nothing.
 */
static bool
too_many_values(const char *buf, size_t len)
{
	size_t n = 1;
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if ((c == ',' || c == '[' || c == '{') &&
			   ++n > PRFAQ_JSON_VALUES_MAX) {
			return true;
		}
	}
	return false;
}

prfaq_code
prfaq_json_parse(const char *buf, size_t len, json_t **out,
		 struct prfaq_error *err)
{
	json_error_t jerr;
	json_t *root;

	/* Before Jansson spends a second and 80 MB on "[{},{},{},...". */
	if (too_many_values(buf, len))
		return prfaq_error_set(err, PRFAQ_EINVAL,
				       "The JSON has more than %d values "
				       "(a PR/FAQ has at most a few thousand)",
				       PRFAQ_JSON_VALUES_MAX);

	/*
	 * JSON_REJECT_DUPLICATES: a body with two "title" members is ambiguous.
	 * Jansson also rejects "\u0000" (no JSON_ALLOW_NUL), invalid UTF-8,
	 * integers that overflow json_int_t, and nesting beyond its depth limit.
	 */
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			  &jerr);
	if (root == NULL)
		return prfaq_error_set(err, PRFAQ_EINVAL,
				       "Malformed JSON at line %d, column %d: %s",
				       jerr.line, jerr.column, jerr.text);
	*out = root;
	return PRFAQ_OK;
}

/*
 * Decode one reference token of length n into dst (at least n+1 bytes).
 * Returns 0, or -1 when a "~" is not followed by 0 or 1.
 */
static int
pointer_unescape(const char *src, size_t n, char *dst)
{
	size_t j = 0;

	for (size_t i = 0; i < n; i++) {
		if (src[i] != '~') {
			dst[j++] = src[i];
			continue;
		}
		if (i + 1 >= n || (src[i + 1] != '0' && src[i + 1] != '1'))
			return -1;
		dst[j++] = src[i + 1] == '0' ? '~' : '/';
		i++;
	}
	dst[j] = '\0';
	return 0;
}

/* Parse an array index token: digits, no leading zero, within size_t. */
static int
pointer_index(const char *tok, size_t *out)
{
	size_t v = 0;

	if (tok[0] == '\0' || (tok[0] == '0' && tok[1] != '\0'))
		return -1;
	for (const char *p = tok; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(*p - '0');
	}
	*out = v;
	return 0;
}

json_t *
prfaq_pointer_get(const json_t *root, const char *pointer)
{
	const json_t *cur = root;
	const char *p = pointer;
	char *tok;
	size_t cap;

	if (root == NULL || pointer == NULL)
		return NULL;
	if (*p == '\0')
		return (json_t *)root;
	if (*p != '/')
		return NULL;
	cap = strlen(pointer);
	tok = malloc(cap + 1);
	if (tok == NULL)
		return NULL;
	while (cur != NULL && *p == '/') {
		const char *end;
		size_t idx;

		p++;
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		if (pointer_unescape(p, (size_t)(end - p), tok) != 0) {
			cur = NULL;
			break;
		}
		if (json_is_object(cur))
			cur = json_object_get(cur, tok);
		else if (json_is_array(cur) && pointer_index(tok, &idx) == 0)
			cur = json_array_get(cur, idx);
		else
			cur = NULL;
		p = end;
	}
	free(tok);
	return (json_t *)cur;
}

int
prfaq_pointer_push(struct prfaq_buf *ptr, const char *token)
{
	if (prfaq_buf_putc(ptr, '/') != 0)
		return -1;
	for (const char *s = token; *s != '\0'; s++) {
		int rc;

		if (*s == '~')
			rc = prfaq_buf_append(ptr, "~0", 2);
		else if (*s == '/')
			rc = prfaq_buf_append(ptr, "~1", 2);
		else
			rc = prfaq_buf_putc(ptr, *s);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int
prfaq_pointer_push_index(struct prfaq_buf *ptr, size_t index)
{
	return prfaq_buf_printf(ptr, "/%zu", index);
}
