/*
 * test_review_loop.c - the Working Backwards loop end to end, as different
 * users: draft -> lint errors block submit -> fix -> submit -> changes
 * requested with anchored comments -> revise (reviews go stale, a comment
 * becomes outdated) -> approve -> decision -> reopen -> archive; then every
 * 403/409/422 of the review workflow.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static char *author, *author2, *reviewer, *reviewer2, *approver, *plain;
static char author_id[40], reviewer_id[40], reviewer2_id[40], approver_id[40];
static char *strong; /* tests/fixtures/strong.json: no quality errors */

static int
setup(void **state)
{
	if (h_start(&srv, NULL) != 0)
		return -1;
	author = h_user(&srv, "Ana", "\"author\"", author_id);
	author2 = h_user(&srv, "Bo", "\"author\"", NULL);
	reviewer = h_user(&srv, "Rui", "\"reviewer\"", reviewer_id);
	reviewer2 = h_user(&srv, "Rita", "\"reviewer\"", reviewer2_id);
	approver = h_user(&srv, "Pat", "\"approver\"", approver_id);
	plain = h_user(&srv, "Nobody", "", NULL);
	strong = h_read_file(PRFAQ_FIXTURES "/strong.json");
	return author && author2 && reviewer && reviewer2 && approver &&
			       plain && strong ?
		       0 :
		       -1;
}

static int
teardown(void **state)
{
	h_stop(&srv);
	free(author);
	free(author2);
	free(reviewer);
	free(reviewer2);
	free(approver);
	free(plain);
	free(strong);
	return 0;
}

/* POST path with body as token; asserts the status; returns the response. */
static void
post(const char *token, const char *path, const char *body, int want,
     struct h_resp *r)
{
	assert_int_equal(h_req(&srv, "POST", path, token, NULL, body, r), 0);
	assert_status(r, want);
}

static void
path_of(char *buf, size_t cap, const char *id, const char *suffix)
{
	snprintf(buf, cap, "/v1/prfaqs/%s%s", id, suffix);
}

/* A PR/FAQ by author with the strong content; id into id_out. */
static void
create_strong(const char *token, char *id_out)
{
	struct h_resp r;

	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/prfaqs", token, &r,
		       "{\"title\":\"Instant refunds\",\"team\":\"payments\","
		       "\"content\":%s}",
		       strong),
		0);
	assert_status(&r, 201);
	strcpy(id_out, JS(&r, "id"));
	h_resp_free(&r);
}

/* PUT the strong content with a changed problem paragraph. */
static void
revise(const char *token, const char *id, int if_match, const char *problem)
{
	char path[128], ifm[32];
	const char *hdr[] = { ifm, NULL };
	json_t *content = json_loads(strong, 0, NULL);
	json_t *body;
	char *text;
	struct h_resp r;

	json_object_set_new(json_object_get(content, "press_release"),
			    "problem", json_string(problem));
	body = json_pack("{s:s, s:s, s:o, s:s}", "title", "Instant refunds",
			 "team", "payments", "content", content, "change_note",
			 "revise");
	text = json_dumps(body, 0);
	snprintf(ifm, sizeof(ifm), "If-Match: \"%d\"", if_match);
	path_of(path, sizeof(path), id, "");
	assert_int_equal(h_req(&srv, "PUT", path, token, hdr, text, &r), 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	free(text);
	json_decref(body);
}

static json_t *
find_by(const json_t *items, const char *key, const char *value)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it)
		if (strcmp(json_string_value(json_object_get(it, key)),
			   value) == 0)
			return it;
	return NULL;
}

