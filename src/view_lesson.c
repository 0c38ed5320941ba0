/* view_lesson.c: the Lesson pane: section, narration for the next step,
 * and the next action ("press s to send 6 into cri"), kept in view at the
 * bottom of the pane however long the narration is. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

static const char *lesson_subtitle(const view_ctx *c)
{
	static char buf[512];
	size_t n;

	if (!c->lesson)
		return NULL;
	n = c->lesson->nsteps;
	if (c->script_pos >= n)
		snprintf(buf, sizeof buf, "done %s %s", view_g->dot, c->lesson->title);
	else
		snprintf(buf, sizeof buf, "step %zu/%zu %s %s", c->script_pos + 1, n,
		         view_g->dot, c->lesson->title);
	return buf;
}

/* The action line, pinned at the bottom. */
static void action_lines(const view_ctx *c, const lesson_step *st, int width, view_lines *v)
{
	char *act;
	int pin_start = (int)v->nlines;

	if (c->browsing) {
		vl_new(v);
		vl_printf(v, R_ACTION, "%s viewing an earlier step: %s returns to now",
		          view_g->larrow, view_g->rarrow);
		v->pin = (int)v->nlines - pin_start;
		return;
	}
	if (c->off_script) {
		vl_new(v);
		vl_add(v, R_OFF, " OFF SCRIPT ");
		vl_add(v, R_NORMAL, " r replays the lesson up to where it stood");
	}
	vl_new(v);
	act = view_action_text(st);
	vl_add(v, R_ACTION, view_g->right);
	vl_add(v, R_ACTION, " ");
	if (st && st->predict && !c->off_script)
		vl_add(v, R_BOLD, "Predict what it shows, then ");
	vl_add(v, R_ACTION, act ? act : "");
	ys_free(act);
	if (st && st->kind == LESSON_STATEMENT && st->drive.kind == DRIVE_NONE) {
		/* Show what Space will type at the prompt. */
		const char *nl = strchr(st->source, '\n');
		int room = width - vl_width(v) - 6;
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
		vl_add(v, R_DIM, "  (or Space)");
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
	st = c->script_pos < l->nsteps ? &l->steps[c->script_pos] : NULL;
	if (st && st->narration) {
		/* Blank lines between paragraphs and the section heading, each
		 * only when it does not push narration out of the pane. */
		view_lines probe;
		int room = height - 1 - (c->off_script ? 1 : 0), n1, n2;
		memset(&probe, 0, sizeof probe);
		view_markdown(&probe, st->narration, width, false);
		n1 = (int)probe.nlines;
		vl_free(&probe);
		view_markdown(&probe, st->narration, width, true);
		n2 = (int)probe.nlines;
		vl_free(&probe);
		if (st->section && *st->section && (n1 + 1 <= room)) {
			vl_new(v);
			vl_add(v, R_HEADING, st->section);
			room--;
		}
		view_markdown(v, st->narration, width, n2 <= room);
	} else if (!st && l->closing) {
		view_markdown(v, l->closing, width, true);
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
