/*
 * render_markdown.c - the authoring Markdown of a PR/FAQ: what GET with
 * Accept: text/markdown returns and what POST, PUT and /v1/lint read back
 * (markdown_parse.c; the layout is drawn in prfaq/markdown.h).
 *
 * Unlike the reading Markdown (render.c), which shapes a press release for
 * the review meeting, this layout puts every member a client writes under
 * its own heading or label, and shows it whenever it is present, "" and
 * whitespace included, so that reading it back gives the document byte for
 * byte.  Its text goes through the exact encodings of render_escape.c.
 * Members of the wrong type are skipped, so any JSON value renders.
 */
#include "prfaq/render.h"

#include <stdbool.h>
#include <string.h>

#include "render_internal.h"

#define EM_DASH	   "\xE2\x80\x94" /* U+2014 */
#define MIDDLE_DOT "\xC2\xB7"	  /* U+00B7 */

enum part {
	AUTH_HEAD,
	AUTH_META,
	AUTH_PRESS,
	AUTH_CUSTOMER,
	AUTH_FAQ_EXTERNAL,
	AUTH_FAQ_INTERNAL,
	AUTH_METRICS,
	AUTH_DECISION,
	AUTH_VISUALS,
	AUTH_COUNT_
};

/*
 * Borrowed bytes of obj[key] when obj is an object and the member is a
 * string, whatever it holds ("" too); NULL otherwise.  The parts a client
 * writes are shown whenever they are present, so that reading the Markdown
 * back (markdown_parse.c) gives them exactly.
 */
static const char *
string_get(const json_t *obj, const char *key, size_t *len)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) :
						NULL;

	*len = json_is_string(v) ? json_string_length(v) : 0;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Separator between items of the metadata line. */
static int
meta_sep(struct prfaq_buf *out)
{
	return out->len > 0 ? prfaq_buf_puts(out, " " MIDDLE_DOT " ") : 0;
}

/* "**Label:**" and a user-text value, as one item of the metadata line. */
static int
meta_text(struct prfaq_buf *out, const char *label, const char *s, size_t n)
{
	if (s == NULL)
		return 0;
	if (meta_sep(out) != 0 || prfaq_buf_printf(out, "**%s:**", label) != 0)
		return -1;
	if (n > 0 && prfaq_buf_putc(out, ' ') != 0)
		return -1;
	return render_md_exact_inline(out, s, n, NULL);
}

/* The title, as the one level-1 heading. */
static int
md_head(struct prfaq_buf *out, const json_t *doc)
{
	const char *s;
	size_t n;

	if (prfaq_buf_puts(out, "# ") != 0)
		return -1;
	if ((s = string_get(doc, "title", &n)) == NULL)
		return prfaq_buf_puts(out, "Untitled PR/FAQ\n");
	if (render_md_exact_inline(out, s, n, NULL) != 0)
		return -1;
	return prfaq_buf_putc(out, '\n');
}

/*
 * The small line under the title: team and tags (which a client writes),
 * then status, version, owner/author, last change and quality score (which
 * it does not), each only when present.  Tags are code spans, which keep
 * any text exactly, commas included.
 */
