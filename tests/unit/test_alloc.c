/*
 * test_alloc.c - the out-of-memory policy (src/util/alloc.c, prfaq/alloc.h)
 * across a write: every allocation the write's pure part makes is failed in
 * turn, in a child process, and the child must either produce exactly the
 * right statement parameters or die by SIGABRT after saying so; never a
 * default or an empty value in place of what the client sent.
 *
 * The pure part of a PUT or PATCH is what runs before the statement:
 * decoding the body, merge-patch, validation, the quality report, and the
 * serialisation of the version into the statement's text parameters
 * (src/db/store_doc.c, compiled into this test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <limits.h>

#include <cmocka.h>

#include "prfaq/alloc.h"
#include "prfaq/buf.h"
#include "prfaq/content.h"
#include "prfaq/json.h"
#include "prfaq/quality.h"
#include "store_doc.h"

enum write_kind { WRITE_REPLACE, WRITE_PATCH };

/* One write: the request body, and for a PATCH the stored document. */
struct write_case {
	enum write_kind kind;
	const char *current; /* {title, team?, tags, content} text (PATCH) */
	const char *body;
};

static char *strong; /* tests/fixtures/strong.json, the content */

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	char chunk[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(prfaq_buf_append(&b, chunk, n), 0);
	fclose(f);
	return prfaq_buf_steal(&b, NULL);
}

/*
 * The write's pure part, as the PUT and PATCH handlers and the store run
 * it: out receives the statement's text parameters, one per line, labelled.
 * PRFAQ_OK, or the error that would have failed the request.
 */
static prfaq_code
run_write(const struct write_case *c, struct prfaq_buf *out)
{
	struct prfaq_quality_opts opts = { "" }; /* no clock: repeatable */
	struct store_doc_params p;
	struct prfaq_error err;
	json_t *body = NULL, *cur = NULL, *patch = NULL, *doc = NULL;
	json_t *quality = NULL;
	prfaq_code rc;

	prfaq_error_init(&err);
	if ((rc = prfaq_json_parse(c->body, strlen(c->body), &body, &err)) !=
	    PRFAQ_OK)
		goto out;
	if (c->kind == WRITE_REPLACE) {
		if ((rc = prfaq_doc_validate(body, PRFAQ_DOC_REPLACE, &err)) !=
		    PRFAQ_OK)
			goto out;
		doc = json_incref(body);
	} else {
		if ((rc = prfaq_json_parse(c->current, strlen(c->current), &cur,
					   &err)) != PRFAQ_OK)
			goto out;
		/* change_note travels with the patch, not in the document. */
		patch = json_copy(body);
		json_object_del(patch, "change_note");
		if ((doc = prfaq_merge_patch(cur, patch)) == NULL) {
			rc = PRFAQ_ENOMEM;
			goto out;
		}
		if ((rc = prfaq_doc_validate(doc, PRFAQ_DOC_MERGED, &err)) !=
		    PRFAQ_OK)
			goto out;
	}
	quality = prfaq_quality_check(json_object_get(doc, "content"), &opts);
	if (quality == NULL) {
		rc = PRFAQ_EINTERNAL;
		goto out;
	}
	if ((rc = store_doc_params(doc, quality, &p, &err)) != PRFAQ_OK)
		goto out;
	prfaq_buf_printf(out,
			 "title=%s\nteam=%s\ntags=%s\ncontent=%s\n"
			 "quality=%s\n",
			 p.title, p.team ? p.team : "(none)", p.tags, p.content,
			 p.quality);
	store_doc_params_free(&p);
out:
	prfaq_error_clear(&err);
	json_decref(quality);
	json_decref(doc);
	json_decref(patch);
	json_decref(cur);
	json_decref(body);
	return rc;
}

/* Read fd to its end into b. */
static void
drain(int fd, struct prfaq_buf *b)
{
	char chunk[4096];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		assert_int_equal(prfaq_buf_append(b, chunk, (size_t)n), 0);
	assert_true(n == 0);
	close(fd);
}

/*
 * Run the write in a child whose allocation number fail_at (1-based; 0:
 * none) fails.  *status is the child's wait status; out and errtext receive
 * what it wrote on stdout and stderr.
 */
static void
run_child(const struct write_case *c, long fail_at, int *status,
	  struct prfaq_buf *out, struct prfaq_buf *errtext)
{
	int po[2], pe[2];
	pid_t pid;

