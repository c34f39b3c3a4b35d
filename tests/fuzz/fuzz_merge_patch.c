/*
 * fuzz_merge_patch.c - RFC 7396 merge-patch on two arbitrary documents.
 *
 * The input is split in two (see fuzz_split): a target and a patch, each
 * decoded like a request body.  prfaq_merge_patch() (iterative) is checked
 * against the RFC's recursive pseudo-code written out here, and for the
 * properties the server relies on: neither argument changes, the result
 * shares nothing with them, applying the same patch twice changes nothing
 * more, and the merged body can be validated (as PATCH does).
 */
#include <string.h>

#include "fuzz_common.h"
#include "prfaq/content.h"

/* RFC 7396 section 2, literally. */
static json_t *
reference_merge(const json_t *target, const json_t *patch)
{
	const char *key;
	json_t *result, *value;

	if (!json_is_object(patch))
		return json_deep_copy(patch);
	result = json_is_object(target) ? json_deep_copy(target) :
					  json_object();
	json_object_foreach((json_t *)patch, key, value) {
		if (json_is_null(value)) {
			json_object_del(result, key);
		} else {
			json_t *merged = reference_merge(
				json_object_get(result, key), value);

			json_object_set_new(result, key, merged);
		}
	}
	return result;
}

/* Does any container of a appear (by address) inside b? */
static int
shares(const json_t *a, const json_t *b)
{
	const char *key;
	json_t *v;
	size_t i;

	if (a == b && (json_is_object(a) || json_is_array(a)))
		return 1;
	if (json_is_object(b)) {
		json_object_foreach((json_t *)b, key, v)
			if (shares(a, v))
				return 1;
	} else if (json_is_array(b)) {
		json_array_foreach(b, i, v)
			if (shares(a, v))
				return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *a, *b;
	size_t alen, blen;
	json_t *target, *patch, *target0, *patch0, *result, *again, *ref;

	fuzz_init();
	fuzz_split(data, size, &a, &alen, &b, &blen);
	target = fuzz_parse(a, alen);
	patch = fuzz_parse(b, blen);
	if (patch == NULL) {
		json_decref(target);
		return 0;
	}
	target0 = json_deep_copy(target);
	patch0 = json_deep_copy(patch);

	result = prfaq_merge_patch(target, patch);
	FUZZ_CHECK(result != NULL);
	FUZZ_CHECK(json_equal(target, target0) ||
		   (target == NULL && target0 == NULL));
	FUZZ_CHECK(json_equal(patch, patch0));
	FUZZ_CHECK(!shares(result, patch) && !shares(patch, result));
	if (target != NULL)
		FUZZ_CHECK(!shares(result, target) && !shares(target, result));

	ref = reference_merge(target, patch);
	FUZZ_CHECK(json_equal(result, ref));

	/* Idempotent: the same patch again changes nothing. */
	again = prfaq_merge_patch(result, patch);
	FUZZ_CHECK(again != NULL && json_equal(again, result));

	/* What PATCH does next: validate the merged body. */
	(void)prfaq_doc_validate(result, PRFAQ_DOC_MERGED, NULL);

	json_decref(again);
	json_decref(ref);
	json_decref(result);
	json_decref(target);
	json_decref(target0);
	json_decref(patch);
	json_decref(patch0);
	return 0;
}
