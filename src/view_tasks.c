/* view_tasks.c: the Tasks section of the Heap pane: after a step that ran
 * an asyncio event loop (or with one open), the loop's virtual clock, one
 * entry per task, its state, its await chain hop by hop, and what it
 * waits for or how it ended, under the loop's ready queue and its timers;
 * once the loop is closed, its ended tasks summed up in one line.
 * Nothing is drawn after a step when no loop ran and none is open. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "view.h"

/* A task's state drawn with the badge colour of the nearest generator
 * state: pending tasks are suspended coroutines, done ones closed. */
static view_role state_role(const char *state)
{
	if (!state)
		return R_DIM;
	if (strcmp(state, "running") == 0)
		return view_state_role(SNAP_RUNNING);
	if (strcmp(state, "pending") == 0)
		return view_state_role(SNAP_SUSPENDED);
	return view_state_role(SNAP_CLOSED);
}

/* A wrapped line under the task: what it waits for, or how it ended. */
static void note(view_lines *v, view_role role, const char *what,
                 const char *text, int width)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s%s", what, text);
	vl_new(v);
	vl_pad_to(v, 4);
	vl_wrap(v, role, buf, width, 6);
}

static void task_lines(const snap_task *t, bool sel, int width, view_lines *v)
{
	char buf[64], hop[256];
	size_t i;

	vl_new(v);
	/* The selected task stays in view, as a selected card does. */
	if (sel && v->anchor < 0)
		v->anchor = (int)v->nlines - 1;
	vl_add(v, R_NORMAL, " ");
	vl_add(v, sel ? R_SELECTED : R_NORMAL, sel ? view_g->sel : " ");
	vl_add(v, sel ? R_SELECTED : R_BOLD, t->name ? t->name : "?");
	snprintf(buf, sizeof buf, " %s ", t->state ? t->state : "?");
	vl_add(v, state_role(t->state), buf);
	for (i = 0; i < t->nhops; i++) {
		const snap_hop *h = &t->hops[i];

		if (h->filename && h->line >= 0)
			snprintf(hop, sizeof hop, "%s() line %d", h->function, h->line);
		else
			snprintf(hop, sizeof hop, "%s", h->function);
		/* A chain too long for the line goes on under it, indented (the
		 * arrow is "->" without UTF-8). */
		if (vl_width(v) + 2 + (i ? view_strwidth(view_g->rarrow) : 0) +
		    view_strwidth(hop) > width) {
			vl_new(v);
			vl_pad_to(v, 4);
		} else {
			vl_add(v, R_DIM, " ");
		}
		if (i) {
			vl_add(v, R_DIM, view_g->rarrow);
			vl_add(v, R_DIM, " ");
		}
		vl_add(v, R_CODE, hop);
	}
	if (t->waits)
		note(v, R_NORMAL, "waits for ", t->waits, width);
	if (t->exception)
		note(v, R_ERROR, "raised ", t->exception, width);
	else if (t->result)
		note(v, R_UP, "result ", t->result, width);
}

/* The ready queue or the timers: a title, then each callback in the order
 * the loop will run it, wrapped under the title; the first ready one,
 * which o runs next, in bold. Nothing when empty. */
static void queue_lines(view_lines *v, const char *title, const snap_callback *c,
                        size_t n, size_t total, bool timers, int width)
{
	char item[320];
	size_t i;

	if (total == 0)
		return;
	vl_new(v);
	vl_add(v, R_NORMAL, "  ");
	vl_printf(v, R_BOLD, "%s (%zu)", title, total);
	for (i = 0; i < n; i++) {
		const char *cb = c[i].callback ? c[i].callback : "?";
		int at = 0;

		if (timers)
			at = snprintf(item, sizeof item, "%.3f ", c[i].when);
		if (at < 0 || (size_t)at >= sizeof item)
			at = 0;
		/* A timer that wakes a task is said so; its callback (the end
		 * of a sleep: _set_result_unless_cancelled) is in --json. */
		if (c[i].task && timers)
			snprintf(item + at, sizeof item - (size_t)at, "wakes %s", c[i].task);
		else if (c[i].task)
			snprintf(item + at, sizeof item - (size_t)at, "%s %s %s", cb,
			         strncmp(cb, "Task.", 5) == 0 ? "of" : "for", c[i].task);
		else
			snprintf(item + at, sizeof item - (size_t)at, "%s", cb);
		if (vl_width(v) + 2 + view_strwidth(item) > width) {
			vl_new(v);
			vl_pad_to(v, 4);
		} else {
			vl_add(v, R_DIM, i ? ", " : " ");
		}
		vl_add(v, !timers && i == 0 ? R_BOLD : R_CODE, item);
	}
	if (total > n) {
		vl_add(v, R_DIM, " ");
		vl_add(v, R_DIM, view_g->ell);
	}
}

