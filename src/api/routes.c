/*
 * routes.c - the API's route table: method, path pattern, handler, flags.
 * The order matters only for readability; matching is exact on segments.
 */
#include "api.h"

#define AUTH PRFAQ_ROUTE_AUTH
#define MERGE (PRFAQ_ROUTE_AUTH | PRFAQ_ROUTE_MERGE_PATCH)
/* Creating POSTs: a retry with the same Idempotency-Key creates nothing. */
#define CREATE (PRFAQ_ROUTE_AUTH | PRFAQ_ROUTE_IDEMPOTENT)

const struct prfaq_route prfaq_api_routes[] = {
	{ PRFAQ_GET, "/healthz", api_healthz, PRFAQ_ROUTE_PUBLIC },
	{ PRFAQ_GET, "/readyz", api_readyz, PRFAQ_ROUTE_PUBLIC },
	{ PRFAQ_GET, "/metrics", api_metrics, PRFAQ_ROUTE_PUBLIC },
	{ PRFAQ_GET, "/openapi.yaml", api_openapi, PRFAQ_ROUTE_PUBLIC },

	{ PRFAQ_GET, "/v1/me", api_me, AUTH },
	{ PRFAQ_POST, "/v1/users", api_users_create, CREATE },
	{ PRFAQ_GET, "/v1/users", api_users_list, AUTH },
	{ PRFAQ_GET, "/v1/users/{id}", api_users_get, AUTH },
	{ PRFAQ_POST, "/v1/users/{id}/tokens", api_tokens_create, CREATE },
	{ PRFAQ_DELETE, "/v1/tokens/{id}", api_tokens_delete, AUTH },

	{ PRFAQ_POST, "/v1/prfaqs", api_prfaqs_create, CREATE },
	{ PRFAQ_GET, "/v1/prfaqs", api_prfaqs_list, AUTH },
	{ PRFAQ_GET, "/v1/prfaqs/{id}", api_prfaqs_get, AUTH },
	{ PRFAQ_PUT, "/v1/prfaqs/{id}", api_prfaqs_put, AUTH },
	{ PRFAQ_PATCH, "/v1/prfaqs/{id}", api_prfaqs_patch, MERGE },
	{ PRFAQ_GET, "/v1/prfaqs/{id}/versions", api_versions_list, AUTH },
	{ PRFAQ_GET, "/v1/prfaqs/{id}/versions/{n}", api_versions_get, AUTH },
	{ PRFAQ_POST, "/v1/prfaqs/{id}/versions/{n}/restore", api_versions_restore, AUTH },
	{ PRFAQ_GET, "/v1/prfaqs/{id}/diff", api_prfaqs_diff, AUTH },
	{ PRFAQ_GET, "/v1/prfaqs/{id}/events", api_events_list, AUTH },

	{ PRFAQ_POST, "/v1/prfaqs/{id}/submit", api_prfaqs_submit, AUTH },
	{ PRFAQ_POST, "/v1/prfaqs/{id}/withdraw", api_prfaqs_withdraw, AUTH },
	{ PRFAQ_POST, "/v1/prfaqs/{id}/decision", api_prfaqs_decision, AUTH },
	{ PRFAQ_POST, "/v1/prfaqs/{id}/reopen", api_prfaqs_reopen, AUTH },
	{ PRFAQ_POST, "/v1/prfaqs/{id}/archive", api_prfaqs_archive, AUTH },
	{ PRFAQ_POST, "/v1/prfaqs/{id}/reviews", api_reviews_create, CREATE },
	{ PRFAQ_GET, "/v1/prfaqs/{id}/reviews", api_reviews_list, AUTH },
	{ PRFAQ_GET, "/v1/prfaqs/{id}/comments", api_comments_list, AUTH },
	{ PRFAQ_POST, "/v1/prfaqs/{id}/comments/{cid}/replies", api_replies_create, CREATE },
	{ PRFAQ_POST, "/v1/prfaqs/{id}/comments/{cid}/resolve", api_comments_resolve, AUTH },
	{ PRFAQ_POST, "/v1/prfaqs/{id}/comments/{cid}/reopen", api_comments_reopen, AUTH },
	{ PRFAQ_GET, "/v1/principles", api_principles_list, AUTH },

	{ PRFAQ_POST, "/v1/webhooks", api_webhooks_create, CREATE },
	{ PRFAQ_GET, "/v1/webhooks", api_webhooks_list, AUTH },
	{ PRFAQ_GET, "/v1/webhooks/{id}", api_webhooks_get, AUTH },
	{ PRFAQ_DELETE, "/v1/webhooks/{id}", api_webhooks_delete, AUTH },
	{ PRFAQ_GET, "/v1/webhooks/{id}/deliveries", api_webhook_deliveries_list, AUTH },

	{ PRFAQ_POST, "/v1/lint", api_lint, AUTH },
};

const size_t prfaq_api_routes_count =
	sizeof(prfaq_api_routes) / sizeof(prfaq_api_routes[0]);
