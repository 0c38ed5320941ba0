/* transcript.c: performed steps as a text handout (the JSON Lines are in
 * transcript_json.c).
 *
 * Both renderers read a session_entry and its snapshot and never change
 * them. The text is built in a strbuf and written in one go, so that an
 * allocation failure is seen once, at the end, and a step is either
 * written whole or reported as failed.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "snapshot.h"
#include "text.h"
#include "transcript.h"
#include "util.h"

/* Columns of a handout line: fits a printed page and an 80-column
 * terminal with room to spare. */
#define WIDTH 72
/* Indent of everything under a step's rule. */
#define INDENT "  "

/* ---- Glyphs and width ------------------------------------------------- */

/* The program's glyphs (text.h): paper and terminals that speak UTF-8 get
 * box-drawing rules and arrows; any other locale gets ASCII. */
typedef ys_glyphs glyphs;

static const glyphs *pick_glyphs(void)
{
	return ys_glyphs_get(ys_locale_utf8());
}

/* Columns taken by n bytes of text: the program's one width rule. */
static size_t columns(const char *s, size_t n)
{
	return (size_t)ys_width(s, n, ys_locale_utf8());
}

/* Empty sb and keep its memory for the next use. */
static void repeat(strbuf *sb, const char *s, size_t n)
{
	while (n--)
		sb_append(sb, s);
}

/* A rule "── title ─────" filling WIDTH columns, with at least three
 * rule columns after a long title so it still reads as a rule. */
static void put_rule(strbuf *sb, const glyphs *g, const char *title)
{
	size_t used = 3 + columns(title, strlen(title)) + 1;

	repeat(sb, g->hline, 2);
	sb_printf(sb, " %s ", title);
	repeat(sb, g->hline, used + 3 <= WIDTH ? WIDTH - used : 3);
	sb_appendc(sb, '\n');
}

/* Every line of text, the first after first, the others after rest.
 * A final newline does not start another line, and text without one is
 * ended, so the handout stays line-aligned whatever a step printed. A
 * prefix's trailing blanks are dropped before an empty line: paper does
 * not need them and diffs of handouts stay clean. */
static void put_lines(strbuf *sb, const char *first, const char *rest,
                      const char *text)
{
	const char *p = text, *nl;
	const char *prefix = first;
	size_t plen;

	while (*p) {
		nl = strchr(p, '\n');
		plen = strlen(prefix);
		if (nl == p)
			while (plen > 0 && prefix[plen - 1] == ' ')
				plen--;
		sb_appendn(sb, prefix, plen);
		sb_appendn(sb, p, nl ? (size_t)(nl - p) : strlen(p));
		sb_appendc(sb, '\n');
		if (!nl)
			break;
		p = nl + 1;
		prefix = rest;
	}
}

/* ---- Narration --------------------------------------------------------- */

/* One block of prose, word-wrapped to WIDTH: first line after first, the
 * others after hang. Runs of blanks collapse, as Markdown renders them. */
static void wrap_block(strbuf *sb, const char *first, const char *hang,
                       const char *text)
{
	const char *p = text;
	size_t col, wlen, wcols;
	bool empty = true;

	sb_append(sb, first);
	col = columns(first, strlen(first));
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		wlen = strcspn(p, " \t\n");
		wcols = columns(p, wlen);
		/* A word longer than the line goes on a line of its own,
		 * uncut: a broken URL or identifier is worse than a long line. */
		if (!empty && col + 1 + wcols > WIDTH) {
			sb_appendc(sb, '\n');
			sb_append(sb, hang);
			col = columns(hang, strlen(hang));
		} else if (!empty) {
			sb_appendc(sb, ' ');
			col++;
		}
		sb_appendn(sb, p, wlen);
		col += wcols;
		empty = false;
		p += wlen;
	}
	sb_appendc(sb, '\n');
}

