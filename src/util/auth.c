/*
 * auth.c - roles, tokens and the token cache (see prfaq/auth.h).
 *
 * The cache is a small open-addressing table keyed by token hash, under one
 * mutex: a lookup is a few compares, far cheaper than the database round trip
 * it saves.  It never holds a token in clear, only its SHA-256.
 */
#include "prfaq/alloc.h"
#include "prfaq/auth.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define CACHE_SLOTS 1024 /* power of two */
#define CACHE_PROBE 8

static const struct {
	enum prfaq_role role;
	const char *name;
} roles[] = {
	{ PRFAQ_ROLE_ADMIN, "admin" },
	{ PRFAQ_ROLE_AUTHOR, "author" },
	{ PRFAQ_ROLE_REVIEWER, "reviewer" },
	{ PRFAQ_ROLE_APPROVER, "approver" },
	{ PRFAQ_ROLE_ANALYST, "analyst" },
};

unsigned
prfaq_role_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(name, roles[i].name) == 0)
			return roles[i].role;
	return 0;
}

const char *
prfaq_role_name(enum prfaq_role role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == role)
			return roles[i].name;
	return NULL;
}

int
prfaq_token_generate(char *text, uint8_t hash[PRFAQ_SHA256_LEN])
{
	uint8_t raw[PRFAQ_TOKEN_BYTES];
	size_t n = strlen(PRFAQ_TOKEN_PREFIX);

	if (prfaq_random_bytes(raw, sizeof(raw)) != 0)
		return -1;
	memcpy(text, PRFAQ_TOKEN_PREFIX, n);
	prfaq_base64url(raw, sizeof(raw), text + n);
	prfaq_token_hash(text, hash);
	memset(raw, 0, sizeof(raw));
	return 0;
}

void
prfaq_token_hash(const char *text, uint8_t hash[PRFAQ_SHA256_LEN])
{
	prfaq_sha256(text, strlen(text), hash);
}

bool
prfaq_token_well_formed(const char *text, size_t n)
{
	size_t plen = strlen(PRFAQ_TOKEN_PREFIX);

	if (n != PRFAQ_TOKEN_LEN || memcmp(text, PRFAQ_TOKEN_PREFIX, plen) != 0)
		return false;
	for (size_t i = plen; i < n; i++) {
		char c = text[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

bool
prfaq_uuid_valid(const char *s)
{
	for (int i = 0; i < PRFAQ_UUID_LEN; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return s[PRFAQ_UUID_LEN] == '\0';
}

struct cache_entry {
	uint8_t hash[PRFAQ_SHA256_LEN];
	struct prfaq_caller caller;
	struct timespec expires; /* CLOCK_MONOTONIC; 0: empty */
};

struct prfaq_auth_cache {
	pthread_mutex_t mu;
	unsigned ttl_s;
	uint64_t epoch; /* evictions so far */
	struct cache_entry slots[CACHE_SLOTS];
};

struct prfaq_auth_cache *
prfaq_auth_cache_new(unsigned ttl_s)
{
	struct prfaq_auth_cache *c = prfaq_calloc(1, sizeof(*c));

	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c);
		return NULL;
	}
	c->ttl_s = ttl_s;
	return c;
}

void
prfaq_auth_cache_free(struct prfaq_auth_cache *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static size_t
slot_of(const uint8_t hash[PRFAQ_SHA256_LEN])
{
	size_t h;

	/* The hash is uniformly random already: its first bytes will do. */
	memcpy(&h, hash, sizeof(h));
	return h & (CACHE_SLOTS - 1);
}

static bool
expired(const struct cache_entry *e, const struct timespec *now)
{
	return e->expires.tv_sec < now->tv_sec ||
	       (e->expires.tv_sec == now->tv_sec &&
		e->expires.tv_nsec <= now->tv_nsec);
}

bool
prfaq_auth_cache_get(struct prfaq_auth_cache *c,
		     const uint8_t hash[PRFAQ_SHA256_LEN],
		     struct prfaq_caller *out, uint64_t *epoch)
{
	struct timespec now;
	size_t s = slot_of(hash);
	bool found = false;

	if (epoch != NULL)
		*epoch = 0;
	if (c == NULL || c->ttl_s == 0)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&c->mu);
	if (epoch != NULL)
		*epoch = c->epoch;
	for (int i = 0; i < CACHE_PROBE; i++) {
		struct cache_entry *e =
			&c->slots[(s + (size_t)i) & (CACHE_SLOTS - 1)];

		if (!expired(e, &now) &&
		    prfaq_ct_equal(e->hash, hash, PRFAQ_SHA256_LEN)) {
			*out = e->caller;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&c->mu);
	return found;
}

void
prfaq_auth_cache_put(struct prfaq_auth_cache *c,
		     const uint8_t hash[PRFAQ_SHA256_LEN],
		     const struct prfaq_caller *caller, uint64_t epoch)
{
	prfaq_auth_cache_put_for(c, hash, caller, epoch, UINT_MAX);
}

void
prfaq_auth_cache_put_for(struct prfaq_auth_cache *c,
			 const uint8_t hash[PRFAQ_SHA256_LEN],
			 const struct prfaq_caller *caller, uint64_t epoch,
			 unsigned max_s)
{
	struct timespec now;
	struct cache_entry *victim = NULL;
	size_t s = slot_of(hash);

	if (c == NULL || c->ttl_s == 0 || max_s == 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&c->mu);
	if (epoch != c->epoch) {
		/* A token was revoked while we asked: the next request asks again. */
		pthread_mutex_unlock(&c->mu);
		return;
	}
	/* Reuse the entry of the same token, else an expired one, else the oldest. */
	for (int i = 0; i < CACHE_PROBE; i++) {
		struct cache_entry *e =
			&c->slots[(s + (size_t)i) & (CACHE_SLOTS - 1)];

		if (memcmp(e->hash, hash, PRFAQ_SHA256_LEN) == 0 ||
		    expired(e, &now)) {
			victim = e;
			break;
		}
		if (victim == NULL ||
		    e->expires.tv_sec < victim->expires.tv_sec)
			victim = e;
	}
	memcpy(victim->hash, hash, PRFAQ_SHA256_LEN);
	victim->caller = *caller;
	victim->caller.idem = NULL; /* the request's own, never shared */
	victim->expires = now;
	victim->expires.tv_sec += c->ttl_s < max_s ? c->ttl_s : max_s;
	pthread_mutex_unlock(&c->mu);
}

/*
 * Ids are UUIDs, the same in any case: the database answers in lower case,
 * but the id to evict comes from a request path as the client spelled it.
 */
void
prfaq_auth_cache_evict_token(struct prfaq_auth_cache *c, const char *token_id)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->epoch++;
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (strcasecmp(c->slots[i].caller.token_id, token_id) == 0)
			memset(&c->slots[i], 0, sizeof(c->slots[i]));
	pthread_mutex_unlock(&c->mu);
}

/*
 * Every entry of a user, opaque token or JWT alike (a JWT's entry has no
 * token id, only the user's): a deactivated user or changed roles must not
 * live on in the cache.  A new epoch, so that a lookup already under way
 * cannot put the old answer back.
 */
void
prfaq_auth_cache_evict_user(struct prfaq_auth_cache *c, const char *user_id)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->epoch++;
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (strcasecmp(c->slots[i].caller.user_id, user_id) == 0)
			memset(&c->slots[i], 0, sizeof(c->slots[i]));
	pthread_mutex_unlock(&c->mu);
}
