/*
 * test_evidence.c - the voice of the customer over HTTP: recording evidence
 * (defaults, every bad input of issue 16 at its pointer, the (source,
 * source_ref) conflict naming the existing item), the list's filters and
 * newest-observed-first order, reading one, and merge-patching it (its
 * creator or an admin; the merged item must still be valid).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static char *analyst, *author, *other;

static int
setup(void **state)
{
	(void)state;
	if (h_start(&srv, NULL) != 0)
		return -1;
	analyst = h_user(&srv, "analyst", "\"analyst\"", NULL);
	author = h_user(&srv, "author", "\"author\"", NULL);
	other = h_user(&srv, "other", "\"author\"", NULL);
	return analyst != NULL && author != NULL && other != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(analyst);
	free(author);
	free(other);
	return 0;
}

/* POST body as token; 201 expected; id_out gets the id. */
static void
create(const char *token, const char *body, char *id_out)
{
	struct h_resp r;

	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/evidence", token, &r, "%s", body), 0);
	assert_status(&r, 201);
	assert_true(h_is_uuid(JS(&r, "id")));
	snprintf(id_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
}

static void
test_create_defaults(void **state)
{
	struct h_resp r;
	char loc[128], want[128];
	json_t *c;
	(void)state;

	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/evidence", author, &r, "%s",
		       "{\"kind\":\"anecdote\",\"text\":\"I lost an "
		       "hour of edits when the tab crashed.\","
		       "\"source\":\"interview\",\"customer\":"
		       "{\"segment\":\"SMB\"},\"tags\":[\"autosave\"]}"),
		0);
	assert_status(&r, 201);
	snprintf(want, sizeof(want), "/v1/evidence/%s", JS(&r, "id"));
	assert_string_equal(h_header(&r, "Location", loc, sizeof(loc)), want);
	assert_string_equal(JS(&r, "kind"), "anecdote");
	assert_string_equal(JS(&r, "sentiment"), "neutral");
	assert_string_equal(JS(&r, "source"), "interview");
	assert_true(json_is_null(J(&r, "source_ref")));
	assert_true(json_is_null(J(&r, "url")));
	assert_true(json_is_null(J(&r, "observed_on")));
	assert_true(json_is_null(J(&r, "value")));
	c = J(&r, "customer");
	assert_string_equal(json_string_value(json_object_get(c, "segment")),
			    "SMB");
	assert_true(json_is_null(json_object_get(c, "name")));
	assert_string_equal(json_string_value(json_array_get(J(&r, "tags"), 0)),
			    "autosave");
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "created_by"), "name")),
		"author");
	assert_true(h_is_rfc3339_utc(JS(&r, "created_at")));
	assert_int_equal(JI(&r, "links"), 0);
	h_resp_free(&r);

	assert_int_equal(h_reqf(&srv, "POST", "/v1/evidence", analyst, &r, "%s",
				"{\"kind\":\"data\",\"text\":\"Weekly churn "
				"of trial accounts\",\"value\":4.5,\"unit\":"
				"\"%\",\"sentiment\":\"negative\","
				"\"observed_on\":\"2024-05-01\"}"),
			 0);
	assert_status(&r, 201);
	assert_true(json_real_value(J(&r, "value")) == 4.5);
	assert_string_equal(JS(&r, "unit"), "%");
	assert_string_equal(JS(&r, "observed_on"), "2024-05-01");
	h_resp_free(&r);
}

