/*
 * test_integration.c - what internal portals rely on: CORS for browser
 * front ends, Idempotency-Key for safe retries, and signed webhooks
 * delivered from the outbox to a real receiver on loopback (which fails on
 * purpose, and sees prfaqd killed and restarted mid-way).
 */
#include "harness.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ORIGIN "https://portal.example.com"

static struct h_server srv;
static char *author, author_id[40]; /* admins don't write PR/FAQs */

/* --- a webhook receiver -------------------------------------------------- */

#define RX_MAX 256

struct rx_delivery {
	char *body;
	char sig[160];
	char event[32];
	long long delivery;
};

static struct receiver {
	struct MHD_Daemon *d;
	int port;
	pthread_mutex_t mu;
	int fail_next; /* answer 500 to this many more requests */
	bool fail_all; /* answer 503 to every request */
	int requests;  /* every POST seen */
	size_t n;
	struct rx_delivery got[RX_MAX]; /* accepted (2xx) deliveries */
} rx = { .mu = PTHREAD_MUTEX_INITIALIZER };

struct rx_conn {
	char *body;
	size_t len;
};

static enum MHD_Result
rx_handle(void *cls, struct MHD_Connection *c, const char *url,
	  const char *method, const char *version, const char *data,
	  size_t *size, void **con_cls)
{
	struct rx_conn *rc = *con_cls;
	struct MHD_Response *resp;
	unsigned status = 204;
	enum MHD_Result ret;

	if (rc == NULL) {
		*con_cls = calloc(1, sizeof(*rc));
		return *con_cls ? MHD_YES : MHD_NO;
	}
	if (*size > 0) {
		char *p = realloc(rc->body, rc->len + *size + 1);

		if (p == NULL)
			return MHD_NO;
		memcpy(p + rc->len, data, *size);
		rc->len += *size;
		p[rc->len] = '\0';
		rc->body = p;
		*size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&rx.mu);
	rx.requests++;
	if (rx.fail_all) {
		status = 503;
	} else if (rx.fail_next > 0) {
		rx.fail_next--;
		status = 500;
	} else if (rx.n < RX_MAX) {
		struct rx_delivery *d = &rx.got[rx.n++];
		const char *v;

		d->body = rc->body ? rc->body : strdup("");
		rc->body = NULL;
		v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						"X-Prfaq-Signature");
		snprintf(d->sig, sizeof(d->sig), "%s", v ? v : "");
		v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						"X-Prfaq-Event");
		snprintf(d->event, sizeof(d->event), "%s", v ? v : "");
		v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						"X-Prfaq-Delivery");
		d->delivery = v ? atoll(v) : -1;
	}
	pthread_mutex_unlock(&rx.mu);
	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
rx_done(void *cls, struct MHD_Connection *c, void **con_cls,
	enum MHD_RequestTerminationCode why)
{
	struct rx_conn *rc = *con_cls;

	if (rc != NULL) {
		free(rc->body);
		free(rc);
	}
	*con_cls = NULL;
}

static int
rx_start(void)
{
	const union MHD_DaemonInfo *info;

	rx.d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL,
		NULL, rx_handle, NULL, MHD_OPTION_NOTIFY_COMPLETED, rx_done,
		NULL, MHD_OPTION_END);
	if (rx.d == NULL)
		return -1;
	info = MHD_get_daemon_info(rx.d, MHD_DAEMON_INFO_BIND_PORT);
	rx.port = info ? info->port : 0;
	return rx.port > 0 ? 0 : -1;
}

static void
rx_reset(int fail_next, bool fail_all)
{
	pthread_mutex_lock(&rx.mu);
	for (size_t i = 0; i < rx.n; i++)
		free(rx.got[i].body);
	rx.n = 0;
	rx.requests = 0;
	rx.fail_next = fail_next;
	rx.fail_all = fail_all;
	pthread_mutex_unlock(&rx.mu);
}

static size_t
rx_count(void)
{
	size_t n;

	pthread_mutex_lock(&rx.mu);
	n = rx.n;
	pthread_mutex_unlock(&rx.mu);
	return n;
}

/* Wait up to ms for at least n accepted deliveries. */
static bool
rx_wait(size_t n, int ms)
{
	for (double end = h_now_ms() + ms; h_now_ms() < end; usleep(20000))
		if (rx_count() >= n)
			return true;
	return rx_count() >= n;
}

