/*
 * test_reviewers.c - the review queue of issue 15: a write that changes
 * nothing writes nothing (so approvals stay fresh), and every decision stays
 * listed after a reopen.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct h_server srv;
static char *author, *reviewer, *reviewer2, *approver;
static char author_id[40], reviewer_id[40], reviewer2_id[40], approver_id[40];
static char *strong; /* tests/fixtures/strong.json: no quality errors */

static int
setup(void **state)
{
	(void)state;
	if (h_start(&srv, NULL) != 0)
		return -1;
	author = h_user(&srv, "Ana", "\"author\"", author_id);
	reviewer = h_user(&srv, "Rui", "\"reviewer\"", reviewer_id);
	reviewer2 = h_user(&srv, "Rita", "\"reviewer\"", reviewer2_id);
	approver = h_user(&srv, "Pat", "\"approver\"", approver_id);
	strong = h_read_file(PRFAQ_FIXTURES "/strong.json");
	return author && reviewer && reviewer2 && approver && strong ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(author);
	free(reviewer);
	free(reviewer2);
	free(approver);
	free(strong);
	return 0;
}

/* A request with If-Match: "<if_match>" (0: none); asserts the status. */
static void
send(const char *method, const char *token, const char *path, int if_match,
     const char *ctype, const char *body, int want, struct h_resp *r)
{
	char ifm[32], ct[80];
	const char *hdr[3] = { NULL, NULL, NULL };
	int n = 0;

	if (if_match > 0) {
		snprintf(ifm, sizeof(ifm), "If-Match: \"%d\"", if_match);
		hdr[n++] = ifm;
	}
	if (ctype != NULL) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
		hdr[n++] = ct;
	}
	assert_int_equal(h_req(&srv, method, path, token, hdr, body, r), 0);
	assert_status(r, want);
}

/* An in_review PR/FAQ with the strong content, approved by reviewer. */
static void
approved_review(char *id)
{
	struct h_resp r;
	char path[160];

	assert_int_equal(
		h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
		       "{\"title\":\"Instant refunds\",\"team\":\"payments\","
		       "\"tags\":[\"prime\"],\"content\":%s}",
		       strong),
		0);
	assert_status(&r, 201);
	strcpy(id, JS(&r, "id"));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/submit", id);
	send("POST", author, path, 0, NULL, NULL, 200, &r);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/reviews", id);
	send("POST", reviewer, path, 0, NULL,
	     "{\"verdict\":\"approve\",\"summary\":\"Ship it\"}", 201, &r);
	h_resp_free(&r);
}

/* How many rows of table belong to the PR/FAQ id. */
static long
count(const char *table, const char *id)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM %s WHERE prfaq_id = '%s'", table, id);
	return h_sql_count(&srv, sql);
}

/*
 * PATCH {}, PATCH removing an absent member, PUT of the document as GET
 * returned it, and restore of version 1 (equal to the current one): each is
 * 200 with ETag "1", and no version, event or outbox row is written, so
 * the approving review stays fresh.
 */
