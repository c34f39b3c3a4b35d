/*
 * server.c - the life of a request, told by libmicrohttpd's callbacks (which
 * daemon.c registers).
 *
 * A request is born in request_on_uri(), which keeps its path as the client
 * sent it (libmicrohttpd would hand over a decoded one, in which an encoded
 * NUL or '/' can no longer be told from a real one).  libmicrohttpd then
 * calls request_on_access() once when the headers have arrived, once per
 * chunk of body, and a last time with no data:
 *
 *   headers  request_start() gives the request its id and route, and
 *            request_admit() refuses what can be refused before any
 *            upload, in this order: unknown paths and wrong methods
 *            (admit_route), oversized bodies from Content-Length and wrong
 *            media types (admit_body), missing credentials (auth.c).
 *            Whatever else can be judged from the request line and headers
 *            belongs in request_admit() too.
 *            A route that takes no body refuses one here (400), unread.
 *   chunks   request_body_chunk() accumulates them up to the body limit.
 *   last     request_finish() refuses what only the whole body shows, runs
 *            the handler and queues its reply (reply.c).
 *
 * The connection's deadline for a request's arrival (deadline.c) ends when
 * the whole request, headers and body, is in, and starts again for the next
 * request when the reply is done: a client that trickles its body is cut
 * off like one that trickles its headers.  request_on_completed() logs the
 * request with its path redacted (redact.c), counts it and frees its
 * context.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"
#include "prfaq/alloc.h"
#include "prfaq/config.h"
#include "prfaq/crypto.h"
#include "prfaq/log.h"
#include "prfaq/utf8.h"

static char request_id_prefix[9];
static atomic_uint_fast64_t request_counter;

/*
 * Pick this process's prefix for the request ids it makes up
 * ("<8 hex>-<counter>"), so that ids from two runs are told apart in logs.
 */
void
request_ids_init(void)
{
	uint8_t rnd[4];

	if (prfaq_random_bytes(rnd, sizeof(rnd)) != 0)
		memset(rnd, 0, sizeof(rnd));
	prfaq_hex(rnd, sizeof(rnd), request_id_prefix);
}

/* Free a request and all it owns, its unqueued response too.  NULL-safe. */
static void
request_free(struct prfaq_request *req)
{
	if (req == NULL)
		return;
	if (req->response != NULL)
		MHD_destroy_response(req->response);
	for (size_t i = 0; i < req->nheaders; i++) {
		free(req->headers[i].name);
		free(req->headers[i].value);
	}
	prfaq_buf_free(&req->body);
	free(req->path);
	free(req->split);
	free(req);
}

/*
 * What to do instead, for the methods clients try where the API has another
 * way: the 405's detail names it (the "DELETE is archive" of API.md).  The
 * path is the prefix and one more segment, an id.
 */
static const struct {
	enum prfaq_method method;
	const char *prefix, *before, *after;
} method_hints[] = {
	{ PRFAQ_DELETE, "/v1/prfaqs/",
	  ". A PR/FAQ is never deleted: archive it (POST ", "/archive)" },
	{ PRFAQ_DELETE, "/v1/users/",
	  ". A user is never deleted: deactivate them (PATCH ",
	  " with {\"active\":false})" },
};

/* The hint for req's method and path: before and after its path, or "". */
static void
method_hint(const struct prfaq_request *req, const char **before,
	    const char **after)
{
	*before = *after = "";
	for (size_t i = 0; i < sizeof(method_hints) / sizeof(method_hints[0]);
	     i++) {
		size_t n = strlen(method_hints[i].prefix);

		if (req->method == method_hints[i].method &&
		    strncmp(req->path, method_hints[i].prefix, n) == 0 &&
		    req->path[n] != '\0' &&
		    strchr(req->path + n, '/') == NULL) {
			*before = method_hints[i].before;
			*after = method_hints[i].after;
			return;
		}
	}
}

/*
 * Is there a route for the path and method?  404 for an unknown path, 405
 * with Allow for a known one without the method, and OPTIONS answered here
 * (a CORS preflight, or 204 with Allow).  False after installing a reply.
 */
