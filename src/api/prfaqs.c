/*
 * prfaqs.c - /v1/prfaqs: create, list and search, read (JSON, Markdown,
 * HTML), replace (PUT) and merge-patch (PATCH).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "prfaq/content.h"
#include "prfaq/markdown.h"
#include "prfaq/quality.h"
#include "prfaq/render.h"
#include "prfaq/utf8.h"

#define Q_MAX 500

static const char *const representations[] = {
	[API_DOC_JSON] = "application/json",
	[API_DOC_MARKDOWN] = "text/markdown",
	[API_DOC_HTML] = "text/html",
};

bool
api_negotiate_document(struct prfaq_request *req, enum api_doc_kind *kind)
{
	int i = prfaq_req_negotiate(req, representations,
				    sizeof(representations) /
					    sizeof(representations[0]));

	prfaq_reply_header(req, "Vary", "Accept");
	if (i < 0) {
		prfaq_reply_problem(
			req, PRFAQ_ENOTACCEPTABLE,
			"Available as application/json, text/markdown "
			"or text/html");
		return false;
	}
	*kind = (enum api_doc_kind)i;
	return true;
}

/* ETag: "<version><variant>" (variant "" for JSON, see api_etag). */
static void
set_etag(struct prfaq_request *req, int version, const char *variant)
{
	char etag[64];

	snprintf(etag, sizeof(etag), "\"%d%s\"", version, variant);
	prfaq_reply_header(req, "ETag", etag);
}

bool
api_etag(struct prfaq_request *req, int version, enum api_doc_kind kind)
{
	static const char *const variants[] = {
		[API_DOC_JSON] = "",
		[API_DOC_MARKDOWN] = ".md",
		[API_DOC_HTML] = ".html",
	};
	const char *variant = variants[kind];

	set_etag(req, version, variant);
	return prfaq_etag_matches(prfaq_req_header(req, "If-None-Match"),
				  version, variant);
}

void
api_reply_document(struct prfaq_request *req, int status,
		   enum api_doc_kind kind, struct prfaq_text *t)
{
	struct prfaq_buf out = PRFAQ_BUF_INIT;
	json_t *doc;
	int rc;

	if (kind == API_DOC_JSON) {
		api_reply_text(req, status, t);
		return;
	}
	doc = json_loadb(t->data, t->len, 0, NULL);
	prfaq_text_free(t);
	if (doc == NULL) {
		prfaq_reply_problem(req, PRFAQ_EINTERNAL,
				    "Stored document unreadable");
		return;
	}
	rc = kind == API_DOC_MARKDOWN ? prfaq_render_markdown(doc, &out) :
					prfaq_render_html(doc, &out);
	json_decref(doc);
	if (rc != 0) {
		prfaq_buf_free(&out);
		prfaq_reply_problem(req, PRFAQ_ENOMEM, "Out of memory");
		return;
	}
	/*
	 * The page's own <meta> CSP already forbids scripts; the header says it
	 * before a byte is parsed, and nosniff stops a browser from guessing a
	 * more dangerous type for user text.
	 */
	if (kind == API_DOC_HTML)
		prfaq_reply_header(
			req, "Content-Security-Policy",
			"default-src 'none'; style-src 'unsafe-inline'; "
			"base-uri 'none'; form-action 'none'");
	prfaq_reply_header(req, "X-Content-Type-Options", "nosniff");
	prfaq_reply_take(req, status,
			 kind == API_DOC_MARKDOWN ?
				 "text/markdown; charset=utf-8" :
				 "text/html; charset=utf-8",
			 out.data, out.len);
}

/*
 * The stored shape of a validated body: {title, team?, tags, content}, a new
 * object sharing values with body.  Tags and content the client did not
 * send are empty; NULL (with err set) if a member cannot be set, which
 * validation rules out.
 */
