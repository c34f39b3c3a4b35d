/*
 * store_common.c - results to text, and bytea parameters (see
 * store_internal.h).
 */
#include <stdlib.h>
#include <string.h>

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

/* See store_internal.h. */
size_t
store_json_compact(char *s, size_t len)
{
	size_t w = 0, r = 0;

	while (r < len) {
		char c = s[r++];

		if (c == '"') {
			/* A string: up to its closing quote, escapes and all. */
			s[w++] = c;
			while (r < len) {
				c = s[r++];
				s[w++] = c;
				if (c == '\\' && r < len)
					s[w++] = s[r++];
				else if (c == '"')
					break;
			}
		} else if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
			s[w++] = c;
		}
	}
	return w;
}

void
store_text(const PGresult *res, int row, int col, struct prfaq_text *out)
{
	size_t len = (size_t)PQgetlength(res, row, col);
	char *data = prfaq_malloc(len + 1);

	memcpy(data, PQgetvalue(res, row, col), len);
	len = store_json_compact(data, len);
	data[len] = '\0';
	out->data = data;
	out->len = len;
}

prfaq_code
store_row_text(PGresult *res, int col, const char *missing,
	       struct prfaq_text *out, struct prfaq_error *err)
{
	prfaq_code rc = PRFAQ_OK;

	if (PQntuples(res) != 1)
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND, "%s", missing);
	else
		store_text(res, 0, col, out);
	PQclear(res);
	return rc;
}

void
store_bytea_param(const uint8_t *data, size_t len, char *buf)
{
	buf[0] = '\\';
	buf[1] = 'x';
	prfaq_hex(data, len, buf + 2);
}
