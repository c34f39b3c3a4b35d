/*
 * quality_tokens.c - the quality checker's tokeniser (see quality_internal.h).
 *
 * Words: runs of ASCII letters and digits and of non-ASCII characters other
 * than the spaces and punctuation named below (so "Müller" and "naïve" are
 * one word), joined by an apostrophe (' or U+2019) or a "." between word
 * characters ("e.g", "3.5", "example.com"), or a "," between digits
 * ("2,500").  A single hyphen glues two words into one for counting
 * ("best-in-class" is one word) but they stay separate tokens for matching.
 * Spaces (the set prfaq_utf8_is_space defines, U+00A0, U+1680 and U+3000
 * among them) and the dashes and quotes of U+2000..U+207F separate words.
 * Sentences end at ".", "!", "?", U+3002 or a line break (\n, U+0085,
 * U+2028, U+2029), except for a "." after a single letter, an abbreviation
 * ("Dr.", "Inc.") or a word holding a "." ("e.g.", "U.S.").
 *
 * A token is read in one pass over its bytes that also hashes its normalised
 * form (for the word lists) and counts its vowel groups (for the syllables),
 * so the text is never copied.
 */
#include <string.h>

#include "prfaq/utf8.h"
#include "quality_internal.h"

enum cls {
	C_WORD,
	C_SPACE,
	C_NEWLINE,
	C_HYPHEN,
	C_APOS,
	C_DOT,
	C_COMMA,
	C_TERM,
	C_OPEN,
	C_OTHER
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
	C_HYPHEN, C_DOT, O_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, /* 0-9 */
	O_, O_, O_, O_, O_, C_TERM,			    /* : ; < = > ? */
	O_,						    /* @ */
	W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, /* A-M */
	W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, /* N-Z */
	O_, O_, O_, O_, O_, O_,				    /* [ \ ] ^ _ ` */
	W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, /* a-m */
	W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, /* n-z */
	O_, O_, O_, O_, O_,				    /* { | } ~ DEL */
};

#undef W_
#undef O_
#undef S_

enum { L_NONE, L_CONSONANT, L_VOWEL };

/* Latin letters by byte, either case: one load per byte of every token. */
static const unsigned char latin[256] = {
	['A'] = L_VOWEL,
	['E'] = L_VOWEL,
	['I'] = L_VOWEL,
	['O'] = L_VOWEL,
	['U'] = L_VOWEL,
	['Y'] = L_VOWEL,
	['a'] = L_VOWEL,
	['e'] = L_VOWEL,
	['i'] = L_VOWEL,
	['o'] = L_VOWEL,
	['u'] = L_VOWEL,
	['y'] = L_VOWEL,
	['B' ... 'D'] = L_CONSONANT,
	['F' ... 'H'] = L_CONSONANT,
	['J' ... 'N'] = L_CONSONANT,
	['P' ... 'T'] = L_CONSONANT,
	['V' ... 'X'] = L_CONSONANT,
	['Z'] = L_CONSONANT,
	['b' ... 'd'] = L_CONSONANT,
	['f' ... 'h'] = L_CONSONANT,
	['j' ... 'n'] = L_CONSONANT,
	['p' ... 't'] = L_CONSONANT,
	['v' ... 'x'] = L_CONSONANT,
	['z'] = L_CONSONANT,
};

/*
 * The tokeniser's hot loop in one load: for an ASCII word byte (0-9, A-Z,
 * a-z) its normalised (lower case) value, else 0 (for bytes from 0x80 the
 * slower classify() decides).
 */
#define WL(c)                                                         \
	((unsigned char)((c) >= 'A' && (c) <= 'Z' ? (c) + 32 :        \
			 ((c) >= 'a' && (c) <= 'z') ||                \
					 ((c) >= '0' && (c) <= '9') ? \
						    (c) :             \
						    0))
#define WL4(c)	WL(c), WL((c) + 1), WL((c) + 2), WL((c) + 3)
#define WL16(c) WL4(c), WL4((c) + 4), WL4((c) + 8), WL4((c) + 12)
static const unsigned char word_lower[256] = {
	WL16(0x00), WL16(0x10), WL16(0x20), WL16(0x30), WL16(0x40), WL16(0x50),
	WL16(0x60), WL16(0x70), WL16(0x80), WL16(0x90), WL16(0xA0), WL16(0xB0),
	WL16(0xC0), WL16(0xD0), WL16(0xE0), WL16(0xF0),
};
#undef WL16
#undef WL4
#undef WL

/*
 * The class of a non-ASCII character.  Spaces and line breaks are the ones
 * prfaq_utf8_is_space and prfaq_utf8_is_line_break name.  The rest of
 * General Punctuation and the superscripts after it (U+2000..U+207F:
 * dashes, quotes, ellipsis, bullets) separate words too, or "fast\u2014very
 * fast" would be one word, except the typographic hyphens and apostrophes,
 * which join like their ASCII forms, and the zero-width joiners and
 * direction marks (U+200C..U+200F), which belong to the word they sit in.
 * The ideographic full stop ends a sentence; everything else, a byte that
 * begins no character included, is part of a word.
 */
