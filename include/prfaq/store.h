/*
 * store.h - prfaqd's data access: every query lives behind these functions,
 * in src/db.  Reads return JSON produced by PostgreSQL, as text ready to
 * send (char *, malloc'd, owned by the caller), so a read is one round trip
 * and stored JSON is never parsed and dumped again on the way out.
 *
 * Every function takes the request's struct prfaq_db_ctx (prfaq/db.h) first:
 * the pool, and the request id that goes on every line src/db logs for it.
 * Every write is one transaction.  Functions return PRFAQ_OK or an error code
 * with err filled; out-parameters are untouched on failure.  Lists follow
 * prfaq/paging.h.
 */
#ifndef PRFAQ_STORE_H
#define PRFAQ_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "prfaq/auth.h"
#include "prfaq/db.h"
#include "prfaq/error.h"
#include "prfaq/paging.h"
#include "prfaq/workflow.h"

/* --- users and tokens --------------------------------------------------- */

/*
 * Resolve a token hash to its caller; PRFAQ_EAUTH if unknown, revoked or
 * expired, or if its user is deactivated.  *left_s receives the seconds the
 * token has left (UINT_MAX: no expiry), the most a cache may keep it.
 */
prfaq_code prfaq_store_token_resolve(struct prfaq_db_ctx db,
				     const uint8_t hash[PRFAQ_SHA256_LEN],
				     struct prfaq_caller *out, unsigned *left_s,
				     struct prfaq_error *err);

/*
 * Create a user (roles: bit set) and return it as JSON {id, name, email,
 * roles, created_at}; id_out (PRFAQ_UUID_LEN + 1 bytes) may be NULL.  With a
 * token_hash, a first token is stored in the same transaction.  caller (the
 * admin, for its idempotency claim) is NULL from the command line.
 * PRFAQ_ECONFLICT when the email (case-insensitive) is taken.
 */
prfaq_code prfaq_store_user_create(struct prfaq_db_ctx db,
				   const struct prfaq_caller *caller,
				   const char *name, const char *email,
				   unsigned roles, const uint8_t *token_hash,
				   struct prfaq_text *out, char *id_out,
				   struct prfaq_error *err);

/* What authentication needs to know of a user. */
struct prfaq_user_auth {
	char id[PRFAQ_UUID_LEN + 1];
	unsigned roles; /* enum prfaq_role bits */
	bool active;
};

/*
 * The user with this email (case-insensitive), for a verified JWT: a read,
 * never a write.  PRFAQ_ENOTFOUND when there is none; *out untouched then.
 */
prfaq_code prfaq_store_user_by_email(struct prfaq_db_ctx db, const char *email,
				     struct prfaq_user_auth *out,
				     struct prfaq_error *err);

/*
 * One user as JSON {id, name, email, roles, active, created_at};
 * PRFAQ_ENOTFOUND.
 */
prfaq_code prfaq_store_user_get(struct prfaq_db_ctx db, const char *id,
				struct prfaq_text *out,
				struct prfaq_error *err);

/* The same user as any caller may see it: {id, name, roles}; PRFAQ_ENOTFOUND. */
prfaq_code prfaq_store_user_summary(struct prfaq_db_ctx db, const char *id,
				    struct prfaq_text *out,
				    struct prfaq_error *err);

/* Users {id, name, roles} ordered by name, id (see prfaq/paging.h). */
prfaq_code prfaq_store_users_list(struct prfaq_db_ctx db,
				  const struct prfaq_page_req *page,
				  struct prfaq_page *out,
				  struct prfaq_error *err);

/*
 * Change a user (a merge-patch): name NULL, roles (bit set) -1 and active -1
 * keep what is stored.  *out (the caller's) receives the user as
 * prfaq_store_user_get shows it.  PRFAQ_ENOTFOUND when there is no such user.
 */
prfaq_code prfaq_store_user_update(struct prfaq_db_ctx db,
				   const struct prfaq_caller *caller,
				   const char *id, const char *name, int roles,
				   int active, struct prfaq_text *out,
				   struct prfaq_error *err);

