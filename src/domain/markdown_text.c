/*
 * markdown_text.c - reading member text and the meta line of a PR/FAQ's
 * Markdown layout (see markdown_parse.c for how the walk works).
 */
#include <cmark.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "markdown_internal.h"
#include "prfaq/buf.h"
#include "prfaq/content.h"

#define MIDDLE_DOT_SEP " \xC2\xB7 " /* " · " between meta items */

enum meta_item { META_TEAM, META_TAGS, META_READ_ONLY };

static const struct {
	const char *label;
	enum meta_item item;
} meta_labels[] = {
	{ "Team:", META_TEAM },		{ "Tags:", META_TAGS },
	{ "Status:", META_READ_ONLY },	{ "Version:", META_READ_ONLY },
	{ "Owner:", META_READ_ONLY },	{ "Author:", META_READ_ONLY },
	{ "Updated:", META_READ_ONLY }, { "Quality score:", META_READ_ONLY },
};

/* ---- reading text ----------------------------------------------------------- */

bool
md_is_type(cmark_node *n, cmark_node_type t)
{
	return n != NULL && cmark_node_get_type(n) == t;
}

static bool
is_break(cmark_node *n)
{
	return md_is_type(n, CMARK_NODE_SOFTBREAK) ||
	       md_is_type(n, CMARK_NODE_LINEBREAK);
}

/* A heading of level at most level (a section or member boundary). */
bool
md_is_heading_upto(cmark_node *n, int level)
{
	return md_is_type(n, CMARK_NODE_HEADING) &&
	       cmark_node_get_heading_level(n) <= level;
}

/*
 * Line breaks inside n and its descendants, counted without recursion:
 * only needed to name the right line after markup that spans lines.
 */
static int
breaks_within(cmark_node *n)
{
	cmark_iter *it;
	cmark_event_type ev;
	int count = 0;

	if (cmark_node_first_child(n) == NULL)
		return is_break(n) ? 1 : 0;
	it = cmark_iter_new(n); /* cmark aborts when memory runs out */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER &&
		    is_break(cmark_iter_get_node(it)))
			count++;
	cmark_iter_free(it);
	return count;
}

/* The source line of inline node n, a child of block. */
static int
inline_line(cmark_node *block, cmark_node *n)
{
	int line = cmark_node_get_start_line(block);

	for (cmark_node *c = cmark_node_first_child(block); c != NULL && c != n;
	     c = cmark_node_next(c))
		line += breaks_within(c);
	return line;
}

/* Why an inline node cannot be part of plain text, and how to write it. */
static const char *
inline_problem(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
		return "emphasis is not kept: PR/FAQ text is plain (write \\* "
		       "or \\_ for a literal * or _)";
	case CMARK_NODE_CODE:
		return "a code span is not kept: PR/FAQ text is plain (write "
		       "\\` for a literal backtick)";
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		return "a link is not kept: PR/FAQ text is plain (write \\[ "
		       "or \\< for a literal [ or <)";
	case CMARK_NODE_HTML_INLINE:
		return "raw HTML is not kept: PR/FAQ text is plain (write \\< "
		       "for a literal <)";
	default:
		return "this markup is not kept: PR/FAQ text is plain";
	}
}

/*
 * Append the text of block's inline children from first up to (not
 * including) stop to out: text as cmark unescaped it, and "\n" for each
 * line ending (a hard break the renderer wrote, or a plain new line an
 * author typed).  Reports the first node plain text cannot hold and
 * returns false.
 */
bool
md_read_inlines(struct mdp *p, cmark_node *block, cmark_node *first,
		cmark_node *stop, struct prfaq_buf *out)
{
	for (cmark_node *n = first; n != NULL && n != stop;
	     n = cmark_node_next(n)) {
		const char *lit;
		int rc;

		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
			lit = cmark_node_get_literal(n);
			rc = prfaq_buf_puts(out, lit != NULL ? lit : "");
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			rc = prfaq_buf_putc(out, '\n');
			break;
		default:
			md_report(p, inline_line(block, n), "%s",
				  inline_problem(n));
			return false;
		}
		/* Only a length past SIZE_MAX fails: memory aborts. */
		if (rc != 0) {
			md_report(p, inline_line(block, n), "is too long");
			return false;
		}
	}
	return true;
}

/* The whole text of a block with inline children (heading, paragraph). */
bool
md_read_block_text(struct mdp *p, cmark_node *block, struct prfaq_buf *out)
{
	return md_read_inlines(p, block, cmark_node_first_child(block), NULL,
			       out);
}

