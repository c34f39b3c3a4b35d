/*
 * error.h - the one error convention of prfaqd.
 *
 * Every fallible function returns a prfaq_code (PRFAQ_OK on success) and, when
 * the caller passes a non-NULL struct prfaq_error, fills it with a human
 * readable detail and, for validation failures, a list of {pointer, message}
 * entries (JSON Pointers into the request body).  Out-parameters are left
 * untouched on failure.
 *
 * The HTTP layer maps codes to statuses with prfaq_code_status(); nothing
 * below src/http knows about HTTP beyond that mapping.
 */
#ifndef PRFAQ_ERROR_H
#define PRFAQ_ERROR_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>

typedef enum prfaq_code {
	PRFAQ_OK = 0,
	PRFAQ_EINVAL,	      /* 400: malformed or invalid input */
	PRFAQ_EAUTH,	      /* 401: no or bad credentials */
	PRFAQ_EFORBIDDEN,     /* 403: known caller without the right */
	PRFAQ_ENOTFOUND,      /* 404 */
	PRFAQ_EMETHOD,	      /* 405: path known, method not */
	PRFAQ_ENOTACCEPTABLE, /* 406 */
	PRFAQ_ECONFLICT,      /* 409: state or uniqueness conflict */
	PRFAQ_EPRECONDITION,  /* 412: If-Match did not match */
	PRFAQ_ETOOLARGE,      /* 413 */
	PRFAQ_EMEDIATYPE,     /* 415 */
	PRFAQ_EUNPROCESSABLE, /* 422: well-formed but refused (e.g. lint errors) */
	PRFAQ_EPRECONDREQUIRED, /* 428: If-Match missing */
	PRFAQ_EUNAVAILABLE,	/* 503: database down, pool exhausted */
	PRFAQ_ENOMEM,		/* 500 */
	PRFAQ_EINTERNAL,	/* 500 */
} prfaq_code;

#define PRFAQ_ERROR_DETAIL_MAX 512

/*
 * The most entries err->errors ever holds (API.md: then "truncated": true).
 * The list enforces it itself, so no caller can forget to: a body with a
 * million problems costs a million cheap refusals, not a million entries.
 */
#define PRFAQ_ERRORS_MAX 50

struct prfaq_error {
	prfaq_code code;
	char detail[PRFAQ_ERROR_DETAIL_MAX];
	json_t *errors; /* NULL or array of {"pointer","message"}; owned */
	bool truncated; /* entries were left out of errors (it is full) */
	json_t *extra;	/* NULL or object merged into the problem body; owned */
};

/* Initialise an error to "no error".  Cheap; call before first use. */
void prfaq_error_init(struct prfaq_error *err);

/* Release what the error owns and reset it.  NULL-safe. */
void prfaq_error_clear(struct prfaq_error *err);

/*
 * Set code and printf-style detail; returns code so callers can write
 * `return prfaq_error_set(err, PRFAQ_EINVAL, "...")`.  err may be NULL.
 * An error already set keeps its first code and detail (the first cause wins)
 * unless it is PRFAQ_OK.
 */
prfaq_code prfaq_error_set(struct prfaq_error *err, prfaq_code code,
			   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Append a validation entry {pointer, message} to err->errors and set the code
 * to PRFAQ_EINVAL (detail "Validation failed" unless one is already set).
 * Once the list holds PRFAQ_ERRORS_MAX entries, the entry is left out and
 * err->truncated set instead.  Returns the error's code: PRFAQ_EINVAL (or
 * the code set before), or PRFAQ_ENOMEM.
 */
prfaq_code prfaq_error_add(struct prfaq_error *err, const char *pointer,
			   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The same for an entry of another shape ({"line", "message"},
 * {"parameter", "message"}, ...): entry (a new reference, taken even on
 * failure; NULL counts as out of memory) is appended under the same cap.
 */
prfaq_code prfaq_error_add_entry(struct prfaq_error *err, json_t *entry);

/* HTTP status for a code (200 for PRFAQ_OK). */
int prfaq_code_status(prfaq_code code);

/* Short, stable title for a code ("Not Found", ...). */
const char *prfaq_code_title(prfaq_code code);

/* Slug used in the problem "type" URI (e.g. "validation-failed"). */
const char *prfaq_code_slug(prfaq_code code);

#endif
