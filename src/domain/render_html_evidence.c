/*
 * render_html_evidence.c - the end of the HTML page: the customer evidence
 * linked to the PR/FAQ, so that the review meeting's silent reading has
 * what the document works backwards from on paper beside it.  Anecdotes
 * are quoted with who said them and where; requests and data points are
 * listed.  HTML only: the Markdown renderings carry no evidence, so the
 * Markdown round trip stays exact.
 *
 * Every piece of text goes through render_html_escape(); a URL is used
 * only when it is http(s), and only as a link's href (the page's CSP
 * allows no fetch of anything, and a link is not one).
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "render_internal.h"

/* The appendix's styles, added to the page's <style> (render_html.c). */
const char render_evidence_style[] =
	".evidence blockquote { font-style: normal; }\n"
	".evidence blockquote p, .evidence li .text { overflow-wrap: anywhere; }\n"
	".evidence .cite { display: block; margin-top: .2em; color: #555;"
	" font: 9.5pt/1.4 \"Helvetica Neue\", Helvetica, Arial, sans-serif; }\n"
	".evidence .value { font-weight: bold; }\n"
	".evidence .more { color: #555; font-style: italic; }\n"
	"@media print { .evidence a[href]::after { content: \" <\" attr(href)"
	" \">\"; font-size: 8.5pt; color: #444; } }\n";

static const char *
str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL && *s != '\0' ? s : NULL;
}

static int
esc(struct prfaq_buf *out, const char *s)
{
	return render_html_escape(out, s, strlen(s));
}

/*
 * A text of several lines (an interview quote, a ticket): each line escaped
 * (render_html_escape() makes one line of what it is given), a line break
 * between lines, blank lines dropped.
 */
static int
esc_lines(struct prfaq_buf *out, const char *s)
{
	bool first = true;
	int rc = 0;

	while (*s != '\0') {
		size_t n = strcspn(s, "\n");
		size_t k = n > 0 && s[n - 1] == '\r' ? n - 1 : n;

		if (k > 0) {
			if (!first)
				rc |= prfaq_buf_puts(out, "<br>\n");
			rc |= render_html_escape(out, s, k);
			first = false;
		}
		s += n;
		if (*s == '\n')
			s++;
	}
	return rc ? -1 : 0;
}

/* Separator between the parts of an attribution. */
static int
sep(struct prfaq_buf *out, bool *first)
{
	int rc = *first ? 0 : prfaq_buf_puts(out, " · ");

	*first = false;
	return rc;
}

/*
 * Who said it and where: "— name, segment · source · date · sentiment",
 * each part only when known, the source a link when the item has an
 * http(s) URL.  Nothing at all when nothing is known.
 */
static int
html_cite(struct prfaq_buf *out, const json_t *e)
{
	const json_t *c = json_object_get(e, "customer");
	const char *name = str(c, "name"), *segment = str(c, "segment");
	const char *source = str(e, "source"), *url = str(e, "url");
	const char *on = str(e, "observed_on"), *mood = str(e, "sentiment");
	bool first = true;
	int rc = 0;

	if (url != NULL && strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0)
		url = NULL;
	if (mood != NULL && strcmp(mood, "neutral") == 0)
		mood = NULL;
	if (!name && !segment && !source && !url && !on && !mood)
		return 0;
	rc |= prfaq_buf_puts(out, "<span class=\"cite\">— ");
	if (name != NULL || segment != NULL) {
		first = false;
		if (name != NULL)
			rc |= esc(out, name);
		if (name != NULL && segment != NULL)
			rc |= prfaq_buf_puts(out, ", ");
		if (segment != NULL)
			rc |= esc(out, segment);
	}
	if (source != NULL || url != NULL) {
		rc |= sep(out, &first);
		if (url != NULL) {
			rc |= prfaq_buf_puts(out, "<a href=\"");
			rc |= esc(out, url);
			rc |= prfaq_buf_puts(out, "\">");
		}
		rc |= esc(out, source != NULL ? source : "source");
		if (url != NULL)
			rc |= prfaq_buf_puts(out, "</a>");
	}
	if (on != NULL) {
		rc |= sep(out, &first);
		rc |= esc(out, on);
	}
	if (mood != NULL) {
		rc |= sep(out, &first);
		rc |= esc(out, mood);
	}
	rc |= prfaq_buf_puts(out, "</span>");
	return rc ? -1 : 0;
}

