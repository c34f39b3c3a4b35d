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
 * Check out a connection (exclusive until released), waiting at most the
 * pool's wait time.  PRFAQ_EUNAVAILABLE when none frees up or the database
 * cannot be reached.
 */
prfaq_code db_acquire(struct prfaq_db_pool *pool, struct db_conn **out,
		      struct prfaq_error *err);

/* Return a connection; one left inside a transaction is rolled back or dropped. */
void db_release(struct prfaq_db_pool *pool, struct db_conn *conn);

/*
 * Run a prepared statement with text parameters (NULL values are SQL NULL).
 * Returns the result (caller PQclear()s it) when it succeeded, else NULL with
 * err set from the SQLSTATE: 23505 -> conflict, 40001/40P01 -> retryable
 * unavailable, connection loss -> unavailable (and the connection is marked
 * for reconnection), 22xxx -> invalid input, else internal (logged).
 */
PGresult *db_exec(struct db_conn *conn, const struct db_stmt *stmt,
		  const char *const *params, struct prfaq_error *err);

/* The session of a checked-out connection (NULL while disconnected). */
PGconn *db_conn_pg(struct db_conn *conn);

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
prfaq_code db_tx(struct prfaq_db_pool *pool, db_tx_fn fn, void *arg,
		 struct prfaq_error *err);

/*
 * Run one read-only statement outside a transaction, retrying once on a fresh
 * connection if the pooled one turned out to be dead (reads are idempotent).
 */
PGresult *db_query(struct prfaq_db_pool *pool, const struct db_stmt *stmt,
		   const char *const *params, struct prfaq_error *err);

/* The value of a cell, or NULL for SQL NULL. */
const char *db_value(const PGresult *res, int row, int col);

#endif
