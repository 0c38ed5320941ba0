/* tui.c: the terminal program: layout, the main loop, keys, guided and
 * free play, prompts, help, the lesson menu and the live flow.
 *
 * The panes (view_*.c) turn a view_ctx into lines; this file decides where
 * each pane goes, scrolls and draws it, and turns keys into session calls.
 * It reads the session's snapshot and history and never calls Python
 * except through the session and the engine's plain-C door.
 */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "progress.h"
#include "tui.h"
#include "tui_int.h"
#include "tui_keys.h"
#include "util.h"

/* The smallest screen where every pane and the prompt still fit. */
#define MIN_COLS 80
#define MIN_LINES 24
/* Milliseconds between frames of the live flow. */
#define FRAME_MS 350

/* ---- State ----------------------------------------------------------------------- */

enum { P_LESSON, P_SOURCE, P_HEAP, P_CHANNEL, P_CONSOLE, P_BYTECODE, P_COUNT };

typedef struct {
	const view_ops *ops;
	int y, x, h, w;                 /* the box; h == 0: not shown */
	int scroll;                     /* first line shown; -1: follow the anchor */
	int offset;                     /* first line shown at the last draw */
	int tags[512];                  /* line tags of the rows shown */
} pane;

typedef enum { OV_NONE, OV_HELP, OV_PROMPT, OV_QUIT, OV_RESUME } ovl_kind;

typedef enum { PR_SEND, PR_THROW, PR_STATEMENT, PR_PREDICT, PR_KINDS } prompt_kind;

typedef struct {
	char *path;
	char *name;                     /* file name */
	char *title;
	size_t nsteps;
	char *error;                    /* why it does not load, or NULL */
	progress_rec rec;               /* what was done in it before */
} menu_item;

/* An action waiting for the learner's prediction. */
typedef enum { ACT_NONE, ACT_STEP, ACT_DRIVE } act_kind;

typedef struct {
	act_kind kind;
	drive_kind drive;
	char *target, *arg;
	char *statement;                /* what it will run, for the prompt */
} pending_act;

/* Bytecode of one generator's code, kept so that an earlier step shows
 * the bytecode it showed then even when the generator is gone. */
typedef struct {
	unsigned long long id;
	char *function, *filename;
	int first_line;
	engine_instr *instrs;
	long n;
} code_bytes;

#define MAX_CODES 256

#define PROMPT_MAX 512
#define HIST_MAX 64

typedef struct {
	prompt_kind kind;
	char *target;                   /* label driven */
	wchar_t buf[PROMPT_MAX];
	int len, cur;
	char *error;                    /* the last ENGINE_ARG_ERROR message */
	int hpos;                       /* position in history while browsing */
	bool fresh;                     /* pre-filled and untouched: typing
	                                   replaces the text, as a selection */
} prompt;

typedef struct {
	tui_options o;
	tui_script *script;

	engine *eng;
	session *ses;
	bool in_menu;
	bool started_with_file;

	menu_item *menu;
	size_t nmenu, menu_sel, menu_top;
	char *menu_error;

	pane panes[P_COUNT];
	int focus;
	int zoom;                       /* pane zoomed, -1 none */
	bool show_bytecode;
	ovl_kind ov;
	prompt pr;
	char *history[PR_KINDS][HIST_MAX];      /* per prompt kind, newest last */
	int nhistory[PR_KINDS];

	char *selected;                 /* label of the selected generator */
	size_t shown;                   /* entries shown (history browsing) */
	bool browsing;
	bool animate;
	bool animating;
	size_t anim_events;

	code_bytes codes[MAX_CODES];    /* bytecode seen, oldest first */
	size_t ncodes;

	/* History: the selection as it was right after entry k-1 was done,
	 * so an earlier step shows the screen it showed; and the one chosen
	 * since, restored when the learner comes back to now. */
	char **sel_at;
	size_t sel_cap;
	char *live_sel;
	const session_entry **hist;     /* for view_ctx */
	size_t hist_cap;

	/* Line stepping (l): pause pause_at of the latest step is shown. */
	bool line_step;
	bool pausing;
	size_t pause_at;
	snap_step pause_snap;           /* the pause's generators (borrowed) */

	/* A heap with more generators than cards: [ and ] show the cards of
	 * page card_page (of max_cards each), fetched from the engine. */
	size_t card_page;
	size_t page_count;              /* session_count() when fetched */
	snap_step page_snap;            /* the live state with that page's
	                                   cards (gens owned, the rest borrowed) */

	/* Predict, then see (p). */
	bool predict_mode;
	pending_act pend;
	unsigned score0_right, score0_wrong;    /* before the first entry */

	/* Progress between runs. */
	progress *prog;
	char *prog_key;
	char *prog_title;
	progress_rec rec;

	char *flash;                    /* a one-time message in the key bar */
	bool quit;
} app;

static volatile int sigint_flag;
static volatile int busy_flag;
static const snap_step empty_snap;

static void pending_clear(pending_act *p);
static void progress_open_lesson(app *a);
static void show_warnings(app *a);

static void set_str(char **dst, const char *s)
{
	char *n = s ? ys_strdup(s) : NULL;
	ys_free(*dst);
	*dst = n;
}

