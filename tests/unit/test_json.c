/*
 * test_json.c - strict JSON decoding and RFC 6901 pointers (src/domain/json.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "prfaq/alloc.h"
#include "prfaq/buf.h"
#include "prfaq/error.h"
#include "prfaq/json.h"

/* A value prfaq_json_parse must leave alone when it fails. */
static json_t sentinel_storage;
#define SENTINEL (&sentinel_storage)

/* Parse len bytes of text and expect failure; returns the error detail. */
static void
expect_parse_fails(const char *text, size_t len, const char *detail_part)
{
	struct prfaq_error err;
	json_t *out = SENTINEL;

	prfaq_error_init(&err);
	assert_int_equal(prfaq_json_parse(text, len, &out, &err), PRFAQ_EINVAL);
	assert_ptr_equal(out, SENTINEL);
	assert_int_equal(err.code, PRFAQ_EINVAL);
	assert_non_null(strstr(err.detail, "Malformed JSON at line"));
	if (detail_part != NULL && strstr(err.detail, detail_part) == NULL)
		fail_msg("detail \"%s\" lacks \"%s\"", err.detail, detail_part);
	assert_null(err.errors);
	prfaq_error_clear(&err);
}

static json_t *
parse_ok(const char *text, size_t len)
{
	struct prfaq_error err;
	json_t *out = NULL;

	prfaq_error_init(&err);
	if (prfaq_json_parse(text, len, &out, &err) != PRFAQ_OK)
		fail_msg("parse of \"%s\" failed: %s", text, err.detail);
	assert_non_null(out);
	assert_int_equal(err.code, PRFAQ_OK);
	prfaq_error_clear(&err);
	return out;
}

static void
test_parse_object(void **state)
{
	const char *text =
		"{\"title\": \"Instant refunds\", \"tags\": [\"a\"]}";
	json_t *root = parse_ok(text, strlen(text));

	(void)state;
	assert_true(json_is_object(root));
	assert_string_equal(json_string_value(json_object_get(root, "title")),
			    "Instant refunds");
	assert_int_equal(json_array_size(json_object_get(root, "tags")), 1);
	json_decref(root);
}

static void
test_parse_scalars(void **state)
{
	json_t *v;

	(void)state;
	v = parse_ok("42", 2);
	assert_true(json_is_integer(v));
	assert_int_equal(json_integer_value(v), 42);
	json_decref(v);
	v = parse_ok("\"x\"", 3);
	assert_string_equal(json_string_value(v), "x");
	json_decref(v);
	v = parse_ok("null", 4);
	assert_true(json_is_null(v));
	json_decref(v);
	v = parse_ok("[]", 2);
	assert_true(json_is_array(v));
	json_decref(v);
}

/* Bodies are not NUL-terminated: only len bytes count. */
static void
test_parse_uses_length(void **state)
{
	const char text[] = "{\"a\":1}GARBAGE";
	char *exact;
	json_t *v;

	(void)state;
	v = parse_ok(text, 7);
	assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
	json_decref(v);

	/* A buffer with no terminator at all (ASan catches over-reads). */
	exact = malloc(7);
	assert_non_null(exact);
	memcpy(exact, "[1,2,3]", 7);
	v = parse_ok(exact, 7);
	assert_int_equal(json_array_size(v), 3);
	json_decref(v);
	free(exact);

	expect_parse_fails(text, sizeof(text) - 1, NULL);
}

static void
test_parse_rejects_duplicates(void **state)
{
	const char *text = "{\"title\": \"a\", \"title\": \"b\"}";

	(void)state;
	expect_parse_fails(text, strlen(text), "duplicate object key");
	text = "{\"c\": {\"x\": 1, \"x\": 1}}";
	expect_parse_fails(text, strlen(text), "duplicate object key");
}

static void
test_parse_rejects_nul(void **state)
{
	const char *text = "{\"a\": \"x\\u0000y\"}";

	(void)state;
	expect_parse_fails(text, strlen(text), "\\u0000");
	text = "{\"a\\u0000b\": 1}";
	expect_parse_fails(text, strlen(text), "NUL");
	/* A raw NUL byte inside the buffer. */
	expect_parse_fails("\"a\0b\"", 5, NULL);
}

static void
test_parse_rejects_invalid_utf8(void **state)
{
	(void)state;
	expect_parse_fails("\"\xff\"", 3, NULL);
	expect_parse_fails("\"\xc0\xaf\"", 4, NULL);	 /* overlong "/" */
	expect_parse_fails("\"\xed\xa0\x80\"", 5, NULL); /* surrogate */
	expect_parse_fails("\"\xe2\x82\"", 4, NULL);	 /* truncated */
	expect_parse_fails("{\"\xff\": 1}", 8, NULL);	 /* in a key */
}

