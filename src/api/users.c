/*
 * users.c - /v1/me, /v1/users, /v1/users/{id} (GET, PATCH),
 * /v1/users/{id}/tokens (POST, GET), /v1/tokens/{id}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "prfaq/utf8.h"

/*
 * The caller as stored, with the roles of this request: a JWT's roles claim
 * (PRFAQ_JWT_ROLES_CLAIM) replaces the stored ones, and a portal asks here
 * what its user may do.
 */
void
api_me(struct prfaq_request *req)
{
	const struct prfaq_caller *caller = prfaq_req_caller(req);
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	json_t *me, *roles;

	prfaq_error_init(&err);
	if (prfaq_store_user_get(api_db(req), caller->user_id, &t, &err) !=
	    PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	me = json_loadb(t.data, t.len, 0, NULL);
	prfaq_text_free(&t);
	roles = json_array();
	for (unsigned bit = 1; bit <= PRFAQ_ROLE_ANALYST; bit <<= 1)
		if ((caller->roles & bit) && roles != NULL)
			json_array_append_new(
				roles, json_string(prfaq_role_name(bit)));
	if (me == NULL || roles == NULL) {
		json_decref(roles);
		roles = NULL;
	}
	/* json_object_set_new takes roles even when it fails. */
	if (roles == NULL || json_object_set_new(me, "roles", roles) != 0) {
		json_decref(me);
		prfaq_reply_problem(req, PRFAQ_ENOMEM, "Out of memory");
		return;
	}
	prfaq_reply_json(req, 200, me);
}

/* A plausible address: one "@", something on each side, no spaces. */
static bool
email_plausible(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@'))
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ')
			return false;
	return strchr(at, '.') != NULL;
}

/*
 * A list of roles into *roles (bits); every problem is added to err under
 * /roles.
 */
static void
roles_validate(const json_t *v, unsigned *roles, struct prfaq_error *err)
{
	size_t i;
	json_t *r;

	*roles = 0;
	if (!json_is_array(v)) {
		prfaq_error_add(err, "/roles", "must be a list of roles");
		return;
	}
	if (json_array_size(v) > 5) {
		/* Five roles exist; a longer list can only repeat them. */
		prfaq_error_add(
			err, "/roles",
			"must list each of admin, author, reviewer, approver, analyst at most once");
		return;
	}
	json_array_foreach(v, i, r) {
		unsigned bit = json_is_string(r) ?
				       prfaq_role_parse(json_string_value(r)) :
				       0;
		char ptr[32];

		snprintf(ptr, sizeof(ptr), "/roles/%zu", i);
		if (bit == 0)
			prfaq_error_add(
				err, ptr,
				"must be one of admin, author, reviewer, approver, analyst");
		else if (*roles & bit)
			prfaq_error_add(err, ptr, "is listed twice");
		*roles |= bit;
	}
}

/*
 * A display name: 1 to 200 characters, none of them a control character
 * (a newline or an escape in a name ends up in every rendering that shows
 * an author).
 */
static void
name_validate(const json_t *v, const char *ptr, struct prfaq_error *err)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);

	if (n == 0 || prfaq_utf8_length(s, n) > 200) {
		prfaq_error_add(err, ptr, "must be 1 to 200 characters");
		return;
	}
	api_check_text(v, PRFAQ_TEXT_NAME, ptr, err);
}

/* Validate {name, email, roles}; fills *roles.  Collects every problem. */
static prfaq_code
user_validate(const json_t *body, unsigned *roles, struct prfaq_error *err)
{
	static const char *const allowed[] = { "name", "email", "roles", NULL };
	json_t *v;

	if (!json_is_object(body))
		return prfaq_error_add(err, "", "must be a JSON object");
	api_check_members(body, allowed, "", err);
	v = json_object_get(body, "name");
	if (!json_is_string(v))
		prfaq_error_add(err, "/name",
				"is required and must be a string");
	else
		name_validate(v, "/name", err);
	v = json_object_get(body, "email");
	if (!json_is_string(v))
		prfaq_error_add(err, "/email",
				"is required and must be a string");
	else if (json_string_length(v) > 320 ||
		 !email_plausible(json_string_value(v)))
		prfaq_error_add(err, "/email", "must be an email address");
	else
		api_check_text(v, PRFAQ_TEXT_LINE, "/email", err);
	v = json_object_get(body, "roles");
	*roles = 0;
	if (!json_is_array(v))
		prfaq_error_add(err, "/roles",
				"is required and must be a list of roles");
	else
		roles_validate(v, roles, err);
	return err->code;
}

