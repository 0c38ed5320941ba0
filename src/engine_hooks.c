/* engine_hooks.c: what happens in a step, hop by hop.
 *
 * The hooks the engine sets for a step: sys.monitoring on CPython 3.12
 * and later, a C profile and trace function on 3.11. Each hop of a
 * generator, coroutine or async generator frame becomes a record of plain
 * data; with line stepping on, each line and hop of lesson code also
 * becomes a pause, a snapshot of the stack and the heap at that moment.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#include "engine_int.h"
#include <frameobject.h>

#include <string.h>

/* ---- Line stepping -----------------------------------------------------------
 * With line stepping on, a trace function records a pause at every line of
 * lesson code running in a generator or coroutine frame, and the profile
 * hook one at every hop; each pause is a snapshot of the stack and the
 * heap at that moment. The UI shows them one by one afterwards.
 */
/* Code the lesson wrote (its file, or the prompt), not the library's. */
static bool is_lesson_code(engine *e, PyCodeObject *code)
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

static void record_pause(engine *e, PyFrameObject *frame, int kind,
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
	if (p)
		PyList_Append(e->pauses, p);
	Py_XDECREF(p);
	Py_XDECREF(entries);
	census_free(c);
	PyErr_Clear();
}

/* A pause before a line of lesson code running in a generator frame. */
static void trace_line(engine *e, PyFrameObject *frame)
{
	PyCodeObject *code = PyFrame_GetCode(frame);

	if ((code->co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR)) &&
	    is_lesson_code(e, code))
		record_pause(e, frame, SNAP_PAUSE_LINE, NULL);
	Py_DECREF(code);
}

#if PY_VERSION_HEX >= 0x030C0000
/* On 3.12 and later the hops come from sys.monitoring, so the trace
 * function is line stepping's alone. On 3.11 it is the hooks' (see
 * trace_hops), which hand line events on. */
static int trace_step(PyObject *obj, PyFrameObject *frame, int what,
                      PyObject *arg)
{
	engine *e = the_engine;

	if (what == PyTrace_LINE && e && e->pauses)
		trace_line(e, frame);
	return 0;
}
#endif

void hooks_lines_on(void)
{
#if PY_VERSION_HEX >= 0x030C0000
	PyEval_SetTrace(trace_step, NULL);
#endif
}

/* ---- Hooks: the hops of a step ------------------------------------------------
 * Every time a generator, coroutine or async generator frame goes onto the
 * stack (resume) or leaves it (yield, return, raise), the hook appends a
 * record of plain data to e->raw, read when it happens, a list:
 *   [id of the generator, weakref to it or None, qualified name, filename,
 *    kind, text, line, depth, thrown, first, callers, printed, line below]
 * text is the repr yielded or returned, the "Type: message" raised, or, for
 * a resume, the exception thrown in (thrown is then True); depth counts
 * the generator frames below on the stack; first is True for a frame's
 * first start; callers, for a resume, names the ordinary functions of the
 * lesson between it and the generator frame or the step below it (see
 * callers_of), else None; printed, how many characters the step had
 * printed by then (the live flow shows the output as it was printed);
 * line below, for a return, is the line of the generator frame below
 * waiting on it (-1 otherwise). A record holds no frame and no value: a
 * step's records must never keep alive what the lesson let go of (a
 * finally block runs when CPython runs it, not when yieldscope is done
 * with the step).
 * Only the main thread's hops are recorded; e->other_threads says another
 * thread ran a generator frame.
 */
enum { RAW_RESUME, RAW_YIELD, RAW_RETURN, RAW_RAISE };

static bool is_generator_code(PyCodeObject *code)
{
	return code->co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR);
}

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

