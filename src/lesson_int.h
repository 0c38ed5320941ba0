/* lesson_int.h: what the lesson parser's files share (lesson.c,
 * lesson_directive.c, lesson_steps.c, lesson_python.c, lesson_exercise.c,
 * lesson_cookie.c). Not a module interface. */
#ifndef YS_LESSON_INT_H
#define YS_LESSON_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark.h>

#include "lesson.h"
#include "util.h"

typedef struct {
	lesson_error *err;
	const char *path;
	char *text;             /* normalised text, NUL-terminated */
	size_t len;
	size_t *starts;         /* offset of each line's first byte, then a
	                           sentinel: line k ends at starts[k] - 1 */
	size_t nlines;
	lesson *l;
	size_t capsteps;
	size_t capshown;
	strbuf narration;       /* prose waiting for the next step */
	char *section;
	bool predict;           /* a predict directive waits for a step */
	predict_kind predict_kind;
	char *predict_target;
	lesson_wrong *wrong;    /* its wrong directives, given to the step */
	size_t nwrong;
	int predict_line;
	lesson_eye eye;         /* select, highlight, panes: for the next step */
	strbuf program;
	int program_lines;
	bool py_pending;        /* a python directive waits for a block */
	int py_line;
	int py_min, py_max;
	size_t py_shared;       /* narration length when it was read */
	bool py_block;          /* reading the block it governs */
	bool py_first;          /* no step of that block made yet */
	/* An exercise being read (lesson_exercise.c). */
	lesson_exercise *ex;    /* open, NULL when none */
	int ex_stage;           /* blocks read: 0 none, 1 start, 2 checks */
	strbuf ex_saved;        /* narration for the next step, set aside */
	size_t capex;
	bool failed;
} parser;

/* Record the first problem only (at line, 0 for none): later ones are
 * consequences of it. */
void lp_fail(parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void lp_fail_oom(parser *p);
/* Line n (from 1) of the text, *len bytes without its newline. */
const char *lp_line_at(const parser *p, int n, size_t *len);
bool lp_is_blank(const char *s, size_t n);
/* s past the blanks (space, tab, newline) it starts with; end before
 * those s..end ends with (lesson_directive.c). */
const char *lp_skip_space(const char *s, const char *end);
const char *lp_trim_end(const char *s, const char *end);
/* Newlines in [s, end). */
int lp_count_lines(const char *s, const char *end);
/* Scan raw HTML (a block's or an inline node's literal, starting on file
 * line `line`) for comments and act on the directives among them
 * (lesson_directive.c). Returns whether anything but comments and
 * whitespace is there. */
bool lp_scan_html(parser *p, const char *s, int line);
/* A new step at file line, taking the narration and directives waiting;
 * NULL when out of memory (p failed). */
lesson_step *lp_add_step(parser *p, lesson_step_kind kind, int line);
/* A fenced or indented code block: a step, steps, or a shown block
 * (lesson_steps.c); top: it stands at the document's top level. */
void lp_code_block(parser *p, cmark_node *node, bool top);
/* A version number "3.12" at *sp (before end): 100 * major + minor, *sp
 * moved past it; -1 when there is none. */
int lp_scan_version(const char **sp, const char *end);
/* The message for ">>>" outside a pycon block. */
extern const char lp_outside_pycon[];
/* The statements of a ```pycon block's text lit (its first line at line)
 * appended as steps. */
void lp_pycon_block(parser *p, const char *lit, int line);
/* Exercises (lesson_exercise.c). The directive's words after
 * "exercise" are s..end; a hint's text likewise. */
void lp_exercise_open(parser *p, const char *s, const char *end, int line);
void lp_exercise_hint(parser *p, const char *s, const char *end, int line);
/* A block inside an open exercise: start, checks or solution (which
 * closes it). Returns false when no exercise is open. */
bool lp_exercise_block(parser *p, const char *info, const char *lit, int line);
/* At the end of the lesson: an exercise left open is an error. */
void lp_exercise_finish(parser *p);
void lp_exercise_clear(lesson_exercise *x);
void lp_wrong_free(lesson_wrong *w, size_t n);
/* lesson_eye.c: the select, highlight and panes directives. w..w+wn is
 * the directive's word, s..end what follows it; returns false when the
 * word is none of them (nothing done). */
bool lp_eye_directive(parser *p, const char *w, size_t wn, const char *s, const char *end,
                      int line);
/* Free what e holds and zero it. */
void lp_eye_clear(lesson_eye *e);
/* Free what a step holds. */
void lp_step_clear(lesson_step *st);
/* Parse every step's narration and the closing words into blocks;
 * -1 when out of memory. */
int lp_narrate(lesson *l);

/* A .py lesson's text (len bytes) as UTF-8, decoded as CPython decodes a
 * source file: a PEP 263 coding cookie in its first two lines (as
 * tokenize.detect_encoding finds it) names the codec, UTF-8 otherwise. A
 * cookie naming another codec is rewritten to name utf-8, as the text now
 * is. Returns a new NUL-terminated buffer (its length in *out_len), or
 * NULL with the reason in msg and its line in *line (0 for none). */
char *lp_decode_python(const char *text, size_t len, size_t *out_len,
                       int *line, char *msg, size_t msgsize);

#endif
