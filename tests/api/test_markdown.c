/*
 * test_markdown.c - Markdown authoring over HTTP: POST /v1/prfaqs, PUT
 * /v1/prfaqs/{id} and POST /v1/lint with Content-Type: text/markdown, the
 * round trip GET (Accept: text/markdown) -> PUT, and errors that name the
 * line.
 */
#include "harness.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct h_server srv;
static char *author, *reader;
static char author_id[40], reader_id[40];

static int
setup(void **state)
{
	(void)state;
	if (h_start(&srv, NULL) != 0)
		return -1;
	author = h_user(&srv, "Ana", "\"author\"", author_id);
	reader = h_user(&srv, "Rita", "", reader_id);
	return author && reader ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(author);
	free(reader);
	return 0;
}

/* --- helpers ------------------------------------------------------------ */

static const char *const md_body[] = { "Content-Type: text/markdown", NULL };

/* Send md as text/markdown; more is NULL or one more header. */
static void
send_md(const char *method, const char *path, const char *more, const char *md,
	struct h_resp *r)
{
	const char *headers[] = { "Content-Type: text/markdown; charset=utf-8",
				  more, NULL };

	assert_int_equal(h_req(&srv, method, path, author, headers, md, r), 0);
}

/* The Markdown of a PR/FAQ (or version) at path, malloc'd. */
static char *
get_md(const char *path)
{
	const char *accept[] = { "Accept: text/markdown", NULL };
	struct h_resp r;
	char ct[128], *md;

	assert_int_equal(h_req(&srv, "GET", path, reader, accept, NULL, &r), 0);
	assert_status(&r, 200);
	assert_non_null(h_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_int_equal(strncasecmp(ct, "text/markdown", 13), 0);
	md = strdup(r.body);
	assert_non_null(md);
	h_resp_free(&r);
	return md;
}

/* GET path as JSON; a new reference. */
static json_t *
get_json(const char *path)
{
	struct h_resp r;
	json_t *j;

	assert_int_equal(h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	j = json_incref(r.json);
	h_resp_free(&r);
	return j;
}

/* The ETag's version number ("3" -> 3). */
static int
etag_of(const struct h_resp *r)
{
	char etag[32];

	assert_non_null(h_header(r, "ETag", etag, sizeof(etag)));
	assert_true(etag[0] == '"');
	return atoi(etag + 1);
}

/* The first error entry of a 400 (borrowed from r). */
static json_t *
first_error(const struct h_resp *r)
{
	assert_problem(r, 400);
	assert_true(json_array_size(J(r, "errors")) >= 1);
	return json_array_get(J(r, "errors"), 0);
}

/*
 * PUT the document's own Markdown back (If-Match its version) and check
 * that nothing in it changed: the same ETag when a PUT that changes nothing
 * writes nothing, and in any case the same title, team, tags and content
 * (the server's own diff of the two versions is empty).
 */
static void
assert_put_own_markdown_keeps(const char *id)
{
	static const char *const keys[] = { "title", "team", "tags",
					    "content" };
	char path[128], if_match[48];
	json_t *before, *after;
	struct h_resp r;
	char *md;
	int version, now;

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	before = get_json(path);
	version = (int)json_integer_value(json_object_get(before, "version"));
	md = get_md(path);
	snprintf(if_match, sizeof(if_match), "If-Match: \"%d\"", version);
	send_md("PUT", path, if_match, md, &r);
	assert_status(&r, 200);
	now = etag_of(&r);
	h_resp_free(&r);
	after = get_json(path);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *a = json_object_get(before, keys[i]);
		json_t *b = json_object_get(after, keys[i]);

		if (!(a == NULL ? b == NULL : json_equal(a, b))) {
			char *sa = json_dumps(a, JSON_ENCODE_ANY);
			char *sb = json_dumps(b, JSON_ENCODE_ANY);

			fail_msg("%s changed in the round trip:\n%s\n->\n%s\n"
				 "--- Markdown ---\n%s",
				 keys[i], sa ? sa : "(absent)",
				 sb ? sb : "(absent)", md);
		}
	}
	if (now != version) {
		json_t *diff;

		/* A version was written: it must be the same document. */
		assert_int_equal(now, version + 1);
		snprintf(path, sizeof(path), "/v1/prfaqs/%s/diff?from=%d&to=%d",
			 id, version, now);
		diff = get_json(path);
		assert_int_equal(
			json_array_size(json_object_get(diff, "changes")), 0);
		json_decref(diff);
	}
	free(md);
	json_decref(before);
	json_decref(after);
}

/* --- tests -------------------------------------------------------------- */

static const char authored[] =
	"# Faster returns\n"
	"\n"
	"**Team:** payments · **Tags:** `returns`, `a, b`\n"
	"\n"
	"## Press release\n"
	"\n"
	"### Headline\n"
	"\n"
	"Drop off a return, get your money back at the counter\n"
	"\n"
	"### Launch date\n"
	"\n"
	"2027-03-01\n"
	"\n"
	"### Problem\n"
	"\n"
	"Refunds take 6 to 10 days.\n"
	"Some customers pay overdraft fees while they wait.\n"
	"\n"
	"### Leader quote\n"
	"\n"
	"> Waiting is not a feature.\n"
	"\n"
	"— Dana Ortiz\n"
	"\n"
	"## External FAQ\n"
	"\n"
	"### Q: What does it cost?\n"
	"\n"
	"Nothing.\n";

/* An author's .md file becomes a PR/FAQ; its Markdown goes back unchanged. */
static void
test_post_markdown(void **state)
{
	struct h_resp r;
	json_t *pr;
	char id[40];

	(void)state;
	send_md("POST", "/v1/prfaqs", NULL, authored, &r);
	assert_status(&r, 201);
	assert_int_equal(etag_of(&r), 1);
	assert_string_equal(JS(&r, "title"), "Faster returns");
	assert_string_equal(JS(&r, "team"), "payments");
	assert_int_equal(json_array_size(J(&r, "tags")), 2);
	assert_string_equal(json_string_value(json_array_get(J(&r, "tags"), 1)),
			    "a, b");
	pr = json_object_get(J(&r, "content"), "press_release");
	assert_string_equal(json_string_value(json_object_get(pr, "problem")),
			    "Refunds take 6 to 10 days.\nSome customers pay "
			    "overdraft fees while they wait.");
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(pr, "leader_quote"), "speaker")),
		"Dana Ortiz");
	assert_non_null(JS(&r, "id"));
	snprintf(id, sizeof(id), "%s", JS(&r, "id"));
	/* The quality report is made from the content, as for JSON. */
	assert_true(
		json_is_integer(json_object_get(J(&r, "quality"), "score")));
	h_resp_free(&r);
	assert_put_own_markdown_keeps(id);
}

