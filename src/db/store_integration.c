/*
 * store_integration.c - idempotency keys and webhook registrations
 * (see prfaq/store.h).  The outbox itself is read by outbox.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* --- idempotency keys --------------------------------------------------- */

/*
 * Forget this key if it expired, and a few other expired keys on the way:
 * so the table stays bounded by a day of keys even on instances that run no
 * webhook sender (whose periodic purge does the same in bulk).
 */
static const struct db_stmt stmt_idem_expire = {
	"idem_expire",
	"DELETE FROM idempotency_keys"
	" WHERE (user_id = $1 AND key = $2 AND expires_at < now())"
	"    OR ctid = ANY (ARRAY(SELECT ctid FROM idempotency_keys"
	"                          WHERE expires_at < now()"
	"                          LIMIT 20 FOR UPDATE SKIP LOCKED))",
	2
};

static const struct db_stmt stmt_idem_claim = {
	"idem_claim",
	"INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)"
	" ON CONFLICT (user_id, key) DO NOTHING RETURNING claim",
	3
};

#define IDEM_STR_(x) #x
#define IDEM_STR(x)  IDEM_STR_(x)
/* clang-format off */
#define IDEM_STALE \
	"claimed_at < now() - make_interval(secs => " IDEM_STR(PRFAQ_IDEM_LEASE_S) ")"

static const struct db_stmt stmt_idem_read = {
	"idem_read",
	"SELECT request_hash = $3, status, response::text, written, " IDEM_STALE
	"  FROM idempotency_keys WHERE user_id = $1 AND key = $2", 3
};
/* clang-format on */

/*
 * An abandoned claim: never finished, never written, and older than the
 * lease.  Its request cannot commit any more (its claim is no longer the
 * one recorded), so running the retry instead is safe.
 */
/* clang-format off */
static const struct db_stmt stmt_idem_takeover = {
	"idem_takeover",
	"UPDATE idempotency_keys SET claim = gen_random_uuid(), claimed_at = now()"
	" WHERE user_id = $1 AND key = $2 AND request_hash = $3"
	"   AND status IS NULL AND NOT written AND " IDEM_STALE
	" RETURNING claim", 3
};
/* clang-format on */

struct idem_ctx {
	const char *params[3];
	struct prfaq_idem_claim *claim;
	enum prfaq_idem_state state;
	int status;
	json_t *response;
};

/* The claim id from a one-row result; the state NEW. */
static void
idem_claimed(struct idem_ctx *c, const PGresult *res)
{
	snprintf(c->claim->claim, sizeof(c->claim->claim), "%s",
		 PQgetvalue(res, 0, 0));
	c->state = PRFAQ_IDEM_NEW;
}

