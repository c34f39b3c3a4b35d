/*
 * test_jwt.c - single sign-on for portals: prfaqd verifies the JWTs of an
 * identity provider that this file plays (its own RSA and EC P-256 keys,
 * its own tokens), beside the opaque API tokens.  Every refusal of the
 * contract answers 401 with an RFC 6750 error_description and writes
 * nothing; auto-creation and the roles claim; the key set served over TLS
 * from a loopback server thread with a certificate made here, reloaded on
 * an unknown kid (once a minute at most) and on a timer, the last good set
 * kept while the URL fails; the settings refused at start.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "jwt_keys.h"

#define ISS "https://idp.example.test"
#define AUD "prfaqd"

static struct tk_key rsa1, ec2, rsa3, stranger;
static char tmpdir[256];
static char jwks_path[512];
static struct h_server srv; /* file key set, no auto-create, no roles claim */

/* --- the tests' https server for the key set ---------------------------- */

struct tls_srv {
	SSL_CTX *ctx;
	int fd, port;
	pthread_t thread;
	pthread_mutex_t mu;
	char *body; /* what GET answers; owned */
	int status;
	atomic_int fetches; /* answers sent */
	atomic_bool stop;
};

static struct tls_srv tls;
static char ca_path[512];

static void
tls_serve_one(struct tls_srv *t, int c)
{
	struct timeval tv = { .tv_sec = 2 };
	char req[8192], head[256];
	size_t got = 0;
	SSL *ssl = SSL_new(t->ctx);
	char *body;
	int status, n;

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (ssl == NULL || SSL_set_fd(ssl, c) != 1 || SSL_accept(ssl) != 1)
		goto out;
	while (got < sizeof(req) - 1 &&
	       (n = SSL_read(ssl, req + got, (int)(sizeof(req) - 1 - got))) >
		       0) {
		got += (size_t)n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	if (strstr(req, "\r\n\r\n") == NULL)
		goto out;
	pthread_mutex_lock(&t->mu);
	body = strdup(t->body);
	status = t->status;
	pthread_mutex_unlock(&t->mu);
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
		     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		     status, strlen(body));
	if (SSL_write(ssl, head, n) == n &&
	    SSL_write(ssl, body, (int)strlen(body)) == (int)strlen(body))
		atomic_fetch_add(&t->fetches, 1);
	free(body);
	SSL_shutdown(ssl);
out:
	SSL_free(ssl);
	close(c);
}

static void *
tls_run(void *arg)
{
	struct tls_srv *t = arg;

	while (!atomic_load(&t->stop)) {
		struct pollfd p = { .fd = t->fd, .events = POLLIN };
		int c;

		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((c = accept(t->fd, NULL, NULL)) >= 0)
			tls_serve_one(t, c);
	}
	return NULL;
}

static void
tls_set(int status, const char *body)
{
	pthread_mutex_lock(&tls.mu);
	free(tls.body);
	tls.body = strdup(body);
	tls.status = status;
	pthread_mutex_unlock(&tls.mu);
}

/* A key set of the given keys as the server's answer. */
static void
tls_set_keys(const struct tk_key *const *keys, size_t n)
{
	char *doc = tk_jwks(keys, n);

	tls_set(200, doc);
	free(doc);
}

/*
 * Make a self-signed certificate for 127.0.0.1 (the openssl command) and
 * listen on a loopback port with it.
 */
