/*
 * test_render.c - the reading Markdown and the HTML page: layout, escaping,
 * totality.  (The authoring Markdown, which reads back, is tested with its
 * reader in test_markdown_parse.c.)
 *
 * Besides examples, a property test feeds random hostile text into every
 * kind of place user text lands (heading, paragraphs, block quote,
 * emphasis, strong, FAQ question, list item), parses the Markdown back with
 * cmark, and checks that the tree has exactly the structure the renderer
 * meant and that the text in it is the input, normalised as documented.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cmark.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "prfaq/alloc.h"
#include "prfaq/render.h"
#include "prfaq/utf8.h"

/* ---- helpers ----------------------------------------------------------- */

static json_t *
load(const char *text)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (doc == NULL)
		fail_msg("bad test JSON at %d: %s", jerr.line, jerr.text);
	return doc;
}

/* Reading Markdown of doc, as a malloc'd string; the doc is borrowed. */
static char *
md_of(const json_t *doc)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	assert_int_equal(prfaq_render_reading_markdown(doc, &b), 0);
	assert_non_null(b.data);
	assert_int_equal(strlen(b.data), b.len);
	assert_true(prfaq_utf8_valid(b.data, b.len));
	return prfaq_buf_steal(&b, NULL);
}

static char *
html_of(const json_t *doc)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	assert_int_equal(prfaq_render_html(doc, &b), 0);
	assert_non_null(b.data);
	assert_int_equal(strlen(b.data), b.len);
	assert_true(prfaq_utf8_valid(b.data, b.len));
	return prfaq_buf_steal(&b, NULL);
}

static char *
md_json(const char *text)
{
	json_t *doc = load(text);
	char *md = md_of(doc);

	json_decref(doc);
	return md;
}

static char *
html_json(const char *text)
{
	json_t *doc = load(text);
	char *html = html_of(doc);

	json_decref(doc);
	return html;
}

/* {"title": "T", "content": {"press_release": {key: value}}} */
static json_t *
doc_with_pr(const char *key, json_t *value)
{
	return json_pack("{s:s, s:{s:{s:o}}}", "title", "T", "content",
			 "press_release", key, value);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len)
		n++;
	return n;
}

static size_t
count_ci(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (const char *p = hay; (p = strcasestr(p, needle)) != NULL; p += len)
		n++;
	return n;
}

/* Each needle occurs in hay, in this order (NULL-terminated list). */
static void
assert_in_order(const char *hay, const char *const *needles)
{
	const char *p = hay;

	for (size_t i = 0; needles[i] != NULL; i++) {
		const char *q = strstr(p, needles[i]);

		if (q == NULL)
			fail_msg("\"%s\" missing or out of order in:\n%s",
				 needles[i], hay);
		p = q + strlen(needles[i]);
	}
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" not found in:\n%s", needle, hay);
}

static void
assert_lacks(const char *hay, const char *needle)
{
	if (strcasestr(hay, needle) != NULL)
		fail_msg("\"%s\" unexpectedly found in:\n%s", needle, hay);
}

/* ---- layout ------------------------------------------------------------ */

static const char full_doc[] =
	"{\"id\": \"6f1c\", \"title\": \"Instant refunds\", \"team\": \"payments\","
	" \"tags\": [\"prime\", \"returns\"], \"status\": \"in_review\","
	" \"owner\": {\"id\": \"u1\", \"name\": \"Ana\"}, \"version\": 3,"
	" \"quality\": {\"score\": 74, \"findings\": []},"
	" \"updated_at\": \"2026-11-25T10:00:00Z\","
	" \"content\": {"
	"  \"press_release\": {"
	"   \"headline\": \"Amazon Pay refunds shoppers in five minutes\","
	"   \"subheading\": \"Shoppers get their money back before they leave.\","
	"   \"launch_date\": \"2027-03-01\", \"location\": \"SEATTLE\","
	"   \"summary\": \"Today Amazon Pay launched instant refunds.\","
	"   \"problem\": \"Shoppers wait 5 to 10 days for a refund.\","
	"   \"solution\": \"We refund first and settle later.\","
	"   \"leader_quote\": {\"text\": \"Waiting is not a feature.\","
	"                      \"speaker\": \"Jane Doe, VP Payments\"},"
	"   \"how_it_works\": \"Return the item and tap Refund.\","
	"   \"customer_quote\": {\"text\": \"I had my money at the door.\","
	"                        \"speaker\": \"Sam, Ohio\"},"
	"   \"call_to_action\": \"Try it at your next return.\"},"
	"  \"faq\": {"
	"   \"external\": [{\"question\": \"What does it cost?\","
	"                   \"answer\": \"Nothing.\"},"
	"                  {\"question\": \"Where is it available?\","
	"                   \"answer\": \"In the US.\"}],"
	"   \"internal\": [{\"question\": \"What are the risks?\","
	"                   \"answer\": \"Fraud on 2% of refunds.\"}]},"
	"  \"customer\": {\"who\": \"Online shoppers\", \"problem\": \"Waiting\","
	"   \"benefit\": \"Money now\", \"evidence\": \"1,000 interviews\","
	"   \"experience\": \"Tap and go\"},"
	"  \"visuals\": [{\"title\": \"Refund flow\","
	"                 \"url\": \"https://example.com/flow.png\","
	"                 \"caption\": \"Three taps\"}]}}";

static const char full_md[] =
	"# Amazon Pay refunds shoppers in five minutes\n"
	"\n"
	"*Shoppers get their money back before they leave.*\n"
	"\n"
	"PR/FAQ: Instant refunds · Team: payments · Tags: prime, returns · "
	"Status: In review · Version 3 · Owner: Ana · "
	"Updated: 2026-11-25T10:00:00Z · Quality score: 74/100\n"
	"\n"
	"**SEATTLE — March 1, 2027** — Today Amazon Pay launched instant "
	"refunds.\n"
	"\n"
	"Shoppers wait 5 to 10 days for a refund.\n"
	"\n"
	"We refund first and settle later.\n"
	"\n"
	"> Waiting is not a feature.\n"
	">\n"
	"> — Jane Doe, VP Payments\n"
	"\n"
	"Return the item and tap Refund.\n"
	"\n"
	"> I had my money at the door.\n"
	">\n"
	"> — Sam, Ohio\n"
	"\n"
	"Try it at your next return.\n"
	"\n"
	"## Customer\n"
	"\n"
	"### Who is the customer?\n"
	"\n"
	"Online shoppers\n"
	"\n"
	"### What is the customer problem or opportunity?\n"
	"\n"
	"Waiting\n"
	"\n"
	"### What is the most important customer benefit?\n"
	"\n"
	"Money now\n"
	"\n"
	"### How do we know what customers need or want?\n"
	"\n"
	"1,000 interviews\n"
	"\n"
	"### What does the customer experience look like?\n"
	"\n"
	"Tap and go\n"
	"\n"
	"## External FAQ\n"
	"\n"
	"### Q: What does it cost?\n"
	"\n"
	"Nothing.\n"
	"\n"
	"### Q: Where is it available?\n"
	"\n"
	"In the US.\n"
	"\n"
	"## Internal FAQ\n"
	"\n"
	"### Q: What are the risks?\n"
	"\n"
	"Fraud on 2% of refunds.\n"
	"\n"
	"## Appendix: Visuals\n"
	"\n"
	"- [Refund flow](https://example.com/flow.png) — Three taps\n";

