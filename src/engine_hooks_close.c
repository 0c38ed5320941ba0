/* engine_hooks_close.c: closes and finalizers, and the depth they count.
 *
 * close() of a generator, and its finalizer (del of a suspended one, or
 * the collector), which closes it the same way: CPython marks it running
 * while it closes its delegate, whose frame then runs with nothing of the
 * chain below it on the stack. The closes in progress are remembered,
 * innermost last, each with the frame that was running when it began, so
 * that the depth of a frame one runs counts the delegators it closes
 * through.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#include "engine_hooks_int.h"

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
void hooks_watch_finalizers(void)
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
int hooks_stack_depth(PyFrameObject *frame)
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
		if (hooks_is_generator_code(code)) {
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
