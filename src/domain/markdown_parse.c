/*
 * markdown_parse.c - read a PR/FAQ from its Markdown layout (see
 * include/prfaq/markdown.h for the layout).
 *
 * libcmark parses the text into a tree; this file walks the tree, never the
 * text: a heading is a heading because cmark says so, wherever its "#" sits,
 * and every escape and character reference has been undone by cmark before
 * a byte of text reaches the document.  The walk follows the layout: the
 * title, the optional meta line, then sections, each with its own small
 * grammar.  It only ever descends into the structures the layout has
 * (document, section, block quote, list item, paragraph), so the depth of
 * the walk is fixed whatever the input nests.
 *
 * Markers are things user text can never produce, because the renderer
 * escapes everything that would make them: headings, strong text ("**Team:**"),
 * emphasis ("*(empty)*"), block quotes, list items, code spans (tags) and
 * autolinks (URLs).  Inside a member's text nothing but text, line breaks and
 * paragraphs is accepted: formatting that plain text cannot keep is an error
 * naming its line, not something silently dropped.
 */
#include "prfaq/markdown.h"

#include <cmark.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "markdown_internal.h"
#include "prfaq/buf.h"
#include "prfaq/utf8.h"

/* ---- parser state -------------------------------------------------------- */

/*
 * Record a layout problem at line.  The error list keeps the first
 * PRFAQ_ERRORS_MAX and then says it was truncated; without an err to fill
 * the problem still makes the parse fail.
 */
void
md_report(struct mdp *p, int line, const char *fmt, ...)
{
	char msg[PRFAQ_ERROR_DETAIL_MAX];
	va_list ap;

	p->failed = true;
	if (p->err == NULL)
		return;
	if (p->err->code == PRFAQ_OK)
		prfaq_error_set(p->err, PRFAQ_EINVAL,
				"The Markdown is not in the PR/FAQ layout: see "
				"errors (each names its line)");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	prfaq_error_add_entry(p->err, json_pack("{s:i, s:s}", "line", line,
						"message", msg));
}

/* Remember where the member at pointer came from. */
void
md_note_line(struct mdp *p, const char *pointer, int line)
{
	json_object_set_new(p->lines, pointer, json_integer(line));
}

/* The line a member at pointer was read from, or 0. */
int
md_line_of(const struct mdp *p, const char *pointer)
{
	return (int)json_integer_value(json_object_get(p->lines, pointer));
}

/*
 * obj[key] = value (taken); records the line under pointer.  value is NULL
 * only when Jansson refused text that is not UTF-8, which cmark does not
 * make of valid input: reported all the same, never stored as a default.
 */
void
md_put(struct mdp *p, json_t *obj, const char *key, json_t *value,
       const char *pointer, int line)
{
	if (value == NULL) {
		md_report(p, line, "holds text that is not valid UTF-8");
		return;
	}
	json_object_set_new(obj, key, value);
	md_note_line(p, pointer, line);
}

/* p->text as a new JSON string (NULL when out of memory). */
json_t *
md_text_value(struct mdp *p)
{
	return json_stringn(p->text.data != NULL ? p->text.data : "",
			    p->text.len);
}

/* ---- the source ------------------------------------------------------------ */

/*
 * Refuse bytes no PR/FAQ text may hold before cmark sees them (cmark would
 * quietly turn NUL into U+FFFD and carry the rest through): malformed
 * UTF-8, and control characters other than tab and the line endings.  One
 * problem per line is enough to find it.
 */
static void
check_source(struct mdp *p, const char *s, size_t n)
{
	size_t i = 0;
	int line = 1;

	while (i < n) {
		size_t b = i, e = i;

		while (e < n && s[e] != '\n' && s[e] != '\r')
			e++;
		if (!prfaq_utf8_valid(s + b, e - b)) {
			md_report(p, line, "is not valid UTF-8");
		} else {
			for (size_t k = b; k < e; k++) {
				unsigned char c = (unsigned char)s[k];
				unsigned cp = c;

				if (c == 0xC2 && k + 1 < e &&
				    (unsigned char)s[k + 1] <= 0x9F)
					cp = (unsigned char)s[k + 1];
				else if (c >= 0x80 || c == '\t' ||
					 (c >= 0x20 && c != 0x7F))
					continue;
				md_report(p, line,
					  "holds the control character "
					  "U+%04X, which PR/FAQ text may not "
					  "contain",
					  cp);
				break;
			}
		}
		/* \r\n, \r and \n each end one line, as in CommonMark. */
		if (e < n && s[e] == '\r' && e + 1 < n && s[e + 1] == '\n')
			e++;
		i = e + 1;
		line++;
	}
}

/* ---- the document ------------------------------------------------------------ */

