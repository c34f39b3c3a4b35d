/*
 * floor.c - the least a server can do to answer GET /v1/prfaqs/{id}: the
 * floor that bench/run measures prfaqd against.
 *
 * Same thread model as prfaqd (libmicrohttpd's internal epoll thread pool of
 * FLOOR_THREADS threads), same query (one prepared statement on the
 * prfaq_documents view), one PGconn per HTTP thread, and nothing else: no
 * authentication, routing, logging, metrics or request context.  Any other
 * request gets 404.
 *
 * Built by bench/run:
 *   cc -O2 -Wall -o build-release/floor bench/floor.c \
 *      $(pkg-config --cflags --libs libmicrohttpd libpq) -lpthread
 * Environment: FLOOR_DATABASE_URL (libpq conninfo), FLOOR_PORT (8081),
 * FLOOR_THREADS (2).  SIGTERM or SIGINT stops it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <microhttpd.h>

#define PREFIX	 "/v1/prfaqs/"
#define UUID_LEN 36

static const char *conninfo;

/* One session per HTTP thread: libmicrohttpd pins a connection to a thread. */
static __thread PGconn *pg;

static PGconn *
session(void)
{
	PGresult *res;

	if (pg != NULL && PQstatus(pg) == CONNECTION_OK)
		return pg;
	PQfinish(pg);
	pg = PQconnectdb(conninfo);
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "floor: %s", PQerrorMessage(pg));
		PQfinish(pg);
		pg = NULL;
		return NULL;
	}
	/* prfaqd's own statement (src/db/store_prfaqs.c, prfaq_doc_get). */
	res = PQprepare(
		pg, "get",
		"SELECT d.version, left(d.doc::text, -1) || ',\"evidence\":' || ("
		"  SELECT json_build_object('links', count(*),"
		"    'anecdote', count(*) FILTER (WHERE e.kind = 'anecdote'),"
		"    'request', count(*) FILTER (WHERE e.kind = 'request'),"
		"    'data', count(*) FILTER (WHERE e.kind = 'data'),"
		"    'negative', count(*) FILTER (WHERE e.sentiment = 'negative'),"
		"    'positive', count(*) FILTER (WHERE e.sentiment = 'positive'))::text"
		"    FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id"
		"   WHERE l.prfaq_id = d.id)"
		" || ',\"launch\":' || coalesce((SELECT p.launch::text FROM prfaqs p"
		"   WHERE p.id = d.id), 'null') || '}'"
		"  FROM prfaq_documents d WHERE d.id = $1",
		1, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "floor: prepare: %s", PQerrorMessage(pg));
	PQclear(res);
	return pg;
}

static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned status, const char *body,
      size_t len, const char *etag)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body,
					    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json");
	if (etag != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_data_size, void **con_cls)
{
	const char *id = url + strlen(PREFIX);
	const char *params[1] = { id };
	char etag[24];
	PGresult *res;
	PGconn *c;
	enum MHD_Result ret;

	/* A GET has no body: answer on the first call. */
	if (strcmp(method, "GET") != 0 ||
	    strncmp(url, PREFIX, strlen(PREFIX)) != 0 || strlen(id) != UUID_LEN)
		return reply(conn, 404, "{}", 2, NULL);
	if ((c = session()) == NULL)
		return reply(conn, 503, "{}", 2, NULL);
	res = PQexecPrepared(c, "get", 1, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		ret = reply(conn, 500, "{}", 2, NULL);
	} else if (PQntuples(res) != 1) {
		ret = reply(conn, 404, "{}", 2, NULL);
	} else {
		snprintf(etag, sizeof(etag), "\"%s\"", PQgetvalue(res, 0, 0));
		ret = reply(conn, 200, PQgetvalue(res, 0, 1),
			    (size_t)PQgetlength(res, 0, 1), etag);
	}
	PQclear(res);
	return ret;
}

int
main(void)
{
	const char *port = getenv("FLOOR_PORT");
	const char *threads = getenv("FLOOR_THREADS");
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct MHD_Daemon *d;
	sigset_t set;
	int sig;

	conninfo = getenv("FLOOR_DATABASE_URL");
	if (conninfo == NULL)
		conninfo = "dbname=prfaq";
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Loopback only, like prfaqd's default PRFAQ_BIND. */
	addr.sin_port = htons((uint16_t)(port ? atoi(port) : 8081));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC,
			     (uint16_t)(port ? atoi(port) : 8081), NULL, NULL,
			     &on_request, NULL, MHD_OPTION_SOCK_ADDR,
			     (struct sockaddr *)&addr,
			     MHD_OPTION_THREAD_POOL_SIZE,
			     (unsigned)(threads ? atoi(threads) : 2),
			     MHD_OPTION_CONNECTION_LIMIT, 1024u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			     MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "floor: cannot listen\n");
		return 1;
	}
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
