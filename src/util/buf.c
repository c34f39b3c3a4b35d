/*
 * buf.c - growable NUL-terminated byte buffer (see include/prfaq/buf.h).
 */
#include "prfaq/buf.h"
#include "prfaq/alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
prfaq_buf_reserve(struct prfaq_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = prfaq_realloc(b->data, cap);
	b->data = p;
	b->cap = cap;
	return 0;
}

int
prfaq_buf_append(struct prfaq_buf *b, const void *data, size_t len)
{
	if (prfaq_buf_reserve(b, len) != 0)
		return -1;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
prfaq_buf_puts(struct prfaq_buf *b, const char *s)
{
	return prfaq_buf_append(b, s, strlen(s));
}

int
prfaq_buf_putc(struct prfaq_buf *b, char c)
{
	return prfaq_buf_append(b, &c, 1);
}

int
prfaq_buf_printf(struct prfaq_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || prfaq_buf_reserve(b, (size_t)n) != 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
prfaq_buf_reset(struct prfaq_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

char *
prfaq_buf_steal(struct prfaq_buf *b, size_t *len)
{
	char *p = b->data;

	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
prfaq_buf_free(struct prfaq_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