/* Each bad input of the issue: 400, problem+json, at its pointer. */
static void
test_bad_input(void **state)
{
	static const struct {
		const char *body, *pointer;
	} cases[] = {
		{ "{\"kind\":\"rumour\",\"text\":\"x\"}", "/kind" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"sentiment\":\"angry\"}",
		  "/sentiment" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"value\":3}",
		  "/value" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"url\":\"ftp://a.example/f\"}",
		  "/url" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"url\":\"javascript:alert(1)\"}",
		  "/url" },
		{ "{\"kind\":\"anecdote\",\"text\":\"bell \\u0007\"}",
		  "/text" },
		{ "{\"kind\":\"anecdote\",\"text\":\"\"}", "/text" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"observed_on\":\"2024-13-01\"}",
		  "/observed_on" },
		{ "{\"kind\":\"anecdote\",\"text\":\"x\",\"id\":\"mine\"}",
		  "/id" },
	};
	char *big = malloc(4001 + 64);
	struct h_resp r;
	size_t n;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(h_reqf(&srv, "POST", "/v1/evidence", author,
					&r, "%s", cases[i].body),
				 0);
		assert_problem(&r, 400);
		if (!h_has_pointer(&r, cases[i].pointer))
			fail_msg("%s: no error at %s: %s", cases[i].body,
				 cases[i].pointer, r.body);
		h_resp_free(&r);
	}
	assert_non_null(big);
	strcpy(big, "{\"kind\":\"request\",\"text\":\"");
	n = strlen(big);
	memset(big + n, 'x', 4001);
	strcpy(big + n + 4001, "\"}");
	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/evidence", author, &r, "%s", big), 0);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/text"));
	h_resp_free(&r);
	strcpy(big + n + 4000, "\"}");
	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/evidence", author, &r, "%s", big), 0);
	assert_status(&r, 201);
	h_resp_free(&r);
	free(big);
	/* Nothing of the refused ones was written. */
	assert_int_equal(h_sql_count(&srv, "SELECT count(*) FROM evidence "
					   "WHERE text = 'x'"),
			 0);
}

static void
test_duplicate_source_ref(void **state)
{
	const char *body = "{\"kind\":\"request\",\"text\":\"CSV export\","
			   "\"source\":\"zendesk\",\"source_ref\":\"T-100\"}";
	char id[40], other_id[40];
	struct h_resp r;
	(void)state;

	create(author, body, id);
	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/evidence", other, &r, "%s", body), 0);
	assert_problem(&r, 409);
	assert_string_equal(JS(&r, "existing_id"), id);
	h_resp_free(&r);
	/* The same ref from another source is another item. */
	create(author,
	       "{\"kind\":\"request\",\"text\":\"CSV export\","
	       "\"source\":\"intercom\",\"source_ref\":\"T-100\"}",
	       other_id);
	assert_string_not_equal(id, other_id);
}

static void
test_list_filters(void **state)
{
	char a[40], b[40], c[40], next[512];
	struct h_resp r;
	(void)state;

	create(analyst,
	       "{\"kind\":\"anecdote\",\"text\":\"The invoice screen times "
	       "out\",\"sentiment\":\"negative\",\"source\":\"listtest\","
	       "\"observed_on\":\"2020-01-03\",\"tags\":[\"billing\"]}",
	       a);
	create(analyst,
	       "{\"kind\":\"request\",\"text\":\"Let me pay by invoice\","
	       "\"source\":\"listtest\",\"observed_on\":\"2020-01-05\","
	       "\"tags\":[\"billing\",\"payments\"]}",
	       b);
	create(analyst,
	       "{\"kind\":\"anecdote\",\"text\":\"Love the new dashboard\","
	       "\"sentiment\":\"positive\",\"source\":\"listtest\","
	       "\"observed_on\":\"2020-01-04\"}",
	       c);

	/* Newest observed first, paged by two. */
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/evidence?source=listtest&limit=2", author,
			       NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(J(&r, "items"), 0), "id")),
			    b);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(J(&r, "items"), 1), "id")),
			    c);
	assert_non_null(h_link_next(&r, next, sizeof(next)));
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", next, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(J(&r, "items"), 0), "id")),
			    a);
	assert_true(json_is_null(J(&r, "next_cursor")));
	h_resp_free(&r);

	assert_int_equal(h_req(&srv, "GET",
			       "/v1/evidence?source=listtest&tag=billing&"
			       "sentiment=negative",
			       author, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	h_resp_free(&r);

	assert_int_equal(h_req(&srv, "GET",
			       "/v1/evidence?q=invoice&kind=request", author,
			       NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(J(&r, "items"), 0), "id")),
			    b);
	h_resp_free(&r);

	/* Nothing is linked yet: the inbox is all of them. */
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/evidence?source=listtest&linked=false",
			       author, NULL, NULL, &r),
			 0);
	assert_int_equal(json_array_size(J(&r, "items")), 3);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/evidence?source=listtest&linked=true",
			       author, NULL, NULL, &r),
			 0);
	assert_int_equal(json_array_size(J(&r, "items")), 0);
	h_resp_free(&r);

	static const char *const bad[] = {
		"/v1/evidence?kind=rumour",    "/v1/evidence?sentiment=angry",
		"/v1/evidence?linked=maybe",   "/v1/evidence?prfaq=nope",
		"/v1/evidence?sort=newest",    "/v1/evidence?q=",
		"/v1/evidence?cursor=garbage",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
			h_req(&srv, "GET", bad[i], author, NULL, NULL, &r), 0);
		assert_problem(&r, 400);
		h_resp_free(&r);
	}
}

