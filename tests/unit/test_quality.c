/*
 * test_quality.c - the Working Backwards quality checks, rule by rule.
 *
 * Most tests start from BASE, a small content object that trips nothing, and
 * change one member so exactly one rule fires; the same edit in the other
 * direction proves the rule stays quiet.  Every report goes through
 * report_check(), which asserts the invariants of the contract: the shape of
 * each finding, findings in rule-table order, points summing to 100 - score.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prfaq/alloc.h"
#include "prfaq/buf.h"
#include "prfaq/json.h"
#include "prfaq/quality.h"
#include "prfaq/wordlists.h"

#define TODAY "2026-06-01"

/* The rule table order: the report lists findings in this order. */
static const char *const rule_order[] = {
	"missing-headline",
	"missing-summary",
	"missing-problem",
	"missing-solution",
	"missing-customer-quote",
	"missing-external-faq",
	"missing-internal-faq",
	"press-release-too-long",
	"faq-too-long",
	"headline-length",
	"launch-date-past",
	"summary-length",
	"press-release-over-a-page",
	"unquantified-problem",
	"quote-without-speaker",
	"gushing-quote",
	"long-sentence",
	"weasel-word",
	"hype-word",
	"undefined-acronym",
	"unanswered-question",
	"thin-external-faq",
	"thin-internal-faq",
	"internal-faq-no-risk",
	"internal-faq-no-economics",
	"internal-faq-no-market-size",
	"internal-faq-no-dependencies",
	"no-output-metric",
	"no-input-metric",
	"risk-cap",
	"reading-grade",
	"word-count",
};

#define NRULES (sizeof(rule_order) / sizeof(rule_order[0]))

static const char BASE[] =
	"{\"press_release\": {"
	"\"headline\": \"Example Shop refunds returns the moment you drop them off\","
	"\"subheading\": \"Shoppers get their money back within 60 seconds of the carrier scan.\","
	"\"launch_date\": \"2031-03-03\","
	"\"location\": \"SEATTLE\","
	"\"summary\": \"Example Shop today launched Instant Refunds for every customer in "
	"the United States. When you drop off a return, the carrier scans the package "
	"and the refund reaches your card within 60 seconds, with no fee.\","
	"\"problem\": \"A refund takes 6 to 10 days today, and customers cannot tell when "
	"it will arrive.\","
	"\"solution\": \"We pay the refund when the carrier scans the package, not when it "
	"reaches our warehouse.\","
	"\"leader_quote\": {\"text\": \"Customers should not wait a week for their own "
	"money.\", \"speaker\": \"Dana Ortiz, Vice President of Returns\"},"
	"\"how_it_works\": \"Start a return in the app. Drop the package off. Watch the "
	"refund arrive.\","
	"\"customer_quote\": {\"text\": \"The refund was on my card before I got back to "
	"the car.\", \"speaker\": \"Priya Shah, Denver\"},"
	"\"call_to_action\": \"Learn more at example.com/refunds.\"},"
	"\"faq\": {\"external\": ["
	"{\"question\": \"What does it cost?\", \"answer\": \"Nothing.\"},"
	"{\"question\": \"Which returns qualify?\", \"answer\": \"Items sold and shipped "
	"by Example Shop.\"},"
	"{\"question\": \"How do I get help?\", \"answer\": \"Tap Help in the app.\"}],"
	"\"internal\": ["
	"{\"question\": \"How many customers are there?\", \"answer\": \"31 million "
	"returned an item last year.\"},"
	"{\"question\": \"What is the margin impact?\", \"answer\": \"Plus $36 million a "
	"year.\"},"
	"{\"question\": \"What are the risks?\", \"answer\": \"Fraud. We stop at 0.5% of "
	"refunded value.\"},"
	"{\"question\": \"What do we depend on?\", \"answer\": \"Carrier scan events from "
	"3 carriers.\"}]},"
	"\"metrics\": ["
	"{\"key\": \"repeat-orders\", \"name\": \"Repeat orders\", \"kind\": "
	"\"output\", \"direction\": \"increase\", \"target\": 12.5, "
	"\"by\": \"2031-12-31\"},"
	"{\"key\": \"refund-seconds\", \"name\": \"Median refund time\", "
	"\"kind\": \"input\", \"unit\": \"s\", \"direction\": \"decrease\", "
	"\"baseline\": 691200, \"target\": 60}]}";

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static json_t *
load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	if (v == NULL)
		fail_msg("bad test JSON: %s at %d:%d", e.text, e.line,
			 e.column);
	return v;
}

static json_t *
base(void)
{
	return load(BASE);
}

static json_t *
fixture(const char *name)
{
	char path[4096];
	json_error_t e;
	json_t *v;

	snprintf(path, sizeof(path), "%s/%s", PRFAQ_FIXTURES, name);
	v = json_load_file(path, 0, &e);
	if (v == NULL)
		fail_msg("%s: %s at %d:%d", path, e.text, e.line, e.column);
	return v;
}

/* Split "/a/b/c" into the parent "/a/b" (resolved in doc) and "c". */
static json_t *
parent_of(json_t *doc, const char *ptr, char *last, size_t size)
{
	const char *slash = strrchr(ptr, '/');
	char parent[256];
	json_t *p;

	assert_non_null(slash);
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - ptr), ptr);
	snprintf(last, size, "%s", slash + 1);
	p = prfaq_pointer_get(doc, parent);
	assert_non_null(p);
	return p;
}

/* Set the member or array element at ptr to v (stolen). */
static void
set(json_t *doc, const char *ptr, json_t *v)
{
	char last[128];
	json_t *p = parent_of(doc, ptr, last, sizeof(last));

	assert_non_null(v);
	if (json_is_array(p))
		assert_int_equal(
			json_array_set_new(p, strtoul(last, NULL, 10), v), 0);
	else
		assert_int_equal(json_object_set_new(p, last, v), 0);
}

static void
set_text(json_t *doc, const char *ptr, const char *text)
{
	set(doc, ptr, json_string(text));
}

static void
del(json_t *doc, const char *ptr)
{
	char last[128];
	json_t *p = parent_of(doc, ptr, last, sizeof(last));

	if (json_is_array(p))
		assert_int_equal(json_array_remove(p, strtoul(last, NULL, 10)),
				 0);
	else
		assert_int_equal(json_object_del(p, last), 0);
}

/* "w w w ... w." : n copies of word as one sentence (or none when n == 0). */
static char *
words(size_t n, const char *word, const char *end)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		assert_int_equal(prfaq_buf_puts(&b, i ? " " : ""), 0);
		assert_int_equal(prfaq_buf_puts(&b, word), 0);
	}
	assert_int_equal(prfaq_buf_puts(&b, end), 0);
	return prfaq_buf_steal(&b, NULL);
}

/* n sentences of ten words each. */
static char *
sentences(size_t n)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	for (size_t i = 0; i < n; i++)
		assert_int_equal(prfaq_buf_puts(&b,
						"We pay the refund when the "
						"carrier scans the box. "),
				 0);
	return prfaq_buf_steal(&b, NULL);
}

