/* tui_lines.c: styled lines, text width, word wrap and simple Markdown for
 * the panes. No curses here: panes build lines, tui_draw.c shows them. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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

/* ---- Lines ------------------------------------------------------------------- */

view_line *vl_new(view_lines *v)
{
	view_line *l;

	if (v->failed)
		return NULL;
	if (v->nlines == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		view_line *nl = ys_realloc(v->lines, cap * sizeof *nl);
		if (!nl) {
			v->failed = true;
			return NULL;
		}
		v->lines = nl;
		v->cap = cap;
	}
	l = &v->lines[v->nlines++];
	memset(l, 0, sizeof *l);
	return l;
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
	word *w = NULL;
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
		if (nw == cap) {
			word *nwp;
			cap = cap ? cap * 2 : 32;
			nwp = ys_realloc(w, cap * sizeof *w);
			if (!nwp) {
				v->failed = true;
				ys_free(w);
				return;
			}
			w = nwp;
		}
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

/* ---- Markdown ---------------------------------------------------------------
 * Narration is Markdown source. The terminal shows it as a reader would
 * read it rendered: no emphasis markers, `code` set apart, links as their
 * text, list items on their own lines. Anything fancier stays as written.
 */

typedef struct {
	word *w;
	size_t n, cap;
	strbuf text;            /* owns the words' text (offsets until flow) */
	bool failed;
} md_words;

static void md_push(md_words *m, view_role role, const char *s, size_t n, bool space)
{
	if (n == 0)
		return;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		word *nw = ys_realloc(m->w, cap * sizeof *nw);
		if (!nw) {
			m->failed = true;
			return;
		}
		m->w = nw;
		m->cap = cap;
	}
	/* Store the offset now; the buffer may move as it grows. */
	m->w[m->n].role = role;
	m->w[m->n].s = (const char *)(uintptr_t)m->text.len;
	m->w[m->n].n = n;
	m->w[m->n].space = space;
	m->n++;
	sb_appendn(&m->text, s, n);
}

/* Split one paragraph's inline Markdown into words; space: a space comes
 * before the first. */
static void md_inline(md_words *m, const char *s, size_t n, bool space)
{
	size_t i = 0;
	bool bold = false;
	strbuf cur = {0};
	view_role cur_role = R_NORMAL;

#define FLUSH() do { \
		if (cur.len) { md_push(m, cur_role, cur.data, cur.len, space); space = false; } \
		cur.len = 0; \
	} while (0)

	while (i < n) {
		char c = s[i];
		if (c == ' ' || c == '\n' || c == '\t') {
			FLUSH();
			space = true;
			i++;
			continue;
		}
		if (c == '`') {
			/* A code span: up to the matching backtick, spaces kept. */
			size_t j = i + 1;
			while (j < n && s[j] != '`')
				j++;
			if (j < n) {
				size_t k = i + 1;
				FLUSH();
				cur_role = R_CODE;
				/* Words inside a code span keep their role; a space
				 * inside it is still a place to wrap. */
				while (k < j) {
					size_t e = k;
					while (e < j && s[e] != ' ')
						e++;
					if (e > k) {
						md_push(m, R_CODE, s + k, e - k, space);
						space = false;
					}
					if (e < j)
						space = true;
					k = e + 1;
				}
				cur_role = bold ? R_BOLD : R_NORMAL;
				i = j + 1;
				continue;
			}
		}
		if ((c == '*' || c == '_') && i + 1 < n && s[i + 1] == c) {
			FLUSH();
			bold = !bold;
			cur_role = bold ? R_BOLD : R_NORMAL;
			i += 2;
			continue;
		}
		if (c == '*' || (c == '_' && (cur.len == 0 || i + 1 >= n ||
		                              s[i + 1] == ' ' || s[i + 1] == '\n' ||
		                              s[i + 1] == '.' || s[i + 1] == ','))) {
			/* Emphasis markers vanish; underscores inside words stay. */
			i++;
			continue;
		}
		if (c == '[') {
			/* [text](url): keep the text. */
			size_t j = i + 1;
			while (j < n && s[j] != ']')
				j++;
			if (j + 1 < n && s[j + 1] == '(') {
				size_t k = j + 2;
				while (k < n && s[k] != ')')
					k++;
				if (k < n) {
					/* The link's text takes the place of its first
					 * word: the space before it stays before it. */
					FLUSH();
					md_inline(m, s + i + 1, j - i - 1, space);
					space = false;
					i = k + 1;
					continue;
				}
			}
		}
		if (c == '\\' && i + 1 < n) {
			i++;
			c = s[i];
		}
		if (cur.len == 0)
			cur_role = bold ? R_BOLD : R_NORMAL;
		sb_appendc(&cur, c);
		i++;
	}
	FLUSH();
