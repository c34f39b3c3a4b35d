/*
 * test_content.c - document schema, RFC 7396 merge-patch and structural diff
 * (src/domain/content*.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "prfaq/alloc.h"
#include "prfaq/content.h"
#include "prfaq/error.h"
#include "prfaq/json.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

/*
 * Parse test JSON written with single quotes ('a' for "a"), which keeps the
 * literals below readable.  Fails the test on a typo.
 */
static json_t *
J(const char *text)
{
	json_error_t jerr;
	char *s = strdup(text);
	json_t *v;

	assert_non_null(s);
	for (char *p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	v = json_loads(s, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (v == NULL)
		fail_msg("bad test JSON (%s): %s", jerr.text, s);
	free(s);
	return v;
}

/* A string of n code points alternating 2-byte "é" and 4-byte "😀". */
static json_t *
mb_string(size_t n)
{
	char *s = malloc(4 * n + 1), *p = s;
	json_t *v;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		if (i % 2 == 0) {
			memcpy(p, "\xc3\xa9", 2);
			p += 2;
		} else {
			memcpy(p, "\xf0\x9f\x98\x80", 4);
			p += 4;
		}
	}
	*p = '\0';
	v = json_string(s);
	assert_non_null(v);
	/* More bytes than code points: a byte count would get this wrong. */
	assert_true(n == 0 || json_string_length(v) > n);
	free(s);
	return v;
}

/* prefix followed by "é" until the whole is n code points. */
static json_t *
padded_string(const char *prefix, size_t n)
{
	size_t plen = strlen(prefix);
	char *s = malloc(plen + 2 * n + 1), *p;
	json_t *v;

	assert_non_null(s);
	assert_true(n >= plen);
	memcpy(s, prefix, plen);
	p = s + plen;
	for (size_t i = plen; i < n; i++) {
		memcpy(p, "\xc3\xa9", 2);
		p += 2;
	}
	*p = '\0';
	v = json_string(s);
	free(s);
	return v;
}

/*
 * Build a content object with value (stolen) at path, creating objects on
 * the way; a "0" token makes an array holding one object.
 */
static json_t *
content_at(const char *path, json_t *value)
{
	char *copy = strdup(path), *tok[8], *save = NULL;
	size_t n = 0;
	json_t *root = json_object(), *cur = root;

	assert_non_null(copy);
	for (char *t = strtok_r(copy, "/", &save); t != NULL;
	     t = strtok_r(NULL, "/", &save)) {
		assert_true(n < NELEM(tok));
		tok[n++] = t;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *child;

		if (i + 1 == n) {
			assert_int_equal(
				json_object_set_new(cur, tok[i], value), 0);
			break;
		}
		child = json_object();
		if (strcmp(tok[i + 1], "0") == 0) {
			json_t *arr = json_array();

			json_array_append_new(arr, child);
			json_object_set_new(cur, tok[i], arr);
			i++;
		} else {
			json_object_set_new(cur, tok[i], child);
		}
		cur = child;
	}
	free(copy);
	return root;
}

/* Check the i-th validation entry exactly. */
static void
expect_error(const struct prfaq_error *err, size_t i, const char *pointer,
	     const char *message)
{
	json_t *e = json_array_get(err->errors, i);
	const char *p, *m;

	if (e == NULL)
		fail_msg("no error #%zu (expected %s: %s)", i, pointer,
			 message);
	p = json_string_value(json_object_get(e, "pointer"));
	m = json_string_value(json_object_get(e, "message"));
	assert_non_null(p);
	assert_non_null(m);
	if (strcmp(p, pointer) != 0 ||
	    (message != NULL && strcmp(m, message) != 0))
		fail_msg("error #%zu is {%s: %s}, expected {%s: %s}", i, p, m,
			 pointer, message != NULL ? message : "*");
}

static size_t
error_count(const struct prfaq_error *err)
{
	return err->errors != NULL ? json_array_size(err->errors) : 0;
}

/* Validate text as a document body; fills err (initialised here). */
static prfaq_code
doc(const char *text, enum prfaq_doc_mode mode, struct prfaq_error *err)
{
	json_t *body = J(text);
	prfaq_code rc;

	prfaq_error_init(err);
	rc = prfaq_doc_validate(body, mode, err);
	json_decref(body);
	return rc;
}

static void
expect_doc_ok(const char *text, enum prfaq_doc_mode mode)
{
	struct prfaq_error err;

	if (doc(text, mode, &err) != PRFAQ_OK) {
		char *dump = json_dumps(err.errors, 0);

		fail_msg("expected valid (mode %d): %s -> %s", (int)mode, text,
			 dump);
	}
	assert_null(err.errors);
	assert_int_equal(err.code, PRFAQ_OK);
	prfaq_error_clear(&err);
}

/* Expect exactly one error for a body. */
static void
expect_doc_error(const char *text, enum prfaq_doc_mode mode,
		 const char *pointer, const char *message)
{
	struct prfaq_error err;

	assert_int_equal(doc(text, mode, &err), PRFAQ_EINVAL);
	assert_int_equal(err.code, PRFAQ_EINVAL);
	if (error_count(&err) != 1) {
		char *dump = json_dumps(err.errors, 0);

		fail_msg("expected one error for %s, got %s", text, dump);
	}
	expect_error(&err, 0, pointer, message);
	prfaq_error_clear(&err);
}

/* Validate a content object (stolen) under "/content". */
static prfaq_code
content(json_t *c, struct prfaq_error *err)
{
	prfaq_code rc;

	prfaq_error_init(err);
	rc = prfaq_content_validate(c, "/content", err);
	json_decref(c);
	return rc;
}

static void
expect_content_ok(json_t *c)
{
	struct prfaq_error err;
	char *dump = json_dumps(c, JSON_COMPACT);

	if (content(c, &err) != PRFAQ_OK) {
		char *errs = json_dumps(err.errors, 0);

		fail_msg("expected valid content %.200s -> %s", dump, errs);
	}
	assert_null(err.errors);
	free(dump);
	prfaq_error_clear(&err);
}

static void
expect_content_error(json_t *c, const char *pointer, const char *message)
{
	struct prfaq_error err;
	char *dump = json_dumps(c, JSON_COMPACT);

	if (content(c, &err) != PRFAQ_EINVAL)
		fail_msg("expected invalid content %.200s", dump);
	if (error_count(&err) != 1) {
		char *errs = json_dumps(err.errors, 0);

		fail_msg("expected one error for %.200s, got %s", dump, errs);
	}
	expect_error(&err, 0, pointer, message);
	free(dump);
	prfaq_error_clear(&err);
}

/* A complete, valid PR/FAQ content (openapi.yaml's Content, filled in). */
static const char *full_content =
	"{'press_release': {"
	"  'headline': 'Acme launches instant refunds',"
	"  'subheading': 'Money back before you leave the store',"
	"  'launch_date': '2027-03-01', 'location': 'SEATTLE',"
	"  'summary': 'Today Acme...', 'problem': 'Refunds take\\n10 days.',"
	"  'solution': 'Instant.',"
	"  'leader_quote': {'text': 'We obsess.', 'speaker': 'Ana, CEO'},"
	"  'how_it_works': '1.\\tScan\\r\\n2.\\tDone',"
	"  'customer_quote': {'text': 'Wow.', 'speaker': 'Bo'},"
	"  'call_to_action': 'Go to acme.example'},"
	" 'faq': {"
	"  'external': [{'question': 'How much?', 'answer': 'Free.'},"
	"               {'question': 'Where?', 'answer': 'Everywhere.'}],"
	"  'internal': [{'question': 'Cost?', 'answer': '$1M.'}]},"
	" 'customer': {'who': 'Shoppers', 'problem': 'Waiting',"
	"  'benefit': 'Speed', 'evidence': 'Survey', 'experience': 'Smooth'},"
	" 'visuals': [{'title': 'Flow', 'url': 'https://acme.example/flow.png',"
	"  'caption': 'The flow'}]}";

/* ---------------------------------------------------------------------- */
/* Document body                                                          */
/* ---------------------------------------------------------------------- */

static void
test_doc_minimal(void **state)
{
	(void)state;
	expect_doc_ok("{'title': 'Instant refunds'}", PRFAQ_DOC_CREATE);
	expect_doc_ok("{'title': 'Instant refunds'}", PRFAQ_DOC_MERGED);
	expect_doc_ok("{'title': 'x', 'content': {}}", PRFAQ_DOC_REPLACE);
}

static void
test_doc_full(void **state)
{
	char text[4096];

	(void)state;
	snprintf(
		text, sizeof(text),
		"{'title': 'Instant refunds', 'team': 'payments',"
		" 'tags': ['prime', 'refunds'], 'change_note': 'First\\ndraft',"
		" 'content': %s}",
		full_content);
	expect_doc_ok(text, PRFAQ_DOC_CREATE);
	expect_doc_ok(text, PRFAQ_DOC_REPLACE);
	expect_doc_ok(text, PRFAQ_DOC_MERGED);
}

/* While drafting every content string may be empty, dates and URLs too. */
static void
test_doc_empty_strings(void **state)
{
	(void)state;
	expect_doc_ok("{'title': 'x', 'team': '', 'change_note': '',"
		      " 'content': {'press_release': {'headline': '',"
		      " 'subheading': '', 'launch_date': '', 'location': '',"
		      " 'summary': '', 'problem': '', 'solution': '',"
		      " 'leader_quote': {'text': '', 'speaker': ''},"
		      " 'how_it_works': '',"
		      " 'customer_quote': {'text': '', 'speaker': ''},"
		      " 'call_to_action': ''},"
		      " 'faq': {'external': [{'question': '', 'answer': ''}],"
		      " 'internal': [{}]},"
		      " 'customer': {'who': '', 'problem': '', 'benefit': '',"
		      " 'evidence': '', 'experience': ''},"
		      " 'visuals': [{'title': '', 'url': '', 'caption': ''}]}}",
		      PRFAQ_DOC_REPLACE);
	expect_doc_ok("{'title': 'x', 'tags': [], 'content': {'faq': {"
		      "'external': [], 'internal': []}, 'visuals': [],"
		      " 'press_release': {}, 'customer': {}}}",
		      PRFAQ_DOC_CREATE);
}

static void
test_doc_not_object(void **state)
{
	struct prfaq_error err;

	(void)state;
	expect_doc_error("[]", PRFAQ_DOC_CREATE, "", "must be a JSON object");
	expect_doc_error("'title'", PRFAQ_DOC_REPLACE, "",
			 "must be a JSON object");
	expect_doc_error("null", PRFAQ_DOC_MERGED, "", "must be a JSON object");
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(NULL, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_EINVAL);
	expect_error(&err, 0, "", "must be a JSON object");
	assert_int_equal(error_count(&err), 1);
	prfaq_error_clear(&err);
}

static void
test_doc_required_by_mode(void **state)
{
	struct prfaq_error err;

	(void)state;
	expect_doc_error("{}", PRFAQ_DOC_CREATE, "/title", "is required");
	expect_doc_error("{}", PRFAQ_DOC_MERGED, "/title", "is required");
	expect_doc_error("{'title': 'x'}", PRFAQ_DOC_REPLACE, "/content",
			 "is required");
	expect_doc_error("{'content': {}}", PRFAQ_DOC_REPLACE, "/title",
			 "is required");

	assert_int_equal(doc("{'team': 'a'}", PRFAQ_DOC_REPLACE, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 2);
	expect_error(&err, 0, "/title", "is required");
	expect_error(&err, 1, "/content", "is required");
	prfaq_error_clear(&err);

	/* Content is optional on create and after a merge. */
	expect_doc_ok("{'title': 'x', 'team': 't', 'tags': ['a'],"
		      " 'change_note': 'n'}",
		      PRFAQ_DOC_CREATE);
	expect_doc_ok("{'title': 'x', 'team': 't'}", PRFAQ_DOC_MERGED);
}

static void
test_doc_title(void **state)
{
	struct prfaq_error err;
	json_t *body;

	(void)state;
	expect_doc_error("{'title': null}", PRFAQ_DOC_CREATE, "/title",
			 "must be a string");
	expect_doc_error("{'title': null}", PRFAQ_DOC_MERGED, "/title",
			 "must be a string");
	expect_doc_error("{'title': 42}", PRFAQ_DOC_CREATE, "/title",
			 "must be a string");
	expect_doc_error("{'title': ['a']}", PRFAQ_DOC_CREATE, "/title",
			 "must be a string");
	expect_doc_error("{'title': ''}", PRFAQ_DOC_CREATE, "/title",
			 "must not be empty");
	expect_doc_error("{'title': ' \\t\\n '}", PRFAQ_DOC_CREATE, "/title",
			 "must not be blank (only whitespace)");
	/* No-break space, ideographic space, zero-width space. */
	expect_doc_error("{'title': '\\u00a0\\u3000\\u200b'}", PRFAQ_DOC_CREATE,
			 "/title", "must not be blank (only whitespace)");
	expect_doc_error("{'title': 'Line one\\nline two'}", PRFAQ_DOC_CREATE,
			 "/title",
			 "must not contain control characters or line breaks "
			 "(found U+000A)");
	expect_doc_error("{'title': 'Bell\\u0007'}", PRFAQ_DOC_CREATE, "/title",
			 "must not contain control characters or line breaks "
			 "(found U+0007)");
	expect_doc_ok("{'title': ' padded '}", PRFAQ_DOC_CREATE);

	/* 200 code points (400+ bytes) pass, 201 do not. */
	body = json_pack("{s:o}", "title", mb_string(PRFAQ_TITLE_MAX));
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_OK);
	json_decref(body);
	body = json_pack("{s:o}", "title", mb_string(PRFAQ_TITLE_MAX + 1));
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 1);
	expect_error(&err, 0, "/title",
		     "must be at most 200 characters (got 201)");
	json_decref(body);
	prfaq_error_clear(&err);
}

