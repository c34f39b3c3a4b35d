/*
 * test_render_evidence.c - the HTML page's evidence appendix
 * (src/domain/render_html_evidence.c): anecdotes quoted with who and where,
 * requests and data points listed, every text escaped, lines kept apart, a
 * URL that is not http(s) never an href, the "more" line; and the Markdown
 * renderings untouched by it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "prfaq/alloc.h"
#include "prfaq/render.h"

static json_t *
load(const char *text)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);

	if (doc == NULL)
		fail_msg("bad test JSON at %d: %s", jerr.line, jerr.text);
	return doc;
}

static char *
render(const json_t *doc, int (*fn)(const json_t *, struct prfaq_buf *))
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	assert_int_equal(fn(doc, &b), 0);
	assert_non_null(b.data);
	return prfaq_buf_steal(&b, NULL);
}

static const char doc_text[] =
	"{\"title\":\"Carts\",\"content\":{\"press_release\":{\"headline\":"
	"\"Carts that stay\"}},\"evidence_appendix\":{\"more\":3,\"items\":["
	"{\"kind\":\"anecdote\",\"text\":\"Lost it <i>twice</i>\\nThen I "
	"left.\",\"sentiment\":\"negative\",\"source\":\"zendesk\",\"url\":"
	"\"https://s.example/1?a=1&b=\\\"2\",\"customer\":{\"name\":\"Ana\","
	"\"segment\":null},\"observed_on\":\"2026-01-02\"},"
	"{\"kind\":\"request\",\"text\":\"Save carts\",\"sentiment\":"
	"\"neutral\",\"source\":null,\"url\":\"javascript:alert(1)\","
	"\"customer\":{\"name\":null,\"segment\":null}},"
	"{\"kind\":\"data\",\"text\":\"Abandonment\",\"value\":71.5,\"unit\":"
	"\"%\",\"sentiment\":\"positive\",\"source\":\"analytics\"},"
	"{\"kind\":\"data\",\"text\":\"Orders\",\"value\":1200,\"unit\":"
	"\"per day\"}]}}";

static void
test_appendix(void **state)
{
	json_t *doc = load(doc_text);
	char *html = render(doc, prfaq_render_html);
	const char *sec;
	(void)state;

	sec = strstr(html, "<section class=\"evidence new-page\">");
	assert_non_null(sec);
	/* The last section of the article. */
	assert_null(strstr(sec + 1, "<section"));
	assert_non_null(strstr(sec, "<h3>What customers said</h3>\n"
				    "<blockquote><p>Lost it &lt;i&gt;twice"
				    "&lt;/i&gt;<br>\nThen I left.</p>"));
	assert_non_null(strstr(sec, "— Ana · <a href=\"https://s.example/1?"
				    "a=1&amp;b=&quot;2\">zendesk</a> · "
				    "2026-01-02 · negative</span>"));
	/* No source and a javascript: URL: no link, no attribution. */
	assert_non_null(strstr(sec, "<li><span class=\"text\">Save "
				    "carts</span></li>"));
	assert_null(strstr(html, "javascript:"));
	assert_non_null(strstr(sec, "<span class=\"value\">71.5%</span> "));
	assert_non_null(strstr(sec, "<span class=\"value\">1200 per "
				    "day</span> "));
	assert_non_null(strstr(sec, "And 3 more linked items"));
	assert_null(strstr(html, "<i>"));
	free(html);

	/* The Markdown renderings never show it. */
	html = render(doc, prfaq_render_markdown);
	assert_null(strstr(html, "Lost it"));
	free(html);
	html = render(doc, prfaq_render_reading_markdown);
	assert_null(strstr(html, "Lost it"));
	free(html);
	json_decref(doc);
}

/* No items, or no appendix: no section, and the page is as before. */
static void
test_no_appendix(void **state)
{
	json_t *doc = load("{\"title\":\"T\",\"evidence_appendix\":"
			   "{\"items\":[],\"more\":0}}");
	json_t *bare = load("{\"title\":\"T\"}");
	char *a = render(doc, prfaq_render_html);
	char *b = render(bare, prfaq_render_html);
	(void)state;

	assert_null(strstr(a, "class=\"evidence"));
	assert_string_equal(a, b);
	free(a);
	free(b);
	json_decref(doc);
	json_decref(bare);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appendix),
		cmocka_unit_test(test_no_appendix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
