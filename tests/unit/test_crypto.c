/*
 * test_crypto.c - prfaq_sha256 (our own, see crypto.c) against the FIPS
 * 180-4 example vectors and against OpenSSL on every length around the
 * block and padding boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <string.h>

#include "prfaq/alloc.h"
#include "prfaq/crypto.h"

static void
hex_of(const void *data, size_t len, char out[2 * PRFAQ_SHA256_LEN + 1])
{
	uint8_t h[PRFAQ_SHA256_LEN];

	prfaq_sha256(data, len, h);
	prfaq_hex(h, sizeof(h), out);
}

static void
test_vectors(void **state)
{
	static const char *const two_blocks =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[2 * PRFAQ_SHA256_LEN + 1];
	static char million[1000000];

	(void)state;
	hex_of("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	hex_of(two_blocks, strlen(two_blocks), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039"
				 "a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', sizeof(million));
	hex_of(million, sizeof(million), hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
				 "f1809a48a497200e046d39ccc7112cd0");
}

static void
test_against_openssl(void **state)
{
	uint8_t buf[300], ours[PRFAQ_SHA256_LEN], theirs[PRFAQ_SHA256_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	for (size_t len = 0; len <= sizeof(buf); len++) {
		unsigned int n = sizeof(theirs);

		prfaq_sha256(buf, len, ours);
		assert_int_equal(EVP_Digest(buf, len, theirs, &n, EVP_sha256(),
					    NULL),
				 1);
		assert_memory_equal(ours, theirs, sizeof(ours));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_against_openssl),
	};

	prfaq_alloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
