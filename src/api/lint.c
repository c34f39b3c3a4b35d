/*
 * lint.c - POST /v1/lint: the quality report of a content object, or of the
 * content of a PR/FAQ sent as Markdown, stored nowhere (for the live editors
 * of portals).
 */
#include <string.h>

#include "api.h"
#include "prfaq/content.h"
#include "prfaq/markdown.h"
#include "prfaq/quality.h"

void
api_lint(struct prfaq_request *req)
{
	struct prfaq_quality_opts opts;
	struct prfaq_error err;
	json_t *body = NULL, *lines = NULL, *content, *report;
	static const char *const allowed[] = { "content", NULL };

	prfaq_error_init(&err);
	if (api_doc_body(req, &body, &lines, &err) != PRFAQ_OK)
		goto fail;
	if (!json_is_object(body)) {
		prfaq_error_add(&err, "",
				"must be a JSON object {\"content\": {...}}");
		goto fail;
	}
	/* A PR/FAQ in Markdown is read whole; only its content is linted. */
	if (lines == NULL)
		api_check_members(body, allowed, "", &err);
	content = json_object_get(body, "content");
	if (content == NULL)
		prfaq_error_add(&err, "/content", "is required");
	else
		prfaq_content_validate(content, "/content", &err);
	if (err.code != PRFAQ_OK) {
		prfaq_markdown_locate(&err, lines);
		goto fail;
	}
	prfaq_quality_opts_today(&opts);
	report = prfaq_quality_check(content, &opts);
	json_decref(body);
	json_decref(lines);
	if (report == NULL) {
		prfaq_reply_problem(req, PRFAQ_ENOMEM, "Out of memory");
		return;
	}
	prfaq_reply_json(req, 200, report);
	return;
fail:
	json_decref(body);
	json_decref(lines);
	api_fail(req, &err);
}
