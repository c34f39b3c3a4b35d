/*
 * reviews.c - the review loop: submit, withdraw, decision, reopen, archive;
 * reviews with anchored comments; comment threads; principles.
 *
 * Status changes go through prfaq_store_prfaq_update() with a mutator that
 * holds the policy: who may act (403), from which status (409, by the
 * workflow table), and the action's own conditions (422 for lint errors on
 * submit, 409 for an approval without a current approving review).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "prfaq/json.h"
#include "prfaq/quality.h"
#include "prfaq/utf8.h"
#include "prfaq/workflow.h"

#define SUMMARY_MAX   20000
#define RATIONALE_MAX 20000
#define COMMENTS_MAX  100
#define REVIEWERS_MAX 20

static bool
is_owner_or_admin(const struct prfaq_current *cur, const struct prfaq_caller *c)
{
	return strcasecmp(cur->owner_id, c->user_id) == 0 ||
	       (c->roles & PRFAQ_ROLE_ADMIN);
}

/*
 * A string member of at most max code points (1.. when required) that
 * passes the text check for its kind.
 */
static void
check_text(const json_t *obj, const char *key, bool required, size_t max,
	   enum prfaq_text_kind kind, struct prfaq_error *err, const char *ptr)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (required)
			prfaq_error_add(err, ptr, "is required");
		return;
	}
	if (!json_is_string(v)) {
		prfaq_error_add(err, ptr, "must be a string");
		return;
	}
	if (prfaq_utf8_length(json_string_value(v), json_string_length(v)) >
	    max)
		prfaq_error_add(err, ptr, "must be at most %zu characters",
				max);
	else if (required && json_string_length(v) == 0)
		prfaq_error_add(err, ptr, "must not be empty");
	else
		api_check_text(v, kind, ptr, err);
}

/* --- status changes ----------------------------------------------------- */

struct transition {
	const struct prfaq_caller *caller;
	enum prfaq_action action;
	const json_t *body;
};

/*
 * The mutator of every status change (submit, withdraw, decide, reopen,
 * archive): who may, from which status, and what the change writes.
 * About 100 lines, flat: one case per action, kept together so the policy of
 * the whole workflow reads in one place beside src/domain/workflow.c.
 */
static prfaq_code
transition_mutate(const struct prfaq_current *cur, void *arg,
		  struct prfaq_change *ch, struct prfaq_error *err)
{
	struct transition *t = arg;
	prfaq_code rc;

	if (t->action == PRFAQ_ACTION_APPROVE ||
	    t->action == PRFAQ_ACTION_REJECT) {
		if (strcasecmp(cur->owner_id, t->caller->user_id) == 0)
			return prfaq_error_set(
				err, PRFAQ_EFORBIDDEN,
				"An approver may not decide on their own PR/FAQ");
	} else if (!is_owner_or_admin(cur, t->caller)) {
		return prfaq_error_set(
			err, PRFAQ_EFORBIDDEN,
			"Only the owner or an admin may %s this PR/FAQ",
			prfaq_action_name(t->action));
	}
	if ((rc = prfaq_workflow_apply(cur->status, t->action, &ch->status,
				       err)) != PRFAQ_OK)
		return rc;

