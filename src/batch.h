/* batch.h: the modes without a terminal: --play prints a lesson's steps as
 * a handout or JSON Lines, --check compares every expectation.
 *
 * Both run on an engine the caller started (main starts one, the tests
 * one per process) and write to the streams given.
 */
#ifndef YS_BATCH_H
#define YS_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine.h"

/* Print "file:line: message" for a lesson that does not load. */
void batch_report(FILE *err, const char *path, int line, const char *message);

/* --play: the lesson at path, then the statements dos[0..ndo) as steps
 * of its own, each step's result written to out as the handout (or one
 * JSON object a line when json). Returns 0, or 2 when the lesson does not
 * load, a step cannot be completed, or the output is cut short (a write
 * or an allocation failed: a cut transcript must not pass for a whole
 * one); the reason goes to err. */
int batch_play(engine *e, const char *path, bool json, char *const *dos, size_t ndo,
               FILE *out, FILE *err);

/* The forms --play writes. */
typedef enum { BATCH_TEXT, BATCH_JSON, BATCH_HTML } batch_format;

/* batch_play in any of them: BATCH_HTML is one self-contained HTML page
 * (html.h). */
int batch_play_as(engine *e, const char *path, batch_format format, char *const *dos,
                  size_t ndo, FILE *out, FILE *err);

/* --check: every lesson of paths[0..n), every expectation: a diff for
 * each mismatch and "N passed, N failed" to out. A code step promises
 * only that it runs: an exception in it fails. Returns 0, 1 when any
 * expectation failed, 2 when a lesson does not load or the engine fails
 * (the reason to err). */
int batch_check(engine *e, char *const *paths, size_t n, FILE *out, FILE *err);

#endif
