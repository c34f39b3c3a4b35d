/*
 * render.c - Markdown and HTML renderings of a PR/FAQ (see prfaq/render.h).
 *
 * The Markdown is built in parts (masthead, metadata line, press release,
 * customer, external FAQ, internal FAQ, decision, appendix), each a complete
 * run of blocks ending with a newline.  prfaq_render_markdown() joins them
 * with blank lines; prfaq_render_html() runs each through libcmark on its own
 * and wraps it in an element with a class, so the print stylesheet can put
 * page breaks and styles on sections without guessing from heading text.
 * Parsing part by part gives the same tree as parsing the whole: user text
 * can never start a link reference definition (every "[" is escaped) and no
 * block stays open across the blank line between parts.
 *
 * The structure comes from this file only; user text is always escaped:
 *
 *  - Everywhere: \ ` * _ [ ] < > & # | ~ ^ { } get a backslash.  Those are the
 *    ASCII characters that can open or close an inline construct (code
 *    span, emphasis, link, image, autolink, raw HTML, entity), an ATX
 *    heading or its closing sequence, a block quote, an HTML block, a code
 *    fence, a GFM table or strikethrough, or Pandoc/kramdown attributes and
 *    superscripts, wherever they sit on a line.
 *  - At the start of every line of user text: a leading - + = and the . or )
 *    that follows a leading run of digits get a backslash too, which rules
 *    out list items, thematic breaks and setext underlines.  Leading spaces
 *    and tabs are dropped, which rules out indented code.
 *  - Mid-line, ( ) ! . - + = " ' and the other punctuation stay as typed:
 *    without an unescaped "[" or "<" they cannot build anything, and
 *    escaping them would make the Markdown (which people read raw) ugly.
 *  - Line endings are \n, \r\n and a lone \r, as in CommonMark.  A blank
 *    (or whitespace-only) line separates paragraphs; a single line ending
 *    inside a paragraph becomes a hard line break ("\" at the end of the
 *    line), because authors who break a line mean it (addresses, short
 *    lists typed by hand, a quote's line).  Where the layout needs one line
 *    (headings, the subheading, names, FAQ questions, list items) every line
 *    ending becomes a single space.
 *  - Spaces and tabs at the end of a line are dropped (two of them would be
 *    a hard break), NUL and other control characters but tab become U+FFFD,
 *    and so does every byte that is not part of well-formed UTF-8.  All
 *    other bytes (accents, emoji, right-to-left text) pass through as they
 *    are.
 *
 * Text members that are absent, not strings, or only whitespace count as
 * absent; a section with nothing in it is omitted.  Members of the wrong
 * type are skipped, so any JSON value renders.
 */
#include "prfaq/render.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "prfaq/utf8.h"
#include "prfaq/workflow.h"

#define REPLACEMENT_CHAR	"\xEF\xBF\xBD"	/* U+FFFD */
#define EM_DASH			"\xE2\x80\x94"	/* U+2014 */
#define MIDDLE_DOT		"\xC2\xB7"	/* U+00B7 */

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

