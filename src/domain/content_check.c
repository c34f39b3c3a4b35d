/*
 * content_check.c - the string rules of the document schema (see
 * content_internal.h): lengths in code points, control characters, blank
 * titles and tags, dates, URLs and duplicate tags.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "prfaq/content.h"
#include "prfaq/utf8.h"
#include "content_internal.h"

/* ------------------------------------------------------------------------ */
/* Text helpers                                                             */
/* ------------------------------------------------------------------------ */

/*
 * Only spaces (prfaq_utf8_is_space: Unicode White_Space, U+200B and U+FEFF),
 * so the title or tag would look empty.
 */
static bool
is_blank(const char *s, size_t len)
{
	prfaq_utf8_trim(&s, &len, prfaq_utf8_is_space);
	return len == 0;
}

static bool
is_leap(unsigned year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned
days_in_month(unsigned year, unsigned month)
{
	static const unsigned days[] = { 31, 28, 31, 30, 31, 30,
					 31, 31, 30, 31, 30, 31 };

	if (month == 2 && is_leap(year))
		return 29;
	return days[month - 1];
}

/* ------------------------------------------------------------------------ */
/* Checks                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * s must be at most max code points.  Reports and returns false otherwise.
 */
static bool
check_length(struct vctx *v, const char *s, size_t len, size_t max)
{
	size_t n;

	/* A code point takes at least a byte: short strings need no count. */
	if (len <= max)
		return true;
	n = prfaq_utf8_length(s, len);
	if (n <= max)
		return true;
	vctx_report(v, "must be at most %zu characters (got %zu)", max, n);
	return false;
}

/* The one text check (prfaq_text_refused), reported at the field. */
static bool
check_controls(struct vctx *v, const char *s, size_t len,
	       enum prfaq_text_kind kind)
{
	char why[128];

	if (!prfaq_text_refused(s, len, kind, why, sizeof why))
		return true;
	vctx_report(v, "%s", why);
	return false;
}

/*
 * "YYYY-MM-DD" naming a day that exists.  "" is accepted: like every other
 * content string, a launch date may be left empty while drafting.
 */
static void
check_date(struct vctx *v, const char *s, size_t len)
{
	unsigned year, month, day, dim;

	if (len == 0)
		return;
	if (len != 10 || s[4] != '-' || s[7] != '-')
		goto bad_form;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			goto bad_form;
	year = (unsigned)(s[0] - '0') * 1000 + (unsigned)(s[1] - '0') * 100 +
	       (unsigned)(s[2] - '0') * 10 + (unsigned)(s[3] - '0');
	month = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
	day = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
	if (month < 1 || month > 12) {
		vctx_report(v, "must be a real calendar date in YYYY-MM-DD "
			       "form (month must be 01 to 12)");
		return;
	}
	dim = days_in_month(year, month);
	if (day < 1 || day > dim)
		vctx_report(v,
			    "must be a real calendar date in YYYY-MM-DD "
			    "form (%.7s has %u days)",
			    s, dim);
	return;

bad_form:
	vctx_report(v, "must be a date in YYYY-MM-DD form");
}

/*
 * An absolute http:// or https:// URL (scheme in any case) with a non-empty
 * host, and no whitespace, control character or backslash anywhere: browsers
 * read a backslash as a slash, so "https://a.example\@b.example" would not
 * go where it seems to.  "" is accepted as "not filled in yet".
 */
static void
check_url(struct vctx *v, const char *s, size_t len)
{
	size_t off, end, host, i;

	if (len == 0)
		return;
	if (len >= 7 && strncasecmp(s, "http://", 7) == 0)
		off = 7;
	else if (len >= 8 && strncasecmp(s, "https://", 8) == 0)
		off = 8;
	else {
		vctx_report(v, "must be an absolute http:// or https:// URL");
		return;
	}
	i = 0;
	while (i < len) {
		uint32_t cp = prfaq_utf8_next(s, len, &i);

		if (prfaq_utf8_is_control(cp) || prfaq_utf8_is_space(cp) ||
		    cp == '\\') {
			vctx_report(v, "must not contain whitespace, control "
				       "characters or backslashes");
			return;
		}
	}

	/* The authority runs to the first "/", "?" or "#". */
	for (end = off; end < len; end++)
		if (s[end] == '/' || s[end] == '?' || s[end] == '#')
			break;
	/* The host follows any userinfo (up to the last "@")... */
	host = off;
	for (i = off; i < end; i++)
		if (s[i] == '@')
			host = i + 1;
	/* ...and ends at the port, unless it is an IPv6 literal. */
	if (host < end && s[host] == '[') {
		if (host + 1 < end && s[host + 1] != ']')
			return;
	} else if (host < end && s[host] != ':') {
		return;
	}
	vctx_report(v, "must be an absolute http:// or https:// URL with a "
		       "host");
}

/* A string field of kind FIELD_TEXT, FIELD_DATE or FIELD_URL. */
void
content_check_string(struct vctx *v, const json_t *value, const struct field *f)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	switch (f->kind) {
	case FIELD_DATE:
		check_date(v, s, len);
		break;
	case FIELD_URL:
		if (check_length(v, s, len, f->max))
			check_url(v, s, len);
		break;
	default:
		if (check_length(v, s, len, f->max))
			check_controls(v, s, len, PRFAQ_TEXT_LONG);
		break;
	}
}

