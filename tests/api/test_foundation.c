/*
 * test_foundation.c - routing, body limits, media types, request ids, ops
 * endpoints, migrations, concurrent start-up and graceful shutdown.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static struct h_server srv;

static int
setup(void **state)
{
	return h_start(&srv, NULL);
}

static int
teardown(void **state)
{
	h_stop(&srv);
	return 0;
}

static void
test_unknown_path_is_404(void **state)
{
	struct h_resp r;

	assert_int_equal(h_req(&srv, "GET", "/nope", NULL, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	/* Trailing slashes and empty segments name nothing either. */
	assert_int_equal(h_req(&srv, "GET", "/healthz/", NULL, NULL, NULL, &r),
			 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1//me", srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
}

static void
test_wrong_method_is_405_with_allow(void **state)
{
	struct h_resp r;
	char allow[128];

	assert_int_equal(
		h_req(&srv, "DELETE", "/healthz", NULL, NULL, NULL, &r), 0);
	assert_problem(&r, 405);
	assert_non_null(h_header(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "GET, HEAD, OPTIONS");
	h_resp_free(&r);

	assert_int_equal(h_req(&srv, "PUT", "/v1/users", srv.admin_token, NULL,
			       "{}", &r),
			 0);
	assert_problem(&r, 405);
	assert_non_null(h_header(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "GET, HEAD, POST, OPTIONS");
	h_resp_free(&r);

	/* Where the API has another way, the detail names it. */
	assert_int_equal(
		h_req(&srv, "DELETE",
		      "/v1/prfaqs/0b8a6f8e-5c1d-4e59-9a0e-3f1f6d2a7b10",
		      srv.admin_token, NULL, NULL, &r),
		0);
	assert_problem(&r, 405);
	assert_non_null(JS(&r, "detail"));
	assert_non_null(
		strstr(JS(&r, "detail"),
		       "archive it (POST /v1/prfaqs/"
		       "0b8a6f8e-5c1d-4e59-9a0e-3f1f6d2a7b10/archive)"));
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "DELETE",
			       "/v1/users/0b8a6f8e-5c1d-4e59-9a0e-3f1f6d2a7b10",
			       srv.admin_token, NULL, NULL, &r),
			 0);
	assert_problem(&r, 405);
	assert_non_null(JS(&r, "detail"));
	assert_non_null(strstr(JS(&r, "detail"), "deactivate them (PATCH "));
	h_resp_free(&r);
	/* Elsewhere it names only what is allowed. */
	assert_int_equal(
		h_req(&srv, "DELETE",
		      "/v1/prfaqs/0b8a6f8e-5c1d-4e59-9a0e-3f1f6d2a7b10/"
		      "versions",
		      srv.admin_token, NULL, NULL, &r),
		0);
	assert_problem(&r, 405);
	assert_non_null(JS(&r, "detail"));
	assert_null(strstr(JS(&r, "detail"), "archive"));
	h_resp_free(&r);
}

static void
test_head_and_options(void **state)
{
	struct h_resp r;
	char allow[128];

	assert_int_equal(h_req(&srv, "HEAD", "/healthz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(r.len, 0);
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "OPTIONS", "/v1/users", NULL, NULL, NULL, &r), 0);
	assert_status(&r, 204);
	assert_non_null(h_header(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "GET, HEAD, POST, OPTIONS");
	/* No CORS origins configured: no CORS headers. */
	assert_null(h_header(&r, "Access-Control-Allow-Origin", allow,
			     sizeof(allow)));
	h_resp_free(&r);
}

static void
test_request_id_echoed_or_made(void **state)
{
	const char *hdr[] = { "X-Request-Id: my-trace.42", NULL };
	const char *bad[] = { "X-Request-Id: has spaces and \"quotes\"", NULL };
	struct h_resp r;
	char id[160], id2[160];

	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, hdr, NULL, &r),
			 0);
	assert_non_null(h_header(&r, "X-Request-Id", id, sizeof(id)));
	assert_string_equal(id, "my-trace.42");
	h_resp_free(&r);
	/* Errors carry it too. */
	assert_int_equal(h_req(&srv, "GET", "/nope", NULL, hdr, NULL, &r), 0);
	assert_non_null(h_header(&r, "X-Request-Id", id, sizeof(id)));
	assert_string_equal(id, "my-trace.42");
	h_resp_free(&r);
	/* An unusable id is replaced, and generated ids differ. */
	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, bad, NULL, &r),
			 0);
	assert_non_null(h_header(&r, "X-Request-Id", id, sizeof(id)));
	assert_null(strchr(id, ' '));
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, NULL, NULL, &r),
			 0);
	assert_non_null(h_header(&r, "X-Request-Id", id2, sizeof(id2)));
	assert_string_not_equal(id, id2);
	h_resp_free(&r);
	/*
	 * It is logged and echoed, so a token's secret part (43 base64url
	 * characters, no prefix) pasted there by mistake is neither.
	 */
	const char *secret[] = {
		"X-Request-Id: trace:Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF",
		NULL
	};
	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, secret, NULL, &r),
			 0);
	assert_non_null(h_header(&r, "X-Request-Id", id, sizeof(id)));
	assert_null(strstr(id, "Zm9vYmFy"));
	h_resp_free(&r);
	/* Ids of UUIDs and other traces stay as sent. */
	const char *uuid[] = {
		"X-Request-Id: 6f1c2a9e-8b1d-4c2e-9f0a-1b2c3d4e5f60.1", NULL
	};
	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, uuid, NULL, &r),
			 0);
	assert_non_null(h_header(&r, "X-Request-Id", id, sizeof(id)));
	assert_string_equal(id, "6f1c2a9e-8b1d-4c2e-9f0a-1b2c3d4e5f60.1");
	h_resp_free(&r);
}

