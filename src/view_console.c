/* view_console.c: the Console pane: the history as Python's prompt shows
 * it: each statement after ">>> " (and "... "), what it printed, and its
 * exception. Code blocks show as their first line. Free actions are marked
 * off script; an output that differs from the lesson's is flagged. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

/* Rows one line of output or one message may take: enough for every
 * result the lessons print, even in the 32 columns of a small screen
 * (3.15's AttributeError, "... Did you mean '.__del__' instead of
 * '.__code__'?", takes four); a line of 100,000 characters ends in "…",
 * its start still in view. */
#define MAX_ROWS 5

/* s appended, broken at width columns, at most MAX_ROWS rows. */
static void add_broken(view_lines *v, view_role r, const char *s, int width, int indent)
{
	int room = width * MAX_ROWS - indent * (MAX_ROWS - 1) - vl_width(v);
	char *f = view_strwidth(s) > room ? view_fit(s, room) : NULL;

	vl_break(v, r, f ? f : s, width, indent);
	ys_free(f);
}

/* Text line by line, tabs expanded, each line broken at the width as a
 * terminal breaks it: a result is never cut. */
static void text_lines(view_lines *v, const char *text, view_role r, int width)
{
	const char *p = text;

	while (p && *p) {
		size_t n = strcspn(p, "\n");
		char *e = view_expand_tabs(p, n);

		vl_new(v);
		add_broken(v, r, e ? e : "", width, 0);
		ys_free(e);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* n bytes of code at s on the line after its ">>> ", broken under the
 * prompt's width when longer than the pane. */
static void add_code(view_lines *v, const char *s, size_t n, int width)
{
	char *l = ys_strndup(s, n);

	add_broken(v, R_CODE, l ? l : "", width, 4);
	ys_free(l);
}

/* The statement as typed at >>>: a code block's first line and how many
 * more it has, or every line of a statement under its ... prompts. */
static void echo_lines(view_lines *v, const session_entry *e, int width)
{
	const char *src = e->source ? e->source : "";
	const char *nl = strchr(src, '\n');

	vl_new(v);
	vl_add(v, R_PROMPT, ">>> ");
	if (e->kind == LESSON_CODE) {
		int more = 0;
		const char *p;
		for (p = src; *p; p++)
			more += *p == '\n';
		add_code(v, src, nl ? (size_t)(nl - src) : strlen(src), width);
		if (more) {
			char m[48];
			snprintf(m, sizeof m, "  %s %d more line%s", view_g->ell, more, more == 1 ? "" : "s");
			if (vl_width(v) + view_strwidth(m) > width) {
				vl_new(v);
				vl_pad_to(v, 2);
			}
			vl_add(v, R_DIM, m);
		}
	} else {
		const char *p = src;
		bool firstl = true;
		while (*p) {
			size_t n = strcspn(p, "\n");
			if (!firstl) {
				vl_new(v);
				vl_add(v, R_PROMPT, "... ");
			}
			add_code(v, p, n, width);
			firstl = false;
			p += n;
			if (*p)
				p++;
		}
	}
}

/* Entry e; printed >= 0: the live flow of its step is at a hop before
 * which that many characters had been printed, so only those show, and
 * its exception and notes are still to come. */
static void entry_lines(view_lines *v, const session_entry *e, int width, bool free_play,
                        long printed)
{
	const snap_step *r = &e->result;

	echo_lines(v, e, width);
	if (e->origin == ENTRY_FREE && !free_play && vl_width(v) + 14 <= width) {
		vl_pad_to(v, width - 12);
		vl_add(v, R_OFF, "off script");
	}
	if (printed >= 0) {
		size_t n = r->output ? ys_utf8_bytes(r->output, printed) : 0;
		char *so_far = r->output ? ys_strndup(r->output, n) : NULL;
		text_lines(v, so_far, R_NORMAL, width);
		ys_free(so_far);
		return;
	}
	text_lines(v, r->output, R_NORMAL, width);
	if (r->output_capped) {
		vl_new(v);
		vl_printf(v, R_DIM, "%s output cut here %s", view_g->ell, view_g->ell);
	}
	if (r->exception) {
		/* "Type: message" after a cross, wrapped under the message;
		 * more lines (rare) below it. */
		size_t n = strcspn(r->exception, "\n");
		char *first = ys_strndup(r->exception, n);
		vl_new(v);
		vl_add(v, R_ERROR, view_g->cross);
		vl_add(v, R_ERROR, " ");
		add_broken(v, R_ERROR, first ? first : "", width, 2);
		ys_free(first);
		if (r->exception[n])
			text_lines(v, r->exception + n + 1, R_ERROR, width);
	}
	if (r->note) {
		/* Wrapped: a note says what the step's record leaves out,
		 * and a narrow Console cut it mid-word. */
		char *note = ys_asprintf("[%s]", r->note);
		vl_new(v);
		vl_wrap(v, R_DIM, note ? note : "", width, 1);
		ys_free(note);
	}
	if (e->match == 0) {
		vl_new(v);
		vl_add(v, R_ERROR, view_g->cross);
		vl_add(v, R_ERROR, " not what the lesson expected:");
		text_lines(v, e->expected, R_DIM, width);
	}
}

/* Entries drawn at most: enough to scroll back a long way, few enough
 * that a history of thousands of steps draws as fast as a short one. */
#define MAX_SHOWN 400

/* The statement of a step still running (line stepping), no result yet;
 * at a callback pause, what it had printed by then (printed >= 0). */
static void running_lines(view_lines *v, const session_entry *e, int width, long printed)
{
	const char *src = e->source ? e->source : "";

	vl_new(v);
	vl_add(v, R_PROMPT, ">>> ");
	add_code(v, src, strcspn(src, "\n"), width);
	if (printed > 0 && e->result.output) {
		char *so_far = ys_strndup(e->result.output, ys_utf8_bytes(e->result.output, printed));

		text_lines(v, so_far, R_NORMAL, width);
		ys_free(so_far);
	}
	vl_new(v);
	vl_printf(v, R_DIM, "%s running, paused inside %s", view_g->ell, view_g->ell);
}

static void console_lines(const view_ctx *c, int width, int height, view_lines *v)
{
	size_t i = 0;

	(void)height;
	if (c->nhist == 0 && !c->running) {
		vl_new(v);
		vl_wrap(v, R_DIM, "What you run shows here, as at >>>.", width, 0);
		return;
	}
	if (c->nhist > MAX_SHOWN) {
		i = c->nhist - MAX_SHOWN;
		vl_new(v);
		vl_printf(v, R_DIM, "%s %zu earlier steps: %s goes back to them", view_g->ell, i,
		          view_g->larrow);
	}
	for (; i < c->nhist; i++) {
		const snap_step *r = &c->hist[i].result;
		long printed = -1;
		/* The live flow: the output as it was printed, hop by hop. */
		if (c->animating && !c->pause && i + 1 == c->nhist && c->anim_events < r->nevents)
			printed = r->events[c->anim_events].printed;
		entry_lines(v, &c->hist[i], width, view_free_play(c->lesson), printed);
	}
	if (c->running)
		running_lines(v, c->running, width, c->pause && c->pause->loop ?
		              c->pause->loop->printed : -1);
	v->anchor = (int)v->nlines - 1;
	v->anchor_end = v->anchor;
}

const view_ops view_console_ops = {
	.name = "Console",
	.key = '5',
	.lines = console_lines,
	.subtitle = NULL,
	.stick_bottom = true,
};
