/*
 * outbox.c - claim and record webhook deliveries (see prfaq/outbox.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/buf.h"
#include "prfaq/log.h"
#include "prfaq/outbox.h"
#include "store_internal.h"

/*
 * The outbox's connection is the only one of a pool of its own, checked out
 * for good: statement preparation, error mapping and reconnection are the
 * pool's, not a second copy of them, and requests never wait for it.
 */
struct prfaq_outbox {
	struct prfaq_db_pool *pool;
	struct db_conn *conn; /* checked out; NULL until first connected */
	/*
	 * Behind a transaction pooler: no LISTEN, whose session would be one
	 * that others share; the sender's polling finds the work.
	 */
	bool transaction_pooling;
};

static const struct db_stmt stmt_claim = {
	"outbox_claim",
	"WITH due AS ("
	"  SELECT id FROM webhook_deliveries"
	"   WHERE state = 'pending' AND next_attempt_at <= now()"
	"     AND (leased_until IS NULL OR leased_until < now())"
	"   ORDER BY next_attempt_at, id LIMIT $1::int"
	"   FOR UPDATE SKIP LOCKED),"
	" leased AS ("
	"  UPDATE webhook_deliveries d"
	"     SET leased_until = now() + $2::int * interval '1 second',"
	"         attempts = d.attempts + 1"
	"    FROM due WHERE d.id = due.id"
	"  RETURNING d.id, d.attempts, d.webhook_id, d.event_id)"
	"SELECT l.id, l.attempts, w.url, w.secret, e.type,"
	"       json_build_object('delivery_id', l.id, 'id', e.id, 'type', e.type,"
	"         'prfaq_id', e.prfaq_id,"
	"         'actor', json_build_object('id', u.id, 'name', u.name),"
	"         'at', rfc3339(e.at), 'data', e.data)::text"
	"  FROM leased l JOIN webhooks w ON w.id = l.webhook_id"
	"  JOIN events e ON e.id = l.event_id JOIN users u ON u.id = e.actor_id"
	" ORDER BY l.id",
	2
};

static const struct db_stmt stmt_record = {
	"outbox_record",
	"WITH a AS ("
	"  INSERT INTO webhook_attempts (delivery_id, status_code, error, duration_ms)"
	"  VALUES ($1::bigint, $3::int, $4, $5::int))"
	"UPDATE webhook_deliveries SET leased_until = NULL,"
	"       state = CASE WHEN $2::bool THEN 'delivered'"
	"                    WHEN state <> 'pending' THEN state"
	"                    WHEN created_at < now() - $7::int * interval '1 second'"
	"                    THEN 'failed' ELSE 'pending' END,"
	"       delivered_at = CASE WHEN $2::bool THEN now() END,"
	"       next_attempt_at = now() + $6::int * interval '1 millisecond'"
	" WHERE id = $1::bigint RETURNING state",
	7
};

/*
 * The attempts this process's sender recorded, by outcome, for /metrics:
 * counted here, where the outcome is known, rather than by scanning the
 * attempts table at every scrape.
 */
enum { OUT_DELIVERED, OUT_RETRIED, OUT_FAILED, OUT_N };
static const char *const outcome_label[OUT_N] = { "delivered", "retried",
						  "failed" };
static atomic_ullong outcomes[OUT_N];

static const struct db_stmt stmt_purge = {
	"outbox_purge", "DELETE FROM idempotency_keys WHERE expires_at < now()",
	0
};

struct prfaq_outbox *
prfaq_outbox_open(const char *conninfo, bool transaction_pooling)
{
	struct prfaq_db_pool_opts opts = {
		conninfo, 1, 5000, 30000, 30000, transaction_pooling
	};
	struct prfaq_outbox *ob = prfaq_calloc(1, sizeof(*ob));

	ob->transaction_pooling = transaction_pooling;
	ob->pool = prfaq_db_pool_new(&opts);
	if (ob->pool == NULL) {
		free(ob);
		return NULL;
	}
	return ob;
}

void
prfaq_outbox_close(struct prfaq_outbox *ob)
{
	if (ob == NULL)
		return;
	if (ob->conn != NULL)
		db_release(ob->pool, ob->conn);
	prfaq_db_pool_free(ob->pool);
	free(ob);
}

