/*
 * evidence.c - the rules of an evidence object and of an NDJSON import line
 * (see prfaq/evidence.h).  String rules (lengths, control characters, URLs,
 * dates, tags) are the document schema's, through
 * prfaq_content_check_string(), so an evidence text fails exactly where a
 * PR/FAQ paragraph would.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/alloc.h"
#include "prfaq/content.h"
#include "prfaq/evidence.h"

static const char *const evidence_members[] = {
	"kind",	    "text",	   "sentiment", "source", "source_ref", "url",
	"customer", "observed_on", "tags",	"value",  "unit",	NULL,
};

static bool
one_of(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

/* base + "/" + name into buf (members here need no escaping). */
static const char *
at(char *buf, size_t size, const char *base, const char *name)
{
	/* Pointers here are short; a cut one is still a string. */
	if (snprintf(buf, size, "%s/%s", base, name) >= (int)size)
		buf[size - 1] = '\0';
	return buf;
}

/* An optional member: absent or null means "not given". */
static const json_t *
given(const json_t *obj, const char *name)
{
	const json_t *v = json_object_get(obj, name);

	return json_is_null(v) ? NULL : v;
}

/*
 * An optional one-line string of at most max code points, not empty (an
 * empty source or unit says nothing; leave it out instead).
 */
static void
check_line(const json_t *obj, const char *name, size_t max, const char *base,
	   struct prfaq_error *err)
{
	const json_t *v = given(obj, name);
	char ptr[128];

	if (v == NULL)
		return;
	at(ptr, sizeof(ptr), base, name);
	if (json_is_string(v) && json_string_length(v) == 0)
		prfaq_error_add(err, ptr, "%s", "must not be empty (omit it)");
	else
		prfaq_content_check_string(v, PRFAQ_STRING_LINE, max, ptr, err);
}

static void
check_enum(const json_t *obj, const char *name, const char *const *set,
	   const char *known, bool required, const char *base,
	   struct prfaq_error *err)
{
	const json_t *v = given(obj, name);
	char ptr[128];

	at(ptr, sizeof(ptr), base, name);
	if (v == NULL) {
		if (required)
			prfaq_error_add(err, ptr, "is required; one of %s",
					known);
	} else if (!json_is_string(v) || !one_of(json_string_value(v), set)) {
		prfaq_error_add(err, ptr, "must be one of %s", known);
	}
}

/* customer: {segment?, name?}, one-line strings. */
static void
check_customer(const json_t *obj, const char *base, struct prfaq_error *err)
{
	static const char *const members[] = { "segment", "name", NULL };
	const json_t *c = given(obj, "customer");
	char ptr[128];
	const char *key;
	json_t *v;

	if (c == NULL)
		return;
	at(ptr, sizeof(ptr), base, "customer");
	if (!json_is_object(c)) {
		prfaq_error_add(err, ptr, "%s",
				"must be an object {segment?, name?}");
		return;
	}
	json_object_foreach((json_t *)c, key, v) {
		char sub[256];

		if (one_of(key, members))
			continue;
		snprintf(sub, sizeof(sub), "%s/%.64s", ptr, key);
		prfaq_error_add(err, sub, "%s",
				"unknown member: customer has segment and "
				"name");
	}
	check_line(c, "segment", PRFAQ_EVIDENCE_SOURCE_MAX, ptr, err);
	check_line(c, "name", PRFAQ_EVIDENCE_NAME_MAX, ptr, err);
}

/* value and unit: a finite number and a short line, only for data. */
static void
check_measure(const json_t *obj, const char *base, struct prfaq_error *err)
{
	const json_t *kind = given(obj, "kind");
	const json_t *value = given(obj, "value");
	const json_t *unit = given(obj, "unit");
	bool data = json_is_string(kind) &&
		    strcmp(json_string_value(kind), "data") == 0;
	char ptr[128];

	/* An unknown kind is reported on its own; nothing more to say. */
	if (!json_is_string(kind) ||
	    !one_of(json_string_value(kind),
		    (const char *const[]){ "anecdote", "request", "data",
					   NULL }))
		data = true;
	if (value != NULL) {
		at(ptr, sizeof(ptr), base, "value");
		if (!data)
			prfaq_error_add(err, ptr, "%s",
					"only data points carry a value (kind "
					"\"data\")");
		else if (!json_is_number(value) ||
			 !isfinite(json_number_value(value)))
			prfaq_error_add(err, ptr, "%s", "must be a number");
	}
	if (unit != NULL) {
		at(ptr, sizeof(ptr), base, "unit");
		if (!data)
			prfaq_error_add(err, ptr, "%s",
					"only data points carry a unit (kind "
					"\"data\")");
		else
			check_line(obj, "unit", PRFAQ_EVIDENCE_UNIT_MAX, base,
				   err);
	}
}

