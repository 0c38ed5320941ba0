/* html.c: the --play --html handout (see html.h). */
#include "config.h"

#include <string.h>

#include "html.h"
#include "narration.h"
#include "snapshot.h"
#include "text.h"
#include "util.h"

/* Sizes of the drawings, in SVG user units (CSS pixels). */
#define CARD_W 250
#define CARD_GAP 14
#define CARD_LOCALS 4           /* locals drawn on a card; the rest counted */
#define CARDS_PER_ROW 3
#define LINE_H 16
#define HOP_W 120
#define HOP_DEPTH_H 44

static const char style[] =
	"body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;"
	"color:#111;background:#fff;line-height:1.4}\n"
	"h1{font-size:1.6em}h2{font-size:1.2em;border-top:2px solid #333;padding-top:.4em;"
	"margin-top:2em}\n"
	"pre{background:#f4f4f4;padding:.5em;overflow-x:auto;font-size:.9em}\n"
	"pre.code span.ln{color:#666}\n"
	"pre.code .paused{background:#fff3b0;font-weight:bold}\n"
	".exc{color:#900;font-weight:bold}.ok{color:#060}.bad{color:#900}\n"
	"figure{margin:.8em 0}figcaption{font-size:.85em;color:#444}\n"
	"svg{max-width:100%;height:auto}svg text{font-family:monospace;font-size:12px}\n"
	"svg .badge-created{fill:#dde8ff}svg .badge-suspended{fill:#fff3b0}\n"
	"svg .badge-running{fill:#d4f5d4}svg .badge-closed{fill:#e4e4e4}\n"
	"table{border-collapse:collapse;margin:.8em 0;font-size:.9em}"
	"caption{text-align:left;font-size:.85em;color:#444}"
	"td,th{border:1px solid #999;padding:.1em .4em;text-align:left;vertical-align:top}"
	"td pre{margin:0;padding:0;background:none}\n"
	"@media print{body{max-width:none;margin:0;font-size:10.5pt}"
	"section.step{break-inside:avoid-page}"
	"h2{break-after:avoid}pre{background:none;border:1px solid #999;"
	"white-space:pre-wrap}pre.code .paused{background:none;text-decoration:underline}"
	"svg .badge-created,svg .badge-suspended,svg .badge-running,svg .badge-closed"
	"{fill:#fff}}\n";

/* Text escaped for HTML and SVG alike. */
static void esc(strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': sb_append(sb, "&lt;"); break;
		case '>': sb_append(sb, "&gt;"); break;
		case '&': sb_append(sb, "&amp;"); break;
		case '"': sb_append(sb, "&quot;"); break;
		default: sb_appendc(sb, *s);
		}
	}
}

/* At most n characters' worth of s (whole UTF-8 sequences), escaped, with
 * "…" when cut: what fits in a card. */
static void esc_cut(strbuf *sb, const char *s, size_t n)
{
	size_t i = 0, chars = 0;

	if (!s)
		return;
	while (s[i] && chars < n) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	if (!s[i]) {
		esc(sb, s);
		return;
	}
	{
		char *part = ys_malloc(i + 1);
		if (!part) {
			sb->failed = true;
			return;
		}
		memcpy(part, s, i);
		part[i] = '\0';
		esc(sb, part);
		ys_free(part);
	}
	sb_append(sb, "\xE2\x80\xA6");
}

static int emit(FILE *f, strbuf *sb)
{
	int rc = 0;

	if (sb->failed || (sb->len && fwrite(sb->data, 1, sb->len, f) != sb->len) || ferror(f))
		rc = -1;
	sb_free(sb);
	return rc;
}

/* ---- Narration ------------------------------------------------------------------------ */

static void spans(strbuf *sb, const narr_block *b)
{
	size_t i;

	for (i = 0; i < b->nspans; i++) {
		unsigned st = b->spans[i].style;

		if (st & NS_CODE) sb_append(sb, "<code>");
		if (st & NS_STRONG) sb_append(sb, "<strong>");
		if (st & NS_EMPH) sb_append(sb, "<em>");
		esc(sb, b->spans[i].text);
		if (st & NS_EMPH) sb_append(sb, "</em>");
		if (st & NS_STRONG) sb_append(sb, "</strong>");
		if (st & NS_CODE) sb_append(sb, "</code>");
	}
}

