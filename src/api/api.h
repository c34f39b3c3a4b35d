/*
 * api.h - helpers shared by the handlers in src/api, and the handlers
 * themselves (one file per resource).
 */
#ifndef PRFAQ_API_H
#define PRFAQ_API_H

#include "prfaq/alloc.h"
#include "prfaq/app.h"
#include "prfaq/http.h"
#include "prfaq/store.h"
#include "prfaq/utf8.h"

/* The database, for this request: its calls log with its id. */
struct prfaq_db_ctx api_db(struct prfaq_request *req);

/*
 * api_db(), allowing reads to go to the read replica when one is configured
 * (PRFAQ_DATABASE_REPLICA_URL): for lists and searches whose answer may lag
 * the primary by the replica's replay delay.  Never for a GET by id (the
 * caller must see its own last write there), nor for a read that decides a
 * write; store functions that write ignore the replica anyway.
 */
struct prfaq_db_ctx api_db_replica(struct prfaq_request *req);

/* Reply with JSON text from the store (takes it). */
void api_reply_text(struct prfaq_request *req, int status,
		    struct prfaq_text *t);

/*
 * Reply {"items": [...], "next_cursor": ...}, with a Link rel="next" header
 * when there is a next page (takes the page).
 */
void api_reply_page(struct prfaq_request *req, struct prfaq_page *page);

/*
 * Fetch one page of a list for api_list: arg is the handler's (a parent
 * id, a filter struct), page says which page; fill *out or return an error.
 */
typedef prfaq_code (*api_page_fn)(struct prfaq_request *req, const void *arg,
				  const struct prfaq_page_req *page,
				  struct prfaq_page *out,
				  struct prfaq_error *err);

/*
 * Answer a list request (see prfaq/paging.h): parse ?limit and ?cursor
 * (400 for a bad one), call fetch, and reply with the page or the error.
 * The handler checks its path parameters, roles and filters first, then
 * ends with api_list.
 */
void api_list(struct prfaq_request *req, api_page_fn fetch, const void *arg);

/* Does the caller hold role?  Otherwise reply 403 and return false. */
bool api_require_role(struct prfaq_request *req, enum prfaq_role role,
		      const char *what);

/* The path parameter name as a UUID, or reply 404 and return NULL. */
const char *api_param_uuid(struct prfaq_request *req, const char *name,
			   const char *what);

/* The path parameter name as a positive int, or reply 404 and return -1. */
int api_param_number(struct prfaq_request *req, const char *name,
		     const char *what);

/* The representations of a PR/FAQ or version (api_negotiate_document). */
enum api_doc_kind {
	API_DOC_JSON,
	API_DOC_MARKDOWN,
	API_DOC_HTML,
};

/*
 * The ETag of a document or version in the representation kind (from
 * api_negotiate_document): "<n>" for JSON, "<n>.md", "<n>.html".  Sets the
 * header; true when If-None-Match names it (the caller replies 304).
 */
bool api_etag(struct prfaq_request *req, int version, enum api_doc_kind kind);

/* Reply with err and clear it. */
void api_fail(struct prfaq_request *req, struct prfaq_error *err);

/*
 * Add an "unknown member" error to err for each member of obj (borrowed) not
 * in allowed (NULL-terminated), at prefix + "/" + the escaped member name.
 */
void api_check_members(const json_t *obj, const char *const *allowed,
		       const char *prefix, struct prfaq_error *err);

/*
 * The body of a route that takes a PR/FAQ: JSON, or Markdown in its
 * authoring layout (prfaq/markdown.h) read into {title, team?, tags,
 * content}.  *body is a new reference; *lines is NULL for JSON, else the
 * Markdown's line map (the caller's) for prfaq_markdown_locate().  On
 * failure err holds the problem and nothing is stored.
 */
prfaq_code api_doc_body(struct prfaq_request *req, json_t **body,
			json_t **lines, struct prfaq_error *err);

/*
 * The text check (prfaq_text_refused) of one string member v (borrowed; not
 * a string or NULL: nothing to check), reported to err at pointer ptr.
 * Returns false when it added an error.
 */
bool api_check_text(const json_t *v, enum prfaq_text_kind kind, const char *ptr,
		    struct prfaq_error *err);

/*
 * A string member obj[key] (borrowed) of at most max code points, 1 or more
 * when required, that passes the text check for its kind; problems at ptr.
 */
void api_check_text_member(const json_t *obj, const char *key, bool required,
			   size_t max, enum prfaq_text_kind kind,
			   struct prfaq_error *err, const char *ptr);

/* The longest quote of a comment or an evidence link, in characters. */
#define API_QUOTE_MAX 1000

/*
 * Check the anchor (required or optional) and quote members of obj
 * (borrowed) as sent; problems at base + "/anchor" and base + "/quote".
 */
void api_anchor_shape(const json_t *obj, bool required, const char *base,
		      struct prfaq_error *err);

