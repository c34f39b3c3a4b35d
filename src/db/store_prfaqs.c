/*
 * store_prfaqs.c - PR/FAQs, their versions and the audit trail
 * (see prfaq/store.h).
 *
 * Lost updates are impossible for two independent reasons: every write locks
 * the PR/FAQ row (SELECT ... FOR UPDATE) and checks the version under that
 * lock, and (prfaq_id, number) is the versions' primary key.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prfaq/buf.h"
#include "prfaq/json.h"
#include "store_doc.h"
#include "store_internal.h"

/* {title, team?, tags, content} of a row: the shape mutators and diff see. */
/* clang-format off */
#define DOC_BODY(t) \
	"(jsonb_build_object('title', " t ".title, 'tags', to_jsonb(" t ".tags)," \
	" 'content', " t ".content) || CASE WHEN " t ".team IS NULL THEN '{}'::jsonb" \
	" ELSE jsonb_build_object('team', " t ".team) END)"
/* clang-format on */

#define TAGS_PARAM(n) "ARRAY(SELECT jsonb_array_elements_text(" n "::jsonb))"

/* clang-format off */
/*
 * The document with its evidence counts spliced in as the last member (the
 * view's JSON keeps its member order; still one round trip).
 */
static const struct db_stmt stmt_doc_get = {
	"prfaq_doc_get",
	"SELECT d.version, left(d.doc::text, -1) || ',\"evidence\":' || ("
	"  SELECT json_build_object('links', count(*),"
	"    'anecdote', count(*) FILTER (WHERE e.kind = 'anecdote'),"
	"    'request', count(*) FILTER (WHERE e.kind = 'request'),"
	"    'data', count(*) FILTER (WHERE e.kind = 'data'),"
	"    'negative', count(*) FILTER (WHERE e.sentiment = 'negative'),"
	"    'positive', count(*) FILTER (WHERE e.sentiment = 'positive'))::text"
	"    FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id"
	"   WHERE l.prfaq_id = d.id) || '}'"
	"  FROM prfaq_documents d WHERE d.id = $1", 1
};
/* clang-format on */

/* The document and its version from a stmt_doc_get result (cleared). */
static prfaq_code
doc_result(PGresult *res, struct prfaq_text *out, int *version,
	   struct prfaq_error *err)
{
	if (version != NULL && PQntuples(res) == 1)
		*version = atoi(PQgetvalue(res, 0, 0));
	return store_row_text(res, 1, "No such PR/FAQ", out, err);
}

/* Read the document inside a transaction; 404 when absent. */
static prfaq_code
doc_fetch(struct db_conn *conn, const char *id, struct prfaq_text *out,
	  int *version, struct prfaq_error *err)
{
	const char *params[1] = { id };
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_exec(conn, &stmt_doc_get, params, &res, err)) != PRFAQ_OK)
		return rc;
	return doc_result(res, out, version, err);
}

prfaq_code
prfaq_store_prfaq_get(struct prfaq_db_ctx db, const char *id,
		      struct prfaq_text *out, int *version,
		      struct prfaq_error *err)
{
	const char *params[1] = { id };
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_doc_get, params, &res, err)) != PRFAQ_OK)
		return rc;
	return doc_result(res, out, version, err);
}

/* --- create ------------------------------------------------------------- */

/* clang-format off */
static const struct db_stmt stmt_create = {
	"prfaq_create",
	"WITH p AS ("
	"  INSERT INTO prfaqs (owner_id, title, team, tags, content, quality, version)"
	"  VALUES ($1, $2, $3, " TAGS_PARAM("$4") ", $5::jsonb, $6::jsonb, 1)"
	"  RETURNING id, title, team, tags, content, quality, created_at),"
	" v AS ("
	"  INSERT INTO prfaq_versions (prfaq_id, number, title, team, tags, content,"
	"                              quality, author_id, change_note, created_at)"
	"  SELECT id, 1, title, team, tags, content, quality, $1, $7, created_at FROM p),"
	" e AS ("
	"  INSERT INTO events (prfaq_id, type, actor_id, data)"
	"  SELECT id, 'created', $1, jsonb_build_object('version', 1) FROM p)"
	"SELECT id FROM p", 7
};
/* clang-format on */

