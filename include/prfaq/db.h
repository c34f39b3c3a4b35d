/*
 * db.h - the PostgreSQL connection pool and schema migrations.
 *
 * Only src/db includes libpq-fe.h; the rest of prfaqd sees the pool as an
 * opaque handle and talks to the database through prfaq/store.h.
 */
#ifndef PRFAQ_DB_H
#define PRFAQ_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "prfaq/error.h"

struct prfaq_db_pool;

/*
 * What a request reaches the database with: the shared pool, and the id of
 * the request, which src/db writes on every line it logs while working for
 * it.  Passed by value, both members borrowed for the call; request_id is
 * NULL outside a request (the command line, the webhook sender).
 *
 * deadline_ms bounds the call: waiting for a connection, every statement and
 * the COMMIT end by then (CLOCK_MONOTONIC milliseconds, prfaq_db_deadline());
 * past it the statement is cancelled and the call fails PRFAQ_EUNAVAILABLE.
 * 0 means the pool's request timeout counted from the call's start (from
 * each statement's start for work outside a request, request_id NULL).
 *
 * replica (borrowed, may be NULL) is a streaming replica's pool that the
 * reads of this call may use: its data may lag the primary's.  Setting it
 * is the caller's statement that a stale answer is acceptable (lists,
 * searches, evidence and learnings queries; never a GET by id, which must
 * show the caller's own last write).  Only the single-statement reads
 * (db_query) and read-only transactions (db_read_tx) go there; a write
 * never does.  When the replica cannot be reached they run on pool.
 */
struct prfaq_db_ctx {
	struct prfaq_db_pool *pool;
	const char *request_id;
	int64_t deadline_ms;
	struct prfaq_db_pool *replica;
};

/* The deadline timeout_ms from now, for prfaq_db_ctx.deadline_ms. */
int64_t prfaq_db_deadline(unsigned timeout_ms);

struct prfaq_db_pool_opts {
	const char *conninfo; /* libpq connection string or URI */
	unsigned size;	      /* connections at most */
	unsigned wait_ms;     /* checkout wait before PRFAQ_EUNAVAILABLE */
	unsigned statement_timeout_ms;
	/* a call's deadline when its context sets none (0: 10000) */
	unsigned request_timeout_ms;
	/*
	 * Behind a transaction pooler (PgBouncer, pool_mode=transaction): no
	 * startup options, no named prepared statements, settings made with
	 * SET LOCAL in each transaction.
	 */
	bool transaction_pooling;
};

struct prfaq_db_stats {
	unsigned size;	     /* configured maximum */
	unsigned open;	     /* connections currently established */
	unsigned in_use;     /* checked out */
	unsigned waiting;    /* requests waiting for a connection */
	uint64_t timeouts;   /* checkouts that gave up */
	uint64_t reconnects; /* connections (re)established */
	/* a replica's pool: reads it could not take, run on the primary */
	uint64_t fallbacks;
};

/*
 * Create a pool.  Connections are opened lazily, on first checkout, so the
 * service starts (and answers /healthz and /readyz) while PostgreSQL is down.
 * Returns NULL if its lock cannot be made.  Free with prfaq_db_pool_free().
 */
struct prfaq_db_pool *prfaq_db_pool_new(const struct prfaq_db_pool_opts *opts);

/* Close every connection and free the pool.  No checkout may be active. */
void prfaq_db_pool_free(struct prfaq_db_pool *pool);

void prfaq_db_pool_stats(struct prfaq_db_pool *pool,
			 struct prfaq_db_stats *out);

/*
 * Apply pending migrations (embedded in the binary) under an advisory lock, so
 * that several instances starting together do not race.  Each file runs in its
 * own transaction and is recorded with its SHA-256; an applied file whose
 * checksum changed is an error.  *applied (may be NULL) receives the count.
 */
prfaq_code prfaq_db_migrate(const char *conninfo, unsigned *applied,
			    struct prfaq_error *err);

/*
 * Readiness: the database answers and its schema holds every embedded
 * migration.  PRFAQ_OK, or PRFAQ_EUNAVAILABLE with a reason.
 */
prfaq_code prfaq_db_ready(struct prfaq_db_ctx db, struct prfaq_error *err);

#endif
