/*
 * quality_score.c - the quality checker's rules, messages and score (see
 * quality_internal.h; what each rule checks and how the score is counted
 * is in the comment at the top of quality.c).
 *
 * A rule whose advice never changes keeps it in the table (hint); only the
 * messages that carry a count, a quote or a date are written by
 * message_of.
 */
#include <stdio.h>
#include <string.h>

#include "prfaq/utf8.h"
#include "quality_internal.h"

/* The value of a numeric macro as a string literal, for the fixed hints. */
#define STR_(x) #x
#define STR(x)	STR_(x)

enum severity { SEV_ERROR, SEV_WARNING, SEV_INFO };

static const char *const severity_name[] = { "error", "warning", "info" };

struct rule {
	const char *name; /* stable slug: clients key on it */
	enum severity severity;
	int cost;	    /* points per finding */
	int cap;	    /* most points per document */
	const char *plural; /* "weasel words", for the summary finding */
	const char *hint;   /* the message, when it takes no parameter */
};

static const struct rule rules[R_COUNT] = {
	[R_MISSING_HEADLINE] = { "missing-headline", SEV_ERROR, 15, 15, NULL,
				 "Add a headline that names the product in words the customer "
				 "understands." },
	[R_MISSING_SUMMARY] = { "missing-summary", SEV_ERROR, 10, 10, NULL,
				"Add a summary paragraph: the product, who it is for and its "
				"main benefit." },
	[R_MISSING_PROBLEM] = { "missing-problem", SEV_ERROR, 10, 10, NULL,
				"Add a problem paragraph: the customer's problem, told from "
				"their side, with a number." },
	[R_MISSING_SOLUTION] = { "missing-solution", SEV_ERROR, 10, 10, NULL,
				 "Add a solution paragraph: how the product solves the "
				 "customer's problem." },
	[R_MISSING_CUSTOMER_QUOTE] = { "missing-customer-quote", SEV_ERROR, 10,
				       10, NULL,
				       "Add a quote from a believable customer describing the benefit "
				       "in their own words, with their name." },
	[R_MISSING_EXTERNAL_FAQ] = { "missing-external-faq", SEV_ERROR, 10, 10,
				     NULL,
				     "Add external FAQ entries: the questions customers and the "
				     "press will ask (price, how it works, where to get it, what "
				     "happens when it fails, how to get help)." },
	[R_MISSING_INTERNAL_FAQ] = { "missing-internal-faq", SEV_ERROR, 10, 10,
				     NULL,
				     "Add internal FAQ entries: market size, economics, "
				     "dependencies, risks and why not to build it." },
	[R_PR_TOO_LONG] = { "press-release-too-long", SEV_ERROR, 15, 15, NULL,
			    NULL },
	[R_FAQ_TOO_LONG] = { "faq-too-long", SEV_ERROR, 10, 10, NULL, NULL },
	[R_HEADLINE_LENGTH] = { "headline-length", SEV_WARNING, 3, 3, NULL,
				NULL },
	[R_LAUNCH_DATE_PAST] = { "launch-date-past", SEV_WARNING, 3, 3, NULL,
				 NULL },
	[R_SUMMARY_LENGTH] = { "summary-length", SEV_WARNING, 2, 2, NULL,
			       NULL },
	[R_PR_OVER_A_PAGE] = { "press-release-over-a-page", SEV_WARNING, 5, 5,
			       NULL, NULL },
	[R_UNQUANTIFIED_PROBLEM] = { "unquantified-problem", SEV_WARNING, 5, 5,
				     NULL,
				     "The problem has no number; say how big it is for the customer "
				     "(how often, how long, how much)." },
	[R_QUOTE_WITHOUT_SPEAKER] = { "quote-without-speaker", SEV_WARNING, 3,
				      6, "quotes without a speaker",
				      "This quote has no speaker; attribute it to a named person and "
				      "their role." },
	[R_GUSHING_QUOTE] = { "gushing-quote", SEV_WARNING, 3, 6,
			      "gushing quotes", NULL },
	[R_LONG_SENTENCE] = { "long-sentence", SEV_WARNING, 1, 5,
			      "long sentences", NULL },
	[R_WEASEL_WORD] = { "weasel-word", SEV_WARNING, 2, 10, "weasel words",
			    NULL },
	[R_HYPE_WORD] = { "hype-word", SEV_WARNING, 2, 10, "hype words", NULL },
	[R_UNDEFINED_ACRONYM] = { "undefined-acronym", SEV_WARNING, 1, 5,
				  "undefined acronyms", NULL },
	[R_UNANSWERED_QUESTION] = { "unanswered-question", SEV_WARNING, 2, 6,
				    "unanswered questions",
				    "This question has no answer; answer with yes, no, a number or "
				    "\"we don't know yet\"." },
	[R_THIN_EXTERNAL_FAQ] = { "thin-external-faq", SEV_WARNING, 3, 3, NULL,
				  NULL },
	[R_THIN_INTERNAL_FAQ] = { "thin-internal-faq", SEV_WARNING, 3, 3, NULL,
				  NULL },
	[R_NO_RISK] = { "internal-faq-no-risk", SEV_WARNING, 5, 5, NULL,
			"The internal FAQ never names a risk; add a question on what "
			"could make this fail and why we might not build it. Until "
			"then the score is capped at " STR(RISK_CAP) "." },
	[R_NO_ECONOMICS] = { "internal-faq-no-economics", SEV_WARNING, 4, 4,
			     NULL,
			     "The internal FAQ never covers the economics; add the cost, "
			     "price and margin, or say what you do not know yet." },
	[R_NO_MARKET_SIZE] = { "internal-faq-no-market-size", SEV_WARNING, 4, 4,
			       NULL,
			       "The internal FAQ never sizes the market; say how many "
			       "customers have this problem and how you know." },
	[R_NO_DEPENDENCIES] = { "internal-faq-no-dependencies", SEV_WARNING, 3,
				3, NULL,
				"The internal FAQ never names a dependency; say what this "
				"relies on (teams, partners, third parties) and what happens "
				"if they slip." },
	[R_NO_OUTPUT_METRIC] = { "no-output-metric", SEV_WARNING, 2, 2, NULL,
				 "No output metric: add the result this must move "
				 "(orders, revenue, NPS) under metrics, with kind "
				 "\"output\", a target and a date." },
	[R_NO_INPUT_METRIC] = { "no-input-metric", SEV_WARNING, 2, 2, NULL,
				"No input metric: add a driver the team controls "
				"(stock accuracy, time to ready) under metrics, with "
				"kind \"input\", a target and a date." },
	/* cost and cap are computed: whatever brings the score down to 50 */
	[R_RISK_CAP] = { "risk-cap", SEV_WARNING, 0, 0, NULL, NULL },
	[R_READING_GRADE] = { "reading-grade", SEV_INFO, 0, 0, NULL, NULL },
	[R_WORD_COUNT] = { "word-count", SEV_INFO, 0, 0, NULL, NULL },
};

