/* view_channel.c: the Channel pane: the delegation chain through the
 * selected generator, caller ⇄ outer ⇄ … ⇄ inner, with what went down
 * (next, a value sent, an exception thrown, close) and what came up (a
 * value yielded, a return value ending a yield from, an exception) at
 * every hop in the last step. During the live flow only the events so far
 * are shown, the newest one lit.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

#define MAX_CHAIN 12

/* The generator that delegates to g (whose delegate is g's label). */
static const snap_gen *parent_of(const snap_step *st, const snap_gen *g)
{
	size_t i;

	for (i = 0; i < st->ngens; i++)
		if (st->gens[i].delegate && g->label &&
		    strcmp(st->gens[i].delegate, g->label) == 0 && &st->gens[i] != g)
			return &st->gens[i];
	return NULL;
}

/* Does event e concern chain node g at position pos? By label when the
 * event has one, else by function and depth. */
static bool event_is(const snap_event *e, const snap_gen *g, int pos)
{
	if (e->label && g->label)
		return strcmp(e->label, g->label) == 0;
	return e->function && g->function && strcmp(e->function, g->function) == 0 &&
	       e->depth == pos;
}

typedef struct {
	const snap_event *down, *up;
	size_t down_i, up_i;
} hop;

static char *down_text(const snap_event *e)
{
	switch (e->how) {
	case SNAP_HOW_NEXT: return ys_strdup("next()");
	case SNAP_HOW_SEND: return ys_asprintf("send(%s)", e->value ? e->value : "?");
	case SNAP_HOW_THROW: return ys_asprintf("throw(%s)", e->value ? e->value : "?");
	case SNAP_HOW_CLOSE: return ys_strdup("close()");
	case SNAP_HOW_UNKNOWN: break;
	}
	return e->value ? ys_asprintf("resumed with %s", e->value) : ys_strdup("resumed");
}

static char *up_text(const snap_event *e, view_role *role)
{
	switch (e->event) {
	case SNAP_EV_YIELD:
		*role = R_UP;
		return ys_asprintf("yield %s", e->value ? e->value : "?");
	case SNAP_EV_RETURN:
		*role = R_UP;
		return ys_asprintf("return %s", e->value ? e->value : "None");
	case SNAP_EV_RAISE:
		*role = R_ERROR;
		return ys_asprintf("raise %s", e->value ? e->value : "?");
	case SNAP_EV_RESUME:
		break;
	}
	*role = R_DIM;
	return ys_strdup("");
}

/* One value cell: the text in its role, lit when it is the newest event. */
static void cell(view_lines *v, const char *t, view_role r, bool newest, int width)
{
	char *f = view_fit(t, width);
	vl_add(v, newest ? R_RUN_LINE : r, f);
	ys_free(f);
}

/* The two value cells of a hop: "▼ what went down" (down_width wide) from
 * where the line stands, then "▲ what came up" from column up_col; a dot
 * stands for a direction nothing travelled. */
static void hop_cells(view_lines *v, const hop *h, const snap_event *newest,
                      int down_width, int up_col, int width)
{
	if (h->down) {
		char *t = down_text(h->down);
		vl_add(v, R_DOWN, view_g->down);
		vl_add(v, R_DOWN, " ");
		cell(v, t, R_DOWN, h->down == newest, down_width);
		ys_free(t);
	} else {
		vl_add(v, R_DIM, view_g->dot);
	}
	vl_pad_to(v, vl_width(v) + 2 > up_col ? vl_width(v) + 2 : up_col);
	if (h->up) {
		view_role r;
		char *t = up_text(h->up, &r);
		vl_add(v, r, view_g->up);
		vl_add(v, r, " ");
		cell(v, t, r, h->up == newest, width - vl_width(v));
		ys_free(t);
	} else {
		vl_add(v, R_DIM, view_g->dot);
	}
}

static void node(view_lines *v, const view_ctx *c, const snap_gen *g, int width)
{
	bool sel = c->selected && g->label && strcmp(c->selected, g->label) == 0;
	char *lab = view_fit(g->label ? g->label : "?", width / 2);

	vl_new(v);
	vl_add(v, sel ? R_SELECTED : R_NORMAL, sel ? view_g->sel : " ");
	vl_add(v, R_NORMAL, " ");
	vl_add(v, sel ? R_SELECTED : R_BOLD, lab);
	vl_printf(v, R_DIM, "  %s()", g->function ? g->function : "?");
	vl_add(v, R_NORMAL, "  ");
	vl_add(v, view_state_role(g->state), snap_state_word(g->state));
	ys_free(lab);
}