static void prose(strbuf *sb, const narration *n)
{
	size_t i;
	bool in_list = false;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		const narr_block *b = &n->blocks[i];

		if (b->kind == NB_ITEM && !in_list)
			sb_append(sb, "<ul>\n");
		else if (b->kind != NB_ITEM && in_list)
			sb_append(sb, "</ul>\n");
		in_list = b->kind == NB_ITEM;
		switch (b->kind) {
		case NB_HEADING:
			sb_printf(sb, "<h%d>", b->level + 2 > 6 ? 6 : b->level + 2);
			spans(sb, b);
			sb_printf(sb, "</h%d>\n", b->level + 2 > 6 ? 6 : b->level + 2);
			break;
		case NB_ITEM:
			sb_append(sb, "<li>");
			spans(sb, b);
			sb_append(sb, "</li>\n");
			break;
		case NB_QUOTE:
			sb_append(sb, "<blockquote>");
			spans(sb, b);
			sb_append(sb, "</blockquote>\n");
			break;
		default:
			sb_append(sb, "<p>");
			spans(sb, b);
			sb_append(sb, "</p>\n");
		}
	}
	if (in_list)
		sb_append(sb, "</ul>\n");
}

/* ---- Code and output --------------------------------------------------------------------- */

/* The generators paused at line n of the lesson file, as "d, e", or "". */
static void paused_at(strbuf *sb, const lesson *l, const snap_step *r, int n)
{
	size_t i;
	bool first = true;

	for (i = 0; i < r->ngens; i++) {
		const snap_gen *g = &r->gens[i];
		if (g->line != n || g->state != SNAP_SUSPENDED || !g->filename ||
		    strcmp(g->filename, l->path) != 0)
			continue;
		if (!first)
			sb_append(sb, ", ");
		esc(sb, g->label);
		first = false;
	}
}

/* Lines of lesson code from file line `line` on, numbered, with the
 * lines where a generator of r is suspended marked (an arrow and the
 * words "paused here", so not by colour alone). */
static void numbered(strbuf *sb, const lesson *l, const snap_step *r, const char *p, int line)
{
	sb_append(sb, "<pre class=\"code\">");
	while (*p) {
		size_t len = strcspn(p, "\n");
		strbuf who = {0};
		char *text = ys_strndup(p, len);

		paused_at(&who, l, r, line);
		if (who.len)
			sb_append(sb, "<span class=\"paused\">");
		sb_printf(sb, "<span class=\"ln\">%4d</span> %s ", line,
		          who.len ? "\xE2\x96\xB6" : " ");
		esc(sb, text);
		if (who.len) {
			sb_append(sb, "   \xE2\x86\x90 paused here: ");
			sb_append(sb, sb_cstr(&who));
			sb_append(sb, "</span>");
		}
		sb_appendc(sb, '\n');
		sb_free(&who);
		ys_free(text);
		line++;
		p += len;
		if (*p)
			p++;
	}
	sb_append(sb, "</pre>\n");
}

/* The code the step ran: a statement as typed at Python's prompt, code
 * numbered with its lesson lines. */
static void code(strbuf *sb, const lesson *l, const session_entry *e)
{
	const char *p = e->source ? e->source : "";
	bool first = true;

	if (e->kind == LESSON_CODE && e->line > 0) {
		numbered(sb, l, &e->result, p, e->line);
		return;
	}
	sb_append(sb, "<pre class=\"code\">");
	while (first || *p) {
		size_t len = strcspn(p, "\n");
		char *line = ys_strndup(p, len);

		sb_append(sb, first ? "&gt;&gt;&gt; " : "... ");
		esc(sb, line);
		sb_appendc(sb, '\n');
		ys_free(line);
		first = false;
		p += len;
		if (*p)
			p++;
	}
	sb_append(sb, "</pre>\n");
}

/* Is a generator of r suspended in lines [from, to] of the lesson file? */
static bool paused_in(const lesson *l, const snap_step *r, int from, int to)
{
	size_t i;

	for (i = 0; i < r->ngens; i++) {
		const snap_gen *g = &r->gens[i];
		if (g->state == SNAP_SUSPENDED && g->line >= from && g->line <= to &&
		    g->filename && strcmp(g->filename, l->path) == 0)
			return true;
	}
	return false;
}

/* Where the generators stand after the step: every code block of the
 * lesson in which one is paused, the paused lines marked (what the
 * Source pane shows). */
