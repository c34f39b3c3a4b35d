/*
 * test_races.c - two prfaqd instances on one database, and requests that
 * race through both.
 *
 * Conflicting writes are released together (a barrier) and spread over the
 * two servers, so that nothing in one process (a mutex, a cache) can be what
 * serialises them: only the database can.  Round after round:
 *   - PUTs and PATCHes with the same If-Match: exactly one wins (200), the
 *     others get 412, and the document holds the winner's text;
 *   - decisions and withdrawals of a document in review: exactly one
 *     transition wins, the others get 409;
 *   - submissions of a draft: exactly one wins, the others get 409.
 * Finally the audit trail (GET /v1/prfaqs/{id}/events), replayed through the
 * workflow, must be a valid history that ends in the document's status and
 * holds exactly one event per transition that was answered 200.
 */
#include "harness.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOTS_MAX 8

static struct h_server a, b; /* b serves a's database */
static char *author, *approver1, *approver2, *reviewer;
static char *strong;

static int
setup(void **state)
{
	const char *env[] = { "PRFAQ_THREADS=4", NULL };

	if (h_start(&a, env) != 0)
		return -1;
	/* A second instance on the same database, as behind a load balancer. */
	memset(&b, 0, sizeof(b));
	strcpy(b.conninfo, a.conninfo);
	strcpy(b.admin_token, a.admin_token);
	snprintf(b.log_path, sizeof(b.log_path), "%s_b.log", a.dbname);
	b.port = h_free_port();
	if (h_restart(&b, env) != 0)
		return -1;
	author = h_user(&a, "Owner", "\"author\"", NULL);
	approver1 = h_user(&a, "Approver1", "\"approver\"", NULL);
	approver2 = h_user(&b, "Approver2", "\"approver\"", NULL);
	reviewer = h_user(&b, "Reviewer", "\"reviewer\"", NULL);
	strong = h_read_file(PRFAQ_FIXTURES "/strong.json");
	return author && approver1 && approver2 && reviewer && strong ? 0 : -1;
}

static int
teardown(void **state)
{
	h_stop(&b); /* no database of its own to drop */
	h_stop(&a);
	free(author);
	free(approver1);
	free(approver2);
	free(reviewer);
	free(strong);
	return 0;
}

/* --- firing requests at once ------------------------------------------- */

struct shot {
	struct h_server *srv;
	const char *method;
	char path[128];
	const char *token;
	char ifmatch[48]; /* an If-Match header, or "" */
	const char *type; /* a Content-Type header, or NULL */
	char *body;	  /* owned */
	const char *tag;  /* what the shot is, for the checks */
	pthread_barrier_t *go;
	pthread_t thread;
	struct h_resp r;
	int rc;
};

static void *
shot_main(void *arg)
{
	struct shot *s = arg;
	const char *hdr[3] = { NULL, NULL, NULL };
	int n = 0;

	if (s->ifmatch[0] != '\0')
		hdr[n++] = s->ifmatch;
	if (s->type != NULL)
		hdr[n++] = s->type;
	pthread_barrier_wait(s->go);
	s->rc = h_req(s->srv, s->method, s->path, s->token, hdr, s->body,
		      &s->r);
	return NULL;
}

/* Release all shots together; wait for every answer. */
static void
fire(struct shot *shots, int n)
{
	pthread_barrier_t go;

	assert_int_equal(pthread_barrier_init(&go, NULL, (unsigned)n), 0);
	for (int i = 0; i < n; i++) {
		shots[i].go = &go;
		assert_int_equal(pthread_create(&shots[i].thread, NULL,
						shot_main, &shots[i]),
				 0);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(shots[i].thread, NULL);
		assert_int_equal(shots[i].rc, 0);
	}
	pthread_barrier_destroy(&go);
}

static void
shots_free(struct shot *shots, int n)
{
	for (int i = 0; i < n; i++) {
		h_resp_free(&shots[i].r);
		free(shots[i].body);
	}
}

/*
 * Exactly one shot answered 200 and every other one lose_status; returns the
 * winner.
 */
