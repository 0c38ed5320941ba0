/* engine_watchdog.c: the engine's time limits and Ctrl-C.
 *
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
#include "engine_int.h"
#include <frameobject.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

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

static long dog_fired;          /* stop requests delivered this step */
static bool dog_working;        /* the engine's work after a step, not a step */
static long dog_shots;          /* times the watchdog fired */
static long dog_taken;          /* dog_shots when a stop was last delivered */
static long dog_shot_step;      /* the step it last fired for */

/* Stop requests in one step after which the watchdog raises at every line. */
#define LAST_RESORT 10

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
	if (++dog_fired == LAST_RESORT && !dog_working) {
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

PyMethodDef dog_kick_def = { "_kick", kick, METH_VARARGS, NULL };

/* yieldscope._guard(on), for the helper: during the engine's work after a
 * step, arm the watchdog around one call into lesson code and disarm it
 * after. During a step (already under its own limit) it does nothing. */
static PyObject *guard(PyObject *self, PyObject *on)
{
	if (dog_working && the_engine) {
		if (PyObject_IsTrue(on) == 1)
			dog_arm(the_engine->opts.step_timeout);
		else
			dog_disarm();
	}
	Py_RETURN_NONE;
}

PyMethodDef dog_guard_def = { "_guard", guard, METH_O, NULL };

bool dog_own_tracer(Py_tracefunc f)
{
	return f == trace_raise;
}

bool dog_last_resort(void)
{
	return dog_fired >= LAST_RESORT;
}

void dog_work(bool on)
{
	dog_working = on;
	if (!on)
		dog_disarm();
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
		fds_trim(the_engine);
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

void dog_arm(double seconds)
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

void dog_disarm(void)
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


void dog_start(void)
{
	if (dog_started)
		return;
	dog_quit = false;
	if (pthread_create(&dog_thread, NULL, dog_main, NULL) == 0)
		dog_started = true;
}

void dog_stop(void)
{
	if (!dog_started)
		return;
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
