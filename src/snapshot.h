/* snapshot.h: plain C data of everything yieldscope shows after a step.
 *
 * A snapshot holds copies of strings only, never a PyObject: the engine
 * builds it, everything else (session, transcript, the panes) reads it.
 * Every string is owned by the struct that holds it and freed by
 * snap_step_clear().
 */
#ifndef YS_SNAPSHOT_H
#define YS_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

/* ---- Generators ------------------------------------------------------ */

typedef enum {
	SNAP_GENERATOR,
	SNAP_COROUTINE,
	SNAP_ASYNC_GENERATOR,
} snap_kind;

/* The four states inspect.getgeneratorstate() names. */
typedef enum {
	SNAP_CREATED,
	SNAP_RUNNING,
	SNAP_SUSPENDED,
	SNAP_CLOSED,
} snap_state;

typedef struct {
	char *name;
	char *repr;             /* capped; see snap_repr_cap in engine.h */
} snap_local;

typedef struct {
	char *label;            /* a Python expression naming it: "t", "dg.gi_yieldfrom" */
	snap_kind kind;
	char *function;         /* the code's qualified name: "tally", "<genexpr>" */
	snap_state state;
	char *filename;         /* co_filename of its code: the lesson's path for
	                           its code steps, "<stdin>" for statements */
	int first_line;         /* co_firstlineno */
	int line;               /* line where it is paused; -1 when closed */
	int lasti;              /* f_lasti in bytes, as CPython reports it; -1 when closed */
	snap_local *locals;
	size_t nlocals;
	char *delegate;         /* label of gi_yieldfrom / cr_await, or NULL */
	unsigned long long id;  /* id() of the object: same object, same id, within a run */
} snap_gen;

/* How many generators run one function. */
typedef struct {
	char *function;
	size_t count;
} snap_count;

/* How many generators wait at one line of one file, cards or not:
 * suspended ones at the line of their function's only yield, created ones
 * at its def line (functions that yield on several lines are not
 * counted). What the Source pane counts. */
typedef struct {
	char *filename;
	int line;
	size_t count;
} snap_place;

/* ---- Events: what happened hop by hop during a step ------------------ */

typedef enum {
	SNAP_EV_RESUME,         /* a frame went onto the stack */
	SNAP_EV_YIELD,          /* it yielded a value and went back to the heap */
	SNAP_EV_RETURN,         /* it returned: the value ends a yield from */
	SNAP_EV_RAISE,          /* an exception left it */
} snap_event_kind;

/* How a frame was resumed, when the engine knows. */
typedef enum {
	SNAP_HOW_UNKNOWN,       /* resumed by lesson code the engine did not drive */
	SNAP_HOW_NEXT,
	SNAP_HOW_SEND,
	SNAP_HOW_THROW,
	SNAP_HOW_CLOSE,
} snap_how;

typedef struct {
	char *label;            /* label of the generator, NULL when it has none */
	char *function;         /* qualified name of its code */
	snap_event_kind event;
	snap_how how;           /* resume events only */
	char *value;            /* repr of what it received, yielded, returned or
	                           raised ("Type: message" for raise); NULL when
	                           not observable */
	int depth;              /* 0 for the frame resumed by the caller, 1 for
	                           the one it delegates to, ... */
	int line;               /* line of the frame at the event, -1 if unknown */
	unsigned long long id;  /* id() of the generator, as in snap_gen: its
	                           label may name another one after the step */
	char *callers;          /* resume events: the ordinary functions of the
	                           lesson between this frame and the generator
	                           frame or step below it, outermost first,
	                           space-separated ("run tick"); NULL when none */
	long printed;           /* characters of the step's output printed
	                           before this hop, -1 when unknown */
	int below;              /* a resume: the line the generator frame right
	                           below calls it from (its await or yield
	                           from), -1 when none or unknown */
	/* The frame's locals at this hop, as its card shows them (a resume:
	 * before it runs; a yield, return or raise: as it leaves), for the
	 * first hops of a step only (has_locals). */
	bool has_locals;
	snap_local *locals;
	size_t nlocals;
} snap_event;

/* ---- Line stepping: the pauses inside one step -------------------------
 * With line stepping on (engine_set_line_stepping), a step also records a
 * pause at every line executed in a generator or coroutine frame and at
 * every hop (resume, yield, return, raise), each with the call stack and
 * every generator as they were at that moment. Without it, npauses is 0
 * and no line tracing runs.
 */

