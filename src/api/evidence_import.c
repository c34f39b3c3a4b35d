/*
 * evidence_import.c - POST /v1/evidence/import: the nightly sync of a
 * support tool or survey, as NDJSON.  Every line is read and validated
 * (src/domain/evidence.c) before anything is written; then one statement
 * upserts them all (src/db/store_evidence.c), so the import is whole or
 * absent.
 */
#include "api.h"
#include "prfaq/evidence.h"

/*
 * Admins and analysts (a data pipeline's user) import: the route's
 * PRFAQ_ROUTE_ANALYST refuses everyone else on the headers, before the
 * body is read.  A bad line is 400 with every problem found, each at its
 * line, and nothing written; else 200 {created, updated, unchanged}.
 */
void
api_evidence_import(struct prfaq_request *req)
{
	const struct prfaq_caller *caller = prfaq_req_caller(req);
	struct prfaq_import_counts n = { 0, 0, 0 };
	struct prfaq_error err;
	json_t *items = NULL;
	const char *body;
	size_t len;

	prfaq_error_init(&err);
	body = prfaq_req_body(req, &len);
	if (prfaq_evidence_import_parse(body, len, &items, &err) != PRFAQ_OK) {
		if (err.code == PRFAQ_EINVAL)
			prfaq_metrics_evidence(PRFAQ_EVIDENCE_IMPORTS_REJECTED,
					       1);
		api_fail(req, &err);
		goto out;
	}
	if (prfaq_store_evidence_import(api_db(req), caller, items, &n, &err) !=
	    PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	prfaq_metrics_evidence(PRFAQ_EVIDENCE_IMPORTS, 1);
	prfaq_metrics_evidence(PRFAQ_EVIDENCE_IMPORT_CREATED,
			       (unsigned long)n.created);
	prfaq_metrics_evidence(PRFAQ_EVIDENCE_IMPORT_UPDATED,
			       (unsigned long)n.updated);
	prfaq_metrics_evidence(PRFAQ_EVIDENCE_IMPORT_UNCHANGED,
			       (unsigned long)n.unchanged);
	prfaq_reply_json(req, 200,
			 json_pack("{s:I, s:I, s:I}", "created",
				   (json_int_t)n.created, "updated",
				   (json_int_t)n.updated, "unchanged",
				   (json_int_t)n.unchanged));
out:
	json_decref(items);
}
