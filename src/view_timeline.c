/* view_timeline.c: the Timeline, the Channel pane's other face (key h):
 * the hops of the step shown as a sequence diagram. A column per frame
 * (the caller first, then each generator as it first runs, an unnamed one
 * under its function's name), a row per hop: ▼ what went down into a frame
 * from the one below it, ▲ what came back up. A hop that crosses a column
 * went through a frame that did not run (a throw() passed on by a
 * delegator). History keys show another step's hops; during the live flow
 * the hops so far, the newest lit; hop by hop (, .) every hop of the step,
 * the one reached lit and those to come dimmed.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

#define MAX_COLS 8
#define MAX_DEPTH 32
/* Rows kept of a long step: its last hops, the story's end. */
#define MAX_ROWS 400

/* One cell of a row: its glyph (a character of UTF-8) and its role. */
typedef struct {
	char g[8];
	view_role r;
} tcell;

typedef struct {
	const char *name[MAX_COLS];     /* label, or function of an unnamed one */
	bool unnamed[MAX_COLS];
	int depth[MAX_COLS];            /* the least depth its frame ran at */
	int n;                          /* columns, the caller's included */
	int w;                          /* columns of the screen per column */
} tcols;

/* The column of the frame named key: found, or a new one; the last
 * column takes every frame past MAX_COLS. */
static int column_named(tcols *t, const char *key, bool unnamed, int depth)
{
	int k;

	for (k = 1; k < t->n; k++)
		if (strcmp(t->name[k], key) == 0 && t->unnamed[k] == unnamed) {
			if (depth < t->depth[k])
				t->depth[k] = depth;
			return k;
		}
	if (t->n == MAX_COLS)
		return MAX_COLS - 1;
	t->name[t->n] = key;
	t->unnamed[t->n] = unnamed;
	t->depth[t->n] = depth;
	return t->n++;
}

static int column_of(tcols *t, const snap_event *e)
{
	return column_named(t, e->label ? e->label : e->function ? e->function : "?", !e->label,
	                    e->depth < 0 ? 0 : e->depth);
}

/* Outer frames left of their delegates: columns by the least depth their
 * frames ran at, then by first appearance (a stable insertion sort). */
static void sort_columns(tcols *t)
{
	int i, j;

	for (i = 2; i < t->n; i++)
		for (j = i; j > 1 && t->depth[j - 1] > t->depth[j]; j--) {
			const char *n = t->name[j];
			bool u = t->unnamed[j];
			int d = t->depth[j];
			t->name[j] = t->name[j - 1];
			t->unnamed[j] = t->unnamed[j - 1];
			t->depth[j] = t->depth[j - 1];
			t->name[j - 1] = n;
			t->unnamed[j - 1] = u;
			t->depth[j - 1] = d;
		}
}

/* Is the frame of column k a delegator above the frame named target: by
 * the labels ("f" above "f.gi_yieldfrom") or by the cards' delegations? */
static bool above(const tcols *t, const snap_step *st, int k, const char *target)
{
	size_t len = strlen(t->name[k]), i;
	const char *label = target;
	int hops = 0;

	if (t->unnamed[k] || !target)
		return false;
	if (strncmp(target, t->name[k], len) == 0 && target[len] == '.')
		return true;
	while (label && hops++ < MAX_COLS) {
		const char *parent = NULL;
		for (i = 0; i < st->ngens; i++)
			if (st->gens[i].delegate && st->gens[i].label &&
			    strcmp(st->gens[i].delegate, label) == 0)
				parent = st->gens[i].label;
		if (parent && strcmp(parent, t->name[k]) == 0)
			return true;
		label = parent;
	}
	return false;
}

/* Columns for the delegators above a frame a throw() or close() reached
 * at depth > 0, outermost first, before its own: they did not run, and
 * the hop is drawn across them. */
static void delegator_columns(tcols *t, const snap_step *st, const snap_event *e)
{
	const char *up[MAX_COLS];
	const char *label = e->label;
	int n = 0, k;
	size_t i;

	while (label && n < e->depth && n < MAX_COLS) {
		const char *parent = NULL;
		for (i = 0; i < st->ngens; i++)
			if (st->gens[i].delegate && st->gens[i].label &&
			    strcmp(st->gens[i].delegate, label) == 0)
				parent = st->gens[i].label;
		if (!parent)
			break;
		up[n++] = parent;
		label = parent;
	}
	for (k = n - 1; k >= 0; k--)
		column_named(t, up[k], false, e->depth - 1 - k);
}

