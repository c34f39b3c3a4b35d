/*
 * test_evidence_import.c - POST /v1/evidence/import over HTTP: the upsert on
 * (source, source_ref) and its counts, a second identical import that
 * writes nothing (no updated_at moves, no events), lines without
 * source_ref, every bad line of issue 16 at its line number with nothing
 * written, who may import, the media type, the 10,000-line and byte limits,
 * and the /metrics counters.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prfaq/buf.h"

static struct h_server srv;
static char *analyst, *author;

/* A small import limit, so that 413 needs no 16 MiB body. */
#define IMPORT_LIMIT (4 * 1024 * 1024)

static int
setup(void **state)
{
	/* 10,000 lines on a loaded test machine may outlast the 10 s
	 * default deadline (a 503 with nothing written): not what is tested. */
	static const char *const env[] = {
		"PRFAQ_IMPORT_BODY_LIMIT=4194304",
		"PRFAQ_REQUEST_TIMEOUT_MS=120000",
		"PRFAQ_DB_STATEMENT_TIMEOUT_MS=120000", NULL
	};
	(void)state;
	if (h_start(&srv, env) != 0)
		return -1;
	analyst = h_user(&srv, "analyst", "\"analyst\"", NULL);
	author = h_user(&srv, "author", "\"author\"", NULL);
	return analyst != NULL && author != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(analyst);
	free(author);
	return 0;
}

/* POST body as NDJSON with token. */
static void
import(const char *token, const char *body, struct h_resp *r)
{
	static const char *const hd[] = { "Content-Type: application/x-ndjson",
					  NULL };

	assert_int_equal(h_req(&srv, "POST", "/v1/evidence/import", token, hd,
			       body, r),
			 0);
}

/*
 * The status of an import's headers alone, sent over a raw socket with
 * Content-Length: length and no body; the response into buf.  For what must
 * be refused before the upload: libcurl would send the body anyway once its
 * Expect: 100-continue wait ran out on a busy machine, and then fail on the
 * connection the server closed rather than report the status.
 */
static int
import_headers_only(const char *token, long length, char *buf, size_t cap)
{
	char head[512];
	int fd = h_connect(srv.port), status;

	assert_true(fd >= 0);
	snprintf(head, sizeof(head),
		 "POST /v1/evidence/import HTTP/1.1\r\nHost: x\r\n"
		 "Authorization: Bearer %s\r\n"
		 "Content-Type: application/x-ndjson\r\n"
		 "Content-Length: %ld\r\n\r\n",
		 token, length);
	assert_int_equal(write(fd, head, strlen(head)), (ssize_t)strlen(head));
	status = h_raw_status(fd, buf, cap);
	close(fd);
	return status;
}

/* 200 with these counts. */
static void
expect_counts(const struct h_resp *r, long created, long updated,
	      long unchanged)
{
	assert_status(r, 200);
	assert_int_equal(JI(r, "created"), created);
	assert_int_equal(JI(r, "updated"), updated);
	assert_int_equal(JI(r, "unchanged"), unchanged);
}

/* Has r an error entry at line with pointer? */
static bool
has_line(const struct h_resp *r, long line, const char *pointer)
{
	json_t *e;
	size_t i;

	json_array_foreach(J(r, "errors"), i, e) {
		const char *p =
			json_string_value(json_object_get(e, "pointer"));

		if (json_integer_value(json_object_get(e, "line")) == line &&
		    p != NULL && strcmp(p, pointer) == 0)
			return true;
	}
	return false;
}

static long
evidence_count(void)
{
	return h_sql_count(&srv, "SELECT count(*) FROM evidence");
}

static const char sync_body[] =
	"{\"kind\":\"anecdote\",\"text\":\"Checkout lost my cart twice.\","
	"\"source\":\"zendesk\",\"source_ref\":\"T-1\",\"sentiment\":"
	"\"negative\",\"tags\":[\"checkout\"],\"customer\":{\"segment\":"
	"\"SMB\",\"name\":\"Ana\"}}\n"
	"\n"
	"{\"kind\":\"request\",\"text\":\"Let me save a cart for later.\","
	"\"source\":\"zendesk\",\"source_ref\":\"T-2\",\"url\":"
	"\"https://support.example/T-2\"}\r\n"
	"{\"kind\":\"data\",\"text\":\"Cart abandonment, weekly\",\"value\":"
	"71.5,\"unit\":\"%\",\"source\":\"analytics\",\"source_ref\":"
	"\"abandon-w48\",\"observed_on\":\"2026-11-30\"}\n"
	"   \n";

