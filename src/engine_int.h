/* engine_int.h: what the engine's C files share. Includes Python.h: only
 * engine*.c may include this header. */
#ifndef YS_ENGINE_INT_H
#define YS_ENGINE_INT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>

#include "snapshot.h"

/* ---- Census: every generator the namespace reaches ------------------------
 * Finding and counting generators must stay cheap with a million of them,
 * so the census is C: one walk over the namespace (names, and the items of
 * lists, tuples, deques and dicts), then breadth first through delegates
 * and, within a budget, the locals of suspended frames. It keeps how each
 * generator was reached, so a label is only spelled out for the
 * generators that are shown, and it follows a step from the frames the
 * step ran instead of walking again when nothing else could have changed.
 * It never keeps a generator alive (see engine_census.c).
 */
typedef struct census census;

/* The census after a step: c (the last one, or NULL) brought up to date.
 * complete says that census_ran was told of every generator frame that
 * ran in the step; when false (the hooks stopped, or no step ran) the
 * namespace is walked. types is a dict {type: kind}; deque the
 * collections.deque type. At most locals_budget frames have their locals
 * searched. Returns the census (c itself, or a new one), watched from now
 * on, or NULL with an exception set (c is then freed). */
census *census_update(census *c, PyObject *ns, PyObject *types, PyObject *deque,
                      size_t locals_budget, bool complete);

/* From a step hook: frame (a generator's, running) resumed, yielded,
 * returned or raised. NULL c is fine. */
void census_ran(census *c, PyFrameObject *frame);

/* A census of ns walked now, not watched: for a moment inside a step
 * (reuse as for census_update's c). Read it before any Python code runs. */
census *census_take(PyObject *ns, PyObject *types, PyObject *deque,
                    size_t locals_budget, census *reuse);

#if PY_VERSION_HEX >= 0x030E0000
/* CPython 3.14 and later report a yield (sys.monitoring's PY_YIELD) before
 * the generator is marked suspended, so a census taken then would find it
 * running, with no gi_yieldfrom. While gen is set (borrowed), the census
 * takes gen as suspended and delegating to delegate (NULL: to nothing), as
 * it is once the yield is done. census_yielding(NULL, NULL) ends that. */
void census_yielding(PyObject *gen, PyObject *delegate);
#endif

/* At the end of a step, once its hooks are off: from now on, a counted
 * generator whose frame runs marks the census stale. complete false says
 * the hooks did not see the whole step (a profile function of the
 * lesson's replaced them): the next update walks. */
void census_watch(census *c, bool complete);

/* At the start of a step: let go of the names and keys held, and stop
 * watching frames (the step hooks take over). census_free frees it all.
 * NULL is fine for both. */
void census_release(census *c);
void census_free(census *c);

/* Whether a generator it counts died or ran since it was brought up to
 * date: it must then be updated (with raw NULL) before it is read. True
 * for NULL. */
bool census_stale(const census *c);

size_t census_count(const census *c);

/* Counts by state, by function (most common first, at most max) and by
 * line waited at. */
int census_summary(const census *c, snap_step *out, size_t max);

/* Entries [offset, offset + count) as a list of tuples (gen, label, kind,
 * state, delegate label or None), the shape engine_helper's cards() takes.
 * New reference, or NULL with an exception set (a stale census too). */
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

/* Around the engine's own Python work inside a step (between the lesson's
 * statements, no lesson frame running): the lesson's signal handlers wait,
 * as they do between steps. sandbox_work_begin first runs those whose
 * signal has come already; when one raises, it returns -1 with that
 * exception set, the lesson's, and the handlers stay aside until the
 * step ends. Else 0, and sandbox_work_end puts them back. */
int sandbox_work_begin(void);
void sandbox_work_end(void);

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