static bool
admit_route(struct prfaq_request *req)
{
	char allow[96];

	if (!req->matched) {
		prfaq_reply_problem(req, PRFAQ_ENOTFOUND, "No resource at %s",
				    req->path);
		return false;
	}
	if (req->method == PRFAQ_OPTIONS) {
		if (!cors_preflight(req)) {
			router_allow_header(req->match.allow, allow,
					    sizeof(allow));
			prfaq_reply_header(req, "Allow", allow);
			prfaq_reply_empty(req, 204);
		}
		return false;
	}
	if (req->match.route == NULL) {
		const char *before, *after;

		method_hint(req, &before, &after);
		router_allow_header(req->match.allow, allow, sizeof(allow));
		prfaq_reply_header(req, "Allow", allow);
		prfaq_reply_problem(
			req, PRFAQ_EMETHOD,
			"%s is not allowed on %s; allowed: %s%s%s%s",
			req->method_name, req->path, allow, before,
			*before != '\0' ? req->path : "", after);
		return false;
	}
	return true;
}

/*
 * The largest body the request's route takes: an NDJSON import carries
 * up to 10,000 items, so it has a limit of its own.
 */
static size_t
body_limit(const struct prfaq_request *req)
{
	const struct prfaq_config *cfg = req->srv->cfg;

	if (req->match.route != NULL &&
	    (req->match.route->flags & PRFAQ_ROUTE_NDJSON))
		return cfg->import_body_limit;
	return cfg->body_limit;
}

/*
 * A request with a body: 400 at once when its route takes none (GET,
 * DELETE, the action POSTs), so that the body is never read; 413 when its
 * Content-Length is over the limit (a chunked body is measured as it
 * arrives), 415 when it is not the route's media type.  False after
 * installing a reply.
 */
static bool
admit_body(struct prfaq_request *req)
{
	const char *cl, *ct, *want;

	cl = prfaq_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	req->expects_body = (req->method == PRFAQ_POST ||
			     req->method == PRFAQ_PUT ||
			     req->method == PRFAQ_PATCH) &&
			    !(req->match.route->flags & PRFAQ_ROUTE_NO_BODY);
	if (!req->has_body)
		return true;
	if (!req->expects_body) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "%s %s takes no body; send none",
				    req->method_name,
				    req->match.route->pattern);
		return false;
	}
	if (cl != NULL) {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(cl, &end, 10);
		if (errno == 0 && *end == '\0' && v > body_limit(req)) {
			prfaq_reply_problem(
				req, PRFAQ_ETOOLARGE,
				"The body is %llu bytes; the limit is %zu", v,
				body_limit(req));
			return false;
		}
	}
	want = (req->match.route->flags & PRFAQ_ROUTE_MERGE_PATCH) ?
		       "application/merge-patch+json" :
	       (req->match.route->flags & PRFAQ_ROUTE_NDJSON) ?
		       "application/x-ndjson" :
		       "application/json";
	ct = prfaq_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!http_media_type_is(ct, want) && !prfaq_req_is_markdown(req)) {
		prfaq_reply_problem(req, PRFAQ_EMEDIATYPE,
				    "Send the body as %s%s (got %s)", want,
				    (req->match.route->flags &
				     PRFAQ_ROUTE_MARKDOWN) ?
					    " or text/markdown" :
					    "",
				    ct ? ct : "no Content-Type");
		return false;
	}
	return true;
}

/* A header or query argument whose name or value is not UTF-8: stop. */
static enum MHD_Result
value_utf8(void *cls, enum MHD_ValueKind kind, const char *key,
	   const char *value)
{
	bool *bad = cls;

	(void)kind;
	if ((key != NULL && !prfaq_utf8_valid(key, strlen(key))) ||
	    (value != NULL && !prfaq_utf8_valid(value, strlen(value)))) {
		*bad = true;
		return MHD_NO;
	}
	return MHD_YES;
}

/*
 * Invalid UTF-8 anywhere in the request line or headers is 400 (the body
 * is checked by the JSON decoder).  The detail names where, never the
 * bytes.  False after installing a reply.
 */