void
content_check_title(struct vctx *v, const json_t *value)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	if (len == 0)
		vctx_report(v, "must not be empty");
	else if (is_blank(s, len))
		vctx_report(v, "must not be blank (only whitespace)");
	else if (check_length(v, s, len, PRFAQ_TITLE_MAX))
		check_controls(v, s, len, PRFAQ_TEXT_NAME);
}

/* A name of at most max code points (team): one line, no bidi controls. */
void
content_check_line(struct vctx *v, const json_t *value, size_t max)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	if (check_length(v, s, len, max))
		check_controls(v, s, len, PRFAQ_TEXT_NAME);
}

/* A multi-line string of at most max code points (change_note). */
void
content_check_text(struct vctx *v, const json_t *value, size_t max)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	if (check_length(v, s, len, max))
		check_controls(v, s, len, PRFAQ_TEXT_LONG);
}

/*
 * One tag: a one-line, non-blank string.  Returns true when it is valid, so
 * only valid tags take part in the duplicate check.
 */
static bool
check_tag(struct vctx *v, const json_t *value)
{
	const char *s;
	size_t len;

	if (!json_is_string(value)) {
		vctx_report(v, "must be a string");
		return false;
	}
	s = json_string_value(value);
	len = json_string_length(value);
	if (len == 0) {
		vctx_report(v, "must not be empty");
		return false;
	}
	if (is_blank(s, len)) {
		vctx_report(v, "must not be blank (only whitespace)");
		return false;
	}
	return check_length(v, s, len, PRFAQ_TAG_MAX) &&
	       check_controls(v, s, len, PRFAQ_TEXT_NAME);
}

/*
 * Tags: at most PRFAQ_TAGS_MAX valid, distinct strings.  Duplicates are
 * compared byte for byte (the list is short, so quadratic is fine); the
 * second occurrence is the one reported.
 */
void
content_check_tags(struct vctx *v, const json_t *tags)
{
	size_t n;

	if (!json_is_array(tags)) {
		vctx_report(v, "must be an array of strings");
		return;
	}
	n = json_array_size(tags);
	if (n > PRFAQ_TAGS_MAX) {
		vctx_report(v, "must have at most %d entries (got %zu)",
			    PRFAQ_TAGS_MAX, n);
		n = PRFAQ_TAGS_MAX;
	}
	for (size_t i = 0; i < n && !v->stop; i++) {
		const json_t *tag = json_array_get(tags, i);
		size_t mark = vctx_push_index(v, i);

		if (v->stop)
			break;
		if (check_tag(v, tag)) {
			for (size_t j = 0; j < i; j++) {
				if (json_equal(tag, json_array_get(tags, j))) {
					vctx_report(v,
						    "duplicate tag: same as "
						    "/tags/%zu",
						    j);
					break;
				}
			}
		}
		vctx_pop(v, mark);
	}
}
