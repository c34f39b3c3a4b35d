/*
 * utf8.c - UTF-8 encoding, validation, length, cutting and trimming (see
 * include/prfaq/utf8.h, which also holds the decoder and the character
 * classes).
 */
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
