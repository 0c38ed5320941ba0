/* engine_census_read.c: the census reads generators: their attributes
 * through the getters of the types' descriptors, the state inspect would
 * name, and the line a function's generators wait at. */
#include "engine_census_int.h"

#include "config.h"

#include <string.h>

PyObject *census_kind_types[3];     /* generator, coroutine, async generator */
static int yield_opcode = -1;

/* ---- Reading generators fast ---------------------------------------------------
 * A walk reads several attributes of every generator. Looking each up by
 * name costs more than the rest of the walk together, so the getter
 * functions of the generator types' descriptors are found once and called
 * directly; an attribute that is not a plain getset descriptor falls back
 * to the ordinary lookup.
 */
typedef struct {
	PyObject *name;         /* interned attribute name */
	getter get;             /* the descriptor's getter, or NULL */
	void *closure;
} fast_attr;

static fast_attr attrs[3][NATTRS];
static bool attrs_ready;

static int attrs_init(PyObject *types)
{
	static const char *const names[3][NATTRS] = {
		{ "gi_running", "gi_suspended", "gi_yieldfrom", "gi_frame", "gi_code" },
		{ "cr_running", "cr_suspended", "cr_await", "cr_frame", "cr_code" },
		{ "ag_running", "ag_suspended", "ag_await", "ag_frame", "ag_code" },
	};
	PyObject *type, *kind, *opcode, *op;
	Py_ssize_t pos = 0;
	int a;

	while (PyDict_Next(types, &pos, &type, &kind)) {
		long k = PyLong_AsLong(kind);

		if (k < 0 || k > 2)
			continue;
		census_kind_types[k] = type;
		for (a = 0; a < NATTRS; a++) {
			fast_attr *f = &attrs[k][a];
			PyObject *descr;

			f->name = PyUnicode_InternFromString(names[k][a]);
			if (!f->name)
				return -1;
			descr = _PyType_Lookup((PyTypeObject *)type, f->name); /* borrowed */
			if (descr && Py_IS_TYPE(descr, &PyGetSetDescr_Type)) {
				f->get = ((PyGetSetDescrObject *)descr)->d_getset->get;
				f->closure = ((PyGetSetDescrObject *)descr)->d_getset->closure;
			}
		}
	}
	opcode = PyImport_ImportModule("opcode");
	op = opcode ? PyObject_GetAttrString(opcode, "opmap") : NULL;
	if (op) {
		PyObject *v = PyDict_GetItemString(op, "YIELD_VALUE");    /* borrowed */

		yield_opcode = v ? (int)PyLong_AsLong(v) : -1;
	}
	Py_XDECREF(op);
	Py_XDECREF(opcode);
	if (PyErr_Occurred())
		return -1;
	if (census_watch_types() < 0)
		return -1;
	attrs_ready = true;
	return 0;
}

int census_ready(PyObject *types)
{
	return attrs_ready ? 0 : attrs_init(types);
}

/* A new reference to attribute a of gen, or NULL with an exception. */
PyObject *census_attr(PyObject *gen, int kind, int a)
{
	const fast_attr *f = &attrs[kind][a];

	if (f->get)
		return f->get(gen, f->closure);
	return PyObject_GetAttr(gen, f->name);
}

/* ---- States ------------------------------------------------------------------ */

int census_attr_true(PyObject *gen, int kind, int a)
{
	PyObject *v = census_attr(gen, kind, a);
	int t;

	if (!v) {
		PyErr_Clear();
		return -1;
	}
	t = PyObject_IsTrue(v);
	Py_DECREF(v);
	return t;
}

#if PY_VERSION_HEX >= 0x030E0000
PyObject *census_yield_gen, *census_yield_delegate;   /* borrowed: census_yielding */

void census_yielding(PyObject *gen, PyObject *delegate)
{
	census_yield_gen = gen;
	census_yield_delegate = delegate;
}
#endif

/* The state inspect would name, without materializing a frame object for
 * the common case of a suspended generator. */
int census_state_of(PyObject *gen, int kind)
{
	PyObject *frame;
	int s;

#if PY_VERSION_HEX >= 0x030E0000
	if (gen == census_yield_gen)
		return SNAP_SUSPENDED;
#endif
	/* An async generator whose asend() or athrow() awaitable is in
	 * progress has a suspended frame and is running: inspect names it
	 * running (ag_running first). */
	if (kind == SNAP_ASYNC_GENERATOR && census_attr_true(gen, kind, A_RUNNING) == 1)
		return SNAP_RUNNING;
	/* Suspended first: it is by far the commonest, and for the others
	 * excludes running. */
	s = census_attr_true(gen, kind, A_SUSPENDED);
	if (s == 1)
		return SNAP_SUSPENDED;
	if (census_attr_true(gen, kind, A_RUNNING) == 1)
		return SNAP_RUNNING;
	frame = census_attr(gen, kind, A_FRAME);
	if (!frame) {
		PyErr_Clear();
		return SNAP_CLOSED;
	}
	if (frame == Py_None) {
		Py_DECREF(frame);
		return SNAP_CLOSED;
	}
	if (s < 0) {
		/* Async generators before 3.12 have no ag_suspended: one that has
		 * run stands past its first instruction. */
		PyObject *lasti = PyObject_GetAttrString(frame, "f_lasti");
		long at = lasti ? PyLong_AsLong(lasti) : 0;

		Py_XDECREF(lasti);
		PyErr_Clear();
		Py_DECREF(frame);
		return at > 0 ? SNAP_SUSPENDED : SNAP_CREATED;
	}
	Py_DECREF(frame);
	return SNAP_CREATED;
}

/* ---- Functions ------------------------------------------------------------------- */

/* The one line all yields of code are on, or -1: every generator of it
 * that is suspended waits there. */
int census_yield_line(PyObject *code)
{
	PyObject *bytes = PyCode_GetCode((PyCodeObject *)code);
	Py_ssize_t i, n;
	int line = -1;

	if (!bytes) {
		PyErr_Clear();
		return -1;
	}
	n = PyBytes_GET_SIZE(bytes);
	/* Code units are two bytes, opcode first; caches are zeros. */
	for (i = 0; i + 1 < n; i += 2) {
		int at;

		if ((unsigned char)PyBytes_AS_STRING(bytes)[i] != yield_opcode)
			continue;
		at = PyCode_Addr2Line((PyCodeObject *)code, (int)i);
		if (line >= 0 && at != line) {
			line = -1;
			break;
		}
		line = at;
	}
	Py_DECREF(bytes);
	return line;
}
