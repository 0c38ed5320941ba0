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

#if PY_VERSION_HEX >= 0x030E0000
/* CPython 3.14 and later report a yield (sys.monitoring's PY_YIELD) before
 * the generator is marked suspended, so a census taken then would find it
 * running, with no gi_yieldfrom. While gen is set (borrowed), the census
 * takes gen as suspended and delegating to delegate (NULL: to nothing), as
 * it is once the yield is done. census_yielding(NULL, NULL) ends that. */
void census_yielding(PyObject *gen, PyObject *delegate);
#endif

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

#endif