struct create_ctx {
	const struct prfaq_caller *caller;
	const struct prfaq_new_doc *doc;
	struct prfaq_text out;
	char id[PRFAQ_UUID_LEN + 1];
};

static prfaq_code
create_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct create_ctx *c = arg;
	struct store_doc_params dp;
	const char *params[7];
	PGresult *res;
	prfaq_code rc;

	prfaq_text_free(&c->out);
	if ((rc = store_doc_params(c->doc->body, c->doc->quality, &dp, err)) !=
	    PRFAQ_OK)
		return rc;
	params[0] = c->caller->user_id;
	params[1] = dp.title;
	params[2] = dp.team;
	params[3] = dp.tags;
	params[4] = dp.content;
	params[5] = dp.quality;
	params[6] = c->doc->change_note;
	if ((rc = db_exec(conn, &stmt_create, params, &res, err)) != PRFAQ_OK)
		goto out;
	snprintf(c->id, sizeof(c->id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((rc = store_idem_mark(conn, c->caller, err)) != PRFAQ_OK)
		goto out;
	rc = doc_fetch(conn, c->id, &c->out, NULL, err);
out:
	store_doc_params_free(&dp);
	return rc;
}

prfaq_code
prfaq_store_prfaq_create(struct prfaq_db_ctx db,
			 const struct prfaq_caller *caller,
			 const struct prfaq_new_doc *doc,
			 struct prfaq_text *out, char *id_out,
			 struct prfaq_error *err)
{
	struct create_ctx c = { .caller = caller, .doc = doc };
	prfaq_code rc = db_tx(db, create_tx, &c, err);

	if (rc != PRFAQ_OK) {
		prfaq_text_free(&c.out);
		return rc;
	}
	*out = c.out;
	memcpy(id_out, c.id, sizeof(c.id));
	return PRFAQ_OK;
}

/* --- update: edits, restores and status changes ------------------------- */

/* clang-format off */
static const struct db_stmt stmt_lock = {
	"prfaq_lock",
	"SELECT p.owner_id, p.status, p.version, " DOC_BODY("p") "::text,"
	"       p.quality::text,"
	"       (SELECT count(*) FROM reviews r"
	"         WHERE r.prfaq_id = p.id AND r.version = p.version"
	"           AND r.verdict = 'approve' AND r.reviewer_id <> p.owner_id)"
	"  FROM prfaqs p WHERE p.id = $1 FOR UPDATE", 1
};

static const struct db_stmt stmt_version_body = {
	"prfaq_version_body",
	"SELECT " DOC_BODY("v") "::text FROM prfaq_versions v"
	" WHERE v.prfaq_id = $1 AND v.number = $2", 2
};

static const struct db_stmt stmt_revise = {
	"prfaq_revise",
	"WITH p AS ("
	"  UPDATE prfaqs SET version = version + 1, title = $2, team = $3,"
	"         tags = " TAGS_PARAM("$4") ", content = $5::jsonb,"
	"         quality = $6::jsonb, status = $7, updated_at = now()"
	"   WHERE id = $1"
	"  RETURNING id, version, title, team, tags, content, quality, updated_at)"
	"INSERT INTO prfaq_versions (prfaq_id, number, title, team, tags, content,"
	"                            quality, author_id, change_note, restored_from,"
	"                            created_at)"
	"SELECT id, version, title, team, tags, content, quality, $8, $9, $10::int,"
	"       updated_at FROM p"
	" RETURNING number", 10
};
/* clang-format on */

static const struct db_stmt stmt_set_status = {
	"prfaq_set_status",
	"UPDATE prfaqs SET status = $2, updated_at = now(),"
	"       decision = CASE WHEN $3::bool THEN NULL"
	"                       ELSE coalesce($4::jsonb || jsonb_build_object("
	"                           'version', version, 'at', rfc3339(now()),"
	"                           'decided_by', (SELECT jsonb_build_object('id', u.id,"
	"                                          'name', u.name) FROM users u"
	"                                          WHERE u.id = $5::uuid)),"
	"                         decision) END"
	" WHERE id = $1 RETURNING version",
	5
};

static const struct db_stmt stmt_event = {
	"prfaq_event",
	"INSERT INTO events (prfaq_id, type, actor_id, data)"
	" VALUES ($1, $2, $3, $4::jsonb)",
	4
};

struct update_ctx {
	const char *id;
	const struct prfaq_caller *caller;
	int from_version;
	prfaq_mutator mutate;
	void *arg;
	struct prfaq_text out;
	int version;
};

static void
change_clear(struct prfaq_change *ch)
{
	json_decref(ch->reviewers_add);
	json_decref(ch->reviewers_remove);
	json_decref(ch->doc);
	json_decref(ch->quality);
	json_decref(ch->event_data);
	json_decref(ch->decision);
	memset(ch, 0, sizeof(*ch));
}

static json_t *
parse_cell(const PGresult *res, int row, int col)
{
	return json_loadb(PQgetvalue(res, row, col),
			  (size_t)PQgetlength(res, row, col), 0, NULL);
}

/* Write a new version from ch->doc, with ch->status. */
static prfaq_code
write_version(struct db_conn *conn, const struct update_ctx *u,
	      const struct prfaq_change *ch, struct prfaq_error *err)
{
	struct store_doc_params dp;
	char restored[16];
	const char *params[10];
	prfaq_code rc;

	if ((rc = store_doc_params(ch->doc, ch->quality, &dp, err)) != PRFAQ_OK)
		return rc;
	snprintf(restored, sizeof(restored), "%d", u->from_version);
	params[0] = u->id;
	params[1] = dp.title;
	params[2] = dp.team;
	params[3] = dp.tags;
	params[4] = dp.content;
	params[5] = dp.quality;
	params[6] = prfaq_status_name(ch->status);
	params[7] = u->caller->user_id;
	params[8] = ch->change_note;
	params[9] = u->from_version > 0 ? restored : NULL;
	rc = db_run(conn, &stmt_revise, params, err);
	store_doc_params_free(&dp);
	return rc;
}

/* Change the status (and the decision) without a new version. */
static prfaq_code
write_status(struct db_conn *conn, const struct update_ctx *u,
	     const struct prfaq_change *ch, struct prfaq_error *err)
{
	const char *params[5];
	char *decision = NULL;
	prfaq_code rc;

	/* NULL is "keep the decision": one that cannot be encoded must fail. */
	if (ch->decision != NULL &&
	    (decision = json_dumps(ch->decision, JSON_COMPACT)) == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "The decision could not be encoded");
	params[0] = u->id;
	params[1] = prfaq_status_name(ch->status);
	params[2] = ch->clear_decision ? "true" : "false";
	params[3] = decision;
	params[4] = u->caller->user_id;
	rc = db_run(conn, &stmt_set_status, params, err);
	free(decision);
	return rc;
}

/* clang-format off */
static const struct db_stmt stmt_reviewers_change = {
	"prfaq_reviewers_change",
	"WITH a AS ("
	"  INSERT INTO prfaq_reviewers (prfaq_id, user_id)"
	"  SELECT $1, x.id::uuid"
	"    FROM jsonb_array_elements_text($2::jsonb) WITH ORDINALITY AS x(id, n)"
	"   ORDER BY x.n"
	"  ON CONFLICT DO NOTHING RETURNING user_id, position),"
	" d AS ("
	"  DELETE FROM prfaq_reviewers"
	"   WHERE prfaq_id = $1 AND user_id IN"
	"         (SELECT x::uuid FROM jsonb_array_elements_text($3::jsonb) x)"
	"  RETURNING user_id)"
	"SELECT (SELECT coalesce(json_agg(user_id ORDER BY position), '[]') FROM a)::text,"
	"       (SELECT coalesce(json_agg(user_id), '[]') FROM d)::text", 3
};
/* clang-format on */

/*
 * Add and remove ch's requested reviewers.  For a "reviewers_changed" event
 * the event's data becomes {added, removed} as written (ids in PostgreSQL's
 * lower case), and a request that changes nothing becomes a no-op.
 */
static prfaq_code
write_reviewers(struct db_conn *conn, const struct update_ctx *u,
		struct prfaq_change *ch, struct prfaq_error *err)
{
	const char *params[3];
	char *add = NULL, *remove = NULL;
	json_t *added = NULL, *removed = NULL;
	PGresult *res = NULL;
	prfaq_code rc;

	if (ch->reviewers_add != NULL)
		add = json_dumps(ch->reviewers_add, JSON_COMPACT);
	if (ch->reviewers_remove != NULL)
		remove = json_dumps(ch->reviewers_remove, JSON_COMPACT);
	if ((ch->reviewers_add != NULL && add == NULL) ||
	    (ch->reviewers_remove != NULL && remove == NULL)) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
				     "The reviewers could not be encoded");
		goto out;
	}
	params[0] = u->id;
	params[1] = add != NULL ? add : "[]";
	params[2] = remove != NULL ? remove : "[]";
	if ((rc = db_exec(conn, &stmt_reviewers_change, params, &res, err)) !=
	    PRFAQ_OK)
		goto out;
	if (ch->event == NULL || strcmp(ch->event, "reviewers_changed") != 0)
		goto out;
	added = parse_cell(res, 0, 0);
	removed = parse_cell(res, 0, 1);
	if (added == NULL || removed == NULL) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
				     "Unreadable reviewer change");
		goto out;
	}
	if (json_array_size(added) == 0 && json_array_size(removed) == 0) {
		ch->noop = true;
		goto out;
	}
	json_decref(ch->event_data);
	ch->event_data =
		json_pack("{s:O, s:O}", "added", added, "removed", removed);
	if (ch->event_data == NULL)
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL, "No event data");
out:
	json_decref(added);
	json_decref(removed);
	PQclear(res);
	free(add);
	free(remove);
	return rc;
}

