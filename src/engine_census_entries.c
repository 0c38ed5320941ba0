/* engine_census_entries.c: what the census tells: each generator's label
 * spelled out on demand, and the counts by function and by place. */
#include "engine_census_int.h"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const frame_attr[] = { "gi_frame", "cr_frame", "ag_frame" };
static const char *const delegate_attr[] = { "gi_yieldfrom", "cr_await", "ag_await" };

/* ---- Labels and entries ----------------------------------------------------------------- */

/* Whether s is a name an expression can spell: an identifier that is no
 * keyword (`__debug__` is a constant the compiler folds, not a lookup). */
bool census_spellable_name(PyObject *s)
{
	static const char *const keywords[] = {
		"False", "None", "True", "and", "as", "assert", "async", "await",
		"break", "class", "continue", "def", "del", "elif", "else",
		"except", "finally", "for", "from", "global", "if", "import", "in",
		"is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
		"try", "while", "with", "yield", "__debug__",
	};
	const char *u;
	size_t i;

	if (!PyUnicode_Check(s) || PyUnicode_IsIdentifier(s) != 1)
		return false;
	u = PyUnicode_AsUTF8(s);
	if (!u) {
		PyErr_Clear();
		return false;
	}
	for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strcmp(u, keywords[i]) == 0)
			return false;
	return true;
}

/* A global name bound to exactly o, or `Class.attr` for a class attribute
 * that is o (an Enum member) of a class bound to its own name: a new str,
 * or NULL. Reads dicts only; runs no lesson code. */
static PyObject *reachable_expr(const census *c, PyObject *o)
{
	PyTypeObject *t = Py_TYPE(o);
	PyObject *k, *v, *cls_name;
	Py_ssize_t pos = 0;

	while (PyDict_Next(c->ns, &pos, &k, &v))
		if (v == o && census_spellable_name(k))
			return Py_NewRef(k);
	if (!(t->tp_flags & Py_TPFLAGS_HEAPTYPE) || !t->tp_dict)
		return NULL;
	cls_name = ((PyHeapTypeObject *)t)->ht_name;
	if (!census_spellable_name(cls_name) ||
	    PyDict_GetItemWithError(c->ns, cls_name) != (PyObject *)t) {
		PyErr_Clear();
		return NULL;
	}
	pos = 0;
	while (PyDict_Next(t->tp_dict, &pos, &k, &v))
		if (v == o && census_spellable_name(k))
			return PyUnicode_FromFormat("%U.%U", cls_name, k);
	return NULL;
}

/* A Python expression that evaluates to an object equal to key o and
 * hashing as it does, so that `d[expr]` finds o's entry: the repr of a
 * str, int, bool, None, bytes or finite float (exact types: a subclass may
 * redefine equality or repr), a tuple of such, or a name reaching o
 * itself. A new str, or NULL (no exception) when there is none. */
PyObject *census_key_expr(const census *c, PyObject *o, int depth)
{
	PyObject *r = NULL;

	if (PyUnicode_CheckExact(o) || PyLong_CheckExact(o) || PyBool_Check(o) ||
	    o == Py_None || PyBytes_CheckExact(o) ||
	    (PyFloat_CheckExact(o) && isfinite(PyFloat_AS_DOUBLE(o)))) {
		/* int's repr raises past sys.get_int_max_str_digits(). */
		r = PyObject_Repr(o);
	} else if (PyTuple_CheckExact(o) && depth < 4) {
		Py_ssize_t i, n = PyTuple_GET_SIZE(o);
		PyObject *parts = PyList_New(n), *sep;

		for (i = 0; parts && i < n; i++) {
			PyObject *item = census_key_expr(c, PyTuple_GET_ITEM(o, i), depth + 1);

			if (!item) {
				Py_CLEAR(parts);
				break;
			}
			PyList_SET_ITEM(parts, i, item);
		}
		sep = parts ? PyUnicode_FromString(", ") : NULL;
		if (sep) {
			PyObject *inner = PyUnicode_Join(sep, parts);

			if (inner)
				r = PyUnicode_FromFormat(n == 1 ? "(%U,)" : "(%U)", inner);
			Py_XDECREF(inner);
		}
		Py_XDECREF(sep);
		Py_XDECREF(parts);
	} else {
		r = reachable_expr(c, o);
	}
	if (!r)
		PyErr_Clear();
	else if (PyUnicode_GET_LENGTH(r) > KEY_EXPR_MAX)
		Py_CLEAR(r);
	return r;
}