static void flash_msg(app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void flash_msg(app *a, const char *fmt, ...)
{
	va_list ap;
	strbuf sb = {0};

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	ys_free(a->flash);
	a->flash = sb_take(&sb);
}

/* ---- What is shown ------------------------------------------------------------ */

static size_t entry_count(const app *a)
{
	return a->ses ? session_count(a->ses) : 0;
}

/* ---- Pages of cards ------------------------------------------------------------
 * The engine describes the first max_cards generators of each step; a heap
 * of a hundred thousand is looked through a page of cards at a time, each
 * page fetched when it is asked for, so the cost follows what is shown.
 */
static bool page_live(const app *a)
{
	return a->card_page > 0 && a->ses && a->page_count == session_count(a->ses);
}

static void page_clear(app *a)
{
	engine_cards_free(a->page_snap.gens, a->page_snap.ngens);
	memset(&a->page_snap, 0, sizeof a->page_snap);
	a->card_page = 0;
}

/* Show page `page` of the live state's cards (0: the engine's own first
 * cards). Returns false when it could not be fetched. */
static bool page_show(app *a, size_t page)
{
	const snap_step *live = session_state(a->ses);
	size_t per = a->o.engine.max_cards ? a->o.engine.max_cards : 1;
	snap_gen *gens;
	size_t n;

	if (page == 0) {
		page_clear(a);
		return true;
	}
	if (engine_cards(a->eng, page * per, per, &gens, &n) < 0 || n == 0) {
		engine_cards_free(gens, n);
		return false;
	}
	page_clear(a);
	a->page_snap = *live;
	a->page_snap.gens = gens;
	a->page_snap.ngens = n;
	a->card_page = page;
	a->page_count = session_count(a->ses);
	return true;
}

/* [ and ]: the page of cards dir pages away, live state only; the first
 * card of the page is selected. */
static void page_turn(app *a, int dir)
{
	const snap_step *live, *shown;
	size_t per = a->o.engine.max_cards ? a->o.engine.max_cards : 1, pages, page;

	if (!a->ses || a->browsing || a->pausing)
		return;
	live = session_state(a->ses);
	if (live->total_gens <= live->ngens)
		return;
	pages = (live->total_gens + per - 1) / per;
	page = page_live(a) ? a->card_page : 0;
	if (dir < 0 && page > 0)
		page--;
	else if (dir > 0 && page + 1 < pages)
		page++;
	if (!page_show(a, page))
		return;
	shown = page ? &a->page_snap : live;
	set_str(&a->selected, shown->ngens ? shown->gens[0].label : NULL);
}

/* After a step: the same page of cards, of the new state (the first page
 * when the heap has shrunk below it). */
static void page_refresh(app *a)
{
	if (a->card_page > 0 && !page_live(a) && !page_show(a, a->card_page))
		page_clear(a);
}

static const snap_step *shown_snap(const app *a)
{
	if (!a->ses)
		return &empty_snap;
	if (a->pausing)
		return &a->pause_snap;
	if (!a->browsing)
		return page_live(a) ? &a->page_snap : session_state(a->ses);
	if (a->shown == 0)
		return &empty_snap;
	return &session_entry_at(a->ses, a->shown - 1)->result;
}

/* The script position and off-script flag as they were after the first
 * n entries. */
static void past_position(const app *a, size_t n, size_t *pos, bool *off)
{
	size_t i;

	*pos = 0;
	*off = false;
	for (i = 0; i < n; i++) {
		const session_entry *e = session_entry_at(a->ses, i);
		if (e->origin == ENTRY_SCRIPT)
			*pos = e->step + 1;
		else
			*off = true;
	}
}

/* ---- Bytecode, kept per generator ------------------------------------------------ */

static bool same_code(const code_bytes *cb, const snap_gen *g)
{
	return cb->id == g->id && cb->first_line == g->first_line &&
	       cb->function && g->function && strcmp(cb->function, g->function) == 0 &&
	       cb->filename && g->filename && strcmp(cb->filename, g->filename) == 0;
}

static const code_bytes *code_find(const app *a, const snap_gen *g)
{
	size_t i;

	for (i = 0; g && i < a->ncodes; i++)
		if (same_code(&a->codes[i], g))
			return &a->codes[i];
	return NULL;
}

static void code_drop_oldest(app *a)
{
	code_bytes *cb = &a->codes[0];

	ys_free(cb->function);
	ys_free(cb->filename);
	engine_instrs_free(cb->instrs, cb->n);
	memmove(a->codes, a->codes + 1, (a->ncodes - 1) * sizeof *a->codes);
	a->ncodes--;
}

/* Disassemble every generator of the live state not seen yet. Generators
 * are named by their labels, which only the live state's are valid for. */
static void code_fill(app *a)
{
	const snap_step *st;
	size_t i;

	if (!a->ses || !a->eng)
		return;
	st = session_state(a->ses);
	for (i = 0; i < st->ngens; i++) {
		const snap_gen *g = &st->gens[i];
		code_bytes *cb;
		engine_instr *in = NULL;
		long n;

		if (!g->label || g->state == SNAP_CLOSED || code_find(a, g))
			continue;
		n = engine_disassemble(a->eng, g->label, &in);
		if (n < 0)
			continue;
		if (a->ncodes == MAX_CODES)
			code_drop_oldest(a);
		cb = &a->codes[a->ncodes++];
		cb->id = g->id;
		cb->first_line = g->first_line;
		cb->function = ys_strdup(g->function);
		cb->filename = ys_strdup(g->filename);
		cb->instrs = in;
		cb->n = n;
	}
}

static void code_clear(app *a)
{
	while (a->ncodes)
		code_drop_oldest(a);
}

/* ---- Selection history --------------------------------------------------------------- */

/* Remember the selection as the one after k entries. */
static void sel_remember(app *a, size_t k)
{
	if (k >= a->sel_cap) {
		size_t cap = a->sel_cap ? a->sel_cap : 64, i;
		char **v;
		while (cap <= k)
			cap *= 2;
		v = ys_realloc(a->sel_at, cap * sizeof *v);
		if (!v)
			return;
		for (i = a->sel_cap; i < cap; i++)
			v[i] = NULL;
		a->sel_at = v;
		a->sel_cap = cap;
	}
	set_str(&a->sel_at[k], a->selected);
}

static void fix_selection(app *a, bool follow_script);

/* The selection after k entries, as remembered; for entries never shown
 * (replayed on resuming) the one the script would have chosen. */
static void sel_recall(app *a, size_t k)
{
	const snap_step *st = shown_snap(a);
	const lesson *l;
	size_t pos;
	bool off;

	if (k < a->sel_cap && a->sel_at[k]) {
		set_str(&a->selected, a->sel_at[k]);
		return;
	}
	past_position(a, k, &pos, &off);
	l = session_lesson(a->ses);
	if (pos < l->nsteps && l->steps[pos].drive.kind != DRIVE_NONE &&
	    snap_find(st, l->steps[pos].drive.target)) {
		set_str(&a->selected, l->steps[pos].drive.target);
		return;
	}
	if (a->selected && snap_find(st, a->selected))
		return;
	set_str(&a->selected, st->ngens && st->gens[0].label ? st->gens[0].label : NULL);
}

static void sel_clear(app *a)
{
	size_t i;

	for (i = 0; i < a->sel_cap; i++)
		ys_free(a->sel_at[i]);
	ys_free(a->sel_at);
	a->sel_at = NULL;
	a->sel_cap = 0;
}

/* ---- The context the panes draw from --------------------------------------------- */

/* Hops (non-line pauses) up to and including pause i: how many of the
 * step's events have happened, for the Channel. */
static size_t hops_until(const snap_step *st, size_t i)
{
	size_t k, n = 0;

	for (k = 0; k <= i && k < st->npauses; k++)
		if (st->pauses[k].kind != SNAP_PAUSE_LINE)
			n++;
	return n < st->nevents ? n : st->nevents;
}

static void make_ctx(app *a, view_ctx *c)
{
	size_t i, n, count;
	const code_bytes *cb;

	memset(c, 0, sizeof *c);
	c->snap = shown_snap(a);
	if (c->snap == &a->page_snap)
		c->card_offset = a->card_page * a->o.engine.max_cards;
	c->python_version = engine_python_version();
	if (!a->ses)
		return;
	c->lesson = session_lesson(a->ses);
	count = entry_count(a);
	n = a->browsing ? a->shown : a->pausing ? count - 1 : count;
	if (count > a->hist_cap) {
		const session_entry **v = ys_realloc(a->hist, (count + 256) * sizeof *v);
		if (v) {
			a->hist = v;
			a->hist_cap = count + 256;
		}
	}
	if (n > a->hist_cap)
		n = a->hist_cap;
	for (i = 0; i < n; i++)
		a->hist[i] = session_entry_at(a->ses, i);
	c->hist = a->hist;
	c->nhist = n;
	if (a->browsing || a->pausing) {
		past_position(a, n, &c->script_pos, &c->off_script);
	} else {
		c->script_pos = session_script_pos(a->ses);
		c->off_script = session_off_script(a->ses);
	}
	c->browsing = a->browsing;
	c->busy = busy_flag;
	c->selected = a->selected;
	/* engine.c compiles code steps under this name (its PROGRAM_NAME);
	 * generators whose code has it are paused on program lines. */
	c->program_file = "<lesson>";
	c->animating = a->animating && !a->browsing;
	c->anim_events = a->anim_events;
	if (a->pausing) {
		const snap_step *res = session_state(a->ses);
		c->running = session_entry_at(a->ses, count - 1);
		c->pause = &res->pauses[a->pause_at];
		c->chain_snap = res;
		c->pause_index = a->pause_at;
		c->npauses = res->npauses;
		c->animating = true;
		c->anim_events = hops_until(res, a->pause_at);
	}
	c->predict_mode = a->predict_mode;
	if (n > 0) {
		c->score_right = a->hist[n - 1]->right;
		c->score_wrong = a->hist[n - 1]->wrong;
	} else {
		c->score_right = a->score0_right;
		c->score_wrong = a->score0_wrong;
	}
	if (a->show_bytecode && c->pause && c->pause->nstack > 0 &&
	    c->pause->stack[c->pause->nstack - 1].generator) {
		/* Follow the running frame: its code is the code of any
		 * generator of that function seen before (its label may not
		 * evaluate any more once the step has run). */
		const snap_frame *f = &c->pause->stack[c->pause->nstack - 1];
		for (i = a->ncodes; i > 0; i--) {
			cb = &a->codes[i - 1];
			if (cb->function && f->function && strcmp(cb->function, f->function) == 0 &&
			    cb->filename && f->filename && strcmp(cb->filename, f->filename) == 0) {
				c->instrs = cb->instrs;
				c->ninstrs = cb->n;
				break;
			}
		}
		c->code_of = f->function ? f->function : "?";
	} else if (a->show_bytecode) {
		const snap_gen *g = snap_find(c->snap, a->selected);
		cb = code_find(a, g);
		if (g && !cb) {
			code_fill(a);
			cb = code_find(a, g);
		}
		if (cb) {
			c->instrs = cb->instrs;
			c->ninstrs = cb->n;
		}
	}
}

/* Keep the selection on a generator that exists; prefer the one the next
 * scripted step drives. */
static void fix_selection(app *a, bool follow_script)
{
	const snap_step *st = shown_snap(a);
	const lesson_step *next = a->ses ? session_next_step(a->ses) : NULL;

	if (follow_script && next && next->drive.kind != DRIVE_NONE &&
	    snap_find(st, next->drive.target)) {
		set_str(&a->selected, next->drive.target);
		return;
	}
	if (a->selected && snap_find(st, a->selected))
		return;
	if (next && next->drive.kind != DRIVE_NONE && snap_find(st, next->drive.target)) {
		set_str(&a->selected, next->drive.target);
		return;
	}
	set_str(&a->selected, st->ngens && st->gens[0].label ? st->gens[0].label : NULL);
}

/* ---- Layout ---------------------------------------------------------------------- */

static void place(pane *p, int y, int x, int h, int w)
{
	p->y = y;
	p->x = x;
	p->h = h;
	p->w = w;
}

static void layout(app *a)
{
	int H = LINES, W = COLS, i, top, lesson_h, rest, bottom, left;

	for (i = 0; i < P_COUNT; i++)
		place(&a->panes[i], 0, 0, 0, 0);
	if (a->zoom >= 0) {
		place(&a->panes[a->zoom], 0, 0, H - 1, W);
		return;
	}
	if (W >= 140) {
		/* Wide: Lesson over Console | Source over Channel | Heap. */
		int wa = W * 36 / 100, wb = W * 32 / 100, wc = W - wa - wb;
		int avail = H - 1;
		int lh = avail * 45 / 100, sh = avail * 55 / 100;
		place(&a->panes[P_LESSON], 0, 0, lh, wa);
		place(&a->panes[P_CONSOLE], lh, 0, avail - lh, wa);
		if (a->show_bytecode) {
			int bh = avail * 35 / 100;
			sh = avail * 38 / 100;
			place(&a->panes[P_SOURCE], 0, wa, sh, wb);
			place(&a->panes[P_BYTECODE], sh, wa, bh, wb);
			place(&a->panes[P_CHANNEL], sh + bh, wa, avail - sh - bh, wb);
		} else {
			place(&a->panes[P_SOURCE], 0, wa, sh, wb);
			place(&a->panes[P_CHANNEL], sh, wa, avail - sh, wb);
		}
		place(&a->panes[P_HEAP], 0, wa + wb, avail, wc);
		return;
	}
	/* Narrow: Lesson across the top, Source | Heap, Console | Channel. */
	lesson_h = (H + 8) / 4;
	if (lesson_h > 14)
		lesson_h = 14;
	rest = H - 1 - lesson_h;
	bottom = rest * 40 / 100;
	if (bottom < 6)
		bottom = 6;
	top = rest - bottom;
	left = W / 2;
	place(&a->panes[P_LESSON], 0, 0, lesson_h, W);
	place(&a->panes[a->show_bytecode ? P_BYTECODE : P_SOURCE], lesson_h, 0, top, left);
	place(&a->panes[P_HEAP], lesson_h, left, top, W - left);
	place(&a->panes[P_CONSOLE], lesson_h + top, 0, bottom, left);
	place(&a->panes[P_CHANNEL], lesson_h + top, left, bottom, W - left);
}

/* ---- Drawing ---------------------------------------------------------------------- */

static void draw_pane(app *a, int idx, const view_ctx *c)
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
	/* Where to start: where the learner scrolled, else the end (console)
	 * or a view of the anchored lines with some context above them. */
	if (p->scroll >= 0) {
		off = p->scroll;
	} else if (p->ops->stick_bottom) {
		off = n - v.pin - body;
	} else if (v.anchor >= 0) {
		int want = v.anchor - body / 3;
		if (v.anchor_end - want >= body)
			want = v.anchor_end - body + 1;
		if (want > v.anchor)
			want = v.anchor;
		off = want;
	} else {
		off = 0;
	}
	if (off > n - v.pin - body)
		off = n - v.pin - body;
	if (off < 0)
		off = 0;
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

/* The key bar: the keys that apply now, as many as fit, most useful first. */
static void draw_bar(app *a, const tui_hint *k, size_t n, const char *right, view_role rr)
{
	int y = LINES - 1, col = 0, rw = right ? view_strwidth(right) + 2 : 0;
	size_t i;

	tui_fill(stdscr, y, 0, COLS, R_BAR);
	if (a->flash) {
		tui_put(stdscr, y, 1, COLS - 2 - rw, R_ACTION, a->flash);
	} else {
		col = 0;
		for (i = 0; i < n; i++) {
			int need = view_strwidth(k[i].key) + 2 + view_strwidth(k[i].what) + 1;
			if (col + need > COLS - rw)
				break;
			col += tui_put(stdscr, y, col, COLS - col, R_NORMAL, " ");
			col += tui_put(stdscr, y, col, COLS - col, R_KEY, k[i].key);
			col += tui_put(stdscr, y, col, COLS - col, R_BAR, " ");
			col += tui_put(stdscr, y, col, COLS - col, R_BAR, k[i].what);
			col += tui_put(stdscr, y, col, COLS - col, R_BAR, " ");
		}
	}
	if (right)
		tui_put(stdscr, y, COLS - rw + 1, rw, rr, right);
}

/* Is the state shown off script? */
static bool shown_off_script(const app *a)
{
	size_t pos;
	bool off = a->ses && session_off_script(a->ses);

	if (a->ses && a->browsing)
		past_position(a, a->shown, &pos, &off);
	return off;
}

/* The mode the key bar shows the keys of. */
static unsigned bar_mode(const app *a)
{
	if (busy_flag)
		return M_BUSY;
	if (a->animating && !a->browsing && a->ov == OV_NONE)
		return M_ANIM;
	switch (a->ov) {
	case OV_HELP: return M_HELP;
	case OV_PROMPT: return M_PROMPT;
	case OV_QUIT: return M_QUIT;
	case OV_RESUME: return M_RESUME;
	case OV_NONE: break;
	}
	if (a->in_menu)
		return M_MENU;
	return a->pausing ? M_PAUSE : a->browsing ? M_BROWSE : M_LESSON;
}

/* What is true now, as the key bar's rows ask (C_* of tui_keys.h). */
static unsigned bar_have(const app *a)
{
	const snap_step *st = shown_snap(a);
	unsigned h = 0;

	if (a->ses && session_next_step(a->ses))
		h |= C_NEXT_STEP;
	if (a->selected)
		h |= C_SELECTED;
	if (st->ngens > 1)
		h |= C_GENS;
	if (st->total_gens > st->ngens)
		h |= C_MORE_CARDS;
	if (shown_off_script(a))
		h |= C_OFF;
	if (entry_count(a) > 0)
		h |= C_HISTORY;
	if (a->started_with_file)
		h |= C_FILE;
	if (a->zoom >= 0)
		h |= C_ZOOMED;
	h |= a->pr.kind == PR_SEND ? C_PR_SEND : a->pr.kind == PR_THROW ? C_PR_THROW :
	     a->pr.kind == PR_PREDICT ? C_PR_PREDICT : C_PR_STATEMENT;
	return h;
}

/* The modes in force, written out on the right of the key bar. */
static void mode_text(const app *a, char *modes, size_t n)
{
	size_t at = 0;

	modes[0] = '\0';
	if (a->browsing)
		at += (size_t)snprintf(modes, n, " HISTORY %zu/%zu ", a->shown, entry_count(a));
	if (a->line_step && at < n)
		at += (size_t)snprintf(modes + at, n - at, "%sLINES ", at ? "" : " ");
	if (a->predict_mode && at < n)
		at += (size_t)snprintf(modes + at, n - at, "%sPREDICT ", at ? "" : " ");
	if (shown_off_script(a) && !a->pausing && at < n)
		snprintf(modes + at, n - at, "%sOFF SCRIPT ", at ? "" : " ");
}

/* The key bar, from the table of actions. */
static void key_bar(app *a)
{
	unsigned mode = bar_mode(a);
	tui_hint k[32];
	size_t n = tui_key_bar(mode, bar_have(a), k, sizeof k / sizeof k[0]);
	char modes[96] = "";

	if (mode == M_BUSY) {
		draw_bar(a, k, n, "running", R_ACTION);
		return;
	}
	if (mode & M_PLAY)
		mode_text(a, modes, sizeof modes);
	draw_bar(a, k, n, modes[0] ? modes : NULL, R_OFF);
}

/* A box in the middle of the screen; returns its inner top-left. */
static void center_box(int h, int w, const char *title, int *y, int *x)
{
	int by = (LINES - h) / 2, bx = (COLS - w) / 2, i;

	if (by < 0)
		by = 0;
	if (bx < 0)
		bx = 0;
	for (i = 0; i < h; i++)
		tui_fill(stdscr, by + i, bx, w, R_NORMAL);
	tui_box(stdscr, by, bx, h, w, true, title, NULL);
	*y = by + 1;
	*x = bx + 2;
}

/* The help screen: the table's rows that have help text, in its order. */
static void draw_help(void)
{
	int n = 0, h, w = 72, y, x, i = 0;
	size_t r;

	for (r = 0; r < tui_nkeys; r++)
		if (tui_keys[r].help)
			n++;
	h = n + 4;
	if (w > COLS)
		w = COLS;
	if (h > LINES - 1)
		h = LINES - 1;
	center_box(h, w, "Keys", &y, &x);
	for (r = 0; r < tui_nkeys && i < h - 3; r++) {
		const tui_key *k = &tui_keys[r];
		char buf[40];
		if (!k->help)
			continue;
		if (k->help_keys) {
			tui_put(stdscr, y + i, x, 18, R_CODE, tui_key_label(k->help_keys, buf, sizeof buf));
			tui_put(stdscr, y + i, x + 18, w - 22, R_NORMAL, k->help);
		} else {
			tui_put(stdscr, y + i, x + 18, w - 22, R_DIM, k->help);
		}
		i++;
	}
	tui_put(stdscr, y + h - 3, x, w - 4, R_DIM, "Every action is echoed in the Console as the Python it runs.");
}

static void draw_prompt(app *a)
{
	int w = COLS - 4, h = 4, y, x, bx = 2, by = LINES - 1 - h, col, i, avail, start;
	char title[256], pre[300];
	const char *post;
	prompt *p = &a->pr;

	if (w > 100) {
		w = 100;
		bx = (COLS - w) / 2;
	}
	if (p->kind == PR_SEND) {
		snprintf(title, sizeof title, "send a value into %s", p->target);
		snprintf(pre, sizeof pre, "%s.send(", p->target);
		post = ")";
	} else if (p->kind == PR_THROW) {
		snprintf(title, sizeof title, "throw an exception into %s", p->target);
		snprintf(pre, sizeof pre, "%s.throw(", p->target);
		post = ")";
	} else if (p->kind == PR_PREDICT) {
		snprintf(title, sizeof title, "predict: what will  %s  show?",
		         a->pend.statement ? a->pend.statement : "it");
		pre[0] = '\0';
		post = "";
	} else {
		snprintf(title, sizeof title, "run a Python statement");
		pre[0] = '\0';
		post = "";
	}
	for (i = 0; i < h; i++)
		tui_fill(stdscr, by + i, bx, w, R_NORMAL);
	tui_box(stdscr, by, bx, h, w, true, title, NULL);
	y = by + 1;
	x = bx + 2;
	col = x;
	col += tui_put(stdscr, y, col, w - 4, R_PROMPT, p->kind == PR_PREDICT ? "you expect: " : ">>> ");
	col += tui_put(stdscr, y, col, x + w - 4 - col, R_DIM, pre);
	avail = x + w - 4 - col - view_strwidth(post) - 1;
	/* Scroll the text so the cursor stays in view. */
	start = p->cur > avail ? p->cur - avail : 0;
	for (i = start; i <= p->len && col < x + w - 4; i++) {
		char mb[MB_LEN_MAX + 1];
		mbstate_t st;
		size_t n;
		wchar_t ch = i < p->len ? p->buf[i] : L' ';
		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, ch, &st);
		if (n == (size_t)-1) {
			mb[0] = '?';
			n = 1;
		}
		mb[n] = '\0';
		if (i == p->cur) {
			/* The cursor as a lit cell, visible in screen dumps too. */
			attr_t at = tui_attr(R_CODE) | A_REVERSE;
			attron(at);
			mvaddstr(y, col, mb);
			attroff(at);
			col += 1;
		} else if (i < p->len) {
			col += tui_put(stdscr, y, col, 1, p->fresh ? R_SELECTED : R_CODE, mb);
		}
		if (i == p->len)
			break;
	}
	tui_put(stdscr, y, col, x + w - 4 - col, R_DIM, post);
	if (p->error) {
		tui_put(stdscr, y + 1, x, 2, R_ERROR, view_g->cross);
		tui_put(stdscr, y + 1, x + 2, w - 6, R_ERROR, p->error);
	} else {
		tui_put(stdscr, y + 1, x, w - 4, R_DIM,
		        p->kind == PR_THROW ? "An exception class or instance, e.g. ValueError('bad'), "
		                              "evaluated in the lesson."
		        : p->kind == PR_PREDICT ? "Value, printed text or exception type; "
		                                  "Enter alone: nothing; Space: skip"
		        : "Any Python expression, evaluated in the lesson's namespace.");
	}
	if (!a->script) {
		move(y, col > x + w - 4 ? x + w - 4
		     : (p->cur - start) + x + (p->kind == PR_PREDICT ? 12 : 4) + view_strwidth(pre));
	}
}