/* Findings rule r lists before one summary finding counts the rest. */
static size_t
rule_listed(enum rule_id r)
{
	size_t n = rules[r].cost > 0 ? (size_t)(rules[r].cap / rules[r].cost) :
				       1;

	/* a table edit past OCC_MAX lists fewer, never reads past the array */
	return n < OCC_MAX ? n : OCC_MAX;
}

/* Indexed places are prefix + index + suffix; the rest are prefix alone. */
static const struct {
	const char *prefix;
	const char *suffix; /* non-NULL: the pointer carries an index */
} locs[L_COUNT] = {
	[L_WHOLE] = { "", NULL },
	[L_PRESS_RELEASE] = { "/press_release", NULL },
	[L_HEADLINE] = { "/press_release/headline", NULL },
	[L_SUBHEADING] = { "/press_release/subheading", NULL },
	[L_LAUNCH_DATE] = { "/press_release/launch_date", NULL },
	[L_SUMMARY] = { "/press_release/summary", NULL },
	[L_PROBLEM] = { "/press_release/problem", NULL },
	[L_SOLUTION] = { "/press_release/solution", NULL },
	[L_LEADER_QUOTE_TEXT] = { "/press_release/leader_quote/text", NULL },
	[L_LEADER_QUOTE_SPEAKER] = { "/press_release/leader_quote/speaker",
				     NULL },
	[L_HOW_IT_WORKS] = { "/press_release/how_it_works", NULL },
	[L_CUSTOMER_QUOTE] = { "/press_release/customer_quote", NULL },
	[L_CUSTOMER_QUOTE_TEXT] = { "/press_release/customer_quote/text",
				    NULL },
	[L_CUSTOMER_QUOTE_SPEAKER] = { "/press_release/customer_quote/speaker",
				       NULL },
	[L_CALL_TO_ACTION] = { "/press_release/call_to_action", NULL },
	[L_FAQ] = { "/faq", NULL },
	[L_FAQ_EXTERNAL] = { "/faq/external", NULL },
	[L_FAQ_INTERNAL] = { "/faq/internal", NULL },
	[L_EXT_QUESTION] = { "/faq/external/", "/question" },
	[L_EXT_ANSWER] = { "/faq/external/", "/answer" },
	[L_INT_QUESTION] = { "/faq/internal/", "/question" },
	[L_INT_ANSWER] = { "/faq/internal/", "/answer" },
	[L_CUSTOMER_WHO] = { "/customer/who", NULL },
	[L_CUSTOMER_PROBLEM] = { "/customer/problem", NULL },
	[L_CUSTOMER_BENEFIT] = { "/customer/benefit", NULL },
	[L_CUSTOMER_EVIDENCE] = { "/customer/evidence", NULL },
	[L_CUSTOMER_EXPERIENCE] = { "/customer/experience", NULL },
	[L_METRICS] = { "/metrics", NULL },
};

