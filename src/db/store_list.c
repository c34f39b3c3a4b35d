/*
 * store_list.c - every keyset-paged list of the store, driven by its key
 * description (see store_internal.h and prfaq/paging.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/buf.h"
#include "store_internal.h"

#define BAD_CURSOR "cursor is not one this server issued"

/* Is the string a decimal integer that fits in an int8? */
static bool
is_int(const char *s)
{
	size_t n = 0;

	if (*s == '-')
		s++;
	for (; s[n] != '\0'; n++)
		if (s[n] < '0' || s[n] > '9')
			return false;
	return n > 0 && n <= 18;
}

/* Is the string all a float, as a search rank prints? */
static bool
is_real(const char *s)
{
	char *end;

	if (*s == '\0')
		return false;
	strtod(s, &end);
	return *end == '\0';
}

static bool
key_value_ok(enum store_key_type type, const char *s)
{
	switch (type) {
	case STORE_KEY_INT:
		return is_int(s);
	case STORE_KEY_REAL:
		return is_real(s);
	case STORE_KEY_UUID:
		return prfaq_uuid_valid(s);
	case STORE_KEY_TEXT:
		return true;
	}
	return false;
}

/*
 * Parse a keyset into parts (list->nkeys strings borrowed from *holder,
 * which the caller json_decref()s), each checked against its column's
 * type: PRFAQ_EINVAL for anything else, so that nothing a client made up
 * reaches the statement.
 */
static prfaq_code
keyset_parse(const struct store_list *list, const char *key, const char **parts,
	     json_t **holder, struct prfaq_error *err)
{
	json_t *arr = json_loads(key, JSON_REJECT_DUPLICATES, NULL);

	if (!json_is_array(arr) || json_array_size(arr) != list->nkeys)
		goto bad;
	for (size_t i = 0; i < list->nkeys; i++) {
		parts[i] = json_string_value(json_array_get(arr, i));
		if (parts[i] == NULL || !key_value_ok(list->keys[i], parts[i]))
			goto bad;
	}
	*holder = arr;
	return PRFAQ_OK;
bad:
	json_decref(arr);
	return prfaq_error_set(err, PRFAQ_EINVAL, BAD_CURSOR);
}

/*
 * The keyset of row r: its key columns as a JSON array of strings (a new
 * string; the caller frees it), or NULL if one is not UTF-8.
 */
static char *
keyset_make(const struct store_list *list, const PGresult *res, int row)
{
	json_t *arr = json_array();
	char *text = NULL;

	for (size_t k = 0; k < list->nkeys; k++)
		if (json_array_append_new(
			    arr,
			    json_string(PQgetvalue(res, row, (int)k + 1))) != 0)
			goto out;
	text = json_dumps(arr, JSON_COMPACT);
out:
	json_decref(arr);
	return text;
}

/*
 * Fill a page from a result of limit + 1 rows at most: the first limit
 * items, and the keyset of the last of them when the extra row says there
 * is more.
 */
static prfaq_code
page_fill(const struct store_list *list, const PGresult *res, int limit,
	  struct prfaq_page *out, struct prfaq_error *err)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	int rows = PQntuples(res);
	int shown = rows > limit ? limit : rows;
	char *next = NULL;
	int fail = 0;

	fail |= prfaq_buf_putc(&b, '[');
	for (int r = 0; r < shown; r++) {
		size_t at;

		if (r > 0)
			fail |= prfaq_buf_putc(&b, ',');
		at = b.len;
		fail |= prfaq_buf_append(&b, PQgetvalue(res, r, 0),
					 (size_t)PQgetlength(res, r, 0));
		if (fail == 0) {
			b.len = at +
				store_json_compact(b.data + at, b.len - at);
			b.data[b.len] = '\0';
		}
	}
	fail |= prfaq_buf_putc(&b, ']');
	if (fail != 0) {
		prfaq_buf_free(&b);
		return prfaq_error_set(err, PRFAQ_ENOMEM,
				       "The page is too large");
	}
	/* NULL only for a key that is not UTF-8: the statement is wrong. */
	if (rows > limit && shown > 0 &&
	    (next = keyset_make(list, res, shown - 1)) == NULL) {
		prfaq_buf_free(&b);
		return prfaq_error_set(
			err, PRFAQ_EINTERNAL,
			"The next page's cursor could not be made");
	}
	out->items.len = b.len;
	out->items.data = prfaq_buf_steal(&b, NULL);
	out->next_key = next;
	return PRFAQ_OK;
}

