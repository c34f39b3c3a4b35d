/*
 * request.c - what a handler may ask of its request: the app, method, id,
 * caller, path parameters, query arguments, headers and body (see
 * include/prfaq/http.h).  Every string returned is borrowed from the
 * request, or from libmicrohttpd's connection, and lives as long as the
 * request does.
 */
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "prfaq/json.h"

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
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

struct unknown_arg {
	const char *const *known;
	const char *found;
};

static enum MHD_Result
unknown_arg_cb(void *cls, enum MHD_ValueKind kind, const char *key,
	       const char *value)
{
	struct unknown_arg *u = cls;

	(void)kind;
	(void)value;
	for (const char *const *k = u->known; *k != NULL; k++)
		if (strcmp(key, *k) == 0)
			return MHD_YES;
	u->found = key;
	return MHD_NO;
}

const char *
prfaq_req_query_unknown(const struct prfaq_request *req,
			const char *const *known)
{
	struct unknown_arg u = { known, NULL };

	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND,
				  unknown_arg_cb, &u);
	return u.found;
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
