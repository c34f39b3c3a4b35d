/*
 * test_evidence.c - the rules of an evidence item and of an NDJSON import
 * line (src/domain/evidence.c): each bad input lands at its pointer, good
 * ones pass, and an import line's errors carry its line number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error_pointers.h"

#include "prfaq/buf.h"
#include "prfaq/evidence.h"

/* Validate the JSON text; the problems' pointers joined by spaces. */
static char *
pointers_of(const char *text, prfaq_code *rc)
{
	json_t *obj = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	struct prfaq_error err;
	char *out;

	assert_non_null(obj);
	prfaq_error_init(&err);
	*rc = prfaq_evidence_validate(obj, "", &err);
	out = error_pointers(&err);
	prfaq_error_clear(&err);
	json_decref(obj);
	return out;
}

static void
expect_bad(const char *text, const char *pointers)
{
	prfaq_code rc;
	char *got = pointers_of(text, &rc);

	assert_int_equal(rc, PRFAQ_EINVAL);
	assert_string_equal(got, pointers);
	free(got);
}

static void
expect_good(const char *text)
{
	prfaq_code rc;
	char *got = pointers_of(text, &rc);

	assert_string_equal(got, "");
	assert_int_equal(rc, PRFAQ_OK);
	free(got);
}

static void
test_good_items(void **state)
{
	(void)state;
	expect_good("{\"kind\":\"anecdote\",\"text\":\"I lose my work.\"}");
	expect_good(
		"{\"kind\":\"data\",\"text\":\"Churn\",\"value\":4.2,"
		"\"unit\":\"%\",\"sentiment\":\"negative\","
		"\"source\":\"survey\",\"source_ref\":\"q3-7\","
		"\"url\":\"https://example.com/s?id=7\","
		"\"customer\":{\"segment\":\"SMB\",\"name\":\"Acme\"},"
		"\"observed_on\":\"2024-02-29\",\"tags\":[\"sync\",\"ux\"]}");
	/* null is "not given" for every optional member (merge-patch). */
	expect_good("{\"kind\":\"request\",\"text\":\"Line 1\\nLine 2\\t.\","
		    "\"sentiment\":null,\"url\":null,\"tags\":null,"
		    "\"customer\":null,\"value\":null}");
}

static void
test_bad_enums(void **state)
{
	(void)state;
	expect_bad("{\"kind\":\"rumour\",\"text\":\"x\"}", "/kind");
	expect_bad("{\"text\":\"x\"}", "/kind");
	expect_bad(
		"{\"kind\":\"anecdote\",\"text\":\"x\",\"sentiment\":\"angry\"}",
		"/sentiment");
	expect_bad("{\"kind\":\"anecdote\",\"text\":\"x\",\"sentiment\":1}",
		   "/sentiment");
}

static void
test_measure_only_for_data(void **state)
{
	(void)state;
	expect_bad("{\"kind\":\"anecdote\",\"text\":\"x\",\"value\":3}",
		   "/value");
	expect_bad("{\"kind\":\"request\",\"text\":\"x\",\"unit\":\"ms\"}",
		   "/unit");
	expect_bad("{\"kind\":\"data\",\"text\":\"x\",\"value\":\"3\"}",
		   "/value");
	expect_bad("{\"kind\":\"data\",\"text\":\"x\",\"unit\":\"\"}", "/unit");
}

