/* notebook.h: --import, a Jupyter notebook (nbformat 4, JSON read with
 * jansson) turned into a lesson.
 *
 * Markdown cells become the narration, as written. A code cell without
 * recorded outputs becomes a ```python step. A code cell with outputs
 * becomes a ```python step of all but its last top-level statement and a
 * ```pycon step of the last, whose expected output is everything the cell
 * recorded: its streams (stdout and stderr, which a lesson's capture
 * joins too), its execute_result's text/plain, and an error as
 * "Traceback (most recent call last):" and its "Type: message" line.
 * IPython's magics (%, %%, !) cannot run in plain Python: those lines or
 * cells are left out, and the narration says so; so are display outputs
 * (display() and pictures). Raw cells are left out.
 *
 * The lesson written is loaded back (lesson_parse) before it is given
 * out; any error names the notebook cell it comes from.
 */
#ifndef YS_NOTEBOOK_H
#define YS_NOTEBOOK_H

#include <stddef.h>
#include <stdio.h>

/* Write the lesson made from the notebook at path to out. Returns 0, or
 * -1 with "PATH: cell N: what" (or "PATH: what" for the whole file) in
 * err. */
int notebook_import(const char *path, FILE *out, char *err, size_t errlen);

/* The same on notebook text in memory, the lesson returned newly
 * allocated (NULL on error, said in err); path is used in messages. */
char *notebook_convert(const char *path, const char *json, size_t len, char *err,
                       size_t errlen);

#endif
