/*
 * quality.c - Working Backwards quality checks (see prfaq/quality.h).
 *
 * The checker reads a content object once, field by field in document order
 * (press_release, faq.external, faq.internal, customer), with one tokeniser
 * pass per text, and records what each rule found.  The report is then built
 * in rule-table order, so findings come out ordered by rule, then by place in
 * the document.
 *
 * Rules (slug, severity, points per finding, most points the rule can cost):
 *
 *   rule                          severity  cost  cap  fires when
 *   missing-headline              error      15   15  headline absent or has no words
 *   missing-summary               error      10   10  summary absent/empty
 *   missing-problem               error      10   10  problem absent/empty
 *   missing-solution              error      10   10  solution absent/empty
 *   missing-customer-quote        error      10   10  customer_quote.text absent/empty
 *   missing-external-faq          error      10   10  no external question
 *   missing-internal-faq          error      10   10  no internal question
 *   press-release-too-long        error      15   15  press release > 800 words
 *   faq-too-long                  error      10   10  FAQ > 2,500 words
 *   headline-length               warning     3    3  headline outside 4..18 words
 *   launch-date-past              warning     3    3  launch_date < opts.today
 *   summary-length                warning     2    2  summary outside 25..70 words
 *   press-release-over-a-page     warning     5    5  press release 551..800 words
 *   unquantified-problem          warning     5    5  no number in the problem
 *   quote-without-speaker         warning     3    6  a quote with text, no speaker
 *   gushing-quote                 warning     3    6  a quote says "thrilled" & co
 *   long-sentence                 warning     1    5  a sentence over 30 words
 *   weasel-word                   warning     2   10  each weasel word or phrase
 *   hype-word                     warning     2   10  each hype word or phrase
 *   undefined-acronym             warning     1    5  an acronym not defined at first use
 *   unanswered-question           warning     2    6  an FAQ question without answer
 *   thin-external-faq             warning     3    3  1..2 external questions
 *   thin-internal-faq             warning     3    3  1..2 internal questions
 *   internal-faq-no-risk          warning     5    5  internal FAQ never names a risk
 *   internal-faq-no-economics     warning     4    4  ... never cost/price/margin
 *   internal-faq-no-market-size   warning     4    4  ... never sizes the market
 *   internal-faq-no-dependencies  warning     3    3  ... never names a dependency
 *   no-output-metric              warning     2    2  no metric of kind output
 *   no-input-metric               warning     2    2  no metric of kind input
 *   risk-cap                      warning     *    *  no risk: what lowers the score to 50
 *   reading-grade                 info        0    0  Flesch-Kincaid grade of all prose
 *   word-count                    info        0    0  always
 *
 * Scoring: start at 100 and charge each finding in report order; a finding
 * costs its rule's cost, or what is left of the 100 points when that is less,
 * so the points of all findings always sum to exactly 100 - score.  A rule
 * with a cap lists one finding per occurrence until the cap is spent, then one
 * summary finding (points 0) that counts the rest and points at the first of
 * them.  When the internal FAQ never names a risk the score is capped at 50:
 * the risk-cap finding carries the points the cap removed (it appears only
 * when it removed some).  internal-faq-no-risk and risk-cap also fire when
 * there is no internal FAQ at all, so deleting the FAQ cannot lift the cap;
 * the other internal-faq-* rules need at least one internal question (without
 * one, missing-internal-faq already says it).
 *
 * Text rules (long-sentence, weasel-word, hype-word, undefined-acronym) read
 * every prose field: the press release parts (not location, date or
 * speakers), FAQ questions and answers, and the customer answers.  Visuals
 * are an appendix and are not read.  stats.reading_grade is the
 * Flesch-Kincaid grade of all of that prose rounded to the nearest integer
 * (Jansson prints reals with 17 digits); the reading-grade message gives it
 * with one decimal.
 *
 * The parts: this file reads the sections and holds the public entry points;
 * quality_lexicon.c reads one field (word lists, acronyms, sentences),
 * quality_tokens.c splits text into words (and says what a word is), and
 * quality_score.c holds the rule table, the messages and the scoring.
 */