static void
test_get_and_patch(void **state)
{
	const char *mp[] = { "Content-Type: application/merge-patch+json",
			     NULL };
	char id[40], path[64];
	struct h_resp r;
	(void)state;

	create(author,
	       "{\"kind\":\"data\",\"text\":\"p95 load time\",\"value\":3.2,"
	       "\"unit\":\"s\",\"url\":\"https://dash.example/p95\"}",
	       id);
	snprintf(path, sizeof(path), "/v1/evidence/%s", id);
	assert_int_equal(h_req(&srv, "GET", path, other, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_true(json_is_array(J(&r, "links")));
	assert_int_equal(json_array_size(J(&r, "links")), 0);
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "GET",
		      "/v1/evidence/00000000-0000-0000-0000-000000000000",
		      other, NULL, NULL, &r),
		0);
	assert_problem(&r, 404);
	h_resp_free(&r);

	/* Not the creator, not an admin. */
	assert_int_equal(h_req(&srv, "PATCH", path, other, mp,
			       "{\"sentiment\":\"negative\"}", &r),
			 0);
	assert_problem(&r, 403);
	h_resp_free(&r);

	/* Turning it into an anecdote while it keeps its value: 400. */
	assert_int_equal(h_req(&srv, "PATCH", path, author, mp,
			       "{\"kind\":\"anecdote\"}", &r),
			 0);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/value"));
	h_resp_free(&r);

	/* ...and with the value removed, fine. */
	assert_int_equal(h_req(&srv, "PATCH", path, author, mp,
			       "{\"kind\":\"anecdote\",\"value\":null,"
			       "\"unit\":null,\"url\":null,"
			       "\"sentiment\":\"negative\"}",
			       &r),
			 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "kind"), "anecdote");
	assert_string_equal(JS(&r, "sentiment"), "negative");
	assert_true(json_is_null(J(&r, "value")));
	assert_true(json_is_null(J(&r, "url")));
	assert_string_equal(JS(&r, "text"), "p95 load time");
	h_resp_free(&r);

	/* An admin may; a patch of no known member is refused. */
	assert_int_equal(h_req(&srv, "PATCH", path, srv.admin_token, mp,
			       "{\"tags\":[\"perf\"]}", &r),
			 0);
	assert_status(&r, 200);
	assert_string_equal(json_string_value(json_array_get(J(&r, "tags"), 0)),
			    "perf");
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "PATCH", path, author, mp, "{\"links\":5}", &r), 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
}

/* A PR/FAQ of author's whose problem paragraph is text; id into id_out. */
static void
create_prfaq(const char *token, const char *text, char *id_out)
{
	struct h_resp r;

	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", token, &r,
				"{\"title\":\"Autosave\",\"content\":"
				"{\"press_release\":{\"problem\":\"%s\"}}}",
				text),
			 0);
	assert_status(&r, 201);
	snprintf(id_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
}