/* How each part is wrapped in the HTML page. */
static const struct {
	const char *element;
	const char *class;
	bool faq;		/* the first FAQ part present starts a page */
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

struct md_doc {
	struct prfaq_buf part[PART_COUNT_];
};

/* ---- reading the document --------------------------------------------- */

static bool
is_hspace(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_eol(char c)
{
	return c == '\n' || c == '\r';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Borrowed bytes of v when it is a string holding something other than
 * whitespace; NULL otherwise.  Jansson strings may hold NUL, hence the length
 * (always stored, 0 with NULL, so no caller reads an unset length).
 */
static const char *
text_of(const json_t *v, size_t *len)
{
	const char *s;
	size_t n;

	*len = 0;
	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	n = json_string_length(v);
	for (size_t i = 0; i < n; i++) {
		if (!is_hspace(s[i]) && !is_eol(s[i])) {
			*len = n;
			return s;
		}
	}
	return NULL;
}

/* text_of() of obj[key]; NULL when obj is not an object. */
static const char *
text_get(const json_t *obj, const char *key, size_t *len)
{
	*len = 0;
	if (!json_is_object(obj))
		return NULL;
	return text_of(json_object_get(obj, key), len);
}

/* obj[key] when obj is an object and the member is an object; else NULL. */
static const json_t *
object_get(const json_t *obj, const char *key)
{
	const json_t *v;

	if (!json_is_object(obj))
		return NULL;
	v = json_object_get(obj, key);
	return json_is_object(v) ? v : NULL;
}

/* The name of a {"name": ...} member such as "owner"; NULL when absent. */
static const char *
name_get(const json_t *obj, const char *key, size_t *len)
{
	return text_get(object_get(obj, key), "name", len);
}

/*
 * Length of the well-formed UTF-8 sequence at s[0..n), or 0 when the bytes
 * there are not one (only called for bytes >= 0x80).
 */
static size_t
utf8_seq(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t k;

	if (c >= 0xC2 && c <= 0xDF)
		k = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 4;
	else
		return 0;
	return k <= n && prfaq_utf8_valid(s, k) ? k : 0;
}

/* ---- Markdown escaping ------------------------------------------------- */

/* Escaped wherever they appear (see the top of the file for why). */
static const char md_always[] = "\\`*_[]<>&#|~^{}";

static bool
md_is_always(char c)
{
	return c != '\0' && strchr(md_always, c) != NULL;
}

/*
 * Append one line of user text s[0..n) (no line endings in it) escaped.
 * line_start says the text begins where a block could begin (start of a
 * line, or after a block quote or list marker), so list and setext markers
 * must be neutralised too; passing true where it is not needed only adds a
 * harmless backslash.  Returns 0, or -1 on ENOMEM.
 */
static int
md_escape(struct prfaq_buf *out, const char *s, size_t n, bool line_start)
{
	size_t ol_delim = SIZE_MAX;	/* the "." of "1." at line start */
	size_t i = 0, plain = 0;

	if (line_start && n > 0 && is_digit(s[0])) {
		size_t d = 0;

		while (d < n && is_digit(s[d]))
			d++;
		if (d < n && (s[d] == '.' || s[d] == ')'))
			ol_delim = d;
	}

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *repl = NULL;
		size_t skip = 1;
		bool backslash;

		backslash = md_is_always((char)c) || i == ol_delim ||
			    (i == 0 && line_start &&
			     (c == '-' || c == '+' || c == '='));
		if (c >= 0x80) {
			skip = utf8_seq(s + i, n - i);
			if (skip == 0) {
				repl = REPLACEMENT_CHAR;
				skip = 1;
			}
		} else if ((c < 0x20 && c != '\t') || c == 0x7F) {
			repl = REPLACEMENT_CHAR;
		}
		if (!backslash && repl == NULL) {
			i += skip;
			continue;
		}
		/* Flush the run of plain bytes before this one. */
		if (prfaq_buf_append(out, s + plain, i - plain) != 0)
			return -1;
		if (backslash) {
			if (prfaq_buf_putc(out, '\\') != 0 ||
			    prfaq_buf_putc(out, (char)c) != 0)
				return -1;
		} else if (prfaq_buf_puts(out, repl) != 0) {
			return -1;
		}
		i += skip;
		plain = i;
	}
	return prfaq_buf_append(out, s + plain, n - plain);
}

/* Narrow s[*b..*e) so it neither starts nor ends with spaces or tabs. */
static void
trim_hspace(const char *s, size_t *b, size_t *e)
{
	while (*b < *e && is_hspace(s[*b]))
		(*b)++;
	while (*e > *b && is_hspace(s[*e - 1]))
		(*e)--;
}

/*
 * Find the line starting at *pos: its bytes are s[*b..*e) without
 * surrounding spaces and tabs, and *pos moves past its line ending (\n, \r\n
 * or \r).  False when there is no line left.
 */
static bool
next_line(const char *s, size_t n, size_t *pos, size_t *b, size_t *e)
{
	size_t i = *pos;

	if (i >= n)
		return false;
	*b = i;
	while (i < n && !is_eol(s[i]))
		i++;
	*e = i;
	if (i < n) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		i++;
	}
	*pos = i;
	trim_hspace(s, b, e);
	return true;
}

/*
 * Append user text as one line: leading and trailing whitespace dropped,
 * every line ending (with the spaces around it) turned into one space.
 */
static int
md_inline(struct prfaq_buf *out, const char *s, size_t n, bool line_start)
{
	size_t pos = 0, b, e;
	bool first = true;

	while (next_line(s, n, &pos, &b, &e)) {
		if (b == e)
			continue;
		if (!first && prfaq_buf_putc(out, ' ') != 0)
			return -1;
		if (md_escape(out, s + b, e - b, first && line_start) != 0)
			return -1;
		first = false;
	}
	return 0;
}

/*
 * Byte length of the Unicode space separator (Zs: U+00A0, U+1680,
 * U+2000..U+200A, U+202F, U+205F, U+3000) that starts at s[0..n), or 0.
 */
static size_t
uspace_at(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (n < 3)
		return 0;
	if ((p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80) ||
	    (p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8A || p[2] == 0xAF)) ||
	    (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) ||
	    (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80))
		return 3;
	return 0;
}

