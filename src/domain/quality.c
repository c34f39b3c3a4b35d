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
 * Words: runs of ASCII letters and digits and of any non-ASCII byte (so
 * "Müller" and "naïve" are one word), joined by an apostrophe (' or U+2019)
 * or a "." between word characters ("e.g", "3.5", "example.com"), or a ","
 * between digits ("2,500").  A single hyphen glues two words into one for
 * counting ("best-in-class" is one word) but they stay separate tokens for
 * matching.  Unicode spaces, dashes and quotes (U+00A0, U+2000..U+206F,
 * U+3000) separate words.  Sentences end at ".", "!", "?" or a line break,
 * except for a "." after a single letter, an abbreviation ("Dr.", "Inc.") or
 * a word holding a "." ("e.g.", "U.S.").
 */
#include "prfaq/quality.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prfaq/utf8.h"
#include "prfaq/wordlists.h"

#define HEADLINE_MIN		4
#define HEADLINE_MAX		18
#define SUMMARY_MIN		25
#define SUMMARY_MAX		70
#define PAGE_WORDS		550
#define PRESS_RELEASE_MAX	800
#define FAQ_MAX			2500
#define SENTENCE_MAX		30
#define FAQ_THIN		3
#define RISK_CAP		50
#define GRADE_EASY		10	/* reading grade most readers take fast */

/* ------------------------------------------------------------------------ */
/* Rules                                                                     */

enum severity { SEV_ERROR, SEV_WARNING, SEV_INFO };

static const char *const severity_name[] = { "error", "warning", "info" };

/* Same order as the rule table; the report follows this order. */
enum rule_id {
	R_MISSING_HEADLINE,
	R_MISSING_SUMMARY,
	R_MISSING_PROBLEM,
	R_MISSING_SOLUTION,
	R_MISSING_CUSTOMER_QUOTE,
	R_MISSING_EXTERNAL_FAQ,
	R_MISSING_INTERNAL_FAQ,
	R_PR_TOO_LONG,
	R_FAQ_TOO_LONG,
	R_HEADLINE_LENGTH,
	R_LAUNCH_DATE_PAST,
	R_SUMMARY_LENGTH,
	R_PR_OVER_A_PAGE,
	R_UNQUANTIFIED_PROBLEM,
	R_QUOTE_WITHOUT_SPEAKER,
	R_GUSHING_QUOTE,
	R_LONG_SENTENCE,
	R_WEASEL_WORD,
	R_HYPE_WORD,
	R_UNDEFINED_ACRONYM,
	R_UNANSWERED_QUESTION,
	R_THIN_EXTERNAL_FAQ,
	R_THIN_INTERNAL_FAQ,
	R_NO_RISK,
	R_NO_ECONOMICS,
	R_NO_MARKET_SIZE,
	R_NO_DEPENDENCIES,
	R_RISK_CAP,
	R_READING_GRADE,
	R_WORD_COUNT,
	R_COUNT
};

struct rule {
	const char *name;	/* stable slug: clients key on it */
	enum severity severity;
	int cost;		/* points per finding */
	int cap;		/* most points per document */
	const char *plural;	/* "weasel words", for the summary finding */
};

static const struct rule rules[R_COUNT] = {
	[R_MISSING_HEADLINE] = { "missing-headline", SEV_ERROR, 15, 15, NULL },
	[R_MISSING_SUMMARY] = { "missing-summary", SEV_ERROR, 10, 10, NULL },
	[R_MISSING_PROBLEM] = { "missing-problem", SEV_ERROR, 10, 10, NULL },
	[R_MISSING_SOLUTION] = { "missing-solution", SEV_ERROR, 10, 10, NULL },
	[R_MISSING_CUSTOMER_QUOTE] = { "missing-customer-quote", SEV_ERROR, 10, 10,
				       NULL },
	[R_MISSING_EXTERNAL_FAQ] = { "missing-external-faq", SEV_ERROR, 10, 10,
				     NULL },
	[R_MISSING_INTERNAL_FAQ] = { "missing-internal-faq", SEV_ERROR, 10, 10,
				     NULL },
	[R_PR_TOO_LONG] = { "press-release-too-long", SEV_ERROR, 15, 15, NULL },
	[R_FAQ_TOO_LONG] = { "faq-too-long", SEV_ERROR, 10, 10, NULL },
	[R_HEADLINE_LENGTH] = { "headline-length", SEV_WARNING, 3, 3, NULL },
	[R_LAUNCH_DATE_PAST] = { "launch-date-past", SEV_WARNING, 3, 3, NULL },
	[R_SUMMARY_LENGTH] = { "summary-length", SEV_WARNING, 2, 2, NULL },
	[R_PR_OVER_A_PAGE] = { "press-release-over-a-page", SEV_WARNING, 5, 5,
			       NULL },
	[R_UNQUANTIFIED_PROBLEM] = { "unquantified-problem", SEV_WARNING, 5, 5,
				     NULL },
	[R_QUOTE_WITHOUT_SPEAKER] = { "quote-without-speaker", SEV_WARNING, 3, 6,
				      "quotes without a speaker" },
	[R_GUSHING_QUOTE] = { "gushing-quote", SEV_WARNING, 3, 6,
			      "gushing quotes" },
	[R_LONG_SENTENCE] = { "long-sentence", SEV_WARNING, 1, 5,
			      "long sentences" },
	[R_WEASEL_WORD] = { "weasel-word", SEV_WARNING, 2, 10, "weasel words" },
	[R_HYPE_WORD] = { "hype-word", SEV_WARNING, 2, 10, "hype words" },
	[R_UNDEFINED_ACRONYM] = { "undefined-acronym", SEV_WARNING, 1, 5,
				  "undefined acronyms" },
	[R_UNANSWERED_QUESTION] = { "unanswered-question", SEV_WARNING, 2, 6,
				    "unanswered questions" },
	[R_THIN_EXTERNAL_FAQ] = { "thin-external-faq", SEV_WARNING, 3, 3, NULL },
	[R_THIN_INTERNAL_FAQ] = { "thin-internal-faq", SEV_WARNING, 3, 3, NULL },
	[R_NO_RISK] = { "internal-faq-no-risk", SEV_WARNING, 5, 5, NULL },
	[R_NO_ECONOMICS] = { "internal-faq-no-economics", SEV_WARNING, 4, 4,
			     NULL },
	[R_NO_MARKET_SIZE] = { "internal-faq-no-market-size", SEV_WARNING, 4, 4,
			       NULL },
	[R_NO_DEPENDENCIES] = { "internal-faq-no-dependencies", SEV_WARNING, 3, 3,
				NULL },
	/* cost and cap are computed: whatever brings the score down to 50 */
	[R_RISK_CAP] = { "risk-cap", SEV_WARNING, 0, 0, NULL },
	[R_READING_GRADE] = { "reading-grade", SEV_INFO, 0, 0, NULL },
	[R_WORD_COUNT] = { "word-count", SEV_INFO, 0, 0, NULL },
};

/* Findings a rule lists before it summarises the rest. */
#define OCC_MAX 5	/* the most any rule above lists (cap / cost) */

static size_t
rule_listed(enum rule_id r)
{
	size_t n = rules[r].cost > 0 ? (size_t)(rules[r].cap / rules[r].cost) : 1;

	/* a table edit past OCC_MAX lists fewer, never reads past the array */
	return n < OCC_MAX ? n : OCC_MAX;
}

/* ------------------------------------------------------------------------ */
/* Places in the content (JSON Pointers)                                     */

enum loc_id {
	L_WHOLE,
	L_PRESS_RELEASE,
	L_HEADLINE,
	L_SUBHEADING,
	L_LAUNCH_DATE,
	L_SUMMARY,
	L_PROBLEM,
	L_SOLUTION,
	L_LEADER_QUOTE_TEXT,
	L_LEADER_QUOTE_SPEAKER,
	L_HOW_IT_WORKS,
	L_CUSTOMER_QUOTE,
	L_CUSTOMER_QUOTE_TEXT,
	L_CUSTOMER_QUOTE_SPEAKER,
	L_CALL_TO_ACTION,
	L_FAQ,
	L_FAQ_EXTERNAL,
	L_FAQ_INTERNAL,
	L_EXT_QUESTION,
	L_EXT_ANSWER,
	L_INT_QUESTION,
	L_INT_ANSWER,
	L_CUSTOMER_WHO,
	L_CUSTOMER_PROBLEM,
	L_CUSTOMER_BENEFIT,
	L_CUSTOMER_EVIDENCE,
	L_CUSTOMER_EXPERIENCE,
	L_COUNT
};

/* Indexed places are prefix + index + suffix; the rest are prefix alone. */
static const struct {
	const char *prefix;
	const char *suffix;	/* non-NULL: the pointer carries an index */
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
	[L_LEADER_QUOTE_SPEAKER] = { "/press_release/leader_quote/speaker", NULL },
	[L_HOW_IT_WORKS] = { "/press_release/how_it_works", NULL },
	[L_CUSTOMER_QUOTE] = { "/press_release/customer_quote", NULL },
	[L_CUSTOMER_QUOTE_TEXT] = { "/press_release/customer_quote/text", NULL },
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
};

/* What a field is read for, beyond word and sentence counts. */
#define M_STYLE		0x01	/* weasel, hype, long sentences, acronyms */
#define M_GUSH		0x02	/* a quote */
#define M_NUMBER	0x04	/* a problem statement: look for a quantity */
#define M_COVER		0x08	/* internal FAQ: risk, economics, market, deps */

enum section { SEC_PRESS_RELEASE, SEC_FAQ, SEC_CUSTOMER, SEC_COUNT };

/* ------------------------------------------------------------------------ */
/* Checker state                                                             */

/* One occurrence of a rule: where, and what to quote back to the writer. */
struct occ {
	enum loc_id loc;
	size_t index;		/* FAQ entry, for indexed places */
	const char *span;	/* borrowed from the content, or NULL */
	size_t span_len;
	size_t n;		/* a count the message reports */
};

/* The first OCC_MAX occurrences, plus the first one past them. */
struct hits {
	size_t count;
	struct occ occ[OCC_MAX + 1];
};

#define LEX_BUCKETS	512	/* power of two */
#define LEX_ENTRIES_MAX	1024
#define ACRO_SLOTS	256	/* power of two; distinct acronyms remembered */

/*
 * The word lists hashed by their first word.  Rebuilt on every call (a few
 * hundred short strings, about a microsecond) so the checker keeps no global
 * state and needs no locking.
 */
struct lexindex {
	uint16_t head[LEX_BUCKETS];	/* entry + 1, 0 = empty */
	uint16_t next[LEX_ENTRIES_MAX];
	uint32_t hash[LEX_ENTRIES_MAX];	/* of the first word */
	const char *text[LEX_ENTRIES_MAX];
	uint8_t list[LEX_ENTRIES_MAX];
	size_t n;
};

struct ctx {
	char today[11];			/* "" or YYYY-MM-DD */
	struct lexindex lex;
	struct hits hits[R_COUNT];
	struct {
		const char *p;		/* borrowed from the content */
		size_t len;
	} acro[ACRO_SLOTS];
	size_t acro_n;
	bool covered[PRFAQ_LEX_COUNT];	/* coverage lists seen in internal FAQ */
	bool quantified;		/* a number in a problem statement */
	size_t section_words[SEC_COUNT];
	size_t words;
	size_t sentences;
	size_t syllables;
	size_t external_questions;
	size_t internal_questions;
};

/*
 * Record an occurrence of rule r.  Only the first OCC_MAX + 1 are kept (the
 * report lists at most OCC_MAX and points the summary at the next); the count
 * goes on.  span is borrowed from the content, which outlives the check.
 */
static void
hit(struct ctx *c, enum rule_id r, enum loc_id loc, size_t index,
    const char *span, size_t span_len, size_t n)
{
	struct hits *h = &c->hits[r];

	if (h->count <= OCC_MAX) {
		struct occ *o = &h->occ[h->count];

		o->loc = loc;
		o->index = index;
		o->span = span;
		o->span_len = span_len;
		o->n = n;
	}
	h->count++;
}

/* ------------------------------------------------------------------------ */
/* Tokeniser                                                                 */

enum cls {
	C_WORD, C_SPACE, C_NEWLINE, C_HYPHEN, C_APOS, C_DOT, C_COMMA, C_TERM,
	C_OPEN, C_OTHER
};

#define W_ C_WORD
#define O_ C_OTHER
#define S_ C_SPACE

/* ASCII classes by byte: the tokeniser's inner loop is a table load. */
static const unsigned char ascii_cls[128] = {
	O_, O_, O_, O_, O_, O_, O_, O_, O_, S_, C_NEWLINE, S_, S_, S_, O_, O_,
	O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_,
	/*  SP  !       "   #   $   %   &   '       (       )   *   +   , */
	S_, C_TERM, O_, O_, O_, O_, O_, C_APOS, C_OPEN, O_, O_, O_, C_COMMA,
	/*  -       .      / */
	C_HYPHEN, C_DOT, O_,
	W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,		/* 0-9 */
	O_, O_, O_, O_, O_, C_TERM,			/* : ; < = > ? */
	O_,						/* @ */
	W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,	/* A-M */
	W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,	/* N-Z */
	O_, O_, O_, O_, O_, O_,				/* [ \ ] ^ _ ` */
	W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,	/* a-m */
	W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,	/* n-z */
	O_, O_, O_, O_, O_,				/* { | } ~ DEL */
};

#undef W_
#undef O_
#undef S_

enum { L_NONE, L_CONSONANT, L_VOWEL };

/* Latin letters by byte, either case: one load per byte of every token. */
static const unsigned char latin[256] = {
	['A'] = L_VOWEL, ['E'] = L_VOWEL, ['I'] = L_VOWEL, ['O'] = L_VOWEL,
	['U'] = L_VOWEL, ['Y'] = L_VOWEL,
	['a'] = L_VOWEL, ['e'] = L_VOWEL, ['i'] = L_VOWEL, ['o'] = L_VOWEL,
	['u'] = L_VOWEL, ['y'] = L_VOWEL,
	['B' ... 'D'] = L_CONSONANT, ['F' ... 'H'] = L_CONSONANT,
	['J' ... 'N'] = L_CONSONANT, ['P' ... 'T'] = L_CONSONANT,
	['V' ... 'X'] = L_CONSONANT, ['Z'] = L_CONSONANT,
	['b' ... 'd'] = L_CONSONANT, ['f' ... 'h'] = L_CONSONANT,
	['j' ... 'n'] = L_CONSONANT, ['p' ... 't'] = L_CONSONANT,
	['v' ... 'x'] = L_CONSONANT, ['z'] = L_CONSONANT,
};

/*
 * The tokeniser's hot loop in one load: for an ASCII word byte (0-9, A-Z,
 * a-z) its normalised (lower case) value, else 0 (for bytes from 0x80 the
 * slower classify() decides).
 */
#define WL(c) ((unsigned char)((c) >= 'A' && (c) <= 'Z' ? (c) + 32 :	\
	       ((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9') ? (c) : 0))
#define WL4(c) WL(c), WL((c) + 1), WL((c) + 2), WL((c) + 3)
#define WL16(c) WL4(c), WL4((c) + 4), WL4((c) + 8), WL4((c) + 12)
static const unsigned char word_lower[256] = {
	WL16(0x00), WL16(0x10), WL16(0x20), WL16(0x30),
	WL16(0x40), WL16(0x50), WL16(0x60), WL16(0x70),
	WL16(0x80), WL16(0x90), WL16(0xA0), WL16(0xB0),
	WL16(0xC0), WL16(0xD0), WL16(0xE0), WL16(0xF0),
};
#undef WL16
#undef WL4
#undef WL

/*
 * Classify the character at s[i] and return its length in bytes.  Non-ASCII
 * bytes are word bytes one at a time, except the Unicode spaces, dashes,
 * quotes and the ideographic full stop, which would otherwise glue words
 * together ("fast\u2014very fast").  Never reads past s[n-1].
 */
static inline size_t
classify(const unsigned char *s, size_t n, size_t i, enum cls *out)
{
	unsigned char ch = s[i];

	if (ch < 0x80) {
		*out = (enum cls)ascii_cls[ch];
		return 1;
	}
	if (ch == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) {
		*out = C_SPACE;		/* no-break space */
		return 2;
	}
	if (ch == 0xE2 && i + 2 < n && (s[i + 1] == 0x80 || s[i + 1] == 0x81)) {
		unsigned char c3 = s[i + 2];

		if (s[i + 1] == 0x81)
			*out = c3 == 0x9F ? C_SPACE : C_OTHER;
		else if (c3 <= 0x8B || c3 == 0xAF)
			*out = C_SPACE;		/* U+2000..200B, U+202F */
		else if (c3 <= 0x8F)
			*out = C_WORD;		/* joiners and marks */
		else if (c3 <= 0x91)
			*out = C_HYPHEN;	/* U+2010, U+2011 */
		else if (c3 == 0x98 || c3 == 0x99)
			*out = C_APOS;		/* U+2018, U+2019 */
		else if (c3 == 0xA8 || c3 == 0xA9)
			*out = C_NEWLINE;	/* line, paragraph separator */
		else
			*out = C_OTHER;		/* dashes, quotes, ellipsis, ... */
		return *out == C_WORD ? 1 : 3;
	}
	if (ch == 0xE3 && i + 2 < n && s[i + 1] == 0x80 &&
	    (s[i + 2] == 0x80 || s[i + 2] == 0x82)) {
		*out = s[i + 2] == 0x80 ? C_SPACE : C_TERM;
		return 3;
	}
	*out = C_WORD;
	return 1;
}

static unsigned char
lower(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + 32) : ch;
}

#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u

#define A_JOINED	0x01	/* glued to the previous token by one hyphen */
#define A_SENTENCE	0x02	/* first token of a sentence */
#define A_PAREN_BEFORE	0x04	/* "(" right before it */
#define A_PAREN_AFTER	0x08	/* "(" right after it */

struct atom {
	const char *p;
	size_t len;
	uint32_t hash;		/* FNV-1a of the normalised bytes */
	unsigned flags;
	unsigned syllables;	/* see atom_syllables */
};

struct tok {
	const unsigned char *s;
	size_t n;
	size_t i;
	bool first;
	const unsigned char *prev;	/* previous token, for "Dr." */
	size_t prev_len;
};

static void
tok_init(struct tok *t, const char *s, size_t n)
{
	t->s = (const unsigned char *)s;
	t->n = n;
	t->i = 0;
	t->first = true;
	t->prev = NULL;
	t->prev_len = 0;
}

/*
 * Whether a "." right after token p[0..len) leaves the sentence open: after a
 * single letter ("J. Smith"), a token holding a "." ("e.g.") or a listed
 * abbreviation ("Dr.").
 */
static bool
dot_continues(const unsigned char *p, size_t len)
{
	if (len == 1)
		return (p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z');
	if (memchr(p, '.', len) != NULL)
		return true;
	/* Once per sentence end: compare in place, no strlen of every entry. */
	for (const char *const *a = prfaq_abbreviations; *a != NULL; a++) {
		size_t k = 0;

		while (k < len && lower(p[k]) == (unsigned char)(*a)[k])
			k++;
		if (k == len && (*a)[k] == '\0')
			return true;
	}
	return false;
}

/*
 * Syllables in a token, by the usual heuristic: vowel groups (a e i o u y),
 * less a silent final "e" (but not "-le"), at least one.  Numbers and
 * non-Latin words count one.  next_atom counts the letters and the vowel
 * groups as it hashes the token's bytes; this applies the rest.
 */
static unsigned
atom_syllables(const unsigned char *p, size_t len, unsigned letters,
	       unsigned groups)
{
	if (letters > 2 && groups > 1 && lower(p[len - 1]) == 'e' &&
	    lower(p[len - 2]) != 'l')
		groups--;
	return groups > 0 ? groups : 1;
}

/*
 * Next token of t into *a; false at the end.  Reads the separators before the
 * token to set its flags, then the token itself, hashing its bytes in the
 * normalised form (ASCII lower case, U+2018/U+2019 as "'").  a->p points into
 * the text t reads; nothing is allocated.
 */
static bool
next_atom(struct tok *t, struct atom *a)
{
	const unsigned char *s = t->s;
	size_t n = t->n, i = t->i, len, start;
	unsigned hyphens = 0, letters = 0, groups = 0;
	bool other = false, term = false, paren = false, vowel = false;
	uint32_t h = FNV_OFFSET;
	enum cls c;

	while (i < n) {
		len = classify(s, n, i, &c);
		if (c == C_WORD)
			break;
		switch (c) {
		case C_HYPHEN:
			hyphens++;
			paren = false;
			break;
		case C_SPACE:
			other = true;
			break;
		case C_OPEN:
			other = paren = true;
			break;
		case C_DOT:
			/* only a "." right after the token can be "Dr." */
			if (t->prev == NULL || i != t->i ||
			    !dot_continues(t->prev, t->prev_len))
				term = true;
			other = true;
			paren = false;
			break;
		case C_TERM:
		case C_NEWLINE:
			term = true;
			/* fall through */
		default:
			other = true;
			paren = false;
			break;
		}
		i += len;
	}
	if (i >= n) {
		t->i = n;
		return false;
	}

	a->flags = 0;
	if (t->first || term)
		a->flags |= A_SENTENCE;
	else if (hyphens == 1 && !other)
		a->flags |= A_JOINED;
	if (paren)
		a->flags |= A_PAREN_BEFORE;

	start = i;
	while (i < n) {
		enum cls c2;

		/*
		 * Most bytes: ASCII word characters, hashed as they pass, and
		 * their vowel groups counted for the syllables in the same pass.
		 */
		if (word_lower[s[i]] != 0) {
			unsigned char b;

			while (i < n && (b = word_lower[s[i]]) != 0) {
				bool v = latin[b] == L_VOWEL;

				h = (h ^ b) * FNV_PRIME;
				letters += latin[b] != L_NONE;
				groups += v && !vowel;
				vowel = v;
				i++;
			}
			continue;
		}
		vowel = false;		/* whatever follows is no Latin letter */
		len = classify(s, n, i, &c);
		if (c == C_WORD) {
			h = (h ^ lower(s[i])) * FNV_PRIME;
			i += len;
			continue;
		}
		/* joiners count only between two word characters */
		if ((c != C_APOS && c != C_DOT && c != C_COMMA) || i + len >= n)
			break;
		classify(s, n, i + len, &c2);
		if (c2 != C_WORD)
			break;
		if (c == C_COMMA &&
		    !(s[i - 1] >= '0' && s[i - 1] <= '9' &&
		      s[i + 1] >= '0' && s[i + 1] <= '9'))
			break;
		h = (h ^ (c == C_APOS ? '\'' : s[i])) * FNV_PRIME;
		i += len;
	}
	a->p = (const char *)s + start;
	a->len = i - start;
	a->hash = h;
	a->syllables = atom_syllables(s + start, a->len, letters, groups);

	t->i = i;
	t->first = false;
	t->prev = s + start;
	t->prev_len = a->len;

	/* peek: "SLA (service level agreement)" defines SLA */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && s[i] == '(')
		a->flags |= A_PAREN_AFTER;
	return true;
}

/*
 * Next normalised byte of p[0..len) at *i (ASCII lower case; U+2018 and
 * U+2019 read as "'"), advancing *i.
 */
static unsigned char
norm_next(const unsigned char *p, size_t len, size_t *i)
{
	if (p[*i] == 0xE2 && *i + 2 < len && p[*i + 1] == 0x80 &&
	    (p[*i + 2] == 0x98 || p[*i + 2] == 0x99)) {
		*i += 3;
		return '\'';
	}
	return lower(p[(*i)++]);
}

/* Whether two tokens read the same once normalised. */
static bool
atom_eq(const struct atom *x, const struct atom *y)
{
	const unsigned char *p = (const unsigned char *)x->p;
	const unsigned char *q = (const unsigned char *)y->p;
	size_t i = 0, j = 0;

	if (x->hash != y->hash)
		return false;
	while (i < x->len && j < y->len)
		if (norm_next(p, x->len, &i) != norm_next(q, y->len, &j))
			return false;
	return i == x->len && j == y->len;
}


/* ------------------------------------------------------------------------ */
/* Word lists                                                                */

/* Hash every list entry by its first word (see struct lexindex). */
static void
lex_build(struct lexindex *lx)
{
	for (int l = 0; l < PRFAQ_LEX_COUNT; l++) {
		const char *const *e = prfaq_wordlists[l].entries;

		for (; e != NULL && *e != NULL; e++) {
			struct tok t;
			struct atom a;
			size_t b;

			if (lx->n == LEX_ENTRIES_MAX)
				return;
			tok_init(&t, *e, strlen(*e));
			if (!next_atom(&t, &a))
				continue;
			b = a.hash & (LEX_BUCKETS - 1);
			lx->hash[lx->n] = a.hash;
			lx->text[lx->n] = *e;
			lx->list[lx->n] = (uint8_t)l;
			lx->next[lx->n] = lx->head[b];
			lx->head[b] = (uint16_t)(lx->n + 1);
			lx->n++;
		}
	}
}

#define WIN PRFAQ_PHRASE_MAX

/*
 * Whether list entry e matches the tokens starting at the window front
 * (win[wh], wn tokens available) within one sentence.  Returns how many
 * tokens it spans, 0 for no match.
 */
static size_t
lex_match(const char *e, const struct atom *win, size_t wh, size_t wn)
{
	struct tok t;
	struct atom ea;
	size_t k = 0;

	tok_init(&t, e, strlen(e));
	while (next_atom(&t, &ea)) {
		const struct atom *a;

		if (k >= wn)
			return 0;
		a = &win[(wh + k) % WIN];
		if (k > 0 && (a->flags & A_SENTENCE))
			return 0;
		if (!atom_eq(a, &ea))
			return 0;
		k++;
	}
	return k;
}

/* Which lists a field's mode reads. */
static bool
lex_active(int list, unsigned mode)
{
	switch (list) {
	case PRFAQ_LEX_WEASEL:
	case PRFAQ_LEX_HYPE:
	case PRFAQ_LEX_PLAIN:
		return (mode & M_STYLE) != 0;
	case PRFAQ_LEX_GUSH:
		return (mode & M_GUSH) != 0;
	case PRFAQ_LEX_NUMBER:
		return (mode & M_NUMBER) != 0;
	default:
		return (mode & M_COVER) != 0;
	}
}

/* ------------------------------------------------------------------------ */
/* Reading one field                                                         */

struct field {
	enum loc_id loc;
	size_t index;
	unsigned mode;
	size_t words;
	size_t sentence_words;
	const char *sentence;	/* start of the current sentence */
	const char *end;	/* end of the text */
	size_t style_skip;	/* tokens still inside the last style match */
	bool gushed;		/* one gushing-quote finding per quote */
};

/* Close the current sentence: count it, flag it when too long. */
static void
sentence_end(struct ctx *c, struct field *f)
{
	if (f->sentence_words == 0)
		return;
	c->sentences++;
	if ((f->mode & M_STYLE) && f->sentence_words > SENTENCE_MAX)
		hit(c, R_LONG_SENTENCE, f->loc, f->index, f->sentence,
		    (size_t)(f->end - f->sentence), f->sentence_words);
	f->sentence_words = 0;
}

/*
 * If token a is an acronym (2-6 capitals or digits, at least two capitals,
 * optionally a plural "s"), return the length without the "s"; else 0.
 */
static size_t
acronym_len(const struct atom *a)
{
	const unsigned char *p = (const unsigned char *)a->p;
	size_t len = a->len, caps = 0;

	if (len >= 3 && p[len - 1] == 's')
		len--;
	if (len < 2 || len > 6 || p[0] < 'A' || p[0] > 'Z')
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] >= 'A' && p[i] <= 'Z')
			caps++;
		else if (p[i] < '0' || p[i] > '9')
			return 0;
	}
	return caps >= 2 ? len : 0;
}

