/*
 * jwt.c - JWKS parsing and JWT verification (see prfaq/jwt.h).
 *
 * OpenSSL does the cryptography and the encodings it knows: base64 through
 * EVP_DecodeBlock (after translating base64url's two letters), keys through
 * EVP_PKEY_fromdata (OpenSSL 3's parameter API, no deprecated RSA/EC_KEY
 * calls), ES256's raw r||s signature into the DER that EVP expects through
 * ECDSA_SIG.  Jansson parses the JSON.  What is left here is the policy.
 */
#include "prfaq/alloc.h"
#include "prfaq/jwt.h"

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/auth.h"
#include "prfaq/utf8.h"

#define JWKS_MAX_KEYS 64
#define KID_MAX	      255
#define RSA_MIN_BITS  2048
#define P256_BYTES    32

enum key_type { KEY_RSA, KEY_EC };

struct jwk {
	char kid[KID_MAX + 1];
	enum key_type type;
	EVP_PKEY *pkey;
};

struct prfaq_jwks {
	atomic_uint refs;
	size_t n;
	struct jwk keys[];
};

bool
prfaq_jwt_shaped(const char *token, size_t len)
{
	size_t dots = 0;

	for (size_t i = 0; i < len; i++)
		dots += token[i] == '.';
	return dots == 2;
}

/*
 * EVP_DecodeBlock speaks standard base64 with padding and forgives
 * whitespace and '+' '/'; base64url has none of those.  So: refuse any byte
 * outside the base64url alphabet, translate, pad, decode, and take off what
 * the padding added to the count.
 */
uint8_t *
prfaq_jwt_b64url_decode(const char *in, size_t len, size_t *outlen)
{
	size_t pad = (4 - len % 4) % 4, n = len + pad;
	unsigned char *std = NULL;
	uint8_t *out = NULL;
	int got;

	if (len % 4 == 1 || n > INT32_MAX)
		return NULL;
	std = prfaq_malloc(n + 1);
	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			   (c >= '0' && c <= '9')))
			goto out;
		std[i] = (unsigned char)c;
	}
	memset(std + len, '=', pad);
	std[n] = '\0';
	out = prfaq_malloc(n / 4 * 3 + 1);
	got = EVP_DecodeBlock(out, std, (int)n);
	if (got < 0 || (size_t)got < pad) {
		free(out);
		out = NULL;
		goto out;
	}
	*outlen = (size_t)got - pad;
	out[*outlen] = '\0';
out:
	free(std);
	return out;
}

/* A base64url member of a JWK decoded into a new BIGNUM; NULL if absent or bad. */
static BIGNUM *
jwk_bignum(const json_t *jwk, const char *member, size_t want_len)
{
	const json_t *v = json_object_get(jwk, member);
	size_t n = 0;
	uint8_t *raw;
	BIGNUM *bn = NULL;

	if (!json_is_string(v))
		return NULL;
	raw = prfaq_jwt_b64url_decode(json_string_value(v),
				      json_string_length(v), &n);
	if (raw != NULL && n > 0 && (want_len == 0 || n == want_len))
		bn = BN_bin2bn(raw, (int)n, NULL);
	free(raw);
	return bn;
}

/*
 * EVP_PKEY from the public parameters in bld (RSA or EC), checked by
 * OpenSSL (an EC point must be on the curve).  NULL when OpenSSL refuses.
 */
static EVP_PKEY *
pkey_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = NULL, *check = NULL;
	EVP_PKEY *pkey = NULL;

	if (params == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	if ((check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL ||
	    EVP_PKEY_public_check(check) != 1) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
out:
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

static EVP_PKEY *
rsa_key(const json_t *jwk)
{
	BIGNUM *n = jwk_bignum(jwk, "n", 0), *e = jwk_bignum(jwk, "e", 0);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *pkey = NULL;

	if (n == NULL || e == NULL || bld == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1)
		goto out;
	pkey = pkey_from_params("RSA", bld);
	if (pkey != NULL && EVP_PKEY_get_bits(pkey) < RSA_MIN_BITS) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pkey;
}

static EVP_PKEY *
ec_key(const json_t *jwk)
{
	const json_t *crv = json_object_get(jwk, "crv"), *x, *y;
	uint8_t *xr = NULL, *yr = NULL, point[1 + 2 * P256_BYTES];
	size_t xn = 0, yn = 0;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;

	x = json_object_get(jwk, "x");
	y = json_object_get(jwk, "y");
	if (!json_is_string(crv) ||
	    strcmp(json_string_value(crv), "P-256") != 0 ||
	    !json_is_string(x) || !json_is_string(y))
		return NULL;
	xr = prfaq_jwt_b64url_decode(json_string_value(x),
				     json_string_length(x), &xn);
	yr = prfaq_jwt_b64url_decode(json_string_value(y),
				     json_string_length(y), &yn);
	if (xr == NULL || yr == NULL || xn != P256_BYTES || yn != P256_BYTES)
		goto out;
	/* The uncompressed SEC 1 point: 0x04 || x || y. */
	point[0] = 0x04;
	memcpy(point + 1, xr, P256_BYTES);
	memcpy(point + 1 + P256_BYTES, yr, P256_BYTES);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    "P-256", 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     point, sizeof(point)) != 1)
		goto out;
	pkey = pkey_from_params("EC", bld);
out:
	OSSL_PARAM_BLD_free(bld);
	free(xr);
	free(yr);
	return pkey;
}

