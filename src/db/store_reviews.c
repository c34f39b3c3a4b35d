/*
 * store_reviews.c - reviews pinned to versions, anchored comments, replies,
 * and the principles catalogue (see prfaq/store.h).
 *
 * "stale" and "outdated" are derived when read, never stored: a review is
 * stale once its PR/FAQ has a newer version; a comment is outdated once its
 * quoted passage (or, without a quote, its anchor) no longer exists in the
 * current version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* clang-format off */
#define COMMENT_JSON(c, p) \
	"json_build_object('id', " c ".id, 'review_id', " c ".review_id," \
	" 'version', " c ".version, 'anchor', " c ".anchor, 'quote', " c ".quote," \
	" 'body', " c ".body, 'principle', " c ".principle," \
	" 'author', (SELECT json_build_object('id', a.id, 'name', a.name)" \
	"              FROM users a WHERE a.id = " c ".author_id)," \
	" 'resolved', " c ".resolved_at IS NOT NULL," \
	" 'resolved_at', rfc3339(" c ".resolved_at)," \
	" 'resolved_by', (SELECT json_build_object('id', rb.id, 'name', rb.name)" \
	"                   FROM users rb WHERE rb.id = " c ".resolved_by)," \
	" 'outdated', CASE WHEN " c ".quote IS NULL" \
	"   THEN " p ".content #> json_pointer_path(" c ".anchor) IS NULL" \
	"   ELSE strpos(coalesce(" p ".content #>> json_pointer_path(" c ".anchor), '')," \
	"               " c ".quote) = 0 END," \
	" 'created_at', rfc3339(" c ".created_at)," \
	" 'replies', coalesce((SELECT json_agg(json_build_object('id', rp.id," \
	"     'author', json_build_object('id', ra.id, 'name', ra.name)," \
	"     'body', rp.body, 'created_at', rfc3339(rp.created_at))" \
	"     ORDER BY rp.created_at, rp.id)" \
	"   FROM comment_replies rp JOIN users ra ON ra.id = rp.author_id" \
	"  WHERE rp.comment_id = " c ".id), '[]'::json))"

#define REVIEW_JSON \
	"json_build_object('id', r.id, 'prfaq_id', r.prfaq_id, 'version', r.version," \
	" 'reviewer', json_build_object('id', u.id, 'name', u.name)," \
	" 'verdict', r.verdict, 'summary', r.summary, 'stale', r.version < p.version," \
	" 'comments', coalesce((SELECT json_agg(" COMMENT_JSON("c", "p") \
	"     ORDER BY c.position) FROM comments c WHERE c.review_id = r.id), '[]'::json)," \
	" 'created_at', rfc3339(r.created_at))::text"
/* clang-format on */

static const struct db_stmt stmt_review_target = {
	"review_target",
	"SELECT p.owner_id, p.status, p.version, v.number, v.content::text,"
	"       (SELECT json_agg(slug) FROM principles)::text"
	"  FROM prfaqs p"
	"  LEFT JOIN prfaq_versions v ON v.prfaq_id = p.id"
	"       AND v.number = CASE WHEN $2::int = 0 THEN p.version ELSE $2::int END"
	" WHERE p.id = $1 FOR UPDATE OF p",
	2
};

static const struct db_stmt stmt_review_insert = {
	"review_insert",
	"WITH r AS ("
	"  INSERT INTO reviews (prfaq_id, version, reviewer_id, verdict, summary)"
	"  VALUES ($1, $2::int, $3, $4, $5) RETURNING id, created_at),"
	" c AS ("
	"  INSERT INTO comments (prfaq_id, review_id, version, position, anchor,"
	"                        quote, body, principle, author_id, created_at)"
	"  SELECT $1, r.id, $2::int, x.ord, x.anchor, x.quote, x.body, x.principle,"
	"         $3, r.created_at"
	"    FROM r, ROWS FROM (jsonb_to_recordset($6::jsonb)"
	"         AS (anchor text, quote text, body text, principle text))"
	"         WITH ORDINALITY AS x(anchor, quote, body, principle, ord)),"
	" e AS ("
	"  INSERT INTO events (prfaq_id, type, actor_id, data)"
	"  SELECT $1, 'reviewed', $3, jsonb_build_object('review_id', r.id,"
	"         'version', $2::int, 'verdict', $4,"
	"         'comments', jsonb_array_length($6::jsonb)) FROM r)"
	"SELECT id FROM r",
	6
};

/* clang-format off */
static const struct db_stmt stmt_review_get = {
	"review_get",
	"SELECT " REVIEW_JSON
	"  FROM reviews r JOIN users u ON u.id = r.reviewer_id"
	"  JOIN prfaqs p ON p.id = r.prfaq_id WHERE r.id = $1", 1
};
/* clang-format on */