static void draw_resume(app *a)
{
	int y, x, w = 64;
	char line[160];
	const lesson *l = session_lesson(a->ses);

	if (w > COLS - 2)
		w = COLS - 2;
	center_box(8, w, "Welcome back", &y, &x);
	snprintf(line, sizeof line, "Last time you reached step %zu of %zu.",
	         a->rec.furthest + 1 <= l->nsteps ? a->rec.furthest + 1 : l->nsteps, l->nsteps);
	tui_put(stdscr, y + 1, x, w - 4, R_BOLD, line);
	if (a->rec.right + a->rec.wrong > 0) {
		snprintf(line, sizeof line, "Predictions so far: %u right, %u wrong.",
		         a->rec.right, a->rec.wrong);
		tui_put(stdscr, y + 2, x, w - 4, R_NORMAL, line);
	}
	tui_put(stdscr, y + 4, x, 8, R_KEY, "Enter");
	tui_put(stdscr, y + 4, x + 8, w - 12, R_NORMAL, "continue there (the steps before replay)");
	tui_put(stdscr, y + 5, x, 8, R_KEY, "Esc");
	tui_put(stdscr, y + 5, x + 8, w - 12, R_NORMAL, "start from the beginning");
}

static void draw_quit(void)
{
	int y, x;

	center_box(5, 40, "Quit", &y, &x);
	tui_put(stdscr, y + 1, x, 36, R_BOLD, "Quit yieldscope?   y / n");
}