/* ---- Closes and finalizers -----------------------------------------------------
 * close() of a generator, and its finalizer (del of a suspended one, or
 * the collector), which closes it the same way: CPython marks it running
 * while it closes its delegate, whose frame then runs with nothing of the
 * chain below it on the stack. The closes in progress are remembered,
 * innermost last, each with the frame that was running when it began, so
 * that the depth of a frame one runs counts the delegators it closes
 * through.
 */
#define CLOSING_MAX 32

static struct {
	PyObject *gen;          /* borrowed: being closed; NULL outside a step */
	PyFrameObject *base;    /* borrowed: the frame running then, or NULL */
} closing[CLOSING_MAX];
static int nclosing;            /* may exceed CLOSING_MAX: not recorded */
static destructor real_finalize[3];

void hooks_closing(PyObject *gen)
{
	/* Only a step's hops have depths; between steps nothing is noted. */
	bool noted = the_engine && the_engine->raw;

	if (nclosing < CLOSING_MAX) {
		closing[nclosing].gen = noted ? gen : NULL;
		closing[nclosing].base = noted ? PyEval_GetFrame() : NULL;
	}
	nclosing++;
}

void hooks_closed(void)
{
	nclosing--;
}

static void finalize(PyObject *gen, int k)
{
	hooks_closing(gen);
	real_finalize[k](gen);
	hooks_closed();
}

#define FINALIZE(name, k) \
	static void name(PyObject *o) \
	{ \
		finalize(o, k); \
	}
FINALIZE(finalize_gen, 0)
FINALIZE(finalize_coro, 1)
FINALIZE(finalize_agen, 2)

/* Wrap the finalizers of the three generator types (once). */
static void watch_finalizers(void)
{
	static const destructor mine[3] = { finalize_gen, finalize_coro, finalize_agen };
	PyTypeObject *types[3] = { &PyGen_Type, &PyCoro_Type, &PyAsyncGen_Type };
	int k;

	for (k = 0; k < 3; k++) {
		if (types[k]->tp_finalize && types[k]->tp_finalize != mine[k]) {
			real_finalize[k] = types[k]->tp_finalize;
			types[k]->tp_finalize = mine[k];
		}
	}
}

/* Up to 8 generators or coroutines a traversal visits. */
typedef struct {
	PyObject *v[8];
	int n;
} gens_seen;

static int visit_gens(PyObject *o, void *arg)
{
	gens_seen *seen = arg;

	if ((PyGen_CheckExact(o) || PyCoro_CheckExact(o)) && seen->n < 8)
		seen->v[seen->n++] = o;
	return 0;
}

/* The generator or coroutine x delegates to while a close marks that one
 * running (borrowed), or NULL. It is on x's value stack, which the
 * traversal visits (gi_yieldfrom says None for it from 3.12); traversing
 * is safe even for a running frame, as the collector does it any time. */
static PyObject *closing_delegate(PyObject *x)
{
	gens_seen seen = { .n = 0 };
	int i;

	if (!(PyGen_CheckExact(x) || PyCoro_CheckExact(x)) || !Py_TYPE(x)->tp_traverse)
		return NULL;
	Py_TYPE(x)->tp_traverse(x, visit_gens, &seen);
	for (i = 0; i < seen.n; i++) {
		PyObject *r = PyObject_GetAttrString(seen.v[i], PyGen_CheckExact(seen.v[i]) ?
		                                     "gi_running" : "cr_running");
		bool running = r == Py_True;

		Py_XDECREF(r);
		PyErr_Clear();
		if (running && seen.v[i] != x)
			return seen.v[i];
	}
	return NULL;
}

/* How many delegators the innermost close closes through to reach bottom,
 * the lowest generator frame it runs (borrowed): 0 when bottom is the
 * generator being closed, or not in its chain. */
static int closed_links(PyObject *bottom)
{
	PyObject *x;
	int links = 0;

	if (nclosing < 1 || nclosing > CLOSING_MAX || !bottom)
		return 0;
	for (x = closing[nclosing - 1].gen; x && x != bottom && links < 1000; links++)
		x = closing_delegate(x);
	return x == bottom ? links : 0;
}