static void
test_whole_loop(void **state)
{
	struct h_resp r;
	char id[40], path[160], body[1024], comment_id[40], comment2_id[40];
	const char *problem_text;
	json_t *doc = json_loads(strong, 0, NULL);

	problem_text = json_string_value(json_object_get(
		json_object_get(doc, "press_release"), "problem"));

	/* 1. A thin draft: quality errors block submit, nothing changes. */
	post(author, "/v1/prfaqs",
	     "{\"title\":\"Instant refunds\",\"team\":\"payments\","
	     "\"content\":{\"press_release\":{\"headline\":\"Refunds now\"}}}",
	     201, &r);
	strcpy(id, JS(&r, "id"));
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/submit");
	post(author, path, NULL, 422, &r);
	assert_true(json_array_size(J(&r, "findings")) > 0);
	{
		size_t i;
		json_t *f;

		json_array_foreach(J(&r, "findings"), i, f)
			assert_string_equal(json_string_value(json_object_get(
						    f, "severity")),
					    "error");
	}
	h_resp_free(&r);

	/* 2. Fixed: the full press release and FAQ, then submitted with reviewers. */
	revise(author, id, 1, problem_text);
	snprintf(body, sizeof(body), "{\"reviewers\":[\"%s\",\"%s\"]}",
		 reviewer_id, reviewer2_id);
	post(author, path, body, 200, &r);
	assert_string_equal(JS(&r, "status"), "in_review");
	assert_int_equal(JI(&r, "version"), 2);
	h_resp_free(&r);

	/* 3. Changes requested, anchored and tagged with a principle. */
	path_of(path, sizeof(path), id, "/reviews");
	snprintf(
		body, sizeof(body),
		"{\"verdict\":\"request_changes\",\"summary\":\"Quantify the pain.\","
		"\"comments\":[{\"anchor\":\"/press_release/problem\",\"quote\":\"%.20s\","
		"\"body\":\"How many customers is that?\",\"principle\":\"customer-obsession\"},"
		"{\"anchor\":\"/press_release/headline\",\"body\":\"Shorter?\"}]}",
		problem_text);
	post(reviewer, path, body, 201, &r);
	assert_string_equal(JS(&r, "verdict"), "request_changes");
	assert_int_equal(JI(&r, "version"), 2);
	assert_false(json_is_true(J(&r, "stale")));
	assert_int_equal(json_array_size(J(&r, "comments")), 2);
	strcpy(comment_id,
	       json_string_value(json_object_get(
		       json_array_get(J(&r, "comments"), 0), "id")));
	strcpy(comment2_id,
	       json_string_value(json_object_get(
		       json_array_get(J(&r, "comments"), 1), "id")));
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(J(&r, "comments"), 0), "principle")),
		"customer-obsession");
	h_resp_free(&r);
	/* An approve on this version now, to watch it go stale. */
	post(reviewer2, path,
	     "{\"verdict\":\"approve\",\"summary\":\"Fine by me\"}", 201, &r);
	h_resp_free(&r);

	/* 4. A reply, and the author revises while in review. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/comments/%s/replies", id,
		 comment_id);
	post(author, path, "{\"body\":\"2.1 million a year; added.\"}", 201,
	     &r);
	assert_string_equal(JS(&r, "body"), "2.1 million a year; added.");
	h_resp_free(&r);
	revise(author, id, 2,
	       "Today 2.1 million refunds a year take 6 to 10 days.");

	path_of(path, sizeof(path), id, "/reviews");
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 2);
	{
		size_t i;
		json_t *it;

		json_array_foreach(J(&r, "items"), i, it)
			assert_true(json_is_true(json_object_get(it, "stale")));
	}
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/comments");
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	{
		json_t *c1 = find_by(J(&r, "items"), "id", comment_id);
		json_t *c2 = find_by(J(&r, "items"), "id", comment2_id);

		assert_non_null(c1);
		assert_non_null(c2);
		/* The quoted passage is gone: outdated.  The headline is intact. */
		assert_true(json_is_true(json_object_get(c1, "outdated")));
		assert_false(json_is_true(json_object_get(c2, "outdated")));
		assert_false(json_is_true(json_object_get(c1, "resolved")));
		assert_int_equal(
			json_array_size(json_object_get(c1, "replies")), 1);
	}
	h_resp_free(&r);

	/* 5. Stale approvals do not count: the decision needs a fresh one. */
	path_of(path, sizeof(path), id, "/decision");
	post(approver, path, "{\"outcome\":\"approved\",\"rationale\":\"Go\"}",
	     409, &r);
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/reviews");
	post(reviewer, path,
	     "{\"verdict\":\"approve\",\"summary\":\"Numbers are in.\"}", 201,
	     &r);
	assert_int_equal(JI(&r, "version"), 3);
	h_resp_free(&r);

	/* The author resolves the thread. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/comments/%s/resolve", id,
		 comment_id);
	post(author, path, NULL, 200, &r);
	assert_true(json_is_true(J(&r, "resolved")));
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/comments?state=open");
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_null(find_by(J(&r, "items"), "id", comment_id));
	assert_non_null(find_by(J(&r, "items"), "id", comment2_id));
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/comments?state=resolved");
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_non_null(find_by(J(&r, "items"), "id", comment_id));
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	h_resp_free(&r);

	/* 6. The decision, recorded on the document. */
	path_of(path, sizeof(path), id, "/decision");
	post(approver, path,
	     "{\"outcome\":\"approved\",\"rationale\":\"Clear customer problem, sound economics.\"}",
	     200, &r);
	assert_string_equal(JS(&r, "status"), "approved");
	{
		json_t *d = J(&r, "decision");

		assert_string_equal(
			json_string_value(json_object_get(d, "outcome")),
			"approved");
		assert_string_equal(
			json_string_value(json_object_get(d, "rationale")),
			"Clear customer problem, sound economics.");
		assert_int_equal(
			json_integer_value(json_object_get(d, "version")), 3);
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(d, "decided_by"), "id")),
			approver_id);
		assert_non_null(json_object_get(d, "at"));
	}
	h_resp_free(&r);

	/* 7. Reopen (decision cleared), archive. */
	path_of(path, sizeof(path), id, "/reopen");
	post(author, path, NULL, 200, &r);
	assert_string_equal(JS(&r, "status"), "draft");
	assert_true(json_is_null(J(&r, "decision")));
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/archive");
	post(author, path, NULL, 200, &r);
	assert_string_equal(JS(&r, "status"), "archived");
	h_resp_free(&r);

	/* 8. The audit trail tells the whole story, oldest first. */
	path_of(path, sizeof(path), id, "/events?limit=100");
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	{
		static const char *const want[] = {
			"created",   "revised",	  "submitted", "reviewed",
			"reviewed",  "commented", "revised",   "reviewed",
			"commented", "decided",	  "reopened",  "archived",
		};
		json_t *items = J(&r, "items");

		assert_int_equal(json_array_size(items),
				 sizeof(want) / sizeof(want[0]));
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			json_t *e = json_array_get(items, i);

			assert_string_equal(
				json_string_value(json_object_get(e, "type")),
				want[i]);
			assert_non_null(json_object_get(
				json_object_get(e, "actor"), "id"));
			assert_non_null(json_object_get(e, "at"));
		}
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(json_array_get(items, 9),
						"actor"),
				"id")),
			approver_id);
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(json_array_get(items, 9),
						"data"),
				"outcome")),
			"approved");
		assert_int_equal(
			json_array_size(json_object_get(
				json_object_get(json_array_get(items, 2),
						"data"),
				"reviewers")),
			2);
	}
	h_resp_free(&r);
	json_decref(doc);
}

