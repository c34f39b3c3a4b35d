/*
 * negotiate.c - Accept and entity-tag parsing (RFC 9110 sections 12.5.1 and
 * 13.1).  Small, strict, and allocation-free.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Parse "q=0.5" style weight (0..1000); 1000 when absent or malformed. */
static int
parse_q(const char *params, const char *end)
{
	const char *p = params;

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *stop = semi ? semi : end;

		p = skip_ws(p);
		if (stop - p >= 2 && (p[0] == 'q' || p[0] == 'Q') &&
		    p[1] == '=') {
			int q = 0, scale = 1000;

			p += 2;
			if (p < stop && (*p == '0' || *p == '1')) {
				q = (*p - '0') * 1000;
				p++;
				if (p < stop && *p == '.') {
					for (p++; p < stop && *p >= '0' &&
						  *p <= '9' && scale > 1;
					     p++) {
						scale /= 10;
						q += (*p - '0') * scale;
					}
				}
				return q > 1000 ? 1000 : q;
			}
			return 1000;
		}
		p = semi ? semi + 1 : end;
	}
	return 1000;
}

int
prfaq_req_negotiate(const struct prfaq_request *req, const char *const *offers,
		    int n)
{
	const char *accept = prfaq_req_header(req, "Accept");
	int best = -1, best_q = 0;

	if (accept == NULL || *skip_ws(accept) == '\0')
		return 0;
	for (int i = 0; i < n; i++) {
		const char *slash = strchr(offers[i], '/');
		size_t tlen = (size_t)(slash - offers[i]);
		int q = -1,
		    spec = -1; /* the most specific matching range wins */

		for (const char *p = accept; *p != '\0';) {
			const char *comma = strchr(p, ','), *end, *semi, *mt;
			size_t mlen;
			int s = -1;

			end = comma ? comma : p + strlen(p);
			mt = skip_ws(p);
			semi = memchr(mt, ';', (size_t)(end - mt));
			mlen = (size_t)((semi ? semi : end) - mt);
			while (mlen > 0 &&
			       (mt[mlen - 1] == ' ' || mt[mlen - 1] == '\t'))
				mlen--;
			if (mlen == 3 && memcmp(mt, "*/*", 3) == 0)
				s = 0;
			else if (mlen == tlen + 2 &&
				 strncasecmp(mt, offers[i], tlen) == 0 &&
				 mt[tlen] == '/' && mt[tlen + 1] == '*')
				s = 1;
			else if (mlen == strlen(offers[i]) &&
				 strncasecmp(mt, offers[i], mlen) == 0)
				s = 2;
			if (s > spec) {
				spec = s;
				q = parse_q(semi ? semi + 1 : end, end);
			}
			p = comma ? comma + 1 : end;
		}
		if (q > best_q) {
			best_q = q;
			best = i;
		}
	}
	return best;
}

bool
prfaq_etag_matches(const char *header, int version, const char *variant)
{
	size_t vlen = strlen(variant);
	const char *p = header;

	if (header == NULL)
		return false;
	p = skip_ws(p);
	if (*p == '*')
		return true;
	while (*p != '\0') {
		char *end;
		long v;

		p = skip_ws(p);
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p == '"') {
			v = strtol(p + 1, &end, 10);
			if (end != p + 1 && v == version &&
			    strncmp(end, variant, vlen) == 0 &&
			    end[vlen] == '"')
				return true;
		}
		p = strchr(p, ',');
		if (p == NULL)
			break;
		p++;
	}
	return false;
}

/* An etagc (RFC 9110 8.8.3): a visible character other than '"', or obs-text. */
static bool
etagc(char c)
{
	unsigned char u = (unsigned char)c;

	return u == 0x21 || (u >= 0x23 && u <= 0x7e) || u >= 0x80;
}

/*
 * Is s a list of entity tags (RFC 9110 8.8.3, lists as in 5.6.1: empty
 * elements are skipped, at least one tag is needed)?
 */
static bool
etag_list_valid(const char *s)
{
	size_t tags = 0;

	for (;;) {
		s = skip_ws(s);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\0')
			return tags > 0;
		if (strncmp(s, "W/", 2) == 0)
			s += 2;
		if (*s++ != '"')
			return false;
		while (etagc(*s))
			s++;
		if (*s++ != '"')
			return false;
		tags++;
		s = skip_ws(s);
		if (*s != ',' && *s != '\0')
			return false;
	}
}

/*
 * Classify If-Match (see include/prfaq/http.h); *version is set only for
 * PRFAQ_IF_MATCH_VERSION.
 */
enum prfaq_if_match
prfaq_req_if_match(const struct prfaq_request *req, int *version)
{
	const char *h = prfaq_req_header(req, "If-Match");
	char *end;
	long v;

	if (h == NULL)
		return PRFAQ_IF_MATCH_ABSENT;
	h = skip_ws(h);
	if (h[0] == '*' && *skip_ws(h + 1) == '\0')
		return PRFAQ_IF_MATCH_ANY;
	/*
	 * If-Match compares strongly: a weak tag never matches (RFC 9110
	 * 13.1.1).  The number is read with strtol, which also takes " 3" and
	 * "+3" for 3, as it always has.
	 */
	if (*h == '"') {
		v = strtol(h + 1, &end, 10);
		if (end != h + 1 && *end == '"' && *skip_ws(end + 1) == '\0' &&
		    v >= 1 && v <= INT_MAX) {
			*version = (int)v;
			return PRFAQ_IF_MATCH_VERSION;
		}
	}
	return etag_list_valid(h) ? PRFAQ_IF_MATCH_OTHER :
				    PRFAQ_IF_MATCH_MALFORMED;
}
