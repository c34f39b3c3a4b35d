/*
 * crypto.h - hashing, randomness and encodings (OpenSSL's libcrypto and
 * getrandom(2) underneath).
 */
#ifndef PRFAQ_CRYPTO_H
#define PRFAQ_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRFAQ_SHA256_LEN 32

void prfaq_sha256(const void *data, size_t len, uint8_t out[PRFAQ_SHA256_LEN]);

/* HMAC-SHA256 of data under key. */
void prfaq_hmac_sha256(const void *key, size_t keylen, const void *data,
		       size_t len, uint8_t out[PRFAQ_SHA256_LEN]);

/* Fill buf with len bytes from the kernel CSPRNG.  0, or -1 (errno set). */
int prfaq_random_bytes(void *buf, size_t len);

/* Lower-case hex of data into out (2*len+1 bytes, NUL-terminated). */
void prfaq_hex(const uint8_t *data, size_t len, char *out);

/* Unpadded base64url of data into out (4*ceil(len/3)+1 bytes); returns length. */
size_t prfaq_base64url(const uint8_t *data, size_t len, char *out);

/* Decode unpadded base64url; returns decoded length, or -1 on bad input. */
long prfaq_base64url_decode(const char *in, size_t len, uint8_t *out,
			    size_t cap);

/*
 * Authenticated encryption (AES-256-GCM) of len bytes under a 32-byte key:
 * out receives nonce, ciphertext and tag, PRFAQ_SEAL_OVERHEAD bytes more
 * than the input.  prfaq_unseal reverses it and fails (-1) when the key is
 * wrong or the data was altered; both return the output length or -1.
 */
#define PRFAQ_SEAL_OVERHEAD (12 + 16)
long prfaq_seal(const uint8_t key[PRFAQ_SHA256_LEN], const void *in, size_t len,
		uint8_t *out);
long prfaq_unseal(const uint8_t key[PRFAQ_SHA256_LEN], const uint8_t *in,
		  size_t len, uint8_t *out);

/* Compare two equal-length buffers in time independent of their contents. */
bool prfaq_ct_equal(const void *a, const void *b, size_t len);

#endif