static void draw_too_small(void)
{
	char msg[80], now[80];
	int y = LINES / 2 - 1;

	snprintf(msg, sizeof msg, "make the window at least %d%s%d", MIN_COLS, view_g->times, MIN_LINES);
	snprintf(now, sizeof now, "(it is %d%s%d now)", COLS, view_g->times, LINES);
	erase();
	if (y < 0)
		y = 0;
	tui_put(stdscr, y, (COLS - view_strwidth(msg)) / 2 > 0 ? (COLS - view_strwidth(msg)) / 2 : 0,
	        COLS, R_BOLD, msg);
	if (y + 1 < LINES)
		tui_put(stdscr, y + 1, (COLS - view_strwidth(now)) / 2 > 0 ? (COLS - view_strwidth(now)) / 2 : 0,
		        COLS, R_DIM, now);
	if (y + 3 < LINES)
		tui_put(stdscr, y + 3, (COLS - 10) / 2 > 0 ? (COLS - 10) / 2 : 0, COLS, R_DIM, "q quits");
}

static void draw_menu(app *a)
{
	int w = COLS > 100 ? 100 : COLS, bx = (COLS - w) / 2, h = LINES - 1, y, x, rows, i;

	tui_box(stdscr, 0, bx, h, w, true, "yieldscope", "lessons on generators");
	y = 2;
	x = bx + 3;
	tui_put(stdscr, y, x, w - 6, R_NORMAL,
	        "Choose a lesson. Each one runs real Python, step by step.");
	y += 2;
	rows = h - 1 - y;
	if (a->nmenu == 0) {
		tui_put(stdscr, y, x, w - 6, R_ERROR, "No lessons found in");
		tui_put(stdscr, y + 1, x, w - 6, R_CODE, a->o.lessons_dir ? a->o.lessons_dir : "(no folder)");
	}
	if (a->menu_sel < a->menu_top)
		a->menu_top = a->menu_sel;
	if ((int)(a->menu_sel - a->menu_top) >= rows)
		a->menu_top = a->menu_sel - (size_t)rows + 1;
	for (i = 0; i < rows && a->menu_top + (size_t)i < a->nmenu; i++) {
		const menu_item *m = &a->menu[a->menu_top + (size_t)i];
		bool sel = a->menu_top + (size_t)i == a->menu_sel;
		int col = x, right = bx + w - 3;
		char steps[80];
		view_role r = sel ? R_TITLE_FOCUS : R_NORMAL;

		if (sel)
			tui_fill(stdscr, y + i, x - 1, w - 4, R_TITLE_FOCUS);
		col += tui_put(stdscr, y + i, col, 2, r, sel ? view_g->sel : " ");
		col += tui_put(stdscr, y + i, col, 1, r, " ");
		if (m->error)
			snprintf(steps, sizeof steps, "does not load");
		else if (m->rec.furthest >= m->nsteps)
			snprintf(steps, sizeof steps, "done");
		else if (m->rec.furthest > 0)
			snprintf(steps, sizeof steps, "step %zu/%zu", m->rec.furthest + 1, m->nsteps);
		else
			snprintf(steps, sizeof steps, "%zu steps", m->nsteps);
		if (!m->error && m->rec.right + m->rec.wrong > 0) {
			size_t l = strlen(steps);
			if ((unsigned char)view_g->check[0] >= 0x80)
				snprintf(steps + l, sizeof steps - l, "  %s%u %s%u", view_g->check,
				         m->rec.right, view_g->cross, m->rec.wrong);
			else
				snprintf(steps + l, sizeof steps - l, "  %u right %u wrong",
				         m->rec.right, m->rec.wrong);
		}
		right -= view_strwidth(steps);
		if (w >= 90) {
			int nw = view_strwidth(m->name);
			tui_put(stdscr, y + i, right - nw - 2, nw, sel ? r : R_DIM, m->name);
			right -= nw + 2;
		}
		tui_put(stdscr, y + i, col, right - col - 2, sel ? r : R_BOLD, m->title ? m->title : m->name);
		tui_put(stdscr, y + i, bx + w - 3 - view_strwidth(steps), 40,
		        sel ? r : m->error ? R_ERROR : m->rec.furthest >= m->nsteps ? R_GOOD : R_DIM, steps);
	}
	if (a->menu_error)
		tui_put(stdscr, h - 2, x, w - 6, R_ERROR, a->menu_error);
}

