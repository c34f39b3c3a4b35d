/*
 * store_doc.c - a document and its quality report as the text parameters
 * of a version's write (see store_doc.h).
 */
#include "store_doc.h"

#include <stdlib.h>
#include <string.h>

/*
 * The JSON text of v, which must be of type: *text is a new string, or
 * PRFAQ_EINTERNAL naming what (a member of the document).
 */
static prfaq_code
encode(const json_t *v, json_type type, const char *what, char **text,
       struct prfaq_error *err)
{
	if (v == NULL || json_typeof(v) != type)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "The version to write has no valid %s",
				       what);
	if ((*text = json_dumps(v, JSON_COMPACT)) == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "The version's %s could not be encoded",
				       what);
	return PRFAQ_OK;
}

prfaq_code
store_doc_params(const json_t *doc, const json_t *quality,
		 struct store_doc_params *p, struct prfaq_error *err)
{
	struct store_doc_params n = { NULL, NULL, NULL, NULL, NULL };
	const json_t *team = json_object_get(doc, "team");
	prfaq_code rc;

	n.title = json_string_value(json_object_get(doc, "title"));
	if (n.title == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "The version to write has no title");
	if (team != NULL && !json_is_null(team) &&
	    (n.team = json_string_value(team)) == NULL)
		return prfaq_error_set(
			err, PRFAQ_EINTERNAL,
			"The version to write has no valid team");
	if ((rc = encode(json_object_get(doc, "tags"), JSON_ARRAY, "tags",
			 &n.tags, err)) != PRFAQ_OK ||
	    (rc = encode(json_object_get(doc, "content"), JSON_OBJECT,
			 "content", &n.content, err)) != PRFAQ_OK ||
	    (rc = encode(quality, JSON_OBJECT, "quality report", &n.quality,
			 err)) != PRFAQ_OK) {
		store_doc_params_free(&n);
		return rc;
	}
	*p = n;
	return PRFAQ_OK;
}

void
store_doc_params_free(struct store_doc_params *p)
{
	if (p == NULL)
		return;
	free(p->tags);
	free(p->content);
	free(p->quality);
	memset(p, 0, sizeof(*p));
}