	assert_int_equal(pipe(po), 0);
	assert_int_equal(pipe(pe), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit none = { 0, 0 };
		struct prfaq_buf b = PRFAQ_BUF_INIT;
		prfaq_code rc;

		/* An expected abort leaves no core file behind. */
		setrlimit(RLIMIT_CORE, &none);
		close(po[0]);
		close(pe[0]);
		dup2(pe[1], STDERR_FILENO);
		if (fail_at > 0)
			prfaq_alloc_fail_after(fail_at - 1);
		rc = run_write(c, &b);
		prfaq_alloc_fail_after(-1);
		if (rc != PRFAQ_OK)
			dprintf(po[1], "FAILED: code %d\n", (int)rc);
		else if (write(po[1], b.data, b.len) != (ssize_t)b.len)
			_exit(4);
		prfaq_buf_free(&b);
		/* _exit: nothing of cmocka's, nor of the parent's, runs twice. */
		_exit(rc == PRFAQ_OK ? 0 : 3);
	}
	close(po[1]);
	close(pe[1]);
	drain(po[0], out);
	drain(pe[0], errtext);
	assert_int_equal(waitpid(pid, status, 0), pid);
}

/*
 * The walk: count the allocations of one run, then fail each of them in
 * turn.  Every child must abort with the log line and write nothing; with
 * no failure, the child's output is the reference.  Returns the count.
 */
static long
walk(const struct write_case *c, struct prfaq_buf *expected)
{
	struct prfaq_buf warm = PRFAQ_BUF_INIT;
	long count;
	int status;

	/* Once to fill whatever is built lazily, then once to count. */
	assert_int_equal(run_write(c, &warm), PRFAQ_OK);
	prfaq_buf_free(&warm);
	prfaq_alloc_fail_after(LONG_MAX);
	assert_int_equal(run_write(c, expected), PRFAQ_OK);
	count = prfaq_alloc_count();
	prfaq_alloc_fail_after(-1);
	assert_true(count > 0);

	for (long n = 1; n <= count + 1; n++) {
		struct prfaq_buf out = PRFAQ_BUF_INIT, errtext = PRFAQ_BUF_INIT;

		run_child(c, n, &status, &out, &errtext);
		if (n <= count) {
			if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
				fail_msg(
					"allocation %ld of %ld: the write went on "
					"(status %#x, output \"%.200s\")",
					n, count, status,
					out.data ? out.data : "");
			assert_int_equal(out.len, 0);
			assert_non_null(errtext.data);
			assert_non_null(strstr(errtext.data, "out of memory"));
		} else {
			/* Past the last allocation: nothing fails. */
			assert_true(WIFEXITED(status));
			assert_int_equal(WEXITSTATUS(status), 0);
			assert_int_equal(out.len, expected->len);
			assert_memory_equal(out.data, expected->data, out.len);
		}
		prfaq_buf_free(&out);
		prfaq_buf_free(&errtext);
	}
	print_message("%ld allocations walked\n", count);
	return count;
}

/* The value of "label=" in the output, as a new JSON value. */
static json_t *
param_json(const struct prfaq_buf *out, const char *label)
{
	char key[32];
	const char *p, *end;

	snprintf(key, sizeof(key), "\n%s=", label);
	p = strstr(out->data, key);
	assert_non_null(p);
	p += strlen(key);
	end = strchr(p, '\n');
	assert_non_null(end);
	return json_loadb(p, (size_t)(end - p), 0, NULL);
}

static void
test_patch(void **state)
{
	struct prfaq_buf current = PRFAQ_BUF_INIT, body = PRFAQ_BUF_INIT;
	struct prfaq_buf expected = PRFAQ_BUF_INIT;
	json_t *content, *want, *tags;
	struct write_case c;

	prfaq_buf_printf(
		&current,
		"{\"title\": \"Instant Refunds\", \"team\": \"Returns\","
		" \"tags\": [\"refunds\"], \"content\": %s}",
		strong);
	prfaq_buf_puts(
		&body,
		"{\"title\": \"Instant Refunds at the door\","
		" \"tags\": [\"refunds\", \"returns\"],"
		" \"content\": {\"press_release\": {\"headline\":"
		" \"Refunds the moment the carrier scans your return\"}},"
		" \"change_note\": \"A sharper headline\"}");
	c.kind = WRITE_PATCH;
	c.current = current.data;
	c.body = body.data;
	walk(&c, &expected);

	/* And the reference is the patched document, every member of it. */
	assert_non_null(
		strstr(expected.data,
		       "title=Instant Refunds at the door\nteam=Returns\n"));
	tags = param_json(&expected, "tags");
	want = json_pack("[ss]", "refunds", "returns");
	assert_true(json_equal(tags, want));
	json_decref(tags);
	json_decref(want);
	content = param_json(&expected, "content");
	want = json_loads(strong, 0, NULL);
	json_object_set_new(json_object_get(want, "press_release"), "headline",
			    json_string("Refunds the moment the carrier scans "
					"your return"));
	assert_true(json_equal(content, want));
	json_decref(content);
	json_decref(want);
	content = param_json(&expected, "quality");
	assert_true(json_is_integer(json_object_get(content, "score")));
	json_decref(content);

	prfaq_buf_free(&expected);
	prfaq_buf_free(&body);
	prfaq_buf_free(&current);
}

