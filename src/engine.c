/* engine.c: the embedded CPython interpreter.
 *
 * The only file that includes Python.h. It starts an isolated interpreter,
 * loads its Python half (engine_helper.py, compiled in as a string), and
 * runs every step the same way: arm the watchdog, set a C profile function
 * that records generator frames going onto and off the stack, run, then
 * turn what happened into a snap_step of plain C data.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed; each function releases them on its one way out.
 */
#include "engine_int.h"
#include <frameobject.h>
#include <marshal.h>

#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "util.h"

static const char helper_source[] =
#include "engine_helper.inc"
	;
#include "engine_helper_code.inc"

/* Generator frames on the stack whose last exception the 3.11 hooks
 * remember (the innermost ones: a deeper stack is a runaway recursion). */
#define MAX_RAISING 64

/* The file name code steps are compiled under: tracebacks, co_filename
 * and the Source pane all speak of lines of this one program. */
#define PROGRAM_NAME "<lesson>"

struct engine {
	engine_options opts;
	bool line_stepping;
	char *program_name;     /* the file code steps are compiled under */
	int capture_fd;         /* where file descriptors 1 and 2 point while
	                           lesson code may run (an unlinked temporary
	                           file), or -1 */
	int saved_fd[3];        /* the real 0, 1 and 2 meanwhile */
	int null_fd;            /* /dev/null: descriptor 0 meanwhile */
	int cwd_fd;             /* the program's working directory */
	int lesson_cwd_fd;      /* the lesson's, once it changed it, or -1 */
	struct stat fd_id[6];   /* what each of those six is, to see it lost */
	int fds_depth;          /* engine calls in progress (fds_enter) */
	uint64_t inherited[2];  /* descriptors 3..127 open at engine_new */
	uint64_t program_fds[2];/* those the program opened since */
	uint64_t open_after[2]; /* those open when the last engine call ended */
	bool broken;            /* lesson code closed one of them */
	char failure[200];      /* why the last call failed, for engine_failure */
	PyObject *helper;       /* the Engine instance of engine_helper.py */
	PyObject *ns;           /* the lesson's __main__ dict */
	PyObject *raw;          /* profile records of the running step */
	PyObject *pauses;       /* line stepping: the step's pauses, else NULL */
	PyObject *program;      /* the helper's program file name, during a step */
	bool pauses_capped;
	bool events_capped;     /* MAX_EVENTS reached: the hooks are off */
	bool out_of_memory;     /* eval_expression could not compile for lack
	                           of memory */
	PyObject *timeout_type; /* engine_helper.StepTimeout */
	PyObject *gen_types;    /* engine_helper.GEN_TYPES: {type: kind} */
	PyObject *deque_type;   /* collections.deque */
	census *census;         /* after a step: every generator found; during
	                           one, released and kept for its memory */
	PyObject *drive_code[5];/* "next(_t)", "_t.send(_a)", ... by drive_kind */
	PyObject *echo_code[5]; /* the same as a statement at the prompt: the
	                           displayhook runs in its frame, as there */
	int yield_opcode;
	int start_opcode;       /* RESUME: where a frame's run starts */
	PyThreadState *main_thread;     /* the thread whose hops are recorded */
	bool other_threads;     /* another thread ran a generator frame */
	Py_ssize_t drive_start; /* records before the drive itself ran */
	/* 3.11: the last resume recorded, until the frame runs or leaves;
	 * the last exception seen in each generator frame on the stack,
	 * until it leaves. The frames are only compared, never followed. */
	int gens_running;       /* generator frames on the stack, resumed in the step */
	PyFrameObject *resume_frame;
	int resume_lasti;
	Py_ssize_t resume_index;
	struct {
		PyFrameObject *frame;
		PyObject *text;
	} raised[MAX_RAISING];
	int nraised;
};

/* ---- Watchdog -------------------------------------------------------------
 * A thread that stops a step that works too long, and delivers Ctrl-C.
 * Python only lets another thread ask the main thread to raise at its next
 * safe point, which a step blocked in a system call (time.sleep, a lock,
 * select, a read) never reaches. So the watchdog does two things each time
 * it fires: it sends the main thread the kick signal, whose CPython handler
 * makes the call return early (EINTR) and whose Python-level handler
 * (kick) then raises; and, should the lesson have blocked that signal, it
 * asks for a pending call that raises (Py_AddPendingCall). Whichever comes
 * first acts; a step counter makes a request that arrives after its step
 * ended do nothing.
 */
static pthread_mutex_t dog_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t dog_wake = PTHREAD_COND_INITIALIZER;
static pthread_t dog_thread;
static bool dog_started;
static bool dog_quit;
static bool dog_idle;           /* waiting for a step, not looking */
static long dog_step;           /* number of the step running, 0 when idle */
static long step_counter;
static struct timespec dog_deadline;
static volatile sig_atomic_t interrupt_requested;
static engine *the_engine;

static long dog_fired;          /* stop requests delivered this step */
static bool dog_work;           /* the engine's work after a step, not a step */
static long dog_shots;          /* times the watchdog fired */
static long dog_taken;          /* dog_shots when a stop was last delivered */
static long dog_shot_step;      /* the step it last fired for */

/* Set StepTimeout, saying how long the step was allowed. */
static void raise_timeout(void)
{
	char msg[160];

	snprintf(msg, sizeof msg, "the step ran for %.3g s without finishing "
	         "and was stopped (an endless loop?)", the_engine->opts.step_timeout);
	PyErr_SetString(the_engine->timeout_type, msg);
}

/* The last resort against a step that swallows StepTimeout in a loop: a
 * trace function that raises it again at every line, so that it finally
 * lands on a line outside every handler. Only ever set on such a step. */
static int trace_raise(PyObject *obj, PyFrameObject *frame, int what,
                       PyObject *arg)
{
	if (what != PyTrace_LINE || !the_engine)
		return 0;
	raise_timeout();
	return -1;
}

static void hooks_lines_back(void);

/* Runs in the main thread, inside the step's Python code: raise what the
 * watchdog's firing for step asks, once per firing. */
static int deliver_stop(long step)
{
	bool due;

	pthread_mutex_lock(&dog_lock);
	due = step == dog_step && dog_taken != dog_shots;
	if (due)
		dog_taken = dog_shots;
	pthread_mutex_unlock(&dog_lock);
	if (!due || !the_engine)
		return 0;
	if (interrupt_requested) {
		interrupt_requested = 0;
		PyErr_SetNone(PyExc_KeyboardInterrupt);
		return -1;
	}
	/* Never during the engine's own work: a line-by-line raise there
	 * would stop the engine, not the lesson's __repr__. */
	if (++dog_fired == 10 && !dog_work) {
		hooks_lines_back();
		PyEval_SetTrace(trace_raise, NULL);
	}
	raise_timeout();
	return -1;
}

static int raise_pending(void *arg)
{
	return deliver_stop((long)(intptr_t)arg);
}

