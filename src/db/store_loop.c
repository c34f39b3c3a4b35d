/*
 * store_loop.c - measurements and the scorecard (see prfaq/store_loop.h).
 *
 * A batch is one transaction of three round trips whatever its size: lock
 * the PR/FAQ (and read the decided version's metrics for the policy), then
 * one statement that upserts every point from a JSON array, keeps the
 * per-metric counts and appends the "measured" event.  The scorecard is one
 * query of index lookups: the first and the latest point of each metric
 * are one index entry each, and the counts are kept, not counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/store_loop.h"
#include "store_internal.h"

/* clang-format off */
/*
 * FOR UPDATE: batches of one PR/FAQ take turns (their upserts and counter
 * updates never cross), and an archive waits for a batch in flight.
 */
static const struct db_stmt stmt_measure_lock = {
	"loop_measure_lock",
	"SELECT p.owner_id, p.status, (p.decision->>'version'),"
	"       (SELECT v.content->'metrics' FROM prfaq_versions v"
	"         WHERE v.prfaq_id = p.id"
	"           AND v.number = (p.decision->>'version')::int)::text"
	"  FROM prfaqs p WHERE p.id = $1 FOR UPDATE", 1
};

/*
 * The batch: rows sorted by key so concurrent writers would lock in one
 * order; xmax = 0 tells an inserted row from an updated one.
 */
static const struct db_stmt stmt_measure_upsert = {
	"loop_measure_upsert",
	"WITH i AS ("
	"  SELECT x.metric, x.value,"
	"         'epoch'::timestamptz + x.at_us * interval '1 microsecond' AS at,"
	"         coalesce(x.source, '') AS source, x.note"
	"    FROM jsonb_to_recordset($2::jsonb)"
	"         AS x(metric text, value float8, at_us bigint, source text, note text)"
	"   ORDER BY 1, 3, 4),"
	" u AS ("
	"  INSERT INTO measurements AS m (prfaq_id, metric, at, source, value, note,"
	"                                 recorded_by)"
	"  SELECT $1, metric, at, source, value, note, $3 FROM i"
	"  ON CONFLICT (prfaq_id, metric, at, source) DO UPDATE"
	"     SET value = excluded.value, note = excluded.note,"
	"         recorded_by = excluded.recorded_by, recorded_at = now()"
	"  RETURNING m.metric, (m.xmax = 0) AS created),"
	" c AS ("
	"  INSERT INTO measurement_counts AS c (prfaq_id, metric, n)"
	"  SELECT $1, metric, count(*) FROM u WHERE created GROUP BY metric"
	"  ON CONFLICT (prfaq_id, metric) DO UPDATE SET n = c.n + excluded.n),"
	" s AS ("
	"  SELECT count(*) FILTER (WHERE created) AS created,"
	"         count(*) FILTER (WHERE NOT created) AS updated FROM u),"
	" e AS ("
	"  INSERT INTO events (prfaq_id, type, actor_id, data)"
	"  SELECT $1, 'measured', $3, jsonb_build_object("
	"           'created', s.created, 'updated', s.updated,"
	"           'metrics', (SELECT jsonb_agg(DISTINCT metric) FROM i),"
	"           'version', $4::int) FROM s)"
	"SELECT created, updated FROM s", 4
};
/* clang-format on */

struct measure_ctx {
	const char *id;
	const struct prfaq_caller *caller;
	const json_t *rows;
	prfaq_measure_policy policy;
	void *arg;
	int64_t created, updated;
};

