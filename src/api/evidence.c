/*
 * evidence.c - the voice of the customer: POST/GET /v1/evidence,
 * GET/PATCH /v1/evidence/{id}.  The rules of an item are in
 * src/domain/evidence.c; the SQL in src/db/store_evidence.c.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "prfaq/content.h"
#include "prfaq/evidence.h"
#include "prfaq/utf8.h"

#define Q_MAX 200

void
api_evidence_create(struct prfaq_request *req)
{
	struct prfaq_text t = { NULL, 0 };
	char id[PRFAQ_UUID_LEN + 1], location[64];
	struct prfaq_error err;
	json_t *body = NULL;

	prfaq_error_init(&err);
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK ||
	    prfaq_evidence_validate(body, "", &err) != PRFAQ_OK ||
	    prfaq_store_evidence_create(api_db(req), prfaq_req_caller(req),
					body, &t, id, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	prfaq_metrics_evidence(PRFAQ_EVIDENCE_CREATED, 1);
	snprintf(location, sizeof(location), "/v1/evidence/%s", id);
	prfaq_reply_header(req, "Location", location);
	api_reply_text(req, 201, &t);
out:
	json_decref(body);
}

static prfaq_code
evidence_page(struct prfaq_request *req, const void *arg,
	      const struct prfaq_page_req *page, struct prfaq_page *out,
	      struct prfaq_error *err)
{
	return prfaq_store_evidence_list(api_db_replica(req), arg, page, out,
					 err);
}

/* Is s one of the NULL-terminated set (NULL s: not given, fine)? */
static bool
filter_ok(const char *s, const char *const *set)
{
	if (s == NULL)
		return true;
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

/*
 * The list's filters, each checked before any SQL sees it: a typo in a
 * filter name or value is a 400, never a silently unfiltered list.
 */
void
api_evidence_list(struct prfaq_request *req)
{
	static const char *const kinds[] = { "anecdote", "request", "data",
					     NULL };
	static const char *const sentiments[] = { "negative", "neutral",
						  "positive", NULL };
	static const char *const bools[] = { "true", "false", NULL };
	struct prfaq_evidence_query q = { 0 };
	q.q = prfaq_req_query(req, "q");
	q.kind = prfaq_req_query(req, "kind");
	q.sentiment = prfaq_req_query(req, "sentiment");
	q.source = prfaq_req_query(req, "source");
	q.tag = prfaq_req_query(req, "tag");
	q.linked = prfaq_req_query(req, "linked");
	q.prfaq = prfaq_req_query(req, "prfaq");
	if (!filter_ok(q.kind, kinds)) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "kind must be anecdote, request or data");
		return;
	}
	if (!filter_ok(q.sentiment, sentiments)) {
		prfaq_reply_problem(
			req, PRFAQ_EINVAL,
			"sentiment must be negative, neutral or positive");
		return;
	}
	if (!filter_ok(q.linked, bools)) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "linked must be true or false");
		return;
	}
	if (q.prfaq != NULL && !prfaq_uuid_valid(q.prfaq)) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "prfaq must be a PR/FAQ id");
		return;
	}
	if (q.q != NULL &&
	    (q.q[0] == '\0' || prfaq_utf8_length(q.q, strlen(q.q)) > Q_MAX)) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "q must be 1 to %d characters", Q_MAX);
		return;
	}
	api_list(req, evidence_page, &q);
}

void
api_evidence_get(struct prfaq_request *req)
{
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	const char *id;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "evidence")) == NULL)
		return;
	if (prfaq_store_evidence_get(api_db(req), id, &t, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	api_reply_text(req, 200, &t);
}

/*
 * RFC 7396 on the editable members: the merged object is validated whole,
 * as a POST would be, so a patch can never leave an item no POST could
 * make (a value on an anecdote, no text).  Its creator or an admin only.
 */
void
api_evidence_patch(struct prfaq_request *req)
{
	const struct prfaq_caller *caller = prfaq_req_caller(req);
	char creator[PRFAQ_UUID_LEN + 1];
	struct prfaq_text t = { NULL, 0 };
	json_t *body = NULL, *cur = NULL, *merged = NULL;
	struct prfaq_error err;
	const char *id;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "evidence")) == NULL)
		return;
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK ||
	    prfaq_store_evidence_editable(api_db(req), id, creator, &cur,
					  &err) != PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	if (strcmp(creator, caller->user_id) != 0 &&
	    (caller->roles & PRFAQ_ROLE_ADMIN) == 0) {
		prfaq_reply_problem(req, PRFAQ_EFORBIDDEN,
				    "Only its creator or an admin may change "
				    "an evidence item");
		goto out;
	}
	if (!json_is_object(body)) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "A merge patch for evidence is an object");
		goto out;
	}
	if ((merged = prfaq_merge_patch(cur, body)) == NULL) {
		prfaq_reply_problem(req, PRFAQ_ENOMEM, "Out of memory");
		goto out;
	}
	if (prfaq_evidence_validate(merged, "", &err) != PRFAQ_OK ||
	    prfaq_store_evidence_update(api_db(req), id, merged, &t, &err) !=
		    PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	api_reply_text(req, 200, &t);
out:
	json_decref(merged);
	json_decref(cur);
	json_decref(body);
}

