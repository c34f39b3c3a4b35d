/*
 * content.h - the PR/FAQ document schema, RFC 7396 merge-patch and structural
 * diff.  Pure code: no HTTP, no database.
 *
 * A "document body" is what clients send and what a version stores:
 *   {"title": str, "team": str?, "tags": [str]?, "content": {...}?,
 *    "change_note": str?}
 * "content" follows the Content schema of openapi/openapi.yaml (the tables
 * in src/domain/content.c): every member optional, but what is present must
 * have the right type and no unknown member.
 */
#ifndef PRFAQ_CONTENT_H
#define PRFAQ_CONTENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "prfaq/error.h"

/* Limits, counted in Unicode code points for text and entries for lists. */
#define PRFAQ_TITLE_MAX 200
#define PRFAQ_TEAM_MAX	100
#define PRFAQ_TAG_MAX	50
#define PRFAQ_TAGS_MAX	20
#define PRFAQ_NOTE_MAX	1000
#define PRFAQ_SHORT_TEXT_MAX \
	300		     /* headline, location, speaker, question, ... */
#define PRFAQ_TEXT_MAX 20000 /* paragraphs and answers */
#define PRFAQ_LIST_MAX 100   /* FAQ entries per list, visuals */
#define PRFAQ_URL_MAX  2000

/* content.metrics: how success is measured (API.md "Closing the loop") */
#define PRFAQ_METRICS_MAX     50
#define PRFAQ_METRIC_KEY_MAX  40
#define PRFAQ_METRIC_NAME_MAX 200
#define PRFAQ_METRIC_UNIT_MAX 50

/*
 * The text of a document, in bytes (title and every string of content),
 * that PostgreSQL can index for search: a tsvector holds at most 1 MB of
 * lexemes, and one word yields up to two (a hyphenated word is itself and
 * its parts; a URL is itself, its host and its path).  Above this a valid
 * document is 413, by name, before it reaches the database.
 */
#define PRFAQ_SEARCH_TEXT_MAX (512 * 1024)

enum prfaq_doc_mode {
	PRFAQ_DOC_CREATE, /* title required; team, tags, content, change_note optional */
	PRFAQ_DOC_REPLACE, /* title and content required; team, tags, change_note optional */
	PRFAQ_DOC_MERGED, /* the result of a merge-patch: like REPLACE but content optional */
};

/*
 * Validate a document body.  Collects every problem (not only the first) into
 * err->errors with JSON Pointers relative to the body ("/content/faq/external/0/answer").
 * Returns PRFAQ_OK or PRFAQ_EINVAL (PRFAQ_ENOMEM if out of memory), or, for
 * a valid document whose text passes PRFAQ_SEARCH_TEXT_MAX, PRFAQ_ETOOLARGE
 * with a detail naming the limit.
 */
prfaq_code prfaq_doc_validate(const json_t *body, enum prfaq_doc_mode mode,
			      struct prfaq_error *err);

/*
 * Validate a content object alone; pointers are prefixed with base (e.g.
 * "/content").  Used by /v1/lint.  PRFAQ_ETOOLARGE as for
 * prfaq_doc_validate().
 */
prfaq_code prfaq_content_validate(const json_t *content, const char *base,
				  struct prfaq_error *err);

/*
 * RFC 7396: apply patch to target and return the result as a new reference
 * (target is not modified).  NULL only when memory runs out.
 */
json_t *prfaq_merge_patch(const json_t *target, const json_t *patch);

/*
 * Structural diff from a to b (both borrowed): a new array of
 * {"path": pointer, "op": "add"|"remove"|"replace", "from"?: old, "to"?: new}.
 * Objects are compared member by member (members in a's order, then those only
 * in b), arrays index by index; scalars and type changes are "replace".
 * Identical inputs give an empty array.  NULL only when memory runs out.
 */
json_t *prfaq_diff(const json_t *a, const json_t *b);

/*
 * Whether s[0..len) is a metric key: ^[a-z0-9][a-z0-9-]{0,39}$ (the
 * measurements of a launched PR/FAQ name their metric by it).
 */
bool prfaq_metric_key_valid(const char *s, size_t len);

/* What prfaq_content_check_string() checks a value as. */
enum prfaq_string_kind {
	PRFAQ_STRING_LINE, /* one line: no control characters, no breaks */
	PRFAQ_STRING_TEXT, /* multi-line: newline, CR and tab allowed */
	PRFAQ_STRING_URL,  /* absolute http(s) URL with a host, or "" */
	PRFAQ_STRING_DATE, /* a real calendar date YYYY-MM-DD, or "" */
	PRFAQ_STRING_TAGS, /* an array of distinct one-line tags */
};

/*
 * Check one value (borrowed) with the document schema's string rules, so
 * other resources (evidence) apply the same lengths (max code points; tags
 * use their own limits), control characters, URLs and dates.  Problems go
 * to err at pointer.  PRFAQ_OK, PRFAQ_EINVAL or PRFAQ_ENOMEM.
 */
prfaq_code prfaq_content_check_string(const json_t *value,
				      enum prfaq_string_kind kind, size_t max,
				      const char *pointer,
				      struct prfaq_error *err);

#endif
