/*
 * test_loop.c - closing the loop over HTTP: content.metrics (validation,
 * warnings, the HTML table), launch and what a launched PR/FAQ refuses,
 * measurements (every bad input of issue 17, roles, upserts, the list) and
 * the scorecard's arithmetic on cases computed by hand here, both signals
 * and the null cases included, and the events they write.
 */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct h_server srv;
static char *author, *other, *reviewer, *approver, *analyst, *plain;
static char author_id[40], analyst_id[40];
static char *strong; /* tests/fixtures/strong.json: no quality errors */

static int
setup(void **state)
{
	/* the webhook of the events test points at a closed loopback port */
	static const char *const env[] = { "PRFAQ_WEBHOOK_ALLOW_PRIVATE=1",
					   NULL };

	(void)state;
	if (h_start(&srv, env) != 0)
		return -1;
	author = h_user(&srv, "Ana", "\"author\"", author_id);
	other = h_user(&srv, "Bo", "\"author\"", NULL);
	reviewer = h_user(&srv, "Rui", "\"reviewer\"", NULL);
	approver = h_user(&srv, "Pat", "\"approver\"", NULL);
	analyst = h_user(&srv, "Pipeline", "\"analyst\"", analyst_id);
	plain = h_user(&srv, "Nobody", "", NULL);
	strong = h_read_file(PRFAQ_FIXTURES "/strong.json");
	if (strong != NULL) {
		/* each test brings its own metrics */
		json_t *c = json_loads(strong, 0, NULL);

		json_object_del(c, "metrics");
		free(strong);
		strong = json_dumps(c, JSON_COMPACT);
		json_decref(c);
	}
	return author && other && reviewer && approver && analyst && plain &&
			       strong ?
		       0 :
		       -1;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(author);
	free(other);
	free(reviewer);
	free(approver);
	free(analyst);
	free(plain);
	free(strong);
	return 0;
}

/* A date n days from today (UTC), YYYY-MM-DD, into buf (11 bytes). */
static const char *
day(char *buf, int n)
{
	time_t t = time(NULL) + (time_t)n * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
	return buf;
}

/* method path as token with body (may be NULL); asserts the status. */
static void
call(const char *token, const char *method, const char *path, const char *body,
     int want, struct h_resp *r)
{
	assert_int_equal(h_req(&srv, method, path, token, NULL, body, r), 0);
	assert_status(r, want);
}

/* "/v1/prfaqs/<id><suffix>" into buf (200 bytes). */
static const char *
at(char *buf, const char *id, const char *suffix)
{
	snprintf(buf, 200, "/v1/prfaqs/%s%s", id, suffix);
	return buf;
}

/* The pointer of the problem's first error. */
static const char *
first_pointer(const struct h_resp *r)
{
	return json_string_value(
		json_object_get(json_array_get(J(r, "errors"), 0), "pointer"));
}

/* A PR/FAQ by author with the strong content and metrics (a JSON list). */
static void
create(const char *metrics, char *id)
{
	struct h_resp r;

	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
		       "{\"title\":\"Instant refunds\",\"content\":%.*s,"
		       "\"metrics\":%s}}",
		       (int)(strrchr(strong, '}') - strong), strong, metrics),
		0);
	assert_status(&r, 201);
	strcpy(id, JS(&r, "id"));
	h_resp_free(&r);
}

/* Take id through review to approved. */
static void
approve(const char *id)
{
	struct h_resp r;
	char p[200];

	call(author, "POST", at(p, id, "/submit"), NULL, 200, &r);
	h_resp_free(&r);
	call(reviewer, "POST", at(p, id, "/reviews"),
	     "{\"verdict\":\"approve\",\"summary\":\"Measurable.\"}", 201, &r);
	h_resp_free(&r);
	call(approver, "POST", at(p, id, "/decision"),
	     "{\"outcome\":\"approved\",\"rationale\":\"Go.\"}", 200, &r);
	h_resp_free(&r);
}

/* Create, approve and launch (launch body, or NULL for none). */
static void
launched(const char *metrics, const char *launch, char *id)
{
	struct h_resp r;
	char p[200];

	create(metrics, id);
	approve(id);
	call(author, "POST", at(p, id, "/launch"), launch, 200, &r);
	assert_string_equal(JS(&r, "status"), "launched");
	h_resp_free(&r);
}

