/*
 * test_search.c - every shape of q (issue 14): words, phrases, negations
 * mixed with words, prefixes, words that match nothing; a query of
 * negations only is 400; a search that runs past its own statement timeout
 * is 422 "search too broad"; a search that looks among the newest days
 * first answers as one that does not; and a document too large for the search
 * vector is refused by name (413/422), never 500, while one just under the
 * limit is stored and found.
 */
#include "harness.h"
#include "prfaq/content.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static char *author;

static int
setup(void **state)
{
	(void)state;
	if (h_start(&srv, NULL) != 0)
		return -1;
	author = h_user(&srv, "searcher", "\"author\"", NULL);
	return author != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(author);
	return 0;
}

/* Create a PR/FAQ with this title and no content; its id into id_out. */
static void
create(const char *title, char *id_out)
{
	struct h_resp r;

	h_req_json(&srv, "POST", "/v1/prfaqs", author, NULL,
		   json_pack("{s:s}", "title", title), &r);
	assert_int_equal(r.status, 201);
	snprintf(id_out, 40, "%s",
		 json_string_value(json_object_get(r.json, "id")));
	h_resp_free(&r);
}

/* GET path answers 200 with exactly the n ids of want, in any order. */
static void
assert_finds(const char *path, const char *const *want, size_t n)
{
	struct h_resp r;
	json_t *items, *it;
	size_t i;

	assert_int_equal(h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
	if (r.status != 200)
		fail_msg("%s: %ld %s", path, r.status, r.body);
	items = json_object_get(r.json, "items");
	if (json_array_size(items) != n)
		fail_msg("%s: %zu items, want %zu: %s", path,
			 json_array_size(items), n, r.body);
	json_array_foreach(items, i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		bool found = false;

		for (size_t k = 0; k < n; k++)
			found = found || strcmp(id, want[k]) == 0;
		if (!found)
			fail_msg("%s: unexpected %s", path, id);
	}
	h_resp_free(&r);
}

/* GET path answers a problem with this status whose detail has needle. */
static void
assert_refused(const char *path, long status, const char *needle)
{
	struct h_resp r;
	const char *detail;

	assert_int_equal(h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
	if (r.status != status)
		fail_msg("%s: %ld, want %ld: %s", path, r.status, status,
			 r.body);
	assert_problem(&r, status);
	detail = json_string_value(json_object_get(r.json, "detail"));
	assert_non_null(detail);
	if (strstr(detail, needle) == NULL)
		fail_msg("%s: detail \"%s\" lacks \"%s\"", path, detail,
			 needle);
	h_resp_free(&r);
}

static void
test_every_shape_of_query(void **state)
{
	char a[40], b[40], c[40];

	(void)state;
	create("Quokka zephyr lantern", a);
	create("Zephyr quokka lantern", b);
	create("Quokka marmot", c);

	/* Words, all of them. */
	assert_finds("/v1/prfaqs?q=quokka", (const char *const[]){ a, b, c },
		     3);
	assert_finds("/v1/prfaqs?q=quokka%20lantern",
		     (const char *const[]){ a, b }, 2);
	/* A phrase is its words in that order. */
	assert_finds("/v1/prfaqs?q=%22quokka%20zephyr%22",
		     (const char *const[]){ a }, 1);
	assert_finds("/v1/prfaqs?q=%22zephyr%20quokka%22",
		     (const char *const[]){ b }, 1);
	assert_finds("/v1/prfaqs?q=%22marmot%20quokka%22", NULL, 0);
	/* A negation filters the words' matches. */
	assert_finds("/v1/prfaqs?q=quokka%20-zephyr",
		     (const char *const[]){ c }, 1);
	assert_finds("/v1/prfaqs?q=lantern%20-%22quokka%20zephyr%22",
		     (const char *const[]){ b }, 1);
	/* Prefixes, alone, negated, beside words. */
	assert_finds("/v1/prfaqs?q=quok%2A", (const char *const[]){ a, b, c },
		     3);
	assert_finds("/v1/prfaqs?q=zeph%2A%20-marm%2A",
		     (const char *const[]){ a, b }, 2);
	assert_finds("/v1/prfaqs?q=marm%2A%20quokka",
		     (const char *const[]){ c }, 1);
	assert_finds("/v1/prfaqs?q=quokka%20-marm%2A",
		     (const char *const[]){ a, b }, 2);
	/* Words that match nothing; stop words only. */
	assert_finds("/v1/prfaqs?q=xylographer", NULL, 0);
	assert_finds("/v1/prfaqs?q=quokka%20xylographer", NULL, 0);
	assert_finds("/v1/prfaqs?q=the", NULL, 0);
	/* OR still works. */
	assert_finds("/v1/prfaqs?q=marmot%20or%20zephyr",
		     (const char *const[]){ a, b, c }, 3);
}

static void
test_negations_only_is_400(void **state)
{
	(void)state;
	assert_refused("/v1/prfaqs?q=-quokka", 400, "not negated");
	assert_refused("/v1/prfaqs?q=-quokka%20-zephyr", 400, "not negated");
	assert_refused("/v1/prfaqs?q=-quok%2A", 400, "not negated");
	assert_refused("/v1/prfaqs?q=-%22quokka%20zephyr%22", 400,
		       "not negated");
	/* A stop word does not count as a word. */
	assert_refused("/v1/prfaqs?q=the%20-quokka", 400, "not negated");
	assert_refused("/v1/prfaqs?q=quokka%20or%20-zephyr", 400,
		       "not negated");
}

/*
 * The search's own statement timeout, set at 1 ms: a search over a few
 * thousand candidates cannot finish in it, and answers 422, not 503 or 500,
 * while every other request is unaffected.
 */
static void
test_search_past_its_timeout_is_422(void **state)
{
	static const char *const env[] = { "PRFAQ_SEARCH_TIMEOUT_MS=1", NULL };
	char a[40], sql[1024], *gone;
	struct h_resp r;

	(void)state;
	create("Wombat burrow survey", a);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO prfaqs (owner_id, title, tags, content, quality,"
		 "                    version, updated_at)"
		 " SELECT owner_id, 'Wombat burrow ' || g, tags, content,"
		 "        quality, 1, now() - g * interval '1 minute'"
		 "   FROM prfaqs, generate_series(1, 3000) g WHERE id = '%s'"
		 " RETURNING 1",
		 a);
	free(h_sql(srv.dbname, sql));
	h_kill(&srv, 15);
	assert_int_equal(h_restart(&srv, env), 0);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/prfaqs?q=%22wombat%20burrow%22", author,
			       NULL, NULL, &r),
			 0);
	if (r.status != 422)
		fail_msg("want 422, got %ld %s", r.status, r.body);
	assert_problem(&r, 422);
	assert_non_null(
		strstr(json_string_value(json_object_get(r.json, "detail")),
		       "search too broad"));
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/prfaqs?limit=1", author, NULL,
			       NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	h_resp_free(&r);
	h_kill(&srv, 15);
	assert_int_equal(h_restart(&srv, NULL), 0);
	/* The copies only: the original has versions that refer to it. */
	gone = h_sql(srv.dbname,
		     "DELETE FROM prfaqs WHERE title ~ '^Wombat burrow [0-9]+$'"
		     " RETURNING 1");
	assert_non_null(gone);
	free(gone);
}

