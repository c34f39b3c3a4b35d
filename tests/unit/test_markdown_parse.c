/*
 * test_markdown_parse.c - reading a PR/FAQ from Markdown
 * (src/domain/markdown_parse.c) and the round trip with the renderer.
 *
 * The round trip is the contract: for every valid document d, parsing
 * prfaq_render_markdown(d) gives d's title, team, tags and content byte for
 * byte.  It is checked over every valid document in the fuzz corpora and the
 * fixtures, and over thousands of generated documents whose every text is
 * made of what Markdown cares about (emphasis and heading characters, code
 * fences, list markers, line endings of every kind, spaces at the ends of
 * lines, entities, the layout's own markers).  Layout errors must name
 * their line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>

#include "prfaq/alloc.h"
#include "prfaq/buf.h"
#include "prfaq/content.h"
#include "prfaq/json.h"
#include "prfaq/markdown.h"
#include "prfaq/render.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ------------------------------------------------------------ */

static json_t *
load(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);

	if (v == NULL)
		fail_msg("bad test JSON at %d: %s", jerr.line, jerr.text);
	return v;
}

static char *
dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS);

	assert_non_null(s);
	return s;
}

/* Markdown of doc (borrowed) as a malloc'd string. */
static char *
render(const json_t *doc)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;

	assert_int_equal(prfaq_render_markdown(doc, &b), 0);
	assert_non_null(b.data);
	return prfaq_buf_steal(&b, NULL);
}

/* Parse md, which must be in the layout; a new body. */
static json_t *
parse_ok(const char *md, json_t **lines)
{
	struct prfaq_error err;
	json_t *body = NULL;
	prfaq_code rc;

	prfaq_error_init(&err);
	rc = prfaq_markdown_parse(md, strlen(md), &body, lines, &err);
	if (rc != PRFAQ_OK) {
		char *e = err.errors ? dump(err.errors) : NULL;

		fail_msg("parse failed (%d, %s):\n%s\n--- of ---\n%s", rc,
			 err.detail, e ? e : "", md);
	}
	assert_non_null(body);
	prfaq_error_clear(&err);
	return body;
}

/*
 * What a stored document keeps of d: title, team when present, tags and
 * content (both always there, as the store writes them).
 */
static json_t *
writable(const json_t *d)
{
	json_t *w = json_object(), *v;

	assert_non_null(w);
	if ((v = json_object_get(d, "title")) != NULL)
		json_object_set(w, "title", v);
	if ((v = json_object_get(d, "team")) != NULL)
		json_object_set(w, "team", v);
	v = json_object_get(d, "tags");
	json_object_set_new(w, "tags", v ? json_incref(v) : json_array());
	v = json_object_get(d, "content");
	json_object_set_new(w, "content", v ? json_incref(v) : json_object());
	return w;
}

/*
 * The round trip for one valid document: parse(render(d)) is d's writable
 * part exactly, the rendering of what was read is the same text, and every
 * pointer in the line map names something that was read.
 */
static void
assert_round_trip(const json_t *doc)
{
	char *md = render(doc), *again;
	json_t *lines = NULL, *body = parse_ok(md, &lines),
	       *want = writable(doc);
	const char *ptr;
	json_t *line;

	if (!json_equal(body, want)) {
		char *a = dump(want), *b = dump(body);

		fail_msg("round trip changed the document\n--- Markdown ---\n%s"
			 "--- expected ---\n%s\n--- read ---\n%s",
			 md, a, b);
	}
	again = render(body);
	if (json_object_size(doc) == json_object_size(want) &&
	    strcmp(again, md) != 0)
		fail_msg("rendering what was read differs:\n%s\n---\n%s", md,
			 again);
	json_object_foreach(lines, ptr, line) {
		if (prfaq_pointer_get(body, ptr) == NULL)
			fail_msg("line map names %s, which was not read", ptr);
		assert_true(json_integer_value(line) >= 1);
	}
	free(again);
	free(md);
	json_decref(lines);
	json_decref(body);
	json_decref(want);
}

/* The read-only members GET adds, which reading must ignore. */
static json_t *
with_read_only(const json_t *doc)
{
	json_t *d = json_deep_copy(doc), *ro;

	assert_non_null(d);
	ro = load(
		"{\"id\": \"6f1c\", \"status\": \"in_review\", \"version\": 12,"
		" \"owner\": {\"id\": \"u1\", \"name\": \"Ana *Q:* · **Team:**\"},"
		" \"author\": {\"id\": \"u2\", \"name\": \"Bo\"},"
		" \"quality\": {\"score\": 74, \"findings\": []},"
		" \"updated_at\": \"2026-11-25T10:00:00Z\","
		" \"decision\": {\"outcome\": \"approved\", \"version\": 11,"
		"  \"decided_by\": {\"id\": \"u3\", \"name\": \"Cy\"},"
		"  \"at\": \"2026-11-24T09:00:00Z\","
		"  \"rationale\": \"## Press release\\n\\n### Q: not an entry\"}}");
	json_object_update(d, ro);
	json_decref(ro);
	return d;
}

/* ---- (a) the corpora ------------------------------------------------------ */

/*
 * Every way value v can be a valid document: as one, or as the content of
 * one.  Returns how many round trips ran.
 */
static size_t
try_value(const json_t *v)
{
	size_t count = 0;
	json_t *doc, *ro;

	if (!json_is_object(v))
		return 0;
	if (prfaq_doc_validate(v, PRFAQ_DOC_CREATE, NULL) == PRFAQ_OK) {
		json_t *clean = json_deep_copy(v);

		json_object_del(clean, "change_note");
		assert_round_trip(clean);
		ro = with_read_only(clean);
		assert_round_trip(ro);
		json_decref(ro);
		json_decref(clean);
		count += 2;
	}
	if (prfaq_content_validate(v, "/content", NULL) == PRFAQ_OK) {
		doc = json_pack("{s:s, s:O}", "title", "Corpus", "content", v);
		assert_non_null(doc);
		assert_round_trip(doc);
		json_decref(doc);
		count++;
	}
	return count;
}