static void
test_who_may_do_what(void **state)
{
	struct h_resp r;
	char id[40], path[160];

	create_strong(author, id);
	/* Only the owner (or an admin) submits, withdraws, reopens, archives. */
	path_of(path, sizeof(path), id, "/submit");
	post(author2, path, NULL, 403, &r);
	h_resp_free(&r);
	post(reviewer, path, NULL, 403, &r);
	h_resp_free(&r);
	post(author, path, NULL, 200, &r);
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/withdraw");
	post(author2, path, NULL, 403, &r);
	h_resp_free(&r);

	/* Reviews need the reviewer role, and never on one's own PR/FAQ. */
	path_of(path, sizeof(path), id, "/reviews");
	post(approver, path, "{\"verdict\":\"approve\",\"summary\":\"x\"}", 403,
	     &r);
	h_resp_free(&r);
	{
		char *self = h_user(&srv, "Selfie",
				    "\"author\",\"reviewer\",\"approver\"",
				    NULL);
		char id2[40], p2[160];

		create_strong(self, id2);
		path_of(p2, sizeof(p2), id2, "/submit");
		post(self, p2, NULL, 200, &r);
		h_resp_free(&r);
		path_of(p2, sizeof(p2), id2, "/reviews");
		post(self, p2, "{\"verdict\":\"approve\",\"summary\":\"mine\"}",
		     403, &r);
		h_resp_free(&r);
		path_of(p2, sizeof(p2), id2, "/decision");
		post(self, p2,
		     "{\"outcome\":\"rejected\",\"rationale\":\"mine\"}", 403,
		     &r);
		h_resp_free(&r);
		free(self);
	}
	/* Decisions need the approver role. */
	path_of(path, sizeof(path), id, "/decision");
	post(reviewer, path, "{\"outcome\":\"rejected\",\"rationale\":\"no\"}",
	     403, &r);
	h_resp_free(&r);
	/* A rejection needs no approving review. */
	post(approver, path,
	     "{\"outcome\":\"rejected\",\"rationale\":\"Market too small.\"}",
	     200, &r);
	assert_string_equal(JS(&r, "status"), "rejected");
	h_resp_free(&r);
	/* Resolving a comment: the owner or its author only. */
	{
		char cid[40];

		path_of(path, sizeof(path), id, "/reviews");
		post(reviewer, path,
		     "{\"verdict\":\"comment\",\"summary\":\"s\",\"comments\":"
		     "[{\"anchor\":\"/press_release/headline\",\"body\":\"b\"}]}",
		     201, &r);
		strcpy(cid,
		       json_string_value(json_object_get(
			       json_array_get(J(&r, "comments"), 0), "id")));
		h_resp_free(&r);
		snprintf(path, sizeof(path),
			 "/v1/prfaqs/%s/comments/%s/resolve", id, cid);
		post(author2, path, NULL, 403, &r);
		h_resp_free(&r);
		post(reviewer, path, NULL, 200, &r);
		h_resp_free(&r);
		snprintf(path, sizeof(path), "/v1/prfaqs/%s/comments/%s/reopen",
			 id, cid);
		post(author, path, NULL, 200, &r);
		assert_false(json_is_true(J(&r, "resolved")));
		h_resp_free(&r);
		/* Anyone may reply. */
		snprintf(path, sizeof(path),
			 "/v1/prfaqs/%s/comments/%s/replies", id, cid);
		post(plain, path, "{\"body\":\"+1\"}", 201, &r);
		h_resp_free(&r);
	}
}

