/*
 * test_users.c - users, API tokens and roles: who may create users and
 * tokens, who may revoke them, what a missing, unknown or revoked token gets,
 * how users are listed and looked up, and that no token is ever kept in
 * clear (database, server log).
 */
#include "harness.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct h_server srv;

/* Every token issued in this file: none may appear in the server's log. */
static char *issued[256];
static size_t nissued;

static void
remember(const char *token)
{
	if (token != NULL && nissued < sizeof(issued) / sizeof(issued[0]))
		issued[nissued++] = strdup(token);
}

static int
setup(void **state)
{
	if (h_start(&srv, NULL) != 0)
		return -1;
	remember(srv.admin_token);
	return 0;
}

static int
teardown(void **state)
{
	h_stop(&srv);
	for (size_t i = 0; i < nissued; i++)
		free(issued[i]);
	return 0;
}

/* --- helpers ------------------------------------------------------------ */

static void
assert_401(const struct h_resp *r)
{
	char www[256];

	assert_problem(r, 401);
	assert_non_null(h_header(r, "WWW-Authenticate", www, sizeof(www)));
	assert_true(strncmp(www, "Bearer", 6) == 0);
}

/* Does the problem name this JSON Pointer among its errors? */
static void
unique_email(char *buf, size_t cap, const char *name)
{
	static int counter;

	snprintf(buf, cap, "%s.%d.%d@users.example", name, (int)getpid(),
		 counter++);
	for (char *p = buf; *p != '@'; p++)
		if (*p == ' ')
			*p = '-';
}

/* POST /v1/users as admin; asserts 201 and fills id. */
static void
create_user(const char *name, const char *email, json_t *roles, char *id_out)
{
	struct h_resp r;

	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:o}", "name", name, "email", email,
			     "roles", roles),
		   &r);
	assert_status(&r, 201);
	snprintf(id_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
}

/* POST /v1/users/{user}/tokens by caller; asserts 201.  Returns the token. */
static char *
new_token(const char *user_id, const char *caller, char *token_id_out)
{
	struct h_resp r;
	char path[128], *token;

	snprintf(path, sizeof(path), "/v1/users/%s/tokens", user_id);
	assert_int_equal(h_req(&srv, "POST", path, caller, NULL, NULL, &r), 0);
	assert_status(&r, 201);
	assert_non_null(JS(&r, "token"));
	token = strdup(JS(&r, "token"));
	remember(token);
	if (token_id_out != NULL)
		snprintf(token_id_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
	return token;
}

/* A user with roles (a JSON list, taken) and a token; ids are filled. */
static char *
mk_user(const char *name, json_t *roles, char *id_out, char *token_id_out)
{
	char email[128];

	unique_email(email, sizeof(email), name);
	create_user(name, email, roles, id_out);
	return new_token(id_out, srv.admin_token, token_id_out);
}

/* GET /v1/me: the caller's id, or "" when the request is not 200. */
static void
whoami(const char *token, char *id_out)
{
	struct h_resp r;

	assert_int_equal(h_req(&srv, "GET", "/v1/me", token, NULL, NULL, &r),
			 0);
	snprintf(id_out, 40, "%s",
		 r.status == 200 && JS(&r, "id") ? JS(&r, "id") : "");
	h_resp_free(&r);
}

static bool
roles_are(const json_t *roles, const char *const *want, size_t n)
{
	if (!json_is_array(roles) || json_array_size(roles) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		size_t k;
		json_t *v;

		json_array_foreach(roles, k, v)
			if (json_is_string(v) &&
			    strcmp(json_string_value(v), want[i]) == 0)
				found = true;
		if (!found)
			return false;
	}
	return true;
}

/* --- GET /v1/me --------------------------------------------------------- */

static void
test_me_returns_the_caller(void **state)
{
	static const char *const want[] = { "author", "reviewer" };
	struct h_resp r;
	char id[40], email[128];
	char *token;

	assert_int_equal(h_req(&srv, "GET", "/v1/me", srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "id"), srv.admin_id);
	assert_string_equal(JS(&r, "name"), "Admin");
	assert_string_equal(JS(&r, "email"), "admin@test.example");
	assert_true(
		roles_are(J(&r, "roles"), (const char *const[]){ "admin" }, 1));
	h_resp_free(&r);

	unique_email(email, sizeof(email), "mia");
	create_user("Mia Wong", email, json_pack("[s,s]", "author", "reviewer"),
		    id);
	token = new_token(id, srv.admin_token, NULL);
	assert_int_equal(h_req(&srv, "GET", "/v1/me", token, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "id"), id);
	assert_string_equal(JS(&r, "name"), "Mia Wong");
	assert_string_equal(JS(&r, "email"), email);
	assert_true(roles_are(J(&r, "roles"), want, 2));
	h_resp_free(&r);
	free(token);
}

/* --- POST /v1/users ----------------------------------------------------- */

static void
test_create_user_as_admin(void **state)
{
	struct h_resp r;
	char email[128], location[128], want[128];

	unique_email(email, sizeof(email), "ana");
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[s,s]}", "name", "Ana Lima", "email",
			     email, "roles", "author", "approver"),
		   &r);
	assert_status(&r, 201);
	assert_true(h_is_uuid(JS(&r, "id")));
	assert_string_equal(JS(&r, "name"), "Ana Lima");
	assert_string_equal(JS(&r, "email"), email);
	assert_true(roles_are(J(&r, "roles"),
			      (const char *const[]){ "author", "approver" },
			      2));
	assert_non_null(h_header(&r, "Location", location, sizeof(location)));
	snprintf(want, sizeof(want), "/v1/users/%s", JS(&r, "id"));
	assert_string_equal(location, want);
	h_resp_free(&r);

	/* No roles at all is a valid user (a reader). */
	unique_email(email, sizeof(email), "reader");
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[]}", "name", "Reader", "email",
			     email, "roles"),
		   &r);
	assert_status(&r, 201);
	assert_true(roles_are(J(&r, "roles"), NULL, 0));
	h_resp_free(&r);
}

