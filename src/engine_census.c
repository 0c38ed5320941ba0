/* engine_census.c: every generator the lesson's namespace reaches, found
 * and counted in C, labelled only on demand. */
#include "engine_int.h"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* How an entry was reached: its label is spelled from that. */
enum {
	VIA_NAME,       /* key is the global name */
	VIA_ITEM,       /* key is the global name of a list, tuple or deque */
	VIA_KEY,        /* key is the dict's global name, sub the dict key */
	VIA_DELEGATE,   /* parent's gi_yieldfrom / cr_await / ag_await */
	VIA_LOCAL,      /* parent's frame local named sub */
};

/* A dict key whose expression is longer than this is labelled by its
 * place among the dict's values instead: a label is typed and shown. */
#define KEY_EXPR_MAX 60

typedef struct {
	PyObject *gen;          /* strong */
	PyObject *key;          /* strong: a global name (any key of the
	                           namespace), or NULL */
	PyObject *sub;          /* strong: a dict key or a local name, or NULL */
	Py_ssize_t pos;         /* place of key among the namespace's values */
	Py_ssize_t index;       /* VIA_ITEM: the item; VIA_KEY: the place of
	                           sub among the dict's values */
	long parent;            /* VIA_DELEGATE, VIA_LOCAL */
	PyObject *qualname;     /* borrowed from gen's code: its qualified name */
	long delegate;          /* census index of what it delegates to; -1 none,
	                           -2 an iterator that is not a generator */
	unsigned char via, kind, state;
} entry;

struct census {
	entry *v;
	size_t n, cap;
	PyObject **slots;       /* open addressing set: gen -> index + 1 */
	size_t *slot_index;
	size_t nslots;
	PyObject *types;        /* borrowed for the census' life */
	PyObject *ns;           /* strong: the namespace labels start from */
	PyObject *deque;        /* borrowed: collections.deque */
};

static PyObject *kind_types[3];     /* generator, coroutine, async generator */

static const char *const frame_attr[] = { "gi_frame", "cr_frame", "ag_frame" };
static const char *const delegate_attr[] = { "gi_yieldfrom", "cr_await", "ag_await" };

/* ---- The set of generators seen --------------------------------------------- */

static size_t slot_of(const census *c, PyObject *o)
{
	size_t h = ((size_t)(uintptr_t)o >> 4) * 0x9E3779B97F4A7C15ull;

	return h & (c->nslots - 1);
}

static long find(const census *c, PyObject *o)
{
	size_t i;

	if (!c->nslots)
		return -1;
	for (i = slot_of(c, o); c->slots[i]; i = (i + 1) & (c->nslots - 1))
		if (c->slots[i] == o)
			return (long)c->slot_index[i];
	return -1;
}

static int grow_slots(census *c)
{
	size_t n = c->nslots ? c->nslots * 2 : 1024, i;
	PyObject **slots = ys_calloc(n, sizeof *slots);
	size_t *index = ys_calloc(n, sizeof *index);
	census old = *c;

	if (!slots || !index) {
		ys_free(slots);
		ys_free(index);
		PyErr_NoMemory();
		return -1;
	}
	c->slots = slots;
	c->slot_index = index;
	c->nslots = n;
	for (i = 0; i < old.nslots; i++) {
		size_t j;

		if (!old.slots[i])
			continue;
		for (j = slot_of(c, old.slots[i]); c->slots[j]; j = (j + 1) & (n - 1))
			;
		c->slots[j] = old.slots[i];
		c->slot_index[j] = old.slot_index[i];
	}
	ys_free(old.slots);
	ys_free(old.slot_index);
	return 0;
}

/* 0, 1, 2 for a generator, coroutine, async generator; -1 for anything
 * else. */
static int kind_of(PyObject *o)
{
	int kind;

	for (kind = 0; kind < 3; kind++)
		if ((PyObject *)Py_TYPE(o) == kind_types[kind])
			return kind;
	return -1;
}

/* Add o when it is a generator not seen yet. Returns its index, -1 when it
 * is no generator or already known, -2 on failure. */
