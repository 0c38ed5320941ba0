/* engine_int.h: what the engine's C files share. Includes Python.h: only
 * engine*.c may include this header. */
#ifndef YS_ENGINE_INT_H
#define YS_ENGINE_INT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>

#include "snapshot.h"

/* ---- Census: every generator the namespace reaches ------------------------
 * Finding and counting generators must stay cheap with a million of them,
 * so the census is C: one walk over the namespace (names, and the items of
 * lists, tuples, deques and dicts), then breadth first through delegates
 * and, within a budget, the locals of suspended frames. It keeps how each
 * generator was reached, so a label is only spelled out for the
 * generators that are shown, and it follows a step from the frames the
 * step ran instead of walking again when nothing else could have changed.
 * It never keeps a generator alive (see engine_census.c).
 */
typedef struct census census;

/* The census after a step: c (the last one, or NULL) brought up to date.
 * complete says that census_ran was told of every generator frame that
 * ran in the step; when false (the hooks stopped, or no step ran) the
 * namespace is walked. types is a dict {type: kind}; deque the
 * collections.deque type. At most locals_budget frames have their locals
 * searched. Returns the census (c itself, or a new one), watched from now
 * on, or NULL with an exception set (c is then freed). */
census *census_update(census *c, PyObject *ns, PyObject *types, PyObject *deque,
                      size_t locals_budget, bool complete);

/* From a step hook: frame (a generator's, running) resumed, yielded,
 * returned or raised. NULL c is fine. */
void census_ran(census *c, PyFrameObject *frame);

/* A census of ns walked now, not watched: for a moment inside a step
 * (reuse as for census_update's c). Read it before any Python code runs. */
census *census_take(PyObject *ns, PyObject *types, PyObject *deque,
                    size_t locals_budget, census *reuse);

#if PY_VERSION_HEX >= 0x030E0000
/* CPython 3.14 and later report a yield (sys.monitoring's PY_YIELD) before
 * the generator is marked suspended, so a census taken then would find it
 * running, with no gi_yieldfrom. While gen is set (borrowed), the census
 * takes gen as suspended and delegating to delegate (NULL: to nothing), as
 * it is once the yield is done. census_yielding(NULL, NULL) ends that. */
void census_yielding(PyObject *gen, PyObject *delegate);
#endif

/* At the end of a step, once its hooks are off: from now on, a counted
 * generator whose frame runs marks the census stale. complete false says
 * the hooks did not see the whole step (a profile function of the
 * lesson's replaced them): the next update walks. */
void census_watch(census *c, bool complete);

/* At the start of a step: let go of the names and keys held, and stop
 * watching frames (the step hooks take over). census_free frees it all.
 * NULL is fine for both. */
void census_release(census *c);
void census_free(census *c);

/* Whether a generator it counts died or ran since it was brought up to
 * date: it must then be updated (with raw NULL) before it is read. True
 * for NULL. */
bool census_stale(const census *c);

size_t census_count(const census *c);

/* Counts by state, by function (most common first, at most max) and by
 * line waited at. */
int census_summary(const census *c, snap_step *out, size_t max);

/* Entries [offset, offset + count) as a list of tuples (gen, label, kind,
 * state, delegate label or None), the shape engine_helper's cards() takes.
 * New reference, or NULL with an exception set (a stale census too). */
PyObject *census_entries(const census *c, size_t offset, size_t count);

/* ---- Sandbox: the lesson's hold on the process (engine_sandbox.c) ------------
 * Signal handlers, traces, profilers and sys.monitoring events the lesson
 * sets act during its steps only; Ctrl-C stays the program's; a forked
 * child ends at once; exit waits for no lesson thread.
 */

/* After the interpreter started, in the main thread: install kick (the
 * watchdog's Python-level handler) for signal sig, and the fork hook.
 * monitor_tool is the engine's own sys.monitoring tool id. Returns 0, or
 * -1 when the sandbox could not be set up (the engine then works without:
 * no signal stops a blocking call). */
int sandbox_setup(PyObject *kick, int sig, int monitor_tool);

/* From the watchdog thread: interrupt the main thread's blocking system
 * call with the kick signal, whose handler then raises. */