/*
 * Narrow *s[0..*n) to drop whitespace at both ends: spaces, tabs, line
 * endings and the Unicode space separators, which CommonMark also counts
 * when it decides whether "*" or "**" is emphasis.
 */
static void
trim_space(const char **s, size_t *n)
{
	const char *p = *s;
	size_t b = 0, e = *n, k;

	for (;;) {
		if (b < e && (is_hspace(p[b]) || is_eol(p[b])))
			b++;
		else if (b < e && (k = uspace_at(p + b, e - b)) > 0)
			b += k;
		else
			break;
	}
	for (;;) {
		if (e > b && (is_hspace(p[e - 1]) || is_eol(p[e - 1])))
			e--;
		else if (e - b >= 2 && uspace_at(p + e - 2, 2) == 2)
			e -= 2;
		else if (e - b >= 3 && uspace_at(p + e - 3, 3) == 3)
			e -= 3;
		else
			break;
	}
	*s = p + b;
	*n = e - b;
}

/*
 * Append user text between emphasis delimiters ("*" or "**").  CommonMark
 * only takes a delimiter as emphasis when no whitespace touches it on the
 * inside, so the text is trimmed first.  Writes nothing when no text is
 * left.
 */
static int
md_wrapped(struct prfaq_buf *out, const char *s, size_t n, const char *delim)
{
	trim_space(&s, &n);
	if (n == 0)
		return 0;
	if (prfaq_buf_puts(out, delim) != 0 ||
	    md_inline(out, s, n, false) != 0 ||
	    prfaq_buf_puts(out, delim) != 0)
		return -1;
	return 0;
}

/* Append prefix without its trailing spaces (the blank line of a quote). */
static int
put_rtrimmed(struct prfaq_buf *out, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n > 0 && prefix[n - 1] == ' ')
		n--;
	return prfaq_buf_append(out, prefix, n);
}

/*
 * Append user text as paragraphs, each output line starting with prefix
 * ("" or "> ").  lead, when not NULL, is trusted Markdown put in front of
 * the first line (the dateline).  Ends with a newline; writes nothing for
 * blank text.
 */
static int
md_blocks(struct prfaq_buf *out, const char *s, size_t n, const char *prefix,
	  const char *lead)
{
	size_t pos = 0, b, e;
	bool started = false, gap = false;

	while (next_line(s, n, &pos, &b, &e)) {
		int rc;

		if (b == e) {
			gap = started;
			continue;
		}
		if (!started) {
			rc = prfaq_buf_puts(out, prefix);
			if (rc == 0 && lead != NULL)
				rc = prfaq_buf_puts(out, lead);
		} else if (gap) {
			rc = prfaq_buf_putc(out, '\n');
			if (rc == 0)
				rc = put_rtrimmed(out, prefix);
			if (rc == 0)
				rc = prfaq_buf_putc(out, '\n');
			if (rc == 0)
				rc = prfaq_buf_puts(out, prefix);
		} else {
			/* A backslash before the line ending: a hard break. */
			rc = prfaq_buf_append(out, "\\\n", 2);
			if (rc == 0)
				rc = prfaq_buf_puts(out, prefix);
		}
		if (rc != 0 || md_escape(out, s + b, e - b, true) != 0)
			return -1;
		started = true;
		gap = false;
	}
	if (started && prfaq_buf_putc(out, '\n') != 0)
		return -1;
	return 0;
}

/* Separate the next block from the previous one in the same part. */
static int
md_block_begin(struct prfaq_buf *out)
{
	return out->len > 0 ? prfaq_buf_putc(out, '\n') : 0;
}

/* A paragraph (or several) of user text from obj[key], when present. */
static int
md_field(struct prfaq_buf *out, const json_t *obj, const char *key)
{
	const char *s;
	size_t n;

	if ((s = text_get(obj, key, &n)) == NULL)
		return 0;
	if (md_block_begin(out) != 0)
		return -1;
	return md_blocks(out, s, n, "", NULL);
}

/*
 * Start a section of a part: write its "## " heading the first time
 * something goes into it (so empty sections vanish), then a blank line.
 */
static int
md_section(struct prfaq_buf *out, const char *heading)
{
	if (out->len == 0 && (prfaq_buf_puts(out, "## ") != 0 ||
			      prfaq_buf_puts(out, heading) != 0 ||
			      prfaq_buf_putc(out, '\n') != 0))
		return -1;
	return prfaq_buf_putc(out, '\n');
}