/*
 * The check every receiver should make: the header is "t=<unix>,v1=<hex>",
 * v1 is HMAC-SHA256(secret, "<t>.<body>"), and t is recent.
 */
static bool
signature_valid(const char *secret, const char *header, const char *body)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	char msg[65536], hex[2 * EVP_MAX_MD_SIZE + 1];
	long long t;
	const char *v1;
	int n;

	if (sscanf(header, "t=%lld,", &t) != 1 ||
	    (v1 = strstr(header, ",v1=")) == NULL)
		return false;
	v1 += 4;
	if (llabs((long long)time(NULL) - t) > 300)
		return false;
	n = snprintf(msg, sizeof(msg), "%lld.%s", t, body);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return false;
	HMAC(EVP_sha256(), secret, (int)strlen(secret), (unsigned char *)msg,
	     (size_t)n, mac, &maclen);
	for (unsigned i = 0; i < maclen; i++)
		snprintf(hex + 2 * i, 3, "%02x", mac[i]);
	return strcmp(hex, v1) == 0;
}

/* --- set-up ---------------------------------------------------------------- */

static const char *const env[] = {
	"PRFAQ_CORS_ORIGINS=" ORIGIN ",https://other-portal.example.com",
	"PRFAQ_WEBHOOK_BACKOFF_MS=50", "PRFAQ_WEBHOOK_POLL_MS=50",
	"PRFAQ_WEBHOOK_TIMEOUT_MS=1000",
	/* The receiver is on loopback, which webhooks may not reach otherwise. */
	"PRFAQ_WEBHOOK_ALLOW_PRIVATE=1", NULL
};

static int
setup(void **state)
{
	signal(SIGPIPE, SIG_IGN);
	if (rx_start() != 0)
		return -1;
	if (h_start(&srv, env) != 0)
		return -1;
	author = h_user(&srv, "Ann", "\"author\"", author_id);
	return author != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	h_stop(&srv);
	free(author);
	rx_reset(0, false);
	MHD_stop_daemon(rx.d);
	return 0;
}

static void
create_prfaq(const char *token, const char *const *hdrs, const char *title,
	     int want, struct h_resp *r)
{
	char body[256];

	snprintf(body, sizeof(body),
		 "{\"title\":\"%s\",\"team\":\"portal\",\"content\":"
		 "{\"press_release\":{\"headline\":\"%s\"}}}",
		 title, title);
	assert_int_equal(
		h_req(&srv, "POST", "/v1/prfaqs", token, hdrs, body, r), 0);
	assert_status(r, want);
}

static char *
count_sql(const char *sql)
{
	return h_sql(srv.dbname, sql);
}

/* --- CORS ------------------------------------------------------------------ */

static void
test_cors_preflight(void **state)
{
	const char *pre[] = {
		"Origin: " ORIGIN, "Access-Control-Request-Method: PUT",
		"Access-Control-Request-Headers: authorization, if-match, content-type",
		NULL
	};
	const char *evil[] = { "Origin: https://evil.example.com",
			       "Access-Control-Request-Method: PUT", NULL };
	char buf[256];
	struct h_resp r;

	assert_int_equal(
		h_req(&srv, "OPTIONS",
		      "/v1/prfaqs/00000000-0000-0000-0000-000000000000", NULL,
		      pre, NULL, &r),
		0);
	assert_status(&r, 204);
	assert_string_equal(h_header(&r, "Access-Control-Allow-Origin", buf,
				     sizeof(buf)),
			    ORIGIN);
	assert_non_null(strstr(h_header(&r, "Access-Control-Allow-Methods", buf,
					sizeof(buf)),
			       "PUT"));
	h_header(&r, "Access-Control-Allow-Headers", buf, sizeof(buf));
	assert_non_null(strstr(buf, "If-Match"));
	assert_non_null(strstr(buf, "Authorization"));
	assert_non_null(strstr(buf, "Idempotency-Key"));
	assert_non_null(strstr(buf, "Change-Note"));
	assert_non_null(
		h_header(&r, "Access-Control-Max-Age", buf, sizeof(buf)));
	assert_non_null(
		strstr(h_header(&r, "Vary", buf, sizeof(buf)), "Origin"));
	h_resp_free(&r);

	/* An origin not on the list: a plain OPTIONS answer, no CORS at all. */
	assert_int_equal(
		h_req(&srv, "OPTIONS", "/v1/prfaqs", NULL, evil, NULL, &r), 0);
	assert_status(&r, 204);
	assert_null(
		h_header(&r, "Access-Control-Allow-Origin", buf, sizeof(buf)));
	assert_null(
		h_header(&r, "Access-Control-Allow-Methods", buf, sizeof(buf)));
	assert_non_null(h_header(&r, "Allow", buf, sizeof(buf)));
	h_resp_free(&r);
}

