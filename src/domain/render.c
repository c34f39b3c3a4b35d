/*
 * render.c - the reading Markdown of a PR/FAQ, the one its HTML page is made
 * from (see prfaq/render.h).  The authoring Markdown, which a client edits
 * and sends back, is render_markdown.c.
 *
 * The Markdown is built in parts (masthead, metadata line, press release,
 * customer, external FAQ, internal FAQ, decision, appendix), each a complete
 * run of blocks ending with a newline.  prfaq_render_reading_markdown() joins
 * them with blank lines; prfaq_render_html() runs each through libcmark on its own
 * and wraps it in an element with a class, so the print stylesheet can put
 * page breaks and styles on sections without guessing from heading text.
 * Parsing part by part gives the same tree as parsing the whole: user text
 * can never start a link reference definition (every "[" is escaped) and no
 * block stays open across the blank line between parts.
 *
 * User text goes through render_escape.c, whose comment says how it is
 * escaped; render_html.c wraps the parts in a page.
 *
 * Text members that are absent, not strings, or only whitespace count as
 * absent; a section with nothing in it is omitted.  Members of the wrong
 * type are skipped, so any JSON value renders.
 */
#include "prfaq/render.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "prfaq/utf8.h"
#include "prfaq/workflow.h"
#include "render_internal.h"

#define EM_DASH	   "\xE2\x80\x94" /* U+2014 */
#define MIDDLE_DOT "\xC2\xB7"	  /* U+00B7 */

/* ---- reading the document --------------------------------------------- */

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
const char *
render_text_get(const json_t *obj, const char *key, size_t *len)
{
	*len = 0;
	if (!json_is_object(obj))
		return NULL;
	return text_of(json_object_get(obj, key), len);
}

/* obj[key] when obj is an object and the member is an object; else NULL. */
const json_t *
render_object_get(const json_t *obj, const char *key)
{
	const json_t *v;

	if (!json_is_object(obj))
		return NULL;
	v = json_object_get(obj, key);
	return json_is_object(v) ? v : NULL;
}

/* The name of a {"name": ...} member such as "owner"; NULL when absent. */
const char *
render_name_get(const json_t *obj, const char *key, size_t *len)
{
	return render_text_get(render_object_get(obj, key), "name", len);
}

/* ---- blocks ------------------------------------------------------------ */

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

	if ((s = render_text_get(obj, key, &n)) == NULL)
		return 0;
	if (md_block_begin(out) != 0)
		return -1;
	return render_md_blocks(out, s, n, "", NULL);
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
	"January", "February", "March",	    "April",   "May",	   "June",
	"July",	   "August",   "September", "October", "November", "December",
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
int
render_md_status(struct prfaq_buf *out, const char *s, size_t n)
{
	static const char *const labels[PRFAQ_STATUS_COUNT_] = {
		[PRFAQ_STATUS_DRAFT] = "Draft",
		[PRFAQ_STATUS_IN_REVIEW] = "In review",
		[PRFAQ_STATUS_APPROVED] = "Approved",
		[PRFAQ_STATUS_REJECTED] = "Rejected",
		[PRFAQ_STATUS_ARCHIVED] = "Archived",
		[PRFAQ_STATUS_LAUNCHED] = "Launched",
	};
	enum prfaq_status st;

	/* strlen check: a string with an embedded NUL is not a status. */
	if (strlen(s) == n && prfaq_status_parse(s, &st) == 0)
		return prfaq_buf_puts(out, labels[st]);
	return render_md_inline(out, s, n, false);
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
	return render_md_inline(out, s, n, false);
}

