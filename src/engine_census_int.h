/* engine_census_int.h: what the census' files share (engine_census*.c):
 * its entries and records, and the functions one part of it calls in
 * another. Includes Python.h through engine_int.h: engine files only. */
#ifndef YS_ENGINE_CENSUS_INT_H
#define YS_ENGINE_CENSUS_INT_H

#include "engine_int.h"

#include <stdint.h>

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

/* The generator, coroutine and async generator types (census_ready). */
extern PyObject *census_kind_types[3];

/* ---- The set of generators seen (engine_census.c) ------------------------ */

/* The index of o's entry, or -1. */
long census_find(const census *c, PyObject *o);
/* 0, 1, 2 for a generator, coroutine, async generator; -1 for anything
 * else. */
int census_kind_of(PyObject *o);
/* Add o when it is a generator not seen yet. Runs no Python code. Returns
 * its index, -1 when it is no generator or already known, -2 on failure. */
long census_add(census *c, PyObject *o, int via, size_t ref, PyObject *sub,
                size_t index);
/* The index of the code record for code, made when new; -1 on failure. */
long census_code_index(census *c, PyObject *code, size_t *last);
/* Entry i (or none, -1) ran in this step. */
void census_ran_index(census *c, long i);

/* ---- Reading generators fast (engine_census_read.c) ---------------------- */

enum { A_RUNNING, A_SUSPENDED, A_DELEGATE, A_FRAME, A_CODE, NATTRS };

/* Find the generator types' attribute getters in types (a dict {type:
 * kind}) and wrap what census_watch_types wraps, once. 0, or -1 with an
 * exception. */
int census_ready(PyObject *types);
/* A new reference to attribute a of gen, or NULL with an exception. */
PyObject *census_attr(PyObject *gen, int kind, int a);
/* Attribute a of gen as a truth value; -1 (no exception) when unreadable. */
int census_attr_true(PyObject *gen, int kind, int a);
/* The state inspect would name (SNAP_*). */
int census_state_of(PyObject *gen, int kind);
/* The one line all yields of code are on, or -1. */
int census_yield_line(PyObject *code);
#if PY_VERSION_HEX >= 0x030E0000
/* Borrowed: the generator census_yielding says is yielding, and what it
 * delegates to. */
extern PyObject *census_yield_gen, *census_yield_delegate;
#endif

/* ---- Deaths and resumes outside the census' sight (engine_census_watch.c) */

/* Wrap the generator types' deallocators and close methods, once the
 * types are known. 0, or -1 with an exception. */
int census_watch_types(void);
/* The census whose generators' deaths and resumes mark it stale, or NULL. */
census *census_watched(void);
/* Make c (or none) that census. */
void census_set_watched(census *c);

/* ---- Walking the namespace (engine_census_walk.c) ------------------------ */

/* Forget every generator and walk ns again. 0, or -1 with an exception. */
int census_walk(census *c, PyObject *ns);
/* Hold (on) or let go of the names and subs the labels are spelled from. */
void census_hold(census *c, bool on);
/* Whether the census finds nothing through o, whatever o holds. */
bool census_inert(const census *c, PyObject *o);
/* 1 a list or tuple, 2 a deque, 3 a dict the census looks into; 0
 * otherwise. */
int census_container_kind(const census *c, PyObject *o);
/* A digest of a container's items; with add_items, adds the generators
 * among them. -1 on failure. */
int census_visit_container(census *c, bool add_items, size_t ref, PyObject *value,
                           int ckind, uint64_t *sum);
/* The locals of gen's frame as a list of (name, value) pairs, or NULL
 * (no exception) when it has none. */
PyObject *census_locals_of(PyObject *gen, int kind);

/* ---- Labels (engine_census_entries.c) ------------------------------------ */

/* Whether s is a name an expression can spell. */
bool census_spellable_name(PyObject *s);
/* An expression evaluating to a key equal to o: a new str, or NULL (no
 * exception). */
PyObject *census_key_expr(const census *c, PyObject *o, int depth);

#endif
