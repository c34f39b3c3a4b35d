/*
 * loop.h - closing the loop (API.md "Closing the loop"): the rules of
 * measurement batches and the scorecard's arithmetic.  Pure code: no HTTP,
 * no database.
 */
#ifndef PRFAQ_LOOP_H
#define PRFAQ_LOOP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "prfaq/error.h"

#define PRFAQ_MEASUREMENTS_MAX	     1000 /* points per batch */
#define PRFAQ_MEASUREMENT_SOURCE_MAX 200
#define PRFAQ_MEASUREMENT_NOTE_MAX   1000

/*
 * Parse an instant: a date "YYYY-MM-DD" (midnight UTC) or an RFC 3339
 * date-time "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM|-HH:MM)", at most six
 * fractional digits.  *us receives microseconds since 1970-01-01T00:00:00Z,
 * *is_date whether s was a date alone (may be NULL).  False when s is not
 * one of those or names a day that does not exist.
 */
bool prfaq_instant_parse(const char *s, size_t len, int64_t *us, bool *is_date);

/*
 * Validate a measurements body {items: [{metric, value, at, source?,
 * note?}]} (borrowed): 1..PRFAQ_MEASUREMENTS_MAX items, metric a key,
 * value a number, at an instant, no two items with the same (metric, at,
 * source).  Problems go to err with pointers into the body.  On success
 * *rows receives a new array of {metric, value, at_us, source?, note?}
 * ready for the store; on failure it is untouched.  PRFAQ_OK, PRFAQ_EINVAL
 * or PRFAQ_ENOMEM.
 */
prfaq_code prfaq_measurements_check(const json_t *body, json_t **rows,
				    struct prfaq_error *err);

/*
 * The items of rows (from prfaq_measurements_check) whose metric is not a
 * key of metrics (the decided version's content.metrics, borrowed; NULL or
 * not an array is "no metrics"), reported at /items/N/metric.  PRFAQ_OK or
 * PRFAQ_EINVAL.
 */
prfaq_code prfaq_measurements_check_keys(const json_t *rows,
					 const json_t *metrics,
					 struct prfaq_error *err);

/*
 * The scorecard (API.md) from what the store read in its one query (raw,
 * borrowed): {status, launched_on: "YYYY-MM-DD"|null, metrics: [the
 * decided version's metrics], stats: {key: {first, latest, latest_at, n}},
 * voice: {negative, neutral, positive}}.  today is "YYYY-MM-DD" (UTC).
 * Returns a new object, or NULL when memory runs out.
 */
json_t *prfaq_scorecard_build(const json_t *raw, const char *today);

#endif
