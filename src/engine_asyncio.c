/* engine_asyncio.c: the asyncio tasks of a step, and the loop's ready
 * queue and timers, from the helper's Python half (the virtual clock, the
 * stepping loop and the task watch at the end of engine_helper.py) into
 * plain C data; and the callback pauses, the loop as it hands out each
 * callback while a statement runs it. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "engine_int.h"
#include "util.h"

/* A copy of a str item, NULL for None; *ok turns false on failure. */
static char *text_of(PyObject *s, bool *ok)
{
	const char *utf8;
	Py_ssize_t n;
	char *copy;

	if (s == Py_None)
		return NULL;
	utf8 = PyUnicode_Check(s) ? PyUnicode_AsUTF8AndSize(s, &n) : NULL;
	if (!utf8) {
		PyErr_Clear();
		*ok = false;
		return NULL;
	}
	copy = ys_strndup(utf8, (size_t)n);
	if (!copy)
		*ok = false;
	return copy;
}

/* An id() as the snapshot keeps it. */
static unsigned long long id_of(PyObject *n)
{
	unsigned long long id = PyLong_AsUnsignedLongLong(n);

	if (id == (unsigned long long)-1 && PyErr_Occurred()) {
		PyErr_Clear();
		return 0;
	}
	return id;
}

/* n callbacks from (callback, task) tuples, or (when, callback, task)
 * ones for timers (and blocking callbacks: when is their seconds). */
static snap_callback *convert_callbacks(PyObject *list, bool timers,
                                        size_t *n, bool *ok)
{
	Py_ssize_t i, len = PyList_GET_SIZE(list);
	snap_callback *c = len ? ys_calloc((size_t)len, sizeof *c) : NULL;

	*n = 0;
	if (len && !c) {
		*ok = false;
		return NULL;
	}
	for (i = 0; i < len; i++) {
		PyObject *item = PyList_GET_ITEM(list, i);
		int at = timers ? 1 : 0;

		if (timers) {
			c[i].when = PyFloat_AsDouble(PyTuple_GET_ITEM(item, 0));
			if (c[i].when == -1.0 && PyErr_Occurred())
				PyErr_Clear();
		}
		c[i].callback = text_of(PyTuple_GET_ITEM(item, at), ok);
		c[i].task = text_of(PyTuple_GET_ITEM(item, at + 1), ok);
		*n = (size_t)i + 1;
	}
	return c;
}

/* Bytes a str item takes in a task's block, its text and a NUL; 0 for
 * None. *ok turns false when it is neither. */
static size_t text_size(PyObject *s, bool *ok)
{
	Py_ssize_t n;

	if (s == Py_None)
		return 0;
	if (!PyUnicode_Check(s) || !PyUnicode_AsUTF8AndSize(s, &n)) {
		PyErr_Clear();
		*ok = false;
		return 0;
	}
	return (size_t)n + 1;
}

/* A copy of a str item that text_size measured, at *at, which moves past
 * it; NULL for None. */
static char *text_at(PyObject *s, char **at)
{
	Py_ssize_t n;
	const char *utf8;
	char *copy = *at;

	if (s == Py_None)
		return NULL;
	utf8 = PyUnicode_AsUTF8AndSize(s, &n);  /* kept by the str since */
	memcpy(copy, utf8, (size_t)n);
	copy[n] = '\0';
	*at += n + 1;
	return copy;
}

/* The string items of a task's tuple: name, state, waits, result,
 * exception, label. */
static const int task_texts[] = { 0, 1, 3, 4, 5, 6 };
#define TASK_TEXTS (sizeof task_texts / sizeof *task_texts)

/* st from the helper's (name, state, hops, waits, result, exception,
 * label, id, coroutine id) tuple, hops (kind, function, filename, line,
 * id) tuples, in one
 * allocation (st->block): a snapshot lists up to max_cards tasks, and
 * one malloc a task instead of one a string is most of what converting
 * them costs. Returns the block's size, 0 when *ok turned false. */