void sandbox_kick(void);

/* Just before lesson code runs / just after. A lesson's signal handler
 * whose signal came in the step's last instructions runs in
 * sandbox_step_end: when it raises and the step succeeded (succeeded),
 * its exception is left set and -1 returned; else the step's own
 * exception, if any, is kept as it is, and the handler's is reported as
 * unraisable. */
void sandbox_step_begin(void);
int sandbox_step_end(bool succeeded);

/* Around the engine's own Python work inside a step (between the lesson's
 * statements, no lesson frame running): the lesson's signal handlers wait,
 * as they do between steps. sandbox_work_begin first runs those whose
 * signal has come already; when one raises, it returns -1 with that
 * exception set, the lesson's, and the handlers stay aside until the
 * step ends. Else 0, and sandbox_work_end puts them back. */
int sandbox_work_begin(void);
void sandbox_work_end(void);

/* Before Py_FinalizeEx: no lesson timer, thread or atexit function can
 * hold up or kill the exit. Returns true when Py_FinalizeEx must not be
 * called at all, because it would wait for a thread of the lesson's that
 * never ends (CPython 3.15 and later). */
bool sandbox_before_exit(void);
/* After Py_FinalizeEx: the lesson's timer signals still on their way are
 * ignored. */
void sandbox_after_exit(void);

/* Route every call of the C method `name` of type t, when its calling
 * convention is flags, through mine: the descriptor and bound methods read
 * the type's static method table at every call, so changing the entry
 * there is enough. Returns the method's own function, for mine to call on,
 * or NULL when t has no such method (it is left as it is) or the entry goes
 * through mine already. Never raises. In engine.c. */
PyCFunction engine_wrap_method(PyTypeObject *t, const char *name, int flags,
                               PyCFunction mine);

/* Whether f is one of the engine's own trace or profile functions (those
 * stay; the lesson's are put aside between steps). In engine_hooks_monitor.c
 * (3.12 and later) or engine_hooks_profile.c (3.11). */
bool engine_own_tracer(Py_tracefunc f);

/* ---- The engine's state (engine.c owns it) ----------------------------------
 * One engine per process, the_engine while it lives: the hooks, the
 * watchdog and the signal handlers find it there.
 */
#include <stdint.h>
#include <sys/stat.h>

#include "engine.h"

/* Generator frames on the stack whose last exception the 3.11 hooks
 * remember (the innermost ones: a deeper stack is a runaway recursion). */
#define MAX_RAISING 64
/* The file name code steps are compiled under: tracebacks, co_filename
 * and the Source pane all speak of lines of this one program. */
#define PROGRAM_NAME "<lesson>"
/* Line stepping's pauses recorded per step. */
#define MAX_PAUSES 2000
/* Hops recorded per step. */
#define MAX_EVENTS 1000
/* Frames whose locals the census searches for generators: enough for any
 * lesson, bounded for a heap of a hundred thousand. */
#define LOCALS_BUDGET 1000
/* Functions listed in a summary. */
#define MAX_FUNCTIONS 20