/* Title, meta line, sections. */
static void
read_document(struct mdp *p, cmark_node *doc)
{
	cmark_node *n = cmark_node_first_child(doc);

	if (n == NULL)
		md_report(p, 1,
			  "a PR/FAQ starts with its title as a heading: "
			  "# Title");
	for (; n != NULL && !md_is_heading_upto(n, 2); n = cmark_node_next(n))
		md_report(p, cmark_node_get_start_line(n),
			  "a PR/FAQ starts with "
			  "its title as a heading: # Title");
	if (md_is_heading_upto(n, 1)) {
		if (md_heading_text(p, n))
			md_put(p, p->body, "title", md_text_value(p), "/title",
			       cmark_node_get_start_line(n));
		n = cmark_node_next(n);
	} else if (n != NULL) {
		md_report(p, cmark_node_get_start_line(n),
			  "a PR/FAQ starts with "
			  "its title as a heading: # Title");
	}

	if (md_is_type(n, CMARK_NODE_PARAGRAPH) &&
	    md_is_type(cmark_node_first_child(n), CMARK_NODE_STRONG)) {
		md_read_meta(p, n);
		n = cmark_node_next(n);
	}
	for (; n != NULL && !md_is_heading_upto(n, 2); n = cmark_node_next(n))
		md_report(p, cmark_node_get_start_line(n),
			  "after the title and "
			  "the **Team:** · **Tags:** line come sections: %s",
			  md_sections_hint);

	while (n != NULL) {
		if (cmark_node_get_heading_level(n) == 1) {
			md_report(
				p, cmark_node_get_start_line(n),
				"a PR/FAQ has "
				"one title (# Title); sections are ## headings");
			n = md_skip_to_heading(cmark_node_next(n), 2);
			continue;
		}
		n = md_read_section(p, n);
	}
}

/*
 * The body handed out: the members in the order a person reads them
 * (title, team, tags, content), sharing the values of what was read.
 */
static json_t *
ordered_body(const json_t *read)
{
	static const char *const keys[] = { "title", "team", "tags",
					    "content" };
	json_t *body = json_object();

	for (size_t i = 0; i < NELEM(keys); i++) {
		json_t *v = json_object_get(read, keys[i]);

		if (v != NULL)
			json_object_set(body, keys[i], v);
	}
	return body;
}

/*
 * Parse md[0..len) (see markdown.h).  Owns the cmark tree and the document
 * being read until the end; hands over body and lines only on success.
 */
prfaq_code
prfaq_markdown_parse(const char *md, size_t len, json_t **body, json_t **lines,
		     struct prfaq_error *err)
{
	struct mdp p = { .err = err, .text = PRFAQ_BUF_INIT };
	cmark_node *doc = NULL;
	prfaq_code rc = PRFAQ_EINVAL;

	p.body = json_object();
	p.lines = json_object();
	json_object_set_new(p.body, "tags", json_array());
	json_object_set_new(p.body, "content", json_object());
	p.content = json_object_get(p.body, "content"); /* borrowed */
	md_note_line(&p, "/content", 1);

	check_source(&p, md, len);
	if (p.failed)
		goto out;
	/* cmark's allocator aborts when memory runs out, as ours does. */
	doc = cmark_parse_document(md, len, CMARK_OPT_SOURCEPOS);
	read_document(&p, doc);
	if (p.failed)
		goto out;
	*body = ordered_body(p.body);
	if (lines != NULL) {
		*lines = p.lines;
		p.lines = NULL;
	}
	rc = PRFAQ_OK;
out:
	if (doc != NULL)
		cmark_node_free(doc);
	json_decref(p.body);
	json_decref(p.lines);
	prfaq_buf_free(&p.text);
	return rc;
}

/*
 * Give each error entry the line of the member its pointer names, trying
 * ever shorter prefixes of the pointer until one is known (line 1, the
 * title, when none is).
 */
void
prfaq_markdown_locate(struct prfaq_error *err, const json_t *lines)
{
	struct prfaq_buf ptr = PRFAQ_BUF_INIT;
	json_t *entry;
	size_t i;

	if (err == NULL || lines == NULL || !json_is_array(err->errors))
		return;
	json_array_foreach(err->errors, i, entry) {
		const char *pointer =
			json_string_value(json_object_get(entry, "pointer"));
		json_int_t line = 1;
		char *slash;

		if (pointer == NULL || json_object_get(entry, "line") != NULL)
			continue;
		prfaq_buf_reset(&ptr);
		if (prfaq_buf_puts(&ptr, pointer) != 0)
			continue;
		for (;;) {
			json_t *l = json_object_get(lines, ptr.data);

			if (json_is_integer(l)) {
				line = json_integer_value(l);
				break;
			}
			if ((slash = strrchr(ptr.data, '/')) == NULL)
				break;
			*slash = '\0';
		}
		json_object_set_new(entry, "line", json_integer(line));
	}
	prfaq_buf_free(&ptr);
}