/* A subgenerator that returned in this step has left the chain; the value
 * it returned, which became the value of the yield from above it, is
 * drawn as the last hop, under the last generator of the chain. */
static void ended_delegate(view_lines *v, const snap_step *st, size_t nev, size_t n,
                           const snap_event *newest, int half, int width)
{
	const snap_event *ret = NULL;
	hop h = { NULL, NULL, 0, 0 };
	size_t i;

	for (i = 0; i < nev; i++) {
		const snap_event *e = &st->events[i];

		if (e->depth != (int)n || snap_find(st, e->label))
			continue;
		if (e->event == SNAP_EV_RESUME)
			h.down = e;
		else if (e->event == SNAP_EV_RETURN)
			ret = e;
	}
	if (!ret || n == 0)
		return;
	h.up = ret;
	vl_new(v);
	vl_add(v, R_DIM, "   ");
	vl_add(v, R_DIM, view_g->vline);
	vl_add(v, R_DOWN, " ");
	hop_cells(v, &h, newest, half - 2, 5 + half, width);
	vl_new(v);
	vl_add(v, R_NORMAL, "  ");
	vl_add(v, R_DIM, ret->label ? ret->label : "");
	vl_printf(v, R_DIM, "%s%s()  finished", ret->label ? "  " : "",
	          ret->function ? ret->function : "?");
}

/* The delegation chain through sel: the outermost delegator first, down
 * the delegates. Returns its length. */
static size_t find_chain(const snap_step *st, const snap_gen *sel, const snap_gen **chain)
{
	const snap_gen *g;
	size_t n = 0, k;
	int top;

	for (g = sel, top = 0; top < MAX_CHAIN && parent_of(st, g); top++)
		g = parent_of(st, g);
	for (; g && n < MAX_CHAIN; g = g->delegate ? snap_find(st, g->delegate) : NULL) {
		for (k = 0; k < n; k++)
			if (chain[k] == g)
				return n;       /* a cycle cannot happen in Python, but never loop */
		chain[n++] = g;
	}
	return n;
}

/* The last hop down and up at each link of the chain, of the first nev
 * events. */
static void find_hops(const snap_step *st, size_t nev, const snap_gen *const *chain,
                      size_t n, hop *hops)
{
	size_t i, k;

	memset(hops, 0, MAX_CHAIN * sizeof *hops);
	for (i = 0; i < nev; i++) {
		const snap_event *e = &st->events[i];
		for (k = 0; k < n; k++) {
			if (!event_is(e, chain[k], (int)k))
				continue;
			if (e->event == SNAP_EV_RESUME)
				hops[k].down = e;
			else
				hops[k].up = e;
			break;
		}
	}
}

/* What the chain of a step looks like, and where to draw it. */
typedef struct {
	const view_ctx *c;
	const snap_step *st;
	const snap_gen *chain[MAX_CHAIN], *sel;
	hop hops[MAX_CHAIN];
	size_t n, nev;
	const snap_event *newest;
	int width, half;
} chan;

/* The picture: nodes with the hops between them. */
static void picture(const chan *ch, view_lines *v)
{
	size_t k;

	vl_new(v);
	vl_add(v, R_BOLD, "  caller");
	vl_add(v, R_DIM, "  (the prompt)");
	for (k = 0; k < ch->n; k++) {
		vl_new(v);
		vl_add(v, R_DIM, "   ");
		vl_add(v, R_DIM, view_g->vline);
		vl_add(v, R_DOWN, " ");
		hop_cells(v, &ch->hops[k], ch->newest, ch->half - 2, 5 + ch->half, ch->width);
		node(v, ch->c, ch->chain[k], ch->width);
		if (ch->chain[k] == ch->sel)
			v->anchor = v->anchor_end = (int)v->nlines - 1;
	}
	ended_delegate(v, ch->st, ch->nev, ch->n, ch->newest, ch->half, ch->width);
}

