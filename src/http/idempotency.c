/*
 * idempotency.c - safe retries of creating POSTs (Idempotency-Key).
 *
 * A route flagged PRFAQ_ROUTE_IDEMPOTENT honours the header.  Before the
 * handler runs, the key is claimed for (caller, key) together with a hash of
 * the request (method, path and body).  Then:
 *
 *   first use             the handler runs, and its write marks the claim
 *                         in the write's own transaction; a 2xx reply is
 *                         recorded (status, content type, headers, body);
 *                         for any other status the claim is released, so
 *                         that a retry after a 4xx or 503 runs again, unless
 *                         the write committed after all (a 503 for a
 *                         connection lost during COMMIT);
 *   same request, done    the recorded reply is sent again, byte for byte,
 *                         with Idempotent-Replayed: true, and nothing runs;
 *   another request       422;
 *   first one running     409 with Retry-After;
 *   written, no reply     409: it was done, but the reply was lost (prfaqd or
 *                         the database failed between COMMIT and record);
 *   abandoned             (unwritten, unfinished, older than the lease of
 *                         PRFAQ_IDEM_LEASE_S: its process died) the retry
 *                         takes the claim over and runs; should the old
 *                         request still be running, its write fails, since
 *                         it marks only its own claim.
 *
 * So the write happens at most once per key, whatever fails in between.
 * Keys expire after 24 hours (see migrations/0004 and 0006).
 *
 * A recorded reply can hold a secret (a new API token is shown once), and
 * secrets are never stored in clear.  So the record is sealed (AES-256-GCM)
 * under a key derived from the caller's bearer token, which the database
 * holds only as a hash: the record is readable by the retry, not by whoever
 * reads the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"
#include "prfaq/alloc.h"
#include "prfaq/app.h"
#include "prfaq/crypto.h"
#include "prfaq/log.h"
#include "prfaq/store.h"

#define IDEM_KEY_MAX 255

static bool
key_valid(const char *key)
{
	size_t n = 0;

	for (; key[n] != '\0'; n++)
		if (n == IDEM_KEY_MAX || key[n] < 0x20 || key[n] > 0x7e)
			return false;
	return n > 0;
}

static void
request_hash(const struct prfaq_request *req, uint8_t out[PRFAQ_SHA256_LEN])
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	if (prfaq_buf_printf(&b, "%s\n%s\n", req->method_name, req->path) !=
		    0 ||
	    prfaq_buf_append(&b, req->body.data, req->body.len) != 0) {
		/* Out of memory: hash what fits; a mismatch is then only spurious. */
		prfaq_sha256(req->path, strlen(req->path), out);
	} else {
		prfaq_sha256(b.data, b.len, out);
	}
	prfaq_buf_free(&b);
}

/* The key sealing this request's record: HMAC(bearer token, idempotency key). */
static void
seal_key(const struct prfaq_request *req, const char *key,
	 uint8_t out[PRFAQ_SHA256_LEN])
{
	const char *h = prfaq_req_header(req, "Authorization");

	/* The route is authenticated, so h is "Bearer <token>". */
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		h = "Bearer ";
	h += 7;
	while (*h == ' ')
		h++;
	prfaq_hmac_sha256(h, strlen(h), key, strlen(key), out);
}

/* {content_type, headers, body} sealed into {"sealed": base64url}. */
static json_t *
seal(const struct prfaq_request *req, json_t *record)
{
	uint8_t k[PRFAQ_SHA256_LEN], *box = NULL;
	char *text = json_dumps(record, JSON_COMPACT), *b64 = NULL;
	json_t *sealed = NULL;
	size_t len;
	long n;

	if (text == NULL)
		return NULL;
	len = strlen(text);
	seal_key(req, req->idem.key, k);
	box = prfaq_malloc(len + PRFAQ_SEAL_OVERHEAD);
	if ((n = prfaq_seal(k, text, len, box)) >= 0) {
		b64 = prfaq_malloc(4 * ((size_t)n + 2) / 3 + 1);
		prfaq_base64url(box, (size_t)n, b64);
		sealed = json_pack("{s:s}", "sealed", b64);
	}
	free(b64);
	free(box);
	free(text);
	return sealed;
}

/* The record back, or NULL when it was sealed under another token. */
static json_t *
unseal(const struct prfaq_request *req, const char *key, json_t *stored)
{
	const char *b64 = json_string_value(json_object_get(stored, "sealed"));
	uint8_t k[PRFAQ_SHA256_LEN], *box = NULL, *text = NULL;
	json_t *record = NULL;
	size_t len;
	long n, m;

	if (b64 == NULL)
		return NULL;
	len = strlen(b64);
	seal_key(req, key, k);
	box = prfaq_malloc(len);
	if ((n = prfaq_base64url_decode(b64, len, box, len)) >= 0) {
		text = prfaq_malloc((size_t)n + 1);
		if ((m = prfaq_unseal(k, box, (size_t)n, text)) >= 0)
			record = json_loadb((const char *)text, (size_t)m, 0,
					    NULL);
	}
	free(text);
	free(box);
	return record;
}

