/* tui_int.h: what the terminal UI's own files share (curses side).
 *
 * Not a module interface: only tui*.c and view_*.c include it.
 */
#ifndef YS_TUI_INT_H
#define YS_TUI_INT_H

#include <stdbool.h>
#include <stdio.h>

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "view.h"

/* ---- Drawing (tui_draw.c) ----------------------------------------------------- */

/* Set up colours for the roles: with colour unless NO_COLOR is set or the
 * terminal has none. */
void tui_styles_init(void);
bool tui_has_color(void);
/* Attributes (colour pair included) of a role. */
attr_t tui_attr(view_role r);
/* Draw text at (y, x) in role r, at most maxw columns; control characters
 * and, in an ASCII locale, non-ASCII ones appear as '?'. Returns the
 * columns drawn. */
int tui_put(WINDOW *w, int y, int x, int maxw, view_role r, const char *text);
/* Fill n cells from (y, x) with spaces in role r. */
void tui_fill(WINDOW *w, int y, int x, int n, view_role r);
/* A box around (y, x, h, w) with a title in its top edge. */
void tui_box(WINDOW *win, int y, int x, int h, int w, bool focused,
             const char *title, const char *subtitle);
/* Draw lines[offset..] into the rectangle (y, x, h, w). */
void tui_draw_lines(WINDOW *win, int y, int x, int h, int w,
                    const view_lines *v, int offset);

/* ---- Terminal (tui_term.c) ------------------------------------------------------ */

/* Open the real terminal. Returns false with a message on stderr when
 * there is none fit to use. */
bool tui_term_open(bool mouse);
/* Open a headless terminal of lines x cols, drawing to /dev/null. */
bool tui_term_open_headless(const char *term, int lines, int cols);
/* Restore the terminal (idempotent). */
void tui_term_close(void);
/* Install handlers that restore the terminal on fatal signals and a
 * SIGINT handler that sets *flag, or calls interrupt (async-signal-safe)
 * while *busy. */
void tui_signals_install(volatile int *sigint_flag, volatile int *busy, void (*interrupt)(void));
/* Write the screen as text to out: one line per row, trailing spaces cut.
 * With attrs, a second grid follows with one letter per cell for its role
 * (see tui_term.c). */
void tui_dump(FILE *out, bool attrs);
/* Is the locale UTF-8? */
bool tui_utf8(void);

/* ---- Screen-test scripts (tui_script.c) ---------------------------------------- */

/* Events read from a key script, as getch would give them. */
enum {
	TUI_EV_END = -100,      /* the script is over */
	TUI_EV_TICK = -101,     /* advance the animation one frame */
	TUI_EV_SIGINT = -102,   /* as if Ctrl-C was pressed */
};
/* Or-ed into a key of "at-callback": press it only if a callback pause
 * is shown then, else skip it. Above every curses key code. */
#define TUI_EV_IF_CALLBACK 0x1000000

typedef struct tui_script tui_script;

tui_script *tui_script_open(const char *path);
void tui_script_close(tui_script *s);
/* Options the script sets before its first key ("term", "animate"). */
const char *tui_script_term(const tui_script *s);
bool tui_script_animate(const tui_script *s);
/* The next event: a curses key code, a character (either possibly with
 * TUI_EV_IF_CALLBACK), KEY_MOUSE (with *my, *mx set), KEY_RESIZE (after
 * resizing the virtual terminal), or one of TUI_EV_*. Commands that print (dump) are carried out by calling
 * redraw first. */
int tui_script_next(tui_script *s, int *my, int *mx, void (*redraw)(void *), void *arg);

#endif