	switch (t->action) {
	case PRFAQ_ACTION_SUBMIT: {
		json_t *errors = prfaq_quality_errors(cur->quality);
		json_t *reviewers = json_object_get(t->body, "reviewers");

		if (errors == NULL)
			return prfaq_error_set(err, PRFAQ_ENOMEM,
					       "Out of memory");
		if (json_array_size(errors) > 0) {
			rc = prfaq_error_set(
				err, PRFAQ_EUNPROCESSABLE,
				"Version %d has %zu quality error(s); fix them before submitting",
				cur->version, json_array_size(errors));
			json_decref(err->extra);
			err->extra = json_pack("{s:o}", "findings", errors);
			return rc;
		}
		json_decref(errors);
		if (reviewers != NULL) {
			size_t i;
			json_t *r;

			json_array_foreach(reviewers, i, r) {
				if (strcasecmp(json_string_value(r),
					       cur->owner_id) == 0) {
					char ptr[32];

					snprintf(ptr, sizeof(ptr),
						 "/reviewers/%zu", i);
					return prfaq_error_add(
						err, ptr,
						"is the owner, who cannot review their own PR/FAQ");
				}
			}
		}
		ch->event = "submitted";
		/* They join the requested reviewers kept on the document. */
		ch->reviewers_add = json_incref(reviewers);
		/* O takes a reference of its own: the empty list must be new, []. */
		ch->event_data =
			reviewers ? json_pack("{s:O}", "reviewers", reviewers) :
				    json_pack("{s:[]}", "reviewers");
		if (ch->event_data == NULL)
			return prfaq_error_set(err, PRFAQ_EINTERNAL,
					       "No event data");
		break;
	}
	case PRFAQ_ACTION_WITHDRAW:
		ch->event = "withdrawn";
		break;
	case PRFAQ_ACTION_APPROVE:
	case PRFAQ_ACTION_REJECT: {
		const char *outcome = t->action == PRFAQ_ACTION_APPROVE ?
					      "approved" :
					      "rejected";
		json_t *rationale = json_object_get(t->body, "rationale");

		if (t->action == PRFAQ_ACTION_APPROVE && cur->approvals == 0)
			return prfaq_error_set(
				err, PRFAQ_ECONFLICT,
				"Approval needs at least one approve review of "
				"the current version (%d) by someone other than the owner: "
				"ask a reviewer for one (POST /v1/prfaqs/{id}/reviews "
				"with verdict approve)",
				cur->version);
		ch->event = "decided";
		ch->event_data = json_pack("{s:s, s:O}", "outcome", outcome,
					   "rationale", rationale);
		ch->decision = json_pack("{s:s, s:O}", "outcome", outcome,
					 "rationale", rationale);
		if (ch->event_data == NULL || ch->decision == NULL)
			return prfaq_error_set(err, PRFAQ_EINTERNAL,
					       "No decision data");
		break;
	}
	case PRFAQ_ACTION_REOPEN:
		ch->event = "reopened";
		ch->clear_decision = true;
		break;
	case PRFAQ_ACTION_ARCHIVE:
		ch->event = "archived";
		break;
	default:
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "Not a transition");
	}
	return PRFAQ_OK;
}

/*
 * Check the list of user ids at body's member key (absent is fine): at most
 * REVIEWERS_MAX distinct ids (in any case), and with need_role every one a
 * user holding the reviewer role.  Errors point at "/key/i".
 */
static prfaq_code
user_ids_validate(struct prfaq_request *req, const json_t *body,
		  const char *key, bool need_role, struct prfaq_error *err)
{
	json_t *reviewers = json_object_get(body, key), *r, *m, *missing = NULL;
	char ptr[48];
	size_t i, j;

	if (reviewers == NULL)
		return err->code;
	if (!json_is_array(reviewers) ||
	    json_array_size(reviewers) > REVIEWERS_MAX) {
		snprintf(ptr, sizeof(ptr), "/%s", key);
		return prfaq_error_add(err, ptr,
				       "must be a list of at most %d user ids",
				       REVIEWERS_MAX);
	}
	json_array_foreach(reviewers, i, r) {
		snprintf(ptr, sizeof(ptr), "/%s/%zu", key, i);
		if (!json_is_string(r) ||
		    !prfaq_uuid_valid(json_string_value(r))) {
			prfaq_error_add(err, ptr, "must be a user id");
			continue;
		}
		/* Ids are the same in any case; an earlier entry may be no string. */
		for (j = 0; j < i; j++) {
			const char *o =
				json_string_value(json_array_get(reviewers, j));

			if (o != NULL &&
			    strcasecmp(json_string_value(r), o) == 0)
				prfaq_error_add(err, ptr, "is listed twice");
		}
	}
	if (err->code != PRFAQ_OK || !need_role)
		return err->code;
	if (prfaq_store_users_lacking_role(api_db(req), reviewers,
					   PRFAQ_ROLE_REVIEWER, &missing,
					   err) != PRFAQ_OK)
		return err->code;
	json_array_foreach(reviewers, i, r) {
		json_array_foreach(missing, j, m) {
			if (strcasecmp(json_string_value(m),
				       json_string_value(r)) == 0) {
				snprintf(ptr, sizeof(ptr), "/%s/%zu", key, i);
				prfaq_error_add(
					err, ptr,
					"is not a user with the reviewer role");
			}
		}
	}
	json_decref(missing);
	return err->code;
}

/* Validate a submit body {reviewers?: [user ids]} (ids must be reviewers). */
static prfaq_code
submit_validate(struct prfaq_request *req, const json_t *body,
		struct prfaq_error *err)
{
	static const char *const allowed[] = { "reviewers", NULL };