static size_t convert_task(PyObject *t, snap_task *st, bool *ok)
{
	PyObject *hops = PyTuple_GET_ITEM(t, 2);
	Py_ssize_t i, nhops = PyList_GET_SIZE(hops);
	size_t size = (size_t)nhops * sizeof *st->hops, k;
	char *at;

	for (k = 0; k < TASK_TEXTS; k++)
		size += text_size(PyTuple_GET_ITEM(t, task_texts[k]), ok);
	for (i = 0; i < nhops; i++)
		for (k = 0; k < 3; k++)
			size += text_size(PyTuple_GET_ITEM(PyList_GET_ITEM(hops, i), k), ok);
	st->block = *ok ? ys_malloc(size) : NULL;
	if (!st->block) {
		*ok = false;
		return 0;
	}
	/* The hops first, where malloc's alignment holds for them. */
	st->hops = nhops ? st->block : NULL;
	at = (char *)st->block + (size_t)nhops * sizeof *st->hops;
	st->name = text_at(PyTuple_GET_ITEM(t, 0), &at);
	st->state = text_at(PyTuple_GET_ITEM(t, 1), &at);
	st->waits = text_at(PyTuple_GET_ITEM(t, 3), &at);
	st->result = text_at(PyTuple_GET_ITEM(t, 4), &at);
	st->exception = text_at(PyTuple_GET_ITEM(t, 5), &at);
	st->label = text_at(PyTuple_GET_ITEM(t, 6), &at);
	st->id = id_of(PyTuple_GET_ITEM(t, 7));
	st->coro_id = PyTuple_GET_SIZE(t) > 8 ? id_of(PyTuple_GET_ITEM(t, 8)) : 0;
	for (i = 0; i < nhops; i++) {
		PyObject *h = PyList_GET_ITEM(hops, i);
		snap_hop *hop = &st->hops[i];
		long line = PyLong_AsLong(PyTuple_GET_ITEM(h, 3));

		if (line == -1 && PyErr_Occurred())
			PyErr_Clear();
		hop->kind = text_at(PyTuple_GET_ITEM(h, 0), &at);
		hop->function = text_at(PyTuple_GET_ITEM(h, 1), &at);
		hop->filename = text_at(PyTuple_GET_ITEM(h, 2), &at);
		hop->line = (int)line;
		hop->id = id_of(PyTuple_GET_ITEM(h, 4));
	}
	st->nhops = (size_t)nhops;
	return size;
}

/* Tasks from the helper's tuples (see convert_task); *n of them converted. */
static snap_task *convert_tasks(PyObject *tasks, size_t *n, bool *ok)
{
	Py_ssize_t i, len = PyList_GET_SIZE(tasks);
	snap_task *out = len ? ys_calloc((size_t)len, sizeof *out) : NULL;

	*n = 0;
	if (len && !out)
		*ok = false;
	for (i = 0; *ok && i < len; i++) {
		*n = (size_t)i + 1;
		convert_task(PyList_GET_ITEM(tasks, i), &out[i], ok);
	}
	return out;
}

/* ---- cancel() of a task ---------------------------------------------------
 * A cancel() asked of a task whose step is queued only sets its
 * _must_cancel: nothing the loop does shows it until that step runs. So
 * the methods of _asyncio.Task that change the flag, cancel() and
 * uncancel() (3.13's clears it), mark the task as a callback of the ready
 * queue that resumes it does (engine_helper.py's _ReadyQueue: the clock's
 * marks, the tasks to describe anew), and a snapshot need not read the
 * flag of every task it lists. In C: no frame of the engine's for the
 * lesson's own trace function to see. */
/* A METH_FASTCALL | METH_KEYWORDS method (3.13 names the type). */
typedef PyObject *(*fast_keywords)(PyObject *, PyObject *const *, Py_ssize_t,
                                   PyObject *);

static PyCFunction real_cancel, real_uncancel;

/* id(task) into the marks of its loop's ready queue, when that loop is
 * one of the engine's (another has no marks: nothing to do). */
