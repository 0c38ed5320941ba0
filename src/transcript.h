/* transcript.h: steps rendered as a readable text handout or as JSON Lines.
 * Never calls Python or curses. */
#ifndef YS_TRANSCRIPT_H
#define YS_TRANSCRIPT_H

#include <stdio.h>

#include "lesson.h"
#include "session.h"

/* The handout's heading: the lesson's title and file. */
int transcript_text_header(FILE *f, const lesson *l);

/* One performed step as text: a rule "Step k/N · section", the source with
 * lesson line numbers, what it printed, its value or exception, whether it
 * matched, then every generator (label, kind, function, state, line,
 * f_lasti, locals, delegate) and the step's events hop by hop.
 * number is 1-based; total is the lesson's step count. Returns 0, or -1
 * on a write error. */
int transcript_text_entry(FILE *f, const lesson *l, const session_entry *e,
                          size_t number, size_t total);

/* The handout's ending: an "End" rule, the lesson's closing narration and
 * the shown blocks that stand after the last step. Returns 0, or -1 on a
 * write error. */
int transcript_text_footer(FILE *f, const lesson *l);

/* A step that ran an event loop callback by callback (its callback
 * pauses): the lines transcript_text_entry writes of them, alone, for
 * --plain. Nothing when it has none. Returns 0, or -1 on a write error. */
int transcript_text_callbacks(FILE *f, const snap_step *r);

/* One performed step as one JSON object on one line (schema in
 * docs/json.md). Returns 0, or -1 on a write or allocation error. */
int transcript_json_entry(FILE *f, const session_entry *e, size_t number);

#endif
