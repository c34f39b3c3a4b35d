/*
 * webhooks.c - POST/GET /v1/webhooks, GET/DELETE /v1/webhooks/{id},
 * GET /v1/webhooks/{id}/deliveries.  Admins only: a webhook sees every
 * document's events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "prfaq/crypto.h"
#include "prfaq/utf8.h"
#include "prfaq/webhooks.h"

#define URL_MAX		2048
#define DESCRIPTION_MAX 500
#define SECRET_BYTES	32

static const char *const event_types[] = {
	"created",	     "revised",	 "restored",	      "submitted",
	"withdrawn",	     "reviewed", "commented",	      "decided",
	"reopened",	     "archived", "reviewers_changed", "evidence_linked",
	"evidence_unlinked", "launched", "measured",	      "learning_added",
};

static bool
event_type_known(const char *s)
{
	for (size_t i = 0; i < sizeof(event_types) / sizeof(event_types[0]);
	     i++)
		if (strcmp(s, event_types[i]) == 0)
			return true;
	return false;
}

/* http:// or https://, a host, nothing a header or a log could trip on. */
static bool
url_acceptable(const char *url, size_t len)
{
	size_t scheme;

	if (strncmp(url, "https://", 8) == 0)
		scheme = 8;
	else if (strncmp(url, "http://", 7) == 0)
		scheme = 7;
	else
		return false;
	if (len <= scheme || len > URL_MAX || url[scheme] == '/')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)url[i] <= 0x20 ||
		    (unsigned char)url[i] >= 0x7f)
			return false;
	return true;
}

/*
 * Check a registration body: members, URL shape, events, description, and
 * last (only when all else is right, since it may ask the resolver) where
 * the URL leads.  On success *url and *description are borrowed from body,
 * *events is a new reference.
 */
static prfaq_code
webhook_validate(const json_t *body, bool allow_private, const char **url,
		 json_t **events, const char **description,
		 struct prfaq_error *err)
{
	json_t *u = json_object_get(body, "url");
	json_t *ev = json_object_get(body, "events");
	json_t *d = json_object_get(body, "description");
	char why[PRFAQ_ERROR_DETAIL_MAX];
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)body, key, v) {
		char ptr[80];

		if (strcmp(key, "url") == 0 || strcmp(key, "events") == 0 ||
		    strcmp(key, "description") == 0)
			continue;
		snprintf(ptr, sizeof(ptr), "/%.64s", key);
		prfaq_error_add(err, ptr, "%s", "unknown field");
	}
	if (!json_is_string(u) ||
	    !url_acceptable(json_string_value(u), json_string_length(u)))
		prfaq_error_add(err, "/url", "%s",
				"required: an absolute http:// or https:// URL "
				"of at most 2048 characters");
	if (ev != NULL && !json_is_null(ev)) {
		if (!json_is_array(ev)) {
			prfaq_error_add(err, "/events", "%s",
					"an array of event types (empty: all)");
		} else {
			json_array_foreach(ev, i, v) {
				char ptr[32];

				if (json_is_string(v) &&
				    event_type_known(json_string_value(v)))
					continue;
				snprintf(ptr, sizeof(ptr), "/events/%zu", i);
				prfaq_error_add(
					err, ptr, "%s",
					"unknown event type; known: created, "
					"revised, restored, submitted, withdrawn, "
					"reviewed, commented, decided, reopened, "
					"archived, reviewers_changed, "
					"evidence_linked, evidence_unlinked, "
					"launched, measured, learning_added");
			}
		}
	}
	if (d != NULL && !json_is_null(d) &&
	    (!json_is_string(d) ||
	     prfaq_utf8_length(json_string_value(d), json_string_length(d)) >
		     DESCRIPTION_MAX))
		prfaq_error_add(err, "/description", "%s",
				"a string of at most 500 characters");
	else
		api_check_text(d, PRFAQ_TEXT_LINE, "/description", err);
	if (err->code != PRFAQ_OK)
		return err->code;
	if (!prfaq_webhook_target_allowed(json_string_value(u), allow_private,
					  why, sizeof(why)))
		return prfaq_error_add(err, "/url", "%s", why);
	*url = json_string_value(u);
	*events = json_is_array(ev) ? json_incref(ev) : json_array();
	*description = json_is_string(d) ? json_string_value(d) : NULL;
	return *events != NULL ?
		       PRFAQ_OK :
		       prfaq_error_set(err, PRFAQ_ENOMEM, "Out of memory");
}

