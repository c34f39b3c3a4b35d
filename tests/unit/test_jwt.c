/*
 * test_jwt.c - JWT verification and JWKS parsing (src/util/jwt.c) on keys
 * and tokens made here with OpenSSL: every refusal of the contract, the
 * clock skew at both edges, the key set's filtering, base64url, and the
 * token cache's bound by a token's expiry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jwt_keys.h"
#include "prfaq/auth.h"
#include "prfaq/jwt.h"

#define ISS "https://idp.example.test"
#define AUD "prfaqd"
#define NOW ((int64_t)1900000000)

static struct tk_key rsa, ec, stranger;
static struct prfaq_jwks *keys;

static const struct prfaq_jwt_policy policy = {
	.issuer = ISS,
	.audience = AUD,
	.email_claim = "email",
	.roles_claim = NULL,
	.skew_s = 60,
};

static int
setup(void **state)
{
	const struct tk_key *set[] = { &rsa, &ec };
	char *doc;
	int rc;

	if (tk_key_new(&rsa, false, "rsa-1") != 0 ||
	    tk_key_new(&ec, true, "ec-1") != 0 ||
	    tk_key_new(&stranger, false, "rsa-1") != 0)
		return -1;
	doc = tk_jwks(set, 2);
	rc = prfaq_jwks_parse(doc, strlen(doc), &keys, NULL) == PRFAQ_OK ? 0 :
									   -1;
	free(doc);
	return rc;
}

static int
teardown(void **state)
{
	prfaq_jwks_unref(keys);
	tk_key_free(&rsa);
	tk_key_free(&ec);
	tk_key_free(&stranger);
	return 0;
}

/* The claims of a good token; callers change or delete members. */
static json_t *
claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "iss", ISS,
			 "aud", AUD, "email", "Ana@Example.com", "name", "Ana",
			 "iat", (json_int_t)NOW - 10, "nbf",
			 (json_int_t)NOW - 10, "exp", (json_int_t)NOW + 300);
}

/*
 * Verify token at now under pol; returns the code, and the reason (a
 * constant string of jwt.c) in why.
 */
static prfaq_code
verify_at(const char *token, const struct prfaq_jwt_policy *pol, int64_t now,
	  struct prfaq_jwt_claims *out, bool *kid_unknown, char *why)
{
	struct prfaq_error err;
	prfaq_code rc;

	prfaq_error_init(&err);
	rc = prfaq_jwt_verify(token, strlen(token), keys, pol, now, out,
			      kid_unknown, &err);
	strcpy(why, err.detail);
	prfaq_error_clear(&err);
	return rc;
}

/* token (freed here) is refused, saying something that contains want. */
static void
assert_refused_at(char *token, int64_t now, const char *want)
{
	struct prfaq_jwt_claims out;
	char why[PRFAQ_ERROR_DETAIL_MAX];
	bool kid_unknown = true;

	assert_non_null(token);
	memset(&out, 0x5a, sizeof(out));
	assert_int_equal(verify_at(token, &policy, now, &out, &kid_unknown,
				   why),
			 PRFAQ_EAUTH);
	if (strstr(why, want) == NULL)
		fail_msg("refused with \"%s\", want \"%s\"", why, want);
	/* Out-parameters stay untouched on failure. */
	assert_int_equal((unsigned char)out.email[0], 0x5a);
	if (strstr(want, "kid is not in") == NULL)
		assert_false(kid_unknown);
	free(token);
}

static void
assert_refused(char *token, const char *want)
{
	assert_refused_at(token, NOW, want);
}

static void
assert_accepted_at(char *token, int64_t now, struct prfaq_jwt_claims *out)
{
	char why[PRFAQ_ERROR_DETAIL_MAX];

	assert_non_null(token);
	if (verify_at(token, &policy, now, out, NULL, why) != PRFAQ_OK)
		fail_msg("refused: %s", why);
	free(token);
}

static void
test_rs256_and_es256_verify(void **state)
{
	struct prfaq_jwt_claims out;

	assert_accepted_at(tk_token(&rsa, claims()), NOW, &out);
	assert_string_equal(out.email, "Ana@Example.com");
	assert_string_equal(out.name, "Ana");
	assert_int_equal(out.exp, NOW + 300);
	assert_int_equal(out.roles, 0);
	assert_accepted_at(tk_token(&ec, claims()), NOW, &out);
	assert_string_equal(out.email, "Ana@Example.com");
}

