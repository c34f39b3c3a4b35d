/*
 * learning.h - the rules of a learning: what a launched, rejected or
 * archived PR/FAQ taught (API.md, "Closing the loop").  Pure code: no HTTP,
 * no database; unit-tested alone.
 *
 * A learning as sent:
 *   {"expected"?: str, "observed"?: str, "lesson": str, "tags"?: [str]}
 * expected, observed and lesson are long text (newlines allowed) of 1 to
 * PRFAQ_LEARNING_TEXT_MAX characters; expected and observed may be null
 * (absent); tags follow the document's tag rules (at most 20 distinct
 * one-line tags of at most 50 characters).
 */
#ifndef PRFAQ_LEARNING_H
#define PRFAQ_LEARNING_H

#include <jansson.h>

#include "prfaq/error.h"

/*
 * The longest expected, observed or lesson, in characters: a lesson is a
 * paragraph or two, and 4,000 keeps a page of 100 of them under 2 MB.
 */
#define PRFAQ_LEARNING_TEXT_MAX 4000

/*
 * Validate a learning body (borrowed): every problem goes to err at its
 * pointer ("/lesson", "/tags/1", "/extra" for an unknown member).  Returns
 * PRFAQ_OK, PRFAQ_EINVAL or PRFAQ_ENOMEM.
 */
prfaq_code prfaq_learning_validate(const json_t *body, struct prfaq_error *err);

#endif
