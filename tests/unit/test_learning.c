/*
 * test_learning.c - the rules of a learning (src/domain/learning.c): every
 * problem of a body lands at its pointer, all of them at once, and good
 * bodies pass, up to the limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error_pointers.h"

#include "prfaq/learning.h"

/* Validate the JSON text; the problems' pointers joined by spaces. */
static char *
pointers_of(const char *text, prfaq_code *rc)
{
	json_t *obj = json_loads(
		text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL,
		NULL);
	struct prfaq_error err;
	char *out;

	assert_non_null(obj);
	prfaq_error_init(&err);
	*rc = prfaq_learning_validate(obj, &err);
	out = error_pointers(&err);
	prfaq_error_clear(&err);
	json_decref(obj);
	return out;
}

static void
expect(const char *text, prfaq_code want, const char *pointers)
{
	prfaq_code rc;
	char *got = pointers_of(text, &rc);

	assert_int_equal(rc, want);
	assert_string_equal(got, pointers);
	free(got);
}

static void
test_good(void **state)
{
	(void)state;
	expect("{\"lesson\":\"Say when the money lands\"}", PRFAQ_OK, "");
	expect("{\"lesson\":\"l\",\"expected\":null,\"observed\":null,"
	       "\"tags\":null}",
	       PRFAQ_OK, "");
	expect("{\"expected\":\"a\\tb\",\"observed\":\"line 1\\nline 2\","
	       "\"lesson\":\"l\",\"tags\":[\"refunds\",\"fraud\"]}",
	       PRFAQ_OK, "");
}

static void
test_bad(void **state)
{
	(void)state;
	expect("{}", PRFAQ_EINVAL, "/lesson");
	expect("{\"lesson\":\"\"}", PRFAQ_EINVAL, "/lesson");
	expect("{\"lesson\":true}", PRFAQ_EINVAL, "/lesson");
	expect("{\"lesson\":\"a\\u0000b\"}", PRFAQ_EINVAL, "/lesson");
	expect("{\"lesson\":\"a\\u0085b\"}", PRFAQ_EINVAL, "/lesson");
	/* Every problem at once, in member order then the required one. */
	expect("{\"observed\":\"\",\"expected\":7,\"tags\":[\"x\",\"x\"],"
	       "\"who\":1}",
	       PRFAQ_EINVAL, "/who /expected /observed /lesson /tags/1");
	/* An unknown member's name is escaped in its pointer (RFC 6901). */
	expect("{\"lesson\":\"l\",\"a~/b\":1}", PRFAQ_EINVAL, "/a~0~1b");
	expect("{\"lesson\":\"l\",\"tags\":[\"a\\u2066b\"]}", PRFAQ_EINVAL,
	       "/tags/0");
}

static void
test_not_object(void **state)
{
	(void)state;
	expect("[]", PRFAQ_EINVAL, "");
	expect("\"lesson\"", PRFAQ_EINVAL, "");
}

/* PRFAQ_LEARNING_TEXT_MAX characters (not bytes) is the most. */
static void
test_limits(void **state)
{
	size_t n = PRFAQ_LEARNING_TEXT_MAX + 1;
	char *text = malloc(3 * n + 64), *p;
	(void)state;

	assert_non_null(text);
	p = text + sprintf(text, "{\"lesson\":\"");
	for (size_t i = 0; i < n; i++, p += 3)
		memcpy(p, "\xe2\x82\xac", 3);
	strcpy(p, "\"}");
	expect(text, PRFAQ_EINVAL, "/lesson");
	strcpy(p - 3, "\"}");
	expect(text, PRFAQ_OK, "");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_not_object),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
