/*
 * reply.c - how a handler answers (see include/prfaq/http.h), and how the
 * answer is queued on the connection with the standard headers.
 *
 * A reply is built into the request (status, a libmicrohttpd response,
 * extra headers) and queued once, by reply_queue(), when the request's life
 * in server.c says so: the first reply installed wins, later ones are logged
 * and dropped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "prfaq/alloc.h"
#include "prfaq/log.h"
#include "prfaq/utf8.h"

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
	h->name = prfaq_strdup(name);
	h->value = prfaq_strdup(value);
	req->nheaders++;
}

/*
 * Install resp (taken; NULL after an allocation failed: an empty 500) as the
 * reply.  The first reply wins: a second one is logged and destroyed.
 */
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

	resp = MHD_create_response_from_buffer(len, data,
					       MHD_RESPMEM_MUST_FREE);
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
		  MHD_create_response_from_buffer(0, NULL,
						  MHD_RESPMEM_PERSISTENT),
		  NULL);
}

/*
 * Copy s into out (cap bytes, NUL-terminated) as valid UTF-8: a byte that
 * begins no well-formed character becomes U+FFFD, and the copy ends before
 * a character that would not fit whole.  A detail may quote request bytes
 * (a path, a Content-Type) or have been cut mid-character by snprintf, and
 * json_pack refuses invalid UTF-8: the reply would be an empty 500.
 */
static void
utf8_scrub(const char *s, char *out, size_t cap)
{
	static const char fffd[] = "\xEF\xBF\xBD";
	size_t len = strlen(s), n = 0;

	for (size_t i = 0; i < len;) {
		size_t k = prfaq_utf8_seq(s + i, len - i);
		const char *src = s + i;

		if (k == 0) {
			src = fffd;
			k = 3;
			i++;
		} else {
			i += k;
		}
		if (n + k >= cap)
			break;
		memcpy(out + n, src, k);
		n += k;
	}
	out[n] = '\0';
}

void
prfaq_reply_error(struct prfaq_request *req, const struct prfaq_error *err)
{
	prfaq_code code = err->code == PRFAQ_OK ? PRFAQ_EINTERNAL : err->code;
	int status = prfaq_code_status(code);
	char type[96], detail[PRFAQ_ERROR_DETAIL_MAX];
	json_t *body;
	char *text;

	utf8_scrub(err->detail, detail, sizeof(detail));
	snprintf(type, sizeof(type), "urn:prfaqd:problem:%s",
		 prfaq_code_slug(code));
	body = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title",
			 prfaq_code_title(code), "status", status, "detail",
			 detail[0] ? detail : prfaq_code_title(code));
	if (body != NULL && err->errors != NULL)
		json_object_set(body, "errors", err->errors);
	if (body != NULL && err->truncated)
		json_object_set_new(body, "truncated", json_true());
	if (body != NULL && err->extra != NULL)
		json_object_update_missing(body, err->extra);
	if (status >= 500)
		log_warn(req->request_id, "%d: %s", status, detail);
	if (code == PRFAQ_EUNAVAILABLE)
		prfaq_reply_header(req, "Retry-After", "1");
	text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (text == NULL) {
		reply_set(req, 500, NULL, NULL);
		return;
	}
	if (!req->replied) /* the first reply wins: so does its type */
		req->problem = prfaq_code_slug(code);
	prfaq_reply_take(req, status, "application/problem+json", text,
			 strlen(text));
}

void
prfaq_reply_problem(struct prfaq_request *req, prfaq_code code, const char *fmt,
		    ...)
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

/* What link_arg() appends to, and whether any append failed. */
struct link_ctx {
	struct prfaq_buf *b;
	int rc;
};

/*
 * Append s to b percent-encoded (RFC 3986 unreserved characters kept, and
 * '/' when keep_slash); a failed append sets *rc nonzero.
 */
static void
url_encode(struct prfaq_buf *b, const char *s, bool keep_slash, int *rc)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || (keep_slash && c == '/')) {
			*rc |= prfaq_buf_putc(b, (char)c);
		} else {
			char enc[3] = { '%', hex[c >> 4], hex[c & 15] };

			*rc |= prfaq_buf_append(b, enc, 3);
		}
	}
}

/* One query argument, except the old cursor, copied into the Link. */
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
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, link_arg,
				  &ctx);
	if (b.data[b.len - 1] != '?')
		ctx.rc |= prfaq_buf_putc(&b, '&');
	ctx.rc |= prfaq_buf_puts(&b, "cursor=");
	url_encode(&b, cursor, false, &ctx.rc);
	ctx.rc |= prfaq_buf_puts(&b, ">; rel=\"next\"");
	if (ctx.rc == 0)
		prfaq_reply_header(req, "Link", b.data);
	prfaq_buf_free(&b);
}

/*
 * Queue the request's reply with the standard headers (X-Request-Id, the
 * handler's headers, CORS), after idempotency.c has seen it.  Once per
 * request; a handler that installed no reply gets a 500.  MHD_NO (close the
 * connection) when there is no response at all: out of memory.
 */
enum MHD_Result
reply_queue(struct prfaq_request *req)
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
	ret = MHD_queue_response(req->conn, (unsigned)req->status,
				 req->response);
	MHD_destroy_response(req->response);
	req->response = NULL;
	req->queued = true;
	return ret;
}
