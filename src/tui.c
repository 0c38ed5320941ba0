/* tui.c: the terminal program's loop: open the terminal (or the headless
 * one of --screen-test), draw, read an event, dispatch it through the table
 * of actions (tui_keys.c), until the learner quits.
 *
 * The other tui_*.c files do the rest (see tui_app.h). Drawing reads the
 * state and the session and never runs lesson code.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tui_app.h"
#include "tui_record.h"
#include "util.h"

/* Milliseconds between frames of the live flow. */
#define FRAME_MS 350

volatile int tui_busy;
static volatile int sigint_flag;

void tui_flash(app *a, const char *fmt, ...)
{
	va_list ap;
	strbuf sb = {0};

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	ys_free(a->flash);
	a->flash = sb_take(&sb);
}

void tui_draw(void *arg)
{
	app *a = arg;
	int i;
	view_ctx c;

	erase();
	curs_set(0);
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		tui_too_small_draw();
		refresh();
		return;
	}
	if (a->in_menu) {
		tui_menu_draw(a);
	} else {
		tui_state_ctx(&a->st, &c, tui_busy);
		tui_layout(a, &c);
		for (i = 0; i < P_COUNT; i++)
			if (a->panes[i].h > 0)
				tui_draw_pane(a, i, &c);
	}
	tui_key_bar_draw(a);
	if (a->ov == OV_HELP)
		tui_help_draw();
	else if (a->ov == OV_QUIT)
		tui_quit_draw();
	else if (a->ov == OV_RESUME && a->ses)
		tui_resume_draw(a);
	else if (a->ov == OV_EXERCISE && a->ses)
		tui_exercise_draw(a);
	else if (a->ov == OV_PROMPT) {
		tui_prompt_draw(a);
		if (!a->script)
			curs_set(1);
	}
	refresh();
	tui_record_frame(a);
}

/* The mode a key acts in, before the lesson's own modes. */
static unsigned key_mode(const app *a, int key)
{
	if (a->st.animating && key != KEY_MOUSE)
		return M_ANIM;
	if (COLS < MIN_COLS || LINES < MIN_LINES)
		return M_SMALL;
	if (a->ov != OV_NONE)
		return tui_overlay_mode(a->ov);
	return a->in_menu ? M_MENU : M_PLAY;
}

static void handle(app *a, int key, wint_t ch, int my, int mx)
{
	int code = tui_key_code(key, (unsigned)ch), arg = 0;
	unsigned mode;
	const tui_key *r;

	ys_set_str(&a->flash, NULL);
	if (key == KEY_RESIZE)
		return;
	mode = key_mode(a, key);
	if (mode == M_PROMPT) {
		tui_prompt_key(a, code, ch);
		return;
	}
	if (mode == M_PLAY || mode == M_MENU) {
		if (key == KEY_MOUSE) {
			if (!a->in_menu)
				tui_click(a, my, mx);
		} else if (mode == M_PLAY) {
			tui_lesson_key(a, code);
		} else if ((r = tui_key_find(M_MENU, code, &arg)) != NULL) {
			tui_menu_act(a, r->act, arg);
		}
		return;
	}
	r = tui_key_find(mode, code, &arg);
	if (!r)
		return;
	if (mode == M_EXERCISE) {
		tui_exercise_act(a, r->act);
		return;
	}
	if (mode == M_ANIM) {
		/* , and . stop the live flow and go hop by hop from there;
		 * any other key skips it to its end. */
		if (r->act == TA_HOP)
			tui_play_act(a, TA_HOP, arg);
		else
			a->st.animating = false;
		return;
	}
	if (r->act == TA_EXIT)
		a->quit = true;
	a->ov = OV_NONE;
	if (r->act == TA_RESUME)
		tui_resume(a);
}

/* ---- The loop ----------------------------------------------------------------------- */

/* The next event from the terminal or the script: *key a curses key code
 * (0 for a character, then in *ch). Returns false at the end. */
