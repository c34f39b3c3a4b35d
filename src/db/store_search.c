/*
 * store_search.c - the PR/FAQ list: filters, keyset pages, and full-text
 * search with its bounded candidate set, timeout and concurrency cap (see
 * prfaq/store.h, prfaq_store_prfaq_list).  Split from store_prfaqs.c, which
 * keeps the writes, versions and audit trail.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prfaq/buf.h"
#include "prfaq/json.h"
#include "store_internal.h"

/* clang-format off */
#define SUMMARY_JSON \
	"json_build_object('id', p.id, 'title', p.title, 'team', p.team," \
	" 'tags', p.tags, 'status', p.status," \
	" 'owner', json_build_object('id', u.id, 'name', u.name)," \
	" 'version', p.version," \
	" 'quality', json_build_object('score', p.quality->'score')," \
	" 'updated_at', rfc3339(p.updated_at))::text"

#define LIST_FILTERS \
	" ($1::text IS NULL OR p.status = $1)" \
	" AND ($2::uuid IS NULL OR p.owner_id = $2::uuid)" \
	" AND ($3::text IS NULL OR p.team = $3)" \
	" AND ($4::text IS NULL OR p.tags @> ARRAY[$4::text])"

static const struct db_stmt stmt_list = {
	"prfaq_list",
	"SELECT " SUMMARY_JSON ","
	"       (extract(epoch FROM p.updated_at) * 1000000)::bigint::text, p.id::text"
	"  FROM prfaqs p JOIN users u ON u.id = p.owner_id"
	" WHERE " LIST_FILTERS
	"   AND ($5::bigint IS NULL OR (p.updated_at, p.id) <"
	"        ('epoch'::timestamptz + $5::bigint * interval '1 microsecond', $6::uuid))"
	" ORDER BY p.updated_at DESC, p.id DESC LIMIT $7::int + 1", 7
};

/*
 * reviewer= and awaiting= inside a search (parameters r and a), where the
 * full-text candidates bound the rows: "pending" is no review by that user
 * of the current version, the rule of the document's reviewers[].state.
 */
#define REVIEWER_FILTERS(r, a) \
	" AND (" r "::uuid IS NULL OR EXISTS (SELECT 1 FROM prfaq_reviewers rv" \
	"      WHERE rv.prfaq_id = p.id AND rv.user_id = " r "::uuid))" \
	" AND (" a "::uuid IS NULL OR (p.status = 'in_review'" \
	"      AND EXISTS (SELECT 1 FROM prfaq_reviewers rv" \
	"          WHERE rv.prfaq_id = p.id AND rv.user_id = " a "::uuid)" \
	"      AND NOT EXISTS (SELECT 1 FROM reviews rw" \
	"          WHERE rw.reviewer_id = " a "::uuid AND rw.prfaq_id = p.id" \
	"            AND rw.version = p.version)))"

/*
 * The lists of one user's requests (reviewer= or awaiting=) start from
 * that user's rows of prfaq_reviewers ($5), so their cost is that user's
 * requests, not the table: a filter over the updated_at index walks every
 * row when the user has few.  OFFSET 0 keeps the lateral subquery from
 * being flattened, so each request is one primary-key lookup rather than a
 * hash join over every PR/FAQ (which the planner prefers at 1,000 rows).
 */
#define MINE_FROM \
	"  FROM prfaq_reviewers rq" \
	"  CROSS JOIN LATERAL (SELECT * FROM prfaqs p" \
	"                       WHERE p.id = rq.prfaq_id OFFSET 0) p" \
	"  JOIN users u ON u.id = p.owner_id" \
	" WHERE rq.user_id = $5::uuid AND " LIST_FILTERS

static const struct db_stmt stmt_list_requested = {
	"prfaq_list_requested",
	"SELECT " SUMMARY_JSON ","
	"       (extract(epoch FROM p.updated_at) * 1000000)::bigint::text, p.id::text"
	MINE_FROM
	"   AND ($6::bigint IS NULL OR (p.updated_at, p.id) <"
	"        ('epoch'::timestamptz + $6::bigint * interval '1 microsecond', $7::uuid))"
	" ORDER BY p.updated_at DESC, p.id DESC LIMIT $8::int + 1", 8
};

