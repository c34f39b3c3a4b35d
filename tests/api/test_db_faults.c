/*
 * test_db_faults.c - PostgreSQL dies under load and comes back.
 *
 * Writers keep revising and creating PR/FAQs through prfaqd while the test
 * SIGKILLs the postmaster of a throwaway cluster (its backends follow it, as
 * after a crash), leaves it down for a while and starts it again (crash
 * recovery).  Throughout, prfaqd must answer every request with a 2xx or a
 * 503 problem+json carrying Retry-After -- never a 500, never a dropped
 * connection, never a hang past the pool wait -- and serve writes again
 * without being restarted.  Each writer logs the writes acknowledged with a
 * 2xx; afterwards every one of them must be in the database, exactly as
 * acknowledged (the version number from its ETag holds its title).
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WRITERS		 4
#define ACKS_MAX	 4096
#define POOL_WAIT_MS	 1000
/*
 * How long one request may take: a few pool waits (the token lookup and the
 * transaction each wait at most POOL_WAIT_MS) and slack for a loaded CI
 * machine and sanitizer builds.  A hang runs into curl's 60 s.
 */
#define REQUEST_BOUND_MS 15000.0

static struct h_pg pg;
static bool pg_down;
static struct h_server srv;
static char *author;

static int
setup(void **state)
{
	const char *env[] = { "PRFAQ_DB_POOL_WAIT_MS=1000", "PRFAQ_THREADS=4",
			      "PRFAQ_WEBHOOKS=0", NULL };

	if (h_pg_init(&pg) != 0)
		return -1;
	/* Every database of this file lives in the throwaway cluster. */
	setenv("PRFAQ_TEST_PG", pg.conninfo, 1);
	if (h_start(&srv, env) != 0)
		return -1;
	author = h_user(&srv, "Writer", "\"author\"", NULL);
	return author ? 0 : -1;
}

static int
teardown(void **state)
{
	if (pg_down)
		h_pg_start(&pg); /* a failed test left it down */
	h_stop(&srv);
	h_pg_destroy(&pg);
	free(author);
	return 0;
}

/* --- killing the cluster ---------------------------------------------- */

/* Parent pid and state letter of a process; -1 if it is gone. */
static int
proc_stat(pid_t pid, pid_t *ppid, char *state)
{
	char path[64], buf[512];
	FILE *f;
	const char *p;
	int pp = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) == NULL) {
		fclose(f);
		return -1;
	}
	fclose(f);
	/* "pid (comm) S ppid ...": comm may hold anything, even ") ". */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %c %d", state, &pp) != 2)
		return -1;
	*ppid = pp;
	return 0;
}

static bool
proc_alive(pid_t pid)
{
	pid_t pp;
	char st;

	/* A zombie is dead: a container's init may never reap it. */
	return proc_stat(pid, &pp, &st) == 0 && st != 'Z' && st != 'X';
}

/*
 * SIGKILL the postmaster.  Its backends and helpers notice and exit by
 * themselves (a busy one after its statement); any left after 10 s get a
 * SIGKILL too.  Then the stale lock files go, as an operator would remove
 * them after a crash: a zombie postmaster that nobody reaps would otherwise
 * look alive to the next start.
 */