/*
 * One corpus file: decoded whole, or (the two-document corpora of diff
 * and merge-patch) as the halves on either side of its first NUL.
 */
static size_t
try_file(const char *path)
{
	size_t count = 0, len, cut;
	char *data;
	FILE *f = fopen(path, "rb");
	json_t *v;

	assert_non_null(f);
	data = malloc(1 << 22);
	assert_non_null(data);
	len = fread(data, 1, (1 << 22) - 1, f);
	fclose(f);
	if (prfaq_json_parse(data, len, &v, NULL) == PRFAQ_OK) {
		count += try_value(v);
		json_decref(v);
	} else if ((cut = strnlen(data, len)) < len) {
		if (prfaq_json_parse(data, cut, &v, NULL) == PRFAQ_OK) {
			count += try_value(v);
			json_decref(v);
		}
		if (prfaq_json_parse(data + cut + 1, len - cut - 1, &v, NULL) ==
		    PRFAQ_OK) {
			count += try_value(v);
			json_decref(v);
		}
	}
	free(data);
	return count;
}

/* Every regular file under dir, one level of subdirectories deep. */
static size_t
try_dir(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t count = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode) && depth > 0)
			count += try_dir(path, depth - 1);
		else if (S_ISREG(st.st_mode))
			count += try_file(path);
	}
	closedir(d);
	return count;
}

static void
test_round_trip_corpora(void **state)
{
	size_t count;

	(void)state;
	count = try_dir(PRFAQ_FIXTURES "/../fuzz/corpus", 1);
	count += try_dir(PRFAQ_FIXTURES, 0);
	/* The corpora hold dozens of valid documents; none must be missed. */
	assert_true(count >= 20);
}

/* ---- (b) generated documents --------------------------------------------- */

static uint64_t rng_state;

/* xorshift64*: deterministic, so a failure repeats. */
static uint32_t
rnd(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32) % n;
}

/* Pieces every text is made of: Markdown's syntax, the layout's markers. */
static const char *const pieces[] = {
	"word",
	"two words",
	"*",
	"**",
	"_",
	"__",
	"#",
	"## ",
	"### Q: ",
	">",
	"> ",
	"`",
	"``",
	"```",
	"~~~",
	"1. ",
	"1) ",
	"12.",
	"- ",
	"+ ",
	"* ",
	"=",
	"===",
	"---",
	"***",
	"___",
	"|",
	"~",
	"^",
	"{",
	"}",
	"[",
	"]",
	"[x](https://e.x)",
	"![i](j)",
	"<div>",
	"<https://e.x>",
	"<!-- c -->",
	"\\",
	"\\\\",
	"&",
	"&amp;",
	"&#32;",
	"&#10;",
	"&nbsp;",
	" ",
	"  ",
	"    ",
	"\t",
	"é",
	"中文",
	"🙂",
	"\xC2\xA0",
	"\xE2\x80\x8B",
	"\xE2\x80\xA8",
	"—",
	"— ",
	"·",
	" · ",
	",",
	", ",
	"**Team:**",
	"**Tags:**",
	"*(empty)*",
	"*(no question)*",
	"(no question)",
	"Q:",
	"(",
	")",
	"!",
	".",
	":",
	"'",
	"\"",
	"%20",
	"0",
};

/* Line endings and the blank lines that go with them. */
static const char *const breaks[] = {
	"\n", "\n",   "\n\n",	  "\n\n",  "\n\n\n", "\n\n\n\n",
	"\r", "\r\n", "\r\n\r\n", "\n \n", "\n\t\n",
};

/* Append a random text of up to max pieces; multi-line when lines. */
static void
gen_text(struct prfaq_buf *b, size_t max, bool lines)
{
	size_t n = rnd((uint32_t)max + 1);

	for (size_t i = 0; i < n; i++) {
		if (lines && rnd(4) == 0)
			assert_int_equal(
				prfaq_buf_puts(b, breaks[rnd(NELEM(breaks))]),
				0);
		else
			assert_int_equal(
				prfaq_buf_puts(b, pieces[rnd(NELEM(pieces))]),
				0);
	}
}

/*
 * A new JSON string of generated text: multi-line or not, maybe required to
 * hold more than whitespace, of up to max pieces.
 */
static json_t *
gen_string_max(bool lines, bool non_blank, size_t max)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	json_t *s;

	/* A few whole texts that are only what Markdown drops. */
	if (!non_blank && rnd(12) == 0) {
		static const char *const edge[] = {
			"", " ", "\t", "\n", "\n\n", " \n ", "\r\n", "\\",
		};
		const char *e = edge[rnd(NELEM(edge))];

		return json_string(lines || strpbrk(e, "\t\r\n") == NULL ? e :
									   " ");
	}
	if (non_blank)
		assert_int_equal(
			prfaq_buf_puts(
				&b,
				pieces[rnd(3) == 0 ? 0 : rnd(NELEM(pieces))]),
			0);
	gen_text(&b, max, lines);
	if (non_blank)
		assert_int_equal(prfaq_buf_puts(&b, "x"), 0);
	if (!lines) {
		/* One-line members: no tab or line ending. */
		for (size_t i = 0; i < b.len; i++)
			if (b.data[i] == '\t' || b.data[i] == '\n' ||
			    b.data[i] == '\r')
				b.data[i] = ' ';
	}
	s = json_stringn(b.data ? b.data : "", b.len);
	assert_non_null(s);
	prfaq_buf_free(&b);
	return s;
}

