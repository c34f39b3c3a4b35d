/*
 * fuzz_common.h - what the libFuzzer targets share: parsing input the way the
 * server does, splitting one input into two documents, an invariant check
 * that aborts (libFuzzer saves the input), and a diff applier.
 */
#ifndef PRFAQ_FUZZ_COMMON_H
#define PRFAQ_FUZZ_COMMON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Abort with a message when cond is false: a broken invariant is a crash. */
#define FUZZ_CHECK(cond)                                      \
	do {                                                  \
		if (!(cond))                                  \
			fuzz_fail(__FILE__, __LINE__, #cond); \
	} while (0)

void fuzz_fail(const char *file, int line, const char *what)
	__attribute__((noreturn));

/*
 * Install prfaqd's allocation policy (prfaq/alloc.h) and seed Jansson's hash
 * so object order, and so runs, repeat (idempotent).
 */
void fuzz_init(void);

/*
 * Decode data[0..size) with prfaq_json_parse (the server's strict decoder).
 * A new reference, or NULL when the server would answer 400.
 */
json_t *fuzz_parse(const uint8_t *data, size_t size);

/*
 * Split the input at its first NUL byte (which no JSON text holds) into two
 * texts; without one, at the middle.  *b is data[*a_len + 1 ..).
 */
void fuzz_split(const uint8_t *data, size_t size, const uint8_t **a,
		size_t *a_len, const uint8_t **b, size_t *b_len);

/*
 * Apply a prfaq_diff() change list to doc (stolen) in order, checking each
 * change's "from" against the value it names; returns the new document
 * (NULL when the changes removed the root).  Aborts on an inapplicable change.
 */
json_t *fuzz_apply_changes(json_t *doc, const json_t *changes);

#endif
