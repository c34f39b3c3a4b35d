/*
 * sender.c - the webhook sender thread (see prfaq/webhooks.h).
 */
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "prfaq/alloc.h"
#include "prfaq/buf.h"
#include "prfaq/log.h"
#include "prfaq/netaddr.h"
#include "prfaq/outbox.h"
#include "prfaq/webhooks.h"

#define BATCH	       4
/*
 * A claim outlives the POSTs of its batch, so no other instance takes a
 * delivery still being sent; a crashed sender's claims expire after it.
 */
#define LEASE_S(wh)    (BATCH * ((wh)->opts.timeout_ms / 1000 + 1) + 10)
#define BACKOFF_CAP_MS 3600000u
#define PURGE_EVERY_S  60

struct prfaq_webhooks {
	struct prfaq_webhooks_opts opts;
	struct prfaq_outbox *outbox;
	pthread_t thread;
	int wake[2]; /* written to on stop */
	atomic_bool stop;
	CURL *curl;   /* made on first delivery, then reused (keep-alive) */
	bool refused; /* this POST's connect refused a target address */
};

void
prfaq_webhook_sign(const char *secret, int64_t t, const char *body, size_t len,
		   char *out)
{
	uint8_t mac[PRFAQ_SHA256_LEN];
	char hex[2 * PRFAQ_SHA256_LEN + 1];
	struct prfaq_buf msg = PRFAQ_BUF_INIT;

	if (prfaq_buf_printf(&msg, "%" PRId64 ".", t) != 0 ||
	    prfaq_buf_append(&msg, body, len) != 0) {
		out[0] = '\0';
		prfaq_buf_free(&msg);
		return;
	}
	prfaq_hmac_sha256(secret, strlen(secret), msg.data, msg.len, mac);
	prfaq_hex(mac, sizeof(mac), hex);
	snprintf(out, PRFAQ_SIGNATURE_MAX, "t=%" PRId64 ",v1=%s", t, hex);
	prfaq_buf_free(&msg);
}

static size_t
discard(char *ptr, size_t size, size_t n, void *userdata)
{
	return size * n;
}

/*
 * libcurl's socket factory, called with the address it is about to connect
 * to, after resolution: the one place where the check cannot be dodged by a
 * name that resolved to something else at registration (DNS rebinding) or
 * by a spelling of the host that the registration check did not foresee.
 * A refused address gets no socket, so libcurl makes no connection at all.
 */
static curl_socket_t
open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct prfaq_webhooks *wh = clientp;

	if (!wh->opts.allow_private &&
	    prfaq_netaddr_class_sockaddr(&a->addr, a->addrlen) !=
		    PRFAQ_NETADDR_PUBLIC) {
		wh->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/*
 * The short class recorded for an attempt that got no answer (see
 * prfaq/webhooks.h): the receiver's admin learns what kind of failure it
 * was, not libcurl's description of the network behind it.
 */
static const char *
failure_class(CURLcode rc, bool refused)
{
	if (refused)
		return "refused_address";
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return "dns";
	case CURLE_COULDNT_CONNECT:
		return "connect_failed";
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
		return "tls";
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return "connection_lost";
	case CURLE_WEIRD_SERVER_REPLY:
		return "bad_response";
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return "bad_url";
	default:
		return "error";
	}
}

/*
 * POST one delivery; returns the HTTP status (0: no answer), with the
 * failure's class in err (errlen bytes) unless it is 2xx.  libcurl's own
 * text goes to the log only, for the operator.
 */
