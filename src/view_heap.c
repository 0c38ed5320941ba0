/* view_heap.c: the Heap pane: the call stack above, the generators' frames
 * on the heap below, one card each.
 *
 * After a step nothing runs, so the stack holds only <module>. During the
 * live flow the step's events are replayed: a resumed generator's card
 * leaves the heap (a placeholder stays, pointing up) and its frame shows on
 * the stack, RUNNING; when it yields it goes back. That move is the point
 * of the pane.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

/* "── call stack ─────" across the pane. */
static void rule(view_lines *v, const char *name, int width)
{
	int w;

	vl_new(v);
	vl_add(v, R_DIM, view_g->hline);
	vl_add(v, R_DIM, view_g->hline);
	vl_add(v, R_DIM, " ");
	vl_add(v, R_BOLD, name);
	vl_add(v, R_DIM, " ");
	w = vl_width(v);
	while (w < width) {
		vl_add(v, R_DIM, view_g->hline);
		w++;
	}
}

static void badge(view_lines *v, const snap_gen *g, snap_state st)
{
	char buf[32];
	const char *w = snap_state_word(st);
	size_t i;

	/* The state's name, always written; the colour only helps. */
	for (i = 0; w[i] && i + 3 < sizeof buf; i++)
		buf[i + 1] = (char)(w[i] >= 'a' && w[i] <= 'z' ? w[i] - 32 : w[i]);
	buf[0] = ' ';
	buf[i + 1] = ' ';
	buf[i + 2] = '\0';
	(void)g;
	vl_add(v, view_state_role(st), buf);
}

/* Add text to the line, or to a new indented one when it does not fit. */
static void piece(view_lines *v, view_role r, const char *t, int width, int indent)
{
	if (vl_width(v) + view_strwidth(t) > width) {
		vl_new(v);
		vl_pad_to(v, indent);
		t++;    /* the leading space */
	}
	vl_add(v, r, t);
}

/* The narration the Lesson pane shows now. */
static const narration *shown_narration(const view_ctx *c)
{
	const lesson *l = c->lesson;

	if (!l)
		return NULL;
	return c->script_pos < l->nsteps ? l->steps[c->script_pos].narr : l->closing_narr;
}

/* Does code t name label as a whole expression: `label`, `label.send(1)`,
 * `next(label)`, `x = label` (not `label2` nor `xlabel`)? */
static bool names_in(const char *t, const char *label)
{
	size_t len = strlen(label);
	const char *at;

	for (at = t ? strstr(t, label) : NULL; at && len; at = strstr(at + 1, label)) {
		char before = at == t ? ' ' : at[-1], after = at[len];
		if ((before == ' ' || before == '(' || before == '\n') &&
		    (after == '\0' || after == '.' || after == ')' || after == ' ' ||
		     after == ',' || after == '\n'))
			return true;
	}
	return false;
}

/* Does the step shown name the generator labelled label: its narration's
 * code, or the statement it runs next? */
static bool named(const view_ctx *c, const narration *n, const char *label)
{
	const lesson *l = c->lesson;
	size_t b, i;

	if (!label)
		return false;
	if (view_eye(c) && view_eye(c)->card && strcmp(view_eye(c)->card, label) == 0)
		return true;
	if (l && c->script_pos < l->nsteps && l->steps[c->script_pos].kind == LESSON_STATEMENT &&
	    names_in(l->steps[c->script_pos].source, label))
		return true;
	for (b = 0; n && b < n->n; b++)
		for (i = 0; i < n->blocks[b].nspans; i++)
			if ((n->blocks[b].spans[i].style & NS_CODE) &&
			    names_in(n->blocks[b].spans[i].text, label))
				return true;
	return false;
}

static bool on_stack(const view_stack *s, const snap_gen *g)
{
	int i;

	for (i = 0; i < s->depth; i++)
		if (s->labels[i] && g->label && s->ids[i] == g->id &&
		    strcmp(s->labels[i], g->label) == 0)
			return true;
	return false;
}

/* The label of the card whose object a repr shows ("<generator object f
 * at 0x7f…>": CPython writes id() in hex), or NULL: a local that holds a
 * generator is shown by the name the Heap gives it, not by an address. */
