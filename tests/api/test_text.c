/*
 * test_text.c - the one text check on every string a client sends (API.md,
 * Conventions: Text): control characters are refused everywhere (long text
 * keeps tab and newline), names, titles and tags also refuse bidirectional
 * overrides and isolates, each as a 400 at the member's pointer, and
 * nothing is stored.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static char *author, *reviewer, *approver;
static char *strong; /* tests/fixtures/strong.json: no quality errors */

static int
setup(void **state)
{
	if (h_start(&srv, NULL) != 0)
		return -1;
	author = h_user(&srv, "Ana", "\"author\"", NULL);
	reviewer = h_user(&srv, "Rui", "\"reviewer\"", NULL);
	approver = h_user(&srv, "Pat", "\"approver\"", NULL);
	strong = h_read_file(PRFAQ_FIXTURES "/strong.json");
	return author && reviewer && approver && strong ? 0 : -1;
}

static int
teardown(void **state)
{
	h_stop(&srv);
	free(author);
	free(reviewer);
	free(approver);
	free(strong);
	return 0;
}

/*
 * method path with body (taken) as token must be a 400 whose errors hold
 * pointer with a message containing want.
 */
static void
refused_at(const char *method, const char *path, const char *token,
	   const char *const *headers, json_t *body, const char *pointer,
	   const char *want)
{
	struct h_resp r;
	size_t i;
	json_t *e;

	h_req_json(&srv, method, path, token, headers, body, &r);
	assert_problem(&r, 400);
	json_array_foreach(J(&r, "errors"), i, e) {
		const char *p =
			json_string_value(json_object_get(e, "pointer"));
		const char *m =
			json_string_value(json_object_get(e, "message"));

		if (p != NULL && strcmp(p, pointer) == 0 && m != NULL &&
		    strstr(m, want) != NULL) {
			h_resp_free(&r);
			return;
		}
	}
	print_error("no error \"%s\" at %s in %s\n", want, pointer, r.body);
	h_resp_free(&r);
	fail();
}

/* A new submitted PR/FAQ of the author's; its path into path. */
static void
submitted_doc(char *path, size_t cap)
{
	struct h_resp r;
	char sub[200];

	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
		       "{\"title\":\"Refunds\",\"team\":\"pay\",\"content\":%s}",
		       strong),
		0);
	assert_status(&r, 201);
	snprintf(path, cap, "/v1/prfaqs/%s", JS(&r, "id"));
	h_resp_free(&r);
	snprintf(sub, sizeof(sub), "%s/submit", path);
	h_req_json(&srv, "POST", sub, author, NULL, json_object(), &r);
	assert_status(&r, 200);
	h_resp_free(&r);
}

/* Control characters (NUL never gets past the JSON decoder). */
static const char *const controls[] = {
	"Mallory\x1b[2J\b", "a\x7f",	"vt\x0b",
	"c1 \xc2\x85",	    "bell\x07", "\xc2\x9b[31m",
};

static void
test_document_fields(void **state)
{
	const char *if_match[] = { "If-Match: \"1\"", NULL };
	const char *merge[] = { "If-Match: \"1\"",
				"Content-Type: application/merge-patch+json",
				NULL };
	struct h_resp r;
	char path[128];
	json_t *content = json_loads(strong, 0, NULL);

	assert_non_null(content);
	/* names: a bidi override or isolate, and a control character */
	refused_at("POST", "/v1/prfaqs", author, NULL,
		   json_pack("{s:s, s:O}", "title", "evil\xe2\x80\xaegnp.exe",
			     "content", content),
		   "/title", "U+202E");
	refused_at("POST", "/v1/prfaqs", author, NULL,
		   json_pack("{s:s, s:O}", "title", "Mallory\x1b[2J\b",
			     "content", content),
		   "/title", "U+001B");
	refused_at("POST", "/v1/prfaqs", author, NULL,
		   json_pack("{s:s, s:s, s:O}", "title", "t", "team",
			     "pay\xe2\x81\xa6"
			     "ments",
			     "content", content),
		   "/team", "U+2066");
	refused_at("POST", "/v1/prfaqs", author, NULL,
		   json_pack("{s:s, s:[s, s], s:O}", "title", "t", "tags", "ok",
			     "x\xe2\x81\xa9", "content", content),
		   "/tags/1", "U+2069");
	/* long text keeps bidi characters (quoting Arabic or Hebrew) */
	{
		json_t *c = json_deep_copy(content);

		json_object_set_new(json_object_get(c, "press_release"),
				    "summary",
				    json_string("a\xe2\x80\xaeshalom\n\tb"));
		h_req_json(&srv, "POST", "/v1/prfaqs", author, NULL,
			   json_pack("{s:s, s:o}", "title", "t", "content", c),
			   &r);
		assert_status(&r, 201);
		snprintf(path, sizeof(path), "/v1/prfaqs/%s", JS(&r, "id"));
		h_resp_free(&r);
	}
	refused_at("PUT", path, author, if_match,
		   json_pack("{s:s, s:O, s:s}", "title", "t", "content",
			     content, "change_note", "done\x1b[31m"),
		   "/change_note", "U+001B");
	refused_at("PATCH", path, author, merge,
		   json_pack("{s:s}", "change_note",
			     "\xc2\x9b"
			     "2J"),
		   "/change_note", "U+009B");
	refused_at("PATCH", path, author, merge,
		   json_pack("{s:s}", "title", "b\xe2\x80\xaa"), "/title",
		   "U+202A");
	/* nothing of that was stored */
	assert_int_equal(
		h_sql_count(&srv, "SELECT count(*) FROM prfaq_versions"), 1);
	json_decref(content);
}