/*
 * Store a new token's hash for user_id on behalf of caller, named name (may
 * be NULL), expiring after expires_in_days (0: never); JSON {id, name,
 * created_at, expires_at} into *out (the caller's).  PRFAQ_ENOTFOUND when
 * the user does not exist.
 */
prfaq_code prfaq_store_token_create(struct prfaq_db_ctx db,
				    const struct prfaq_caller *caller,
				    const char *user_id,
				    const uint8_t hash[PRFAQ_SHA256_LEN],
				    const char *name, int expires_in_days,
				    struct prfaq_text *out,
				    struct prfaq_error *err);

/*
 * Same, for the user with this email (case-insensitive), from the command
 * line; with replace, the user's live tokens of this name are revoked in the
 * same statement.  PRFAQ_ENOTFOUND when there is no such user.
 */
prfaq_code
prfaq_store_token_create_for_email(struct prfaq_db_ctx db, const char *email,
				   const uint8_t hash[PRFAQ_SHA256_LEN],
				   const char *name, bool replace,
				   struct prfaq_error *err);

/*
 * A user's tokens that are not revoked, oldest first, as {id, name,
 * created_at, last_used_at, expires_at} (never a secret); PRFAQ_ENOTFOUND
 * when there is no such user (see prfaq/paging.h).
 */
prfaq_code prfaq_store_tokens_list(struct prfaq_db_ctx db, const char *user_id,
				   const struct prfaq_page_req *page,
				   struct prfaq_page *out,
				   struct prfaq_error *err);

/*
 * Revoke a token.  Allowed for admins and the token's own user, else
 * PRFAQ_EFORBIDDEN; PRFAQ_ENOTFOUND when there is no such (live) token.
 */
prfaq_code prfaq_store_token_revoke(struct prfaq_db_ctx db,
				    const char *token_id,
				    const struct prfaq_caller *caller,
				    struct prfaq_error *err);

/* --- PR/FAQs and versions ----------------------------------------------- */

/*
 * A new PR/FAQ: its first version {title, team?, tags, content} (every member
 * but team present; the store fills in none) with its quality report.
 * Returns the document JSON and its id (id_out: PRFAQ_UUID_LEN + 1 bytes).
 */
struct prfaq_new_doc {
	const json_t *body; /* borrowed: {title, team?, tags, content} */
	const char *change_note;
	const json_t *quality; /* borrowed */
};

prfaq_code prfaq_store_prfaq_create(struct prfaq_db_ctx db,
				    const struct prfaq_caller *caller,
				    const struct prfaq_new_doc *doc,
				    struct prfaq_text *out, char *id_out,
				    struct prfaq_error *err);

/*
 * The document JSON and its version; PRFAQ_ENOTFOUND.  This is the hot read:
 * one round trip.
 */
prfaq_code prfaq_store_prfaq_get(struct prfaq_db_ctx db, const char *id,
				 struct prfaq_text *out, int *version,
				 struct prfaq_error *err);

/* The filters of a list of PR/FAQs; NULL members do not filter. */
struct prfaq_list_query {
	const char *status;
	const char *owner; /* user id */
	const char *team;
	const char *tag;
	const char *q;	      /* full-text query: ranked, best first */
	const char *reviewer; /* user id: a requested reviewer, any state */
	const char *awaiting; /* user id: in_review, requested, pending */
	/* sort=evidence: most linked evidence first (without q, reviewer or
	 * awaiting) */
	bool by_evidence;
};

/*
 * PR/FAQ summaries, most recently updated first, or the most linked
 * evidence first (by_evidence; then newest id), or with q the best
 * matches first (see prfaq/paging.h).
 */
prfaq_code prfaq_store_prfaq_list(struct prfaq_db_ctx db,
				  const struct prfaq_list_query *query,
				  const struct prfaq_page_req *page,
				  struct prfaq_page *out,
				  struct prfaq_error *err);

/*
 * The locked state of a PR/FAQ, handed to a mutator inside the write
 * transaction.  All members are borrowed for the call.
 */
struct prfaq_current {
	const char *id;
	const char *owner_id;
	enum prfaq_status status;
	int version;
	const json_t
		*doc; /* {title, team?, tags, content} of the newest version */
	const json_t *quality; /* its report */
	const json_t *source;  /* the version to restore from, or NULL */
	int approvals; /* non-stale approve reviews by others than the owner */
};