/* How many events of type the PR/FAQ has. */
static long
events_of(const char *id, const char *type)
{
	char sql[300];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM events WHERE prfaq_id = '%s' AND "
		 "type = '%s'",
		 id, type);
	return h_sql_count(&srv, sql);
}

#define M_ORDERS                                                              \
	"{\"key\":\"orders\",\"name\":\"Weekly orders\",\"kind\":\"output\"," \
	"\"direction\":\"increase\",\"baseline\":100,\"target\":200}"
#define M_ACCURACY                                                          \
	"{\"key\":\"stock-accuracy\",\"name\":\"Stock accuracy\",\"kind\":" \
	"\"input\",\"unit\":\"%\",\"direction\":\"increase\",\"target\":99}"

/* --- content.metrics ---------------------------------------------------- */

/*
 * GET the document as Markdown and PUT it back: a no-op (same ETag, no new
 * version) with metrics whose name and unit hold Markdown's characters.
 */
static void
put_own_markdown(const char *id)
{
	const char *accept[] = { "Accept: text/markdown", NULL };
	const char *put[] = { "Content-Type: text/markdown", "If-Match: \"1\"",
			      NULL };
	struct h_resp r;
	char p[200], etag[32];
	char *md;

	assert_int_equal(
		h_req(&srv, "GET", at(p, id, ""), author, accept, NULL, &r), 0);
	assert_status(&r, 200);
	assert_non_null(strstr(r.body, "## Metrics"));
	md = strdup(r.body);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "PUT", p, author, put, md, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(h_header(&r, "ETag", etag, sizeof(etag)), "\"1\"");
	assert_int_equal(JI(&r, "version"), 1);
	h_resp_free(&r);
	free(md);
}

static void
test_metrics_content(void **state)
{
	struct h_resp r;
	char id[40], p[200];
	const json_t *f;
	size_t i;
	bool no_output = false, no_input = false;

	(void)state;
	/* a duplicate key: 400 at the duplicate */
	call(author, "POST", "/v1/prfaqs",
	     "{\"title\":\"T\",\"content\":{\"metrics\":[" M_ORDERS "," M_ORDERS
	     "]}}",
	     400, &r);
	assert_problem(&r, 400);
	assert_string_equal(first_pointer(&r), "/content/metrics/1/key");
	h_resp_free(&r);
	/* a target that is not a number */
	call(author, "POST", "/v1/prfaqs",
	     "{\"title\":\"T\",\"content\":{\"metrics\":[{\"key\":\"a\","
	     "\"name\":\"A\",\"kind\":\"input\",\"direction\":\"increase\","
	     "\"target\":\"ten\"}]}}",
	     400, &r);
	assert_string_equal(first_pointer(&r), "/content/metrics/0/target");
	h_resp_free(&r);

	/* the warnings, and the table on the printable page */
	call(author, "POST", "/v1/lint", "{\"content\":{\"metrics\":[]}}", 200,
	     &r);
	json_array_foreach(J(&r, "findings"), i, f) {
		const char *rule =
			json_string_value(json_object_get(f, "rule"));

		no_output = no_output || strcmp(rule, "no-output-metric") == 0;
		no_input = no_input || strcmp(rule, "no-input-metric") == 0;
	}
	assert_true(no_output && no_input);
	h_resp_free(&r);

	create("[" M_ORDERS "," M_ACCURACY ","
	       "{\"key\":\"md-chars\",\"name\":\"*Bold* _claims_ # [x](y) <b>\","
	       "\"kind\":\"input\",\"unit\":\"`ms` | \\\\\",\"direction\":"
	       "\"decrease\",\"baseline\":0.25,\"target\":-1e-3,"
	       "\"by\":\"2027-01-31\"}]",
	       id);
	{
		const char *hdr[] = { "Accept: text/html", NULL };

		assert_int_equal(h_req(&srv, "GET", at(p, id, ""), author, hdr,
				       NULL, &r),
				 0);
		assert_status(&r, 200);
		assert_non_null(strstr(r.body, "<section class=\"metrics\">"));
		assert_non_null(strstr(r.body, "<code>stock-accuracy</code>"));
		h_resp_free(&r);
	}
	call(author, "GET", at(p, id, ""), NULL, 200, &r);
	f = json_object_get(J(&r, "quality"), "findings");
	json_array_foreach(f, i, f) {
		const char *rule =
			json_string_value(json_object_get(f, "rule"));

		assert_true(strcmp(rule, "no-output-metric") != 0 &&
			    strcmp(rule, "no-input-metric") != 0);
	}
	assert_true(json_is_null(J(&r, "launch")));
	h_resp_free(&r);
	put_own_markdown(id);
}