/*
 * A document written as JSON with everything Markdown would lose or read
 * as markup, in every field: its Markdown goes back unchanged.
 */
static void
test_round_trip_hostile_text(void **state)
{
	static const char *const texts[] = {
		"  leading spaces and trailing  ",
		"*stars* _underscores_ # hash > quote `tick` ``two``",
		"1. numbered\n2) also\n- dash\n+ plus\n===\n---",
		"an answer\n\nwith a blank line\n\n\n\nand three more\n",
		"windows\r\nline\r\nendings\r\n",
		"\ttab first\nlast tab\t",
		"    indented like code",
		"<div>html</div> [link](https://e.x) &amp; \\ backslash",
		"unicode: é 中文 🙂 — · \xC2\xA0nbsp",
		"### Q: not a heading\n**Team:** not a label\n*(empty)*",
		"",
		" ",
		"\n",
	};
	struct h_resp r;
	char id[40];

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *t = texts[i];
		json_t *body = json_pack(
			"{s:s, s:s, s:[s], s:{s:{s:s, s:s, s:{s:s, s:s}},"
			" s:{s:s}, s:{s:[{s:s, s:s}], s:[{s:s}]},"
			" s:[{s:s, s:s, s:s}]}}",
			"title", "Round trip", "team",
			strpbrk(t, "\t\r\n") ? "one line · team" : t, "tags",
			"a `tag`, with comma", "content", "press_release",
			"summary", t, "problem", t, "leader_quote", "text", t,
			"speaker", t, "customer", "who", t, "faq", "external",
			"question", t, "answer", t, "internal", "answer", t,
			"visuals", "title", t, "url",
			"https://e.x/a_b*c?d=1&e=<2>", "caption", t);

		assert_non_null(body);
		h_req_json(&srv, "POST", "/v1/prfaqs", author, NULL, body, &r);
		assert_status(&r, 201);
		snprintf(id, sizeof(id), "%s", JS(&r, "id"));
		h_resp_free(&r);
		assert_put_own_markdown_keeps(id);
	}
}

