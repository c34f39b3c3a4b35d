/*
 * test_hostile_webhooks.c - a webhook must not turn prfaqd into a probe of
 * its own network (issue 14): a URL whose host is, or resolves to, a
 * loopback, private, link-local, multicast, unspecified or reserved address
 * is refused at registration, and the sender refuses to connect to one even
 * when the webhook was registered while that was allowed.  What a failed
 * attempt records is a short class, not libcurl's description.
 *
 * No packet leaves loopback here.  Registration is tested with literal
 * addresses (getaddrinfo parses them without a resolver) and "localhost"
 * (/etc/hosts); the public literals that must be accepted are registered on
 * a server that delivers nothing, in a database no event is ever written
 * to, and deleted at once.  Deliveries go to a receiver on 127.0.0.1, or to
 * a loopback port nobody listens on.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ALLOW "PRFAQ_WEBHOOK_ALLOW_PRIVATE=1"

/* Registrations only: no sender, no allowance. */
static struct h_server reg;

/* --- a receiver on 127.0.0.1 that counts what reaches it ------------------ */

static struct {
	struct MHD_Daemon *d;
	int port;
	pthread_mutex_t mu;
	int connections; /* TCP connections accepted */
	int requests;	 /* requests answered */
} rx = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void
rx_connection(void *cls, struct MHD_Connection *c, void **socket_context,
	      enum MHD_ConnectionNotificationCode code)
{
	if (code != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	pthread_mutex_lock(&rx.mu);
	rx.connections++;
	pthread_mutex_unlock(&rx.mu);
}

/* 204 on /hook, 410 anywhere else; the body is read and dropped. */
static enum MHD_Result
rx_handle(void *cls, struct MHD_Connection *c, const char *url,
	  const char *method, const char *version, const char *data,
	  size_t *size, void **con_cls)
{
	static int started;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (*con_cls == NULL) {
		*con_cls = &started;
		return MHD_YES;
	}
	if (*size > 0) {
		*size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&rx.mu);
	rx.requests++;
	pthread_mutex_unlock(&rx.mu);
	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, strcmp(url, "/hook") == 0 ? 204 : 410,
				 resp);
	MHD_destroy_response(resp);
	return ret;
}

static int
rx_start(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	const union MHD_DaemonInfo *info;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rx.d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL,
		NULL, rx_handle, NULL, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&a, MHD_OPTION_NOTIFY_CONNECTION,
		rx_connection, NULL, MHD_OPTION_END);
	if (rx.d == NULL)
		return -1;
	info = MHD_get_daemon_info(rx.d, MHD_DAEMON_INFO_BIND_PORT);
	rx.port = info ? info->port : 0;
	return rx.port > 0 ? 0 : -1;
}

static void
rx_counts(int *connections, int *requests)
{
	pthread_mutex_lock(&rx.mu);
	*connections = rx.connections;
	*requests = rx.requests;
	pthread_mutex_unlock(&rx.mu);
}

/* --- set-up ----------------------------------------------------------------- */

static int
setup(void **state)
{
	static const char *const env[] = { "PRFAQ_WEBHOOKS=0", NULL };

	/* The allowance must come from the env lists below, never from ours. */
	unsetenv("PRFAQ_WEBHOOK_ALLOW_PRIVATE");
	signal(SIGPIPE, SIG_IGN);
	if (rx_start() != 0)
		return -1;
	return h_start(&reg, env);
}

static int
teardown(void **state)
{
	h_stop(&reg);
	MHD_stop_daemon(rx.d);
	return 0;
}

/* POST /v1/webhooks {"url": url} as the admin of s; the response in r. */
static void
register_url(struct h_server *s, const char *url, struct h_resp *r)
{
	json_t *body =
		json_pack("{s:s, s:[s]}", "url", url, "events", "created");
	char *text = json_dumps(body, JSON_COMPACT);

	assert_int_equal(h_req(s, "POST", "/v1/webhooks", s->admin_token, NULL,
			       text, r),
			 0);
	free(text);
	json_decref(body);
}

static void
delete_hook(struct h_server *s, const char *id)
{
	char path[128];
	struct h_resp r;

	snprintf(path, sizeof(path), "/v1/webhooks/%s", id);
	assert_int_equal(
		h_req(s, "DELETE", path, s->admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 204);
	h_resp_free(&r);
}

/* A 400 at /url whose message names want (a class, or a phrase). */
static void
expect_refused(const char *url, const char *want)
{
	struct h_resp r;
	json_t *e;
	const char *msg;

	register_url(&reg, url, &r);
	if (r.status != 400) {
		print_error("%s: status %ld, want 400: %s\n", url, r.status,
			    r.body ? r.body : "");
		fail();
	}
	assert_int_equal(json_array_size(J(&r, "errors")), 1);
	e = json_array_get(J(&r, "errors"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "pointer")),
			    "/url");
	msg = json_string_value(json_object_get(e, "message"));
	if (msg == NULL || strstr(msg, want) == NULL) {
		print_error("%s: message \"%s\" does not say \"%s\"\n", url,
			    msg ? msg : "", want);
		fail();
	}
	h_resp_free(&r);
}

