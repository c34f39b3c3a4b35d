/*
 * harness.c - see harness.h.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void fail_run_at_exit(void);
static void print_log_report(const char *path);

static const char *
base_conninfo(void)
{
	const char *c = getenv("PRFAQ_TEST_PG");

	return c ? c : "dbname=postgres";
}

static char *
admin_exec(const char *conninfo, const char *sql)
{
	PGconn *pg = PQconnectdb(conninfo);
	PGresult *res;
	char *out = NULL;

	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "harness: cannot connect (%s): %s", conninfo,
			PQerrorMessage(pg));
		PQfinish(pg);
		return NULL;
	}
	res = PQexec(pg, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
		out = strdup(PQgetvalue(res, 0, 0));
	else if (PQresultStatus(res) == PGRES_COMMAND_OK)
		out = strdup("");
	else
		fprintf(stderr, "harness: %s: %s", sql,
			PQresultErrorMessage(res));
	PQclear(res);
	PQfinish(pg);
	return out;
}

int
h_db_create(char *dbname, size_t cap)
{
	static int counter;
	char sql[160], *r;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(dbname, cap, "prfaq_t_%d_%ld_%d", (int)getpid(),
		 (long)(ts.tv_nsec % 100000), counter++);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", dbname);
	r = admin_exec(base_conninfo(), sql);
	free(r);
	return r ? 0 : -1;
}

void
h_db_drop(const char *dbname)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 dbname);
	free(admin_exec(base_conninfo(), sql));
}

char *
h_sql(const char *dbname, const char *sql)
{
	char conninfo[1024];

	snprintf(conninfo, sizeof(conninfo), "%s dbname=%s", base_conninfo(),
		 dbname);
	return admin_exec(conninfo, sql);
}

int
h_free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static int
spawn(struct h_server *s, const char *const *extra_env)
{
	const char *bin = getenv("PRFAQD_BIN");
	char port[16];
	pid_t pid;

	if (bin == NULL)
		bin = "./prfaqd";
	snprintf(port, sizeof(port), "%d", s->port);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(s->log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0) {
			dup2(fd, STDERR_FILENO);
			dup2(fd, STDOUT_FILENO);
			close(fd);
		}
		setenv("PRFAQ_DATABASE_URL", s->conninfo, 1);
		setenv("PRFAQ_PORT", port, 1);
		setenv("PRFAQ_BIND", "127.0.0.1", 1);
		setenv("PRFAQ_THREADS", "2", 0);
		setenv("PRFAQ_SHUTDOWN_TIMEOUT", "10", 0);
		for (const char *const *e = extra_env; e && *e; e++)
			putenv(strdup(*e));
		execl(bin, bin, "serve", (char *)NULL);
		_exit(127);
	}
	s->pid = pid;
	/* Ready when /healthz answers (up to 30 s: sanitizer builds are slow). */
	for (int i = 0; i < 600; i++) {
		struct h_resp r;
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			s->pid = 0;
			fprintf(stderr,
				"harness: prfaqd exited early; see %s\n",
				s->log_path);
			print_log_report(s->log_path);
			return -1;
		}
		if (h_req(s, "GET", "/healthz", NULL, NULL, NULL, &r) == 0 &&
		    r.status == 200) {
			h_resp_free(&r);
			return 0;
		}
		h_resp_free(&r);
		usleep(50000);
	}
	return -1;
}

int
h_restart(struct h_server *s, const char *const *extra_env)
{
	return spawn(s, extra_env);
}

int
h_start(struct h_server *s, const char *const *extra_env)
{
	char cmd[2048];
	FILE *p;

	static bool registered;

	memset(s, 0, sizeof(*s));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!registered) {
		registered = true;
		atexit(fail_run_at_exit);
	}
	if (h_db_create(s->dbname, sizeof(s->dbname)) != 0)
		return -1;
	/*
	 * prfaqd may reach the database another way than the harness does
	 * (through PgBouncer: tests/pgbouncer/run); the harness stays direct.
	 */
	snprintf(s->conninfo, sizeof(s->conninfo), "%s dbname=%s",
		 getenv("PRFAQ_TEST_SERVER_PG") ?
			 getenv("PRFAQ_TEST_SERVER_PG") :
			 base_conninfo(),
		 s->dbname);
	snprintf(s->log_path, sizeof(s->log_path), "%s.log", s->dbname);
	s->port = h_free_port();

	/* The first admin, made the way operators make it. */
	snprintf(cmd, sizeof(cmd),
		 "PRFAQ_DATABASE_URL='%s' '%s' create-user --name Admin "
		 "--email admin@test.example --roles admin 2>>%s",
		 s->conninfo,
		 getenv("PRFAQD_BIN") ? getenv("PRFAQD_BIN") : "./prfaqd",
		 s->log_path);
	p = popen(cmd, "r");
	if (p == NULL ||
	    fgets(s->admin_token, sizeof(s->admin_token), p) == NULL) {
		if (p)
			pclose(p);
		fprintf(stderr, "harness: create-user failed; see %s\n",
			s->log_path);
		return -1;
	}
	/* Its exit status too: a sanitizer report comes after the token. */
	if (pclose(p) != 0) {
		fprintf(stderr, "harness: create-user exited badly; see %s\n",
			s->log_path);
		print_log_report(s->log_path);
		return -1;
	}
	s->admin_token[strcspn(s->admin_token, "\n")] = '\0';
	if (spawn(s, extra_env) != 0)
		return -1;
	{
		struct h_resp r;

		if (h_req(s, "GET", "/v1/me", s->admin_token, NULL, NULL, &r) !=
			    0 ||
		    r.status != 200)
			return -1;
		snprintf(s->admin_id, sizeof(s->admin_id), "%s", JS(&r, "id"));
		h_resp_free(&r);
	}
	return 0;
}

