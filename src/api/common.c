/*
 * common.c - helpers shared by the handlers (see api.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "prfaq/json.h"
#include "prfaq/buf.h"
#include "prfaq/crypto.h"
#include "prfaq/markdown.h"
#include "prfaq/utf8.h"

#define CURSOR_MAX 1024

prfaq_code
api_doc_body(struct prfaq_request *req, json_t **body, json_t **lines,
	     struct prfaq_error *err)
{
	const char *md;
	size_t len;

	*lines = NULL;
	if (!prfaq_req_is_markdown(req))
		return prfaq_req_json(req, false, body, err);
	md = prfaq_req_body(req, &len);
	return prfaq_markdown_parse(md != NULL ? md : "", len, body, lines,
				    err);
}

void
api_fail(struct prfaq_request *req, struct prfaq_error *err)
{
	prfaq_reply_error(req, err);
	prfaq_error_clear(err);
}

struct prfaq_db_ctx
api_db(struct prfaq_request *req)
{
	struct prfaq_db_ctx db = { prfaq_req_app(req)->pool, prfaq_req_id(req),
				   prfaq_req_db_deadline(req), NULL };

	return db;
}

struct prfaq_db_ctx
api_db_replica(struct prfaq_request *req)
{
	struct prfaq_db_ctx db = api_db(req);

	db.replica = prfaq_req_app(req)->replica;
	return db;
}

void
api_reply_text(struct prfaq_request *req, int status, struct prfaq_text *t)
{
	prfaq_reply_take(req, status, "application/json", t->data, t->len);
	t->data = NULL;
	t->len = 0;
}

void
api_reply_page(struct prfaq_request *req, struct prfaq_page *page)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	char cursor[2 * CURSOR_MAX];
	int rc = 0;

	cursor[0] = '\0';
	if (page->next_key != NULL) {
		size_t n = strlen(page->next_key);

		if (n > CURSOR_MAX)
			n = CURSOR_MAX; /* ids, numbers, names: never this long */
		prfaq_base64url((const uint8_t *)page->next_key, n, cursor);
		prfaq_reply_link_next(req, cursor);
	}
	rc |= prfaq_buf_puts(&b, "{\"items\":");
	rc |= prfaq_buf_append(&b, page->items.data, page->items.len);
	if (cursor[0] != '\0')
		rc |= prfaq_buf_printf(&b, ",\"next_cursor\":\"%s\"}", cursor);
	else
		rc |= prfaq_buf_puts(&b, ",\"next_cursor\":null}");
	prfaq_page_free(page);
	if (rc != 0) {
		prfaq_buf_free(&b);
		prfaq_reply_problem(req, PRFAQ_ENOMEM, "Out of memory");
		return;
	}
	prfaq_reply_take(req, 200, "application/json", b.data, b.len);
}

/*
 * The "cursor" query argument decoded to the store's keyset, into key
 * (CURSOR_MAX + 1 bytes); *after is key, or NULL without a cursor.
 * PRFAQ_EINVAL for a cursor this server did not issue.
 */
static prfaq_code
cursor_parse(const struct prfaq_request *req, char *key, const char **after,
	     struct prfaq_error *err)
{
	const char *c = prfaq_req_query(req, "cursor");
	long n;

	if (c == NULL) {
		*after = NULL;
		return PRFAQ_OK;
	}
	n = prfaq_base64url_decode(c, strlen(c), (uint8_t *)key, CURSOR_MAX);
	if (n <= 0 || memchr(key, '\0', (size_t)n) != NULL)
		return prfaq_error_set(err, PRFAQ_EINVAL,
				       "cursor is not one this server issued");
	key[n] = '\0';
	*after = key;
	return PRFAQ_OK;
}

void
api_list(struct prfaq_request *req, api_page_fn fetch, const void *arg)
{
	struct prfaq_page page = { { NULL, 0 }, NULL };
	struct prfaq_page_req pr = { 0, NULL };
	struct prfaq_error err;
	char key[CURSOR_MAX + 1];

	prfaq_error_init(&err);
	if (prfaq_req_limit(req, &pr.limit, &err) != PRFAQ_OK ||
	    cursor_parse(req, key, &pr.after, &err) != PRFAQ_OK ||
	    fetch(req, arg, &pr, &page, &err) != PRFAQ_OK) {
		prfaq_page_free(&page);
		api_fail(req, &err);
		return;
	}
	api_reply_page(req, &page);
}

bool
api_require_role(struct prfaq_request *req, enum prfaq_role role,
		 const char *what)
{
	const struct prfaq_caller *caller = prfaq_req_caller(req);

	if (caller != NULL && (caller->roles & role))
		return true;
	prfaq_reply_problem(req, PRFAQ_EFORBIDDEN,
			    "Only a user with the %s role may %s",
			    prfaq_role_name(role), what);
	return false;
}

