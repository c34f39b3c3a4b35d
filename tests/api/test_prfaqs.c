/*
 * test_prfaqs.c - PR/FAQ documents and their versions: create, read in three
 * representations, replace and merge-patch under If-Match, versions, diff,
 * restore, the audit trail, lists with filters, cursors and search, and the
 * stateless lint.
 */
#include "harness.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static struct h_server srv;

/* Who acts: two authors, a reviewer, a reader with no role; and the admin. */
static char *author, *author2, *reviewer, *reader;
static char author_id[40], author2_id[40], reviewer_id[40], reader_id[40];

static int
setup(void **state)
{
	if (h_start(&srv, NULL) != 0)
		return -1;
	author = h_user(&srv, "Ana", "\"author\"", author_id);
	author2 = h_user(&srv, "Ben", "\"author\",\"reviewer\"", author2_id);
	reviewer =
		h_user(&srv, "Rui", "\"reviewer\",\"approver\"", reviewer_id);
	reader = h_user(&srv, "Rita", "", reader_id);
	return author && author2 && reviewer && reader ? 0 : -1;
}

static int
teardown(void **state)
{
	h_stop(&srv);
	free(author);
	free(author2);
	free(reviewer);
	free(reader);
	return 0;
}

/* --- helpers ------------------------------------------------------------ */

/* A 400 whose errors name exactly this JSON Pointer (among others). */
static void
assert_invalid_at(const struct h_resp *r, const char *pointer)
{
	json_t *e;
	size_t i;

	assert_problem(r, 400);
	json_array_foreach(J(r, "errors"), i, e) {
		const char *p =
			json_string_value(json_object_get(e, "pointer"));

		if (p != NULL && strcmp(p, pointer) == 0) {
			assert_true(
				json_is_string(json_object_get(e, "message")));
			return;
		}
	}
	print_error("no error at %s in %s\n", pointer, r->body);
	fail();
}

static void
assert_content_type(const struct h_resp *r, const char *want)
{
	char ct[128];

	assert_non_null(h_header(r, "Content-Type", ct, sizeof(ct)));
	if (strncasecmp(ct, want, strlen(want)) != 0) {
		print_error("Content-Type %s, want %s\n", ct, want);
		fail();
	}
}

static void
assert_etag(const struct h_resp *r, int version)
{
	char etag[64], want[32];

	assert_non_null(h_header(r, "ETag", etag, sizeof(etag)));
	snprintf(want, sizeof(want), "\"%d\"", version);
	assert_string_equal(etag, want);
}

/*
 * Put a PR/FAQ in a status directly in the database: the workflow endpoints
 * (submit, decide, archive) are not what these tests are about.
 */
static void
set_status(const char *id, const char *status)
{
	char sql[512], *v;

	snprintf(sql, sizeof(sql),
		 "UPDATE prfaqs SET status = '%s' WHERE id = '%s'", status, id);
	v = h_sql(srv.dbname, sql);
	assert_non_null(v);
	free(v);
}

/* Is j equal to the JSON text want? */
static bool
json_is(const json_t *j, const char *want)
{
	json_t *w = json_loads(want, 0, NULL);
	bool eq = w != NULL && json_equal(j, w);

	json_decref(w);
	return eq;
}

/* A realistic, complete content object about a pantry subscription. */
static json_t *
content_full(const char *headline)
{
	return json_pack(
		"{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s,"
		"    s:{s:s, s:s}, s:s},"
		" s:{s:[{s:s, s:s}], s:[{s:s, s:s}]},"
		" s:{s:s, s:s, s:s, s:s, s:s},"
		" s:[{s:s, s:s, s:s}]}",
		"press_release", "headline", headline, "subheading",
		"Households never run out of the basics again", "launch_date",
		"2027-03-01", "location", "SEATTLE", "summary",
		"Pantry Autopilot watches what a household uses and "
		"restocks staples before they run out.",
		"problem",
		"Families discover an empty shelf at the worst moment.",
		"solution", "A weekly box sized to each home's actual use.",
		"leader_quote", "text", "We started from the empty shelf.",
		"speaker", "Jane Doe, VP Pantry", "how_it_works",
		"Link an account, confirm the first box, done.",
		"customer_quote", "text",
		"I have not bought rice in a panic since.", "speaker",
		"Sam, Portland", "call_to_action",
		"Start at example.com/pantry.", "faq", "external", "question",
		"What does it cost?", "answer",
		"Nothing beyond the groceries themselves.", "internal",
		"question", "What is the margin?", "answer",
		"Eight percent at launch volumes.", "customer", "who",
		"Busy households of three or more", "problem",
		"Staples run out unnoticed", "benefit", "Never an empty shelf",
		"evidence", "Survey of 2,000 members", "experience",
		"A box arrives before it is needed", "visuals", "title",
		"The box", "url", "https://example.com/box.png", "caption",
		"A weekly box");
}

/* POST /v1/prfaqs {title, content?} by token; asserts 201, fills id. */
static void
create_prfaq_with(const char *token, const char *title, json_t *content,
		  const char *team, json_t *tags, char *id_out)
{
	json_t *body = json_pack("{s:s}", "title", title);
	struct h_resp r;

	if (content != NULL)
		json_object_set_new(body, "content", content);
	if (team != NULL)
		json_object_set_new(body, "team", json_string(team));
	if (tags != NULL)
		json_object_set_new(body, "tags", tags);
	h_req_json(&srv, "POST", "/v1/prfaqs", token, NULL, body, &r);
	assert_status(&r, 201);
	snprintf(id_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
}

static void
create_prfaq(const char *token, const char *title, char *id_out)
{
	create_prfaq_with(token, title, content_full(title), NULL, NULL,
			  id_out);
}

/* GET path as the reader; asserts 200 and returns the JSON (a new reference). */
static json_t *
get_json(const char *path)
{
	struct h_resp r;
	json_t *j;

	assert_int_equal(h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_non_null(r.json);
	j = json_incref(r.json);
	h_resp_free(&r);
	return j;
}

static json_t *
get_doc(const char *id)
{
	char path[128];

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	return get_json(path);
}

/* The version numbers listed, newest first, as "3,2,1". */
static void
version_numbers(const char *id, char *out, size_t cap)
{
	char path[128];
	json_t *list, *item;
	size_t i, n = 0;

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions?limit=100", id);
	list = get_json(path);
	out[0] = '\0';
	json_array_foreach(json_object_get(list, "items"), i, item)
		n += (size_t)snprintf(out + n, cap - n, "%s%d", i ? "," : "",
				      (int)json_integer_value(
					      json_object_get(item, "number")));
	json_decref(list);
}

/* PUT body (taken) with If-Match: "<if_match>" (0: no If-Match). */
static void
put(const char *token, const char *id, int if_match, json_t *body,
    struct h_resp *out)
{
	char path[128], im[64];
	const char *hdr[] = { im, NULL };

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	snprintf(im, sizeof(im), "If-Match: \"%d\"", if_match);
	h_req_json(&srv, "PUT", path, token, if_match ? hdr : NULL, body, out);
}

static void
patch(const char *token, const char *id, int if_match, const char *body,
      struct h_resp *out)
{
	char path[128], im[64];
	const char *hdr[] = { "Content-Type: application/merge-patch+json", im,
			      NULL };

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	snprintf(im, sizeof(im), "If-Match: \"%d\"", if_match);
	if (if_match == 0)
		hdr[1] = NULL;
	assert_int_equal(h_req(&srv, "PATCH", path, token, hdr, body, out), 0);
}

static void
restore(const char *token, const char *id, int n, int if_match,
	struct h_resp *out)
{
	char path[160], im[64];
	const char *hdr[] = { im, NULL };

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/%d/restore", id,
		 n);
	snprintf(im, sizeof(im), "If-Match: \"%d\"", if_match);
	assert_int_equal(h_req(&srv, "POST", path, token, if_match ? hdr : NULL,
			       NULL, out),
			 0);
}

/* A PUT body: {title, content} (content taken). */
static json_t *
replace_body(const char *title, json_t *content)
{
	return json_pack("{s:s, s:o}", "title", title, "content", content);
}

/* content_full() with press_release.<key> set to value (NULL: removed). */
static json_t *
content_with(const char *headline, const char *key, const char *value)
{
	json_t *c = content_full(headline);
	json_t *pr = json_object_get(c, "press_release");

	if (value == NULL)
		json_object_del(pr, key);
	else
		json_object_set_new(pr, key, json_string(value));
	return c;
}

/* --- create ------------------------------------------------------------- */

static void
test_create_returns_the_document(void **state)
{
	json_t *content =
		content_full("Pantry Autopilot restocks your shelves");
	json_t *body = json_pack("{s:s, s:s, s:[s,s], s:O, s:s}", "title",
				 "Pantry Autopilot", "team", "grocery", "tags",
				 "prime", "household", "content", content,
				 "change_note", "First draft");
	struct h_resp r;
	char location[128], want[128];
	json_t *owner, *quality;

	h_req_json(&srv, "POST", "/v1/prfaqs", author, NULL, body, &r);
	assert_status(&r, 201);
	assert_content_type(&r, "application/json");
	assert_etag(&r, 1);
	assert_true(h_is_uuid(JS(&r, "id")));
	assert_non_null(h_header(&r, "Location", location, sizeof(location)));
	snprintf(want, sizeof(want), "/v1/prfaqs/%s", JS(&r, "id"));
	assert_string_equal(location, want);
	assert_string_equal(JS(&r, "title"), "Pantry Autopilot");
	assert_string_equal(JS(&r, "team"), "grocery");
	assert_true(json_is(J(&r, "tags"), "[\"prime\",\"household\"]"));
	assert_string_equal(JS(&r, "status"), "draft");
	owner = J(&r, "owner");
	assert_string_equal(json_string_value(json_object_get(owner, "id")),
			    author_id);
	assert_string_equal(json_string_value(json_object_get(owner, "name")),
			    "Ana");
	assert_int_equal(JI(&r, "version"), 1);
	/* The content exactly as sent: nothing added, nothing lost. */
	assert_true(json_equal(J(&r, "content"), content));
	quality = J(&r, "quality");
	assert_true(json_is_integer(json_object_get(quality, "score")));
	assert_in_range(json_integer_value(json_object_get(quality, "score")),
			0, 100);
	assert_true(json_is_array(json_object_get(quality, "findings")));
	assert_true(h_is_rfc3339_utc(JS(&r, "created_at")));
	assert_true(h_is_rfc3339_utc(JS(&r, "updated_at")));
	h_resp_free(&r);
	json_decref(content);
}

static void
test_create_keeps_partial_content_as_sent(void **state)
{
	json_t *content = json_pack("{s:{s:s, s:s}, s:{s:[]}}", "press_release",
				    "headline", "Draft headline", "summary", "",
				    "faq", "external");
	json_t *doc;
	struct h_resp r;
	char id[40];

	/* A title alone is a valid start. */
	h_req_json(&srv, "POST", "/v1/prfaqs", author, NULL,
		   json_pack("{s:s}", "title", "Just a title"), &r);
	assert_status(&r, 201);
	assert_true(json_is_object(J(&r, "content")));
	assert_int_equal(json_object_size(J(&r, "content")), 0);
	assert_int_equal(JI(&r, "version"), 1);
	h_resp_free(&r);

	/* Members not sent stay absent; empty strings sent stay empty. */
	create_prfaq_with(author, "Partial", json_incref(content), NULL, NULL,
			  id);
	doc = get_doc(id);
	assert_true(json_equal(json_object_get(doc, "content"), content));
	assert_null(
		json_object_get(json_object_get(json_object_get(doc, "content"),
						"press_release"),
				"subheading"));
	assert_null(json_object_get(
		json_object_get(json_object_get(doc, "content"), "faq"),
		"internal"));
	json_decref(doc);
	json_decref(content);
}

static void
test_create_needs_the_author_role(void **state)
{
	const char *const who[] = { reviewer, reader, srv.admin_token };
	long before = h_sql_count(&srv, "SELECT count(*) FROM prfaqs");
	struct h_resp r;

	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		h_req_json(&srv, "POST", "/v1/prfaqs", who[i], NULL,
			   json_pack("{s:s}", "title", "Not mine to write"),
			   &r);
		assert_problem(&r, 403);
		h_resp_free(&r);
	}
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM prfaqs"),
			 before);
	/* Without a token at all: 401. */
	h_req_json(&srv, "POST", "/v1/prfaqs", NULL, NULL,
		   json_pack("{s:s}", "title", "Anonymous"), &r);
	assert_problem(&r, 401);
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM prfaqs"),
			 before);
}