/*
 * Set when a prfaqd stopped by h_stop() did not exit 0: a sanitizer report
 * (LeakSanitizer's at exit; ThreadSanitizer's ends the server at once, with
 * status 66), a crash or a hang on SIGTERM.  cmocka 1.1
 * reports a failing group teardown but still exits 0, so the harness turns
 * the run into a failure itself, at exit.
 */
static bool server_failed;

static void
fail_run_at_exit(void)
{
	if (server_failed) {
		fflush(NULL);
		_exit(1);
	}
}

int
h_kill(struct h_server *s, int sig)
{
	int status = 0;
	pid_t r = 0;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, sig);
	/*
	 * SIGTERM lets requests in flight finish (PRFAQ_SHUTDOWN_TIMEOUT, 10 s
	 * here); a server still there long after that hangs: kill it, so a
	 * hang fails the test instead of stalling the suite.
	 */
	for (int i = 0;
	     i < 1200 && (r = waitpid(s->pid, &status, WNOHANG)) == 0; i++)
		usleep(50000);
	if (r == 0) {
		fprintf(stderr,
			"harness: prfaqd %d ignored signal %d for 60 s; "
			"killing it\n",
			(int)s->pid, sig);
		kill(s->pid, SIGKILL);
		r = waitpid(s->pid, &status, 0);
		status = 0x7f00; /* reported as exit status 127 */
	}
	s->pid = 0;
	if (r <= 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Print what explains a bad exit: the sanitizer report when the log has one,
 * else the end of the log.
 */
static void
print_log_report(const char *path)
{
	static const char *const marks[] = {
		"==ERROR:", "runtime error:", "AddressSanitizer",
		"LeakSanitizer", "ThreadSanitizer"
	};
	char *log = h_read_file(path);
	const char *from = NULL;
	size_t len;

	if (log == NULL)
		return;
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *p = strstr(log, marks[i]);

		if (p != NULL && (from == NULL || p < from))
			from = p;
	}
	len = strlen(log);
	if (from == NULL)
		from = len > 4096 ? log + len - 4096 : log;
	else
		while (from > log && from[-1] != '\n')
			from--;
	fprintf(stderr, "---- %s ----\n%.16384s\n---- end of %s ----\n", path,
		from, path);
	free(log);
}

void
h_stop(struct h_server *s)
{
	bool failed = false;

	if (s->pid > 0) {
		int rc = h_kill(s, SIGTERM);

		if (rc != 0) {
			fprintf(stderr,
				"harness: prfaqd exited with %d on SIGTERM; "
				"see %s\n",
				rc, s->log_path);
			print_log_report(s->log_path);
			failed = server_failed = true;
		}
	}
	if (s->dbname[0] != '\0')
		h_db_drop(s->dbname);
	/* Keep the server log only when something went wrong. */
	if (!failed && getenv("PRFAQ_TEST_KEEP_LOGS") == NULL)
		unlink(s->log_path);
}

struct sink {
	char *data;
	size_t len;
};

static size_t
sink_write(char *ptr, size_t size, size_t n, void *userdata)
{
	struct sink *s = userdata;
	size_t add = size * n;
	char *p = realloc(s->data, s->len + add + 1);

	if (p == NULL)
		return 0;
	memcpy(p + s->len, ptr, add);
	s->data = p;
	s->len += add;
	s->data[s->len] = '\0';
	return add;
}