static void
test_review_fields(void **state)
{
	char path[128], p[200], cid[40];
	struct h_resp r;

	submitted_doc(path, sizeof(path));
	snprintf(p, sizeof(p), "%s/reviews", path);
	for (size_t i = 0; i < sizeof(controls) / sizeof(*controls); i++) {
		json_t *v = json_string(controls[i]);

		assert_non_null(v);
		refused_at("POST", p, reviewer, NULL,
			   json_pack("{s:s, s:O}", "verdict", "comment",
				     "summary", v),
			   "/summary", "control characters");
		refused_at("POST", p, reviewer, NULL,
			   json_pack("{s:s, s:s, s:[{s:s, s:O}]}", "verdict",
				     "comment", "summary", "ok", "comments",
				     "anchor", "/press_release/headline",
				     "body", v),
			   "/comments/0/body", "control characters");
		refused_at("POST", p, reviewer, NULL,
			   json_pack("{s:s, s:s, s:[{s:s, s:s, s:O}]}",
				     "verdict", "comment", "summary", "ok",
				     "comments", "anchor",
				     "/press_release/headline", "body", "b",
				     "quote", v),
			   "/comments/0/quote", "control characters");
		json_decref(v);
	}
	/* tab and newline are long text's own */
	h_req_json(&srv, "POST", p, reviewer, NULL,
		   json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "verdict", "comment",
			     "summary", "one\n\ttwo", "comments", "anchor",
			     "/press_release/headline", "body", "a\nb"),
		   &r);
	assert_status(&r, 201);
	strcpy(cid, json_string_value(json_object_get(
			    json_array_get(J(&r, "comments"), 0), "id")));
	h_resp_free(&r);

	snprintf(p, sizeof(p), "%s/comments/%s/replies", path, cid);
	refused_at("POST", p, author, NULL,
		   json_pack("{s:s}", "body", "Mallory\x1b[2J\b"), "/body",
		   "U+001B");
	snprintf(p, sizeof(p), "%s/decision", path);
	refused_at("POST", p, approver, NULL,
		   json_pack("{s:s, s:s}", "outcome", "rejected", "rationale",
			     "no\x7f"),
		   "/rationale", "U+007F");
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM reviews"), 1);
}

static void
test_user_and_webhook_fields(void **state)
{
	refused_at("POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[s]}", "name", "Mallory\x1b[2J\b",
			     "email", "m@example.com", "roles", "author"),
		   "/name", "U+001B");
	refused_at("POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[s]}", "name",
			     "Eve\xe2\x80\xaeniamda", "email", "e@example.com",
			     "roles", "author"),
		   "/name", "U+202E");
	refused_at("POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[s]}", "name", "Eve", "email",
			     "e\xc2\x85@example.com", "roles", "author"),
		   "/email", "U+0085");
	refused_at("POST", "/v1/webhooks", srv.admin_token, NULL,
		   json_pack("{s:s, s:s}", "url", "https://127.0.0.1/hook",
			     "description", "line one\nline two"),
		   "/description", "U+000A");
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM users"
					   " WHERE name LIKE 'Mallory%'"
					   " OR email LIKE 'e%'"),
			 0);
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM webhooks"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document_fields),
		cmocka_unit_test(test_review_fields),
		cmocka_unit_test(test_user_and_webhook_fields),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