#include "prfaq/alloc.h"
#include "prfaq/quality.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quality_internal.h"

/* ------------------------------------------------------------------------ */
/* Sections                                                                  */

static const json_t *
get_object(const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_object(v) ? v : NULL;
}

static const json_t *
get(const json_t *o, const char *key)
{
	return json_is_object(o) ? json_object_get(o, key) : NULL;
}

/* A string with at least one word character (a speaker's name). */
static bool
has_word(const json_t *v)
{
	return json_is_string(v) &&
	       quality_has_word(json_string_value(v), json_string_length(v));
}

static bool
is_date(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-dd";

	if (n != 10)
		return false;
	for (size_t i = 0; i < 10; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return false;
	return true;
}

/* The press release parts, in order, and the rules about them. */
static void
check_press_release(struct ctx *c, const json_t *pr, size_t *problem_words)
{
	const json_t *leader = get_object(pr, "leader_quote");
	const json_t *quote = get_object(pr, "customer_quote");
	const json_t *date = get(pr, "launch_date");
	size_t hw, sw, pw, solw, qw, lw;

	hw = quality_scan(c, SEC_PRESS_RELEASE, L_HEADLINE, 0,
			  get(pr, "headline"), M_STYLE);
	quality_scan(c, SEC_PRESS_RELEASE, L_SUBHEADING, 0,
		     get(pr, "subheading"), M_STYLE);
	sw = quality_scan(c, SEC_PRESS_RELEASE, L_SUMMARY, 0,
			  get(pr, "summary"), M_STYLE);
	pw = quality_scan(c, SEC_PRESS_RELEASE, L_PROBLEM, 0,
			  get(pr, "problem"), M_STYLE | M_NUMBER);
	solw = quality_scan(c, SEC_PRESS_RELEASE, L_SOLUTION, 0,
			    get(pr, "solution"), M_STYLE);
	lw = quality_scan(c, SEC_PRESS_RELEASE, L_LEADER_QUOTE_TEXT, 0,
			  get(leader, "text"), M_STYLE | M_GUSH);
	quality_scan(c, SEC_PRESS_RELEASE, L_HOW_IT_WORKS, 0,
		     get(pr, "how_it_works"), M_STYLE);
	qw = quality_scan(c, SEC_PRESS_RELEASE, L_CUSTOMER_QUOTE_TEXT, 0,
			  get(quote, "text"), M_STYLE | M_GUSH);
	quality_scan(c, SEC_PRESS_RELEASE, L_CALL_TO_ACTION, 0,
		     get(pr, "call_to_action"), M_STYLE);

	if (hw == 0)
		hit(c, R_MISSING_HEADLINE, L_HEADLINE, 0, NULL, 0, 0);
	else if (hw < HEADLINE_MIN || hw > HEADLINE_MAX)
		hit(c, R_HEADLINE_LENGTH, L_HEADLINE, 0, NULL, 0, hw);
	if (sw == 0)
		hit(c, R_MISSING_SUMMARY, L_SUMMARY, 0, NULL, 0, 0);
	else if (sw < SUMMARY_MIN || sw > SUMMARY_MAX)
		hit(c, R_SUMMARY_LENGTH, L_SUMMARY, 0, NULL, 0, sw);
	if (pw == 0)
		hit(c, R_MISSING_PROBLEM, L_PROBLEM, 0, NULL, 0, 0);
	if (solw == 0)
		hit(c, R_MISSING_SOLUTION, L_SOLUTION, 0, NULL, 0, 0);
	if (qw == 0)
		hit(c, R_MISSING_CUSTOMER_QUOTE, L_CUSTOMER_QUOTE, 0, NULL, 0,
		    0);
	if (lw > 0 && !has_word(get(leader, "speaker")))
		hit(c, R_QUOTE_WITHOUT_SPEAKER, L_LEADER_QUOTE_SPEAKER, 0, NULL,
		    0, 0);
	if (qw > 0 && !has_word(get(quote, "speaker")))
		hit(c, R_QUOTE_WITHOUT_SPEAKER, L_CUSTOMER_QUOTE_SPEAKER, 0,
		    NULL, 0, 0);
	if (c->today[0] != '\0' && json_is_string(date) &&
	    is_date(json_string_value(date), json_string_length(date)) &&
	    strcmp(json_string_value(date), c->today) < 0)
		hit(c, R_LAUNCH_DATE_PAST, L_LAUNCH_DATE, 0,
		    json_string_value(date), 10, 0);
	*problem_words = pw;
}

/*
 * One FAQ list: count the questions (entries with a question that has words),
 * flag questions without an answer.  Entries that are not objects are
 * skipped: the validator rejects them, the checker only survives them.
 */
static size_t
check_faq_list(struct ctx *c, const json_t *list, enum loc_id q_loc,
	       enum loc_id a_loc, unsigned mode)
{
	size_t questions = 0;

	if (!json_is_array(list))
		return 0;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *e = json_array_get(list, i);
		size_t qw, aw;

		if (!json_is_object(e))
			continue;
		qw = quality_scan(c, SEC_FAQ, q_loc, i, get(e, "question"),
				  mode);
		aw = quality_scan(c, SEC_FAQ, a_loc, i, get(e, "answer"), mode);
		if (qw == 0)
			continue;
		questions++;
		if (aw == 0)
			hit(c, R_UNANSWERED_QUESTION, a_loc, i, NULL, 0, 0);
	}
	return questions;
}

