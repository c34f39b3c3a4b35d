/*
 * test_deadline.c - no request waits on PostgreSQL for ever.
 *
 * A throwaway cluster is told that every commit must wait for a synchronous
 * standby, "ghost", that never connects: each COMMIT then blocks until it is
 * cancelled (the hang seen after a failover to a standby that still waited
 * for its peer).  prfaqd runs with a short PRFAQ_REQUEST_TIMEOUT_MS; a write
 * must end, within the deadline and a margin, in 503 problem+json with
 * Retry-After and a detail that says the outcome is unknown, and once the
 * standby requirement is lifted prfaqd must serve writes again without a
 * restart.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_MS 2000
/* The cancel's round trip, and slack for a loaded or sanitized build. */
#define MARGIN_MS  3000.0

static struct h_pg pg;
static struct h_server srv;
static char *author;

static int
setup(void **state)
{
	const char *env[] = { "PRFAQ_REQUEST_TIMEOUT_MS=2000",
			      "PRFAQ_THREADS=2", "PRFAQ_WEBHOOKS=0", NULL };

	(void)state;
	if (h_pg_init(&pg) != 0)
		return -1;
	/* The standby setting is cluster-wide: keep it off the shared one. */
	setenv("PRFAQ_TEST_PG", pg.conninfo, 1);
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
	h_pg_destroy(&pg);
	free(author);
	return 0;
}

/* Require (or, standby NULL, stop requiring) a synchronous standby. */
static void
require_standby(const char *standby)
{
	char sql[128];

	if (standby != NULL)
		snprintf(sql, sizeof(sql),
			 "ALTER SYSTEM SET synchronous_standby_names = '%s'",
			 standby);
	else
		snprintf(sql, sizeof(sql),
			 "ALTER SYSTEM RESET synchronous_standby_names");
	free(h_sql(srv.dbname, sql));
	free(h_sql(srv.dbname, "SELECT pg_reload_conf()"));
}

static void
test_blocked_commit_answers_503_in_time(void **state)
{
	struct h_resp r;
	char buf[64];
	double t0, took;

	(void)state;
	/* Warm the token cache: only the write itself meets the database. */
	assert_int_equal(
		h_req(&srv, "GET", "/v1/prfaqs", author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	h_resp_free(&r);

	require_standby("ghost");
	t0 = h_now_ms();
	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
				"{\"title\":\"Blocked\",\"team\":\"dl\"}"),
			 0);
	took = h_now_ms() - t0;
	assert_problem(&r, 503);
	assert_non_null(h_header(&r, "Retry-After", buf, sizeof(buf)));
	assert_non_null(strstr(JS(&r, "detail"), "may or may not"));
	/* Ended by the deadline: not sooner, and not much later. */
	assert_true(took >= TIMEOUT_MS - 100);
	assert_true(took <= TIMEOUT_MS + MARGIN_MS);
	h_resp_free(&r);

	/* Reads are not held up by the missing standby. */
	assert_int_equal(h_req(&srv, "GET", "/readyz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);

	require_standby(NULL);
	t0 = h_now_ms();
	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
				"{\"title\":\"Free\",\"team\":\"dl\"}"),
			 0);
	assert_status(&r, 201);
	assert_true(h_now_ms() - t0 < TIMEOUT_MS);
	h_resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocked_commit_answers_503_in_time),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