/* The Markdown markers a style is written with on paper. */
static void markers(strbuf *sb, unsigned style, bool closing)
{
	if (closing) {
		if (style & NS_CODE)
			sb_appendc(sb, '`');
		if (style & NS_EMPH)
			sb_appendc(sb, '*');
		if (style & NS_STRONG)
			sb_append(sb, "**");
	} else {
		if (style & NS_STRONG)
			sb_append(sb, "**");
		if (style & NS_EMPH)
			sb_appendc(sb, '*');
		if (style & NS_CODE)
			sb_appendc(sb, '`');
	}
}

/* A block's inline text as Markdown reads on paper: `code`, **strong**
 * and *emphasis* keep their markers (a handout has no bold face), a
 * link is its text. Spaces at a span's edges stay outside its markers. */
static void block_text(strbuf *t, const narr_block *b)
{
	size_t k;

	for (k = 0; k < b->nspans; k++) {
		const char *s = b->spans[k].text;
		unsigned style = b->spans[k].style & (NS_CODE | NS_EMPH | NS_STRONG);
		size_t n = strlen(s), lead = strspn(s, " "), end = n;

		while (end > lead && s[end - 1] == ' ')
			end--;
		sb_appendn(t, s, lead);
		if (end > lead) {
			markers(t, style, false);
			sb_appendn(t, s + lead, end - lead);
			markers(t, style, true);
		}
		sb_appendn(t, s + end, n - end);
	}
}

static void put_block(strbuf *sb, const narr_block *b)
{
	strbuf first = {0}, hang = {0}, text = {0};
	size_t k;

	sb_append(&first, INDENT);
	sb_append(&hang, INDENT);
	if (b->kind == NB_HTML) {
		for (k = 0; k < b->nspans; k++)
			sb_append(&text, b->spans[k].text);
		put_lines(sb, INDENT, INDENT, sb_cstr(&text));
		goto out;
	}
	if (b->kind == NB_CODE) {
		/* Lines as written, four columns in from the text of the item
		 * or quote it sits in; a quote's mark on every line. */
		int depth = b->quoted ? b->level - 1 : b->level;
		repeat(&first, "  ", (size_t)(depth > 0 ? depth : 0));
		sb_append(&first, b->quoted ? ">     " : "    ");
		for (k = 0; k < b->nspans; k++)
			sb_append(&text, b->spans[k].text);
		put_lines(sb, sb_cstr(&first), sb_cstr(&first), sb_cstr(&text));
		goto out;
	}
	if (b->kind == NB_HEADING) {
		repeat(&first, "#", (size_t)b->level);
		sb_appendc(&first, ' ');
	} else if (b->kind == NB_ITEM || b->kind == NB_QUOTE || b->level > 0) {
		const char *mk = b->kind == NB_ITEM ? b->marker : b->kind == NB_QUOTE ? ">" : "";
		int depth = b->kind == NB_ITEM ? b->level : b->level - 1;
		repeat(&first, "  ", (size_t)(depth > 0 ? depth : 0));
		repeat(&hang, "  ", (size_t)(depth > 0 ? depth : 0));
		/* The wrapped lines hang under the text, not under the marker. */
		if (*mk) {
			sb_printf(&first, "%s ", mk);
			repeat(&hang, " ", strlen(mk) + 1);
		} else {
			repeat(&first, "  ", 1);
			repeat(&hang, "  ", 1);
		}
	}
	block_text(&text, b);
	wrap_block(sb, sb_cstr(&first), sb_cstr(&hang), sb_cstr(&text));
out:
	if (first.failed || hang.failed || text.failed)
		sb->failed = true;
	sb_free(&first);
	sb_free(&hang);
	sb_free(&text);
}

/* Narration from its blocks (narration.h), reflowed to WIDTH: paragraphs
 * rewrapped (authors hard-wrap at 80 or not at all, and either would print
 * ragged), list items and quotes on their own lines with a hanging
 * indent, a blank line where the source has one, HTML comments (the
 * lesson's directives) dropped as a renderer drops them. */