/*
 * First use of an acronym: flag it unless known or defined right there, by
 * "(SLA)" or "SLA (...)".  Later uses are ignored either way, so one finding
 * per acronym, at its first use in document order.  Remembers up to
 * ACRO_SLOTS - 1 distinct acronyms; past that, new ones are not checked.
 */
static void
acronym_check(struct ctx *c, struct field *f, const struct atom *a)
{
	size_t len = acronym_len(a), slot;
	uint32_t h = FNV_OFFSET;

	if (len == 0)
		return;
	for (const char *const *k = prfaq_acronyms_known; *k != NULL; k++)
		if (strlen(*k) == len && memcmp(*k, a->p, len) == 0)
			return;
	/* hash the acronym, not the token: "SLAs" must find "SLA" */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)a->p[i]) * FNV_PRIME;
	slot = h & (ACRO_SLOTS - 1);
	while (c->acro[slot].p != NULL) {
		if (c->acro[slot].len == len &&
		    memcmp(c->acro[slot].p, a->p, len) == 0)
			return;
		slot = (slot + 1) & (ACRO_SLOTS - 1);
	}
	if (c->acro_n == ACRO_SLOTS - 1)
		return;
	c->acro[slot].p = a->p;
	c->acro[slot].len = len;
	c->acro_n++;
	if (!(a->flags & (A_PAREN_BEFORE | A_PAREN_AFTER)))
		hit(c, R_UNDEFINED_ACRONYM, f->loc, f->index, a->p, len, 0);
}