struct review_ctx {
	const char *id;
	const struct prfaq_caller *caller;
	int version;
	const char *verdict, *summary;
	const json_t *comments;
	prfaq_review_check check;
	void *arg;
	struct prfaq_text out;
};

static prfaq_code
review_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct review_ctx *r = arg;
	struct prfaq_review_target t;
	char ver[16], number[16], review_id[PRFAQ_UUID_LEN + 1];
	const char *params[6];
	json_t *content = NULL, *principles = NULL;
	char *comments = NULL;
	PGresult *res, *ins = NULL, *get = NULL;
	prfaq_code rc;

	prfaq_text_free(&r->out);
	snprintf(ver, sizeof(ver), "%d", r->version);
	params[0] = r->id;
	params[1] = ver;
	if ((rc = db_exec(conn, &stmt_review_target, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND, "No such PR/FAQ");
		goto out;
	}
	if (PQgetisnull(res, 0, 3)) {
		rc = prfaq_error_add(err, "/version",
				     "this PR/FAQ has no version %d",
				     r->version);
		goto out;
	}
	memset(&t, 0, sizeof(t));
	t.owner_id = PQgetvalue(res, 0, 0);
	if (prfaq_status_parse(PQgetvalue(res, 0, 1), &t.status) != 0) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL, "Unknown status");
		goto out;
	}
	t.current_version = atoi(PQgetvalue(res, 0, 2));
	t.version = atoi(PQgetvalue(res, 0, 3));
	t.content = content = json_loads(PQgetvalue(res, 0, 4), 0, NULL);
	t.principles = principles =
		PQgetisnull(res, 0, 5) ?
			json_array() :
			json_loads(PQgetvalue(res, 0, 5), 0, NULL);
	if (content == NULL || principles == NULL) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
				     "Stored JSON is unreadable");
		goto out;
	}
	if ((rc = r->check(&t, r->arg, err)) != PRFAQ_OK)
		goto out;

	comments = json_dumps(r->comments, JSON_COMPACT);
	if (comments == NULL) {
		rc = prfaq_error_set(err, PRFAQ_EINTERNAL,
				     "The comments could not be encoded");
		goto out;
	}
	snprintf(number, sizeof(number), "%d", t.version);
	params[1] = number;
	params[2] = r->caller->user_id;
	params[3] = r->verdict;
	params[4] = r->summary;
	params[5] = comments;
	if ((rc = db_exec(conn, &stmt_review_insert, params, &ins, err)) !=
	    PRFAQ_OK)
		goto out;
	snprintf(review_id, sizeof(review_id), "%s", PQgetvalue(ins, 0, 0));
	if ((rc = store_idem_mark(conn, r->caller, err)) != PRFAQ_OK)
		goto out;
	params[0] = review_id;
	if ((rc = db_exec(conn, &stmt_review_get, params, &get, err)) !=
	    PRFAQ_OK)
		goto out;
	store_text(get, 0, 0, &r->out);
	rc = PRFAQ_OK;
out:
	free(comments);
	json_decref(content);
	json_decref(principles);
	PQclear(get);
	PQclear(ins);
	PQclear(res);
	return rc;
}

prfaq_code
prfaq_store_review_create(struct prfaq_db_ctx db, const char *id,
			  const struct prfaq_caller *caller, int version,
			  const char *verdict, const char *summary,
			  const json_t *comments, prfaq_review_check check,
			  void *arg, struct prfaq_text *out,
			  struct prfaq_error *err)
{
	struct review_ctx r = { .id = id,
				.caller = caller,
				.version = version,
				.verdict = verdict,
				.summary = summary,
				.comments = comments,
				.check = check,
				.arg = arg };
	prfaq_code rc = db_tx(db, review_tx, &r, err);

	if (rc != PRFAQ_OK) {
		prfaq_text_free(&r.out);
		return rc;
	}
	*out = r.out;
	return PRFAQ_OK;
}

/* clang-format off */
static const struct db_stmt stmt_reviews_list = {
	"reviews_list",
	"SELECT " REVIEW_JSON ","
	"       (extract(epoch FROM r.created_at) * 1000000)::bigint::text, r.id::text"
	"  FROM reviews r JOIN users u ON u.id = r.reviewer_id"
	"  JOIN prfaqs p ON p.id = r.prfaq_id"
	" WHERE r.prfaq_id = $1"
	"   AND ($2::bigint IS NULL OR (r.created_at, r.id) >"
	"        ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY r.created_at, r.id LIMIT $4::int + 1", 4
};

