/*
 * test_negotiate.c - the header parsers of src/http/negotiate.c: If-Match,
 * If-None-Match and Accept.  negotiate.c reads headers only through
 * prfaq_req_header(), which this file provides over a table of its own, so
 * no server is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"

static const char *accept_value, *if_match_value;

/* The request's headers: just Accept and If-Match, from the globals above. */
const char *
prfaq_req_header(const struct prfaq_request *req, const char *name)
{
	(void)req;
	if (strcasecmp(name, "Accept") == 0)
		return accept_value;
	if (strcasecmp(name, "If-Match") == 0)
		return if_match_value;
	return NULL;
}

static struct prfaq_request *const req; /* never looked at */

/* Classify value as If-Match; *version is -7 when it was left alone. */
static enum prfaq_if_match
if_match(const char *value, int *version)
{
	if_match_value = value;
	*version = -7;
	return prfaq_req_if_match(req, version);
}

static void
test_if_match_version(void **state)
{
	int v;

	assert_int_equal(if_match("\"3\"", &v), PRFAQ_IF_MATCH_VERSION);
	assert_int_equal(v, 3);
	assert_int_equal(if_match(" \t\"12\" ", &v), PRFAQ_IF_MATCH_VERSION);
	assert_int_equal(v, 12);
	assert_int_equal(if_match("\"2147483647\"", &v),
			 PRFAQ_IF_MATCH_VERSION);
	assert_int_equal(v, INT_MAX);
}

static void
test_if_match_absent_and_any(void **state)
{
	int v;

	assert_int_equal(if_match(NULL, &v), PRFAQ_IF_MATCH_ABSENT);
	assert_int_equal(v, -7);
	assert_int_equal(if_match("*", &v), PRFAQ_IF_MATCH_ANY);
	assert_int_equal(if_match(" * ", &v), PRFAQ_IF_MATCH_ANY);
	assert_int_equal(v, -7);
}

/* Entity tags that name no version: they can only ever fail to match. */
static void
test_if_match_other(void **state)
{
	static const char *const other[] = {
		"W/\"1\"", /* weak: If-Match compares strongly */
		"\"0\"",   /* versions start at 1 */
		"\"-3\"",
		"\"2147483648\"", /* not an int */
		"\"1.md\"",	  /* a rendering's tag */
		"\"abc\"",
		"\"\"",
		"\"1\", \"2\"",	     /* a list */
		"\"1\",,W/\"2\" , ", /* empty list elements are allowed */
	};
	int v;

	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		assert_int_equal(if_match(other[i], &v), PRFAQ_IF_MATCH_OTHER);
		assert_int_equal(v, -7);
	}
}

/* Not entity-tag syntax at all (the contract will make these 400). */
static void
test_if_match_malformed(void **state)
{
	static const char *const malformed[] = {
		"2",				   /* unquoted */
		"",	    "  ",      ",", "\"1", /* unterminated */
		"\"1\" 2",  "\"a b\"",		   /* a space is not an etagc */
		"w/\"1\"",			   /* W/ is case-sensitive */
		"*, \"1\"", "**",
	};
	int v;

	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		assert_int_equal(if_match(malformed[i], &v),
				 PRFAQ_IF_MATCH_MALFORMED);
		assert_int_equal(v, -7);
	}
}

static void
test_etag_matches(void **state)
{
	assert_true(prfaq_etag_matches("\"3\"", 3, ""));
	assert_true(prfaq_etag_matches("W/\"3\"", 3, ""));
	assert_true(prfaq_etag_matches("\"1\", \"3.md\"", 3, ".md"));
	assert_true(prfaq_etag_matches("*", 9, ".html"));
	assert_false(prfaq_etag_matches(NULL, 3, ""));
	assert_false(prfaq_etag_matches("\"3\"", 3, ".md"));
	assert_false(prfaq_etag_matches("\"3.md\"", 3, ""));
	assert_false(prfaq_etag_matches("\"4\"", 3, ""));
}

static void
test_negotiate(void **state)
{
	static const char *const offers[] = {
		"application/json",
		"text/markdown",
		"text/html",
	};

	accept_value = NULL;
	assert_int_equal(prfaq_req_negotiate(req, offers, 3), 0);
	accept_value = "text/html";
	assert_int_equal(prfaq_req_negotiate(req, offers, 3), 2);
	accept_value = "text/*;q=0.5, text/markdown";
	assert_int_equal(prfaq_req_negotiate(req, offers, 3), 1);
	accept_value = "*/*";
	assert_int_equal(prfaq_req_negotiate(req, offers, 3), 0);
	accept_value = "image/png";
	assert_int_equal(prfaq_req_negotiate(req, offers, 3), -1);
	accept_value = "text/html;q=0, */*;q=0.1";
	assert_int_equal(prfaq_req_negotiate(req, offers, 3), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_if_match_version),
		cmocka_unit_test(test_if_match_absent_and_any),
		cmocka_unit_test(test_if_match_other),
		cmocka_unit_test(test_if_match_malformed),
		cmocka_unit_test(test_etag_matches),
		cmocka_unit_test(test_negotiate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