static json_t *
doc_from_body(const json_t *body, struct prfaq_error *err)
{
	json_t *doc = json_object();
	json_t *team = json_object_get(body, "team");
	json_t *tags = json_object_get(body, "tags");
	json_t *content = json_object_get(body, "content");

	if (json_object_set(doc, "title", json_object_get(body, "title")) !=
		    0 ||
	    (team != NULL && !json_is_null(team) &&
	     json_object_set(doc, "team", team) != 0) ||
	    json_object_set_new(doc, "tags",
				json_is_array(tags) ? json_incref(tags) :
						      json_array()) != 0 ||
	    json_object_set_new(doc, "content",
				json_is_object(content) ? json_incref(content) :
							  json_object()) != 0) {
		json_decref(doc);
		prfaq_error_set(err, PRFAQ_EINTERNAL, "Incomplete document");
		return NULL;
	}
	return doc;
}

/* The quality report of doc (new), or NULL with err set. */
static json_t *
quality_of(const json_t *doc, struct prfaq_error *err)
{
	struct prfaq_quality_opts opts;
	json_t *report;

	prfaq_quality_opts_today(&opts);
	report = prfaq_quality_check(json_object_get(doc, "content"), &opts);
	if (report == NULL)
		prfaq_error_set(err, PRFAQ_EINTERNAL, "No quality report");
	return report;
}

/*
 * A Markdown body has no place for a change note, so the Change-Note
 * header carries it into body (borrowed; set as its "change_note", checked
 * like the JSON member).  With a JSON body the header is a 400: the note
 * belongs in the body, and two notes could disagree.  Returns err->code.
 */
static prfaq_code
change_note_header(struct prfaq_request *req, json_t *body,
		   struct prfaq_error *err)
{
	const char *v = prfaq_req_header(req, "Change-Note");
	json_t *note;

	if (v == NULL || err->code != PRFAQ_OK || !json_is_object(body))
		return err->code;
	if (!prfaq_req_is_markdown(req))
		return prfaq_error_set(
			err, PRFAQ_EINVAL,
			"The Change-Note header goes with a text/markdown body; "
			"a JSON body carries change_note");
	/* The server refused invalid UTF-8 in headers already. */
	if ((note = json_string(v)) == NULL)
		return prfaq_error_set(err, PRFAQ_EINVAL,
				       "Change-Note must be UTF-8 text");
	json_object_set_new(body, "change_note", note);
	return PRFAQ_OK;
}

void
api_prfaqs_create(struct prfaq_request *req)
{
	struct prfaq_new_doc nd = { 0 };
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	char id[PRFAQ_UUID_LEN + 1], location[64];
	json_t *body = NULL, *doc = NULL, *quality = NULL, *lines = NULL;

	prfaq_error_init(&err);
	if (!api_require_role(req, PRFAQ_ROLE_AUTHOR, "create PR/FAQs"))
		return;
	if (api_doc_body(req, &body, &lines, &err) != PRFAQ_OK ||
	    change_note_header(req, body, &err) != PRFAQ_OK ||
	    prfaq_doc_validate(body, PRFAQ_DOC_CREATE, &err) != PRFAQ_OK) {
		prfaq_markdown_locate(&err, lines);
		api_fail(req, &err);
		goto out;
	}
	if ((doc = doc_from_body(body, &err)) == NULL ||
	    (quality = quality_of(doc, &err)) == NULL) {
		api_fail(req, &err);
		goto out;
	}
	nd.body = doc;
	nd.change_note =
		json_string_value(json_object_get(body, "change_note"));
	nd.quality = quality;
	if (prfaq_store_prfaq_create(api_db(req), prfaq_req_caller(req), &nd,
				     &t, id, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	snprintf(location, sizeof(location), "/v1/prfaqs/%s", id);
	prfaq_reply_header(req, "Location", location);
	set_etag(req, 1, "");
	api_reply_text(req, 201, &t);
out:
	json_decref(quality);
	json_decref(doc);
	json_decref(body);
	json_decref(lines);
}

static prfaq_code
prfaqs_page(struct prfaq_request *req, const void *query,
	    const struct prfaq_page_req *page, struct prfaq_page *out,
	    struct prfaq_error *err)
{
	return prfaq_store_prfaq_list(api_db_replica(req), query, page, out,
				      err);
}

/*
 * A user filter: an id (any case) or "me", the caller.  *out is borrowed
 * from the request or the caller; false after replying 400.
 */
static bool
user_param(struct prfaq_request *req, const char *name, const char **out)
{
	const char *v = prfaq_req_query(req, name);

	if (v != NULL && strcmp(v, "me") == 0)
		v = prfaq_req_caller(req)->user_id;
	if (v != NULL && !prfaq_uuid_valid(v)) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "%s must be a user id or \"me\"", name);
		return false;
	}
	*out = v;
	return true;
}