static const struct db_stmt stmt_comments_list = {
	"comments_list",
	"SELECT " COMMENT_JSON("c", "p") "::text,"
	"       (extract(epoch FROM c.created_at) * 1000000)::bigint::text,"
	"       c.position::text, c.id::text"
	"  FROM comments c JOIN prfaqs p ON p.id = c.prfaq_id"
	" WHERE c.prfaq_id = $1"
	"   AND ($2::text IS NULL OR ($2 = 'resolved') = (c.resolved_at IS NOT NULL))"
	"   AND ($3::bigint IS NULL OR (c.created_at, c.position, c.id) >"
	"        ('epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	"         $4::int, $5::uuid))"
	" ORDER BY c.created_at, c.position, c.id LIMIT $6::int + 1", 6
};
/* clang-format on */

static const struct db_stmt stmt_exists = {
	"review_prfaq_exists", "SELECT 1 FROM prfaqs WHERE id = $1", 1
};

static const struct store_list list_reviews = { &stmt_reviews_list,
						1,
						2,
						{ STORE_KEY_INT,
						  STORE_KEY_UUID },
						STORE_PARENT_IF_EMPTY,
						&stmt_exists,
						"No such PR/FAQ" };

/* Filtered by state ($2); positions break ties between a review's comments. */
static const struct store_list list_comments = { &stmt_comments_list,
						 2,
						 3,
						 { STORE_KEY_INT, STORE_KEY_INT,
						   STORE_KEY_UUID },
						 STORE_PARENT_IF_EMPTY,
						 &stmt_exists,
						 "No such PR/FAQ" };

prfaq_code
prfaq_store_reviews_list(struct prfaq_db_ctx db, const char *id,
			 const struct prfaq_page_req *page,
			 struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_reviews, &id, page, out, err);
}

prfaq_code
prfaq_store_comments_list(struct prfaq_db_ctx db, const char *id,
			  const char *state, const struct prfaq_page_req *page,
			  struct prfaq_page *out, struct prfaq_error *err)
{
	const char *filters[2] = { id, state };

	return store_list(db, &list_comments, filters, page, out, err);
}

/* One statement: atomic without BEGIN, and 0 rows means "no such comment". */
static const struct db_stmt stmt_reply_insert = {
	"reply_insert",
	"WITH c AS (SELECT id FROM comments WHERE id = $2 AND prfaq_id = $1),"
	" r AS ("
	"  INSERT INTO comment_replies (comment_id, author_id, body)"
	"  SELECT id, $3, $4 FROM c RETURNING id, comment_id, author_id, body, created_at),"
	" e AS ("
	"  INSERT INTO events (prfaq_id, type, actor_id, data)"
	"  SELECT $1, 'commented', $3, jsonb_build_object('comment_id', r.comment_id,"
	"         'reply_id', r.id, 'action', 'replied',"
	"         'version', (SELECT version FROM prfaqs WHERE id = $1)) FROM r)"
	"SELECT json_build_object('id', r.id, 'comment_id', r.comment_id,"
	"       'author', json_build_object('id', u.id, 'name', u.name),"
	"       'body', r.body, 'created_at', rfc3339(r.created_at))::text"
	"  FROM r JOIN users u ON u.id = r.author_id",
	4
};

prfaq_code
prfaq_store_reply_create(struct prfaq_db_ctx db, const char *id,
			 const char *comment_id,
			 const struct prfaq_caller *caller, const char *body,
			 struct prfaq_text *out, struct prfaq_error *err)
{
	const char *params[4] = { id, comment_id, caller->user_id, body };
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	if ((rc = store_write_one(db, caller, &stmt_reply_insert, params, &res,
				  err)) != PRFAQ_OK)
		return rc;
	return store_row_text(res, 0, "No such comment on this PR/FAQ", out,
			      err);
}

static const struct db_stmt stmt_comment_resolve = {
	"comment_resolve",
	"WITH c AS ("
	"  SELECT c.id, c.author_id, p.owner_id, p.version,"
	"         c.resolved_at IS NOT NULL AS was_resolved FROM comments c"
	"    JOIN prfaqs p ON p.id = c.prfaq_id"
	"   WHERE c.id = $2 AND c.prfaq_id = $1 FOR UPDATE OF c),"
	" ok AS ("
	"  SELECT * FROM c"
	"   WHERE c.author_id = $3::uuid OR c.owner_id = $3::uuid OR $5::bool),"
	/* Only a change is written: resolving a resolved comment (or reopening
	 * an open one) leaves it, and the audit trail and webhooks, alone. */
	" u AS ("
	"  UPDATE comments SET"
	"         resolved_at = CASE WHEN $4::bool THEN now() END,"
	"         resolved_by = CASE WHEN $4::bool THEN $3::uuid END"
	"    FROM ok WHERE comments.id = ok.id AND ok.was_resolved <> $4::bool"
	"  RETURNING comments.id),"
	" e AS ("
	"  INSERT INTO events (prfaq_id, type, actor_id, data)"
	"  SELECT $1, 'commented', $3, jsonb_build_object('comment_id', u.id,"
	"         'action', CASE WHEN $4::bool THEN 'resolved' ELSE 'reopened' END,"
	"         'version', c.version) FROM u, c)"
	"SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM ok)",
	5
};

