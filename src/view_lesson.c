/* view_lesson.c: the Lesson pane: section, narration for the next step,
 * and the next action ("press s to send 6 into cri"), kept in view at the
 * bottom of the pane however long the narration is. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "predict.h"
#include "util.h"
#include "view.h"

/* The scripted step whose live flow is playing, or NULL. While its hops
 * play, the Lesson pane keeps that step's words: the next step's tell
 * what came of it ("Now tr is suspended" beside a RUNNING tr), before
 * the hops have shown it. */
static const lesson_step *playing_step(const view_ctx *c)
{
	const session_entry *last = c->nhist ? &c->hist[c->nhist - 1] : NULL;

	if (!c->lesson || !c->animating || c->pause || c->browsing || !last ||
	    c->anim_events >= c->snap->nevents || last->origin != ENTRY_SCRIPT ||
	    last->step + 1 != c->script_pos || last->step >= c->lesson->nsteps)
		return NULL;
	return &c->lesson->steps[last->step];
}

static const char *lesson_subtitle(const view_ctx *c)
{
	static char buf[512];
	char score[64] = "";
	size_t n;
	unsigned right = c->score_right, wrong = c->score_wrong;

	if (!c->lesson)
		return NULL;
	n = c->lesson->nsteps;
	/* While a step's hops play, the score before it: its verdict waits
	 * for the end of the flow, as the verdict line does. */
	if (playing_step(c)) {
		right = c->nhist > 1 ? c->hist[c->nhist - 2].right : 0;
		wrong = c->nhist > 1 ? c->hist[c->nhist - 2].wrong : 0;
	}
	/* "✓2 ✗1", or in words where the locale has no such marks. */
	if (right + wrong > 0 && (unsigned char)view_g->check[0] >= 0x80)
		snprintf(score, sizeof score, " %s%u %s%u %s", view_g->check, right,
		         view_g->cross, wrong, view_g->dot);
	else if (right + wrong > 0)
		snprintf(score, sizeof score, " %u right %u wrong %s", right, wrong,
		         view_g->dot);
	if (playing_step(c))
		snprintf(buf, sizeof buf, "step %zu/%zu %s%s %s", c->script_pos, n,
		         view_g->dot, score, c->lesson->title);
	else if (c->script_pos >= n)
		snprintf(buf, sizeof buf, "%s %s%s %s",
		         view_free_play(c->lesson) ? "free play" : "done", view_g->dot, score,
		         c->lesson->title);
	else
		snprintf(buf, sizeof buf, "step %zu/%zu %s%s %s", c->script_pos + 1, n,
		         view_g->dot, score, c->lesson->title);
	return buf;
}

/* Who is running at a pause: the generator's label, else the function. */
static const char *pause_who(const snap_pause *p)
{
	const snap_frame *top;

	if (p->nstack == 0)
		return "?";
	top = &p->stack[p->nstack - 1];
	return top->label ? top->label : top->function ? top->function : "?";
}

void view_pause_head(view_lines *v, const char *kind, size_t at, size_t n,
                     const char *what, const char *next, int width)
{
	vl_new(v);
	vl_printf(v, R_RUN_LINE, " %s %zu/%zu ", kind, at, n);
	vl_add(v, R_NORMAL, " ");
	vl_wrap(v, R_BOLD, what ? what : "", width, 2);
	vl_new(v);
	vl_add(v, R_ACTION, view_g->right);
	vl_printf(v, R_ACTION, " Enter: next %s", next);
}