/* ---- parts ------------------------------------------------------------- */

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/*
 * Append a launch date as raw (unescaped) text: "2027-03-01" becomes
 * "March 1, 2027"; anything that is not a real YYYY-MM-DD date is copied as
 * given, for the caller to escape.
 */
static int
md_date_raw(struct prfaq_buf *out, const char *s, size_t n)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	int y, m, d, max;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		goto as_given;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			goto as_given;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12)
		goto as_given;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	if (d < 1 || d > max)
		goto as_given;
	/* The year as written: "%d" would turn "0999" into "999". */
	return prfaq_buf_printf(out, "%s %d, %.4s", month_names[m - 1], d, s);

as_given:
	return prfaq_buf_append(out, s, n);
}

/* Human label for a status; unknown values are shown as given. */
static int
md_status(struct prfaq_buf *out, const char *s, size_t n)
{
	static const char *const labels[PRFAQ_STATUS_COUNT_] = {
		[PRFAQ_STATUS_DRAFT] = "Draft",
		[PRFAQ_STATUS_IN_REVIEW] = "In review",
		[PRFAQ_STATUS_APPROVED] = "Approved",
		[PRFAQ_STATUS_REJECTED] = "Rejected",
		[PRFAQ_STATUS_ARCHIVED] = "Archived",
	};
	enum prfaq_status st;

	/* strlen check: a string with an embedded NUL is not a status. */
	if (strlen(s) == n && prfaq_status_parse(s, &st) == 0)
		return prfaq_buf_puts(out, labels[st]);
	return md_inline(out, s, n, false);
}

/* Separator between items of the metadata line. */
static int
meta_sep(struct prfaq_buf *out)
{
	return out->len > 0 ? prfaq_buf_puts(out, " " MIDDLE_DOT " ") : 0;
}

/* "label" followed by a user-text value, as one metadata item. */
static int
meta_text(struct prfaq_buf *out, const char *label, const char *s, size_t n)
{
	if (s == NULL)
		return 0;
	if (meta_sep(out) != 0 || prfaq_buf_puts(out, label) != 0)
		return -1;
	return md_inline(out, s, n, false);
}

/* An integer (or a real, rounded) for the metadata line; false otherwise. */
static bool
number_of(const json_t *v, json_int_t *out)
{
	double r;

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (!json_is_real(v))
		return false;
	r = json_real_value(v);
	if (!(r > -1e15 && r < 1e15))
		return false;
	*out = (json_int_t)(r < 0 ? r - 0.5 : r + 0.5);
	return true;
}

/*
 * Title line: the headline when there is one (that is what the press
 * release leads with), else the document title; then the subheading in
 * emphasis.
 */
static int
md_head(struct prfaq_buf *out, const json_t *doc, const json_t *pr)
{
	const char *s;
	size_t n, mark;

	if ((s = text_get(pr, "headline", &n)) == NULL)
		s = text_get(doc, "title", &n);
	if (prfaq_buf_puts(out, "# ") != 0)
		return -1;
	if (s == NULL) {
		if (prfaq_buf_puts(out, "Untitled PR/FAQ") != 0)
			return -1;
	} else if (md_inline(out, s, n, false) != 0) {
		return -1;
	}
	if (prfaq_buf_putc(out, '\n') != 0)
		return -1;

	if ((s = text_get(pr, "subheading", &n)) == NULL)
		return 0;
	mark = out->len;
	if (prfaq_buf_putc(out, '\n') != 0 || md_wrapped(out, s, n, "*") != 0)
		return -1;
	/* Nothing but Unicode spaces: take the blank line back. */
	if (out->len == mark + 1) {
		out->len = mark;
		out->data[mark] = '\0';
		return 0;
	}
	return prfaq_buf_putc(out, '\n');
}

/*
 * The small line under the title: the document title when the heading shows
 * the headline, team, tags, status, version, owner/author, last change and
 * quality score, each only when present.
 */
