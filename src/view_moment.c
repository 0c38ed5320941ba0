/* view_moment.c: a generator at the moment of a step the screen shows.
 *
 * During the live flow, or while the learner moves hop by hop through a
 * step (, and .), the panes show the moment after the step's first
 * anim_events hops, not its end: the state, the call stack and the locals
 * of that moment, told by the hops so far and the hops to come.
 */
#include "config.h"

#include <string.h>

#include "view.h"

/* The last hop of g among the first c->anim_events of the step shown
 * (*last) and its first hop after them (*next), NULL when none. Hops are
 * matched by label, as the Channel and the Timeline name them, and by
 * id: a delegator's new delegate takes the old one's label. */
static void hops_around(const view_ctx *c, const snap_gen *g, const snap_event **last,
                        const snap_event **next)
{
	const snap_step *st = c->snap;
	size_t i, n = c->anim_events < st->nevents ? c->anim_events : st->nevents;

	*last = *next = NULL;
	for (i = 0; i < st->nevents; i++) {
		const snap_event *e = &st->events[i];
		if (!e->label || e->id != g->id || strcmp(e->label, g->label) != 0)
			continue;
		if (i >= n) {
			*next = e;
			return;
		}
		*last = e;
	}
}

/* Is the moment shown one inside the step, not its end? */
static bool inside_step(const view_ctx *c, const snap_gen *g)
{
	return c->animating && !c->pause && g->label && c->anim_events < c->snap->nevents;
}

/* A generator a throw() will close is still suspended until its raise:
 * its last hop so far says its state. */
snap_state view_state_now(const view_ctx *c, const snap_gen *g)
{
	const snap_event *last, *next;

	if (!inside_step(c, g))
		return g->state;
	hops_around(c, g, &last, &next);
	if (last)
		return last->event == SNAP_EV_RESUME ? SNAP_RUNNING :
		       last->event == SNAP_EV_YIELD ? SNAP_SUSPENDED : SNAP_CLOSED;
	if (next)
		/* Not run yet in the step: a first start resumes it at its def
		 * line, from CREATED. */
		return next->line == g->first_line ? SNAP_CREATED : SNAP_SUSPENDED;
	return g->state;
}

int view_line_now(const view_ctx *c, const snap_gen *g)
{
	const snap_event *last, *next;
	int line;

	if (!inside_step(c, g))
		return -1;
	hops_around(c, g, &last, &next);
	if (!next)
		return -1;
	line = last ? last->line : next->line;
	/* Unknown then: no line rather than the end's. */
	return line > 0 ? line : 0;
}

/* The card of the same generator as g (id, function) among st's, with a
 * frame when alive is true; NULL when none. */
static const snap_gen *same_card(const snap_step *st, const snap_gen *g, bool alive)
{
	size_t i;

	for (i = 0; st && i < st->ngens; i++) {
		const snap_gen *p = &st->gens[i];
		if (p->id == g->id && (!alive || p->state != SNAP_CLOSED) && p->function &&
		    g->function && strcmp(p->function, g->function) == 0)
			return p;
	}
	return NULL;
}

const snap_step *view_step_before(const view_ctx *c)
{
	return c->nhist >= 2 ? &c->hist[c->nhist - 2].result : NULL;
}

bool view_departed(const view_ctx *c, const snap_gen *p)
{
	const snap_event *last, *next;

	if (!inside_step(c, p) || p->state == SNAP_CLOSED || same_card(c->snap, p, false))
		return false;
	hops_around(c, p, &last, &next);
	/* Until its last hop: after it, it may have been freed at any time. */
	return next || (last && last == &c->snap->events[c->anim_events - 1]);
}

/* g's card after the step before the one shown, with a frame then; NULL
 * when it had none. */
static const snap_gen *card_before(const view_ctx *c, const snap_gen *g)
{
	return same_card(view_step_before(c), g, true);
}

bool view_locals_now(const view_ctx *c, const snap_gen *g, const snap_local **locals,
                     size_t *n)
{
	const snap_event *last, *next;
	const snap_gen *before;

	*locals = g->locals;
	*n = g->nlocals;
	if (!inside_step(c, g))
		return true;
	hops_around(c, g, &last, &next);
	if (!last && !next)
		/* Its frame does not run in this step: as at its end. */
		return true;
	if (last) {
		/* As it was at its last hop so far, when that hop says. */
		if (!last->has_locals)
			return false;
		*locals = last->locals;
		*n = last->nlocals;
		return true;
	}
	/* Not run yet in the step: as the step found it. */
	before = card_before(c, g);
	if (before) {
		*locals = before->locals;
		*n = before->nlocals;
		return true;
	}
	/* Made in this step and not started: its arguments, which its first
	 * start finds. */
	if (next->event == SNAP_EV_RESUME && next->line == g->first_line && next->has_locals) {
		*locals = next->locals;
		*n = next->nlocals;
		return true;
	}
	return false;
}

void view_replay_stack(const snap_step *st, size_t n, view_stack *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	if (n > st->nevents)
		n = st->nevents;
	for (i = 0; i < n; i++) {
		const snap_event *e = &st->events[i];
		int d = e->depth < 0 ? 0 : e->depth;
		if (d >= 16)
			continue;
		if (e->event == SNAP_EV_RESUME) {
			int j;
			/* Depths skipped (a throw() passed through delegators
			 * that did not run) hold no frame. */
			for (j = out->depth; j < d; j++) {
				out->labels[j] = out->functions[j] = out->callers[j] = NULL;
				out->lines[j] = -1;
				out->ids[j] = 0;
				out->resumes[j] = NULL;
			}
			/* The frame below calls it from a line of its own
			 * (an await, a yield from): it is there now, not where
			 * it resumed. */
			if (d > 0 && out->depth == d && e->below > 0)
				out->lines[d - 1] = e->below;
			out->labels[d] = e->label;
			out->ids[d] = e->id;
			out->functions[d] = e->function;
			out->lines[d] = e->line;
			out->callers[d] = e->callers;
			out->resumes[d] = e;
			out->depth = d + 1;
		} else {
			/* Yield, return, raise: this frame leaves the stack. */
			out->depth = d;
		}
	}
	for (i = 0; i < 16; i++)
		out->fresh[i] = n > 0 && (int)i < out->depth && out->resumes[i] == &st->events[n - 1];
}
