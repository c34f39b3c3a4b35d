/*
 * outbox.h - the database side of webhook delivery.
 *
 * The outbox (webhook_deliveries) is written by a trigger in the same
 * transaction as each audit event.  A sender claims due deliveries with a
 * lease (FOR UPDATE SKIP LOCKED, so several instances never send the same
 * one at once), sends them, and records each attempt.  The outbox holds a
 * connection of its own, outside the request pool, which LISTENs for new
 * events so deliveries start at once instead of at the next poll.
 */
#ifndef PRFAQ_OUTBOX_H
#define PRFAQ_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "prfaq/db.h"
#include "prfaq/error.h"

struct prfaq_outbox;

struct prfaq_outbox_item {
	long long delivery_id;
	int attempts; /* including this one */
	char *url;
	char *secret;
	char *event_type;
	char *payload; /* the JSON body to POST */
	size_t payload_len;
};

/*
 * A handle; connects lazily.  NULL if its pool cannot be made.
 * transaction_pooling: PRFAQ_DB_POOLER=transaction (see prfaq/db.h).
 */
struct prfaq_outbox *prfaq_outbox_open(const char *conninfo,
				       bool transaction_pooling);
void prfaq_outbox_close(struct prfaq_outbox *ob);

/*
 * Claim up to max due deliveries, leased for lease_s seconds.  *items is a
 * new array of *n items (free with prfaq_outbox_items_free).
 * PRFAQ_EUNAVAILABLE while the database is unreachable.
 */
prfaq_code prfaq_outbox_claim(struct prfaq_outbox *ob, int max,
			      unsigned lease_s,
			      struct prfaq_outbox_item **items, size_t *n,
			      struct prfaq_error *err);
void prfaq_outbox_items_free(struct prfaq_outbox_item *items, size_t n);

/*
 * Record an attempt (status_code 0: no HTTP answer) and release the lease:
 * delivered, or retried after retry_ms, or failed once the delivery is older
 * than max_age_s.
 */
prfaq_code prfaq_outbox_record(struct prfaq_outbox *ob, long long delivery_id,
			       bool delivered, int status_code,
			       const char *error, int duration_ms,
			       unsigned retry_ms, unsigned max_age_s,
			       struct prfaq_error *err);

/*
 * Sleep until a new event is announced, wake_fd becomes readable, or
 * timeout_ms passes.
 */
void prfaq_outbox_wait(struct prfaq_outbox *ob, int wake_fd, int timeout_ms);

/* Housekeeping: forget idempotency keys older than 24 hours. */
void prfaq_outbox_purge(struct prfaq_outbox *ob);

struct prfaq_buf;

/*
 * Append the outbox's figures to out as Prometheus text: this process's
 * delivery attempts by outcome, and (one query on db, a request's pool) the
 * pending and failed deliveries and the oldest pending one's age, left out
 * when the database does not answer.  0, or -1 when out of memory.
 */
int prfaq_outbox_metrics(struct prfaq_db_ctx db, struct prfaq_buf *out);

#endif