/*
 * One member of "keys" into *k; false (and nothing allocated) for a key
 * this server cannot or must not use for signatures.
 */
static bool
jwk_load(const json_t *jwk, struct jwk *k)
{
	const json_t *kty = json_object_get(jwk, "kty");
	const json_t *kid = json_object_get(jwk, "kid");
	const json_t *use = json_object_get(jwk, "use");
	const json_t *alg = json_object_get(jwk, "alg");
	const char *want_alg;

	if (!json_is_object(jwk) || !json_is_string(kty) ||
	    !json_is_string(kid) || json_string_length(kid) == 0 ||
	    json_string_length(kid) > KID_MAX ||
	    strlen(json_string_value(kid)) != json_string_length(kid))
		return false;
	if (use != NULL && (!json_is_string(use) ||
			    strcmp(json_string_value(use), "sig") != 0))
		return false;
	if (strcmp(json_string_value(kty), "RSA") == 0) {
		k->type = KEY_RSA;
		want_alg = "RS256";
	} else if (strcmp(json_string_value(kty), "EC") == 0) {
		k->type = KEY_EC;
		want_alg = "ES256";
	} else {
		return false;
	}
	if (alg != NULL && (!json_is_string(alg) ||
			    strcmp(json_string_value(alg), want_alg) != 0))
		return false;
	k->pkey = k->type == KEY_RSA ? rsa_key(jwk) : ec_key(jwk);
	if (k->pkey == NULL)
		return false;
	memcpy(k->kid, json_string_value(kid), json_string_length(kid) + 1);
	return true;
}

prfaq_code
prfaq_jwks_parse(const char *json, size_t len, struct prfaq_jwks **out,
		 struct prfaq_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *keys = json_object_get(doc, "keys"), *jwk;
	struct prfaq_jwks *set = NULL;
	prfaq_code rc = PRFAQ_OK;
	size_t i;

	if (doc == NULL) {
		rc = prfaq_error_set(err, PRFAQ_EINVAL,
				     "the key set is not JSON (line %d: %s)",
				     jerr.line, jerr.text);
		goto out;
	}
	if (!json_is_array(keys)) {
		rc = prfaq_error_set(err, PRFAQ_EINVAL,
				     "the key set has no \"keys\" array");
		goto out;
	}
	if (json_array_size(keys) > JWKS_MAX_KEYS) {
		rc = prfaq_error_set(err, PRFAQ_EINVAL,
				     "the key set has more than %d keys",
				     JWKS_MAX_KEYS);
		goto out;
	}
	set = prfaq_calloc(1, sizeof(*set) + json_array_size(keys) *
						     sizeof(set->keys[0]));
	atomic_init(&set->refs, 1);
	json_array_foreach(keys, i, jwk) {
		if (jwk_load(jwk, &set->keys[set->n]))
			set->n++;
	}
	if (set->n == 0)
		rc = prfaq_error_set(
			err, PRFAQ_EINVAL,
			"the key set has no usable key (RSA of 2048 "
			"bits or more, or EC P-256, each with a kid)");
out:
	json_decref(doc);
	if (rc == PRFAQ_OK)
		*out = set;
	else
		prfaq_jwks_unref(set);
	return rc;
}

struct prfaq_jwks *
prfaq_jwks_ref(struct prfaq_jwks *keys)
{
	if (keys != NULL)
		atomic_fetch_add_explicit(&keys->refs, 1, memory_order_relaxed);
	return keys;
}

void
prfaq_jwks_unref(struct prfaq_jwks *keys)
{
	if (keys == NULL || atomic_fetch_sub_explicit(
				    &keys->refs, 1, memory_order_acq_rel) != 1)
		return;
	for (size_t i = 0; i < keys->n; i++)
		EVP_PKEY_free(keys->keys[i].pkey);
	free(keys);
}

size_t
prfaq_jwks_count(const struct prfaq_jwks *keys)
{
	return keys != NULL ? keys->n : 0;
}

