/*
 * measurements.c - the rules of a measurements batch (see prfaq/loop.h):
 * shapes, instants, and that no two points of one batch share their upsert
 * key, which PostgreSQL would refuse ("ON CONFLICT DO UPDATE command cannot
 * affect row a second time") with a 500 instead of a pointer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/alloc.h"
#include "prfaq/content.h"
#include "prfaq/loop.h"
#include "prfaq/utf8.h"

/* ------------------------------------------------------------------------ */
/* Instants                                                                 */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n digits of s as a number; -1 when one is not a digit. */
static int
digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool
day_exists(int y, int m, int d)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= dim[m - 1] + (m == 2 && leap);
}

bool
prfaq_instant_parse(const char *s, size_t len, int64_t *us, bool *is_date)
{
	int y, mo, d, h, mi, sec, frac = 0, oh = 0, om = 0, sign = 0;
	size_t i = 19, nf = 0;
	int64_t t;

	if (s == NULL || len < 10 || s[4] != '-' || s[7] != '-')
		return false;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (!day_exists(y, mo, d))
		return false;
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400;
	if (len == 10) {
		*us = t * 1000000;
		if (is_date != NULL)
			*is_date = true;
		return true;
	}
	if (len < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
	    s[16] != ':')
		return false;
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return false;
	if (s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nf++)
			if (nf < 6)
				frac = frac * 10 + (s[i] - '0');
		if (nf == 0 || nf > 6)
			return false;
		for (size_t k = nf; k < 6; k++)
			frac *= 10;
	}
	if (i + 1 == len && (s[i] == 'Z' || s[i] == 'z')) {
		sign = 0;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') &&
		   s[i + 3] == ':') {
		sign = s[i] == '+' ? 1 : -1;
		oh = digits(s + i + 1, 2);
		om = digits(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return false;
	} else {
		return false;
	}
	t += h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
	*us = t * 1000000 + frac;
	if (is_date != NULL)
		*is_date = false;
	return true;
}

/* ------------------------------------------------------------------------ */
/* Items                                                                    */

/* A pointer /items/i[/member] into buf (64 bytes). */
static const char *
item_ptr(char *buf, size_t i, const char *member)
{
	snprintf(buf, 64, "/items/%zu%s%s", i, member ? "/" : "",
		 member ? member : "");
	return buf;
}

/* An optional one-line (source) or multi-line (note) string member. */
static void
check_string(const json_t *item, const char *key, size_t i, size_t max,
	     enum prfaq_string_kind kind, struct prfaq_error *err)
{
	const json_t *v = json_object_get(item, key);
	char ptr[64];

	if (v == NULL)
		return;
	item_ptr(ptr, i, key);
	if (json_is_string(v) && json_string_length(v) == 0)
		prfaq_error_add(err, ptr, "must not be empty (leave it out)");
	else
		prfaq_content_check_string(v, kind, max, ptr, err);
}

/*
 * One item: its members and their types.  Returns its row for the store
 * (a new object), or NULL when it is invalid (reported) or memory ran out
 * (err->code says which).
 */
static json_t *
check_item(const json_t *item, size_t i, struct prfaq_error *err)
{
	static const char *const members[] = { "metric", "value", "at",
					       "source", "note" };
	const json_t *metric = json_object_get(item, "metric");
	const json_t *value = json_object_get(item, "value");
	const json_t *at = json_object_get(item, "at");
	const char *key;
	size_t keylen;
	json_t *v;
	char ptr[64];
	int64_t us = 0;

	if (!json_is_object(item)) {
		prfaq_error_add(err, item_ptr(ptr, i, NULL),
				"must be an object");
		return NULL;
	}
	json_object_keylen_foreach((json_t *)item, key, keylen, v)
	{
		bool known = false;

		/* the length too: "at\0x" is not "at" */
		for (size_t k = 0; k < sizeof(members) / sizeof(*members); k++)
			known = known || (strlen(members[k]) == keylen &&
					  memcmp(key, members[k], keylen) == 0);
		if (!known)
			prfaq_error_add(err, item_ptr(ptr, i, NULL),
					"has an unknown member");
	}
	if (!json_is_string(metric) ||
	    !prfaq_metric_key_valid(json_string_value(metric),
				    json_string_length(metric)))
		prfaq_error_add(err, item_ptr(ptr, i, "metric"),
				metric == NULL ? "is required" :
						 "must be a metric key");
	if (!json_is_number(value))
		prfaq_error_add(err, item_ptr(ptr, i, "value"),
				value == NULL ? "is required" :
						"must be a number");
	if (!json_is_string(at) ||
	    !prfaq_instant_parse(json_string_value(at), json_string_length(at),
				 &us, NULL))
		prfaq_error_add(err, item_ptr(ptr, i, "at"),
				at == NULL ?
					"is required" :
					"must be a date (YYYY-MM-DD) or an "
					"RFC 3339 date-time");
	check_string(item, "source", i, PRFAQ_MEASUREMENT_SOURCE_MAX,
		     PRFAQ_STRING_LINE, err);
	check_string(item, "note", i, PRFAQ_MEASUREMENT_NOTE_MAX,
		     PRFAQ_STRING_TEXT, err);
	/* once anything is wrong no row is needed, only the reports */
	if (err->code != PRFAQ_OK)
		return NULL;
	return json_pack("{s:O, s:f, s:I, s:O?, s:O?}", "metric", metric,
			 "value", json_number_value(value), "at_us",
			 (json_int_t)us, "source",
			 json_object_get(item, "source"), "note",
			 json_object_get(item, "note"));
}