/* --- launch ------------------------------------------------------------- */

static void
test_launch_rules(void **state)
{
	struct h_resp r;
	char id[40], p[200], body[300];
	const char *hdr[] = { "If-Match: \"1\"", NULL };

	(void)state;
	create("[" M_ORDERS "]", id);
	/* a draft is not launched; the 409 says what to do */
	call(author, "POST", at(p, id, "/launch"), NULL, 409, &r);
	assert_problem(&r, 409);
	assert_non_null(strstr(JS(&r, "detail"), "/submit"));
	h_resp_free(&r);
	approve(id);
	/* only the owner (or an admin) */
	call(other, "POST", at(p, id, "/launch"), NULL, 403, &r);
	h_resp_free(&r);
	call(author, "POST", at(p, id, "/launch"),
	     "{\"launched_on\":\"2027-02-30\"}", 400, &r);
	assert_string_equal(first_pointer(&r), "/launched_on");
	h_resp_free(&r);
	call(author, "POST", at(p, id, "/launch"), "{\"when\":\"now\"}", 400,
	     &r);
	h_resp_free(&r);
	call(author, "POST", at(p, id, "/launch"),
	     "{\"launched_on\":\"2026-03-02\",\"note\":\"All stores.\"}", 200,
	     &r);
	assert_string_equal(JS(&r, "status"), "launched");
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "launch"), "on")),
		"2026-03-02");
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "launch"), "note")),
		"All stores.");
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(J(&r, "launch"), "by"), "id")),
		author_id);
	h_resp_free(&r);
	assert_int_equal(events_of(id, "launched"), 1);

	/* launched: no edit, reopen, submit or second launch; each 409 says
	 * what to do instead */
	snprintf(body, sizeof(body), "{\"title\":\"Changed\",\"content\":{}}");
	assert_int_equal(
		h_req(&srv, "PUT", at(p, id, ""), author, hdr, body, &r), 0);
	assert_status(&r, 409);
	assert_non_null(strstr(JS(&r, "detail"), "archive"));
	h_resp_free(&r);
	call(author, "POST", at(p, id, "/reopen"), NULL, 409, &r);
	assert_non_null(strstr(JS(&r, "detail"), "can only be archived"));
	h_resp_free(&r);
	call(author, "POST", at(p, id, "/submit"), NULL, 409, &r);
	h_resp_free(&r);
	call(author, "POST", at(p, id, "/launch"), NULL, 409, &r);
	h_resp_free(&r);

	/* the list filter knows the status */
	call(author, "GET", "/v1/prfaqs?status=launched", NULL, 200, &r);
	assert_true(json_array_size(J(&r, "items")) >= 1);
	h_resp_free(&r);

	call(author, "POST", at(p, id, "/archive"), NULL, 200, &r);
	assert_string_equal(JS(&r, "status"), "archived");
	assert_non_null(json_object_get(J(&r, "launch"), "on"));
	h_resp_free(&r);

	/* a launch without a date is today's (UTC) */
	launched("[" M_ORDERS "]", NULL, id);
	call(author, "GET", at(p, id, ""), NULL, 200, &r);
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "launch"), "on")),
		day(body, 0));
	h_resp_free(&r);
}

/* --- measurements ------------------------------------------------------- */

/* A batch of n points of metric, a day apart from 2026-01-01. */
static char *
batch(size_t n, const char *metric)
{
	size_t cap = 120 * n + 32, len;
	char *s = malloc(cap);

	assert_non_null(s);
	len = (size_t)snprintf(s, cap, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		time_t t = 1767225600 + (time_t)i * 86400; /* 2026-01-01 */
		struct tm tm;
		char d[32];

		gmtime_r(&t, &tm);
		strftime(d, sizeof(d), "%Y-%m-%dT%H:%M:%SZ", &tm);
		len += (size_t)snprintf(s + len, cap - len,
					"%s{\"metric\":\"%s\",\"value\":%zu,"
					"\"at\":\"%s\"}",
					i ? "," : "", metric, i, d);
	}
	snprintf(s + len, cap - len, "]}");
	return s;
}

