/* engine_asyncio.c: the asyncio tasks of a step, and the loop's ready
 * queue and timers, from the helper's Python half (the virtual clock, the
 * stepping loop and the task watch at the end of engine_helper.py) into
 * plain C data. */
#include "config.h"

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

/* Fill t from (kind, function, filename, line) tuples. */
static void convert_hops(PyObject *list, snap_task *t, bool *ok)
{
	Py_ssize_t i, n = PyList_GET_SIZE(list);

	t->hops = n ? ys_calloc((size_t)n, sizeof *t->hops) : NULL;
	if (n && !t->hops) {
		*ok = false;
		return;
	}
	for (i = 0; i < n; i++) {
		PyObject *h = PyList_GET_ITEM(list, i);
		snap_hop *hop = &t->hops[i];
		long line = PyLong_AsLong(PyTuple_GET_ITEM(h, 3));

		if (line == -1 && PyErr_Occurred())
			PyErr_Clear();
		hop->kind = text_of(PyTuple_GET_ITEM(h, 0), ok);
		hop->function = text_of(PyTuple_GET_ITEM(h, 1), ok);
		hop->filename = text_of(PyTuple_GET_ITEM(h, 2), ok);
		hop->line = (int)line;
		t->nhops = (size_t)i + 1;
	}
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

int asyncio_snapshot(engine *e, snap_step *out)
{
	PyObject *snap = PyObject_CallMethod(e->helper, "tasks", "(n)",
	                                     (Py_ssize_t)e->opts.max_cards);
	PyObject *tasks, *resumed;
	Py_ssize_t i, n;
	bool ok = true;

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
	tasks = PyTuple_GET_ITEM(snap, 1);
	n = PyList_GET_SIZE(tasks);
	out->tasks = n ? ys_calloc((size_t)n, sizeof *out->tasks) : NULL;
	if (n && !out->tasks)
		ok = false;
	for (i = 0; ok && i < n; i++) {
		PyObject *t = PyList_GET_ITEM(tasks, i);
		snap_task *st = &out->tasks[i];

		out->ntasks = (size_t)i + 1;
		st->name = text_of(PyTuple_GET_ITEM(t, 0), &ok);
		st->state = text_of(PyTuple_GET_ITEM(t, 1), &ok);
		convert_hops(PyTuple_GET_ITEM(t, 2), st, &ok);
		st->waits = text_of(PyTuple_GET_ITEM(t, 3), &ok);
		st->result = text_of(PyTuple_GET_ITEM(t, 4), &ok);
		st->exception = text_of(PyTuple_GET_ITEM(t, 5), &ok);
		st->label = text_of(PyTuple_GET_ITEM(t, 6), &ok);
		st->id = id_of(PyTuple_GET_ITEM(t, 7));
	}
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
