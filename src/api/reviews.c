/*
 * reviews.c - reviews with anchored comments, comment threads, principles
 * (status changes and requested reviewers are in transitions.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "prfaq/content.h"
#include "prfaq/json.h"
#include "prfaq/quality.h"
#include "prfaq/utf8.h"
#include "prfaq/workflow.h"

#define SUMMARY_MAX  20000
#define COMMENTS_MAX 100

/* --- reviews ------------------------------------------------------------ */

struct review_req {
	const struct prfaq_caller *caller;
	const char *verdict;
	const json_t *comments;
};

/* The review's policy, checked against the locked PR/FAQ and version. */
static prfaq_code
review_check(const struct prfaq_review_target *t, void *arg,
	     struct prfaq_error *err)
{
	struct review_req *r = arg;
	enum prfaq_status next;
	size_t i;
	json_t *c;
	prfaq_code rc;

	if (strcasecmp(t->owner_id, r->caller->user_id) == 0)
		return prfaq_error_set(
			err, PRFAQ_EFORBIDDEN,
			"A reviewer may not review their own PR/FAQ");
	if (strcmp(r->verdict, "comment") != 0 &&
	    (rc = prfaq_workflow_apply(t->status, PRFAQ_ACTION_VERDICT, &next,
				       err)) != PRFAQ_OK)
		return rc;
	json_array_foreach(r->comments, i, c) {
		const char *anchor =
			json_string_value(json_object_get(c, "anchor"));
		const char *quote =
			json_string_value(json_object_get(c, "quote"));
		const char *principle =
			json_string_value(json_object_get(c, "principle"));
		char ptr[64];

		snprintf(ptr, sizeof(ptr), "/comments/%zu", i);
		api_anchor_resolve(t->content, t->version, anchor, quote, ptr,
				   err);
		if (principle != NULL) {
			size_t k;
			json_t *s;
			bool known = false;

			json_array_foreach(t->principles, k, s)
				if (json_is_string(s) &&
				    strcmp(json_string_value(s), principle) ==
					    0)
					known = true;
			if (!known) {
				snprintf(ptr, sizeof(ptr),
					 "/comments/%zu/principle", i);
				prfaq_error_add(
					err, ptr,
					"is not a principle slug from /v1/principles");
			}
		}
	}
	return err->code;
}

/* Shape checks that need no database. */
static prfaq_code
review_validate(const json_t *body, int *version, struct prfaq_error *err)
{
	static const char *const allowed[] = { "version", "verdict", "summary",
					       "comments", NULL };
	static const char *const comment_allowed[] = { "anchor", "quote",
						       "body", "principle",
						       NULL };
	const char *verdict =
		json_string_value(json_object_get(body, "verdict"));
	json_t *v = json_object_get(body, "version"), *comments, *c;
	size_t i;

	api_check_members(body, allowed, "", err);
	*version = 0;
	if (v != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > INT_MAX)
			prfaq_error_add(err, "/version",
					"must be a version number");
		else
			*version = (int)json_integer_value(v);
	}
	if (verdict == NULL || (strcmp(verdict, "approve") != 0 &&
				strcmp(verdict, "request_changes") != 0 &&
				strcmp(verdict, "comment") != 0))
		prfaq_error_add(
			err, "/verdict",
			"must be \"approve\", \"request_changes\" or \"comment\"");
	api_check_text_member(body, "summary", true, SUMMARY_MAX,
			      PRFAQ_TEXT_LONG, err, "/summary");
	comments = json_object_get(body, "comments");
	if (comments == NULL)
		return err->code;
	if (!json_is_array(comments) ||
	    json_array_size(comments) > COMMENTS_MAX)
		return prfaq_error_add(err, "/comments",
				       "must be a list of at most %d comments",
				       COMMENTS_MAX);
	json_array_foreach(comments, i, c) {
		char base[48], ptr[64];

		snprintf(base, sizeof(base), "/comments/%zu", i);
		if (!json_is_object(c)) {
			prfaq_error_add(
				err, base,
				"must be an object {anchor, quote?, body, principle?}");
			continue;
		}
		api_check_members(c, comment_allowed, base, err);
		api_anchor_shape(c, true, base, err);
		snprintf(ptr, sizeof(ptr), "%s/body", base);
		api_check_text_member(c, "body", true, SUMMARY_MAX,
				      PRFAQ_TEXT_LONG, err, ptr);
		snprintf(ptr, sizeof(ptr), "%s/principle", base);
		v = json_object_get(c, "principle");
		if (v != NULL && !json_is_string(v))
			prfaq_error_add(err, ptr, "must be a principle slug");
	}
	return err->code;
}