static int
rule_index(const char *rule)
{
	for (size_t i = 0; i < NRULES; i++)
		if (strcmp(rule_order[i], rule) == 0)
			return (int)i;
	return -1;
}

/*
 * The invariants every report must hold, whatever the input: shape, order,
 * and points that sum to exactly 100 - score.
 */
static void
report_check(const json_t *r)
{
	const json_t *findings = json_object_get(r, "findings");
	const json_t *stats = json_object_get(r, "stats");
	json_int_t score, sum = 0;
	int last = -1;

	assert_true(json_is_object(r));
	assert_int_equal(json_object_size(r), 3);
	assert_true(json_is_integer(json_object_get(r, "score")));
	score = json_integer_value(json_object_get(r, "score"));
	assert_in_range(score, 0, 100);
	assert_true(json_is_array(findings));
	assert_true(json_is_object(stats));
	{
		static const char *const keys[] = {
			"press_release_words", "faq_words",
			"customer_words",      "words",
			"external_questions",  "internal_questions",
			"sentences",	       "reading_grade",
		};

		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			assert_true(json_is_integer(
				json_object_get(stats, keys[i])));
	}
	for (size_t i = 0; i < json_array_size(findings); i++) {
		const json_t *f = json_array_get(findings, i);
		const char *rule =
			json_string_value(json_object_get(f, "rule"));
		const char *sev =
			json_string_value(json_object_get(f, "severity"));
		const char *ptr =
			json_string_value(json_object_get(f, "pointer"));
		const char *msg =
			json_string_value(json_object_get(f, "message"));
		const json_t *pts = json_object_get(f, "points");
		int idx;

		assert_int_equal(json_object_size(f), 5);
		assert_non_null(rule);
		assert_non_null(sev);
		assert_non_null(ptr);
		assert_non_null(msg);
		assert_true(strlen(msg) > 10);
		assert_true(ptr[0] == '\0' || ptr[0] == '/');
		assert_true(json_is_integer(pts));
		assert_in_range(json_integer_value(pts), 0, 100);
		assert_true(strcmp(sev, "error") == 0 ||
			    strcmp(sev, "warning") == 0 ||
			    strcmp(sev, "info") == 0);
		if (strcmp(sev, "info") == 0)
			assert_int_equal(json_integer_value(pts), 0);
		idx = rule_index(rule);
		if (idx < 0)
			fail_msg("unknown rule %s", rule);
		assert_true(idx >= last);
		last = idx;
		sum += json_integer_value(pts);
	}
	assert_int_equal(sum, 100 - score);
}

static json_t *
run_opts(const json_t *doc, const struct prfaq_quality_opts *opts)
{
	json_t *r = prfaq_quality_check(doc, opts);

	assert_non_null(r);
	report_check(r);
	return r;
}

static json_t *
run(const json_t *doc)
{
	struct prfaq_quality_opts opts;

	memcpy(opts.today, TODAY, sizeof(TODAY));
	return run_opts(doc, &opts);
}

static json_int_t
score_of(const json_t *r)
{
	return json_integer_value(json_object_get(r, "score"));
}

static json_int_t
stat_of(const json_t *r, const char *key)
{
	return json_integer_value(
		json_object_get(json_object_get(r, "stats"), key));
}

/* The nth finding of rule (and pointer, when not NULL), or NULL. */
static const json_t *
nth(const json_t *r, const char *rule, const char *ptr, size_t n)
{
	const json_t *findings = json_object_get(r, "findings");

	for (size_t i = 0; i < json_array_size(findings); i++) {
		const json_t *f = json_array_get(findings, i);

		if (strcmp(json_string_value(json_object_get(f, "rule")),
			   rule) != 0)
			continue;
		if (ptr != NULL &&
		    strcmp(json_string_value(json_object_get(f, "pointer")),
			   ptr) != 0)
			continue;
		if (n-- == 0)
			return f;
	}
	return NULL;
}

static const json_t *
find(const json_t *r, const char *rule)
{
	return nth(r, rule, NULL, 0);
}

static size_t
count(const json_t *r, const char *rule)
{
	size_t n = 0;

	while (nth(r, rule, NULL, n) != NULL)
		n++;
	return n;
}

static const char *
msg_of(const json_t *f)
{
	return json_string_value(json_object_get(f, "message"));
}

/* Assert a finding of rule with this severity, pointer and points. */
static const json_t *
expect(const json_t *r, const char *rule, const char *sev, const char *ptr,
       int points)
{
	const json_t *f = nth(r, rule, NULL, 0);

	if (f == NULL) {
		char *dump = json_dumps(r, JSON_INDENT(1));

		print_error("%s\n", dump);
		free(dump);
		fail_msg("no %s finding", rule);
	}
	assert_string_equal(json_string_value(json_object_get(f, "severity")),
			    sev);
	assert_string_equal(json_string_value(json_object_get(f, "pointer")),
			    ptr);
	assert_int_equal(json_integer_value(json_object_get(f, "points")),
			 points);
	return f;
}

static void
expect_none(const json_t *r, const char *rule)
{
	if (find(r, rule) != NULL) {
		char *dump = json_dumps(find(r, rule), 0);

		print_error("%s\n", dump);
		free(dump);
		fail_msg("unexpected %s finding", rule);
	}
}

/* Run doc, assert one rule fires as described, then free everything. */
static void
trips(json_t *doc, const char *rule, const char *sev, const char *ptr,
      int points)
{
	json_t *r = run(doc);

	expect(r, rule, sev, ptr, points);
	json_decref(r);
	json_decref(doc);
}

static void
quiet(json_t *doc, const char *rule)
{
	json_t *r = run(doc);

	expect_none(r, rule);
	json_decref(r);
	json_decref(doc);
}

/* ------------------------------------------------------------------------ */
/* The baseline                                                              */

