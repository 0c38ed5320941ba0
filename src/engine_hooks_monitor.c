/* engine_hooks_monitor.c: the hooks on CPython 3.12 and later.
 *
 * CPython 3.12 and later: sys.monitoring says exactly what happened:
 * PY_START (a first start), PY_RESUME, PY_THROW with the exception thrown
 * in, PY_YIELD and PY_RETURN with the value, PY_UNWIND with the exception
 * leaving. Its events fire in every thread. Each event DISABLEs itself at
 * the code locations of ordinary functions, so their cost vanishes after
 * the first call.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#include "engine_hooks_int.h"

#if PY_VERSION_HEX >= 0x030C0000
#define MONITOR_TOOL 4          /* ids 3 and 4 are free for any tool */

static PyObject *monitor_disable;

enum { MON_START, MON_RESUME, MON_YIELD, MON_RETURN, MON_UNWIND, MON_THROW };

#if PY_VERSION_HEX >= 0x030E0000
/* Remember the last two objects a traversal visits. */
static int visit_last_two(PyObject *o, void *arg)
{
	PyObject **last = arg;

	last[0] = last[1];
	last[1] = o;
	return 0;
}

/* CPython 3.14 and later: frame, of code, is at a PY_YIELD (its YIELD_VALUE
 * at offset), still running. Tell the census what the generator will be a
 * moment later (census_yielding): suspended, and in a yield from (a
 * YIELD_VALUE whose oparg is 1) delegating to the object below the
 * yielded value on its stack, which gi_yieldfrom reads once it is
 * suspended. A generator's traversal visits its frame's stack last, the
 * yielded value on top. Returns the generator (a new reference, or NULL),
 * to be released once the census is done. */
static PyObject *yielding_begin(PyFrameObject *frame, PyCodeObject *code, PyObject *offset)
{
	PyObject *gen = PyObject_GetAttrString((PyObject *)frame, "f_generator");
	PyObject *bytes = gen ? PyCode_GetCode(code) : NULL;
	PyObject *last[2] = { NULL, NULL };
	long at = PyLong_AsLong(offset);

	if (bytes && gen != Py_None && at >= 0 && at + 1 < PyBytes_GET_SIZE(bytes)) {
		if (PyBytes_AS_STRING(bytes)[at + 1] == 1 && Py_TYPE(gen)->tp_traverse)
			Py_TYPE(gen)->tp_traverse(gen, visit_last_two, last);
		census_yielding(gen, last[0]);
	}
	Py_XDECREF(bytes);
	PyErr_Clear();
	return gen;
}
#endif

static PyObject *monitor_event(int which, PyObject *const *args, Py_ssize_t n)
{
	engine *e = the_engine;
	PyCodeObject *code;
	PyFrameObject *frame;
	PyObject *text = NULL, *saved;
#if PY_VERSION_HEX >= 0x030E0000
	PyObject *yielding = NULL;
#endif
	int kind = RAW_RESUME;

	if (n < 2 || !PyCode_Check(args[0]))
		Py_RETURN_NONE;
	code = (PyCodeObject *)args[0];
	if (!hooks_is_generator_code(code))
		return which == MON_UNWIND ? Py_NewRef(Py_None) : Py_NewRef(monitor_disable);
	if (!e || !e->raw || hooks_full(e))
		Py_RETURN_NONE;
	if (PyThreadState_Get() != e->main_thread) {
		e->other_threads = true;
		Py_RETURN_NONE;
	}
	frame = PyEval_GetFrame();      /* borrowed: the frame of code, running */
	if (!frame)
		Py_RETURN_NONE;
	/* The exception being propagated may still be set here: keep it out
	 * of the way of our own calls, and give it back. */
	saved = PyErr_GetRaisedException();
	if (!hooks_worth_recording(e, frame, code)) {
		PyErr_SetRaisedException(saved);
		Py_RETURN_NONE;
	}
	switch (which) {
	case MON_YIELD:
	case MON_RETURN:
		kind = which == MON_YIELD ? RAW_YIELD : RAW_RETURN;
		if (n >= 3)
			text = hooks_value_text(e, args[2]);
#if PY_VERSION_HEX >= 0x030E0000
		if (which == MON_YIELD && e->pauses)
			yielding = yielding_begin(frame, code, args[1]);
#endif
		break;
	case MON_UNWIND:
		kind = RAW_RAISE;
		/* fall through */
	case MON_THROW:
		if (n >= 3)
			text = hooks_exception_text(e, args[2]);
		break;
	default:
		break;
	}
	hooks_record_raw(e, frame, code, kind, text, which == MON_THROW, which == MON_START);
#if PY_VERSION_HEX >= 0x030E0000
	census_yielding(NULL, NULL);
	Py_XDECREF(yielding);
#endif
	Py_XDECREF(text);
	PyErr_SetRaisedException(saved);
	Py_RETURN_NONE;
}

