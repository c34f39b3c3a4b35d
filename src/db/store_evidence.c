/*
 * store_evidence.c - the evidence store (see prfaq/store.h): what customers
 * said or did, one row each, with the JSON of the contract produced by
 * PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* clang-format off */
/* The contract's object of evidence row e; u is its creator. */
#define EVIDENCE_JSON \
	"jsonb_build_object('id', e.id, 'kind', e.kind, 'text', e.text," \
	" 'sentiment', e.sentiment, 'source', e.source, 'source_ref', e.source_ref," \
	" 'url', e.url, 'customer', jsonb_build_object('segment', e.segment, 'name', e.customer)," \
	" 'observed_on', e.observed_on::text, 'tags', to_jsonb(e.tags)," \
	" 'value', e.value, 'unit', e.unit," \
	" 'created_by', jsonb_build_object('id', u.id, 'name', u.name)," \
	" 'created_at', rfc3339(e.created_at), 'updated_at', rfc3339(e.updated_at)," \
	" 'links', (SELECT count(*) FROM evidence_links l WHERE l.evidence_id = e.id))"

/* The columns of an evidence object in jsonb j, as clients send it. */
#define EVIDENCE_COLUMNS \
	"kind, text, sentiment, source, source_ref, url, segment, customer," \
	" observed_on, tags, value, unit"
#define EVIDENCE_VALUES(j) \
	j "->>'kind', " j "->>'text', coalesce(" j "->>'sentiment', 'neutral')," \
	" " j "->>'source', " j "->>'source_ref', " j "->>'url'," \
	" " j "->'customer'->>'segment', " j "->'customer'->>'name'," \
	" (" j "->>'observed_on')::date," \
	" CASE WHEN jsonb_typeof(" j "->'tags') = 'array'" \
	"      THEN ARRAY(SELECT jsonb_array_elements_text(" j "->'tags')) ELSE '{}' END," \
	" (" j "->>'value')::float8, " j "->>'unit'"

static const struct db_stmt stmt_evidence_insert = {
	"evidence_insert",
	"WITH e AS ("
	"  INSERT INTO evidence (" EVIDENCE_COLUMNS ", created_by)"
	"  SELECT " EVIDENCE_VALUES("$1::jsonb") ", $2"
	"  ON CONFLICT (coalesce(source, ''), source_ref) WHERE source_ref IS NOT NULL"
	"  DO NOTHING RETURNING *)"
	"SELECT e.id, (" EVIDENCE_JSON ")::text FROM e JOIN users u ON u.id = e.created_by", 2
};

static const struct db_stmt stmt_evidence_existing = {
	"evidence_existing",
	"SELECT id FROM evidence"
	" WHERE coalesce(source, '') = coalesce($1, '') AND source_ref = $2", 2
};
/* clang-format on */

/*
 * A (source, source_ref) already taken: 409 with the id that holds it, so
 * a client can link or patch that one instead.
 */
static prfaq_code
evidence_conflict(struct prfaq_db_ctx db, const json_t *obj,
		  struct prfaq_error *err)
{
	const char *params[2] = {
		json_string_value(json_object_get(obj, "source")),
		json_string_value(json_object_get(obj, "source_ref")),
	};
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_evidence_existing, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	rc = prfaq_error_set(err, PRFAQ_ECONFLICT,
			     "Evidence with this source and source_ref exists");
	if (PQntuples(res) == 1 && (err->extra = json_object()) != NULL)
		json_object_set_new(err->extra, "existing_id",
				    json_string(PQgetvalue(res, 0, 0)));
	PQclear(res);
	return rc;
}

prfaq_code
prfaq_store_evidence_create(struct prfaq_db_ctx db,
			    const struct prfaq_caller *caller,
			    const json_t *obj, struct prfaq_text *out,
			    char *id_out, struct prfaq_error *err)
{
	char *text = json_dumps(obj, JSON_COMPACT);
	const char *params[2] = { text, caller->user_id };
	PGresult *res = NULL;
	prfaq_code rc;

	if (text == NULL)
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	rc = store_write_one(db, caller, &stmt_evidence_insert, params, &res,
			     err);
	if (rc != PRFAQ_OK)
		goto out;
	if (PQntuples(res) == 0) {
		rc = evidence_conflict(db, obj, err);
		goto out;
	}
	snprintf(id_out, PRFAQ_UUID_LEN + 1, "%s", PQgetvalue(res, 0, 0));
	store_text(res, 0, 1, out);
out:
	PQclear(res);
	free(text);
	return rc;
}

/* clang-format off */
static const struct db_stmt stmt_evidence_get = {
	"evidence_get",
	"SELECT (" EVIDENCE_JSON " || jsonb_build_object('links', coalesce(("
	"   SELECT jsonb_agg(jsonb_build_object("
	"            'prfaq', jsonb_build_object('id', p.id, 'title', p.title, 'status', p.status),"
	"            'anchor', l.anchor, 'quote', l.quote) ORDER BY l.linked_at, l.id)"
	"     FROM evidence_links l JOIN prfaqs p ON p.id = l.prfaq_id"
	"    WHERE l.evidence_id = e.id), '[]'::jsonb)))::text"
	"  FROM evidence e JOIN users u ON u.id = e.created_by WHERE e.id = $1", 1
};
/* clang-format on */