static void
test_cors_actual(void **state)
{
	const char *ok[] = { "Origin: https://other-portal.example.com", NULL };
	const char *evil[] = { "Origin: https://evil.example.com", NULL };
	char buf[256];
	struct h_resp r;

	create_prfaq(author, ok, "CORS", 201, &r);
	assert_string_equal(h_header(&r, "Access-Control-Allow-Origin", buf,
				     sizeof(buf)),
			    "https://other-portal.example.com");
	h_header(&r, "Access-Control-Expose-Headers", buf, sizeof(buf));
	for (const char *const *h =
		     (const char *const[]){ "ETag", "Location", "Link",
					    "X-Request-Id", NULL };
	     *h; h++)
		assert_non_null(strstr(buf, *h));
	h_resp_free(&r);

	/* Errors carry CORS headers too, or the browser hides the problem. */
	assert_int_equal(h_req(&srv, "GET", "/v1/prfaqs", "prfaq_nope", ok,
			       NULL, &r),
			 0);
	assert_status(&r, 401);
	assert_non_null(
		h_header(&r, "Access-Control-Allow-Origin", buf, sizeof(buf)));
	h_resp_free(&r);

	assert_int_equal(h_req(&srv, "GET", "/v1/prfaqs", srv.admin_token, evil,
			       NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_null(
		h_header(&r, "Access-Control-Allow-Origin", buf, sizeof(buf)));
	assert_null(h_header(&r, "Access-Control-Expose-Headers", buf,
			     sizeof(buf)));
	h_resp_free(&r);
}

/* --- Idempotency-Key ---------------------------------------------------- */

static void
test_idempotent_create(void **state)
{
	const char *key[] = { "Idempotency-Key: create-1", NULL };
	char loc1[256], loc2[256], buf[64], *n;
	struct h_resp a, b;

	create_prfaq(author, key, "Idem one", 201, &a);
	assert_null(h_header(&a, "Idempotent-Replayed", buf, sizeof(buf)));
	create_prfaq(author, key, "Idem one", 201, &b);
	assert_string_equal(
		h_header(&b, "Idempotent-Replayed", buf, sizeof(buf)), "true");
	/* The same reply: body, Location and ETag. */
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.body, b.body, a.len);
	assert_string_equal(h_header(&a, "Location", loc1, sizeof(loc1)),
			    h_header(&b, "Location", loc2, sizeof(loc2)));
	assert_string_equal(h_header(&a, "ETag", loc1, sizeof(loc1)),
			    h_header(&b, "ETag", loc2, sizeof(loc2)));
	h_resp_free(&a);
	h_resp_free(&b);
	n = count_sql("SELECT count(*) FROM prfaqs WHERE title = 'Idem one'");
	assert_string_equal(n, "1");
	free(n);

	/* Same key, another body: refused, nothing created. */
	create_prfaq(author, key, "Idem two", 422, &a);
	assert_string_equal(h_header(&a, "Content-Type", buf, sizeof(buf)),
			    "application/problem+json");
	h_resp_free(&a);
	n = count_sql("SELECT count(*) FROM prfaqs WHERE title = 'Idem two'");
	assert_string_equal(n, "0");
	free(n);
}

static void
test_idempotent_per_caller_and_failures(void **state)
{
	const char *key[] = { "Idempotency-Key: shared-key", NULL };
	char long_key[320];
	const char *bad[] = { long_key, NULL };
	const char *ctl[] = { "Idempotency-Key: a\tb", NULL };
	char *other = h_user(&srv, "Other", "\"author\"", NULL);
	struct h_resp r;
	char *n;

	assert_non_null(other);
	/* Keys are per caller: the same key from two users creates two. */
	create_prfaq(author, key, "Per caller", 201, &r);
	h_resp_free(&r);
	create_prfaq(other, key, "Per caller", 201, &r);
	assert_null(h_header(&r, "Idempotent-Replayed", long_key,
			     sizeof(long_key)));
	h_resp_free(&r);
	n = count_sql("SELECT count(*) FROM prfaqs WHERE title = 'Per caller'");
	assert_string_equal(n, "2");
	free(n);

	/* A key that is too long or not printable: 400. */
	memset(long_key, 'k', sizeof(long_key) - 1);
	long_key[sizeof(long_key) - 1] = '\0';
	memcpy(long_key, "Idempotency-Key: ", 17);
	create_prfaq(other, bad, "Bad key", 400, &r);
	h_resp_free(&r);
	create_prfaq(other, ctl, "Bad key", 400, &r);
	h_resp_free(&r);

	/* A failed request does not burn its key: a corrected retry runs. */
	{
		const char *k2[] = { "Idempotency-Key: fix-and-retry", NULL };

		assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", other, k2,
				       "{\"title\":\"\"}", &r),
				 0);
		assert_status(&r, 400);
		h_resp_free(&r);
		create_prfaq(other, k2, "Fixed", 201, &r);
		h_resp_free(&r);
	}
	free(other);
}

