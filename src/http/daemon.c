/*
 * daemon.c - the libmicrohttpd daemon: start it with the options that keep
 * it bounded (threads, connections, per-IP connections, timeouts, memory per
 * connection), and stop it gracefully.  What happens to each request is in
 * server.c; the callbacks registered here are its entry points.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_internal.h"
#include "prfaq/alloc.h"
#include "prfaq/config.h"
#include "prfaq/log.h"

/* libmicrohttpd's messages, as JSON log lines. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_warn(NULL, "libmicrohttpd: %s", msg);
}

/*
 * cfg->bind and cfg->port as a socket address in *addr; MHD_USE_IPv6 is
 * added to *flags for an IPv6 one.  False with a message when bind is not a
 * numeric address.
 */
static bool
bind_address(const struct prfaq_config *cfg, struct sockaddr_storage *addr,
	     unsigned *flags)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, cfg->bind,
		      &((struct sockaddr_in *)addr)->sin_addr) == 1) {
		((struct sockaddr_in *)addr)->sin_family = AF_INET;
		((struct sockaddr_in *)addr)->sin_port =
			htons((uint16_t)cfg->port);
	} else if (inet_pton(AF_INET6, cfg->bind,
			     &((struct sockaddr_in6 *)addr)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)addr)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)addr)->sin6_port =
			htons((uint16_t)cfg->port);
		*flags |= MHD_USE_IPv6;
	} else {
		log_error(NULL,
			  "PRFAQ_BIND=\"%s\" is not an IPv4 or IPv6 address",
			  cfg->bind);
		return false;
	}
	return true;
}

/*
 * Start listening (see include/prfaq/http.h).  The server borrows cfg, the
 * route table and app for its life; it owns its router, metrics, CORS
 * origins and connection deadline, freed by prfaq_server_stop().
 */
struct prfaq_server *
prfaq_server_start(const struct prfaq_config *cfg,
		   const struct prfaq_route *routes, size_t nroutes,
		   struct prfaq_app *app)
{
	struct prfaq_server *srv;
	struct sockaddr_storage addr;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			 MHD_USE_ITC;
	unsigned threads = cfg->threads;

	if (!bind_address(cfg, &addr, &flags))
		return NULL;
	if (threads == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cores > 0 ? (unsigned)cores : 1;
	}
	request_ids_init();

	srv = prfaq_calloc(1, sizeof(*srv));
	srv->cfg = cfg;
	srv->app = app;
	srv->routes = routes;
	srv->nroutes = nroutes;
	srv->router = router_new(routes, nroutes);
	srv->metrics = metrics_new(routes, nroutes);
	srv->cors_origins = cors_origins_parse(cfg->cors_origins);
	srv->deadline = deadline_new(cfg->conn_timeout_s);
	if (srv->router == NULL || srv->metrics == NULL ||
	    srv->cors_origins == NULL || srv->deadline == NULL)
		goto fail;

	srv->daemon = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, &request_on_access, srv,
		/* First, so that even warnings about later options are JSON. */
		MHD_OPTION_EXTERNAL_LOGGER, &on_mhd_log, srv,
		MHD_OPTION_URI_LOG_CALLBACK, &request_on_uri, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, cfg->conn_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_conn_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory_limit,
		MHD_OPTION_NOTIFY_COMPLETED, &request_on_completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, &deadline_on_connection,
		srv->deadline, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		log_error(NULL, "cannot listen on %s:%u (%s)", cfg->bind,
			  cfg->port, strerror(errno));
		goto fail;
	}
	log_info(NULL, "listening on %s:%u with %u threads", cfg->bind,
		 cfg->port, threads);
	return srv;
fail:
	router_free(srv->router);
	metrics_free(srv->metrics);
	cors_origins_free(srv->cors_origins);
	deadline_free(srv->deadline);
	free(srv);
	return NULL;
}

void
prfaq_server_drain(struct prfaq_server *srv)
{
	__atomic_store_n(&srv->draining, 1, __ATOMIC_RELAXED);
}

bool
prfaq_server_draining(const struct prfaq_server *srv)
{
	return __atomic_load_n(&srv->draining, __ATOMIC_RELAXED) != 0;
}

/*
 * Quiesce, wait (polling every 10 ms, at most timeout_s) for the requests in
 * flight to complete, then stop the daemon and free the server.
 */
void
prfaq_server_stop(struct prfaq_server *srv, unsigned timeout_s)
{
	struct timespec start, now;
	MHD_socket fd;

	if (srv == NULL)
		return;
	/*
	 * Stop accepting; connections already open carry on. The listening
	 * socket comes back to us, but each worker thread takes it out of its
	 * own epoll set only when it next wakes, so closing it here would race
	 * with their epoll_ctl(EPOLL_CTL_DEL) (ThreadSanitizer saw it).
	 * shutdown() stops the listening at once (Linux resets new connection
	 * attempts, so a load balancer moves on) without releasing the
	 * descriptor; it is closed once MHD_stop_daemon() has joined them.
	 */
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		(void)shutdown(fd, SHUT_RDWR);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (__atomic_load_n(&srv->inflight, __ATOMIC_RELAXED) > 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)timeout_s) {
			log_warn(
				NULL,
				"shutdown: %d requests still in flight after %us",
				__atomic_load_n(&srv->inflight,
						__ATOMIC_RELAXED),
				timeout_s);
			break;
		}
		usleep(10000);
	}
	MHD_stop_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	deadline_free(srv->deadline);
	router_free(srv->router);
	metrics_free(srv->metrics);
	cors_origins_free(srv->cors_origins);
	free(srv);
}

int
prfaq_server_metrics(struct prfaq_server *srv, struct prfaq_buf *out)
{
	if (metrics_render(srv->metrics, out) != 0)
		return -1;
	return metrics_render_evidence(out);
}
