/*
 * main.c - prfaqd: configuration, subcommands, signals, start and stop.
 *
 *   prfaqd [serve]      serve the API (applies pending migrations first)
 *   prfaqd migrate      apply pending migrations and exit
 *   prfaqd create-user --name NAME --email EMAIL --roles admin,author
 *                       [--token-name NAME]
 *                       create a user and print a new API token on stdout
 *   prfaqd create-token --email EMAIL [--name NAME [--replace]]
 *                       print a new API token for an existing user; with
 *                       --replace, revoke that user's live tokens of NAME
 *   prfaqd healthcheck  exit 0 if this instance's /healthz answers 200
 */
#include <curl/curl.h>
#include <getopt.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prfaq/alloc.h"
#include "prfaq/app.h"
#include "prfaq/log.h"
#include "prfaq/store.h"
#include "prfaq/webhooks.h"

static void
usage(FILE *out)
{
	fprintf(out,
		"Usage: prfaqd [serve]\n"
		"       prfaqd migrate\n"
		"       prfaqd create-user --name NAME --email EMAIL --roles ROLE[,ROLE...]\n"
		"                          [--token-name NAME]\n"
		"       prfaqd create-token --email EMAIL [--name NAME [--replace]]\n"
		"       prfaqd healthcheck   (exit 0 if GET /healthz on PRFAQ_BIND:PRFAQ_PORT\n"
		"                             answers 200; for container health checks)\n"
		"       prfaqd --help | --version\n"
		"\n"
		"prfaqd is the system of record for Working Backwards PR/FAQs.\n"
		"Roles: admin, author, reviewer, approver, analyst.\n"
		"\n"
		"Environment:\n");
	prfaq_config_usage(out);
}

static int
run_migrate(const struct prfaq_config *cfg)
{
	struct prfaq_error err;
	unsigned applied = 0;

	prfaq_error_init(&err);
	if (prfaq_db_migrate(cfg->database_url, &applied, &err) != PRFAQ_OK) {
		log_error(NULL, "migration failed: %s", err.detail);
		prfaq_error_clear(&err);
		return 1;
	}
	log_info(NULL, "schema is current (%u migrations applied now)",
		 applied);
	return 0;
}

/* Parse "admin,author" into role bits; -1 on an unknown role. */
static int
parse_roles(const char *list, unsigned *out)
{
	char *copy = prfaq_strdup(list), *save = NULL;
	unsigned roles = 0;
	int rc = 0;

	for (char *tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned r = prfaq_role_parse(tok);

		if (r == 0) {
			fprintf(stderr,
				"prfaqd: unknown role \"%s\" (use admin, "
				"author, reviewer, approver, analyst)\n",
				tok);
			rc = -1;
			break;
		}
		roles |= r;
	}
	free(copy);
	if (rc == 0)
		*out = roles;
	return rc;
}

/* create-user's and create-token's command line. */
struct user_args {
	const char *name, *email, *token_name;
	unsigned roles;
	bool replace;
};

/*
 * Read create-user's (want_user) or create-token's options into a; 0, or 2
 * (the exit status) after saying on stderr what is wrong.
 */
