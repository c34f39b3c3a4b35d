/*
 * pool.c - PostgreSQL connection pool (see prfaq/db.h, db_internal.h).
 *
 * A fixed array of slots guarded by one mutex; a request takes a slot
 * exclusively, so a PGconn is never used by two threads at once.  Waiting is
 * bounded (pthread_cond_timedwait) and ends in PRFAQ_EUNAVAILABLE, never in an
 * unbounded queue.  Connections are opened lazily and re-opened after the
 * server went away; each remembers which statements it has prepared, because
 * a fresh server session knows none.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_internal.h"
#include "prfaq/log.h"

#define PREPARED_MAX		   256 /* statements one connection may prepare */
/*
 * After a cancel, how long the cancelled statement may take to end (and a
 * ROLLBACK at release to answer) before the session is dropped instead.
 */
#define CANCEL_GRACE_MS		   2000
#define REQUEST_TIMEOUT_DEFAULT_MS 10000

struct db_conn {
	PGconn *pg;
	/*
	 * pg != NULL, for prfaq_db_pool_stats(): pg belongs to whoever holds
	 * the slot and changes outside the pool's lock, so it is never read
	 * by anyone else.
	 */
	atomic_bool open;
	const struct db_stmt *prepared[PREPARED_MAX];
	unsigned nprepared;
	bool retryable; /* last error was 40001/40P01 */
	bool lost;	/* last error was a lost connection */
	bool expired;	/* last statement ran past the deadline */
	/*
	 * When the holder's time is up (CLOCK_MONOTONIC ms); rolling: none,
	 * each statement gets the pool's request timeout from its start.
	 */
	int64_t deadline_ms;
	bool rolling;
	bool transaction_pooling; /* the pool's, copied at checkout */
	unsigned rolling_ms;
	char sqlstate[6]; /* the last failure's SQLSTATE, or "" */
	/*
	 * The request that holds the connection, for what is logged about it
	 * (borrowed from the checkout, cleared at release), or NULL.
	 */
	const char *request_id;
	struct db_conn *next; /* free list */
};

struct prfaq_db_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *conninfo;
	unsigned size;
	unsigned wait_ms;
	unsigned statement_timeout_ms;
	unsigned request_timeout_ms;
	bool transaction_pooling;
	/* BEGIN, and behind a transaction pooler the settings with it */
	char begin[192];
	char begin_read[208]; /* the same, READ ONLY (db_read_tx) */
	struct db_conn *conns;
	struct db_conn *free_list;
	unsigned in_use;
	unsigned waiting;
	uint64_t timeouts;
	uint64_t reconnects;
	uint64_t fallbacks;
	/* A replica's: skip it until then (CLOCK_MONOTONIC ms; 0: use it). */
	_Atomic int64_t down_until_ms;
};

static atomic_bool pgoptions_warned;

struct prfaq_db_pool *
prfaq_db_pool_new(const struct prfaq_db_pool_opts *opts)
{
	struct prfaq_db_pool *pool;

	pool = prfaq_calloc(1, sizeof(*pool));
	pool->size = opts->size > 0 ? opts->size : 1;
	pool->wait_ms = opts->wait_ms;
	pool->statement_timeout_ms = opts->statement_timeout_ms;
	pool->request_timeout_ms = opts->request_timeout_ms > 0 ?
					   opts->request_timeout_ms :
					   REQUEST_TIMEOUT_DEFAULT_MS;
	pool->transaction_pooling = opts->transaction_pooling;
	if (pool->transaction_pooling)
		/* One round trip still: the simple protocol takes them all. */
		snprintf(
			pool->begin, sizeof(pool->begin),
			"BEGIN; SET LOCAL statement_timeout = %u;"
			" SET LOCAL idle_in_transaction_session_timeout = 60000;"
			" SET LOCAL jit = off",
			pool->statement_timeout_ms);
	else
		snprintf(pool->begin, sizeof(pool->begin), "BEGIN");
	/* An empty "options" makes libpq fall back to PGOPTIONS, and PgBouncer
	 * refuses every connection that carries one (conn_open).  Said once,
	 * not once per pool. */
	if (pool->transaction_pooling && getenv("PGOPTIONS") != NULL &&
	    *getenv("PGOPTIONS") != '\0' &&
	    !atomic_exchange(&pgoptions_warned, true))
		log_warn(NULL,
			 "PGOPTIONS is set: libpq sends it as the startup "
			 "parameter \"options\", which PgBouncer refuses "
			 "in transaction pooling; unset it");
	pool->conninfo = prfaq_strdup(opts->conninfo);
	pool->conns = prfaq_calloc(pool->size, sizeof(*pool->conns));
	if (pthread_mutex_init(&pool->mu, NULL) != 0)
		goto fail;
	{
		pthread_condattr_t attr;

		/* Deadlines on the monotonic clock: immune to clock steps. */
		pthread_condattr_init(&attr);
		pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		if (pthread_cond_init(&pool->cv, &attr) != 0) {
			pthread_condattr_destroy(&attr);
			pthread_mutex_destroy(&pool->mu);
			goto fail;
		}
		pthread_condattr_destroy(&attr);
	}
	snprintf(pool->begin_read, sizeof(pool->begin_read),
		 "BEGIN READ ONLY%s", pool->begin + strlen("BEGIN"));
	atomic_init(&pool->down_until_ms, 0);
	for (unsigned i = pool->size; i-- > 0;) {
		pool->conns[i].next = pool->free_list;
		pool->free_list = &pool->conns[i];
	}
	return pool;
fail:
	free(pool->conns);
	free(pool->conninfo);
	free(pool);
	return NULL;
}

