/*
 * utf8.h - the one place prfaqd decodes UTF-8 and says what a space is.
 *
 * Strings from the JSON decoder are valid UTF-8, but the domain code also
 * reads strings built with json_stringn_nocheck and raw bytes (log lines,
 * error details), so every function here gives a defined answer for any
 * bytes.  Well-formed means RFC 3629: no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing past U+10FFFF, no sequence cut short by the end
 * of the input.  A byte that does not begin a well-formed sequence is a unit
 * of its own: the decoder returns PRFAQ_UTF8_INVALID for it and moves on by
 * exactly that byte, so a scan always ends and resynchronises at the next
 * character.
 *
 * The decoder and the character classes are inline: they sit in the inner
 * loops of the JSON decoder, the quality tokeniser and the renderer, which
 * call them only for bytes from 0x80 and keep their own ASCII fast paths.
 * Nothing here allocates.
 */
#ifndef PRFAQ_UTF8_H
#define PRFAQ_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What prfaq_utf8_next returns for a byte that begins no character. */
#define PRFAQ_UTF8_INVALID ((uint32_t)0x110000)

/*
 * Length in bytes (1 to 4) of the well-formed sequence at s[0..len), or 0
 * when the bytes there are not one.  len must be at least 1.
 */
static inline size_t
prfaq_utf8_seq(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0; /* a continuation byte, C0, C1 or F5..FF */
	/* The second byte's range rules out overlongs, surrogates, > U+10FFFF. */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (len < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/*
 * Decode the character at s[*i] (*i < len) and move *i past it.  Returns
 * the code point, or PRFAQ_UTF8_INVALID with *i moved by one byte when
 * s[*i] begins no well-formed sequence.
 */
static inline uint32_t
prfaq_utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t n = prfaq_utf8_seq(s + *i, len - *i);
	uint32_t cp;

	switch (n) {
	case 1:
		cp = p[0];
		break;
	case 2:
		cp = (uint32_t)(p[0] & 0x1F) << 6 | (uint32_t)(p[1] & 0x3F);
		break;
	case 3:
		cp = (uint32_t)(p[0] & 0x0F) << 12 |
		     (uint32_t)(p[1] & 0x3F) << 6 | (uint32_t)(p[2] & 0x3F);
		break;
	case 4:
		cp = (uint32_t)(p[0] & 0x07) << 18 |
		     (uint32_t)(p[1] & 0x3F) << 12 |
		     (uint32_t)(p[2] & 0x3F) << 6 | (uint32_t)(p[3] & 0x3F);
		break;
	default:
		(*i)++;
		return PRFAQ_UTF8_INVALID;
	}
	*i += n;
	return cp;
}

/*
 * Write code point cp as UTF-8 into out and return its length (1 to 4), or
 * 0, writing nothing, for a surrogate or a value past U+10FFFF.
 */
size_t prfaq_utf8_encode(uint32_t cp, char out[4]);

/* True when s[0..len) is well-formed UTF-8. */
bool prfaq_utf8_valid(const char *s, size_t len);

/*
 * Number of code points in s[0..len), counted as the bytes that are not
 * continuation bytes (10xxxxxx): exact for well-formed UTF-8, which is what
 * it is used on (strings from the JSON decoder), and cheap for long texts.
 */
size_t prfaq_utf8_length(const char *s, size_t len);

/*
 * Unicode's White_Space property alone: U+0009..U+000D, U+0020, U+0085,
 * U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
 * For formats that define whitespace themselves: the renderer trims text
 * before emphasis with it, which covers all CommonMark counts (its Zs
 * separators, tab, line endings) and leaves zero-width characters, which
 * are not whitespace to CommonMark, as the author typed them.
 */
static inline bool
prfaq_utf8_is_white_space(uint32_t cp)
{
	if (cp < 0x80)
		return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
	if (cp < 0x2000)
		return cp == 0x85 || cp == 0xA0 || cp == 0x1680;
	return cp <= 0x200A || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000;
}

/*
 * A space, as prfaqd means it: Unicode's White_Space property (see
 * prfaq_utf8_is_white_space) and two invisible characters that make text
 * look blank, or a URL look whole, without being either: U+200B ZERO WIDTH
 * SPACE and U+FEFF ZERO WIDTH NO-BREAK SPACE (the byte order mark).  Blank
 * titles and tags, spaces in URLs and word boundaries in the quality checks
 * use this set.  False for PRFAQ_UTF8_INVALID.
 */
static inline bool
prfaq_utf8_is_space(uint32_t cp)
{
	return prfaq_utf8_is_white_space(cp) || cp == 0x200B || cp == 0xFEFF;
}

/*
 * A mandatory line break: U+000A..U+000D (LF, VT, FF, CR), U+0085 NEXT
 * LINE, U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.  Every one of
 * them is also a space.
 */
static inline bool
prfaq_utf8_is_line_break(uint32_t cp)
{
	return (cp >= 0x0A && cp <= 0x0D) || cp == 0x85 || cp == 0x2028 ||
	       cp == 0x2029;
}

/*
 * Whether byte b can begin a space or a line break (the two sets above):
 * false promises the character it begins is neither, so scanners can take
 * most non-ASCII bytes as "not a space" without decoding.  True for
 * U+0009..U+000D, U+0020 and the lead bytes C2 (U+0085, U+00A0), E1
 * (U+1680), E2 (U+2000..U+205F), E3 (U+3000) and EF (U+FEFF).
 */
static inline bool
prfaq_utf8_may_start_space(unsigned char b)
{
	return b == ' ' || (b >= 0x09 && b <= 0x0D) || b == 0xC2 || b == 0xE1 ||
	       b == 0xE2 || b == 0xE3 || b == 0xEF;
}

/* C0 controls, DEL and the C1 controls (U+0080..U+009F). */
static inline bool
prfaq_utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/*
 * The longest prefix of s[0..len) of at most max bytes that does not end
 * inside a character: max itself unless s[max] continues a well-formed
 * sequence that began before it, in which case the cut moves back to that
 * sequence's first byte.  Well-formed input stays well-formed; bytes that
 * begin no character are single units, so the cut may fall right after
 * one.  Returns len when len <= max.
 */
size_t prfaq_utf8_cut(const char *s, size_t len, size_t max);

/*
 * Narrow *s[0..*len) so that it neither starts nor ends with a character
 * for which drop (prfaq_utf8_is_space or prfaq_utf8_is_white_space) is true.
 * *s stays inside the original bytes; a byte that begins no character is
 * never dropped.
 */
void prfaq_utf8_trim(const char **s, size_t *len, bool (*drop)(uint32_t));

/*
 * The three kinds of string field, from the most to the least permissive
 * (API.md, Conventions: Text).  Long text (answers, comments, summaries,
 * rationales, notes) may hold tab, newline and carriage return (a CRLF line
 * end is a newline); a line (a quote, a description) no control character
 * at all; a name (titles, team and user names, tags, slugs) not even the
 * bidirectional overrides and isolates U+202A..U+202E and U+2066..U+2069,
 * which would make it read differently from what it is in every list it is
 * shown in.
 */
enum prfaq_text_kind {
	PRFAQ_TEXT_LONG,
	PRFAQ_TEXT_LINE,
	PRFAQ_TEXT_NAME,
};

/*
 * The one text check for every string a client sends: true when s[0..len)
 * holds a character that a field of this kind refuses, the first of which
 * is then described in why (at most n bytes, NUL-terminated; "must not
 * contain control characters ... (found U+001B)"), ready to be an error
 * message at the field's pointer.  C0 controls (but for the long text's
 * three), DEL and C1 controls are refused everywhere.  s must be well-formed
 * UTF-8 (the JSON decoder's strings are).  Allocates nothing.
 */
bool prfaq_text_refused(const char *s, size_t len, enum prfaq_text_kind kind,
			char *why, size_t n);

#endif
