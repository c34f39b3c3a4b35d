/*
 * api.h - helpers shared by the handlers in src/api, and the handlers
 * themselves (one file per resource).
 */
#ifndef PRFAQ_API_H
#define PRFAQ_API_H

#include "prfaq/app.h"
#include "prfaq/http.h"
#include "prfaq/store.h"

/* Reply with JSON text from the store (takes it). */
void api_reply_text(struct prfaq_request *req, int status, struct prfaq_text *t);

/* Reply {"items": [...], "next_cursor": ...} with a Link header (takes it). */
void api_reply_page(struct prfaq_request *req, struct prfaq_page *page);

/*
 * The "cursor" query argument decoded to the store's keyset (*after is NULL
 * without one; free() it).  PRFAQ_EINVAL for a cursor we did not issue.
 */
prfaq_code api_cursor(const struct prfaq_request *req, char **after,
		      struct prfaq_error *err);

/* Does the caller hold role?  Otherwise reply 403 and return false. */
bool api_require_role(struct prfaq_request *req, enum prfaq_role role,
		      const char *what);

/* The path parameter name as a UUID, or reply 404 and return NULL. */
const char *api_param_uuid(struct prfaq_request *req, const char *name,
			   const char *what);

/* The path parameter name as a positive int, or reply 404 and return -1. */
int api_param_number(struct prfaq_request *req, const char *name,
		     const char *what);

/* Reply with err and clear it. */
void api_fail(struct prfaq_request *req, struct prfaq_error *err);

/* ops.c */
void api_healthz(struct prfaq_request *req);
void api_readyz(struct prfaq_request *req);
void api_metrics(struct prfaq_request *req);
void api_openapi(struct prfaq_request *req);

/* users.c */
void api_me(struct prfaq_request *req);
void api_users_create(struct prfaq_request *req);
void api_users_list(struct prfaq_request *req);
void api_tokens_create(struct prfaq_request *req);
void api_tokens_delete(struct prfaq_request *req);


#endif
