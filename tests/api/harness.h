/*
 * harness.h - black-box API tests: a real prfaqd on a real PostgreSQL.
 *
 * h_start() creates a fresh database (so test files run in parallel), makes
 * an admin with "prfaqd create-user", starts prfaqd on a free loopback port
 * and waits for /healthz.  h_stop() stops the server (SIGTERM, as in
 * production) and drops the database; a server that does not then exit 0 (a
 * sanitizer report: LeakSanitizer's at exit, ThreadSanitizer's exit status
 * 66; a crash; a hang) fails the whole run, with its report printed and its
 * log kept.  Requests go over HTTP with libcurl.
 *
 * Environment: PRFAQD_BIN (set by CTest: the build's prfaqd), PRFAQ_TEST_PG
 * (a libpq conninfo for a role that may create databases; set by
 * scripts/test), PRFAQ_TEST_KEEP_LOGS (set: keep every server log, not only
 * a failed server's).  prfaqd inherits the rest, ASAN_OPTIONS and
 * TSAN_OPTIONS included.
 */
#ifndef PRFAQ_TEST_HARNESS_H
#define PRFAQ_TEST_HARNESS_H

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <cmocka.h>

struct h_server {
	pid_t pid;
	int port;
	char dbname[64];
	char conninfo[1024]; /* prfaqd's PRFAQ_DATABASE_URL */
	char log_path[512];
	char admin_token[128];
	char admin_id[40];
};

struct h_resp {
	long status;
	char *body;
	size_t len;
	char *headers; /* raw header block */
	json_t *json;  /* parsed body when it is JSON, else NULL */
};

/*
 * Start a server; extra_env is NULL or a NULL-terminated list of
 * "NAME=value" strings added to prfaqd's environment.  Returns 0 or -1.
 */
int h_start(struct h_server *s, const char *const *extra_env);
/* Start prfaqd again on the same database (after h_kill()). */
int h_restart(struct h_server *s, const char *const *extra_env);
/*
 * A loopback port nobody listens on now, from the kernel: ports computed
 * from another (srv.port + 1000) collide with parallel tests' sockets.
 */
int h_free_port(void);
/* Send sig to prfaqd and wait for it; returns its exit status or -1. */
int h_kill(struct h_server *s, int sig);
void h_stop(struct h_server *s);

/* A fresh database of our own (dbname receives its name). 0 or -1. */
int h_db_create(char *dbname, size_t cap);
void h_db_drop(const char *dbname);
/* Run one SQL command on a test database; returns the first cell or NULL (malloc'd). */
char *h_sql(const char *dbname, const char *sql);

/*
 * One request.  headers is NULL or a NULL-terminated list of "Name: value".
 * token may be NULL.  body may be NULL (no body); content_type defaults to
 * application/json when a body is sent.
 */
int h_req(struct h_server *s, const char *method, const char *path,
	  const char *token, const char *const *headers, const char *body,
	  struct h_resp *out);

/* printf-style body with the default content type. */
int h_reqf(struct h_server *s, const char *method, const char *path,
	   const char *token, struct h_resp *out, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

void h_resp_free(struct h_resp *r);
/* A header of the response (case-insensitive), copied into buf; NULL if absent. */
const char *h_header(const struct h_resp *r, const char *name, char *buf,
		     size_t cap);

/*
 * Create a user via the API as admin; roles is the inside of a JSON list
 * ("\"author\",\"reviewer\"", or "").  Returns a token of theirs (malloc'd),
 * or NULL; id_out (40 bytes, or NULL) receives the user's id.
 */
char *h_user(struct h_server *s, const char *name, const char *roles,
	     char *id_out);

/* Read a file into a malloc'd NUL-terminated buffer. */
char *h_read_file(const char *path);

/*
 * One request whose body is a JSON value: body is taken (decref'd here) and
 * may be NULL for no body; headers as for h_req().  Asserts that the request
 * was sent and answered; the answer, whatever its status, goes to out.
 */
void h_req_json(struct h_server *s, const char *method, const char *path,
		const char *token, const char *const *headers, json_t *body,
		struct h_resp *out);

/*
 * The path of the response's Link: <...>; rel="next" header, copied into buf;
 * NULL when there is no next page.
 */
const char *h_link_next(const struct h_resp *r, char *buf, size_t cap);

/* A TCP connection to 127.0.0.1:port (blocking); the fd or -1. */
int h_connect(int port);
/*
 * Read an HTTP/1.1 response from fd (h_connect) into buf, up to the end of
 * its headers and a JSON body's closing brace; its status, or -1.  For what
 * libcurl would not send: headers whose body never comes.
 */
int h_raw_status(int fd, char *buf, size_t cap);

/* Whether a problem's errors[] has an entry at pointer, with a message. */
bool h_has_pointer(const struct h_resp *r, const char *pointer);

/* The first cell of a query on the server's database, as a number; asserts
 * that the query ran. */
long h_sql_count(const struct h_server *s, const char *sql);

/* Is s a UUID in its textual form (8-4-4-4-12 hex digits)?  NULL is not. */
bool h_is_uuid(const char *s);
/* Is s an RFC 3339 UTC timestamp to the second, "2026-11-25T10:00:00Z"? */
bool h_is_rfc3339_utc(const char *s);

/*
 * Fails the test, at file:line, unless r is an RFC 9457 problem (the
 * application/problem+json media type, a "status" member equal to the HTTP
 * status, "type", "title" and "detail" strings) with a status from lo to hi.
 * Use it through assert_problem() and assert_problem_4xx().
 */
void h_check_problem(const struct h_resp *r, long lo, long hi, const char *file,
		     int line);

/* Assert helpers: on failure they report the line of the test that used them. */
#define assert_problem(r, status) \
	h_check_problem((r), (status), (status), __FILE__, __LINE__)
#define assert_problem_4xx(r) h_check_problem((r), 400, 499, __FILE__, __LINE__)

#define assert_status(r, want)                                                \
	do {                                                                  \
		if ((r)->status != (want)) {                                  \
			print_error("status %ld, want %d; body: %.*s\n",      \
				    (r)->status, (want),                      \
				    (int)((r)->len > 2000 ? 2000 : (r)->len), \
				    (r)->body ? (r)->body : "");              \
			fail();                                               \
		}                                                             \
	} while (0)

#define J(r, key)  json_object_get((r)->json, key)
#define JS(r, key) json_string_value(json_object_get((r)->json, key))
#define JI(r, key) json_integer_value(json_object_get((r)->json, key))

/*
 * A throwaway PostgreSQL cluster of the test's own, for tests that stop and
 * start the database (the shared one must stay up for the other tests).
 */
struct h_pg {
	char dir[256];
	char conninfo[512]; /* to its "postgres" database */
};
int h_pg_init(struct h_pg *pg);
int h_pg_start(struct h_pg *pg);
/* mode: "fast" or "immediate" */
int h_pg_stop(struct h_pg *pg, const char *mode);
void h_pg_destroy(struct h_pg *pg);
/* Run a shell command (printf-style); returns its exit status. */
int h_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Milliseconds since an arbitrary point (monotonic). */
double h_now_ms(void);

#endif
