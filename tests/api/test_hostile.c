/*
 * test_hostile.c - hostile input: every request below gets a 4xx (a
 * problem+json one whenever prfaqd itself answers) and the server stays
 * healthy (GET /healthz is 200 afterwards): malformed and truncated JSON,
 * pathological nesting, duplicate keys, huge numbers, invalid UTF-8, NUL,
 * huge arrays, huge URLs and headers, path tricks, SQL injection strings
 * (stored verbatim, harmless), markup in every text field (inert when
 * rendered) and Content-Lengths that lie.  libcurl sends what it can; a raw
 * socket sends what it would not.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <cmark.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static struct h_server srv;
static char *author;

static int
setup(void **state)
{
	/* A short idle timeout bounds what a stalled connection can hold. */
	static const char *const env[] = { "PRFAQ_CONN_TIMEOUT=4", NULL };

	if (h_start(&srv, env) != 0)
		return -1;
	author = h_user(&srv, "Ana", "\"author\"", NULL);
	return author ? 0 : -1;
}

/*
 * The server must also stop cleanly after all that: under ASan+UBSan a
 * report (a leak found at exit, say) makes its exit status non-zero.
 */
static int
teardown(void **state)
{
	int rc = h_kill(&srv, SIGTERM);

	if (rc != 0) {
		char line[1024];
		FILE *f = fopen(srv.log_path, "r");

		fprintf(stderr, "prfaqd exited with %d; its log:\n", rc);
		while (f != NULL && fgets(line, sizeof(line), f) != NULL)
			if (line[0] != '{') /* not an access log line */
				fputs(line, stderr);
		if (f != NULL)
			fclose(f);
	}
	h_stop(&srv);
	free(author);
	return rc == 0 ? 0 : -1;
}

/* ---- helpers ------------------------------------------------------------ */

static void
assert_healthy(void)
{
	struct h_resp r;
	double t0 = h_now_ms();

	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_true(h_now_ms() - t0 < 2000);
	h_resp_free(&r);
}

/* POST body (NUL-terminated) to path as the author; expect status. */
static void
post_expect(const char *path, const char *body, int status)
{
	struct h_resp r;

	assert_int_equal(h_req(&srv, "POST", path, author, NULL, body, &r), 0);
	if (r.status != status)
		print_error("body was: %.200s\n", body);
	assert_problem(&r, status);
	h_resp_free(&r);
}

/* A new PR/FAQ by the author; its id into id. */
static void
create_doc(const char *body, char *id)
{
	struct h_resp r;

	assert_int_equal(
		h_req(&srv, "POST", "/v1/prfaqs", author, NULL, body, &r), 0);
	assert_status(&r, 201);
	strcpy(id, JS(&r, "id"));
	h_resp_free(&r);
}

/* The headline of a document in a response, or NULL. */
static const char *
headline_of(const struct h_resp *r)
{
	return json_string_value(json_object_get(
		json_object_get(J(r, "content"), "press_release"), "headline"));
}

/* n copies of s, then tail; malloc'd. */
static char *
repeat(const char *head, const char *s, size_t n, const char *tail)
{
	size_t hl = strlen(head), sl = strlen(s), tl = strlen(tail);
	char *out = malloc(hl + sl * n + tl + 1), *p = out;

	assert_non_null(out);
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < n; i++, p += sl)
		memcpy(p, s, sl);
	memcpy(p, tail, tl + 1);
	return out;
}

/* --- raw sockets --- */

static int
raw_connect(void)
{
	int fd = h_connect(srv.port);

	assert_true(fd >= 0);
	return fd;
}

/* Write all of data; false when the server closed first (EPIPE, ECONNRESET). */
static bool
raw_write(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t k = send(fd, data, len, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		data += k;
		len -= (size_t)k;
	}
	return true;
}

struct raw_resp {
	int status;  /* 0: the server closed without answering */
	bool closed; /* the server closed the connection */
	char buf[16384];
	size_t len;
};

/*
 * Read one response (headers and Content-Length body) or until the server
 * closes, at most timeout_ms.  A timeout fails the test: the server must
 * answer or close, never leave a hostile client hanging.
 */
static void
raw_read(int fd, struct raw_resp *out, int timeout_ms)
{
	double deadline = h_now_ms() + timeout_ms;

	memset(out, 0, sizeof(*out));
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		const char *end;
		int left = (int)(deadline - h_now_ms());
		ssize_t k;

		if (left <= 0) {
			print_error(
				"no answer and no close within %d ms; got: %.200s\n",
				timeout_ms, out->buf);
			fail();
		}
		if (poll(&p, 1, left) <= 0)
			continue;
		k = recv(fd, out->buf + out->len,
			 sizeof(out->buf) - 1 - out->len, 0);
		if (k <= 0) {
			out->closed = true;
			break;
		}
		out->len += (size_t)k;
		out->buf[out->len] = '\0';
		if ((end = strstr(out->buf, "\r\n\r\n")) != NULL) {
			const char *cl =
				strcasestr(out->buf, "\r\nContent-Length:");
			size_t want =
				cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;

			if (out->len >= (size_t)(end + 4 - out->buf) + want ||
			    out->len == sizeof(out->buf) - 1)
				break;
		}
	}
	sscanf(out->buf, "HTTP/1.%*d %d", &out->status);
}

