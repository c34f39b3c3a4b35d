/*
 * test_json_fast.c - prfaq_json_parse's one-pass decoder (json.c) must agree
 * with Jansson on every text: the same value, members in the same order,
 * and a refusal wherever Jansson refuses.  The texts are the fixtures, hand
 * picked edge cases and a few thousand random mutations of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/alloc.h"
#include "prfaq/json.h"

/* Decode text both ways and insist on the same outcome. */
static void
agree(const char *text, size_t len)
{
	json_t *ours = NULL, *theirs;
	prfaq_code rc = prfaq_json_parse(text, len, &ours, NULL);

	theirs = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			    NULL);
	if (theirs == NULL) {
		if (rc == PRFAQ_OK)
			fail_msg("accepted what Jansson refuses: %.*s",
				 (int)len, text);
		return;
	}
	if (rc != PRFAQ_OK) {
		/* Only the value-count guard may refuse more than Jansson. */
		json_decref(theirs);
		return;
	}
	{
		char *a = json_dumps(ours, JSON_COMPACT | JSON_ENCODE_ANY);
		char *b = json_dumps(theirs, JSON_COMPACT | JSON_ENCODE_ANY);

		assert_non_null(a);
		assert_non_null(b);
		if (strcmp(a, b) != 0)
			fail_msg(
				"decoded differently: %.*s\nours   %s\ntheirs %s",
				(int)len, text, a, b);
		free(a);
		free(b);
	}
	json_decref(ours);
	json_decref(theirs);
}

static char *
slurp(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s", PRFAQ_FIXTURES, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	data[n] = '\0';
	*len = (size_t)n;
	return data;
}

static void
test_edge_cases(void **state)
{
	static const char *const cases[] = {
		"{}",
		"[]",
		" {} ",
		"{\"a\":1}",
		"{\"a\":1,\"a\":2}",
		"[1,2,]",
		"{\"a\":1,}",
		"0",
		"-0",
		"01",
		"-",
		"-a",
		"1.5",
		"1e3",
		"2E-2",
		"123456789012345678",
		"1234567890123456789",
		"-9223372036854775808",
		"9223372036854775808",
		"true",
		"truex",
		"[true,false,null]",
		"nul",
		"\"\"",
		"\"abc",
		"\"a\\\"b\"",
		"\"\\/\\b\\f\\n\\r\\t\\\\\"",
		"\"\\u0041\\u00e9\\u20ac\"",
		"\"\\u0000\"",
		"\"\\ud83d\\ude00\"",
		"\"\\ud83d\"",
		"\"\\ude00\"",
		"\"\\ud83d\\u0041\"",
		"\"\\uZZZZ\"",
		"\"\\x\"",
		"\"tab\there\"",
		"\"\xc3\xa9\"",
		"\"\xe2\x80\x99\"",
		"\"\xf0\x9f\x98\x80\"",
		"\"\xc0\x80\"",
		"\"\xed\xa0\x80\"",
		"\"\xf4\x90\x80\x80\"",
		"\"\xe2\x80\"",
		"\"\xff\"",
		"\"\x7f\"",
		"{\"k\"}",
		"{\"k\" 1}",
		"{1:2}",
		"[1 2]",
		"[",
		"]",
		"",
		"   ",
		"{} {}",
		"[] x",
		"\xef\xbb\xbf{}",
		"{\"\":\"\"}",
		"{\"a\\u0000b\":1}",
		"{\"a\":{\"b\":[1,{\"c\":\"d\"}]}}",
		"[[[[[[[[[[[[]]]]]]]]]]]]",
	};
	char deep[300];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		agree(cases[i], strlen(cases[i]));
	/* Past the fast decoder's depth: Jansson decides. */
	for (size_t d = 60; d < 140; d += 7) {
		memset(deep, '[', d);
		memset(deep + d, ']', d);
		agree(deep, 2 * d);
	}
}

static void
test_fixtures_and_mutations(void **state)
{
	static const char *const names[] = { "strong.json", "weak.json" };
	static const char noise[] =
		"\"\\{}[],:0-9.eEu \t\n\xc3\xa9\xe2\x80\x99\xff\x01";
	uint32_t seed = 12345;

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		size_t len;
		char *text = slurp(names[f], &len);
		char *m = malloc(len + 8);

		assert_non_null(m);
		agree(text, len);
		for (int i = 0; i < 3000; i++) {
			size_t at, mlen = len;

			memcpy(m, text, len);
			for (int k = 0; k < 1 + i % 3 && mlen > 1; k++) {
				seed = seed * 1103515245u + 12345u;
				at = (seed >> 8) % mlen;
				seed = seed * 1103515245u + 12345u;
				switch ((seed >> 16) % 3) {
				case 0: /* replace a byte */
					m[at] = noise[(seed >> 4) %
						      (sizeof(noise) - 1)];
					break;
				case 1: /* drop a byte */
					memmove(m + at, m + at + 1,
						mlen - at - 1);
					mlen--;
					break;
				default: /* truncate */
					mlen = at + 1;
					break;
				}
			}
			agree(m, mlen);
		}
		free(m);
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_fixtures_and_mutations),
	};

	prfaq_alloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
