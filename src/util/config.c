/*
 * config.c - PRFAQ_* settings as a declarative table (see prfaq/config.h).
 */
#include "prfaq/alloc.h"
#include "prfaq/config.h"

#include "prfaq/auth.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum setting_type { T_STRING, T_UINT, T_SIZE, T_BOOL };

struct setting {
	const char *env;
	enum setting_type type;
	size_t offset;
	const char *def;
	unsigned long long min, max; /* numeric bounds (inclusive) */
	const char *help;
};

#define OFF(f) offsetof(struct prfaq_config, f)

static const struct setting settings[] = {
	{ "PRFAQ_DATABASE_URL", T_STRING, OFF(database_url), "dbname=prfaq", 0,
	  0, "libpq connection string or URI" },
	{ "PRFAQ_DATABASE_REPLICA_URL", T_STRING, OFF(database_replica_url), "",
	  0, 0,
	  "a streaming replica for lists, searches and evidence lists and tags "
	  "(libpq; \"\": none; unreachable: the primary answers)" },
	{ "PRFAQ_BIND", T_STRING, OFF(bind), "127.0.0.1", 0, 0,
	  "IPv4 or IPv6 address to listen on" },
	{ "PRFAQ_PORT", T_UINT, OFF(port), "8080", 1, 65535, "TCP port" },
	{ "PRFAQ_THREADS", T_UINT, OFF(threads), "0", 0, 256,
	  "HTTP worker threads (0: one per CPU core)" },
	{ "PRFAQ_DB_POOL_SIZE", T_UINT, OFF(db_pool_size), "0", 0, 512,
	  "database connections (0: threads + 2; never fewer than threads)" },
	{ "PRFAQ_DB_POOL_WAIT_MS", T_UINT, OFF(db_pool_wait_ms), "2000", 1,
	  60000, "how long a request waits for a connection before 503" },
	{ "PRFAQ_DB_STATEMENT_TIMEOUT_MS", T_UINT, OFF(db_statement_timeout_ms),
	  "15000", 100, 600000, "statement_timeout for every query" },
	{ "PRFAQ_DB_POOLER", T_STRING, OFF(db_pooler), "none", 0, 0,
	  "what is between prfaqd and PostgreSQL: none, or transaction (PgBouncer "
	  "in pool_mode=transaction: no prepared statements, no session state)" },
	{ "PRFAQ_REQUEST_TIMEOUT_MS", T_UINT, OFF(request_timeout_ms), "10000",
	  100, 600000,
	  "how long a request may wait on the database (pool, statements, COMMIT) before 503" },
	{ "PRFAQ_BODY_LIMIT", T_SIZE, OFF(body_limit), "1048576", 1024,
	  1024ULL * 1024 * 1024, "largest request body in bytes (413 above)" },
	{ "PRFAQ_IMPORT_BODY_LIMIT", T_SIZE, OFF(import_body_limit), "16777216",
	  1024, 1024ULL * 1024 * 1024,
	  "largest NDJSON evidence import in bytes (413 above; 10,000 lines at most)" },
	{ "PRFAQ_CONN_LIMIT", T_UINT, OFF(conn_limit), "1024", 1, 100000,
	  "simultaneous connections" },
	{ "PRFAQ_PER_IP_CONN_LIMIT", T_UINT, OFF(per_ip_conn_limit), "0", 0,
	  100000, "simultaneous connections per client address (0: no limit)" },
	{ "PRFAQ_CONN_TIMEOUT", T_UINT, OFF(conn_timeout_s), "30", 1, 3600,
	  "seconds a connection may stay idle, or take to send a request's headers" },
	{ "PRFAQ_CONN_MEMORY_LIMIT", T_SIZE, OFF(conn_memory_limit), "16384",
	  8192, 16ULL * 1024 * 1024,
	  "per-connection memory for headers (bytes)" },
	{ "PRFAQ_AUTO_MIGRATE", T_BOOL, OFF(auto_migrate), "1", 0, 1,
	  "apply pending migrations when serving (0 or 1)" },
	{ "PRFAQ_AUTH_CACHE_TTL", T_UINT, OFF(auth_cache_ttl_s), "5", 0, 60,
	  "seconds a resolved token is cached (revocation delay elsewhere)" },
	{ "PRFAQ_SHUTDOWN_TIMEOUT", T_UINT, OFF(shutdown_timeout_s), "10", 0,
	  600, "seconds to let requests in flight finish on SIGTERM" },
	{ "PRFAQ_DRAIN_DELAY_MS", T_UINT, OFF(drain_delay_ms), "0", 0, 600000,
	  "on SIGTERM, how long /readyz answers 503 while requests are still "
	  "accepted, before the listener closes (a load balancer's check "
	  "interval times its failures to mark down, and a bit)" },
	{ "PRFAQ_CORS_ORIGINS", T_STRING, OFF(cors_origins), "", 0, 0,
	  "comma-separated browser origins allowed to call the API" },
	{ "PRFAQ_LOG_LEVEL", T_STRING, OFF(log_level), "info", 0, 0,
	  "debug, info, warn or error" },
	{ "PRFAQ_WEBHOOKS", T_BOOL, OFF(webhooks), "1", 0, 1,
	  "deliver webhooks from this instance (0 or 1)" },
	{ "PRFAQ_WEBHOOK_TIMEOUT_MS", T_UINT, OFF(webhook_timeout_ms), "5000",
	  100, 60000, "time a receiver has to answer one delivery" },
	{ "PRFAQ_WEBHOOK_BACKOFF_MS", T_UINT, OFF(webhook_backoff_ms), "1000",
	  10, 3600000,
	  "first retry delay; doubles per attempt, capped at an hour" },
	{ "PRFAQ_WEBHOOK_MAX_AGE", T_UINT, OFF(webhook_max_age_s), "86400", 1,
	  604800, "seconds a delivery is retried before it is marked failed" },
	{ "PRFAQ_WEBHOOK_POLL_MS", T_UINT, OFF(webhook_poll_ms), "1000", 10,
	  60000, "how often due retries are looked for" },
	{ "PRFAQ_WEBHOOK_ALLOW_PRIVATE", T_BOOL, OFF(webhook_allow_private),
	  "0", 0, 1,
	  "let webhooks target loopback, private, link-local and other "
	  "non-public addresses (0 or 1)" },
	{ "PRFAQ_JWT_JWKS", T_STRING, OFF(jwt_jwks), "", 0, 0,
	  "JWT single sign-on: the identity provider's key set, a file or an "
	  "https:// URL (empty: JWTs are not accepted)" },
	{ "PRFAQ_JWT_JWKS_REFRESH", T_UINT, OFF(jwt_jwks_refresh_s), "600", 1,
	  86400,
	  "seconds between reloads of the key set (also reloaded on an "
	  "unknown kid, at most once a minute)" },
	{ "PRFAQ_JWT_CA_FILE", T_STRING, OFF(jwt_ca_file), "", 0, 0,
	  "PEM file of the CAs trusted for an https key set (empty: the system's)" },
	{ "PRFAQ_JWT_ISSUER", T_STRING, OFF(jwt_issuer), "", 0, 0,
	  "the iss every JWT must carry (required with PRFAQ_JWT_JWKS)" },
	{ "PRFAQ_JWT_AUDIENCE", T_STRING, OFF(jwt_audience), "", 0, 0,
	  "the aud every JWT must carry (required with PRFAQ_JWT_JWKS)" },
	{ "PRFAQ_JWT_EMAIL_CLAIM", T_STRING, OFF(jwt_email_claim), "email", 0,
	  0, "the claim holding the user's email" },
	{ "PRFAQ_JWT_AUTO_CREATE", T_BOOL, OFF(jwt_auto_create), "0", 0, 1,
	  "create the user of an unknown email (0 or 1)" },
	{ "PRFAQ_JWT_DEFAULT_ROLES", T_STRING, OFF(jwt_default_roles), "", 0, 0,
	  "roles of an auto-created user (comma separated)" },
	{ "PRFAQ_JWT_ROLES_CLAIM", T_STRING, OFF(jwt_roles_claim), "", 0, 0,
	  "a claim listing role names that replace the stored roles (empty: none)" },
};

