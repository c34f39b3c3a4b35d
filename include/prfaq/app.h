/*
 * app.h - the state shared by every request: configuration, the database
 * pool, the token cache, the JWT key set and the server (for metrics).
 * Created in main.c, borrowed by handlers through prfaq_req_app().
 */
#ifndef PRFAQ_APP_H
#define PRFAQ_APP_H

#include "prfaq/auth.h"
#include "prfaq/config.h"
#include "prfaq/db.h"
#include "prfaq/http.h"
#include "prfaq/jwks.h"

struct prfaq_app {
	const struct prfaq_config *cfg;
	struct prfaq_db_pool *pool;
	/* PRFAQ_DATABASE_REPLICA_URL's pool, or NULL: see api_db_replica() */
	struct prfaq_db_pool *replica;
	struct prfaq_auth_cache *auth_cache;
	struct prfaq_server *server;
	struct prfaq_jwks_source *jwks; /* NULL: JWTs are not accepted */
};

/* The route table of the API (src/api/routes.c). */
extern const struct prfaq_route prfaq_api_routes[];
extern const size_t prfaq_api_routes_count;

#endif