/* Whether a task has ended: done or cancelled. */
static bool ended(const snap_task *t)
{
	return t->state && (strcmp(t->state, "done") == 0 ||
	                    strcmp(t->state, "cancelled") == 0);
}

/* How a task ended, as its summary counts it: "cancelled", "raised X"
 * or "result R". */
static void how_ended(const snap_task *t, char *buf, size_t size)
{
	if (strcmp(t->state, "cancelled") == 0)
		snprintf(buf, size, "cancelled");
	else if (t->exception)
		snprintf(buf, size, "raised %s", t->exception);
	else
		snprintf(buf, size, "result %s", t->result ? t->result : "?");
}

/* After the loop closed (asyncio.run() closes its own), its ended tasks
 * in one wrapped line, counted by how they ended in the order first
 * seen, a way only one task ended naming it ("18 tasks done: Task-3
 * cancelled, 17 with result None"): a card each would
 * fill the Heap with tasks nothing can step any more, and push the
 * heading out of view. The first MAX_ENDINGS ways are named, the tasks
 * that ended any other way counted ("97 more"). */
#define MAX_ENDINGS 4
static void ended_summary(const snap_step *st, int width, view_lines *v)
{
	char ways[MAX_ENDINGS][128], buf[1024], way[128];
	const char *names[MAX_ENDINGS];
	size_t counts[MAX_ENDINGS] = { 0 }, nways = 0, others = 0, total = 0;
	size_t i, j;
	int at;

	for (i = 0; i < st->ntasks; i++) {
		if (!ended(&st->tasks[i]))
			continue;
		total++;
		how_ended(&st->tasks[i], way, sizeof way);
		for (j = 0; j < nways && strcmp(ways[j], way) != 0; j++)
			;
		if (j < nways) {
			counts[j]++;
		} else if (nways < MAX_ENDINGS) {
			memcpy(ways[nways], way, sizeof way);
			names[nways] = st->tasks[i].name;
			counts[nways++] = 1;
		} else {
			others++;
		}
	}
	if (total == 0)
		return;
	at = snprintf(buf, sizeof buf, "%zu task%s done:", total,
	              total == 1 ? "" : "s");
	/* A way one task ended names it: "Task-1 result 'solo'". */
	for (j = 0; j < nways && at > 0 && (size_t)at < sizeof buf; j++) {
		if (counts[j] == 1 && names[j])
			at += snprintf(buf + at, sizeof buf - (size_t)at, "%s %s %s",
			               j ? "," : "", names[j], ways[j]);
		else /* "2 with result None" reads as English, "2 result None" not */
			at += snprintf(buf + at, sizeof buf - (size_t)at, "%s %zu %s%s",
			               j ? "," : "", counts[j],
			               strncmp(ways[j], "result ", 7) == 0 ? "with " : "",
			               ways[j]);
	}
	if (others && at > 0 && (size_t)at < sizeof buf)
		snprintf(buf + at, sizeof buf - (size_t)at, ", %zu more", others);
	vl_new(v);
	vl_pad_to(v, 2);
	vl_wrap(v, R_DIM, buf, width, 4);
}

void view_tasks_lines(const snap_step *st, const char *selected, int width,
                      view_lines *v)
{
	size_t i;

	if (!st || !st->loop_used)
		return;
	vl_new(v);
	vl_add(v, R_BOLD, "Tasks");
	vl_printf(v, R_DIM, "  virtual clock %.3f s", st->loop_time);
	/* Real time the virtual clock did not count, said at once: the
	 * clock alone would hide that the loop was blocked. */
	for (i = 0; i < st->nblocked; i++) {
		const snap_callback *b = &st->blocked[i];
		char buf[320];

		snprintf(buf, sizeof buf, "%s%s blocked the loop for %.1f s of real "
		         "time (not on the virtual clock)",
		         b->task ? b->task : "callback ",
		         b->task ? "" : b->callback ? b->callback : "?", b->when);
		vl_new(v);
		vl_pad_to(v, 2);
		vl_wrap(v, R_ERROR, buf, width, 4);
	}
	/* The queues first: short, and what o, u and x act on. */
	queue_lines(v, "ready queue", st->ready, st->nready, st->total_ready,
	            false, width);
	queue_lines(v, "timers", st->timers, st->ntimers, st->total_timers,
	            true, width);
	if (st->ntasks == 0) {
		vl_new(v);
		vl_add(v, R_DIM, "  no tasks");
	}
	if (st->loop_closed)
		ended_summary(st, width, v);
	for (i = 0; i < st->ntasks; i++) {
		if (st->loop_closed && ended(&st->tasks[i]))
			continue;
		task_lines(&st->tasks[i], selected && st->tasks[i].label &&
		           strcmp(selected, st->tasks[i].label) == 0, width, v);
	}
	if (st->total_tasks > st->ntasks) {
		vl_new(v);
		vl_printf(v, R_DIM, "  %s %zu more tasks", view_g->ell,
		          st->total_tasks - st->ntasks);
	}
}