/* One item of a list: a data point leads with its value and unit. */
static int
html_item(struct prfaq_buf *out, const json_t *e, bool data)
{
	const json_t *v = json_object_get(e, "value");
	const char *unit = str(e, "unit");
	int rc = prfaq_buf_puts(out, "<li>");

	if (data && json_is_number(v)) {
		rc |= prfaq_buf_printf(out, "<span class=\"value\">%.15g",
				       json_number_value(v));
		if (unit != NULL) {
			/* "%" sits on the number; a word stands apart. */
			if (strcmp(unit, "%") != 0)
				rc |= prfaq_buf_puts(out, " ");
			rc |= esc(out, unit);
		}
		rc |= prfaq_buf_puts(out, "</span> ");
	}
	rc |= prfaq_buf_puts(out, "<span class=\"text\">");
	rc |= esc_lines(out, str(e, "text") != NULL ? str(e, "text") : "");
	rc |= prfaq_buf_puts(out, "</span>");
	rc |= html_cite(out, e);
	rc |= prfaq_buf_puts(out, "</li>\n");
	return rc ? -1 : 0;
}

/* The items of one kind, under their heading; nothing when there are none. */
static int
html_kind(struct prfaq_buf *out, const json_t *links, const char *kind,
	  const char *heading)
{
	bool anecdote = strcmp(kind, "anecdote") == 0;
	bool open = false;
	const json_t *e;
	size_t i;
	int rc = 0;

	json_array_foreach((json_t *)links, i, e) {
		const char *k = str(e, "kind");

		if (k == NULL || strcmp(k, kind) != 0)
			continue;
		if (!open) {
			rc |= prfaq_buf_printf(out, "<h3>%s</h3>\n%s", heading,
					       anecdote ? "" : "<ul>\n");
			open = true;
		}
		if (!anecdote) {
			rc |= html_item(out, e, strcmp(kind, "data") == 0);
			continue;
		}
		rc |= prfaq_buf_puts(out, "<blockquote><p>");
		rc |= esc_lines(out,
				str(e, "text") != NULL ? str(e, "text") : "");
		rc |= prfaq_buf_puts(out, "</p>");
		rc |= html_cite(out, e);
		rc |= prfaq_buf_puts(out, "</blockquote>\n");
	}
	if (open && !anecdote)
		rc |= prfaq_buf_puts(out, "</ul>\n");
	return rc ? -1 : 0;
}

/*
 * Append the evidence appendix for appendix (borrowed; the render input's
 * "evidence_appendix": {"items": [{kind, text, sentiment, source, url,
 * customer: {name, segment}, observed_on, value, unit}], "more": how many
 * links were left out}).  Nothing when there are no items.  0, or -1 on
 * ENOMEM.
 */
int
render_html_evidence(struct prfaq_buf *out, const json_t *appendix)
{
	const json_t *links = json_object_get(appendix, "items");
	json_int_t more = json_integer_value(json_object_get(appendix, "more"));
	int rc = 0;

	if (!json_is_array(links) || json_array_size(links) == 0)
		return 0;
	rc |= prfaq_buf_puts(out, "<section class=\"evidence new-page\">\n"
				  "<h2>Customer evidence</h2>\n");
	rc |= html_kind(out, links, "anecdote", "What customers said");
	rc |= html_kind(out, links, "request", "What customers asked for");
	rc |= html_kind(out, links, "data", "What the data says");
	if (more > 0)
		rc |= prfaq_buf_printf(
			out,
			"<p class=\"more\">And %" JSON_INTEGER_FORMAT
			" more linked item%s, not shown here.</p>\n",
			more, more == 1 ? "" : "s");
	rc |= prfaq_buf_puts(out, "</section>\n");
	return rc ? -1 : 0;
}
