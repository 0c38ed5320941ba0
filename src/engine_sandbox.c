/* engine_sandbox.c: what lesson code changes in the process, kept apart
 * from what the program itself needs.
 *
 * Lesson code runs in yieldscope's own process, so it can install signal
 * handlers, trace and profile functions and sys.monitoring callbacks, fork,
 * start threads and set timers. Each of those would otherwise act on the
 * engine's own Python work after a step (a handler raising in the middle
 * of the engine's snapshot), on the terminal UI (a SIGINT handler taking
 * Ctrl-C away), or on the exit (a thread that never ends). Around every
 * step, sandbox_step_begin puts the lesson's back and sandbox_step_end puts
 * them aside.
 */
#include "engine_int.h"

#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

/* The classic signals: the ones lessons set handlers for. */
#define CLASSIC 32

static pthread_t main_thread;
static bool ready;
static int kick_signal;
static PyObject *kick_handler;          /* the watchdog's Python handler */
static PyObject *signal_fn;             /* _signal.signal, as the engine found it */
static PyObject *getsignal_fn;          /* _signal.getsignal */
static void (*python_handler)(int);     /* CPython's C-level signal handler */
static struct sigaction program_sigint;
static struct sigaction lesson_action[CLASSIC];
static bool put_aside[CLASSIC];
static volatile sig_atomic_t arrived[CLASSIC];
static bool lesson_handled[CLASSIC];    /* at exit: had a handler of the lesson's */

static Py_tracefunc trace_fn, profile_fn;
static PyObject *trace_obj, *profile_obj;

#if PY_VERSION_HEX >= 0x030C0000
#define TOOLS 6                         /* sys.monitoring's tool ids 0..5 */
static int engine_tool;
static PyObject *get_events_fn, *set_events_fn;
static long tool_events[TOOLS];

/* Call f(args) for its effect, with no error left set. */
static void call_quietly(PyObject *f, const char *fmt, int a, long b)
{
	PyObject *r = f ? PyObject_CallFunction(f, fmt, a, b) : NULL;

	Py_XDECREF(r);
	PyErr_Clear();
}
#endif

/* Between steps, a signal the lesson handles only leaves a mark: its
 * handler runs at the start of the next step, in lesson code. */
static void note_arrival(int sig)
{
	if (sig > 0 && sig < CLASSIC)
		arrived[sig] = 1;
}

/* The lesson's signal handlers back in place, and each signal that came
 * while they were aside sent again, for its handler to run in lesson code. */
static void signals_back(void)
{
	int sig;

	for (sig = 1; sig < CLASSIC; sig++) {
		if (!put_aside[sig])
			continue;
		sigaction(sig, &lesson_action[sig], NULL);
		put_aside[sig] = false;
		if (arrived[sig]) {
			arrived[sig] = 0;
			pthread_kill(main_thread, sig);
		}
	}
}

/* Every signal with a Python handler (but SIGINT, the program's) only
 * leaves a mark from now on; the lesson's actions are kept. */
static void signals_aside(void)
{
	struct sigaction now, defer;
	int sig;

	memset(&defer, 0, sizeof defer);
	sigemptyset(&defer.sa_mask);
	defer.sa_handler = note_arrival;
	for (sig = 1; sig < CLASSIC; sig++) {
		if (sig == SIGINT || sig == SIGKILL || sig == SIGSTOP ||
		    sigaction(sig, NULL, &now) < 0 || !python_handler ||
		    now.sa_handler != python_handler)
			continue;
		lesson_action[sig] = now;
		put_aside[sig] = true;
		sigaction(sig, &defer, NULL);
	}
}

/* After os.fork() in a step, in the child: lessons run in one process. Two
 * copies of the program sharing a terminal and a transcript cannot both
 * go on, so the child says so (into the step's output: descriptor 2 is
 * the capture file during a step) and ends at once, running nothing. */
static PyObject *end_forked_child(PyObject *self, PyObject *unused)
{
	static const char msg[] = "yieldscope: the process forked by the lesson "
	                          "was ended: lessons run in one process\n";
	ssize_t r = write(2, msg, sizeof msg - 1);

	(void)r;
	_exit(1);
}

static PyMethodDef end_child_def = { "_end_forked_child", end_forked_child,
                                     METH_NOARGS, NULL };