static int
md_meta(struct prfaq_buf *out, const json_t *doc)
{
	const char *s;
	size_t n;
	const json_t *v;
	json_int_t num;

	s = string_get(doc, "team", &n);
	if (meta_text(out, "Team", s, n) != 0)
		return -1;

	v = json_is_object(doc) ? json_object_get(doc, "tags") : NULL;
	if (json_is_array(v) && json_array_size(v) > 0) {
		bool first = true;

		if (meta_sep(out) != 0 || prfaq_buf_puts(out, "**Tags:**") != 0)
			return -1;
		for (size_t i = 0; i < json_array_size(v); i++) {
			const json_t *tag = json_array_get(v, i);

			if (!json_is_string(tag) ||
			    json_string_length(tag) == 0)
				continue;
			if (prfaq_buf_puts(out, first ? " " : ", ") != 0 ||
			    render_md_code_span(out, json_string_value(tag),
						json_string_length(tag)) != 0)
				return -1;
			first = false;
		}
	}

	if ((s = render_text_get(doc, "status", &n)) != NULL &&
	    (meta_sep(out) != 0 || prfaq_buf_puts(out, "**Status:** ") != 0 ||
	     render_md_status(out, s, n) != 0))
		return -1;

	/* A document has "version"; a version object has "number". */
	v = json_is_object(doc) ? json_object_get(doc, "version") : NULL;
	if (!json_is_integer(v))
		v = json_is_object(doc) ? json_object_get(doc, "number") : NULL;
	if (json_is_integer(v) &&
	    (meta_sep(out) != 0 ||
	     prfaq_buf_printf(out, "**Version:** %" JSON_INTEGER_FORMAT,
			      json_integer_value(v)) != 0))
		return -1;

	if ((s = render_name_get(doc, "owner", &n)) != NULL &&
	    (meta_sep(out) != 0 || prfaq_buf_puts(out, "**Owner:** ") != 0 ||
	     render_md_inline(out, s, n, false) != 0))
		return -1;
	if ((s = render_name_get(doc, "author", &n)) != NULL &&
	    (meta_sep(out) != 0 || prfaq_buf_puts(out, "**Author:** ") != 0 ||
	     render_md_inline(out, s, n, false) != 0))
		return -1;
	if ((s = render_text_get(doc, "updated_at", &n)) == NULL)
		s = render_text_get(doc, "created_at", &n);
	if (s != NULL &&
	    (meta_sep(out) != 0 || prfaq_buf_puts(out, "**Updated:** ") != 0 ||
	     render_md_inline(out, s, n, false) != 0))
		return -1;

	v = render_object_get(doc, "quality");
	if (v != NULL && render_number_of(json_object_get(v, "score"), &num) &&
	    (meta_sep(out) != 0 ||
	     prfaq_buf_printf(out,
			      "**Quality score:** %" JSON_INTEGER_FORMAT "/100",
			      num) != 0))
		return -1;

	if (out->len > 0 && prfaq_buf_putc(out, '\n') != 0)
		return -1;
	return 0;
}

/*
 * A member under its "### " heading: the heading alone for "", else the
 * text's paragraphs.
 */
static int
md_member(struct prfaq_buf *out, const char *heading, const char *s, size_t n)
{
	if (prfaq_buf_printf(out, "\n### %s\n", heading) != 0)
		return -1;
	if (n > 0 && (prfaq_buf_putc(out, '\n') != 0 ||
		      render_md_exact_blocks(out, s, n, "") != 0))
		return -1;
	return 0;
}

/*
 * A quote: its words as a block quote (">" alone for ""), then its speaker
 * after an em dash; either may be missing.
 */
static int
md_quote(struct prfaq_buf *out, const char *heading, const json_t *quote)
{
	const char *text, *speaker;
	size_t tn, sn;

	if (prfaq_buf_printf(out, "\n### %s\n", heading) != 0)
		return -1;
	if ((text = string_get(quote, "text", &tn)) != NULL &&
	    (prfaq_buf_putc(out, '\n') != 0 ||
	     (tn == 0 ? prfaq_buf_puts(out, ">\n") :
			render_md_exact_blocks(out, text, tn, "> ")) != 0))
		return -1;
	if ((speaker = string_get(quote, "speaker", &sn)) != NULL &&
	    (prfaq_buf_puts(out, "\n" EM_DASH) != 0 ||
	     (sn > 0 && prfaq_buf_putc(out, ' ') != 0) ||
	     render_md_exact_inline(out, speaker, sn, "") != 0 ||
	     prfaq_buf_putc(out, '\n') != 0))
		return -1;
	return 0;
}

/* The press release, each member under its own heading, in reading order. */
static int
md_press(struct prfaq_buf *out, const json_t *pr)
{
	static const struct {
		const char *key;
		const char *heading;
		bool quote;
	} members[] = {
		{ "headline", "Headline", false },
		{ "subheading", "Subheading", false },
		{ "location", "Location", false },
		{ "launch_date", "Launch date", false },
		{ "summary", "Summary", false },
		{ "problem", "Problem", false },
		{ "solution", "Solution", false },
		{ "leader_quote", "Leader quote", true },
		{ "how_it_works", "How it works", false },
		{ "customer_quote", "Customer quote", true },
		{ "call_to_action", "Call to action", false },
	};

	if (pr == NULL)
		return 0;
	if (prfaq_buf_puts(out, "## Press release\n") != 0)
		return -1;
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		const char *s;
		size_t n;
		const json_t *q;

		if (members[i].quote) {
			q = render_object_get(pr, members[i].key);
			if (q != NULL &&
			    md_quote(out, members[i].heading, q) != 0)
				return -1;
		} else if ((s = string_get(pr, members[i].key, &n)) != NULL &&
			   md_member(out, members[i].heading, s, n) != 0) {
			return -1;
		}
	}
	return 0;
}

