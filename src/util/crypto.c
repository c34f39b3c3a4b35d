/*
 * crypto.c - see prfaq/crypto.h.
 */
#include "prfaq/crypto.h"

#include <errno.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/random.h>

void
prfaq_sha256(const void *data, size_t len, uint8_t out[PRFAQ_SHA256_LEN])
{
	unsigned int n = PRFAQ_SHA256_LEN;

	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

void
prfaq_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
		  uint8_t out[PRFAQ_SHA256_LEN])
{
	unsigned int n = PRFAQ_SHA256_LEN;

	HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &n);
}

int
prfaq_random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void
prfaq_hex(const uint8_t *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * len] = '\0';
}

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
prfaq_base64url(const uint8_t *data, size_t len, char *out)
{
	size_t o = 0, i = 0;

	for (; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 |
			     data[i + 2];

		out[o++] = b64url[v >> 18];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
		out[o++] = b64url[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)data[i] << 16;

		out[o++] = b64url[v >> 18];
		out[o++] = b64url[(v >> 12) & 63];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8;

		out[o++] = b64url[v >> 18];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
	}
	out[o] = '\0';
	return o;
}

static int
b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

long
prfaq_base64url_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	size_t o = 0;
	int bits = 0;

	if (len % 4 == 1)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int v = b64url_value(in[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == cap)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero, or two encodings would decode alike. */
	if ((acc & ((1u << bits) - 1)) != 0)
		return -1;
	return (long)o;
}

#define SEAL_NONCE 12
#define SEAL_TAG 16

long
prfaq_seal(const uint8_t key[PRFAQ_SHA256_LEN], const void *in, size_t len,
	   uint8_t *out)
{
	EVP_CIPHER_CTX *ctx;
	int n = 0, m = 0;
	long rc = -1;

	if (len > INT_MAX - PRFAQ_SEAL_OVERHEAD ||
	    prfaq_random_bytes(out, SEAL_NONCE) != 0 ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, out) == 1 &&
	    EVP_EncryptUpdate(ctx, out + SEAL_NONCE, &n, in, (int)len) == 1 &&
	    EVP_EncryptFinal_ex(ctx, out + SEAL_NONCE + n, &m) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SEAL_TAG,
				out + SEAL_NONCE + n + m) == 1)
		rc = SEAL_NONCE + n + m + SEAL_TAG;
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

long
prfaq_unseal(const uint8_t key[PRFAQ_SHA256_LEN], const uint8_t *in, size_t len,
	     uint8_t *out)
{
	EVP_CIPHER_CTX *ctx;
	int n = 0, m = 0;
	long rc = -1;

	if (len < PRFAQ_SEAL_OVERHEAD || len > INT_MAX ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, in) == 1 &&
	    EVP_DecryptUpdate(ctx, out, &n, in + SEAL_NONCE,
			      (int)(len - PRFAQ_SEAL_OVERHEAD)) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SEAL_TAG,
				(void *)(in + len - SEAL_TAG)) == 1 &&
	    EVP_DecryptFinal_ex(ctx, out + n, &m) == 1)
		rc = n + m;
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

bool
prfaq_ct_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