static void
test_links(void **state)
{
	char pid[40], e1[40], e2[40], path[128], link_path[192], link_id[40];
	char *reviewer = h_user(&srv, "reviewer", "\"reviewer\"", NULL);
	struct h_resp r;
	(void)state;

	assert_non_null(reviewer);
	create_prfaq(author, "Writers lose work when the browser crashes.",
		     pid);
	create(analyst,
	       "{\"kind\":\"anecdote\",\"text\":\"Lost my draft again\","
	       "\"source\":\"support\",\"source_ref\":\"L-1\","
	       "\"sentiment\":\"negative\"}",
	       e1);
	create(analyst, "{\"kind\":\"request\",\"text\":\"Please autosave\"}",
	       e2);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/evidence", pid);

	/* Anchor names nothing; quote not in the passage; no such item. */
	assert_int_equal(h_reqf(&srv, "POST", path, author, &r,
				"{\"evidence_id\":\"%s\",\"anchor\":"
				"\"/press_release/nothing\"}",
				e1),
			 0);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/anchor"));
	h_resp_free(&r);
	assert_int_equal(h_reqf(&srv, "POST", path, author, &r,
				"{\"evidence_id\":\"%s\",\"anchor\":"
				"\"/press_release/problem\",\"quote\":"
				"\"never said\"}",
				e1),
			 0);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/quote"));
	h_resp_free(&r);
	assert_int_equal(h_reqf(&srv, "POST", path, author, &r,
				"{\"evidence_id\":"
				"\"00000000-0000-0000-0000-000000000000\"}"),
			 0);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/evidence_id"));
	h_resp_free(&r);
	/* An analyst links nothing: author, reviewer or admin. */
	assert_int_equal(h_reqf(&srv, "POST", path, analyst, &r,
				"{\"evidence_id\":\"%s\"}", e1),
			 0);
	assert_problem(&r, 403);
	h_resp_free(&r);

	assert_int_equal(h_reqf(&srv, "POST", path, author, &r,
				"{\"evidence_id\":\"%s\",\"anchor\":"
				"\"/press_release/problem\",\"quote\":"
				"\"lose work\",\"note\":\"the core pain\"}",
				e1),
			 0);
	assert_status(&r, 201);
	assert_true(h_is_uuid(JS(&r, "id")));
	snprintf(link_id, sizeof(link_id), "%s", JS(&r, "id"));
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "evidence"), "id")),
		e1);
	assert_int_equal(
		json_integer_value(json_object_get(J(&r, "evidence"), "links")),
		1);
	assert_string_equal(JS(&r, "quote"), "lose work");
	assert_string_equal(JS(&r, "note"), "the core pain");
	assert_true(json_is_false(J(&r, "outdated")));
	assert_true(h_is_rfc3339_utc(JS(&r, "linked_at")));
	h_resp_free(&r);

	/* Twice: 409.  A reviewer links the other one, unanchored. */
	assert_int_equal(h_reqf(&srv, "POST", path, reviewer, &r,
				"{\"evidence_id\":\"%s\"}", e1),
			 0);
	assert_problem(&r, 409);
	h_resp_free(&r);
	assert_int_equal(h_reqf(&srv, "POST", path, reviewer, &r,
				"{\"evidence_id\":\"%s\"}", e2),
			 0);
	assert_status(&r, 201);
	assert_true(json_is_null(J(&r, "anchor")));
	h_resp_free(&r);

	assert_int_equal(h_req(&srv, "GET", path, other, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 2);
	h_resp_free(&r);

	/* The item lists the PR/FAQ; the list filters by it and by linked. */
	snprintf(link_path, sizeof(link_path), "/v1/evidence/%s", e1);
	assert_int_equal(h_req(&srv, "GET", link_path, other, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(json_array_get(J(&r, "links"), 0),
					"prfaq"),
			"id")),
		pid);
	h_resp_free(&r);
	snprintf(link_path, sizeof(link_path), "/v1/evidence?prfaq=%s", pid);
	assert_int_equal(h_req(&srv, "GET", link_path, other, NULL, NULL, &r),
			 0);
	assert_int_equal(json_array_size(J(&r, "items")), 2);
	h_resp_free(&r);

	/* The document counts what it links to, in the same read. */
	snprintf(link_path, sizeof(link_path), "/v1/prfaqs/%s", pid);
	assert_int_equal(h_req(&srv, "GET", link_path, other, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(
		json_integer_value(json_object_get(J(&r, "evidence"), "links")),
		2);
	assert_int_equal(json_integer_value(json_object_get(J(&r, "evidence"),
							    "anecdote")),
			 1);
	assert_int_equal(json_integer_value(
				 json_object_get(J(&r, "evidence"), "request")),
			 1);
	assert_int_equal(json_integer_value(json_object_get(J(&r, "evidence"),
							    "negative")),
			 1);
	assert_int_equal(json_integer_value(json_object_get(J(&r, "evidence"),
							    "positive")),
			 0);
	h_resp_free(&r);

	/* The audit trail has the event. */
	assert_int_equal(h_sql_count(&srv,
				     "SELECT count(*) FROM events WHERE type = "
				     "'evidence_linked'"),
			 2);

	/* Unlink: not another author; the owner may. */
	snprintf(link_path, sizeof(link_path), "%s/%s", path, link_id);
	assert_int_equal(
		h_req(&srv, "DELETE", link_path, other, NULL, NULL, &r), 0);
	assert_problem(&r, 403);
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "DELETE", link_path, author, NULL, NULL, &r), 0);
	assert_status(&r, 204);
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "DELETE", link_path, author, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv,
				     "SELECT count(*) FROM events WHERE type = "
				     "'evidence_unlinked'"),
			 1);
	free(reviewer);
}

