/* lesson.c: a lesson file parsed into steps with cmark.
 *
 * The text is first normalised (LF line endings) and indexed by line once,
 * so every later lookup of "the lines the author wrote" is a slice of one
 * buffer. cmark then gives the block structure with source positions, and
 * one walk over its tree turns blocks into steps, narration, shown blocks
 * and directives. The walk stops at the first problem it finds.
 *
 * The parser's state and helpers are shared (lesson_int.h) with
 * lesson_directive.c, which reads the yieldscope: comments, lesson_steps.c,
 * which turns fenced blocks into steps, and lesson_python.c, which keeps
 * one CPython version's variants.
 */
#include "config.h"

#include <cmark.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "lesson_int.h"
#include "util.h"

/* ---- Failing ----------------------------------------------------------- */

/* Record the first problem only: later ones are consequences of it. */
void lp_fail(parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	if (!p->err)
		return;
	snprintf(p->err->path, sizeof p->err->path, "%s", p->path);
	p->err->line = line;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
	va_end(ap);
}

void lp_fail_oom(parser *p)
{
	lp_fail(p, 0, "out of memory");
}

/* ---- Lines ------------------------------------------------------------- */

/* Copy text with CRLF and lone CR turned into LF, so that cmark's line
 * numbers, ours and the literals cmark hands back all agree. A UTF-8 byte
 * order mark is dropped (cmark would skip it too). */
static int normalise(parser *p, const char *text, size_t len)
{
	size_t i = 0, n = 0;

	p->text = ys_malloc(len + 1);
	if (!p->text) {
		lp_fail_oom(p);
		return -1;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len; i++) {
		if (text[i] == '\r') {
			p->text[n++] = '\n';
			if (i + 1 < len && text[i + 1] == '\n')
				i++;
		} else {
			p->text[n++] = text[i];
		}
	}
	p->text[n] = '\0';
	p->len = n;
	return 0;
}

static int index_lines(parser *p)
{
	size_t i, n = 0, count = 0;

	for (i = 0; i < p->len; i++)
		if (p->text[i] == '\n')
			count++;
	if (p->len > 0 && p->text[p->len - 1] != '\n')
		count++;
	p->starts = ys_calloc(count + 1, sizeof *p->starts);
	if (!p->starts) {
		lp_fail_oom(p);
		return -1;
	}
	if (p->len > 0)
		p->starts[n++] = 0;
	for (i = 0; i < p->len; i++)
		if (p->text[i] == '\n' && i + 1 < p->len)
			p->starts[n++] = i + 1;
	p->nlines = count;
	p->starts[count] = p->len + (p->len > 0 && p->text[p->len - 1] != '\n');
	return 0;
}

/* Line number (from 1) holding byte offset off. */
static int line_of(const parser *p, size_t off)
{
	size_t lo = 0, hi = p->nlines;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo + 1;
}

/* Line n (from 1) without its newline; "" past the end. */
const char *lp_line_at(const parser *p, int n, size_t *len)
{
	if (n < 1 || (size_t)n > p->nlines) {
		*len = 0;
		return "";
	}
	*len = p->starts[n] - 1 - p->starts[n - 1];
	return p->text + p->starts[n - 1];
}

bool lp_is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

