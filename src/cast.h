/* cast.h: asciicast v2 recordings (the format asciinema plays).
 *
 * A recording is a header line, then one JSON array a line: [time, "o",
 * text] for output, [time, "m", label] for a marker a player can jump to.
 * The terminal UI writes one frame per screen it draws (each a whole
 * screen, so any frame stands on its own) and a marker at each lesson
 * step; --play --cast writes the same from a key script the lesson gives.
 * No curses here: screens come in as text.
 */
#ifndef YS_CAST_H
#define YS_CAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lesson.h"

typedef struct cast cast;

/* Start a recording of a cols x lines screen at path ("-": stdout),
 * titled title (may be NULL). Returns NULL with the reason in err. */
cast *cast_open(const char *path, int cols, int lines, const char *title,
                char *err, size_t errlen);

/* The screen at time t (seconds from the start; never before the last
 * event's): rows separated by '\n', each drawn from the left edge. A
 * frame equal to the last one is not written again. */
void cast_frame(cast *c, double t, const char *screen);

/* A marker at time t, labelled label. */
void cast_marker(cast *c, double t, const char *label);

/* Finish the recording. Returns 0, or -1 when something could not be
 * written (the file is then incomplete). */
int cast_close(cast *c);

/* The label of a marker for step i (from 0) of l: "Step 3: g.send(5)"
 * or "Step 1: code (line 12)". Newly allocated; NULL when out of memory. */
char *cast_step_label(const lesson *l, size_t i);

/* The key script (see tui_script.c) that plays every step of l in the
 * terminal UI: Space for each step, and for a predict step the first line
 * of its expected output typed as the prediction. Returns 0, or -1 when
 * it cannot be written. */
int cast_play_script(const lesson *l, FILE *out);

#endif