/*
 * Look the window front up in the word lists and act on the matches: the
 * longest weasel/hype/plain match wins and its tokens are skipped for style;
 * gush, number and coverage lists just set flags.
 */
static void
lex_check(struct ctx *c, struct field *f, const struct atom *win, size_t wh,
	  size_t wn)
{
	const struct atom *a = &win[wh];
	const struct lexindex *lx = &c->lex;
	size_t best = 0;
	int best_list = -1;

	for (uint16_t e = lx->head[a->hash & (LEX_BUCKETS - 1)]; e != 0;
	     e = lx->next[e - 1]) {
		int l = lx->list[e - 1];
		size_t k;

		/* most tokens share a bucket with nothing they could match */
		if (lx->hash[e - 1] != a->hash || !lex_active(l, f->mode))
			continue;
		if ((l == PRFAQ_LEX_GUSH && f->gushed) ||
		    (l == PRFAQ_LEX_NUMBER && c->quantified) ||
		    /* the coverage lists come last in enum prfaq_lexicon */
		    (l >= PRFAQ_LEX_RISK && c->covered[l]))
			continue;
		if ((l == PRFAQ_LEX_WEASEL || l == PRFAQ_LEX_HYPE ||
		     l == PRFAQ_LEX_PLAIN) && f->style_skip > 0)
			continue;
		k = lex_match(lx->text[e - 1], win, wh, wn);
		if (k == 0)
			continue;
		switch (l) {
		case PRFAQ_LEX_WEASEL:
		case PRFAQ_LEX_HYPE:
		case PRFAQ_LEX_PLAIN:
			/* ties go to "plain": an excuse beats a flag */
			if (k > best || (k == best && l == PRFAQ_LEX_PLAIN)) {
				best = k;
				best_list = l;
			}
			break;
		case PRFAQ_LEX_GUSH: {
			const struct atom *z = &win[(wh + k - 1) % WIN];

			f->gushed = true;
			hit(c, R_GUSHING_QUOTE, f->loc, f->index, a->p,
			    (size_t)(z->p + z->len - a->p), 0);
			break;
		}
		case PRFAQ_LEX_NUMBER:
			c->quantified = true;
			break;
		default:
			c->covered[l] = true;
			break;
		}
	}
	if (f->style_skip > 0) {
		f->style_skip--;
		return;
	}
	if (best_list == PRFAQ_LEX_WEASEL || best_list == PRFAQ_LEX_HYPE) {
		const struct atom *z = &win[(wh + best - 1) % WIN];

		hit(c, best_list == PRFAQ_LEX_WEASEL ? R_WEASEL_WORD : R_HYPE_WORD,
		    f->loc, f->index, a->p, (size_t)(z->p + z->len - a->p), 0);
	}
	if (best > 0)
		f->style_skip = best - 1;
}

