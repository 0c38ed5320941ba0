/* engine_convert.c: what the helper returns, as the plain C of snapshot.h.
 *
 * The helper hands back tuples and lists of str and int; these copy them
 * into snap_gens, snap_pauses and snap_events, which hold no Python.
 * Borrowed references throughout: the lists stay the caller's.
 */
#include "engine_int.h"

#include "util.h"

char *conv_str(PyObject *s, bool *ok)
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

int conv_int(PyObject *o)
{
	long v = PyLong_AsLong(o);

	if (v == -1 && PyErr_Occurred()) {
		PyErr_Clear();
		return -1;
	}
	return (int)v;
}

/* Zeroed room for one item of size bytes per element of list: NULL for an
 * empty list. *n is the count, or -1 when out of memory. */
static void *room_for(PyObject *list, size_t size, Py_ssize_t *n)
{
	void *v;

	*n = PyList_GET_SIZE(list);
	if (*n == 0)
		return NULL;
	v = ys_calloc((size_t)*n, size);
	if (!v)
		*n = -1;
	return v;
}

/* A list of (name, repr) pairs as snap_locals. */
static int conv_locals(PyObject *list, snap_local **out, size_t *count)
{
	Py_ssize_t j, n;
	bool ok = true;

	*out = room_for(list, sizeof **out, &n);
	if (n <= 0)
		return (int)n;
	*count = (size_t)n;
	for (j = 0; j < n; j++) {
		PyObject *pair = PyList_GET_ITEM(list, j);  /* borrowed */

		(*out)[j].name = conv_str(PyTuple_GET_ITEM(pair, 0), &ok);
		(*out)[j].repr = conv_str(PyTuple_GET_ITEM(pair, 1), &ok);
	}
	return ok ? 0 : -1;
}

int conv_gens(PyObject *list, snap_gen **out, size_t *count)
{
	Py_ssize_t i, n;
	bool ok = true;

	*out = room_for(list, sizeof **out, &n);
	if (n <= 0)
		return (int)n;
	*count = (size_t)n;
	for (i = 0; i < n; i++) {
		PyObject *t = PyList_GET_ITEM(list, i);     /* borrowed */
		snap_gen *g = &(*out)[i];

		g->label = conv_str(PyTuple_GET_ITEM(t, 0), &ok);
		g->kind = (snap_kind)conv_int(PyTuple_GET_ITEM(t, 1));
		g->function = conv_str(PyTuple_GET_ITEM(t, 2), &ok);
		g->state = (snap_state)conv_int(PyTuple_GET_ITEM(t, 3));
		g->filename = conv_str(PyTuple_GET_ITEM(t, 4), &ok);
		g->first_line = conv_int(PyTuple_GET_ITEM(t, 5));
		g->line = conv_int(PyTuple_GET_ITEM(t, 6));
		g->lasti = conv_int(PyTuple_GET_ITEM(t, 7));
		g->delegate = conv_str(PyTuple_GET_ITEM(t, 9), &ok);
		g->id = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(t, 10));
		if (conv_locals(PyTuple_GET_ITEM(t, 8), &g->locals, &g->nlocals) < 0)
			return -1;
	}
	PyErr_Clear();
	return ok ? 0 : -1;
}

/* A pause's stack: the helper's frame tuples as snap_frames. */
static int conv_frames(PyObject *stack, snap_pause *p)
{
	Py_ssize_t j, n;
	bool ok = true;

	p->stack = room_for(stack, sizeof *p->stack, &n);
	if (n <= 0)
		return (int)n;
	p->nstack = (size_t)n;
	for (j = 0; j < n; j++) {
		PyObject *f = PyList_GET_ITEM(stack, j);    /* borrowed */
		snap_frame *fr = &p->stack[j];

		fr->function = conv_str(PyTuple_GET_ITEM(f, 0), &ok);
		fr->label = conv_str(PyTuple_GET_ITEM(f, 1), &ok);
		fr->filename = conv_str(PyTuple_GET_ITEM(f, 2), &ok);
		fr->line = conv_int(PyTuple_GET_ITEM(f, 3));
		fr->generator = PyObject_IsTrue(PyTuple_GET_ITEM(f, 4)) == 1;
		if (conv_locals(PyTuple_GET_ITEM(f, 5), &fr->locals, &fr->nlocals) < 0)
			return -1;
	}
	return ok ? 0 : -1;
}

