/*
 * auth.c - bearer-token middleware: every PRFAQ_ROUTE_AUTH request gets its
 * caller here, from the token cache when possible, else from the database.
 */
#include <string.h>
#include <strings.h>

#include "http_internal.h"
#include "prfaq/app.h"
#include "prfaq/store.h"

#define INVALID_TOKEN "Bearer realm=\"prfaqd\", error=\"invalid_token\""

static void
unauthorized(struct prfaq_request *req, const char *challenge,
	     const char *detail)
{
	prfaq_reply_header(req, "WWW-Authenticate", challenge);
	prfaq_reply_problem(req, PRFAQ_EAUTH, "%s", detail);
}

bool
auth_authenticate(struct prfaq_request *req)
{
	struct prfaq_app *app = req->srv->app;
	const char *h = prfaq_req_header(req, "Authorization");
	char token[PRFAQ_TOKEN_LEN + 1];
	uint8_t hash[PRFAQ_SHA256_LEN];
	struct prfaq_error err;
	prfaq_code rc;
	uint64_t epoch;
	size_t n;

	if (h == NULL) {
		unauthorized(req, "Bearer realm=\"prfaqd\"",
			     "Send Authorization: Bearer <token>");
		return false;
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		unauthorized(req, "Bearer realm=\"prfaqd\"",
			     "Only Bearer tokens are accepted");
		return false;
	}
	h += 7;
	while (*h == ' ')
		h++;
	/* Trailing whitespace is not part of a field value (RFC 9110, 5.5). */
	n = strlen(h);
	while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
		n--;
	if (!prfaq_token_well_formed(h, n)) {
		/* Not a token we could have issued: no need to ask the database. */
		unauthorized(req, INVALID_TOKEN, "The token is unknown or revoked");
		return false;
	}
	memcpy(token, h, n);
	token[n] = '\0';
	prfaq_token_hash(token, hash);
	if (prfaq_auth_cache_get(app->auth_cache, hash, &req->caller, &epoch)) {
		req->authenticated = true;
		return true;
	}
	prfaq_error_init(&err);
	rc = prfaq_store_token_resolve(
		(struct prfaq_db_ctx){ app->pool, req->request_id }, hash,
		&req->caller, &err);
	if (rc == PRFAQ_OK) {
		prfaq_auth_cache_put(app->auth_cache, hash, &req->caller, epoch);
		req->authenticated = true;
	} else if (rc == PRFAQ_EAUTH) {
		unauthorized(req, INVALID_TOKEN, "The token is unknown or revoked");
	} else {
		prfaq_reply_error(req, &err);
	}
	prfaq_error_clear(&err);
	return rc == PRFAQ_OK;
}