static void
test_measurements(void **state)
{
	struct h_resp r;
	char id[40], p[200], draft[40];
	char *big;

	(void)state;
	create("[" M_ORDERS "]", draft);
	approve(draft);
	/* before launch: 409 with the next step */
	call(author, "POST", at(p, draft, "/measurements"),
	     "{\"items\":[{\"metric\":\"orders\",\"value\":1,"
	     "\"at\":\"2026-01-01\"}]}",
	     409, &r);
	assert_problem(&r, 409);
	assert_non_null(strstr(JS(&r, "detail"), "/launch"));
	h_resp_free(&r);

	launched("[" M_ORDERS "," M_ACCURACY "]", NULL, id);
	at(p, id, "/measurements");
	/* 1,001 points: 400 at /items, nothing written */
	big = batch(1001, "orders");
	call(analyst, "POST", p, big, 400, &r);
	assert_string_equal(first_pointer(&r), "/items");
	h_resp_free(&r);
	free(big);
	call(analyst, "POST", p, "{\"items\":[]}", 400, &r);
	h_resp_free(&r);
	/* a key the decided version does not have: 400 at its pointer */
	call(analyst, "POST", p,
	     "{\"items\":[{\"metric\":\"orders\",\"value\":1,\"at\":"
	     "\"2026-01-01\"},{\"metric\":\"revenue\",\"value\":2,\"at\":"
	     "\"2026-01-01\"}]}",
	     400, &r);
	assert_string_equal(first_pointer(&r), "/items/1/metric");
	h_resp_free(&r);
	/* the same point twice in one batch (a date is midnight UTC) */
	call(analyst, "POST", p,
	     "{\"items\":[{\"metric\":\"orders\",\"value\":1,\"at\":"
	     "\"2026-01-01\"},{\"metric\":\"orders\",\"value\":2,\"at\":"
	     "\"2026-01-01T02:00:00+02:00\"}]}",
	     400, &r);
	assert_string_equal(first_pointer(&r), "/items/1");
	h_resp_free(&r);
	call(analyst, "POST", p,
	     "{\"items\":[{\"metric\":\"orders\",\"value\":\"1\",\"at\":"
	     "\"2026-13-01\"}]}",
	     400, &r);
	assert_int_equal(json_array_size(J(&r, "errors")), 2);
	h_resp_free(&r);
	assert_int_equal(events_of(id, "measured"), 0);

	/* neither owner, admin nor analyst */
	call(plain, "POST", p,
	     "{\"items\":[{\"metric\":\"orders\",\"value\":1,\"at\":"
	     "\"2026-01-01\"}]}",
	     403, &r);
	h_resp_free(&r);

	/* 1,000 points from the pipeline, then the same again with a change */
	big = batch(1000, "orders");
	call(analyst, "POST", p, big, 200, &r);
	assert_int_equal(JI(&r, "created"), 1000);
	assert_int_equal(JI(&r, "updated"), 0);
	h_resp_free(&r);
	call(analyst, "POST", p, big, 200, &r);
	assert_int_equal(JI(&r, "created"), 0);
	assert_int_equal(JI(&r, "updated"), 1000);
	h_resp_free(&r);
	free(big);
	call(author, "POST", p,
	     "{\"items\":[{\"metric\":\"stock-accuracy\",\"value\":97.5,"
	     "\"at\":\"2026-01-02T10:00:00.25Z\",\"source\":\"wms\","
	     "\"note\":\"first count\"},{\"metric\":\"stock-accuracy\","
	     "\"value\":96,\"at\":\"2026-01-02T10:00:00.25Z\"}]}",
	     200, &r);
	assert_int_equal(JI(&r, "created"), 2);
	h_resp_free(&r);
	assert_int_equal(events_of(id, "measured"), 3);

	/* oldest first, filtered, paged */
	call(plain, "GET",
	     at(p, id, "/measurements?metric=stock-accuracy&limit=1"), NULL,
	     200, &r);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	{
		const json_t *m = json_array_get(J(&r, "items"), 0);

		assert_string_equal(json_string_value(json_object_get(m, "at")),
				    "2026-01-02T10:00:00.250000Z");
		/* "" sorts before "wms": the point without a source first */
		assert_true(json_is_null(json_object_get(m, "source")));
		assert_true(json_is_string(J(&r, "next_cursor")));
	}
	h_resp_free(&r);
	call(plain, "GET",
	     at(p, id,
		"/measurements?metric=orders&from=2026-01-03&to=2026-01-04"),
	     NULL, 200, &r);
	assert_int_equal(json_array_size(J(&r, "items")), 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(J(&r, "items"), 0), "value")),
			 2);
	h_resp_free(&r);
	call(plain, "GET", at(p, id, "/measurements?from=yesterday"), NULL, 400,
	     &r);
	h_resp_free(&r);
	call(plain, "GET", at(p, id, "/measurements?metric=Orders"), NULL, 400,
	     &r);
	h_resp_free(&r);
	call(plain, "GET", at(p, id, "/scorecard"), NULL, 200, &r);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_array_get(J(&r, "metrics"), 0), "measurements")),
		1000);
	h_resp_free(&r);
}

