/* engine_int.h: what the engine's C files share. Includes Python.h: only
 * engine*.c may include this header. */
#ifndef YS_ENGINE_INT_H
#define YS_ENGINE_INT_H

#define PY_SSIZE_T_CLEAN
/* ncursesw's flags define _XOPEN_SOURCE for the whole library; Python.h
 * must come first and define it its own way. */
#undef _XOPEN_SOURCE
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

/* Between steps: from now on, a counted generator whose frame runs marks
 * the census stale. Call when the step hooks are off. */
void census_watch(census *c);

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

#endif