static json_t *
gen_string(bool lines, bool non_blank)
{
	return gen_string_max(lines, non_blank, lines ? 10 : 5);
}

static json_t *
gen_url(void)
{
	static const char *const urls[] = {
		"",
		"https://example.com/flow.png",
		"http://e.x/a_b*c`d",
		"https://e.x/?a=1&b=2&amp;c=<3>",
		"HTTPS://E.X/%20(x)[y]",
		"https://例え.jp/パス#frag",
		"https://e.x/a~b|c^d{e}",
		"http://[::1]:8080/",
		"https://u@e.x/&#32;",
		"https://e.x/\"q\"'",
	};

	return json_string(urls[rnd(NELEM(urls))]);
}

/* Set obj[key] to v (taken) half of the time; else drop v. */
static void
maybe(json_t *obj, const char *key, json_t *v)
{
	assert_non_null(v);
	if (rnd(3) != 0)
		json_object_set_new(obj, key, v);
	else
		json_decref(v);
}

static json_t *
gen_quote(void)
{
	json_t *q = json_object();

	maybe(q, "text", gen_string(true, false));
	maybe(q, "speaker", gen_string(true, false));
	return q;
}

static json_t *
gen_faq_list(void)
{
	json_t *list = json_array();
	size_t n = rnd(5);

	for (size_t i = 0; i < n; i++) {
		json_t *e = json_object();

		maybe(e, "question", gen_string(true, false));
		maybe(e, "answer", gen_string(true, false));
		json_array_append_new(list, e);
	}
	return list;
}

/* A JSON number that must read back with its type: integer or real. */
static json_t *
gen_number(void)
{
	static const double reals[] = {
		12.5,	 0.1, -3e-7, 1e300, 100.0, -0.0, 0.30000000000000004,
		2.5e-320
	};
	static const json_int_t ints[] = { 0, -7, 1000000, 9007199254740993LL };

	if (rnd(2) == 0)
		return json_integer(ints[rnd(NELEM(ints))]);
	return json_real(reals[rnd(NELEM(reals))]);
}

/* 0..3 metrics with distinct keys and generated names and units. */
static json_t *
gen_metrics(void)
{
	static const char *const kinds[] = { "input", "output" };
	static const char *const dirs[] = { "increase", "decrease" };
	json_t *list = json_array();

	for (size_t i = 0, n = rnd(4); i < n; i++) {
		json_t *m = json_object();
		char key[16];

		snprintf(key, sizeof(key), "m%zu-%u", i, (unsigned)rnd(100));
		json_object_set_new(m, "key", json_string(key));
		json_object_set_new(m, "name", gen_string(false, true));
		json_object_set_new(m, "kind", json_string(kinds[rnd(2)]));
		maybe(m, "unit", gen_string_max(false, true, 2));
		json_object_set_new(m, "direction", json_string(dirs[rnd(2)]));
		maybe(m, "baseline", gen_number());
		json_object_set_new(m, "target", gen_number());
		maybe(m, "by", json_string("2027-06-30"));
		json_array_append_new(list, m);
	}
	return list;
}

static json_t *
gen_document(void)
{
	static const char *const dates[] = { "", "2027-03-01", "2028-02-29" };
	static const char *const pr_text[] = {
		"headline", "subheading", "location",	  "summary",
		"problem",  "solution",	  "how_it_works", "call_to_action",
	};
	static const char *const cust[] = {
		"who", "problem", "benefit", "evidence", "experience",
	};
	json_t *doc = json_object(), *content = json_object(), *pr, *o, *tags;
	size_t ntags = rnd(5);

	json_object_set_new(doc, "title", gen_string(false, true));
	maybe(doc, "team", gen_string(false, false));
	tags = json_array();
	for (size_t i = 0; i < ntags; i++) {
		json_t *t = gen_string_max(false, true, 2); /* 50 at most */
		bool dup = false;

		for (size_t k = 0; k < json_array_size(tags); k++)
			dup |= json_equal(json_array_get(tags, k), t);
		if (dup)
			json_decref(t);
		else
			json_array_append_new(tags, t);
	}
	maybe(doc, "tags", tags);

	pr = json_object();
	for (size_t i = 0; i < NELEM(pr_text); i++)
		maybe(pr, pr_text[i], gen_string(true, false));
	maybe(pr, "launch_date", json_string(dates[rnd(NELEM(dates))]));
	maybe(pr, "leader_quote", gen_quote());
	maybe(pr, "customer_quote", gen_quote());
	maybe(content, "press_release", pr);

	o = json_object();
	for (size_t i = 0; i < NELEM(cust); i++)
		maybe(o, cust[i], gen_string(true, false));
	maybe(content, "customer", o);

	o = json_object();
	maybe(o, "external", gen_faq_list());
	maybe(o, "internal", gen_faq_list());
	maybe(content, "faq", o);

	o = json_array();
	for (size_t i = 0, n = rnd(4); i < n; i++) {
		json_t *v = json_object();

		maybe(v, "title", gen_string(true, false));
		maybe(v, "url", gen_url());
		maybe(v, "caption", gen_string(true, false));
		json_array_append_new(o, v);
	}
	maybe(content, "visuals", o);
	maybe(content, "metrics", gen_metrics());
	maybe(doc, "content", content);
	return doc;
}