static void draw(void *arg)
{
	app *a = arg;
	int i;
	view_ctx c;

	erase();
	curs_set(0);
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		draw_too_small();
		refresh();
		return;
	}
	if (a->in_menu) {
		draw_menu(a);
	} else {
		layout(a);
		make_ctx(a, &c);
		for (i = 0; i < P_COUNT; i++)
			if (a->panes[i].h > 0)
				draw_pane(a, i, &c);
	}
	key_bar(a);
	if (a->ov == OV_HELP)
		draw_help();
	else if (a->ov == OV_QUIT)
		draw_quit();
	else if (a->ov == OV_RESUME && a->ses)
		draw_resume(a);
	else if (a->ov == OV_PROMPT) {
		draw_prompt(a);
		if (!a->script)
			curs_set(1);
	}
	refresh();
}

/* ---- The menu ---------------------------------------------------------------------- */

static int menu_cmp(const void *x, const void *y)
{
	return strcmp(((const menu_item *)x)->name, ((const menu_item *)y)->name);
}

static void menu_free(app *a)
{
	size_t i;

	for (i = 0; i < a->nmenu; i++) {
		ys_free(a->menu[i].path);
		ys_free(a->menu[i].name);
		ys_free(a->menu[i].title);
		ys_free(a->menu[i].error);
	}
	ys_free(a->menu);
	a->menu = NULL;
	a->nmenu = 0;
}

static void menu_load(app *a)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0, i;

	menu_free(a);
	if (!a->o.lessons_dir || !(d = opendir(a->o.lessons_dir)))
		return;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		menu_item *m;
		if (n < 4 || strcmp(de->d_name + n - 3, ".md") != 0 || de->d_name[0] == '.')
			continue;
		if (a->nmenu == cap) {
			menu_item *nm;
			cap = cap ? cap * 2 : 16;
			nm = ys_realloc(a->menu, cap * sizeof *nm);
			if (!nm)
				break;
			a->menu = nm;
		}
		m = &a->menu[a->nmenu++];
		memset(m, 0, sizeof *m);
		m->name = ys_strdup(de->d_name);
		m->path = ys_asprintf("%s/%s", a->o.lessons_dir, de->d_name);
	}
	closedir(d);
	if (a->nmenu)
		qsort(a->menu, a->nmenu, sizeof *a->menu, menu_cmp);
	for (i = 0; i < a->nmenu; i++) {
		lesson_error err;
		lesson *l = a->menu[i].path ? lesson_load(a->menu[i].path, &err) : NULL;
		if (!l) {
			a->menu[i].error = ys_asprintf("line %d: %s", err.line, err.message);
			continue;
		}
		a->menu[i].title = ys_strdup(l->title);
		a->menu[i].nsteps = l->nsteps;
		lesson_free(l);
		if (a->prog) {
			char *key = progress_key(a->menu[i].path);
			if (key)
				progress_get(a->prog, key, &a->menu[i].rec);
			ys_free(key);
		}
	}
	show_warnings(a);
}

/* ---- Lessons and actions --------------------------------------------------------- */

static void reset_view(app *a)
{
	int i;

	for (i = 0; i < P_COUNT; i++)
		a->panes[i].scroll = -1;
	a->browsing = false;
	a->shown = entry_count(a);
}

static bool open_lesson(app *a, const char *path)
{
	lesson_error err;
	lesson *l = lesson_load(path, &err);
	char msg[256];

	set_str(&a->menu_error, NULL);
	if (!l) {
		a->menu_error = ys_asprintf("%s:%d: %s", err.path, err.line, err.message);
		return false;
	}
	if (!a->eng) {
		a->eng = engine_new(&a->o.engine, msg, sizeof msg);
		if (!a->eng) {
			lesson_free(l);
			a->menu_error = ys_asprintf("Python did not start: %s", msg);
			return false;
		}
	}
	a->ses = session_new(l, a->eng);
	if (!a->ses) {
		a->menu_error = ys_strdup("out of memory");
		return false;
	}
	a->in_menu = false;
	a->focus = P_LESSON;
	a->zoom = -1;
	set_str(&a->selected, NULL);
	code_clear(a);
	sel_clear(a);
	a->pausing = false;
	reset_view(a);
	session_set_line_stepping(a->ses, a->line_step);
	progress_open_lesson(a);
	return true;
}

static void close_lesson(app *a)
{
	page_clear(a);
	session_free(a->ses);
	a->ses = NULL;
	a->animating = false;
	a->pausing = false;
	a->ov = OV_NONE;
	pending_clear(&a->pend);
}

/* ---- Progress ------------------------------------------------------------------------ */

/* Progress warnings (a corrupt file, a failed save), each shown once, in
 * the message line. */
static void show_warnings(app *a)
{
	const char *w;

	while ((w = progress_warning(a->prog)) != NULL) {
		if (a->flash)
			flash_msg(a, "%s  %s", a->flash, w);
		else
			flash_msg(a, "%s", w);
	}
}

static void save_progress(app *a)
{
	progress_rec r = a->rec;
	const lesson *l;

	if (!a->ses || !a->prog || !a->prog_key)
		return;
	l = session_lesson(a->ses);
	if (session_script_pos(a->ses) > r.furthest)
		r.furthest = session_script_pos(a->ses);
	r.nsteps = l->nsteps;
	session_score(a->ses, &r.right, &r.wrong);
	if (memcmp(&r, &a->rec, sizeof r) != 0) {
		/* A failed save is reported (once) and the lesson goes on. */
		if (progress_put(a->prog, a->prog_key, a->prog_title, &r) == 0)
			a->rec = r;
	}
	show_warnings(a);
}

/* Read the lesson's progress; offer to resume where it was left. */
static void progress_open_lesson(app *a)
{
	const lesson *l = session_lesson(a->ses);
	progress_rec r;

	ys_free(a->prog_key);
	a->prog_key = progress_key(l->path);
	set_str(&a->prog_title, l->title);
	memset(&a->rec, 0, sizeof a->rec);
	a->score0_right = a->score0_wrong = 0;
	if (a->prog && a->prog_key && progress_get(a->prog, a->prog_key, &r) == 1) {
		a->rec = r;
		a->score0_right = r.right;
		a->score0_wrong = r.wrong;
		session_set_score(a->ses, r.right, r.wrong);
		if (r.furthest > 0 && r.furthest < l->nsteps)
			a->ov = OV_RESUME;
		else if (r.furthest >= l->nsteps)
			flash_msg(a, "You finished this lesson before. Welcome back!");
	}
	show_warnings(a);
}

/* ---- Performing steps ------------------------------------------------------------------ */

/* Show "running" before lesson code runs, which may take a while. */
static void before_run(app *a)
{
	busy_flag = 1;
	draw(a);
}

/* Show pause a->pause_at of the latest step. Bytecode and selection
 * follow the running generator. */
static void set_pause(app *a)
{
	const snap_step *res = session_state(a->ses);
	const snap_pause *p = &res->pauses[a->pause_at];

	memset(&a->pause_snap, 0, sizeof a->pause_snap);
	a->pause_snap.gens = p->gens;
	a->pause_snap.ngens = p->ngens;
	a->pause_snap.events = res->events;
	a->pause_snap.nevents = res->nevents;
	if (p->nstack > 0 && p->stack[p->nstack - 1].label &&
	    snap_find(&a->pause_snap, p->stack[p->nstack - 1].label))
		set_str(&a->selected, p->stack[p->nstack - 1].label);
	a->panes[P_HEAP].scroll = -1;
	a->panes[P_SOURCE].scroll = -1;
	a->panes[P_BYTECODE].scroll = -1;
	a->panes[P_CHANNEL].scroll = -1;
}

/* Leave line stepping's pauses for the end of the step. */
static void end_pause(app *a)
{
	if (!a->pausing)
		return;
	a->pausing = false;
	sel_recall(a, entry_count(a));
	reset_view(a);
}

static void next_pause(app *a)
{
	const snap_step *res = session_state(a->ses);

	if (a->pause_at + 1 >= res->npauses) {
		end_pause(a);
		return;
	}
	a->pause_at++;
	set_pause(a);
}

static void after_run(app *a, int rc, bool scripted)
{
	const snap_step *st;

	busy_flag = 0;
	a->pausing = false;
	reset_view(a);
	if (rc == ENGINE_FAILED)
		flash_msg(a, "The engine failed (out of memory?): the step was not completed.");
	page_refresh(a);
	fix_selection(a, scripted);
	sel_remember(a, entry_count(a));
	st = session_state(a->ses);
	a->animating = a->animate && st->nevents > 0;
	a->anim_events = 0;
	if (a->show_bytecode)
		code_fill(a);
	if (rc == ENGINE_OK && st->npauses > 0 && entry_count(a) > 0) {
		/* Line stepping: the step is shown from its first pause. */
		a->animating = false;
		a->pausing = true;
		a->pause_at = 0;
		set_pause(a);
	}
	save_progress(a);
}