/* Line stepping: what this pause is, and the keys that go on. */
static void pause_lines(const view_ctx *c, int width, view_lines *v)
{
	const snap_pause *p = c->pause;
	const char *who = pause_who(p), *val = p->value ? p->value : "?";
	const snap_frame *top = p->nstack ? &p->stack[p->nstack - 1] : NULL;
	int line = top ? view_program_line(c, top->filename, top->line) : -1;
	char *what = NULL;

	if (p->kind == SNAP_PAUSE_CALLBACK && p->loop) {
		view_tasks_pause_lines(c, width, v);
		return;
	}
	switch (p->kind) {
	case SNAP_PAUSE_LINE:
		what = line > 0 ? ys_asprintf("%s is about to run line %d", who, line)
		                : ys_asprintf("%s is about to run its next line", who);
		break;
	case SNAP_PAUSE_RESUME: {
		/* What it was resumed with: the step's event for this hop. */
		const snap_event *e = c->anim_events > 0 && c->anim_events <= c->snap->nevents
		                      ? &c->snap->events[c->anim_events - 1] : NULL;
		const char *how = e && e->event == SNAP_EV_RESUME ? snap_how_name(e->how) : NULL;
		if (how && e->value && e->how != SNAP_HOW_NEXT && e->how != SNAP_HOW_CLOSE)
			what = ys_asprintf("%s is resumed by %s(%s): its frame goes onto the stack",
			                   who, how, e->value);
		else if (how)
			what = ys_asprintf("%s is resumed by %s(): its frame goes onto the stack", who, how);
		else
			what = ys_asprintf("%s is resumed: its frame goes onto the stack", who);
		break;
	}
	case SNAP_PAUSE_YIELD:
		what = ys_asprintf("%s yields %s: its frame leaves the stack", who, val);
		break;
	case SNAP_PAUSE_RETURN:
		what = ys_asprintf("%s returns %s: it is finished", who, val);
		break;
	case SNAP_PAUSE_RAISE:
		what = ys_asprintf("an exception leaves %s: %s", who, val);
		break;
	case SNAP_PAUSE_CALLBACK:
		break;
	}
	view_pause_head(v, "LINE STEP", c->pause_index + 1, c->npauses, what, "pause", width);
	ys_free(what);
	vl_add(v, R_NORMAL, "   ");
	vl_add(v, R_ACTION, "Space: run to where the call returns");
}

/* How the prediction made for the step just done went. */
static void verdict_lines(const session_entry *e, int width, view_lines *v)
{
	char *said = view_fit(e->prediction && *e->prediction ? e->prediction : "(nothing)",
	                      width / 3);

	vl_new(v);
	if (e->predicted) {
		vl_add(v, R_GOOD, view_g->check);
		vl_add(v, R_GOOD, " Right: you predicted ");
		vl_add(v, R_CODE, said);
		vl_add(v, R_GOOD, ".");
	} else {
		vl_add(v, R_ERROR, view_g->cross);
		vl_add(v, R_ERROR, " Not quite: you predicted ");
		vl_add(v, R_CODE, said);
		vl_add(v, R_ERROR, ".");
		if (e->hint) {
			vl_add(v, R_NORMAL, " ");
			vl_wrap(v, R_NORMAL, e->hint, width, 2);
		}
	}
	ys_free(said);
}

/* The lines pinned at the bottom: a pause, or the verdict of a
 * prediction, off script, and the next action. */
