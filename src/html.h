/* html.h: the --play --html handout: one self-contained HTML file (no
 * network, no script), with drawings in inline SVG and a print style
 * sheet. Never calls Python or curses.
 *
 * For each step: the narration, the code with the lines where generators
 * are paused marked (in words as well as colour), the output, and three
 * drawings: the heap (a card per generator with a state badge that names
 * the state), the delegation chains (yield from, await), and the step's
 * timeline of hops (resume, yield, return, raise, with the values).
 */
#ifndef YS_HTML_H
#define YS_HTML_H

#include <stdio.h>

#include "lesson.h"
#include "session.h"

/* The page's head, style sheet and the lesson's title. Returns 0, or -1
 * on a write error. */
int html_header(FILE *f, const lesson *l);

/* One performed step (number from 1, total the lesson's steps). Returns
 * 0, or -1 on a write or allocation error. */
int html_entry(FILE *f, const lesson *l, const session_entry *e, size_t number,
               size_t total);

/* The lesson's closing words and the end of the page. Returns 0, or -1 on
 * a write error. */
int html_footer(FILE *f, const lesson *l);

#endif