static void
test_round_trip_generated(void **state)
{
	size_t valid = 0;

	(void)state;
	rng_state = 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 3000; i++) {
		json_t *doc = gen_document();
		struct prfaq_error err;

		prfaq_error_init(&err);
		/* The generator only makes valid documents; say so if not. */
		if (prfaq_doc_validate(doc, PRFAQ_DOC_CREATE, &err) !=
		    PRFAQ_OK) {
			char *e = dump(err.errors), *d = dump(doc);

			fail_msg("generated document %d is invalid: %s\n%s", i,
				 e, d);
		}
		prfaq_error_clear(&err);
		assert_round_trip(doc);
		if (i % 10 == 0) {
			json_t *ro = with_read_only(doc);

			assert_round_trip(ro);
			json_decref(ro);
		}
		valid++;
		json_decref(doc);
	}
	assert_int_equal(valid, 3000);
}

/*
 * Metrics whose name and unit hold what Markdown reads as markup, and
 * numbers at the edges of their types: each reads back exactly.
 */
static void
test_round_trip_metrics(void **state)
{
	static const char *const names[] = {
		"*a* _b_ `c` [d](e) <f>", "# not a heading",  "- not a list",
		"1. not a list",	  "**Key:** fake",    "> no quote",
		"&amp; &#32; \\\\ |x|",	  " lead and trail ", "— dash",
		"**Target:** 3",	  "<https://e.x>",    "%",
	};
	static const char *const numbers[] = {
		"0",	 "-1",	  "12.5",
		"100.0", "1e300", "-3e-07",
		"0.1",	 "1E2",	  "9007199254740993",
	};

	(void)state;
	for (size_t i = 0; i < NELEM(names); i++) {
		char text[512];
		json_t *doc;

		snprintf(text, sizeof(text),
			 "{\"title\": \"Metrics\", \"content\": {\"metrics\": ["
			 "{\"key\": \"a\", \"name\": \"%s\", \"kind\": "
			 "\"output\", \"unit\": \"%s\", \"direction\": "
			 "\"decrease\", \"baseline\": %s, \"target\": %s, "
			 "\"by\": \"2027-01-31\"}, {\"key\": \"b\", \"name\": "
			 "\"x\", \"kind\": \"input\", \"direction\": "
			 "\"increase\", \"target\": %s}]}}",
			 names[i], names[NELEM(names) - 1 - i],
			 numbers[i % NELEM(numbers)],
			 numbers[(i + 3) % NELEM(numbers)],
			 numbers[(i + 5) % NELEM(numbers)]);
		doc = load(text);
		assert_int_equal(prfaq_doc_validate(doc, PRFAQ_DOC_CREATE,
						    NULL),
				 PRFAQ_OK);
		assert_round_trip(doc);
		json_decref(doc);
	}
}

/* A metric's number that is not one is an error at its line. */
static void
test_metrics_errors(void **state)
{
	struct prfaq_error err;
	json_t *body = NULL;
	static const char md[] = "# T\n\n## Metrics\n\n- **Key:** a\n\n"
				 "  **Target:** 1,000\n\n  **Goal:** 3\n";

	(void)state;
	prfaq_error_init(&err);
	assert_int_equal(prfaq_markdown_parse(md, strlen(md), &body, NULL,
					      &err),
			 PRFAQ_EINVAL);
	assert_null(body);
	assert_int_equal(json_array_size(err.errors), 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(err.errors, 0), "line")),
			 7);
	prfaq_error_clear(&err);
}

/* Texts that only Markdown-significant bytes make, one member at a time. */
static void
test_round_trip_edges(void **state)
{
	static const char *const texts[] = {
		"",
		" ",
		"  ",
		"\t",
		" x",
		"x ",
		"x  ",
		"\tx\t",
		"\n",
		"\n\n",
		"\n\n\n",
		"a\n",
		"\na",
		"a\n\nb",
		"a\n\n\nb",
		"a\n \nb",
		"a\r\nb",
		"a\rb",
		"\r",
		"line  \nnext",
		"a\\\nb",
		"a\\",
		"1. one\n2) two",
		"- a\n+ b\n* c",
		"# h\n## h",
		"> q",
		"```\ncode\n```",
		"    indented",
		"===\n---",
		"*a* _b_ `c` [d](e) <f>",
		"&amp; &#32;",
		"— speaker",
		"*(empty)*",
		"*(no question)*",
		"Q: x",
		"**Team:** x",
		"a · b",
		"`",
		"``x``",
		" `x` ",
	};

	(void)state;
	for (size_t i = 0; i < NELEM(texts); i++) {
		json_t *t = json_string(texts[i]);
		json_t *doc = json_pack(
			"{s:s, s:s, s:[s], s:{s:{s:O, s:{s:O, s:O}},"
			" s:{s:[{s:O, s:O}]}, s:[{s:O, s:O}]}}",
			"title", "Edges", "team",
			strpbrk(texts[i], "\t\r\n") ? "" : texts[i], "tags",
			texts[i][0] != '\0' && !strpbrk(texts[i], "\t\r\n") &&
					strspn(texts[i], " ") !=
						strlen(texts[i]) ?
				texts[i] :
				"tag",
			"content", "press_release", "summary", t,
			"leader_quote", "text", t, "speaker", t, "faq",
			"external", "question", t, "answer", t, "visuals",
			"title", t, "caption", t);

		assert_non_null(doc);
		assert_int_equal(prfaq_doc_validate(doc, PRFAQ_DOC_CREATE,
						    NULL),
				 PRFAQ_OK);
		assert_round_trip(doc);
		json_decref(doc);
		json_decref(t);
	}
}

/* ---- the layout, as the renderer writes it ------------------------------ */