/* Append ch's audit event, which names the version it concerns. */
static prfaq_code
write_event(struct db_conn *conn, const struct update_ctx *u,
	    struct prfaq_change *ch, int version, struct prfaq_error *err)
{
	const char *params[4];
	char *data;
	prfaq_code rc;

	if (ch->event_data == NULL)
		ch->event_data = json_object();
	if (json_object_set_new(ch->event_data, "version",
				json_integer(version)) != 0 ||
	    (data = json_dumps(ch->event_data, JSON_COMPACT)) == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "The %s event could not be encoded",
				       ch->event);
	params[0] = u->id;
	params[1] = ch->event;
	params[2] = u->caller->user_id;
	params[3] = data;
	rc = db_run(conn, &stmt_event, params, err);
	free(data);
	return rc;
}

static prfaq_code
update_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct update_ctx *u = arg;
	struct prfaq_current cur;
	struct prfaq_change ch;
	const char *params[5];
	char number[16];
	json_t *doc = NULL, *quality = NULL, *source = NULL;
	PGresult *res = NULL, *src = NULL;
	prfaq_code rc;

	memset(&ch, 0, sizeof(ch));
	prfaq_text_free(&u->out);
	params[0] = u->id;
	if ((rc = db_exec(conn, &stmt_lock, params, &res, err)) != PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND, "No such PR/FAQ");
		goto out;
	}
	memset(&cur, 0, sizeof(cur));
	cur.id = u->id;
	cur.owner_id = PQgetvalue(res, 0, 0);
	if (prfaq_status_parse(PQgetvalue(res, 0, 1), &cur.status) != 0) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL, "Unknown status");
		goto out;
	}
	cur.version = atoi(PQgetvalue(res, 0, 2));
	cur.doc = doc = parse_cell(res, 0, 3);
	cur.quality = quality = parse_cell(res, 0, 4);
	cur.approvals = atoi(PQgetvalue(res, 0, 5));
	if (doc == NULL || quality == NULL) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
				     "Stored JSON is unreadable");
		goto out;
	}
	if (u->from_version > 0) {
		snprintf(number, sizeof(number), "%d", u->from_version);
		params[1] = number;
		if ((rc = db_exec(conn, &stmt_version_body, params, &src,
				  err)) != PRFAQ_OK)
			goto out;
		if (PQntuples(src) != 1) {
			rc = prfaq_error_set(err, PRFAQ_ENOTFOUND,
					     "This PR/FAQ has no version %d",
					     u->from_version);
			goto out;
		}
		cur.source = source = parse_cell(src, 0, 0);
		if (source == NULL) {
			rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
					     "Stored JSON is unreadable");
			goto out;
		}
	}
	ch.status = cur.status;
	rc = u->mutate(&cur, u->arg, &ch, err);
	if (rc != PRFAQ_OK)
		goto out;
	if ((ch.reviewers_add != NULL || ch.reviewers_remove != NULL) &&
	    (rc = write_reviewers(conn, u, &ch, err)) != PRFAQ_OK)
		goto out;
	/* A write that changes nothing must not make reviews stale. */
	if (ch.noop)
		goto fetch;

	if (ch.doc != NULL)
		rc = write_version(conn, u, &ch, err);
	else
		rc = write_status(conn, u, &ch, err);
	if (rc != PRFAQ_OK)
		goto out;
	if (ch.event != NULL &&
	    (rc = write_event(conn, u, &ch,
			      ch.doc ? cur.version + 1 : cur.version, err)) !=
		    PRFAQ_OK)
		goto out;