static prfaq_code
idem_begin_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct idem_ctx *c = arg;
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	json_decref(c->response);
	c->response = NULL;
	if ((rc = db_exec(conn, &stmt_idem_expire, c->params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	PQclear(res);
	if ((rc = db_exec(conn, &stmt_idem_claim, c->params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) == 1) {
		idem_claimed(c, res);
		PQclear(res);
		return PRFAQ_OK;
	}
	PQclear(res);
	if ((rc = db_exec(conn, &stmt_idem_read, c->params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		/* Released by its owner between our two statements: retry. */
		rc = prfaq_error_set(err, PRFAQ_ECONFLICT,
				     "This Idempotency-Key is in use; retry");
	} else if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		c->state = PRFAQ_IDEM_MISMATCH;
	} else if (!PQgetisnull(res, 0, 1)) {
		c->state = PRFAQ_IDEM_REPLAY;
		c->status = atoi(PQgetvalue(res, 0, 1));
		c->response = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
		if (c->response == NULL)
			rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
					     "Stored JSON is unreadable");
	} else if (strcmp(PQgetvalue(res, 0, 3), "t") == 0) {
		c->state = PRFAQ_IDEM_LOST;
	} else if (strcmp(PQgetvalue(res, 0, 4), "t") == 0) {
		PQclear(res);
		if ((rc = db_exec(conn, &stmt_idem_takeover, c->params, &res,
				  err)) != PRFAQ_OK)
			return rc;
		/* None: another retry took it over, or its write just marked it. */
		if (PQntuples(res) == 1)
			idem_claimed(c, res);
		else
			c->state = PRFAQ_IDEM_RUNNING;
	} else {
		c->state = PRFAQ_IDEM_RUNNING;
	}
	PQclear(res);
	return rc;
}

prfaq_code
prfaq_store_idem_begin(struct prfaq_db_ctx db, struct prfaq_idem_claim *claim,
		       const uint8_t hash[PRFAQ_SHA256_LEN],
		       enum prfaq_idem_state *state, int *status,
		       json_t **response, struct prfaq_error *err)
{
	char hex[2 * PRFAQ_SHA256_LEN + 3];
	struct idem_ctx c = { { claim->user_id, claim->key, hex },
			      claim,
			      PRFAQ_IDEM_NEW,
			      0,
			      NULL };
	prfaq_code rc;

	store_bytea_param(hash, PRFAQ_SHA256_LEN, hex);
	rc = db_tx(db, idem_begin_tx, &c, err);
	if (rc != PRFAQ_OK) {
		json_decref(c.response);
		return rc;
	}
	*state = c.state;
	*status = c.status;
	*response = c.response;
	return PRFAQ_OK;
}

/*
 * Marks the claim written, in the transaction of the write itself, and only
 * while the claim still owns the key.
 */
static const struct db_stmt stmt_idem_mark = {
	"idem_mark",
	"UPDATE idempotency_keys SET written = true"
	" WHERE user_id = $1 AND key = $2 AND claim = $3"
	"   AND status IS NULL AND NOT written RETURNING 1",
	3
};

prfaq_code
store_idem_mark(struct db_conn *conn, const struct prfaq_caller *caller,
		struct prfaq_error *err)
{
	const struct prfaq_idem_claim *c = caller != NULL ? caller->idem : NULL;
	const char *params[3];
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	if (c == NULL)
		return PRFAQ_OK;
	params[0] = c->user_id;
	params[1] = c->key;
	params[2] = c->claim;
	if ((rc = db_exec(conn, &stmt_idem_mark, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = prfaq_error_set(
			err, PRFAQ_ECONFLICT,
			"A retry with this Idempotency-Key took over while this "
			"request ran; nothing was written by this one");
	PQclear(res);
	return rc;
}

struct write_ctx {
	const struct prfaq_caller *caller;
	const struct db_stmt *stmt;
	const char *const *params;
	PGresult *res;
};

static prfaq_code
write_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct write_ctx *w = arg;
	prfaq_code rc;

	PQclear(w->res);
	w->res = NULL;
	if ((rc = db_exec(conn, w->stmt, w->params, &w->res, err)) != PRFAQ_OK)
		return rc;
	/* Nothing written (e.g. no such comment): nothing to mark. */
	if (PQntuples(w->res) == 0)
		return PRFAQ_OK;
	return store_idem_mark(conn, w->caller, err);
}

prfaq_code
store_write_one(struct prfaq_db_ctx db, const struct prfaq_caller *caller,
		const struct db_stmt *stmt, const char *const *params,
		PGresult **res, struct prfaq_error *err)
{
	struct write_ctx w = { caller, stmt, params, NULL };
	struct db_conn *conn;
	prfaq_code rc;

	if (caller == NULL || caller->idem == NULL) {
		/* One statement: atomic by itself; no blind retry on a dead
		 * connection (it may have run). */
		if ((rc = db_acquire(db, &conn, err)) != PRFAQ_OK)
			return rc;
		rc = db_exec(conn, stmt, params, res, err);
		db_release(db.pool, conn);
		return rc;
	}
	if ((rc = db_tx(db, write_tx, &w, err)) != PRFAQ_OK) {
		PQclear(w.res);
		return rc;
	}
	*res = w.res;
	return PRFAQ_OK;
}

static const struct db_stmt stmt_idem_finish = {
	"idem_finish",
	"UPDATE idempotency_keys SET status = $4::int, response = $5::jsonb"
	" WHERE user_id = $1 AND key = $2 AND claim = $3",
	5
};

prfaq_code
prfaq_store_idem_finish(struct prfaq_db_ctx db,
			const struct prfaq_idem_claim *c, int status,
			const json_t *response, struct prfaq_error *err)
{
	char st[16], *text = json_dumps(response, JSON_COMPACT);
	const char *params[5] = { c->user_id, c->key, c->claim, st, text };
	PGresult *res;
	prfaq_code rc;

	if (text == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "The response could not be encoded");
	snprintf(st, sizeof(st), "%d", status);
	rc = db_query(db, &stmt_idem_finish, params, &res, err);
	free(text);
	if (rc == PRFAQ_OK)
		PQclear(res);
	return rc;
}

static const struct db_stmt stmt_idem_abort = {
	"idem_abort",
	"DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2"
	"   AND claim = $3 AND status IS NULL AND NOT written",
	3
};

void
prfaq_store_idem_abort(struct prfaq_db_ctx db, const struct prfaq_idem_claim *c)
{
	const char *params[3] = { c->user_id, c->key, c->claim };
	PGresult *res;

	/* Failing, the claim stays until its lease runs out: nothing to do. */
	if (db_query(db, &stmt_idem_abort, params, &res, NULL) == PRFAQ_OK)
		PQclear(res);
}

/* --- webhooks ----------------------------------------------------------- */

/* clang-format off */
#define WEBHOOK_JSON \
	"json_build_object('id', w.id, 'url', w.url, 'events', w.events," \
	" 'description', w.description, 'created_at', rfc3339(w.created_at))"

static const struct db_stmt stmt_webhook_insert = {
	"webhook_insert",
	"WITH w AS ("
	"  INSERT INTO webhooks (url, events, description, secret, created_by)"
	"  VALUES ($1, ARRAY(SELECT jsonb_array_elements_text($2::jsonb)), $3, $4, $5)"
	"  RETURNING *)"
	"SELECT w.id, (" WEBHOOK_JSON "::jsonb || jsonb_build_object('secret', w.secret))::text"
	"  FROM w", 5
};
/* clang-format on */

prfaq_code
prfaq_store_webhook_create(struct prfaq_db_ctx db,
			   const struct prfaq_caller *caller, const char *url,
			   const json_t *events, const char *description,
			   const char *secret, struct prfaq_text *out,
			   char *id_out, struct prfaq_error *err)
{
	char *ev = json_dumps(events, JSON_COMPACT);
	const char *params[5] = { url, ev, description, secret,
				  caller->user_id };
	PGresult *res;
	prfaq_code rc;

	if (ev == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "The events could not be encoded");
	rc = store_write_one(db, caller, &stmt_webhook_insert, params, &res,
			     err);
	free(ev);
	if (rc != PRFAQ_OK)
		return rc;
	snprintf(id_out, PRFAQ_UUID_LEN + 1, "%s", PQgetvalue(res, 0, 0));
	store_text(res, 0, 1, out);
	PQclear(res);
	return PRFAQ_OK;
}

/* clang-format off */
static const struct db_stmt stmt_webhooks_list = {
	"webhooks_list",
	"SELECT " WEBHOOK_JSON "::text, (extract(epoch FROM w.created_at) * 1000000)::bigint::text,"
	"       w.id::text"
	"  FROM webhooks w WHERE w.deleted_at IS NULL"
	"   AND ($1::bigint IS NULL OR (w.created_at, w.id) >"
	"        ('epoch'::timestamptz + $1::bigint * interval '1 microsecond', $2::uuid))"
	" ORDER BY w.created_at, w.id LIMIT $3::int + 1", 3
};
/* clang-format on */

static const struct store_list list_webhooks = {
	&stmt_webhooks_list, 0,	   2,	{ STORE_KEY_INT, STORE_KEY_UUID },
	STORE_PARENT_NONE,   NULL, NULL
};

prfaq_code
prfaq_store_webhooks_list(struct prfaq_db_ctx db,
			  const struct prfaq_page_req *page,
			  struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_webhooks, NULL, page, out, err);
}

/* clang-format off */
static const struct db_stmt stmt_webhook_get = {
	"webhook_get",
	"SELECT " WEBHOOK_JSON "::text FROM webhooks w"
	" WHERE w.id = $1 AND w.deleted_at IS NULL", 1
};
/* clang-format on */

prfaq_code
prfaq_store_webhook_get(struct prfaq_db_ctx db, const char *id,
			struct prfaq_text *out, struct prfaq_error *err)
{
	const char *params[1] = { id };
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_webhook_get, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	return store_row_text(res, 0, "No such webhook", out, err);
}

static const struct db_stmt stmt_webhook_delete = {
	"webhook_delete",
	"WITH w AS (UPDATE webhooks SET deleted_at = now()"
	"            WHERE id = $1 AND deleted_at IS NULL RETURNING id),"
	" d AS (UPDATE webhook_deliveries SET state = 'cancelled'"
	"        WHERE webhook_id IN (SELECT id FROM w) AND state = 'pending')"
	"SELECT count(*) FROM w",
	1
};

prfaq_code
prfaq_store_webhook_delete(struct prfaq_db_ctx db, const char *id,
			   struct prfaq_error *err)
{
	const char *params[1] = { id };
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	if ((rc = db_query(db, &stmt_webhook_delete, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (strcmp(PQgetvalue(res, 0, 0), "0") == 0)
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND, "No such webhook");
	PQclear(res);
	return rc;
}

static const struct db_stmt stmt_deliveries_list = {
	"deliveries_list",
	"SELECT json_build_object('id', d.id, 'state', d.state,"
	"         'event', json_build_object('id', e.id, 'type', e.type,"
	"                                    'prfaq_id', e.prfaq_id),"
	"         'attempts', coalesce((SELECT json_agg(json_build_object("
	"             'at', rfc3339(a.at), 'status_code', a.status_code,"
	"             'error', a.error, 'duration_ms', a.duration_ms) ORDER BY a.id)"
	"           FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'::json),"
	"         'next_attempt_at', CASE WHEN d.state = 'pending'"
	"                                 THEN rfc3339(d.next_attempt_at) END,"
	"         'delivered_at', rfc3339(d.delivered_at),"
	"         'created_at', rfc3339(d.created_at))::text, d.id::text"
	"  FROM webhook_deliveries d JOIN events e ON e.id = d.event_id"
	" WHERE d.webhook_id = $1 AND ($2::bigint IS NULL OR d.id < $2::bigint)"
	" ORDER BY d.id DESC LIMIT $3::int + 1",
	3
};

static const struct db_stmt stmt_webhook_exists = {
	"webhook_exists", "SELECT 1 FROM webhooks WHERE id = $1", 1
};

/*
 * The webhook is looked up first: its deliveries stay listed after it is
 * deleted, and a 404 must not depend on the cursor.
 */
static const struct store_list list_deliveries = { &stmt_deliveries_list,
						   1,
						   1,
						   { STORE_KEY_INT },
						   STORE_PARENT_FIRST,
						   &stmt_webhook_exists,
						   "No such webhook" };

prfaq_code
prfaq_store_deliveries_list(struct prfaq_db_ctx db, const char *webhook_id,
			    const struct prfaq_page_req *page,
			    struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_deliveries, &webhook_id, page, out, err);
}
