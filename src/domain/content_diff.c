/*
 * content_diff.c - structural diff of two documents (see
 * include/prfaq/content.h).
 */
#include "prfaq/content.h"

#include "prfaq/buf.h"
#include "prfaq/json.h"

/*
 * Depth below which prfaq_diff() stops descending and reports a whole
 * subtree as one "replace".  Documents are at most six levels deep
 * (/content/faq/external/0/answer); the bound only protects the stack from
 * arbitrary JSON.
 */
#define DIFF_DEPTH_MAX 64

struct dctx {
	json_t *changes;       /* the array being built; owned by the caller */
	struct prfaq_buf path; /* pointer of the values being compared */
};

/*
 * Append {"path", "op", "from"?, "to"?} at the current path.  from and to are
 * borrowed and deep-copied, so the changes share nothing with the compared
 * documents and outlive them.  Returns 0 or -1 (out of memory).
 */
static int
diff_emit(struct dctx *d, const char *op, const json_t *from, const json_t *to)
{
	json_t *change;

	change = json_object();
	if (change == NULL)
		return -1;
	if (json_object_set_new(
		    change, "path",
		    json_stringn(d->path.data != NULL ? d->path.data : "",
				 d->path.len)) != 0 ||
	    json_object_set_new(change, "op", json_string(op)) != 0 ||
	    (from != NULL &&
	     json_object_set_new(change, "from", json_deep_copy(from)) != 0) ||
	    (to != NULL &&
	     json_object_set_new(change, "to", json_deep_copy(to)) != 0)) {
		json_decref(change);
		return -1;
	}
	return json_array_append_new(d->changes, change);
}

static int
diff_pop(struct dctx *d, size_t mark, int rc)
{
	d->path.len = mark;
	if (d->path.data != NULL)
		d->path.data[mark] = '\0';
	return rc;
}

static int diff_value(struct dctx *d, const json_t *a, const json_t *b,
		      unsigned depth);

/* Two objects: a's members in a's order, then those only in b. */
static int
diff_object(struct dctx *d, const json_t *a, const json_t *b, unsigned depth)
{
	const char *key;
	size_t keylen;
	json_t *av, *bv;

	json_object_keylen_foreach((json_t *)a, key, keylen, av)
	{
		size_t mark = d->path.len;
		int rc;

		if (prfaq_pointer_push(&d->path, key) != 0)
			return diff_pop(d, mark, -1);
		bv = json_object_getn(b, key, keylen);
		if (bv == NULL)
			rc = diff_emit(d, "remove", av, NULL);
		else
			rc = diff_value(d, av, bv, depth + 1);
		if (diff_pop(d, mark, rc) != 0)
			return -1;
	}
	json_object_keylen_foreach((json_t *)b, key, keylen, bv)
	{
		size_t mark = d->path.len;

		if (json_object_getn(a, key, keylen) != NULL)
			continue;
		if (prfaq_pointer_push(&d->path, key) != 0)
			return diff_pop(d, mark, -1);
		if (diff_pop(d, mark, diff_emit(d, "add", NULL, bv)) != 0)
			return -1;
	}
	return 0;
}

/* Two arrays, index by index. */
static int
diff_array(struct dctx *d, const json_t *a, const json_t *b, unsigned depth)
{
	size_t na = json_array_size(a), nb = json_array_size(b);
	size_t n = na < nb ? na : nb;

	for (size_t i = 0; i < n; i++) {
		size_t mark = d->path.len;

		if (prfaq_pointer_push_index(&d->path, i) != 0)
			return diff_pop(d, mark, -1);
		if (diff_pop(d, mark,
			     diff_value(d, json_array_get(a, i),
					json_array_get(b, i), depth + 1)) != 0)
			return -1;
	}
	/* Extra elements of b: each "add" lands at the end, in order. */
	for (size_t i = n; i < nb; i++) {
		size_t mark = d->path.len;

		if (prfaq_pointer_push_index(&d->path, i) != 0)
			return diff_pop(d, mark, -1);
		if (diff_pop(d, mark,
			     diff_emit(d, "add", NULL, json_array_get(b, i))) !=
		    0)
			return -1;
	}
	/*
	 * Missing elements, highest index first: applying the changes in
	 * order then never shifts an index that a later "remove" names.
	 */
	for (size_t i = na; i > n; i--) {
		size_t mark = d->path.len;

		if (prfaq_pointer_push_index(&d->path, i - 1) != 0)
			return diff_pop(d, mark, -1);
		if (diff_pop(d, mark,
			     diff_emit(d, "remove", json_array_get(a, i - 1),
				       NULL)) != 0)
			return -1;
	}
	return 0;
}

/*
 * Compare a and b (borrowed, both non-NULL) at the current path, appending
 * changes.  Recursion is bounded by DIFF_DEPTH_MAX: deeper than that a
 * differing subtree is one "replace", which is still a correct diff, only a
 * coarser one.  Returns 0 or -1 (out of memory).
 */
static int
diff_value(struct dctx *d, const json_t *a, const json_t *b, unsigned depth)
{
	if (depth < DIFF_DEPTH_MAX) {
		if (json_is_object(a) && json_is_object(b))
			return diff_object(d, a, b, depth);
		if (json_is_array(a) && json_is_array(b))
			return diff_array(d, a, b, depth);
	}
	/* Scalars, type changes and the depth limit. */
	if (json_equal(a, b))
		return 0;
	return diff_emit(d, "replace", a, b);
}

/*
 * Structural diff from a to b (both borrowed).  A NULL side is an absent
 * value: NULL to b is one "add" at "", a to NULL one "remove".  The result is
 * a new reference whose values are deep copies; NULL when memory runs out.
 */
json_t *
prfaq_diff(const json_t *a, const json_t *b)
{
	struct dctx d = { NULL, PRFAQ_BUF_INIT };
	json_t *result = NULL;
	int rc;

	if ((d.changes = json_array()) == NULL)
		goto out;
	if (a == NULL && b == NULL)
		rc = 0;
	else if (a == NULL)
		rc = diff_emit(&d, "add", NULL, b);
	else if (b == NULL)
		rc = diff_emit(&d, "remove", a, NULL);
	else
		rc = diff_value(&d, a, b, 0);
	if (rc != 0)
		goto out;
	result = d.changes;
	d.changes = NULL;

out:
	json_decref(d.changes);
	prfaq_buf_free(&d.path);
	return result;
}
