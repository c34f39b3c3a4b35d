/*
 * store_learnings.c - the learnings store (see prfaq/store_learnings.h):
 * one row per learning, its JSON produced by PostgreSQL; search and
 * related-learnings bounded to PRFAQ_LEARNING_CANDIDATES matches, as the
 * PR/FAQ search is (store_search.c), so neither reads every learning
 * whatever the library's size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/store_learnings.h"
#include "store_internal.h"

#define STR_(x) #x
#define STR(x)	STR_(x)

/* clang-format off */
/* The contract's members of learning l, of PR/FAQ p, written by u. */
#define LEARNING_FIELDS \
	"'id', l.id," \
	" 'prfaq', json_build_object('id', p.id, 'title', p.title)," \
	" 'expected', l.expected, 'observed', l.observed, 'lesson', l.lesson," \
	" 'tags', to_json(l.tags)," \
	" 'author', json_build_object('id', u.id, 'name', u.name)," \
	" 'created_at', rfc3339(l.created_at)"
#define LEARNING_JSON "json_build_object(" LEARNING_FIELDS ")"
#define LEARNING_JOIN \
	" JOIN prfaqs p ON p.id = l.prfaq_id JOIN users u ON u.id = l.author_id"

/*
 * The PR/FAQ, held against a status change until the learning is in: its
 * status, and whether the caller ($2) is its owner or one of its reviewers:
 * requested (prfaq_reviewers), or who reviewed it unasked.
 */
static const struct db_stmt stmt_learning_target = {
	"learning_target",
	"SELECT p.status,"
	"       p.owner_id = $2::uuid"
	"       OR EXISTS (SELECT 1 FROM prfaq_reviewers rv"
	"                   WHERE rv.prfaq_id = p.id AND rv.user_id = $2::uuid)"
	"       OR EXISTS (SELECT 1 FROM reviews r"
	"                   WHERE r.prfaq_id = p.id AND r.reviewer_id = $2::uuid)"
	"  FROM prfaqs p WHERE p.id = $1 FOR SHARE OF p", 2
};

/*
 * The learning, with what its PR/FAQ is about now as its context (see
 * migrations/0013), and its event in the same statement.
 */
static const struct db_stmt stmt_learning_insert = {
	"learning_insert",
	"WITH l AS ("
	"  INSERT INTO learnings (prfaq_id, expected, observed, lesson, tags,"
	"                         author_id, context)"
	"  SELECT p.id, $2::jsonb->>'expected', $2::jsonb->>'observed',"
	"         $2::jsonb->>'lesson',"
	"         CASE WHEN jsonb_typeof($2::jsonb->'tags') = 'array'"
	"              THEN ARRAY(SELECT jsonb_array_elements_text($2::jsonb->'tags'))"
	"              ELSE '{}' END,"
	"         $3, prfaq_related_text(p.title, p.content)"
	"    FROM prfaqs p WHERE p.id = $1"
	"  RETURNING *),"
	" ev AS ("
	"  INSERT INTO events (prfaq_id, type, actor_id, data)"
	"  SELECT l.prfaq_id, 'learning_added', $3,"
	"         jsonb_build_object('learning_id', l.id, 'lesson', l.lesson,"
	"                            'tags', to_jsonb(l.tags)) FROM l)"
	"SELECT l.id, " LEARNING_JSON "::text FROM l" LEARNING_JOIN, 3
};
/* clang-format on */

static bool
learning_status_ok(const char *status)
{
	return strcmp(status, "launched") == 0 ||
	       strcmp(status, "rejected") == 0 ||
	       strcmp(status, "archived") == 0;
}

/*
 * The 409 for PR/FAQ id in status: what to do before a learning can be
 * added (a client learns the next step, not only the refusal), and
 * {current_status, action} for programs, as the workflow's 409s carry.
 */
