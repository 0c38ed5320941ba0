/* narration.c: prose to styled blocks, from cmark's tree (see narration.h). */
#include "config.h"

#include <string.h>

#include <cmark.h>

#include "narration.h"
#include "util.h"

typedef struct {
	narration *n;
	const char *md;
	int last_end;           /* source line the last block ended on */
	bool failed;
} builder;

static narr_block *new_block(builder *b, narr_kind kind, int level, cmark_node *node, int end)
{
	narr_block *v, *bl;
	int start = cmark_node_get_start_line(node);

	v = ys_realloc(b->n->blocks, (b->n->n + 1) * sizeof *v);
	if (!v) {
		b->failed = true;
		return NULL;
	}
	b->n->blocks = v;
	bl = &v[b->n->n++];
	memset(bl, 0, sizeof *bl);
	bl->kind = kind;
	bl->level = level;
	bl->gap = b->n->n > 1 && start > b->last_end + 1;
	b->last_end = end > start ? end : start;
	return bl;
}

static void add_span(builder *b, narr_block *bl, unsigned style, const char *s, size_t len)
{
	narr_span *v;

	if (!bl || len == 0)
		return;
	/* Text in the same style runs on as one span. */
	if (bl->nspans && bl->spans[bl->nspans - 1].style == style) {
		narr_span *sp = &bl->spans[bl->nspans - 1];
		size_t old = strlen(sp->text);
		char *t = ys_realloc(sp->text, old + len + 1);
		if (!t) {
			b->failed = true;
			return;
		}
		memcpy(t + old, s, len);
		t[old + len] = '\0';
		sp->text = t;
		return;
	}
	v = ys_realloc(bl->spans, (bl->nspans + 1) * sizeof *v);
	if (!v) {
		b->failed = true;
		return;
	}
	bl->spans = v;
	v[bl->nspans].style = style;
	v[bl->nspans].text = ys_strndup(s, len);
	if (!v[bl->nspans].text) {
		b->failed = true;
		return;
	}
	bl->nspans++;
}

/* Text without its HTML comments. */
static void add_uncommented(builder *b, narr_block *bl, unsigned style, const char *s)
{
	const char *open, *close;

	while ((open = strstr(s, "<!--")) != NULL) {
		add_span(b, bl, style, s, (size_t)(open - s));
		close = strstr(open + 4, "-->");
		if (!close)
			return;
		s = close + 3;
	}
	add_span(b, bl, style, s, strlen(s));
}

static void inlines(builder *b, narr_block *bl, cmark_node *node, unsigned style)
{
	cmark_node *c;

	for (c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			add_span(b, bl, style, lit ? lit : "", lit ? strlen(lit) : 0);
			break;
		case CMARK_NODE_CODE:
			add_span(b, bl, style | NS_CODE, lit ? lit : "", lit ? strlen(lit) : 0);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			add_span(b, bl, style, " ", 1);
			break;
		case CMARK_NODE_HTML_INLINE:
			if (lit)
				add_uncommented(b, bl, style, lit);
			break;
		case CMARK_NODE_EMPH:
			inlines(b, bl, c, style | NS_EMPH);
			break;
		case CMARK_NODE_STRONG:
			inlines(b, bl, c, style | NS_STRONG);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			inlines(b, bl, c, style | NS_LINK);
			break;
		default:
			inlines(b, bl, c, style);
			break;
		}
	}
}

/* An item's marker as the source writes it: "-", "*", "3.". */
static void item_marker(builder *b, cmark_node *item, narr_block *bl)
{
	int line = cmark_node_get_start_line(item), col = cmark_node_get_start_column(item);
	const char *s = b->md;
	size_t k = 0;

	while (line > 1 && *s)
		if (*s++ == '\n')
			line--;
	for (; col > 1 && *s && *s != '\n'; col--)
		s++;
	while (*s == ' ')
		s++;
	while (s[k] && s[k] != ' ' && s[k] != '\n' && k + 1 < sizeof bl->marker)
		k++;
	memcpy(bl->marker, s, k);
	bl->marker[k] = '\0';
}

/* The lines an HTML block's literal takes: cmark's end line for HTML
 * blocks is unreliable. */
static int literal_end(cmark_node *node, const char *lit)
{
	int end = cmark_node_get_start_line(node);
	const char *p;

	for (p = lit; *p; p++)
		if (*p == '\n' && p[1])
			end++;
	return end;
}

static void blocks(builder *b, cmark_node *node, int depth, bool quoted)
{
	cmark_node *c;

	for (c = cmark_node_first_child(node); c && !b->failed; c = cmark_node_next(c)) {
		cmark_node *parent = cmark_node_parent(c);
		const char *lit = cmark_node_get_literal(c);
		narr_block *bl;

		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_PARAGRAPH:
			if (cmark_node_get_type(parent) == CMARK_NODE_ITEM &&
			    cmark_node_first_child(parent) == c) {
				bl = new_block(b, NB_ITEM, depth - 1, c, cmark_node_get_end_line(c));
				if (bl)
					item_marker(b, parent, bl);
			} else {
				bl = new_block(b, quoted ? NB_QUOTE : NB_PARAGRAPH, depth, c,
				               cmark_node_get_end_line(c));
			}
			inlines(b, bl, c, 0);
			break;
		case CMARK_NODE_HEADING:
			bl = new_block(b, NB_HEADING, cmark_node_get_heading_level(c), c,
			               cmark_node_get_end_line(c));
			inlines(b, bl, c, 0);
			break;
		case CMARK_NODE_CODE_BLOCK:
			/* Lines as written, under the quote or item it sits in;
			 * cmark's end line counts a closing fence. */
			if (!lit)
				break;
			bl = new_block(b, NB_CODE, depth, c, cmark_node_get_end_line(c));
			if (bl)
				bl->quoted = quoted;
			add_span(b, bl, NS_CODE, lit, strlen(lit));
			if (bl && bl->nspans == 0)
				b->n->n--;
			break;
		case CMARK_NODE_HTML_BLOCK:
			if (!lit)
				break;
			bl = new_block(b, NB_HTML, depth, c, literal_end(c, lit));
			add_uncommented(b, bl, 0, lit);
			/* Nothing but comments: no block. */
			if (bl && bl->nspans == 0)
				b->n->n--;
			break;
		case CMARK_NODE_LIST:
			blocks(b, c, depth, quoted);
			break;
		case CMARK_NODE_ITEM:
			blocks(b, c, depth + 1, quoted);
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			blocks(b, c, depth + 1, true);
			break;
		default:
			break;
		}
	}
}

narration *narration_parse(const char *md, bool *failed)
{
	builder b = {0};
	cmark_node *doc;

	if (!md || !*md)
		return NULL;
	b.md = md;
	b.n = ys_calloc(1, sizeof *b.n);
	doc = b.n ? cmark_parse_document(md, strlen(md), CMARK_OPT_SOURCEPOS) : NULL;
	if (!doc) {
		b.failed = true;
	} else {
		blocks(&b, doc, 0, false);
		cmark_node_free(doc);
	}
	if (!b.failed) {
		static unsigned long last_id;
		b.n->id = ++last_id;
	}
	if (b.failed) {
		narration_free(b.n);
		if (failed)
			*failed = true;
		return NULL;
	}
	return b.n;
}

void narration_free(narration *n)
{
	size_t i, k;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		for (k = 0; k < n->blocks[i].nspans; k++)
			ys_free(n->blocks[i].spans[k].text);
		ys_free(n->blocks[i].spans);
	}
	ys_free(n->blocks);
	ys_free(n);
}
