/*
 * markdown.h - reading a PR/FAQ written in Markdown (authoring).
 *
 * The layout is the one prfaq_render_markdown() writes (prfaq/render.h), and
 * reading is its exact inverse for what a client can write: for a stored
 * document d, parsing the rendering of d gives d's title, team, tags and
 * content byte for byte, with absent members absent and "" kept as "".
 *
 *   # Instant refunds                                   title
 *
 *   **Team:** payments · **Tags:** `prime`, `returns` · **Status:** Draft · ...
 *
 *   ## Press release                                    content.press_release
 *
 *   ### Headline                                        one heading per member:
 *                                                       Headline, Subheading,
 *   Refunds in five minutes                             Location, Launch date,
 *                                                       Summary, Problem,
 *   ### Leader quote                                    Solution, Leader quote,
 *                                                       How it works, Customer
 *   > Waiting is not a feature.                         quote, Call to action
 *
 *   — Jane Doe, VP Payments                             the speaker
 *
 *   ## Customer                                         content.customer
 *
 *   ### Who is the customer?                            who; then problem,
 *                                                       benefit, evidence,
 *   Online shoppers                                     experience by question
 *
 *   ## External FAQ                                     content.faq.external
 *                                                       (## Internal FAQ too;
 *   ### Q: What does it cost?                           ## FAQ alone: faq is {})
 *
 *   Nothing.                                            the answer
 *
 *   ## Metrics                                          content.metrics
 *
 *   - **Key:** orders                                   one list item each, a
 *                                                       labelled paragraph per
 *     **Name:** Weekly orders                           member: Key, Name,
 *                                                       Kind, Unit, Direction,
 *     **Target:** 1200                                  Baseline, Target, By
 *                                                       (numbers as JSON
 *                                                       numbers: 12 and 12.0
 *                                                       stay what they were)
 *
 *   ## Appendix: Visuals                                content.visuals
 *
 *   - **Title:** Refund flow                            one list item each
 *
 *     **URL:** <https://example.com/flow.png>
 *
 *     **Caption:** Three taps
 *
 * Text is plain: everything Markdown would read as markup is escaped with a
 * backslash, and what Markdown would drop is written as a character
 * reference (&#32; for a space or &#9; for a tab at either end of a line,
 * &#13; for a carriage return, &#10; for a line ending that is not a line
 * break or a paragraph break).  In a member's text a line ending is a line
 * break (a backslash at the end of the line, or just a new line when a
 * person writes it) and one blank line between paragraphs is "\n\n".
 *
 * Presence is always visible: a heading or label with nothing under it is
 * "", a missing one is an absent member.  An FAQ entry without a question
 * is headed "### *(no question)*", and an empty answer is written
 * "*(empty)*".  The members a client cannot write (Status, Version, Owner,
 * Author, Updated, Quality score in the meta line; the Decision section) are
 * accepted and ignored, so a document fetched as Markdown can be edited and
 * sent back.  Anything else is an error that names its line.
 */
#ifndef PRFAQ_MARKDOWN_H
#define PRFAQ_MARKDOWN_H

#include <jansson.h>
#include <stddef.h>

#include "prfaq/error.h"

/*
 * Read a PR/FAQ from md[0..len) (any bytes; not NUL-terminated).
 *
 * On PRFAQ_OK, *body is a new object {title, team?, tags, content} (the
 * caller owns it; tags and content are always there, maybe empty), ready for
 * prfaq_doc_validate(), which still decides whether the values are valid.
 * When lines is not NULL, *lines is a new object (the caller's) mapping the
 * JSON Pointer of every member read ("/content/faq/external/0/answer") to
 * the line where it starts, for prfaq_markdown_locate().
 *
 * On PRFAQ_EINVAL, err (when not NULL) holds one {"line", "message"} entry
 * per problem, capped as every error list is (prfaq/error.h), and nothing
 * is stored in *body or *lines.
 */
prfaq_code prfaq_markdown_parse(const char *md, size_t len, json_t **body,
				json_t **lines, struct prfaq_error *err);

/*
 * Give every {"pointer", "message"} entry of err->errors (as
 * prfaq_doc_validate() writes them about a body that prfaq_markdown_parse()
 * read) the "line" of the member it names, or of its nearest ancestor that
 * lines (borrowed) knows.  Entries keep their pointer.  Nothing when lines
 * is NULL (the body was JSON), so callers need not ask.
 */
void prfaq_markdown_locate(struct prfaq_error *err, const json_t *lines);

#endif