static void
test_algorithms_refused(void **state)
{
	json_t *h;

	assert_refused(tk_sign(&rsa, json_pack("{s:s}", "alg", "none"),
			       claims()),
		       "alg none");
	assert_refused(
		tk_sign(&rsa,
			json_pack("{s:s, s:s}", "alg", "none", "kid", "rsa-1"),
			claims()),
		"alg none");
	/* HS256 keyed with the RSA public key (PEM): the confusion attack. */
	assert_refused(
		tk_sign(&rsa,
			json_pack("{s:s, s:s}", "alg", "HS256", "kid", "rsa-1"),
			claims()),
		"HMAC");
	assert_refused(
		tk_sign(&rsa,
			json_pack("{s:s, s:s}", "alg", "PS256", "kid", "rsa-1"),
			claims()),
		"RS256 or ES256");
	assert_refused(tk_sign(&rsa, json_pack("{s:s}", "kid", "rsa-1"),
			       claims()),
		       "RS256 or ES256");
	/* An ES256 label on the RSA key's kid, and the reverse. */
	assert_refused(
		tk_sign(&ec,
			json_pack("{s:s, s:s}", "alg", "ES256", "kid", "rsa-1"),
			claims()),
		"does not match its key");
	assert_refused(
		tk_sign(&rsa,
			json_pack("{s:s, s:s}", "alg", "RS256", "kid", "ec-1"),
			claims()),
		"does not match its key");
	h = json_pack("{s:s, s:s, s:[s]}", "alg", "RS256", "kid", "rsa-1",
		      "crit", "exp");
	assert_refused(tk_sign(&rsa, h, claims()), "crit");
}

static void
test_kid_refused(void **state)
{
	struct prfaq_jwt_claims out;
	char why[PRFAQ_ERROR_DETAIL_MAX];
	bool kid_unknown = false;
	char *t;

	assert_refused(tk_sign(&rsa, json_pack("{s:s}", "alg", "RS256"),
			       claims()),
		       "no kid");
	t = tk_sign(&rsa,
		    json_pack("{s:s, s:s}", "alg", "RS256", "kid", "rsa-9"),
		    claims());
	assert_int_equal(verify_at(t, &policy, NOW, &out, &kid_unknown, why),
			 PRFAQ_EAUTH);
	assert_true(kid_unknown);
	assert_non_null(strstr(why, "kid is not in the key set"));
	/* No set at all (not loaded yet) is the same: ask for a reload. */
	kid_unknown = false;
	assert_int_equal(prfaq_jwt_verify(t, strlen(t), NULL, &policy, NOW,
					  &out, &kid_unknown, NULL),
			 PRFAQ_EAUTH);
	assert_true(kid_unknown);
	free(t);
}

static void
test_bad_signatures_refused(void **state)
{
	char *t = tk_token(&rsa, claims()), *dot;

	/* Another key under the same kid. */
	assert_refused(tk_token(&stranger, claims()),
		       "signature does not verify");
	/* A changed claim under the original signature. */
	assert_non_null(t);
	dot = strchr(t, '.');
	dot[1] = dot[1] == 'e' ? 'f' : 'e';
	assert_refused(t, "signature");
	/* A changed signature byte. */
	t = tk_token(&ec, claims());
	t[strlen(t) - 3] = t[strlen(t) - 3] == 'A' ? 'B' : 'A';
	assert_refused(t, "signature does not verify");
	/* Not base64url (padding), and empty. */
	t = tk_token(&rsa, claims());
	t = realloc(t, strlen(t) + 3);
	strcat(t, "==");
	assert_refused(t, "signature does not verify");
	t = tk_token(&ec, claims());
	strrchr(t, '.')[1] = '\0';
	assert_refused(t, "signature does not verify");
}

/* An ES256 signature in DER, as EVP makes it, is not JOSE's r||s. */
static void
test_es256_der_signature_refused(void **state)
{
	char *t = tk_token(&ec, claims()), *dot = strrchr(t, '.'), *sig;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char der[128];
	size_t n = sizeof(der);
	char *forged;

	*dot = '\0';
	assert_int_equal(EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL,
					       ec.pkey, NULL),
			 1);
	assert_int_equal(
		EVP_DigestSign(md, der, &n, (unsigned char *)t, strlen(t)), 1);
	EVP_MD_CTX_free(md);
	sig = tk_b64url(der, n);
	forged = malloc(strlen(t) + strlen(sig) + 2);
	sprintf(forged, "%s.%s", t, sig);
	assert_refused(forged, "signature does not verify");
	free(sig);
	free(t);
}

