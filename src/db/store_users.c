/*
 * store_users.c - users and API tokens (see prfaq/store.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/buf.h"
#include "store_internal.h"

/* roles bit set -> "{admin,author}" array literal. */
static void
roles_literal(unsigned roles, char *buf, size_t cap)
{
	static const enum prfaq_role all[] = {
		PRFAQ_ROLE_ADMIN, PRFAQ_ROLE_AUTHOR, PRFAQ_ROLE_REVIEWER,
		PRFAQ_ROLE_APPROVER, PRFAQ_ROLE_ANALYST
	};
	size_t n = 0;

	n += (size_t)snprintf(buf, cap, "{");
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (roles & all[i])
			n += (size_t)snprintf(buf + n, cap - n, "%s%s",
					      n > 1 ? "," : "",
					      prfaq_role_name(all[i]));
	snprintf(buf + n, cap - n, "}");
}

/* "admin,author" (array_to_string of roles) -> role bits; unknown names count nothing. */
static unsigned
roles_parse(char *list)
{
	char *save = NULL;
	unsigned roles = 0;

	for (char *r = strtok_r(list, ",", &save); r != NULL;
	     r = strtok_r(NULL, ",", &save))
		roles |= prfaq_role_parse(r);
	return roles;
}

/*
 * The last_used_at update is throttled to once a minute per token, so a busy
 * client does not turn every cache miss into a row rewrite.  The fourth
 * column is how many whole seconds the token has left (NULL: no expiry), so
 * that a cached entry never outlives it.
 */
static const struct db_stmt stmt_token_resolve = {
	"token_resolve",
	"WITH t AS ("
	"  SELECT t.id, t.user_id, u.roles, t.expires_at FROM api_tokens t"
	"    JOIN users u ON u.id = t.user_id"
	"   WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active"
	"     AND (t.expires_at IS NULL OR t.expires_at > now())),"
	" touch AS ("
	"  UPDATE api_tokens SET last_used_at = now()"
	"   WHERE id = (SELECT id FROM t)"
	"     AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))"
	"SELECT id, user_id, array_to_string(roles, ','),"
	"       floor(extract(epoch FROM expires_at - now()))::bigint FROM t",
	1
};

prfaq_code
prfaq_store_token_resolve(struct prfaq_db_ctx db,
			  const uint8_t hash[PRFAQ_SHA256_LEN],
			  struct prfaq_caller *out, unsigned *left_s,
			  struct prfaq_error *err)
{
	char hex[2 * PRFAQ_SHA256_LEN + 3];
	const char *params[1] = { hex };
	struct prfaq_caller caller;
	PGresult *res;
	prfaq_code rc;

