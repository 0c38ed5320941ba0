/* tui.h: the interactive terminal program (ncurses). */
#ifndef YS_TUI_H
#define YS_TUI_H

#include <stdbool.h>

#include "engine.h"

typedef struct {
	const char *lesson_path;        /* NULL: start at the lesson menu */
	const char *lessons_dir;        /* where the menu finds lessons */
	engine_options engine;
	bool animate;                   /* show values travelling along a chain */

	/* Headless screen-test mode (--screen-test): keys come from this
	 * script file, drawing goes to a virtual terminal of this size, and
	 * the screen is dumped as text to stdout where the script says so.
	 * NULL for the real terminal. */
	const char *screen_script;
	int screen_lines, screen_cols;

	/* --record: write every screen drawn to this asciicast file, with a
	 * marker at each lesson step (tui_record.c); NULL: no recording.
	 * record_steady: one screen a second instead of the wall clock. */
	const char *record;
	bool record_steady;
} tui_options;

/* Run the terminal UI until the user quits. Returns the exit status:
 * 0, or 2 when there is no usable terminal (with a message on stderr
 * pointing to --play). */
int tui_run(const tui_options *o);

#endif