static void
test_doc_team(void **state)
{
	struct prfaq_error err;
	json_t *body;

	(void)state;
	expect_doc_error("{'title': 'x', 'team': 7}", PRFAQ_DOC_CREATE, "/team",
			 "must be a string");
	expect_doc_error("{'title': 'x', 'team': null}", PRFAQ_DOC_CREATE,
			 "/team", "must be a string");
	expect_doc_error("{'title': 'x', 'team': null, 'content': {}}",
			 PRFAQ_DOC_REPLACE, "/team", "must be a string");
	expect_doc_ok("{'title': 'x', 'team': null}", PRFAQ_DOC_MERGED);
	expect_doc_ok("{'title': 'x', 'team': ''}", PRFAQ_DOC_CREATE);
	expect_doc_error("{'title': 'x', 'team': 'a\\tb'}", PRFAQ_DOC_CREATE,
			 "/team",
			 "must not contain control characters or line breaks "
			 "(found U+0009)");

	body = json_pack("{s:s, s:o}", "title", "x", "team",
			 mb_string(PRFAQ_TEAM_MAX));
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_OK);
	json_object_set_new(body, "team", mb_string(PRFAQ_TEAM_MAX + 1));
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 1);
	expect_error(&err, 0, "/team",
		     "must be at most 100 characters (got 101)");
	json_decref(body);
	prfaq_error_clear(&err);
}

static void
test_doc_tags(void **state)
{
	struct prfaq_error err;
	json_t *body, *tags;

	(void)state;
	expect_doc_error("{'title': 'x', 'tags': 'prime'}", PRFAQ_DOC_CREATE,
			 "/tags", "must be an array of strings");
	expect_doc_error("{'title': 'x', 'tags': null}", PRFAQ_DOC_CREATE,
			 "/tags", "must be an array of strings");
	expect_doc_ok("{'title': 'x', 'tags': null}", PRFAQ_DOC_MERGED);
	expect_doc_error("{'title': 'x', 'tags': ['a', 1]}", PRFAQ_DOC_CREATE,
			 "/tags/1", "must be a string");
	expect_doc_error("{'title': 'x', 'tags': ['']}", PRFAQ_DOC_CREATE,
			 "/tags/0", "must not be empty");
	expect_doc_error("{'title': 'x', 'tags': ['a', '  ']}",
			 PRFAQ_DOC_CREATE, "/tags/1",
			 "must not be blank (only whitespace)");
	expect_doc_error("{'title': 'x', 'tags': ['a\\u0001']}",
			 PRFAQ_DOC_CREATE, "/tags/0",
			 "must not contain control characters or line breaks "
			 "(found U+0001)");
	expect_doc_error("{'title': 'x', 'tags': ['a', 'b', 'a']}",
			 PRFAQ_DOC_CREATE, "/tags/2",
			 "duplicate tag: same as /tags/0");
	/* Byte-for-byte: case differs, so not a duplicate. */
	expect_doc_ok("{'title': 'x', 'tags': ['prime', 'Prime']}",
		      PRFAQ_DOC_CREATE);

	/* Tag length, in code points. */
	body = json_pack("{s:s, s:[o]}", "title", "x", "tags",
			 mb_string(PRFAQ_TAG_MAX));
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_OK);
	json_array_set_new(json_object_get(body, "tags"), 0,
			   mb_string(PRFAQ_TAG_MAX + 1));
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 1);
	expect_error(&err, 0, "/tags/0",
		     "must be at most 50 characters (got 51)");
	json_decref(body);
	prfaq_error_clear(&err);

	/* Tag count: 20 pass, 21 are one error. */
	tags = json_array();
	for (int i = 0; i < PRFAQ_TAGS_MAX; i++) {
		char name[16];

		snprintf(name, sizeof(name), "t%d", i);
		json_array_append_new(tags, json_string(name));
	}
	body = json_pack("{s:s, s:O}", "title", "x", "tags", tags);
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_OK);
	json_array_append_new(tags, json_string("one-too-many"));
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 1);
	expect_error(&err, 0, "/tags", "must have at most 20 entries (got 21)");
	json_decref(body);
	json_decref(tags);
	prfaq_error_clear(&err);
}

static void
test_doc_change_note(void **state)
{
	struct prfaq_error err;
	json_t *body;

	(void)state;
	expect_doc_error("{'title': 'x', 'change_note': 1}", PRFAQ_DOC_CREATE,
			 "/change_note", "must be a string");
	expect_doc_error("{'title': 'x', 'change_note': null}",
			 PRFAQ_DOC_CREATE, "/change_note", "must be a string");
	expect_doc_ok("{'title': 'x', 'change_note': null}", PRFAQ_DOC_MERGED);
	expect_doc_ok("{'title': 'x', 'change_note': 'a\\r\\nb\\tc'}",
		      PRFAQ_DOC_CREATE);
	expect_doc_error("{'title': 'x', 'change_note': 'a\\u001bb'}",
			 PRFAQ_DOC_CREATE, "/change_note",
			 "must not contain control characters other than "
			 "newline, carriage return and tab (found U+001B)");

	body = json_pack("{s:s, s:o}", "title", "x", "change_note",
			 mb_string(PRFAQ_NOTE_MAX));
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_OK);
	json_object_set_new(body, "change_note", mb_string(PRFAQ_NOTE_MAX + 1));
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_EINVAL);
	expect_error(&err, 0, "/change_note",
		     "must be at most 1000 characters (got 1001)");
	json_decref(body);
	prfaq_error_clear(&err);
}

static void
test_doc_unknown_members(void **state)
{
	struct prfaq_error err;

	(void)state;
	expect_doc_error("{'title': 'x', 'status': 'approved'}",
			 PRFAQ_DOC_CREATE, "/status",
			 "unknown member: not part of the PR/FAQ schema");
	/* Server-owned fields of a fetched document are not accepted back. */
	assert_int_equal(doc("{'id': 'u', 'title': 'x', 'version': 3,"
			     " 'Title': 'y'}",
			     PRFAQ_DOC_CREATE, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 3);
	expect_error(&err, 0, "/id",
		     "unknown member: not part of the PR/FAQ schema");
	expect_error(&err, 1, "/version", NULL);
	expect_error(&err, 2, "/Title", NULL);
	prfaq_error_clear(&err);
	/* Null is "absent" after a merge only for known members. */
	expect_doc_error("{'title': 'x', 'owner': null}", PRFAQ_DOC_MERGED,
			 "/owner",
			 "unknown member: not part of the PR/FAQ schema");
}

static void
test_doc_merged_nulls(void **state)
{
	struct prfaq_error err;
	const char *text = "{'title': 'x', 'team': null, 'tags': null,"
			   " 'content': null, 'change_note': null}";

	(void)state;
	expect_doc_ok(text, PRFAQ_DOC_MERGED);
	assert_int_equal(doc(text, PRFAQ_DOC_CREATE, &err), PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 4);
	expect_error(&err, 0, "/team", "must be a string");
	expect_error(&err, 1, "/tags", "must be an array of strings");
	expect_error(&err, 2, "/content", "must be an object");
	expect_error(&err, 3, "/change_note", "must be a string");
	prfaq_error_clear(&err);
}

static void
test_doc_bad_mode(void **state)
{
	struct prfaq_error err;
	json_t *body = J("{'title': 'x'}");

	(void)state;
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(body, (enum prfaq_doc_mode)42,
					    &err),
			 PRFAQ_EINTERNAL);
	assert_int_equal(err.code, PRFAQ_EINTERNAL);
	assert_null(err.errors);
	json_decref(body);
	prfaq_error_clear(&err);
}