	store_bytea_param(hash, PRFAQ_SHA256_LEN, hex);
	if ((rc = db_query(db, &stmt_token_resolve, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return prfaq_error_set(err, PRFAQ_EAUTH, "Unknown token");
	}
	memset(&caller, 0, sizeof(caller));
	snprintf(caller.token_id, sizeof(caller.token_id), "%s",
		 PQgetvalue(res, 0, 0));
	snprintf(caller.user_id, sizeof(caller.user_id), "%s",
		 PQgetvalue(res, 0, 1));
	caller.roles = roles_parse(PQgetvalue(res, 0, 2));
	*left_s = UINT_MAX;
	if (!PQgetisnull(res, 0, 3)) {
		long long left = strtoll(PQgetvalue(res, 0, 3), NULL, 10);

		*left_s = left <= 0		      ? 0 :
			  left >= (long long)UINT_MAX ? UINT_MAX :
							(unsigned)left;
	}
	PQclear(res);
	*out = caller;
	return PRFAQ_OK;
}

static const struct db_stmt stmt_user_by_email = {
	"user_by_email",
	"SELECT id, array_to_string(roles, ','), active FROM users"
	" WHERE lower(email) = lower($1)",
	1
};

prfaq_code
prfaq_store_user_by_email(struct prfaq_db_ctx db, const char *email,
			  struct prfaq_user_auth *out, struct prfaq_error *err)
{
	const char *params[1] = { email };
	struct prfaq_user_auth user;
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_user_by_email, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return prfaq_error_set(err, PRFAQ_ENOTFOUND,
				       "No user with this email");
	}
	memset(&user, 0, sizeof(user));
	snprintf(user.id, sizeof(user.id), "%s", PQgetvalue(res, 0, 0));
	user.roles = roles_parse(PQgetvalue(res, 0, 1));
	user.active = PQgetvalue(res, 0, 2)[0] == 't';
	PQclear(res);
	*out = user;
	return PRFAQ_OK;
}

/* clang-format off */
#define USER_JSON \
	"json_build_object('id', id, 'name', name, 'email', email," \
	" 'roles', roles, 'active', active," \
	" 'created_at', rfc3339(created_at))::text"
/* clang-format on */

static const struct db_stmt stmt_user_insert = {
	"user_insert",
	"INSERT INTO users (name, email, roles) VALUES ($1, $2, $3::text[])"
	" RETURNING id, " USER_JSON,
	3
};

/* clang-format off */
#define TOKEN_JSON \
	"json_build_object('id', id, 'name', name," \
	" 'created_at', rfc3339(created_at)," \
	" 'last_used_at', rfc3339(last_used_at)," \
	" 'expires_at', rfc3339(expires_at))::text"
/* clang-format on */

/* $3 the name, $4 days to live: either may be NULL. */
static const struct db_stmt stmt_token_insert = {
	"token_insert",
	"INSERT INTO api_tokens (user_id, token_hash, name, expires_at)"
	" SELECT id, $2, $3, now() + $4::int * interval '1 day'"
	"   FROM users WHERE id = $1"
	" RETURNING json_build_object('id', id, 'name', name,"
	"   'created_at', rfc3339(created_at),"
	"   'expires_at', rfc3339(expires_at))::text",
	4
};

struct user_create {
	const struct prfaq_caller *caller;
	const char *name, *email;
	char roles[64];
	const uint8_t *token_hash;
	struct prfaq_text out;
	char id[PRFAQ_UUID_LEN + 1];
	bool taken; /* the email is another user's */
};

static prfaq_code
user_create_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct user_create *uc = arg;
	const char *params[3] = { uc->name, uc->email, uc->roles };
	PGresult *res;
	prfaq_code rc;

	prfaq_text_free(&uc->out);
	rc = db_exec(conn, &stmt_user_insert, params, &res, err);
	uc->taken = rc == PRFAQ_ECONFLICT;
	if (rc != PRFAQ_OK)
		return rc;
	snprintf(uc->id, sizeof(uc->id), "%s", PQgetvalue(res, 0, 0));
	store_text(res, 0, 1, &uc->out);
	PQclear(res);
	if (uc->token_hash != NULL) {
		char hex[2 * PRFAQ_SHA256_LEN + 3];
		const char *tparams[4] = { uc->id, hex, NULL, NULL };

		store_bytea_param(uc->token_hash, PRFAQ_SHA256_LEN, hex);
		if ((rc = db_run(conn, &stmt_token_insert, tparams, err)) !=
		    PRFAQ_OK)
			return rc;
	}
	return store_idem_mark(conn, uc->caller, err);
}

prfaq_code
prfaq_store_user_create(struct prfaq_db_ctx db,
			const struct prfaq_caller *caller, const char *name,
			const char *email, unsigned roles,
			const uint8_t *token_hash, struct prfaq_text *out,
			char *id_out, struct prfaq_error *err)
{
	struct user_create uc = { .caller = caller,
				  .name = name,
				  .email = email,
				  .token_hash = token_hash };
	prfaq_code rc;

	roles_literal(roles, uc.roles, sizeof(uc.roles));
	rc = db_tx(db, user_create_tx, &uc, err);
	if (rc != PRFAQ_OK) {
		prfaq_text_free(&uc.out);
		if (rc == PRFAQ_ECONFLICT && uc.taken) {
			prfaq_error_clear(err);
			return prfaq_error_set(
				err, PRFAQ_ECONFLICT,
				"A user with this email already exists");
		}
		return rc;
	}
	*out = uc.out;
	if (id_out != NULL)
		memcpy(id_out, uc.id, sizeof(uc.id));
	return PRFAQ_OK;
}

