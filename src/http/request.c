/*
 * request.c - what a handler may ask of its request: the app, method, id,
 * caller, path parameters, query arguments, headers and body (see
 * include/prfaq/http.h).  Every string returned is borrowed from the
 * request, or from libmicrohttpd's connection, and lives as long as the
 * request does.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"
#include "prfaq/buf.h"
#include "prfaq/config.h"
#include "prfaq/json.h"
#include "prfaq/utf8.h"

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

int64_t
prfaq_req_db_deadline(const struct prfaq_request *req)
{
	int64_t start = (int64_t)req->start.tv_sec * 1000 +
			req->start.tv_nsec / 1000000;

	return start + req->srv->cfg->request_timeout_ms;
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
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   name);
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

bool
prfaq_req_is_markdown(const struct prfaq_request *req)
{
	return req->match.route != NULL &&
	       (req->match.route->flags & PRFAQ_ROUTE_MARKDOWN) &&
	       http_media_type_is(
		       prfaq_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE),
		       "text/markdown");
}

/* Is the media type (before any ";") equal to want, case-insensitively? */
bool
http_media_type_is(const char *value, const char *want)
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
			return prfaq_error_set(err, PRFAQ_ENOMEM,
					       "Out of memory");
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

/* Whether name is one of the space-separated words of list (NULL: none). */
static bool
query_listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (list != NULL && *list != '\0') {
		const char *end = strchr(list, ' ');
		size_t m = end ? (size_t)(end - list) : strlen(list);

		if (m == n && memcmp(list, name, n) == 0)
			return true;
		list = end ? end + 1 : NULL;
	}
	return false;
}

struct query_visit {
	const char *allowed;
	struct prfaq_error *err;
	size_t unknown;
};

/*
 * One query argument (libmicrohttpd's iterator): an unlisted name becomes
 * an {parameter, message} entry.  The name is the client's: at most 100
 * bytes of it are echoed, cut on a character boundary, with every byte
 * that begins no character shown as U+FFFD, so the problem stays JSON.
 */
static enum MHD_Result
query_visit(void *cls, enum MHD_ValueKind kind, const char *key,
	    const char *value)
{
	struct query_visit *v = cls;
	struct prfaq_buf name = PRFAQ_BUF_INIT;
	size_t len, i = 0;

	(void)kind;
	(void)value;
	if (key == NULL || query_listed(v->allowed, key))
		return MHD_YES;
	if (v->unknown++ == 0)
		prfaq_error_set(v->err, PRFAQ_EINVAL,
				"Unknown query parameter: a misspelt filter "
				"would silently widen the answer");
	len = prfaq_utf8_cut(key, strlen(key), 100);
	while (i < len) {
		size_t at = i;

		if (prfaq_utf8_next(key, len, &i) == PRFAQ_UTF8_INVALID)
			prfaq_buf_puts(&name, "\xEF\xBF\xBD");
		else
			prfaq_buf_append(&name, key + at, i - at);
	}
	prfaq_error_add_entry(
		v->err,
		json_pack("{s:s, s:s}", "parameter", name.data ? name.data : "",
			  "message",
			  v->allowed && *v->allowed ?
				  "is not a query parameter of this route "
				  "(see the API's description)" :
				  "is not a query parameter: this route "
				  "takes none"));
	prfaq_buf_free(&name);
	return MHD_YES;
}

/* See http_internal.h. */
bool
request_query_check(struct prfaq_request *req)
{
	struct prfaq_error err;
	struct query_visit v = { req->match.route->query, &err, 0 };

	prfaq_error_init(&err);
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_visit,
				  &v);
	if (v.unknown == 0)
		return true;
	prfaq_reply_error(req, &err);
	prfaq_error_clear(&err);
	return false;
}