static void
test_base_is_clean(void **state)
{
	json_t *doc = base();
	json_t *r = run(doc);
	const json_t *findings = json_object_get(r, "findings");

	(void)state;
	assert_int_equal(score_of(r), 100);
	/* only the two info findings */
	assert_int_equal(json_array_size(findings), 2);
	expect(r, "reading-grade", "info", "", 0);
	expect(r, "word-count", "info", "", 0);
	assert_int_equal(stat_of(r, "external_questions"), 3);
	assert_int_equal(stat_of(r, "internal_questions"), 4);
	json_decref(r);
	json_decref(doc);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

static void
test_missing_parts(void **state)
{
	static const struct {
		const char *ptr;
		const char *rule;
		int points;
	} parts[] = {
		{ "/press_release/headline", "missing-headline", 15 },
		{ "/press_release/summary", "missing-summary", 10 },
		{ "/press_release/problem", "missing-problem", 10 },
		{ "/press_release/solution", "missing-solution", 10 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		json_t *doc = base();

		del(doc, parts[i].ptr);
		trips(doc, parts[i].rule, "error", parts[i].ptr,
		      parts[i].points);

		/* blank or punctuation only is as good as missing */
		doc = base();
		set_text(doc, parts[i].ptr, "  \t-- ... !\n");
		trips(doc, parts[i].rule, "error", parts[i].ptr,
		      parts[i].points);

		/* a wrong type too: the checker must not trust the validator */
		doc = base();
		set(doc, parts[i].ptr, json_integer(42));
		trips(doc, parts[i].rule, "error", parts[i].ptr,
		      parts[i].points);

		quiet(base(), parts[i].rule);
	}
}

static void
test_missing_customer_quote(void **state)
{
	json_t *doc;

	(void)state;
	doc = base();
	del(doc, "/press_release/customer_quote");
	trips(doc, "missing-customer-quote", "error",
	      "/press_release/customer_quote", 10);

	doc = base();
	del(doc, "/press_release/customer_quote/text");
	trips(doc, "missing-customer-quote", "error",
	      "/press_release/customer_quote", 10);

	doc = base();
	set_text(doc, "/press_release/customer_quote", "a string, not a quote");
	trips(doc, "missing-customer-quote", "error",
	      "/press_release/customer_quote", 10);

	quiet(base(), "missing-customer-quote");
}

static void
test_missing_faqs(void **state)
{
	json_t *doc, *r;

	(void)state;
	doc = base();
	set(doc, "/faq/external", json_array());
	trips(doc, "missing-external-faq", "error", "/faq/external", 10);

	/* entries without a question do not count as questions */
	doc = base();
	set(doc, "/faq/external",
	    load("[{\"question\": \" \", \"answer\": "
		 "\"x\"}, {\"answer\": \"y\"}, 7]"));
	trips(doc, "missing-external-faq", "error", "/faq/external", 10);

	doc = base();
	del(doc, "/faq");
	trips(doc, "missing-external-faq", "error", "/faq/external", 10);

	/* no internal FAQ: the error, the risk rule and the cap; the other
	 * coverage rules stay quiet (the error already says it) */
	doc = base();
	set(doc, "/faq/internal", json_array());
	r = run(doc);
	expect(r, "missing-internal-faq", "error", "/faq/internal", 10);
	expect(r, "internal-faq-no-risk", "warning", "/faq/internal", 5);
	expect(r, "risk-cap", "warning", "/faq/internal", 35);
	assert_int_equal(score_of(r), 50);
	expect_none(r, "internal-faq-no-economics");
	expect_none(r, "internal-faq-no-market-size");
	expect_none(r, "internal-faq-no-dependencies");
	expect_none(r, "thin-internal-faq");
	json_decref(r);
	json_decref(doc);

	quiet(base(), "missing-external-faq");
	quiet(base(), "missing-internal-faq");
}

static void
test_press_release_too_long(void **state)
{
	json_t *doc, *r;
	char *text = sentences(81); /* 810 words */

	(void)state;
	doc = base();
	set_text(doc, "/press_release/how_it_works", text);
	r = run(doc);
	expect(r, "press-release-too-long", "error", "/press_release", 15);
	/* the error replaces the warning, it does not add to it */
	expect_none(r, "press-release-over-a-page");
	assert_true(stat_of(r, "press_release_words") > 800);
	json_decref(r);
	json_decref(doc);
	free(text);

	quiet(base(), "press-release-too-long");
}

static void
test_faq_too_long(void **state)
{
	json_t *doc;
	char *text = sentences(260);

	(void)state;
	doc = base();
	set_text(doc, "/faq/external/0/answer", text);
	trips(doc, "faq-too-long", "error", "/faq", 10);
	free(text);

	/* 2,400 words is long but within the limit */
	text = sentences(240);
	doc = base();
	set_text(doc, "/faq/external/0/answer", text);
	quiet(doc, "faq-too-long");
	free(text);
}

/* ------------------------------------------------------------------------ */
/* Warnings                                                                  */

static void
test_press_release_over_a_page(void **state)
{
	json_t *doc, *r;
	json_int_t others;
	char *text;

	(void)state;
	/* words outside how_it_works, so the boundary can be hit exactly */
	doc = base();
	del(doc, "/press_release/how_it_works");
	r = run(doc);
	others = stat_of(r, "press_release_words");
	json_decref(r);

	text = words((size_t)(550 - others), "word", ".");
	set_text(doc, "/press_release/how_it_works", text);
	free(text);
	r = run(doc);
	assert_int_equal(stat_of(r, "press_release_words"), 550);
	expect_none(r, "press-release-over-a-page");
	json_decref(r);

	text = words((size_t)(551 - others), "word", ".");
	set_text(doc, "/press_release/how_it_works", text);
	free(text);
	r = run(doc);
	expect(r, "press-release-over-a-page", "warning", "/press_release", 5);
	expect_none(r, "press-release-too-long");
	json_decref(r);
	json_decref(doc);
}

static void
test_long_sentence(void **state)
{
	json_t *doc, *r;
	char *text;
	const json_t *f;

	(void)state;
	text = words(31, "refund", ".");
	doc = base();
	set_text(doc, "/press_release/solution", text);
	free(text);
	r = run(doc);
	f = expect(r, "long-sentence", "warning", "/press_release/solution", 1);
	assert_non_null(strstr(msg_of(f), "31 words"));
	assert_non_null(strstr(msg_of(f), "refund refund"));
	json_decref(r);
	json_decref(doc);

	text = words(30, "refund", ".");
	doc = base();
	set_text(doc, "/press_release/solution", text);
	free(text);
	quiet(doc, "long-sentence");

	/* "e.g.", "Dr.", "3.5", "2,500" and "J." do not end a sentence: 31 words */
	doc = base();
	set_text(
		doc, "/press_release/solution",
		"We pay refunds at the counter, e.g. at a store, and Dr. Ng "
		"says 3.5 days of waiting across 2,500 stores is what J. Smith "
		"and the rest of the customers in the survey told us they hate "
		"most.");
	trips(doc, "long-sentence", "warning", "/press_release/solution", 1);

	/* the same words in two sentences, or on two lines, are fine */
	doc = base();
	set_text(doc, "/press_release/solution",
		 "We pay refunds at the counter, e.g. at a store, and Dr. Ng "
		 "says 3.5 days of waiting across 2,500 stores is too long! J. "
		 "Smith and the rest of the customers in the survey agree.");
	quiet(doc, "long-sentence");
	doc = base();
	set_text(doc, "/press_release/solution",
		 "1 start a return in the app and choose a drop off point\n"
		 "2 hand the package to the clerk who scans the label\n"
		 "3 watch the refund arrive in the app before you leave");
	quiet(doc, "long-sentence");
	quiet(base(), "long-sentence");
}

static void
test_long_sentence_cap(void **state)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	char *one = words(35, "refund", ". ");
	json_t *doc = base(), *r;
	const json_t *f;

	(void)state;
	for (int i = 0; i < 8; i++)
		assert_int_equal(prfaq_buf_puts(&b, one), 0);
	set_text(doc, "/press_release/how_it_works", b.data);
	r = run(doc);
	/* five cost a point each, then one summary finding costs nothing */
	assert_int_equal(count(r, "long-sentence"), 6);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(
			json_integer_value(json_object_get(
				nth(r, "long-sentence", NULL, i), "points")),
			1);
	f = nth(r, "long-sentence", NULL, 5);
	assert_int_equal(json_integer_value(json_object_get(f, "points")), 0);
	assert_string_equal(json_string_value(json_object_get(f, "pointer")),
			    "/press_release/how_it_works");
	assert_non_null(strstr(msg_of(f), "3 more long sentences"));
	assert_int_equal(score_of(r), 95);
	json_decref(r);
	json_decref(doc);
	prfaq_buf_free(&b);
	free(one);
}

static void
test_weasel_word(void **state)
{
	json_t *doc, *r;
	const json_t *f;

	(void)state;
	doc = base();
	set_text(doc, "/press_release/solution", "We pay very fast.");
	r = run(doc);
	f = expect(r, "weasel-word", "warning", "/press_release/solution", 2);
	assert_non_null(strstr(msg_of(f), "\"very\""));
	json_decref(r);
	json_decref(doc);

	/* whole words only: "many" is not in "Germany", "very" not in "every" */
	doc = base();
	set_text(doc, "/press_release/solution",
		 "We pay every customer in Germany and Italy.");
	quiet(doc, "weasel-word");

	/* a phrase is one finding, matched without regard to case */
	doc = base();
	set_text(doc, "/press_release/solution", "It saves A LOT OF time.");
	r = run(doc);
	assert_int_equal(count(r, "weasel-word"), 1);
	f = expect(r, "weasel-word", "warning", "/press_release/solution", 2);
	assert_non_null(strstr(msg_of(f), "\"A LOT OF\""));
	json_decref(r);
	json_decref(doc);

	/* "how many" is a question, not a weasel */
	doc = base();
	set_text(doc, "/faq/external/0/question",
		 "How many times can I use it?");
	quiet(doc, "weasel-word");

	/* a question may hedge ("might" is the checks' own wording); its
	 * answer may not */
	doc = base();
	set_text(doc, "/faq/internal/0/question", "Why might we not build it?");
	quiet(doc, "weasel-word");
	doc = base();
	set_text(doc, "/faq/external/0/question",
		 "Could it possibly be very slow?");
	quiet(doc, "weasel-word");
	doc = base();
	set_text(doc, "/faq/internal/0/answer", "We might not build it.");
	trips(doc, "weasel-word", "warning", "/faq/internal/0/answer", 2);

	/* a phrase does not span sentences */
	doc = base();
	set_text(doc, "/press_release/solution", "It is a lot. Of course.");
	quiet(doc, "weasel-word");

	/* UTF-8: curly quotes and an em dash separate words */
	doc = base();
	set_text(doc, "/press_release/solution",
		 "It is fast\u2014\u201cvery\u201d fast, na\u00efvely.");
	trips(doc, "weasel-word", "warning", "/press_release/solution", 2);

	/* non-ASCII letters are word characters: "m\u00e1ny" is not "many" */
	doc = base();
	set_text(doc, "/press_release/solution", "M\u00e1ny v\u00e9ry.");
	quiet(doc, "weasel-word");

	quiet(base(), "weasel-word");
}

static void
test_weasel_cap_and_order(void **state)
{
	json_t *doc = base(), *r;
	const json_t *f;

	(void)state;
	set_text(doc, "/press_release/headline",
		 "Example Shop refunds are very fast for you");
	set_text(doc, "/press_release/solution",
		 "We arguably pay many customers in various ways.");
	set_text(
		doc, "/faq/internal/1/answer",
		"Plus $36 million a year, significantly more, nearly all of it "
		"margin, quite a lot of it profit.");
	r = run(doc);
	/* document order within the rule; 5 listed (10 points), then a summary */
	assert_string_equal(json_string_value(json_object_get(
				    nth(r, "weasel-word", NULL, 0), "pointer")),
			    "/press_release/headline");
	assert_non_null(
		strstr(msg_of(nth(r, "weasel-word", NULL, 1)), "arguably"));
	assert_non_null(strstr(msg_of(nth(r, "weasel-word", NULL, 4)),
			       "significantly"));
	f = nth(r, "weasel-word", NULL, 5);
	assert_non_null(f);
	assert_string_equal(json_string_value(json_object_get(f, "pointer")),
			    "/faq/internal/1/answer");
	assert_int_equal(json_integer_value(json_object_get(f, "points")), 0);
	assert_non_null(strstr(msg_of(f), "3 more weasel words"));
	assert_null(nth(r, "weasel-word", NULL, 6));
	assert_int_equal(score_of(r), 90);
	json_decref(r);
	json_decref(doc);
}

static void
test_hype_word(void **state)
{
	json_t *doc, *r;
	const json_t *f;

	(void)state;
	doc = base();
	set_text(
		doc, "/press_release/summary",
		"Example Shop today launched world class refunds for every "
		"customer in the United States, so a return dropped off at the "
		"counter pays out within 60 seconds, with no fee at all.");
	r = run(doc);
	f = expect(r, "hype-word", "warning", "/press_release/summary", 2);
	assert_non_null(strstr(msg_of(f), "\"world class\""));
	assert_int_equal(count(r, "hype-word"), 1);
	json_decref(r);
	json_decref(doc);

	doc = base();
	set_text(doc, "/press_release/solution", "A World-Class refund.");
	trips(doc, "hype-word", "warning", "/press_release/solution", 2);

	doc = base();
	set_text(doc, "/press_release/solution", "The leading refund service.");
	trips(doc, "hype-word", "warning", "/press_release/solution", 2);

	/* an excuse list entry wins over the hype word it contains */
	doc = base();
	set_text(doc, "/press_release/solution",
		 "Slow refunds are the leading cause of complaints, leading to "
		 "4 calls a day.");
	quiet(doc, "hype-word");

	quiet(base(), "hype-word");
}

static void
test_gushing_quote(void **state)
{
	json_t *doc, *r;
	const json_t *f;

	(void)state;
	doc = base();
	set_text(doc, "/press_release/leader_quote/text",
		 "We are thrilled and so excited to pay customers at once.");
	r = run(doc);
	f = expect(r, "gushing-quote", "warning",
		   "/press_release/leader_quote/text", 3);
	assert_non_null(strstr(msg_of(f), "thrilled"));
	assert_int_equal(count(r, "gushing-quote"), 1); /* one per quote */
	json_decref(r);
	json_decref(doc);

	doc = base();
	set_text(doc, "/press_release/customer_quote/text",
		 "I can\u2019t wait to try it.");
	trips(doc, "gushing-quote", "warning",
	      "/press_release/customer_quote/text", 3);

	/* only quotes gush: the same word in the summary is not this rule */
	doc = base();
	set_text(doc, "/press_release/solution", "Customers were thrilled.");
	quiet(doc, "gushing-quote");

	quiet(base(), "gushing-quote");
}

static void
test_quote_without_speaker(void **state)
{
	json_t *doc, *r;

	(void)state;
	doc = base();
	del(doc, "/press_release/customer_quote/speaker");
	trips(doc, "quote-without-speaker", "warning",
	      "/press_release/customer_quote/speaker", 3);

	doc = base();
	set_text(doc, "/press_release/leader_quote/speaker", " , ");
	trips(doc, "quote-without-speaker", "warning",
	      "/press_release/leader_quote/speaker", 3);

	/* both: leader first (document order), 6 points in all */
	doc = base();
	set(doc, "/press_release/leader_quote/speaker", json_null());
	del(doc, "/press_release/customer_quote/speaker");
	r = run(doc);
	assert_int_equal(count(r, "quote-without-speaker"), 2);
	assert_string_equal(
		json_string_value(json_object_get(
			nth(r, "quote-without-speaker", NULL, 1), "pointer")),
		"/press_release/customer_quote/speaker");
	assert_int_equal(score_of(r), 94);
	json_decref(r);
	json_decref(doc);

	/* a speaker without a quote is no finding of this rule */
	doc = base();
	del(doc, "/press_release/leader_quote/text");
	quiet(doc, "quote-without-speaker");
	quiet(base(), "quote-without-speaker");
}

static void
test_unquantified_problem(void **state)
{
	json_t *doc, *r;

	(void)state;
	doc = base();
	set_text(
		doc, "/press_release/problem",
		"Refunds take days, and customers cannot tell when they arrive.");
	trips(doc, "unquantified-problem", "warning", "/press_release/problem",
	      5);

	doc = base();
	set_text(doc, "/press_release/problem",
		 "Refunds take twelve days, and customers cannot tell when.");
	quiet(doc, "unquantified-problem");

	/* a number in the customer's own problem statement counts */
	doc = base();
	set_text(doc, "/press_release/problem", "Refunds are slow.");
	set(doc, "/customer",
	    load("{\"problem\": \"They wait 6 to 10 days.\"}"));
	quiet(doc, "unquantified-problem");

	/* a missing problem is the error alone */
	doc = base();
	del(doc, "/press_release/problem");
	r = run(doc);
	expect(r, "missing-problem", "error", "/press_release/problem", 10);
	expect_none(r, "unquantified-problem");
	json_decref(r);
	json_decref(doc);

	quiet(base(), "unquantified-problem");
}

static void
test_undefined_acronym(void **state)
{
	json_t *doc, *r;
	const json_t *f;

	(void)state;
	doc = base();
	set_text(doc, "/press_release/solution",
		 "We meet the SLA every day. "
		 "The SLA is public.");
	r = run(doc);
	f = expect(r, "undefined-acronym", "warning", "/press_release/solution",
		   1);
	assert_non_null(strstr(msg_of(f), "\"SLA\""));
	assert_int_equal(count(r, "undefined-acronym"), 1); /* first use only */
	json_decref(r);
	json_decref(doc);

	doc = base();
	set_text(
		doc, "/press_release/solution",
		"We meet our service level agreement (SLA) every day. SLAs are "
		"public.");
	quiet(doc, "undefined-acronym");

	doc = base();
	set_text(doc, "/press_release/solution",
		 "We meet our SLA (service level agreement) every day.");
	quiet(doc, "undefined-acronym");

	/* known acronyms, plurals of them, and ordinary capitals */
	doc = base();
	set_text(
		doc, "/press_release/solution",
		"The CEO in the US reads FAQs. A Refund Is Quick. Q3 is near.");
	quiet(doc, "undefined-acronym");

	/* defined later is too late: the finding is at the first use */
	doc = base();
	set_text(
		doc, "/press_release/summary",
		"Example Shop today launched SLA refunds for every customer in "
		"the United States, so a return dropped off at the counter pays "
		"out within 60 seconds, with no fee at all.");
	set_text(doc, "/press_release/solution",
		 "A service level agreement (SLA) backs it.");
	trips(doc, "undefined-acronym", "warning", "/press_release/summary", 1);

	/* capped at five */
	doc = base();
	set_text(doc, "/press_release/solution",
		 "AB CD EF GH IJ KL MN are all undefined.");
	r = run(doc);
	assert_int_equal(count(r, "undefined-acronym"), 6);
	assert_non_null(strstr(msg_of(nth(r, "undefined-acronym", NULL, 5)),
			       "2 more undefined acronyms"));
	assert_int_equal(score_of(r), 95);
	json_decref(r);
	json_decref(doc);

	quiet(base(), "undefined-acronym");
}

static void
test_headline_length(void **state)
{
	json_t *doc, *r;
	char *text;

	(void)state;
	doc = base();
	set_text(doc, "/press_release/headline", "Instant refunds now");
	r = run(doc);
	assert_non_null(strstr(msg_of(expect(r, "headline-length", "warning",
					     "/press_release/headline", 3)),
			       "3 words"));
	json_decref(r);
	json_decref(doc);

	for (size_t n = 3; n <= 19; n++) {
		text = words(n, "refund", "");
		doc = base();
		set_text(doc, "/press_release/headline", text);
		free(text);
		if (n < 4 || n > 18)
			trips(doc, "headline-length", "warning",
			      "/press_release/headline", 3);
		else
			quiet(doc, "headline-length");
	}

	/* hyphenated compounds count once */
	doc = base();
	set_text(doc, "/press_release/headline", "Same-day drop-off refunds");
	trips(doc, "headline-length", "warning", "/press_release/headline", 3);
}

static void
test_launch_date_past(void **state)
{
	struct prfaq_quality_opts opts;
	json_t *doc, *r;

	(void)state;
	doc = base();
	set_text(doc, "/press_release/launch_date", "2020-01-01");
	r = run(doc);
	assert_non_null(strstr(msg_of(expect(r, "launch-date-past", "warning",
					     "/press_release/launch_date", 3)),
			       "2020-01-01"));
	json_decref(r);

	/* no clock, no rule */
	opts.today[0] = '\0';
	r = run_opts(doc, &opts);
	expect_none(r, "launch-date-past");
	json_decref(r);
	r = run_opts(doc, NULL);
	expect_none(r, "launch-date-past");
	json_decref(r);
	/* a malformed today is no clock either */
	memcpy(opts.today, "tomorrow!!", 11);
	r = run_opts(doc, &opts);
	expect_none(r, "launch-date-past");
	json_decref(r);
	json_decref(doc);

	doc = base();
	set_text(doc, "/press_release/launch_date", TODAY);
	quiet(doc, "launch-date-past");
	doc = base();
	set_text(doc, "/press_release/launch_date", "2020-1-1");
	quiet(doc, "launch-date-past");
	doc = base();
	set(doc, "/press_release/launch_date", json_integer(20200101));
	quiet(doc, "launch-date-past");
	quiet(base(), "launch-date-past");
}

static void
test_summary_length(void **state)
{
	static const struct {
		size_t n;
		bool fires;
	} cases[] = { { 1, true },
		      { 24, true },
		      { 25, false },
		      { 70, false },
		      { 71, true } };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = words(cases[i].n, "word", ".");
		json_t *doc = base();

		set_text(doc, "/press_release/summary", text);
		free(text);
		if (cases[i].fires)
			trips(doc, "summary-length", "warning",
			      "/press_release/summary", 2);
		else
			quiet(doc, "summary-length");
	}
}

