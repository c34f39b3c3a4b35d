/*
 * content.c - the PR/FAQ document schema, RFC 7396 merge-patch and structural
 * diff (see include/prfaq/content.h).
 *
 * The content schema is a set of static tables (one per object shape) walked
 * by a small validator.  The walk follows the tables, never the input: a member
 * that is not in a table is reported and not descended into, so hostile
 * nesting costs nothing and the recursion depth is that of the schema (four).
 *
 * Every validation problem is reported with the JSON Pointer of the value at
 * fault, built in one buffer that grows and shrinks as the walk goes down and
 * up.  The error list caps itself (PRFAQ_ERRORS_MAX); the walk stops there.
 */
#include "prfaq/content.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "prfaq/buf.h"
#include "prfaq/json.h"
#include "prfaq/utf8.h"

/*
 * Depth below which prfaq_diff() stops descending and reports a whole
 * subtree as one "replace".  Documents are at most six levels deep
 * (/content/faq/external/0/answer); the bound only protects the stack from
 * arbitrary JSON.
 */
#define DIFF_DEPTH_MAX		64

#define NELEM(a)		(sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* Schema tables                                                            */
/* ------------------------------------------------------------------------ */

enum field_kind {
	FIELD_TEXT,	/* string; newline, CR and tab allowed */
	FIELD_DATE,	/* string "YYYY-MM-DD", a real date, or "" */
	FIELD_URL,	/* string, absolute http(s) URL with a host, or "" */
	FIELD_OBJECT,	/* object following sub */
	FIELD_LIST,	/* array of at most max objects following sub */
};

struct schema;

struct field {
	const char *name;
	enum field_kind kind;
	size_t max;		/* code points for text, entries for lists */
	const struct schema *sub;
};

struct schema {
	const struct field *fields;
	size_t nfields;
};

#define SCHEMA(f)	{ (f), NELEM(f) }