/* Send a recorded reply again. */
static void
replay(struct prfaq_request *req, const char *key, int status, json_t *stored)
{
	json_t *response = unseal(req, key, stored);
	const char *ctype =
		json_string_value(json_object_get(response, "content_type"));
	json_t *body = json_object_get(response, "body");
	json_t *headers = json_object_get(response, "headers");
	const char *name;
	json_t *value;
	char *data;
	size_t len;

	if (response == NULL || !json_is_string(body)) {
		prfaq_reply_problem(
			req, PRFAQ_ECONFLICT,
			"This Idempotency-Key was used with another of your "
			"tokens; retry with that token, or use a new key");
		json_decref(response);
		return;
	}
	len = json_string_length(body);
	data = prfaq_malloc(len + 1);
	memcpy(data, json_string_value(body), len + 1);
	json_object_foreach(headers, name, value)
		if (json_is_string(value))
			prfaq_reply_header(req, name, json_string_value(value));
	prfaq_reply_header(req, "Idempotent-Replayed", "true");
	prfaq_reply_take(req, status, ctype, data, len);
	json_decref(response);
}

/* The database, for this request (its id goes on what src/db logs). */
static struct prfaq_db_ctx
idem_db(struct prfaq_request *req)
{
	struct prfaq_db_ctx db = { req->srv->app->pool, req->request_id,
				   prfaq_req_db_deadline(req), NULL };

	return db;
}

bool
idem_before(struct prfaq_request *req)
{
	const char *key;
	uint8_t hash[PRFAQ_SHA256_LEN];
	enum prfaq_idem_state state;
	struct prfaq_idem_claim claim;
	struct prfaq_error err;
	json_t *response = NULL;
	int status = 0;

	if (!(req->match.route->flags & PRFAQ_ROUTE_IDEMPOTENT) ||
	    (key = prfaq_req_header(req, "Idempotency-Key")) == NULL)
		return true;
	if (!key_valid(key)) {
		prfaq_reply_problem(
			req, PRFAQ_EINVAL,
			"Idempotency-Key must be 1 to %d printable ASCII characters",
			IDEM_KEY_MAX);
		return false;
	}
	request_hash(req, hash);
	prfaq_error_init(&err);
	memcpy(claim.user_id, req->caller.user_id, sizeof(claim.user_id));
	claim.key = key;
	claim.claim[0] = '\0';
	if (prfaq_store_idem_begin(idem_db(req), &claim, hash, &state, &status,
				   &response, &err) != PRFAQ_OK) {
		prfaq_reply_error(req, &err);
		prfaq_error_clear(&err);
		return false;
	}
	switch (state) {
	case PRFAQ_IDEM_NEW:
		/* The handler's write marks this claim in its own transaction. */
		req->idem = claim;
		req->caller.idem = &req->idem;
		return true;
	case PRFAQ_IDEM_REPLAY:
		replay(req, key, status, response);
		break;
	case PRFAQ_IDEM_MISMATCH:
		prfaq_reply_problem(
			req, PRFAQ_EUNPROCESSABLE,
			"This Idempotency-Key was used for a different request; "
			"use a new key for a new request");
		break;
	case PRFAQ_IDEM_RUNNING:
		prfaq_reply_header(req, "Retry-After", "1");
		prfaq_reply_problem(
			req, PRFAQ_ECONFLICT,
			"A request with this Idempotency-Key is still running; "
			"retry when it has finished");
		break;
	case PRFAQ_IDEM_LOST:
		prfaq_reply_problem(
			req, PRFAQ_ECONFLICT,
			"The request with this Idempotency-Key was carried out, "
			"but its response was lost (the service or its database "
			"failed just after); list the resource to find what it "
			"created, and use a new key for a new request");
		break;
	}
	json_decref(response);
	return false;
}

void
idem_after(struct prfaq_request *req)
{
	struct prfaq_error err;
	json_t *record, *response, *headers;

	if (req->idem.key == NULL)
		return;
	req->caller.idem = NULL;
	if (req->status < 200 || req->status > 299 || req->reply_data == NULL) {
		/* Kept if its write did commit (a 503 for a lost COMMIT). */
		prfaq_store_idem_abort(idem_db(req), &req->idem);
		return;
	}
	headers = json_object();
	for (size_t i = 0; headers != NULL && i < req->nheaders; i++)
		if (json_object_set_new(headers, req->headers[i].name,
					json_string(req->headers[i].value)) !=
		    0) {
			/* Without one of its headers, a replay would differ. */
			json_decref(headers);
			headers = NULL;
		}
	record = headers == NULL ?
			 NULL :
			 json_pack("{s:s, s:o, s:s%}", "content_type",
				   req->reply_type[0] ? req->reply_type :
							"application/json",
				   "headers", headers, "body", req->reply_data,
				   req->reply_len);
	response = record ? seal(req, record) : NULL;
	json_decref(record);
	prfaq_error_init(&err);
	/*
	 * The write itself has committed and marked the claim written.  Were
	 * the record lost, retries get 409 (carried out, reply lost) until the
	 * key expires, never a second write.  Say so in the log.
	 */
	if (response == NULL ||
	    prfaq_store_idem_finish(idem_db(req), &req->idem, req->status,
				    response, &err) != PRFAQ_OK)
		log_error(
			req->request_id,
			"the reply to an idempotent request was not recorded: %s",
			err.detail[0] ? err.detail : "it could not be encoded");
	prfaq_error_clear(&err);
	json_decref(response);
}