static void put_prose(strbuf *sb, const narration *n)
{
	size_t i;

	for (i = 0; n && i < n->n; i++) {
		if (i > 0 && n->blocks[i].gap)
			sb_appendc(sb, '\n');
		put_block(sb, &n->blocks[i]);
	}
}

/* The fenced blocks shown, never run, that stand before step index at
 * (with last, also those after it: the end of the lesson), indented as
 * Markdown indents code, so they read as quoted text. */
static void put_shown(strbuf *sb, const lesson *l, size_t at, bool last)
{
	size_t i;

	for (i = 0; i < l->nshown; i++) {
		const lesson_shown *s = &l->shown[i];

		if (s->before_step < 0 || (size_t)s->before_step < at ||
		    (!last && (size_t)s->before_step != at))
			continue;
		put_lines(sb, INDENT "  ", INDENT "  ", s->text);
		sb_appendc(sb, '\n');
	}
}

/* ---- Text: one step ---------------------------------------------------- */

/* Digits of n, at least two, so that line numbers of one block align. */
static int digits(int n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d < 2 ? 2 : d;
}

/* The code of a step: a code step numbered with its lesson file lines,
 * a statement with the prompts Python's console shows. */
static void put_source(strbuf *sb, const glyphs *g, const session_entry *e)
{
	const char *src = e->source ? e->source : "";
	const char *p, *nl;
	int n, width;
	size_t count = 1;

	/* Code with no file line to number it by was typed, not read from
	 * the lesson: it reads best as what was typed at the prompt. */
	if (e->kind == LESSON_STATEMENT || e->line <= 0) {
		put_lines(sb, INDENT ">>> ", INDENT "... ",
		          *src ? src : "\n");
		return;
	}
	for (p = src; (nl = strchr(p, '\n')) && nl[1]; p = nl + 1)
		count++;
	width = digits(e->line + (int)count - 1);
	n = e->line;
	for (p = src; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		sb_printf(sb, INDENT "%*d %s", width, n++, g->vline);
		if (nl != p)
			sb_appendc(sb, ' ');
		sb_appendn(sb, p, nl ? (size_t)(nl - p) : strlen(p));
		sb_appendc(sb, '\n');
		if (!nl)
			break;
	}
}

/* What the step printed, raised and whether that was what the lesson
 * expected. The echoed value is not repeated: it is part of the output,
 * as the console shows it. */
static void put_result(strbuf *sb, const glyphs *g, const session_entry *e)
{
	const snap_step *r = &e->result;

	if (r->output && *r->output) {
		if (e->kind == LESSON_CODE)
			sb_appendc(sb, '\n');
		put_lines(sb, INDENT, INDENT, r->output);
	}
	if (r->output_capped)
		sb_append(sb, INDENT "[output cut: the step printed more than "
		          "yieldscope keeps]\n");
	if (r->traceback && *r->traceback)
		put_lines(sb, INDENT, INDENT, r->traceback);
	else if (r->exception)
		put_lines(sb, INDENT, INDENT, r->exception);
	if (r->note)
		put_lines(sb, INDENT "note: ", INDENT "      ", r->note);
	if (e->match == 1) {
		sb_printf(sb, INDENT "%s output as expected\n", g->check);
	} else if (e->match == 0) {
		sb_printf(sb, INDENT "%s expected instead:\n", g->cross);
		put_lines(sb, INDENT "    ", INDENT "    ",
		          e->expected && *e->expected ? e->expected : "(no output)");
	}
}

/* Where a generator is paused. Code steps run under the lesson's own path
 * at their own lines, so those lines match the numbered code above; a line
 * of other code (a statement's "<stdin>") says whose line it is. */