static int
tls_start(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	char key[600];
	int one = 1;

	snprintf(key, sizeof(key), "%s/tls.key", tmpdir);
	snprintf(ca_path, sizeof(ca_path), "%s/tls.crt", tmpdir);
	if (h_sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
		 "-nodes -days 1 -subj /CN=127.0.0.1 "
		 "-addext subjectAltName=IP:127.0.0.1 -keyout '%s' -out '%s' "
		 ">/dev/null 2>&1",
		 key, ca_path) != 0)
		return -1;
	if ((tls.ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_use_certificate_file(tls.ctx, ca_path, SSL_FILETYPE_PEM) !=
		    1 ||
	    SSL_CTX_use_PrivateKey_file(tls.ctx, key, SSL_FILETYPE_PEM) != 1)
		return -1;
	pthread_mutex_init(&tls.mu, NULL);
	tls.body = strdup("{}");
	tls.status = 200;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((tls.fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(tls.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) !=
		    0 ||
	    bind(tls.fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(tls.fd, (struct sockaddr *)&a, &len) != 0 ||
	    listen(tls.fd, 16) != 0)
		return -1;
	tls.port = ntohs(a.sin_port);
	return pthread_create(&tls.thread, NULL, tls_run, &tls) == 0 ? 0 : -1;
}

static void
tls_stop(void)
{
	atomic_store(&tls.stop, true);
	pthread_join(tls.thread, NULL);
	close(tls.fd);
	SSL_CTX_free(tls.ctx);
	free(tls.body);
}

/* --- set-up ------------------------------------------------------------- */

static const char *const *
env_with(const char *const *extra)
{
	static char jwks[600];
	static const char *env[16];
	size_t n = 0;

	snprintf(jwks, sizeof(jwks), "PRFAQ_JWT_JWKS=%s", jwks_path);
	env[n++] = jwks;
	env[n++] = "PRFAQ_JWT_ISSUER=" ISS;
	env[n++] = "PRFAQ_JWT_AUDIENCE=" AUD;
	/* Room for the 20 KB header, so that prfaqd, not libmicrohttpd, says no. */
	env[n++] = "PRFAQ_CONN_MEMORY_LIMIT=131072";
	env[n++] = "NO_PROXY=127.0.0.1";
	for (; extra != NULL && *extra != NULL && n < 15; extra++)
		env[n++] = *extra;
	env[n] = NULL;
	return env;
}

static int
setup(void **state)
{
	const struct tk_key *set[] = { &rsa1, &ec2 };
	char *doc;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/prfaq-jwt-XXXXXX");
	if (mkdtemp(tmpdir) == NULL || tk_key_new(&rsa1, false, "rsa-1") != 0 ||
	    tk_key_new(&ec2, true, "ec-2") != 0 ||
	    tk_key_new(&rsa3, false, "rsa-3") != 0 ||
	    tk_key_new(&stranger, false, "rsa-1") != 0)
		return -1;
	doc = tk_jwks(set, 2);
	if (doc == NULL ||
	    tk_write_temp(tmpdir, doc, jwks_path, sizeof(jwks_path)) != 0) {
		free(doc);
		return -1;
	}
	free(doc);
	if (tls_start() != 0) {
		fprintf(stderr, "test_jwt: cannot start the TLS server\n");
		return -1;
	}
	return h_start(&srv, env_with(NULL));
}

static int
teardown(void **state)
{
	h_stop(&srv);
	tls_stop();
	tk_key_free(&rsa1);
	tk_key_free(&ec2);
	tk_key_free(&rsa3);
	tk_key_free(&stranger);
	h_sh("rm -rf '%s'", tmpdir);
	return 0;
}

/* --- helpers ------------------------------------------------------------ */

/* Claims of a good token for email; each token unique (jti). */
static json_t *
claims(const char *email)
{
	static int jti;
	time_t now = time(NULL);

	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:i}", "iss", ISS,
			 "aud", AUD, "email", email, "name", "Portal User",
			 "iat", (json_int_t)now, "exp", (json_int_t)now + 600,
			 "jti", ++jti);
}

/* A user made through the API (an admin's POST); its email into email. */
static char *
mk_user(struct h_server *s, const char *name, const char *roles, char *id,
	char *email)
{
	char *token = h_user(s, name, roles, id), sql[128], *e;

	assert_non_null(token);
	snprintf(sql, sizeof(sql), "SELECT email FROM users WHERE id = '%s'",
		 id);
	e = h_sql(s->dbname, sql);
	assert_non_null(e);
	strcpy(email, e);
	free(e);
	return token;
}

/* Everything a refused token could have written: users and tokens, hashed. */
static char *
db_state(struct h_server *s)
{
	char *st = h_sql(
		s->dbname,
		"SELECT md5((SELECT coalesce(string_agg(u::text, '|' ORDER BY id), '')"
		"              FROM users u) || '#' ||"
		"           (SELECT coalesce(string_agg(t::text, '|' ORDER BY id), '')"
		"              FROM api_tokens t))");

	assert_non_null(st);
	return st;
}