/*
 * awaiting=: in_review and no review by the user of the current version
 * (an anti-join on reviews_reviewer_idx); $6 a reviewer= that must also be
 * requested, or NULL.
 */
static const struct db_stmt stmt_list_awaiting = {
	"prfaq_list_awaiting",
	"SELECT " SUMMARY_JSON ","
	"       (extract(epoch FROM p.updated_at) * 1000000)::bigint::text, p.id::text"
	MINE_FROM
	"   AND p.status = 'in_review' AND NOT EXISTS (SELECT 1 FROM reviews rw"
	"        WHERE rw.reviewer_id = $5::uuid AND rw.prfaq_id = p.id"
	"          AND rw.version = p.version)"
	"   AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM prfaq_reviewers rv"
	"        WHERE rv.prfaq_id = p.id AND rv.user_id = $6::uuid))"
	"   AND ($7::bigint IS NULL OR (p.updated_at, p.id) <"
	"        ('epoch'::timestamptz + $7::bigint * interval '1 microsecond', $8::uuid))"
	" ORDER BY p.updated_at DESC, p.id DESC LIMIT $9::int + 1", 9
};

/*
 * sort=evidence: most linked customer evidence first, keyset (links, id).
 * Two index walks, merged: the linked PR/FAQs in prfaq_evidence_counts'
 * (links DESC, prfaq_id DESC) order (migrations/0014), then the unlinked
 * (links 0) by id DESC.  A cursor in the linked part takes every unlinked
 * one after it; each walk stops after a page, whatever the library's size.
 */
static const struct db_stmt stmt_list_evidence = {
	"prfaq_list_evidence",
	"SELECT " SUMMARY_JSON ", x.links::text, p.id::text"
	"  FROM ((SELECT c.prfaq_id AS id, c.links"
	"           FROM prfaq_evidence_counts c JOIN prfaqs p ON p.id = c.prfaq_id"
	"          WHERE " LIST_FILTERS
	"            AND ($5::bigint IS NULL OR (c.links, c.prfaq_id) < ($5::bigint, $6::uuid))"
	"          ORDER BY c.links DESC, c.prfaq_id DESC LIMIT $7::int + 1)"
	"        UNION ALL"
	"        (SELECT p.id, 0 FROM prfaqs p"
	"          WHERE " LIST_FILTERS
	"            AND NOT EXISTS (SELECT 1 FROM prfaq_evidence_counts c"
	"                             WHERE c.prfaq_id = p.id)"
	"            AND ($5::bigint IS NULL OR $5::bigint > 0 OR p.id < $6::uuid)"
	"          ORDER BY p.id DESC LIMIT $7::int + 1)) x"
	"  JOIN prfaqs p ON p.id = x.id JOIN users u ON u.id = p.owner_id"
	" ORDER BY x.links DESC, x.id DESC LIMIT $7::int + 1", 7
};
/* clang-format on */

/*
 * Search, bounded for every query shape (migrations/0005, README
 * "Search").  The query q is websearch syntax plus prefixes (word*), read
 * by search_split() into words (websearch_to_tsquery) and prefixes
 * (to_tsquery with :*), which stmt_search_terms makes the tsquery $5 once
 * (a parser call per row would cost 15 ms a search).  Its "loose" form
 * ($6) is what the GIN index answers without reading a vector: querytree()
 * drops negations, and phrases become AND.  Of the documents matching the
 * loose form, the SEARCH_CANDIDATES most recently updated are candidates;
 * only those are checked against the exact query ($7 true: a phrase or
 * negation needs the full vector, from TOAST) and ranked by search_head,
 * and only the page's rows are joined to their owners.  The candidates are
 * ids, chosen and sorted first (a top-1,000 sort of whole rows copies a
 * kilobyte and a half each), then each is looked up by its primary key:
 * OFFSET 0 keeps that lookup a lookup, so the exact check reads only the
 * candidates' vectors, never the whole table's.
 * Not prepared: planned for each query's words, since the best plan for a
 * rare word (the GIN index) is not the one for a word in every document (the
 * updated_at index, stopping after SEARCH_CANDIDATES).
 */
#define SEARCH_CANDIDATES   "1000"
#define SEARCH_CANDIDATES_N 1000
#define SEARCH_WORK_MEM	    "16MB"
#define SEARCH_FULL(w, p)                                       \
	"coalesce(websearch_to_tsquery('english', " w "::text)" \
	" && to_tsquery('english', " p "::text),"               \
	" websearch_to_tsquery('english', " w "::text),"        \
	" to_tsquery('english', " p "::text))"