static void
check_faq(struct ctx *c, const json_t *faq)
{
	size_t ext, in;

	ext = check_faq_list(c, get(faq, "external"), L_EXT_QUESTION,
			     L_EXT_ANSWER, M_STYLE);
	in = check_faq_list(c, get(faq, "internal"), L_INT_QUESTION,
			    L_INT_ANSWER, M_STYLE | M_COVER);
	c->external_questions = ext;
	c->internal_questions = in;

	if (ext == 0)
		hit(c, R_MISSING_EXTERNAL_FAQ, L_FAQ_EXTERNAL, 0, NULL, 0, 0);
	else if (ext < FAQ_THIN)
		hit(c, R_THIN_EXTERNAL_FAQ, L_FAQ_EXTERNAL, 0, NULL, 0, ext);
	if (in == 0)
		hit(c, R_MISSING_INTERNAL_FAQ, L_FAQ_INTERNAL, 0, NULL, 0, 0);
	else if (in < FAQ_THIN)
		hit(c, R_THIN_INTERNAL_FAQ, L_FAQ_INTERNAL, 0, NULL, 0, in);

	/* without any internal question, risk still counts (see the top) */
	if (!c->covered[PRFAQ_LEX_RISK])
		hit(c, R_NO_RISK, L_FAQ_INTERNAL, 0, NULL, 0, 0);
	if (in > 0 && !c->covered[PRFAQ_LEX_ECONOMICS])
		hit(c, R_NO_ECONOMICS, L_FAQ_INTERNAL, 0, NULL, 0, 0);
	if (in > 0 && !c->covered[PRFAQ_LEX_MARKET])
		hit(c, R_NO_MARKET_SIZE, L_FAQ_INTERNAL, 0, NULL, 0, 0);
	if (in > 0 && !c->covered[PRFAQ_LEX_DEPENDENCY])
		hit(c, R_NO_DEPENDENCIES, L_FAQ_INTERNAL, 0, NULL, 0, 0);
}

static void
check_customer(struct ctx *c, const json_t *cu)
{
	quality_scan(c, SEC_CUSTOMER, L_CUSTOMER_WHO, 0, get(cu, "who"),
		     M_STYLE);
	quality_scan(c, SEC_CUSTOMER, L_CUSTOMER_PROBLEM, 0, get(cu, "problem"),
		     M_STYLE | M_NUMBER);
	quality_scan(c, SEC_CUSTOMER, L_CUSTOMER_BENEFIT, 0, get(cu, "benefit"),
		     M_STYLE);
	quality_scan(c, SEC_CUSTOMER, L_CUSTOMER_EVIDENCE, 0,
		     get(cu, "evidence"), M_STYLE);
	quality_scan(c, SEC_CUSTOMER, L_CUSTOMER_EXPERIENCE, 0,
		     get(cu, "experience"), M_STYLE);
}

