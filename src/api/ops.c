/*
 * ops.c - /healthz, /readyz, /metrics, /openapi.yaml: no token needed.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "prfaq/buf.h"
#include "prfaq/embedded.h"
#include "prfaq/outbox.h"

void
api_healthz(struct prfaq_request *req)
{
	prfaq_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

void
api_readyz(struct prfaq_request *req)
{
	struct prfaq_error err;

	prfaq_error_init(&err);
	if (prfaq_server_draining(prfaq_req_app(req)->server)) {
		prfaq_reply_problem(
			req, PRFAQ_EUNAVAILABLE,
			"Shutting down: send new requests elsewhere");
		return;
	}
	if (prfaq_db_ready(api_db(req), &err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	prfaq_reply_json(req, 200, json_pack("{s:s}", "status", "ready"));
}

void
api_metrics(struct prfaq_request *req)
{
	struct prfaq_app *app = prfaq_req_app(req);
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	struct prfaq_db_stats st;
	int rc;

	prfaq_db_pool_stats(app->pool, &st);
	rc = prfaq_server_metrics(app->server, &b);
	rc |= prfaq_buf_printf(
		&b,
		"# HELP prfaqd_db_pool_size Database connections the pool may open.\n"
		"# TYPE prfaqd_db_pool_size gauge\n"
		"prfaqd_db_pool_size %u\n"
		"# HELP prfaqd_db_pool_open Database connections currently open.\n"
		"# TYPE prfaqd_db_pool_open gauge\n"
		"prfaqd_db_pool_open %u\n"
		"# HELP prfaqd_db_pool_in_use Database connections checked out.\n"
		"# TYPE prfaqd_db_pool_in_use gauge\n"
		"prfaqd_db_pool_in_use %u\n"
		"# HELP prfaqd_db_pool_waiting Requests waiting for a connection.\n"
		"# TYPE prfaqd_db_pool_waiting gauge\n"
		"prfaqd_db_pool_waiting %u\n"
		"# HELP prfaqd_db_pool_timeouts_total Checkouts that gave up (503).\n"
		"# TYPE prfaqd_db_pool_timeouts_total counter\n"
		"prfaqd_db_pool_timeouts_total %llu\n"
		"# HELP prfaqd_db_connects_total Connections (re)established.\n"
		"# TYPE prfaqd_db_connects_total counter\n"
		"prfaqd_db_connects_total %llu\n",
		st.size, st.open, st.in_use, st.waiting,
		(unsigned long long)st.timeouts,
		(unsigned long long)st.reconnects);
	if (app->replica != NULL) {
		prfaq_db_pool_stats(app->replica, &st);
		rc |= prfaq_buf_printf(
			&b,
			"# HELP prfaqd_db_replica_open Read replica connections currently open.\n"
			"# TYPE prfaqd_db_replica_open gauge\n"
			"prfaqd_db_replica_open %u\n"
			"# HELP prfaqd_db_replica_in_use Read replica connections checked out.\n"
			"# TYPE prfaqd_db_replica_in_use gauge\n"
			"prfaqd_db_replica_in_use %u\n"
			"# HELP prfaqd_db_replica_connects_total Read replica connections (re)established.\n"
			"# TYPE prfaqd_db_replica_connects_total counter\n"
			"prfaqd_db_replica_connects_total %llu\n"
			"# HELP prfaqd_db_replica_fallbacks_total Reads the replica could not take, run on the primary.\n"
			"# TYPE prfaqd_db_replica_fallbacks_total counter\n"
			"prfaqd_db_replica_fallbacks_total %llu\n",
			st.open, st.in_use, (unsigned long long)st.reconnects,
			(unsigned long long)st.fallbacks);
	}
	rc |= prfaq_outbox_metrics(api_db(req), &b);
	if (rc != 0) {
		prfaq_buf_free(&b);
		prfaq_reply_problem(req, PRFAQ_ENOMEM, "Out of memory");
		return;
	}
	prfaq_reply_take(req, 200, "text/plain; version=0.0.4; charset=utf-8",
			 b.data, b.len);
}

void
api_openapi(struct prfaq_request *req)
{
	char *copy = prfaq_malloc(prfaq_openapi_yaml_len);

	memcpy(copy, prfaq_openapi_yaml, prfaq_openapi_yaml_len);
	prfaq_reply_take(req, 200, "application/yaml", copy,
			 prfaq_openapi_yaml_len);
}
