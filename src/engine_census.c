/* engine_census.c: every generator the lesson's namespace reaches, found
 * and counted in C, labelled only on demand, and kept up to date from
 * what each step did rather than walked again.
 *
 * Lifetimes. The census holds no reference to a generator: a generator
 * the lesson deletes dies in the step that deletes it, as it would
 * without yieldscope. Its pointers stay valid because the generator
 * types' deallocators are wrapped: the death of a generator the census
 * counts marks the census stale, and a stale census is walked again
 * before it is read. Between steps (when labels are spelled and reprs,
 * which are lesson code, run) it holds the names and keys its labels are
 * spelled from, as the namespace does. */
#include "engine_int.h"

#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* How an entry was reached: its label is spelled from that. */
enum {
	VIA_NAME,       /* ref: the place of its global name */
	VIA_ITEM,       /* ref: the place of the list, tuple or deque's name */
	VIA_KEY,        /* ref: the place of the dict's name; sub the dict key */
	VIA_DELEGATE,   /* ref: parent, whose gi_yieldfrom / cr_await / ag_await */
	VIA_LOCAL,      /* ref: parent, whose frame local named sub */
};

/* Entry flags. */
enum {
	F_PARENT = 1,   /* some entry was reached through this one */
	F_LOCALS = 2,   /* its frame's locals were searched */
	F_SEEN = 4,     /* scratch: already updated in this step */
};

/* A dict key whose expression is longer than this is labelled by its
 * place among the dict's values instead: a label is typed and shown. */
#define KEY_EXPR_MAX 60
/* Created generators whose state is read again after every step: close()
 * ends one without running its frame, so no hook sees it. Past this
 * many, every step walks the whole heap. */
#define CREATED_RECHECK 4096
/* Generators whose frame objects may be let go after a step (see Frame
 * objects the hooks made). */
#define FRAMED_MAX 4096

/* 40 bytes: a million generators cost 40 MB of entries and 8 of set. */
typedef struct {
	PyObject *gen;          /* borrowed, see Lifetimes */
	PyObject *sub;          /* VIA_KEY: the dict key; VIA_LOCAL: the local's
	                           name; held between steps */
	uint32_t ref;           /* see VIA_* */
	uint32_t index;         /* VIA_ITEM: the item; VIA_KEY: the place of sub
	                           among the dict's values */
	int32_t delegate;       /* census index of what it delegates to; -1 none,
	                           -2 an iterator that is not a generator */
	uint32_t code;          /* index into codes */
	unsigned char via, kind, state, flags;
} entry;

/* One name of the namespace as the census saw it. */
typedef struct {
	PyObject *key, *value;  /* borrowed; the key is held between steps */
	PyTypeObject *type;
	uint64_t sum;           /* looked into: a digest of its items' identities */
	bool looked;            /* a container whose items were visited */
	bool inert;             /* neither a generator nor a container: the
	                           census finds nothing through it */
} name_rec;

/* Generators that share a code object. */
typedef struct {
	PyObject *code;         /* borrowed: alive while one of them is */
	PyObject *qualname;     /* borrowed from the code: its co_qualname */
	int yield_line;         /* the line every yield of the code is on, or -1 */
	size_t states[4];
} code_rec;

struct census {
	entry *v;
	size_t n, cap;
	uint32_t *slots;        /* open addressing set: gen -> index + 1 */
	size_t nslots;
	name_rec *names;
	size_t nnames, names_cap;
	code_rec *codes;
	size_t ncodes, codes_cap;
	uint32_t *ran;          /* indexes of entries whose frames ran this step */
	size_t nran, ran_cap;
	PyObject **framed;      /* borrowed: the generators that ran, for
	                           drop_frames */
	size_t nframed;
	uint32_t *created;      /* indexes of CREATED entries (CREATED_RECHECK at most) */
	size_t ncreated;
	size_t states[4];
	PyObject *ns;           /* borrowed: the namespace labels start from */
	PyObject *deque;        /* borrowed: collections.deque */
	size_t budget;          /* frames whose locals may be searched */
	size_t budget_cut;      /* when the budget ran out: the index of the last
	                           entry searched; SIZE_MAX when it did not */
	bool stale;             /* a counted generator died, or ran outside a step */
	bool walk_only;         /* the next update walks: something no step
	                           hook follows is in the namespace */
	size_t nsubs;           /* entries with a sub */
	bool held;              /* names and subs are held */
	bool watched;           /* the census deaths and resumes mark stale */
};

static PyObject *kind_types[3];     /* generator, coroutine, async generator */
static int yield_opcode = -1;