/* Before an action: when an earlier step is shown, go back to it for
 * real, so the action acts on the state shown (the later steps are
 * dropped, the lesson replayed up to there). Returns false when that
 * failed. */
static bool act_here(app *a)
{
	size_t k, dropped;
	int rc;

	end_pause(a);
	if (!a->browsing)
		return true;
	k = a->shown;
	if (k >= entry_count(a)) {
		reset_view(a);
		return true;
	}
	dropped = entry_count(a) - k;
	before_run(a);
	rc = session_truncate(a->ses, k);
	busy_flag = 0;
	/* The selection stays the one shown: the action is on it. */
	reset_view(a);
	if (rc != ENGINE_OK) {
		flash_msg(a, "The engine failed going back (out of memory?).");
		return false;
	}
	flash_msg(a, "Went back to here: %zu later step%s dropped.", dropped,
	          dropped == 1 ? "" : "s");
	return true;
}

/* Does a drive of kind on the selected generator with arg match the
 * lesson's next step? Then performing the step keeps the learner on
 * script. */
static bool matches_script(app *a, drive_kind kind, const char *arg)
{
	const lesson_step *st = session_next_step(a->ses);

	if (!st || st->kind != LESSON_STATEMENT || st->drive.kind != kind || !a->selected)
		return false;
	if (strcmp(st->drive.target, a->selected) != 0)
		return false;
	if (kind == DRIVE_SEND || kind == DRIVE_THROW)
		return arg && st->drive.arg && strcmp(arg, st->drive.arg) == 0;
	return true;
}

static void pending_clear(pending_act *p)
{
	ys_free(p->target);
	ys_free(p->arg);
	ys_free(p->statement);
	memset(p, 0, sizeof *p);
}

/* Perform a step (ACT_STEP) or a drive of the selected generator, then
 * score the prediction when one was made (answer not NULL). Returns the
 * session's result; on ENGINE_ARG_ERROR nothing was done. */
static int perform(app *a, act_kind k, drive_kind kind, const char *arg, const char *answer)
{
	bool scripted = k == ACT_STEP || matches_script(a, kind, arg);
	int rc;

	before_run(a);
	if (scripted)
		rc = session_step(a->ses);
	else
		rc = session_drive(a->ses, kind, a->selected, arg);
	if (rc == ENGINE_ARG_ERROR) {
		busy_flag = 0;
		return rc;
	}
	if (rc == ENGINE_OK && answer)
		session_predict(a->ses, answer);
	after_run(a, rc, scripted);
	return rc;
}

static void open_prompt(app *a, prompt_kind kind, const char *prefill);

/* Should the learner predict this action's result first? A step marked
 * predict asks; in predict mode every driving step does. */
static bool wants_prediction(app *a, act_kind k, drive_kind kind, const char *arg)
{
	const lesson_step *st = session_next_step(a->ses);

	if ((k == ACT_STEP || matches_script(a, kind, arg)) && st && st->predict)
		return true;
	return a->predict_mode && (k == ACT_DRIVE || (st && st->drive.kind != DRIVE_NONE));
}

/* Ask for the prediction; the action runs when it is given. */
static void ask_prediction(app *a, act_kind k, drive_kind kind, const char *arg)
{
	pending_clear(&a->pend);
	a->pend.kind = k;
	a->pend.drive = kind;
	a->pend.target = ys_strdup(a->selected);
	a->pend.arg = ys_strdup(arg);
	if (k == ACT_STEP) {
		const lesson_step *st = session_next_step(a->ses);
		const char *nl = strchr(st->source, '\n');
		a->pend.statement = ys_strndup(st->source, nl ? (size_t)(nl - st->source)
		                                             : strlen(st->source));
	} else {
		lesson_drive d = { kind, a->selected, (char *)arg, NULL };
		a->pend.statement = lesson_drive_statement(&d);
	}
	open_prompt(a, PR_PREDICT, "");
}

static void do_step(app *a)
{
	if (!act_here(a))
		return;
	if (!session_next_step(a->ses)) {
		flash_msg(a, "That was the last step. r replays the lesson; q leaves it.");
		return;
	}
	if (wants_prediction(a, ACT_STEP, DRIVE_NONE, NULL)) {
		ask_prediction(a, ACT_STEP, DRIVE_NONE, NULL);
		return;
	}
	perform(a, ACT_STEP, DRIVE_NONE, NULL, NULL);
}

/* Perform a drive (asking for a prediction first when wanted); returns
 * false when the argument was in error (the prompt then stays open with
 * the message). */
static bool do_drive(app *a, drive_kind kind, const char *arg)
{
	if (wants_prediction(a, ACT_DRIVE, kind, arg)) {
		ask_prediction(a, ACT_DRIVE, kind, arg);
		return true;
	}
	if (perform(a, ACT_DRIVE, kind, arg, NULL) == ENGINE_ARG_ERROR) {
		set_str(&a->pr.error, session_error(a->ses) ? session_error(a->ses) : "the expression failed");
		return false;
	}
	return true;
}

/* The prediction was given: run the action waiting for it. */
static void run_pending(app *a, const char *answer)
{
	pending_act p = a->pend;
	int rc;

	memset(&a->pend, 0, sizeof a->pend);
	a->ov = OV_NONE;
	if (p.kind == ACT_DRIVE)
		set_str(&a->selected, p.target);
	rc = perform(a, p.kind, p.drive, p.arg, answer);
	if (rc == ENGINE_ARG_ERROR) {
		/* The value to send did not evaluate: back to its prompt. */
		open_prompt(a, p.drive == DRIVE_SEND ? PR_SEND : PR_THROW, p.arg);
		set_str(&a->pr.error, session_error(a->ses) ? session_error(a->ses) : "the expression failed");
	}
	pending_clear(&p);
}

static void open_prompt(app *a, prompt_kind kind, const char *prefill)
{
	prompt *p = &a->pr;
	mbstate_t st;
	const char *s = prefill ? prefill : "";
	size_t r;

	set_str(&p->target, a->selected);
	set_str(&p->error, NULL);
	p->kind = kind;
	p->len = 0;
	memset(&st, 0, sizeof st);
	while (*s && p->len < PROMPT_MAX - 1) {
		wchar_t wc;
		r = mbrtowc(&wc, s, strlen(s), &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			wc = (unsigned char)*s;
			r = 1;
			memset(&st, 0, sizeof st);
		}
		p->buf[p->len++] = wc;
		s += r;
	}
	p->cur = p->len;
	p->fresh = p->len > 0;
	p->hpos = a->nhistory[kind];
	a->ov = OV_PROMPT;
}

static char *prompt_text(const prompt *p)
{
	strbuf sb = {0};
	int i;

	for (i = 0; i < p->len; i++) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n;
		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, p->buf[i], &st);
		if (n == (size_t)-1)
			sb_appendc(&sb, '?');
		else
			sb_appendn(&sb, mb, n);
	}
	if (!sb.data && !sb.failed)
		return ys_strdup("");
	return sb_take(&sb);
}

static void remember(app *a, prompt_kind k, const char *text)
{
	if (!*text)
		return;
	if (a->nhistory[k] > 0 && strcmp(a->history[k][a->nhistory[k] - 1], text) == 0)
		return;
	if (a->nhistory[k] == HIST_MAX) {
		ys_free(a->history[k][0]);
		memmove(a->history[k], a->history[k] + 1, (HIST_MAX - 1) * sizeof(char *));
		a->nhistory[k]--;
	}
	a->history[k][a->nhistory[k]++] = ys_strdup(text);
}

static void submit_prompt(app *a)
{
	prompt *p = &a->pr;
	char *text = prompt_text(p);
	bool ok;

	prompt_kind kind = p->kind;

	if (!text)
		return;
	remember(a, p->kind, text);
	if (kind == PR_PREDICT) {
		run_pending(a, text);
		ys_free(text);
		return;
	}
	if (kind == PR_STATEMENT) {
		if (!*text) {
			a->ov = OV_NONE;
			ys_free(text);
			return;
		}
		ok = act_here(a);
		if (ok) {
			before_run(a);
			after_run(a, session_run(a->ses, text), false);
		}
	} else {
		set_str(&a->selected, p->target);
		ok = do_drive(a, kind == PR_SEND ? DRIVE_SEND : DRIVE_THROW, text);
	}
	/* A drive may have opened the prediction prompt: leave that open. */
	if (ok && a->pr.kind == kind)
		a->ov = OV_NONE;
	ys_free(text);
}

/* Up and Down in the prompt: an older (dir -1) or newer entry of its
 * history, the newest blank. */