static void
test_create_validation_pointers(void **state)
{
	static const struct {
		const char *body, *pointer;
	} cases[] = {
		{ "{\"title\":\"T\",\"content\":{\"press_release\":{\"headline\":42}}}",
		  "/content/press_release/headline" },
		{ "{\"title\":\"T\",\"content\":{\"press_release\":{\"foo\":\"x\"}}}",
		  "/content/press_release/foo" },
		{ "{\"team\":\"payments\"}", "/title" },
		{ "{\"title\":\"\"}", "/title" },
		{ "{\"title\":7}", "/title" },
		{ "{\"title\":\"T\",\"content\":{\"press_release\":{\"launch_date\":\"2027-02-30\"}}}",
		  "/content/press_release/launch_date" },
		{ "{\"title\":\"T\",\"content\":{\"press_release\":{\"launch_date\":\"03/01/2027\"}}}",
		  "/content/press_release/launch_date" },
		{ "{\"title\":\"T\",\"content\":{\"visuals\":[{\"url\":\"javascript:alert(1)\"}]}}",
		  "/content/visuals/0/url" },
		{ "{\"title\":\"T\",\"content\":{\"visuals\":[{\"url\":\"https://ok.example/a\"},"
		  "{\"url\":\"JavaScript:alert(1)\"}]}}",
		  "/content/visuals/1/url" },
		{ "{\"title\":\"T\",\"content\":{\"faq\":{\"external\":[{\"question\":[]}]}}}",
		  "/content/faq/external/0/question" },
		{ "{\"title\":\"T\",\"content\":{\"faq\":{\"external\":{}}}}",
		  "/content/faq/external" },
		{ "{\"title\":\"T\",\"content\":{\"customer\":{\"who\":null}}}",
		  "/content/customer/who" },
		{ "{\"title\":\"T\",\"content\":{\"press_release\":{\"leader_quote\":{\"text\":\"x\","
		  "\"name\":\"y\"}}}}",
		  "/content/press_release/leader_quote/name" },
		{ "{\"title\":\"T\",\"content\":{\"bogus\":{}}}",
		  "/content/bogus" },
		{ "{\"title\":\"T\",\"content\":[]}", "/content" },
		{ "{\"title\":\"T\",\"tags\":\"prime\"}", "/tags" },
		{ "{\"title\":\"T\",\"tags\":[\"a\",\"a\"]}", "/tags/1" },
		{ "{\"title\":\"T\",\"owner\":\"me\"}", "/owner" },
		{ "{\"title\":\"T\",\"version\":9}", "/version" },
	};
	long before = h_sql_count(&srv, "SELECT count(*) FROM prfaqs");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct h_resp r;

		assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", author, NULL,
				       cases[i].body, &r),
				 0);
		assert_invalid_at(&r, cases[i].pointer);
		h_resp_free(&r);
	}
	/* Several problems are all reported, each at its place. */
	{
		struct h_resp r;

		assert_int_equal(
			h_req(&srv, "POST", "/v1/prfaqs", author, NULL,
			      "{\"content\":{\"press_release\":{\"headline\":1,"
			      "\"summary\":false}}}",
			      &r),
			0);
		assert_invalid_at(&r, "/title");
		assert_invalid_at(&r, "/content/press_release/headline");
		assert_invalid_at(&r, "/content/press_release/summary");
		h_resp_free(&r);
	}
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM prfaqs"),
			 before);
}

static void
test_create_wrong_media_type_is_415(void **state)
{
	const char *text[] = { "Content-Type: text/plain", NULL };
	const char *merge[] = { "Content-Type: application/merge-patch+json",
				NULL };
	struct h_resp r;

	assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", author, text,
			       "{\"title\":\"T\"}", &r),
			 0);
	assert_problem(&r, 415);
	h_resp_free(&r);
	/* merge-patch is for PATCH only. */
	assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", author, merge,
			       "{\"title\":\"T\"}", &r),
			 0);
	assert_problem(&r, 415);
	h_resp_free(&r);
}

/* --- read --------------------------------------------------------------- */