/*
 * Every refused range, in the spellings libcurl accepts for it (decimal,
 * hex, octal, short and percent-encoded IPv4; IPv4 inside IPv6), with user
 * info and ports, and "localhost".
 */
static void
test_registration_refuses_non_public_hosts(void **state)
{
	static const struct {
		const char *url, *want;
	} cases[] = {
		{ "http://127.0.0.1:8080/hook", "loopback" },
		{ "http://127.255.255.254/", "loopback" },
		{ "http://127.1/", "loopback" },
		{ "http://2130706433/", "loopback" },
		{ "http://0x7f.0.0.1/", "loopback" },
		{ "http://017700000001/", "loopback" },
		{ "http://%31%32%37.0.0.1/", "loopback" },
		{ "https://user:secret@127.0.0.1/", "loopback" },
		{ "http://localhost/", "loopback" },
		{ "http://localhost:9/hook?x=1", "loopback" },
		{ "http://[::1]/", "loopback" },
		{ "http://[0:0:0:0:0:0:0:1]:8080/", "loopback" },
		{ "http://[::ffff:127.0.0.1]/", "loopback" },
		{ "http://[::ffff:7f00:1]/", "loopback" },
		{ "http://[64:ff9b::7f00:1]/", "loopback" },
		{ "http://[2002:7f00:1::]/", "loopback" },
		{ "http://10.0.0.1/", "private" },
		{ "http://172.16.5.4/", "private" },
		{ "http://172.31.255.255/", "private" },
		{ "http://192.168.1.1/", "private" },
		{ "http://[fc00::1]/", "private" },
		{ "http://[fd12:3456::1]/", "private" },
		{ "http://[::ffff:10.1.2.3]/", "private" },
		{ "http://100.64.0.1/", "shared" },
		{ "http://169.254.169.254/latest/meta-data/", "link-local" },
		{ "http://[::ffff:169.254.169.254]/", "link-local" },
		{ "http://[fe80::1]/", "link-local" },
		{ "http://[fe80::1%25eth0]/", "link-local" },
		{ "http://224.0.0.1/", "multicast" },
		{ "http://[ff02::1]/", "multicast" },
		{ "http://0.0.0.0/", "unspecified" },
		{ "http://0/", "unspecified" },
		{ "http://[::]/", "unspecified" },
		{ "http://192.0.2.10/", "reserved" },
		{ "http://198.18.0.1/", "reserved" },
		{ "http://255.255.255.255/", "reserved" },
		{ "http://[2001:db8::1]/", "reserved" },
		/* What libcurl itself cannot use: refused before any lookup. */
		{ "http://example.com:99999/",
		  "not a URL a webhook can be delivered to" },
		{ "http://[::1/", "not a URL a webhook can be delivered to" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refused(cases[i].url, cases[i].want);
}

/* Public literal addresses are fine (registered only: nothing delivers). */
static void
test_registration_accepts_public_literals(void **state)
{
	static const char *const urls[] = {
		"https://93.184.216.34/hook",
		"http://8.8.8.8:8080/x",
		"https://[2606:4700:4700::1111]/hook",
		"http://[::ffff:8.8.4.4]/",
	};
	struct h_resp r;

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		register_url(&reg, urls[i], &r);
		assert_status(&r, 201);
		delete_hook(&reg, JS(&r, "id"));
		h_resp_free(&r);
	}
}

/* --- delivery -------------------------------------------------------------- */

/* The first delivery of hook (through s), once it has an attempt; NULL if none came. */
static json_t *
first_attempted_delivery(struct h_server *s, const char *hook, int ms)
{
	char path[160];

	snprintf(path, sizeof(path), "/v1/webhooks/%s/deliveries", hook);
	for (double end = h_now_ms() + ms; h_now_ms() < end; usleep(50000)) {
		struct h_resp r;
		json_t *items, *d;

		assert_int_equal(h_req(s, "GET", path, s->admin_token, NULL,
				       NULL, &r),
				 0);
		assert_status(&r, 200);
		items = J(&r, "items");
		d = json_array_get(items, json_array_size(items) - 1);
		if (d != NULL &&
		    json_array_size(json_object_get(d, "attempts")) > 0) {
			json_incref(d);
			h_resp_free(&r);
			return d;
		}
		h_resp_free(&r);
	}
	return NULL;
}

/* The error of a delivery's first attempt (borrowed). */
static const char *
first_error(const json_t *delivery)
{
	return json_string_value(json_object_get(
		json_array_get(json_object_get(delivery, "attempts"), 0),
		"error"));
}

/* A second prfaqd on s's database, on its own port and log. */
static void
start_sender(const struct h_server *s, struct h_server *out,
	     const char *const *env, const char *tag)
{
	*out = *s;
	out->port = h_free_port();
	snprintf(out->log_path, sizeof(out->log_path), "%s-%s.log", s->dbname,
		 tag);
	assert_int_equal(h_restart(out, env), 0);
}

static void
stop_sender(struct h_server *s)
{
	assert_int_equal(h_kill(s, SIGTERM), 0);
	unlink(s->log_path);
}

static void
create_prfaq(struct h_server *s, const char *token, const char *title)
{
	struct h_resp r;

	assert_int_equal(h_reqf(s, "POST", "/v1/prfaqs", token, &r,
				"{\"title\":\"%s\"}", title),
			 0);
	assert_status(&r, 201);
	h_resp_free(&r);
}

/*
 * A webhook registered while loopback was allowed, delivered by an instance
 * that does not allow it: no connection is made, and the attempt says
 * "refused_address".  An instance that allows it then delivers the retry.
 * Failures record their class: connect_failed, http_4xx.
 */
static void
test_delivery_refused_at_connect(void **state)
{
	static const char *const quiet[] = { "PRFAQ_WEBHOOKS=0", ALLOW, NULL };
	static const char *const strict[] = { "PRFAQ_WEBHOOK_POLL_MS=50",
					      "PRFAQ_WEBHOOK_BACKOFF_MS=100",
					      "PRFAQ_WEBHOOK_TIMEOUT_MS=2000",
					      NULL };
	static const char *const lax[] = { "PRFAQ_WEBHOOK_POLL_MS=50",
					   "PRFAQ_WEBHOOK_BACKOFF_MS=100",
					   "PRFAQ_WEBHOOK_TIMEOUT_MS=2000",
					   ALLOW, NULL };
	struct h_server a, b;
	char url[128], hook[40], dead[40], gone[40];
	struct h_resp r;
	json_t *d;
	char *author;
	int conns, reqs;

	/* A registers (allowed) and delivers nothing. */
	assert_int_equal(h_start(&a, quiet), 0);
	author = h_user(&a, "Del", "\"author\"", NULL);
	assert_non_null(author);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", rx.port);
	register_url(&a, url, &r);
	assert_status(&r, 201);
	snprintf(hook, sizeof(hook), "%s", JS(&r, "id"));
	h_resp_free(&r);

	/* B delivers, without the allowance. */
	start_sender(&a, &b, strict, "strict");
	create_prfaq(&a, author, "Refused");
	d = first_attempted_delivery(&a, hook, 15000);
	assert_non_null(d);
	assert_string_equal(first_error(d), "refused_address");
	assert_true(json_is_null(json_object_get(
		json_array_get(json_object_get(d, "attempts"), 0),
		"status_code")));
	assert_string_equal(json_string_value(json_object_get(d, "state")),
			    "pending");
	json_decref(d);
	usleep(300000); /* a few more refused retries */
	rx_counts(&conns, &reqs);
	assert_int_equal(conns, 0);
	assert_int_equal(reqs, 0);
	stop_sender(&b);
	/*
	 * Each refusal doubled the backoff, and how many there were depends on
	 * how busy the machine was: make the delivery due now, so that the wait
	 * below is for the lax sender, not for the strict one's schedule.
	 */
	free(h_sql(a.dbname,
		   "UPDATE webhook_deliveries SET next_attempt_at = "
		   "now(), leased_until = NULL WHERE state = 'pending'"));

	/* With the allowance, the same delivery goes through. */
	start_sender(&a, &b, lax, "lax");
	for (double end = h_now_ms() + 20000; h_now_ms() < end && reqs == 0;
	     usleep(50000))
		rx_counts(&conns, &reqs);
	assert_int_equal(reqs, 1);

	/* Classes, not libcurl's text: nobody listening; a 410. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", h_free_port());
	register_url(&a, url, &r);
	assert_status(&r, 201);
	snprintf(dead, sizeof(dead), "%s", JS(&r, "id"));
	h_resp_free(&r);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/gone", rx.port);
	register_url(&a, url, &r);
	assert_status(&r, 201);
	snprintf(gone, sizeof(gone), "%s", JS(&r, "id"));
	h_resp_free(&r);
	create_prfaq(&a, author, "Classes");
	d = first_attempted_delivery(&a, dead, 15000);
	assert_non_null(d);
	assert_string_equal(first_error(d), "connect_failed");
	json_decref(d);
	d = first_attempted_delivery(&a, gone, 15000);
	assert_non_null(d);
	assert_string_equal(first_error(d), "http_4xx");
	assert_int_equal(
		json_integer_value(json_object_get(
			json_array_get(json_object_get(d, "attempts"), 0),
			"status_code")),
		410);
	json_decref(d);
	delete_hook(&a, dead);
	delete_hook(&a, gone);
	delete_hook(&a, hook);
	stop_sender(&b);
	h_stop(&a);
	free(author);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registration_refuses_non_public_hosts),
		cmocka_unit_test(test_registration_accepts_public_literals),
		cmocka_unit_test(test_delivery_refused_at_connect),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