/* The SHA-256 (hex) of an idempotent POST /v1/prfaqs with this body. */
static void
prfaq_request_hash(const char *body, char hex[65])
{
	unsigned char hash[32];
	char msg[512];
	int len = snprintf(msg, sizeof(msg), "POST\n/v1/prfaqs\n%s", body);
	unsigned int hl = 0;

	EVP_Digest(msg, (size_t)len, hash, &hl, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", hash[i]);
}

static void
test_idempotent_running_and_expiry(void **state)
{
	const char *body =
		"{\"title\":\"Slow\",\"team\":\"portal\",\"content\":{}}";
	const char *key[] = { "Idempotency-Key: in-flight", NULL };
	char hex[65], sql[512], *n;
	struct h_resp r;

	/* A first request still running looks like a claimed key without a reply. */
	prfaq_request_hash(body, hex);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO idempotency_keys (user_id, key, request_hash) "
		 "VALUES ('%s', 'in-flight', '\\x%s') RETURNING 1",
		 author_id, hex);
	free(h_sql(srv.dbname, sql));
	assert_int_equal(
		h_req(&srv, "POST", "/v1/prfaqs", author, key, body, &r), 0);
	assert_status(&r, 409);
	assert_non_null(h_header(&r, "Retry-After", hex, sizeof(hex)));
	h_resp_free(&r);

	/* After 24 hours a key is forgotten: the request runs. */
	free(h_sql(
		srv.dbname,
		"UPDATE idempotency_keys SET expires_at = now() - interval '1 second'"
		" WHERE key = 'in-flight' RETURNING 1"));
	assert_int_equal(
		h_req(&srv, "POST", "/v1/prfaqs", author, key, body, &r), 0);
	assert_status(&r, 201);
	h_resp_free(&r);
	n = count_sql("SELECT count(*) FROM prfaqs WHERE title = 'Slow'");
	assert_string_equal(n, "1");
	free(n);

	/* Every claim purges a few other expired keys: the table stays bounded. */
	snprintf(
		sql, sizeof(sql),
		"INSERT INTO idempotency_keys (user_id, key, request_hash, expires_at)"
		" SELECT '%s', 'old-' || g, '\\x00', now() - interval '1 hour'"
		"   FROM generate_series(1, 30) g RETURNING 1",
		author_id);
	free(h_sql(srv.dbname, sql));
	{
		const char *k3[] = { "Idempotency-Key: purger", NULL };

		create_prfaq(author, k3, "Purger", 201, &r);
		h_resp_free(&r);
	}
	n = count_sql(
		"SELECT count(*) FROM idempotency_keys WHERE key LIKE 'old-%'");
	assert_string_equal(n, "10");
	free(n);
}

/*
 * What crashes and lost connections leave behind, made by hand: a claim
 * whose process died before its write (taken over after the lease), and a
 * claim whose write committed but whose reply was never recorded (never run
 * again).  And every creating write marks its claim in its own transaction.
 */