static void
test_parse_rejects_out_of_range_numbers(void **state)
{
	const char *big = "123456789012345678901234567890";
	const char *huge = "[1e400]";

	(void)state;
	expect_parse_fails(big, strlen(big), "too big");
	expect_parse_fails(huge, strlen(huge), NULL);
}

static void
test_parse_rejects_malformed(void **state)
{
	(void)state;
	expect_parse_fails("", 0, NULL);
	expect_parse_fails("{", 1, NULL);
	expect_parse_fails("{\"a\":}", 6, NULL);
	expect_parse_fails("{'a':1}", 7, NULL);
	expect_parse_fails("[1,]", 4, NULL);
	expect_parse_fails("{} {}", 5, NULL);
	expect_parse_fails("NaN", 3, NULL);
}

static void
test_parse_reports_position(void **state)
{
	const char *text = "{\n  \"a\": 1,\n  \"b\": }";

	(void)state;
	expect_parse_fails(text, strlen(text), "line 3, column");
}

/* Jansson's depth limit (2048) bounds every later recursive walk. */
static void
test_parse_depth_limit(void **state)
{
	size_t deep = 3000, ok = 500;
	char *text = malloc(2 * deep);
	json_t *v;

	(void)state;
	assert_non_null(text);
	memset(text, '[', deep);
	memset(text + deep, ']', deep);
	expect_parse_fails(text, 2 * deep, NULL);

	memset(text, '[', ok);
	memset(text + ok, ']', ok);
	v = parse_ok(text, 2 * ok);
	assert_true(json_is_array(v));
	json_decref(v);
	free(text);
}

/*
 * More than PRFAQ_JSON_VALUES_MAX values is refused before decoding (commas
 * and brackets inside strings do not count); exactly that many is fine.
 */
static void
test_parse_value_limit(void **state)
{
	size_t n = PRFAQ_JSON_VALUES_MAX, cap = 2 * n + 64, len;
	char *text = malloc(cap);
	struct prfaq_error err;
	json_t *v = SENTINEL;

	(void)state;
	assert_non_null(text);
	/* [0,0,...] with n - 1 elements: n values with the array. */
	len = 0;
	text[len++] = '[';
	for (size_t i = 0; i + 1 < n; i++) {
		if (i > 0)
			text[len++] = ',';
		text[len++] = '0';
	}
	text[len++] = ']';
	v = parse_ok(text, len);
	assert_int_equal(json_array_size(v), n - 1);
	json_decref(v);

	/* One more element: refused, and out is left alone. */
	memcpy(text + len - 1, ",0]", 3);
	len += 2;
	prfaq_error_init(&err);
	v = SENTINEL;
	assert_int_equal(prfaq_json_parse(text, len, &v, &err), PRFAQ_EINVAL);
	assert_ptr_equal(v, SENTINEL);
	assert_non_null(strstr(err.detail, "more than 10000 values"));
	prfaq_error_clear(&err);

	/* Separators inside a string (escaped quotes too) are text. */
	len = (size_t)snprintf(text, cap, "{\"a\":\"\\\"");
	for (size_t i = 0; i < n; i++)
		text[len++] = i % 2 ? '[' : ',';
	memcpy(text + len, "\"}", 3);
	len += 2;
	v = parse_ok(text, len);
	assert_int_equal(strlen(json_string_value(json_object_get(v, "a"))),
			 n + 1);
	json_decref(v);

	/* Deep nesting counts its brackets. */
	memset(text, '[', n + 1);
	assert_int_equal(prfaq_json_parse(text, n + 1, &v, NULL), PRFAQ_EINVAL);
	free(text);
}

static void
test_parse_null_err(void **state)
{
	json_t *out = SENTINEL;

	(void)state;
	assert_int_equal(prfaq_json_parse("{", 1, &out, NULL), PRFAQ_EINVAL);
	assert_ptr_equal(out, SENTINEL);
	assert_int_equal(prfaq_json_parse("{}", 2, &out, NULL), PRFAQ_OK);
	assert_true(json_is_object(out));
	json_decref(out);
}

/* The first cause wins: a second failure keeps the first detail. */
static void
test_parse_keeps_first_error(void **state)
{
	struct prfaq_error err;
	json_t *out = SENTINEL;

	(void)state;
	prfaq_error_init(&err);
	assert_int_equal(prfaq_json_parse("[", 1, &out, &err), PRFAQ_EINVAL);
	assert_non_null(strstr(err.detail, "line 1"));
	assert_int_equal(prfaq_json_parse("\n\n[", 3, &out, &err),
			 PRFAQ_EINVAL);
	assert_non_null(strstr(err.detail, "line 1"));
	assert_ptr_equal(out, SENTINEL);
	prfaq_error_clear(&err);
}