/* What a mutator decides to write: a new version and/or a status change. */
struct prfaq_change {
	json_t *doc; /* new {title, team, tags, content}, or NULL: no new version */
	json_t *quality; /* its report (with doc) */
	const char *change_note;
	enum prfaq_status status; /* new status (set to current if unchanged) */
	const char *event;  /* audit event type: "revised", "submitted", ... */
	json_t *event_data; /* extra event data (object) or NULL */
	json_t *decision; /* for "decided": {outcome, rationale}; NULL otherwise */
	bool clear_decision; /* reopen: the document no longer carries one */
	bool noop; /* nothing changes: no version, status or event is written */
	/*
	 * Requested reviewers to add and remove (arrays of user ids, or NULL).
	 * With event "reviewers_changed" the store sets its data to what really
	 * changed, {added, removed}, and writes nothing when nothing did.
	 */
	json_t *reviewers_add;
	json_t *reviewers_remove;
};

/*
 * Lock the PR/FAQ, call mutate with its current state (from_version > 0 also
 * loads that version as cur->source, PRFAQ_ENOTFOUND if absent), and write
 * what it returns in the same transaction, appending an audit event.  mutate
 * owns policy (who, which status, which version) and fills change; the store
 * takes the references in change.  Returns the document JSON and new version.
 */
typedef prfaq_code (*prfaq_mutator)(const struct prfaq_current *cur, void *arg,
				    struct prfaq_change *change,
				    struct prfaq_error *err);

prfaq_code prfaq_store_prfaq_update(struct prfaq_db_ctx db, const char *id,
				    const struct prfaq_caller *caller,
				    int from_version, prfaq_mutator mutate,
				    void *arg, struct prfaq_text *out,
				    int *version, struct prfaq_error *err);

/*
 * Versions newest first: [{number, author, change_note, created_at,
 * quality: {score}}].  PRFAQ_ENOTFOUND for no such PR/FAQ.
 */
prfaq_code prfaq_store_versions_list(struct prfaq_db_ctx db, const char *id,
				     const struct prfaq_page_req *page,
				     struct prfaq_page *out,
				     struct prfaq_error *err);

/* One version in full; PRFAQ_ENOTFOUND when the PR/FAQ or version is absent. */
prfaq_code prfaq_store_version_get(struct prfaq_db_ctx db, const char *id,
				   int number, struct prfaq_text *out,
				   struct prfaq_error *err);

/* Two versions' {title, team, tags, content}, parsed (new references). */
prfaq_code prfaq_store_versions_pair(struct prfaq_db_ctx db, const char *id,
				     int from, int to, json_t **a, json_t **b,
				     struct prfaq_error *err);

/* --- reviews and comments --------------------------------------------- */

/* What a review's validator sees, locked, inside the transaction (borrowed). */
struct prfaq_review_target {
	const char *owner_id;
	enum prfaq_status status;
	int current_version;
	int version;		  /* the version reviewed */
	const json_t *content;	  /* that version's content */
	const json_t *principles; /* array of known principle slugs */
};

/*
 * Check a review request against its target (the API layer's policy and
 * validation); PRFAQ_OK to write it.
 */
typedef prfaq_code (*prfaq_review_check)(const struct prfaq_review_target *t,
					 void *arg, struct prfaq_error *err);

/*
 * Create a review of version (0: the current one) with its comments
 * (array of {anchor, quote?, body, principle?}, borrowed) and a "reviewed"
 * event, in one transaction.  PRFAQ_ENOTFOUND for no such PR/FAQ;
 * PRFAQ_EINVAL (pointer /version) for no such version.  Returns the review.
 */
prfaq_code prfaq_store_review_create(
	struct prfaq_db_ctx db, const char *id,
	const struct prfaq_caller *caller, int version, const char *verdict,
	const char *summary, const json_t *comments, prfaq_review_check check,
	void *arg, struct prfaq_text *out, struct prfaq_error *err);

/*
 * Reviews oldest first, each with version, comments and stale.
 * PRFAQ_ENOTFOUND for no such PR/FAQ.
 */
