/*
 * content_internal.h - what the document validator's two files share
 * (private to src/domain/content.c and content_check.c; the interface is
 * include/prfaq/content.h).
 *
 * content.c holds the schema and walks it; content_check.c checks the
 * strings the walk reaches (lengths, control characters, blanks, dates,
 * URLs, tags).  Problems go through vctx_report, which knows the pointer of
 * the value being checked.
 */
#ifndef PRFAQ_CONTENT_INTERNAL_H
#define PRFAQ_CONTENT_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "prfaq/buf.h"
#include "prfaq/error.h"

enum field_kind {
	FIELD_TEXT,   /* string; newline, CR and tab allowed */
	FIELD_DATE,   /* string "YYYY-MM-DD", a real date, or "" */
	FIELD_URL,    /* string, absolute http(s) URL with a host, or "" */
	FIELD_OBJECT, /* object following sub */
	FIELD_LIST,   /* array of at most max objects following sub */
	FIELD_LINE, /* one-line string of 1..max code points (metric name, unit) */
	FIELD_ENUM, /* string naming one of sub's fields (a closed set of words) */
	FIELD_NUMBER,  /* a JSON number */
	FIELD_KEY,     /* a metric key: ^[a-z0-9][a-z0-9-]{0,39}$ */
	FIELD_DAY,     /* a real date YYYY-MM-DD ("" refused) */
	FIELD_METRICS, /* the metrics list (content_metrics.c): entries follow
			* sub, with required members and unique keys */
};

struct schema;

struct field {
	const char *name;
	enum field_kind kind;
	size_t max; /* code points for text, entries for lists */
	const struct schema *sub;
};

struct schema {
	const struct field *fields;
	size_t nfields;
};

/* A walk over one value: where it is and what it found so far. */
struct vctx {
	struct prfaq_error *err; /* borrowed; may be NULL */
	struct prfaq_buf ptr;	 /* pointer of the value being checked */
	prfaq_code rc;
	bool stop; /* error cap reached or out of memory */
};

/*
 * Report a problem with the value at the current pointer (see content.c for
 * the cap on problems and what happens without an err to fill).
 */
void vctx_report(struct vctx *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Descend into entry index; returns the mark to give back to vctx_pop(). */
size_t vctx_push_index(struct vctx *v, size_t index);

/* Climb back to mark (also undoes a push that failed half way). */
void vctx_pop(struct vctx *v, size_t mark);

/* Checks of one value each, reporting through v (content_check.c). */
void content_check_string(struct vctx *v, const json_t *value,
			  const struct field *f);
void content_check_title(struct vctx *v, const json_t *value);
void content_check_line(struct vctx *v, const json_t *value, size_t max);
void content_check_text(struct vctx *v, const json_t *value, size_t max);
void content_check_tags(struct vctx *v, const json_t *tags);

/* An object following sc (content.c), for the walks of other files. */
void content_check_object(struct vctx *v, const json_t *obj,
			  const struct schema *sc);

/* A scalar of kind FIELD_LINE, FIELD_NUMBER, FIELD_KEY or FIELD_DAY. */
void content_check_metric_value(struct vctx *v, const json_t *value,
				const struct field *f);

/* The metrics list at the current pointer (content_metrics.c). */
void content_check_metrics(struct vctx *v, const json_t *list,
			   const struct field *f);

#endif
