/* transcript_json.c: performed steps as JSON Lines (docs/json.md), one
 * object a step, built with jansson.
 *
 * Like the text handout, it reads a session_entry and its snapshot and
 * never changes them; a line is written whole or reported as failed.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "snapshot.h"
#include "transcript.h"
#include "util.h"

/* s with every byte that is not part of valid UTF-8 replaced by U+FFFD,
 * appended to sb. jansson refuses invalid UTF-8, and a program's output or
 * a repr may hold any bytes; one bad byte must not cost the whole line. */
static void append_utf8(strbuf *sb, const char *s)
{
	size_t n = strlen(s), at;

	while ((at = ys_utf8_invalid_at(s, n)) != (size_t)-1) {
		sb_appendn(sb, s, at);
		sb_append(sb, "\xEF\xBF\xBD");
		s += at + 1;
		n -= at + 1;
	}
	sb_appendn(sb, s, n);
}

/* A JSON string of s, or null for NULL; NULL when out of memory. */
static json_t *jstr(const char *s)
{
	strbuf sb = {0};
	json_t *j;

	if (!s)
		return json_null();
	if (ys_utf8_invalid_at(s, strlen(s)) == (size_t)-1)
		return json_string_nocheck(s);
	append_utf8(&sb, s);
	j = sb.failed ? NULL : json_stringn_nocheck(sb_cstr(&sb), sb.len);
	sb_free(&sb);
	return j;
}

/* A line number or offset, null when the engine does not know it. */
static json_t *jint(int v, int unknown_below)
{
	return v < unknown_below ? json_null() : json_integer(v);
}

/* Setters that remember a failure instead of checking at every call:
 * jansson frees the value when setting fails, and a NULL value (a failed
 * allocation) makes setting fail. */
static void set(json_t *obj, const char *key, json_t *v, bool *ok)
{
	if (json_object_set_new_nocheck(obj, key, v) != 0)
		*ok = false;
}

static void push(json_t *arr, json_t *v, bool *ok)
{
	if (json_array_append_new(arr, v) != 0)
		*ok = false;
}

/* A frame's locals, name -> repr, in the frame's order. */
static json_t *json_locals(const snap_local *locals, size_t n, bool *ok)
{
	json_t *o = json_object();
	strbuf key = {0};
	size_t i;

	if (!o) {
		*ok = false;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		sb_reset(&key);
		append_utf8(&key, locals[i].name ? locals[i].name : "?");
		if (key.failed) {
			*ok = false;
			break;
		}
		set(o, sb_cstr(&key), jstr(locals[i].repr ? locals[i].repr : ""), ok);
	}
	sb_free(&key);
	return o;
}

static json_t *json_gens(const snap_step *r, bool *ok)
{
	json_t *arr = json_array(), *o;
	size_t i;

	if (!arr) {
		*ok = false;
		return NULL;
	}
	for (i = 0; i < r->ngens && *ok; i++) {
		const snap_gen *gen = &r->gens[i];

		o = json_object();
		if (!o) {
			*ok = false;
			break;
		}
		set(o, "label", jstr(gen->label), ok);
		set(o, "kind", json_string(snap_kind_name(gen->kind)), ok);
		set(o, "function", jstr(gen->function), ok);
		set(o, "state", json_string(snap_state_name(gen->kind, gen->state)), ok);
		set(o, "line", jint(gen->line, 0), ok);
		set(o, "lasti", jint(gen->lasti, 0), ok);
		set(o, "locals", json_locals(gen->locals, gen->nlocals, ok), ok);
		set(o, "delegate", jstr(gen->delegate), ok);
		set(o, "filename", jstr(gen->filename), ok);
		push(arr, o, ok);
	}
	return arr;
}

/* Every generator found, counted: its size does not grow with the heap
 * beyond the few most common functions. */
static json_t *json_summary(const snap_step *r, bool *ok)
{
	json_t *o = json_object(), *states = json_object(), *fns = json_object();
	size_t i;

	if (!o || !states || !fns) {
		json_decref(o);
		json_decref(states);
		json_decref(fns);
		*ok = false;
		return NULL;
	}
	set(o, "total", json_integer((json_int_t)r->total_gens), ok);
	set(o, "shown", json_integer((json_int_t)r->ngens), ok);
	for (i = 0; i < 4; i++)
		set(states, snap_state_word((snap_state)i),
		    json_integer((json_int_t)r->state_counts[i]), ok);
	set(o, "states", states, ok);
	for (i = 0; i < r->nby_function; i++)
		set(fns, r->by_function[i].function,
		    json_integer((json_int_t)r->by_function[i].count), ok);
	set(o, "functions", fns, ok);
	return o;
}

/* An event's callers as an array of qualified names, outermost first:
 * [] for a resume that no ordinary lesson function stood below, null
 * for the other events (only a resume has callers). */
static json_t *json_callers(const snap_event *ev, bool *ok)
{
	json_t *arr;
	const char *p = ev->callers;

	if (ev->event != SNAP_EV_RESUME)
		return json_null();
	arr = json_array();
	while (arr && p && *p) {
		size_t n = strcspn(p, " ");

		if (n > 0) {
			char *name = ys_strndup(p, n);

			push(arr, jstr(name), ok);
			ys_free(name);
		}
		p += n + (p[n] == ' ');
	}
	if (!arr)
		*ok = false;
	return arr;
}