static int
md_meta(struct prfaq_buf *out, const json_t *doc, const json_t *pr)
{
	const char *s, *h;
	size_t n, hn;
	const json_t *v;
	json_int_t num;

	/* The heading shows the headline; name the document too if it differs. */
	h = text_get(pr, "headline", &hn);
	s = text_get(doc, "title", &n);
	if (h != NULL && s != NULL && (hn != n || memcmp(h, s, n) != 0) &&
	    meta_text(out, "PR/FAQ: ", s, n) != 0)
		return -1;
	s = text_get(doc, "team", &n);
	if (meta_text(out, "Team: ", s, n) != 0)
		return -1;

	v = json_is_object(doc) ? json_object_get(doc, "tags") : NULL;
	if (json_is_array(v)) {
		bool first = true;

		for (size_t i = 0; i < json_array_size(v); i++) {
			if ((s = text_of(json_array_get(v, i), &n)) == NULL)
				continue;
			if (first ? meta_sep(out) != 0 ||
				    prfaq_buf_puts(out, "Tags: ") != 0
				  : prfaq_buf_puts(out, ", ") != 0)
				return -1;
			if (md_inline(out, s, n, false) != 0)
				return -1;
			first = false;
		}
	}

	if ((s = text_get(doc, "status", &n)) != NULL &&
	    (meta_sep(out) != 0 || prfaq_buf_puts(out, "Status: ") != 0 ||
	     md_status(out, s, n) != 0))
		return -1;

	/* A document has "version"; a version object has "number". */
	v = json_is_object(doc) ? json_object_get(doc, "version") : NULL;
	if (!json_is_integer(v))
		v = json_is_object(doc) ? json_object_get(doc, "number") : NULL;
	if (json_is_integer(v) &&
	    (meta_sep(out) != 0 ||
	     prfaq_buf_printf(out, "Version %" JSON_INTEGER_FORMAT,
			      json_integer_value(v)) != 0))
		return -1;

	s = name_get(doc, "owner", &n);
	if (meta_text(out, "Owner: ", s, n) != 0)
		return -1;
	s = name_get(doc, "author", &n);
	if (meta_text(out, "Author: ", s, n) != 0)
		return -1;

	if ((s = text_get(doc, "updated_at", &n)) == NULL)
		s = text_get(doc, "created_at", &n);
	if (meta_text(out, "Updated: ", s, n) != 0)
		return -1;

	v = object_get(doc, "quality");
	if (v != NULL && number_of(json_object_get(v, "score"), &num) &&
	    (meta_sep(out) != 0 ||
	     prfaq_buf_printf(out, "Quality score: %" JSON_INTEGER_FORMAT
			      "/100", num) != 0))
		return -1;

	if (out->len > 0 && prfaq_buf_putc(out, '\n') != 0)
		return -1;
	return 0;
}

/*
 * The dateline, "**SEATTLE — March 1, 2027** — ", written into lead; it
 * stays empty when there is neither location nor date.  with_dash adds the
 * trailing dash that joins it to the summary.
 */
static int
md_dateline(struct prfaq_buf *lead, const json_t *pr, bool with_dash)
{
	struct prfaq_buf raw = PRFAQ_BUF_INIT;
	const char *loc, *date;
	size_t ln, dn;
	int rc = -1;

	/* " 2027-03-01\n" is still a date; a blank location is no location. */
	if ((loc = text_get(pr, "location", &ln)) != NULL)
		trim_space(&loc, &ln);
	if ((date = text_get(pr, "launch_date", &dn)) != NULL)
		trim_space(&date, &dn);
	if (ln == 0 && dn == 0)
		return 0;
	/*
	 * The inside is assembled as plain text (the date formatted or as
	 * given) and escaped once, by md_wrapped.
	 */
	if (ln > 0 && prfaq_buf_append(&raw, loc, ln) != 0)
		goto out;
	if (ln > 0 && dn > 0 && prfaq_buf_puts(&raw, " " EM_DASH " ") != 0)
		goto out;
	if (dn > 0 && md_date_raw(&raw, date, dn) != 0)
		goto out;
	if (md_wrapped(lead, raw.data, raw.len, "**") != 0)
		goto out;
	if (with_dash && prfaq_buf_puts(lead, " " EM_DASH " ") != 0)
		goto out;
	rc = 0;
out:
	prfaq_buf_free(&raw);
	return rc;
}

/*
 * A quote as a block quote with its speaker on a last line of its own.  A
 * speaker without words is not a quote; it is left out.
 */
static int
md_quote(struct prfaq_buf *out, const json_t *quote)
{
	const char *text, *speaker;
	size_t tn, sn;

	if ((text = text_get(quote, "text", &tn)) == NULL)
		return 0;
	if (md_block_begin(out) != 0 || md_blocks(out, text, tn, "> ", NULL) != 0)
		return -1;
	if ((speaker = text_get(quote, "speaker", &sn)) == NULL)
		return 0;
	if (prfaq_buf_puts(out, ">\n> " EM_DASH " ") != 0 ||
	    md_inline(out, speaker, sn, false) != 0 ||
	    prfaq_buf_putc(out, '\n') != 0)
		return -1;
	return 0;
}