static void
test_get_with_etag_and_304(void **state)
{
	const char *inm1[] = { "If-None-Match: \"1\"", NULL };
	const char *inm7[] = { "If-None-Match: \"7\"", NULL };
	struct h_resp r;
	char id[40], path[128];

	create_prfaq(author, "Etag check", id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	/* Anyone authenticated may read. */
	assert_int_equal(h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_content_type(&r, "application/json");
	assert_etag(&r, 1);
	assert_string_equal(JS(&r, "id"), id);
	assert_string_equal(JS(&r, "title"), "Etag check");
	h_resp_free(&r);

	assert_int_equal(h_req(&srv, "GET", path, reader, inm1, NULL, &r), 0);
	assert_status(&r, 304);
	assert_int_equal(r.len, 0);
	assert_etag(&r, 1);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", path, reader, inm7, NULL, &r), 0);
	assert_status(&r, 200);
	h_resp_free(&r);

	/* After an edit, the old ETag no longer matches. */
	put(author, id, 1, replace_body("Etag check 2", content_full("H")), &r);
	assert_status(&r, 200);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", path, reader, inm1, NULL, &r), 0);
	assert_status(&r, 200);
	assert_etag(&r, 2);
	assert_int_equal(JI(&r, "version"), 2);
	h_resp_free(&r);

	/* No token: 401. */
	assert_int_equal(h_req(&srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_problem(&r, 401);
	h_resp_free(&r);
}

static void
test_get_unknown_or_malformed_id_is_404(void **state)
{
	static const char *const paths[] = {
		"/v1/prfaqs/00000000-0000-4000-8000-000000000000",
		"/v1/prfaqs/not-a-uuid",
		"/v1/prfaqs/..%2F..%2Fetc%2Fpasswd",
		"/v1/prfaqs/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
		"/v1/prfaqs/00000000-0000-4000-8000-00000000000",
		"/v1/prfaqs/00000000-0000-4000-8000-000000000000%00",
		"/v1/prfaqs/00000000-0000-4000-8000-000000000000/versions",
		"/v1/prfaqs/00000000-0000-4000-8000-000000000000/versions/1",
		"/v1/prfaqs/00000000-0000-4000-8000-000000000000/events",
		"/v1/prfaqs/00000000-0000-4000-8000-000000000000/diff?from=1&to=1",
		"/v1/prfaqs/not-a-uuid/versions",
	};
	struct h_resp r;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_int_equal(h_req(&srv, "GET", paths[i], reader, NULL,
				       NULL, &r),
				 0);
		if (r.status != 404)
			print_error("%s\n", paths[i]);
		assert_problem(&r, 404);
		h_resp_free(&r);
	}
	/* Writes to a PR/FAQ that does not exist: 404 too. */
	put(author, "00000000-0000-4000-8000-000000000000", 1,
	    replace_body("T", json_object()), &r);
	assert_problem(&r, 404);
	h_resp_free(&r);
	patch(author, "00000000-0000-4000-8000-000000000000", 1,
	      "{\"title\":\"T\"}", &r);
	assert_problem(&r, 404);
	h_resp_free(&r);
	restore(author, "00000000-0000-4000-8000-000000000000", 1, 1, &r);
	assert_problem(&r, 404);
	h_resp_free(&r);
}

static void
test_get_as_markdown(void **state)
{
	const char *md[] = { "Accept: text/markdown", NULL };
	struct h_resp r;
	char id[40], path[128];

	create_prfaq(author, "Markdown rendering", id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	assert_int_equal(h_req(&srv, "GET", path, reader, md, NULL, &r), 0);
	assert_status(&r, 200);
	assert_content_type(&r, "text/markdown");
	assert_null(r.json);
	/* Its own ETag: a cached rendering never validates the JSON, nor back. */
	{
		char etag[32];

		assert_non_null(h_header(&r, "ETag", etag, sizeof(etag)));
		assert_string_equal(etag, "\"1.md\"");
	}
	/* The headline, the FAQ and the customer quote are all there. */
	assert_non_null(strstr(r.body, "Markdown rendering"));
	assert_non_null(strstr(r.body, "What does it cost?"));
	assert_non_null(
		strstr(r.body, "I have not bought rice in a panic since."));
	h_resp_free(&r);
	{
		const char *md_cached[] = { "Accept: text/markdown",
					    "If-None-Match: \"1.md\"", NULL };
		const char *md_json_tag[] = { "Accept: text/markdown",
					      "If-None-Match: \"1\"", NULL };
		const char *json_md_tag[] = { "If-None-Match: \"1.md\"", NULL };
		const char *html_md_tag[] = { "Accept: text/html",
					      "If-None-Match: \"1.md\"", NULL };

		assert_int_equal(h_req(&srv, "GET", path, reader, md_cached,
				       NULL, &r),
				 0);
		assert_status(&r, 304);
		h_resp_free(&r);
		assert_int_equal(h_req(&srv, "GET", path, reader, md_json_tag,
				       NULL, &r),
				 0);
		assert_status(&r, 200);
		assert_content_type(&r, "text/markdown");
		h_resp_free(&r);
		assert_int_equal(h_req(&srv, "GET", path, reader, json_md_tag,
				       NULL, &r),
				 0);
		assert_status(&r, 200);
		assert_etag(&r, 1);
		h_resp_free(&r);
		assert_int_equal(h_req(&srv, "GET", path, reader, html_md_tag,
				       NULL, &r),
				 0);
		assert_status(&r, 200);
		assert_content_type(&r, "text/html");
		h_resp_free(&r);
	}

	/* Versions render too. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1", id);
	assert_int_equal(h_req(&srv, "GET", path, reader, md, NULL, &r), 0);
	assert_status(&r, 200);
	assert_content_type(&r, "text/markdown");
	assert_non_null(strstr(r.body, "Markdown rendering"));
	h_resp_free(&r);
}

static void
test_get_as_html_escapes_user_text(void **state)
{
	const char *html[] = { "Accept: text/html", NULL };
	json_t *content = content_full("<script>alert(1)</script>");
	struct h_resp r;
	char id[40], path[128];
	char *lower;

	json_object_set_new(
		json_object_get(content, "press_release"), "summary",
		json_string("Fish & chips <img src=x onerror=alert(2)> \"q\""));
	create_prfaq_with(author, "<b>Bold</b> title", content, NULL, NULL, id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	assert_int_equal(h_req(&srv, "GET", path, reader, html, NULL, &r), 0);
	assert_status(&r, 200);
	assert_content_type(&r, "text/html");
	/* A complete page... */
	lower = strdup(r.body);
	for (char *p = lower; *p != '\0'; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	assert_non_null(strstr(lower, "<!doctype html"));
	assert_non_null(strstr(lower, "<html"));
	assert_non_null(strstr(lower, "</html>"));
	assert_non_null(strstr(lower, "<title>"));
	/* ...whose user text is text, never markup. */
	assert_null(strstr(lower, "<script>alert"));
	assert_null(strstr(lower, "<img src=x"));
	assert_null(strstr(lower, "<b>bold"));
	assert_non_null(strstr(r.body, "alert(1)"));
	assert_non_null(strstr(r.body, "&lt;script&gt;"));
	assert_non_null(strstr(r.body, "Fish &amp; chips"));
	/* And the browser is told that scripts are never expected. */
	{
		char csp[256];

		assert_non_null(h_header(&r, "Content-Security-Policy", csp,
					 sizeof(csp)));
		assert_non_null(strstr(csp, "default-src 'none'"));
		assert_string_equal(h_header(&r, "X-Content-Type-Options", csp,
					     sizeof(csp)),
				    "nosniff");
	}
	free(lower);
	h_resp_free(&r);
}

static void
test_get_negotiation(void **state)
{
	static const char *const json_accepts[] = {
		"Accept: */*",
		"Accept: application/json",
		"Accept: image/png, */*;q=0.1",
		"Accept: application/*",
	};
	const char *png[] = { "Accept: image/png", NULL };
	struct h_resp r;
	char id[40], path[128];

	create_prfaq(author, "Negotiation", id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	assert_int_equal(h_req(&srv, "GET", path, reader, png, NULL, &r), 0);
	assert_problem(&r, 406);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1", id);
	assert_int_equal(h_req(&srv, "GET", path, reader, png, NULL, &r), 0);
	assert_problem(&r, 406);
	h_resp_free(&r);

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	for (size_t i = 0; i < sizeof(json_accepts) / sizeof(json_accepts[0]);
	     i++) {
		const char *hdr[] = { json_accepts[i], NULL };

		assert_int_equal(
			h_req(&srv, "GET", path, reader, hdr, NULL, &r), 0);
		assert_status(&r, 200);
		assert_content_type(&r, "application/json");
		assert_non_null(r.json);
		assert_string_equal(JS(&r, "id"), id);
		h_resp_free(&r);
	}
	/* No Accept at all: JSON. */
	assert_int_equal(h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_content_type(&r, "application/json");
	h_resp_free(&r);
}

/* --- PUT ---------------------------------------------------------------- */

static void
test_put_preconditions(void **state)
{
	json_t *c1 = content_full("First headline"), *doc;
	const char *weak[] = { "If-Match: W/\"1\"", NULL };
	char id[40], path[128], numbers[64];
	struct h_resp r;

	create_prfaq_with(author, "Preconditions", json_incref(c1), NULL, NULL,
			  id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);

	/* No If-Match: 428, nothing written. */
	put(author, id, 0, replace_body("Changed", content_full("Nope")), &r);
	assert_problem(&r, 428);
	h_resp_free(&r);
	/* An If-Match naming another version: 412. */
	put(author, id, 7, replace_body("Changed", content_full("Nope")), &r);
	assert_problem(&r, 412);
	h_resp_free(&r);
	/* A weak tag never matches for writes. */
	h_req_json(&srv, "PUT", path, author, weak,
		   replace_body("Changed", content_full("Nope")), &r);
	assert_problem(&r, 412);
	h_resp_free(&r);
	/* "*" (any version) is the lost update If-Match exists to stop: 428. */
	h_req_json(&srv, "PUT", path, author,
		   (const char *const[]){ "If-Match: *", NULL },
		   replace_body("Changed", content_full("Nope")), &r);
	assert_problem(&r, 428);
	assert_non_null(strstr(JS(&r, "detail"), "If-Match: *"));
	h_resp_free(&r);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "1");

	/* The right one: version 2. */
	put(author, id, 1,
	    replace_body("Preconditions v2", content_full("Second headline")),
	    &r);
	assert_status(&r, 200);
	assert_etag(&r, 2);
	assert_int_equal(JI(&r, "version"), 2);
	assert_string_equal(JS(&r, "title"), "Preconditions v2");
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(J(&r, "content"), "press_release"),
			"headline")),
		"Second headline");
	h_resp_free(&r);

	/* Again with the now stale "1": 412 and nothing written. */
	put(author, id, 1, replace_body("Lost update", content_full("Lost")),
	    &r);
	assert_problem(&r, 412);
	h_resp_free(&r);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "2,1");
	doc = get_doc(id);
	assert_string_equal(json_string_value(json_object_get(doc, "title")),
			    "Preconditions v2");
	assert_int_equal(json_integer_value(json_object_get(doc, "version")),
			 2);
	json_decref(doc);

	/* PUT replaces: a body without content is refused. */
	h_req_json(&srv, "PUT", path, author,
		   (const char *const[]){ "If-Match: \"2\"", NULL },
		   json_pack("{s:s}", "title", "No content"), &r);
	assert_invalid_at(&r, "/content");
	h_resp_free(&r);
	h_req_json(&srv, "PUT", path, author,
		   (const char *const[]){ "If-Match: \"2\"", NULL },
		   json_pack("{s:s, s:{s:{s:i}}}", "title", "T", "content",
			     "press_release", "headline", 3),
		   &r);
	assert_invalid_at(&r, "/content/press_release/headline");
	h_resp_free(&r);
	/* Media type. */
	assert_int_equal(
		h_req(&srv, "PUT", path, author,
		      (const char *const[]){ "If-Match: \"2\"",
					     "Content-Type: text/plain", NULL },
		      "{\"title\":\"T\",\"content\":{}}", &r),
		0);
	assert_problem(&r, 415);
	h_resp_free(&r);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "2,1");
	json_decref(c1);
}

static void
test_put_only_owner_or_admin(void **state)
{
	char id[40], numbers[64];
	struct h_resp r;

	create_prfaq(author, "Owned by Ana", id);
	/* Another author, a reviewer, a reader: 403 even with the right If-Match. */
	put(author2, id, 1, replace_body("Hijack", content_full("Hijack")), &r);
	assert_problem(&r, 403);
	h_resp_free(&r);
	put(reviewer, id, 1, replace_body("Hijack", content_full("Hijack")),
	    &r);
	assert_problem(&r, 403);
	h_resp_free(&r);
	patch(reader, id, 1, "{\"title\":\"Hijack\"}", &r);
	assert_problem(&r, 403);
	h_resp_free(&r);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "1");

	/* An admin may; the owner stays the owner. */
	put(srv.admin_token, id, 1,
	    replace_body("Edited by admin", content_full("Admin")), &r);
	assert_status(&r, 200);
	assert_etag(&r, 2);
	assert_string_equal(JS(&r, "title"), "Edited by admin");
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "owner"), "id")),
		author_id);
	h_resp_free(&r);
	{
		char path[128];
		json_t *v;

		snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/2", id);
		v = get_json(path);
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(v, "author"), "id")),
			srv.admin_id);
		json_decref(v);
	}
}