/* clang-format off */
static const struct db_stmt stmt_comment_get = {
	"comment_get",
	"SELECT " COMMENT_JSON("c", "p") "::text"
	"  FROM comments c JOIN prfaqs p ON p.id = c.prfaq_id WHERE c.id = $1", 1
};
/* clang-format on */

struct resolve_ctx {
	const char *id, *comment_id;
	const struct prfaq_caller *caller;
	bool resolved;
	struct prfaq_text out;
};

static prfaq_code
resolve_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct resolve_ctx *r = arg;
	const char *params[5] = { r->id, r->comment_id, r->caller->user_id,
				  r->resolved ? "true" : "false",
				  (r->caller->roles & PRFAQ_ROLE_ADMIN) ?
					  "true" :
					  "false" };
	PGresult *res;
	prfaq_code rc = PRFAQ_OK;

	prfaq_text_free(&r->out);
	if ((rc = db_exec(conn, &stmt_comment_resolve, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (strcmp(PQgetvalue(res, 0, 0), "0") == 0)
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND,
				     "No such comment on this PR/FAQ");
	else if (strcmp(PQgetvalue(res, 0, 1), "0") == 0)
		rc = prfaq_error_set(
			err, PRFAQ_EFORBIDDEN,
			"Only the PR/FAQ's owner or the comment's author may %s it",
			r->resolved ? "resolve" : "reopen");
	PQclear(res);
	if (rc != PRFAQ_OK)
		return rc;
	params[0] = r->comment_id;
	if ((rc = db_exec(conn, &stmt_comment_get, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	return store_row_text(res, 0, "No such comment", &r->out, err);
}

prfaq_code
prfaq_store_comment_resolve(struct prfaq_db_ctx db, const char *id,
			    const char *comment_id,
			    const struct prfaq_caller *caller, bool resolved,
			    struct prfaq_text *out, struct prfaq_error *err)
{
	struct resolve_ctx r = { .id = id,
				 .comment_id = comment_id,
				 .caller = caller,
				 .resolved = resolved };
	prfaq_code rc = db_tx(db, resolve_tx, &r, err);

	if (rc != PRFAQ_OK) {
		prfaq_text_free(&r.out);
		return rc;
	}
	*out = r.out;
	return PRFAQ_OK;
}

static const struct db_stmt stmt_principles = {
	"principles_list",
	"SELECT coalesce(json_agg(json_build_object('slug', slug, 'title', title,"
	"       'summary', summary) ORDER BY position, slug), '[]'::json)::text"
	"  FROM principles",
	0
};

prfaq_code
prfaq_store_principles_list(struct prfaq_db_ctx db, struct prfaq_text *out,
			    struct prfaq_error *err)
{
	PGresult *res;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_principles, NULL, &res, err)) != PRFAQ_OK)
		return rc;
	/* An aggregate: always one row. */
	return store_row_text(res, 0, "No principles", out, err);
}

static const struct db_stmt stmt_users_lacking_role = {
	"users_lacking_role",
	"SELECT coalesce(json_agg(x.id), '[]'::json)::text"
	"  FROM jsonb_array_elements_text($1::jsonb) AS x(id)"
	" WHERE NOT EXISTS (SELECT 1 FROM users u"
	"                    WHERE u.id::text = lower(x.id) AND $2 = ANY (u.roles))",
	2
};

prfaq_code
prfaq_store_users_lacking_role(struct prfaq_db_ctx db, const json_t *ids,
			       enum prfaq_role role, json_t **missing,
			       struct prfaq_error *err)
{
	char *text = json_dumps(ids, JSON_COMPACT);
	const char *params[2] = { text, prfaq_role_name(role) };
	PGresult *res;
	prfaq_code rc;
	json_t *m;

	if (text == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "The user ids could not be encoded");
	rc = db_query(db, &stmt_users_lacking_role, params, &res, err);
	free(text);
	if (rc != PRFAQ_OK)
		return rc;
	m = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (m == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL,
				       "Stored JSON is unreadable");
	*missing = m;
	return PRFAQ_OK;
}