static void
test_unanswered_question(void **state)
{
	json_t *doc, *r;

	(void)state;
	doc = base();
	del(doc, "/faq/external/1/answer");
	trips(doc, "unanswered-question", "warning", "/faq/external/1/answer",
	      2);

	doc = base();
	set_text(doc, "/faq/internal/0/answer", "");
	set(doc, "/faq/external/2/answer", json_true());
	r = run(doc);
	/* rule order then document order: external before internal */
	assert_string_equal(
		json_string_value(json_object_get(
			nth(r, "unanswered-question", NULL, 0), "pointer")),
		"/faq/external/2/answer");
	assert_string_equal(
		json_string_value(json_object_get(
			nth(r, "unanswered-question", NULL, 1), "pointer")),
		"/faq/internal/0/answer");
	json_decref(r);
	json_decref(doc);

	quiet(base(), "unanswered-question");
}

static void
test_thin_faqs(void **state)
{
	json_t *doc, *r;
	const json_t *f;

	(void)state;
	doc = base();
	del(doc, "/faq/external/2");
	r = run(doc);
	f = expect(r, "thin-external-faq", "warning", "/faq/external", 3);
	assert_non_null(strstr(msg_of(f), "2 questions"));
	json_decref(r);
	json_decref(doc);

	/* junk entries do not make a list longer */
	doc = base();
	set(doc, "/faq/external/2", json_string("not an entry"));
	trips(doc, "thin-external-faq", "warning", "/faq/external", 3);

	/* two internal entries that still cover every topic */
	doc = base();
	set(doc, "/faq/internal",
	    load("[{\"question\": \"How many customers are there, at what price?\","
		 "  \"answer\": \"31 million.\"},"
		 " {\"question\": \"What are the risks and dependencies?\","
		 "  \"answer\": \"Fraud; carrier scans.\"}]"));
	r = run(doc);
	expect(r, "thin-internal-faq", "warning", "/faq/internal", 3);
	assert_int_equal(score_of(r), 97);
	json_decref(r);
	json_decref(doc);

	quiet(base(), "thin-external-faq");
	quiet(base(), "thin-internal-faq");
}