static void
test_full_document_markdown(void **state)
{
	char *md;

	(void)state;
	md = md_json(full_doc);
	assert_string_equal(md, full_md);
	free(md);
}

static void
test_full_document_html(void **state)
{
	static const char *const order[] = {
		"<!DOCTYPE html>",
		"<html>",
		"<head>",
		"<meta charset=\"utf-8\">",
		"<title>Instant refunds</title>",
		"<style>",
		"@page",
		"</style>",
		"</head>",
		"<body>",
		"<header class=\"masthead\">",
		"<h1>Amazon Pay refunds shoppers in five minutes</h1>",
		"<p><em>Shoppers get their money back before they leave.</em></p>",
		"<div class=\"meta\">",
		"Team: payments",
		"Status: In review",
		"Version 3",
		"Owner: Ana",
		"<section class=\"press-release\">",
		"<p><strong>SEATTLE — March 1, 2027</strong> — Today Amazon Pay",
		"Shoppers wait",
		"We refund first",
		"<blockquote>",
		"Waiting is not a feature.",
		"— Jane Doe, VP Payments",
		"</blockquote>",
		"Return the item",
		"<blockquote>",
		"I had my money",
		"— Sam, Ohio",
		"</blockquote>",
		"Try it at your next return.",
		"<section class=\"customer\">",
		"<h2>Customer</h2>",
		"<h3>Who is the customer?</h3>",
		"<section class=\"faq faq-external new-page\">",
		"<h2>External FAQ</h2>",
		"<h3>Q: What does it cost?</h3>",
		"<p>Nothing.</p>",
		"<section class=\"faq faq-internal\">",
		"<h2>Internal FAQ</h2>",
		"<h3>Q: What are the risks?</h3>",
		"<section class=\"appendix new-page\">",
		"<h2>Appendix: Visuals</h2>",
		"<li><a href=\"https://example.com/flow.png\">Refund flow</a>"
		" — Three taps</li>",
		"</article>",
		"</body>",
		"</html>",
		NULL,
	};
	char *html;

	(void)state;
	html = html_json(full_doc);
	assert_in_order(html, order);
	assert_int_equal(strncmp(html, "<!DOCTYPE html>\n", 16), 0);
	assert_int_equal(count(html, "<html"), 1);
	assert_int_equal(count(html, "</html>"), 1);
	assert_int_equal(count(html, "<h1>"), 1);
	/* Self-contained and inert: nothing loaded, nothing run. */
	assert_lacks(html, "<script");
	assert_lacks(html, "<link");
	assert_lacks(html, "src=");
	assert_lacks(html, "@import");
	assert_lacks(html, "url(");
	assert_contains(html, "page-break-before");
	assert_contains(html, "max-width: 42em");
	assert_contains(html, "serif");
	free(html);
}

/* The FAQ page break moves to the internal FAQ when there is no external. */
static void
test_faq_page_break(void **state)
{
	char *html;

	(void)state;
	html = html_json(
		"{\"title\": \"T\", \"content\": {\"faq\": {"
		"\"internal\": [{\"question\": \"Q\", \"answer\": \"A\"}]"
		"}}}");
	assert_contains(html, "<section class=\"faq faq-internal new-page\">");
	free(html);
}

static void
test_title_only(void **state)
{
	char *md, *html;

	(void)state;
	md = md_json("{\"title\": \"Instant refunds\"}");
	assert_string_equal(md, "# Instant refunds\n");
	free(md);

	html = html_json("{\"title\": \"Instant refunds\"}");
	assert_contains(html, "<title>Instant refunds</title>");
	assert_contains(html, "<h1>Instant refunds</h1>");
	assert_lacks(html, "<section");
	assert_lacks(html, "class=\"meta\"");
	free(html);

	/* Empty parts are the same as absent ones. */
	md = md_json("{\"title\": \"T\", \"team\": \"\", \"tags\": [],"
		     " \"content\": {\"press_release\": {\"headline\": \"  \","
		     " \"summary\": \"\\n\\n\", \"leader_quote\": {}},"
		     " \"faq\": {\"external\": [], \"internal\": [{}]},"
		     " \"customer\": {}, \"visuals\": [{}]}}");
	assert_string_equal(md, "# T\n");
	free(md);

	/* No title at all still gives a heading and a page title. */
	md = md_json("{}");
	assert_string_equal(md, "# Untitled PR/FAQ\n");
	free(md);
	html = html_json("{}");
	assert_contains(html, "<title>Untitled PR/FAQ</title>");
	free(html);
}

/* A version object: "number" and "author" instead of "version"/"owner". */
static void
test_version_object(void **state)
{
	char *md;

	(void)state;
	md = md_json("{\"number\": 7, \"title\": \"T\","
		     " \"author\": {\"id\": \"u\", \"name\": \"Bo\"},"
		     " \"created_at\": \"2026-01-02T03:04:05Z\","
		     " \"quality\": {\"score\": 55}, \"content\": {}}");
	assert_string_equal(md, "# T\n\nVersion 7 · Author: Bo · "
				"Updated: 2026-01-02T03:04:05Z · "
				"Quality score: 55/100\n");
	free(md);
}

static void
test_decision(void **state)
{
	char *md;

	(void)state;
	md = md_json(
		"{\"title\": \"T\", \"status\": \"approved\","
		" \"decision\": {\"outcome\": \"approved\","
		" \"rationale\": \"Clear customer problem.\\n\\nShip it.\","
		" \"decided_by\": {\"name\": \"Jeff\"}, \"version\": 4,"
		" \"at\": \"2026-12-01T09:00:00Z\"},"
		" \"content\": {\"visuals\": [{\"url\":"
		" \"https://e.com/x\"}]}}");
	assert_string_equal(
		md,
		"# T\n\nStatus: Approved\n\n"
		"## Decision\n\n"
		"**Approved** by Jeff on version 4 (2026-12-01T09:00:00Z)\n\n"
		"Clear customer problem.\n\nShip it.\n\n"
		"## Appendix: Visuals\n\n"
		"- [https://e.com/x](https://e.com/x)\n");
	free(md);

	md = md_json(
		"{\"title\": \"T\", \"decision\": {\"outcome\": \"*x*\"}}");
	assert_string_equal(md, "# T\n\n## Decision\n\n**\\*x\\***\n");
	free(md);
}

/* ---- dateline ---------------------------------------------------------- */