/* Why a block cannot be part of a member's text. */
const char *
md_block_problem(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_LIST:
		return "a list is not kept in PR/FAQ text (write \\- or 1\\. "
		       "to start a line with a literal marker)";
	case CMARK_NODE_CODE_BLOCK:
		return "a code block is not kept in PR/FAQ text (do not indent "
		       "text by four spaces; write &#32; for a leading space)";
	case CMARK_NODE_BLOCK_QUOTE:
		return "a block quote belongs only under Leader quote or "
		       "Customer quote (write \\> for a literal >)";
	case CMARK_NODE_HTML_BLOCK:
		return "raw HTML is not kept in PR/FAQ text (write \\< for a "
		       "literal <)";
	case CMARK_NODE_THEMATIC_BREAK:
		return "a horizontal rule is not kept in PR/FAQ text (write \\- "
		       "or \\* to start a line with them)";
	case CMARK_NODE_HEADING:
		return "a heading of this level has no place here";
	default:
		return "this block has no place here";
	}
}

/*
 * A paragraph that is nothing but "*marker*": emphasis, which no user text
 * can produce, around exactly the marker's text.
 */
bool
md_is_marker(cmark_node *block, const char *marker)
{
	cmark_node *em = cmark_node_first_child(block), *t;
	const char *lit;

	if (!md_is_type(em, CMARK_NODE_EMPH) || cmark_node_next(em) != NULL)
		return false;
	t = cmark_node_first_child(em);
	if (!md_is_type(t, CMARK_NODE_TEXT) || cmark_node_next(t) != NULL)
		return false;
	lit = cmark_node_get_literal(t);
	return lit != NULL && strcmp(lit, marker) == 0;
}

/*
 * Read a member's text: the paragraphs from n up to the next heading (of any
 * level) or the end of the container, joined with "\n\n".  Other blocks are
 * reported.  p->text gets the text; *count the number of paragraphs.
 * Returns the first node not read.
 */
cmark_node *
md_read_paragraphs(struct mdp *p, cmark_node *n, size_t *count)
{
	*count = 0;
	prfaq_buf_reset(&p->text);
	for (; n != NULL && !md_is_type(n, CMARK_NODE_HEADING);
	     n = cmark_node_next(n)) {
		if (!md_is_type(n, CMARK_NODE_PARAGRAPH)) {
			md_report(p, cmark_node_get_start_line(n), "%s",
				  md_block_problem(n));
			continue;
		}
		if (*count > 0 && prfaq_buf_puts(&p->text, "\n\n") != 0) {
			md_report(p, cmark_node_get_start_line(n),
				  "is too long");
			break;
		}
		md_read_block_text(p, n, &p->text);
		(*count)++;
	}
	return n;
}

/* ASCII-case-insensitive: s[0..n) is exactly label. */
bool
md_label_is(const char *s, size_t n, const char *label)
{
	return strlen(label) == n && strncasecmp(s, label, n) == 0;
}

/* The text of a plain heading, in p->text; false after a report. */
bool
md_heading_text(struct mdp *p, cmark_node *h)
{
	prfaq_buf_reset(&p->text);
	return md_read_block_text(p, h, &p->text);
}

/*
 * The label of a strong node, "**Team:**", when it holds only text; NULL
 * otherwise.  Borrowed from the tree.
 */
const char *
md_strong_label(cmark_node *n)
{
	cmark_node *t;

	if (!md_is_type(n, CMARK_NODE_STRONG))
		return NULL;
	t = cmark_node_first_child(n);
	if (!md_is_type(t, CMARK_NODE_TEXT) || cmark_node_next(t) != NULL)
		return NULL;
	return cmark_node_get_literal(t);
}

/*
 * Drop the one space the renderer writes between a label and its value
 * (and an author may leave out): the text keeps every other byte.
 */
void
md_drop_lead_space(struct prfaq_buf *b)
{
	if (b->len > 0 && b->data[0] == ' ') {
		memmove(b->data, b->data + 1, b->len); /* with the NUL */
		b->len--;
	}
}

/* ---- the meta line -------------------------------------------------------- */

static bool
is_meta_label(cmark_node *n, enum meta_item *item)
{
	const char *label = md_strong_label(n);

	if (label == NULL)
		return false;
	for (size_t i = 0; i < NELEM(meta_labels); i++) {
		if (strcasecmp(label, meta_labels[i].label) == 0) {
			*item = meta_labels[i].item;
			return true;
		}
	}
	return false;
}

/*
 * The value of one meta item, the inlines between its label and the next
 * label (stop, NULL at the end of the line), in p->text: without the " · "
 * before the next label (or the line ending an author put there instead)
 * and without the space after the label.
 */
static bool
meta_value(struct mdp *p, cmark_node *para, cmark_node *first, cmark_node *stop)
{
	cmark_node *last = stop != NULL ? cmark_node_previous(stop) :
					  cmark_node_last_child(para);
	size_t sep = strlen(MIDDLE_DOT_SEP);

	prfaq_buf_reset(&p->text);
	if (stop != NULL && last != NULL &&
	    last != cmark_node_previous(first) && is_break(last))
		stop = last;
	if (!md_read_inlines(p, para, first, stop, &p->text))
		return false;
	if (stop != NULL && p->text.len >= sep &&
	    memcmp(p->text.data + p->text.len - sep, MIDDLE_DOT_SEP, sep) ==
		    0) {
		p->text.len -= sep;
		p->text.data[p->text.len] = '\0';
	}
	md_drop_lead_space(&p->text);
	return true;
}

