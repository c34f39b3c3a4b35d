/*
 * server.c - the libmicrohttpd daemon and the life of a request.
 *
 * A request is born in on_uri(), which keeps its path as the client sent it
 * (libmicrohttpd would hand over a decoded one, in which an encoded NUL or
 * '/' can no longer be told from a real one).  libmicrohttpd then calls
 * on_request() once when the headers have arrived, once per chunk of body,
 * and a last time with no data.  The first call routes the
 * request and refuses what can be refused before any upload: unknown paths,
 * wrong methods, oversized bodies (from Content-Length), wrong media types and
 * missing credentials.  The chunks are accumulated up to the body limit.  The
 * last call runs the handler and queues its reply.  on_completed() logs the
 * request, counts it and frees its context.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_internal.h"
#include "prfaq/config.h"
#include "prfaq/crypto.h"
#include "prfaq/json.h"
#include "prfaq/log.h"

static char request_id_prefix[9];
static atomic_uint_fast64_t request_counter;

/* --- accessors for handlers -------------------------------------------- */

struct prfaq_app *
prfaq_req_app(struct prfaq_request *req)
{
	return req->srv->app;
}

enum prfaq_method
prfaq_req_method(const struct prfaq_request *req)
{
	return req->method;
}

const char *
prfaq_req_id(const struct prfaq_request *req)
{
	return req->request_id;
}

const struct prfaq_caller *
prfaq_req_caller(const struct prfaq_request *req)
{
	return req->authenticated ? &req->caller : NULL;
}

const char *
prfaq_req_param(const struct prfaq_request *req, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < req->match.nparams; i++)
		if (req->match.param_name_lens[i] == len &&
		    memcmp(req->match.param_names[i], name, len) == 0)
			return req->match.param_values[i];
	return NULL;
}

const char *
prfaq_req_query(const struct prfaq_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
prfaq_req_header(const struct prfaq_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
prfaq_req_body(const struct prfaq_request *req, size_t *len)
{
	*len = req->body.len;
	return req->body.data;
}

prfaq_code
prfaq_req_json(struct prfaq_request *req, bool optional, json_t **out,
	       struct prfaq_error *err)
{
	json_t *obj;

	if (req->body.len == 0) {
		if (!optional)
			return prfaq_error_set(err, PRFAQ_EINVAL,
					       "A JSON body is required");
		if ((obj = json_object()) == NULL)
			return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
		*out = obj;
		return PRFAQ_OK;
	}
	return prfaq_json_parse(req->body.data, req->body.len, out, err);
}

prfaq_code
prfaq_req_limit(const struct prfaq_request *req, int *limit,
		struct prfaq_error *err)
{
	const char *s = prfaq_req_query(req, "limit");
	long v = 0;

	if (s == NULL) {
		*limit = 20;
		return PRFAQ_OK;
	}
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > 1000)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (*s == '\0' || v < 1 || v > 100)
		goto bad;
	*limit = (int)v;
	return PRFAQ_OK;
bad:
	return prfaq_error_set(err, PRFAQ_EINVAL,
			       "limit must be a whole number from 1 to 100");
}

/* --- replies ------------------------------------------------------------ */

void
prfaq_reply_header(struct prfaq_request *req, const char *name,
		   const char *value)
{
	struct header *h;

	if (req->nheaders == REQUEST_MAX_HEADERS) {
		log_error(req->request_id, "too many reply headers; dropped %s",
			  name);
		return;
	}
	h = &req->headers[req->nheaders];
	h->name = strdup(name);
	h->value = strdup(value);
	if (h->name == NULL || h->value == NULL) {
		free(h->name);
		free(h->value);
		return;
	}
	req->nheaders++;
}

/* Install resp as the reply (replacing nothing: the first reply wins). */
static void
reply_set(struct prfaq_request *req, int status, struct MHD_Response *resp,
	  const char *content_type)
{
	if (req->replied) {
		log_error(req->request_id, "second reply (%d) ignored", status);
		if (resp != NULL)
			MHD_destroy_response(resp);
		return;
	}
	if (resp == NULL) {
		/* Out of memory: an empty 500 is the best that can be done. */
		resp = MHD_create_response_from_buffer(0, NULL,
						       MHD_RESPMEM_PERSISTENT);
		status = 500;
		content_type = NULL;
		if (resp == NULL)
			return;
	}
	if (content_type != NULL) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					content_type);
		snprintf(req->reply_type, sizeof(req->reply_type), "%s",
			 content_type);
	}
	req->replied = true;
	req->status = status;
	req->response = resp;
}

