/* snapshot.c: names of kinds, states and events; copying and freeing. */
#include "config.h"

#include <string.h>

#include "snapshot.h"
#include "util.h"

const char *snap_kind_name(snap_kind kind)
{
	switch (kind) {
	case SNAP_COROUTINE: return "coroutine";
	case SNAP_ASYNC_GENERATOR: return "async_generator";
	case SNAP_GENERATOR: break;
	}
	return "generator";
}

const char *snap_state_name(snap_kind kind, snap_state state)
{
	static const char *const names[3][4] = {
		{ "GEN_CREATED", "GEN_RUNNING", "GEN_SUSPENDED", "GEN_CLOSED" },
		{ "CORO_CREATED", "CORO_RUNNING", "CORO_SUSPENDED", "CORO_CLOSED" },
		{ "AGEN_CREATED", "AGEN_RUNNING", "AGEN_SUSPENDED", "AGEN_CLOSED" },
	};
	return names[kind][state];
}

const char *snap_state_word(snap_state state)
{
	static const char *const words[] = { "created", "running", "suspended", "closed" };
	return words[state];
}

const char *snap_event_name(snap_event_kind ev)
{
	static const char *const names[] = { "resume", "yield", "return", "raise" };
	return names[ev];
}

const char *snap_how_name(snap_how how)
{
	static const char *const names[] = { NULL, "next", "send", "throw", "close" };
	return names[how];
}

const char *snap_pause_name(snap_pause_kind kind)
{
	static const char *const names[] = { "line", "resume", "yield", "return", "raise",
	                                     "callback" };
	return names[kind];
}

void snap_loop_borrow(const snap_loop *l, snap_step *st)
{
	st->loop_used = true;
	st->loop_time = l->time;
	st->tasks = l->tasks;
	st->ntasks = l->ntasks;
	st->total_tasks = l->total_tasks;
	memcpy(st->task_states, l->task_states, sizeof st->task_states);
	st->ready = l->ready;
	st->nready = l->nready;
	st->total_ready = l->total_ready;
	st->timers = l->timers;
	st->ntimers = l->ntimers;
	st->total_timers = l->total_timers;
	st->loop_closed = false;
}

size_t snap_callback_pauses(const snap_step *st, size_t from)
{
	size_t i, n = 0;

	for (i = from; i < st->npauses; i++)
		n += st->pauses[i].kind == SNAP_PAUSE_CALLBACK && st->pauses[i].loop;
	return n;
}

const snap_gen *snap_find(const snap_step *st, const char *label)
{
	size_t i;

	if (!label)
		return NULL;
	for (i = 0; i < st->ngens; i++)
		if (st->gens[i].label && strcmp(st->gens[i].label, label) == 0)
			return &st->gens[i];
	return NULL;
}

const snap_task *snap_find_task(const snap_step *st, const char *label)
{
	size_t i;

	for (i = 0; label && i < st->ntasks; i++)
		if (st->tasks[i].label && strcmp(st->tasks[i].label, label) == 0)
			return &st->tasks[i];
	return NULL;
}

/* Copy one string; *ok turns false when a non-NULL string cannot be copied. */
static char *dup(const char *s, bool *ok)
{
	char *d;

	if (!s)
		return NULL;
	d = ys_strdup(s);
	if (!d)
		*ok = false;
	return d;
}

/* A zeroed array of n items for a copy; NULL for none, and NULL with *ok
 * false when out of memory. */
static void *new_array(size_t n, size_t size, bool *ok)
{
	void *d;

	if (!n)
		return NULL;
	d = ys_calloc(n, size);
	if (!d)
		*ok = false;
	return d;
}

static snap_local *copy_locals(const snap_local *src, size_t n, bool *ok)
{
	snap_local *d = new_array(n, sizeof *d, ok);
	size_t j;

	for (j = 0; d && j < n; j++) {
		d[j].name = dup(src[j].name, ok);
		d[j].repr = dup(src[j].repr, ok);
	}
	return d;
}

static void free_locals(snap_local *v, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++) {
		ys_free(v[j].name);
		ys_free(v[j].repr);
	}
	ys_free(v);
}

/* Copies of n generators; NULL (and *ok false) when out of memory. */
static snap_gen *copy_gens(const snap_gen *src, size_t n, bool *ok)
{
	snap_gen *d = new_array(n, sizeof *d, ok);
	size_t i;

	for (i = 0; d && i < n; i++) {
		d[i] = src[i];
		d[i].label = dup(src[i].label, ok);
		d[i].function = dup(src[i].function, ok);
		d[i].filename = dup(src[i].filename, ok);
		d[i].delegate = dup(src[i].delegate, ok);
		d[i].locals = copy_locals(src[i].locals, src[i].nlocals, ok);
		if (src[i].nlocals && !d[i].locals)
			d[i].nlocals = 0;
	}
	return d;
}

static void free_gens(snap_gen *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ys_free(v[i].label);
		ys_free(v[i].function);
		ys_free(v[i].filename);
		ys_free(v[i].delegate);
		free_locals(v[i].locals, v[i].nlocals);
	}
	ys_free(v);
}