static void
test_tags(void **state)
{
	char id[40], pid[40], path[128];
	struct h_resp r;
	json_t *item;
	size_t i;
	long seen = 0;
	(void)state;

	create(analyst,
	       "{\"kind\":\"anecdote\",\"text\":\"Slow search\","
	       "\"sentiment\":\"negative\",\"tags\":[\"zz-search\"]}",
	       id);
	create(analyst,
	       "{\"kind\":\"request\",\"text\":\"Fuzzy search\","
	       "\"tags\":[\"zz-search\",\"zz-fuzzy\"]}",
	       pid);
	create_prfaq(author, "Search is slow.", pid);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/evidence", pid);
	assert_int_equal(h_reqf(&srv, "POST", path, author, &r,
				"{\"evidence_id\":\"%s\"}", id),
			 0);
	assert_status(&r, 201);
	h_resp_free(&r);

	assert_int_equal(h_req(&srv, "GET", "/v1/evidence/tags", author, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 200);
	json_array_foreach(J(&r, "items"), i, item) {
		const char *tag =
			json_string_value(json_object_get(item, "tag"));

		if (strcmp(tag, "zz-search") == 0) {
			assert_int_equal(json_integer_value(json_object_get(
						 item, "count")),
					 2);
			assert_int_equal(json_integer_value(json_object_get(
						 item, "negative")),
					 1);
			assert_int_equal(json_integer_value(json_object_get(
						 item, "linked")),
					 1);
			seen++;
		}
		if (strcmp(tag, "zz-fuzzy") == 0) {
			assert_int_equal(json_integer_value(json_object_get(
						 item, "linked")),
					 0);
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/evidence/tags?limit=5", author,
			       NULL, NULL, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_defaults),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_duplicate_source_ref),
		cmocka_unit_test(test_list_filters),
		cmocka_unit_test(test_get_and_patch),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_tags),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