static bool
admit_utf8(struct prfaq_request *req)
{
	const char *where = NULL;
	bool bad = false;

	if (!prfaq_utf8_valid(req->path, strlen(req->path)))
		where = "path";
	if (where == NULL) {
		MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND,
					  value_utf8, &bad);
		if (bad)
			where = "query";
	}
	if (where == NULL) {
		MHD_get_connection_values(req->conn, MHD_HEADER_KIND,
					  value_utf8, &bad);
		if (bad)
			where = "headers";
	}
	if (where == NULL)
		return true;
	prfaq_reply_problem(req, PRFAQ_EINVAL,
			    "Invalid UTF-8 in the request's %s", where);
	return false;
}

/*
 * The checks that can be made from the headers alone, in the order of the
 * statuses they give (400 for invalid UTF-8, 404/405, 400/413/415, 401,
 * 403 for a route of admins and analysts: its 16 MiB body is never read
 * for anyone else).  Returns false after installing a reply.
 */
static bool
request_admit(struct prfaq_request *req)
{
	const unsigned analysts = PRFAQ_ROLE_ADMIN | PRFAQ_ROLE_ANALYST;
	unsigned flags;

	if (!admit_utf8(req) || !admit_route(req) || !admit_body(req))
		return false;
	flags = req->match.route->flags;
	if ((flags & PRFAQ_ROUTE_AUTH) && !auth_authenticate(req))
		return false;
	if ((flags & PRFAQ_ROUTE_ANALYST) && !(req->caller.roles & analysts)) {
		prfaq_reply_problem(req, PRFAQ_EFORBIDDEN,
				    "%s needs the admin or analyst role",
				    req->path);
		return false;
	}
	return true;
}

/*
 * libmicrohttpd's URI callback, before it decodes the request target: a new
 * request with its path decoded here, segment-safe (see router_path_decode),
 * or kept as sent with split NULL when no resource can have it.  Its return
 * value is the first *con_cls of request_on_access(); NULL (out of memory)
 * makes that call close the connection.
 */
void *
request_on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct prfaq_request *req = prfaq_calloc(1, sizeof(*req));
	size_t n = strcspn(uri, "?");

	req->path = prfaq_strndup(uri, n);
	req->split = prfaq_malloc(n + 1);
	if (router_path_decode(req->path, req->split)) {
		memcpy(req->path, req->split, strlen(req->split) + 1);
	} else {
		free(req->split);
		req->split = NULL;
	}
	return req;
}

/*
 * The first call of request_on_access(): the headers are in.  The request
 * gets its clock, method, id (the client's X-Request-Id when it is safe to
 * log, see redact.c) and route.
 */
static void
request_start(struct prfaq_server *srv, struct prfaq_request *req,
	      struct MHD_Connection *conn, const char *method)
{
	const char *rid;

	clock_gettime(CLOCK_MONOTONIC, &req->start);
	req->srv = srv;
	req->conn = conn;
	req->method = method_parse(method);
	req->method_name = method;
	rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					  "X-Request-Id");
	if (rid != NULL && redact_id_acceptable(rid))
		snprintf(req->request_id, sizeof(req->request_id), "%s", rid);
	else
		snprintf(req->request_id, sizeof(req->request_id), "%s-%llu",
			 request_id_prefix,
			 (unsigned long long)atomic_fetch_add(&request_counter,
							      1));
	{
		const char *cl =
			prfaq_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);

		req->has_body =
			prfaq_req_header(req,
					 MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
			(cl != NULL && strcmp(cl, "0") != 0);
	}
	req->matched =
		req->method != 0 && req->split != NULL &&
		router_match(srv->router, req->method, req->split, &req->match);
}

/*
 * A chunk of n bytes of body.  Kept while it fits the body limit; beyond
 * it the body is dropped and request_finish() refuses the request.  Ignored
 * for a request already refused, or whose method takes no body.  False when
 * out of memory (the connection is closed).
 */
