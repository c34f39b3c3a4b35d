/*
 * test_replica.c - PRFAQ_DATABASE_REPLICA_URL and draining on SIGTERM, on
 * one server (the streaming replica itself, its lag and a failover are in
 * tests/failover/run; a load balancer in tests/haproxy/run).
 *
 * The replica here is the test's own database under a second URL: lists,
 * searches and evidence reads must work through the replica's pool (seen
 * on /metrics), and with a replica that cannot be reached they must answer
 * from the primary, counted once per rest window.  Then SIGTERM with a
 * drain delay: /readyz 503 while the API is still served.
 */
#include "harness.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static char *author;

static int
setup(void **state)
{
	const char *env[] = { "PRFAQ_WEBHOOKS=0", NULL };

	(void)state;
	if (h_start(&srv, env) != 0)
		return -1;
	author = h_user(&srv, "Writer", "\"author\"", NULL);
	return author ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(author);
	return 0;
}

/* Restart prfaqd with the replica at url (and the given drain delay). */
static void
restart_with_replica(const char *url, const char *drain)
{
	char replica[1200];
	const char *env[] = { "PRFAQ_WEBHOOKS=0", replica, drain, NULL };

	snprintf(replica, sizeof(replica), "PRFAQ_DATABASE_REPLICA_URL=%s",
		 url);
	assert_int_equal(h_kill(&srv, SIGTERM), 0);
	assert_int_equal(h_restart(&srv, env), 0);
}

/* The value of a /metrics line "name value", or -1 when it is absent. */
static long
metric(const char *name)
{
	struct h_resp r;
	const char *p;
	long v = -1;
	size_t n = strlen(name);

	assert_int_equal(h_req(&srv, "GET", "/metrics", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	for (p = r.body; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == ' ') {
			v = strtol(p + n + 1, NULL, 10);
			break;
		}
	}
	h_resp_free(&r);
	return v;
}

/* GET path as the author: 200, and whether the body names id. */
static bool
read_shows(const char *path, const char *id)
{
	struct h_resp r;
	bool found;

	assert_int_equal(h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	found = id != NULL && strstr(r.body, id) != NULL;
	h_resp_free(&r);
	return found;
}

static void
test_reads_through_the_replica_pool(void **state)
{
	struct h_resp r;
	char id[64];

	(void)state;
	restart_with_replica(srv.conninfo, "PRFAQ_DRAIN_DELAY_MS=0");
	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
				"{\"title\":\"Replicated zebra\"}"),
			 0);
	assert_status(&r, 201);
	snprintf(id, sizeof(id), "%s", JS(&r, "id"));
	h_resp_free(&r);

	assert_true(read_shows("/v1/prfaqs", id));
	assert_true(read_shows("/v1/prfaqs?q=zebra", id));
	read_shows("/v1/evidence", NULL);
	read_shows("/v1/evidence/tags", NULL);
	assert_true(metric("prfaqd_db_replica_connects_total") >= 1);
	assert_int_equal(metric("prfaqd_db_replica_fallbacks_total"), 0);
}

static void
test_unreachable_replica_falls_back(void **state)
{
	char url[256];
	long after_first;

	(void)state;
	snprintf(url, sizeof(url),
		 "host=127.0.0.1 port=%d dbname=nowhere connect_timeout=2",
		 h_free_port());
	restart_with_replica(url, "PRFAQ_DRAIN_DELAY_MS=0");
	assert_true(read_shows("/v1/prfaqs", "Replicated zebra"));
	after_first = metric("prfaqd_db_replica_fallbacks_total");
	assert_int_equal(after_first, 1);
	/* Resting: the next reads go straight to the primary. */
	assert_true(read_shows("/v1/prfaqs?q=zebra", "Replicated zebra"));
	read_shows("/v1/evidence", NULL);
	assert_int_equal(metric("prfaqd_db_replica_fallbacks_total"),
			 after_first);
	assert_int_equal(metric("prfaqd_db_replica_connects_total"), 0);
}

static void
test_sigterm_drains_before_closing(void **state)
{
	struct h_resp r;
	double t0;

	(void)state;
	restart_with_replica(srv.conninfo, "PRFAQ_DRAIN_DELAY_MS=5000");
	assert_int_equal(h_req(&srv, "GET", "/readyz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);

	t0 = h_now_ms();
	assert_int_equal(kill(srv.pid, SIGTERM), 0);
	/* The signal is handled at once: poll for the 503. */
	do {
		assert_int_equal(
			h_req(&srv, "GET", "/readyz", NULL, NULL, NULL, &r), 0);
		if (r.status == 503)
			break;
		h_resp_free(&r);
	} while (h_now_ms() - t0 < 1000);
	assert_problem(&r, 503);
	h_resp_free(&r);
	/* Still serving everything else (after the delay, the listener
	 * closes and these would be refused). */
	assert_true(read_shows("/v1/prfaqs", "Replicated zebra"));
	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	/* Then it exits 0 (h_kill waits; the second signal is harmless). */
	assert_int_equal(h_kill(&srv, SIGTERM), 0);
	assert_int_equal(h_restart(&srv, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_through_the_replica_pool),
		cmocka_unit_test(test_unreachable_replica_falls_back),
		cmocka_unit_test(test_sigterm_drains_before_closing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