/* The parent (filter 0) exists, or PRFAQ_ENOTFOUND. */
static prfaq_code
parent_check(struct prfaq_db_ctx db, const struct store_list *list,
	     const char *const *filters, struct prfaq_error *err)
{
	const char *params[1] = { filters[0] };
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_query(db, list->parent_exists, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	rc = PQntuples(res) == 1 ? PRFAQ_OK :
				   prfaq_error_set(err, PRFAQ_ENOTFOUND, "%s",
						   list->parent_missing);
	PQclear(res);
	return rc;
}

/*
 * The parameters of one page of list: its filters, the keyset of
 * page->after (its strings borrowed from *holder, which the caller
 * json_decref()s) and the limit (in lim).  params holds STORE_FILTERS_MAX +
 * STORE_KEYS_MAX + 1.
 */
static prfaq_code
list_params(const struct store_list *list, const char *const *filters,
	    const struct prfaq_page_req *page, const char **params,
	    json_t **holder, char lim[16], struct prfaq_error *err)
{
	const char *parts[STORE_KEYS_MAX] = { NULL };
	size_t n = 0;
	prfaq_code rc;

	if (list->nfilters > STORE_FILTERS_MAX || list->nkeys > STORE_KEYS_MAX)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "A list with too many parameters");
	if (page->after != NULL && (rc = keyset_parse(list, page->after, parts,
						      holder, err)) != PRFAQ_OK)
		return rc;
	snprintf(lim, 16, "%d", page->limit);
	for (size_t i = 0; i < list->nfilters; i++)
		params[n++] = filters[i];
	for (size_t k = 0; k < list->nkeys; k++)
		params[n++] = parts[k];
	params[n++] = lim;
	return PRFAQ_OK;
}

prfaq_code
store_list(struct prfaq_db_ctx db, const struct store_list *list,
	   const char *const *filters, const struct prfaq_page_req *page,
	   struct prfaq_page *out, struct prfaq_error *err)
{
	const char *params[STORE_FILTERS_MAX + STORE_KEYS_MAX + 1];
	json_t *holder = NULL;
	PGresult *res = NULL;
	char lim[16];
	prfaq_code rc;

	if (list->parent == STORE_PARENT_FIRST &&
	    (rc = parent_check(db, list, filters, err)) != PRFAQ_OK)
		return rc;
	if ((rc = list_params(list, filters, page, params, &holder, lim,
			      err)) != PRFAQ_OK)
		goto out;
	if ((rc = db_query(db, list->stmt, params, &res, err)) != PRFAQ_OK)
		goto out;
	/* An empty first page: is it the list that is empty, or the parent
	 * that is not there? */
	if (PQntuples(res) == 0 && page->after == NULL &&
	    list->parent == STORE_PARENT_IF_EMPTY &&
	    (rc = parent_check(db, list, filters, err)) != PRFAQ_OK)
		goto out;
	rc = page_fill(list, res, page->limit, out, err);
out:
	PQclear(res);
	json_decref(holder);
	return rc;
}

prfaq_code
store_list_conn(struct db_conn *conn, const struct store_list *list,
		const char *const *filters, const struct prfaq_page_req *page,
		struct prfaq_page *out, struct prfaq_error *err)
{
	const char *params[STORE_FILTERS_MAX + STORE_KEYS_MAX + 1];
	json_t *holder = NULL;
	PGresult *res = NULL;
	char lim[16];
	prfaq_code rc;

	if (list->parent != STORE_PARENT_NONE)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "A list with a parent on a connection");
	if ((rc = list_params(list, filters, page, params, &holder, lim,
			      err)) != PRFAQ_OK)
		goto out;
	if ((rc = db_exec(conn, list->stmt, params, &res, err)) != PRFAQ_OK)
		goto out;
	rc = page_fill(list, res, page->limit, out, err);
out:
	PQclear(res);
	json_decref(holder);
	return rc;
}
