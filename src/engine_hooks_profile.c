/* engine_hooks_profile.c: the hooks on CPython 3.11.
 *
 * CPython 3.11: a C profile function and a C trace function. The call
 * event is a resume, the return event a yield or a return (the
 * instruction at f_lasti tells which), or, with no value, an exception
 * leaving; the trace function's exception event, which the profile hook
 * lacks, tells what is raised in each frame an exception reaches. An
 * exception event at the very instruction where the frame resumed, before
 * anything ran, is an exception thrown in (throw(), close(), a finalizer).
 * Line events return at once; with line stepping on, they record pauses.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#include "engine_hooks_int.h"

#if PY_VERSION_HEX < 0x030C0000
static void hop_resume(engine *e, PyFrameObject *frame, PyCodeObject *code)
{
	int lasti = PyFrame_GetLasti(frame);
	PyObject *bytes = PyCode_GetCode(code);
	bool first = false;

	/* The call event comes at the frame's RESUME instruction, whose
	 * argument is 0 at the start of the function (1 after a yield, 2 and
	 * 3 after a yield from or an await). */
	if (bytes && lasti >= 0 && lasti + 1 < PyBytes_GET_SIZE(bytes))
		first = (unsigned char)PyBytes_AS_STRING(bytes)[lasti] == e->start_opcode &&
		        PyBytes_AS_STRING(bytes)[lasti + 1] == 0;
	Py_XDECREF(bytes);
	PyErr_Clear();
	e->resume_index = hooks_record_raw(e, frame, code, RAW_RESUME, NULL, false, first);
	e->resume_frame = frame;
	e->resume_lasti = lasti;
}

/* The exception now in frame is text (a new reference, taken). */
static void remember_raise(engine *e, PyFrameObject *frame, PyObject *text)
{
	int i;

	for (i = 0; i < e->nraised; i++)
		if (e->raised[i].frame == frame) {
			Py_XSETREF(e->raised[i].text, text);
			return;
		}
	if (e->nraised == MAX_RAISING) {
		Py_XDECREF(text);
		return;
	}
	e->raised[e->nraised].frame = frame;
	e->raised[e->nraised].text = text;
	e->nraised++;
}

/* The last exception in frame, which is leaving: a new reference, or NULL. */
static PyObject *forget_raise(engine *e, PyFrameObject *frame)
{
	PyObject *text;
	int i;

	for (i = e->nraised - 1; i >= 0; i--)
		if (e->raised[i].frame == frame) {
			text = e->raised[i].text;
			e->raised[i] = e->raised[--e->nraised];
			return text;
		}
	return NULL;
}

static void hop_exception(engine *e, PyFrameObject *frame, PyObject *arg)
{
	PyObject *exc = PyTuple_Check(arg) && PyTuple_GET_SIZE(arg) >= 2 ?
	                PyTuple_GET_ITEM(arg, 1) : NULL;      /* borrowed */
	PyObject *text = exc ? hooks_exception_text(e, exc) : NULL;

	if (frame == e->resume_frame && e->resume_index >= 0 &&
	    e->resume_index == PyList_GET_SIZE(e->raw) - 1 &&
	    PyFrame_GetLasti(frame) == e->resume_lasti && text) {
		PyObject *rec = PyList_GET_ITEM(e->raw, e->resume_index);   /* borrowed */

		/* The record says it received text, thrown. */
		PyList_SetItem(rec, 5, Py_NewRef(text));
		PyList_SetItem(rec, 8, Py_NewRef(Py_True));
	}
	e->resume_frame = NULL;
	remember_raise(e, frame, text);
	PyErr_Clear();
}

static void hop_leave(engine *e, PyFrameObject *frame, PyCodeObject *code,
                      PyObject *arg)
{
	PyObject *text = NULL;
	int kind = RAW_RAISE;

	text = forget_raise(e, frame);
	if (arg) {
		int lasti = PyFrame_GetLasti(frame);
		PyObject *bytes = PyCode_GetCode(code);

		kind = RAW_RETURN;
		if (bytes && lasti >= 0 && lasti < PyBytes_GET_SIZE(bytes) &&
		    (unsigned char)PyBytes_AS_STRING(bytes)[lasti] == e->yield_opcode)
			kind = RAW_YIELD;
		Py_XDECREF(bytes);
		Py_XSETREF(text, hooks_value_text(e, arg));
	}
	e->resume_frame = NULL;
	hooks_record_raw(e, frame, code, kind, text, false, false);
	Py_XDECREF(text);
}

/* Exception events, and line events for line stepping. */
static int trace_hops(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
	engine *e = the_engine;
	PyCodeObject *code;

	if (!e || !e->raw)
		return 0;
	if (what == PyTrace_LINE) {
		if (e->pauses)
			hooks_trace_line(e, frame);
		return 0;
	}
	if (what != PyTrace_EXCEPTION || e->events_capped)
		return 0;
	code = PyFrame_GetCode(frame);
	if (hooks_is_generator_code(code) && !hooks_full(e))
		hop_exception(e, frame, arg);
	Py_DECREF(code);
	return 0;
}

/* Resumes and leaves. A trace function makes CPython 3.11 do work at
 * every instruction of every frame (an import under one takes three
 * times as long), so trace_hops is only set while a generator frame is
 * on the stack, where its exception events matter, and the generator
 * frames themselves have their line events off meanwhile; line stepping
 * keeps it set, with line events, for the whole step. A trace function
 * that is not ours (the watchdog's last resort, the lesson's own
 * sys.settrace) is left alone. */
