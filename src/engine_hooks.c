/* engine_hooks.c: the hops of a step as records, and what they carry.
 *
 * Every time a generator, coroutine or async generator frame goes onto the
 * stack (resume) or leaves it (yield, return, raise), the hook appends a
 * record of plain data to e->raw, read when it happens, a list:
 *   [id of the generator, weakref to it or None, qualified name, filename,
 *    kind, text, line, depth, thrown, first, callers, printed, line below,
 *    locals]
 * text is the repr yielded or returned, the "Type: message" raised, or, for
 * a resume, the exception thrown in (thrown is then True); depth counts
 * the generator frames below on the stack; first is True for a frame's
 * first start; callers, for a resume, names the ordinary functions of the
 * lesson between it and the generator frame or the step below it (see
 * callers_of), else None; printed, how many characters the step had
 * printed by then (the live flow shows the output as it was printed);
 * line below, for a return, is the line of the generator frame below
 * waiting on it, for a resume the line that frame calls it from, for an async generator's yield during a throw() that
 * reached it through its awaitable, the line its delegator waits at (on
 * 3.11, which continues that delegator unseen), -1 otherwise; locals, the frame's locals as its card
 * shows them, for the first hops (engine_hooks_locals.c), else None. A
 * record holds no frame and no value: a
 * step's records must never keep alive what the lesson let go of (a
 * finally block runs when CPython runs it, not when yieldscope is done
 * with the step).
 * Only the main thread's hops are recorded; e->other_threads says another
 * thread ran a generator frame.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#include "engine_hooks_int.h"

#include <string.h>

void hooks_forget(engine *e)
{
	/* Not Py_CLEAR(e->raised[--e->nraised].text): 3.11's Py_CLEAR
	 * evaluates its argument twice. */
	while (e->nraised > 0) {
		e->nraised--;
		Py_CLEAR(e->raised[e->nraised].text);
	}
	e->resume_frame = NULL;
}

/* The value an async generator yields travels wrapped in an internal
 * object up to the awaiting asend(); what the frame yielded is inside it.
 * Borrowed in, borrowed out. */
static PyObject *unwrapped(PyObject *value)
{
	/* The wrapper's layout: PyObject_HEAD, then the value. */
	typedef struct { PyObject_HEAD PyObject *value; } wrapped;

	if (value && strcmp(Py_TYPE(value)->tp_name, "async_generator_wrapped_value") == 0)
		return ((wrapped *)value)->value;
	return value;
}

/* The qualified names of the ordinary (not generator) frames of lesson
 * code right below frame, down to the first generator frame or module
 * frame, outermost first and separated by spaces ("run tick"), or None:
 * the call stack the UI shows above <module> holds them too. New
 * reference, NULL only when out of memory. */
static PyObject *callers_of(engine *e, PyFrameObject *frame)
{
	PyObject *names = PyList_New(0), *sep, *out;
	PyFrameObject *f = PyFrame_GetBack(frame);

	while (names && f) {
		PyCodeObject *code = PyFrame_GetCode(f);
		PyFrameObject *back;
		bool stop = hooks_is_generator_code(code) || !hooks_is_lesson_code(e, code) ||
		            PyUnicode_CompareWithASCIIString(code->co_qualname, "<module>") == 0;

		if (!stop && PyList_Insert(names, 0, code->co_qualname) < 0)
			Py_CLEAR(names);
		Py_DECREF(code);
		back = stop ? NULL : PyFrame_GetBack(f);
		Py_DECREF(f);
		f = back;
	}
	Py_XDECREF(f);
	if (!names || PyList_GET_SIZE(names) == 0) {
		Py_XDECREF(names);
		PyErr_Clear();
		return Py_NewRef(Py_None);
	}
	sep = PyUnicode_FromString(" ");
	out = sep ? PyUnicode_Join(sep, names) : NULL;
	Py_XDECREF(sep);
	Py_DECREF(names);
	return out;
}

/* Characters the lesson's output holds so far in this step (the
 * helper's Capture counts them), or -1. */