static const char *held_label(const snap_step *st, const char *repr)
{
	static const char *const kinds[] = { "<generator object ", "<coroutine object ",
	                                     "<async_generator object " };
	const char *at;
	unsigned long long id;
	size_t k, g;

	if (!repr || repr[0] != '<')
		return NULL;
	for (k = 0; k < 3; k++)
		if (strncmp(repr, kinds[k], strlen(kinds[k])) == 0)
			break;
	at = k < 3 ? strstr(repr, " at 0x") : NULL;
	if (!at || sscanf(at + 6, "%llx", &id) != 1)
		return NULL;
	for (g = 0; st && g < st->ngens; g++)
		if (st->gens[g].id == id && st->gens[g].label)
			return st->gens[g].label;
	return NULL;
}

/* Locals as "name = repr" lines, or wrapped on one line when compact; a
 * generator held is named by its label. whole: the selected card, whose
 * values are broken across rows rather than cut. after: the values are
 * not those of the moment shown, dimmed under that note: the step's end
 * while the screen shows a moment inside it that the hops do not tell
 * (past the first hops, which carry locals), "(after the step)"; or a
 * running frame's as it resumed, "(as it resumed)". */
static void locals_lines(const snap_step *st, view_lines *v, const snap_local *l, size_t n,
                         int width, int indent, bool compact, bool whole, const char *after,
                         int tag)
{
	view_role val = after ? R_DIM : R_NORMAL;
	size_t j, k;
	view_line *ln;

	if (n == 0)
		return;
	if (after && !compact) {
		ln = vl_new(v);
		if (ln)
			ln->tag = tag;
		vl_pad_to(v, indent);
		piece(v, R_DIM, after, width, indent);
	}
	if (compact) {
		ln = vl_new(v);
		if (ln)
			ln->tag = tag;
		vl_pad_to(v, indent);
		/* On the same row: a compact heap has none to spare. */
		if (after)
			vl_wrap(v, R_DIM, after, width, indent);
		for (j = 0; j < n; j++) {
			const char *held = held_label(st, l[j].repr);
			char *t = ys_asprintf("%s%s=%s%s", j || after ? " " : "", l[j].name,
			                      held ? held : l[j].repr ? l[j].repr : "?",
			                      j + 1 < n ? "," : "");
			vl_wrap(v, val, t ? t : "", width, indent);
			ys_free(t);
		}
		for (j = (size_t)v->nlines; j > 0 && v->lines[j - 1].tag == 0; j--)
			v->lines[j - 1].tag = tag;
		return;
	}
	for (j = 0; j < n; j++) {
		char *t;
		ln = vl_new(v);
		if (ln)
			ln->tag = tag;
		vl_pad_to(v, indent);
		vl_add(v, after ? R_DIM : R_CODE, l[j].name);
		vl_add(v, val, " = ");
		if (held_label(st, l[j].repr)) {
			t = view_fit(held_label(st, l[j].repr), width - vl_width(v));
			vl_add(v, after ? R_DIM : R_BOLD, t);
		} else if (whole) {
			t = NULL;
			vl_break(v, val, l[j].repr ? l[j].repr : "?", width, indent + 2);
			for (k = (size_t)v->nlines; k > 0 && v->lines[k - 1].tag == 0; k--)
				v->lines[k - 1].tag = tag;
		} else {
			t = view_fit(l[j].repr ? l[j].repr : "?", width - vl_width(v));
			vl_add(v, val, t);
		}
		ys_free(t);
	}
}

/* At a pause of line stepping: the real call stack, running frame on
 * top, every frame with its locals. */
static void pause_stack(const view_ctx *c, int width, bool compact, view_lines *v)
{
	const snap_pause *p = c->pause;
	size_t i;

	rule(v, "call stack", width);
	for (i = p->nstack; i > 0; i--) {
		const snap_frame *f = &p->stack[i - 1];
		bool top = i == p->nstack;
		bool module = f->function && strcmp(f->function, "<module>") == 0;
		int line = view_program_line(c, f->filename, f->line);
		char *t;

		vl_new(v);
		vl_add(v, R_NORMAL, top ? view_g->sel : " ");
		vl_add(v, R_NORMAL, " ");
		if (f->generator) {
			vl_add(v, R_ST_RUNNING, " RUNNING ");
			vl_add(v, R_NORMAL, " ");
		}
		if (f->label) {
			char *lab = view_fit(f->label, width - vl_width(v));
			vl_add(v, top ? R_SELECTED : R_BOLD, lab);
			ys_free(lab);
			t = ys_asprintf("  %s()", f->function ? f->function : "?");
			piece(v, R_NORMAL, t ? t : "", width, 4);
			ys_free(t);
		} else {
			t = ys_asprintf(module ? "%s" : "%s()", f->function ? f->function : "?");
			vl_add(v, top ? R_BOLD : R_NORMAL, t ? t : "");
			ys_free(t);
		}
		if (line > 0 && !module) {
			t = ys_asprintf("  line %d", line);
			piece(v, R_DIM, t ? t : "", width, 4);
			ys_free(t);
		}
		/* A module frame's names are the lesson's namespace (or the
		 * engine's own, for a driving step): the heap shows what matters
		 * of them. */
		if (!module)
			locals_lines(c->snap, v, f->locals, f->nlocals, width, 4, compact, false, NULL, 0);
	}
}

