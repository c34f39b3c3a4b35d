/*
 * fuzz_markdown_parse.c - reading a PR/FAQ from arbitrary Markdown.
 *
 * The input is a request body sent as text/markdown.  Beyond not crashing:
 *  - with and without an error to fill, the verdict is the same;
 *  - a refusal holds 1..50 {line, message} entries, lines within the input,
 *    and is truncated only when it holds 50;
 *  - what is read is {title, team?, tags, content} with a line for every
 *    member, and when it is a valid document the round trip holds from
 *    there: its rendering reads back as the same document and renders as
 *    the same text.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "prfaq/buf.h"
#include "prfaq/content.h"
#include "prfaq/json.h"
#include "prfaq/markdown.h"
#include "prfaq/render.h"

/* Lines in data, counting a last line without a line ending. */
static json_int_t
count_lines(const uint8_t *data, size_t size)
{
	json_int_t lines = 1;

	for (size_t i = 0; i < size; i++)
		if (data[i] == '\n' ||
		    (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
			lines++;
	return lines;
}

static void
check_refusal(const struct prfaq_error *err, json_int_t lines)
{
	size_t i;
	json_t *e;

	FUZZ_CHECK(err->code == PRFAQ_EINVAL);
	FUZZ_CHECK(json_is_array(err->errors));
	FUZZ_CHECK(json_array_size(err->errors) >= 1);
	FUZZ_CHECK(json_array_size(err->errors) <= PRFAQ_ERRORS_MAX);
	FUZZ_CHECK(!err->truncated ||
		   json_array_size(err->errors) == PRFAQ_ERRORS_MAX);
	json_array_foreach(err->errors, i, e) {
		json_int_t line =
			json_integer_value(json_object_get(e, "line"));
		const char *msg =
			json_string_value(json_object_get(e, "message"));

		FUZZ_CHECK(line >= 1 && line <= lines);
		FUZZ_CHECK(msg != NULL && msg[0] != '\0');
	}
}

/* Render body and read it back. */
static void
round_trip(const json_t *body)
{
	struct prfaq_buf md = PRFAQ_BUF_INIT, md2 = PRFAQ_BUF_INIT;
	json_t *again = NULL;

	FUZZ_CHECK(prfaq_render_markdown(body, &md) == 0);
	FUZZ_CHECK(prfaq_markdown_parse(md.data, md.len, &again, NULL, NULL) ==
		   PRFAQ_OK);
	FUZZ_CHECK(json_equal(again, body));
	FUZZ_CHECK(prfaq_render_markdown(again, &md2) == 0);
	FUZZ_CHECK(md.len == md2.len && memcmp(md.data, md2.data, md.len) == 0);
	json_decref(again);
	prfaq_buf_free(&md);
	prfaq_buf_free(&md2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prfaq_error err;
	json_t *body = NULL, *lines = NULL, *quiet = NULL, *line;
	const char *ptr;
	prfaq_code rc;

	fuzz_init();
	prfaq_error_init(&err);
	rc = prfaq_markdown_parse((const char *)data, size, &body, &lines,
				  &err);
	FUZZ_CHECK(rc == PRFAQ_OK || rc == PRFAQ_EINVAL);
	FUZZ_CHECK(prfaq_markdown_parse((const char *)data, size, &quiet, NULL,
					NULL) == rc);
	if (rc != PRFAQ_OK) {
		FUZZ_CHECK(body == NULL && lines == NULL && quiet == NULL);
		check_refusal(&err, count_lines(data, size));
		prfaq_error_clear(&err);
		return 0;
	}
	FUZZ_CHECK(json_equal(body, quiet));
	FUZZ_CHECK(json_is_string(json_object_get(body, "title")));
	FUZZ_CHECK(json_is_array(json_object_get(body, "tags")));
	FUZZ_CHECK(json_is_object(json_object_get(body, "content")));
	json_object_foreach(lines, ptr, line) {
		FUZZ_CHECK(prfaq_pointer_get(body, ptr) != NULL);
		FUZZ_CHECK(json_integer_value(line) >= 1 &&
			   json_integer_value(line) <= count_lines(data, size));
	}
	if (prfaq_doc_validate(body, PRFAQ_DOC_REPLACE, NULL) == PRFAQ_OK)
		round_trip(body);
	json_decref(body);
	json_decref(lines);
	json_decref(quiet);
	return 0;
}
