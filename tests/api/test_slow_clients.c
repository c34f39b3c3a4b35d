/*
 * test_slow_clients.c - clients that hold connections without finishing a
 * request, and more concurrent requests than database connections.
 *
 *   - 500 connections that trickle a request header one byte per second
 *     (slowloris) must not keep normal clients from being served, and must be
 *     closed by the connection timeout (PRFAQ_CONN_TIMEOUT, 3 s here), even
 *     though they never fall silent for that long;
 *   - as many connections as the connection limit (40) that send their
 *     headers, announce a 100 KB body and then trickle it one byte a second
 *     (with a token, without one, and to a route that takes no body) are all
 *     cut off within the timeout too, after which /healthz answers a normal
 *     client within 1 s;
 *   - a route that takes no body refuses one at once (400), before the body
 *     is sent;
 *   - with a pool of 2 database connections, 200 requests at once each end
 *     in a 2xx or a 503 with Retry-After, none in a hang or a 500.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define SLOW	     500
#define GREEDY	     200
#define POOL_WAIT_MS 1000

static struct h_server srv;
static char *author;
static char doc_id[40];

/*
 * A server of the test's own, with a document to read.  On failure it is
 * stopped here: cmocka skips the teardown of a test whose setup failed.
 */
static int
start(const char *const *env)
{
	struct h_resp r;

	if (h_start(&srv, env) != 0) {
		h_stop(&srv);
		return -1;
	}
	author = h_user(&srv, "Patient", "\"author\"", NULL);
	if (author == NULL ||
	    h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
		   "{\"title\":\"Slow clients\",\"tags\":[\"slow\"]}") != 0 ||
	    r.status != 201) {
		h_resp_free(&r);
		h_stop(&srv);
		free(author);
		author = NULL;
		return -1;
	}
	snprintf(doc_id, sizeof(doc_id), "%s", JS(&r, "id"));
	h_resp_free(&r);
	return 0;
}

static int
setup_slowloris(void **state)
{
	const char *env[] = { "PRFAQ_CONN_TIMEOUT=3", "PRFAQ_THREADS=2", NULL };

	return start(env);
}

/*
 * The default connection timeout here: libmicrohttpd counts time a request
 * waits in the kernel for a busy server thread as the client's inactivity,
 * and a sanitizer build on a loaded machine may queue a burst for seconds.
 */
static int
setup_greedy(void **state)
{
	const char *env[] = { "PRFAQ_THREADS=2", "PRFAQ_DB_POOL_SIZE=2",
			      "PRFAQ_DB_POOL_WAIT_MS=1000", NULL };

	return start(env);
}

static int
teardown(void **state)
{
	h_stop(&srv);
	free(author);
	author = NULL;
	return 0;
}

/* --- slowloris ----------------------------------------------------------- */

struct slow {
	int fd[SLOW];
	bool closed[SLOW];
	atomic_int open;
	atomic_bool stop;
};

static const char slow_request[] =
	"GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/* A non-blocking connection to 127.0.0.1:port, or -1. */
static int
connect_to(int port)
{
	int fd = h_connect(port);

	if (fd < 0)
		return -1;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/*
 * Notice the connections the server closed: readable with nothing (EOF) or
 * an error.  Anything it says first (a 408, say) is read and dropped.
 */
static void
reap_closed(struct slow *s)
{
	static struct pollfd p[SLOW];
	int n = 0, map[SLOW];

	for (int i = 0; i < SLOW; i++) {
		if (s->closed[i])
			continue;
		p[n].fd = s->fd[i];
		p[n].events = POLLIN | POLLRDHUP;
		p[n].revents = 0;
		map[n++] = i;
	}
	if (n == 0 || poll(p, (nfds_t)n, 0) <= 0)
		return;
	for (int k = 0; k < n; k++) {
		char buf[4096];
		ssize_t got;

		if (p[k].revents == 0)
			continue;
		while ((got = recv(p[k].fd, buf, sizeof(buf), MSG_DONTWAIT)) >
		       0)
			;
		if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
			s->closed[map[k]] = true;
			atomic_fetch_sub(&s->open, 1);
		}
	}
}