/* n with thousands separated, as a projector audience reads it. */
static void count_text(char *buf, size_t size, size_t n)
{
	char digits[32];
	size_t len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof digits, "%zu", n);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* At the top of a big heap: how many generators there are, by state and by
 * function, and how many have a card. A small heap shows it all anyway. */
static void summary_lines(const snap_step *st, size_t offset, int width,
                          view_lines *v)
{
	static const snap_state order[] = { SNAP_SUSPENDED, SNAP_CREATED,
	                                    SNAP_RUNNING, SNAP_CLOSED };
	char n[32];
	size_t i;
	char *t;

	if (st->total_gens <= st->ngens && st->total_gens < 20)
		return;
	vl_new(v);
	vl_pad_to(v, 1);
	count_text(n, sizeof n, st->total_gens);
	t = ys_asprintf(" %s generators", n);
	vl_add(v, R_BOLD, t ? t : "");
	ys_free(t);
	for (i = 0; i < 4; i++) {
		if (!st->state_counts[order[i]])
			continue;
		count_text(n, sizeof n, st->state_counts[order[i]]);
		t = ys_asprintf(" %s %s %s", view_g->dot, n, snap_state_word(order[i]));
		piece(v, view_state_role(order[i]), t ? t : "", width, 2);
		ys_free(t);
	}
	for (i = 0; i < st->nby_function && i < 3; i++) {
		count_text(n, sizeof n, st->by_function[i].count);
		t = ys_asprintf(" %s %s() %s%s", view_g->dot, st->by_function[i].function,
		                view_g->times, n);
		piece(v, R_DIM, t ? t : "", width, 2);
		ys_free(t);
	}
	if (st->total_gens > st->ngens) {
		char from[32], to[32];

		count_text(from, sizeof from, offset + 1);
		count_text(to, sizeof to, offset + st->ngens);
		t = ys_asprintf(" %s cards %s to %s ([ ] for more)", view_g->dot, from, to);
		piece(v, R_DIM, t ? t : "", width, 2);
		ys_free(t);
	}
}

/* Give the card's lines since the last tagged one the card's tag, so a
 * click anywhere on it selects its generator. */
static void tag_card(view_lines *v, int tag)
{
	size_t j;

	for (j = v->nlines; j > 0 && v->lines[j - 1].tag == 0; j--)
		v->lines[j - 1].tag = tag;
}

static view_line *card_line(view_lines *v, int tag)
{
	view_line *ln = vl_new(v);

	if (ln)
		ln->tag = tag;
	return ln;
}

/* What it is and where it is paused: "top() line 15 · f_lasti 10"; during
 * the live flow, the line of that moment and no f_lasti (events carry a
 * line, not an f_lasti). */
static void position_line(const view_ctx *c, view_lines *v, const snap_gen *g,
                          snap_state state, int width, int indent, int tag)
{
	int now = view_line_now(c, g);
	char *fn, *f, *pos;

	card_line(v, tag);
	vl_pad_to(v, indent);
	fn = ys_asprintf("%s%s()", g->kind == SNAP_GENERATOR ? "" :
	                 g->kind == SNAP_COROUTINE ? "coroutine " : "async generator ",
	                 g->function ? g->function : "?");
	f = view_fit(fn ? fn : "", width - indent);
	vl_add(v, R_NORMAL, f);
	ys_free(f);
	ys_free(fn);
	if (state == SNAP_CLOSED) {
		vl_wrap(v, R_DIM, " finished: no frame", width, indent);
	} else {
		int line = now >= 0 ? now : g->line;
		pos = ys_asprintf(" line %d", line);
		if (line > 0)
			piece(v, R_NORMAL, pos, width, indent);
		ys_free(pos);
		if (g->lasti >= 0 && now < 0) {
			pos = ys_asprintf(" %s f_lasti %d", view_g->dot, g->lasti);
			piece(v, R_DIM, pos, width, indent);
			ys_free(pos);
		}
	}
	tag_card(v, tag);
}

