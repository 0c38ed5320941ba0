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

#include "tui.h"
#include "tui_int.h"
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

typedef enum { OV_NONE, OV_HELP, OV_PROMPT, OV_QUIT } ovl_kind;

typedef enum { PR_SEND, PR_THROW, PR_STATEMENT } prompt_kind;

typedef struct {
	char *path;
	char *name;                     /* file name */
	char *title;
	size_t nsteps;
	char *error;                    /* why it does not load, or NULL */
} menu_item;

#define PROMPT_MAX 512
#define HIST_MAX 64

typedef struct {
	prompt_kind kind;
	char *target;                   /* label driven */
	wchar_t buf[PROMPT_MAX];
	int len, cur;
	char *error;                    /* the last ENGINE_ARG_ERROR message */
	int hpos;                       /* position in history while browsing */
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
	char *history[3][HIST_MAX];     /* per prompt kind, newest last */
	int nhistory[3];

	char *selected;                 /* label of the selected generator */
	size_t shown;                   /* entries shown (history browsing) */
	bool browsing;
	bool animate;
	bool animating;
	size_t anim_events;

	engine_instr *instrs;           /* bytecode of instr_label */
	long ninstrs;
	char *instr_label;
	size_t instr_count;             /* session_count when fetched */

	char *flash;                    /* a one-time message in the key bar */
	bool quit;
} app;

static volatile int sigint_flag;
static volatile int busy_flag;
static const snap_step empty_snap;

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

static const snap_step *shown_snap(const app *a)
{
	if (!a->ses)
		return &empty_snap;
	if (!a->browsing)
		return session_state(a->ses);
	if (a->shown == 0)
		return &empty_snap;
	return &session_entry_at(a->ses, a->shown - 1)->result;
}

/* The script position and off-script flag as they were after the first
 * `shown` entries. */
static void past_position(const app *a, size_t *pos, bool *off)
{
	size_t i;

	*pos = 0;
	*off = false;
	for (i = 0; i < a->shown; i++) {
		const session_entry *e = session_entry_at(a->ses, i);
		if (e->origin == ENTRY_SCRIPT)
			*pos = e->step + 1;
		else
			*off = true;
	}
}

static void refresh_bytecode(app *a)
{
	if (!a->show_bytecode || !a->eng || !a->selected) {
		return;
	}
	if (a->instr_label && strcmp(a->instr_label, a->selected) == 0 &&
	    a->instr_count == entry_count(a))
		return;
	engine_instrs_free(a->instrs, a->ninstrs);
	a->instrs = NULL;
	a->ninstrs = engine_disassemble(a->eng, a->selected, &a->instrs);
	if (a->ninstrs < 0) {
		a->instrs = NULL;
		a->ninstrs = 0;
	}
	set_str(&a->instr_label, a->selected);
	a->instr_count = entry_count(a);
}

