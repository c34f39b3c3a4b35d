/*
 * test_auth.c - tokens and the token cache (src/util/auth.c): the shape check
 * that spares the database, and the eviction epoch that keeps a revoked token
 * from coming back through a lookup that raced its revocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>

#include "prfaq/alloc.h"
#include "prfaq/auth.h"

static void
test_generated_tokens_are_well_formed(void **state)
{
	char text[PRFAQ_TOKEN_LEN + 1];
	uint8_t hash[PRFAQ_SHA256_LEN];

	(void)state;
	for (int i = 0; i < 100; i++) {
		assert_int_equal(prfaq_token_generate(text, hash), 0);
		assert_int_equal(strlen(text), PRFAQ_TOKEN_LEN);
		assert_true(prfaq_token_well_formed(text, strlen(text)));
	}
}

static void
test_malformed_tokens(void **state)
{
	char text[PRFAQ_TOKEN_LEN + 2];
	uint8_t hash[PRFAQ_SHA256_LEN];

	(void)state;
	assert_int_equal(prfaq_token_generate(text, hash), 0);
	/* One character short, one too many. */
	assert_false(prfaq_token_well_formed(text, PRFAQ_TOKEN_LEN - 1));
	text[PRFAQ_TOKEN_LEN] = 'A';
	text[PRFAQ_TOKEN_LEN + 1] = '\0';
	assert_false(prfaq_token_well_formed(text, PRFAQ_TOKEN_LEN + 1));
	text[PRFAQ_TOKEN_LEN] = '\0';
	/* Another prefix. */
	text[0] = 'P';
	assert_false(prfaq_token_well_formed(text, PRFAQ_TOKEN_LEN));
	text[0] = 'p';
	assert_true(prfaq_token_well_formed(text, PRFAQ_TOKEN_LEN));
	/* A character outside base64url in the secret. */
	text[PRFAQ_TOKEN_LEN - 3] = '+';
	assert_false(prfaq_token_well_formed(text, PRFAQ_TOKEN_LEN));
	text[PRFAQ_TOKEN_LEN - 3] = '\0';
	assert_false(prfaq_token_well_formed(text, PRFAQ_TOKEN_LEN));
	assert_false(prfaq_token_well_formed("", 0));
	assert_false(prfaq_token_well_formed(PRFAQ_TOKEN_PREFIX,
					     strlen(PRFAQ_TOKEN_PREFIX)));
}

static struct prfaq_caller
caller_of(const char *user, const char *token)
{
	struct prfaq_caller c;

	memset(&c, 0, sizeof(c));
	strcpy(c.user_id, user);
	strcpy(c.token_id, token);
	c.roles = PRFAQ_ROLE_AUTHOR;
	return c;
}

#define USER "11111111-1111-1111-1111-111111111111"
#define TOK1 "22222222-2222-2222-2222-222222222222"
#define TOK2 "33333333-3333-3333-3333-333333333333"

static void
test_cache_hit_and_evict(void **state)
{
	struct prfaq_auth_cache *c = prfaq_auth_cache_new(5);
	struct prfaq_caller a = caller_of(USER, TOK1),
			    b = caller_of(USER, TOK2);
	struct prfaq_caller out;
	uint8_t h1[PRFAQ_SHA256_LEN], h2[PRFAQ_SHA256_LEN];
	uint64_t epoch;

	(void)state;
	assert_non_null(c);
	prfaq_token_hash("one", h1);
	prfaq_token_hash("two", h2);
	assert_false(prfaq_auth_cache_get(c, h1, &out, &epoch));
	prfaq_auth_cache_put(c, h1, &a, epoch);
	assert_false(prfaq_auth_cache_get(c, h2, &out, &epoch));
	prfaq_auth_cache_put(c, h2, &b, epoch);
	assert_true(prfaq_auth_cache_get(c, h1, &out, NULL));
	assert_string_equal(out.token_id, TOK1);
	assert_true(prfaq_auth_cache_get(c, h2, &out, NULL));
	assert_string_equal(out.token_id, TOK2);
	/* Revoking one token forgets it alone. */
	prfaq_auth_cache_evict_token(c, TOK1);
	assert_false(prfaq_auth_cache_get(c, h1, &out, NULL));
	assert_true(prfaq_auth_cache_get(c, h2, &out, NULL));
	prfaq_auth_cache_free(c);
}

static void
test_cache_refuses_answers_older_than_an_eviction(void **state)
{
	struct prfaq_auth_cache *c = prfaq_auth_cache_new(5);
	struct prfaq_caller a = caller_of(USER, TOK1), out;
	uint8_t h[PRFAQ_SHA256_LEN];
	uint64_t epoch;

	(void)state;
	prfaq_token_hash("one", h);
	/* A request misses and goes to the database ... */
	assert_false(prfaq_auth_cache_get(c, h, &out, &epoch));
	/* ... the token is revoked meanwhile on this instance ... */
	prfaq_auth_cache_evict_token(c, TOK1);
	/* ... and the now stale answer must not be cached. */
	prfaq_auth_cache_put(c, h, &a, epoch);
	assert_false(prfaq_auth_cache_get(c, h, &out, &epoch));
	/* A lookup that began after the revocation may be cached again. */
	prfaq_auth_cache_put(c, h, &a, epoch);
	assert_true(prfaq_auth_cache_get(c, h, &out, NULL));
	prfaq_auth_cache_free(c);
}