/* Without an error to fill the answer is still right. */
static void
test_doc_null_err(void **state)
{
	json_t *bad = J("{'title': '', 'x': 1}");
	json_t *good = J("{'title': 'x'}");

	(void)state;
	assert_int_equal(prfaq_doc_validate(bad, PRFAQ_DOC_CREATE, NULL),
			 PRFAQ_EINVAL);
	assert_int_equal(prfaq_doc_validate(good, PRFAQ_DOC_CREATE, NULL),
			 PRFAQ_OK);
	assert_int_equal(prfaq_content_validate(bad, "", NULL), PRFAQ_EINVAL);
	json_decref(bad);
	json_decref(good);
}

/* All problems are collected, in document order, with exact pointers. */
static void
test_doc_collects_all_errors(void **state)
{
	struct prfaq_error err;

	(void)state;
	assert_int_equal(
		doc("{'title': '', 'team': 5, 'tags': ['a', 'a'],"
		    " 'content': {'press_release': {'headline': 1,"
		    "   'launch_date': '2027-02-29', 'leader_quote': {'who': 'x'}},"
		    "  'faq': {'external': [{'question': 'ok'},"
		    "                      {'question': 2, 'bogus': 1}]},"
		    "  'visuals': [{'url': 'ftp://x'}]},"
		    " 'extra': true}",
		    PRFAQ_DOC_CREATE, &err),
		PRFAQ_EINVAL);
	assert_int_equal(err.code, PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 10);
	expect_error(&err, 0, "/title", "must not be empty");
	expect_error(&err, 1, "/team", "must be a string");
	expect_error(&err, 2, "/tags/1", "duplicate tag: same as /tags/0");
	expect_error(&err, 3, "/content/press_release/headline",
		     "must be a string");
	expect_error(&err, 4, "/content/press_release/launch_date",
		     "must be a real calendar date in YYYY-MM-DD form "
		     "(2027-02 has 28 days)");
	expect_error(&err, 5, "/content/press_release/leader_quote/who",
		     "unknown member: not part of the PR/FAQ schema");
	expect_error(&err, 6, "/content/faq/external/1/question",
		     "must be a string");
	expect_error(&err, 7, "/content/faq/external/1/bogus",
		     "unknown member: not part of the PR/FAQ schema");
	expect_error(&err, 8, "/content/visuals/0/url",
		     "must be an absolute http:// or https:// URL");
	expect_error(&err, 9, "/extra",
		     "unknown member: not part of the PR/FAQ schema");
	prfaq_error_clear(&err);
}

/* Entries already in err are kept; the new ones are appended. */
static void
test_doc_appends_to_err(void **state)
{
	struct prfaq_error err;
	json_t *body = J("{'title': 1}");

	(void)state;
	prfaq_error_init(&err);
	prfaq_error_add(&err, "/earlier", "earlier problem");
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 2);
	expect_error(&err, 0, "/earlier", "earlier problem");
	expect_error(&err, 1, "/title", "must be a string");
	json_decref(body);
	prfaq_error_clear(&err);
}

/* ---------------------------------------------------------------------- */
/* Content                                                                */
/* ---------------------------------------------------------------------- */

static void
test_content_full(void **state)
{
	(void)state;
	expect_content_ok(J(full_content));
	expect_content_ok(J("{}"));
}

static void
test_content_base(void **state)
{
	struct prfaq_error err;
	json_t *c = J("{'faq': {'external': [{'answer': 1}]}}");

	(void)state;
	prfaq_error_init(&err);
	assert_int_equal(prfaq_content_validate(c, NULL, &err), PRFAQ_EINVAL);
	expect_error(&err, 0, "/faq/external/0/answer", "must be a string");
	prfaq_error_clear(&err);
	assert_int_equal(prfaq_content_validate(c, "", &err), PRFAQ_EINVAL);
	expect_error(&err, 0, "/faq/external/0/answer", "must be a string");
	prfaq_error_clear(&err);
	assert_int_equal(prfaq_content_validate(c, "/body/content", &err),
			 PRFAQ_EINVAL);
	expect_error(&err, 0, "/body/content/faq/external/0/answer",
		     "must be a string");
	prfaq_error_clear(&err);
	json_decref(c);

	assert_int_equal(prfaq_content_validate(NULL, "/content", &err),
			 PRFAQ_EINVAL);
	expect_error(&err, 0, "/content", "must be an object");
	prfaq_error_clear(&err);
}

static void
test_content_section_types(void **state)
{
	(void)state;
	expect_content_error(J("[]"), "/content", "must be an object");
	expect_content_error(J("'text'"), "/content", "must be an object");
	expect_content_error(J("{'press_release': 'x'}"),
			     "/content/press_release", "must be an object");
	expect_content_error(J("{'press_release': null}"),
			     "/content/press_release", "must be an object");
	expect_content_error(J("{'faq': []}"), "/content/faq",
			     "must be an object");
	expect_content_error(J("{'customer': 1}"), "/content/customer",
			     "must be an object");
	expect_content_error(J("{'visuals': {}}"), "/content/visuals",
			     "must be an array");
	expect_content_error(J("{'visuals': null}"), "/content/visuals",
			     "must be an array");
	expect_content_error(J("{'faq': {'external': {}}}"),
			     "/content/faq/external", "must be an array");
	expect_content_error(J("{'faq': {'internal': 'q'}}"),
			     "/content/faq/internal", "must be an array");
	expect_content_error(J("{'faq': {'external': ['q']}}"),
			     "/content/faq/external/0", "must be an object");
	expect_content_error(J("{'faq': {'internal': [{}, null]}}"),
			     "/content/faq/internal/1", "must be an object");
	expect_content_error(J("{'visuals': [[]]}"), "/content/visuals/0",
			     "must be an object");
	expect_content_error(J("{'press_release': {'leader_quote': 'Hi'}}"),
			     "/content/press_release/leader_quote",
			     "must be an object");
	expect_content_error(J("{'press_release': {'customer_quote': []}}"),
			     "/content/press_release/customer_quote",
			     "must be an object");
}

/* Every text field of the schema with its limit (paths under content). */
static const struct {
	const char *path;
	size_t max;
} text_fields[] = {
	{ "/press_release/headline", PRFAQ_SHORT_TEXT_MAX },
	{ "/press_release/subheading", PRFAQ_SHORT_TEXT_MAX },
	{ "/press_release/location", PRFAQ_SHORT_TEXT_MAX },
	{ "/press_release/summary", PRFAQ_TEXT_MAX },
	{ "/press_release/problem", PRFAQ_TEXT_MAX },
	{ "/press_release/solution", PRFAQ_TEXT_MAX },
	{ "/press_release/leader_quote/text", PRFAQ_TEXT_MAX },
	{ "/press_release/leader_quote/speaker", PRFAQ_SHORT_TEXT_MAX },
	{ "/press_release/how_it_works", PRFAQ_TEXT_MAX },
	{ "/press_release/customer_quote/text", PRFAQ_TEXT_MAX },
	{ "/press_release/customer_quote/speaker", PRFAQ_SHORT_TEXT_MAX },
	{ "/press_release/call_to_action", PRFAQ_TEXT_MAX },
	{ "/faq/external/0/question", PRFAQ_SHORT_TEXT_MAX },
	{ "/faq/external/0/answer", PRFAQ_TEXT_MAX },
	{ "/faq/internal/0/question", PRFAQ_SHORT_TEXT_MAX },
	{ "/faq/internal/0/answer", PRFAQ_TEXT_MAX },
	{ "/customer/who", PRFAQ_SHORT_TEXT_MAX },
	{ "/customer/problem", PRFAQ_TEXT_MAX },
	{ "/customer/benefit", PRFAQ_TEXT_MAX },
	{ "/customer/evidence", PRFAQ_TEXT_MAX },
	{ "/customer/experience", PRFAQ_TEXT_MAX },
	{ "/visuals/0/title", PRFAQ_SHORT_TEXT_MAX },
	{ "/visuals/0/caption", PRFAQ_SHORT_TEXT_MAX },
};

static void
full_pointer(char *dst, size_t size, const char *path)
{
	snprintf(dst, size, "/content%s", path);
}

static void
test_content_text_types(void **state)
{
	static const char *wrong[] = {
		"42", "1.5", "true", "false", "null", "[]", "{}", "['a']",
	};

	(void)state;
	for (size_t i = 0; i < NELEM(text_fields); i++) {
		char ptr[128];

		full_pointer(ptr, sizeof(ptr), text_fields[i].path);
		for (size_t k = 0; k < NELEM(wrong); k++)
			expect_content_error(content_at(text_fields[i].path,
							J(wrong[k])),
					     ptr, "must be a string");
		expect_content_ok(
			content_at(text_fields[i].path, json_string("")));
	}
	expect_content_error(
		content_at("/press_release/launch_date", J("20270301")),
		"/content/press_release/launch_date", "must be a string");
	expect_content_error(content_at("/visuals/0/url", J("{}")),
			     "/content/visuals/0/url", "must be a string");
}

/* Limits at the boundary and one over, counted in code points. */
static void
test_content_text_limits(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(text_fields); i++) {
		size_t max = text_fields[i].max;
		char ptr[128], msg[128];

		full_pointer(ptr, sizeof(ptr), text_fields[i].path);
		snprintf(msg, sizeof(msg),
			 "must be at most %zu characters (got %zu)", max,
			 max + 1);
		expect_content_ok(
			content_at(text_fields[i].path, mb_string(max)));
		expect_content_error(content_at(text_fields[i].path,
						mb_string(max + 1)),
				     ptr, msg);
	}
}

