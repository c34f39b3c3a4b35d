/*
 * fuzz_router.c - the path decoder and the router (src/http/router.c) on
 * arbitrary request targets and methods, over the API's routes (the list in
 * src/api/routes.def that the server's table is made from) and one more.
 *
 * Input: the first byte picks the method (and the Allow buffer's size), the
 * rest up to the first NUL is the request target as the client sent it
 * (percent-encoded, perhaps with a query).  router_path_decode() is
 * compared with a naive decoder written out here (same verdict, same path,
 * and so never an encoded '/' or NUL let through), then the router with a
 * naive matcher: same verdict, same Allow set, same route, parameters that
 * are whole non-empty segments of the path.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "http_internal.h"

static void
dummy(struct prfaq_request *req)
{
	(void)req;
}

/* The API's routes (src/api/routes.def), with a handler that is never run. */
static const struct prfaq_route routes[] = {
#define ROUTE(m, p, h, f, ...) \
	{ .method = m, .pattern = p, .handler = dummy, .flags = f },
#include "routes.def"
#undef ROUTE
	/* Not in the API: a parameter first and two side by side. */
	{ .method = PRFAQ_OPTIONS, .pattern = "/{a}/{b}/x", .handler = dummy },
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

static const enum prfaq_method methods[8] = {
	0,	   PRFAQ_GET,	PRFAQ_HEAD,   PRFAQ_POST,
	PRFAQ_PUT, PRFAQ_PATCH, PRFAQ_DELETE, PRFAQ_OPTIONS,
};

static struct router *router;

/*
 * The naive decoder: "%HH" with two hex digits is the byte, except NUL and
 * '/'; any other '%' fails; the path ends at '?'.  Returns the length of
 * the decoded path, or -1.
 */
static long
reference_decode(const char *target, char *out)
{
	static const char digits[] = "0123456789abcdef0123456789ABCDEF";
	size_t o = 0;

	for (size_t i = 0; target[i] != '\0' && target[i] != '?'; i++) {
		const char *h, *l;
		int byte;

		if (target[i] != '%') {
			out[o++] = target[i];
			continue;
		}
		if (target[i + 1] == '\0' || target[i + 2] == '\0' ||
		    (h = strchr(digits, target[i + 1])) == NULL ||
		    (l = strchr(digits, target[i + 2])) == NULL)
			return -1;
		byte = (int)((h - digits) % 16) * 16 + (int)((l - digits) % 16);
		if (byte == 0 || byte == '/')
			return -1;
		out[o++] = (char)byte;
		i += 2;
	}
	out[o] = '\0';
	return (long)o;
}

/* Segments of a pattern or path: "/a/b" -> "a", "b"; -1 when malformed. */
static int
split(const char *s, const char **seg, size_t *len, size_t max)
{
	int n = 0;

	if (s[0] != '/')
		return -1;
	while (*s == '/') {
		const char *end = strchr(s + 1, '/');

		if (end == NULL)
			end = s + strlen(s);
		if (end == s + 1 || (size_t)n == max)
			return -1;
		seg[n] = s + 1;
		len[n] = (size_t)(end - s - 1);
		n++;
		s = end;
	}
	return n;
}

static bool
is_param(const char *seg, size_t len)
{
	return len >= 2 && seg[0] == '{' && seg[len - 1] == '}';
}

/* The naive matcher: allow set and first route for method. */
static unsigned
reference(const char *path, enum prfaq_method method,
	  const struct prfaq_route **route)
{
	const char *ps[ROUTER_MAX_SEGMENTS], *rs[ROUTER_MAX_SEGMENTS];
	size_t pl[ROUTER_MAX_SEGMENTS], rl[ROUTER_MAX_SEGMENTS];
	enum prfaq_method want = method == PRFAQ_HEAD ? PRFAQ_GET : method;
	int np = split(path, ps, pl, ROUTER_MAX_SEGMENTS);
	unsigned allow = 0;

	*route = NULL;
	if (np < 0)
		return 0;
	for (size_t i = 0; i < NROUTES; i++) {
		int nr = split(routes[i].pattern, rs, rl, ROUTER_MAX_SEGMENTS),
		    k;

		if (nr != np)
			continue;
		for (k = 0; k < nr; k++)
			if (!is_param(rs[k], rl[k]) &&
			    (rl[k] != pl[k] ||
			     memcmp(rs[k], ps[k], pl[k]) != 0))
				break;
		if (k != nr)
			continue;
		allow |= routes[i].method;
		if (routes[i].method == PRFAQ_GET)
			allow |= PRFAQ_HEAD;
		if (*route == NULL && routes[i].method == want)
			*route = &routes[i];
	}
	if (allow != 0)
		allow |= PRFAQ_OPTIONS;
	return allow;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct prfaq_route *want_route;
	struct route_match m;
	enum prfaq_method method;
	char *target, *path, *want_path, *split_path, allow[128];
	size_t plen, cap;
	long want_len;
	unsigned want_allow;
	bool found, decoded;

	if (router == NULL && (router = router_new(routes, NROUTES)) == NULL)
		abort();
	if (size == 0)
		return 0;
	method = methods[data[0] & 7];
	cap = 1 + (size_t)(data[0] >> 3); /* 1..32 bytes of Allow */
	plen = strnlen((const char *)data + 1, size - 1);
	target = malloc(plen + 1);
	path = malloc(plen + 1);
	want_path = malloc(plen + 1);
	split_path = malloc(plen + 1);
	FUZZ_CHECK(target != NULL && path != NULL && want_path != NULL &&
		   split_path != NULL);
	memcpy(target, data + 1, plen);
	target[plen] = '\0';

	/* Decoding: as the naive decoder, and segments stay segments. */
	decoded = router_path_decode(target, path);
	want_len = reference_decode(target, want_path);
	FUZZ_CHECK(decoded == (want_len >= 0));
	if (!decoded) {
		FUZZ_CHECK(strchr(target, '%') != NULL);
		goto out;
	}
	FUZZ_CHECK(strcmp(path, want_path) == 0);
	{
		size_t slashes = 0, raw_slashes = 0;

		for (const char *p = path; *p != '\0'; p++)
			slashes += *p == '/';
		for (const char *p = target; *p != '\0' && *p != '?'; p++)
			raw_slashes += *p == '/';
		FUZZ_CHECK(slashes == raw_slashes);
	}
	plen = strlen(path);
	memcpy(split_path, path, plen + 1);

	found = router_match(router, method, split_path, &m);
	want_allow = reference(path, method, &want_route);
	FUZZ_CHECK(found == (m.allow != 0));
	FUZZ_CHECK(m.allow == want_allow);
	FUZZ_CHECK(m.route == want_route);
	if (m.route != NULL) {
		size_t nparams = 0;

		FUZZ_CHECK(m.index < NROUTES && &routes[m.index] == m.route);
		for (const char *p = m.route->pattern;
		     (p = strchr(p, '{')) != NULL; p++)
			nparams++;
		FUZZ_CHECK(m.nparams == nparams);
		for (size_t i = 0; i < m.nparams; i++) {
			const char *v = m.param_values[i];

			/* A whole segment of the path, never empty, never a '/'. */
			FUZZ_CHECK(v > split_path && v < split_path + plen);
			FUZZ_CHECK(v[-1] == '\0' &&
				   path[v - split_path - 1] == '/');
			FUZZ_CHECK(v[0] != '\0' && strchr(v, '/') == NULL);
			FUZZ_CHECK(memcmp(v, path + (v - split_path),
					  strlen(v)) == 0);
			FUZZ_CHECK(m.param_name_lens[i] > 0);
		}
	}
	router_allow_header(m.allow, allow, cap);
	FUZZ_CHECK(strlen(allow) < cap);
out:
	free(target);
	free(path);
	free(want_path);
	free(split_path);
	return 0;
}
