/*
 * test_learnings.c - learnings over HTTP (issue 17): who may add one and on
 * which status (a draft is 409 with the next step), every bad input at its
 * pointer, the learning_added event in the audit trail and the webhook
 * outbox, the list of a PR/FAQ's learnings, the search across all of them
 * (best match first, paged), and related-learnings on the labelled set of
 * tests/fixtures/learnings: other PR/FAQs' learnings only, at most ten, and
 * ranked as well as scripts/eval-related measured.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static char *owner, *other, *reviewer, *asked, *bystander, *approver, *plain,
	*analyst;
static char owner_id[40], asked_id[40];

static int
setup(void **state)
{
	static const char *const env[] = { "PRFAQ_WEBHOOK_ALLOW_PRIVATE=1",
					   NULL };
	(void)state;
	if (h_start(&srv, env) != 0)
		return -1;
	owner = h_user(&srv, "Ana", "\"author\"", owner_id);
	other = h_user(&srv, "Bo", "\"author\"", NULL);
	reviewer = h_user(&srv, "Rui", "\"reviewer\"", NULL);
	asked = h_user(&srv, "Ines", "\"reviewer\"", asked_id);
	bystander = h_user(&srv, "Rita", "\"reviewer\"", NULL);
	approver = h_user(&srv, "Pat", "\"approver\"", NULL);
	plain = h_user(&srv, "Nobody", "", NULL);
	analyst = h_user(&srv, "Pipeline", "\"analyst\"", NULL);
	return owner && other && reviewer && asked && bystander && approver &&
			       plain && analyst ?
		       0 :
		       -1;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(owner);
	free(other);
	free(reviewer);
	free(asked);
	free(bystander);
	free(approver);
	free(plain);
	free(analyst);
	return 0;
}

/* A draft PR/FAQ by owner about title (press release parts may be NULL). */
static void
create_doc(const char *title, const char *headline, const char *problem,
	   const char *solution, char *id_out)
{
	json_t *pr = json_object(), *body;
	struct h_resp r;

	if (headline != NULL)
		json_object_set_new(pr, "headline", json_string(headline));
	if (problem != NULL)
		json_object_set_new(pr, "problem", json_string(problem));
	if (solution != NULL)
		json_object_set_new(pr, "solution", json_string(solution));
	body = json_pack("{s:s, s:{s:o}}", "title", title, "content",
			 "press_release", pr);
	h_req_json(&srv, "POST", "/v1/prfaqs", owner, NULL, body, &r);
	assert_status(&r, 201);
	snprintf(id_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
}

/*
 * Put a PR/FAQ in a status directly: the workflow (submit, decide, launch)
 * is not what these tests are about.
 */
static void
set_status(const char *id, const char *status)
{
	char sql[256], *v;

	snprintf(sql, sizeof(sql),
		 "UPDATE prfaqs SET status = '%s' WHERE id = '%s'", status, id);
	v = h_sql(srv.dbname, sql);
	assert_non_null(v);
	free(v);
}

/* POST a learning body to PR/FAQ id as token; the response into r. */
static void
post_learning(const char *token, const char *id, const char *body,
	      struct h_resp *r)
{
	char path[96];

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/learnings", id);
	assert_int_equal(h_req(&srv, "POST", path, token, NULL, body, r), 0);
}

static void
test_create(void **state)
{
	char id[40], path[512], port_hook[160];
	struct h_resp r;
	json_t *items, *ev;
	size_t i;
	int found = 0;
	(void)state;

	/* A webhook that wants learning_added: the event reaches the outbox
	 * in the learning's transaction (nobody listens on the port). */
	snprintf(port_hook, sizeof(port_hook),
		 "{\"url\":\"http://127.0.0.1:%d/hook\",\"events\":"
		 "[\"learning_added\"]}",
		 h_free_port());
	assert_int_equal(h_req(&srv, "POST", "/v1/webhooks", srv.admin_token,
			       NULL, port_hook, &r),
			 0);
	assert_status(&r, 201);
	h_resp_free(&r);

	create_doc("Instant refunds", "Money back at once", NULL, NULL, id);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/archive", id);
	assert_int_equal(h_req(&srv, "POST", path, owner, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	h_resp_free(&r);

	post_learning(owner, id,
		      "{\"expected\":\"Fraud under 0.5%\",\"observed\":"
		      "\"Fraud rose fourfold\\nin a month\",\"lesson\":"
		      "\"Tie instant refunds to a risk score\","
		      "\"tags\":[\"fraud\",\"refunds\"]}",
		      &r);
	assert_status(&r, 201);
	assert_true(h_is_uuid(JS(&r, "id")));
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "prfaq"), "id")), id);
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "prfaq"), "title")),
		"Instant refunds");
	assert_string_equal(JS(&r, "expected"), "Fraud under 0.5%");
	assert_string_equal(JS(&r, "observed"),
			    "Fraud rose fourfold\nin a month");
	assert_string_equal(JS(&r, "lesson"),
			    "Tie instant refunds to a risk score");
	assert_int_equal(json_array_size(J(&r, "tags")), 2);
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "author"), "id")),
		owner_id);
	assert_string_equal(
		json_string_value(json_object_get(J(&r, "author"), "name")),
		"Ana");
	assert_true(h_is_rfc3339_utc(JS(&r, "created_at")));
	h_resp_free(&r);

	/* Optional members absent: null, and no tags. */
	post_learning(owner, id, "{\"lesson\":\"Say when the money lands\"}",
		      &r);
	assert_status(&r, 201);
	assert_true(json_is_null(J(&r, "expected")));
	assert_true(json_is_null(J(&r, "observed")));
	assert_int_equal(json_array_size(J(&r, "tags")), 0);
	h_resp_free(&r);

	/* The PR/FAQ's list: oldest first, paged. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/learnings?limit=1", id);
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	items = J(&r, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(items, 0), "lesson")),
			    "Tie instant refunds to a risk score");
	assert_non_null(h_link_next(&r, path, sizeof(path)));
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(J(&r, "items"), 0), "lesson")),
		"Say when the money lands");
	assert_true(json_is_null(J(&r, "next_cursor")));
	h_resp_free(&r);

	/* One learning_added event each, in the audit trail and the outbox. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/events?limit=100", id);
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	json_array_foreach(J(&r, "items"), i, ev) {
		const char *type =
			json_string_value(json_object_get(ev, "type"));

		if (strcmp(type, "learning_added") != 0)
			continue;
		found++;
		assert_true(h_is_uuid(json_string_value(json_object_get(
			json_object_get(ev, "data"), "learning_id"))));
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(ev, "actor"), "id")),
			owner_id);
	}
	assert_int_equal(found, 2);
	h_resp_free(&r);
	assert_int_equal(h_sql_count(&srv,
				     "SELECT count(*) FROM webhook_deliveries d"
				     " JOIN events e ON e.id = d.event_id"
				     " WHERE e.type = 'learning_added'"),
			 2);

	/* No such PR/FAQ: 404, for the POST and both GETs. */
	post_learning(owner, "00000000-0000-4000-8000-000000000000",
		      "{\"lesson\":\"x\"}", &r);
	assert_problem(&r, 404);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/prfaqs/00000000-0000-4000-8000-000000000000"
			       "/learnings",
			       plain, NULL, NULL, &r),
			 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/prfaqs/00000000-0000-4000-8000-000000000000"
			       "/related-learnings",
			       plain, NULL, NULL, &r),
			 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
}