static int col_x(const tcols *t, int k)
{
	return 1 + k * t->w;
}

static void put(tcell *row, int width, int x, const char *g, view_role r)
{
	if (x < 0 || x >= width)
		return;
	snprintf(row[x].g, sizeof row[x].g, "%s", g);
	row[x].r = r;
}

/* Put text from x on, one cell per character, at most n cells. */
static int put_text(tcell *row, int width, int x, const char *s, int n, view_role r)
{
	int used = 0;

	while (*s && used < n && x + used < width) {
		int len = 1;
		while ((s[len] & 0xC0) == 0x80)
			len++;
		if (len > 7)
			len = 7;
		memcpy(row[x + used].g, s, (size_t)len);
		row[x + used].g[len] = '\0';
		row[x + used].r = r;
		s += len;
		used++;
	}
	return used;
}

/* The row as a line of v: runs of one role joined into a segment. */
static void emit(view_lines *v, const tcell *row, int width)
{
	char buf[512];
	size_t len = 0;
	view_role r = R_NORMAL;
	int x;

	vl_new(v);
	for (x = 0; x <= width; x++) {
		size_t gl = x < width ? strlen(row[x].g) : 0;
		if (x == width || row[x].r != r || len + gl + 1 > sizeof buf) {
			buf[len] = '\0';
			if (len)
				vl_add(v, r, buf);
			len = 0;
			if (x == width)
				break;
			r = row[x].r;
		}
		memcpy(buf + len, row[x].g, gl);
		len += gl;
	}
}

/* A blank row with the lifelines of the columns. */
static void lifelines(tcell *row, int width, const tcols *t)
{
	int x, k;

	for (x = 0; x < width; x++) {
		strcpy(row[x].g, " ");
		row[x].r = R_NORMAL;
	}
	for (k = 0; k < t->n; k++)
		put(row, width, col_x(t, k), view_g->vline, R_DIM);
}

/* Would what e carried be cut in beside columns, and whole in under? */
static bool cut_beside(const snap_event *e, int beside, int under)
{
	view_role r;
	char *b = view_hop_fit(e, &r, beside), *u = view_hop_fit(e, &r, under);
	bool yes = b && u && strstr(b, view_g->ell) && !strstr(u, view_g->ell);

	ys_free(b);
	ys_free(u);
	return yes;
}

/* An arrow from column a to column b carrying what hop e carried, for
 * the frame e ran in. A delegator's column it crosses is a frame the hop went through
 * without running: marked there. The text rides on the arrow when it
 * fits and crosses nothing, else it follows the arrow's right end; when
 * it is too long for either and whole on a row of its own, it goes under
 * the arrow, on next (a row of lifelines): returns true then. */
static bool arrow(tcell *row, tcell *next, int width, const tcols *t, const snap_step *st,
                  int a, int b, const snap_event *e)
{
	int xa = col_x(t, a), xb = col_x(t, b), lo = xa < xb ? xa : xb, hi = xa < xb ? xb : xa;
	int x, k, n = hi - lo - 3, tw;
	bool crossed = false;
	const char *target = e->label;
	view_role r;
	char *f = view_hop_fit(e, &r, INT_MAX);

	tw = view_strwidth(f);
	if (a == b) {
		/* Its own column (a frame past the last column's): text only. */
		ys_free(f);
		f = view_hop_fit(e, &r, width - xa - 2);
		put_text(row, width, xa + 2, f, width - xa - 2, r);
		ys_free(f);
		return false;
	}
	for (x = lo + 1; x < hi; x++)
		put(row, width, x, view_g->hline, r);
	for (k = 0; k < t->n; k++) {
		int xk = col_x(t, k);
		if (xk > lo && xk < hi && above(t, st, k, target)) {
			put(row, width, xk, "+", R_DIM);
			crossed = true;
		}
	}
	put(row, width, xb, xb > xa ? view_g->right : view_g->left, r);
	if (!crossed && tw <= n) {
		put(row, width, lo + 1, " ", r);
		put_text(row, width, lo + 2, f, n, r);
		put(row, width, lo + 2 + tw, " ", r);
	} else if (cut_beside(e, width - hi - 2, width - lo - 2)) {
		/* Whole under the arrow, rather than cut beside it. */
		ys_free(f);
		f = view_hop_fit(e, &r, width - lo - 2);
		put_text(next, width, lo + 2, f, width - lo - 2, r);
		ys_free(f);
		return true;
	} else if (!crossed && width - hi - 2 < 12 && n >= 8) {
		/* No room past the end either: on the arrow, cut. */
		ys_free(f);
		f = view_hop_fit(e, &r, n);
		put(row, width, lo + 1, " ", r);
		put_text(row, width, lo + 2, f, n, r);
	} else {
		ys_free(f);
		f = view_hop_fit(e, &r, width - hi - 2);
		put_text(row, width, hi + 2, f, width - hi - 2, r);
	}
	ys_free(f);
	return false;
}