/* An expression for the namespace's pos-th entry: its name itself,
 * `globals()[key]`, or `[*globals().values()][pos]`. */
static PyObject *global_expr(const census *c, size_t pos)
{
	PyObject *key = c->names[pos].key, *k, *r;

	if (census_spellable_name(key))
		return Py_NewRef(key);
	k = census_key_expr(c, key, 0);
	if (!k)
		return PyUnicode_FromFormat("[*globals().values()][%zu]", pos);
	r = PyUnicode_FromFormat("globals()[%U]", k);
	Py_DECREF(k);
	return r;
}

/* The label of entry i, spelled out: a new str that evaluates, in the
 * namespace as the census found it, to the entry's generator. */
static PyObject *label_of(const census *c, size_t i)
{
	const entry *e = &c->v[i];
	PyObject *parent, *r, *k;

	switch (e->via) {
	case VIA_NAME:
		return global_expr(c, e->ref);
	case VIA_ITEM:
		parent = global_expr(c, e->ref);
		r = parent ? PyUnicode_FromFormat("%U[%u]", parent, (unsigned)e->index) : NULL;
		Py_XDECREF(parent);
		return r;
	case VIA_KEY:
		parent = global_expr(c, e->ref);
		if (!parent)
			return NULL;
		k = census_key_expr(c, e->sub, 0);
		if (k)
			r = PyUnicode_FromFormat("%U[%U]", parent, k);
		else
			r = PyUnicode_FromFormat("[*%U.values()][%u]", parent, (unsigned)e->index);
		Py_XDECREF(k);
		Py_DECREF(parent);
		return r;
	default:
		break;
	}
	parent = label_of(c, e->ref);
	if (!parent)
		return NULL;
	if (e->via == VIA_DELEGATE)
		r = PyUnicode_FromFormat("%U.%s", parent, delegate_attr[c->v[e->ref].kind]);
	else
		r = PyUnicode_FromFormat("%U.%s.f_locals[%R]", parent,
		                         frame_attr[c->v[e->ref].kind], e->sub);
	Py_DECREF(parent);
	return r;
}

PyObject *census_entries(const census *c, size_t offset, size_t count)
{
	PyObject *list = PyList_New(0);
	size_t i, end;

	if (!list || !c)
		return list;
	if (c->stale) {
		Py_DECREF(list);
		PyErr_SetString(PyExc_RuntimeError, "the census is stale");
		return NULL;
	}
	end = offset + count < c->n ? offset + count : c->n;
	for (i = offset; i < end; i++) {
		const entry *e = &c->v[i];
		PyObject *label = label_of(c, i), *dlabel = NULL, *t;

		if (!label)
			goto fail;
		if (e->delegate >= 0) {
			dlabel = label_of(c, (size_t)e->delegate);
		} else if (e->delegate == -2) {
			dlabel = PyUnicode_FromFormat("%U.%s", label, delegate_attr[e->kind]);
		} else {
			dlabel = Py_NewRef(Py_None);
		}
		t = dlabel ? Py_BuildValue("(OOiiO)", e->gen, label, (int)e->kind,
		                           (int)e->state, dlabel) : NULL;
		Py_DECREF(label);
		Py_XDECREF(dlabel);
		if (!t || PyList_Append(list, t) < 0) {
			Py_XDECREF(t);
			goto fail;
		}
		Py_DECREF(t);
	}
	return list;
fail:
	Py_DECREF(list);
	return NULL;
}

