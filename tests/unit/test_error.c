/*
 * test_error.c - the error convention (src/util/error.c), in particular the
 * cap on the validation list: every caller gets it, whatever it adds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "prfaq/error.h"

static const char *
pointer_at(const struct prfaq_error *err, size_t i)
{
	return json_string_value(
		json_object_get(json_array_get(err->errors, i), "pointer"));
}

/* Many problems: the first PRFAQ_ERRORS_MAX are kept, and the rest counted as left out. */
static void
test_add_caps_the_list(void **state)
{
	struct prfaq_error err;
	char ptr[32];

	(void)state;
	prfaq_error_init(&err);
	for (int i = 0; i < PRFAQ_ERRORS_MAX; i++) {
		snprintf(ptr, sizeof(ptr), "/k%d", i);
		assert_int_equal(prfaq_error_add(&err, ptr, "unknown member"),
				 PRFAQ_EINVAL);
	}
	assert_int_equal(json_array_size(err.errors), PRFAQ_ERRORS_MAX);
	assert_false(err.truncated);
	for (int i = PRFAQ_ERRORS_MAX; i < 10000; i++) {
		snprintf(ptr, sizeof(ptr), "/k%d", i);
		assert_int_equal(prfaq_error_add(&err, ptr, "unknown member"),
				 PRFAQ_EINVAL);
	}
	assert_int_equal(json_array_size(err.errors), PRFAQ_ERRORS_MAX);
	assert_true(err.truncated);
	assert_string_equal(pointer_at(&err, 0), "/k0");
	assert_string_equal(pointer_at(&err, PRFAQ_ERRORS_MAX - 1), "/k49");
	assert_int_equal(err.code, PRFAQ_EINVAL);
	prfaq_error_clear(&err);
	assert_null(err.errors);
	assert_false(err.truncated);
}

/* Entries of another shape share the same list and the same cap. */
static void
test_add_entry_shares_the_cap(void **state)
{
	struct prfaq_error err;

	(void)state;
	prfaq_error_init(&err);
	assert_int_equal(prfaq_error_add(&err, "/a", "first"), PRFAQ_EINVAL);
	for (int i = 0; i < 100; i++)
		assert_int_equal(prfaq_error_add_entry(
					 &err, json_pack("{s:i, s:s}", "line",
							 i + 1, "message",
							 "not in the layout")),
				 PRFAQ_EINVAL);
	assert_int_equal(json_array_size(err.errors), PRFAQ_ERRORS_MAX);
	assert_true(err.truncated);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(err.errors, 1), "line")),
			 1);
	prfaq_error_clear(&err);

	/* The first cause wins: entries do not turn a 409 into a 400. */
	prfaq_error_init(&err);
	prfaq_error_set(&err, PRFAQ_ECONFLICT, "taken");
	for (int i = 0; i < 60; i++)
		assert_int_equal(prfaq_error_add(&err, "/x", "m"),
				 PRFAQ_ECONFLICT);
	assert_int_equal(json_array_size(err.errors), PRFAQ_ERRORS_MAX);
	assert_true(err.truncated);
	assert_string_equal(err.detail, "taken");
	prfaq_error_clear(&err);

	/* No error to fill: the entry is released, the verdict still given. */
	assert_int_equal(prfaq_error_add_entry(NULL, json_object()),
			 PRFAQ_EINVAL);
	assert_int_equal(prfaq_error_add(NULL, "/x", "m"), PRFAQ_EINVAL);
	/* An entry that could not be made is out of memory. */
	prfaq_error_init(&err);
	assert_int_equal(prfaq_error_add_entry(&err, NULL), PRFAQ_ENOMEM);
	prfaq_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_caps_the_list),
		cmocka_unit_test(test_add_entry_shares_the_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