static void
test_idempotent_claims_survive_failures(void **state)
{
	const char *abandoned =
		"{\"title\":\"Abandoned\",\"team\":\"portal\",\"content\":{}}";
	const char *lost =
		"{\"title\":\"Lost reply\",\"team\":\"portal\",\"content\":{}}";
	const char *k1[] = { "Idempotency-Key: abandoned", NULL };
	const char *k2[] = { "Idempotency-Key: lost-reply", NULL };
	char hex[65], sql[640], *n;
	struct h_resp r;

	/* Claimed 2 minutes ago, never written, never finished: its request died. */
	prfaq_request_hash(abandoned, hex);
	snprintf(
		sql, sizeof(sql),
		"INSERT INTO idempotency_keys (user_id, key, request_hash, claimed_at)"
		" VALUES ('%s', 'abandoned', '\\x%s', now() - interval '2 minutes')"
		" RETURNING 1",
		author_id, hex);
	free(h_sql(srv.dbname, sql));
	assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", author, k1,
			       abandoned, &r),
			 0);
	assert_status(&r, 201);
	h_resp_free(&r);
	n = count_sql("SELECT count(*) FROM prfaqs WHERE title = 'Abandoned'");
	assert_string_equal(n, "1");
	free(n);
	/* The retry's own claim was written and recorded: a replay now. */
	n = count_sql(
		"SELECT count(*) FROM idempotency_keys WHERE key = 'abandoned'"
		" AND written AND status = 201 AND claimed_at > now() - interval '1 minute'");
	assert_string_equal(n, "1");
	free(n);
	assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", author, k1,
			       abandoned, &r),
			 0);
	assert_status(&r, 201);
	assert_non_null(h_header(&r, "Idempotent-Replayed", hex, sizeof(hex)));
	h_resp_free(&r);

	/* Written but no reply (COMMIT made it, the record did not): never again. */
	prfaq_request_hash(lost, hex);
	snprintf(
		sql, sizeof(sql),
		"INSERT INTO idempotency_keys (user_id, key, request_hash, written, claimed_at)"
		" VALUES ('%s', 'lost-reply', '\\x%s', true, now() - interval '2 minutes')"
		" RETURNING 1",
		author_id, hex);
	free(h_sql(srv.dbname, sql));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", author, k2,
				       lost, &r),
				 0);
		assert_status(&r, 409);
		assert_non_null(strstr(JS(&r, "detail"), "carried out"));
		h_resp_free(&r);
	}
	n = count_sql("SELECT count(*) FROM prfaqs WHERE title = 'Lost reply'");
	assert_string_equal(n, "0");
	free(n);

	/* A fresh claim of another request (not ours) is still running: 409. */
	snprintf(
		sql, sizeof(sql),
		"UPDATE idempotency_keys SET written = false, claimed_at = now()"
		" WHERE key = 'lost-reply' RETURNING 1");
	free(h_sql(srv.dbname, sql));
	assert_int_equal(
		h_req(&srv, "POST", "/v1/prfaqs", author, k2, lost, &r), 0);
	assert_status(&r, 409);
	assert_non_null(h_header(&r, "Retry-After", hex, sizeof(hex)));
	h_resp_free(&r);

	/* Users, tokens and webhooks mark their claims too. */
	{
		const char *ku[] = { "Idempotency-Key: mark-user", NULL };
		const char *kw[] = { "Idempotency-Key: mark-webhook", NULL };

		assert_int_equal(
			h_req(&srv, "POST", "/v1/users", srv.admin_token, ku,
			      "{\"name\":\"Marked\",\"email\":\"marked@example.com\","
			      "\"roles\":[\"author\"]}",
			      &r),
			0);
		assert_status(&r, 201);
		h_resp_free(&r);
		assert_int_equal(
			h_req(&srv, "POST", "/v1/webhooks", srv.admin_token, kw,
			      "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"created\"]}",
			      &r),
			0);
		assert_status(&r, 201);
		h_resp_free(&r);
		n = count_sql(
			"SELECT count(*) FROM idempotency_keys"
			" WHERE key IN ('mark-user', 'mark-webhook') AND written"
			"   AND status = 201");
		assert_string_equal(n, "2");
		free(n);
		/* Delete the webhook: nothing should deliver to it. */
		free(h_sql(
			srv.dbname,
			"UPDATE webhooks SET deleted_at = now()"
			" WHERE url = 'http://127.0.0.1:9/hook' RETURNING 1"));
	}
}

