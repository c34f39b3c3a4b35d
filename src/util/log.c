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

static enum prfaq_log_level min_level = PRFAQ_LOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

int
prfaq_log_set_level(const char *name)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			min_level = (enum prfaq_log_level)i;
			return 0;
		}
	}
	return -1;
}

size_t
prfaq_log_escape(char *buf, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	if (cap == 0)
		return 0;
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char tmp[6];
		size_t k = 0;

		if (c == '"' || c == '\\') {
			tmp[k++] = '\\';
			tmp[k++] = (char)c;
		} else if (c < 0x20) {
			tmp[k++] = '\\';
			tmp[k++] = 'u';
			tmp[k++] = '0';
			tmp[k++] = '0';
			tmp[k++] = hex[c >> 4];
			tmp[k++] = hex[c & 15];
		} else {
			tmp[k++] = (char)c;
		}
		if (n + k >= cap)
			break;
		memcpy(buf + n, tmp, k);
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
	unsigned ms = (unsigned) (ts.tv_nsec / 1000000) % 1000u;
	buf[n++] = '.';
	buf[n++] = (char) ('0' + ms / 100);
	buf[n++] = (char) ('0' + ms / 10 % 10);
	buf[n++] = (char) ('0' + ms % 10);
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
prfaq_log(enum prfaq_log_level level, const char *request_id,
	  const char *fmt, ...)
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
		emit(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1,
		     sizeof(line));
}

void
prfaq_log_access(const char *request_id, const char *method, const char *route,
		 const char *path, int status, double duration_ms,
		 const char *user_id)
{
	char rid[160], m[32], r[256], p[1024], u[80], now[40], line[2048];
	int n;

	if (PRFAQ_LOG_INFO < min_level)
		return;
	format_now(now, sizeof(now));
	prfaq_log_escape(rid, sizeof(rid), request_id);
	prfaq_log_escape(m, sizeof(m), method);
	prfaq_log_escape(r, sizeof(r), route);
	prfaq_log_escape(p, sizeof(p), path);
	prfaq_log_escape(u, sizeof(u), user_id);
	n = snprintf(line, sizeof(line),
		     "{\"time\":\"%s\",\"level\":\"info\",\"msg\":\"request\","
		     "\"request_id\":\"%s\",\"method\":\"%s\",\"route\":%s%s%s,"
		     "\"path\":\"%s\",\"status\":%d,\"duration_ms\":%.3f%s%s%s}",
		     now, rid, m, route ? "\"" : "", route ? r : "null",
		     route ? "\"" : "", p, status, duration_ms,
		     user_id ? ",\"user_id\":\"" : "", user_id ? u : "",
		     user_id ? "\"" : "");
	if (n > 0)
		emit(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1,
		     sizeof(line));
}