/*
 * ?sort=updated (the default) or evidence.  A search orders by match and a
 * review queue by time, so sort=evidence with q, reviewer or awaiting is
 * refused rather than silently ignored.  False after replying 400.
 */
static bool
list_sort(struct prfaq_request *req, struct prfaq_list_query *q)
{
	const char *sort = prfaq_req_query(req, "sort");

	if (sort == NULL || strcmp(sort, "updated") == 0)
		return true;
	if (strcmp(sort, "evidence") != 0) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "sort must be updated or evidence");
		return false;
	}
	if (q->q != NULL) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "sort=evidence does not combine with q: a "
				    "search lists the best match first");
		return false;
	}
	if (q->reviewer != NULL || q->awaiting != NULL) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "sort=evidence does not combine with "
				    "reviewer or awaiting: a review queue "
				    "lists the newest first");
		return false;
	}
	q->by_evidence = true;
	return true;
}

void
api_prfaqs_list(struct prfaq_request *req)
{
	struct prfaq_list_query q = { 0 };
	enum prfaq_status st;

	q.status = prfaq_req_query(req, "status");
	q.owner = prfaq_req_query(req, "owner");
	q.team = prfaq_req_query(req, "team");
	q.tag = prfaq_req_query(req, "tag");
	q.q = prfaq_req_query(req, "q");
	if (q.status != NULL && prfaq_status_parse(q.status, &st) != 0) {
		prfaq_reply_problem(
			req, PRFAQ_EINVAL,
			"status must be draft, in_review, approved, rejected or archived");
		return;
	}
	if (q.owner != NULL && !prfaq_uuid_valid(q.owner)) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "owner must be a user id");
		return;
	}
	if (!user_param(req, "reviewer", &q.reviewer) ||
	    !user_param(req, "awaiting", &q.awaiting) || !list_sort(req, &q))
		return;
	if (q.q != NULL &&
	    (q.q[0] == '\0' || prfaq_utf8_length(q.q, strlen(q.q)) > Q_MAX)) {
		prfaq_reply_problem(req, PRFAQ_EINVAL,
				    "q must be 1 to %d characters", Q_MAX);
		return;
	}
	api_list(req, prfaqs_page, &q);
}

/*
 * The HTML page of PR/FAQ id, ending with its linked evidence, read with
 * the document in one statement.  Its ETag is "<n>.html" while nothing is
 * linked and "<n>.<stamp>.html" after: linking, unlinking or editing an
 * item changes the page without a new version.
 */