/* Send data on a fresh connection and read the answer. */
static void
raw_exchange(const char *data, size_t len, struct raw_resp *out)
{
	int fd = raw_connect();

	raw_write(fd, data, len);
	raw_read(fd, out, 10000);
	close(fd);
}

/* The raw answer is a 4xx, or the server closed without a word. */
static void
assert_raw_refused(const struct raw_resp *r)
{
	if (r->status == 0 && r->closed)
		return;
	if (r->status < 400 || r->status > 499) {
		print_error("raw status %d, want 4xx or a close: %.300s\n",
			    r->status, r->buf);
		fail();
	}
}

/* The raw answer is the given 4xx problem from prfaqd itself. */
static void
assert_raw_problem(const struct raw_resp *r, int status)
{
	if (r->status != status) {
		print_error("raw status %d, want %d: %.300s\n", r->status,
			    status, r->buf);
		fail();
	}
	assert_non_null(strcasestr(
		r->buf, "\r\nContent-Type: application/problem+json"));
}

/* ---- malformed JSON ----------------------------------------------------- */

static void
test_truncated_and_malformed_json(void **state)
{
	static const char *const bodies[] = {
		"{",
		"{\"title\"",
		"{\"title\":",
		"{\"title\":\"Inst",
		"{\"title\":\"Instant refunds\"",
		"{\"title\":\"a\",}",
		"{\"title\":\"a\"}}",
		"{\"title\":\"a\" \"team\":\"b\"}",
		"{title:\"a\"}",
		"{'title':'a'}",
		"{\"title\":\"a\"}garbage",
		"[",
		"]",
		"nul",
		"tru",
		"\"",
		"\"\\",
		"\\u",
		"{\"title\":\"\\x41\"}",
		"{\"title\":\"\\u12\"}",
		"{\"title\":01}",
		"{\"title\":NaN}",
		"{\"title\":Infinity}",
		"{\"title\":-}",
		"{\"title\":1.}",
		"{\"title\":.5}",
		"{\"title\":\"a\"/*c*/}",
		"\xef\xbb\xbf{\"title\":\"a\"}",
		" ",
		"\t\r\n",
	};
	char id[40], path[96];

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		post_expect("/v1/prfaqs", bodies[i], 400);
		post_expect("/v1/lint", bodies[i], 400);
	}
	/* The same through PUT and PATCH: nothing is written. */
	create_doc("{\"title\":\"Target\"}", id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		const char *put[] = { "If-Match: \"1\"", NULL };
		const char *patch[] = {
			"If-Match: \"1\"",
			"Content-Type: application/merge-patch+json", NULL
		};
		struct h_resp r;

		assert_int_equal(h_req(&srv, "PUT", path, author, put,
				       bodies[i], &r),
				 0);
		assert_problem(&r, 400);
		h_resp_free(&r);
		assert_int_equal(h_req(&srv, "PATCH", path, author, patch,
				       bodies[i], &r),
				 0);
		assert_problem(&r, 400);
		h_resp_free(&r);
	}
	{
		struct h_resp r;

		assert_int_equal(
			h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		assert_int_equal(JI(&r, "version"), 1);
		h_resp_free(&r);
	}
	assert_healthy();
}

/* ---- nesting ------------------------------------------------------------ */