/*
 * Parse an unsigned decimal with an optional k/m/g suffix (T_SIZE only).
 * Returns 0 and stores the value, or -1.
 */
static int
parse_number(const char *s, bool suffixes, unsigned long long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (suffixes && *end != '\0' && end[1] == '\0') {
		switch (*end) {
		case 'k':
		case 'K':
			mul = 1024;
			break;
		case 'm':
		case 'M':
			mul = 1024 * 1024;
			break;
		case 'g':
		case 'G':
			mul = 1024 * 1024 * 1024;
			break;
		default:
			return -1;
		}
		end++;
	}
	if (*end != '\0' || v > ULLONG_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int
apply(struct prfaq_config *cfg, const struct setting *s, const char *value,
      char *errbuf, size_t errlen)
{
	char *field = (char *)cfg + s->offset;
	unsigned long long v;

	switch (s->type) {
	case T_STRING: {
		free(*(char **)field);
		*(char **)field = prfaq_strdup(value);
		return 0;
	}
	case T_BOOL:
		if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "yes") == 0 || strcmp(value, "on") == 0)
			*(bool *)field = true;
		else if (strcmp(value, "0") == 0 ||
			 strcmp(value, "false") == 0 ||
			 strcmp(value, "no") == 0 || strcmp(value, "off") == 0)
			*(bool *)field = false;
		else
			goto bad;
		return 0;
	case T_UINT:
	case T_SIZE:
		if (parse_number(value, s->type == T_SIZE, &v) != 0 ||
		    v < s->min || v > s->max)
			goto bad;
		if (s->type == T_UINT)
			*(unsigned *)field = (unsigned)v;
		else
			*(size_t *)field = (size_t)v;
		return 0;
	}
bad:
	if (s->type == T_BOOL)
		snprintf(errbuf, errlen, "%s=\"%s\": expected 0 or 1", s->env,
			 value);
	else
		snprintf(
			errbuf, errlen,
			"%s=\"%s\": expected a whole number from %llu to %llu%s",
			s->env, value, s->min, s->max,
			s->type == T_SIZE ? " (k, m, g suffixes allowed)" : "");
	return -1;
}