/*
 * Who may: the owner, a requested reviewer (who need not have reviewed), a
 * reviewer who reviewed it unasked, an approver, an admin; not another
 * author, a reviewer neither asked nor reviewing, an analyst or a user
 * without roles.
 */
static void
test_roles(void **state)
{
	static const char *const lesson = "{\"lesson\":\"Ask earlier\"}";
	char id[40], path[128];
	struct h_resp r;
	const char *allowed[5], *refused[5];
	char body[96];
	(void)state;

	create_doc("Kids profiles", NULL, NULL, NULL, id);
	/* Ines is asked to review it; she never does. */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/reviewers", id);
	snprintf(body, sizeof(body), "{\"add\":[\"%s\"]}", asked_id);
	assert_int_equal(h_req(&srv, "POST", path, owner, NULL, body, &r), 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	/* Rui reviews it (a comment: allowed on a draft). */
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/reviews", id);
	assert_int_equal(h_req(&srv, "POST", path, reviewer, NULL,
			       "{\"verdict\":\"comment\",\"summary\":"
			       "\"Who is the customer?\"}",
			       &r),
			 0);
	assert_status(&r, 201);
	h_resp_free(&r);
	set_status(id, "rejected");

	allowed[0] = owner;
	allowed[1] = reviewer;
	allowed[2] = approver;
	allowed[3] = srv.admin_token;
	allowed[4] = asked;
	refused[0] = other;
	refused[1] = bystander;
	refused[2] = analyst;
	refused[3] = plain;
	refused[4] = NULL;
	for (int i = 0; i < 5; i++) {
		post_learning(allowed[i], id, lesson, &r);
		assert_status(&r, 201);
		h_resp_free(&r);
		if (refused[i] == NULL)
			continue;
		post_learning(refused[i], id, lesson, &r);
		assert_problem(&r, 403);
		h_resp_free(&r);
	}
	snprintf(path, sizeof(path),
		 "SELECT count(*) FROM learnings WHERE prfaq_id = '%s'", id);
	assert_int_equal(h_sql_count(&srv, path), 5);
}

/*
 * On launched, rejected or archived only; a draft, in_review or approved
 * PR/FAQ is 409 saying what to do next, and nothing is written.
 */
static void
test_statuses(void **state)
{
	static const struct {
		const char *status, *step;
	} refused[] = {
		{ "draft", "/submit" },
		{ "in_review", "/decision" },
		{ "approved", "/launch" },
	};
	static const char *const ok[] = { "rejected", "archived" };
	char id[40], sql[128];
	struct h_resp r;
	(void)state;

	create_doc("Voice shopping list", NULL, NULL, NULL, id);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		set_status(id, refused[i].status);
		post_learning(owner, id, "{\"lesson\":\"Too early\"}", &r);
		assert_problem(&r, 409);
		assert_string_equal(JS(&r, "current_status"),
				    refused[i].status);
		if (strstr(JS(&r, "detail"), refused[i].step) == NULL ||
		    strstr(JS(&r, "detail"), id) == NULL)
			fail_msg("no next step (%s) in: %s", refused[i].step,
				 JS(&r, "detail"));
		h_resp_free(&r);
	}
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM learnings WHERE prfaq_id = '%s'", id);
	assert_int_equal(h_sql_count(&srv, sql), 0);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		set_status(id, ok[i]);
		post_learning(owner, id, "{\"lesson\":\"Confirm brands\"}", &r);
		assert_status(&r, 201);
		h_resp_free(&r);
	}
	assert_int_equal(h_sql_count(&srv, sql), 2);
}