static void
test_deep_nesting(void **state)
{
	char id[40], path[96];
	char *s;
	double t0 = h_now_ms();

	/* 10,000 deep: arrays, objects, unterminated, and inside content. */
	s = repeat("", "[", 10000, "");
	post_expect("/v1/prfaqs", s, 400);
	free(s);
	{
		char *open = repeat("", "[", 10000, ""),
		     *close = repeat("", "]", 10000, "");
		size_t n = strlen(open) + strlen(close) + 1;

		s = malloc(n);
		snprintf(s, n, "%s%s", open, close);
		post_expect("/v1/prfaqs", s, 400);
		post_expect("/v1/lint", s, 400);
		free(s);
		free(open);
		free(close);
	}
	s = repeat("", "{\"a\":", 10000, "1");
	{
		char *full = repeat(s, "}", 10000, "");

		post_expect("/v1/prfaqs", full, 400);
		free(full);
	}
	free(s);
	s = repeat("{\"title\":\"Deep\",\"content\":{\"visuals\":", "[", 10000,
		   "");
	{
		char *full = repeat(s, "]", 10000, "}}");

		post_expect("/v1/prfaqs", full, 400);
		free(full);
	}
	free(s);

	/*
	 * Shallow enough for the decoder (Jansson stops at 2048), still far
	 * deeper than any document: refused by validation, and a merge-patch
	 * of that depth (merged iteratively) does no harm either.
	 */
	s = repeat("{\"title\":\"Deep\",\"content\":{\"press_release\":",
		   "{\"a\":", 1500, "1");
	{
		char *full = repeat(s, "}", 1500, "}}");

		post_expect("/v1/prfaqs", full, 400);
		free(full);
	}
	free(s);
	create_doc("{\"title\":\"Deep target\"}", id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	s = repeat("{\"content\":{\"press_release\":", "{\"a\":", 1500, "{}");
	{
		char *full = repeat(s, "}", 1500, "}}");
		const char *hdr[] = {
			"If-Match: \"1\"",
			"Content-Type: application/merge-patch+json", NULL
		};
		struct h_resp r;

		assert_int_equal(
			h_req(&srv, "PATCH", path, author, hdr, full, &r), 0);
		assert_problem(&r, 400);
		h_resp_free(&r);
		free(full);
	}
	free(s);
	assert_true(h_now_ms() - t0 < 15000);
	assert_healthy();
}

/* ---- keys, numbers, strings --------------------------------------------- */

static void
test_duplicate_keys(void **state)
{
	post_expect("/v1/prfaqs", "{\"title\":\"a\",\"title\":\"b\"}", 400);
	post_expect("/v1/prfaqs",
		    "{\"title\":\"a\",\"content\":{\"press_release\":"
		    "{\"headline\":\"x\",\"headline\":\"y\"}}}",
		    400);
	post_expect(
		"/v1/prfaqs",
		"{\"title\":\"a\",\"content\":{\"faq\":{\"external\":"
		"[{\"question\":\"q\",\"answer\":\"a\",\"answer\":\"b\"}]}}}",
		400);
	/* The same key spelled with an escape is still the same key. */
	post_expect("/v1/prfaqs", "{\"title\":\"a\",\"\\u0074itle\":\"b\"}",
		    400);
	post_expect("/v1/lint", "{\"content\":{},\"content\":{}}", 400);
	assert_healthy();
}

static void
test_huge_numbers(void **state)
{
	static const char *const bodies[] = {
		"{\"title\":\"a\",\"team\":1e999999}",
		"{\"title\":\"a\",\"team\":-1e999999}",
		"{\"title\":\"a\",\"team\":123456789012345678901234567890}",
		"{\"title\":\"a\",\"team\":-123456789012345678901234567890}",
		"{\"title\":\"a\",\"team\":1e-999999}",
		"{\"title\":\"a\",\"tags\":[1e999999]}",
		"{\"title\":1e999999}",
		"{\"title\":\"a\",\"content\":{\"visuals\":[{\"title\":123456789012345678901234567890}]}}",
		"123456789012345678901234567890",
		"1e999999",
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		post_expect("/v1/prfaqs", bodies[i], 400);
		post_expect("/v1/lint", bodies[i], 400);
	}
	/* In a query string too. */
	{
		struct h_resp r;

		assert_int_equal(
			h_req(&srv, "GET",
			      "/v1/prfaqs?limit=123456789012345678901234567890",
			      author, NULL, NULL, &r),
			0);
		assert_problem(&r, 400);
		h_resp_free(&r);
		assert_int_equal(h_req(&srv, "GET", "/v1/prfaqs?limit=1e999999",
				       author, NULL, NULL, &r),
				 0);
		assert_problem(&r, 400);
		h_resp_free(&r);
	}
	assert_healthy();
}

static void
test_invalid_utf8(void **state)
{
	static const char *const bodies[] = {
		"{\"title\":\"\xff\xfe\"}",	    /* never valid */
		"{\"title\":\"\xc0\xaf\"}",	    /* overlong "/" */
		"{\"title\":\"\xe0\x80\xaf\"}",	    /* overlong, 3 bytes */
		"{\"title\":\"\xed\xa0\x80\"}",	    /* UTF-16 surrogate */
		"{\"title\":\"\xf4\x90\x80\x80\"}", /* beyond U+10FFFF */
		"{\"title\":\"a\xe2\x82\"}",	    /* truncated sequence */
		"{\"title\":\"\x80\"}",		    /* lone continuation */
		"{\"title\":\"\\ud800\"}",	    /* lone surrogate escape */
		"{\"title\":\"\\udc00\\ud800\"}",   /* reversed pair */
		"{\"ti\xfftle\":\"a\"}",	    /* in a key */
		"{\"title\":\"ok\",\"content\":{\"press_release\":{\"headline\":\"\xc3\"}}}",
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		post_expect("/v1/prfaqs", bodies[i], 400);
		post_expect("/v1/lint", bodies[i], 400);
	}
	assert_healthy();
}

static void
test_nul_in_strings(void **state)
{
	static const char *const bodies[] = {
		"{\"title\":\"a\\u0000b\"}",
		"{\"title\":\"\\u0000\"}",
		"{\"ti\\u0000tle\":\"a\"}",
		"{\"title\":\"a\",\"content\":{\"press_release\":{\"headline\":\"x\\u0000\"}}}",
		"{\"title\":\"a\",\"tags\":[\"\\u0000\"]}",
	};
	char req[512];
	struct raw_resp rr;
	int n;

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		post_expect("/v1/prfaqs", bodies[i], 400);

	/* A raw NUL byte inside the body (libcurl's helper stops at it). */
	{
		static const char body[] = "{\"title\":\"a\0b\"}";
		size_t blen = sizeof(body) - 1;

		n = snprintf(
			req, sizeof(req),
			"POST /v1/prfaqs HTTP/1.1\r\nHost: x\r\n"
			"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
			"Content-Length: %zu\r\nConnection: close\r\n\r\n",
			author, blen);
		memcpy(req + n, body, blen);
		raw_exchange(req, (size_t)n + blen, &rr);
		assert_raw_problem(&rr, 400);
	}
	assert_healthy();
}

/* ---- size ----------------------------------------------------------------- */

static void
test_huge_arrays(void **state)
{
	char id[40], path[96];
	char *visuals, *body, *items;
	double t0;
	size_t n;

	/* 200,000 entries (600 KB, under the 1 MiB body limit). */
	items = repeat("", "{},", 200000, "{}");
	n = strlen(items) + 128;
	visuals = malloc(n);
	snprintf(visuals, n,
		 "{\"title\":\"Big\",\"content\":{\"visuals\":[%s]}}", items);
	t0 = h_now_ms();
	post_expect("/v1/prfaqs", visuals, 400);
	assert_true(h_now_ms() - t0 < 5000);

	/* The array as content itself, and as tags. */
	body = malloc(n);
	snprintf(body, n, "{\"title\":\"Big\",\"content\":[%s]}", items);
	post_expect("/v1/prfaqs", body, 400);
	snprintf(body, n, "{\"content\":{\"visuals\":[%s]}}", items);
	post_expect("/v1/lint", body, 400);
	free(items);
	items = repeat("", "\"t\",", 200000, "\"t\"");
	free(body);
	n = strlen(items) + 128;
	body = malloc(n);
	snprintf(body, n, "{\"title\":\"Big\",\"tags\":[%s]}", items);
	post_expect("/v1/prfaqs", body, 400);

	/* Through PUT and PATCH as well. */
	create_doc("{\"title\":\"Target\"}", id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	{
		const char *put[] = { "If-Match: \"1\"", NULL };
		const char *patch[] = {
			"If-Match: \"1\"",
			"Content-Type: application/merge-patch+json", NULL
		};
		struct h_resp r;

		t0 = h_now_ms();
		assert_int_equal(
			h_req(&srv, "PUT", path, author, put, visuals, &r), 0);
		assert_problem(&r, 400);
		h_resp_free(&r);
		assert_int_equal(h_req(&srv, "PATCH", path, author, patch,
				       visuals, &r),
				 0);
		assert_problem(&r, 400);
		h_resp_free(&r);
		assert_true(h_now_ms() - t0 < 5000);
	}
	free(items);
	free(body);
	free(visuals);
	assert_healthy();
}

static void
test_very_long_url(void **state)
{
	struct raw_resp rr;
	char *req, *seg;
	size_t n = 100 * 1024;

	/* A 100 KB path. */
	seg = repeat("", "a", n, "");
	req = malloc(n + 256);
	snprintf(req, n + 256,
		 "GET /v1/prfaqs/%s HTTP/1.1\r\nHost: x\r\n"
		 "Authorization: Bearer %s\r\n\r\n",
		 seg, author);
	raw_exchange(req, strlen(req), &rr);
	assert_raw_refused(&rr);
	assert_healthy();

	/* A 100 KB query string. */
	snprintf(req, n + 256,
		 "GET /v1/prfaqs?q=%s HTTP/1.1\r\nHost: x\r\n"
		 "Authorization: Bearer %s\r\n\r\n",
		 seg, author);
	raw_exchange(req, strlen(req), &rr);
	assert_raw_refused(&rr);
	assert_healthy();

	/* Long, yet within the memory limit: still a clean 404 from prfaqd. */
	seg[8000] = '\0';
	snprintf(req, n + 256,
		 "GET /v1/prfaqs/%s HTTP/1.1\r\nHost: x\r\n"
		 "Authorization: Bearer %s\r\nConnection: close\r\n\r\n",
		 seg, author);
	raw_exchange(req, strlen(req), &rr);
	assert_raw_problem(&rr, 404);
	free(seg);
	free(req);
	assert_healthy();
}

static void
test_very_long_headers(void **state)
{
	struct raw_resp rr;
	char *req, *val;
	size_t n = 100 * 1024, cap = 2 * n;
	int off;

	/* One 100 KB header. */
	val = repeat("", "v", n, "");
	req = malloc(cap);
	snprintf(req, cap,
		 "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", val);
	raw_exchange(req, strlen(req), &rr);
	assert_raw_refused(&rr);
	assert_healthy();

	/* A 100 KB bearer token. */
	snprintf(
		req, cap,
		"GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n",
		val);
	raw_exchange(req, strlen(req), &rr);
	assert_raw_refused(&rr);
	assert_healthy();

	/* Thousands of headers: 5,000 of them (about 80 KB). */
	off = snprintf(req, cap, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
	for (int i = 0; i < 5000; i++)
		off += snprintf(req + off, cap - (size_t)off, "X-H-%d: %d\r\n",
				i, i);
	off += snprintf(req + off, cap - (size_t)off, "\r\n");
	raw_exchange(req, (size_t)off, &rr);
	assert_raw_refused(&rr);
	assert_healthy();

	/* A header line that never ends, then the client goes away. */
	{
		int fd = raw_connect();

		snprintf(req, cap, "GET /healthz HTTP/1.1\r\nX-Never: %s", val);
		raw_write(fd, req, strlen(req));
		close(fd);
	}
	free(val);
	free(req);
	assert_healthy();
}

/* ---- paths ---------------------------------------------------------------- */

static void
test_path_tricks_in_ids(void **state)
{
	static const char *const suffixes[] = {
		"..%2F..%2Fetc%2Fpasswd",
		"../../etc/passwd",
		"..%2f..%2f..%2fetc%2fpasswd",
		"%2e%2e%2f%2e%2e%2fetc%2fpasswd",
		"%252e%252e%252fetc%252fpasswd",
		"%00",
		"%2500",
		"%",
		"%zz",
		"%c0%ae%c0%ae%c0%af",
		"..",
		".",
		"%2e",
		"%u002e%u002e",
		"'%20OR%20'1'='1",
		"1;DROP%20TABLE%20prfaqs",
		"%0d%0aX-Injected:%201",
		"%ff%fe",
		"00000000-0000-0000-0000-00000000000%00",
		"00000000-0000-0000-0000-0000000000000",
		"00000000-0000-0000-0000-00000000000g",
		"{id}",
	};
	char id[40], path[512];
	struct h_resp r;

	create_doc("{\"title\":\"Path target\"}", id);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, sizeof(path), "/v1/prfaqs/%s", suffixes[i]);
		assert_int_equal(
			h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
		if (r.status < 400 || r.status > 499)
			print_error("GET %s\n", path);
		assert_problem_4xx(&r);
		assert_true(r.status == 404 || r.status == 400);
		h_resp_free(&r);
		snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/%s", id,
			 suffixes[i]);
		assert_int_equal(
			h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
		if (r.status < 400 || r.status > 499)
			print_error("GET %s\n", path);
		assert_problem_4xx(&r);
		h_resp_free(&r);
	}
	/* Outside /v1 too. */
	{
		static const char *const paths[] = {
			"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
			"/v1/../healthz/",   "/v1/%2e%2e/etc/passwd",
			"/v1/prfaqs%2F",     "/%00",
			"/%2e%2e%2fhealthz",
		};

		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			assert_int_equal(h_req(&srv, "GET", paths[i], author,
					       NULL, NULL, &r),
					 0);
			if (r.status < 400 || r.status > 499)
				print_error("GET %s\n", paths[i]);
			assert_problem_4xx(&r);
			h_resp_free(&r);
		}
	}
	/* The request line itself, raw: no absolute form, no spaces, no CTLs. */
	{
		static const char *const lines[] = {
			"GET ../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
			"GET /v1/prfaqs/a b HTTP/1.1\r\nHost: x\r\n\r\n",
			"GET /v1/prfaqs/\x01\x7f HTTP/1.1\r\nHost: x\r\n\r\n",
			"GET http://evil.example/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
			"GET * HTTP/1.1\r\nHost: x\r\n\r\n",
			"GETT /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
			"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
			"\r\n\r\n\r\n",
			"GET /healthz\r\n\r\n",
		};
		struct raw_resp rr;

		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
			raw_exchange(lines[i], strlen(lines[i]), &rr);
			if (!(rr.status == 0 && rr.closed) &&
			    (rr.status < 400 || rr.status > 599))
				print_error("request %zu: %.200s\n", i, rr.buf);
			/* 505 for an unknown HTTP version is fine too. */
			assert_true((rr.status == 0 && rr.closed) ||
				    (rr.status >= 400 && rr.status <= 505));
			assert_healthy();
		}
	}
	assert_healthy();
}