int
h_req(struct h_server *s, const char *method, const char *path,
      const char *token, const char *const *headers, const char *body,
      struct h_resp *out)
{
	struct sink b = { NULL, 0 }, h = { NULL, 0 };
	struct curl_slist *list = NULL;
	/* auth: room for a JWT, even the 20 KB-header one of test_jwt.c. */
	char url[8192], auth[40960];
	bool has_ct = false;
	CURL *c;
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	c = curl_easy_init();
	if (c == NULL)
		return -1;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		list = curl_slist_append(list, auth);
	}
	for (const char *const *hd = headers; hd && *hd; hd++) {
		if (strncasecmp(*hd, "Content-Type:", 13) == 0)
			has_ct = true;
		list = curl_slist_append(list, *hd);
	}
	if (body != NULL) {
		if (!has_ct)
			list = curl_slist_append(
				list, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	list = curl_slist_append(list, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	rc = curl_easy_perform(c);
	curl_slist_free_all(list);
	if (rc != CURLE_OK) {
		curl_easy_cleanup(c);
		free(b.data);
		free(h.data);
		return -1;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_cleanup(c);
	out->body = b.data ? b.data : strdup("");
	out->len = b.len;
	out->headers = h.data ? h.data : strdup("");
	if (out->len > 0 && (out->body[0] == '{' || out->body[0] == '['))
		out->json = json_loadb(out->body, out->len, 0, NULL);
	return 0;
}

int
h_reqf(struct h_server *s, const char *method, const char *path,
       const char *token, struct h_resp *out, const char *fmt, ...)
{
	char *body = NULL;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&body, fmt, ap) < 0)
		body = NULL;
	va_end(ap);
	rc = h_req(s, method, path, token, NULL, body, out);
	free(body);
	return rc;
}

void
h_resp_free(struct h_resp *r)
{
	free(r->body);
	free(r->headers);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

const char *
h_header(const struct h_resp *r, const char *name, char *buf, size_t cap)
{
	size_t n = strlen(name);

	for (const char *line = r->headers; line && *line;) {
		const char *end = strstr(line, "\r\n");

		if (end == NULL)
			end = line + strlen(line);
		if ((size_t)(end - line) > n &&
		    strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;

			while (*v == ' ')
				v++;
			snprintf(buf, cap, "%.*s", (int)(end - v), v);
			return buf;
		}
		line = *end ? end + 2 : end;
	}
	return NULL;
}

void
h_req_json(struct h_server *s, const char *method, const char *path,
	   const char *token, const char *const *headers, json_t *body,
	   struct h_resp *out)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

	json_decref(body);
	assert_true(body == NULL || text != NULL);
	assert_int_equal(h_req(s, method, path, token, headers, text, out), 0);
	free(text);
}

const char *
h_link_next(const struct h_resp *r, char *buf, size_t cap)
{
	char link[2048];
	char *lt, *gt;

	if (h_header(r, "Link", link, sizeof(link)) == NULL)
		return NULL;
	lt = strchr(link, '<');
	gt = lt ? strchr(lt, '>') : NULL;
	if (lt == NULL || gt == NULL || strstr(gt, "rel=\"next\"") == NULL)
		return NULL;
	snprintf(buf, cap, "%.*s", (int)(gt - lt - 1), lt + 1);
	return buf;
}

int
h_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
h_raw_status(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t k;
	int status = -1;

	while (n + 1 < cap && (k = read(fd, buf + n, cap - 1 - n)) > 0) {
		n += (size_t)k;
		buf[n] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL && strstr(buf, "}") != NULL)
			break;
	}
	buf[n] = '\0';
	sscanf(buf, "HTTP/1.1 %d", &status);
	return status;
}

bool
h_has_pointer(const struct h_resp *r, const char *pointer)
{
	json_t *e;
	size_t i;

	json_array_foreach(J(r, "errors"), i, e) {
		const char *p =
			json_string_value(json_object_get(e, "pointer"));

		if (p != NULL && strcmp(p, pointer) == 0 &&
		    json_is_string(json_object_get(e, "message")))
			return true;
	}
	return false;
}

long
h_sql_count(const struct h_server *s, const char *sql)
{
	char *v = h_sql(s->dbname, sql);
	long n;

	assert_non_null(v);
	n = strtol(v, NULL, 10);
	free(v);
	return n;
}

bool
h_is_uuid(const char *s)
{
	if (s == NULL || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!strchr("0123456789abcdefABCDEF", s[i])) {
			return false;
		}
	}
	return true;
}

bool
h_is_rfc3339_utc(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";

	if (s == NULL || strlen(s) != sizeof(pat) - 1)
		return false;
	for (size_t i = 0; i < sizeof(pat) - 1; i++)
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return false;
	return true;
}

/*
 * The checks behind assert_problem(): the first one that does not hold is
 * printed with the body, and the test fails at the caller's file:line
 * (cmocka's _fail), not here.
 */
