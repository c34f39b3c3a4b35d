/*
 * test_evidence_views.c - where linked evidence shows: the PR/FAQ list's
 * sort=evidence (most linked first, pages that neither skip nor repeat,
 * refused with q, a review queue or an unknown sort), and the HTML page's evidence
 * appendix (anecdotes quoted with their source, requests and data listed,
 * everything escaped, an ETag that follows the links) while the Markdown
 * rendering stays exactly as it was.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_server srv;
static char *author;

static int
setup(void **state)
{
	(void)state;
	if (h_start(&srv, NULL) != 0)
		return -1;
	author = h_user(&srv, "author", "\"author\"", NULL);
	return author != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	h_stop(&srv);
	free(author);
	return 0;
}

static void
new_prfaq(const char *title, char *id_out)
{
	struct h_resp r;

	assert_int_equal(h_reqf(&srv, "POST", "/v1/prfaqs", author, &r,
				"{\"title\":\"%s\",\"content\":{\"press_"
				"release\":{\"headline\":\"%s\",\"problem\":"
				"\"Carts get lost at checkout.\"}}}",
				title, title),
			 0);
	assert_status(&r, 201);
	snprintf(id_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
}

static void
new_evidence(const char *body, char *id_out)
{
	struct h_resp r;

	assert_int_equal(h_reqf(&srv, "POST", "/v1/evidence", author, &r, "%s",
				body),
			 0);
	assert_status(&r, 201);
	snprintf(id_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
}

static void
link_to(const char *prfaq, const char *evidence, char *link_out)
{
	struct h_resp r;
	char path[128];

	snprintf(path, sizeof(path), "/v1/prfaqs/%s/evidence", prfaq);
	assert_int_equal(h_reqf(&srv, "POST", path, author, &r,
				"{\"evidence_id\":\"%s\"}", evidence),
			 0);
	assert_status(&r, 201);
	if (link_out != NULL)
		snprintf(link_out, 40, "%s", JS(&r, "id"));
	h_resp_free(&r);
}

/*
 * Five PR/FAQs linked 3, 2, 2, 0 and 1 times: sort=evidence pages through
 * them 3, 2, 2, 1, 0 (ties newest id first), two at a time, each once.
 */
static void
test_sort_evidence(void **state)
{
	static const int links[5] = { 3, 2, 2, 0, 1 };
	char p[5][40], e[3][40], path[256], next[256], seen[5][40];
	struct h_resp r;
	int n = 0;
	(void)state;

	for (int i = 0; i < 3; i++) {
		char body[128];

		snprintf(body, sizeof(body),
			 "{\"kind\":\"request\",\"text\":\"Sort %d\"}", i);
		new_evidence(body, e[i]);
	}
	for (int i = 0; i < 5; i++) {
		char title[32];

		snprintf(title, sizeof(title), "Sorted %d", i);
		new_prfaq(title, p[i]);
		for (int k = 0; k < links[i]; k++)
			link_to(p[i], e[k], NULL);
	}
	snprintf(path, sizeof(path), "/v1/prfaqs?sort=evidence&limit=2");
	for (;;) {
		json_t *it;
		size_t i;

		assert_int_equal(
			h_req(&srv, "GET", path, author, NULL, NULL, &r), 0);
		assert_status(&r, 200);
		json_array_foreach(J(&r, "items"), i, it) {
			assert_true(n < 5);
			snprintf(seen[n++], 40, "%s",
				 json_string_value(json_object_get(it, "id")));
		}
		if (h_link_next(&r, next, sizeof(next)) == NULL) {
			h_resp_free(&r);
			break;
		}
		snprintf(path, sizeof(path), "%s", next);
		h_resp_free(&r);
	}
	assert_int_equal(n, 5);
	assert_string_equal(seen[0], p[0]);
	/* The two with two links, newest id first. */
	assert_string_equal(seen[1], strcmp(p[1], p[2]) > 0 ? p[1] : p[2]);
	assert_string_equal(seen[2], strcmp(p[1], p[2]) > 0 ? p[2] : p[1]);
	assert_string_equal(seen[3], p[4]);
	assert_string_equal(seen[4], p[3]);

	/* Unlinking moves it down: the counts follow the links. */
	assert_int_equal(h_sql_count(&srv, "SELECT sum(links) FROM "
					   "prfaq_evidence_counts"),
			 8);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/prfaqs?sort=evidence&status=draft&limit=1",
			       author, NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(J(&r, "items"), 0), "id")),
			    p[0]);
	h_resp_free(&r);

	assert_int_equal(h_req(&srv, "GET", "/v1/prfaqs?sort=evidence&q=carts",
			       author, NULL, NULL, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET",
			       "/v1/prfaqs?sort=evidence&awaiting=me", author,
			       NULL, NULL, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/prfaqs?sort=links", author,
			       NULL, NULL, &r),
			 0);
	assert_problem(&r, 400);
	h_resp_free(&r);
	assert_int_equal(h_req(&srv, "GET", "/v1/prfaqs?sort=updated", author,
			       NULL, NULL, &r),
			 0);
	assert_status(&r, 200);
	h_resp_free(&r);
}

