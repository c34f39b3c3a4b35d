/*
 * db_internal.h - what the files of src/db share: checkout of a connection,
 * prepared-statement execution with SQLSTATE mapping, and transactions.
 * Not for use outside src/db.
 */
#ifndef PRFAQ_DB_INTERNAL_H
#define PRFAQ_DB_INTERNAL_H

#include <libpq-fe.h>

#include "prfaq/alloc.h"
#include "prfaq/db.h"
#include "prfaq/error.h"

/*
 * A statement is defined once, statically, next to the code that uses it; it
 * is prepared on a connection the first time that connection runs it (and
 * again after a reconnect, since the server forgot it).
 */
struct db_stmt {
	/*
	 * Unique, used as the prepared statement name.  NULL: never prepared,
	 * but planned with each call's values (still one round trip), for the
	 * few queries whose best plan depends on them: a generic plan of a
	 * search cannot know whether its word is rare or everywhere.
	 */
	const char *name;
	const char *sql;
	int nparams;
};

struct db_conn;

/*
 * The SQLSTATEs (PostgreSQL, Appendix A) that src/db tells apart; the rest
 * are internal errors.  A class is a code's first two characters.
 */
#define PRFAQ_SQLSTATE_UNIQUE_VIOLATION		    "23505"
#define PRFAQ_SQLSTATE_SERIALIZATION_FAILURE	    "40001"
#define PRFAQ_SQLSTATE_DEADLOCK_DETECTED	    "40P01"
#define PRFAQ_SQLSTATE_LOCK_NOT_AVAILABLE	    "55P03"
#define PRFAQ_SQLSTATE_QUERY_CANCELED		    "57014" /* statement_timeout */
#define PRFAQ_SQLSTATE_ADMIN_SHUTDOWN		    "57P01"
#define PRFAQ_SQLSTATE_CRASH_SHUTDOWN		    "57P02"
#define PRFAQ_SQLSTATE_CANNOT_CONNECT_NOW	    "57P03"
#define PRFAQ_SQLSTATE_CLASS_CONNECTION		    "08"
#define PRFAQ_SQLSTATE_CLASS_DATA_EXCEPTION	    "22"
#define PRFAQ_SQLSTATE_CLASS_INSUFFICIENT_RESOURCES "53"
#define PRFAQ_SQLSTATE_CLASS_PROGRAM_LIMIT	    "54" /* 54000: tsvector */

/*
 * Check out a connection of db.pool for db.request_id (exclusive until
 * released; what is logged about it carries the request id), waiting at
 * most the pool's wait time.  PRFAQ_EUNAVAILABLE when none frees up or the
 * database cannot be reached.
 */
prfaq_code db_acquire(struct prfaq_db_ctx db, struct db_conn **out,
		      struct prfaq_error *err);

/*
 * db_acquire(), telling in *unreachable whether a failure was the server's
 * (no session could be opened) rather than the pool's (none free in time).
 */
prfaq_code db_acquire_at(struct prfaq_db_ctx db, struct db_conn **out,
			 bool *unreachable, struct prfaq_error *err);

/*
 * Run a simple-protocol command with a constant text (BEGIN, COMMIT,
 * ROLLBACK) within the holder's deadline.  A COMMIT that answers ROLLBACK
 * (a statement of the transaction had failed) is PRFAQ_EINTERNAL; one cut
 * off by the deadline is PRFAQ_EUNAVAILABLE saying the outcome is unknown.
 */
prfaq_code db_command(struct db_conn *conn, const char *command,
		      struct prfaq_error *err);

/*
 * The BEGIN of pool's transactions (with, behind a transaction pooler, the
 * settings), READ ONLY if read_only.  Owned by the pool.
 */
const char *db_pool_begin(const struct prfaq_db_pool *pool, bool read_only);

/* Was the last failure on this connection a lost connection? */
bool db_conn_lost(const struct db_conn *conn);

