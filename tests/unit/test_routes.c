/*
 * test_routes.c - the route list (src/api/routes.def) and the OpenAPI
 * document (openapi/openapi.yaml) describe the same API: every route is an
 * operation of the spec and every operation a route, by path and method.
 * The flags agree too: a public route's operation has "security: []", an
 * idempotent one takes the IdempotencyKey parameter, a merge-patch one takes
 * application/merge-patch+json, a route that refuses a body
 * (PRFAQ_ROUTE_NO_BODY) is a POST without a requestBody, and one that reads
 * Markdown (PRFAQ_ROUTE_MARKDOWN) has text/markdown among its requestBody's
 * media types, and one that reads NDJSON (PRFAQ_ROUTE_NDJSON)
 * application/x-ndjson.
 *
 * The public routes (/healthz, /readyz, /metrics, /openapi.yaml) are in the
 * spec like any other, so there are no exceptions.  A route deliberately left
 * out of the spec would need one here, with its reason.  The other way, the
 * spec may hold operations the router answers without a route: HEAD of a
 * GET, OPTIONS of any path, and a method marked "x-prfaq-not-allowed: true"
 * (documented only to say it is 405, e.g. DELETE of a PR/FAQ, which is
 * archived instead) on a path that has routes, but not one for that method.
 *
 * The spec is read line by line, not by a YAML parser: the "paths:" section
 * as the file writes it, two spaces per level (a path at two, an operation at
 * four).  What that reading cannot follow (a path item that is a $ref, a key
 * at the path level that is not a path) fails the test rather than being
 * skipped, and the reader is checked on a small document first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/http.h"

#define MAX_OPS		 256
#define PATH_MAX_LEN	 128
/* An operation documented as refused (405); no route flag has this bit. */
#define SPEC_NOT_ALLOWED 0x8000u

struct op {
	enum prfaq_method method;
	char path[PATH_MAX_LEN];
	unsigned flags; /* PRFAQ_ROUTE_* as the spec implies them */
	bool seen;	/* matched by the other side */
};

struct spec {
	struct op ops[MAX_OPS];
	size_t n;
};

static const struct {
	const char *name;
	enum prfaq_method method;
} methods[] = {
	{ "get", PRFAQ_GET },	      { "head", PRFAQ_HEAD },
	{ "post", PRFAQ_POST },	      { "put", PRFAQ_PUT },
	{ "patch", PRFAQ_PATCH },     { "delete", PRFAQ_DELETE },
	{ "options", PRFAQ_OPTIONS },
};

#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

static const char *
method_name(enum prfaq_method m)
{
	for (size_t i = 0; i < NMETHODS; i++)
		if (methods[i].method == m)
			return methods[i].name;
	return "?";
}

/* The method whose name is key[0..len), or 0. */
static enum prfaq_method
method_parse(const char *key, size_t len)
{
	for (size_t i = 0; i < NMETHODS; i++)
		if (strlen(methods[i].name) == len &&
		    strncmp(key, methods[i].name, len) == 0)
			return methods[i].method;
	return 0;
}

