/*
 * error_pointers.h - for unit tests of validators: the pointers of a
 * prfaq_error's entries as one string.  Include after <cmocka.h>.
 */
#ifndef PRFAQ_TEST_ERROR_POINTERS_H
#define PRFAQ_TEST_ERROR_POINTERS_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "prfaq/error.h"

/*
 * The pointers of err's entries joined by spaces ("" for none; malloc'd),
 * each entry asserted to carry a pointer and a message.
 */
static char *
error_pointers(const struct prfaq_error *err)
{
	size_t i, used = 0;
	char *out = calloc(1, 1024);
	json_t *e;

	assert_non_null(out);
	json_array_foreach(err->errors, i, e) {
		const char *p =
			json_string_value(json_object_get(e, "pointer"));

		assert_non_null(p);
		assert_non_null(
			json_string_value(json_object_get(e, "message")));
		used += (size_t)snprintf(out + used, 1024 - used, "%s%s",
					 used > 0 ? " " : "", p);
	}
	return out;
}

#endif