static long add(census *c, PyObject *o, int via, PyObject *key, Py_ssize_t pos,
                PyObject *sub, Py_ssize_t index, long parent)
{
	int kind = kind_of(o);
	entry *e;
	size_t i;

	if (kind < 0)
		return -1;
	if (find(c, o) >= 0)
		return -1;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		entry *v = ys_realloc(c->v, cap * sizeof *v);

		if (!v) {
			PyErr_NoMemory();
			return -2;
		}
		c->v = v;
		c->cap = cap;
	}
	if ((c->n + 1) * 2 > c->nslots && grow_slots(c) < 0)
		return -2;
	for (i = slot_of(c, o); c->slots[i]; i = (i + 1) & (c->nslots - 1))
		;
	c->slots[i] = o;
	c->slot_index[i] = c->n;
	e = &c->v[c->n];
	memset(e, 0, sizeof *e);
	e->gen = Py_NewRef(o);
	e->key = Py_XNewRef(key);
	e->sub = Py_XNewRef(sub);
	e->pos = pos;
	e->index = index;
	e->parent = parent;
	e->delegate = -1;
	e->via = (unsigned char)via;
	e->kind = (unsigned char)kind;
	return (long)c->n++;
}

/* ---- Reading generators fast ---------------------------------------------------
 * A census reads three or four attributes of every generator. Looking each
 * up by name costs more than the rest of the census together, so the
 * getter functions of the generator types' descriptors are found once and
 * called directly; an attribute that is not a plain getset descriptor
 * falls back to the ordinary lookup.
 */
enum { A_RUNNING, A_SUSPENDED, A_DELEGATE, A_FRAME, A_CODE, NATTRS };

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
	PyObject *type, *kind;
	Py_ssize_t pos = 0;
	int a;

	while (PyDict_Next(types, &pos, &type, &kind)) {
		long k = PyLong_AsLong(kind);

		if (k < 0 || k > 2)
			continue;
		kind_types[k] = type;
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
	attrs_ready = true;
	return 0;
}

/* A new reference to attribute a of gen, or NULL with an exception. */
static PyObject *attr(PyObject *gen, int kind, int a)
{
	const fast_attr *f = &attrs[kind][a];

	if (f->get)
		return f->get(gen, f->closure);
	return PyObject_GetAttr(gen, f->name);
}

/* ---- States ------------------------------------------------------------------ */

static int attr_true(PyObject *gen, int kind, int a)
{
	PyObject *v = attr(gen, kind, a);
	int t;

	if (!v) {
		PyErr_Clear();
		return -1;
	}
	t = PyObject_IsTrue(v);
	Py_DECREF(v);
	return t;
}

/* The state inspect would name, without materializing a frame object for
 * the common case of a suspended generator. */
