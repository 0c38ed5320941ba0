/* view_source.c: the Source pane: the lesson's program with line numbers,
 * a "◀ label" marker on every line where a generator is paused, the line
 * running during the live flow highlighted, code not yet run dimmed and
 * the next code block to run marked in the gutter. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

/* Program line i (1-based) as [*s, *s + *n), tabs left in. */
static bool program_line(const char *prog, int i, const char **s, size_t *n)
{
	const char *p = prog;
	int k;

	for (k = 1; k < i && p; k++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p || !*p)
		return false;
	*s = p;
	*n = strcspn(p, "\n");
	return true;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; s && *s; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* Tabs to spaces, so widths are what the screen shows. */
static char *expand(const char *s, size_t n)
{
	strbuf sb = {0};
	size_t i;
	int col = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\t') {
			do {
				sb_appendc(&sb, ' ');
			} while (++col % 8);
		} else {
			sb_appendc(&sb, s[i]);
			col++;
		}
	}
	if (!sb.data && !sb.failed)
		return ys_strdup("");
	return sb_take(&sb);
}

typedef struct {
	const char *label;
	view_role role;
	const char *note;       /* "created", "running", NULL */
} marker;

static void source_lines(const view_ctx *c, int width, int height, view_lines *v)
{
	const lesson *l = c->lesson;
	const char *prog = l ? l->program : NULL;
	int nlines = count_lines(prog), i, numw, codew = 0, run_line = -1;
	int next_from = 0, next_to = -1, ran_to = 0;
	const char *run_label = NULL;
	view_stack stack;
	size_t k;

	v->anchor = -1;
	if (!prog || nlines == 0) {
		vl_new(v);
		vl_add(v, R_DIM, "No code yet: the lesson's python blocks appear here.");
		return;
	}
	/* Which code blocks have run, and which runs next. */
	for (k = 0; k < l->nsteps; k++) {
		const lesson_step *st = &l->steps[k];
		int end;
		if (st->kind != LESSON_CODE)
			continue;
		end = st->code_line + count_lines(st->source) + 1 - 1;
		if (k < c->script_pos && end > ran_to)
			ran_to = end;
		if (k == c->script_pos && !c->browsing) {
			next_from = st->code_line;
			next_to = end;
		}
	}
	/* The frame on top of the stack during the live flow. */
	if (c->animating) {
		view_replay_stack(c->snap, c->anim_events, &stack);
		if (stack.depth > 0) {
			run_line = stack.lines[stack.depth - 1];
			run_label = stack.labels[stack.depth - 1];
		}
	}
	numw = snprintf(NULL, 0, "%d", nlines);
	for (i = 1; i <= nlines; i++) {
		const char *s;
		size_t n;
		char *e;
		if (!program_line(prog, i, &s, &n))
			break;
		e = expand(s, n);
		if (e && view_strwidth(e) > codew)
			codew = view_strwidth(e);
		ys_free(e);
	}
	for (i = 1; i <= nlines; i++) {
		marker m[8];
		int nm = 0, col, mw = 0, j, room;
		const char *s;
		size_t n, g;
		char *e, *fit;
		bool running = i == run_line;
		bool pending = i > ran_to;

		if (!program_line(prog, i, &s, &n))
			break;
		for (g = 0; g < c->snap->ngens && nm < 8; g++) {
			const snap_gen *gen = &c->snap->gens[g];
			bool sel = c->selected && gen->label && strcmp(c->selected, gen->label) == 0;
			if (gen->line != i || !view_in_program(c, gen) || !gen->label)
				continue;
			if (gen->state != SNAP_SUSPENDED && gen->state != SNAP_CREATED)
				continue;
			m[nm].label = gen->label;
			m[nm].role = sel ? R_MARK_SEL : R_MARK;
			m[nm].note = gen->state == SNAP_CREATED ? "created" : NULL;
			nm++;
			if (sel && v->anchor < 0) {
				v->anchor = i - 1;
				v->anchor_end = i - 1;
			}
		}
		vl_new(v);
		/* Gutter: ▸ for the block that runs next. */
		if (running)
			vl_add(v, R_RUN_LINE, view_g->right);
		else if (i >= next_from && i <= next_to)
			vl_add(v, R_ACTION, view_g->sel);
		else
			vl_add(v, R_NORMAL, " ");
		vl_printf(v, R_LINENO, "%*d ", numw, i);
		col = 1 + numw + 1;
		for (j = 0; j < nm; j++)
			mw += 2 + view_strwidth(view_g->mark) + 1 + view_strwidth(m[j].label) +
			      (m[j].note ? 1 + (int)strlen(m[j].note) : 0);
		if (running && run_label)
			mw += 3 + view_strwidth(run_label) + 8;
		room = width - col - mw;
		if (room < 10)
			room = width - col;
		e = expand(s, n);
		fit = view_fit(e ? e : "", room);
		vl_add(v, running ? R_RUN_LINE : pending ? R_DIM : R_NORMAL, fit);
		ys_free(fit);
		ys_free(e);
		if (running) {
			/* The whole line lit, as far as the code column. */
			int pad = (codew < room ? codew : room) + col;
			while (vl_width(v) < pad)
				vl_add(v, R_RUN_LINE, " ");
		}
		if (nm > 0 || (running && run_label)) {
			int at = col + (codew < room ? codew : room) + 2;
			if (at + mw > width)
				at = width - mw;
			if (at < vl_width(v) + 1)
				at = vl_width(v) + 1;
			vl_pad_to(v, at);
			if (running && run_label) {
				vl_add(v, R_RUN_LINE, view_g->left);
				vl_printf(v, R_RUN_LINE, " %s running", run_label);
				vl_add(v, R_NORMAL, " ");
			}
			for (j = 0; j < nm; j++) {
				vl_add(v, m[j].role, view_g->mark);
				vl_add(v, m[j].role, " ");
				vl_add(v, m[j].role, m[j].label);
				if (m[j].note) {
					vl_add(v, R_DIM, " ");
					vl_add(v, R_DIM, m[j].note);
				}
				if (j + 1 < nm)
					vl_add(v, R_NORMAL, "  ");
			}
		}
		if (running) {
			v->anchor = i - 1;
			v->anchor_end = i - 1;
		}
	}
	if (v->anchor < 0 && next_to >= next_from && next_from > 0) {
		v->anchor = next_from - 1;
		v->anchor_end = next_to - 1;
	}
	if (v->anchor < 0) {
		/* The first paused line, else the end of what has run. */
		for (k = 0; k < c->snap->ngens; k++)
			if (view_in_program(c, &c->snap->gens[k]) && c->snap->gens[k].line > 0) {
				v->anchor = v->anchor_end = c->snap->gens[k].line - 1;
				break;
			}
	}
	if (v->anchor < 0 && ran_to > 0)
		v->anchor = v->anchor_end = ran_to - 1;
	(void)height;
}

const view_ops view_source_ops = {
	.name = "Source",
	.key = '2',
	.lines = source_lines,
	.subtitle = NULL,
	.stick_bottom = false,
};