prfaq_code prfaq_store_reviews_list(struct prfaq_db_ctx db, const char *id,
				    const struct prfaq_page_req *page,
				    struct prfaq_page *out,
				    struct prfaq_error *err);

/*
 * Comments oldest first, with replies, resolved and outdated; state: NULL,
 * "open", "resolved".  PRFAQ_ENOTFOUND for no such PR/FAQ.
 */
prfaq_code prfaq_store_comments_list(struct prfaq_db_ctx db, const char *id,
				     const char *state,
				     const struct prfaq_page_req *page,
				     struct prfaq_page *out,
				     struct prfaq_error *err);

/* A reply to a comment of this PR/FAQ (any caller); PRFAQ_ENOTFOUND. */
prfaq_code prfaq_store_reply_create(struct prfaq_db_ctx db, const char *id,
				    const char *comment_id,
				    const struct prfaq_caller *caller,
				    const char *body, struct prfaq_text *out,
				    struct prfaq_error *err);

/*
 * Resolve (resolved = true) or reopen a comment: allowed for the PR/FAQ's
 * owner, the comment's author and admins (else PRFAQ_EFORBIDDEN).  Returns
 * the comment.
 */
prfaq_code prfaq_store_comment_resolve(struct prfaq_db_ctx db, const char *id,
				       const char *comment_id,
				       const struct prfaq_caller *caller,
				       bool resolved, struct prfaq_text *out,
				       struct prfaq_error *err);

/* The leadership principles, in catalogue order. */
prfaq_code prfaq_store_principles_list(struct prfaq_db_ctx db,
				       struct prfaq_text *out,
				       struct prfaq_error *err);

/*
 * Of the user ids in ids (a JSON array of strings), those that are not users
 * holding role: a new JSON array (empty when all are fine).
 */
prfaq_code prfaq_store_users_lacking_role(struct prfaq_db_ctx db,
					  const json_t *ids,
					  enum prfaq_role role,
					  json_t **missing,
					  struct prfaq_error *err);

/* --- idempotent retries ------------------------------------------------ */

enum prfaq_idem_state {
	PRFAQ_IDEM_NEW,	   /* claimed: run the request, then finish or abort */
	PRFAQ_IDEM_REPLAY, /* done before: replay the stored response */
	PRFAQ_IDEM_MISMATCH, /* the key was used for another request: 422 */
	PRFAQ_IDEM_RUNNING,  /* the first request is still running: 409 */
	PRFAQ_IDEM_LOST,     /* the first request's write committed, but its
				   response was never recorded: 409 */
};

/*
 * A claim on (user, key).  Every creating write of the request marks the
 * claim in its own transaction, and only while claim is still the one
 * recorded: so the write commits at most once per key, whatever crashes,
 * lost connections or retries come between (see store_idem_mark).
 */
struct prfaq_idem_claim {
	char user_id[PRFAQ_UUID_LEN + 1];
	const char *key; /* borrowed from the request */
	char claim[PRFAQ_UUID_LEN + 1];
};

/* Seconds after which an unfinished, unwritten claim may be taken over. */
#define PRFAQ_IDEM_LEASE_S 60

/*
 * Claim c->key for c->user_id, for a request whose hash is given; on
 * PRFAQ_IDEM_NEW, c->claim is set.  A claim that is neither finished nor
 * written and older than PRFAQ_IDEM_LEASE_S (its request died with its
 * process) is taken over.  For a replay, *status and *response
 * ({content_type, headers, body}, new reference) are set.  An expired key
 * (over 24 hours) is forgotten and claimed anew.
 */
prfaq_code prfaq_store_idem_begin(struct prfaq_db_ctx db,
				  struct prfaq_idem_claim *c,
				  const uint8_t hash[PRFAQ_SHA256_LEN],
				  enum prfaq_idem_state *state, int *status,
				  json_t **response, struct prfaq_error *err);

/* Record the response of a claimed key (status 2xx). */
prfaq_code prfaq_store_idem_finish(struct prfaq_db_ctx db,
				   const struct prfaq_idem_claim *c, int status,
				   const json_t *response,
				   struct prfaq_error *err);