void
prfaq_db_pool_free(struct prfaq_db_pool *pool)
{
	if (pool == NULL)
		return;
	for (unsigned i = 0; i < pool->size; i++)
		if (pool->conns[i].pg != NULL)
			PQfinish(pool->conns[i].pg);
	pthread_cond_destroy(&pool->cv);
	pthread_mutex_destroy(&pool->mu);
	free(pool->conns);
	free(pool->conninfo);
	free(pool);
}

void
prfaq_db_pool_stats(struct prfaq_db_pool *pool, struct prfaq_db_stats *out)
{
	unsigned open = 0;

	pthread_mutex_lock(&pool->mu);
	for (unsigned i = 0; i < pool->size; i++)
		if (atomic_load_explicit(&pool->conns[i].open,
					 memory_order_relaxed))
			open++;
	out->size = pool->size;
	out->open = open;
	out->in_use = pool->in_use;
	out->waiting = pool->waiting;
	out->timeouts = pool->timeouts;
	out->reconnects = pool->reconnects;
	out->fallbacks = pool->fallbacks;
	pthread_mutex_unlock(&pool->mu);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
prfaq_db_deadline(unsigned timeout_ms)
{
	return now_ms() + timeout_ms;
}

/* Drop the session: the next checkout reconnects and re-prepares. */
static void
conn_drop(struct db_conn *conn)
{
	if (conn->pg != NULL)
		PQfinish(conn->pg);
	conn->pg = NULL;
	atomic_store_explicit(&conn->open, false, memory_order_relaxed);
	conn->nprepared = 0;
}

/*
 * Notices and warnings of the server, and errors that arrive while no query
 * runs (a FATAL when the server shuts down or its postmaster dies), go to
 * libpq's notice processor, which by default prints them raw on stderr:
 * keep them inside the one-JSON-object-per-line log instead.
 */
static void
conn_notice(void *arg, const char *message)
{
	const struct db_conn *conn = arg;
	char msg[512];
	size_t n;

	snprintf(msg, sizeof(msg), "%s", message);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	log_warn(conn->request_id, "database says: %s", msg);
}

/*
 * Open a session with prfaqd's defaults placed before the user's conninfo,
 * so the user's own settings (e.g. connect_timeout) win.  Behind a
 * transaction pooler there are no startup options (PgBouncer refuses them,
 * and the server session is not ours): db_tx() sets them per transaction.
 * No JIT: prfaqd's statements are short, and a plan whose estimate passes
 * jit_above_cost (a search's unexecuted branch did) spends 10 ms compiling
 * to save microseconds.
 */
static prfaq_code
conn_open(struct prfaq_db_pool *pool, struct db_conn *conn,
	  struct prfaq_error *err)
{
	char opts[112];
	const char *keys[] = { "connect_timeout", "application_name", "options",
			       "dbname", NULL };
	const char *vals[] = { "5", "prfaqd", opts, pool->conninfo, NULL };
	PGconn *pg;

	if (pool->transaction_pooling)
		opts[0] = '\0'; /* none, unless PGOPTIONS is set (see above) */
	else
		snprintf(
			opts, sizeof(opts),
			"-c statement_timeout=%u -c idle_in_transaction_session_timeout=60000 -c jit=off",
			pool->statement_timeout_ms);
	pg = PQconnectdbParams(keys, vals, 1);
	if (pg == NULL || PQstatus(pg) != CONNECTION_OK) {
		/* libpq messages end with a newline; keep the log line whole. */
		char msg[256];
		size_t n;

		snprintf(msg, sizeof(msg), "%s",
			 pg ? PQerrorMessage(pg) : "out of memory");
		n = strlen(msg);
		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
		log_warn(conn->request_id, "database connection failed: %s",
			 msg);
		PQfinish(pg);
		return prfaq_error_set(err, PRFAQ_EUNAVAILABLE,
				       "The database is unavailable");
	}
	PQsetNoticeProcessor(pg, conn_notice, conn);
	/* Sending must not block either: conn_wait() bounds both ways. */
	PQsetnonblocking(pg, 1);
	conn->pg = pg;
	atomic_store_explicit(&conn->open, true, memory_order_relaxed);
	conn->nprepared = 0;
	pthread_mutex_lock(&pool->mu);
	pool->reconnects++;
	pthread_mutex_unlock(&pool->mu);
	return PRFAQ_OK;
}

/*
 * Collect the results of what was sent on conn until libpq has no more, or
 * until the monotonic time until.  Returns the result to report, which the
 * caller PQclear()s: the first failed one, else the last; NULL if none came
 * (the connection broke, or time ran out, which sets *late).
 */
static PGresult *
conn_collect(struct db_conn *conn, int64_t until, bool *late)
{
	PGconn *pg = conn->pg;
	PGresult *keep = NULL;
	int flushing = 1;

	*late = false;
	for (;;) {
		struct pollfd pfd = { PQsocket(pg), POLLIN, 0 };
		int64_t left;
		int n;

		if (flushing && (flushing = PQflush(pg)) < 0)
			break;
		while (flushing == 0 && !PQisBusy(pg)) {
			PGresult *r = PQgetResult(pg);

			if (r == NULL)
				return keep;
			if (keep != NULL &&
			    PQresultStatus(keep) == PGRES_FATAL_ERROR) {
				PQclear(r);
			} else {
				PQclear(keep);
				keep = r;
			}
		}
		if ((left = until - now_ms()) <= 0) {
			*late = true;
			break;
		}
		if (flushing)
			pfd.events |= POLLOUT;
		n = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n > 0 && !PQconsumeInput(pg))) {
			/* Broken: libpq hands out what it has, without waiting. */
			PGresult *r;

			while ((r = PQgetResult(pg)) != NULL) {
				if (keep == NULL)
					keep = r;
				else
					PQclear(r);
			}
			return keep;
		}
	}
	PQclear(keep);
	return NULL;
}