int sandbox_setup(PyObject *kick, int sig, int monitor_tool)
{
	PyObject *mod = NULL, *posix = NULL, *fn = NULL, *r = NULL;
	struct sigaction sa;
	sigset_t set;
	int rc = -1;

	main_thread = pthread_self();
	kick_signal = sig;
	kick_handler = Py_NewRef(kick);
	mod = PyImport_ImportModule("_signal");
	if (!mod)
		goto out;
	signal_fn = PyObject_GetAttrString(mod, "signal");
	getsignal_fn = PyObject_GetAttrString(mod, "getsignal");
	if (!signal_fn || !getsignal_fn)
		goto out;
	r = PyObject_CallFunction(signal_fn, "iO", sig, kick);
	if (!r)
		goto out;
	/* What signal.signal installed is CPython's one C handler, the same
	 * for every signal a lesson gives a Python handler. */
	if (sigaction(sig, NULL, &sa) == 0)
		python_handler = sa.sa_handler;
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	posix = PyImport_ImportModule("posix");
	fn = PyCFunction_New(&end_child_def, NULL);
	if (!posix || !fn)
		goto out;
	Py_CLEAR(r);
	{
		PyObject *reg = PyObject_GetAttrString(posix, "register_at_fork");
		PyObject *args = PyTuple_New(0);
		PyObject *kw = Py_BuildValue("{sO}", "after_in_child", fn);

		r = reg && args && kw ? PyObject_Call(reg, args, kw) : NULL;
		Py_XDECREF(reg);
		Py_XDECREF(args);
		Py_XDECREF(kw);
	}
	if (!r)
		goto out;
#if PY_VERSION_HEX >= 0x030C0000
	{
		PyObject *mon = PySys_GetObject("monitoring");  /* borrowed */

		engine_tool = monitor_tool;
		get_events_fn = mon ? PyObject_GetAttrString(mon, "get_events") : NULL;
		set_events_fn = mon ? PyObject_GetAttrString(mon, "set_events") : NULL;
		if (!get_events_fn || !set_events_fn)
			goto out;
	}
#else
	(void)monitor_tool;
#endif
	ready = true;
	rc = 0;
out:
	PyErr_Clear();
	Py_XDECREF(mod);
	Py_XDECREF(posix);
	Py_XDECREF(fn);
	Py_XDECREF(r);
	return rc;
}

void sandbox_kick(void)
{
	if (ready)
		pthread_kill(main_thread, kick_signal);
}


void sandbox_step_begin(void)
{
	PyObject *cur;
	sigset_t set;

	if (!ready)
		return;
	/* Ctrl-C is the program's, during a step too: the terminal UI turns it
	 * into a KeyboardInterrupt of the step through the watchdog. */
	sigaction(SIGINT, NULL, &program_sigint);
	signals_back();
	/* The watchdog's own signal, should the lesson have taken it. */
	cur = PyObject_CallFunction(getsignal_fn, "i", kick_signal);
	if (cur != kick_handler) {
		PyObject *r = PyObject_CallFunction(signal_fn, "iO", kick_signal,
		                                    kick_handler);
		Py_XDECREF(r);
	}
	Py_XDECREF(cur);
	PyErr_Clear();
	sigemptyset(&set);
	sigaddset(&set, kick_signal);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (trace_fn) {
		PyEval_SetTrace(trace_fn, trace_obj);
		trace_fn = NULL;
		Py_CLEAR(trace_obj);
	}
	if (profile_fn) {
		PyEval_SetProfile(profile_fn, profile_obj);
		profile_fn = NULL;
		Py_CLEAR(profile_obj);
	}
#if PY_VERSION_HEX >= 0x030C0000
	{
		int t;

		for (t = 0; t < TOOLS; t++) {
			if (tool_events[t])
				call_quietly(set_events_fn, "il", t, tool_events[t]);
			tool_events[t] = 0;
		}
	}
#endif
	PyErr_Clear();
}

/* The lesson's sys.monitoring events off, kept for the next step. */
static void monitoring_aside(void)
{
#if PY_VERSION_HEX >= 0x030C0000
	int t;

	for (t = 0; t < TOOLS; t++) {
		PyObject *r;
		long ev;

		if (t == engine_tool)
			continue;
		r = PyObject_CallFunction(get_events_fn, "i", t);
		ev = r ? PyLong_AsLong(r) : 0;
		Py_XDECREF(r);
		PyErr_Clear();
		if (ev > 0) {
			tool_events[t] = ev;
			call_quietly(set_events_fn, "il", t, 0);
		}
	}
#endif
}

int sandbox_step_end(bool succeeded)
{
	PyThreadState *ts = PyThreadState_Get();
	PyObject *type, *value, *tb;
	struct sigaction now;

	if (!ready)
		return 0;
	/* The step's own exception waits while this runs Python. */
	PyErr_Fetch(&type, &value, &tb);
	sigaction(SIGINT, NULL, &now);
	if (now.sa_handler != program_sigint.sa_handler)
		sigaction(SIGINT, &program_sigint, NULL);
	signals_aside();
	if (ts->c_tracefunc && !engine_own_tracer(ts->c_tracefunc)) {
		trace_fn = ts->c_tracefunc;
		trace_obj = Py_XNewRef(ts->c_traceobj);
		PyEval_SetTrace(NULL, NULL);
	}
	if (ts->c_profilefunc && !engine_own_tracer(ts->c_profilefunc)) {
		profile_fn = ts->c_profilefunc;
		profile_obj = Py_XNewRef(ts->c_profileobj);
		PyEval_SetProfile(NULL, NULL);
	}
	monitoring_aside();
	PyErr_Clear();
	/* A handler whose signal came in the step's last instructions runs
	 * now, not in the engine's work. */
	if (PyErr_CheckSignals() < 0) {
		if (succeeded)
			return -1;
		PyErr_WriteUnraisable(NULL);
	}
	PyErr_Clear();
	PyErr_Restore(type, value, tb);
	return 0;
}