static void
test_oversized_body_is_413_before_upload(void **state)
{
	char head[512], buf[4096];
	double t0;
	int fd;

	/* Content-Length says 2 MiB: refused before a byte of body is sent. */
	fd = h_connect(srv.port);
	assert_true(fd >= 0);
	snprintf(
		head, sizeof(head),
		"POST /v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		srv.admin_token, 2 * 1024 * 1024);
	t0 = h_now_ms();
	assert_int_equal(write(fd, head, strlen(head)), (ssize_t)strlen(head));
	assert_int_equal(h_raw_status(fd, buf, sizeof(buf)), 413);
	assert_true(h_now_ms() - t0 < 2000);
	assert_non_null(strstr(buf, "application/problem+json"));
	close(fd);

	/* Chunked, no Content-Length: refused once the limit is crossed. */
	{
		struct h_resp r;
		size_t n = 2 * 1024 * 1024;
		char *big = malloc(n + 1);
		const char *hdr[] = { "Transfer-Encoding: chunked", NULL };

		memset(big, ' ', n);
		big[0] = '[';
		big[n - 1] = ']';
		big[n] = '\0';
		assert_int_equal(h_req(&srv, "POST", "/v1/users",
				       srv.admin_token, hdr, big, &r),
				 0);
		assert_problem(&r, 413);
		h_resp_free(&r);
		free(big);
	}
	/* And the server is fine. */
	{
		struct h_resp r;

		assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, NULL,
				       NULL, &r),
				 0);
		assert_status(&r, 200);
		h_resp_free(&r);
	}
}

