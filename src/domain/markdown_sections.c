/*
 * markdown_sections.c - the sections of a PR/FAQ's Markdown layout: press
 * release and customer members, the FAQs and the visuals (see
 * markdown_parse.c for how the walk works).
 */
#include <cmark.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "markdown_internal.h"
#include "prfaq/buf.h"
#include "prfaq/content.h"

#define EM_DASH "\xE2\x80\x94" /* U+2014, before a quote's speaker */

/* ---- the layout's names ------------------------------------------------- */

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

const char md_sections_hint[] =
	"Press release, Customer, External FAQ, Internal FAQ or Appendix: "
	"Visuals (Decision is read-only and ignored)";

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

static const char no_question[] = "(no question)";
static const char empty_marker[] = "(empty)";
/* ---- sections ----------------------------------------------------------------- */

/* The end of a section: the next "#" or "##" heading, or the end. */
static bool
section_end(cmark_node *n)
{
	return n == NULL || md_is_heading_upto(n, 2);
}

/* Skip to the next heading of at most level, reporting nothing. */
cmark_node *
md_skip_to_heading(cmark_node *n, int level)
{
	while (n != NULL && !md_is_heading_upto(n, level))
		n = cmark_node_next(n);
	return n;
}

/* Report every block up to the next heading of at most level, then skip. */
static cmark_node *
refuse_to_heading(struct mdp *p, cmark_node *n, int level, const char *why)
{
	for (; n != NULL && !md_is_heading_upto(n, level);
	     n = cmark_node_next(n))
		md_report(p, cmark_node_get_start_line(n), "%s", why);
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
	md_put(p, obj, key, v, pointer, line);
	return v;
}

