/*
 * http.h - what handlers see of an HTTP request, and how they answer.
 *
 * src/http owns libmicrohttpd.  A handler receives a request whose route,
 * path parameters, caller and (complete) body are known, and answers with
 * exactly one of prfaq_reply_json, _take, _empty, _error or _problem (after
 * any prfaq_reply_header and prfaq_reply_link_next).  Standard headers
 * (X-Request-Id, CORS, Content-Type) are added by the HTTP layer.
 */
#ifndef PRFAQ_HTTP_H
#define PRFAQ_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prfaq/auth.h"
#include "prfaq/error.h"

struct prfaq_request;
struct prfaq_app;

enum prfaq_method {
	PRFAQ_GET = 1u << 0,
	PRFAQ_HEAD = 1u << 1,
	PRFAQ_POST = 1u << 2,
	PRFAQ_PUT = 1u << 3,
	PRFAQ_PATCH = 1u << 4,
	PRFAQ_DELETE = 1u << 5,
	PRFAQ_OPTIONS = 1u << 6,
};

enum prfaq_route_flags {
	PRFAQ_ROUTE_PUBLIC = 0,
	PRFAQ_ROUTE_AUTH = 1u << 0, /* needs a bearer token */
	PRFAQ_ROUTE_MERGE_PATCH =
		1u << 1, /* body is application/merge-patch+json */
	PRFAQ_ROUTE_IDEMPOTENT =
		1u << 2, /* honours Idempotency-Key (creating POSTs) */
	PRFAQ_ROUTE_NO_BODY =
		1u << 3, /* a POST that takes no body: one is refused (400) */
	PRFAQ_ROUTE_MARKDOWN = 1u << 4, /* body may also be text/markdown */
	/* body is application/x-ndjson, up to PRFAQ_IMPORT_BODY_LIMIT bytes */
	PRFAQ_ROUTE_NDJSON = 1u << 5,
	/*
	 * admin or analyst only, decided on the headers (403): a route whose
	 * body may be large refuses everyone else before reading it
	 */
	PRFAQ_ROUTE_ANALYST = 1u << 6,
};

typedef void (*prfaq_handler)(struct prfaq_request *req);

struct prfaq_route {
	enum prfaq_method method;
	const char *pattern; /* "/v1/prfaqs/{id}/versions/{n}" */
	prfaq_handler handler;
	unsigned flags;
	/*
	 * The query parameters it takes, space-separated ("limit cursor");
	 * NULL or "": none.  Any other is refused with 400 before the handler runs,
	 * so a typo (?tags= for ?tag=) never silently widens a filter.
	 */
	const char *query;
};

/* --- the request -------------------------------------------------------- */

struct prfaq_app *prfaq_req_app(struct prfaq_request *req);
enum prfaq_method prfaq_req_method(const struct prfaq_request *req);
const char *prfaq_req_id(const struct prfaq_request *req);
/*
 * When the request's time for the database is up: its start plus
 * PRFAQ_REQUEST_TIMEOUT_MS, for prfaq_db_ctx.deadline_ms.
 */
int64_t prfaq_req_db_deadline(const struct prfaq_request *req);
/* The authenticated caller (routes with PRFAQ_ROUTE_AUTH only). */
const struct prfaq_caller *prfaq_req_caller(const struct prfaq_request *req);
/* A path parameter by name ("id"), or NULL. */
const char *prfaq_req_param(const struct prfaq_request *req, const char *name);
/* A query-string argument (percent-decoded), or NULL. */
const char *prfaq_req_query(const struct prfaq_request *req, const char *name);

/* A request header (case-insensitive), or NULL. */
const char *prfaq_req_header(const struct prfaq_request *req, const char *name);
/* The raw body (NULL and 0 when there was none). */
const char *prfaq_req_body(const struct prfaq_request *req, size_t *len);

/*
 * Is the body text/markdown?  Only ever true on a PRFAQ_ROUTE_MARKDOWN
 * route: elsewhere the HTTP layer refused that media type with 415.
 */
bool prfaq_req_is_markdown(const struct prfaq_request *req);

/*
 * Decode the body as strict JSON (see prfaq_json_parse).  A missing body is
 * PRFAQ_EINVAL ("A JSON body is required") unless optional is true, in which
 * case *out is set to an empty object.  *out is a new reference.
 */
prfaq_code prfaq_req_json(struct prfaq_request *req, bool optional,
			  json_t **out, struct prfaq_error *err);

/*
 * Parse a list's "limit" (1..100, default 20); PRFAQ_EINVAL on a bad value.
 */
prfaq_code prfaq_req_limit(const struct prfaq_request *req, int *limit,
			   struct prfaq_error *err);

/*
 * Content negotiation on Accept: the index of the best of offers[0..n)
 * ("application/json", ...), earlier offers winning ties; 0 when there is no
 * Accept header; -1 when nothing offered is acceptable (406).
 */
