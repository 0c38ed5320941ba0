/* tui_lines.c: styled lines, text width, word wrap and simple Markdown for
 * the panes. No curses here: panes build lines, tui_draw.c shows them. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "util.h"
#include "view.h"

/* ---- Glyphs ------------------------------------------------------------------ */

const view_glyphs *view_g = &ys_glyphs_utf8;
static bool view_utf8 = true;

void view_glyphs_init(bool utf8)
{
	view_utf8 = utf8;
	view_g = ys_glyphs_get(utf8);
}

view_role view_state_role(snap_state st)
{
	switch (st) {
	case SNAP_CREATED: return R_ST_CREATED;
	case SNAP_RUNNING: return R_ST_RUNNING;
	case SNAP_SUSPENDED: return R_ST_SUSPENDED;
	case SNAP_CLOSED: return R_ST_CLOSED;
	}
	return R_NORMAL;
}

char view_drive_key(drive_kind k)
{
	switch (k) {
	case DRIVE_NEXT: return 'n';
	case DRIVE_SEND: return 's';
	case DRIVE_THROW: return 't';
	case DRIVE_CLOSE: return 'c';
	case DRIVE_RUN_ONE: return 'o';
	case DRIVE_RUN_UNTIL: return 'u';
	case DRIVE_CANCEL: return 'x';
	case DRIVE_NONE: break;
	}
	return 0;
}

/* ---- Width ------------------------------------------------------------------- */

int view_strwidth(const char *s)
{
	return s ? ys_width(s, strlen(s), view_utf8) : 0;
}

char *view_fit(const char *s, int width)
{
	size_t n, len, i = 0;
	int w = 0, cw, ellw;
	strbuf sb = {0};

	if (!s)
		s = "";
	if (width < 0)
		width = 0;
	if (view_strwidth(s) <= width)
		return ys_strdup(s);
	ellw = view_strwidth(view_g->ell);
	n = strlen(s);
	while (i < n) {
		cw = ys_char_width(s + i, n - i, view_utf8, &len);
		if (w + cw > width - ellw)
			break;
		w += cw;
		i += len;
	}
	sb_appendn(&sb, s, i);
	if (width >= ellw)
		sb_append(&sb, view_g->ell);
	if (!sb.data && !sb.failed)
		return ys_strdup("");
	return sb_take(&sb);
}

char *view_exception_short(const char *exc)
{
	size_t n, dot = 0, i;

	if (!exc)
		return ys_strdup("?");
	/* The type is what comes before ": " (a type name has no space),
	 * the whole text when there is no message. */
	n = strcspn(exc, " ");
	if (n > 0 && exc[n - 1] == ':')
		n--;
	for (i = 0; i < n; i++)
		if (exc[i] == '.')
			dot = i + 1;
	return ys_strdup(exc + dot);
}

char *view_fit_exception(const char *before, const char *exc, const char *after,
                         int width)
{
	char *text = ys_asprintf("%s%s%s", before, exc ? exc : "?", after), *cls, *out;

	if (!text || view_strwidth(text) <= width)
		return text;
	ys_free(text);
	/* Short of room the class comes first: its module path (and any
	 * enclosing class) goes before a single letter of its name does. */
	cls = view_exception_short(exc);
	text = ys_asprintf("%s%s%s", before, cls ? cls : "?", after);
	out = view_fit(text ? text : "", width);
	ys_free(text);
	ys_free(cls);
	return out;
}

void vl_break(view_lines *v, view_role role, const char *s, int width, int indent)
{
	size_t n = s ? strlen(s) : 0, i = 0, len, start = 0;
	int w = vl_width(v), cw;

	if (width <= indent)
		width = indent + 1;
	while (i < n) {
		cw = ys_char_width(s + i, n - i, view_utf8, &len);
		if (w + cw > width && w > indent) {
			vl_addn(v, role, s + start, i - start);
			vl_new(v);
			vl_pad_to(v, indent);
			w = indent;
			start = i;
		}
		w += cw;
		i += len;
	}
	vl_addn(v, role, s + start, i - start);
}