/*
 * Flesch-Kincaid grade in tenths, never below 0:
 * 0.39 words/sentence + 11.8 syllables/word - 15.59.
 */
static long
reading_grade10(const struct ctx *c)
{
	double g;

	if (c->words == 0 || c->sentences == 0)
		return 0;
	g = 0.39 * (double)c->words / (double)c->sentences +
	    11.8 * (double)c->syllables / (double)c->words - 15.59;
	return g <= 0 ? 0 : (long)(g * 10.0 + 0.5);
}

/* ------------------------------------------------------------------------ */
/* Report                                                                    */

/* Keep quoted text short and cut on a character boundary. */
#define QUOTE_MAX 60

/*
 * Copy a short, printable excerpt of span into out (at least QUOTE_MAX + 4
 * bytes): up to QUOTE_MAX bytes, cut back to a UTF-8 boundary and, for long
 * spans, to a space, with "..." when shortened.  Stops at a line break.
 */
static void
excerpt(char *out, const char *span, size_t len)
{
	size_t n = len, cut;

	for (size_t i = 0; i < n; i++)
		if (span[i] == '\n' || span[i] == '\r' || span[i] == '\0')
			n = i;
	cut = n > QUOTE_MAX;
	if (cut) {
		n = prfaq_utf8_cut(span, n, QUOTE_MAX);
		for (size_t i = n; i > QUOTE_MAX / 2; i--)
			if (span[i] == ' ') {
				n = i;
				break;
			}
	}
	memcpy(out, span, n);
	memcpy(out + n, cut ? "..." : "", cut ? 4 : 1);
}

static void
pointer_of(char *out, size_t size, const struct occ *o)
{
	if (locs[o->loc].suffix != NULL)
		snprintf(out, size, "%s%zu%s", locs[o->loc].prefix, o->index,
			 locs[o->loc].suffix);
	else
		snprintf(out, size, "%s", locs[o->loc].prefix);
}

/*
 * The message for one finding: what is wrong and what to do about it.  The
 * fixed ones are the rules' hints; these carry a count, a quote or a date.
 * About 130 lines, but flat: one case per message with parameters.
 */
