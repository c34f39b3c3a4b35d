/*
 * json.c - strict JSON decoding and RFC 6901 pointers (see prfaq/json.h).
 */
#include "prfaq/alloc.h"
#include "prfaq/json.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/utf8.h"

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

#if JANSSON_VERSION_HEX >= 0x020e00
/*
 * A one-pass decoder for the bodies prfaq_json_parse sees every time: Jansson
 * reads a byte at a time through a stream, saves it, then copies every string
 * twice more, about 140 instructions a byte (60% of a POST /v1/lint of 3,000
 * words).  This one scans strings in place and builds the same Jansson
 * values with one copy.  It is deliberately partial: it only ever accepts
 * what Jansson accepts, decoded exactly as Jansson would, and on anything
 * else (every error, reals, integers past 18 digits, leading zeros, "\u0000",
 * lone surrogates, duplicate keys, deep nesting) it gives up and Jansson
 * decodes the text instead, so errors and their messages are Jansson's own.
 */
#define FAST_DEPTH_MAX 64

struct fast {
	const unsigned char *p, *end;
	struct prfaq_buf scratch; /* strings with escapes, reused */
	int depth;
};

static json_t *fast_value(struct fast *f);

static void
fast_space(struct fast *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\n' ||
				 *f->p == '\r' || *f->p == '\t'))
		f->p++;
}

static int
fast_hex4(const unsigned char *p, const unsigned char *end, unsigned *out)
{
	unsigned v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * The string whose opening quote f->p has just passed: *s and *n receive its
 * bytes (in the input when it has no escapes, else in f->scratch).  -1 when
 * Jansson must decide.
 */
static int
fast_string(struct fast *f, const char **s, size_t *n)
{
	const unsigned char *p = f->p, *start = p, *end = f->end;
	struct prfaq_buf *b = &f->scratch;
	bool escaped = false;

	for (;;) {
		size_t k;
		int rc;

		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' &&
		       *p != '\\')
			p++;
		if (p == end || *p < 0x20)
			return -1;
		if (*p >= 0x80) {
			k = prfaq_utf8_seq((const char *)p, (size_t)(end - p));
			if (k == 0)
				return -1;
			p += k;
			continue;
		}
		if (*p == '"')
			break;
		/* A backslash: from here on the string is built in scratch. */
		if (!escaped) {
			b->len = 0;
			escaped = true;
		}
		if (prfaq_buf_append(b, start, (size_t)(p - start)) != 0 ||
		    p + 1 >= end)
			return -1;
		p++;
		switch (*p) {
		case '"':
		case '\\':
		case '/':
			rc = prfaq_buf_putc(b, (char)*p);
			break;
		case 'b':
			rc = prfaq_buf_putc(b, '\b');
			break;
		case 'f':
			rc = prfaq_buf_putc(b, '\f');
			break;
		case 'n':
			rc = prfaq_buf_putc(b, '\n');
			break;
		case 'r':
			rc = prfaq_buf_putc(b, '\r');
			break;
		case 't':
			rc = prfaq_buf_putc(b, '\t');
			break;
		case 'u': {
			unsigned cp, lo;
			char u[4];
			size_t m;

			if (fast_hex4(p + 1, end, &cp) != 0 || cp == 0)
				return -1;
			p += 4;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return -1;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (end - p < 7 || p[1] != '\\' ||
				    p[2] != 'u' ||
				    fast_hex4(p + 3, end, &lo) != 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
				p += 6;
			}
			m = prfaq_utf8_encode(cp, u);
			rc = prfaq_buf_append(b, u, m);
			break;
		}
		default:
			return -1;
		}
		if (rc != 0)
			return -1;
		start = ++p;
	}
	if (escaped) {
		if (prfaq_buf_append(b, start, (size_t)(p - start)) != 0)
			return -1;
		*s = b->data;
		*n = b->len;
	} else {
		*s = (const char *)start;
		*n = (size_t)(p - start);
	}
	f->p = p + 1;
	return 0;
}

/* An integer of at most 18 digits without leading zeros; else NULL. */
static json_t *
fast_integer(struct fast *f)
{
	const unsigned char *p = f->p;
	bool neg = *p == '-';
	long long v = 0;
	int digits = 0;

	if (neg)
		p++;
	if (p == f->end || *p < '0' || *p > '9' ||
	    (*p == '0' && p + 1 < f->end && p[1] >= '0' && p[1] <= '9'))
		return NULL;
	while (p < f->end && *p >= '0' && *p <= '9') {
		if (++digits > 18)
			return NULL;
		v = v * 10 + (*p++ - '0');
	}
	if (p < f->end && (*p == '.' || *p == 'e' || *p == 'E'))
		return NULL; /* a real: Jansson's business */
	f->p = p;
	return json_integer(neg ? -v : v);
}