prfaq_code
prfaq_evidence_validate(const json_t *obj, const char *base,
			struct prfaq_error *err)
{
	static const char *const kinds[] = { "anecdote", "request", "data",
					     NULL };
	static const char *const sentiments[] = { "negative", "neutral",
						  "positive", NULL };
	const json_t *v;
	const char *key;
	char ptr[128];

	if (base == NULL)
		base = "";
	if (!json_is_object(obj))
		return prfaq_error_add(err, base, "%s",
				       "must be a JSON object");
	json_object_foreach((json_t *)obj, key, v) {
		char unknown[128];

		if (one_of(key, evidence_members))
			continue;
		snprintf(unknown, sizeof(unknown), "%s/%.64s", base, key);
		prfaq_error_add(err, unknown, "%s",
				"unknown member: not part of an evidence item");
	}
	check_enum(obj, "kind", kinds, "anecdote, request, data", true, base,
		   err);
	check_enum(obj, "sentiment", sentiments, "negative, neutral, positive",
		   false, base, err);

	at(ptr, sizeof(ptr), base, "text");
	v = given(obj, "text");
	if (v == NULL)
		prfaq_error_add(err, ptr, "%s", "is required");
	else if (json_is_string(v) && json_string_length(v) == 0)
		prfaq_error_add(err, ptr, "%s", "must not be empty");
	else
		prfaq_content_check_string(v, PRFAQ_STRING_TEXT,
					   PRFAQ_EVIDENCE_TEXT_MAX, ptr, err);

	check_line(obj, "source", PRFAQ_EVIDENCE_SOURCE_MAX, base, err);
	check_line(obj, "source_ref", PRFAQ_EVIDENCE_SOURCE_REF_MAX, base, err);
	if ((v = given(obj, "url")) != NULL) {
		at(ptr, sizeof(ptr), base, "url");
		/* The schema's URL check lets "" stand for "not yet": here a
		 * URL is either there or left out. */
		if (json_is_string(v) && json_string_length(v) == 0)
			prfaq_error_add(err, ptr, "%s",
					"must be an absolute http:// or "
					"https:// URL");
		else
			prfaq_content_check_string(v, PRFAQ_STRING_URL, 2000,
						   ptr, err);
	}
	if ((v = given(obj, "observed_on")) != NULL) {
		at(ptr, sizeof(ptr), base, "observed_on");
		if (json_is_string(v) && json_string_length(v) == 0)
			prfaq_error_add(err, ptr, "%s",
					"must be a date in YYYY-MM-DD form");
		else
			prfaq_content_check_string(v, PRFAQ_STRING_DATE, 10,
						   ptr, err);
	}
	if ((v = given(obj, "tags")) != NULL)
		prfaq_content_check_string(v, PRFAQ_STRING_TAGS, 0,
					   at(ptr, sizeof(ptr), base, "tags"),
					   err);
	check_customer(obj, base, err);
	check_measure(obj, base, err);
	return err->code;
}

/* Copy every entry of from into err with its line number. */
static prfaq_code
copy_with_line(struct prfaq_error *from, size_t lineno, struct prfaq_error *err)
{
	size_t i;
	json_t *e;

	if (from->code == PRFAQ_ENOMEM)
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	if (from->errors == NULL || json_array_size(from->errors) == 0) {
		prfaq_error_add_entry(err,
				      json_pack("{s:I, s:s, s:s}", "line",
						(json_int_t)lineno, "pointer",
						"", "message", from->detail));
	}
	json_array_foreach(from->errors, i, e) {
		json_t *entry = json_deep_copy(e);

		if (entry != NULL)
			json_object_set_new(entry, "line",
					    json_integer((json_int_t)lineno));
		prfaq_error_add_entry(err, entry);
	}
	return err->code != PRFAQ_OK ? err->code : PRFAQ_EINVAL;
}