/*
 * Every page of path, from the first to the last, as one string of ids in
 * order (malloc'd): what a client paging through the search sees.
 */
static char *
all_pages(const char *path)
{
	char next[1024], *ids = NULL;
	size_t len = 0;

	snprintf(next, sizeof(next), "%s", path);
	for (;;) {
		struct h_resp r;
		json_t *it;
		size_t i;

		assert_int_equal(
			h_req(&srv, "GET", next, author, NULL, NULL, &r), 0);
		if (r.status != 200)
			fail_msg("%s: %ld %s", next, r.status, r.body);
		json_array_foreach(json_object_get(r.json, "items"), i, it) {
			const char *id =
				json_string_value(json_object_get(it, "id"));

			ids = realloc(ids, len + strlen(id) + 2);
			assert_non_null(ids);
			len += (size_t)sprintf(ids + len, "%s ", id);
		}
		if (h_link_next(&r, next, sizeof(next)) == NULL) {
			h_resp_free(&r);
			break;
		}
		h_resp_free(&r);
	}
	return ids != NULL ? ids : calloc(1, 1);
}

/*
 * In a library at least twice PRFAQ_SEARCH_WINDOW documents, a search looks
 * among the newest days first (stmt_search_window) and widens to the whole
 * library when they hold fewer than 1,000 matches.  Neither may change an
 * answer: 3,000 documents an hour apart (125 days), a word in every one
 * (the window holds 1,000), a word in every second (it holds 500: the
 * whole library), one in every tenth, ranked differently by title; every
 * shape of query, and a filter, paged to the end, must come back the same
 * as from a server that never uses a window.
 */