static void
pg_crash(struct h_pg *c)
{
	char path[512], line[32];
	pid_t pm, kids[256];
	int nkids = 0;
	FILE *f;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/data/postmaster.pid", c->dir);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	pm = (pid_t)atoi(line);
	assert_true(pm > 1);
	assert_non_null(d = opendir("/proc"));
	while ((e = readdir(d)) != NULL && nkids < 256) {
		pid_t pid = (pid_t)atoi(e->d_name), pp;
		char st;

		if (pid > 0 && proc_stat(pid, &pp, &st) == 0 && pp == pm)
			kids[nkids++] = pid;
	}
	closedir(d);
	assert_int_equal(kill(pm, SIGKILL), 0);
	for (int i = 0; i < 100; i++) {
		bool any = proc_alive(pm);

		for (int k = 0; k < nkids && !any; k++)
			any = proc_alive(kids[k]);
		if (!any)
			break;
		usleep(100000);
	}
	for (int k = 0; k < nkids; k++)
		if (proc_alive(kids[k]))
			kill(kids[k], SIGKILL);
	for (int i = 0; i < 50; i++) {
		bool any = false;

		for (int k = 0; k < nkids && !any; k++)
			any = proc_alive(kids[k]);
		if (!any)
			break;
		usleep(100000);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/.s.PGSQL.5432.lock", c->dir);
	unlink(path);
}

/* --- the writers ------------------------------------------------------ */

struct ack {
	char id[40];
	int version; /* 1 for a create */
	char title[48];
};

struct writer {
	pthread_t thread;
	int n;
	char doc[40]; /* the document this writer revises */
	int version;  /* its ETag as last seen */
	bool unsure;  /* a write's outcome is unknown (503) */
	int seq;
	struct ack acks[ACKS_MAX];
	atomic_int nacks;
	atomic_int n503, nbad;
	atomic_int acks_since_mark; /* reset by the main thread */
	char bad[512];		    /* the first unexpected answer */
	double slowest_ms;
};

static atomic_bool stop_writers;
static struct writer writers[WRITERS];

static int
etag_version(const struct h_resp *r)
{
	char buf[32];

	if (h_header(r, "ETag", buf, sizeof(buf)) == NULL)
		return -1;
	return atoi(buf[0] == '"' ? buf + 1 : buf);
}

static void
note_bad(struct writer *w, const char *what, const struct h_resp *r, int rc)
{
	if (atomic_fetch_add(&w->nbad, 1) == 0)
		snprintf(w->bad, sizeof(w->bad),
			 "%s: rc %d, status %ld: %.300s", what, rc,
			 rc == 0 ? r->status : 0L,
			 rc == 0 && r->body ? r->body : "");
}

/*
 * Classify one answer.  Returns its status (0 for a transport failure)
 * after checking the 503 shape and the time taken.
 */
static long
judge(struct writer *w, const char *what, int rc, const struct h_resp *r,
      double ms)
{
	char buf[128];

	if (ms > w->slowest_ms)
		w->slowest_ms = ms;
	if (ms > REQUEST_BOUND_MS)
		note_bad(w, "slower than the bound", r, rc);
	if (rc != 0) {
		note_bad(w, what, r, rc);
		return 0;
	}
	if (r->status == 503) {
		/* Retry-After says 1 s; come back sooner, to keep the pressure on. */
		usleep(20000);
		atomic_fetch_add(&w->n503, 1);
		if (h_header(r, "Retry-After", buf, sizeof(buf)) == NULL ||
		    h_header(r, "Content-Type", buf, sizeof(buf)) == NULL ||
		    strcmp(buf, "application/problem+json") != 0 ||
		    r->json == NULL || JI(r, "status") != 503)
			note_bad(w, "503 without Retry-After or problem+json",
				 r, rc);
	}
	return r->status;
}

static void
ack(struct writer *w, const char *id, int version, const char *title)
{
	int i = atomic_load(&w->nacks);

	if (i == ACKS_MAX)
		return;
	snprintf(w->acks[i].id, sizeof(w->acks[i].id), "%s", id);
	w->acks[i].version = version;
	snprintf(w->acks[i].title, sizeof(w->acks[i].title), "%s", title);
	atomic_store(&w->nacks, i + 1);
	atomic_fetch_add(&w->acks_since_mark, 1);
}

static void
writer_create(struct writer *w)
{
	char title[48];
	struct h_resp r;
	double t0 = h_now_ms();
	int rc;
	long st;

	snprintf(title, sizeof(title), "w%d-create-%d", w->n, w->seq++);
	rc = h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
		    "{\"title\":\"%s\",\"team\":\"faults\"}", title);
	st = judge(w, "POST", rc, &r, h_now_ms() - t0);
	if (st == 201) {
		ack(w, JS(&r, "id"), 1, title);
		if (w->doc[0] == '\0') {
			snprintf(w->doc, sizeof(w->doc), "%s", JS(&r, "id"));
			w->version = 1;
		}
	} else if (st != 503 && st != 0) {
		note_bad(w, "POST", &r, rc);
	}
	h_resp_free(&r);
}

static void
writer_refresh(struct writer *w)
{
	char path[96];
	struct h_resp r;
	double t0 = h_now_ms();
	int rc;
	long st;

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", w->doc);
	rc = h_req(&srv, "GET", path, author, NULL, NULL, &r);
	st = judge(w, "GET", rc, &r, h_now_ms() - t0);
	if (st == 200) {
		w->version = etag_version(&r);
		w->unsure = false;
	} else if (st != 503 && st != 0) {
		note_bad(w, "GET", &r, rc);
	}
	h_resp_free(&r);
}

static void
writer_put(struct writer *w)
{
	char path[96], title[48], ifm[48], body[256];
	const char *hdr[] = { ifm, NULL };
	struct h_resp r;
	double t0 = h_now_ms();
	int rc;
	long st;

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", w->doc);
	snprintf(title, sizeof(title), "w%d-put-%d", w->n, w->seq++);
	snprintf(ifm, sizeof(ifm), "If-Match: \"%d\"", w->version);
	snprintf(
		body, sizeof(body),
		"{\"title\":\"%s\",\"team\":\"faults\",\"content\":{\"press_release\":"
		"{\"headline\":\"%s\"}},\"change_note\":\"%s\"}",
		title, title, title);
	rc = h_req(&srv, "PUT", path, author, hdr, body, &r);
	st = judge(w, "PUT", rc, &r, h_now_ms() - t0);
	if (st == 200) {
		int v = etag_version(&r);

		if (v != w->version + 1 || strcmp(JS(&r, "title"), title) != 0)
			note_bad(w, "PUT answered another version", &r, rc);
		ack(w, w->doc, v, title);
		w->version = v;
	} else if (st == 503) {
		w->unsure = true; /* it may have committed */
	} else if (st == 412 && w->unsure) {
		writer_refresh(w); /* it did */
	} else if (st != 0) {
		note_bad(w, "PUT", &r, rc);
	}
	h_resp_free(&r);
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;

	while (!atomic_load(&stop_writers)) {
		if (w->doc[0] == '\0' || w->seq % 5 == 4)
			writer_create(w);
		else if (w->unsure)
			writer_refresh(w);
		else
			writer_put(w);
		if (atomic_load(&w->nbad) > 0)
			break;
	}
	return NULL;
}