void vl_break_words(view_lines *v, view_role role, const char *s, int width, int indent)
{
	size_t n = s ? strlen(s) : 0, i = 0, len, start = 0, space = 0;
	int w = vl_width(v), cw, at_space = 0;

	if (width <= indent)
		width = indent + 1;
	while (i < n) {
		cw = ys_char_width(s + i, n - i, view_utf8, &len);
		if (w + cw > width && w > indent) {
			/* After the row's last space, when that keeps at least
			 * half the row: a value reads better broken between
			 * words; else where the row ends. */
			size_t cut = space > start && at_space - indent >= (width - indent) / 2
			             ? space : i;
			vl_addn(v, role, s + start, cut - start);
			vl_new(v);
			vl_pad_to(v, indent);
			w = indent + (cut < i ? ys_width(s + cut, i - cut, view_utf8) : 0);
			start = cut;
			space = 0;
		}
		if (s[i] == ' ') {
			space = i + 1;
			at_space = w + cw;
		}
		w += cw;
		i += len;
	}
	vl_addn(v, role, s + start, i - start);
}

char *view_expand_tabs(const char *s, size_t n)
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

/* ---- Lines ------------------------------------------------------------------- */

view_line *vl_new(view_lines *v)
{
	view_line *l;

	if (v->failed)
		return NULL;
	l = ys_grow(v->lines, v->nlines, &v->cap, sizeof *l, 16);
	if (!l) {
		v->failed = true;
		return NULL;
	}
	v->lines = l;
	l = &v->lines[v->nlines++];
	memset(l, 0, sizeof *l);
	return l;
}

/* A borrowed line's segments copied, so it can grow; false when out of
 * memory (v->failed set). */
static bool own_line(view_lines *v, view_line *l)
{
	view_seg *segs = ys_calloc(l->nsegs ? l->nsegs : 1, sizeof *segs);
	size_t i;

	if (!segs) {
		v->failed = true;
		return false;
	}
	for (i = 0; i < l->nsegs; i++) {
		segs[i].role = l->segs[i].role;
		segs[i].text = ys_strdup(l->segs[i].text);
		if (!segs[i].text) {
			while (i-- > 0)
				ys_free(segs[i].text);
			ys_free(segs);
			v->failed = true;
			return false;
		}
	}
	l->segs = segs;
	l->borrowed = false;
	return true;
}

void vl_addn(view_lines *v, view_role role, const char *text, size_t n)
{
	view_line *l;
	view_seg *segs;
	char *t;

	if (v->nlines == 0 && !vl_new(v))
		return;
	if (v->failed || n == 0)
		return;
	l = &v->lines[v->nlines - 1];
	if (l->borrowed && !own_line(v, l))
		return;
	/* Runs in the same role merge, so a line stays a handful of segments. */
	if (l->nsegs > 0 && l->segs[l->nsegs - 1].role == role) {
		view_seg *s = &l->segs[l->nsegs - 1];
		size_t old = strlen(s->text);
		t = ys_realloc(s->text, old + n + 1);
		if (!t) {
			v->failed = true;
			return;
		}
		memcpy(t + old, text, n);
		t[old + n] = '\0';
		s->text = t;
		return;
	}
	segs = ys_realloc(l->segs, (l->nsegs + 1) * sizeof *segs);
	if (!segs) {
		v->failed = true;
		return;
	}
	l->segs = segs;
	t = ys_strndup(text, n);
	if (!t) {
		v->failed = true;
		return;
	}
	segs[l->nsegs].role = role;
	segs[l->nsegs].text = t;
	l->nsegs++;
}

void vl_add(view_lines *v, view_role role, const char *text)
{
	if (text)
		vl_addn(v, role, text, strlen(text));
}

void vl_printf(view_lines *v, view_role role, const char *fmt, ...)
{
	va_list ap;
	strbuf sb = {0};

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (sb.failed)
		v->failed = true;
	else if (sb.len)
		vl_addn(v, role, sb.data, sb.len);
	sb_free(&sb);
}

int vl_width(const view_lines *v)
{
	const view_line *l;
	size_t i;
	int w = 0;

	if (v->nlines == 0)
		return 0;
	l = &v->lines[v->nlines - 1];
	for (i = 0; i < l->nsegs; i++)
		w += view_strwidth(l->segs[i].text);
	return w;
}

void vl_pad_to(view_lines *v, int col)
{
	static const char spaces[] = "                                                                ";
	int w = vl_width(v);

	while (w < col) {
		int k = col - w > 64 ? 64 : col - w;
		vl_addn(v, R_NORMAL, spaces, (size_t)k);
		w += k;
	}
}

void vl_free(view_lines *v)
{
	size_t i, j;

	for (i = 0; i < v->nlines; i++) {
		if (v->lines[i].borrowed)
			continue;
		for (j = 0; j < v->lines[i].nsegs; j++)
			ys_free(v->lines[i].segs[j].text);
		ys_free(v->lines[i].segs);
	}
	ys_free(v->lines);
	memset(v, 0, sizeof *v);
}

/* ---- Word wrap --------------------------------------------------------------- */