static Py_ssize_t printed_so_far(engine *e)
{
	PyObject *out = e->helper ? PyObject_GetAttrString(e->helper, "out") : NULL;
	PyObject *size = out ? PyObject_GetAttrString(out, "size") : NULL;
	Py_ssize_t n = size ? PyLong_AsSsize_t(size) : -1;

	Py_XDECREF(size);
	Py_XDECREF(out);
	PyErr_Clear();
	return n;
}

/* Has gen a weak reference? Any generator the helper labels has one
 * (its labels are weak references); and a generator being finalized by
 * its deallocator has none left: they were cleared first. */
static bool has_weakref(PyObject *gen)
{
	Py_ssize_t offset = Py_TYPE(gen)->tp_weaklistoffset;

	return offset > 0 && *(PyObject **)((char *)gen + offset);
}

/* A weak reference to gen, or None. Only when gen has one already: one
 * made for a generator being finalized by its deallocator, its memory
 * about to be freed, would outlive it. */
static PyObject *weak_to(PyObject *gen)
{
	return has_weakref(gen) ? PyWeakref_NewRef(gen, NULL) : Py_NewRef(Py_None);
}

/* Is a hop of frame worth recording? Those of the lesson's code, and of
 * any generator the helper may label, or that one such runs right below
 * it (a library generator's delegates, reachable after the step): not the
 * standard library's own (an import runs hundreds). */
bool hooks_worth_recording(engine *e, PyFrameObject *frame, PyCodeObject *code)
{
	PyObject *gen;
	PyFrameObject *back;
	bool labelled;

	if (hooks_is_lesson_code(e, code))
		return true;
	gen = PyFrame_GetGenerator(frame);
	if (!gen)
		return false;
	labelled = has_weakref(gen);
	Py_DECREF(gen);
	if (labelled)
		return true;
	back = PyFrame_GetBack(frame);
	if (!back)
		return false;
	code = PyFrame_GetCode(back);
	if (hooks_is_generator_code(code)) {
		gen = PyFrame_GetGenerator(back);
		labelled = gen && has_weakref(gen);
		Py_XDECREF(gen);
	}
	Py_DECREF(code);
	Py_DECREF(back);
	return labelled;
}

/* The line of the frame right below frame when it is a generator's (the
 * one waiting on it in a yield from), or -1. */
static int line_below(PyFrameObject *frame)
{
	PyFrameObject *back = PyFrame_GetBack(frame);
	PyCodeObject *code = back ? PyFrame_GetCode(back) : NULL;
	int line = code && hooks_is_generator_code(code) ? PyFrame_GetLineNumber(back) : -1;

	Py_XDECREF(code);
	Py_XDECREF(back);
	return line;
}

/* For a yield: the line a delegator not below frame waits at, which
 * CPython 3.11 continues when frame yields (hooks_awaiter_line), or -1.
 * From 3.12 the hooks see that resume. */
static int yield_line_below(PyFrameObject *frame)
{
#if PY_VERSION_HEX < 0x030C0000
	return hooks_awaiter_line(frame);
#else
	(void)frame;
	return -1;
#endif
}

/* Append the record of a hop of frame (see above). text may be NULL.
 * Returns the record's index, or -1. */
