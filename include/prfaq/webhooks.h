/*
 * webhooks.h - the webhook sender: a thread that delivers the outbox.
 *
 * Each delivery is a JSON POST of one audit event, signed with
 *   X-Prfaq-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 * so receivers can check both origin and freshness (reject old t to stop
 * replays).  A non-2xx answer or no answer is retried with exponential
 * backoff (base, 2*base, 4*base, ... capped at an hour) until the delivery
 * is max_age old, then marked failed.  The sender never touches the request
 * pool, so a slow or dead receiver never slows the API.
 */
#ifndef PRFAQ_WEBHOOKS_H
#define PRFAQ_WEBHOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "prfaq/crypto.h"

struct prfaq_webhooks;

struct prfaq_webhooks_opts {
	const char *conninfo;
	unsigned timeout_ms;	/* per POST */
	unsigned backoff_ms;	/* first retry delay */
	unsigned max_age_s;	/* give up after */
	unsigned poll_ms;	/* look for due retries at least this often */
};

/* Start the sender thread; NULL with a log line when it cannot. */
struct prfaq_webhooks *prfaq_webhooks_start(const struct prfaq_webhooks_opts *opts);

/* Stop it (a POST in flight is let finish, bounded by timeout_ms). */
void prfaq_webhooks_stop(struct prfaq_webhooks *wh);

/*
 * The signature header value for body at time t into out (at least
 * PRFAQ_SIGNATURE_MAX bytes).
 */
#define PRFAQ_SIGNATURE_MAX 96
void prfaq_webhook_sign(const char *secret, int64_t t, const char *body,
			size_t len, char *out);

#endif