/* One word of flowing text: its role, its text, and whether a space
 * stands before it. */
typedef struct {
	view_role role;
	const char *s;
	size_t n;
	bool space;
} word;

/* Lay words out on lines of width columns, continuing the last line. */
static void flow(view_lines *v, const word *w, size_t nw, int width, int indent)
{
	size_t i;
	int col = vl_width(v);

	if (width < 4)
		width = 4;
	for (i = 0; i < nw; i++) {
		char *tmp = ys_strndup(w[i].s, w[i].n);
		int ww = view_strwidth(tmp);

		ys_free(tmp);
		/* Words glued to this one (no space between, as in `sh`'s)
		 * wrap together with it. */
		if (w[i].space || i == 0) {
			size_t j;
			int gw = ww;
			for (j = i + 1; j < nw && !w[j].space; j++) {
				char *t2 = ys_strndup(w[j].s, w[j].n);
				gw += view_strwidth(t2);
				ys_free(t2);
			}
			if (gw <= width - indent)
				ww = gw;
		} else {
			ww = 0;
		}
		if (col > indent && col + (w[i].space ? 1 : 0) + ww > width) {
			vl_new(v);
			vl_pad_to(v, indent);
			col = indent;
		} else if (w[i].space && col > 0) {
			vl_add(v, R_NORMAL, " ");
			col++;
		}
		tmp = ys_strndup(w[i].s, w[i].n);
		ww = view_strwidth(tmp);
		ys_free(tmp);
		/* A word longer than a line is cut into pieces. */
		while (ww > width - col && width - col > 0 && w[i].n > 0) {
			size_t take = 0, len;
			int cw = 0;
			while (take < w[i].n) {
				int c = ys_char_width(w[i].s + take, w[i].n - take, view_utf8, &len);
				if (cw + c > width - col)
					break;
				cw += c;
				take += len;
			}
			if (take == 0)
				break;
			vl_addn(v, w[i].role, w[i].s, take);
			vl_new(v);
			vl_pad_to(v, indent);
			col = indent;
			tmp = ys_strndup(w[i].s + take, w[i].n - take);
			((word *)&w[i])->s += take;
			((word *)&w[i])->n -= take;
			ww = view_strwidth(tmp);
			ys_free(tmp);
		}
		vl_addn(v, w[i].role, w[i].s, w[i].n);
		tmp = ys_strndup(w[i].s, w[i].n);
		col += view_strwidth(tmp);
		ys_free(tmp);
	}
}

void vl_wrap(view_lines *v, view_role role, const char *text, int width, int indent)
{
	word *w = NULL, *nwp;
	size_t nw = 0, cap = 0;
	const char *p = text;
	bool space = false;

	if (!text)
		return;
	while (*p) {
		const char *q;
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			space = true;
			p++;
			continue;
		}
		q = p;
		while (*q && *q != ' ' && *q != '\t' && *q != '\n')
			q++;
		nwp = ys_grow(w, nw, &cap, sizeof *w, 32);
		if (!nwp) {
			v->failed = true;
			ys_free(w);
			return;
		}
		w = nwp;
		w[nw].role = role;
		w[nw].s = p;
		w[nw].n = (size_t)(q - p);
		w[nw].space = space;
		nw++;
		space = false;
		p = q;
	}
	flow(v, w, nw, width, indent);
	ys_free(w);
}

/* ---- Narration ----------------------------------------------------------------
 * The lesson's prose, parsed once into blocks (narration.h), shown as a
 * reader reads it rendered: no emphasis markers, `code` set apart, links
 * as their text, list items on their own lines, headings bold.
 */

typedef struct {
	word *w;
	size_t n, cap;
	strbuf text;            /* owns the words' text (offsets until flow) */
	bool failed;
} md_words;

static void md_push(md_words *m, view_role role, const char *s, size_t n, bool space)
{
	word *nw;

	if (n == 0)
		return;
	nw = ys_grow(m->w, m->n, &m->cap, sizeof *nw, 64);
	if (!nw) {
		m->failed = true;
		return;
	}
	m->w = nw;
	/* Store the offset now; the buffer may move as it grows. */
	m->w[m->n].role = role;
	m->w[m->n].s = (const char *)(uintptr_t)m->text.len;
	m->w[m->n].n = n;
	m->w[m->n].space = space;
	m->n++;
	sb_appendn(&m->text, s, n);
}

static void md_flow(view_lines *v, md_words *m, int width, int indent)
{
	size_t i;

	if (m->text.failed || m->failed) {
		v->failed = true;
	} else {
		for (i = 0; i < m->n; i++)
			m->w[i].s = m->text.data + (uintptr_t)m->w[i].s;
		flow(v, m->w, m->n, width, indent);
	}
	ys_free(m->w);
	sb_free(&m->text);
	memset(m, 0, sizeof *m);
}