/*
 * Wait for the results of what was just sent on conn, until the holder's
 * deadline.  Past it the statement is cancelled (PQcancel) and given
 * CANCEL_GRACE_MS to end, the session dropped if it does not; then
 * conn->expired is set and NULL returned.  Otherwise as conn_collect().
 */
static PGresult *
conn_wait(struct db_conn *conn)
{
	int64_t until = conn->rolling ? now_ms() + conn->rolling_ms :
					conn->deadline_ms;
	PGresult *res;
	PGcancel *cancel;
	bool late;
	char why[256];

	res = conn_collect(conn, until, &late);
	if (!late)
		return res;
	conn->expired = true;
	log_warn(conn->request_id,
		 "database statement past the deadline: cancelling it");
	cancel = PQgetCancel(conn->pg);
	if (cancel == NULL || !PQcancel(cancel, why, sizeof(why))) {
		PQfreeCancel(cancel);
		conn_drop(conn);
		return NULL;
	}
	PQfreeCancel(cancel);
	/* A COMMIT cancelled while it waits for a standby commits anyway. */
	res = conn_collect(conn, now_ms() + CANCEL_GRACE_MS, &late);
	PQclear(res);
	if (late || PQstatus(conn->pg) != CONNECTION_OK)
		conn_drop(conn);
	return NULL;
}

prfaq_code
db_acquire_at(struct prfaq_db_ctx db, struct db_conn **out, bool *unreachable,
	      struct prfaq_error *err)
{
	struct prfaq_db_pool *pool = db.pool;
	struct timespec deadline;
	struct db_conn *conn;
	int64_t start = now_ms(), until, wait_until;
	prfaq_code rc;