static int state_of(PyObject *gen, int kind)
{
	PyObject *frame;
	int s;

	/* Suspended first: it is by far the commonest, and excludes running. */
	s = attr_true(gen, kind, A_SUSPENDED);
	if (s == 1)
		return SNAP_SUSPENDED;
	if (attr_true(gen, kind, A_RUNNING) == 1)
		return SNAP_RUNNING;
	frame = attr(gen, kind, A_FRAME);
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

/* ---- Taking the census ------------------------------------------------------------ */

static bool spellable_name(PyObject *s);
static PyObject *key_expr(const census *c, PyObject *o, int depth);

/* Whether o's type and base have the same attribute *name (interned on
 * first use from attr): a subclass that does not redefine it. Looks
 * through the types' dicts only. */
static bool inherits(PyObject *o, PyTypeObject *base, PyObject **name,
                     const char *attr)
{
	if (Py_IS_TYPE(o, base))
		return true;
	if (!*name && !(*name = PyUnicode_InternFromString(attr))) {
		PyErr_Clear();
		return false;
	}
	return _PyType_Lookup(Py_TYPE(o), *name) == _PyType_Lookup(base, *name);
}

/* Whether subscripting o means what its builtin base type's subscripting
 * does (a namedtuple, a defaultdict): only then does the label `name[i]`
 * (or `name[key]`) evaluate to the item the census read from the
 * container's storage. */
static bool plain_subscript(PyObject *o, PyTypeObject *base)
{
	static PyObject *name;

	return inherits(o, base, &name, "__getitem__");
}

/* Whether o.values is dict.values, so that `[*name.values()][i]` reads the
 * dict's storage in order. */
static bool plain_values(PyObject *o)
{
	static PyObject *name;

	return inherits(o, &PyDict_Type, &name, "values");
}

/* The items of a top-level list, tuple, deque or dict named name (the
 * pos-th name of the namespace). Containers whose subscripting a subclass
 * redefined are not looked into, like any other object's insides: no
 * label could be trusted to reach their items. */
static int visit_container(census *c, PyObject *name, Py_ssize_t pos,
                           PyObject *value)
{
	if ((PyList_Check(value) && plain_subscript(value, &PyList_Type)) ||
	    (PyTuple_Check(value) && plain_subscript(value, &PyTuple_Type))) {
		/* A copy of the storage, which is what `name[i]` reads: a
		 * subclass's __iter__ is not called. */
		PyObject *fast = PyList_Check(value) ?
			PyList_GetSlice(value, 0, PY_SSIZE_T_MAX) :
			PyTuple_GetSlice(value, 0, PY_SSIZE_T_MAX);
		Py_ssize_t i, n;

		if (!fast)
			return -1;
		n = PySequence_Fast_GET_SIZE(fast);
		for (i = 0; i < n; i++)
			if (add(c, PySequence_Fast_GET_ITEM(fast, i), VIA_ITEM, name, pos,
			        NULL, i, -1) == -2) {
				Py_DECREF(fast);
				return -1;
			}
		Py_DECREF(fast);
	} else if (PyObject_TypeCheck(value, (PyTypeObject *)c->deque) &&
	           plain_subscript(value, (PyTypeObject *)c->deque)) {
		PyObject *it = PyObject_GetIter(value), *item;
		Py_ssize_t i = 0;

		if (!it)
			return -1;
		while ((item = PyIter_Next(it))) {
			long r = add(c, item, VIA_ITEM, name, pos, NULL, i++, -1);

			Py_DECREF(item);
			if (r == -2)
				break;
		}
		Py_DECREF(it);
		if (PyErr_Occurred())
			return -1;
	} else if (PyDict_Check(value) && plain_subscript(value, &PyDict_Type)) {
		PyObject *k, *v;
		Py_ssize_t at = 0, i = 0;
		bool by_place = plain_values(value);

		/* Every key type: a key no expression spells is labelled by its
		 * value's place (label_of), when values() is the dict's own. */
		for (; PyDict_Next(value, &at, &k, &v); i++) {
			if (!by_place && kind_of(v) >= 0) {
				PyObject *expr = key_expr(c, k, 0);

				if (!expr)
					continue;
				Py_DECREF(expr);
			}
			if (add(c, v, VIA_KEY, name, pos, k, i, -1) == -2)
				return -1;
		}
	}
	return 0;
}

/* Follow one suspended generator: its delegate, and its frame's locals. */
static int follow(census *c, size_t i, size_t *locals_budget)
{
	entry *e = &c->v[i];
	PyObject *gen = e->gen, *d;
	int kind = e->kind;
	long r;

	d = attr(gen, kind, A_DELEGATE);
	if (!d)
		return -1;
	if (d != Py_None) {
		r = add(c, d, VIA_DELEGATE, NULL, 0, NULL, 0, (long)i);
		if (r == -2) {
			Py_DECREF(d);
			return -1;
		}
		e = &c->v[i];
		e->delegate = r >= 0 ? r : find(c, d);
		if (e->delegate < 0)
			e->delegate = -2;
	}
	Py_DECREF(d);
	if (*locals_budget > 0) {
		PyObject *frame = attr(gen, kind, A_FRAME);
		PyObject *locals = frame && frame != Py_None ?
			PyObject_GetAttrString(frame, "f_locals") : NULL;
		PyObject *items = locals ? PyMapping_Items(locals) : NULL;
		Py_ssize_t j, n;

		(*locals_budget)--;
		PyErr_Clear();
		n = items ? PyList_GET_SIZE(items) : 0;
		for (j = 0; j < n; j++) {
			PyObject *pair = PyList_GET_ITEM(items, j);

			if (add(c, PyTuple_GET_ITEM(pair, 1), VIA_LOCAL, NULL, 0,
			        PyTuple_GET_ITEM(pair, 0), 0, (long)i) == -2)
				break;
		}
		Py_XDECREF(items);
		Py_XDECREF(locals);
		Py_XDECREF(frame);
		if (PyErr_Occurred())
			return -1;
	}
	return 0;
}

census *census_take(PyObject *ns, PyObject *types, PyObject *deque,
                    size_t locals_budget, census *reuse)
{
	census *c = reuse ? reuse : ys_calloc(1, sizeof *c);
	PyObject *names, *name, *value;
	Py_ssize_t i, n;
	size_t k;
	bool shadowed;

	if (!c) {
		PyErr_NoMemory();
		return NULL;
	}
	census_release(c);
	c->types = types;
	c->deque = deque;
	c->ns = Py_NewRef(ns);
	if (!attrs_ready && attrs_init(types) < 0)
		goto fail;
	/* A copy of the names: reading a value must not trip over a dict
	 * that lesson code changes under us. Every name counts, whatever its
	 * type or spelling (`__double`, `globals()['my beat']`). */
	names = PyDict_Items(ns);
	if (!names)
		goto fail;
	shadowed = PyDict_GetItemString(ns, "globals") != NULL;
	n = PyList_GET_SIZE(names);
	for (i = 0; i < n; i++) {
		PyObject *pair = PyList_GET_ITEM(names, i);

		name = PyTuple_GET_ITEM(pair, 0);
		value = PyTuple_GET_ITEM(pair, 1);
		/* `globals()[...]` spells the others, unless the lesson took
		 * the name globals for something else. */
		if (shadowed && !spellable_name(name))
			continue;
		if (add(c, value, VIA_NAME, name, i, NULL, 0, -1) == -2 ||
		    visit_container(c, name, i, value) < 0) {
			Py_DECREF(names);
			goto fail;
		}
	}
	Py_DECREF(names);
	/* Breadth first: the queue is the entry array itself. */
	for (k = 0; k < c->n; k++) {
		PyObject *code = attr(c->v[k].gen, c->v[k].kind, A_CODE);

		/* Every generator of one function shares its code's qualname
		 * object: the name the cards and the events give (a
		 * functools.wraps wrapper renames the generator, not its code). */
		if (!code)
			goto fail;
		c->v[k].qualname = ((PyCodeObject *)code)->co_qualname;
		Py_DECREF(code);
		c->v[k].state = (unsigned char)state_of(c->v[k].gen, c->v[k].kind);
		/* Only a suspended frame is followed. A running one (seen at a
		 * pause of line stepping) is executing: its value stack is not
		 * where the frame says, and 3.11's gi_yieldfrom would read (and
		 * incref) a stale slot of it. The pause labels its stack from
		 * the frames themselves (pause() in the helper). */
		if (c->v[k].state == SNAP_SUSPENDED && follow(c, k, &locals_budget) < 0)
			goto fail;
	}
	return c;
fail:
	census_free(c);
	return NULL;
}

void census_release(census *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		Py_DECREF(c->v[i].gen);
		Py_XDECREF(c->v[i].key);
		Py_XDECREF(c->v[i].sub);
	}
	c->n = 0;
	Py_CLEAR(c->ns);
	if (c->slots)
		memset(c->slots, 0, c->nslots * sizeof *c->slots);
}