static json_t *json_events(const snap_step *r, bool *ok)
{
	json_t *arr = json_array(), *o;
	size_t i;

	if (!arr) {
		*ok = false;
		return NULL;
	}
	for (i = 0; i < r->nevents && *ok; i++) {
		const snap_event *ev = &r->events[i];

		o = json_object();
		if (!o) {
			*ok = false;
			break;
		}
		set(o, "label", jstr(ev->label), ok);
		set(o, "event", json_string(snap_event_name(ev->event)), ok);
		set(o, "value", jstr(ev->value), ok);
		/* how only means something for a resume; other events leave
		 * it out rather than carry a null that looks like "unknown". */
		if (ev->event == SNAP_EV_RESUME)
			set(o, "how", jstr(snap_how_name(ev->how)), ok);
		set(o, "depth", json_integer(ev->depth), ok);
		set(o, "function", jstr(ev->function), ok);
		set(o, "line", jint(ev->line, 0), ok);
		set(o, "callers", json_callers(ev, ok), ok);
		set(o, "printed", ev->printed < 0 ? json_null() : json_integer(ev->printed), ok);
		/* Only the step's first hops carry their frame's locals: the
		 * others leave the key out, where {} would say "no locals". */
		if (ev->has_locals)
			set(o, "locals", json_locals(ev->locals, ev->nlocals, ok), ok);
		push(arr, o, ok);
	}
	return arr;
}

/* Callback objects: the ready queue's (time_key NULL), the timers' (their
 * deadline under "when") or those that blocked the loop (the real seconds
 * they ran, under "seconds"), each from its snap_callback's when. */