void
api_reviews_create(struct prfaq_request *req)
{
	struct review_req r = { .caller = prfaq_req_caller(req) };
	struct prfaq_text out = { NULL, 0 };
	struct prfaq_error err;
	json_t *body = NULL, *empty = NULL;
	const char *id;
	int version;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (!api_require_role(req, PRFAQ_ROLE_REVIEWER, "post reviews"))
		return;
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK)
		goto fail;
	if (!json_is_object(body)) {
		prfaq_error_add(&err, "", "must be a JSON object");
		goto fail;
	}
	if (review_validate(body, &version, &err) != PRFAQ_OK)
		goto fail;
	r.verdict = json_string_value(json_object_get(body, "verdict"));
	r.comments = json_object_get(body, "comments");
	if (r.comments == NULL)
		r.comments = empty = json_array();
	if (prfaq_store_review_create(
		    api_db(req), id, r.caller, version, r.verdict,
		    json_string_value(json_object_get(body, "summary")),
		    r.comments, review_check, &r, &out, &err) != PRFAQ_OK)
		goto fail;
	api_reply_text(req, 201, &out);
	json_decref(empty);
	json_decref(body);
	return;
fail:
	api_fail(req, &err);
	json_decref(empty);
	json_decref(body);
}

static prfaq_code
reviews_page(struct prfaq_request *req, const void *id,
	     const struct prfaq_page_req *page, struct prfaq_page *out,
	     struct prfaq_error *err)
{
	return prfaq_store_reviews_list(api_db(req), id, page, out, err);
}

void
api_reviews_list(struct prfaq_request *req)
{
	const char *id = api_param_uuid(req, "id", "PR/FAQ");

	if (id != NULL)
		api_list(req, reviews_page, id);
}

static prfaq_code
comments_page(struct prfaq_request *req, const void *id,
	      const struct prfaq_page_req *page, struct prfaq_page *out,
	      struct prfaq_error *err)
{
	return prfaq_store_comments_list(
		api_db(req), id, prfaq_req_query(req, "state"), page, out, err);
}

void
api_comments_list(struct prfaq_request *req)
{
	const char *state = prfaq_req_query(req, "state");
	const char *id;

	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (state != NULL && strcmp(state, "open") != 0 &&
	    strcmp(state, "resolved") != 0) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "state must be open or resolved");
		return;
	}
	api_list(req, comments_page, id);
}

void
api_replies_create(struct prfaq_request *req)
{
	static const char *const allowed[] = { "body", NULL };
	struct prfaq_text out = { NULL, 0 };
	struct prfaq_error err;
	json_t *body = NULL;
	const char *id, *cid;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL ||
	    (cid = api_param_uuid(req, "cid", "comment")) == NULL)
		return;
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK)
		goto fail;
	if (!json_is_object(body)) {
		prfaq_error_add(&err, "",
				"must be a JSON object {\"body\": \"...\"}");
		goto fail;
	}
	api_check_members(body, allowed, "", &err);
	api_check_text_member(body, "body", true, SUMMARY_MAX, PRFAQ_TEXT_LONG,
			      &err, "/body");
	if (err.code != PRFAQ_OK ||
	    prfaq_store_reply_create(
		    api_db(req), id, cid, prfaq_req_caller(req),
		    json_string_value(json_object_get(body, "body")), &out,
		    &err) != PRFAQ_OK)
		goto fail;
	api_reply_text(req, 201, &out);
	json_decref(body);
	return;
fail:
	api_fail(req, &err);
	json_decref(body);
}

static void
resolve(struct prfaq_request *req, bool resolved)
{
	struct prfaq_text out = { NULL, 0 };
	struct prfaq_error err;
	const char *id, *cid;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL ||
	    (cid = api_param_uuid(req, "cid", "comment")) == NULL)
		return;
	if (prfaq_store_comment_resolve(api_db(req), id, cid,
					prfaq_req_caller(req), resolved, &out,
					&err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	api_reply_text(req, 200, &out);
}

void
api_comments_resolve(struct prfaq_request *req)
{
	resolve(req, true);
}

void
api_comments_reopen(struct prfaq_request *req)
{
	resolve(req, false);
}

void
api_principles_list(struct prfaq_request *req)
{
	struct prfaq_page page = { { NULL, 0 }, NULL };
	struct prfaq_error err;

	prfaq_error_init(&err);
	if (prfaq_store_principles_list(api_db(req), &page.items, &err) !=
	    PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	api_reply_page(req, &page);
}