/* The delegation on a line of its own: what the lesson is about. A
 * coroutine awaits (cr_await); a generator yields from. */
static void delegate_line(view_lines *v, const snap_gen *g, int width, int indent, int tag)
{
	char *d = view_fit(g->delegate, width - indent - 13);

	card_line(v, tag);
	vl_pad_to(v, indent);
	vl_add(v, R_DIM, g->kind == SNAP_GENERATOR ? "yield from " : "await ");
	vl_add(v, R_DOWN, view_g->right);
	vl_add(v, R_NORMAL, " ");
	vl_add(v, R_CODE, d);
	ys_free(d);
}

/* Card g of the heap, tagged tag (its index + 1: a click selects it; 0
 * none); moved: its frame is on the stack (the card points
 * up to it); folded: one line, its function and line beside its label
 * (and its delegation below), when the cards the step names would not
 * all be in view otherwise. */
static void card(const view_ctx *c, const snap_gen *g, int tag, bool moved, bool compact,
                 bool folded, int width, view_lines *v)
{
	bool sel = tag > 0 && c->selected && g->label && strcmp(c->selected, g->label) == 0;
	int indent = 4;
	snap_state now = view_state_now(c, g);
	int bw = (int)strlen(snap_state_word(now)) + 2;
	char *lab;
	const lesson_eye *eye = view_eye(c);
	bool lit = eye && eye->card && g->label && strcmp(eye->card, g->label) == 0;
	const snap_local *locals;
	size_t nlocals;
	bool known = view_locals_now(c, g, &locals, &nlocals);

	card_line(v, tag);
	if (sel && v->anchor < 0 && !c->pause)
		v->anchor = (int)v->nlines - 1;
	/* The lesson points at this card: its name line lit. */
	if (lit && v->nlines > 0)
		v->lines[v->nlines - 1].fill = R_MARK_SEL;
	vl_add(v, sel ? R_SELECTED : R_NORMAL, sel ? view_g->sel : " ");
	vl_add(v, R_NORMAL, " ");
	/* The selected card's label whole, across rows if it must be (the
	 * badge after its end); another card's cut. */
	if (sel && g->label && view_strwidth(g->label) > width - 2 - bw - 1) {
		vl_break(v, lit ? R_MARK_SEL : R_SELECTED, g->label, width - bw - 1, 2);
	} else {
		lab = view_fit(g->label ? g->label : "?", width - 2 - bw - 1);
		vl_add(v, lit ? R_MARK_SEL : sel ? R_SELECTED : R_BOLD, lab);
		ys_free(lab);
	}
	if (moved) {
		vl_pad_to(v, width - 20 > vl_width(v) + 1 ? width - 20 : vl_width(v) + 1);
		vl_printf(v, R_DIM, "frame on the stack %s", view_g->uarrow);
		return;
	}
	if (now != g->state && !known && now != SNAP_CLOSED) {
		/* The moment shown is before the hop that changed it, and its
		 * hops do not say its frame then: its state then, on one line
		 * (its frame as the step left it is not the frame of that
		 * moment). */
		char *t = ys_asprintf("  %s()", g->function ? g->function : "?");
		if (t && vl_width(v) + view_strwidth(t) + 1 + bw <= width)
			vl_add(v, R_DIM, t);
		ys_free(t);
		vl_pad_to(v, width - bw);
		badge(v, g, now);
		return;
	}
	if (now == SNAP_CLOSED || folded) {
		/* A closed generator has no frame: one line says what it was. */
		int line = view_line_now(c, g) >= 0 ? view_line_now(c, g) : g->line;
		char *t = now == SNAP_CLOSED
		          ? ys_asprintf("  %s() finished", g->function ? g->function : "?")
		          : line > 0 ? ys_asprintf("  %s() line %d", g->function ? g->function : "?", line)
		                     : ys_asprintf("  %s()", g->function ? g->function : "?");
		if (t && vl_width(v) + view_strwidth(t) + 1 + bw <= width)
			vl_add(v, R_DIM, t);
		ys_free(t);
		vl_pad_to(v, width - bw);
		badge(v, g, now);
		/* Folded, a delegation still shows: what the lesson is about. */
		if (folded && g->delegate && now == g->state && now != SNAP_CLOSED)
			delegate_line(v, g, width, indent, tag);
		return;
	}
	vl_pad_to(v, width - bw);
	badge(v, g, now);
	position_line(c, v, g, now, width, indent, tag);
	/* Its delegate is known at the step's end only: not shown for a
	 * moment in another state. */
	if (g->delegate && now == g->state && now != SNAP_CLOSED)
		delegate_line(v, g, width, indent, tag);
	/* The locals of the moment shown; when its hops do not say them,
	 * the step's end's, marked so. */
	locals_lines(c->snap, v, locals, nlocals, width, indent, compact, sel,
	             known ? NULL : "(after the step)", tag);
}