static void note_cancel(PyObject *task)
{
	PyObject *loop = PyObject_GetAttrString(task, "_loop");
	PyObject *ready = loop ? PyObject_GetAttrString(loop, "_ready") : NULL;
	PyObject *marks = ready ? PyObject_GetAttrString(ready, "marks") : NULL;
	PyObject *id = marks && PySet_Check(marks) ? PyLong_FromVoidPtr(task) : NULL;

	/* A failed note costs the mark only, never the lesson's cancel(). */
	if (!id || PySet_Add(marks, id) < 0)
		PyErr_Clear();
	Py_XDECREF(id);
	Py_XDECREF(marks);
	Py_XDECREF(ready);
	Py_XDECREF(loop);
}

static PyObject *cancel_mine(PyObject *self, PyObject *const *args,
                             Py_ssize_t nargs, PyObject *kwnames)
{
	note_cancel(self);
	return ((fast_keywords)(void (*)(void))real_cancel)(
		self, args, nargs, kwnames);
}

static PyObject *uncancel_mine(PyObject *self, PyObject *unused)
{
	note_cancel(self);
	return real_uncancel(self, unused);
}

/* Whether type's method name calls mine. */
static bool calls(PyTypeObject *type, const char *name, PyCFunction mine)
{
	PyObject *key = PyUnicode_InternFromString(name);
	PyObject *d = key ? _PyType_Lookup(type, key) : NULL;   /* borrowed */

	Py_XDECREF(key);
	PyErr_Clear();
	return d && Py_IS_TYPE(d, &PyMethodDescr_Type) &&
	       ((PyMethodDescrObject *)d)->d_method->ml_meth == mine;
}

/* yieldscope._watch_cancels(Task), for the helper: from now on each
 * cancel() and uncancel() of a Task (of the C type Task) marks it. True
 * when both are watched; False when this CPython's Task is not the C one
 * the engine knows, and the helper must read the flags. */
static PyObject *watch_cancels(PyObject *self, PyObject *arg)
{
	PyCFunction mine = (PyCFunction)(void (*)(void))cancel_mine, real;
	PyTypeObject *type;

	if (!PyType_Check(arg)) {
		PyErr_SetString(PyExc_TypeError, "_watch_cancels(Task)");
		return NULL;
	}
	type = (PyTypeObject *)arg;
	/* Each method is wrapped once for the process: the C type is the same
	 * whenever the lesson imports asyncio afresh. */
	if (!real_cancel &&
	    (real = engine_wrap_method(type, "cancel", METH_FASTCALL | METH_KEYWORDS,
	                               mine)))
		real_cancel = real;
	if (!real_uncancel &&
	    (real = engine_wrap_method(type, "uncancel", METH_NOARGS, uncancel_mine)))
		real_uncancel = real;
	return PyBool_FromLong(calls(type, "cancel", mine) &&
	                       calls(type, "uncancel", uncancel_mine));
}

PyMethodDef asyncio_watch_cancels_def = { "_watch_cancels", watch_cancels,
                                          METH_O, NULL };

/* ---- The rows of the last snapshot ----------------------------------------
 * The helper gives the row of a task that did not change since the last
 * snapshot as the very same tuple (_AsyncioWatch.listed), so a row found
 * again at its place is copied from its conversion, kept here, one block,
 * not read from Python again: reading a row touches eight objects or so,
 * spread over a loop's heap of ten thousand tasks, and that was most of
 * what a listing of 200 cost beyond one of 10. A kept row holds strings
 * and numbers only, never a lesson object. */
typedef struct {
	PyObject *row;          /* the helper's tuple (a reference) */
	snap_task task;         /* its conversion; task.block is kept's own */
	size_t size;            /* task.block's size */
} kept_row;

static kept_row *kept;
static size_t nkept;

static char *moved(const char *p, const void *from, void *to)
{
	return p ? (char *)to + (p - (const char *)from) : NULL;
}

