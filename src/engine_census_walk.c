/* engine_census_walk.c: the census' walk over the namespace, its
 * containers, and breadth first through delegates and frame locals. */
#include "engine_census_int.h"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- Walking the namespace ------------------------------------------------------------ */

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
int census_container_kind(const census *c, PyObject *o)
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
bool census_inert(const census *c, PyObject *o)
{
	return census_kind_of(o) < 0 && !PyList_Check(o) && !PyTuple_Check(o) &&
	       !PyDict_Check(o) && !PyObject_TypeCheck(o, (PyTypeObject *)c->deque);
}

/* A digest of the identities of a container's items (and a dict's keys),
 * in order: equal digests, same items. With add, visits the generators
 * among them (c not NULL). Reads the storage, which is what `name[i]`
 * reads: no __iter__ of a subclass is called. -1 on failure. */
int census_visit_container(census *c, bool add_items, size_t ref, PyObject *value,
                           int ckind, uint64_t *sum)
{
	uint64_t h = 0xCBF29CE484222325ull;
	Py_ssize_t i, n;

	if (ckind == 1) {
		PyObject **items = PyList_Check(value) ? ((PyListObject *)value)->ob_item :
		                   ((PyTupleObject *)value)->ob_item;

		/* census_add() runs no Python code: the storage cannot move under us. */
		n = Py_SIZE(value);
		h = digest_items(mix(h, (void *)(uintptr_t)n), items, n);
		for (i = 0; add_items && i < n; i++)
			if (census_add(c, items[i], VIA_ITEM, ref, NULL, (size_t)i) == -2)
				return -1;
	} else if (ckind == 2) {
		PyObject *it = PyObject_GetIter(value), *item;

		if (!it)
			return -1;
		for (i = 0; (item = PyIter_Next(it)); i++) {
			long r = add_items ? census_add(c, item, VIA_ITEM, ref, NULL, (size_t)i) : 0;

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
			if (!by_place && census_kind_of(v) >= 0) {
				PyObject *expr = census_key_expr(c, k, 0);

				if (!expr)
					continue;
				Py_DECREF(expr);
			}
			if (census_add(c, v, VIA_KEY, ref, k, (size_t)i) == -2)
				return -1;
		}
	}
	*sum = h;
	return 0;
}

PyObject *census_frame_locals(PyObject *frame)
{
	PyObject *locals = PyObject_GetAttrString(frame, "f_locals");
	PyObject *items = locals ? PyMapping_Items(locals) : NULL;

#if PY_VERSION_HEX < 0x030D0000
	/* Before 3.13 f_locals is a dict the frame keeps, filled from its
	 * variables at each read, and it holds what it was filled with until
	 * the next one: a value the generator then rebinds would live on in
	 * it, its __del__ late by a step. Nobody but the frame and us holding
	 * it, it is emptied again, as if never read (the next read fills it
	 * anew). One the lesson holds is left as CPython would leave it. */
	if (locals && PyDict_CheckExact(locals) && Py_REFCNT(locals) == 2)
		PyDict_Clear(locals);
#endif
	Py_XDECREF(locals);
	return items;
}

/* _frame_locals(frame) for the helper: census_frame_locals. */
static PyObject *frame_locals_fn(PyObject *self, PyObject *frame)
{
	return census_frame_locals(frame);
}

PyMethodDef census_frame_locals_def = { "_frame_locals", frame_locals_fn, METH_O, NULL };

/* The locals of gen's frame as a list of (name, value) pairs, or NULL
 * (no exception) when it has none. */
PyObject *census_locals_of(PyObject *gen, int kind)
{
	PyObject *frame = census_attr(gen, kind, A_FRAME);
	PyObject *items = frame && frame != Py_None ? census_frame_locals(frame) : NULL;

	PyErr_Clear();
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

	d = census_attr(gen, kind, A_DELEGATE);
	if (!d)
		return -1;
#if PY_VERSION_HEX >= 0x030E0000
	if (gen == census_yield_gen) {
		Py_DECREF(d);
		d = Py_NewRef(census_yield_delegate ? census_yield_delegate : Py_None);
	}
#endif
	if (d != Py_None) {
		r = census_add(c, d, VIA_DELEGATE, i, NULL, 0);
		if (r == -2) {
			Py_DECREF(d);
			return -1;
		}
		e = &c->v[i];
		e->delegate = (int32_t)(r >= 0 ? r : census_find(c, d));
		if (e->delegate < 0)
			e->delegate = -2;
		/* Even a delegate seen before, or none of ours: the parent's
		 * next step may change what it reaches. */
		e->flags |= F_PARENT;
	}
	Py_DECREF(d);
	if (*budget > 0) {
		PyObject *items = census_locals_of(gen, kind);
		Py_ssize_t j, n = items ? PyList_GET_SIZE(items) : 0;

		(*budget)--;
		if (!*budget)
			c->budget_cut = i;
		c->v[i].flags |= F_LOCALS;
		for (j = 0; j < n; j++) {
			PyObject *pair = PyList_GET_ITEM(items, j);

			if (census_kind_of(PyTuple_GET_ITEM(pair, 1)) >= 0)
				c->v[i].flags |= F_PARENT;
			if (census_add(c, PyTuple_GET_ITEM(pair, 1), VIA_LOCAL, i,
			        PyTuple_GET_ITEM(pair, 0), 0) == -2)
				break;
		}
		Py_XDECREF(items);
		if (PyErr_Occurred())
			return -1;
	}
	return 0;
}