/* The ordinary frames named by callers ("run tick"), innermost first, as
 * call stack lines: they run below a generator frame. */
static void caller_lines(const char *callers, int width, view_lines *v)
{
	const char *end = callers ? callers + strlen(callers) : NULL;

	while (end && end > callers) {
		const char *start = end;
		char *t, *f;

		while (start > callers && start[-1] != ' ')
			start--;
		t = ys_asprintf("  %.*s()", (int)(end - start), start);
		f = view_fit(t ? t : "", width);
		vl_new(v);
		vl_add(v, R_NORMAL, f);
		ys_free(f);
		ys_free(t);
		end = start > callers ? start - 1 : callers;
	}
}

/* A running frame's locals, from the hop that put it on the stack: its
 * locals now when nothing has run since (fresh), else as it resumed,
 * marked so; when that hop carries none (past the step's first hops, or
 * the resume 3.11 does not report), a line says they are not recorded. */
static void running_locals(const snap_step *st, const view_stack *stack, int i, int width,
                           bool compact, view_lines *v)
{
	const snap_event *e = stack->resumes[i];

	if (e && e->has_locals) {
		locals_lines(st, v, e->locals, e->nlocals, width, 4, compact, false,
		             stack->fresh[i] ? NULL : "(as it resumed)", 0);
		return;
	}
	vl_new(v);
	vl_pad_to(v, 4);
	vl_wrap(v, R_DIM, "locals not recorded at this hop", width, 4);
}

/* Rows the replayed stack's frames take with their locals one a row. */
static int stack_rows(const view_stack *stack)
{
	int i, rows = 0;

	for (i = 0; i < stack->depth; i++) {
		const snap_event *e = stack->resumes[i];

		rows += 1 + (!e || !e->has_locals ? 1 : (int)e->nlocals +
		             (stack->fresh[i] || !e->nlocals ? 0 : 1));
	}
	return rows;
}

/* The call stack replayed from the step's events, top first, every frame
 * of the lesson: the generator frames, each with its locals, and the
 * ordinary functions that called them. When idle and short of room, one
 * line says it holds only <module>. compact: the locals wrapped on one
 * row a frame. Returns the index of the running frame's last line, or
 * -1 when none runs. */
static int replayed_stack(const snap_step *st, const view_stack *stack, int width, int height,
                          bool compact, view_lines *v)
{
	int i, top_end = -1;

	if (stack->depth == 0 && height < 12) {
		rule(v, "call stack: <module>", width);
		/* rule() may have run out of memory before its third segment. */
		if (v->nlines > 0 && v->lines[v->nlines - 1].nsegs > 2)
			v->lines[v->nlines - 1].segs[2].role = R_BOLD;
		return -1;
	}
	rule(v, "call stack", width);
	for (i = stack->depth; i > 0; i--) {
		char *t;

		/* A delegator a throw() passed through without running it has
		 * no hop of its own: its frame does not run, so no row. */
		if (!stack->labels[i - 1] && !stack->functions[i - 1])
			continue;
		vl_new(v);
		vl_add(v, R_NORMAL, "  ");
		vl_add(v, R_ST_RUNNING, " RUNNING ");
		vl_add(v, R_NORMAL, " ");
		/* A frame no name reaches (a task's coroutine) shows its
		 * function alone, not a "?" for a label. Short of room, the
		 * line (the Source pane marks it) and then the function of a
		 * labelled frame go: a frame takes one row, never cut. */
		if (stack->labels[i - 1]) {
			t = view_fit(stack->labels[i - 1], width - vl_width(v));
			vl_add(v, R_SELECTED, t);
			ys_free(t);
			t = ys_asprintf("  %s()", stack->functions[i - 1] ? stack->functions[i - 1] : "?");
			if (t && vl_width(v) + view_strwidth(t) <= width)
				vl_add(v, R_NORMAL, t);
		} else {
			char *f = ys_asprintf("%s()", stack->functions[i - 1] ? stack->functions[i - 1] : "?");
			t = view_fit(f ? f : "?", width - vl_width(v));
			vl_add(v, R_NORMAL, t);
			ys_free(f);
		}
		ys_free(t);
		t = stack->lines[i - 1] > 0 ? ys_asprintf("  line %d", stack->lines[i - 1]) : NULL;
		if (t && vl_width(v) + view_strwidth(t) <= width)
			vl_add(v, R_DIM, t);
		ys_free(t);
		running_locals(st, stack, i - 1, width, compact, v);
		if (top_end < 0)
			top_end = (int)v->nlines - 1;
		caller_lines(stack->callers[i - 1], width, v);
	}
	vl_new(v);
	vl_add(v, R_NORMAL, "  <module>");
	if (stack->depth == 0)
		vl_add(v, R_DIM, "  (no generator running)");
	return top_end;
}

