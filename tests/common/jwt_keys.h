/*
 * jwt_keys.h - the tests' own identity provider: keys made with OpenSSL
 * (RSA 2048, EC P-256), their JWKS, and tokens signed with them, including
 * the malformed and hostile ones the server must refuse.  Shared by
 * tests/unit/test_jwt.c and tests/api/test_jwt.c.
 */
#ifndef PRFAQ_TEST_JWT_KEYS_H
#define PRFAQ_TEST_JWT_KEYS_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>

struct tk_key {
	EVP_PKEY *pkey; /* owned */
	bool ec;
	char kid[64];
};

/* A new key (ec: P-256, else RSA 2048) named kid.  0 or -1. */
int tk_key_new(struct tk_key *k, bool ec, const char *kid);
void tk_key_free(struct tk_key *k);

/* The public JWK of k (a new reference): kty, kid, use, alg, n/e or crv/x/y. */
json_t *tk_jwk(const struct tk_key *k);

/* {"keys": [the n keys' JWKs]} as a malloc'd string. */
char *tk_jwks(const struct tk_key *const *keys, size_t n);

/* Unpadded base64url of data (malloc'd). */
char *tk_b64url(const void *data, size_t len);

/*
 * header.payload.signature (malloc'd), signed with k for header's alg
 * (RS256, ES256 as JOSE's raw r||s; HS256 keyed with k's public key PEM,
 * the confusion attack; none: empty signature).  Takes both references.
 */
char *tk_sign(const struct tk_key *k, json_t *header, json_t *payload);

/* The usual token: {"alg": RS256|ES256 by k, "kid": k->kid, "typ": "JWT"}. */
char *tk_token(const struct tk_key *k, json_t *payload);

/* Write s to a new file in dir (template "jwksXXXXXX"); path into out. */
int tk_write_temp(const char *dir, const char *s, char *out, size_t cap);

#endif
