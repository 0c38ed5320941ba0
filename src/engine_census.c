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
 * spelled from, as the namespace does.
 *
 * This file keeps the set of generators seen, the census brought up to
 * date after a step (followed from the frames that ran, or walked) and
 * its life; the walk is engine_census_walk.c, reading a generator
 * engine_census_read.c, the wrapped deallocators and close methods
 * engine_census_watch.c, labels and counts engine_census_entries.c. */
#include "engine_census_int.h"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- The set of generators seen --------------------------------------------- */

static size_t slot_of(const census *c, PyObject *o)
{
	size_t h = ((size_t)(uintptr_t)o >> 4) * 0x9E3779B97F4A7C15ull;

	return (h >> 16) & (c->nslots - 1);
}

long census_find(const census *c, PyObject *o)
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
int census_kind_of(PyObject *o)
{
	int kind;

	for (kind = 0; kind < 3; kind++)
		if ((PyObject *)Py_TYPE(o) == census_kind_types[kind])
			return kind;
	return -1;
}

/* Add o when it is a generator not seen yet. Runs no Python code. Returns
 * its index, -1 when it is no generator or already known, -2 on failure. */
long census_add(census *c, PyObject *o, int via, size_t ref, PyObject *sub,
                size_t index)
{
	int kind = census_kind_of(o);
	entry *e;
	size_t i;

	if (kind < 0)
		return -1;
	if (census_find(c, o) >= 0)
		return -1;
	if (c->n >= UINT32_MAX - 1) {
		PyErr_NoMemory();
		return -2;
	}
	if (!(e = ys_grow(c->v, c->n, &c->cap, sizeof *e, 256))) {
		PyErr_NoMemory();
		return -2;
	}
	c->v = e;
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

/* The index of the code record for code, made when new. Few distinct:
 * searched from the last hit, then in order. */
long census_code_index(census *c, PyObject *code, size_t *last)
{
	code_rec *v;
	size_t j;

	if (*last < c->ncodes && c->codes[*last].code == code)
		return (long)*last;
	for (j = 0; j < c->ncodes; j++)
		if (c->codes[j].code == code)
			return (long)(*last = j);
	v = ys_grow(c->codes, c->ncodes, &c->codes_cap, sizeof *v, 16);
	if (!v) {
		PyErr_NoMemory();
		return -1;
	}
	c->codes = v;
	memset(&c->codes[j], 0, sizeof c->codes[j]);
	c->codes[j].code = code;
	c->codes[j].qualname = PyCode_Check(code) ? ((PyCodeObject *)code)->co_qualname : NULL;
	c->codes[j].yield_line = PyCode_Check(code) ? census_yield_line(code) : -1;
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
			if (!r->inert || !census_inert(c, v))
				return false;
			r->value = v;
			r->type = Py_TYPE(v);
			continue;
		}
		if (!r->looked)
			continue;
		if (census_visit_container(c, false, 0, v, census_container_kind(c, v), &sum) < 0) {
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
	PyObject *items = census_locals_of(gen, kind);
	Py_ssize_t j, n = items ? PyList_GET_SIZE(items) : 0;
	bool found = false;

	for (j = 0; j < n && !found; j++)
		found = census_kind_of(PyTuple_GET_ITEM(PyList_GET_ITEM(items, j), 1)) >= 0;
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
	state = census_state_of(e->gen, e->kind);
	if (state == SNAP_RUNNING)
		return false;
	/* Suspended or not decides whose locals the budget pays for. */
	if ((state == SNAP_SUSPENDED) != (was == SNAP_SUSPENDED) && budgeted)
		return false;
	if (state == SNAP_SUSPENDED) {
		PyObject *d = census_attr(e->gen, e->kind, A_DELEGATE);
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
	i = gen ? census_find(c, gen) : -1;
	Py_XDECREF(gen);
	census_ran_index(c, i);
}

/* Entry i (or none, -1) ran in this step. */
void census_ran_index(census *c, long i)
{
	uint32_t *v;

	if (i < 0 || (c->v[i].flags & F_SEEN))
		return;
	v = ys_grow(c->ran, c->nran, &c->ran_cap, sizeof *v, 64);
	if (!v) {
		/* Not knowing which ran, the next update walks. */
		c->stale = true;
		return;
	}
	c->ran = v;
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

census *census_update(census *c, PyObject *ns, PyObject *types, PyObject *deque,
                      size_t locals_budget, bool complete)
{
	bool fast;

	if (!c && !(c = ys_calloc(1, sizeof *c))) {
		PyErr_NoMemory();
		return NULL;
	}
	census_hold(c, false);
	if (census_ready(types) < 0)
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
	if (!fast && census_walk(c, ns) < 0)
		goto fail;
	census_set_watched(c);
	census_hold(c, true);
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
	if (census_ready(types) < 0)
		goto fail;
	c->deque = deque;
	c->budget = locals_budget;
	if (census_walk(c, ns) < 0)
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

	if (census_attr_true(gen, kind, A_SUSPENDED) != 1)
		return;
	frame = census_attr(gen, kind, A_FRAME);
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
		long i = census_find(c, c->framed[k]);

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
	census_hold(c, false);
	if (c == census_watched())
		drop_frames(c);
	if (c == census_watched())
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
	if (c == census_watched())
		census_set_watched(NULL);
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
