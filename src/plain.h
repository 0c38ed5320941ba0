/* plain.h: --plain, a lesson played interactively as a stream of lines,
 * for screen readers, braille displays and slow links: no redraws and no
 * cursor movement, every state said in words.
 *
 * Each step is announced (its narration and code), then performed when
 * the learner says so, then described: what it printed, its value or
 * exception, and what changed since the step before (generators made,
 * gone, their states and lines, and the values that travelled, hop by
 * hop). Commands are the terminal UI's keys, one a line, with what they
 * ask for on the same line ("s 5", ": next(g)"); "?" lists them.
 */
#ifndef YS_PLAIN_H
#define YS_PLAIN_H

#include <stdio.h>

#include "engine.h"

/* Play the lesson at path on engine e, commands from in, lines to out.
 * Returns 0 when the learner quits or in ends, 2 when the lesson does not
 * load or the engine fails (the reason to err). */
int plain_run(engine *e, const char *path, FILE *in, FILE *out, FILE *err);

#endif