/* dst a copy of src, a task converted in one block of size bytes. */
static void copy_task(const snap_task *src, size_t size, snap_task *dst, bool *ok)
{
	size_t j;

	*dst = *src;
	dst->block = ys_malloc(size);
	if (!dst->block) {
		memset(dst, 0, sizeof *dst);
		*ok = false;
		return;
	}
	memcpy(dst->block, src->block, size);
	dst->hops = src->hops ? dst->block : NULL;
	dst->name = moved(src->name, src->block, dst->block);
	dst->state = moved(src->state, src->block, dst->block);
	dst->waits = moved(src->waits, src->block, dst->block);
	dst->result = moved(src->result, src->block, dst->block);
	dst->exception = moved(src->exception, src->block, dst->block);
	dst->label = moved(src->label, src->block, dst->block);
	for (j = 0; j < src->nhops; j++) {
		dst->hops[j].kind = moved(src->hops[j].kind, src->block, dst->block);
		dst->hops[j].function = moved(src->hops[j].function, src->block, dst->block);
		dst->hops[j].filename = moved(src->hops[j].filename, src->block, dst->block);
	}
}

static void drop_kept(kept_row *k, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		Py_XDECREF(k[i].row);
		ys_free(k[i].task.block);
	}
	ys_free(k);
}

static void forget_rows(void)
{
	drop_kept(kept, nkept);
	kept = NULL;
	nkept = 0;
}

void asyncio_forget(void)
{
	forget_rows();
}

/* The snapshot's tasks, as convert_tasks gives them, each row the last
 * snapshot had at the same place copied from its conversion. The rows
 * are kept for the next one (none when memory ran out). */
static snap_task *convert_listed(PyObject *tasks, size_t *n, bool *ok)
{
	Py_ssize_t i, len = PyList_GET_SIZE(tasks);
	snap_task *out = len ? ys_calloc((size_t)len, sizeof *out) : NULL;
	kept_row *now = len ? ys_calloc((size_t)len, sizeof *now) : NULL;

	*n = 0;
	if (len && (!out || !now)) {
		ys_free(now);
		*ok = false;
		return out;
	}
	for (i = 0; *ok && i < len; i++) {
		PyObject *row = PyList_GET_ITEM(tasks, i);
		kept_row *k = &now[i];

		*n = (size_t)i + 1;
		if ((size_t)i < nkept && kept[i].row == row) {
			/* Taken over: the old list forgets it. */
			*k = kept[i];
			memset(&kept[i], 0, sizeof kept[i]);
		} else {
			k->size = convert_task(row, &k->task, ok);
			if (!*ok)
				break;
			k->row = Py_NewRef(row);
		}
		copy_task(&k->task, k->size, &out[i], ok);
	}
	forget_rows();
	if (*ok) {
		kept = now;
		nkept = (size_t)len;
	} else {
		drop_kept(now, (size_t)len);
	}
	return out;
}

/* The helper's (pending, running, done, cancelled, failed) counts. */
static void convert_states(PyObject *tuple, size_t *states)
{
	Py_ssize_t i;

	for (i = 0; i < SNAP_TASKS_NSTATES && i < PyTuple_GET_SIZE(tuple); i++)
		states[i] = (size_t)PyLong_AsSsize_t(PyTuple_GET_ITEM(tuple, i));
	PyErr_Clear();
}

/* ---- Callback pauses ----------------------------------------------------- */

/* Callbacks paused at per step. A pause costs a census and what the Tasks
 * section lists, not what the loop holds; but a census walks the heap, so
 * a program holding a million generators would spend its step's time
 * limit on them: past LOOP_PAUSE_SECONDS of recording, no more pauses.
 * The thread's CPU time, not the wall clock: what is recorded should not
 * depend on what else the machine runs. */
#define MAX_LOOP_PAUSES 1000
#define LOOP_PAUSE_SECONDS 0.5

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void engine_set_loop_pauses(engine *e, bool on)
{
	e->loop_pausing = on;
}

