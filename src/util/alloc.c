/*
 * alloc.c - allocation that never returns NULL: out of memory, the process
 * logs one line and aborts (see prfaq/alloc.h for why).
 */
#include "prfaq/alloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/log.h"

/*
 * The test hook: allocations left before the armed failure (< 0: disarmed)
 * and allocations made since arming.  Read on every allocation, written only
 * by a test before and after the code it exercises.
 */
static long fail_left = -1;
static long made;

/*
 * Out of memory: say so and stop.  The log line is formatted on the stack
 * and written with one write(2) (see log.c), so saying it needs no memory.
 */
static _Noreturn void
out_of_memory(size_t size)
{
	log_error(NULL, "out of memory allocating %zu bytes: aborting", size);
	abort();
}

/* The hook's part of each allocation: does this one fail? */
static void
hook(size_t size)
{
	if (fail_left < 0)
		return;
	if (fail_left == 0)
		out_of_memory(size);
	fail_left--;
	made++;
}

void *
prfaq_malloc(size_t size)
{
	void *p;

	hook(size);
	/* malloc(0) may return NULL, which would look like a failure. */
	if ((p = malloc(size > 0 ? size : 1)) == NULL)
		out_of_memory(size);
	return p;
}

void *
prfaq_calloc(size_t n, size_t size)
{
	void *p;

	hook(n * size);
	if ((p = calloc(n > 0 ? n : 1, size > 0 ? size : 1)) == NULL)
		out_of_memory(n * size);
	return p;
}

void *
prfaq_realloc(void *old, size_t size)
{
	void *p;

	hook(size);
	/* realloc(p, 0) frees p and may return NULL: keep a byte instead. */
	if ((p = realloc(old, size > 0 ? size : 1)) == NULL)
		out_of_memory(size);
	return p;
}

char *
prfaq_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(prfaq_malloc(n), s, n);
}

char *
prfaq_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = prfaq_malloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
prfaq_alloc_init(void)
{
	json_set_alloc_funcs(prfaq_malloc, free);
}

void
prfaq_alloc_fail_after(long n)
{
	fail_left = n;
	made = 0;
}

long
prfaq_alloc_count(void)
{
	return made;
}