void
prfaq_reply_take(struct prfaq_request *req, int status,
		 const char *content_type, char *data, size_t len)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL)
		free(data);
	else if (!req->replied) {
		/* Kept for an idempotent request's record (see idempotency.c). */
		req->reply_data = data;
		req->reply_len = len;
	}
	reply_set(req, status, resp, content_type);
}

void
prfaq_reply_json(struct prfaq_request *req, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (text == NULL) {
		reply_set(req, 500, NULL, NULL);
		return;
	}
	prfaq_reply_take(req, status, "application/json", text, strlen(text));
}

void
prfaq_reply_empty(struct prfaq_request *req, int status)
{
	reply_set(req, status,
		  MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT),
		  NULL);
}

void
prfaq_reply_error(struct prfaq_request *req, const struct prfaq_error *err)
{
	prfaq_code code = err->code == PRFAQ_OK ? PRFAQ_EINTERNAL : err->code;
	int status = prfaq_code_status(code);
	char type[96];
	json_t *body;
	char *text;

	snprintf(type, sizeof(type), "urn:prfaqd:problem:%s",
		 prfaq_code_slug(code));
	body = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title",
			 prfaq_code_title(code), "status", status, "detail",
			 err->detail[0] ? err->detail : prfaq_code_title(code));
	if (body != NULL && err->errors != NULL)
		json_object_set(body, "errors", err->errors);
	if (body != NULL && err->truncated)
		json_object_set_new(body, "truncated", json_true());
	if (body != NULL && err->extra != NULL)
		json_object_update_missing(body, err->extra);
	if (status >= 500)
		log_warn(req->request_id, "%d: %s", status, err->detail);
	if (code == PRFAQ_EUNAVAILABLE)
		prfaq_reply_header(req, "Retry-After", "1");
	text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (text == NULL) {
		reply_set(req, 500, NULL, NULL);
		return;
	}
	if (!req->replied)	/* the first reply wins: so does its type */
		req->problem = prfaq_code_slug(code);
	prfaq_reply_take(req, status, "application/problem+json", text,
			 strlen(text));
}

void
prfaq_reply_problem(struct prfaq_request *req, prfaq_code code,
		    const char *fmt, ...)
{
	struct prfaq_error err;
	va_list ap;

	prfaq_error_init(&err);
	err.code = code;
	va_start(ap, fmt);
	vsnprintf(err.detail, sizeof(err.detail), fmt, ap);
	va_end(ap);
	prfaq_reply_error(req, &err);
}

struct link_ctx {
	struct prfaq_buf *b;
	int rc;
};

static void
url_encode(struct prfaq_buf *b, const char *s, bool keep_slash, int *rc)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
		    c == '~' || (keep_slash && c == '/')) {
			*rc |= prfaq_buf_putc(b, (char)c);
		} else {
			char enc[3] = { '%', hex[c >> 4], hex[c & 15] };

			*rc |= prfaq_buf_append(b, enc, 3);
		}
	}
}

static enum MHD_Result
link_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct link_ctx *ctx = cls;

	if (strcmp(key, "cursor") == 0)
		return MHD_YES;
	if (ctx->b->data[ctx->b->len - 1] != '?')
		ctx->rc |= prfaq_buf_putc(ctx->b, '&');
	url_encode(ctx->b, key, false, &ctx->rc);
	if (value != NULL) {
		ctx->rc |= prfaq_buf_putc(ctx->b, '=');
		url_encode(ctx->b, value, false, &ctx->rc);
	}
	return MHD_YES;
}

void
prfaq_reply_link_next(struct prfaq_request *req, const char *cursor)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	struct link_ctx ctx = { &b, 0 };

	ctx.rc |= prfaq_buf_putc(&b, '<');
	url_encode(&b, req->path, true, &ctx.rc);
	ctx.rc |= prfaq_buf_putc(&b, '?');
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, link_arg, &ctx);
	if (b.data[b.len - 1] != '?')
		ctx.rc |= prfaq_buf_putc(&b, '&');
	ctx.rc |= prfaq_buf_puts(&b, "cursor=");
	url_encode(&b, cursor, false, &ctx.rc);
	ctx.rc |= prfaq_buf_puts(&b, ">; rel=\"next\"");
	if (ctx.rc == 0)
		prfaq_reply_header(req, "Link", b.data);
	prfaq_buf_free(&b);
}

