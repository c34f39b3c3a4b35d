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
#include <strings.h>

#include "prfaq/buf.h"
#include "prfaq/content.h"
#include "prfaq/utf8.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define EM_DASH	       "\xE2\x80\x94" /* U+2014, before a quote's speaker */
#define MIDDLE_DOT_SEP " \xC2\xB7 "   /* " · " between meta items */

/* ---- the layout's names ------------------------------------------------- */

enum section {
	SEC_PRESS,
	SEC_CUSTOMER,
	SEC_FAQ,
	SEC_FAQ_EXTERNAL,
	SEC_FAQ_INTERNAL,
	SEC_VISUALS,
	SEC_DECISION, /* read-only: skipped */
	SEC_COUNT_
};

static const struct {
	const char *heading;
	enum section sec;
} sections[] = {
	{ "Press release", SEC_PRESS },
	{ "Customer", SEC_CUSTOMER },
	{ "FAQ", SEC_FAQ },
	{ "External FAQ", SEC_FAQ_EXTERNAL },
	{ "Internal FAQ", SEC_FAQ_INTERNAL },
	{ "Appendix: Visuals", SEC_VISUALS },
	{ "Visuals", SEC_VISUALS },
	{ "Decision", SEC_DECISION },
};

static const char sections_hint[] =
	"Press release, Customer, External FAQ, Internal FAQ or Appendix: "
	"Visuals (Decision is read-only and ignored)";

struct member {
	const char *label;
	const char *key;
	bool quote; /* {text, speaker} rather than text */
};

static const struct member press_members[] = {
	{ "Headline", "headline", false },
	{ "Subheading", "subheading", false },
	{ "Location", "location", false },
	{ "Launch date", "launch_date", false },
	{ "Summary", "summary", false },
	{ "Problem", "problem", false },
	{ "Solution", "solution", false },
	{ "Leader quote", "leader_quote", true },
	{ "How it works", "how_it_works", false },
	{ "Customer quote", "customer_quote", true },
	{ "Call to action", "call_to_action", false },
};

static const struct member customer_members[] = {
	{ "Who is the customer?", "who", false },
	{ "What is the customer problem or opportunity?", "problem", false },
	{ "What is the most important customer benefit?", "benefit", false },
	{ "How do we know what customers need or want?", "evidence", false },
	{ "What does the customer experience look like?", "experience", false },
};

static const struct member visual_members[] = {
	{ "Title:", "title", false },
	{ "URL:", "url", false },
	{ "Caption:", "caption", false },
};

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

static const char no_question[] = "(no question)";
static const char empty_marker[] = "(empty)";

/* ---- parser state -------------------------------------------------------- */

struct mdp {
	struct prfaq_error *err;      /* borrowed; may be NULL */
	bool failed;		      /* some layout problem was found */
	json_t *body;		      /* {title, team?, tags, content} */
	json_t *content;	      /* borrowed from body */
	json_t *lines;		      /* pointer -> line */
	int section_line[SEC_COUNT_]; /* where each section was seen, or 0 */
	struct prfaq_buf text;	      /* scratch for one member's text */
};