/*
 * A replica's pool that could not take a read rests for ms: until then
 * db_pool_resting() is true and reads go to the primary.  db_pool_rest()
 * counts the fallback (prfaqd_db_replica_fallbacks_total) and returns
 * whether the pool was not resting already (worth a log line).
 */
bool db_pool_resting(struct prfaq_db_pool *pool);
bool db_pool_rest(struct prfaq_db_pool *pool, unsigned ms);

/* Return a connection; one left inside a transaction is rolled back or dropped. */
void db_release(struct prfaq_db_pool *pool, struct db_conn *conn);

/*
 * Run a prepared statement with text parameters (NULL values are SQL NULL).
 * PRFAQ_OK with *res the result (the caller PQclear()s it), or an error
 * from the SQLSTATE with *res untouched: a unique violation is
 * PRFAQ_ECONFLICT; a serialization failure or deadlock is
 * PRFAQ_EUNAVAILABLE and marks the connection retryable; connection loss
 * is PRFAQ_EUNAVAILABLE (and the session is dropped, to reconnect); a
 * timeout, a lock not available and insufficient resources are
 * PRFAQ_EUNAVAILABLE; a program limit (class 54: a search vector over 1 MB)
 * is PRFAQ_ETOOLARGE; a data exception is PRFAQ_EINVAL; anything else is
 * PRFAQ_EINTERNAL (logged).
 */
prfaq_code db_exec(struct db_conn *conn, const struct db_stmt *stmt,
		   const char *const *params, PGresult **res,
		   struct prfaq_error *err);

/* db_exec for a statement whose result is not needed. */
prfaq_code db_run(struct db_conn *conn, const struct db_stmt *stmt,
		  const char *const *params, struct prfaq_error *err);

/* The session of a checked-out connection (NULL while disconnected). */
PGconn *db_conn_pg(struct db_conn *conn);

/* Was the last failure on this connection code (a SQLSTATE or a class)? */
bool db_conn_sqlstate_is(const struct db_conn *conn, const char *code);

/* How many connections the pool holds at most. */
unsigned db_pool_size(const struct prfaq_db_pool *pool);

/* Was the last failure on this connection a serialization failure/deadlock? */
bool db_conn_retryable(const struct db_conn *conn);

/*
 * Run fn inside BEGIN ... COMMIT on a pooled connection.  fn returns
 * PRFAQ_OK to commit; anything else rolls back.  Serialization failures and
 * deadlocks are retried (up to 3 times), and so is a connection found dead at
 * BEGIN (nothing was sent yet), so fn must not keep state between attempts
 * beyond what it overwrites.
 */
typedef prfaq_code (*db_tx_fn)(struct db_conn *conn, void *arg,
			       struct prfaq_error *err);
prfaq_code db_tx(struct prfaq_db_ctx db, db_tx_fn fn, void *arg,
		 struct prfaq_error *err);

/*
 * db_tx for reads: the transaction is READ ONLY, and runs on db.replica
 * when the call allows it (see struct prfaq_db_ctx), on db.pool when there
 * is none or it cannot be reached (no session, a lost one, or a conflict
 * with the replica's recovery that retries did not clear).  fn sees one
 * snapshot of one server.
 */
prfaq_code db_read_tx(struct prfaq_db_ctx db, db_tx_fn fn, void *arg,
		      struct prfaq_error *err);

/*
 * Run one statement outside a transaction, like db_exec, retrying once on a
 * fresh connection if the pooled one turned out to be dead.  Made for reads,
 * which may run twice; a write run with it may have run already when its
 * connection died (a revoke retried finds nothing left to revoke).  With
 * db.replica set it runs there first, falling back to db.pool as
 * db_read_tx does: so a statement that writes must never be given such a
 * context.
 */
prfaq_code db_query(struct prfaq_db_ctx db, const struct db_stmt *stmt,
		    const char *const *params, PGresult **res,
		    struct prfaq_error *err);

/* The value of a cell, or NULL for SQL NULL. */
const char *db_value(const PGresult *res, int row, int col);

#endif