static view_role span_role(unsigned style)
{
	if (style & NS_CODE)
		return R_CODE;
	return style & NS_STRONG ? R_BOLD : R_NORMAL;
}

/* A block's spans as words: a word breaks at a space, and carries whether
 * a space stood before it (so "`code`," stays one piece). */
static void block_words(md_words *m, const narr_block *b)
{
	bool space = false;
	size_t k;

	for (k = 0; k < b->nspans; k++) {
		const char *s = b->spans[k].text;
		view_role role = span_role(b->spans[k].style);
		while (*s) {
			size_t n = strcspn(s, " \t\n");
			md_push(m, role, s, n, space);
			if (n)
				space = false;
			s += n;
			if (*s) {
				space = true;
				s++;
			}
		}
	}
}

/* An HTML block's text, line by line as written. */
static void block_literal(view_lines *v, const narr_block *b, int width)
{
	size_t k;

	for (k = 0; k < b->nspans; k++) {
		const char *s = b->spans[k].text;
		while (*s) {
			size_t n = strcspn(s, "\n");
			char *line = ys_strndup(s, n), *fit = view_fit(line ? line : "", width);
			if (v->nlines == 0 || vl_width(v) > 0)
				vl_new(v);
			vl_add(v, span_role(b->spans[k].style), fit);
			ys_free(fit);
			ys_free(line);
			s += n;
			if (*s)
				s++;
		}
	}
}

/* A code block of a quote or an item: its lines as written, two columns
 * in from the text it belongs to (a quote's bar on every line), each cut
 * to the width left. */
static void block_code(view_lines *v, const narr_block *b, int width)
{
	int indent = b->quoted ? 4 : 4 + 2 * b->level;
	size_t k;

	for (k = 0; k < b->nspans; k++) {
		const char *s = b->spans[k].text;
		while (*s) {
			size_t n = strcspn(s, "\n");
			char *line = ys_strndup(s, n);
			char *fit = view_fit(line ? line : "", width > indent ? width - indent : 1);
			if (!line || !fit)
				v->failed = true;
			if (v->nlines == 0 || vl_width(v) > 0)
				vl_new(v);
			if (b->quoted) {
				vl_add(v, R_DIM, view_g->vline);
				vl_add(v, R_NORMAL, " ");
			}
			vl_pad_to(v, indent);
			vl_add(v, R_CODE, fit ? fit : "");
			ys_free(fit);
			ys_free(line);
			s += n;
			if (*s)
				s++;
		}
	}
}

static void block_lines(view_lines *v, const narr_block *b, int width)
{
	md_words m = {0};
	int indent = 0;

	if (b->kind == NB_HTML) {
		block_literal(v, b, width);
		return;
	}
	if (b->kind == NB_CODE) {
		block_code(v, b, width);
		return;
	}
	if (v->nlines == 0 || vl_width(v) > 0)
		vl_new(v);
	if (b->kind == NB_HEADING) {
		/* A heading is one piece, wrapped as a whole. */
		strbuf t = {0};
		size_t k;
		for (k = 0; k < b->nspans; k++)
			sb_append(&t, b->spans[k].text);
		md_push(&m, R_HEADING, sb_cstr(&t), t.len, false);
		if (t.failed)
			m.failed = true;
		sb_free(&t);
		md_flow(v, &m, width, 0);
		return;
	}
	if (b->kind == NB_ITEM) {
		vl_pad_to(v, 2 + 2 * b->level);
		vl_add(v, R_BOLD, view_g->dot);
		vl_add(v, R_NORMAL, " ");
		indent = 4 + 2 * b->level;
	} else if (b->kind == NB_QUOTE) {
		vl_add(v, R_DIM, view_g->vline);
		vl_add(v, R_NORMAL, " ");
		indent = 2;
	} else if (b->level > 0) {
		/* A later paragraph of a list item, under its text. */
		indent = 2 + 2 * b->level;
		vl_pad_to(v, indent);
	}
	block_words(&m, b);
	md_flow(v, &m, width, indent);
}

/* The narration last wrapped: its lines with gaps, which of them are the
 * blank lines of gaps, and what it was wrapped for. One entry: the Lesson
 * pane shows one narration at one width at a time. */
static struct {
	unsigned long id;
	int width;
	view_lines lines;
	bool *gap;              /* per line: a gap's blank line */
	size_t ngaps;
} wrapped;

