/*
 * fuzz_render.c - Markdown and HTML rendering of arbitrary documents.
 *
 * The input is decoded like a request body and rendered as it is (the
 * renderer takes any JSON value) and as the content of a document.  Beyond
 * not crashing, user text must never shape the page: the HTML holds only the
 * elements and attributes the renderer itself writes, links only to
 * http(s) URLs, and no raw HTML that cmark had to drop (which would mean
 * user text reached it unescaped).  Both Markdowns (the reading one the page
 * is made from, and the authoring one), run through cmark as a whole, must
 * pass the same check.
 */
#include <cmark.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz_common.h"
#include "prfaq/buf.h"
#include "prfaq/render.h"

static const char *const allowed_tags[] = {
	"html",	  "head", "meta",    "title",	   "style", "body", "article",
	"header", "div",  "section", "h1",	   "h2",    "h3",   "h4",
	"h5",	  "h6",	  "p",	     "blockquote", "ul",    "ol",   "li",
	"a",	  "em",	  "strong",  "br",	   "hr",    "code", NULL,
};
static const char *const allowed_attrs[] = {
	"charset", "http-equiv", "content", "name", "class",
	"href",	   "title",	 "start",   NULL,
};

static bool
in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && strncasecmp(*list, s, n) == 0)
			return true;
	return false;
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

/* Check every tag in s[0..n); skip the page's own <style> and doctype. */
static void
check_html(const char *s, size_t n)
{
	static const char style_end[] = "</style>";
	size_t i = 0;

	while (i < n) {
		size_t j, name;
		bool is_a;

		if (s[i] != '<') {
			i++;
			continue;
		}
		FUZZ_CHECK(strncmp(s + i, "<!--", 4) !=
			   0); /* raw HTML dropped */
		if (strncmp(s + i, "<!DOCTYPE html>", 15) == 0) {
			i += 15;
			continue;
		}
		j = i + 1;
		if (j < n && s[j] == '/')
			j++;
		name = j;
		while (j < n && is_name_char(s[j]))
			j++;
		FUZZ_CHECK(j > name &&
			   in_list(allowed_tags, s + name, j - name));
		is_a = j - name == 1 && (s[name] == 'a' || s[name] == 'A');
		if (j - name == 5 && strncasecmp(s + name, "style", 5) == 0 &&
		    s[i + 1] != '/') {
			const char *end = strstr(s + j, style_end);

			FUZZ_CHECK(end != NULL);
			i = (size_t)(end - s) + strlen(style_end);
			continue;
		}
		/* Attributes: name="value" pairs up to the end of the tag. */
		for (;;) {
			size_t an;

			while (j < n && s[j] == ' ')
				j++;
			FUZZ_CHECK(j < n);
			if (s[j] == '>' ||
			    (s[j] == '/' && j + 1 < n && s[j + 1] == '>'))
				break;
			an = j;
			while (j < n && is_name_char(s[j]))
				j++;
			FUZZ_CHECK(j > an &&
				   in_list(allowed_attrs, s + an, j - an));
			if (j < n && s[j] == '=') {
				size_t v;

				FUZZ_CHECK(j + 1 < n && s[j + 1] == '"');
				v = j + 2;
				j = v;
				while (j < n && s[j] != '"') {
					FUZZ_CHECK(s[j] != '<');
					j++;
				}
				FUZZ_CHECK(j < n);
				if (is_a && j - an >= 4 &&
				    strncasecmp(s + an, "href", 4) == 0)
					FUZZ_CHECK(
						(j - v >= 7 &&
						 strncasecmp(s + v, "http://",
							     7) == 0) ||
						(j - v >= 8 &&
						 strncasecmp(s + v, "https://",
							     8) == 0));
				j++;
			}
		}
		i = j + 1;
	}
}

/* Markdown, run through cmark as a whole, holds only the renderer's markup. */
static void
check_markdown(const struct prfaq_buf *md)
{
	char *whole;

	FUZZ_CHECK(md->data != NULL && md->len == strlen(md->data));
	whole = cmark_markdown_to_html(
		md->data, md->len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	FUZZ_CHECK(whole != NULL);
	check_html(whole, strlen(whole));
	free(whole);
}

static void
render(const json_t *doc)
{
	struct prfaq_buf md = PRFAQ_BUF_INIT, html = PRFAQ_BUF_INIT;
	struct prfaq_buf authoring = PRFAQ_BUF_INIT;

	FUZZ_CHECK(prfaq_render_reading_markdown(doc, &md) == 0);
	check_markdown(&md);
	FUZZ_CHECK(prfaq_render_markdown(doc, &authoring) == 0);
	check_markdown(&authoring);
	FUZZ_CHECK(prfaq_render_html(doc, &html) == 0);
	FUZZ_CHECK(html.data != NULL && html.len == strlen(html.data));
	check_html(html.data, html.len);
	prfaq_buf_free(&md);
	prfaq_buf_free(&authoring);
	prfaq_buf_free(&html);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *v, *doc;

	fuzz_init();
	v = fuzz_parse(data, size);
	if (v == NULL)
		return 0;
	render(v);
	/* As a version's content, with the metadata the API adds. */
	doc = json_pack("{s:s, s:O, s:s, s:i, s:{s:s}, s:{s:i}}", "title",
			"Fuzzed PR/FAQ", "content", v, "status", "in_review",
			"version", 3, "owner", "name", "Ana", "quality",
			"score", 74);
	FUZZ_CHECK(doc != NULL);
	render(doc);
	json_decref(doc);
	json_decref(v);
	return 0;
}