static const char *const frame_attr[] = { "gi_frame", "cr_frame", "ag_frame" };
static const char *const delegate_attr[] = { "gi_yieldfrom", "cr_await", "ag_await" };

/* ---- The set of generators seen --------------------------------------------- */

static size_t slot_of(const census *c, PyObject *o)
{
	size_t h = ((size_t)(uintptr_t)o >> 4) * 0x9E3779B97F4A7C15ull;

	return (h >> 16) & (c->nslots - 1);
}

static long find(const census *c, PyObject *o)
{
	size_t i;

	if (!c->nslots)
		return -1;
	for (i = slot_of(c, o); c->slots[i]; i = (i + 1) & (c->nslots - 1))
		if (c->v[c->slots[i] - 1].gen == o)
			return (long)c->slots[i] - 1;
	return -1;
}

static int grow_slots(census *c)
{
	size_t n = c->nslots ? c->nslots * 2 : 1024, i;
	uint32_t *slots = ys_calloc(n, sizeof *slots);

	if (!slots) {
		PyErr_NoMemory();
		return -1;
	}
	ys_free(c->slots);
	c->slots = slots;
	c->nslots = n;
	for (i = 0; i < c->n; i++) {
		size_t j;

		for (j = slot_of(c, c->v[i].gen); c->slots[j]; j = (j + 1) & (n - 1))
			;
		c->slots[j] = (uint32_t)(i + 1);
	}
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

/* Add o when it is a generator not seen yet. Runs no Python code. Returns
 * its index, -1 when it is no generator or already known, -2 on failure. */
static long add(census *c, PyObject *o, int via, size_t ref, PyObject *sub,
                size_t index)
{
	int kind = kind_of(o);
	entry *e;
	size_t i;

	if (kind < 0)
		return -1;
	if (find(c, o) >= 0)
		return -1;
	if (c->n >= UINT32_MAX - 1) {
		PyErr_NoMemory();
		return -2;
	}
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
	/* Three quarters full at most: the set costs 8 bytes a generator. */
	if ((c->n + 1) * 4 > c->nslots * 3 && grow_slots(c) < 0)
		return -2;
	e = &c->v[c->n];
	memset(e, 0, sizeof *e);
	e->gen = o;
	e->sub = sub;
	c->nsubs += sub != NULL;
	e->ref = (uint32_t)ref;
	e->index = (uint32_t)index;
	e->delegate = -1;
	e->via = (unsigned char)via;
	e->kind = (unsigned char)kind;
	if (via == VIA_DELEGATE || via == VIA_LOCAL)
		c->v[ref].flags |= F_PARENT;
	for (i = slot_of(c, o); c->slots[i]; i = (i + 1) & (c->nslots - 1))
		;
	c->slots[i] = (uint32_t)(c->n + 1);
	return (long)c->n++;
}

/* ---- Reading generators fast ---------------------------------------------------
 * A walk reads several attributes of every generator. Looking each up by
 * name costs more than the rest of the walk together, so the getter
 * functions of the generator types' descriptors are found once and called
 * directly; an attribute that is not a plain getset descriptor falls back
 * to the ordinary lookup.
 */
enum { A_RUNNING, A_SUSPENDED, A_DELEGATE, A_FRAME, A_CODE, NATTRS };

typedef struct {
	PyObject *name;         /* interned attribute name */
	getter get;             /* the descriptor's getter, or NULL */
	void *closure;
} fast_attr;

static fast_attr attrs[3][NATTRS];
static bool attrs_ready;

static void watch_deaths(void);
static int watch_closes(void);

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
	watch_deaths();
	if (watch_closes() < 0)
		return -1;
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
	if (watched && !watched->stale && find(watched, gen) >= 0)
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
		PyTypeObject *t = (PyTypeObject *)kind_types[k];

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
 * census stale. */
static PyCFunction real_close[2];
static void ran_index(census *c, long i);

static void note_close(PyObject *gen)
{
	census *c = watched;
	long i;

	if (!c || c->stale || (i = find(c, gen)) < 0)
		return;
	if (c->held)
		c->stale = true;
	else
		ran_index(c, i);
}

static PyObject *close_gen(PyObject *self, PyObject *unused)
{
	note_close(self);
	return real_close[0](self, unused);
}

static PyObject *close_coro(PyObject *self, PyObject *unused)
{
	note_close(self);
	return real_close[1](self, unused);
}

static int watch_closes(void)
{
	static const PyCFunction mine[2] = { close_gen, close_coro };
	PyObject *name = PyUnicode_InternFromString("close");
	int k;

	if (!name)
		return -1;
	for (k = 0; k < 2; k++) {
		PyObject *d = kind_types[k] ?
			_PyType_Lookup((PyTypeObject *)kind_types[k], name) : NULL;
		PyMethodDef *m;

		if (!d || !Py_IS_TYPE(d, &PyMethodDescr_Type))
			continue;
		/* The method's definition is the type's own static table: the
		 * descriptor and bound methods read ml_meth at every call. */
		m = ((PyMethodDescrObject *)d)->d_method;
		if (m->ml_flags == METH_NOARGS && m->ml_meth != mine[k]) {
			real_close[k] = m->ml_meth;
			m->ml_meth = mine[k];
		}
	}
	Py_DECREF(name);
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

#if PY_VERSION_HEX >= 0x030E0000
static PyObject *yield_gen, *yield_delegate;   /* borrowed: census_yielding */

void census_yielding(PyObject *gen, PyObject *delegate)
{
	yield_gen = gen;
	yield_delegate = delegate;
}
#endif

/* The state inspect would name, without materializing a frame object for
 * the common case of a suspended generator. */
static int state_of(PyObject *gen, int kind)
{
	PyObject *frame;
	int s;

#if PY_VERSION_HEX >= 0x030E0000
	if (gen == yield_gen)
		return SNAP_SUSPENDED;
#endif
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

/* ---- Functions ------------------------------------------------------------------- */

/* The one line all yields of code are on, or -1: every generator of it
 * that is suspended waits there. */
static int yield_line(PyObject *code)
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

/* The index of the code record for code, made when new. Few distinct:
 * searched from the last hit, then in order. */
static long code_index(census *c, PyObject *code, size_t *last)
{
	size_t j;

	if (*last < c->ncodes && c->codes[*last].code == code)
		return (long)*last;
	for (j = 0; j < c->ncodes; j++)
		if (c->codes[j].code == code)
			return (long)(*last = j);
	if (c->ncodes == c->codes_cap) {
		size_t cap = c->codes_cap ? c->codes_cap * 2 : 16;
		code_rec *v = ys_realloc(c->codes, cap * sizeof *v);

		if (!v) {
			PyErr_NoMemory();
			return -1;
		}
		c->codes = v;
		c->codes_cap = cap;
	}
	memset(&c->codes[j], 0, sizeof c->codes[j]);
	c->codes[j].code = code;
	c->codes[j].qualname = PyCode_Check(code) ? ((PyCodeObject *)code)->co_qualname : NULL;
	c->codes[j].yield_line = PyCode_Check(code) ? yield_line(code) : -1;
	c->ncodes++;
	return (long)(*last = j);
}

static void set_state(census *c, size_t i, int state)
{
	entry *e = &c->v[i];

	c->states[e->state]--;
	c->codes[e->code].states[e->state]--;
	e->state = (unsigned char)state;
	c->states[state]++;
	c->codes[e->code].states[state]++;
}

/* ---- Walking the namespace ------------------------------------------------------------ */

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

static uint64_t mix(uint64_t h, const void *p)
{
	h = (h ^ (uint64_t)(uintptr_t)p) * 0x100000001B3ull;
	return h ^ (h >> 31);
}

/* mix over items[0..n), in four independent lanes: a million items
 * digest in about a millisecond, memory bound. */
static uint64_t digest_items(uint64_t h, PyObject *const *items, Py_ssize_t n)
{
	uint64_t l0 = h, l1 = h + 1, l2 = h + 2, l3 = h + 3;
	Py_ssize_t i;

	for (i = 0; i + 4 <= n; i += 4) {
		l0 = mix(l0, items[i]);
		l1 = mix(l1, items[i + 1]);
		l2 = mix(l2, items[i + 2]);
		l3 = mix(l3, items[i + 3]);
	}
	for (; i < n; i++)
		l0 = mix(l0, items[i]);
	return mix(mix(mix(mix(h, (void *)(uintptr_t)l0), (void *)(uintptr_t)l1),
	               (void *)(uintptr_t)l2), (void *)(uintptr_t)l3);
}

/* The kind of container o is, when the census looks into it: 1 a list or
 * tuple, 2 a deque, 3 a dict; 0 otherwise. Containers whose subscripting
 * a subclass redefined are not looked into, like any other object's
 * insides: no label could be trusted to reach their items. */
static int container_kind(const census *c, PyObject *o)
{
	if ((PyList_Check(o) && plain_subscript(o, &PyList_Type)) ||
	    (PyTuple_Check(o) && plain_subscript(o, &PyTuple_Type)))
		return 1;
	if (PyObject_TypeCheck(o, (PyTypeObject *)c->deque) &&
	    plain_subscript(o, (PyTypeObject *)c->deque))
		return 2;
	if (PyDict_Check(o) && plain_subscript(o, &PyDict_Type))
		return 3;
	return 0;
}

/* Whether the census finds nothing through o, whatever o holds. */
static bool inert(const census *c, PyObject *o)
{
	return kind_of(o) < 0 && !PyList_Check(o) && !PyTuple_Check(o) &&
	       !PyDict_Check(o) && !PyObject_TypeCheck(o, (PyTypeObject *)c->deque);
}

/* A digest of the identities of a container's items (and a dict's keys),
 * in order: equal digests, same items. With add, visits the generators
 * among them (c not NULL). Reads the storage, which is what `name[i]`
 * reads: no __iter__ of a subclass is called. -1 on failure. */
static int visit_container(census *c, bool add_items, size_t ref, PyObject *value,
                           int ckind, uint64_t *sum)
{
	uint64_t h = 0xCBF29CE484222325ull;
	Py_ssize_t i, n;

	if (ckind == 1) {
		PyObject **items = PyList_Check(value) ? ((PyListObject *)value)->ob_item :
		                   ((PyTupleObject *)value)->ob_item;

		/* add() runs no Python code: the storage cannot move under us. */
		n = Py_SIZE(value);
		h = digest_items(mix(h, (void *)(uintptr_t)n), items, n);
		for (i = 0; add_items && i < n; i++)
			if (add(c, items[i], VIA_ITEM, ref, NULL, (size_t)i) == -2)
				return -1;
	} else if (ckind == 2) {
		PyObject *it = PyObject_GetIter(value), *item;

		if (!it)
			return -1;
		for (i = 0; (item = PyIter_Next(it)); i++) {
			long r = add_items ? add(c, item, VIA_ITEM, ref, NULL, (size_t)i) : 0;

			h = mix(h, item);
			Py_DECREF(item);
			if (r == -2)
				break;
		}
		Py_DECREF(it);
		if (PyErr_Occurred())
			return -1;
	} else if (ckind == 3) {
		PyObject *k, *v;
		Py_ssize_t at = 0;
		bool by_place = plain_values(value);

		/* Every key type: a key no expression spells is labelled by its
		 * value's place (label_of), when values() is the dict's own. */
		for (i = 0; PyDict_Next(value, &at, &k, &v); i++) {
			h = mix(mix(h, k), v);
			if (!add_items)
				continue;
			if (!by_place && kind_of(v) >= 0) {
				PyObject *expr = key_expr(c, k, 0);

				if (!expr)
					continue;
				Py_DECREF(expr);
			}
			if (add(c, v, VIA_KEY, ref, k, (size_t)i) == -2)
				return -1;
		}
	}
	*sum = h;
	return 0;
}

/* The locals of gen's frame as a list of (name, value) pairs, or NULL
 * (no exception) when it has none. */
static PyObject *locals_of(PyObject *gen, int kind)
{
	PyObject *frame = attr(gen, kind, A_FRAME);
	PyObject *locals = frame && frame != Py_None ?
		PyObject_GetAttrString(frame, "f_locals") : NULL;
	PyObject *items = locals ? PyMapping_Items(locals) : NULL;

	PyErr_Clear();
	Py_XDECREF(locals);
	Py_XDECREF(frame);
	return items;
}

/* Follow one suspended generator: its delegate, and its frame's locals. */
static int follow(census *c, size_t i, size_t *budget)
{
	entry *e = &c->v[i];
	PyObject *gen = e->gen, *d;
	int kind = e->kind;
	long r;

	d = attr(gen, kind, A_DELEGATE);
	if (!d)
		return -1;
#if PY_VERSION_HEX >= 0x030E0000
	if (gen == yield_gen) {
		Py_DECREF(d);
		d = Py_NewRef(yield_delegate ? yield_delegate : Py_None);
	}
#endif
	if (d != Py_None) {
		r = add(c, d, VIA_DELEGATE, i, NULL, 0);
		if (r == -2) {
			Py_DECREF(d);
			return -1;
		}
		e = &c->v[i];
		e->delegate = (int32_t)(r >= 0 ? r : find(c, d));
		if (e->delegate < 0)
			e->delegate = -2;
		/* Even a delegate seen before, or none of ours: the parent's
		 * next step may change what it reaches. */
		e->flags |= F_PARENT;
	}
	Py_DECREF(d);
	if (*budget > 0) {
		PyObject *items = locals_of(gen, kind);
		Py_ssize_t j, n = items ? PyList_GET_SIZE(items) : 0;

		(*budget)--;
		if (!*budget)
			c->budget_cut = i;
		c->v[i].flags |= F_LOCALS;
		for (j = 0; j < n; j++) {
			PyObject *pair = PyList_GET_ITEM(items, j);

			if (kind_of(PyTuple_GET_ITEM(pair, 1)) >= 0)
				c->v[i].flags |= F_PARENT;
			if (add(c, PyTuple_GET_ITEM(pair, 1), VIA_LOCAL, i,
			        PyTuple_GET_ITEM(pair, 0), 0) == -2)
				break;
		}
		Py_XDECREF(items);
		if (PyErr_Occurred())
			return -1;
	}
	return 0;
}

static void hold(census *c, bool on)
{
	size_t i;

	if (c->held == on)
		return;
	for (i = 0; i < c->nnames; i++) {
		if (on)
			Py_INCREF(c->names[i].key);
		else
			Py_DECREF(c->names[i].key);
	}
	for (i = 0; c->nsubs && i < c->n; i++) {
		if (!c->v[i].sub)
			continue;
		if (on)
			Py_INCREF(c->v[i].sub);
		else
			Py_DECREF(c->v[i].sub);
	}
	c->held = on;
}

/* Forget every generator, keeping the memory for the next walk. */
static void forget(census *c)
{
	hold(c, false);
	c->n = 0;
	c->nnames = 0;
	c->ncodes = 0;
	c->ncreated = 0;
	c->nsubs = 0;
	c->nran = 0;
	memset(c->states, 0, sizeof c->states);
	if (c->slots)
		memset(c->slots, 0, c->nslots * sizeof *c->slots);
	c->stale = false;
	c->walk_only = false;
}

/* The whole walk: names, their containers, then breadth first through
 * delegates and, within the budget, the locals of suspended frames. */
static int walk(census *c, PyObject *ns)
{
	PyObject *name, *value;
	Py_ssize_t at = 0;
	size_t k, budget = c->budget, last = 0;
	bool shadowed;

	forget(c);
	c->ns = ns;
	c->budget_cut = SIZE_MAX;
	/* Every name counts, whatever its type or spelling (`__double`,
	 * `globals()['my beat']`). Nothing below runs Python code, so the
	 * namespace cannot change while it is read. */
	shadowed = PyDict_GetItemString(ns, "globals") != NULL;
	while (PyDict_Next(ns, &at, &name, &value)) {
		name_rec *r;
		int ck;

		if (c->nnames == c->names_cap) {
			size_t cap = c->names_cap ? c->names_cap * 2 : 64;
			name_rec *v = ys_realloc(c->names, cap * sizeof *v);

			if (!v) {
				PyErr_NoMemory();
				return -1;
			}
			c->names = v;
			c->names_cap = cap;
		}
		r = &c->names[c->nnames++];
		memset(r, 0, sizeof *r);
		r->key = name;
		r->value = value;
		r->type = Py_TYPE(value);
		r->inert = inert(c, value);
		/* `globals()[...]` spells the others, unless the lesson took
		 * the name globals for something else. */
		if (shadowed && !spellable_name(name))
			continue;
		if (add(c, value, VIA_NAME, c->nnames - 1, NULL, 0) == -2)
			return -1;
		/* A subclass may redefine what subscripting means at any time:
		 * only the builtin containers are followed step by step. */
		if ((PyList_Check(value) && !PyList_CheckExact(value)) ||
		    (PyTuple_Check(value) && !PyTuple_CheckExact(value)) ||
		    (PyDict_Check(value) && !PyDict_CheckExact(value)) ||
		    (PyObject_TypeCheck(value, (PyTypeObject *)c->deque) &&
		     !Py_IS_TYPE(value, (PyTypeObject *)c->deque)))
			c->walk_only = true;
		ck = container_kind(c, value);
		if (!ck)
			continue;
		r->looked = true;
		if (visit_container(c, true, c->nnames - 1, value, ck, &r->sum) < 0)
			return -1;
	}
	for (k = 0; k < c->n; k++) {
		entry *e = &c->v[k];
		PyObject *code = attr(e->gen, e->kind, A_CODE);
		long ci;
		int state;

		/* The generator holds its code: borrowed for as long as it
		 * lives. Its generators are counted under the code's qualname,
		 * the name the cards and the events give (a functools.wraps
		 * wrapper renames the generator, not its code). */
		Py_XDECREF(code);
		if (!code)
			return -1;
		ci = code_index(c, code, &last);
		if (ci < 0)
			return -1;
		state = state_of(e->gen, e->kind);
		e = &c->v[k];
		e->code = (uint32_t)ci;
		e->state = (unsigned char)state;
		c->states[state]++;
		c->codes[ci].states[state]++;
		if (state == SNAP_RUNNING)
			c->walk_only = true;
		if (state == SNAP_CREATED) {
			if (c->ncreated < CREATED_RECHECK) {
				if (!c->created)
					c->created = ys_calloc(CREATED_RECHECK, sizeof *c->created);
				if (!c->created) {
					PyErr_NoMemory();
					return -1;
				}
				c->created[c->ncreated++] = (uint32_t)k;
			} else {
				c->walk_only = true;
			}
		}
		/* Only a suspended frame is followed. A running one (seen at a
		 * pause of line stepping) is executing: its value stack is not
		 * where the frame says, and 3.11's gi_yieldfrom would read (and
		 * incref) a stale slot of it. The pause labels its stack from
		 * the frames themselves (pause() in the helper). */
		if (state == SNAP_SUSPENDED && follow(c, k, &budget) < 0)
			return -1;
	}
	return 0;
}

/* ---- Following a step ------------------------------------------------------------------
 * A generator's state, delegate and locals change only when its frame
 * runs, and the step hooks see every frame that runs (resume, yield,
 * return, raise). So after a step that left the namespace and the
 * containers looked into as they were (same names, same identities in
 * the same order: a digest says so), the census is the last one with the
 * generators that ran brought up to date. Anything else walks again:
 * a counted generator died, ran outside a step, or reaches others; the
 * hooks stopped recording; another thread runs Python.
 */

static bool other_threads(void)
{
	PyThreadState *t = PyInterpreterState_ThreadHead(PyInterpreterState_Get());
	int n = 0;

	for (; t; t = PyThreadState_Next(t))
		n++;
	return n > 1;
}

/* Whether the namespace and the containers looked into hold what they
 * held at the walk: the same names in the same order, each bound to the
 * same object, or (a counter, a result) from one the census finds
 * nothing through to another such, which it then records. */
static bool names_same(census *c, PyObject *ns)
{
	PyObject *k, *v;
	Py_ssize_t at = 0;
	size_t i = 0;

	if ((size_t)PyDict_GET_SIZE(ns) != c->nnames)
		return false;
	while (PyDict_Next(ns, &at, &k, &v)) {
		name_rec *r = &c->names[i++];
		uint64_t sum;

		if (r->key != k)
			return false;
		if (r->value != v || r->type != Py_TYPE(v)) {
			if (!r->inert || !inert(c, v))
				return false;
			r->value = v;
			r->type = Py_TYPE(v);
			continue;
		}
		if (!r->looked)
			continue;
		if (visit_container(c, false, 0, v, container_kind(c, v), &sum) < 0) {
			PyErr_Clear();
			return false;
		}
		if (sum != r->sum)
			return false;
	}
	return true;
}

/* Whether any of gen's frame locals is a generator. */
static bool locals_reach(PyObject *gen, int kind)
{
	PyObject *items = locals_of(gen, kind);
	Py_ssize_t j, n = items ? PyList_GET_SIZE(items) : 0;
	bool found = false;

	for (j = 0; j < n && !found; j++)
		found = kind_of(PyTuple_GET_ITEM(PyList_GET_ITEM(items, j), 1)) >= 0;
	Py_XDECREF(items);
	return found;
}

/* Bring entry i up to date after its frame may have run. Returns false
 * when what the census reaches through it may have changed. */
static bool refresh(census *c, size_t i)
{
	entry *e = &c->v[i];
	int state, was = e->state;
	bool budgeted = c->budget_cut == SIZE_MAX || i <= c->budget_cut;

	if (e->flags & F_PARENT)
		return false;
	state = state_of(e->gen, e->kind);
	if (state == SNAP_RUNNING)
		return false;
	/* Suspended or not decides whose locals the budget pays for. */
	if ((state == SNAP_SUSPENDED) != (was == SNAP_SUSPENDED) && budgeted)
		return false;
	if (state == SNAP_SUSPENDED) {
		PyObject *d = attr(e->gen, e->kind, A_DELEGATE);
		bool delegates = d && d != Py_None;

		Py_XDECREF(d);
		if (!d) {
			PyErr_Clear();
			return false;
		}
		if (delegates || ((e->flags & F_LOCALS) && locals_reach(e->gen, e->kind)))
			return false;
	}
	if (state != was)
		set_state(c, i, state);
	return true;
}

void census_ran(census *c, PyFrameObject *frame)
{
	PyObject *gen;
	long i;

	if (!c || c->stale || !c->nslots)
		return;
	/* While the frame runs it belongs to its generator; once the
	 * generator has finished, the frame no longer knows it. */
	gen = PyFrame_GetGenerator(frame);
	i = gen ? find(c, gen) : -1;
	Py_XDECREF(gen);
	ran_index(c, i);
}

/* Entry i (or none, -1) ran in this step. */
static void ran_index(census *c, long i)
{
	if (i < 0 || (c->v[i].flags & F_SEEN))
		return;
	if (c->nran == c->ran_cap) {
		size_t cap = c->ran_cap ? c->ran_cap * 2 : 64;
		uint32_t *v = ys_realloc(c->ran, cap * sizeof *v);

		if (!v) {
			/* Not knowing which ran, the next update walks. */
			c->stale = true;
			return;
		}
		c->ran = v;
		c->ran_cap = cap;
	}
	if (!c->framed)
		c->framed = ys_calloc(FRAMED_MAX, sizeof *c->framed);
	if (c->framed && c->nframed < FRAMED_MAX)
		c->framed[c->nframed++] = c->v[i].gen;
	c->v[i].flags |= F_SEEN;
	c->ran[c->nran++] = (uint32_t)i;
}

/* The fast path; false when the caller must walk. */
static bool follow_step(census *c, PyObject *ns)
{
	size_t k, kept;
	bool ok = !c->stale && !c->walk_only && c->ns == ns && !other_threads() &&
	          names_same(c, ns);

	for (k = 0; k < c->nran && ok; k++)
		ok = refresh(c, c->ran[k]);
	for (k = kept = 0; k < c->ncreated; k++) {
		size_t i = c->created[k];

		if (ok && !(c->v[i].flags & F_SEEN))
			ok = refresh(c, i);
		if (c->v[i].state == SNAP_CREATED)
			c->created[kept++] = (uint32_t)i;
	}
	c->ncreated = kept;
	PyErr_Clear();
	return ok && !c->stale;
}

/* Forget which generators ran. */
static void ran_clear(census *c)
{
	size_t k;

	for (k = 0; k < c->nran; k++)
		if (c->ran[k] < c->n)
			c->v[c->ran[k]].flags &= (unsigned char)~F_SEEN;
	c->nran = 0;
}

/* YIELDSCOPE_CENSUS_CHECK=1: after every step the fast path took, walk
 * too and compare; a difference is a bug, said on stderr, and the walk's
 * census is kept. */
static bool same_census(const census *a, const census *b)
{
	size_t i;

	if (a->n != b->n || memcmp(a->states, b->states, sizeof a->states) != 0)
		return false;
	for (i = 0; i < a->n; i++) {
		const entry *x = &a->v[i], *y = &b->v[i];

		if (x->gen != y->gen || x->sub != y->sub || x->ref != y->ref ||
		    x->index != y->index || x->delegate != y->delegate ||
		    x->via != y->via || x->state != y->state ||
		    a->codes[x->code].code != b->codes[y->code].code)
			return false;
	}
	return true;
}

static void set_watched(census *c)
{
	if (watched && watched != c)
		watched->watched = false;
	watched = c;
	if (c)
		c->watched = true;
}

census *census_update(census *c, PyObject *ns, PyObject *types, PyObject *deque,
                      size_t locals_budget, bool complete)
{
	bool fast;

	if (!c && !(c = ys_calloc(1, sizeof *c))) {
		PyErr_NoMemory();
		return NULL;
	}
	hold(c, false);
	if (!attrs_ready && attrs_init(types) < 0)
		goto fail;
	c->deque = deque;
	c->budget = locals_budget;
	fast = complete && follow_step(c, ns);
	ran_clear(c);
	if (fast && getenv("YIELDSCOPE_CENSUS_CHECK")) {
		census *w = census_take(ns, types, deque, locals_budget, NULL);

		if (w && !same_census(c, w)) {
			size_t i;

			fprintf(stderr, "yieldscope: census followed the step wrongly "
			        "(%zu generators, walk finds %zu)\n", c->n, w->n);
			for (i = 0; i < c->n && i < w->n; i++)
				fprintf(stderr, "  %zu: state %d/%d via %d/%d delegate %d/%d\n", i,
				        c->v[i].state, w->v[i].state, c->v[i].via, w->v[i].via,
				        (int)c->v[i].delegate, (int)w->v[i].delegate);
			abort();
		}
		census_free(w);
	}
	if (!fast && walk(c, ns) < 0)
		goto fail;
	set_watched(c);
	hold(c, true);
	return c;
fail:
	census_free(c);
	return NULL;
}

census *census_take(PyObject *ns, PyObject *types, PyObject *deque,
                    size_t locals_budget, census *reuse)
{
	census *c = reuse ? reuse : ys_calloc(1, sizeof *c);

	if (!c) {
		PyErr_NoMemory();
		return NULL;
	}
	if (!attrs_ready && attrs_init(types) < 0)
		goto fail;
	c->deque = deque;
	c->budget = locals_budget;
	if (walk(c, ns) < 0)
		goto fail;
	return c;
fail:
	census_free(c);
	return NULL;
}

/* ---- Frame objects the hooks made ------------------------------------------------
 * CPython hands a step hook a frame object for every generator frame that
 * runs (3.11's profile function takes one; from 3.12 the engine asks for
 * it), and the generator keeps it: about 120 bytes each, 12 MB once a
 * hundred thousand tasks have run, which python3 alone never makes. On
 * 3.11 and 3.12, a suspended generator's frame object that nothing but
 * the generator holds, with no trace function, no back frame and no
 * locals written back, carries nothing the generator does not: it is let
 * go, and made again the next time anyone asks for gi_frame. From 3.13
 * a frame object can hold locals of its own (PEP 667): kept.
 */
#if PY_VERSION_HEX < 0x030D0000
/* The head of 3.11 and 3.12's frame object (pycore_frame.h). */
typedef struct {
	PyObject_HEAD
	PyObject *f_back;
	PyObject **f_frame;     /* the interpreter frame: in the generator */
	PyObject *f_trace;
	int f_lineno;
	char f_trace_lines, f_trace_opcodes, f_fast_as_locals;
} frame_head;

static void drop_frame(PyObject *gen, int kind)
{
	PyObject *frame;
	frame_head *f;
	int slot = -1, s;

	if (attr_true(gen, kind, A_SUSPENDED) != 1)
		return;
	frame = attr(gen, kind, A_FRAME);
	if (!frame || !PyFrame_Check(frame)) {
		PyErr_Clear();
		Py_XDECREF(frame);
		return;
	}
	f = (frame_head *)frame;
	/* Ours and the generator's, nothing else; the interpreter frame
	 * inside the generator, its frame_obj slot found by value. */
	if (Py_REFCNT(frame) == 2 && !f->f_back && !f->f_trace && !f->f_fast_as_locals &&
	    (char *)f->f_frame > (char *)gen &&
	    (char *)f->f_frame < (char *)gen + Py_TYPE(gen)->tp_basicsize)
		for (s = 0; s < 8; s++)
			if (f->f_frame[s] == frame)
				slot = slot < 0 ? s : 8;
	if (slot >= 0 && slot < 8) {
		f->f_frame[slot] = NULL;
		Py_DECREF(frame);
	}
	Py_DECREF(frame);
}
#endif

static void drop_frames(census *c)
{
#if PY_VERSION_HEX < 0x030D0000
	size_t k;

	for (k = 0; !c->stale && k < c->nframed; k++) {
		long i = find(c, c->framed[k]);

		if (i >= 0)
			drop_frame(c->v[i].gen, c->v[i].kind);
	}
	PyErr_Clear();
#endif
	c->nframed = 0;
}

void census_release(census *c)
{
	if (!c)
		return;
	hold(c, false);
	if (c == watched)
		drop_frames(c);
	if (c == watched)
		PyEval_SetProfile(NULL, NULL);
}

bool census_stale(const census *c)
{
	return !c || c->stale;
}

void census_free(census *c)
{
	if (!c)
		return;
	census_release(c);
	if (c == watched)
		set_watched(NULL);
	ys_free(c->v);
	ys_free(c->slots);
	ys_free(c->names);
	ys_free(c->codes);
	ys_free(c->created);
	ys_free(c->ran);
	ys_free(c->framed);
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

/* An expression for the namespace's pos-th entry: its name itself,
 * `globals()[key]`, or `[*globals().values()][pos]`. */
static PyObject *global_expr(const census *c, size_t pos)
{
	PyObject *key = c->names[pos].key, *k, *r;

	if (spellable_name(key))
		return Py_NewRef(key);
	k = key_expr(c, key, 0);
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
		k = key_expr(c, e->sub, 0);
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
	if (out->nby_line == *cap) {
		size_t c2 = *cap ? *cap * 2 : 8;
		snap_place *v = ys_realloc(out->by_line, c2 * sizeof *v);

		if (!v)
			return -1;
		out->by_line = v;
		*cap = c2;
	}
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