static bool
request_body_chunk(struct prfaq_request *req, const char *data, size_t n)
{
	if (req->body_overflow || req->replied)
		return true;
	if (!req->expects_body)
		return true; /* a GET with a body: ignored */
	if (req->body.len + n > body_limit(req)) {
		/* No Content-Length (chunked): the limit is met mid-way. */
		req->body_overflow = true;
		prfaq_buf_free(&req->body);
		return true;
	}
	return prfaq_buf_append(&req->body, data, n) == 0;
}

/*
 * The last call of request_on_access(): all of the request is in.  Unless
 * it was refused already, the body is judged, the Idempotency-Key claimed
 * and the handler run; then the reply is queued.
 */
static enum MHD_Result
request_finish(struct prfaq_request *req)
{
	if (req->replied)
		; /* refused from the headers alone */
	else if (req->body_overflow)
		prfaq_reply_problem(
			req, PRFAQ_ETOOLARGE,
			"The body is larger than the limit of %zu bytes",
			body_limit(req));
	else if (request_query_check(req) && idem_before(req))
		req->match.route->handler(req);
	return reply_queue(req);
}

/*
 * libmicrohttpd's access handler (see the top of this file).  *con_cls is
 * the request made by request_on_uri(); req->srv is NULL until the first
 * call.
 */
enum MHD_Result
request_on_access(void *cls, struct MHD_Connection *conn, const char *url,
		  const char *method, const char *version,
		  const char *upload_data, size_t *upload_data_size,
		  void **con_cls)
{
	struct prfaq_server *srv = cls;
	struct prfaq_request *req = *con_cls;

	if (req == NULL)
		return MHD_NO; /* request_on_uri() was out of memory */
	if (req->srv == NULL) {
		request_start(srv, req, conn, method);
		/*
		 * A body must arrive within the same deadline as the headers: the
		 * clock stops only when the whole request is in (here, or in
		 * request_finish()).  A request refused with its body still to
		 * come stays on the clock, and is cut off if the client keeps
		 * trickling.
		 */
		if (!req->has_body)
			deadline_request_in(conn);
		__atomic_add_fetch(&srv->inflight, 1, __ATOMIC_RELAXED);
		/*
		 * A refusal is queued at once when a body would follow, so that
		 * it is never uploaded (libmicrohttpd then closes the
		 * connection); without a body it waits for the last call, which
		 * keeps the connection alive.
		 */
		if (!request_admit(req) && req->has_body)
			return reply_queue(req);
		return MHD_YES;
	}
	if (req->queued) {
		/* Replied early: drop whatever body still arrives. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		return request_body_chunk(req, upload_data, n) ? MHD_YES :
								 MHD_NO;
	}
	deadline_request_in(conn);
	return request_finish(req);
}

/*
 * libmicrohttpd's completion callback, also for a request that failed or
 * whose client went away (logged as 499): count it, log it and free it.
 */
void
request_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		     enum MHD_RequestTerminationCode toe)
{
	struct prfaq_server *srv = cls;
	struct prfaq_request *req = *con_cls;
	struct timespec now;
	double seconds;
	char path[512];

	/* The next request on this connection has the timeout for its headers. */
	deadline_replied(conn);
	if (req == NULL)
		return;
	*con_cls = NULL;
	if (req->srv == NULL) {
		/* Never got as far as its headers: nothing to log or count. */
		request_free(req);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	seconds = (double)(now.tv_sec - req->start.tv_sec) +
		  (double)(now.tv_nsec - req->start.tv_nsec) / 1e9;
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !req->queued)
		req->status = 499; /* the client went away first */
	metrics_observe(srv->metrics,
			req->match.route ? req->match.index : srv->nroutes,
			req->status, seconds);
	redact_path(req->path, path, sizeof(path));
	prfaq_log_access(req->request_id, req->method_name,
			 req->match.route ? req->match.route->pattern : NULL,
			 path, req->status, seconds * 1000.0,
			 req->authenticated ? req->caller.user_id : NULL,
			 req->problem);
	request_free(req);
	__atomic_sub_fetch(&srv->inflight, 1, __ATOMIC_RELAXED);
}