static void
message_of(char *out, size_t size, const struct ctx *c, enum rule_id r,
	   const struct occ *o)
{
	char q[QUOTE_MAX + 4] = "";
	long g;

	if (rules[r].hint != NULL) {
		snprintf(out, size, "%s", rules[r].hint);
		return;
	}
	if (o->span != NULL)
		excerpt(q, o->span, o->span_len);
	switch (r) {
	case R_PR_TOO_LONG:
		snprintf(out, size,
			 "The press release has %zu words; the limit "
			 "is %d. Cut it to one page (about %d words) and move "
			 "detail into the FAQ.",
			 c->section_words[SEC_PRESS_RELEASE], PRESS_RELEASE_MAX,
			 PAGE_WORDS);
		break;
	case R_FAQ_TOO_LONG:
		snprintf(out, size,
			 "The FAQ has %zu words; the limit is %d "
			 "(about five pages). Keep the questions readers will "
			 "ask and cut the rest.",
			 c->section_words[SEC_FAQ], FAQ_MAX);
		break;
	case R_HEADLINE_LENGTH:
		snprintf(out, size,
			 "The headline has %zu word%s; use %d to %d "
			 "that name the product and what the customer gains.",
			 o->n, o->n == 1 ? "" : "s", HEADLINE_MIN,
			 HEADLINE_MAX);
		break;
	case R_LAUNCH_DATE_PAST:
		snprintf(out, size,
			 "The launch date %s is in the past (today is "
			 "%s); set the date you are aiming for.",
			 q, c->today);
		break;
	case R_SUMMARY_LENGTH:
		snprintf(out, size,
			 "The summary has %zu word%s; use %d to %d: "
			 "the product, who it is for and its main benefit.",
			 o->n, o->n == 1 ? "" : "s", SUMMARY_MIN, SUMMARY_MAX);
		break;
	case R_PR_OVER_A_PAGE:
		snprintf(
			out, size,
			"The press release has %zu words, more than "
			"a page (about %d); tighten it so it reads on one page.",
			c->section_words[SEC_PRESS_RELEASE], PAGE_WORDS);
		break;
	case R_GUSHING_QUOTE:
		snprintf(out, size,
			 "The quote gushes (\"%s\"); say what changes "
			 "for the customer, not how anyone feels.",
			 q);
		break;
	case R_LONG_SENTENCE:
		snprintf(out, size,
			 "This sentence has %zu words (\"%s\"); split "
			 "it: keep sentences to %d words or fewer.",
			 o->n, q, SENTENCE_MAX);
		break;
	case R_WEASEL_WORD:
		snprintf(out, size,
			 "\"%s\" is a weasel word; replace it with the "
			 "number or fact it stands for.",
			 q);
		break;
	case R_HYPE_WORD:
		snprintf(out, size,
			 "\"%s\" is hype; replace it with a specific, "
			 "measurable benefit.",
			 q);
		break;
	case R_UNDEFINED_ACRONYM:
		snprintf(out, size,
			 "Spell out \"%s\" at its first use, as in "
			 "\"full name (%s)\".",
			 q, q);
		break;
	case R_THIN_EXTERNAL_FAQ:
		snprintf(out, size,
			 "The external FAQ has %zu question%s; add at "
			 "least %d: price, how it works, where to get it, what "
			 "happens when it fails, how to get help.",
			 o->n, o->n == 1 ? "" : "s", FAQ_THIN);
		break;
	case R_THIN_INTERNAL_FAQ:
		snprintf(
			out, size,
			"The internal FAQ has %zu question%s; add at "
			"least %d: market size, economics, dependencies, risks.",
			o->n, o->n == 1 ? "" : "s", FAQ_THIN);
		break;
	case R_RISK_CAP:
		snprintf(
			out, size,
			"Score capped at %d because the internal FAQ "
			"ignores risk; answering a risk question gives back these "
			"%zu points.",
			RISK_CAP, o->n);
		break;
	case R_READING_GRADE:
		g = reading_grade10(c);
		snprintf(
			out, size,
			"Reading grade %ld.%ld (Flesch-Kincaid, %zu "
			"words in %zu sentences); %s",
			g / 10, g % 10, c->words, c->sentences,
			g <= GRADE_EASY * 10 ?
				"easy to read: keep it at or below grade 10." :
				"hard going: shorter sentences and plainer words bring "
				"it to grade 10 or below.");
		break;
	case R_WORD_COUNT:
		snprintf(out, size,
			 "Press release %zu words (a page is about %d, "
			 "the limit %d); FAQ %zu words (limit %d); customer "
			 "answers %zu words.",
			 c->section_words[SEC_PRESS_RELEASE], PAGE_WORDS,
			 PRESS_RELEASE_MAX, c->section_words[SEC_FAQ], FAQ_MAX,
			 c->section_words[SEC_CUSTOMER]);
		break;
	default:
		/* every other rule has a hint */
		out[0] = '\0';
		break;
	}
}