/* --- scorecard ---------------------------------------------------------- */

/* Link a new piece of evidence observed on date with sentiment to id. */
static void
voice(const char *id, const char *sentiment, const char *date)
{
	struct h_resp r;
	char p[200], eid[40];

	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/evidence", author, &r,
		       "{\"kind\":\"anecdote\",\"text\":\"It was %s.\","
		       "\"sentiment\":\"%s\",\"observed_on\":\"%s\"}",
		       sentiment, sentiment, date),
		0);
	assert_status(&r, 201);
	strcpy(eid, JS(&r, "id"));
	h_resp_free(&r);
	assert_int_equal(h_reqf(&srv, "POST", at(p, id, "/evidence"), author,
				&r, "{\"evidence_id\":\"%s\"}", eid),
			 0);
	assert_status(&r, 201);
	h_resp_free(&r);
}

/* Record one point as the owner. */
static void
point(const char *id, const char *metric, const char *value, const char *date)
{
	struct h_resp r;
	char p[200];

	assert_int_equal(h_reqf(&srv, "POST", at(p, id, "/measurements"),
				author, &r,
				"{\"items\":[{\"metric\":\"%s\",\"value\":%s,"
				"\"at\":\"%s\"}]}",
				metric, value, date),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
}

static const json_t *
card(const struct h_resp *r, const char *key)
{
	size_t i;
	json_t *m;

	json_array_foreach(J(r, "metrics"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "key")), key) ==
		    0)
			return m;
	fail_msg("no metric %s on the scorecard", key);
	return NULL;
}

static double
num(const json_t *m, const char *key)
{
	const json_t *v = json_object_get(m, key);

	assert_true(json_is_number(v));
	return json_number_value(v);
}

static bool
has_signal(const struct h_resp *r, const char *type)
{
	size_t i;
	json_t *s;

	json_array_foreach(J(r, "signals"), i, s)
		if (strcmp(json_string_value(json_object_get(s, "type")),
			   type) == 0)
			return true;
	return false;
}

/*
 * Launched 10 days ago; "by" 10 days ahead, so half the time has passed.
 *   orders (output): baseline 100, target 200, latest 160: progress 0.6,
 *     on track (0.6 >= 0.5).
 *   stock-accuracy (input): no baseline, so the first point 90 is; target
 *     99, latest 97: progress 7/9, on track.
 *   nps (output): baseline 30, target 50, by yesterday (elapsed 1), latest
 *     40: progress 0.5, off track -> input-output-divergence.
 *   flat (input): target equals baseline: progress null, on_track null.
 *   undated (output): no "by": progress 0.5, on_track null.
 *   unmeasured (input): latest, progress, on_track null, 0 points.
 */
