/*
 * http_internal.h - what the files of src/http share.  Not for src/api.
 */
#ifndef PRFAQ_HTTP_INTERNAL_H
#define PRFAQ_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <stdint.h>
#include <time.h>

#include "prfaq/buf.h"
#include "prfaq/http.h"
#include "prfaq/store.h"

#define ROUTER_MAX_SEGMENTS 8
#define REQUEST_MAX_PARAMS  4
#define REQUEST_MAX_HEADERS 12
#define REQUEST_ID_MAX	    128

/* --- router.c ----------------------------------------------------------- */

struct router;

struct route_match {
	const struct prfaq_route *route; /* NULL: no route for this method */
	size_t index;			 /* route's index in the table */
	unsigned allow;			 /* methods the path answers to */
	size_t nparams;
	const char *param_names[REQUEST_MAX_PARAMS];
	size_t param_name_lens[REQUEST_MAX_PARAMS];
	const char *param_values[REQUEST_MAX_PARAMS]; /* into the split path */
};

struct router *router_new(const struct prfaq_route *routes, size_t n);
void router_free(struct router *r);
/*
 * Match path (modified in place: '/' become NUL) for method.  Returns true
 * when the path is known (match->allow != 0); match->route is set when the
 * method is allowed too.
 */
bool router_match(const struct router *r, enum prfaq_method method, char *path,
		  struct route_match *match);
/*
 * Percent-decode the path of a request target as the client sent it (up to
 * any '?') into out, which has room for strlen(target) + 1 bytes.  False
 * when no resource can have that path: a malformed escape, or one that
 * decodes to NUL or '/' (data inside a segment, RFC 3986 section 2.2, that
 * the router would take for the end of the path or of a segment).
 */
bool router_path_decode(const char *target, char *out);
/* "GET, HEAD, PUT" for an Allow header. */
void router_allow_header(unsigned allow, char *buf, size_t cap);
enum prfaq_method method_parse(const char *s);

/* --- metrics.c ---------------------------------------------------------- */

struct metrics;

struct metrics *metrics_new(const struct prfaq_route *routes, size_t n);
void metrics_free(struct metrics *m);
/* route_index == n for requests that matched no route. */
void metrics_observe(struct metrics *m, size_t route_index, int status,
		     double seconds);
int metrics_render(struct metrics *m, struct prfaq_buf *out);
/* The evidence counters (prfaq_metrics_evidence), appended to out. */
int metrics_render_evidence(struct prfaq_buf *out);

/* --- the request (server.c: its life; request.c, reply.c: its API) ------ */

struct header {
	char *name;
	char *value;
};

struct prfaq_request {
	struct prfaq_server *srv;
	struct MHD_Connection *conn;
	enum prfaq_method method;
	const char *method_name;
	char *path;  /* the URL path, decoded (as sent: see split) */
	char *split; /* copy split by router_match; NULL when
				   router_path_decode refused the path */
	struct route_match match;
	bool matched;
	char request_id[REQUEST_ID_MAX + 1];
	struct timespec start;

	struct prfaq_caller caller;
	bool authenticated;

	bool has_body;	   /* Content-Length > 0 or Transfer-Encoding */
	bool expects_body; /* POST, PUT, PATCH */
	struct prfaq_buf body;
	bool body_overflow;

	/* the reply */
	bool replied;
	bool queued;
	int status;
	const char *problem; /* slug of a problem+json reply, for the log */
	struct MHD_Response *response;
	struct header headers[REQUEST_MAX_HEADERS];
	size_t nheaders;
	char reply_type[64];	/* Content-Type of the reply */
	const char *reply_data; /* its body, owned by response */
	size_t reply_len;

	/* The Idempotency-Key this request claimed (key NULL: none). */
	struct prfaq_idem_claim idem;
};

struct prfaq_server {
	struct MHD_Daemon *daemon;
	const struct prfaq_config *cfg;
	struct prfaq_app *app;
	const struct prfaq_route *routes;
	size_t nroutes;
	struct router *router;
	struct metrics *metrics;
	char **cors_origins; /* NULL-terminated */
	int inflight;	     /* requests between arrival and completion */
	struct deadline *deadline;
	int draining; /* prfaq_server_drain() was called (atomic) */
};

/* request.c: is a Content-Type's media type (before any ";") want? */
bool http_media_type_is(const char *value, const char *want);

/*
 * server.c: libmicrohttpd's callbacks for the life of a request, which
 * daemon.c registers with the server as their cls (see server.c).
 * request_ids_init() picks the prefix of the request ids made up here; call
 * it before the daemon starts.
 */
void request_ids_init(void);

/*
 * request.c: true when every query argument of the matched request is one
 * its route lists (struct prfaq_route.query); otherwise replies 400 naming
 * each unknown one ({"parameter", "message"}) and returns false.
 */
bool request_query_check(struct prfaq_request *req);
void *request_on_uri(void *cls, const char *uri, struct MHD_Connection *conn);
enum MHD_Result request_on_access(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls);
void request_on_completed(void *cls, struct MHD_Connection *conn,
			  void **con_cls, enum MHD_RequestTerminationCode toe);

/*
 * reply.c: queue the request's reply (a 500 when the handler made none)
 * with the standard headers.  Once per request; MHD_NO closes the
 * connection.
 */
enum MHD_Result reply_queue(struct prfaq_request *req);

/*
 * redact.c: whether a client's X-Request-Id may be logged and echoed (no
 * token in it); path copied into out (cap bytes, NUL-terminated, truncated)
 * with anything that looks like a token replaced by "[redacted]".
 */
bool redact_id_acceptable(const char *s);
void redact_path(const char *path, char *out, size_t cap);

/* auth.c: resolve the bearer token into req->caller; false after a 401 reply. */
bool auth_authenticate(struct prfaq_request *req);

/*
 * idempotency.c: before the handler, claim the request's Idempotency-Key;
 * false after installing a reply (a replay, 409, 422 or an error).  After
 * it, record a 2xx reply or release the key.
 */
bool idem_before(struct prfaq_request *req);
void idem_after(struct prfaq_request *req);

/*
 * deadline.c: a request, headers and body, must all arrive within
 * timeout_s of the connection opening or of the previous reply, however
 * busily the client trickles it; connections that miss it are shut down.
 * deadline_request_in() stops the clock (the whole request is in),
 * deadline_replied() starts it again for the next one.
 * deadline_on_connection() is the MHD_OPTION_NOTIFY_CONNECTION callback (its
 * cls the deadline); the other two are called from the connection's own
 * thread.  Free the deadline after MHD_stop_daemon().
 */
struct deadline *deadline_new(unsigned timeout_s);
void deadline_free(struct deadline *d);
void deadline_on_connection(void *cls, struct MHD_Connection *conn,
			    void **socket_context,
			    enum MHD_ConnectionNotificationCode toe);
void deadline_request_in(struct MHD_Connection *conn);
void deadline_replied(struct MHD_Connection *conn);

/*
 * cors.c: add CORS headers for an allowed Origin; answer a preflight (false
 * when it is not one from an allowed Origin: no reply installed).  The
 * allowed origins are parsed from PRFAQ_CORS_ORIGINS into a new
 * NULL-terminated array (NULL when out of memory); free it with
 * cors_origins_free() (NULL-safe).
 */
void cors_apply(struct prfaq_request *req, struct MHD_Response *resp);
bool cors_preflight(struct prfaq_request *req);
char **cors_origins_parse(const char *list);
void cors_origins_free(char **origins);

#endif
