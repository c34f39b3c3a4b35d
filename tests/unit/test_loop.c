/*
 * test_loop.c - the pure rules of closing the loop (prfaq/loop.h): instants,
 * measurement batches, and the scorecard's arithmetic and signals on cases
 * computed by hand, with "today" fixed so the elapsed share is exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/loop.h"

static json_t *
load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	if (v == NULL)
		fail_msg("bad test JSON: %s", e.text);
	return v;
}

static void
test_instants(void **state)
{
	int64_t us;
	bool is_date;

	(void)state;
	assert_true(prfaq_instant_parse("1970-01-01", 10, &us, &is_date));
	assert_true(us == 0 && is_date);
	assert_true(
		prfaq_instant_parse("2026-01-01T00:00:00Z", 20, &us, &is_date));
	assert_true(us == INT64_C(1767225600) * 1000000 && !is_date);
	/* an offset is the same instant in UTC */
	assert_true(prfaq_instant_parse("2026-01-01T02:00:00+02:00", 25, &us,
					NULL));
	assert_true(us == INT64_C(1767225600) * 1000000);
	assert_true(
		prfaq_instant_parse("2026-01-01T00:00:00.25z", 23, &us, NULL));
	assert_true(us == INT64_C(1767225600) * 1000000 + 250000);
	assert_true(prfaq_instant_parse("1969-12-31T23:59:59Z", 20, &us, NULL));
	assert_true(us == -1000000);
	assert_true(prfaq_instant_parse("2028-02-29", 10, &us, NULL));
	assert_false(prfaq_instant_parse("2027-02-29", 10, &us, NULL));
	assert_false(
		prfaq_instant_parse("2026-01-01T24:00:00Z", 20, &us, NULL));
	assert_false(prfaq_instant_parse("2026-01-01T00:00:00", 19, &us, NULL));
	assert_false(prfaq_instant_parse("2026-01-01T00:00:00.1234567Z", 28,
					 &us, NULL));
	assert_false(
		prfaq_instant_parse("2026-01-01 00:00:00Z", 20, &us, NULL));
	assert_false(prfaq_instant_parse("yesterday", 9, &us, NULL));
}

/* The first error's pointer of a batch that must be refused. */
static void
expect_batch_error(const char *text, const char *pointer)
{
	struct prfaq_error err;
	json_t *body = load(text), *rows = NULL;
	const char *got;

	prfaq_error_init(&err);
	assert_int_equal(prfaq_measurements_check(body, &rows, &err),
			 PRFAQ_EINVAL);
	assert_null(rows);
	got = json_string_value(
		json_object_get(json_array_get(err.errors, 0), "pointer"));
	if (got == NULL || strcmp(got, pointer) != 0)
		fail_msg("%s: first error at %s, want %s", text,
			 got ? got : "(none)", pointer);
	prfaq_error_clear(&err);
	json_decref(body);
}

static void
test_batches(void **state)
{
	struct prfaq_error err;
	json_t *body, *rows = NULL, *metrics;
	char *big;
	size_t len = 0, cap = 64 * 1001 + 32;

	(void)state;
	prfaq_error_init(&err);
	body = load("{\"items\": [{\"metric\": \"a\", \"value\": 1, \"at\": "
		    "\"2026-01-01\"}, {\"metric\": \"a\", \"value\": 2.5, "
		    "\"at\": \"2026-01-01\", \"source\": \"x\", \"note\": "
		    "\"n\"}]}");
	assert_int_equal(prfaq_measurements_check(body, &rows, &err), PRFAQ_OK);
	assert_int_equal(json_array_size(rows), 2);
	assert_true(json_integer_value(json_object_get(json_array_get(rows, 1),
						       "at_us")) ==
		    INT64_C(1767225600) * 1000000);
	metrics = load("[{\"key\": \"b\"}]");
	assert_int_equal(prfaq_measurements_check_keys(rows, metrics, &err),
			 PRFAQ_EINVAL);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(err.errors, 0), "pointer")),
			    "/items/0/metric");
	prfaq_error_clear(&err);
	json_decref(metrics);
	json_decref(rows);
	json_decref(body);

	expect_batch_error("{\"items\": []}", "/items");
	expect_batch_error("{\"items\": {}}", "/items");
	expect_batch_error("{\"points\": []}", "");
	expect_batch_error("{\"items\": [{\"metric\": \"a\", \"value\": 1, "
			   "\"at\": \"2026-01-01\"}, {\"metric\": \"a\", "
			   "\"value\": 2, \"at\": \"2026-01-01T00:00:00Z\"}]}",
			   "/items/1");
	expect_batch_error("{\"items\": [{\"metric\": \"A\", \"value\": 1, "
			   "\"at\": \"2026-01-01\"}]}",
			   "/items/0/metric");
	expect_batch_error("{\"items\": [{\"metric\": \"a\", \"value\": "
			   "\"1\", \"at\": \"2026-01-01\"}]}",
			   "/items/0/value");
	expect_batch_error("{\"items\": [{\"metric\": \"a\", \"value\": 1, "
			   "\"at\": \"2026-01-01\", \"source\": \"\"}]}",
			   "/items/0/source");

	/* 1,001 points: refused at /items */
	big = malloc(cap);
	assert_non_null(big);
	len += (size_t)snprintf(big + len, cap - len, "{\"items\": [");
	for (int i = 0; i < 1001; i++)
		len += (size_t)snprintf(big + len, cap - len,
					"%s{\"metric\":\"a\",\"value\":%d,"
					"\"at\":\"2026-01-01\"}",
					i ? "," : "", i);
	snprintf(big + len, cap - len, "]}");
	expect_batch_error(big, "/items");
	free(big);
}