/* Every bad input is 400 at its pointer, and nothing is written. */
static void
test_bad_input(void **state)
{
	static const struct {
		const char *body, *pointer;
	} cases[] = {
		{ "{}", "/lesson" },
		{ "{\"lesson\":null}", "/lesson" },
		{ "{\"lesson\":\"\"}", "/lesson" },
		{ "{\"lesson\":42}", "/lesson" },
		{ "{\"lesson\":\"ok\",\"expected\":\"\"}", "/expected" },
		{ "{\"lesson\":\"ok\",\"expected\":[\"a\"]}", "/expected" },
		{ "{\"lesson\":\"ok\",\"observed\":\"bell \\u0007\"}",
		  "/observed" },
		{ "{\"lesson\":\"esc \\u001b[31m\"}", "/lesson" },
		{ "{\"lesson\":\"ok\",\"tags\":\"fraud\"}", "/tags" },
		{ "{\"lesson\":\"ok\",\"tags\":[\"a\\u202eb\"]}", "/tags/0" },
		{ "{\"lesson\":\"ok\",\"tags\":[\"a\",\"a\"]}", "/tags/1" },
		{ "{\"lesson\":\"ok\",\"author\":\"me\"}", "/author" },
		{ "{\"lesson\":\"ok\",\"a/b\":1}", "/a~1b" },
		{ "[\"lesson\"]", "" },
	};
	char id[40], sql[128], *big;
	struct h_resp r;
	size_t n;
	(void)state;

	create_doc("Seller onboarding", NULL, NULL, NULL, id);
	set_status(id, "archived");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		post_learning(owner, id, cases[i].body, &r);
		assert_problem(&r, 400);
		if (!h_has_pointer(&r, cases[i].pointer))
			fail_msg("%s: no error at %s: %s", cases[i].body,
				 cases[i].pointer, r.body);
		h_resp_free(&r);
	}
	/* 4,000 characters (here three bytes each) is the most. */
	big = malloc(3 * 4001 + 64);
	assert_non_null(big);
	strcpy(big, "{\"lesson\":\"");
	n = strlen(big);
	for (int i = 0; i < 4001; i++, n += 3)
		memcpy(big + n, "\xe2\x82\xac", 3);
	strcpy(big + n, "\"}");
	post_learning(owner, id, big, &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/lesson"));
	h_resp_free(&r);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM learnings WHERE prfaq_id = '%s'", id);
	assert_int_equal(h_sql_count(&srv, sql), 0);
	strcpy(big + n - 3, "\"}");
	post_learning(owner, id, big, &r);
	assert_status(&r, 201);
	h_resp_free(&r);
	free(big);
	assert_int_equal(h_sql_count(&srv, sql), 1);
}

