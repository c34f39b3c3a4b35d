/*
 * test_utf8.c - the UTF-8 module (src/util/utf8.c, include/prfaq/utf8.h):
 * the decoder and encoder against an independent reference, the one
 * definition of a space, line breaks and controls, cutting at a character
 * boundary and trimming.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "prfaq/utf8.h"

/*
 * Reference decoder, written from RFC 3629's definition rather than its
 * table: read the lead byte's length, take the payload bits, then reject
 * what the decoded value says is wrong (overlong, surrogate, too large).
 * Returns the sequence length (1..4) or 0.
 */
static size_t
ref_seq(const unsigned char *p, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t v;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		v = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		v = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		v = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3F);
	}
	if ((n == 2 && v < 0x80) || (n == 3 && v < 0x800) ||
	    (n == 4 && v < 0x10000) || v > 0x10FFFF ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

/* Decode s[0..len) whole; the code points (or INVALID) go to out. */
static size_t
decode_all(const char *s, size_t len, uint32_t *out, size_t max)
{
	size_t i = 0, n = 0;

	while (i < len) {
		size_t before = i;
		uint32_t cp = prfaq_utf8_next(s, len, &i);

		assert_true(i > before && i <= len);
		assert_true(n < max);
		out[n++] = cp;
	}
	return n;
}

static void
test_decode_boundaries(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		uint32_t cp;
	} ok[] = {
		{ "\x00", 1, 0x00 },
		{ "\x7F", 1, 0x7F },
		{ "\xC2\x80", 2, 0x80 },
		{ "\xDF\xBF", 2, 0x7FF },
		{ "\xE0\xA0\x80", 3, 0x800 },
		{ "\xED\x9F\xBF", 3, 0xD7FF },
		{ "\xEE\x80\x80", 3, 0xE000 },
		{ "\xEF\xBF\xBF", 3, 0xFFFF },
		{ "\xF0\x90\x80\x80", 4, 0x10000 },
		{ "\xF4\x8F\xBF\xBF", 4, 0x10FFFF },
		{ "\xE1\x9A\x80", 3, 0x1680 },
		{ "\xE3\x80\x80", 3, 0x3000 },
		{ "\xEF\xBB\xBF", 3, 0xFEFF },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		size_t i = 0;

		assert_int_equal(prfaq_utf8_seq(ok[k].s, ok[k].len), ok[k].len);
		assert_int_equal(prfaq_utf8_next(ok[k].s, ok[k].len, &i),
				 ok[k].cp);
		assert_int_equal(i, ok[k].len);
		assert_true(prfaq_utf8_valid(ok[k].s, ok[k].len));
	}
}

/*
 * Invalid input: every byte that begins no character is one unit,
 * PRFAQ_UTF8_INVALID, and the scan resumes at the next byte.
 */
static void
test_decode_invalid(void **state)
{
	static const struct {
		const char *what;
		const char *s;
		size_t len;
	} bad[] = {
		{ "lone continuation", "\x80", 1 },
		{ "overlong NUL", "\xC0\x80", 2 },
		{ "overlong 2-byte", "\xC1\xBF", 2 },
		{ "overlong 3-byte", "\xE0\x9F\xBF", 3 },
		{ "overlong 4-byte", "\xF0\x8F\xBF\xBF", 4 },
		{ "overlong slash", "\xE0\x80\xAF", 3 },
		{ "high surrogate", "\xED\xA0\x80", 3 },
		{ "low surrogate", "\xED\xBF\xBF", 3 },
		{ "past U+10FFFF", "\xF4\x90\x80\x80", 4 },
		{ "F5 lead", "\xF5\x80\x80\x80", 4 },
		{ "FF", "\xFF", 1 },
		{ "cut short", "\xE2\x82", 2 },
		{ "bad continuation", "\xE2\x28\xA1", 3 },
	};
	uint32_t cps[8];

	(void)state;
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		size_t i = 0;

		if (prfaq_utf8_seq(bad[k].s, bad[k].len) != 0)
			fail_msg("%s: accepted", bad[k].what);
		assert_int_equal(prfaq_utf8_next(bad[k].s, bad[k].len, &i),
				 PRFAQ_UTF8_INVALID);
		assert_int_equal(i, 1);
		assert_false(prfaq_utf8_valid(bad[k].s, bad[k].len));
	}

	/* "\xE2\x82" cut short, then "A": two bad units, then the letter. */
	assert_int_equal(decode_all("\xE2\x82"
				    "A",
				    3, cps, 8),
			 3);
	assert_int_equal(cps[0], PRFAQ_UTF8_INVALID);
	assert_int_equal(cps[1], PRFAQ_UTF8_INVALID);
	assert_int_equal(cps[2], 'A');
	/* A bad continuation is not swallowed: "(" comes back. */
	assert_int_equal(decode_all("\xE2\x28\xA1", 3, cps, 8), 3);
	assert_int_equal(cps[1], '(');
	/* A surrogate pair in UTF-8 (CESU-8) is two times three bad bytes. */
	assert_int_equal(decode_all("\xED\xA0\xBD\xED\xB8\x80", 6, cps, 8), 6);
	/* The sequence after an invalid byte decodes normally. */
	assert_int_equal(decode_all("\xFF\xE2\x80\xA8", 4, cps, 8), 2);
	assert_int_equal(cps[1], 0x2028);
}

