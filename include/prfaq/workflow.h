/*
 * workflow.h - the PR/FAQ status machine (see API.md, "Review workflow").
 *
 *   draft --submit--> in_review --withdraw--> draft
 *   in_review --approve/reject--> approved | rejected --reopen--> draft
 *   approved --launch--> launched (which can only be archived)
 *   any status but archived --archive--> archived
 * Editing and verdict-carrying reviews are allowed in draft/in_review and
 * in_review respectively.
 */
#ifndef PRFAQ_WORKFLOW_H
#define PRFAQ_WORKFLOW_H

#include "prfaq/error.h"

enum prfaq_status {
	PRFAQ_STATUS_DRAFT,
	PRFAQ_STATUS_IN_REVIEW,
	PRFAQ_STATUS_APPROVED,
	PRFAQ_STATUS_REJECTED,
	PRFAQ_STATUS_ARCHIVED,
	PRFAQ_STATUS_LAUNCHED,
	PRFAQ_STATUS_COUNT_
};

enum prfaq_action {
	PRFAQ_ACTION_EDIT, /* PUT, PATCH, restore: status unchanged */
	PRFAQ_ACTION_SUBMIT,
	PRFAQ_ACTION_WITHDRAW,
	PRFAQ_ACTION_APPROVE,
	PRFAQ_ACTION_REJECT,
	PRFAQ_ACTION_REOPEN,
	PRFAQ_ACTION_ARCHIVE,
	PRFAQ_ACTION_VERDICT, /* a review with approve/request_changes: status unchanged */
	PRFAQ_ACTION_LAUNCH,
	PRFAQ_ACTION_MEASURE, /* record measurements: status unchanged */
	PRFAQ_ACTION_COUNT_
};

/* "draft", ... ; NULL for an out-of-range value. */
const char *prfaq_status_name(enum prfaq_status s);
/* Parse a status name; 0 on success, -1 when unknown. */
int prfaq_status_parse(const char *name, enum prfaq_status *out);
/* "edit", "submit", ... */
const char *prfaq_action_name(enum prfaq_action a);

/*
 * Is action allowed from status?  On success stores the resulting status in
 * *next (unchanged for edit/verdict) and returns PRFAQ_OK.  Otherwise returns
 * PRFAQ_ECONFLICT with a detail naming both, and err->extra set to
 * {"current_status": ..., "action": ...}; *next is untouched.
 */
prfaq_code prfaq_workflow_apply(enum prfaq_status from,
				enum prfaq_action action,
				enum prfaq_status *next,
				struct prfaq_error *err);

#endif