/* clang-format off */
#define USER_SUMMARY_JSON \
	"json_build_object('id', id, 'name', name, 'roles', roles)::text"

static const struct db_stmt stmt_user_get = {
	"user_get", "SELECT " USER_JSON " FROM users WHERE id = $1", 1
};

static const struct db_stmt stmt_user_summary = {
	"user_summary", "SELECT " USER_SUMMARY_JSON " FROM users WHERE id = $1", 1
};
/* clang-format on */

static prfaq_code
user_fetch(struct prfaq_db_ctx db, const struct db_stmt *stmt, const char *id,
	   struct prfaq_text *out, struct prfaq_error *err)
{
	const char *params[1] = { id };
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	if ((rc = db_query(db, stmt, params, &res, err)) != PRFAQ_OK)
		return rc;
	return store_row_text(res, 0, "No such user", out, err);
}

prfaq_code
prfaq_store_user_get(struct prfaq_db_ctx db, const char *id,
		     struct prfaq_text *out, struct prfaq_error *err)
{
	return user_fetch(db, &stmt_user_get, id, out, err);
}

prfaq_code
prfaq_store_user_summary(struct prfaq_db_ctx db, const char *id,
			 struct prfaq_text *out, struct prfaq_error *err)
{
	return user_fetch(db, &stmt_user_summary, id, out, err);
}

/* clang-format off */
static const struct db_stmt stmt_users_list = {
	"users_list",
	"SELECT " USER_SUMMARY_JSON ", name, id::text"
	"  FROM users"
	" WHERE $1::text IS NULL OR (name, id) > ($1, $2::uuid)"
	" ORDER BY name, id LIMIT $3::int + 1", 3
};
/* clang-format on */

static const struct store_list list_users = {
	&stmt_users_list,  0,	 2,   { STORE_KEY_TEXT, STORE_KEY_UUID },
	STORE_PARENT_NONE, NULL, NULL
};

prfaq_code
prfaq_store_users_list(struct prfaq_db_ctx db,
		       const struct prfaq_page_req *page,
		       struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_users, NULL, page, out, err);
}

prfaq_code
prfaq_store_token_create(struct prfaq_db_ctx db,
			 const struct prfaq_caller *caller, const char *user_id,
			 const uint8_t hash[PRFAQ_SHA256_LEN], const char *name,
			 int expires_in_days, struct prfaq_text *out,
			 struct prfaq_error *err)
{
	char hex[2 * PRFAQ_SHA256_LEN + 3], days[16];
	const char *params[4] = { user_id, hex, name,
				  expires_in_days > 0 ? days : NULL };
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	store_bytea_param(hash, PRFAQ_SHA256_LEN, hex);
	snprintf(days, sizeof(days), "%d", expires_in_days);
	if ((rc = store_write_one(db, caller, &stmt_token_insert, params, &res,
				  err)) != PRFAQ_OK)
		return rc;
	return store_row_text(res, 0, "No such user", out, err);
}

/*
 * The command line's token: for the user with this email, named $3.  With
 * $4 true, the live tokens of that name are revoked in the same statement,
 * so that a script minting "its" token at every start leaves one alive.
 */
static const struct db_stmt stmt_token_insert_email = {
	"token_insert_email",
	"WITH u AS (SELECT id FROM users WHERE lower(email) = lower($1)),"
	" old AS ("
	"  UPDATE api_tokens SET revoked_at = now()"
	"   WHERE $4::bool AND $3::text IS NOT NULL AND name = $3"
	"     AND revoked_at IS NULL AND user_id = (SELECT id FROM u))"
	"INSERT INTO api_tokens (user_id, token_hash, name)"
	" SELECT id, $2, $3 FROM u RETURNING id",
	4
};

prfaq_code
prfaq_store_token_create_for_email(struct prfaq_db_ctx db, const char *email,
				   const uint8_t hash[PRFAQ_SHA256_LEN],
				   const char *name, bool replace,
				   struct prfaq_error *err)
{
	char hex[2 * PRFAQ_SHA256_LEN + 3];
	const char *params[4] = { email, hex, name,
				  replace ? "true" : "false" };
	PGresult *res;
	prfaq_code rc;