void census_free(census *c)
{
	if (!c)
		return;
	census_release(c);
	ys_free(c->v);
	ys_free(c->slots);
	ys_free(c->slot_index);
	ys_free(c);
}

size_t census_count(const census *c)
{
	return c ? c->n : 0;
}

/* ---- Labels and entries ----------------------------------------------------------------- */

/* Whether s is a name an expression can spell: an identifier that is no
 * keyword (`__debug__` is a constant the compiler folds, not a lookup). */
static bool spellable_name(PyObject *s)
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
		if (v == o && spellable_name(k))
			return Py_NewRef(k);
	if (!(t->tp_flags & Py_TPFLAGS_HEAPTYPE) || !t->tp_dict)
		return NULL;
	cls_name = ((PyHeapTypeObject *)t)->ht_name;
	if (!spellable_name(cls_name) ||
	    PyDict_GetItemWithError(c->ns, cls_name) != (PyObject *)t) {
		PyErr_Clear();
		return NULL;
	}
	pos = 0;
	while (PyDict_Next(t->tp_dict, &pos, &k, &v))
		if (v == o && spellable_name(k))
			return PyUnicode_FromFormat("%U.%U", cls_name, k);
	return NULL;
}

/* A Python expression that evaluates to an object equal to key o and
 * hashing as it does, so that `d[expr]` finds o's entry: the repr of a
 * str, int, bool, None, bytes or finite float (exact types: a subclass may
 * redefine equality or repr), a tuple of such, or a name reaching o
 * itself. A new str, or NULL (no exception) when there is none. */