/* Wait until every writer had a write acknowledged since the mark. */
static void
wait_for_acks(double max_ms)
{
	double t0 = h_now_ms();
	bool all = false;

	while (!all && h_now_ms() - t0 < max_ms) {
		all = true;
		for (int i = 0; i < WRITERS; i++)
			if (atomic_load(&writers[i].acks_since_mark) == 0 &&
			    atomic_load(&writers[i].nbad) == 0)
				all = false;
		if (!all)
			usleep(50000);
	}
	for (int i = 0; i < WRITERS; i++) {
		if (atomic_load(&writers[i].nbad) > 0)
			fail_msg("writer %d: %s", i, writers[i].bad);
		if (atomic_load(&writers[i].acks_since_mark) == 0)
			fail_msg("writer %d: no write acknowledged for %.0f ms",
				 i, max_ms);
	}
}

static void
mark(void)
{
	for (int i = 0; i < WRITERS; i++)
		atomic_store(&writers[i].acks_since_mark, 0);
}

/* /healthz stays 200 and /readyz is a quick 503 while the database is down. */
static void
check_probes_during_outage(void)
{
	struct h_resp r;
	double t0 = h_now_ms();

	assert_int_equal(h_req(&srv, "GET", "/healthz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/readyz", NULL, NULL, NULL, &r),
			 0);
	assert_status(&r, 503);
	h_resp_free(&r);
	assert_true(h_now_ms() - t0 < REQUEST_BOUND_MS);
}

static void
test_writes_survive_database_crashes(void **state)
{
	int total = 0, n503 = 0;
	pid_t pid = srv.pid;

	atomic_store(&stop_writers, false);
	for (int i = 0; i < WRITERS; i++) {
		writers[i].n = i;
		assert_int_equal(pthread_create(&writers[i].thread, NULL,
						writer_main, &writers[i]),
				 0);
	}
	mark();
	wait_for_acks(20000);

	for (int round = 0; round < 2; round++) {
		/* Crash it under load and keep it down: the writers see 503s. */
		pg_down = true;
		pg_crash(&pg);
		usleep(1500000);
		check_probes_during_outage();
		usleep(500000);
		/* Crash recovery; prfaqd reconnects by itself. */
		assert_int_equal(h_pg_start(&pg), 0);
		pg_down = false;
		mark();
		wait_for_acks(30000);
		usleep(500000);
	}

	atomic_store(&stop_writers, true);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(writers[i].thread, NULL);
	/* The same process throughout: never restarted, never crashed. */
	assert_int_equal(srv.pid, pid);
	assert_int_equal(waitpid(srv.pid, NULL, WNOHANG), 0);

	/* Every acknowledged write is there, exactly as acknowledged. */
	for (int i = 0; i < WRITERS; i++) {
		struct writer *w = &writers[i];

		if (atomic_load(&w->nbad) > 0)
			fail_msg("writer %d: %s", i, w->bad);
		for (int k = 0; k < atomic_load(&w->nacks); k++) {
			const struct ack *a = &w->acks[k];
			char path[128];
			struct h_resp r;

			snprintf(path, sizeof(path),
				 "/v1/prfaqs/%s/versions/%d", a->id,
				 a->version);
			assert_int_equal(h_req(&srv, "GET", path, author, NULL,
					       NULL, &r),
					 0);
			if (r.status != 200 || JS(&r, "title") == NULL ||
			    strcmp(JS(&r, "title"), a->title) != 0)
				fail_msg(
					"acknowledged %s version %d (\"%s\") is lost: "
					"%ld %.200s",
					a->id, a->version, a->title, r.status,
					r.body);
			h_resp_free(&r);
		}
		total += atomic_load(&w->nacks);
		n503 += atomic_load(&w->n503);
		print_message("writer %d: %d acknowledged, %d answered 503, "
			      "slowest answer %.0f ms\n",
			      i, atomic_load(&w->nacks), atomic_load(&w->n503),
			      w->slowest_ms);
	}
	/* The outages were seen, and writes went on around them. */
	assert_true(n503 > 0);
	assert_true(total > 4 * WRITERS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writes_survive_database_crashes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