/* clang-format off */
/*
 * The candidates, newest first; window: more of the WHERE clause, or "";
 * order: how the newest first are found (SEARCH_NEWEST or SEARCH_NO_WALK).
 */
#define SEARCH_CANDIDATES_OF(window, order) \
	"SELECT p.id FROM prfaqs p" \
	" WHERE p.search @@ $6::tsquery AND " LIST_FILTERS \
	REVIEWER_FILTERS("$8", "$9") window \
	" ORDER BY " order " DESC, p.id DESC LIMIT " SEARCH_CANDIDATES
#define SEARCH_NEWEST "p.updated_at"
/* The same order, which the updated_at index cannot give (see below). */
#define SEARCH_NO_WALK "(p.updated_at + interval '0')"

/*
 * The candidates (the ids that query c returns) ranked, and one page of
 * them from the cursor (a, b).
 */
#define SEARCH_PAGE(c, a, b, limit) \
	"SELECT " SUMMARY_JSON ", p.rank::text, p.id::text" \
	"  FROM (SELECT p.id, p.title, p.team, p.tags, p.status, p.owner_id," \
	"               p.version, p.quality, p.updated_at, r.rank" \
	"          FROM (" c ") c" \
	"         CROSS JOIN LATERAL (SELECT * FROM prfaqs p" \
	"                              WHERE p.id = c.id OFFSET 0) p" \
	"         CROSS JOIN LATERAL (SELECT ts_rank(p.search_head, $5::tsquery) AS rank) r" \
	"         WHERE (NOT $7::bool OR p.search @@ $5::tsquery)" \
	"           AND (" a "::real IS NULL OR (r.rank, p.id) < (" a "::real, " b "::uuid))" \
	"         ORDER BY r.rank DESC, p.id DESC LIMIT " limit "::int + 1) p" \
	"  JOIN users u ON u.id = p.owner_id" \
	" ORDER BY p.rank DESC, p.id DESC"

static const struct db_stmt stmt_search = {
	NULL,
	SEARCH_PAGE(SEARCH_CANDIDATES_OF("", SEARCH_NEWEST), "$10", "$11", "$12"),
	12
};

/*
 * The same search in a large library, first among the newest documents:
 * those last updated on one of the days $10 (an int[] of prfaq_day()s,
 * from the day PRFAQ_SEARCH_WINDOW documents back to today, built by
 * search_window_days()).  A word in one document of 25 is 40,000 matches
 * in a million.  Walking the updated_at index until 1,000 of them turn up
 * reads 25,000 vectors from TOAST (170 ms with every page in memory), and
 * reading all 40,000 rows the GIN index finds costs 115 ms.  The search
 * index also holds each document's day (migrations/0015), so one scan of
 * it finds the documents with both the words and a recent day, and only
 * those rows are read: 2,000 rows and about 20 ms (README, "Scaling").
 *
 * The days are whole, so the window is every document updated after some
 * moment: when it holds SEARCH_CANDIDATES matches, they are exactly the
 * candidates of the whole library, since every match outside it is older.
 * When it holds fewer, the second branch searches the whole library.  Each
 * branch's uncorrelated count is a one-time filter, so the branch not
 * taken is never executed, and the answer is stmt_search's for any days.
 * The second branch's order hides the updated_at index from the planner:
 * fewer than 1,000 matches among the newest PRFAQ_SEARCH_WINDOW documents
 * means a walk from the newest would read more vectors than that, so the
 * rows the GIN index finds are read instead, and sorted.
 */
static const struct db_stmt stmt_search_window = {
	NULL,
	SEARCH_PAGE("WITH w AS MATERIALIZED ("
		    SEARCH_CANDIDATES_OF(" AND ARRAY[prfaq_day(p.updated_at)] && $10::int[]",
					 SEARCH_NEWEST) ")"
		    " SELECT * FROM w"
		    "  WHERE (SELECT count(*) FROM w) >= " SEARCH_CANDIDATES
		    " UNION ALL"
		    " SELECT * FROM (" SEARCH_CANDIDATES_OF("", SEARCH_NO_WALK) ") a"
		    "  WHERE (SELECT count(*) FROM w) < " SEARCH_CANDIDATES,
		    "$11", "$12", "$13"),
	13
};