/*
 * Every two-byte prefix, with four kinds of third and fourth byte, against
 * the reference decoder: same verdict, same length, same code point.
 */
static void
test_decode_matches_reference(void **state)
{
	static const unsigned char tails[] = { 0x41, 0x80, 0x9F,
					       0xA0, 0xBF, 0xC0 };

	(void)state;
	for (unsigned b0 = 0; b0 < 256; b0++)
		for (unsigned b1 = 0; b1 < 256; b1++)
			for (size_t t = 0; t < sizeof(tails); t++) {
				unsigned char s[4] = { (unsigned char)b0,
						       (unsigned char)b1,
						       tails[t], tails[t] };

				for (size_t len = 1; len <= 4; len++) {
					uint32_t want = 0, got;
					size_t n = ref_seq(s, len, &want),
					       i = 0;

					got = prfaq_utf8_next((const char *)s,
							      len, &i);
					if (prfaq_utf8_seq((const char *)s,
							   len) != n)
						fail_msg(
							"%02X %02X %02X len %zu",
							b0, b1, tails[t], len);
					assert_int_equal(
						got,
						n ? want : PRFAQ_UTF8_INVALID);
					assert_int_equal(i, n ? n : 1);
				}
			}
}

/* Every scalar value encodes and decodes back; the rest do not encode. */
static void
test_encode_round_trip(void **state)
{
	char out[4];

	(void)state;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		size_t n = prfaq_utf8_encode(cp, out), i = 0;

		if (cp >= 0xD800 && cp <= 0xDFFF) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_int_equal(n, cp < 0x80	 ? 1 :
				    cp < 0x800	 ? 2 :
				    cp < 0x10000 ? 3 :
						   4);
		assert_int_equal(prfaq_utf8_next(out, n, &i), cp);
		assert_int_equal(i, n);
	}
	assert_int_equal(prfaq_utf8_encode(0x110000, out), 0);
	assert_int_equal(prfaq_utf8_encode(PRFAQ_UTF8_INVALID, out), 0);
	assert_int_equal(prfaq_utf8_encode(0xFFFFFFFF, out), 0);
}

static void
test_length(void **state)
{
	static const char s[] = "a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80";

	(void)state;
	assert_int_equal(prfaq_utf8_length(s, sizeof(s) - 1), 4);
	assert_int_equal(prfaq_utf8_length("", 0), 0);
}

