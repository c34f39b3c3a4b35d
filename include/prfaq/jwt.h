/*
 * jwt.h - verifying the JSON Web Tokens of an identity provider (RFC 7519),
 * for single sign-on from portals: pure parsing and checks, signatures with
 * OpenSSL's EVP, JSON with Jansson.  No network, no database: the key set
 * comes from the caller (src/auth/jwks.c keeps it fresh), and so does the
 * clock, so every refusal can be unit-tested.
 *
 * Accepted: compact JWS with alg RS256 (RSA of at least 2048 bits) or ES256
 * (P-256), a kid naming a key of the set, and the registered claims iss,
 * aud (a string or an array), exp (required) and nbf, with a clock skew.
 * Never accepted: alg none, the HMAC algorithms (HS256 keyed with the public
 * key is the classic confusion attack), crit header parameters.
 */
#ifndef PRFAQ_JWT_H
#define PRFAQ_JWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prfaq/error.h"

/* Longer bearer values are refused before any decoding. */
#define PRFAQ_JWT_MAX_LEN    8192
/* Largest key set document read from a file or a URL. */
#define PRFAQ_JWKS_MAX_BYTES (1024 * 1024)
#define PRFAQ_JWT_EMAIL_MAX  320
#define PRFAQ_JWT_NAME_MAX   200 /* code points, as for users' names */

/*
 * A parsed JSON Web Key Set: immutable once made, shared by reference
 * between the refresher and the request threads (an atomic count), so a
 * refresh swaps in a new set while requests finish with the old one.
 */
struct prfaq_jwks;

/*
 * Parse a JWKS document (json[0..len)).  Keys are kept when they have a kid,
 * no "use" other than "sig", no "alg" other than the one their type allows,
 * and are RSA (n, e; 2048 bits or more) or EC P-256 (x, y on the curve);
 * others are skipped.  On success *out is a new set (one reference, the
 * caller's); a document with no usable key is an error (PRFAQ_EINVAL, with
 * the reason in err), *out untouched.
 */
prfaq_code prfaq_jwks_parse(const char *json, size_t len,
			    struct prfaq_jwks **out, struct prfaq_error *err);

/* Take one more reference (NULL-safe; returns keys). */
struct prfaq_jwks *prfaq_jwks_ref(struct prfaq_jwks *keys);
/* Drop one reference; the last one frees the set.  NULL-safe. */
void prfaq_jwks_unref(struct prfaq_jwks *keys);
/* Number of usable keys in the set (0 for NULL). */
size_t prfaq_jwks_count(const struct prfaq_jwks *keys);

/* What a token must say, and which claims carry the user. Borrowed strings. */
struct prfaq_jwt_policy {
	const char *issuer;	 /* exact match of iss */
	const char *audience;	 /* aud equals it or contains it */
	const char *email_claim; /* e.g. "email" */
	const char *roles_claim; /* NULL or "": roles come from the database */
	unsigned skew_s;	 /* leeway for exp and nbf */
};

/* What a verified token says about its user. */
struct prfaq_jwt_claims {
	char email[PRFAQ_JWT_EMAIL_MAX + 1];
	/* The name claim when it makes a valid user name, else the email. */
	char name[4 * PRFAQ_JWT_NAME_MAX + 1];
	int64_t exp; /* seconds since the epoch */
	/*
	 * With a roles claim in the policy: the known role names it lists (an
	 * absent claim lists none); unknown names are ignored.
	 */
	unsigned roles;
};

/*
 * Verify token[0..len) against keys (NULL: an empty set) and policy at time
 * now (seconds since the epoch).  PRFAQ_OK fills *out; otherwise
 * PRFAQ_EAUTH with a short, constant description in err (fit for an RFC 6750
 * error_description: nothing of the token is echoed) and *out untouched.
 * *kid_unknown (may be NULL) is set true when the only fault found is a kid
 * that the set does not hold: the set may be stale.
 */
prfaq_code prfaq_jwt_verify(const char *token, size_t len,
			    const struct prfaq_jwks *keys,
			    const struct prfaq_jwt_policy *policy, int64_t now,
			    struct prfaq_jwt_claims *out, bool *kid_unknown,
			    struct prfaq_error *err);

/* Does token[0..len) have the shape of a compact JWS (exactly two dots)? */
bool prfaq_jwt_shaped(const char *token, size_t len);

/*
 * Decode unpadded base64url (the JOSE alphabet, RFC 7515 section 2) with
 * OpenSSL's EVP_DecodeBlock.  Returns a new buffer (free() it) of *outlen
 * bytes plus a NUL, or NULL for anything but base64url (padding, '+', '/',
 * whitespace, an impossible length).
 */
uint8_t *prfaq_jwt_b64url_decode(const char *in, size_t len, size_t *outlen);

#endif