/* Everything done once per token, at the front of the window. */
static void
atom_process(struct ctx *c, struct field *f, const struct atom *win,
	     size_t wh, size_t wn)
{
	const struct atom *a = &win[wh];

	if (a->flags & A_SENTENCE) {
		sentence_end(c, f);
		f->sentence = a->p;
	}
	if (!(a->flags & A_JOINED)) {
		f->words++;
		f->sentence_words++;
	}
	c->syllables += a->syllables;
	if ((f->mode & M_NUMBER) && !c->quantified)
		for (size_t i = 0; i < a->len; i++)
			if (a->p[i] >= '0' && a->p[i] <= '9') {
				c->quantified = true;
				break;
			}
	if (f->mode & M_STYLE)
		acronym_check(c, f, a);
	lex_check(c, f, win, wh, wn);
}

/*
 * Read one text field: count words and sentences, run the per-token rules.
 * v is borrowed; anything but a string reads as absent.  Tokens flow through
 * a window of PRFAQ_PHRASE_MAX so phrases can be matched at the front without
 * a second pass.  Returns the field's word count.
 */
static size_t
scan(struct ctx *c, enum section sec, enum loc_id loc, size_t index,
     const json_t *v, unsigned mode)
{
	struct field f = { .loc = loc, .index = index, .mode = mode };
	struct atom win[WIN];
	struct tok t;
	size_t wh = 0, wn = 0;
	const char *s;
	size_t n;

	if (!json_is_string(v))
		return 0;
	s = json_string_value(v);
	n = json_string_length(v);
	f.sentence = s;
	f.end = s + n;
	tok_init(&t, s, n);
	while (wn < WIN && next_atom(&t, &win[wn]))
		wn++;
	while (wn > 0) {
		atom_process(c, &f, win, wh, wn);
		wh = (wh + 1) % WIN;
		wn--;
		if (next_atom(&t, &win[(wh + wn) % WIN]))
			wn++;
	}
	sentence_end(c, &f);
	c->section_words[sec] += f.words;
	c->words += f.words;
	return f.words;
}

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
	const unsigned char *s;
	size_t n;

	if (!json_is_string(v))
		return false;
	s = (const unsigned char *)json_string_value(v);
	n = json_string_length(v);
	for (size_t i = 0; i < n;) {
		enum cls cl;

		i += classify(s, n, i, &cl);
		if (cl == C_WORD)
			return true;
	}
	return false;
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

	hw = scan(c, SEC_PRESS_RELEASE, L_HEADLINE, 0, get(pr, "headline"),
		  M_STYLE);
	scan(c, SEC_PRESS_RELEASE, L_SUBHEADING, 0, get(pr, "subheading"),
	     M_STYLE);
	sw = scan(c, SEC_PRESS_RELEASE, L_SUMMARY, 0, get(pr, "summary"),
		  M_STYLE);
	pw = scan(c, SEC_PRESS_RELEASE, L_PROBLEM, 0, get(pr, "problem"),
		  M_STYLE | M_NUMBER);
	solw = scan(c, SEC_PRESS_RELEASE, L_SOLUTION, 0, get(pr, "solution"),
		    M_STYLE);
	lw = scan(c, SEC_PRESS_RELEASE, L_LEADER_QUOTE_TEXT, 0,
		  get(leader, "text"), M_STYLE | M_GUSH);
	scan(c, SEC_PRESS_RELEASE, L_HOW_IT_WORKS, 0, get(pr, "how_it_works"),
	     M_STYLE);
	qw = scan(c, SEC_PRESS_RELEASE, L_CUSTOMER_QUOTE_TEXT, 0,
		  get(quote, "text"), M_STYLE | M_GUSH);
	scan(c, SEC_PRESS_RELEASE, L_CALL_TO_ACTION, 0,
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
		hit(c, R_MISSING_CUSTOMER_QUOTE, L_CUSTOMER_QUOTE, 0, NULL, 0, 0);
	if (lw > 0 && !has_word(get(leader, "speaker")))
		hit(c, R_QUOTE_WITHOUT_SPEAKER, L_LEADER_QUOTE_SPEAKER, 0, NULL,
		    0, 0);
	if (qw > 0 && !has_word(get(quote, "speaker")))
		hit(c, R_QUOTE_WITHOUT_SPEAKER, L_CUSTOMER_QUOTE_SPEAKER, 0, NULL,
		    0, 0);
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
		qw = scan(c, SEC_FAQ, q_loc, i, get(e, "question"), mode);
		aw = scan(c, SEC_FAQ, a_loc, i, get(e, "answer"), mode);
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
	scan(c, SEC_CUSTOMER, L_CUSTOMER_WHO, 0, get(cu, "who"), M_STYLE);
	scan(c, SEC_CUSTOMER, L_CUSTOMER_PROBLEM, 0, get(cu, "problem"),
	     M_STYLE | M_NUMBER);
	scan(c, SEC_CUSTOMER, L_CUSTOMER_BENEFIT, 0, get(cu, "benefit"),
	     M_STYLE);
	scan(c, SEC_CUSTOMER, L_CUSTOMER_EVIDENCE, 0, get(cu, "evidence"),
	     M_STYLE);
	scan(c, SEC_CUSTOMER, L_CUSTOMER_EXPERIENCE, 0, get(cu, "experience"),
	     M_STYLE);
}

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
		n = QUOTE_MAX;
		while (n > 0 && ((unsigned char)span[n] & 0xC0) == 0x80)
			n--;
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