void
api_webhooks_create(struct prfaq_request *req)
{
	uint8_t raw[SECRET_BYTES];
	char secret[6 + 4 * ((SECRET_BYTES + 2) / 3) + 1];
	char id[PRFAQ_UUID_LEN + 1], location[64];
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	const char *url = NULL, *description = NULL;
	json_t *body = NULL, *events = NULL;

	prfaq_error_init(&err);
	if (!api_require_role(req, PRFAQ_ROLE_ADMIN, "manage webhooks"))
		return;
	if (prfaq_random_bytes(raw, sizeof(raw)) != 0) {
		prfaq_reply_problem(req, PRFAQ_EINTERNAL,
				    "No randomness available");
		return;
	}
	memcpy(secret, "whsec_", 6);
	prfaq_base64url(raw, sizeof(raw), secret + 6);
	if (prfaq_req_json(req, false, &body, &err) != PRFAQ_OK ||
	    webhook_validate(body,
			     prfaq_req_app(req)->cfg->webhook_allow_private,
			     &url, &events, &description, &err) != PRFAQ_OK ||
	    prfaq_store_webhook_create(api_db(req), prfaq_req_caller(req), url,
				       events, description, secret, &t, id,
				       &err) != PRFAQ_OK) {
		api_fail(req, &err);
		goto out;
	}
	snprintf(location, sizeof(location), "/v1/webhooks/%s", id);
	prfaq_reply_header(req, "Location", location);
	api_reply_text(req, 201, &t);
out:
	memset(secret, 0, sizeof(secret));
	json_decref(events);
	json_decref(body);
}

static prfaq_code
webhooks_page(struct prfaq_request *req, const void *arg,
	      const struct prfaq_page_req *page, struct prfaq_page *out,
	      struct prfaq_error *err)
{
	return prfaq_store_webhooks_list(api_db(req), page, out, err);
}

void
api_webhooks_list(struct prfaq_request *req)
{
	if (api_require_role(req, PRFAQ_ROLE_ADMIN, "manage webhooks"))
		api_list(req, webhooks_page, NULL);
}

void
api_webhooks_get(struct prfaq_request *req)
{
	struct prfaq_text t = { NULL, 0 };
	struct prfaq_error err;
	const char *id;

	prfaq_error_init(&err);
	if (!api_require_role(req, PRFAQ_ROLE_ADMIN, "manage webhooks") ||
	    (id = api_param_uuid(req, "id", "webhook")) == NULL)
		return;
	if (prfaq_store_webhook_get(api_db(req), id, &t, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	api_reply_text(req, 200, &t);
}

void
api_webhooks_delete(struct prfaq_request *req)
{
	struct prfaq_error err;
	const char *id;

	prfaq_error_init(&err);
	if (!api_require_role(req, PRFAQ_ROLE_ADMIN, "manage webhooks") ||
	    (id = api_param_uuid(req, "id", "webhook")) == NULL)
		return;
	if (prfaq_store_webhook_delete(api_db(req), id, &err) != PRFAQ_OK) {
		api_fail(req, &err);
		return;
	}
	prfaq_reply_empty(req, 204);
}

static prfaq_code
deliveries_page(struct prfaq_request *req, const void *id,
		const struct prfaq_page_req *page, struct prfaq_page *out,
		struct prfaq_error *err)
{
	return prfaq_store_deliveries_list(api_db(req), id, page, out, err);
}

void
api_webhook_deliveries_list(struct prfaq_request *req)
{
	const char *id;

	if (api_require_role(req, PRFAQ_ROLE_ADMIN, "manage webhooks") &&
	    (id = api_param_uuid(req, "id", "webhook")) != NULL)
		api_list(req, deliveries_page, id);
}