static long
users_count(struct h_server *s)
{
	char *c = h_sql(s->dbname, "SELECT count(*) FROM users");
	long n = c ? atol(c) : -1;

	free(c);
	return n;
}

/* GET /v1/me with token (freed here). */
static void
me(struct h_server *s, char *token, struct h_resp *r)
{
	assert_non_null(token);
	assert_int_equal(h_req(s, "GET", "/v1/me", token, NULL, NULL, r), 0);
	free(token);
}

/*
 * token (freed here) is refused: 401, problem+json, and an RFC 6750
 * challenge whose error_description contains want; nothing was written.
 */
static void
assert_refused_on(struct h_server *s, char *token, const char *want)
{
	char www[1024], ct[128], *before = db_state(s), *after;
	struct h_resp r;

	me(s, token, &r);
	assert_status(&r, 401);
	assert_non_null(h_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/problem+json");
	assert_non_null(h_header(&r, "WWW-Authenticate", www, sizeof(www)));
	if (strncmp(www, "Bearer ", 7) != 0 ||
	    strstr(www, "error=\"invalid_token\"") == NULL ||
	    strstr(www, "error_description=\"") == NULL ||
	    strstr(www, want) == NULL)
		fail_msg("WWW-Authenticate: %s (want \"%s\")", www, want);
	assert_non_null(strstr(JS(&r, "detail"), want));
	h_resp_free(&r);
	after = db_state(s);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void
assert_refused(char *token, const char *want)
{
	assert_refused_on(&srv, token, want);
}

/* token (freed here) is the user id: GET /v1/me answers them. */
static void
assert_user(struct h_server *s, char *token, const char *id)
{
	struct h_resp r;

	me(s, token, &r);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "id"), id);
	h_resp_free(&r);
}

/* --- the tests ---------------------------------------------------------- */

static void
test_rs256_and_es256_beside_opaque_tokens(void **state)
{
	char id[40], email[128], upper[128], *opaque;
	struct h_resp r;
	char *before;

	opaque = mk_user(&srv, "ana", "\"author\",\"reviewer\"", id, email);
	before = db_state(&srv);
	assert_user(&srv, tk_token(&rsa1, claims(email)), id);
	assert_user(&srv, tk_token(&ec2, claims(email)), id);
	/* The email is matched case-insensitively. */
	for (size_t i = 0; i <= strlen(email); i++)
		upper[i] = (char)(email[i] >= 'a' && email[i] <= 'z' ?
					  email[i] - 32 :
					  email[i]);
	assert_user(&srv, tk_token(&rsa1, claims(upper)), id);
	/* The same token again (from the cache now), and the stored roles. */
	{
		char *t = tk_token(&ec2, claims(email));

		for (int i = 0; i < 3; i++) {
			me(&srv, strdup(t), &r);
			assert_status(&r, 200);
			assert_int_equal(json_array_size(J(&r, "roles")), 2);
			h_resp_free(&r);
		}
		/* And a route that needs a role: the author may create. */
		assert_int_equal(h_req(&srv, "POST", "/v1/prfaqs", t, NULL,
				       "{\"title\":\"Sign-on\"}", &r),
				 0);
		assert_status(&r, 201);
		h_resp_free(&r);
		free(t);
	}
	/* Verifying wrote nothing (the POST above wrote a PR/FAQ, not users
	 * or tokens). */
	{
		char *after = db_state(&srv);

		assert_string_equal(before, after);
		free(after);
	}
	/* Opaque tokens keep working beside JWTs (and touch last_used_at). */
	assert_int_equal(h_req(&srv, "GET", "/v1/me", opaque, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "id"), id);
	h_resp_free(&r);
	free(before);
	free(opaque);
}