static void
test_no_risk_and_cap(void **state)
{
	json_t *doc, *r;
	const json_t *f;

	(void)state;
	doc = base();
	del(doc, "/faq/internal/2");
	r = run(doc);
	expect(r, "internal-faq-no-risk", "warning", "/faq/internal", 5);
	/* 100 - 5 = 95, capped at 50: the cap is a finding worth 45 */
	f = expect(r, "risk-cap", "warning", "/faq/internal", 45);
	assert_non_null(strstr(msg_of(f), "45 points"));
	assert_int_equal(score_of(r), 50);
	json_decref(r);
	json_decref(doc);

	/* risk words in the external FAQ do not count */
	doc = base();
	del(doc, "/faq/internal/2");
	set_text(doc, "/faq/external/2/answer", "The risk is ours.");
	trips(doc, "internal-faq-no-risk", "warning", "/faq/internal", 5);

	/* variants in a question or an answer */
	doc = base();
	set_text(doc, "/faq/internal/2/question", "What could go wrong?");
	quiet(doc, "internal-faq-no-risk");
	doc = base();
	set_text(doc, "/faq/internal/2/question", "Why not?");
	set_text(doc, "/faq/internal/2/answer", "Carriers could fail us.");
	quiet(doc, "internal-faq-no-risk");

	/* no cap finding when the score is already at or under the cap */
	doc = base();
	del(doc, "/faq/internal/2");
	del(doc, "/press_release/headline");
	del(doc, "/press_release/summary");
	del(doc, "/press_release/problem");
	del(doc, "/press_release/solution");
	r = run(doc);
	expect(r, "internal-faq-no-risk", "warning", "/faq/internal", 5);
	expect_none(r, "risk-cap");
	assert_int_equal(score_of(r), 50);
	json_decref(r);
	json_decref(doc);

	quiet(base(), "internal-faq-no-risk");
	quiet(base(), "risk-cap");
}