fetch:
	rc = doc_fetch(conn, u->id, &u->out, &u->version, err);
out:
	change_clear(&ch);
	json_decref(doc);
	json_decref(quality);
	json_decref(source);
	PQclear(src);
	PQclear(res);
	return rc;
}

prfaq_code
prfaq_store_prfaq_update(struct prfaq_db_ctx db, const char *id,
			 const struct prfaq_caller *caller, int from_version,
			 prfaq_mutator mutate, void *arg,
			 struct prfaq_text *out, int *version,
			 struct prfaq_error *err)
{
	struct update_ctx u = { .id = id,
				.caller = caller,
				.from_version = from_version,
				.mutate = mutate,
				.arg = arg };
	prfaq_code rc = db_tx(db, update_tx, &u, err);

	if (rc != PRFAQ_OK) {
		prfaq_text_free(&u.out);
		return rc;
	}
	*out = u.out;
	*version = u.version;
	return PRFAQ_OK;
}

/* --- versions ----------------------------------------------------------- */

static const struct db_stmt stmt_versions_list = {
	"prfaq_versions_list",
	"SELECT json_build_object('number', v.number,"
	"         'author', json_build_object('id', u.id, 'name', u.name),"
	"         'change_note', v.change_note, 'created_at', rfc3339(v.created_at),"
	"         'quality', json_build_object('score', v.quality->'score'))::text,"
	"       v.number::text"
	"  FROM prfaq_versions v JOIN users u ON u.id = v.author_id"
	" WHERE v.prfaq_id = $1 AND ($2::int IS NULL OR v.number < $2::int)"
	" ORDER BY v.number DESC LIMIT $3::int + 1",
	3
};