/* Queue the reply with the standard headers.  Once per request. */
static enum MHD_Result
request_queue(struct prfaq_request *req)
{
	enum MHD_Result ret;

	if (!req->replied)
		prfaq_reply_problem(req, PRFAQ_EINTERNAL,
				    "The handler produced no reply");
	if (req->response == NULL)
		return MHD_NO;
	idem_after(req);
	MHD_add_response_header(req->response, "X-Request-Id", req->request_id);
	for (size_t i = 0; i < req->nheaders; i++)
		MHD_add_response_header(req->response, req->headers[i].name,
					req->headers[i].value);
	cors_apply(req, req->response);
	ret = MHD_queue_response(req->conn, (unsigned)req->status, req->response);
	MHD_destroy_response(req->response);
	req->response = NULL;
	req->queued = true;
	return ret;
}

/* --- the request's life ------------------------------------------------ */

static bool token_char(char c);

/*
 * It is logged and echoed: never take one that holds a token, by its prefix
 * or by a run of base64url as long as a token's secret (see redact_path).
 */
#define LONG_RUN 40

static bool
request_id_valid(const char *s)
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

/* Is the media type (before any ";") equal to want, case-insensitively? */
static bool
media_type_is(const char *value, const char *want)
{
	size_t n = strlen(want);

	if (value == NULL)
		return false;
	while (*value == ' ' || *value == '\t')
		value++;
	if (strncasecmp(value, want, n) != 0)
		return false;
	value += n;
	while (*value == ' ' || *value == '\t')
		value++;
	return *value == '\0' || *value == ';';
}

/*
 * The checks that can be made from the headers alone.  Returns false after
 * installing a reply.
 */
static bool
request_admit(struct prfaq_request *req)
{
	struct prfaq_server *srv = req->srv;
	const char *cl, *ct, *want;
	bool has_body;

	if (!req->matched) {
		prfaq_reply_problem(req, PRFAQ_ENOTFOUND, "No resource at %s",
				    req->path);
		return false;
	}
	if (req->method == PRFAQ_OPTIONS) {
		char allow[96];

		if (!cors_preflight(req)) {
			router_allow_header(req->match.allow, allow, sizeof(allow));
			prfaq_reply_header(req, "Allow", allow);
			prfaq_reply_empty(req, 204);
		}
		return false;
	}
	if (req->match.route == NULL) {
		char allow[96];

		router_allow_header(req->match.allow, allow, sizeof(allow));
		prfaq_reply_header(req, "Allow", allow);
		prfaq_reply_problem(req, PRFAQ_EMETHOD,
				    "%s is not allowed on %s; allowed: %s",
				    req->method_name, req->path, allow);
		return false;
	}

	cl = prfaq_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	has_body = req->has_body;
	req->expects_body = req->method == PRFAQ_POST || req->method == PRFAQ_PUT ||
			    req->method == PRFAQ_PATCH;
	if (has_body && req->expects_body) {
		if (cl != NULL) {
			char *end;
			unsigned long long v;

			errno = 0;
			v = strtoull(cl, &end, 10);
			if (errno == 0 && *end == '\0' && v > srv->cfg->body_limit) {
				prfaq_reply_problem(req, PRFAQ_ETOOLARGE,
						    "The body is %llu bytes; the limit is %zu",
						    v, srv->cfg->body_limit);
				return false;
			}
		}
		want = (req->match.route->flags & PRFAQ_ROUTE_MERGE_PATCH) ?
			       "application/merge-patch+json" : "application/json";
		ct = prfaq_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!media_type_is(ct, want)) {
			prfaq_reply_problem(req, PRFAQ_EMEDIATYPE,
					    "Send the body as %s (got %s)", want,
					    ct ? ct : "no Content-Type");
			return false;
		}
	}
	if ((req->match.route->flags & PRFAQ_ROUTE_AUTH) &&
	    !auth_authenticate(req))
		return false;
	return true;
}