static void
test_content_text_controls(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(text_fields); i++) {
		const char *path = text_fields[i].path;
		char ptr[128];

		full_pointer(ptr, sizeof(ptr), path);
		expect_content_ok(
			content_at(path, json_string("a\nb\r\nc\td")));
		expect_content_error(content_at(path, json_string("a\x01")),
				     ptr,
				     "must not contain control characters "
				     "other than newline, carriage return and "
				     "tab (found U+0001)");
	}
	/* DEL, C1 controls (U+0085 is NEL) and an embedded NUL. */
	expect_content_error(content_at("/customer/who", json_string("a\x7f")),
			     "/content/customer/who",
			     "must not contain control characters other than "
			     "newline, carriage return and tab (found U+007F)");
	expect_content_error(content_at("/customer/who",
					json_string("a\xc2\x85")),
			     "/content/customer/who",
			     "must not contain control characters other than "
			     "newline, carriage return and tab (found U+0085)");
	expect_content_error(content_at("/customer/who",
					json_stringn("a\0b", 3)),
			     "/content/customer/who",
			     "must not contain control characters other than "
			     "newline, carriage return and tab (found U+0000)");
	/* Just past the C1 range, and other non-ASCII text, are fine. */
	expect_content_ok(content_at(
		"/customer/who", json_string("\xc2\xa0\xc2\xa9 \xe2\x80\xa8")));

	/*
	 * The scan skips eight clean bytes at a time: every control at every
	 * offset of texts up to 40 bytes, a C1 pair across each 8-byte
	 * boundary, and clean texts of every length with newlines and
	 * non-ASCII letters around the boundaries.
	 */
	for (size_t len = 1; len <= 40; len++) {
		static const struct {
			const char *bytes;
			size_t n;
			const char *cp;
		} bad[] = {
			{ "\x01", 1, "0001" },	   { "\x1f", 1, "001F" },
			{ "\x7f", 1, "007F" },	   { "\xc2\x80", 2, "0080" },
			{ "\xc2\x9f", 2, "009F" }, { "\x00", 1, "0000" },
		};
		char text[64], msg[160];

		memset(text, 'a', len);
		for (size_t k = 0; k + 1 < len; k += 3)
			text[k] = (k % 2) ? '\n' : 'b';
		expect_content_ok(
			content_at("/customer/who", json_stringn(text, len)));
		memcpy(text, "caf\xc3\xa9\xc2\xa0", len < 7 ? 0 : 7);
		expect_content_ok(
			content_at("/customer/who", json_stringn(text, len)));
		for (size_t b = 0; b < NELEM(bad); b++) {
			for (size_t at = 0; at + bad[b].n <= len; at++) {
				memset(text, 'a', len);
				memcpy(text + at, bad[b].bytes, bad[b].n);
				snprintf(
					msg, sizeof(msg),
					"must not contain control characters other than "
					"newline, carriage return and tab (found U+%s)",
					bad[b].cp);
				expect_content_error(
					content_at("/customer/who",
						   json_stringn(text, len)),
					"/content/customer/who", msg);
			}
		}
	}
}

static void
test_content_unknown_members(void **state)
{
	static const char *paths[] = {
		"/x",
		"/press_release/x",
		"/press_release/leader_quote/x",
		"/press_release/customer_quote/x",
		"/faq/x",
		"/faq/external/0/x",
		"/faq/internal/0/x",
		"/customer/x",
		"/visuals/0/x",
	};

	(void)state;
	for (size_t i = 0; i < NELEM(paths); i++) {
		char ptr[128];

		full_pointer(ptr, sizeof(ptr), paths[i]);
		expect_content_error(content_at(paths[i], json_string("v")),
				     ptr,
				     "unknown member: not part of the PR/FAQ "
				     "schema");
		/* Whatever the value is, even null. */
		expect_content_error(content_at(paths[i], json_null()), ptr,
				     "unknown member: not part of the PR/FAQ "
				     "schema");
	}
	/* Names are matched exactly. */
	expect_content_error(J("{'press_release': {'Headline': 'x'}}"),
			     "/content/press_release/Headline", NULL);
	expect_content_error(J("{'press_release': {'headline ': 'x'}}"),
			     "/content/press_release/headline ", NULL);
	/* Members of one section are not members of another. */
	expect_content_error(J("{'customer': {'headline': 'x'}}"),
			     "/content/customer/headline", NULL);
	expect_content_error(J("{'faq': {'question': 'x'}}"),
			     "/content/faq/question", NULL);
}

/* A key built with an embedded NUL must not pass for a known one. */
static void
test_content_nul_in_key(void **state)
{
	struct prfaq_error err;
	json_t *pr = json_object();
	json_t *c = json_pack("{s:o}", "press_release", pr);

	(void)state;
	assert_int_equal(json_object_setn_new(pr, "headline\0x", 10,
					      json_string("h")),
			 0);
	assert_int_equal(content(c, &err), PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 1);
	expect_error(&err, 0, "/content/press_release/headline",
		     "unknown member: not part of the PR/FAQ schema");
	prfaq_error_clear(&err);
}

static void
test_content_pointer_escaping(void **state)
{
	struct prfaq_error err;

	(void)state;
	assert_int_equal(content(J("{'a/b': 1, 'm~n': 2, '': 3, '~1': 4,"
				   " 'press_release': {'x/y~z': 1},"
				   " 'faq': {'external': [{'q/a': 1}]}}"),
				 &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 6);
	expect_error(&err, 0, "/content/a~1b", NULL);
	expect_error(&err, 1, "/content/m~0n", NULL);
	expect_error(&err, 2, "/content/", NULL);
	expect_error(&err, 3, "/content/~01", NULL);
	expect_error(&err, 4, "/content/press_release/x~1y~0z", NULL);
	expect_error(&err, 5, "/content/faq/external/0/q~1a", NULL);
	prfaq_error_clear(&err);
}

static void
expect_date_ok(const char *date)
{
	expect_content_ok(
		content_at("/press_release/launch_date", json_string(date)));
}

static void
expect_date_error(const char *date, const char *message)
{
	expect_content_error(content_at("/press_release/launch_date",
					json_string(date)),
			     "/content/press_release/launch_date", message);
}

static void
test_content_launch_date(void **state)
{
	static const char *bad_form[] = {
		"2027-3-1",
		"2027-03-1",
		"27-03-01",
		"2027/03/01",
		"2027-03-01T00:00:00Z",
		" 2027-03-01",
		"2027-03-01 ",
		"2027-03-0a",
		"+027-03-01",
		"2027-03",
		"2027",
		"01-03-2027",
		"2027--3-01",
		"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x97-03-01",
		"2027-03-01\n",
		"tomorrow",
	};

	(void)state;
	expect_date_ok("2028-02-29"); /* leap year */
	expect_date_ok("2000-02-29"); /* divisible by 400 */
	expect_date_ok("2027-02-28");
	expect_date_ok("2027-01-31");
	expect_date_ok("2027-04-30");
	expect_date_ok("2027-12-31");
	expect_date_ok("2027-03-01");
	expect_date_ok("");

	for (size_t i = 0; i < NELEM(bad_form); i++)
		expect_date_error(bad_form[i],
				  "must be a date in YYYY-MM-DD form");

	expect_date_error("2027-02-29",
			  "must be a real calendar date in YYYY-MM-DD form "
			  "(2027-02 has 28 days)");
	expect_date_error("1900-02-29", /* divisible by 100, not 400 */
			  "must be a real calendar date in YYYY-MM-DD form "
			  "(1900-02 has 28 days)");
	expect_date_error("2028-02-30",
			  "must be a real calendar date in YYYY-MM-DD form "
			  "(2028-02 has 29 days)");
	expect_date_error("2027-04-31",
			  "must be a real calendar date in YYYY-MM-DD form "
			  "(2027-04 has 30 days)");
	expect_date_error("2027-01-32",
			  "must be a real calendar date in YYYY-MM-DD form "
			  "(2027-01 has 31 days)");
	expect_date_error("2027-01-00",
			  "must be a real calendar date in YYYY-MM-DD form "
			  "(2027-01 has 31 days)");
	expect_date_error("2027-13-01",
			  "must be a real calendar date in YYYY-MM-DD form "
			  "(month must be 01 to 12)");
	expect_date_error("2027-00-10",
			  "must be a real calendar date in YYYY-MM-DD form "
			  "(month must be 01 to 12)");
}

static void
expect_url_ok(const char *url)
{
	expect_content_ok(content_at("/visuals/0/url", json_string(url)));
}

static void
expect_url_error(const char *url, const char *message)
{
	expect_content_error(content_at("/visuals/0/url", json_string(url)),
			     "/content/visuals/0/url", message);
}

static void
test_content_visual_url(void **state)
{
	static const char *ok[] = {
		"https://example.com",
		"http://example.com/a?b=c#d",
		"HTTPS://EXAMPLE.COM/",
		"Http://example.com",
		"https://user:pw@host.example:8443/x",
		"https://[::1]:8080/",
		"https://10.0.0.1/img.png",
		"https://example.com?q",
		"https://example.com#top",
		"https://\xe4\xbe\x8b\xe3\x81\x88.jp/\xe3\x83\x91\xe3\x82\xb9",
		"",
	};
	static const char *bad_scheme[] = {
		"ftp://example.com/file",
		"javascript:alert(1)",
		"JavaScript://example.com/%0aalert(1)",
		"data:text/html,<script>alert(1)</script>",
		"mailto:a@example.com",
		"//example.com/x",
		"example.com",
		"/relative/path.png",
		"https:/example.com",
		"https:example.com",
		"httpx://example.com",
		" https://example.com",
		"file:///etc/passwd",
	};
	static const char *no_host[] = {
		"https://",	 "http://",	    "https:///path",
		"https://:443/", "https://user@/x", "http://?q",
		"http://#f",	 "https://[]/",	    "https://user:pw@:80",
	};
	static const char *space[] = {
		"https://exa mple.com",
		"https://example.com/\t",
		"https://example.com/a\nb",
		"https://example.com/\x7f",
		"https://example.com/\xc2\xa0x",
		"https://example.com/\xe2\x80\x8b",
		"https://a.example\\@b.example/",
	};
	const char *scheme_msg = "must be an absolute http:// or https:// URL";

	(void)state;
	for (size_t i = 0; i < NELEM(ok); i++)
		expect_url_ok(ok[i]);
	for (size_t i = 0; i < NELEM(bad_scheme); i++)
		expect_url_error(bad_scheme[i], scheme_msg);
	for (size_t i = 0; i < NELEM(no_host); i++)
		expect_url_error(no_host[i],
				 "must be an absolute http:// or https:// URL "
				 "with a host");
	for (size_t i = 0; i < NELEM(space); i++)
		expect_url_error(space[i],
				 "must not contain whitespace, control "
				 "characters or backslashes");

	/* 2000 code points pass, 2001 do not. */
	expect_content_ok(content_at("/visuals/0/url",
				     padded_string("https://example.com/",
						   PRFAQ_URL_MAX)));
	expect_content_error(content_at("/visuals/0/url",
					padded_string("https://example.com/",
						      PRFAQ_URL_MAX + 1)),
			     "/content/visuals/0/url",
			     "must be at most 2000 characters (got 2001)");
}

/* A list of n copies of entry (borrowed) at path under content. */
static json_t *
content_list(const char *path, size_t n, const json_t *entry)
{
	json_t *list = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_deep_copy(entry));
	return content_at(path, list);
}