/* Append tag (taken; NULL: not UTF-8, reported as md_put() does) to tags. */
static void
append_tag(struct mdp *p, json_t *tags, json_t *tag, int line)
{
	char ptr[32];

	if (tag == NULL) {
		md_report(p, line, "holds text that is not valid UTF-8");
		return;
	}
	snprintf(ptr, sizeof(ptr), "/tags/%zu", json_array_size(tags));
	json_array_append_new(tags, tag);
	md_note_line(p, ptr, line);
}

/* True when s[0..n) holds only spaces and commas (between tags). */
static bool
only_commas(const char *s)
{
	return s[strspn(s, " ,")] == '\0';
}

/*
 * Tags: each in a code span (`prime`, `returns`), which keeps any text
 * exactly.  A list typed without backticks (prime, returns) is split at
 * commas, each tag trimmed of spaces.
 */
static void
meta_tags(struct mdp *p, cmark_node *para, cmark_node *first, cmark_node *stop,
	  int line)
{
	json_t *tags = json_object_get(p->body, "tags");
	bool spans = false;

	for (cmark_node *n = first; n != stop; n = cmark_node_next(n))
		spans |= md_is_type(n, CMARK_NODE_CODE);
	if (!spans) {
		const char *s, *e;

		if (!meta_value(p, para, first, stop))
			return;
		for (s = p->text.data; s != NULL && *s != '\0'; s = e) {
			const char *b = s, *t;

			e = strchr(s, ',');
			e = e != NULL ? e + 1 : s + strlen(s);
			t = e;
			while (b < t && *b == ' ')
				b++;
			while (t > b && (t[-1] == ' ' || t[-1] == ','))
				t--;
			if (t == b)
				continue;
			if (json_array_size(tags) > PRFAQ_TAGS_MAX) {
				md_report(p, line,
					  "Tags: a PR/FAQ has at most %d",
					  PRFAQ_TAGS_MAX);
				return;
			}
			append_tag(p, tags, json_stringn(b, (size_t)(t - b)),
				   line);
		}
		return;
	}
	for (cmark_node *n = first; n != stop; n = cmark_node_next(n)) {
		const char *lit = cmark_node_get_literal(n);

		if (md_is_type(n, CMARK_NODE_CODE)) {
			if (json_array_size(tags) > PRFAQ_TAGS_MAX) {
				md_report(p, line,
					  "Tags: a PR/FAQ has at most %d",
					  PRFAQ_TAGS_MAX);
				return;
			}
			append_tag(p, tags, json_string(lit ? lit : ""), line);
		} else if (!(md_is_type(n, CMARK_NODE_TEXT) &&
			     (only_commas(lit) ||
			      (cmark_node_next(n) == stop &&
			       strcmp(lit, MIDDLE_DOT_SEP) == 0))) &&
			   !is_break(n)) {
			md_report(p, line,
				  "Tags: write each tag in backticks, "
				  "separated by commas (`prime`, `returns`)");
			return;
		}
	}
}

/*
 * The meta line: "**Label:** value" items.  Team and Tags are read; the
 * read-only items (Status, Version, ...) are skipped, whatever their value.
 */
void
md_read_meta(struct mdp *p, cmark_node *para)
{
	cmark_node *n = cmark_node_first_child(para);
	bool seen[META_READ_ONLY] = { false, false };

	while (n != NULL) {
		cmark_node *stop = cmark_node_next(n);
		enum meta_item item, next;
		int at = inline_line(para, n);

		if (!is_meta_label(n, &item)) {
			md_report(p, at,
				  "the line under the title holds "
				  "**Team:** and **Tags:** items separated by "
				  "\" · \"; this is not one of them");
			return;
		}
		while (stop != NULL && !is_meta_label(stop, &next)) {
			if (md_strong_label(stop) != NULL) {
				md_report(
					p, inline_line(para, stop),
					"**%.40s** "
					"is not an item of the line under the "
					"title: it holds Team and Tags (and the "
					"read-only Status, Version, Owner, "
					"Author, Updated and Quality score)",
					md_strong_label(stop));
				return;
			}
			stop = cmark_node_next(stop);
		}
		if (item != META_READ_ONLY && seen[item]) {
			md_report(p, at, "%s appears twice",
				  item == META_TEAM ? "Team" : "Tags");
		} else if (item == META_TEAM) {
			if (meta_value(p, para, cmark_node_next(n), stop))
				md_put(p, p->body, "team", md_text_value(p),
				       "/team", at);
		} else if (item == META_TAGS) {
			md_note_line(p, "/tags", at);
			meta_tags(p, para, cmark_node_next(n), stop, at);
		}
		if (item != META_READ_ONLY)
			seen[item] = true;
		n = stop;
	}
}