/* GET path as plain; asserts 200. */
static void
get_ok(const char *path, struct h_resp *r)
{
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, r), 0);
	assert_status(r, 200);
}

static const char *
item_lesson(const struct h_resp *r, size_t i)
{
	return json_string_value(
		json_object_get(json_array_get(J(r, "items"), i), "lesson"));
}

/*
 * GET /v1/learnings: newest first without q; with q the lesson that is
 * about the words above one that only mentions them in passing, tag
 * filter, pages that neither repeat nor skip, and the refusals.
 */
static void
test_search(void **state)
{
	char id[40], path[256];
	struct h_resp r;
	json_t *seen = json_object();
	int pages = 0;
	(void)state;

	create_doc("Locker deliveries", "Parcels in lockers", NULL, NULL, id);
	set_status(id, "archived");
	post_learning(owner, id,
		      "{\"lesson\":\"Lockers fill up with parcels on Mondays; "
		      "plan locker capacity for the weekend peak\","
		      "\"tags\":[\"lockers\",\"zz-search\"]}",
		      &r);
	assert_status(&r, 201);
	h_resp_free(&r);
	post_learning(owner, id,
		      "{\"lesson\":\"Drivers need a phone number to call\","
		      "\"observed\":\"One locker was broken\","
		      "\"tags\":[\"zz-search\"]}",
		      &r);
	assert_status(&r, 201);
	h_resp_free(&r);
	post_learning(owner, id,
		      "{\"lesson\":\"Unrelated: keep the app small\","
		      "\"tags\":[\"zz-search\",\"app\"]}",
		      &r);
	assert_status(&r, 201);
	h_resp_free(&r);

	/* Newest first, with a tag filter. */
	get_ok("/v1/learnings?tag=zz-search", &r);
	assert_int_equal(json_array_size(J(&r, "items")), 3);
	assert_string_equal(item_lesson(&r, 0),
			    "Unrelated: keep the app small");
	h_resp_free(&r);

	/* Best match first: "locker capacity" is what the first is about. */
	get_ok("/v1/learnings?q=locker%20capacity&tag=zz-search", &r);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	h_resp_free(&r);
	get_ok("/v1/learnings?q=locker%20or%20lockers&tag=zz-search", &r);
	assert_int_equal(json_array_size(J(&r, "items")), 3);
	assert_string_equal(item_lesson(&r, 0),
			    "Lockers fill up with parcels on Mondays; plan "
			    "locker capacity for the weekend peak");
	h_resp_free(&r);
	get_ok("/v1/learnings?q=locker%20-capacity&tag=zz-search", &r);
	assert_int_equal(json_array_size(J(&r, "items")), 2);
	h_resp_free(&r);

	/* Pages of one: every match once, in rank order. */
	snprintf(
		path, sizeof(path),
		"/v1/learnings?q=locker%%20or%%20lockers&tag=zz-search&limit=1");
	do {
		const char *lid;

		get_ok(path, &r);
		assert_int_equal(json_array_size(J(&r, "items")), 1);
		lid = json_string_value(json_object_get(
			json_array_get(J(&r, "items"), 0), "id"));
		assert_null(json_object_get(seen, lid));
		json_object_set_new(seen, lid, json_true());
		pages++;
		if (h_link_next(&r, path, sizeof(path)) == NULL)
			path[0] = '\0';
		h_resp_free(&r);
	} while (path[0] != '\0' && pages < 10);
	assert_int_equal(pages, 3);
	json_decref(seen);

	/* Stop words only match nothing; negations only are refused, as are
	 * an empty or over-long q, a bad tag and an unknown parameter. */
	get_ok("/v1/learnings?q=the%20and", &r);
	assert_int_equal(json_array_size(J(&r, "items")), 0);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/learnings?q=-locker", plain,
			       NULL, NULL, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/learnings?q=", plain, NULL,
			       NULL, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	memset(path, 0, sizeof(path));
	strcpy(path, "/v1/learnings?q=");
	memset(path + strlen(path), 'a', 201);
	assert_int_equal(h_req(&srv, "GET", path, plain, NULL, NULL, &r), 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/learnings?tag=%1B", plain,
			       NULL, NULL, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/learnings?tags=lockers", plain,
			       NULL, NULL, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/learnings?cursor=bad", plain,
			       NULL, NULL, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
}

/* --- related learnings on the labelled set -------------------------------- */

static const char *
member(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

/*
 * tests/fixtures/learnings through the API: each past PR/FAQ archived with
 * its learnings (keys into *lesson_key: lesson text -> fixture key), each
 * new one a draft (ids into *new_ids: fixture key -> id).
 */
static void
load_fixtures(json_t **lesson_key, json_t **new_ids)
{
	json_t *past =
		json_load_file(PRFAQ_FIXTURES "/learnings/past.json", 0, NULL);
	json_t *fresh =
		json_load_file(PRFAQ_FIXTURES "/learnings/new.json", 0, NULL);
	json_t *p, *l;
	size_t i, j;

	assert_non_null(past);
	assert_non_null(fresh);
	*lesson_key = json_object();
	*new_ids = json_object();
	json_array_foreach(json_object_get(past, "prfaqs"), i, p) {
		char id[40];

		create_doc(member(p, "title"), member(p, "headline"),
			   member(p, "problem"), member(p, "solution"), id);
		set_status(id, "archived");
		json_array_foreach(json_object_get(p, "learnings"), j, l) {
			json_t *body = json_deep_copy(l);
			struct h_resp r;
			char path[96];

			json_object_del(body, "key");
			snprintf(path, sizeof(path), "/v1/prfaqs/%s/learnings",
				 id);
			h_req_json(&srv, "POST", path, owner, NULL, body, &r);
			assert_status(&r, 201);
			h_resp_free(&r);
			json_object_set_new(*lesson_key, member(l, "lesson"),
					    json_string(member(l, "key")));
		}
	}
	json_array_foreach(json_object_get(fresh, "prfaqs"), i, p) {
		char id[40];

		create_doc(member(p, "title"), member(p, "headline"),
			   member(p, "problem"), member(p, "solution"), id);
		json_object_set_new(*new_ids, member(p, "key"),
				    json_pack("{s:s, s:O}", "id", id, "related",
					      json_object_get(p, "related")));
	}
	json_decref(past);
	json_decref(fresh);
}

static bool
in_list(const json_t *list, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v) {
		if (strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

/* GET related-learnings of PR/FAQ id as plain; asserts 200, at most ten,
 * best score first, none of PR/FAQ id's own. */
static void
get_related(const char *id, struct h_resp *r)
{
	char path[128];
	double last = 1e9;
	json_t *it;
	size_t i;

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/related-learnings", id);
	get_ok(path, r);
	assert_true(json_array_size(J(r, "items")) <= 10);
	json_array_foreach(J(r, "items"), i, it) {
		double score = json_number_value(json_object_get(it, "score"));

		assert_string_not_equal(
			member(json_object_get(it, "prfaq"), "id"), id);
		assert_true(score > 0 && score <= last);
		last = score;
	}
}

/*
 * The served ranking on the labelled set: a mean average precision (top
 * 10) no lower than the 0.90 scripts/eval-related reports, less a margin
 * for a tie broken the other way; then, once each new PR/FAQ has a learning
 * of its own that repeats its title (the best match there could be), that
 * none of them comes back for its own PR/FAQ, and that the cut at ten
 * happens.
 */
static void
test_related(void **state)
{
	json_t *lesson_key, *new_ids, *doc;
	const char *key;
	double map = 0;
	int ndocs = 0, ten = 0;
	(void)state;

	load_fixtures(&lesson_key, &new_ids);
	json_object_foreach(new_ids, key, doc) {
		const json_t *related = json_object_get(doc, "related");
		double ap = 0;
		int hits = 0;
		struct h_resp r;
		json_t *it;
		size_t i;

		get_related(member(doc, "id"), &r);
		json_array_foreach(J(&r, "items"), i, it) {
			const json_t *k = json_object_get(lesson_key,
							  member(it, "lesson"));

			assert_non_null(k);
			if (in_list(related, json_string_value(k)))
				ap += (double)++hits / (double)(i + 1);
		}
		h_resp_free(&r);
		map += ap / (double)json_array_size(related);
		ndocs++;
	}
	map /= ndocs;
	print_message("related-learnings MAP@10 on the labelled set: %.3f\n",
		      map);
	assert_int_equal(ndocs, 6);
	assert_true(map >= 0.85);

	json_object_foreach(new_ids, key, doc) {
		char path[128], body[512];
		struct h_resp r;

		set_status(member(doc, "id"), "archived");
		snprintf(path, sizeof(path), "/v1/prfaqs/%s",
			 member(doc, "id"));
		get_ok(path, &r);
		snprintf(body, sizeof(body), "{\"lesson\":\"Own: %s\"}",
			 JS(&r, "title"));
		h_resp_free(&r);
		snprintf(path, sizeof(path), "/v1/prfaqs/%s/learnings",
			 member(doc, "id"));
		assert_int_equal(
			h_req(&srv, "POST", path, owner, NULL, body, &r), 0);
		assert_status(&r, 201);
		h_resp_free(&r);
	}
	json_object_foreach(new_ids, key, doc) {
		struct h_resp r;

		get_related(member(doc, "id"), &r);
		ten += json_array_size(J(&r, "items")) == 10;
		h_resp_free(&r);
	}
	assert_true(ten > 0);
	json_decref(lesson_key);
	json_decref(new_ids);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: the labelled set alone in the library. */
		cmocka_unit_test(test_related),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_search),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