void asyncio_step_begin(engine *e)
{
	/* Line stepping pauses at callbacks too: it shows everything that
	 * happens inside a step. */
	bool on = e->opts.snapshots && (e->loop_pausing || e->line_stepping);

	if (PyObject_SetAttrString(e->helper, "loop_pausing", on ? Py_True : Py_False) < 0)
		PyErr_Clear();
	Py_CLEAR(e->loop_pauses);
	e->nloop_pauses = 0;
	e->loop_pauses_capped = false;
	e->loop_pause_seconds = 0;
}

/* _loop_pause(ready): the census now, then the helper's loop_pause(),
 * appended to the step's pauses (line stepping's list when it is on, so
 * that both come in the order they happened). Past the cap, a note. An
 * exception that stops the step (its time limit, Ctrl-C) goes on into
 * the loop; any other failure costs this pause only. */
static PyObject *loop_pause(PyObject *self, PyObject *ready)
{
	engine *e = the_engine;
	PyObject *entries, *p, *list;
	double start;
	census *c;

	(void)self;
	if (!e || !e->opts.snapshots)
		Py_RETURN_NONE;
	if (e->nloop_pauses >= MAX_LOOP_PAUSES ||
	    (e->pauses && PyList_GET_SIZE(e->pauses) >= MAX_PAUSES) ||
	    e->loop_pause_seconds >= LOOP_PAUSE_SECONDS) {
		e->loop_pauses_capped = true;
		Py_RETURN_NONE;
	}
	start = now_seconds();
	if (!e->pauses && !e->loop_pauses && !(e->loop_pauses = PyList_New(0))) {
		PyErr_Clear();
		Py_RETURN_NONE;
	}
	list = e->pauses ? e->pauses : e->loop_pauses;
	c = census_take(e->ns, e->gen_types, e->deque_type, LOCALS_BUDGET, NULL);
	entries = c ? census_entries(c, 0, e->opts.max_cards) : NULL;
	p = entries ? PyObject_CallMethod(e->helper, "loop_pause", "OO", entries,
	                                  ready) : NULL;
	if (p)
		e->nloop_pauses++;
	conv_add_pause(e, list, p);
	Py_XDECREF(entries);
	census_free(c);
	e->loop_pause_seconds += now_seconds() - start;
	if (PyErr_Occurred() && (PyErr_ExceptionMatches(e->timeout_type) ||
	                         PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)))
		return NULL;
	PyErr_Clear();
	Py_RETURN_NONE;
}

PyMethodDef asyncio_loop_pause_def = { "_loop_pause", loop_pause, METH_O, NULL };

int asyncio_conv_loop(PyObject *t, snap_pause *p)
{
	snap_loop *l = ys_calloc(1, sizeof *l);
	PyObject *next;
	bool ok = true;

	if (!l)
		return -1;
	p->loop = l;
	/* (clock, tasks, total, ready, nready, timers, ntimers, next, next
	 * task id, printed, states, returned): _AsyncioWatch.pause_view();
	 * returned a [count] list filled when the callback returned. */
	l->time = PyFloat_AsDouble(PyTuple_GET_ITEM(t, 0));
	l->tasks = convert_tasks(PyTuple_GET_ITEM(t, 1), &l->ntasks, &ok);
	l->total_tasks = (size_t)PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 2));
	l->ready = convert_callbacks(PyTuple_GET_ITEM(t, 3), false, &l->nready, &ok);
	l->total_ready = (size_t)PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 4));
	l->timers = convert_callbacks(PyTuple_GET_ITEM(t, 5), true, &l->ntimers, &ok);
	l->total_timers = (size_t)PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 6));
	next = PyTuple_GET_ITEM(t, 7);
	l->next.callback = text_of(PyTuple_GET_ITEM(next, 0), &ok);
	l->next.task = text_of(PyTuple_GET_ITEM(next, 1), &ok);
	l->next_task_id = id_of(PyTuple_GET_ITEM(t, 8));
	l->printed = PyLong_AsLong(PyTuple_GET_ITEM(t, 9));
	convert_states(PyTuple_GET_ITEM(t, 10), l->task_states);
	l->returned = -1;
	if (PyTuple_GET_SIZE(t) > 11 && PyList_Check(PyTuple_GET_ITEM(t, 11)) &&
	    PyList_GET_SIZE(PyTuple_GET_ITEM(t, 11)) == 1)
		l->returned = PyLong_AsLong(PyList_GET_ITEM(PyTuple_GET_ITEM(t, 11), 0));
	PyErr_Clear();
	return ok ? 0 : -1;
}

