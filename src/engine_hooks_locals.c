/* engine_hooks_locals.c: a frame's locals at each of the first hops of a
 * step, for the live flow to show each card as it was at that hop.
 *
 * The locals are read and shown by the helper's frame_locals(), the very
 * function the cards after the step use: the same reads (census_frame_locals,
 * which keeps no value alive) and the same guarded repr, cut to the same
 * length. Only the first HOP_LOCALS records of a step carry them: a repr
 * runs Python, and the live flow plays a frame every 350 ms, so the hops a
 * learner watches are the first few dozen; a step of a thousand hops costs
 * what its first HOP_LOCALS cost, and the rest say nothing (None). A
 * repr's cost has no bound (a local holding a list of a million items), so
 * a step also stops reading locals once it has spent HOP_LOCALS_MS on
 * them: the bundled lessons spend under half a millisecond.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#include "engine_hooks_int.h"

#include <time.h>

/* Milliseconds of the step's time its hops may spend on locals. */
#define HOP_LOCALS_MS 10.0

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

void hooks_hop_locals(engine *e, PyFrameObject *frame, PyObject *rec)
{
	static PyObject *method;
	static double spent;        /* this step's, in ms */
	PyObject *locals = NULL;
	double start;

	if (!rec)
		return;
	if (PyList_GET_SIZE(e->raw) == 0)
		spent = 0;      /* the step's first record */
	if (!method)
		method = PyUnicode_InternFromString("frame_locals");
	if (method && e->helper && PyList_GET_SIZE(e->raw) < HOP_LOCALS &&
	    spent < HOP_LOCALS_MS) {
		start = now_ms();
		locals = PyObject_CallMethodOneArg(e->helper, method, (PyObject *)frame);
		spent += now_ms() - start;
	}
	PyErr_Clear();
	if (PyList_Append(rec, locals ? locals : Py_None) < 0)
		PyErr_Clear();
	Py_XDECREF(locals);
}