Py_ssize_t hooks_record_raw(engine *e, PyFrameObject *frame, PyCodeObject *code,
                            int kind, PyObject *text, bool thrown, bool first)
{
	PyObject *gen = PyFrame_GetGenerator(frame), *ref = NULL, *rec, *callers;
	Py_ssize_t index = -1;

	/* A frame's first start is never its finalizer's work, so it may
	 * have a weak reference made: the helper then tells the generator
	 * from any other that takes its id in this step, and labels its hops
	 * from the cards after the step. */
	if (gen)
		ref = first ? PyWeakref_NewRef(gen, NULL) : weak_to(gen);
	PyErr_Clear();
	callers = kind == RAW_RESUME ? callers_of(e, frame) : Py_NewRef(Py_None);
	rec = Py_BuildValue("[KOOOiOiiOOOni]", (unsigned long long)(uintptr_t)gen,
	                    ref ? ref : Py_None, code->co_qualname,
	                    code->co_filename, kind, text ? text : Py_None,
	                    PyFrame_GetLineNumber(frame), hooks_stack_depth(frame),
	                    thrown ? Py_True : Py_False, first ? Py_True : Py_False,
	                    callers ? callers : Py_None, printed_so_far(e),
	                    kind == RAW_RETURN || kind == RAW_RESUME ? line_below(frame) :
	                    kind == RAW_YIELD ? yield_line_below(frame) : -1);
	Py_XDECREF(callers);
	hooks_hop_locals(e, frame, rec);
	if (rec && PyList_Append(e->raw, rec) == 0)
		index = PyList_GET_SIZE(e->raw) - 1;
	Py_XDECREF(rec);
	Py_XDECREF(ref);
	Py_XDECREF(gen);
	census_ran(e->census, frame);
	if (e->pauses && hooks_is_lesson_code(e, code))
		hooks_record_pause(e, frame, SNAP_PAUSE_RESUME + kind, text);
	/* Whatever failed here is ours, not the lesson's: the exception being
	 * propagated, if any, was set aside by CPython around this call. */
	PyErr_Clear();
	return index;
}

/* "Type: message" of exc, or NULL. */
PyObject *hooks_exception_text(engine *e, PyObject *exc)
{
	PyObject *text = PyObject_CallMethod(e->helper, "exception_line", "(O)", exc);

	PyErr_Clear();
	return text;
}

/* repr(v) when CPython makes it without running any code of the lesson's
 * and it needs no cut (what the helper's safe_repr would give), for None,
 * a bool, a float, an int of at most 64 bits or a str of exact type; else
 * NULL. Most values a generator yields are such: a hop's record then
 * calls no Python. */
static PyObject *plain_repr(engine *e, PyObject *v)
{
	PyObject *r;
	int overflow = 0;

	if (PyLong_CheckExact(v))
		(void)PyLong_AsLongLongAndOverflow(v, &overflow);
	else if (!(v == Py_None || PyBool_Check(v) || PyFloat_CheckExact(v) ||
	           (PyUnicode_CheckExact(v) &&
	            (size_t)PyUnicode_GET_LENGTH(v) <= e->opts.repr_cap)))
		return NULL;
	r = overflow ? NULL : PyObject_Repr(v);
	if (r && (size_t)PyUnicode_GET_LENGTH(r) > e->opts.repr_cap)
		Py_CLEAR(r);
	PyErr_Clear();
	return r;
}

/* The repr of what a frame yielded or returned, or NULL. */
PyObject *hooks_value_text(engine *e, PyObject *value)
{
	PyObject *plain = plain_repr(e, unwrapped(value)), *text;

	if (plain)
		return plain;
	text = PyObject_CallMethod(e->helper, "safe_repr", "(O)", unwrapped(value));
	PyErr_Clear();
	return text;
}

/* _gen_of(frame) for the helper: the generator, coroutine or async
 * generator running in frame, or None (Python has no attribute for it). */
static PyObject *gen_of(PyObject *self, PyObject *frame)
{
	PyObject *gen = PyFrame_Check(frame) ?
	                PyFrame_GetGenerator((PyFrameObject *)frame) : NULL;

	return gen ? gen : Py_NewRef(Py_None);
}

PyMethodDef hooks_gen_of_def = { "_gen_of", gen_of, METH_O, NULL };

/* Has the step recorded all the hops it may? Then the hooks go off for
 * the rest of it: a step that runs a hundred thousand generators is told
 * by its first hops, and its other frames are never touched. */
bool hooks_full(engine *e)
{
	if (e->events_capped)
		return true;
	if (PyList_GET_SIZE(e->raw) < MAX_EVENTS)
		return false;
	e->events_capped = true;
	hooks_stop();
	return true;
}