/*
 * The JWT settings hang together: a key set needs an issuer and an
 * audience; the other settings mean nothing without a key set.  Parses the
 * default roles into cfg->jwt_default_role_bits.  0, or -1 with errbuf set.
 */
static int
validate_jwt(struct prfaq_config *cfg, char *errbuf, size_t errlen)
{
	char *copy, *save = NULL;
	int rc = 0;

	if (cfg->jwt_jwks[0] == '\0') {
		const char *stray =
			cfg->jwt_issuer[0]	? "PRFAQ_JWT_ISSUER" :
			cfg->jwt_audience[0]	? "PRFAQ_JWT_AUDIENCE" :
			cfg->jwt_roles_claim[0] ? "PRFAQ_JWT_ROLES_CLAIM" :
			cfg->jwt_auto_create	? "PRFAQ_JWT_AUTO_CREATE" :
			cfg->jwt_ca_file[0]	? "PRFAQ_JWT_CA_FILE" :
						  NULL;

		if (stray == NULL)
			return 0;
		snprintf(
			errbuf, errlen,
			"%s is set but PRFAQ_JWT_JWKS is not: set the identity "
			"provider's key set (a file or an https:// URL)",
			stray);
		return -1;
	}
	if (strncmp(cfg->jwt_jwks, "http://", 7) == 0 ||
	    (strstr(cfg->jwt_jwks, "://") != NULL &&
	     strncmp(cfg->jwt_jwks, "https://", 8) != 0)) {
		snprintf(errbuf, errlen,
			 "PRFAQ_JWT_JWKS=\"%s\": expected a file path or an "
			 "https:// URL",
			 cfg->jwt_jwks);
		return -1;
	}
	if (cfg->jwt_issuer[0] == '\0' || cfg->jwt_audience[0] == '\0') {
		snprintf(errbuf, errlen,
			 "PRFAQ_JWT_JWKS is set: PRFAQ_JWT_ISSUER and "
			 "PRFAQ_JWT_AUDIENCE must be set too (the iss and aud "
			 "that tokens must carry)");
		return -1;
	}
	if (cfg->jwt_email_claim[0] == '\0') {
		snprintf(errbuf, errlen,
			 "PRFAQ_JWT_EMAIL_CLAIM must not be empty");
		return -1;
	}
	copy = prfaq_strdup(cfg->jwt_default_roles);
	cfg->jwt_default_role_bits = 0;
	for (char *tok = strtok_r(copy, ", ", &save); tok != NULL;
	     tok = strtok_r(NULL, ", ", &save)) {
		unsigned bit = prfaq_role_parse(tok);

		if (bit == 0) {
			snprintf(
				errbuf, errlen,
				"PRFAQ_JWT_DEFAULT_ROLES: unknown role \"%s\" "
				"(roles: admin, author, reviewer, approver, analyst)",
				tok);
			rc = -1;
			break;
		}
		cfg->jwt_default_role_bits |= bit;
	}
	free(copy);
	return rc;
}

int
prfaq_config_load(struct prfaq_config *cfg, char *errbuf, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		const char *env = getenv(settings[i].env);

		if (apply(cfg, &settings[i], settings[i].def, errbuf, errlen) !=
		    0)
			goto fail;
		if (env != NULL &&
		    apply(cfg, &settings[i], env, errbuf, errlen) != 0)
			goto fail;
	}
	if (strcmp(cfg->log_level, "debug") != 0 &&
	    strcmp(cfg->log_level, "info") != 0 &&
	    strcmp(cfg->log_level, "warn") != 0 &&
	    strcmp(cfg->log_level, "error") != 0) {
		snprintf(
			errbuf, errlen,
			"PRFAQ_LOG_LEVEL=\"%s\": expected debug, info, warn or error",
			cfg->log_level);
		goto fail;
	}
	if (strcmp(cfg->db_pooler, "none") != 0 &&
	    strcmp(cfg->db_pooler, "transaction") != 0) {
		snprintf(errbuf, errlen,
			 "PRFAQ_DB_POOLER=\"%s\": expected none or transaction",
			 cfg->db_pooler);
		goto fail;
	}
	if (validate_jwt(cfg, errbuf, errlen) != 0)
		goto fail;
	return 0;
fail:
	prfaq_config_free(cfg);
	return -1;
}

void
prfaq_config_free(struct prfaq_config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		if (settings[i].type == T_STRING) {
			char **p = (char **)((char *)cfg + settings[i].offset);

			free(*p);
			*p = NULL;
		}
	}
}

void
prfaq_config_usage(FILE *out)
{
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		fprintf(out, "  %-30s %s (default \"%s\")\n", settings[i].env,
			settings[i].help, settings[i].def);
}