typedef enum {
	SNAP_PAUSE_LINE,        /* about to run a line of the running frame */
	SNAP_PAUSE_RESUME,      /* a generator frame went onto the stack */
	SNAP_PAUSE_YIELD,       /* it yielded value and is leaving the stack */
	SNAP_PAUSE_RETURN,      /* it returned value */
	SNAP_PAUSE_RAISE,       /* an exception is leaving it */
	SNAP_PAUSE_CALLBACK,    /* an event loop hands out its next callback
	                           (see snap_loop): no stack */
} snap_pause_kind;

/* A frame on the call stack. */
typedef struct {
	char *function;         /* qualified name; "<module>" for the step */
	char *label;            /* the generator's label when it is one, else NULL */
	char *filename;
	int line;
	bool generator;         /* a generator or coroutine frame */
	snap_local *locals;
	size_t nlocals;
} snap_frame;

typedef struct {
	snap_pause_kind kind;
	char *value;            /* yielded, returned or raised ("Type: message"),
	                           or NULL */
	snap_frame *stack;      /* outermost first; the last one is running */
	size_t nstack;
	snap_gen *gens;         /* every generator then; those on the stack
	                           have state SNAP_RUNNING */
	size_t ngens;
	struct snap_loop *loop; /* SNAP_PAUSE_CALLBACK: the loop then; else NULL */
	size_t hops;            /* how many of the step's events had happened
	                           then (a hop's pause: its own included) */
} snap_pause;

/* ---- asyncio: the tasks of the loop a step used ------------------------ */

/* One hop of a task's await chain. */
typedef struct {
	char *kind;             /* "coroutine", "generator", "async_generator",
	                           "future" or "task" */
	char *function;         /* qualified name; a future's type, a task's name */
	char *filename;         /* NULL for a future or task */
	int line;               /* -1 when unknown */
	unsigned long long id;  /* id() of the object: a generator's is the
	                           one its hops carry (snap_event.id) */
} snap_hop;

typedef struct {
	char *name;             /* task.get_name() */
	char *state;            /* "pending", "running", "done", "cancelled" */
	snap_hop *hops;         /* its await chain, the task's coroutine first */
	size_t nhops;
	char *waits;            /* what a pending task waits for, in words, or NULL */
	char *result;           /* repr of the result when done, or NULL */
	char *exception;        /* "Type: message" when it raised, or NULL */
	char *label;            /* Python naming it in the lesson's namespace
	                           ("slow", "tasks[2]"), or NULL */
	unsigned long long id;  /* id() of the task: same task, same id, within a run */
	unsigned long long coro_id; /* id() of its coroutine, as the step's hops
	                           carry it (snap_event.id); 0 when not known */
	void *block;            /* when set, hops and the strings above are in
	                           it, one allocation (the engine's); NULL when
	                           each is its own (a copy's) */
} snap_task;

/* A callback of the loop's ready queue, a pending timer, or a callback
 * that blocked the loop. */
typedef struct {
	double when;            /* a timer's deadline on the loop's clock; for
	                           a blocking callback, the real seconds it
	                           ran, rounded to 0.1 */
	char *callback;         /* "Task.__step", "Task.__wakeup", or the
	                           callback's qualified name */
	char *task;             /* the task it resumes or wakes, or NULL */
} snap_callback;

/* How many tasks are in each state: pending, running, done (with a result
 * or an exception), cancelled; and, of the done ones, how many raised. */
enum { SNAP_TASKS_PENDING, SNAP_TASKS_RUNNING, SNAP_TASKS_DONE,
       SNAP_TASKS_CANCELLED, SNAP_TASKS_FAILED, SNAP_TASKS_NSTATES };

/* A callback pause: while a statement runs one of yieldscope's loops
 * (asyncio.run, run_until_complete, run_forever), the loop as it hands
 * out a callback, before the callback runs. Recorded for the statements
 * the engine is told to (engine_set_loop_pauses), at most the first
 * 1,000 callbacks of a step (fewer when recording takes 0.5 s). */
