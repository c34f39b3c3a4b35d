/*
 * test_user_admin.c - managing users after creation (issue 15): PATCH
 * /v1/users/{id} (rename, roles, deactivation at once on this instance, the
 * admin who cannot lock themself out), token names and expiry (an expired
 * token is 401, and a cached entry never outlives its token), GET
 * /v1/users/{id}/tokens (never a secret), and `prfaqd create-token --name N
 * --replace`, which keeps scripts/run to one live admin token.
 *
 * The server runs with a 60 s auth cache, so a token that keeps working
 * after its user is deactivated or it expires would be caught here.
 */
#include "harness.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct h_server srv;

static const char *const merge_patch[] = {
	"Content-Type: application/merge-patch+json", NULL
};

static int
setup(void **state)
{
	static const char *const env[] = { "PRFAQ_AUTH_CACHE_TTL=60", NULL };

	return h_start(&srv, env) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	h_stop(&srv);
	return 0;
}

/* GET path with token; the status. */
static long
status_of(const char *method, const char *path, const char *token)
{
	struct h_resp r;
	long st;

	assert_int_equal(h_req(&srv, method, path, token, NULL, NULL, &r), 0);
	st = r.status;
	h_resp_free(&r);
	return st;
}

/* PATCH /v1/users/{id} with body as caller; the answer into *r. */
static void
patch_user(const char *id, const char *caller, const char *body,
	   struct h_resp *r)
{
	char path[128];

	snprintf(path, sizeof(path), "/v1/users/%s", id);
	assert_int_equal(
		h_req(&srv, "PATCH", path, caller, merge_patch, body, r), 0);
}

/* Does the problem name this JSON Pointer among its errors? */
/* POST /v1/users/{id}/tokens with body (may be NULL); asserts 201. */
static char *
token_for(const char *user_id, const char *body, char *id_out)
{
	struct h_resp r;
	char path[128], *token;

	snprintf(path, sizeof(path), "/v1/users/%s/tokens", user_id);
	assert_int_equal(
		h_req(&srv, "POST", path, srv.admin_token, NULL, body, &r), 0);
	assert_status(&r, 201);
	token = strdup(JS(&r, "token"));
	if (id_out != NULL)
		snprintf(id_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
	return token;
}

static void
test_get_user_shows_active(void **state)
{
	char id[40], path[128];
	char *t = h_user(&srv, "shown", "\"author\"", id);
	struct h_resp r;

	assert_non_null(t);
	snprintf(path, sizeof(path), "/v1/users/%s", id);
	assert_int_equal(
		h_req(&srv, "GET", path, srv.admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_true(json_is_true(J(&r, "active")));
	assert_true(h_is_rfc3339_utc(JS(&r, "created_at")));
	assert_non_null(JS(&r, "email"));
	h_resp_free(&r);
	free(t);
}

static void
test_patch_renames_and_changes_roles_at_once(void **state)
{
	char id[40];
	char *t = h_user(&srv, "patched", "\"author\"", id);
	struct h_resp r;

	/* Cached as an author ... */
	assert_int_equal(h_req(&srv, "GET", "/v1/me", t, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "roles")), 1);
	h_resp_free(&r);
	patch_user(
		id, srv.admin_token,
		"{\"name\":\"Renamed\",\"roles\":[\"reviewer\",\"analyst\"]}",
		&r);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "name"), "Renamed");
	assert_int_equal(json_array_size(J(&r, "roles")), 2);
	assert_true(json_is_true(J(&r, "active")));
	h_resp_free(&r);
	/* ... and the next request already has the new roles. */
	assert_int_equal(h_req(&srv, "GET", "/v1/me", t, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "name"), "Renamed");
	assert_int_equal(json_array_size(J(&r, "roles")), 2);
	assert_string_equal(
		json_string_value(json_array_get(J(&r, "roles"), 0)),
		"reviewer");
	h_resp_free(&r);
	/* An empty patch changes nothing and answers the user. */
	patch_user(id, srv.admin_token, "{}", &r);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "name"), "Renamed");
	h_resp_free(&r);
	free(t);
}