	until = db.deadline_ms != 0 ? db.deadline_ms :
				      start + pool->request_timeout_ms;
	if (until <= start)
		return prfaq_error_set(
			err, PRFAQ_EUNAVAILABLE,
			"The request ran out of time for the database; retry shortly");
	/* The pool wait, cut short by the request's deadline. */
	wait_until = start + pool->wait_ms;
	if (wait_until > until)
		wait_until = until;
	deadline.tv_sec = (time_t)(wait_until / 1000);
	deadline.tv_nsec = (long)(wait_until % 1000) * 1000000L;

	pthread_mutex_lock(&pool->mu);
	while (pool->free_list == NULL) {
		int w;

		pool->waiting++;
		w = pthread_cond_timedwait(&pool->cv, &pool->mu, &deadline);
		pool->waiting--;
		if (w == ETIMEDOUT && pool->free_list == NULL) {
			pool->timeouts++;
			pthread_mutex_unlock(&pool->mu);
			return prfaq_error_set(
				err, PRFAQ_EUNAVAILABLE,
				"All database connections are busy; retry shortly");
		}
	}
	conn = pool->free_list;
	pool->free_list = conn->next;
	pool->in_use++;
	pthread_mutex_unlock(&pool->mu);

	conn->retryable = false;
	conn->lost = false;
	conn->expired = false;
	conn->request_id = db.request_id;
	conn->deadline_ms = until;
	/* Background work holds its connection for long: bound each statement. */
	conn->rolling = db.deadline_ms == 0 && db.request_id == NULL;
	conn->rolling_ms = pool->request_timeout_ms;
	conn->transaction_pooling = pool->transaction_pooling;
	if (conn->pg != NULL && PQstatus(conn->pg) != CONNECTION_OK)
		conn_drop(conn);
	if (conn->pg == NULL && (rc = conn_open(pool, conn, err)) != PRFAQ_OK) {
		*unreachable = true;
		db_release(pool, conn);
		return rc;
	}
	*out = conn;
	return PRFAQ_OK;
}

prfaq_code
db_acquire(struct prfaq_db_ctx db, struct db_conn **out,
	   struct prfaq_error *err)
{
	bool unreachable = false;

	return db_acquire_at(db, out, &unreachable, err);
}

