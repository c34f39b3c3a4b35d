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
/*
 * The import, set-based: every line an element of $1, one INSERT ... ON
 * CONFLICT for all of them.  A line whose item is already as sent is left
 * out before the INSERT (an index lookup, no lock), so a sync job that runs
 * again writes nothing at all: no row version, no row lock, no updated_at.
 * The conflict's WHERE keeps that true for an item that a concurrent
 * import made equal meanwhile.  xmax = 0 tells a row just inserted from one
 * updated.
 */
#define EVIDENCE_EDITABLE(t) \
	"(" t ".kind, " t ".text, " t ".sentiment, " t ".url, " t ".segment," \
	" " t ".customer, " t ".observed_on, " t ".tags, " t ".value, " t ".unit)"
static const struct db_stmt stmt_evidence_import = {
	"evidence_import",
	"WITH n (" EVIDENCE_COLUMNS ") AS ("
	"  SELECT " EVIDENCE_VALUES("j") " FROM jsonb_array_elements($1::jsonb) AS t(j)),"
	" w AS ("
	"  INSERT INTO evidence AS e (" EVIDENCE_COLUMNS ", created_by)"
	"  SELECT n.*, $2 FROM n"
	"   WHERE NOT EXISTS (SELECT 1 FROM evidence o"
	"                      WHERE coalesce(o.source, '') = coalesce(n.source, '')"
	"                        AND o.source_ref = n.source_ref"
	"                        AND " EVIDENCE_EDITABLE("o") " IS NOT DISTINCT FROM " EVIDENCE_EDITABLE("n") ")"
	"  ON CONFLICT (coalesce(source, ''), source_ref) WHERE source_ref IS NOT NULL"
	"  DO UPDATE SET (kind, text, sentiment, url, segment, customer, observed_on,"
	"                 tags, value, unit, updated_at) ="
	"    (EXCLUDED.kind, EXCLUDED.text, EXCLUDED.sentiment, EXCLUDED.url,"
	"     EXCLUDED.segment, EXCLUDED.customer, EXCLUDED.observed_on, EXCLUDED.tags,"
	"     EXCLUDED.value, EXCLUDED.unit, now())"
	"   WHERE " EVIDENCE_EDITABLE("e") " IS DISTINCT FROM " EVIDENCE_EDITABLE("EXCLUDED")
	"  RETURNING (e.xmax = 0) AS created)"
	"SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM w", 2
};
/* clang-format on */

prfaq_code
prfaq_store_evidence_import(struct prfaq_db_ctx db,
			    const struct prfaq_caller *caller,
			    const json_t *items,
			    struct prfaq_import_counts *out,
			    struct prfaq_error *err)
{
	char *text = json_dumps(items, JSON_COMPACT);
	const char *params[2] = { text, caller->user_id };
	PGresult *res;
	prfaq_code rc;

	if (text == NULL)
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	/* One statement is its own transaction: all lines or none. */
	rc = store_write_one(db, NULL, &stmt_evidence_import, params, &res,
			     err);
	if (rc != PRFAQ_OK)
		goto out;
	out->created = atol(PQgetvalue(res, 0, 0));
	out->updated = atol(PQgetvalue(res, 0, 1));
	out->unchanged =
		(long)json_array_size(items) - out->created - out->updated;
	PQclear(res);
out:
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
	PGresult *res;
	prfaq_code rc;

	if (text == NULL)
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	/* One statement, atomic alone; not retried (it may have run). */
	rc = store_write_one(db, NULL, &stmt_evidence_update, params, &res,
			     err);
	if (rc == PRFAQ_OK)
		rc = store_row_text(res, 0, "No such evidence", out, err);
	free(text);
	return rc;
}

/* clang-format off */
/*
 * Not prepared: planned for each request's values.  A generic plan of the
 * "$n IS NULL OR ..." filters can use no index but the newest-first walk,
 * and reads every row for a rare word or tag (a second at 100,000 items);
 * planned with the values, a rare word is a GIN lookup and a common one
 * the walk (statistics on search and tags: migrations/0014).  prfaq= is
 * "id = ANY (its links' ids)", one index lookup per link: as an EXISTS it
 * was checked on every row of the walk (6 s at 100,000 for a PR/FAQ with
 * no link, on a loaded machine; 0.3 ms now).
 */