prfaq_code
prfaq_store_evidence_get(struct prfaq_db_ctx db, const char *id,
			 struct prfaq_text *out, struct prfaq_error *err)
{
	const char *params[1] = { id };
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_evidence_get, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	return store_row_text(res, 0, "No such evidence", out, err);
}

/* clang-format off */
static const struct db_stmt stmt_evidence_editable = {
	"evidence_editable",
	"SELECT e.created_by, jsonb_strip_nulls(jsonb_build_object("
	"  'kind', e.kind, 'text', e.text, 'sentiment', e.sentiment, 'source', e.source,"
	"  'source_ref', e.source_ref, 'url', e.url,"
	"  'customer', nullif(jsonb_strip_nulls(jsonb_build_object("
	"      'segment', e.segment, 'name', e.customer)), '{}'::jsonb),"
	"  'observed_on', e.observed_on::text, 'tags', to_jsonb(e.tags),"
	"  'value', e.value, 'unit', e.unit))::text"
	"  FROM evidence e WHERE e.id = $1", 1
};
/* clang-format on */

prfaq_code
prfaq_store_evidence_editable(struct prfaq_db_ctx db, const char *id,
			      char *creator_out, json_t **out,
			      struct prfaq_error *err)
{
	const char *params[1] = { id };
	PGresult *res;
	json_t *obj;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_evidence_editable, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return prfaq_error_set(err, PRFAQ_ENOTFOUND,
				       "No such evidence");
	}
	obj = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if (obj == NULL) {
		PQclear(res);
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "Stored JSON is unreadable");
	}
	snprintf(creator_out, PRFAQ_UUID_LEN + 1, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	*out = obj;
	return PRFAQ_OK;
}

/* clang-format off */
static const struct db_stmt stmt_evidence_update = {
	"evidence_update",
	"WITH e AS ("
	"  UPDATE evidence SET (" EVIDENCE_COLUMNS ", updated_at) ="
	"    (SELECT " EVIDENCE_VALUES("$2::jsonb") ", now())"
	"   WHERE id = $1 RETURNING *)"
	"SELECT (" EVIDENCE_JSON ")::text FROM e JOIN users u ON u.id = e.created_by", 2
};
/* clang-format on */

prfaq_code
prfaq_store_evidence_update(struct prfaq_db_ctx db, const char *id,
			    const json_t *obj, struct prfaq_text *out,
			    struct prfaq_error *err)
{
	char *text = json_dumps(obj, JSON_COMPACT);
	const char *params[2] = { id, text };
	struct db_conn *conn;
	PGresult *res;
	prfaq_code rc;

	if (text == NULL)
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	/* One statement, atomic alone; not retried (it may have run). */
	if ((rc = db_acquire(db, &conn, err)) != PRFAQ_OK)
		goto out;
	rc = db_exec(conn, &stmt_evidence_update, params, &res, err);
	db_release(db.pool, conn);
	if (rc == PRFAQ_OK)
		rc = store_row_text(res, 0, "No such evidence", out, err);
out:
	free(text);
	return rc;
}

/* clang-format off */
static const struct db_stmt stmt_evidence_list = {
	"evidence_list",
	"SELECT (" EVIDENCE_JSON ")::text, (e.sort_on - date '1970-01-01')::text, e.id::text"
	"  FROM evidence e JOIN users u ON u.id = e.created_by"
	" WHERE ($1::text IS NULL OR e.search @@ websearch_to_tsquery('english', $1))"
	"   AND ($2::text IS NULL OR e.kind = $2)"
	"   AND ($3::text IS NULL OR e.sentiment = $3)"
	"   AND ($4::text IS NULL OR e.source = $4)"
	"   AND ($5::text IS NULL OR e.tags @> ARRAY[$5::text])"
	"   AND ($6::boolean IS NULL OR $6 = EXISTS (SELECT 1 FROM evidence_links l"
	"                                            WHERE l.evidence_id = e.id))"
	"   AND ($7::uuid IS NULL OR EXISTS (SELECT 1 FROM evidence_links l"
	"                                    WHERE l.evidence_id = e.id AND l.prfaq_id = $7))"
	"   AND ($8::int IS NULL OR (e.sort_on, e.id) < (date '1970-01-01' + $8::int, $9::uuid))"
	" ORDER BY e.sort_on DESC, e.id DESC LIMIT $10::int + 1", 10
};
/* clang-format on */

static const struct store_list list_evidence = {
	&stmt_evidence_list, 7,	   2,	{ STORE_KEY_INT, STORE_KEY_UUID },
	STORE_PARENT_NONE,   NULL, NULL
};

prfaq_code
prfaq_store_evidence_list(struct prfaq_db_ctx db,
			  const struct prfaq_evidence_query *q,
			  const struct prfaq_page_req *page,
			  struct prfaq_page *out, struct prfaq_error *err)
{
	const char *filters[7] = { q->q,   q->kind,   q->sentiment, q->source,
				   q->tag, q->linked, q->prfaq };

	return store_list(db, &list_evidence, filters, page, out, err);
}