static const char layout_doc[] =
	"{\"id\": \"6f1c\", \"title\": \"Instant refunds\", "
	"\"team\": \"payments\", \"tags\": [\"prime\", \"returns\", \"a, "
	"b `c`\"], \"status\": \"in_review\", \"owner\": {\"id\": \"u1\", "
	"\"name\": \"Ana\"}, \"version\": 3, \"quality\": {\"score\": 74, "
	"\"findings\": []}, \"updated_at\": \"2026-11-25T10:00:00Z\", "
	"\"content\": {\"press_release\": {\"headline\": \"Amazon Pay refunds shoppers in five minutes\", "
	"\"subheading\": \"Shoppers get their money back before they leave.\", "
	"\"launch_date\": \"2027-03-01\", \"location\": \"SEATTLE\", "
	"\"summary\": \"Today Amazon Pay launched instant refunds.\", "
	"\"problem\": \"Shoppers wait 5 to 10 days for a refund.\\nSome wait longer.\\n\\nNobody likes it.\", "
	"\"solution\": \"We refund first and settle later.\", "
	"\"leader_quote\": {\"text\": \"Waiting is not a feature.\", "
	"\"speaker\": \"Jane Doe, VP Payments\"}, "
	"\"how_it_works\": \"1. Return the item\\n2. Tap *Refund*\", "
	"\"customer_quote\": {\"text\": \"I had my money at the door.\", "
	"\"speaker\": \"Sam, Ohio\"}, "
	"\"call_to_action\": \"Try it at your next return.\"}, "
	"\"faq\": {\"external\": [{\"question\": \"What does it cost?\", "
	"\"answer\": \"Nothing.\"}, "
	"{\"question\": \"Where is it available?\", \"answer\": \"\"}], "
	"\"internal\": [{\"question\": \"What are the risks?\", "
	"\"answer\": \"Fraud on 2% of refunds.   \\n\\n\\n  # not a heading\"}, "
	"{\"answer\": \"orphan\"}]}, "
	"\"customer\": {\"who\": \"Online shoppers\", "
	"\"problem\": \"Waiting\", \"benefit\": \"Money now\", "
	"\"evidence\": \"1,000 interviews\", "
	"\"experience\": \"Tap and go\"}, "
	"\"visuals\": [{\"title\": \"Refund flow\", "
	"\"url\": \"https://example.com/flow.png?a=1&b=<2>\", "
	"\"caption\": \"Three taps\"}, {}, {\"url\": \"\"}]}, "
	"\"decision\": {\"outcome\": \"approved\", "
	"\"decided_by\": {\"name\": \"Cy\"}, \"version\": 3, "
	"\"at\": \"2026-11-26T10:00:00Z\", \"rationale\": \"Ship it.\"}}";

static const char layout_md[] =
	"# Instant refunds\n"
	"\n"
	"**Team:** payments · "
	"**Tags:** `prime`, `returns`, `` a, b `c` `` · "
	"**Status:** In review · "
	"**Version:** 3 · "
	"**Owner:** Ana · "
	"**Updated:** 2026-11-25T10:00:00Z · "
	"**Quality score:** 74/100\n"
	"\n"
	"## Press release\n"
	"\n"
	"### Headline\n"
	"\n"
	"Amazon Pay refunds shoppers in five minutes\n"
	"\n"
	"### Subheading\n"
	"\n"
	"Shoppers get their money back before they leave.\n"
	"\n"
	"### Location\n"
	"\n"
	"SEATTLE\n"
	"\n"
	"### Launch date\n"
	"\n"
	"2027-03-01\n"
	"\n"
	"### Summary\n"
	"\n"
	"Today Amazon Pay launched instant refunds.\n"
	"\n"
	"### Problem\n"
	"\n"
	"Shoppers wait 5 to 10 days for a refund.\\\n"
	"Some wait longer.\n"
	"\n"
	"Nobody likes it.\n"
	"\n"
	"### Solution\n"
	"\n"
	"We refund first and settle later.\n"
	"\n"
	"### Leader quote\n"
	"\n"
	"> Waiting is not a feature.\n"
	"\n"
	"— Jane Doe, VP Payments\n"
	"\n"
	"### How it works\n"
	"\n"
	"1\\. Return the item\\\n"
	"2\\. Tap \\*Refund\\*\n"
	"\n"
	"### Customer quote\n"
	"\n"
	"> I had my money at the door.\n"
	"\n"
	"— Sam, Ohio\n"
	"\n"
	"### Call to action\n"
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
	"*(empty)*\n"
	"\n"
	"## Internal FAQ\n"
	"\n"
	"### Q: What are the risks?\n"
	"\n"
	"Fraud on 2% of refunds.  &#32;\n"
	"\n"
	"&#10;&#32; \\# not a heading\n"
	"\n"
	"### *(no question)*\n"
	"\n"
	"orphan\n"
	"\n"
	"## Decision\n"
	"\n"
	"**Approved** by Cy on version 3 (2026-11-26T10:00:00Z)\n"
	"\n"
	"Ship it.\n"
	"\n"
	"## Appendix: Visuals\n"
	"\n"
	"- **Title:** Refund flow\n"
	"\n"
	"  **URL:** <https://example.com/flow.png?a=1&amp;b=&lt;2&gt;>\n"
	"\n"
	"  **Caption:** Three taps\n"
	"\n"
	"-\n"
	"\n"
	"- **URL:**\n";

/*
 * The whole layout, pinned: every part, the read-only ones included, and the
 * encodings (a hard break, a paragraph break, spaces at a line's end, a
 * third line ending in a row, "" as *(empty)*, a missing question, a tag
 * holding a comma and backticks, an autolink with & < >).
 */
