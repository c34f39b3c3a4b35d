/*
 * test_workflow.c - the status machine against a table written out here by
 * hand from API.md ("Review workflow"), independently of workflow.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "prfaq/alloc.h"
#include "prfaq/workflow.h"

/*
 * Rows: draft, in_review, approved, rejected, archived, launched.
 * Columns: edit, submit, withdraw, approve, reject, reopen, archive, verdict,
 * launch, measure.
 * A cell is the resulting status name, or NULL for 409.
 */
#define NSTATUS	 6
#define NACTIONS 10
static const char *const expected[NSTATUS][NACTIONS] = {
	/* draft */
	{ "draft", "in_review", NULL, NULL, NULL, NULL, "archived", NULL, NULL,
	  NULL },
	/* in_review */
	{ "in_review", NULL, "draft", "approved", "rejected", NULL, "archived",
	  "in_review", NULL, NULL },
	/* approved */
	{ NULL, NULL, NULL, NULL, NULL, "draft", "archived", NULL, "launched",
	  NULL },
	/* rejected */
	{ NULL, NULL, NULL, NULL, NULL, "draft", "archived", NULL, NULL, NULL },
	/* archived */
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
	/* launched: only archived, and measured */
	{ NULL, NULL, NULL, NULL, NULL, NULL, "archived", NULL, NULL,
	  "launched" },
};

static const char *const status_text[NSTATUS] = {
	"draft", "in_review", "approved", "rejected", "archived", "launched",
};

static const char *const action_text[NACTIONS] = {
	"edit",	  "submit",  "withdraw", "approve", "reject",
	"reopen", "archive", "verdict",	 "launch",  "measure",
};

/* Every one of the 60 pairs, with an error object. */
static void
test_every_pair(void **state)
{
	(void)state;
	assert_int_equal(PRFAQ_STATUS_COUNT_, NSTATUS);
	assert_int_equal(PRFAQ_ACTION_COUNT_, NACTIONS);

	for (int s = 0; s < NSTATUS; s++) {
		for (int a = 0; a < NACTIONS; a++) {
			struct prfaq_error err;
			enum prfaq_status next = (enum prfaq_status)99;
			prfaq_code rc;

			prfaq_error_init(&err);
			rc = prfaq_workflow_apply((enum prfaq_status)s,
						  (enum prfaq_action)a, &next,
						  &err);
			if (expected[s][a] != NULL) {
				assert_int_equal(rc, PRFAQ_OK);
				assert_string_equal(prfaq_status_name(next),
						    expected[s][a]);
				assert_int_equal(err.code, PRFAQ_OK);
				assert_null(err.extra);
			} else {
				json_t *cur, *act;

				assert_int_equal(rc, PRFAQ_ECONFLICT);
				assert_int_equal(err.code, PRFAQ_ECONFLICT);
				/* *next untouched on failure */
				assert_int_equal(next, 99);
				assert_non_null(
					strstr(err.detail, status_text[s]));
				assert_non_null(err.extra);
				assert_int_equal(json_object_size(err.extra),
						 2);
				cur = json_object_get(err.extra,
						      "current_status");
				act = json_object_get(err.extra, "action");
				assert_string_equal(json_string_value(cur),
						    status_text[s]);
				assert_string_equal(json_string_value(act),
						    action_text[a]);
			}
			prfaq_error_clear(&err);
		}
	}
}

/* Same 60 pairs with err == NULL: only the code and *next matter. */
static void
test_every_pair_null_err(void **state)
{
	(void)state;
	for (int s = 0; s < NSTATUS; s++) {
		for (int a = 0; a < NACTIONS; a++) {
			enum prfaq_status next = (enum prfaq_status)77;
			prfaq_code rc;

			rc = prfaq_workflow_apply((enum prfaq_status)s,
						  (enum prfaq_action)a, &next,
						  NULL);
			if (expected[s][a] != NULL) {
				assert_int_equal(rc, PRFAQ_OK);
				assert_string_equal(prfaq_status_name(next),
						    expected[s][a]);
			} else {
				assert_int_equal(rc, PRFAQ_ECONFLICT);
				assert_int_equal(next, 77);
			}
		}
	}
}

