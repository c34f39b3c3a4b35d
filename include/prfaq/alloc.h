/*
 * alloc.h - memory: one policy for the whole process.
 *
 * prfaqd does not try to go on when memory runs out: a failed allocation
 * logs one line and abort()s, as redis does.  The alternative, every
 * caller passing every failure up, was tried here and failed the way it
 * fails everywhere: among hundreds of checks a few were wrong, and a NULL
 * from json_dumps was read as "no value", so a PUT committed a version
 * whose content was {}.  A process that stops loses the requests in flight,
 * none of which has committed (PostgreSQL rolls them back), and its
 * supervisor (Docker's restart policy, systemd) starts it again; a process
 * that goes on may store a default in place of what a client sent.
 *
 * The rules that follow from it:
 *   - prfaqd's own code allocates with prfaq_malloc and friends (free with
 *     free()), which never return NULL: no check follows them.
 *   - prfaq_alloc_init() installs the same policy into Jansson, once, before
 *     any JSON value exists: main() calls it, and so does every test and fuzz
 *     main.  Then json_object(), json_array() and json_integer() never return
 *     NULL either.  Jansson calls that fail for other reasons
 *     still do, and are checked: json_string() of text that is not UTF-8,
 *     json_pack() of a bad format, json_dumps() of a value it cannot encode,
 *     json_object_set*() of a NULL value.
 *   - Libraries with their own allocators (libpq, libmicrohttpd, libcurl,
 *     OpenSSL, cmark) report failure their own way, which the code handles
 *     like any other error of theirs.
 *   - No write stores a default in place of a value it could not produce: an
 *     error fails the request (tests/unit/test_alloc.c fails every
 *     allocation of a write in turn to show it).
 */
#ifndef PRFAQ_ALLOC_H
#define PRFAQ_ALLOC_H

#include <stddef.h>

/*
 * Install the policy into Jansson (json_set_alloc_funcs).  Call once at
 * start, before any JSON value is made and before other threads run.
 */
void prfaq_alloc_init(void);

/* Like malloc, calloc, realloc, strdup, strndup; never NULL (see above). */
void *prfaq_malloc(size_t size);
void *prfaq_calloc(size_t n, size_t size);
void *prfaq_realloc(void *p, size_t size);
char *prfaq_strdup(const char *s);
char *prfaq_strndup(const char *s, size_t n);

/*
 * Test hook: let n more allocations succeed, then fail the next one as if
 * memory had run out (so: log, abort).  n < 0 disarms it.  Armed, it also
 * counts allocations; prfaq_alloc_count() tells how many were made since it
 * was armed.  For single-threaded tests only; production never arms it.
 */
void prfaq_alloc_fail_after(long n);
long prfaq_alloc_count(void);

#endif
