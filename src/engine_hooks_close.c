/* engine_hooks_close.c: closes, finalizers and throws, and the depth they
 * count.
 *
 * close() of a generator, and its finalizer (del of a suspended one, or
 * the collector), which closes it the same way: CPython marks it running
 * while it closes its delegate, whose frame then runs with nothing of the
 * chain below it on the stack. throw() links the frame of each delegator
 * below its delegate's, but not through the asend()/athrow() awaitable of
 * an async generator: the async generator's frame runs with the frames
 * of the delegators up to that awaitable missing. The closes and throws
 * in progress are remembered, innermost last, each with the frame that
 * was running when it began, so that the depth of a frame one runs
 * counts the delegators missing from the stack.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed.
 */
#include "engine_hooks_int.h"

#include <string.h>

#define CLOSING_MAX 32

static struct {
	PyObject *gen;          /* borrowed: being closed or thrown into; NULL
	                         * outside a step */
	PyFrameObject *base;    /* borrowed: the frame running then, or NULL */
} closing[CLOSING_MAX];
static int nclosing;            /* may exceed CLOSING_MAX: not recorded */
static destructor real_finalize[3];

void hooks_closing(PyObject *gen)
{
	/* Only a step's hops have depths; between steps, and once the step
	 * has recorded all the hops it may, nothing is noted. */
	bool noted = the_engine && the_engine->raw && !the_engine->events_capped;

	hooks_thread_resumes();
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

/* The throw() methods of generators and coroutines, wrapped: a throw()
 * in progress is noted as a close is. */
static PyCFunction real_throw[2];

static PyObject *throw_kind(PyObject *self, PyObject *const *args, Py_ssize_t n, int k)
{
	PyObject *r;

	hooks_closing(self);
	r = ((PyObject *(*)(PyObject *, PyObject *const *, Py_ssize_t))(void (*)(void))
	     real_throw[k])(self, args, n);
	hooks_closed();
	return r;
}

static PyObject *throw_gen(PyObject *self, PyObject *const *args, Py_ssize_t n)
{
	return throw_kind(self, args, n, 0);
}

static PyObject *throw_coro(PyObject *self, PyObject *const *args, Py_ssize_t n)
{
	return throw_kind(self, args, n, 1);
}

static void watch_throws(void)
{
	static PyObject *(*const mine[2])(PyObject *, PyObject *const *, Py_ssize_t) = {
		throw_gen, throw_coro
	};
	PyTypeObject *types[2] = { &PyGen_Type, &PyCoro_Type };
	int k;

	for (k = 0; k < 2; k++) {
		PyCFunction real = engine_wrap_method(types[k], "throw", METH_FASTCALL,
		                                      (PyCFunction)(void (*)(void))mine[k]);

		if (real)
			real_throw[k] = real;
	}
}

/* Wrap the finalizers of the three generator types, and the throw()
 * methods (once). */
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
	watch_throws();
}

/* Up to 8 generators, coroutines, async generators or async generators'
 * asend()/athrow() awaitables a traversal visits. */
typedef struct {
	PyObject *v[8];
	int n;
} gens_seen;

static bool is_awaitable_of_agen(PyObject *o)
{
	const char *name = Py_TYPE(o)->tp_name;

	return strcmp(name, "async_generator_asend") == 0 ||
	       strcmp(name, "async_generator_athrow") == 0;
}

static bool is_gen(PyObject *o)
{
	return PyGen_CheckExact(o) || PyCoro_CheckExact(o) || PyAsyncGen_CheckExact(o);
}

static int visit_gens(PyObject *o, void *arg)
{
	gens_seen *seen = arg;

	if ((is_gen(o) || is_awaitable_of_agen(o)) && seen->n < 8)
		seen->v[seen->n++] = o;
	return 0;
}

/* The async generator an asend()/athrow() awaitable drives (borrowed), or
 * NULL. */
static PyObject *agen_of(PyObject *awaitable)
{
	gens_seen seen = { .n = 0 };
	int i;

	if (Py_TYPE(awaitable)->tp_traverse)
		Py_TYPE(awaitable)->tp_traverse(awaitable, visit_gens, &seen);
	for (i = 0; i < seen.n; i++)
		if (PyAsyncGen_CheckExact(seen.v[i]))
			return seen.v[i];
	return NULL;
}

/* The generator, coroutine or async generator x delegates to while a close
 * or throw() marks that one running (borrowed), or NULL. It is on x's
 * value stack, which the traversal visits (gi_yieldfrom says None for it
 * from 3.12), itself or through the asend()/athrow() awaitable of an async
 * generator; traversing is safe even for a running frame, as the
 * collector does it any time. */