static void
test_bad_strings(void **state)
{
	char *big = malloc(4001 + 64);
	size_t n;
	(void)state;

	assert_non_null(big);
	expect_bad("{\"kind\":\"anecdote\",\"text\":\"\"}", "/text");
	expect_bad("{\"kind\":\"anecdote\"}", "/text");
	expect_bad("{\"kind\":\"anecdote\",\"text\":\"bell\\u0007\"}", "/text");
	expect_bad("{\"kind\":\"anecdote\",\"text\":\"c1\\u0085\"}", "/text");
	expect_bad("{\"kind\":\"anecdote\",\"text\":7}", "/text");
	strcpy(big, "{\"kind\":\"anecdote\",\"text\":\"");
	n = strlen(big);
	memset(big + n, 'a', 4001);
	strcpy(big + n + 4001, "\"}");
	expect_bad(big, "/text");
	/* 4,000 is the limit. */
	strcpy(big + n + 4000, "\"}");
	expect_good(big);
	free(big);
	expect_bad(
		"{\"kind\":\"anecdote\",\"text\":\"x\",\"url\":\"ftp://a.example/\"}",
		"/url");
	expect_bad(
		"{\"kind\":\"anecdote\",\"text\":\"x\",\"url\":\"javascript:alert(1)\"}",
		"/url");
	expect_bad("{\"kind\":\"anecdote\",\"text\":\"x\",\"url\":\"\"}",
		   "/url");
	expect_bad(
		"{\"kind\":\"anecdote\",\"text\":\"x\",\"observed_on\":\"2023-02-29\"}",
		"/observed_on");
	expect_bad(
		"{\"kind\":\"anecdote\",\"text\":\"x\",\"source\":\"a\\nb\"}",
		"/source");
	expect_bad(
		"{\"kind\":\"anecdote\",\"text\":\"x\",\"tags\":[\"a\",\"a\"]}",
		"/tags/1");
	expect_bad(
		"{\"kind\":\"anecdote\",\"text\":\"x\",\"customer\":\"Acme\"}",
		"/customer");
	expect_bad(
		"{\"kind\":\"anecdote\",\"text\":\"x\",\"customer\":{\"id\":1}}",
		"/customer/id");
	expect_bad("{\"kind\":\"anecdote\",\"text\":\"x\",\"links\":3}",
		   "/links");
}

static void
test_import_line(void **state)
{
	const char good[] = "{\"kind\":\"request\",\"text\":\"Export\","
			    "\"source\":\"zendesk\",\"source_ref\":\"T-1\"}";
	const char nokey[] = "{\"kind\":\"request\",\"text\":\"Export\"}";
	const char bad[] = "{\"kind\":\"request\",\"text\":\"E\","
			   "\"value\":1}";
	struct prfaq_error err;
	json_t *obj = NULL, *e;
	(void)state;

	prfaq_error_init(&err);
	assert_int_equal(prfaq_evidence_parse_line(good, strlen(good), 1, &obj,
						   &err),
			 PRFAQ_OK);
	assert_non_null(obj);
	assert_string_equal(
		json_string_value(json_object_get(obj, "source_ref")), "T-1");
	json_decref(obj);
	obj = NULL;

	/* Not JSON: one error at the line, pointer "". */
	assert_int_equal(prfaq_evidence_parse_line("{\"kind\":", 8, 7, &obj,
						   &err),
			 PRFAQ_EINVAL);
	assert_null(obj);
	e = json_array_get(err.errors, 0);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 7);
	assert_string_equal(json_string_value(json_object_get(e, "pointer")),
			    "");

	/* No upsert key: fine, such a line is created every time. */
	prfaq_error_clear(&err);
	assert_int_equal(prfaq_evidence_parse_line(nokey, strlen(nokey), 9,
						   &obj, &err),
			 PRFAQ_OK);
	json_decref(obj);
	obj = NULL;

	/* A bad member: its pointer, with the line. */
	assert_int_equal(prfaq_evidence_parse_line(bad, strlen(bad), 4, &obj,
						   &err),
			 PRFAQ_EINVAL);
	assert_null(obj);
	e = json_array_get(err.errors, 0);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 4);
	assert_string_equal(json_string_value(json_object_get(e, "pointer")),
			    "/value");
	prfaq_error_clear(&err);
}

/* The entry of err at i: its line and pointer. */
static void
assert_entry(const struct prfaq_error *err, size_t i, long line,
	     const char *pointer)
{
	json_t *e = json_array_get(err->errors, i);

	assert_non_null(e);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), line);
	assert_string_equal(json_string_value(json_object_get(e, "pointer")),
			    pointer);
}

