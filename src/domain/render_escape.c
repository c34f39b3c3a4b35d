/*
 * render_escape.c - user text in Markdown and HTML (see render_internal.h).
 *
 * The structure of a rendering comes from render.c and render_markdown.c
 * only; user text is always escaped:
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
 * The authoring Markdown (render_markdown.c) must read back byte for byte,
 * so its encodings (render_md_exact_*) drop nothing: the same backslashes,
 * but a space or tab at either end of a line, a carriage return, and a line
 * ending that is neither a line break nor the one blank line between
 * paragraphs are written as character references (&#32; &#9; &#13; &#10;),
 * which cmark turns back into those bytes; leading whitespace written so
 * cannot start indented code either.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "prfaq/utf8.h"
#include "render_internal.h"

#define REPLACEMENT_CHAR "\xEF\xBF\xBD" /* U+FFFD */

/* ---- Markdown ---------------------------------------------------------- */

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
int
render_md_escape(struct prfaq_buf *out, const char *s, size_t n,
		 bool line_start)
{
	size_t ol_delim = SIZE_MAX; /* the "." of "1." at line start */
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
			skip = prfaq_utf8_seq(s + i, n - i);
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
int
render_md_inline(struct prfaq_buf *out, const char *s, size_t n,
		 bool line_start)
{
	size_t pos = 0, b, e;
	bool first = true;

	while (next_line(s, n, &pos, &b, &e)) {
		if (b == e)
			continue;
		if (!first && prfaq_buf_putc(out, ' ') != 0)
			return -1;
		if (render_md_escape(out, s + b, e - b, first && line_start) !=
		    0)
			return -1;
		first = false;
	}
	return 0;
}

/*
 * Append user text between emphasis delimiters ("*" or "**").  CommonMark
 * only takes a delimiter as emphasis when no whitespace touches it on the
 * inside, so the text is trimmed first, of White_Space, which holds all
 * that CommonMark counts as whitespace there.  Writes nothing when no text
 * is left.
 */
int
render_md_wrapped(struct prfaq_buf *out, const char *s, size_t n,
		  const char *delim)
{
	prfaq_utf8_trim(&s, &n, prfaq_utf8_is_white_space);
	if (n == 0)
		return 0;
	if (prfaq_buf_puts(out, delim) != 0 ||
	    render_md_inline(out, s, n, false) != 0 ||
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
int
render_md_blocks(struct prfaq_buf *out, const char *s, size_t n,
		 const char *prefix, const char *lead)
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
		if (rc != 0 || render_md_escape(out, s + b, e - b, true) != 0)
			return -1;
		started = true;
		gap = false;
	}
	if (started && prfaq_buf_putc(out, '\n') != 0)
		return -1;
	return 0;
}

/*
 * Append a link destination.  Backslashes keep ( ) < > from ending or
 * reshaping it and & from being read as an entity; cmark escapes the rest
 * for the href attribute.
 */
int
render_md_url(struct prfaq_buf *out, const char *s, size_t n)
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

/* ---- Markdown that reads back exactly -------------------------------- */

/*
 * A character reference for a byte cmark would not keep as typed: a space
 * or tab at either end of a line (cmark strips them), a carriage return
 * (cmark ends a line there), a line ending that is neither a line break nor
 * a paragraph break.  cmark turns the reference back into the byte.
 */
static int
md_char_ref(struct prfaq_buf *out, char c)
{
	return prfaq_buf_printf(out, "&#%d;", (unsigned char)c);
}

/*
 * Append one line of user text s[0..n) (no "\n" in it) so that cmark reads
 * back exactly these bytes: escaped as render_md_escape() does, with a
 * space or tab at either end and every carriage return written as a
 * character reference.  line_start as for render_md_escape().
 */
static int
md_exact_line(struct prfaq_buf *out, const char *s, size_t n, bool line_start)
{
	size_t b = 0, e = n;

	if (n > 0 && is_hspace(s[0])) {
		if (md_char_ref(out, s[0]) != 0)
			return -1;
		b = 1;
		line_start = false;
	}
	if (e > b && is_hspace(s[e - 1]))
		e--;
	while (b < e) {
		size_t cr = b;

		while (cr < e && s[cr] != '\r')
			cr++;
		if (render_md_escape(out, s + b, cr - b, line_start) != 0)
			return -1;
		if (cr < e && md_char_ref(out, '\r') != 0)
			return -1;
		line_start = false;
		b = cr < e ? cr + 1 : cr;
	}
	if (e < n && md_char_ref(out, s[n - 1]) != 0)
		return -1;
	return 0;
}

/* Append count character references for "\n". */
static int
md_newline_refs(struct prfaq_buf *out, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (prfaq_buf_puts(out, "&#10;") != 0)
			return -1;
	return 0;
}

/*
 * Walk s[0..n) as runs of text separated by runs of "\n": *lead and *trail
 * are the line endings before the first and after the last text.  Returns
 * false when s holds no text at all (then *lead is the number of "\n").
 */
static bool
md_text_bounds(const char *s, size_t n, size_t *lead, size_t *trail)
{
	size_t b = 0, e = n;

	while (b < n && s[b] == '\n')
		b++;
	*lead = b;
	*trail = 0;
	if (b == n)
		return false;
	while (e > b && s[e - 1] == '\n')
		e--;
	*trail = n - e;
	return true;
}

/*
 * Append user text as paragraphs that read back exactly: one "\n" between
 * two lines of text is a hard line break, "\n\n" a paragraph break, and
 * every other "\n" (before the first text, after the last, the third and
 * more in a row) a character reference.  Every line written starts with
 * prefix ("", "> ", "  "); the output ends with a newline.  "" writes
 * nothing: the caller shows that the member is present.
 */
int
render_md_exact_blocks(struct prfaq_buf *out, const char *s, size_t n,
		       const char *prefix)
{
	size_t lead, trail, i, end;
	bool line_start;

	if (n == 0)
		return 0;
	if (prfaq_buf_puts(out, prefix) != 0)
		return -1;
	if (!md_text_bounds(s, n, &lead, &trail))
		return md_newline_refs(out, lead) != 0 ||
				       prfaq_buf_putc(out, '\n') != 0 ?
			       -1 :
			       0;
	if (md_newline_refs(out, lead) != 0)
		return -1;
	line_start = lead == 0;
	end = n - trail;
	for (i = lead;;) {
		size_t e = i, k;

		while (e < end && s[e] != '\n')
			e++;
		if (md_exact_line(out, s + i, e - i, line_start) != 0)
			return -1;
		if (e == end)
			break;
		for (k = 0; s[e + k] == '\n'; k++)
			;
		if (k == 1) {
			/* A backslash before the line ending: a hard break. */
			if (prfaq_buf_append(out, "\\\n", 2) != 0 ||
			    prfaq_buf_puts(out, prefix) != 0)
				return -1;
		} else if (prfaq_buf_putc(out, '\n') != 0 ||
			   put_rtrimmed(out, prefix) != 0 ||
			   prfaq_buf_putc(out, '\n') != 0 ||
			   prfaq_buf_puts(out, prefix) != 0 ||
			   md_newline_refs(out, k - 2) != 0) {
			return -1;
		}
		line_start = k <= 2;
		i = e + k;
	}
	if (md_newline_refs(out, trail) != 0)
		return -1;
	return prfaq_buf_putc(out, '\n');
}

/*
 * Append user text as part of one paragraph, after a label or marker on the
 * same line, so that it reads back exactly.  With prefix, one "\n" between
 * two lines of text is a hard line break and the next line starts with
 * prefix; without (a heading, which is one line), and for every other
 * "\n", a character reference.  No newline at the end.
 */
int
render_md_exact_inline(struct prfaq_buf *out, const char *s, size_t n,
		       const char *prefix)
{
	size_t lead, trail, i, end;
	bool line_start = false;

	if (!md_text_bounds(s, n, &lead, &trail))
		return md_newline_refs(out, lead);
	if (md_newline_refs(out, lead) != 0)
		return -1;
	end = n - trail;
	for (i = lead;;) {
		size_t e = i, k;

		while (e < end && s[e] != '\n')
			e++;
		if (md_exact_line(out, s + i, e - i, line_start) != 0)
			return -1;
		if (e == end)
			break;
		for (k = 0; s[e + k] == '\n'; k++)
			;
		if (prefix == NULL) {
			if (md_newline_refs(out, k) != 0)
				return -1;
		} else if (md_newline_refs(out, k - 1) != 0 ||
			   prfaq_buf_append(out, "\\\n", 2) != 0 ||
			   prfaq_buf_puts(out, prefix) != 0) {
			return -1;
		}
		line_start = prefix != NULL;
		i = e + k;
	}
	return md_newline_refs(out, trail);
}

/*
 * Append s[0..n) as a code span, which cmark keeps byte for byte: fenced
 * with one backtick more than the longest run inside, and padded with a
 * space on each side (which cmark takes off again) when the text starts or
 * ends with a backtick or both starts and ends with a space.  Line endings,
 * control characters and malformed UTF-8 (no valid tag holds them) become
 * U+FFFD.  Empty text cannot be a code span: the caller skips it.
 */
int
render_md_code_span(struct prfaq_buf *out, const char *s, size_t n)
{
	size_t run = 0, longest = 0, spaces = 0;
	bool pad;

	for (size_t i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
		spaces += s[i] == ' ';
	}
	pad = n > 0 && (s[0] == '`' || s[n - 1] == '`' ||
			(s[0] == ' ' && s[n - 1] == ' ' && spaces < n));
	for (size_t i = 0; i <= longest; i++)
		if (prfaq_buf_putc(out, '`') != 0)
			return -1;
	if (pad && prfaq_buf_putc(out, ' ') != 0)
		return -1;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c >= 0x80 ? prfaq_utf8_seq(s + i, n - i) : 1;

		if (k == 0 || c < 0x20 || c == 0x7F) {
			if (prfaq_buf_puts(out, REPLACEMENT_CHAR) != 0)
				return -1;
			i++;
			continue;
		}
		if (prfaq_buf_append(out, s + i, k) != 0)
			return -1;
		i += k;
	}
	if (pad && prfaq_buf_putc(out, ' ') != 0)
		return -1;
	for (size_t i = 0; i <= longest; i++)
		if (prfaq_buf_putc(out, '`') != 0)
			return -1;
	return 0;
}