static const struct jwk *
jwks_find(const struct prfaq_jwks *keys, const char *kid)
{
	for (size_t i = 0; keys != NULL && i < keys->n; i++)
		if (strcmp(keys->keys[i].kid, kid) == 0)
			return &keys->keys[i];
	return NULL;
}

/*
 * Check sig over input with key, SHA-256.  ES256 signatures are the raw
 * 32-byte r and s (RFC 7518 section 3.4); EVP wants them DER-encoded.
 */
static bool
signature_ok(const struct jwk *key, const char *input, size_t inlen,
	     const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX *md = NULL;
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	unsigned char *der = NULL;
	bool ok = false;

	if (key->type == KEY_EC) {
		int derlen;

		if (siglen != 2 * P256_BYTES)
			goto out;
		r = BN_bin2bn(sig, P256_BYTES, NULL);
		s = BN_bin2bn(sig + P256_BYTES, P256_BYTES, NULL);
		if (r == NULL || s == NULL || (es = ECDSA_SIG_new()) == NULL ||
		    ECDSA_SIG_set0(es, r, s) != 1)
			goto out;
		r = s = NULL; /* es owns them now */
		if ((derlen = i2d_ECDSA_SIG(es, &der)) <= 0)
			goto out;
		sig = der;
		siglen = (size_t)derlen;
	}
	ok = (md = EVP_MD_CTX_new()) != NULL &&
	     EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, key->pkey,
				     NULL) == 1 &&
	     EVP_DigestVerify(md, sig, siglen, (const unsigned char *)input,
			      inlen) == 1;
out:
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	BN_free(r);
	BN_free(s);
	return ok;
}

/* One base64url part of the token as a JSON object (new reference), or NULL. */
static json_t *
part_json(const char *part, size_t len)
{
	size_t n = 0;
	uint8_t *raw = prfaq_jwt_b64url_decode(part, len, &n);
	json_t *v = NULL;

	if (raw != NULL)
		v = json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES,
			       NULL);
	free(raw);
	if (v != NULL && !json_is_object(v)) {
		json_decref(v);
		v = NULL;
	}
	return v;
}

static bool
audience_ok(const json_t *aud, const char *want)
{
	const json_t *v;
	size_t i;

	if (json_is_string(aud))
		return strcmp(json_string_value(aud), want) == 0;
	json_array_foreach(aud, i, v)
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), want) == 0)
			return true;
	return false;
}

/* C0, DEL, C1, and the bidirectional overrides and isolates. */
static bool
name_char_refused(const unsigned char *p)
{
	if (p[0] < 0x20 || p[0] == 0x7f)
		return true;
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return true;
	if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
		return true;
	return p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9;
}