typedef struct snap_loop {
	double time;            /* the loop's clock */
	snap_callback next;     /* the callback about to run (when unused) */
	unsigned long long next_task_id; /* id() of the task it resumes (its
	                           __step or __wakeup), 0 for none */
	long printed;           /* characters the step had printed by then */
	long returned;          /* characters printed when the callback
	                           returned, -1 when not known (what the
	                           statement prints after the loop is not
	                           the last callback's) */
	snap_task *tasks;       /* its first tasks, in the order made; a task
	                           no Python names has its name as label: it
	                           selects the task on screen, it runs nothing */
	size_t ntasks, total_tasks;
	size_t task_states[SNAP_TASKS_NSTATES];
	snap_callback *ready;   /* the ready queue, the callback about to run first */
	size_t nready, total_ready;
	snap_callback *timers;
	size_t ntimers, total_timers;
} snap_loop;

/* ---- One step's result ----------------------------------------------- */

typedef struct {
	char *output;           /* everything printed, in order, echoes included */
	bool output_capped;     /* output went past the cap and was cut */
	char *value;            /* repr of the echoed value, or NULL */
	char *exception;        /* "Type: message", or NULL */
	char *traceback;        /* the full text CPython prints, or NULL */
	char *note;             /* an engine message, e.g. a stopped runaway step */
	int exception_line;     /* line of a SyntaxError or of the innermost
	                           lesson frame, -1 when unknown */

	/* Cards: the first generators found, at most engine_options.max_cards;
	 * engine_cards() gives any others. */
	snap_gen *gens;
	size_t ngens;
	/* Summary of every generator found, cards or not. */
	size_t total_gens;
	size_t state_counts[4];         /* by snap_state */
	snap_count *by_function;        /* most common first */
	size_t nby_function;
	snap_place *by_line;            /* in no particular order */
	size_t nby_line;

	snap_event *events;
	size_t nevents;
	snap_pause *pauses;     /* line stepping only */
	size_t npauses;

	/* asyncio: set when the step used an event loop (always one on
	 * yieldscope's virtual clock). */
	bool loop_used;
	double loop_time;       /* the loop's clock after the step, seconds */
	snap_task *tasks;       /* its first tasks, in the order they were made */
	size_t ntasks;
	size_t total_tasks;     /* how many tasks, listed or not */
	size_t task_states[SNAP_TASKS_NSTATES]; /* those tasks by state */
	char *loop_label;       /* Python naming that loop, or NULL */
	snap_callback *ready;   /* its ready queue's first callbacks, in order */
	size_t nready, total_ready;
	snap_callback *timers;  /* its first pending timers, by deadline */
	size_t ntimers, total_timers;
	/* The first task a callback of the step's loop resumed (its __step or
	 * __wakeup): its name then, NULL when none, and its id(). */
	char *resumed_task;
	unsigned long long resumed_task_id;
	/* The step's callbacks that ran loop.slow_callback_duration of real
	 * time or more (asyncio's debug-mode threshold), in the order run. */
	snap_callback *blocked;
	size_t nblocked;
	bool loop_closed;       /* that loop is closed after the step */
} snap_step;

/* "line", "resume", "yield", "return", "raise", "callback". */
const char *snap_pause_name(snap_pause_kind kind);

/* Name of a kind: "generator", "coroutine", "async_generator". */
const char *snap_kind_name(snap_kind kind);

/* The name inspect gives a state for that kind: GEN_SUSPENDED,
 * CORO_SUSPENDED, AGEN_SUSPENDED, ... */
const char *snap_state_name(snap_kind kind, snap_state state);

/* The state word alone: "created", "running", "suspended", "closed". */
const char *snap_state_word(snap_state state);

/* "resume", "yield", "return", "raise". */
const char *snap_event_name(snap_event_kind ev);

/* "next", "send", "throw", "close", or NULL for SNAP_HOW_UNKNOWN. */
const char *snap_how_name(snap_how how);

/* Point st's asyncio fields at the loop of a callback pause (borrowed:
 * st must not be cleared), as if a step had left the loop so. */
void snap_loop_borrow(const snap_loop *l, snap_step *st);

/* How many of st's pauses from the from-th on are callback pauses (with
 * their loop). */
size_t snap_callback_pauses(const snap_step *st, size_t from);
/* Find a generator by label; NULL when absent. */
const snap_gen *snap_find(const snap_step *st, const char *label);
/* The listed asyncio task whose label is label, or NULL. */
const snap_task *snap_find_task(const snap_step *st, const char *label);

/* Deep-copy src into dst (dst's old content is not freed).
 * Returns 0, or -1 when out of memory (dst is then cleared). */
int snap_step_copy(snap_step *dst, const snap_step *src);

/* Free everything st holds and zero it. Safe on a zeroed struct. */
void snap_step_clear(snap_step *st);

#endif