/* The flags of a route, without the handler (never called here). */
static const struct op routes[] = {
#define ROUTE(method, pattern, handler, flags, ...) \
	{ method, pattern, flags, false },
#include "routes.def"
#undef ROUTE
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/*
 * Read the operations of the "paths:" section of the YAML text into spec.
 * Returns NULL, or what it could not follow (a static message).
 */
static const char *
spec_read(char *text, struct spec *spec)
{
	struct op *op = NULL;
	bool in_paths = false;
	char path[PATH_MAX_LEN] = "";

	spec->n = 0;
	for (char *line = strtok(text, "\n"); line != NULL;
	     line = strtok(NULL, "\n")) {
		size_t indent = strspn(line, " ");
		char *key = line + indent, *colon;

		if (*key == '\0' || *key == '#')
			continue;
		if (!in_paths) {
			in_paths = strcmp(line, "paths:") == 0;
			continue;
		}
		if (indent == 0)
			break; /* the next top-level key */
		if (indent == 2) {
			size_t len;

			if (*key == '\'' || *key == '"')
				key++;
			colon = strrchr(key, ':');
			if (*key != '/' || colon == NULL || colon[1] != '\0')
				return "a key at the path level that is not a path";
			len = (size_t)(colon - key);
			if (len > 0 &&
			    (key[len - 1] == '\'' || key[len - 1] == '"'))
				len--;
			if (len >= sizeof(path))
				return "a path too long for this test";
			memcpy(path, key, len);
			path[len] = '\0';
			op = NULL;
			continue;
		}
		if (indent == 4) {
			enum prfaq_method m;

			op = NULL;
			if (strncmp(key, "$ref:", 5) == 0)
				return "a path item that is a $ref";
			colon = strchr(key, ':');
			m = colon ? method_parse(key, (size_t)(colon - key)) :
				    0;
			if (m == 0)
				continue; /* parameters, summary, ... */
			if (spec->n == MAX_OPS)
				return "more operations than this test holds";
			op = &spec->ops[spec->n++];
			op->method = m;
			snprintf(op->path, sizeof(op->path), "%s", path);
			/* The document's default is bearerAuth. */
			op->flags = PRFAQ_ROUTE_AUTH;
			/* Until its requestBody shows, a POST takes none. */
			if (m == PRFAQ_POST)
				op->flags |= PRFAQ_ROUTE_NO_BODY;
			op->seen = false;
			continue;
		}
		if (op == NULL)
			continue;
		/* Inside an operation. */
		if (indent == 6 && strcmp(key, "security: []") == 0)
			op->flags &= ~(unsigned)PRFAQ_ROUTE_AUTH;
		if (indent == 6 && strcmp(key, "requestBody:") == 0)
			op->flags &= ~(unsigned)PRFAQ_ROUTE_NO_BODY;
		if (indent == 6 &&
		    strcmp(key, "x-prfaq-not-allowed: true") == 0)
			op->flags |= SPEC_NOT_ALLOWED;
		if (strstr(key, "'#/components/parameters/IdempotencyKey'") !=
		    NULL)
			op->flags |= PRFAQ_ROUTE_IDEMPOTENT;
		if (strcmp(key, "application/merge-patch+json:") == 0)
			op->flags |= PRFAQ_ROUTE_MERGE_PATCH;
		/* A request body's media types sit at 10; responses' at 12. */
		if (indent == 10 && strcmp(key, "text/markdown:") == 0)
			op->flags |= PRFAQ_ROUTE_MARKDOWN;
		if (indent == 10 && strcmp(key, "application/x-ndjson:") == 0)
			op->flags |= PRFAQ_ROUTE_NDJSON;
	}
	return NULL;
}

/* Read the file at path into spec; fails the test when it cannot. */
static void
spec_load(const char *path, struct spec *spec)
{
	FILE *f = fopen(path, "r");
	char *text;
	long size;
	const char *why;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	text = malloc((size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	text[size] = '\0';
	fclose(f);
	why = spec_read(text, spec);
	free(text);
	if (why != NULL)
		fail_msg("%s: %s", path, why);
}

/* The index of method and path in ops[0..n) (any method when 0), or n. */
static size_t
find(const struct op *ops, size_t n, enum prfaq_method method, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((method == 0 || ops[i].method == method) &&
		    strcmp(ops[i].path, path) == 0)
			break;
	return i;
}

/* The reader itself, on a document written for it. */
static void
test_reader(void **state)
{
	static struct spec spec;
	char doc[] =
		"openapi: 3.1.0\n"
		"paths:\n"
		"  /a:\n"
		"    parameters:\n"
		"      - $ref: '#/components/parameters/RequestId'\n"
		"    get:\n"
		"      security: []\n"
		"      responses:\n"
		"        '200':\n"
		"          content:\n"
		"            text/markdown:\n"
		"              schema: {type: string}\n"
		"\n"
		"  # a comment\n"
		"  '/b/{id}':\n"
		"    summary: not an operation\n"
		"    post:\n"
		"      parameters:\n"
		"        - $ref: '#/components/parameters/IdempotencyKey'\n"
		"    patch:\n"
		"      requestBody:\n"
		"        content:\n"
		"          application/merge-patch+json:\n"
		"            schema: {type: object}\n"
		"    put:\n"
		"      requestBody:\n"
		"        content:\n"
		"          application/json: {}\n"
		"          text/markdown:\n"
		"            schema: {type: string}\n"
		"    delete:\n"
		"      x-prfaq-not-allowed: true\n"
		"webhooks:\n"
		"  /c:\n"
		"    post: {}\n";
	char bad[] = "paths:\n  /a:\n    $ref: '#/x'\n";
	char bad2[] = "paths:\n  x-internal: true\n";

	assert_null(spec_read(doc, &spec));
	assert_int_equal(spec.n, 5);
	assert_int_equal(spec.ops[0].method, PRFAQ_GET);
	assert_string_equal(spec.ops[0].path, "/a");
	assert_int_equal(spec.ops[0].flags, PRFAQ_ROUTE_PUBLIC);
	assert_int_equal(spec.ops[1].method, PRFAQ_POST);
	assert_string_equal(spec.ops[1].path, "/b/{id}");
	assert_int_equal(spec.ops[1].flags, PRFAQ_ROUTE_AUTH |
						    PRFAQ_ROUTE_IDEMPOTENT |
						    PRFAQ_ROUTE_NO_BODY);
	assert_int_equal(spec.ops[2].method, PRFAQ_PATCH);
	assert_int_equal(spec.ops[2].flags,
			 PRFAQ_ROUTE_AUTH | PRFAQ_ROUTE_MERGE_PATCH);
	assert_int_equal(spec.ops[3].method, PRFAQ_PUT);
	assert_int_equal(spec.ops[3].flags,
			 PRFAQ_ROUTE_AUTH | PRFAQ_ROUTE_MARKDOWN);
	assert_int_equal(spec.ops[4].method, PRFAQ_DELETE);
	assert_int_equal(spec.ops[4].flags,
			 PRFAQ_ROUTE_AUTH | SPEC_NOT_ALLOWED);
	assert_non_null(spec_read(bad, &spec));
	assert_non_null(spec_read(bad2, &spec));
}

/* Every route an operation, every operation a route, with the same flags. */
static void
test_routes_match_openapi(void **state)
{
	static struct spec spec;
	int problems = 0;

	spec_load(PRFAQ_OPENAPI, &spec);
	assert_true(NROUTES > 0);
	for (size_t i = 0; i < NROUTES; i++) {
		const unsigned nobody = PRFAQ_ROUTE_NO_BODY;
		const struct op *r = &routes[i];
		/*
		 * PRFAQ_ROUTE_ANALYST is who may call, which the spec says in
		 * words and with its 403, not in a structure read here.
		 */
		const unsigned rflags = r->flags &
					~(unsigned)PRFAQ_ROUTE_ANALYST;
		size_t k = find(spec.ops, spec.n, r->method, r->path);
		struct op *o = &spec.ops[k];

		if (k == spec.n) {
			print_error("%s %s: a route, but not in openapi.yaml\n",
				    method_name(r->method), r->path);
			problems++;
			continue;
		}
		o->seen = true;
		/*
		 * A route that refuses bodies must document none; a POST that
		 * documents none may still read an optional one it has not
		 * described yet, so that direction is not enforced.
		 */
		if ((o->flags & ~nobody) != (rflags & ~nobody) ||
		    ((rflags & nobody) && !(o->flags & nobody))) {
			print_error("%s %s: flags 0x%x in routes.def, 0x%x in "
				    "openapi.yaml (1 auth, 2 merge-patch, "
				    "4 idempotent, 8 no body, 16 markdown, "
				    "32 ndjson)\n",
				    method_name(r->method), r->path, rflags,
				    o->flags);
			problems++;
		}
	}
	for (size_t i = 0; i < spec.n; i++) {
		const struct op *o = &spec.ops[i];

		if (o->seen)
			continue;
		/* The router answers HEAD for every GET, OPTIONS for any path. */
		if (o->method == PRFAQ_HEAD &&
		    find(routes, NROUTES, PRFAQ_GET, o->path) < NROUTES)
			continue;
		if (o->method == PRFAQ_OPTIONS &&
		    find(routes, NROUTES, 0, o->path) < NROUTES)
			continue;
		/* Refused on purpose: the path is routed, that method is not. */
		if ((o->flags & SPEC_NOT_ALLOWED) &&
		    find(routes, NROUTES, 0, o->path) < NROUTES)
			continue;
		print_error("%s %s: in openapi.yaml, but no route\n",
			    method_name(o->method), o->path);
		problems++;
	}
	assert_int_equal(problems, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_routes_match_openapi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