static prfaq_code
measure_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct measure_ctx *c = arg;
	struct prfaq_measure_target t = { 0 };
	const char *params[4] = { c->id };
	json_t *metrics = NULL;
	PGresult *res = NULL, *up = NULL;
	char *rows = NULL;
	prfaq_code rc;

	if ((rc = db_exec(conn, &stmt_measure_lock, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND, "No such PR/FAQ");
		goto out;
	}
	t.owner_id = PQgetvalue(res, 0, 0);
	if (prfaq_status_parse(PQgetvalue(res, 0, 1), &t.status) != 0) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL, "Unknown status");
		goto out;
	}
	if (!PQgetisnull(res, 0, 3))
		metrics = json_loadb(PQgetvalue(res, 0, 3),
				     (size_t)PQgetlength(res, 0, 3), 0, NULL);
	t.metrics = metrics;
	if ((rc = c->policy(&t, c->arg, err)) != PRFAQ_OK)
		goto out;
	if ((rows = json_dumps(c->rows, JSON_COMPACT)) == NULL) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
				     "The measurements could not be encoded");
		goto out;
	}
	params[1] = rows;
	params[2] = c->caller->user_id;
	params[3] = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2);
	if ((rc = db_exec(conn, &stmt_measure_upsert, params, &up, err)) !=
	    PRFAQ_OK)
		goto out;
	c->created = strtoll(PQgetvalue(up, 0, 0), NULL, 10);
	c->updated = strtoll(PQgetvalue(up, 0, 1), NULL, 10);
out:
	free(rows);
	json_decref(metrics);
	PQclear(up);
	PQclear(res);
	return rc;
}

prfaq_code
prfaq_store_measurements_add(struct prfaq_db_ctx db, const char *id,
			     const struct prfaq_caller *caller,
			     const json_t *rows, prfaq_measure_policy policy,
			     void *arg, int64_t *created, int64_t *updated,
			     struct prfaq_error *err)
{
	struct measure_ctx c = { .id = id,
				 .caller = caller,
				 .rows = rows,
				 .policy = policy,
				 .arg = arg };
	prfaq_code rc = db_tx(db, measure_tx, &c, err);

	if (rc != PRFAQ_OK)
		return rc;
	*created = c.created;
	*updated = c.updated;
	return PRFAQ_OK;
}

/* --- list ---------------------------------------------------------------- */

/* clang-format off */
/*
 * Oldest first, keyset (at, metric, source).  With a metric the primary key
 * serves the range; without one, measurements_at_idx does.
 */
static const struct db_stmt stmt_measurements_list = {
	"loop_measurements_list",
	"SELECT json_build_object('metric', m.metric, 'value', m.value,"
	"         'at', CASE WHEN date_trunc('second', m.at) = m.at"
	"                    THEN rfc3339(m.at)"
	"                    ELSE to_char(m.at AT TIME ZONE 'UTC',"
	"                                 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') END,"
	"         'source', nullif(m.source, ''), 'note', m.note,"
	"         'recorded_by', json_build_object('id', u.id, 'name', u.name),"
	"         'recorded_at', rfc3339(m.recorded_at))::text,"
	"       ((extract(epoch FROM m.at) * 1000000)::bigint)::text, m.metric,"
	"       m.source"
	"  FROM measurements m JOIN users u ON u.id = m.recorded_by"
	" WHERE m.prfaq_id = $1"
	"   AND ($2::text IS NULL OR m.metric = $2)"
	"   AND ($3::bigint IS NULL OR m.at >= 'epoch'::timestamptz + $3::bigint * interval '1 microsecond')"
	"   AND ($4::bigint IS NULL OR m.at < 'epoch'::timestamptz + $4::bigint * interval '1 microsecond')"
	"   AND ($5::bigint IS NULL OR (m.at, m.metric, m.source) >"
	"        ('epoch'::timestamptz + $5::bigint * interval '1 microsecond', $6::text, $7::text))"
	" ORDER BY m.at, m.metric, m.source LIMIT $8::int + 1", 8
};
/* clang-format on */

static const struct db_stmt stmt_prfaq_exists = {
	"loop_prfaq_exists", "SELECT 1 FROM prfaqs WHERE id = $1", 1
};