static const struct db_stmt stmt_evidence_list = {
	NULL,
	"SELECT (" EVIDENCE_JSON ")::text, (e.sort_on - date '1970-01-01')::text, e.id::text"
	"  FROM evidence e JOIN users u ON u.id = e.created_by"
	" WHERE ($1::text IS NULL OR e.search @@ websearch_to_tsquery('english', $1))"
	"   AND ($2::text IS NULL OR e.kind = $2)"
	"   AND ($3::text IS NULL OR e.sentiment = $3)"
	"   AND ($4::text IS NULL OR e.source = $4)"
	"   AND ($5::text IS NULL OR e.tags @> ARRAY[$5::text])"
	"   AND ($6::boolean IS NULL OR $6 = EXISTS (SELECT 1 FROM evidence_links l"
	"                                            WHERE l.evidence_id = e.id))"
	"   AND ($7::uuid IS NULL OR e.id = ANY (ARRAY(SELECT l.evidence_id FROM evidence_links l"
	"                                              WHERE l.prfaq_id = $7)))"
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

/* --- links from a PR/FAQ to evidence ------------------------------------ */

/* clang-format off */
/*
 * The contract's object of link l, with its evidence e (creator u), its
 * linker lb and its PR/FAQ p.  Outdated like a review comment: the quoted
 * passage (or, without a quote, the anchor) left the current version.
 */
#define LINK_JSON \
	"jsonb_build_object('id', l.id, 'evidence', " EVIDENCE_JSON "," \
	" 'anchor', l.anchor, 'quote', l.quote, 'note', l.note," \
	" 'linked_by', jsonb_build_object('id', lb.id, 'name', lb.name)," \
	" 'linked_at', rfc3339(l.linked_at)," \
	" 'outdated', CASE WHEN l.anchor IS NULL THEN false" \
	"   WHEN l.quote IS NULL THEN p.content #> json_pointer_path(l.anchor) IS NULL" \
	"   ELSE strpos(coalesce(p.content #>> json_pointer_path(l.anchor), '')," \
	"               l.quote) = 0 END)"
#define LINK_FROM \
	" FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id" \
	" JOIN users u ON u.id = e.created_by JOIN users lb ON lb.id = l.linked_by" \
	" JOIN prfaqs p ON p.id = l.prfaq_id"

static const struct db_stmt stmt_link_target = {
	"evidence_link_target",
	"SELECT p.owner_id, p.version, p.content::text,"
	"       EXISTS (SELECT 1 FROM evidence WHERE id = $2)"
	"  FROM prfaqs p WHERE p.id = $1 FOR UPDATE OF p", 2
};

static const struct db_stmt stmt_link_insert = {
	"evidence_link_insert",
	"WITH l AS ("
	"  INSERT INTO evidence_links (prfaq_id, evidence_id, anchor, quote, note, linked_by)"
	"  VALUES ($1, $2, $3, $4, $5, $6)"
	"  ON CONFLICT (prfaq_id, evidence_id) DO NOTHING RETURNING id, evidence_id),"
	" ev AS ("
	"  INSERT INTO events (prfaq_id, type, actor_id, data)"
	"  SELECT $1, 'evidence_linked', $6,"
	"         jsonb_build_object('link_id', l.id, 'evidence_id', l.evidence_id) FROM l)"
	"SELECT id FROM l", 6
};

static const struct db_stmt stmt_link_get = {
	"evidence_link_get",
	"SELECT (" LINK_JSON ")::text" LINK_FROM " WHERE l.id = $1", 1
};
/* clang-format on */

struct link_ctx {
	const char *params[6];
	const struct prfaq_caller *caller;
	prfaq_link_check check;
	void *arg;
	struct prfaq_text out;
};

static prfaq_code
link_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct link_ctx *c = arg;
	struct prfaq_link_target t = { NULL, 0, NULL };
	const char *id_param[1];
	PGresult *res = NULL;
	json_t *content = NULL;
	char link_id[PRFAQ_UUID_LEN + 1];
	prfaq_code rc;

	prfaq_text_free(&c->out);
	if ((rc = db_exec(conn, &stmt_link_target, c->params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND, "No such PR/FAQ");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 3), "t") != 0) {
		rc = prfaq_error_add(err, "/evidence_id", "%s",
				     "names no evidence item");
		goto out;
	}
	if ((content = json_loads(PQgetvalue(res, 0, 2), 0, NULL)) == NULL) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
				     "Stored JSON is unreadable");
		goto out;
	}
	t.owner_id = PQgetvalue(res, 0, 0);
	t.version = atoi(PQgetvalue(res, 0, 1));
	t.content = content;
	if ((rc = c->check(&t, c->arg, err)) != PRFAQ_OK)
		goto out;
	PQclear(res);
	res = NULL;
	if ((rc = db_exec(conn, &stmt_link_insert, c->params, &res, err)) !=
	    PRFAQ_OK)
		goto out;
	if (PQntuples(res) != 1) {
		rc = prfaq_error_set(
			err, PRFAQ_ECONFLICT,
			"This evidence is already linked to this PR/FAQ");
		goto out;
	}
	snprintf(link_id, sizeof(link_id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if ((rc = store_idem_mark(conn, c->caller, err)) != PRFAQ_OK)
		goto out;
	id_param[0] = link_id;
	if ((rc = db_exec(conn, &stmt_link_get, id_param, &res, err)) !=
	    PRFAQ_OK)
		goto out;
	store_text(res, 0, 0, &c->out);
out:
	PQclear(res);
	json_decref(content);
	return rc;
}

prfaq_code
prfaq_store_evidence_link(struct prfaq_db_ctx db, const char *prfaq_id,
			  const struct prfaq_caller *caller,
			  const char *evidence_id, const char *anchor,
			  const char *quote, const char *note,
			  prfaq_link_check check, void *arg,
			  struct prfaq_text *out, struct prfaq_error *err)
{
	struct link_ctx c = { { prfaq_id, evidence_id, anchor, quote, note,
				caller->user_id },
			      caller,
			      check,
			      arg,
			      { NULL, 0 } };
	prfaq_code rc;

	if ((rc = db_tx(db, link_tx, &c, err)) != PRFAQ_OK) {
		prfaq_text_free(&c.out);
		return rc;
	}
	*out = c.out;
	return PRFAQ_OK;
}

/* clang-format off */
static const struct db_stmt stmt_links_list = {
	"evidence_links_list",
	"SELECT (" LINK_JSON ")::text,"
	"       (extract(epoch FROM l.linked_at) * 1000000)::bigint::text, l.id::text"
	LINK_FROM
	" WHERE l.prfaq_id = $1"
	"   AND ($2::bigint IS NULL OR (l.linked_at, l.id) >"
	"        ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY l.linked_at, l.id LIMIT $4::int + 1", 4
};
/* clang-format on */

static const struct db_stmt stmt_prfaq_exists = {
	"evidence_prfaq_exists", "SELECT 1 FROM prfaqs WHERE id = $1", 1
};

static const struct store_list list_links = { &stmt_links_list,
					      1,
					      2,
					      { STORE_KEY_INT, STORE_KEY_UUID },
					      STORE_PARENT_IF_EMPTY,
					      &stmt_prfaq_exists,
					      "No such PR/FAQ" };

prfaq_code
prfaq_store_evidence_links(struct prfaq_db_ctx db, const char *prfaq_id,
			   const struct prfaq_page_req *page,
			   struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_links, &prfaq_id, page, out, err);
}