static void
test_the_newest_days_first_change_no_answer(void **state)
{
	static const char *const windowed[] = { "PRFAQ_SEARCH_WINDOW=1000",
						NULL };
	static const char *const whole[] = { "PRFAQ_SEARCH_WINDOW=0", NULL };
	static const char *const paths[] = {
		"/v1/prfaqs?limit=100&q=kestrel",
		"/v1/prfaqs?limit=100&q=osprey",
		"/v1/prfaqs?limit=100&q=heron",
		"/v1/prfaqs?limit=100&q=%22kestrel%20survey%22",
		"/v1/prfaqs?limit=100&q=kestrel%20-osprey",
		"/v1/prfaqs?limit=100&q=kestr%2A",
		"/v1/prfaqs?limit=100&q=kestrel&status=draft",
		"/v1/prfaqs?limit=100&q=kestrel%20or%20heron",
	};
	enum { NPATHS = sizeof(paths) / sizeof(paths[0]) };
	char a[40], sql[1024], *first[NPATHS], *gone;

	(void)state;
	create("Kestrel seed", a);
	snprintf(
		sql, sizeof(sql),
		"INSERT INTO prfaqs (owner_id, title, tags, content, quality,"
		"                    version, updated_at)"
		" SELECT owner_id,"
		"        'Kestrel survey ' || g"
		"        || CASE WHEN g %% 3 = 0 THEN ' kestrel kestrel' ELSE '' END"
		"        || CASE WHEN g %% 2 = 0 THEN ' osprey' ELSE '' END"
		"        || CASE WHEN g %% 10 = 0 THEN ' heron' ELSE '' END,"
		"        tags, content, quality, 1,"
		"        now() - g * interval '1 hour'"
		"   FROM prfaqs, generate_series(1, 3000) g WHERE id = '%s'"
		" RETURNING 1",
		a);
	free(h_sql(srv.dbname, sql));
	/* The window needs the library's size, as ANALYZE last saw it. */
	free(h_sql(srv.dbname, "ANALYZE prfaqs"));
	h_kill(&srv, 15);
	assert_int_equal(h_restart(&srv, windowed), 0);
	for (size_t i = 0; i < NPATHS; i++)
		first[i] = all_pages(paths[i]);
	h_kill(&srv, 15);
	assert_int_equal(h_restart(&srv, whole), 0);
	for (size_t i = 0; i < NPATHS; i++) {
		char *again = all_pages(paths[i]);

		if (strcmp(first[i], again) != 0)
			fail_msg("%s: the window changed the answer", paths[i]);
		/* The searches found what they should, all 1,000 of the
		 * newest candidates for the word in every document. */
		if (i == 0 && strlen(again) != 1000 * 37)
			fail_msg("%s: %zu ids, want 1000", paths[i],
				 strlen(again) / 37);
		free(again);
		free(first[i]);
	}
	h_kill(&srv, 15);
	assert_int_equal(h_restart(&srv, NULL), 0);
	gone = h_sql(srv.dbname,
		     "DELETE FROM prfaqs WHERE title LIKE 'Kestrel survey %'"
		     " RETURNING 1");
	assert_non_null(gone);
	free(gone);
}