	api_check_members(body, allowed, "", err);
	return user_ids_validate(req, body, "reviewers", true, err);
}

static prfaq_code
decision_validate(const json_t *body, enum prfaq_action *action,
		  struct prfaq_error *err)
{
	static const char *const allowed[] = { "outcome", "rationale", NULL };
	const char *outcome =
		json_string_value(json_object_get(body, "outcome"));

	api_check_members(body, allowed, "", err);
	if (outcome != NULL && strcmp(outcome, "approved") == 0)
		*action = PRFAQ_ACTION_APPROVE;
	else if (outcome != NULL && strcmp(outcome, "rejected") == 0)
		*action = PRFAQ_ACTION_REJECT;
	else
		prfaq_error_add(err, "/outcome",
				"must be \"approved\" or \"rejected\"");
	check_text(body, "rationale", true, RATIONALE_MAX, PRFAQ_TEXT_LONG, err,
		   "/rationale");
	return err->code;
}

static void
transition(struct prfaq_request *req, enum prfaq_action action)
{
	static const char *const none[] = { NULL };
	struct transition t = { .caller = prfaq_req_caller(req),
				.action = action };
	struct prfaq_text out = { NULL, 0 };
	struct prfaq_error err;
	json_t *body = NULL;
	const char *id;
	int version = 0;
	prfaq_code rc;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (action == PRFAQ_ACTION_APPROVE &&
	    !api_require_role(req, PRFAQ_ROLE_APPROVER, "record decisions"))
		return;
	if (prfaq_req_json(req, action != PRFAQ_ACTION_APPROVE, &body, &err) !=
	    PRFAQ_OK)
		goto fail;
	if (!json_is_object(body)) {
		prfaq_error_add(&err, "", "must be a JSON object");
		goto fail;
	}
	if (action == PRFAQ_ACTION_SUBMIT)
		submit_validate(req, body, &err);
	else if (action == PRFAQ_ACTION_APPROVE)
		decision_validate(body, &t.action, &err);
	else
		api_check_members(body, none, "", &err);
	if (err.code != PRFAQ_OK)
		goto fail;
	t.body = body;
	rc = prfaq_store_prfaq_update(api_db(req), id, t.caller, 0,
				      transition_mutate, &t, &out, &version,
				      &err);
	api_reply_updated(req, rc, &out, version, &err);
	json_decref(body);
	return;
fail:
	api_fail(req, &err);
	json_decref(body);
}

void
api_prfaqs_submit(struct prfaq_request *req)
{
	transition(req, PRFAQ_ACTION_SUBMIT);
}

void
api_prfaqs_withdraw(struct prfaq_request *req)
{
	transition(req, PRFAQ_ACTION_WITHDRAW);
}

void
api_prfaqs_decision(struct prfaq_request *req)
{
	/* APPROVE stands for "a decision"; the body picks approve or reject. */
	transition(req, PRFAQ_ACTION_APPROVE);
}

void
api_prfaqs_reopen(struct prfaq_request *req)
{
	transition(req, PRFAQ_ACTION_REOPEN);
}

/* --- requested reviewers ------------------------------------------------ */

struct reviewers_ctx {
	const struct prfaq_caller *caller;
	json_t *add, *remove; /* borrowed from the body, or NULL */
};

/*
 * Owner or admin, in draft or in_review; the owner cannot be asked to
 * review their own PR/FAQ (400 at its pointer, as in submit).  The store
 * writes the change and a reviewers_changed event, or nothing at all when
 * every id was already in (add) or not in (remove) the list.
 */
static prfaq_code
reviewers_mutate(const struct prfaq_current *cur, void *arg,
		 struct prfaq_change *ch, struct prfaq_error *err)
{
	struct reviewers_ctx *r = arg;
	size_t i;
	json_t *v;