static void
test_idempotent_token_is_not_stored(void **state)
{
	char id[40], path[128], sql[512], *tok1, *tok2, *n;
	const char *key[] = { "Idempotency-Key: token-1", NULL };
	struct h_resp a, b;

	tok1 = h_user(&srv, "Tess", "\"author\"", id);
	assert_non_null(tok1);
	snprintf(path, sizeof(path), "/v1/users/%s/tokens", id);
	assert_int_equal(h_req(&srv, "POST", path, tok1, key, "{}", &a), 0);
	assert_status(&a, 201);
	assert_int_equal(h_req(&srv, "POST", path, tok1, key, "{}", &b), 0);
	assert_status(&b, 201);
	assert_string_equal(JS(&a, "token"), JS(&b, "token"));
	n = count_sql(
		"SELECT count(*) FROM api_tokens t JOIN users u ON u.id = t.user_id"
		" WHERE u.name = 'Tess'");
	assert_string_equal(n, "2");
	free(n);
	/* The token's INSERT marked its claim, in its own transaction. */
	n = count_sql(
		"SELECT count(*) FROM idempotency_keys WHERE key = 'token-1' AND written");
	assert_string_equal(n, "1");
	free(n);

	/* The recorded reply holds the token only sealed. */
	snprintf(
		sql, sizeof(sql),
		"SELECT count(*) FROM idempotency_keys WHERE response::text LIKE '%%%s%%'",
		JS(&a, "token") + 6);
	n = count_sql(sql);
	assert_string_equal(n, "0");
	free(n);

	/* Another token of the same user cannot open it. */
	tok2 = strdup(JS(&a, "token"));
	h_resp_free(&b);
	assert_int_equal(h_req(&srv, "POST", path, tok2, key, "{}", &b), 0);
	assert_status(&b, 409);
	h_resp_free(&a);
	h_resp_free(&b);
	free(tok1);
	free(tok2);
}

/* --- webhooks ------------------------------------------------------------ */

static char *
register_hook(const char *events, char *id_out)
{
	char body[256];
	struct h_resp r;
	char *secret;

	snprintf(body, sizeof(body),
		 "{\"url\":\"http://127.0.0.1:%d/hook\",\"events\":%s,"
		 "\"description\":\"portal\"}",
		 rx.port, events);
	assert_int_equal(h_req(&srv, "POST", "/v1/webhooks", srv.admin_token,
			       NULL, body, &r),
			 0);
	assert_status(&r, 201);
	assert_non_null(JS(&r, "secret"));
	assert_memory_equal(JS(&r, "secret"), "whsec_", 6);
	secret = strdup(JS(&r, "secret"));
	strcpy(id_out, JS(&r, "id"));
	h_resp_free(&r);
	return secret;
}

static void
delete_hook(const char *id)
{
	char path[128];
	struct h_resp r;

	snprintf(path, sizeof(path), "/v1/webhooks/%s", id);
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 204);
	h_resp_free(&r);
}

