/*
 * quality_internal.h - what the parts of the quality checker share (private
 * to src/domain/quality*.c; the interface is include/prfaq/quality.h).
 *
 *   quality.c          the checker: sections in document order, public API
 *   quality_lexicon.c  reading one field: word lists, acronyms, sentences
 *   quality_tokens.c   the tokeniser: words, sentences, syllables
 *   quality_score.c    the rule table, messages, scoring and stats
 *
 * Everything a check produces is borrowed from the content it reads (spans)
 * or lives in struct ctx, which prfaq_quality_check owns; nothing here
 * allocates except the report built at the end.
 */
#ifndef PRFAQ_QUALITY_INTERNAL_H
#define PRFAQ_QUALITY_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prfaq/wordlists.h"

#define HEADLINE_MIN	  4
#define HEADLINE_MAX	  18
#define SUMMARY_MIN	  25
#define SUMMARY_MAX	  70
#define PAGE_WORDS	  550
#define PRESS_RELEASE_MAX 800
#define FAQ_MAX		  2500
#define SENTENCE_MAX	  30
#define FAQ_THIN	  3
#define RISK_CAP	  50
#define GRADE_EASY	  10 /* reading grade most readers take fast */

/* ------------------------------------------------------------------------ */
/* Rules (the table is in quality_score.c)                                   */

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
	R_NO_OUTPUT_METRIC,
	R_NO_INPUT_METRIC,
	R_RISK_CAP,
	R_READING_GRADE,
	R_WORD_COUNT,
	R_COUNT
};

/* Findings a rule lists before it summarises the rest. */
#define OCC_MAX 5 /* the most any rule in the table lists (cap / cost) */

/* ------------------------------------------------------------------------ */
/* Places in the content (JSON Pointers; the table is in quality_score.c)    */

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
	L_METRICS,
	L_COUNT
};

/* What a field is read for, beyond word and sentence counts. */
#define M_STYLE	 0x01 /* weasel, hype, long sentences, acronyms */
#define M_GUSH	 0x02 /* a quote */
#define M_NUMBER 0x04 /* a problem statement: look for a quantity */
#define M_COVER	 0x08 /* internal FAQ: risk, economics, market, deps */

enum section { SEC_PRESS_RELEASE, SEC_FAQ, SEC_CUSTOMER, SEC_COUNT };

/* ------------------------------------------------------------------------ */
/* Checker state                                                             */

/* One occurrence of a rule: where, and what to quote back to the writer. */
struct occ {
	enum loc_id loc;
	size_t index;	  /* FAQ entry, for indexed places */
	const char *span; /* borrowed from the content, or NULL */
	size_t span_len;
	size_t n; /* a count the message reports */
};

/* The first OCC_MAX occurrences, plus the first one past them. */
struct hits {
	size_t count;
	struct occ occ[OCC_MAX + 1];
};

#define LEX_BUCKETS	512 /* power of two */
#define LEX_ENTRIES_MAX 1024
#define ACRO_SLOTS	256 /* power of two; distinct acronyms remembered */

/*
 * The word lists hashed by their first word.  Rebuilt on every call (a few
 * hundred short strings, about a microsecond) so the checker keeps no global
 * state and needs no locking.
 */
struct lexindex {
	uint16_t head[LEX_BUCKETS]; /* entry + 1, 0 = empty */
	uint16_t next[LEX_ENTRIES_MAX];
	uint32_t hash[LEX_ENTRIES_MAX]; /* of the first word */
	const char *text[LEX_ENTRIES_MAX];
	uint8_t list[LEX_ENTRIES_MAX];
	size_t n;
};

struct ctx {
	char today[11]; /* "" or YYYY-MM-DD */
	struct lexindex lex;
	struct hits hits[R_COUNT];
	struct {
		const char *p; /* borrowed from the content */
		size_t len;
	} acro[ACRO_SLOTS];
	size_t acro_n;
	bool covered[PRFAQ_LEX_COUNT]; /* coverage lists seen in internal FAQ */
	bool quantified;	       /* a number in a problem statement */
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
static inline void
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
/* Tokeniser (quality_tokens.c)                                              */

#define FNV_OFFSET 2166136261u
#define FNV_PRIME  16777619u

#define A_JOINED       0x01 /* glued to the previous token by one hyphen */
#define A_SENTENCE     0x02 /* first token of a sentence */
#define A_PAREN_BEFORE 0x04 /* "(" right before it */
#define A_PAREN_AFTER  0x08 /* "(" right after it */

/* One token; p points into the text the tokeniser reads. */
struct atom {
	const char *p;
	size_t len;
	uint32_t hash; /* FNV-1a of the normalised bytes */
	unsigned flags;
	unsigned syllables; /* see atom_syllables in quality_tokens.c */
};

/* A tokeniser over one text, which it borrows. */
struct tok {
	const unsigned char *s;
	size_t n;
	size_t i;
	bool first;
	const unsigned char *prev; /* previous token, for "Dr." */
	size_t prev_len;
};

void quality_tok_init(struct tok *t, const char *s, size_t n);

/* Next token of t into *a; false at the end of the text. */
bool quality_next_atom(struct tok *t, struct atom *a);

/* Whether two tokens read the same once normalised. */
bool quality_atom_eq(const struct atom *x, const struct atom *y);

/* Whether s[0..n) holds at least one word character (a speaker's name). */
bool quality_has_word(const char *s, size_t n);

/* ------------------------------------------------------------------------ */
/* Word lists and fields (quality_lexicon.c)                                 */

/* Hash every word-list entry by its first word into lx (zeroed). */
void quality_lex_build(struct lexindex *lx);

/*
 * Read one text field (v borrowed; anything but a string reads as absent):
 * count words and sentences into c and run the per-token rules.  Returns the
 * field's word count.
 */
size_t quality_scan(struct ctx *c, enum section sec, enum loc_id loc,
		    size_t index, const json_t *v, unsigned mode);

/* ------------------------------------------------------------------------ */
/* Report (quality_score.c)                                                  */

/*
 * Add the findings computed at the end (risk cap, word count, reading grade)
 * and append every finding to findings (borrowed) in rule order, charging
 * points against 100.  Returns the score, or -1 when memory runs out.
 */
int quality_findings_build(struct ctx *c, json_t *findings);

/* The report's "stats" object (a new reference), NULL when memory runs out. */
json_t *quality_stats_build(const struct ctx *c);

#endif