	if (!is_owner_or_admin(cur, r->caller))
		return prfaq_error_set(
			err, PRFAQ_EFORBIDDEN,
			"Only the owner or an admin may change the reviewers");
	/* Say what to do next where there is something to do. */
	if (cur->status == PRFAQ_STATUS_APPROVED ||
	    cur->status == PRFAQ_STATUS_REJECTED)
		return prfaq_error_set(
			err, PRFAQ_ECONFLICT,
			"The PR/FAQ is %s: reviewers can be changed only in draft "
			"or in_review (reopen it first: POST /v1/prfaqs/%s/reopen)",
			prfaq_status_name(cur->status), cur->id);
	if (cur->status != PRFAQ_STATUS_DRAFT &&
	    cur->status != PRFAQ_STATUS_IN_REVIEW)
		return prfaq_error_set(
			err, PRFAQ_ECONFLICT,
			"The PR/FAQ is %s: reviewers can be changed only in draft "
			"or in_review",
			prfaq_status_name(cur->status));
	json_array_foreach(r->add, i, v) {
		if (strcasecmp(json_string_value(v), cur->owner_id) == 0) {
			char ptr[32];

			snprintf(ptr, sizeof(ptr), "/add/%zu", i);
			return prfaq_error_add(
				err, ptr,
				"is the owner, who cannot review their own PR/FAQ");
		}
	}
	ch->event = "reviewers_changed";
	ch->reviewers_add = json_incref(r->add);
	ch->reviewers_remove = json_incref(r->remove);
	return PRFAQ_OK;
}

/*
 * POST /v1/prfaqs/{id}/reviewers {add?, remove?} -> 200 {reviewers}, the
 * list as the document now shows it.  An id in both lists is a 400: the
 * request would mean two things.
 */
void
api_prfaqs_reviewers(struct prfaq_request *req)
{
	static const char *const allowed[] = { "add", "remove", NULL };
	struct reviewers_ctx r = { .caller = prfaq_req_caller(req) };
	struct prfaq_text out = { NULL, 0 };
	struct prfaq_error err;
	json_t *body = NULL, *doc = NULL, *a, *b;
	const char *id;
	int version = 0;
	size_t i, j;
	prfaq_code rc;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK)
		goto fail;
	if (!json_is_object(body)) {
		prfaq_error_add(&err, "", "must be a JSON object");
		goto fail;
	}
	api_check_members(body, allowed, "", &err);
	user_ids_validate(req, body, "remove", false, &err);
	user_ids_validate(req, body, "add", true, &err);
	if (err.code != PRFAQ_OK)
		goto fail;
	r.add = json_object_get(body, "add");
	r.remove = json_object_get(body, "remove");
	json_array_foreach(r.remove, i, a) {
		json_array_foreach(r.add, j, b) {
			if (strcasecmp(json_string_value(a),
				       json_string_value(b)) == 0) {
				char ptr[32];

				snprintf(ptr, sizeof(ptr), "/remove/%zu", i);
				prfaq_error_add(
					&err, ptr,
					"is also in add: send it in one of them");
			}
		}
	}
	if (err.code != PRFAQ_OK)
		goto fail;
	rc = prfaq_store_prfaq_update(api_db(req), id, r.caller, 0,
				      reviewers_mutate, &r, &out, &version,
				      &err);
	if (rc != PRFAQ_OK)
		goto fail;
	doc = json_loadb(out.data, out.len, 0, NULL);
	if (doc == NULL || !json_is_array(json_object_get(doc, "reviewers"))) {
		prfaq_error_set(&err, PRFAQ_EINTERNAL,
				"The stored document is unreadable");
		goto fail;
	}
	prfaq_reply_json(req, 200,
			 json_pack("{s:O}", "reviewers",
				   json_object_get(doc, "reviewers")));
	goto out;
fail:
	api_fail(req, &err);
out:
	prfaq_text_free(&out);
	json_decref(doc);
	json_decref(body);
}

static prfaq_code
decisions_page(struct prfaq_request *req, const void *id,
	       const struct prfaq_page_req *page, struct prfaq_page *out,
	       struct prfaq_error *err)
{
	return prfaq_store_decisions_list(api_db(req), id, page, out, err);
}

/* GET /v1/prfaqs/{id}/decisions: the history a reopen leaves behind. */
void
api_prfaqs_decisions(struct prfaq_request *req)
{
	const char *id = api_param_uuid(req, "id", "PR/FAQ");

	if (id != NULL)
		api_list(req, decisions_page, id);
}

void
api_prfaqs_archive(struct prfaq_request *req)
{
	transition(req, PRFAQ_ACTION_ARCHIVE);
}

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
	check_text(body, "summary", true, SUMMARY_MAX, PRFAQ_TEXT_LONG, err,
		   "/summary");
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
		check_text(c, "body", true, SUMMARY_MAX, PRFAQ_TEXT_LONG, err,
			   ptr);
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
	check_text(body, "body", true, SUMMARY_MAX, PRFAQ_TEXT_LONG, &err,
		   "/body");
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