static void
test_webhook_admin(void **state)
{
	char *wes = h_user(&srv, "Wes", "\"author\"", NULL);
	char id[40], path[128];
	struct h_resp r;
	char *secret;

	/* Admins only, and validated. */
	assert_int_equal(h_req(&srv, "POST", "/v1/webhooks", wes, NULL,
			       "{\"url\":\"http://127.0.0.1:1/x\"}", &r),
			 0);
	assert_status(&r, 403);
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "GET", "/v1/webhooks", wes, NULL, NULL, &r), 0);
	assert_status(&r, 403);
	h_resp_free(&r);
	for (const char *const *b =
		     (const char *const[]){
			     "{\"url\":\"ftp://example.com/x\"}",
			     "{\"url\":\"http://\"}",
			     "{\"url\":\"http://example.com/a b\"}",
			     "{\"url\":\"http://example.com/\",\"events\":[\"exploded\"]}",
			     "{\"url\":\"http://example.com/\",\"events\":\"created\"}",
			     "{\"url\":\"http://example.com/\",\"colour\":\"red\"}",
			     "{}", "[]", NULL };
	     *b; b++) {
		assert_int_equal(h_req(&srv, "POST", "/v1/webhooks",
				       srv.admin_token, NULL, *b, &r),
				 0);
		assert_status(&r, 400);
		assert_non_null(J(&r, "errors"));
		h_resp_free(&r);
	}

	/* The secret is shown once: not in the list, not in the item. */
	secret = register_hook("[\"decided\"]", id);
	assert_int_equal(h_req(&srv, "GET", "/v1/webhooks", srv.admin_token,
			       NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_non_null(strstr(r.body, id));
	assert_null(strstr(r.body, secret));
	assert_null(strstr(r.body, "\"secret\""));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/webhooks/%s", id);
	assert_int_equal(
		h_req(&srv, "GET", path, srv.admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_null(J(&r, "secret"));
	assert_string_equal(
		json_string_value(json_array_get(J(&r, "events"), 0)),
		"decided");
	h_resp_free(&r);

	delete_hook(id);
	assert_int_equal(
		h_req(&srv, "GET", path, srv.admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 404);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 404);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/webhooks/not-a-uuid/deliveries",
			       srv.admin_token, NULL, NULL, &r),
			 0);
	assert_status(&r, 404);
	h_resp_free(&r);
	free(secret);
	free(wes);
}

/* Deliveries of a webhook, newest first. */
static json_t *
deliveries(const char *hook_id)
{
	char path[160];
	struct h_resp r;
	json_t *items;

	snprintf(path, sizeof(path), "/v1/webhooks/%s/deliveries", hook_id);
	assert_int_equal(
		h_req(&srv, "GET", path, srv.admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	items = json_incref(J(&r, "items"));
	h_resp_free(&r);
	return items;
}

/*
 * The value of one sample of GET /metrics (name with its labels, as it
 * appears before the space); -1 when absent.
 */
static double
metric(const char *sample)
{
	struct h_resp r;
	char key[256];
	const char *at;
	double v = -1;

	assert_int_equal(h_req(&srv, "GET", "/metrics", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	snprintf(key, sizeof(key), "\n%s ", sample);
	if ((at = strstr(r.body, key)) != NULL)
		v = strtod(at + strlen(key), NULL);
	h_resp_free(&r);
	return v;
}

static void
test_webhook_signed_and_retried(void **state)
{
	char hook[40], filtered[40], prfaq_id[40];
	char *secret, *secret2;
	struct h_resp r;
	json_t *body, *items, *attempts;

	rx_reset(2, false); /* the first two attempts fail */
	secret = register_hook("[]", hook);
	secret2 = register_hook("[\"decided\"]", filtered);
	create_prfaq(author, NULL, "Hooked", 201, &r);
	strcpy(prfaq_id, JS(&r, "id"));
	h_resp_free(&r);

	assert_true(rx_wait(1, 15000));
	pthread_mutex_lock(&rx.mu);
	assert_true(signature_valid(secret, rx.got[0].sig, rx.got[0].body));
	/* A tampered body or the wrong secret fails the check. */
	assert_false(signature_valid(secret2, rx.got[0].sig, rx.got[0].body));
	assert_false(signature_valid(secret, rx.got[0].sig,
				     "{\"type\":\"created\"}"));
	assert_string_equal(rx.got[0].event, "created");
	body = json_loads(rx.got[0].body, 0, NULL);
	assert_non_null(body);
	/* One JSON style, the responses': compact, members in their order. */
	{
		char *compact =
			json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);

		assert_non_null(compact);
		assert_string_equal(rx.got[0].body, compact);
		free(compact);
	}
	assert_string_equal(json_string_value(json_object_get(body, "type")),
			    "created");
	assert_string_equal(
		json_string_value(json_object_get(body, "prfaq_id")), prfaq_id);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(body, "actor"), "id")),
			    author_id);
	assert_non_null(json_object_get(body, "at"));
	assert_int_equal(
		json_integer_value(json_object_get(body, "delivery_id")),
		rx.got[0].delivery);
	assert_true(rx.requests >= 3);
	pthread_mutex_unlock(&rx.mu);
	json_decref(body);

	/*
	 * Every attempt is visible: two failures, then the delivery.  The
	 * receiver has the body before prfaqd has recorded its answer: wait
	 * for the record.
	 */
	for (double end = h_now_ms() + 10000; h_now_ms() < end; usleep(20000)) {
		char *n = count_sql("SELECT count(*) FROM webhook_deliveries"
				    " WHERE state = 'pending'");
		bool done = n != NULL && strcmp(n, "0") == 0;

		free(n);
		if (done)
			break;
	}
	items = deliveries(hook);
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(items, 0), "state")),
			    "delivered");
	attempts = json_object_get(json_array_get(items, 0), "attempts");
	assert_int_equal(json_array_size(attempts), 3);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(attempts, 0), "status_code")),
			 500);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(attempts, 2), "status_code")),
			 204);
	json_decref(items);
	/* The filtered webhook wanted only decisions. */
	items = deliveries(filtered);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);

	/* /metrics counts the attempts by outcome ... */
	assert_true(
		metric("prfaqd_webhook_deliveries_total{outcome=\"delivered\"}") >=
		1);
	assert_true(
		metric("prfaqd_webhook_deliveries_total{outcome=\"retried\"}") >=
		2);
	/* ... and reads the outbox: a delivery made pending 100 s ago (and not
	 * due for an hour) is pending and its age shows; then failed. */
	free(count_sql("UPDATE webhook_deliveries SET state = 'pending',"
		       " created_at = now() - interval '100 seconds',"
		       " next_attempt_at = now() + interval '1 hour'"
		       " WHERE id = (SELECT max(id) FROM webhook_deliveries)"));
	assert_true(metric("prfaqd_webhook_outbox_pending") >= 1);
	assert_true(
		metric("prfaqd_webhook_outbox_oldest_pending_age_seconds") >=
		100);
	free(count_sql("UPDATE webhook_deliveries SET state = 'failed'"
		       " WHERE id = (SELECT max(id) FROM webhook_deliveries)"));
	assert_true(metric("prfaqd_webhook_outbox_failed") >= 1);
	free(count_sql("UPDATE webhook_deliveries SET state = 'delivered'"
		       " WHERE id = (SELECT max(id) FROM webhook_deliveries)"));

	delete_hook(hook);
	delete_hook(filtered);
	free(secret);
	free(secret2);
}