static prfaq_code
learning_conflict(const char *id, const char *status, struct prfaq_error *err)
{
	char step[256];

	if (strcmp(status, "draft") == 0)
		snprintf(step, sizeof(step),
			 "submit it (POST /v1/prfaqs/%s/submit) and have it "
			 "decided first",
			 id);
	else if (strcmp(status, "in_review") == 0)
		snprintf(
			step, sizeof(step),
			"record a decision first (POST /v1/prfaqs/%s/decision)",
			id);
	else if (strcmp(status, "approved") == 0)
		snprintf(step, sizeof(step),
			 "launch it (POST /v1/prfaqs/%s/launch) or archive it "
			 "(POST /v1/prfaqs/%s/archive) first",
			 id, id);
	else
		snprintf(step, sizeof(step), "%s",
			 "no learning can be added in this status");
	prfaq_error_set(err, PRFAQ_ECONFLICT,
			"A learning belongs to a PR/FAQ that was launched, "
			"rejected or archived; this one is %s: %s",
			status, step);
	if (err->extra == NULL && (err->extra = json_object()) != NULL) {
		json_object_set_new(err->extra, "current_status",
				    json_string(status));
		json_object_set_new(err->extra, "action",
				    json_string("add_learning"));
	}
	return PRFAQ_ECONFLICT;
}

struct learning_ctx {
	const char *prfaq_id;
	const struct prfaq_caller *caller;
	const char *body; /* the learning as JSON text */
	struct prfaq_text out;
	char id[PRFAQ_UUID_LEN + 1];
};

/* Inside the transaction: who, which status, then the insert. */
static prfaq_code
learning_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct learning_ctx *c = arg;
	const char *target[2] = { c->prfaq_id, c->caller->user_id };
	const char *ins[3] = { c->prfaq_id, c->body, c->caller->user_id };
	PGresult *res = NULL;
	prfaq_code rc;

	prfaq_text_free(&c->out);
	if ((rc = db_exec(conn, &stmt_learning_target, target, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND, "No such PR/FAQ");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 1), "t") != 0 &&
	    (c->caller->roles & PRFAQ_LEARNING_ROLES) == 0) {
		rc = prfaq_error_set(err, PRFAQ_EFORBIDDEN,
				     "Only the PR/FAQ's owner, its reviewers, "
				     "an approver or an admin may add a "
				     "learning to it");
		goto out;
	}
	if (!learning_status_ok(PQgetvalue(res, 0, 0))) {
		rc = learning_conflict(c->prfaq_id, PQgetvalue(res, 0, 0), err);
		goto out;
	}
	PQclear(res);
	res = NULL;
	if ((rc = db_exec(conn, &stmt_learning_insert, ins, &res, err)) !=
	    PRFAQ_OK)
		goto out;
	if ((rc = store_idem_mark(conn, c->caller, err)) != PRFAQ_OK)
		goto out;
	snprintf(c->id, sizeof(c->id), "%s", PQgetvalue(res, 0, 0));
	store_text(res, 0, 1, &c->out);
out:
	PQclear(res);
	return rc;
}

prfaq_code
prfaq_store_learning_create(struct prfaq_db_ctx db, const char *prfaq_id,
			    const struct prfaq_caller *caller,
			    const json_t *body, struct prfaq_text *out,
			    char *id_out, struct prfaq_error *err)
{
	struct learning_ctx c = { prfaq_id, caller, NULL, { NULL, 0 }, "" };
	prfaq_code rc;

	if ((c.body = json_dumps(body, JSON_COMPACT)) == NULL)
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	rc = db_tx(db, learning_tx, &c, err);
	free((char *)c.body);
	if (rc != PRFAQ_OK) {
		prfaq_text_free(&c.out);
		return rc;
	}
	*out = c.out;
	snprintf(id_out, PRFAQ_UUID_LEN + 1, "%s", c.id);
	return PRFAQ_OK;
}

/* --- lists --------------------------------------------------------------- */

/* clang-format off */
static const struct db_stmt stmt_learnings_of = {
	"learnings_of",
	"SELECT " LEARNING_JSON "::text,"
	"       (extract(epoch FROM l.created_at) * 1000000)::bigint::text, l.id::text"
	"  FROM learnings l" LEARNING_JOIN
	" WHERE l.prfaq_id = $1"
	"   AND ($2::bigint IS NULL OR (l.created_at, l.id) >"
	"        ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY l.created_at, l.id LIMIT $4::int + 1", 4
};

