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
} tui_options;

/* Run the terminal UI until the user quits. Returns the exit status. */
int tui_run(const tui_options *o);

#endif
