/*
 * test_concurrency.c - many clients at once on one prfaqd, aimed at the
 * state its threads share: the worker pool's request path, the database
 * pool, the token cache (hits, misses and fills from several tokens, and a
 * revocation under load), Idempotency-Key claims, the metrics counters, and
 * the webhook sender retrying in its own thread all the while.
 *
 * The checks are what must hold however the requests interleave.  Under
 * ThreadSanitizer (PRFAQ_TSAN=1 scripts/test) this file is also what makes
 * requests overlap inside the server, which is when TSan can see a race:
 * requests one after the other are ordered by the server's own locks.
 *
 * Client threads never call cmocka's asserts (they longjmp to the test's
 * thread): they record, and the test checks after joining them.
 */
#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLIENTS 8
#define ROUNDS	10
#define TOKENS	4

static struct h_server srv;
static char author_id[40];
static char *tokens[TOKENS]; /* all the author's */

/* A new token for user_id, issued by the admin; its id goes to id_out. */
static char *
issue_token(const char *user_id, char *id_out)
{
	struct h_resp r;
	char path[128], *token = NULL;

	snprintf(path, sizeof(path), "/v1/users/%s/tokens", user_id);
	if (h_req(&srv, "POST", path, srv.admin_token, NULL, NULL, &r) == 0 &&
	    r.status == 201 && JS(&r, "token") != NULL) {
		token = strdup(JS(&r, "token"));
		snprintf(id_out, 40, "%s", JS(&r, "id"));
	}
	h_resp_free(&r);
	return token;
}

static int
setup(void **state)
{
	/*
	 * The sender delivers every event to a port where nobody listens, so
	 * it fails and retries (every 10 ms) for as long as the test runs.
	 * Loopback webhook URLs need PRFAQ_WEBHOOK_ALLOW_PRIVATE (API.md).
	 */
	const char *env[] = { "PRFAQ_THREADS=4",
			      "PRFAQ_WEBHOOK_ALLOW_PRIVATE=1",
			      "PRFAQ_WEBHOOK_POLL_MS=50",
			      "PRFAQ_WEBHOOK_BACKOFF_MS=10",
			      "PRFAQ_WEBHOOK_TIMEOUT_MS=500",
			      NULL };
	char body[160], token_id[40];
	struct h_resp r;
	int rc;

	if (h_start(&srv, env) != 0)
		return -1;
	tokens[0] = h_user(&srv, "Ana", "\"author\"", author_id);
	for (int i = 1; i < TOKENS && tokens[0] != NULL; i++)
		if ((tokens[i] = issue_token(author_id, token_id)) == NULL)
			return -1;
	if (tokens[0] == NULL)
		return -1;
	snprintf(body, sizeof(body),
		 "{\"url\":\"http://127.0.0.1:%d/hook\",\"events\":[]}",
		 h_free_port());
	rc = h_req(&srv, "POST", "/v1/webhooks", srv.admin_token, NULL, body,
		   &r);
	rc = rc == 0 && r.status == 201 ? 0 : -1;
	h_resp_free(&r);
	return rc;
}

static int
teardown(void **state)
{
	h_stop(&srv);
	for (int i = 0; i < TOKENS; i++)
		free(tokens[i]);
	return 0;
}

/* --- mixed requests, released together round after round ---------------- */

struct client {
	int n;		 /* which client */
	const char *doc; /* the document all clients PUT to */
	pthread_barrier_t *round;
	pthread_t thread;
	/*
	 * Results, one per round; checked by the test's thread.  A request
	 * that got no answer at all has status 0 (h_req() zeroes it).
	 */
	long create_status[ROUNDS];
	char create_id[ROUNDS][40];
	int puts_won;
	char bad[512]; /* the first unexpected answer, or "" */
};

static void
note_bad(struct client *c, const char *what, const struct h_resp *r)
{
	if (c->bad[0] == '\0')
		snprintf(c->bad, sizeof(c->bad), "client %d, %s: %ld %.300s",
			 c->n, what, r->status,
			 r->body ? r->body : "(no answer)");
}

