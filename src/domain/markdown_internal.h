/*
 * markdown_internal.h - what the Markdown parser's files share: its state
 * and the helpers each part of the walk uses (see markdown_parse.c).
 */
#ifndef PRFAQ_MARKDOWN_INTERNAL_H
#define PRFAQ_MARKDOWN_INTERNAL_H

#include <cmark.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "prfaq/buf.h"
#include "prfaq/error.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The sections of the layout; each may appear once. */
enum section {
	SEC_PRESS,
	SEC_CUSTOMER,
	SEC_FAQ,
	SEC_FAQ_EXTERNAL,
	SEC_FAQ_INTERNAL,
	SEC_VISUALS,
	SEC_DECISION, /* read-only: skipped */
	SEC_COUNT_
};

/* A member of a section: its heading label and its key in the content. */
struct member {
	const char *label;
	const char *key;
	bool quote; /* {text, speaker} rather than text */
};

/* The parser's state, one per parse. */
struct mdp {
	struct prfaq_error *err;      /* borrowed; may be NULL */
	bool failed;		      /* some layout problem was found */
	json_t *body;		      /* {title, team?, tags, content} */
	json_t *content;	      /* borrowed from body */
	json_t *lines;		      /* pointer -> line */
	int section_line[SEC_COUNT_]; /* where each section was seen, or 0 */
	struct prfaq_buf text;	      /* scratch for one member's text */
};

/* "Press release, Customer, ...": the sections, for messages. */
extern const char md_sections_hint[];

/* ---- markdown_parse.c: problems and members */

void md_report(struct mdp *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void md_note_line(struct mdp *p, const char *pointer, int line);

int md_line_of(const struct mdp *p, const char *pointer);

void md_put(struct mdp *p, json_t *obj, const char *key, json_t *value,
	    const char *pointer, int line);

json_t *md_text_value(struct mdp *p);

/* ---- markdown_text.c: reading text and the meta line */

bool md_is_type(cmark_node *n, cmark_node_type t);

bool md_is_heading_upto(cmark_node *n, int level);

bool md_read_inlines(struct mdp *p, cmark_node *block, cmark_node *first,
		     cmark_node *stop, struct prfaq_buf *out);

bool md_read_block_text(struct mdp *p, cmark_node *block,
			struct prfaq_buf *out);

const char *md_block_problem(cmark_node *n);

bool md_is_marker(cmark_node *block, const char *marker);

cmark_node *md_read_paragraphs(struct mdp *p, cmark_node *n, size_t *count);

bool md_label_is(const char *s, size_t n, const char *label);

bool md_heading_text(struct mdp *p, cmark_node *h);

const char *md_strong_label(cmark_node *n);

void md_drop_lead_space(struct prfaq_buf *b);

void md_read_meta(struct mdp *p, cmark_node *para);

/* ---- markdown_sections.c: sections */

cmark_node *md_skip_to_heading(cmark_node *n, int level);

cmark_node *md_read_section(struct mdp *p, cmark_node *h);

#endif /* PRFAQ_MARKDOWN_INTERNAL_H */
