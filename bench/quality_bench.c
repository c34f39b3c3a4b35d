/*
 * quality_bench.c - how long prfaq_quality_check takes on a ~3,000-word PR/FAQ.
 *
 * Build and run from the repository root (not part of the CMake build):
 *   cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude bench/quality_bench.c src/domain/quality*.c src/domain/wordlists.c src/util/utf8.c src/util/buf.c src/util/alloc.c src/util/log.c $(pkg-config --cflags --libs jansson) -o quality_bench && ./quality_bench [iterations] [content.json]
 *
 * Without a file it builds a content object of about 3,000 words from a pool
 * of realistic sentences (with a few weasel words, hype words and acronyms so
 * the matchers have work to do), checks it once to warm up, then times the
 * iterations and prints the mean per check, report building included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "prfaq/buf.h"
#include "prfaq/alloc.h"
#include "prfaq/quality.h"

static const char *const pool[] = {
	"Today a refund takes 6 to 10 days after a customer drops off a return.",
	"We pay the customer when the carrier scans the package, not when it "
	"reaches our warehouse.",
	"In a survey of 4,200 customers, 38% said the wait stopped them from "
	"buying items they were unsure about.",
	"The app shows the refund amount and the card it went to before you "
	"leave the counter.",
	"Fraud is the main risk, and our model holds back 1 in 250 returns for "
	"inspection.",
	"We depend on scan events from 3 carrier partners, delivered within 30 "
	"seconds.",
	"Paying refunds 7 days earlier costs $3.1 million a year in working "
	"capital, e.g. at a 5% cost of money.",
	"This is a very significant, world-class improvement for many customers.",
	"The service level agreement (SLA) promises a refund within 60 seconds.",
	"Customers told us the worst part is not knowing when the money will "
	"come back, which leads to 18,000 calls a month.",
	"Dr. Ng ran the pilot with 50,000 customers in Denver, and complaints "
	"fell by 71% over the 3 months of the test.",
	"We don't know yet whether instant refunds change how often customers "
	"return items, and the pilot will tell us.",
};

#define NPOOL (sizeof(pool) / sizeof(pool[0]))

/* A paragraph of n sentences from the pool, starting at *k. */
static json_t *
para(size_t n, size_t *k)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	json_t *s;

	for (size_t i = 0; i < n; i++, (*k)++) {
		if (i > 0)
			prfaq_buf_putc(&b, ' ');
		prfaq_buf_puts(&b, pool[*k % NPOOL]);
	}
	s = json_string(b.data != NULL ? b.data : "");
	prfaq_buf_free(&b);
	return s;
}

static json_t *
faq_list(size_t entries, size_t sentences, size_t *k)
{
	json_t *list = json_array();

	for (size_t i = 0; i < entries; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "question",
				    json_string("What happens if the carrier "
						"loses the package after the "
						"scan?"));
		json_object_set_new(e, "answer", para(sentences, k));
		json_array_append_new(list, e);
	}
	return list;
}

/* About 520 press release words, 2,100 FAQ words, 300 customer words. */
static json_t *
build(void)
{
	json_t *c = json_object(), *pr = json_object(), *faq = json_object();
	json_t *cu = json_object(), *q;
	size_t k = 0;

	json_object_set_new(
		pr, "headline",
		json_string(
			"Example Shop Instant Refunds: your money back the moment you "
			"drop off a return"));
	json_object_set_new(pr, "subheading", para(1, &k));
	json_object_set_new(pr, "launch_date", json_string("2031-03-03"));
	json_object_set_new(pr, "summary", para(3, &k));
	json_object_set_new(pr, "problem", para(6, &k));
	json_object_set_new(pr, "solution", para(6, &k));
	q = json_object();
	json_object_set_new(q, "text", para(3, &k));
	json_object_set_new(q, "speaker",
			    json_string("Dana Ortiz, VP of Returns"));
	json_object_set_new(pr, "leader_quote", q);
	json_object_set_new(pr, "how_it_works", para(5, &k));
	q = json_object();
	json_object_set_new(q, "text", para(3, &k));
	json_object_set_new(q, "speaker", json_string("Priya Shah, Denver"));
	json_object_set_new(pr, "customer_quote", q);
	json_object_set_new(pr, "call_to_action", para(1, &k));
	json_object_set_new(c, "press_release", pr);

	json_object_set_new(faq, "external", faq_list(10, 6, &k));
	json_object_set_new(faq, "internal", faq_list(10, 7, &k));
	json_object_set_new(c, "faq", faq);

	json_object_set_new(cu, "who", para(3, &k));
	json_object_set_new(cu, "problem", para(4, &k));
	json_object_set_new(cu, "benefit", para(3, &k));
	json_object_set_new(cu, "evidence", para(4, &k));
	json_object_set_new(cu, "experience", para(3, &k));
	json_object_set_new(c, "customer", cu);
	return c;
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int
main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 20000;
	struct prfaq_quality_opts opts;
	json_t *content, *report, *stats;
	double t0, t1;

	prfaq_alloc_init(); /* the allocators prfaqd runs with */
	if (iterations <= 0)
		iterations = 1;
	if (argc > 2) {
		json_error_t e;

		content = json_load_file(argv[2], 0, &e);
		if (content == NULL) {
			fprintf(stderr, "%s: %s\n", argv[2], e.text);
			return 1;
		}
	} else {
		content = build();
	}
	prfaq_quality_opts_today(&opts);

	report = prfaq_quality_check(content, &opts);
	if (report == NULL)
		return 1;
	stats = json_object_get(report, "stats");
	printf("words %lld (press release %lld, FAQ %lld), score %lld, "
	       "findings %zu\n",
	       (long long)json_integer_value(json_object_get(stats, "words")),
	       (long long)json_integer_value(
		       json_object_get(stats, "press_release_words")),
	       (long long)json_integer_value(
		       json_object_get(stats, "faq_words")),
	       (long long)json_integer_value(json_object_get(report, "score")),
	       json_array_size(json_object_get(report, "findings")));
	json_decref(report);

	t0 = now_us();
	for (long i = 0; i < iterations; i++) {
		report = prfaq_quality_check(content, &opts);
		if (report == NULL)
			return 1;
		json_decref(report);
	}
	t1 = now_us();
	printf("%ld checks, mean %.1f us per check\n", iterations,
	       (t1 - t0) / (double)iterations);
	json_decref(content);
	return 0;
}