/*
 * Where the window starts: the day of the document $1 places back from
 * the newest; and the last day a document has now, or today if later.  No
 * row when the library (as last analysed) is smaller than twice the
 * window, which would then hold most of it and save nothing.
 */
static const struct db_stmt stmt_search_cutoff = {
	"prfaq_search_cutoff",
	"SELECT prfaq_day(s.updated_at)::text,"
	"       greatest(prfaq_day((SELECT max(updated_at) FROM prfaqs)),"
	"                prfaq_day(now()))::text"
	"  FROM (SELECT updated_at FROM prfaqs"
	"         ORDER BY updated_at DESC, id DESC OFFSET $1::int LIMIT 1) s"
	" WHERE (SELECT reltuples FROM pg_class"
	"         WHERE oid = 'prfaqs'::regclass) >= 2 * ($1::int + 1)", 1
};

/*
 * The query's indexable part: 'T' when nothing is (only negations), ''
 * when it has no words (stop words only); the loose form; whether the exact
 * query says more than the loose form (a phrase, a negation); the exact
 * query.  In the same round trip, the search's own settings for the rest
 * of its transaction ($3 its timeout): the memory a bitmap of matches may
 * take before it turns lossy (a lossy bitmap page sends every row on it
 * back to its vector, in TOAST); no parallel workers, whose start costs
 * more than a bounded search (a Gather took 145 ms to find a common word's
 * 1,000 newest at a million); and no JIT (also a session default,
 * src/db/pool.c, which a conninfo's own options replace): the estimate of
 * the branch of stmt_search_window that never runs still counts towards
 * jit_above_cost, and compiling took 10 ms of a 20 ms search.
 */
static const struct db_stmt stmt_search_terms = {
	"prfaq_search_terms",
	"SELECT t, regexp_replace(t, '<(-|[0-9]+)>', '&', 'g'),"
	"       regexp_replace(t, '<(-|[0-9]+)>', '&', 'g') <> q::text, q::text,"
	"       set_config('statement_timeout', $3, true),"
	"       set_config('work_mem', '" SEARCH_WORK_MEM "', true),"
	"       set_config('max_parallel_workers_per_gather', '0', true),"
	"       set_config('jit', 'off', true)"
	"  FROM (SELECT querytree(q) AS t, q FROM (SELECT " SEARCH_FULL("$1", "$2") " AS q) a) b", 3
};
/* clang-format on */

static const struct store_list list_prfaqs = {
	&stmt_list,	   4,	 2,   { STORE_KEY_INT, STORE_KEY_UUID },
	STORE_PARENT_NONE, NULL, NULL
};

/* The four filters, then the requested user. */
static const struct store_list list_requested = {
	&stmt_list_requested, 5,    2,	 { STORE_KEY_INT, STORE_KEY_UUID },
	STORE_PARENT_NONE,    NULL, NULL
};

/* The four filters, the awaiting user, then reviewer= or NULL. */
static const struct store_list list_awaiting = {
	&stmt_list_awaiting, 6,	   2,	{ STORE_KEY_INT, STORE_KEY_UUID },
	STORE_PARENT_NONE,   NULL, NULL
};

static const struct store_list list_prfaqs_evidence = {
	&stmt_list_evidence, 4,	   2,	{ STORE_KEY_INT, STORE_KEY_UUID },
	STORE_PARENT_NONE,   NULL, NULL
};

/*
 * The search's key is its rank: the filters, the query ($5 to $7), then
 * reviewer= ($8) and awaiting= ($9).
 */
static const struct store_list list_search = {
	&stmt_search,	   9,	 2,   { STORE_KEY_REAL, STORE_KEY_UUID },
	STORE_PARENT_NONE, NULL, NULL
};

/* The same, then the window's days ($10). */
static const struct store_list list_search_window = {
	&stmt_search_window, 10,   2,	{ STORE_KEY_REAL, STORE_KEY_UUID },
	STORE_PARENT_NONE,   NULL, NULL
};

/*
 * The search's own limits, read once from the environment (README,
 * "Configuration"): its statement timeout, a backstop that answers 422
 * rather than hold a worker; and how many searches run at once, so that
 * searches leave pool connections to every other request.
 */