/*
 * Append an http(s) URL as an autolink, <https://...>, whose destination
 * cmark reads back exactly: inside one nothing is escaped but character
 * references, so & < > are written as references.  Only for URLs that
 * render_url_linkable() accepts.
 */
int
render_md_autolink(struct prfaq_buf *out, const char *s, size_t n)
{
	if (prfaq_buf_putc(out, '<') != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int rc;

		switch (s[i]) {
		case '&':
			rc = prfaq_buf_puts(out, "&amp;");
			break;
		case '<':
			rc = prfaq_buf_puts(out, "&lt;");
			break;
		case '>':
			rc = prfaq_buf_puts(out, "&gt;");
			break;
		default:
			rc = prfaq_buf_putc(out, s[i]);
			break;
		}
		if (rc != 0)
			return -1;
	}
	return prfaq_buf_putc(out, '>');
}

/* ---- HTML ------------------------------------------------------------ */

/*
 * Append s[0..n) as HTML text, safe inside elements and quoted attributes.
 * Whitespace runs with line endings become one space (it goes in <title>);
 * control characters and malformed UTF-8 become U+FFFD as in Markdown.
 */
int
render_html_escape(struct prfaq_buf *out, const char *s, size_t n)
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
			case '&':
				rep = "&amp;";
				break;
			case '<':
				rep = "&lt;";
				break;
			case '>':
				rep = "&gt;";
				break;
			case '"':
				rep = "&quot;";
				break;
			case '\'':
				rep = "&#39;";
				break;
			default:
				if ((c < 0x20 && c != '\t') || c == 0x7F)
					rep = REPLACEMENT_CHAR;
				break;
			}
			if (rep != NULL) {
				rc = prfaq_buf_puts(out, rep);
			} else if (c < 0x80) {
				rc = prfaq_buf_putc(out, (char)c);
			} else if ((k = prfaq_utf8_seq(s + i, e - i)) == 0) {
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
