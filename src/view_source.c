/* view_source.c: the Source pane: the lesson's program with line numbers,
 * a "◀ label" marker on every line where a generator is paused (beside
 * the code, or under it when the pane is too narrow: never over it), the line
 * running during the live flow highlighted, the code block that runs
 * next dimmed and marked in the gutter, later blocks not shown, and a rule
 * between blocks that are apart in the lesson file. */
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

typedef struct {
	const char *label;
	view_role role;
	const char *note;       /* "created", "running", NULL */
} marker;

/* The line of g as numbered in the Source pane (lesson file lines), or -1
 * when g's code is not the lesson's. The engine may number code by file
 * line (code compiled under the lesson's path) or by program line (under
 * "<lesson>"); both map to the file line here. */
int view_program_line(const view_ctx *c, const char *filename, int line)
{
	const lesson *l = c->lesson;
	snap_gen g;
	size_t k;

	memset(&g, 0, sizeof g);
	g.filename = (char *)filename;
	g.line = line;
	if (!l || !view_in_program(c, &g) || line <= 0)
		return -1;
	if (c->program_file && strcmp(filename, c->program_file) == 0 &&
	    !(l->path && strcmp(l->path, c->program_file) == 0)) {
		for (k = 0; k < l->nsteps; k++) {
			const lesson_step *st = &l->steps[k];
			int n = count_lines(st->source) + 1;
			if (st->kind == LESSON_CODE && line >= st->code_line &&
			    line < st->code_line + n)
				return st->line + (line - st->code_line);
		}
		return -1;
	}
	return line;
}

/* The program line g waits at in the moment shown (its hops so far
 * during the live flow or hop by hop, else as the step left it), or -1. */
static int gen_line(const view_ctx *c, const snap_gen *g)
{
	int now = view_line_now(c, g);

	if (now == 0)
		return -1;      /* unknown then */
	return view_program_line(c, g->filename, now > 0 ? now : g->line);
}

static bool on_stack(const view_stack *s, const char *label)
{
	int i;

	for (i = 0; i < s->depth; i++)
		if (s->labels[i] && strcmp(s->labels[i], label) == 0)
			return true;
	return false;
}

/* Columns a "◀ label note" marker takes, with the gap before it. */
static int marker_width(const marker *m)
{
	return 2 + view_strwidth(view_g->mark) + 1 + view_strwidth(m->label) +
	       (m->note ? 1 + (int)strlen(m->note) : 0);
}

/* What drawing the program's lines needs to know, once for all of them. */
typedef struct {
	const view_ctx *c;
	int width;
	int numw;               /* columns of the widest line number */
	int codew;              /* columns of the widest code line */
	int run_line;           /* the line running (live flow, a pause), or -1 */
	int left_line;          /* live flow, nothing running: the line the
	                           last hop left its frame at, or -1 */
	const char *run_label;  /* what runs there */
	view_stack stack;       /* during the live flow */
	bool anchored_lit;      /* anchored on the line a lesson highlights */
	bool anchored_run;      /* the view is anchored on the running line */
} src_draw;

/* The widest code line and the last line number of the lesson's code;
 * false when it has none. */
static bool measure(const lesson *l, int *codew, int *maxline)
{
	size_t k;
	bool any = false;

	for (k = 0; l && k < l->nsteps; k++) {
		const lesson_step *st = &l->steps[k];
		int n, i;
		if (st->kind != LESSON_CODE)
			continue;
		n = count_lines(st->source) + 1;
		any = true;
		if (st->line + n - 1 > *maxline)
			*maxline = st->line + n - 1;
		for (i = 1; i <= n; i++) {
			const char *ls;
			size_t ln;
			char *e;
			if (!program_line(st->source, i, &ls, &ln))
				break;
			e = view_expand_tabs(ls, ln);
			if (e && view_strwidth(e) > *codew)
				*codew = view_strwidth(e);
			ys_free(e);
		}
	}
	return any;
}

/* The frame on top of the stack: at a pause of line stepping, or during
 * the live flow. */