static void
test_scorecard_arithmetic(void **state)
{
	struct h_resp r;
	char id[40], p[200], metrics[1500], launch[100];
	char d_on[11], d_by[11], d_past[11], d1[11], d2[11], before[11];
	const json_t *m;

	(void)state;
	day(d_on, -10);
	day(d_by, 10);
	day(d_past, -1);
	day(d1, -9);
	day(d2, -2);
	day(before, -30);
	snprintf(
		metrics, sizeof(metrics),
		"[{\"key\":\"orders\",\"name\":\"Orders\",\"kind\":\"output\","
		"\"direction\":\"increase\",\"baseline\":100,\"target\":200,"
		"\"by\":\"%s\"},"
		"{\"key\":\"stock-accuracy\",\"name\":\"Accuracy\",\"kind\":"
		"\"input\",\"unit\":\"%%\",\"direction\":\"increase\","
		"\"target\":99,\"by\":\"%s\"},"
		"{\"key\":\"nps\",\"name\":\"NPS\",\"kind\":\"output\","
		"\"direction\":\"increase\",\"baseline\":30,\"target\":50,"
		"\"by\":\"%s\"},"
		"{\"key\":\"flat\",\"name\":\"Flat\",\"kind\":\"input\","
		"\"direction\":\"decrease\",\"baseline\":5,\"target\":5,"
		"\"by\":\"%s\"},"
		"{\"key\":\"undated\",\"name\":\"Undated\",\"kind\":\"output\","
		"\"direction\":\"decrease\",\"baseline\":10,\"target\":6},"
		"{\"key\":\"unmeasured\",\"name\":\"Unmeasured\",\"kind\":"
		"\"input\",\"direction\":\"increase\",\"target\":1}]",
		d_by, d_by, d_past, d_by);
	snprintf(launch, sizeof(launch), "{\"launched_on\":\"%s\"}", d_on);
	launched(metrics, launch, id);
	point(id, "orders", "120", d1);
	point(id, "orders", "160", d2);
	point(id, "stock-accuracy", "90", d1);
	point(id, "stock-accuracy", "97", d2);
	point(id, "nps", "40", d2);
	point(id, "flat", "5", d2);
	point(id, "undated", "8", d2);
	/* 3 negative and 1 positive since launch; one before does not count */
	voice(id, "negative", d1);
	voice(id, "negative", d2);
	voice(id, "negative", d_on);
	voice(id, "positive", d2);
	voice(id, "negative", before);

	call(plain, "GET", at(p, id, "/scorecard"), NULL, 200, &r);
	assert_string_equal(JS(&r, "status"), "launched");
	assert_string_equal(JS(&r, "launched_on"), d_on);
	assert_int_equal(json_array_size(J(&r, "metrics")), 6);

	m = card(&r, "orders");
	assert_true(fabs(num(m, "progress") - 0.6) < 1e-9);
	assert_true(json_is_true(json_object_get(m, "on_track")));
	assert_true(num(json_object_get(m, "latest"), "value") == 160);
	assert_int_equal(json_integer_value(json_object_get(m, "measurements")),
			 2);
	assert_true(num(m, "baseline") == 100);
	assert_true(json_is_null(json_object_get(m, "unit")));

	m = card(&r, "stock-accuracy");
	assert_true(num(m, "baseline") == 90);
	assert_true(fabs(num(m, "progress") - 7.0 / 9.0) < 1e-9);
	assert_true(json_is_true(json_object_get(m, "on_track")));
	assert_string_equal(json_string_value(json_object_get(m, "unit")), "%");

	m = card(&r, "nps");
	assert_true(fabs(num(m, "progress") - 0.5) < 1e-9);
	assert_true(json_is_false(json_object_get(m, "on_track")));

	m = card(&r, "flat");
	assert_true(json_is_null(json_object_get(m, "progress")));
	assert_true(json_is_null(json_object_get(m, "on_track")));

	m = card(&r, "undated");
	assert_true(fabs(num(m, "progress") - 0.5) < 1e-9);
	assert_true(json_is_null(json_object_get(m, "on_track")));
	assert_true(json_is_null(json_object_get(m, "by")));

	m = card(&r, "unmeasured");
	assert_true(json_is_null(json_object_get(m, "latest")));
	assert_true(json_is_null(json_object_get(m, "progress")));
	assert_true(json_is_null(json_object_get(m, "on_track")));
	assert_true(json_is_null(json_object_get(m, "baseline")));
	assert_int_equal(json_integer_value(json_object_get(m, "measurements")),
			 0);

	m = json_object_get(J(&r, "voice"), "since_launch");
	assert_int_equal(json_integer_value(json_object_get(m, "negative")), 3);
	assert_int_equal(json_integer_value(json_object_get(m, "positive")), 1);
	assert_int_equal(json_integer_value(json_object_get(m, "neutral")), 0);

	/* the inputs are on track, nps is not; an output is off track, so
	 * the data do not look fine: no data-anecdote-divergence */
	assert_true(has_signal(&r, "input-output-divergence"));
	assert_false(has_signal(&r, "data-anecdote-divergence"));
	assert_int_equal(json_array_size(J(&r, "signals")), 1);
	h_resp_free(&r);
}

