/*
 * wordlists.h - the vocabulary of the quality checks, in one place.
 *
 * Each list is a NULL-terminated static array of entries.  An entry is a word
 * or a phrase of up to PRFAQ_PHRASE_MAX words, written in lower case; it is
 * split into words by the same tokeniser that reads the document, so a space,
 * a hyphen or an "&" between words in an entry all mean "word boundary"
 * ("world-class" matches "world class" and "World-Class"; "p&l" matches "P&L").
 * Matching is case-insensitive and whole-word ("many" does not match
 * "Germany"), and a typographic apostrophe (U+2019) reads as "'".  Where entries overlap the longest match wins, so the "plain"
 * list can excuse a phrase ("how many") that contains a flagged word ("many").
 *
 * The acronym allowlist is the exception: its entries are compared exactly
 * (case-sensitive) against upper-case tokens.
 *
 * To extend a check, add an entry to its list; nothing else needs to change.
 * All storage is static; nothing here is ever freed.
 */
#ifndef PRFAQ_WORDLISTS_H
#define PRFAQ_WORDLISTS_H

#include <stddef.h>

/* Longest phrase, in words, that an entry may have. */
#define PRFAQ_PHRASE_MAX 4

enum prfaq_lexicon {
	PRFAQ_LEX_WEASEL,     /* vague qualifiers: replace with data */
	PRFAQ_LEX_HYPE,	      /* marketing superlatives */
	PRFAQ_LEX_PLAIN,      /* phrases that excuse a weasel/hype match */
	PRFAQ_LEX_GUSH,	      /* feelings in quotes ("thrilled") */
	PRFAQ_LEX_NUMBER,     /* spelled-out quantities for the problem */
	PRFAQ_LEX_RISK,	      /* internal FAQ coverage: risks */
	PRFAQ_LEX_ECONOMICS,  /* internal FAQ coverage: cost, price, margin */
	PRFAQ_LEX_MARKET,     /* internal FAQ coverage: market size */
	PRFAQ_LEX_DEPENDENCY, /* internal FAQ coverage: dependencies */
	PRFAQ_LEX_COUNT
};

struct prfaq_wordlist {
	const char *name;	    /* for tests and diagnostics */
	const char *const *entries; /* NULL-terminated */
};

/* Indexed by enum prfaq_lexicon. */
extern const struct prfaq_wordlist prfaq_wordlists[PRFAQ_LEX_COUNT];

/* Acronyms that need no definition (exact, upper case; NULL-terminated). */
extern const char *const prfaq_acronyms_known[];

/*
 * Lower-case words that end in "." without ending a sentence ("Dr. Ng",
 * "Example Inc. today").  Single letters ("J. Smith", "e.g.") are handled by
 * the tokeniser and need no entry.  NULL-terminated.
 */
extern const char *const prfaq_abbreviations[];

#endif
