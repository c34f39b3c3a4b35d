/*
 * routes.c - the API's route table for prfaq_server_start(), made from the
 * list in routes.def.
 */
#include "api.h"

const struct prfaq_route prfaq_api_routes[] = {
/* "" __VA_ARGS__: the query list when the line has one, else "" (none). */
#define ROUTE(m, p, h, f, ...) \
	{ .method = m,         \
	  .pattern = p,        \
	  .handler = h,        \
	  .flags = f,          \
	  .query = "" __VA_ARGS__ },
#include "routes.def"
#undef ROUTE
};

const size_t prfaq_api_routes_count =
	sizeof(prfaq_api_routes) / sizeof(prfaq_api_routes[0]);
