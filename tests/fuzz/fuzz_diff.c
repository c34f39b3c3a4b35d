/*
 * fuzz_diff.c - the structural diff on two arbitrary documents.
 *
 * The input is split in two (see fuzz_split) and decoded.  The diff from a to
 * b must be applicable to a change by change (each "from" is the value really
 * there, array adds land at the end, removes take the last element) and must
 * give exactly b; a document against itself gives no changes; the changes
 * share nothing with the inputs.
 */
#include "fuzz_common.h"
#include "prfaq/content.h"

static void
roundtrip(const json_t *a, const json_t *b)
{
	json_t *changes = prfaq_diff(a, b), *applied;

	FUZZ_CHECK(changes != NULL);
	FUZZ_CHECK(json_is_array(changes));
	applied = fuzz_apply_changes(a ? json_deep_copy(a) : NULL, changes);
	if (b == NULL)
		FUZZ_CHECK(applied == NULL);
	else
		FUZZ_CHECK(applied != NULL && json_equal(applied, b));
	json_decref(applied);
	json_decref(changes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *pa, *pb;
	size_t alen, blen;
	json_t *a, *b, *same;

	fuzz_init();
	fuzz_split(data, size, &pa, &alen, &pb, &blen);
	a = fuzz_parse(pa, alen);
	b = fuzz_parse(pb, blen);

	roundtrip(a, b);
	roundtrip(b, a);
	if (a != NULL) {
		same = prfaq_diff(a, a);
		FUZZ_CHECK(same != NULL && json_array_size(same) == 0);
		json_decref(same);
		roundtrip(a, NULL);
		roundtrip(NULL, a);
	}
	json_decref(a);
	json_decref(b);
	return 0;
}
