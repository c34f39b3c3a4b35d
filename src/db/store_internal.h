/*
 * store_internal.h - helpers shared by the store_*.c files.
 */
#ifndef PRFAQ_STORE_INTERNAL_H
#define PRFAQ_STORE_INTERNAL_H

#include "db_internal.h"
#include "prfaq/store.h"

/* Copy cell (row, col) into a new text; -1 on ENOMEM. */
int store_text(const PGresult *res, int row, int col, struct prfaq_text *out);

/*
 * A keyset is a JSON array of n strings (the values of the sort columns of
 * the last row of a page).  Parse one into parts (borrowed from *holder,
 * which the caller json_decref()s); PRFAQ_EINVAL if it is not exactly that.
 */
prfaq_code store_keyset_parse(const char *key, size_t n, const char **parts,
			      json_t **holder, struct prfaq_error *err);

/* Build the keyset text from n strings; NULL on ENOMEM. */
char *store_keyset_make(const char *const *parts, size_t n);

/*
 * Fill a page from a result whose column col_json holds each item's JSON and
 * whose columns key_cols[0..nkeys) hold its sort key; the query fetched
 * limit + 1 rows so that a next page can be detected.
 */
prfaq_code store_page_fill(const PGresult *res, int col_json, int limit,
			   const int *key_cols, size_t nkeys,
			   struct prfaq_page *out, struct prfaq_error *err);

/* "\x<hex>" text form of a bytea parameter (buf: 2*len+3 bytes). */
void store_bytea_param(const uint8_t *data, size_t len, char *buf);

/* Is the string a decimal integer that fits in an int8? */
bool store_is_int(const char *s);

/*
 * Mark the caller's idempotency claim written, inside the transaction of the
 * write (conn is in it).  No claim: nothing to do.  PRFAQ_ECONFLICT when a
 * retry took the claim over: the caller must roll back.
 */
prfaq_code store_idem_mark(struct db_conn *conn, const struct prfaq_caller *caller,
			   struct prfaq_error *err);

/*
 * Run one writing statement.  Without an idempotency claim it runs alone
 * (atomic by itself); with one, in a transaction that also marks the claim
 * when the statement returned rows.  The result (PQclear it), or NULL with
 * err set.
 */
PGresult *store_write_one(struct prfaq_db_pool *pool,
			  const struct prfaq_caller *caller,
			  const struct db_stmt *stmt, const char *const *params,
			  struct prfaq_error *err);

#endif