/* The five customer questions, each answered under its own heading. */
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

	if (customer == NULL)
		return 0;
	if (prfaq_buf_puts(out, "## Customer\n") != 0)
		return -1;
	for (size_t i = 0; i < sizeof(questions) / sizeof(questions[0]); i++) {
		const char *s;
		size_t n;

		if ((s = string_get(customer, questions[i].key, &n)) != NULL &&
		    md_member(out, questions[i].question, s, n) != 0)
			return -1;
	}
	return 0;
}

/*
 * One FAQ list: each entry as "### Q: question" and its answer.  An entry
 * without a question is headed "*(no question)*" and an empty answer is
 * "*(empty)*", so a reader sees what is missing and the entry reads back
 * as it is.
 */
static int
md_faq(struct prfaq_buf *out, const json_t *list, const char *heading)
{
	if (!json_is_array(list))
		return 0;
	if (prfaq_buf_printf(out, "## %s\n", heading) != 0)
		return -1;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *item = json_array_get(list, i);
		const char *q, *a;
		size_t qn, an;

		if (!json_is_object(item))
			continue;
		q = string_get(item, "question", &qn);
		a = string_get(item, "answer", &an);
		if (prfaq_buf_puts(out, q != NULL ?
						"\n### Q:" :
						"\n### *(no question)*") != 0)
			return -1;
		if (qn > 0 && (prfaq_buf_putc(out, ' ') != 0 ||
			       render_md_exact_inline(out, q, qn, NULL) != 0))
			return -1;
		if (prfaq_buf_putc(out, '\n') != 0)
			return -1;
		if (a != NULL &&
		    (prfaq_buf_putc(out, '\n') != 0 ||
		     (an == 0 ? prfaq_buf_puts(out, "*(empty)*\n") :
				render_md_exact_blocks(out, a, an, "")) != 0))
			return -1;
	}
	return 0;
}

/* A member of a labelled list item: its key, label and how it is written. */
enum md_member_kind {
	MD_TEXT,   /* exact inline text */
	MD_URL,	   /* an autolink when http(s), else exact inline text */
	MD_NUMBER, /* a JSON number that reads back the same */
};

struct md_member {
	const char *key, *label;
	enum md_member_kind kind;
};

/*
 * A labelled list under heading: one list item per object of list, a
 * paragraph per member led by its label ("**Title:** ...").  A member that
 * is absent or of the wrong type is skipped; so is an item that is not an
 * object.  Text reads back exactly (render_md_exact_inline), numbers to
 * the same JSON number (render_number_format).
 */
static int
md_labelled_list(struct prfaq_buf *out, const char *heading, const json_t *list,
		 const struct md_member *members, size_t nmembers)
{
	if (!json_is_array(list))
		return 0;
	if (prfaq_buf_printf(out, "## %s\n", heading) != 0)
		return -1;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *item = json_array_get(list, i);
		bool first = true;

		if (!json_is_object(item))
			continue;
		if (prfaq_buf_puts(out, "\n-") != 0)
			return -1;
		for (size_t k = 0; k < nmembers; k++) {
			const struct md_member *m = &members[k];
			char num[RENDER_NUMBER_MAX];
			const char *s = NULL;
			size_t n = 0;
			int rc;

			if (m->kind == MD_NUMBER ?
				    !render_number_format(
					    json_object_get(item, m->key),
					    num) :
				    (s = string_get(item, m->key, &n)) == NULL)
				continue;
			if (prfaq_buf_printf(out, "%s**%s:**",
					     first ? " " : "\n\n  ",
					     m->label) != 0)
				return -1;
			if (m->kind == MD_NUMBER)
				rc = prfaq_buf_printf(out, " %s", num);
			else if (n > 0 && prfaq_buf_putc(out, ' ') != 0)
				rc = -1;
			else if (m->kind == MD_URL && render_url_linkable(s, n))
				rc = render_md_autolink(out, s, n);
			else
				rc = render_md_exact_inline(out, s, n, "  ");
			if (rc != 0)
				return -1;
			first = false;
		}
		if (prfaq_buf_putc(out, '\n') != 0)
			return -1;
	}
	return 0;
}