/* clang-format off */
/*
 * One statement: find the link, delete it when the caller may (the
 * PR/FAQ's owner, the linker, an admin), record the event.  The counts say
 * which of "no such link", "not yours" and "done" it was.
 */
static const struct db_stmt stmt_unlink = {
	"evidence_unlink",
	"WITH l AS ("
	"  SELECT l.id, l.evidence_id, l.linked_by, p.owner_id"
	"    FROM evidence_links l JOIN prfaqs p ON p.id = l.prfaq_id"
	"   WHERE l.id = $2 AND l.prfaq_id = $1 FOR UPDATE OF l),"
	" d AS ("
	"  DELETE FROM evidence_links x USING l WHERE x.id = l.id"
	"     AND (l.linked_by = $3::uuid OR l.owner_id = $3::uuid OR $4::bool)"
	"  RETURNING x.id, x.evidence_id),"
	" ev AS ("
	"  INSERT INTO events (prfaq_id, type, actor_id, data)"
	"  SELECT $1, 'evidence_unlinked', $3,"
	"         jsonb_build_object('link_id', d.id, 'evidence_id', d.evidence_id) FROM d)"
	"SELECT (SELECT count(*) FROM l), (SELECT count(*) FROM d)", 4
};
/* clang-format on */

prfaq_code
prfaq_store_evidence_unlink(struct prfaq_db_ctx db, const char *prfaq_id,
			    const char *link_id,
			    const struct prfaq_caller *caller,
			    struct prfaq_error *err)
{
	const char *params[4] = { prfaq_id, link_id, caller->user_id,
				  (caller->roles & PRFAQ_ROLE_ADMIN) ? "t" :
								       "f" };
	PGresult *res;
	prfaq_code rc;