/* Generator frames below frame on the stack: its place in a yield from or
 * await chain, since CPython links the frames of a chain (throw() too)
 * even where it resumes them one by one. During a close or a
 * finalization, which runs a chain's frames with nothing of it below them,
 * the delegators it closes through count too. */
static int stack_depth(PyFrameObject *frame)
{
	PyFrameObject *f = PyFrame_GetBack(frame);
	PyFrameObject *base = nclosing >= 1 && nclosing <= CLOSING_MAX ?
	                      closing[nclosing - 1].base : NULL;
	PyObject *bottom = nclosing > 0 ? PyFrame_GetGenerator(frame) : NULL;
	bool above = nclosing > 0;      /* f is above the close's base */
	int depth = 0;

	while (f) {
		PyCodeObject *code = PyFrame_GetCode(f);
		PyFrameObject *back;

		if (f == base)
			above = false;
		if (is_generator_code(code)) {
			depth++;
			if (above) {
				Py_XDECREF(bottom);
				bottom = PyFrame_GetGenerator(f);
			}
		}
		Py_DECREF(code);
		back = PyFrame_GetBack(f);
		Py_DECREF(f);
		f = back;
	}
	if (bottom) {
		depth += closed_links(bottom);
		Py_DECREF(bottom);
	}
	return depth;
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
		bool stop = is_generator_code(code) || !is_lesson_code(e, code) ||
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
static bool worth_recording(engine *e, PyFrameObject *frame, PyCodeObject *code)
{
	PyObject *gen;
	PyFrameObject *back;
	bool labelled;

	if (is_lesson_code(e, code))
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
	if (is_generator_code(code)) {
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
	int line = code && is_generator_code(code) ? PyFrame_GetLineNumber(back) : -1;

	Py_XDECREF(code);
	Py_XDECREF(back);
	return line;
}

/* Append the record of a hop of frame (see above). text may be NULL.
 * Returns the record's index, or -1. */
static Py_ssize_t record_raw(engine *e, PyFrameObject *frame, PyCodeObject *code,
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
	                    PyFrame_GetLineNumber(frame), stack_depth(frame),
	                    thrown ? Py_True : Py_False, first ? Py_True : Py_False,
	                    callers ? callers : Py_None, printed_so_far(e),
	                    kind == RAW_RETURN ? line_below(frame) : -1);
	Py_XDECREF(callers);
	if (rec && PyList_Append(e->raw, rec) == 0)
		index = PyList_GET_SIZE(e->raw) - 1;
	Py_XDECREF(rec);
	Py_XDECREF(ref);
	Py_XDECREF(gen);
	census_ran(e->census, frame);
	if (e->pauses && is_lesson_code(e, code))
		record_pause(e, frame, SNAP_PAUSE_RESUME + kind, text);
	/* Whatever failed here is ours, not the lesson's: the exception being
	 * propagated, if any, was set aside by CPython around this call. */
	PyErr_Clear();
	return index;
}

/* "Type: message" of exc, or NULL. */
static PyObject *exception_text(engine *e, PyObject *exc)
{
	PyObject *text = PyObject_CallMethod(e->helper, "exception_line", "(O)", exc);

	PyErr_Clear();
	return text;
}

/* The repr of what a frame yielded or returned, or NULL. */
static PyObject *value_text(engine *e, PyObject *value)
{
	PyObject *text = PyObject_CallMethod(e->helper, "safe_repr", "(O)",
	                                     unwrapped(value));

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

static void hooks_stop(void);

/* Has the step recorded all the hops it may? Then the hooks go off for
 * the rest of it: a step that runs a hundred thousand generators is told
 * by its first hops, and its other frames are never touched. */
static bool hooks_full(engine *e)
{
	if (e->events_capped)
		return true;
	if (PyList_GET_SIZE(e->raw) < MAX_EVENTS)
		return false;
	e->events_capped = true;
	hooks_stop();
	return true;
}

#if PY_VERSION_HEX >= 0x030C0000
/* CPython 3.12 and later: sys.monitoring says exactly what happened:
 * PY_START (a first start), PY_RESUME, PY_THROW with the exception thrown
 * in, PY_YIELD and PY_RETURN with the value, PY_UNWIND with the exception
 * leaving. Its events fire in every thread. Each event DISABLEs itself at
 * the code locations of ordinary functions, so their cost vanishes after
 * the first call. */
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
	if (!is_generator_code(code))
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
	if (!worth_recording(e, frame, code)) {
		PyErr_SetRaisedException(saved);
		Py_RETURN_NONE;
	}
	switch (which) {
	case MON_YIELD:
	case MON_RETURN:
		kind = which == MON_YIELD ? RAW_YIELD : RAW_RETURN;
		if (n >= 3)
			text = value_text(e, args[2]);
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
			text = exception_text(e, args[2]);
		break;
	default:
		break;
	}
	record_raw(e, frame, code, kind, text, which == MON_THROW, which == MON_START);
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
	watch_finalizers();
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

static void hooks_stop(void)
{
	monitor_set(false);
}

/* sys.monitoring leaves line events alone. */
void hooks_lines_back(void)
{
}

#else
/* CPython 3.11: a C profile function and a C trace function. The call
 * event is a resume, the return event a yield or a return (the
 * instruction at f_lasti tells which), or, with no value, an exception
 * leaving; the trace function's exception event, which the profile hook
 * lacks, tells what is raised in each frame an exception reaches. An exception event at the very instruction where the
 * frame resumed, before anything ran, is an exception thrown in (throw(),
 * close(), a finalizer). Line events return at once; with line stepping
 * on, they record pauses. */
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
	e->resume_index = record_raw(e, frame, code, RAW_RESUME, NULL, false, first);
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
	PyObject *text = exc ? exception_text(e, exc) : NULL;

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
		Py_XSETREF(text, value_text(e, arg));
	}
	e->resume_frame = NULL;
	record_raw(e, frame, code, kind, text, false, false);
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
			trace_line(e, frame);
		return 0;
	}
	if (what != PyTrace_EXCEPTION || e->events_capped)
		return 0;
	code = PyFrame_GetCode(frame);
	if (is_generator_code(code) && !hooks_full(e))
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
	if (is_generator_code(code) && worth_recording(e, frame, code)) {
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

/* Another thread's generator frames: threading.setprofile() gives every
 * thread it starts this function, which only notes that one ran. */
static PyObject *thread_profile(PyObject *self, PyObject *args)
{
	PyObject *frame, *event, *arg;

	if (the_engine && PyArg_ParseTuple(args, "OOO", &frame, &event, &arg) &&
	    PyFrame_Check(frame)) {
		PyCodeObject *code = PyFrame_GetCode((PyFrameObject *)frame);

		if (is_generator_code(code))
			the_engine->other_threads = true;
		Py_DECREF(code);
	}
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
	watch_finalizers();
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

static void hooks_stop(void)
{
	PyEval_SetProfile(NULL, NULL);
	/* Line stepping still needs the line events. */
	if ((!the_engine || !the_engine->pauses) &&
	    PyThreadState_Get()->c_tracefunc == trace_hops)
		PyEval_SetTrace(NULL, NULL);
}
#endif

bool hooks_intact(void)
{
#if PY_VERSION_HEX < 0x030C0000
	return PyThreadState_Get()->c_profilefunc == profile_hops;
#else
	return true;
#endif
}

bool engine_own_tracer(Py_tracefunc f)
{
	return dog_own_tracer(f)
#if PY_VERSION_HEX >= 0x030C0000
	       || f == trace_step
#else
	       || f == trace_hops || f == profile_hops
#endif
	       ;
}