static void
test_create_user_needs_admin(void **state)
{
	const char *const who[] = { "author", "reviewer", "approver" };
	char id[40], sql[256];

	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		char *token =
			mk_user(who[i], json_pack("[s]", who[i]), id, NULL);
		struct h_resp r;
		char email[128];

		unique_email(email, sizeof(email), "sneaky");
		h_req_json(&srv, "POST", "/v1/users", token, NULL,
			   json_pack("{s:s, s:s, s:[s]}", "name", "Sneaky",
				     "email", email, "roles", "admin"),
			   &r);
		assert_problem(&r, 403);
		h_resp_free(&r);
		/* Nothing was created. */
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM users WHERE email = '%s'",
			 email);
		assert_int_equal(h_sql_count(&srv, sql), 0);
		free(token);
	}
	/* A user with every role but admin is still refused. */
	{
		char *token = mk_user("busy",
				      json_pack("[s,s,s]", "author", "reviewer",
						"approver"),
				      id, NULL);
		struct h_resp r;

		h_req_json(&srv, "POST", "/v1/users", token, NULL,
			   json_pack("{s:s, s:s, s:[]}", "name", "X", "email",
				     "x@users.example", "roles"),
			   &r);
		assert_problem(&r, 403);
		h_resp_free(&r);
		free(token);
	}
}

static void
test_duplicate_email_is_409(void **state)
{
	struct h_resp r;
	char email[128], upper[128], id[40];

	unique_email(email, sizeof(email), "dup");
	create_user("First", email, json_pack("[]"), id);
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[]}", "name", "Second", "email",
			     email, "roles"),
		   &r);
	assert_problem(&r, 409);
	h_resp_free(&r);

	/* Email addresses are compared without case. */
	for (size_t i = 0; email[i] != '\0'; i++)
		upper[i] = (char)(email[i] >= 'a' && email[i] <= 'z' ?
					  email[i] - 'a' + 'A' :
					  email[i]);
	upper[strlen(email)] = '\0';
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[]}", "name", "Third", "email",
			     upper, "roles"),
		   &r);
	assert_problem(&r, 409);
	h_resp_free(&r);
	/* The same goes for the address the first admin was made with. */
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[]}", "name", "Admin 2", "email",
			     "Admin@Test.Example", "roles"),
		   &r);
	assert_problem(&r, 409);
	h_resp_free(&r);
	{
		char sql[256];

		snprintf(
			sql, sizeof(sql),
			"SELECT count(*) FROM users WHERE lower(email) = lower('%s')",
			email);
		assert_int_equal(h_sql_count(&srv, sql), 1);
	}
}

static void
test_create_user_validation(void **state)
{
	struct h_resp r;
	char email[128];

	/* Role names are exact: unknown, miscased or not a string. */
	unique_email(email, sizeof(email), "badrole");
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[s]}", "name", "Bad", "email", email,
			     "roles", "superuser"),
		   &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/roles/0"));
	h_resp_free(&r);
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[s]}", "name", "Bad", "email", email,
			     "roles", "Admin"),
		   &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/roles/0"));
	h_resp_free(&r);
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[s,i]}", "name", "Bad", "email",
			     email, "roles", "author", 7),
		   &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/roles/1"));
	assert_false(h_has_pointer(&r, "/roles/0"));
	h_resp_free(&r);

	/* An unknown member: e.g. a client trying to set its own id. */
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[], s:b}", "name", "Bad", "email",
			     email, "roles", "is_admin", 1),
		   &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/is_admin"));
	h_resp_free(&r);

	/* Missing and mistyped members. */
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:[]}", "name", "Bad", "roles"), &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/email"));
	h_resp_free(&r);
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:i, s:s, s:s}", "name", 5, "email", email,
			     "roles", "admin"),
		   &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/name"));
	assert_true(h_has_pointer(&r, "/roles"));
	h_resp_free(&r);

	/* None of these created anything. */
	{
		char sql[256];

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM users WHERE email = '%s'",
			 email);
		assert_int_equal(h_sql_count(&srv, sql), 0);
	}
}