static PyObject *key_expr(const census *c, PyObject *o, int depth)
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
			PyObject *item = key_expr(c, PyTuple_GET_ITEM(o, i), depth + 1);

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

/* An expression for the namespace's entry (key, its pos-th): the name
 * itself, `globals()[key]`, or `[*globals().values()][pos]`. */
static PyObject *global_expr(const census *c, PyObject *key, Py_ssize_t pos)
{
	PyObject *k, *r;

	if (spellable_name(key))
		return Py_NewRef(key);
	k = key_expr(c, key, 0);
	if (!k)
		return PyUnicode_FromFormat("[*globals().values()][%zd]", pos);
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
		return global_expr(c, e->key, e->pos);
	case VIA_ITEM:
		parent = global_expr(c, e->key, e->pos);
		r = parent ? PyUnicode_FromFormat("%U[%zd]", parent, e->index) : NULL;
		Py_XDECREF(parent);
		return r;
	case VIA_KEY:
		parent = global_expr(c, e->key, e->pos);
		if (!parent)
			return NULL;
		k = key_expr(c, e->sub, 0);
		if (k)
			r = PyUnicode_FromFormat("%U[%U]", parent, k);
		else
			r = PyUnicode_FromFormat("[*%U.values()][%zd]", parent, e->index);
		Py_XDECREF(k);
		Py_DECREF(parent);
		return r;
	default:
		break;
	}
	parent = label_of(c, (size_t)e->parent);
	if (!parent)
		return NULL;
	if (e->via == VIA_DELEGATE)
		r = PyUnicode_FromFormat("%U.%s", parent, delegate_attr[c->v[e->parent].kind]);
	else
		r = PyUnicode_FromFormat("%U.%s.f_locals[%R]", parent,
		                         frame_attr[c->v[e->parent].kind], e->sub);
	Py_DECREF(parent);
	return r;
}

PyObject *census_entries(const census *c, size_t offset, size_t count)
{
	PyObject *list = PyList_New(0);
	size_t i, end;

	if (!list || !c)
		return list;
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

int census_summary(const census *c, snap_step *out, size_t max)
{
	/* Few distinct functions: a short list, searched from the last hit. */
	struct { PyObject *q; size_t n; } *fns = NULL;
	size_t i, j, nf = 0, cap = 0, last = 0;
	bool ok = true;

	out->total_gens = c ? c->n : 0;
	for (i = 0; c && i < c->n; i++) {
		PyObject *q = c->v[i].qualname;

		out->state_counts[c->v[i].state]++;
		if (last < nf && fns[last].q == q) {
			fns[last].n++;
			continue;
		}
		for (j = 0; j < nf && fns[j].q != q; j++)
			;
		if (j == nf) {
			if (nf == cap) {
				void *v = ys_realloc(fns, (cap ? cap * 2 : 16) * sizeof *fns);

				if (!v) {
					ys_free(fns);
					return -1;
				}
				fns = v;
				cap = cap ? cap * 2 : 16;
			}
			fns[nf].q = q;
			fns[nf].n = 0;
			nf++;
		}
		fns[j].n++;
		last = j;
	}
	if (nf) {
		out->by_function = ys_calloc(nf, sizeof *out->by_function);
		if (!out->by_function) {
			ys_free(fns);
			return -1;
		}
		for (j = 0; j < nf; j++) {
			const char *s = PyUnicode_Check(fns[j].q) ? PyUnicode_AsUTF8(fns[j].q) : NULL;

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
	return ok ? 0 : -1;
}