static void
test_time_claims(void **state)
{
	json_t *c;

	/* exp: 60 s of skew, then refused. */
	assert_accepted_at(tk_token(&rsa, claims()), NOW + 300 + 59,
			   &(struct prfaq_jwt_claims){ 0 });
	assert_refused_at(tk_token(&rsa, claims()), NOW + 300 + 60, "expired");
	assert_refused_at(tk_token(&rsa, claims()), NOW + 86400, "expired");
	c = claims();
	json_object_del(c, "exp");
	assert_refused(tk_token(&rsa, c), "no expiry");
	c = claims();
	json_object_set_new(c, "exp", json_string("tomorrow"));
	assert_refused(tk_token(&rsa, c), "no expiry");
	/* nbf: 60 s early is fine, more is not. */
	c = claims();
	json_object_set_new(c, "nbf", json_integer(NOW + 60));
	assert_accepted_at(tk_token(&rsa, c), NOW,
			   &(struct prfaq_jwt_claims){ 0 });
	c = claims();
	json_object_set_new(c, "nbf", json_integer(NOW + 61));
	assert_refused(tk_token(&rsa, c), "not valid yet");
	c = claims();
	json_object_set_new(c, "nbf", json_string("now"));
	assert_refused(tk_token(&rsa, c), "not valid yet");
	/* A fractional exp is a NumericDate too. */
	c = claims();
	json_object_set_new(c, "exp", json_real((double)NOW + 0.5));
	assert_accepted_at(tk_token(&rsa, c), NOW,
			   &(struct prfaq_jwt_claims){ 0 });
}

static void
test_issuer_and_audience(void **state)
{
	json_t *c;

	c = claims();
	json_object_set_new(c, "iss", json_string(ISS "/"));
	assert_refused(tk_token(&rsa, c), "issuer");
	c = claims();
	json_object_del(c, "iss");
	assert_refused(tk_token(&rsa, c), "issuer");
	c = claims();
	json_object_set_new(c, "aud", json_string("another-service"));
	assert_refused(tk_token(&rsa, c), "audience");
	c = claims();
	json_object_del(c, "aud");
	assert_refused(tk_token(&rsa, c), "audience");
	c = claims();
	json_object_set_new(c, "aud", json_pack("[s,s]", "portal", "other"));
	assert_refused(tk_token(&rsa, c), "audience");
	c = claims();
	json_object_set_new(c, "aud", json_pack("[s,s]", "portal", AUD));
	assert_accepted_at(tk_token(&ec, c), NOW,
			   &(struct prfaq_jwt_claims){ 0 });
}

static void
test_user_claims(void **state)
{
	struct prfaq_jwt_policy pol = policy;
	struct prfaq_jwt_claims out;
	char why[PRFAQ_ERROR_DETAIL_MAX];
	json_t *c;
	char *t;

	c = claims();
	json_object_del(c, "email");
	assert_refused(tk_token(&rsa, c), "no email");
	c = claims();
	json_object_set_new(c, "email", json_string("not an address"));
	assert_refused(tk_token(&rsa, c), "no email");
	/* Another email claim. */
	c = claims();
	json_object_set_new(c, "upn", json_string("bo@example.com"));
	t = tk_token(&rsa, c);
	pol.email_claim = "upn";
	assert_int_equal(verify_at(t, &pol, NOW, &out, NULL, why), PRFAQ_OK);
	assert_string_equal(out.email, "bo@example.com");
	free(t);
	/* A name the users API would refuse falls back to the email. */
	c = claims();
	json_object_set_new(c, "name", json_string("Ana\x1b[31m"));
	assert_accepted_at(tk_token(&rsa, c), NOW, &out);
	assert_string_equal(out.name, "Ana@Example.com");
	c = claims();
	json_object_set_new(c, "name",
			    json_string("\xe2\x80\xae"
					"anA"));
	assert_accepted_at(tk_token(&rsa, c), NOW, &out);
	assert_string_equal(out.name, "Ana@Example.com");
	c = claims();
	json_object_del(c, "name");
	assert_accepted_at(tk_token(&rsa, c), NOW, &out);
	assert_string_equal(out.name, "Ana@Example.com");
}