static void where_paused(strbuf *sb, const lesson *l, const session_entry *e)
{
	size_t i;
	bool any = false;

	for (i = 0; i < l->nsteps; i++) {
		const lesson_step *st = &l->steps[i];
		int last = st->line;
		const char *q;

		if (st->kind != LESSON_CODE)
			continue;
		for (q = st->source; *q; q++)
			last += *q == '\n';
		/* The step's own code shows its marks already. */
		if (!paused_in(l, &e->result, st->line, last) ||
		    (e->kind == LESSON_CODE && e->line == st->line))
			continue;
		if (!any)
			sb_append(sb, "<p>Where the generators are paused:</p>\n");
		any = true;
		numbered(sb, l, &e->result, st->source, st->line);
	}
}

static void result(strbuf *sb, const session_entry *e)
{
	const snap_step *r = &e->result;

	if (r->output && *r->output) {
		sb_append(sb, "<p>Output:</p>\n<pre class=\"out\">");
		esc(sb, r->output);
		sb_append(sb, "</pre>\n");
	}
	if (r->exception) {
		sb_append(sb, "<pre class=\"exc\">");
		esc(sb, r->traceback && *r->traceback ? r->traceback : r->exception);
		sb_append(sb, "</pre>\n");
	}
	if (r->note) {
		sb_append(sb, "<p>Note: ");
		esc(sb, r->note);
		sb_append(sb, "</p>\n");
	}
	if (e->match == 1) {
		sb_append(sb, "<p class=\"ok\">\xE2\x9C\x93 Output as the lesson expects.</p>\n");
	} else if (e->match == 0) {
		sb_append(sb, "<p class=\"bad\">\xE2\x9C\x97 The lesson expects instead:</p>\n<pre>");
		esc(sb, e->expected && *e->expected ? e->expected : "(no output)");
		sb_append(sb, "</pre>\n");
	}
}

/* ---- Drawings ----------------------------------------------------------------------------- */

static const char *state_class(snap_state s)
{
	static const char *const names[] = { "created", "running", "suspended", "closed" };
	return names[s];
}