static void action_lines(const view_ctx *c, const lesson_step *st, int width, view_lines *v)
{
	char *act;
	int pin_start = (int)v->nlines;
	const session_entry *last = c->nhist ? &c->hist[c->nhist - 1] : NULL;

	if (c->pause) {
		pause_lines(c, width, v);
		v->pin = (int)v->nlines - pin_start;
		return;
	}
	if (playing_step(c)) {
		/* No verdict yet: the hops are still showing the answer. */
		char *at = !c->scrubbing ? NULL : c->anim_events == 0
		           ? ys_strdup("before the step's first hop: , and . go through its "
		                       "hops, Space to its end")
		           : ys_asprintf("hop %zu of %zu of this step: , and . go through its "
		                         "hops, Space to its end", c->anim_events, c->snap->nevents);
		vl_new(v);
		vl_add(v, R_ACTION, view_g->right);
		vl_add(v, R_ACTION, " ");
		vl_wrap(v, R_ACTION, at ? at : "the step's hops play: any key skips to its end",
		        width, 2);
		ys_free(at);
		v->pin = (int)v->nlines - pin_start;
		return;
	}
	if (last && last->predicted >= 0)
		verdict_lines(last, width, v);
	if (c->off_script && !view_free_play(c->lesson)) {
		vl_new(v);
		vl_add(v, R_OFF, " OFF SCRIPT ");
		vl_add(v, R_NORMAL, " r replays the lesson up to where it stood");
	}
	vl_new(v);
	act = !st && view_free_play(c->lesson)
	      ? ys_strdup("free play: Tab selects a generator, n s t c drive it, : runs a statement")
	      : view_action_text(st);
	vl_add(v, R_ACTION, view_g->right);
	vl_add(v, R_ACTION, " ");
	/* The hint wraps under itself: it is what to do next, never cut. */
	if (view_asks_prediction(c, st)) {
		char *q = predict_question(st), *then = ys_asprintf("%s, then ", q ? q : "Predict");
		vl_wrap(v, R_BOLD, then ? then : "Predict, then ", width, 2);
		ys_free(then);
		ys_free(q);
	}
	if (act && view_asks_prediction(c, st)) {
		char *spaced = ys_asprintf(" %s", act);
		vl_wrap(v, R_ACTION, spaced ? spaced : act, width, 2);
		ys_free(spaced);
	} else {
		vl_wrap(v, R_ACTION, act ? act : "", width, 2);
	}
	ys_free(act);
	if (st && st->kind == LESSON_STATEMENT && st->drive.kind == DRIVE_NONE) {
		/* Show what Space will type at the prompt. */
		const char *nl = strchr(st->source, '\n');
		/* Room after the "   >>> " it is drawn behind. */
		int room = width - vl_width(v) - 7;
		if (room > 8) {
			char *first = ys_strndup(st->source, nl ? (size_t)(nl - st->source) : strlen(st->source));
			char *fit = view_fit(first, room);
			vl_add(v, R_NORMAL, "   ");
			vl_add(v, R_PROMPT, ">>> ");
			vl_add(v, R_CODE, fit);
			ys_free(fit);
			ys_free(first);
		}
	} else if (st && st->drive.kind != DRIVE_NONE) {
		vl_wrap(v, R_DIM, " (or Space)", width, 2);
	}
	v->pin = (int)v->nlines - pin_start;
}

static void lesson_lines(const view_ctx *c, int width, int height, view_lines *v)
{
	const lesson *l = c->lesson;
	const lesson_step *st;

	v->anchor = 0;
	v->anchor_end = 0;
	if (!l)
		return;
	st = playing_step(c);
	if (!st)
		st = c->script_pos < l->nsteps ? &l->steps[c->script_pos] : NULL;
	/* One's own program paused inside its run: what the pause says is
	 * the news, not the words that introduce the file; the panes below
	 * get their rows. */
	if (c->pause && view_free_play(l)) {
		action_lines(c, st, width, v);
		return;
	}
	if (st && st->narr) {
		/* Blank lines between paragraphs and the section heading, each
		 * only when it does not push narration out of the pane. */
		view_lines probe;
		int room;
		size_t n1, n2;
		memset(&probe, 0, sizeof probe);
		action_lines(c, st, width, &probe);
		room = height - probe.pin;
		vl_free(&probe);
		/* Counted, not drawn: the wrap is done once per width. */
		n1 = view_narration_count(st->narr, width, false);
		n2 = view_narration_count(st->narr, width, true);
		if (st->section && *st->section && room > 0 && n1 + 1 <= (size_t)room) {
			vl_new(v);
			vl_add(v, R_HEADING, st->section);
			room--;
		}
		view_narration(v, st->narr, width, room >= 0 && n2 <= (size_t)room);
	} else if (st && st->section && *st->section) {
		/* A step with no words of its own still says where it is. */
		vl_new(v);
		vl_add(v, R_HEADING, st->section);
	} else if (!st && l->closing_narr) {
		view_narration(v, l->closing_narr, width, true);
	} else if (!st) {
		vl_new(v);
		vl_add(v, R_NORMAL, "That was the last step of this lesson.");
	}
	action_lines(c, st, width, v);
}

const view_ops view_lesson_ops = {
	.name = "Lesson",
	.key = '1',
	.lines = lesson_lines,
	.subtitle = lesson_subtitle,
	.stick_bottom = false,
};