const char *
api_param_uuid(struct prfaq_request *req, const char *name, const char *what)
{
	const char *v = prfaq_req_param(req, name);

	if (v == NULL || !prfaq_uuid_valid(v)) {
		prfaq_reply_problem(req, PRFAQ_ENOTFOUND, "No such %s", what);
		return NULL;
	}
	return v;
}

int
api_param_number(struct prfaq_request *req, const char *name, const char *what)
{
	const char *v = prfaq_req_param(req, name);
	long n = 0;

	if (v == NULL || *v == '\0' || (*v == '0'))
		goto bad;
	for (const char *p = v; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || n > 100000000)
			goto bad;
		n = n * 10 + (*p - '0');
	}
	return (int)n;
bad:
	prfaq_reply_problem(req, PRFAQ_ENOTFOUND, "No such %s", what);
	return -1;
}

/* See api.h. */
bool
api_check_text(const json_t *v, enum prfaq_text_kind kind, const char *ptr,
	       struct prfaq_error *err)
{
	char why[128];

	if (!json_is_string(v) ||
	    !prfaq_text_refused(json_string_value(v), json_string_length(v),
				kind, why, sizeof why))
		return true;
	prfaq_error_add(err, ptr, "%s", why);
	return false;
}

/* See api.h. */
void
api_check_text_member(const json_t *obj, const char *key, bool required,
		      size_t max, enum prfaq_text_kind kind,
		      struct prfaq_error *err, const char *ptr)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (required)
			prfaq_error_add(err, ptr, "is required");
		return;
	}
	if (!json_is_string(v)) {
		prfaq_error_add(err, ptr, "must be a string");
		return;
	}
	if (prfaq_utf8_length(json_string_value(v), json_string_length(v)) >
	    max)
		prfaq_error_add(err, ptr, "must be at most %zu characters",
				max);
	else if (required && json_string_length(v) == 0)
		prfaq_error_add(err, ptr, "must not be empty");
	else
		api_check_text(v, kind, ptr, err);
}

/* See api.h. */
void
api_check_members(const json_t *obj, const char *const *allowed,
		  const char *prefix, struct prfaq_error *err)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		const char *const *a = allowed;
		struct prfaq_buf ptr = PRFAQ_BUF_INIT;

		while (*a != NULL && strcmp(*a, key) != 0)
			a++;
		if (*a != NULL)
			continue;
		if (prfaq_buf_puts(&ptr, prefix) == 0 &&
		    prfaq_pointer_push(&ptr, key) == 0)
			prfaq_error_add(err, ptr.data, "unknown member");
		prfaq_buf_free(&ptr);
	}
}

/*
 * The anchor and quote of a review comment or an evidence link, as sent:
 * the anchor a JSON Pointer into a document's content, the quote a
 * non-empty string of at most API_QUOTE_MAX characters.
 */
void
api_anchor_shape(const json_t *obj, bool required, const char *base,
		 struct prfaq_error *err)
{
	json_t *v = json_object_get(obj, "anchor");
	char ptr[96];

	snprintf(ptr, sizeof(ptr), "%s/anchor", base);
	if ((v != NULL || required) &&
	    (!json_is_string(v) || json_string_value(v)[0] != '/'))
		prfaq_error_add(err, ptr,
				"must be a JSON Pointer into the content, e.g. "
				"/press_release/problem");
	snprintf(ptr, sizeof(ptr), "%s/quote", base);
	v = json_object_get(obj, "quote");
	if (v == NULL)
		return;
	if (!json_is_string(v))
		prfaq_error_add(err, ptr, "must be a string");
	else if (json_string_length(v) == 0)
		prfaq_error_add(err, ptr, "must not be empty");
	else if (prfaq_utf8_length(json_string_value(v),
				   json_string_length(v)) > API_QUOTE_MAX)
		prfaq_error_add(err, ptr, "must be at most %d characters",
				API_QUOTE_MAX);
	else if (!required && json_object_get(obj, "anchor") == NULL)
		prfaq_error_add(err, ptr, "needs an anchor to quote from");
	else
		api_check_text(v, PRFAQ_TEXT_LONG, ptr, err);
}

void
api_anchor_resolve(const json_t *content, int version, const char *anchor,
		   const char *quote, const char *base, struct prfaq_error *err)
{
	json_t *at = prfaq_pointer_get(content, anchor);
	char ptr[96];

	if (at == NULL) {
		snprintf(ptr, sizeof(ptr), "%s/anchor", base);
		prfaq_error_add(err, ptr,
				"names nothing in version %d's content",
				version);
	} else if (quote != NULL &&
		   (!json_is_string(at) ||
		    strstr(json_string_value(at), quote) == NULL)) {
		snprintf(ptr, sizeof(ptr), "%s/quote", base);
		prfaq_error_add(err, ptr, "does not occur in the text at %s",
				anchor);
	}
}
