/*
 * render_metrics.c - content.metrics in the renderings: the HTML page's
 * table of how success will be measured, and the one way numbers are
 * written (the Markdown layout reads them back to the same JSON value).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

/*
 * A JSON number as text that reads back to the same value and type: an
 * integer in decimal; a real with the fewest significant digits (15 to 17)
 * that give back the same double, always with a "." or an exponent so it
 * stays a real.  out must hold RENDER_NUMBER_MAX bytes.  Returns false for
 * anything that is not a finite number.
 */
bool
render_number_format(const json_t *v, char *out)
{
	double d;

	if (json_is_integer(v)) {
		snprintf(out, RENDER_NUMBER_MAX, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return true;
	}
	if (!json_is_real(v) || !isfinite(d = json_real_value(v)))
		return false;
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, RENDER_NUMBER_MAX, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			break;
	}
	if (strpbrk(out, ".eEn") == NULL)
		strcat(out, ".0");
	return true;
}

/* One table cell of text (escaped), or of a number, or empty. */
static int
cell(struct prfaq_buf *out, const json_t *metric, const char *key, bool num)
{
	const json_t *v = json_object_get(metric, key);
	char n[RENDER_NUMBER_MAX];

	if (prfaq_buf_puts(out, num ? "<td class=\"num\">" : "<td>") != 0)
		return -1;
	if (num && render_number_format(v, n)) {
		if (prfaq_buf_puts(out, n) != 0)
			return -1;
	} else if (!num && json_is_string(v)) {
		if (render_html_escape(out, json_string_value(v),
				       json_string_length(v)) != 0)
			return -1;
	}
	return prfaq_buf_puts(out, "</td>");
}

/* One row: the name with its key, then the other members in order. */
static int
metric_row(struct prfaq_buf *out, const json_t *m)
{
	const json_t *key = json_object_get(m, "key");

	if (prfaq_buf_puts(out, "<tr><th scope=\"row\">") != 0)
		return -1;
	if (json_is_string(json_object_get(m, "name")) &&
	    render_html_escape(
		    out, json_string_value(json_object_get(m, "name")),
		    json_string_length(json_object_get(m, "name"))) != 0)
		return -1;
	if (json_is_string(key) &&
	    (prfaq_buf_puts(out, " <code>") != 0 ||
	     render_html_escape(out, json_string_value(key),
				json_string_length(key)) != 0 ||
	     prfaq_buf_puts(out, "</code>") != 0))
		return -1;
	if (prfaq_buf_puts(out, "</th>") != 0 || cell(out, m, "kind", false) ||
	    cell(out, m, "direction", false) ||
	    cell(out, m, "baseline", true) || cell(out, m, "target", true) ||
	    cell(out, m, "unit", false) || cell(out, m, "by", false))
		return -1;
	return prfaq_buf_puts(out, "</tr>\n");
}

/*
 * The metrics of doc's content as a <section> holding a table, appended to
 * out; nothing when there are none.  All user text is escaped; entries that
 * are not objects are skipped (a stored document has none).
 */
int
render_html_metrics(struct prfaq_buf *out, const json_t *doc)
{
	const json_t *list =
		json_object_get(render_object_get(doc, "content"), "metrics");
	size_t i;
	json_t *m;

	if (json_array_size(list) == 0)
		return 0;
	if (prfaq_buf_puts(
		    out,
		    "<section class=\"metrics\">\n"
		    "<h2>How we will measure success</h2>\n"
		    "<table>\n<thead><tr><th scope=\"col\">Metric</th>"
		    "<th scope=\"col\">Kind</th>"
		    "<th scope=\"col\">Direction</th>"
		    "<th scope=\"col\">Baseline</th>"
		    "<th scope=\"col\">Target</th>"
		    "<th scope=\"col\">Unit</th>"
		    "<th scope=\"col\">By</th></tr></thead>\n<tbody>\n") != 0)
		return -1;
	json_array_foreach((json_t *)list, i, m) {
		if (json_is_object(m) && metric_row(out, m) != 0)
			return -1;
	}
	return prfaq_buf_puts(out, "</tbody>\n</table>\n</section>\n");
}
