/*
 * cors.c - CORS for the browser front ends of internal portals.
 *
 * Only origins listed in PRFAQ_CORS_ORIGINS get CORS headers; any other
 * origin gets none, so the browser blocks it.  Nothing is allowed by default.
 */
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "prfaq/alloc.h"

/* Is the request's Origin listed (or "*")?  *origin is then the header. */
static bool
origin_allowed(const struct prfaq_request *req, const char **origin)
{
	const char *o = prfaq_req_header(req, "Origin");

	if (o == NULL || req->srv->cors_origins == NULL)
		return false;
	for (char **a = req->srv->cors_origins; *a != NULL; a++) {
		if (strcmp(*a, o) == 0 || strcmp(*a, "*") == 0) {
			*origin = o;
			return true;
		}
	}
	return false;
}

void
cors_apply(struct prfaq_request *req, struct MHD_Response *resp)
{
	const char *origin;

	if (req->srv->cors_origins == NULL || req->srv->cors_origins[0] == NULL)
		return;
	/* Answers differ by Origin: caches must key on it. */
	MHD_add_response_header(resp, "Vary", "Origin");
	if (!origin_allowed(req, &origin))
		return;
	MHD_add_response_header(resp, "Access-Control-Allow-Origin", origin);
	if (req->method != PRFAQ_OPTIONS)
		MHD_add_response_header(
			resp, "Access-Control-Expose-Headers",
			"ETag, Location, Link, X-Request-Id, Retry-After, "
			"Idempotent-Replayed");
}

bool
cors_preflight(struct prfaq_request *req)
{
	const char *origin;
	char allow[96];

	if (prfaq_req_header(req, "Access-Control-Request-Method") == NULL ||
	    !origin_allowed(req, &origin))
		return false;
	router_allow_header(req->match.allow, allow, sizeof(allow));
	prfaq_reply_header(req, "Access-Control-Allow-Methods", allow);
	prfaq_reply_header(
		req, "Access-Control-Allow-Headers",
		"Authorization, Content-Type, If-Match, If-None-Match, "
		"Idempotency-Key, X-Request-Id, Change-Note");
	prfaq_reply_header(req, "Access-Control-Max-Age", "600");
	prfaq_reply_empty(req, 204);
	return true;
}

/*
 * PRFAQ_CORS_ORIGINS ("https://a.example, https://b.example/") as a
 * NULL-terminated array of new strings, each trimmed of blanks and of
 * trailing '/' so that it compares equal to an Origin header; empty entries
 * are skipped.  NULL when out of memory.  Free with cors_origins_free().
 */
char **
cors_origins_parse(const char *list)
{
	size_t n = 1, k = 0;
	char **out;

	for (const char *p = list; *p != '\0'; p++)
		if (*p == ',')
			n++;
	out = prfaq_calloc(n + 1, sizeof(*out));
	for (const char *p = list; *p != '\0';) {
		const char *end = strchr(p, ',');
		size_t len;

		if (end == NULL)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		len = (size_t)(end - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' ||
				   p[len - 1] == '/'))
			len--;
		if (len > 0)
			out[k++] = prfaq_strndup(p, len);
		p = *end ? end + 1 : end;
	}
	return out;
}

/* NULL-safe. */
void
cors_origins_free(char **origins)
{
	if (origins == NULL)
		return;
	for (char **o = origins; *o != NULL; o++)
		free(*o);
	free(origins);
}