/* The id to evict comes from a request path: any case is the same id. */
static void
test_cache_evicts_an_id_in_any_case(void **state)
{
	struct prfaq_auth_cache *c = prfaq_auth_cache_new(5);
	struct prfaq_caller a =
		caller_of(USER, "abcdef01-2345-4678-89ab-cdef01234567");
	struct prfaq_caller out;
	uint8_t h[PRFAQ_SHA256_LEN];
	uint64_t epoch;

	(void)state;
	prfaq_token_hash("one", h);
	assert_false(prfaq_auth_cache_get(c, h, &out, &epoch));
	prfaq_auth_cache_put(c, h, &a, epoch);
	assert_true(prfaq_auth_cache_get(c, h, &out, NULL));
	prfaq_auth_cache_evict_token(c, "ABCDEF01-2345-4678-89AB-CDEF01234567");
	assert_false(prfaq_auth_cache_get(c, h, &out, NULL));
	prfaq_auth_cache_free(c);
}

/*
 * Deactivating a user or changing their roles evicts every entry of theirs:
 * opaque tokens and JWTs (whose entries have no token id) alike, and no
 * other user's; a lookup that raced it cannot put the old answer back.
 */
static void
test_cache_evicts_a_user(void **state)
{
	struct prfaq_auth_cache *c = prfaq_auth_cache_new(5);
	struct prfaq_caller opaque = caller_of(USER, TOK1),
			    jwt = caller_of(USER, ""),
			    other = caller_of(
				    "44444444-4444-4444-4444-444444444444",
				    TOK2);
	struct prfaq_caller out;
	uint8_t h1[PRFAQ_SHA256_LEN], h2[PRFAQ_SHA256_LEN],
		h3[PRFAQ_SHA256_LEN];
	uint64_t epoch, raced;

	(void)state;
	prfaq_token_hash("opaque", h1);
	prfaq_token_hash("jwt", h2);
	prfaq_token_hash("other", h3);
	assert_false(prfaq_auth_cache_get(c, h1, &out, &epoch));
	prfaq_auth_cache_put(c, h1, &opaque, epoch);
	prfaq_auth_cache_put_for(c, h2, &jwt, epoch, 60);
	prfaq_auth_cache_put(c, h3, &other, epoch);
	raced = epoch;
	prfaq_auth_cache_evict_user(c, "11111111-1111-1111-1111-111111111111");
	assert_false(prfaq_auth_cache_get(c, h1, &out, NULL));
	assert_false(prfaq_auth_cache_get(c, h2, &out, NULL));
	assert_true(prfaq_auth_cache_get(c, h3, &out, NULL));
	assert_string_equal(out.token_id, TOK2);
	prfaq_auth_cache_put(c, h1, &opaque, raced);
	assert_false(prfaq_auth_cache_get(c, h1, &out, NULL));
	prfaq_auth_cache_free(c);
}

/* An entry lives no longer than it is given: a token's remaining validity. */
static void
test_cache_entry_never_outlives_max(void **state)
{
	struct prfaq_auth_cache *c = prfaq_auth_cache_new(60);
	struct prfaq_caller a = caller_of(USER, TOK1), out;
	uint8_t h[PRFAQ_SHA256_LEN];
	uint64_t epoch;

	(void)state;
	prfaq_token_hash("expiring", h);
	assert_false(prfaq_auth_cache_get(c, h, &out, &epoch));
	/* A token with no whole second left is not cached at all. */
	prfaq_auth_cache_put_for(c, h, &a, epoch, 0);
	assert_false(prfaq_auth_cache_get(c, h, &out, NULL));
	prfaq_auth_cache_put_for(c, h, &a, epoch, 1);
	assert_true(prfaq_auth_cache_get(c, h, &out, NULL));
	sleep(2);
	assert_false(prfaq_auth_cache_get(c, h, &out, NULL));
	prfaq_auth_cache_free(c);
}

static void
test_cache_disabled(void **state)
{
	struct prfaq_auth_cache *c = prfaq_auth_cache_new(0);
	struct prfaq_caller a = caller_of(USER, TOK1), out;
	uint8_t h[PRFAQ_SHA256_LEN];
	uint64_t epoch;

	(void)state;
	prfaq_token_hash("one", h);
	assert_false(prfaq_auth_cache_get(c, h, &out, &epoch));
	prfaq_auth_cache_put(c, h, &a, epoch);
	assert_false(prfaq_auth_cache_get(c, h, &out, &epoch));
	prfaq_auth_cache_free(c);
	prfaq_auth_cache_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_tokens_are_well_formed),
		cmocka_unit_test(test_malformed_tokens),
		cmocka_unit_test(test_cache_hit_and_evict),
		cmocka_unit_test(
			test_cache_refuses_answers_older_than_an_eviction),
		cmocka_unit_test(test_cache_evicts_an_id_in_any_case),
		cmocka_unit_test(test_cache_evicts_a_user),
		cmocka_unit_test(test_cache_entry_never_outlives_max),
		cmocka_unit_test(test_cache_disabled),
	};

	prfaq_alloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