static void *
client_main(void *arg)
{
	struct client *c = arg;
	char path[160], hdr[80], etag[32], body[256];
	struct h_resp r;

	for (int i = 0; i < ROUNDS; i++) {
		const char *const one_header[] = { hdr, NULL };
		const char *me_token = tokens[(c->n + i) % TOKENS];

		pthread_barrier_wait(c->round);

		/* One key per round, the same body: one document, or a 409. */
		snprintf(hdr, sizeof(hdr), "Idempotency-Key: burst-%d", i);
		snprintf(body, sizeof(body), "{\"title\":\"Burst %d\"}", i);
		h_req(&srv, "POST", "/v1/prfaqs", tokens[0], one_header, body,
		      &r);
		if (r.status != 201 && r.status != 409)
			note_bad(c, "idempotent POST", &r);
		c->create_status[i] = r.status;
		if (r.status == 201 && JS(&r, "id") != NULL)
			snprintf(c->create_id[i], sizeof(c->create_id[i]), "%s",
				 JS(&r, "id"));
		h_resp_free(&r);

		/* Read, then write under If-Match: 200, or 412 when beaten. */
		snprintf(path, sizeof(path), "/v1/prfaqs/%s", c->doc);
		h_req(&srv, "GET", path, me_token, NULL, NULL, &r);
		if (r.status != 200 ||
		    h_header(&r, "ETag", etag, sizeof(etag)) == NULL) {
			note_bad(c, "GET", &r);
			h_resp_free(&r);
			continue;
		}
		h_resp_free(&r);
		snprintf(hdr, sizeof(hdr), "If-Match: %s", etag);
		snprintf(body, sizeof(body),
			 "{\"title\":\"Shared\",\"content\":{\"press_release\":"
			 "{\"headline\":\"Client %d round %d\"}}}",
			 c->n, i);
		h_req(&srv, "PUT", path, me_token, one_header, body, &r);
		if (r.status != 200 && r.status != 412)
			note_bad(c, "PUT", &r);
		if (r.status == 200)
			c->puts_won++;
		h_resp_free(&r);

		/* The token cache, from every token in turn. */
		h_req(&srv, "GET", "/v1/me", me_token, NULL, NULL, &r);
		if (r.status != 200 || JS(&r, "id") == NULL ||
		    strcmp(JS(&r, "id"), author_id) != 0)
			note_bad(c, "GET /v1/me", &r);
		h_resp_free(&r);

		h_req(&srv, "GET", "/v1/prfaqs?limit=3", me_token, NULL, NULL,
		      &r);
		if (r.status != 200)
			note_bad(c, "list", &r);
		h_resp_free(&r);

		h_req(&srv, "GET", "/metrics", NULL, NULL, NULL, &r);
		if (r.status != 200)
			note_bad(c, "/metrics", &r);
		h_resp_free(&r);
	}
	return NULL;
}