static void
test_roles_claim(void **state)
{
	struct prfaq_jwt_policy pol = policy;
	struct prfaq_jwt_claims out;
	char why[PRFAQ_ERROR_DETAIL_MAX];
	json_t *c = claims();
	char *t;

	pol.roles_claim = "groups";
	json_object_set_new(c, "groups",
			    json_pack("[s,s,s,i]", "author", "wizard",
				      "analyst", 7));
	t = tk_token(&rsa, c);
	assert_int_equal(verify_at(t, &pol, NOW, &out, NULL, why), PRFAQ_OK);
	assert_int_equal(out.roles, PRFAQ_ROLE_AUTHOR | PRFAQ_ROLE_ANALYST);
	/* Without the policy's claim the token's roles mean nothing. */
	assert_int_equal(verify_at(t, &policy, NOW, &out, NULL, why), PRFAQ_OK);
	assert_int_equal(out.roles, 0);
	free(t);
	/* Absent: no role at all, not the stored ones (decided by the caller). */
	t = tk_token(&rsa, claims());
	assert_int_equal(verify_at(t, &pol, NOW, &out, NULL, why), PRFAQ_OK);
	assert_int_equal(out.roles, 0);
	free(t);
}

static void
test_malformed_tokens(void **state)
{
	static const char *const bad[] = {
		"",
		"a.b",
		"a.b.c.d",
		"..",
		"!!.e30.e30",
		"e30.e30.",
		"eyJhbGciOiJSUzI1NiJ9",
		"W10.e30.AAAA", /* header [] */
	};
	static const char dup[] =
		"{\"alg\":\"RS256\",\"alg\":\"none\",\"kid\":\"rsa-1\"}";
	json_t *h;
	char *big, *t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(strdup(bad[i]), "the token");
	/* Not JSON in the payload, under a good signature. */
	t = tk_sign(&rsa,
		    json_pack("{s:s, s:s}", "alg", "RS256", "kid", "rsa-1"),
		    json_string("just a string"));
	assert_refused(t, "payload");
	/* A 20 KB header: refused before anything is decoded. */
	big = malloc(20 * 1024 + 1);
	memset(big, 'x', 20 * 1024);
	big[20 * 1024] = '\0';
	h = json_pack("{s:s, s:s, s:s}", "alg", "RS256", "kid", "rsa-1", "x",
		      big);
	free(big);
	assert_refused(tk_sign(&rsa, h, claims()), "too large");
	/* Duplicate members are refused like every JSON this server reads. */
	t = tk_b64url(dup, strlen(dup));
	big = malloc(strlen(t) + 16);
	sprintf(big, "%s.e30.AAAA", t);
	assert_refused(big, "header");
	free(t);
}

static void
test_jwks_filtering(void **state)
{
	struct prfaq_jwks *set = NULL;
	struct prfaq_error err;
	struct tk_key small;
	json_t *doc, *k;
	char *s;

	prfaq_error_init(&err);
	small.pkey = EVP_RSA_gen(1024);
	small.ec = false;
	strcpy(small.kid, "small");
	doc = json_pack("{s:[o,o,o,o,o,o,o,o]}", "keys",
			tk_jwk(&rsa),	/* kept */
			tk_jwk(&ec),	/* kept */
			tk_jwk(&small), /* under 2048 bits */
			json_pack("{s:s, s:s, s:s}", "kty", "oct", "kid", "h",
				  "k", "c2VjcmV0"),
			json_pack("{s:s}", "kty", "RSA"), json_object(),
			json_object(), json_object());
	/* An encryption key, a key without kid, an EC point off the curve. */
	k = tk_jwk(&rsa);
	json_object_set_new(k, "use", json_string("enc"));
	json_array_set_new(json_object_get(doc, "keys"), 5, k);
	k = tk_jwk(&ec);
	json_object_del(k, "kid");
	json_array_set_new(json_object_get(doc, "keys"), 6, k);
	k = tk_jwk(&ec);
	json_object_set_new(k, "kid", json_string("off-curve"));
	json_object_set(k, "y", json_object_get(k, "x"));
	json_array_set_new(json_object_get(doc, "keys"), 7, k);
	s = json_dumps(doc, JSON_COMPACT);
	assert_int_equal(prfaq_jwks_parse(s, strlen(s), &set, &err), PRFAQ_OK);
	assert_int_equal(prfaq_jwks_count(set), 2);
	/* References: the set outlives its first owner while one is held. */
	assert_ptr_equal(prfaq_jwks_ref(set), set);
	prfaq_jwks_unref(set);
	assert_int_equal(prfaq_jwks_count(set), 2);
	prfaq_jwks_unref(set);
	free(s);
	json_decref(doc);
	EVP_PKEY_free(small.pkey);

	set = NULL;
	assert_int_equal(prfaq_jwks_parse("{\"keys\":[]}", 11, &set, &err),
			 PRFAQ_EINVAL);
	assert_null(set);
	assert_non_null(strstr(err.detail, "no usable key"));
	prfaq_error_clear(&err);
	assert_int_equal(prfaq_jwks_parse("{\"kees\":[]}", 11, &set, &err),
			 PRFAQ_EINVAL);
	prfaq_error_clear(&err);
	assert_int_equal(prfaq_jwks_parse("<html>", 6, &set, &err),
			 PRFAQ_EINVAL);
	assert_non_null(strstr(err.detail, "not JSON"));
	prfaq_error_clear(&err);
	assert_null(set);
	prfaq_jwks_unref(NULL);
	assert_int_equal(prfaq_jwks_count(NULL), 0);
}