static void
test_patch_rules(void **state)
{
	char id[40], admin_id[40];
	char *t = h_user(&srv, "ruled", "\"author\"", id);
	char *admin2 = h_user(&srv, "admin2", "\"admin\"", admin_id);
	struct h_resp r;

	/* Only admins, and only known users. */
	patch_user(id, t, "{\"name\":\"Mine\"}", &r);
	assert_problem(&r, 403);
	h_resp_free(&r);
	patch_user("00000000-0000-4000-8000-000000000000", srv.admin_token,
		   "{\"name\":\"Nobody\"}", &r);
	assert_problem(&r, 404);
	h_resp_free(&r);
	/* Every problem of the body at once, each under its pointer. */
	patch_user(id, srv.admin_token,
		   "{\"name\":\"Bell\\u0007\",\"roles\":[\"root\"],"
		   "\"active\":\"no\",\"email\":\"x@y.z\"}",
		   &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/name"));
	assert_true(h_has_pointer(&r, "/roles/0"));
	assert_true(h_has_pointer(&r, "/active"));
	assert_true(h_has_pointer(&r, "/email"));
	h_resp_free(&r);
	patch_user(id, srv.admin_token, "{\"name\":\"\",\"roles\":null}", &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/name"));
	assert_true(h_has_pointer(&r, "/roles"));
	h_resp_free(&r);
	/* Nothing was changed by the refused patches. */
	assert_int_equal(status_of("GET", "/v1/me", t), 200);

	/* An admin cannot lock themself out ... */
	patch_user(admin_id, admin2, "{\"active\":false}", &r);
	assert_problem(&r, 409);
	assert_non_null(strstr(JS(&r, "detail"), "another admin"));
	h_resp_free(&r);
	patch_user(admin_id, admin2, "{\"roles\":[\"author\"]}", &r);
	assert_problem(&r, 409);
	h_resp_free(&r);
	/* ... but may keep admin while changing other roles ... */
	patch_user(admin_id, admin2, "{\"roles\":[\"admin\",\"author\"]}", &r);
	assert_status(&r, 200);
	h_resp_free(&r);
	/* ... and another admin may do either. */
	patch_user(admin_id, srv.admin_token, "{\"roles\":[\"author\"]}", &r);
	assert_status(&r, 200);
	h_resp_free(&r);
	patch_user(id, admin2, "{\"name\":\"Too late\"}", &r);
	assert_problem(&r, 403);
	h_resp_free(&r);
	free(t);
	free(admin2);
}

/*
 * Deactivation holds from the next request for every token of the user,
 * even those the (60 s) cache holds; reactivation brings them back.
 */
static void
test_deactivation_is_immediate(void **state)
{
	char id[40];
	char *t1 = h_user(&srv, "leaving", "\"author\"", id);
	char *t2 = token_for(id, NULL, NULL);
	struct h_resp r;

	assert_int_equal(status_of("GET", "/v1/me", t1), 200);
	assert_int_equal(status_of("GET", "/v1/me", t2), 200);
	patch_user(id, srv.admin_token, "{\"active\":false}", &r);
	assert_status(&r, 200);
	assert_true(json_is_false(J(&r, "active")));
	h_resp_free(&r);
	assert_int_equal(status_of("GET", "/v1/me", t1), 401);
	assert_int_equal(status_of("GET", "/v1/prfaqs", t2), 401);
	patch_user(id, srv.admin_token, "{\"active\":true}", &r);
	assert_status(&r, 200);
	h_resp_free(&r);
	assert_int_equal(status_of("GET", "/v1/me", t1), 200);
	free(t1);
	free(t2);
}

static void
test_token_name_and_expiry(void **state)
{
	char id[40], tid[40], sql[256];
	char *t = h_user(&srv, "expiring", "\"author\"", id);
	char path[128], *named, *plain, *soon;
	struct h_resp r;
	time_t now = time(NULL);
	struct tm tm;
	char want[32];

	snprintf(path, sizeof(path), "/v1/users/%s/tokens", id);
	assert_int_equal(h_req(&srv, "POST", path, srv.admin_token, NULL,
			       "{\"name\":\"ci\",\"expires_in_days\":30}", &r),
			 0);
	assert_status(&r, 201);
	assert_string_equal(JS(&r, "name"), "ci");
	assert_true(h_is_rfc3339_utc(JS(&r, "expires_at")));
	/* Thirty days from now, to the day. */
	now += 30 * 86400;
	gmtime_r(&now, &tm);
	strftime(want, sizeof(want), "%Y-%m-%d", &tm);
	assert_memory_equal(JS(&r, "expires_at"), want, 10);
	named = strdup(JS(&r, "token"));
	h_resp_free(&r);
	assert_int_equal(status_of("GET", "/v1/me", named), 200);

	/* Without a body: no name, no expiry. */
	assert_int_equal(
		h_req(&srv, "POST", path, srv.admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 201);
	assert_true(json_is_null(J(&r, "name")));
	assert_true(json_is_null(J(&r, "expires_at")));
	plain = strdup(JS(&r, "token"));
	h_resp_free(&r);

	/* Bad bodies, every problem named. */
	assert_int_equal(
		h_req(&srv, "POST", path, srv.admin_token, NULL,
		      "{\"name\":\"\",\"expires_in_days\":0,\"scope\":1}", &r),
		0);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/name"));
	assert_true(h_has_pointer(&r, "/expires_in_days"));
	assert_true(h_has_pointer(&r, "/scope"));
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "POST", path, srv.admin_token, NULL,
			       "{\"name\":\"tab\\there\"}", &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);

	/* An expired token is refused like a revoked one. */
	snprintf(
		sql, sizeof(sql),
		"UPDATE api_tokens SET expires_at = now() - interval '1 second'"
		" WHERE user_id = '%s' AND name IS NULL",
		id);
	free(h_sql(srv.dbname, sql));
	assert_int_equal(status_of("GET", "/v1/me", plain), 401);

	/*
	 * A token with two seconds left works, is cached, and is refused once
	 * they are up although the cache would keep it for 60 s.
	 */
	soon = token_for(id, "{\"name\":\"soon\",\"expires_in_days\":1}", tid);
	snprintf(
		sql, sizeof(sql),
		"UPDATE api_tokens SET expires_at = now() + interval '2 seconds'"
		" WHERE id = '%s'",
		tid);
	free(h_sql(srv.dbname, sql));
	assert_int_equal(status_of("GET", "/v1/me", soon), 200);
	sleep(3);
	assert_int_equal(status_of("GET", "/v1/me", soon), 401);
	assert_int_equal(status_of("GET", "/v1/me", named), 200);
	free(named);
	free(plain);
	free(soon);
	free(t);
}

static void
test_token_list(void **state)
{
	char id[40], other_id[40], first_id[40], path[256], next[256];
	char *t = h_user(&srv, "lister", "\"author\"", id);
	char *other = h_user(&srv, "nosy", "\"author\"", other_id);
	char *named = token_for(id, "{\"name\":\"laptop\"}", NULL);
	struct h_resp r;
	json_t *item;
	size_t i;
	int seen = 0;

	/* The user's own token (h_user's) is used: last_used_at is set. */
	assert_int_equal(status_of("GET", "/v1/me", t), 200);
	snprintf(path, sizeof(path), "/v1/users/%s/tokens", id);
	assert_int_equal(h_req(&srv, "GET", path, t, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 2);
	json_array_foreach(J(&r, "items"), i, item) {
		/* Exactly these members: never a secret. */
		assert_int_equal(json_object_size(item), 5);
		assert_true(h_is_uuid(
			json_string_value(json_object_get(item, "id"))));
		assert_true(h_is_rfc3339_utc(json_string_value(
			json_object_get(item, "created_at"))));
		assert_non_null(json_object_get(item, "last_used_at"));
		assert_true(json_is_null(json_object_get(item, "expires_at")));
		assert_null(json_object_get(item, "token"));
		if (i == 0) {
			/* Oldest first: h_user's token, used just now. */
			assert_true(
				json_is_null(json_object_get(item, "name")));
			assert_true(h_is_rfc3339_utc(json_string_value(
				json_object_get(item, "last_used_at"))));
			snprintf(
				first_id, sizeof(first_id), "%s",
				json_string_value(json_object_get(item, "id")));
		} else {
			assert_string_equal(json_string_value(json_object_get(
						    item, "name")),
					    "laptop");
			assert_true(json_is_null(
				json_object_get(item, "last_used_at")));
		}
	}
	assert_null(strstr(r.body, "prfaq_"));
	h_resp_free(&r);

	/* Another user may not; an admin may, one page at a time. */
	assert_int_equal(status_of("GET", path, other), 403);
	snprintf(path, sizeof(path), "/v1/users/%s/tokens?limit=1", id);
	while (path[0] != '\0') {
		assert_int_equal(h_req(&srv, "GET", path, srv.admin_token, NULL,
				       NULL, &r),
				 0);
		assert_status(&r, 200);
		seen += (int)json_array_size(J(&r, "items"));
		if (h_link_next(&r, next, sizeof(next)) != NULL)
			snprintf(path, sizeof(path), "%s", next);
		else
			path[0] = '\0';
		h_resp_free(&r);
	}
	assert_int_equal(seen, 2);

	/* A revoked token leaves the list. */
	snprintf(path, sizeof(path), "/v1/tokens/%s", first_id);
	assert_int_equal(status_of("DELETE", path, srv.admin_token), 204);
	snprintf(path, sizeof(path), "/v1/users/%s/tokens", id);
	assert_int_equal(
		h_req(&srv, "GET", path, srv.admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	h_resp_free(&r);
	assert_int_equal(
		status_of(
			"GET",
			"/v1/users/00000000-0000-4000-8000-000000000000/tokens",
			srv.admin_token),
		404);
	free(t);
	free(other);
	free(named);
}

/* Run prfaqd with args; its stdout into out.  Returns the exit status. */
static int
run_cli(const char *args, char *out, size_t cap)
{
	char cmd[4096];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "PRFAQ_DATABASE_URL='%s' '%s' %s 2>>'%s'",
		 srv.conninfo,
		 getenv("PRFAQD_BIN") ? getenv("PRFAQD_BIN") : "./prfaqd", args,
		 srv.log_path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (n + 1 < cap) {
		size_t k = fread(out + n, 1, cap - 1 - n, p);

		if (k == 0)
			break;
		n += k;
	}
	out[n] = '\0';
	st = pclose(p);
	if (n > 0 && out[n - 1] == '\n')
		out[n - 1] = '\0';
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * What scripts/run does at every start: the first run creates the admin with
 * a token named scripts-run, each later run replaces it.  However often it
 * runs, one live token of that name remains, the newest, and the tokens it
 * replaced are refused.
 */
static void
test_cli_replaces_its_named_token(void **state)
{
	char first[128], second[128], third[128], args[512], sql[512];
	static int counter;
	char email[128];

	snprintf(email, sizeof(email), "runner.%d.%d@test.example",
		 (int)getpid(), counter++);
	snprintf(args, sizeof(args),
		 "create-user --name Runner --email '%s' --roles admin,author"
		 " --token-name scripts-run",
		 email);
	assert_int_equal(run_cli(args, first, sizeof(first)), 0);
	assert_int_equal(strlen(first), 49);
	/* Running create-user again fails (the user exists): no token. */
	assert_int_not_equal(run_cli(args, second, sizeof(second)), 0);
	assert_string_equal(second, "");

	snprintf(args, sizeof(args),
		 "create-token --email '%s' --name scripts-run --replace",
		 email);
	assert_int_equal(run_cli(args, second, sizeof(second)), 0);
	assert_int_equal(run_cli(args, third, sizeof(third)), 0);
	assert_string_not_equal(second, third);

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM api_tokens t JOIN users u"
		 "    ON u.id = t.user_id"
		 " WHERE u.email = '%s' AND t.name = 'scripts-run'"
		 "   AND t.revoked_at IS NULL",
		 email);
	assert_int_equal(h_sql_count(&srv, sql), 1);
	assert_int_equal(status_of("GET", "/v1/me", first), 401);
	assert_int_equal(status_of("GET", "/v1/me", second), 401);
	assert_int_equal(status_of("GET", "/v1/me", third), 200);

	/* Without --replace, a token of the same name is one more. */
	snprintf(args, sizeof(args),
		 "create-token --email '%s' --name scripts-run", email);
	assert_int_equal(run_cli(args, second, sizeof(second)), 0);
	assert_int_equal(h_sql_count(&srv, sql), 2);
	/* --replace needs a name to replace. */
	snprintf(args, sizeof(args), "create-token --email '%s' --replace",
		 email);
	assert_int_equal(run_cli(args, second, sizeof(second)), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_user_shows_active),
		cmocka_unit_test(test_patch_renames_and_changes_roles_at_once),
		cmocka_unit_test(test_patch_rules),
		cmocka_unit_test(test_deactivation_is_immediate),
		cmocka_unit_test(test_token_name_and_expiry),
		cmocka_unit_test(test_token_list),
		cmocka_unit_test(test_cli_replaces_its_named_token),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