/* A name the users API would accept: 1..200 code points, no control or bidi. */
static bool
name_acceptable(const char *s, size_t len)
{
	size_t cps = prfaq_utf8_length(s, len);

	if (len == 0 || cps > PRFAQ_JWT_NAME_MAX || strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (name_char_refused((const unsigned char *)s + i))
			return false;
	return true;
}

static bool
email_acceptable(const char *s, size_t len)
{
	const char *at = strchr(s, '@');

	if (len < 3 || len > PRFAQ_JWT_EMAIL_MAX || strlen(s) != len ||
	    at == NULL || at == s || at[1] == '\0')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* The user-facing claims of a verified payload into out; false if unusable. */
static prfaq_code
claims_fill(const json_t *payload, const struct prfaq_jwt_policy *pol,
	    struct prfaq_jwt_claims *out, struct prfaq_error *err)
{
	const json_t *email = json_object_get(payload, pol->email_claim);
	const json_t *name = json_object_get(payload, "name");
	const json_t *roles, *r;
	size_t i;

	if (!json_is_string(email) ||
	    !email_acceptable(json_string_value(email),
			      json_string_length(email)))
		return prfaq_error_set(err, PRFAQ_EAUTH,
				       "the token carries no email address in "
				       "the configured email claim");
	memcpy(out->email, json_string_value(email),
	       json_string_length(email) + 1);
	if (json_is_string(name) &&
	    name_acceptable(json_string_value(name), json_string_length(name)))
		memcpy(out->name, json_string_value(name),
		       json_string_length(name) + 1);
	else
		memcpy(out->name, out->email, sizeof(out->email));
	out->roles = 0;
	if (pol->roles_claim != NULL && pol->roles_claim[0] != '\0') {
		roles = json_object_get(payload, pol->roles_claim);
		if (json_is_string(roles))
			out->roles = prfaq_role_parse(json_string_value(roles));
		json_array_foreach(roles, i, r) {
			if (json_is_string(r))
				out->roles |=
					prfaq_role_parse(json_string_value(r));
		}
	}
	return PRFAQ_OK;
}

/*
 * See jwt.h.  Over 100 lines on purpose: the checks run in the one order that
 * is safe (size, header, alg, kid, signature, and only then the claims), and
 * reading them top to bottom is how a reviewer confirms that no claim is
 * trusted before the signature is.
 */
prfaq_code
prfaq_jwt_verify(const char *token, size_t len, const struct prfaq_jwks *keys,
		 const struct prfaq_jwt_policy *pol, int64_t now,
		 struct prfaq_jwt_claims *out, bool *kid_unknown,
		 struct prfaq_error *err)
{
	const char *dot1, *dot2, *alg, *kid;
	json_t *header = NULL, *payload = NULL;
	const json_t *v, *exp, *nbf;
	const struct jwk *key;
	struct prfaq_jwt_claims claims;
	uint8_t *sig = NULL;
	size_t siglen = 0;
	prfaq_code rc = PRFAQ_EAUTH;
	const char *why;

	if (kid_unknown != NULL)
		*kid_unknown = false;
	if (len > PRFAQ_JWT_MAX_LEN) {
		why = "the token is too large";
		goto refuse;
	}
	dot1 = memchr(token, '.', len);
	dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token)) :
		      NULL;
	if (dot2 == NULL ||
	    memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - token))) {
		why = "the token is not a compact JWS (header.payload.signature)";
		goto refuse;
	}
	if ((header = part_json(token, (size_t)(dot1 - token))) == NULL) {
		why = "the token header is not base64url-encoded JSON";
		goto refuse;
	}
	v = json_object_get(header, "alg");
	alg = json_is_string(v) ? json_string_value(v) : "";
	if (strcmp(alg, "none") == 0) {
		why = "unsigned tokens (alg none) are not accepted";
		goto refuse;
	}
	if (strncmp(alg, "HS", 2) == 0) {
		why = "HMAC-signed tokens (alg HS256 and the like) are not accepted";
		goto refuse;
	}
	if (strcmp(alg, "RS256") != 0 && strcmp(alg, "ES256") != 0) {
		why = "the token alg must be RS256 or ES256";
		goto refuse;
	}
	if (json_object_get(header, "crit") != NULL) {
		why = "crit header parameters are not supported";
		goto refuse;
	}
	v = json_object_get(header, "kid");
	if (!json_is_string(v)) {
		why = "the token header has no kid";
		goto refuse;
	}
	kid = json_string_value(v);
	if ((key = jwks_find(keys, kid)) == NULL) {
		if (kid_unknown != NULL)
			*kid_unknown = true;
		why = "the token kid is not in the key set";
		goto refuse;
	}
	if ((key->type == KEY_RSA) != (strcmp(alg, "RS256") == 0)) {
		why = "the token alg does not match its key";
		goto refuse;
	}
	sig = prfaq_jwt_b64url_decode(
		dot2 + 1, len - (size_t)(dot2 + 1 - token), &siglen);
	if (sig == NULL ||
	    !signature_ok(key, token, (size_t)(dot2 - token), sig, siglen)) {
		why = "the token signature does not verify";
		goto refuse;
	}
	/* Signed by the identity provider: now its claims mean something. */
	if ((payload = part_json(dot1 + 1, (size_t)(dot2 - dot1 - 1))) ==
	    NULL) {
		why = "the token payload is not base64url-encoded JSON";
		goto refuse;
	}
	v = json_object_get(payload, "iss");
	if (!json_is_string(v) ||
	    strcmp(json_string_value(v), pol->issuer) != 0) {
		why = "the token issuer (iss) is not the configured one";
		goto refuse;
	}
	if (!audience_ok(json_object_get(payload, "aud"), pol->audience)) {
		why = "the token audience (aud) is not this service";
		goto refuse;
	}
	exp = json_object_get(payload, "exp");
	if (!json_is_number(exp)) {
		why = "the token has no expiry (exp)";
		goto refuse;
	}
	if ((double)now >= json_number_value(exp) + (double)pol->skew_s) {
		why = "the token has expired";
		goto refuse;
	}
	nbf = json_object_get(payload, "nbf");
	if (nbf != NULL &&
	    (!json_is_number(nbf) ||
	     (double)now + (double)pol->skew_s < json_number_value(nbf))) {
		why = "the token is not valid yet (nbf)";
		goto refuse;
	}
	memset(&claims, 0, sizeof(claims));
	/* Far beyond any clock: kept in range for the cast (year 128,000). */
	claims.exp = json_number_value(exp) > 4e12 ?
			     (int64_t)4e12 :
			     (int64_t)json_number_value(exp);
	if ((rc = claims_fill(payload, pol, &claims, err)) == PRFAQ_OK)
		*out = claims;
	goto out;
refuse:
	rc = prfaq_error_set(err, PRFAQ_EAUTH, "%s", why);
out:
	free(sig);
	json_decref(header);
	json_decref(payload);
	return rc;
}