/* The press release, in the order a real one is read. */
static int
md_press(struct prfaq_buf *out, const json_t *pr)
{
	struct prfaq_buf lead = PRFAQ_BUF_INIT;
	const char *summary;
	size_t sn;
	int rc = -1;

	if (pr == NULL)
		return 0;
	summary = text_get(pr, "summary", &sn);
	if (md_dateline(&lead, pr, summary != NULL) != 0)
		goto out;
	if (summary != NULL) {
		if (md_blocks(out, summary, sn, "",
			      lead.len > 0 ? lead.data : NULL) != 0)
			goto out;
	} else if (lead.len > 0) {
		if (prfaq_buf_append(out, lead.data, lead.len) != 0 ||
		    prfaq_buf_putc(out, '\n') != 0)
			goto out;
	}
	if (md_field(out, pr, "problem") != 0 ||
	    md_field(out, pr, "solution") != 0 ||
	    md_quote(out, object_get(pr, "leader_quote")) != 0 ||
	    md_field(out, pr, "how_it_works") != 0 ||
	    md_quote(out, object_get(pr, "customer_quote")) != 0 ||
	    md_field(out, pr, "call_to_action") != 0)
		goto out;
	rc = 0;
out:
	prfaq_buf_free(&lead);
	return rc;
}

/* The five customer questions, each answered one under its own heading. */
static int
md_customer(struct prfaq_buf *out, const json_t *customer)
{
	static const struct {
		const char *key;
		const char *question;
	} questions[] = {
		{ "who", "Who is the customer?" },
		{ "problem", "What is the customer problem or opportunity?" },
		{ "benefit", "What is the most important customer benefit?" },
		{ "evidence", "How do we know what customers need or want?" },
		{ "experience", "What does the customer experience look like?" },
	};

	for (size_t i = 0; i < sizeof(questions) / sizeof(questions[0]); i++) {
		const char *s;
		size_t n;

		if ((s = text_get(customer, questions[i].key, &n)) == NULL)
			continue;
		if (md_section(out, "Customer") != 0 ||
		    prfaq_buf_printf(out, "### %s\n\n",
				     questions[i].question) != 0 ||
		    md_blocks(out, s, n, "", NULL) != 0)
			return -1;
	}
	return 0;
}

/*
 * One FAQ list: each entry as "### Q: question" and its answer.  An entry
 * with an answer but no question keeps a visible placeholder so a reader
 * sees what is missing.
 */
static int
md_faq(struct prfaq_buf *out, const json_t *list, const char *heading)
{
	if (!json_is_array(list))
		return 0;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *item = json_array_get(list, i);
		const char *q, *a;
		size_t qn, an;

		q = text_get(item, "question", &qn);
		a = text_get(item, "answer", &an);
		if (q == NULL && a == NULL)
			continue;
		if (md_section(out, heading) != 0 ||
		    prfaq_buf_puts(out, "### Q: ") != 0)
			return -1;
		if (q != NULL ? md_inline(out, q, qn, false) != 0
			      : prfaq_buf_puts(out, "(no question)") != 0)
			return -1;
		if (prfaq_buf_putc(out, '\n') != 0)
			return -1;
		if (a != NULL && (prfaq_buf_putc(out, '\n') != 0 ||
				  md_blocks(out, a, an, "", NULL) != 0))
			return -1;
	}
	return 0;
}

/*
 * Can url be a link?  Only absolute http(s) URLs in well-formed UTF-8
 * without whitespace or control characters: anything else (javascript:, data:, relative paths)
 * is shown as text, whatever cmark's own filter would do with it.
 */
static bool
url_linkable(const char *s, size_t n)
{
	if (!(n > 8 && strncasecmp(s, "https://", 8) == 0) &&
	    !(n > 7 && strncasecmp(s, "http://", 7) == 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7F)
			return false;
	return prfaq_utf8_valid(s, n);
}

/*
 * Append a link destination.  Backslashes keep ( ) < > from ending or
 * reshaping it and & from being read as an entity; cmark escapes the rest
 * for the href attribute.
 */
static int
md_url(struct prfaq_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr("\\()<>&", s[i]) != NULL &&
		    prfaq_buf_putc(out, '\\') != 0)
			return -1;
		if (prfaq_buf_putc(out, s[i]) != 0)
			return -1;
	}
	return 0;
}

/*
 * The appendix: one list item per visual, "[title](url) — caption".  Only
 * http(s) URLs become links; other URLs are printed as escaped text.
 */