static void prompt_history(app *a, int dir)
{
	prompt *p = &a->pr;
	int k = p->kind, np = p->hpos + dir;
	char *save;

	if (np < 0 || np > a->nhistory[k])
		return;
	save = p->target ? ys_strdup(p->target) : NULL;
	open_prompt(a, p->kind, np < a->nhistory[k] ? a->history[k][np] : "");
	set_str(&p->target, save);
	ys_free(save);
	p->hpos = np;
	p->fresh = false;
}

static void prompt_backspace(prompt *p)
{
	if (p->fresh) {
		p->len = p->cur = 0;
		p->fresh = false;
		return;
	}
	if (p->cur > 0) {
		memmove(p->buf + p->cur - 1, p->buf + p->cur, (size_t)(p->len - p->cur) * sizeof(wchar_t));
		p->cur--;
		p->len--;
	}
}

static void prompt_key(app *a, int code, wint_t ch)
{
	prompt *p = &a->pr;
	int arg = 0;
	const tui_key *r = tui_key_find(M_PROMPT, code, &arg);
	tui_action act = r ? r->act : TA_NONE;
	bool fn = code >= TK_FN;

	if (act == TA_PR_SUBMIT) {
		submit_prompt(a);
		return;
	}
	if (act == TA_PR_CANCEL) {
		if (p->kind == PR_PREDICT) {
			pending_clear(&a->pend);
			flash_msg(a, "Not run: predict first, then see.");
		}
		a->ov = OV_NONE;
		return;
	}
	/* Space before anything is typed: see it without predicting, so a
	 * lesson can still be played with Space alone (no score either way). */
	if (code == ' ' && p->kind == PR_PREDICT && p->len == 0) {
		run_pending(a, NULL);
		return;
	}
	if (fn && act != TA_PR_BACKSPACE)
		p->fresh = false;
	switch (act) {
	case TA_PR_MOVE:
		if (arg < 0 && p->cur > 0)
			p->cur--;
		else if (arg > 0 && p->cur < p->len)
			p->cur++;
		return;
	case TA_PR_JUMP:
		p->cur = arg ? p->len : 0;
		p->fresh = false;
		return;
	case TA_PR_DELETE:
		if (p->cur < p->len) {
			memmove(p->buf + p->cur, p->buf + p->cur + 1, (size_t)(p->len - p->cur - 1) * sizeof(wchar_t));
			p->len--;
		}
		return;
	case TA_PR_HISTORY:
		prompt_history(a, arg);
		return;
	case TA_PR_BACKSPACE:
		prompt_backspace(p);
		return;
	case TA_PR_CLEAR:
		p->len = p->cur = 0;
		return;
	default:
		break;
	}
	if (fn || ch < 32 || p->len >= PROMPT_MAX - 1)
		return;
	/* The script's value is offered as a selection: a key typed first
	 * replaces it, so "s 5" sends 5 and not "215". */
	if (p->fresh)
		p->len = p->cur = 0;
	p->fresh = false;
	memmove(p->buf + p->cur + 1, p->buf + p->cur, (size_t)(p->len - p->cur) * sizeof(wchar_t));
	p->buf[p->cur++] = (wchar_t)ch;
	p->len++;
	set_str(&p->error, NULL);
}

