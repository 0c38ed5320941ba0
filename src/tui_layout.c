/* tui_layout.c: where the panes go on the screen, how each is scrolled
 * and drawn in its box, and the keys and clicks that change what is
 * looked at (focus, zoom, scrolling, the selection). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui_app.h"

static void place(pane *p, int y, int x, int h, int w)
{
	p->y = y;
	p->x = x;
	p->h = h;
	p->w = w;
}

/* Columns a Source pane needs for a whole code line of 72 characters:
 * borders and margins, the gutter, a line number of up to four digits. */
#define SOURCE_MIN_W (4 + 2 + 4 + 1 + 72)

/* The code pane of a layout: Bytecode in Source's place when it is on. */
static pane *code_pane(app *a)
{
	return &a->panes[a->st.show_bytecode ? P_BYTECODE : P_SOURCE];
}

/* Rows the Lesson pane wants at width columns: its lines and borders,
 * at least 4 useful rows, at most most. */
static int lesson_rows(const view_ctx *c, int width, int most)
{
	view_lines v;
	int n;

	memset(&v, 0, sizeof v);
	view_lesson_ops.lines(c, width - 4, most - 2, &v);
	n = (int)v.nlines + 2;
	vl_free(&v);
	if (n < 6)
		n = 6;
	return n < most ? n : most;
}

/* 120 columns and more: Lesson, Source and Console down a left column at
 * least as wide as a whole code line, Heap over Channel on the right.
 * Source gets what Lesson and Console leave, so a projector's extra rows
 * go to the code, the cards and the hops. */
static void layout_columns(app *a, int H, int W)
{
	int avail = H - 1, left = W * 55 / 100, lh, ch, hh;

	if (left < SOURCE_MIN_W)
		left = SOURCE_MIN_W;
	lh = avail * 28 / 100;
	ch = avail * 24 / 100;
	hh = avail * 58 / 100;
	place(&a->panes[P_LESSON], 0, 0, lh, left);
	place(code_pane(a), lh, 0, avail - lh - ch, left);
	place(&a->panes[P_CONSOLE], avail - ch, 0, ch, left);
	place(&a->panes[P_HEAP], 0, left, hh, W - left);
	place(&a->panes[P_CHANNEL], hh, left, avail - hh, W - left);
}

/* 100 to 119 columns: Lesson beside Console on top (as tall as the
 * Lesson's text needs, up to half the rows: a step's words are what it
 * is about, and the panes below have them only on that step), Source
 * across the whole screen, Heap beside Channel below. */
static void layout_rows(app *a, const view_ctx *c, int H, int W)
{
	int avail = H - 1, left = W * 60 / 100;
	int top = lesson_rows(c, left, avail * 50 / 100);
	int bottom = (avail - top) * 55 / 100, mid = avail - top - bottom;

	place(&a->panes[P_LESSON], 0, 0, top, left);
	place(&a->panes[P_CONSOLE], 0, left, top, W - left);
	place(code_pane(a), top, 0, mid, W);
	place(&a->panes[P_HEAP], top + mid, 0, bottom, W / 2);
	place(&a->panes[P_CHANNEL], top + mid, W / 2, bottom, W - W / 2);
}

/* Under 100 columns: Lesson (as tall as its text needs, up to half the
 * rows, as above), then Source across the screen (so code lines stay
 * whole), then Console beside one of Heap and Channel: the one last
 * focused (keys 3 and 4 bring the other). What the Lesson leaves is
 * shared between code and cards. */
static void layout_small(app *a, const view_ctx *c, int H, int W)
{
	int avail = H - 1, lesson_h = lesson_rows(c, W, avail * 50 / 100);
	int bottom = (avail - lesson_h) / 2, mid, left = W * 45 / 100;
	int first = P_CONSOLE, second = a->slot == P_CHANNEL ? P_CHANNEL : P_HEAP;
	const lesson_eye *eye = view_eye(c);

	/* A step's panes directive chooses the bottom row, until the
	 * learner focuses another pane there in that step. */
	if (eye && eye->panes && a->slot_step != (long)c->script_pos + 1) {
		int chosen[3] = { P_CONSOLE, P_HEAP, P_CHANNEL }, n = 0, k;
		for (k = 0; k < 3; k++) {
			if (!(eye->panes & (1u << k)))
				continue;
			if (n++ == 0)
				first = chosen[k];
			else
				second = chosen[k];
		}
		if (n == 1) {
			/* One pane asked for: it takes the row beside Console,
			 * or the Heap does when Console is the one. */
			second = first == P_CONSOLE ? P_HEAP : first;
			first = P_CONSOLE;
		}
	}
	mid = avail - lesson_h - bottom;
	place(&a->panes[P_LESSON], 0, 0, lesson_h, W);
	place(code_pane(a), lesson_h, 0, mid, W);
	place(&a->panes[first], lesson_h + mid, 0, bottom, left);
	place(&a->panes[second], lesson_h + mid, left, bottom, W - left);
}