static void
test_upsert_and_rerun(void **state)
{
	struct h_resp r;
	char *stamp, *stamp2, *creator;
	long events;
	(void)state;

	events = h_sql_count(&srv, "SELECT count(*) FROM events");
	import(analyst, sync_body, &r);
	expect_counts(&r, 3, 0, 0);
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM evidence "
					   "WHERE source = 'zendesk' AND "
					   "sentiment = 'negative' AND "
					   "segment = 'SMB' AND tags = "
					   "'{checkout}'"),
			 1);
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM evidence "
					   "WHERE kind = 'data' AND value = "
					   "71.5 AND unit = '%' AND "
					   "observed_on = '2026-11-30'"),
			 1);
	stamp = h_sql(srv.dbname,
		      "SELECT string_agg(updated_at::text || xmin::text, ',' "
		      "ORDER BY source_ref) FROM evidence");
	assert_non_null(stamp);

	/* The same sync again: nothing written, and it says so. */
	import(analyst, sync_body, &r);
	expect_counts(&r, 0, 0, 3);
	h_resp_free(&r);
	stamp2 = h_sql(srv.dbname,
		       "SELECT string_agg(updated_at::text || xmin::text, ',' "
		       "ORDER BY source_ref) FROM evidence");
	assert_string_equal(stamp, stamp2);
	free(stamp2);
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM events"),
			 events);

	/* One line changed, one dropped member (the url): one update. An
	 * admin runs it; the creator stays the analyst. */
	import(srv.admin_token,
	       "{\"kind\":\"anecdote\",\"text\":\"Checkout lost my cart "
	       "twice.\",\"source\":\"zendesk\",\"source_ref\":\"T-1\","
	       "\"sentiment\":\"negative\",\"tags\":[\"checkout\"],"
	       "\"customer\":{\"segment\":\"SMB\",\"name\":\"Ana\"}}\n"
	       "{\"kind\":\"request\",\"text\":\"Let me save a cart for "
	       "later.\",\"source\":\"zendesk\",\"source_ref\":\"T-2\"}\n",
	       &r);
	expect_counts(&r, 0, 1, 1);
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM evidence "
					   "WHERE source_ref = 'T-2' AND url "
					   "IS NULL AND updated_at > "
					   "created_at"),
			 1);
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM evidence "
					   "WHERE source_ref = 'T-1' AND "
					   "updated_at = created_at"),
			 1);
	creator = h_sql(srv.dbname,
			"SELECT u.name FROM evidence e JOIN users u ON u.id = "
			"e.created_by WHERE e.source_ref = 'T-2'");
	assert_string_equal(creator, "analyst");
	free(creator);
	free(stamp);

	/* The items read back like any other. */
	assert_int_equal(h_req(&srv, "GET", "/v1/evidence?source=analytics",
			       author, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	h_resp_free(&r);
}

/* Without source_ref a line has no key: created on every import. */
static void
test_no_source_ref(void **state)
{
	const char body[] = "{\"kind\":\"request\",\"text\":\"Dark mode, "
			    "please.\",\"source\":\"survey\"}\n";
	struct h_resp r;
	(void)state;

	import(analyst, body, &r);
	expect_counts(&r, 1, 0, 0);
	h_resp_free(&r);
	import(analyst, body, &r);
	expect_counts(&r, 1, 0, 0);
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM evidence "
					   "WHERE text = 'Dark mode, please.'"),
			 2);
}

/*
 * Each bad line of the issue, after a good one: 400 naming its line and
 * pointer, and nothing written, not even the good line.
 */
static void
test_bad_lines(void **state)
{
	static const char good[] =
		"{\"kind\":\"request\",\"text\":\"fine\",\"source\":\"s\","
		"\"source_ref\":\"bad-lines-1\"}\n\n";
	static const struct {
		const char *line, *pointer;
	} cases[] = {
		{ "{\"kind\":\"rumour\",\"text\":\"x\"}", "/kind" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"sentiment\":\"angry\"}",
		  "/sentiment" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"value\":3}",
		  "/value" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"url\":\"ftp://a.example/f\"}",
		  "/url" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"id\":\"mine\"}",
		  "/id" },
		{ "{\"kind\":\"anecdote\",\"text\":", "" },
		{ "[1, 2]", "" },
		{ "{\"kind\":\"request\",\"text\":\"fine\",\"source\":\"s\","
		  "\"source_ref\":\"bad-lines-1\"}",
		  "/source_ref" },
	};
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	long before = evidence_count();
	struct h_resp r;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b.len = 0;
		prfaq_buf_puts(&b, good);
		prfaq_buf_puts(&b, cases[i].line);
		prfaq_buf_puts(&b, "\n");
		import(analyst, b.data, &r);
		assert_problem(&r, 400);
		if (!has_line(&r, 3, cases[i].pointer))
			fail_msg("%s: no error at line 3, %s: %s",
				 cases[i].line, cases[i].pointer, r.body);
		h_resp_free(&r);
	}

	/* A 4,001-character text at line 2, a good 4,000 at line 1. */
	b.len = 0;
	prfaq_buf_puts(&b, "{\"kind\":\"request\",\"text\":\"");
	for (int i = 0; i < 4000; i++)
		prfaq_buf_putc(&b, 'y');
	prfaq_buf_puts(&b, "\"}\n{\"kind\":\"request\",\"text\":\"");
	for (int i = 0; i < 4001; i++)
		prfaq_buf_putc(&b, 'y');
	prfaq_buf_puts(&b, "\"}\n");
	import(analyst, b.data, &r);
	assert_problem(&r, 400);
	assert_true(has_line(&r, 2, "/text"));
	assert_int_equal(json_array_size(J(&r, "errors")), 1);
	h_resp_free(&r);

	/* Every problem at once, each at its own line. */
	import(analyst,
	       "{\"kind\":\"rumour\",\"text\":\"x\"}\n"
	       "{\"kind\":\"anecdote\",\"text\":\"x\"}\n"
	       "{\"kind\":\"anecdote\",\"text\":\"x\",\"unit\":\"%\"}\n",
	       &r);
	assert_problem(&r, 400);
	assert_true(has_line(&r, 1, "/kind"));
	assert_true(has_line(&r, 3, "/unit"));
	assert_int_equal(json_array_size(J(&r, "errors")), 2);
	h_resp_free(&r);

	/* No lines at all. */
	import(analyst, "\n\n", &r);
	assert_problem(&r, 400);
	h_resp_free(&r);

	assert_int_equal(evidence_count(), before);
	prfaq_buf_free(&b);
}

