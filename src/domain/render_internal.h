/*
 * render_internal.h - what the parts of the renderer share (private to
 * src/domain/render*.c; the interface is include/prfaq/render.h).
 *
 *   render.c         the reading Markdown: one part per section
 *   render_markdown.c  the authoring Markdown, which reads back exactly
 *   render_escape.c  user text, escaped for Markdown and for HTML
 *   render_html.c    the HTML page made from the Markdown parts
 *
 * Appending functions return 0, or -1 when memory runs out; what they read
 * is borrowed and what they write goes into the caller's buffer.
 */
#ifndef PRFAQ_RENDER_INTERNAL_H
#define PRFAQ_RENDER_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "prfaq/buf.h"

/* The Markdown parts, in the order they are joined. */
enum md_part {
	PART_HEAD,
	PART_META,
	PART_PRESS,
	PART_CUSTOMER,
	PART_FAQ_EXTERNAL,
	PART_FAQ_INTERNAL,
	PART_DECISION,
	PART_VISUALS,
	PART_COUNT_
};

struct md_doc {
	struct prfaq_buf part[PART_COUNT_];
};

static inline bool
is_hspace(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool
is_eol(char c)
{
	return c == '\n' || c == '\r';
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ---- render.c ---------------------------------------------------------- */

/*
 * Borrowed bytes of obj[key] when obj is an object and the member a string
 * holding something other than whitespace; NULL otherwise (*len is 0).
 */
const char *render_text_get(const json_t *obj, const char *key, size_t *len);

/* obj[key] when obj is an object and the member is an object; else NULL. */
const json_t *render_object_get(const json_t *obj, const char *key);

/*
 * Render every part of doc into md (whose buffers the caller frees with
 * render_md_doc_free, also on failure).  Returns 0, or -1 on ENOMEM.
 */
int render_md_doc_build(const json_t *doc, struct md_doc *md);
void render_md_doc_free(struct md_doc *md);

/* The name of a {"name": ...} member such as "owner"; NULL when absent. */
const char *render_name_get(const json_t *obj, const char *key, size_t *len);

/* Human label for a status ("In review"); unknown values as given. */
int render_md_status(struct prfaq_buf *out, const char *s, size_t n);

/* An integer (or a real, rounded) for the metadata line; false otherwise. */
bool render_number_of(const json_t *v, json_int_t *out);

/* The "## Decision" section of a decision object (NULL: nothing). */
int render_md_decision(struct prfaq_buf *out, const json_t *decision);

/* Only absolute http(s) URLs without whitespace become links. */
bool render_url_linkable(const char *s, size_t n);

/* Undo a failed render: out goes back to length len.  Returns -1. */
int render_rollback(struct prfaq_buf *out, size_t len);

/* ---- render_escape.c --------------------------------------------------- */

/*
 * One line of user text s[0..n) (no line endings in it), escaped.
 * line_start: the text begins where a block could begin.
 */
int render_md_escape(struct prfaq_buf *out, const char *s, size_t n,
		     bool line_start);

/* User text as one line: every line ending becomes one space. */
int render_md_inline(struct prfaq_buf *out, const char *s, size_t n,
		     bool line_start);

/* User text as paragraphs, each line starting with prefix; lead is trusted. */
int render_md_blocks(struct prfaq_buf *out, const char *s, size_t n,
		     const char *prefix, const char *lead);

/* User text between emphasis delimiters; nothing when no text is left. */
int render_md_wrapped(struct prfaq_buf *out, const char *s, size_t n,
		      const char *delim);

/* A link destination. */
int render_md_url(struct prfaq_buf *out, const char *s, size_t n);

/*
 * User text as paragraphs that cmark reads back byte for byte (see
 * render_escape.c), each line starting with prefix; "" writes nothing.
 */
int render_md_exact_blocks(struct prfaq_buf *out, const char *s, size_t n,
			   const char *prefix);

/*
 * User text inside one paragraph or heading that cmark reads back byte for
 * byte; prefix starts the line after a hard break, NULL where there can be
 * none (a heading).
 */
int render_md_exact_inline(struct prfaq_buf *out, const char *s, size_t n,
			   const char *prefix);

/* Text as a code span, kept byte for byte; not for "". */
int render_md_code_span(struct prfaq_buf *out, const char *s, size_t n);

/* An http(s) URL as an autolink whose destination reads back exactly. */
int render_md_autolink(struct prfaq_buf *out, const char *s, size_t n);

/* User text as HTML text, safe in elements and quoted attributes. */
int render_html_escape(struct prfaq_buf *out, const char *s, size_t n);

/* ---- render_html_evidence.c -------------------------------------------- */

/* The evidence appendix's CSS, part of the page's <style>. */
extern const char render_evidence_style[];

/*
 * The page's last section: the linked evidence of the render input's
 * "evidence_appendix" (borrowed; NULL or without items: nothing).
 * 0, or -1 on ENOMEM.
 */
int render_html_evidence(struct prfaq_buf *out, const json_t *appendix);

#endif