static void
test_every_refusal(void **state)
{
	char id[40], email[128], *opaque;
	json_t *c;
	char *big;

	opaque = mk_user(&srv, "bo", "\"author\"", id, email);
	assert_refused(
		tk_sign(&rsa1,
			json_pack("{s:s, s:s}", "alg", "none", "kid", "rsa-1"),
			claims(email)),
		"alg none");
	assert_refused(
		tk_sign(&rsa1,
			json_pack("{s:s, s:s}", "alg", "HS256", "kid", "rsa-1"),
			claims(email)),
		"HMAC");
	assert_refused(
		tk_sign(&rsa1,
			json_pack("{s:s, s:s}", "alg", "RS256", "kid", "rsa-9"),
			claims(email)),
		"kid is not in the key set");
	assert_refused(tk_token(&stranger, claims(email)),
		       "signature does not verify");
	c = claims(email);
	json_object_set_new(c, "exp", json_integer(time(NULL) - 120));
	assert_refused(tk_token(&rsa1, c), "expired");
	c = claims(email);
	json_object_set_new(c, "nbf", json_integer(time(NULL) + 600));
	assert_refused(tk_token(&ec2, c), "not valid yet");
	c = claims(email);
	json_object_set_new(c, "iss", json_string("https://evil.example.test"));
	assert_refused(tk_token(&rsa1, c), "issuer");
	c = claims(email);
	json_object_set_new(c, "aud", json_pack("[s]", "another-service"));
	assert_refused(tk_token(&rsa1, c), "audience");
	c = claims(email);
	json_object_del(c, "exp");
	assert_refused(tk_token(&rsa1, c), "no expiry");
	/* An unknown email, without PRFAQ_JWT_AUTO_CREATE. */
	assert_refused(tk_token(&rsa1, claims("nobody@elsewhere.example")),
		       "no user has the email");
	/* A JWT with a 20 KB header. */
	big = malloc(20 * 1024 + 1);
	memset(big, 'h', 20 * 1024);
	big[20 * 1024] = '\0';
	assert_refused(tk_sign(&rsa1,
			       json_pack("{s:s, s:s, s:s}", "alg", "RS256",
					 "kid", "rsa-1", "pad", big),
			       claims(email)),
		       "too large");
	free(big);
	/* Still a valid user after all that. */
	assert_user(&srv, tk_token(&rsa1, claims(email)), id);
	free(opaque);
}

static void
test_deactivated_user(void **state)
{
	char id[40], email[128], sql[128], *opaque;
	struct h_resp r;

	opaque = mk_user(&srv, "cy", "\"author\"", id, email);
	/* PATCH /v1/users does not exist yet: straight into the database. */
	snprintf(sql, sizeof(sql),
		 "UPDATE users SET active = false WHERE id = '%s'", id);
	free(h_sql(srv.dbname, sql));
	assert_refused(tk_token(&rsa1, claims(email)), "deactivated");
	/* Its opaque token fails as well (not cached yet: never used). */
	assert_int_equal(h_req(&srv, "GET", "/v1/me", opaque, NULL, NULL, &r),
			 0);
	assert_status(&r, 401);
	h_resp_free(&r);
	snprintf(sql, sizeof(sql),
		 "UPDATE users SET active = true WHERE id = '%s'", id);
	free(h_sql(srv.dbname, sql));
	assert_user(&srv, tk_token(&ec2, claims(email)), id);
	free(opaque);
}

