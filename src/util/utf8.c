/*
 * utf8.c - UTF-8 encoding, validation, length, cutting, trimming and the
 * text check of every string field (see
 * include/prfaq/utf8.h, which also holds the decoder and the character
 * classes).
 */
#include <stdio.h>
#include <string.h>

#include "prfaq/utf8.h"

size_t
prfaq_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return 0;
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return 0;
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

bool
prfaq_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = prfaq_utf8_seq(s + i, len - i)) == 0)
			return false;
		i += n;
	}
	return true;
}

size_t
prfaq_utf8_length(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * Only s[max], the first byte left out, can be inside a character that the
 * cut would split; such a character began at most three bytes before it,
 * on the first byte going back that is not a continuation byte.
 */
size_t
prfaq_utf8_cut(const char *s, size_t len, size_t max)
{
	size_t k = max;

	if (len <= max)
		return len;
	while (k > 0 && max - k < 3 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	if (k < max && prfaq_utf8_seq(s + k, len - k) > max - k)
		return k;
	return max;
}

/*
 * From the front, one decoded character at a time.  From the back, the last
 * character starts at the first byte going back (at most three) that is not
 * a continuation byte; it is dropped when it decodes to a character drop
 * accepts and ends exactly at the end.  Anything else (a byte that begins
 * no character, a stray continuation byte) stops the trim: both predicates
 * are false for PRFAQ_UTF8_INVALID.
 */
void
prfaq_utf8_trim(const char **s, size_t *len, bool (*drop)(uint32_t))
{
	const char *p = *s;
	size_t b = 0, e = *len;

	while (b < e) {
		size_t k = b;

		if (!drop(prfaq_utf8_next(p, e, &k)))
			break;
		b = k;
	}
	while (e > b) {
		size_t k = e - 1, j;

		while (k > b && e - k < 4 &&
		       ((unsigned char)p[k] & 0xC0) == 0x80)
			k--;
		j = k;
		if (!drop(prfaq_utf8_next(p, e, &j)) || j != e)
			break;
		e = k;
	}
	*s = p + b;
	*len = e - b;
}

/*
 * First control character in s[0..len) that a field of this kind does not
 * allow (long text allows tab, newline and carriage return), or -1.
 *
 * By bytes, not code points: s is valid UTF-8, where a C1 control is always
 * the pair C2 80..9F and 0xC2 is never a continuation byte.  Long texts are
 * checked on every write, so eight bytes are skipped at once when none of
 * them is < 0x20, 0x7F or 0xC2 (the classic "has a zero byte" test, exact
 * for existence); only the others are looked at one by one.
 */
static long
find_control(const char *s, size_t len, bool long_text)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t stop;

		if (i + 8 <= len) {
			uint64_t x, del, c2;

			memcpy(&x, p + i, 8);
			del = x ^ (ones * 0x7F);
			c2 = x ^ (ones * 0xC2);
			if (((((x - ones * 0x20) & ~x) | ((del - ones) & ~del) |
			      ((c2 - ones) & ~c2)) &
			     highs) == 0) {
				i += 8;
				continue;
			}
		}
		for (stop = i + 8 < len ? i + 8 : len; i < stop; i++) {
			unsigned char b = p[i];

			if (b >= 0x20 && b != 0x7F && b != 0xC2)
				continue;
			if (b == 0xC2) {
				if (i + 1 < len && p[i + 1] >= 0x80 &&
				    p[i + 1] <= 0x9F)
					return (long)p[i + 1];
				continue;
			}
			if (long_text && (b == '\n' || b == '\r' || b == '\t'))
				continue;
			return (long)b;
		}
	}
	return -1;
}

/*
 * First bidirectional override or isolate in s[0..len), or -1.  All of them
 * are E2 80 AA..AE or E2 81 A6..A9, so text without an 0xE2 byte (most
 * names) is passed by memchr alone.
 */
static long
find_bidi(const char *s, size_t len)
{
	const char *e = s + len, *p = s;

	while ((p = memchr(p, 0xE2, (size_t)(e - p))) != NULL) {
		size_t i = (size_t)(p - s);
		uint32_t cp = prfaq_utf8_next(s, len, &i);

		if ((cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return (long)cp;
		p = s + i;
	}
	return -1;
}

bool
prfaq_text_refused(const char *s, size_t len, enum prfaq_text_kind kind,
		   char *why, size_t n)
{
	long cp = find_control(s, len, kind == PRFAQ_TEXT_LONG);

	if (cp >= 0) {
		snprintf(why, n, "%s (found U+%04lX)",
			 kind == PRFAQ_TEXT_LONG ?
				 "must not contain control characters other "
				 "than newline, carriage return and tab" :
				 "must not contain control characters or "
				 "line breaks",
			 (unsigned long)cp);
		return true;
	}
	if (kind == PRFAQ_TEXT_NAME && (cp = find_bidi(s, len)) >= 0) {
		snprintf(why, n,
			 "must not contain bidirectional overrides or "
			 "isolates (found U+%04lX)",
			 (unsigned long)cp);
		return true;
	}
	return false;
}
