/*
 * quality.h - Working Backwards quality checks over a content object.
 * Pure, deterministic given the same content and options.
 */
#ifndef PRFAQ_QUALITY_H
#define PRFAQ_QUALITY_H

#include <jansson.h>
#include <stdbool.h>

struct prfaq_quality_opts {
	/* Today's date, "YYYY-MM-DD" (UTC); "" skips the launch-date-in-past rule. */
	char today[11];
};

/*
 * Check content (borrowed; NULL or non-object is treated as {}).  Returns a new
 * reference {"score": 0..100, "findings": [...], "stats": {...}}, or NULL when
 * memory runs out.  A finding is {"rule", "severity", "pointer", "message",
 * "points"} where points is what it cost (0 for info).
 */
json_t *prfaq_quality_check(const json_t *content,
			    const struct prfaq_quality_opts *opts);

/* New array of the findings with severity "error" (possibly empty). */
json_t *prfaq_quality_errors(const json_t *report);

/* Fill opts->today from the system clock. */
void prfaq_quality_opts_today(struct prfaq_quality_opts *opts);

#endif