static const struct db_stmt stmt_learning_prfaq_exists = {
	"learning_prfaq_exists", "SELECT 1 FROM prfaqs WHERE id = $1", 1
};

static const struct db_stmt stmt_learnings_newest = {
	"learnings_newest",
	"SELECT " LEARNING_JSON "::text,"
	"       (extract(epoch FROM l.created_at) * 1000000)::bigint::text, l.id::text"
	"  FROM learnings l" LEARNING_JOIN
	" WHERE ($1::text IS NULL OR l.tags @> ARRAY[$1::text])"
	"   AND ($2::bigint IS NULL OR (l.created_at, l.id) <"
	"        ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY l.created_at DESC, l.id DESC LIMIT $4::int + 1", 4
};

/*
 * A search: the query's indexable part ('T' when it has none: negations
 * only) and the query as text, which the search takes back as a tsquery.
 */
static const struct db_stmt stmt_learnings_terms = {
	"learnings_terms",
	"SELECT querytree(q), q::text FROM websearch_to_tsquery('english', $1) q", 1
};

/*
 * The PRFAQ_LEARNING_CANDIDATES newest matches are candidates, ranked by
 * ts_rank; the candidates are the subquery's rows, so the planner cannot
 * rank every match first.  Not prepared: planned for each query's words
 * (a rare word wants the GIN index, a common one the newest-first index).
 */
static const struct db_stmt stmt_learnings_search = {
	NULL,
	"SELECT " LEARNING_JSON "::text, r.rank::text, l.id::text"
	"  FROM (SELECT l.id, l.prfaq_id, l.expected, l.observed, l.lesson, l.tags,"
	"               l.author_id, l.created_at, l.search"
	"          FROM learnings l"
	"         WHERE l.search @@ $1::tsquery"
	"           AND ($2::text IS NULL OR l.tags @> ARRAY[$2::text])"
	"         ORDER BY l.created_at DESC, l.id DESC"
	"         LIMIT " STR(PRFAQ_LEARNING_CANDIDATES) ") l" LEARNING_JOIN ","
	"       LATERAL (SELECT ts_rank(l.search, $1::tsquery) AS rank) r"
	" WHERE ($3::real IS NULL OR (r.rank, l.id) < ($3::real, $4::uuid))"
	" ORDER BY r.rank DESC, l.id DESC LIMIT $5::int + 1", 5
};
/* clang-format on */

static const struct store_list list_learnings_of = {
	&stmt_learnings_of,
	1,
	2,
	{ STORE_KEY_INT, STORE_KEY_UUID },
	STORE_PARENT_IF_EMPTY,
	&stmt_learning_prfaq_exists,
	"No such PR/FAQ"
};

static const struct store_list list_learnings_newest = {
	&stmt_learnings_newest, 1,    2,   { STORE_KEY_INT, STORE_KEY_UUID },
	STORE_PARENT_NONE,	NULL, NULL
};

static const struct store_list list_learnings_search = {
	&stmt_learnings_search, 2,    2,   { STORE_KEY_REAL, STORE_KEY_UUID },
	STORE_PARENT_NONE,	NULL, NULL
};

prfaq_code
prfaq_store_learnings_of(struct prfaq_db_ctx db, const char *prfaq_id,
			 const struct prfaq_page_req *page,
			 struct prfaq_page *out, struct prfaq_error *err)
{
	return store_list(db, &list_learnings_of, &prfaq_id, page, out, err);
}

/*
 * A search: its terms first (a query of negations only is refused: no
 * index answers it), then the page.  A query of stop words only has no
 * terms at all and matches nothing: an empty page, without a query.
 */
prfaq_code
prfaq_store_learnings_search(struct prfaq_db_ctx db,
			     const struct prfaq_learning_query *q,
			     const struct prfaq_page_req *page,
			     struct prfaq_page *out, struct prfaq_error *err)
{
	const char *params[2] = { q->q, q->tag };
	PGresult *res = NULL;
	prfaq_code rc;