/* Admins and analysts only; NDJSON only. */
static void
test_who_and_media_type(void **state)
{
	static const char line[] = "{\"kind\":\"request\",\"text\":\"z\"}\n";
	struct h_resp r;
	long before = evidence_count();
	(void)state;

	import(author, line, &r);
	assert_problem(&r, 403);
	h_resp_free(&r);
	/*
	 * Refused on the headers: the body, up to 16 MiB, is never waited for
	 * (the server would otherwise wait PRFAQ_CONN_TIMEOUT for it).
	 */
	{
		char buf[4096];

		assert_int_equal(import_headers_only(author, IMPORT_LIMIT, buf,
						     sizeof(buf)),
				 403);
		assert_non_null(strstr(buf, "admin or analyst"));
	}
	import(NULL, line, &r);
	assert_problem(&r, 401);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "POST", "/v1/evidence/import", analyst,
			       NULL, line, &r),
			 0);
	assert_problem(&r, 415);
	h_resp_free(&r);
	assert_int_equal(evidence_count(), before);
}

/*
 * 10,000 lines: imported, then imported again unchanged; 10,001: 400 at
 * line 10,001.  Past the byte limit: 413, though the same bytes as JSON
 * elsewhere meet the 1 MiB body limit first.
 */
static void
test_limits(void **state)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	struct h_resp r;
	long before;
	(void)state;

	for (int i = 1; i <= 10000; i++)
		prfaq_buf_printf(&b,
				 "{\"kind\":\"anecdote\",\"text\":\"Ticket %d: "
				 "the export times out\",\"source\":\"bulk\","
				 "\"source_ref\":\"B-%d\",\"tags\":[\"export\","
				 "\"t%d\"]}\n",
				 i, i, i % 7);
	/* Over the 1 MiB general limit, under the import's own. */
	assert_true(b.len > 1024 * 1024 && b.len < IMPORT_LIMIT);
	import(analyst, b.data, &r);
	expect_counts(&r, 10000, 0, 0);
	h_resp_free(&r);
	import(analyst, b.data, &r);
	expect_counts(&r, 0, 0, 10000);
	h_resp_free(&r);

	before = evidence_count();
	prfaq_buf_puts(&b, "{\"kind\":\"request\",\"text\":\"one more\"}\n");
	import(analyst, b.data, &r);
	assert_problem(&r, 400);
	assert_true(has_line(&r, 10001, ""));
	h_resp_free(&r);
	assert_int_equal(evidence_count(), before);

	/* Over the import's limit: refused on the headers, before the upload. */
	{
		char buf[4096];

		assert_int_equal(import_headers_only(analyst, IMPORT_LIMIT + 1L,
						     buf, sizeof(buf)),
				 413);
		assert_non_null(strstr(buf, "application/problem+json"));
	}
	assert_int_equal(evidence_count(), before);
	prfaq_buf_free(&b);
}

/* /metrics counts what the imports did (this process's totals). */
static void
test_metrics(void **state)
{
	struct h_resp r;
	(void)state;

	assert_int_equal(h_req(&srv, "GET", "/metrics", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_non_null(strstr(r.body, "prfaqd_evidence_imported_total{outcome="
				       "\"created\"} 10005\n"));
	assert_non_null(strstr(r.body, "prfaqd_evidence_imported_total{outcome="
				       "\"unchanged\"} 10004\n"));
	assert_non_null(strstr(r.body, "prfaqd_evidence_imported_total{outcome="
				       "\"updated\"} 1\n"));
	assert_non_null(strstr(r.body, "prfaqd_evidence_imports_total{result="
				       "\"written\"} 7\n"));
	assert_non_null(strstr(r.body, "prfaqd_evidence_imports_total{result="
				       "\"rejected\"} 12\n"));
	assert_non_null(
		strstr(r.body, "# TYPE prfaqd_evidence_links_total counter\n"));
	h_resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upsert_and_rerun),
		cmocka_unit_test(test_no_source_ref),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_who_and_media_type),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_metrics),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