static void
test_edit_depends_on_status(void **state)
{
	char id[40], numbers[64];
	struct h_resp r;

	create_prfaq(author, "Status gate", id);
	/* Decided documents are frozen (set directly: no workflow here). */
	set_status(id, "approved");
	put(author, id, 1, replace_body("Too late", content_full("Too late")),
	    &r);
	assert_problem(&r, 409);
	h_resp_free(&r);
	patch(author, id, 1, "{\"title\":\"Too late\"}", &r);
	assert_problem(&r, 409);
	h_resp_free(&r);
	restore(author, id, 1, 1, &r);
	assert_problem(&r, 409);
	h_resp_free(&r);
	set_status(id, "archived");
	put(author, id, 1, replace_body("Too late", content_full("Too late")),
	    &r);
	assert_problem(&r, 409);
	h_resp_free(&r);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "1");

	/* In review, editing is allowed. */
	set_status(id, "in_review");
	put(author, id, 1,
	    replace_body("Revised in review", content_full("Revised")), &r);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "status"), "in_review");
	assert_int_equal(JI(&r, "version"), 2);
	h_resp_free(&r);
}

/* --- PATCH -------------------------------------------------------------- */

static void
test_patch_needs_merge_patch_media_type(void **state)
{
	const char *hdr[] = { "Content-Type: application/json",
			      "If-Match: \"1\"", NULL };
	char id[40], path[128], numbers[64];
	struct h_resp r;

	create_prfaq(author, "Patch media type", id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	assert_int_equal(h_req(&srv, "PATCH", path, author, hdr,
			       "{\"title\":\"X\"}", &r),
			 0);
	assert_problem(&r, 415);
	h_resp_free(&r);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "1");
	/* Without If-Match: 428; stale: 412. */
	patch(author, id, 0, "{\"title\":\"X\"}", &r);
	assert_problem(&r, 428);
	h_resp_free(&r);
	patch(author, id, 2, "{\"title\":\"X\"}", &r);
	assert_problem(&r, 412);
	h_resp_free(&r);
	patch(author, id, 1, "{\"title\":\"X\"}", &r);
	assert_status(&r, 200);
	assert_etag(&r, 2);
	assert_string_equal(JS(&r, "title"), "X");
	h_resp_free(&r);
}

static void
test_patch_merges(void **state)
{
	json_t *c1 = content_full("Merge me"), *want, *doc;
	char id[40];
	struct h_resp r;

	create_prfaq_with(author, "Merge semantics", json_incref(c1), "grocery",
			  json_pack("[s]", "prime"), id);
	/* null removes a member; everything else stays. */
	patch(author, id, 1,
	      "{\"content\":{\"press_release\":{\"subheading\":null}}}", &r);
	assert_status(&r, 200);
	assert_etag(&r, 2);
	want = json_deep_copy(c1);
	json_object_del(json_object_get(want, "press_release"), "subheading");
	assert_true(json_equal(J(&r, "content"), want));
	assert_string_equal(JS(&r, "title"), "Merge semantics");
	assert_string_equal(JS(&r, "team"), "grocery");
	assert_true(json_is(J(&r, "tags"), "[\"prime\"]"));
	h_resp_free(&r);

	/* Nested members merge; arrays are replaced whole. */
	patch(author, id, 2,
	      "{\"title\":\"Merged\",\"tags\":[\"a\",\"b\"],\"content\":{\"press_release\":"
	      "{\"headline\":\"New headline\",\"leader_quote\":{\"speaker\":\"J. Doe\"}},"
	      "\"faq\":{\"internal\":[]}},\"change_note\":\"tidy\"}",
	      &r);
	assert_status(&r, 200);
	assert_etag(&r, 3);
	json_object_set_new(json_object_get(want, "press_release"), "headline",
			    json_string("New headline"));
	json_object_set_new(
		json_object_get(json_object_get(want, "press_release"),
				"leader_quote"),
		"speaker", json_string("J. Doe"));
	json_object_set_new(json_object_get(want, "faq"), "internal",
			    json_array());
	assert_true(json_equal(J(&r, "content"), want));
	assert_string_equal(JS(&r, "title"), "Merged");
	assert_int_equal(json_array_size(J(&r, "tags")), 2);
	/* change_note goes to the version, not into the document. */
	assert_null(J(&r, "change_note"));
	h_resp_free(&r);
	{
		char path[128];

		snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/3", id);
		doc = get_json(path);
		assert_string_equal(
			json_string_value(json_object_get(doc, "change_note")),
			"tidy");
		json_decref(doc);
	}
	/* Removing the team with null. */
	patch(author, id, 3, "{\"team\":null}", &r);
	assert_status(&r, 200);
	assert_true(J(&r, "team") == NULL || json_is_null(J(&r, "team")));
	h_resp_free(&r);
	json_decref(want);
	json_decref(c1);
}

static void
test_patch_to_an_invalid_document_is_400(void **state)
{
	char id[40], numbers[64];
	struct h_resp r;

	create_prfaq(author, "Patch validation", id);
	patch(author, id, 1,
	      "{\"content\":{\"press_release\":{\"headline\":5}}}", &r);
	assert_invalid_at(&r, "/content/press_release/headline");
	h_resp_free(&r);
	patch(author, id, 1, "{\"title\":null}", &r);
	assert_invalid_at(&r, "/title");
	h_resp_free(&r);
	patch(author, id, 1,
	      "{\"content\":{\"press_release\":{\"nope\":\"x\"}}}", &r);
	assert_invalid_at(&r, "/content/press_release/nope");
	h_resp_free(&r);
	patch(author, id, 1,
	      "{\"content\":{\"visuals\":[{\"url\":\"javascript:x\"}]}}", &r);
	assert_invalid_at(&r, "/content/visuals/0/url");
	h_resp_free(&r);
	patch(author, id, 1, "[1,2]", &r);
	assert_problem(&r, 400);
	h_resp_free(&r);
	patch(author, id, 1, "{\"owner\":\"someone\"}", &r);
	assert_invalid_at(&r, "/owner");
	h_resp_free(&r);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "1");
}

/* --- versions ----------------------------------------------------------- */

static void
test_versions_list_and_one_version(void **state)
{
	json_t *c1 = content_full("Version one"), *list, *item, *v;
	char id[40], path[160];
	struct h_resp r;

	create_prfaq_with(author, "Versions", json_incref(c1), "grocery",
			  json_pack("[s]", "v"), id);
	put(author, id, 1,
	    json_pack("{s:s, s:o, s:s}", "title", "Versions 2", "content",
		      content_full("Version two"), "change_note",
		      "Sharper headline"),
	    &r);
	assert_status(&r, 200);
	h_resp_free(&r);
	put(srv.admin_token, id, 2,
	    replace_body("Versions 3", content_full("Version three")), &r);
	assert_status(&r, 200);
	h_resp_free(&r);

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions", id);
	list = get_json(path);
	assert_int_equal(json_array_size(json_object_get(list, "items")), 3);
	assert_true(json_is_null(json_object_get(list, "next_cursor")));
	for (int i = 0; i < 3; i++) {
		item = json_array_get(json_object_get(list, "items"),
				      (size_t)i);
		assert_int_equal(
			json_integer_value(json_object_get(item, "number")),
			3 - i);
		assert_true(h_is_rfc3339_utc(json_string_value(
			json_object_get(item, "created_at"))));
		assert_true(json_is_integer(json_object_get(
			json_object_get(item, "quality"), "score")));
		assert_true(json_is_object(json_object_get(item, "author")));
	}
	item = json_array_get(json_object_get(list, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(item, "author"), "id")),
			    srv.admin_id);
	item = json_array_get(json_object_get(list, "items"), 1);
	assert_string_equal(
		json_string_value(json_object_get(item, "change_note")),
		"Sharper headline");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(item, "author"), "id")),
			    author_id);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(item, "author"), "name")),
			    "Ana");
	json_decref(list);

	/* One version, in full. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1", id);
	assert_int_equal(h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_etag(&r, 1);
	v = r.json;
	assert_int_equal(json_integer_value(json_object_get(v, "number")), 1);
	assert_string_equal(json_string_value(json_object_get(v, "title")),
			    "Versions");
	assert_string_equal(json_string_value(json_object_get(v, "team")),
			    "grocery");
	assert_true(json_is(json_object_get(v, "tags"), "[\"v\"]"));
	assert_true(json_equal(json_object_get(v, "content"), c1));
	assert_true(json_is_integer(
		json_object_get(json_object_get(v, "quality"), "score")));
	assert_true(json_is_array(
		json_object_get(json_object_get(v, "quality"), "findings")));
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(v, "author"), "id")),
			    author_id);
	assert_true(json_object_get(v, "change_note") != NULL);
	assert_true(h_is_rfc3339_utc(
		json_string_value(json_object_get(v, "created_at"))));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/2", id);
	v = get_json(path);
	assert_string_equal(
		json_string_value(json_object_get(v, "change_note")),
		"Sharper headline");
	assert_string_equal(json_string_value(json_object_get(v, "title")),
			    "Versions 2");
	json_decref(v);

	/* Versions that do not exist. */
	{
		static const char *const bad[] = {
			"4", "0", "-1", "abc", "1.5", "99999999999"
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(path, sizeof(path),
				 "/v1/prfaqs/%s/versions/%s", id, bad[i]);
			assert_int_equal(h_req(&srv, "GET", path, reader, NULL,
					       NULL, &r),
					 0);
			assert_problem(&r, 404);
			h_resp_free(&r);
		}
	}
	json_decref(c1);
}