	if ((rc = store_write_one(db, NULL, &stmt_unlink, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (strcmp(PQgetvalue(res, 0, 0), "0") == 0)
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND,
				     "No such evidence link on this PR/FAQ");
	else if (strcmp(PQgetvalue(res, 0, 1), "0") == 0)
		rc = prfaq_error_set(err, PRFAQ_EFORBIDDEN,
				     "Only the PR/FAQ's owner, the one who "
				     "linked it or an admin may unlink "
				     "evidence");
	PQclear(res);
	return rc;
}

/* clang-format off */
/*
 * What customers talk about most: each tag with how many items carry it,
 * how many of those are negative and how many some PR/FAQ links to.  The
 * EVIDENCE_TAGS_MAX most frequent.
 */
#define EVIDENCE_TAGS_MAX "100"
static const struct db_stmt stmt_evidence_tags = {
	"evidence_tags",
	"SELECT '{\"items\":' || coalesce(json_agg(json_build_object("
	"         'tag', t.tag, 'count', t.n, 'negative', t.neg, 'linked', t.linked)"
	"         ORDER BY t.n DESC, t.tag), '[]'::json)::text || '}'"
	"  FROM (SELECT tag, count(*) AS n,"
	"               count(*) FILTER (WHERE e.sentiment = 'negative') AS neg,"
	"               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM evidence_links l"
	"                                              WHERE l.evidence_id = e.id)) AS linked"
	"          FROM evidence e, unnest(e.tags) AS tag"
	"         GROUP BY tag ORDER BY n DESC, tag LIMIT " EVIDENCE_TAGS_MAX ") t", 0
};
/* clang-format on */

prfaq_code
prfaq_store_evidence_tags(struct prfaq_db_ctx db, struct prfaq_text *out,
			  struct prfaq_error *err)
{
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_evidence_tags, NULL, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	return store_row_text(res, 0, "No tags", out, err);
}

/* clang-format off */
/*
 * The document for its HTML page, with the evidence appendix in the same
 * statement (one snapshot: the page never shows links of another moment
 * than its text).  The first EVIDENCE_APPENDIX_MAX links, oldest first, and
 * how many more there are; the stamp (a digest of every link and its
 * item's updated_at) lets the page's ETag change when the evidence does.
 */
#define EVIDENCE_APPENDIX_MAX "200"
static const struct db_stmt stmt_doc_cited = {
	"prfaq_doc_cited",
	"SELECT d.version, left(d.doc::text, -1) || ',\"evidence_appendix\":' ||"
	"       json_build_object('items', coalesce(a.items, '[]'::json),"
	"         'more', greatest(a.total - " EVIDENCE_APPENDIX_MAX ", 0))::text || '}',"
	"       coalesce(a.stamp, '')"
	"  FROM prfaq_documents d,"
	"       LATERAL (SELECT json_agg(json_build_object('kind', e.kind, 'text', e.text,"
	"                  'sentiment', e.sentiment, 'source', e.source, 'url', e.url,"
	"                  'customer', json_build_object('segment', e.segment, 'name', e.customer),"
	"                  'observed_on', e.observed_on::text, 'value', e.value, 'unit', e.unit)"
	"                  ORDER BY l.n) FILTER (WHERE l.n <= " EVIDENCE_APPENDIX_MAX ") AS items,"
	"                count(*) AS total,"
	"                left(md5(string_agg(l.id::text || ':' || e.updated_at::text, ','"
	"                                    ORDER BY l.id)), 16) AS stamp"
	"           FROM (SELECT id, evidence_id, row_number() OVER (ORDER BY linked_at, id) AS n"
	"                   FROM evidence_links WHERE prfaq_id = d.id) l"
	"           JOIN evidence e ON e.id = l.evidence_id) a"
	" WHERE d.id = $1", 1
};
/* clang-format on */

prfaq_code
prfaq_store_prfaq_get_cited(struct prfaq_db_ctx db, const char *id,
			    struct prfaq_text *out, int *version, char *stamp,
			    struct prfaq_error *err)
{
	const char *params[1] = { id };
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_doc_cited, params, &res, err)) != PRFAQ_OK)
		return rc;
	if (PQntuples(res) == 1) {
		*version = atoi(PQgetvalue(res, 0, 0));
		snprintf(stamp, PRFAQ_EVIDENCE_STAMP_LEN + 1, "%s",
			 PQgetvalue(res, 0, 2));
	}
	return store_row_text(res, 1, "No such PR/FAQ", out, err);
}
