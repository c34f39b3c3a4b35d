/*
 * jwks.h - the identity provider's key set, kept fresh by a thread.
 *
 * The set comes from a file or an https URL (libcurl; the thread owns its
 * handle, like the webhook sender).  It is loaded at start, then again every
 * refresh_s seconds and when a request meets an unknown kid (at most once a
 * minute, so a stream of forged kids costs one fetch a minute).  A load that
 * fails keeps the last good set.  Request threads never wait for the
 * network: they take a reference to the current set under a mutex held for
 * a pointer copy, and the refresher swaps in a new set the same way.
 */
#ifndef PRFAQ_JWKS_H
#define PRFAQ_JWKS_H

#include <stddef.h>
#include <stdint.h>

#include "prfaq/jwt.h"

struct prfaq_jwks_source;

struct prfaq_jwks_source_opts {
	const char *location;	 /* a file path or an https:// URL; copied */
	unsigned refresh_s;	 /* reload period */
	const char *ca_file;	 /* NULL or "": libcurl's default CAs; copied */
	unsigned timeout_ms;	 /* per fetch */
	unsigned kid_interval_s; /* least time between unknown-kid reloads */
};

/*
 * Load the set once and start the refresher.  A file that cannot be read or
 * parsed, or an unreadable CA file, is a configuration error: NULL with the
 * reason in errbuf.  An URL that does not answer is not (the identity
 * provider may be down while prfaqd starts): the source starts without keys,
 * logs why, and keeps trying.
 */
struct prfaq_jwks_source *
prfaq_jwks_source_start(const struct prfaq_jwks_source_opts *opts, char *errbuf,
			size_t errlen);

/* Stop the refresher (a fetch in flight is bounded by timeout_ms). NULL-safe. */
void prfaq_jwks_source_stop(struct prfaq_jwks_source *src);

/*
 * The current set: a new reference (prfaq_jwks_unref() it), or NULL when no
 * set has loaded yet.  Never blocks on the network.
 */
struct prfaq_jwks *prfaq_jwks_source_get(struct prfaq_jwks_source *src);

/*
 * A token named a kid the current set lacks: ask the refresher for a reload
 * unless one was asked for within kid_interval_s.  Returns at once.
 */
void prfaq_jwks_source_kid_miss(struct prfaq_jwks_source *src);

#endif