static void
test_transitions_not_allowed_are_409(void **state)
{
	struct h_resp r;
	char id[40], path[160];

	create_strong(author, id);
	/* draft: no withdraw, decision, reopen, verdicts. */
	path_of(path, sizeof(path), id, "/withdraw");
	post(author, path, NULL, 409, &r);
	assert_string_equal(JS(&r, "current_status"), "draft");
	assert_string_equal(JS(&r, "action"), "withdraw");
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/reopen");
	post(author, path, NULL, 409, &r);
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/decision");
	post(approver, path, "{\"outcome\":\"rejected\",\"rationale\":\"x\"}",
	     409, &r);
	h_resp_free(&r);
	path_of(path, sizeof(path), id, "/reviews");
	post(reviewer, path, "{\"verdict\":\"approve\",\"summary\":\"x\"}", 409,
	     &r);
	h_resp_free(&r);
	post(reviewer, path,
	     "{\"verdict\":\"request_changes\",\"summary\":\"x\"}", 409, &r);
	h_resp_free(&r);
	/* A plain comment is fine in draft. */
	post(reviewer, path,
	     "{\"verdict\":\"comment\",\"summary\":\"early thoughts\"}", 201,
	     &r);
	h_resp_free(&r);
	/* Submitted twice. */
	path_of(path, sizeof(path), id, "/submit");
	post(author, path, NULL, 200, &r);
	h_resp_free(&r);
	post(author, path, NULL, 409, &r);
	assert_string_equal(JS(&r, "current_status"), "in_review");
	h_resp_free(&r);
	/* Archived: nothing more, not even edits. */
	path_of(path, sizeof(path), id, "/archive");
	post(author, path, NULL, 200, &r);
	h_resp_free(&r);
	post(author, path, NULL, 409, &r);
	h_resp_free(&r);
	{
		const char *hdr[] = {
			"If-Match: \"1\"",
			"Content-Type: application/merge-patch+json", NULL
		};

		path_of(path, sizeof(path), id, "");
		assert_int_equal(h_req(&srv, "PATCH", path, author, hdr,
				       "{\"title\":\"x\"}", &r),
				 0);
		assert_status(&r, 409);
		h_resp_free(&r);
	}
}

static void
test_review_validation(void **state)
{
	static const struct {
		const char *body;
		const char *pointer;
	} cases[] = {
		{ "{\"verdict\":\"maybe\",\"summary\":\"x\"}", "/verdict" },
		{ "{\"verdict\":\"comment\"}", "/summary" },
		{ "{\"verdict\":\"comment\",\"summary\":\"x\",\"extra\":1}",
		  "/extra" },
		{ "{\"verdict\":\"comment\",\"summary\":\"x\",\"version\":99}",
		  "/version" },
		{ "{\"verdict\":\"comment\",\"summary\":\"x\",\"comments\":[{\"anchor\":\"/press_release/nope\",\"body\":\"b\"}]}",
		  "/comments/0/anchor" },
		{ "{\"verdict\":\"comment\",\"summary\":\"x\",\"comments\":[{\"anchor\":\"/press_release/headline\",\"quote\":\"not in the headline at all\",\"body\":\"b\"}]}",
		  "/comments/0/quote" },
		{ "{\"verdict\":\"comment\",\"summary\":\"x\",\"comments\":[{\"anchor\":\"/press_release/headline\",\"body\":\"b\",\"principle\":\"be-nice\"}]}",
		  "/comments/0/principle" },
		{ "{\"verdict\":\"comment\",\"summary\":\"x\",\"comments\":[{\"anchor\":\"press_release\",\"body\":\"b\"}]}",
		  "/comments/0/anchor" },
		{ "{\"verdict\":\"comment\",\"summary\":\"x\",\"comments\":[{\"anchor\":\"/press_release/headline\"}]}",
		  "/comments/0/body" },
	};
	struct h_resp r;
	char id[40], path[160];

	create_strong(author, id);
	path_of(path, sizeof(path), id, "/reviews");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		post(reviewer, path, cases[i].body, 400, &r);
		assert_string_equal(
			json_string_value(json_object_get(
				json_array_get(J(&r, "errors"), 0), "pointer")),
			cases[i].pointer);
		h_resp_free(&r);
	}
	/* Nothing was written. */
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_int_equal(json_array_size(J(&r, "items")), 0);
	h_resp_free(&r);
	/* Unknown PR/FAQ and comment: 404. */
	post(reviewer,
	     "/v1/prfaqs/00000000-0000-4000-8000-000000000000/reviews",
	     "{\"verdict\":\"comment\",\"summary\":\"x\"}", 404, &r);
	h_resp_free(&r);
	snprintf(
		path, sizeof(path),
		"/v1/prfaqs/%s/comments/00000000-0000-4000-8000-000000000000/replies",
		id);
	post(plain, path, "{\"body\":\"x\"}", 404, &r);
	h_resp_free(&r);
}