static void
test_import_body(void **state)
{
	const char good[] =
		"{\"kind\":\"request\",\"text\":\"a\",\"source\":\"z\","
		"\"source_ref\":\"1\"}\r\n"
		"  \t\n"
		"{\"kind\":\"request\",\"text\":\"b\",\"source\":\"z\","
		"\"source_ref\":\"2\"}\n"
		"{\"kind\":\"request\",\"text\":\"c\"}\n"
		"{\"kind\":\"request\",\"text\":\"d\"}";
	const char dup[] =
		"{\"kind\":\"request\",\"text\":\"a\",\"source\":\"z\","
		"\"source_ref\":\"1\"}\n"
		"{\"kind\":\"nope\",\"text\":\"b\"}\n"
		"\n"
		"{\"kind\":\"data\",\"text\":\"c\",\"source\":\"z\","
		"\"source_ref\":\"1\"}\n";
	struct prfaq_error err;
	struct prfaq_buf many = PRFAQ_BUF_INIT;
	json_t *items = NULL;
	(void)state;

	prfaq_error_init(&err);
	assert_int_equal(prfaq_evidence_import_parse(good, strlen(good), &items,
						     &err),
			 PRFAQ_OK);
	assert_int_equal(json_array_size(items), 4);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(items, 1), "text")),
			    "b");
	json_decref(items);
	items = NULL;

	/* A bad kind at line 2, the key of line 1 again at line 4. */
	assert_int_equal(prfaq_evidence_import_parse(dup, strlen(dup), &items,
						     &err),
			 PRFAQ_EINVAL);
	assert_null(items);
	assert_int_equal(json_array_size(err.errors), 2);
	assert_entry(&err, 0, 2, "/kind");
	assert_entry(&err, 1, 4, "/source_ref");
	prfaq_error_clear(&err);

	/* Nothing but blank lines: no evidence. */
	assert_int_equal(prfaq_evidence_import_parse("\n \n", 3, &items, &err),
			 PRFAQ_EINVAL);
	assert_null(err.errors);
	prfaq_error_clear(&err);

	/* 10,000 lines are fine, 10,001 are not (at line 10,001). */
	for (int i = 0; i < PRFAQ_EVIDENCE_IMPORT_LINES; i++)
		prfaq_buf_puts(&many,
			       "{\"kind\":\"request\",\"text\":\"x\"}\n");
	assert_int_equal(prfaq_evidence_import_parse(many.data, many.len,
						     &items, &err),
			 PRFAQ_OK);
	assert_int_equal(json_array_size(items), PRFAQ_EVIDENCE_IMPORT_LINES);
	json_decref(items);
	items = NULL;
	prfaq_buf_puts(&many, "{\"kind\":\"request\",\"text\":\"x\"}\n");
	assert_int_equal(prfaq_evidence_import_parse(many.data, many.len,
						     &items, &err),
			 PRFAQ_EINVAL);
	assert_entry(&err, 0, PRFAQ_EVIDENCE_IMPORT_LINES + 1, "");
	prfaq_error_clear(&err);

	/* Every line bad: the list stops at its cap, marked truncated. */
	prfaq_buf_free(&many);
	for (int i = 0; i < 200; i++)
		prfaq_buf_puts(&many, "{\"kind\":\"x\",\"text\":\"x\"}\n");
	assert_int_equal(prfaq_evidence_import_parse(many.data, many.len,
						     &items, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(json_array_size(err.errors), PRFAQ_ERRORS_MAX);
	assert_true(err.truncated);
	prfaq_error_clear(&err);
	prfaq_buf_free(&many);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_items),
		cmocka_unit_test(test_bad_enums),
		cmocka_unit_test(test_measure_only_for_data),
		cmocka_unit_test(test_bad_strings),
		cmocka_unit_test(test_import_line),
		cmocka_unit_test(test_import_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