static void put_line(strbuf *sb, const lesson *l, const snap_gen *gen)
{
	if (gen->line < 0)
		return;
	if (!gen->filename || (l && strcmp(gen->filename, l->path) == 0))
		sb_printf(sb, "line %d", gen->line);
	else
		sb_printf(sb, "line %d of %s", gen->line, gen->filename);
}

/* One block per generator: what it is, where it is paused, its locals and
 * the generator it delegates to. */
static void put_gens(strbuf *sb, const glyphs *g, const lesson *l,
                     const snap_step *r)
{
	strbuf head = {0}, pos = {0};
	size_t i, j;

	if (r->ngens == 0)
		return;
	sb_append(sb, INDENT "Generators\n");
	for (i = 0; i < r->ngens; i++) {
		const snap_gen *gen = &r->gens[i];

		if (i > 0)
			sb_appendc(sb, '\n');
		sb_reset(&head);
		sb_reset(&pos);
		sb_printf(&head, INDENT "  %s  %s %s()  %s",
		          gen->label ? gen->label : "(unnamed)",
		          snap_kind_name(gen->kind),
		          gen->function ? gen->function : "?",
		          snap_state_name(gen->kind, gen->state));
		put_line(&pos, l, gen);
		if (gen->lasti >= 0)
			sb_printf(&pos, "%sf_lasti %d",
			          gen->line >= 0 ? g->sep : "", gen->lasti);
		sb_append(sb, sb_cstr(&head));
		/* Labels of a deep chain are long; the position then goes on
		 * a line of its own, as on the heap's card, not past the page. */
		if (pos.len > 0 && columns(sb_cstr(&head), head.len) + 2 +
		    columns(sb_cstr(&pos), pos.len) > WIDTH)
			sb_printf(sb, "\n" INDENT "    %s", sb_cstr(&pos));
		else if (pos.len > 0)
			sb_printf(sb, "  %s", sb_cstr(&pos));
		sb_appendc(sb, '\n');
		for (j = 0; j < gen->nlocals; j++) {
			const snap_local *lo = &gen->locals[j];
			strbuf first = {0};

			sb_printf(&first, INDENT "    %s = ", lo->name ? lo->name : "?");
			put_lines(sb, sb_cstr(&first), INDENT "      ",
			          lo->repr && *lo->repr ? lo->repr : "\n");
			if (first.failed)
				sb->failed = true;
			sb_free(&first);
		}
		if (gen->delegate)
			sb_printf(sb, INDENT "    delegates to: %s\n", gen->delegate);
	}
	sb_appendc(sb, '\n');
	if (head.failed || pos.failed)
		sb->failed = true;
	sb_free(&head);
	sb_free(&pos);
}

/* Who an event happened to: its label, else its function. */
static void put_who(strbuf *sb, const snap_event *ev)
{
	if (ev->label)
		sb_append(sb, ev->label);
	else
		sb_printf(sb, "%s()", ev->function ? ev->function : "?");
}

/* The events hop by hop, each indented by its depth in the yield-from
 * chain, so the values going down and coming up draw the chain. */
static void put_events(strbuf *sb, const glyphs *g, const snap_step *r)
{
	size_t i;

	if (r->nevents == 0)
		return;
	sb_append(sb, INDENT "Events\n");
	for (i = 0; i < r->nevents; i++) {
		const snap_event *ev = &r->events[i];
		const char *how = snap_how_name(ev->how);
		const char *v = ev->value ? ev->value : g->ell;

		sb_append(sb, INDENT "  ");
		repeat(sb, "  ", ev->depth > 0 ? (size_t)ev->depth : 0);
		switch (ev->event) {
		case SNAP_EV_RESUME:
			sb_printf(sb, "%s resume ", g->rarrow);
			put_who(sb, ev);
			/* next and close send nothing worth showing; a resume
			 * the engine did not drive shows what went in. */
			if (ev->how == SNAP_HOW_SEND || ev->how == SNAP_HOW_THROW)
				sb_printf(sb, " (%s %s)", how, v);
			else if (how)
				sb_printf(sb, " (%s)", how);
			else if (ev->value)
				sb_printf(sb, " (received %s)", ev->value);
			break;
		case SNAP_EV_YIELD:
		case SNAP_EV_RETURN:
			sb_printf(sb, "%s %s %s from ", g->larrow,
			          snap_event_name(ev->event), v);
			put_who(sb, ev);
			break;
		case SNAP_EV_RAISE:
			sb_printf(sb, "%s raise %s in ", g->cross, v);
			put_who(sb, ev);
			break;
		}
		sb_appendc(sb, '\n');
	}
	sb_appendc(sb, '\n');
}