static int profile_hops(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
	engine *e = the_engine;
	PyThreadState *ts = PyThreadState_Get();
	PyCodeObject *code;

	if ((what != PyTrace_CALL && what != PyTrace_RETURN) || !e || !e->raw)
		return 0;
	code = PyFrame_GetCode(frame);
	if (hooks_is_generator_code(code) && hooks_worth_recording(e, frame, code)) {
		if (what == PyTrace_CALL) {
			if (e->gens_running++ == 0 && !e->pauses && !ts->c_tracefunc)
				PyEval_SetTrace(trace_hops, NULL);
			if (!e->pauses && ts->c_tracefunc == trace_hops)
				PyObject_SetAttrString((PyObject *)frame, "f_trace_lines", Py_False);
			if (!hooks_full(e))
				hop_resume(e, frame, code);
		} else {
			if (!hooks_full(e))
				hop_leave(e, frame, code, arg);
			/* What the lesson may read is as CPython left it. */
			if (!e->pauses && ts->c_tracefunc == trace_hops)
				PyObject_SetAttrString((PyObject *)frame, "f_trace_lines", Py_True);
			if (e->gens_running > 0 && --e->gens_running == 0 && !e->pauses &&
			    ts->c_tracefunc == trace_hops)
				PyEval_SetTrace(NULL, NULL);
		}
		PyErr_Clear();
	}
	Py_DECREF(code);
	return 0;
}

/* ---- Another thread's generator frames -------------------------------------
 * A profile function makes 3.11 run every instruction of its thread through
 * its tracing path (two threads switching on a threading.Event take about
 * 40% longer under one). So no thread but the main one has one: the ways
 * into a generator's, coroutine's or async generator's frame from code
 * that is none (a for loop or next(), a yield from or await, send(), and
 * throw(), close() and the finalizers, which tell hooks_closing) are
 * wrapped, and one taken by another thread notes that one ran. The asend()
 * and athrow() awaitables of an async generator and a coroutine's
 * __await__() go unnoticed: they are driven from a coroutine's frame, which
 * a way above let in, but for code that drives them by hand. */
static void note_thread(void)
{
	if (the_engine && PyThreadState_Get() != the_engine->main_thread)
		the_engine->other_threads = true;
}

void hooks_thread_resumes(void)
{
	note_thread();
}

static iternextfunc real_iternext;
static sendfunc real_send_slot[3];
static PyCFunction real_send[2];

static PyObject *iternext_gen(PyObject *self)
{
	note_thread();
	return real_iternext(self);
}

#define AM_SEND(name, k) \
	static PySendResult name(PyObject *self, PyObject *arg, PyObject **result) \
	{ \
		note_thread(); \
		return real_send_slot[k](self, arg, result); \
	}
AM_SEND(am_send_gen, 0)
AM_SEND(am_send_coro, 1)
AM_SEND(am_send_agen, 2)

#define SEND(name, k) \
	static PyObject *name(PyObject *self, PyObject *arg) \
	{ \
		note_thread(); \
		return real_send[k](self, arg); \
	}
SEND(send_gen, 0)
SEND(send_coro, 1)

/* Wrap the ways in (once). */
static void watch_threads(void)
{
	static const sendfunc am_mine[3] = { am_send_gen, am_send_coro, am_send_agen };
	static const PyCFunction send_mine[2] = { send_gen, send_coro };
	PyTypeObject *types[3] = { &PyGen_Type, &PyCoro_Type, &PyAsyncGen_Type };
	int k;

	if (PyGen_Type.tp_iternext && PyGen_Type.tp_iternext != iternext_gen) {
		real_iternext = PyGen_Type.tp_iternext;
		PyGen_Type.tp_iternext = iternext_gen;
	}
	for (k = 0; k < 3; k++) {
		PyAsyncMethods *am = types[k]->tp_as_async;

		if (am && am->am_send && am->am_send != am_mine[k]) {
			real_send_slot[k] = am->am_send;
			am->am_send = am_mine[k];
		}
	}
	for (k = 0; k < 2; k++) {
		PyCFunction real = engine_wrap_method(types[k], "send", METH_O, send_mine[k]);

		if (real)
			real_send[k] = real;
	}
}

int hooks_setup(void)
{
	hooks_watch_finalizers();
	watch_threads();
	return 0;
}

void hooks_on(void)
{
	the_engine->gens_running = 0;
	PyEval_SetProfile(profile_hops, NULL);
	if (the_engine->pauses)
		PyEval_SetTrace(trace_hops, NULL);
}

void hooks_off(void)
{
	PyEval_SetProfile(NULL, NULL);
	if (PyThreadState_Get()->c_tracefunc == trace_hops)
		PyEval_SetTrace(NULL, NULL);
}

void hooks_lines_back(void)
{
	PyFrameObject *f = PyEval_GetFrame();

	Py_XINCREF(f);
	while (f) {
		PyFrameObject *back = PyFrame_GetBack(f);

		PyObject_SetAttrString((PyObject *)f, "f_trace_lines", Py_True);
		Py_DECREF(f);
		f = back;
	}
	PyErr_Clear();
}

void hooks_teardown(void)
{
}

void hooks_stop(void)
{
	PyEval_SetProfile(NULL, NULL);
	/* Line stepping still needs the line events. */
	if ((!the_engine || !the_engine->pauses) &&
	    PyThreadState_Get()->c_tracefunc == trace_hops)
		PyEval_SetTrace(NULL, NULL);
}

bool hooks_intact(void)
{
	return PyThreadState_Get()->c_profilefunc == profile_hops;
}

bool engine_own_tracer(Py_tracefunc f)
{
	return dog_own_tracer(f) || f == trace_hops || f == profile_hops;
}
#endif