static void
test_base64url(void **state)
{
	static const struct {
		const char *in, *out;
	} good[] = {
		{ "", "" },	      { "Zg", "f" },
		{ "Zm8", "fo" },      { "Zm9v", "foo" },
		{ "Zm9vYg", "foob" }, { "-_-_", "\xfb\xff\xbf" },
	};
	static const char *const bad[] = { "Z",	   "Zg==", "Zm9v\n",
					   "+/+/", " Zg",  "Zm9vY" };
	size_t n;
	uint8_t *out;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		out = prfaq_jwt_b64url_decode(good[i].in, strlen(good[i].in),
					      &n);
		assert_non_null(out);
		assert_int_equal(n, strlen(good[i].out));
		assert_memory_equal(out, good[i].out, n);
		free(out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(
			prfaq_jwt_b64url_decode(bad[i], strlen(bad[i]), &n));
	assert_true(prfaq_jwt_shaped("a.b.c", 5));
	assert_false(prfaq_jwt_shaped("a.b", 3));
	assert_false(prfaq_jwt_shaped("prfaq_abc", 9));
}

/* A JWT's cache entry ends with the token, even when the TTL is longer. */
static void
test_cache_bounded_by_expiry(void **state)
{
	struct prfaq_auth_cache *c = prfaq_auth_cache_new(60);
	struct prfaq_caller a = { .user_id = "u", .roles = PRFAQ_ROLE_AUTHOR },
			    out;
	uint8_t h[PRFAQ_SHA256_LEN] = { 7 }, h2[PRFAQ_SHA256_LEN] = { 8 };
	uint64_t epoch;

	assert_false(prfaq_auth_cache_get(c, h, &out, &epoch));
	prfaq_auth_cache_put_for(c, h, &a, epoch, 1);
	prfaq_auth_cache_put_for(c, h2, &a, epoch, 0); /* expired already */
	assert_true(prfaq_auth_cache_get(c, h, &out, NULL));
	assert_int_equal(out.roles, PRFAQ_ROLE_AUTHOR);
	assert_false(prfaq_auth_cache_get(c, h2, &out, NULL));
	sleep(1);
	usleep(100000);
	assert_false(prfaq_auth_cache_get(c, h, &out, NULL));
	prfaq_auth_cache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rs256_and_es256_verify),
		cmocka_unit_test(test_algorithms_refused),
		cmocka_unit_test(test_kid_refused),
		cmocka_unit_test(test_bad_signatures_refused),
		cmocka_unit_test(test_es256_der_signature_refused),
		cmocka_unit_test(test_time_claims),
		cmocka_unit_test(test_issuer_and_audience),
		cmocka_unit_test(test_user_claims),
		cmocka_unit_test(test_roles_claim),
		cmocka_unit_test(test_malformed_tokens),
		cmocka_unit_test(test_jwks_filtering),
		cmocka_unit_test(test_base64url),
		cmocka_unit_test(test_cache_bounded_by_expiry),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
