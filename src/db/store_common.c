/*
 * store_common.c - results to text, pages and keysets (see store_internal.h).
 */
#include <stdlib.h>
#include <string.h>

#include "prfaq/buf.h"
#include "prfaq/crypto.h"
#include "store_internal.h"

void
prfaq_text_free(struct prfaq_text *t)
{
	if (t == NULL)
		return;
	free(t->data);
	t->data = NULL;
	t->len = 0;
}

void
prfaq_page_free(struct prfaq_page *p)
{
	if (p == NULL)
		return;
	prfaq_text_free(&p->items);
	free(p->next_key);
	p->next_key = NULL;
}

int
store_text(const PGresult *res, int row, int col, struct prfaq_text *out)
{
	size_t len = (size_t)PQgetlength(res, row, col);
	char *data = malloc(len + 1);

	if (data == NULL)
		return -1;
	memcpy(data, PQgetvalue(res, row, col), len);
	data[len] = '\0';
	out->data = data;
	out->len = len;
	return 0;
}

prfaq_code
store_keyset_parse(const char *key, size_t n, const char **parts,
		   json_t **holder, struct prfaq_error *err)
{
	json_t *arr = json_loads(key, JSON_REJECT_DUPLICATES, NULL);

	if (!json_is_array(arr) || json_array_size(arr) != n)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		parts[i] = json_string_value(json_array_get(arr, i));
		if (parts[i] == NULL)
			goto bad;
	}
	*holder = arr;
	return PRFAQ_OK;
bad:
	json_decref(arr);
	return prfaq_error_set(err, PRFAQ_EINVAL,
			       "cursor is not one this server issued");
}

char *
store_keyset_make(const char *const *parts, size_t n)
{
	json_t *arr = json_array();
	char *text = NULL;

	if (arr == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(arr, json_string(parts[i])) != 0)
			goto out;
	text = json_dumps(arr, JSON_COMPACT);
out:
	json_decref(arr);
	return text;
}

prfaq_code
store_page_fill(const PGresult *res, int col_json, int limit,
		const int *key_cols, size_t nkeys, struct prfaq_page *out,
		struct prfaq_error *err)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	int rows = PQntuples(res);
	int shown = rows > limit ? limit : rows;
	char *next = NULL;

	if (prfaq_buf_putc(&b, '[') != 0)
		goto nomem;
	for (int r = 0; r < shown; r++) {
		if ((r > 0 && prfaq_buf_putc(&b, ',') != 0) ||
		    prfaq_buf_append(&b, PQgetvalue(res, r, col_json),
				     (size_t)PQgetlength(res, r, col_json)) != 0)
			goto nomem;
	}
	if (prfaq_buf_putc(&b, ']') != 0)
		goto nomem;
	if (rows > limit && shown > 0) {
		const char *parts[4];

		for (size_t k = 0; k < nkeys && k < 4; k++)
			parts[k] = PQgetvalue(res, shown - 1, key_cols[k]);
		if ((next = store_keyset_make(parts, nkeys)) == NULL)
			goto nomem;
	}
	out->items.len = b.len;
	out->items.data = prfaq_buf_steal(&b, NULL);
	out->next_key = next;
	return PRFAQ_OK;
nomem:
	prfaq_buf_free(&b);
	return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
}

void
store_bytea_param(const uint8_t *data, size_t len, char *buf)
{
	buf[0] = '\\';
	buf[1] = 'x';
	prfaq_hex(data, len, buf + 2);
}

bool
store_is_int(const char *s)
{
	size_t n = 0;

	if (*s == '-')
		s++;
	for (; s[n] != '\0'; n++)
		if (s[n] < '0' || s[n] > '9')
			return false;
	return n > 0 && n <= 18;
}
