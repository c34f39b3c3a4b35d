/*
 * store_loop.h - the store of closing the loop (src/db/store_loop.c):
 * measurements of a launched PR/FAQ and the scorecard's one query.  Same
 * conventions as prfaq/store.h.
 */
#ifndef PRFAQ_STORE_LOOP_H
#define PRFAQ_STORE_LOOP_H

#include <jansson.h>
#include <stdint.h>

#include "prfaq/auth.h"
#include "prfaq/db.h"
#include "prfaq/error.h"
#include "prfaq/paging.h"
#include "prfaq/workflow.h"

/* The locked PR/FAQ a batch is for, handed to the policy (all borrowed). */
struct prfaq_measure_target {
	const char *owner_id;
	enum prfaq_status status;
	const json_t
		*metrics; /* the decided version's content.metrics, or NULL */
};

/*
 * Who may record, in which status, which keys: the caller's decision inside
 * the transaction, after the row is locked.  PRFAQ_OK lets the batch in.
 */
typedef prfaq_code (*prfaq_measure_policy)(
	const struct prfaq_measure_target *target, void *arg,
	struct prfaq_error *err);

/*
 * Upsert rows (borrowed: [{metric, value, at_us, source?, note?}], from
 * prfaq_measurements_check) on (metric, at, source) in one statement, with
 * one "measured" event, in one transaction that holds the PR/FAQ's row.
 * *created and *updated count the points.  PRFAQ_ENOTFOUND for no PR/FAQ;
 * the policy's code when it refuses.
 */
prfaq_code prfaq_store_measurements_add(struct prfaq_db_ctx db, const char *id,
					const struct prfaq_caller *caller,
					const json_t *rows,
					prfaq_measure_policy policy, void *arg,
					int64_t *created, int64_t *updated,
					struct prfaq_error *err);

/* Filters of the measurement list, borrowed; NULL when not given. */
struct prfaq_measurement_query {
	const char *metric;
	const char *from_us; /* decimal microseconds since the epoch, inclusive */
	const char *to_us;   /* exclusive */
};

/* A PR/FAQ's measurements, oldest first; PRFAQ_ENOTFOUND for no PR/FAQ. */
prfaq_code
prfaq_store_measurements_list(struct prfaq_db_ctx db, const char *id,
			      const struct prfaq_measurement_query *q,
			      const struct prfaq_page_req *page,
			      struct prfaq_page *out, struct prfaq_error *err);

/*
 * What the scorecard is computed from, in one query (the input of
 * prfaq_scorecard_build, a new reference in *out).  PRFAQ_ENOTFOUND for no
 * PR/FAQ.
 */
prfaq_code prfaq_store_scorecard(struct prfaq_db_ctx db, const char *id,
				 json_t **out, struct prfaq_error *err);

#endif