int sandbox_work_begin(void)
{
	if (!ready)
		return 0;
	signals_aside();
	/* What came before they went aside runs now, between the lesson's
	 * statements as CPython would run it, with no engine frame to see. */
	return PyErr_CheckSignals();
}

void sandbox_work_end(void)
{
	if (ready)
		signals_back();
}

/* threading._shutdown while the program exits: wait for no thread. */
static PyObject *no_wait(PyObject *self, PyObject *unused)
{
	Py_RETURN_NONE;
}

static PyMethodDef no_wait_def = { "_shutdown", no_wait, METH_NOARGS, NULL };

#if PY_VERSION_HEX >= 0x030F0000
/* Is a thread of the lesson's that is not a daemon still running? */
static bool lesson_threads_alive(PyObject *threading)
{
	PyObject *all, *main_thread;
	Py_ssize_t i;
	bool alive = false;

	all = PyObject_CallMethod(threading, "enumerate", NULL);
	main_thread = PyObject_CallMethod(threading, "main_thread", NULL);
	for (i = 0; all && main_thread && PyList_Check(all) && !alive &&
	            i < PyList_GET_SIZE(all); i++) {
		PyObject *t = PyList_GET_ITEM(all, i);      /* borrowed */
		PyObject *daemon;

		if (t == main_thread)
			continue;
		daemon = PyObject_GetAttrString(t, "daemon");
		alive = daemon && !PyObject_IsTrue(daemon);
		Py_XDECREF(daemon);
	}
	Py_XDECREF(all);
	Py_XDECREF(main_thread);
	PyErr_Clear();
	return alive;
}
#endif

bool sandbox_before_exit(void)
{
	static const struct itimerval off;
	PyObject *threading, *atexit, *fn;
	struct sigaction now;
	bool held = false;
	int sig;

	/* A timer the lesson set must not fire after Py_FinalizeEx has put
	 * the default (deadly) action back. */
	alarm(0);
	setitimer(ITIMER_REAL, &off, NULL);
	setitimer(ITIMER_VIRTUAL, &off, NULL);
	setitimer(ITIMER_PROF, &off, NULL);
	for (sig = 1; sig < CLASSIC; sig++)
		lesson_handled[sig] = put_aside[sig] ||
			(python_handler && sig != SIGINT &&
			 sigaction(sig, NULL, &now) == 0 && now.sa_handler == python_handler);
	/* Py_FinalizeEx waits for every non-daemon thread, and runs the
	 * lesson's atexit functions: the lesson is over, its output has
	 * nowhere to go, and either may never end. */
	{
		PyObject *name = PyUnicode_FromString("threading");

		threading = name ? PyImport_GetModule(name) : NULL;
		Py_XDECREF(name);
	}
	fn = PyCFunction_New(&no_wait_def, NULL);
	if (threading && fn)
		PyObject_SetAttrString(threading, "_shutdown", fn);
#if PY_VERSION_HEX >= 0x030F0000
	/* From 3.15 the interpreter itself waits, in C, for every thread
	 * started as no daemon, whatever threading._shutdown does: with one
	 * still running, the interpreter is left to the process's exit. */
	held = threading && lesson_threads_alive(threading);
#endif
	Py_XDECREF(fn);
	Py_XDECREF(threading);
	atexit = PyImport_ImportModule("atexit");
	if (atexit)
		Py_XDECREF(PyObject_CallMethod(atexit, "_clear", NULL));
	Py_XDECREF(atexit);
	PyErr_Clear();
	Py_CLEAR(trace_obj);
	Py_CLEAR(profile_obj);
	trace_fn = profile_fn = NULL;
	Py_CLEAR(kick_handler);
	Py_CLEAR(signal_fn);
	Py_CLEAR(getsignal_fn);
#if PY_VERSION_HEX >= 0x030C0000
	Py_CLEAR(get_events_fn);
	Py_CLEAR(set_events_fn);
	memset(tool_events, 0, sizeof tool_events);
#endif
	memset(put_aside, 0, sizeof put_aside);
	ready = false;
	return held;
}

void sandbox_after_exit(void)
{
	int sig;

	/* Py_FinalizeEx put the default action back for every signal the
	 * lesson handled: one of its timer's signals still on its way (under
	 * valgrind delivery lags) must not kill the program now. */
	for (sig = 1; sig < CLASSIC; sig++)
		if (lesson_handled[sig] && (sig == SIGALRM || sig == SIGVTALRM ||
		                            sig == SIGPROF))
			signal(sig, SIG_IGN);
}