#define SEARCH_TIMEOUT_MS_DEFAULT 2000
#define SEARCH_WAIT_MS		  1000
#define SEARCH_WINDOW_DEFAULT	  50000
#define SEARCH_CUTOFF_TTL_S	  60

static pthread_once_t search_once = PTHREAD_ONCE_INIT;
static unsigned search_timeout_ms = SEARCH_TIMEOUT_MS_DEFAULT;
static unsigned search_max;			       /* 0: pool size - 1 */
static unsigned search_window = SEARCH_WINDOW_DEFAULT; /* 0: none */
static pthread_mutex_t search_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t search_cv;
static unsigned search_running;

static unsigned
env_uint(const char *name, unsigned dflt, unsigned lo, unsigned hi)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (v == NULL || *v == '\0')
		return dflt;
	n = strtoul(v, &end, 10);
	if (*end != '\0' || n < lo || n > hi)
		return dflt;
	return (unsigned)n;
}

static void
search_init(void)
{
	pthread_condattr_t attr;

	search_timeout_ms = env_uint("PRFAQ_SEARCH_TIMEOUT_MS",
				     SEARCH_TIMEOUT_MS_DEFAULT, 1, 600000);
	search_max = env_uint("PRFAQ_SEARCH_CONCURRENCY", 0, 1, 1000);
	search_window = env_uint("PRFAQ_SEARCH_WINDOW", SEARCH_WINDOW_DEFAULT,
				 0, 100000000);
	/* A window holds the candidates only if it can hold all of them. */
	if (search_window != 0 && search_window < SEARCH_CANDIDATES_N)
		search_window = SEARCH_CANDIDATES_N;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&search_cv, &attr);
	pthread_condattr_destroy(&attr);
}

/*
 * Take one of the search slots: at most PRFAQ_SEARCH_CONCURRENCY searches
 * (by default the pool's size less one, at least one) hold a connection at
 * once.  A search that finds none free within SEARCH_WAIT_MS is
 * PRFAQ_EUNAVAILABLE (503, retry), and every other request still finds a
 * connection.
 */
static prfaq_code
search_enter(struct prfaq_db_ctx db, struct prfaq_error *err)
{
	unsigned size = db_pool_size(db.pool);
	unsigned max = search_max != 0 ? search_max : size > 1 ? size - 1 : 1;
	struct timespec deadline;
	prfaq_code rc = PRFAQ_OK;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += (long)SEARCH_WAIT_MS * 1000000L;
	deadline.tv_sec += deadline.tv_nsec / 1000000000L;
	deadline.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&search_mu);
	while (search_running >= max) {
		if (pthread_cond_timedwait(&search_cv, &search_mu, &deadline) ==
		    ETIMEDOUT) {
			rc = prfaq_error_set(
				err, PRFAQ_EUNAVAILABLE,
				"Too many searches at once; retry shortly");
			goto out;
		}
	}
	search_running++;
out:
	pthread_mutex_unlock(&search_mu);
	return rc;
}

static void
search_leave(void)
{
	pthread_mutex_lock(&search_mu);
	search_running--;
	pthread_cond_signal(&search_cv);
	pthread_mutex_unlock(&search_mu);
}

/*
 * The window (stmt_search_window), kept for SEARCH_CUTOFF_TTL_S by the
 * process: finding where it starts walks PRFAQ_SEARCH_WINDOW entries of
 * the updated_at index (6 ms for 50,000), too much for every search, and a
 * stale start costs nothing but speed, since any window gives the same
 * answer.  Documents are never deleted, so the window only grows until the
 * next refresh.  Its end moves on with the clock (search_window_days()),
 * so that a document written since is in it.
 */
static pthread_mutex_t window_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool known;	   /* a window: the library is large enough */
	long first, last;  /* prfaq_day()s */
	time_t fetched_at; /* CLOCK_MONOTONIC seconds; 0: never */
} window;

/* Longer than this, a window's day list costs more than it saves. */
#define SEARCH_WINDOW_DAYS_MAX 3660

static time_t
monotonic_s(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec;
}

/*
 * The window's days as an int[] literal into *days ("{20400,20401}"), or
 * nothing (days->len 0) when there is no window; refreshed on conn when
 * older than SEARCH_CUTOFF_TTL_S.  Two searches may both refresh it; the
 * later write wins, and either is right.
 */
