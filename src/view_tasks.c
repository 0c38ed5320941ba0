/* view_tasks.c: the Tasks section of the Heap pane: after a step that ran
 * an asyncio event loop (or with one open), the loop's virtual clock, one
 * entry per task, its state, its await chain hop by hop, and what it
 * waits for or how it ended, under the loop's ready queue and its timers;
 * once the loop is closed, its ended tasks summed up in one line.
 * Nothing is drawn after a step when no loop ran and none is open. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
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

/* Below this width (the Heap beside the Console at 80 or 100 columns) a
 * task is drawn compact, so that every task of a small loop fits in a
 * few rows: its chain down to the first hop out of the program (what the
 * program awaits: sleep(), a TaskGroup; asyncio's own frames under it are
 * in --json; a future there is left to the wait, which names it), and
 * what it waits for in fewer words (short_waits), on the task's row when
 * they fit. */
#define COMPACT_WIDTH 60

/* What a pending task waits for, in fewer words for a compact row: the
 * heading names the clock and the ready queue is drawn above, so "sleep
 * until 1.000 on the loop's clock" reads as "sleep until 1.000", "its
 * first run (in the ready queue)" as "its first run". Results and
 * exceptions are never shortened: they are the program's own text. */
static void short_waits(const char *waits, char *buf, size_t size)
{
	char *cut, *close;
	int depth = 0;

	snprintf(buf, size, "%s", waits);
	if ((cut = strstr(buf, " on the loop's clock")) != NULL)
		memmove(cut, cut + 20, strlen(cut + 20) + 1);
	if ((cut = strstr(buf, " (")) == NULL)
		return;
	/* To the parenthesis that closes it: "(Queue.get())" holds a call. */
	for (close = cut + 1; *close; close++)
		if (*close == '(')
			depth++;
		else if (*close == ')' && --depth == 0)
			break;
	if (*close)
		memmove(cut, close + 1, strlen(close + 1) + 1);
}

/* What a task waits for or how it ended, after "what": on a row of its
 * own under the task, or, compact, after the chain when it fits; "gap"
 * is what parts it from the chain there. */
static void note(view_lines *v, view_role role, const char *what,
                 const char *text, bool compact, const char *gap, int width)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s%s", what, text);
	if (compact && vl_width(v) + view_strwidth(gap) + view_strwidth(buf) <= width) {
		vl_add(v, R_DIM, gap);
	} else {
		vl_new(v);
		vl_pad_to(v, 4);
	}
	vl_wrap(v, role, buf, width, 6);
}

/* A task's entry: its name, state and chain, then what it waits for or
 * how it ended; tag, when not NULL, is said dimmed after the state (or in
 * its place when state is NULL): where a moment of the live flow took
 * the row from. */
