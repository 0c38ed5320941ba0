/* predict.h: predictions about generators rather than about what a step
 * shows: the answers a learner chooses from before the step, and the
 * scoring after it against what CPython did (the step's events and the
 * states on either side of it), never against an answer written down.
 */
#ifndef YS_PREDICT_H
#define YS_PREDICT_H

#include <stdbool.h>

#include "lesson.h"
#include "snapshot.h"

/* Score answer (trimmed) to step st's prediction about a generator
 * (st->predict_kind is not PREDICT_SHOWN). before is the state the
 * learner saw when predicting, after the step's result. A learner names
 * a generator by its label as the Heap showed it before the step (or
 * after, for one made during it), or by its function when no other
 * generator alive before the step runs that function. For "resumes" in
 * a step whose event loop ran a task's callback, the task that callback
 * resumed first (after->resumed_task) is right too, named by its label
 * or by its name as the Tasks section showed it. Returns whether it
 * is right; when wrong, *hint is a new string pointing at what on the
 * screen shows the answer, or NULL when out of memory. */
bool predict_generator(const lesson_step *st, const snap_step *before,
                       const snap_step *after, const char *answer, char **hint);

/* The frame that caught the exception the step threw in first (throw()
 * or close(), into a generator or down its yield from or await chain),
 * found by following the exception through r's events: from the frame it
 * went into, out through each frame it left, to the first that went on
 * (yielded, returned or raised another exception). Returns false when
 * the step threw nothing into a generator. Else *thrown is the resume
 * that threw it in and *catcher the resume at which the catching frame
 * got it, or NULL when it left the outermost frame: the code that called
 * throw() got it. */
bool predict_catcher(const snap_step *r, const snap_event **thrown,
                     const snap_event **catcher);

/* The answers to choose from before step st, in the state before: for
 * "resumes" each generator alive then and "none", after the name of each
 * pending task when st steps an event loop; for "catches" the
 * generator the step throws into and each of its delegates, outermost
 * first (every live generator when the step drives none), and "caller";
 * for "state" the four states. Sets *n; returns an array of *n new
 * strings for predict_choices_free, or NULL (and *n 0) when the
 * prediction takes a free answer or memory ran out. */
char **predict_choices(const lesson_step *st, const snap_step *before, size_t *n);
void predict_choices_free(char **choices, size_t n);

/* What step st asks the learner to predict, as the start of a sentence:
 * "Predict what it shows", "Predict which frame catches it", ... (what it
 * shows when st asks nothing about a generator). A new string, NULL when
 * out of memory. */
char *predict_question(const lesson_step *st);

/* The lesson's score from counts by kind: "predictions 5/7 right
 * (shown 3/4, resumes 1/1, catches 1/2)", with the parts by kind only
 * when there was more than one kind. A new string, NULL when no
 * prediction was scored or memory ran out. */
char *predict_summary(const unsigned right[PREDICT_KINDS],
                      const unsigned wrong[PREDICT_KINDS]);

#endif