#undef FLUSH
	if (cur.failed)
		m->failed = true;
	sb_free(&cur);
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

/* Length of a list marker ("- ", "* ", "12. ") at the start of s, or 0. */
static size_t list_marker(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') && s[i + 1] == ' ')
		return i + 2;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ')
		return i + 2;
	return 0;
}

void view_markdown(view_lines *v, const char *md, int width, bool gaps)
{
	const char *p = md;
	bool first = true;

	if (!md)
		return;
	while (*p) {
		/* One paragraph: lines up to a blank line. */
		const char *start, *end;
		md_words m = {0};

		while (*p == '\n' || *p == ' ')
			p++;
		if (!*p)
			break;
		start = p;
		for (end = p; *end; end++)
			if (end[0] == '\n' && (end[1] == '\n' || end[1] == '\0'))
				break;
		if (!first && gaps) {
			vl_new(v);
			vl_add(v, R_NORMAL, " ");   /* a blank line that stays blank */
		}
		first = false;
		/* Line by line inside it, so list items and headings start lines;
		 * plain lines join into one flowing run. */
		{
			const char *l = start;
			int indent = 0;
			strbuf run = {0};
			bool open = false;
			while (l <= end) {
				const char *le = l < end ? memchr(l, '\n', (size_t)(end - l)) : NULL;
				size_t ln, mk;
				bool last = l >= end;
				if (!le)
					le = end;
				ln = last ? 0 : (size_t)(le - l);
				mk = last ? 0 : list_marker(l, ln);
				if (last || mk || (ln > 0 && l[0] == '#')) {
					if (open) {
						md_inline(&m, run.data ? run.data : "", run.len, false);
						md_flow(v, &m, width, indent);
						run.len = 0;
						open = false;
					}
					if (last)
						break;
					if (v->nlines == 0 || vl_width(v) > 0)
						vl_new(v);
					if (mk) {
						vl_add(v, R_NORMAL, "  ");
						vl_add(v, R_BOLD, view_g->dot);
						vl_add(v, R_NORMAL, " ");
						indent = 4;
						sb_appendn(&run, l + mk, ln - mk);
						open = true;
					} else {
						size_t h = 0;
						while (h < ln && (l[h] == '#' || l[h] == ' '))
							h++;
						md_push(&m, R_HEADING, l + h, ln - h, false);
						md_flow(v, &m, width, 0);
						indent = 0;
					}
				} else {
					if (!open) {
						if (v->nlines == 0 || vl_width(v) > 0)
							vl_new(v);
						indent = 0;
						open = true;
					}
					if (run.len)
						sb_appendc(&run, '\n');
					sb_appendn(&run, l, ln);
				}
				l = le < end ? le + 1 : end;
			}
			if (run.failed)
				v->failed = true;
			sb_free(&run);
		}
		p = end;
	}
}

/* ---- Shared helpers for the panes ------------------------------------------ */

bool view_in_program(const view_ctx *c, const snap_gen *g)
{
	if (!g || !g->filename || g->line < 0)
		return false;
	if (c->program_file && strcmp(g->filename, c->program_file) == 0)
		return true;
	return c->lesson && c->lesson->path && strcmp(g->filename, c->lesson->path) == 0;
}

bool view_asks_prediction(const view_ctx *c, const lesson_step *st)
{
	return st && (st->predict || (c->predict_mode && st->drive.kind != DRIVE_NONE));
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
			out->labels[d] = e->label;
			out->functions[d] = e->function;
			out->lines[d] = e->line;
			out->depth = d + 1;
		} else {
			/* Yield, return, raise: this frame leaves the stack. */
			out->depth = d;
		}
	}
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
	case DRIVE_NONE:
		break;
	}
	if (st->kind == LESSON_CODE)
		return ys_strdup("press Space to run the code");
	return ys_strdup("press Space to run");
}