/* The loop's ready queue or its timers on one line, in the order they
 * will run: "ready queue (2): Task.__step of b, ..." ("timers: 3.000
 * _set_result_unless_cancelled for s"); nothing when empty. */
static void put_callbacks(strbuf *sb, const glyphs *g, const char *what,
                          const snap_callback *c, size_t n, size_t total)
{
	size_t i;

	if (total == 0)
		return;
	sb_printf(sb, INDENT "  %s (%zu):", what, total);
	for (i = 0; i < n; i++) {
		sb_append(sb, i ? ", " : " ");
		if (c == NULL)
			break;
		if (strcmp(what, "timers") == 0)
			sb_printf(sb, "%.3f ", c[i].when);
		sb_append(sb, c[i].callback ? c[i].callback : "?");
		if (c[i].task)
			sb_printf(sb, " %s %s", strncmp(c[i].callback ? c[i].callback : "",
			                                "Task.", 5) == 0 ? "of" : "for",
			          c[i].task);
	}
	if (total > n)
		sb_printf(sb, "%s%s", n ? ", " : " ", g->ell);
	sb_appendc(sb, '\n');
}

/* The asyncio tasks of the loop the step used, one line each: name,
 * state, the await chain hop by hop, then what it waits for or how it
 * ended. The clock is said to be virtual: its seconds never passed. */
static void put_tasks(strbuf *sb, const glyphs *g, const snap_step *r)
{
	size_t i, j;

	if (!r->loop_used)
		return;
	sb_printf(sb, INDENT "Tasks (event loop on a virtual clock: %.3f s)\n",
	          r->loop_time);
	if (r->ntasks == 0)
		sb_append(sb, INDENT "  none\n");
	for (i = 0; i < r->ntasks; i++) {
		const snap_task *t = &r->tasks[i];

		sb_printf(sb, INDENT "  %s %s", t->name ? t->name : "?",
		          t->state ? t->state : "?");
		for (j = 0; j < t->nhops; j++) {
			const snap_hop *h = &t->hops[j];

			sb_printf(sb, " %s %s", j ? g->rarrow : ":", h->function);
			if (h->filename)
				sb_append(sb, "()");
			if (h->filename && h->line >= 0)
				sb_printf(sb, " line %d", h->line);
		}
		if (t->waits)
			sb_printf(sb, "; waits for %s", t->waits);
		if (t->result)
			sb_printf(sb, "; result %s", t->result);
		if (t->exception)
			sb_printf(sb, "; raised %s", t->exception);
		sb_appendc(sb, '\n');
	}
	if (r->total_tasks > r->ntasks)
		sb_printf(sb, INDENT "  %s %zu more tasks\n", g->ell,
		          r->total_tasks - r->ntasks);
	put_callbacks(sb, g, "ready queue", r->ready, r->nready, r->total_ready);
	put_callbacks(sb, g, "timers", r->timers, r->ntimers, r->total_timers);
	for (i = 0; i < r->nblocked; i++)
		sb_printf(sb, INDENT "  %s%s blocked the loop for %.1f s of real "
		          "time (not on the virtual clock)\n",
		          r->blocked[i].task ? r->blocked[i].task : "callback ",
		          r->blocked[i].task ? "" : r->blocked[i].callback ?
		          r->blocked[i].callback : "?",
		          r->blocked[i].when);
	sb_appendc(sb, '\n');
}