static const struct field quote_fields[] = {
	{ "text", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "speaker", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
};
static const struct schema quote_schema = SCHEMA(quote_fields);

static const struct field press_release_fields[] = {
	{ "headline", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "subheading", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "launch_date", FIELD_DATE, 0, NULL },
	{ "location", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "summary", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "problem", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "solution", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "leader_quote", FIELD_OBJECT, 0, &quote_schema },
	{ "how_it_works", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "customer_quote", FIELD_OBJECT, 0, &quote_schema },
	{ "call_to_action", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
};
static const struct schema press_release_schema = SCHEMA(press_release_fields);

static const struct field qa_fields[] = {
	{ "question", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "answer", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
};
static const struct schema qa_schema = SCHEMA(qa_fields);

static const struct field faq_fields[] = {
	{ "external", FIELD_LIST, PRFAQ_LIST_MAX, &qa_schema },
	{ "internal", FIELD_LIST, PRFAQ_LIST_MAX, &qa_schema },
};
static const struct schema faq_schema = SCHEMA(faq_fields);

static const struct field customer_fields[] = {
	{ "who", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "problem", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "benefit", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "evidence", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "experience", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
};
static const struct schema customer_schema = SCHEMA(customer_fields);

static const struct field visual_fields[] = {
	{ "title", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "url", FIELD_URL, PRFAQ_URL_MAX, NULL },
	{ "caption", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
};
static const struct schema visual_schema = SCHEMA(visual_fields);

static const struct field content_fields[] = {
	{ "press_release", FIELD_OBJECT, 0, &press_release_schema },
	{ "faq", FIELD_OBJECT, 0, &faq_schema },
	{ "customer", FIELD_OBJECT, 0, &customer_schema },
	{ "visuals", FIELD_LIST, PRFAQ_LIST_MAX, &visual_schema },
};
static const struct schema content_schema = SCHEMA(content_fields);

/* True when key[0..keylen) is exactly name. */
static bool
key_is(const char *key, size_t keylen, const char *name)
{
	return strlen(name) == keylen && memcmp(name, key, keylen) == 0;
}

/*
 * Find the field named key[0..keylen) in sc, or NULL.  The length matters:
 * a key built with an embedded NUL ("headline\0x") must not pass for
 * "headline".
 */
static const struct field *
schema_find(const struct schema *sc, const char *key, size_t keylen)
{
	for (size_t i = 0; i < sc->nfields; i++)
		if (key_is(key, keylen, sc->fields[i].name))
			return &sc->fields[i];
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* Text helpers                                                             */
/* ------------------------------------------------------------------------ */

/*
 * Decode the code point at s[*i] and advance *i past it.  Strings come from
 * Jansson, so they are valid UTF-8; a truncated sequence still advances by at
 * least one byte so a scan always terminates.
 */
static uint32_t
utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[*i];
	uint32_t cp;
	size_t n;

	if (c < 0x80) {
		(*i)++;
		return c;
	} else if (c < 0xE0) {
		n = 1;
		cp = c & 0x1F;
	} else if (c < 0xF0) {
		n = 2;
		cp = c & 0x0F;
	} else {
		n = 3;
		cp = c & 0x07;
	}
	if (len - *i <= n) {
		(*i)++;
		return 0xFFFD;
	}
	for (size_t k = 1; k <= n; k++)
		cp = (cp << 6) | (p[*i + k] & 0x3F);
	*i += n + 1;
	return cp;
}

/* C0 controls, DEL and C1 controls (U+0080..U+009F). */
static bool
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/*
 * Unicode White_Space, plus the zero-width space and the byte order mark:
 * invisible characters that make a title look blank or a URL look whole.
 */
static bool
is_space(uint32_t cp)
{
	switch (cp) {
	case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000: case 0x200B: case 0xFEFF:
		return true;
	default:
		return cp >= 0x2000 && cp <= 0x200A;
	}
}

static bool
is_blank(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len)
		if (!is_space(utf8_next(s, len, &i)))
			return false;
	return true;
}

/*
 * First control character in s[0..len) that the field does not allow
 * (multiline fields allow newline, carriage return and tab), or -1.
 */
static long
find_control(const char *s, size_t len, bool multiline)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	/*
	 * By bytes, not code points: s is valid UTF-8 (the JSON decoder saw to
	 * it), where a C1 control is always the pair C2 80..9F and 0xC2 is
	 * never a continuation byte.  Long texts are checked on every write,
	 * so eight bytes are skipped at once when none of them is < 0x20, 0x7F
	 * or 0xC2 (the classic "has a zero byte" test, exact for existence);
	 * only the others are looked at one by one.
	 */
	while (i < len) {
		size_t stop;

		if (i + 8 <= len) {
			uint64_t x, del, c2;

			memcpy(&x, p + i, 8);
			del = x ^ (ones * 0x7F);
			c2 = x ^ (ones * 0xC2);
			if (((((x - ones * 0x20) & ~x) | ((del - ones) & ~del) |
			      ((c2 - ones) & ~c2)) & highs) == 0) {
				i += 8;
				continue;
			}
		}
		for (stop = i + 8 < len ? i + 8 : len; i < stop; i++) {
			unsigned char b = p[i];

			if (b >= 0x20 && b != 0x7F && b != 0xC2)
				continue;
			if (b == 0xC2) {
				if (i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
					return (long)p[i + 1];
				continue;
			}
			if (multiline && (b == '\n' || b == '\r' || b == '\t'))
				continue;
			return (long)b;
		}
	}
	return -1;
}

static bool
is_leap(unsigned year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned
days_in_month(unsigned year, unsigned month)
{
	static const unsigned days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month == 2 && is_leap(year))
		return 29;
	return days[month - 1];
}

/* ------------------------------------------------------------------------ */
/* Validation context                                                       */
/* ------------------------------------------------------------------------ */

struct vctx {
	struct prfaq_error *err;	/* borrowed; may be NULL */
	struct prfaq_buf ptr;	/* pointer of the value being checked */
	prfaq_code rc;
	bool stop;		/* error cap reached or out of memory */
};

static void vctx_report(struct vctx *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Start a walk at root (a pointer, "" for a whole body).  Returns 0, or -1
 * when memory runs out.  The context owns v->ptr; vctx_free() releases it.
 */
static int
vctx_init(struct vctx *v, struct prfaq_error *err, const char *root)
{
	struct prfaq_buf init = PRFAQ_BUF_INIT;

	v->err = err;
	v->ptr = init;
	v->rc = PRFAQ_OK;
	v->stop = false;
	return prfaq_buf_puts(&v->ptr, root);
}

static void
vctx_free(struct vctx *v)
{
	prfaq_buf_free(&v->ptr);
}

/*
 * Out of memory: the walk stops and the answer is PRFAQ_ENOMEM even when
 * validation problems were already found (like prfaq_error_add() does).
 */
static void
vctx_nomem(struct vctx *v)
{
	prfaq_error_set(v->err, PRFAQ_ENOMEM, "Out of memory");
	if (v->err != NULL)
		v->err->code = PRFAQ_ENOMEM;
	v->rc = PRFAQ_ENOMEM;
	v->stop = true;
}

/* Descend into member key; returns the mark to give back to vctx_pop(). */
static size_t
vctx_push_key(struct vctx *v, const char *key)
{
	size_t mark = v->ptr.len;

	if (prfaq_pointer_push(&v->ptr, key) != 0)
		vctx_nomem(v);
	return mark;
}

static size_t
vctx_push_index(struct vctx *v, size_t index)
{
	size_t mark = v->ptr.len;

	if (prfaq_pointer_push_index(&v->ptr, index) != 0)
		vctx_nomem(v);
	return mark;
}

/* Climb back to mark (also undoes a push that failed half way). */
static void
vctx_pop(struct vctx *v, size_t mark)
{
	v->ptr.len = mark;
	if (v->ptr.data != NULL)
		v->ptr.data[mark] = '\0';
}

/*
 * Report a problem with the value at the current pointer.  Without an err to
 * fill, the first problem decides the answer and the walk stops there.  Once
 * err's list is full (it keeps PRFAQ_ERRORS_MAX entries, then says it was
 * truncated) the walk stops too: a body of a million bad entries must not
 * cost a million reports.
 */
static void
vctx_report(struct vctx *v, const char *fmt, ...)
{
	char msg[PRFAQ_ERROR_DETAIL_MAX];
	prfaq_code rc;
	va_list ap;

	if (v->stop)
		return;
	v->rc = PRFAQ_EINVAL;
	if (v->err == NULL) {
		v->stop = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rc = prfaq_error_add(v->err, v->ptr.data != NULL ? v->ptr.data : "",
			     "%s", msg);
	if (rc == PRFAQ_ENOMEM) {
		v->rc = PRFAQ_ENOMEM;
		v->stop = true;
	} else if (v->err->truncated) {
		v->stop = true;
	}
}

/* ------------------------------------------------------------------------ */
/* Checks                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * s must be at most max code points.  Reports and returns false otherwise.
 */
static bool
check_length(struct vctx *v, const char *s, size_t len, size_t max)
{
	size_t n;

	/* A code point takes at least a byte: short strings need no count. */
	if (len <= max)
		return true;
	n = prfaq_utf8_length(s, len);
	if (n <= max)
		return true;
	vctx_report(v, "must be at most %zu characters (got %zu)", max, n);
	return false;
}

static bool
check_controls(struct vctx *v, const char *s, size_t len, bool multiline)
{
	long cp = find_control(s, len, multiline);

	if (cp < 0)
		return true;
	if (multiline)
		vctx_report(v, "must not contain control characters other than "
			    "newline, carriage return and tab (found U+%04lX)",
			    (unsigned long)cp);
	else
		vctx_report(v, "must not contain control characters or line "
			    "breaks (found U+%04lX)", (unsigned long)cp);
	return false;
}

/*
 * "YYYY-MM-DD" naming a day that exists.  "" is accepted: like every other
 * content string, a launch date may be left empty while drafting.
 */
static void
check_date(struct vctx *v, const char *s, size_t len)
{
	unsigned year, month, day, dim;

	if (len == 0)
		return;
	if (len != 10 || s[4] != '-' || s[7] != '-')
		goto bad_form;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			goto bad_form;
	year = (unsigned)(s[0] - '0') * 1000 + (unsigned)(s[1] - '0') * 100 +
	       (unsigned)(s[2] - '0') * 10 + (unsigned)(s[3] - '0');
	month = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
	day = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
	if (month < 1 || month > 12) {
		vctx_report(v, "must be a real calendar date in YYYY-MM-DD "
			    "form (month must be 01 to 12)");
		return;
	}
	dim = days_in_month(year, month);
	if (day < 1 || day > dim)
		vctx_report(v, "must be a real calendar date in YYYY-MM-DD "
			    "form (%.7s has %u days)", s, dim);
	return;

bad_form:
	vctx_report(v, "must be a date in YYYY-MM-DD form");
}

/*
 * An absolute http:// or https:// URL (scheme in any case) with a non-empty
 * host, and no whitespace, control character or backslash anywhere: browsers
 * read a backslash as a slash, so "https://a.example\@b.example" would not
 * go where it seems to.  "" is accepted as "not filled in yet".
 */
static void
check_url(struct vctx *v, const char *s, size_t len)
{
	size_t off, end, host, i;

	if (len == 0)
		return;
	if (len >= 7 && strncasecmp(s, "http://", 7) == 0)
		off = 7;
	else if (len >= 8 && strncasecmp(s, "https://", 8) == 0)
		off = 8;
	else {
		vctx_report(v, "must be an absolute http:// or https:// URL");
		return;
	}
	i = 0;
	while (i < len) {
		uint32_t cp = utf8_next(s, len, &i);

		if (is_control(cp) || is_space(cp) || cp == '\\') {
			vctx_report(v, "must not contain whitespace, control "
				    "characters or backslashes");
			return;
		}
	}

	/* The authority runs to the first "/", "?" or "#". */
	for (end = off; end < len; end++)
		if (s[end] == '/' || s[end] == '?' || s[end] == '#')
			break;
	/* The host follows any userinfo (up to the last "@")... */
	host = off;
	for (i = off; i < end; i++)
		if (s[i] == '@')
			host = i + 1;
	/* ...and ends at the port, unless it is an IPv6 literal. */
	if (host < end && s[host] == '[') {
		if (host + 1 < end && s[host + 1] != ']')
			return;
	} else if (host < end && s[host] != ':') {
		return;
	}
	vctx_report(v, "must be an absolute http:// or https:// URL with a "
		    "host");
}

static void check_object(struct vctx *v, const json_t *obj,
			 const struct schema *sc);

/* A string field of kind FIELD_TEXT, FIELD_DATE or FIELD_URL. */
static void
check_string(struct vctx *v, const json_t *value, const struct field *f)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	switch (f->kind) {
	case FIELD_DATE:
		check_date(v, s, len);
		break;
	case FIELD_URL:
		if (check_length(v, s, len, f->max))
			check_url(v, s, len);
		break;
	default:
		if (check_length(v, s, len, f->max))
			check_controls(v, s, len, true);
		break;
	}
}

/*
 * An array of objects.  Past f->max entries the list is reported once and
 * only the first f->max entries are looked at.
 */
static void
check_list(struct vctx *v, const json_t *arr, const struct field *f)
{
	size_t n;

	if (!json_is_array(arr)) {
		vctx_report(v, "must be an array");
		return;
	}
	n = json_array_size(arr);
	if (n > f->max) {
		vctx_report(v, "must have at most %zu entries (got %zu)",
			    f->max, n);
		n = f->max;
	}
	for (size_t i = 0; i < n && !v->stop; i++) {
		size_t mark = vctx_push_index(v, i);

		if (!v->stop)
			check_object(v, json_array_get(arr, i), f->sub);
		vctx_pop(v, mark);
	}
}

static void
check_field(struct vctx *v, const json_t *value, const struct field *f)
{
	switch (f->kind) {
	case FIELD_OBJECT:
		check_object(v, value, f->sub);
		break;
	case FIELD_LIST:
		check_list(v, value, f);
		break;
	default:
		check_string(v, value, f);
		break;
	}
}

/*
 * An object following sc: every member must be in the table.  Recursion goes
 * through check_field() only for members found in a table, so its depth is
 * bounded by the schema, whatever the input.
 */
static void
check_object(struct vctx *v, const json_t *obj, const struct schema *sc)
{
	const char *key;
	size_t keylen;
	json_t *value;

	if (!json_is_object(obj)) {
		vctx_report(v, "must be an object");
		return;
	}
	/* Iteration does not modify obj; Jansson's macro just lacks const. */
	json_object_keylen_foreach((json_t *)obj, key, keylen, value) {
		const struct field *f = schema_find(sc, key, keylen);
		size_t mark;

		if (v->stop)
			break;
		mark = vctx_push_key(v, key);
		if (v->stop)
			break;
		if (f == NULL)
			vctx_report(v, "unknown member: not part of the PR/FAQ "
				    "schema");
		else
			check_field(v, value, f);
		vctx_pop(v, mark);
	}
}

static void
check_title(struct vctx *v, const json_t *value)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	if (len == 0)
		vctx_report(v, "must not be empty");
	else if (is_blank(s, len))
		vctx_report(v, "must not be blank (only whitespace)");
	else if (check_length(v, s, len, PRFAQ_TITLE_MAX))
		check_controls(v, s, len, false);
}

/* A one-line string of at most max code points (team). */
static void
check_line(struct vctx *v, const json_t *value, size_t max)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	if (check_length(v, s, len, max))
		check_controls(v, s, len, false);
}

/* A multi-line string of at most max code points (change_note). */
static void
check_text(struct vctx *v, const json_t *value, size_t max)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	if (check_length(v, s, len, max))
		check_controls(v, s, len, true);
}

/*
 * One tag: a one-line, non-blank string.  Returns true when it is valid, so
 * only valid tags take part in the duplicate check.
 */
static bool
check_tag(struct vctx *v, const json_t *value)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return false;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	if (len == 0) {
		vctx_report(v, "must not be empty");
		return false;
	}
	if (is_blank(s, len)) {
		vctx_report(v, "must not be blank (only whitespace)");
		return false;
	}
	return check_length(v, s, len, PRFAQ_TAG_MAX) &&
	       check_controls(v, s, len, false);
}

/*
 * Tags: at most PRFAQ_TAGS_MAX valid, distinct strings.  Duplicates are
 * compared byte for byte (the list is short, so quadratic is fine); the
 * second occurrence is the one reported.
 */
static void
check_tags(struct vctx *v, const json_t *tags)
{
	size_t n;

	if (!json_is_array(tags)) {
		vctx_report(v, "must be an array of strings");
		return;
	}
	n = json_array_size(tags);
	if (n > PRFAQ_TAGS_MAX) {
		vctx_report(v, "must have at most %d entries (got %zu)",
			    PRFAQ_TAGS_MAX, n);
		n = PRFAQ_TAGS_MAX;
	}
	for (size_t i = 0; i < n && !v->stop; i++) {
		const json_t *tag = json_array_get(tags, i);
		size_t mark = vctx_push_index(v, i);

		if (v->stop)
			break;
		if (check_tag(v, tag)) {
			for (size_t j = 0; j < i; j++) {
				if (json_equal(tag, json_array_get(tags, j))) {
					vctx_report(v, "duplicate tag: same as "
						    "/tags/%zu", j);
					break;
				}
			}
		}
		vctx_pop(v, mark);
	}
}

/* ------------------------------------------------------------------------ */
/* Public validation                                                        */
/* ------------------------------------------------------------------------ */

/*
 * Validate a document body (borrowed) for mode.  Required members are
 * reported first, then every member in the body's order.  Returns PRFAQ_OK,
 * PRFAQ_EINVAL with the problems in err->errors, or PRFAQ_ENOMEM.
 */
prfaq_code
prfaq_doc_validate(const json_t *body, enum prfaq_doc_mode mode,
		   struct prfaq_error *err)
{
	const char *key;
	size_t keylen;
	json_t *value;
	prfaq_code rc;
	struct vctx v;
	bool merged = mode == PRFAQ_DOC_MERGED;

	if (mode != PRFAQ_DOC_CREATE && mode != PRFAQ_DOC_REPLACE && !merged)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "Unknown document validation mode %d",
				       (int)mode);
	if (vctx_init(&v, err, "") != 0) {
		vctx_free(&v);
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	}

	if (!json_is_object(body)) {
		vctx_report(&v, "must be a JSON object");
		goto out;
	}
	if (json_object_get(body, "title") == NULL) {
		size_t mark = vctx_push_key(&v, "title");

		vctx_report(&v, "is required");
		vctx_pop(&v, mark);
	}
	if (mode == PRFAQ_DOC_REPLACE &&
	    json_object_get(body, "content") == NULL) {
		size_t mark = vctx_push_key(&v, "content");

		vctx_report(&v, "is required");
		vctx_pop(&v, mark);
	}

	json_object_keylen_foreach((json_t *)body, key, keylen, value) {
		size_t mark;

		if (v.stop)
			break;
		mark = vctx_push_key(&v, key);
		if (v.stop)
			break;
		/*
		 * A merge target built from a stored version may hold null for
		 * an optional member it never had; merge-patch removes the
		 * nulls a client sends, so in a merged body null is "absent".
		 */
		if (key_is(key, keylen, "title"))
			check_title(&v, value);
		else if (key_is(key, keylen, "team")) {
			if (!(merged && json_is_null(value)))
				check_line(&v, value, PRFAQ_TEAM_MAX);
		} else if (key_is(key, keylen, "tags")) {
			if (!(merged && json_is_null(value)))
				check_tags(&v, value);
		} else if (key_is(key, keylen, "content")) {
			if (!(merged && json_is_null(value)))
				check_object(&v, value, &content_schema);
		} else if (key_is(key, keylen, "change_note")) {
			if (!(merged && json_is_null(value)))
				check_text(&v, value, PRFAQ_NOTE_MAX);
		} else {
			vctx_report(&v, "unknown member: not part of the "
				    "PR/FAQ schema");
		}
		vctx_pop(&v, mark);
	}

out:
	rc = v.rc;
	vctx_free(&v);
	return rc;
}

