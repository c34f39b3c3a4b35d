/*
 * workflow.c - the PR/FAQ status machine (see include/prfaq/workflow.h).
 *
 * The whole machine is the table below: one row per status, one column per
 * action.  A cell that is not filled in is a refusal, so adding a status or an
 * action can only ever forbid something until someone decides otherwise.
 */
#include "prfaq/workflow.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static const char *const status_names[PRFAQ_STATUS_COUNT_] = {
	[PRFAQ_STATUS_DRAFT] = "draft",
	[PRFAQ_STATUS_IN_REVIEW] = "in_review",
	[PRFAQ_STATUS_APPROVED] = "approved",
	[PRFAQ_STATUS_REJECTED] = "rejected",
	[PRFAQ_STATUS_ARCHIVED] = "archived",
	[PRFAQ_STATUS_LAUNCHED] = "launched",
};

/*
 * name: the stable identifier clients see in the problem body ("action").
 * phrase: what the caller tried, worded to fit "Cannot <phrase> a PR/FAQ
 * whose status is <status>".
 */
static const struct {
	const char *name;
	const char *phrase;
} action_info[PRFAQ_ACTION_COUNT_] = {
	[PRFAQ_ACTION_EDIT] = { "edit", "edit" },
	[PRFAQ_ACTION_SUBMIT] = { "submit", "submit" },
	[PRFAQ_ACTION_WITHDRAW] = { "withdraw", "withdraw" },
	[PRFAQ_ACTION_APPROVE] = { "approve", "approve" },
	[PRFAQ_ACTION_REJECT] = { "reject", "reject" },
	[PRFAQ_ACTION_REOPEN] = { "reopen", "reopen" },
	[PRFAQ_ACTION_ARCHIVE] = { "archive", "archive" },
	[PRFAQ_ACTION_VERDICT] = { "verdict",
				   "post an approve or request_changes review on" },
	[PRFAQ_ACTION_LAUNCH] = { "launch", "launch" },
	[PRFAQ_ACTION_MEASURE] = { "measure", "record measurements of" },
};

struct transition {
	bool allowed; /* false (the zero value) refuses */
	enum prfaq_status next;
};

#define TO(s)                          \
	{                              \
		true, PRFAQ_STATUS_##s \
	}

static const struct transition
workflow_table[PRFAQ_STATUS_COUNT_][PRFAQ_ACTION_COUNT_] = {
	[PRFAQ_STATUS_DRAFT] = {
		[PRFAQ_ACTION_EDIT] = TO(DRAFT),
		[PRFAQ_ACTION_SUBMIT] = TO(IN_REVIEW),
		[PRFAQ_ACTION_ARCHIVE] = TO(ARCHIVED),
	},
	[PRFAQ_STATUS_IN_REVIEW] = {
		[PRFAQ_ACTION_EDIT] = TO(IN_REVIEW),
		[PRFAQ_ACTION_WITHDRAW] = TO(DRAFT),
		[PRFAQ_ACTION_APPROVE] = TO(APPROVED),
		[PRFAQ_ACTION_REJECT] = TO(REJECTED),
		[PRFAQ_ACTION_ARCHIVE] = TO(ARCHIVED),
		[PRFAQ_ACTION_VERDICT] = TO(IN_REVIEW),
	},
	[PRFAQ_STATUS_APPROVED] = {
		[PRFAQ_ACTION_REOPEN] = TO(DRAFT),
		[PRFAQ_ACTION_ARCHIVE] = TO(ARCHIVED),
		[PRFAQ_ACTION_LAUNCH] = TO(LAUNCHED),
	},
	/* What was launched stays as it was decided: the numbers are held
	 * against it, so it is never edited or reopened, only archived. */
	[PRFAQ_STATUS_LAUNCHED] = {
		[PRFAQ_ACTION_ARCHIVE] = TO(ARCHIVED),
		[PRFAQ_ACTION_MEASURE] = TO(LAUNCHED),
	},
	[PRFAQ_STATUS_REJECTED] = {
		[PRFAQ_ACTION_REOPEN] = TO(DRAFT),
		[PRFAQ_ACTION_ARCHIVE] = TO(ARCHIVED),
	},
	/* archived is terminal: its row is all refusals (restoring a PR/FAQ
	 * is not in the contract). */
};

#undef TO

/*
 * What to do instead of a refused action, for the 409's detail: a client
 * (or a person reading it) learns the next step, not only that this one is
 * wrong.  {id} is the PR/FAQ's id, as in the API's paths.
 */
