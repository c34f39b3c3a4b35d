/*
 * fuzz_content.c - the document and content validators on arbitrary bytes.
 *
 * The input is decoded as the server decodes a request body, then validated
 * in every mode and as a bare content object.  Beyond not crashing:
 *  - with and without an error to fill, the verdict is the same;
 *  - a valid body reports no entries, an invalid one 1..PRFAQ_ERRORS_MAX
 *    entries (truncated only when full), each {pointer, message} with a
 *    pointer that names the value at fault (its parent for "is required").
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "prfaq/content.h"
#include "prfaq/error.h"
#include "prfaq/json.h"

static void
check_entries(const json_t *root, const char *base, prfaq_code rc,
	      const struct prfaq_error *err)
{
	size_t blen = strlen(base), i;
	json_t *e;

	if (rc == PRFAQ_OK) {
		FUZZ_CHECK(err->errors == NULL ||
			   json_array_size(err->errors) == 0);
		return;
	}
	FUZZ_CHECK(rc == PRFAQ_EINVAL);
	FUZZ_CHECK(err->code == PRFAQ_EINVAL);
	FUZZ_CHECK(json_is_array(err->errors));
	FUZZ_CHECK(json_array_size(err->errors) >= 1);
	FUZZ_CHECK(json_array_size(err->errors) <= PRFAQ_ERRORS_MAX);
	FUZZ_CHECK(!err->truncated ||
		   json_array_size(err->errors) == PRFAQ_ERRORS_MAX);
	json_array_foreach(err->errors, i, e) {
		const char *ptr =
			json_string_value(json_object_get(e, "pointer"));
		const char *msg =
			json_string_value(json_object_get(e, "message"));
		const char *rel;

		FUZZ_CHECK(ptr != NULL && msg != NULL && msg[0] != '\0');
		FUZZ_CHECK(strncmp(ptr, base, blen) == 0);
		rel = ptr + blen;
		FUZZ_CHECK(rel[0] == '\0' || rel[0] == '/');
		if (strcmp(msg, "is required") == 0) {
			char parent[64];
			const char *slash = strrchr(rel, '/');

			FUZZ_CHECK(slash != NULL &&
				   (size_t)(slash - rel) < sizeof(parent));
			snprintf(parent, sizeof(parent), "%.*s",
				 (int)(slash - rel), rel);
			FUZZ_CHECK(prfaq_pointer_get(root, parent) != NULL);
			FUZZ_CHECK(prfaq_pointer_get(root, rel) == NULL);
		} else {
			FUZZ_CHECK(prfaq_pointer_get(root, rel) != NULL);
		}
	}
}

static void
validate_doc(const json_t *body, enum prfaq_doc_mode mode)
{
	struct prfaq_error err;
	prfaq_code rc, quiet;

	prfaq_error_init(&err);
	rc = prfaq_doc_validate(body, mode, &err);
	check_entries(body, "", rc, &err);
	prfaq_error_clear(&err);
	quiet = prfaq_doc_validate(body, mode, NULL);
	FUZZ_CHECK(quiet == rc);
}

static void
validate_content(const json_t *content, const char *base)
{
	struct prfaq_error err;
	prfaq_code rc, quiet;

	prfaq_error_init(&err);
	rc = prfaq_content_validate(content, base, &err);
	check_entries(content, base ? base : "", rc, &err);
	prfaq_error_clear(&err);
	quiet = prfaq_content_validate(content, base, NULL);
	FUZZ_CHECK(quiet == rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *v;

	fuzz_init();
	v = fuzz_parse(data, size);
	if (v == NULL)
		return 0;
	validate_doc(v, PRFAQ_DOC_CREATE);
	validate_doc(v, PRFAQ_DOC_REPLACE);
	validate_doc(v, PRFAQ_DOC_MERGED);
	validate_content(v, "/content");
	validate_content(v, NULL);
	/* A body's content member, as /v1/lint and the store see it. */
	if (json_object_get(v, "content") != NULL)
		validate_content(json_object_get(v, "content"), "/content");
	json_decref(v);
	return 0;
}
