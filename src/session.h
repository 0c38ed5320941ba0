/* session.h: playing a lesson.
 *
 * A session owns a lesson and borrows the engine. It knows the next step
 * of the script, runs it or a free action, keeps the history of what was
 * performed (each entry with its result), and replays the script from a
 * fresh namespace. It never draws.
 */
#ifndef YS_SESSION_H
#define YS_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "lesson.h"
#include "snapshot.h"

typedef enum {
	ENTRY_SCRIPT,           /* a step of the lesson, as written */
	ENTRY_FREE,             /* something the learner did off the script */
} session_origin;

typedef struct {
	session_origin origin;
	size_t step;            /* ENTRY_SCRIPT: index of the lesson step */
	lesson_step_kind kind;
	char *source;           /* the code or statement performed */
	int line;               /* lesson file line, 0 for free actions */
	const char *expected;   /* the lesson's expectation (owned by the
	                           lesson), NULL when none */
	int match;              /* 1 matched, 0 did not, -1 nothing expected */
	char *actual;           /* compare_actual() of the result */
	snap_step result;

	/* Predict, then see (session_predict). */
	char *prediction;       /* what the learner expected, NULL when not asked */
	int predicted;          /* 1 right, 0 wrong, -1 no prediction */
	char *hint;             /* after a wrong one: where to look on screen */
	unsigned right, wrong;  /* the lesson's score once this entry was done */
} session_entry;

typedef struct session session;

/* A session on lesson l (owned from now on) with engine e (borrowed),
 * reset to a fresh namespace. NULL when out of memory (l is freed). */
session *session_new(lesson *l, engine *e);
void session_free(session *s);

const lesson *session_lesson(const session *s);

/* Index of the next scripted step; lesson->nsteps when all are done. */
size_t session_script_pos(const session *s);
/* The next scripted step, or NULL when the script is done. */
const lesson_step *session_next_step(const session *s);
/* True after a free action, until session_replay. */
bool session_off_script(const session *s);

/* Perform the next scripted step. Returns ENGINE_OK, 1 when the script is
 * already done, or ENGINE_FAILED. */
int session_step(session *s);

/* A free action on a generator: kind on target (a label), with arg for
 * send and throw. Returns ENGINE_OK, ENGINE_ARG_ERROR (nothing was done,
 * the reason is in session_error), or ENGINE_FAILED. */
int session_drive(session *s, drive_kind kind, const char *target,
                  const char *arg);

/* A free statement typed by the learner. */
int session_run(session *s, const char *statement);

/* Exercises (exercise.c builds on these). Start a fresh namespace that
 * knows code as the file filename, and run code there as a free entry
 * (at its line 1): the learner's own code, outside the lesson's. Returns
 * ENGINE_OK (the code may have raised) or ENGINE_FAILED. r (session_replay)
 * brings the lesson's namespace back. */
int session_fresh_code(session *s, const char *filename, const char *code);

/* Perform one check of an exercise, step st (owned by the lesson), as a
 * free entry that carries st's expected output, so the entry's match says
 * whether it passed. Returns ENGINE_OK or ENGINE_FAILED. */
int session_check(session *s, const lesson_step *st);

/* Reset the namespace and replay the script up to where it stood, dropping
 * free actions. Returns ENGINE_OK or ENGINE_FAILED. */
int session_replay(session *s);

/* Reset the namespace and play the script's first `steps` steps (fewer
 * when the lesson has fewer), dropping all history: resuming a lesson
 * where it was left. Returns ENGINE_OK or ENGINE_FAILED. */
int session_replay_to(session *s, size_t steps);

/* Go back in time to just after entry k-1 (k == 0: before the first
 * step): entries k.. are dropped and the namespace is rebuilt by
 * performing entries 0..k-1 again from a fresh start, free actions
 * included, so the next action acts on the state shown at that point.
 * CPython runs the same code the same way (the hash seed is fixed), so
 * the replayed results equal the old ones but for object addresses; the
 * entries keep their predictions. Returns ENGINE_OK or ENGINE_FAILED. */
int session_truncate(session *s, size_t k);

/* Line stepping for the steps performed from now on (see
 * engine_set_line_stepping); replays never line-step. Off at first. */
void session_set_line_stepping(session *s, bool on);
bool session_line_stepping(const session *s);

/* The message of the last ENGINE_ARG_ERROR ("NameError: name 'x' is not
 * defined"), or NULL. */
const char *session_error(const session *s);

/* ---- Predict, then see --------------------------------------------------- */

/* Score the learner's prediction for the latest entry: answer is what
 * they typed before the result was shown. It is right when, under
 * --check's rules (compare_match), it matches what the step showed, or
 * only the value that came back, or only what was printed, or, when the
 * step raised, the exception's type ("StopIteration"); an empty answer
 * (or "nothing") predicts that nothing is shown. A wrong answer gets a
 * hint in the entry: the lesson's for that answer (a wrong directive of
 * the step, matched under compare_match), else a built-in one. Updates the score. Returns 1 right, 0 wrong, -1 when
 * there is no entry or out of memory. A prediction about a generator
 * (predict state, line, resumes, catches) is scored by predict_generator
 * against what the step did. */
int session_predict(session *s, const char *answer);

/* The answers to choose from for the next step's prediction, in the
 * state now (predict_choices); NULL and *n 0 when it takes a free answer.
 * Free with predict_choices_free. */
char **session_predict_choices(const session *s, size_t *n);

/* "predictions 5/7 right (shown 3/4, ...)" for the history's predictions
 * (predict_summary of session_score_by_kind), then ", 2 skipped" for the
 * steps that asked and were seen without a prediction ("2 predictions
 * skipped" when none was made): a new string, NULL when the history
 * holds no step that asked. */
char *session_summary(const session *s);

/* The predictions of the entries in the history (this run only), right
 * and wrong, by what they were about (a predict_kind; a free action's is
 * PREDICT_SHOWN): the summary at the end of a lesson. */
void session_score_by_kind(const session *s, unsigned right[PREDICT_KINDS],
                           unsigned wrong[PREDICT_KINDS]);

/* The score: predictions right and wrong in this lesson, counting those
 * of earlier runs given to session_set_score. */
void session_score(const session *s, unsigned *right, unsigned *wrong);
void session_set_score(session *s, unsigned right, unsigned wrong);

/* History: entries in the order performed. */
size_t session_count(const session *s);
const session_entry *session_entry_at(const session *s, size_t i);
/* The latest result, or an empty snapshot before the first step. */
const snap_step *session_state(const session *s);
/* All the entries, contiguous: session_entry_at(s, i) is the i-th; valid
 * until the session next performs, replays or truncates. */
const session_entry *session_entries(const session *s);

/* ---- What the terminal asks for when a step ends or a key asks -------- */

/* Cards [offset, offset + count) of the live state's generators, and the
 * bytecode of the live generator named label: engine_cards and
 * engine_disassemble on the session's engine (which evaluate in the
 * lesson's namespace, so never while drawing). */
long session_cards(session *s, size_t offset, size_t count, snap_gen **out, size_t *n);
long session_disassemble(session *s, const char *label, engine_instr **out);
/* Ask the running step to stop (async-signal-safe: engine_interrupt). */
void session_interrupt(void);
/* Why the session's engine failed, after a result of ENGINE_FAILED
 * (engine_failure). */
const char *session_failure(const session *s);

#endif