/* ---------------------------------------------------------------------- */

/* The example document of RFC 6901 section 5. */
static json_t *
rfc6901_doc(void)
{
	const char *text =
		"{\"foo\": [\"bar\", \"baz\"], \"\": 0, \"a/b\": 1, \"c%d\": 2,"
		" \"e^f\": 3, \"g|h\": 4, \"i\\\\j\": 5, \"k\\\"l\": 6,"
		" \" \": 7, \"m~n\": 8}";

	return parse_ok(text, strlen(text));
}

static void
expect_int_at(const json_t *doc, const char *pointer, json_int_t want)
{
	json_t *v = prfaq_pointer_get(doc, pointer);

	if (v == NULL)
		fail_msg("pointer \"%s\" resolved to nothing", pointer);
	assert_true(json_is_integer(v));
	assert_int_equal(json_integer_value(v), want);
}

static void
test_pointer_rfc6901_examples(void **state)
{
	json_t *doc = rfc6901_doc();
	json_t *foo;

	(void)state;
	assert_ptr_equal(prfaq_pointer_get(doc, ""), doc);
	foo = prfaq_pointer_get(doc, "/foo");
	assert_ptr_equal(foo, json_object_get(doc, "foo"));
	assert_string_equal(json_string_value(prfaq_pointer_get(doc, "/foo/0")),
			    "bar");
	assert_string_equal(json_string_value(prfaq_pointer_get(doc, "/foo/1")),
			    "baz");
	expect_int_at(doc, "/", 0);
	expect_int_at(doc, "/a~1b", 1);
	expect_int_at(doc, "/c%d", 2);
	expect_int_at(doc, "/e^f", 3);
	expect_int_at(doc, "/g|h", 4);
	expect_int_at(doc, "/i\\j", 5);
	expect_int_at(doc, "/k\"l", 6);
	expect_int_at(doc, "/ ", 7);
	expect_int_at(doc, "/m~0n", 8);
	json_decref(doc);
}

/* "~01" is "~1" (unescape ~1 first would wrongly give "/"). */
static void
test_pointer_unescape_order(void **state)
{
	const char *text = "{\"~1\": 1, \"/\": 2, \"~\": 3, \"~/\": 4}";
	json_t *doc = parse_ok(text, strlen(text));

	(void)state;
	expect_int_at(doc, "/~01", 1);
	expect_int_at(doc, "/~1", 2);
	expect_int_at(doc, "/~0", 3);
	expect_int_at(doc, "/~0~1", 4);
	json_decref(doc);
}

static void
test_pointer_malformed(void **state)
{
	json_t *doc = rfc6901_doc();

	(void)state;
	assert_null(prfaq_pointer_get(doc, "foo"));   /* no leading "/" */
	assert_null(prfaq_pointer_get(doc, "/m~2n")); /* bad escape */
	assert_null(prfaq_pointer_get(doc, "/m~"));   /* dangling "~" */
	assert_null(prfaq_pointer_get(doc, "/~"));
	assert_null(prfaq_pointer_get(doc, "/missing"));
	assert_null(prfaq_pointer_get(doc, "/a~1b/x"));	 /* into a number */
	assert_null(prfaq_pointer_get(doc, "/foo/0/x")); /* into a string */
	assert_null(prfaq_pointer_get(NULL, ""));
	assert_null(prfaq_pointer_get(doc, NULL));
	json_decref(doc);
}

static void
test_pointer_array_indexes(void **state)
{
	json_t *doc = rfc6901_doc();

	(void)state;
	assert_null(prfaq_pointer_get(doc, "/foo/2"));	/* past the end */
	assert_null(prfaq_pointer_get(doc, "/foo/-"));	/* "-" names nothing */
	assert_null(prfaq_pointer_get(doc, "/foo/01")); /* leading zero */
	assert_null(prfaq_pointer_get(doc, "/foo/+1"));
	assert_null(prfaq_pointer_get(doc, "/foo/-1"));
	assert_null(prfaq_pointer_get(doc, "/foo/1x"));
	assert_null(prfaq_pointer_get(doc, "/foo/")); /* empty token */
	assert_null(prfaq_pointer_get(doc, "/foo/ 1"));
	assert_null(prfaq_pointer_get(doc, "/foo/99999999999999999999999999"));
	assert_non_null(prfaq_pointer_get(doc, "/foo/0"));
	json_decref(doc);
}