	store_bytea_param(hash, PRFAQ_SHA256_LEN, hex);
	if ((rc = store_write_one(db, NULL, &stmt_token_insert_email, params,
				  &res, err)) != PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND,
				     "No user with this email");
	PQclear(res);
	return rc;
}

/*
 * A user's tokens that are not revoked, oldest first; expired ones stay
 * listed (their expires_at says why they fail) until someone revokes them.
 */
/* clang-format off */
static const struct db_stmt stmt_tokens_list = {
	"tokens_list",
	"SELECT " TOKEN_JSON ","
	"       (extract(epoch FROM created_at) * 1000000)::bigint::text, id::text"
	"  FROM api_tokens"
	" WHERE user_id = $1 AND revoked_at IS NULL"
	"   AND ($2::bigint IS NULL OR (created_at, id) >"
	"        ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY created_at, id LIMIT $4::int + 1", 4
};
/* clang-format on */

static const struct db_stmt stmt_user_exists = {
	"user_exists", "SELECT 1 FROM users WHERE id = $1", 1
};

static const struct store_list list_tokens = { &stmt_tokens_list,
					       1,
					       2,
					       { STORE_KEY_INT,
						 STORE_KEY_UUID },
					       STORE_PARENT_IF_EMPTY,
					       &stmt_user_exists,
					       "No such user" };

prfaq_code
prfaq_store_tokens_list(struct prfaq_db_ctx db, const char *user_id,
			const struct prfaq_page_req *page,
			struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_tokens, &user_id, page, out, err);
}

/* NULL parameters keep what is stored: the merge-patch's absent members. */
static const struct db_stmt stmt_user_update = {
	"user_update",
	"UPDATE users SET name = coalesce($2, name),"
	"       roles = coalesce($3::text[], roles),"
	"       active = coalesce($4::bool, active)"
	" WHERE id = $1 RETURNING " USER_JSON,
	4
};

prfaq_code
prfaq_store_user_update(struct prfaq_db_ctx db,
			const struct prfaq_caller *caller, const char *id,
			const char *name, int roles, int active,
			struct prfaq_text *out, struct prfaq_error *err)
{
	char literal[64];
	const char *params[4] = { id, name, NULL, NULL };
	PGresult *res;
	prfaq_code rc;

	if (roles >= 0) {
		roles_literal((unsigned)roles, literal, sizeof(literal));
		params[2] = literal;
	}
	if (active >= 0)
		params[3] = active ? "true" : "false";
	if ((rc = store_write_one(db, caller, &stmt_user_update, params, &res,
				  err)) != PRFAQ_OK)
		return rc;
	return store_row_text(res, 0, "No such user", out, err);
}

/*
 * Revoke in one statement: the row is updated only when the caller may, and
 * the second result column tells a missing token from a forbidden one.
 */
static const struct db_stmt stmt_token_revoke = {
	"token_revoke",
	"WITH target AS ("
	"  SELECT id, user_id FROM api_tokens WHERE id = $1 AND revoked_at IS NULL),"
	" done AS ("
	"  UPDATE api_tokens t SET revoked_at = now() FROM target"
	"   WHERE t.id = target.id AND ($3::bool OR target.user_id = $2::uuid)"
	"  RETURNING t.id)"
	"SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM done)",
	3
};

prfaq_code
prfaq_store_token_revoke(struct prfaq_db_ctx db, const char *token_id,
			 const struct prfaq_caller *caller,
			 struct prfaq_error *err)
{
	const char *params[3] = { token_id, caller->user_id,
				  (caller->roles & PRFAQ_ROLE_ADMIN) ?
					  "true" :
					  "false" };
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	if ((rc = db_query(db, &stmt_token_revoke, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (strcmp(PQgetvalue(res, 0, 0), "0") == 0)
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND, "No such token");
	else if (strcmp(PQgetvalue(res, 0, 1), "0") == 0)
		rc = prfaq_error_set(
			err, PRFAQ_EFORBIDDEN,
			"Only an admin or the token's owner may revoke it");
	PQclear(res);
	return rc;
}