static void
test_noop_writes(void **state)
{
	struct h_resp r, doc;
	char id[40], path[160], etag[32];
	const char *reads_only[] = { "id",	   "status",	 "owner",
				     "version",	   "quality",	 "decision",
				     "reviewers",  "evidence",	 "launch",
				     "created_at", "updated_at", NULL };
	json_t *put;
	char *text;
	long events;

	(void)state;
	approved_review(id);
	events = count("events", id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	send("PATCH", author, path, 1, "application/merge-patch+json", "{}",
	     200, &r);
	assert_int_equal(JI(&r, "version"), 1);
	assert_string_equal(h_header(&r, "ETag", etag, sizeof(etag)), "\"1\"");
	h_resp_free(&r);
	send("PATCH", author, path, 1, "application/merge-patch+json",
	     "{\"content\":{\"launch\":null},\"team\":\"payments\",\"change_note\":\"autosave\"}",
	     200, &r);
	assert_int_equal(JI(&r, "version"), 1);
	h_resp_free(&r);

	/* PUT of what GET returned, minus what PUT cannot take on main yet. */
	send("GET", author, path, 0, NULL, NULL, 200, &doc);
	put = json_deep_copy(doc.json);
	for (int i = 0; reads_only[i] != NULL; i++)
		json_object_del(put, reads_only[i]);
	text = json_dumps(put, 0);
	send("PUT", author, path, 1, NULL, text, 200, &r);
	assert_int_equal(JI(&r, "version"), 1);
	assert_true(json_equal(J(&r, "content"), J(&doc, "content")));
	h_resp_free(&r);
	free(text);
	json_decref(put);
	h_resp_free(&doc);

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions/1/restore", id);
	send("POST", author, path, 1, NULL, NULL, 200, &r);
	assert_int_equal(JI(&r, "version"), 1);
	h_resp_free(&r);

	/* A stale If-Match is still refused: a no-op is not a free pass. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	send("PATCH", author, path, 7, "application/merge-patch+json", "{}",
	     412, &r);
	h_resp_free(&r);

	assert_int_equal(count("prfaq_versions", id), 1);
	assert_int_equal(count("events", id), events);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/reviews", id);
	send("GET", author, path, 0, NULL, NULL, 200, &r);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	assert_false(json_is_true(
		json_object_get(json_array_get(J(&r, "items"), 0), "stale")));
	h_resp_free(&r);

	/* A real change still makes a version. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	send("PATCH", author, path, 1, "application/merge-patch+json",
	     "{\"tags\":[\"prime\",\"refunds\"]}", 200, &r);
	assert_int_equal(JI(&r, "version"), 2);
	h_resp_free(&r);
}

/*
 * Approve, reopen, resubmit, reject: the document carries only the decision
 * in force (none after reopen) and /decisions lists both, newest first, in
 * the document's decision shape, one per page with a cursor.
 */
static void
test_decisions_survive_reopen(void **state)
{
	struct h_resp r;
	char id[40], path[160], next[256];
	json_t *d;

	(void)state;
	approved_review(id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/decisions", id);
	send("GET", author, path, 0, NULL, NULL, 200, &r);
	assert_int_equal(json_array_size(J(&r, "items")), 0);
	assert_true(json_is_null(J(&r, "next_cursor")));
	h_resp_free(&r);

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/decision", id);
	send("POST", approver, path, 0, NULL,
	     "{\"outcome\":\"approved\",\"rationale\":\"Clear win\"}", 200, &r);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/reopen", id);
	send("POST", author, path, 0, NULL, NULL, 200, &r);
	assert_true(json_is_null(J(&r, "decision")));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/submit", id);
	send("POST", author, path, 0, NULL, NULL, 200, &r);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/decision", id);
	send("POST", approver, path, 0, NULL,
	     "{\"outcome\":\"rejected\",\"rationale\":\"Not now\"}", 200, &r);
	d = json_incref(J(&r, "decision"));
	h_resp_free(&r);

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/decisions?limit=1", id);
	send("GET", reviewer, path, 0, NULL, NULL, 200, &r);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	/* The newest is exactly the decision in force. */
	assert_true(json_equal(json_array_get(J(&r, "items"), 0), d));
	assert_non_null(h_link_next(&r, next, sizeof(next)));
	h_resp_free(&r);
	send("GET", reviewer, next, 0, NULL, NULL, 200, &r);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(J(&r, "items"), 0), "outcome")),
		"approved");
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(J(&r, "items"), 0), "rationale")),
		"Clear win");
	assert_true(json_is_null(J(&r, "next_cursor")));
	h_resp_free(&r);
	json_decref(d);

	send("GET", reviewer,
	     "/v1/prfaqs/00000000-0000-4000-8000-000000000000/decisions", 0,
	     NULL, NULL, 404, &r);
	h_resp_free(&r);
}

/* An upper-case copy of a UUID: ids are the same in any case. */
static void
upper(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src[i] != '\0'; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'f') ?
				 (char)(src[i] - 32) :
				 src[i];
	dst[i] = '\0';
}

/* Does GET path (as token) list the PR/FAQ id? */
static bool
listed(const char *token, const char *path, const char *id)
{
	struct h_resp r;
	bool found = false;
	size_t i;
	json_t *it;

	send("GET", token, path, 0, NULL, NULL, 200, &r);
	json_array_foreach(J(&r, "items"), i, it)
		if (strcmp(json_string_value(json_object_get(it, "id")), id) ==
		    0)
			found = true;
	h_resp_free(&r);
	return found;
}

/* The state of user uid on the document, or NULL when not requested. */
static const char *
state_of(const json_t *reviewers, const char *uid)
{
	size_t i;
	json_t *it;

	json_array_foreach(reviewers, i, it) {
		const json_t *u = json_object_get(it, "user");

		if (strcasecmp(json_string_value(json_object_get(u, "id")),
			       uid) == 0)
			return json_string_value(json_object_get(it, "state"));
	}
	return NULL;
}

/*
 * The requested reviewers' life: submitted with one (upper-case id), each
 * review moves its state, a new version makes it pending again, the queue
 * filters follow, and POST /reviewers adds, removes and refuses.
 */
