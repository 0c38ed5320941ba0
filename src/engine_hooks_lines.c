/* engine_hooks_lines.c: line stepping.
 *
 * With line stepping on, a trace function records a pause at every line of
 * lesson code running in a generator or coroutine frame, and the profile
 * hook one at every hop; each pause is a snapshot of the stack and the
 * heap at that moment. The UI shows them one by one afterwards.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#include "engine_hooks_int.h"

/* Code the lesson wrote (its file, or the prompt), not the library's. */
bool hooks_is_lesson_code(engine *e, PyCodeObject *code)
{
	PyObject *name = code->co_filename;     /* borrowed */
	int cmp;

	if (!e->program)
		return false;
	cmp = PyUnicode_Compare(name, e->program);
	if (cmp != 0)
		cmp = PyUnicode_CompareWithASCIIString(name, "<stdin>");
	PyErr_Clear();
	return cmp == 0;
}

void hooks_record_pause(engine *e, PyFrameObject *frame, int kind,
                        PyObject *value)
{
	PyObject *p, *entries;
	census *c;

	if (PyList_GET_SIZE(e->pauses) >= MAX_PAUSES) {
		e->pauses_capped = true;
		return;
	}
	c = census_take(e->ns, e->gen_types, e->deque_type, LOCALS_BUDGET, NULL);
	entries = c ? census_entries(c, 0, e->opts.max_cards) : NULL;
	p = entries ? PyObject_CallMethod(e->helper, "pause", "OOiO", entries,
	                                  (PyObject *)frame, kind,
	                                  value ? value : Py_None) : NULL;
	conv_add_pause(e, e->pauses, p);
	Py_XDECREF(entries);
	census_free(c);
	PyErr_Clear();
}

/* A pause before a line of lesson code running in a generator frame. */
void hooks_trace_line(engine *e, PyFrameObject *frame)
{
	PyCodeObject *code = PyFrame_GetCode(frame);

	if ((code->co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR)) &&
	    hooks_is_lesson_code(e, code))
		hooks_record_pause(e, frame, SNAP_PAUSE_LINE, NULL);
	Py_DECREF(code);
}

#if PY_VERSION_HEX >= 0x030C0000
/* On 3.12 and later the hops come from sys.monitoring, so the trace
 * function is line stepping's alone. On 3.11 it is the hooks' (see
 * trace_hops in engine_hooks_profile.c), which hand line events on. */
int hooks_trace_step(PyObject *obj, PyFrameObject *frame, int what,
                     PyObject *arg)
{
	engine *e = the_engine;

	if (what == PyTrace_LINE && e && e->pauses)
		hooks_trace_line(e, frame);
	return 0;
}
#endif

void hooks_lines_on(void)
{
#if PY_VERSION_HEX >= 0x030C0000
	PyEval_SetTrace(hooks_trace_step, NULL);
#endif
}