/* Short of room: two lines per hop, who to whom, then values. */
static void two_lines_a_hop(const chan *ch, view_lines *v)
{
	size_t k;

	for (k = 0; k < ch->n; k++) {
		const char *from = k == 0 ? "caller" : ch->chain[k - 1]->label;
		bool sel = ch->chain[k] == ch->sel;
		vl_new(v);
		vl_add(v, R_NORMAL, " ");
		vl_add(v, sel && k == 0 ? R_NORMAL : R_BOLD, from ? from : "?");
		vl_printf(v, R_DIM, " %s ", view_g->rarrow);
		vl_add(v, sel ? R_SELECTED : R_BOLD, ch->chain[k]->label ? ch->chain[k]->label : "?");
		vl_new(v);
		vl_add(v, R_NORMAL, "   ");
		hop_cells(v, &ch->hops[k], ch->newest, ch->half - 2, 3 + ch->half, ch->width);
		if (sel) {
			v->anchor = (int)v->nlines - 2;
			v->anchor_end = (int)v->nlines - 1;
		}
	}
}

/* Shorter still: one line per hop. */
static void one_line_a_hop(const chan *ch, view_lines *v)
{
	int width = ch->width;
	size_t k;

	for (k = 0; k < ch->n; k++) {
		const hop *h = &ch->hops[k];
		const char *from = k == 0 ? "caller" : ch->chain[k - 1]->label;
		char *hopname = ys_asprintf("%s %s %s", from ? from : "?", view_g->rarrow,
		                            ch->chain[k]->label ? ch->chain[k]->label : "?");
		char *f = view_fit(hopname ? hopname : "", width / 2 - 1);
		vl_new(v);
		vl_add(v, ch->chain[k] == ch->sel ? R_SELECTED : R_NORMAL, f);
		ys_free(f);
		ys_free(hopname);
		vl_pad_to(v, width / 2);
		if (h->down) {
			char *t = down_text(h->down);
			vl_add(v, R_DOWN, view_g->down);
			cell(v, t, R_DOWN, h->down == ch->newest, width / 4);
			ys_free(t);
		}
		if (h->up) {
			view_role r;
			char *t = up_text(h->up, &r);
			vl_add(v, R_NORMAL, " ");
			vl_add(v, r, view_g->up);
			cell(v, t, r, h->up == ch->newest, width - vl_width(v));
			ys_free(t);
		}
		if (ch->chain[k] == ch->sel)
			v->anchor = v->anchor_end = (int)v->nlines - 1;
	}
}

static void channel_lines(const view_ctx *c, int width, int height, view_lines *v)
{
	chan ch;

	memset(&ch, 0, sizeof ch);
	/* At a pause the chain is drawn as the step leaves it, as the live
	 * flow does, with the hops so far. */
	ch.st = c->chain_snap ? c->chain_snap : c->snap;
	ch.c = c;
	ch.width = width;
	v->anchor = -1;
	ch.sel = snap_find(ch.st, c->selected);
	if (!ch.sel) {
		vl_new(v);
		vl_add(v, R_DIM, ch.st->ngens ? "Tab selects a generator to see its channel."
		                              : "No generator yet.");
		return;
	}
	ch.n = find_chain(ch.st, ch.sel, ch.chain);
	ch.nev = c->animating ? c->anim_events : ch.st->nevents;
	if (ch.nev > ch.st->nevents)
		ch.nev = ch.st->nevents;
	if (c->animating && ch.nev > 0)
		ch.newest = &ch.st->events[ch.nev - 1];
	find_hops(ch.st, ch.nev, ch.chain, ch.n, ch.hops);
	ch.half = (width - 6) / 2;
	if (ch.half < 8)
		ch.half = 8;
	if ((int)(2 * ch.n + 1) <= height)
		picture(&ch, v);
	else if ((int)(2 * ch.n) <= height)
		two_lines_a_hop(&ch, v);
	else
		one_line_a_hop(&ch, v);
}

static const char *channel_subtitle(const view_ctx *c)
{
	return c->selected;
}

const view_ops view_channel_ops = {
	.name = "Channel",
	.key = '4',
	.lines = channel_lines,
	.subtitle = channel_subtitle,
	.stick_bottom = false,
};