/*
 * libmicrohttpd hands the handler a percent-decoded path: an encoded NUL must
 * not cut it short (so that "<id>%00.json" or "/healthz%00junk" would name
 * the resource before it), and an encoded slash is data inside a segment,
 * not a separator (RFC 3986, section 2.2), so "<id>%2Fversions" is not the
 * versions list.
 */
static void
test_encoded_nul_and_slash_stay_inside_a_segment(void **state)
{
	static const char *const tails[] = {
		"%00",
		"%00.json",
		"%00/versions",
		"%2Fversions",
		"%2fversions%2F1",
		"%2F",
		"%2F..",
		"%20",
		"/.",
	};
	static const char *const paths[] = {
		"/healthz%00", "/healthz%00junk",	    "/v1/me%00",
		"/v1%2Fme",    "/v1/prfaqs%3Fstatus=draft",
	};
	char id[40], path[512];
	int bad = 0;
	struct h_resp r;

	create_doc("{\"title\":\"Encoded target\"}", id);
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(path, sizeof(path), "/v1/prfaqs/%s%s", id, tails[i]);
		assert_int_equal(
			h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
		if (r.status < 400 || r.status > 499) {
			print_error("GET /v1/prfaqs/{id}%s -> %ld, want 4xx\n",
				    tails[i], r.status);
			bad++;
		}
		h_resp_free(&r);
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_int_equal(h_req(&srv, "GET", paths[i], author, NULL,
				       NULL, &r),
				 0);
		if (r.status < 400 || r.status > 499) {
			print_error("GET %s -> %ld, want 4xx\n", paths[i],
				    r.status);
			bad++;
		}
		h_resp_free(&r);
	}
	assert_int_equal(bad, 0);

	/* Any other escape is decoded as before: these name the document. */
	snprintf(path, sizeof(path), "/v1/prfaq%%73/%%%02X%s",
		 (unsigned char)id[0], id + 1);
	assert_int_equal(h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "id"), id);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/%%761/prfaqs/%s/version%%73", id);
	assert_int_equal(h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	assert_healthy();
}