/*
 * A document whose answers are n FAQ entries of len characters of distinct
 * words (the worst case for the search vector: every word a lexeme of its
 * own), the last word of the last answer being marker.
 */
static json_t *
big_doc(const char *title, size_t n, size_t len, const char *marker)
{
	json_t *ext = json_array();
	unsigned w = 0;

	for (size_t i = 0; i < n; i++) {
		char *answer = malloc(len + 1), q[64];
		size_t k = 0;

		assert_non_null(answer);
		while (k + 7 <= len) {
			unsigned x = w++;

			answer[k++] = 'v';
			for (int d = 0; d < 5; d++, x /= 26)
				answer[k++] = (char)('a' + x % 26);
			answer[k++] = ' ';
		}
		while (k < len)
			answer[k++] = 'x';
		answer[len] = '\0';
		if (i == n - 1)
			memcpy(answer + len - strlen(marker), marker,
			       strlen(marker));
		snprintf(q, sizeof(q), "Question %zu?", i);
		json_array_append_new(ext, json_pack("{s:s, s:s}", "question",
						     q, "answer", answer));
		free(answer);
	}
	return json_pack("{s:s, s:{s:{s:o}}}", "title", title, "content", "faq",
			 "external", ext);
}

/*
 * 48 answers of 19,900 characters (957 KB, each within its limit) made
 * PostgreSQL fail with "string is too long for tsvector" (500); now they
 * are refused by name at write and in lint.  26 such answers (just under
 * the limit) are stored and found.
 */
static void
test_text_over_the_search_limit_is_413(void **state)
{
	json_t *doc = big_doc("Enormous FAQ", 48, 19900, " zanzibarquux");
	json_t *content = json_incref(json_object_get(doc, "content"));
	char id[40], want[32];
	struct h_resp r;

	(void)state;
	snprintf(want, sizeof(want), "%d bytes", PRFAQ_SEARCH_TEXT_MAX);
	h_req_json(&srv, "POST", "/v1/prfaqs", author, NULL, doc, &r);
	if (r.status != 413)
		fail_msg("create: %ld %.300s", r.status, r.body);
	assert_problem(&r, 413);
	assert_non_null(strstr(
		json_string_value(json_object_get(r.json, "detail")), want));
	h_resp_free(&r);
	h_req_json(&srv, "POST", "/v1/lint", author, NULL,
		   json_pack("{s:o}", "content", content), &r);
	if (r.status != 413)
		fail_msg("lint: %ld %.300s", r.status, r.body);
	assert_problem(&r, 413);
	h_resp_free(&r);

	doc = big_doc("Large FAQ", 26, 19900, " zanzibarquux");
	h_req_json(&srv, "POST", "/v1/prfaqs", author, NULL, doc, &r);
	if (r.status != 201)
		fail_msg("create under the limit: %ld %.300s", r.status,
			 r.body);
	snprintf(id, sizeof(id), "%s",
		 json_string_value(json_object_get(r.json, "id")));
	h_resp_free(&r);
	assert_finds("/v1/prfaqs?q=zanzibarquux", (const char *const[]){ id },
		     1);
	assert_finds("/v1/prfaqs?q=zanzibarq%2A", (const char *const[]){ id },
		     1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_shape_of_query),
		cmocka_unit_test(test_negations_only_is_400),
		cmocka_unit_test(test_search_past_its_timeout_is_422),
		cmocka_unit_test(test_the_newest_days_first_change_no_answer),
		cmocka_unit_test(test_text_over_the_search_limit_is_413),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