static int
user_args_parse(bool want_user, int argc, char **argv, struct user_args *a)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "email", required_argument, NULL, 'e' },
		{ "roles", required_argument, NULL, 'r' },
		{ "replace", no_argument, NULL, 'R' },
		{ "token-name", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *roles_arg = "";
	int c;

	*a = (struct user_args){ 0 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			a->name = optarg;
			break;
		case 'e':
			a->email = optarg;
			break;
		case 'r':
			roles_arg = optarg;
			break;
		case 'R':
			a->replace = true;
			break;
		case 't':
			a->token_name = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* create-token's --name is the token's; create-user's, the user's. */
	if (!want_user)
		a->token_name = a->name;
	if (a->replace && a->token_name == NULL) {
		fprintf(stderr, "prfaqd: --replace needs a token name\n");
		return 2;
	}
	if (a->token_name != NULL &&
	    (*a->token_name == '\0' || strlen(a->token_name) > 100)) {
		fprintf(stderr, "prfaqd: a token's --name is 1 to 100 bytes\n");
		return 2;
	}
	if (a->email == NULL || strchr(a->email, '@') == NULL ||
	    (want_user && (a->name == NULL || *a->name == '\0'))) {
		fprintf(stderr, "prfaqd: %s\n",
			want_user ?
				"create-user needs --name and a valid --email" :
				"create-token needs a valid --email");
		return 2;
	}
	return parse_roles(roles_arg, &a->roles) != 0 ? 2 : 0;
}

/*
 * create-user (want_user) or create-token: both print a fresh token alone on
 * stdout, so that scripts can capture it.
 */
static int
run_user_command(const struct prfaq_config *cfg, bool want_user, int argc,
		 char **argv)
{
	char token[PRFAQ_TOKEN_LEN + 1];
	uint8_t hash[PRFAQ_SHA256_LEN];
	struct prfaq_db_pool_opts popts = { 0 };
	struct prfaq_db_pool *pool = NULL;
	struct prfaq_db_ctx db = { .pool = NULL };
	struct prfaq_text user = { NULL, 0 };
	struct prfaq_error err;
	struct user_args a;
	int rc;

	if ((rc = user_args_parse(want_user, argc, argv, &a)) != 0)
		return rc;
	rc = 1;
	prfaq_error_init(&err);
	if (cfg->auto_migrate && run_migrate(cfg) != 0)
		return 1;
	if (prfaq_token_generate(token, hash) != 0) {
		fprintf(stderr, "prfaqd: no randomness from the kernel\n");
		return 1;
	}
	popts.conninfo = cfg->database_url;
	popts.size = 1;
	popts.wait_ms = cfg->db_pool_wait_ms;
	popts.statement_timeout_ms = cfg->db_statement_timeout_ms;
	popts.request_timeout_ms = cfg->request_timeout_ms;
	popts.transaction_pooling = strcmp(cfg->db_pooler, "transaction") == 0;
	if ((pool = prfaq_db_pool_new(&popts)) == NULL)
		goto out;
	/* No request: what src/db logs carries no request id. */
	db.pool = pool;
	/*
	 * A named first token is made the way create-token makes one, so that a
	 * later "create-token --name N --replace" finds it.
	 */
	if ((want_user &&
	     prfaq_store_user_create(db, NULL, a.name, a.email, a.roles,
				     a.token_name != NULL ? NULL : hash, &user,
				     NULL, &err) != PRFAQ_OK) ||
	    ((!want_user || a.token_name != NULL) &&
	     prfaq_store_token_create_for_email(db, a.email, hash, a.token_name,
						a.replace, &err) != PRFAQ_OK)) {
		fprintf(stderr, "prfaqd: %s\n", err.detail);
		goto out;
	}
	/* The token alone on stdout, so scripts can capture it. */
	printf("%s\n", token);
	rc = 0;
out:
	memset(token, 0, sizeof(token));
	prfaq_text_free(&user);
	prfaq_db_pool_free(pool);
	prfaq_error_clear(&err);
	return rc;
}

static size_t
discard(char *data, size_t size, size_t n, void *arg)
{
	return size * n;
}

/*
 * healthcheck: GET /healthz of the instance this environment configures, so a
 * container image needs neither curl nor a shell for its HEALTHCHECK.  A
 * wildcard PRFAQ_BIND is reached on loopback.  Exit 0 on 200, else 1.
 */
static int
run_healthcheck(const struct prfaq_config *cfg)
{
	const char *host = cfg->bind;
	bool v6;
	char url[320];
	long status = 0;
	CURLcode res = CURLE_FAILED_INIT;
	CURL *h;

	if (*host == '\0' || strcmp(host, "0.0.0.0") == 0)
		host = "127.0.0.1";
	else if (strcmp(host, "::") == 0)
		host = "::1";
	v6 = strchr(host, ':') != NULL;
	if ((size_t)snprintf(url, sizeof(url), "http://%s%s%s:%u/healthz",
			     v6 ? "[" : "", host, v6 ? "]" : "",
			     cfg->port) >= sizeof(url)) {
		fprintf(stderr, "prfaqd: healthcheck: PRFAQ_BIND too long\n");
		return 1;
	}
	if ((h = curl_easy_init()) != NULL) {
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 4000L);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
		res = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(h);
	}
	if (res != CURLE_OK) {
		fprintf(stderr, "prfaqd: healthcheck %s: %s\n", url,
			curl_easy_strerror(res));
		return 1;
	}
	if (status != 200) {
		fprintf(stderr, "prfaqd: healthcheck %s: HTTP %ld\n", url,
			status);
		return 1;
	}
	return 0;
}

/* The JWT key set's source (PRFAQ_JWT_JWKS); NULL after logging why. */
static struct prfaq_jwks_source *
jwks_start(const struct prfaq_config *cfg)
{
	struct prfaq_jwks_source_opts jopts = {
		.location = cfg->jwt_jwks,
		.refresh_s = cfg->jwt_jwks_refresh_s,
		.ca_file = cfg->jwt_ca_file,
		.timeout_ms = 10000,
		/* The contract: an unknown kid reloads at most once a minute. */
		.kid_interval_s = 60,
	};
	struct prfaq_jwks_source *src;
	char why[1024];

	if ((src = prfaq_jwks_source_start(&jopts, why, sizeof(why))) == NULL)
		log_error(NULL, "%s", why);
	return src;
}

/*
 * After signal sig: /readyz answers 503 from now on, and for
 * PRFAQ_DRAIN_DELAY_MS requests are still served, so that a load balancer
 * sees the replica go before its listener does.  A second signal of set
 * cuts the delay short.
 */
static void
drain(struct prfaq_server *srv, const struct prfaq_config *cfg,
      const sigset_t *set, int sig)
{
	struct timespec delay = { (time_t)(cfg->drain_delay_ms / 1000),
				  (long)(cfg->drain_delay_ms % 1000) *
					  1000000L };

	prfaq_server_drain(srv);
	if (cfg->drain_delay_ms == 0)
		return;
	log_info(NULL, "%s: /readyz says 503; still serving for %u ms",
		 sig == SIGINT ? "SIGINT" : "SIGTERM", cfg->drain_delay_ms);
	(void)sigtimedwait(set, NULL, &delay);
}