static void
test_coverage(void **state)
{
	static const struct {
		size_t entry;
		const char *rule;
		int points;
		const char *variant; /* another way to cover the topic */
	} topics[] = {
		{ 0, "internal-faq-no-market-size", 4,
		  "What is the total addressable market (TAM)?" },
		{ 1, "internal-faq-no-economics", 4, "What is the P&L?" },
		{ 3, "internal-faq-no-dependencies", 3,
		  "Which third-party services does it need?" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
		char ptr[64];
		json_t *doc = base();

		snprintf(ptr, sizeof(ptr), "/faq/internal/%zu",
			 topics[i].entry);
		del(doc, ptr);
		trips(doc, topics[i].rule, "warning", "/faq/internal",
		      topics[i].points);

		doc = base();
		snprintf(ptr, sizeof(ptr), "/faq/internal/%zu/question",
			 topics[i].entry);
		set_text(doc, ptr, topics[i].variant);
		quiet(doc, topics[i].rule);
		quiet(base(), topics[i].rule);
	}
}

static void
test_reading_grade(void **state)
{
	json_t *doc, *r;
	const json_t *f;
	json_int_t easy;

	(void)state;
	doc = base();
	r = run(doc);
	f = expect(r, "reading-grade", "info", "", 0);
	assert_non_null(strstr(msg_of(f), "Flesch-Kincaid"));
	easy = stat_of(r, "reading_grade");
	assert_in_range(easy, 0, 10);
	json_decref(r);

	/* long sentences of long words read harder */
	set(doc, "/customer",
	    load("{\"evidence\": \"Organizational "
		 "considerations regarding institutional accountability "
		 "necessitate comprehensive administrative documentation, "
		 "notwithstanding operational inconveniences experienced "
		 "internationally by communities.\"}"));
	r = run(doc);
	assert_true(stat_of(r, "reading_grade") > easy);
	json_decref(r);
	json_decref(doc);

	/* no words, no grade */
	doc = load("{}");
	r = run(doc);
	expect_none(r, "reading-grade");
	assert_int_equal(stat_of(r, "reading_grade"), 0);
	json_decref(r);
	json_decref(doc);
}

static void
test_word_count(void **state)
{
	json_t *doc, *r;
	const json_t *f;

	(void)state;
	doc = load(
		"{\"press_release\": {\"headline\": \"Best-in-class refunds: "
		"2,500 stores, e.g. Denver's (3.5 days) \u2014 na\u00efve\"},"
		"\"faq\": {\"external\": [{\"question\": \"Why?\", "
		"\"answer\": \"Because it is on.\"}]},"
		"\"customer\": {\"who\": \"Shoppers in the U.S. today.\"},"
		"\"visuals\": [{\"title\": \"not counted\"}]}");
	r = run(doc);
	/* Best-in-class, refunds, 2,500, stores, e.g, Denver's, 3.5, days, naïve */
	assert_int_equal(stat_of(r, "press_release_words"), 9);
	assert_int_equal(stat_of(r, "faq_words"), 5);
	assert_int_equal(stat_of(r, "customer_words"), 5);
	assert_int_equal(stat_of(r, "words"), 19);
	assert_int_equal(stat_of(r, "sentences"), 4);
	assert_int_equal(stat_of(r, "external_questions"), 1);
	f = expect(r, "word-count", "info", "", 0);
	assert_non_null(strstr(msg_of(f), "Press release 9 words"));
	assert_non_null(strstr(msg_of(f), "FAQ 5 words"));
	json_decref(r);
	json_decref(doc);
}

/*
 * Words are split where prfaq_utf8_is_space says there is a space, the same
 * set the validator calls blank: U+1680 OGHAM SPACE MARK and U+FEFF too.
 * Line breaks beyond "\n" end sentences; joiners stay inside a word.
 */
static void
test_unicode_spaces(void **state)
{
	json_t *doc, *r;

	(void)state;
	doc = load("{\"press_release\": {\"headline\": \"one\u1680two\u3000"
		   "three\u00a0four\u2009five\ufeffsix\u200bseven\"},"
		   "\"customer\": {\"who\": \"first\u2028second\xC2\x85"
		   "third "
		   "fourth\u200dfifth\"}}");
	r = run(doc);
	assert_int_equal(stat_of(r, "press_release_words"), 7);
	assert_int_equal(stat_of(r, "customer_words"), 4);
	assert_int_equal(stat_of(r, "words"), 11);
	assert_int_equal(stat_of(r, "sentences"), 4);
	json_decref(r);
	json_decref(doc);
}

/* ------------------------------------------------------------------------ */
/* Score, order, determinism, totality                                       */

static void
test_empty_and_null(void **state)
{
	static const char *const errors[] = {
		"missing-headline",	  "missing-summary",
		"missing-problem",	  "missing-solution",
		"missing-customer-quote", "missing-external-faq",
		"missing-internal-faq",
	};
	json_t *docs[4];

	(void)state;
	docs[0] = NULL;
	docs[1] = load("{}");
	docs[2] = load("[1, 2]");
	docs[3] =
		load("{\"press_release\": {}, \"faq\": {}, \"customer\": {}}");
	for (size_t i = 0; i < 4; i++) {
		json_t *r = run(docs[i]);
		json_t *errs = prfaq_quality_errors(r);

		for (size_t k = 0; k < sizeof(errors) / sizeof(errors[0]); k++)
			assert_non_null(find(r, errors[k]));
		assert_int_equal(json_array_size(errs), 7);
		/* 100 - 75 (errors) - 5 (no risk) - 2 - 2 (no metrics) */
		assert_int_equal(score_of(r), 16);
		assert_non_null(find(r, "no-output-metric"));
		assert_non_null(find(r, "no-input-metric"));
		expect_none(r, "risk-cap");
		assert_int_equal(stat_of(r, "words"), 0);
		json_decref(errs);
		json_decref(r);
		json_decref(docs[i]);
	}
}

static void
test_budget_exhausted(void **state)
{
	char *pr = sentences(90);
	char *faq = sentences(260);
	json_t *doc, *r;
	json_int_t charged = 0;
	const json_t *findings;

	(void)state;
	/* every error at once (105 points) plus warnings */
	doc = load(
		"{\"press_release\": {\"headline\": \"\", \"launch_date\": "
		"\"2001-01-01\", \"leader_quote\": {\"text\": \"We are thrilled."
		"\"}}, \"faq\": {\"external\": [{\"question\": \"\"}], "
		"\"internal\": []}}");
	set_text(doc, "/press_release/how_it_works", pr);
	/* a long answer to no question: FAQ too long, and no external FAQ */
	set_text(doc, "/faq/external/0/answer", faq);
	r = run(doc);
	assert_int_equal(score_of(r), 0);
	findings = json_object_get(r, "findings");
	/* points are charged in order until the 100 are spent */
	for (size_t i = 0; i < json_array_size(findings); i++) {
		json_int_t p = json_integer_value(
			json_object_get(json_array_get(findings, i), "points"));

		charged += p;
		if (charged == 100)
			for (size_t k = i + 1; k < json_array_size(findings);
			     k++)
				assert_int_equal(
					json_integer_value(json_object_get(
						json_array_get(findings, k),
						"points")),
					0);
	}
	assert_int_equal(charged, 100);
	json_decref(r);
	json_decref(doc);
	free(pr);
	free(faq);
}

static void
test_determinism(void **state)
{
	json_t *doc = fixture("weak.json");
	json_t *a = run(doc), *b = run(doc);
	char *sa = json_dumps(a, 0), *sb = json_dumps(b, 0);

	(void)state;
	assert_true(json_equal(a, b));
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
	json_decref(doc);
}

static void
test_hostile(void **state)
{
	static const char *const docs[] = {
		"{\"press_release\": 5, \"faq\": \"x\", \"customer\": []}",
		("{\"press_release\": {\"headline\": 42, \"leader_quote\": \"hi\", "
		 " \"customer_quote\": [1], \"launch_date\": {\"y\": 2020}, "
		 " \"summary\": null, \"problem\": true, \"solution\": 1.5}}"),
		("{\"faq\": {\"external\": {\"question\": \"q\"}, "
		 " \"internal\": [null, 1, \"s\", [], {\"question\": [\"q\"], "
		 " \"answer\": {\"a\": 1}}, {\"question\": \"Risk?\"}]}}"),
		("{\"press_release\": {\"headline\": \"(((((\", \"summary\": "
		 "\"'''---...!!!???\", \"problem\": \"-a-b-c- .e.g. ,1,2, a'\", "
		 "\"solution\": \"\u2019\u2019\u2014\u00a0\u3002\u3000x\"}}"),
		("{\"customer\": {\"who\": \"A\", \"problem\": \"B\", "
		 " \"benefit\": 0, \"evidence\": [], \"experience\": {}}}"),
	};
	json_t *doc, *r;
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		doc = load(docs[i]);
		r = run(doc);
		json_decref(r);
		json_decref(doc);
	}

	/* NUL bytes, a truncated UTF-8 sequence, bytes that are not UTF-8 */
	doc = base();
	set(doc, "/press_release/solution",
	    json_stringn("very\0 SLA \0thrilled", 19));
	set(doc, "/press_release/problem",
	    json_stringn_nocheck("very \xE2\x80", 7));
	set(doc, "/press_release/how_it_works",
	    json_stringn_nocheck("\xff\xfe SLA \xC2 very", 13));
	set(doc, "/press_release/leader_quote/text",
	    json_stringn_nocheck("thrilled\xE2", 9));
	r = run(doc);
	json_decref(r);
	json_decref(doc);

	/* one 200 KB "word", thousands of distinct acronyms, 5,000 entries */
	for (int i = 0; i < 200000; i++)
		assert_int_equal(prfaq_buf_putc(&b, 'a'), 0);
	doc = base();
	set_text(doc, "/press_release/solution", b.data);
	prfaq_buf_reset(&b);
	for (int i = 0; i < 4000; i++)
		assert_int_equal(prfaq_buf_printf(&b, "A%c%c%d ", 'A' + i % 26,
						  'A' + (i / 26) % 26, i % 100),
				 0);
	set_text(doc, "/press_release/how_it_works", b.data);
	prfaq_buf_reset(&b);
	{
		json_t *list = json_array();

		for (int i = 0; i < 5000; i++)
			json_array_append_new(
				list, json_pack("{s:s,s:s}", "question",
						"Is it very good?", "answer",
						"It is world-class."));
		set(doc, "/faq/external", list);
	}
	r = run(doc);
	assert_int_equal(stat_of(r, "external_questions"), 5000);
	assert_int_equal(count(r, "undefined-acronym"), 6);
	json_decref(r);
	json_decref(doc);
	prfaq_buf_free(&b);
}

