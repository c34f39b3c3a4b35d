/*
 * buf.h - a growable byte buffer (always NUL-terminated).
 *
 * The buffer owns its storage; prfaq_buf_free() releases it and leaves an empty
 * buffer.  Append functions return 0, or -1 when the size would not fit in a
 * size_t (or printf fails), after which the buffer keeps its previous
 * contents; running out of memory aborts (prfaq/alloc.h).
 */
#ifndef PRFAQ_BUF_H
#define PRFAQ_BUF_H

#include <stddef.h>

struct prfaq_buf {
	char *data; /* NULL until the first append */
	size_t len; /* bytes used, excluding the terminating NUL */
	size_t cap; /* bytes allocated */
};

#define PRFAQ_BUF_INIT     \
	{                  \
		NULL, 0, 0 \
	}

int prfaq_buf_reserve(struct prfaq_buf *b, size_t extra);
int prfaq_buf_append(struct prfaq_buf *b, const void *data, size_t len);
int prfaq_buf_puts(struct prfaq_buf *b, const char *s);
int prfaq_buf_putc(struct prfaq_buf *b, char c);
int prfaq_buf_printf(struct prfaq_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Drop the contents but keep the allocation. */
void prfaq_buf_reset(struct prfaq_buf *b);
/* Hand the storage to the caller (who frees it); the buffer becomes empty. */
char *prfaq_buf_steal(struct prfaq_buf *b, size_t *len);
void prfaq_buf_free(struct prfaq_buf *b);

#endif