/* The message for one finding: what is wrong and what to do about it. */
static void
message_of(char *out, size_t size, const struct ctx *c, enum rule_id r,
	   const struct occ *o)
{
	char q[QUOTE_MAX + 4] = "";
	long g;

	if (o->span != NULL)
		excerpt(q, o->span, o->span_len);
	switch (r) {
	case R_MISSING_HEADLINE:
		snprintf(out, size, "Add a headline that names the product in "
			 "words the customer understands.");
		break;
	case R_MISSING_SUMMARY:
		snprintf(out, size, "Add a summary paragraph: the product, who "
			 "it is for and its main benefit.");
		break;
	case R_MISSING_PROBLEM:
		snprintf(out, size, "Add a problem paragraph: the customer's "
			 "problem, told from their side, with a number.");
		break;
	case R_MISSING_SOLUTION:
		snprintf(out, size, "Add a solution paragraph: how the product "
			 "solves the customer's problem.");
		break;
	case R_MISSING_CUSTOMER_QUOTE:
		snprintf(out, size, "Add a quote from a believable customer "
			 "describing the benefit in their own words, with their "
			 "name.");
		break;
	case R_MISSING_EXTERNAL_FAQ:
		snprintf(out, size, "Add external FAQ entries: the questions "
			 "customers and the press will ask (price, how it works, "
			 "where to get it, what happens when it fails, how to get "
			 "help).");
		break;
	case R_MISSING_INTERNAL_FAQ:
		snprintf(out, size, "Add internal FAQ entries: market size, "
			 "economics, dependencies, risks and why not to build "
			 "it.");
		break;
	case R_PR_TOO_LONG:
		snprintf(out, size, "The press release has %zu words; the limit "
			 "is %d. Cut it to one page (about %d words) and move "
			 "detail into the FAQ.", c->section_words[SEC_PRESS_RELEASE],
			 PRESS_RELEASE_MAX, PAGE_WORDS);
		break;
	case R_FAQ_TOO_LONG:
		snprintf(out, size, "The FAQ has %zu words; the limit is %d "
			 "(about five pages). Keep the questions readers will "
			 "ask and cut the rest.", c->section_words[SEC_FAQ],
			 FAQ_MAX);
		break;
	case R_HEADLINE_LENGTH:
		snprintf(out, size, "The headline has %zu word%s; use %d to %d "
			 "that name the product and what the customer gains.",
			 o->n, o->n == 1 ? "" : "s", HEADLINE_MIN, HEADLINE_MAX);
		break;
	case R_LAUNCH_DATE_PAST:
		snprintf(out, size, "The launch date %s is in the past (today is "
			 "%s); set the date you are aiming for.", q, c->today);
		break;
	case R_SUMMARY_LENGTH:
		snprintf(out, size, "The summary has %zu word%s; use %d to %d: "
			 "the product, who it is for and its main benefit.",
			 o->n, o->n == 1 ? "" : "s", SUMMARY_MIN, SUMMARY_MAX);
		break;
	case R_PR_OVER_A_PAGE:
		snprintf(out, size, "The press release has %zu words, more than "
			 "a page (about %d); tighten it so it reads on one page.",
			 c->section_words[SEC_PRESS_RELEASE], PAGE_WORDS);
		break;
	case R_UNQUANTIFIED_PROBLEM:
		snprintf(out, size, "The problem has no number; say how big it "
			 "is for the customer (how often, how long, how much).");
		break;
	case R_QUOTE_WITHOUT_SPEAKER:
		snprintf(out, size, "This quote has no speaker; attribute it to a "
			 "named person and their role.");
		break;
	case R_GUSHING_QUOTE:
		snprintf(out, size, "The quote gushes (\"%s\"); say what changes "
			 "for the customer, not how anyone feels.", q);
		break;
	case R_LONG_SENTENCE:
		snprintf(out, size, "This sentence has %zu words (\"%s\"); split "
			 "it: keep sentences to %d words or fewer.", o->n, q,
			 SENTENCE_MAX);
		break;
	case R_WEASEL_WORD:
		snprintf(out, size, "\"%s\" is a weasel word; replace it with the "
			 "number or fact it stands for.", q);
		break;
	case R_HYPE_WORD:
		snprintf(out, size, "\"%s\" is hype; replace it with a specific, "
			 "measurable benefit.", q);
		break;
	case R_UNDEFINED_ACRONYM:
		snprintf(out, size, "Spell out \"%s\" at its first use, as in "
			 "\"full name (%s)\".", q, q);
		break;
	case R_UNANSWERED_QUESTION:
		snprintf(out, size, "This question has no answer; answer with "
			 "yes, no, a number or \"we don't know yet\".");
		break;
	case R_THIN_EXTERNAL_FAQ:
		snprintf(out, size, "The external FAQ has %zu question%s; add at "
			 "least %d: price, how it works, where to get it, what "
			 "happens when it fails, how to get help.", o->n,
			 o->n == 1 ? "" : "s", FAQ_THIN);
		break;
	case R_THIN_INTERNAL_FAQ:
		snprintf(out, size, "The internal FAQ has %zu question%s; add at "
			 "least %d: market size, economics, dependencies, risks.",
			 o->n, o->n == 1 ? "" : "s", FAQ_THIN);
		break;
	case R_NO_RISK:
		snprintf(out, size, "The internal FAQ never names a risk; add a "
			 "question on what could make this fail and why we might "
			 "not build it. Until then the score is capped at %d.",
			 RISK_CAP);
		break;
	case R_NO_ECONOMICS:
		snprintf(out, size, "The internal FAQ never covers the economics; "
			 "add the cost, price and margin, or say what you do not "
			 "know yet.");
		break;
	case R_NO_MARKET_SIZE:
		snprintf(out, size, "The internal FAQ never sizes the market; say "
			 "how many customers have this problem and how you know.");
		break;
	case R_NO_DEPENDENCIES:
		snprintf(out, size, "The internal FAQ never names a dependency; "
			 "say what this relies on (teams, partners, third parties) "
			 "and what happens if they slip.");
		break;
	case R_RISK_CAP:
		snprintf(out, size, "Score capped at %d because the internal FAQ "
			 "ignores risk; answering a risk question gives back these "
			 "%zu points.", RISK_CAP, o->n);
		break;
	case R_READING_GRADE:
		g = reading_grade10(c);
		snprintf(out, size, "Reading grade %ld.%ld (Flesch-Kincaid, %zu "
			 "words in %zu sentences); %s", g / 10, g % 10, c->words,
			 c->sentences, g <= GRADE_EASY * 10 ?
			 "easy to read: keep it at or below grade 10." :
			 "hard going: shorter sentences and plainer words bring "
			 "it to grade 10 or below.");
		break;
	case R_WORD_COUNT:
		snprintf(out, size, "Press release %zu words (a page is about %d, "
			 "the limit %d); FAQ %zu words (limit %d); customer "
			 "answers %zu words.", c->section_words[SEC_PRESS_RELEASE],
			 PAGE_WORDS, PRESS_RELEASE_MAX, c->section_words[SEC_FAQ],
			 FAQ_MAX, c->section_words[SEC_CUSTOMER]);
		break;
	case R_COUNT:
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
	    json_object_set_new(f, "severity",
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
static int
findings_build(struct ctx *c, json_t *findings)
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
			int pts = r == R_RISK_CAP ? (int)h->occ[0].n : rules[r].cost;

			if (pts > budget)
				pts = budget;
			budget -= pts;
			message_of(msg, sizeof(msg), c, (enum rule_id)r, &h->occ[k]);
			if (finding_add(findings, (enum rule_id)r, &h->occ[k], msg,
					pts) != 0)
				return -1;
		}
		if (h->count > listed) {
			snprintf(msg, sizeof(msg), "%zu more %s, the first here; "
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

static json_t *
stats_build(const struct ctx *c)
{
	long g = reading_grade10(c);

	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
			 "press_release_words",
			 (json_int_t)c->section_words[SEC_PRESS_RELEASE],
			 "faq_words", (json_int_t)c->section_words[SEC_FAQ],
			 "customer_words",
			 (json_int_t)c->section_words[SEC_CUSTOMER],
			 "words", (json_int_t)c->words,
			 "external_questions", (json_int_t)c->external_questions,
			 "internal_questions", (json_int_t)c->internal_questions,
			 "sentences", (json_int_t)c->sentences,
			 "reading_grade", (json_int_t)((g + 5) / 10));
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
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	if (opts != NULL && is_date(opts->today, strnlen(opts->today,
							 sizeof(opts->today))))
		memcpy(c->today, opts->today, 11);
	c->today[10] = '\0';
	lex_build(&c->lex);

	if (!json_is_object(content))
		content = NULL;
	check_press_release(c, get_object(content, "press_release"),
			    &problem_words);
	check_faq(c, get_object(content, "faq"));
	check_customer(c, get_object(content, "customer"));
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
	score = findings_build(c, findings);
	if (score < 0)
		goto out;
	stats = stats_build(c);
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