static void
test_content_list_limits(void **state)
{
	static const char *lists[] = {
		"/faq/external",
		"/faq/internal",
		"/visuals",
	};
	json_t *qa = J("{'question': 'q', 'answer': 'a'}");
	json_t *visual = J("{'title': 't', 'url': 'https://e.example/'}");

	(void)state;
	for (size_t i = 0; i < NELEM(lists); i++) {
		const json_t *entry = i < 2 ? qa : visual;
		char ptr[128], msg[128];

		full_pointer(ptr, sizeof(ptr), lists[i]);
		snprintf(msg, sizeof(msg),
			 "must have at most %d entries (got %d)",
			 PRFAQ_LIST_MAX, PRFAQ_LIST_MAX + 1);
		expect_content_ok(
			content_list(lists[i], PRFAQ_LIST_MAX, entry));
		expect_content_error(content_list(lists[i], PRFAQ_LIST_MAX + 1,
						  entry),
				     ptr, msg);
	}
	json_decref(qa);
	json_decref(visual);
}

/* Past the limit the list is reported once; later entries are not read. */
static void
test_content_list_stops_at_limit(void **state)
{
	struct prfaq_error err;
	json_t *empty = json_object(), *c, *list;

	(void)state;
	c = content_list("/faq/external", 150, empty);
	json_decref(empty);
	list = json_object_get(json_object_get(c, "faq"), "external");
	json_array_set_new(list, 5, json_string("bad"));
	json_array_set_new(list, 99, J("{'answer': 1}"));
	json_array_set_new(list, 120, json_string("not read"));
	assert_int_equal(content(c, &err), PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 3);
	expect_error(&err, 0, "/content/faq/external",
		     "must have at most 100 entries (got 150)");
	expect_error(&err, 1, "/content/faq/external/5", "must be an object");
	expect_error(&err, 2, "/content/faq/external/99/answer",
		     "must be a string");
	prfaq_error_clear(&err);
}

/* content_list() takes a borrowed entry; this wrapper owns a literal. */
static json_t *
huge_visuals(size_t n)
{
	json_t *entry = json_integer(7);
	json_t *c = content_list("/visuals", n, entry);

	json_decref(entry);
	return c;
}

static void
test_content_error_cap(void **state)
{
	struct prfaq_error err;
	json_t *c = json_object();
	char key[16];

	(void)state;
	/* Exactly 50 problems: all reported, not truncated. */
	for (int i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "x%02d", i);
		json_object_set_new(c, key, json_true());
	}
	assert_int_equal(content(json_incref(c), &err), PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 50);
	expect_error(&err, 49, "/content/x49", NULL);
	assert_false(err.truncated);
	prfaq_error_clear(&err);

	/* More: the first 50, and the list says it was truncated. */
	json_object_set_new(c, "x50", json_true());
	json_object_set_new(c, "x51", json_true());
	assert_int_equal(content(c, &err), PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 50);
	expect_error(&err, 0, "/content/x00", NULL);
	expect_error(&err, 49, "/content/x49", NULL);
	assert_true(err.truncated);
	prfaq_error_clear(&err);
}

/* A huge list of garbage costs one list error plus the capped entries. */
static void
test_content_huge_list(void **state)
{
	struct prfaq_error err;
	json_t *body;

	(void)state;
	assert_int_equal(content(huge_visuals(100000), &err), PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 50);
	expect_error(&err, 0, "/content/visuals",
		     "must have at most 100 entries (got 100000)");
	expect_error(&err, 1, "/content/visuals/0", "must be an object");
	expect_error(&err, 49, "/content/visuals/48", "must be an object");
	assert_true(err.truncated);
	prfaq_error_clear(&err);

	/* Through the document: the same cap. */
	body = json_pack("{s:s, s:o}", "title", "x", "content",
			 huge_visuals(1000));
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 50);
	assert_true(err.truncated);
	json_decref(body);
	prfaq_error_clear(&err);
}

/*
 * Deep, but not so deep that Jansson's own recursive json_decref() in the
 * test would be the thing that overflows the stack.
 */
#define HOSTILE_DEPTH 2000

static json_t *
deep_array(size_t depth)
{
	json_t *v = json_string("leaf");

	for (size_t i = 0; i < depth; i++) {
		json_t *a = json_array();

		json_array_append_new(a, v);
		v = a;
	}
	return v;
}

/* Unknown or mistyped members are not descended into, however deep. */
static void
test_content_hostile_nesting(void **state)
{
	(void)state;
	expect_content_error(content_at("/x", deep_array(HOSTILE_DEPTH)),
			     "/content/x",
			     "unknown member: not part of the PR/FAQ schema");
	expect_content_error(content_at("/press_release/headline",
					deep_array(HOSTILE_DEPTH)),
			     "/content/press_release/headline",
			     "must be a string");
	expect_content_error(
		content_at("/faq/external",
			   json_pack("[o]", deep_array(HOSTILE_DEPTH))),
		"/content/faq/external/0", "must be an object");
}

/* ---------------------------------------------------------------------- */
/* Merge-patch                                                            */
/* ---------------------------------------------------------------------- */

static void
expect_merge(const char *target, const char *patch, const char *want)
{
	json_t *t = J(target), *p = J(patch), *w = J(want);
	json_t *t_copy = json_deep_copy(t), *p_copy = json_deep_copy(p);
	json_t *got = prfaq_merge_patch(t, p);

	assert_non_null(got);
	if (!json_equal(got, w)) {
		char *g = json_dumps(got, JSON_ENCODE_ANY);

		fail_msg("merge %s + %s gave %s, want %s", target, patch, g,
			 want);
	}
	/*
	 * Neither input is modified, and the result shares nothing (null,
	 * true and false are Jansson singletons, so only containers count).
	 */
	assert_true(json_equal(t, t_copy));
	assert_true(json_equal(p, p_copy));
	if (json_is_object(got) || json_is_array(got)) {
		assert_ptr_not_equal(got, t);
		assert_ptr_not_equal(got, p);
	}
	json_decref(got);
	assert_true(json_equal(t, t_copy));
	assert_true(json_equal(p, p_copy));
	json_decref(t);
	json_decref(p);
	json_decref(w);
	json_decref(t_copy);
	json_decref(p_copy);
}

/* RFC 7396 appendix A, every example. */
static void
test_merge_rfc7396_appendix_a(void **state)
{
	(void)state;
	expect_merge("{'a':'b'}", "{'a':'c'}", "{'a':'c'}");
	expect_merge("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}");
	expect_merge("{'a':'b'}", "{'a':null}", "{}");
	expect_merge("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}");
	expect_merge("{'a':['b']}", "{'a':'c'}", "{'a':'c'}");
	expect_merge("{'a':'c'}", "{'a':['b']}", "{'a':['b']}");
	expect_merge("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}",
		     "{'a':{'b':'d'}}");
	expect_merge("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}");
	expect_merge("['a','b']", "['c','d']", "['c','d']");
	expect_merge("{'a':'b'}", "['c']", "['c']");
	expect_merge("{'a':'foo'}", "null", "null");
	expect_merge("{'a':'foo'}", "'bar'", "'bar'");
	expect_merge("{'e':null}", "{'a':1}", "{'e':null,'a':1}");
	expect_merge("[1,2]", "{'a':'b','c':null}", "{'a':'b'}");
	expect_merge("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}");
}

/* RFC 7396 section 3, the worked example. */
static void
test_merge_rfc7396_section3(void **state)
{
	(void)state;
	expect_merge(
		"{'title': 'Goodbye!',"
		" 'author': {'givenName': 'John', 'familyName': 'Doe'},"
		" 'tags': ['example', 'sample'],"
		" 'content': 'This will be unchanged'}",
		"{'title': 'Hello!', 'phoneNumber': '+01-555-555-5555',"
		" 'author': {'familyName': null}, 'tags': ['example']}",
		"{'title': 'Hello!', 'author': {'givenName': 'John'},"
		" 'tags': ['example'], 'content': 'This will be unchanged',"
		" 'phoneNumber': '+01-555-555-5555'}");
}

static void
test_merge_prfaq(void **state)
{
	struct prfaq_error err;
	json_t *t, *p, *got;

	(void)state;
	expect_merge(
		"{'title': 'a', 'team': 't', 'tags': ['x'],"
		" 'content': {'press_release': {'headline': 'H',"
		" 'summary': 'S'}, 'faq': {'external': [{'question': 'q'}]}}}",
		"{'team': null, 'tags': ['y', 'z'],"
		" 'content': {'press_release': {'headline': 'H2',"
		" 'summary': null, 'location': 'SEA'},"
		" 'faq': {'external': []}}}",
		"{'title': 'a', 'tags': ['y', 'z'],"
		" 'content': {'press_release': {'headline': 'H2',"
		" 'location': 'SEA'}, 'faq': {'external': []}}}");
	/* An object patched over a scalar member replaces it. */
	expect_merge("{'content': 'oops'}", "{'content': {'faq': {'x': null}}}",
		     "{'content': {'faq': {}}}");
	/* Removing what is not there is a no-op; empty patch changes nothing. */
	expect_merge("{'a': 1}", "{'b': null}", "{'a': 1}");
	expect_merge("{'a': {'b': [1]}}", "{}", "{'a': {'b': [1]}}");
	expect_merge("{'a': 1}", "{'a': {}}", "{'a': {}}");

	/* The merged body of a PATCH is then validated in MERGED mode. */
	t = J("{'title': 'a', 'team': null, 'tags': [], 'content': {}}");
	p = J("{'content': {'press_release': {'launch_date': '2027-02-29'}}}");
	got = prfaq_merge_patch(t, p);
	assert_non_null(got);
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(got, PRFAQ_DOC_MERGED, &err),
			 PRFAQ_EINVAL);
	assert_int_equal(error_count(&err), 1);
	expect_error(&err, 0, "/content/press_release/launch_date", NULL);
	prfaq_error_clear(&err);
	json_decref(t);
	json_decref(p);
	json_decref(got);
}