static const struct db_stmt stmt_exists = {
	"prfaq_exists", "SELECT 1 FROM prfaqs WHERE id = $1", 1
};

static const struct store_list list_versions = { &stmt_versions_list,
						 1,
						 1,
						 { STORE_KEY_INT },
						 STORE_PARENT_IF_EMPTY,
						 &stmt_exists,
						 "No such PR/FAQ" };

prfaq_code
prfaq_store_versions_list(struct prfaq_db_ctx db, const char *id,
			  const struct prfaq_page_req *page,
			  struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_versions, &id, page, out, err);
}

static const struct db_stmt stmt_version_get = {
	"prfaq_version_get",
	"SELECT json_build_object('number', v.number, 'title', v.title,"
	"         'team', v.team, 'tags', v.tags, 'content', v.content,"
	"         'quality', v.quality,"
	"         'author', json_build_object('id', u.id, 'name', u.name),"
	"         'change_note', v.change_note, 'restored_from', v.restored_from,"
	"         'created_at', rfc3339(v.created_at))::text"
	"  FROM prfaq_versions v JOIN users u ON u.id = v.author_id"
	" WHERE v.prfaq_id = $1 AND v.number = $2",
	2
};

prfaq_code
prfaq_store_version_get(struct prfaq_db_ctx db, const char *id, int number,
			struct prfaq_text *out, struct prfaq_error *err)
{
	char num[16];
	const char *params[2] = { id, num };
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	snprintf(num, sizeof(num), "%d", number);
	if ((rc = db_query(db, &stmt_version_get, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	return store_row_text(res, 0, "No such PR/FAQ or version", out, err);
}

/* clang-format off */
static const struct db_stmt stmt_versions_pair = {
	"prfaq_versions_pair",
	"SELECT v.number, " DOC_BODY("v") "::text FROM prfaq_versions v"
	" WHERE v.prfaq_id = $1 AND v.number IN ($2::int, $3::int)", 3
};
/* clang-format on */

prfaq_code
prfaq_store_versions_pair(struct prfaq_db_ctx db, const char *id, int from,
			  int to, json_t **a, json_t **b,
			  struct prfaq_error *err)
{
	char f[16], t[16];
	const char *params[3] = { id, f, t };
	json_t *ja = NULL, *jb = NULL;
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	snprintf(f, sizeof(f), "%d", from);
	snprintf(t, sizeof(t), "%d", to);
	if ((rc = db_query(db, &stmt_versions_pair, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	for (int r = 0; r < PQntuples(res); r++) {
		int n = atoi(PQgetvalue(res, r, 0));

		if (n == from && ja == NULL)
			ja = parse_cell(res, r, 1);
		if (n == to && jb == NULL)
			jb = parse_cell(res, r, 1);
	}
	PQclear(res);
	if (ja == NULL || jb == NULL) {
		json_decref(ja);
		json_decref(jb);
		return prfaq_error_set(err, PRFAQ_ENOTFOUND,
				       "No such PR/FAQ, or no version %d or %d",
				       from, to);
	}
	*a = ja;
	*b = jb;
	return rc;
}

/* --- events ------------------------------------------------------------- */

static const struct db_stmt stmt_events_list = {
	"prfaq_events_list",
	"SELECT json_build_object('id', e.id, 'type', e.type,"
	"         'actor', json_build_object('id', u.id, 'name', u.name),"
	"         'at', rfc3339(e.at), 'data', e.data)::text, e.id::text"
	"  FROM events e JOIN users u ON u.id = e.actor_id"
	" WHERE e.prfaq_id = $1 AND ($2::bigint IS NULL OR e.id > $2::bigint)"
	" ORDER BY e.id LIMIT $3::int + 1",
	3
};

static const struct store_list list_events = { &stmt_events_list,
					       1,
					       1,
					       { STORE_KEY_INT },
					       STORE_PARENT_IF_EMPTY,
					       &stmt_exists,
					       "No such PR/FAQ" };

prfaq_code
prfaq_store_events_list(struct prfaq_db_ctx db, const char *id,
			const struct prfaq_page_req *page,
			struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_events, &id, page, out, err);
}

/* --- decisions ---------------------------------------------------------- */

/*
 * Every decision, newest first, from the "decided" events: they are
 * immutable and written in the transaction that sets prfaqs.decision, so a
 * reopen (which clears the document's decision) loses none.  Each item has
 * the document's decision shape; its version and time are the event's.
 */
static const struct db_stmt stmt_decisions_list = {
	"prfaq_decisions_list",
	"SELECT json_build_object('outcome', e.data->'outcome',"
	"         'rationale', e.data->'rationale', 'version', e.data->'version',"
	"         'at', rfc3339(e.at),"
	"         'decided_by', json_build_object('id', u.id, 'name', u.name))::text,"
	"       e.id::text"
	"  FROM events e JOIN users u ON u.id = e.actor_id"
	" WHERE e.prfaq_id = $1 AND e.type = 'decided'"
	"   AND ($2::bigint IS NULL OR e.id < $2::bigint)"
	" ORDER BY e.id DESC LIMIT $3::int + 1",
	3
};

static const struct store_list list_decisions = { &stmt_decisions_list,
						  1,
						  1,
						  { STORE_KEY_INT },
						  STORE_PARENT_IF_EMPTY,
						  &stmt_exists,
						  "No such PR/FAQ" };

prfaq_code
prfaq_store_decisions_list(struct prfaq_db_ctx db, const char *id,
			   const struct prfaq_page_req *page,
			   struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_decisions, &id, page, out, err);
}
