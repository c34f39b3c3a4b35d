/*
 * test_hostile_refusals.c - refusals that must hold however a client spells
 * or sizes its request (issue 14): an id in upper case is the same id (a
 * token revoked by it stops working at once, a reviewer listed twice in two
 * cases is listed twice), and an error list stays small however many
 * problems a body has; and the access log says why a request was refused.
 */
#include "harness.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct h_server srv;
static char *strong; /* tests/fixtures/strong.json: no quality errors */

static int
setup(void **state)
{
	/*
	 * The longest cache life there is: a revoked token that lingered in
	 * the cache would keep working for the whole test.
	 */
	static const char *const env[] = { "PRFAQ_AUTH_CACHE_TTL=60", NULL };

	if (h_start(&srv, env) != 0)
		return -1;
	strong = h_read_file(PRFAQ_FIXTURES "/strong.json");
	return strong != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	h_stop(&srv);
	free(strong);
	return 0;
}

static void
upper(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* GET /v1/me with token; returns the status. */
static long
me_status(const char *token)
{
	struct h_resp r;
	long status;

	assert_int_equal(h_req(&srv, "GET", "/v1/me", token, NULL, NULL, &r),
			 0);
	status = r.status;
	h_resp_free(&r);
	return status;
}

/* A new token for user_id, made by the admin; its id into tid. */
static char *
new_token(const char *user_id, char *tid)
{
	char path[128], *token;
	struct h_resp r;

	snprintf(path, sizeof(path), "/v1/users/%s/tokens", user_id);
	assert_int_equal(
		h_req(&srv, "POST", path, srv.admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 201);
	token = strdup(JS(&r, "token"));
	snprintf(tid, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
	return token;
}

/*
 * Revoking a token by its id in upper case revokes it on this instance at
 * once, not when its cache entry expires a minute later; so does mixed case,
 * by the token itself.
 */
static void
test_revoke_by_uppercase_id(void **state)
{
	char uid[40], tid[40], path[128];
	char *first = h_user(&srv, "Rory", "\"author\"", uid);
	char *t;
	struct h_resp r;

	assert_non_null(first);
	t = new_token(uid, tid);
	/* Used, and so cached. */
	assert_int_equal(me_status(t), 200);
	assert_int_equal(me_status(t), 200);
	upper(tid);
	snprintf(path, sizeof(path), "/v1/tokens/%s", tid);
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 204);
	h_resp_free(&r);
	assert_int_equal(me_status(t), 401);
	/* Gone means gone, in any case. */
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 404);
	h_resp_free(&r);
	free(t);

	/* A token revoking itself by a mixed-case id. */
	t = new_token(uid, tid);
	assert_int_equal(me_status(t), 200);
	for (size_t i = 0; tid[i] != '\0'; i += 2)
		tid[i] = (char)toupper((unsigned char)tid[i]);
	snprintf(path, sizeof(path), "/v1/tokens/%s", tid);
	assert_int_equal(h_req(&srv, "DELETE", path, t, NULL, NULL, &r), 0);
	assert_status(&r, 204);
	h_resp_free(&r);
	assert_int_equal(me_status(t), 401);
	/* The user's first token was not touched. */
	assert_int_equal(me_status(first), 200);
	free(t);
	free(first);
}

/* The same reviewer in two cases is the same reviewer, listed twice. */
static void
test_reviewer_listed_twice_in_two_cases(void **state)
{
	char author_id[40], rid[40], rid_upper[40], id[40], path[160],
		body[256];
	char *author = h_user(&srv, "Ada", "\"author\"", author_id);
	char *reviewer = h_user(&srv, "Rex", "\"reviewer\"", rid);
	struct h_resp r;
	json_t *errors;

	assert_non_null(author);
	assert_non_null(reviewer);
	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
				"{\"title\":\"Twice\",\"content\":%s}", strong),
			 0);
	assert_status(&r, 201);
	snprintf(id, sizeof(id), "%s", JS(&r, "id"));
	h_resp_free(&r);
	snprintf(rid_upper, sizeof(rid_upper), "%s", rid);
	upper(rid_upper);
	snprintf(path, sizeof(path), "/v1/prfaqs/%s/submit", id);
	snprintf(body, sizeof(body), "{\"reviewers\":[\"%s\",\"%s\"]}", rid,
		 rid_upper);
	assert_int_equal(h_req(&srv, "POST", path, author, NULL, body, &r), 0);
	assert_status(&r, 400);
	errors = J(&r, "errors");
	assert_int_equal(json_array_size(errors), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(errors, 0), "pointer")),
			    "/reviewers/1");
	h_resp_free(&r);
	/* Listed once, in upper case: a reviewer like any other. */
	snprintf(body, sizeof(body), "{\"reviewers\":[\"%s\"]}", rid_upper);
	assert_int_equal(h_req(&srv, "POST", path, author, NULL, body, &r), 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	free(author);
	free(reviewer);
}

/* {"<prefix>k0":1, ... } with n unknown members, then rest (may be ""). */
static char *
many_members(size_t n, const char *rest)
{
	size_t cap = n * 16 + strlen(rest) + 4, len = 0;
	char *b = malloc(cap);

	assert_non_null(b);
	b[len++] = '{';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(b + len, cap - len, "%s\"k%zu\":1",
					i ? "," : "", i);
	len += (size_t)snprintf(b + len, cap - len, "%s%s}",
				n && rest[0] ? "," : "", rest);
	return b;
}