/*
 * libmicrohttpd's URI callback, before it decodes the request target: a new
 * request with its path decoded here, segment-safe (see router_path_decode),
 * or kept as sent with split NULL when no resource can have it.  Its return
 * value is the first *con_cls of on_request(); NULL (out of memory) makes
 * that call close the connection.
 */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct prfaq_request *req = calloc(1, sizeof(*req));
	size_t n = strcspn(uri, "?");

	if (req == NULL)
		return NULL;
	req->path = strndup(uri, n);
	req->split = malloc(n + 1);
	if (req->path == NULL || req->split == NULL) {
		request_free(req);
		return NULL;
	}
	if (router_path_decode(req->path, req->split)) {
		memcpy(req->path, req->split, strlen(req->split) + 1);
	} else {
		free(req->split);
		req->split = NULL;
	}
	return req;
}

/* The first call of on_request(): the headers are in. */
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
	rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
	if (rid != NULL && request_id_valid(rid))
		snprintf(req->request_id, sizeof(req->request_id), "%s", rid);
	else
		snprintf(req->request_id, sizeof(req->request_id), "%s-%llu",
			 request_id_prefix,
			 (unsigned long long)atomic_fetch_add(&request_counter, 1));
	{
		const char *cl = prfaq_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);

		req->has_body = prfaq_req_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
				(cl != NULL && strcmp(cl, "0") != 0);
	}
	req->matched = req->method != 0 && req->split != NULL &&
		       router_match(srv->router, req->method, req->split,
				    &req->match);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_data_size, void **con_cls)
{
	struct prfaq_server *srv = cls;
	struct prfaq_request *req = *con_cls;

	if (req == NULL)
		return MHD_NO;	/* on_uri() was out of memory */
	if (req->srv == NULL) {
		deadline_headers_in(conn);
		request_start(srv, req, conn, method);
		__atomic_add_fetch(&srv->inflight, 1, __ATOMIC_RELAXED);
		/*
		 * A refusal is queued at once when a body would follow, so that
		 * it is never uploaded (libmicrohttpd then closes the
		 * connection); without a body it waits for the last call, which
		 * keeps the connection alive.
		 */
		if (!request_admit(req) && req->has_body)
			return request_queue(req);
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
		if (req->body_overflow || req->replied)
			return MHD_YES;
		if (!req->expects_body)
			return MHD_YES;	/* a GET with a body: ignored */
		if (req->body.len + n > srv->cfg->body_limit) {
			/* No Content-Length (chunked): the limit is met mid-way. */
			req->body_overflow = true;
			prfaq_buf_free(&req->body);
			return MHD_YES;
		}
		if (prfaq_buf_append(&req->body, upload_data, n) != 0)
			return MHD_NO;
		return MHD_YES;
	}
	if (req->replied)
		;	/* refused from the headers alone */
	else if (req->body_overflow)
		prfaq_reply_problem(req, PRFAQ_ETOOLARGE,
				    "The body is larger than the limit of %zu bytes",
				    srv->cfg->body_limit);
	else if (idem_before(req))
		req->match.route->handler(req);
	return request_queue(req);
}

static bool
token_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * Replace whatever looks like a token, wherever it starts (a client may glue
 * one to other text: "/v1/token=prfaq_..."), so none reaches the log.  A
 * token's secret part is 43 base64url characters: a run of LONG_RUN or more
 * is taken for one even without its prefix (or with the prefix
 * percent-encoded, in a path kept as sent).  Ids (36) stay readable.
 */

static void
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
		hit = run >= LONG_RUN ? p : memmem(p, run, PRFAQ_TOKEN_PREFIX, plen);
		keep = hit != NULL ? (size_t)(hit - p) : run;
		for (size_t i = 0; i < keep && o + 1 < cap; i++)
			out[o++] = p[i];
		if (hit != NULL)
			for (const char *r = "[redacted]"; *r != '\0' && o + 1 < cap; r++)
				out[o++] = *r;
		p += run;
	}
	out[o] = '\0';
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
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
		req->status = 499;	/* the client went away first */
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