/*
 * content.metrics: a PR/FAQ says how its success is measured by at least
 * one output (the result) and one input (a driver the team controls).
 */
static void
check_metrics(struct ctx *c, const json_t *metrics)
{
	bool output = false, input = false;
	size_t i;
	json_t *m;

	if (json_is_array(metrics)) {
		json_array_foreach((json_t *)metrics, i, m) {
			const char *kind = json_string_value(get(m, "kind"));

			if (kind != NULL && strcmp(kind, "output") == 0)
				output = true;
			else if (kind != NULL && strcmp(kind, "input") == 0)
				input = true;
		}
	}
	if (!output)
		hit(c, R_NO_OUTPUT_METRIC, L_METRICS, 0, NULL, 0, 0);
	if (!input)
		hit(c, R_NO_INPUT_METRIC, L_METRICS, 0, NULL, 0, 0);
}

json_t *
prfaq_quality_check(const json_t *content,
		    const struct prfaq_quality_opts *opts)
{
	struct ctx *c;
	json_t *report = NULL, *findings = NULL, *stats = NULL;
	size_t problem_words = 0;
	int score;

	/* ~30 KiB: on the heap so small thread stacks are not at risk */
	c = prfaq_calloc(1, sizeof(*c));
	if (opts != NULL &&
	    is_date(opts->today, strnlen(opts->today, sizeof(opts->today))))
		memcpy(c->today, opts->today, 11);
	c->today[10] = '\0';
	quality_lex_build(&c->lex);

	if (!json_is_object(content))
		content = NULL;
	check_press_release(c, get_object(content, "press_release"),
			    &problem_words);
	check_faq(c, get_object(content, "faq"));
	check_customer(c, get_object(content, "customer"));
	check_metrics(c, get(content, "metrics"));
	/* after customer: a number in customer.problem also counts */
	if (problem_words > 0 && !c->quantified)
		hit(c, R_UNQUANTIFIED_PROBLEM, L_PROBLEM, 0, NULL, 0, 0);
	if (c->section_words[SEC_PRESS_RELEASE] > PRESS_RELEASE_MAX)
		hit(c, R_PR_TOO_LONG, L_PRESS_RELEASE, 0, NULL, 0, 0);
	else if (c->section_words[SEC_PRESS_RELEASE] > PAGE_WORDS)
		hit(c, R_PR_OVER_A_PAGE, L_PRESS_RELEASE, 0, NULL, 0, 0);
	if (c->section_words[SEC_FAQ] > FAQ_MAX)
		hit(c, R_FAQ_TOO_LONG, L_FAQ, 0, NULL, 0, 0);

	findings = json_array();
	if (findings == NULL)
		goto out;
	score = quality_findings_build(c, findings);
	if (score < 0)
		goto out;
	stats = quality_stats_build(c);
	if (stats == NULL)
		goto out;
	report = json_object();
	if (report == NULL)
		goto out;
	if (json_object_set_new(report, "score", json_integer(score)) != 0 ||
	    json_object_set(report, "findings", findings) != 0 ||
	    json_object_set(report, "stats", stats) != 0) {
		json_decref(report);
		report = NULL;
	}
out:
	json_decref(findings);
	json_decref(stats);
	free(c);
	return report;
}

json_t *
prfaq_quality_errors(const json_t *report)
{
	const json_t *findings = get(report, "findings");
	json_t *errors = json_array();

	if (errors == NULL || !json_is_array(findings))
		return errors;
	for (size_t i = 0; i < json_array_size(findings); i++) {
		json_t *f = json_array_get(findings, i);
		const char *sev = json_string_value(get(f, "severity"));

		if (sev == NULL || strcmp(sev, "error") != 0)
			continue;
		if (json_array_append(errors, f) != 0) {
			json_decref(errors);
			return NULL;
		}
	}
	return errors;
}

void
prfaq_quality_opts_today(struct prfaq_quality_opts *opts)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1 || gmtime_r(&now, &tm) == NULL ||
	    strftime(opts->today, sizeof(opts->today), "%Y-%m-%d", &tm) != 10)
		opts->today[0] = '\0';
}