static long
post(struct prfaq_webhooks *wh, const struct prfaq_outbox_item *it, char *err,
     size_t errlen)
{
	char sig[PRFAQ_SIGNATURE_MAX], sighdr[PRFAQ_SIGNATURE_MAX + 32];
	char evhdr[96], idhdr[64];
	char curlerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = NULL;
	long status = 0;
	CURLcode rc;

	prfaq_webhook_sign(it->secret, (int64_t)time(NULL), it->payload,
			   it->payload_len, sig);
	snprintf(sighdr, sizeof(sighdr), "X-Prfaq-Signature: %s", sig);
	snprintf(evhdr, sizeof(evhdr), "X-Prfaq-Event: %s", it->event_type);
	snprintf(idhdr, sizeof(idhdr), "X-Prfaq-Delivery: %lld",
		 it->delivery_id);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, sighdr);
	h = curl_slist_append(h, evhdr);
	h = curl_slist_append(h, idhdr);
	h = curl_slist_append(h, "Expect:");

	/*
	 * libcurl on first use, not at start: its initialisation (OpenSSL and
	 * friends) adds 2.5 MB to the resident size of every prfaqd, most of
	 * which never delivers a webhook.
	 */
	if (wh->curl == NULL && (wh->curl = curl_easy_init()) == NULL) {
		curl_slist_free_all(h);
		log_error(NULL,
			  "webhook delivery %lld: cannot initialise libcurl",
			  it->delivery_id);
		snprintf(err, errlen, "error");
		return 0;
	}
	curl_easy_reset(wh->curl);
	curl_easy_setopt(wh->curl, CURLOPT_URL, it->url);
	curl_easy_setopt(wh->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(wh->curl, CURLOPT_POSTFIELDS, it->payload);
	curl_easy_setopt(wh->curl, CURLOPT_POSTFIELDSIZE,
			 (long)it->payload_len);
	curl_easy_setopt(wh->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(wh->curl, CURLOPT_USERAGENT, "prfaqd/" PRFAQ_VERSION);
	curl_easy_setopt(wh->curl, CURLOPT_TIMEOUT_MS,
			 (long)wh->opts.timeout_ms);
	curl_easy_setopt(wh->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(wh->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(wh->curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(wh->curl, CURLOPT_ERRORBUFFER, curlerr);
	curl_easy_setopt(wh->curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(wh->curl, CURLOPT_OPENSOCKETDATA, wh);
	/*
	 * No proxy from the environment (http_proxy...): through a proxy the
	 * socket would lead to the proxy, and the target's address would go
	 * unchecked.
	 */
	curl_easy_setopt(wh->curl, CURLOPT_PROXY, "");
	wh->refused = false;
	rc = curl_easy_perform(wh->curl);
	curl_slist_free_all(h);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", failure_class(rc, wh->refused));
		log_info(NULL, "webhook delivery %lld attempt %d: %s (%s)",
			 it->delivery_id, it->attempts, err,
			 wh->refused ? "the target address is not public" :
			 curlerr[0]  ? curlerr :
				       curl_easy_strerror(rc));
		return 0;
	}
	curl_easy_getinfo(wh->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(err, errlen, "http_%ldxx", status / 100 % 10);
		log_info(NULL, "webhook delivery %lld attempt %d: HTTP %ld",
			 it->delivery_id, it->attempts, status);
	}
	return status;
}

static unsigned
backoff_ms(const struct prfaq_webhooks *wh, int attempts)
{
	uint64_t ms = wh->opts.backoff_ms;

	for (int i = 1; i < attempts && ms < BACKOFF_CAP_MS; i++)
		ms *= 2;
	return ms > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : (unsigned)ms;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void *
run(void *arg)
{
	struct prfaq_webhooks *wh = arg;
	time_t last_purge = 0;

	while (!atomic_load(&wh->stop)) {
		struct prfaq_outbox_item *items = NULL;
		struct prfaq_error err;
		size_t n = 0;

		prfaq_error_init(&err);
		if (prfaq_outbox_claim(wh->outbox, BATCH, LEASE_S(wh), &items,
				       &n, &err) != PRFAQ_OK) {
			/* Database away: try again later, quietly. */
			prfaq_error_clear(&err);
			prfaq_outbox_wait(wh->outbox, wh->wake[0], 1000);
			continue;
		}
		for (size_t i = 0; i < n && !atomic_load(&wh->stop); i++) {
			char why[32] = "";
			double t0 = now_ms();
			long status = post(wh, &items[i], why, sizeof(why));
			bool ok = status >= 200 && status <= 299;

			prfaq_outbox_record(wh->outbox, items[i].delivery_id,
					    ok, (int)status, ok ? NULL : why,
					    (int)(now_ms() - t0),
					    backoff_ms(wh, items[i].attempts),
					    wh->opts.max_age_s, &err);
			prfaq_error_clear(&err);
		}
		prfaq_outbox_items_free(items, n);
		if (time(NULL) - last_purge >= PURGE_EVERY_S) {
			prfaq_outbox_purge(wh->outbox);
			last_purge = time(NULL);
		}
		if (n < BATCH)
			prfaq_outbox_wait(wh->outbox, wh->wake[0],
					  (int)wh->opts.poll_ms);
	}
	return NULL;
}

struct prfaq_webhooks *
prfaq_webhooks_start(const struct prfaq_webhooks_opts *opts)
{
	struct prfaq_webhooks *wh = prfaq_calloc(1, sizeof(*wh));

	wh->opts = *opts;
	wh->wake[0] = wh->wake[1] = -1;
	if (pipe(wh->wake) != 0 ||
	    (wh->outbox = prfaq_outbox_open(opts->conninfo,
					    opts->transaction_pooling)) == NULL)
		goto fail;
	if (pthread_create(&wh->thread, NULL, run, wh) != 0)
		goto fail;
	return wh;
fail:
	log_error(NULL, "cannot start the webhook sender: %s", strerror(errno));
	prfaq_outbox_close(wh->outbox);
	if (wh->curl != NULL)
		curl_easy_cleanup(wh->curl);
	if (wh->wake[0] >= 0) {
		close(wh->wake[0]);
		close(wh->wake[1]);
	}
	free(wh);
	return NULL;
}

void
prfaq_webhooks_stop(struct prfaq_webhooks *wh)
{
	if (wh == NULL)
		return;
	atomic_store(&wh->stop, true);
	if (write(wh->wake[1], "x", 1) < 0)
		log_warn(NULL, "webhook sender: wake-up failed");
	pthread_join(wh->thread, NULL);
	prfaq_outbox_close(wh->outbox);
	curl_easy_cleanup(wh->curl);
	close(wh->wake[0]);
	close(wh->wake[1]);
	free(wh);
}