	if (q->q == NULL)
		return store_list(db, &list_learnings_newest, &q->tag, page,
				  out, err);
	if ((rc = db_query(db, &stmt_learnings_terms, params, &res, err)) !=
	    PRFAQ_OK)
		return rc;
	if (strcmp(PQgetvalue(res, 0, 0), "T") == 0) {
		rc = prfaq_error_set(
			err, PRFAQ_EINVAL,
			"q needs at least one word that is not negated: "
			"a search of negations only would read every learning");
		goto out;
	}
	if (PQgetvalue(res, 0, 0)[0] == '\0') {
		out->items.data = prfaq_strdup("[]");
		out->items.len = 2;
		out->next_key = NULL;
		goto out;
	}
	params[0] = PQgetvalue(res, 0, 1);
	rc = store_list(db, &list_learnings_search, params, page, out, err);
out:
	PQclear(res);
	return rc;
}

/* --- related learnings -------------------------------------------------- */

/* clang-format off */
/*
 * What the PR/FAQ is about, as a query that any of its words matches: the
 * OR of the first 64 distinct lexemes of its title, headline, problem and
 * solution (NULL when it has none).  No row: no such PR/FAQ.
 */
static const struct db_stmt stmt_related_query = {
	"learnings_related_query",
	"SELECT tsvector_any_query(to_tsvector('english',"
	"                          prfaq_related_text(p.title, p.content)), 64)::text"
	"  FROM prfaqs p WHERE p.id = $1", 1
};

/*
 * The learnings of other PR/FAQs that share a word with it, in three
 * steps, each on fewer rows: the PRFAQ_LEARNING_CANDIDATES newest of them;
 * of those the RELATED_RERANK best by ts_rank (cheap: a lookup per query
 * word); of those the best by ts_rank_cd, the method that ranked best on
 * tests/fixtures/learnings (scripts/eval-related), which costs ten times
 * as much per learning.  Not prepared, for the reason the search is not.
 */
#define RELATED_RERANK "100"
static const struct db_stmt stmt_related = {
	NULL,
	"SELECT '{\"items\":' || coalesce(json_agg(json_build_object(" LEARNING_FIELDS ","
	"           'score', round(l.rank::numeric, 6)::float8)"
	"         ORDER BY l.rank DESC, l.id DESC)::text, '[]') || '}'"
	"  FROM (SELECT c.*, ts_rank_cd(c.search, $1::tsquery) AS rank"
	"          FROM (SELECT n.* FROM"
	"                  (SELECT l.id, l.prfaq_id, l.expected, l.observed, l.lesson,"
	"                          l.tags, l.author_id, l.created_at, l.search"
	"                     FROM learnings l"
	"                    WHERE l.search @@ $1::tsquery AND l.prfaq_id <> $2::uuid"
	"                    ORDER BY l.created_at DESC, l.id DESC"
	"                    LIMIT " STR(PRFAQ_LEARNING_CANDIDATES) ") n"
	"                 ORDER BY ts_rank(n.search, $1::tsquery) DESC, n.id DESC"
	"                 LIMIT " RELATED_RERANK ") c"
	"         ORDER BY rank DESC, c.id DESC"
	"         LIMIT " STR(PRFAQ_LEARNING_RELATED_MAX) ") l" LEARNING_JOIN, 2
};
/* clang-format on */

prfaq_code
prfaq_store_learnings_related(struct prfaq_db_ctx db, const char *prfaq_id,
			      struct prfaq_text *out, struct prfaq_error *err)
{
	const char *params[2] = { prfaq_id, NULL };
	PGresult *query = NULL, *res;
	prfaq_code rc;

	if ((rc = db_query(db, &stmt_related_query, params, &query, err)) !=
	    PRFAQ_OK)
		return rc;
	if (PQntuples(query) != 1) {
		rc = prfaq_error_set(err, PRFAQ_ENOTFOUND, "No such PR/FAQ");
		goto out;
	}
	if (PQgetisnull(query, 0, 0)) {
		/* Not a word to go by (a title of stop words only). */
		out->data = prfaq_strdup("{\"items\":[]}");
		out->len = strlen(out->data);
		goto out;
	}
	params[0] = PQgetvalue(query, 0, 0);
	params[1] = prfaq_id;
	if ((rc = db_query(db, &stmt_related, params, &res, err)) == PRFAQ_OK)
		rc = store_row_text(res, 0, "No such PR/FAQ", out, err);
out:
	PQclear(query);
	return rc;
}