#define MONITOR_CALLBACK(name, which) \
	static PyObject *name(PyObject *self, PyObject *const *args, Py_ssize_t n) \
	{ \
		return monitor_event(which, args, n); \
	}
MONITOR_CALLBACK(on_start, MON_START)
MONITOR_CALLBACK(on_resume, MON_RESUME)
MONITOR_CALLBACK(on_yield, MON_YIELD)
MONITOR_CALLBACK(on_return, MON_RETURN)
MONITOR_CALLBACK(on_unwind, MON_UNWIND)
MONITOR_CALLBACK(on_throw, MON_THROW)

static PyMethodDef monitor_defs[] = {
	{ "PY_START", (PyCFunction)(void (*)(void))on_start, METH_FASTCALL, NULL },
	{ "PY_RESUME", (PyCFunction)(void (*)(void))on_resume, METH_FASTCALL, NULL },
	{ "PY_YIELD", (PyCFunction)(void (*)(void))on_yield, METH_FASTCALL, NULL },
	{ "PY_RETURN", (PyCFunction)(void (*)(void))on_return, METH_FASTCALL, NULL },
	{ "PY_UNWIND", (PyCFunction)(void (*)(void))on_unwind, METH_FASTCALL, NULL },
	{ "PY_THROW", (PyCFunction)(void (*)(void))on_throw, METH_FASTCALL, NULL },
};

static PyObject *monitoring;    /* sys.monitoring */
static long monitor_mask;

/* Claim a tool id and register the callbacks; events stay off. */
int hooks_setup(void)
{
	PyObject *sys = PyImport_ImportModule("sys"), *events = NULL, *r;
	size_t i;
	int rc = -1;

	if (!sys)
		return -1;
	hooks_watch_finalizers();
	monitoring = PyObject_GetAttrString(sys, "monitoring");
	events = monitoring ? PyObject_GetAttrString(monitoring, "events") : NULL;
	monitor_disable = monitoring ? PyObject_GetAttrString(monitoring, "DISABLE") : NULL;
	if (!events || !monitor_disable)
		goto out;
	r = PyObject_CallMethod(monitoring, "use_tool_id", "is", MONITOR_TOOL, "yieldscope");
	if (!r)
		goto out;
	Py_DECREF(r);
	monitor_mask = 0;
	for (i = 0; i < sizeof monitor_defs / sizeof *monitor_defs; i++) {
		PyObject *bit = PyObject_GetAttrString(events, monitor_defs[i].ml_name);
		PyObject *fn = PyCFunction_New(&monitor_defs[i], NULL);

		if (bit && fn) {
			monitor_mask |= PyLong_AsLong(bit);
			r = PyObject_CallMethod(monitoring, "register_callback", "iOO",
			                        MONITOR_TOOL, bit, fn);
			Py_XDECREF(r);
		}
		Py_XDECREF(bit);
		Py_XDECREF(fn);
		if (PyErr_Occurred())
			goto out;
	}
	rc = 0;
out:
	Py_DECREF(sys);
	Py_XDECREF(events);
	return rc;
}

/* Turn the events on or off. Called right after the step's code ran, so
 * the exception it raised is set: keep it. */
static void monitor_set(bool on)
{
	PyObject *saved = PyErr_GetRaisedException();
	PyObject *r = PyObject_CallMethod(monitoring, "set_events", "il",
	                                  MONITOR_TOOL, on ? monitor_mask : 0L);

	Py_XDECREF(r);
	PyErr_Clear();
	PyErr_SetRaisedException(saved);
}

void hooks_teardown(void)
{
	if (monitoring) {
		Py_XDECREF(PyObject_CallMethod(monitoring, "free_tool_id", "i", MONITOR_TOOL));
		PyErr_Clear();
	}
	Py_CLEAR(monitoring);
	Py_CLEAR(monitor_disable);
}

void hooks_on(void)
{
	monitor_set(true);
}

void hooks_off(void)
{
	monitor_set(false);
}

void hooks_stop(void)
{
	monitor_set(false);
}

/* sys.monitoring reports every thread's frames. */
void hooks_thread_resumes(void)
{
}

/* sys.monitoring leaves line events alone. */
void hooks_lines_back(void)
{
}

bool hooks_intact(void)
{
	return true;
}

bool engine_own_tracer(Py_tracefunc f)
{
	return dog_own_tracer(f) || f == hooks_trace_step;
}
#endif