/* One more byte of the header on every open connection, once a second. */
static void *
dripper(void *arg)
{
	struct slow *s = arg;

	for (size_t k = 0; !atomic_load(&s->stop); k++) {
		for (int i = 0; i < SLOW; i++)
			if (!s->closed[i])
				(void)send(
					s->fd[i],
					&slow_request[k % (sizeof(slow_request) -
							   1)],
					1, MSG_NOSIGNAL);
		for (int t = 0; t < 20 && !atomic_load(&s->stop); t++) {
			reap_closed(s);
			usleep(50000);
		}
	}
	return NULL;
}

/* A normal client's round: a probe, an authenticated read, a write. */
static void
normal_round(int *served)
{
	struct h_resp r;
	double t0 = h_now_ms();

	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/me", author, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
				"{\"title\":\"Served anyway %d\"}", *served),
			 0);
	assert_status(&r, 201);
	h_resp_free(&r);
	/* Generous: normally milliseconds. */
	assert_true(h_now_ms() - t0 < 5000);
	(*served)++;
}

static void
test_slowloris_is_timed_out(void **state)
{
	static struct slow s;
	pthread_t drip;
	double t0;
	int served = 0, open_while_served;

	for (int i = 0; i < SLOW; i++) {
		s.fd[i] = connect_to(srv.port);
		assert_true(s.fd[i] >= 0);
	}
	atomic_store(&s.open, SLOW);
	atomic_store(&s.stop, false);
	t0 = h_now_ms();
	assert_int_equal(pthread_create(&drip, NULL, dripper, &s), 0);

	/* Normal clients are served while all those connections hang on. */
	normal_round(&served);
	open_while_served = atomic_load(&s.open);
	while (h_now_ms() - t0 < 2000)
		normal_round(&served);

	/*
	 * Although each sends a byte a second, never idle for the timeout, all
	 * are closed soon after it: a request's headers must arrive within it.
	 */
	while (atomic_load(&s.open) > 0 && h_now_ms() - t0 < 30000)
		usleep(100000);
	print_message("%d normal rounds served with %d slow connections open; "
		      "%d still open after %.1f s\n",
		      served, open_while_served, atomic_load(&s.open),
		      (h_now_ms() - t0) / 1000);
	atomic_store(&s.stop, true);
	pthread_join(drip, NULL);
	for (int i = 0; i < SLOW; i++)
		close(s.fd[i]);
	assert_true(open_while_served > SLOW * 9 / 10);
	assert_int_equal(atomic_load(&s.open), 0);
	/* And the server is still fine. */
	normal_round(&served);
}

/* --- slow bodies --------------------------------------------------------- */

#define SLOW_BODIES 40 /* PRFAQ_CONN_LIMIT in setup_slow_bodies */

static int
setup_slow_bodies(void **state)
{
	const char *env[] = { "PRFAQ_CONN_TIMEOUT=3", "PRFAQ_THREADS=2",
			      "PRFAQ_CONN_LIMIT=40", NULL };

	return start(env);
}

/*
 * Send a request's headers on a blocking raw connection; false when the
 * server closed it first.
 */
static bool
send_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t k = send(fd, data, len, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		data += (size_t)k;
		len -= (size_t)k;
	}
	return true;
}

/*
 * GET /healthz on a fresh connection: true when a 200 arrives within ms.
 * A refused or reset connection (the connection limit is reached) is false
 * at once.
 */
static bool
healthz_within(int ms)
{
	static const char req[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "Connection: close\r\n\r\n";
	double deadline = h_now_ms() + ms;
	char buf[512];
	size_t len = 0;
	int fd = connect_to(srv.port);
	bool ok = false;

	if (fd < 0)
		return false;
	if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) !=
	    (ssize_t)sizeof(req) - 1)
		goto out;
	while (len < sizeof(buf) - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int left = (int)(deadline - h_now_ms());
		ssize_t k;

		if (left <= 0 || poll(&p, 1, left) <= 0)
			break;
		k = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (k <= 0)
			break;
		len += (size_t)k;
		buf[len] = '\0';
		if (strstr(buf, "\r\n") != NULL) {
			ok = strncmp(buf, "HTTP/1.1 200", 12) == 0;
			break;
		}
	}
