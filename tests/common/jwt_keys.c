/*
 * jwt_keys.c - see jwt_keys.h.
 */
#include "jwt_keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prfaq/crypto.h"

int
tk_key_new(struct tk_key *k, bool ec, const char *kid)
{
	memset(k, 0, sizeof(*k));
	k->ec = ec;
	snprintf(k->kid, sizeof(k->kid), "%s", kid);
	k->pkey = ec ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
	return k->pkey != NULL ? 0 : -1;
}

void
tk_key_free(struct tk_key *k)
{
	EVP_PKEY_free(k->pkey);
	k->pkey = NULL;
}

char *
tk_b64url(const void *data, size_t len)
{
	char *out = malloc(4 * (len / 3 + 1) + 1);

	if (out != NULL)
		prfaq_base64url(data, len, out);
	return out;
}

/* A BIGNUM parameter of k, big-endian in exactly pad bytes (0: its own size). */
static json_t *
bn_member(const struct tk_key *k, const char *param, int pad)
{
	BIGNUM *bn = NULL;
	unsigned char buf[512];
	int n;
	char *s;
	json_t *v = NULL;

	if (EVP_PKEY_get_bn_param(k->pkey, param, &bn) != 1)
		return NULL;
	n = pad ? BN_bn2binpad(bn, buf, pad) : BN_bn2bin(bn, buf);
	BN_free(bn);
	if (n <= 0 || (s = tk_b64url(buf, (size_t)n)) == NULL)
		return NULL;
	v = json_string(s);
	free(s);
	return v;
}

json_t *
tk_jwk(const struct tk_key *k)
{
	if (k->ec)
		return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "kty",
				 "EC", "kid", k->kid, "use", "sig", "alg",
				 "ES256", "crv", "P-256", "x",
				 bn_member(k, OSSL_PKEY_PARAM_EC_PUB_X, 32),
				 "y",
				 bn_member(k, OSSL_PKEY_PARAM_EC_PUB_Y, 32));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "kty", "RSA", "kid",
			 k->kid, "use", "sig", "alg", "RS256", "n",
			 bn_member(k, OSSL_PKEY_PARAM_RSA_N, 0), "e",
			 bn_member(k, OSSL_PKEY_PARAM_RSA_E, 0));
}

char *
tk_jwks(const struct tk_key *const *keys, size_t n)
{
	json_t *arr = json_array(), *doc;
	char *s;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, tk_jwk(keys[i]));
	doc = json_pack("{s:o}", "keys", arr);
	s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return s;
}

static char *
b64_json(json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY), *out;

	if (text == NULL)
		return NULL;
	out = tk_b64url(text, strlen(text));
	free(text);
	return out;
}

/* The signature of input under k, as JWS wants it (malloc'd, *len). */
static unsigned char *
sign_raw(const struct tk_key *k, const char *input, size_t *len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL, *out = NULL;
	size_t n = 0;

	if (md == NULL ||
	    EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, k->pkey,
				  NULL) != 1 ||
	    EVP_DigestSign(md, NULL, &n, (const unsigned char *)input,
			   strlen(input)) != 1 ||
	    (der = malloc(n)) == NULL ||
	    EVP_DigestSign(md, der, &n, (const unsigned char *)input,
			   strlen(input)) != 1)
		goto out;
	if (!k->ec) {
		out = der;
		der = NULL;
		*len = n;
	} else {
		/* EVP gives DER; JWS wants r and s, 32 bytes each. */
		const unsigned char *p = der;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)n);

		if (es != NULL && (out = malloc(64)) != NULL) {
			BN_bn2binpad(ECDSA_SIG_get0_r(es), out, 32);
			BN_bn2binpad(ECDSA_SIG_get0_s(es), out + 32, 32);
			*len = 64;
		}
		ECDSA_SIG_free(es);
	}
out:
	free(der);
	EVP_MD_CTX_free(md);
	return out;
}

char *
tk_sign(const struct tk_key *k, json_t *header, json_t *payload)
{
	const char *alg = json_string_value(json_object_get(header, "alg"));
	char *h = b64_json(header), *p = b64_json(payload), *input = NULL;
	char *sig = NULL, *out = NULL;
	unsigned char *raw = NULL;
	size_t rawlen = 0;

	if (h == NULL || p == NULL ||
	    (input = malloc(strlen(h) + strlen(p) + 2)) == NULL)
		goto out;
	sprintf(input, "%s.%s", h, p);
	if (alg != NULL && strcmp(alg, "none") == 0) {
		sig = strdup("");
	} else if (alg != NULL && strncmp(alg, "HS", 2) == 0) {
		/* The confusion attack: the public key's PEM as the HMAC secret. */
		BIO *bio = BIO_new(BIO_s_mem());
		char *pem = NULL;
		long pemlen;
		uint8_t mac[PRFAQ_SHA256_LEN];

		if (bio != NULL && PEM_write_bio_PUBKEY(bio, k->pkey) == 1 &&
		    (pemlen = BIO_get_mem_data(bio, &pem)) > 0) {
			prfaq_hmac_sha256(pem, (size_t)pemlen, input,
					  strlen(input), mac);
			sig = tk_b64url(mac, sizeof(mac));
		}
		BIO_free(bio);
	} else if ((raw = sign_raw(k, input, &rawlen)) != NULL) {
		sig = tk_b64url(raw, rawlen);
	}
	if (sig != NULL &&
	    (out = malloc(strlen(input) + strlen(sig) + 2)) != NULL)
		sprintf(out, "%s.%s", input, sig);
out:
	json_decref(header); /* alg pointed into it */
	json_decref(payload);
	free(h);
	free(p);
	free(input);
	free(sig);
	free(raw);
	return out;
}

char *
tk_token(const struct tk_key *k, json_t *payload)
{
	return tk_sign(k,
		       json_pack("{s:s, s:s, s:s}", "alg",
				 k->ec ? "ES256" : "RS256", "kid", k->kid,
				 "typ", "JWT"),
		       payload);
}

int
tk_write_temp(const char *dir, const char *s, char *out, size_t cap)
{
	FILE *f;
	int fd;

	snprintf(out, cap, "%s/jwksXXXXXX", dir);
	if ((fd = mkstemp(out)) < 0)
		return -1;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return -1;
	}
	fputs(s, f);
	return fclose(f) == 0 ? 0 : -1;
}