static void
check_dateline(const char *date, const char *expected)
{
	json_t *doc;
	char *md, *want;
	size_t len;

	doc = json_pack("{s:s, s:{s:{s:s, s:s, s:s}}}", "title", "T", "content",
			"press_release", "launch_date", date, "location",
			"SEATTLE", "summary", "Today.");
	md = md_of(doc);
	len = strlen(expected) + 64;
	want = malloc(len);
	assert_non_null(want);
	snprintf(want, len, "# T\n\n**SEATTLE — %s** — Today.\n", expected);
	assert_string_equal(md, want);
	free(want);
	free(md);
	json_decref(doc);
}

static void
test_dateline_dates(void **state)
{
	(void)state;
	check_dateline("2027-03-01", "March 1, 2027");
	check_dateline("2027-12-31", "December 31, 2027");
	check_dateline("2027-01-09", "January 9, 2027");
	check_dateline("2028-02-29", "February 29, 2028");
	check_dateline("2000-02-29", "February 29, 2000");
	check_dateline("0999-07-04", "July 4, 0999");
	/* Not real dates: as given, escaped. */
	check_dateline("2027-02-29", "2027-02-29");
	check_dateline("1900-02-29", "1900-02-29");
	check_dateline("2027-04-31", "2027-04-31");
	check_dateline("2027-13-01", "2027-13-01");
	check_dateline("2027-00-10", "2027-00-10");
	check_dateline("2027-01-00", "2027-01-00");
	check_dateline("2027-3-1", "2027-3-1");
	check_dateline("2027-03-01T00:00:00Z", "2027-03-01T00:00:00Z");
	check_dateline("２０２７-03-01", "２０２７-03-01");
	check_dateline("Q3 *2027*", "Q3 \\*2027\\*");
	check_dateline("<b>soon</b>", "\\<b\\>soon\\</b\\>");
	check_dateline("  2027-03-01\n", "March 1, 2027");
	check_dateline(" 2027 03 01 ", "2027 03 01");
}

static void
test_dateline_parts(void **state)
{
	json_t *doc;
	char *md;

	(void)state;
	/* Location alone. */
	doc = json_pack("{s:s, s:{s:{s:s, s:s}}}", "title", "T", "content",
			"press_release", "location", "SEATTLE, WA", "summary",
			"Today.");
	md = md_of(doc);
	assert_string_equal(md, "# T\n\n**SEATTLE, WA** — Today.\n");
	free(md);
	json_decref(doc);

	/* Date alone. */
	doc = json_pack("{s:s, s:{s:{s:s, s:s}}}", "title", "T", "content",
			"press_release", "launch_date", "2027-03-01", "summary",
			"Today.");
	md = md_of(doc);
	assert_string_equal(md, "# T\n\n**March 1, 2027** — Today.\n");
	free(md);
	json_decref(doc);

	/* Dateline without a summary stands alone. */
	doc = json_pack("{s:s, s:{s:{s:s, s:s, s:s}}}", "title", "T", "content",
			"press_release", "launch_date", "2027-03-01",
			"location", "SEATTLE", "problem", "P.");
	md = md_of(doc);
	assert_string_equal(md, "# T\n\n**SEATTLE — March 1, 2027**\n\nP.\n");
	free(md);
	json_decref(doc);

	/* Summary without a dateline; a multi-paragraph summary. */
	doc = doc_with_pr("summary", json_string("One.\n\nTwo."));
	md = md_of(doc);
	assert_string_equal(md, "# T\n\nOne.\n\nTwo.\n");
	free(md);
	json_decref(doc);

	/* Whitespace (ASCII and Unicode) around the location is trimmed so
	 * the strong emphasis still closes. */
	doc = json_pack("{s:s, s:{s:{s:s, s:s}}}", "title", "T", "content",
			"press_release", "location", "\xC2\xA0 SEATTLE \n",
			"summary", "Today.");
	md = md_of(doc);
	assert_string_equal(md, "# T\n\n**SEATTLE** — Today.\n");
	free(md);
	json_decref(doc);

	/* A location of Unicode spaces only is no location. */
	doc = json_pack("{s:s, s:{s:{s:s, s:s, s:s}}}", "title", "T", "content",
			"press_release", "location", "\xC2\xA0\xE3\x80\x80",
			"launch_date", "2027-03-01", "summary", "Today.");
	md = md_of(doc);
	assert_string_equal(md, "# T\n\n**March 1, 2027** — Today.\n");
	free(md);
	json_decref(doc);
}

/* ---- escaping ---------------------------------------------------------- */

static void
test_script_headline(void **state)
{
	json_t *doc;
	char *md, *html;

	(void)state;
	doc = json_pack("{s:s, s:{s:{s:s, s:s}}}", "title",
			"<script>alert(1)</script>", "content", "press_release",
			"headline", "<script>alert(1)</script>", "summary",
			"<SCRIPT src=//evil></SCRIPT><img src=x "
			"onerror=alert(1)>");
	md = md_of(doc);
	assert_contains(md, "# \\<script\\>alert(1)\\</script\\>\n");
	html = html_of(doc);
	assert_int_equal(count_ci(html, "<script"), 0);
	assert_int_equal(count_ci(html, "<img"), 0);
	assert_contains(html, "<title>&lt;script&gt;alert(1)&lt;/script&gt;"
			      "</title>");
	assert_contains(html, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;"
			      "</h1>");
	assert_contains(html, "&lt;SCRIPT src=//evil&gt;");
	free(md);
	free(html);
	json_decref(doc);
}

static void
test_link_injection(void **state)
{
	static const char inj[] = "[x](javascript:alert(1))";
	json_t *doc;
	char *md, *html;

	(void)state;
	doc = json_pack("{s:s, s:{s:{s:s, s:s, s:{s:s, s:s}},"
			" s:{s:[{s:s, s:s}]}, s:[{s:s, s:s, s:s}]}}",
			"title", inj, "content", "press_release", "headline",
			inj, "summary",
			"![img](http://evil/x.png) <https://evil> "
			"<javascript:alert(1)> [r]\n\n[r]: /evil",
			"leader_quote", "text", inj, "speaker", inj, "faq",
			"external", "question", inj, "answer", inj, "visuals",
			"title", inj, "url", "javascript:alert(1)", "caption",
			inj);
	md = md_of(doc);
	assert_contains(md, "# \\[x\\](javascript:alert(1))\n");
	assert_contains(md, "### Q: \\[x\\](javascript:alert(1))\n");
	html = html_of(doc);
	assert_int_equal(count(html, "<a "), 0);
	assert_int_equal(count(html, "<img"), 0);
	assert_lacks(html, "href=");
	assert_contains(html, "<h1>[x](javascript:alert(1))</h1>");
	assert_contains(html, "<title>[x](javascript:alert(1))</title>");
	assert_contains(html, "&lt;https://evil&gt;");
	assert_contains(html, "<p>[r]: /evil</p>");
	free(md);
	free(html);
	json_decref(doc);
}