out:
	close(fd);
	return ok;
}

static void
test_slow_bodies_are_timed_out(void **state)
{
	static struct slow s; /* SLOW >= SLOW_BODIES slots; the rest unused */
	char head[1024];
	double t0, all_closed_at = -1;
	int served_while_open = 0;

	for (int i = 0; i < SLOW; i++)
		s.closed[i] = i >= SLOW_BODIES;
	/*
	 * A third with a token (the body is buffered), a third without one
	 * (refused at the headers, the body still announced), a third to a
	 * route that takes no body.
	 */
	for (int i = 0; i < SLOW_BODIES; i++) {
		int n;

		if (i % 3 == 0)
			n = snprintf(head, sizeof(head),
				     "POST /v1/prfaqs HTTP/1.1\r\n"
				     "Host: 127.0.0.1\r\n"
				     "Authorization: Bearer %s\r\n"
				     "Content-Type: application/json\r\n"
				     "Content-Length: 100000\r\n\r\n",
				     author);
		else if (i % 3 == 1)
			n = snprintf(head, sizeof(head),
				     "POST /v1/prfaqs HTTP/1.1\r\n"
				     "Host: 127.0.0.1\r\n"
				     "Content-Type: application/json\r\n"
				     "Content-Length: 100000\r\n\r\n");
		else
			n = snprintf(head, sizeof(head),
				     "GET /healthz HTTP/1.1\r\n"
				     "Host: 127.0.0.1\r\n"
				     "Content-Length: 100000\r\n\r\n");
		s.fd[i] = h_connect(srv.port);
		assert_true(s.fd[i] >= 0);
		assert_true(send_all(s.fd[i], head, (size_t)n));
		fcntl(s.fd[i], F_SETFL, fcntl(s.fd[i], F_GETFL) | O_NONBLOCK);
	}
	atomic_store(&s.open, SLOW_BODIES);
	t0 = h_now_ms();

	/*
	 * One byte of body a second on each: never idle for the timeout.  All
	 * must be cut off soon after it (3 s; generous bound: 15 s, for a
	 * loaded machine), and /healthz must answer within 1 s by then.
	 */
	while (h_now_ms() - t0 < 15000) {
		for (int i = 0; i < SLOW_BODIES; i++)
			if (!s.closed[i])
				(void)send(s.fd[i], " ", 1, MSG_NOSIGNAL);
		for (int t = 0; t < 4; t++) {
			reap_closed(&s);
			if (atomic_load(&s.open) == 0 && all_closed_at < 0)
				all_closed_at = h_now_ms();
			if (atomic_load(&s.open) > 0 && healthz_within(250))
				served_while_open++;
			usleep(250000);
		}
		if (all_closed_at >= 0)
			break;
	}
	print_message(
		"%d slow bodies still open after %.1f s (all closed at "
		"%.1f s); /healthz served %d times while some were open\n",
		atomic_load(&s.open), (h_now_ms() - t0) / 1000,
		all_closed_at < 0 ? -1 : (all_closed_at - t0) / 1000,
		served_while_open);
	for (int i = 0; i < SLOW_BODIES; i++)
		close(s.fd[i]);
	assert_int_equal(atomic_load(&s.open), 0);
	/* Not before the timeout: the clients were on time until then. */
	assert_true(all_closed_at - t0 > 2000);
	/* Once they are cut off, a normal client is served at once. */
	{
		double t1 = h_now_ms();

		assert_true(healthz_within(1000));
		assert_true(h_now_ms() - t1 < 1000);
	}
}

/*
 * A route that takes no body answers one with 400 at once: the client has
 * sent its headers only and waits, as a client sending Expect: 100-continue
 * would; the answer comes long before the timeout.
 */