/*
 * Validate a content object (borrowed) alone, pointers prefixed with base
 * (NULL is "").  Same results as prfaq_doc_validate().
 */
prfaq_code
prfaq_content_validate(const json_t *content, const char *base,
		       struct prfaq_error *err)
{
	prfaq_code rc;
	struct vctx v;

	if (vctx_init(&v, err, base != NULL ? base : "") != 0) {
		vctx_free(&v);
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	}
	check_object(&v, content, &content_schema);
	rc = v.rc;
	vctx_free(&v);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* RFC 7396 merge-patch                                                     */
/* ------------------------------------------------------------------------ */

/* One pending object merge: patch's members go into dst. */
struct merge_frame {
	json_t *dst;		/* borrowed from the result being built */
	const json_t *patch;	/* borrowed from the caller's patch */
};

/*
 * RFC 7396 MergePatch(target, patch), without recursion: the result starts
 * as a deep copy of target and an explicit stack holds the object pairs still
 * to merge, so the depth of the patch only costs heap.  Neither argument is
 * modified; the result shares nothing with them.  A NULL target is an absent
 * one; a NULL patch changes nothing (and with a NULL target gives null).
 * Returns a new reference, NULL only when memory runs out.
 */
json_t *
prfaq_merge_patch(const json_t *target, const json_t *patch)
{
	struct merge_frame *stack = NULL, *grown;
	size_t pending = 0, cap = 8;
	json_t *result = NULL;
	bool ok = false;

	if (patch == NULL)
		return target != NULL ? json_deep_copy(target) : json_null();
	if (!json_is_object(patch))
		return json_deep_copy(patch);

	if (json_is_object(target))
		result = json_deep_copy(target);
	else
		result = json_object();
	if (result == NULL)
		goto out;
	if ((stack = malloc(cap * sizeof(*stack))) == NULL)
		goto out;
	stack[pending].dst = result;
	stack[pending].patch = patch;
	pending++;

	while (pending > 0) {
		struct merge_frame fr = stack[--pending];
		const char *key;
		size_t keylen;
		json_t *pv;

		json_object_keylen_foreach((json_t *)fr.patch, key, keylen,
					   pv) {
			json_t *child;

			if (json_is_null(pv)) {
				/* Removing an absent member is no error. */
				json_object_deln(fr.dst, key, keylen);
				continue;
			}
			if (!json_is_object(pv)) {
				child = json_deep_copy(pv);
				if (json_object_setn_new(fr.dst, key, keylen,
							 child) != 0)
					goto out;
				continue;
			}
			/*
			 * An object patch merges into the existing member when
			 * that is an object, else into a fresh {}.  The child
			 * is owned by result (a copy), so merging in place
			 * touches nothing of the caller's.
			 */
			child = json_object_getn(fr.dst, key, keylen);
			if (!json_is_object(child)) {
				child = json_object();
				if (json_object_setn_new(fr.dst, key, keylen,
							 child) != 0)
					goto out;
			}
			if (pending == cap) {
				grown = realloc(stack,
						2 * cap * sizeof(*stack));
				if (grown == NULL)
					goto out;
				stack = grown;
				cap *= 2;
			}
			stack[pending].dst = child;
			stack[pending].patch = pv;
			pending++;
		}
	}
	ok = true;

out:
	free(stack);
	if (!ok) {
		json_decref(result);
		return NULL;
	}
	return result;
}

/* ------------------------------------------------------------------------ */
/* Structural diff                                                          */
/* ------------------------------------------------------------------------ */

struct dctx {
	json_t *changes;	/* the array being built; owned by the caller */
	struct prfaq_buf path;	/* pointer of the values being compared */
};

/*
 * Append {"path", "op", "from"?, "to"?} at the current path.  from and to are
 * borrowed and deep-copied, so the changes share nothing with the compared
 * documents and outlive them.  Returns 0 or -1 (out of memory).
 */
static int
diff_emit(struct dctx *d, const char *op, const json_t *from, const json_t *to)
{
	json_t *change;

	change = json_object();
	if (change == NULL)
		return -1;
	if (json_object_set_new(change, "path",
				json_stringn(d->path.data != NULL ?
					     d->path.data : "",
					     d->path.len)) != 0 ||
	    json_object_set_new(change, "op", json_string(op)) != 0 ||
	    (from != NULL &&
	     json_object_set_new(change, "from", json_deep_copy(from)) != 0) ||
	    (to != NULL &&
	     json_object_set_new(change, "to", json_deep_copy(to)) != 0)) {
		json_decref(change);
		return -1;
	}
	return json_array_append_new(d->changes, change);
}

static int
diff_pop(struct dctx *d, size_t mark, int rc)
{
	d->path.len = mark;
	if (d->path.data != NULL)
		d->path.data[mark] = '\0';
	return rc;
}

static int diff_value(struct dctx *d, const json_t *a, const json_t *b,
		      unsigned depth);

/* Two objects: a's members in a's order, then those only in b. */
static int
diff_object(struct dctx *d, const json_t *a, const json_t *b, unsigned depth)
{
	const char *key;
	size_t keylen;
	json_t *av, *bv;

	json_object_keylen_foreach((json_t *)a, key, keylen, av) {
		size_t mark = d->path.len;
		int rc;

		if (prfaq_pointer_push(&d->path, key) != 0)
			return diff_pop(d, mark, -1);
		bv = json_object_getn(b, key, keylen);
		if (bv == NULL)
			rc = diff_emit(d, "remove", av, NULL);
		else
			rc = diff_value(d, av, bv, depth + 1);
		if (diff_pop(d, mark, rc) != 0)
			return -1;
	}
	json_object_keylen_foreach((json_t *)b, key, keylen, bv) {
		size_t mark = d->path.len;

		if (json_object_getn(a, key, keylen) != NULL)
			continue;
		if (prfaq_pointer_push(&d->path, key) != 0)
			return diff_pop(d, mark, -1);
		if (diff_pop(d, mark, diff_emit(d, "add", NULL, bv)) != 0)
			return -1;
	}
	return 0;
}

/* Two arrays, index by index. */
static int
diff_array(struct dctx *d, const json_t *a, const json_t *b, unsigned depth)
{
	size_t na = json_array_size(a), nb = json_array_size(b);
	size_t n = na < nb ? na : nb;

	for (size_t i = 0; i < n; i++) {
		size_t mark = d->path.len;

		if (prfaq_pointer_push_index(&d->path, i) != 0)
			return diff_pop(d, mark, -1);
		if (diff_pop(d, mark, diff_value(d, json_array_get(a, i),
						 json_array_get(b, i),
						 depth + 1)) != 0)
			return -1;
	}
	/* Extra elements of b: each "add" lands at the end, in order. */
	for (size_t i = n; i < nb; i++) {
		size_t mark = d->path.len;

		if (prfaq_pointer_push_index(&d->path, i) != 0)
			return diff_pop(d, mark, -1);
		if (diff_pop(d, mark, diff_emit(d, "add", NULL,
						json_array_get(b, i))) != 0)
			return -1;
	}
	/*
	 * Missing elements, highest index first: applying the changes in
	 * order then never shifts an index that a later "remove" names.
	 */
	for (size_t i = na; i > n; i--) {
		size_t mark = d->path.len;

		if (prfaq_pointer_push_index(&d->path, i - 1) != 0)
			return diff_pop(d, mark, -1);
		if (diff_pop(d, mark, diff_emit(d, "remove",
						json_array_get(a, i - 1),
						NULL)) != 0)
			return -1;
	}
	return 0;
}

/*
 * Compare a and b (borrowed, both non-NULL) at the current path, appending
 * changes.  Recursion is bounded by DIFF_DEPTH_MAX: deeper than that a
 * differing subtree is one "replace", which is still a correct diff, only a
 * coarser one.  Returns 0 or -1 (out of memory).
 */
static int
diff_value(struct dctx *d, const json_t *a, const json_t *b, unsigned depth)
{
	if (depth < DIFF_DEPTH_MAX) {
		if (json_is_object(a) && json_is_object(b))
			return diff_object(d, a, b, depth);
		if (json_is_array(a) && json_is_array(b))
			return diff_array(d, a, b, depth);
	}
	/* Scalars, type changes and the depth limit. */
	if (json_equal(a, b))
		return 0;
	return diff_emit(d, "replace", a, b);
}

/*
 * Structural diff from a to b (both borrowed).  A NULL side is an absent
 * value: NULL to b is one "add" at "", a to NULL one "remove".  The result is
 * a new reference whose values are deep copies; NULL when memory runs out.
 */
json_t *
prfaq_diff(const json_t *a, const json_t *b)
{
	struct dctx d = { NULL, PRFAQ_BUF_INIT };
	json_t *result = NULL;
	int rc;

	if ((d.changes = json_array()) == NULL)
		goto out;
	if (a == NULL && b == NULL)
		rc = 0;
	else if (a == NULL)
		rc = diff_emit(&d, "add", NULL, b);
	else if (b == NULL)
		rc = diff_emit(&d, "remove", a, NULL);
	else
		rc = diff_value(&d, a, b, 0);
	if (rc != 0)
		goto out;
	result = d.changes;
	d.changes = NULL;

out:
	json_decref(d.changes);
	prfaq_buf_free(&d.path);
	return result;
}
