/*
 * store_learnings.h - the learnings store (src/db/store_learnings.c): what
 * launched, rejected and archived PR/FAQs taught, searched across all of
 * them, and ranked against a PR/FAQ's own text (related-learnings).  The
 * conventions of prfaq/store.h hold: the request's db context first, JSON
 * produced by PostgreSQL as text owned by the caller, out-parameters
 * untouched on failure, lists as in prfaq/paging.h.
 */
#ifndef PRFAQ_STORE_LEARNINGS_H
#define PRFAQ_STORE_LEARNINGS_H

#include <jansson.h>

#include "prfaq/store.h"

/*
 * Who may add a learning to a PR/FAQ beyond its owner and its reviewers
 * (requested, or who reviewed it), by role bits of the caller: approvers and admins.
 */
#define PRFAQ_LEARNING_ROLES (PRFAQ_ROLE_APPROVER | PRFAQ_ROLE_ADMIN)

/*
 * Record a learning (body borrowed, valid by prfaq_learning_validate) on
 * PR/FAQ prfaq_id by caller, with a "learning_added" event (so webhooks
 * hear of it), in one transaction that holds the PR/FAQ's row against a
 * status change meanwhile.  PRFAQ_ENOTFOUND for no such PR/FAQ;
 * PRFAQ_EFORBIDDEN unless the caller is its owner, a requested reviewer,
 * someone who reviewed it, or holds PRFAQ_LEARNING_ROLES; PRFAQ_ECONFLICT
 * (with the next step and {current_status}) unless it is launched, rejected
 * or archived.  *out is the new learning's JSON, id_out
 * (PRFAQ_UUID_LEN + 1 bytes) its id.
 */
prfaq_code prfaq_store_learning_create(struct prfaq_db_ctx db,
				       const char *prfaq_id,
				       const struct prfaq_caller *caller,
				       const json_t *body,
				       struct prfaq_text *out, char *id_out,
				       struct prfaq_error *err);

/* A PR/FAQ's learnings, oldest first; PRFAQ_ENOTFOUND for no PR/FAQ. */
prfaq_code prfaq_store_learnings_of(struct prfaq_db_ctx db,
				    const char *prfaq_id,
				    const struct prfaq_page_req *page,
				    struct prfaq_page *out,
				    struct prfaq_error *err);

/* Filters of GET /v1/learnings, each NULL when not given; borrowed. */
struct prfaq_learning_query {
	const char *q;	 /* websearch syntax: best match first */
	const char *tag; /* carries this tag */
};

/*
 * Learnings across all PR/FAQs.  Without q: newest first.  With q: the
 * PRFAQ_LEARNING_CANDIDATES newest matches, best match first (ts_rank),
 * paged by (rank, id); a q of negations only is PRFAQ_EINVAL (it would
 * read every learning), one of stop words only matches nothing.
 */
prfaq_code prfaq_store_learnings_search(struct prfaq_db_ctx db,
					const struct prfaq_learning_query *q,
					const struct prfaq_page_req *page,
					struct prfaq_page *out,
					struct prfaq_error *err);

/* How many matches a search or related-learnings ranks at most. */
#define PRFAQ_LEARNING_CANDIDATES  1000
/* How many related learnings a PR/FAQ is shown. */
#define PRFAQ_LEARNING_RELATED_MAX 10

/*
 * {"items": [...]}: at most PRFAQ_LEARNING_RELATED_MAX learnings of other
 * PR/FAQs, most similar first to this one's title, headline, problem and
 * solution (migrations/0013_learnings.sql), each with its "score".
 * PRFAQ_ENOTFOUND for no such PR/FAQ.
 */
prfaq_code prfaq_store_learnings_related(struct prfaq_db_ctx db,
					 const char *prfaq_id,
					 struct prfaq_text *out,
					 struct prfaq_error *err);

#endif