/* Keep the one connection checked out, LISTENing, reconnecting as needed. */
static prfaq_code
ob_connect(struct prfaq_outbox *ob, struct prfaq_error *err)
{
	PGresult *res;
	prfaq_code rc;

	/* A failed statement may have dropped the session: look afresh. */
	if (ob->conn != NULL && PQstatus(db_conn_pg(ob->conn)) == CONNECTION_OK)
		return PRFAQ_OK;
	if (ob->conn != NULL) {
		db_release(ob->pool, ob->conn);
		ob->conn = NULL;
	}
	/* No request: the sender's lines carry no request id. */
	if ((rc = db_acquire((struct prfaq_db_ctx){ ob->pool, NULL, 0, NULL },
			     &ob->conn, err)) != PRFAQ_OK)
		return rc;
	if (ob->transaction_pooling)
		return PRFAQ_OK;
	res = PQexec(db_conn_pg(ob->conn), "LISTEN prfaq_outbox");
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ?
		     PRFAQ_OK :
		     prfaq_error_set(err, PRFAQ_EUNAVAILABLE, "LISTEN failed");
	PQclear(res);
	return rc;
}

prfaq_code
prfaq_outbox_claim(struct prfaq_outbox *ob, int max, unsigned lease_s,
		   struct prfaq_outbox_item **items, size_t *n,
		   struct prfaq_error *err)
{
	char m[16], l[16];
	const char *params[2] = { m, l };
	struct prfaq_outbox_item *it;
	PGresult *res;
	prfaq_code rc;
	int rows;