/* A server that creates unknown users, and takes roles from "groups". */
static void
test_auto_create_and_roles_claim(void **state)
{
	static const char *const extra[] = {
		"PRFAQ_JWT_AUTO_CREATE=1",
		"PRFAQ_JWT_DEFAULT_ROLES=reviewer",
		"PRFAQ_JWT_ROLES_CLAIM=groups",
		NULL,
	};
	struct h_server s2;
	char sql[160], *v, id[40];
	long n0;
	json_t *c;
	struct h_resp r;
	char *t;

	assert_int_equal(h_start(&s2, env_with(extra)), 0);
	n0 = users_count(&s2);
	/* A refused token creates nobody, even here. */
	assert_refused_on(&s2,
			  tk_token(&stranger, claims("new@portal.example")),
			  "signature");
	c = claims("new@portal.example");
	json_object_set_new(c, "exp", json_integer(time(NULL) - 3600));
	assert_refused_on(&s2, tk_token(&rsa1, c), "expired");
	assert_int_equal(users_count(&s2), n0);

	/* The first good token creates the user, named by its name claim. */
	c = claims("New@Portal.example");
	json_object_set_new(c, "groups",
			    json_pack("[s,s,s]", "author", "wizard", "root"));
	t = tk_token(&ec2, c);
	me(&s2, strdup(t), &r);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "name"), "Portal User");
	assert_string_equal(JS(&r, "email"), "New@Portal.example");
	/* The roles of the request: the claim's known names, nothing more. */
	assert_int_equal(json_array_size(J(&r, "roles")), 1);
	assert_string_equal(
		json_string_value(json_array_get(J(&r, "roles"), 0)), "author");
	strcpy(id, JS(&r, "id"));
	h_resp_free(&r);
	assert_int_equal(users_count(&s2), n0 + 1);
	/* Stored with PRFAQ_JWT_DEFAULT_ROLES. */
	snprintf(
		sql, sizeof(sql),
		"SELECT array_to_string(roles, ',') || '/' || active FROM users"
		" WHERE id = '%s'",
		id);
	v = h_sql(s2.dbname, sql);
	assert_string_equal(v, "reviewer/true");
	free(v);
	/* As an author of this request it may create a PR/FAQ. */
	assert_int_equal(h_req(&s2, "POST", "/v1/prfaqs", t, NULL,
			       "{\"title\":\"From the portal\"}", &r),
			 0);
	assert_status(&r, 201);
	h_resp_free(&r);
	free(t);

	/* Another token of the same user: found, not created again. */
	c = claims("new@portal.example");
	json_object_set_new(c, "groups",
			    json_pack("[s,s]", "wizard", "superuser"));
	t = tk_token(&rsa1, c);
	me(&s2, strdup(t), &r);
	assert_status(&r, 200);
	assert_string_equal(JS(&r, "id"), id);
	/* Only unknown names: no role at all (not the stored reviewer). */
	assert_int_equal(json_array_size(J(&r, "roles")), 0);
	h_resp_free(&r);
	assert_int_equal(users_count(&s2), n0 + 1);
	assert_int_equal(h_req(&s2, "POST", "/v1/prfaqs", t, NULL,
			       "{\"title\":\"Not an author\"}", &r),
			 0);
	assert_status(&r, 403);
	h_resp_free(&r);
	free(t);

	/* A deactivated auto-created user is refused, and not created again. */
	snprintf(sql, sizeof(sql),
		 "UPDATE users SET active = false WHERE id = '%s'", id);
	free(h_sql(s2.dbname, sql));
	assert_refused_on(&s2, tk_token(&rsa1, claims("new@portal.example")),
			  "deactivated");
	assert_int_equal(users_count(&s2), n0 + 1);
	h_stop(&s2);
}

/* Poll until token (kept) answers want, for up to ms; the last status. */
static long
wait_status(struct h_server *s, const char *token, long want, int ms)
{
	struct h_resp r;
	long got = 0;

	for (double t0 = h_now_ms(); h_now_ms() - t0 < ms; usleep(100000)) {
		if (h_req(s, "GET", "/v1/me", token, NULL, NULL, &r) == 0)
			got = r.status;
		h_resp_free(&r);
		if (got == want)
			break;
	}
	return got;
}

static void
wait_fetches(int want, int ms)
{
	for (double t0 = h_now_ms();
	     atomic_load(&tls.fetches) < want && h_now_ms() - t0 < ms;
	     usleep(50000))
		;
	assert_true(atomic_load(&tls.fetches) >= want);
}

static void
https_env(char *url, char *ca, const char *refresh, const char **env)
{
	snprintf(url, 128, "PRFAQ_JWT_JWKS=https://127.0.0.1:%d/jwks.json",
		 tls.port);
	snprintf(ca, 600, "PRFAQ_JWT_CA_FILE=%s", ca_path);
	env[0] = url;
	env[1] = ca;
	env[2] = refresh;
	env[3] = NULL;
}

/*
 * The key set over https, trusted through PRFAQ_JWT_CA_FILE; an unknown kid
 * reloads it at once, a second one within the minute does not.
 */