static void
get_as(const char *id, const char *accept, const char *inm, struct h_resp *r)
{
	char path[128], a[64], m[128];
	const char *hd[3] = { a, NULL, NULL };

	snprintf(path, sizeof(path), "/v1/prfaqs/%s", id);
	snprintf(a, sizeof(a), "Accept: %s", accept);
	if (inm != NULL) {
		snprintf(m, sizeof(m), "If-None-Match: %s", inm);
		hd[1] = m;
	}
	assert_int_equal(h_req(&srv, "GET", path, author, hd, NULL, r), 0);
}

/*
 * The HTML page ends with the linked evidence, escaped; Markdown is the
 * same before and after linking, and PUT of it is still a no-op.
 */
static void
test_html_appendix(void **state)
{
	char p[40], a[40], q[40], d[40], l[40], etag[64], etag2[64];
	struct h_resp r;
	char *md_before;
	const char *end;
	(void)state;

	new_prfaq("Appendix", p);
	get_as(p, "text/markdown", NULL, &r);
	assert_status(&r, 200);
	md_before = strdup(r.body);
	h_resp_free(&r);
	get_as(p, "text/html", NULL, &r);
	assert_status(&r, 200);
	assert_null(strstr(r.body, "Customer evidence"));
	assert_string_equal(h_header(&r, "ETag", etag, sizeof(etag)),
			    "\"1.html\"");
	h_resp_free(&r);

	new_evidence("{\"kind\":\"anecdote\",\"text\":\"I lost my cart "
		     "<script>alert(1)</script> twice & gave up.\","
		     "\"sentiment\":\"negative\",\"source\":\"zendesk\","
		     "\"url\":\"https://support.example/T-9?a=1&b=2\","
		     "\"customer\":{\"name\":\"Ana\",\"segment\":\"SMB\"}}",
		     a);
	new_evidence("{\"kind\":\"request\",\"text\":\"Save my cart for "
		     "later.\",\"source\":\"interview\"}",
		     q);
	new_evidence("{\"kind\":\"data\",\"text\":\"Cart abandonment\","
		     "\"value\":71.5,\"unit\":\"%\",\"source\":\"analytics\","
		     "\"observed_on\":\"2026-11-30\"}",
		     d);
	link_to(p, a, l);
	link_to(p, q, NULL);
	link_to(p, d, NULL);

	get_as(p, "text/html", NULL, &r);
	assert_status(&r, 200);
	assert_non_null(
		strstr(r.body, "<section class=\"evidence new-page\">"));
	assert_non_null(strstr(r.body, "<blockquote><p>I lost my cart "
				       "&lt;script&gt;alert(1)&lt;/script&gt; "
				       "twice &amp; gave up.</p>"));
	assert_non_null(strstr(r.body, "— Ana, SMB · <a href=\"https://"
				       "support.example/T-9?a=1&amp;b=2\">"
				       "zendesk</a> · negative"));
	assert_non_null(strstr(r.body, "<span class=\"text\">Save my cart for "
				       "later.</span>"));
	assert_non_null(strstr(r.body, "<span class=\"value\">71.5%</span>"));
	assert_null(strstr(r.body, "<script>"));
	/* The appendix is the page's last section. */
	end = strstr(r.body, "</section>\n</article>");
	assert_non_null(end);
	assert_true(strstr(r.body, "Customer evidence") < end);
	assert_non_null(h_header(&r, "ETag", etag, sizeof(etag)));
	assert_string_not_equal(etag, "\"1.html\"");
	h_resp_free(&r);

	/* Its ETag holds until the evidence changes. */
	get_as(p, "text/html", etag, &r);
	assert_status(&r, 304);
	h_resp_free(&r);
	{
		char path[128];

		snprintf(path, sizeof(path), "/v1/prfaqs/%s/evidence/%s", p, l);
		assert_int_equal(
			h_req(&srv, "DELETE", path, author, NULL, NULL, &r), 0);
		assert_status(&r, 204);
		h_resp_free(&r);
	}
	get_as(p, "text/html", etag, &r);
	assert_status(&r, 200);
	assert_null(strstr(r.body, "I lost my cart"));
	assert_non_null(h_header(&r, "ETag", etag2, sizeof(etag2)));
	assert_string_not_equal(etag, etag2);
	h_resp_free(&r);

	/* Markdown: unchanged by the links. */
	get_as(p, "text/markdown", NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(r.body, md_before);
	assert_null(strstr(r.body, "Cart abandonment"));
	h_resp_free(&r);
	free(md_before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_evidence),
		cmocka_unit_test(test_html_appendix),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