/* n bytes of what a step printed, each line under "printed" (what a
 * callback printed: the output between two callbacks, written where it
 * happened) or under "printed by the statement" (not by a callback: after
 * the loop, or between two runs of it). */
static void put_printed(strbuf *sb, const char *text, size_t n, bool callback)
{
	while (n > 0) {
		const char *nl = memchr(text, '\n', n);
		size_t len = nl ? (size_t)(nl - text) : n;

		sb_append(sb, callback ? INDENT "              printed "
		                       : INDENT "              printed by the statement ");
		sb_appendn(sb, text, len);
		sb_appendc(sb, '\n');
		len += nl ? 1 : 0;
		text += len;
		n -= len;
	}
}

/* A task at a callback pause, when it differs from the pause before (or
 * is new): "Task-2 pending: the loop's next round". */
static void put_pause_task(strbuf *sb, const snap_task *t, const snap_loop *before)
{
	size_t k;

	for (k = 0; before && k < before->ntasks; k++) {
		const snap_task *b = &before->tasks[k];

		if (b->id != t->id)
			continue;
		if (strcmp(b->state ? b->state : "", t->state ? t->state : "") == 0 &&
		    strcmp(b->waits ? b->waits : "", t->waits ? t->waits : "") == 0)
			return;
		break;
	}
	sb_printf(sb, INDENT "              %s %s", t->name ? t->name : "?",
	          t->state ? t->state : "?");
	if (t->waits)
		sb_printf(sb, ": waits for %s", t->waits);
	else if (t->exception)
		sb_printf(sb, ": raised %s", t->exception);
	else if (t->result)
		sb_printf(sb, ": result %s", t->result);
	sb_appendc(sb, '\n');
}

/* What was printed in bytes [from, to) of out after the callback of
 * before (NULL: none) began: what it printed until it returned, then
 * what the statement printed, not a callback. Returns where it ended. */
static size_t put_after(strbuf *sb, const char *out, const snap_loop *before,
                        size_t from, size_t to)
{
	size_t ret = before && before->returned >= 0 ? ys_utf8_bytes(out, before->returned)
	                                              : to;

	if (ret < from)
		ret = from;
	if (ret > to)
		ret = to;
	if (ret > from)
		put_printed(sb, out + from, ret - from, before != NULL);
	if (to > ret)
		put_printed(sb, out + ret, to - ret, false);
	return to > from ? to : from;
}

/* A statement that ran an event loop, callback by callback: at each, the
 * clock, the callback about to run, the tasks whose state changed since
 * the callback before, and what was printed in between, so that the
 * handout reads as the run happened. */
static void put_loop_pauses(strbuf *sb, const snap_step *r)
{
	const snap_loop *before = NULL;
	const char *out = r->output ? r->output : "";
	size_t i, n = snap_callback_pauses(r, 0), from = 0;

	if (n == 0)
		return;
	sb_printf(sb, INDENT "Callback by callback (%zu, on the virtual clock): the callback the\n"
	          INDENT "loop hands out, the tasks changed by then, what it printed\n", n);
	for (i = 0, n = 0; i < r->npauses; i++) {
		const snap_loop *l = r->pauses[i].loop;
		size_t j, to;

		if (!l || r->pauses[i].kind != SNAP_PAUSE_CALLBACK)
			continue;
		to = l->printed >= 0 ? ys_utf8_bytes(out, l->printed) : from;
		from = put_after(sb, out, before, from, to);
		sb_printf(sb, INDENT "  %4zu  %7.3f s  %s", ++n, l->time,
		          l->next.callback ? l->next.callback : "?");
		if (l->next.task)
			sb_printf(sb, " %s %s", strncmp(l->next.callback ? l->next.callback : "",
			                                "Task.", 5) == 0 ? "of" : "for",
			          l->next.task);
		sb_appendc(sb, '\n');
		for (j = 0; j < l->ntasks; j++)
			put_pause_task(sb, &l->tasks[j], before);
		before = l;
	}
	put_after(sb, out, before, from, strlen(out));
	sb_appendc(sb, '\n');
}