static struct shot *
one_winner2(struct shot *shots, int n, int lose_status, int lose_status2)
{
	struct shot *winner = NULL;

	for (int i = 0; i < n; i++) {
		if (shots[i].r.status == 200) {
			if (winner != NULL)
				fail_msg("two winners: %s and %s", winner->tag,
					 shots[i].tag);
			winner = &shots[i];
		} else if (shots[i].r.status != lose_status &&
			   shots[i].r.status != lose_status2) {
			fail_msg("%s: status %ld, want 200 or %d: %.300s",
				 shots[i].tag, shots[i].r.status, lose_status,
				 shots[i].r.body);
		}
	}
	if (winner == NULL)
		fail_msg("no winner among %d", n);
	return winner;
}

static struct shot *
one_winner(struct shot *shots, int n, int lose_status)
{
	return one_winner2(shots, n, lose_status, lose_status);
}

static struct shot
make_shot(struct h_server *srv, const char *method, const char *id,
	  const char *suffix, const char *token, const char *tag)
{
	struct shot s;

	memset(&s, 0, sizeof(s));
	s.srv = srv;
	s.method = method;
	snprintf(s.path, sizeof(s.path), "/v1/prfaqs/%s%s", id, suffix);
	s.token = token;
	s.tag = tag;
	return s;
}

/* --- helpers ------------------------------------------------------------ */

static void
create(struct h_server *srv, const char *content, char *id_out)
{
	struct h_resp r;

	assert_int_equal(
		h_reqf(srv, "POST", "/v1/prfaqs", author, &r,
		       "{\"title\":\"Race\",\"team\":\"races\",\"content\":%s}",
		       content),
		0);
	assert_status(&r, 201);
	strcpy(id_out, JS(&r, "id"));
	h_resp_free(&r);
}

