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

int snap_step_copy(snap_step *dst, const snap_step *src)
{
	bool ok = true;
	size_t i, j;

	memset(dst, 0, sizeof *dst);
	dst->output = dup(src->output, &ok);
	dst->output_capped = src->output_capped;
	dst->value = dup(src->value, &ok);
	dst->exception = dup(src->exception, &ok);
	dst->traceback = dup(src->traceback, &ok);
	dst->note = dup(src->note, &ok);
	dst->exception_line = src->exception_line;
	if (src->ngens) {
		dst->gens = ys_calloc(src->ngens, sizeof *dst->gens);
		if (!dst->gens)
			goto fail;
		dst->ngens = src->ngens;
		for (i = 0; i < src->ngens; i++) {
			const snap_gen *g = &src->gens[i];
			snap_gen *d = &dst->gens[i];

			*d = *g;
			d->label = dup(g->label, &ok);
			d->function = dup(g->function, &ok);
			d->filename = dup(g->filename, &ok);
			d->delegate = dup(g->delegate, &ok);
			d->locals = NULL;
			d->nlocals = 0;
			if (g->nlocals) {
				d->locals = ys_calloc(g->nlocals, sizeof *d->locals);
				if (!d->locals)
					goto fail;
				d->nlocals = g->nlocals;
				for (j = 0; j < g->nlocals; j++) {
					d->locals[j].name = dup(g->locals[j].name, &ok);
					d->locals[j].repr = dup(g->locals[j].repr, &ok);
				}
			}
		}
	}
	if (src->nevents) {
		dst->events = ys_calloc(src->nevents, sizeof *dst->events);
		if (!dst->events)
			goto fail;
		dst->nevents = src->nevents;
		for (i = 0; i < src->nevents; i++) {
			dst->events[i] = src->events[i];
			dst->events[i].label = dup(src->events[i].label, &ok);
			dst->events[i].function = dup(src->events[i].function, &ok);
			dst->events[i].value = dup(src->events[i].value, &ok);
		}
	}
	if (ok)
		return 0;
fail:
	snap_step_clear(dst);
	return -1;
}

void snap_step_clear(snap_step *st)
{
	size_t i, j;

	ys_free(st->output);
	ys_free(st->value);
	ys_free(st->exception);
	ys_free(st->traceback);
	ys_free(st->note);
	for (i = 0; i < st->ngens; i++) {
		snap_gen *g = &st->gens[i];

		ys_free(g->label);
		ys_free(g->function);
		ys_free(g->filename);
		ys_free(g->delegate);
		for (j = 0; j < g->nlocals; j++) {
			ys_free(g->locals[j].name);
			ys_free(g->locals[j].repr);
		}
		ys_free(g->locals);
	}
	ys_free(st->gens);
	for (i = 0; i < st->nevents; i++) {
		ys_free(st->events[i].label);
		ys_free(st->events[i].function);
		ys_free(st->events[i].value);
	}
	ys_free(st->events);
	memset(st, 0, sizeof *st);
}
