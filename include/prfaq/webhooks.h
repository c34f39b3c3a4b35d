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
 *
 * Unless allow_private, a webhook never reaches a non-public address
 * (prfaq/netaddr.h: loopback, private, link-local, the metadata service...):
 * a URL that names one is refused at registration, and every connection the
 * sender opens is checked again on the address it is about to connect to,
 * after resolution, so a name that later resolves elsewhere (DNS rebinding)
 * gets no further.  An attempt that fails records a short class, never the
 * library's text (which would make the deliveries list a port scanner):
 *
 *   refused_address  the target is not public: no connection was made
 *   dns              the host name did not resolve
 *   connect_failed   no connection (refused, unreachable)
 *   timeout          no complete answer within timeout_ms
 *   tls              the TLS handshake or certificate check failed
 *   connection_lost  the connection broke before a whole answer came
 *   bad_response     the answer was not HTTP
 *   bad_url          libcurl cannot deliver to the URL
 *   error            anything else
 *   http_1xx, http_3xx, http_4xx, http_5xx: an answer outside 2xx
 */
#ifndef PRFAQ_WEBHOOKS_H
#define PRFAQ_WEBHOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prfaq/crypto.h"

struct prfaq_webhooks;

struct prfaq_webhooks_opts {
	const char *conninfo;
	bool transaction_pooling; /* PRFAQ_DB_POOLER=transaction */
	unsigned timeout_ms;	  /* per POST */
	unsigned backoff_ms;	  /* first retry delay */
	unsigned max_age_s;	  /* give up after */
	unsigned poll_ms;	  /* look for due retries at least this often */
	bool allow_private;	  /* PRFAQ_WEBHOOK_ALLOW_PRIVATE */
};

/* Start the sender thread; NULL with a log line when it cannot. */
struct prfaq_webhooks *
prfaq_webhooks_start(const struct prfaq_webhooks_opts *opts);

/* Stop it (a POST in flight is let finish, bounded by timeout_ms). */
void prfaq_webhooks_stop(struct prfaq_webhooks *wh);

/*
 * The signature header value for body at time t into out (at least
 * PRFAQ_SIGNATURE_MAX bytes).
 */
#define PRFAQ_SIGNATURE_MAX 96
void prfaq_webhook_sign(const char *secret, int64_t t, const char *body,
			size_t len, char *out);

/*
 * May a webhook deliver to url (already checked for shape: http(s)://, a
 * host, printable ASCII)?  libcurl must be able to parse it and, unless
 * allow_private, its host must be neither a literal non-public address nor
 * a name that resolves to one (getaddrinfo: this blocks for as long as the
 * resolver takes).  A name that does not resolve now is let through: the
 * sender checks every connection anyway.  true, or false with a sentence
 * for the client in why (cap bytes).
 */
bool prfaq_webhook_target_allowed(const char *url, bool allow_private,
				  char *why, size_t cap);

#endif