static void
test_pointer_nested(void **state)
{
	const char *text =
		"{\"content\": {\"faq\": {\"external\": [{\"q\": \"a\"},"
		" {\"q\": \"b\", \"\": {\"\": 9}}]}}}";
	json_t *doc = parse_ok(text, strlen(text));

	(void)state;
	assert_string_equal(json_string_value(prfaq_pointer_get(
				    doc, "/content/faq/external/1/q")),
			    "b");
	expect_int_at(doc, "/content/faq/external/1//", 9);
	assert_null(prfaq_pointer_get(doc, "/content/faq/external/2/q"));
	json_decref(doc);
}

static void
test_pointer_push_escapes(void **state)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	(void)state;
	assert_int_equal(prfaq_pointer_push(&b, "content"), 0);
	assert_string_equal(b.data, "/content");
	assert_int_equal(prfaq_pointer_push(&b, "a/b"), 0);
	assert_string_equal(b.data, "/content/a~1b");
	assert_int_equal(prfaq_pointer_push(&b, "m~n"), 0);
	assert_string_equal(b.data, "/content/a~1b/m~0n");
	assert_int_equal(prfaq_pointer_push(&b, "~1"), 0);
	assert_string_equal(b.data, "/content/a~1b/m~0n/~01");
	assert_int_equal(prfaq_pointer_push(&b, ""), 0);
	assert_string_equal(b.data, "/content/a~1b/m~0n/~01/");
	prfaq_buf_reset(&b);
	assert_int_equal(prfaq_pointer_push(&b, "~/~/"), 0);
	assert_string_equal(b.data, "/~0~1~0~1");
	assert_int_equal(prfaq_pointer_push(&b, "h\xc3\xa9"), 0);
	assert_string_equal(b.data, "/~0~1~0~1/h\xc3\xa9");
	prfaq_buf_free(&b);
}

static void
test_pointer_push_index(void **state)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	(void)state;
	assert_int_equal(prfaq_pointer_push(&b, "tags"), 0);
	assert_int_equal(prfaq_pointer_push_index(&b, 0), 0);
	assert_string_equal(b.data, "/tags/0");
	assert_int_equal(prfaq_pointer_push_index(&b, 1234), 0);
	assert_string_equal(b.data, "/tags/0/1234");
	assert_int_equal(b.len, strlen("/tags/0/1234"));
	prfaq_buf_free(&b);
}

/* What push builds, get resolves, whatever the key. */
static void
test_pointer_push_get_roundtrip(void **state)
{
	static const char *keys[] = {
		"plain",
		"a/b",
		"m~n",
		"~0",
		"~1",
		"",
		"/",
		"~",
		"//~~",
		"sp ace",
		"\xe2\x82\xac/\xe2\x82\xac",
		"0",
	};
	json_t *doc = json_object(), *inner = json_object();

	(void)state;
	assert_int_equal(json_object_set_new(doc, "outer/~", inner), 0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_int_equal(
			json_object_set_new(inner, keys[i],
					    json_integer((json_int_t)i)),
			0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct prfaq_buf b = PRFAQ_BUF_INIT;

		assert_int_equal(prfaq_pointer_push(&b, "outer/~"), 0);
		assert_int_equal(prfaq_pointer_push(&b, keys[i]), 0);
		expect_int_at(doc, b.data, (json_int_t)i);
		prfaq_buf_free(&b);
	}
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_object),
		cmocka_unit_test(test_parse_scalars),
		cmocka_unit_test(test_parse_uses_length),
		cmocka_unit_test(test_parse_rejects_duplicates),
		cmocka_unit_test(test_parse_rejects_nul),
		cmocka_unit_test(test_parse_rejects_invalid_utf8),
		cmocka_unit_test(test_parse_rejects_out_of_range_numbers),
		cmocka_unit_test(test_parse_rejects_malformed),
		cmocka_unit_test(test_parse_reports_position),
		cmocka_unit_test(test_parse_depth_limit),
		cmocka_unit_test(test_parse_value_limit),
		cmocka_unit_test(test_parse_null_err),
		cmocka_unit_test(test_parse_keeps_first_error),
		cmocka_unit_test(test_pointer_rfc6901_examples),
		cmocka_unit_test(test_pointer_unescape_order),
		cmocka_unit_test(test_pointer_malformed),
		cmocka_unit_test(test_pointer_array_indexes),
		cmocka_unit_test(test_pointer_nested),
		cmocka_unit_test(test_pointer_push_escapes),
		cmocka_unit_test(test_pointer_push_index),
		cmocka_unit_test(test_pointer_push_get_roundtrip),
	};

	prfaq_alloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