/* An integer (or a real, rounded) for the metadata line; false otherwise. */
bool
render_number_of(const json_t *v, json_int_t *out)
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

	if ((s = render_text_get(pr, "headline", &n)) == NULL)
		s = render_text_get(doc, "title", &n);
	if (prfaq_buf_puts(out, "# ") != 0)
		return -1;
	if (s == NULL) {
		if (prfaq_buf_puts(out, "Untitled PR/FAQ") != 0)
			return -1;
	} else if (render_md_inline(out, s, n, false) != 0) {
		return -1;
	}
	if (prfaq_buf_putc(out, '\n') != 0)
		return -1;

	if ((s = render_text_get(pr, "subheading", &n)) == NULL)
		return 0;
	mark = out->len;
	if (prfaq_buf_putc(out, '\n') != 0 ||
	    render_md_wrapped(out, s, n, "*") != 0)
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
	h = render_text_get(pr, "headline", &hn);
	s = render_text_get(doc, "title", &n);
	if (h != NULL && s != NULL && (hn != n || memcmp(h, s, n) != 0) &&
	    meta_text(out, "PR/FAQ: ", s, n) != 0)
		return -1;
	s = render_text_get(doc, "team", &n);
	if (meta_text(out, "Team: ", s, n) != 0)
		return -1;

	v = json_is_object(doc) ? json_object_get(doc, "tags") : NULL;
	if (json_is_array(v)) {
		bool first = true;

		for (size_t i = 0; i < json_array_size(v); i++) {
			if ((s = text_of(json_array_get(v, i), &n)) == NULL)
				continue;
			if (first ? meta_sep(out) != 0 ||
					    prfaq_buf_puts(out, "Tags: ") != 0 :
				    prfaq_buf_puts(out, ", ") != 0)
				return -1;
			if (render_md_inline(out, s, n, false) != 0)
				return -1;
			first = false;
		}
	}

	if ((s = render_text_get(doc, "status", &n)) != NULL &&
	    (meta_sep(out) != 0 || prfaq_buf_puts(out, "Status: ") != 0 ||
	     render_md_status(out, s, n) != 0))
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

	s = render_name_get(doc, "owner", &n);
	if (meta_text(out, "Owner: ", s, n) != 0)
		return -1;
	s = render_name_get(doc, "author", &n);
	if (meta_text(out, "Author: ", s, n) != 0)
		return -1;

	if ((s = render_text_get(doc, "updated_at", &n)) == NULL)
		s = render_text_get(doc, "created_at", &n);
	if (meta_text(out, "Updated: ", s, n) != 0)
		return -1;

	v = render_object_get(doc, "quality");
	if (v != NULL && render_number_of(json_object_get(v, "score"), &num) &&
	    (meta_sep(out) != 0 ||
	     prfaq_buf_printf(out,
			      "Quality score: %" JSON_INTEGER_FORMAT "/100",
			      num) != 0))
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
	if ((loc = render_text_get(pr, "location", &ln)) != NULL)
		prfaq_utf8_trim(&loc, &ln, prfaq_utf8_is_white_space);
	if ((date = render_text_get(pr, "launch_date", &dn)) != NULL)
		prfaq_utf8_trim(&date, &dn, prfaq_utf8_is_white_space);
	if (ln == 0 && dn == 0)
		return 0;
	/*
	 * The inside is assembled as plain text (the date formatted or as
	 * given) and escaped once, by render_md_wrapped.
	 */
	if (ln > 0 && prfaq_buf_append(&raw, loc, ln) != 0)
		goto out;
	if (ln > 0 && dn > 0 && prfaq_buf_puts(&raw, " " EM_DASH " ") != 0)
		goto out;
	if (dn > 0 && md_date_raw(&raw, date, dn) != 0)
		goto out;
	if (render_md_wrapped(lead, raw.data, raw.len, "**") != 0)
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

	if ((text = render_text_get(quote, "text", &tn)) == NULL)
		return 0;
	if (md_block_begin(out) != 0 ||
	    render_md_blocks(out, text, tn, "> ", NULL) != 0)
		return -1;
	if ((speaker = render_text_get(quote, "speaker", &sn)) == NULL)
		return 0;
	if (prfaq_buf_puts(out, ">\n> " EM_DASH " ") != 0 ||
	    render_md_inline(out, speaker, sn, false) != 0 ||
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
	summary = render_text_get(pr, "summary", &sn);
	if (md_dateline(&lead, pr, summary != NULL) != 0)
		goto out;
	if (summary != NULL) {
		if (render_md_blocks(out, summary, sn, "",
				     lead.len > 0 ? lead.data : NULL) != 0)
			goto out;
	} else if (lead.len > 0) {
		if (prfaq_buf_append(out, lead.data, lead.len) != 0 ||
		    prfaq_buf_putc(out, '\n') != 0)
			goto out;
	}
	if (md_field(out, pr, "problem") != 0 ||
	    md_field(out, pr, "solution") != 0 ||
	    md_quote(out, render_object_get(pr, "leader_quote")) != 0 ||
	    md_field(out, pr, "how_it_works") != 0 ||
	    md_quote(out, render_object_get(pr, "customer_quote")) != 0 ||
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
		{ "experience",
		  "What does the customer experience look like?" },
	};

	for (size_t i = 0; i < sizeof(questions) / sizeof(questions[0]); i++) {
		const char *s;
		size_t n;

		s = render_text_get(customer, questions[i].key, &n);
		if (s == NULL)
			continue;
		if (md_section(out, "Customer") != 0 ||
		    prfaq_buf_printf(out, "### %s\n\n",
				     questions[i].question) != 0 ||
		    render_md_blocks(out, s, n, "", NULL) != 0)
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

		q = render_text_get(item, "question", &qn);
		a = render_text_get(item, "answer", &an);
		if (q == NULL && a == NULL)
			continue;
		if (md_section(out, heading) != 0 ||
		    prfaq_buf_puts(out, "### Q: ") != 0)
			return -1;
		if (q != NULL ? render_md_inline(out, q, qn, false) != 0 :
				prfaq_buf_puts(out, "(no question)") != 0)
			return -1;
		if (prfaq_buf_putc(out, '\n') != 0)
			return -1;
		if (a != NULL && (prfaq_buf_putc(out, '\n') != 0 ||
				  render_md_blocks(out, a, an, "", NULL) != 0))
			return -1;
	}
	return 0;
}

