/* engine_census_watch.c: the deaths and resumes of counted generators
 * that no step hook sees mark the census stale. */
#include "engine_census_int.h"

#include "config.h"

/* ---- Deaths and resumes outside the census' sight ---------------------------------
 * The census in use is "watched": the deallocators of the three generator
 * types are wrapped once, and the death of a generator it counts marks it
 * stale. Between steps a profile function does the same for a counted
 * generator whose frame runs (a repr that calls next()): no step hook
 * sees that.
 */
static census *watched;
static destructor real_dealloc[3];

static void note(PyObject *gen)
{
	if (watched && !watched->stale && census_find(watched, gen) >= 0)
		watched->stale = true;
}

#define DEALLOC(name, k) \
	static void name(PyObject *o) \
	{ \
		note(o); \
		real_dealloc[k](o); \
	}
DEALLOC(dealloc_gen, 0)
DEALLOC(dealloc_coro, 1)
DEALLOC(dealloc_agen, 2)

static void watch_deaths(void)
{
	static const destructor mine[3] = { dealloc_gen, dealloc_coro, dealloc_agen };
	int k;

	for (k = 0; k < 3; k++) {
		PyTypeObject *t = (PyTypeObject *)census_kind_types[k];

		if (t && t->tp_dealloc != mine[k]) {
			real_dealloc[k] = t->tp_dealloc;
			t->tp_dealloc = mine[k];
		}
	}
}

/* close() of a suspended generator paused outside any try ends it
 * without running its frame from CPython 3.13: no hook sees it. So the
 * close methods of generators and coroutines are wrapped too; during a
 * step a close counts as a run (census_ran), between steps it marks the
 * census stale. The hooks are told of it too (hooks_closing), for the
 * depths of the frames it runs. */
static PyCFunction real_close[2];

static void note_close(PyObject *gen)
{
	census *c = watched;
	long i;

	if (!c || c->stale || (i = census_find(c, gen)) < 0)
		return;
	if (c->held)
		c->stale = true;
	else
		census_ran_index(c, i);
}

static PyObject *close_kind(PyObject *self, PyObject *unused, int k)
{
	PyObject *r;

	note_close(self);
	hooks_closing(self);
	r = real_close[k](self, unused);
	hooks_closed();
	return r;
}

static PyObject *close_gen(PyObject *self, PyObject *unused)
{
	return close_kind(self, unused, 0);
}

static PyObject *close_coro(PyObject *self, PyObject *unused)
{
	return close_kind(self, unused, 1);
}

static int watch_closes(void)
{
	static const PyCFunction mine[2] = { close_gen, close_coro };
	int k;

	for (k = 0; k < 2; k++) {
		PyCFunction real = census_kind_types[k] ?
			engine_wrap_method((PyTypeObject *)census_kind_types[k], "close",
			                   METH_NOARGS, mine[k]) : NULL;

		if (real)
			real_close[k] = real;
	}
	return 0;
}

static int watch_runs(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
	PyCodeObject *code;

	(void)obj;
	(void)arg;
	if ((what != PyTrace_CALL && what != PyTrace_RETURN) || !watched || watched->stale)
		return 0;
	code = PyFrame_GetCode(frame);
	if (code->co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR)) {
		PyObject *gen = PyFrame_GetGenerator(frame);

		if (gen)
			note(gen);
		Py_XDECREF(gen);
	}
	Py_DECREF(code);
	return 0;
}

void census_watch(census *c, bool complete)
{
	if (!c || c != watched)
		return;
	if (!complete)
		c->stale = true;
	PyEval_SetProfile(watch_runs, NULL);
}

void census_set_watched(census *c)
{
	if (watched && watched != c)
		watched->watched = false;
	watched = c;
	if (c)
		c->watched = true;
}

census *census_watched(void)
{
	return watched;
}

int census_watch_types(void)
{
	watch_deaths();
	return watch_closes();
}