static void
test_wrong_content_type_is_415(void **state)
{
	const char *text[] = { "Content-Type: text/plain", NULL };
	const char *form[] = {
		"Content-Type: application/x-www-form-urlencoded", NULL
	};
	const char *charset[] = {
		"Content-Type: Application/JSON; charset=utf-8", NULL
	};
	struct h_resp r;

	assert_int_equal(h_req(&srv, "POST", "/v1/users", srv.admin_token, text,
			       "{}", &r),
			 0);
	assert_problem(&r, 415);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "POST", "/v1/users", srv.admin_token, form,
			       "a=b", &r),
			 0);
	assert_problem(&r, 415);
	h_resp_free(&r);
	/* Parameters and case do not matter; this reaches validation (400). */
	assert_int_equal(h_req(&srv, "POST", "/v1/users", srv.admin_token,
			       charset, "{}", &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
}

static void
test_malformed_json_is_400(void **state)
{
	static const char *const bodies[] = {
		"{",
		"{\"name\": }",
		"[1,2",
		"{\"name\":\"a\",\"name\":\"b\"}",
		"{\"name\":\"\\u0000\"}",
		"nul",
		"{\"n\": 123456789012345678901234567890}",
		"\xff\xfe",
		"",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct h_resp r;

		assert_int_equal(h_req(&srv, "POST", "/v1/users",
				       srv.admin_token, NULL, bodies[i], &r),
				 0);
		assert_problem(&r, 400);
		h_resp_free(&r);
	}
}

static void
test_ops_endpoints(void **state)
{
	struct h_resp r;
	char ct[128];

	assert_int_equal(h_req(&srv, "GET", "/readyz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);

	/* Requests are counted when they complete, just after the reply. */
	for (int i = 0; i < 50; i++) {
		assert_int_equal(h_req(&srv, "GET", "/metrics", NULL, NULL,
				       NULL, &r),
				 0);
		assert_status(&r, 200);
		if (strstr(r.body, "route=\"/readyz\",status=\"200\"}") != NULL)
			break;
		h_resp_free(&r);
		usleep(20000);
	}
	assert_non_null(strstr(
		r.body,
		"prfaqd_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"}"));
	assert_non_null(
		strstr(r.body, "prfaqd_http_request_duration_seconds_bucket"));
	assert_non_null(strstr(r.body, "prfaqd_db_pool_in_use"));
	assert_non_null(strstr(r.body, "prfaqd_db_pool_waiting"));
	h_resp_free(&r);

	assert_int_equal(
		h_req(&srv, "GET", "/openapi.yaml", NULL, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_non_null(h_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/yaml");
	assert_true(strncmp(r.body, "openapi: 3.", 11) == 0);
	h_resp_free(&r);
}

static void
test_readyz_follows_the_database(void **state)
{
	struct h_pg pg;
	struct h_server s2;
	char dbname[64];
	double t0;

	assert_int_equal(h_pg_init(&pg), 0);
	memset(&s2, 0, sizeof(s2));
	snprintf(dbname, sizeof(dbname), "readyz");
	assert_int_equal(h_sh("psql -q '%s' -c 'CREATE DATABASE readyz'",
			      pg.conninfo),
			 0);
	snprintf(s2.conninfo, sizeof(s2.conninfo),
		 "host=%s user=postgres dbname=%s", pg.dir, dbname);
	snprintf(s2.log_path, sizeof(s2.log_path), "%s/prfaqd.log", pg.dir);
	s2.port = h_free_port();
	{
		const char *env[] = { "PRFAQ_DB_POOL_WAIT_MS=500", NULL };
		struct h_resp r;

		assert_int_equal(h_restart(&s2, env), 0);
		assert_int_equal(
			h_req(&s2, "GET", "/readyz", NULL, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		h_resp_free(&r);

		/* PostgreSQL goes away: not ready, yet alive, and quick to say so. */
		assert_int_equal(h_pg_stop(&pg, "immediate"), 0);
		t0 = h_now_ms();
		assert_int_equal(
			h_req(&s2, "GET", "/readyz", NULL, NULL, NULL, &r), 0);
		assert_problem(&r, 503);
		assert_true(h_now_ms() - t0 < 6000);
		h_resp_free(&r);
		assert_int_equal(
			h_req(&s2, "GET", "/healthz", NULL, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		h_resp_free(&r);

		/* It comes back: ready again, without restarting prfaqd. */
		assert_int_equal(h_pg_start(&pg), 0);
		assert_int_equal(
			h_req(&s2, "GET", "/readyz", NULL, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		h_resp_free(&r);
		assert_int_equal(h_kill(&s2, SIGTERM), 0);
	}
	h_pg_destroy(&pg);
}

static void
test_migrations_once_and_idempotent(void **state)
{
	char dbname[64], conninfo[512], *v;
	const char *bin = getenv("PRFAQD_BIN");

	assert_int_equal(h_db_create(dbname, sizeof(dbname)), 0);
	snprintf(conninfo, sizeof(conninfo), "%s dbname=%s",
		 getenv("PRFAQ_TEST_PG") ? getenv("PRFAQ_TEST_PG") : "",
		 dbname);
	/* Two instances at once against an empty database: no race. */
	assert_int_equal(
		h_sh("PRFAQ_DATABASE_URL='%s' '%s' migrate 2>/dev/null & "
		     "PRFAQ_DATABASE_URL='%s' '%s' migrate 2>/dev/null & "
		     "wait %%1 && wait %%2",
		     conninfo, bin, conninfo, bin),
		0);
	v = h_sql(dbname,
		  "SELECT count(*) = count(DISTINCT version) AND count(*) > 0"
		  " FROM schema_migrations");
	assert_string_equal(v, "t");
	free(v);
	/* Again: nothing to do, nothing changes. */
	v = h_sql(dbname, "SELECT count(*) FROM schema_migrations");
	assert_int_equal(
		h_sh("PRFAQ_DATABASE_URL='%s' '%s' migrate 2>/dev/null",
		     conninfo, bin),
		0);
	{
		char *v2 =
			h_sql(dbname, "SELECT count(*) FROM schema_migrations");

		assert_string_equal(v, v2);
		free(v2);
	}
	free(v);
	/* A file changed after it was applied is refused. */
	free(h_sql(
		dbname,
		"UPDATE schema_migrations SET checksum = 'x' WHERE version = 1"));
	assert_int_not_equal(
		h_sh("PRFAQ_DATABASE_URL='%s' '%s' migrate 2>/dev/null",
		     conninfo, bin),
		0);
	h_db_drop(dbname);
}

static void
test_two_servers_start_together(void **state)
{
	struct h_server a, b;
	char dbname[64];
	char *v;

	assert_int_equal(h_db_create(dbname, sizeof(dbname)), 0);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	snprintf(a.conninfo, sizeof(a.conninfo), "%s dbname=%s",
		 getenv("PRFAQ_TEST_PG") ? getenv("PRFAQ_TEST_PG") : "",
		 dbname);
	strcpy(b.conninfo, a.conninfo);
	snprintf(a.log_path, sizeof(a.log_path), "%s_a.log", dbname);
	snprintf(b.log_path, sizeof(b.log_path), "%s_b.log", dbname);
	a.port = h_free_port();
	do
		b.port = h_free_port();
	while (b.port == a.port);
	/* h_restart waits for /healthz, so start both before waiting. */
	assert_int_equal(
		h_sh("PRFAQ_DATABASE_URL='%s' PRFAQ_PORT=%d '%s' >>%s 2>&1 & "
		     "echo $! > %s.pid",
		     a.conninfo, b.port, getenv("PRFAQD_BIN"), b.log_path,
		     dbname),
		0);
	assert_int_equal(h_restart(&a, NULL), 0);
	{
		struct h_resp r;
		int ok = 0;

		/*
		 * Up to 30 s: b waits for a's migrations under the advisory
		 * lock, fourteen of them now, on a machine running the other
		 * suites at once.
		 */
		for (int i = 0; i < 300 && !ok; i++) {
			if (h_req(&b, "GET", "/readyz", NULL, NULL, NULL, &r) ==
				    0 &&
			    r.status == 200)
				ok = 1;
			h_resp_free(&r);
			if (!ok)
				usleep(100000);
		}
		assert_true(ok);
		assert_int_equal(
			h_req(&a, "GET", "/readyz", NULL, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		h_resp_free(&r);
	}
	v = h_sql(
		dbname,
		"SELECT count(*) = count(DISTINCT version) FROM schema_migrations");
	assert_string_equal(v, "t");
	free(v);
	h_kill(&a, SIGTERM);
	h_sh("kill -TERM $(cat %s.pid); sleep 0.5; rm -f %s.pid %s %s", dbname,
	     dbname, a.log_path, b.log_path);
	h_db_drop(dbname);
}

static void
test_graceful_shutdown_finishes_in_flight(void **state)
{
	struct h_server s2;
	char head[512], buf[4096];
	const char *body =
		"{\"name\":\"Late\",\"email\":\"late@test.example\",\"roles\":[]}";
	int fd, status;
	pid_t pid;

	/* A server of our own, since this one is stopped. */
	s2 = srv;
	s2.port = h_free_port();
	snprintf(s2.log_path, sizeof(s2.log_path), "%s_shutdown.log",
		 srv.dbname);
	assert_int_equal(h_restart(&s2, NULL), 0);

	{
		struct sockaddr_in a = { .sin_family = AF_INET };

		fd = socket(AF_INET, SOCK_STREAM, 0);
		a.sin_port = htons((uint16_t)s2.port);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)),
				 0);
	}
	snprintf(
		head, sizeof(head),
		"POST /v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
		"Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
		srv.admin_token, strlen(body));
	/* Headers and half the body: the request is in flight. */
	assert_true(write(fd, head, strlen(head)) > 0);
	assert_true(write(fd, body, 10) == 10);
	usleep(200000);
	pid = s2.pid;
	kill(pid, SIGTERM);
	usleep(300000);
	/* Still running, waiting for us; new connections are refused. */
	assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
	{
		struct h_resp r;

		assert_int_not_equal(
			h_req(&s2, "GET", "/healthz", NULL, NULL, NULL, &r), 0);
	}
	assert_true(write(fd, body + 10, strlen(body) - 10) > 0);
	assert_int_equal(h_raw_status(fd, buf, sizeof(buf)), 201);
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	unlink(s2.log_path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_path_is_404),
		cmocka_unit_test(test_wrong_method_is_405_with_allow),
		cmocka_unit_test(test_head_and_options),
		cmocka_unit_test(test_request_id_echoed_or_made),
		cmocka_unit_test(test_oversized_body_is_413_before_upload),
		cmocka_unit_test(test_wrong_content_type_is_415),
		cmocka_unit_test(test_malformed_json_is_400),
		cmocka_unit_test(test_ops_endpoints),
		cmocka_unit_test(test_readyz_follows_the_database),
		cmocka_unit_test(test_migrations_once_and_idempotent),
		cmocka_unit_test(test_two_servers_start_together),
		cmocka_unit_test(test_graceful_shutdown_finishes_in_flight),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