/*
 * The numbers look fine (the one measured output is on track) but 3 of 4
 * anecdotes since launch are negative: data-anecdote-divergence.  With
 * only 2 negative, nothing.  Not launched: everything null, no signal.
 */
static void
test_scorecard_signals(void **state)
{
	struct h_resp r;
	char id[40], id2[40], p[200], metrics[600], launch[100];
	char d_on[11], d_by[11], d1[11];
	const json_t *m;

	(void)state;
	day(d_on, -10);
	day(d_by, 10);
	day(d1, -1);
	snprintf(metrics, sizeof(metrics),
		 "[{\"key\":\"orders\",\"name\":\"Orders\",\"kind\":\"output\","
		 "\"direction\":\"decrease\",\"baseline\":50,\"target\":10,"
		 "\"by\":\"%s\"}]",
		 d_by);
	snprintf(launch, sizeof(launch), "{\"launched_on\":\"%s\"}", d_on);
	launched(metrics, launch, id);
	point(id, "orders", "20", d1); /* (20-50)/(10-50) = 0.75 >= 0.5 */
	voice(id, "negative", d1);
	voice(id, "negative", d1);
	voice(id, "neutral", d1);
	call(plain, "GET", at(p, id, "/scorecard"), NULL, 200, &r);
	assert_true(fabs(num(card(&r, "orders"), "progress") - 0.75) < 1e-9);
	assert_int_equal(json_array_size(J(&r, "signals")), 0);
	h_resp_free(&r);
	voice(id, "negative", d_on);
	voice(id, "positive", d1);
	call(plain, "GET", at(p, id, "/scorecard"), NULL, 200, &r);
	assert_true(has_signal(&r, "data-anecdote-divergence"));
	assert_false(has_signal(&r, "input-output-divergence"));
	h_resp_free(&r);

	/* approved, not launched: no launch date, nothing measured */
	create(metrics, id2);
	approve(id2);
	call(plain, "GET", at(p, id2, "/scorecard"), NULL, 200, &r);
	assert_string_equal(JS(&r, "status"), "approved");
	assert_true(json_is_null(J(&r, "launched_on")));
	m = card(&r, "orders");
	assert_true(json_is_null(json_object_get(m, "latest")));
	assert_true(json_is_null(json_object_get(m, "on_track")));
	assert_true(num(m, "baseline") == 50);
	assert_int_equal(json_array_size(J(&r, "signals")), 0);
	h_resp_free(&r);
	call(plain, "GET",
	     "/v1/prfaqs/00000000-0000-0000-0000-000000000000/scorecard", NULL,
	     404, &r);
	h_resp_free(&r);
}

/* launched and measured reach webhooks through the outbox. */
static void
test_events_reach_webhooks(void **state)
{
	struct h_resp r;
	char id[40], sql[300];

	(void)state;
	call(srv.admin_token, "POST", "/v1/webhooks",
	     "{\"url\":\"http://127.0.0.1:9/prfaq\",\"events\":"
	     "[\"launched\",\"measured\"]}",
	     201, &r);
	h_resp_free(&r);
	launched("[" M_ORDERS "]", NULL, id);
	point(id, "orders", "150", "2026-05-01");
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM webhook_deliveries d JOIN events e ON "
		 "e.id = d.event_id WHERE e.prfaq_id = '%s'",
		 id);
	assert_int_equal(h_sql_count(&srv, sql), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics_content),
		cmocka_unit_test(test_launch_rules),
		cmocka_unit_test(test_measurements),
		cmocka_unit_test(test_scorecard_arithmetic),
		cmocka_unit_test(test_scorecard_signals),
		cmocka_unit_test(test_events_reach_webhooks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