/* Bodies that are not a user at all: wrong media type, not JSON, too long. */
static void
test_create_user_bad_bodies(void **state)
{
	static const char *const bad_json[] = {
		"",
		"{",
		"[]",
		"null",
		"\"user\"",
		"{\"name\":\"A\",\"name\":\"B\",\"email\":\"dupkey@users.example\",\"roles\":[]}",
	};
	const char *text_plain[] = { "Content-Type: text/plain", NULL };
	struct h_resp r;
	char email[128], body[1024], name[256];

	unique_email(email, sizeof(email), "body");
	snprintf(body, sizeof(body),
		 "{\"name\":\"Body\",\"email\":\"%s\",\"roles\":[]}", email);
	assert_int_equal(h_req(&srv, "POST", "/v1/users", srv.admin_token,
			       text_plain, body, &r),
			 0);
	assert_problem(&r, 415);
	h_resp_free(&r);
	for (size_t i = 0; i < sizeof(bad_json) / sizeof(bad_json[0]); i++) {
		assert_int_equal(h_req(&srv, "POST", "/v1/users",
				       srv.admin_token, NULL, bad_json[i], &r),
				 0);
		if (r.status != 400)
			print_error("body %s\n", bad_json[i]);
		assert_problem(&r, 400);
		h_resp_free(&r);
	}

	/* Names: 1 to 200 characters (not bytes). */
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[]}", "name", "", "email", email,
			     "roles"),
		   &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/name"));
	h_resp_free(&r);
	memset(name, 'n', 201);
	name[201] = '\0';
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[]}", "name", name, "email", email,
			     "roles"),
		   &r);
	assert_problem(&r, 400);
	assert_true(h_has_pointer(&r, "/name"));
	h_resp_free(&r);
	/* 100 two-byte characters are 100 characters. */
	name[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(name, "\xc3\xa9");
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[]}", "name", name, "email", email,
			     "roles"),
		   &r);
	assert_status(&r, 201);
	assert_string_equal(JS(&r, "name"), name);
	h_resp_free(&r);

	/* Roles: known ones, each at most once (so at most four). */
	{
		static const char *const bad_roles[] = {
			"[\"author\",\"author\"]",
			"[\"wizard\"]",
			"[1]",
			"[\"admin\",\"author\",\"reviewer\",\"approver\",\"admin\"]",
		};
		char b[512];

		for (size_t i = 0; i < sizeof(bad_roles) / sizeof(bad_roles[0]);
		     i++) {
			snprintf(
				b, sizeof(b),
				"{\"name\":\"R\",\"email\":\"roles%zu@users.example\","
				"\"roles\":%s}",
				i, bad_roles[i]);
			assert_int_equal(h_req(&srv, "POST", "/v1/users",
					       srv.admin_token, NULL, b, &r),
					 0);
			if (r.status != 400)
				print_error("roles %s\n", bad_roles[i]);
			assert_problem(&r, 400);
			assert_non_null(strstr(r.body, "/roles"));
			h_resp_free(&r);
		}
	}

	/* Addresses that are not one. */
	{
		static const char *const bad_email[] = {
			"",
			"plain",
			"@users.example",
			"a@",
			"a@b@users.example",
			"a b@users.example",
			"a@localhost",
		};

		for (size_t i = 0; i < sizeof(bad_email) / sizeof(bad_email[0]);
		     i++) {
			h_req_json(&srv, "POST", "/v1/users", srv.admin_token,
				   NULL,
				   json_pack("{s:s, s:s, s:[]}", "name", "Bad",
					     "email", bad_email[i], "roles"),
				   &r);
			if (r.status != 400)
				print_error("email \"%s\"\n", bad_email[i]);
			assert_problem(&r, 400);
			assert_true(h_has_pointer(&r, "/email"));
			h_resp_free(&r);
		}
	}
	assert_int_equal(
		h_sql_count(&srv,
			    "SELECT count(*) FROM users WHERE name = 'Bad'"
			    " OR email = 'dupkey@users.example'"),
		0);
}

/* --- GET /v1/users/{id} ------------------------------------------------- */