static void
test_submit_and_decision_validation(void **state)
{
	struct h_resp r;
	char id[40], path[160], body[256];

	create_strong(author, id);
	path_of(path, sizeof(path), id, "/submit");
	/* Reviewers must be users with the reviewer role, listed once. */
	snprintf(body, sizeof(body), "{\"reviewers\":[\"%s\"]}", approver_id);
	post(author, path, body, 400, &r);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(J(&r, "errors"), 0), "pointer")),
		"/reviewers/0");
	h_resp_free(&r);
	snprintf(body, sizeof(body), "{\"reviewers\":[\"%s\",\"%s\"]}",
		 reviewer_id, reviewer_id);
	post(author, path, body, 400, &r);
	h_resp_free(&r);
	post(author, path, "{\"reviewers\":[\"not-a-uuid\"]}", 400, &r);
	h_resp_free(&r);
	post(author, path, "{\"reviewers\":[], \"other\":1}", 400, &r);
	h_resp_free(&r);
	post(author, path, "{}", 200, &r);
	h_resp_free(&r);
	/* Decision: outcome and rationale required. */
	path_of(path, sizeof(path), id, "/decision");
	post(approver, path, "{\"outcome\":\"approved\"}", 400, &r);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(J(&r, "errors"), 0), "pointer")),
		"/rationale");
	h_resp_free(&r);
	post(approver, path, "{\"outcome\":\"yes\",\"rationale\":\"r\"}", 400,
	     &r);
	h_resp_free(&r);
	post(approver, path, NULL, 400, &r);
	h_resp_free(&r);
	/* And the document is still in review. */
	path_of(path, sizeof(path), id, "");
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_string_equal(JS(&r, "status"), "in_review");
	h_resp_free(&r);
}

static void
test_principles_catalogue(void **state)
{
	struct h_resp r;

	assert_int_equal(
		h_req(&srv, "GET", "/v1/principles", plain, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_true(json_array_size(J(&r, "items")) >= 14);
	{
		json_t *c =
			find_by(J(&r, "items"), "slug", "customer-obsession");

		assert_non_null(c);
		assert_string_equal(
			json_string_value(json_object_get(c, "title")),
			"Customer Obsession");
		assert_true(json_string_length(json_object_get(c, "summary")) >
			    10);
		assert_non_null(find_by(J(&r, "items"), "slug", "think-big"));
		assert_non_null(find_by(J(&r, "items"), "slug", "frugality"));
		assert_non_null(find_by(J(&r, "items"), "slug", "dive-deep"));
	}
	h_resp_free(&r);
	/* A company's own tenet, added in the database, can be used at once. */
	free(h_sql(
		srv.dbname,
		"INSERT INTO principles (slug, title, summary) VALUES"
		" ('write-it-down', 'Write It Down', 'Decisions live in documents.')"));
	assert_int_equal(
		h_req(&srv, "GET", "/v1/principles", plain, NULL, NULL, &r), 0);
	assert_non_null(find_by(J(&r, "items"), "slug", "write-it-down"));
	h_resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_loop),
		cmocka_unit_test(test_who_may_do_what),
		cmocka_unit_test(test_transitions_not_allowed_are_409),
		cmocka_unit_test(test_review_validation),
		cmocka_unit_test(test_submit_and_decision_validation),
		cmocka_unit_test(test_principles_catalogue),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