static void
test_requested_reviewers(void **state)
{
	struct h_resp r;
	char id[40], path[160], body[256], up[40], sql[256];
	long events;

	(void)state;
	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
				"{\"title\":\"Queue\",\"content\":%s}", strong),
			 0);
	assert_status(&r, 201);
	strcpy(id, JS(&r, "id"));
	assert_int_equal(json_array_size(J(&r, "reviewers")), 0);
	h_resp_free(&r);

	upper(up, reviewer_id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/submit", id);
	snprintf(body, sizeof(body), "{\"reviewers\":[\"%s\"]}", up);
	send("POST", author, path, 0, NULL, body, 200, &r);
	assert_int_equal(json_array_size(J(&r, "reviewers")), 1);
	assert_string_equal(state_of(J(&r, "reviewers"), reviewer_id),
			    "pending");
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(json_array_get(J(&r, "reviewers"), 0),
					"user"),
			"name")),
		"Rui");
	h_resp_free(&r);
	assert_true(listed(reviewer, "/v1/prfaqs?awaiting=me", id));
	snprintf(path, sizeof(path), "/v1/prfaqs?awaiting=%s", up);
	assert_true(listed(author, path, id));
	assert_true(listed(reviewer, "/v1/prfaqs?reviewer=me", id));
	assert_false(listed(reviewer2, "/v1/prfaqs?reviewer=me", id));
	assert_true(listed(reviewer, "/v1/prfaqs?reviewer=me&q=refunds", id));

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/reviews", id);
	send("POST", reviewer, path, 0, NULL,
	     "{\"verdict\":\"comment\",\"summary\":\"Hmm\"}", 201, &r);
	h_resp_free(&r);
	send("POST", reviewer, path, 0, NULL,
	     "{\"verdict\":\"request_changes\",\"summary\":\"Numbers\"}", 201,
	     &r);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	send("GET", author, path, 0, NULL, NULL, 200, &r);
	assert_string_equal(state_of(J(&r, "reviewers"), reviewer_id),
			    "changes_requested");
	h_resp_free(&r);
	assert_false(listed(reviewer, "/v1/prfaqs?awaiting=me", id));
	assert_true(listed(reviewer, "/v1/prfaqs?reviewer=me", id));

	/* A new version: the review is stale, the reviewer pending again. */
	send("PATCH", author, path, 1, "application/merge-patch+json",
	     "{\"title\":\"Queue, revised\"}", 200, &r);
	assert_string_equal(state_of(J(&r, "reviewers"), reviewer_id),
			    "pending");
	h_resp_free(&r);
	assert_true(listed(reviewer, "/v1/prfaqs?awaiting=me", id));
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/reviews", id);
	send("POST", reviewer, path, 0, NULL,
	     "{\"verdict\":\"approve\",\"summary\":\"Good\"}", 201, &r);
	h_resp_free(&r);

	/* POST /reviewers: refusals at their pointers, nothing written. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/reviewers", id);
	snprintf(body, sizeof(body), "{\"add\":[\"%s\"]}", author_id);
	send("POST", author, path, 0, NULL, body, 400, &r);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(J(&r, "errors"), 0), "pointer")),
		"/add/0");
	h_resp_free(&r);
	snprintf(body, sizeof(body), "{\"add\":[\"%s\",\"%s\"]}", reviewer2_id,
		 approver_id);
	send("POST", author, path, 0, NULL, body, 400, &r);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(J(&r, "errors"), 0), "pointer")),
		"/add/1");
	h_resp_free(&r);
	snprintf(body, sizeof(body), "{\"add\":[\"%s\"]}", reviewer2_id);
	send("POST", reviewer, path, 0, NULL, body, 403, &r);
	h_resp_free(&r);
	send("POST", author, path, 0, NULL, "{\"adds\":[]}", 400, &r);
	h_resp_free(&r);

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM events WHERE prfaq_id = '%s'"
		 " AND type = 'reviewers_changed'",
		 id);
	events = h_sql_count(&srv, sql);
	assert_int_equal(events, 0);
	snprintf(body, sizeof(body), "{\"add\":[\"%s\"]}", reviewer2_id);
	send("POST", author, path, 0, NULL, body, 200, &r);
	assert_int_equal(json_array_size(J(&r, "reviewers")), 2);
	assert_string_equal(state_of(J(&r, "reviewers"), reviewer_id),
			    "approved");
	assert_string_equal(state_of(J(&r, "reviewers"), reviewer2_id),
			    "pending");
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, sql), 1);
	assert_true(listed(reviewer2, "/v1/prfaqs?awaiting=me", id));
	/* Adding one already there and removing one absent: no event. */
	snprintf(body, sizeof(body), "{\"add\":[\"%s\"],\"remove\":[\"%s\"]}",
		 reviewer2_id, approver_id);
	send("POST", author, path, 0, NULL, body, 200, &r);
	assert_int_equal(json_array_size(J(&r, "reviewers")), 2);
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, sql), 1);
	upper(up, reviewer2_id);
	snprintf(body, sizeof(body), "{\"remove\":[\"%s\"]}", up);
	send("POST", author, path, 0, NULL, body, 200, &r);
	assert_int_equal(json_array_size(J(&r, "reviewers")), 1);
	assert_null(state_of(J(&r, "reviewers"), reviewer2_id));
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv, sql), 2);
	assert_false(listed(reviewer2, "/v1/prfaqs?reviewer=me", id));

	send("GET", author, "/v1/prfaqs?awaiting=someone", 0, NULL, NULL, 400,
	     &r);
	h_resp_free(&r);

	/* Decided: the list is closed until a reopen. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/decision", id);
	send("POST", approver, path, 0, NULL,
	     "{\"outcome\":\"approved\",\"rationale\":\"Go\"}", 200, &r);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/reviewers", id);
	snprintf(body, sizeof(body), "{\"add\":[\"%s\"]}", reviewer2_id);
	send("POST", author, path, 0, NULL, body, 409, &r);
	assert_non_null(strstr(JS(&r, "detail"), "/reopen"));
	h_resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_noop_writes),
		cmocka_unit_test(test_decisions_survive_reopen),
		cmocka_unit_test(test_requested_reviewers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