	if ((rc = ob_connect(ob, err)) != PRFAQ_OK)
		return rc;
	snprintf(m, sizeof(m), "%d", max);
	snprintf(l, sizeof(l), "%u", lease_s);
	if ((rc = db_exec(ob->conn, &stmt_claim, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	rows = PQntuples(res);
	it = prfaq_calloc(rows > 0 ? (size_t)rows : 1, sizeof(*it));
	for (int r = 0; r < rows; r++) {
		it[r].delivery_id = atoll(PQgetvalue(res, r, 0));
		it[r].attempts = atoi(PQgetvalue(res, r, 1));
		it[r].url = prfaq_strdup(PQgetvalue(res, r, 2));
		it[r].secret = prfaq_strdup(PQgetvalue(res, r, 3));
		it[r].event_type = prfaq_strdup(PQgetvalue(res, r, 4));
		it[r].payload = prfaq_strdup(PQgetvalue(res, r, 5));
		/* The style of every response ({"id":1}), which is what is
		 * signed: PostgreSQL writes {"id" : 1}. */
		it[r].payload_len = store_json_compact(
			it[r].payload, (size_t)PQgetlength(res, r, 5));
		it[r].payload[it[r].payload_len] = '\0';
	}
	PQclear(res);
	*items = it;
	*n = (size_t)rows;
	return PRFAQ_OK;
}

void
prfaq_outbox_items_free(struct prfaq_outbox_item *items, size_t n)
{
	if (items == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(items[i].url);
		if (items[i].secret != NULL)
			memset(items[i].secret, 0, strlen(items[i].secret));
		free(items[i].secret);
		free(items[i].event_type);
		free(items[i].payload);
	}
	free(items);
}

prfaq_code
prfaq_outbox_record(struct prfaq_outbox *ob, long long delivery_id,
		    bool delivered, int status_code, const char *error,
		    int duration_ms, unsigned retry_ms, unsigned max_age_s,
		    struct prfaq_error *err)
{
	char id[24], st[16], dur[16], retry[16], age[16];
	const char *params[7] = { id,
				  delivered ? "true" : "false",
				  status_code > 0 ? st : NULL,
				  error,
				  dur,
				  retry,
				  age };
	PGresult *res;
	prfaq_code rc;

	if ((rc = ob_connect(ob, err)) != PRFAQ_OK)
		return rc;
	snprintf(id, sizeof(id), "%lld", delivery_id);
	snprintf(st, sizeof(st), "%d", status_code);
	snprintf(dur, sizeof(dur), "%d", duration_ms);
	snprintf(retry, sizeof(retry), "%u", retry_ms);
	snprintf(age, sizeof(age), "%u", max_age_s);
	if ((rc = db_exec(ob->conn, &stmt_record, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) == 1) {
		const char *state = PQgetvalue(res, 0, 0);
		int o = strcmp(state, "delivered") == 0 ? OUT_DELIVERED :
			strcmp(state, "failed") == 0	? OUT_FAILED :
							  OUT_RETRIED;

		atomic_fetch_add_explicit(&outcomes[o], 1,
					  memory_order_relaxed);
	}
	PQclear(res);
	return PRFAQ_OK;
}

/*
 * One cheap read for the gauges: the pending deliveries are few and
 * indexed (webhook_deliveries_due_idx), the failed ones counted from their
 * own partial index (migration 0009).
 */
static const struct db_stmt stmt_outbox_stats = {
	"outbox_stats",
	"SELECT (SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'),"
	"       (SELECT count(*) FROM webhook_deliveries WHERE state = 'failed'),"
	"       (SELECT coalesce(floor(extract(epoch FROM now() - min(created_at))), 0)"
	"          FROM webhook_deliveries WHERE state = 'pending')::bigint",
	0
};

int
prfaq_outbox_metrics(struct prfaq_db_ctx db, struct prfaq_buf *out)
{
	struct prfaq_error err;
	PGresult *res;
	int rc = 0;

	prfaq_error_init(&err);
	rc |= prfaq_buf_puts(
		out,
		"# HELP prfaqd_webhook_deliveries_total Delivery attempts this instance recorded, by outcome (retried: failed, will be tried again).\n"
		"# TYPE prfaqd_webhook_deliveries_total counter\n");
	for (int o = 0; o < OUT_N; o++)
		rc |= prfaq_buf_printf(
			out,
			"prfaqd_webhook_deliveries_total{outcome=\"%s\"} %llu\n",
			outcome_label[o],
			atomic_load_explicit(&outcomes[o],
					     memory_order_relaxed));
	/* Without the database the gauges are unknown: left out, not zero. */
	if (db_query(db, &stmt_outbox_stats, NULL, &res, &err) == PRFAQ_OK) {
		rc |= prfaq_buf_printf(
			out,
			"# HELP prfaqd_webhook_outbox_pending Deliveries waiting to be sent (all instances).\n"
			"# TYPE prfaqd_webhook_outbox_pending gauge\n"
			"prfaqd_webhook_outbox_pending %s\n"
			"# HELP prfaqd_webhook_outbox_failed Deliveries given up on (all instances).\n"
			"# TYPE prfaqd_webhook_outbox_failed gauge\n"
			"prfaqd_webhook_outbox_failed %s\n"
			"# HELP prfaqd_webhook_outbox_oldest_pending_age_seconds Age of the oldest pending delivery; 0 when none.\n"
			"# TYPE prfaqd_webhook_outbox_oldest_pending_age_seconds gauge\n"
			"prfaqd_webhook_outbox_oldest_pending_age_seconds %s\n",
			PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
			PQgetvalue(res, 0, 2));
		PQclear(res);
	}
	prfaq_error_clear(&err);
	return rc ? -1 : 0;
}

void
prfaq_outbox_wait(struct prfaq_outbox *ob, int wake_fd, int timeout_ms)
{
	struct pollfd fds[2] = { { wake_fd, POLLIN, 0 }, { -1, POLLIN, 0 } };
	PGconn *pg = ob->conn ? db_conn_pg(ob->conn) : NULL;
	PGnotify *note;

	if (pg != NULL && PQstatus(pg) == CONNECTION_OK)
		fds[1].fd = PQsocket(pg);
	if (poll(fds, 2, timeout_ms) < 0 && errno != EINTR)
		return;
	if (fds[1].fd >= 0 && (fds[1].revents & POLLIN)) {
		PQconsumeInput(pg);
		while ((note = PQnotifies(pg)) != NULL)
			PQfreemem(note);
	}
}

void
prfaq_outbox_purge(struct prfaq_outbox *ob)
{
	struct prfaq_error err;
	PGresult *res;

	prfaq_error_init(&err);
	if (ob_connect(ob, &err) == PRFAQ_OK &&
	    db_exec(ob->conn, &stmt_purge, NULL, &res, &err) == PRFAQ_OK)
		PQclear(res);
	prfaq_error_clear(&err);
}