/* The heap: a card per generator, three to a row. */
static void heap(strbuf *sb, const snap_step *r)
{
	size_t i, rows, maxl = 0;
	int card_h, w, h;

	if (r->ngens == 0)
		return;
	for (i = 0; i < r->ngens; i++)
		if (r->gens[i].nlocals > maxl)
			maxl = r->gens[i].nlocals;
	if (maxl > CARD_LOCALS)
		maxl = CARD_LOCALS + 1;
	card_h = 58 + (int)maxl * LINE_H;
	rows = (r->ngens + CARDS_PER_ROW - 1) / CARDS_PER_ROW;
	w = (int)(r->ngens < CARDS_PER_ROW ? r->ngens : CARDS_PER_ROW) * (CARD_W + CARD_GAP);
	h = (int)rows * (card_h + CARD_GAP);
	sb_printf(sb, "<figure class=\"heap\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
	          "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	          "aria-label=\"the heap: %zu generator%s\">\n",
	          w, h, w, h, r->ngens, r->ngens == 1 ? "" : "s");
	for (i = 0; i < r->ngens; i++) {
		const snap_gen *g = &r->gens[i];
		int x = (int)(i % CARDS_PER_ROW) * (CARD_W + CARD_GAP) + 1;
		int y = (int)(i / CARDS_PER_ROW) * (card_h + CARD_GAP) + 1;
		const char *state = snap_state_name(g->kind, g->state);
		size_t j;

		sb_printf(sb, "<g class=\"card\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		          "rx=\"6\" fill=\"#fff\" stroke=\"#333\"/>\n", x, y, CARD_W - 2, card_h - 2);
		sb_printf(sb, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", x + 8, y + 17);
		esc_cut(sb, g->label, 13);
		sb_append(sb, "</text>\n");
		/* The badge names the state: never colour alone. */
		sb_printf(sb, "<rect class=\"badge-%s\" x=\"%d\" y=\"%d\" width=\"116\" height=\"18\" "
		          "rx=\"9\" stroke=\"#333\"/><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		          "font-size=\"10\">%s</text>\n", state_class(g->state),
		          x + CARD_W - 128, y + 5, x + CARD_W - 70, y + 18, state);
		sb_printf(sb, "<text x=\"%d\" y=\"%d\">", x + 8, y + 35);
		esc_cut(sb, g->function, 18);
		sb_append(sb, "()");
		if (g->line > 0)
			sb_printf(sb, " line %d", g->line);
		if (g->lasti >= 0)
			sb_printf(sb, " @%d", g->lasti);
		sb_append(sb, "</text>\n");
		for (j = 0; j < g->nlocals && j < CARD_LOCALS; j++) {
			sb_printf(sb, "<text x=\"%d\" y=\"%d\">", x + 8, y + 53 + (int)j * LINE_H);
			esc_cut(sb, g->locals[j].name, 10);
			sb_append(sb, " = ");
			esc_cut(sb, g->locals[j].repr, 18);
			sb_append(sb, "</text>\n");
		}
		if (g->nlocals > CARD_LOCALS)
			sb_printf(sb, "<text x=\"%d\" y=\"%d\">(%zu more locals)</text>\n", x + 8,
			          y + 53 + CARD_LOCALS * LINE_H, g->nlocals - CARD_LOCALS);
		sb_append(sb, "</g>\n");
	}
	sb_append(sb, "</svg><figcaption>The heap after the step: each card a "
	          "generator, its badge its state.</figcaption></figure>\n");
}

/* Does any generator delegate to the one labelled label? */
static bool delegated_to(const snap_step *r, const char *label)
{
	size_t i;

	for (i = 0; i < r->ngens; i++)
		if (r->gens[i].delegate && strcmp(r->gens[i].delegate, label) == 0)
			return true;
	return false;
}

/* The delegation chains: from each generator nobody delegates to, along
 * its delegates, boxes joined by arrows. */
static void chains(strbuf *sb, const snap_step *r)
{
	size_t i, nchains = 0, longest = 0, row = 0;

	for (i = 0; i < r->ngens; i++) {
		const snap_gen *g = &r->gens[i];
		size_t len = 1;
		if (!g->delegate || delegated_to(r, g->label))
			continue;
		while (g->delegate && (g = snap_find(r, g->delegate)) != NULL && len < 20)
			len++;
		nchains++;
		if (len > longest)
			longest = len;
	}
	if (nchains == 0)
		return;
	sb_printf(sb, "<figure class=\"chain\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
	          "width=\"%zu\" height=\"%zu\" viewBox=\"0 0 %zu %zu\" role=\"img\" "
	          "aria-label=\"delegation chains\">\n"
	          "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
	          "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 "
	          "L0,10 z\"/></marker></defs>\n", longest * 240 + 10, nchains * 50 + 10,
	          longest * 240 + 10, nchains * 50 + 10);
	for (i = 0; i < r->ngens; i++) {
		const snap_gen *g = &r->gens[i];
		size_t k = 0;
		if (!g->delegate || delegated_to(r, g->label))
			continue;
		while (g && k < 20) {
			int x = (int)k * 240 + 2, y = (int)row * 50 + 6;
			sb_printf(sb, "<rect x=\"%d\" y=\"%d\" width=\"150\" height=\"34\" rx=\"4\" "
			          "fill=\"#fff\" stroke=\"#333\"/><text x=\"%d\" y=\"%d\">", x, y,
			          x + 6, y + 14);
			esc_cut(sb, g->label, 20);
			sb_printf(sb, "</text><text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>\n",
			          x + 6, y + 28, snap_state_name(g->kind, g->state));
			if (g->delegate)
				sb_printf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\" "
				          "marker-end=\"url(#arrow)\"/><text x=\"%d\" y=\"%d\" "
				          "font-size=\"10\">%s</text>\n", x + 150, y + 17, x + 238, y + 17,
				          x + 160, y + 12, g->kind == SNAP_COROUTINE ? "await" : "yield from");
			g = g->delegate ? snap_find(r, g->delegate) : NULL;
			k++;
		}
		row++;
	}
	sb_append(sb, "</svg><figcaption>Delegation: each generator hands on to the "
	          "one it is in <code>yield from</code> or <code>await</code> of.</figcaption>"
	          "</figure>\n");
}

/* The step's hops as a timeline: one column per event, deeper frames
 * lower; an arrow down for a resume, up for a yield, return or raise. */