static const struct store_list list_measurements = {
	&stmt_measurements_list,
	4,
	3,
	{ STORE_KEY_INT, STORE_KEY_TEXT, STORE_KEY_TEXT },
	STORE_PARENT_IF_EMPTY,
	&stmt_prfaq_exists,
	"No such PR/FAQ"
};

prfaq_code
prfaq_store_measurements_list(struct prfaq_db_ctx db, const char *id,
			      const struct prfaq_measurement_query *q,
			      const struct prfaq_page_req *page,
			      struct prfaq_page *out, struct prfaq_error *err)
{
	const char *filters[4] = { id, q->metric, q->from_us, q->to_us };

	return store_list(db, &list_measurements, filters, page, out, err);
}

/* --- scorecard ------------------------------------------------------------ */

/* clang-format off */
/*
 * Everything the scorecard needs in one round trip: the decided version's
 * metrics, for each its first and latest point (one index entry each, by
 * the primary key) and its kept count, and the voice of the customer linked
 * and observed since the launch.  Without a decision (never approved) the
 * current content's metrics stand in.
 */
static const struct db_stmt stmt_scorecard = {
	"loop_scorecard",
	"SELECT json_build_object("
	"  'status', p.status,"
	"  'launched_on', p.launch->>'on',"
	"  'metrics', coalesce(v.content->'metrics', p.content->'metrics', '[]'::jsonb),"
	"  'stats', (SELECT coalesce(json_object_agg(k.key, json_build_object("
	"                'first', f.value, 'latest', l.value,"
	"                'latest_at', CASE WHEN date_trunc('second', l.at) = l.at"
	"                    THEN rfc3339(l.at)"
	"                    ELSE to_char(l.at AT TIME ZONE 'UTC',"
	"                                 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') END,"
	"                'n', coalesce(c.n, 0))), '{}')"
	"     FROM (SELECT DISTINCT x->>'key' AS key FROM jsonb_array_elements("
	"             coalesce(v.content->'metrics', p.content->'metrics', '[]'::jsonb)) x"
	"            WHERE x->>'key' IS NOT NULL) k"
	"     LEFT JOIN LATERAL (SELECT m.value FROM measurements m"
	"                         WHERE m.prfaq_id = p.id AND m.metric = k.key"
	"                         ORDER BY m.at, m.source LIMIT 1) f ON true"
	"     LEFT JOIN LATERAL (SELECT m.value, m.at FROM measurements m"
	"                         WHERE m.prfaq_id = p.id AND m.metric = k.key"
	"                         ORDER BY m.at DESC, m.source DESC LIMIT 1) l ON true"
	"     LEFT JOIN measurement_counts c ON c.prfaq_id = p.id AND c.metric = k.key),"
	"  'voice', (SELECT json_build_object("
	"                'negative', count(*) FILTER (WHERE e.sentiment = 'negative'),"
	"                'neutral', count(*) FILTER (WHERE e.sentiment = 'neutral'),"
	"                'positive', count(*) FILTER (WHERE e.sentiment = 'positive'))"
	"     FROM evidence_links el JOIN evidence e ON e.id = el.evidence_id"
	"    WHERE el.prfaq_id = p.id"
	"      AND e.observed_on >= (p.launch->>'on')::date))::text"
	"  FROM prfaqs p"
	"  LEFT JOIN prfaq_versions v ON v.prfaq_id = p.id"
	"        AND v.number = (p.decision->>'version')::int"
	" WHERE p.id = $1", 1
};
/* clang-format on */

prfaq_code
prfaq_store_scorecard(struct prfaq_db_ctx db, const char *id, json_t **out,
		      struct prfaq_error *err)
{
	const char *params[1] = { id };
	PGresult *res;
	json_t *raw;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_scorecard, params, &res, err)) != PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return prfaq_error_set(err, PRFAQ_ENOTFOUND, "No such PR/FAQ");
	}
	raw = json_loadb(PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0),
			 0, NULL);
	PQclear(res);
	if (raw == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "The scorecard could not be read");
	*out = raw;
	return PRFAQ_OK;
}