static const char *
next_step(enum prfaq_status from, enum prfaq_action action)
{
	if (action == PRFAQ_ACTION_MEASURE && from == PRFAQ_STATUS_APPROVED)
		return "measurements are recorded once it is launched (POST "
		       "/v1/prfaqs/{id}/launch)";
	if (action == PRFAQ_ACTION_MEASURE && from != PRFAQ_STATUS_ARCHIVED)
		return "measurements are recorded only for a launched PR/FAQ: "
		       "get it approved, then launch it (POST "
		       "/v1/prfaqs/{id}/launch)";
	switch (from) {
	case PRFAQ_STATUS_DRAFT:
		if (action == PRFAQ_ACTION_REOPEN ||
		    action == PRFAQ_ACTION_WITHDRAW)
			return "it is a draft already: edit it (PUT "
			       "/v1/prfaqs/{id})";
		return "submit it for review first (POST "
		       "/v1/prfaqs/{id}/submit)";
	case PRFAQ_STATUS_IN_REVIEW:
		if (action == PRFAQ_ACTION_SUBMIT)
			return "it is in review already: edit it in place, or "
			       "withdraw it to a draft (POST "
			       "/v1/prfaqs/{id}/withdraw)";
		return "withdraw it to a draft first (POST "
		       "/v1/prfaqs/{id}/withdraw), or record a decision (POST "
		       "/v1/prfaqs/{id}/decision)";
	case PRFAQ_STATUS_APPROVED:
	case PRFAQ_STATUS_REJECTED:
		if (action == PRFAQ_ACTION_LAUNCH)
			return "only an approved PR/FAQ is launched: reopen it "
			       "(POST /v1/prfaqs/{id}/reopen) and take it "
			       "through review again";
		return "reopen it first (POST /v1/prfaqs/{id}/reopen)";
	case PRFAQ_STATUS_LAUNCHED:
		return "a launched PR/FAQ can only be archived (POST "
		       "/v1/prfaqs/{id}/archive); record what happened with "
		       "measurements (POST /v1/prfaqs/{id}/measurements) and, "
		       "for a new idea, start a new PR/FAQ (POST /v1/prfaqs)";
	default:
		return "an archived PR/FAQ is final: start a new one (POST "
		       "/v1/prfaqs) from its content";
	}
}

/* Static name of a status, or NULL when s is not one of the enum's values. */
const char *
prfaq_status_name(enum prfaq_status s)
{
	/* Cast: an enum may be signed, and a negative value must miss too. */
	if ((unsigned)s >= PRFAQ_STATUS_COUNT_)
		return NULL;
	return status_names[s];
}

/*
 * Parse an exact, case-sensitive status name as stored and sent on the wire.
 * *out is written only on success.
 */
int
prfaq_status_parse(const char *name, enum prfaq_status *out)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < PRFAQ_STATUS_COUNT_; i++) {
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum prfaq_status)i;
			return 0;
		}
	}
	return -1;
}

/* Static name of an action, or NULL when a is out of range. */
const char *
prfaq_action_name(enum prfaq_action a)
{
	if ((unsigned)a >= PRFAQ_ACTION_COUNT_)
		return NULL;
	return action_info[a].name;
}

/*
 * Look the pair up in the table.  On refusal the error carries a sentence for
 * humans and {"current_status", "action"} for programs; the extra is only
 * attached when this call's conflict is the error's first cause, so it can
 * never describe a different failure than the detail does.  Values outside
 * the enums are a caller bug, reported as PRFAQ_EINTERNAL rather than as a
 * conflict a client could act on.
 */
prfaq_code
prfaq_workflow_apply(enum prfaq_status from, enum prfaq_action action,
		     enum prfaq_status *next, struct prfaq_error *err)
{
	const struct transition *t;
	bool first_cause;
	json_t *extra;

	if ((unsigned)from >= PRFAQ_STATUS_COUNT_ ||
	    (unsigned)action >= PRFAQ_ACTION_COUNT_)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "Unknown status %d or action %d",
				       (int)from, (int)action);

	t = &workflow_table[from][action];
	if (t->allowed) {
		*next = t->next;
		return PRFAQ_OK;
	}

	if (err == NULL)
		return PRFAQ_ECONFLICT;
	first_cause = err->code == PRFAQ_OK;
	prfaq_error_set(err, PRFAQ_ECONFLICT,
			"Cannot %s a PR/FAQ whose status is %s: %s",
			action_info[action].phrase, status_names[from],
			next_step(from, action));
	if (!first_cause || err->extra != NULL)
		return PRFAQ_ECONFLICT;
	extra = json_pack("{s:s, s:s}", "current_status", status_names[from],
			  "action", action_info[action].name);
	if (extra == NULL)
		return err->code = PRFAQ_ENOMEM;
	err->extra = extra;
	return PRFAQ_ECONFLICT;
}