/* Block syntax at the start of a line of user text stays text. */
static void
test_line_starts(void **state)
{
	static const char text[] = "# Heading\n"
				   "## Two\n"
				   "- item\n"
				   "+ plus\n"
				   "* star\n"
				   "1. one\n"
				   "2) two\n"
				   "> quote\n"
				   "```\n"
				   "~~~\n"
				   "    indented code\n"
				   "\tTabbed\n"
				   "===\n"
				   "---\n"
				   "***\n"
				   "___\n"
				   "<div>\n"
				   "| a | b |\n"
				   "[ref]: http://x\n";
	static const char expected[] = "\\# Heading\\\n"
				       "\\#\\# Two\\\n"
				       "\\- item\\\n"
				       "\\+ plus\\\n"
				       "\\* star\\\n"
				       "1\\. one\\\n"
				       "2\\) two\\\n"
				       "\\> quote\\\n"
				       "\\`\\`\\`\\\n"
				       "\\~\\~\\~\\\n"
				       "indented code\\\n"
				       "Tabbed\\\n"
				       "\\===\\\n"
				       "\\---\\\n"
				       "\\*\\*\\*\\\n"
				       "\\_\\_\\_\\\n"
				       "\\<div\\>\\\n"
				       "\\| a \\| b \\|\\\n"
				       "\\[ref\\]: http://x\n";
	static const char *const fields[] = {
		"summary",	"problem",	  "solution",
		"how_it_works", "call_to_action",
	};
	static const char *const forbidden[] = {
		"<h2",	 "<h3", "<h4",	  "<ul",   "<ol", "<li",	 "<pre",
		"<code", "<hr", "<table", "<div>", "<a ", "<blockquote",
	};

	(void)state;
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		json_t *doc = doc_with_pr(fields[f], json_string(text));
		char *md = md_of(doc), *html = html_of(doc);
		char want[1024];

		snprintf(want, sizeof(want), "# T\n\n%s", expected);
		assert_string_equal(md, want);
		for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]);
		     i++)
			assert_lacks(html, forbidden[i]);
		assert_int_equal(count(html, "<h1>"), 1);
		assert_contains(html, "<p># Heading<br />\n## Two<br />\n"
				      "- item<br />\n");
		assert_contains(html, "&lt;div&gt;");
		free(md);
		free(html);
		json_decref(doc);
	}
}

/* Same line starts inside a quote, a list item and the first line of FAQ
 * answers, where a block could also begin. */
static void
test_line_starts_nested(void **state)
{
	json_t *doc;
	char *md, *html;

	(void)state;
	doc = json_pack("{s:s, s:{s:{s:{s:s, s:s}}, s:{s:[{s:s, s:s}]},"
			" s:[{s:s}, {s:s}]}}",
			"title", "T", "content", "press_release",
			"leader_quote", "text", "- a\n1. b\n> c", "speaker",
			"- Jane", "faq", "internal", "question", "# Q",
			"answer", "1. yes\n- no", "visuals", "caption",
			"1. first", "caption", "- second");
	md = md_of(doc);
	assert_in_order(
		md, (const char *const[]){
			    "> \\- a\\\n> 1\\. b\\\n> \\> c\n>\n> — - Jane\n",
			    "### Q: \\# Q\n\n1\\. yes\\\n\\- no\n",
			    "- 1\\. first\n- \\- second\n", NULL });
	html = html_of(doc);
	assert_int_equal(count(html, "<blockquote>"), 1);
	assert_int_equal(count(html, "<ul>"), 1);
	assert_int_equal(count(html, "<li>"), 2);
	assert_lacks(html, "<ol");
	assert_lacks(html, "<hr");
	free(md);
	free(html);
	json_decref(doc);
}

static void
test_backticks_and_entities(void **state)
{
	json_t *doc;
	char *md, *html;

	(void)state;
	doc = doc_with_pr(
		"problem",
		json_string(
			"Use `rm -rf` & ``double`` then &amp; &lt;b&gt; &#x41; &copy; "
			"\\* \\\\ a_b_c *em* **strong** ~~del~~ {#id} x^2^ $5 C++ e-mail "
			"(see). Don't \"quote\"!"));
	md = md_of(doc);
	assert_string_equal(
		md,
		"# T\n\nUse \\`rm -rf\\` \\& \\`\\`double\\`\\` then \\&amp; "
		"\\&lt;b\\&gt; \\&\\#x41; \\&copy; \\\\\\* \\\\\\\\ a\\_b\\_c "
		"\\*em\\* \\*\\*strong\\*\\* \\~\\~del\\~\\~ \\{\\#id\\} "
		"x\\^2\\^ $5 C++ e-mail (see). Don't \"quote\"!\n");
	html = html_of(doc);
	/* Every character comes out as typed, HTML-escaped by cmark. */
	assert_contains(
		html, "<p>Use `rm -rf` &amp; ``double`` then &amp;amp; "
		      "&amp;lt;b&amp;gt; &amp;#x41; &amp;copy; \\* \\\\ a_b_c "
		      "*em* **strong** ~~del~~ {#id} x^2^ $5 C++ e-mail (see). "
		      "Don't &quot;quote&quot;!</p>");
	assert_lacks(html, "<code");
	assert_lacks(html, "<em>");
	assert_lacks(html, "<strong>");
	free(md);
	free(html);
	json_decref(doc);
}

static void
test_unicode_intact(void **state)
{
	static const char text[] =
		"Caf\xC3\xA9 na\xC3\xAFve \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC"
		"\xE8\xAA\x9E \xF0\x9F\x98\x80 "
		"\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB " /* ZWJ emoji */
		"e\xCC\x81 "					/* combining */
		"\xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA "	/* Hebrew */
		"\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 "	/* Arabic */
		"\xE2\x80\x8F\xE2\x80\xAE\xC2\xA0\xEF\xBB\xBF"; /* RLM RLO NBSP BOM */
	json_t *doc;
	char *md, *html;

	(void)state;
	doc = json_pack("{s:s, s:{s:{s:s, s:s, s:s}, s:[{s:s}]}}", "title",
			text, "content", "press_release", "headline", text,
			"problem", text, "location", text, "visuals", "caption",
			text);
	md = md_of(doc);
	html = html_of(doc);
	/* Heading, location, problem, caption (title == headline, so the
	 * metadata line does not repeat it). */
	assert_int_equal(count(md, text), 4);
	/* The same four and the page title. */
	assert_int_equal(count(html, text), 5);
	free(md);
	free(html);
	json_decref(doc);
}