/*
 * Can url be a link?  Only absolute http(s) URLs in well-formed UTF-8
 * without whitespace or control characters: anything else (javascript:, data:, relative paths)
 * is shown as text, whatever cmark's own filter would do with it.
 */
bool
render_url_linkable(const char *s, size_t n)
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

		title = render_text_get(item, "title", &tn);
		url = render_text_get(item, "url", &un);
		caption = render_text_get(item, "caption", &cn);
		/*
		 * The URL is trimmed like every other text before checking;
		 * one of only Unicode spaces is no URL (not "title: ").
		 */
		if (url != NULL)
			prfaq_utf8_trim(&url, &un, prfaq_utf8_is_white_space);
		if (un == 0)
			url = NULL;
		if (title == NULL && url == NULL && caption == NULL)
			continue;
		if (out->len == 0 && md_section(out, "Appendix: Visuals") != 0)
			return -1;
		if (prfaq_buf_puts(out, "- ") != 0)
			return -1;

		link = url != NULL && render_url_linkable(url, un);
		if (link) {
			if (prfaq_buf_putc(out, '[') != 0)
				return -1;
			if (title != NULL ?
				    render_md_inline(out, title, tn, false) :
				    render_md_escape(out, url, un, false))
				return -1;
			if (prfaq_buf_puts(out, "](") != 0 ||
			    render_md_url(out, url, un) != 0 ||
			    prfaq_buf_putc(out, ')') != 0)
				return -1;
			any = true;
		} else {
			if (title != NULL) {
				if (render_md_inline(out, title, tn, true) != 0)
					return -1;
				any = true;
			}
			if (url != NULL) {
				if (any && prfaq_buf_puts(out, ": ") != 0)
					return -1;
				if (render_md_inline(out, url, un, !any) != 0)
					return -1;
				any = true;
			}
		}
		if (caption != NULL) {
			if (any && prfaq_buf_puts(out, " " EM_DASH " ") != 0)
				return -1;
			if (render_md_inline(out, caption, cn, !any) != 0)
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
int
render_md_decision(struct prfaq_buf *out, const json_t *decision)
{
	const char *outcome, *who, *at, *why;
	size_t on, wn, an, yn;
	const json_t *version;
	bool any = false;

	if (decision == NULL)
		return 0;
	outcome = render_text_get(decision, "outcome", &on);
	who = render_name_get(decision, "decided_by", &wn);
	at = render_text_get(decision, "at", &an);
	why = render_text_get(decision, "rationale", &yn);
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
			rc = render_md_wrapped(out, outcome, on, "**");
		if (rc != 0)
			return -1;
		any = out->len > mark;
	}
	if (who != NULL) {
		if (prfaq_buf_puts(out, any ? " by " : "By ") != 0 ||
		    render_md_inline(out, who, wn, false) != 0)
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
		    render_md_inline(out, at, an, false) != 0 ||
		    prfaq_buf_putc(out, ')') != 0)
			return -1;
		any = true;
	}
	if (any && prfaq_buf_putc(out, '\n') != 0)
		return -1;
	if (why != NULL && (md_block_begin(out) != 0 ||
			    render_md_blocks(out, why, yn, "", NULL) != 0))
		return -1;
	return 0;
}