static void cycle_selection(app *a, int dir)
{
	const snap_step *st = shown_snap(a);
	size_t i, n = st->ngens, at = 0;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (a->selected && st->gens[i].label && strcmp(st->gens[i].label, a->selected) == 0)
			at = i;
	at = (at + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
	set_str(&a->selected, st->gens[at].label);
	a->panes[P_HEAP].scroll = -1;
	a->panes[P_CHANNEL].scroll = -1;
	a->panes[P_BYTECODE].scroll = -1;
}

static void drive_key(app *a, drive_kind kind)
{
	const lesson_step *st;

	if (!act_here(a))
		return;
	st = session_next_step(a->ses);
	if (!a->selected || !snap_find(shown_snap(a), a->selected)) {
		flash_msg(a, "No generator to drive yet: create one first (Space steps the lesson).");
		return;
	}
	if (kind == DRIVE_SEND || kind == DRIVE_THROW) {
		const char *pre = "";
		if (st && st->drive.kind == kind && st->drive.target &&
		    strcmp(st->drive.target, a->selected) == 0 && st->drive.arg)
			pre = st->drive.arg;
		else if (kind == DRIVE_THROW)
			pre = "ValueError";
		open_prompt(a, kind == DRIVE_SEND ? PR_SEND : PR_THROW, pre);
		return;
	}
	do_drive(a, kind, NULL);
}

static void click(app *a, int my, int mx)
{
	int i;

	for (i = 0; i < P_COUNT; i++) {
		pane *p = &a->panes[i];
		if (p->h == 0 || my < p->y || my >= p->y + p->h || mx < p->x || mx >= p->x + p->w)
			continue;
		a->focus = i;
		if (i == P_HEAP && my > p->y && my < p->y + p->h - 1) {
			int tag = p->tags[my - p->y - 1];
			const snap_step *st = shown_snap(a);
			if (tag > 0 && (size_t)tag <= st->ngens && st->gens[tag - 1].label)
				set_str(&a->selected, st->gens[tag - 1].label);
		}
		return;
	}
}

static void scroll_focused(app *a, int by)
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

/* ---- Keys: what the table's actions do ------------------------------------------ */

static void menu_act(app *a, tui_action act, int arg)
{
	switch (act) {
	case TA_MENU_MOVE:
		if (arg < 0 && a->menu_sel > 0)
			a->menu_sel--;
		else if (arg > 0 && a->menu_sel + 1 < a->nmenu)
			a->menu_sel++;
		break;
	case TA_MENU_JUMP:
		if (arg == 0)
			a->menu_sel = 0;
		else if (a->nmenu)
			a->menu_sel = a->nmenu - 1;
		break;
	case TA_MENU_OPEN:
		if (a->nmenu)
			open_lesson(a, a->menu[a->menu_sel].path);
		break;
	case TA_HELP:
		a->ov = OV_HELP;
		break;
	case TA_EXIT:
		a->quit = true;
		break;
	default:
		break;
	}
}

/* After moving in history: the screen as it was after a->shown entries. */
static void history_moved(app *a)
{
	int i;

	for (i = 0; i < P_COUNT; i++)
		a->panes[i].scroll = -1;
	a->animating = false;
	sel_recall(a, a->shown);
}

/* Left (dir -1) and Right (+1): an earlier or later step, back to now
 * past the last. */
static void history_step(app *a, int dir)
{
	if (dir < 0) {
		if (!a->browsing) {
			a->shown = entry_count(a);
			if (a->shown == 0)
				return;
			a->browsing = true;
			set_str(&a->live_sel, a->selected);
		}
		if (a->shown > 0)
			a->shown--;
		history_moved(a);
		return;
	}
	if (!a->browsing)
		return;
	if (++a->shown >= entry_count(a)) {
		reset_view(a);
		a->animating = false;
		set_str(&a->selected, a->live_sel);
	} else {
		history_moved(a);
	}
}

static void toggle_modes(app *a, tui_action act)
{
	if (act == TA_LINES) {
		a->line_step = !a->line_step;
		session_set_line_stepping(a->ses, a->line_step);
		flash_msg(a, a->line_step
		          ? "Line stepping on: steps pause at each line and hop in generators."
		          : "Line stepping off: steps run through.");
	} else {
		a->predict_mode = !a->predict_mode;
		flash_msg(a, a->predict_mode
		          ? "Predict mode on: before every driving step, say what it will show."
		          : "Predict mode off: only the lesson's predict steps ask.");
	}
}

/* Focus pane f (0..5; the Bytecode pane is shown for it); a zoomed screen
 * zooms to it. */
static void focus_pane(app *a, int f)
{
	if (f == P_BYTECODE && !a->show_bytecode)
		a->show_bytecode = true;
	a->focus = f;
	if (a->zoom >= 0)
		a->zoom = f;
}

/* The keys that change what is looked at, not the lesson. */
static void view_act(app *a, tui_action act, int arg)
{
	switch (act) {
	case TA_SELECT: cycle_selection(a, arg); break;
	case TA_FOCUS: focus_pane(a, arg); break;
	case TA_FOCUS_NEXT:
		do {
			a->focus = (a->focus + 1) % P_COUNT;
		} while (a->focus == P_BYTECODE && !a->show_bytecode);
		if (a->zoom >= 0)
			a->zoom = a->focus;
		break;
	case TA_SCROLL: scroll_focused(a, arg); break;
	case TA_SCROLL_PAGE: scroll_focused(a, arg * (a->panes[a->focus].h - 3)); break;
	case TA_SCROLL_END: a->panes[a->focus].scroll = arg ? -1 : 0; break;
	case TA_ZOOM: a->zoom = a->zoom >= 0 ? -1 : a->focus; break;
	case TA_BYTECODE:
		a->show_bytecode = !a->show_bytecode;
		if (!a->show_bytecode && a->focus == P_BYTECODE)
			a->focus = P_SOURCE;
		if (a->show_bytecode)
			a->focus = P_BYTECODE;
		if (a->zoom >= 0)
			a->zoom = a->focus;
		break;
	case TA_HELP: a->ov = OV_HELP; break;
	default: break;
	}
}

static void play_act(app *a, tui_action act, int arg)
{
	switch (act) {
	case TA_STEP: do_step(a); break;
	case TA_DRIVE: drive_key(a, (drive_kind)arg); break;
	case TA_PAGE: page_turn(a, arg); break;
	case TA_STATEMENT: open_prompt(a, PR_STATEMENT, ""); break;
	case TA_REPLAY:
		before_run(a);
		after_run(a, session_replay(a->ses), true);
		flash_msg(a, "Replayed the lesson from a fresh start, back on script.");
		break;
	case TA_HISTORY: history_step(a, arg); break;
	case TA_LINES:
	case TA_PREDICT: toggle_modes(a, act); break;
	case TA_NEXT_PAUSE: next_pause(a); break;
	case TA_END_PAUSE: end_pause(a); break;
	case TA_LEAVE:
		if (a->started_with_file) {
			a->quit = true;
		} else {
			close_lesson(a);
			a->in_menu = true;
			menu_load(a);
		}
		break;
	default: view_act(a, act, arg); break;
	}
}

/* A key in a lesson. At a pause, a key that does more than look ends the
 * pause first (the step runs to its end), then acts. */
static void lesson_key(app *a, int code)
{
	int arg = 0;
	const tui_key *r = tui_key_find(a->pausing ? M_PAUSE : a->browsing ? M_BROWSE : M_LESSON,
	                                code, &arg);

	if (a->pausing && !(r && (r->flags & K_KEEP_PAUSE)))
		end_pause(a);
	if (r)
		play_act(a, r->act, arg);
}

/* The offer to resume a lesson where it was left was taken. */
static void resume(app *a)
{
	size_t to = a->rec.furthest;
	int rc;

	before_run(a);
	rc = session_replay_to(a->ses, to);
	after_run(a, rc, true);
	if (rc == ENGINE_OK)
		flash_msg(a, "Resumed at step %zu of %zu. %s goes back through the steps replayed.",
		          session_script_pos(a->ses) + 1, session_lesson(a->ses)->nsteps,
		          view_g->larrow);
}

/* The mode a key acts in, before the lesson's own modes. */
static unsigned key_mode(const app *a, int key)
{
	if (a->animating && key != KEY_MOUSE)
		return M_ANIM;
	if (COLS < MIN_COLS || LINES < MIN_LINES)
		return M_SMALL;
	switch (a->ov) {
	case OV_HELP: return M_HELP;
	case OV_QUIT: return M_QUIT;
	case OV_PROMPT: return M_PROMPT;
	case OV_RESUME: return M_RESUME;
	case OV_NONE: break;
	}
	return a->in_menu ? M_MENU : M_PLAY;
}

static void handle(app *a, int key, wint_t ch, int my, int mx)
{
	int code = tui_key_code(key, (unsigned)ch), arg = 0;
	unsigned mode;
	const tui_key *r;

	set_str(&a->flash, NULL);
	if (key == KEY_RESIZE)
		return;
	mode = key_mode(a, key);
	if (mode == M_PROMPT) {
		prompt_key(a, code, ch);
		return;
	}
	if (mode == M_PLAY || mode == M_MENU) {
		if (key == KEY_MOUSE) {
			if (!a->in_menu)
				click(a, my, mx);
		} else if (mode == M_PLAY) {
			lesson_key(a, code);
		} else if ((r = tui_key_find(M_MENU, code, &arg)) != NULL) {
			menu_act(a, r->act, arg);
		}
		return;
	}
	r = tui_key_find(mode, code, &arg);
	if (!r)
		return;
	if (mode == M_ANIM) {
		/* Any key skips the live flow to its end. */
		a->animating = false;
		return;
	}
	if (r->act == TA_EXIT)
		a->quit = true;
	a->ov = OV_NONE;
	if (r->act == TA_RESUME)
		resume(a);
}

/* ---- The loop ----------------------------------------------------------------------- */

/* The next event from the terminal or the script: *key a curses key code
 * (0 for a character, then in *ch). Returns false at the end. */
static bool next_event(app *a, int *key, wint_t *ch, int *my, int *mx)
{
	*key = 0;
	*ch = 0;
	if (a->script) {
		int e = tui_script_next(a->script, my, mx, draw, a);
		if (e == TUI_EV_END)
			return false;
		if (e == TUI_EV_TICK) {
			*key = TUI_EV_TICK;
			return true;
		}
		if (e == TUI_EV_SIGINT) {
			*key = TUI_EV_SIGINT;
			return true;
		}
		if (e >= KEY_MIN)
			*key = e;
		else
			*ch = (wint_t)e;
		return true;
	}
	for (;;) {
		int r;
		timeout(a->animating ? FRAME_MS : 500);
		r = get_wch(ch);
		if (sigint_flag) {
			sigint_flag = 0;
			*key = TUI_EV_SIGINT;
			return true;
		}
		if (r == ERR) {
			if (a->animating) {
				*key = TUI_EV_TICK;
				return true;
			}
			continue;
		}
		if (r == KEY_CODE_YES) {
			*key = (int)*ch;
			*ch = 0;
			if (*key == KEY_MOUSE) {
				MEVENT me;
				if (getmouse(&me) != OK || !(me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
					continue;
				*my = me.y;
				*mx = me.x;
			}
		}
		return true;
	}
}

static void app_free(app *a)
{
	int k, i;

	close_lesson(a);
	code_clear(a);
	sel_clear(a);
	ys_free(a->hist);
	ys_free(a->live_sel);
	pending_clear(&a->pend);
	ys_free(a->prog_key);
	ys_free(a->prog_title);
	progress_free(a->prog);
	engine_free(a->eng);
	menu_free(a);
	ys_free(a->menu_error);
	ys_free(a->selected);
	ys_free(a->flash);
	ys_free(a->pr.target);
	ys_free(a->pr.error);
	for (k = 0; k < PR_KINDS; k++)
		for (i = 0; i < a->nhistory[k]; i++)
			ys_free(a->history[k][i]);
	tui_script_close(a->script);
}

int tui_run(const tui_options *o)
{
	app a;
	int i, key, my = 0, mx = 0, status = 0;
	wint_t ch;
	static const view_ops *const ops[P_COUNT] = {
		&view_lesson_ops, &view_source_ops, &view_heap_ops,
		&view_channel_ops, &view_console_ops, &view_bytecode_ops,
	};

	memset(&a, 0, sizeof a);
	a.o = *o;
	a.zoom = -1;
	a.animate = o->animate;
	for (i = 0; i < P_COUNT; i++) {
		a.panes[i].ops = ops[i];
		a.panes[i].scroll = -1;
	}
	view_glyphs_init(tui_utf8());
	if (o->screen_script) {
		a.script = tui_script_open(o->screen_script);
		if (!a.script) {
			fprintf(stderr, "yieldscope: cannot read the screen script %s: %s\n",
			        o->screen_script, strerror(errno));
			return 2;
		}
		/* The live flow plays only when the script asks, frame by frame. */
		a.animate = tui_script_animate(a.script);
		if (!tui_term_open_headless(tui_script_term(a.script),
		                            o->screen_lines > 0 ? o->screen_lines : 24,
		                            o->screen_cols > 0 ? o->screen_cols : 80)) {
			tui_script_close(a.script);
			return 2;
		}
	} else if (!tui_term_open(true)) {
		return 2;
	}
	tui_signals_install(&sigint_flag, &busy_flag);
	/* The headless test mode keeps progress only where XDG_STATE_HOME
	 * says, never in the user's own folder. */
	if (!o->screen_script || getenv("XDG_STATE_HOME"))
		a.prog = progress_open(NULL);

	if (o->lesson_path) {
		a.started_with_file = true;
		if (!open_lesson(&a, o->lesson_path)) {
			tui_term_close();
			fprintf(stderr, "yieldscope: %s\n", a.menu_error ? a.menu_error : "cannot open the lesson");
			app_free(&a);
			return 1;
		}
	} else {
		a.in_menu = true;
		menu_load(&a);
	}
	while (!a.quit) {
		draw(&a);
		if (!next_event(&a, &key, &ch, &my, &mx))
			break;
		if (key == TUI_EV_TICK) {
			if (a.animating && a.ses) {
				if (a.anim_events >= session_state(a.ses)->nevents)
					a.animating = false;
				else
					a.anim_events++;
			}
			continue;
		}
		if (key == TUI_EV_SIGINT) {
			/* Idle Ctrl-C: ask before quitting (a running step was
			 * already interrupted by the handler). */
			a.ov = a.ov == OV_QUIT ? OV_NONE : OV_QUIT;
			continue;
		}
		handle(&a, key, ch, my, mx);
	}
	tui_term_close();
	app_free(&a);
	return status;
}