/*
 * Does anchor name something in content (version's), and is quote (NULL:
 * none) in the text there?  Problems at base + "/anchor" or "/quote".
 */
void api_anchor_resolve(const json_t *content, int version, const char *anchor,
			const char *quote, const char *base,
			struct prfaq_error *err);

/* ops.c */
void api_healthz(struct prfaq_request *req);
void api_readyz(struct prfaq_request *req);
void api_metrics(struct prfaq_request *req);
void api_openapi(struct prfaq_request *req);

/* users.c */
void api_me(struct prfaq_request *req);
void api_users_create(struct prfaq_request *req);
void api_users_list(struct prfaq_request *req);
void api_users_get(struct prfaq_request *req);
void api_users_patch(struct prfaq_request *req);
void api_tokens_create(struct prfaq_request *req);
void api_tokens_list(struct prfaq_request *req);
void api_tokens_delete(struct prfaq_request *req);

/* prfaqs.c */
void api_prfaqs_create(struct prfaq_request *req);
void api_prfaqs_list(struct prfaq_request *req);
void api_prfaqs_get(struct prfaq_request *req);
void api_prfaqs_put(struct prfaq_request *req);
void api_prfaqs_patch(struct prfaq_request *req);
void api_versions_restore(struct prfaq_request *req);

/*
 * Which representation the client accepts, in *kind; false after replying
 * 406.  Adds Vary: Accept.
 */
bool api_negotiate_document(struct prfaq_request *req, enum api_doc_kind *kind);
/* Reply with a document or version (JSON text, taken) as kind. */
void api_reply_document(struct prfaq_request *req, int status,
			enum api_doc_kind kind, struct prfaq_text *t);
/*
 * Who may change a PR/FAQ, in which status, at which version: 403, 409, 412
 * in that order.  if_match is the version from api_require_if_match().
 */
struct prfaq_current;
prfaq_code api_edit_policy(const struct prfaq_current *cur,
			   const struct prfaq_caller *caller, int if_match,
			   struct prfaq_error *err);
/*
 * If-Match for a write: false after replying 428 (absent, or "*").
 * Otherwise *if_match is the version it names, or 0 when it names none
 * (malformed, weak, a list: versions start at 1, so it never matches and
 * the write gets 412 like a stale one).
 */
bool api_require_if_match(struct prfaq_request *req, int *if_match);
/* Reply to a store update: the document with its ETag, or the error. */
void api_reply_updated(struct prfaq_request *req, prfaq_code rc,
		       struct prfaq_text *t, int version,
		       struct prfaq_error *err);

/* versions.c */
void api_versions_list(struct prfaq_request *req);
void api_versions_get(struct prfaq_request *req);
void api_prfaqs_diff(struct prfaq_request *req);
void api_events_list(struct prfaq_request *req);

/* transitions.c */
void api_prfaqs_submit(struct prfaq_request *req);
void api_prfaqs_withdraw(struct prfaq_request *req);
void api_prfaqs_decision(struct prfaq_request *req);
void api_prfaqs_reopen(struct prfaq_request *req);
void api_prfaqs_decisions(struct prfaq_request *req);
void api_prfaqs_reviewers(struct prfaq_request *req);
void api_prfaqs_archive(struct prfaq_request *req);
void api_prfaqs_launch(struct prfaq_request *req);

/* reviews.c */
void api_reviews_create(struct prfaq_request *req);
void api_reviews_list(struct prfaq_request *req);
void api_comments_list(struct prfaq_request *req);
void api_replies_create(struct prfaq_request *req);
void api_comments_resolve(struct prfaq_request *req);
void api_comments_reopen(struct prfaq_request *req);
void api_principles_list(struct prfaq_request *req);

/* webhooks.c */
void api_webhooks_create(struct prfaq_request *req);
void api_webhooks_list(struct prfaq_request *req);
void api_webhooks_get(struct prfaq_request *req);
void api_webhooks_delete(struct prfaq_request *req);
void api_webhook_deliveries_list(struct prfaq_request *req);

/* lint.c */
void api_lint(struct prfaq_request *req);

/* evidence.c */
void api_evidence_create(struct prfaq_request *req);
void api_evidence_list(struct prfaq_request *req);
void api_evidence_get(struct prfaq_request *req);
void api_evidence_patch(struct prfaq_request *req);
void api_evidence_tags(struct prfaq_request *req);
void api_evidence_import(struct prfaq_request *req);
void api_prfaq_evidence_link(struct prfaq_request *req);
void api_prfaq_evidence_list(struct prfaq_request *req);
void api_prfaq_evidence_unlink(struct prfaq_request *req);

/* loop.c */
void api_measurements_create(struct prfaq_request *req);
void api_measurements_list(struct prfaq_request *req);
void api_scorecard_get(struct prfaq_request *req);

/* learnings.c */
void api_learning_create(struct prfaq_request *req);
void api_learnings_of(struct prfaq_request *req);
void api_learnings_search(struct prfaq_request *req);
void api_learnings_related(struct prfaq_request *req);

#endif
