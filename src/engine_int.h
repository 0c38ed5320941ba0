/* engine_int.h: what the engine's C files share. Includes Python.h: only
 * engine*.c may include this header. */
#ifndef YS_ENGINE_INT_H
#define YS_ENGINE_INT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>

#include "snapshot.h"

/* ---- Census: every generator the namespace reaches ------------------------
 * Finding and counting generators must stay cheap with a hundred thousand
 * of them, so the census is C: one pass over the namespace (names, and the
 * items of lists, tuples, deques and dicts), then breadth first through
 * delegates and, within a budget, the locals of suspended frames. It keeps
 * how each generator was reached, so a label is only spelled out for the
 * generators that are shown.
 */
typedef struct census census;

/* Take a census of ns. types is a dict {type: kind}; deque the
 * collections.deque type. At most locals_budget frames have their locals
 * searched. reuse, when not NULL, is a released census whose memory is
 * used again (no page faults for a heap as big as the last one). Returns
 * the census (reuse itself, or a new one), or NULL with an exception set
 * (reuse is then freed). */
census *census_take(PyObject *ns, PyObject *types, PyObject *deque,
                    size_t locals_budget, census *reuse);

/* Drop the census' references to generators, keeping its memory for
 * census_take. census_free frees it all. NULL is fine for both. */
void census_release(census *c);
void census_free(census *c);

size_t census_count(const census *c);

/* Counts by state, and by function (most common first, at most max). */
int census_summary(const census *c, snap_step *out, size_t max);

/* Entries [offset, offset + count) as a list of tuples (gen, label, kind,
 * state, delegate label or None), the shape engine_helper's cards() takes.
 * New reference, or NULL with an exception set. */
PyObject *census_entries(const census *c, size_t offset, size_t count);

/* ---- Sandbox: the lesson's hold on the process (engine_sandbox.c) ------------
 * Signal handlers, traces, profilers and sys.monitoring events the lesson
 * sets act during its steps only; Ctrl-C stays the program's; a forked
 * child ends at once; exit waits for no lesson thread.
 */

/* After the interpreter started, in the main thread: install kick (the
 * watchdog's Python-level handler) for signal sig, and the fork hook.
 * monitor_tool is the engine's own sys.monitoring tool id. Returns 0, or
 * -1 when the sandbox could not be set up (the engine then works without:
 * no signal stops a blocking call). */
int sandbox_setup(PyObject *kick, int sig, int monitor_tool);

/* From the watchdog thread: interrupt the main thread's blocking system
 * call with the kick signal, whose handler then raises. */
void sandbox_kick(void);

/* Just before lesson code runs / just after. A lesson's signal handler
 * whose signal came in the step's last instructions runs in
 * sandbox_step_end: when it raises and the step succeeded (succeeded),
 * its exception is left set and -1 returned; else the step's own
 * exception, if any, is kept as it is, and the handler's is reported as
 * unraisable. */
void sandbox_step_begin(void);
int sandbox_step_end(bool succeeded);

/* Before Py_FinalizeEx: no lesson timer, thread or atexit function can
 * hold up or kill the exit. */
void sandbox_before_exit(void);
/* After Py_FinalizeEx: the lesson's timer signals still on their way are
 * ignored. */
void sandbox_after_exit(void);

/* Whether f is one of the engine's own trace or profile functions (those
 * stay; the lesson's are put aside between steps). In engine.c. */
bool engine_own_tracer(Py_tracefunc f);

#endif
