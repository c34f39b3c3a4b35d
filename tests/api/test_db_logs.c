/*
 * test_db_logs.c - what src/db logs while it works for a request carries
 * that request's id (X-Request-Id), so an operator can join a database
 * error to the request that met it.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct h_server srv;

static int
setup(void **state)
{
	const char *env[] = { "PRFAQ_WEBHOOKS=0", NULL };

	return h_start(&srv, env);
}

static int
teardown(void **state)
{
	h_stop(&srv);
	return 0;
}

/*
 * The log line of the server's log that holds both needles, once the
 * server has written it (up to 5 s: sanitizer builds are slow); a new
 * string, or NULL.
 */
static char *
log_line(const char *a, const char *b)
{
	for (int i = 0; i < 250; i++) {
		char *log = h_read_file(srv.log_path);
		char *line = log, *end;

		while (line != NULL && *line != '\0') {
			end = strchr(line, '\n');
			if (end != NULL)
				*end = '\0';
			if (strstr(line, a) != NULL &&
			    strstr(line, b) != NULL) {
				char *copy = strdup(line);

				free(log);
				return copy;
			}
			line = end != NULL ? end + 1 : NULL;
		}
		free(log);
		usleep(20000);
	}
	return NULL;
}

/*
 * A cursor whose number is a valid int8 but too large for the version
 * number (an int4): the statement fails with a data exception (22003),
 * which src/db logs and answers 400.  Its log line names the request.
 */
static void
test_data_exception_logged_with_request_id(void **state)
{
	/* ["999999999999999999"], base64url */
	const char *path = "/v1/prfaqs/8e6e3c52-3d0e-4a43-9e64-4b8e1c2f7a10"
			   "/versions?cursor=WyI5OTk5OTk5OTk5OTk5OTk5OTkiXQ";
	const char *hdr[] = { "X-Request-Id: db-log-check-1", NULL };
	struct h_resp r;
	char *line;

	assert_int_equal(
		h_req(&srv, "GET", path, srv.admin_token, hdr, NULL, &r), 0);
	assert_status(&r, 400);
	h_resp_free(&r);
	line = log_line("data exception", "prfaq_versions_list");
	assert_non_null(line);
	if (strstr(line, "\"request_id\":\"db-log-check-1\"") == NULL)
		fail_msg("no request id in: %s", line);
	free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_exception_logged_with_request_id),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
