/*
 * render.h - PR/FAQ renderings: Markdown to edit and read back, and the
 * reading page (Markdown and HTML) for the review meeting.
 *
 * Input is a document or version object as the API returns it (borrowed):
 * "title", "content" and, when present, "status", "version" or "number",
 * "team", "tags", "owner": {"name"}, "author": {"name"}, "updated_at" /
 * "created_at", "quality": {"score"}, "decision".  The HTML page also reads
 * "evidence_appendix": {"items": [linked evidence], "more": n}, which the
 * API adds for it (the document's own "evidence" holds only counts); the
 * Markdown renderings never show evidence.
 */
#ifndef PRFAQ_RENDER_H
#define PRFAQ_RENDER_H

#include <jansson.h>

#include "prfaq/buf.h"

/*
 * Markdown in the authoring layout (prfaq/markdown.h): every member a
 * client writes under its own heading or label, shown whenever it is
 * present, with its text encoded so that prfaq_markdown_parse() reads the
 * document back byte for byte; the read-only members (status, version,
 * owner, decision, ...) as information.  What GET with Accept: text/markdown
 * returns.  Appends to out; 0, or -1 on ENOMEM with out as it was.
 */
int prfaq_render_markdown(const json_t *doc, struct prfaq_buf *out);

/*
 * Markdown in the reading layout, the one the HTML page is made from: the
 * headline as the title, subheading, metadata line, dateline, press release
 * in order, customer questions, external and internal FAQ, the decision,
 * visuals.  Every piece of user text is escaped so it cannot change the
 * structure, but whitespace and empty members are not kept: it is not read
 * back.  Appends to out; 0, or -1 on ENOMEM with out as it was.
 */
int prfaq_render_reading_markdown(const json_t *doc, struct prfaq_buf *out);

/*
 * A complete, self-contained, print-friendly HTML page made from the reading
 * Markdown with libcmark in safe mode (raw HTML dropped, user text escaped).
 * Appends to out; 0, or -1 on ENOMEM with out as it was.
 */
int prfaq_render_html(const json_t *doc, struct prfaq_buf *out);

#endif
