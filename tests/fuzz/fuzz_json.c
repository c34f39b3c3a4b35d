/*
 * fuzz_json.c - prfaq_json_parse (the decoder every request body goes
 * through) against Jansson's own json_loadb with the same flags.
 *
 * prfaq_json_parse may refuse more (past PRFAQ_JSON_VALUES_MAX values) but
 * must never accept what Jansson refuses, and what it accepts must decode
 * to exactly Jansson's value: same types, same numbers, same bytes in every
 * string and key.  An accepted text never holds more than
 * PRFAQ_JSON_VALUES_MAX values; a refusal leaves *out alone and explains
 * itself.
 */
#include <string.h>

#include "fuzz_common.h"
#include "prfaq/error.h"
#include "prfaq/json.h"

/* Values in v, containers included; stops counting past limit. */
static size_t
count_values(const json_t *v, size_t limit)
{
	size_t n = 1, i;
	const char *key;
	json_t *c;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, c)
			if ((n += count_values(c, limit)) > limit)
				return n;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, c)
			if ((n += count_values(c, limit)) > limit)
				return n;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t sentinel;
	struct prfaq_error err;
	json_error_t jerr;
	json_t *ours = &sentinel, *theirs;
	prfaq_code rc;

	fuzz_init();
	prfaq_error_init(&err);
	rc = prfaq_json_parse((const char *)data, size, &ours, &err);
	theirs = json_loadb((const char *)data, size,
			    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (rc == PRFAQ_OK) {
		FUZZ_CHECK(ours != NULL && ours != &sentinel);
		FUZZ_CHECK(theirs != NULL);
		/* json_equal compares types, numbers and string bytes. */
		FUZZ_CHECK(json_equal(ours, theirs));
		FUZZ_CHECK(count_values(ours, PRFAQ_JSON_VALUES_MAX) <=
			   PRFAQ_JSON_VALUES_MAX);
		FUZZ_CHECK(err.code == PRFAQ_OK);
		json_decref(ours);
	} else {
		FUZZ_CHECK(rc == PRFAQ_EINVAL && err.code == PRFAQ_EINVAL);
		FUZZ_CHECK(ours == &sentinel);
		FUZZ_CHECK(err.detail[0] != '\0');
		/* Only the value limit refuses what Jansson takes. */
		if (theirs != NULL)
			FUZZ_CHECK(strncmp(err.detail, "The JSON has more than",
					   22) == 0);
	}
	json_decref(theirs);
	prfaq_error_clear(&err);
	return 0;
}