/*
 * Append one finding to findings (borrowed).  The message may quote user
 * text; it is valid UTF-8 when the content is, but a content built with
 * json_stringn_nocheck could hold anything, so bad bytes become "?" rather
 * than failing the whole report.  Returns 0, or -1 when memory runs out.
 */
static int
finding_add(json_t *findings, enum rule_id r, const struct occ *o, char *msg,
	    int points)
{
	char ptr[80];
	json_t *f;

	pointer_of(ptr, sizeof(ptr), o);
	if (!prfaq_utf8_valid(msg, strlen(msg)))
		for (char *p = msg; *p != '\0'; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
	f = json_object();
	if (f == NULL)
		return -1;
	if (json_object_set_new(f, "rule", json_string(rules[r].name)) != 0 ||
	    json_object_set_new(
		    f, "severity",
		    json_string(severity_name[rules[r].severity])) != 0 ||
	    json_object_set_new(f, "pointer", json_string(ptr)) != 0 ||
	    json_object_set_new(f, "message", json_string(msg)) != 0 ||
	    json_object_set_new(f, "points", json_integer(points)) != 0) {
		json_decref(f);
		return -1;
	}
	return json_array_append_new(findings, f);
}

/*
 * Emit every rule's findings in table order, charging points against the
 * 100-point budget as we go; returns the score, or -1 when memory runs out.
 */
int
quality_findings_build(struct ctx *c, json_t *findings)
{
	char msg[512];
	int budget = 100;

	/* computed here: the cap applies to what the other rules left */
	if (!c->covered[PRFAQ_LEX_RISK])
		hit(c, R_RISK_CAP, L_FAQ_INTERNAL, 0, NULL, 0, 0);
	hit(c, R_WORD_COUNT, L_WHOLE, 0, NULL, 0, 0);
	if (c->words > 0)
		hit(c, R_READING_GRADE, L_WHOLE, 0, NULL, 0, 0);

	for (int r = 0; r < R_COUNT; r++) {
		struct hits *h = &c->hits[r];
		size_t listed = rule_listed((enum rule_id)r);

		if (r == R_RISK_CAP && h->count > 0) {
			if (budget <= RISK_CAP)
				continue;
			h->occ[0].n = (size_t)(budget - RISK_CAP);
		}
		for (size_t k = 0; k < h->count && k < listed; k++) {
			int pts = r == R_RISK_CAP ? (int)h->occ[0].n :
						    rules[r].cost;

			if (pts > budget)
				pts = budget;
			budget -= pts;
			message_of(msg, sizeof(msg), c, (enum rule_id)r,
				   &h->occ[k]);
			if (finding_add(findings, (enum rule_id)r, &h->occ[k],
					msg, pts) != 0)
				return -1;
		}
		if (h->count > listed) {
			snprintf(
				msg, sizeof(msg),
				"%zu more %s, the first here; "
				"this rule costs at most %d points, so they cost "
				"nothing more, but fix them too.",
				h->count - listed,
				rules[r].plural ? rules[r].plural : "findings",
				rules[r].cap);
			if (finding_add(findings, (enum rule_id)r,
					&h->occ[listed], msg, 0) != 0)
				return -1;
		}
	}
	return budget;
}

json_t *
quality_stats_build(const struct ctx *c)
{
	long g = reading_grade10(c);

	return json_pack(
		"{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "press_release_words",
		(json_int_t)c->section_words[SEC_PRESS_RELEASE], "faq_words",
		(json_int_t)c->section_words[SEC_FAQ], "customer_words",
		(json_int_t)c->section_words[SEC_CUSTOMER], "words",
		(json_int_t)c->words, "external_questions",
		(json_int_t)c->external_questions, "internal_questions",
		(json_int_t)c->internal_questions, "sentences",
		(json_int_t)c->sentences, "reading_grade",
		(json_int_t)((g + 5) / 10));
}