static void
test_replace(void **state)
{
	struct prfaq_buf body = PRFAQ_BUF_INIT, expected = PRFAQ_BUF_INIT;
	struct write_case c;
	json_t *content, *want;

	prfaq_buf_printf(&body,
			 "{\"title\": \"Instant Refunds\", \"tags\": [],"
			 " \"content\": %s, \"change_note\": \"All of it\"}",
			 strong);
	c.kind = WRITE_REPLACE;
	c.current = NULL;
	c.body = body.data;
	walk(&c, &expected);

	assert_non_null(
		strstr(expected.data,
		       "title=Instant Refunds\nteam=(none)\ntags=[]\n"));
	content = param_json(&expected, "content");
	want = json_loads(strong, 0, NULL);
	assert_true(json_equal(content, want));
	json_decref(content);
	json_decref(want);
	prfaq_buf_free(&expected);
	prfaq_buf_free(&body);
}

/*
 * What stood in for a missing member before ("[]" for tags, "{}" for
 * content) is now an error: the write fails instead.
 */
static void
test_no_default_for_missing_members(void **state)
{
	static const char *const docs[] = {
		"{\"tags\": [], \"content\": {}}",
		"{\"title\": \"t\", \"content\": {}}",
		"{\"title\": \"t\", \"tags\": [], \"content\": null}",
		"{\"title\": \"t\", \"tags\": {}, \"content\": {}}",
		"{\"title\": \"t\", \"team\": 5, \"tags\": [], \"content\": {}}",
	};
	json_t *quality = json_pack("{s:i}", "score", 100);

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct store_doc_params p = { "x", "y", NULL, NULL, NULL };
		struct prfaq_error err;
		json_t *doc = json_loads(docs[i], 0, NULL);

		prfaq_error_init(&err);
		assert_non_null(doc);
		assert_int_equal(store_doc_params(doc, quality, &p, &err),
				 PRFAQ_EINTERNAL);
		/* Untouched on failure. */
		assert_string_equal(p.title, "x");
		assert_null(p.tags);
		prfaq_error_clear(&err);
		json_decref(doc);
	}
	{
		struct store_doc_params p;
		struct prfaq_error err;
		json_t *doc = json_loads("{\"title\": \"t\", \"tags\": [],"
					 " \"content\": {}}",
					 0, NULL);

		prfaq_error_init(&err);
		assert_int_equal(store_doc_params(doc, NULL, &p, &err),
				 PRFAQ_EINTERNAL);
		prfaq_error_clear(&err);
		json_decref(doc);
	}
	json_decref(quality);
}

/* Jansson allocates through the policy, and the hook counts and stops. */
static void
test_hook(void **state)
{
	json_t *v;
	char *s;
	int status;

	prfaq_alloc_fail_after(LONG_MAX);
	v = json_pack("{s:[i,i]}", "a", 1, 2);
	assert_true(prfaq_alloc_count() >= 3);
	prfaq_alloc_fail_after(-1);
	json_decref(v);

	s = prfaq_strndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = prfaq_realloc(prfaq_strdup("xy"), 0);
	assert_non_null(s);
	free(s);

	fflush(stderr);
	if (fork() == 0) {
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none);
		/* Silence the expected log line. */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(5);
		prfaq_alloc_fail_after(1);
		free(prfaq_malloc(8)); /* the one allowed */
		json_object();	       /* the one that fails */
		_exit(0);
	}
	assert_true(wait(&status) > 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hook),
		cmocka_unit_test(test_no_default_for_missing_members),
		cmocka_unit_test(test_patch),
		cmocka_unit_test(test_replace),
	};
	int rc;

	prfaq_alloc_init();
	strong = read_file(PRFAQ_FIXTURES "/strong.json");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(strong);
	return rc;
}
