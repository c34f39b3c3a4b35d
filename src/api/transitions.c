/*
 * transitions.c - a PR/FAQ's status changes (submit, withdraw, decision,
 * reopen, archive, launch), its requested reviewers and its decisions.
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
#include "prfaq/content.h"
#include "prfaq/json.h"
#include "prfaq/quality.h"
#include "prfaq/utf8.h"
#include "prfaq/workflow.h"

#define RATIONALE_MAX 20000
#define REVIEWERS_MAX 20

static bool
is_owner_or_admin(const struct prfaq_current *cur, const struct prfaq_caller *c)
{
	return strcasecmp(cur->owner_id, c->user_id) == 0 ||
	       (c->roles & PRFAQ_ROLE_ADMIN);
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
	case PRFAQ_ACTION_LAUNCH:
		ch->event = "launched";
		ch->launch = json_deep_copy(t->body);
		ch->event_data = json_deep_copy(t->body);
		if (ch->launch == NULL || ch->event_data == NULL)
			return prfaq_error_set(err, PRFAQ_ENOMEM,
					       "Out of memory");
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
	api_check_text_member(body, "rationale", true, RATIONALE_MAX,
			      PRFAQ_TEXT_LONG, err, "/rationale");
	return err->code;
}

/*
 * A launch body {launched_on?, note?}, completed in place: launched_on is
 * a real date and defaults to today (UTC); the body becomes the document's
 * launch: {on, note?} (the store adds who launched).
 */
static prfaq_code
launch_validate(json_t *body, struct prfaq_error *err)
{
	static const char *const allowed[] = { "launched_on", "note", NULL };
	json_t *on = json_object_get(body, "launched_on");
	struct prfaq_quality_opts today;

	api_check_members(body, allowed, "", err);
	if (on != NULL) {
		if (json_is_string(on) && json_string_length(on) == 0)
			prfaq_error_add(err, "/launched_on",
					"must be a date in YYYY-MM-DD form");
		else
			prfaq_content_check_string(on, PRFAQ_STRING_DATE, 0,
						   "/launched_on", err);
	}
	api_check_text_member(body, "note", false, PRFAQ_NOTE_MAX,
			      PRFAQ_TEXT_LONG, err, "/note");
	if (err->code != PRFAQ_OK)
		return err->code;
	if (on == NULL) {
		prfaq_quality_opts_today(&today);
		on = json_string(today.today);
	} else {
		json_incref(on);
	}
	if (on == NULL || json_object_set_new(body, "on", on) != 0)
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	/* absent when it defaulted: nothing to delete then */
	json_object_del(body, "launched_on");
	return PRFAQ_OK;
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
	else if (action == PRFAQ_ACTION_LAUNCH)
		launch_validate(body, &err);
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

void
api_prfaqs_launch(struct prfaq_request *req)
{
	transition(req, PRFAQ_ACTION_LAUNCH);
}