static void find_running(src_draw *d)
{
	const view_ctx *c = d->c;

	d->run_line = d->left_line = -1;
	if (c->pause && c->pause->nstack > 0) {
		const snap_frame *top = &c->pause->stack[c->pause->nstack - 1];
		d->run_line = view_program_line(c, top->filename, top->line);
		d->run_label = top->label ? top->label : top->function;
	} else if (c->animating) {
		view_replay_stack(c->snap, c->anim_events, &d->stack);
		if (d->stack.depth > 0) {
			d->run_line = d->stack.lines[d->stack.depth - 1];
			d->run_label = d->stack.labels[d->stack.depth - 1];
		} else if (c->anim_events > 0 && c->anim_events <= c->snap->nevents) {
			/* Between two hops (the loop between two tasks): the
			 * view stays where the last one left, not at the end. */
			d->left_line = c->snap->events[c->anim_events - 1].line;
		}
	}
}

/* Put gen's marker into m (of *nm): many paused on one line (a heap of
 * tasks) keep two labels, the selected one first, and count the rest. */
static void add_marker(marker *m, int *nm, int *more, const snap_gen *gen, snap_state state,
                       bool sel)
{
	const char *note = state == SNAP_CREATED ? "created" : NULL;

	if (*nm == 2 && !sel) {
		(*more)++;
		return;
	}
	if (*nm == 2)
		(*more)++;
	if (sel && *nm > 0) {
		m[1] = m[0];
		*nm = 1;
		m[0] = (marker){ gen->label, R_MARK_SEL, note };
	} else {
		m[*nm] = (marker){ gen->label, sel ? R_MARK_SEL : R_MARK, note };
	}
	(*nm)++;
}

/* The markers of line fl: the generators paused there and, at a pause,
 * those waiting on the stack there (a yield from). Anchors the view on
 * the selected one's line. */
static int line_markers(src_draw *d, int fl, marker *m, int *more, view_lines *v)
{
	const view_ctx *c = d->c;
	int nm = 0;
	size_t g, carded = 0, waiting = 0;

	const snap_step *before = c->pause ? NULL : view_step_before(c);
	size_t nb = before ? before->ngens : 0;

	/* The cards, then those of generators gone by the step's end that
	 * the moment shown still has (view_departed). */
	for (g = 0; g < c->snap->ngens + nb; g++) {
		const snap_gen *gen = g < c->snap->ngens ? &c->snap->gens[g]
		                                         : &before->gens[g - c->snap->ngens];
		bool sel = c->selected && gen->label && strcmp(c->selected, gen->label) == 0;
		snap_state now;
		if (!gen->label || gen_line(c, gen) != fl)
			continue;
		if (g >= c->snap->ngens && !view_departed(c, gen))
			continue;
		if (d->run_label && c->animating && on_stack(&d->stack, gen->label))
			continue;   /* running, not paused */
		now = view_state_now(c, gen);
		if (now != SNAP_SUSPENDED && now != SNAP_CREATED)
			continue;
		carded++;
		add_marker(m, &nm, more, gen, now, sel && g < c->snap->ngens);
		if (sel && g < c->snap->ngens && !d->anchored_run && !d->anchored_lit) {
			v->anchor = (int)v->nlines;
			v->anchor_end = (int)v->nlines;
		}
	}
	/* The engine counts every generator waiting here, not only those
	 * with cards. */
	for (g = 0; !c->pause && !c->animating && g < c->snap->nby_line; g++)
		if (view_program_line(c, c->snap->by_line[g].filename,
		                      c->snap->by_line[g].line) == fl)
			waiting += c->snap->by_line[g].count;
	if (waiting > carded)
		*more += (int)(waiting - carded);
	/* At a callback pause: each task at the line its coroutine waits at
	 * (the innermost hop in the lesson's code), the one that runs next
	 * said so and kept in view. */
	for (g = 0; c->pause && c->pause->kind == SNAP_PAUSE_CALLBACK && c->pause->loop &&
	            g < c->snap->ntasks && nm < 8; g++) {
		const snap_task *t = &c->snap->tasks[g];
		bool next = t->id == c->pause->loop->next_task_id;
		bool sel = c->selected && t->label && strcmp(c->selected, t->label) == 0;
		size_t h = t->nhops;

		while (h > 0 && view_program_line(c, t->hops[h - 1].filename,
		                                  t->hops[h - 1].line) < 0)
			h--;
		if (h == 0 || !t->name ||
		    view_program_line(c, t->hops[h - 1].filename, t->hops[h - 1].line) != fl)
			continue;
		if (nm == 2 && !next && !sel) {
			(*more)++;
			continue;
		}
		m[nm++] = (marker){ t->name, next || sel ? R_MARK_SEL : R_MARK,
		                    next ? "runs next" : NULL };
		if ((next || (sel && !c->pause->loop->next_task_id)) && !d->anchored_lit) {
			v->anchor = (int)v->nlines;
			v->anchor_end = (int)v->nlines;
		}
	}
	for (g = 0; c->pause && g + 1 < c->pause->nstack && nm < 8; g++) {
		const snap_frame *f = &c->pause->stack[g];
		if (!f->generator || !f->label || view_program_line(c, f->filename, f->line) != fl)
			continue;
		m[nm++] = (marker){ f->label, R_MARK, "on stack" };
	}
	return nm;
}