static bool next_event(app *a, int *key, wint_t *ch, int *my, int *mx)
{
	*key = 0;
	*ch = 0;
	if (a->script) {
		int e = tui_script_next(a->script, my, mx, tui_draw, a);
		/* A key meant for a callback pause, when none is shown: the
		 * next one. */
		while (e >= 0 && (e & TUI_EV_IF_CALLBACK)) {
			if (tui_state_loop_pause(&a->st)) {
				e &= ~TUI_EV_IF_CALLBACK;
				break;
			}
			e = tui_script_next(a->script, my, mx, tui_draw, a);
		}
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
		timeout(a->st.animating ? FRAME_MS : 500);
		r = get_wch(ch);
		if (sigint_flag) {
			sigint_flag = 0;
			*key = TUI_EV_SIGINT;
			return true;
		}
		if (r == ERR) {
			if (a->st.animating) {
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
	tui_close_lesson(a);
	ys_free(a->prog_key);
	ys_free(a->prog_title);
	progress_free(a->prog);
	engine_free(a->eng);
	tui_menu_free(&a->menu);
	ys_free(a->menu.error);
	ys_free(a->flash);
	tui_prompt_free(&a->pr);
	tui_script_close(a->script);
}

/* Open the real terminal, or the headless one of a screen script.
 * Returns false (said why) when there is none fit to use. */
static bool open_terminal(app *a, const tui_options *o)
{
	if (!o->screen_script)
		return tui_term_open(true);
	a->script = tui_script_open(o->screen_script);
	if (!a->script) {
		fprintf(stderr, "yieldscope: cannot read the screen script %s: %s\n",
		        o->screen_script, strerror(errno));
		return false;
	}
	/* The live flow plays only when the script asks, frame by frame. */
	a->st.animate = tui_script_animate(a->script);
	if (!tui_term_open_headless(tui_script_term(a->script),
	                            o->screen_lines > 0 ? o->screen_lines : 24,
	                            o->screen_cols > 0 ? o->screen_cols : 80)) {
		tui_script_close(a->script);
		a->script = NULL;
		return false;
	}
	return true;
}

static void app_init(app *a, const tui_options *o)
{
	static const view_ops *const ops[P_COUNT] = {
		&view_lesson_ops, &view_source_ops, &view_heap_ops,
		&view_channel_ops, &view_console_ops, &view_bytecode_ops,
	};
	int i;

	memset(a, 0, sizeof *a);
	a->o = *o;
	a->zoom = -1;
	a->slot = P_HEAP;
	a->st.animate = o->animate;
	a->st.max_cards = o->engine.max_cards;
	for (i = 0; i < P_COUNT; i++) {
		a->panes[i].ops = ops[i];
		a->panes[i].scroll = -1;
	}
}

/* A tick of the live flow: one event more, until the step's last. */
static void tick(app *a)
{
	if (!a->st.animating || !a->ses)
		return;
	if (a->st.anim_events >= session_state(a->ses)->nevents)
		a->st.animating = false;
	else
		a->st.anim_events++;
}

static void loop(app *a)
{
	int key, my = 0, mx = 0;
	wint_t ch;

	while (!a->quit) {
		tui_draw(a);
		if (!next_event(a, &key, &ch, &my, &mx))
			break;
		if (key == TUI_EV_TICK)
			tick(a);
		else if (key == TUI_EV_SIGINT)
			/* Idle Ctrl-C: ask before quitting (a running step was
			 * already interrupted by the handler). */
			a->ov = a->ov == OV_QUIT ? OV_NONE : OV_QUIT;
		else
			handle(a, key, ch, my, mx);
	}
}

int tui_run(const tui_options *o)
{
	app a;

	app_init(&a, o);
	view_glyphs_init(tui_utf8());
	if (!open_terminal(&a, o))
		return 2;
	if (!tui_record_open(o)) {
		tui_term_close();
		app_free(&a);
		return 2;
	}
	tui_signals_install(&sigint_flag, &tui_busy, session_interrupt);
	/* The headless test mode keeps progress only where XDG_STATE_HOME
	 * says, never in the user's own folder. */
	if (!o->screen_script || getenv("XDG_STATE_HOME"))
		a.prog = progress_open(NULL);
	if (o->lesson_path) {
		a.started_with_file = true;
		if (!tui_open_lesson(&a, o->lesson_path)) {
			tui_term_close();
			tui_record_close();
			fprintf(stderr, "yieldscope: %s\n", a.menu.error ? a.menu.error : "cannot open the lesson");
			app_free(&a);
			return 2;
		}
	} else {
		a.in_menu = true;
		tui_menu_load(&a);
	}
	loop(&a);
	tui_term_close();
	app_free(&a);
	if (tui_record_close() < 0) {
		fprintf(stderr, "yieldscope: --record: the recording could not be written whole\n");
		return 2;
	}
	return 0;
}
