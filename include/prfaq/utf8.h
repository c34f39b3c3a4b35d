/*
 * utf8.h - small UTF-8 helpers shared by validation and quality checks.
 * Input strings come from Jansson, which guarantees valid UTF-8.
 */
#ifndef PRFAQ_UTF8_H
#define PRFAQ_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Number of code points in s[0..len). */
size_t prfaq_utf8_length(const char *s, size_t len);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates). */
bool prfaq_utf8_valid(const char *s, size_t len);

#endif