/* A level-3 heading naming one of table's members; NULL after a report. */
static const struct member *
member_heading(struct mdp *p, cmark_node *h, const struct member *table,
	       size_t n, const char *what)
{
	int line = cmark_node_get_start_line(h);

	if (cmark_node_get_heading_level(h) != 3) {
		md_report(p, line, "%s: expected a ### heading", what);
		return NULL;
	}
	if (!md_heading_text(p, h))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (md_label_is(p->text.data, p->text.len, table[i].label))
			return &table[i];
	md_report(p, line, "%s: \"%.80s\" is not one of its headings", what,
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

	if (md_is_type(n, CMARK_NODE_BLOCK_QUOTE)) {
		size_t count;
		cmark_node *rest;

		rest = md_read_paragraphs(p, cmark_node_first_child(n), &count);
		if (rest != NULL)
			md_report(p, cmark_node_get_start_line(rest), "%s",
				  md_block_problem(rest));
		snprintf(ptr, sizeof(ptr), "%s/text", base);
		md_put(p, quote, "text", md_text_value(p), ptr,
		       cmark_node_get_start_line(n));
		n = cmark_node_next(n);
	}
	if (md_is_type(n, CMARK_NODE_PARAGRAPH)) {
		cmark_node *t = cmark_node_first_child(n);
		const char *lit = md_is_type(t, CMARK_NODE_TEXT) ?
					  cmark_node_get_literal(t) :
					  NULL;
		size_t dash = strlen(EM_DASH);

		if (lit != NULL && strncmp(lit, EM_DASH, dash) == 0) {
			prfaq_buf_reset(&p->text);
			if (md_read_block_text(p, n, &p->text)) {
				memmove(p->text.data, p->text.data + dash,
					p->text.len - dash + 1);
				p->text.len -= dash;
				md_drop_lead_space(&p->text);
				snprintf(ptr, sizeof(ptr), "%s/speaker", base);
				md_put(p, quote, "speaker", md_text_value(p),
				       ptr, cmark_node_get_start_line(n));
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
	if (!section_end(n) && !md_is_type(n, CMARK_NODE_HEADING)) {
		md_report(p, cmark_node_get_start_line(n),
			  "%s: text goes under "
			  "a ### heading naming its part",
			  what);
		n = md_skip_to_heading(n, 6);
	}
	while (!section_end(n)) {
		const struct member *m =
			member_heading(p, n, table, count, what);
		int line = cmark_node_get_start_line(n);
		size_t paras;

		n = cmark_node_next(n);
		if (m == NULL) {
			n = md_skip_to_heading(n, 3);
			continue;
		}
		snprintf(ptr, sizeof(ptr), "%s/%s", base, m->key);
		if (json_object_get(obj, m->key) != NULL) {
			md_report(p, line,
				  "%s appears twice (first at line %d)",
				  m->label, md_line_of(p, ptr));
			n = md_skip_to_heading(n, 3);
			continue;
		}
		if (m->quote) {
			json_t *q = object_member(p, obj, m->key, ptr, line);

			n = read_quote(p, q, ptr, n);
			continue;
		}
		n = md_read_paragraphs(p, n, &paras);
		if (md_is_type(n, CMARK_NODE_HEADING) &&
		    cmark_node_get_heading_level(n) > 3) {
			md_report(p, cmark_node_get_start_line(n), "%s",
				  md_block_problem(n));
			n = md_skip_to_heading(cmark_node_next(n), 3);
		}
		md_put(p, obj, m->key, md_text_value(p), ptr, line);
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
	md_put(p, faq, key, list, base, line);

	while (!section_end(n)) {
		size_t idx = json_array_size(list), paras;
		const char *q;

		line = cmark_node_get_start_line(n);
		if (!md_is_type(n, CMARK_NODE_HEADING) ||
		    cmark_node_get_heading_level(n) != 3) {
			md_report(p, line,
				  "an FAQ entry starts with a heading "
				  "### Q: followed by the question");
			n = md_skip_to_heading(cmark_node_next(n), 3);
			continue;
		}
		if (idx >= PRFAQ_LIST_MAX) {
			md_report(p, line, "an FAQ holds at most %d entries",
				  PRFAQ_LIST_MAX);
			return md_skip_to_heading(n, 2);
		}
		entry = json_object();
		json_array_append_new(list, entry);
		snprintf(ptr, sizeof(ptr), "%s/%zu", base, idx);
		md_note_line(p, ptr, line);
		if (!md_is_marker(n, no_question) && md_heading_text(p, n)) {
			q = p->text.data != NULL ? p->text.data : "";
			if (strncasecmp(q, "Q:", 2) != 0) {
				md_report(p, line,
					  "an FAQ entry starts with a "
					  "heading ### Q: followed by the "
					  "question");
			} else {
				memmove(p->text.data, p->text.data + 2,
					p->text.len - 1);
				p->text.len -= 2;
				md_drop_lead_space(&p->text);
				snprintf(ptr, sizeof(ptr), "%s/%zu/question",
					 base, idx);
				md_put(p, entry, "question", md_text_value(p),
				       ptr, line);
			}
		}
		n = cmark_node_next(n);
		snprintf(ptr, sizeof(ptr), "%s/%zu/answer", base, idx);
		if (md_is_type(n, CMARK_NODE_PARAGRAPH) &&
		    md_is_marker(n, empty_marker)) {
			md_put(p, entry, "answer", json_string(""), ptr,
			       cmark_node_get_start_line(n));
			n = refuse_to_heading(p, cmark_node_next(n), 3,
					      "*(empty)* stands for an empty "
					      "answer: nothing may follow it");
			continue;
		}
		line = n != NULL ? cmark_node_get_start_line(n) : line;
		n = md_read_paragraphs(p, n, &paras);
		if (paras > 0)
			md_put(p, entry, "answer", md_text_value(p), ptr, line);
		if (md_is_type(n, CMARK_NODE_HEADING) &&
		    cmark_node_get_heading_level(n) > 3) {
			md_report(p, cmark_node_get_start_line(n), "%s",
				  md_block_problem(n));
			n = md_skip_to_heading(cmark_node_next(n), 3);
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

		if (!md_is_type(para, CMARK_NODE_PARAGRAPH)) {
			md_report(p, line, "%s", md_block_problem(para));
			continue;
		}
		label = md_strong_label(lab);
		for (size_t i = 0; label != NULL && i < NELEM(visual_members);
		     i++)
			if (strcasecmp(label, visual_members[i].label) == 0)
				m = &visual_members[i];
		if (m == NULL) {
			md_report(
				p, line,
				"a visual is described by paragraphs "
				"led by **Title:**, **URL:** and **Caption:**");
			continue;
		}
		snprintf(ptr, sizeof(ptr), "/content/visuals/%zu/%s", idx,
			 m->key);
		if (json_object_get(visual, m->key) != NULL) {
			md_report(p, line,
				  "%s appears twice in this visual "
				  "(first at line %d)",
				  m->label, md_line_of(p, ptr));
			continue;
		}
		v = cmark_node_next(lab);
		/* "<https://...>": the autolink's destination, exactly. */
		if (strcmp(m->key, "url") == 0 && v != NULL) {
			const char *lit = cmark_node_get_literal(v);

			if (md_is_type(v, CMARK_NODE_TEXT) && lit != NULL &&
			    strcmp(lit, " ") == 0)
				v = cmark_node_next(v);
			if (md_is_type(v, CMARK_NODE_LINK) &&
			    cmark_node_next(v) == NULL) {
				const char *url = cmark_node_get_url(v);

				md_put(p, visual, m->key,
				       json_string(url != NULL ? url : ""), ptr,
				       line);
				continue;
			}
			v = cmark_node_next(lab);
		}
		prfaq_buf_reset(&p->text);
		if (md_read_inlines(p, para, v, NULL, &p->text)) {
			md_drop_lead_space(&p->text);
			md_put(p, visual, m->key, md_text_value(p), ptr, line);
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

	md_put(p, p->content, "visuals", list, "/content/visuals",
	       cmark_node_get_start_line(h));
	for (; !section_end(n); n = cmark_node_next(n)) {
		if (!md_is_type(n, CMARK_NODE_LIST) ||
		    cmark_node_get_list_type(n) != CMARK_BULLET_LIST) {
			md_report(
				p, cmark_node_get_start_line(n),
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
				md_report(
					p, cmark_node_get_start_line(item),
					"the appendix holds at most %d visuals",
					PRFAQ_LIST_MAX);
				return md_skip_to_heading(n, 2);
			}
			visual = json_object();
			json_array_append_new(list, visual);
			snprintf(ptr, sizeof(ptr), "/content/visuals/%zu", idx);
			md_note_line(p, ptr, cmark_node_get_start_line(item));
			read_visual(p, item, visual, idx);
		}
	}
	return n;
}

/* Dispatch one "## Section"; returns the node after it. */
cmark_node *
md_read_section(struct mdp *p, cmark_node *h)
{
	int line = cmark_node_get_start_line(h);
	enum section sec = SEC_COUNT_;

	if (!md_heading_text(p, h))
		return md_skip_to_heading(cmark_node_next(h), 2);
	for (size_t i = 0; i < NELEM(sections); i++)
		if (md_label_is(p->text.data, p->text.len, sections[i].heading))
			sec = sections[i].sec;
	if (sec == SEC_COUNT_) {
		md_report(p, line,
			  "\"%.80s\" is not a section of a PR/FAQ: the "
			  "sections are %s",
			  p->text.data, md_sections_hint);
		return md_skip_to_heading(cmark_node_next(h), 2);
	}
	if (p->section_line[sec] != 0) {
		md_report(p, line,
			  "this section appears twice (first at line %d)",
			  p->section_line[sec]);
		return md_skip_to_heading(cmark_node_next(h), 2);
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
		return md_skip_to_heading(cmark_node_next(h), 2);
	}
}