/* The kick signal's Python-level handler: kick(signum, frame). */
static PyObject *kick(PyObject *self, PyObject *args)
{
	long step;

	pthread_mutex_lock(&dog_lock);
	step = dog_shot_step;
	pthread_mutex_unlock(&dog_lock);
	if (deliver_stop(step) < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyMethodDef kick_def = { "_kick", kick, METH_VARARGS, NULL };

#if PY_VERSION_HEX >= 0x030C0000
static int trace_step(PyObject *obj, PyFrameObject *frame, int what,
                      PyObject *arg);
#else
static int trace_hops(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg);
static int profile_hops(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg);
#endif

bool engine_own_tracer(Py_tracefunc f)
{
	return f == trace_raise
#if PY_VERSION_HEX >= 0x030C0000
	       || f == trace_step
#else
	       || f == trace_hops || f == profile_hops
#endif
	       ;
}

/* A step writing to descriptor 1 without end must not fill the disk: what
 * lies past what fds_collect keeps is cut off as it comes. */
static void trim_capture(void)
{
	engine *e = the_engine;
	struct stat st;

	if (e && e->capture_fd >= 0 && fstat(e->capture_fd, &st) == 0 &&
	    (size_t)st.st_size > 4 * e->opts.output_cap + 4096)
		(void)!ftruncate(e->capture_fd, (off_t)e->opts.output_cap + 1);
}

static void *dog_main(void *unused)
{
	struct timespec tick;
	sigset_t all;

	/* Signals sent to the process are for the main thread (Ctrl-C) or the
	 * lesson's handlers, never for this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&dog_lock);
	while (!dog_quit) {
		long step;

		if (!dog_step) {
			dog_idle = true;
			pthread_cond_wait(&dog_wake, &dog_lock);
			dog_idle = false;
			continue;
		}
		/* Look every 20 ms: Ctrl-C must feel immediate, and a step that
		 * swallows StepTimeout gets it again and again. */
		clock_gettime(CLOCK_REALTIME, &tick);
		tick.tv_nsec += 20 * 1000000L;
		if (tick.tv_nsec >= 1000000000L) {
			tick.tv_sec++;
			tick.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&dog_wake, &dog_lock, &tick);
		step = dog_step;
		if (!step)
			continue;
		trim_capture();
		clock_gettime(CLOCK_REALTIME, &tick);
		if (!interrupt_requested &&
		    (tick.tv_sec < dog_deadline.tv_sec ||
		     (tick.tv_sec == dog_deadline.tv_sec &&
		      tick.tv_nsec < dog_deadline.tv_nsec)))
			continue;
		dog_shots++;
		dog_shot_step = step;
		/* Under the lock: the main thread cannot have left the step
		 * (dog_disarm takes it), so the signal interrupts the step's
		 * system call and no other. */
		sandbox_kick();
		pthread_mutex_unlock(&dog_lock);
		Py_AddPendingCall(raise_pending, (void *)(intptr_t)step);
		/* CPython only looks at a pending call when something trips its
		 * eval breaker in the main thread; asking for the GIL does. The
		 * lock is not held meanwhile: the main thread may need it. */
		PyGILState_Release(PyGILState_Ensure());
		pthread_mutex_lock(&dog_lock);
	}
	pthread_mutex_unlock(&dog_lock);
	return NULL;
}

static void dog_arm(double seconds)
{
	double whole;

	pthread_mutex_lock(&dog_lock);
	clock_gettime(CLOCK_REALTIME, &dog_deadline);
	whole = (double)(long)seconds;
	dog_deadline.tv_sec += (time_t)whole;
	dog_deadline.tv_nsec += (long)((seconds - whole) * 1e9);
	if (dog_deadline.tv_nsec >= 1000000000L) {
		dog_deadline.tv_sec++;
		dog_deadline.tv_nsec -= 1000000000L;
	}
	dog_step = ++step_counter;
	dog_fired = 0;
	interrupt_requested = 0;
	/* A watchdog still looking every 20 ms needs no wake-up: waking it for
	 * every step of a quick lesson would cost a thread switch each. */
	if (dog_idle)
		pthread_cond_signal(&dog_wake);
	pthread_mutex_unlock(&dog_lock);
}

static void dog_disarm(void)
{
	pthread_mutex_lock(&dog_lock);
	dog_step = 0;
	pthread_mutex_unlock(&dog_lock);
}

void engine_interrupt(void)
{
	/* Only a flag: this may run in a signal handler. The watchdog sees it
	 * within 20 ms when a step is running; when none is, it is dropped at
	 * the next dog_arm. */
	interrupt_requested = 1;
}

/* ---- Line stepping -----------------------------------------------------------
 * With line stepping on, a trace function records a pause at every line of
 * lesson code running in a generator or coroutine frame, and the profile
 * hook one at every hop; each pause is a snapshot of the stack and the
 * heap at that moment. The UI shows them one by one afterwards.
 */
#define MAX_PAUSES 2000
/* Hops recorded per step. */
#define MAX_EVENTS 1000
/* Frames whose locals the census searches for generators: enough for any
 * lesson, bounded for a heap of a hundred thousand. */
#define LOCALS_BUDGET 1000
/* Functions listed in a summary. */
#define MAX_FUNCTIONS 20

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
#define lines_on() PyEval_SetTrace(trace_step, NULL)
#else
#define lines_on() ((void)0)
#endif

/* ---- Hooks: the hops of a step ------------------------------------------------
 * Every time a generator, coroutine or async generator frame goes onto the
 * stack (resume) or leaves it (yield, return, raise), the hook appends a
 * record of plain data to e->raw, read when it happens, a list:
 *   [id of the generator, weakref to it or None, qualified name, filename,
 *    kind, text, line, depth, thrown, first]
 * text is the repr yielded or returned, the "Type: message" raised, or, for
 * a resume, the exception thrown in (thrown is then True); depth counts
 * the generator frames below on the stack; first is True for a frame's
 * first start. A record holds no frame and no value: a step's records must
 * never keep alive what the lesson let go of (a finally block runs when
 * CPython runs it, not when yieldscope is done with the step).
 * Only the main thread's hops are recorded; e->other_threads says another
 * thread ran a generator frame.
 */
enum { RAW_RESUME, RAW_YIELD, RAW_RETURN, RAW_RAISE };

static bool is_generator_code(PyCodeObject *code)
{
	return code->co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR);
}