static void
test_merge_null_arguments(void **state)
{
	json_t *t = J("{'a': 1}"), *p = J("{'b': 2}"), *got;

	(void)state;
	got = prfaq_merge_patch(NULL, p);
	assert_true(json_equal(got, p));
	assert_ptr_not_equal(got, p);
	json_decref(got);
	got = prfaq_merge_patch(t, NULL);
	assert_true(json_equal(got, t));
	assert_ptr_not_equal(got, t);
	json_decref(got);
	got = prfaq_merge_patch(NULL, NULL);
	assert_true(json_is_null(got));
	json_decref(got);
	json_decref(t);
	json_decref(p);
}

/* The merge is iterative: a deep patch costs heap, not stack. */
static void
test_merge_deep_patch(void **state)
{
	const size_t depth = HOSTILE_DEPTH;
	json_t *patch = json_integer(1), *target = json_object(), *got;
	const json_t *cur;

	(void)state;
	for (size_t i = 0; i < depth; i++)
		patch = json_pack("{s:o}", "k", patch);
	json_object_set_new(target, "k", json_string("scalar"));
	got = prfaq_merge_patch(target, patch);
	assert_non_null(got);
	cur = got;
	for (size_t i = 0; i < depth; i++) {
		assert_true(json_is_object(cur));
		assert_int_equal(json_object_size(cur), 1);
		cur = json_object_get(cur, "k");
	}
	assert_int_equal(json_integer_value(cur), 1);
	assert_string_equal(json_string_value(json_object_get(target, "k")),
			    "scalar");
	json_decref(got);
	json_decref(patch);
	json_decref(target);
}

/* ---------------------------------------------------------------------- */
/* Diff                                                                   */
/* ---------------------------------------------------------------------- */

static void
expect_diff(const char *a, const char *b, const char *want)
{
	json_t *ja = J(a), *jb = J(b), *jw = J(want);
	json_t *got = prfaq_diff(ja, jb);

	assert_non_null(got);
	if (!json_equal(got, jw)) {
		char *g = json_dumps(got, JSON_ENCODE_ANY);

		fail_msg("diff %s -> %s gave %s, want %s", a, b, g, want);
	}
	json_decref(ja);
	json_decref(jb);
	json_decref(jw);
	json_decref(got);
}

static void
test_diff_identical(void **state)
{
	char text[4096];

	(void)state;
	expect_diff("{}", "{}", "[]");
	expect_diff("[]", "[]", "[]");
	expect_diff("1", "1", "[]");
	expect_diff("null", "null", "[]");
	expect_diff("'x'", "'x'", "[]");
	expect_diff("{'a': [1, {'b': null}], 'c': true}",
		    "{'c': true, 'a': [1, {'b': null}]}", "[]");
	snprintf(text, sizeof(text), "{'title': 't', 'content': %s}",
		 full_content);
	expect_diff(text, text, "[]");
}

static void
test_diff_root_scalars(void **state)
{
	json_t *got, *want;
	json_t *one = json_integer(1);

	(void)state;
	expect_diff("1", "2",
		    "[{'path': '', 'op': 'replace', 'from': 1,"
		    " 'to': 2}]");
	expect_diff("{}", "[]",
		    "[{'path': '', 'op': 'replace', 'from': {},"
		    " 'to': []}]");
	got = prfaq_diff(NULL, NULL);
	assert_int_equal(json_array_size(got), 0);
	json_decref(got);
	got = prfaq_diff(NULL, one);
	want = J("[{'path': '', 'op': 'add', 'to': 1}]");
	assert_true(json_equal(got, want));
	json_decref(want);
	json_decref(got);
	got = prfaq_diff(one, NULL);
	assert_int_equal(json_array_size(got), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(got, 0), "op")),
			    "remove");
	assert_null(json_object_get(json_array_get(got, 0), "to"));
	json_decref(got);
	json_decref(one);
}

static void
test_diff_objects(void **state)
{
	(void)state;
	expect_diff(
		"{'title': 'A', 'team': 'x', 'content': {'press_release':"
		" {'headline': 'H1', 'summary': 'S'}}}",
		"{'title': 'B', 'content': {'press_release':"
		" {'headline': 'H2', 'location': 'SEA'}}, 'tags': ['t']}",
		"[{'path': '/title', 'op': 'replace', 'from': 'A', 'to': 'B'},"
		" {'path': '/team', 'op': 'remove', 'from': 'x'},"
		" {'path': '/content/press_release/headline', 'op': 'replace',"
		"  'from': 'H1', 'to': 'H2'},"
		" {'path': '/content/press_release/summary', 'op': 'remove',"
		"  'from': 'S'},"
		" {'path': '/content/press_release/location', 'op': 'add',"
		"  'to': 'SEA'},"
		" {'path': '/tags', 'op': 'add', 'to': ['t']}]");
	/* Members in a's order, then those only in b, in b's order. */
	expect_diff("{'z': 1, 'a': 2, 'm': 3}",
		    "{'n': 0, 'a': 3, 'y': 4, 'z': 1}",
		    "[{'path': '/a', 'op': 'replace', 'from': 2, 'to': 3},"
		    " {'path': '/m', 'op': 'remove', 'from': 3},"
		    " {'path': '/n', 'op': 'add', 'to': 0},"
		    " {'path': '/y', 'op': 'add', 'to': 4}]");
	/* A whole section added or removed is one change. */
	expect_diff("{'content': {}}",
		    "{'content': {'customer': {'who': 'w'}}}",
		    "[{'path': '/content/customer', 'op': 'add',"
		    "  'to': {'who': 'w'}}]");
	expect_diff("{'content': {'customer': {'who': 'w'}}}",
		    "{'content': {}}",
		    "[{'path': '/content/customer', 'op': 'remove',"
		    "  'from': {'who': 'w'}}]");
	/* Null is a value like any other. */
	expect_diff("{'team': null}", "{'team': 'x'}",
		    "[{'path': '/team', 'op': 'replace', 'from': null,"
		    " 'to': 'x'}]");
	expect_diff("{'team': null}", "{}",
		    "[{'path': '/team', 'op': 'remove', 'from': null}]");
}

static void
test_diff_arrays(void **state)
{
	(void)state;
	expect_diff("{'tags': ['a', 'b', 'c']}", "{'tags': ['a', 'x']}",
		    "[{'path': '/tags/1', 'op': 'replace', 'from': 'b',"
		    "  'to': 'x'},"
		    " {'path': '/tags/2', 'op': 'remove', 'from': 'c'}]");
	expect_diff("{'tags': ['a']}", "{'tags': ['a', 'b', 'c']}",
		    "[{'path': '/tags/1', 'op': 'add', 'to': 'b'},"
		    " {'path': '/tags/2', 'op': 'add', 'to': 'c'}]");
	/* Removes come from the highest index down. */
	expect_diff("{'tags': ['a', 'b', 'c', 'd']}", "{'tags': ['a']}",
		    "[{'path': '/tags/3', 'op': 'remove', 'from': 'd'},"
		    " {'path': '/tags/2', 'op': 'remove', 'from': 'c'},"
		    " {'path': '/tags/1', 'op': 'remove', 'from': 'b'}]");
	expect_diff("['a', 'b']", "[]",
		    "[{'path': '/1', 'op': 'remove', 'from': 'b'},"
		    " {'path': '/0', 'op': 'remove', 'from': 'a'}]");
	/* Arrays of objects are compared member by member. */
	expect_diff(
		"{'content': {'faq': {'external': ["
		" {'question': 'q0', 'answer': 'a0'},"
		" {'question': 'q1', 'answer': 'a1'}]}}}",
		"{'content': {'faq': {'external': ["
		" {'question': 'q0', 'answer': 'a0'},"
		" {'question': 'q1', 'answer': 'A1'},"
		" {'question': 'q2'}]}}}",
		"[{'path': '/content/faq/external/1/answer', 'op': 'replace',"
		"  'from': 'a1', 'to': 'A1'},"
		" {'path': '/content/faq/external/2', 'op': 'add',"
		"  'to': {'question': 'q2'}}]");
}

static void
test_diff_type_changes(void **state)
{
	(void)state;
	expect_diff("{'x': {'a': 1}}", "{'x': [1]}",
		    "[{'path': '/x', 'op': 'replace', 'from': {'a': 1},"
		    " 'to': [1]}]");
	expect_diff("{'x': [1]}", "{'x': {'0': 1}}",
		    "[{'path': '/x', 'op': 'replace', 'from': [1],"
		    " 'to': {'0': 1}}]");
	expect_diff("['1']", "[1]",
		    "[{'path': '/0', 'op': 'replace', 'from': '1', 'to': 1}]");
	expect_diff("[1]", "[1.0]",
		    "[{'path': '/0', 'op': 'replace', 'from': 1, 'to': 1.0}]");
	expect_diff("[true]", "[false]",
		    "[{'path': '/0', 'op': 'replace', 'from': true,"
		    " 'to': false}]");
	expect_diff(
		"[null]", "[{}]",
		"[{'path': '/0', 'op': 'replace', 'from': null, 'to': {}}]");
}

static void
test_diff_weird_keys(void **state)
{
	(void)state;
	expect_diff(
		"{'a/b': 1, 'm~n': 2, '': 3, '~1': {'/': 4}}",
		"{'a/b': 9, 'm~n': 8, '': 7, '~1': {'/': 6}}",
		"[{'path': '/a~1b', 'op': 'replace', 'from': 1, 'to': 9},"
		" {'path': '/m~0n', 'op': 'replace', 'from': 2, 'to': 8},"
		" {'path': '/', 'op': 'replace', 'from': 3, 'to': 7},"
		" {'path': '/~01/~1', 'op': 'replace', 'from': 4, 'to': 6}]");
}

