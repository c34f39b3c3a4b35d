/*
 * content.c - the PR/FAQ document schema and its validator (see
 * include/prfaq/content.h).
 *
 * The content schema is a set of static tables (one per object shape) walked
 * by a small validator.  The walk follows the tables, never the input: a member
 * that is not in a table is reported and not descended into, so hostile
 * nesting costs nothing and the recursion depth is that of the schema (four).
 *
 * Every validation problem is reported with the JSON Pointer of the value at
 * fault, built in one buffer that grows and shrinks as the walk goes down and
 * up.  The error list caps itself (PRFAQ_ERRORS_MAX); the walk stops there.
 *
 * This file holds the schema and the walk; content_check.c checks the
 * strings, content_merge.c applies merge-patches and content_diff.c compares
 * documents.
 */
#include "prfaq/content.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "prfaq/buf.h"
#include "prfaq/json.h"
#include "content_internal.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* Schema tables (the types are in content_internal.h)                      */
/* ------------------------------------------------------------------------ */

#define SCHEMA(f)             \
	{                     \
		(f), NELEM(f) \
	}

static const struct field quote_fields[] = {
	{ "text", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "speaker", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
};
static const struct schema quote_schema = SCHEMA(quote_fields);

static const struct field press_release_fields[] = {
	{ "headline", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "subheading", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "launch_date", FIELD_DATE, 0, NULL },
	{ "location", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "summary", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "problem", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "solution", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "leader_quote", FIELD_OBJECT, 0, &quote_schema },
	{ "how_it_works", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "customer_quote", FIELD_OBJECT, 0, &quote_schema },
	{ "call_to_action", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
};
static const struct schema press_release_schema = SCHEMA(press_release_fields);

static const struct field qa_fields[] = {
	{ "question", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "answer", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
};
static const struct schema qa_schema = SCHEMA(qa_fields);

static const struct field faq_fields[] = {
	{ "external", FIELD_LIST, PRFAQ_LIST_MAX, &qa_schema },
	{ "internal", FIELD_LIST, PRFAQ_LIST_MAX, &qa_schema },
};
static const struct schema faq_schema = SCHEMA(faq_fields);

static const struct field customer_fields[] = {
	{ "who", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "problem", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "benefit", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "evidence", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
	{ "experience", FIELD_TEXT, PRFAQ_TEXT_MAX, NULL },
};
static const struct schema customer_schema = SCHEMA(customer_fields);

static const struct field visual_fields[] = {
	{ "title", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
	{ "url", FIELD_URL, PRFAQ_URL_MAX, NULL },
	{ "caption", FIELD_TEXT, PRFAQ_SHORT_TEXT_MAX, NULL },
};
static const struct schema visual_schema = SCHEMA(visual_fields);

/* A FIELD_ENUM's words are the names of its sub schema's fields. */
static const struct field metric_kind_words[] = {
	{ "input", FIELD_TEXT, 0, NULL },
	{ "output", FIELD_TEXT, 0, NULL },
};
static const struct schema metric_kind_enum = SCHEMA(metric_kind_words);

static const struct field metric_direction_words[] = {
	{ "increase", FIELD_TEXT, 0, NULL },
	{ "decrease", FIELD_TEXT, 0, NULL },
};
static const struct schema metric_direction_enum =
	SCHEMA(metric_direction_words);

static const struct field metric_fields[] = {
	{ "key", FIELD_KEY, PRFAQ_METRIC_KEY_MAX, NULL },
	{ "name", FIELD_LINE, PRFAQ_METRIC_NAME_MAX, NULL },
	{ "kind", FIELD_ENUM, 0, &metric_kind_enum },
	{ "unit", FIELD_LINE, PRFAQ_METRIC_UNIT_MAX, NULL },
	{ "direction", FIELD_ENUM, 0, &metric_direction_enum },
	{ "baseline", FIELD_NUMBER, 0, NULL },
	{ "target", FIELD_NUMBER, 0, NULL },
	{ "by", FIELD_DAY, 0, NULL },
};
static const struct schema metric_schema = SCHEMA(metric_fields);

static const struct field content_fields[] = {
	{ "press_release", FIELD_OBJECT, 0, &press_release_schema },
	{ "faq", FIELD_OBJECT, 0, &faq_schema },
	{ "customer", FIELD_OBJECT, 0, &customer_schema },
	{ "visuals", FIELD_LIST, PRFAQ_LIST_MAX, &visual_schema },
	{ "metrics", FIELD_METRICS, PRFAQ_METRICS_MAX, &metric_schema },
};
static const struct schema content_schema = SCHEMA(content_fields);

/* True when key[0..keylen) is exactly name. */
static bool
key_is(const char *key, size_t keylen, const char *name)
{
	return strlen(name) == keylen && memcmp(name, key, keylen) == 0;
}

/*
 * Find the field named key[0..keylen) in sc, or NULL.  The length matters:
 * a key built with an embedded NUL ("headline\0x") must not pass for
 * "headline".
 */
static const struct field *
schema_find(const struct schema *sc, const char *key, size_t keylen)
{
	for (size_t i = 0; i < sc->nfields; i++)
		if (key_is(key, keylen, sc->fields[i].name))
			return &sc->fields[i];
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* Validation context                                                       */
/* ------------------------------------------------------------------------ */

/*
 * Start a walk at root (a pointer, "" for a whole body).  Returns 0, or -1
 * when memory runs out.  The context owns v->ptr; vctx_free() releases it.
 */
static int
vctx_init(struct vctx *v, struct prfaq_error *err, const char *root)
{
	struct prfaq_buf init = PRFAQ_BUF_INIT;

	v->err = err;
	v->ptr = init;
	v->rc = PRFAQ_OK;
	v->stop = false;
	return prfaq_buf_puts(&v->ptr, root);
}

static void
vctx_free(struct vctx *v)
{
	prfaq_buf_free(&v->ptr);
}

/*
 * Out of memory: the walk stops and the answer is PRFAQ_ENOMEM even when
 * validation problems were already found (like prfaq_error_add() does).
 */
static void
vctx_nomem(struct vctx *v)
{
	prfaq_error_set(v->err, PRFAQ_ENOMEM, "Out of memory");
	if (v->err != NULL)
		v->err->code = PRFAQ_ENOMEM;
	v->rc = PRFAQ_ENOMEM;
	v->stop = true;
}

/* Descend into member key; returns the mark to give back to vctx_pop(). */
static size_t
vctx_push_key(struct vctx *v, const char *key)
{
	size_t mark = v->ptr.len;

	if (prfaq_pointer_push(&v->ptr, key) != 0)
		vctx_nomem(v);
	return mark;
}

size_t
vctx_push_index(struct vctx *v, size_t index)
{
	size_t mark = v->ptr.len;

	if (prfaq_pointer_push_index(&v->ptr, index) != 0)
		vctx_nomem(v);
	return mark;
}

/* Climb back to mark (also undoes a push that failed half way). */
void
vctx_pop(struct vctx *v, size_t mark)
{
	v->ptr.len = mark;
	if (v->ptr.data != NULL)
		v->ptr.data[mark] = '\0';
}

/*
 * Report a problem with the value at the current pointer.  Without an err to
 * fill, the first problem decides the answer and the walk stops there.  Once
 * err's list is full (it keeps PRFAQ_ERRORS_MAX entries, then says it was
 * truncated) the walk stops too: a body of a million bad entries must not
 * cost a million reports.
 */
void
vctx_report(struct vctx *v, const char *fmt, ...)
{
	char msg[PRFAQ_ERROR_DETAIL_MAX];
	prfaq_code rc;
	va_list ap;

	if (v->stop)
		return;
	v->rc = PRFAQ_EINVAL;
	if (v->err == NULL) {
		v->stop = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rc = prfaq_error_add(v->err, v->ptr.data != NULL ? v->ptr.data : "",
			     "%s", msg);
	if (rc == PRFAQ_ENOMEM) {
		v->rc = PRFAQ_ENOMEM;
		v->stop = true;
	} else if (v->err->truncated) {
		v->stop = true;
	}
}

/* ------------------------------------------------------------------------ */
/* The walk                                                                 */
/* ------------------------------------------------------------------------ */

static void check_object(struct vctx *v, const json_t *obj,
			 const struct schema *sc);

/*
 * An array of objects.  Past f->max entries the list is reported once and
 * only the first f->max entries are looked at.
 */
static void
check_list(struct vctx *v, const json_t *arr, const struct field *f)
{
	size_t n;

	if (!json_is_array(arr)) {
		vctx_report(v, "must be an array");
		return;
	}
	n = json_array_size(arr);
	if (n > f->max) {
		vctx_report(v, "must have at most %zu entries (got %zu)",
			    f->max, n);
		n = f->max;
	}
	for (size_t i = 0; i < n && !v->stop; i++) {
		size_t mark = vctx_push_index(v, i);

		if (!v->stop)
			check_object(v, json_array_get(arr, i), f->sub);
		vctx_pop(v, mark);
	}
}

/* One of a closed set of words: the names of f->sub's fields. */
static void
check_enum(struct vctx *v, const json_t *value, const struct field *f)
{
	if (json_is_string(value) &&
	    schema_find(f->sub, json_string_value(value),
			json_string_length(value)) != NULL)
		return;
	if (f->sub->nfields == 2)
		vctx_report(v, "must be \"%s\" or \"%s\"",
			    f->sub->fields[0].name, f->sub->fields[1].name);
	else
		vctx_report(v, "must be one of the words the schema lists");
}

static void
check_field(struct vctx *v, const json_t *value, const struct field *f)
{
	switch (f->kind) {
	case FIELD_OBJECT:
		check_object(v, value, f->sub);
		break;
	case FIELD_LIST:
		check_list(v, value, f);
		break;
	case FIELD_METRICS:
		content_check_metrics(v, value, f);
		break;
	case FIELD_ENUM:
		check_enum(v, value, f);
		break;
	case FIELD_LINE:
	case FIELD_NUMBER:
	case FIELD_KEY:
	case FIELD_DAY:
		content_check_metric_value(v, value, f);
		break;
	default:
		content_check_string(v, value, f);
		break;
	}
}

/*
 * An object following sc: every member must be in the table.  Recursion goes
 * through check_field() only for members found in a table, so its depth is
 * bounded by the schema, whatever the input.
 */
static void
check_object(struct vctx *v, const json_t *obj, const struct schema *sc)
{
	const char *key;
	size_t keylen;
	json_t *value;

	if (!json_is_object(obj)) {
		vctx_report(v, "must be an object");
		return;
	}
	/* Iteration does not modify obj; Jansson's macro just lacks const. */
	json_object_keylen_foreach((json_t *)obj, key, keylen, value)
	{
		const struct field *f = schema_find(sc, key, keylen);
		size_t mark;

		if (v->stop)
			break;
		mark = vctx_push_key(v, key);
		if (v->stop)
			break;
		if (f == NULL)
			vctx_report(v, "unknown member: not part of the PR/FAQ "
				       "schema");
		else
			check_field(v, value, f);
		vctx_pop(v, mark);
	}
}

void
content_check_object(struct vctx *v, const json_t *obj, const struct schema *sc)
{
	check_object(v, obj, sc);
}

/* ------------------------------------------------------------------------ */
/* Public validation                                                        */
/* ------------------------------------------------------------------------ */

/*
 * The bytes of every string in v, added to *total.  Only called on a value
 * the schema walk accepted, so its depth is the schema's.
 */
static void
text_bytes(const json_t *v, size_t *total)
{
	const char *key;
	json_t *sub;
	size_t i;

	if (json_is_string(v)) {
		*total += json_string_length(v);
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, sub)
			text_bytes(sub, total);
	} else if (json_is_array(v)) {
		json_array_foreach((json_t *)v, i, sub)
			text_bytes(sub, total);
	}
}

/*
 * A valid document (or content) whose text is more than the search vector
 * holds: PRFAQ_ETOOLARGE naming the limit, not the database's 500
 * ("string is too long for tsvector").
 */
static prfaq_code
check_search_size(const json_t *title, const json_t *content,
		  struct prfaq_error *err)
{
	size_t total = 0;

	text_bytes(title, &total);
	text_bytes(content, &total);
	if (total <= PRFAQ_SEARCH_TEXT_MAX)
		return PRFAQ_OK;
	return prfaq_error_set(
		err, PRFAQ_ETOOLARGE,
		"The document's text is %zu bytes; at most %d bytes (title and "
		"content together) can be indexed for search",
		total, PRFAQ_SEARCH_TEXT_MAX);
}

/*
 * Validate a document body (borrowed) for mode.  Required members are
 * reported first, then every member in the body's order.  Returns PRFAQ_OK,
 * PRFAQ_EINVAL with the problems in err->errors, or PRFAQ_ENOMEM.
 */
prfaq_code
prfaq_doc_validate(const json_t *body, enum prfaq_doc_mode mode,
		   struct prfaq_error *err)
{
	const char *key;
	size_t keylen;
	json_t *value;
	prfaq_code rc;
	struct vctx v;
	bool merged = mode == PRFAQ_DOC_MERGED;

	if (mode != PRFAQ_DOC_CREATE && mode != PRFAQ_DOC_REPLACE && !merged)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "Unknown document validation mode %d",
				       (int)mode);
	if (vctx_init(&v, err, "") != 0) {
		vctx_free(&v);
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	}

	if (!json_is_object(body)) {
		vctx_report(&v, "must be a JSON object");
		goto out;
	}
	if (json_object_get(body, "title") == NULL) {
		size_t mark = vctx_push_key(&v, "title");

		vctx_report(&v, "is required");
		vctx_pop(&v, mark);
	}
	if (mode == PRFAQ_DOC_REPLACE &&
	    json_object_get(body, "content") == NULL) {
		size_t mark = vctx_push_key(&v, "content");

		vctx_report(&v, "is required");
		vctx_pop(&v, mark);
	}

	json_object_keylen_foreach((json_t *)body, key, keylen, value)
	{
		size_t mark;

		if (v.stop)
			break;
		mark = vctx_push_key(&v, key);
		if (v.stop)
			break;
		/*
		 * A merge target built from a stored version may hold null for
		 * an optional member it never had; merge-patch removes the
		 * nulls a client sends, so in a merged body null is "absent".
		 */
		if (key_is(key, keylen, "title"))
			content_check_title(&v, value);
		else if (key_is(key, keylen, "team")) {
			if (!(merged && json_is_null(value)))
				content_check_line(&v, value, PRFAQ_TEAM_MAX);
		} else if (key_is(key, keylen, "tags")) {
			if (!(merged && json_is_null(value)))
				content_check_tags(&v, value);
		} else if (key_is(key, keylen, "content")) {
			if (!(merged && json_is_null(value)))
				check_object(&v, value, &content_schema);
		} else if (key_is(key, keylen, "change_note")) {
			if (!(merged && json_is_null(value)))
				content_check_text(&v, value, PRFAQ_NOTE_MAX);
		} else {
			vctx_report(&v, "unknown member: not part of the "
					"PR/FAQ schema");
		}
		vctx_pop(&v, mark);
	}

out:
	rc = v.rc;
	vctx_free(&v);
	if (rc == PRFAQ_OK)
		rc = check_search_size(json_object_get(body, "title"),
				       json_object_get(body, "content"), err);
	return rc;
}

/*
 * Validate a content object (borrowed) alone, pointers prefixed with base
 * (NULL is "").  Same results as prfaq_doc_validate().
 */
prfaq_code
prfaq_content_validate(const json_t *content, const char *base,
		       struct prfaq_error *err)
{
	prfaq_code rc;
	struct vctx v;

	if (vctx_init(&v, err, base != NULL ? base : "") != 0) {
		vctx_free(&v);
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	}
	check_object(&v, content, &content_schema);
	rc = v.rc;
	vctx_free(&v);
	if (rc == PRFAQ_OK)
		rc = check_search_size(NULL, content, err);
	return rc;
}

prfaq_code
prfaq_content_check_string(const json_t *value, enum prfaq_string_kind kind,
			   size_t max, const char *pointer,
			   struct prfaq_error *err)
{
	struct field f = { "", FIELD_TEXT, max, NULL };
	prfaq_code rc;
	struct vctx v;

	if (vctx_init(&v, err, pointer != NULL ? pointer : "") != 0) {
		vctx_free(&v);
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	}
	switch (kind) {
	case PRFAQ_STRING_LINE:
		content_check_line(&v, value, max);
		break;
	case PRFAQ_STRING_TEXT:
		content_check_text(&v, value, max);
		break;
	case PRFAQ_STRING_URL:
		f.kind = FIELD_URL;
		content_check_string(&v, value, &f);
		break;
	case PRFAQ_STRING_DATE:
		f.kind = FIELD_DATE;
		content_check_string(&v, value, &f);
		break;
	case PRFAQ_STRING_TAGS:
		content_check_tags(&v, value);
		break;
	}
	rc = v.rc;
	vctx_free(&v);
	return rc;
}
