/*
 * test_surprises.c - the "smaller surprises" of a team's first day (issue
 * 15), each as the contract now says (API.md): an unknown query parameter
 * is a 400 naming it on every route, an unquoted If-Match is a 400 saying
 * how to quote it, a document fetched with GET can be PUT back, resolving a
 * resolved comment is a no-op, and a 409 names the next step.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static char *author, *reviewer;
static char *strong; /* tests/fixtures/strong.json: no quality errors */

static int
setup(void **state)
{
	if (h_start(&srv, NULL) != 0)
		return -1;
	author = h_user(&srv, "Ana", "\"author\"", NULL);
	reviewer = h_user(&srv, "Rui", "\"reviewer\"", NULL);
	strong = h_read_file(PRFAQ_FIXTURES "/strong.json");
	return author && reviewer && strong ? 0 : -1;
}

static int
teardown(void **state)
{
	h_stop(&srv);
	free(author);
	free(reviewer);
	free(strong);
	return 0;
}

/* A new draft of the author's with the strong content; its path. */
static void
new_doc(char *path, size_t cap)
{
	struct h_resp r;

	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
		       "{\"title\":\"Refunds\",\"team\":\"pay\",\"tags\":[\"a\"],"
		       "\"content\":%s}",
		       strong),
		0);
	assert_status(&r, 201);
	snprintf(path, cap, "/v1/prfaqs/%s", JS(&r, "id"));
	h_resp_free(&r);
}

/* method path (no body) as token is a 400 naming parameter. */
static void
unknown_parameter(const char *method, const char *path, const char *token,
		  const char *parameter)
{
	struct h_resp r;
	json_t *e;

	assert_int_equal(h_req(&srv, method, path, token, NULL, NULL, &r), 0);
	assert_problem(&r, 400);
	e = json_array_get(J(&r, "errors"), 0);
	if (e == NULL ||
	    strcmp(json_string_value(json_object_get(e, "parameter")),
		   parameter) != 0) {
		print_error("%s %s: want parameter %s in %s\n", method, path,
			    parameter, r.body);
		fail();
	}
	assert_non_null(json_string_value(json_object_get(e, "message")));
	h_resp_free(&r);
}

static void
test_unknown_query_parameter(void **state)
{
	char doc[128], p[256];
	struct h_resp r;

	new_doc(doc, sizeof(doc));
	/* the typo of the first day: ?tags= for ?tag= */
	unknown_parameter("GET", "/v1/prfaqs?tags=nothing-has-this", author,
			  "tags");
	/* the right name still filters */
	assert_int_equal(h_req(&srv, "GET", "/v1/prfaqs?tag=nothing-has-this",
			       author, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 0);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/prfaqs?tag=a&status=draft&limit=5&q=refund",
			       author, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);

	/* every route: lists, documents, writes, public ones */
	unknown_parameter("GET", "/healthz?verbose=1", NULL, "verbose");
	unknown_parameter("GET", "/v1/users?role=admin", srv.admin_token,
			  "role");
	snprintf(p, sizeof(p), "%s?format=html", doc);
	unknown_parameter("GET", p, author, "format");
	snprintf(p, sizeof(p), "%s/comments?status=open", doc);
	unknown_parameter("GET", p, author, "status");
	snprintf(p, sizeof(p), "%s/diff?from=1&to=1&context", doc);
	unknown_parameter("GET", p, author, "context");
	snprintf(p, sizeof(p), "%s/archive?force=true", doc);
	unknown_parameter("POST", p, author, "force");
	/* nothing was archived */
	assert_int_equal(h_req(&srv, "GET", doc, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "status"), "draft");
	h_resp_free(&r);
	/*
	 * A name that is not UTF-8 never reaches the parameter check: the
	 * request's bytes are refused first (400, nothing echoed).
	 */
	assert_int_equal(h_req(&srv, "GET", "/v1/prfaqs?t%FFg=x", author, NULL,
			       NULL, &r),
			 0);
	assert_problem(&r, 400);
	assert_null(strstr(r.body, "t\xEF\xBF\xBDg"));
	h_resp_free(&r);
}

