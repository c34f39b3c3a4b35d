/*
 * store_doc.h - what a PR/FAQ version is written with: its document and
 * quality report serialised to the text parameters of the statements.
 *
 * Pure (Jansson only, no libpq), so that tests/unit/test_alloc.c can run the
 * write path's serialisation with every allocation failing in turn.  Not
 * for use outside src/db.
 */
#ifndef PRFAQ_STORE_DOC_H
#define PRFAQ_STORE_DOC_H

#include <jansson.h>

#include "prfaq/error.h"

struct store_doc_params {
	const char *title; /* borrowed from the document */
	const char *team;  /* borrowed; NULL: no team */
	char *tags;	   /* JSON array text; owned */
	char *content;	   /* JSON object text; owned */
	char *quality;	   /* JSON object text; owned */
};

/*
 * Serialise doc {title, team?, tags, content} (the shape the API makes,
 * borrowed) and its quality report (borrowed) into *p.  A member that is
 * missing, of another type, or that Jansson cannot encode is
 * PRFAQ_EINTERNAL: the write fails, and nothing stands in for the value.
 * On PRFAQ_OK the caller frees *p with store_doc_params_free(); on failure
 * *p is untouched.
 */
prfaq_code store_doc_params(const json_t *doc, const json_t *quality,
			    struct store_doc_params *p,
			    struct prfaq_error *err);

/* Free what p owns; NULL-safe. */
void store_doc_params_free(struct store_doc_params *p);

#endif
