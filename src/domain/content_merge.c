/*
 * content_merge.c - RFC 7396 merge-patch (see include/prfaq/content.h).
 */
#include "prfaq/alloc.h"
#include "prfaq/content.h"

#include <stdbool.h>
#include <stdlib.h>

/* One pending object merge: patch's members go into dst. */
struct merge_frame {
	json_t *dst;	     /* borrowed from the result being built */
	const json_t *patch; /* borrowed from the caller's patch */
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
	struct merge_frame *stack = NULL;
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
	stack = prfaq_malloc(cap * sizeof(*stack));
	stack[pending].dst = result;
	stack[pending].patch = patch;
	pending++;

	while (pending > 0) {
		struct merge_frame fr = stack[--pending];
		const char *key;
		size_t keylen;
		json_t *pv;

		json_object_keylen_foreach((json_t *)fr.patch, key, keylen, pv)
		{
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
				stack = prfaq_realloc(stack,
						      2 * cap * sizeof(*stack));
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
