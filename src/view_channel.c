/* view_channel.c: the Channel pane: the delegation chain through the
 * selected generator, caller ⇄ outer ⇄ … ⇄ inner, with what went down
 * (next, a value sent, an exception thrown, close) and what came up (a
 * value yielded, a return value ending a yield from, an exception) at
 * every hop in the last step. During the live flow only the events so far
 * are shown, the newest one lit.
 */
#include "config.h"

#include <limits.h>
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

/* Does event e concern chain node g? By label only: an event of a
 * generator the engine could not name belongs to no card, however alike
 * their functions (it is listed apart, under its function's name). */
static bool event_is(const snap_event *e, const snap_gen *g)
{
	return e->label && g->label && strcmp(e->label, g->label) == 0;
}

/* What travelled across one link of the chain in the step: the last hop
 * down and up; through: the delegator above never ran, CPython passed a
 * throw() down through it and what came back up through it; ended_down,
 * ended: a former delegate's last resume and the return or raise that
 * ended its yield from, when it finished in the step and left the link. */
typedef struct {
	const snap_event *down, *up;
	bool through;
	const snap_event *ended_down, *ended;
	bool lit;               /* the lesson points at this hop */
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

/* The colour of a hop up: an exception's, or a value's. */
static view_role up_role(const snap_event *e)
{
	return e->event == SNAP_EV_RAISE ? R_ERROR : R_UP;
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

/* What e carried, without its glyph, in at most width columns; role set
 * to its colour. A thrown or raised exception keeps its class name when
 * the room is short (view_fit_exception). bare: a value sent or yielded
 * alone, without the word (the glyph says which way it went; next(),
 * throw(), close(), return and raise keep theirs), the value whole
 * where the words would have cut it. */
static char *hop_text(const snap_event *e, view_role *role, int width, bool bare)
{
	char *t, *f;

	if (bare && e->value && ((e->event == SNAP_EV_RESUME && e->how == SNAP_HOW_SEND) ||
	                         e->event == SNAP_EV_YIELD)) {
		*role = e->event == SNAP_EV_RESUME ? R_DOWN : R_UP;
		return view_fit(e->value, width);
	}

	if (e->event == SNAP_EV_RESUME && e->how == SNAP_HOW_THROW) {
		*role = R_DOWN;
		return view_fit_exception("throw(", e->value, ")", width);
	}
	if (e->event == SNAP_EV_RAISE) {
		*role = R_ERROR;
		return view_fit_exception("raise ", e->value, "", width);
	}
	if (e->event == SNAP_EV_RESUME) {
		*role = R_DOWN;
		t = down_text(e);
	} else {
		t = up_text(e, role);
	}
	f = view_fit(t ? t : "", width);
	ys_free(t);
	return f;
}

static char *hop_fit(const snap_event *e, view_role *role, int width)
{
	return hop_text(e, role, width, false);
}

char *view_hop_fit(const snap_event *e, view_role *role, int width)
{
	const char *glyph = e->event == SNAP_EV_RESUME ? view_g->down : view_g->up;
	char *t = hop_fit(e, role, width - view_strwidth(glyph) - 1);
	char *out = ys_asprintf("%s %s", glyph, t ? t : "");

	ys_free(t);
	return out;
}

/* One value cell: what e carried in its role, lit when it is the newest
 * event; bare as hop_text says. */
static void bare_cell(view_lines *v, const snap_event *e, bool newest, int width, bool bare)
{
	view_role r;
	char *f = hop_text(e, &r, width, bare);

	vl_add(v, newest ? R_RUN_LINE : r, f);
	ys_free(f);
}

static void cell(view_lines *v, const snap_event *e, bool newest, int width)
{
	view_role r;
	char *f = hop_fit(e, &r, width);

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
		vl_add(v, R_DOWN, view_g->down);
		vl_add(v, R_DOWN, " ");
		cell(v, h->down, h->lit || h->down == newest, down_width);
	} else {
		vl_add(v, R_DIM, view_g->dot);
	}
	vl_pad_to(v, vl_width(v) + 2 > up_col ? vl_width(v) + 2 : up_col);
	if (h->up) {
		view_role r = up_role(h->up);
		vl_add(v, r, view_g->up);
		vl_add(v, r, " ");
		cell(v, h->up, h->lit || h->up == newest, width - vl_width(v));
	} else {
		vl_add(v, h->lit ? R_RUN_LINE : R_DIM, view_g->dot);
	}
}

/* What a frame the step's throw() went through without running it gets
 * beside it on line v, in a pane width wide: narrow, the key words whole
 * rather than "not run: pa…". */
static const char *through_words(const view_lines *v, int width)
{
	const char *say = "  not run: passed on";

	return view_strwidth(say) <= width - vl_width(v) ? say : "  not run";
}

/* A chain node's line; through: it passed the step's throw() on without
 * running, which is said beside it. */
static void node(view_lines *v, const view_ctx *c, const snap_gen *g, bool through, int width)
{
	bool sel = c->selected && g->label && strcmp(c->selected, g->label) == 0;
	/* Its state at the moment shown: the live flow's, not the end's. */
	snap_state now = c->chain_snap ? g->state : view_state_now(c, g);
	int sw = 2 + (int)strlen(snap_state_word(now));
	char *fn = ys_asprintf("  %s()", g->function ? g->function : "?");
	char *lab = view_fit(g->label ? g->label : "?", width / 2);

	vl_new(v);
	vl_add(v, sel ? R_SELECTED : R_NORMAL, sel ? view_g->sel : " ");
	vl_add(v, R_NORMAL, " ");
	/* Short of room the state stays whole: the function goes first,
	 * then the label is cut. */
	if (fn && 2 + view_strwidth(lab) + view_strwidth(fn) + sw > width) {
		ys_free(fn);
		fn = NULL;
		if (2 + view_strwidth(lab) + sw > width) {
			ys_free(lab);
			lab = view_fit(g->label ? g->label : "?", width - 2 - sw);
		}
	}
	vl_add(v, sel ? R_SELECTED : R_BOLD, lab);
	if (fn)
		vl_add(v, R_DIM, fn);
	vl_add(v, R_NORMAL, "  ");
	vl_add(v, view_state_role(now), snap_state_word(now));
	ys_free(fn);
	ys_free(lab);
	if (through) {
		char *f = view_fit(through_words(v, width), width - vl_width(v));

		vl_add(v, R_DIM, f);
		ys_free(f);
	}
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

static int chain_index(const snap_event *e, const snap_gen *const *chain, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (event_is(e, chain[k]))
			return (int)k;
	return -1;
}

/* The hops at each link of the chain, of the first nev events. A link k
 * is the one from chain[k-1] (the caller for k 0) down to chain[k]; an
 * event's depth is its place below the frame the caller resumed, so the
 * chain node at depth d is chain[base + d], base found from any event of
 * the chain. */
static void find_hops(const snap_step *st, size_t nev, const snap_gen *const *chain,
                      size_t n, hop *hops)
{
	bool ran[MAX_CHAIN + 1] = { false };
	const snap_event *last_at[MAX_CHAIN + 1] = { NULL };
	const snap_event *last_depth[MAX_CHAIN + 1] = { NULL };
	int base = -1;
	size_t i;
	int j;

	memset(hops, 0, (MAX_CHAIN + 1) * sizeof *hops);
	for (i = 0; i < nev && base < 0; i++) {
		int k = chain_index(&st->events[i], chain, n);
		if (k >= 0)
			base = k - st->events[i].depth;
	}
	for (i = 0; i < nev; i++) {
		const snap_event *e = &st->events[i];
		int k = chain_index(e, chain, n);

		if (k < 0) {
			/* A former delegate, named by a label no longer in the
			 * chain: its end is the value of the yield from above it,
			 * when that delegator is the chain's. */
			int link = base >= 0 && e->label ? base + e->depth : -1;
			const snap_event *above;
			if (link < 1 || link > (int)n || e->depth < 1 || e->depth > MAX_CHAIN)
				continue;
			above = last_depth[e->depth - 1];
			if (above ? !event_is(above, chain[link - 1]) : ran[link - 1])
				continue;
			if (e->event == SNAP_EV_RESUME) {
				last_at[link] = e;
			} else if (e->event != SNAP_EV_YIELD) {
				hops[link].ended = e;
				hops[link].ended_down = last_at[link] && last_at[link]->label &&
				                        strcmp(last_at[link]->label, e->label) == 0
				                        ? last_at[link] : NULL;
			}
			last_depth[e->depth] = e;
			continue;
		}
		/* Its own hop: this frame ran, it is no pass-through. */
		hops[k].through = false;
		ran[k] = true;
		if (e->event == SNAP_EV_RESUME) {
			/* A throw() arriving below frames that have not run in
			 * the step went through them: CPython hands it to the
			 * delegate without running the delegator. */
			if (e->how == SNAP_HOW_THROW)
				for (j = k - e->depth; j < k; j++)
					if (j >= 0 && !ran[j]) {
						hops[j].down = e;
						hops[j].through = true;
					}
			/* The same label resumed after it ended: a new delegate
			 * took the old one's place, whose end stays shown. */
			if (hops[k].up && k > 0 && (hops[k].up->event == SNAP_EV_RETURN ||
			                            hops[k].up->event == SNAP_EV_RAISE)) {
				hops[k].ended = hops[k].up;
				hops[k].ended_down = hops[k].down;
				hops[k].up = NULL;
			}
			hops[k].down = e;
		} else {
			/* What a pass-through delegator's delegate yields goes
			 * up through it as well. */
			if (e->event == SNAP_EV_YIELD)
				for (j = k - e->depth; j < k; j++)
					if (j >= 0 && hops[j].through)
						hops[j].up = e;
			hops[k].up = e;
		}
		last_depth[e->depth < 0 ? 0 : e->depth > MAX_CHAIN ? MAX_CHAIN : e->depth] = e;
	}
}

/* What the chain of a step looks like, and where to draw it. */
typedef struct {
	const view_ctx *c;
	const snap_step *st;
	const snap_gen *chain[MAX_CHAIN], *sel;
	hop hops[MAX_CHAIN + 1];    /* link n: a delegate that left the last node */
	size_t n, nev;
	const snap_event *newest;
	int width, half;
	bool no_split;          /* hop lines stay one row each (hop_split) */
	bool short_ended;       /* two lines a hop, former delegates on one */
} chan;

/* Would e's text be cut in a cell width wide? */
static bool cut_in(const snap_event *e, int width)
{
	view_role r;
	char *t = e ? hop_fit(e, &r, width) : NULL;
	bool yes = t && strstr(t, view_g->ell);

	ys_free(t);
	return yes;
}

/* Rows t takes broken by vl_break_words from column col on, in a pane
 * width wide. */
static int broken_rows(const char *t, int col, int width)
{
	view_lines scratch;
	int n;

	memset(&scratch, 0, sizeof scratch);
	vl_new(&scratch);
	vl_pad_to(&scratch, col);
	vl_break_words(&scratch, R_NORMAL, t ? t : "", width, col);
	n = (int)scratch.nlines;
	vl_free(&scratch);
	return n > 0 ? n : 1;
}

/* What e carried on rows of its own from column col of a pane width
 * wide: in one row when it fits there (the class first, as hop_fit
 * says), else the whole text, to be broken (vl_break_words) across *rows
 * rows. Newly allocated. */
static char *whole_text(const snap_event *e, view_role *r, int col, int width, int *rows)
{
	char *t = hop_fit(e, r, width - col);

	*rows = 1;
	if (!t || !strstr(t, view_g->ell) || width - col < 1)
		return t;
	ys_free(t);
	t = hop_fit(e, r, INT_MAX / 2);
	*rows = broken_rows(t, col, width);
	return t;
}

/* Does link h, its cells from column indent on, go on rows of its own
 * for each value, because side by side one of them would be cut? */
static bool hop_split(const chan *ch, const hop *h, int indent)
{
	return !ch->no_split &&
	       (cut_in(h->down, ch->half - 2) || cut_in(h->up, ch->width - indent - ch->half - 2));
}

/* Rows hop_rows takes for link h, from column indent. */
static int hop_height(const chan *ch, const hop *h, int indent)
{
	const snap_event *e[2] = { h->down, h->up };
	int n = 0, rows, i;

	if (!hop_split(ch, h, indent))
		return 1;
	for (i = 0; i < 2; i++) {
		view_role r;
		ys_free(e[i] ? whole_text(e[i], &r, indent + 2, ch->width, &rows) : NULL);
		n += e[i] ? rows : 0;
	}
	return n > 0 ? n : 1;
}

/* The start of a hop line: "   │ " with the bar, else "   ". */
static void hop_start(view_lines *v, bool bar)
{
	vl_new(v);
	vl_add(v, R_DIM, "   ");
	if (bar) {
		vl_add(v, R_DIM, view_g->vline);
		vl_add(v, R_DOWN, " ");
	}
}

/* One value of link h on rows of its own: "▼ what went down", whole,
 * broken across rows under itself when it must be. */
static void value_rows(const chan *ch, const hop *h, const snap_event *e, bool bar,
                       view_lines *v)
{
	int indent = bar ? 5 : 3, rows;
	view_role r;
	char *t = whole_text(e, &r, indent + 2, ch->width, &rows);
	bool lit = h->lit || e == ch->newest;

	hop_start(v, bar);
	r = e->event == SNAP_EV_RESUME ? R_DOWN : up_role(e);
	vl_add(v, r, e->event == SNAP_EV_RESUME ? view_g->down : view_g->up);
	vl_add(v, r, " ");
	if (rows > 1)
		/* Continued rows start under the value's first character. */
		vl_break_words(v, lit ? R_RUN_LINE : r, t ? t : "", ch->width, indent + 2);
	else
		vl_add(v, lit ? R_RUN_LINE : r, t ? t : "");
	ys_free(t);
}

/* The hop lines of link h: "▼ down   ▲ up" from column indent (5 with
 * the bar, 3 without), or, when side by side one would be cut, each on
 * rows of its own, whole (hop_split). */
static void hop_rows(const chan *ch, const hop *h, bool bar, view_lines *v)
{
	int indent = bar ? 5 : 3;

	if (!hop_split(ch, h, indent)) {
		hop_start(v, bar);
		hop_cells(v, h, ch->newest, ch->half - 2, indent + ch->half, ch->width);
		return;
	}
	if (h->down)
		value_rows(ch, h, h->down, bar, v);
	if (h->up)
		value_rows(ch, h, h->up, bar, v);
}

/* The hop line of link h: "   │ ▼ down   ▲ up". */
static void hop_line(const chan *ch, const hop *h, view_lines *v)
{
	hop_rows(ch, h, true, v);
}

/* A former delegate of a link, finished in the step: the return value
 * (or exception) that ended the yield from above it, with what it last
 * received when that was a throw() or close(), then who it was. A value
 * sent or next() is the hop below's already: the line goes to the value. */
static void ended_lines(const chan *ch, const hop *h, view_lines *v)
{
	const snap_event *e = h->ended, *d = h->ended_down;
	char *t;

	if (d && (d->how == SNAP_HOW_THROW || d->how == SNAP_HOW_CLOSE)) {
		hop last = { d, e, false, NULL, NULL, false };
		hop_line(ch, &last, v);
	} else {
		view_role r;
		t = up_text(e, &r);
		vl_new(v);
		vl_add(v, R_DIM, "   ");
		vl_add(v, R_DIM, view_g->vline);
		vl_add(v, R_DOWN, " ");
		vl_add(v, r, view_g->up);
		vl_add(v, r, " ");
		/* The value that ended the yield from is the point: whole,
		 * broken across rows when it must be (ended_rows counts them). */
		vl_break_words(v, e == ch->newest ? R_RUN_LINE : r, t ? t : "", ch->width, 7);
		ys_free(t);
	}
	t = ys_asprintf("%s%s%s()  finished", e->label ? e->label : "", e->label ? "  " : "",
	                e->function ? e->function : "?");
	vl_new(v);
	vl_add(v, R_NORMAL, "   ");
	vl_add(v, R_DIM, view_g->vline);
	vl_add(v, R_NORMAL, " ");
	/* Short of room, the function goes before the word that matters. */
	if (t && e->label && vl_width(v) + view_strwidth(t) > ch->width) {
		ys_free(t);
		t = ys_asprintf("%s  finished", e->label);
	}
	if (t) {
		char *f = view_fit(t, ch->width - vl_width(v));
		vl_add(v, R_DIM, f);
		ys_free(f);
	}
	ys_free(t);
}

/* Rows ended_lines takes for h: two, and more for a long value. */
static int ended_rows(const chan *ch, const hop *h)
{
	const snap_event *d = h->ended_down;
	view_role r;
	char *t;
	int rows;

	if (!h->ended)
		return 0;
	if (d && (d->how == SNAP_HOW_THROW || d->how == SNAP_HOW_CLOSE)) {
		hop last = { d, h->ended, false, NULL, NULL, false };
		return 1 + hop_height(ch, &last, 5);
	}
	t = up_text(h->ended, &r);
	rows = 1 + broken_rows(t, 7, ch->width);
	ys_free(t);
	return rows;
}

/* Lines the picture takes: a line, two per node (three when its hop
 * line is split), those of ended delegates. */
static int picture_height(const chan *ch)
{
	size_t k;
	int h = 1 + 2 * (int)ch->n;

	for (k = 0; k < ch->n; k++)
		h += hop_height(ch, &ch->hops[k], 5) - 1;
	for (k = 1; k <= ch->n; k++)
		h += ended_rows(ch, &ch->hops[k]);
	return h;
}

/* The picture: nodes with the hops between them. */
static void picture(const chan *ch, view_lines *v)
{
	size_t k;

	vl_new(v);
	vl_add(v, R_BOLD, "  caller");
	vl_add(v, R_DIM, "  (the prompt)");
	for (k = 0; k < ch->n; k++) {
		if (ch->hops[k].ended)
			ended_lines(ch, &ch->hops[k], v);
		hop_line(ch, &ch->hops[k], v);
		node(v, ch->c, ch->chain[k], ch->hops[k].through, ch->width);
		if (ch->chain[k] == ch->sel)
			v->anchor = v->anchor_end = (int)v->nlines - 1;
	}
	if (ch->hops[ch->n].ended)
		ended_lines(ch, &ch->hops[ch->n], v);
}

/* Rows ended_line takes for h (0 when h has no former delegate). */
static int ended_line_rows(const chan *ch, const hop *h)
{
	view_role r;
	char *t = h->ended ? up_text(h->ended, &r) : NULL;
	int rows = t ? broken_rows(t, ch->width / 2 + 2, ch->width) : 0;

	ys_free(t);
	return rows;
}

/* Lines two_lines_a_hop takes. */
static int two_lines_height(const chan *ch)
{
	size_t k;
	int h = 0;

	for (k = 0; k < ch->n; k++)
		h += 1 + hop_height(ch, &ch->hops[k], 3);
	for (k = 1; k <= ch->n; k++)
		h += ch->short_ended ? ended_line_rows(ch, &ch->hops[k])
		                     : ended_rows(ch, &ch->hops[k]);
	return h;
}

static void ended_line(const chan *ch, const hop *h, view_lines *v);

/* Short of room: two lines per hop, who to whom, then values; a former
 * delegate's end before the hop of the one that took its place. */
static void two_lines_a_hop(const chan *ch, view_lines *v)
{
	size_t k;

	for (k = 0; k < ch->n; k++) {
		const char *from = k == 0 ? "caller" : ch->chain[k - 1]->label;
		bool sel = ch->chain[k] == ch->sel;
		int first;

		if (ch->hops[k].ended)
			(ch->short_ended ? ended_line : ended_lines)(ch, &ch->hops[k], v);
		first = (int)v->nlines;
		vl_new(v);
		vl_add(v, R_NORMAL, " ");
		vl_add(v, sel && k == 0 ? R_NORMAL : R_BOLD, from ? from : "?");
		vl_printf(v, R_DIM, " %s ", view_g->rarrow);
		vl_add(v, sel ? R_SELECTED : R_BOLD, ch->chain[k]->label ? ch->chain[k]->label : "?");
		if (ch->hops[k].through)
			vl_add(v, R_DIM, through_words(v, ch->width));
		hop_rows(ch, &ch->hops[k], false, v);
		if (sel) {
			v->anchor = first;
			v->anchor_end = first + 1;
		}
	}
	if (ch->hops[ch->n].ended)
		(ch->short_ended ? ended_line : ended_lines)(ch, &ch->hops[ch->n], v);
}

/* One line: a former delegate that finished, and how. */
static void ended_line(const chan *ch, const hop *h, view_lines *v)
{
	view_role r;
	char *who = ys_asprintf("  %s() finished", h->ended->function ? h->ended->function : "?");
	char *f = view_fit(who ? who : "", ch->width / 2 - 1);
	char *t = up_text(h->ended, &r);

	vl_new(v);
	vl_add(v, R_DIM, f);
	vl_pad_to(v, ch->width / 2);
	vl_add(v, r, view_g->up);
	vl_add(v, r, " ");
	/* Whole, on as many rows as it needs: it ended the yield from. */
	vl_break_words(v, h->ended == ch->newest ? R_RUN_LINE : r, t ? t : "", ch->width,
	         ch->width / 2 + 2);
	ys_free(t);
	ys_free(f);
	ys_free(who);
}

/* "caller → t", "t → t.gi_yieldfrom (through)": the link k, newly
 * allocated. */
static char *hop_name(const chan *ch, size_t k)
{
	const char *from = k == 0 ? "caller" : ch->chain[k - 1]->label;

	return ys_asprintf("%s %s %s%s", from ? from : "?", view_g->rarrow,
	                   ch->chain[k]->label ? ch->chain[k]->label : "?",
	                   ch->hops[k].through ? " (through)" : "");
}

/* Columns of e's text whole (its glyph not counted), bare or not
 * (hop_text), 0 for none. */
static int text_width(const snap_event *e, bool bare)
{
	view_role r;
	char *t = e ? hop_text(e, &r, INT_MAX / 2, bare) : NULL;
	int w = t ? view_strwidth(t) : 0;

	ys_free(t);
	return w;
}

/* Lines one_line_a_hop takes with no value given a row of its own. */
static int one_line_height(const chan *ch)
{
	size_t k;
	int h = (int)ch->n;

	for (k = 0; k <= ch->n; k++)
		h += ended_line_rows(ch, &ch->hops[k]);
	return h;
}

/* Shorter still: one line per hop, and per former delegate; with spare
 * rows in a pane height high, a hop whose values would be cut side by side
 * puts what came up on the row under it, whole when it fits there; with
 * none, its values go bare (hop_text) when that keeps them whole. */
static void one_line_a_hop(const chan *ch, int height, view_lines *v)
{
	int width = ch->width, namew = 0, spare = height - one_line_height(ch);
	size_t k;

	/* The names take what the longest needs, up to half the line; a
	 * name cut at half the line would be cut anyway, and the columns it
	 * would take are the values' (a chain of three awaits: its last
	 * link's value whole, its name cut a little more). */
	for (k = 0; k < ch->n; k++) {
		char *name = hop_name(ch, k);
		int w = name ? view_strwidth(name) : 0;
		if (w > namew && w <= width / 2 - 1)
			namew = w;
		ys_free(name);
	}
	if (namew == 0)
		namew = width / 2 - 1;
	for (k = 0; k < ch->n; k++) {
		const hop *h = &ch->hops[k];
		char *hopname = hop_name(ch, k), *f;
		int room, dw, uw, nw, start = namew;
		bool below, bare = false;

		if (h->ended)
			ended_line(ch, h, v);
		f = view_fit(hopname ? hopname : "", namew);
		vl_new(v);
		vl_add(v, ch->chain[k] == ch->sel ? R_SELECTED : R_NORMAL, f);
		ys_free(f);
		ys_free(hopname);
		/* What is left goes to the values: whole when both fit, else on
		 * two rows when one is spare; else whole starting right after a
		 * short name rather than in the names' column, or bare (without
		 * their words, hop_text) in either place; else shared, neither
		 * below half of it unless the other is short. */
		nw = vl_width(v);
		dw = text_width(h->down, false);
		uw = text_width(h->up, false);
		below = h->down && h->up && dw + uw > width - namew - 4 && spare > 0;
		/* On a row of its own, what went down may still need the
		 * columns of the names. */
		if (below && dw > width - namew - 2 && dw <= width - nw - 2)
			start = nw;
		if (!below && dw + uw > width - namew - 4) {
			int bw = text_width(h->down, true) + text_width(h->up, true);

			if (dw + uw <= width - nw - 4)
				start = nw;
			else if (bw <= width - namew - 4)
				bare = true;
			else if (bw <= width - nw - 4) {
				bare = true;
				start = nw;
			}
		}
		if (bare) {
			dw = text_width(h->down, true);
			uw = text_width(h->up, true);
		}
		vl_pad_to(v, start + 1);
		room = width - vl_width(v) - 3;
		if (below) {
			spare--;
			dw = room + 2;
		} else if (dw + uw > room && !bare) {
			dw = dw < room / 2 ? dw : uw < room / 2 ? room - uw : room / 2;
		}
		if (h->down) {
			vl_add(v, R_DOWN, view_g->down);
			bare_cell(v, h->down, h->down == ch->newest, dw, bare);
		}
		if (below) {
			vl_new(v);
			vl_pad_to(v, start + 1);
		}
		if (h->up) {
			vl_add(v, R_NORMAL, below ? "" : " ");
			vl_add(v, up_role(h->up), view_g->up);
			bare_cell(v, h->up, h->up == ch->newest, width - vl_width(v), bare);
		}
		if (ch->chain[k] == ch->sel)
			v->anchor = v->anchor_end = (int)v->nlines - 1;
	}
	if (ch->hops[ch->n].ended)
		ended_line(ch, &ch->hops[ch->n], v);
}

/* A qualified name in width columns: whole, else its innermost parts
 * after "…" ("….task()" for generator_switch.<locals>.task()), which name
 * the function; else cut. Newly allocated. */
static char *fit_name(const char *name, int width)
{
	const char *p;

	if (view_strwidth(name) <= width)
		return ys_strdup(name);
	for (p = strchr(name, '.'); p; p = strchr(p + 1, '.'))
		if (view_strwidth(view_g->ell) + view_strwidth(p) <= width)
			return ys_asprintf("%s%s", view_g->ell, p);
	return view_fit(name, width);
}

/* The generators of the step the engine could not name, under their
 * function's name, each with its last hop up and its resumes: they are
 * no card's, so no chain shows them. Returns how many lines it would add
 * (lines are added only when v is not NULL). */
static int unnamed_lines(const chan *ch, view_lines *v)
{
	enum { MAX_SHOWN = 3 };
	const char *fn[MAX_SHOWN];
	const snap_event *last[MAX_SHOWN];
	size_t resumes[MAX_SHOWN], i;
	int n = 0, k, more = 0, col = 5 + (ch->width - 6) / 2, rows[MAX_SHOWN], nrows = 0;

	for (i = 0; i < ch->nev; i++) {
		const snap_event *e = &ch->st->events[i];
		if (e->label || !e->function)
			continue;
		for (k = 0; k < n && strcmp(fn[k], e->function) != 0; k++)
			;
		if (k == n) {
			if (n == MAX_SHOWN) {
				more = 1;
				continue;
			}
			fn[n] = e->function;
			last[n] = NULL;
			resumes[n++] = 0;
		}
		if (e->event == SNAP_EV_RESUME)
			resumes[k]++;
		else
			last[k] = e;
	}
	/* The values start after the longest name: the hop up is what the
	 * line is for, whole, on more rows when it must be. */
	for (k = 0, i = 0; k < n; k++)
		if (view_strwidth(fn[k]) + 2 > (int)i)
			i = (size_t)view_strwidth(fn[k]) + 2;
	/* ... or, on a wide pane, after a long name whole when the values
	 * keep 22 columns. */
	if ((int)i + 6 < col || (int)i + 6 <= ch->width - 24)
		col = (int)i + 6;
	for (k = 0; k < n; k++) {
		view_role r;
		ys_free(last[k] ? whole_text(last[k], &r, col + 2, ch->width, &rows[k]) : NULL);
		if (!last[k])
			rows[k] = 1;
		nrows += rows[k];
	}
	if (!v || n == 0)
		return n ? nrows + 1 + more : 0;
	vl_new(v);
	vl_add(v, R_DIM, "  ran without a name (no card):");
	for (k = 0; k < n; k++) {
		char *t = ys_asprintf("%s()", fn[k]);
		char *f = fit_name(t ? t : "", col - 6);
		vl_new(v);
		vl_add(v, R_NORMAL, "    ");
		vl_add(v, R_BOLD, f);
		ys_free(f);
		ys_free(t);
		if (last[k]) {
			view_role r = up_role(last[k]);
			int nr;
			vl_pad_to(v, vl_width(v) + 2 > col ? vl_width(v) + 2 : col);
			vl_add(v, r, view_g->up);
			vl_add(v, r, " ");
			t = whole_text(last[k], &r, vl_width(v), ch->width, &nr);
			vl_break_words(v, last[k] == ch->newest ? R_RUN_LINE : r, t ? t : "", ch->width,
			         col + 2);
			ys_free(t);
		}
		/* The count where there is room: the hop up matters more. */
		t = ys_asprintf("  %zu resume%s", resumes[k], resumes[k] == 1 ? "" : "s");
		if (t && vl_width(v) + view_strwidth(t) <= ch->width)
			vl_add(v, R_DIM, t);
		ys_free(t);
	}
	if (more) {
		vl_new(v);
		vl_add(v, R_DIM, "    and others");
	}
	return nrows + 1 + more;
}

/* The hop down into the generator a lesson's highlight hop names. */
static void lit_hop(chan *ch, const lesson_eye *eye)
{
	size_t k;

	for (k = 0; eye && eye->hop && k < ch->n; k++)
		if (ch->chain[k]->label && strcmp(ch->chain[k]->label, eye->hop) == 0)
			ch->hops[k].lit = true;
}

/* Where the values going up start: right after the longest value gone
 * down, so that a short send(None) leaves the rest of the line to a long
 * return value; never past most, nor, when the values gone up are
 * shorter than the room past it, past what leaves them whole. */
static int down_column(const chan *ch, int most)
{
	int w = 8, up = 0;
	size_t k;

	for (k = 0; k <= ch->n; k++) {
		const snap_event *d[2] = { ch->hops[k].down, ch->hops[k].ended_down };
		const snap_event *u[2] = { ch->hops[k].up, ch->hops[k].ended };
		int i;
		for (i = 0; i < 2; i++) {
			view_role r;
			char *t = d[i] ? down_text(d[i]) : NULL;
			if (t && view_strwidth(t) + 2 > w)
				w = view_strwidth(t) + 2;
			ys_free(t);
			t = u[i] ? up_text(u[i], &r) : NULL;
			if (t && view_strwidth(t) > up)
				up = view_strwidth(t);
			ys_free(t);
		}
	}
	if (ch->width - 9 - up > most)
		most = ch->width - 9 - up;
	return w < most ? w : most < 8 ? 8 : most;
}

/* Do the lines height_of counts, and extra more, fit in height, with
 * the values that side by side would be cut on rows of their own (or,
 * no_split, not), and former delegates in full (or, short_ended, on a
 * line each)? Leaves ch so. */
static bool fits(chan *ch, int (*height_of)(const chan *), int extra, int height,
                 bool no_split, bool short_ended)
{
	ch->no_split = no_split;
	ch->short_ended = short_ended;
	return height_of(ch) + extra <= height;
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
	ch.nev = c->animating ? c->anim_events : ch.st->nevents;
	if (ch.nev > ch.st->nevents)
		ch.nev = ch.st->nevents;
	if (c->animating && ch.nev > 0)
		ch.newest = &ch.st->events[ch.nev - 1];
	ch.half = (width - 6) / 2;
	if (ch.half < 8)
		ch.half = 8;
	ch.sel = snap_find(ch.st, c->selected);
	if (!ch.sel) {
		const char *none = "No generator yet.";
		size_t k;
		for (k = 0; k < c->nhist; k++)
			if (c->hist[k].result.ngens > 0)
				none = "No generator left.";
		vl_new(v);
		vl_add(v, R_DIM, ch.st->ngens ? "Tab selects a generator to see its channel." : none);
		unnamed_lines(&ch, v);
		return;
	}
	ch.n = find_chain(ch.st, ch.sel, ch.chain);
	find_hops(ch.st, ch.nev, ch.chain, ch.n, ch.hops);
	lit_hop(&ch, view_eye(c));
	ch.half = down_column(&ch, (width - 6) / 2);
	/* The roomiest drawing that fits, values whole before room: the
	 * picture, two lines a hop, then two lines a hop with former
	 * delegates on a line each, each with the values that side by side
	 * would be cut on rows of their own, then each without; else one
	 * line a hop. */
	if (fits(&ch, picture_height, unnamed_lines(&ch, NULL), height, false, false)) {
		picture(&ch, v);
		unnamed_lines(&ch, v);
	} else if (fits(&ch, picture_height, 0, height, false, false)) {
		picture(&ch, v);
	} else if (fits(&ch, two_lines_height, 0, height, false, false) ||
	           fits(&ch, two_lines_height, 0, height, false, true)) {
		two_lines_a_hop(&ch, v);
	} else if (fits(&ch, picture_height, 0, height, true, false)) {
		picture(&ch, v);
	} else if (fits(&ch, two_lines_height, 0, height, true, false) ||
	           fits(&ch, two_lines_height, 0, height, true, true)) {
		two_lines_a_hop(&ch, v);
	} else {
		one_line_a_hop(&ch, height, v);
	}
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