void
db_release(struct prfaq_db_pool *pool, struct db_conn *conn)
{
	if (conn == NULL)
		return;
	if (conn->pg != NULL && PQstatus(conn->pg) != CONNECTION_OK)
		conn_drop(conn);
	if (conn->pg != NULL && PQtransactionStatus(conn->pg) != PQTRANS_IDLE) {
		/*
		 * A handler bailed out mid-transaction: never hand it on.  The
		 * ROLLBACK is bounded too, the session dropped if it hangs.
		 */
		PGresult *res = NULL;
		bool late = true;

		if (PQsendQuery(conn->pg, "ROLLBACK"))
			res = conn_collect(conn, now_ms() + CANCEL_GRACE_MS,
					   &late);
		if (late || PQresultStatus(res) != PGRES_COMMAND_OK ||
		    PQtransactionStatus(conn->pg) != PQTRANS_IDLE)
			conn_drop(conn);
		PQclear(res);
	}
	conn->request_id = NULL;
	pthread_mutex_lock(&pool->mu);
	conn->next = pool->free_list;
	pool->free_list = conn;
	pool->in_use--;
	pthread_cond_signal(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
}

PGconn *
db_conn_pg(struct db_conn *conn)
{
	return conn->pg;
}

bool
db_conn_retryable(const struct db_conn *conn)
{
	return conn->retryable;
}

/* A statement's name for the log. */
static const char *
stmt_label(const struct db_stmt *stmt)
{
	return stmt->name != NULL ? stmt->name : "an unprepared statement";
}

/* Is state the SQLSTATE code, or (two characters) of the class? */
static bool
sqlstate_is(const char *state, const char *code)
{
	return strncmp(state, code, strlen(code)) == 0;
}

/*
 * Map a failed result to an error.  res may be NULL (libpq out of memory or
 * the connection broke before a result arrived).
 */
static prfaq_code
map_failure(struct db_conn *conn, const struct db_stmt *stmt,
	    const PGresult *res, struct prfaq_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
				  NULL;
	const char *msg = res ? PQresultErrorMessage(res) :
				PQerrorMessage(conn->pg);

	snprintf(conn->sqlstate, sizeof(conn->sqlstate), "%s",
		 state != NULL ? state : "");

	if (PQstatus(conn->pg) != CONNECTION_OK || state == NULL ||
	    sqlstate_is(state, PRFAQ_SQLSTATE_CLASS_CONNECTION) ||
	    sqlstate_is(state, PRFAQ_SQLSTATE_ADMIN_SHUTDOWN) ||
	    sqlstate_is(state, PRFAQ_SQLSTATE_CRASH_SHUTDOWN) ||
	    sqlstate_is(state, PRFAQ_SQLSTATE_CANNOT_CONNECT_NOW)) {
		conn->lost = true;
		conn_drop(conn);
		log_warn(conn->request_id, "database connection lost during %s",
			 stmt_label(stmt));
		return prfaq_error_set(err, PRFAQ_EUNAVAILABLE,
				       "The database is unavailable");
	}
	if (sqlstate_is(state, PRFAQ_SQLSTATE_SERIALIZATION_FAILURE) ||
	    sqlstate_is(state, PRFAQ_SQLSTATE_DEADLOCK_DETECTED)) {
		conn->retryable = true;
		return prfaq_error_set(err, PRFAQ_EUNAVAILABLE,
				       "The database is busy; retry shortly");
	}
	if (sqlstate_is(state, PRFAQ_SQLSTATE_UNIQUE_VIOLATION))
		return prfaq_error_set(err, PRFAQ_ECONFLICT,
				       "The resource already exists");
	if (sqlstate_is(state, PRFAQ_SQLSTATE_QUERY_CANCELED) ||
	    sqlstate_is(state, PRFAQ_SQLSTATE_CLASS_INSUFFICIENT_RESOURCES) ||
	    sqlstate_is(state, PRFAQ_SQLSTATE_LOCK_NOT_AVAILABLE))
		return prfaq_error_set(
			err, PRFAQ_EUNAVAILABLE,
			"The database is overloaded; retry shortly");
	/* A limit of PostgreSQL's (a search vector over 1 MB, a value too
	 * large): the request asked for more than the schema holds. */
	if (sqlstate_is(state, PRFAQ_SQLSTATE_CLASS_PROGRAM_LIMIT)) {
		log_warn(conn->request_id, "%s: program limit exceeded %s",
			 stmt_label(stmt), state);
		return prfaq_error_set(
			err, PRFAQ_ETOOLARGE,
			"The document exceeds a limit of the database (a search "
			"vector of at most 1 MB, a field of at most 1 GB)");
	}
	if (sqlstate_is(state, PRFAQ_SQLSTATE_CLASS_DATA_EXCEPTION)) {
		log_warn(conn->request_id, "%s: data exception %s",
			 stmt_label(stmt), state);
		return prfaq_error_set(err, PRFAQ_EINVAL,
				       "The database rejected a value");
	}
	log_error(conn->request_id, "%s failed with SQLSTATE %s: %s",
		  stmt_label(stmt), state, msg ? msg : "");
	return prfaq_error_set(err, PRFAQ_EINTERNAL,
			       "Unexpected database error");
}

/*
 * The error of a statement cut off by the deadline.  A COMMIT's outcome is
 * then unknown (cancelled while it waited for a synchronous standby, it has
 * committed locally), and the client is told so.
 */
static prfaq_code
expired_failure(struct db_conn *conn, const char *what, bool commit,
		struct prfaq_error *err)
{
	log_warn(conn->request_id, "%s cancelled at the request deadline",
		 what);
	if (commit)
		return prfaq_error_set(
			err, PRFAQ_EUNAVAILABLE,
			"The database did not confirm the write in time: it may or may not have been saved; retry with the same Idempotency-Key");
	return prfaq_error_set(
		err, PRFAQ_EUNAVAILABLE,
		"The database did not answer in time; nothing was saved; retry shortly");
}

/* Prepare stmt on conn unless it already is. */
static prfaq_code
conn_prepare(struct db_conn *conn, const struct db_stmt *stmt,
	     struct prfaq_error *err)
{
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	for (unsigned i = 0; i < conn->nprepared; i++)
		if (conn->prepared[i] == stmt)
			return PRFAQ_OK;
	if (conn->nprepared == PREPARED_MAX) {
		log_error(conn->request_id,
			  "more than %d statements: raise PREPARED_MAX",
			  PREPARED_MAX);
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "Too many statements");
	}
	res = PQsendPrepare(conn->pg, stmt->name, stmt->sql, stmt->nparams,
			    NULL) ?
		      conn_wait(conn) :
		      NULL;
	if (res == NULL && conn->expired)
		rc = expired_failure(conn, stmt_label(stmt), false, err);
	else if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = map_failure(conn, stmt, res, err);
	else
		conn->prepared[conn->nprepared++] = stmt;
	PQclear(res);
	return rc;
}