static void make_ctx(app *a, view_ctx *c, const session_entry **hist)
{
	size_t i, n;

	memset(c, 0, sizeof *c);
	c->snap = shown_snap(a);
	if (!a->ses)
		return;
	c->lesson = session_lesson(a->ses);
	n = a->browsing ? a->shown : entry_count(a);
	for (i = 0; i < n && i < 4096; i++)
		hist[i] = session_entry_at(a->ses, i);
	c->hist = hist;
	c->nhist = i;
	if (a->browsing) {
		past_position(a, &c->script_pos, &c->off_script);
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
	refresh_bytecode(a);
	c->instrs = a->instrs;
	c->ninstrs = a->ninstrs;
	c->python_version = engine_python_version();
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

typedef struct {
	const char *key;
	const char *what;
} keyhint;

/* The key bar: the keys that apply now, as many as fit, most useful first. */
static void draw_bar(app *a, const keyhint *k, size_t n, const char *right, view_role rr)
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

static void lesson_bar(app *a)
{
	char lr[16], ud[16];
	keyhint k[24];
	size_t n = 0;
	bool off = a->ses && session_off_script(a->ses);

	snprintf(lr, sizeof lr, "%s%s", view_g->larrow, view_g->rarrow);
	snprintf(ud, sizeof ud, "%s%s", view_g->uarrow, view_g->darrow);
	if (busy_flag) {
		k[n++] = (keyhint){ "Ctrl-C", "stop the running code" };
		draw_bar(a, k, n, "running", R_ACTION);
		return;
	}
	if (a->animating && !a->browsing && a->ov == OV_NONE) {
		k[n++] = (keyhint){ "any key", "skips the live flow" };
		draw_bar(a, k, n, NULL, R_NORMAL);
		return;
	}
	if (a->ov == OV_HELP) {
		k[n++] = (keyhint){ "any key", "closes the help" };
		draw_bar(a, k, n, NULL, R_NORMAL);
		return;
	}
	if (a->ov == OV_PROMPT) {
		k[n++] = (keyhint){ "Enter", a->pr.kind == PR_STATEMENT ? "run" :
		                    a->pr.kind == PR_SEND ? "send" : "throw" };
		k[n++] = (keyhint){ "Esc", "cancel" };
		k[n++] = (keyhint){ lr, "move" };
		k[n++] = (keyhint){ ud, "history" };
		k[n++] = (keyhint){ "Home End", "jump" };
		draw_bar(a, k, n, NULL, R_NORMAL);
		return;
	}
	if (a->ov == OV_QUIT) {
		k[n++] = (keyhint){ "y", "quit" };
		k[n++] = (keyhint){ "n", "stay" };
		draw_bar(a, k, n, NULL, R_NORMAL);
		return;
	}
	if (a->browsing) {
		k[n++] = (keyhint){ lr, "earlier/later" };
		k[n++] = (keyhint){ "Space", "back to now and step" };
	} else if (a->ses && session_next_step(a->ses)) {
		k[n++] = (keyhint){ "Space", "step" };
	}
	if (a->selected) {
		k[n++] = (keyhint){ "n", "next" };
		k[n++] = (keyhint){ "s", "send" };
		k[n++] = (keyhint){ "t", "throw" };
		k[n++] = (keyhint){ "c", "close" };
	}
	if (shown_snap(a)->ngens > 1)
		k[n++] = (keyhint){ "Tab", "select" };
	if (off)
		k[n++] = (keyhint){ "r", "replay" };
	if (!a->browsing && entry_count(a) > 0)
		k[n++] = (keyhint){ lr, "history" };
	k[n++] = (keyhint){ "?", "help" };
	k[n++] = (keyhint){ "q", a->started_with_file ? "quit" : "menu" };
	k[n++] = (keyhint){ "z", a->zoom >= 0 ? "unzoom" : "zoom" };
	k[n++] = (keyhint){ "d", "bytecode" };
	k[n++] = (keyhint){ ":", "statement" };
	draw_bar(a, k, n, off ? " OFF SCRIPT " : NULL, R_OFF);
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

static const struct {
	const char *key, *what;
} help_keys[] = {
	{ "Space Enter", "perform the lesson's next step as written" },
	{ "n", "next(G) on the selected generator" },
	{ "s", "G.send(value): asks for a Python expression" },
	{ "t", "G.throw(exception): asks for an expression" },
	{ "c", "G.close() on the selected generator" },
	{ "Tab S-Tab", "select the next / previous generator" },
	{ "click", "on a heap card: select that generator" },
	{ NULL, "A key that matches the lesson's next step follows the" },
	{ NULL, "script; anything else is free play (off script)." },
	{ "r", "replay the lesson up to where the script stood" },
	{ ":", "type any Python statement (free play)" },
	{ "<- ->", "look at earlier / later steps" },
	{ "1-6", "focus Lesson Source Heap Channel Console Bytecode" },
	{ "up dn PgUp PgDn", "scroll the focused pane" },
	{ "z", "zoom the focused pane to the whole screen" },
	{ "d", "show or hide the Bytecode pane" },
	{ "Ctrl-C", "stop lesson code that runs too long" },
	{ "?", "this help" },
	{ "q", "back to the lesson menu, or quit" },
};

static void draw_help(void)
{
	int n = (int)(sizeof help_keys / sizeof help_keys[0]);
	int h = n + 4, w = 72, y, x, i;

	if (w > COLS)
		w = COLS;
	if (h > LINES - 1)
		h = LINES - 1;
	center_box(h, w, "Keys", &y, &x);
	for (i = 0; i < n && i < h - 3; i++) {
		const char *k = help_keys[i].key;
		char buf[40];
		if (k) {
			/* Arrows in the locale's own glyphs. */
			if (strcmp(k, "<- ->") == 0)
				snprintf(buf, sizeof buf, "%s %s", view_g->larrow, view_g->rarrow);
			else if (strcmp(k, "up dn PgUp PgDn") == 0)
				snprintf(buf, sizeof buf, "%s %s PgUp PgDn", view_g->uarrow, view_g->darrow);
			else
				snprintf(buf, sizeof buf, "%s", k);
			tui_put(stdscr, y + i, x, 18, R_CODE, buf);
			tui_put(stdscr, y + i, x + 18, w - 22, R_NORMAL, help_keys[i].what);
		} else {
			tui_put(stdscr, y + i, x + 18, w - 22, R_DIM, help_keys[i].what);
		}
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
	col += tui_put(stdscr, y, col, w - 4, R_PROMPT, ">>> ");
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
			col += tui_put(stdscr, y, col, 1, R_CODE, mb);
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
		        : "Any Python expression, evaluated in the lesson's namespace.");
	}
	if (!a->script) {
		move(y, col > x + w - 4 ? x + w - 4 : (p->cur - start) + x + 4 + view_strwidth(pre));
	}
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
	keyhint k[4];
	char ud[16];

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
		char steps[32];
		view_role r = sel ? R_TITLE_FOCUS : R_NORMAL;

		if (sel)
			tui_fill(stdscr, y + i, x - 1, w - 4, R_TITLE_FOCUS);
		col += tui_put(stdscr, y + i, col, 2, r, sel ? view_g->sel : " ");
		col += tui_put(stdscr, y + i, col, 1, r, " ");
		if (m->error)
			snprintf(steps, sizeof steps, "does not load");
		else
			snprintf(steps, sizeof steps, "%zu steps", m->nsteps);
		right -= view_strwidth(steps);
		if (w >= 90) {
			int nw = view_strwidth(m->name);
			tui_put(stdscr, y + i, right - nw - 2, nw, sel ? r : R_DIM, m->name);
			right -= nw + 2;
		}
		tui_put(stdscr, y + i, col, right - col - 2, sel ? r : R_BOLD, m->title ? m->title : m->name);
		tui_put(stdscr, y + i, bx + w - 3 - view_strwidth(steps), 20, sel ? r : m->error ? R_ERROR : R_DIM, steps);
	}
	if (a->menu_error)
		tui_put(stdscr, h - 2, x, w - 6, R_ERROR, a->menu_error);
	snprintf(ud, sizeof ud, "%s%s", view_g->uarrow, view_g->darrow);
	k[0] = (keyhint){ ud, "choose" };
	k[1] = (keyhint){ "Enter", "open" };
	k[2] = (keyhint){ "?", "help" };
	k[3] = (keyhint){ "q", "quit" };
	draw_bar(a, k, a->ov == OV_QUIT ? 0 : 4, NULL, R_NORMAL);
}

static void draw(void *arg)
{
	app *a = arg;
	int i;
	static const session_entry *hist[4096];
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
		make_ctx(a, &c, hist);
		for (i = 0; i < P_COUNT; i++)
			if (a->panes[i].h > 0)
				draw_pane(a, i, &c);
		lesson_bar(a);
	}
	if (a->ov == OV_HELP)
		draw_help();
	else if (a->ov == OV_QUIT)
		draw_quit();
	else if (a->ov == OV_PROMPT) {
		draw_prompt(a);
		if (!a->script)
			curs_set(1);
	}
	if (a->in_menu && a->ov != OV_NONE)
		lesson_bar(a);
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
	}
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
	engine_instrs_free(a->instrs, a->ninstrs);
	a->instrs = NULL;
	a->ninstrs = 0;
	set_str(&a->instr_label, NULL);
	reset_view(a);
	return true;
}