static prfaq_code
search_window_days(struct db_conn *conn, struct prfaq_buf *days,
		   struct prfaq_error *err)
{
	char offset[16];
	const char *params[1] = { offset };
	PGresult *res = NULL;
	time_t now = monotonic_s();
	long first = 0, last = 0;
	bool known;
	prfaq_code rc;

	if (search_window == 0)
		return PRFAQ_OK;
	pthread_mutex_lock(&window_mu);
	known = window.known;
	first = window.first;
	last = window.last;
	if (window.fetched_at == 0 ||
	    now - window.fetched_at >= SEARCH_CUTOFF_TTL_S) {
		pthread_mutex_unlock(&window_mu);
		snprintf(offset, sizeof(offset), "%u", search_window - 1);
		if ((rc = db_exec(conn, &stmt_search_cutoff, params, &res,
				  err)) != PRFAQ_OK)
			return rc;
		known = PQntuples(res) == 1;
		if (known) {
			first = strtol(PQgetvalue(res, 0, 0), NULL, 10);
			last = strtol(PQgetvalue(res, 0, 1), NULL, 10);
		}
		PQclear(res);
		pthread_mutex_lock(&window_mu);
		window.known = known;
		window.first = first;
		window.last = last;
		window.fetched_at = now;
	}
	/* Today may have turned since: a day ahead for every day gone. */
	last += 1 + (long)(now - window.fetched_at) / 86400;
	pthread_mutex_unlock(&window_mu);
	if (!known || last < first || last - first >= SEARCH_WINDOW_DAYS_MAX)
		return PRFAQ_OK;
	prfaq_buf_putc(days, '{');
	for (long d = first; d <= last; d++)
		prfaq_buf_printf(days, d < last ? "%ld," : "%ld}", d);
	return PRFAQ_OK;
}

/* A prefix term: letters and digits (any non-ASCII byte counts as one). */
static bool
prefix_ok(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80 && !isalnum(c))
			return false;
	}
	return true;
}

/*
 * Split q into its websearch words (*words, q less its prefix terms) and
 * its prefixes (*prefixes, to_tsquery text: "refun:* & !wal:*"), both NULL
 * when empty and both owned by the caller (free()).  A prefix term is a
 * word of letters and digits ending in '*', outside quotes, negated by a
 * leading '-'; anything else stays with the words, where websearch reads a
 * '*' as punctuation.
 */
static void
search_split(const char *q, char **words, char **prefixes)
{
	struct prfaq_buf w = PRFAQ_BUF_INIT, p = PRFAQ_BUF_INIT;
	bool quoted = false;
	const char *s = q;

	while (*s != '\0') {
		size_t n = strcspn(s, " \t\r\n\"");
		const char *t = s;
		bool neg = false;

		if (n == 0) {
			if (*s == '"')
				quoted = !quoted;
			prfaq_buf_putc(&w, *s++);
			continue;
		}
		if (*t == '-') {
			neg = true;
			t++;
		}
		if (!quoted && n >= 2 && s[n - 1] == '*' &&
		    prefix_ok(t, (size_t)(s + n - 1 - t))) {
			if (p.len > 0)
				prfaq_buf_puts(&p, " & ");
			if (neg)
				prfaq_buf_putc(&p, '!');
			prfaq_buf_append(&p, t, (size_t)(s + n - 1 - t));
			prfaq_buf_puts(&p, ":*");
		} else {
			prfaq_buf_append(&w, s, n);
		}
		s += n;
	}
	*words = NULL;
	*prefixes = NULL;
	if (strspn(w.data != NULL ? w.data : "", " \t\r\n\"") < w.len)
		*words = prfaq_buf_steal(&w, NULL);
	if (p.len > 0)
		*prefixes = prfaq_buf_steal(&p, NULL);
	prfaq_buf_free(&w);
	prfaq_buf_free(&p);
}

struct search_tx {
	const struct prfaq_list_query *q;
	const struct prfaq_page_req *page;
	struct prfaq_page *out;
	bool too_broad; /* the search timed out */
};

/*
 * Inside the search's transaction: the query's terms and, in the same
 * round trip, its own short timeout and settings (set_config(..., true),
 * that is SET LOCAL: they end with the transaction and work behind a
 * transaction-pooling PgBouncer); then the page.
 */