static snap_task *copy_tasks(const snap_task *src, size_t n, bool *ok);
static snap_callback *copy_callbacks(const snap_callback *src, size_t n, bool *ok);
static void free_tasks(snap_task *tasks, size_t n);
static void free_callbacks(snap_callback *c, size_t n);

/* A callback pause's loop: a deep copy, NULL for NULL. */
static snap_loop *copy_loop(const snap_loop *src, bool *ok)
{
	snap_loop *d;

	if (!src)
		return NULL;
	d = new_array(1, sizeof *d, ok);
	if (!d)
		return NULL;
	*d = *src;
	d->next.callback = dup(src->next.callback, ok);
	d->next.task = dup(src->next.task, ok);
	d->tasks = copy_tasks(src->tasks, src->ntasks, ok);
	d->ntasks = d->tasks ? src->ntasks : 0;
	d->ready = copy_callbacks(src->ready, src->nready, ok);
	d->nready = d->ready ? src->nready : 0;
	d->timers = copy_callbacks(src->timers, src->ntimers, ok);
	d->ntimers = d->timers ? src->ntimers : 0;
	return d;
}

static void free_loop(snap_loop *l)
{
	if (!l)
		return;
	ys_free(l->next.callback);
	ys_free(l->next.task);
	free_tasks(l->tasks, l->ntasks);
	free_callbacks(l->ready, l->nready);
	free_callbacks(l->timers, l->ntimers);
	ys_free(l);
}

static snap_pause *copy_pauses(const snap_pause *src, size_t n, bool *ok)
{
	snap_pause *d = new_array(n, sizeof *d, ok);
	size_t i, j;

	for (i = 0; d && i < n; i++) {
		d[i].kind = src[i].kind;
		d[i].value = dup(src[i].value, ok);
		d[i].gens = copy_gens(src[i].gens, src[i].ngens, ok);
		d[i].ngens = d[i].gens ? src[i].ngens : 0;
		d[i].loop = copy_loop(src[i].loop, ok);
		d[i].stack = new_array(src[i].nstack, sizeof *d[i].stack, ok);
		if (!d[i].stack)
			continue;
		d[i].nstack = src[i].nstack;
		for (j = 0; j < src[i].nstack; j++) {
			const snap_frame *f = &src[i].stack[j];
			snap_frame *g = &d[i].stack[j];

			*g = *f;
			g->function = dup(f->function, ok);
			g->label = dup(f->label, ok);
			g->filename = dup(f->filename, ok);
			g->locals = copy_locals(f->locals, f->nlocals, ok);
			if (f->nlocals && !g->locals)
				g->nlocals = 0;
		}
	}
	return d;
}

static void free_pauses(snap_pause *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		ys_free(v[i].value);
		free_gens(v[i].gens, v[i].ngens);
		free_loop(v[i].loop);
		for (j = 0; j < v[i].nstack; j++) {
			ys_free(v[i].stack[j].function);
			ys_free(v[i].stack[j].label);
			ys_free(v[i].stack[j].filename);
			free_locals(v[i].stack[j].locals, v[i].stack[j].nlocals);
		}
		ys_free(v[i].stack);
	}
	ys_free(v);
}

static void free_tasks(snap_task *tasks, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (tasks[i].block) {
			ys_free(tasks[i].block);
			continue;
		}
		for (j = 0; j < tasks[i].nhops; j++) {
			ys_free(tasks[i].hops[j].kind);
			ys_free(tasks[i].hops[j].function);
			ys_free(tasks[i].hops[j].filename);
		}
		ys_free(tasks[i].hops);
		ys_free(tasks[i].name);
		ys_free(tasks[i].state);
		ys_free(tasks[i].waits);
		ys_free(tasks[i].result);
		ys_free(tasks[i].exception);
		ys_free(tasks[i].label);
	}
	ys_free(tasks);
}

static void free_callbacks(snap_callback *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ys_free(c[i].callback);
		ys_free(c[i].task);
	}
	ys_free(c);
}

/* A deep copy of n callbacks; NULL when n is 0 or memory ran out. */
static snap_callback *copy_callbacks(const snap_callback *src, size_t n, bool *ok)
{
	snap_callback *c = new_array(n, sizeof *c, ok);
	size_t i;

	for (i = 0; c && i < n; i++) {
		c[i].when = src[i].when;
		c[i].callback = dup(src[i].callback, ok);
		c[i].task = dup(src[i].task, ok);
	}
	return c;
}

/* A deep copy of n tasks; NULL when n is 0 or memory ran out (*ok false). */
static snap_task *copy_tasks(const snap_task *src, size_t n, bool *ok)
{
	snap_task *t = new_array(n, sizeof *t, ok);
	size_t i, j;

	for (i = 0; t && i < n; i++) {
		t[i].name = dup(src[i].name, ok);
		t[i].state = dup(src[i].state, ok);
		t[i].waits = dup(src[i].waits, ok);
		t[i].result = dup(src[i].result, ok);
		t[i].exception = dup(src[i].exception, ok);
		t[i].label = dup(src[i].label, ok);
		t[i].id = src[i].id;
		t[i].hops = new_array(src[i].nhops, sizeof *t[i].hops, ok);
		for (j = 0; t[i].hops && j < src[i].nhops; j++) {
			t[i].hops[j] = src[i].hops[j];
			t[i].hops[j].kind = dup(src[i].hops[j].kind, ok);
			t[i].hops[j].function = dup(src[i].hops[j].function, ok);
			t[i].hops[j].filename = dup(src[i].hops[j].filename, ok);
			t[i].nhops = j + 1;
		}
	}
	return t;
}