static void
test_errors_helper(void **state)
{
	json_t *doc = base(), *r, *errs;

	(void)state;
	del(doc, "/press_release/headline");
	set_text(doc, "/press_release/solution", "It is very good.");
	r = run(doc);
	errs = prfaq_quality_errors(r);
	assert_non_null(errs);
	assert_int_equal(json_array_size(errs), 1);
	/* the same finding object, shared by reference */
	assert_ptr_equal(json_array_get(errs, 0), find(r, "missing-headline"));
	json_decref(errs);
	json_decref(r);
	json_decref(doc);

	doc = base();
	r = run(doc);
	errs = prfaq_quality_errors(r);
	assert_int_equal(json_array_size(errs), 0);
	json_decref(errs);
	json_decref(r);
	json_decref(doc);

	errs = prfaq_quality_errors(NULL);
	assert_true(json_is_array(errs));
	assert_int_equal(json_array_size(errs), 0);
	json_decref(errs);
	doc = load("{\"findings\": [1, {\"severity\": 2}, {\"severity\": "
		   "\"error\"}]}");
	errs = prfaq_quality_errors(doc);
	assert_int_equal(json_array_size(errs), 1);
	json_decref(errs);
	json_decref(doc);
}

static void
test_opts_today(void **state)
{
	struct prfaq_quality_opts opts;
	char want[11];
	time_t now = time(NULL);
	struct tm tm;

	(void)state;
	memset(&opts, 'x', sizeof(opts));
	prfaq_quality_opts_today(&opts);
	assert_int_equal(strlen(opts.today), 10);
	gmtime_r(&now, &tm);
	strftime(want, sizeof(want), "%Y-%m-%d", &tm);
	/* the same day, unless the test ran across midnight UTC */
	if (strcmp(opts.today, want) != 0)
		assert_true(strcmp(opts.today, want) < 0);
	assert_true(opts.today[4] == '-' && opts.today[7] == '-');
}