prfaq_code
prfaq_evidence_parse_line(const char *line, size_t len, size_t lineno,
			  json_t **out, struct prfaq_error *err)
{
	struct prfaq_error mine;
	json_error_t jerr;
	json_t *obj = NULL;
	prfaq_code rc;

	prfaq_error_init(&mine);
	obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (obj == NULL) {
		prfaq_error_add(&mine, "", "not JSON: %s", jerr.text);
		goto bad;
	}
	if (prfaq_evidence_validate(obj, "", &mine) != PRFAQ_OK)
		goto bad;
	*out = obj;
	return PRFAQ_OK;
bad:
	json_decref(obj);
	rc = copy_with_line(&mine, lineno, err);
	prfaq_error_clear(&mine);
	return rc;
}

/* An entry {line, pointer: "", message} about a line as a whole. */
static prfaq_code
line_error(struct prfaq_error *err, size_t lineno, const char *message)
{
	return prfaq_error_add_entry(
		err, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)lineno,
			       "pointer", "", "message", message));
}

/* Only spaces and tabs: a blank line, skipped. */
static bool
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/*
 * The upsert key of a valid item, "source" US "source_ref", into seen with
 * its line; a key seen before is an error naming both lines.  Items
 * without source_ref have no key: each is created.
 */
static void
check_duplicate(json_t *seen, const json_t *obj, size_t lineno,
		struct prfaq_error *err)
{
	const char *src = json_string_value(given(obj, "source"));
	const char *ref = json_string_value(given(obj, "source_ref"));
	char *key = NULL;
	json_t *prev;
	size_t n;

	if (ref == NULL)
		return;
	if (src == NULL)
		src = "";
	n = strlen(src) + strlen(ref) + 2;
	key = prfaq_malloc(n);
	/* U+001F never occurs in a valid source: a key maps to one pair. */
	snprintf(key, n, "%s\x1f%s", src, ref);
	prev = json_object_get(seen, key);
	if (prev != NULL) {
		char msg[128];

		snprintf(
			msg, sizeof(msg),
			"the same source and source_ref as line %" JSON_INTEGER_FORMAT
			": one import upserts a key once",
			json_integer_value(prev));
		prfaq_error_add_entry(err,
				      json_pack("{s:I, s:s, s:s}", "line",
						(json_int_t)lineno, "pointer",
						"/source_ref", "message", msg));
	} else {
		json_object_set_new(seen, key,
				    json_integer((json_int_t)lineno));
	}
	free(key);
}

prfaq_code
prfaq_evidence_import_parse(const char *body, size_t len, json_t **items,
			    struct prfaq_error *err)
{
	json_t *arr = json_array(), *seen = json_object();
	const char *p = body, *end = body + len;
	size_t lineno = 0, records = 0;
	prfaq_code rc = PRFAQ_OK;

	if (arr == NULL || seen == NULL) {
		rc = prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
		goto out;
	}
	while (p < end && !err->truncated) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl != NULL ? nl : end;
		size_t n = (size_t)(stop - p);
		json_t *obj = NULL;

		lineno++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (!blank(p, n)) {
			if (++records > PRFAQ_EVIDENCE_IMPORT_LINES) {
				line_error(err, lineno,
					   "an import holds at most 10,000 "
					   "evidence lines: split it");
				break;
			}
			if (prfaq_evidence_parse_line(p, n, lineno, &obj,
						      err) == PRFAQ_OK) {
				check_duplicate(seen, obj, lineno, err);
				json_array_append_new(arr, obj);
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}
	if (err->code == PRFAQ_OK && records == 0)
		prfaq_error_set(err, PRFAQ_EINVAL, "%s",
				"The import holds no evidence: send one JSON "
				"object per line");
	if ((rc = err->code) != PRFAQ_OK)
		goto out;
	*items = arr;
	arr = NULL;
out:
	json_decref(arr);
	json_decref(seen);
	return rc;
}
