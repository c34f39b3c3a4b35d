/*
 * render_html.c - the HTML page for a PR/FAQ (see prfaq/render.h): each
 * Markdown part of render.c converted by libcmark and wrapped in an element
 * whose class the page's print stylesheet knows.
 */
#include "prfaq/render.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdlib.h>

#include "render_internal.h"

/* How each part is wrapped in the HTML page. */
static const struct {
	const char *element;
	const char *class;
	bool faq; /* the first FAQ part present starts a page */
	bool new_page;
} part_html[PART_COUNT_] = {
	[PART_HEAD] = { "header", "masthead", false, false },
	[PART_META] = { "div", "meta", false, false },
	[PART_PRESS] = { "section", "press-release", false, false },
	[PART_CUSTOMER] = { "section", "customer", false, false },
	[PART_FAQ_EXTERNAL] = { "section", "faq faq-external", true, false },
	[PART_FAQ_INTERNAL] = { "section", "faq faq-internal", true, false },
	[PART_DECISION] = { "section", "decision", false, false },
	[PART_VISUALS] = { "section", "appendix", false, true },
};

/*
 * The page is read on paper or on screen for twenty silent minutes: a
 * serif text face at 12pt (11pt/1.4 on paper, where the press release must
 * fit on the first page of A4 and of Letter: tests/browser/run checks), a
 * measure of about 42em, the FAQ and the appendix on pages of their own,
 * headings kept with what follows, quotes set off.
 * Every paragraph takes its direction from its own text so Arabic or Hebrew
 * lines read right to left.  Nothing is loaded from anywhere.
 */
static const char html_style[] =
	"@page { margin: 2.2cm 2cm 2.4cm;"
	" @bottom-center { content: counter(page); font: 9pt Georgia, serif;"
	" color: #666; } }\n"
	"html { background: #fff; }\n"
	"body { margin: 2.5em auto; padding: 0 1.5em; max-width: 42em;"
	" color: #111; background: #fff;"
	" font: 12pt/1.5 Charter, \"Bitstream Charter\", Georgia, Cambria,"
	" \"Times New Roman\", Times, serif; font-kerning: normal; }\n"
	"h1, h2, h3 { line-height: 1.25; break-after: avoid;"
	" page-break-after: avoid; }\n"
	".masthead h1 { font-size: 22pt; margin: 0 0 .3em; }\n"
	".masthead p { font-size: 13.5pt; margin: 0 0 .5em; }\n"
	".meta p { margin: 0 0 1.8em; padding-bottom: .5em;"
	" border-bottom: 1px solid #bbb; color: #555;"
	" font: 9pt/1.4 \"Helvetica Neue\", Helvetica, Arial, sans-serif; }\n"
	"h2 { font-size: 15pt; margin: 1.6em 0 .6em; padding-bottom: .15em;"
	" border-bottom: 1px solid #999; }\n"
	"h3 { font-size: 12pt; margin: 1.2em 0 .3em; }\n"
	"p { margin: 0 0 .75em; orphans: 3; widows: 3; }\n"
	"blockquote { margin: 1em 0 1em 1.5em; padding: .1em 0 .1em 1em;"
	" border-left: 3px solid #999; font-style: italic;"
	" break-inside: avoid; page-break-inside: avoid; }\n"
	"ul { padding-left: 1.4em; }\n"
	"li { margin: .3em 0; }\n"
	"a { color: #1a4a8a; overflow-wrap: anywhere; }\n"
	"p, li, h1, h2, h3, blockquote { unicode-bidi: plaintext; }\n"
	".new-page { break-before: page; page-break-before: always; }\n"
	"@media screen { .new-page { margin-top: 3em; padding-top: 1em;"
	" border-top: 1px dashed #ccc; } }\n"
	"@media print {\n"
	"  body { margin: 0; padding: 0; max-width: none; font-size: 11pt;"
	" line-height: 1.4; }\n"
	"  a { color: inherit; text-decoration: none; }\n"
	"  .appendix a[href]::after { content: \" <\" attr(href) \">\";"
	" font-size: 9pt; color: #444; }\n"
	"}\n";

/* The page's <title>: the document title, else the headline. */
static int
html_title(struct prfaq_buf *out, const json_t *doc)
{
	const char *s;
	size_t n;

	if ((s = render_text_get(doc, "title", &n)) == NULL)
		s = render_text_get(
			render_object_get(render_object_get(doc, "content"),
					  "press_release"),
			"headline", &n);
	if (s == NULL)
		return prfaq_buf_puts(out, "Untitled PR/FAQ");
	return render_html_escape(out, s, n);
}

/* cmark renders one part; NULL on ENOMEM.  The caller frees the result. */
static char *
html_part(const struct prfaq_buf *md)
{
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

#ifdef CMARK_OPT_SAFE
	/* A no-op since cmark 0.29 (safe is the default); needed before. */
	opts |= CMARK_OPT_SAFE;
#endif
	return cmark_markdown_to_html(md->data, md->len, opts);
}

/*
 * Append a complete HTML5 page for doc (borrowed; any JSON value) to out:
 * each Markdown part converted by cmark in safe mode and wrapped in an
 * element whose class the inline stylesheet knows.  A Content-Security-
 * Policy that allows nothing but the inline style backs the escaping up.
 * Returns 0, or -1 on ENOMEM with out as it was.
 */
int
prfaq_render_html(const json_t *doc, struct prfaq_buf *out)
{
	struct md_doc md;
	size_t start = out->len;
	bool faq_seen = false;
	int rc = -1;

	if (render_md_doc_build(doc, &md) != 0)
		goto out;
	if (prfaq_buf_puts(
		    out,
		    "<!DOCTYPE html>\n"
		    "<html>\n"
		    "<head>\n"
		    "<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\""
		    " content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
		    "<meta name=\"viewport\""
		    " content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"referrer\" content=\"no-referrer\">\n"
		    "<meta name=\"generator\" content=\"prfaqd\">\n"
		    "<title>") != 0 ||
	    html_title(out, doc) != 0 ||
	    prfaq_buf_puts(out, "</title>\n<style>\n") != 0 ||
	    prfaq_buf_puts(out, html_style) != 0 ||
	    prfaq_buf_puts(out, render_evidence_style) != 0 ||
	    prfaq_buf_puts(out, "</style>\n</head>\n<body>\n"
				"<article class=\"prfaq\">\n") != 0)
		goto out;

	for (size_t i = 0; i < PART_COUNT_; i++) {
		bool new_page = part_html[i].new_page;
		char *html;
		int err;

		if (md.part[i].len == 0)
			continue;
		if (part_html[i].faq) {
			new_page = !faq_seen;
			faq_seen = true;
		}
		if ((html = html_part(&md.part[i])) == NULL)
			goto out;
		err = prfaq_buf_printf(out, "<%s class=\"%s%s\">\n",
				       part_html[i].element, part_html[i].class,
				       new_page ? " new-page" : "") != 0 ||
		      prfaq_buf_puts(out, html) != 0 ||
		      prfaq_buf_printf(out, "</%s>\n", part_html[i].element) !=
			      0;
		free(html);
		if (err)
			goto out;
	}
	if (render_html_evidence(
		    out, json_object_get(doc, "evidence_appendix")) != 0)
		goto out;
	if (prfaq_buf_puts(out, "</article>\n</body>\n</html>\n") != 0)
		goto out;
	rc = 0;
out:
	render_md_doc_free(&md);
	return rc == 0 ? 0 : render_rollback(out, start);
}