static void
test_detail_wording(void **state)
{
	struct prfaq_error err;
	enum prfaq_status next;

	(void)state;
	prfaq_error_init(&err);
	assert_int_equal(prfaq_workflow_apply(PRFAQ_STATUS_APPROVED,
					      PRFAQ_ACTION_SUBMIT, &next, &err),
			 PRFAQ_ECONFLICT);
	/* the detail names the next step (API.md: a 409 says what to do) */
	assert_string_equal(err.detail,
			    "Cannot submit a PR/FAQ whose status is approved: "
			    "reopen it first (POST /v1/prfaqs/{id}/reopen)");
	assert_int_equal(prfaq_code_status(err.code), 409);
	prfaq_error_clear(&err);

	assert_int_equal(prfaq_workflow_apply(PRFAQ_STATUS_DRAFT,
					      PRFAQ_ACTION_VERDICT, &next,
					      &err),
			 PRFAQ_ECONFLICT);
	assert_non_null(strstr(err.detail, "review"));
	assert_non_null(strstr(err.detail, "draft"));
	prfaq_error_clear(&err);

	assert_int_equal(prfaq_workflow_apply(PRFAQ_STATUS_ARCHIVED,
					      PRFAQ_ACTION_ARCHIVE, &next,
					      &err),
			 PRFAQ_ECONFLICT);
	assert_string_equal(
		err.detail,
		"Cannot archive a PR/FAQ whose status is archived: "
		"an archived PR/FAQ is final: start a new one (POST "
		"/v1/prfaqs) from its content");
	prfaq_error_clear(&err);

	/* every refusal names a request to make instead */
	for (int s = 0; s < PRFAQ_STATUS_COUNT_; s++)
		for (int a = 0; a < PRFAQ_ACTION_COUNT_; a++) {
			if (prfaq_workflow_apply((enum prfaq_status)s,
						 (enum prfaq_action)a, &next,
						 &err) == PRFAQ_ECONFLICT)
				assert_non_null(strstr(err.detail, "(P"));
			prfaq_error_clear(&err);
		}
	prfaq_error_clear(&err);
}

/* An error that is already set keeps its first cause and gains no extra. */
static void
test_first_cause_wins(void **state)
{
	struct prfaq_error err;
	enum prfaq_status next = PRFAQ_STATUS_DRAFT;

	(void)state;
	prfaq_error_init(&err);
	prfaq_error_set(&err, PRFAQ_EINVAL, "earlier problem");
	assert_int_equal(prfaq_workflow_apply(PRFAQ_STATUS_ARCHIVED,
					      PRFAQ_ACTION_EDIT, &next, &err),
			 PRFAQ_ECONFLICT);
	assert_int_equal(err.code, PRFAQ_EINVAL);
	assert_string_equal(err.detail, "earlier problem");
	assert_null(err.extra);
	assert_int_equal(next, PRFAQ_STATUS_DRAFT);
	prfaq_error_clear(&err);
}

static void
test_out_of_range(void **state)
{
	struct prfaq_error err;
	enum prfaq_status next = PRFAQ_STATUS_DRAFT;

	(void)state;
	prfaq_error_init(&err);
	assert_int_equal(prfaq_workflow_apply(PRFAQ_STATUS_COUNT_,
					      PRFAQ_ACTION_EDIT, &next, &err),
			 PRFAQ_EINTERNAL);
	assert_int_equal(next, PRFAQ_STATUS_DRAFT);
	prfaq_error_clear(&err);
	assert_int_equal(prfaq_workflow_apply(PRFAQ_STATUS_DRAFT,
					      PRFAQ_ACTION_COUNT_, &next, NULL),
			 PRFAQ_EINTERNAL);
	assert_int_equal(prfaq_workflow_apply((enum prfaq_status) - 1,
					      PRFAQ_ACTION_EDIT, &next, NULL),
			 PRFAQ_EINTERNAL);
	assert_int_equal(next, PRFAQ_STATUS_DRAFT);
}

static void
test_names_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < NSTATUS; s++) {
		enum prfaq_status parsed = PRFAQ_STATUS_COUNT_;

		assert_string_equal(prfaq_status_name((enum prfaq_status)s),
				    status_text[s]);
		assert_int_equal(prfaq_status_parse(status_text[s], &parsed),
				 0);
		assert_int_equal(parsed, s);
	}
	for (int a = 0; a < NACTIONS; a++)
		assert_string_equal(prfaq_action_name((enum prfaq_action)a),
				    action_text[a]);
	assert_null(prfaq_status_name(PRFAQ_STATUS_COUNT_));
	assert_null(prfaq_status_name((enum prfaq_status) - 1));
	assert_null(prfaq_action_name(PRFAQ_ACTION_COUNT_));
	assert_null(prfaq_action_name((enum prfaq_action) - 1));
}

static void
test_parse_unknown(void **state)
{
	static const char *const bad[] = {
		"",	    "Draft",  "DRAFT",	     "in-review", "in review",
		"inreview", "draft ", " draft",	     "approve",	  "archive",
		"drafts",   "draf",   "in_review\n", "deleted",
	};
	enum prfaq_status out = PRFAQ_STATUS_ARCHIVED;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(prfaq_status_parse(bad[i], &out), -1);
		/* untouched on failure */
		assert_int_equal(out, PRFAQ_STATUS_ARCHIVED);
	}
	assert_int_equal(prfaq_status_parse(NULL, &out), -1);
	assert_int_equal(out, PRFAQ_STATUS_ARCHIVED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_every_pair_null_err),
		cmocka_unit_test(test_detail_wording),
		cmocka_unit_test(test_first_cause_wins),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_parse_unknown),
	};

	prfaq_alloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
