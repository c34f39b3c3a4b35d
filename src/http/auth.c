/*
 * auth.c - bearer-token middleware: every PRFAQ_ROUTE_AUTH request gets its
 * caller here, from the token cache when possible, else from the database.
 * A bearer value with two dots is a JWT of the identity provider (when one
 * is configured): verified here against the key set, its user found by
 * email, and then cached like an opaque token.
 */
#include <limits.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http_internal.h"
#include "prfaq/app.h"
#include "prfaq/jwt.h"
#include "prfaq/log.h"
#include "prfaq/store.h"

#define INVALID_TOKEN "Bearer realm=\"prfaqd\", error=\"invalid_token\""

static void
unauthorized(struct prfaq_request *req, const char *challenge,
	     const char *detail)
{
	prfaq_reply_header(req, "WWW-Authenticate", challenge);
	prfaq_reply_problem(req, PRFAQ_EAUTH, "%s", detail);
}

#define JWT_SKEW_S 60

/*
 * 401 for a JWT, with the reason as RFC 6750's error_description, whose
 * grammar allows printable ASCII but '"' and '\\': anything else becomes '?'
 * (the reasons are constant text, but the header must stay well-formed).
 */
static void
jwt_refuse(struct prfaq_request *req, const char *why)
{
	static const char head[] =
		"Bearer realm=\"prfaqd\", error=\"invalid_token\", error_description=\"";
	char challenge[sizeof(head) + PRFAQ_ERROR_DETAIL_MAX + 2];
	size_t n = sizeof(head) - 1;

	memcpy(challenge, head, n);
	for (const char *p = why; *p != '\0' && n < sizeof(challenge) - 2; p++)
		challenge[n++] =
			(*p >= 0x20 && *p <= 0x7e && *p != '"' && *p != '\\') ?
				*p :
				'?';
	challenge[n++] = '"';
	challenge[n] = '\0';
	unauthorized(req, challenge, why);
}

/*
 * The user of a verified token: found by email (a read), or with
 * PRFAQ_JWT_AUTO_CREATE made from its claims (the only write any JWT
 * costs).  PRFAQ_ENOTFOUND when there is none to be had.
 */
static prfaq_code
jwt_user(struct prfaq_app *app, const struct prfaq_jwt_claims *claims,
	 struct prfaq_user_auth *user, const char *request_id,
	 struct prfaq_error *err)
{
	const struct prfaq_config *cfg = app->cfg;
	struct prfaq_db_ctx db = { app->pool, request_id, 0, NULL };
	struct prfaq_text created = { NULL, 0 };
	prfaq_code rc;

	rc = prfaq_store_user_by_email(db, claims->email, user, err);
	if (rc != PRFAQ_ENOTFOUND || !cfg->jwt_auto_create)
		return rc;
	prfaq_error_clear(err);
	rc = prfaq_store_user_create(db, NULL, claims->name, claims->email,
				     cfg->jwt_default_role_bits, NULL, &created,
				     user->id, err);
	prfaq_text_free(&created);
	if (rc == PRFAQ_OK) {
		user->roles = cfg->jwt_default_role_bits;
		user->active = true;
		log_info(request_id,
			 "user %s created for a JWT of the identity "
			 "provider",
			 user->id);
	} else if (rc == PRFAQ_ECONFLICT) {
		/* Another request of the same user created it first. */
		prfaq_error_clear(err);
		rc = prfaq_store_user_by_email(db, claims->email, user, err);
	}
	return rc;
}

/*
 * Authenticate a JWT bearer value token[0..n): from the cache (keyed by the
 * token's hash, kept until the token expires or the cache TTL, whichever
 * comes first), else verified and its user looked up.  False after a reply.
 */
static bool
auth_jwt(struct prfaq_request *req, const char *token, size_t n)
{
	struct prfaq_app *app = req->srv->app;
	const struct prfaq_config *cfg = app->cfg;
	struct prfaq_jwt_policy policy = {
		.issuer = cfg->jwt_issuer,
		.audience = cfg->jwt_audience,
		.email_claim = cfg->jwt_email_claim,
		.roles_claim = cfg->jwt_roles_claim,
		.skew_s = JWT_SKEW_S,
	};
	struct prfaq_jwt_claims claims;
	struct prfaq_user_auth user;
	uint8_t hash[PRFAQ_SHA256_LEN];
	struct prfaq_jwks *keys;
	struct prfaq_error err;
	bool kid_unknown = false, ok = false;
	uint64_t epoch;
	int64_t now;
	prfaq_code rc;

	if (n > PRFAQ_JWT_MAX_LEN) {
		/* Not worth a hash, let alone a decoding. */
		jwt_refuse(req, "the token is too large");
		return false;
	}
	prfaq_sha256(token, n, hash);
	if (prfaq_auth_cache_get(app->auth_cache, hash, &req->caller, &epoch)) {
		req->authenticated = true;
		return true;
	}
	prfaq_error_init(&err);
	keys = prfaq_jwks_source_get(app->jwks);
	now = (int64_t)time(NULL);
	rc = prfaq_jwt_verify(token, n, keys, &policy, now, &claims,
			      &kid_unknown, &err);
	prfaq_jwks_unref(keys);
	if (rc != PRFAQ_OK) {
		if (kid_unknown)
			prfaq_jwks_source_kid_miss(app->jwks);
		jwt_refuse(req, err.detail);
		goto out;
	}
	rc = jwt_user(app, &claims, &user, req->request_id, &err);
	if (rc == PRFAQ_ENOTFOUND) {
		jwt_refuse(req, "no user has the email of this token");
		goto out;
	}
	if (rc != PRFAQ_OK) {
		prfaq_reply_error(req, &err);
		goto out;
	}
	if (!user.active) {
		jwt_refuse(req, "the user of this token is deactivated");
		goto out;
	}
	memset(&req->caller, 0, sizeof(req->caller));
	memcpy(req->caller.user_id, user.id, sizeof(user.id));
	req->caller.roles = cfg->jwt_roles_claim[0] ? claims.roles : user.roles;
	req->authenticated = ok = true;
	if (claims.exp > now)
		prfaq_auth_cache_put_for(app->auth_cache, hash, &req->caller,
					 epoch,
					 claims.exp - now > UINT_MAX ?
						 UINT_MAX :
						 (unsigned)(claims.exp - now));
out:
	prfaq_error_clear(&err);
	return ok;
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
	unsigned left_s;
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
	if (prfaq_jwt_shaped(h, n)) {
		if (app->jwks != NULL)
			return auth_jwt(req, h, n);
		unauthorized(
			req, INVALID_TOKEN,
			"This server does not accept JWTs; send an API token");
		return false;
	}
	if (!prfaq_token_well_formed(h, n)) {
		/* Not a token we could have issued: no need to ask the database. */
		unauthorized(req, INVALID_TOKEN,
			     "The token is unknown or revoked");
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
		(struct prfaq_db_ctx){ app->pool, req->request_id,
				       prfaq_req_db_deadline(req), NULL },
		hash, &req->caller, &left_s, &err);
	if (rc == PRFAQ_OK) {
		/* Never cached past the token's own expiry. */
		prfaq_auth_cache_put_for(app->auth_cache, hash, &req->caller,
					 epoch, left_s);
		req->authenticated = true;
	} else if (rc == PRFAQ_EAUTH) {
		unauthorized(req, INVALID_TOKEN,
			     "The token is unknown or revoked");
	} else {
		prfaq_reply_error(req, &err);
	}
	prfaq_error_clear(&err);
	return rc == PRFAQ_OK;
}