static PyObject *closing_delegate(PyObject *x)
{
	static const char *running[] = { "gi_running", "cr_running", "ag_running" };
	gens_seen seen = { .n = 0 };
	int i;

	if (!is_gen(x) || !Py_TYPE(x)->tp_traverse)
		return NULL;
	Py_TYPE(x)->tp_traverse(x, visit_gens, &seen);
	for (i = 0; i < seen.n; i++) {
		PyObject *o = seen.v[i], *r;
		bool yes;

		if (is_awaitable_of_agen(o)) {
			o = agen_of(o);
			if (o && o != x)
				return o;
			continue;
		}
		r = PyObject_GetAttrString(o, running[PyGen_CheckExact(o) ? 0 :
		                                      PyCoro_CheckExact(o) ? 1 : 2]);
		yes = r == Py_True;
		Py_XDECREF(r);
		PyErr_Clear();
		if (yes && o != x)
			return o;
	}
	return NULL;
}

/* How many delegators of gen, the generator whose frame runs (borrowed),
 * the innermost close or throw() runs it through that are not on the
 * stack: its chain, from the generator closed or thrown into, is followed
 * delegate by delegate (up to gen, or as far as it goes), and those of it
 * before the last one on the stack (on, n of them, borrowed) or gen count.
 * 0 when gen is not in its chain. */
static int missing_links(PyObject *gen, PyObject *const *on, int n)
{
	PyObject *x;
	int links, missing = 0, pending = 0, i;

	if (nclosing < 1 || nclosing > CLOSING_MAX || !gen)
		return 0;
	for (x = closing[nclosing - 1].gen, links = 0; x && links < 1000; links++) {
		bool stacked = x == gen;

		for (i = 0; !stacked && i < n; i++)
			stacked = on[i] == x;
		if (!stacked) {
			pending++;
		} else {
			missing += pending;
			pending = 0;
			if (x == gen)
				break;
		}
		x = closing_delegate(x);
	}
	return missing;
}

/* Generator frames below frame on the stack: its place in a yield from or
 * await chain, since CPython links the frames of a chain even where it
 * resumes them one by one. During a close, a finalization or a throw(),
 * which may run a chain's frames without (some of) their delegators'
 * below them, the delegators missing count too. */
int hooks_stack_depth(PyFrameObject *frame)
{
	PyFrameObject *f = PyFrame_GetBack(frame);
	PyFrameObject *base = nclosing >= 1 && nclosing <= CLOSING_MAX ?
	                      closing[nclosing - 1].base : NULL;
	PyObject *gen = nclosing > 0 ? PyFrame_GetGenerator(frame) : NULL;
	PyObject *on[64];       /* borrowed: alive while their frames run */
	bool above = nclosing > 0;      /* f is above the close's base */
	int depth = 0, n = 0;

	while (f) {
		PyCodeObject *code = PyFrame_GetCode(f);
		PyFrameObject *back;

		if (f == base)
			above = false;
		if (hooks_is_generator_code(code)) {
			depth++;
			if (above && n < 64) {
				PyObject *g = PyFrame_GetGenerator(f);

				if (g) {
					on[n++] = g;
					Py_DECREF(g);
				}
			}
		}
		Py_DECREF(code);
		back = PyFrame_GetBack(f);
		Py_DECREF(f);
		f = back;
	}
	if (gen) {
		depth += missing_links(gen, on, n);
		Py_DECREF(gen);
	}
	return depth;
}

/* The line frame's delegator waits at, when frame is an async generator's
 * that the innermost throw() reached through its asend()/athrow()
 * awaitable, so that its delegator's frame is not below it; else -1.
 * When such a frame yields, the awaitable is done, and CPython 3.11
 * continues the delegator there with the value yielded, past the
 * instruction that tells the hooks of a resume. */
int hooks_awaiter_line(PyFrameObject *frame)
{
	PyObject *gen = PyFrame_GetGenerator(frame), *x, *d, *inner = NULL;
	PyFrameObject *back = PyFrame_GetBack(frame);
	int line = -1, links;

	if (gen && PyAsyncGen_CheckExact(gen) && nclosing >= 1 &&
	    nclosing <= CLOSING_MAX)
		for (x = closing[nclosing - 1].gen, links = 0; x && links < 1000;
		     x = d, links++) {
			d = closing_delegate(x);
			if (d == gen) {
				inner = PyObject_GetAttrString(x, PyCoro_CheckExact(x) ?
				                               "cr_frame" : PyGen_CheckExact(x) ?
				                               "gi_frame" : "ag_frame");
				break;
			}
		}
	if (inner && PyFrame_Check(inner) && (PyFrameObject *)inner != back)
		line = PyFrame_GetLineNumber((PyFrameObject *)inner);
	PyErr_Clear();
	Py_XDECREF(inner);
	Py_XDECREF(back);
	Py_XDECREF(gen);
	return line;
}
