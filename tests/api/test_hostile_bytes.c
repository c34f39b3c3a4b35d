/*
 * test_hostile_bytes.c - invalid UTF-8 and hostile bytes in the request line
 * and headers, sent over raw sockets (libcurl would clean some of them up):
 *
 *   - the reproductions of issue 14: GET /%FF, DELETE /v1/prfaqs/%FF, a path
 *     of 300 encoded "é" (whose echo in a detail used to be cut mid-
 *     character), a Content-Type with a 0xFF byte, each a 4xx problem+json
 *     whose body is valid JSON (they were empty 500s);
 *   - a few hundred generated hostile request lines and headers (random
 *     bytes, invalid UTF-8, over-long, %00), each answered with a
 *     well-formed HTTP response (prfaqd's own: problem+json for a 4xx, never
 *     a 5xx; or libmicrohttpd's own 4xx/505 for malformed HTTP) or a close,
 *     and the server alive afterwards;
 *   - and every line of the server's log is then a JSON object.
 */
#include "harness.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define FUZZ_CASES 300

static struct h_server srv;
static char *author;

static int
setup(void **state)
{
	static const char *const env[] = { "PRFAQ_CONN_TIMEOUT=4", NULL };

	(void)state;
	if (h_start(&srv, env) != 0) {
		h_stop(&srv);
		return -1;
	}
	author = h_user(&srv, "Ana", "\"author\"", NULL);
	if (author == NULL) {
		h_stop(&srv);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(author);
	author = NULL;
	return 0;
}

/* --- raw sockets ---------------------------------------------------------- */

struct raw_resp {
	int status;  /* 0: the server closed without answering */
	bool closed; /* the server closed the connection */
	char buf[16384];
	size_t len;
	const char *body; /* into buf, after the header block; NULL if none */
};

/* Write all of data; false when the server closed first. */
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

/*
 * Send data on a fresh connection and read one response (headers and its
 * Content-Length body) or until the server closes, at most 10 s: the server
 * must answer or close, never leave a hostile client hanging.
 */
static void
raw_exchange(const char *data, size_t len, struct raw_resp *out)
{
	double deadline = h_now_ms() + 10000;
	int fd = h_connect(srv.port);

	assert_true(fd >= 0);
	memset(out, 0, sizeof(*out));
	raw_write(fd, data, len);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		const char *end;
		int left = (int)(deadline - h_now_ms());
		ssize_t k;

		if (left <= 0) {
			print_error("no answer and no close within 10 s to "
				    "%.120s; got: %.200s\n",
				    data, out->buf);
			close(fd);
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
	close(fd);
	sscanf(out->buf, "HTTP/1.%*d %d", &out->status);
	{
		const char *end = strstr(out->buf, "\r\n\r\n");

		out->body = end ? end + 4 : NULL;
	}
}

/* Did prfaqd itself answer (every one of its replies has X-Request-Id)? */
static bool
from_prfaqd(const struct raw_resp *r)
{
	const char *end = strstr(r->buf, "\r\n\r\n");
	const char *h = strcasestr(r->buf, "\r\nX-Request-Id:");

	return h != NULL && end != NULL && h < end;
}

/*
 * r is a problem+json reply from prfaqd with a status from lo to hi, whose
 * body parses as JSON (so it is valid UTF-8) with that status in it.
 */
static void
check_problem(const struct raw_resp *r, int lo, int hi, const char *what,
	      bool head)
{
	json_error_t jerr;
	json_t *j;

	if (r->status < lo || r->status > hi || !from_prfaqd(r) ||
	    strcasestr(r->buf, "\r\nContent-Type: application/problem+json") ==
		    NULL ||
	    r->body == NULL) {
		print_error("%s: status %d, want %d..%d problem+json: %.400s\n",
			    what, r->status, lo, hi, r->buf);
		fail();
	}
	if (head)
		return; /* a HEAD reply has the headers only */
	j = json_loads(r->body, 0, &jerr);
	if (j == NULL ||
	    json_integer_value(json_object_get(j, "status")) != r->status ||
	    !json_is_string(json_object_get(j, "detail"))) {
		print_error("%s: body is not a problem: %s: %.400s\n", what,
			    jerr.text, r->body);
		json_decref(j);
		fail();
	}
	json_decref(j);
}

/* Send a request built with printf and read its answer. */
static void raw_sendf(struct raw_resp *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void
raw_sendf(struct raw_resp *out, const char *fmt, ...)
{
	char req[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(req));
	raw_exchange(req, (size_t)n, out);
}

/* Every line of the server's log so far is a JSON object. */
static void
assert_log_is_json(void)
{
	char *log = h_read_file(srv.log_path);
	size_t lines = 0;

	assert_non_null(log);
	for (char *line = log, *nl; *line != '\0'; line = nl + 1) {
		json_error_t jerr;
		json_t *j;

		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line) - 1; /* last, unterminated */
		else
			*nl = '\0';
		if (*line == '\0')
			continue;
		j = json_loads(line, 0, &jerr);
		if (!json_is_object(j)) {
			print_error("log line %zu is not a JSON object (%s): "
				    "%.300s\n",
				    lines + 1, jerr.text, line);
			json_decref(j);
			free(log);
			fail();
		}
		json_decref(j);
		lines++;
	}
	free(log);
	assert_true(lines > 0);
}

/* --- the reproductions ---------------------------------------------------- */

static void
test_invalid_utf8_reproductions(void **state)
{
	static const char hdr[] = "Host: 127.0.0.1\r\nConnection: close\r\n";
	struct raw_resp r;
	char path[2048] = "/x";

	(void)state;
	/* Invalid UTF-8 in the path (encoded or raw): 400, never 500. */
	raw_sendf(&r, "GET /%%FF HTTP/1.1\r\n%s\r\n", hdr);
	check_problem(&r, 400, 400, "GET /%FF", false);
	raw_sendf(&r, "DELETE /v1/prfaqs/%%FF HTTP/1.1\r\n%s\r\n", hdr);
	check_problem(&r, 400, 400, "DELETE /v1/prfaqs/%FF", false);
	raw_sendf(&r, "GET /v1/prfaqs/%%C3%%28 HTTP/1.1\r\n%s\r\n", hdr);
	check_problem(&r, 400, 400, "GET an overlong-broken sequence", false);
	raw_sendf(&r,
		  "GET /v1/prfaqs?q=%%ED%%A0%%80 HTTP/1.1\r\n%s"
		  "Authorization: Bearer %s\r\n\r\n",
		  hdr, author);
	check_problem(&r, 400, 400, "a surrogate in the query", false);

	/*
	 * 300 "é", valid: a 404 whose detail quotes the path and was cut in
	 * the middle of a character.
	 */
	for (int i = 0; i < 300; i++)
		strcat(path, "%C3%A9");
	raw_sendf(&r, "GET %s HTTP/1.1\r\n%s\r\n", path, hdr);
	check_problem(&r, 404, 404, "300 x %C3%A9", false);

	/* A Content-Type with a 0xFF byte. */
	raw_sendf(&r,
		  "POST /v1/prfaqs HTTP/1.1\r\n%sAuthorization: Bearer %s\r\n"
		  "Content-Type: application/\xFFjson\r\n"
		  "Content-Length: 2\r\n\r\n{}",
		  hdr, author);
	check_problem(&r, 400, 400, "Content-Type with 0xFF", false);
	/* ... and one that is valid UTF-8 but not JSON: still 415. */
	raw_sendf(&r,
		  "POST /v1/prfaqs HTTP/1.1\r\n%sAuthorization: Bearer %s\r\n"
		  "Content-Type: text/\xC3\xA9\r\n"
		  "Content-Length: 2\r\n\r\n{}",
		  hdr, author);
	check_problem(&r, 415, 415, "Content-Type text/é", false);

	/* An X-Request-Id with invalid UTF-8 is not echoed, nor logged. */
	raw_sendf(&r, "GET /healthz HTTP/1.1\r\n%sX-Request-Id: a\xFF\r\n\r\n",
		  hdr);
	check_problem(&r, 400, 400, "X-Request-Id with 0xFF", false);
	assert_null(memchr(r.buf, 0xFF, r.len));

	/* A raw 0xFF in the request target. */
	raw_sendf(&r, "GET /v1/\xFF HTTP/1.1\r\n%s\r\n", hdr);
	if (from_prfaqd(&r))
		check_problem(&r, 400, 400, "a raw 0xFF in the target", false);
	else if (r.status != 0 && (r.status < 400 || r.status > 499))
		fail_msg("a raw 0xFF in the target: %.300s", r.buf);
	raw_sendf(&r, "GET /healthz HTTP/1.1\r\n%s\r\n", hdr);
	assert_int_equal(r.status, 200);
	assert_log_is_json();
}

/* --- generated hostile request lines and headers -------------------------- */

static const char *const methods[] = {
	"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "G\xFFT",
};
static const char *const paths[] = {
	"/healthz",
	"/v1/prfaqs",
	"/v1/prfaqs/%s",
	"/v1/prfaqs/00000000-0000-0000-0000-000000000000/%s",
	"/v1/users/%s/tokens",
	"/%s",
	"/v1/prfaqs?q=%s",
	"/v1/prfaqs?tag=%s&limit=%s",
};
static const char *const header_names[] = {
	"Content-Type", "Accept",	   "X-Request-Id", "If-Match",
	"Origin",	"Idempotency-Key", "X-%s",	   "Authorization",
};

/* A deterministic generator (xorshift), so that a failure replays. */
static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}

/*
 * A hostile fragment into out (cap bytes, NUL-terminated): random bytes,
 * invalid or valid UTF-8 raw or percent-encoded, %00, or something long.
 * in_line: for the request line (no space, CR or LF: they would only end
 * the target early, which other cases cover).
 */
static void
hostile(char *out, size_t cap, bool in_line)
{
	static const char *const pieces[] = {
		"%FF",		"%C3%A9",   "%C3",	    "%ED%A0%80",
		"%F4%90%80%80", "%00",	    "%C0%AF",	    "\xFF",
		"\xC3",		"\xC3\xA9", "\xE2\x80\xAE", "%E2%80%AE",
		"%25",		"\x7F",	    "\x01",	    "%2F",
		"..",		"%",	    "%%",	    "\xF0\x9F\x98\x80",
	};
	size_t n = 0, want = 1 + rng() % 24;

	if (rng() % 10 == 0)
		want = 200 + rng() % 3000; /* over-long */
	while (n + 16 < cap && want-- > 0) {
		const char *p;
		char one[2];

		if (rng() % 3 == 0) {
			unsigned char c = (unsigned char)(rng() % 256);

			if (c == 0 ||
			    (in_line && (c == ' ' || c == '\r' || c == '\n' ||
					 c == '?')) ||
			    c == '\r' || c == '\n')
				c = 'z';
			one[0] = (char)c;
			one[1] = '\0';
			p = one;
		} else {
			p = pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
		}
		if (n + strlen(p) + 1 > cap)
			break;
		memcpy(out + n, p, strlen(p));
		n += strlen(p);
	}
	out[n] = '\0';
}

/* One generated request into req (cap bytes); returns its length. */
static size_t
generate(char *req, size_t cap)
{
	char a[4096], b[4096], target[9000], name[4200], value[4200];
	const char *m = methods[rng() % (sizeof(methods) / sizeof(methods[0]))];
	const char *pf = paths[rng() % (sizeof(paths) / sizeof(paths[0]))];
	const char *hf = header_names[rng() % (sizeof(header_names) /
					       sizeof(header_names[0]))];
	int n;

	hostile(a, sizeof(a), true);
	hostile(b, sizeof(b), true);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(target, sizeof(target), pf, a, b);
	hostile(a, sizeof(a), false);
	snprintf(name, sizeof(name), hf, a);
#pragma GCC diagnostic pop
	hostile(value, sizeof(value), false);
	if (rng() % 2 == 0) /* sometimes a clean request line */
		snprintf(target, sizeof(target), "%s", "/v1/prfaqs");
	if (rng() % 4 == 0) /* sometimes a clean header value */
		snprintf(value, sizeof(value), "%s", "application/json");
	n = snprintf(req, cap,
		     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		     "Authorization: Bearer %s\r\n%s: %s\r\n"
		     "Connection: close\r\n\r\n",
		     m, target, author, name, value);
	assert_true(n > 0 && (size_t)n < cap);
	return (size_t)n;
}

static void
test_fuzz_request_line_and_headers(void **state)
{
	static char req[32768];
	struct raw_resp r;
	const char *seed_env = getenv("PRFAQ_TEST_FUZZ_SEED");
	uint64_t seed = seed_env ? strtoull(seed_env, NULL, 10) : 14;
	int by_prfaqd = 0, by_mhd = 0, closed = 0;

	(void)state;
	rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
	for (int i = 0; i < FUZZ_CASES; i++) {
		size_t len = generate(req, sizeof(req));

		raw_exchange(req, len, &r);
		if (r.status == 0) {
			closed++; /* refused by closing: fine, if it lives */
		} else if (from_prfaqd(&r)) {
			by_prfaqd++;
			if (r.status >= 400) {
				char what[64];

				snprintf(what, sizeof(what),
					 "fuzz case %d (seed %llu)", i,
					 (unsigned long long)seed);
				check_problem(&r, 400, 499, what,
					      strncmp(req, "HEAD ", 5) == 0);
			}
		} else {
			/* libmicrohttpd's own refusal of malformed HTTP. */
			by_mhd++;
			if (!((r.status >= 400 && r.status <= 499) ||
			      r.status == 505))
				fail_msg("fuzz case %d (seed %llu): %.300s", i,
					 (unsigned long long)seed, r.buf);
		}
	}
	print_message("fuzz: %d answered by prfaqd, %d by libmicrohttpd, %d "
		      "closed\n",
		      by_prfaqd, by_mhd, closed);
	assert_true(by_prfaqd > FUZZ_CASES / 4);
	raw_sendf(&r, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		      "Connection: close\r\n\r\n");
	assert_int_equal(r.status, 200);
	assert_log_is_json();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_utf8_reproductions),
		cmocka_unit_test(test_fuzz_request_line_and_headers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