static void
test_get_user(void **state)
{
	static const char *const want_roles[] = { "reviewer", "approver" };
	struct h_resp r;
	char email[128], id[40], other[40], path[128], location[128];
	char *token, *other_token;

	/* The Location of a new user leads to it. */
	unique_email(email, sizeof(email), "gina");
	h_req_json(&srv, "POST", "/v1/users", srv.admin_token, NULL,
		   json_pack("{s:s, s:s, s:[s,s]}", "name", "Gina Rossi",
			     "email", email, "roles", "reviewer", "approver"),
		   &r);
	assert_status(&r, 201);
	snprintf(id, sizeof(id), "%s", JS(&r, "id"));
	assert_non_null(h_header(&r, "Location", location, sizeof(location)));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/users/%s", id);
	assert_string_equal(location, path);

	/* An admin sees all of it: what POST returned. */
	assert_int_equal(h_req(&srv, "GET", location, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "id"), id);
	assert_string_equal(JS(&r, "name"), "Gina Rossi");
	assert_string_equal(JS(&r, "email"), email);
	assert_true(roles_are(J(&r, "roles"), want_roles, 2));
	assert_true(h_is_rfc3339_utc(JS(&r, "created_at")));
	h_resp_free(&r);

	/* So does the user themself: the same as GET /v1/me. */
	token = new_token(id, srv.admin_token, NULL);
	assert_int_equal(h_req(&srv, "GET", path, token, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "email"), email);
	{
		struct h_resp me;

		assert_int_equal(h_req(&srv, "GET", "/v1/me", token, NULL, NULL,
				       &me),
				 0);
		assert_status(&me, 200);
		assert_true(json_equal(r.json, me.json));
		h_resp_free(&me);
	}
	h_resp_free(&r);

	/* Any other user may look them up, without the email (as in the list). */
	other_token = mk_user("Plain Other", json_pack("[]"), other, NULL);
	assert_int_equal(h_req(&srv, "GET", path, other_token, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_object_size(r.json), 3);
	assert_string_equal(JS(&r, "id"), id);
	assert_string_equal(JS(&r, "name"), "Gina Rossi");
	assert_true(roles_are(J(&r, "roles"), want_roles, 2));
	assert_null(J(&r, "email"));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/users/%s", srv.admin_id);
	assert_int_equal(h_req(&srv, "GET", path, token, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "name"), "Admin");
	assert_true(
		roles_are(J(&r, "roles"), (const char *const[]){ "admin" }, 1));
	assert_null(J(&r, "email"));
	h_resp_free(&r);

	/* Ids are UUIDs in any case. */
	for (char *p = path + strlen("/v1/users/"); *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	assert_int_equal(
		h_req(&srv, "GET", path, srv.admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "id"), srv.admin_id);
	h_resp_free(&r);

	/* Unknown and malformed ids: 404, for admins and others alike. */
	{
		static const char *const missing[] = {
			"/v1/users/00000000-0000-4000-8000-000000000000",
			"/v1/users/not-a-uuid",
			"/v1/users/00000000-0000-4000-8000-00000000000",
			"/v1/users/00000000-0000-4000-8000-0000000000000",
			"/v1/users/0000000g-0000-4000-8000-000000000000",
			"/v1/users/%27%20OR%201=1--",
		};

		for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]);
		     i++) {
			assert_int_equal(h_req(&srv, "GET", missing[i],
					       srv.admin_token, NULL, NULL, &r),
					 0);
			if (r.status != 404)
				print_error("%s\n", missing[i]);
			assert_problem(&r, 404);
			h_resp_free(&r);
			assert_int_equal(h_req(&srv, "GET", missing[i],
					       other_token, NULL, NULL, &r),
					 0);
			assert_problem(&r, 404);
			h_resp_free(&r);
		}
	}

	/* A token is needed; other methods are not allowed. */
	snprintf(path, sizeof(path), "/v1/users/%s", id);
	assert_int_equal(h_req(&srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_401(&r);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_problem(&r, 405);
	{
		char allow[64];

		assert_non_null(h_header(&r, "Allow", allow, sizeof(allow)));
		assert_non_null(strstr(allow, "GET"));
		assert_null(strstr(allow, "DELETE"));
	}
	h_resp_free(&r);
	free(token);
	free(other_token);
}

/* --- tokens ------------------------------------------------------------- */

static void
assert_token_text(const char *token)
{
	assert_non_null(token);
	assert_int_equal(strlen(token), 49);
	assert_true(strncmp(token, "prfaq_", 6) == 0);
	for (const char *p = token + 6; *p != '\0'; p++)
		assert_non_null(strchr(
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789-_",
			*p));
}

static void
test_token_response_shape(void **state)
{
	struct h_resp r;
	char id[40], path[128], cc[64], me[40];

	free(mk_user("shape", json_pack("[]"), id, NULL));
	snprintf(path, sizeof(path), "/v1/users/%s/tokens", id);
	assert_int_equal(
		h_req(&srv, "POST", path, srv.admin_token, NULL, NULL, &r), 0);
	assert_status(&r, 201);
	assert_true(h_is_uuid(JS(&r, "id")));
	assert_true(h_is_rfc3339_utc(JS(&r, "created_at")));
	assert_token_text(JS(&r, "token"));
	remember(JS(&r, "token"));
	assert_non_null(h_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "no-store");
	/* The new token acts as its user. */
	whoami(JS(&r, "token"), me);
	assert_string_equal(me, id);
	h_resp_free(&r);

	/* Two tokens are never the same. */
	{
		char *a = new_token(id, srv.admin_token, NULL);
		char *b = new_token(id, srv.admin_token, NULL);

		assert_string_not_equal(a, b);
		free(a);
		free(b);
	}
}

static void
test_token_create_rules(void **state)
{
	struct h_resp r;
	char alice[40], bob[40], path[128], me[40];
	char *ta = mk_user("alice", json_pack("[s]", "author"), alice, NULL);
	char *tb = mk_user(
		"bob", json_pack("[s,s,s]", "author", "reviewer", "approver"),
		bob, NULL);

	/* A user may make tokens for themself... */
	{
		char *t = new_token(alice, ta, NULL);

		whoami(t, me);
		assert_string_equal(me, alice);
		free(t);
	}
	/* ...but not for another user, whatever their other roles. */
	snprintf(path, sizeof(path), "/v1/users/%s/tokens", alice);
	assert_int_equal(h_req(&srv, "POST", path, tb, NULL, NULL, &r), 0);
	assert_problem(&r, 403);
	assert_null(JS(&r, "token"));
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/users/%s/tokens", srv.admin_id);
	assert_int_equal(h_req(&srv, "POST", path, ta, NULL, NULL, &r), 0);
	assert_problem(&r, 403);
	h_resp_free(&r);
	/* An admin may for anyone. */
	{
		char *t = new_token(bob, srv.admin_token, NULL);

		whoami(t, me);
		assert_string_equal(me, bob);
		free(t);
	}
	/* No such user. */
	assert_int_equal(
		h_req(&srv, "POST",
		      "/v1/users/00000000-0000-4000-8000-000000000000/tokens",
		      srv.admin_token, NULL, NULL, &r),
		0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "POST", "/v1/users/not-a-uuid/tokens",
			       srv.admin_token, NULL, NULL, &r),
			 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	free(ta);
	free(tb);
}

static void
test_token_delete_rules(void **state)
{
	struct h_resp r;
	char alice[40], bob[40], t_alice[40], t_alice2[40], t_bob[40],
		path[128], me[40];
	char *ta = mk_user("carol", json_pack("[s]", "author"), alice, t_alice);
	char *tb = mk_user("dave", json_pack("[s,s]", "reviewer", "approver"),
			   bob, t_bob);
	char *ta2 = new_token(alice, srv.admin_token, t_alice2);

	/* Another (non-admin) user may not revoke it: 403, and it still works. */
	snprintf(path, sizeof(path), "/v1/tokens/%s", t_alice2);
	assert_int_equal(h_req(&srv, "DELETE", path, tb, NULL, NULL, &r), 0);
	assert_problem(&r, 403);
	h_resp_free(&r);
	whoami(ta2, me);
	assert_string_equal(me, alice);

	/* The token's user may (with another of their tokens). */
	assert_int_equal(h_req(&srv, "DELETE", path, ta, NULL, NULL, &r), 0);
	assert_status(&r, 204);
	assert_int_equal(r.len, 0);
	h_resp_free(&r);
	whoami(ta2, me);
	assert_string_equal(me, "");
	/* Revoked already: 404, for the owner and for an admin. */
	assert_int_equal(h_req(&srv, "DELETE", path, ta, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_problem(&r, 404);
	h_resp_free(&r);

	/* An admin may revoke anyone's. */
	snprintf(path, sizeof(path), "/v1/tokens/%s", t_bob);
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 204);
	h_resp_free(&r);
	whoami(tb, me);
	assert_string_equal(me, "");

	/* Unknown and malformed ids. */
	assert_int_equal(
		h_req(&srv, "DELETE",
		      "/v1/tokens/00000000-0000-4000-8000-000000000000",
		      srv.admin_token, NULL, NULL, &r),
		0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	assert_int_equal(
		h_req(&srv, "DELETE",
		      "/v1/tokens/00000000-0000-4000-8000-000000000000", ta,
		      NULL, NULL, &r),
		0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "DELETE", "/v1/tokens/nope",
			       srv.admin_token, NULL, NULL, &r),
			 0);
	assert_problem(&r, 404);
	h_resp_free(&r);

	/* Carol's first token was never touched. */
	whoami(ta, me);
	assert_string_equal(me, alice);
	free(ta);
	free(ta2);
	free(tb);
}

static void
test_revoked_token_fails_on_next_request(void **state)
{
	struct h_resp r;
	char id[40], tid[40], path[128];
	char *t = mk_user("erin", json_pack("[s]", "author"), id, tid);

	/* Used (and so cached), then revoked by an admin. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(
			h_req(&srv, "GET", "/v1/me", t, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		h_resp_free(&r);
	}
	snprintf(path, sizeof(path), "/v1/tokens/%s", tid);
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 204);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/me", t, NULL, NULL, &r), 0);
	assert_401(&r);
	h_resp_free(&r);
	free(t);

	/* A token revoking itself: its own DELETE succeeds, the next fails. */
	t = new_token(id, srv.admin_token, tid);
	assert_int_equal(h_req(&srv, "GET", "/v1/me", t, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/tokens/%s", tid);
	assert_int_equal(h_req(&srv, "DELETE", path, t, NULL, NULL, &r), 0);
	assert_status(&r, 204);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/users", t, NULL, NULL, &r), 0);
	assert_401(&r);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "DELETE", path, t, NULL, NULL, &r), 0);
	assert_401(&r);
	h_resp_free(&r);
	free(t);
}

/*
 * The scheme is case-insensitive (RFC 9110, 11.1) and whitespace around the
 * field value is not part of it.
 */
static void
test_bearer_scheme_and_whitespace(void **state)
{
	static const char *const forms[][2] = {
		{ "bearer ", "" },  { "BEARER ", "" },	 { "Bearer  ", "" },
		{ "Bearer ", " " }, { "Bearer ", "\t" },
	};
	struct h_resp r;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		char auth[256], value[200];
		const char *hdr[] = { auth, NULL };

		snprintf(value, sizeof(value), "%s%s%s", forms[i][0],
			 srv.admin_token, forms[i][1]);
		snprintf(auth, sizeof(auth), "Authorization: %s", value);
		assert_int_equal(
			h_req(&srv, "GET", "/v1/me", NULL, hdr, NULL, &r), 0);
		if (r.status != 200)
			print_error("Authorization: \"%s\"\n", value);
		assert_status(&r, 200);
		assert_string_equal(JS(&r, "id"), srv.admin_id);
		h_resp_free(&r);
	}
	/* But the token itself is exact. */
	{
		char auth[256], token[128];
		const char *hdr[] = { auth, NULL };

		snprintf(token, sizeof(token), "%s", srv.admin_token);
		for (char *p = token; *p != '\0'; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		assert_int_equal(
			h_req(&srv, "GET", "/v1/me", NULL, hdr, NULL, &r), 0);
		assert_401(&r);
		h_resp_free(&r);
		snprintf(auth, sizeof(auth), "Authorization: Bearer%s",
			 srv.admin_token);
		assert_int_equal(
			h_req(&srv, "GET", "/v1/me", NULL, hdr, NULL, &r), 0);
		assert_401(&r);
		h_resp_free(&r);
	}
}

static void
test_401_without_a_valid_token(void **state)
{
	const char *basic[] = { "Authorization: Basic YWRtaW46YWRtaW4=", NULL };
	const char *basic_x[] = { "Authorization: Basic x", NULL };
	const char *paths[] = { "/v1/me", "/v1/users" };
	struct h_resp r;
	char id[40], tid[40], path[128];
	char *revoked = mk_user("frank", json_pack("[s]", "admin"), id, tid);

	snprintf(path, sizeof(path), "/v1/tokens/%s", tid);
	assert_int_equal(h_req(&srv, "DELETE", path, srv.admin_token, NULL,
			       NULL, &r),
			 0);
	assert_status(&r, 204);
	h_resp_free(&r);

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		/* No Authorization header. */
		assert_int_equal(
			h_req(&srv, "GET", paths[i], NULL, NULL, NULL, &r), 0);
		assert_401(&r);
		h_resp_free(&r);
		/* Another scheme. */
		assert_int_equal(
			h_req(&srv, "GET", paths[i], NULL, basic, NULL, &r), 0);
		assert_401(&r);
		h_resp_free(&r);
		assert_int_equal(h_req(&srv, "GET", paths[i], NULL, basic_x,
				       NULL, &r),
				 0);
		assert_401(&r);
		h_resp_free(&r);
		/* A well-formed token nobody was given. */
		assert_int_equal(
			h_req(&srv, "GET", paths[i],
			      "prfaq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			      NULL, NULL, &r),
			0);
		assert_401(&r);
		h_resp_free(&r);
		/* Garbage and empty tokens. */
		assert_int_equal(
			h_req(&srv, "GET", paths[i], "x", NULL, NULL, &r), 0);
		assert_401(&r);
		h_resp_free(&r);
		assert_int_equal(
			h_req(&srv, "GET", paths[i], "", NULL, NULL, &r), 0);
		assert_401(&r);
		h_resp_free(&r);
		/* A revoked one (of an admin, even). */
		assert_int_equal(h_req(&srv, "GET", paths[i], revoked, NULL,
				       NULL, &r),
				 0);
		assert_401(&r);
		h_resp_free(&r);
	}
	/* Longer than any token, or a valid one with something glued on. */
	{
		char longer[4096];

		memset(longer, 'A', sizeof(longer) - 1);
		longer[sizeof(longer) - 1] = '\0';
		memcpy(longer, "prfaq_", 6);
		assert_int_equal(h_req(&srv, "GET", "/v1/me", longer, NULL,
				       NULL, &r),
				 0);
		assert_401(&r);
		h_resp_free(&r);
		snprintf(longer, sizeof(longer), "%sx", srv.admin_token);
		assert_int_equal(h_req(&srv, "GET", "/v1/me", longer, NULL,
				       NULL, &r),
				 0);
		assert_401(&r);
		h_resp_free(&r);
		snprintf(longer, sizeof(longer), "%.48s", srv.admin_token);
		assert_int_equal(h_req(&srv, "GET", "/v1/me", longer, NULL,
				       NULL, &r),
				 0);
		assert_401(&r);
		h_resp_free(&r);
	}
	/* Writes too: nothing is created without a valid token. */
	h_req_json(&srv, "POST", "/v1/users", revoked, NULL,
		   json_pack("{s:s, s:s, s:[]}", "name", "Ghost", "email",
			     "ghost@users.example", "roles"),
		   &r);
	assert_401(&r);
	h_resp_free(&r);
	assert_int_equal(
		h_sql_count(
			&srv,
			"SELECT count(*) FROM users WHERE email = 'ghost@users.example'"),
		0);
	free(revoked);
}

/* --- GET /v1/users ------------------------------------------------------ */

static void
test_users_list_pagination(void **state)
{
	struct h_resp r;
	char path[2048], next[2048], id[40];
	json_t *seen = json_object();
	long total;
	int pages = 0;
	char *reader;

	/* Enough users for several pages, some sharing a name. */
	for (int i = 0; i < 5; i++)
		free(mk_user(i < 3 ? "Same Name" : "Pager",
			     json_pack("[s]", "author"), id, NULL));
	reader = mk_user("Plain Reader", json_pack("[]"), id, NULL);
	total = h_sql_count(&srv, "SELECT count(*) FROM users");
	assert_true(total >= 8);

	/* Any authenticated user may list users; walk it two at a time. */
	snprintf(path, sizeof(path), "/v1/users?limit=2");
	for (;;) {
		json_t *items, *item;
		size_t i;

		assert_int_equal(
			h_req(&srv, "GET", path, reader, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		pages++;
		assert_true(pages <= total);
		items = J(&r, "items");
		assert_true(json_is_array(items));
		assert_true(json_object_get(r.json, "next_cursor") != NULL);
		json_array_foreach(items, i, item) {
			const char *uid =
				json_string_value(json_object_get(item, "id"));

			assert_int_equal(json_object_size(item), 3);
			assert_true(h_is_uuid(uid));
			assert_true(
				json_is_string(json_object_get(item, "name")));
			assert_true(
				json_is_array(json_object_get(item, "roles")));
			/* No duplicates across pages. */
			assert_null(json_object_get(seen, uid));
			json_object_set_new(seen, uid, json_true());
		}
		if (json_is_null(J(&r, "next_cursor"))) {
			assert_true(json_array_size(items) <= 2);
			assert_null(h_link_next(&r, next, sizeof(next)));
			h_resp_free(&r);
			break;
		}
		assert_int_equal(json_array_size(items), 2);
		assert_true(json_is_string(J(&r, "next_cursor")));
		/* The Link header leads to the same next page as the cursor. */
		assert_non_null(h_link_next(&r, next, sizeof(next)));
		assert_true(strncmp(next, "/v1/users?", 10) == 0);
		assert_non_null(strstr(next, "limit=2"));
		assert_non_null(strstr(next, JS(&r, "next_cursor")));
		snprintf(path, sizeof(path), "%s", next);
		h_resp_free(&r);
	}
	/* No gaps: every user was seen. */
	assert_int_equal((long)json_object_size(seen), total);
	assert_non_null(json_object_get(seen, srv.admin_id));
	assert_int_equal(pages, (total + 1) / 2);
	json_decref(seen);

	/* The default page holds them all here (default limit 20). */
	assert_int_equal(
		h_req(&srv, "GET", "/v1/users", reader, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_int_equal((long)json_array_size(J(&r, "items")),
			 total < 20 ? total : 20);
	h_resp_free(&r);
	free(reader);
}

static void
test_users_list_bad_limit_or_cursor(void **state)
{
	static const char *const bad[] = {
		"/v1/users?limit=0",
		"/v1/users?limit=101",
		"/v1/users?limit=abc",
		"/v1/users?limit=-1",
		"/v1/users?limit=",
		"/v1/users?limit=2.5",
		"/v1/users?cursor=not%20a%20cursor",
		"/v1/users?cursor=bm9wZQ",
		"/v1/users?cursor=%5B%5D",
		"/v1/users?limit=2&cursor=WyJhIiwiYiJd",
	};
	struct h_resp r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(h_req(&srv, "GET", bad[i], srv.admin_token,
				       NULL, NULL, &r),
				 0);
		if (r.status != 400)
			print_error("%s\n", bad[i]);
		assert_problem(&r, 400);
		h_resp_free(&r);
	}
	/* The bounds themselves are fine. */
	assert_int_equal(h_req(&srv, "GET", "/v1/users?limit=1",
			       srv.admin_token, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(J(&r, "items")), 1);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/users?limit=100",
			       srv.admin_token, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
}

/* --- no token in clear -------------------------------------------------- */

static void
test_database_holds_no_token_in_clear(void **state)
{
	char id[40], sql[2048];
	char *t1 = mk_user("hash", json_pack("[s]", "author"), id, NULL);
	char *t2 = new_token(id, srv.admin_token, NULL);

	assert_int_equal(
		h_sql_count(
			&srv,
			"SELECT count(*) FROM api_tokens"
			" WHERE encode(token_hash,'escape') LIKE '%prfaq_%'"),
		0);
	for (size_t i = 0; i < nissued; i++) {
		/* No row of any table holds a token's text... */
		snprintf(
			sql, sizeof(sql),
			"SELECT count(*) FROM information_schema.tables t"
			" WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'"
			"   AND (xpath('/row/c/text()', query_to_xml(format("
			"        'SELECT count(*) AS c FROM %%I.%%I x WHERE x::text LIKE %%L',"
			"        t.table_schema, t.table_name, '%%%s%%'), false, true, '')))[1]"
			"       ::text::int > 0",
			issued[i] + 6);
		assert_int_equal(h_sql_count(&srv, sql), 0);
		snprintf(
			sql, sizeof(sql),
			"SELECT count(*) FROM api_tokens t WHERE t::text LIKE '%%%s%%'",
			issued[i]);
		assert_int_equal(h_sql_count(&srv, sql), 0);
		/* ...only its SHA-256. */
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM api_tokens"
			 " WHERE token_hash = sha256(convert_to('%s', 'UTF8'))",
			 issued[i]);
		assert_int_equal(h_sql_count(&srv, sql), 1);
	}
	/* The check above is not vacuous: it finds what is there. */
	snprintf(
		sql, sizeof(sql),
		"SELECT count(*) FROM information_schema.tables t"
		" WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'"
		"   AND (xpath('/row/c/text()', query_to_xml(format("
		"        'SELECT count(*) AS c FROM %%I.%%I x WHERE x::text LIKE %%L',"
		"        t.table_schema, t.table_name, '%%%s%%'), false, true, '')))[1]"
		"       ::text::int > 0",
		id);
	assert_true(h_sql_count(&srv, sql) >= 2); /* users and api_tokens */
	free(t1);
	free(t2);
}

/* --- the command line --------------------------------------------------- */

/* Run prfaqd with args; stdout into out.  Returns the exit status. */
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
	while (n + 1 < cap && !feof(p)) {
		size_t k = fread(out + n, 1, cap - 1 - n, p);

		if (k == 0)
			break;
		n += k;
	}
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_cli_create_user(void **state)
{
	char out[512], args[512], email[128], me[40];
	struct h_resp r;

	/* Success: the token alone on stdout, and it works. */
	unique_email(email, sizeof(email), "cli");
	snprintf(
		args, sizeof(args),
		"create-user --name 'Cli User' --email '%s' --roles author,reviewer",
		email);
	assert_int_equal(run_cli(args, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), 50);
	assert_int_equal(out[49], '\n');
	out[49] = '\0';
	assert_token_text(out);
	remember(out);
	assert_int_equal(h_req(&srv, "GET", "/v1/me", out, NULL, NULL, &r), 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "email"), email);
	assert_string_equal(JS(&r, "name"), "Cli User");
	assert_true(roles_are(J(&r, "roles"),
			      (const char *const[]){ "author", "reviewer" },
			      2));
	snprintf(me, sizeof(me), "%s", JS(&r, "id"));
	h_resp_free(&r);

	/* A duplicate email (in any case): failure, and nothing on stdout. */
	snprintf(args, sizeof(args),
		 "create-user --name Again --email '%s' --roles author", email);
	assert_int_not_equal(run_cli(args, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_not_equal(
		run_cli("create-user --name Again --email ADMIN@TEST.EXAMPLE"
			" --roles admin",
			out, sizeof(out)),
		0);
	assert_string_equal(out, "");
	/* An unknown role: failure, nothing on stdout, no user. */
	assert_int_not_equal(
		run_cli("create-user --name Bad --email bad-role@users.example"
			" --roles admin,root",
			out, sizeof(out)),
		0);
	assert_string_equal(out, "");
	assert_int_equal(h_sql_count(&srv,
				     "SELECT count(*) FROM users"
				     " WHERE email = 'bad-role@users.example'"),
			 0);

	/* create-token: a new token for an existing user, none for a stranger. */
	snprintf(args, sizeof(args), "create-token --email '%s'", email);
	assert_int_equal(run_cli(args, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), 50);
	out[49] = '\0';
	assert_token_text(out);
	remember(out);
	{
		char who[40];

		whoami(out, who);
		assert_string_equal(who, me);
	}
	assert_int_not_equal(
		run_cli("create-token --email nobody@users.example", out,
			sizeof(out)),
		0);
	assert_string_equal(out, "");
}

/*
 * The server's log once it has caught up with us (a request carrying marker
 * as its id is in it).  Read it now: h_stop() deletes it unless
 * PRFAQ_TEST_KEEP_LOGS is set.
 */
static char *
read_log(const char *marker)
{
	char rid[128];
	const char *hdr[] = { rid, NULL };
	struct h_resp r;
	char *log = NULL;

	snprintf(rid, sizeof(rid), "X-Request-Id: %s", marker);
	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, hdr, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	for (int i = 0; i < 250;
	     i++) { /* up to 5 s: sanitizer builds are slow */
		free(log);
		log = h_read_file(srv.log_path);
		if (log != NULL && strstr(log, marker) != NULL)
			break;
		usleep(20000);
	}
	assert_non_null(log);
	assert_non_null(strstr(log, marker));
	return log;
}

/*
 * The server's log, after everything above, holds none of the tokens
 * issued, even when clients put them where they do not belong.
 */
static void
test_log_holds_no_token(void **state)
{
	struct h_resp r;
	char path[512], id[40];
	char *t = mk_user("leaky", json_pack("[s]", "author"), id, NULL);
	char *log = NULL;

	/* Tokens in the path, where a confused client might put them. */
	snprintf(path, sizeof(path), "/v1/%s", t);
	assert_int_equal(h_req(&srv, "GET", path, t, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/%s", t);
	assert_int_equal(h_req(&srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/users/%s/tokens", t);
	assert_int_equal(h_req(&srv, "POST", path, t, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/tokens/%s", srv.admin_token);
	assert_int_equal(h_req(&srv, "DELETE", path, t, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	/* An unknown query parameter (400, named but its value not echoed). */
	snprintf(path, sizeof(path), "/v1/me?access_token=%s", t);
	assert_int_equal(h_req(&srv, "GET", path, t, NULL, NULL, &r), 0);
	assert_problem(&r, 400);
	assert_null(strstr(r.body, t));
	h_resp_free(&r);
	/* In the header, but with a scheme we do not take. */
	{
		char auth[128];
		const char *hdr[] = { auth, NULL };

		snprintf(auth, sizeof(auth), "Authorization: Token %s", t);
		assert_int_equal(
			h_req(&srv, "GET", "/v1/me", NULL, hdr, NULL, &r), 0);
		assert_401(&r);
		h_resp_free(&r);
	}
	/* As a request id, which is logged and echoed: a fresh one is used. */
	{
		char rid[128], echoed[128];
		const char *hdr[] = { rid, NULL };

		snprintf(rid, sizeof(rid), "X-Request-Id: %s", t);
		assert_int_equal(h_req(&srv, "GET", "/v1/me", t, hdr, NULL, &r),
				 0);
		assert_status(&r, 200);
		assert_non_null(
			h_header(&r, "X-Request-Id", echoed, sizeof(echoed)));
		assert_null(strstr(echoed, t + 6));
		h_resp_free(&r);
	}
	log = read_log("log-check-marker");
	/* The requests above were logged, with the token taken out. */
	assert_non_null(strstr(log, "[redacted]"));
	for (size_t i = 0; i < nissued; i++) {
		/* The random part alone: no prefix-less leak either. */
		if (strstr(log, issued[i] + 6) != NULL) {
			print_error("token %zu of %zu is in %s\n", i, nissued,
				    srv.log_path);
			fail();
		}
	}
	free(log);
	free(t);
}

/*
 * A token anywhere in the path, not only as a whole segment, stays out of
 * the log: "/v1/token=prfaq_..." is as much a leak as "/v1/prfaq_...".
 */
static void
test_log_holds_no_token_inside_a_segment(void **state)
{
	static const char *const shapes[][2] = {
		{ "/v1/token=", "" },
		{ "/v1/users/me,", "" },
		{ "/v1/me/Bearer%20", "" },
		{ "/v1/x", "/y" },
	};
	struct h_resp r;
	char path[512], id[40];
	char *t = mk_user("leaky2", json_pack("[]"), id, NULL);
	char *log;

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		snprintf(path, sizeof(path), "%s%s%s", shapes[i][0], t,
			 shapes[i][1]);
		assert_int_equal(h_req(&srv, "GET", path, t, NULL, NULL, &r),
				 0);
		assert_problem(&r, 404);
		h_resp_free(&r);
	}
	/* Without its prefix, or with the prefix percent-encoded. */
	snprintf(path, sizeof(path), "/v1/users/%s", t + 6);
	assert_int_equal(h_req(&srv, "GET", path, t, NULL, NULL, &r), 0);
	assert_problem(&r, 404);
	h_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/%%70%s/%%00", t + 1);
	assert_int_equal(h_req(&srv, "GET", path, t, NULL, NULL, &r), 0);
	assert_true(r.status == 404 || r.status == 400);
	h_resp_free(&r);
	log = read_log("log-check-marker-2");
	if (strstr(log, t + 6) != NULL) {
		print_error("a token inside a path segment is in %s\n",
			    srv.log_path);
		fail();
	}
	free(log);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_me_returns_the_caller),
		cmocka_unit_test(test_create_user_as_admin),
		cmocka_unit_test(test_create_user_needs_admin),
		cmocka_unit_test(test_duplicate_email_is_409),
		cmocka_unit_test(test_create_user_validation),
		cmocka_unit_test(test_create_user_bad_bodies),
		cmocka_unit_test(test_get_user),
		cmocka_unit_test(test_token_response_shape),
		cmocka_unit_test(test_token_create_rules),
		cmocka_unit_test(test_token_delete_rules),
		cmocka_unit_test(test_revoked_token_fails_on_next_request),
		cmocka_unit_test(test_bearer_scheme_and_whitespace),
		cmocka_unit_test(test_401_without_a_valid_token),
		cmocka_unit_test(test_users_list_pagination),
		cmocka_unit_test(test_users_list_bad_limit_or_cursor),
		cmocka_unit_test(test_database_holds_no_token_in_clear),
		cmocka_unit_test(test_cli_create_user),
		/* Keep these last: they check the log of everything before. */
		cmocka_unit_test(test_log_holds_no_token),
		cmocka_unit_test(test_log_holds_no_token_inside_a_segment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