static void
test_unquoted_if_match(void **state)
{
	const char *bare[] = { "If-Match: 1", NULL };
	const char *empty[] = { "If-Match: \"1", NULL };
	const char *merge[] = { "If-Match: 1",
				"Content-Type: application/merge-patch+json",
				NULL };
	char doc[128], p[200];
	struct h_resp r;

	new_doc(doc, sizeof(doc));
	h_req_json(&srv, "PATCH", doc, author, merge,
		   json_pack("{s:s}", "title", "New"), &r);
	assert_problem(&r, 400);
	assert_non_null(strstr(JS(&r, "detail"), "If-Match: \"3\""));
	h_resp_free(&r);
	h_req_json(&srv, "PUT", doc, author, empty,
		   json_pack("{s:s, s:o}", "title", "New", "content",
			     json_loads(strong, 0, NULL)),
		   &r);
	assert_problem(&r, 400);
	h_resp_free(&r);
	snprintf(p, sizeof(p), "%s/versions/1/restore", doc);
	assert_int_equal(h_req(&srv, "POST", p, author, bare, NULL, &r), 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	/* nothing was written; a stale but quoted tag is still 412 */
	assert_int_equal(h_req(&srv, "GET", doc, author, NULL, NULL, &r), 0);
	assert_int_equal(JI(&r, "version"), 1);
	h_resp_free(&r);
	{
		const char *stale[] = {
			"If-Match: \"7\"",
			"Content-Type: application/merge-patch+json", NULL
		};

		h_req_json(&srv, "PATCH", doc, author, stale,
			   json_pack("{s:s}", "title", "New"), &r);
		assert_problem(&r, 412);
		h_resp_free(&r);
	}
}

static void
test_put_back_what_get_gave(void **state)
{
	const char *if_match[] = { "If-Match: \"1\"", NULL };
	char doc[128];
	struct h_resp r;
	json_t *got;

	new_doc(doc, sizeof(doc));
	assert_int_equal(h_req(&srv, "GET", doc, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	got = json_incref(r.json);
	h_resp_free(&r);
	assert_non_null(json_object_get(got, "quality"));
	json_object_set_new(got, "title", json_string("Refunds, edited"));

	/* an unknown member is still refused */
	json_object_set_new(got, "titel", json_string("typo"));
	h_req_json(&srv, "PUT", doc, author, if_match, json_incref(got), &r);
	assert_problem(&r, 400);
	assert_non_null(strstr(r.body, "/titel"));
	assert_null(strstr(r.body, "\"/quality\""));
	h_resp_free(&r);
	json_object_del(got, "titel");

	/* the rest, read-only members and all, is a valid PUT */
	h_req_json(&srv, "PUT", doc, author, if_match, got, &r);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "title"), "Refunds, edited");
	assert_int_equal(JI(&r, "version"), 2);
	assert_string_equal(JS(&r, "status"), "draft");
	h_resp_free(&r);
}

/* POST path (no body) as token; asserts 200. */
static void
post_ok(const char *path, const char *token, struct h_resp *r)
{
	assert_int_equal(h_req(&srv, "POST", path, token, NULL, NULL, r), 0);
	assert_status(r, 200);
}

static void
test_resolve_twice_is_a_no_op(void **state)
{
	char doc[128], p[300], cid[40], sql[300], ana_id[40];
	struct h_resp r;
	const json_t *by;
	char *ana;

	ana = h_user(&srv, "Ana_Two", "\"author\"", ana_id);
	assert_non_null(ana);
	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", ana, &r,
				"{\"title\":\"Refunds\",\"content\":%s}",
				strong),
			 0);
	assert_status(&r, 201);
	snprintf(doc, sizeof(doc), "/v1/prfaqs/%s", JS(&r, "id"));
	h_resp_free(&r);
	snprintf(p, sizeof(p), "%s/reviews", doc);
	h_req_json(&srv, "POST", p, reviewer, NULL,
		   json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "verdict", "comment",
			     "summary", "ok", "comments", "anchor",
			     "/press_release/headline", "body", "why?"),
		   &r);
	assert_status(&r, 201);
	strcpy(cid, json_string_value(json_object_get(
			    json_array_get(J(&r, "comments"), 0), "id")));
	h_resp_free(&r);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM events WHERE type = 'commented'"
		 " AND data->>'comment_id' = '%s'",
		 cid);

	snprintf(p, sizeof(p), "%s/comments/%s/resolve", doc, cid);
	post_ok(p, ana, &r);
	assert_true(json_is_true(J(&r, "resolved")));
	/* a person is {id, name}, as author is */
	by = J(&r, "resolved_by");
	assert_string_equal(json_string_value(json_object_get(by, "id")),
			    ana_id);
	assert_string_equal(json_string_value(json_object_get(by, "name")),
			    "Ana_Two");
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, sql), 1);
	/* again: the same comment, no second event (so no webhook) */
	post_ok(p, ana, &r);
	assert_true(json_is_true(J(&r, "resolved")));
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, sql), 1);
	/* someone else still may not */
	assert_int_equal(h_req(&srv, "POST", p, author, NULL, NULL, &r), 0);
	assert_problem(&r, 403);
	h_resp_free(&r);

	snprintf(p, sizeof(p), "%s/comments/%s/reopen", doc, cid);
	post_ok(p, ana, &r);
	assert_false(json_is_true(J(&r, "resolved")));
	assert_true(json_is_null(J(&r, "resolved_by")));
	h_resp_free(&r);
	post_ok(p, ana, &r);
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, sql), 2);
	free(ana);
}