/* After the code: "◀ t running" and the markers, in a column of their own
 * when there is room. */
static void draw_markers(src_draw *d, view_lines *v, const marker *m, int nm, int mw,
                         const char *more_text, bool running, int col, int room)
{
	int at = col + (d->codew < room ? d->codew : room) + 2, j;

	if (at + mw > d->width)
		at = d->width - mw;
	if (at < vl_width(v) + 1)
		at = vl_width(v) + 1;
	vl_pad_to(v, at);
	if (running && d->run_label) {
		vl_add(v, R_RUN_LINE, view_g->left);
		vl_printf(v, R_RUN_LINE, " %s running", d->run_label);
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
	vl_add(v, R_DIM, more_text);
}

/* Line fl of the lesson file (code text ls, ln bytes), of the block that
 * runs next (next) or later (pending). */
static void code_line(src_draw *d, view_lines *v, int fl, const char *ls, size_t ln,
                      bool next, bool pending)
{
	marker m[8];
	int more = 0, nm, col, mw = 0, j, room;
	char more_text[32];
	char *e, *fit;
	bool running = fl == d->run_line;
	const lesson_eye *eye = view_eye(d->c);
	bool lit = !running && eye && eye->line == fl;

	nm = line_markers(d, fl, m, &more, v);
	vl_new(v);
	/* Gutter: ▸ for the block that runs next. */
	if (running)
		vl_add(v, R_RUN_LINE, view_g->right);
	else if (lit)
		vl_add(v, R_MARK_SEL, view_g->right);
	else if (next)
		vl_add(v, R_ACTION, view_g->sel);
	else
		vl_add(v, R_NORMAL, " ");
	vl_printf(v, R_LINENO, " %*d ", d->numw, fl);
	col = 2 + d->numw + 1;
	for (j = 0; j < nm; j++)
		mw += marker_width(&m[j]);
	/* A narrow pane keeps one label (the selected one comes first) and
	 * counts the others. */
	while (nm > 1 && more + nm > 1 && d->width - col - mw < 10) {
		nm--;
		mw -= marker_width(&m[nm]);
		more++;
	}
	more_text[0] = '\0';
	if (more)
		mw += snprintf(more_text, sizeof more_text, "  +%d", more);
	if (running && d->run_label)
		mw += 3 + view_strwidth(d->run_label) + 8;
	/* The code keeps the whole width: markers go beside it when they
	 * fit, else on a row of their own under it, never over it. */
	room = d->width - col;
	e = view_expand_tabs(ls, ln);
	fit = view_fit(e ? e : "", room);
	vl_add(v, running ? R_RUN_LINE : lit ? R_MARK_SEL : pending ? R_DIM : R_NORMAL, fit);
	ys_free(fit);
	ys_free(e);
	if (fl == d->left_line && v->anchor < 0)
		v->anchor = v->anchor_end = (int)v->nlines - 1;
	/* The line the lesson points at stays in view, unless code runs. */
	if (lit && !d->anchored_run) {
		v->anchor = v->anchor_end = (int)v->nlines - 1;
		d->anchored_lit = true;
	}
	if (running) {
		/* The whole line lit, as far as the code column. */
		int pad = (d->codew < room ? d->codew : room) + col;
		while (vl_width(v) < pad)
			vl_add(v, R_RUN_LINE, " ");
		v->anchor = v->anchor_end = (int)v->nlines - 1;
		d->anchored_run = true;
	}
	if (nm > 0 || (running && d->run_label)) {
		if (vl_width(v) + 2 + mw > d->width)
			vl_new(v);
		draw_markers(d, v, m, nm, mw, more_text, running, col, room);
	}
}

/* Between two blocks whose lines are not consecutive in the lesson file:
 * a dim rule under the code column, so line 15 is not read as followed
 * by line 112. */
static void block_break(const src_draw *d, view_lines *v)
{
	int i, w = d->codew < d->width - d->numw - 3 ? d->codew : d->width - d->numw - 3;

	vl_new(v);
	vl_pad_to(v, 2 + d->numw + 1);
	for (i = 0; i < w && i < 24; i++)
		vl_add(v, R_DIM, view_g->hline);
}

/* Nothing else to keep in view: the first paused line, else the end. */
static void default_anchor(const view_ctx *c, view_lines *v)
{
	const lesson *l = c->lesson;
	size_t row = 0, k, g;

	for (k = 0; k < l->nsteps && v->anchor < 0; k++) {
		const lesson_step *st = &l->steps[k];
		int n, i;
		if (st->kind != LESSON_CODE)
			continue;
		n = count_lines(st->source) + 1;
		for (i = 0; i < n; i++, row++)
			for (g = 0; g < c->snap->ngens; g++)
				if (gen_line(c, &c->snap->gens[g]) == st->line + i && v->anchor < 0)
					v->anchor = v->anchor_end = (int)row;
	}
	if (v->anchor < 0)
		v->anchor = v->anchor_end = (int)v->nlines - 1;
}

static void source_lines(const view_ctx *c, int width, int height, view_lines *v)
{
	const lesson *l = c->lesson;
	src_draw d;
	int maxline = 0, last_line = 0;
	size_t k, reach;

	(void)height;
	v->anchor = -1;
	memset(&d, 0, sizeof d);
	d.c = c;
	d.width = width;
	if (!measure(l, &d.codew, &maxline)) {
		vl_new(v);
		vl_add(v, R_DIM, "No code yet: the lesson's python blocks appear here.");
		return;
	}
	find_running(&d);
	d.numw = snprintf(NULL, 0, "%d", maxline);
	/* The code the lesson has reached: blocks after the next one to run
	 * stay unseen, so a question is never answered by code further down.
	 * While a lesson step's hops play, the lesson has reached that step
	 * only: the block after it would show between two hops when no frame
	 * of the lesson's runs (the loop between two tasks). */
	reach = c->script_pos;
	if (c->animating && c->nhist > 0 && c->hist[c->nhist - 1].origin == ENTRY_SCRIPT)
		reach = c->hist[c->nhist - 1].step;
	for (k = 0; k < l->nsteps && k <= reach; k++) {
		const lesson_step *st = &l->steps[k];
		bool next = k == c->script_pos;
		int n, i;

		if (st->kind != LESSON_CODE)
			continue;
		n = count_lines(st->source) + 1;
		if (last_line > 0 && st->line != last_line + 1)
			block_break(&d, v);
		last_line = st->line + n - 1;
		if (next && v->anchor < 0) {
			v->anchor = (int)v->nlines;
			v->anchor_end = (int)v->nlines + n - 1;
		}
		for (i = 1; i <= n; i++) {
			const char *ls;
			size_t ln;
			if (!program_line(st->source, i, &ls, &ln))
				break;
			code_line(&d, v, st->line + i - 1, ls, ln, next, k >= c->script_pos);
		}
	}
	if (v->anchor < 0)
		default_anchor(c, v);
}

const view_ops view_source_ops = {
	.name = "Source",
	.key = '2',
	.lines = source_lines,
	.subtitle = NULL,
	.stick_bottom = false,
};