void tui_layout(app *a, const view_ctx *c)
{
	int H = LINES, W = COLS, i;

	for (i = 0; i < P_COUNT; i++)
		place(&a->panes[i], 0, 0, 0, 0);
	if (a->zoom >= 0)
		place(&a->panes[a->zoom], 0, 0, H - 1, W);
	else if (W >= 120)
		layout_columns(a, H, W);
	else if (W >= 100)
		layout_rows(a, c, H, W);
	else
		layout_small(a, c, H, W);
}

/* The first line to show of v in a body of that many lines: where the
 * learner scrolled, else the end (console) or a view of the anchored
 * lines with some context above them. */
static int first_shown(const pane *p, const view_lines *v, int body)
{
	int n = (int)v->nlines, off;

	if (p->scroll >= 0) {
		off = p->scroll;
	} else if (p->ops->stick_bottom) {
		off = n - v->pin - body;
	} else if (v->anchor >= 0) {
		off = v->anchor - body / 3;
		if (v->anchor_end - off >= body)
			off = v->anchor_end - body + 1;
		if (off > v->anchor)
			off = v->anchor;
	} else {
		off = 0;
	}
	if (off > n - v->pin - body)
		off = n - v->pin - body;
	if (off < 0)
		off = 0;
	/* Context above the anchor starts where a card (lines of one tag)
	 * starts, even if rows stay blank at the bottom: the tail of one,
	 * its locals without its name, would read as the card above's. */
	while (p->scroll < 0 && !p->ops->stick_bottom && v->anchor >= 0 && off > 0 &&
	       off < v->anchor && v->lines[off].tag != 0 &&
	       v->lines[off].tag == v->lines[off - 1].tag)
		off++;
	return off;
}

void tui_draw_pane(app *a, int idx, const view_ctx *c)
{
	pane *p = &a->panes[idx];
	view_lines v;
	int ih = p->h - 2, iw = p->w - 4, off, body, i, n;
	bool focused = idx == a->focus;
	const char *sub;

	if (p->h < 3 || p->w < 6)
		return;
	memset(&v, 0, sizeof v);
	v.anchor = -1;
	p->ops->lines(c, iw, ih, &v);
	n = (int)v.nlines;
	body = ih - v.pin;
	if (body < 1)
		body = ih;
	off = first_shown(p, &v, body);
	p->offset = off;
	if (p->scroll >= 0)
		p->scroll = off;
	sub = p->ops->subtitle ? p->ops->subtitle(c) : NULL;
	tui_box(stdscr, p->y, p->x, p->h, p->w, focused, p->ops->name, sub);
	if (v.pin > 0 && n - v.pin > body) {
		view_lines body_v = v;
		body_v.nlines = (size_t)(n - v.pin);
		tui_draw_lines(stdscr, p->y + 1, p->x + 2, body, iw, &body_v, off);
		tui_draw_lines(stdscr, p->y + 1 + body, p->x + 2, v.pin, iw, &v, n - v.pin);
	} else {
		body = ih;
		if (v.pin > 0 && n <= ih) {
			/* Everything fits: the pinned lines still sit at the bottom. */
			view_lines body_v = v;
			body_v.nlines = (size_t)(n - v.pin);
			tui_draw_lines(stdscr, p->y + 1, p->x + 2, ih - v.pin, iw, &body_v, 0);
			tui_draw_lines(stdscr, p->y + 1 + ih - v.pin, p->x + 2, v.pin, iw, &v, n - v.pin);
			off = 0;
			p->offset = 0;
			body = ih - v.pin;
		} else {
			tui_draw_lines(stdscr, p->y + 1, p->x + 2, ih, iw, &v, off);
		}
	}
	/* Columns 1 and w-2 are margins inside the border. */
	for (i = 0; i < ih; i++) {
		mvaddch(p->y + 1 + i, p->x + 1, ' ');
		mvaddch(p->y + 1 + i, p->x + p->w - 2, ' ');
	}
	for (i = 0; i < ih && i < 512; i++) {
		int li = off + i;
		p->tags[i] = li >= 0 && li < n && i < body ? v.lines[li].tag : 0;
	}
	/* More above or below: say so in the border. */
	if (off > 0)
		tui_put(stdscr, p->y, p->x + p->w - 8, 6, R_DIM, " more ");
	if (off + body < n - v.pin) {
		char m[32];
		snprintf(m, sizeof m, " %s more ", view_g->darrow);
		tui_put(stdscr, p->y + p->h - 1, p->x + p->w - 2 - view_strwidth(m), 12, R_DIM, m);
	}
	vl_free(&v);
}