/* metrics[] of card with key. */
static const json_t *
card(const json_t *sc, const char *key)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(sc, "metrics"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "key")), key) ==
		    0)
			return m;
	fail_msg("no metric %s", key);
	return NULL;
}

static double
num(const json_t *m, const char *key)
{
	assert_true(json_is_number(json_object_get(m, key)));
	return json_number_value(json_object_get(m, key));
}

/*
 * Launched 2026-01-01, by 2026-01-21, today 2026-01-06: a quarter of the
 * time has gone.  out: (130-100)/(200-100) = 0.3 >= 0.25, on track.  in:
 * baseline from the first point 10, (12-10)/(20-10) = 0.2 < 0.25, off.
 * late: by 2026-01-05 has passed (share 1): (38-30)/(50-30) = 0.4, off.
 */
static void
test_scorecard(void **state)
{
	json_t *raw, *sc;
	const json_t *m;

	(void)state;
	raw = load(
		"{\"status\": \"launched\", \"launched_on\": \"2026-01-01\","
		" \"metrics\": ["
		"  {\"key\": \"out\", \"name\": \"Out\", \"kind\": \"output\","
		"   \"direction\": \"increase\", \"baseline\": 100, \"target\": 200,"
		"   \"by\": \"2026-01-21\"},"
		"  {\"key\": \"in\", \"name\": \"In\", \"kind\": \"input\","
		"   \"direction\": \"increase\", \"target\": 20, \"by\": \"2026-01-21\"},"
		"  {\"key\": \"late\", \"name\": \"Late\", \"kind\": \"output\","
		"   \"direction\": \"increase\", \"baseline\": 30, \"target\": 50,"
		"   \"by\": \"2026-01-05\"},"
		"  {\"key\": \"none\", \"name\": \"None\", \"kind\": \"input\","
		"   \"direction\": \"decrease\", \"target\": 1}],"
		" \"stats\": {"
		"  \"out\": {\"first\": 110, \"latest\": 130, \"latest_at\": \"x\", \"n\": 3},"
		"  \"in\": {\"first\": 10, \"latest\": 12, \"latest_at\": \"y\", \"n\": 2},"
		"  \"late\": {\"first\": 35, \"latest\": 38, \"latest_at\": \"z\", \"n\": 1},"
		"  \"none\": {\"first\": null, \"latest\": null, \"latest_at\": null, \"n\": 0}},"
		" \"voice\": {\"negative\": 3, \"neutral\": 0, \"positive\": 2}}");
	sc = prfaq_scorecard_build(raw, "2026-01-06");
	assert_non_null(sc);
	m = card(sc, "out");
	assert_true(fabs(num(m, "progress") - 0.3) < 1e-12);
	assert_true(json_is_true(json_object_get(m, "on_track")));
	assert_true(num(m, "baseline") == 100);
	m = card(sc, "in");
	assert_true(num(m, "baseline") == 10);
	assert_true(fabs(num(m, "progress") - 0.2) < 1e-12);
	assert_true(json_is_false(json_object_get(m, "on_track")));
	m = card(sc, "late");
	assert_true(json_is_false(json_object_get(m, "on_track")));
	m = card(sc, "none");
	assert_true(json_is_null(json_object_get(m, "latest")));
	assert_true(json_is_null(json_object_get(m, "progress")));
	assert_true(json_is_null(json_object_get(m, "on_track")));
	assert_true(json_is_null(json_object_get(m, "unit")));
	/* an input off track: no input-output signal; an output off track:
	 * no data-anecdote signal */
	assert_int_equal(json_array_size(json_object_get(sc, "signals")), 0);
	json_decref(sc);

	/* today 2026-01-03: a tenth gone; in is on track (0.2 >= 0.1) and
	 * late is off (0.4 < half of its own span): input-output-divergence */
	sc = prfaq_scorecard_build(raw, "2026-01-03");
	assert_true(json_is_true(json_object_get(card(sc, "in"), "on_track")));
	assert_int_equal(json_array_size(json_object_get(sc, "signals")), 1);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(sc, "signals"), 0),
			"type")),
		"input-output-divergence");
	json_decref(sc);

	/* without late, every measured output is on track and 3 of 5
	 * anecdotes are negative: data-anecdote-divergence */
	json_array_remove(json_object_get(raw, "metrics"), 2);
	sc = prfaq_scorecard_build(raw, "2026-01-03");
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(sc, "signals"), 0),
			"type")),
		"data-anecdote-divergence");
	json_decref(sc);
	/* as many positive as negative: nothing */
	json_object_set_new(json_object_get(raw, "voice"), "positive",
			    json_integer(3));
	sc = prfaq_scorecard_build(raw, "2026-01-03");
	assert_int_equal(json_array_size(json_object_get(sc, "signals")), 0);
	json_decref(sc);

	/* not launched: progress is known, on_track is not */
	json_object_set_new(raw, "launched_on", json_null());
	sc = prfaq_scorecard_build(raw, "2026-01-03");
	assert_true(json_is_null(json_object_get(card(sc, "out"), "on_track")));
	assert_true(fabs(num(card(sc, "out"), "progress") - 0.3) < 1e-12);
	json_decref(sc);
	json_decref(raw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instants),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_scorecard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