/* One line for the run of cards from *i on that are neither named by the
 * step nor selected: "also: first, lg2"; *i ends on the last of them. */
static void skipped_line(const snap_step *st, size_t *i, const view_ctx *c,
                         const narration *narr, int width, view_lines *v)
{
	char *names = ys_strdup("  also:");
	size_t j;
	bool any = false;

	for (j = *i; j < st->ngens; j++) {
		const snap_gen *g = &st->gens[j];
		bool sel = c->selected && g->label && strcmp(c->selected, g->label) == 0;
		char *more;
		if (sel || named(c, narr, g->label))
			break;
		more = ys_asprintf("%s%s%s", names ? names : "", any ? ", " : " ",
		                   g->label ? g->label : "?");
		ys_free(names);
		names = more;
		any = true;
	}
	*i = j - 1;
	vl_new(v);
	if (names) {
		char *f = view_fit(names, width);
		vl_add(v, R_DIM, f);
		ys_free(f);
	}
	ys_free(names);
}

/* Lines the cards take drawn whole (name line, position line, delegate
 * line, one line per local; one for a closed card), and a paused step's
 * frames with their locals. */
static int full_lines(const view_ctx *c)
{
	const snap_step *st = c->snap;
	int full = 0;
	size_t i;

	for (i = 0; i < st->ngens; i++)
		full += st->gens[i].state == SNAP_CLOSED ? 1 :
		        2 + (int)st->gens[i].nlocals + (st->gens[i].delegate ? 1 : 0);
	if (c->pause)
		for (i = 0; i < c->pause->nstack; i++)
			full += 1 + (int)c->pause->stack[i].nlocals;
	return full;
}

/* The call stack, then the heap's rule: a paused step's frames (the
 * running one kept in view), else the stack the live flow has replayed
 * up to its hop (stack). Returns whether the cards must be compact:
 * whole, they and what is above them would not fit in height. */
static bool stack_part(const view_ctx *c, const view_stack *stack, int width,
                       int height, view_lines *v, int *top_end)
{
	int full = full_lines(c);

	if (c->pause && c->pause->kind == SNAP_PAUSE_CALLBACK) {
		/* Between two callbacks no frame of the lesson runs: the
		 * Tasks above say who runs next. */
		rule(v, "heap", width);
		return full + (int)v->nlines > height;
	}
	if (c->pause) {
		/* Inside a running loop, the selected task above (the one
		 * running) stays in view; else the top, the running frame. */
		int task = v->anchor;

		pause_stack(c, width, full + 2 > height, v);
		v->anchor = task >= 0 ? task : 0;
		v->anchor_end = task >= 0 ? task + 1 : 2;
		rule(v, "heap", width);
		return full + 2 > height;
	}
	*top_end = replayed_stack(c->snap, stack, width, height,
	                          full + stack_rows(stack) + 3 > height, v);
	rule(v, "heap", width);
	return full + (int)v->nlines > height;
}

/* Is g the generator whose hop the moment shown has just seen leave the
 * stack (a yield, return or raise)? Its card is the moment's news. */
static bool is_news(const view_ctx *c, const snap_gen *g)
{
	const snap_event *e;

	if (!c->animating || c->pause || c->anim_events == 0 ||
	    c->anim_events > c->snap->nevents || !g->label)
		return false;
	e = &c->snap->events[c->anim_events - 1];
	return e->event != SNAP_EV_RESUME && e->id == g->id && e->label &&
	       strcmp(e->label, g->label) == 0;
}

/* During the live flow, or hop by hop, the generators of the step before
 * that are gone by the step's end, until their last hop: a scheduler's
 * tasks, a delegate that returned. Their cards are the step before's,
 * told at that moment by their hops; no click selects them. */