/* The one definition of a space, character by character. */
static void
test_space(void **state)
{
	static const uint32_t white[] = {
		0x09,	0x0A,	0x0B,	0x0C,	0x0D,	0x20,
		0x85,	0xA0,	0x1680, 0x2000, 0x2005, 0x200A,
		0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
	};
	static const uint32_t not_space[] = {
		0x00,	0x08,	  0x0E,
		0x1F,	'a',	  '0',
		0x7F,	0x84,	  0x9F,
		0xA1,	0x167F,	  0x1681,
		0x180E, 0x1FFF,	  0x200C,
		0x200D, 0x200E,	  0x2027,
		0x202A, 0x2060,	  0x2800,
		0x3001, 0x3002,	  0xFEFE,
		0xFFFD, 0x10FFFF, PRFAQ_UTF8_INVALID,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(white) / sizeof(white[0]); i++) {
		if (!prfaq_utf8_is_white_space(white[i]) ||
		    !prfaq_utf8_is_space(white[i]))
			fail_msg("U+%04X is White_Space", (unsigned)white[i]);
	}
	/* Invisible: spaces to prfaqd, but not White_Space. */
	assert_true(prfaq_utf8_is_space(0x200B));
	assert_true(prfaq_utf8_is_space(0xFEFF));
	assert_false(prfaq_utf8_is_white_space(0x200B));
	assert_false(prfaq_utf8_is_white_space(0xFEFF));
	for (size_t i = 0; i < sizeof(not_space) / sizeof(not_space[0]); i++) {
		if (prfaq_utf8_is_space(not_space[i]) ||
		    prfaq_utf8_is_white_space(not_space[i]))
			fail_msg("U+%04X is no space", (unsigned)not_space[i]);
	}
}

/*
 * prfaq_utf8_may_start_space is false only where no space or line break
 * can begin: checked for every scalar value.
 */
static void
test_may_start_space(void **state)
{
	char out[4];
	size_t n;

	(void)state;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (!prfaq_utf8_is_space(cp) && !prfaq_utf8_is_line_break(cp))
			continue;
		n = prfaq_utf8_encode(cp, out);
		assert_true(n > 0);
		if (!prfaq_utf8_may_start_space((unsigned char)out[0]))
			fail_msg("U+%04X begins with %02X", (unsigned)cp,
				 (unsigned char)out[0]);
	}
	assert_false(prfaq_utf8_may_start_space('a'));
	assert_false(prfaq_utf8_may_start_space(0xC3));
	assert_false(prfaq_utf8_may_start_space(0xE6));
	assert_false(prfaq_utf8_may_start_space(0x80));
}

static void
test_line_break_and_control(void **state)
{
	(void)state;
	assert_true(prfaq_utf8_is_line_break('\n'));
	assert_true(prfaq_utf8_is_line_break('\r'));
	assert_true(prfaq_utf8_is_line_break(0x0B));
	assert_true(prfaq_utf8_is_line_break(0x85));
	assert_true(prfaq_utf8_is_line_break(0x2028));
	assert_true(prfaq_utf8_is_line_break(0x2029));
	assert_false(prfaq_utf8_is_line_break(' '));
	assert_false(prfaq_utf8_is_line_break('\t'));
	assert_false(prfaq_utf8_is_line_break(0xA0));
	assert_false(prfaq_utf8_is_line_break(0x3000));
	assert_false(prfaq_utf8_is_line_break(PRFAQ_UTF8_INVALID));
	/* Every line break is a space too. */
	for (uint32_t cp = 0; cp < 0x3000; cp++)
		if (prfaq_utf8_is_line_break(cp))
			assert_true(prfaq_utf8_is_white_space(cp));

	assert_true(prfaq_utf8_is_control(0x00));
	assert_true(prfaq_utf8_is_control(0x1F));
	assert_true(prfaq_utf8_is_control(0x7F));
	assert_true(prfaq_utf8_is_control(0x85));
	assert_true(prfaq_utf8_is_control(0x9F));
	assert_false(prfaq_utf8_is_control(0x20));
	assert_false(prfaq_utf8_is_control(0xA0));
	assert_false(prfaq_utf8_is_control(0x2028));
	assert_false(prfaq_utf8_is_control(PRFAQ_UTF8_INVALID));
}