static void
test_bodiless_route_refuses_body(void **state)
{
	static const char *const targets[] = {
		"POST /v1/prfaqs/%s/withdraw",
		"POST /v1/prfaqs/%s/archive",
		"DELETE /v1/webhooks/%s",
		"GET /v1/prfaqs/%s",
		"POST /v1/prfaqs/%s/comments/%s/resolve",
	};

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char line[256], req[1024], buf[4096];
		size_t len = 0;
		double t0 = h_now_ms();
		int fd = h_connect(srv.port), n, status = 0;

		assert_true(fd >= 0);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(line, sizeof(line), targets[i], doc_id, doc_id);
#pragma GCC diagnostic pop
		n = snprintf(req, sizeof(req),
			     "%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			     "Authorization: Bearer %s\r\n"
			     "Content-Type: application/json\r\n"
			     "Content-Length: 100000\r\n\r\n",
			     line, author);
		assert_true(send_all(fd, req, (size_t)n));
		while (len < sizeof(buf) - 1 && h_now_ms() - t0 < 2500) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			ssize_t k;

			if (poll(&p, 1, 100) <= 0)
				continue;
			k = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
			if (k <= 0)
				break;
			len += (size_t)k;
			buf[len] = '\0';
			if (strstr(buf, "\r\n\r\n") != NULL &&
			    strstr(buf, "\"status\":") != NULL)
				break;
		}
		buf[len] = '\0';
		close(fd);
		sscanf(buf, "HTTP/1.1 %d", &status);
		if (status != 400 ||
		    strcasestr(buf, "Content-Type: application/problem+json") ==
			    NULL) {
			print_error("%s with a body: %.300s\n", line, buf);
			fail();
		}
	}
}

/* --- more requests than database connections ------------------------------ */

struct greedy {
	CURL *easy;
	struct curl_slist *headers;
	char url[256];
	long status;
	double seconds;
	char retry_after[16];
};

static size_t
drop_body(char *ptr, size_t size, size_t n, void *userdata)
{
	return size * n;
}

static size_t
keep_retry_after(char *ptr, size_t size, size_t n, void *userdata)
{
	struct greedy *g = userdata;

	if (n * size > 12 && strncasecmp(ptr, "Retry-After:", 12) == 0)
		snprintf(g->retry_after, sizeof(g->retry_after), "%.*s",
			 (int)(n * size - 12), ptr + 12);
	return size * n;
}

