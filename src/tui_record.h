/* tui_record.h: --record, the terminal UI as an asciicast recording
 * (tui_record.c). One recording per process. */
#ifndef YS_TUI_RECORD_H
#define YS_TUI_RECORD_H

#include <stdbool.h>

#include "tui.h"

struct app;

/* Start recording to o->record once the terminal is open (nothing to do
 * when it is NULL). Returns false (said why on stderr) when the file
 * cannot be written. */
bool tui_record_open(const tui_options *o);

/* The screen just drawn, as a frame; a marker first for each step the
 * lesson reached since the last frame. */
void tui_record_frame(const struct app *a);

/* End the recording. Returns 0, or -1 (said why on stderr) when it could
 * not be written whole. */
int tui_record_close(void);

#endif