/* "add" carries only "to", "remove" only "from", "replace" both. */
static void
test_diff_change_shape(void **state)
{
	json_t *a = J("{'x': 1, 'y': 2}"), *b = J("{'y': 3, 'z': 4}");
	json_t *got = prfaq_diff(a, b);
	json_t *c;

	(void)state;
	assert_int_equal(json_array_size(got), 3);
	c = json_array_get(got, 0); /* remove /x */
	assert_int_equal(json_object_size(c), 3);
	assert_non_null(json_object_get(c, "from"));
	assert_null(json_object_get(c, "to"));
	c = json_array_get(got, 1); /* replace /y */
	assert_int_equal(json_object_size(c), 4);
	c = json_array_get(got, 2); /* add /z */
	assert_int_equal(json_object_size(c), 3);
	assert_null(json_object_get(c, "from"));
	assert_non_null(json_object_get(c, "to"));
	json_decref(got);
	json_decref(a);
	json_decref(b);
}

/* The changes own copies: the compared documents may change or go. */
static void
test_diff_copies_values(void **state)
{
	json_t *a = J("{'s': {'k': [1]}}"), *b = J("{'s': 'x'}");
	json_t *want = J("{'k': [1]}");
	json_t *got = prfaq_diff(a, b), *from;

	(void)state;
	from = json_object_get(json_array_get(got, 0), "from");
	assert_ptr_not_equal(from, json_object_get(a, "s"));
	json_array_append_new(json_object_get(json_object_get(a, "s"), "k"),
			      json_integer(2));
	json_decref(a);
	json_decref(b);
	assert_true(json_equal(from, want));
	json_decref(want);
	json_decref(got);
}

/* Past DIFF_DEPTH_MAX (64) a differing subtree is one "replace". */
static void
test_diff_depth_bound(void **state)
{
	json_t *a = deep_array(100), *b = deep_array(100), *leaf, *got, *c;
	char want[3 * 64 + 1] = "";

	(void)state;
	leaf = b;
	for (int i = 0; i < 99; i++)
		leaf = json_array_get(leaf, 0);
	json_array_set_new(leaf, 0, json_string("changed"));
	got = prfaq_diff(a, b);
	assert_int_equal(json_array_size(got), 1);
	c = json_array_get(got, 0);
	for (int i = 0; i < 64; i++)
		strcat(want, "/0");
	assert_string_equal(json_string_value(json_object_get(c, "path")),
			    want);
	assert_string_equal(json_string_value(json_object_get(c, "op")),
			    "replace");
	assert_true(json_equal(json_object_get(c, "to"),
			       prfaq_pointer_get(b, want)));
	json_decref(got);

	/* Equal deep documents still give nothing. */
	json_decref(b);
	b = deep_array(100);
	got = prfaq_diff(a, b);
	assert_int_equal(json_array_size(got), 0);
	json_decref(got);
	json_decref(a);
	json_decref(b);
}

/* ---------------------------------------------------------------------- */
/* Diff round trip: applying the changes to a gives b                     */
/* ---------------------------------------------------------------------- */

static void
unescape_token(const char *src, char *dst)
{
	for (; *src != '\0'; src++) {
		if (*src == '~') {
			src++;
			*dst++ = *src == '0' ? '~' : '/';
		} else {
			*dst++ = *src;
		}
	}
	*dst = '\0';
}

/*
 * Apply changes in order to doc (stolen), checking that every "from" is the
 * value actually there.  Returns the new document.
 */
static json_t *
apply_changes(json_t *doc_, const json_t *changes)
{
	size_t i;
	json_t *c;

	json_array_foreach(changes, i, c) {
		const char *path =
			json_string_value(json_object_get(c, "path"));
		const char *op = json_string_value(json_object_get(c, "op"));
		json_t *from = json_object_get(c, "from");
		json_t *to = json_object_get(c, "to");
		char *parent_ptr, *token, *slash;
		json_t *parent, *cur;

		assert_non_null(path);
		assert_non_null(op);
		if (path[0] == '\0') {
			if (strcmp(op, "add") != 0)
				assert_true(json_equal(doc_, from));
			json_decref(doc_);
			doc_ = strcmp(op, "remove") == 0 ? NULL :
							   json_deep_copy(to);
			continue;
		}
		parent_ptr = strdup(path);
		token = malloc(strlen(path) + 1);
		slash = strrchr(parent_ptr, '/');
		*slash = '\0';
		unescape_token(slash + 1, token);
		parent = prfaq_pointer_get(doc_, parent_ptr);
		assert_non_null(parent);
		if (json_is_object(parent)) {
			cur = json_object_get(parent, token);
			if (strcmp(op, "add") == 0) {
				assert_null(cur);
				json_object_set_new(parent, token,
						    json_deep_copy(to));
			} else {
				assert_true(json_equal(cur, from));
				if (strcmp(op, "remove") == 0)
					json_object_del(parent, token);
				else
					json_object_set_new(parent, token,
							    json_deep_copy(to));
			}
		} else {
			size_t idx = strtoul(token, NULL, 10);

			assert_true(json_is_array(parent));
			if (strcmp(op, "add") == 0) {
				/* Adds always land at the current end. */
				assert_int_equal(idx, json_array_size(parent));
				json_array_append_new(parent,
						      json_deep_copy(to));
			} else {
				assert_true(json_equal(
					json_array_get(parent, idx), from));
				if (strcmp(op, "remove") == 0) {
					/* Removes always take the last one. */
					assert_int_equal(
						idx + 1,
						json_array_size(parent));
					json_array_remove(parent, idx);
				} else {
					json_array_set_new(parent, idx,
							   json_deep_copy(to));
				}
			}
		}
		free(parent_ptr);
		free(token);
	}
	return doc_;
}

static void
expect_roundtrip(const json_t *a, const json_t *b)
{
	json_t *changes = prfaq_diff(a, b);
	json_t *applied;

	assert_non_null(changes);
	applied = apply_changes(json_deep_copy(a), changes);
	if (!json_equal(applied, b)) {
		char *sa = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT);
		char *sb = json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT);
		char *sc = json_dumps(changes, JSON_COMPACT);

		fail_msg("round trip failed: %s -> %s via %s", sa, sb, sc);
	}
	/* And a diff of equal things is empty. */
	json_decref(changes);
	changes = prfaq_diff(b, b);
	assert_int_equal(json_array_size(changes), 0);
	json_decref(changes);
	json_decref(applied);
}

static void
test_diff_roundtrip_pairs(void **state)
{
	static const char *pairs[][2] = {
		{ "{}", "{'a': 1}" },
		{ "{'a': [1, 2, 3, 4]}", "{'a': [4]}" },
		{ "{'a': [1]}", "{'a': [1, [2], {'x': 3}]}" },
		{ "[[1, 2], [3]]", "[[1], [3, 4, 5], []]" },
		{ "{'a': {'b': {'c': 1}}}", "{'a': {'b': [1]}}" },
		{ "{'a/b': {'~': 1}, '': [0]}",
		  "{'a/b': {'~': 2, '/': 3}, '': []}" },
		{ "{'x': 1}", "[1, 2]" },
		{ "'s'", "{'s': 's'}" },
		{ "{'title': 'A', 'team': null, 'tags': ['a', 'b'],"
		  " 'content': {'faq': {'external': [{'question': 'q'}]}}}",
		  "{'title': 'B', 'team': 'payments', 'tags': ['b'],"
		  " 'content': {'press_release': {'headline': 'h'},"
		  " 'faq': {'external': [{'question': 'Q', 'answer': 'a'},"
		  " {'question': 'q2'}], 'internal': []}}}" },
	};

	(void)state;
	for (size_t i = 0; i < NELEM(pairs); i++) {
		json_t *a = J(pairs[i][0]), *b = J(pairs[i][1]);

		expect_roundtrip(a, b);
		expect_roundtrip(b, a);
		json_decref(a);
		json_decref(b);
	}
}

/* A small deterministic generator for random JSON values. */
static uint32_t
rnd(uint32_t *seed)
{
	*seed = *seed * 1664525u + 1013904223u;
	return *seed >> 8;
}

static json_t *
random_json(uint32_t *seed, int depth)
{
	static const char *keys[] = { "a", "b", "c", "a/b", "~", "" };
	uint32_t kind = rnd(seed) % (depth > 0 ? 7 : 4);
	json_t *v;

	switch (kind) {
	case 0:
		return json_integer(rnd(seed) % 3);
	case 1:
		return json_string(keys[rnd(seed) % NELEM(keys)]);
	case 2:
		return json_null();
	case 3:
		return json_boolean(rnd(seed) % 2);
	case 4:
	case 5:
		v = json_object();
		for (uint32_t n = rnd(seed) % 4; n > 0; n--)
			json_object_set_new(v, keys[rnd(seed) % NELEM(keys)],
					    random_json(seed, depth - 1));
		return v;
	default:
		v = json_array();
		for (uint32_t n = rnd(seed) % 4; n > 0; n--)
			json_array_append_new(v, random_json(seed, depth - 1));
		return v;
	}
}

/* Applying diff(a, b) to a gives b, for many generated pairs. */
static void
test_diff_roundtrip_random(void **state)
{
	uint32_t seed = 20270301;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		json_t *a = random_json(&seed, 4);
		json_t *b;

		/* Half the time b is a small mutation of a. */
		if (i % 2 == 0) {
			json_t *patch = random_json(&seed, 2);

			b = prfaq_merge_patch(a, patch);
			json_decref(patch);
		} else {
			b = random_json(&seed, 4);
		}
		expect_roundtrip(a, b);
		json_decref(a);
		json_decref(b);
	}
}

/* ---------------------------------------------------------------------- */
/* Out of memory                                                          */
/* ---------------------------------------------------------------------- */

/* Jansson allocations fail once this many have succeeded (-1: never). */
static long alloc_budget = -1;

static void *
failing_malloc(size_t size)
{
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	return malloc(size);
}

static void
plain_free(void *p)
{
	free(p);
}

/*
 * Run every function with Jansson failing at each allocation in turn: each
 * answer is either complete and right or a clean "out of memory", and ASan
 * sees no leak either way.
 */