/* ---- Summary --------------------------------------------------------------------------------- */

static int by_count(const void *a, const void *b)
{
	const snap_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->function, y->function);
}

static size_t code_total(const code_rec *r)
{
	return r->states[0] + r->states[1] + r->states[2] + r->states[3];
}

/* Add n generators waiting at filename:line to out's places. */
static int add_place(snap_step *out, size_t *cap, PyObject *filename, int line,
                     size_t n)
{
	const char *f = PyUnicode_Check(filename) ? PyUnicode_AsUTF8(filename) : NULL;
	snap_place *v;
	size_t j;

	if (!f || line <= 0 || !n) {
		PyErr_Clear();
		return 0;
	}
	for (j = 0; j < out->nby_line; j++)
		if (out->by_line[j].line == line && strcmp(out->by_line[j].filename, f) == 0) {
			out->by_line[j].count += n;
			return 0;
		}
	v = ys_grow(out->by_line, out->nby_line, cap, sizeof *v, 8);
	if (!v)
		return -1;
	out->by_line = v;
	out->by_line[out->nby_line].filename = ys_strdup(f);
	if (!out->by_line[out->nby_line].filename)
		return -1;
	out->by_line[out->nby_line].line = line;
	out->by_line[out->nby_line].count = n;
	out->nby_line++;
	return 0;
}

/* Where the generators wait: a suspended one at the line of its code's
 * only yield, a created one at its def line. Codes with yields on several
 * lines would need every frame read: they are left out. */
static int places(const census *c, snap_step *out)
{
	size_t j, cap = 0;

	for (j = 0; j < c->ncodes; j++) {
		const code_rec *r = &c->codes[j];
		PyCodeObject *code = (PyCodeObject *)r->code;

		if (!PyCode_Check(r->code))
			continue;
		if (add_place(out, &cap, code->co_filename, r->yield_line,
		              r->states[SNAP_SUSPENDED]) < 0 ||
		    add_place(out, &cap, code->co_filename, code->co_firstlineno,
		              r->states[SNAP_CREATED]) < 0)
			return -1;
	}
	return 0;
}

int census_summary(const census *c, snap_step *out, size_t max)
{
	/* By qualname object: every generator of one function shares it. */
	struct { PyObject *q; size_t n; } *fns = NULL;
	size_t i, j, nf = 0;
	bool ok = true;

	out->total_gens = c ? c->n : 0;
	if (!c)
		return 0;
	memcpy(out->state_counts, c->states, sizeof out->state_counts);
	if (c->ncodes && !(fns = ys_calloc(c->ncodes, sizeof *fns)))
		return -1;
	for (i = 0; i < c->ncodes; i++) {
		size_t n = code_total(&c->codes[i]);

		if (!n)
			continue;
		for (j = 0; j < nf && fns[j].q != c->codes[i].qualname; j++)
			;
		if (j == nf)
			fns[nf++].q = c->codes[i].qualname;
		fns[j].n += n;
	}
	if (nf) {
		out->by_function = ys_calloc(nf, sizeof *out->by_function);
		if (!out->by_function) {
			ys_free(fns);
			return -1;
		}
		for (j = 0; j < nf; j++) {
			const char *s = fns[j].q && PyUnicode_Check(fns[j].q) ?
			PyUnicode_AsUTF8(fns[j].q) : NULL;

			PyErr_Clear();
			out->by_function[j].function = ys_strdup(s ? s : "?");
			out->by_function[j].count = fns[j].n;
			if (!out->by_function[j].function)
				ok = false;
		}
		out->nby_function = nf;
		if (ok)
			qsort(out->by_function, nf, sizeof *out->by_function, by_count);
		/* Keep the most common; free the rest. */
		for (j = max; j < nf; j++)
			ys_free(out->by_function[j].function);
		if (nf > max)
			out->nby_function = max;
	}
	ys_free(fns);
	if (ok && places(c, out) < 0)
		ok = false;
	return ok ? 0 : -1;
}
