/* exercise.h: trying an exercise's code against its checks.
 *
 * The code runs in a fresh namespace of the session's engine, then each
 * check, as free entries of the session's history: the panes show the
 * learner's own generators, and each check's entry says expected (its
 * expected) and got (its actual). session_replay brings the lesson back.
 * This module never calls Python or curses.
 */
#ifndef YS_EXERCISE_H
#define YS_EXERCISE_H

#include <stdbool.h>
#include <stddef.h>

#include "lesson.h"
#include "session.h"

typedef struct {
	size_t first;           /* history index of the code's entry; the
	                           checks' entries follow it */
	size_t nchecks;         /* checks run: every one of the exercise's */
	size_t passed;
	bool code_raised;       /* the code itself raised (a SyntaxError...) */
} exercise_result;

/* Run code (the learner's, the starting code or the solution) and then
 * every check of x, filling *r. Returns ENGINE_OK or ENGINE_FAILED. */
int exercise_try(session *s, const lesson_exercise *x, const char *code,
                 exercise_result *r);

/* True when every check passed and the code did not raise. */
bool exercise_solved(const exercise_result *r);

/* The entry of check i (0-based) of the last try. */
const session_entry *exercise_check_entry(const session *s,
                                          const exercise_result *r, size_t i);

/* The exercise the learner can try at script position pos: the last one
 * whose steps before it have run; -1 when none. */
int exercise_available(const lesson *l, size_t pos);

/* The file name code runs under: "<exercise NAME>". Newly allocated. */
char *exercise_filename(const lesson_exercise *x);

#endif