static bool
fast_word(struct fast *f, const char *w, size_t n)
{
	if ((size_t)(f->end - f->p) < n || memcmp(f->p, w, n) != 0)
		return false;
	f->p += n;
	return true;
}

static json_t *
fast_object(struct fast *f)
{
	json_t *obj = json_object();

	fast_space(f);
	if (obj != NULL && f->p < f->end && *f->p == '}') {
		f->p++;
		return obj;
	}
	while (obj != NULL) {
		const char *key;
		size_t klen;
		json_t *v;

		if (f->p == f->end || *f->p != '"')
			break;
		f->p++;
		if (fast_string(f, &key, &klen) != 0)
			break;
		/* the key may live in scratch, which the value reuses */
		{
			char kbuf[128], *k = klen < sizeof(kbuf) ?
						     kbuf :
						     prfaq_malloc(klen);
			int rc = -1;

			memcpy(k, key, klen);
			fast_space(f);
			if (f->p < f->end && *f->p == ':') {
				f->p++;
				v = json_object_getn(obj, k, klen) == NULL ?
					    fast_value(f) :
					    NULL;
				if (v != NULL)
					rc = json_object_setn_new_nocheck(
						obj, k, klen, v);
			}
			if (k != kbuf)
				free(k);
			if (rc != 0)
				break;
		}
		fast_space(f);
		if (f->p < f->end && *f->p == ',') {
			f->p++;
			fast_space(f);
			continue;
		}
		if (f->p < f->end && *f->p == '}') {
			f->p++;
			return obj;
		}
		break;
	}
	json_decref(obj);
	return NULL;
}

static json_t *
fast_array(struct fast *f)
{
	json_t *arr = json_array();

	fast_space(f);
	if (arr != NULL && f->p < f->end && *f->p == ']') {
		f->p++;
		return arr;
	}
	while (arr != NULL) {
		json_t *v = fast_value(f);

		if (v == NULL || json_array_append_new(arr, v) != 0)
			break;
		fast_space(f);
		if (f->p < f->end && *f->p == ',') {
			f->p++;
			continue;
		}
		if (f->p < f->end && *f->p == ']') {
			f->p++;
			return arr;
		}
		break;
	}
	json_decref(arr);
	return NULL;
}

/* One value after optional whitespace; NULL when Jansson must decide. */
static json_t *
fast_value(struct fast *f)
{
	json_t *v = NULL;

	fast_space(f);
	if (f->p == f->end)
		return NULL;
	switch (*f->p) {
	case '{':
	case '[':
		if (f->depth == FAST_DEPTH_MAX)
			return NULL;
		f->depth++;
		v = *f->p++ == '{' ? fast_object(f) : fast_array(f);
		f->depth--;
		return v;
	case '"': {
		const char *s;
		size_t n;

		f->p++;
		return fast_string(f, &s, &n) == 0 ?
			       json_stringn_nocheck(s, n) :
			       NULL;
	}
	case 't':
		return fast_word(f, "true", 4) ? json_true() : NULL;
	case 'f':
		return fast_word(f, "false", 5) ? json_false() : NULL;
	case 'n':
		return fast_word(f, "null", 4) ? json_null() : NULL;
	default:
		return fast_integer(f);
	}
}

/* buf decoded, or NULL when Jansson must decode it (see above). */
static json_t *
fast_parse(const char *buf, size_t len)
{
	struct fast f = { (const unsigned char *)buf,
			  (const unsigned char *)buf + len, PRFAQ_BUF_INIT, 0 };
	json_t *root = fast_value(&f);

	fast_space(&f);
	if (root != NULL && f.p != f.end) {
		json_decref(root);
		root = NULL;
	}
	prfaq_buf_free(&f.scratch);
	return root;
}
#else
static json_t *
fast_parse(const char *buf, size_t len)
{
	return NULL;
}
#endif

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

	if ((root = fast_parse(buf, len)) != NULL) {
		*out = root;
		return PRFAQ_OK;
	}
	/*
	 * JSON_REJECT_DUPLICATES: a body with two "title" members is ambiguous.
	 * Jansson also rejects "\u0000" (no JSON_ALLOW_NUL), invalid UTF-8,
	 * integers that overflow json_int_t, and nesting beyond its depth limit.
	 */
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			  &jerr);
	if (root == NULL)
		return prfaq_error_set(
			err, PRFAQ_EINVAL,
			"Malformed JSON at line %d, column %d: %s", jerr.line,
			jerr.column, jerr.text);
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
	tok = prfaq_malloc(cap + 1);
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
