/* narration.h: a lesson's prose as styled blocks, parsed once from
 * cmark's tree when the lesson is loaded, for every renderer: the Lesson
 * pane (view_markdown in tui_lines.c) and the handout (transcript.c).
 *
 * A block is a paragraph, a heading, a list item, a quoted paragraph, a
 * code block (in a quote or an item: the lesson's own fences are steps) or
 * the text of an HTML block (its comments dropped, as a browser drops
 * them); its inline text is spans, each in one style. No curses here.
 */
#ifndef YS_NARRATION_H
#define YS_NARRATION_H

#include <stdbool.h>
#include <stddef.h>

/* Style bits of a span. */
enum {
	NS_EMPH = 1 << 0,       /* *emphasis* */
	NS_STRONG = 1 << 1,     /* **strong** */
	NS_CODE = 1 << 2,       /* `code` */
	NS_LINK = 1 << 3,       /* the text of a [link](url) */
};

typedef struct {
	unsigned style;         /* NS_* */
	char *text;             /* UTF-8; a soft line break is a space */
} narr_span;

typedef enum {
	NB_PARAGRAPH,
	NB_HEADING,
	NB_ITEM,                /* a list item's first paragraph */
	NB_QUOTE,               /* a paragraph inside a block quote */
	NB_HTML,                /* raw text of an HTML block */
	NB_CODE,                /* a code block inside a quote or a list
	                           item: its lines as written, one NS_CODE span */
} narr_kind;

typedef struct {
	narr_kind kind;
	int level;              /* heading: 1-6; else how deep in lists and
	                           quotes it sits (0: at the top) */
	char marker[16];        /* an item's marker as written ("-", "3.") */
	bool gap;               /* a blank line stands before it in the source */
	bool quoted;            /* inside a block quote (NB_CODE) */
	narr_span *spans;
	size_t nspans;
} narr_block;

typedef struct {
	narr_block *blocks;
	size_t n;
	unsigned long id;       /* unique among the narrations parsed: a
	                           renderer's cache key (never reused, as an
	                           address may be) */
} narration;

/* The blocks of Markdown text md (NULL when md is NULL or empty, or out
 * of memory: then *failed is set when failed is not NULL). */
narration *narration_parse(const char *md, bool *failed);
void narration_free(narration *n);

#endif
