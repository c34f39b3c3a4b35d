/*
 * learning.c - the rules of a learning (see prfaq/learning.h).  String
 * rules (lengths in code points, the text check of every field, tags) are
 * the document schema's, through prfaq_content_check_string(), so a lesson
 * fails exactly where a PR/FAQ paragraph would.
 */
#include <stdio.h>
#include <string.h>

#include "prfaq/buf.h"
#include "prfaq/content.h"
#include "prfaq/json.h"
#include "prfaq/learning.h"

/*
 * One text member: required or optional (absent or null), never empty (an
 * empty "observed" says nothing; leave it out instead).
 */
static void
check_text(const json_t *body, const char *name, bool required,
	   struct prfaq_error *err)
{
	const json_t *v = json_object_get(body, name);
	char ptr[32];

	snprintf(ptr, sizeof(ptr), "/%s", name);
	if (v == NULL || json_is_null(v)) {
		if (required)
			prfaq_error_add(err, ptr, "%s",
					"is required: what was learned, for "
					"the next PR/FAQ");
		return;
	}
	if (json_is_string(v) && json_string_length(v) == 0) {
		prfaq_error_add(err, ptr, "%s",
				required ? "must not be empty" :
					   "must not be empty (omit it)");
		return;
	}
	prfaq_content_check_string(v, PRFAQ_STRING_TEXT,
				   PRFAQ_LEARNING_TEXT_MAX, ptr, err);
}

prfaq_code
prfaq_learning_validate(const json_t *body, struct prfaq_error *err)
{
	static const char *const members[] = { "expected", "observed", "lesson",
					       "tags", NULL };
	const char *key;
	json_t *v;

	if (!json_is_object(body))
		return prfaq_error_add(err, "", "%s", "must be a JSON object");
	json_object_foreach((json_t *)body, key, v) {
		const char *const *m = members;
		struct prfaq_buf ptr = PRFAQ_BUF_INIT;

		while (*m != NULL && strcmp(*m, key) != 0)
			m++;
		if (*m != NULL)
			continue;
		if (prfaq_pointer_push(&ptr, key) == 0)
			prfaq_error_add(err, ptr.data, "%s",
					"unknown member: a learning has "
					"expected, observed, lesson and tags");
		prfaq_buf_free(&ptr);
	}
	check_text(body, "expected", false, err);
	check_text(body, "observed", false, err);
	check_text(body, "lesson", true, err);
	v = json_object_get(body, "tags");
	if (v != NULL && !json_is_null(v))
		prfaq_content_check_string(v, PRFAQ_STRING_TAGS, 0, "/tags",
					   err);
	return err->code;
}
