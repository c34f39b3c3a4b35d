/*
 * fuzz_common.c - see fuzz_common.h.
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/alloc.h"
#include "prfaq/json.h"

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	abort();
}

void
fuzz_init(void)
{
	/* Jansson's hash seed from the clock would make runs differ. */
	static int done;

	if (!done) {
		prfaq_alloc_init();
		json_object_seed(1);
		done = 1;
	}
}

json_t *
fuzz_parse(const uint8_t *data, size_t size)
{
	json_t *v = NULL;

	if (prfaq_json_parse((const char *)data, size, &v, NULL) != PRFAQ_OK)
		return NULL;
	FUZZ_CHECK(v != NULL);
	return v;
}

void
fuzz_split(const uint8_t *data, size_t size, const uint8_t **a, size_t *a_len,
	   const uint8_t **b, size_t *b_len)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t cut = nul != NULL ? (size_t)(nul - data) : size / 2;

	*a = data;
	*a_len = cut;
	*b = data + cut + (nul != NULL);
	*b_len = size - cut - (nul != NULL);
}

/* RFC 6901 token decoding: ~1 is "/", ~0 is "~". */
static void
unescape_token(const char *src, char *dst)
{
	for (; *src != '\0'; src++) {
		if (src[0] == '~' && (src[1] == '0' || src[1] == '1')) {
			*dst++ = src[1] == '0' ? '~' : '/';
			src++;
		} else {
			FUZZ_CHECK(*src != '~'); /* the diff escapes every ~ */
			*dst++ = *src;
		}
	}
	*dst = '\0';
}

static int
is_op(const char *op, const char *want)
{
	return strcmp(op, want) == 0;
}

json_t *
fuzz_apply_changes(json_t *doc, const json_t *changes)
{
	size_t i;
	json_t *c;

	FUZZ_CHECK(json_is_array(changes));
	json_array_foreach(changes, i, c) {
		const char *path =
			json_string_value(json_object_get(c, "path"));
		const char *op = json_string_value(json_object_get(c, "op"));
		json_t *from = json_object_get(c, "from");
		json_t *to = json_object_get(c, "to");
		char *parent_ptr, *token, *slash;
		json_t *parent, *cur;

		FUZZ_CHECK(path != NULL && op != NULL);
		FUZZ_CHECK(is_op(op, "add") || is_op(op, "remove") ||
			   is_op(op, "replace"));
		/* add has only "to", remove only "from", replace both. */
		FUZZ_CHECK((from != NULL) == !is_op(op, "add"));
		FUZZ_CHECK((to != NULL) == !is_op(op, "remove"));
		if (path[0] == '\0') {
			if (!is_op(op, "add"))
				FUZZ_CHECK(doc != NULL &&
					   json_equal(doc, from));
			else
				FUZZ_CHECK(doc == NULL);
			json_decref(doc);
			doc = is_op(op, "remove") ? NULL : json_deep_copy(to);
			continue;
		}
		FUZZ_CHECK(path[0] == '/');
		parent_ptr = strdup(path);
		token = malloc(strlen(path) + 1);
		FUZZ_CHECK(parent_ptr != NULL && token != NULL);
		slash = strrchr(parent_ptr, '/');
		*slash = '\0';
		unescape_token(slash + 1, token);
		parent = prfaq_pointer_get(doc, parent_ptr);
		FUZZ_CHECK(parent != NULL);
		if (json_is_object(parent)) {
			cur = json_object_get(parent, token);
			if (is_op(op, "add")) {
				FUZZ_CHECK(cur == NULL);
				json_object_set_new(parent, token,
						    json_deep_copy(to));
			} else {
				FUZZ_CHECK(cur != NULL &&
					   json_equal(cur, from));
				if (is_op(op, "remove"))
					json_object_del(parent, token);
				else
					json_object_set_new(parent, token,
							    json_deep_copy(to));
			}
		} else {
			char *end;
			size_t idx = strtoul(token, &end, 10);

			FUZZ_CHECK(json_is_array(parent));
			FUZZ_CHECK(token[0] != '\0' && *end == '\0');
			if (is_op(op, "add")) {
				/* Adds land at the current end, in order. */
				FUZZ_CHECK(idx == json_array_size(parent));
				json_array_append_new(parent,
						      json_deep_copy(to));
			} else {
				FUZZ_CHECK(json_equal(
					json_array_get(parent, idx), from));
				if (is_op(op, "remove")) {
					/* Removes take the last element. */
					FUZZ_CHECK(idx + 1 ==
						   json_array_size(parent));
					json_array_remove(parent, idx);
				} else {
					json_array_set_new(parent, idx,
							   json_deep_copy(to));
				}
			}
		}
		free(parent_ptr);
		free(token);
	}
	return doc;
}