static void
test_wordlists(void **state)
{
	size_t total = 0;

	(void)state;
	for (int l = 0; l < PRFAQ_LEX_COUNT; l++) {
		const char *const *e = prfaq_wordlists[l].entries;

		assert_non_null(prfaq_wordlists[l].name);
		assert_non_null(e);
		for (size_t i = 0; e[i] != NULL; i++, total++) {
			size_t nwords = 1;

			for (const char *p = e[i]; *p != '\0'; p++) {
				/* lower case, so the tables read the way they match */
				assert_false(*p >= 'A' && *p <= 'Z');
				if (*p == ' ' || *p == '-' || *p == '&')
					nwords++;
			}
			assert_in_range(nwords, 1, PRFAQ_PHRASE_MAX);
			for (size_t k = 0; k < i; k++)
				if (strcmp(e[k], e[i]) == 0)
					fail_msg("duplicate \"%s\" in %s", e[i],
						 prfaq_wordlists[l].name);
		}
	}
	assert_true(total < 1024);
	for (size_t i = 0; prfaq_acronyms_known[i] != NULL; i++)
		for (const char *p = prfaq_acronyms_known[i]; *p != '\0'; p++)
			assert_true(*p >= 'A' && *p <= 'Z');
}

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                  */

static void
test_strong_fixture(void **state)
{
	json_t *doc = fixture("strong.json");
	json_t *r = run(doc);
	json_t *errs = prfaq_quality_errors(r);
	size_t warnings = 0;
	const json_t *findings = json_object_get(r, "findings");

	(void)state;
	for (size_t i = 0; i < json_array_size(findings); i++)
		if (strcmp(json_string_value(json_object_get(
				   json_array_get(findings, i), "severity")),
			   "warning") == 0)
			warnings++;
	if (score_of(r) < 85 || json_array_size(errs) > 0 || warnings > 3) {
		char *dump = json_dumps(r, JSON_INDENT(1));

		print_error("%s\n", dump);
		free(dump);
		fail_msg("strong.json scored %d", (int)score_of(r));
	}
	assert_true(stat_of(r, "external_questions") >= 6);
	assert_true(stat_of(r, "internal_questions") >= 6);
	assert_true(stat_of(r, "press_release_words") <= 550);
	json_decref(errs);
	json_decref(r);
	json_decref(doc);
}

static void
test_weak_fixture(void **state)
{
	static const char *const expected[] = {
		"headline-length",
		"launch-date-past",
		"summary-length",
		"unquantified-problem",
		"quote-without-speaker",
		"gushing-quote",
		"weasel-word",
		"hype-word",
		"undefined-acronym",
		"thin-external-faq",
		"thin-internal-faq",
		"internal-faq-no-risk",
		"internal-faq-no-economics",
		"internal-faq-no-market-size",
		"internal-faq-no-dependencies",
	};
	json_t *doc = fixture("weak.json");
	json_t *r = run(doc);

	(void)state;
	assert_true(score_of(r) < 50);
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (find(r, expected[i]) == NULL)
			fail_msg("weak.json: no %s finding", expected[i]);
	/* the weasel and hype caps hold: 10 points each, no more */
	assert_int_equal(count(r, "weasel-word"), 6);
	assert_int_equal(count(r, "hype-word"), 6);
	json_decref(r);
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_is_clean),
		cmocka_unit_test(test_missing_parts),
		cmocka_unit_test(test_missing_customer_quote),
		cmocka_unit_test(test_missing_faqs),
		cmocka_unit_test(test_press_release_too_long),
		cmocka_unit_test(test_faq_too_long),
		cmocka_unit_test(test_press_release_over_a_page),
		cmocka_unit_test(test_long_sentence),
		cmocka_unit_test(test_long_sentence_cap),
		cmocka_unit_test(test_weasel_word),
		cmocka_unit_test(test_weasel_cap_and_order),
		cmocka_unit_test(test_hype_word),
		cmocka_unit_test(test_gushing_quote),
		cmocka_unit_test(test_quote_without_speaker),
		cmocka_unit_test(test_unquantified_problem),
		cmocka_unit_test(test_undefined_acronym),
		cmocka_unit_test(test_headline_length),
		cmocka_unit_test(test_launch_date_past),
		cmocka_unit_test(test_summary_length),
		cmocka_unit_test(test_unanswered_question),
		cmocka_unit_test(test_thin_faqs),
		cmocka_unit_test(test_no_risk_and_cap),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_reading_grade),
		cmocka_unit_test(test_word_count),
		cmocka_unit_test(test_unicode_spaces),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_budget_exhausted),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_errors_helper),
		cmocka_unit_test(test_opts_today),
		cmocka_unit_test(test_wordlists),
		cmocka_unit_test(test_strong_fixture),
		cmocka_unit_test(test_weak_fixture),
	};

	prfaq_alloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