static void departed_cards(const view_ctx *c, const view_stack *stack, bool compact,
                           int fold, int width, view_lines *v, int *news)
{
	const snap_step *before = c->pause ? NULL : view_step_before(c);
	size_t i;

	for (i = 0; before && i < before->ngens; i++)
		if (view_departed(c, &before->gens[i])) {
			if (is_news(c, &before->gens[i]))
				*news = (int)v->nlines;
			card(c, &before->gens[i], 0, on_stack(stack, &before->gens[i]),
			     compact || fold > 0, fold > 0, width, v);
		}
}

/* Has the moment shown a card of a generator gone by the step's end? */
static bool any_departed(const view_ctx *c)
{
	const snap_step *before = c->pause ? NULL : view_step_before(c);
	size_t i;

	for (i = 0; before && i < before->ngens; i++)
		if (view_departed(c, &before->gens[i]))
			return true;
	return false;
}

/* The cards, folded as fold says (see heap_render); the first line of the
 * first card the step names and the last line of the last go in
 * *name_first and *name_last (-1 when it names none). The selected card
 * anchors the pane. */
static void cards_part(const view_ctx *c, const view_stack *stack, bool compact,
                       int fold, int width, view_lines *v, int *name_first,
                       int *name_last, int *news)
{
	const snap_step *st = c->snap;
	const narration *narr = shown_narration(c);
	size_t i;

	*name_first = *name_last = -1;
	for (i = 0; i < st->ngens; i++) {
		int first = (int)v->nlines;
		bool sel = c->selected && st->gens[i].label &&
		           strcmp(c->selected, st->gens[i].label) == 0;
		bool is_named = named(c, narr, st->gens[i].label);

		/* Last resort: cards neither named nor selected go, a line
		 * per run of them says which. */
		if (fold >= 3 && !sel && !is_named) {
			skipped_line(st, &i, c, narr, width, v);
			continue;
		}
		if (is_news(c, &st->gens[i]))
			*news = first;
		card(c, &st->gens[i], (int)i + 1,
		     c->pause ? st->gens[i].state == SNAP_RUNNING
		              : c->animating && on_stack(stack, &st->gens[i]),
		     compact || fold > 0, fold > (sel ? 1 : 0), width, v);
		if (sel && !c->pause)
			v->anchor_end = (int)v->nlines - 1 < first + 2 ? (int)v->nlines - 1 : first + 2;
		if (is_named) {
			if (*name_first < 0)
				*name_first = first;
			*name_last = (int)v->nlines - 1;
		}
	}
	departed_cards(c, stack, compact, fold, width, v, news);
}

/* The cards the step names (lines name_first..name_last) stay in view,
 * with the selected one when all fit. Off script, or on a later page of
 * cards, the selected card wins: the learner chose it. Returns whether
 * they are in view, or at least the lines that matter: the first line of
 * each named card. */
static bool keep_named(const view_ctx *c, int name_first, int name_last,
                       int height, view_lines *v)
{
	int lo = name_first, hi = name_last;
	bool fits;

	if (v->anchor >= 0 && v->anchor < lo)
		lo = v->anchor;
	if (v->anchor >= 0 && v->anchor_end > hi)
		hi = v->anchor_end;
	fits = hi - lo + 1 <= height - 2;
	if (v->anchor < 0 || fits) {
		v->anchor = lo;
		v->anchor_end = hi;
	} else if (!c->off_script && c->card_offset == 0) {
		v->anchor = name_first;
		v->anchor_end = name_last;
	}
	return fits || name_last - name_first + 1 <= height;
}

/* Is a listed task not finished? Its coroutine is alive then. */
static bool task_alive(const snap_step *st)
{
	size_t i;

	for (i = 0; i < st->ntasks; i++)
		if (strcmp(st->tasks[i].state, "pending") == 0 ||
		    strcmp(st->tasks[i].state, "running") == 0)
			return true;
	return false;
}

/* What an empty heap means: no card, yet a task's coroutine may be
 * alive (its chain is in the Tasks list above), or the cards of earlier
 * steps, or tasks, are gone; "yet" only before any of them. */
static void empty_heap_line(const view_ctx *c, int width, view_lines *v)
{
	const char *text = "No generator objects yet.";
	size_t i;

	for (i = 0; i < c->nhist; i++)
		if (c->hist[i].result.ngens > 0 || c->hist[i].result.ntasks > 0)
			text = "No generator objects left.";
	if (task_alive(c->snap))
		text = "No generator objects in the lesson's names: the Tasks list "
		       "shows the tasks' coroutines.";
	vl_new(v);
	vl_add(v, R_DIM, "  ");
	vl_wrap(v, R_DIM, text, width, 2);
}

