/*
 * jwks.c - the key set refresher thread (see prfaq/jwks.h).
 *
 * One mutex guards the current set and the refresher's schedule; it is
 * never held across a fetch or a parse, so a request that takes the set
 * waits at most for a pointer swap.  Sets are reference-counted
 * (prfaq/jwt.h): a request keeps verifying with the set it took while a
 * newer one replaces it.
 */
#include "prfaq/alloc.h"
#include "prfaq/jwks.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prfaq/buf.h"
#include "prfaq/log.h"

/* Room for a parse error (prfaq_error) or a libcurl one, with context. */
#define WHY_MAX (PRFAQ_ERROR_DETAIL_MAX + CURL_ERROR_SIZE)

struct prfaq_jwks_source {
	char *location;
	char *ca_file; /* NULL: libcurl's default */
	bool is_url;
	unsigned refresh_s, timeout_ms, kid_interval_s;

	pthread_mutex_t mu;
	pthread_cond_t cond;	    /* CLOCK_MONOTONIC */
	struct prfaq_jwks *current; /* NULL until a load succeeds */
	bool stop;
	bool wanted;	/* a reload was asked for (unknown kid) */
	bool kid_asked; /* ... at least once, at kid_asked_at */
	struct timespec kid_asked_at;

	pthread_t thread;
	bool started;
	CURL *curl; /* the thread's own */
};

static struct timespec
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

/* Collect a response body, refusing more than PRFAQ_JWKS_MAX_BYTES. */
static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	struct prfaq_buf *b = arg;

	if (b->len + size * n > PRFAQ_JWKS_MAX_BYTES ||
	    prfaq_buf_append(b, data, size * n) != 0)
		return 0; /* makes libcurl fail the transfer */
	return size * n;
}