/* A version's Markdown (with Author, Version) can be sent back too. */
static void
test_put_version_markdown(void **state)
{
	struct h_resp r;
	char id[40], path[128], *md;

	(void)state;
	send_md("POST", "/v1/prfaqs", NULL, authored, &r);
	assert_status(&r, 201);
	snprintf(id, sizeof(id), "%s", JS(&r, "id"));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1", id);
	md = get_md(path);
	assert_non_null(strstr(md, "**Author:** Ana"));
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	send_md("PUT", path, "If-Match: \"1\"", md, &r);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "title"), "Faster returns");
	h_resp_free(&r);
	free(md);
}

/*
 * A Markdown body's change note travels in the Change-Note header, checked
 * like the JSON member; with a JSON body the header is refused.
 */
static void
test_change_note_header(void **state)
{
	const char *put_md[] = { "Content-Type: text/markdown",
				 "If-Match: \"1\"",
				 "Change-Note: sharper title · from my editor",
				 NULL };
	const char *put_json[] = { "If-Match: \"2\"",
				   "Change-Note: in the wrong place", NULL };
	char id[40], path[128], versions[160], long_note[1100], *md, *edited;
	const char *too_long[] = { "Content-Type: text/markdown",
				   "If-Match: \"2\"", long_note, NULL };
	struct h_resp r;
	json_t *items;

	(void)state;
	send_md("POST", "/v1/prfaqs", "Change-Note: first draft", authored, &r);
	assert_status(&r, 201);
	snprintf(id, sizeof(id), "%s", JS(&r, "id"));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	snprintf(versions, sizeof(versions), "/v1/prfaqs/%s/versions", id);

	md = get_md(path);
	assert_int_equal(strncmp(md, "# Faster returns\n", 17), 0);
	edited = malloc(strlen(md) + 16);
	assert_non_null(edited);
	sprintf(edited, "# Faster returns, today%s", md + 16);
	assert_int_equal(h_req(&srv, "PUT", path, author, put_md, edited, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(etag_of(&r), 2);
	h_resp_free(&r);

	assert_int_equal(h_req(&srv, "GET", versions, reader, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	items = J(&r, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(items, 0), "change_note")),
			    "sharper title · from my editor");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(items, 1), "change_note")),
			    "first draft");
	h_resp_free(&r);

	/* A JSON body carries its own change_note: the header is a 400. */
	assert_int_equal(h_req(&srv, "PUT", path, author, put_json,
			       "{\"title\":\"JSON\"}", &r),
			 0);
	assert_problem(&r, 400);
	assert_non_null(JS(&r, "detail"));
	assert_non_null(strstr(JS(&r, "detail"), "Change-Note"));
	h_resp_free(&r);
	/* Checked like the member: at most 1,000 characters. */
	memcpy(long_note, "Change-Note: ", 13);
	memset(long_note + 13, 'n', 1001);
	long_note[13 + 1001] = '\0';
	assert_int_equal(h_req(&srv, "PUT", path, author, too_long, edited, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	free(edited);
	free(md);
}

/* Text not in the layout: 400, each error with its line. */
static void
test_errors_name_the_line(void **state)
{
	static const char bad[] = "# T\n"
				  "\n"
				  "## Press release\n"
				  "\n"
				  "### Teaser\n"
				  "\n"
				  "text\n"
				  "\n"
				  "### Problem\n"
				  "\n"
				  "Some *emphasis*.\n";
	struct h_resp r;
	json_t *e;

	(void)state;
	send_md("POST", "/v1/prfaqs", NULL, bad, &r);
	e = first_error(&r);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 5);
	assert_non_null(strstr(json_string_value(json_object_get(e, "message")),
			       "Teaser"));
	e = json_array_get(J(&r, "errors"), 1);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 11);
	assert_non_null(strstr(JS(&r, "detail"), "layout"));
	h_resp_free(&r);

	/* In the layout but invalid: the pointer and the line of the member. */
	send_md("POST", "/v1/prfaqs", NULL,
		"# T\n\n## Press release\n\n### Launch date\n\nnext spring\n",
		&r);
	e = first_error(&r);
	assert_string_equal(json_string_value(json_object_get(e, "pointer")),
			    "/content/press_release/launch_date");
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 5);
	h_resp_free(&r);

	/* Invalid UTF-8 and control characters name their line too. */
	send_md("POST", "/v1/prfaqs", NULL, "# T\n\nbad \xFF byte\n", &r);
	e = first_error(&r);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
	h_resp_free(&r);

	/* An empty body is a PR/FAQ without its title. */
	send_md("POST", "/v1/prfaqs", NULL, "", &r);
	e = first_error(&r);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 1);
	h_resp_free(&r);

	/* PUT is refused the same way, and writes nothing. */
	{
		char id[40], path[128];

		send_md("POST", "/v1/prfaqs", NULL, authored, &r);
		assert_status(&r, 201);
		snprintf(id, sizeof(id), "%s", JS(&r, "id"));
		h_resp_free(&r);
		snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
		send_md("PUT", path, "If-Match: \"1\"", bad, &r);
		e = first_error(&r);
		assert_int_equal(json_integer_value(json_object_get(e, "line")),
				 5);
		h_resp_free(&r);
		assert_int_equal(
			h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
		assert_int_equal(etag_of(&r), 1);
		h_resp_free(&r);
	}
}