/* The upsert key of one row, for sorting the batch. */
struct point_key {
	const char *metric;
	int64_t at;
	const char *source; /* "" for none, as the table stores it */
	size_t index;
};

static int
point_cmp(const void *a, const void *b)
{
	const struct point_key *x = a, *y = b;
	int c = strcmp(x->metric, y->metric);

	if (c != 0)
		return c;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if ((c = strcmp(x->source, y->source)) != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Two items with the same upsert key: the later is reported, naming the
 * earlier.  Sorting keeps a batch of 1,000 at n log n.
 */
static void
check_duplicates(const json_t *rows, struct prfaq_error *err)
{
	size_t n = json_array_size(rows);
	struct point_key *keys = prfaq_calloc(n ? n : 1, sizeof(*keys));
	char ptr[64];

	for (size_t i = 0; i < n; i++) {
		const json_t *r = json_array_get(rows, i);
		const char *src =
			json_string_value(json_object_get(r, "source"));

		keys[i].metric =
			json_string_value(json_object_get(r, "metric"));
		keys[i].at = json_integer_value(json_object_get(r, "at_us"));
		keys[i].source = src != NULL ? src : "";
		keys[i].index = i;
	}
	qsort(keys, n, sizeof(*keys), point_cmp);
	for (size_t i = 1; i < n; i++) {
		const struct point_key *p = &keys[i - 1], *q = &keys[i];

		if (strcmp(p->metric, q->metric) == 0 && p->at == q->at &&
		    strcmp(p->source, q->source) == 0)
			prfaq_error_add(err, item_ptr(ptr, q->index, NULL),
					"same metric, at and source as "
					"/items/%zu: send each point once",
					p->index);
	}
	free(keys);
}

prfaq_code
prfaq_measurements_check(const json_t *body, json_t **rows,
			 struct prfaq_error *err)
{
	const json_t *items = json_object_get(body, "items");
	json_t *out = NULL;
	const char *key;
	size_t keylen, n;
	json_t *v;

	if (!json_is_object(body))
		return prfaq_error_add(err, "", "must be a JSON object");
	json_object_keylen_foreach((json_t *)body, key, keylen, v)
	{
		if (keylen != 5 || memcmp(key, "items", 5) != 0)
			prfaq_error_add(err, "",
					"has an unknown member: only items");
	}
	n = json_array_size(items);
	if (!json_is_array(items) || n == 0 || n > PRFAQ_MEASUREMENTS_MAX)
		return prfaq_error_add(
			err, "/items",
			"must be a list of 1 to %d measurements (got %s%zu)",
			PRFAQ_MEASUREMENTS_MAX,
			json_is_array(items) ? "" : "no list, ", n);
	if (err->code != PRFAQ_OK)
		return err->code;
	out = json_array();
	for (size_t i = 0; i < n && !err->truncated; i++) {
		json_t *row = check_item(json_array_get(items, i), i, err);

		if (row != NULL)
			json_array_append_new(out, row);
		else if (err->code == PRFAQ_OK)
			err->code = PRFAQ_ENOMEM;
	}
	if (err->code == PRFAQ_OK)
		check_duplicates(out, err);
	if (err->code != PRFAQ_OK) {
		json_decref(out);
		return err->code;
	}
	*rows = out;
	return PRFAQ_OK;
}

prfaq_code
prfaq_measurements_check_keys(const json_t *rows, const json_t *metrics,
			      struct prfaq_error *err)
{
	size_t i, j;
	json_t *r, *m;
	char ptr[64];

	json_array_foreach((json_t *)rows, i, r) {
		const json_t *key = json_object_get(r, "metric");
		bool found = false;

		if (json_is_array(metrics))
			json_array_foreach((json_t *)metrics, j, m)
				if (json_equal(key, json_object_get(m, "key")))
					found = true;
		if (!found)
			prfaq_error_add(err, item_ptr(ptr, i, "metric"),
					"is not a key of the decided version's "
					"metrics (content.metrics)");
	}
	return err->code;
}