/* ---- injection -------------------------------------------------------------- */

static void
test_sql_injection_stored_verbatim(void **state)
{
	const char *title = "'; DROP TABLE prfaqs; --";
	const char *headline = "Robert'); DROP TABLE users;--";
	const char *team = "x' OR '1'='1";
	const char *tag = "\\'; SELECT pg_sleep(10); --";
	const char *note = "$$; DROP TABLE events; $$";
	json_t *body;
	char *text, id[40], path[256], *v;
	struct h_resp r;
	double t0;

	body = json_pack("{s:s, s:s, s:[s, s], s:s, s:{s:{s:s, s:s}}}", "title",
			 title, "team", team, "tags", tag,
			 "1 UNION SELECT token_hash FROM tokens", "change_note",
			 note, "content", "press_release", "headline", headline,
			 "summary", "\"; DELETE FROM prfaq_versions; --");
	text = json_dumps(body, 0);
	t0 = h_now_ms();
	create_doc(text, id);
	assert_true(h_now_ms() - t0 < 5000); /* no pg_sleep ran */
	free(text);
	json_decref(body);

	/* Back byte for byte. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	assert_int_equal(h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "title"), title);
	assert_string_equal(JS(&r, "team"), team);
	assert_string_equal(json_string_value(json_array_get(J(&r, "tags"), 0)),
			    tag);
	assert_string_equal(headline_of(&r), headline);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1", id);
	assert_int_equal(h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "title"), title);
	assert_string_equal(JS(&r, "change_note"), note);
	h_resp_free(&r);

	/* In filters and search: matched as text, never run. */
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/prfaqs?team=x%27%20OR%20%271%27%3D%271",
			       author, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/prfaqs?team=%27%20OR%20%271%27%3D%271",
			       author, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 0);
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "GET",
		      "/v1/prfaqs?q=%27%3B%20DROP%20TABLE%20prfaqs%3B%20--",
		      author, NULL, NULL, &r),
		0);
	assert_status(&r, 200);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/prfaqs?tag=%27%29%20OR%20true%20--", author,
			       NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 0);
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "GET",
		      "/v1/prfaqs?q=%5C%27%29%29%3B--&status=draft%27--",
		      author, NULL, NULL, &r),
		0);
	assert_problem(&r, 400);
	h_resp_free(&r);

	/* The tables are all still there, and so is the data. */
	v = h_sql(srv.dbname, "SELECT to_regclass('prfaqs') IS NOT NULL AND "
			      "to_regclass('users') IS NOT NULL AND "
			      "to_regclass('events') IS NOT NULL AND "
			      "to_regclass('prfaq_versions') IS NOT NULL");
	assert_non_null(v);
	assert_string_equal(v, "t");
	free(v);
	v = h_sql(srv.dbname, "SELECT count(*) > 1 FROM users");
	assert_string_equal(v, "t");
	free(v);
	v = h_sql(srv.dbname, "SELECT count(*) >= 1 FROM prfaq_versions");
	assert_string_equal(v, "t");
	free(v);
	assert_healthy();
}

