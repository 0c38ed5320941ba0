/* tui_dialogs.c: the key bar, and the screens over the panes: help, the
 * quit question, the offer to resume, and "make the window bigger". The
 * key bar and the help screen are read from the table of actions. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui_app.h"

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

unsigned tui_overlay_mode(ovl_kind ov)
{
	switch (ov) {
	case OV_HELP: return M_HELP;
	case OV_PROMPT: return M_PROMPT;
	case OV_QUIT: return M_QUIT;
	case OV_RESUME: return M_RESUME;
	case OV_EXERCISE: return M_EXERCISE;
	case OV_NONE: break;
	}
	return 0;
}

/* The mode the key bar shows the keys of. */
static unsigned bar_mode(const app *a)
{
	if (tui_busy)
		return M_BUSY;
	if (a->st.animating && !a->st.browsing && a->ov == OV_NONE)
		return M_ANIM;
	if (a->ov != OV_NONE)
		return tui_overlay_mode(a->ov);
	if (a->in_menu)
		return M_MENU;
	return a->st.pausing ? M_PAUSE : a->st.browsing ? M_BROWSE : M_LESSON;
}

/* What is true now, as the key bar's rows ask (C_* of tui_keys.h). */
static unsigned bar_have(const app *a)
{
	const snap_step *st = tui_state_shown(&a->st);
	unsigned h = 0;

	if (a->ses && session_next_step(a->ses))
		h |= C_NEXT_STEP;
	if (a->st.selected && snap_find(st, a->st.selected))
		h |= C_SELECTED;
	if (st->ngens + st->ntasks > 1)
		h |= C_GENS;
	if (st->total_gens > st->ngens)
		h |= C_MORE_CARDS;
	if (tui_state_off_script(&a->st))
		h |= C_OFF;
	if (tui_state_count(&a->st) > 0)
		h |= C_HISTORY;
	if (a->started_with_file)
		h |= C_FILE;
	if (a->zoom >= 0)
		h |= C_ZOOMED;
	if (tui_state_shown(&a->st)->loop_label)
		h |= C_LOOP;
	/* A callback pause comes without line stepping too. */
	if (a->st.line_step)
		h |= C_LINE_STEP;
	if (a->ses && exercise_available(session_lesson(a->ses),
	                                 session_script_pos(a->ses)) >= 0)
		h |= C_EXERCISE;
	/* The hop keys, where the Timeline shows (or while going hop by hop). */
	if ((a->panes[P_CHANNEL].ops == &view_timeline_ops && a->panes[P_CHANNEL].h > 0 &&
	     st->nevents > 0) || a->st.scrubbing)
		h |= C_TIMELINE;
	h |= a->pr.kind == PR_SEND ? C_PR_SEND : a->pr.kind == PR_THROW ? C_PR_THROW :
	     a->pr.kind == PR_PREDICT ? C_PR_PREDICT : C_PR_STATEMENT;
	return h;
}

/* The modes in force, written out on the right of the key bar. */
static void mode_text(const app *a, char *modes, size_t n)
{
	size_t at = 0;

	modes[0] = '\0';
	if (a->st.browsing)
		at += (size_t)snprintf(modes, n, " HISTORY %zu/%zu ", a->st.shown, tui_state_count(&a->st));
	if (a->st.line_step && at < n)
		at += (size_t)snprintf(modes + at, n - at, "%sLINES ", at ? "" : " ");
	if (a->st.predict_mode && at < n)
		at += (size_t)snprintf(modes + at, n - at, "%sPREDICT ", at ? "" : " ");
	if (tui_state_off_script(&a->st) && !a->st.pausing && at < n &&
	    !(a->ses && view_free_play(session_lesson(a->ses))))
		snprintf(modes + at, n - at, "%sOFF SCRIPT ", at ? "" : " ");
}

/* The key bar, from the table of actions. */
void tui_key_bar_draw(app *a)
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
void tui_help_draw(void)
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

void tui_resume_draw(app *a)
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

void tui_quit_draw(void)
{
	int y, x;

	center_box(5, 40, "Quit", &y, &x);
	tui_put(stdscr, y + 1, x, 36, R_BOLD, "Quit yieldscope?   y / n");
}

void tui_too_small_draw(void)
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