static void
html_cited(struct prfaq_request *req, const char *id)
{
	char stamp[PRFAQ_EVIDENCE_STAMP_LEN + 1] = "", variant[32];
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	int version = 0;

	prfaq_error_init(&err);
	if (prfaq_store_prfaq_get_cited(api_db(req), id, &t, &version, stamp,
					&err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	snprintf(variant, sizeof(variant), "%s%s.html", stamp[0] ? "." : "",
		 stamp);
	set_etag(req, version, variant);
	if (prfaq_etag_matches(prfaq_req_header(req, "If-None-Match"), version,
			       variant)) {
		prfaq_text_free(&t);
		prfaq_reply_empty(req, 304);
		return;
	}
	api_reply_document(req, 200, API_DOC_HTML, &t);
}

void
api_prfaqs_get(struct prfaq_request *req)
{
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	const char *id;
	enum api_doc_kind kind;
	int version;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (!api_negotiate_document(req, &kind))
		return;
	if (kind == API_DOC_HTML) {
		html_cited(req, id);
		return;
	}
	if (prfaq_store_prfaq_get(api_db(req), id, &t, &version, &err) !=
	    PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	if (api_etag(req, version, kind)) {
		prfaq_text_free(&t);
		prfaq_reply_empty(req, 304);
		return;
	}
	api_reply_document(req, 200, kind, &t);
}

/* --- edits -------------------------------------------------------------- */

prfaq_code
api_edit_policy(const struct prfaq_current *cur,
		const struct prfaq_caller *caller, int if_match,
		struct prfaq_error *err)
{
	enum prfaq_status next;
	prfaq_code rc;

	if (strcasecmp(cur->owner_id, caller->user_id) != 0 &&
	    !(caller->roles & PRFAQ_ROLE_ADMIN))
		return prfaq_error_set(
			err, PRFAQ_EFORBIDDEN,
			"Only the owner or an admin may change this PR/FAQ");
	if ((rc = prfaq_workflow_apply(cur->status, PRFAQ_ACTION_EDIT, &next,
				       err)) != PRFAQ_OK)
		return rc;
	if (if_match != cur->version) {
		rc = prfaq_error_set(
			err, PRFAQ_EPRECONDITION,
			"The PR/FAQ is at version %d; your If-Match names another. "
			"Fetch it, merge, and retry",
			cur->version);
		json_decref(err->extra);
		err->extra =
			json_pack("{s:i}", "current_version", cur->version);
		return rc;
	}
	return PRFAQ_OK;
}

struct edit_ctx {
	const struct prfaq_caller *caller;
	int if_match;
	const json_t *body; /* PUT body, PATCH patch, restore options */
	bool patch;
};

/*
 * Fill change with doc (taken; NULL: err is set) and its quality.  A doc
 * equal to the current one (title, team, tags and content) is a no-op: an
 * editor's autosave or a restore of the current text must write nothing,
 * or it would make approving reviews stale.
 */
static prfaq_code
change_set_doc(const struct prfaq_current *cur, struct prfaq_change *ch,
	       json_t *doc, struct prfaq_error *err)
{
	if (doc == NULL)
		return err != NULL ? err->code : PRFAQ_EINTERNAL;
	if (json_equal(doc, (json_t *)cur->doc)) {
		json_decref(doc);
		ch->noop = true;
		return PRFAQ_OK;
	}
	ch->doc = doc;
	if ((ch->quality = quality_of(doc, err)) == NULL)
		return PRFAQ_EINTERNAL;
	return PRFAQ_OK;
}

static prfaq_code
edit_mutate(const struct prfaq_current *cur, void *arg, struct prfaq_change *ch,
	    struct prfaq_error *err)
{
	struct edit_ctx *e = arg;
	json_t *merged = NULL, *patch = NULL;
	prfaq_code rc;

	if ((rc = api_edit_policy(cur, e->caller, e->if_match, err)) !=
	    PRFAQ_OK)
		return rc;
	ch->change_note =
		json_string_value(json_object_get(e->body, "change_note"));
	ch->event = "revised";
	if (!e->patch)
		return change_set_doc(cur, ch, doc_from_body(e->body, err),
				      err);

	/* change_note travels with the patch but is not part of the document. */
	patch = json_is_object(e->body) ? json_copy((json_t *)e->body) :
					  json_incref((json_t *)e->body);
	if (json_is_object(patch))
		json_object_del(patch, "change_note");
	merged = prfaq_merge_patch(cur->doc, patch);
	json_decref(patch);
	if (merged == NULL)
		return prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
	if ((rc = prfaq_doc_validate(merged, PRFAQ_DOC_MERGED, err)) !=
	    PRFAQ_OK) {
		json_decref(merged);
		return rc;
	}
	rc = change_set_doc(cur, ch, doc_from_body(merged, err), err);
	json_decref(merged);
	return rc;
}

/* Shared by PUT, PATCH and restore: the If-Match rules (428 when missing). */
bool
api_require_if_match(struct prfaq_request *req, int *if_match)
{
	switch (prfaq_req_if_match(req, if_match)) {
	case PRFAQ_IF_MATCH_ABSENT:
		prfaq_reply_problem(
			req, PRFAQ_EPRECONDREQUIRED,
			"Send If-Match: \"<version>\" with the version you edited");
		return false;
	case PRFAQ_IF_MATCH_ANY:
		/* "Any version" is the lost update If-Match is here to stop. */
		prfaq_reply_problem(
			req, PRFAQ_EPRECONDREQUIRED,
			"If-Match: * would overwrite whatever version is current; "
			"send If-Match: \"<version>\" with the version you edited");
		return false;
	case PRFAQ_IF_MATCH_VERSION:
		return true;
	case PRFAQ_IF_MATCH_MALFORMED:
		/* Not a stale version (412) but a header to fix: say how. */
		prfaq_reply_problem(
			req, PRFAQ_EINVAL,
			"If-Match must be a quoted entity tag, as the ETag "
			"header gives it: If-Match: \"3\", not If-Match: 3");
		return false;
	case PRFAQ_IF_MATCH_OTHER:
		break;
	}
	/* A tag naming no version can never match: 412, like a stale one. */
	*if_match = 0;
	return true;
}

void
api_reply_updated(struct prfaq_request *req, prfaq_code rc,
		  struct prfaq_text *t, int version, struct prfaq_error *err)
{
	if (rc != PRFAQ_OK) {
		api_fail(req, err);
		return;
	}
	set_etag(req, version, "");
	api_reply_text(req, 200, t);
}

/*
 * Drop from a PUT body (borrowed, changed in place) the members that GET
 * returns but a client does not write, so GET -> edit -> PUT works; any
 * other member is still validated (and an unknown one refused).
 */
static void
drop_read_only(json_t *body)
{
	static const char *const read_only[] = {
		"id",	   "status",	 "owner",      "version",
		"quality", "decision",	 "reviewers",  "evidence",
		"launch",  "created_at", "updated_at", NULL,
	};

	if (json_is_object(body))
		for (const char *const *k = read_only; *k != NULL; k++)
			json_object_del(body, *k);
}

static void
edit(struct prfaq_request *req, bool patch)
{
	struct edit_ctx e = { .caller = prfaq_req_caller(req), .patch = patch };
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	json_t *body = NULL, *lines = NULL;
	const char *id;
	int version = 0;
	prfaq_code rc;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL)
		return;
	if (!api_require_if_match(req, &e.if_match))
		return;
	if ((patch ? prfaq_req_json(req, false, &body, &err) :
		     api_doc_body(req, &body, &lines, &err)) == PRFAQ_OK &&
	    !patch)
		drop_read_only(body);
	change_note_header(req, body, &err);
	if (err.code != PRFAQ_OK ||
	    (!patch &&
	     prfaq_doc_validate(body, PRFAQ_DOC_REPLACE, &err) != PRFAQ_OK) ||
	    (patch && !json_is_object(body) &&
	     prfaq_error_add(&err, "", "must be a JSON merge patch object"))) {
		prfaq_markdown_locate(&err, lines);
		api_fail(req, &err);
		goto out;
	}
	if (patch) {
		json_t *note = json_object_get(body, "change_note");

		if (note != NULL &&
		    (!json_is_string(note) ||
		     prfaq_utf8_length(json_string_value(note),
				       json_string_length(note)) >
			     PRFAQ_NOTE_MAX)) {
			prfaq_error_add(
				&err, "/change_note",
				"must be a string of at most %d characters",
				PRFAQ_NOTE_MAX);
			api_fail(req, &err);
			goto out;
		}
		if (!api_check_text(note, PRFAQ_TEXT_LONG, "/change_note",
				    &err)) {
			api_fail(req, &err);
			goto out;
		}
	}
	e.body = body;
	rc = prfaq_store_prfaq_update(api_db(req), id, e.caller, 0, edit_mutate,
				      &e, &t, &version, &err);
	api_reply_updated(req, rc, &t, version, &err);
out:
	json_decref(body);
	json_decref(lines);
}

void
api_prfaqs_put(struct prfaq_request *req)
{
	edit(req, false);
}

void
api_prfaqs_patch(struct prfaq_request *req)
{
	edit(req, true);
}

/* --- restore ------------------------------------------------------------ */

struct restore_ctx {
	const struct prfaq_caller *caller;
	int if_match;
	int from;
	const char *change_note;
};

static prfaq_code
restore_mutate(const struct prfaq_current *cur, void *arg,
	       struct prfaq_change *ch, struct prfaq_error *err)
{
	struct restore_ctx *r = arg;
	prfaq_code rc;

	if ((rc = api_edit_policy(cur, r->caller, r->if_match, err)) !=
	    PRFAQ_OK)
		return rc;
	ch->change_note = r->change_note;
	ch->event = "restored";
	/* The event says where the version came from: never without it. */
	if ((ch->event_data = json_pack("{s:i}", "from", r->from)) == NULL)
		return prfaq_error_set(err, PRFAQ_EINTERNAL, "No event data");
	return change_set_doc(cur, ch, json_deep_copy(cur->source), err);
}

void
api_versions_restore(struct prfaq_request *req)
{
	struct restore_ctx r = { .caller = prfaq_req_caller(req) };
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	char note[64];
	json_t *body = NULL, *v;
	const char *id;
	int version = 0;
	prfaq_code rc;

	prfaq_error_init(&err);
	if ((id = api_param_uuid(req, "id", "PR/FAQ")) == NULL ||
	    (r.from = api_param_number(req, "n", "version")) < 0)
		return;
	if (!api_require_if_match(req, &r.if_match))
		return;
	/* An optional body: {"change_note": "..."} and nothing else. */
	if (prfaq_req_json(req, true, &body, &err) != PRFAQ_OK)
		goto fail;
	if (!json_is_object(body)) {
		prfaq_error_add(&err, "", "must be a JSON object");
		goto fail;
	}
	{
		static const char *const allowed[] = { "change_note", NULL };

		api_check_members(body, allowed, "", &err);
	}
	v = json_object_get(body, "change_note");
	if (v != NULL &&
	    (!json_is_string(v) ||
	     prfaq_utf8_length(json_string_value(v), json_string_length(v)) >
		     PRFAQ_NOTE_MAX))
		prfaq_error_add(&err, "/change_note",
				"must be a string of at most %d characters",
				PRFAQ_NOTE_MAX);
	else
		api_check_text(v, PRFAQ_TEXT_LONG, "/change_note", &err);
	if (err.code != PRFAQ_OK)
		goto fail;
	snprintf(note, sizeof(note), "Restored from version %d", r.from);
	r.change_note = v ? json_string_value(v) : note;
	rc = prfaq_store_prfaq_update(api_db(req), id, r.caller, r.from,
				      restore_mutate, &r, &t, &version, &err);
	api_reply_updated(req, rc, &t, version, &err);
	json_decref(body);
	return;
fail:
	api_fail(req, &err);
	json_decref(body);
}