/* POST path (no body) as token is a 409 whose detail holds want. */
static void
conflict_says(const char *path, const char *token, const char *want)
{
	struct h_resp r;

	assert_int_equal(h_req(&srv, "POST", path, token, NULL, NULL, &r), 0);
	assert_problem(&r, 409);
	if (strstr(JS(&r, "detail"), want) == NULL) {
		print_error("want \"%s\" in %s\n", want, r.body);
		fail();
	}
	h_resp_free(&r);
}

static void
test_conflicts_name_the_next_step(void **state)
{
	char doc[128], p[200];

	new_doc(doc, sizeof(doc));
	snprintf(p, sizeof(p), "%s/reopen", doc);
	conflict_says(p, author, "edit it (PUT /v1/prfaqs/{id})");
	snprintf(p, sizeof(p), "%s/withdraw", doc);
	conflict_says(p, author, "edit it (PUT /v1/prfaqs/{id})");
	snprintf(p, sizeof(p), "%s/archive", doc);
	{
		struct h_resp r;

		assert_int_equal(h_req(&srv, "POST", p, author, NULL, NULL, &r),
				 0);
		assert_status(&r, 200);
		h_resp_free(&r);
	}
	snprintf(p, sizeof(p), "%s/submit", doc);
	conflict_says(p, author, "start a new one (POST /v1/prfaqs)");
}

/*
 * The raw body of GET path is compact JSON, one style whatever part of
 * prfaqd (PostgreSQL's json or jsonb, Jansson) wrote it: byte for byte what
 * Jansson writes compactly for the same value, in the same order.
 */
static void
assert_compact(const char *path, const char *token)
{
	struct h_resp r;
	char *again;

	assert_int_equal(h_req(&srv, "GET", path, token, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	again = json_dumps(r.json, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(again);
	if (strlen(again) != r.len || memcmp(again, r.body, r.len) != 0) {
		print_error("GET %s is not compact: %.300s\n", path, r.body);
		fail();
	}
	free(again);
	h_resp_free(&r);
}

static void
test_one_json_style(void **state)
{
	char doc[128], p[200];
	struct h_resp r;

	new_doc(doc, sizeof(doc));
	snprintf(p, sizeof(p), "%s/reviews", doc);
	h_req_json(&srv, "POST", p, reviewer, NULL,
		   json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "verdict", "comment",
			     "summary", "ok", "comments", "anchor",
			     "/press_release/headline", "body", "a \" : b"),
		   &r);
	assert_status(&r, 201);
	h_resp_free(&r);
	assert_compact(doc, author);
	assert_compact("/v1/prfaqs", author);
	assert_compact("/v1/users", srv.admin_token);
	assert_compact("/v1/me", author);
	assert_compact("/v1/principles", author);
	snprintf(p, sizeof(p), "%s/versions/1", doc);
	assert_compact(p, author);
	snprintf(p, sizeof(p), "%s/versions", doc);
	assert_compact(p, author);
	snprintf(p, sizeof(p), "%s/events", doc);
	assert_compact(p, author);
	snprintf(p, sizeof(p), "%s/reviews", doc);
	assert_compact(p, author);
	snprintf(p, sizeof(p), "%s/comments", doc);
	assert_compact(p, author);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_query_parameter),
		cmocka_unit_test(test_unquoted_if_match),
		cmocka_unit_test(test_put_back_what_get_gave),
		cmocka_unit_test(test_resolve_twice_is_a_no_op),
		cmocka_unit_test(test_conflicts_name_the_next_step),
		cmocka_unit_test(test_one_json_style),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