/* wrapped holds n at width (wrapped now if it did not); false when out
 * of memory. */
static bool wrap_narration(const narration *n, int width)
{
	size_t i;

	/* A narration made by hand (id 0) is wrapped anew each time. */
	if (n->id != 0 && wrapped.id == n->id && wrapped.width == width)
		return true;
	vl_free(&wrapped.lines);
	ys_free(wrapped.gap);
	memset(&wrapped, 0, sizeof wrapped);
	for (i = 0; i < n->n && !wrapped.lines.failed; i++) {
		if (i > 0 && n->blocks[i].gap) {
			view_line *l = vl_new(&wrapped.lines);
			/* A blank line that stays blank; tagged for the marks below. */
			if (l)
				l->tag = 1;
			vl_add(&wrapped.lines, R_NORMAL, " ");
		}
		block_lines(&wrapped.lines, &n->blocks[i], width);
	}
	wrapped.gap = wrapped.lines.failed ? NULL
	              : ys_calloc(wrapped.lines.nlines + 1, sizeof *wrapped.gap);
	if (!wrapped.gap) {
		vl_free(&wrapped.lines);
		memset(&wrapped, 0, sizeof wrapped);
		return false;
	}
	for (i = 0; i < wrapped.lines.nlines; i++) {
		wrapped.gap[i] = wrapped.lines.lines[i].tag == 1;
		wrapped.ngaps += wrapped.gap[i];
		wrapped.lines.lines[i].tag = 0;
	}
	wrapped.id = n->id;
	wrapped.width = width;
	return true;
}

size_t view_narration_count(const narration *n, int width, bool gaps)
{
	if (!n || !wrap_narration(n, width))
		return 0;
	return wrapped.lines.nlines - (gaps ? 0 : wrapped.ngaps);
}

void view_narration(view_lines *v, const narration *n, int width, bool gaps)
{
	size_t i;

	if (!n)
		return;
	if (!wrap_narration(n, width)) {
		v->failed = true;
		return;
	}
	for (i = 0; i < wrapped.lines.nlines; i++) {
		view_line *l;
		if (!gaps && wrapped.gap[i])
			continue;
		l = vl_new(v);
		if (!l)
			return;
		*l = wrapped.lines.lines[i];
		l->borrowed = true;
	}
}

/* ---- Shared helpers for the panes ------------------------------------------ */

bool view_free_play(const lesson *l)
{
	size_t n = l && l->path ? strlen(l->path) : 0;

	return n > 3 && strcasecmp(l->path + n - 3, ".py") == 0;
}

bool view_in_program(const view_ctx *c, const snap_gen *g)
{
	if (!g || !g->filename || g->line < 0)
		return false;
	if (c->program_file && strcmp(g->filename, c->program_file) == 0)
		return true;
	return c->lesson && c->lesson->path && strcmp(g->filename, c->lesson->path) == 0;
}

const lesson_eye *view_eye(const view_ctx *c)
{
	const lesson *l = c->lesson;

	if (!l || c->browsing || c->script_pos >= l->nsteps)
		return NULL;
	return &l->steps[c->script_pos].eye;
}

bool view_asks_prediction(const view_ctx *c, const lesson_step *st)
{
	return st && (st->predict || (c->predict_mode && st->drive.kind != DRIVE_NONE));
}

/* ---- Actions ------------------------------------------------------------------ */

char *view_action_text(const lesson_step *st)
{
	const lesson_drive *d;

	if (!st)
		return ys_strdup("the lesson is done: r replays it, q leaves");
	d = &st->drive;
	switch (d->kind) {
	case DRIVE_NEXT:
		return ys_asprintf("press n to call next(%s)", d->target);
	case DRIVE_SEND:
		return ys_asprintf("press s to send %s into %s", d->arg ? d->arg : "None", d->target);
	case DRIVE_THROW:
		return ys_asprintf("press t to throw %s into %s", d->arg ? d->arg : "?", d->target);
	case DRIVE_CLOSE:
		return ys_asprintf("press c to close %s", d->target);
	case DRIVE_RUN_ONE:
		return ys_asprintf("press o to run one callback of %s", d->target);
	case DRIVE_RUN_UNTIL:
		return ys_asprintf("press u to run %s until %s resumes", d->target,
		                   d->arg ? d->arg : "?");
	case DRIVE_CANCEL:
		return ys_asprintf("press x to cancel %s", d->target);
	case DRIVE_NONE:
		break;
	}
	if (st->kind == LESSON_CODE)
		return ys_strdup("press Space to run the code");
	return ys_strdup("press Space to run");
}