void
api_users_create(struct prfaq_request *req)
{
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	char id[PRFAQ_UUID_LEN + 1], location[64];
	json_t *body = NULL;
	unsigned roles = 0;

	prfaq_error_init(&err);
	if (!api_require_role(req, PRFAQ_ROLE_ADMIN, "create users"))
		return;
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK ||
	    user_validate(body, &roles, &err) != PRFAQ_OK ||
	    prfaq_store_user_create(
		    api_db(req), prfaq_req_caller(req),
		    json_string_value(json_object_get(body, "name")),
		    json_string_value(json_object_get(body, "email")), roles,
		    NULL, &t, id, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	snprintf(location, sizeof(location), "/v1/users/%s", id);
	prfaq_reply_header(req, "Location", location);
	api_reply_text(req, 201, &t);
out:
	json_decref(body);
}

static prfaq_code
users_page(struct prfaq_request *req, const void *arg,
	   const struct prfaq_page_req *page, struct prfaq_page *out,
	   struct prfaq_error *err)
{
	return prfaq_store_users_list(api_db(req), page, out, err);
}

void
api_users_list(struct prfaq_request *req)
{
	api_list(req, users_page, NULL);
}

/*
 * Any authenticated user may look a user up; the email is for admins and the
 * user themself, as in POST /v1/users and GET /v1/me.  Others see what the
 * list shows everyone.
 */
void
api_users_get(struct prfaq_request *req)
{
	const struct prfaq_caller *caller = prfaq_req_caller(req);
	struct prfaq_db_ctx db = api_db(req);
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	const char *id;
	prfaq_code rc;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "user")) == NULL)
		return;
	if ((caller->roles & PRFAQ_ROLE_ADMIN) ||
	    strcasecmp(id, caller->user_id) == 0)
		rc = prfaq_store_user_get(db, id, &t, &err);
	else
		rc = prfaq_store_user_summary(db, id, &t, &err);
	if (rc != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	api_reply_text(req, 200, &t);
}

/*
 * Validate a merge-patch of a user: name, roles and active, each optional;
 * null would delete a member, and none of them may be absent from a user.
 * Fills *name (borrowed from body), *roles and *active (-1: unchanged).
 */
static prfaq_code
user_patch_validate(const json_t *body, const char **name, int *roles,
		    int *active, struct prfaq_error *err)
{
	static const char *const allowed[] = { "name", "roles", "active",
					       NULL };
	json_t *v;

	*name = NULL;
	*roles = *active = -1;
	if (!json_is_object(body))
		return prfaq_error_add(err, "", "must be a JSON object");
	api_check_members(body, allowed, "", err);
	if ((v = json_object_get(body, "name")) != NULL) {
		if (!json_is_string(v))
			prfaq_error_add(err, "/name", "must be a string");
		else
			name_validate(v, "/name", err);
		*name = json_string_value(v);
	}
	if ((v = json_object_get(body, "roles")) != NULL) {
		unsigned bits;

		roles_validate(v, &bits, err);
		*roles = (int)bits;
	}
	if ((v = json_object_get(body, "active")) != NULL) {
		if (!json_is_boolean(v))
			prfaq_error_add(err, "/active",
					"must be true or false");
		*active = json_is_true(v);
	}
	return err->code;
}

/*
 * PATCH /v1/users/{id} (admins): rename, change roles, deactivate or
 * reactivate.  Whatever changed, the user's cached callers are evicted, so
 * that a deactivation or a lost role holds from the next request on this
 * instance (within the cache TTL on others).  An admin may not deactivate
 * themself or drop their own admin role: nobody locks the last door from
 * inside.
 */
void
api_users_patch(struct prfaq_request *req)
{
	const struct prfaq_caller *caller = prfaq_req_caller(req);
	struct prfaq_app *app = prfaq_req_app(req);
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	const char *id, *name;
	json_t *body = NULL;
	int roles, active;

	prfaq_error_init(&err);
	if (!api_require_role(req, PRFAQ_ROLE_ADMIN, "change users"))
		return;
	if ((id = api_param_uuid(req, "id", "user")) == NULL)
		return;
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK ||
	    user_patch_validate(body, &name, &roles, &active, &err) !=
		    PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	if (strcasecmp(id, caller->user_id) == 0) {
		if (active == 0) {
			prfaq_reply_problem(
				req, PRFAQ_ECONFLICT,
				"An admin cannot deactivate themself; ask another admin");
			goto out;
		}
		if (roles >= 0 && !(roles & PRFAQ_ROLE_ADMIN)) {
			prfaq_reply_problem(
				req, PRFAQ_ECONFLICT,
				"An admin cannot drop their own admin role; ask another admin");
			goto out;
		}
	}
	if (prfaq_store_user_update(api_db(req), caller, id, name, roles,
				    active, &t, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	prfaq_auth_cache_evict_user(app->auth_cache, id);
	api_reply_text(req, 200, &t);
out:
	json_decref(body);
}

/*
 * The optional body of POST /v1/users/{id}/tokens: {name?, expires_in_days?}.
 * *name is borrowed from body; *days is 0 for no expiry.
 */
static prfaq_code
token_body_validate(const json_t *body, const char **name, int *days,
		    struct prfaq_error *err)
{
	static const char *const allowed[] = { "name", "expires_in_days",
					       NULL };
	json_t *v;

	*name = NULL;
	*days = 0;
	if (!json_is_object(body))
		return prfaq_error_add(err, "", "must be a JSON object");
	api_check_members(body, allowed, "", err);
	if ((v = json_object_get(body, "name")) != NULL) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);

		if (!json_is_string(v) || n == 0 ||
		    prfaq_utf8_length(s, n) > 100)
			prfaq_error_add(err, "/name",
					"must be 1 to 100 characters");
		else
			api_check_text(v, PRFAQ_TEXT_NAME, "/name", err);
		*name = s;
	}
	if ((v = json_object_get(body, "expires_in_days")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 3650)
			prfaq_error_add(
				err, "/expires_in_days",
				"must be a whole number from 1 to 3650");
		else
			*days = (int)json_integer_value(v);
	}
	return err->code;
}