int conv_pauses(PyObject *list, snap_step *out)
{
	Py_ssize_t i, n;
	bool ok = true;

	out->pauses = room_for(list, sizeof *out->pauses, &n);
	if (n <= 0)
		return (int)n;
	out->npauses = (size_t)n;
	for (i = 0; i < n; i++) {
		PyObject *pair = PyList_GET_ITEM(list, i);  /* borrowed */
		PyObject *t = PyTuple_GET_ITEM(pair, 0);    /* borrowed */
		snap_pause *p = &out->pauses[i];
		Py_ssize_t records = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 1));

		PyErr_Clear();
		p->hops = records < 0 ? 0 : (size_t)records;
		p->kind = (snap_pause_kind)conv_int(PyTuple_GET_ITEM(t, 0));
		p->value = conv_str(PyTuple_GET_ITEM(t, 1), &ok);
		if (conv_gens(PyTuple_GET_ITEM(t, 3), &p->gens, &p->ngens) < 0 ||
		    conv_frames(PyTuple_GET_ITEM(t, 2), p) < 0)
			return -1;
		/* A callback pause has the loop's state last. */
		if (PyTuple_GET_SIZE(t) > 4 &&
		    asyncio_conv_loop(PyTuple_GET_ITEM(t, 4), p) < 0)
			return -1;
	}
	return ok ? 0 : -1;
}

void conv_add_pause(engine *e, PyObject *list, PyObject *pause)
{
	PyObject *pair;

	if (!pause)
		return;
	pair = Py_BuildValue("(Nn)", pause, e->raw ? PyList_GET_SIZE(e->raw) : (Py_ssize_t)0);
	if (!pair || PyList_Append(list, pair) < 0)
		PyErr_Clear();
	Py_XDECREF(pair);
}

void conv_pause_hops(PyObject *events, snap_step *out)
{
	Py_ssize_t n = events && PyList_Check(events) ? PyList_GET_SIZE(events) : 0;
	Py_ssize_t k = 0;
	size_t i;

	/* Both in the order they happened: one walk. */
	for (i = 0; i < out->npauses; i++) {
		snap_pause *p = &out->pauses[i];

		while (k < n) {
			PyObject *t = PyList_GET_ITEM(events, k);   /* borrowed */
			Py_ssize_t at = PyTuple_GET_SIZE(t) > 11 ?
			                PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 11)) : -1;

			PyErr_Clear();
			if (at >= 0 && (size_t)at >= p->hops)
				break;
			k++;
		}
		p->hops = (size_t)k;
	}
}

int conv_events(PyObject *list, snap_step *out)
{
	Py_ssize_t i, n;
	bool ok = true;

	out->events = room_for(list, sizeof *out->events, &n);
	if (n <= 0)
		return (int)n;
	out->nevents = (size_t)n;
	for (i = 0; i < n; i++) {
		PyObject *t = PyList_GET_ITEM(list, i);     /* borrowed */
		snap_event *ev = &out->events[i];

		ev->label = conv_str(PyTuple_GET_ITEM(t, 0), &ok);
		ev->function = conv_str(PyTuple_GET_ITEM(t, 1), &ok);
		ev->event = (snap_event_kind)conv_int(PyTuple_GET_ITEM(t, 2));
		ev->how = (snap_how)conv_int(PyTuple_GET_ITEM(t, 3));
		ev->value = conv_str(PyTuple_GET_ITEM(t, 4), &ok);
		ev->depth = conv_int(PyTuple_GET_ITEM(t, 5));
		ev->line = conv_int(PyTuple_GET_ITEM(t, 6));
		ev->id = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(t, 7));
		if (ev->id == (unsigned long long)-1 && PyErr_Occurred())
			PyErr_Clear();
		ev->callers = conv_str(PyTuple_GET_ITEM(t, 8), &ok);
		ev->printed = PyLong_AsLong(PyTuple_GET_ITEM(t, 9));
		if (ev->printed == -1 && PyErr_Occurred())
			PyErr_Clear();
		ev->below = PyTuple_GET_SIZE(t) > 12 ? conv_int(PyTuple_GET_ITEM(t, 12)) : -1;
		ev->has_locals = PyTuple_GET_ITEM(t, 10) != Py_None;
		if (ev->has_locals &&
		    conv_locals(PyTuple_GET_ITEM(t, 10), &ev->locals, &ev->nlocals) < 0)
			return -1;
	}
	return ok ? 0 : -1;
}

PyObject *conv_take_exception(void)
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