void
h_check_problem(const struct h_resp *r, long lo, long hi, const char *file,
		int line)
{
	const char *why = NULL;
	char ct[128], want[48];

	if (r->status < lo || r->status > hi)
		why = "unexpected status";
	else if (h_header(r, "Content-Type", ct, sizeof(ct)) == NULL)
		why = "no Content-Type";
	else if (strcmp(ct, "application/problem+json") != 0)
		why = "Content-Type is not application/problem+json";
	else if (r->json == NULL)
		why = "the body is not JSON";
	else if (json_integer_value(json_object_get(r->json, "status")) !=
		 r->status)
		why = "its \"status\" is not the HTTP status";
	else if (!json_is_string(json_object_get(r->json, "type")))
		why = "no \"type\" string";
	else if (!json_is_string(json_object_get(r->json, "title")))
		why = "no \"title\" string";
	else if (!json_is_string(json_object_get(r->json, "detail")))
		why = "no \"detail\" string";
	if (why == NULL)
		return;
	if (lo == hi)
		snprintf(want, sizeof(want), "%ld", lo);
	else
		snprintf(want, sizeof(want), "%ld-%ld", lo, hi);
	print_error("want a %s problem: %s; status %ld, body: %.*s\n", want,
		    why, r->status, (int)(r->len > 2000 ? 2000 : r->len),
		    r->body ? r->body : "");
	_fail(file, line);
}

char *
h_user(struct h_server *s, const char *name, const char *roles, char *id_out)
{
	struct h_resp r;
	char path[128], *token = NULL;
	static int counter;

	if (h_reqf(s, "POST", "/v1/users", s->admin_token, &r,
		   "{\"name\":\"%s\",\"email\":\"%s.%d.%d@test.example\",\"roles\":[%s]}",
		   name, name, (int)getpid(), counter++, roles) != 0 ||
	    r.status != 201) {
		fprintf(stderr, "harness: creating user %s: %ld %s\n", name,
			r.status, r.body);
		h_resp_free(&r);
		return NULL;
	}
	snprintf(path, sizeof(path), "/v1/users/%s/tokens", JS(&r, "id"));
	if (id_out != NULL)
		strcpy(id_out, JS(&r, "id"));
	h_resp_free(&r);
	if (h_req(s, "POST", path, s->admin_token, NULL, NULL, &r) == 0 &&
	    r.status == 201)
		token = strdup(JS(&r, "token"));
	h_resp_free(&r);
	return token;
}

char *
h_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) != NULL) {
		if (fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		} else {
			data[n] = '\0';
		}
	}
	fclose(f);
	return data;
}

int
h_sh(const char *fmt, ...)
{
	char *cmd = NULL;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		cmd = NULL;
	va_end(ap);
	if (cmd == NULL)
		return -1;
	rc = system(cmd);
	free(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static const char *
pgbin(void)
{
	const char *b = getenv("PRFAQ_TEST_PGBIN");

	return b ? b : "/usr/lib/postgresql/15/bin";
}

/* Commands run as the cluster owner: postgres when we are root. */
static const char *
as_pg(void)
{
	return getuid() == 0 ? "runuser -u postgres --" : "";
}

int
h_pg_init(struct h_pg *pg)
{
	snprintf(pg->dir, sizeof(pg->dir), "/tmp/prfaq-pg-XXXXXX");
	if (mkdtemp(pg->dir) == NULL)
		return -1;
	snprintf(pg->conninfo, sizeof(pg->conninfo),
		 "host=%s user=postgres dbname=postgres", pg->dir);
	if (getuid() == 0 && h_sh("chown postgres:postgres %s", pg->dir) != 0)
		return -1;
	if (h_sh("%s %s/initdb -D %s/data -U postgres --auth=trust -E UTF8 "
		 "--locale=C.UTF-8 >/dev/null 2>&1",
		 as_pg(), pgbin(), pg->dir) != 0)
		return -1;
	return h_pg_start(pg);
}

int
h_pg_start(struct h_pg *pg)
{
	return h_sh("%s %s/pg_ctl -D %s/data -l %s/log -w -t 60 -o \"-c "
		    "listen_addresses='' -c unix_socket_directories='%s' -c "
		    "fsync=off\" start >/dev/null",
		    as_pg(), pgbin(), pg->dir, pg->dir, pg->dir);
}

int
h_pg_stop(struct h_pg *pg, const char *mode)
{
	return h_sh("%s %s/pg_ctl -D %s/data -m %s -w stop >/dev/null 2>&1",
		    as_pg(), pgbin(), pg->dir, mode);
}

void
h_pg_destroy(struct h_pg *pg)
{
	if (pg->dir[0] == '\0')
		return;
	h_pg_stop(pg, "immediate");
	h_sh("rm -rf %s", pg->dir);
	pg->dir[0] = '\0';
}

double
h_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