int lp_count_lines(const char *s, const char *end)
{
	int n = 0;

	for (; s < end; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* ---- Building the lesson ----------------------------------------------- */

lesson_step *lp_add_step(parser *p, lesson_step_kind kind, int line)
{
	lesson *l = p->l;
	lesson_step *st;

	st = ys_grow(l->steps, l->nsteps, &p->capsteps, sizeof *st, 16);
	if (!st) {
		lp_fail_oom(p);
		return NULL;
	}
	l->steps = st;
	st = &l->steps[l->nsteps++];
	memset(st, 0, sizeof *st);
	st->kind = kind;
	st->line = line;
	st->predict = p->predict;
	st->predict_kind = p->predict_kind;
	st->predict_target = p->predict_target;
	p->predict = false;
	p->predict_kind = PREDICT_SHOWN;
	p->predict_target = NULL;
	st->wrong = p->wrong;
	st->nwrong = p->nwrong;
	p->wrong = NULL;
	p->nwrong = 0;
	st->eye = p->eye;
	memset(&p->eye, 0, sizeof p->eye);
	if (p->narration.len > 0 || p->narration.failed) {
		st->narration = sb_take(&p->narration);
		if (!st->narration) {
			lp_fail_oom(p);
			return NULL;
		}
	}
	if (p->section) {
		st->section = ys_strdup(p->section);
		if (!st->section) {
			lp_fail_oom(p);
			return NULL;
		}
	}
	if (p->py_block) {
		st->py_min = p->py_min;
		st->py_max = p->py_max;
		/* The prose before the directive is not the variant's own: it
		 * survives when the variant is dropped. */
		if (p->py_first && p->py_shared > 0 && st->narration) {
			size_t n = p->py_shared;
			while (n > 0 && st->narration[n - 1] == '\n')
				n--;
			st->shared = ys_strndup(st->narration, n);
			if (!st->shared) {
				lp_fail_oom(p);
				return NULL;
			}
		}
		p->py_first = false;
	}
	return st;
}

/* Narration blocks are joined with one empty line, as Markdown would
 * separate them, whatever gap the author left. */
static void add_narration(parser *p, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (p->narration.len > 0)
		sb_append(&p->narration, "\n\n");
	sb_appendn(&p->narration, s, n);
}

/* The lines first..last of the file as narration, trailing blank lines
 * left out (cmark counts them into lists and block quotes). */
static void add_narration_lines(parser *p, int first, int last)
{
	size_t n;
	const char *s;

	if (first < 1)
		return;
	if ((size_t)last > p->nlines)
		last = (int)p->nlines;
	while (last > first) {
		s = lp_line_at(p, last, &n);
		if (!lp_is_blank(s, n))
			break;
		last--;
	}
	if (last < first)
		return;
	s = lp_line_at(p, first, &n);
	add_narration(p, s, p->starts[last] - 1 - p->starts[first - 1]);
}

/* ---- The walk ---------------------------------------------------------- */

/* The plain text of a heading: its text and code spans, breaks as spaces. */
static char *heading_text(cmark_node *h)
{
	strbuf sb = {0};
	cmark_iter *it = cmark_iter_new(h);
	cmark_event_type ev;

	if (!it)
		return NULL;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			sb_append(&sb, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			sb_appendc(&sb, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return sb_take(&sb);
}

static void heading(parser *p, cmark_node *node)
{
	int level = cmark_node_get_heading_level(node);
	char *text;

	if ((level == 1 && !p->l->title) || level == 2) {
		text = heading_text(node);
		if (!text) {
			lp_fail_oom(p);
			return;
		}
		if (level == 1) {
			p->l->title = text;
		} else {
			ys_free(p->section);
			p->section = text;
		}
		return;
	}
	add_narration_lines(p, cmark_node_get_start_line(node),
	                    cmark_node_get_end_line(node));
}

/* ">>> x" in prose is three nested block quotes to Markdown: almost
 * certainly a session that lost its ```pycon fence. */
static void check_quote(parser *p, cmark_node *node)
{
	int line = cmark_node_get_start_line(node);
	int col = cmark_node_get_start_column(node);
	size_t n;
	const char *s = lp_line_at(p, line, &n);

	if (col >= 1 && (size_t)col - 1 + 3 <= n &&
	    memcmp(s + col - 1, ">>>", 3) == 0)
		lp_fail(p, line, "%s", lp_outside_pycon);
}

/* Inline nodes of some kinds carry no source position: use the nearest
 * ancestor's. */
static int node_line(cmark_node *node)
{
	for (; node; node = cmark_node_parent(node))
		if (cmark_node_get_start_line(node) > 0)
			return cmark_node_get_start_line(node);
	return 1;
}

static void visit(parser *p, cmark_node *node)
{
	cmark_node *parent = cmark_node_parent(node);
	bool top = parent && cmark_node_get_type(parent) == CMARK_NODE_DOCUMENT;
	const char *lit;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_CODE_BLOCK:
		lp_code_block(p, node, top);
		return;
	case CMARK_NODE_HTML_BLOCK:
		lit = cmark_node_get_literal(node);
		if (!lit)
			return;
		/* cmark's end line for HTML blocks is unreliable: the literal
		 * is the author's text anyway. */
		if (lp_scan_html(p, lit, cmark_node_get_start_line(node)) && top) {
			size_t n = strlen(lit);
			while (n > 0 && lit[n - 1] == '\n')
				n--;
			add_narration(p, lit, n);
		}
		return;
	case CMARK_NODE_HTML_INLINE:
		lit = cmark_node_get_literal(node);
		if (lit)
			lp_scan_html(p, lit, node_line(node));
		return;
	case CMARK_NODE_HEADING:
		if (top)
			heading(p, node);
		return;
	case CMARK_NODE_BLOCK_QUOTE:
		check_quote(p, node);
		break;
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_LIST:
	case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_CUSTOM_BLOCK:
		break;
	default:
		return;
	}
	if (top)
		add_narration_lines(p, cmark_node_get_start_line(node),
		                    cmark_node_get_end_line(node));
}

static void walk(parser *p, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	if (!it) {
		lp_fail_oom(p);
		return;
	}
	while (!p->failed && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			visit(p, cmark_iter_get_node(it));
	cmark_iter_free(it);
}

/* ---- Loading ----------------------------------------------------------- */

/* NUL bytes and invalid UTF-8, whichever comes first. */
static void check_bytes(parser *p)
{
	const char *nul = memchr(p->text, '\0', p->len);
	size_t bad = ys_utf8_invalid_at(p->text, p->len);

	if (nul && (size_t)(nul - p->text) < bad)
		lp_fail(p, line_of(p, (size_t)(nul - p->text)),
		     "NUL byte: a lesson must be a text file");
	else if (bad != (size_t)-1)
		lp_fail(p, line_of(p, bad), "invalid UTF-8");
}

static void finish(parser *p)
{
	lesson *l = p->l;
	const char *base;

	if (l->nsteps == 0) {
		lp_fail(p, 1, "no steps: a lesson needs a ```python or ```pycon block");
		return;
	}
	if (p->predict) {
		lp_fail(p, p->predict_line, "'predict' directive with no step after it");
		return;
	}
	if (p->py_pending) {
		lp_fail(p, p->py_line, "'python' directive with no step after it");
		return;
	}
	lp_exercise_finish(p);
	if (p->failed)
		return;
	if (p->narration.len > 0 || p->narration.failed) {
		l->closing = sb_take(&p->narration);
		if (!l->closing) {
			lp_fail_oom(p);
			return;
		}
	}
	if (!l->title) {
		base = strrchr(p->path, '/');
		l->title = ys_strdup(base ? base + 1 : p->path);
	}
	l->program = sb_take(&p->program);
	if (!l->title || !l->program)
		lp_fail_oom(p);
}

/* A new lesson for p's path and p's copy of the text, its lines indexed and
 * its bytes checked; false (with the error in p) when any of that failed. */
static bool start(parser *p, const char *text, size_t len)
{
	p->l = ys_calloc(1, sizeof *p->l);
	if (!p->l || !(p->l->path = ys_strdup(p->path))) {
		lp_fail_oom(p);
		return false;
	}
	if (normalise(p, text, len) < 0 || index_lines(p) < 0)
		return false;
	check_bytes(p);
	return !p->failed;
}

/* Parse every step's narration and the closing words into styled blocks,
 * once, for the renderers. Returns -1 when out of memory. */
int lp_narrate(lesson *l)
{
	bool failed = false;
	size_t i;

	for (i = 0; i < l->nsteps; i++) {
		narration_free(l->steps[i].narr);
		l->steps[i].narr = narration_parse(l->steps[i].narration, &failed);
	}
	narration_free(l->closing_narr);
	l->closing_narr = narration_parse(l->closing, &failed);
	return failed ? -1 : 0;
}

/* The parser's working memory freed; the lesson it made, or NULL (and the
 * half-made lesson freed) when it failed. */
static lesson *hand_over(parser *p)
{
	ys_free(p->text);
	ys_free(p->starts);
	ys_free(p->section);
	sb_free(&p->narration);
	sb_free(&p->program);
	sb_free(&p->ex_saved);
	lp_wrong_free(p->wrong, p->nwrong);
	lp_eye_clear(&p->eye);
	ys_free(p->predict_target);
	if (!p->failed && lp_narrate(p->l) < 0)
		lp_fail_oom(p);
	if (p->failed) {
		lesson_free(p->l);
		return NULL;
	}
	return p->l;
}

lesson *lesson_parse_for(const char *path, const char *text, size_t len,
                         const char *python, lesson_error *err)
{
	parser p = {0};
	cmark_node *doc = NULL;

	p.err = err;
	p.path = path ? path : "";
	if (err)
		memset(err, 0, sizeof *err);
	if (!start(&p, text, len))
		goto out;
	doc = cmark_parse_document(p.text, p.len, CMARK_OPT_SOURCEPOS);
	if (!doc) {
		lp_fail_oom(&p);
		goto out;
	}
	walk(&p, doc);
	if (!p.failed)
		finish(&p);
	if (!p.failed && python && *python) {
		if (lesson_select_python(p.l, python) < 0)
			lp_fail_oom(&p);
		else if (p.l->nsteps == 0)
			lp_fail(&p, 1, "no steps for CPython %s: every step has a "
			     "python directive for another version", python);
	}
out:
	if (doc)
		cmark_node_free(doc);
	return hand_over(&p);
}

lesson *lesson_parse(const char *path, const char *text, size_t len,
                     lesson_error *err)
{
	return lesson_parse_for(path, text, len, NULL, err);
}

static bool is_python_path(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".py") == 0;
}

lesson *lesson_load_for(const char *path, const char *python, lesson_error *err)
{
	size_t len = 0;
	char *text = ys_read_file(path, &len);
	lesson *l;

	if (!text) {
		if (err) {
			int e = errno;
			memset(err, 0, sizeof *err);
			snprintf(err->path, sizeof err->path, "%s", path);
			snprintf(err->message, sizeof err->message,
			         "cannot open: %s", ys_read_error(e));
		}
		return NULL;
	}
	if (is_python_path(path))
		l = lesson_from_python(path, text, len, err);
	else
		l = lesson_parse_for(path, text, len, python, err);
	ys_free(text);
	return l;
}

lesson *lesson_load(const char *path, lesson_error *err)
{
	return lesson_load_for(path, NULL, err);
}

/* ---- Python files ------------------------------------------------------ */

static const char py_before[] =
	"This is your own Python file, `%s`. Press Space to run it as the "
	"module `__main__`, as `python3 %s` would: its "
	"`if __name__ == \"__main__\":` block runs too.";

static const char py_after[] =
	"Free play. Every generator your file made has a card in the Heap: "
	"Tab selects one, and n, s, t and c call `next`, `send`, `throw` and "
	"`close` on it. Press `:` to run any statement, to make more "
	"generators or to drive them by hand. Left and right look back at "
	"earlier steps; r runs your file again from the start.";

lesson *lesson_from_python(const char *path, const char *text, size_t len,
                           lesson_error *err)
{
	parser p = {0};
	lesson_step *st;
	const char *base;
	char *decoded, why[160];
	size_t dlen;
	int line;
	bool ok;

	p.err = err;
	p.path = path ? path : "";
	if (err)
		memset(err, 0, sizeof *err);
	base = strrchr(p.path, '/');
	base = base ? base + 1 : p.path;
	decoded = lp_decode_python(text, len, &dlen, &line, why, sizeof why);
	if (!decoded) {
		lp_fail(&p, line, "%s", why);
		return hand_over(&p);
	}
	ok = start(&p, decoded, dlen);
	ys_free(decoded);
	if (!ok)
		goto out;
	if (!(p.l->title = ys_strdup(base))) {
		lp_fail_oom(&p);
		goto out;
	}
	sb_printf(&p.narration, py_before, base, base);
	if (p.narration.failed) {
		lp_fail_oom(&p);
		goto out;
	}
	/* The file is the lesson's program, line for line. It is not
	 * checked for ">>>" lines as a ```python block is: a docstring may
	 * well hold a doctest. */
	st = lp_add_step(&p, LESSON_CODE, 1);
	if (!st)
		goto out;
	len = p.len;
	if (len > 0 && p.text[len - 1] == '\n')
		len--;
	st->code_line = 1;
	st->source = ys_strndup(p.text, len);
	p.l->program = ys_asprintf("%s\n", st->source ? st->source : "");
	p.l->closing = ys_strdup(py_after);
	if (!st->source || !p.l->program || !p.l->closing)
		lp_fail_oom(&p);
out:
	return hand_over(&p);
}

int lesson_add_statement(lesson *l, const char *statement)
{
	lesson_step *st, *n;

	n = ys_realloc(l->steps, (l->nsteps + 1) * sizeof *n);
	if (!n)
		return -1;
	l->steps = n;
	st = &n[l->nsteps];
	memset(st, 0, sizeof *st);
	st->kind = LESSON_STATEMENT;
	st->source = ys_strdup(statement);
	if (!st->source)
		return -1;
	if (lesson_scan_drive(st->source, &st->drive) < 0) {
		ys_free(st->source);
		return -1;
	}
	l->nsteps++;
	return 0;
}

void lp_step_clear(lesson_step *st)
{
	ys_free(st->source);
	ys_free(st->expected);
	ys_free(st->narration);
	narration_free(st->narr);
	ys_free(st->section);
	ys_free(st->shared);
	lp_wrong_free(st->wrong, st->nwrong);
	lp_eye_clear(&st->eye);
	ys_free(st->predict_target);
	lesson_drive_clear(&st->drive);
}

void lesson_free(lesson *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nsteps; i++)
		lp_step_clear(&l->steps[i]);
	for (i = 0; i < l->nshown; i++) {
		ys_free(l->shown[i].info);
		ys_free(l->shown[i].text);
	}
	for (i = 0; i < l->nexercises; i++)
		lp_exercise_clear(&l->exercises[i]);
	ys_free(l->exercises);
	ys_free(l->steps);
	ys_free(l->shown);
	ys_free(l->path);
	ys_free(l->title);
	ys_free(l->program);
	ys_free(l->closing);
	narration_free(l->closing_narr);
	ys_free(l);
}