/* Column k's name as the header writes it, newly allocated. */
static char *column_name(const tcols *t, int k)
{
	const char *name = k == 0 ? "caller" : t->name[k];

	return t->unnamed[k] ? ys_asprintf("%s()", name) : ys_strdup(name);
}

/* The columns' names over their lifelines; when one would be cut in its
 * column, on two rows, every other name on each, so that each has two
 * columns' room. Returns the rows it added. */
static int header(view_lines *v, const tcols *t, int width)
{
	tcell row[512];
	int k, r, rows = 1;

	for (k = 0; k + 1 < t->n; k++) {
		char *s = column_name(t, k);
		if (s && view_strwidth(s) > t->w - 1)
			rows = 2;
		ys_free(s);
	}
	for (r = 0; r < rows; r++) {
		lifelines(row, width, t);
		for (k = r; k < t->n; k += rows) {
			char *s = column_name(t, k);
			int room = k + rows < t->n ? rows * t->w - 1 : width - col_x(t, k);
			char *f = view_fit(s ? s : "?", room);
			put_text(row, width, col_x(t, k), f, width - col_x(t, k),
			         k == 0 ? R_BOLD : t->unnamed[k] ? R_DIM : R_SELECTED);
			ys_free(f);
			ys_free(s);
		}
		emit(v, row, width);
	}
	return rows;
}

/* The columns of hops first..nev-1 of st, named and ordered (caller
 * first), and their width in a pane width wide. */
static void plan_columns(tcols *t, const snap_step *st, size_t first, size_t nev,
                         int width)
{
	size_t i;

	memset(t, 0, sizeof *t);
	t->name[0] = "caller";
	t->n = 1;
	for (i = first; i < nev; i++) {
		const snap_event *e = &st->events[i];
		if (e->event == SNAP_EV_RESUME && e->depth > 0 &&
		    (e->how == SNAP_HOW_THROW || e->how == SNAP_HOW_CLOSE))
			delegator_columns(t, st, e);
		column_of(t, e);
	}
	sort_columns(t);
	/* The last column keeps room on its right for the values of the
	 * hops that end there or cross to it. */
	t->w = t->n > 1 ? (width - 2 - (width / 3 < 28 ? width / 3 : 28)) / (t->n - 1) : width;
	if (t->w < 6)
		t->w = 6;
}

/* One row per hop first..nev-1, an arrow from the frame that ran it to
 * the frame it went to; the hop the moment shown is at (the live flow's,
 * or the one reached hop by hop) in the running line's colour, the hops
 * still to come dimmed. Returns the line of the lit row, or -1. */