static void
test_mixed_requests_at_once(void **state)
{
	struct client clients[CLIENTS];
	pthread_barrier_t round;
	char doc[40], path[160], sql[160];
	struct h_resp r;
	int puts_won = 0;

	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", tokens[0], &r,
				"{\"title\":\"Shared\"}"),
			 0);
	assert_status(&r, 201);
	snprintf(doc, sizeof(doc), "%s", JS(&r, "id"));
	h_resp_free(&r);

	assert_int_equal(pthread_barrier_init(&round, NULL, CLIENTS), 0);
	memset(clients, 0, sizeof(clients));
	for (int i = 0; i < CLIENTS; i++) {
		clients[i].n = i;
		clients[i].doc = doc;
		clients[i].round = &round;
		assert_int_equal(pthread_create(&clients[i].thread, NULL,
						client_main, &clients[i]),
				 0);
	}
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(clients[i].thread, NULL);
	pthread_barrier_destroy(&round);

	for (int i = 0; i < CLIENTS; i++) {
		if (clients[i].bad[0] != '\0') {
			print_error("%s\n", clients[i].bad);
			fail();
		}
		puts_won += clients[i].puts_won;
	}
	/* Each key made exactly one document, and every 201 named it. */
	for (int i = 0; i < ROUNDS; i++) {
		const char *id = NULL;

		for (int k = 0; k < CLIENTS; k++) {
			if (clients[k].create_status[i] != 201)
				continue;
			if (id == NULL)
				id = clients[k].create_id[i];
			assert_string_equal(clients[k].create_id[i], id);
		}
		assert_non_null(id);
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM prfaqs WHERE title = 'Burst %d'",
			 i);
		assert_int_equal(h_sql_count(&srv, sql), 1);
	}
	/* No lost update: one version per PUT that was answered 200. */
	assert_true(puts_won >= 1);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", doc);
	assert_int_equal(h_req(&srv, "GET", path, tokens[0], NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(JI(&r, "version"), 1 + puts_won);
	h_resp_free(&r);
	/* The sender was at work meanwhile (and failing, as it should). */
	assert_true(h_sql_count(&srv, "SELECT count(*) FROM webhook_attempts") >
		    0);
}

/* --- a token revoked while it is in use --------------------------------- */

#define SEEN_MAX 4096

struct user_of_token {
	const char *token;
	atomic_bool *stop;
	pthread_t thread;
	size_t n;
	double started[SEEN_MAX]; /* h_now_ms() as each request began */
	long status[SEEN_MAX];
};

static void *
token_user_main(void *arg)
{
	struct user_of_token *u = arg;

	while (!atomic_load(u->stop) && u->n < SEEN_MAX) {
		struct h_resp r;

		u->started[u->n] = h_now_ms();
		if (h_req(&srv, "GET", "/v1/me", u->token, NULL, NULL, &r) != 0)
			r.status = -1;
		u->status[u->n++] = r.status;
		h_resp_free(&r);
	}
	return NULL;
}

/*
 * Once DELETE /v1/tokens/{id} has answered, no request that starts later may
 * pass with the token, whatever the cache held or was filling meanwhile.
 */
static void
test_revocation_under_load(void **state)
{
	static struct user_of_token users[CLIENTS];
	atomic_bool stop = false;
	char token_id[40], path[128];
	char *token = issue_token(author_id, token_id);
	size_t passed = 0, after = 0;
	struct h_resp r;
	double revoked;

	assert_non_null(token);
	for (int i = 0; i < CLIENTS; i++) {
		users[i] =
			(struct user_of_token){ .token = token, .stop = &stop };
		assert_int_equal(pthread_create(&users[i].thread, NULL,
						token_user_main, &users[i]),
				 0);
	}
	usleep(300 * 1000);
	snprintf(path, sizeof(path), "/v1/tokens/%s", token_id);
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	revoked = h_now_ms();
	assert_status(&r, 204);
	h_resp_free(&r);
	usleep(300 * 1000);
	atomic_store(&stop, true);
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(users[i].thread, NULL);

	for (int i = 0; i < CLIENTS; i++) {
		for (size_t k = 0; k < users[i].n; k++) {
			long st = users[i].status[k];

			if (st != 200 && st != 401) {
				print_error("GET /v1/me answered %ld\n", st);
				fail();
			}
			passed += st == 200;
			if (users[i].started[k] > revoked) {
				after++;
				if (st != 401) {
					print_error(
						"a request %.1f ms after the "
						"revocation passed\n",
						users[i].started[k] - revoked);
					fail();
				}
			}
		}
	}
	assert_true(passed > 0);
	assert_true(after > 0);
	free(token);
}

/* --- connections lost and reopened while the pool is looked at ---------- */

struct pool_user {
	atomic_bool *stop;
	pthread_t thread;
	bool metrics; /* GET /metrics, else GET /v1/me */
	size_t ok;
	char bad[512];
};

static void *
pool_user_main(void *arg)
{
	struct pool_user *u = arg;

	while (!atomic_load(u->stop)) {
		struct h_resp r;
		int rc = u->metrics ? h_req(&srv, "GET", "/metrics", NULL, NULL,
					    NULL, &r) :
				      h_req(&srv, "GET", "/v1/me", tokens[0],
					    NULL, NULL, &r);

		if (rc == 0 && r.status == 200)
			u->ok++;
		else if (rc == 0 && r.status == 503 && !u->metrics)
			; /* its session was cut mid-query: allowed */
		else if (u->bad[0] == '\0')
			snprintf(u->bad, sizeof(u->bad), "%s: %ld %.300s",
				 u->metrics ? "/metrics" : "/v1/me", r.status,
				 r.body ? r.body : "(no answer)");
		h_resp_free(&r);
	}
	return NULL;
}

/* prfaqd_db_connects_total from /metrics. */
static long
db_connects(void)
{
	static const char name[] = "\nprfaqd_db_connects_total ";
	struct h_resp r;
	const char *p;
	long n;

	assert_int_equal(h_req(&srv, "GET", "/metrics", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	p = strstr(r.body, name);
	assert_non_null(p);
	n = strtol(p + sizeof(name) - 1, NULL, 10);
	h_resp_free(&r);
	return n;
}

/*
 * The database ends prfaqd's sessions, again and again, while requests run
 * and /metrics counts the pool's open connections: requests fail at most
 * with a 503, /metrics never does, and the pool reconnects.
 */
static void
test_reconnects_while_metrics_are_read(void **state)
{
	static struct pool_user users[CLIENTS];
	atomic_bool stop = false;
	long connects = db_connects();
	char *v;

	for (int i = 0; i < CLIENTS; i++) {
		users[i] =
			(struct pool_user){ .stop = &stop, .metrics = i % 2 };
		assert_int_equal(pthread_create(&users[i].thread, NULL,
						pool_user_main, &users[i]),
				 0);
	}
	for (int i = 0; i < 5; i++) {
		usleep(100 * 1000);
		v = h_sql(
			srv.dbname,
			"SELECT count(pg_terminate_backend(pid)) "
			"FROM pg_stat_activity WHERE datname = current_database() "
			"AND application_name = 'prfaqd'");
		assert_non_null(v);
		free(v);
	}
	usleep(100 * 1000);
	atomic_store(&stop, true);
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(users[i].thread, NULL);

	for (int i = 0; i < CLIENTS; i++) {
		if (users[i].bad[0] != '\0') {
			print_error("%s\n", users[i].bad);
			fail();
		}
		assert_true(users[i].ok > 0);
	}
	assert_true(db_connects() > connects);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixed_requests_at_once),
		cmocka_unit_test(test_revocation_under_load),
		cmocka_unit_test(test_reconnects_while_metrics_are_read),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