/* Access log lines of the burst in log (consumed); the slowest's time. */
static int
burst_lines(char *log, double *slowest)
{
	char *line, *save = NULL;
	int seen = 0;

	*slowest = 0;
	for (line = strtok_r(log, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *d = strstr(line, "\"duration_ms\":");

		if (strstr(line, "\"request_id\":\"greedy-") == NULL ||
		    d == NULL)
			continue;
		seen++;
		if (atof(d + 14) > *slowest)
			*slowest = atof(d + 14);
	}
	return seen;
}

/*
 * Inside prfaqd (from the headers to the reply, as its access log says),
 * no request of the burst took much longer than one wait for a database
 * connection: none queued for one without bound.
 */
static void
assert_server_times(void)
{
	double slowest = 0;
	int seen = 0;

	/* The access log line follows the reply: give the last ones a moment. */
	for (int i = 0; i < 100 && seen < GREEDY; i++) {
		char *log = h_read_file(srv.log_path);

		assert_non_null(log);
		seen = burst_lines(log, &slowest);
		free(log);
		if (seen < GREEDY)
			usleep(50000);
	}
	print_message("in prfaqd: %d requests of the burst, slowest %.0f ms\n",
		      seen, slowest);
	assert_int_equal(seen, GREEDY);
	assert_true(slowest < POOL_WAIT_MS + 5000);
}

static void
test_more_requests_than_connections(void **state)
{
	static struct greedy g[GREEDY];
	char auth[256];
	CURLM *multi = curl_multi_init();
	int running = 0, n2xx = 0, n503 = 0;
	double slowest = 0, t0 = h_now_ms();
	CURLMsg *msg;
	int left;

	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", author);
	for (int i = 0; i < GREEDY; i++) {
		char rid[64];

		snprintf(rid, sizeof(rid), "X-Request-Id: greedy-%d", i);
		g[i].easy = curl_easy_init();
		g[i].headers = curl_slist_append(NULL, auth);
		g[i].headers = curl_slist_append(g[i].headers, rid);
		switch (i % 4) {
		case 0:
		case 1: /* a document */
			snprintf(g[i].url, sizeof(g[i].url),
				 "http://127.0.0.1:%d/v1/prfaqs/%s", srv.port,
				 doc_id);
			break;
		case 2: /* a search */
			snprintf(
				g[i].url, sizeof(g[i].url),
				"http://127.0.0.1:%d/v1/prfaqs?tag=slow&limit=5",
				srv.port);
			break;
		default: /* a write */
			snprintf(g[i].url, sizeof(g[i].url),
				 "http://127.0.0.1:%d/v1/prfaqs", srv.port);
			g[i].headers = curl_slist_append(
				g[i].headers, "Content-Type: application/json");
			curl_easy_setopt(
				g[i].easy, CURLOPT_POSTFIELDS,
				"{\"title\":\"Greedy\",\"tags\":[\"slow\"]}");
			break;
		}
		curl_easy_setopt(g[i].easy, CURLOPT_URL, g[i].url);
		curl_easy_setopt(g[i].easy, CURLOPT_HTTPHEADER, g[i].headers);
		curl_easy_setopt(g[i].easy, CURLOPT_WRITEFUNCTION, drop_body);
		curl_easy_setopt(g[i].easy, CURLOPT_HEADERFUNCTION,
				 keep_retry_after);
		curl_easy_setopt(g[i].easy, CURLOPT_HEADERDATA, &g[i]);
		curl_easy_setopt(g[i].easy, CURLOPT_TIMEOUT, 60L);
		curl_easy_setopt(g[i].easy, CURLOPT_PRIVATE, &g[i]);
		curl_multi_add_handle(multi, g[i].easy);
	}
	do {
		curl_multi_perform(multi, &running);
		if (running > 0)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	} while (running > 0);
	while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
		struct greedy *one;

		assert_int_equal(msg->msg, CURLMSG_DONE);
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
				  (char **)&one);
		if (msg->data.result != CURLE_OK)
			fail_msg("%s: %s", one->url,
				 curl_easy_strerror(msg->data.result));
		curl_easy_getinfo(one->easy, CURLINFO_RESPONSE_CODE,
				  &one->status);
		curl_easy_getinfo(one->easy, CURLINFO_TOTAL_TIME,
				  &one->seconds);
	}
	for (int i = 0; i < GREEDY; i++) {
		if (g[i].status >= 200 && g[i].status < 300)
			n2xx++;
		else if (g[i].status == 503 && g[i].retry_after[0] != '\0')
			n503++;
		else
			fail_msg("%s: status %ld", g[i].url, g[i].status);
		if (g[i].seconds > slowest)
			slowest = g[i].seconds;
		curl_multi_remove_handle(multi, g[i].easy);
		curl_easy_cleanup(g[i].easy);
		curl_slist_free_all(g[i].headers);
	}
	curl_multi_cleanup(multi);
	print_message(
		"%d requests at once: %d 2xx, %d 503, slowest %.0f ms, all "
		"in %.0f ms\n",
		GREEDY, n2xx, n503, slowest * 1000, h_now_ms() - t0);
	assert_int_equal(n2xx + n503, GREEDY);
	/* Queued in the kernel and in libmicrohttpd, yet none near a hang. */
	assert_true(slowest < 30.0);
	assert_server_times();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slowloris_is_timed_out,
						setup_slowloris, teardown),
		cmocka_unit_test_setup_teardown(test_slow_bodies_are_timed_out,
						setup_slow_bodies, teardown),
		cmocka_unit_test_setup_teardown(test_bodiless_route_refuses_body,
						setup_slowloris, teardown),
		cmocka_unit_test_setup_teardown(
			test_more_requests_than_connections, setup_greedy,
			teardown),
	};
	struct rlimit rl;

	/*
	 * 500 sockets here and as many in prfaqd, which inherits the limit:
	 * raise the soft limit (often 1024) as far as the hard one allows.
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