/*
 * Is every tag in html one the renderer writes itself, with no event
 * handler attribute and no href other than http(s)?  The page's own
 * <style> is skipped.
 */
static void
assert_html_inert(const char *html)
{
	static const char *const tags[] = {
		"html",	   "head",   "meta", "title",	"style", "body",
		"article", "header", "div",  "section", "h1",	 "h2",
		"h3",	   "h4",     "h5",   "h6",	"p",	 "blockquote",
		"ul",	   "ol",     "li",   "a",	"em",	 "strong",
		"br",	   "hr",     "code", NULL,
	};
	const char *p = html;

	assert_null(strcasestr(html, "<script"));
	assert_null(strcasestr(html, "<img"));
	assert_null(strcasestr(html, "<iframe"));
	assert_null(strcasestr(html, "<svg"));
	assert_null(strcasestr(html, "href=\"javascript:"));
	while ((p = strchr(p, '<')) != NULL) {
		const char *name = p + 1, *end;
		size_t n = 0;
		bool known = false;

		if (strncmp(p, "<!DOCTYPE html>", 15) == 0) {
			p += 15;
			continue;
		}
		if (*name == '/')
			name++;
		while ((name[n] >= 'a' && name[n] <= 'z') ||
		       (name[n] >= '0' && name[n] <= '9'))
			n++;
		for (const char *const *t = tags; *t; t++)
			if (strlen(*t) == n && strncmp(*t, name, n) == 0)
				known = true;
		if (!known) {
			print_error("unexpected markup: %.60s\n", p);
			fail();
		}
		/*
		 * No event handler, source or inline style in any live tag.
		 * Attribute names are looked for outside quoted values (the
		 * page's own CSP has "style-src" in its content="...").
		 */
		{
			char quote = 0;

			for (end = name + n;
			     *end != '\0' && (quote || *end != '>'); end++) {
				if (quote) {
					if (*end == quote)
						quote = 0;
				} else if (*end == '"' || *end == '\'') {
					quote = *end;
				} else if ((end[0] == ' ' || end[0] == '\t' ||
					    end[0] == '/') &&
					   (strncasecmp(end + 1, "on", 2) ==
						    0 ||
					    strncasecmp(end + 1, "src", 3) ==
						    0 ||
					    strncasecmp(end + 1, "style", 5) ==
						    0 ||
					    strncasecmp(end + 1, "formaction",
							10) == 0)) {
					print_error("live attribute: %.80s\n",
						    p);
					fail();
				}
			}
			assert_true(*end == '>');
		}
		if (n == 5 && strncmp(name, "style", 5) == 0 && p[1] != '/') {
			p = strstr(end, "</style>");
			assert_non_null(p);
			p += 8;
			continue;
		}
		p = end + 1;
	}
}