/* Drop what the 3.11 hooks remember between events (nothing on 3.12). */
static void forget_raises(engine *e)
{
	while (e->nraised > 0)
		Py_CLEAR(e->raised[--e->nraised].text);
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

/* Generator frames below frame on the stack: its place in a yield from or
 * await chain, since CPython links the frames of a chain (throw() too)
 * even where it resumes them one by one. */
static int stack_depth(PyFrameObject *frame)
{
	PyFrameObject *f = PyFrame_GetBack(frame);
	int depth = 0;

	while (f) {
		PyCodeObject *code = PyFrame_GetCode(f);
		PyFrameObject *back;

		if (is_generator_code(code))
			depth++;
		Py_DECREF(code);
		back = PyFrame_GetBack(f);
		Py_DECREF(f);
		f = back;
	}
	return depth;
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
 * any generator the helper may label: not the standard library's own (an
 * import runs hundreds). */
static bool worth_recording(engine *e, PyFrameObject *frame, PyCodeObject *code)
{
	PyObject *gen;
	bool labelled;

	if (is_lesson_code(e, code))
		return true;
	gen = PyFrame_GetGenerator(frame);
	if (!gen)
		return false;
	labelled = has_weakref(gen);
	Py_DECREF(gen);
	return labelled;
}

/* Append the record of a hop of frame (see above). text may be NULL.
 * Returns the record's index, or -1. */
static Py_ssize_t record_raw(engine *e, PyFrameObject *frame, PyCodeObject *code,
                             int kind, PyObject *text, bool thrown, bool first)
{
	PyObject *gen = PyFrame_GetGenerator(frame), *ref = NULL, *rec;
	Py_ssize_t index = -1;

	if (gen)
		ref = weak_to(gen);
	PyErr_Clear();
	rec = Py_BuildValue("[KOOOiOiiOO]", (unsigned long long)(uintptr_t)gen,
	                    ref ? ref : Py_None, code->co_qualname,
	                    code->co_filename, kind, text ? text : Py_None,
	                    PyFrame_GetLineNumber(frame), stack_depth(frame),
	                    thrown ? Py_True : Py_False, first ? Py_True : Py_False);
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

static PyMethodDef gen_of_def = { "_gen_of", gen_of, METH_O, NULL };

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
static int monitor_setup(void)
{
	PyObject *sys = PyImport_ImportModule("sys"), *events = NULL, *r;
	size_t i;
	int rc = -1;

	if (!sys)
		return -1;
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

static void monitor_teardown(void)
{
	if (monitoring) {
		Py_XDECREF(PyObject_CallMethod(monitoring, "free_tool_id", "i", MONITOR_TOOL));
		PyErr_Clear();
	}
	Py_CLEAR(monitoring);
	Py_CLEAR(monitor_disable);
}

/* sys.monitoring leaves line events alone. */
static void hooks_lines_back(void)
{
}

#define hooks_setup() monitor_setup()
#define hooks_on() monitor_set(true)
#define hooks_off() monitor_set(false)
#define hooks_teardown() monitor_teardown()

static void hooks_stop(void)
{
	monitor_set(false);
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

static int trace_setup(void)
{
	thread_profile_fn = PyCFunction_New(&thread_profile_def, NULL);
	return thread_profile_fn ? 0 : -1;
}

static void trace_on(void)
{
	the_engine->gens_running = 0;
	PyEval_SetProfile(profile_hops, NULL);
	if (the_engine->pauses)
		PyEval_SetTrace(trace_hops, NULL);
	thread_watch(thread_profile_fn);
}

static void trace_off(void)
{
	PyEval_SetProfile(NULL, NULL);
	if (PyThreadState_Get()->c_tracefunc == trace_hops)
		PyEval_SetTrace(NULL, NULL);
	thread_watch(Py_None);
}

/* Line events on again in every frame on the stack, for a trace
 * function that needs them (the watchdog's last resort). */
static void hooks_lines_back(void)
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

#define hooks_setup() trace_setup()
#define hooks_on() trace_on()
#define hooks_off() trace_off()
#define hooks_teardown() Py_CLEAR(thread_profile_fn)

static void hooks_stop(void)
{
	PyEval_SetProfile(NULL, NULL);
	/* Line stepping still needs the line events. */
	if ((!the_engine || !the_engine->pauses) &&
	    PyThreadState_Get()->c_tracefunc == trace_hops)
		PyEval_SetTrace(NULL, NULL);
}
#endif

/* ---- Conversions ------------------------------------------------------------ */

/* A copy of a Python str (or NULL for None/NULL); *ok turns false on failure. */
static char *str_copy(PyObject *s, bool *ok)
{
	const char *utf8;
	Py_ssize_t n;
	char *copy;

	if (!s || s == Py_None)
		return NULL;
	utf8 = PyUnicode_AsUTF8AndSize(s, &n);
	if (!utf8) {
		/* Lone surrogates cannot be UTF-8: show them escaped. */
		PyObject *b;

		PyErr_Clear();
		b = PyUnicode_AsEncodedString(s, "utf-8", "backslashreplace");
		if (!b) {
			PyErr_Clear();
			*ok = false;
			return NULL;
		}
		copy = ys_strndup(PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b));
		Py_DECREF(b);
	} else {
		copy = ys_strndup(utf8, (size_t)n);
	}
	if (!copy)
		*ok = false;
	return copy;
}

static int int_of(PyObject *o)
{
	long v = PyLong_AsLong(o);

	if (v == -1 && PyErr_Occurred()) {
		PyErr_Clear();
		return -1;
	}
	return (int)v;
}

/* A list of (name, repr) pairs as snap_locals. */
static int convert_locals(PyObject *list, snap_local **out, size_t *count)
{
	Py_ssize_t j, n = PyList_GET_SIZE(list);
	bool ok = true;

	if (n == 0)
		return 0;
	*out = ys_calloc((size_t)n, sizeof **out);
	if (!*out)
		return -1;
	*count = (size_t)n;
	for (j = 0; j < n; j++) {
		PyObject *pair = PyList_GET_ITEM(list, j);  /* borrowed */

		(*out)[j].name = str_copy(PyTuple_GET_ITEM(pair, 0), &ok);
		(*out)[j].repr = str_copy(PyTuple_GET_ITEM(pair, 1), &ok);
	}
	return ok ? 0 : -1;
}

/* The helper's snapshot tuples (see snapshot()) as snap_gens. */
static int convert_gens(PyObject *list, snap_gen **out, size_t *count)
{
	Py_ssize_t i, n = PyList_GET_SIZE(list);
	bool ok = true;

	if (n == 0)
		return 0;
	*out = ys_calloc((size_t)n, sizeof **out);
	if (!*out)
		return -1;
	*count = (size_t)n;
	for (i = 0; i < n; i++) {
		PyObject *t = PyList_GET_ITEM(list, i);     /* borrowed */
		snap_gen *g = &(*out)[i];

		g->label = str_copy(PyTuple_GET_ITEM(t, 0), &ok);
		g->kind = (snap_kind)int_of(PyTuple_GET_ITEM(t, 1));
		g->function = str_copy(PyTuple_GET_ITEM(t, 2), &ok);
		g->state = (snap_state)int_of(PyTuple_GET_ITEM(t, 3));
		g->filename = str_copy(PyTuple_GET_ITEM(t, 4), &ok);
		g->first_line = int_of(PyTuple_GET_ITEM(t, 5));
		g->line = int_of(PyTuple_GET_ITEM(t, 6));
		g->lasti = int_of(PyTuple_GET_ITEM(t, 7));
		g->delegate = str_copy(PyTuple_GET_ITEM(t, 9), &ok);
		g->id = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(t, 10));
		if (convert_locals(PyTuple_GET_ITEM(t, 8), &g->locals, &g->nlocals) < 0)
			return -1;
	}
	PyErr_Clear();
	return ok ? 0 : -1;
}

/* The pauses of a line-stepped step (see pause() in the helper). */
static int convert_pauses(PyObject *list, snap_step *out)
{
	Py_ssize_t i, j, n = PyList_GET_SIZE(list);
	bool ok = true;

	if (n == 0)
		return 0;
	out->pauses = ys_calloc((size_t)n, sizeof *out->pauses);
	if (!out->pauses)
		return -1;
	out->npauses = (size_t)n;
	for (i = 0; i < n; i++) {
		PyObject *t = PyList_GET_ITEM(list, i);     /* borrowed */
		PyObject *stack = PyTuple_GET_ITEM(t, 2);   /* borrowed */
		snap_pause *p = &out->pauses[i];
		Py_ssize_t ns = PyList_GET_SIZE(stack);

		p->kind = (snap_pause_kind)int_of(PyTuple_GET_ITEM(t, 0));
		p->value = str_copy(PyTuple_GET_ITEM(t, 1), &ok);
		if (convert_gens(PyTuple_GET_ITEM(t, 3), &p->gens, &p->ngens) < 0)
			return -1;
		if (ns == 0)
			continue;
		p->stack = ys_calloc((size_t)ns, sizeof *p->stack);
		if (!p->stack)
			return -1;
		p->nstack = (size_t)ns;
		for (j = 0; j < ns; j++) {
			PyObject *f = PyList_GET_ITEM(stack, j);    /* borrowed */
			snap_frame *fr = &p->stack[j];

			fr->function = str_copy(PyTuple_GET_ITEM(f, 0), &ok);
			fr->label = str_copy(PyTuple_GET_ITEM(f, 1), &ok);
			fr->filename = str_copy(PyTuple_GET_ITEM(f, 2), &ok);
			fr->line = int_of(PyTuple_GET_ITEM(f, 3));
			fr->generator = PyObject_IsTrue(PyTuple_GET_ITEM(f, 4)) == 1;
			if (convert_locals(PyTuple_GET_ITEM(f, 5), &fr->locals,
			                   &fr->nlocals) < 0)
				return -1;
		}
	}
	return ok ? 0 : -1;
}

/* Fill out->events from the helper's event tuples (see events()). */
static int convert_events(PyObject *list, snap_step *out)
{
	Py_ssize_t i, n = PyList_GET_SIZE(list);
	bool ok = true;

	if (n == 0)
		return 0;
	out->events = ys_calloc((size_t)n, sizeof *out->events);
	if (!out->events)
		return -1;
	out->nevents = (size_t)n;
	for (i = 0; i < n; i++) {
		PyObject *t = PyList_GET_ITEM(list, i);     /* borrowed */
		snap_event *ev = &out->events[i];

		ev->label = str_copy(PyTuple_GET_ITEM(t, 0), &ok);
		ev->function = str_copy(PyTuple_GET_ITEM(t, 1), &ok);
		ev->event = (snap_event_kind)int_of(PyTuple_GET_ITEM(t, 2));
		ev->how = (snap_how)int_of(PyTuple_GET_ITEM(t, 3));
		ev->value = str_copy(PyTuple_GET_ITEM(t, 4), &ok);
		ev->depth = int_of(PyTuple_GET_ITEM(t, 5));
		ev->line = int_of(PyTuple_GET_ITEM(t, 6));
	}
	return ok ? 0 : -1;
}

/* The exception now set, normalized, with its traceback attached; the error
 * indicator is cleared. NULL when none is set. */
static PyObject *take_exception(void)
{
#if PY_VERSION_HEX >= 0x030C0000
	return PyErr_GetRaisedException();
#else
	PyObject *type, *value, *tb;

	PyErr_Fetch(&type, &value, &tb);
	if (!type)
		return NULL;
	PyErr_NormalizeException(&type, &value, &tb);
	if (tb && value)
		PyException_SetTraceback(value, tb);
	Py_XDECREF(type);
	Py_XDECREF(tb);
	return value;
#endif
}

/* ---- Running a step -------------------------------------------------------- */

/* sys.last_exc (3.12 and later), sys.last_type, last_value and
 * last_traceback, set to exc as the prompt sets them. */
static void remember_exception(PyObject *exc)
{
	PyObject *tb = PyException_GetTraceback(exc);

#if PY_VERSION_HEX >= 0x030C0000
	PySys_SetObject("last_exc", exc);
#endif
	PySys_SetObject("last_type", (PyObject *)Py_TYPE(exc));
	PySys_SetObject("last_value", exc);
	PySys_SetObject("last_traceback", tb ? tb : Py_None);
	Py_XDECREF(tb);
	PyErr_Clear();
}

/* What a step drives, for labelling the resumes of its chain. */
typedef struct {
	snap_how how;           /* SNAP_HOW_UNKNOWN when the step drives nothing */
	PyObject *value;        /* repr of what goes in, or NULL */
} drive_info;

/* Everything after the lesson's code ran (result is its value or NULL with
 * an exception set): output, exception, snapshot, events. */
/* ---- File descriptors ----------------------------------------------------------
 * Lesson code can write past sys.stdout: os.write(1, ...), C code, a child
 * process, a thread of its own, a finalizer. Whenever lesson code may run,
 * that is during any call into the engine (the engine's own Python work
 * lets other threads run too), descriptors 1 and 2 point to a temporary
 * file, read back as the step's output, and descriptor 0 to /dev/null
 * (lesson code cannot read the terminal: it holds the learner's keys).
 * Outside engine calls the main thread holds the GIL, so no lesson thread
 * runs while the program writes through the real 0, 1 and 2. Lesson code
 * can also close or replace descriptors (os.closerange(3, 1024)): the
 * engine keeps its own above that range where the limit allows, checks
 * them after every call, and fails for good, saying why, when one is gone.
 * The working directory is swapped the same way, so that the lesson's
 * os.chdir does not move the program's relative paths.
 */
/* The low descriptors watched for the program's (see low_fds). */
#define LOW_FDS 128

enum { OWN_IN, OWN_OUT, OWN_ERR, OWN_CAPTURE, OWN_NULL, OWN_CWD, OWN_COUNT };

static int *own_fd(engine *e, int which)
{
	switch (which) {
	case OWN_CAPTURE: return &e->capture_fd;
	case OWN_NULL: return &e->null_fd;
	case OWN_CWD: return &e->cwd_fd;
	default: return &e->saved_fd[which];
	}
}

static void fds_close(engine *e)
{
	int i;

	for (i = 0; i < OWN_COUNT; i++) {
		int *fd = own_fd(e, i);

		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
	if (e->lesson_cwd_fd >= 0)
		close(e->lesson_cwd_fd);
	e->lesson_cwd_fd = -1;
}

/* Which of the descriptors 3..127 are open, in one system call. */
static void low_fds(uint64_t open[2])
{
	struct pollfd p[LOW_FDS - 3];
	int i;

	for (i = 3; i < LOW_FDS; i++) {
		p[i - 3].fd = i;
		p[i - 3].events = 0;
	}
	open[0] = open[1] = 0;
	if (poll(p, LOW_FDS - 3, 0) < 0)
		return;
	for (i = 3; i < LOW_FDS; i++)
		if (!(p[i - 3].revents & POLLNVAL))
			open[i / 64] |= (uint64_t)1 << (i % 64);
}

/* The lowest descriptor the engine keeps its own at: past 1024, where
 * lesson code that closes "every" descriptor stops, when the limit can be
 * raised that far. */
static int fds_floor(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 3;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 1024 + 64 &&
	    (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 1024 + 64)) {
		rl.rlim_cur = 1024 + 64;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			return 3;
	}
	return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 1024 + 64 ? 1024 : 3;
}

/* fd moved to the engine's range, close-on-exec; the old one closed. */
static int fds_keep(int fd, int floor)
{
	int high;

	if (fd < 0)
		return -1;
	high = fcntl(fd, F_DUPFD_CLOEXEC, floor);
	close(fd);
	return high;
}

#if defined(__SANITIZE_ADDRESS__)
#define YS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define YS_ASAN 1
#endif
#endif
#ifdef YS_ASAN
void __sanitizer_set_report_fd(void *fd);
#endif

/* A sanitizer's report from inside a step would go to descriptor 2, the
 * capture file, and be lost with the process: it goes to the real 2
 * instead, unless the sanitizer was told where to write. */
static void fds_sanitizer_reports(engine *e, bool on)
{
#ifdef YS_ASAN
	const char *a = getenv("ASAN_OPTIONS"), *u = getenv("UBSAN_OPTIONS");

	if (e->saved_fd[2] >= 0 && !(a && strstr(a, "log_path")) &&
	    !(u && strstr(u, "log_path")))
		__sanitizer_set_report_fd((void *)(intptr_t)(on ? e->saved_fd[2] : 2));
#else
	(void)e;
	(void)on;
#endif
}

/* Open the engine's descriptors; before the interpreter starts. Without a
 * capture file (no temporary file can be made) lesson code writes to the
 * real descriptors. */
static void fds_open(engine *e)
{
	FILE *f = tmpfile();
	int floor = fds_floor(), i;

	for (i = 0; i < OWN_COUNT; i++)
		*own_fd(e, i) = -1;
	e->lesson_cwd_fd = -1;
	/* What the process inherited is no loss when the lesson closes it. */
	low_fds(e->inherited);
	if (!f)
		return;
	e->capture_fd = fds_keep(dup(fileno(f)), floor);
	fclose(f);
	e->null_fd = fds_keep(open("/dev/null", O_RDWR), floor);
	e->cwd_fd = fds_keep(open(".", O_RDONLY | O_DIRECTORY), floor);
	for (i = 0; i < 3; i++)
		e->saved_fd[i] = fcntl(i, F_DUPFD_CLOEXEC, floor);
	/* The real 1 and 2 and the capture are needed; 0 may be closed (then
	 * it is left alone) and a working directory we cannot open is never
	 * swapped. */
	if (e->capture_fd < 0 || e->null_fd < 0 || e->saved_fd[1] < 0 ||
	    e->saved_fd[2] < 0) {
		fds_close(e);
		return;
	}
	/* Appending: the watchdog may cut the file short while it is written. */
	fcntl(e->capture_fd, F_SETFL, fcntl(e->capture_fd, F_GETFL) | O_APPEND);
	for (i = 0; i < OWN_COUNT; i++) {
		int fd = *own_fd(e, i);

		if (fd >= 0 && fstat(fd, &e->fd_id[i]) < 0)
			*own_fd(e, i) = -1;
	}
	fds_sanitizer_reports(e, true);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether the engine's descriptor which is still what it opened. */
static bool fds_intact(engine *e, int which)
{
	struct stat st;
	int fd = *own_fd(e, which);

	return fd < 0 || (fstat(fd, &st) == 0 && same_file(&st, &e->fd_id[which]));
}

static void fds_swap_in(engine *e)
{
	uint64_t now[2];
	int k;

	/* What opened since the last call is the program's (its script, a
	 * file it reads); what the lesson opened in earlier steps is not. */
	low_fds(now);
	for (k = 0; k < 2; k++)
		e->program_fds[k] = (e->program_fds[k] |
		                     (now[k] & ~e->open_after[k] & ~e->inherited[k])) &
		                    now[k];
	if (e->capture_fd < 0)
		return;
	fflush(stdout);
	fflush(stderr);
	if (e->saved_fd[0] >= 0)
		dup2(e->null_fd, 0);
	dup2(e->capture_fd, 1);
	dup2(e->capture_fd, 2);
	if (e->lesson_cwd_fd >= 0)
		(void)!fchdir(e->lesson_cwd_fd);
}

/* The lesson's working directory aside, the program's back. */
static void fds_swap_cwd(engine *e)
{
	struct stat st;

	if (e->cwd_fd < 0)
		return;
	if (stat(".", &st) == 0 && same_file(&st, &e->fd_id[OWN_CWD])) {
		if (e->lesson_cwd_fd >= 0)
			close(e->lesson_cwd_fd);
		e->lesson_cwd_fd = -1;
		return;
	}
	if (e->lesson_cwd_fd >= 0)
		close(e->lesson_cwd_fd);
	e->lesson_cwd_fd = fds_keep(open(".", O_RDONLY | O_DIRECTORY), 3);
	(void)!fchdir(e->cwd_fd);
}

static void fds_swap_out(engine *e)
{
	int i;

	low_fds(e->open_after);
	for (i = 0; i < 2; i++) {
		if (e->program_fds[i] & ~e->open_after[i]) {
			e->broken = true;
			snprintf(e->failure, sizeof e->failure, "the lesson closed a "
			         "file descriptor yieldscope uses");
		}
	}
	if (e->capture_fd < 0)
		return;
	for (i = 0; i < OWN_COUNT; i++) {
		if (!fds_intact(e, i)) {
			e->broken = true;
			snprintf(e->failure, sizeof e->failure, "the lesson closed or "
			         "replaced a file descriptor of yieldscope's own");
		}
	}
	fds_swap_cwd(e);
	for (i = 0; i < 3; i++) {
		/* A descriptor we lost: the real one is gone with it, and the
		 * program's output would go to the capture file. */
		if (e->saved_fd[i] < 0 || dup2(e->saved_fd[i], i) < 0)
			dup2(e->null_fd, i);
	}
}

/* Around every engine call that may run lesson code. fds_enter returns -1
 * when the engine is broken (the call must fail at once); fds_leave gives
 * back rc, or ENGINE_FAILED when the call broke the engine. */
static int fds_enter(engine *e)
{
	if (e->broken)
		return -1;
	if (e->fds_depth++ == 0) {
		e->failure[0] = '\0';
		fds_swap_in(e);
	}
	return 0;
}

static int fds_leave(engine *e, int rc)
{
	if (--e->fds_depth == 0)
		fds_swap_out(e);
	if (e->broken)
		return ENGINE_FAILED;
	if (rc == ENGINE_FAILED && !e->failure[0])
		snprintf(e->failure, sizeof e->failure, "out of memory");
	return rc;
}

/* Say why the engine's own Python failed with exc: out of memory only when
 * memory ran out. */
static void note_failure(engine *e, PyObject *exc)
{
	PyObject *s;
	const char *text;

	if (!exc || PyErr_GivenExceptionMatches(exc, PyExc_MemoryError)) {
		snprintf(e->failure, sizeof e->failure, "out of memory");
		return;
	}
	s = PyObject_Repr(exc);
	text = s ? PyUnicode_AsUTF8(s) : NULL;
	snprintf(e->failure, sizeof e->failure, "yieldscope's engine failed "
	         "(%.150s)", text ? text : Py_TYPE(exc)->tp_name);
	Py_XDECREF(s);
	PyErr_Clear();
}

const char *engine_failure(const engine *e)
{
	return e->failure[0] ? e->failure : "out of memory";
}

/* What reached descriptors 1 and 2 in the step, at most cap bytes, appended
 * to out->output; the file is emptied for the next step. */
static void fds_collect(engine *e, snap_step *out)
{
	struct stat st;
	char *buf, *joined;
	size_t n, cap = e->opts.output_cap;
	ssize_t r;

	if (e->capture_fd < 0 || fstat(e->capture_fd, &st) < 0 || st.st_size == 0)
		return;
	n = (size_t)st.st_size < cap ? (size_t)st.st_size : cap;
	buf = ys_malloc(n + 1);
	if (buf) {
		r = pread(e->capture_fd, buf, n, 0);
		buf[r > 0 ? r : 0] = '\0';
		joined = ys_asprintf("%s%s", out->output ? out->output : "", buf);
		if (joined) {
			ys_free(out->output);
			out->output = joined;
		}
		ys_free(buf);
	}
	/* finish_step writes the note of a capped output. */
	if ((size_t)st.st_size > cap)
		out->output_capped = true;
	if (ftruncate(e->capture_fd, 0) < 0)
		return;
}

/* yieldscope._guard(on), for the helper: during the engine's work after a
 * step, arm the watchdog around one call into lesson code and disarm it
 * after. During a step (already under its own limit) it does nothing. */
static PyObject *guard(PyObject *self, PyObject *on)
{
	if (dog_work && the_engine) {
		if (PyObject_IsTrue(on) == 1)
			dog_arm(the_engine->opts.step_timeout);
		else
			dog_disarm();
	}
	Py_RETURN_NONE;
}

static PyMethodDef guard_def = { "_guard", guard, METH_O, NULL };

/* Around the engine's own Python work on the lesson's objects (reprs of
 * locals, cards, events): the builtins the engine was started with, and
 * the watchdog, since a __repr__ may never return. Returns what work_end
 * needs. */
static PyObject *work_begin(engine *e)
{
	PyObject *saved;

	/* Without snapshots (--check) the engine reads no lesson object. */
	if (!e->opts.snapshots)
		return NULL;
	saved = PyObject_CallMethod(e->helper, "pristine_builtins", NULL);
	if (!saved)
		PyErr_Clear();
	/* No time limit on the engine's own work, however slow the machine
	 * (valgrind): only each call into lesson code (a __repr__, a __str__)
	 * gets one, armed by the helper through guard(). */
	dog_work = true;
	return saved;
}

static void work_end(engine *e, PyObject *saved)
{
	PyObject *r;

	if (!e->opts.snapshots)
		return;
	dog_work = false;
	dog_disarm();
	if (!saved)
		return;
	r = PyObject_CallMethod(e->helper, "restore_builtins", "(O)", saved);
	Py_XDECREF(r);
	Py_DECREF(saved);
	PyErr_Clear();
}

static int finish_step(engine *e, PyObject *result, PyObject *chain,
                       const drive_info *di, snap_step *out)
{
	PyObject *exc = NULL, *taken = NULL, *snap = NULL, *events = NULL;
	PyObject *desc = NULL, *raw = e->raw, *pauses = e->pauses, *entries = NULL;
	PyObject *saved;
	bool ok = true;
	int rc = ENGINE_FAILED;

	e->raw = NULL;
	e->pauses = NULL;
	if (!result)
		exc = take_exception();
	/* As the prompt does (PyErr_Print): the last exception stays alive in
	 * sys until the next one, and the one it replaces goes now, its
	 * finalizers printing in this step. */
	if (exc)
		remember_exception(exc);
	/* The traceback module is imported at the first exception, outside the
	 * time limit of the work below: an import is the engine's own work,
	 * and it may be slow (under valgrind, seconds). */
	if (exc && e->opts.snapshots) {
		Py_XDECREF(PyImport_ImportModule("traceback"));
		Py_XDECREF(PyImport_ImportModule("linecache"));
		PyErr_Clear();
	}
	saved = work_begin(e);
	taken = PyObject_CallMethod(e->helper, "take_output", NULL);
	if (!taken)
		goto out;
	out->output = str_copy(PyTuple_GET_ITEM(taken, 0), &ok);
	if (!out->output && ok)
		out->output = ys_strdup("");
	out->output_capped = PyObject_IsTrue(PyTuple_GET_ITEM(taken, 1)) == 1;
	out->value = str_copy(PyTuple_GET_ITEM(taken, 2), &ok);
	fds_collect(e, out);
	out->exception_line = -1;
	if (out->output_capped)
		out->note = ys_asprintf("output cut after %zu characters",
		                        e->opts.output_cap);
	if (exc) {
		desc = PyObject_CallMethod(e->helper, "describe", "(Oi)", exc,
		                           (int)e->opts.snapshots);
		if (!desc)
			goto out;
		out->exception = str_copy(PyTuple_GET_ITEM(desc, 0), &ok);
		out->traceback = str_copy(PyTuple_GET_ITEM(desc, 1), &ok);
		out->exception_line = int_of(PyTuple_GET_ITEM(desc, 2));
		if (PyObject_IsInstance(exc, e->timeout_type) == 1) {
			ys_free(out->note);
			out->note = ys_asprintf("step stopped after %.3g s: it did "
			                        "not finish", e->opts.step_timeout);
		}
	}
	if (!e->opts.snapshots) {
		rc = ok ? ENGINE_OK : ENGINE_FAILED;
		goto out;
	}
	/* The hooks told the census of every frame that ran, unless they
	 * stopped or another thread ran generators: then the census walks. */
	e->census = census_update(e->census, e->ns, e->gen_types, e->deque_type,
	                          LOCALS_BUDGET, !e->events_capped && !e->other_threads);
	if (!e->census || census_summary(e->census, out, MAX_FUNCTIONS) < 0)
		goto out;
	entries = census_entries(e->census, 0, e->opts.max_cards);
	snap = entries ? PyObject_CallMethod(e->helper, "cards", "(Oi)", entries, 1) : NULL;
	if (!snap || convert_gens(snap, &out->gens, &out->ngens) < 0)
		goto out;
	if (pauses && convert_pauses(pauses, out) < 0)
		goto out;
	if (e->events_capped) {
		ys_free(out->note);
		out->note = ys_asprintf("only the first %d hops of this step are "
		                        "listed", MAX_EVENTS);
	}
	if (e->pauses_capped) {
		ys_free(out->note);
		out->note = ys_asprintf("line stepping stopped recording after %d "
		                        "pauses", MAX_PAUSES);
	}
	if (e->other_threads) {
		char *note = ys_asprintf("%s%shops of other threads are not shown",
		                         out->note ? out->note : "",
		                         out->note ? "; " : "");

		ys_free(out->note);
		out->note = note;
	}
	events = PyObject_CallMethod(e->helper, "events", "OOiOn",
	                             raw ? raw : Py_None, chain ? chain : Py_None,
	                             (int)di->how, di->value ? di->value : Py_None,
	                             e->drive_start);
	if (!events || convert_events(events, out) < 0)
		goto out;
	rc = ok ? ENGINE_OK : ENGINE_FAILED;
out:
	if (PyErr_Occurred()) {
		/* A failure of the engine's own Python half: say so, plainly. */
		PyObject *bad = take_exception();

		if (!out->note)
			out->note = ys_strdup("yieldscope could not read the state "
			                      "after this step");
		note_failure(e, bad);
		Py_XDECREF(bad);
	}
	work_end(e, saved);
	Py_XDECREF(raw);
	Py_XDECREF(pauses);
	Py_XDECREF(exc);
	Py_XDECREF(taken);
	Py_XDECREF(snap);
	Py_XDECREF(entries);
	Py_XDECREF(events);
	Py_XDECREF(desc);
	return rc;
}

/* Start recording: a fresh event list, the hooks and the watchdog.
 * Returns 0, or -1 when out of memory. */
static int begin_step(engine *e)
{
	Py_CLEAR(e->raw);
	Py_CLEAR(e->pauses);
	Py_CLEAR(e->program);
	e->pauses_capped = false;
	e->events_capped = false;
	e->other_threads = false;
	e->drive_start = 0;
	forget_raises(e);
	e->raw = PyList_New(0);
	if (!e->raw)
		return -1;
	e->program = PyObject_GetAttrString(e->helper, "program");
	if (!e->program)
		return -1;
	if (e->line_stepping) {
		e->pauses = PyList_New(0);
		if (!e->pauses)
			return -1;
	}
	/* Let go of what the last census held: a generator the lesson
	 * deletes in this step must be finalized in it, as it would be
	 * without yieldscope. */
	census_release(e->census);
	sandbox_step_begin();
	dog_arm(e->opts.step_timeout);
	if (e->opts.snapshots)
		hooks_on();
	if (e->pauses)
		lines_on();
	return 0;
}

/* Stop recording. *result is what the lesson's code gave (NULL with its
 * exception set): a signal handler of the lesson's that raises as the step
 * ends makes it the step's exception, as CPython raises it at the end of
 * the statement. */
static void end_step(PyObject **result)
{
	bool kept = true;

	if (the_engine && the_engine->opts.snapshots) {
#if PY_VERSION_HEX < 0x030C0000
		/* A profile function of the lesson's took the hooks' place:
		 * they no longer list every frame that ran. */
		kept = PyThreadState_Get()->c_profilefunc == profile_hops;
#endif
		hooks_off();
	}
	if (sandbox_step_end(*result != NULL) < 0)
		Py_CLEAR(*result);
	if (the_engine && the_engine->opts.snapshots)
		census_watch(the_engine->census, kept);
	if (dog_fired >= 10 || (the_engine && the_engine->pauses))
		PyEval_SetTrace(NULL, NULL);
	dog_disarm();
}

/* Run a compiled code object in the namespace as one step. */
static int run_code_object(engine *e, PyObject *code, PyObject *locals,
                           const drive_info *di, snap_step *out)
{
	PyObject *result;
	int rc;

	if (begin_step(e) < 0)
		return ENGINE_FAILED;
	result = PyEval_EvalCode(code, e->ns, locals ? locals : e->ns);
	end_step(&result);
	rc = finish_step(e, result, Py_None, di, out);
	Py_XDECREF(result);
	return rc;
}

/* A step that failed before running (a syntax error, a bad expression):
 * its exception is the one now set. */
static int failed_step(engine *e, snap_step *out)
{
	static const drive_info none = { SNAP_HOW_UNKNOWN, NULL };

	Py_CLEAR(e->raw);
	return finish_step(e, NULL, Py_None, &none, out);
}

/* Compile source as start says (Py_file_input: module code; Py_single_input:
 * a statement at the prompt; Py_eval_input: an expression), with blank
 * lines before it so that its first line is line first_line of filename:
 * frames, f_lineno and tracebacks then speak of the lines the teacher's
 * file has. No future flags are inherited. */
static PyObject *compile_at(const char *source, int first_line, int start,
                            const char *filename)
{
	size_t pad = first_line > 1 ? (size_t)first_line - 1 : 0, n = strlen(source);
	char *buf = ys_malloc(pad + n + 2);
	PyObject *code;

	if (!buf)
		return PyErr_NoMemory();
	memset(buf, '\n', pad);
	memcpy(buf + pad, source, n);
	/* The prompt ends a statement with a newline; a compound one needs it. */
	buf[pad + n] = '\n';
	buf[pad + n + 1] = '\0';
	code = Py_CompileStringExFlags(buf, filename, start, NULL, -1);
	ys_free(buf);
	return code;
}

/* The lesson's code did not compile: its SyntaxError is the step's
 * exception. Running out of memory while compiling is the engine's
 * failure, not the lesson's. */
static int compile_failed(engine *e, snap_step *out)
{
	if (PyErr_ExceptionMatches(PyExc_MemoryError)) {
		PyErr_Clear();
		return ENGINE_FAILED;
	}
	return failed_step(e, out);
}

int engine_run_code(engine *e, const char *source, int first_line,
                    snap_step *out)
{
	static const drive_info none = { SNAP_HOW_UNKNOWN, NULL };
	PyObject *code;
	int rc;

	if (fds_enter(e) < 0)
		return ENGINE_FAILED;
	code = compile_at(source, first_line, Py_file_input,
	                  e->program_name ? e->program_name : PROGRAM_NAME);
	rc = code ? run_code_object(e, code, NULL, &none, out)
	          : compile_failed(e, out);
	Py_XDECREF(code);
	return fds_leave(e, rc);
}

int engine_run_statement(engine *e, const char *source, snap_step *out)
{
	static const drive_info none = { SNAP_HOW_UNKNOWN, NULL };
	PyObject *code;
	int rc;

	if (fds_enter(e) < 0)
		return ENGINE_FAILED;
	code = compile_at(source, 1, Py_single_input, "<stdin>");
	rc = code ? run_code_object(e, code, NULL, &none, out)
	          : compile_failed(e, out);
	Py_XDECREF(code);
	return fds_leave(e, rc);
}

/* Evaluate an expression typed by the learner or written in the lesson,
 * as part of the step now running. */
static PyObject *eval_expression(engine *e, const char *source)
{
	PyObject *code, *value;

	code = compile_at(source, 1, Py_eval_input, "<stdin>");
	if (!code) {
		/* Out of memory compiling it is ours, not the expression's. */
		if (PyErr_ExceptionMatches(PyExc_MemoryError))
			e->out_of_memory = true;
		return NULL;
	}
	value = PyEval_EvalCode(code, e->ns, e->ns);
	Py_DECREF(code);
	return value;
}

/* What goes into the chain, for its resume events: the repr of the value
 * sent or thrown, and the frames of the chain by label. The engine's own
 * work, so the hooks and the lesson's signal handlers are off meanwhile.
 * Returns 0; 1 when a handler of the lesson's raised, its exception set
 * (the step's); or -1, the engine's failure. */
static int drive_setup(engine *e, const lesson_drive *d, PyObject *target,
                       PyObject *arg, drive_info *di, PyObject **chain)
{
	if (e->opts.snapshots)
		hooks_off();
	if (sandbox_work_begin() < 0)
		return 1;
	switch (d->kind) {
	case DRIVE_NEXT:
		di->value = PyUnicode_FromString("None");
		break;
	case DRIVE_SEND:
		di->value = PyObject_CallMethod(e->helper, "safe_repr", "(O)", arg);
		break;
	case DRIVE_THROW:
		di->value = PyObject_CallMethod(e->helper, "throw_repr", "(O)", arg);
		break;
	default:
		di->value = PyUnicode_FromString("GeneratorExit");
		break;
	}
	Py_XSETREF(*chain, PyObject_CallMethod(e->helper, "chain_frames", "(Os)",
	                                       target, d->target));
	e->drive_start = e->raw ? PyList_GET_SIZE(e->raw) : 0;
	sandbox_work_end();
	if (e->opts.snapshots)
		hooks_on();
	return di->value && *chain ? 0 : -1;
}

int engine_drive(engine *e, const lesson_drive *d, snap_step *out)
{
	static const snap_how hows[] = {
		[DRIVE_NEXT] = SNAP_HOW_NEXT, [DRIVE_SEND] = SNAP_HOW_SEND,
		[DRIVE_THROW] = SNAP_HOW_THROW, [DRIVE_CLOSE] = SNAP_HOW_CLOSE,
	};
	static const drive_info none = { SNAP_HOW_UNKNOWN, NULL };
	PyObject *target = NULL, *arg = NULL, *locals = NULL, *chain;
	PyObject *result = NULL;        /* NULL until the call has run: failed */
	drive_info di = { SNAP_HOW_UNKNOWN, NULL };
	bool with_arg = d->kind == DRIVE_SEND || d->kind == DRIVE_THROW;
	int rc = ENGINE_FAILED, setup;

	if (d->kind == DRIVE_NONE || !d->target || fds_enter(e) < 0)
		return ENGINE_FAILED;
	e->out_of_memory = false;
	/* The target and the argument are evaluated within the step, as the
	 * statement would evaluate them: in k.send(next(s)), s's hops are the
	 * step's too. */
	if (begin_step(e) < 0)
		return fds_leave(e, ENGINE_FAILED);
	chain = Py_NewRef(Py_None);
	target = eval_expression(e, d->target);
	if (target && with_arg)
		arg = eval_expression(e, d->arg ? d->arg : "None");
	if (!target || (with_arg && !arg)) {
		end_step(&result);
		if (e->out_of_memory) {
			PyErr_Clear();
			goto out;
		}
		rc = finish_step(e, NULL, chain, &none, out);
		if (rc == ENGINE_OK)
			rc = ENGINE_ARG_ERROR;
		goto out;
	}
	di.how = hows[d->kind];
	locals = Py_BuildValue("{s[O]s[O]}", "_t", target, "_a", arg ? arg : Py_None);
	setup = locals ? drive_setup(e, d, target, arg, &di, &chain) : -1;
	if (setup != 0) {
		end_step(&result);
		if (setup > 0) {
			rc = finish_step(e, NULL, chain, &none, out);
		} else {
			PyObject *bad = take_exception();

			note_failure(e, bad);
			Py_XDECREF(bad);
		}
		goto out;
	}
	/* The call runs as code compiled from "<stdin>" with the objects in
	 * its locals, so that `next` is looked up as the lesson would see it
	 * and the traceback shows the statement's frame. The code pops them
	 * out of one-item lists: the statement's own references then go when
	 * CPython's would, as the call returns, before the echo, and a
	 * generator made for this drive alone is finalized there. */
	Py_CLEAR(target);
	Py_CLEAR(arg);
	if (d->assign) {
		result = PyEval_EvalCode(e->drive_code[d->kind], e->ns, locals);
		if (result && PyDict_SetItemString(e->ns, d->assign, result) < 0)
			Py_CLEAR(result);
		end_step(&result);
		/* An assignment echoes nothing, whatever came back. */
		rc = finish_step(e, result ? Py_None : NULL, chain, &di, out);
	} else {
		/* The echo code prints the value, through sys.displayhook, in
		 * the statement's own frame, as the prompt does. */
		result = PyEval_EvalCode(e->echo_code[d->kind], e->ns, locals);
		end_step(&result);
		rc = finish_step(e, result, chain, &di, out);
	}
	Py_XDECREF(result);
out:
	Py_XDECREF(chain);
	Py_XDECREF(target);
	Py_XDECREF(arg);
	Py_XDECREF(locals);
	Py_XDECREF(di.value);
	return fds_leave(e, rc);
}

/* ---- Life ---------------------------------------------------------------------- */

void engine_options_default(engine_options *o)
{
	o->step_timeout = 2.0;
	o->output_cap = 64 * 1024;
	o->repr_cap = 80;
	o->max_locals = 32;
	o->max_cards = 200;
	o->snapshots = true;
}

const char *engine_python_version(void)
{
	static char version[32];
	const char *full = Py_GetVersion();
	size_t n = strcspn(full, " ");

	if (n >= sizeof version)
		n = sizeof version - 1;
	memcpy(version, full, n);
	version[n] = '\0';
	return version;
}

static void set_err(char *err, size_t errlen, const char *what)
{
	PyObject *exc = PyErr_Occurred() ? take_exception() : NULL;
	PyObject *s = exc ? PyObject_Str(exc) : NULL;
	const char *detail = s ? PyUnicode_AsUTF8(s) : NULL;

	PyErr_Clear();
	snprintf(err, errlen, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
	Py_XDECREF(s);
	Py_XDECREF(exc);
}

/* engine_helper.py as a code object: the bytecode compiled at build time
 * when this CPython reads the same bytecode (its magic number matches),
 * else compiled from the source now. */
static PyObject *helper_code_object(void)
{
	long magic = PyImport_GetMagicNumber();
	PyObject *code;

	if (magic != -1 &&
	    (long)(helper_magic[0] | helper_magic[1] << 8 | helper_magic[2] << 16 |
	           (long)helper_magic[3] << 24) == magic) {
		code = PyMarshal_ReadObjectFromString((const char *)helper_code,
		                                      sizeof helper_code);
		if (code && PyCode_Check(code))
			return code;
		Py_XDECREF(code);
	}
	PyErr_Clear();
	return Py_CompileString(helper_source, "engine_helper.py", Py_file_input);
}

/* Run engine_helper.py in a module of its own; build the Engine object. */
static int load_helper(engine *e, char *err, size_t errlen)
{
	static const char *const drive_src[] = {
		[DRIVE_NEXT] = "next(_t.pop())", [DRIVE_SEND] = "_t.pop().send(_a.pop())",
		[DRIVE_THROW] = "_t.pop().throw(_a.pop())", [DRIVE_CLOSE] = "_t.pop().close()",
	};
	PyObject *module = NULL, *code = NULL, *result = NULL, *cls = NULL;
	PyObject *builtins = NULL, *guard_fn = NULL, *gen_of_fn = NULL;
	PyObject *opcode = NULL, *opmap = NULL, *op;
	int rc = -1, k;

	module = PyModule_New("yieldscope");
	if (!module)
		goto out;
	/* A copy of the builtins, taken before any lesson runs: a lesson that
	 * replaces builtins.len or builtins.repr changes its own world, not
	 * the engine's. */
	builtins = PyDict_Copy(PyEval_GetBuiltins());
	if (!builtins || PyModule_AddObjectRef(module, "__builtins__", builtins) < 0)
		goto out;
	guard_fn = PyCFunction_New(&guard_def, NULL);
	if (!guard_fn || PyModule_AddObjectRef(module, "_guard", guard_fn) < 0)
		goto out;
	gen_of_fn = PyCFunction_New(&gen_of_def, NULL);
	if (!gen_of_fn || PyModule_AddObjectRef(module, "_gen_of", gen_of_fn) < 0)
		goto out;
	code = helper_code_object();
	if (!code)
		goto out;
	result = PyEval_EvalCode(code, PyModule_GetDict(module), PyModule_GetDict(module));
	if (!result)
		goto out;
	cls = PyObject_GetAttrString(module, "Engine");
	if (!cls)
		goto out;
	e->helper = PyObject_CallFunction(cls, "nnns", (Py_ssize_t)e->opts.output_cap,
	                                  (Py_ssize_t)e->opts.repr_cap,
	                                  (Py_ssize_t)e->opts.max_locals, PROGRAM_NAME);
	if (!e->helper)
		goto out;
	e->timeout_type = PyObject_GetAttrString(module, "StepTimeout");
	if (!e->timeout_type)
		goto out;
	e->gen_types = PyObject_GetAttrString(module, "GEN_TYPES");
	e->deque_type = PyObject_GetAttrString(module, "deque");
	if (!e->gen_types || !e->deque_type)
		goto out;
	for (k = DRIVE_NEXT; k <= DRIVE_CLOSE; k++) {
		e->drive_code[k] = Py_CompileString(drive_src[k], "<stdin>", Py_eval_input);
		e->echo_code[k] = Py_CompileString(drive_src[k], "<stdin>", Py_single_input);
		if (!e->drive_code[k] || !e->echo_code[k])
			goto out;
	}
	opcode = PyImport_ImportModule("opcode");
	opmap = opcode ? PyObject_GetAttrString(opcode, "opmap") : NULL;
	op = opmap ? PyDict_GetItemString(opmap, "YIELD_VALUE") : NULL; /* borrowed */
	if (!op)
		goto out;
	e->yield_opcode = (int)PyLong_AsLong(op);
	op = PyDict_GetItemString(opmap, "RESUME");       /* borrowed */
	if (!op)
		goto out;
	e->start_opcode = (int)PyLong_AsLong(op);
	e->main_thread = PyThreadState_Get();
	if (hooks_setup() < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		set_err(err, errlen, "cannot start yieldscope's engine");
	Py_XDECREF(module);
	Py_XDECREF(builtins);
	Py_XDECREF(guard_fn);
	Py_XDECREF(gen_of_fn);
	Py_XDECREF(code);
	Py_XDECREF(result);
	Py_XDECREF(cls);
	Py_XDECREF(opcode);
	Py_XDECREF(opmap);
	return rc;
}

/* Everything alive now stays (the interpreter, the engine, the modules
 * imported so far): gc.freeze() keeps the collections between lessons
 * (see engine_reset) from walking it again and again. */
static void freeze_survivors(void)
{
	PyObject *gc = PyImport_ImportModule("gc");

	if (gc)
		Py_XDECREF(PyObject_CallMethod(gc, "freeze", NULL));
	Py_XDECREF(gc);
	PyErr_Clear();
}

/* The kick signal and the rest of the sandbox (engine_sandbox.c). Without
 * it the engine still works; only a step blocked in a system call can then
 * not be stopped. */
static void start_sandbox(void)
{
	PyObject *fn = PyCFunction_New(&kick_def, NULL);

	if (fn)
		sandbox_setup(fn, SIGRTMAX - 2, 4 /* MONITOR_TOOL, on 3.12+ */);
	Py_XDECREF(fn);
	PyErr_Clear();
}

engine *engine_new(const engine_options *o, char *err, size_t errlen)
{
	PyConfig config;
	PyStatus status;
	engine *e;

	err[0] = '\0';
	if (the_engine) {
		snprintf(err, errlen, "an engine is already running");
		return NULL;
	}
	e = ys_calloc(1, sizeof *e);
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (o)
		e->opts = *o;
	else
		engine_options_default(&e->opts);
	fds_open(e);

	/* Isolated: no PYTHON* variables, no user site, no current directory
	 * on sys.path. No site at all: a lesson must not see what happens to
	 * be installed on this machine. A fixed hash seed keeps set order, and
	 * so every replay, the same. No signal handlers: Ctrl-C is ours. */
	PyConfig_InitIsolatedConfig(&config);
	config.site_import = 0;
	config.install_signal_handlers = 0;
	config.use_hash_seed = 1;
	config.hash_seed = 0;
	config.write_bytecode = 0;
	config.parse_argv = 0;
	status = PyConfig_SetBytesString(&config, &config.program_name, "yieldscope");
	if (!PyStatus_Exception(status))
		status = Py_InitializeFromConfig(&config);
	PyConfig_Clear(&config);
	if (PyStatus_Exception(status)) {
		snprintf(err, errlen, "cannot start Python: %s",
		         status.err_msg ? status.err_msg : "unknown error");
		fds_close(e);
		ys_free(e);
		return NULL;
	}
	the_engine = e;
	if (load_helper(e, err, errlen) < 0 || engine_reset(e) < 0) {
		if (!err[0])
			set_err(err, errlen, "cannot start yieldscope's engine");
		engine_free(e);
		return NULL;
	}
	start_sandbox();
	if (!dog_started) {
		dog_quit = false;
		if (pthread_create(&dog_thread, NULL, dog_main, NULL) == 0)
			dog_started = true;
	}
	return e;
}

void engine_free(engine *e)
{
	int k;

	if (!e)
		return;
	/* From here lesson code only runs to end (its threads, finalizers,
	 * the finally blocks of its generators): nothing reads what it writes,
	 * and none of it reaches the terminal. */
	if (e->null_fd >= 0) {
		fflush(stdout);
		fflush(stderr);
		for (k = 0; k < 3; k++)
			dup2(e->null_fd, k);
	}
	if (dog_started) {
		pthread_mutex_lock(&dog_lock);
		dog_quit = true;
		dog_step = 0;
		pthread_cond_signal(&dog_wake);
		pthread_mutex_unlock(&dog_lock);
		/* The watchdog may be waiting for the GIL: let it have it. */
		Py_BEGIN_ALLOW_THREADS
		pthread_join(dog_thread, NULL);
		Py_END_ALLOW_THREADS
		dog_started = false;
	}
	Py_CLEAR(e->helper);
	Py_CLEAR(e->ns);
	Py_CLEAR(e->raw);
	Py_CLEAR(e->pauses);
	forget_raises(e);
	Py_CLEAR(e->program);
	Py_CLEAR(e->timeout_type);
	census_free(e->census);
	e->census = NULL;
	Py_CLEAR(e->gen_types);
	Py_CLEAR(e->deque_type);
	hooks_teardown();
	ys_free(e->program_name);
	for (k = 0; k < 5; k++) {
		Py_CLEAR(e->drive_code[k]);
		Py_CLEAR(e->echo_code[k]);
	}
	sandbox_before_exit();
	the_engine = NULL;
	Py_FinalizeEx();
	sandbox_after_exit();
	for (k = 0; k < 3; k++)
		if (e->saved_fd[k] >= 0)
			dup2(e->saved_fd[k], k);
	if (e->cwd_fd >= 0)
		(void)!fchdir(e->cwd_fd);
	/* The leak check at exit writes to descriptor 2 again. */
	fds_sanitizer_reports(e, false);
	fds_close(e);
	ys_free(e);
}

int engine_reset(engine *e)
{
	PyObject *ns;

	if (fds_enter(e) < 0)
		return -1;
	ns = PyObject_CallMethod(e->helper, "new_namespace", NULL);
	if (!ns) {
		PyErr_Clear();
		return fds_leave(e, -1);
	}
	census_free(e->census);
	e->census = NULL;
	Py_XSETREF(e->ns, ns);
	/* Drop the old lesson's objects now, so their finalizers run here and
	 * not in the middle of the next lesson's first step. */
	PyGC_Collect();
	/* What survives is the interpreter's and the modules lessons imported:
	 * frozen, the next lesson's collection does not walk it again. */
	freeze_survivors();
	Py_XDECREF(PyObject_CallMethod(e->helper, "take_output", NULL));
	PyErr_Clear();
	/* What a finalizer wrote at the reset is the old lesson's. */
	if (e->capture_fd >= 0)
		(void)!ftruncate(e->capture_fd, 0);
	return fds_leave(e, 0) < 0 ? -1 : 0;
}

int engine_set_program(engine *e, const char *filename, const char *text)
{
	char *name;
	PyObject *r;

	if (fds_enter(e) < 0)
		return -1;
	name = ys_strdup(filename ? filename : PROGRAM_NAME);
	r = name ? PyObject_CallMethod(e->helper, "set_program", "ss", name, text)
	         : NULL;
	if (!r) {
		PyErr_Clear();
		ys_free(name);
		return fds_leave(e, -1);
	}
	Py_DECREF(r);
	ys_free(e->program_name);
	e->program_name = name;
	return fds_leave(e, 0) < 0 ? -1 : 0;
}

long engine_disassemble(engine *e, const char *label, engine_instr **out)
{
	PyObject *gen = NULL, *list = NULL;
	engine_instr *v = NULL;
	Py_ssize_t i, n = 0;
	bool ok = true;
	long rc = -1;

	*out = NULL;
	if (fds_enter(e) < 0)
		return -1;
	dog_arm(e->opts.step_timeout);
	gen = eval_expression(e, label);
	dog_disarm();
	if (!gen) {
		PyErr_Clear();
		gen = Py_NewRef(Py_None);
	}
	list = PyObject_CallMethod(e->helper, "disassemble", "(Os)", gen, label);
	if (!list)
		goto out;
	n = PyList_GET_SIZE(list);
	v = ys_calloc((size_t)n, sizeof *v);
	if (!v)
		goto out;
	for (i = 0; i < n; i++) {
		PyObject *t = PyList_GET_ITEM(list, i);     /* borrowed */

		v[i].offset = int_of(PyTuple_GET_ITEM(t, 0));
		v[i].line = int_of(PyTuple_GET_ITEM(t, 1));
		v[i].opname = str_copy(PyTuple_GET_ITEM(t, 2), &ok);
		v[i].argrepr = str_copy(PyTuple_GET_ITEM(t, 3), &ok);
		if (!v[i].argrepr && ok)
			v[i].argrepr = ys_strdup("");
	}
	if (ok) {
		*out = v;
		v = NULL;
		rc = (long)n;
	}
out:
	PyErr_Clear();
	engine_instrs_free(v, (long)n);
	Py_XDECREF(gen);
	Py_XDECREF(list);
	/* A call that broke the engine still gives what it read; the next
	 * one fails. */
	fds_leave(e, 0);
	return rc;
}

void engine_instrs_free(engine_instr *v, long n)
{
	long i;

	if (!v)
		return;
	for (i = 0; i < n; i++) {
		ys_free(v[i].opname);
		ys_free(v[i].argrepr);
	}
	ys_free(v);
}

void engine_set_line_stepping(engine *e, bool on)
{
	e->line_stepping = on;
}

long engine_cards(engine *e, size_t offset, size_t count, snap_gen **out,
                  size_t *n)
{
	PyObject *entries, *list = NULL, *saved;
	long rc = -1;

	*out = NULL;
	*n = 0;
	if (fds_enter(e) < 0)
		return -1;
	saved = work_begin(e);
	/* A repr run since the step may have ended or deleted a generator. */
	if (e->census && census_stale(e->census))
		e->census = census_update(e->census, e->ns, e->gen_types,
		                          e->deque_type, LOCALS_BUDGET, false);
	entries = census_entries(e->census, offset, count);
	if (entries)
		list = PyObject_CallMethod(e->helper, "cards", "(Oi)", entries, 0);
	if (list && convert_gens(list, out, n) == 0)
		rc = (long)*n;
	PyErr_Clear();
	work_end(e, saved);
	Py_XDECREF(entries);
	Py_XDECREF(list);
	fds_leave(e, 0);
	return rc;
}

void engine_cards_free(snap_gen *v, size_t n)
{
	snap_step holder = {0};

	holder.gens = v;
	holder.ngens = n;
	snap_step_clear(&holder);
}