static int hop_rows(const view_ctx *c, const snap_step *st, tcols *t, size_t first,
                    size_t nev, int width, view_lines *v)
{
	size_t at = c->animating ? c->anim_events : nev;
	int lit = -1;
	int stack[MAX_DEPTH];
	tcell row[512], under[512];
	size_t i;
	int d;
	bool two;

	for (d = 0; d < MAX_DEPTH; d++)
		stack[d] = -1;
	for (i = first; i < nev; i++) {
		const snap_event *e = &st->events[i];
		int col = column_of(t, e), depth = e->depth < 0 ? 0 : e->depth;
		int below = 0;

		/* The frame below it: the one that resumed it, or the caller
		 * when it ran nothing below (a throw passed on arrives from
		 * the caller, across the delegators' columns). */
		for (d = depth - 1; d >= 0 && d < MAX_DEPTH; d--)
			if (stack[d] >= 0) {
				below = stack[d];
				break;
			}
		if (depth < MAX_DEPTH)
			stack[depth] = e->event == SNAP_EV_RESUME ? col : -1;
		lifelines(row, width, t);
		lifelines(under, width, t);
		two = e->event == SNAP_EV_RESUME ? arrow(row, under, width, t, st, below, col, e)
		                                 : arrow(row, under, width, t, st, col, below, e);
		if (c->animating && (i + 1 == at || i >= at)) {
			int x;
			for (x = 0; x < width; x++) {
				if (row[x].r != R_NORMAL && row[x].r != R_DIM)
					row[x].r = i >= at ? R_DIM : R_RUN_LINE;
				if (under[x].r != R_NORMAL && under[x].r != R_DIM)
					under[x].r = i >= at ? R_DIM : R_RUN_LINE;
			}
		}
		emit(v, row, width);
		if (i + 1 == at)
			lit = (int)v->nlines - 1;
		if (two)
			emit(v, under, width);
	}
	return lit;
}

static void timeline_lines(const view_ctx *c, int width, int height, view_lines *v)
{
	const snap_step *st = c->chain_snap ? c->chain_snap : c->snap;
	tcols t;
	/* Hop by hop, the whole step, to see where the moment is in it;
	 * during the live flow, the hops so far. */
	size_t nev = c->animating && !c->scrubbing ? c->anim_events : st->nevents, first = 0;
	int lit;

	v->anchor = -1;
	/* A row is built in a fixed array of cells. */
	if (width > 510)
		width = 510;
	if (nev > st->nevents)
		nev = st->nevents;
	if (nev == 0) {
		vl_new(v);
		vl_wrap(v, R_DIM, "No hops in this step: h shows the Channel.", width, 0);
		return;
	}
	if (nev > MAX_ROWS)
		first = nev - MAX_ROWS;
	if (c->scrubbing && c->anim_events > 0 && c->anim_events <= first)
		first = c->anim_events - 1;
	if (nev - first > MAX_ROWS)
		nev = first + MAX_ROWS;
	plan_columns(&t, st, first, nev, width);
	header(v, &t, width);
	if (first > 0) {
		char *s = ys_asprintf("  %zu earlier hops not shown", first);
		vl_new(v);
		vl_add(v, R_DIM, s ? s : "");
		ys_free(s);
	}
	lit = hop_rows(c, st, &t, first, nev, width, v);
	/* The newest hop stays in view: the end of the step, or where the
	 * live flow is, or the hop reached hop by hop. */
	v->anchor = v->anchor_end = lit >= 0 ? lit : c->scrubbing ? 0 : (int)v->nlines - 1;
	/* Scrolled, the columns' names stay at the foot of the pane. */
	if ((int)v->nlines > height)
		v->pin = header(v, &t, width);
}

static const char *timeline_subtitle(const view_ctx *c)
{
	static char buf[64];
	const snap_step *st = c->chain_snap ? c->chain_snap : c->snap;

	/* Hop by hop, or paused inside the step (a line, a callback): where
	 * the moment shown is among the step's hops. */
	if ((c->scrubbing || c->pause) && c->anim_events == 0)
		snprintf(buf, sizeof buf, "before hop 1 of %zu", st->nevents);
	else if (c->scrubbing || c->pause)
		snprintf(buf, sizeof buf, "hop %zu of %zu", c->anim_events, st->nevents);
	else
		snprintf(buf, sizeof buf, "%zu hop%s", st->nevents, st->nevents == 1 ? "" : "s");
	return buf;
}

const view_ops view_timeline_ops = {
	.name = "Timeline",
	.key = '4',
	.lines = timeline_lines,
	.subtitle = timeline_subtitle,
	.stick_bottom = false,
};