/* libmicrohttpd's messages, as JSON log lines. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_warn(NULL, "libmicrohttpd: %s", msg);
}

static char **
split_origins(const char *list)
{
	size_t n = 1, k = 0;
	char **out;

	for (const char *p = list; *p != '\0'; p++)
		if (*p == ',')
			n++;
	out = calloc(n + 1, sizeof(*out));
	if (out == NULL)
		return NULL;
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
		if (len > 0 && (out[k] = strndup(p, len)) != NULL)
			k++;
		p = *end ? end + 1 : end;
	}
	return out;
}

static void
free_origins(char **origins)
{
	if (origins == NULL)
		return;
	for (char **o = origins; *o != NULL; o++)
		free(*o);
	free(origins);
}

struct prfaq_server *
prfaq_server_start(const struct prfaq_config *cfg,
		   const struct prfaq_route *routes, size_t nroutes,
		   struct prfaq_app *app)
{
	struct prfaq_server *srv;
	struct sockaddr_storage addr;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			 MHD_USE_ITC;
	unsigned threads = cfg->threads;
	uint8_t rnd[4];

	memset(&addr, 0, sizeof(addr));
	if (inet_pton(AF_INET, cfg->bind,
		      &((struct sockaddr_in *)&addr)->sin_addr) == 1) {
		((struct sockaddr_in *)&addr)->sin_family = AF_INET;
		((struct sockaddr_in *)&addr)->sin_port = htons((uint16_t)cfg->port);
	} else if (inet_pton(AF_INET6, cfg->bind,
			     &((struct sockaddr_in6 *)&addr)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)&addr)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&addr)->sin6_port = htons((uint16_t)cfg->port);
		flags |= MHD_USE_IPv6;
	} else {
		log_error(NULL, "PRFAQ_BIND=\"%s\" is not an IPv4 or IPv6 address",
			  cfg->bind);
		return NULL;
	}
	if (threads == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cores > 0 ? (unsigned)cores : 1;
	}
	if (prfaq_random_bytes(rnd, sizeof(rnd)) != 0)
		memset(rnd, 0, sizeof(rnd));
	prfaq_hex(rnd, sizeof(rnd), request_id_prefix);

	srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		return NULL;
	srv->cfg = cfg;
	srv->app = app;
	srv->routes = routes;
	srv->nroutes = nroutes;
	srv->router = router_new(routes, nroutes);
	srv->metrics = metrics_new(routes, nroutes);
	srv->cors_origins = split_origins(cfg->cors_origins);
	srv->deadline = deadline_new(cfg->conn_timeout_s);
	if (srv->router == NULL || srv->metrics == NULL ||
	    srv->cors_origins == NULL || srv->deadline == NULL)
		goto fail;

	srv->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL,
		&on_request, srv,
		/* First, so that even warnings about later options are JSON. */
		MHD_OPTION_EXTERNAL_LOGGER, &on_mhd_log, srv,
		MHD_OPTION_URI_LOG_CALLBACK, &on_uri, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, cfg->conn_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_conn_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory_limit,
		MHD_OPTION_NOTIFY_COMPLETED, &on_completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, &deadline_on_connection, srv->deadline,
		MHD_OPTION_END);
	if (srv->daemon == NULL) {
		log_error(NULL, "cannot listen on %s:%u (%s)", cfg->bind, cfg->port,
			  strerror(errno));
		goto fail;
	}
	log_info(NULL, "listening on %s:%u with %u threads", cfg->bind, cfg->port,
		 threads);
	return srv;
fail:
	router_free(srv->router);
	metrics_free(srv->metrics);
	free_origins(srv->cors_origins);
	deadline_free(srv->deadline);
	free(srv);
	return NULL;
}

void
prfaq_server_stop(struct prfaq_server *srv, unsigned timeout_s)
{
	struct timespec start, now;
	MHD_socket fd;

	if (srv == NULL)
		return;
	/* Stop accepting; connections already open carry on. */
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (__atomic_load_n(&srv->inflight, __ATOMIC_RELAXED) > 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)timeout_s) {
			log_warn(NULL, "shutdown: %d requests still in flight after %us",
				 __atomic_load_n(&srv->inflight, __ATOMIC_RELAXED),
				 timeout_s);
			break;
		}
		usleep(10000);
	}
	MHD_stop_daemon(srv->daemon);
	deadline_free(srv->deadline);
	router_free(srv->router);
	metrics_free(srv->metrics);
	free_origins(srv->cors_origins);
	free(srv);
}

int
prfaq_server_metrics(struct prfaq_server *srv, struct prfaq_buf *out)
{
	return metrics_render(srv->metrics, out);
}