static void timeline(strbuf *sb, const snap_step *r)
{
	size_t i, n = r->nevents;
	int maxd = 0, w, h;

	if (n == 0)
		return;
	if (n > 60)
		n = 60;
	for (i = 0; i < n; i++)
		if (r->events[i].depth > maxd)
			maxd = r->events[i].depth;
	w = (int)n * HOP_W + 10;
	h = (maxd + 1) * HOP_DEPTH_H + 50;
	sb_printf(sb, "<figure class=\"hops\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
	          "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	          "aria-label=\"the step's %zu hops\">\n", w, h, w, h, r->nevents);
	for (i = 0; i < n; i++) {
		const snap_event *ev = &r->events[i];
		int x = (int)i * HOP_W + 8, y = ev->depth * HOP_DEPTH_H + 8;
		bool down = ev->event == SNAP_EV_RESUME;
		const char *how = snap_how_name(ev->how);

		sb_printf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\" "
		          "stroke-width=\"2\"/><path d=\"M%d,%d l-5,%d l10,0 z\"/>\n",
		          x + 4, y, x + 4, y + 34, x + 4, down ? y + 40 : y - 4, down ? -8 : 8);
		sb_printf(sb, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s%s%s</text>\n",
		          x + 12, y + 12, snap_event_name(ev->event),
		          down && how ? " by " : "", down && how ? how : "");
		sb_printf(sb, "<text x=\"%d\" y=\"%d\">", x + 12, y + 26);
		esc_cut(sb, ev->label ? ev->label : ev->function, 13);
		sb_append(sb, "</text>\n");
		if (ev->value) {
			sb_printf(sb, "<text x=\"%d\" y=\"%d\">", x + 12, y + 40);
			esc_cut(sb, ev->value, 13);
			sb_append(sb, "</text>\n");
		}
	}
	sb_printf(sb, "</svg><figcaption>The step's hops, left to right%s: down "
	          "(resume) into a frame, up (yield, return, raise) out of it.</figcaption>"
	          "</figure>\n", r->nevents > n ? " (the first 60)" : "");
}

/* ---- asyncio -------------------------------------------------------------------------------- */

/* A cell of printed text, bytes [from, to) of out; empty when none. */
static void printed_cell(strbuf *sb, const char *out, size_t from, size_t to)
{
	char *text;

	if (to <= from)
		return;
	text = ys_strndup(out + from, to - from);
	sb_append(sb, "<pre>");
	esc(sb, text);
	sb_append(sb, "</pre>");
	ys_free(text);
}

/* A statement that ran an event loop callback by callback (its callback
 * pauses): a row per callback, the loop's clock, the callback and the
 * task it resumes or wakes, and what it printed until it returned; what
 * the statement printed between the loop's callbacks (after the loop,
 * between two runs of it) has a row of its own. */
static void callbacks(strbuf *sb, const snap_step *r)
{
	const char *out = r->output ? r->output : "";
	size_t i, n = snap_callback_pauses(r, 0), from = 0, next;

	if (n == 0)
		return;
	sb_printf(sb, "<table class=\"loop\">\n<caption>The event loop, callback by "
	          "callback (%zu, on its virtual clock): the callback it hands out, the "
	          "task that resumes, what it printed.</caption>\n<tr><th>#</th>"
	          "<th>clock</th><th>callback</th><th>task</th><th>printed</th></tr>\n", n);
	for (i = 0, n = 0; i < r->npauses; i++) {
		const snap_loop *l = r->pauses[i].loop;
		size_t j, to;

		if (!l || r->pauses[i].kind != SNAP_PAUSE_CALLBACK)
			continue;
		/* What it printed ends where it returned, else where the
		 * next callback begins. */
		for (j = i + 1; j < r->npauses; j++)
			if (r->pauses[j].kind == SNAP_PAUSE_CALLBACK && r->pauses[j].loop)
				break;
		next = j < r->npauses && r->pauses[j].loop->printed >= 0
		       ? ys_utf8_bytes(out, r->pauses[j].loop->printed) : strlen(out);
		to = l->returned >= 0 ? ys_utf8_bytes(out, l->returned) : next;
		from = l->printed >= 0 ? ys_utf8_bytes(out, l->printed) : from;
		sb_printf(sb, "<tr><td>%zu</td><td>%.3f s</td><td><code>", ++n, l->time);
		esc(sb, l->next.callback ? l->next.callback : "?");
		sb_append(sb, "</code></td><td>");
		esc(sb, l->next.task ? l->next.task : "");
		sb_append(sb, "</td><td>");
		printed_cell(sb, out, from, to);
		sb_append(sb, "</td></tr>\n");
		if (next > to && to >= from) {
			sb_append(sb, "<tr><td></td><td></td><td colspan=\"2\">the statement, "
			          "not a callback of the loop</td><td>");
			printed_cell(sb, out, to, next);
			sb_append(sb, "</td></tr>\n");
		}
		from = next;
	}
	sb_append(sb, "</table>\n");
}