void census_hold(census *c, bool on)
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
	census_hold(c, false);
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

/* Record one name of the namespace, in the namespace's order (names_same
 * compares them so), and add what it is bound to when the name is an
 * identifier: such a label (`b`) is the shortest there is. */
static int record_name(census *c, PyObject *name, PyObject *value)
{
	name_rec *r;

	r = ys_grow(c->names, c->nnames, &c->names_cap, sizeof *r, 64);
	if (!r) {
		PyErr_NoMemory();
		return -1;
	}
	c->names = r;
	r = &c->names[c->nnames++];
	memset(r, 0, sizeof *r);
	r->key = name;
	r->value = value;
	r->type = Py_TYPE(value);
	r->inert = census_inert(c, value);
	if (census_spellable_name(name) &&
	    census_add(c, value, VIA_NAME, c->nnames - 1, NULL, 0) == -2)
		return -1;
	return 0;
}

/* After every identifier: add what a name of another spelling is bound
 * to, and visit the container name i is. So a generator held both by
 * `b` and by `ready[0]` is labelled `b`, whichever name came first. */
static int visit_name(census *c, size_t i, bool shadowed)
{
	name_rec *r = &c->names[i];
	PyObject *value = r->value;
	int ck;

	if (!census_spellable_name(r->key)) {
		/* `globals()[...]` spells it, unless the lesson took the
		 * name globals for something else. */
		if (shadowed)
			return 0;
		if (census_add(c, value, VIA_NAME, i, NULL, 0) == -2)
			return -1;
	}
	/* A subclass may redefine what subscripting means at any time:
	 * only the builtin containers are followed step by step. */
	if ((PyList_Check(value) && !PyList_CheckExact(value)) ||
	    (PyTuple_Check(value) && !PyTuple_CheckExact(value)) ||
	    (PyDict_Check(value) && !PyDict_CheckExact(value)) ||
	    (PyObject_TypeCheck(value, (PyTypeObject *)c->deque) &&
	     !Py_IS_TYPE(value, (PyTypeObject *)c->deque)))
		c->walk_only = true;
	ck = census_container_kind(c, value);
	if (!ck)
		return 0;
	r->looked = true;
	return census_visit_container(c, true, i, value, ck, &r->sum);
}

/* Keep created entry k among those read again after every step, or,
 * past CREATED_RECHECK of them, make the next update walk. */
static int note_created(census *c, size_t k)
{
	if (c->ncreated >= CREATED_RECHECK) {
		c->walk_only = true;
		return 0;
	}
	if (!c->created)
		c->created = ys_calloc(CREATED_RECHECK, sizeof *c->created);
	if (!c->created) {
		PyErr_NoMemory();
		return -1;
	}
	c->created[c->ncreated++] = (uint32_t)k;
	return 0;
}

/* Count entry k under its code and state, and follow it when suspended.
 * last: the code record found last; budget: the locals still to search. */
static int count_entry(census *c, size_t k, size_t *last, size_t *budget)
{
	entry *e = &c->v[k];
	PyObject *code = census_attr(e->gen, e->kind, A_CODE);
	long ci;
	int state;

	/* The generator holds its code: borrowed for as long as it
	 * lives. Its generators are counted under the code's qualname,
	 * the name the cards and the events give (a functools.wraps
	 * wrapper renames the generator, not its code). */
	Py_XDECREF(code);
	if (!code)
		return -1;
	ci = census_code_index(c, code, last);
	if (ci < 0)
		return -1;
	state = census_state_of(e->gen, e->kind);
	e = &c->v[k];
	e->code = (uint32_t)ci;
	e->state = (unsigned char)state;
	c->states[state]++;
	c->codes[ci].states[state]++;
	if (state == SNAP_RUNNING)
		c->walk_only = true;
	if (state == SNAP_CREATED && note_created(c, k) < 0)
		return -1;
	/* Only a suspended frame is followed. A running one (seen at a
	 * pause of line stepping) is executing: its value stack is not
	 * where the frame says, and 3.11's gi_yieldfrom would read (and
	 * incref) a stale slot of it. The pause labels its stack from
	 * the frames themselves (pause() in the helper). */
	if (state == SNAP_SUSPENDED && follow(c, k, budget) < 0)
		return -1;
	return 0;
}

/* The whole walk: identifier names, then the other names and the
 * containers, then breadth first through delegates and, within the
 * budget, the locals of suspended frames. */
int census_walk(census *c, PyObject *ns)
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
	while (PyDict_Next(ns, &at, &name, &value))
		if (record_name(c, name, value) < 0)
			return -1;
	for (k = 0; k < c->nnames; k++)
		if (visit_name(c, k, shadowed) < 0)
			return -1;
	/* c->n grows as frames are followed: breadth first. */
	for (k = 0; k < c->n; k++)
		if (count_entry(c, k, &last, &budget) < 0)
			return -1;
	return 0;
}