static void
test_https_key_set_reloads_on_unknown_kid(void **state)
{
	const struct tk_key *one[] = { &rsa1 }, *two[] = { &rsa1, &ec2 },
			    *three[] = { &rsa1, &ec2, &rsa3 };
	char url[128], ca[600], id[40], email[128], *opaque, *t;
	const char *env[4];
	struct h_server s3;
	int f0;

	https_env(url, ca, "PRFAQ_JWT_JWKS_REFRESH=3600", env);
	tls_set_keys(one, 1);
	atomic_store(&tls.fetches, 0);
	assert_int_equal(h_start(&s3, env_with(env)), 0);
	assert_int_equal(atomic_load(&tls.fetches), 1);
	opaque = mk_user(&s3, "dee", "\"author\"", id, email);
	assert_user(&s3, tk_token(&rsa1, claims(email)), id);

	/* The provider adds ec-2: the first token naming it brings the reload. */
	tls_set_keys(two, 2);
	f0 = atomic_load(&tls.fetches);
	t = tk_token(&ec2, claims(email));
	assert_int_equal(wait_status(&s3, t, 200, 5000), 200);
	free(t);
	assert_int_equal(atomic_load(&tls.fetches), f0 + 1);

	/* rsa-3 within the same minute: refused, and no second fetch. */
	tls_set_keys(three, 3);
	assert_refused_on(&s3, tk_token(&rsa3, claims(email)), "kid is not in");
	usleep(1500000);
	assert_refused_on(&s3, tk_token(&rsa3, claims(email)), "kid is not in");
	assert_int_equal(atomic_load(&tls.fetches), f0 + 1);
	free(opaque);
	h_stop(&s3);
}

/*
 * Reloads on a timer; a failing URL (an error status, a body that is no key
 * set) keeps the last good set; a good answer replaces it, and a key that
 * left the set no longer verifies.
 */
static void
test_https_timer_keeps_last_good_set(void **state)
{
	const struct tk_key *one[] = { &rsa1 }, *other[] = { &ec2 };
	char url[128], ca[600], id[40], email[128], *opaque, *t, *log;
	const char *env[4];
	struct h_server s4;

	https_env(url, ca, "PRFAQ_JWT_JWKS_REFRESH=1", env);
	tls_set_keys(one, 1);
	assert_int_equal(h_start(&s4, env_with(env)), 0);
	opaque = mk_user(&s4, "eve", "\"author\"", id, email);
	assert_user(&s4, tk_token(&rsa1, claims(email)), id);

	tls_set(500, "{\"error\":\"down\"}");
	wait_fetches(atomic_load(&tls.fetches) + 2, 5000);
	assert_user(&s4, tk_token(&rsa1, claims(email)), id);
	tls_set(200, "<html>maintenance</html>");
	wait_fetches(atomic_load(&tls.fetches) + 2, 5000);
	assert_user(&s4, tk_token(&rsa1, claims(email)), id);
	tls_set(200, "{\"keys\":[]}");
	wait_fetches(atomic_load(&tls.fetches) + 2, 5000);
	assert_user(&s4, tk_token(&rsa1, claims(email)), id);

	/* The provider rotates to ec-2 alone. */
	tls_set_keys(other, 1);
	t = tk_token(&ec2, claims(email));
	assert_int_equal(wait_status(&s4, t, 200, 5000), 200);
	free(t);
	assert_refused_on(&s4, tk_token(&rsa1, claims(email)), "kid is not in");
	free(opaque);
	log = h_read_file(s4.log_path);
	assert_non_null(log);
	assert_non_null(strstr(log, "keeping the last good set: HTTP 500"));
	assert_non_null(strstr(
		log, "keeping the last good set: the key set is not JSON"));
	assert_non_null(strstr(log, "no usable key"));
	free(log);
	h_stop(&s4);
}