struct engine {
	engine_options opts;
	bool line_stepping;
	char *program_name;     /* the file code steps are compiled under */
	int capture_fd;         /* where file descriptors 1 and 2 point while
	                           lesson code may run (an unlinked temporary
	                           file), or -1 */
	int stream_fd[3];       /* the program's stdin, stdout and stderr
	                           (stdio_own_fd), watched, or -1 */
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
	bool loop_pausing;      /* engine_set_loop_pauses */
	PyObject *loop_pauses;  /* the step's callback pauses when not line
	                           stepping (then they go to pauses), or NULL */
	size_t nloop_pauses;    /* callback pauses recorded in the step */
	double loop_pause_seconds; /* time spent recording them */
	bool loop_pauses_capped;
	PyObject *program;      /* the helper's program file name, during a step */
	bool pauses_capped;
	bool events_capped;     /* MAX_EVENTS reached: the hooks are off */
	bool out_of_memory;     /* step_eval could not compile for lack of
	                           memory */
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

/* The engine running, or NULL (defined in engine.c). */
extern engine *the_engine;

/* ---- Watchdog: time limits and Ctrl-C (engine_watchdog.c) --------------------
 * A thread that stops a step that works too long, and delivers Ctrl-C, by
 * the kick signal and a pending call (see the file's head).
 */

/* Start the watchdog's thread, once; dog_stop ends it (from engine_free,
 * holding the GIL). */
void dog_start(void);
void dog_stop(void);

/* Give the code about to run seconds; dog_disarm takes the limit off. */
void dog_arm(double seconds);
void dog_disarm(void);

/* The engine's own work after a step begins (on) or ends (off, which also
 * disarms): only each call into lesson code the helper makes through
 * _guard gets a limit meanwhile. */
void dog_work(bool on);

/* Whether the watchdog set its last-resort trace function in this step
 * (the step swallowed StepTimeout again and again). */
bool dog_last_resort(void);

/* Whether f is the watchdog's last-resort trace function. */
bool dog_own_tracer(Py_tracefunc f);

/* The kick signal's Python-level handler, and the helper's _guard(on). */
extern PyMethodDef dog_kick_def;
extern PyMethodDef dog_guard_def;

/* ---- Hooks: the hops of a step, line stepping (engine_hooks*.c) --------------
 * sys.monitoring on 3.12 and later, a C profile and trace function on
 * 3.11; every hop of a generator frame becomes a record of plain data in
 * e->raw, and with line stepping a pause in e->pauses.
 */

/* Once, after the helper loaded / before Py_FinalizeEx. hooks_setup
 * returns 0, or -1 with an exception set. */
int hooks_setup(void);
void hooks_teardown(void);

/* Recording on for the step / off. Both keep the exception set. */
void hooks_on(void);
void hooks_off(void);

/* Line stepping's line events on for the step (3.12 and later; on 3.11
 * hooks_on sets them). */
void hooks_lines_on(void);

/* Line events on again in every frame on the stack, for a trace function
 * that needs them (the watchdog's last resort). */
void hooks_lines_back(void);

/* Drop what the 3.11 hooks remember between events (nothing on 3.12). */
void hooks_forget(engine *e);

/* Whether the step's hooks are still the ones hooks_on set: on 3.11 a
 * profile function of the lesson's may have taken their place, and they
 * then no longer list every frame that ran. Call before hooks_off. */
bool hooks_intact(void);

/* The (name, value) pairs of frame's local variables (a new list), or NULL
 * with an exception set. Reading them keeps none of them alive: before
 * 3.13 the frame's f_locals dict is emptied again when nothing else holds
 * it (engine_census_walk.c). */
PyObject *census_frame_locals(PyObject *frame);

/* The helper's _frame_locals(frame): census_frame_locals. */
extern PyMethodDef census_frame_locals_def;

/* A close() of gen begins (hooks_closing) and ends (hooks_closed): the
 * frames it runs count the delegators it closes through in their depth.
 * The census's close wrappers call them; finalizers are wrapped in
 * engine_hooks_close.c. */
void hooks_closing(PyObject *gen);
void hooks_closed(void);

/* The helper's _gen_of(frame). */
extern PyMethodDef hooks_gen_of_def;

/* ---- Descriptors: output capture and the engine's own (engine_fds.c) ---------
 * Whenever lesson code may run, descriptors 1 and 2 point to a capture
 * file and 0 to /dev/null; the engine's own descriptors are checked after
 * every call (see the file's head).
 */

/* Before the interpreter starts: open the engine's descriptors.
 * fds_close closes them. */
void fds_open(engine *e);
void fds_close(engine *e);

/* Around every engine call that may run lesson code. fds_enter returns -1
 * when the engine is broken (the call must fail at once); fds_leave gives
 * back rc, or ENGINE_FAILED when the call broke the engine. */
int fds_enter(engine *e);
int fds_leave(engine *e, int rc);

/* What reached descriptors 1 and 2 in the step, at most the output cap,
 * appended to out->output; the capture file is emptied. */
void fds_collect(engine *e, snap_step *out);

/* From the watchdog: cut what lies far past the output cap. */
void fds_trim(engine *e);

/* engine_free's: before the interpreter ends, descriptors 0, 1 and 2 to
 * /dev/null, where they stay; after it ended, the program's working
 * directory back and the engine's descriptors closed. */
void fds_mute(engine *e);
void fds_final(engine *e);

/* ---- Conversions: Python values as plain C (engine_convert.c) ----------------
 * The list ones take a borrowed list of the helper's tuples and return 0,
 * or -1 when out of memory or a string could not be copied; what they
 * filled in so far stays for snap_step_clear.
 */

/* A copy of a Python str (or NULL for None/NULL); *ok turns false on
 * failure. */
char *conv_str(PyObject *s, bool *ok);

/* An int as a C int; -1 for what is not one. */
int conv_int(PyObject *o);

/* The helper's card tuples (see snapshot()) as snap_gens. */
int conv_gens(PyObject *list, snap_gen **out, size_t *count);

/* The pauses of a line-stepped step, or a step's callback pauses: each a
 * (pause, records) pair, pause as the helper's pause() or loop_pause()
 * gives it, records the hop records of the step made by then
 * (conv_add_pause). Each pause's hops holds that count until
 * conv_pause_hops turns it into a count of events. */
int conv_pauses(PyObject *list, snap_step *out);

/* Append pause (a new reference, taken; NULL does nothing) to list with
 * the number of e's hop records so far. */
void conv_add_pause(engine *e, PyObject *list, PyObject *pause);

/* Fill out->events from the helper's event tuples (see events()). */
int conv_events(PyObject *list, snap_step *out);

/* Each of out's pauses' hops from a count of hop records to how many of
 * the events (the helper's tuples, list) come from the records before:
 * the hops that had happened. */
void conv_pause_hops(PyObject *events, snap_step *out);

/* The exception now set, normalized, with its traceback attached; the
 * error indicator is cleared. NULL when none is set. */
PyObject *conv_take_exception(void);

/* ---- Steps: running lesson code (engine_step.c) ------------------------------ */

/* Around the engine's own Python work on the lesson's objects (reprs,
 * cards): the builtins the engine was started with, and the watchdog.
 * step_work_begin returns what step_work_end needs. */
PyObject *step_work_begin(engine *e);
void step_work_end(engine *e, PyObject *saved);

/* Evaluate an expression typed by the learner or written in the lesson in
 * the lesson's namespace: a new reference, or NULL with an exception set
 * (e->out_of_memory set when compiling it ran out of memory). */
PyObject *step_eval(engine *e, const char *source);

/* ---- asyncio (engine_asyncio.c) -------------------------------------------- */

/* Ask the helper for the tasks of the event loops the step used or left
 * open (the first max_cards of them, as for generators), and that loop's
 * ready queue and timers, into out->loop_used, loop_time, tasks, ready,
 * timers and loop_label (left as they are when no loop ran and none is
 * open). Returns 0, or -1 with a Python exception set. */
int asyncio_snapshot(engine *e, snap_step *out);

/* Also the step's callback pauses, when not line stepping: into
 * out->pauses (their note, past MAX_LOOP_PAUSES, into out->note). */

/* At the start of a step: no callback pause yet. */
void asyncio_step_begin(engine *e);

/* Let go of the rows of the last snapshot asyncio_snapshot keeps (before
 * the interpreter ends). */
void asyncio_forget(void);

/* The helper's _watch_cancels(Task): each cancel() and uncancel() of a
 * task marks it, to be described anew. */
extern PyMethodDef asyncio_watch_cancels_def;

/* The helper's _loop_pause(ready): a callback pause of the loop whose
 * ready queue that is, about to hand out ready[0] (engine_helper.py's
 * _ReadyQueue.popleft). */
extern PyMethodDef asyncio_loop_pause_def;

/* The loop part of a callback pause (the helper's loop_pause()) into
 * p->loop. Returns 0, or -1 when out of memory. */
int asyncio_conv_loop(PyObject *loop, snap_pause *p);

/* engine_drive of an event loop's drive (DRIVE_ON_LOOP): the statement
 * it stands for, run as the learner would type it. */
int asyncio_drive(engine *e, const lesson_drive *d, snap_step *out);

#endif