/* The step's callback pauses recorded apart (line stepping off) into
 * out->pauses, and the note of their cap. */
static int take_loop_pauses(engine *e, snap_step *out)
{
	PyObject *list = e->loop_pauses;
	int rc = 0;

	e->loop_pauses = NULL;
	if (list && out->npauses == 0)
		rc = conv_pauses(list, out);
	Py_XDECREF(list);
	if (e->loop_pauses_capped) {
		char *note = ys_asprintf("%s%sonly the first %zu callbacks of this "
		                         "step are paused at", out->note ? out->note : "",
		                         out->note ? "; " : "", e->nloop_pauses);

		ys_free(out->note);
		out->note = note;
	}
	return rc;
}

int asyncio_snapshot(engine *e, snap_step *out)
{
	PyObject *snap, *resumed;
	bool ok = true;

	if (take_loop_pauses(e, out) < 0)
		return -1;
	snap = PyObject_CallMethod(e->helper, "tasks", "(n)",
	                           (Py_ssize_t)e->opts.max_cards);
	if (!snap)
		return -1;
	if (snap == Py_None) {
		Py_DECREF(snap);
		return 0;
	}
	/* (clock, tasks, total, ready, nready, timers, ntimers, loop label,
	 * resumed, blocked, closed): _AsyncioWatch.snapshot() in
	 * engine_helper.py. */
	out->loop_used = true;
	out->loop_time = PyFloat_AsDouble(PyTuple_GET_ITEM(snap, 0));
	out->total_tasks = (size_t)PyLong_AsSsize_t(PyTuple_GET_ITEM(snap, 2));
	out->ready = convert_callbacks(PyTuple_GET_ITEM(snap, 3), false,
	                               &out->nready, &ok);
	out->total_ready = (size_t)PyLong_AsSsize_t(PyTuple_GET_ITEM(snap, 4));
	out->timers = convert_callbacks(PyTuple_GET_ITEM(snap, 5), true,
	                                &out->ntimers, &ok);
	out->total_timers = (size_t)PyLong_AsSsize_t(PyTuple_GET_ITEM(snap, 6));
	out->loop_label = text_of(PyTuple_GET_ITEM(snap, 7), &ok);
	resumed = PyTuple_GET_ITEM(snap, 8);
	if (resumed != Py_None) {
		out->resumed_task = text_of(PyTuple_GET_ITEM(resumed, 0), &ok);
		out->resumed_task_id = id_of(PyTuple_GET_ITEM(resumed, 1));
	}
	/* (seconds, callback, task): read as timers are. */
	out->blocked = convert_callbacks(PyTuple_GET_ITEM(snap, 9), true,
	                                 &out->nblocked, &ok);
	out->loop_closed = PyObject_IsTrue(PyTuple_GET_ITEM(snap, 10)) == 1;
	out->tasks = convert_listed(PyTuple_GET_ITEM(snap, 1), &out->ntasks, &ok);
	convert_states(PyTuple_GET_ITEM(snap, 11), out->task_states);
	Py_DECREF(snap);
	if (!ok && !PyErr_Occurred())
		PyErr_NoMemory();
	return ok ? 0 : -1;
}

int asyncio_drive(engine *e, const lesson_drive *d, snap_step *out)
{
	char *statement = lesson_drive_statement(d);
	int rc;

	if (!statement || !d->target)
		return ys_free(statement), ENGINE_FAILED;
	/* run_one() and run_until_resumes() are methods of yieldscope's loop,
	 * cancel() asyncio's own: the statement does all of it. */
	rc = engine_run_statement(e, statement, out);
	ys_free(statement);
	return rc;
}
