/*
 * log.h - structured logs: one JSON object per line on stderr.
 *
 * Nothing secret is ever passed here: callers log ids, never tokens, and the
 * access log records the route and a redacted path, never headers or queries.
 */
#ifndef PRFAQ_LOG_H
#define PRFAQ_LOG_H

#include <stddef.h>

enum prfaq_log_level {
	PRFAQ_LOG_DEBUG,
	PRFAQ_LOG_INFO,
	PRFAQ_LOG_WARN,
	PRFAQ_LOG_ERROR,
};

/* Set the minimum level; 0 on success, -1 for an unknown name. */
int prfaq_log_set_level(const char *name);

/*
 * Log a message.  request_id may be NULL.  The message is JSON-escaped, so any
 * text is safe to pass.
 */
void prfaq_log(enum prfaq_log_level level, const char *request_id,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * One access-log line (level info).  problem: NULL, or the slug of the
 * problem type the request was answered with ("bad-request"), so that an
 * operator sees why a request was refused.
 */
void prfaq_log_access(const char *request_id, const char *method,
		      const char *route, const char *path, int status,
		      double duration_ms, const char *user_id,
		      const char *problem);

/*
 * Write s into buf (cap bytes, NUL-terminated) JSON-escaped, without quotes,
 * as valid UTF-8: a byte that begins no well-formed character becomes
 * \ufffd, and a cut falls between characters.  Returns the bytes written
 * (without the NUL).
 */
size_t prfaq_log_escape(char *buf, size_t cap, const char *s);

#define log_debug(rid, ...) prfaq_log(PRFAQ_LOG_DEBUG, rid, __VA_ARGS__)
#define log_info(rid, ...)  prfaq_log(PRFAQ_LOG_INFO, rid, __VA_ARGS__)
#define log_warn(rid, ...)  prfaq_log(PRFAQ_LOG_WARN, rid, __VA_ARGS__)
#define log_error(rid, ...) prfaq_log(PRFAQ_LOG_ERROR, rid, __VA_ARGS__)

#endif