/* The tag of row (from 0) of pane p's text, 0 past the rows it keeps. */
static int row_tag(const pane *p, int row)
{
	return row >= 0 && row < (int)(sizeof p->tags / sizeof p->tags[0]) ? p->tags[row] : 0;
}

void tui_click(app *a, int my, int mx)
{
	int i;

	for (i = 0; i < P_COUNT; i++) {
		pane *p = &a->panes[i];
		if (p->h == 0 || my < p->y || my >= p->y + p->h || mx < p->x || mx >= p->x + p->w)
			continue;
		a->focus = i;
		if (i == P_HEAP && my > p->y && my < p->y + p->h - 1)
			tui_state_select_card(&a->st, row_tag(p, my - p->y - 1));
		return;
	}
}

void tui_scroll_focused(app *a, int by)
{
	pane *p = &a->panes[a->focus];

	if (p->h == 0)
		return;
	if (p->scroll < 0)
		p->scroll = p->offset;
	p->scroll += by;
	if (p->scroll < 0)
		p->scroll = 0;
}

/* Tab and Shift-Tab: the next or previous generator, its card, channel
 * and bytecode shown from their start. */
static void select_next(app *a, int dir)
{
	tui_state_cycle(&a->st, dir);
	a->panes[P_HEAP].scroll = -1;
	a->panes[P_CHANNEL].scroll = -1;
	a->panes[P_BYTECODE].scroll = -1;
}

/* Show or hide the Bytecode pane; it is fetched as it is shown. */
static void show_bytecode(app *a, bool on)
{
	a->st.show_bytecode = on;
	tui_state_code_fill(&a->st);
}

/* The learner looks at pane f: a small screen's bottom row shows it, the
 * step's panes directive no longer chooses for it. */
static void chose_slot(app *a, int f)
{
	if (f != P_HEAP && f != P_CHANNEL && f != P_CONSOLE)
		return;
	if (f != P_CONSOLE)
		a->slot = f;
	a->slot_step = a->st.ses ? (long)session_script_pos(a->st.ses) + 1 : 0;
}

/* Focus pane f (0..5; the Bytecode pane is shown for it); a zoomed screen
 * zooms to it. */
static void focus_pane(app *a, int f)
{
	if (f == P_BYTECODE && !a->st.show_bytecode)
		show_bytecode(a, true);
	a->focus = f;
	chose_slot(a, f);
	if (a->zoom >= 0)
		a->zoom = f;
}

/* The keys that change what is looked at, not the lesson. */
void tui_view_act(app *a, tui_action act, int arg)
{
	switch (act) {
	case TA_SELECT: select_next(a, arg); break;
	case TA_FOCUS: focus_pane(a, arg); break;
	case TA_FOCUS_NEXT:
		do {
			a->focus = (a->focus + 1) % P_COUNT;
		} while (a->focus == P_BYTECODE && !a->st.show_bytecode);
		chose_slot(a, a->focus);
		if (a->zoom >= 0)
			a->zoom = a->focus;
		break;
	case TA_SCROLL: tui_scroll_focused(a, arg); break;
	case TA_SCROLL_PAGE: tui_scroll_focused(a, arg * (a->panes[a->focus].h - 3)); break;
	case TA_SCROLL_END: a->panes[a->focus].scroll = arg ? -1 : 0; break;
	case TA_ZOOM: a->zoom = a->zoom >= 0 ? -1 : a->focus; break;
	case TA_BYTECODE:
		show_bytecode(a, !a->st.show_bytecode);
		if (!a->st.show_bytecode && a->focus == P_BYTECODE)
			a->focus = P_SOURCE;
		if (a->st.show_bytecode)
			a->focus = P_BYTECODE;
		if (a->zoom >= 0)
			a->zoom = a->focus;
		break;
	case TA_TIMELINE:
		/* The Channel's other face: the pane, its key and its place
		 * stay; a small screen brings it into view. */
		a->panes[P_CHANNEL].ops = a->panes[P_CHANNEL].ops == &view_timeline_ops
		                          ? &view_channel_ops : &view_timeline_ops;
		a->panes[P_CHANNEL].scroll = -1;
		a->focus = P_CHANNEL;
		chose_slot(a, P_CHANNEL);
		if (a->zoom >= 0)
			a->zoom = P_CHANNEL;
		break;
	case TA_HELP: a->ov = OV_HELP; break;
	default: break;
	}
}

