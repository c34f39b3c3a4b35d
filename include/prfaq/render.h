/*
 * render.h - PR/FAQ rendering for the review meeting's silent reading.
 *
 * Input is a document or version object as the API returns it (borrowed):
 * "title", "content" and, when present, "status", "version" or "number",
 * "team", "tags", "owner": {"name"}, "author": {"name"}, "updated_at" /
 * "created_at", "quality": {"score"}, "decision".
 */
#ifndef PRFAQ_RENDER_H
#define PRFAQ_RENDER_H

#include <jansson.h>

#include "prfaq/buf.h"

/*
 * Markdown: title as heading, subheading, metadata line, dateline, press
 * release in order, then customer questions, external and internal FAQ, the
 * decision, visuals.  Every piece of user text is escaped so it cannot change
 * the structure.  Appends to out; 0, or -1 on ENOMEM with out as it was.
 */
int prfaq_render_markdown(const json_t *doc, struct prfaq_buf *out);

/*
 * A complete, self-contained, print-friendly HTML page made from the Markdown
 * with libcmark in safe mode (raw HTML dropped, user text escaped).  Appends
 * to out; 0, or -1 on ENOMEM with out as it was.
 */
int prfaq_render_html(const json_t *doc, struct prfaq_buf *out);

#endif
