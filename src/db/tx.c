/*
 * tx.c - transactions and single reads on the pool, and where reads go when
 * a read replica is configured (see prfaq/db.h, struct prfaq_db_ctx).
 *
 * A read that the caller allowed on the replica runs there first; if the
 * replica cannot take it (no session can be opened, the session was lost,
 * or its recovery cancelled the read and a retry did not clear it), it runs
 * on the primary instead, and the replica is left alone for
 * REPLICA_RETRY_MS so that the reads after it do not each pay for a failed
 * connect.  A replica that answers but lags is not detected: a list may be
 * as old as its replay, which is what the caller accepted.
 */
#include <stdio.h>

#include "db_internal.h"
#include "prfaq/log.h"

#define TX_ATTEMPTS	 3
#define REPLICA_RETRY_MS 5000

/*
 * The end of a call that tried more than once, collecting each attempt's
 * error in *local: a failure hands the last attempt's error to err (which
 * takes what local owns); success drops it.  Returns rc.
 */
static prfaq_code
error_keep_last(prfaq_code rc, struct prfaq_error *local,
		struct prfaq_error *err)
{
	if (rc != PRFAQ_OK && err != NULL) {
		prfaq_error_clear(err);
		*err = *local;
	} else {
		prfaq_error_clear(local);
	}
	return rc;
}

/*
 * The transactions of db_tx() and db_read_tx() on db.pool, opened with
 * begin.  *unreachable says whether the last failure was the server's (no
 * session, or one lost, or a conflict that a retry could clear) rather than
 * the statement's: a read that failed so on a replica may run elsewhere.
 */
static prfaq_code
tx_run(struct prfaq_db_ctx db, const char *begin, db_tx_fn fn, void *arg,
       bool *unreachable, struct prfaq_error *err)
{
	struct prfaq_error local;
	prfaq_code rc = PRFAQ_EINTERNAL;

	prfaq_error_init(&local);
	for (int attempt = 1; attempt <= TX_ATTEMPTS; attempt++) {
		struct db_conn *conn;
		bool began = false, retry;

		prfaq_error_clear(&local);
		*unreachable = false;
		rc = db_acquire_at(db, &conn, unreachable, &local);
		if (rc != PRFAQ_OK)
			break;
		rc = db_command(conn, begin, &local);
		if (rc == PRFAQ_OK) {
			began = true;
			rc = fn(conn, arg, &local);
		}
		if (rc == PRFAQ_OK)
			rc = db_command(conn, "COMMIT", &local);
		/*
		 * Retry only what certainly did not commit: a serialization
		 * failure or deadlock anywhere, or a connection found dead at
		 * BEGIN.  A connection lost during COMMIT is not retried: the
		 * outcome is unknown, and the client is told 503.
		 */
		retry = rc != PRFAQ_OK && (db_conn_retryable(conn) ||
					   (!began && db_conn_lost(conn)));
		*unreachable = rc != PRFAQ_OK &&
			       (db_conn_retryable(conn) || db_conn_lost(conn));
		/* Rolls back what did not commit. */
		db_release(db.pool, conn);
		if (!retry)
			break;
	}
	return error_keep_last(rc, &local, err);
}

prfaq_code
db_tx(struct prfaq_db_ctx db, db_tx_fn fn, void *arg, struct prfaq_error *err)
{
	bool unreachable;

	return tx_run(db, db_pool_begin(db.pool, false), fn, arg, &unreachable,
		      err);
}

/*
 * The replica a read of db may use first: db.replica, unless it was found
 * unreachable less than REPLICA_RETRY_MS ago.  NULL: the primary.
 */
static struct prfaq_db_pool *
read_pool(struct prfaq_db_ctx db)
{
	if (db.replica == NULL || db_pool_resting(db.replica))
		return NULL;
	return db.replica;
}

/*
 * A read could not run on the replica: log why (once a rest), and rest the
 * replica for REPLICA_RETRY_MS.  Clears *local, whose error the primary's
 * answer replaces.
 */
static void
replica_failed(struct prfaq_db_ctx db, struct prfaq_error *local)
{
	if (db_pool_rest(db.replica, REPLICA_RETRY_MS))
		log_warn(db.request_id,
			 "read replica unavailable (%s): reading from the "
			 "primary for %d ms",
			 local->detail[0] != '\0' ? local->detail : "no detail",
			 REPLICA_RETRY_MS);
	prfaq_error_clear(local);
}

prfaq_code
db_read_tx(struct prfaq_db_ctx db, db_tx_fn fn, void *arg,
	   struct prfaq_error *err)
{
	struct prfaq_db_ctx on = db;
	struct prfaq_error local;
	bool unreachable = false;
	prfaq_code rc;

	if ((on.pool = read_pool(db)) != NULL) {
		prfaq_error_init(&local);
		rc = tx_run(on, db_pool_begin(on.pool, true), fn, arg,
			    &unreachable, &local);
		if (!unreachable)
			return error_keep_last(rc, &local, err);
		replica_failed(db, &local);
	}
	return tx_run(db, db_pool_begin(db.pool, true), fn, arg, &unreachable,
		      err);
}

/*
 * db_query() on db.pool; *unreachable as tx_run() tells it.
 */
static prfaq_code
query_run(struct prfaq_db_ctx db, const struct db_stmt *stmt,
	  const char *const *params, PGresult **res, bool *unreachable,
	  struct prfaq_error *err)
{
	struct prfaq_error local;
	prfaq_code rc = PRFAQ_EINTERNAL;

	prfaq_error_init(&local);
	for (int attempt = 1; attempt <= 2; attempt++) {
		struct db_conn *conn;
		bool lost = false;

		prfaq_error_clear(&local);
		*unreachable = false;
		if ((rc = db_acquire_at(db, &conn, unreachable, &local)) ==
		    PRFAQ_OK) {
			rc = db_exec(conn, stmt, params, res, &local);
			lost = db_conn_lost(conn);
			*unreachable = db_conn_lost(conn) ||
				       db_conn_retryable(conn);
			db_release(db.pool, conn);
		}
		if (rc == PRFAQ_OK || !lost)
			break;
	}
	return error_keep_last(rc, &local, err);
}

prfaq_code
db_query(struct prfaq_db_ctx db, const struct db_stmt *stmt,
	 const char *const *params, PGresult **res, struct prfaq_error *err)
{
	struct prfaq_db_ctx on = db;
	struct prfaq_error local;
	bool unreachable = false;
	prfaq_code rc;

	if ((on.pool = read_pool(db)) != NULL) {
		prfaq_error_init(&local);
		rc = query_run(on, stmt, params, res, &unreachable, &local);
		if (!unreachable)
			return error_keep_last(rc, &local, err);
		replica_failed(db, &local);
	}
	return query_run(db, stmt, params, res, &unreachable, err);
}