static void
test_authoring_layout(void **state)
{
	json_t *doc = load(layout_doc), *body, *want = writable(doc);
	char *md = render(doc);

	(void)state;
	assert_string_equal(md, layout_md);
	body = parse_ok(md, NULL);
	assert_true(json_equal(body, want));
	json_decref(body);
	json_decref(want);
	json_decref(doc);
	free(md);
}

/*
 * Any JSON value renders (wrong types are skipped), and the rendering is
 * appended to what the buffer holds.
 */
static void
test_render_totality(void **state)
{
	struct prfaq_buf b = PRFAQ_BUF_INIT;
	json_t *doc = load("{\"title\": 7, \"tags\": [1, \"\", \"ok\"],"
			   " \"content\": {\"press_release\": [],"
			   " \"faq\": {\"external\": [1, {}]},"
			   " \"visuals\": {}}}");

	(void)state;
	assert_int_equal(prfaq_buf_puts(&b, "before\n"), 0);
	assert_int_equal(prfaq_render_markdown(NULL, &b), 0);
	assert_string_equal(b.data, "before\n# Untitled PR/FAQ\n");
	prfaq_buf_reset(&b);
	assert_int_equal(prfaq_render_markdown(doc, &b), 0);
	assert_string_equal(b.data, "# Untitled PR/FAQ\n\n**Tags:** `ok`\n\n"
				    "## External FAQ\n\n### *(no question)*\n");
	prfaq_buf_free(&b);
	json_decref(doc);
}

/*
 * The example in openapi.yaml (schema PrfaqMarkdown) is what the renderer
 * writes: it reads as a valid PR/FAQ whose rendering is the example again,
 * but for the read-only items of the meta line.
 */
static void
test_openapi_example(void **state)
{
	FILE *f = fopen(PRFAQ_FIXTURES "/../../openapi/openapi.yaml", "r");
	struct prfaq_buf ex = PRFAQ_BUF_INIT;
	char line[1024], *md;
	int stage = 0;
	json_t *body;

	(void)state;
	assert_non_null(f);
	while (stage < 3 && fgets(line, sizeof(line), f) != NULL) {
		if (stage == 0 && strcmp(line, "    PrfaqMarkdown:\n") == 0)
			stage = 1;
		else if (stage == 1 && strcmp(line, "        - |\n") == 0)
			stage = 2;
		else if (stage == 2 && line[0] != '\n' &&
			 strncmp(line, "          ", 10) != 0)
			stage = 3;
		else if (stage == 2)
			assert_int_equal(prfaq_buf_puts(&ex, line[0] == '\n' ?
								     line :
								     line + 10),
					 0);
	}
	fclose(f);
	assert_int_equal(stage, 3);
	/* The blank line before the next member belongs to YAML, not to it. */
	while (ex.len > 1 && ex.data[ex.len - 1] == '\n' &&
	       ex.data[ex.len - 2] == '\n')
		ex.data[--ex.len] = '\0';

	body = parse_ok(ex.data, NULL);
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_REPLACE, NULL),
			 PRFAQ_OK);
	md = render(body);
	/* Line 3, the meta line, lost Status, Version, ...: the rest is equal. */
	assert_string_equal(strchr(strstr(md, "\n\n") + 2, '\n'),
			    strchr(strstr(ex.data, "\n\n") + 2, '\n'));
	assert_non_null(strstr(ex.data, "**Status:**"));
	free(md);
	json_decref(body);
	prfaq_buf_free(&ex);
}

/* ---- the layout, as an author writes it -------------------------------- */

static const char authored[] =
	"# Instant refunds\n"
	"\n"
	"**Team:** payments · **Tags:** `prime`, `returns`\n"
	"\n"
	"## Press release\n"
	"\n"
	"### Headline\n"
	"\n"
	"Refunds in five minutes\n"
	"\n"
	"### Launch date\n"
	"\n"
	"2027-03-01\n"
	"\n"
	"### Problem\n"
	"\n"
	"Shoppers wait\n"
	"a week.\n"
	"\n"
	"Every time.\n"
	"\n"
	"### Leader quote\n"
	"\n"
	"> Waiting is not a feature.\n"
	"\n"
	"— Jane Doe, VP Payments\n"
	"\n"
	"## Customer\n"
	"\n"
	"### Who is the customer?\n"
	"\n"
	"Online shoppers\n"
	"\n"
	"## External FAQ\n"
	"\n"
	"### Q: What does it cost?\n"
	"\n"
	"Nothing.\n"
	"\n"
	"### Q: Where?\n"
	"\n"
	"## Appendix: Visuals\n"
	"\n"
	"- **Title:** Refund flow\n"
	"\n"
	"  **URL:** <https://example.com/flow.png>\n";

static void
test_authored(void **state)
{
	json_t *lines = NULL, *body = parse_ok(authored, &lines);
	json_t *want = load(
		"{\"title\": \"Instant refunds\", \"team\": \"payments\","
		" \"tags\": [\"prime\", \"returns\"], \"content\": {"
		" \"press_release\": {\"headline\": \"Refunds in five minutes\","
		"  \"launch_date\": \"2027-03-01\","
		"  \"problem\": \"Shoppers wait\\na week.\\n\\nEvery time.\","
		"  \"leader_quote\": {\"text\": \"Waiting is not a feature.\","
		"   \"speaker\": \"Jane Doe, VP Payments\"}},"
		" \"customer\": {\"who\": \"Online shoppers\"},"
		" \"faq\": {\"external\": [{\"question\": \"What does it cost?\","
		"  \"answer\": \"Nothing.\"}, {\"question\": \"Where?\"}]},"
		" \"visuals\": [{\"title\": \"Refund flow\","
		"  \"url\": \"https://example.com/flow.png\"}]}}");

	(void)state;
	if (!json_equal(body, want))
		fail_msg("read %s", dump(body));
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_REPLACE, NULL),
			 PRFAQ_OK);
	assert_int_equal(json_integer_value(json_object_get(lines, "/title")),
			 1);
	assert_int_equal(json_integer_value(json_object_get(lines, "/tags/1")),
			 3);
	assert_int_equal(json_integer_value(json_object_get(
				 lines, "/content/press_release/problem")),
			 15);
	assert_int_equal(json_integer_value(json_object_get(
				 lines, "/content/faq/external/1/question")),
			 40);
	assert_int_equal(json_integer_value(json_object_get(
				 lines, "/content/visuals/0/url")),
			 46);
	json_decref(want);
	json_decref(body);
	json_decref(lines);
}