static prfaq_code
search_in_tx(struct db_conn *conn, void *arg, struct prfaq_error *err)
{
	struct search_tx *t = arg;
	const struct prfaq_list_query *q = t->q;
	char *words = NULL, *prefixes = NULL;
	char timeout[16];
	struct prfaq_buf days = PRFAQ_BUF_INIT;
	PGresult *res = NULL;
	const char *filters[10];
	const char *terms[3];
	prfaq_code rc;

	snprintf(timeout, sizeof(timeout), "%u", search_timeout_ms);
	search_split(q->q, &words, &prefixes);
	terms[0] = words;
	terms[1] = prefixes;
	terms[2] = timeout;
	if (words == NULL && prefixes == NULL)
		terms[0] = q->q;
	if ((rc = db_exec(conn, &stmt_search_terms, terms, &res, err)) !=
	    PRFAQ_OK)
		goto out;
	if (strcmp(PQgetvalue(res, 0, 0), "T") == 0) {
		rc = prfaq_error_set(
			err, PRFAQ_EINVAL,
			"q needs at least one word that is not negated: "
			"a search of negations only would read every document");
		goto out;
	}
	filters[0] = q->status;
	filters[1] = q->owner;
	filters[2] = q->team;
	filters[3] = q->tag;
	/* No words at all (stop words only): nothing matches, and NULL
	 * tsqueries say so without a notice. */
	if (PQgetvalue(res, 0, 0)[0] != '\0') {
		filters[4] = PQgetvalue(res, 0, 3);
		filters[5] = PQgetvalue(res, 0, 1);
	} else {
		filters[4] = NULL;
		filters[5] = NULL;
	}
	filters[6] = PQgetvalue(res, 0, 2);
	filters[7] = q->reviewer;
	filters[8] = q->awaiting;
	if ((rc = search_window_days(conn, &days, err)) != PRFAQ_OK)
		goto out;
	filters[9] = days.data;
	rc = store_list_conn(conn,
			     days.len > 0 ? &list_search_window : &list_search,
			     filters, t->page, t->out, err);
out:
	t->too_broad = rc != PRFAQ_OK &&
		       db_conn_sqlstate_is(conn, PRFAQ_SQLSTATE_QUERY_CANCELED);
	PQclear(res);
	prfaq_buf_free(&days);
	free(words);
	free(prefixes);
	return rc;
}

/*
 * A search: in one transaction with its own statement timeout, and only
 * when a search slot is free (search_enter).  A search that times out is
 * PRFAQ_EUNPROCESSABLE, "search too broad": narrow it and it will answer.
 */
static prfaq_code
search(struct prfaq_db_ctx db, const struct prfaq_list_query *q,
       const struct prfaq_page_req *page, struct prfaq_page *out,
       struct prfaq_error *err)
{
	struct search_tx t = { q, page, out, false };
	prfaq_code rc;

	pthread_once(&search_once, search_init);
	if ((rc = search_enter(db, err)) != PRFAQ_OK)
		return rc;
	rc = db_read_tx(db, search_in_tx, &t, err);
	search_leave();
	if (rc != PRFAQ_OK && t.too_broad) {
		prfaq_error_clear(err);
		rc = prfaq_error_set(
			err, PRFAQ_EUNPROCESSABLE,
			"search too broad: it ran past the search time limit; "
			"add words or filters");
	}
	return rc;
}

prfaq_code
prfaq_store_prfaq_list(struct prfaq_db_ctx db, const struct prfaq_list_query *q,
		       const struct prfaq_page_req *page,
		       struct prfaq_page *out, struct prfaq_error *err)
{
	const char *filters[6] = { q->status, q->owner,	   q->team,
				   q->tag,    q->awaiting, q->reviewer };

	if (q->q != NULL)
		return search(db, q, page, out, err);
	if (q->awaiting != NULL)
		return store_list(db, &list_awaiting, filters, page, out, err);
	if (q->reviewer != NULL) {
		filters[4] = q->reviewer;
		return store_list(db, &list_requested, filters, page, out, err);
	}
	return store_list(db,
			  q->by_evidence ? &list_prfaqs_evidence : &list_prfaqs,
			  filters, page, out, err);
}
