/*
 * routes.c - the API's route table for prfaq_server_start(), made from the
 * list in routes.def.
 */
#include "api.h"

const struct prfaq_route prfaq_api_routes[] = {
#define ROUTE(method, pattern, handler, flags) \
	{ method, pattern, handler, flags },
#include "routes.def"
#undef ROUTE
};

const size_t prfaq_api_routes_count =
	sizeof(prfaq_api_routes) / sizeof(prfaq_api_routes[0]);
