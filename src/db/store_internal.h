/*
 * store_internal.h - helpers shared by the store_*.c files.
 */
#ifndef PRFAQ_STORE_INTERNAL_H
#define PRFAQ_STORE_INTERNAL_H

#include "db_internal.h"
#include "prfaq/store.h"

/* Copy cell (row, col) into a new text (owned by the caller). */
void store_text(const PGresult *res, int row, int col, struct prfaq_text *out);

/*
 * Compact the JSON text s[0..len) in place and return its new length:
 * whitespace outside strings is dropped.  PostgreSQL writes json_build_object
 * as {"id" : 1}, jsonb as {"id": 1} and Jansson as {"id":1}; every JSON text
 * read from the database passes here (store_text, store_list), so clients
 * see one style.  Strings are copied byte for byte.
 */
size_t store_json_compact(char *s, size_t len);

/*
 * The answer of a read of one thing: column col of res's one row into *out
 * (owned by the caller), or PRFAQ_ENOTFOUND with detail missing when there
 * is no row.  Clears res either way.
 */
prfaq_code store_row_text(PGresult *res, int col, const char *missing,
			  struct prfaq_text *out, struct prfaq_error *err);

/* --- lists (see prfaq/paging.h) ----------------------------------------- */

/* The type of a sort-key column: what a cursor's value must look like. */
enum store_key_type {
	STORE_KEY_INT, /* int8: ids, numbers, timestamps as epoch microseconds */
	STORE_KEY_REAL, /* a float: search ranks */
	STORE_KEY_UUID,
	STORE_KEY_TEXT, /* any text: names */
};

#define STORE_KEYS_MAX	  4
/* The most filters a list statement takes (the search: 10). */
#define STORE_FILTERS_MAX 12

/* How a list under a parent (a PR/FAQ's versions) tells "no such parent". */
enum store_parent_check {
	STORE_PARENT_NONE,     /* a top-level list */
	STORE_PARENT_IF_EMPTY, /* ask when the first page is empty: nothing
				   spent on the pages that have items */
	STORE_PARENT_FIRST,    /* ask before anything else, the cursor too */
};

/*
 * A list, described once beside its statement.  The statement's parameters
 * are the nfilters filters, then one per key column (all NULL for the first
 * page), then the limit; it orders by the key and fetches "LIMIT $n::int + 1"
 * rows, so that the extra row tells whether a next page exists.  Its result
 * has each item's JSON in column 0 and the key's columns, as text, in
 * columns 1..nkeys.  The rows after a keyset are the statement's business
 * ("(created_at, id) > ($2, $3)"), with the key's NULLs meaning none.
 */
struct store_list {
	const struct db_stmt *stmt;
	size_t nfilters;
	size_t nkeys;
	enum store_key_type keys[STORE_KEYS_MAX];
	enum store_parent_check parent;
	const struct db_stmt
		*parent_exists;	    /* takes filter 0; a row if it exists */
	const char *parent_missing; /* the 404's detail */
};

/*
 * Run a list for one page: check page->after against the key (PRFAQ_EINVAL
 * for a cursor this server did not issue), run the statement with filters
 * (borrowed, list->nfilters of them), and fill *out (owned by the caller)
 * with the items and the next page's keyset.
 */
prfaq_code store_list(struct prfaq_db_ctx db, const struct store_list *list,
		      const char *const *filters,
		      const struct prfaq_page_req *page, struct prfaq_page *out,
		      struct prfaq_error *err);

/*
 * store_list on a connection the caller holds (inside its transaction), for
 * a list without a parent check (PRFAQ_EINTERNAL otherwise).
 */
prfaq_code store_list_conn(struct db_conn *conn, const struct store_list *list,
			   const char *const *filters,
			   const struct prfaq_page_req *page,
			   struct prfaq_page *out, struct prfaq_error *err);

/* "\x<hex>" text form of a bytea parameter (buf: 2*len+3 bytes). */
void store_bytea_param(const uint8_t *data, size_t len, char *buf);

/*
 * Mark the caller's idempotency claim written, inside the transaction of the
 * write (conn is in it).  No claim: nothing to do.  PRFAQ_ECONFLICT when a
 * retry took the claim over: the caller must roll back.
 */
prfaq_code store_idem_mark(struct db_conn *conn,
			   const struct prfaq_caller *caller,
			   struct prfaq_error *err);

/*
 * Run one writing statement.  Without an idempotency claim it runs alone
 * (atomic by itself); with one, in a transaction that also marks the claim
 * when the statement returned rows.  PRFAQ_OK with *res the result (PQclear
 * it), or an error with *res untouched.
 */
prfaq_code store_write_one(struct prfaq_db_ctx db,
			   const struct prfaq_caller *caller,
			   const struct db_stmt *stmt,
			   const char *const *params, PGresult **res,
			   struct prfaq_error *err);

#endif