static int
md_visuals(struct prfaq_buf *out, const json_t *list)
{
	if (!json_is_array(list))
		return 0;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *item = json_array_get(list, i);
		const char *title, *url, *caption;
		size_t tn, un, cn;
		bool link, any = false;

		title = text_get(item, "title", &tn);
		url = text_get(item, "url", &un);
		caption = text_get(item, "caption", &cn);
		if (title == NULL && url == NULL && caption == NULL)
			continue;
		if (out->len == 0 && md_section(out, "Appendix: Visuals") != 0)
			return -1;
		if (prfaq_buf_puts(out, "- ") != 0)
			return -1;

		/* The URL is trimmed like every other text before checking. */
		if (url != NULL)
			trim_space(&url, &un);
		link = url != NULL && url_linkable(url, un);
		if (link) {
			if (prfaq_buf_putc(out, '[') != 0)
				return -1;
			if (title != NULL ? md_inline(out, title, tn, false)
					  : md_escape(out, url, un, false))
				return -1;
			if (prfaq_buf_puts(out, "](") != 0 ||
			    md_url(out, url, un) != 0 ||
			    prfaq_buf_putc(out, ')') != 0)
				return -1;
			any = true;
		} else {
			if (title != NULL) {
				if (md_inline(out, title, tn, true) != 0)
					return -1;
				any = true;
			}
			if (url != NULL) {
				if (any && prfaq_buf_puts(out, ": ") != 0)
					return -1;
				if (md_inline(out, url, un, !any) != 0)
					return -1;
				any = true;
			}
		}
		if (caption != NULL) {
			if (any && prfaq_buf_puts(out, " " EM_DASH " ") != 0)
				return -1;
			if (md_inline(out, caption, cn, !any) != 0)
				return -1;
		}
		if (prfaq_buf_putc(out, '\n') != 0)
			return -1;
	}
	return 0;
}

/*
 * The decision on record: outcome, who, on which version and when, then the
 * rationale in full.
 */
static int
md_decision(struct prfaq_buf *out, const json_t *decision)
{
	const char *outcome, *who, *at, *why;
	size_t on, wn, an, yn;
	const json_t *version;
	bool any = false;

	if (decision == NULL)
		return 0;
	outcome = text_get(decision, "outcome", &on);
	who = name_get(decision, "decided_by", &wn);
	at = text_get(decision, "at", &an);
	why = text_get(decision, "rationale", &yn);
	version = json_object_get(decision, "version");
	if (!json_is_integer(version))
		version = NULL;
	if (outcome == NULL && who == NULL && at == NULL && why == NULL &&
	    version == NULL)
		return 0;
	if (md_section(out, "Decision") != 0)
		return -1;

	if (outcome != NULL) {
		int rc;

		size_t mark = out->len;

		if (strlen(outcome) == on && strcmp(outcome, "approved") == 0)
			rc = prfaq_buf_puts(out, "**Approved**");
		else if (strlen(outcome) == on &&
			 strcmp(outcome, "rejected") == 0)
			rc = prfaq_buf_puts(out, "**Rejected**");
		else
			rc = md_wrapped(out, outcome, on, "**");
		if (rc != 0)
			return -1;
		any = out->len > mark;
	}
	if (who != NULL) {
		if (prfaq_buf_puts(out, any ? " by " : "By ") != 0 ||
		    md_inline(out, who, wn, false) != 0)
			return -1;
		any = true;
	}
	if (version != NULL) {
		if (prfaq_buf_printf(out, "%sversion %" JSON_INTEGER_FORMAT,
				     any ? " on " : "On ",
				     json_integer_value(version)) != 0)
			return -1;
		any = true;
	}
	if (at != NULL) {
		if (prfaq_buf_puts(out, any ? " (" : "(") != 0 ||
		    md_inline(out, at, an, false) != 0 ||
		    prfaq_buf_putc(out, ')') != 0)
			return -1;
		any = true;
	}
	if (any && prfaq_buf_putc(out, '\n') != 0)
		return -1;
	if (why != NULL && (md_block_begin(out) != 0 ||
			    md_blocks(out, why, yn, "", NULL) != 0))
		return -1;
	return 0;
}

static void
md_doc_free(struct md_doc *md)
{
	for (size_t i = 0; i < PART_COUNT_; i++)
		prfaq_buf_free(&md->part[i]);
}

/*
 * Render every part of doc into md (whose buffers the caller frees with
 * md_doc_free, also on failure).  Returns 0, or -1 on ENOMEM.
 */