/* NUL, control characters and (from a nocheck string) broken UTF-8. */
static void
test_control_and_invalid_bytes(void **state)
{
	json_t *doc;
	char *md, *html;

	(void)state;
	doc = json_pack("{s:o, s:{s:{s:o, s:o}}}", "title",
			json_stringn("a\0b\x01"
				     "c\x7f",
				     6),
			"content", "press_release", "problem",
			json_stringn_nocheck("x\xFF y\xC3( z\xE2\x82", 10),
			"summary",
			json_string("v\x0Bw\x0C"
				    "x"));
	assert_non_null(doc);
	md = md_of(doc);
	assert_string_equal(
		md, "# a\xEF\xBF\xBD"
		    "b\xEF\xBF\xBD"
		    "c\xEF\xBF\xBD\n\n"
		    "v\xEF\xBF\xBDw\xEF\xBF\xBDx\n\n"
		    "x\xEF\xBF\xBD y\xEF\xBF\xBD( z\xEF\xBF\xBD\xEF\xBF\xBD\n");
	html = html_of(doc);
	assert_contains(html, "<title>a\xEF\xBF\xBD"
			      "b\xEF\xBF\xBD"
			      "c\xEF\xBF\xBD</title>");
	free(md);
	free(html);
	json_decref(doc);
}

/* Paragraphs: blank lines split, single line endings are hard breaks. */
static void
test_paragraphs_and_breaks(void **state)
{
	json_t *doc;
	char *md, *html;

	(void)state;
	doc = doc_with_pr(
		"problem",
		json_string("\n  a  \nb\r\nc\rd\\\n\n\n \t \ne\r\n\r\nf   "));
	md = md_of(doc);
	assert_string_equal(md, "# T\n\na\\\nb\\\nc\\\nd\\\\\n\ne\n\nf\n");
	html = html_of(doc);
	assert_contains(html, "<p>a<br />\nb<br />\nc<br />\nd\\</p>\n"
			      "<p>e</p>\n<p>f</p>");
	free(md);
	free(html);
	json_decref(doc);

	/* In one-line places every line ending is a space. */
	doc = json_pack("{s:s, s:{s:{s:s, s:s}}}", "title", "T", "content",
			"press_release", "headline",
			"  Line one\nline two\r\n\r\n  three\rfour  ",
			"subheading", "\n sub\nheading \n");
	md = md_of(doc);
	assert_in_order(
		md, (const char *const[]){
			    "# Line one line two three four\n\n*sub heading*\n",
			    NULL });
	free(md);
	json_decref(doc);
}

static void
test_visual_urls(void **state)
{
	json_t *doc;
	char *md, *html;

	(void)state;
	doc = load(
		"{\"title\": \"T\", \"content\": {\"visuals\": ["
		"{\"title\": \"A\", \"url\": \"https://e.com/a_(b)?x=1&y=<2>\"},"
		"{\"title\": \"B\", \"url\": \"HTTP://E.COM/B\"},"
		"{\"title\": \"C\", \"url\": \"javascript:alert(1)\"},"
		"{\"title\": \"D\", \"url\": \"data:text/html,<script>x</script>\"},"
		"{\"title\": \"E\", \"url\": \"https://e.com/a b\"},"
		"{\"title\": \"F\", \"url\": \"//evil.com/x\"},"
		"{\"title\": \"G\", \"url\": \"https://\"},"
		"{\"title\": \"H\", \"url\": \" https://e.com/h \"},"
		"{\"url\": \"vbscript:x\", \"caption\": \"cap\"},"
		"{\"title\": 5, \"url\": [], \"caption\": \"only caption\"},"
		"7, null, \"x\""
		"]}}");
	md = md_of(doc);
	assert_string_equal(md,
			    "# T\n\n## Appendix: Visuals\n\n"
			    "- [A](https://e.com/a_\\(b\\)?x=1\\&y=\\<2\\>)\n"
			    "- [B](HTTP://E.COM/B)\n"
			    "- C: javascript:alert(1)\n"
			    "- D: data:text/html,\\<script\\>x\\</script\\>\n"
			    "- E: https://e.com/a b\n"
			    "- F: //evil.com/x\n"
			    "- G: https://\n"
			    "- [H](https://e.com/h)\n"
			    "- vbscript:x — cap\n"
			    "- only caption\n");
	html = html_of(doc);
	assert_int_equal(count(html, "<a "), 3);
	assert_contains(
		html,
		"<a href=\"https://e.com/a_(b)?x=1&amp;y=%3C2%3E\">A</a>");
	assert_contains(html, "<a href=\"HTTP://E.COM/B\">B</a>");
	assert_contains(html, "<a href=\"https://e.com/h\">H</a>");
	assert_lacks(html, "<script");
	free(md);
	free(html);
	json_decref(doc);
}

static void
test_html_title_escaping(void **state)
{
	char *html;

	(void)state;
	html = html_json("{\"title\": \"Tom & \\\"Jerry\\\" <b>'s\\nshow\"}");
	assert_contains(html, "<title>Tom &amp; &quot;Jerry&quot; "
			      "&lt;b&gt;&#39;s show</title>");
	assert_int_equal(count(html, "<title>"), 1);
	free(html);

	/* Without a title the headline names the page. */
	html = html_json("{\"content\": {\"press_release\": "
			 "{\"headline\": \"H & co\"}}}");
	assert_contains(html, "<title>H &amp; co</title>");
	free(html);
}

/* Anything JSON at all renders, members of the wrong type are skipped. */
static void
test_wrong_types(void **state)
{
	static const char *const docs[] = {
		"null",
		"[]",
		"[1, 2]",
		"42",
		"1.5",
		"\"text\"",
		"true",
		"{\"title\": 5}",
		"{\"title\": null, \"content\": null}",
		"{\"title\": [\"x\"], \"content\": []}",
		"{\"content\": \"x\"}",
		"{\"content\": {\"press_release\": \"x\", \"faq\": 1,"
		" \"customer\": [], \"visuals\": {}}}",
		"{\"content\": {\"press_release\": {\"headline\": 1,"
		" \"subheading\": {}, \"launch_date\": 20270301,"
		" \"location\": [], \"summary\": null, \"problem\": true,"
		" \"leader_quote\": \"q\", \"customer_quote\": {\"text\": 1,"
		" \"speaker\": \"s\"}, \"call_to_action\": 1.5}}}",
		"{\"content\": {\"faq\": {\"external\": {\"question\": \"q\"},"
		" \"internal\": [1, \"x\", null, [], {\"question\": 5,"
		" \"answer\": []}, {\"answer\": \"orphan\"}]}}}",
		"{\"content\": {\"customer\": {\"who\": 1, \"problem\": [],"
		" \"benefit\": null}, \"visuals\": [1, {\"url\": 5},"
		" {\"title\": {}}]}}",
		"{\"title\": \"T\", \"team\": 1, \"tags\": \"x\","
		" \"status\": 3, \"version\": \"3\", \"number\": [],"
		" \"owner\": \"Ana\", \"author\": {\"name\": 1},"
		" \"updated_at\": 5, \"quality\": {\"score\": \"high\"},"
		" \"decision\": \"yes\"}",
		"{\"tags\": [1, null, \"ok\", {}], \"status\": \"unknown\","
		" \"quality\": {\"score\": 73.6}, \"decision\": {\"outcome\": 1,"
		" \"decided_by\": \"x\", \"version\": \"v\", \"at\": []}}",
		"{\"quality\": {\"score\": 1e300}, \"version\": -1,"
		" \"decision\": {}}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		json_t *doc = load(docs[i]);
		char *md = md_of(doc), *html = html_of(doc);

		assert_int_equal(strncmp(md, "# ", 2), 0);
		assert_int_equal(count(html, "<html"), 1);
		free(md);
		free(html);
		json_decref(doc);
	}

	/* Spot checks on what survives. */
	{
		char *md = md_json(docs[16]);

		assert_string_equal(md, "# Untitled PR/FAQ\n\n"
					"Tags: ok · Status: unknown · "
					"Quality score: 74/100\n");
		free(md);
		md = md_json(docs[13]);
		assert_in_order(
			md,
			(const char *const[]){
				"## Internal FAQ\n\n### Q: (no question)\n\norphan\n",
				NULL });
		free(md);
	}

	/* A NULL document is the empty document. */
	{
		struct prfaq_buf b = PRFAQ_BUF_INIT;

		assert_int_equal(prfaq_render_reading_markdown(NULL, &b), 0);
		assert_string_equal(b.data, "# Untitled PR/FAQ\n");
		prfaq_buf_free(&b);
		assert_int_equal(prfaq_render_html(NULL, &b), 0);
		assert_non_null(strstr(b.data, "</html>"));
		prfaq_buf_free(&b);
	}
}

