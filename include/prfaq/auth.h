/*
 * auth.h - callers, roles and the token cache.
 *
 * A token is "prfaq_" followed by 43 base64url characters (32 random bytes).
 * The database keeps only its SHA-256; so does the cache, which answers most
 * requests without a query.  A cached entry lives at most ttl seconds, which
 * bounds how long a token revoked on another instance keeps working; the
 * instance that revokes a token evicts it at once.
 */
#ifndef PRFAQ_AUTH_H
#define PRFAQ_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "prfaq/crypto.h"
#include "prfaq/error.h"

#define PRFAQ_TOKEN_PREFIX "prfaq_"
#define PRFAQ_TOKEN_BYTES  32
/* prefix + base64url(32 bytes) + NUL */
#define PRFAQ_TOKEN_LEN	   (sizeof(PRFAQ_TOKEN_PREFIX) - 1 + 43)
#define PRFAQ_UUID_LEN	   36

enum prfaq_role {
	PRFAQ_ROLE_ADMIN = 1u << 0,
	PRFAQ_ROLE_AUTHOR = 1u << 1,
	PRFAQ_ROLE_REVIEWER = 1u << 2,
	PRFAQ_ROLE_APPROVER = 1u << 3,
	PRFAQ_ROLE_ANALYST = 1u << 4,
};

struct prfaq_idem_claim;

struct prfaq_caller {
	char user_id[PRFAQ_UUID_LEN + 1];
	char token_id[PRFAQ_UUID_LEN + 1]; /* "" for a JWT */
	unsigned roles;			   /* enum prfaq_role bits */
	/*
	 * The request's claim on its Idempotency-Key (prfaq/store.h), or NULL:
	 * a creating write commits only while the claim is still its own.
	 * Borrowed from the request; never cached.
	 */
	const struct prfaq_idem_claim *idem;
};

/* "admin" -> PRFAQ_ROLE_ADMIN; 0 when unknown. */
unsigned prfaq_role_parse(const char *name);
const char *prfaq_role_name(enum prfaq_role role);

/*
 * Make a new token: text (PRFAQ_TOKEN_LEN + 1 bytes) and its hash.
 * 0, or -1 if the kernel gave no randomness.
 */
int prfaq_token_generate(char *text, uint8_t hash[PRFAQ_SHA256_LEN]);

/* Hash of a presented token (any string). */
void prfaq_token_hash(const char *text, uint8_t hash[PRFAQ_SHA256_LEN]);

/*
 * Could text (n bytes) be a token prfaq_token_generate made: the prefix,
 * then exactly the base64url characters of its secret?  Anything else is
 * refused without asking the database.
 */
bool prfaq_token_well_formed(const char *text, size_t n);

/* Is s a syntactically valid UUID (8-4-4-4-12 hex)? */
bool prfaq_uuid_valid(const char *s);

struct prfaq_auth_cache;

struct prfaq_auth_cache *prfaq_auth_cache_new(unsigned ttl_s);
void prfaq_auth_cache_free(struct prfaq_auth_cache *cache);

/*
 * Copy a live entry for hash into *out; false when absent or expired.  On a
 * miss, *epoch (if not NULL) receives the cache's eviction epoch, to hand to
 * prfaq_auth_cache_put once the database has answered.
 */
bool prfaq_auth_cache_get(struct prfaq_auth_cache *cache,
			  const uint8_t hash[PRFAQ_SHA256_LEN],
			  struct prfaq_caller *out, uint64_t *epoch);
/*
 * Remember a caller resolved from the database, unless a token was evicted
 * since the lookup that returned epoch: that answer may predate the
 * revocation, and caching it would bring the revoked token back.
 */
void prfaq_auth_cache_put(struct prfaq_auth_cache *cache,
			  const uint8_t hash[PRFAQ_SHA256_LEN],
			  const struct prfaq_caller *caller, uint64_t epoch);
/*
 * The same, for an entry that must not outlive max_s seconds either (a
 * JWT's remaining validity): it lives min(ttl, max_s).
 */
void prfaq_auth_cache_put_for(struct prfaq_auth_cache *cache,
			      const uint8_t hash[PRFAQ_SHA256_LEN],
			      const struct prfaq_caller *caller, uint64_t epoch,
			      unsigned max_s);
/* Forget every entry of a token (by id), and start a new epoch. */
void prfaq_auth_cache_evict_token(struct prfaq_auth_cache *cache,
				  const char *token_id);
/*
 * Forget every entry of a user (by id, in any case), opaque tokens and JWTs
 * alike, and start a new epoch.
 */
void prfaq_auth_cache_evict_user(struct prfaq_auth_cache *cache,
				 const char *user_id);

#endif
