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

/* Another thread's generator frames, in C: a call event of a generator
 * frame notes that one ran, after which the thread has nothing more to
 * tell and goes unprofiled. */
static int thread_hops(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
	PyCodeObject *code;

	if (what != PyTrace_CALL || !the_engine)
		return 0;
	code = PyFrame_GetCode(frame);
	if (hooks_is_generator_code(code))
		the_engine->other_threads = true;
	Py_DECREF(code);
	if (the_engine->other_threads)
		PyEval_SetProfile(NULL, NULL);
	PyErr_Clear();
	return 0;
}

/* threading.setprofile() gives every thread it starts this function,
 * which at the thread's first event hands over to thread_hops: a
 * profile function in Python would be called with a tuple for every
 * call and return of the thread (a thread switching on threading.Event
 * makes hundreds of them a switch). */
static PyObject *thread_profile(PyObject *self, PyObject *args)
{
	PyObject *frame, *event, *arg;

	PyEval_SetProfile(thread_hops, NULL);
	if (PyArg_ParseTuple(args, "OOO", &frame, &event, &arg) && PyFrame_Check(frame) &&
	    PyUnicode_Check(event) && PyUnicode_CompareWithASCIIString(event, "call") == 0)
		thread_hops(NULL, (PyFrameObject *)frame, PyTrace_CALL, arg);
	PyErr_Clear();
	Py_RETURN_NONE;
}

static PyMethodDef thread_profile_def = { "_thread_profile", thread_profile,
                                          METH_VARARGS, NULL };

/* threading.setprofile(fn) when the lesson has threading, so that the
 * threads a step starts say whether they ran generators. */
static void thread_watch(PyObject *fn)
{
	PyObject *modules = PySys_GetObject("modules");     /* borrowed */
	PyObject *threading = modules ? PyDict_GetItemString(modules, "threading") : NULL;
	PyObject *type, *value, *tb;

	/* The step's exception may be set: keep it. */
	PyErr_Fetch(&type, &value, &tb);
	if (threading)
		Py_XDECREF(PyObject_CallMethod(threading, "setprofile", "(O)", fn));
	PyErr_Clear();
	PyErr_Restore(type, value, tb);
}

static PyObject *thread_profile_fn;

int hooks_setup(void)
{
	hooks_watch_finalizers();
	thread_profile_fn = PyCFunction_New(&thread_profile_def, NULL);
	return thread_profile_fn ? 0 : -1;
}

void hooks_on(void)
{
	the_engine->gens_running = 0;
	PyEval_SetProfile(profile_hops, NULL);
	if (the_engine->pauses)
		PyEval_SetTrace(trace_hops, NULL);
	thread_watch(thread_profile_fn);
}

void hooks_off(void)
{
	PyEval_SetProfile(NULL, NULL);
	if (PyThreadState_Get()->c_tracefunc == trace_hops)
		PyEval_SetTrace(NULL, NULL);
	thread_watch(Py_None);
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
	Py_CLEAR(thread_profile_fn);
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