void
render_md_doc_free(struct md_doc *md)
{
	for (size_t i = 0; i < PART_COUNT_; i++)
		prfaq_buf_free(&md->part[i]);
}

/*
 * Render every part of doc into md (whose buffers the caller frees with
 * render_md_doc_free, also on failure).  Returns 0, or -1 on ENOMEM.
 */
int
render_md_doc_build(const json_t *doc, struct md_doc *md)
{
	const json_t *content, *pr, *faq;

	for (size_t i = 0; i < PART_COUNT_; i++)
		md->part[i] = (struct prfaq_buf)PRFAQ_BUF_INIT;
	content = render_object_get(doc, "content");
	pr = render_object_get(content, "press_release");
	faq = render_object_get(content, "faq");

	if (md_head(&md->part[PART_HEAD], doc, pr) != 0 ||
	    md_meta(&md->part[PART_META], doc, pr) != 0 ||
	    md_press(&md->part[PART_PRESS], pr) != 0 ||
	    md_customer(&md->part[PART_CUSTOMER],
			render_object_get(content, "customer")) != 0 ||
	    md_faq(&md->part[PART_FAQ_EXTERNAL],
		   faq ? json_object_get(faq, "external") : NULL,
		   "External FAQ") != 0 ||
	    md_faq(&md->part[PART_FAQ_INTERNAL],
		   faq ? json_object_get(faq, "internal") : NULL,
		   "Internal FAQ") != 0 ||
	    render_md_decision(&md->part[PART_DECISION],
			       render_object_get(doc, "decision")) != 0 ||
	    md_visuals(&md->part[PART_VISUALS],
		       json_is_object(content) ?
			       json_object_get(content, "visuals") :
			       NULL) != 0)
		return -1;
	return 0;
}

/* Undo a failed render: out goes back to the length it had on entry. */
int
render_rollback(struct prfaq_buf *out, size_t len)
{
	out->len = len;
	if (out->data != NULL)
		out->data[len] = '\0';
	return -1;
}

/*
 * Append the reading Markdown of doc (borrowed; any JSON value) to out.
 * Returns 0, or -1 on ENOMEM with out as it was.
 */
int
prfaq_render_reading_markdown(const json_t *doc, struct prfaq_buf *out)
{
	struct md_doc md;
	size_t start = out->len;
	bool first = true;
	int rc = -1;

	if (render_md_doc_build(doc, &md) != 0)
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
	render_md_doc_free(&md);
	return rc == 0 ? 0 : render_rollback(out, start);
}