void
api_tokens_create(struct prfaq_request *req)
{
	const struct prfaq_caller *caller = prfaq_req_caller(req);
	char token[PRFAQ_TOKEN_LEN + 1];
	uint8_t hash[PRFAQ_SHA256_LEN];
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	const char *user_id, *name;
	json_t *req_body = NULL, *body;
	int days;

	prfaq_error_init(&err);
	memset(token, 0, sizeof(token));
	if ((user_id = api_param_uuid(req, "id", "user")) == NULL)
		return;
	if (!(caller->roles & PRFAQ_ROLE_ADMIN) &&
	    strcasecmp(user_id, caller->user_id) != 0) {
		prfaq_reply_problem(
			req, PRFAQ_EFORBIDDEN,
			"Only an admin may create tokens for another user");
		return;
	}
	if (prfaq_req_json(req, true, &req_body, &err) != PRFAQ_OK ||
	    token_body_validate(req_body, &name, &days, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	if (prfaq_token_generate(token, hash) != 0) {
		prfaq_reply_problem(req, PRFAQ_EINTERNAL,
				    "No randomness available");
		goto out;
	}
	if (prfaq_store_token_create(api_db(req), prfaq_req_caller(req),
				     user_id, hash, name, days, &t,
				     &err) != PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	/* The only time the token exists outside the client: this response. */
	body = json_loadb(t.data, t.len, 0, NULL);
	prfaq_text_free(&t);
	if (body == NULL ||
	    json_object_set_new(body, "token", json_string(token)) != 0) {
		json_decref(body);
		prfaq_reply_problem(req, PRFAQ_ENOMEM, "Out of memory");
		goto out;
	}
	prfaq_reply_header(req, "Cache-Control", "no-store");
	prfaq_reply_json(req, 201, body);
out:
	json_decref(req_body);
	memset(token, 0, sizeof(token));
}

static prfaq_code
tokens_page(struct prfaq_request *req, const void *arg,
	    const struct prfaq_page_req *page, struct prfaq_page *out,
	    struct prfaq_error *err)
{
	return prfaq_store_tokens_list(api_db(req), arg, page, out, err);
}

/*
 * GET /v1/users/{id}/tokens: for an admin or the user themself, so that the
 * one to revoke can be found by name; a token's secret is never stored, so
 * never shown.
 */
void
api_tokens_list(struct prfaq_request *req)
{
	const struct prfaq_caller *caller = prfaq_req_caller(req);
	const char *user_id;

	if ((user_id = api_param_uuid(req, "id", "user")) == NULL)
		return;
	if (!(caller->roles & PRFAQ_ROLE_ADMIN) &&
	    strcasecmp(user_id, caller->user_id) != 0) {
		prfaq_reply_problem(
			req, PRFAQ_EFORBIDDEN,
			"Only an admin or the user may list a user's tokens");
		return;
	}
	api_list(req, tokens_page, user_id);
}

void
api_tokens_delete(struct prfaq_request *req)
{
	struct prfaq_app *app = prfaq_req_app(req);
	struct prfaq_error err;
	const char *token_id;

	prfaq_error_init(&err);
	if ((token_id = api_param_uuid(req, "id", "token")) == NULL)
		return;
	if (prfaq_store_token_revoke(api_db(req), token_id,
				     prfaq_req_caller(req), &err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	/* Effective at once here; elsewhere within the cache TTL. */
	prfaq_auth_cache_evict_token(app->auth_cache, token_id);
	prfaq_reply_empty(req, 204);
}