/* A heap with a Tasks section (tasks true) starts at its top, the loop
 * and its queues first, unless what it keeps in view (a live card
 * selected or named, the selected task) would then be out of view; a
 * closed card selected is never worth hiding the Tasks for. */
static void tasks_first(const view_ctx *c, bool tasks, int height, view_lines *v)
{
	const snap_gen *sel = snap_find(c->snap, c->selected);
	/* The selected task sets an anchor alone: its first two lines. */
	int end = v->anchor_end > v->anchor ? v->anchor_end : v->anchor + 1;

	if (!tasks || c->pause || v->anchor < 0)
		return;
	if (end < height || (sel && sel->state == SNAP_CLOSED))
		v->anchor = v->anchor_end = 0;
}

/* The pane's lines; fold 0 draws every card whole, 1 folds the cards not
 * selected to one line, 2 folds the selected one too, 3 leaves out the
 * cards neither named nor selected. Returns whether the cards the step
 * names (and the selected one) are all in view. */
static bool heap_render(const view_ctx *c, int width, int height, int fold, view_lines *v)
{
	const snap_step *st = c->snap;
	view_stack stack;
	int name_first, name_last;
	bool compact;

	bool fits;
	int tasks_top, stack_top, top_end = -1, news = -1;

	memset(&stack, 0, sizeof stack);
	if (c->animating && !c->pause)
		view_replay_stack(st, c->anim_events, &stack);
	v->anchor = -1;
	summary_lines(st, c->card_offset, width, v);
	tasks_top = (int)v->nlines;
	view_tasks_lines(c, width, v);
	stack_top = (int)v->nlines;
	compact = stack_part(c, &stack, width, height, v, &top_end);
	if (st->ngens == 0 && !any_departed(c)) {
		empty_heap_line(c, width, v);
		/* The live flow's running frames stay in view, as beside
		 * cards, from the task running them when there is one. */
		if (stack.depth > 0) {
			if (v->anchor < 0 || v->anchor >= stack_top)
				v->anchor = stack_top;
			v->anchor_end = stack_top + stack.depth;
		} else {
			tasks_first(c, stack_top > tasks_top, height, v);
		}
		return true;
	}
	cards_part(c, &stack, compact, fold, width, v, &name_first, &name_last, &news);
	if (name_first >= 0 && !c->pause)
		fits = keep_named(c, name_first, name_last, height, v);
	else
		fits = c->pause || v->anchor < 0 || v->anchor_end - v->anchor + 1 <= height;
	/* The moment's news stays in view, whatever card is selected: the
	 * card of the frame that just left the stack, else the running
	 * frames on top of it. */
	if (news >= 0) {
		v->anchor = news;
		v->anchor_end = news + 2 < (int)v->nlines ? news + 2 : (int)v->nlines - 1;
	} else if (stack.depth > 0) {
		/* The running frame with its locals, and the frames below. */
		v->anchor = stack_top;
		v->anchor_end = top_end > stack_top + stack.depth ? top_end : stack_top + stack.depth;
	} else {
		tasks_first(c, stack_top > tasks_top, height, v);
	}
	return fits;
}

static void heap_lines(const view_ctx *c, int width, int height, view_lines *v)
{
	int fold;

	/* Whole cards when the named ones fit; folded ones when not, for a
	 * card the narration names below the border is a card not seen. */
	for (fold = 0; fold < 4; fold++) {
		view_lines t;

		memset(&t, 0, sizeof t);
		t.anchor = -1;
		if (heap_render(c, width, height, fold, &t) || fold == 3 || c->pause) {
			*v = t;
			return;
		}
		vl_free(&t);
	}
}

/* The counts of a big heap stay in the title, whatever the scroll. */
static const char *heap_subtitle(const view_ctx *c)
{
	static char buf[160];
	const snap_step *st = c->snap;
	char n[32], m[32];

	if (!st || (st->total_gens <= st->ngens && st->total_gens < 20))
		return NULL;
	count_text(n, sizeof n, st->total_gens);
	count_text(m, sizeof m, st->state_counts[SNAP_SUSPENDED]);
	snprintf(buf, sizeof buf, "%s generators %s %s suspended", n, view_g->dot, m);
	return buf;
}

const view_ops view_heap_ops = {
	.name = "Heap",
	.key = '3',
	.lines = heap_lines,
	.subtitle = heap_subtitle,
	.stick_bottom = false,
};
