/*
 * paging.h - one way to list: keyset pages, cursors and limits.
 *
 * Every list endpoint answers {"items": [...], "next_cursor": "..." | null}
 * and, when a next page exists, a header Link: <...&cursor=...>; rel="next".
 * A page starts after a position in a fixed total order (the list's sort
 * key, whose last column is unique), never at an offset: the millionth row
 * costs what the first does, and rows written meanwhile neither repeat nor
 * vanish between pages.
 *
 * Two helpers do all of it, one per layer:
 *
 *   src/api  api_list() (src/api/api.h) parses ?limit (1..100, default 20)
 *            and ?cursor, answering 400 for a bad one, asks the handler's
 *            fetch function for the page and replies with it.
 *   src/db   store_list() (src/db/store_internal.h) runs the list's
 *            statement from a key description: it checks the cursor's
 *            values against the key's column types, fetches limit + 1 rows
 *            (one round trip tells whether there is more) and makes the
 *            next position from the last row shown.
 *
 * So a new list is a handler that checks its own parameters and calls
 * api_list, a store function that is a key description and a statement,
 * and nothing else.  See tests/api for what clients rely on.
 *
 * A position ("keyset") is the text of a JSON array holding, as strings,
 * the sort key's values of the last item shown.  Clients see it only as the
 * base64url cursor, which is opaque to them; every cursor is checked when it
 * comes back, so one this server did not issue is a 400, never a query error.
 */
#ifndef PRFAQ_PAGING_H
#define PRFAQ_PAGING_H

#include <stddef.h>

/* JSON text: data is malloc'd and owned by whoever holds the struct. */
struct prfaq_text {
	char *data;
	size_t len;
};

/* Free t's data and empty it; NULL-safe. */
void prfaq_text_free(struct prfaq_text *t);

/* Which page a request asks for (parsed by api_list). */
struct prfaq_page_req {
	int limit;	   /* 1..100 items */
	const char *after; /* keyset of the previous page's last item, or
				   NULL for the first page; borrowed */
};

/* A page of a list: its items, and where the next page starts. */
struct prfaq_page {
	struct prfaq_text items; /* a JSON array */
	char *next_key;		 /* keyset; NULL on the last page; malloc'd */
};

/* Free what the page owns and empty it; NULL-safe. */
void prfaq_page_free(struct prfaq_page *p);

#endif