static enum cls
class_of(uint32_t cp)
{
	if (prfaq_utf8_is_line_break(cp))
		return C_NEWLINE;
	if (prfaq_utf8_is_space(cp))
		return C_SPACE;
	if (cp >= 0x2000 && cp <= 0x207F) {
		if (cp == 0x2010 || cp == 0x2011)
			return C_HYPHEN;
		if (cp == 0x2018 || cp == 0x2019)
			return C_APOS;
		return cp >= 0x200C && cp <= 0x200F ? C_WORD : C_OTHER;
	}
	return cp == 0x3002 ? C_TERM : C_WORD;
}

/*
 * Decode and classify the character at s[i]: (length << 4 | class), one
 * value so that the caller's class never has to live in memory.  Out of
 * line and cold, so that classify stays a table load the compiler inlines
 * into every loop of the tokeniser without spilling around a call.
 */
static __attribute__((noinline, cold)) unsigned
classify_other(const unsigned char *s, size_t n, size_t i)
{
	size_t k = i;
	enum cls c = class_of(prfaq_utf8_next((const char *)s, n, &k));

	return (unsigned)(k - i) << 4 | (unsigned)c;
}

/*
 * Classify the character at s[i] and return its length in bytes.  ASCII is
 * a table load; only bytes that may begin a space or punctuation are
 * decoded.  Never reads past s[n-1].
 */
static inline size_t
classify(const unsigned char *s, size_t n, size_t i, enum cls *out)
{
	unsigned v;

	if (__builtin_expect(s[i] < 0x80, 1)) {
		*out = (enum cls)ascii_cls[s[i]];
		return 1;
	}
	/*
	 * Most non-ASCII bytes (letters of most scripts, continuation bytes)
	 * begin no space; class_of's punctuation begins with E2 and E3 too.
	 * Those are word bytes, one at a time, as they hash the same.
	 */
	if (!prfaq_utf8_may_start_space(s[i])) {
		*out = C_WORD;
		return 1;
	}
	v = classify_other(s, n, i);
	*out = (enum cls)(v & 0xF);
	return v >> 4;
}

static unsigned char
lower(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + 32) : ch;
}

void
quality_tok_init(struct tok *t, const char *s, size_t n)
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
		return (p[0] >= 'a' && p[0] <= 'z') ||
		       (p[0] >= 'A' && p[0] <= 'Z');
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
 * non-Latin words count one.  read_word counts the letters and the vowel
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
 * Read the separators from t->i up to the next token, which starts at *start;
 * set the flags they give it (sentence start, joined by a hyphen, "(" before
 * it).  False, with t at the end, when no token is left.
 */
static inline bool
read_gap(struct tok *t, size_t *start, unsigned *flags)
{
	const unsigned char *s = t->s;
	size_t n = t->n, i = t->i;
	unsigned hyphens = 0;
	bool other = false, term = false, paren = false;
	enum cls c;

	while (i < n) {
		size_t len = classify(s, n, i, &c);

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

	*flags = 0;
	if (t->first || term)
		*flags |= A_SENTENCE;
	else if (hyphens == 1 && !other)
		*flags |= A_JOINED;
	if (paren)
		*flags |= A_PAREN_BEFORE;
	*start = i;
	return true;
}

/*
 * Read the token that starts at s[i] (a word character) and return where it
 * ends, hashing its bytes in the normalised form (ASCII lower case,
 * U+2018/U+2019 as "'") into *hash and its syllables into *syllables.
 */
static inline size_t
read_word(const unsigned char *s, size_t n, size_t i, uint32_t *hash,
	  unsigned *syllables)
{
	size_t start = i, len;
	unsigned letters = 0, groups = 0;
	bool vowel = false;
	uint32_t h = FNV_OFFSET;
	enum cls c, c2;

	while (i < n) {
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
		vowel = false; /* whatever follows is no Latin letter */
		len = classify(s, n, i, &c);
		if (c == C_WORD) {
			/*
			 * A non-ASCII word byte is its own lower case; the
			 * continuation bytes after it are word bytes too.
			 */
			h = (h ^ s[i]) * FNV_PRIME;
			i++;
			continue;
		}
		/* joiners count only between two word characters */
		if ((c != C_APOS && c != C_DOT && c != C_COMMA) || i + len >= n)
			break;
		classify(s, n, i + len, &c2);
		if (c2 != C_WORD)
			break;
		if (c == C_COMMA && !(s[i - 1] >= '0' && s[i - 1] <= '9' &&
				      s[i + 1] >= '0' && s[i + 1] <= '9'))
			break;
		h = (h ^ (c == C_APOS ? '\'' : s[i])) * FNV_PRIME;
		i += len;
	}
	*hash = h;
	*syllables = atom_syllables(s + start, i - start, letters, groups);
	return i;
}

/*
 * Next token of t into *a; false at the end.  Reads the separators before the
 * token to set its flags, then the token itself.  a->p points into the text
 * t reads; nothing is allocated.
 */
bool
quality_next_atom(struct tok *t, struct atom *a)
{
	const unsigned char *s = t->s;
	size_t n = t->n, start, i;

	if (!read_gap(t, &start, &a->flags))
		return false;
	i = read_word(s, n, start, &a->hash, &a->syllables);
	a->p = (const char *)s + start;
	a->len = i - start;

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
bool
quality_atom_eq(const struct atom *x, const struct atom *y)
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

/* A string with at least one word character (a speaker's name). */
bool
quality_has_word(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < n;) {
		enum cls cl;

		i += classify(s, n, i, &cl);
		if (cl == C_WORD)
			return true;
	}
	return false;
}
