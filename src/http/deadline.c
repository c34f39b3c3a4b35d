/*
 * deadline.c - a request, headers and body, must arrive within the
 * connection timeout (see http_internal.h).
 *
 * libmicrohttpd's connection timeout counts inactivity: a client that sends
 * one header byte a second (slowloris), or one body byte a second after
 * announcing a large Content-Length, is never idle and keeps its
 * connection, and the body buffered so far, for ever.  Here every
 * connection is tracked from the moment it opens, and again from each
 * reply: when the next request is not all in (headers and body) within the
 * timeout, a sweeper thread shuts the socket down, and libmicrohttpd,
 * finding it closed, closes the connection.  Time in which the client's
 * bytes wait unread in the kernel (the server's threads are all busy) is credited back to the client, up
 * to one more timeout: uncapped, a trickler whose byte happens to be
 * unread at a sweep (libmicrohttpd does not always read a lone body byte
 * at once) would restart its clock every time, and never be cut off.
 *
 * The socket is shut down, never closed, and only while the connection is
 * still registered, under the registry's lock: libmicrohttpd reports a
 * connection closed (MHD_CONNECTION_NOTIFY_CLOSED, which unregisters it)
 * before it closes the socket, so the descriptor cannot have been reused.
 *
 * The sweeper also knows when the last connection has gone: then, once per
 * burst of traffic, it hands the memory that the requests freed back to the
 * kernel (malloc_trim).  glibc keeps freed chunks in its per-thread arenas,
 * and 64 connections uploading 20 KB bodies at once left 2 MB resident for
 * good.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include "http_internal.h"
#include "prfaq/alloc.h"
#include "prfaq/log.h"

#define SWEEP_MS 250

struct tracked {
	struct deadline *d;
	MHD_socket fd;
	struct timespec since; /* opened, or last replied */
	bool waiting;	       /* for a request, headers and body */
	double credit;	       /* seconds the server was behind, capped */
	bool cut;	       /* shut down already */
	struct tracked *prev, *next;
};

struct deadline {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* on the monotonic clock; signalled on stop */
	pthread_t thread;
	bool stop;
	unsigned timeout_s;
	struct tracked *head;
	bool trim; /* connections came and went since the last trim */
};

static double
seconds_since(const struct timespec *t, const struct timespec *now)
{
	return (double)(now->tv_sec - t->tv_sec) +
	       (double)(now->tv_nsec - t->tv_nsec) / 1e9;
}

static void *
sweeper(void *arg)
{
	struct deadline *d = arg;
	struct timespec wake, now, prev;

	clock_gettime(CLOCK_MONOTONIC, &prev);
	pthread_mutex_lock(&d->mu);
	while (!d->stop) {
		unsigned cut = 0;

		clock_gettime(CLOCK_MONOTONIC, &wake);
		wake.tv_nsec += SWEEP_MS * 1000000L;
		if (wake.tv_nsec >= 1000000000L) {
			wake.tv_sec++;
			wake.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&d->cv, &d->mu, &wake);
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (struct tracked *t = d->head; t != NULL; t = t->next) {
			int unread = 0;

			if (!t->waiting || t->cut)
				continue;
			/*
			 * Bytes the server has not read yet: it is the one behind
			 * (its threads busy), not the client.  Count time from
			 * when it catches up.
			 */
			if (ioctl(t->fd, FIONREAD, &unread) == 0 &&
			    unread > 0) {
				t->credit += seconds_since(&prev, &now);
				if (t->credit > d->timeout_s)
					t->credit = d->timeout_s;
			}
			if (seconds_since(&t->since, &now) - t->credit <
			    d->timeout_s)
				continue;
			shutdown(t->fd, SHUT_RDWR);
			t->cut = true;
			cut++;
		}
		prev = now;
		if (cut > 0)
			log_info(NULL,
				 "closed %u connection(s) whose request "
				 "took over %us to arrive",
				 cut, d->timeout_s);
		if (d->head == NULL && d->trim) {
			d->trim = false;
			pthread_mutex_unlock(&d->mu);
			malloc_trim(0);
			pthread_mutex_lock(&d->mu);
		}
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

struct deadline *
deadline_new(unsigned timeout_s)
{
	struct deadline *d = prfaq_calloc(1, sizeof(*d));
	pthread_condattr_t attr;

	d->timeout_s = timeout_s;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (pthread_mutex_init(&d->mu, NULL) != 0) {
		pthread_condattr_destroy(&attr);
		free(d);
		return NULL;
	}
	if (pthread_cond_init(&d->cv, &attr) != 0) {
		pthread_condattr_destroy(&attr);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	pthread_condattr_destroy(&attr);
	if (pthread_create(&d->thread, NULL, sweeper, d) != 0) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	return d;
}

void
deadline_free(struct deadline *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = true;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	/* The daemon is stopped: every connection was reported closed. */
	while (d->head != NULL) {
		struct tracked *t = d->head;

		d->head = t->next;
		free(t);
	}
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
}

void
deadline_on_connection(void *cls, struct MHD_Connection *conn,
		       void **socket_context,
		       enum MHD_ConnectionNotificationCode toe)
{
	struct deadline *d = cls;
	struct tracked *t = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		/* Untracked (no descriptor): only the idle timeout applies. */
		if (ci == NULL)
			return;
		t = prfaq_calloc(1, sizeof(*t));
		t->d = d;
		t->fd = ci->connect_fd;
		t->waiting = true;
		clock_gettime(CLOCK_MONOTONIC, &t->since);
		pthread_mutex_lock(&d->mu);
		d->trim = true;
		t->next = d->head;
		if (d->head != NULL)
			d->head->prev = t;
		d->head = t;
		pthread_mutex_unlock(&d->mu);
		*socket_context = t;
		return;
	}
	if (t == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	if (t->prev != NULL)
		t->prev->next = t->next;
	else
		d->head = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	pthread_mutex_unlock(&d->mu);
	*socket_context = NULL;
	free(t);
}

/* The tracking record of conn, or NULL. */
static struct tracked *
tracked_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

void
deadline_request_in(struct MHD_Connection *conn)
{
	struct tracked *t = tracked_of(conn);

	if (t == NULL)
		return;
	pthread_mutex_lock(&t->d->mu);
	t->waiting = false;
	pthread_mutex_unlock(&t->d->mu);
}

void
deadline_replied(struct MHD_Connection *conn)
{
	struct tracked *t = tracked_of(conn);

	if (t == NULL)
		return;
	pthread_mutex_lock(&t->d->mu);
	t->waiting = true;
	t->credit = 0;
	clock_gettime(CLOCK_MONOTONIC, &t->since);
	pthread_mutex_unlock(&t->d->mu);
}