static void
test_webhook_survives_restart(void **state)
{
	char hook[40], title[32], *secret, *n;
	struct h_resp r;
	json_t *items;

	rx_reset(0, true); /* the receiver is down */
	secret = register_hook("[\"created\"]", hook);
	create_prfaq(author, NULL, "Before crash", 201, &r);
	h_resp_free(&r);
	/* Wait until an attempt has failed, then kill prfaqd without warning. */
	for (double end = h_now_ms() + 10000; h_now_ms() < end; usleep(20000)) {
		n = count_sql("SELECT count(*) FROM webhook_attempts");
		if (n != NULL && strcmp(n, "0") != 0) {
			free(n);
			break;
		}
		free(n);
	}
	assert_int_equal(h_kill(&srv, SIGKILL), 128 + SIGKILL);

	/* The receiver comes back; so does prfaqd, and the event gets there. */
	rx_reset(0, false);
	assert_int_equal(h_restart(&srv, env), 0);
	assert_true(rx_wait(1, 40000));
	pthread_mutex_lock(&rx.mu);
	assert_true(signature_valid(secret, rx.got[0].sig, rx.got[0].body));
	assert_non_null(strstr(rx.got[0].body, "\"created\""));
	pthread_mutex_unlock(&rx.mu);

	/* A slow burst of events through two instances: each delivered once. */
	{
		struct h_server two = srv;
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = { .sin_family = AF_INET };
		socklen_t len = sizeof(a);

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
		assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len),
				 0);
		close(fd);
		two.port = ntohs(a.sin_port);
		snprintf(two.log_path, sizeof(two.log_path), "%s-2.log",
			 srv.dbname);
		assert_int_equal(h_restart(&two, env), 0);
		for (int i = 0; i < 12; i++) {
			snprintf(title, sizeof(title), "Burst %d", i);
			create_prfaq(author, NULL, title, 201, &r);
			h_resp_free(&r);
		}
		assert_true(rx_wait(13, 30000));
		usleep(500000); /* would a duplicate follow? */
		assert_int_equal(h_kill(&two, SIGTERM), 0);
		unlink(two.log_path);
	}
	pthread_mutex_lock(&rx.mu);
	assert_int_equal(rx.n, 13);
	for (size_t i = 0; i < rx.n; i++)
		for (size_t j = i + 1; j < rx.n; j++)
			assert_true(rx.got[i].delivery != rx.got[j].delivery);
	pthread_mutex_unlock(&rx.mu);
	items = deliveries(hook);
	assert_int_equal(json_array_size(items), 13);
	json_decref(items);
	delete_hook(hook);
	free(secret);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cors_preflight),
		cmocka_unit_test(test_cors_actual),
		cmocka_unit_test(test_idempotent_create),
		cmocka_unit_test(test_idempotent_per_caller_and_failures),
		cmocka_unit_test(test_idempotent_running_and_expiry),
		cmocka_unit_test(test_idempotent_token_is_not_stored),
		cmocka_unit_test(test_idempotent_claims_survive_failures),
		cmocka_unit_test(test_webhook_admin),
		cmocka_unit_test(test_webhook_signed_and_retried),
		cmocka_unit_test(test_webhook_survives_restart),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