/* Write what sb holds and report any failure along the way: allocation,
 * a short write, or an error the stream already had. The stream is
 * flushed so a failing disk is seen at the step that hit it. Everything
 * the handout writes passes here, under the escape rule (text.h): what a
 * lesson prints, its prose and reprs never reach the terminal as
 * controls. */
static int emit(FILE *f, strbuf *sb)
{
	strbuf safe = {0};
	int rc = 0;

	ys_escape_append(&safe, sb_cstr(sb), sb->len);
	if (sb->failed || safe.failed || fwrite(sb_cstr(&safe), 1, safe.len, f) != safe.len ||
	    fflush(f) != 0 || ferror(f))
		rc = -1;
	sb_free(&safe);
	sb_free(sb);
	return rc;
}

int transcript_text_header(FILE *f, const lesson *l)
{
	const glyphs *g = pick_glyphs();
	const char *title = l->title ? l->title : "";
	size_t cols = columns(title, strlen(title));
	strbuf sb = {0};

	sb_printf(&sb, "%s\n", title);
	repeat(&sb, g->dline, cols < WIDTH ? (cols ? cols : 1) : WIDTH);
	sb_appendc(&sb, '\n');
	if (l->path)
		sb_printf(&sb, "%s %s ", l->path, g->dot);
	sb_printf(&sb, "%zu step%s\n\n", l->nsteps, l->nsteps == 1 ? "" : "s");
	return emit(f, &sb);
}

int transcript_text_entry(FILE *f, const lesson *l, const session_entry *e,
                          size_t number, size_t total)
{
	const glyphs *g = pick_glyphs();
	const lesson_step *st = NULL;
	strbuf sb = {0}, title = {0};

	if (l && e->origin == ENTRY_SCRIPT && e->step < l->nsteps)
		st = &l->steps[e->step];
	if (e->origin == ENTRY_FREE)
		sb_printf(&title, "Free step %zu", number);
	else if (total > 0)
		sb_printf(&title, "Step %zu/%zu", number, total);
	else
		sb_printf(&title, "Step %zu", number);
	if (st && st->section)
		sb_printf(&title, " %s %s", g->dot, st->section);
	put_rule(&sb, g, sb_cstr(&title));
	if (title.failed)
		sb.failed = true;
	sb_free(&title);
	sb_appendc(&sb, '\n');

	if (st && st->narr) {
		size_t before = sb.len;

		put_prose(&sb, st->narr);
		if (sb.len > before)
			sb_appendc(&sb, '\n');
	}
	if (st)
		put_shown(&sb, l, e->step, false);
	put_source(&sb, g, e);
	put_result(&sb, g, e);
	sb_appendc(&sb, '\n');
	put_gens(&sb, g, l, &e->result);
	put_events(&sb, g, &e->result);
	put_loop_pauses(&sb, &e->result);
	put_tasks(&sb, g, &e->result);
	return emit(f, &sb);
}

int transcript_text_callbacks(FILE *f, const snap_step *r)
{
	strbuf sb = {0};

	put_loop_pauses(&sb, r);
	return emit(f, &sb);
}

int transcript_text_footer(FILE *f, const lesson *l)
{
	const glyphs *g = pick_glyphs();
	strbuf sb = {0};

	put_rule(&sb, g, "End");
	sb_appendc(&sb, '\n');
	if (l->closing_narr) {
		size_t before = sb.len;

		put_prose(&sb, l->closing_narr);
		if (sb.len > before)
			sb_appendc(&sb, '\n');
	}
	put_shown(&sb, l, l->nsteps, true);
	return emit(f, &sb);
}