int prfaq_req_negotiate(const struct prfaq_request *req,
			const char *const *offers, int n);

/*
 * Parse an entity tag list (If-None-Match) for a version in one
 * representation: true when it contains "*" or "<version><variant>" (weak
 * tags compare equal too).  variant is "" for JSON, ".md" or ".html" for
 * the renderings, so that a cached rendering never validates another.
 */
bool prfaq_etag_matches(const char *header, int version, const char *variant);

/* What a request's If-Match says about the version it was based on. */
enum prfaq_if_match {
	PRFAQ_IF_MATCH_ABSENT,	/* no If-Match header */
	PRFAQ_IF_MATCH_ANY,	/* "*" */
	PRFAQ_IF_MATCH_VERSION, /* one strong tag "<n>", n >= 1 */
	/*
	 * Entity tags, but not one strong "<n>": a weak tag, an opaque one, a
	 * list.  No version's ETag can match it.
	 */
	PRFAQ_IF_MATCH_OTHER,
	/* Not entity-tag syntax: unquoted (If-Match: 2), empty, garbage. */
	PRFAQ_IF_MATCH_MALFORMED,
};

/*
 * Classify the request's If-Match.  *version is set to n for
 * PRFAQ_IF_MATCH_VERSION and left untouched otherwise.
 */
enum prfaq_if_match prfaq_req_if_match(const struct prfaq_request *req,
				       int *version);

/* --- the reply ---------------------------------------------------------- */

/* Add a header to the coming reply (copied). */
void prfaq_reply_header(struct prfaq_request *req, const char *name,
			const char *value);

/* JSON reply; steals the reference to body. */
void prfaq_reply_json(struct prfaq_request *req, int status, json_t *body);

/*
 * A body the caller already has as bytes (e.g. JSON produced by PostgreSQL);
 * takes ownership of data (malloc'd).
 */
void prfaq_reply_take(struct prfaq_request *req, int status,
		      const char *content_type, char *data, size_t len);

/*
 * Add Link: <path?...&cursor=CURSOR>; rel="next", keeping the request's other
 * query arguments.
 */
void prfaq_reply_link_next(struct prfaq_request *req, const char *cursor);

/* A reply with no body (204, 304). */
void prfaq_reply_empty(struct prfaq_request *req, int status);

/* application/problem+json from err (code, detail, errors, extra). */
void prfaq_reply_error(struct prfaq_request *req,
		       const struct prfaq_error *err);

/* Shorthand: a problem with just a code and a detail. */
void prfaq_reply_problem(struct prfaq_request *req, prfaq_code code,
			 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- the server --------------------------------------------------------- */

struct prfaq_server;
struct prfaq_config;

/*
 * Start listening with the route table (static storage) and app (borrowed
 * for the server's life).  NULL with a message on stderr when it cannot.
 */
struct prfaq_server *prfaq_server_start(const struct prfaq_config *cfg,
					const struct prfaq_route *routes,
					size_t nroutes, struct prfaq_app *app);

/*
 * Start draining: /readyz answers 503 from now on, so that a load balancer
 * stops sending new requests, while everything else is still served (the
 * requests it already sent, and those until its next health check).
 */
void prfaq_server_drain(struct prfaq_server *srv);
bool prfaq_server_draining(const struct prfaq_server *srv);

/*
 * Stop accepting, let requests in flight finish (at most timeout_s), then
 * close every connection and free the server.
 */
void prfaq_server_stop(struct prfaq_server *srv, unsigned timeout_s);

/* Prometheus text for the HTTP metrics (appended to out). */
struct prfaq_buf;
int prfaq_server_metrics(struct prfaq_server *srv, struct prfaq_buf *out);

/*
 * Counters of the voice of the customer, process-wide, rendered with the
 * HTTP metrics as prfaqd_evidence_*_total.  Counted after the write
 * committed; relaxed atomics, no lock.
 */
enum prfaq_evidence_counter {
	PRFAQ_EVIDENCE_CREATED,		 /* POST /v1/evidence */
	PRFAQ_EVIDENCE_IMPORT_CREATED,	 /* import lines that made an item */
	PRFAQ_EVIDENCE_IMPORT_UPDATED,	 /* ... that changed one */
	PRFAQ_EVIDENCE_IMPORT_UNCHANGED, /* ... that found it as sent */
	PRFAQ_EVIDENCE_IMPORTS,		 /* imports written */
	PRFAQ_EVIDENCE_IMPORTS_REJECTED, /* imports refused for a bad line */
	PRFAQ_EVIDENCE_LINKED,		 /* links made */
	PRFAQ_EVIDENCE_UNLINKED,	 /* links removed */
	PRFAQ_EVIDENCE_COUNTERS_
};
void prfaq_metrics_evidence(enum prfaq_evidence_counter c, unsigned long n);

#endif