/* Output is appended to what the buffer already holds. */
static void
test_appends(void **state)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	json_t *doc = load("{\"title\": \"T\"}");

	(void)state;
	assert_int_equal(prfaq_buf_puts(&b, "before\n"), 0);
	assert_int_equal(prfaq_render_reading_markdown(doc, &b), 0);
	assert_string_equal(b.data, "before\n# T\n");
	prfaq_buf_free(&b);
	json_decref(doc);
}

/* ---- property test: structure only from the renderer ------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Pieces of hostile text; random strings are built from them. */
static const char *const tokens[] = {
	"a",
	"b",
	"Z",
	"0",
	"1",
	"9",
	" ",
	"  ",
	"    ",
	"\t",
	"\n",
	"\n\n",
	"\r",
	"\r\n",
	"\n \n",
	"!",
	"\"",
	"#",
	"$",
	"%",
	"&",
	"'",
	"(",
	")",
	"*",
	"+",
	",",
	"-",
	".",
	"/",
	":",
	";",
	"<",
	"=",
	">",
	"?",
	"@",
	"[",
	"\\",
	"]",
	"^",
	"_",
	"`",
	"{",
	"|",
	"}",
	"~",
	"# ",
	"- ",
	"* ",
	"+ ",
	"1. ",
	"2) ",
	"> ",
	"```",
	"~~~",
	"===",
	"---",
	"***",
	"___",
	"<div>",
	"<script>",
	"</p>",
	"<!--",
	"[a]: /u",
	"![x](y)",
	"[x](javascript:y)",
	"<http://x>",
	"&amp;",
	"&#65;",
	"&copy",
	"\\\n",
	"*a*",
	"_a_",
	"**b**",
	"`c`",
	"\xC3\xA9",
	"\xF0\x9F\x98\x80",
	"\xC2\xA0",
	"\xE2\x80\x94",
	"\xD7\x90",
	"\xE3\x80\x80",
	"| a |",
	"|---|",
	"[^1]",
	"{#id}",
	"www.x.com",
	"https://x.y/z",
};

static size_t
random_text(char *buf, size_t cap)
{
	size_t len = 0, pieces = rng() % 24;

	for (size_t i = 0; i < pieces; i++) {
		const char *t =
			tokens[rng() % (sizeof(tokens) / sizeof(tokens[0]))];
		size_t n = strlen(t);

		if (len + n >= cap)
			break;
		memcpy(buf + len, t, n);
		len += n;
	}
	buf[len] = '\0';
	return len;
}