/* --- links from a PR/FAQ ------------------------------------------------ */

struct link_req {
	const char *anchor, *quote;
};

/* The anchor and quote against the locked PR/FAQ's current version. */
static prfaq_code
link_check(const struct prfaq_link_target *t, void *arg,
	   struct prfaq_error *err)
{
	struct link_req *l = arg;

	if (l->anchor != NULL)
		api_anchor_resolve(t->content, t->version, l->anchor, l->quote,
				   "", err);
	return err->code;
}

/*
 * POST /v1/prfaqs/{id}/evidence {evidence_id, anchor?, quote?, note?}:
 * authors, reviewers and admins cite evidence; anchor and quote follow the
 * review comments' rules against the current version.
 */
void
api_prfaq_evidence_link(struct prfaq_request *req)
{
	static const char *const allowed[] = { "evidence_id", "anchor", "quote",
					       "note", NULL };
	const struct prfaq_caller *caller = prfaq_req_caller(req);
	struct prfaq_text t = { NULL, 0 };
	struct link_req l = { NULL, NULL };
	struct prfaq_error err;
	const char *id, *evidence_id;
	json_t *body = NULL, *note;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if ((caller->roles & (PRFAQ_ROLE_AUTHOR | PRFAQ_ROLE_REVIEWER |
			      PRFAQ_ROLE_ADMIN)) == 0) {
		prfaq_reply_problem(req, PRFAQ_EFORBIDDEN,
				    "Linking evidence needs the author, "
				    "reviewer or admin role");
		return;
	}
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK)
		goto fail;
	if (!json_is_object(body)) {
		prfaq_error_add(&err, "", "%s", "must be a JSON object");
		goto fail;
	}
	api_check_members(body, allowed, "", &err);
	evidence_id = json_string_value(json_object_get(body, "evidence_id"));
	if (evidence_id == NULL || !prfaq_uuid_valid(evidence_id))
		prfaq_error_add(&err, "/evidence_id", "%s",
				"is required: an evidence item's id");
	api_anchor_shape(body, false, "", &err);
	note = json_object_get(body, "note");
	if (note != NULL && !json_is_null(note))
		prfaq_content_check_string(note, PRFAQ_STRING_TEXT,
					   PRFAQ_NOTE_MAX, "/note", &err);
	if (err.code != PRFAQ_OK)
		goto fail;
	l.anchor = json_string_value(json_object_get(body, "anchor"));
	l.quote = json_string_value(json_object_get(body, "quote"));
	if (prfaq_store_evidence_link(api_db(req), id, caller, evidence_id,
				      l.anchor, l.quote,
				      json_string_value(note), link_check, &l,
				      &t, &err) != PRFAQ_OK)
		goto fail;
	prfaq_metrics_evidence(PRFAQ_EVIDENCE_LINKED, 1);
	api_reply_text(req, 201, &t);
	json_decref(body);
	return;
fail:
	api_fail(req, &err);
	json_decref(body);
}

static prfaq_code
links_page(struct prfaq_request *req, const void *id,
	   const struct prfaq_page_req *page, struct prfaq_page *out,
	   struct prfaq_error *err)
{
	return prfaq_store_evidence_links(api_db(req), id, page, out, err);
}

void
api_prfaq_evidence_list(struct prfaq_request *req)
{
	const char *id;

	if ((id = api_param_uuid(req, "id", "PR/FAQ")) != NULL)
		api_list(req, links_page, id);
}

void
api_prfaq_evidence_unlink(struct prfaq_request *req)
{
	struct prfaq_error err;
	const char *id, *link_id;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL ||
	    (link_id = api_param_uuid(req, "link_id", "evidence link")) == NULL)
		return;
	if (prfaq_store_evidence_unlink(api_db(req), id, link_id,
					prfaq_req_caller(req),
					&err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	prfaq_metrics_evidence(PRFAQ_EVIDENCE_UNLINKED, 1);
	prfaq_reply_empty(req, 204);
}

/* GET /v1/evidence/tags: what customers talk about, and what is unanswered. */
void
api_evidence_tags(struct prfaq_request *req)
{
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;

	prfaq_error_init(&err);
	if (prfaq_store_evidence_tags(api_db_replica(req), &t, &err) !=
	    PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	api_reply_text(req, 200, &t);
}