/* The appendix: only http(s) URLs become (auto)links. */
static int
md_visuals(struct prfaq_buf *out, const json_t *list)
{
	static const struct md_member members[] = {
		{ "title", "Title", MD_TEXT },
		{ "url", "URL", MD_URL },
		{ "caption", "Caption", MD_TEXT },
	};

	return md_labelled_list(out, "Appendix: Visuals", list, members,
				sizeof(members) / sizeof(members[0]));
}

/* The metrics, like the visuals. */
static int
md_metrics(struct prfaq_buf *out, const json_t *list)
{
	static const struct md_member members[] = {
		{ "key", "Key", MD_TEXT },
		{ "name", "Name", MD_TEXT },
		{ "kind", "Kind", MD_TEXT },
		{ "unit", "Unit", MD_TEXT },
		{ "direction", "Direction", MD_TEXT },
		{ "baseline", "Baseline", MD_NUMBER },
		{ "target", "Target", MD_NUMBER },
		{ "by", "By", MD_TEXT },
	};

	return md_labelled_list(out, "Metrics", list, members,
				sizeof(members) / sizeof(members[0]));
}

/*
 * An FAQ object with neither list in it still shows, as a "## FAQ"
 * heading alone, so that it reads back as {}.
 */
static int
md_faq_empty(struct prfaq_buf *out, const json_t *faq)
{
	if (faq == NULL || json_is_array(json_object_get(faq, "external")) ||
	    json_is_array(json_object_get(faq, "internal")))
		return 0;
	return prfaq_buf_puts(out, "## FAQ\n");
}

/*
 * Append the authoring Markdown of doc (borrowed; any JSON value) to out:
 * its parts joined by blank lines.  Returns 0, or -1 on ENOMEM with out as
 * it was.
 */
int
prfaq_render_markdown(const json_t *doc, struct prfaq_buf *out)
{
	struct prfaq_buf part[AUTH_COUNT_];
	const json_t *content, *faq;
	size_t start = out->len;
	bool first = true;
	int rc = -1;

	for (size_t i = 0; i < AUTH_COUNT_; i++)
		part[i] = (struct prfaq_buf)PRFAQ_BUF_INIT;
	content = render_object_get(doc, "content");
	faq = render_object_get(content, "faq");
	if (md_head(&part[AUTH_HEAD], doc) != 0 ||
	    md_meta(&part[AUTH_META], doc) != 0 ||
	    md_press(&part[AUTH_PRESS],
		     render_object_get(content, "press_release")) != 0 ||
	    md_customer(&part[AUTH_CUSTOMER],
			render_object_get(content, "customer")) != 0 ||
	    md_faq_empty(&part[AUTH_FAQ_EXTERNAL], faq) != 0 ||
	    md_faq(&part[AUTH_FAQ_EXTERNAL],
		   faq ? json_object_get(faq, "external") : NULL,
		   "External FAQ") != 0 ||
	    md_faq(&part[AUTH_FAQ_INTERNAL],
		   faq ? json_object_get(faq, "internal") : NULL,
		   "Internal FAQ") != 0 ||
	    md_metrics(&part[AUTH_METRICS],
		       json_is_object(content) ?
			       json_object_get(content, "metrics") :
			       NULL) != 0 ||
	    render_md_decision(&part[AUTH_DECISION],
			       render_object_get(doc, "decision")) != 0 ||
	    md_visuals(&part[AUTH_VISUALS],
		       json_is_object(content) ?
			       json_object_get(content, "visuals") :
			       NULL) != 0)
		goto out;
	for (size_t i = 0; i < AUTH_COUNT_; i++) {
		if (part[i].len == 0)
			continue;
		if (!first && prfaq_buf_putc(out, '\n') != 0)
			goto out;
		if (prfaq_buf_append(out, part[i].data, part[i].len) != 0)
			goto out;
		first = false;
	}
	rc = 0;
out:
	for (size_t i = 0; i < AUTH_COUNT_; i++)
		prfaq_buf_free(&part[i]);
	return rc == 0 ? 0 : render_rollback(out, start);
}
