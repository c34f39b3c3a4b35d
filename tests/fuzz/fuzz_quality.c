/*
 * fuzz_quality.c - the Working Backwards quality checks on arbitrary JSON.
 *
 * The input is decoded like a request body and checked as a content object
 * (and, when it has one, as a body's "content"), with and without a today.
 * Beyond not crashing, the report keeps its promises: score 0..100, the
 * points of the findings sum to exactly 100 - score, every finding has a
 * known severity, a rule, a pointer and a message, the stats /v1/lint
 * documents are there, the same content gives the same report, and
 * prfaq_quality_errors() returns exactly the error findings.
 */
#include <string.h>

#include "fuzz_common.h"
#include "prfaq/quality.h"

static void
check_report(const json_t *content, const char *today)
{
	struct prfaq_quality_opts opts;
	json_t *report, *again, *findings, *stats, *errors, *f;
	json_int_t score, points = 0;
	size_t i, nerrors = 0;

	memset(&opts, 0, sizeof(opts));
	strcpy(opts.today, today);
	report = prfaq_quality_check(content, &opts);
	FUZZ_CHECK(report != NULL);
	FUZZ_CHECK(json_is_integer(json_object_get(report, "score")));
	score = json_integer_value(json_object_get(report, "score"));
	FUZZ_CHECK(score >= 0 && score <= 100);

	findings = json_object_get(report, "findings");
	FUZZ_CHECK(json_is_array(findings));
	json_array_foreach(findings, i, f) {
		const char *sev =
			json_string_value(json_object_get(f, "severity"));
		const char *ptr =
			json_string_value(json_object_get(f, "pointer"));
		json_t *p = json_object_get(f, "points");

		FUZZ_CHECK(sev != NULL);
		FUZZ_CHECK(strcmp(sev, "error") == 0 ||
			   strcmp(sev, "warning") == 0 ||
			   strcmp(sev, "info") == 0);
		FUZZ_CHECK(json_string_value(json_object_get(f, "rule")) !=
			   NULL);
		FUZZ_CHECK(json_string_value(json_object_get(f, "message")) !=
			   NULL);
		FUZZ_CHECK(ptr != NULL && (ptr[0] == '\0' || ptr[0] == '/'));
		FUZZ_CHECK(json_is_integer(p) && json_integer_value(p) >= 0);
		if (strcmp(sev, "info") == 0)
			FUZZ_CHECK(json_integer_value(p) == 0);
		if (strcmp(sev, "error") == 0)
			nerrors++;
		points += json_integer_value(p);
	}
	FUZZ_CHECK(points == 100 - score);

	stats = json_object_get(report, "stats");
	FUZZ_CHECK(json_is_object(stats));
	FUZZ_CHECK(
		json_is_integer(json_object_get(stats, "press_release_words")));
	FUZZ_CHECK(json_is_integer(json_object_get(stats, "faq_words")));
	FUZZ_CHECK(
		json_is_integer(json_object_get(stats, "external_questions")));
	FUZZ_CHECK(
		json_is_integer(json_object_get(stats, "internal_questions")));

	again = prfaq_quality_check(content, &opts);
	FUZZ_CHECK(again != NULL && json_equal(again, report));

	errors = prfaq_quality_errors(report);
	FUZZ_CHECK(json_is_array(errors) && json_array_size(errors) == nerrors);

	json_decref(errors);
	json_decref(again);
	json_decref(report);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *v;

	fuzz_init();
	v = fuzz_parse(data, size);
	if (v == NULL)
		return 0;
	check_report(v, "2026-11-25");
	check_report(v, "");
	if (json_object_get(v, "content") != NULL)
		check_report(json_object_get(v, "content"), "2026-11-25");
	json_decref(v);
	return 0;
}