static void task_lines(const view_ctx *c, const snap_task *t, const char *tag,
                       bool sel, bool next, int width, view_lines *v)
{
	char hop[256], waits[320];
	const char *gap;
	bool compact = width < COMPACT_WIDTH, out = false;
	size_t i;

	vl_new(v);
	/* The selected task stays in view, as a selected card does. */
	if (sel && v->anchor < 0)
		v->anchor = (int)v->nlines - 1;
	/* The marker where a selected card has it, a space from the name. */
	vl_add(v, sel ? R_SELECTED : R_NORMAL, sel ? view_g->sel : " ");
	vl_add(v, R_NORMAL, " ");
	vl_add(v, sel ? R_SELECTED : R_BOLD, t->name ? t->name : "?");
	vl_add(v, R_NORMAL, " ");
	if (t->state || !tag)
		vl_add(v, state_role(t->state), t->state ? t->state : "?");
	if (tag) {
		vl_add(v, R_NORMAL, t->state ? " " : "");
		vl_add(v, R_DIM, tag);
	}
	vl_add(v, R_NORMAL, " ");
	/* At a callback pause: the task the callback about to run resumes.
	 * Its badge's padding makes the gap to the state two columns, as
	 * the chain's is. */
	if (next)
		vl_add(v, R_RUN_LINE, " runs next ");
	for (i = 0; i < t->nhops && !(compact && out); i++) {
		const snap_hop *h = &t->hops[i];
		/* A hop of no kind is a frame the live flow knows from the
		 * step's hops alone: its line as the call stack shows it. */
		int line = h->filename ? view_program_line(c, h->filename, h->line)
		           : !h->kind ? h->line : -1;

		out = i > 0 && line <= 0;
		/* Compact, the future at the bottom of a chain is left to the
		 * wait, which names it ("gather of Task-2, Task-3"). */
		if (compact && out && t->waits && h->kind && strcmp(h->kind, "future") == 0)
			break;

		/* A line of the lesson's code, as the Source pane numbers it;
		 * asyncio's own frames by name only: their lines are of a file
		 * the learner does not see, and differ from version to version. */
		if (line > 0)
			snprintf(hop, sizeof hop, "%s() line %d", h->function, line);
		else if (h->filename || !h->kind)
			snprintf(hop, sizeof hop, "%s()", h->function);
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
	/* The state and the badge end in a space, the chain does not. */
	gap = t->nhops ? "  " : " ";
	if (t->waits && compact) {
		short_waits(t->waits, waits, sizeof waits);
		note(v, R_NORMAL, "waits for ", waits, compact, gap, width);
	} else if (t->waits) {
		note(v, R_NORMAL, "waits for ", t->waits, compact, gap, width);
	}
	if (t->exception)
		note(v, R_ERROR, "raised ", t->exception, compact, gap, width);
	else if (t->result)
		note(v, R_UP, "result ", t->result, compact, gap, width);
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
		/* A timer that wakes a task is said so, or cancels it (an
		 * asyncio.timeout()'s); its callback (the end of a sleep:
		 * _set_result_unless_cancelled) is in --json. */
		if (c[i].task && timers)
			snprintf(item + at, sizeof item - (size_t)at, "%s %s",
			         strcmp(cb, "Timeout._on_timeout") == 0 ? "cancels" : "wakes",
			         c[i].task);
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
static void ended_summary(const snap_step *st, const bool *skip, int width,
                          view_lines *v)
{
	char ways[MAX_ENDINGS][128], buf[1024], way[128];
	const char *names[MAX_ENDINGS];
	size_t counts[MAX_ENDINGS] = { 0 }, nways = 0, others = 0, total = 0;
	size_t i, j;
	int at;

	for (i = 0; i < st->ntasks; i++) {
		if (!ended(&st->tasks[i]) || (skip && skip[i]))
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
	at = snprintf(buf, sizeof buf, "%zu task%s done:", total, total == 1 ? "" : "s");
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

/* ---- The live flow's moment ------------------------------------------------
 * While the live flow plays a step's hops (or the learner goes hop by hop),
 * the tasks are known as the step before left them and as this step leaves
 * them; the hops in between say which task runs: a hop carries its frame's
 * id(), a task its coroutine's (snap_task.coro_id) and its chain each
 * generator's (snap_hop.id). A task's hops are its coroutine's and those
 * of the generators its chain held before the step or holds after it (a
 * throw passes through a coroutine to the one it awaits without running
 * it). Each task is drawn from what is known at the moment:
 *   - a frame of its on the stack: running, its frames as the stack has them;
 *   - its first hop of the step to come: as the step before left it, or,
 *     not listed then, "not run yet";
 *   - between its hops: pending at the line its coroutine's last yield
 *     left it at, waiting for what that yielded; or, when the last hop so
 *     far was another frame's of its chain, "between its hops";
 *   - its last hop passed, or no hop of it in the step: as the step leaves
 *     it (nothing of its own runs after; what others do to it, a cancel or
 *     the future it awaits set, may show early);
 *   - made in the step and no hop of it told apart (no hop of the lesson's
 *     code ran it, or its coroutine is not known): known at the step's
 *     end only, counted so on a line of its own.
 * The clock and the queues are known at the step's end only: said so in
 * their place. */

enum { MOMENT_HOPS = 8 };

typedef struct {
	snap_task row;          /* what is drawn; strings borrowed */
	snap_hop hops[MOMENT_HOPS];     /* row.hops when built here */
	const char *tag;        /* dimmed after the state, or NULL */
	bool end;               /* row is the task as the step leaves it */
	bool later;             /* known at the step's end only: made in the
	                           step, no hop of it told apart */
	char waits[320];
} task_moment;

/* The listed task of st with that id(), or NULL. */
static const snap_task *task_by_id(const snap_step *st, unsigned long long id)
{
	size_t i;

	for (i = 0; st && i < st->ntasks; i++)
		if (st->tasks[i].id == id)
			return &st->tasks[i];
	return NULL;
}

/* The id() of t's coroutine, as the engine knew it when the task was
 * made, else the first hop of its chain's; 0 when not known. */
static unsigned long long coro_id(const snap_task *t)
{
	const char *kind = t && t->nhops ? t->hops[0].kind : NULL;

	if (t && t->coro_id)
		return t->coro_id;
	if (!kind || strcmp(kind, "future") == 0 || strcmp(kind, "task") == 0)
		return 0;
	return t->hops[0].id;
}

/* Is id() that of a generator of t's await chain (not its coroutine, the
 * first hop)? */
static bool in_chain(const snap_task *t, unsigned long long id)
{
	size_t i;

	for (i = 1; t && id && i < t->nhops; i++)
		if (t->hops[i].id == id && t->hops[i].kind &&
		    strcmp(t->hops[i].kind, "future") != 0 && strcmp(t->hops[i].kind, "task") != 0)
			return true;
	return false;
}

/* Is a moment of the live flow shown, not the step's end? */
static bool at_moment(const view_ctx *c)
{
	return c->animating && !c->pause && c->anim_events < c->snap->nevents;
}

/* Task t of the step shown, at the moment shown (see above). */
static void moment_of(const view_ctx *c, const view_stack *stack,
                      const snap_task *t, task_moment *m)
{
	const snap_step *st = c->snap, *before = view_step_before(c);
	const snap_task *b = before && before->loop_used ? task_by_id(before, t->id) : NULL;
	unsigned long long cid = coro_id(t) ? coro_id(t) : coro_id(b);
	/* Its coroutine's hop in its chain, when a chain was listed: the
	 * file its lines are of. */
	const snap_hop *h0 = t->nhops && t->hops[0].id == cid ? &t->hops[0]
	                     : b && b->nhops && b->hops[0].id == cid ? &b->hops[0] : NULL;
	size_t i, last = 0, passed = 0, nev = 0, npassed = 0, same = 0;
	bool own = false;
	int d, j;

	m->row = *t;
	m->tag = NULL;
	m->end = true;
	m->later = false;
	/* Two tasks with one coroutine id (a freed one's memory used again
	 * within the step): whose hops are whose is not known. */
	for (i = 0; cid && i < st->ntasks; i++)
		same += coro_id(&st->tasks[i]) == cid;
	if (same > 1)
		cid = 0;
	if (!cid) {
		m->later = !b;
		return;
	}
	/* Its hops: its coroutine's, and those of the generators its chain
	 * held before or holds after the step (a throw passes through the
	 * coroutine to the one it awaits without running it). */
	for (i = 0; i < st->nevents; i++) {
		unsigned long long id = st->events[i].id;

		if (id != cid && !in_chain(t, id) && !in_chain(b, id))
			continue;
		nev++;
		last = i;
		if (i < c->anim_events) {
			passed = i;
			npassed++;
		}
	}
	for (d = 0; d < stack->depth; d++)
		if (stack->ids[d] == cid || in_chain(t, stack->ids[d]) ||
		    in_chain(b, stack->ids[d]))
			break;
	if (nev == 0 || (d == stack->depth && c->anim_events > last)) {
		m->later = nev == 0 && !b;
		return;
	}
	m->end = false;
	if (d < stack->depth) {
		/* Its frames are those of the stack, from its coroutine (or
		 * the first frame of its chain a throw reached) up; but for
		 * its coroutine's, by function only (a hop names no file). */
		bool coro = stack->ids[d] == cid && h0;

		m->row.state = "running";
		m->row.waits = m->row.result = m->row.exception = NULL;
		m->row.nhops = 0;
		m->row.hops = m->hops;
		for (j = d; j < stack->depth && m->row.nhops < MOMENT_HOPS; j++) {
			if (!stack->functions[j])
				continue;
			m->hops[m->row.nhops] = (snap_hop){
				j == d && coro ? h0->kind : NULL, (char *)stack->functions[j],
				j == d && coro ? h0->filename : NULL, j == d ? stack->lines[j] : -1,
				stack->ids[j] };
			m->row.nhops++;
		}
		return;
	}
	if (npassed == 0) {
		if (b) {
			m->row = *b;
			m->row.label = t->label;
		} else {
			m->row.state = NULL;
			m->row.nhops = 0;
			m->row.waits = m->row.result = m->row.exception = NULL;
			m->tag = "not run yet";
		}
		return;
	}
	/* Off the stack with hops to come: its coroutine's last hop so far
	 * (a yield) left it waiting for what it yielded; a hop of another
	 * frame of its chain last, it is between hops, known at its next. */
	own = st->events[passed].id == cid && st->events[passed].event == SNAP_EV_YIELD;
	if (h0)
		m->hops[0] = *h0;
	else if (own)
		m->hops[0] = (snap_hop){ NULL, st->events[passed].function, NULL, 0, cid };
	if (own)
		m->hops[0].line = st->events[passed].line;
	m->row.hops = m->hops;
	m->row.nhops = h0 || own ? 1 : 0;
	m->row.state = own ? "pending" : NULL;
	m->row.result = m->row.exception = m->row.waits = NULL;
	if (!own) {
		m->tag = "between its hops";
		return;
	}
	snprintf(m->waits, sizeof m->waits, "what it yielded: %s",
	         st->events[passed].value ? st->events[passed].value : "?");
	m->row.waits = m->waits;
}

void view_tasks_lines(const view_ctx *c, int width, view_lines *v)
{
	const snap_step *st = c->snap;
	const char *selected = c->selected;
	unsigned long long next = c->pause && c->pause->loop ? c->pause->loop->next_task_id : 0;
	bool moment = at_moment(c), *skip = NULL;
	task_moment *m = NULL;
	view_stack stack;
	char clock[96];
	size_t i, later = 0;

	if (!st || !st->loop_used)
		return;
	vl_new(v);
	vl_add(v, R_BOLD, "Tasks");
	/* While the step's hops play, each task as the moment knows it. */
	if (moment) {
		/* Compact, shorter, so that the clock's note fits beside it. */
		char *at = ys_asprintf(width < COMPACT_WIDTH ? " at hop %zu/%zu" : " at hop %zu of %zu",
		                       c->anim_events, st->nevents);

		vl_add(v, R_DIM, at ? at : "");
		ys_free(at);
	}
	/* The clock and the queues are known at the step's end only: in
	 * the live flow, said so in their place. */
	if (moment)
		snprintf(clock, sizeof clock, "clock, queues: at %send",
		         width < COMPACT_WIDTH ? "" : "the step's ");
	else
		snprintf(clock, sizeof clock, "virtual clock %.3f s", st->loop_time);
	if (vl_width(v) + 2 + view_strwidth(clock) > width) {
		vl_new(v);
		vl_pad_to(v, 2);
	} else {
		vl_add(v, R_DIM, "  ");
	}
	vl_wrap(v, R_DIM, clock, width, 4);
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
	if (!moment) {
		queue_lines(v, "ready queue", st->ready, st->nready, st->total_ready,
		            false, width);
		queue_lines(v, "timers", st->timers, st->ntimers, st->total_timers,
		            true, width);
	}
	if (st->ntasks == 0) {
		vl_new(v);
		vl_add(v, R_DIM, "  no tasks");
	}
	if (moment) {
		view_replay_stack(st, c->anim_events, &stack);
		m = st->ntasks ? ys_calloc(st->ntasks, sizeof *m) : NULL;
		skip = st->ntasks ? ys_calloc(st->ntasks, sizeof *skip) : NULL;
	}
	for (i = 0; m && skip && i < st->ntasks; i++) {
		moment_of(c, &stack, &st->tasks[i], &m[i]);
		/* Out of the summary: drawn as a row (the moment says more
		 * than how it ended), or not known yet. */
		skip[i] = !m[i].end || m[i].later;
		later += m[i].later;
	}
	if (st->loop_closed)
		ended_summary(st, skip, width, v);
	for (i = 0; i < st->ntasks; i++) {
		const snap_task *t = m ? &m[i].row : &st->tasks[i];

		if (m && m[i].later)
			continue;
		if (st->loop_closed && ended(&st->tasks[i]) && !(m && !m[i].end))
			continue;
		/* In the live flow the task running is the moment's news: it
		 * anchors the section, whatever task is selected. */
		if (m && t->state && strcmp(t->state, "running") == 0)
			v->anchor = (int)v->nlines;
		task_lines(c, t, m ? m[i].tag : NULL, selected && st->tasks[i].label &&
		           strcmp(selected, st->tasks[i].label) == 0,
		           next && st->tasks[i].id == next, width, v);
	}
	if (later) {
		vl_new(v);
		vl_printf(v, R_DIM, "  %zu more task%s at the step's end", later,
		          later == 1 ? "" : "s");
	}
	ys_free(m);
	ys_free(skip);
	if (st->total_tasks > st->ntasks) {
		vl_new(v);
		vl_printf(v, R_DIM, "  %s %zu more tasks", view_g->ell,
		          st->total_tasks - st->ntasks);
	}
}

/* asyncio's own callbacks that resume no task, by the name the loop
 * holds (the same from 3.11 to 3.15; a functools.partial is named
 * "partial(func)"), and what each does; any other is named only. */
struct callback_words {
	const char *callback, *words;
};

static const struct callback_words asyncio_callbacks[] = {
	{ "_run_until_complete_cb", "the task run_until_complete waits for is "
	  "done: _run_until_complete_cb stops the loop" },
	{ "gather.<locals>._done_callback", "a task gather waits for is done: "
	  "gather's _done_callback counts it" },
	{ "TaskGroup._on_task_done", "a TaskGroup's task is done: "
	  "TaskGroup._on_task_done (an error cancels the rest)" },
	{ "_wait.<locals>._on_completion", "a task asyncio.wait() waits for is "
	  "done: _on_completion counts it" },
	{ "as_completed.<locals>._on_completion", "a task of asyncio.as_completed() "
	  "is done: _on_completion puts it in as_completed()'s queue" },
	{ "_AsCompletedIterator._handle_completion", "a task of "
	  "asyncio.as_completed() is done: _handle_completion puts it in "
	  "as_completed()'s queue" },
	{ "shield.<locals>._inner_done_callback", "what asyncio.shield() shields "
	  "is done: _inner_done_callback passes its outcome on" },
	{ "shield.<locals>._outer_done_callback", "the future asyncio.shield() "
	  "returned is done: _outer_done_callback lets go of what it shields" },
	{ "_chain_future.<locals>._call_check_cancel", "the future of a call in "
	  "another thread is done: _call_check_cancel cancels the call if the "
	  "future was cancelled" },
	{ "_chain_future.<locals>._set_state", "a call in another thread is "
	  "done: _set_state passes its outcome to the loop's future" },
	{ "_chain_future.<locals>._call_set_state", "a future another thread "
	  "waits for is done: _call_set_state passes its outcome on" },
	{ "run_coroutine_threadsafe.<locals>.callback", "another thread's "
	  "asyncio.run_coroutine_threadsafe(): its callback makes a task of the "
	  "coroutine" },
	{ "BaseSelectorEventLoop._read_from_self", "another thread woke the loop "
	  "(call_soon_threadsafe): _read_from_self empties its self-pipe" },
	{ "partial(BaseSelectorEventLoop._sock_read_done)", "a socket read is "
	  "done: _sock_read_done stops watching the socket" },
	{ "partial(BaseSelectorEventLoop._sock_write_done)", "a socket write is "
	  "done: _sock_write_done stops watching the socket" },
};

/* asyncio's own callbacks that wake or cancel a task (not its __step or
 * __wakeup), and what each does, %s the task. */
static const struct callback_words asyncio_task_callbacks[] = {
	/* The timer of wait_for() (3.11) or wait() with a timeout. */
	{ "_release_waiter", "%s's timeout is over: its timer "
	  "(_release_waiter) wakes it" },
	/* wait_for()'s done callback on the task it waits for (3.11), and
	 * _cancel_and_wait's on the task it cancelled. */
	{ "partial(_release_waiter)", "%s's wait_for sees its task done: "
	  "_release_waiter wakes it" },
	{ "Timeout._on_timeout", "%s's timeout is over: its timer "
	  "(Timeout._on_timeout) cancels it" },
	{ "_chain_future.<locals>._set_state", "the call in another thread %s "
	  "awaits is done: _set_state passes its outcome on" },
	{ "_set_result_unless_cancelled", "what %s awaits gets its result: "
	  "_set_result_unless_cancelled wakes it" },
};

/* The words of callback cb in table (of n), or NULL. "partial(f)", as
 * the engine names a functools.partial, has f's words unless the table
 * has the partial's own. */
static const char *words_of(const struct callback_words *table, size_t n,
                            const char *cb)
{
	size_t i, len = strlen(cb);

	for (i = 0; i < n; i++)
		if (strcmp(cb, table[i].callback) == 0)
			return table[i].words;
	if (len < 10 || strncmp(cb, "partial(", 8) != 0 || cb[len - 1] != ')')
		return NULL;
	for (i = 0; i < n; i++)
		if (strlen(table[i].callback) == len - 9 &&
		    strncmp(cb + 8, table[i].callback, len - 9) == 0)
			return table[i].words;
	return NULL;
}

/* The loop's task named name, or NULL. */
static const snap_task *loop_task(const snap_loop *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->ntasks; i++)
		if (l->tasks[i].name && strcmp(l->tasks[i].name, name) == 0)
			return &l->tasks[i];
	return NULL;
}

/* What the callback about to run does, in words. */
static char *callback_words(const snap_loop *l)
{
	const char *cb = l->next.callback ? l->next.callback : "?";
	const char *task = l->next.task;
	const snap_task *t;
	const char *words;

	/* The clock first: the Tasks section may be scrolled past it. */
	if (task && strcmp(cb, "Task.__step") == 0)
		return ys_asprintf("at %.3f s the loop runs %s: Task.__step, to its next "
		                   "await", l->time, task);
	if (task && strcmp(cb, "Task.__wakeup") == 0)
		return ys_asprintf("at %.3f s the loop runs %s: Task.__wakeup, what it "
		                   "awaited is done", l->time, task);
	/* The timer of asyncio.sleep: a name no learner wrote, said as what
	 * it does. The same function completes other futures (a thread's
	 * call_soon_threadsafe): the task's own wait says which. */
	if (task && strcmp(cb, "_set_result_unless_cancelled") == 0 &&
	    (t = loop_task(l, task)) != NULL && t->waits &&
	    strncmp(t->waits, "sleep until ", 12) == 0)
		return ys_asprintf("at %.3f s %s's sleep is over: its timer "
		                   "(_set_result_unless_cancelled) wakes it",
		                   l->time, task);
	words = task ? words_of(asyncio_task_callbacks, sizeof asyncio_task_callbacks /
	                        sizeof asyncio_task_callbacks[0], cb) : NULL;
	if (words) {
		char *what = ys_asprintf(words, task);
		char *out = ys_asprintf("at %.3f s %s", l->time, what);

		ys_free(what);
		return out;
	}
	if (task)
		return ys_asprintf("at %.3f s the loop runs %s, for %s", l->time, cb, task);
	words = words_of(asyncio_callbacks, sizeof asyncio_callbacks /
	                 sizeof asyncio_callbacks[0], cb);
	if (words)
		return ys_asprintf("at %.3f s %s", l->time, words);
	return ys_asprintf("at %.3f s the loop runs %s", l->time, cb);
}

void view_tasks_pause_lines(const view_ctx *c, int width, view_lines *v)
{
	const snap_loop *l = c->pause->loop;
	const snap_task *sel = snap_find_task(c->snap, c->selected);
	char *what = callback_words(l), *until;

	view_pause_head(v, "CALLBACK", c->pause_index + 1, c->npauses, what, "callback", width);
	ys_free(what);
	until = sel && sel->id != l->next_task_id && sel->name && sel->state &&
	        strcmp(sel->state, "pending") == 0
	        ? ys_asprintf("u: until %s resumes", sel->name) : NULL;
	/* The hints go on the next line rather than past the edge. */
	if (until && vl_width(v) + 3 + view_strwidth(until) > width) {
		vl_new(v);
		vl_add(v, R_ACTION, " ");
	} else if (until) {
		vl_add(v, R_NORMAL, "   ");
	}
	if (until)
		vl_add(v, R_ACTION, until);
	ys_free(until);
	if (vl_width(v) + 3 + 18 > width) {
		vl_new(v);
		vl_add(v, R_ACTION, " ");
	} else {
		vl_add(v, R_NORMAL, "   ");
	}
	vl_add(v, R_ACTION, "Space: to its end");
}