prfaq_code
db_exec(struct db_conn *conn, const struct db_stmt *stmt,
	const char *const *params, PGresult **out, struct prfaq_error *err)
{
	PGresult *res;
	ExecStatusType st;
	prfaq_code rc;
	int sent;

	conn->retryable = false;
	conn->lost = false;
	conn->expired = false;
	conn->sqlstate[0] = '\0';
	if (conn->pg == NULL) {
		conn->lost = true;
		return prfaq_error_set(err, PRFAQ_EUNAVAILABLE,
				       "The database is unavailable");
	}
	/*
	 * Behind a transaction pooler a named statement prepared on one
	 * server session is unknown on the next: plan every call afresh.
	 */
	if (stmt->name == NULL || conn->transaction_pooling) {
		sent = PQsendQueryParams(conn->pg, stmt->sql, stmt->nparams,
					 NULL, params, NULL, NULL, 0);
	} else {
		if ((rc = conn_prepare(conn, stmt, err)) != PRFAQ_OK)
			return rc;
		sent = PQsendQueryPrepared(conn->pg, stmt->name, stmt->nparams,
					   params, NULL, NULL, 0);
	}
	res = sent ? conn_wait(conn) : NULL;
	if (res == NULL && conn->expired)
		return expired_failure(conn, stmt_label(stmt), false, err);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		*out = res;
		return PRFAQ_OK;
	}
	rc = map_failure(conn, stmt, res, err);
	PQclear(res);
	return rc;
}

prfaq_code
db_run(struct db_conn *conn, const struct db_stmt *stmt,
       const char *const *params, struct prfaq_error *err)
{
	PGresult *res = NULL;
	prfaq_code rc = db_exec(conn, stmt, params, &res, err);

	if (rc == PRFAQ_OK)
		PQclear(res);
	return rc;
}

bool
db_conn_sqlstate_is(const struct db_conn *conn, const char *code)
{
	return conn->sqlstate[0] != '\0' && sqlstate_is(conn->sqlstate, code);
}

unsigned
db_pool_size(const struct prfaq_db_pool *pool)
{
	return pool->size;
}

const char *
db_value(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

prfaq_code
db_command(struct db_conn *conn, const char *command, struct prfaq_error *err)
{
	static const struct db_stmt pseudo = { "transaction control", "", 0 };
	bool commit = strcmp(command, "COMMIT") == 0;
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	conn->expired = false;
	if (conn->pg == NULL) {
		conn->lost = true;
		return prfaq_error_set(err, PRFAQ_EUNAVAILABLE,
				       "The database is unavailable");
	}
	res = PQsendQuery(conn->pg, command) ? conn_wait(conn) : NULL;
	if (res == NULL && conn->expired) {
		rc = expired_failure(conn, command, commit, err);
	} else if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = map_failure(conn, &pseudo, res, err);
	} else if (commit && strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		/*
		 * COMMIT of a transaction in which a statement failed succeeds
		 * as a ROLLBACK: a step that swallowed an error must never turn
		 * into a 2xx for a write that is not there.
		 */
		log_error(conn->request_id,
			  "COMMIT answered %s: the transaction had failed",
			  PQcmdStatus(res));
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
				     "The transaction was rolled back");
	}
	PQclear(res);
	return rc;
}

const char *
db_pool_begin(const struct prfaq_db_pool *pool, bool read_only)
{
	return read_only ? pool->begin_read : pool->begin;
}

bool
db_conn_lost(const struct db_conn *conn)
{
	return conn->lost;
}

bool
db_pool_resting(struct prfaq_db_pool *pool)
{
	return atomic_load_explicit(&pool->down_until_ms,
				    memory_order_relaxed) > now_ms();
}

bool
db_pool_rest(struct prfaq_db_pool *pool, unsigned ms)
{
	int64_t now = now_ms();
	int64_t was = atomic_exchange_explicit(&pool->down_until_ms, now + ms,
					       memory_order_relaxed);

	pthread_mutex_lock(&pool->mu);
	pool->fallbacks++;
	pthread_mutex_unlock(&pool->mu);
	return was <= now;
}