/* /v1/lint reads a whole PR/FAQ in Markdown and checks its content. */
static void
test_lint_markdown(void **state)
{
	struct h_resp r;
	json_t *e;

	(void)state;
	send_md("POST", "/v1/lint", NULL, authored, &r);
	assert_status(&r, 200);
	assert_true(json_is_integer(J(&r, "score")));
	assert_true(json_is_array(J(&r, "findings")));
	h_resp_free(&r);

	send_md("POST", "/v1/lint", NULL, "# T\n\n## Customers\n", &r);
	e = first_error(&r);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
	h_resp_free(&r);
}

/* Only the three routes take Markdown; the 415 says which types do. */
static void
test_media_types(void **state)
{
	const char *patch_md[] = { "Content-Type: text/markdown",
				   "If-Match: \"1\"", NULL };
	const char *plain[] = { "Content-Type: text/plain", NULL };
	struct h_resp r;
	char id[40], path[128];

	(void)state;
	send_md("POST", "/v1/prfaqs", NULL, authored, &r);
	assert_status(&r, 201);
	snprintf(id, sizeof(id), "%s", JS(&r, "id"));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);

	assert_int_equal(
		h_req(&srv, "PATCH", path, author, patch_md, authored, &r), 0);
	assert_problem(&r, 415);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "POST", "/v1/users", srv.admin_token,
			       md_body, authored, &r),
			 0);
	assert_problem(&r, 415);
	assert_null(strstr(JS(&r, "detail"), "or text/markdown"));
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", author, plain,
			       authored, &r),
			 0);
	assert_problem(&r, 415);
	assert_non_null(strstr(JS(&r, "detail"), "or text/markdown"));
	h_resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_markdown),
		cmocka_unit_test(test_round_trip_hostile_text),
		cmocka_unit_test(test_put_version_markdown),
		cmocka_unit_test(test_change_note_header),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_lint_markdown),
		cmocka_unit_test(test_media_types),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