static int
md_doc_build(const json_t *doc, struct md_doc *md)
{
	const json_t *content, *pr, *faq;

	for (size_t i = 0; i < PART_COUNT_; i++)
		md->part[i] = (struct prfaq_buf)PRFAQ_BUF_INIT;
	content = object_get(doc, "content");
	pr = object_get(content, "press_release");
	faq = object_get(content, "faq");

	if (md_head(&md->part[PART_HEAD], doc, pr) != 0 ||
	    md_meta(&md->part[PART_META], doc, pr) != 0 ||
	    md_press(&md->part[PART_PRESS], pr) != 0 ||
	    md_customer(&md->part[PART_CUSTOMER],
			object_get(content, "customer")) != 0 ||
	    md_faq(&md->part[PART_FAQ_EXTERNAL],
		   faq ? json_object_get(faq, "external") : NULL,
		   "External FAQ") != 0 ||
	    md_faq(&md->part[PART_FAQ_INTERNAL],
		   faq ? json_object_get(faq, "internal") : NULL,
		   "Internal FAQ") != 0 ||
	    md_decision(&md->part[PART_DECISION],
			object_get(doc, "decision")) != 0 ||
	    md_visuals(&md->part[PART_VISUALS],
		       json_is_object(content)
		       ? json_object_get(content, "visuals") : NULL) != 0)
		return -1;
	return 0;
}

/* Undo a failed render: out goes back to the length it had on entry. */
static int
rollback(struct prfaq_buf *out, size_t len)
{
	out->len = len;
	if (out->data != NULL)
		out->data[len] = '\0';
	return -1;
}

/*
 * Append the Markdown rendering of doc (borrowed; any JSON value) to out.
 * Returns 0, or -1 on ENOMEM with out as it was.
 */
int
prfaq_render_markdown(const json_t *doc, struct prfaq_buf *out)
{
	struct md_doc md;
	size_t start = out->len;
	bool first = true;
	int rc = -1;

	if (md_doc_build(doc, &md) != 0)
		goto out;
	for (size_t i = 0; i < PART_COUNT_; i++) {
		if (md.part[i].len == 0)
			continue;
		if (!first && prfaq_buf_putc(out, '\n') != 0)
			goto out;
		if (prfaq_buf_append(out, md.part[i].data, md.part[i].len) != 0)
			goto out;
		first = false;
	}
	rc = 0;
out:
	md_doc_free(&md);
	return rc == 0 ? 0 : rollback(out, start);
}

/* ---- HTML -------------------------------------------------------------- */

/*
 * Append s[0..n) as HTML text, safe inside elements and quoted attributes.
 * Whitespace runs with line endings become one space (it goes in <title>);
 * control characters and malformed UTF-8 become U+FFFD as in Markdown.
 */
static int
html_escape(struct prfaq_buf *out, const char *s, size_t n)
{
	size_t pos = 0, b, e;
	bool first = true;

	while (next_line(s, n, &pos, &b, &e)) {
		if (b == e)
			continue;
		if (!first && prfaq_buf_putc(out, ' ') != 0)
			return -1;
		first = false;
		for (size_t i = b; i < e; i++) {
			unsigned char c = (unsigned char)s[i];
			const char *rep = NULL;
			size_t k;
			int rc;

			switch (c) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default:
				if ((c < 0x20 && c != '\t') || c == 0x7F)
					rep = REPLACEMENT_CHAR;
				break;
			}
			if (rep != NULL) {
				rc = prfaq_buf_puts(out, rep);
			} else if (c < 0x80) {
				rc = prfaq_buf_putc(out, (char)c);
			} else if ((k = utf8_seq(s + i, e - i)) == 0) {
				rc = prfaq_buf_puts(out, REPLACEMENT_CHAR);
			} else {
				rc = prfaq_buf_append(out, s + i, k);
				i += k - 1;
			}
			if (rc != 0)
				return -1;
		}
	}
	return 0;
}

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

	if ((s = text_get(doc, "title", &n)) == NULL)
		s = text_get(object_get(object_get(doc, "content"),
					"press_release"), "headline", &n);
	if (s == NULL)
		return prfaq_buf_puts(out, "Untitled PR/FAQ");
	return html_escape(out, s, n);
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

	if (md_doc_build(doc, &md) != 0)
		goto out;
	if (prfaq_buf_puts(out,
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
		      prfaq_buf_printf(out, "</%s>\n",
				       part_html[i].element) != 0;
		free(html);
		if (err)
			goto out;
	}
	if (prfaq_buf_puts(out, "</article>\n</body>\n</html>\n") != 0)
		goto out;
	rc = 0;
out:
	md_doc_free(&md);
	return rc == 0 ? 0 : rollback(out, start);
}