/* The smallest PR/FAQ: a title.  Tags and content are still there, empty. */
static void
test_title_only(void **state)
{
	json_t *body = parse_ok("# Just a title\n", NULL);
	char *s = json_dumps(body, JSON_COMPACT);

	(void)state;
	assert_string_equal(s, "{\"title\":\"Just a title\",\"tags\":[],"
			       "\"content\":{}}");
	free(s);
	json_decref(body);
}

/* Typed by hand: tags without backticks, CRLF line endings, a BOM. */
static void
test_author_conveniences(void **state)
{
	json_t *body;

	(void)state;
	body = parse_ok("\xEF\xBB\xBF# T\r\n\r\n**Tags:** prime, two words ,"
			" returns\r\n\r\n## Customer\r\n\r\n"
			"### who is the customer?\r\nA\r\nB\r\n",
			NULL);
	assert_string_equal(json_string_value(json_object_get(body, "title")),
			    "T");
	assert_int_equal(json_array_size(json_object_get(body, "tags")), 3);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(body, "tags"), 1)),
			    "two words");
	assert_string_equal(json_string_value(prfaq_pointer_get(
				    body, "/content/customer/who")),
			    "A\nB");
	json_decref(body);
}

/* Status, Version, Owner, ... and the Decision section are ignored. */
static void
test_read_only_ignored(void **state)
{
	json_t *body;

	(void)state;
	body = parse_ok("# T\n\n**Status:** Approved · **Team:** t · "
			"**Version:** 9 · **Owner:** A *B* `c` · "
			"**Quality score:** 80/100\n\n## Decision\n\n"
			"**Approved** by Cy\n\n- anything\n\n### Q: x\n\n"
			"## Customer\n",
			NULL);
	assert_string_equal(json_string_value(json_object_get(body, "team")),
			    "t");
	assert_non_null(prfaq_pointer_get(body, "/content/customer"));
	assert_null(prfaq_pointer_get(body, "/content/faq"));
	json_decref(body);
}

/* "## FAQ" alone is the FAQ object with no list; markers for absent/"". */
static void
test_markers(void **state)
{
	json_t *body = parse_ok("# T\n\n## FAQ\n\n## Internal FAQ\n\n"
				"### *(no question)*\n\n*(empty)*\n\n"
				"### Q:\n\n### *(no question)*\n",
				NULL);
	char *s = json_dumps(json_object_get(body, "content"), JSON_COMPACT);

	(void)state;
	assert_string_equal(s, "{\"faq\":{\"internal\":[{\"answer\":\"\"},"
			       "{\"question\":\"\"},{}]}}");
	free(s);
	json_decref(body);
}

/* ---- (c) errors name the line -------------------------------------------- */

struct bad_case {
	const char *md;
	int line;
	const char *message; /* a part of the message */
};

static const struct bad_case bad_cases[] = {
	{ "", 1, "title" },
	{ "Intro\n\n# T\n", 1, "starts with its title" },
	{ "## Customer\n", 1, "starts with its title" },
	{ "# T\n\nA paragraph.\n", 3, "come sections" },
	{ "# T\n\n**Team:** a · **Owners:** b\n", 3, "not an item" },
	{ "# T\n\nx **Team:** a\n", 3, "come sections" },
	{ "# T\n\n**Teams:** a\n", 3, "not one of them" },
	{ "# T\n\n**Team:** a · **Team:** b\n", 3, "Team appears twice" },
	{ "# T\n\n**Tags:** `a`, b\n", 3, "backticks" },
	{ "# T\n\n## Bogus\n", 3, "not a section" },
	{ "# T\n\n## Customer\n\n## Customer\n", 5, "first at line 3" },
	{ "# T\n\n# Again\n", 3, "one title" },
	{ "# T\n\n## Press release\n\ntext\n", 5, "### heading" },
	{ "# T\n\n## Press release\n\n### Teaser\n", 5, "\"Teaser\"" },
	{ "# T\n\n## Press release\n\n### Problem\n\nx\n\n### problem\n", 9,
	  "first at line 5" },
	{ "# T\n\n## Press release\n\n### Problem\n\none\ntwo *three*\n", 8,
	  "emphasis" },
	{ "# T\n\n## Press release\n\n### Problem\n\n- item\n", 7, "list" },
	{ "# T\n\n## Press release\n\n### Problem\n\n    code\n", 7,
	  "code block" },
	{ "# T\n\n## Press release\n\n### Problem\n\n> q\n", 7, "block quote" },
	{ "# T\n\n## Press release\n\n### Problem\n\n<div>x</div>\n", 7,
	  "raw HTML" },
	{ "# T\n\n## Press release\n\n### Problem\n\na `b`\n", 7, "code span" },
	{ "# T\n\n## Press release\n\n### Problem\n\n[a](b)\n", 7, "link" },
	{ "# T\n\n## Press release\n\n### Problem\n\n---\n", 7,
	  "horizontal rule" },
	{ "# T\n\n## Press release\n\n### Problem\n\n#### Deeper\n", 7,
	  "heading" },
	{ "# T\n\n## Press release\n\n### Leader quote\n\nWords\n", 7,
	  "block quote (> ...)" },
	{ "# T\n\n## External FAQ\n\nWhat?\n", 5, "### Q:" },
	{ "# T\n\n## External FAQ\n\n### What?\n", 5, "### Q:" },
	{ "# T\n\n## External FAQ\n\n### Q: x\n\n*(empty)*\n\nmore\n", 9,
	  "nothing may follow" },
	{ "# T\n\n## Appendix: Visuals\n\nA flow\n", 5, "bulleted list" },
	{ "# T\n\n## Appendix: Visuals\n\n1. **Title:** x\n", 5,
	  "bulleted list" },
	{ "# T\n\n## Appendix: Visuals\n\n- A flow\n", 5, "**Title:**" },
	{ "# T\n\n## Appendix: Visuals\n\n- **Title:** a\n\n  **Title:** b\n",
	  7, "twice" },
	{ "# T\n\nline\x01two\n", 3, "U+0001" },
	{ "# T\n\n\xC2\x85\n", 3, "U+0085" },
	{ "# T\n\n\xFF\n", 3, "UTF-8" },
	{ "# T\r\n\r\n\x7F\r\n", 3, "U+007F" },
};