/* A 400 whose errors list holds want entries, truncated when expected. */
static void
expect_capped(const char *method, const char *path, const char *token,
	      const char *body, size_t want, bool truncated)
{
	struct h_resp r;

	assert_int_equal(h_req(&srv, method, path, token, NULL, body, &r), 0);
	assert_status(&r, 400);
	assert_int_equal(json_array_size(J(&r, "errors")), want);
	if (truncated) {
		assert_true(json_is_true(J(&r, "truncated")));
		/* 9,990 unknown members once took a 479 KB answer. */
		assert_true(r.len < 8192);
	} else {
		assert_null(J(&r, "truncated"));
	}
	h_resp_free(&r);
}

/*
 * Every errors list stops at 50 entries and says it was truncated: unknown
 * members at the top of a body, inside the content, and problems of both
 * kinds together.
 */
static void
test_error_list_capped(void **state)
{
	char *author = h_user(&srv, "Cap", "\"author\"", NULL);
	char *body, *content, rest[64];
	struct h_resp r;

	assert_non_null(author);
	/* 9,990 unknown keys beside a valid document. */
	body = many_members(9990, "\"title\":\"t\"");
	expect_capped("POST", "/v1/prfaqs", author, body, 50, true);
	expect_capped("POST", "/v1/users", srv.admin_token, body, 50, true);
	expect_capped("POST", "/v1/webhooks", srv.admin_token, body, 50, true);
	expect_capped("POST", "/v1/lint", author, body, 50, true);
	free(body);
	/* Exactly 50: all listed, nothing left out. */
	body = many_members(50, "\"title\":\"t\"");
	expect_capped("POST", "/v1/prfaqs", author, body, 50, false);
	free(body);
	/* Inside the content, and spread over the body and its content. */
	content = many_members(9990, "");
	assert_true(asprintf(&body, "{\"title\":\"t\",\"content\":%s}",
			     content) > 0);
	expect_capped("POST", "/v1/prfaqs", author, body, 50, true);
	free(body);
	snprintf(rest, sizeof(rest), "\"title\":\"t\",\"content\":%s",
		 "{\"x\":1}");
	body = many_members(30, rest);
	expect_capped("POST", "/v1/prfaqs", author, body, 31, false);
	free(body);
	/* Two at the top, 9,990 in the content: 50 in all. */
	assert_true(asprintf(&body,
			     "{\"a1\":1,\"a2\":2,\"title\":\"t\","
			     "\"content\":%s}",
			     content) > 0);
	expect_capped("POST", "/v1/prfaqs", author, body, 50, true);
	free(body);
	free(content);
	/* And the server is fine. */
	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	free(author);
}

/*
 * The access-log line of the request with X-Request-Id rid, parsed; NULL
 * if none appears within 5 s (the line is written once the reply is sent).
 */
static json_t *
access_line(const char *rid)
{
	for (double end = h_now_ms() + 5000; h_now_ms() < end; usleep(20000)) {
		char *log = h_read_file(srv.log_path);
		json_t *found = NULL;

		for (char *line = log ? strtok(log, "\n") : NULL;
		     line != NULL && found == NULL; line = strtok(NULL, "\n")) {
			json_t *j = json_loads(line, 0, NULL);
			const char *msg =
				json_string_value(json_object_get(j, "msg"));
			const char *id = json_string_value(
				json_object_get(j, "request_id"));

			if (msg && id && strcmp(msg, "request") == 0 &&
			    strcmp(id, rid) == 0)
				found = json_incref(j);
			json_decref(j);
		}
		free(log);
		if (found != NULL)
			return found;
	}
	return NULL;
}

/* method path as token with X-Request-Id rid: the logged problem, or NULL. */
static void
expect_logged_problem(const char *method, const char *path, const char *token,
		      const char *body, const char *rid, long status,
		      const char *problem)
{
	char hdr[96];
	const char *headers[] = { hdr, NULL };
	struct h_resp r;
	json_t *line;

	snprintf(hdr, sizeof(hdr), "X-Request-Id: %s", rid);
	assert_int_equal(h_req(&srv, method, path, token, headers, body, &r),
			 0);
	assert_int_equal(r.status, status);
	h_resp_free(&r);
	line = access_line(rid);
	assert_non_null(line);
	assert_int_equal(json_integer_value(json_object_get(line, "status")),
			 status);
	if (problem == NULL)
		assert_null(json_object_get(line, "problem"));
	else
		assert_string_equal(
			json_string_value(json_object_get(line, "problem")),
			problem);
	json_decref(line);
}

/* A refused request's access-log line says why: the problem type. */
static void
test_access_log_names_the_problem(void **state)
{
	char *author = h_user(&srv, "Logan", "\"author\"", NULL);

	assert_non_null(author);
	expect_logged_problem("GET", "/v1/me", author, NULL, "hard1-ok", 200,
			      NULL);
	expect_logged_problem("GET", "/v1/me", NULL, NULL, "hard1-401", 401,
			      "unauthorized");
	expect_logged_problem("POST", "/v1/prfaqs", author, "{\"colour\":1}",
			      "hard1-400", 400, "bad-request");
	expect_logged_problem("GET", "/v1/webhooks", author, NULL, "hard1-403",
			      403, "forbidden");
	expect_logged_problem("GET", "/v1/nowhere", author, NULL, "hard1-404",
			      404, "not-found");
	expect_logged_problem("DELETE", "/healthz", NULL, NULL, "hard1-405",
			      405, "method-not-allowed");
	free(author);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revoke_by_uppercase_id),
		cmocka_unit_test(test_reviewer_listed_twice_in_two_cases),
		cmocka_unit_test(test_error_list_capped),
		cmocka_unit_test(test_access_log_names_the_problem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