/*
 * Release a claim whose request failed, so that a retry runs it again;
 * a claim whose write committed (the reply was lost on the way) is kept.
 */
void prfaq_store_idem_abort(struct prfaq_db_ctx db,
			    const struct prfaq_idem_claim *c);

/* --- webhooks ----------------------------------------------------------- */

/* Register a webhook {url, events, description}; returns it with its secret. */
prfaq_code prfaq_store_webhook_create(struct prfaq_db_ctx db,
				      const struct prfaq_caller *caller,
				      const char *url, const json_t *events,
				      const char *description,
				      const char *secret,
				      struct prfaq_text *out, char *id_out,
				      struct prfaq_error *err);

/* Live webhooks (without their secrets), oldest first. */
prfaq_code prfaq_store_webhooks_list(struct prfaq_db_ctx db,
				     const struct prfaq_page_req *page,
				     struct prfaq_page *out,
				     struct prfaq_error *err);

/* One webhook (without its secret); PRFAQ_ENOTFOUND. */
prfaq_code prfaq_store_webhook_get(struct prfaq_db_ctx db, const char *id,
				   struct prfaq_text *out,
				   struct prfaq_error *err);

/* Delete a webhook and cancel its pending deliveries; PRFAQ_ENOTFOUND. */
prfaq_code prfaq_store_webhook_delete(struct prfaq_db_ctx db, const char *id,
				      struct prfaq_error *err);

/*
 * Deliveries newest first, each with its attempts.  PRFAQ_ENOTFOUND for no
 * such webhook (a deleted one's deliveries stay listed).
 */
prfaq_code prfaq_store_deliveries_list(struct prfaq_db_ctx db,
				       const char *webhook_id,
				       const struct prfaq_page_req *page,
				       struct prfaq_page *out,
				       struct prfaq_error *err);

/*
 * Every decision ({outcome, rationale, version, at, decided_by}), newest
 * first, including those a reopen took off the document.  PRFAQ_ENOTFOUND
 * for no such PR/FAQ.
 */
prfaq_code prfaq_store_decisions_list(struct prfaq_db_ctx db, const char *id,
				      const struct prfaq_page_req *page,
				      struct prfaq_page *out,
				      struct prfaq_error *err);

/* Audit trail, oldest first.  PRFAQ_ENOTFOUND for no such PR/FAQ. */
prfaq_code prfaq_store_events_list(struct prfaq_db_ctx db, const char *id,
				   const struct prfaq_page_req *page,
				   struct prfaq_page *out,
				   struct prfaq_error *err);

/* --- evidence (what customers said or did) ------------------------------ */

/*
 * Record an evidence object (borrowed, valid by prfaq_evidence_validate)
 * created by caller: *out is its JSON (owned by the caller), id_out its id.
 * A taken (source, source_ref) is PRFAQ_ECONFLICT with "existing_id" in
 * err->extra.
 */
prfaq_code prfaq_store_evidence_create(struct prfaq_db_ctx db,
				       const struct prfaq_caller *caller,
				       const json_t *obj,
				       struct prfaq_text *out, char *id_out,
				       struct prfaq_error *err);

/* What an import did: items created, changed, and already as sent. */
struct prfaq_import_counts {
	long created, updated, unchanged;
};

/*
 * Upsert the items (borrowed array, each valid by prfaq_evidence_parse_line
 * and no (source, source_ref) twice) on (source, source_ref) in one
 * statement, so all or none are written.  A new item is created by caller;
 * an existing one takes the line's members (absent ones become null) and a
 * new updated_at only when something differs.  Items without source_ref
 * are always created.
 */
prfaq_code prfaq_store_evidence_import(struct prfaq_db_ctx db,
				       const struct prfaq_caller *caller,
				       const json_t *items,
				       struct prfaq_import_counts *out,
				       struct prfaq_error *err);

/*
 * The document as prfaq_store_prfaq_get() gives it, plus the render
 * input's "evidence_appendix" (prfaq/render.h): its linked evidence, read
 * in the same statement.  stamp (PRFAQ_EVIDENCE_STAMP_LEN + 1 bytes) gets
 * a digest of the links and their items, "" when there are none: what the
 * HTML page's ETag adds to the version.  *out owned by the caller.
 */
