/* tui_app.h: the terminal program's own state, shared by its files.
 *
 * Not a module interface: only tui*.c include it. Who does what:
 *   tui.c          the loop: events in, keys dispatched through tui_keys
 *   tui_act.c      what keys do to the lesson: steps, drives, predictions,
 *                  history, progress between runs
 *   tui_state.c    what is shown, without curses (selection, card pages,
 *                  bytecode, pauses, the pending prediction)
 *   tui_layout.c   where the panes go, how they scroll, clicks on them
 *   tui_prompt.c   the prompt of s, t, : and predictions: its line editor
 *   tui_menu.c     the lesson menu
 *   tui_dialogs.c  the key bar, help, quit, resume and too-small screens
 */
#ifndef YS_TUI_APP_H
#define YS_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "exercise.h"
#include "progress.h"
#include "tui.h"
#include "tui_int.h"
#include "tui_keys.h"
#include "tui_state.h"

/* The smallest screen where every pane and the prompt still fit. */
#define MIN_COLS 80
#define MIN_LINES 24

enum { P_LESSON, P_SOURCE, P_HEAP, P_CHANNEL, P_CONSOLE, P_BYTECODE, P_COUNT };

typedef struct {
	const view_ops *ops;
	int y, x, h, w;                 /* the box; h == 0: not shown */
	int scroll;                     /* first line shown; -1: follow the anchor */
	int offset;                     /* first line shown at the last draw */
	int tags[512];                  /* line tags of the rows shown */
} pane;

typedef enum { OV_NONE, OV_HELP, OV_PROMPT, OV_QUIT, OV_RESUME, OV_EXERCISE } ovl_kind;

typedef struct tui_ex tui_ex;

typedef enum { PR_SEND, PR_THROW, PR_STATEMENT, PR_PREDICT, PR_KINDS } prompt_kind;

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
	char *history[PR_KINDS][HIST_MAX];      /* per prompt kind, newest last */
	int nhistory[PR_KINDS];
} prompt;

typedef struct {
	char *path;
	char *name;                     /* file name */
	char *title;
	size_t nsteps;
	char *error;                    /* why it does not load, or NULL */
	progress_rec rec;               /* what was done in it before */
} menu_item;

typedef struct {
	menu_item *items;
	size_t n, sel, top;
	char *error;                    /* why the lesson chosen did not open */
} menu;

typedef struct app {
	tui_options o;
	tui_script *script;

	engine *eng;
	session *ses;
	bool in_menu;
	bool started_with_file;
	menu menu;

	pane panes[P_COUNT];
	int focus;
	int zoom;                       /* pane zoomed, -1 none */
	int slot;                       /* P_HEAP or P_CHANNEL: the one of the
	                                   two a small screen shows */
	long slot_step;                 /* 1 + the script position at which the
	                                   learner last chose a bottom pane (a
	                                   panes directive yields to it), or 0 */
	ovl_kind ov;
	prompt pr;
	tui_state st;

	/* Progress between runs. */
	progress *prog;
	char *prog_key;
	char *prog_title;
	progress_rec rec;

	tui_ex *ex;                     /* the lesson's exercises as tried
	                                   (tui_exercise.c), NULL: none yet */
	char *flash;                    /* a one-time message in the key bar */
	bool quit;
} app;

/* Lesson code is running (set around session calls; read by the signal
 * handler and the key bar). */
extern volatile int tui_busy;

/* tui.c */
void tui_draw(void *arg);
void tui_flash(app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* tui_act.c */
bool tui_open_lesson(app *a, const char *path);
void tui_close_lesson(app *a);
void tui_play_act(app *a, tui_action act, int arg);
void tui_lesson_key(app *a, int code);
void tui_resume(app *a);
bool tui_run_statement(app *a, const char *text);
bool tui_do_drive(app *a, drive_kind kind, const char *arg);
void tui_run_pending(app *a, const char *answer);
void tui_show_warnings(app *a);
void tui_reset_view(app *a);

/* Run code against exercise x: the checks' entries join the history and
 * the panes show them (act_here first, as any action). */
int tui_run_exercise(app *a, const lesson_exercise *x, const char *code,
                     exercise_result *r);

/* tui_exercise.c: an exercise's dialog, the editor, hints. */
void tui_exercise_open(app *a);
void tui_exercise_act(app *a, tui_action act);
void tui_exercise_draw(app *a);
void tui_exercise_free(app *a);

/* tui_layout.c */
void tui_layout(app *a, const view_ctx *c);
void tui_draw_pane(app *a, int idx, const view_ctx *c);
void tui_click(app *a, int my, int mx);
void tui_scroll_focused(app *a, int by);
void tui_view_act(app *a, tui_action act, int arg);

/* tui_prompt.c */
void tui_prompt_open(app *a, prompt_kind kind, const char *prefill);
void tui_prompt_key(app *a, int code, wint_t ch);
void tui_prompt_draw(app *a);
void tui_prompt_free(prompt *p);

/* tui_menu.c */
void tui_menu_load(app *a);
void tui_menu_free(menu *m);
void tui_menu_draw(app *a);
void tui_menu_act(app *a, tui_action act, int arg);

/* tui_dialogs.c */
/* The table's mode (M_*) of a dialog. */
unsigned tui_overlay_mode(ovl_kind ov);
void tui_key_bar_draw(app *a);
void tui_help_draw(void);
void tui_quit_draw(void);
void tui_resume_draw(app *a);
void tui_too_small_draw(void);

#endif