/* A certificate nobody trusts: no keys, so no JWT, but API tokens work. */
static void
test_https_untrusted_certificate(void **state)
{
	const struct tk_key *one[] = { &rsa1 };
	char url[128], id[40], email[128], *opaque;
	const char *env[3];
	struct h_server s5;
	struct h_resp r;

	snprintf(url, sizeof(url),
		 "PRFAQ_JWT_JWKS=https://127.0.0.1:%d/jwks.json", tls.port);
	env[0] = url;
	env[1] = "PRFAQ_JWT_CA_FILE=/etc/ssl/certs/ca-certificates.crt";
	env[2] = NULL;
	if (access("/etc/ssl/certs/ca-certificates.crt", R_OK) != 0)
		env[1] = NULL;
	tls_set_keys(one, 1);
	assert_int_equal(h_start(&s5, env_with(env)), 0);
	opaque = mk_user(&s5, "fay", "\"author\"", id, email);
	assert_refused_on(&s5, tk_token(&rsa1, claims(email)), "kid is not in");
	assert_int_equal(h_req(&s5, "GET", "/v1/me", opaque, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	free(opaque);
	h_stop(&s5);
}

/* prfaqd with env (a shell prefix) exits with want, saying say on stderr. */
static void
assert_refuses_to_start(const char *env, int want, const char *say)
{
	char out[600], *text;
	int rc;

	snprintf(out, sizeof(out), "%s/start.err", tmpdir);
	rc = h_sh(
		"env %s PRFAQ_DATABASE_URL='%s' PRFAQ_PORT=%d PRFAQ_AUTO_MIGRATE=0 "
		"'%s' serve >'%s' 2>&1",
		env, srv.conninfo, h_free_port(), getenv("PRFAQD_BIN"), out);
	text = h_read_file(out);
	assert_non_null(text);
	if (rc != want || strstr(text, say) == NULL)
		fail_msg("exit %d (want %d), said: %s (want \"%s\")", rc, want,
			 text, say);
	free(text);
}

static void
test_settings_refused_at_start(void **state)
{
	char env[1200], bad[600];

	assert_refuses_to_start(
		"PRFAQ_JWT_JWKS=/x.json PRFAQ_JWT_AUDIENCE=a", 2,
		"PRFAQ_JWT_ISSUER and PRFAQ_JWT_AUDIENCE must be set");
	assert_refuses_to_start("PRFAQ_JWT_JWKS=http://127.0.0.1/k "
				"PRFAQ_JWT_ISSUER=i PRFAQ_JWT_AUDIENCE=a",
				2, "https:// URL");
	assert_refuses_to_start(
		"PRFAQ_JWT_JWKS=/x.json PRFAQ_JWT_ISSUER=i "
		"PRFAQ_JWT_AUDIENCE=a PRFAQ_JWT_DEFAULT_ROLES=author,wizard",
		2, "unknown role \"wizard\"");
	assert_refuses_to_start(
		"PRFAQ_JWT_ISSUER=i", 2,
		"PRFAQ_JWT_ISSUER is set but PRFAQ_JWT_JWKS is not");
	assert_refuses_to_start(
		"PRFAQ_JWT_JWKS=/nonexistent/jwks.json "
		"PRFAQ_JWT_ISSUER=i PRFAQ_JWT_AUDIENCE=a",
		1, "PRFAQ_JWT_JWKS: cannot open /nonexistent/jwks.json");
	assert_int_equal(tk_write_temp(tmpdir,
				       "{\"keys\": [{\"kty\": \"oct\"}]}", bad,
				       sizeof(bad)),
			 0);
	snprintf(env, sizeof(env),
		 "PRFAQ_JWT_JWKS='%s' PRFAQ_JWT_ISSUER=i "
		 "PRFAQ_JWT_AUDIENCE=a",
		 bad);
	assert_refuses_to_start(env, 1, "no usable key");
	snprintf(env, sizeof(env),
		 "PRFAQ_JWT_JWKS=https://127.0.0.1:1/k "
		 "PRFAQ_JWT_ISSUER=i PRFAQ_JWT_AUDIENCE=a "
		 "PRFAQ_JWT_CA_FILE=/nonexistent/ca.pem");
	assert_refuses_to_start(env, 1, "PRFAQ_JWT_CA_FILE: cannot read");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rs256_and_es256_beside_opaque_tokens),
		cmocka_unit_test(test_every_refusal),
		cmocka_unit_test(test_deactivated_user),
		cmocka_unit_test(test_auto_create_and_roles_claim),
		cmocka_unit_test(test_https_key_set_reloads_on_unknown_kid),
		cmocka_unit_test(test_https_timer_keeps_last_good_set),
		cmocka_unit_test(test_https_untrusted_certificate),
		cmocka_unit_test(test_settings_refused_at_start),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