static void close_lesson(app *a)
{
	session_free(a->ses);
	a->ses = NULL;
	a->animating = false;
	a->ov = OV_NONE;
}

/* Show "running" before lesson code runs, which may take a while. */
static void before_run(app *a)
{
	busy_flag = 1;
	draw(a);
}

static void after_run(app *a, int rc, bool scripted)
{
	const snap_step *st;

	busy_flag = 0;
	reset_view(a);
	if (rc == ENGINE_FAILED)
		flash_msg(a, "The engine failed (out of memory?): the step was not completed.");
	fix_selection(a, scripted);
	st = session_state(a->ses);
	a->animating = a->animate && st->nevents > 0;
	a->anim_events = 0;
}

static void do_step(app *a)
{
	int rc;

	if (!session_next_step(a->ses)) {
		flash_msg(a, "That was the last step. r replays the lesson; q leaves it.");
		return;
	}
	before_run(a);
	rc = session_step(a->ses);
	after_run(a, rc, true);
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

/* Perform a drive; returns false when the argument was in error (the
 * prompt then stays open with the message). */
static bool do_drive(app *a, drive_kind kind, const char *arg)
{
	int rc;
	bool scripted = matches_script(a, kind, arg);

	before_run(a);
	if (scripted)
		rc = session_step(a->ses);
	else
		rc = session_drive(a->ses, kind, a->selected, arg);
	if (rc == ENGINE_ARG_ERROR) {
		busy_flag = 0;
		set_str(&a->pr.error, session_error(a->ses) ? session_error(a->ses) : "the expression failed");
		return false;
	}
	after_run(a, rc, scripted);
	return true;
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

	if (!text)
		return;
	remember(a, p->kind, text);
	if (p->kind == PR_STATEMENT) {
		if (!*text) {
			a->ov = OV_NONE;
			ys_free(text);
			return;
		}
		before_run(a);
		ok = true;
		after_run(a, session_run(a->ses, text), false);
	} else {
		set_str(&a->selected, p->target);
		ok = do_drive(a, p->kind == PR_SEND ? DRIVE_SEND : DRIVE_THROW, text);
	}
	if (ok)
		a->ov = OV_NONE;
	ys_free(text);
}

static void prompt_key(app *a, int key, wint_t ch)
{
	prompt *p = &a->pr;

	if (key == 0 && (ch == '\r' || ch == '\n')) {
		submit_prompt(a);
		return;
	}
	if (key == 0 && ch == 27) {
		a->ov = OV_NONE;
		return;
	}
	if (key == KEY_ENTER) {
		submit_prompt(a);
		return;
	}
	switch (key) {
	case KEY_LEFT: if (p->cur > 0) p->cur--; return;
	case KEY_RIGHT: if (p->cur < p->len) p->cur++; return;
	case KEY_HOME: p->cur = 0; return;
	case KEY_END: p->cur = p->len; return;
	case KEY_BACKSPACE:
		goto backspace;
	case KEY_DC:
		if (p->cur < p->len) {
			memmove(p->buf + p->cur, p->buf + p->cur + 1, (size_t)(p->len - p->cur - 1) * sizeof(wchar_t));
			p->len--;
		}
		return;
	case KEY_UP:
	case KEY_DOWN: {
		int k = p->kind, np = p->hpos + (key == KEY_UP ? -1 : 1);
		char *save;
		if (np < 0 || np > a->nhistory[k])
			return;
		p->hpos = np;
		save = p->target ? ys_strdup(p->target) : NULL;
		open_prompt(a, p->kind, np < a->nhistory[k] ? a->history[k][np] : "");
		set_str(&p->target, save);
		ys_free(save);
		p->hpos = np;
		return;
	}
	case 0:
		break;
	default:
		return;
	}
	if (ch == 127 || ch == 8) {
backspace:
		if (p->cur > 0) {
			memmove(p->buf + p->cur - 1, p->buf + p->cur, (size_t)(p->len - p->cur) * sizeof(wchar_t));
			p->cur--;
			p->len--;
		}
		return;
	}
	if (ch == 1) {          /* Ctrl-A, Ctrl-E as in readline */
		p->cur = 0;
		return;
	}
	if (ch == 5) {
		p->cur = p->len;
		return;
	}
	if (ch == 21) {         /* Ctrl-U clears */
		p->len = p->cur = 0;
		return;
	}
	if (ch < 32 || p->len >= PROMPT_MAX - 1)
		return;
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
	const lesson_step *st = session_next_step(a->ses);

	if (a->browsing)
		reset_view(a);
	if (!a->selected || !snap_find(session_state(a->ses), a->selected)) {
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

/* ---- Keys ------------------------------------------------------------------------ */

static void menu_key(app *a, int key, wint_t ch)
{
	if (key == KEY_UP && a->menu_sel > 0)
		a->menu_sel--;
	else if (key == KEY_DOWN && a->menu_sel + 1 < a->nmenu)
		a->menu_sel++;
	else if (key == KEY_HOME)
		a->menu_sel = 0;
	else if (key == KEY_END && a->nmenu)
		a->menu_sel = a->nmenu - 1;
	else if ((key == KEY_ENTER || (key == 0 && (ch == '\r' || ch == '\n' || ch == ' '))) && a->nmenu)
		open_lesson(a, a->menu[a->menu_sel].path);
	else if (key == 0 && ch == 'q')
		a->quit = true;
	else if (key == 0 && ch == '?')
		a->ov = OV_HELP;
	else if (key == 0 && ch == 'k' && a->menu_sel > 0)
		a->menu_sel--;
	else if (key == 0 && ch == 'j' && a->menu_sel + 1 < a->nmenu)
		a->menu_sel++;
}

static void lesson_key(app *a, int key, wint_t ch)
{
	if (key) {
		switch (key) {
		case KEY_ENTER: do_step(a); break;
		case KEY_BTAB: cycle_selection(a, -1); break;
		case KEY_LEFT:
			if (!a->browsing) {
				a->shown = entry_count(a);
				if (a->shown == 0)
					break;
				a->browsing = true;
			}
			if (a->shown > 0)
				a->shown--;
			a->animating = false;
			break;
		case KEY_RIGHT:
			if (a->browsing && ++a->shown >= entry_count(a))
				reset_view(a);
			break;
		case KEY_UP: scroll_focused(a, -1); break;
		case KEY_DOWN: scroll_focused(a, 1); break;
		case KEY_PPAGE: scroll_focused(a, -(a->panes[a->focus].h - 3)); break;
		case KEY_NPAGE: scroll_focused(a, a->panes[a->focus].h - 3); break;
		case KEY_HOME: a->panes[a->focus].scroll = 0; break;
		case KEY_END: a->panes[a->focus].scroll = -1; break;
		case KEY_F(1): a->ov = OV_HELP; break;
		default: break;
		}
		return;
	}
	switch (ch) {
	case ' ': case '\r': case '\n':
		if (a->browsing)
			reset_view(a);
		do_step(a);
		break;
	case 'n': drive_key(a, DRIVE_NEXT); break;
	case 's': drive_key(a, DRIVE_SEND); break;
	case 't': drive_key(a, DRIVE_THROW); break;
	case 'c': drive_key(a, DRIVE_CLOSE); break;
	case '\t': cycle_selection(a, 1); break;
	case 'r':
		before_run(a);
		after_run(a, session_replay(a->ses), true);
		flash_msg(a, "Replayed the lesson from a fresh start, back on script.");
		break;
	case ':':
		if (a->browsing)
			reset_view(a);
		open_prompt(a, PR_STATEMENT, "");
		break;
	case 'z':
		a->zoom = a->zoom >= 0 ? -1 : a->focus;
		break;
	case 'd':
		a->show_bytecode = !a->show_bytecode;
		if (!a->show_bytecode && a->focus == P_BYTECODE)
			a->focus = P_SOURCE;
		if (a->show_bytecode)
			a->focus = P_BYTECODE;
		if (a->zoom >= 0)
			a->zoom = a->focus;
		break;
	case '?': a->ov = OV_HELP; break;
	case 'q':
		if (a->started_with_file) {
			a->quit = true;
		} else {
			close_lesson(a);
			a->in_menu = true;
			menu_load(a);
		}
		break;
	case 'w':
		do {
			a->focus = (a->focus + 1) % P_COUNT;
		} while (a->focus == P_BYTECODE && !a->show_bytecode);
		if (a->zoom >= 0)
			a->zoom = a->focus;
		break;
	case 'j': scroll_focused(a, 1); break;
	case 'k': scroll_focused(a, -1); break;
	default:
		if (ch >= '1' && ch <= '6') {
			int f = ch - '1';
			if (f == P_BYTECODE && !a->show_bytecode)
				a->show_bytecode = true;
			a->focus = f;
			if (a->zoom >= 0)
				a->zoom = f;
		}
		break;
	}
}

static void handle(app *a, int key, wint_t ch, int my, int mx)
{
	set_str(&a->flash, NULL);
	if (key == KEY_RESIZE)
		return;
	if (a->animating && key != KEY_MOUSE) {
		/* Any key skips the live flow to its end. */
		a->animating = false;
		return;
	}
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		if (key == 0 && (ch == 'q' || ch == 'Q'))
			a->quit = true;
		return;
	}
	switch (a->ov) {
	case OV_HELP:
		a->ov = OV_NONE;
		return;
	case OV_QUIT:
		if (key == 0 && (ch == 'y' || ch == 'Y' || ch == 'q'))
			a->quit = true;
		else
			a->ov = OV_NONE;
		return;
	case OV_PROMPT:
		prompt_key(a, key, ch);
		return;
	case OV_NONE:
		break;
	}
	if (key == KEY_MOUSE) {
		if (!a->in_menu)
			click(a, my, mx);
		return;
	}
	if (a->in_menu)
		menu_key(a, key, ch);
	else
		lesson_key(a, key, ch);
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
	engine_instrs_free(a->instrs, a->ninstrs);
	engine_free(a->eng);
	menu_free(a);
	ys_free(a->menu_error);
	ys_free(a->selected);
	ys_free(a->instr_label);
	ys_free(a->flash);
	ys_free(a->pr.target);
	ys_free(a->pr.error);
	for (k = 0; k < 3; k++)
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