static int
run_serve(const struct prfaq_config *cfg)
{
	struct prfaq_db_pool_opts popts = { 0 };
	struct prfaq_app app = { 0 };
	struct prfaq_webhooks *webhooks = NULL;
	unsigned threads = cfg->threads;
	sigset_t set;
	int sig = 0, rc = 1;

	if (cfg->auto_migrate && run_migrate(cfg) != 0)
		return 1;
	if (threads == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cores > 0 ? (unsigned)cores : 1;
	}
	popts.conninfo = cfg->database_url;
	/* A blocking libpq call holds its HTTP thread: never fewer than threads. */
	popts.size = cfg->db_pool_size ? cfg->db_pool_size : threads + 2;
	if (popts.size < threads)
		popts.size = threads;
	popts.wait_ms = cfg->db_pool_wait_ms;
	popts.statement_timeout_ms = cfg->db_statement_timeout_ms;
	popts.request_timeout_ms = cfg->request_timeout_ms;
	popts.transaction_pooling = strcmp(cfg->db_pooler, "transaction") == 0;

	/* Signals go to this thread alone, via sigwait(), never to workers. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	app.cfg = cfg;
	app.pool = prfaq_db_pool_new(&popts);
	app.auth_cache = prfaq_auth_cache_new(cfg->auth_cache_ttl_s);
	if (app.pool == NULL || app.auth_cache == NULL)
		goto out;
	if (cfg->database_replica_url[0] != '\0') {
		/* The same size and limits: it takes the same reads. */
		popts.conninfo = cfg->database_replica_url;
		if ((app.replica = prfaq_db_pool_new(&popts)) == NULL)
			goto out;
	}
	if (cfg->jwt_jwks[0] != '\0' && (app.jwks = jwks_start(cfg)) == NULL)
		goto out;
	app.server = prfaq_server_start(cfg, prfaq_api_routes,
					prfaq_api_routes_count, &app);
	if (app.server == NULL)
		goto out;
	if (cfg->webhooks) {
		struct prfaq_webhooks_opts wopts = {
			.conninfo = cfg->database_url,
			.transaction_pooling =
				strcmp(cfg->db_pooler, "transaction") == 0,
			.timeout_ms = cfg->webhook_timeout_ms,
			.backoff_ms = cfg->webhook_backoff_ms,
			.max_age_s = cfg->webhook_max_age_s,
			.poll_ms = cfg->webhook_poll_ms,
			.allow_private = cfg->webhook_allow_private,
		};

		webhooks = prfaq_webhooks_start(&wopts);
	}
	sigwait(&set, &sig);
	drain(app.server, cfg, &set, sig);
	log_info(NULL, "%s: finishing requests in flight, then exiting",
		 sig == SIGINT ? "SIGINT" : "SIGTERM");
	prfaq_server_stop(app.server, cfg->shutdown_timeout_s);
	prfaq_webhooks_stop(webhooks);
	rc = 0;
out:
	prfaq_jwks_source_stop(app.jwks);
	prfaq_db_pool_free(app.pool);
	prfaq_db_pool_free(app.replica);
	prfaq_auth_cache_free(app.auth_cache);
	return rc;
}

int
main(int argc, char **argv)
{
	struct prfaq_config cfg;
	char errbuf[256];
	const char *cmd = argc > 1 ? argv[1] : "serve";
	int rc;

	/* Before any JSON value exists (see prfaq/alloc.h). */
	prfaq_alloc_init();
	/*
	 * No curl_global_init() here: libcurl (7.84 and later initialise
	 * thread-safely) sets itself up at the first curl_easy_init(), in the
	 * healthcheck or at the first webhook delivery.  Up front it would load
	 * OpenSSL and add 3 MB to the resident size of every idle server.
	 */
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("prfaqd %s\n", PRFAQ_VERSION);
		return 0;
	}
	if (prfaq_config_load(&cfg, errbuf, sizeof(errbuf)) != 0) {
		fprintf(stderr, "prfaqd: %s\n", errbuf);
		return 2;
	}
	prfaq_log_set_level(cfg.log_level);
	if (strcmp(cmd, "serve") == 0)
		rc = run_serve(&cfg);
	else if (strcmp(cmd, "migrate") == 0)
		rc = run_migrate(&cfg);
	else if (strcmp(cmd, "create-user") == 0)
		rc = run_user_command(&cfg, true, argc - 1, argv + 1);
	else if (strcmp(cmd, "create-token") == 0)
		rc = run_user_command(&cfg, false, argc - 1, argv + 1);
	else if (strcmp(cmd, "healthcheck") == 0)
		rc = run_healthcheck(&cfg);
	else {
		fprintf(stderr, "prfaqd: unknown command \"%s\"\n\n", cmd);
		usage(stderr);
		rc = 2;
	}
	prfaq_config_free(&cfg);
	return rc;
}
