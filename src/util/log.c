/*
 * log.c - one JSON object per line on stderr (see prfaq/log.h).
 *
 * Each line is formatted into a stack buffer and written with one write(2),
 * so lines from different threads never interleave.
 */
#include "prfaq/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prfaq/utf8.h"

static enum prfaq_log_level min_level = PRFAQ_LOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

int
prfaq_log_set_level(const char *name)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]);
	     i++) {
		if (strcmp(name, level_names[i]) == 0) {
			min_level = (enum prfaq_log_level)i;
			return 0;
		}
	}
	return -1;
}

/*
 * The escaping is also the UTF-8 check of every log line: request bytes
 * reach the log (a path, a method, a request id, a detail), and a line with
 * an invalid byte is not JSON.  A byte that begins no well-formed character
 * is written as \ufffd; a character is copied whole or not at all, so a
 * line cut at cap still ends on a character boundary.
 */
size_t
prfaq_log_escape(char *buf, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0, len = s != NULL ? strlen(s) : 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		const char *src = s + i;
		char tmp[6];
		size_t k = 0;

		if (c == '"' || c == '\\') {
			tmp[k++] = '\\';
			tmp[k++] = (char)c;
			src = tmp;
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			tmp[k++] = '\\';
			tmp[k++] = 'u';
			tmp[k++] = '0';
			tmp[k++] = '0';
			tmp[k++] = hex[c >> 4];
			tmp[k++] = hex[c & 15];
			src = tmp;
			i++;
		} else if ((k = prfaq_utf8_seq(s + i, len - i)) == 0) {
			src = "\\ufffd";
			k = 6;
			i++;
		} else {
			i += k;
		}
		if (n + k >= cap)
			break;
		memcpy(buf + n, src, k);
		n += k;
	}
	buf[n] = '\0';
	return n;
}

/* "2026-11-25T10:00:00.123Z" into buf (at least 32 bytes). */
static void
format_now(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	/*
	 * strftime for the calendar part: gcc cannot bound struct tm fields, so a
	 * single snprintf trips -Wformat-truncation at -O2 on some releases.
	 */
	size_t n = strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n == 0 || cap - n < 6) {
		buf[0] = '\0';
		return;
	}
	unsigned ms = (unsigned)(ts.tv_nsec / 1000000) % 1000u;
	buf[n++] = '.';
	buf[n++] = (char)('0' + ms / 100);
	buf[n++] = (char)('0' + ms / 10 % 10);
	buf[n++] = (char)('0' + ms % 10);
	buf[n++] = 'Z';
	buf[n] = '\0';
}

static void
emit(char *line, size_t len, size_t cap)
{
	if (len >= cap - 1)
		len = cap - 2;
	line[len++] = '\n';
	/* Nothing useful can be done if stderr is gone. */
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}

void
prfaq_log(enum prfaq_log_level level, const char *request_id, const char *fmt,
	  ...)
{
	char msg[1024], esc[2048], rid[160], now[40], line[4096];
	va_list ap;
	int n;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	prfaq_log_escape(esc, sizeof(esc), msg);
	format_now(now, sizeof(now));
	if (request_id != NULL)
		prfaq_log_escape(rid, sizeof(rid), request_id);
	n = snprintf(line, sizeof(line),
		     "{\"time\":\"%s\",\"level\":\"%s\"%s%s%s,\"msg\":\"%s\"}",
		     now, level_names[level],
		     request_id ? ",\"request_id\":\"" : "",
		     request_id ? rid : "", request_id ? "\"" : "", esc);
	if (n > 0)
		emit(line,
		     (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1,
		     sizeof(line));
}

/*
 * A line under construction for prfaq_log_access: a few appends instead of
 * snprintf with a format and a float, since it runs once per request.
 * Appends past the end are dropped; emit() ends the line.
 */
struct line {
	char buf[8192];
	size_t n;
};

/*
 * Room kept after each string for the fixed members that follow, so that a
 * long string (a path of control characters is six times its length
 * escaped) never pushes the closing brace off the line.
 */
#define LINE_RESERVE 256

static void
line_raw(struct line *l, const char *s)
{
	size_t k = strlen(s);

	if (k > sizeof(l->buf) - 2 - l->n)
		k = sizeof(l->buf) - 2 - l->n;
	memcpy(l->buf + l->n, s, k);
	l->n += k;
}

/*
 * "s" JSON-escaped in quotes, or null; at most max bytes of escaped text
 * (cut on a character boundary), and never into the reserve.
 */
static void
line_str(struct line *l, const char *s, size_t max)
{
	size_t room;

	if (s == NULL) {
		line_raw(l, "null");
		return;
	}
	line_raw(l, "\"");
	room = sizeof(l->buf) - l->n;
	room = room > LINE_RESERVE ? room - LINE_RESERVE : 0;
	if (room > max + 1)
		room = max + 1;
	l->n += prfaq_log_escape(l->buf + l->n, room, s);
	line_raw(l, "\"");
}

/* v / 10^decimals, with exactly that many decimals. */
static void
line_fixed(struct line *l, unsigned long long v, int decimals)
{
	char tmp[32];
	size_t i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	for (int d = 0; d < decimals; d++) {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	}
	if (decimals > 0)
		tmp[--i] = '.';
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	line_raw(l, tmp + i);
}

void
prfaq_log_access(const char *request_id, const char *method, const char *route,
		 const char *path, int status, double duration_ms,
		 const char *user_id, const char *problem)
{
	struct line l; /* not zeroed: only l.buf[0..n) is ever read */
	char now[40];

	if (PRFAQ_LOG_INFO < min_level)
		return;
	l.n = 0;
	format_now(now, sizeof(now));
	line_raw(&l, "{\"time\":\"");
	line_raw(&l, now);
	line_raw(&l,
		 "\",\"level\":\"info\",\"msg\":\"request\",\"request_id\":");
	line_str(&l, request_id, 1024);
	line_raw(&l, ",\"method\":");
	line_str(&l, method, 256);
	line_raw(&l, ",\"route\":");
	line_str(&l, route, 256);
	line_raw(&l, ",\"path\":");
	line_str(&l, path, 4096);
	line_raw(&l, ",\"status\":");
	line_fixed(&l, status > 0 ? (unsigned long long)status : 0, 0);
	line_raw(&l, ",\"duration_ms\":");
	line_fixed(&l,
		   duration_ms > 0 ?
			   (unsigned long long)(duration_ms * 1000.0 + 0.5) :
			   0,
		   3);
	if (user_id != NULL) {
		line_raw(&l, ",\"user_id\":");
		line_str(&l, user_id, 256);
	}
	if (problem != NULL) {
		line_raw(&l, ",\"problem\":");
		line_str(&l, problem, 256);
	}
	line_raw(&l, "}");
	emit(l.buf, l.n, sizeof(l.buf));
}
