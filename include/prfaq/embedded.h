/*
 * embedded.h - files compiled into the binary by cmake/embed.cmake.
 * All storage is static and read-only.
 */
#ifndef PRFAQ_EMBEDDED_H
#define PRFAQ_EMBEDDED_H

#include <stddef.h>

struct prfaq_embedded_file {
	const char *name; /* e.g. "0001_init.sql" */
	const char *data; /* NUL-terminated */
	size_t len;
};

extern const char *const prfaq_openapi_yaml;
extern const size_t prfaq_openapi_yaml_len;

/* Sorted by name; terminated by an entry whose name is NULL. */
extern const struct prfaq_embedded_file prfaq_migrations[];
extern const size_t prfaq_migrations_count;

#endif