static void
test_cut_examples(void **state)
{
	static const char mixed[] = "a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80";
	/* byte:                     0 1   2   3   4   5   6   7   8   9 */
	static const size_t want[] = { 0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10 };

	(void)state;
	for (size_t max = 0; max <= 10; max++)
		assert_int_equal(prfaq_utf8_cut(mixed, 10, max), want[max]);
	/* Short enough: the whole, even past max's meaning. */
	assert_int_equal(prfaq_utf8_cut("abc", 3, 3), 3);
	assert_int_equal(prfaq_utf8_cut("abc", 3, 100), 3);
	assert_int_equal(prfaq_utf8_cut("abc", 3, 0), 0);
	/* Bytes that begin no character are units: cut right after them. */
	assert_int_equal(prfaq_utf8_cut("\xFF\xFF\xFF", 3, 2), 2);
	assert_int_equal(prfaq_utf8_cut("a\x80\x80\x80\x80\x80", 6, 4), 4);
	assert_int_equal(prfaq_utf8_cut("\xE2\x82"
					"A",
					3, 1),
			 1);
	/* A stray continuation after a whole character does not move it. */
	assert_int_equal(prfaq_utf8_cut("\xC3\xA9\x80", 3, 2), 2);
}

/*
 * On well-formed text, for every max: the cut is well-formed, no longer
 * than max, and as long as it can be (the next character would not fit).
 */
static void
test_cut_property(void **state)
{
	static const char text[] =
		"Caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x91\xA9\xE2\x80"
		"\x8D\xF0\x9F\x92\xBB e\xCC\x81 \xE1\x9A\x80\xE3\x80\x80!";
	size_t len = sizeof(text) - 1;

	(void)state;
	assert_true(prfaq_utf8_valid(text, len));
	for (size_t max = 0; max <= len; max++) {
		size_t n = prfaq_utf8_cut(text, len, max);

		assert_true(n <= max);
		assert_true(prfaq_utf8_valid(text, n));
		if (n < max)
			assert_true(n + prfaq_utf8_seq(text + n, len - n) >
				    max);
	}
}

/* trim s with drop and compare with want. */
static void
expect_trim(const char *s, bool (*drop)(uint32_t), const char *want)
{
	const char *p = s;
	size_t n = strlen(s);

	prfaq_utf8_trim(&p, &n, drop);
	assert_true(p >= s && p + n <= s + strlen(s));
	if (n != strlen(want) || memcmp(p, want, n) != 0)
		fail_msg("trim of \"%s\" gave \"%.*s\"", s, (int)n, p);
}

static void
test_trim(void **state)
{
	(void)state;
	expect_trim("  x  ", prfaq_utf8_is_space, "x");
	expect_trim("\xE3\x80\x80 x\xC2\xA0", prfaq_utf8_is_space, "x");
	expect_trim("\xE1\x9A\x80"
		    "abc\xE2\x80\xA8",
		    prfaq_utf8_is_space, "abc");
	expect_trim("\t\r\n\v\f"
		    "a b"
		    "\xC2\x85",
		    prfaq_utf8_is_space, "a b");
	expect_trim("\xEF\xBB\xBF"
		    "abc\xE2\x80\x8B",
		    prfaq_utf8_is_space, "abc");
	/* White_Space alone leaves the invisible ones. */
	expect_trim("\xEF\xBB\xBF"
		    "abc\xE2\x80\x8B",
		    prfaq_utf8_is_white_space,
		    "\xEF\xBB\xBF"
		    "abc\xE2\x80\x8B");
	expect_trim(" \xE2\x80\x8B x", prfaq_utf8_is_white_space,
		    "\xE2\x80\x8B x");
	/* Only spaces: nothing left. */
	expect_trim("\xE2\x80\x89\xE3\x80\x80 \xE2\x80\x8B",
		    prfaq_utf8_is_space, "");
	expect_trim("", prfaq_utf8_is_space, "");
	/* Bytes that begin no character are kept, and stop the trim. */
	expect_trim(" \xFF a \xFF ", prfaq_utf8_is_space, "\xFF a \xFF");
	expect_trim(" \xE3\x80", prfaq_utf8_is_space, "\xE3\x80");
	expect_trim("\x80\x80 ", prfaq_utf8_is_space, "\x80\x80");
	/* Word characters next to spaces stay. */
	expect_trim("\xC3\xA9\xC2\xA0", prfaq_utf8_is_space, "\xC3\xA9");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_boundaries),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_decode_matches_reference),
		cmocka_unit_test(test_encode_round_trip),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_space),
		cmocka_unit_test(test_may_start_space),
		cmocka_unit_test(test_line_break_and_control),
		cmocka_unit_test(test_cut_examples),
		cmocka_unit_test(test_cut_property),
		cmocka_unit_test(test_trim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
