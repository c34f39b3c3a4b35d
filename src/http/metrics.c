/*
 * metrics.c - request counters and latency histograms per route, kept in
 * relaxed atomics (no lock on the request path), rendered as Prometheus text.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "http_internal.h"
#include "prfaq/alloc.h"

/* The statuses prfaqd answers with get their own counter; others share one. */
static const int tracked_status[] = {
	200, 201, 204, 304, 400, 401, 403, 404, 405, 406,
	409, 412, 413, 415, 422, 428, 431, 500, 503,
};
#define NSTATUS (sizeof(tracked_status) / sizeof(tracked_status[0]) + 1)

static const double buckets[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_metrics {
	atomic_uint_fast64_t status[NSTATUS];
	atomic_uint_fast64_t bucket[NBUCKETS + 1]; /* last: +Inf */
	atomic_uint_fast64_t sum_us;
};

struct metrics {
	const struct prfaq_route *routes;
	size_t n; /* routes; slot n is "unmatched" */
	struct route_metrics *per_route;
};

struct metrics *
metrics_new(const struct prfaq_route *routes, size_t n)
{
	struct metrics *m = prfaq_calloc(1, sizeof(*m));

	m->per_route = prfaq_calloc(n + 1, sizeof(*m->per_route));
	m->routes = routes;
	m->n = n;
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	free(m->per_route);
	free(m);
}

static size_t
status_slot(int status)
{
	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (tracked_status[i] == status)
			return i;
	return NSTATUS - 1;
}

void
metrics_observe(struct metrics *m, size_t route_index, int status,
		double seconds)
{
	struct route_metrics *rm;
	size_t b = 0;

	if (route_index > m->n)
		route_index = m->n;
	rm = &m->per_route[route_index];
	atomic_fetch_add_explicit(&rm->status[status_slot(status)], 1,
				  memory_order_relaxed);
	while (b < NBUCKETS && seconds > buckets[b])
		b++;
	atomic_fetch_add_explicit(&rm->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&rm->sum_us, (uint_fast64_t)(seconds * 1e6),
				  memory_order_relaxed);
}

static const char *
method_label(enum prfaq_method m)
{
	switch (m) {
	case PRFAQ_GET:
		return "GET";
	case PRFAQ_HEAD:
		return "HEAD";
	case PRFAQ_POST:
		return "POST";
	case PRFAQ_PUT:
		return "PUT";
	case PRFAQ_PATCH:
		return "PATCH";
	case PRFAQ_DELETE:
		return "DELETE";
	case PRFAQ_OPTIONS:
		return "OPTIONS";
	}
	return "OTHER";
}

int
metrics_render(struct metrics *m, struct prfaq_buf *out)
{
	int rc = 0;

	rc |= prfaq_buf_puts(
		out,
		"# HELP prfaqd_http_requests_total HTTP requests by route and status.\n"
		"# TYPE prfaqd_http_requests_total counter\n");
	for (size_t r = 0; r <= m->n; r++) {
		struct route_metrics *rm = &m->per_route[r];
		const char *route = r < m->n ? m->routes[r].pattern :
					       "unmatched";
		const char *method =
			r < m->n ? method_label(m->routes[r].method) : "";

		for (size_t s = 0; s < NSTATUS; s++) {
			uint_fast64_t v = atomic_load_explicit(
				&rm->status[s], memory_order_relaxed);
			if (v == 0)
				continue;
			if (s < NSTATUS - 1)
				rc |= prfaq_buf_printf(
					out,
					"prfaqd_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
					method, route, tracked_status[s],
					(unsigned long long)v);
			else
				rc |= prfaq_buf_printf(
					out,
					"prfaqd_http_requests_total{method=\"%s\",route=\"%s\",status=\"other\"} %llu\n",
					method, route, (unsigned long long)v);
		}
	}
	rc |= prfaq_buf_puts(
		out,
		"# HELP prfaqd_http_request_duration_seconds Time from request arrival to response completion.\n"
		"# TYPE prfaqd_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= m->n; r++) {
		struct route_metrics *rm = &m->per_route[r];
		const char *route = r < m->n ? m->routes[r].pattern :
					       "unmatched";
		const char *method =
			r < m->n ? method_label(m->routes[r].method) : "";
		uint_fast64_t cum = 0;

		for (size_t b = 0; b <= NBUCKETS; b++)
			cum += atomic_load_explicit(&rm->bucket[b],
						    memory_order_relaxed);
		if (cum == 0)
			continue;
		cum = 0;
		for (size_t b = 0; b <= NBUCKETS; b++) {
			cum += atomic_load_explicit(&rm->bucket[b],
						    memory_order_relaxed);
			if (b < NBUCKETS)
				rc |= prfaq_buf_printf(
					out,
					"prfaqd_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %llu\n",
					method, route, buckets[b],
					(unsigned long long)cum);
			else
				rc |= prfaq_buf_printf(
					out,
					"prfaqd_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n",
					method, route, (unsigned long long)cum);
		}
		rc |= prfaq_buf_printf(
			out,
			"prfaqd_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
			"prfaqd_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
			method, route,
			(double)atomic_load_explicit(&rm->sum_us,
						     memory_order_relaxed) /
				1e6,
			method, route, (unsigned long long)cum);
	}
	return rc ? -1 : 0;
}

/* --- the voice of the customer ------------------------------------------ */

static atomic_uint_fast64_t evidence_counters[PRFAQ_EVIDENCE_COUNTERS_];

void
prfaq_metrics_evidence(enum prfaq_evidence_counter c, unsigned long n)
{
	if ((unsigned)c < PRFAQ_EVIDENCE_COUNTERS_)
		atomic_fetch_add_explicit(&evidence_counters[c], n,
					  memory_order_relaxed);
}

static unsigned long long
evidence_get(enum prfaq_evidence_counter c)
{
	return (unsigned long long)atomic_load_explicit(&evidence_counters[c],
							memory_order_relaxed);
}

/*
 * The evidence counters as Prometheus text: every series always present
 * (at 0 too), so a rate() over a fresh process has a starting point.
 */
int
metrics_render_evidence(struct prfaq_buf *out)
{
	int rc = 0;

	rc |= prfaq_buf_printf(
		out,
		"# HELP prfaqd_evidence_created_total Evidence items recorded one at a time (POST /v1/evidence).\n"
		"# TYPE prfaqd_evidence_created_total counter\n"
		"prfaqd_evidence_created_total %llu\n",
		evidence_get(PRFAQ_EVIDENCE_CREATED));
	rc |= prfaq_buf_printf(
		out,
		"# HELP prfaqd_evidence_imported_total Lines of evidence imports written, by what they did.\n"
		"# TYPE prfaqd_evidence_imported_total counter\n"
		"prfaqd_evidence_imported_total{outcome=\"created\"} %llu\n"
		"prfaqd_evidence_imported_total{outcome=\"updated\"} %llu\n"
		"prfaqd_evidence_imported_total{outcome=\"unchanged\"} %llu\n",
		evidence_get(PRFAQ_EVIDENCE_IMPORT_CREATED),
		evidence_get(PRFAQ_EVIDENCE_IMPORT_UPDATED),
		evidence_get(PRFAQ_EVIDENCE_IMPORT_UNCHANGED));
	rc |= prfaq_buf_printf(
		out,
		"# HELP prfaqd_evidence_imports_total Evidence imports (POST /v1/evidence/import): written, or rejected for a bad line.\n"
		"# TYPE prfaqd_evidence_imports_total counter\n"
		"prfaqd_evidence_imports_total{result=\"written\"} %llu\n"
		"prfaqd_evidence_imports_total{result=\"rejected\"} %llu\n",
		evidence_get(PRFAQ_EVIDENCE_IMPORTS),
		evidence_get(PRFAQ_EVIDENCE_IMPORTS_REJECTED));
	rc |= prfaq_buf_printf(
		out,
		"# HELP prfaqd_evidence_links_total Links between PR/FAQs and evidence, made and removed.\n"
		"# TYPE prfaqd_evidence_links_total counter\n"
		"prfaqd_evidence_links_total{op=\"linked\"} %llu\n"
		"prfaqd_evidence_links_total{op=\"unlinked\"} %llu\n",
		evidence_get(PRFAQ_EVIDENCE_LINKED),
		evidence_get(PRFAQ_EVIDENCE_UNLINKED));
	return rc ? -1 : 0;
}