/* A task's chain in words: "main() line 12 → _GatheringFuture". */
static void chain_words(strbuf *sb, const snap_task *t)
{
	size_t i;

	for (i = 0; i < t->nhops; i++) {
		const snap_hop *h = &t->hops[i];

		if (i)
			sb_append(sb, " \xE2\x86\x92 ");
		esc(sb, h->function ? h->function : "?");
		if (h->filename)
			sb_append(sb, "()");
		if (h->filename && h->line > 0)
			sb_printf(sb, " line %d", h->line);
	}
}

/* The tasks of the loop the step used, as the step leaves them: a row per
 * task, its state, its await chain, and what it waits for or how it
 * ended. */
static void tasks(strbuf *sb, const snap_step *r)
{
	size_t i;

	if (!r->loop_used)
		return;
	sb_printf(sb, "<table class=\"tasks\">\n<caption>Tasks at the step's end "
	          "(virtual clock %.3f s%s)</caption>\n", r->loop_time,
	          r->loop_closed ? ", the loop closed" : "");
	if (r->ntasks == 0)
		sb_append(sb, "<tr><td>no tasks</td></tr>\n");
	else
		sb_append(sb, "<tr><th>task</th><th>state</th><th>awaits</th>"
		          "<th>waits for, or how it ended</th></tr>\n");
	for (i = 0; i < r->ntasks; i++) {
		const snap_task *t = &r->tasks[i];

		sb_append(sb, "<tr><td>");
		esc(sb, t->name ? t->name : "?");
		sb_append(sb, "</td><td>");
		esc(sb, t->state ? t->state : "?");
		sb_append(sb, "</td><td>");
		chain_words(sb, t);
		sb_append(sb, "</td><td>");
		if (t->waits) {
			sb_append(sb, "waits for ");
			esc(sb, t->waits);
		} else if (t->exception) {
			sb_append(sb, "raised ");
			esc(sb, t->exception);
		} else if (t->result) {
			sb_append(sb, "result ");
			esc(sb, t->result);
		}
		sb_append(sb, "</td></tr>\n");
	}
	if (r->total_tasks > r->ntasks)
		sb_printf(sb, "<tr><td colspan=\"4\">and %zu more tasks</td></tr>\n",
		          r->total_tasks - r->ntasks);
	sb_append(sb, "</table>\n");
}

/* ---- The page ------------------------------------------------------------------------------- */

int html_header(FILE *f, const lesson *l)
{
	strbuf sb = {0};

	sb_append(&sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	esc(&sb, l->title);
	sb_append(&sb, "</title>\n<style>\n");
	sb_append(&sb, style);
	sb_append(&sb, "</style>\n</head>\n<body>\n<h1>");
	esc(&sb, l->title);
	sb_append(&sb, "</h1>\n<p class=\"file\">A yieldscope handout of <code>");
	esc(&sb, l->path);
	sb_append(&sb, "</code>.</p>\n");
	return emit(f, &sb);
}

int html_entry(FILE *f, const lesson *l, const session_entry *e, size_t number,
               size_t total)
{
	strbuf sb = {0};
	const lesson_step *st = e->origin == ENTRY_SCRIPT && e->step < l->nsteps
	                        ? &l->steps[e->step] : NULL;

	sb_printf(&sb, "<section class=\"step\" id=\"step-%zu\">\n<h2>Step %zu/%zu", number,
	          number, total > number ? total : number);
	if (st && st->section) {
		sb_append(&sb, " \xC2\xB7 ");
		esc(&sb, st->section);
	}
	sb_append(&sb, "</h2>\n");
	if (st)
		prose(&sb, st->narr);
	code(&sb, l, e);
	result(&sb, e);
	where_paused(&sb, l, e);
	heap(&sb, &e->result);
	chains(&sb, &e->result);
	timeline(&sb, &e->result);
	callbacks(&sb, &e->result);
	tasks(&sb, &e->result);
	sb_append(&sb, "</section>\n");
	return emit(f, &sb);
}

int html_footer(FILE *f, const lesson *l)
{
	strbuf sb = {0};

	if (l->closing_narr) {
		sb_append(&sb, "<section class=\"end\">\n<h2>End</h2>\n");
		prose(&sb, l->closing_narr);
		sb_append(&sb, "</section>\n");
	}
	sb_append(&sb, "</body>\n</html>\n");
	return emit(f, &sb);
}