static json_t *json_callbacks(const snap_callback *c, size_t n, const char *time_key,
                              bool *ok)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < n; i++) {
		json_t *o = json_object();

		if (time_key)
			set(o, time_key, json_real(c[i].when), ok);
		set(o, "callback", jstr(c[i].callback), ok);
		set(o, "task", jstr(c[i].task), ok);
		push(arr, o, ok);
	}
	if (!arr)
		*ok = false;
	return arr;
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether task t is in before (a callback pause's listed tasks), as it
 * is: same state, chain, waits and outcome. */
static bool unchanged(const snap_task *t, const snap_loop *before)
{
	size_t i, j;

	for (i = 0; before && i < before->ntasks; i++) {
		const snap_task *b = &before->tasks[i];

		if (b->id != t->id)
			continue;
		if (!same_text(b->state, t->state) || !same_text(b->waits, t->waits) ||
		    !same_text(b->result, t->result) || !same_text(b->exception, t->exception) ||
		    b->nhops != t->nhops)
			return false;
		for (j = 0; j < t->nhops; j++)
			if (b->hops[j].line != t->hops[j].line ||
			    !same_text(b->hops[j].function, t->hops[j].function) ||
			    !same_text(b->hops[j].filename, t->hops[j].filename))
				return false;
		return true;
	}
	return false;
}

/* Task objects; a callback pause's without label (its tasks carry their
 * name there, for the screen), and only those changed since before. */
static json_t *json_tasks(const snap_task *tasks, size_t n, bool labels,
                          const snap_loop *before, bool *ok)
{
	json_t *arr = json_array();
	size_t i, j;

	for (i = 0; arr && i < n; i++) {
		const snap_task *t = &tasks[i];
		json_t *to, *chain;

		if (before && unchanged(t, before))
			continue;
		to = json_object();
		chain = json_array();

		for (j = 0; chain && j < t->nhops; j++) {
			const snap_hop *h = &t->hops[j];
			json_t *ho = json_object();

			set(ho, "kind", jstr(h->kind), ok);
			set(ho, "function", jstr(h->function), ok);
			set(ho, "filename", jstr(h->filename), ok);
			set(ho, "line", jint(h->line, 0), ok);
			push(chain, ho, ok);
		}
		set(to, "name", jstr(t->name), ok);
		set(to, "state", jstr(t->state), ok);
		set(to, "chain", chain, ok);
		set(to, "waits", jstr(t->waits), ok);
		set(to, "result", jstr(t->result), ok);
		set(to, "exception", jstr(t->exception), ok);
		if (labels)
			set(to, "label", jstr(t->label), ok);
		push(arr, to, ok);
	}
	if (!arr)
		*ok = false;
	return arr;
}

/* {"pending": n, "running": n, "done": n, "cancelled": n, "failed": n}. */
static json_t *json_task_states(const size_t *states, bool *ok)
{
	static const char *const names[SNAP_TASKS_NSTATES] = {
		"pending", "running", "done", "cancelled", "failed",
	};
	json_t *o = json_object();
	size_t i;

	for (i = 0; o && i < SNAP_TASKS_NSTATES; i++)
		set(o, names[i], json_integer((json_int_t)states[i]), ok);
	if (!o)
		*ok = false;
	return o;
}

/* Callbacks of the ready queue and timers listed per callback pause: the
 * first of each, as the screen's Tasks section shows them. */
#define PAUSE_QUEUE 10

/* The step's callback pauses, in the order the loop handed the callbacks
 * out: each the callback about to run and the loop at that moment. */
static json_t *json_loop_pauses(const snap_step *r, bool *ok)
{
	json_t *arr = json_array();
	const snap_loop *before = NULL;
	size_t i;

	for (i = 0; arr && i < r->npauses; i++) {
		const snap_loop *l = r->pauses[i].loop;
		json_t *o;

		if (r->pauses[i].kind != SNAP_PAUSE_CALLBACK || !l)
			continue;
		o = json_object();
		set(o, "callback", jstr(l->next.callback), ok);
		set(o, "task", jstr(l->next.task), ok);
		set(o, "time", json_real(l->time), ok);
		set(o, "printed", l->printed < 0 ? json_null() : json_integer(l->printed), ok);
		set(o, "returned", l->returned < 0 ? json_null() : json_integer(l->returned), ok);
		set(o, "hops", json_integer((json_int_t)r->pauses[i].hops), ok);
		/* The first callback's tasks all, then those that changed: a
		 * line of a thousand callbacks stays a few megabytes at most. */
		set(o, "changed", json_tasks(l->tasks, l->ntasks, false, before, ok), ok);
		set(o, "total", json_integer((json_int_t)l->total_tasks), ok);
		set(o, "states", json_task_states(l->task_states, ok), ok);
		set(o, "ready", json_callbacks(l->ready, l->nready < PAUSE_QUEUE ? l->nready
		                               : PAUSE_QUEUE, NULL, ok), ok);
		set(o, "ready_total", json_integer((json_int_t)l->total_ready), ok);
		set(o, "timers", json_callbacks(l->timers, l->ntimers < PAUSE_QUEUE ? l->ntimers
		                                : PAUSE_QUEUE, "when", ok), ok);
		set(o, "timers_total", json_integer((json_int_t)l->total_timers), ok);
		push(arr, o, ok);
		before = l;
	}
	if (!arr)
		*ok = false;
	return arr;
}

/* The "asyncio" object: null when the step used no event loop. */
static json_t *json_asyncio(const snap_step *r, bool *ok)
{
	json_t *o;

	if (!r->loop_used)
		return json_null();
	o = json_object();
	if (!o) {
		*ok = false;
		return NULL;
	}
	set(o, "clock", json_string("virtual"), ok);
	set(o, "time", json_real(r->loop_time), ok);
	set(o, "tasks", json_tasks(r->tasks, r->ntasks, true, NULL, ok), ok);
	set(o, "total", json_integer((json_int_t)r->total_tasks), ok);
	set(o, "states", json_task_states(r->task_states, ok), ok);
	set(o, "loop", jstr(r->loop_label), ok);
	set(o, "ready", json_callbacks(r->ready, r->nready, NULL, ok), ok);
	set(o, "ready_total", json_integer((json_int_t)r->total_ready), ok);
	set(o, "timers", json_callbacks(r->timers, r->ntimers, "when", ok), ok);
	set(o, "timers_total", json_integer((json_int_t)r->total_timers), ok);
	set(o, "blocked", json_callbacks(r->blocked, r->nblocked, "seconds", ok), ok);
	set(o, "closed", json_boolean(r->loop_closed), ok);
	set(o, "callbacks", json_loop_pauses(r, ok), ok);
	return o;
}

int transcript_json_entry(FILE *f, const session_entry *e, size_t number)
{
	const snap_step *r = &e->result;
	json_t *o = json_object();
	bool ok = o != NULL;
	int rc = -1;

	if (!ok)
		return -1;
	set(o, "step", json_integer((json_int_t)number), &ok);
	set(o, "origin", json_string(e->origin == ENTRY_FREE ? "free" : "script"), &ok);
	set(o, "kind", json_string(e->kind == LESSON_CODE ? "code" : "statement"), &ok);
	set(o, "line", jint(e->line, 1), &ok);
	set(o, "source", jstr(e->source ? e->source : ""), &ok);
	set(o, "output", jstr(r->output ? r->output : ""), &ok);
	set(o, "output_capped", json_boolean(r->output_capped), &ok);
	set(o, "value", jstr(r->value), &ok);
	set(o, "exception", jstr(r->exception), &ok);
	set(o, "traceback", jstr(r->traceback), &ok);
	set(o, "expected", jstr(e->expected), &ok);
	set(o, "match", e->match == 1 ? json_true() :
	                e->match == 0 ? json_false() : json_null(), &ok);
	set(o, "note", jstr(r->note), &ok);
	set(o, "generators", json_gens(r, &ok), &ok);
	set(o, "summary", json_summary(r, &ok), &ok);
	set(o, "events", json_events(r, &ok), &ok);
	set(o, "asyncio", json_asyncio(r, &ok), &ok);
	if (ok && json_dumpf(o, f, JSON_COMPACT) == 0 && fputc('\n', f) != EOF &&
	    fflush(f) == 0 && !ferror(f))
		rc = 0;
	json_decref(o);
	return rc;
}