/* The change at path in a diff's changes, or NULL. */
static json_t *
change_at(json_t *changes, const char *path)
{
	json_t *c;
	size_t i;

	json_array_foreach(changes, i, c) {
		const char *p = json_string_value(json_object_get(c, "path"));

		if (p != NULL && strcmp(p, path) == 0)
			return c;
	}
	return NULL;
}

static void
test_diff(void **state)
{
	json_t *d, *changes, *c;
	char id[40], path[192];
	struct h_resp r;

	create_prfaq(author, "Diffing", id);
	/* v2: headline changed, subheading removed. */
	put(author, id, 1,
	    replace_body("Diffing", content_with("A changed headline",
						 "subheading", NULL)),
	    &r);
	assert_status(&r, 200);
	h_resp_free(&r);
	/* v3: a member added back (subheading). */
	put(author, id, 2,
	    replace_body("Diffing", content_with("A changed headline",
						 "subheading", "Back again")),
	    &r);
	assert_status(&r, 200);
	h_resp_free(&r);

	/* Identical versions: no changes. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/diff?from=2&to=2", id);
	d = get_json(path);
	assert_int_equal(json_integer_value(json_object_get(d, "from")), 2);
	assert_int_equal(json_integer_value(json_object_get(d, "to")), 2);
	assert_true(json_is_array(json_object_get(d, "changes")));
	assert_int_equal(json_array_size(json_object_get(d, "changes")), 0);
	json_decref(d);

	/* 1 -> 2: a replace and a remove, nothing else. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/diff?from=1&to=2", id);
	d = get_json(path);
	assert_int_equal(json_integer_value(json_object_get(d, "from")), 1);
	assert_int_equal(json_integer_value(json_object_get(d, "to")), 2);
	changes = json_object_get(d, "changes");
	assert_int_equal(json_array_size(changes), 2);
	c = change_at(changes, "/content/press_release/headline");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "op")),
			    "replace");
	assert_string_equal(json_string_value(json_object_get(c, "from")),
			    "Diffing");
	assert_string_equal(json_string_value(json_object_get(c, "to")),
			    "A changed headline");
	c = change_at(changes, "/content/press_release/subheading");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "op")),
			    "remove");
	assert_string_equal(json_string_value(json_object_get(c, "from")),
			    "Households never run out of the basics again");
	assert_null(json_object_get(c, "to"));
	json_decref(d);

	/* 2 -> 3: an add. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/diff?from=2&to=3", id);
	d = get_json(path);
	changes = json_object_get(d, "changes");
	assert_int_equal(json_array_size(changes), 1);
	c = change_at(changes, "/content/press_release/subheading");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "op")), "add");
	assert_string_equal(json_string_value(json_object_get(c, "to")),
			    "Back again");
	assert_null(json_object_get(c, "from"));
	json_decref(d);

	/* Backwards works too: 2 -> 1 swaps from and to. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/diff?from=2&to=1", id);
	d = get_json(path);
	c = change_at(json_object_get(d, "changes"),
		      "/content/press_release/headline");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "from")),
			    "A changed headline");
	assert_string_equal(json_string_value(json_object_get(c, "to")),
			    "Diffing");
	c = change_at(json_object_get(d, "changes"),
		      "/content/press_release/subheading");
	assert_string_equal(json_string_value(json_object_get(c, "op")), "add");
	json_decref(d);

	/* Missing or invalid from/to: 400.  Unknown versions: 404. */
	{
		static const char *const bad[] = {
			"",
			"?from=1",
			"?to=2",
			"?from=&to=2",
			"?from=abc&to=2",
			"?from=0&to=2",
			"?from=1&to=-1",
			"?from=1.0&to=2",
			"?from=1&to=2x",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(path, sizeof(path), "/v1/prfaqs/%s/diff%s", id,
				 bad[i]);
			assert_int_equal(h_req(&srv, "GET", path, reader, NULL,
					       NULL, &r),
					 0);
			if (r.status != 400)
				print_error("%s\n", path);
			assert_problem(&r, 400);
			h_resp_free(&r);
		}
	}
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/diff?from=1&to=9", id);
	assert_int_equal(h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/diff?from=9&to=9", id);
	assert_int_equal(h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
}

/* --- restore and the audit trail ---------------------------------------- */

static void
test_restore(void **state)
{
	json_t *c1 = content_full("Original"), *v1, *doc;
	char id[40], path[160], numbers[64];
	struct h_resp r;

	create_prfaq_with(author, "Restorable", json_incref(c1), "grocery",
			  json_pack("[s]", "orig"), id);
	put(author, id, 1,
	    json_pack("{s:s, s:o, s:[s]}", "title", "Rewritten", "content",
		      content_with("Rewritten", "subheading", NULL), "tags",
		      "new"),
	    &r);
	assert_status(&r, 200);
	h_resp_free(&r);

	/* Without If-Match: 428; stale: 412; neither writes. */
	restore(author, id, 1, 0, &r);
	assert_problem(&r, 428);
	h_resp_free(&r);
	restore(author, id, 1, 1, &r);
	assert_problem(&r, 412);
	h_resp_free(&r);
	/* Not the owner: 403. */
	restore(author2, id, 1, 2, &r);
	assert_problem(&r, 403);
	h_resp_free(&r);
	/* No such version: 404. */
	restore(author, id, 9, 2, &r);
	assert_problem(&r, 404);
	h_resp_free(&r);
	/* An unknown member of the optional body: 400 at its pointer. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1/restore", id);
	assert_int_equal(h_req(&srv, "POST", path, author,
			       (const char *const[]){ "If-Match: \"2\"", NULL },
			       "{\"change_note\":\"back\",\"content\":{}}", &r),
			 0);
	assert_invalid_at(&r, "/content");
	h_resp_free(&r);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "2,1");

	restore(author, id, 1, 2, &r);
	assert_status(&r, 200);
	assert_etag(&r, 3);
	assert_int_equal(JI(&r, "version"), 3);
	assert_true(json_equal(J(&r, "content"), c1));
	assert_string_equal(JS(&r, "title"), "Restorable");
	assert_true(json_is(J(&r, "tags"), "[\"orig\"]"));
	h_resp_free(&r);

	/* The new version's content equals version 1's, and so does the document's. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1", id);
	v1 = get_json(path);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/3", id);
	doc = get_json(path);
	assert_true(json_equal(json_object_get(doc, "content"),
			       json_object_get(v1, "content")));
	assert_string_equal(json_string_value(json_object_get(doc, "title")),
			    json_string_value(json_object_get(v1, "title")));
	json_decref(doc);
	doc = get_doc(id);
	assert_true(json_equal(json_object_get(doc, "content"),
			       json_object_get(v1, "content")));
	json_decref(doc);
	json_decref(v1);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "3,2,1");
	/* Nothing changed between 1 and 3. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/diff?from=1&to=3", id);
	doc = get_json(path);
	assert_int_equal(json_array_size(json_object_get(doc, "changes")), 0);
	json_decref(doc);
	json_decref(c1);
}

static void
test_events_trail(void **state)
{
	static const char *const types[] = { "created", "revised", "restored" };
	json_t *list, *e;
	char id[40], path[160];
	struct h_resp r;
	size_t i;

	create_prfaq(author, "Audited", id);
	patch(author, id, 1, "{\"title\":\"Audited twice\"}", &r);
	assert_status(&r, 200);
	h_resp_free(&r);
	/* An admin restores: the trail says who. */
	restore(srv.admin_token, id, 1, 2, &r);
	assert_status(&r, 200);
	h_resp_free(&r);

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/events", id);
	list = get_json(path);
	assert_int_equal(json_array_size(json_object_get(list, "items")), 3);
	json_array_foreach(json_object_get(list, "items"), i, e) {
		json_t *actor = json_object_get(e, "actor");

		assert_true(json_object_get(e, "id") != NULL);
		assert_string_equal(
			json_string_value(json_object_get(e, "type")),
			types[i]);
		assert_true(h_is_rfc3339_utc(
			json_string_value(json_object_get(e, "at"))));
		assert_true(json_is_object(actor));
		assert_string_equal(
			json_string_value(json_object_get(actor, "id")),
			i == 2 ? srv.admin_id : author_id);
		assert_int_equal(
			json_integer_value(json_object_get(
				json_object_get(e, "data"), "version")),
			(int)i + 1);
	}
	json_decref(list);
	/* Failed edits leave no trace. */
	patch(author, id, 1, "{\"title\":\"stale\"}", &r);
	assert_problem(&r, 412);
	h_resp_free(&r);
	list = get_json(path);
	assert_int_equal(json_array_size(json_object_get(list, "items")), 3);
	json_decref(list);
}

/* --- lost updates ------------------------------------------------------- */

#define RACERS 20

struct racer {
	pthread_barrier_t *go;
	const char *id;
	int n;
	long status;
	int rc;
};

static void *
race_put(void *arg)
{
	struct racer *rc = arg;
	char path[128], body[512];
	const char *hdr[] = { "If-Match: \"1\"", NULL };
	struct h_resp r;

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", rc->id);
	snprintf(body, sizeof(body),
		 "{\"title\":\"Racer %d\",\"content\":{\"press_release\":"
		 "{\"headline\":\"Written by racer %d\"}}}",
		 rc->n, rc->n);
	pthread_barrier_wait(rc->go);
	rc->rc = h_req(&srv, "PUT", path, author, hdr, body, &r);
	rc->status = r.status;
	h_resp_free(&r);
	return NULL;
}

static void
test_concurrent_puts_lose_nothing(void **state)
{
	struct racer racers[RACERS];
	pthread_t th[RACERS];
	pthread_barrier_t go;
	int ok = 0, stale = 0, winner = -1;
	char id[40], numbers[64], want[64];
	json_t *doc;

	create_prfaq(author, "Contended", id);
	pthread_barrier_init(&go, NULL, RACERS);
	for (int i = 0; i < RACERS; i++) {
		racers[i] = (struct racer){ .go = &go, .id = id, .n = i };
		assert_int_equal(
			pthread_create(&th[i], NULL, race_put, &racers[i]), 0);
	}
	for (int i = 0; i < RACERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < RACERS; i++) {
		assert_int_equal(racers[i].rc, 0);
		if (racers[i].status == 200) {
			ok++;
			winner = i;
		} else if (racers[i].status == 412) {
			stale++;
		} else {
			print_error("racer %d got %ld\n", i, racers[i].status);
		}
	}
	assert_int_equal(ok, 1);
	assert_int_equal(stale, RACERS - 1);
	version_numbers(id, numbers, sizeof(numbers));
	assert_string_equal(numbers, "2,1");
	/* And the document is the winner's. */
	doc = get_doc(id);
	snprintf(want, sizeof(want), "Racer %d", winner);
	assert_string_equal(json_string_value(json_object_get(doc, "title")),
			    want);
	assert_int_equal(json_integer_value(json_object_get(doc, "version")),
			 2);
	json_decref(doc);
}

/* --- lists -------------------------------------------------------------- */

static void
assert_summary(const json_t *s)
{
	const json_t *owner = json_object_get(s, "owner");

	assert_true(h_is_uuid(json_string_value(json_object_get(s, "id"))));
	assert_true(json_is_string(json_object_get(s, "title")));
	assert_non_null(json_object_get(s, "team"));
	assert_true(json_is_array(json_object_get(s, "tags")));
	assert_true(json_is_string(json_object_get(s, "status")));
	assert_true(h_is_uuid(json_string_value(json_object_get(owner, "id"))));
	assert_true(json_is_string(json_object_get(owner, "name")));
	assert_true(json_is_integer(json_object_get(s, "version")));
	assert_true(json_is_integer(
		json_object_get(json_object_get(s, "quality"), "score")));
	assert_true(h_is_rfc3339_utc(
		json_string_value(json_object_get(s, "updated_at"))));
}

/*
 * Walk a list from path, page by page via the Link header; returns every
 * item's id in order (a new array), checking cursors and Link on the way.
 */
static json_t *
walk(const char *first, size_t page_size, int *pages)
{
	json_t *ids = json_array();
	char path[2048], next[2048];

	snprintf(path, sizeof(path), "%s", first);
	*pages = 0;
	for (;;) {
		struct h_resp r;
		json_t *item;
		size_t i;

		assert_int_equal(
			h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		(*pages)++;
		assert_true(*pages < 1000);
		assert_true(json_array_size(J(&r, "items")) <= page_size);
		json_array_foreach(J(&r, "items"), i, item) {
			assert_summary(item);
			json_array_append(ids, json_object_get(item, "id"));
		}
		assert_non_null(json_object_get(r.json, "next_cursor"));
		if (json_is_null(J(&r, "next_cursor"))) {
			assert_null(h_link_next(&r, next, sizeof(next)));
			h_resp_free(&r);
			return ids;
		}
		assert_int_equal(json_array_size(J(&r, "items")), page_size);
		assert_non_null(h_link_next(&r, next, sizeof(next)));
		assert_true(strncmp(next, "/v1/prfaqs?", 11) == 0);
		assert_non_null(strstr(next, JS(&r, "next_cursor")));
		snprintf(path, sizeof(path), "%s", next);
		h_resp_free(&r);
	}
}

static void
test_list_pagination(void **state)
{
	json_t *made = json_object(), *ids, *seen = json_object(), *id;
	char pid[40], first[40], title[64], prev[32] = "9999";
	int pages;
	size_t i;

	for (int k = 0; k < 45; k++) {
		snprintf(title, sizeof(title), "Paging document %02d", k);
		create_prfaq_with(k % 2 ? author : author2, title, NULL,
				  "paging", json_pack("[s]", "pg"), pid);
		json_object_set_new(made, pid, json_true());
		if (k == 0)
			snprintf(first, sizeof(first), "%s", pid);
	}
	/* The newest update first. */
	ids = walk("/v1/prfaqs?team=paging&limit=10", 10, &pages);
	assert_int_equal(pages, 5);
	assert_int_equal(json_array_size(ids), 45);
	json_array_foreach(ids, i, id) {
		/* No duplicates, no strangers, no gaps. */
		assert_null(json_object_get(seen, json_string_value(id)));
		assert_non_null(json_object_get(made, json_string_value(id)));
		json_object_set_new(seen, json_string_value(id), json_true());
	}
	assert_int_equal(json_object_size(seen), 45);
	json_decref(ids);

	/* Newest update first: the order of the whole walk. */
	{
		struct h_resp r;
		json_t *item;

		assert_int_equal(h_req(&srv, "GET",
				       "/v1/prfaqs?team=paging&limit=100",
				       reader, NULL, NULL, &r),
				 0);
		assert_status(&r, 200);
		assert_int_equal(json_array_size(J(&r, "items")), 45);
		json_array_foreach(J(&r, "items"), i, item) {
			const char *u = json_string_value(
				json_object_get(item, "updated_at"));

			assert_true(strcmp(u, prev) <= 0);
			snprintf(prev, sizeof(prev), "%s", u);
		}
		/* The newest is the one created last. */
		assert_string_equal(
			json_string_value(json_object_get(
				json_array_get(J(&r, "items"), 0), "title")),
			"Paging document 44");
		h_resp_free(&r);
	}
	/* An edit moves the oldest document (author2's) to the front. */
	{
		struct h_resp r;

		patch(author2, first, 1, "{\"title\":\"Paging edited\"}", &r);
		assert_status(&r, 200);
		h_resp_free(&r);
		assert_int_equal(h_req(&srv, "GET",
				       "/v1/prfaqs?team=paging&limit=1", reader,
				       NULL, NULL, &r),
				 0);
		assert_status(&r, 200);
		assert_string_equal(
			json_string_value(json_object_get(
				json_array_get(J(&r, "items"), 0), "id")),
			first);
		h_resp_free(&r);
	}
	/* A total equal to the page size ends without a next page. */
	ids = walk("/v1/prfaqs?team=paging&limit=45", 45, &pages);
	assert_int_equal(pages, 1);
	assert_int_equal(json_array_size(ids), 45);
	json_decref(ids);

	/* Bad limits and cursors. */
	{
		static const char *const bad[] = {
			"/v1/prfaqs?limit=0",
			"/v1/prfaqs?limit=101",
			"/v1/prfaqs?limit=abc",
			"/v1/prfaqs?limit=",
			"/v1/prfaqs?cursor=zzz",
			"/v1/prfaqs?cursor=bm9wZQ",
			"/v1/prfaqs?q=x&cursor=WyIxIiwiMiJd",
		};

		for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			struct h_resp r;

			assert_int_equal(h_req(&srv, "GET", bad[k], reader,
					       NULL, NULL, &r),
					 0);
			if (r.status != 400)
				print_error("%s\n", bad[k]);
			assert_problem(&r, 400);
			h_resp_free(&r);
		}
	}
	json_decref(seen);
	json_decref(made);
}

/* The ids of a list response's items, as an object (set). */
static json_t *
id_set(const char *path)
{
	json_t *list = get_json(path), *set = json_object(), *item;
	size_t i;

	assert_true(json_is_null(json_object_get(list, "next_cursor")));
	json_array_foreach(json_object_get(list, "items"), i, item)
		json_object_set_new(
			set, json_string_value(json_object_get(item, "id")),
			json_true());
	json_decref(list);
	return set;
}

static void
assert_ids(const char *path, const char *const *want, size_t n)
{
	json_t *set = id_set(path);

	if (json_object_size(set) != n) {
		print_error("%s: %zu items, want %zu\n", path,
			    json_object_size(set), n);
		fail();
	}
	for (size_t i = 0; i < n; i++)
		assert_non_null(json_object_get(set, want[i]));
	json_decref(set);
}

static void
test_list_filters(void **state)
{
	char f1[40], f2[40], f3[40], path[256];
	struct h_resp r;

	create_prfaq_with(author, "Filter one", NULL, "filt-alpha",
			  json_pack("[s,s]", "filt-prime", "filt-mobile"), f1);
	create_prfaq_with(author2, "Filter two", NULL, "filt-alpha",
			  json_pack("[s]", "filt-prime"), f2);
	create_prfaq_with(author2, "Filter three", NULL, "filt-beta", NULL, f3);

	assert_ids("/v1/prfaqs?team=filt-alpha",
		   (const char *const[]){ f1, f2 }, 2);
	assert_ids("/v1/prfaqs?team=filt-beta", (const char *const[]){ f3 }, 1);
	assert_ids("/v1/prfaqs?team=filt-gamma", NULL, 0);
	assert_ids("/v1/prfaqs?tag=filt-mobile", (const char *const[]){ f1 },
		   1);
	assert_ids("/v1/prfaqs?tag=filt-prime", (const char *const[]){ f1, f2 },
		   2);
	snprintf(path, sizeof(path), "/v1/prfaqs?owner=%s&team=filt-alpha",
		 author2_id);
	assert_ids(path, (const char *const[]){ f2 }, 1);
	snprintf(path, sizeof(path), "/v1/prfaqs?owner=%s&tag=filt-prime",
		 author_id);
	assert_ids(path, (const char *const[]){ f1 }, 1);
	/* Everything owner= returns is that owner's. */
	{
		json_t *list, *item;
		size_t i;

		snprintf(path, sizeof(path), "/v1/prfaqs?owner=%s&limit=100",
			 author2_id);
		list = get_json(path);
		assert_true(json_array_size(json_object_get(list, "items")) >=
			    2);
		json_array_foreach(json_object_get(list, "items"), i, item)
			assert_string_equal(
				json_string_value(json_object_get(
					json_object_get(item, "owner"), "id")),
				author2_id);
		json_decref(list);
	}
	snprintf(path, sizeof(path), "/v1/prfaqs?owner=%s", reader_id);
	assert_ids(path, NULL, 0);

	/* Status (set directly: the workflow is another file's business). */
	assert_ids("/v1/prfaqs?status=draft&team=filt-alpha",
		   (const char *const[]){ f1, f2 }, 2);
	set_status(f1, "in_review");
	assert_ids("/v1/prfaqs?status=in_review&team=filt-alpha",
		   (const char *const[]){ f1 }, 1);
	assert_ids("/v1/prfaqs?status=draft&team=filt-alpha",
		   (const char *const[]){ f2 }, 1);
	assert_ids("/v1/prfaqs?status=approved&team=filt-alpha", NULL, 0);
	{
		json_t *doc = get_doc(f1);

		assert_string_equal(
			json_string_value(json_object_get(doc, "status")),
			"in_review");
		json_decref(doc);
	}

	/* Invalid filters: 400. */
	{
		static const char *const bad[] = {
			"/v1/prfaqs?status=bogus",
			"/v1/prfaqs?status=DRAFT",
			"/v1/prfaqs?status=",
			"/v1/prfaqs?owner=bob",
			"/v1/prfaqs?owner=00000000-0000-4000-8000-00000000000z",
			"/v1/prfaqs?q=",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(h_req(&srv, "GET", bad[i], reader,
					       NULL, NULL, &r),
					 0);
			if (r.status != 400)
				print_error("%s\n", bad[i]);
			assert_problem(&r, 400);
			h_resp_free(&r);
		}
	}
}

static void
test_search_ranks_best_match_first(void **state)
{
	json_t *in_title = content_full("Refunds land in seconds, not days");
	json_t *deep = content_full("Pantry Autopilot for busy homes");
	json_t *body = content_full("Returns desk, rebuilt");
	json_t *none = content_full("Weekly meal plans");
	json_t *ext, *ids, *id;
	char a[40], b[40], c[40], d[40];
	int pages;
	size_t i;

	/* deep: one mention, far down in an FAQ answer. */
	ext = json_object_get(json_object_get(deep, "faq"), "external");
	json_array_append_new(
		ext,
		json_pack(
			"{s:s, s:s}", "question",
			"What if a box arrives damaged?", "answer",
			"Tell us in the app and we send a refund the same day."));
	/* body: several mentions in the press release, none in the title. */
	json_object_set_new(
		json_object_get(body, "press_release"), "summary",
		json_string("The returns desk now issues a refund at the door; "
			    "refunds reach the card the same day."));
	json_object_set_new(json_object_get(body, "press_release"), "problem",
			    json_string("Customers wait a week for a refund."));
	create_prfaq_with(author, "Instant refunds for Prime members", in_title,
			  NULL, NULL, a);
	create_prfaq_with(author, "Pantry Autopilot", deep, NULL, NULL, b);
	create_prfaq_with(author2, "Returns at the door", body, NULL, NULL, c);
	create_prfaq_with(author2, "Meal plans", none, NULL, NULL, d);

	{
		json_t *list = get_json("/v1/prfaqs?q=refund"), *items;

		items = json_object_get(list, "items");
		assert_int_equal(json_array_size(items), 3);
		/* The title match first; the single deep mention last. */
		assert_string_equal(json_string_value(json_object_get(
					    json_array_get(items, 0), "id")),
				    a);
		assert_string_equal(json_string_value(json_object_get(
					    json_array_get(items, 1), "id")),
				    c);
		assert_string_equal(json_string_value(json_object_get(
					    json_array_get(items, 2), "id")),
				    b);
		json_array_foreach(items, i, id)
			assert_string_not_equal(
				json_string_value(json_object_get(id, "id")),
				d);
		json_decref(list);
	}
	/* The same order one at a time, through the cursor. */
	ids = walk("/v1/prfaqs?q=refund&limit=1", 1, &pages);
	assert_int_equal(json_array_size(ids), 3);
	assert_string_equal(json_string_value(json_array_get(ids, 0)), a);
	assert_string_equal(json_string_value(json_array_get(ids, 1)), c);
	assert_string_equal(json_string_value(json_array_get(ids, 2)), b);
	json_decref(ids);
	/* Search combines with filters. */
	{
		char path[160];

		snprintf(path, sizeof(path), "/v1/prfaqs?q=refund&owner=%s",
			 author2_id);
		assert_ids(path, (const char *const[]){ c }, 1);
	}
	/* Nothing matches: an empty list, not an error. */
	assert_ids("/v1/prfaqs?q=xylophone", NULL, 0);
	/* Punctuation in q is text, not syntax. */
	assert_ids("/v1/prfaqs?q=refund%27%29%3B%20DROP%20TABLE%20prfaqs%3B--",
		   NULL, 0);
	assert_true(h_sql_count(&srv, "SELECT count(*) FROM prfaqs") > 0);
}

/*
 * A word in more PR/FAQs than the search ranks (1,000, see migrations/0005):
 * the 1,000 most recently updated of them come back, each once, through
 * every page; older ones do not.  The rows are made by SQL (no versions, no
 * events) and removed at the end, so the other tests never see them.
 */
static void
test_search_ranks_the_most_recent_thousand(void **state)
{
	char a[40], sql[1024], *v;
	json_t *ids, *id;
	int pages;
	size_t i;

	(void)state;
	create_prfaq(author, "Zebra crossings for school runs", a);
	snprintf(
		sql, sizeof(sql),
		"INSERT INTO prfaqs (owner_id, title, tags, content, quality, version,"
		"                    updated_at)"
		" SELECT owner_id, 'Zebra crossing ' || g, tags, content, quality, 1,"
		"        now() - g * interval '1 minute'"
		"   FROM prfaqs, generate_series(1, 1100) g WHERE id = '%s'"
		" RETURNING 1",
		a);
	free(h_sql(srv.dbname, sql));
	assert_int_equal(
		h_sql_count(
			&srv,
			"SELECT count(*) FROM prfaqs WHERE title LIKE 'Zebra%'"),
		1101);

	ids = walk("/v1/prfaqs?q=zebra&limit=100", 100, &pages);
	assert_int_equal(json_array_size(ids), 1000);
	assert_int_equal(pages, 10);
	{
		/* Each once, and exactly the newest 1,000 (a and g = 1..999). */
		json_t *seen = json_object();

		json_array_foreach(ids, i, id)
			assert_int_equal(json_object_set(seen,
							 json_string_value(id),
							 json_true()),
					 0);
		assert_int_equal(json_object_size(seen), 1000);
		assert_non_null(json_object_get(seen, a));
		v = h_sql(srv.dbname,
			  "SELECT string_agg(id::text, ',') FROM prfaqs"
			  " WHERE title ~ '^Zebra crossing [0-9]+$'"
			  "   AND substring(title from 16)::int >= 1000");
		assert_non_null(v);
		for (char *tok = strtok(v, ","); tok != NULL;
		     tok = strtok(NULL, ","))
			assert_null(json_object_get(seen, tok));
		free(v);
		json_decref(seen);
	}
	json_decref(ids);
	free(h_sql(
		srv.dbname,
		"DELETE FROM prfaqs WHERE title ~ '^Zebra crossing [0-9]+$' RETURNING 1"));
	assert_int_equal(
		h_sql_count(
			&srv,
			"SELECT count(*) FROM prfaqs WHERE title LIKE 'Zebra%'"),
		1);
}

/* --- text fidelity ------------------------------------------------------ */

static void
test_unicode_survives_byte_for_byte(void **state)
{
	static const char title[] = "Café Müller 🚀";
	static const char team[] = "Équipe Zürich";
	static const char headline[] = "مرحبا بالعالم — launch day";
	/* "é" decomposed (e + U+0301) and precomposed: not normalised either way. */
	static const char subheading[] =
		"Cafe\xcc\x81 and Caf\xc3\xa9, n\xcc\x83o";
	static const char summary[] =
		"👩‍👩‍👧 families, 日本語, Ελληνικά, עברית, "
		"tabs\tand\nnew lines, \"quotes\" and \\ backslash";
	json_t *content = json_pack("{s:{s:s, s:s, s:s}}", "press_release",
				    "headline", headline, "subheading",
				    subheading, "summary", summary);
	json_t *body = json_pack("{s:s, s:s, s:[s,s], s:O}", "title", title,
				 "team", team, "tags", "naïve", "🚀", "content",
				 content);
	char *text = json_dumps(body, JSON_COMPACT);
	char *ascii = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	const char *md[] = { "Accept: text/markdown", NULL };
	char id[40], path[160];
	struct h_resp r;

	for (int pass = 0; pass < 2; pass++) {
		json_t *pr;

		/* Raw UTF-8 once, \u escapes (with surrogate pairs) once. */
		assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", author, NULL,
				       pass ? ascii : text, &r),
				 0);
		assert_status(&r, 201);
		snprintf(id, sizeof(id), "%s", JS(&r, "id"));
		h_resp_free(&r);

		snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
		assert_int_equal(
			h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		assert_string_equal(JS(&r, "title"), title);
		assert_string_equal(JS(&r, "team"), team);
		assert_string_equal(
			json_string_value(json_array_get(J(&r, "tags"), 0)),
			"naïve");
		assert_string_equal(
			json_string_value(json_array_get(J(&r, "tags"), 1)),
			"🚀");
		pr = json_object_get(J(&r, "content"), "press_release");
		assert_string_equal(
			json_string_value(json_object_get(pr, "headline")),
			headline);
		assert_string_equal(
			json_string_value(json_object_get(pr, "subheading")),
			subheading);
		assert_string_equal(
			json_string_value(json_object_get(pr, "summary")),
			summary);
		assert_true(json_equal(J(&r, "content"), content));
		/* The body itself is UTF-8, so the raw bytes are in it. */
		assert_non_null(strstr(r.body, "🚀"));
		h_resp_free(&r);

		/* The version, the list and the Markdown keep it too. */
		snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1", id);
		assert_int_equal(
			h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		assert_string_equal(JS(&r, "title"), title);
		assert_true(json_equal(J(&r, "content"), content));
		h_resp_free(&r);
		snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
		assert_int_equal(h_req(&srv, "GET", path, reader, md, NULL, &r),
				 0);
		assert_status(&r, 200);
		assert_non_null(strstr(r.body, headline));
		assert_non_null(strstr(r.body, subheading));
		h_resp_free(&r);
	}
	{
		json_t *list =
			get_json("/v1/prfaqs?team=%C3%89quipe%20Z%C3%BCrich");

		assert_int_equal(
			json_array_size(json_object_get(list, "items")), 2);
		assert_string_equal(
			json_string_value(json_object_get(
				json_array_get(json_object_get(list, "items"),
					       0),
				"title")),
			title);
		json_decref(list);
	}
	free(text);
	free(ascii);
	json_decref(body);
	json_decref(content);
}

/* --- lint --------------------------------------------------------------- */

static void
assert_report(const json_t *rep)
{
	static const char *const stats[] = {
		"press_release_words",
		"faq_words",
		"external_questions",
		"internal_questions",
	};
	const json_t *f;
	size_t i;

	assert_true(json_is_integer(json_object_get(rep, "score")));
	assert_in_range(json_integer_value(json_object_get(rep, "score")), 0,
			100);
	assert_true(json_is_array(json_object_get(rep, "findings")));
	json_array_foreach(json_object_get(rep, "findings"), i, f) {
		const char *sev =
			json_string_value(json_object_get(f, "severity"));

		assert_true(json_is_string(json_object_get(f, "rule")));
		assert_true(json_is_string(json_object_get(f, "pointer")));
		assert_true(json_is_string(json_object_get(f, "message")));
		assert_non_null(sev);
		assert_true(strcmp(sev, "error") == 0 ||
			    strcmp(sev, "warning") == 0 ||
			    strcmp(sev, "info") == 0);
	}
	for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		assert_true(json_is_integer(json_object_get(
			json_object_get(rep, "stats"), stats[i])));
}

static long
stored_rows(void)
{
	return h_sql_count(
		&srv,
		"SELECT (SELECT count(*) FROM prfaqs) + (SELECT count(*) FROM"
		" prfaq_versions) + (SELECT count(*) FROM events)");
}

static bool
has_error_finding(const json_t *rep)
{
	const json_t *f;
	size_t i;

	json_array_foreach(json_object_get(rep, "findings"), i, f)
		if (strcmp(json_string_value(json_object_get(f, "severity")),
			   "error") == 0)
			return true;
	return false;
}

static void
test_lint_reports_and_stores_nothing(void **state)
{
	long before = stored_rows();
	json_t *stats, *full, *list_before, *list_after;
	struct h_resp r;

	list_before = get_json("/v1/prfaqs?limit=100");
	full = content_full("Pantry Autopilot restocks your shelves");
	json_array_append_new(
		json_object_get(json_object_get(full, "faq"), "external"),
		json_pack("{s:s, s:s}", "question", "Can I pause it?", "answer",
			  "Yes, any week, in one tap."));
	h_req_json(&srv, "POST", "/v1/lint", reader, NULL,
		   json_pack("{s:O}", "content", full), &r);
	assert_status(&r, 200);
	assert_content_type(&r, "application/json");
	assert_report(r.json);
	stats = J(&r, "stats");
	assert_int_equal(json_integer_value(
				 json_object_get(stats, "external_questions")),
			 2);
	assert_int_equal(json_integer_value(
				 json_object_get(stats, "internal_questions")),
			 1);
	assert_true(json_integer_value(json_object_get(
			    stats, "press_release_words")) > 30);
	assert_true(json_integer_value(json_object_get(stats, "faq_words")) >
		    10);
	assert_false(has_error_finding(r.json));
	h_resp_free(&r);

	/* The same content stored gets the same report as its quality. */
	{
		char id[40];
		json_t *doc, *lint;

		h_req_json(&srv, "POST", "/v1/lint", author, NULL,
			   json_pack("{s:O}", "content", full), &r);
		assert_status(&r, 200);
		lint = json_incref(r.json);
		h_resp_free(&r);
		create_prfaq_with(author, "Linted", json_incref(full), NULL,
				  NULL, id);
		doc = get_doc(id);
		assert_int_equal(
			json_integer_value(json_object_get(
				json_object_get(doc, "quality"), "score")),
			json_integer_value(json_object_get(lint, "score")));
		assert_true(json_equal(
			json_object_get(json_object_get(doc, "quality"),
					"findings"),
			json_object_get(lint, "findings")));
		json_decref(doc);
		json_decref(lint);
		before = stored_rows();
		json_decref(list_before);
		list_before = get_json("/v1/prfaqs?limit=100");
	}

	/* An empty draft: errors (no headline, no FAQ...), still stored nowhere. */
	h_req_json(&srv, "POST", "/v1/lint", author, NULL,
		   json_pack("{s:{}}", "content"), &r);
	assert_status(&r, 200);
	assert_report(r.json);
	assert_true(has_error_finding(r.json));
	assert_int_equal(json_integer_value(json_object_get(
				 J(&r, "stats"), "external_questions")),
			 0);
	h_resp_free(&r);

	/* Invalid content: 400 at the place. */
	h_req_json(&srv, "POST", "/v1/lint", author, NULL,
		   json_pack("{s:{s:{s:i}}}", "content", "press_release",
			     "headline", 1),
		   &r);
	assert_invalid_at(&r, "/content/press_release/headline");
	h_resp_free(&r);
	h_req_json(&srv, "POST", "/v1/lint", author, NULL,
		   json_pack("{s:{s:[{s:s}]}}", "content", "visuals", "url",
			     "javascript:x"),
		   &r);
	assert_invalid_at(&r, "/content/visuals/0/url");
	h_resp_free(&r);
	h_req_json(&srv, "POST", "/v1/lint", author, NULL,
		   json_pack("{s:{s:s}}", "content", "nope", "x"), &r);
	assert_invalid_at(&r, "/content/nope");
	h_resp_free(&r);
	h_req_json(&srv, "POST", "/v1/lint", author, NULL,
		   json_pack("{s:s}", "title", "no content"), &r);
	assert_invalid_at(&r, "/content");
	assert_invalid_at(&r, "/title");
	h_resp_free(&r);
	/* A member name that needs escaping in a JSON Pointer (RFC 6901). */
	h_req_json(&srv, "POST", "/v1/lint", author, NULL,
		   json_pack("{s:{}, s:i}", "content", "a/b~c", 1), &r);
	assert_invalid_at(&r, "/a~1b~0c");
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "POST", "/v1/lint", author,
		      (const char *const[]){ "Content-Type: text/plain", NULL },
		      "{\"content\":{}}", &r),
		0);
	assert_problem(&r, 415);
	h_resp_free(&r);

	/* Nothing was stored by any of it. */
	assert_int_equal(stored_rows(), before);
	list_after = get_json("/v1/prfaqs?limit=100");
	assert_true(json_equal(list_before, list_after));
	json_decref(list_before);
	json_decref(list_after);
	json_decref(full);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_returns_the_document),
		cmocka_unit_test(test_create_keeps_partial_content_as_sent),
		cmocka_unit_test(test_create_needs_the_author_role),
		cmocka_unit_test(test_create_validation_pointers),
		cmocka_unit_test(test_create_wrong_media_type_is_415),
		cmocka_unit_test(test_get_with_etag_and_304),
		cmocka_unit_test(test_get_unknown_or_malformed_id_is_404),
		cmocka_unit_test(test_get_as_markdown),
		cmocka_unit_test(test_get_as_html_escapes_user_text),
		cmocka_unit_test(test_get_negotiation),
		cmocka_unit_test(test_put_preconditions),
		cmocka_unit_test(test_put_only_owner_or_admin),
		cmocka_unit_test(test_edit_depends_on_status),
		cmocka_unit_test(test_patch_needs_merge_patch_media_type),
		cmocka_unit_test(test_patch_merges),
		cmocka_unit_test(test_patch_to_an_invalid_document_is_400),
		cmocka_unit_test(test_versions_list_and_one_version),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_restore),
		cmocka_unit_test(test_events_trail),
		cmocka_unit_test(test_concurrent_puts_lose_nothing),
		cmocka_unit_test(test_list_pagination),
		cmocka_unit_test(test_list_filters),
		cmocka_unit_test(test_search_ranks_best_match_first),
		cmocka_unit_test(test_search_ranks_the_most_recent_thousand),
		cmocka_unit_test(test_unicode_survives_byte_for_byte),
		cmocka_unit_test(test_lint_reports_and_stores_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
