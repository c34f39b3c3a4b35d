/*
 * router.c - method + path pattern matching with {parameters}.
 *
 * The path comes percent-encoded, as the client sent it: router_path_decode()
 * decodes it, refusing an encoded '/' or NUL, so that a segment stays a
 * segment ("<id>%2Fversions" is not the versions list, "/healthz%00junk" is
 * not /healthz).
 *
 * Patterns are split into segments once, when the server starts; matching a
 * request is a walk over the table comparing segment by segment, without
 * allocating.  The table is small (a few dozen routes), so a linear walk is
 * faster than anything cleverer.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "http_internal.h"
#include "prfaq/alloc.h"

struct compiled_route {
	const struct prfaq_route *route;
	size_t nseg;
	const char *seg[ROUTER_MAX_SEGMENTS];
	size_t seglen[ROUTER_MAX_SEGMENTS];
	bool param[ROUTER_MAX_SEGMENTS];
};

struct router {
	struct compiled_route *routes;
	size_t n;
};

static const struct {
	enum prfaq_method m;
	const char *name;
} methods[] = {
	{ PRFAQ_GET, "GET" },	      { PRFAQ_HEAD, "HEAD" },
	{ PRFAQ_POST, "POST" },	      { PRFAQ_PUT, "PUT" },
	{ PRFAQ_PATCH, "PATCH" },     { PRFAQ_DELETE, "DELETE" },
	{ PRFAQ_OPTIONS, "OPTIONS" },
};

enum prfaq_method
method_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(s, methods[i].name) == 0)
			return methods[i].m;
	return 0;
}

void
router_allow_header(unsigned allow, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (!(allow & methods[i].m))
			continue;
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "",
				      methods[i].name);
		if (n >= cap)
			break;
	}
}

struct router *
router_new(const struct prfaq_route *routes, size_t n)
{
	struct router *r = prfaq_calloc(1, sizeof(*r));

	r->routes = prfaq_calloc(n, sizeof(*r->routes));
	r->n = n;
	for (size_t i = 0; i < n; i++) {
		struct compiled_route *c = &r->routes[i];
		const char *p = routes[i].pattern;

		c->route = &routes[i];
		while (*p == '/' && c->nseg < ROUTER_MAX_SEGMENTS) {
			const char *end = strchr(p + 1, '/');
			size_t len;

			if (end == NULL)
				end = p + strlen(p);
			len = (size_t)(end - p - 1);
			c->param[c->nseg] = len >= 2 && p[1] == '{' &&
					    p[len] == '}';
			c->seg[c->nseg] = c->param[c->nseg] ? p + 2 : p + 1;
			c->seglen[c->nseg] = c->param[c->nseg] ? len - 2 : len;
			c->nseg++;
			p = end;
		}
	}
	return r;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
router_path_decode(const char *target, char *out)
{
	for (const char *p = target; *p != '\0' && *p != '?'; p++) {
		int hi, lo;

		if (*p != '%') {
			*out++ = *p;
			continue;
		}
		hi = hex_value(p[1]);
		lo = hi < 0 ? -1 : hex_value(p[2]);
		/* "%", "%4", "%zz"; "%00" and "%2F": no resource has them. */
		if (lo < 0 || (hi == 0 && lo == 0) || (hi == 2 && lo == 15)) {
			*out = '\0';
			return false;
		}
		*out++ = (char)(hi << 4 | lo);
		p += 2;
	}
	*out = '\0';
	return true;
}

void
router_free(struct router *r)
{
	if (r == NULL)
		return;
	free(r->routes);
	free(r);
}

bool
router_match(const struct router *r, enum prfaq_method method, char *path,
	     struct route_match *match)
{
	char *seg[ROUTER_MAX_SEGMENTS];
	size_t nseg = 0;
	/* HEAD is answered by GET routes (libmicrohttpd drops the body). */
	enum prfaq_method want = method == PRFAQ_HEAD ? PRFAQ_GET : method;

	memset(match, 0, sizeof(*match));
	if (path[0] != '/')
		return false;
	/* Split; an empty segment ("//", a trailing "/") matches nothing. */
	for (char *p = path; *p == '/';) {
		char *end;

		if (nseg == ROUTER_MAX_SEGMENTS)
			return false;
		*p++ = '\0';
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p)
			return false;
		seg[nseg++] = p;
		p = end;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct compiled_route *c = &r->routes[i];
		size_t k;

		if (c->nseg != nseg)
			continue;
		for (k = 0; k < nseg; k++) {
			if (c->param[k])
				continue;
			if (strlen(seg[k]) != c->seglen[k] ||
			    memcmp(seg[k], c->seg[k], c->seglen[k]) != 0)
				break;
		}
		if (k != nseg)
			continue;
		match->allow |= c->route->method;
		if (c->route->method == PRFAQ_GET)
			match->allow |= PRFAQ_HEAD;
		if (match->route != NULL || c->route->method != want)
			continue;
		match->route = c->route;
		match->index = i;
		for (k = 0; k < nseg && match->nparams < REQUEST_MAX_PARAMS;
		     k++) {
			if (!c->param[k])
				continue;
			match->param_names[match->nparams] = c->seg[k];
			match->param_name_lens[match->nparams] = c->seglen[k];
			match->param_values[match->nparams] = seg[k];
			match->nparams++;
		}
	}
	if (match->allow != 0)
		match->allow |= PRFAQ_OPTIONS;
	return match->allow != 0;
}