static void
test_errors_name_the_line(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct prfaq_error err;
		json_t *body = NULL, *e;
		const char *msg;
		prfaq_code rc;

		prfaq_error_init(&err);
		rc = prfaq_markdown_parse(c->md, strlen(c->md), &body, NULL,
					  &err);
		if (rc != PRFAQ_EINVAL)
			fail_msg("case %zu parsed (%d):\n%s", i, rc, c->md);
		assert_null(body);
		assert_int_equal(err.code, PRFAQ_EINVAL);
		assert_true(json_array_size(err.errors) >= 1);
		e = json_array_get(err.errors, 0);
		msg = json_string_value(json_object_get(e, "message"));
		if (json_integer_value(json_object_get(e, "line")) != c->line ||
		    msg == NULL || strstr(msg, c->message) == NULL)
			fail_msg("case %zu: want line %d \"%s\", got %s\n%s", i,
				 c->line, c->message, dump(err.errors), c->md);
		/* The verdict does not depend on having an error to fill. */
		assert_int_equal(prfaq_markdown_parse(c->md, strlen(c->md),
						      &body, NULL, NULL),
				 PRFAQ_EINVAL);
		prfaq_error_clear(&err);
	}
}

/* 60 bad sections: 50 entries, then "truncated". */
static void
test_errors_truncated(void **state)
{
	struct prfaq_buf md = PRFAQ_BUF_INIT;
	struct prfaq_error err;
	json_t *body = NULL;

	(void)state;
	assert_int_equal(prfaq_buf_puts(&md, "# T\n"), 0);
	for (int i = 0; i < 60; i++)
		assert_int_equal(prfaq_buf_printf(&md, "\n## Bogus %d\n", i),
				 0);
	prfaq_error_init(&err);
	assert_int_equal(prfaq_markdown_parse(md.data, md.len, &body, NULL,
					      &err),
			 PRFAQ_EINVAL);
	assert_int_equal(json_array_size(err.errors), PRFAQ_ERRORS_MAX);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(err.errors, 49), "line")),
			 101);
	assert_true(err.truncated);
	prfaq_error_clear(&err);
	prfaq_buf_free(&md);
}

/* Validation errors about what was read get the line it was read from. */
static void
test_locate(void **state)
{
	static const char md[] =
		"# T\n\n**Tags:** `a`, `a`\n\n## Press release\n\n"
		"### Launch date\n\nMarch 1st\n\n## External FAQ\n\n"
		"### Q: ok\n\n### Q: a&#10;b\n";
	struct prfaq_error err;
	json_t *lines = NULL, *body = parse_ok(md, &lines), *e;
	size_t i;
	int found = 0;

	(void)state;
	prfaq_error_init(&err);
	assert_int_equal(prfaq_doc_validate(body, PRFAQ_DOC_REPLACE, &err),
			 PRFAQ_EINVAL);
	prfaq_markdown_locate(&err, lines);
	json_array_foreach(err.errors, i, e) {
		const char *ptr =
			json_string_value(json_object_get(e, "pointer"));
		json_int_t line =
			json_integer_value(json_object_get(e, "line"));

		if (strcmp(ptr, "/tags/1") == 0)
			assert_int_equal(line, 3), found++;
		else if (strcmp(ptr, "/content/press_release/launch_date") == 0)
			assert_int_equal(line, 7), found++;
	}
	/* Every entry has a line, the two known ones the right one. */
	json_array_foreach(err.errors, i, e)
		assert_true(json_integer_value(json_object_get(e, "line")) >=
			    1);
	assert_int_equal(found, 2);
	prfaq_error_clear(&err);
	json_decref(body);
	json_decref(lines);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authoring_layout),
		cmocka_unit_test(test_render_totality),
		cmocka_unit_test(test_openapi_example),
		cmocka_unit_test(test_authored),
		cmocka_unit_test(test_title_only),
		cmocka_unit_test(test_author_conveniences),
		cmocka_unit_test(test_read_only_ignored),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_errors_truncated),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_round_trip_edges),
		cmocka_unit_test(test_round_trip_metrics),
		cmocka_unit_test(test_metrics_errors),
		cmocka_unit_test(test_round_trip_corpora),
		cmocka_unit_test(test_round_trip_generated),
	};

	prfaq_alloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
