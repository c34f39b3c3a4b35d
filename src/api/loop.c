/*
 * loop.c - closing the loop: measurements of a launched PR/FAQ and its
 * scorecard (API.md "Closing the loop").  The launch itself is a status
 * change beside the others in reviews.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "prfaq/content.h"
#include "prfaq/loop.h"
#include "prfaq/quality.h"
#include "prfaq/store_loop.h"

/* What the policy of a batch needs besides the locked PR/FAQ. */
struct measure_policy_arg {
	const struct prfaq_caller *caller;
	const json_t *rows;
};

/*
 * Inside the batch's transaction: the owner, an admin or an analyst (a data
 * pipeline) may record (403), only while launched (409, with the next
 * step), and only for keys of the decided version's metrics (400 at each
 * item's pointer).
 */
static prfaq_code
measure_policy(const struct prfaq_measure_target *t, void *arg,
	       struct prfaq_error *err)
{
	struct measure_policy_arg *a = arg;
	enum prfaq_status next;
	prfaq_code rc;

	if (strcasecmp(t->owner_id, a->caller->user_id) != 0 &&
	    !(a->caller->roles & (PRFAQ_ROLE_ADMIN | PRFAQ_ROLE_ANALYST)))
		return prfaq_error_set(
			err, PRFAQ_EFORBIDDEN,
			"Only the owner, an admin or an analyst may record "
			"measurements of this PR/FAQ");
	if ((rc = prfaq_workflow_apply(t->status, PRFAQ_ACTION_MEASURE, &next,
				       err)) != PRFAQ_OK)
		return rc;
	if (prfaq_measurements_check_keys(a->rows, t->metrics, err) != PRFAQ_OK)
		prfaq_error_set(err, err->code,
				"Every measurement must name a metric of the "
				"decided version");
	return err->code;
}

void
api_measurements_create(struct prfaq_request *req)
{
	struct measure_policy_arg a = { .caller = prfaq_req_caller(req) };
	struct prfaq_error err;
	json_t *body = NULL, *rows = NULL;
	int64_t created = 0, updated = 0;
	const char *id;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK ||
	    prfaq_measurements_check(body, &rows, &err) != PRFAQ_OK)
		goto fail;
	a.rows = rows;
	if (prfaq_store_measurements_add(api_db(req), id, a.caller, rows,
					 measure_policy, &a, &created, &updated,
					 &err) != PRFAQ_OK)
		goto fail;
	prfaq_reply_json(req, 200,
			 json_pack("{s:I, s:I}", "created", (json_int_t)created,
				   "updated", (json_int_t)updated));
	goto out;
fail:
	api_fail(req, &err);
out:
	json_decref(rows);
	json_decref(body);
}

/* The list's filters, checked and turned into what the store compares. */
struct measurement_filters {
	struct prfaq_measurement_query q;
	const char *id;
	char from[24], to[24];
};

static prfaq_code
measurements_page(struct prfaq_request *req, const void *arg,
		  const struct prfaq_page_req *page, struct prfaq_page *out,
		  struct prfaq_error *err)
{
	const struct measurement_filters *f = arg;

	return prfaq_store_measurements_list(api_db(req), f->id, &f->q, page,
					     out, err);
}

/*
 * A from/to bound as decimal microseconds into buf (24 bytes): from is
 * inclusive; to is exclusive past a date-time and past the whole day of a
 * date (to=2027-01-31 takes in the 31st).  False when it is no instant.
 */
static bool
bound(const char *s, bool upper, char *buf)
{
	int64_t us;
	bool is_date;

	if (!prfaq_instant_parse(s, strlen(s), &us, &is_date))
		return false;
	if (upper)
		us += is_date ? INT64_C(86400000000) : 1;
	snprintf(buf, 24, "%" PRId64, us);
	return true;
}

void
api_measurements_list(struct prfaq_request *req)
{
	struct measurement_filters f = { 0 };
	const char *from = prfaq_req_query(req, "from");
	const char *to = prfaq_req_query(req, "to");

	if ((f.id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	f.q.metric = prfaq_req_query(req, "metric");
	if (f.q.metric != NULL &&
	    !prfaq_metric_key_valid(f.q.metric, strlen(f.q.metric))) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "metric must be a metric key");
		return;
	}
	if ((from != NULL && !bound(from, false, f.from)) ||
	    (to != NULL && !bound(to, true, f.to))) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "from and to must be dates (YYYY-MM-DD) "
				    "or RFC 3339 date-times");
		return;
	}
	f.q.from_us = from != NULL ? f.from : NULL;
	f.q.to_us = to != NULL ? f.to : NULL;
	api_list(req, measurements_page, &f);
}

void
api_scorecard_get(struct prfaq_request *req)
{
	struct prfaq_quality_opts today;
	struct prfaq_error err;
	json_t *raw = NULL, *card;
	const char *id;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (prfaq_store_scorecard(api_db(req), id, &raw, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	prfaq_quality_opts_today(&today);
	card = prfaq_scorecard_build(raw, today.today);
	json_decref(raw);
	if (card == NULL) {
		prfaq_reply_problem(req, PRFAQ_ENOMEM, "Out of memory");
		return;
	}
	prfaq_reply_json(req, 200, card);
}
