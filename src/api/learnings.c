/*
 * learnings.c - what launched, rejected and archived PR/FAQs taught:
 * POST/GET /v1/prfaqs/{id}/learnings, GET /v1/learnings (search across
 * all) and GET /v1/prfaqs/{id}/related-learnings.  The rules of a learning
 * are in src/domain/learning.c; the SQL in src/db/store_learnings.c.  The
 * reads may go to the read replica (API.md, Operations): a learning just
 * added may show there a moment later.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "prfaq/content.h"
#include "prfaq/learning.h"
#include "prfaq/store_learnings.h"
#include "prfaq/utf8.h"

/* The longest q of a search, in characters (as for evidence). */
#define Q_MAX 200

/*
 * POST /v1/prfaqs/{id}/learnings {expected?, observed?, lesson, tags?}:
 * the body's problems first (400 at their pointers), then who may and in
 * which status, decided by the store under the PR/FAQ's row lock (404,
 * 403, 409 with the next step).
 */
void
api_learning_create(struct prfaq_request *req)
{
	struct prfaq_text t = { NULL, 0 };
	char id[PRFAQ_UUID_LEN + 1];
	struct prfaq_error err;
	const char *prfaq_id;
	json_t *body = NULL;

	prfaq_error_init(&err);
	if ((prfaq_id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK ||
	    prfaq_learning_validate(body, &err) != PRFAQ_OK ||
	    prfaq_store_learning_create(api_db(req), prfaq_id,
					prfaq_req_caller(req), body, &t, id,
					&err) != PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	api_reply_text(req, 201, &t);
out:
	json_decref(body);
}

static prfaq_code
learnings_of_page(struct prfaq_request *req, const void *id,
		  const struct prfaq_page_req *page, struct prfaq_page *out,
		  struct prfaq_error *err)
{
	return prfaq_store_learnings_of(api_db_replica(req), id, page, out,
					err);
}

/* GET /v1/prfaqs/{id}/learnings: oldest first. */
void
api_learnings_of(struct prfaq_request *req)
{
	const char *id;

	if ((id = api_param_uuid(req, "id", "PR/FAQ")) != NULL)
		api_list(req, learnings_of_page, id);
}

static prfaq_code
learnings_search_page(struct prfaq_request *req, const void *arg,
		      const struct prfaq_page_req *page, struct prfaq_page *out,
		      struct prfaq_error *err)
{
	return prfaq_store_learnings_search(api_db_replica(req), arg, page, out,
					    err);
}

/*
 * Is the query parameter name's value v (not NULL) 1 to max characters
 * that a field of kind accepts?  Otherwise reply 400 naming it.
 */
static bool
query_text_ok(struct prfaq_request *req, const char *name, const char *v,
	      size_t max, enum prfaq_text_kind kind)
{
	size_t len = strlen(v);
	char why[128];

	if (len == 0 || prfaq_utf8_length(v, len) > max) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "%s must be 1 to %zu characters", name,
				    max);
		return false;
	}
	if (prfaq_text_refused(v, len, kind, why, sizeof(why))) {
		prfaq_reply_problem(req, PRFAQ_EINVAL, "%s %s", name, why);
		return false;
	}
	return true;
}

/*
 * GET /v1/learnings?q=&tag=: newest first, or with q the best matches
 * first (prfaq_store_learnings_search says how far it looks).
 */
void
api_learnings_search(struct prfaq_request *req)
{
	struct prfaq_learning_query q = { prfaq_req_query(req, "q"),
					  prfaq_req_query(req, "tag") };

	if (q.q != NULL &&
	    !query_text_ok(req, "q", q.q, Q_MAX, PRFAQ_TEXT_LINE))
		return;
	if (q.tag != NULL &&
	    !query_text_ok(req, "tag", q.tag, PRFAQ_TAG_MAX, PRFAQ_TEXT_NAME))
		return;
	api_list(req, learnings_search_page, &q);
}

/* GET /v1/prfaqs/{id}/related-learnings: what was learned before. */
void
api_learnings_related(struct prfaq_request *req)
{
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	const char *id;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (prfaq_store_learnings_related(api_db_replica(req), id, &t, &err) !=
	    PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	api_reply_text(req, 200, &t);
}