int snap_step_copy(snap_step *dst, const snap_step *src)
{
	bool ok = true;
	size_t i;

	memset(dst, 0, sizeof *dst);
	dst->output = dup(src->output, &ok);
	dst->output_capped = src->output_capped;
	dst->value = dup(src->value, &ok);
	dst->exception = dup(src->exception, &ok);
	dst->traceback = dup(src->traceback, &ok);
	dst->note = dup(src->note, &ok);
	dst->exception_line = src->exception_line;
	dst->gens = copy_gens(src->gens, src->ngens, &ok);
	dst->ngens = dst->gens ? src->ngens : 0;
	dst->total_gens = src->total_gens;
	memcpy(dst->state_counts, src->state_counts, sizeof dst->state_counts);
	dst->by_function = new_array(src->nby_function, sizeof *dst->by_function, &ok);
	for (i = 0; dst->by_function && i < src->nby_function; i++) {
		dst->by_function[i].function = dup(src->by_function[i].function, &ok);
		dst->by_function[i].count = src->by_function[i].count;
		dst->nby_function = i + 1;
	}
	dst->by_line = new_array(src->nby_line, sizeof *dst->by_line, &ok);
	for (i = 0; dst->by_line && i < src->nby_line; i++) {
		dst->by_line[i] = src->by_line[i];
		dst->by_line[i].filename = dup(src->by_line[i].filename, &ok);
		dst->nby_line = i + 1;
	}
	dst->pauses = copy_pauses(src->pauses, src->npauses, &ok);
	dst->npauses = dst->pauses ? src->npauses : 0;
	dst->loop_used = src->loop_used;
	dst->loop_time = src->loop_time;
	dst->tasks = copy_tasks(src->tasks, src->ntasks, &ok);
	dst->ntasks = dst->tasks ? src->ntasks : 0;
	dst->total_tasks = src->total_tasks;
	memcpy(dst->task_states, src->task_states, sizeof dst->task_states);
	dst->loop_label = dup(src->loop_label, &ok);
	dst->resumed_task = dup(src->resumed_task, &ok);
	dst->resumed_task_id = src->resumed_task_id;
	dst->ready = copy_callbacks(src->ready, src->nready, &ok);
	dst->nready = dst->ready ? src->nready : 0;
	dst->total_ready = src->total_ready;
	dst->timers = copy_callbacks(src->timers, src->ntimers, &ok);
	dst->ntimers = dst->timers ? src->ntimers : 0;
	dst->total_timers = src->total_timers;
	dst->blocked = copy_callbacks(src->blocked, src->nblocked, &ok);
	dst->nblocked = dst->blocked ? src->nblocked : 0;
	dst->loop_closed = src->loop_closed;
	dst->events = new_array(src->nevents, sizeof *dst->events, &ok);
	for (i = 0; dst->events && i < src->nevents; i++) {
		dst->events[i] = src->events[i];
		dst->events[i].label = dup(src->events[i].label, &ok);
		dst->events[i].function = dup(src->events[i].function, &ok);
		dst->events[i].value = dup(src->events[i].value, &ok);
		dst->events[i].callers = dup(src->events[i].callers, &ok);
		dst->events[i].locals = copy_locals(src->events[i].locals,
		                                    src->events[i].nlocals, &ok);
		if (!dst->events[i].locals)
			dst->events[i].nlocals = 0;
		dst->nevents = i + 1;
	}
	if (ok)
		return 0;
	snap_step_clear(dst);
	return -1;
}

void snap_step_clear(snap_step *st)
{
	size_t i;

	ys_free(st->output);
	ys_free(st->value);
	ys_free(st->exception);
	ys_free(st->traceback);
	ys_free(st->note);
	free_gens(st->gens, st->ngens);
	for (i = 0; i < st->nevents; i++) {
		ys_free(st->events[i].label);
		ys_free(st->events[i].function);
		ys_free(st->events[i].value);
		ys_free(st->events[i].callers);
		free_locals(st->events[i].locals, st->events[i].nlocals);
	}
	ys_free(st->events);
	free_pauses(st->pauses, st->npauses);
	free_tasks(st->tasks, st->ntasks);
	ys_free(st->loop_label);
	ys_free(st->resumed_task);
	free_callbacks(st->ready, st->nready);
	free_callbacks(st->timers, st->ntimers);
	free_callbacks(st->blocked, st->nblocked);
	for (i = 0; i < st->nby_function; i++)
		ys_free(st->by_function[i].function);
	ys_free(st->by_function);
	for (i = 0; i < st->nby_line; i++)
		ys_free(st->by_line[i].filename);
	ys_free(st->by_line);
	memset(st, 0, sizeof *st);
}
