/*
 * quality_lexicon.c - reading one field for the quality checker (see
 * quality_internal.h): the word lists, hashed by their first word and matched
 * as phrases at the front of a sliding window of tokens, acronyms and their
 * definitions, and word, sentence and syllable counts.
 *
 * A field is read once: tokens flow through a window of PRFAQ_PHRASE_MAX and
 * everything done per token (the hot loop of the checker) happens here, in
 * one translation unit, so the compiler can inline it into quality_scan.
 */
#include <string.h>

#include "quality_internal.h"

/* ------------------------------------------------------------------------ */
/* Word lists                                                                */

/* Hash every list entry by its first word (see struct lexindex). */
void
quality_lex_build(struct lexindex *lx)
{
	for (int l = 0; l < PRFAQ_LEX_COUNT; l++) {
		const char *const *e = prfaq_wordlists[l].entries;

		for (; e != NULL && *e != NULL; e++) {
			struct tok t;
			struct atom a;
			size_t b;

			if (lx->n == LEX_ENTRIES_MAX)
				return;
			quality_tok_init(&t, *e, strlen(*e));
			if (!quality_next_atom(&t, &a))
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

	quality_tok_init(&t, e, strlen(e));
	while (quality_next_atom(&t, &ea)) {
		const struct atom *a;

		if (k >= wn)
			return 0;
		a = &win[(wh + k) % WIN];
		if (k > 0 && (a->flags & A_SENTENCE))
			return 0;
		if (!quality_atom_eq(a, &ea))
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
	const char *sentence; /* start of the current sentence */
	const char *end;      /* end of the text */
	size_t style_skip;    /* tokens still inside the last style match */
	bool gushed;	      /* one gushing-quote finding per quote */
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
		     l == PRFAQ_LEX_PLAIN) &&
		    f->style_skip > 0)
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
	/*
	 * A question may hedge: the checks themselves ask "why might we not
	 * build it?", and a question is no claim.  Its answer is.
	 */
	if (best_list == PRFAQ_LEX_WEASEL &&
	    (f->loc == L_EXT_QUESTION || f->loc == L_INT_QUESTION))
		best_list = -1;
	if (best_list == PRFAQ_LEX_WEASEL || best_list == PRFAQ_LEX_HYPE) {
		const struct atom *z = &win[(wh + best - 1) % WIN];

		hit(c,
		    best_list == PRFAQ_LEX_WEASEL ? R_WEASEL_WORD : R_HYPE_WORD,
		    f->loc, f->index, a->p, (size_t)(z->p + z->len - a->p), 0);
	}
	if (best > 0)
		f->style_skip = best - 1;
}

/* Everything done once per token, at the front of the window. */
static void
atom_process(struct ctx *c, struct field *f, const struct atom *win, size_t wh,
	     size_t wn)
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
size_t
quality_scan(struct ctx *c, enum section sec, enum loc_id loc, size_t index,
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
	quality_tok_init(&t, s, n);
	while (wn < WIN && quality_next_atom(&t, &win[wn]))
		wn++;
	while (wn > 0) {
		atom_process(c, &f, win, wh, wn);
		wh = (wh + 1) % WIN;
		wn--;
		if (quality_next_atom(&t, &win[(wh + wn) % WIN]))
			wn++;
	}
	sentence_end(c, &f);
	c->section_words[sec] += f.words;
	c->words += f.words;
	return f.words;
}
