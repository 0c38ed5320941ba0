/* engine_hooks_int.h: what the hooks' files share (engine_hooks*.c): the
 * kinds of hop records, and the functions one part of the hooks calls in
 * another. Includes Python.h through engine_int.h: engine files only.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#ifndef YS_ENGINE_HOOKS_INT_H
#define YS_ENGINE_HOOKS_INT_H

#include "engine_int.h"
#include <frameobject.h>

/* What a hop record says the frame did (see engine_hooks.c). */
enum { RAW_RESUME, RAW_YIELD, RAW_RETURN, RAW_RAISE };

/* Whether code is a generator's, a coroutine's or an async generator's. */
static inline bool hooks_is_generator_code(PyCodeObject *code)
{
	return code->co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR);
}

/* ---- Line stepping (engine_hooks_lines.c) -------------------------------- */

/* Whether code is the lesson's (its file, or the prompt's). */
bool hooks_is_lesson_code(engine *e, PyCodeObject *code);
/* Append a pause of kind (SNAP_PAUSE_*) at frame to e->pauses, with value
 * (or none, NULL) shown; past MAX_PAUSES, note the cap instead. */
void hooks_record_pause(engine *e, PyFrameObject *frame, int kind,
                        PyObject *value);
/* A line event in frame: a pause when it is lesson code in a generator
 * frame. */
void hooks_trace_line(engine *e, PyFrameObject *frame);
#if PY_VERSION_HEX >= 0x030C0000
/* The trace function line stepping sets on 3.12 and later. */
int hooks_trace_step(PyObject *obj, PyFrameObject *frame, int what,
                     PyObject *arg);
#endif

/* ---- Closes and finalizers (engine_hooks_close.c) ------------------------ */

/* Wrap the generator types' finalizers (once), so that a finalization
 * counts as a close. */
void hooks_watch_finalizers(void);
/* The generator frames below frame on the stack, with the delegators a
 * close in progress closes through. */
int hooks_stack_depth(PyFrameObject *frame);
/* The line frame's delegator waits at when frame is an async generator's
 * that the innermost throw() reaches through its asend()/athrow()
 * awaitable (its delegator's frame is then not below it), else -1. */
int hooks_awaiter_line(PyFrameObject *frame);

/* ---- Hop records (engine_hooks.c) ---------------------------------------- */

/* Whether a hop of frame, running code, is worth a record. */
bool hooks_worth_recording(engine *e, PyFrameObject *frame, PyCodeObject *code);
/* Append the record of a hop of kind (RAW_*) to e->raw, with text (or
 * none, NULL); its index, or -1. */
Py_ssize_t hooks_record_raw(engine *e, PyFrameObject *frame, PyCodeObject *code,
                            int kind, PyObject *text, bool thrown, bool first);
/* "Type: message" of exc, or NULL. */
PyObject *hooks_exception_text(engine *e, PyObject *exc);
/* The repr of what a frame yielded or returned, or NULL. */
PyObject *hooks_value_text(engine *e, PyObject *value);
/* Whether the step recorded all the hops it may; the first time it has,
 * the hooks go off (hooks_stop). */
bool hooks_full(engine *e);

/* ---- Locals at a hop (engine_hooks_locals.c) ------------------------------ */

/* Records of a step that carry their frame's locals. */
#define HOP_LOCALS 64
/* Append to rec, the record of a hop of frame, the frame's locals as its
 * card shows them (the helper's frame_locals: (name, repr) pairs), for
 * the first HOP_LOCALS records of the step while their reprs have taken
 * under 10 ms of it; None after. rec may be NULL (nothing to do). */
void hooks_hop_locals(engine *e, PyFrameObject *frame, PyObject *rec);

/* ---- The hooks of each version (engine_hooks_monitor.c on 3.12 and later,
 * engine_hooks_profile.c on 3.11) ------------------------------------------ */

/* The hooks off for the rest of the step, line stepping's events kept. */
void hooks_stop(void);
/* A close, throw() or finalization begins in this thread, resuming a
 * frame: note another thread's (3.11; sys.monitoring sees every thread). */
void hooks_thread_resumes(void);

#endif