static void
test_out_of_memory(void **state)
{
	json_t *t = J("{'title': 'a', 'tags': ['x'], 'content': {'faq': {}}}");
	json_t *p = J("{'tags': null, 'team': 't', 'content': {'faq':"
		      " {'external': [{'question': 'q'}]}, 'customer': {}}}");
	json_t *bad = J("{'title': '', 'x': 1, 'content': {'y': 2,"
			" 'visuals': [{'url': 'ftp://z'}]}}");
	json_t *want_merge = prfaq_merge_patch(t, p);
	json_t *want_diff = prfaq_diff(t, want_merge);
	bool merge_done = false, diff_done = false, validate_done = false;

	(void)state;
	assert_non_null(want_merge);
	assert_int_equal(json_array_size(want_diff), 4);
	json_set_alloc_funcs(failing_malloc, plain_free);
	for (long budget = 0; budget < 1000; budget++) {
		struct prfaq_error err;
		json_t *got;
		prfaq_code rc;

		alloc_budget = budget;
		got = prfaq_merge_patch(t, p);
		alloc_budget = -1;
		if (got != NULL) {
			assert_true(json_equal(got, want_merge));
			merge_done = true;
		}
		json_decref(got);

		alloc_budget = budget;
		got = prfaq_diff(t, want_merge);
		alloc_budget = -1;
		if (got != NULL) {
			assert_true(json_equal(got, want_diff));
			diff_done = true;
		}
		json_decref(got);

		prfaq_error_init(&err);
		alloc_budget = budget;
		rc = prfaq_doc_validate(bad, PRFAQ_DOC_CREATE, &err);
		alloc_budget = -1;
		if (rc == PRFAQ_ENOMEM) {
			assert_int_equal(err.code, PRFAQ_ENOMEM);
		} else {
			assert_int_equal(rc, PRFAQ_EINVAL);
			assert_int_equal(error_count(&err), 4);
			expect_error(&err, 3, "/content/visuals/0/url", NULL);
			validate_done = true;
		}
		prfaq_error_clear(&err);
	}
	json_set_alloc_funcs(malloc, free);
	assert_true(merge_done && diff_done && validate_done);
	json_decref(t);
	json_decref(p);
	json_decref(bad);
	json_decref(want_merge);
	json_decref(want_diff);
}

/* ---------------------------------------------------------------------- */
/* content.metrics                                                        */
/* ---------------------------------------------------------------------- */

#define METRIC_OUT                                                            \
	"{'key': 'repeat-orders', 'name': 'Repeat orders', 'kind': 'output'," \
	" 'direction': 'increase', 'target': 12.5}"
#define METRIC_IN                                                         \
	"{'key': 'refund-s', 'name': 'Refund time (s)', 'kind': 'input'," \
	" 'unit': 's', 'direction': 'decrease', 'baseline': 691200,"      \
	" 'target': 60, 'by': '2027-06-30'}"
#define METRIC_HEAD                                      \
	"{'metrics': [{'key': 'a', 'name': 'N', 'kind':" \
	" 'input', 'direction': 'increase', "

static void
test_metrics_valid(void **state)
{
	(void)state;
	expect_content_ok(J("{'metrics': []}"));
	expect_content_ok(J("{'metrics': [" METRIC_OUT ", " METRIC_IN "]}"));
	expect_content_ok(J(METRIC_HEAD "'target': -1e3, 'baseline': 0}]}"));
	assert_true(prfaq_metric_key_valid("a", 1));
	assert_true(prfaq_metric_key_valid("9-x-", 4));
	assert_false(prfaq_metric_key_valid("-a", 2));
	assert_false(prfaq_metric_key_valid("A", 1));
	assert_false(prfaq_metric_key_valid("a_b", 3));
	assert_false(prfaq_metric_key_valid("", 0));
	assert_true(prfaq_metric_key_valid(
		"a123456789012345678901234567890123456789", 40));
	assert_false(prfaq_metric_key_valid(
		"a1234567890123456789012345678901234567890", 41));
}

static void
test_metrics_invalid(void **state)
{
	(void)state;
	expect_content_error(J("{'metrics': {}}"), "/content/metrics",
			     "must be an array");
	expect_content_error(J("{'metrics': [3]}"), "/content/metrics/0",
			     "must be an object");
	expect_content_error(J("{'metrics': [" METRIC_OUT ", {'key':"
			       " 'repeat-orders', 'name': 'Again', 'kind':"
			       " 'input', 'direction': 'increase',"
			       " 'target': 1}]}"),
			     "/content/metrics/1/key",
			     "duplicate metric key: same as entry 0");
	expect_content_error(J(METRIC_HEAD "'target': '12'}]}"),
			     "/content/metrics/0/target", "must be a number");
	expect_content_error(J(METRIC_HEAD "'target': 1, 'baseline': null}]}"),
			     "/content/metrics/0/baseline", "must be a number");
	expect_content_error(J("{'metrics': [{'key': 'a', 'name': 'N',"
			       " 'kind': 'result', 'direction': 'increase',"
			       " 'target': 1}]}"),
			     "/content/metrics/0/kind",
			     "must be \"input\" or \"output\"");
	expect_content_error(J("{'metrics': [{'key': 'a', 'name': 'N',"
			       " 'kind': 'input', 'direction': 'up',"
			       " 'target': 1}]}"),
			     "/content/metrics/0/direction",
			     "must be \"increase\" or \"decrease\"");
	expect_content_error(J("{'metrics': [{'key': 'Bad Key', 'name': 'N',"
			       " 'kind': 'input', 'direction': 'increase',"
			       " 'target': 1}]}"),
			     "/content/metrics/0/key", NULL);
	expect_content_error(J(METRIC_HEAD "'target': 1, 'by': ''}]}"),
			     "/content/metrics/0/by",
			     "must be a date in YYYY-MM-DD form");
	expect_content_error(J(METRIC_HEAD
			       "'target': 1, 'by': '2027-02-30'}]}"),
			     "/content/metrics/0/by", NULL);
	expect_content_error(
		J("{'metrics': [{'key': 'a', 'name': 'two\\nlines',"
		  " 'kind': 'input', 'direction': 'increase',"
		  " 'target': 1}]}"),
		"/content/metrics/0/name", NULL);
	expect_content_error(J("{'metrics': [{'key': 'a', 'name': '  ',"
			       " 'kind': 'input', 'direction': 'increase',"
			       " 'target': 1}]}"),
			     "/content/metrics/0/name", "must not be blank");
	expect_content_error(J(METRIC_HEAD "'target': 1, 'goal': 2}]}"),
			     "/content/metrics/0/goal", NULL);
	expect_content_error(J("{'metrics': [{'name': 'N', 'kind': 'input',"
			       " 'direction': 'increase', 'target': 1}]}"),
			     "/content/metrics/0/key", "is required");
	expect_content_error(J("{'metrics': [{'key': 'a', 'name': 'N',"
			       " 'kind': 'input', 'direction': 'increase'}]}"),
			     "/content/metrics/0/target", "is required");
}

/* The i-th change of d has path and op. */
static void
expect_change(const json_t *d, size_t i, const char *path, const char *op)
{
	const json_t *c = json_array_get(d, i);

	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "path")),
			    path);
	assert_string_equal(json_string_value(json_object_get(c, "op")), op);
}

/* Metrics diff like any list: member by member, entry by entry. */
static void
test_metrics_diff(void **state)
{
	json_t *a = J("{'content': {'metrics': [" METRIC_OUT "]}}");
	json_t *b =
		J("{'content': {'metrics': [" METRIC_OUT ", " METRIC_IN "]}}");
	json_t *c = J("{'content': {'metrics': [{'key': 'repeat-orders',"
		      " 'name': 'Repeat orders', 'kind': 'output',"
		      " 'direction': 'increase', 'target': 14}]}}");
	json_t *d;

	(void)state;
	d = prfaq_diff(a, b);
	assert_int_equal(json_array_size(d), 1);
	expect_change(d, 0, "/content/metrics/1", "add");
	json_decref(d);
	d = prfaq_diff(a, c);
	assert_int_equal(json_array_size(d), 1);
	expect_change(d, 0, "/content/metrics/0/target", "replace");
	assert_int_equal(
		json_integer_value(json_object_get(json_array_get(d, 0), "to")),
		14);
	json_decref(d);
	json_decref(a);
	json_decref(b);
	json_decref(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_minimal),
		cmocka_unit_test(test_doc_full),
		cmocka_unit_test(test_doc_empty_strings),
		cmocka_unit_test(test_doc_not_object),
		cmocka_unit_test(test_doc_required_by_mode),
		cmocka_unit_test(test_doc_title),
		cmocka_unit_test(test_doc_team),
		cmocka_unit_test(test_doc_tags),
		cmocka_unit_test(test_doc_change_note),
		cmocka_unit_test(test_doc_unknown_members),
		cmocka_unit_test(test_doc_merged_nulls),
		cmocka_unit_test(test_doc_bad_mode),
		cmocka_unit_test(test_doc_null_err),
		cmocka_unit_test(test_doc_collects_all_errors),
		cmocka_unit_test(test_doc_appends_to_err),
		cmocka_unit_test(test_content_full),
		cmocka_unit_test(test_content_base),
		cmocka_unit_test(test_content_section_types),
		cmocka_unit_test(test_content_text_types),
		cmocka_unit_test(test_content_text_limits),
		cmocka_unit_test(test_content_text_controls),
		cmocka_unit_test(test_content_unknown_members),
		cmocka_unit_test(test_content_nul_in_key),
		cmocka_unit_test(test_content_pointer_escaping),
		cmocka_unit_test(test_content_launch_date),
		cmocka_unit_test(test_content_visual_url),
		cmocka_unit_test(test_content_list_limits),
		cmocka_unit_test(test_content_list_stops_at_limit),
		cmocka_unit_test(test_content_error_cap),
		cmocka_unit_test(test_content_huge_list),
		cmocka_unit_test(test_content_hostile_nesting),
		cmocka_unit_test(test_merge_rfc7396_appendix_a),
		cmocka_unit_test(test_merge_rfc7396_section3),
		cmocka_unit_test(test_merge_prfaq),
		cmocka_unit_test(test_merge_null_arguments),
		cmocka_unit_test(test_merge_deep_patch),
		cmocka_unit_test(test_diff_identical),
		cmocka_unit_test(test_diff_root_scalars),
		cmocka_unit_test(test_diff_objects),
		cmocka_unit_test(test_diff_arrays),
		cmocka_unit_test(test_diff_type_changes),
		cmocka_unit_test(test_diff_weird_keys),
		cmocka_unit_test(test_diff_change_shape),
		cmocka_unit_test(test_diff_copies_values),
		cmocka_unit_test(test_diff_depth_bound),
		cmocka_unit_test(test_diff_roundtrip_pairs),
		cmocka_unit_test(test_diff_roundtrip_random),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_metrics_valid),
		cmocka_unit_test(test_metrics_invalid),
		cmocka_unit_test(test_metrics_diff),
	};

	prfaq_alloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
