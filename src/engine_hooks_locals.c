/* engine_hooks_locals.c: a frame's locals at each of the first hops of a
 * step, for the live flow to show each card as it was at that hop.
 *
 * The locals are read and shown by the helper's frame_locals(), the very
 * function the cards after the step use: the same reads (census_frame_locals,
 * which keeps no value alive) and the same guarded repr, cut to the same
 * length. Only the first HOP_LOCALS records of a step carry them: a repr
 * runs Python, and the live flow plays a frame every 350 ms, so the hops a
 * learner watches are the first few dozen; a step of a thousand hops costs
 * what its first HOP_LOCALS cost, and the rest say nothing (None).
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#include "engine_hooks_int.h"

void hooks_hop_locals(engine *e, PyFrameObject *frame, PyObject *rec)
{
	static PyObject *method;
	PyObject *locals = NULL;

	if (!rec)
		return;
	if (!method)
		method = PyUnicode_InternFromString("frame_locals");
	if (method && e->helper && PyList_GET_SIZE(e->raw) < HOP_LOCALS)
		locals = PyObject_CallMethodOneArg(e->helper, method, (PyObject *)frame);
	PyErr_Clear();
	if (PyList_Append(rec, locals ? locals : Py_None) < 0)
		PyErr_Clear();
	Py_XDECREF(locals);
}