static void report(struct mdp *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Record a layout problem at line.  The error list keeps the first
 * PRFAQ_ERRORS_MAX and then says it was truncated; without an err to fill
 * the problem still makes the parse fail.
 */
static void
report(struct mdp *p, int line, const char *fmt, ...)
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
static void
note_line(struct mdp *p, const char *pointer, int line)
{
	json_object_set_new(p->lines, pointer, json_integer(line));
}

/* The line a member at pointer was read from, or 0. */
static int
line_of(const struct mdp *p, const char *pointer)
{
	return (int)json_integer_value(json_object_get(p->lines, pointer));
}

/*
 * obj[key] = value (taken); records the line under pointer.  value is NULL
 * only when Jansson refused text that is not UTF-8, which cmark does not
 * make of valid input: reported all the same, never stored as a default.
 */
static void
put(struct mdp *p, json_t *obj, const char *key, json_t *value,
    const char *pointer, int line)
{
	if (value == NULL) {
		report(p, line, "holds text that is not valid UTF-8");
		return;
	}
	json_object_set_new(obj, key, value);
	note_line(p, pointer, line);
}

/* p->text as a new JSON string (NULL when out of memory). */
static json_t *
text_value(struct mdp *p)
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
			report(p, line, "is not valid UTF-8");
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
				report(p, line,
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

/* ---- reading text ----------------------------------------------------------- */

static bool
is_type(cmark_node *n, cmark_node_type t)
{
	return n != NULL && cmark_node_get_type(n) == t;
}

static bool
is_break(cmark_node *n)
{
	return is_type(n, CMARK_NODE_SOFTBREAK) ||
	       is_type(n, CMARK_NODE_LINEBREAK);
}

/* A heading of level at most level (a section or member boundary). */
static bool
is_heading_upto(cmark_node *n, int level)
{
	return is_type(n, CMARK_NODE_HEADING) &&
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
static bool
read_inlines(struct mdp *p, cmark_node *block, cmark_node *first,
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
			report(p, inline_line(block, n), "%s",
			       inline_problem(n));
			return false;
		}
		/* Only a length past SIZE_MAX fails: memory aborts. */
		if (rc != 0) {
			report(p, inline_line(block, n), "is too long");
			return false;
		}
	}
	return true;
}

/* The whole text of a block with inline children (heading, paragraph). */
static bool
read_block_text(struct mdp *p, cmark_node *block, struct prfaq_buf *out)
{
	return read_inlines(p, block, cmark_node_first_child(block), NULL, out);
}

/* Why a block cannot be part of a member's text. */
static const char *
block_problem(cmark_node *n)
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
static bool
is_marker(cmark_node *block, const char *marker)
{
	cmark_node *em = cmark_node_first_child(block), *t;
	const char *lit;

	if (!is_type(em, CMARK_NODE_EMPH) || cmark_node_next(em) != NULL)
		return false;
	t = cmark_node_first_child(em);
	if (!is_type(t, CMARK_NODE_TEXT) || cmark_node_next(t) != NULL)
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
static cmark_node *
read_paragraphs(struct mdp *p, cmark_node *n, size_t *count)
{
	*count = 0;
	prfaq_buf_reset(&p->text);
	for (; n != NULL && !is_type(n, CMARK_NODE_HEADING);
	     n = cmark_node_next(n)) {
		if (!is_type(n, CMARK_NODE_PARAGRAPH)) {
			report(p, cmark_node_get_start_line(n), "%s",
			       block_problem(n));
			continue;
		}
		if (*count > 0 && prfaq_buf_puts(&p->text, "\n\n") != 0) {
			report(p, cmark_node_get_start_line(n), "is too long");
			break;
		}
		read_block_text(p, n, &p->text);
		(*count)++;
	}
	return n;
}

/* ASCII-case-insensitive: s[0..n) is exactly label. */
static bool
label_is(const char *s, size_t n, const char *label)
{
	return strlen(label) == n && strncasecmp(s, label, n) == 0;
}

/* The text of a plain heading, in p->text; false after a report. */
static bool
heading_text(struct mdp *p, cmark_node *h)
{
	prfaq_buf_reset(&p->text);
	return read_block_text(p, h, &p->text);
}

/*
 * The label of a strong node, "**Team:**", when it holds only text; NULL
 * otherwise.  Borrowed from the tree.
 */
static const char *
strong_label(cmark_node *n)
{
	cmark_node *t;

	if (!is_type(n, CMARK_NODE_STRONG))
		return NULL;
	t = cmark_node_first_child(n);
	if (!is_type(t, CMARK_NODE_TEXT) || cmark_node_next(t) != NULL)
		return NULL;
	return cmark_node_get_literal(t);
}

/*
 * Drop the one space the renderer writes between a label and its value
 * (and an author may leave out): the text keeps every other byte.
 */
static void
drop_lead_space(struct prfaq_buf *b)
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
	const char *label = strong_label(n);

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
	if (!read_inlines(p, para, first, stop, &p->text))
		return false;
	if (stop != NULL && p->text.len >= sep &&
	    memcmp(p->text.data + p->text.len - sep, MIDDLE_DOT_SEP, sep) ==
		    0) {
		p->text.len -= sep;
		p->text.data[p->text.len] = '\0';
	}
	drop_lead_space(&p->text);
	return true;
}

/* Append tag (taken; NULL: not UTF-8, reported as put() does) to tags. */
static void
append_tag(struct mdp *p, json_t *tags, json_t *tag, int line)
{
	char ptr[32];

	if (tag == NULL) {
		report(p, line, "holds text that is not valid UTF-8");
		return;
	}
	snprintf(ptr, sizeof(ptr), "/tags/%zu", json_array_size(tags));
	json_array_append_new(tags, tag);
	note_line(p, ptr, line);
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
		spans |= is_type(n, CMARK_NODE_CODE);
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
				report(p, line, "Tags: a PR/FAQ has at most %d",
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

		if (is_type(n, CMARK_NODE_CODE)) {
			if (json_array_size(tags) > PRFAQ_TAGS_MAX) {
				report(p, line, "Tags: a PR/FAQ has at most %d",
				       PRFAQ_TAGS_MAX);
				return;
			}
			append_tag(p, tags, json_string(lit ? lit : ""), line);
		} else if (!(is_type(n, CMARK_NODE_TEXT) &&
			     (only_commas(lit) ||
			      (cmark_node_next(n) == stop &&
			       strcmp(lit, MIDDLE_DOT_SEP) == 0))) &&
			   !is_break(n)) {
			report(p, line,
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
static void
read_meta(struct mdp *p, cmark_node *para)
{
	cmark_node *n = cmark_node_first_child(para);
	bool seen[META_READ_ONLY] = { false, false };

	while (n != NULL) {
		cmark_node *stop = cmark_node_next(n);
		enum meta_item item, next;
		int at = inline_line(para, n);

		if (!is_meta_label(n, &item)) {
			report(p, at,
			       "the line under the title holds "
			       "**Team:** and **Tags:** items separated by "
			       "\" · \"; this is not one of them");
			return;
		}
		while (stop != NULL && !is_meta_label(stop, &next)) {
			if (strong_label(stop) != NULL) {
				report(p, inline_line(para, stop),
				       "**%.40s** "
				       "is not an item of the line under the "
				       "title: it holds Team and Tags (and the "
				       "read-only Status, Version, Owner, "
				       "Author, Updated and Quality score)",
				       strong_label(stop));
				return;
			}
			stop = cmark_node_next(stop);
		}
		if (item != META_READ_ONLY && seen[item]) {
			report(p, at, "%s appears twice",
			       item == META_TEAM ? "Team" : "Tags");
		} else if (item == META_TEAM) {
			if (meta_value(p, para, cmark_node_next(n), stop))
				put(p, p->body, "team", text_value(p), "/team",
				    at);
		} else if (item == META_TAGS) {
			note_line(p, "/tags", at);
			meta_tags(p, para, cmark_node_next(n), stop, at);
		}
		if (item != META_READ_ONLY)
			seen[item] = true;
		n = stop;
	}
}

/* ---- sections ----------------------------------------------------------------- */

/* The end of a section: the next "#" or "##" heading, or the end. */
static bool
section_end(cmark_node *n)
{
	return n == NULL || is_heading_upto(n, 2);
}

/* Skip to the next heading of at most level, reporting nothing. */
static cmark_node *
skip_to_heading(cmark_node *n, int level)
{
	while (n != NULL && !is_heading_upto(n, level))
		n = cmark_node_next(n);
	return n;
}

/* Report every block up to the next heading of at most level, then skip. */
static cmark_node *
refuse_to_heading(struct mdp *p, cmark_node *n, int level, const char *why)
{
	for (; n != NULL && !is_heading_upto(n, level); n = cmark_node_next(n))
		report(p, cmark_node_get_start_line(n), "%s", why);
	return n;
}

/* obj[key] as an object, created (and its line noted) when absent. */
static json_t *
object_member(struct mdp *p, json_t *obj, const char *key, const char *pointer,
	      int line)
{
	json_t *v = json_object_get(obj, key);

	if (v != NULL)
		return v;
	v = json_object();
	put(p, obj, key, v, pointer, line);
	return v;
}

/* A level-3 heading naming one of table's members; NULL after a report. */
static const struct member *
member_heading(struct mdp *p, cmark_node *h, const struct member *table,
	       size_t n, const char *what)
{
	int line = cmark_node_get_start_line(h);

	if (cmark_node_get_heading_level(h) != 3) {
		report(p, line, "%s: expected a ### heading", what);
		return NULL;
	}
	if (!heading_text(p, h))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (label_is(p->text.data, p->text.len, table[i].label))
			return &table[i];
	report(p, line, "%s: \"%.80s\" is not one of its headings", what,
	       p->text.data);
	return NULL;
}

/*
 * A quote's words and speaker: a block quote, then a paragraph starting with
 * an em dash.  Either may be missing.  Returns the first node not read.
 */
static cmark_node *
read_quote(struct mdp *p, json_t *quote, const char *base, cmark_node *n)
{
	char ptr[128]; /* base is at most 96 bytes */

	if (is_type(n, CMARK_NODE_BLOCK_QUOTE)) {
		size_t count;
		cmark_node *rest;

		rest = read_paragraphs(p, cmark_node_first_child(n), &count);
		if (rest != NULL)
			report(p, cmark_node_get_start_line(rest), "%s",
			       block_problem(rest));
		snprintf(ptr, sizeof(ptr), "%s/text", base);
		put(p, quote, "text", text_value(p), ptr,
		    cmark_node_get_start_line(n));
		n = cmark_node_next(n);
	}
	if (is_type(n, CMARK_NODE_PARAGRAPH)) {
		cmark_node *t = cmark_node_first_child(n);
		const char *lit = is_type(t, CMARK_NODE_TEXT) ?
					  cmark_node_get_literal(t) :
					  NULL;
		size_t dash = strlen(EM_DASH);

		if (lit != NULL && strncmp(lit, EM_DASH, dash) == 0) {
			prfaq_buf_reset(&p->text);
			if (read_block_text(p, n, &p->text)) {
				memmove(p->text.data, p->text.data + dash,
					p->text.len - dash + 1);
				p->text.len -= dash;
				drop_lead_space(&p->text);
				snprintf(ptr, sizeof(ptr), "%s/speaker", base);
				put(p, quote, "speaker", text_value(p), ptr,
				    cmark_node_get_start_line(n));
			}
			n = cmark_node_next(n);
		}
	}
	return refuse_to_heading(p, n, 3,
				 "a quote is its words as a block "
				 "quote (> ...) followed by its speaker "
				 "(— Name); nothing else");
}

/*
 * A section of text members, each under a ### heading from table: the
 * press release or the customer questions.
 */
static cmark_node *
read_members(struct mdp *p, cmark_node *h, const char *key,
	     const struct member *table, size_t count, const char *what)
{
	char base[64], ptr[96];
	json_t *obj;
	cmark_node *n;

	snprintf(base, sizeof(base), "/content/%s", key);
	obj = object_member(p, p->content, key, base,
			    cmark_node_get_start_line(h));
	n = cmark_node_next(h);
	if (!section_end(n) && !is_type(n, CMARK_NODE_HEADING)) {
		report(p, cmark_node_get_start_line(n),
		       "%s: text goes under "
		       "a ### heading naming its part",
		       what);
		n = skip_to_heading(n, 6);
	}
	while (!section_end(n)) {
		const struct member *m =
			member_heading(p, n, table, count, what);
		int line = cmark_node_get_start_line(n);
		size_t paras;

		n = cmark_node_next(n);
		if (m == NULL) {
			n = skip_to_heading(n, 3);
			continue;
		}
		snprintf(ptr, sizeof(ptr), "%s/%s", base, m->key);
		if (json_object_get(obj, m->key) != NULL) {
			report(p, line, "%s appears twice (first at line %d)",
			       m->label, line_of(p, ptr));
			n = skip_to_heading(n, 3);
			continue;
		}
		if (m->quote) {
			json_t *q = object_member(p, obj, m->key, ptr, line);

			n = read_quote(p, q, ptr, n);
			continue;
		}
		n = read_paragraphs(p, n, &paras);
		if (is_type(n, CMARK_NODE_HEADING) &&
		    cmark_node_get_heading_level(n) > 3) {
			report(p, cmark_node_get_start_line(n), "%s",
			       block_problem(n));
			n = skip_to_heading(cmark_node_next(n), 3);
		}
		put(p, obj, m->key, text_value(p), ptr, line);
	}
	return n;
}

/*
 * One FAQ list: entries headed "### Q: question" (or "### *(no question)*"),
 * each followed by its answer's paragraphs, "*(empty)*" for "", or nothing
 * when it has no answer.
 */
static cmark_node *
read_faq(struct mdp *p, cmark_node *h, const char *key)
{
	char base[64], ptr[96];
	json_t *faq, *list, *entry;
	cmark_node *n = cmark_node_next(h);
	int line = cmark_node_get_start_line(h);

	faq = object_member(p, p->content, "faq", "/content/faq", line);
	if (key == NULL) /* "## FAQ": the object, with no list in it */
		return refuse_to_heading(p, n, 2,
					 "FAQ entries go under "
					 "## External FAQ or ## Internal FAQ");
	snprintf(base, sizeof(base), "/content/faq/%s", key);
	list = json_array();
	put(p, faq, key, list, base, line);

	while (!section_end(n)) {
		size_t idx = json_array_size(list), paras;
		const char *q;

		line = cmark_node_get_start_line(n);
		if (!is_type(n, CMARK_NODE_HEADING) ||
		    cmark_node_get_heading_level(n) != 3) {
			report(p, line,
			       "an FAQ entry starts with a heading "
			       "### Q: followed by the question");
			n = skip_to_heading(cmark_node_next(n), 3);
			continue;
		}
		if (idx >= PRFAQ_LIST_MAX) {
			report(p, line, "an FAQ holds at most %d entries",
			       PRFAQ_LIST_MAX);
			return skip_to_heading(n, 2);
		}
		entry = json_object();
		json_array_append_new(list, entry);
		snprintf(ptr, sizeof(ptr), "%s/%zu", base, idx);
		note_line(p, ptr, line);
		if (!is_marker(n, no_question) && heading_text(p, n)) {
			q = p->text.data != NULL ? p->text.data : "";
			if (strncasecmp(q, "Q:", 2) != 0) {
				report(p, line,
				       "an FAQ entry starts with a "
				       "heading ### Q: followed by the "
				       "question");
			} else {
				memmove(p->text.data, p->text.data + 2,
					p->text.len - 1);
				p->text.len -= 2;
				drop_lead_space(&p->text);
				snprintf(ptr, sizeof(ptr), "%s/%zu/question",
					 base, idx);
				put(p, entry, "question", text_value(p), ptr,
				    line);
			}
		}
		n = cmark_node_next(n);
		snprintf(ptr, sizeof(ptr), "%s/%zu/answer", base, idx);
		if (is_type(n, CMARK_NODE_PARAGRAPH) &&
		    is_marker(n, empty_marker)) {
			put(p, entry, "answer", json_string(""), ptr,
			    cmark_node_get_start_line(n));
			n = refuse_to_heading(p, cmark_node_next(n), 3,
					      "*(empty)* stands for an empty "
					      "answer: nothing may follow it");
			continue;
		}
		line = n != NULL ? cmark_node_get_start_line(n) : line;
		n = read_paragraphs(p, n, &paras);
		if (paras > 0)
			put(p, entry, "answer", text_value(p), ptr, line);
		if (is_type(n, CMARK_NODE_HEADING) &&
		    cmark_node_get_heading_level(n) > 3) {
			report(p, cmark_node_get_start_line(n), "%s",
			       block_problem(n));
			n = skip_to_heading(cmark_node_next(n), 3);
		}
	}
	return n;
}

/*
 * One visual: its list item holds a paragraph per member, each led by its
 * label ("**Title:** ...").  A URL is an autolink (<https://...>) or text.
 */
static void
read_visual(struct mdp *p, cmark_node *item, json_t *visual, size_t idx)
{
	char ptr[64];

	for (cmark_node *para = cmark_node_first_child(item); para != NULL;
	     para = cmark_node_next(para)) {
		int line = cmark_node_get_start_line(para);
		cmark_node *lab = cmark_node_first_child(para), *v;
		const struct member *m = NULL;
		const char *label;

		if (!is_type(para, CMARK_NODE_PARAGRAPH)) {
			report(p, line, "%s", block_problem(para));
			continue;
		}
		label = strong_label(lab);
		for (size_t i = 0; label != NULL && i < NELEM(visual_members);
		     i++)
			if (strcasecmp(label, visual_members[i].label) == 0)
				m = &visual_members[i];
		if (m == NULL) {
			report(p, line,
			       "a visual is described by paragraphs "
			       "led by **Title:**, **URL:** and **Caption:**");
			continue;
		}
		snprintf(ptr, sizeof(ptr), "/content/visuals/%zu/%s", idx,
			 m->key);
		if (json_object_get(visual, m->key) != NULL) {
			report(p, line,
			       "%s appears twice in this visual "
			       "(first at line %d)",
			       m->label, line_of(p, ptr));
			continue;
		}
		v = cmark_node_next(lab);
		/* "<https://...>": the autolink's destination, exactly. */
		if (strcmp(m->key, "url") == 0 && v != NULL) {
			const char *lit = cmark_node_get_literal(v);

			if (is_type(v, CMARK_NODE_TEXT) && lit != NULL &&
			    strcmp(lit, " ") == 0)
				v = cmark_node_next(v);
			if (is_type(v, CMARK_NODE_LINK) &&
			    cmark_node_next(v) == NULL) {
				const char *url = cmark_node_get_url(v);

				put(p, visual, m->key,
				    json_string(url != NULL ? url : ""), ptr,
				    line);
				continue;
			}
			v = cmark_node_next(lab);
		}
		prfaq_buf_reset(&p->text);
		if (read_inlines(p, para, v, NULL, &p->text)) {
			drop_lead_space(&p->text);
			put(p, visual, m->key, text_value(p), ptr, line);
		}
	}
}

/* The appendix: a bullet list, one item per visual. */
static cmark_node *
read_visuals(struct mdp *p, cmark_node *h)
{
	cmark_node *n = cmark_node_next(h);
	json_t *list = json_array();
	char ptr[48];

	put(p, p->content, "visuals", list, "/content/visuals",
	    cmark_node_get_start_line(h));
	for (; !section_end(n); n = cmark_node_next(n)) {
		if (!is_type(n, CMARK_NODE_LIST) ||
		    cmark_node_get_list_type(n) != CMARK_BULLET_LIST) {
			report(p, cmark_node_get_start_line(n),
			       "visuals are "
			       "a bulleted list, one item (- **Title:** ...) "
			       "per visual");
			continue;
		}
		for (cmark_node *item = cmark_node_first_child(n); item != NULL;
		     item = cmark_node_next(item)) {
			size_t idx = json_array_size(list);
			json_t *visual;

			if (idx >= PRFAQ_LIST_MAX) {
				report(p, cmark_node_get_start_line(item),
				       "the appendix holds at most %d visuals",
				       PRFAQ_LIST_MAX);
				return skip_to_heading(n, 2);
			}
			visual = json_object();
			json_array_append_new(list, visual);
			snprintf(ptr, sizeof(ptr), "/content/visuals/%zu", idx);
			note_line(p, ptr, cmark_node_get_start_line(item));
			read_visual(p, item, visual, idx);
		}
	}
	return n;
}

/* Dispatch one "## Section"; returns the node after it. */
static cmark_node *
read_section(struct mdp *p, cmark_node *h)
{
	int line = cmark_node_get_start_line(h);
	enum section sec = SEC_COUNT_;

	if (!heading_text(p, h))
		return skip_to_heading(cmark_node_next(h), 2);
	for (size_t i = 0; i < NELEM(sections); i++)
		if (label_is(p->text.data, p->text.len, sections[i].heading))
			sec = sections[i].sec;
	if (sec == SEC_COUNT_) {
		report(p, line,
		       "\"%.80s\" is not a section of a PR/FAQ: the "
		       "sections are %s",
		       p->text.data, sections_hint);
		return skip_to_heading(cmark_node_next(h), 2);
	}
	if (p->section_line[sec] != 0) {
		report(p, line, "this section appears twice (first at line %d)",
		       p->section_line[sec]);
		return skip_to_heading(cmark_node_next(h), 2);
	}
	p->section_line[sec] = line;

	switch (sec) {
	case SEC_PRESS:
		return read_members(p, h, "press_release", press_members,
				    NELEM(press_members), "Press release");
	case SEC_CUSTOMER:
		return read_members(p, h, "customer", customer_members,
				    NELEM(customer_members), "Customer");
	case SEC_FAQ:
		return read_faq(p, h, NULL);
	case SEC_FAQ_EXTERNAL:
		return read_faq(p, h, "external");
	case SEC_FAQ_INTERNAL:
		return read_faq(p, h, "internal");
	case SEC_VISUALS:
		return read_visuals(p, h);
	default:
		return skip_to_heading(cmark_node_next(h), 2);
	}
}

/* ---- the document ------------------------------------------------------------ */

/* Title, meta line, sections. */
static void
read_document(struct mdp *p, cmark_node *doc)
{
	cmark_node *n = cmark_node_first_child(doc);

	if (n == NULL)
		report(p, 1,
		       "a PR/FAQ starts with its title as a heading: "
		       "# Title");
	for (; n != NULL && !is_heading_upto(n, 2); n = cmark_node_next(n))
		report(p, cmark_node_get_start_line(n),
		       "a PR/FAQ starts with "
		       "its title as a heading: # Title");
	if (is_heading_upto(n, 1)) {
		if (heading_text(p, n))
			put(p, p->body, "title", text_value(p), "/title",
			    cmark_node_get_start_line(n));
		n = cmark_node_next(n);
	} else if (n != NULL) {
		report(p, cmark_node_get_start_line(n),
		       "a PR/FAQ starts with "
		       "its title as a heading: # Title");
	}

	if (is_type(n, CMARK_NODE_PARAGRAPH) &&
	    is_type(cmark_node_first_child(n), CMARK_NODE_STRONG)) {
		read_meta(p, n);
		n = cmark_node_next(n);
	}
	for (; n != NULL && !is_heading_upto(n, 2); n = cmark_node_next(n))
		report(p, cmark_node_get_start_line(n),
		       "after the title and "
		       "the **Team:** · **Tags:** line come sections: %s",
		       sections_hint);

	while (n != NULL) {
		if (cmark_node_get_heading_level(n) == 1) {
			report(p, cmark_node_get_start_line(n),
			       "a PR/FAQ has "
			       "one title (# Title); sections are ## headings");
			n = skip_to_heading(cmark_node_next(n), 2);
			continue;
		}
		n = read_section(p, n);
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
	note_line(&p, "/content", 1);

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
