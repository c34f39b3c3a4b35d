/*
 * config.h - runtime settings, read from PRFAQ_* environment variables.
 *
 * Each setting is a row of a declarative table in src/config.c (name, type,
 * default, bounds); prfaq_config_load() fills the struct from defaults, then
 * the environment, and reports the first bad value clearly.
 */
#ifndef PRFAQ_CONFIG_H
#define PRFAQ_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct prfaq_config {
	char *database_url; /* PRFAQ_DATABASE_URL (libpq conninfo or URI) */
	char *database_replica_url; /* PRFAQ_DATABASE_REPLICA_URL ("": none) */
	char *bind;		    /* PRFAQ_BIND */
	unsigned port;		    /* PRFAQ_PORT */
	unsigned threads;	    /* PRFAQ_THREADS (0: one per core) */
	unsigned db_pool_size;	    /* PRFAQ_DB_POOL_SIZE (0: threads + 2) */
	unsigned db_pool_wait_ms;   /* PRFAQ_DB_POOL_WAIT_MS */
	unsigned db_statement_timeout_ms; /* PRFAQ_DB_STATEMENT_TIMEOUT_MS */
	unsigned request_timeout_ms;	  /* PRFAQ_REQUEST_TIMEOUT_MS */
	char *db_pooler;	  /* PRFAQ_DB_POOLER: "none" or "transaction" */
	size_t body_limit;	  /* PRFAQ_BODY_LIMIT (bytes) */
	size_t import_body_limit; /* PRFAQ_IMPORT_BODY_LIMIT (bytes) */
	unsigned conn_limit;	  /* PRFAQ_CONN_LIMIT */
	unsigned per_ip_conn_limit;  /* PRFAQ_PER_IP_CONN_LIMIT (0: none) */
	unsigned conn_timeout_s;     /* PRFAQ_CONN_TIMEOUT */
	size_t conn_memory_limit;    /* PRFAQ_CONN_MEMORY_LIMIT (bytes) */
	bool auto_migrate;	     /* PRFAQ_AUTO_MIGRATE */
	unsigned auth_cache_ttl_s;   /* PRFAQ_AUTH_CACHE_TTL */
	unsigned shutdown_timeout_s; /* PRFAQ_SHUTDOWN_TIMEOUT */
	unsigned drain_delay_ms;     /* PRFAQ_DRAIN_DELAY_MS */
	char *cors_origins;	     /* PRFAQ_CORS_ORIGINS (comma separated) */
	char *log_level; /* PRFAQ_LOG_LEVEL: debug, info, warn, error */
	bool webhooks;	 /* PRFAQ_WEBHOOKS: run the sender here */
	unsigned webhook_timeout_ms; /* PRFAQ_WEBHOOK_TIMEOUT_MS */
	unsigned webhook_backoff_ms; /* PRFAQ_WEBHOOK_BACKOFF_MS */
	unsigned webhook_max_age_s;  /* PRFAQ_WEBHOOK_MAX_AGE */
	unsigned webhook_poll_ms;    /* PRFAQ_WEBHOOK_POLL_MS */
	bool webhook_allow_private;  /* PRFAQ_WEBHOOK_ALLOW_PRIVATE */
	/* Single sign-on: JWTs of an identity provider ("" JWKS: off). */
	char *jwt_jwks;		     /* PRFAQ_JWT_JWKS: a file or https URL */
	unsigned jwt_jwks_refresh_s; /* PRFAQ_JWT_JWKS_REFRESH */
	char *jwt_ca_file;	     /* PRFAQ_JWT_CA_FILE ("": system CAs) */
	char *jwt_issuer;	     /* PRFAQ_JWT_ISSUER */
	char *jwt_audience;	     /* PRFAQ_JWT_AUDIENCE */
	char *jwt_email_claim;	     /* PRFAQ_JWT_EMAIL_CLAIM */
	bool jwt_auto_create;	     /* PRFAQ_JWT_AUTO_CREATE */
	char *jwt_default_roles; /* PRFAQ_JWT_DEFAULT_ROLES (comma separated) */
	unsigned jwt_default_role_bits; /* the same, parsed (enum prfaq_role) */
	char *jwt_roles_claim; /* PRFAQ_JWT_ROLES_CLAIM ("": stored roles) */
};

/*
 * Fill cfg from defaults and the environment.  Returns 0, or -1 with a
 * one-line explanation in errbuf.  Strings in cfg are owned by cfg.
 */
int prfaq_config_load(struct prfaq_config *cfg, char *errbuf, size_t errlen);

/* Free what cfg owns.  NULL-safe. */
void prfaq_config_free(struct prfaq_config *cfg);

/* Print every setting with its default and meaning (for --help). */
void prfaq_config_usage(FILE *out);

#endif