/* GET the document through srv; its JSON, with its version from the ETag. */
static json_t *
get_doc(struct h_server *srv, const char *id, int *version)
{
	char path[128], etag[32];
	struct h_resp r;
	json_t *doc;

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	assert_int_equal(h_req(srv, "GET", path, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_non_null(h_header(&r, "ETag", etag, sizeof(etag)));
	*version = atoi(etag + 1);
	doc = json_incref(r.json);
	h_resp_free(&r);
	return doc;
}

static void
post_ok(struct h_server *srv, const char *token, const char *id,
	const char *suffix, const char *body, int want)
{
	char path[128];
	struct h_resp r;

	snprintf(path, sizeof(path), "/v1/prfaqs/%s%s", id, suffix);
	assert_int_equal(h_req(srv, "POST", path, token, NULL, body, &r), 0);
	assert_status(&r, want);
	h_resp_free(&r);
}

/* --- the tests ---------------------------------------------------------- */

static void
test_same_if_match_exactly_one_wins(void **state)
{
	enum { ROUNDS = 15, N = 8 };
	char id[40], path[160];
	int version;
	json_t *doc;
	struct h_resp r;

	create(&a, "{}", id);
	for (int round = 0; round < ROUNDS; round++) {
		struct shot shots[N], *w;
		char tags[N][32];

		doc = get_doc(round % 2 ? &a : &b, id, &version);
		json_decref(doc);
		assert_int_equal(version, round + 1);
		for (int i = 0; i < N; i++) {
			bool patch = i % 2;

			snprintf(tags[i], sizeof(tags[i]), "r%d-%s-%d", round,
				 patch ? "patch" : "put", i);
			/* Alternate servers, so that only the database decides. */
			shots[i] = make_shot(i % 4 < 2 ? &a : &b,
					     patch ? "PATCH" : "PUT", id, "",
					     author, tags[i]);
			snprintf(shots[i].ifmatch, sizeof(shots[i].ifmatch),
				 "If-Match: \"%d\"", version);
			if (patch)
				shots[i].type =
					"Content-Type: application/merge-patch+json";
			if (asprintf(
				    &shots[i].body,
				    "{\"title\":\"%s\",\"content\":{\"press_release\":"
				    "{\"headline\":\"%s\"}},\"change_note\":\"%s\"}",
				    tags[i], tags[i], tags[i]) < 0)
				fail();
		}
		fire(shots, N);
		w = one_winner(shots, N, 412);
		/* Both servers see the winner's text, and only one new version. */
		for (int k = 0; k < 2; k++) {
			doc = get_doc(k ? &b : &a, id, &version);
			assert_int_equal(version, round + 2);
			assert_string_equal(json_string_value(json_object_get(
						    doc, "title")),
					    w->tag);
			json_decref(doc);
		}
		shots_free(shots, N);
	}
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/versions?limit=100", id);
	assert_int_equal(h_req(&b, "GET", path, author, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), ROUNDS + 1);
	h_resp_free(&r);
}

/*
 * Replay the audit trail of id through the workflow: every transition event
 * must be allowed from the status before it; the last status must be the
 * document's.  Returns the number of transition events.
 */
static int
replay_events(const char *id, const char *final_status)
{
	char path[512], status[16] = "";
	int transitions = 0;
	char *cursor = NULL;

	for (;;) {
		struct h_resp r;
		json_t *items, *ev;
		size_t i;

		snprintf(path, sizeof(path),
			 "/v1/prfaqs/%s/events?limit=100%s%s", id,
			 cursor ? "&cursor=" : "", cursor ? cursor : "");
		free(cursor);
		cursor = NULL;
		assert_int_equal(h_req(&a, "GET", path, author, NULL, NULL, &r),
				 0);
		assert_status(&r, 200);
		items = J(&r, "items");
		json_array_foreach(items, i, ev) {
			const char *type =
				json_string_value(json_object_get(ev, "type"));
			const char *want = NULL, *to = NULL;

			if (strcmp(type, "created") == 0) {
				assert_string_equal(status, "");
				strcpy(status, "draft");
				continue;
			}
			if (strcmp(type, "submitted") == 0)
				want = "draft", to = "in_review";
			else if (strcmp(type, "withdrawn") == 0)
				want = "in_review", to = "draft";
			else if (strcmp(type, "decided") == 0)
				want = "in_review",
				to = json_string_value(json_object_get(
					json_object_get(ev, "data"),
					"outcome"));
			else if (strcmp(type, "reopened") == 0)
				to = "draft"; /* from approved or rejected */
			else
				continue; /* revised, reviewed, ... */
			if (want != NULL && strcmp(status, want) != 0)
				fail_msg("event %zu \"%s\" from status %s", i,
					 type, status);
			if (want == NULL && strcmp(status, "approved") != 0 &&
			    strcmp(status, "rejected") != 0)
				fail_msg(
					"event %zu \"reopened\" from status %s",
					i, status);
			assert_non_null(to);
			snprintf(status, sizeof(status), "%s", to);
			transitions++;
		}
		if (json_is_string(J(&r, "next_cursor")))
			cursor = strdup(JS(&r, "next_cursor"));
		h_resp_free(&r);
		if (cursor == NULL)
			break;
	}
	assert_string_equal(status, final_status);
	return transitions;
}

static void
test_transitions_exactly_one_wins(void **state)
{
	enum { ROUNDS = 8, N = 6 };
	static const char *const decision_approve =
		"{\"outcome\":\"approved\",\"rationale\":\"Ship it\"}";
	static const char *const decision_reject =
		"{\"outcome\":\"rejected\",\"rationale\":\"Not now\"}";
	char id[40];
	int version, won = 0;
	json_t *doc;

	create(&a, strong, id);
	for (int round = 0; round < ROUNDS; round++) {
		struct shot shots[N], *w;
		const char *want;

		/* From draft, only submissions: exactly one goes through. */
		for (int i = 0; i < N; i++)
			shots[i] = make_shot(
				i % 2 ? &b : &a, "POST", id, "/submit", author,
				i % 2 ? "submit via b" : "submit via a");
		fire(shots, N);
		w = one_winner(shots, N, 409);
		assert_string_equal(JS(&w->r, "status"), "in_review");
		shots_free(shots, N);
		won++;
		post_ok(&b, reviewer, id, "/reviews",
			"{\"verdict\":\"approve\",\"summary\":\"Clear and complete\"}",
			201);

		/*
		 * An edit against an approval of the version it replaces: the
		 * edit makes the approval stale (no decision), a decision ends
		 * the editing (409); never both.
		 */
		doc = get_doc(&a, id, &version);
		for (int i = 0; i < 4; i++) {
			bool edit = i < 2;

			shots[i] = make_shot(i % 2 ? &b : &a,
					     edit ? "PUT" : "POST", id,
					     edit ? "" : "/decision",
					     edit ? author : approver1,
					     edit ? "edit" : "approved");
			if (edit) {
				/* A real change: an unchanged PUT is a no-op. */
				char title[32];
				json_t *body;

				snprintf(title, sizeof(title), "Race, edit %d",
					 round);
				body = json_pack(
					"{s:s, s:s, s:O}", "title", title,
					"team", "races", "content",
					json_object_get(doc, "content"));

				shots[i].body = json_dumps(body, JSON_COMPACT);
				json_decref(body);
				snprintf(shots[i].ifmatch,
					 sizeof(shots[i].ifmatch),
					 "If-Match: \"%d\"", version);
			} else {
				shots[i].body = strdup(decision_approve);
			}
		}
		json_decref(doc);
		fire(shots, 4);
		w = one_winner2(shots, 4, 409, 412);
		print_message("round %d: edit or decision: %s won\n", round,
			      w->tag);
		if (strcmp(w->tag, "approved") == 0) {
			assert_string_equal(JS(&w->r, "status"), "approved");
			shots_free(shots, 4);
			won++;
			post_ok(&b, author, id, "/reopen", NULL, 200);
			won++;
			continue;
		}
		doc = get_doc(&b, id, &version);
		assert_string_equal(
			json_string_value(json_object_get(doc, "status")),
			"in_review");
		json_decref(doc);
		shots_free(shots, 4);
		post_ok(&a, reviewer, id, "/reviews",
			"{\"verdict\":\"approve\",\"summary\":\"Still good\"}",
			201);

		/*
		 * From in_review: approve, reject and withdraw all leave it, and
		 * none is allowed where another leads.
		 */
		shots[0] = make_shot(&a, "POST", id, "/decision", approver1,
				     "approved");
		shots[0].body = strdup(decision_approve);
		shots[1] = make_shot(&b, "POST", id, "/decision", approver2,
				     "rejected");
		shots[1].body = strdup(decision_reject);
		shots[2] =
			make_shot(&b, "POST", id, "/withdraw", author, "draft");
		shots[3] =
			make_shot(&a, "POST", id, "/withdraw", author, "draft");
		shots[4] = make_shot(&b, "POST", id, "/decision", approver1,
				     "approved");
		shots[4].body = strdup(decision_approve);
		shots[5] = make_shot(&a, "POST", id, "/decision", approver2,
				     "rejected");
		shots[5].body = strdup(decision_reject);
		fire(shots, N);
		w = one_winner(shots, N, 409);
		want = w->tag;
		print_message("round %d: %s won\n", round, want);
		assert_string_equal(JS(&w->r, "status"), want);
		won++;
		/* Both servers agree on the outcome. */
		for (int k = 0; k < 2; k++) {
			doc = get_doc(k ? &b : &a, id, &version);
			assert_string_equal(json_string_value(json_object_get(
						    doc, "status")),
					    want);
			if (strcmp(want, "draft") != 0)
				assert_string_equal(
					json_string_value(json_object_get(
						json_object_get(doc, "decision"),
						"outcome")),
					want);
			json_decref(doc);
		}
		shots_free(shots, N);
		if (strcmp(want, "draft") != 0) {
			post_ok(&a, author, id, "/reopen", NULL, 200);
			won++;
		}
	}
	doc = get_doc(&a, id, &version);
	assert_int_equal(replay_events(id, json_string_value(json_object_get(
						   doc, "status"))),
			 won);
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_if_match_exactly_one_wins),
		cmocka_unit_test(test_transitions_exactly_one_wins),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
