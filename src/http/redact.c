/*
 * redact.c - keep bearer tokens out of what is logged and echoed.
 *
 * A client may put a token where it does not belong: in the path (glued to
 * other text, "/v1/token=prfaq_...", or with its prefix percent-encoded in a
 * path kept as sent) or in an X-Request-Id.  A token is PRFAQ_TOKEN_PREFIX
 * and 43 base64url characters, so a run of LONG_RUN or more base64url
 * characters is taken for one even without its prefix; ids (36) stay
 * readable.
 */
#include <string.h>

#include "http_internal.h"

#define LONG_RUN 40

/* A base64url character, the alphabet of a token's secret. */
static bool
token_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * May the client's X-Request-Id be used as the request's id?  It is logged
 * and echoed: never take one that holds a token, by its prefix or by a run
 * as long as a token's secret.  At most REQUEST_ID_MAX characters of
 * base64url, '.' and ':'.
 */
bool
redact_id_acceptable(const char *s)
{
	size_t n = 0, run = 0;

	for (; s[n] != '\0'; n++) {
		char c = s[n];

		if (n == REQUEST_ID_MAX ||
		    !(token_char(c) || c == '.' || c == ':'))
			return false;
		run = token_char(c) ? run + 1 : 0;
		if (run >= LONG_RUN)
			return false;
	}
	return n > 0 && strstr(s, PRFAQ_TOKEN_PREFIX) == NULL;
}

/*
 * Copy path into out (cap bytes, always NUL-terminated, truncated to fit)
 * with whatever looks like a token, wherever it starts, replaced by
 * "[redacted]", so that none reaches the log.
 */
void
redact_path(const char *path, char *out, size_t cap)
{
	size_t o = 0, plen = strlen(PRFAQ_TOKEN_PREFIX);
	const char *p = path;

	/* One run of token characters at a time: linear in the path. */
	while (*p != '\0' && o + 1 < cap) {
		size_t run = 0, keep;
		const char *hit;

		if (!token_char(*p)) {
			out[o++] = *p++;
			continue;
		}
		while (token_char(p[run]))
			run++;
		hit = run >= LONG_RUN ?
			      p :
			      memmem(p, run, PRFAQ_TOKEN_PREFIX, plen);
		keep = hit != NULL ? (size_t)(hit - p) : run;
		for (size_t i = 0; i < keep && o + 1 < cap; i++)
			out[o++] = p[i];
		if (hit != NULL)
			for (const char *r = "[redacted]";
			     *r != '\0' && o + 1 < cap; r++)
				out[o++] = *r;
		p += run;
	}
	out[o] = '\0';
}
