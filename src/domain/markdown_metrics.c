/*
 * markdown_metrics.c - the "## Metrics" section of a PR/FAQ's Markdown
 * layout (see markdown_parse.c for how the walk works): a bulleted list,
 * one item per metric, a paragraph per member led by its label
 * ("**Key:** orders", "**Target:** 12.5").
 *
 * Text members read back byte for byte like every other text.  Baseline
 * and target are JSON numbers written as render_number_format() writes
 * them, read with Jansson so that 12 stays an integer and 12.0 a real: the
 * document that comes back is the one that was stored.
 */
#include <cmark.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "markdown_internal.h"
#include "prfaq/buf.h"
#include "prfaq/content.h"

static const struct {
	const char *label;
	const char *key;
	bool number;
} metric_members[] = {
	{ "Key:", "key", false },
	{ "Name:", "name", false },
	{ "Kind:", "kind", false },
	{ "Unit:", "unit", false },
	{ "Direction:", "direction", false },
	{ "Baseline:", "baseline", true },
	{ "Target:", "target", true },
	{ "By:", "by", false },
};

/*
 * The text of a number member as a JSON number (a new reference), or NULL
 * when it is not one: only what JSON calls a number, nothing around it.
 */
static json_t *
number_value(const char *s, size_t n)
{
	json_t *v;

	if (n == 0 || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
		return NULL;
	v = json_loadb(s, n, JSON_DECODE_ANY, NULL);
	if (v != NULL && !json_is_number(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* One metric: the paragraphs of its list item, each a labelled member. */
static void
read_metric(struct mdp *p, cmark_node *item, json_t *metric, size_t idx)
{
	char ptr[64];

	for (cmark_node *para = cmark_node_first_child(item); para != NULL;
	     para = cmark_node_next(para)) {
		int line = cmark_node_get_start_line(para);
		cmark_node *lab = cmark_node_first_child(para);
		const char *label;
		size_t m = NELEM(metric_members);
		json_t *v;

		if (!md_is_type(para, CMARK_NODE_PARAGRAPH)) {
			md_report(p, line, "%s", md_block_problem(para));
			continue;
		}
		label = md_strong_label(lab);
		for (size_t i = 0; label != NULL && i < NELEM(metric_members);
		     i++)
			if (strcasecmp(label, metric_members[i].label) == 0)
				m = i;
		if (m == NELEM(metric_members)) {
			md_report(p, line,
				  "a metric is described by paragraphs led by "
				  "**Key:**, **Name:**, **Kind:**, **Unit:**, "
				  "**Direction:**, **Baseline:**, **Target:** "
				  "and **By:**");
			continue;
		}
		snprintf(ptr, sizeof(ptr), "/content/metrics/%zu/%s", idx,
			 metric_members[m].key);
		if (json_object_get(metric, metric_members[m].key) != NULL) {
			md_report(p, line,
				  "%s appears twice in this metric (first at "
				  "line %d)",
				  metric_members[m].label, md_line_of(p, ptr));
			continue;
		}
		prfaq_buf_reset(&p->text);
		if (!md_read_inlines(p, para, cmark_node_next(lab), NULL,
				     &p->text))
			continue;
		md_drop_lead_space(&p->text);
		if (!metric_members[m].number) {
			md_put(p, metric, metric_members[m].key,
			       md_text_value(p), ptr, line);
			continue;
		}
		v = number_value(p->text.data != NULL ? p->text.data : "",
				 p->text.len);
		if (v == NULL) {
			md_report(p, line,
				  "%s must be a number (12, 0.5, -3e2)",
				  metric_members[m].label);
			continue;
		}
		md_put(p, metric, metric_members[m].key, v, ptr, line);
	}
}

/* The section: a bullet list, one item per metric. */
cmark_node *
md_read_metrics(struct mdp *p, cmark_node *h, bool (*end)(cmark_node *))
{
	cmark_node *n = cmark_node_next(h);
	json_t *list = json_array();
	char ptr[48];

	md_put(p, p->content, "metrics", list, "/content/metrics",
	       cmark_node_get_start_line(h));
	for (; !end(n); n = cmark_node_next(n)) {
		if (!md_is_type(n, CMARK_NODE_LIST) ||
		    cmark_node_get_list_type(n) != CMARK_BULLET_LIST) {
			md_report(p, cmark_node_get_start_line(n),
				  "metrics are a bulleted list, one item "
				  "(- **Key:** ...) per metric");
			continue;
		}
		for (cmark_node *item = cmark_node_first_child(n); item != NULL;
		     item = cmark_node_next(item)) {
			size_t idx = json_array_size(list);
			json_t *metric;

			if (idx >= PRFAQ_METRICS_MAX) {
				md_report(p, cmark_node_get_start_line(item),
					  "a PR/FAQ has at most %d metrics",
					  PRFAQ_METRICS_MAX);
				return md_skip_to_heading(n, 2);
			}
			metric = json_object();
			json_array_append_new(list, metric);
			snprintf(ptr, sizeof(ptr), "/content/metrics/%zu", idx);
			md_note_line(p, ptr, cmark_node_get_start_line(item));
			read_metric(p, item, metric, idx);
		}
	}
	return n;
}