static void
test_markup_in_every_text_field_is_inert(void **state)
{
	const char *x =
		"<script>alert(1)</script><img src=x onerror=alert(2)>"
		"<a href=\"javascript:alert(3)\">j</a>[m](javascript:alert(4))"
		"<svg onload=alert(5)>&lt;script&gt; `<b>` <!-- c --> ]]> \"'";
	const char *url = "https://example.com/?q=\"><script>alert(6)</script>";
	json_t *qa, *content, *body;
	char *text, id[40], path[128];
	const char *hdr_html[] = { "Accept: text/html", NULL };
	const char *hdr_md[] = { "Accept: text/markdown", NULL };
	struct h_resp r;

	qa = json_pack("[{s:s, s:s}]", "question", x, "answer", x);
	content = json_pack(
		"{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:{s:s, s:s}, s:s},"
		" s:{s:O, s:O}, s:{s:s, s:s, s:s, s:s, s:s}, s:[{s:s, s:s, s:s}, {s:s, s:s}]}",
		"press_release", "headline", x, "subheading", x, "launch_date",
		"2027-03-01", "location", x, "summary", x, "problem", x,
		"solution", x, "leader_quote", "text", x, "speaker", x,
		"how_it_works", x, "customer_quote", "text", x, "speaker", x,
		"call_to_action", x, "faq", "external", qa, "internal", qa,
		"customer", "who", x, "problem", x, "benefit", x, "evidence", x,
		"experience", x, "visuals", "title", x, "url", url, "caption",
		x, "title", x, "url", "https://example.com/a.png");
	json_decref(qa); /* "O" took references of its own */
	assert_non_null(content);
	body = json_pack("{s:s, s:s, s:[s], s:o, s:s}", "title",
			 "<script>alert(0)</script>", "team",
			 "<img src=x onerror=alert(7)>", "tags",
			 "<svg/onload=alert(8)>", "content", content,
			 "change_note", x);
	assert_non_null(body);
	text = json_dumps(body, 0);
	assert_int_equal(
		h_req(&srv, "POST", "/v1/prfaqs", author, NULL, text, &r), 0);
	if (r.status == 400) {
		/* The URL is refused by validation: keep only a plain one. */
		h_resp_free(&r);
		json_object_set_new(
			json_array_get(json_object_get(content, "visuals"), 0),
			"url", json_string("https://example.com/a?b=1&c=<2>"));
		free(text);
		text = json_dumps(body, 0);
		assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", author, NULL,
				       text, &r),
				 0);
	}
	assert_status(&r, 201);
	strcpy(id, JS(&r, "id"));
	/* JSON keeps the text byte for byte. */
	assert_string_equal(headline_of(&r), x);
	h_resp_free(&r);
	free(text);
	json_decref(body);

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	assert_int_equal(h_req(&srv, "GET", path, author, hdr_html, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_non_null(strstr(r.body, "alert(1)")); /* shown, as text */
	assert_non_null(strstr(r.body, "&lt;script&gt;"));
	assert_html_inert(r.body);
	h_resp_free(&r);

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1", id);
	assert_int_equal(h_req(&srv, "GET", path, author, hdr_html, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_html_inert(r.body);
	h_resp_free(&r);

	/*
	 * Markdown: user text is escaped ("<" as "\<"; tags in code spans),
	 * so read by a Markdown tool it is as inert as the page.
	 */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	assert_int_equal(h_req(&srv, "GET", path, author, hdr_md, NULL, &r), 0);
	assert_status(&r, 200);
	assert_non_null(strstr(r.body, "\\<script\\>alert(1)"));
	text = cmark_markdown_to_html(r.body, r.len, CMARK_OPT_DEFAULT);
	assert_non_null(text);
	assert_html_inert(text);
	free(text);
	h_resp_free(&r);
	assert_healthy();
}

/* ---- lying Content-Length ------------------------------------------------ */

static void
test_content_length_lies(void **state)
{
	const char *body = "{\"title\":\"Liar\",\"team\":\"x\"}";
	char head[512];
	struct raw_resp rr;
	int fd, n;

	/* Says 100, sends 10, then closes: nothing is created, nothing hangs. */
	fd = raw_connect();
	n = snprintf(
		head, sizeof(head),
		"POST /v1/prfaqs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
		"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n",
		author);
	assert_true(raw_write(fd, head, (size_t)n));
	assert_true(raw_write(fd, body, 10));
	close(fd);
	assert_healthy();

	/* Says 100, sends 10, half-closes: an answer (4xx) or a clean close. */
	fd = raw_connect();
	assert_true(raw_write(fd, head, (size_t)n));
	assert_true(raw_write(fd, body, 10));
	shutdown(fd, SHUT_WR);
	raw_read(fd, &rr, 10000);
	close(fd);
	assert_raw_refused(&rr);
	assert_healthy();

	/* Says 10, sends 100: the 10 bytes are malformed JSON (400); the rest is
	 * a garbage next request (refused or closed). */
	fd = raw_connect();
	n = snprintf(
		head, sizeof(head),
		"POST /v1/prfaqs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
		"Content-Type: application/json\r\nContent-Length: 10\r\n\r\n",
		author);
	assert_true(raw_write(fd, head, (size_t)n));
	{
		char big[101];

		memset(big, ' ', 100);
		memcpy(big, body, strlen(body));
		raw_write(fd, big, 100);
	}
	raw_read(fd, &rr, 10000);
	assert_raw_problem(&rr, 400);
	/* Whatever follows on this connection: a 4xx or a close, never a hang. */
	raw_read(fd, &rr, 10000);
	assert_raw_refused(&rr);
	close(fd);
	assert_healthy();

	/* Nonsense lengths. */
	{
		static const char *const lengths[] = {
			"-1",	"abc", "10, 20", "18446744073709551616",
			"0x10", "1e3", " ",
		};

		for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]);
		     i++) {
			n = snprintf(
				head, sizeof(head),
				"POST /v1/prfaqs HTTP/1.1\r\nHost: x\r\n"
				"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
				"Content-Length: %s\r\n\r\n%s",
				author, lengths[i], body);
			raw_exchange(head, (size_t)n, &rr);
			assert_raw_refused(&rr);
			assert_healthy();
		}
	}
	/* Two different lengths, and a length with chunked encoding. */
	{
		static const char *const extra[] = {
			"Content-Length: 5\r\nContent-Length: 27\r\n",
			"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
			"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
		};

		for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
			n = snprintf(
				head, sizeof(head),
				"POST /v1/prfaqs HTTP/1.1\r\nHost: x\r\n"
				"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
				"%s\r\n%s",
				author, extra[i], body);
			raw_exchange(head, (size_t)n, &rr);
			assert_raw_refused(&rr);
			assert_healthy();
		}
	}
	/* Bad chunked framing. */
	{
		static const char *const chunks[] = {
			"zz\r\n{}\r\n0\r\n\r\n",
			"ffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
			"-1\r\n{}\r\n0\r\n\r\n",
			"2\r\n{}}}}}}\r\n0\r\n\r\n",
		};

		for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]);
		     i++) {
			n = snprintf(
				head, sizeof(head),
				"POST /v1/prfaqs HTTP/1.1\r\nHost: x\r\n"
				"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
				"Transfer-Encoding: chunked\r\n\r\n%s",
				author, chunks[i]);
			raw_exchange(head, (size_t)n, &rr);
			assert_raw_refused(&rr);
			assert_healthy();
		}
	}
	/* Nothing named "Liar" was ever created. */
	{
		char *v = h_sql(
			srv.dbname,
			"SELECT count(*) FROM prfaqs WHERE title = 'Liar'");

		assert_string_equal(v, "0");
		free(v);
	}
	assert_healthy();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated_and_malformed_json),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_nul_in_strings),
		cmocka_unit_test(test_huge_arrays),
		cmocka_unit_test(test_very_long_url),
		cmocka_unit_test(test_very_long_headers),
		cmocka_unit_test(test_path_tricks_in_ids),
		cmocka_unit_test(
			test_encoded_nul_and_slash_stay_inside_a_segment),
		cmocka_unit_test(test_sql_injection_stored_verbatim),
		cmocka_unit_test(test_markup_in_every_text_field_is_inert),
		cmocka_unit_test(test_content_length_lies),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