#define PRFAQ_EVIDENCE_STAMP_LEN 16
prfaq_code prfaq_store_prfaq_get_cited(struct prfaq_db_ctx db, const char *id,
				       struct prfaq_text *out, int *version,
				       char *stamp, struct prfaq_error *err);

/* One evidence item with its links; PRFAQ_ENOTFOUND if none. */
prfaq_code prfaq_store_evidence_get(struct prfaq_db_ctx db, const char *id,
				    struct prfaq_text *out,
				    struct prfaq_error *err);

/*
 * The editable members of an item as clients send them (*out a new
 * reference) and its creator's id (PRFAQ_UUID_LEN + 1 bytes): what a
 * merge-patch applies to.
 */
prfaq_code prfaq_store_evidence_editable(struct prfaq_db_ctx db, const char *id,
					 char *creator_out, json_t **out,
					 struct prfaq_error *err);

/* Replace an item's editable members with obj (borrowed, valid). */
prfaq_code prfaq_store_evidence_update(struct prfaq_db_ctx db, const char *id,
				       const json_t *obj,
				       struct prfaq_text *out,
				       struct prfaq_error *err);

/* Filters of the evidence list: each NULL when not given; borrowed. */
struct prfaq_evidence_query {
	const char *q, *kind, *sentiment, *source, *tag;
	const char *linked; /* "true" or "false" */
	const char *prfaq;  /* a PR/FAQ id */
};

/* Evidence newest observed first. */
prfaq_code prfaq_store_evidence_list(struct prfaq_db_ctx db,
				     const struct prfaq_evidence_query *q,
				     const struct prfaq_page_req *page,
				     struct prfaq_page *out,
				     struct prfaq_error *err);

/* What a link is checked against: the PR/FAQ, locked, at its current version. */
struct prfaq_link_target {
	const char *owner_id;
	int version;
	const json_t *content; /* the current version's content */
};

/* The API layer's policy for a link (who, which anchor); PRFAQ_OK to write. */
typedef prfaq_code (*prfaq_link_check)(const struct prfaq_link_target *t,
				       void *arg, struct prfaq_error *err);

/*
 * Link evidence_id to PR/FAQ prfaq_id (anchor, quote, note may be NULL)
 * with an "evidence_linked" event, in one transaction after check.
 * PRFAQ_ENOTFOUND for no such PR/FAQ; PRFAQ_EINVAL at /evidence_id for no
 * such evidence; PRFAQ_ECONFLICT when it is linked already.  *out is the
 * link (owned by the caller).
 */
prfaq_code prfaq_store_evidence_link(struct prfaq_db_ctx db,
				     const char *prfaq_id,
				     const struct prfaq_caller *caller,
				     const char *evidence_id,
				     const char *anchor, const char *quote,
				     const char *note, prfaq_link_check check,
				     void *arg, struct prfaq_text *out,
				     struct prfaq_error *err);

/* A PR/FAQ's evidence links, oldest first; PRFAQ_ENOTFOUND for no PR/FAQ. */
prfaq_code prfaq_store_evidence_links(struct prfaq_db_ctx db,
				      const char *prfaq_id,
				      const struct prfaq_page_req *page,
				      struct prfaq_page *out,
				      struct prfaq_error *err);

/*
 * Remove a link with an "evidence_unlinked" event, when caller is the
 * PR/FAQ's owner, the linker or an admin (PRFAQ_EFORBIDDEN otherwise);
 * PRFAQ_ENOTFOUND for no such link on that PR/FAQ.
 */
prfaq_code prfaq_store_evidence_unlink(struct prfaq_db_ctx db,
				       const char *prfaq_id,
				       const char *link_id,
				       const struct prfaq_caller *caller,
				       struct prfaq_error *err);

/*
 * {"items": [{tag, count, negative, linked}]}: the 100 most frequent
 * evidence tags, most frequent first (*out owned by the caller).
 */
prfaq_code prfaq_store_evidence_tags(struct prfaq_db_ctx db,
				     struct prfaq_text *out,
				     struct prfaq_error *err);

#endif
