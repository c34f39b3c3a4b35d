/*
 * error.c - the prfaq_error convention (see include/prfaq/error.h).
 */
#include "prfaq/error.h"

#include <stdio.h>
#include <string.h>

void
prfaq_error_init(struct prfaq_error *err)
{
	if (err == NULL)
		return;
	err->code = PRFAQ_OK;
	err->detail[0] = '\0';
	err->errors = NULL;
	err->truncated = false;
	err->extra = NULL;
}

void
prfaq_error_clear(struct prfaq_error *err)
{
	if (err == NULL)
		return;
	json_decref(err->errors);
	json_decref(err->extra);
	prfaq_error_init(err);
}

static void error_vset(struct prfaq_error *err, prfaq_code code,
		       const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void
error_vset(struct prfaq_error *err, prfaq_code code, const char *fmt,
	   va_list ap)
{
	if (err->code != PRFAQ_OK && err->detail[0] != '\0')
		return; /* the first cause wins */
	err->code = code;
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
}

prfaq_code
prfaq_error_set(struct prfaq_error *err, prfaq_code code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	va_start(ap, fmt);
	error_vset(err, code, fmt, ap);
	va_end(ap);
	return err->code;
}

/* A validation entry makes an error that was none a 400 (the first cause wins). */
static prfaq_code
mark_invalid(struct prfaq_error *err)
{
	if (err->code == PRFAQ_OK) {
		err->code = PRFAQ_EINVAL;
		snprintf(err->detail, sizeof(err->detail),
			 "The request body is invalid: see errors");
	}
	return err->code;
}

/*
 * Is err->errors full?  Then the entry about to be added is left out, and
 * the list says so; the error is marked as if it had been added.
 */
static bool
errors_full(struct prfaq_error *err)
{
	if (json_array_size(err->errors) < PRFAQ_ERRORS_MAX)
		return false;
	err->truncated = true;
	mark_invalid(err);
	return true;
}

prfaq_code
prfaq_error_add_entry(struct prfaq_error *err, json_t *entry)
{
	if (err == NULL) {
		json_decref(entry);
		return PRFAQ_EINVAL;
	}
	if (entry == NULL)
		return err->code = PRFAQ_ENOMEM;
	if (errors_full(err)) {
		json_decref(entry);
		return err->code;
	}
	if (err->errors == NULL && (err->errors = json_array()) == NULL) {
		json_decref(entry);
		return err->code = PRFAQ_ENOMEM;
	}
	if (json_array_append_new(err->errors, entry) != 0)
		return err->code = PRFAQ_ENOMEM;
	return mark_invalid(err);
}

prfaq_code
prfaq_error_add(struct prfaq_error *err, const char *pointer, const char *fmt,
		...)
{
	char msg[PRFAQ_ERROR_DETAIL_MAX];
	va_list ap;

	if (err == NULL)
		return PRFAQ_EINVAL;
	/* Full: the message is not even worth formatting. */
	if (errors_full(err))
		return err->code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return prfaq_error_add_entry(err, json_pack("{s:s, s:s}", "pointer",
						    pointer, "message", msg));
}

static const struct {
	int status;
	const char *title;
	const char *slug;
} code_table[] = {
	[PRFAQ_OK] = { 200, "OK", "ok" },
	[PRFAQ_EINVAL] = { 400, "Bad Request", "bad-request" },
	[PRFAQ_EAUTH] = { 401, "Unauthorized", "unauthorized" },
	[PRFAQ_EFORBIDDEN] = { 403, "Forbidden", "forbidden" },
	[PRFAQ_ENOTFOUND] = { 404, "Not Found", "not-found" },
	[PRFAQ_EMETHOD] = { 405, "Method Not Allowed", "method-not-allowed" },
	[PRFAQ_ENOTACCEPTABLE] = { 406, "Not Acceptable", "not-acceptable" },
	[PRFAQ_ECONFLICT] = { 409, "Conflict", "conflict" },
	[PRFAQ_EPRECONDITION] = { 412, "Precondition Failed",
				  "precondition-failed" },
	[PRFAQ_ETOOLARGE] = { 413, "Content Too Large", "content-too-large" },
	[PRFAQ_EMEDIATYPE] = { 415, "Unsupported Media Type",
			       "unsupported-media-type" },
	[PRFAQ_EUNPROCESSABLE] = { 422, "Unprocessable Content",
				   "unprocessable-content" },
	[PRFAQ_EPRECONDREQUIRED] = { 428, "Precondition Required",
				     "precondition-required" },
	[PRFAQ_EUNAVAILABLE] = { 503, "Service Unavailable",
				 "service-unavailable" },
	[PRFAQ_ENOMEM] = { 500, "Internal Server Error", "internal-error" },
	[PRFAQ_EINTERNAL] = { 500, "Internal Server Error", "internal-error" },
};

int
prfaq_code_status(prfaq_code code)
{
	if ((size_t)code >= sizeof(code_table) / sizeof(code_table[0]))
		return 500;
	return code_table[code].status;
}

const char *
prfaq_code_title(prfaq_code code)
{
	if ((size_t)code >= sizeof(code_table) / sizeof(code_table[0]))
		return "Internal Server Error";
	return code_table[code].title;
}

const char *
prfaq_code_slug(prfaq_code code)
{
	if ((size_t)code >= sizeof(code_table) / sizeof(code_table[0]))
		return "internal-error";
	return code_table[code].slug;
}
