/*
 * versions.c - /v1/prfaqs/{id}/versions, one version, diff, events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "prfaq/content.h"

static prfaq_code
versions_page(struct prfaq_request *req, const void *id,
	      const struct prfaq_page_req *page, struct prfaq_page *out,
	      struct prfaq_error *err)
{
	return prfaq_store_versions_list(api_db(req), id, page, out, err);
}

void
api_versions_list(struct prfaq_request *req)
{
	const char *id = api_param_uuid(req, "id", "PR/FAQ");

	if (id != NULL)
		api_list(req, versions_page, id);
}

void
api_versions_get(struct prfaq_request *req)
{
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	const char *id;
	enum api_doc_kind kind;
	int n;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL ||
	    (n = api_param_number(req, "n", "version")) < 0)
		return;
	if (!api_negotiate_document(req, &kind))
		return;
	if (prfaq_store_version_get(api_db(req), id, n, &t, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	/* Versions never change: their ETag is their number, forever. */
	if (api_etag(req, n, kind)) {
		prfaq_text_free(&t);
		prfaq_reply_empty(req, 304);
		return;
	}
	api_reply_document(req, 200, kind, &t);
}

/* A required positive integer query argument. */
static int
query_number(struct prfaq_request *req, const char *name)
{
	const char *v = prfaq_req_query(req, name);
	long n = 0;

	if (v == NULL || *v == '\0' || *v == '0')
		return -1;
	for (const char *p = v; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || n > 100000000)
			return -1;
		n = n * 10 + (*p - '0');
	}
	return (int)n;
}

void
api_prfaqs_diff(struct prfaq_request *req)
{
	struct prfaq_error err;
	json_t *a = NULL, *b = NULL, *changes;
	const char *id;
	int from, to;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	from = query_number(req, "from");
	to = query_number(req, "to");
	if (from < 0 || to < 0) {
		prfaq_reply_problem(
			req, PRFAQ_EINVAL,
			"from and to must both be version numbers (1, 2, ...)");
		return;
	}
	if (prfaq_store_versions_pair(api_db(req), id, from, to, &a, &b,
				      &err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	changes = prfaq_diff(a, b);
	json_decref(a);
	json_decref(b);
	if (changes == NULL) {
		prfaq_reply_problem(req, PRFAQ_ENOMEM, "Out of memory");
		return;
	}
	prfaq_reply_json(req, 200,
			 json_pack("{s:i, s:i, s:o}", "from", from, "to", to,
				   "changes", changes));
}

static prfaq_code
events_page(struct prfaq_request *req, const void *id,
	    const struct prfaq_page_req *page, struct prfaq_page *out,
	    struct prfaq_error *err)
{
	return prfaq_store_events_list(api_db(req), id, page, out, err);
}

void
api_events_list(struct prfaq_request *req)
{
	const char *id = api_param_uuid(req, "id", "PR/FAQ");

	if (id != NULL)
		api_list(req, events_page, id);
}