static bool
model_hspace(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The documented normalisation, written independently of render.c.
 * Lines split on \r\n, \r, \n and lose surrounding spaces and tabs.
 * Paragraph mode: blank lines separate paragraphs, which are returned one
 * per call (index k), their lines joined by "\n" (a hard break).  Inline
 * mode (k < 0): non-blank lines joined by one space.
 * Returns false when paragraph k does not exist.
 */
static bool
model(const char *s, int k, struct prfaq_buf *out)
{
	size_t i = 0, n = strlen(s);
	int para = 0;
	bool in_para = false, have = false;

	prfaq_buf_reset(out);
	assert_int_equal(prfaq_buf_puts(out, ""), 0);
	while (i <= n) {
		size_t b = i, e;

		while (i < n && s[i] != '\n' && s[i] != '\r')
			i++;
		e = i;
		if (i < n && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		i++;
		while (b < e && model_hspace(s[b]))
			b++;
		while (e > b && model_hspace(s[e - 1]))
			e--;
		if (b == e) {
			if (in_para)
				para++;
			in_para = false;
			continue;
		}
		if (k >= 0 && para != k) {
			in_para = true;
			continue;
		}
		if (have)
			assert_int_equal(
				prfaq_buf_puts(out, k >= 0 ? "\n" : " "), 0);
		assert_int_equal(prfaq_buf_append(out, s + b, e - b), 0);
		have = true;
		in_para = true;
	}
	return have;
}

/* Trim spaces, tabs, U+00A0 and U+3000 from both ends (emphasis). */
static void
model_trim_unicode(struct prfaq_buf *b)
{
	size_t s = 0, e = b->len;

	for (;;) {
		if (s < e && (b->data[s] == ' ' || b->data[s] == '\t'))
			s++;
		else if (e - s >= 2 && memcmp(b->data + s, "\xC2\xA0", 2) == 0)
			s += 2;
		else if (e - s >= 3 &&
			 memcmp(b->data + s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else
			break;
	}
	for (;;) {
		if (e > s && (b->data[e - 1] == ' ' || b->data[e - 1] == '\t'))
			e--;
		else if (e - s >= 2 &&
			 memcmp(b->data + e - 2, "\xC2\xA0", 2) == 0)
			e -= 2;
		else if (e - s >= 3 &&
			 memcmp(b->data + e - 3, "\xE3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	memmove(b->data, b->data + s, e - s);
	b->len = e - s;
	b->data[b->len] = '\0';
}

/*
 * The text under an inline container: TEXT literals, LINEBREAK as "\n".
 * Anything else (emphasis, code, links, raw HTML, soft breaks) would be
 * structure that came from user text: fail.
 */
static void
inline_text(cmark_node *parent, struct prfaq_buf *out, const char *md)
{
	prfaq_buf_reset(out);
	assert_int_equal(prfaq_buf_puts(out, ""), 0);
	for (cmark_node *c = cmark_node_first_child(parent); c != NULL;
	     c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			assert_int_equal(
				prfaq_buf_puts(out, cmark_node_get_literal(c)),
				0);
			break;
		case CMARK_NODE_LINEBREAK:
			assert_int_equal(prfaq_buf_putc(out, '\n'), 0);
			break;
		default:
			fail_msg("unexpected %s node in:\n%s",
				 cmark_node_get_type_string(c), md);
		}
	}
}

static void
expect_type(cmark_node *n, cmark_node_type t, const char *md)
{
	if (n == NULL)
		fail_msg("missing %d node in:\n%s", (int)t, md);
	if (cmark_node_get_type(n) != t)
		fail_msg("%s node where %d expected in:\n%s",
			 cmark_node_get_type_string(n), (int)t, md);
}

static void
expect_text(cmark_node *n, const struct prfaq_buf *want, const char *md,
	    const char *input)
{
	struct prfaq_buf got = PRFAQ_BUF_INIT;

	inline_text(n, &got, md);
	if (strcmp(got.data, want->data) != 0)
		fail_msg("input [%s]\nwant [%s]\ngot  [%s]\nmarkdown:\n%s",
			 input, want->data, got.data, md);
	prfaq_buf_free(&got);
}

/* Check the paragraphs starting at *n against model paragraphs of text. */
static cmark_node *
expect_paragraphs(cmark_node *n, const char *text, const char *md)
{
	struct prfaq_buf want = PRFAQ_BUF_INIT;

	for (int k = 0; model(text, k, &want); k++) {
		expect_type(n, CMARK_NODE_PARAGRAPH, md);
		expect_text(n, &want, md, text);
		n = cmark_node_next(n);
	}
	prfaq_buf_free(&want);
	return n;
}

static cmark_node *
parse(const char *md)
{
	cmark_node *root =
		cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);

	assert_non_null(root);
	return root;
}

/* Skip the "# T" heading every doc here starts with. */
static cmark_node *
after_title(cmark_node *root, const char *md)
{
	cmark_node *h = cmark_node_first_child(root);

	expect_type(h, CMARK_NODE_HEADING, md);
	return cmark_node_next(h);
}

static void
prop_title(const char *text)
{
	json_t *doc = json_pack("{s:s}", "title", text);
	struct prfaq_buf want = PRFAQ_BUF_INIT;
	char *md = md_of(doc), *html = html_of(doc);
	cmark_node *root = parse(md), *h = cmark_node_first_child(root);

	if (!model(text, -1, &want)) {
		prfaq_buf_reset(&want);
		assert_int_equal(prfaq_buf_puts(&want, "Untitled PR/FAQ"), 0);
	}
	expect_type(h, CMARK_NODE_HEADING, md);
	assert_int_equal(cmark_node_get_heading_level(h), 1);
	expect_text(h, &want, md, text);
	assert_null(cmark_node_next(h));
	assert_int_equal(count(html, "<html"), 1);
	assert_int_equal(count_ci(html, "<script"), 0);
	assert_int_equal(count(html, "<a "), 0);
	prfaq_buf_free(&want);
	cmark_node_free(root);
	free(md);
	free(html);
	json_decref(doc);
}

static void
prop_paragraphs(const char *text)
{
	json_t *doc = doc_with_pr("problem", json_string(text));
	char *md = md_of(doc);
	cmark_node *root = parse(md);
	cmark_node *n = after_title(root, md);

	n = expect_paragraphs(n, text, md);
	assert_null(n);
	cmark_node_free(root);
	free(md);
	json_decref(doc);
}

static void
prop_quote(const char *text, const char *speaker)
{
	json_t *doc = doc_with_pr("leader_quote",
				  json_pack("{s:s, s:s}", "text", text,
					    "speaker", speaker));
	struct prfaq_buf want = PRFAQ_BUF_INIT;
	char *md = md_of(doc);
	cmark_node *root = parse(md);
	cmark_node *n = after_title(root, md);

	if (model(text, 0, &want)) {
		cmark_node *q;

		expect_type(n, CMARK_NODE_BLOCK_QUOTE, md);
		q = expect_paragraphs(cmark_node_first_child(n), text, md);
		if (model(speaker, -1, &want)) {
			struct prfaq_buf attr = PRFAQ_BUF_INIT;

			assert_int_equal(
				prfaq_buf_printf(&attr, "— %s", want.data), 0);
			expect_type(q, CMARK_NODE_PARAGRAPH, md);
			expect_text(q, &attr, md, speaker);
			q = cmark_node_next(q);
			prfaq_buf_free(&attr);
		}
		assert_null(q);
		n = cmark_node_next(n);
	}
	assert_null(n);
	prfaq_buf_free(&want);
	cmark_node_free(root);
	free(md);
	json_decref(doc);
}

/* Subheading in *emphasis* and location in **strong**. */
static void
prop_emphasis(const char *text)
{
	json_t *doc = json_pack("{s:s, s:{s:{s:s, s:s}}}", "title", "T",
				"content", "press_release", "subheading", text,
				"location", text);
	struct prfaq_buf want = PRFAQ_BUF_INIT;
	char *md = md_of(doc);
	cmark_node *root = parse(md);
	cmark_node *n = after_title(root, md);

	model(text, -1, &want);
	model_trim_unicode(&want);
	if (want.len > 0) {
		cmark_node *e;

		for (int i = 0; i < 2; i++) {
			expect_type(n, CMARK_NODE_PARAGRAPH, md);
			e = cmark_node_first_child(n);
			expect_type(
				e, i == 0 ? CMARK_NODE_EMPH : CMARK_NODE_STRONG,
				md);
			assert_null(cmark_node_next(e));
			expect_text(e, &want, md, text);
			n = cmark_node_next(n);
		}
	}
	assert_null(n);
	prfaq_buf_free(&want);
	cmark_node_free(root);
	free(md);
	json_decref(doc);
}

/* FAQ question heading with its answer; a visual caption as a list item. */
static void
prop_faq_and_list(const char *text)
{
	json_t *doc = json_pack("{s:s, s:{s:{s:[{s:s, s:s}]}, s:[{s:s}]}}",
				"title", "T", "content", "faq", "external",
				"question", text, "answer", text, "visuals",
				"caption", text);
	struct prfaq_buf want = PRFAQ_BUF_INIT, q = PRFAQ_BUF_INIT;
	char *md = md_of(doc);
	cmark_node *root = parse(md);
	cmark_node *n = after_title(root, md);

	if (model(text, -1, &want)) {
		cmark_node *item, *para;

		expect_type(n, CMARK_NODE_HEADING, md); /* External FAQ */
		n = cmark_node_next(n);
		expect_type(n, CMARK_NODE_HEADING, md);
		assert_int_equal(cmark_node_get_heading_level(n), 3);
		assert_int_equal(prfaq_buf_printf(&q, "Q: %s", want.data), 0);
		expect_text(n, &q, md, text);
		n = expect_paragraphs(cmark_node_next(n), text, md);

		expect_type(n, CMARK_NODE_HEADING, md); /* Appendix */
		n = cmark_node_next(n);
		expect_type(n, CMARK_NODE_LIST, md);
		item = cmark_node_first_child(n);
		expect_type(item, CMARK_NODE_ITEM, md);
		assert_null(cmark_node_next(item));
		para = cmark_node_first_child(item);
		expect_type(para, CMARK_NODE_PARAGRAPH, md);
		assert_null(cmark_node_next(para));
		expect_text(para, &want, md, text);
		n = cmark_node_next(n);
	}
	assert_null(n);
	prfaq_buf_free(&want);
	prfaq_buf_free(&q);
	cmark_node_free(root);
	free(md);
	json_decref(doc);
}

static void
test_property_structure(void **state)
{
	char a[512], b[512];

	(void)state;
	for (int i = 0; i < 4000; i++) {
		random_text(a, sizeof(a));
		random_text(b, sizeof(b));
		prop_title(a);
		prop_paragraphs(a);
		prop_quote(a, b);
		prop_emphasis(a);
		prop_faq_and_list(a);
	}
}

/*
 * Totality: random JSON trees whose keys are the ones the renderer looks
 * for, with values of every type at every place.  Nothing may fail, crash
 * or (under the sanitizers) leak or overflow.
 */
static json_t *
random_json(int depth)
{
	static const char *const keys[] = {
		"title",	"team",		  "tags",
		"status",	"version",	  "number",
		"owner",	"author",	  "name",
		"updated_at",	"created_at",	  "quality",
		"score",	"decision",	  "outcome",
		"rationale",	"decided_by",	  "at",
		"content",	"press_release",  "headline",
		"subheading",	"launch_date",	  "location",
		"summary",	"problem",	  "solution",
		"leader_quote", "text",		  "speaker",
		"how_it_works", "customer_quote", "call_to_action",
		"faq",		"external",	  "internal",
		"question",	"answer",	  "customer",
		"who",		"benefit",	  "evidence",
		"experience",	"visuals",	  "url",
		"caption",
	};
	char text[256];
	json_t *v;

	switch (rng() % (depth > 0 ? 9 : 6)) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(rng() & 1);
	case 2:
		return json_integer((json_int_t)(rng() % 2000) - 1000);
	case 3:
		return json_real((double)(rng() % 100000) / 7.0 - 5000.0);
	case 4:
		random_text(text, sizeof(text));
		return json_string(text);
	case 5:
		return json_string(rng() & 1 ? "https://e.com/x" :
					       "2027-03-01");
	case 6:
		v = json_array();
		for (uint64_t i = rng() % 4; i > 0; i--)
			json_array_append_new(v, random_json(depth - 1));
		return v;
	default:
		v = json_object();
		for (uint64_t i = rng() % 8; i > 0; i--)
			json_object_set_new(
				v,
				keys[rng() % (sizeof(keys) / sizeof(keys[0]))],
				random_json(depth - 1));
		return v;
	}
}

static void
test_random_shapes(void **state)
{
	(void)state;
	for (int i = 0; i < 3000; i++) {
		json_t *doc;
		char *md, *html;

		/* Half are free-form, half follow the document's skeleton so
		 * that the deep members are reached often. */
		if (i % 2 == 0)
			doc = random_json(5);
		else
			doc = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o,"
					" s:{s:o, s:{s:o, s:o}, s:o, s:o}}",
					"title", random_json(0), "tags",
					random_json(2), "owner", random_json(2),
					"quality", random_json(2), "decision",
					random_json(3), "status",
					random_json(0), "content",
					"press_release", random_json(4), "faq",
					"external", random_json(4), "internal",
					random_json(4), "customer",
					random_json(3), "visuals",
					random_json(4));
		assert_non_null(doc);
		md = md_of(doc);
		html = html_of(doc);

		assert_int_equal(strncmp(md, "# ", 2), 0);
		assert_int_equal(count(html, "<html"), 1);
		assert_int_equal(count(html, "</html>"), 1);
		assert_int_equal(count_ci(html, "<script"), 0);
		free(md);
		free(html);
		json_decref(doc);
	}
}

/*
 * content.metrics become a table before the decision, every piece of user
 * text escaped, numbers written so they read back (integers stay integers).
 */
static void
test_html_metrics_table(void **state)
{
	char *h;

	(void)state;
	h = html_json("{\"title\": \"T\", \"content\": {\"metrics\": ["
		      "{\"key\": \"orders\", \"name\": \"<b>Orders</b> & co\","
		      " \"kind\": \"output\", \"direction\": \"increase\","
		      " \"baseline\": 1200, \"target\": 0.1, \"unit\": \"/wk\","
		      " \"by\": \"2027-06-30\"}]},"
		      " \"decision\": {\"outcome\": \"approved\","
		      " \"rationale\": \"Go\"}}");
	assert_non_null(strstr(h, "<section class=\"metrics\">"));
	assert_non_null(strstr(h, "&lt;b&gt;Orders&lt;/b&gt; &amp; co"));
	assert_null(strstr(h, "<b>Orders"));
	assert_non_null(strstr(h, "<code>orders</code>"));
	assert_non_null(strstr(h, "<td class=\"num\">1200</td>"));
	assert_non_null(strstr(h, "<td class=\"num\">0.1</td>"));
	assert_non_null(strstr(h, "<td>2027-06-30</td>"));
	assert_true(strstr(h, "class=\"metrics\"") <
		    strstr(h, "class=\"decision"));
	free(h);
	h = html_json("{\"title\": \"T\", \"content\": {\"metrics\": []}}");
	assert_null(strstr(h, "class=\"metrics\""));
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_document_markdown),
		cmocka_unit_test(test_full_document_html),
		cmocka_unit_test(test_faq_page_break),
		cmocka_unit_test(test_title_only),
		cmocka_unit_test(test_version_object),
		cmocka_unit_test(test_decision),
		cmocka_unit_test(test_dateline_dates),
		cmocka_unit_test(test_dateline_parts),
		cmocka_unit_test(test_script_headline),
		cmocka_unit_test(test_link_injection),
		cmocka_unit_test(test_line_starts),
		cmocka_unit_test(test_line_starts_nested),
		cmocka_unit_test(test_backticks_and_entities),
		cmocka_unit_test(test_unicode_intact),
		cmocka_unit_test(test_control_and_invalid_bytes),
		cmocka_unit_test(test_paragraphs_and_breaks),
		cmocka_unit_test(test_visual_urls),
		cmocka_unit_test(test_html_title_escaping),
		cmocka_unit_test(test_html_metrics_table),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_property_structure),
		cmocka_unit_test(test_random_shapes),
	};

	prfaq_alloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