/* GET the URL into body; 0, or -1 with why set. */
static int
fetch_url(struct prfaq_jwks_source *src, struct prfaq_buf *body, char *why,
	  size_t whylen)
{
	char curlerr[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURLcode rc;

	if (src->curl == NULL && (src->curl = curl_easy_init()) == NULL) {
		snprintf(why, whylen, "cannot initialise libcurl");
		return -1;
	}
	curl_easy_reset(src->curl);
	curl_easy_setopt(src->curl, CURLOPT_URL, src->location);
	curl_easy_setopt(src->curl, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(src->curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(src->curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(src->curl, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(src->curl, CURLOPT_TIMEOUT_MS, (long)src->timeout_ms);
	curl_easy_setopt(src->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(src->curl, CURLOPT_USERAGENT, "prfaqd/" PRFAQ_VERSION);
	curl_easy_setopt(src->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(src->curl, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(src->curl, CURLOPT_ERRORBUFFER, curlerr);
	if (src->ca_file != NULL)
		curl_easy_setopt(src->curl, CURLOPT_CAINFO, src->ca_file);
	rc = curl_easy_perform(src->curl);
	if (rc != CURLE_OK) {
		snprintf(why, whylen, "%s",
			 curlerr[0] ? curlerr : curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(src->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		snprintf(why, whylen, "HTTP %ld", status);
		return -1;
	}
	return 0;
}

static int
read_file(const char *path, struct prfaq_buf *body, char *why, size_t whylen)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	int rc = 0;

	if (f == NULL) {
		snprintf(why, whylen, "cannot open %s: %s", path,
			 strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (body->len + n > PRFAQ_JWKS_MAX_BYTES) {
			snprintf(why, whylen, "%s is over %d bytes", path,
				 PRFAQ_JWKS_MAX_BYTES);
			rc = -1;
			break;
		}
		if (prfaq_buf_append(body, chunk, n) != 0) {
			snprintf(why, whylen, "out of memory");
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(why, whylen, "cannot read %s", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

/*
 * Load the set from its location (no lock held: this may take timeout_ms).
 * Returns a new set, or NULL with why set.
 */
static struct prfaq_jwks *
load(struct prfaq_jwks_source *src, char *why, size_t whylen)
{
	struct prfaq_buf body = PRFAQ_BUF_INIT;
	struct prfaq_jwks *keys = NULL;
	struct prfaq_error err;

	prfaq_error_init(&err);
	if ((src->is_url ? fetch_url(src, &body, why, whylen) :
			   read_file(src->location, &body, why, whylen)) != 0)
		goto out;
	if (prfaq_jwks_parse(body.data ? body.data : "", body.len, &keys,
			     &err) != PRFAQ_OK)
		snprintf(why, whylen, "%s", err.detail);
out:
	prfaq_error_clear(&err);
	prfaq_buf_free(&body);
	return keys;
}

/* Put keys in place of the current set (taking over its reference). */
static void
install(struct prfaq_jwks_source *src, struct prfaq_jwks *keys)
{
	struct prfaq_jwks *old;

	pthread_mutex_lock(&src->mu);
	old = src->current;
	src->current = keys;
	pthread_mutex_unlock(&src->mu);
	/* The last request still holding the old set frees it. */
	prfaq_jwks_unref(old);
}

/*
 * The refresher: load when asked (unknown kid) or when refresh_s has passed
 * since the last attempt; on failure keep what there is and say why.
 */
static void *
run(void *arg)
{
	struct prfaq_jwks_source *src = arg;
	struct timespec next = mono_now();

	next.tv_sec += src->refresh_s;
	pthread_mutex_lock(&src->mu);
	for (;;) {
		char why[WHY_MAX] = "";
		struct prfaq_jwks *keys;
		bool asked;

		while (!src->stop && !src->wanted &&
		       pthread_cond_timedwait(&src->cond, &src->mu, &next) !=
			       ETIMEDOUT)
			;
		if (src->stop)
			break;
		asked = src->wanted;
		src->wanted = false;
		pthread_mutex_unlock(&src->mu);

		keys = load(src, why, sizeof(why));
		if (keys != NULL) {
			log_debug(NULL,
				  "JWT key set reloaded from %s: %zu keys%s",
				  src->location, prfaq_jwks_count(keys),
				  asked ? " (unknown kid)" : "");
			install(src, keys);
		} else {
			log_warn(NULL,
				 "JWT key set reload from %s failed, keeping "
				 "the last good set: %s",
				 src->location, why);
		}
		next = mono_now();
		next.tv_sec += src->refresh_s;

		pthread_mutex_lock(&src->mu);
	}
	pthread_mutex_unlock(&src->mu);
	return NULL;
}

static void
source_free(struct prfaq_jwks_source *src)
{
	if (src == NULL)
		return;
	if (src->curl != NULL)
		curl_easy_cleanup(src->curl);
	prfaq_jwks_unref(src->current);
	pthread_cond_destroy(&src->cond);
	pthread_mutex_destroy(&src->mu);
	free(src->location);
	free(src->ca_file);
	free(src);
}

struct prfaq_jwks_source *
prfaq_jwks_source_start(const struct prfaq_jwks_source_opts *opts, char *errbuf,
			size_t errlen)
{
	struct prfaq_jwks_source *src = prfaq_calloc(1, sizeof(*src));
	pthread_condattr_t ca;
	char why[WHY_MAX] = "";
	struct prfaq_jwks *keys;

	pthread_mutex_init(&src->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&src->cond, &ca);
	pthread_condattr_destroy(&ca);
	src->location = prfaq_strdup(opts->location);
	src->ca_file = opts->ca_file && opts->ca_file[0] ?
			       prfaq_strdup(opts->ca_file) :
			       NULL;
	src->is_url = strncmp(opts->location, "https://", 8) == 0;
	src->refresh_s = opts->refresh_s ? opts->refresh_s : 600;
	src->timeout_ms = opts->timeout_ms ? opts->timeout_ms : 10000;
	src->kid_interval_s = opts->kid_interval_s;
	if (src->ca_file != NULL && access(src->ca_file, R_OK) != 0) {
		snprintf(errbuf, errlen,
			 "PRFAQ_JWT_CA_FILE: cannot read %s: %s", src->ca_file,
			 strerror(errno));
		goto fail;
	}
	/*
	 * The first load here, before the thread exists: the handle is still
	 * the thread's alone, as it will be.
	 */
	keys = load(src, why, sizeof(why));
	if (keys == NULL && !src->is_url) {
		snprintf(errbuf, errlen, "PRFAQ_JWT_JWKS: %s", why);
		goto fail;
	}
	if (keys == NULL)
		log_error(NULL,
			  "JWT key set: cannot load %s (JWTs are refused "
			  "until it loads; trying again): %s",
			  src->location, why);
	else
		log_info(NULL, "JWT key set: %zu keys from %s",
			 prfaq_jwks_count(keys), src->location);
	src->current = keys;
	if (pthread_create(&src->thread, NULL, run, src) != 0) {
		snprintf(errbuf, errlen,
			 "cannot start the JWT key set refresher");
		goto fail;
	}
	src->started = true;
	return src;
fail:
	source_free(src);
	return NULL;
}

void
prfaq_jwks_source_stop(struct prfaq_jwks_source *src)
{
	if (src == NULL)
		return;
	if (src->started) {
		pthread_mutex_lock(&src->mu);
		src->stop = true;
		pthread_cond_signal(&src->cond);
		pthread_mutex_unlock(&src->mu);
		pthread_join(src->thread, NULL);
	}
	source_free(src);
}

struct prfaq_jwks *
prfaq_jwks_source_get(struct prfaq_jwks_source *src)
{
	struct prfaq_jwks *keys;

	pthread_mutex_lock(&src->mu);
	keys = prfaq_jwks_ref(src->current);
	pthread_mutex_unlock(&src->mu);
	return keys;
}

void
prfaq_jwks_source_kid_miss(struct prfaq_jwks_source *src)
{
	struct timespec now = mono_now();

	pthread_mutex_lock(&src->mu);
	if (!src->kid_asked || now.tv_sec - src->kid_asked_at.tv_sec >=
				       (time_t)src->kid_interval_s) {
		src->kid_asked = true;
		src->kid_asked_at = now;
		src->wanted = true;
		pthread_cond_signal(&src->cond);
	}
	pthread_mutex_unlock(&src->mu);
}
