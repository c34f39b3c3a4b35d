/*
 * content_metrics.c - content.metrics, how a PR/FAQ says its success will
 * be measured (API.md "Closing the loop"): a list of
 * {key, name, kind, unit?, direction, baseline?, target, by?}.
 *
 * The walk in content.c checks each entry's members against the metric
 * table; this file adds what a table cannot say: which members an entry
 * must have, that keys are unique in the list (measurements name their
 * metric by key), and the checks of the scalar kinds metrics brought
 * (one-line names, numbers, keys, dates that may not be left empty).
 */
#include <string.h>

#include "prfaq/content.h"
#include "prfaq/utf8.h"
#include "content_internal.h"

/* Members every metric must have; the others (unit, baseline, by) may wait. */
static const char *const metric_required[] = { "key", "name", "kind",
					       "direction", "target" };

bool
prfaq_metric_key_valid(const char *s, size_t len)
{
	if (s == NULL || len == 0 || len > PRFAQ_METRIC_KEY_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (c == '-' && i > 0);

		if (!ok)
			return false;
	}
	return true;
}

/*
 * The scalar kinds of a metric's members.  A name or unit is one line (it
 * sits in a table cell and on a Markdown label line) and not blank.
 */
void
content_check_metric_value(struct vctx *v, const json_t *value,
			   const struct field *f)
{
	const char *s = json_string_value(value);
	size_t len = json_string_length(value);

	switch (f->kind) {
	case FIELD_NUMBER:
		if (!json_is_number(value))
			vctx_report(v, "must be a number");
		return;
	case FIELD_KEY:
		if (s == NULL || !prfaq_metric_key_valid(s, len))
			vctx_report(v,
				    "must be a metric key: 1 to %d lowercase "
				    "letters, digits and hyphens, not "
				    "starting with a hyphen",
				    PRFAQ_METRIC_KEY_MAX);
		return;
	case FIELD_DAY: {
		struct field date = { f->name, FIELD_DATE, 0, NULL };

		if (s != NULL && len == 0)
			vctx_report(v, "must be a date in YYYY-MM-DD form");
		else
			content_check_string(v, value, &date);
		return;
	}
	default:
		if (s != NULL) {
			size_t n = len;

			prfaq_utf8_trim(&s, &n, prfaq_utf8_is_space);
			if (n == 0) {
				vctx_report(v, "must not be blank");
				return;
			}
		}
		content_check_line(v, value, f->max);
		return;
	}
}

/* Report each required member entry lacks, at the pointer of the member. */
static void
check_required(struct vctx *v, const json_t *entry)
{
	for (size_t i = 0;
	     i < sizeof(metric_required) / sizeof(metric_required[0]); i++) {
		size_t mark;

		if (json_object_get(entry, metric_required[i]) != NULL)
			continue;
		mark = v->ptr.len;
		if (prfaq_buf_printf(&v->ptr, "/%s", metric_required[i]) != 0) {
			vctx_pop(v, mark);
			vctx_report(v, "lacks a required member");
			return;
		}
		vctx_report(v, "is required");
		vctx_pop(v, mark);
	}
}

/*
 * A valid key that an earlier entry already has is reported at the later
 * entry's key, naming the first.  The list is at most PRFAQ_METRICS_MAX
 * long, so comparing with every earlier entry is cheap.
 */
static void
check_unique_key(struct vctx *v, const json_t *list, size_t i)
{
	const json_t *key = json_object_get(json_array_get(list, i), "key");
	size_t mark;

	if (!json_is_string(key) ||
	    !prfaq_metric_key_valid(json_string_value(key),
				    json_string_length(key)))
		return;
	for (size_t j = 0; j < i; j++) {
		const json_t *e = json_array_get(list, j);

		if (!json_is_object(e) ||
		    !json_equal(key, json_object_get(e, "key")))
			continue;
		mark = v->ptr.len;
		if (prfaq_buf_puts(&v->ptr, "/key") == 0)
			vctx_report(v,
				    "duplicate metric key: same as entry %zu",
				    j);
		vctx_pop(v, mark);
		return;
	}
}

void
content_check_metrics(struct vctx *v, const json_t *list, const struct field *f)
{
	size_t n;

	if (!json_is_array(list)) {
		vctx_report(v, "must be an array");
		return;
	}
	n = json_array_size(list);
	if (n > f->max) {
		vctx_report(v, "must have at most %zu entries (got %zu)",
			    f->max, n);
		n = f->max;
	}
	for (size_t i = 0; i < n && !v->stop; i++) {
		const json_t *entry = json_array_get(list, i);
		size_t mark = vctx_push_index(v, i);

		if (v->stop)
			break;
		content_check_object(v, entry, f->sub);
		if (json_is_object(entry)) {
			check_required(v, entry);
			check_unique_key(v, list, i);
		}
		vctx_pop(v, mark);
	}
}
