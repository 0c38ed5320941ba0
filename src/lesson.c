/* lesson.c: a lesson file parsed into steps with cmark.
 *
 * The text is first normalised (LF line endings) and indexed by line once,
 * so every later lookup of "the lines the author wrote" is a slice of one
 * buffer. cmark then gives the block structure with source positions, and
 * one walk over its tree turns blocks into steps, narration, shown blocks
 * and directives. The walk stops at the first problem it finds.
 */
#include "config.h"

#include <cmark.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "util.h"

/* ---- Parser state ------------------------------------------------------ */

typedef struct {
	lesson_error *err;
	const char *path;
	char *text;             /* normalised text, NUL-terminated */
	size_t len;
	size_t *starts;         /* offset of each line's first byte, then a
	                           sentinel: line k ends at starts[k] - 1 */
	size_t nlines;
	lesson *l;
	size_t capsteps;
	size_t capshown;
	strbuf narration;       /* prose waiting for the next step */
	char *section;
	bool predict;           /* a predict directive waits for a step */
	int predict_line;
	strbuf program;
	int program_lines;
	bool py_pending;        /* a python directive waits for a block */
	int py_line;
	int py_min, py_max;
	size_t py_shared;       /* narration length when it was read */
	bool py_block;          /* reading the block it governs */
	bool py_first;          /* no step of that block made yet */
	bool failed;
} parser;

/* The version lesson_parse selects for (see lesson_set_python). */
static char default_python[32];

static void fail(parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record the first problem only: later ones are consequences of it. */
static void fail(parser *p, int line, const char *fmt, ...)
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

static void fail_oom(parser *p)
{
	fail(p, 0, "out of memory");
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
		fail_oom(p);
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
		fail_oom(p);
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
static const char *line_at(const parser *p, int n, size_t *len)
{
	if (n < 1 || (size_t)n > p->nlines) {
		*len = 0;
		return "";
	}
	*len = p->starts[n] - 1 - p->starts[n - 1];
	return p->text + p->starts[n - 1];
}

static bool is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* ---- Building the lesson ----------------------------------------------- */

static lesson_step *add_step(parser *p, lesson_step_kind kind, int line)
{
	lesson *l = p->l;
	lesson_step *st;

	if (l->nsteps == p->capsteps) {
		size_t cap = p->capsteps ? p->capsteps * 2 : 16;
		lesson_step *n = ys_realloc(l->steps, cap * sizeof *n);
		if (!n) {
			fail_oom(p);
			return NULL;
		}
		l->steps = n;
		p->capsteps = cap;
	}
	st = &l->steps[l->nsteps++];
	memset(st, 0, sizeof *st);
	st->kind = kind;
	st->line = line;
	st->predict = p->predict;
	p->predict = false;
	if (p->narration.len > 0 || p->narration.failed) {
		st->narration = sb_take(&p->narration);
		if (!st->narration) {
			fail_oom(p);
			return NULL;
		}
	}
	if (p->section) {
		st->section = ys_strdup(p->section);
		if (!st->section) {
			fail_oom(p);
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
				fail_oom(p);
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
		s = line_at(p, last, &n);
		if (!is_blank(s, n))
			break;
		last--;
	}
	if (last < first)
		return;
	s = line_at(p, first, &n);
	add_narration(p, s, p->starts[last] - 1 - p->starts[first - 1]);
}

/* ---- Directives -------------------------------------------------------- */

/* One version "3.12" of a python directive: 312, or -1. */
static int scan_version(const char **sp, const char *end)
{
	const char *s = *sp;
	long major = 0, minor = 0;
	int digits = 0;

	for (; s < end && *s >= '0' && *s <= '9' && digits < 3; s++, digits++)
		major = major * 10 + (*s - '0');
	if (digits == 0 || s >= end || *s != '.')
		return -1;
	s++;
	for (digits = 0; s < end && *s >= '0' && *s <= '9' && digits < 3; s++, digits++)
		minor = minor * 10 + (*s - '0');
	if (digits == 0 || minor > 99)
		return -1;
	*sp = s;
	return (int)(major * 100 + minor);
}

/* "python 3.12", "python 3.12+" or "python 3.11-3.12": s..end is what
 * follows the word. */
static void python_directive(parser *p, const char *s, const char *end, int line)
{
	int lo, hi;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		end--;
	lo = hi = scan_version(&s, end);
	if (lo >= 0 && s < end && *s == '+') {
		s++;
		hi = INT_MAX;
	} else if (lo >= 0 && s < end && *s == '-') {
		s++;
		hi = scan_version(&s, end);
	}
	if (lo < 0 || hi < lo || s != end) {
		fail(p, line, "bad python directive: write a version (3.12), "
		     "a version and later (3.12+) or a range (3.11-3.12)");
		return;
	}
	if (p->py_pending) {
		fail(p, line, "two python directives for one block");
		return;
	}
	p->py_pending = true;
	p->py_line = line;
	p->py_min = lo;
	p->py_max = hi;
	p->py_shared = p->narration.len;
}

/* The body of one HTML comment, between "<!--" and "-->". */
static void directive(parser *p, const char *s, const char *end, int line)
{
	static const char prefix[] = "yieldscope:";
	const char *w;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'))
		s++;
	if ((size_t)(end - s) < sizeof prefix - 1 ||
	    memcmp(s, prefix, sizeof prefix - 1) != 0)
		return;
	s += sizeof prefix - 1;
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'))
		s++;
	w = s;
	while (s < end && *s != ' ' && *s != '\t' && *s != '\n')
		s++;
	if (s == w) {
		fail(p, line, "directive without a word: write <!-- yieldscope: predict -->");
	} else if (s - w == 7 && memcmp(w, "predict", 7) == 0) {
		p->predict = true;
		p->predict_line = line;
	} else if (s - w == 6 && memcmp(w, "python", 6) == 0) {
		python_directive(p, s, end, line);
	} else {
		fail(p, line, "unknown directive '%.*s'",
		     (int)(s - w > 64 ? 64 : s - w), w);
	}
}

static int count_lines(const char *s, const char *end)
{
	int n = 0;

	for (; s < end; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* Scan raw HTML (a block's or an inline node's literal, starting on file
 * line `line`) for comments and act on the directives among them. Returns
 * whether anything but comments and whitespace is there. */
static bool scan_html(parser *p, const char *s, int line)
{
	bool other = false;
	const char *open, *close;

	while (!p->failed && (open = strstr(s, "<!--")) != NULL) {
		for (; s < open; s++) {
			if (*s == '\n')
				line++;
			else if (*s != ' ' && *s != '\t')
				other = true;
		}
		close = strstr(open + 4, "-->");
		if (!close) {
			/* CommonMark then runs the HTML block to the end of
			 * the document, silently swallowing every step. */
			fail(p, line, "unterminated <!-- comment (opened here): close it with -->");
			return other;
		}
		directive(p, open + 4, close, line);
		line += count_lines(open, close);
		s = close + 3;
	}
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n')
			other = true;
	return other;
}

/* ---- Fences ------------------------------------------------------------ */

typedef struct {
	bool fenced;
	char ch;                /* '`' or '~' */
	size_t len;             /* length of the opening fence */
} fence;

/* Tell a fenced block from an indented one, and check that a fenced one
 * was closed: cmark silently ends an unclosed fence at the end of its
 * container, so the block's last line must be a closing fence. */
static void check_fence(parser *p, cmark_node *node, fence *f)
{
	int first = cmark_node_get_start_line(node);
	int last = cmark_node_get_end_line(node);
	int col = cmark_node_get_start_column(node);
	const char *info = cmark_node_get_fence_info(node);
	const char *lit = cmark_node_get_literal(node);
	const char *s;
	size_t n, i, k, indent, max_indent;
	char buf[16] = {0};

	memset(f, 0, sizeof *f);
	s = line_at(p, first, &n);
	if (col > 1 && (size_t)col - 1 <= n) {
		s += col - 1;
		n -= col - 1;
	}
	if (n == 0 || (s[0] != '`' && s[0] != '~'))
		return;
	for (k = 0; k < n && s[k] == s[0]; k++)
		;
	if (k < 3)
		return;
	/* An indented block whose first line looks like a fence: its start
	 * line is its own first literal line, a fenced block's never is. */
	if ((!info || !*info) && lit && strncmp(lit, s, n) == 0 &&
	    (lit[n] == '\n' || lit[n] == '\0'))
		return;
	f->fenced = true;
	f->ch = s[0];
	f->len = k;

	/* Skip the block quote markers of the closing line, if any. */
	s = line_at(p, last, &n);
	for (i = 0, k = 0; k < n; k++) {
		if (s[k] == '>')
			i = k + 1;
		else if (s[k] != ' ' && s[k] != '\t')
			break;
	}
	for (indent = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		indent += s[i] == '\t' ? 4 - indent % 4 : 1;
	/* At the top level a closing fence is indented by 3 columns at most;
	 * inside a list item, by the item's indentation more. */
	max_indent = cmark_node_parent(node) &&
	             cmark_node_get_type(cmark_node_parent(node)) ==
	             CMARK_NODE_DOCUMENT ? 3 : (size_t)col - 1 + 3;
	for (k = 0; i + k < n && s[i + k] == f->ch; k++)
		;
	if (last > first && indent <= max_indent && k >= f->len &&
	    is_blank(s + i + k, n - i - k))
		return;
	memset(buf, f->ch, f->len < sizeof buf ? f->len : sizeof buf - 1);
	fail(p, first, "unterminated %s fence (opened here)", buf);
}

/* ---- Steps from code blocks -------------------------------------------- */

/* Split the next line off *cur, a NUL-terminated literal: its start and
 * length without the newline. False at the end. */
static bool next_line(const char **cur, const char **s, size_t *n)
{
	const char *nl;

	if (!**cur)
		return false;
	*s = *cur;
	nl = strchr(*cur, '\n');
	*n = nl ? (size_t)(nl - *cur) : strlen(*cur);
	*cur = nl ? nl + 1 : *cur + *n;
	return true;
}

/* Length of the prompt ps (">>>" or "...") that opens line s: 4 with its
 * space, 3 when the line is the bare prompt, 0 when it has none. */
static size_t prompt(const char *s, size_t n, const char *ps)
{
	if (n < 3 || memcmp(s, ps, 3) != 0)
		return 0;
	if (n == 3)
		return 3;
	return s[3] == ' ' ? 4 : 0;
}

static const char outside_pycon[] =
	"'>>>' outside a pycon block: put the session in a ```pycon fence";

static void code_step(parser *p, const char *lit, int line)
{
	const char *cur = lit, *s;
	size_t n, len;
	int i;
	lesson_step *st;

	for (i = 0; next_line(&cur, &s, &n); i++) {
		if (prompt(s, n, ">>>")) {
			fail(p, line + i, "%s", outside_pycon);
			return;
		}
	}
	len = strlen(lit);
	if (len > 0 && lit[len - 1] == '\n')
		len--;
	st = add_step(p, LESSON_CODE, line);
	if (!st)
		return;
	st->source = ys_strndup(lit, len);
	if (!st->source) {
		fail_oom(p);
		return;
	}
	st->code_line = p->program_lines + 1;
	p->program_lines += count_lines(lit, lit + len) + 1;
	sb_appendn(&p->program, lit, len);
	sb_appendc(&p->program, '\n');
}

/* One ">>> " statement of a pycon block while it is being read. */
typedef struct {
	strbuf source;
	strbuf expected;
	int line;               /* of the ">>> " line */
	int last_line;          /* of its last "... " line */
	int expected_line;
} statement;

static int parse_drive(const char *statement, lesson_drive *out);

/* Drop trailing whitespace, blank "..." lines included: the empty line
 * that ends a compound statement at the prompt is not part of it. */
static void trim_source(strbuf *sb)
{
	while (sb->len > 0 && strchr(" \t\n", sb->data[sb->len - 1]))
		sb->data[--sb->len] = '\0';
}

/* Drop trailing blank lines of expected output: a blank line between a
 * step's output and the next ">>> " is there for the eye. */
static void trim_expected(strbuf *sb)
{
	size_t n = sb->len;

	while (n > 0 && strchr(" \t\n", sb->data[n - 1]))
		n--;
	while (n < sb->len && sb->data[n] != '\n')
		n++;
	if (n < sb->len) {
		sb->len = n + 1;
		sb->data[sb->len] = '\0';
	}
}

static void add_statement(parser *p, statement *ps)
{
	lesson_step *st;

	trim_source(&ps->source);
	trim_expected(&ps->expected);
	/* A bare ">>> " left at the end of a pasted session does nothing. */
	if (p->failed || (ps->source.len == 0 && ps->expected.len == 0 &&
	                  !ps->source.failed && !ps->expected.failed))
		goto out;
	if (ps->source.failed || ps->expected.failed) {
		fail_oom(p);
		goto out;
	}
	st = add_step(p, LESSON_STATEMENT, ps->line);
	if (!st)
		goto out;
	st->expected_line = ps->expected.len > 0 ? ps->expected_line :
	                    ps->last_line + 1;
	st->source = sb_take(&ps->source);
	st->expected = sb_take(&ps->expected);
	if (!st->source || !st->expected ||
	    parse_drive(st->source, &st->drive) < 0)
		fail_oom(p);
out:
	sb_free(&ps->source);
	sb_free(&ps->expected);
}

static void pycon_block(parser *p, const char *lit, int line)
{
	statement ps = {0};
	const char *cur = lit, *s;
	size_t n, k;
	bool open = false, in_source = false;

	for (; !p->failed && next_line(&cur, &s, &n); line++) {
		if ((k = prompt(s, n, ">>>")) > 0) {
			if (open)
				add_statement(p, &ps);
			memset(&ps, 0, sizeof ps);
			open = in_source = true;
			ps.line = ps.last_line = line;
			sb_appendn(&ps.source, s + k, n - k);
		} else if (in_source && (k = prompt(s, n, "...")) > 0) {
			sb_appendc(&ps.source, '\n');
			sb_appendn(&ps.source, s + k, n - k);
			ps.last_line = line;
		} else if (!open) {
			if (!is_blank(s, n))
				fail(p, line, "text before the first '>>>' in a pycon block: output must follow a statement");
		} else {
			in_source = false;
			if (ps.expected.len == 0)
				ps.expected_line = line;
			sb_appendn(&ps.expected, s, n);
			sb_appendc(&ps.expected, '\n');
		}
	}
	if (open)
		add_statement(p, &ps);
}

static void shown_block(parser *p, const char *info, const char *lit, int line)
{
	lesson *l = p->l;
	lesson_shown *sh;
	size_t len = strlen(lit);

	if (l->nshown == p->capshown) {
		size_t cap = p->capshown ? p->capshown * 2 : 8;
		lesson_shown *n = ys_realloc(l->shown, cap * sizeof *n);
		if (!n) {
			fail_oom(p);
			return;
		}
		l->shown = n;
		p->capshown = cap;
	}
	sh = &l->shown[l->nshown++];
	memset(sh, 0, sizeof *sh);
	if (len > 0 && lit[len - 1] == '\n')
		len--;
	sh->info = ys_strdup(info);
	sh->text = ys_strndup(lit, len);
	sh->line = line;
	sh->before_step = (int)l->nsteps;
	if (!sh->info || !sh->text)
		fail_oom(p);
}

/* A block that makes steps, under the python directive waiting for it. */
static void run_block(parser *p, const char *lit, int line,
                      void (*steps)(parser *, const char *, int))
{
	p->py_block = p->py_first = p->py_pending;
	p->py_pending = false;
	steps(p, lit, line);
	p->py_block = false;
}

static void code_block(parser *p, cmark_node *node, bool top)
{
	const char *info = cmark_node_get_fence_info(node);
	const char *lit = cmark_node_get_literal(node);
	int line = cmark_node_get_start_line(node);
	size_t word;
	fence f;

	check_fence(p, node, &f);
	/* Code inside a list or a block quote is part of that narration. */
	if (p->failed || !top)
		return;
	if (!info)
		info = "";
	if (!lit)
		lit = "";
	if (!f.fenced) {
		shown_block(p, "", lit, line);
		return;
	}
	line++;
	word = strcspn(info, " \t");
	if (word == 6 && memcmp(info, "python", 6) == 0)
		run_block(p, lit, line, code_step);
	else if (word == 5 && memcmp(info, "pycon", 5) == 0)
		run_block(p, lit, line, pycon_block);
	else
		shown_block(p, info, lit, line);
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
			fail_oom(p);
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
	const char *s = line_at(p, line, &n);

	if (col >= 1 && (size_t)col - 1 + 3 <= n &&
	    memcmp(s + col - 1, ">>>", 3) == 0)
		fail(p, line, "%s", outside_pycon);
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
		code_block(p, node, top);
		return;
	case CMARK_NODE_HTML_BLOCK:
		lit = cmark_node_get_literal(node);
		if (!lit)
			return;
		/* cmark's end line for HTML blocks is unreliable: the literal
		 * is the author's text anyway. */
		if (scan_html(p, lit, cmark_node_get_start_line(node)) && top) {
			size_t n = strlen(lit);
			while (n > 0 && lit[n - 1] == '\n')
				n--;
			add_narration(p, lit, n);
		}
		return;
	case CMARK_NODE_HTML_INLINE:
		lit = cmark_node_get_literal(node);
		if (lit)
			scan_html(p, lit, node_line(node));
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
		fail_oom(p);
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
		fail(p, line_of(p, (size_t)(nul - p->text)),
		     "NUL byte: a lesson must be a text file");
	else if (bad != (size_t)-1)
		fail(p, line_of(p, bad), "invalid UTF-8");
}

static void finish(parser *p)
{
	lesson *l = p->l;
	const char *base;

	if (l->nsteps == 0) {
		fail(p, 1, "no steps: a lesson needs a ```python or ```pycon block");
		return;
	}
	if (p->predict) {
		fail(p, p->predict_line, "'predict' directive with no step after it");
		return;
	}
	if (p->py_pending) {
		fail(p, p->py_line, "'python' directive with no step after it");
		return;
	}
	if (p->narration.len > 0 || p->narration.failed) {
		l->closing = sb_take(&p->narration);
		if (!l->closing) {
			fail_oom(p);
			return;
		}
	}
	if (!l->title) {
		base = strrchr(p->path, '/');
		l->title = ys_strdup(base ? base + 1 : p->path);
	}
	l->program = sb_take(&p->program);
	if (!l->title || !l->program)
		fail_oom(p);
}

/* A new lesson for p's path and p's copy of the text, its lines indexed and
 * its bytes checked; false (with the error in p) when any of that failed. */
static bool start(parser *p, const char *text, size_t len)
{
	p->l = ys_calloc(1, sizeof *p->l);
	if (!p->l || !(p->l->path = ys_strdup(p->path))) {
		fail_oom(p);
		return false;
	}
	if (normalise(p, text, len) < 0 || index_lines(p) < 0)
		return false;
	check_bytes(p);
	return !p->failed;
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
	if (p->failed) {
		lesson_free(p->l);
		return NULL;
	}
	return p->l;
}

lesson *lesson_parse(const char *path, const char *text, size_t len,
                     lesson_error *err)
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
		fail_oom(&p);
		goto out;
	}
	walk(&p, doc);
	if (!p.failed)
		finish(&p);
	if (!p.failed && default_python[0]) {
		if (lesson_select_python(p.l, default_python) < 0)
			fail_oom(&p);
		else if (p.l->nsteps == 0)
			fail(&p, 1, "no steps for CPython %s: every step has a "
			     "python directive for another version", default_python);
	}
out:
	if (doc)
		cmark_node_free(doc);
	return hand_over(&p);
}

static bool is_python_path(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".py") == 0;
}

lesson *lesson_load(const char *path, lesson_error *err)
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
		l = lesson_parse(path, text, len, err);
	ys_free(text);
	return l;
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

	p.err = err;
	p.path = path ? path : "";
	if (err)
		memset(err, 0, sizeof *err);
	base = strrchr(p.path, '/');
	base = base ? base + 1 : p.path;
	if (!start(&p, text, len))
		goto out;
	if (!(p.l->title = ys_strdup(base))) {
		fail_oom(&p);
		goto out;
	}
	sb_printf(&p.narration, py_before, base, base);
	if (p.narration.failed) {
		fail_oom(&p);
		goto out;
	}
	/* The file is the lesson's program, line for line. It is not
	 * checked for ">>>" lines as a ```python block is: a docstring may
	 * well hold a doctest. */
	st = add_step(&p, LESSON_CODE, 1);
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
		fail_oom(&p);
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
	if (parse_drive(st->source, &st->drive) < 0) {
		ys_free(st->source);
		return -1;
	}
	l->nsteps++;
	return 0;
}

/* ---- CPython versions -------------------------------------------------- */

int lesson_python_number(const char *version)
{
	const char *s = version, *end;
	int v;

	if (!version)
		return -1;
	end = s + strcspn(s, ".") ;
	if (*end == '.')
		end += 1 + strspn(end + 1, "0123456789");
	v = scan_version(&s, end);
	return s == end ? v : -1;
}

void lesson_set_python(const char *version)
{
	snprintf(default_python, sizeof default_python, "%s", version ? version : "");
}

/* Join prose a onto b with one empty line between, as narration is. */
static int join_prose(strbuf *sb, const char *s)
{
	if (!s || !*s)
		return 0;
	if (sb->len > 0)
		sb_append(sb, "\n\n");
	sb_append(sb, s);
	return sb->failed ? -1 : 0;
}

static void step_clear(lesson_step *st)
{
	ys_free(st->source);
	ys_free(st->expected);
	ys_free(st->narration);
	ys_free(st->section);
	ys_free(st->shared);
	lesson_drive_clear(&st->drive);
}

/* Prepend what carry holds to *text (narration or closing words). */
static int prepend(strbuf *carry, char **text)
{
	char *joined;

	if (carry->len == 0)
		return 0;
	if (join_prose(carry, *text) < 0)
		return -1;
	joined = sb_take(carry);
	if (!joined)
		return -1;
	ys_free(*text);
	*text = joined;
	return 0;
}

int lesson_select_python(lesson *l, const char *version)
{
	int v = lesson_python_number(version), lines = 0, rc = -1;
	size_t i, k = 0, *first_kept = NULL;
	strbuf carry = {0}, program = {0};
	bool predict = false;

	if (v < 0)
		return -1;
	first_kept = ys_calloc(l->nsteps + 1, sizeof *first_kept);
	if (!first_kept)
		return -1;
	for (i = 0; i < l->nsteps; i++) {
		lesson_step *st = &l->steps[i];

		first_kept[i] = k;
		if (st->py_min && (v < st->py_min || v > st->py_max)) {
			if (join_prose(&carry, st->shared) < 0)
				goto out;
			predict |= st->predict;
			step_clear(st);
			continue;
		}
		if (prepend(&carry, &st->narration) < 0)
			goto out;
		st->predict |= predict;
		predict = false;
		l->steps[k++] = *st;
	}
	first_kept[l->nsteps] = k;
	l->nsteps = k;
	if (prepend(&carry, &l->closing) < 0)
		goto out;
	for (i = 0; i < l->nshown; i++)
		l->shown[i].before_step = (int)first_kept[l->shown[i].before_step];
	/* The program is the code steps kept, joined. */
	for (i = 0; i < l->nsteps; i++) {
		lesson_step *st = &l->steps[i];
		if (st->kind != LESSON_CODE)
			continue;
		st->code_line = lines + 1;
		lines += count_lines(st->source, st->source + strlen(st->source)) + 1;
		sb_append(&program, st->source);
		sb_appendc(&program, '\n');
	}
	if (program.failed)
		goto out;
	ys_free(l->program);
	l->program = program.len ? sb_take(&program) : ys_strdup("");
	rc = l->program ? 0 : -1;
out:
	sb_free(&carry);
	sb_free(&program);
	ys_free(first_kept);
	return rc;
}

void lesson_free(lesson *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nsteps; i++)
		step_clear(&l->steps[i]);
	for (i = 0; i < l->nshown; i++) {
		ys_free(l->shown[i].info);
		ys_free(l->shown[i].text);
	}
	ys_free(l->steps);
	ys_free(l->shown);
	ys_free(l->path);
	ys_free(l->title);
	ys_free(l->program);
	ys_free(l->closing);
	ys_free(l);
}

/* ---- Driving statements ------------------------------------------------ */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Bytes past 0x7F count as letters: Python allows Unicode identifiers. */
static bool ident_start(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c >= 0x80;
}

static const char *skip_ident(const char *s)
{
	if (!ident_start((unsigned char)*s))
		return NULL;
	while (ident_start((unsigned char)*s) || (*s >= '0' && *s <= '9'))
		s++;
	return s;
}

/* The end of the string literal whose quote is at s, or NULL. */
static const char *skip_string(const char *s)
{
	char q = *s;
	bool triple = s[1] == q && s[2] == q;

	for (s += triple ? 3 : 1; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == q && (!triple || (s[1] == q && s[2] == q)))
			return s + (triple ? 3 : 1);
	}
	return NULL;
}

/* A subscript of a label: an int or a string literal. */
static const char *skip_key(const char *s)
{
	if (*s == '\'' || *s == '"')
		return skip_string(s);
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9')
		s++;
	return s;
}

/* A label-like expression: NAME, then ".NAME" and "[KEY]" parts, spaces
 * allowed between them. Appends it to out without the spaces and sets
 * *attr to where its last part starts in out when that part is ".NAME"
 * (0 otherwise). Returns the end, or NULL when s holds none. */
static const char *scan_label(const char *s, strbuf *out, size_t *attr)
{
	const char *e = skip_ident(s), *t;

	*attr = 0;
	if (!e)
		return NULL;
	sb_appendn(out, s, (size_t)(e - s));
	for (;;) {
		t = skip_ws(e);
		if (*t == '.') {
			s = skip_ws(t + 1);
			if (!(e = skip_ident(s)))
				return NULL;
			*attr = out->len;
			sb_appendc(out, '.');
			sb_appendn(out, s, (size_t)(e - s));
		} else if (*t == '[') {
			s = skip_ws(t + 1);
			if (!(e = skip_key(s)))
				return NULL;
			t = skip_ws(e);
			if (*t != ']')
				return NULL;
			*attr = 0;
			sb_appendc(out, '[');
			sb_appendn(out, s, (size_t)(e - s));
			sb_appendc(out, ']');
			e = t + 1;
		} else {
			return e;
		}
	}
}

/* The single argument of a call, s just past its '(': returns the ')'
 * that closes the call, or NULL when the brackets or quotes do not
 * balance, or a top-level comma or a comment shows it is not one
 * argument. */
static const char *scan_arg(const char *s)
{
	/* CPython's tokenizer refuses more than 200 nested brackets too. */
	char stack[200];
	size_t depth = 0;

	for (; *s; s++) {
		switch (*s) {
		case '\'':
		case '"':
			if (!(s = skip_string(s)))
				return NULL;
			s--;
			break;
		case '(':
		case '[':
		case '{':
			if (depth == sizeof stack)
				return NULL;
			stack[depth++] = *s == '(' ? ')' : *s == '[' ? ']' : '}';
			break;
		case ')':
		case ']':
		case '}':
			if (depth == 0)
				return *s == ')' ? s : NULL;
			if (stack[--depth] != *s)
				return NULL;
			break;
		case ',':
			if (depth == 0)
				return NULL;
			break;
		case '#':
			return NULL;
		default:
			break;
		}
	}
	return NULL;
}

static const char *const method_names[] = {
	[DRIVE_SEND] = "send", [DRIVE_THROW] = "throw", [DRIVE_CLOSE] = "close",
};

/* lesson_parse_drive, telling "not a drive" (0) from out of memory (-1). */
static int parse_drive(const char *statement, lesson_drive *out)
{
	strbuf label = {0}, target = {0};
	const char *s = statement, *e, *t, *assign = NULL, *arg = NULL;
	size_t attr, assign_len = 0, arg_len = 0;
	drive_kind kind = DRIVE_NONE;
	int k, rc = 0;

	memset(out, 0, sizeof *out);
	if (strchr(statement, '\n'))
		return 0;
	e = skip_ident(s);
	t = e ? skip_ws(e) : NULL;
	if (t && t[0] == '=' && t[1] != '=') {
		assign = s;
		assign_len = (size_t)(e - s);
		s = skip_ws(t + 1);
	}
	if (!(s = scan_label(s, &label, &attr)))
		goto out;
	s = skip_ws(s);
	if (*s != '(' || label.failed)
		goto out;
	s = skip_ws(s + 1);
	if (strcmp(label.data, "next") == 0) {
		if (!(s = scan_label(s, &target, &attr)))
			goto out;
		s = skip_ws(s);
		if (*s != ')')
			goto out;
		kind = DRIVE_NEXT;
	} else if (attr > 0) {
		for (k = DRIVE_SEND; k <= DRIVE_CLOSE; k++)
			if (strcmp(label.data + attr + 1, method_names[k]) == 0)
				kind = (drive_kind)k;
		if (kind == DRIVE_NONE)
			goto out;
		sb_appendn(&target, label.data, attr);
		if (kind == DRIVE_CLOSE) {
			if (*s != ')')
				kind = DRIVE_NONE;
		} else {
			arg = s;
			if (!(s = scan_arg(s)))
				kind = DRIVE_NONE;
			else
				for (arg_len = (size_t)(s - arg); arg_len > 0 &&
				     strchr(" \t", arg[arg_len - 1]); arg_len--)
					;
			if (arg_len == 0)
				kind = DRIVE_NONE;
		}
		if (kind == DRIVE_NONE)
			goto out;
	} else {
		goto out;
	}
	s = skip_ws(s + 1);
	if (*s != '\0' && *s != '#')
		goto out;
	if (target.failed)
		goto oom;
	out->target = sb_take(&target);
	out->arg = arg ? ys_strndup(arg, arg_len) : NULL;
	out->assign = assign ? ys_strndup(assign, assign_len) : NULL;
	if (!out->target || (arg && !out->arg) || (assign && !out->assign))
		goto oom;
	out->kind = kind;
	rc = 1;
	goto out;
oom:
	lesson_drive_clear(out);
	rc = -1;
out:
	if (label.failed)
		rc = -1;
	sb_free(&label);
	sb_free(&target);
	return rc;
}

bool lesson_parse_drive(const char *statement, lesson_drive *out)
{
	if (!statement) {
		memset(out, 0, sizeof *out);
		return false;
	}
	return parse_drive(statement, out) > 0;
}

void lesson_drive_clear(lesson_drive *d)
{
	if (!d)
		return;
	ys_free(d->target);
	ys_free(d->arg);
	ys_free(d->assign);
	memset(d, 0, sizeof *d);
}

char *lesson_drive_statement(const lesson_drive *d)
{
	strbuf sb = {0};

	if (d->kind == DRIVE_NONE || !d->target)
		return ys_strdup("");
	if (d->assign)
		sb_printf(&sb, "%s = ", d->assign);
	switch (d->kind) {
	case DRIVE_NEXT:
		sb_printf(&sb, "next(%s)", d->target);
		break;
	case DRIVE_SEND:
		/* send(None) is what next does: the natural default. */
		sb_printf(&sb, "%s.send(%s)", d->target, d->arg ? d->arg : "None");
		break;
	case DRIVE_THROW:
		sb_printf(&sb, "%s.throw(%s)", d->target, d->arg ? d->arg : "");
		break;
	case DRIVE_CLOSE:
		sb_printf(&sb, "%s.close()", d->target);
		break;
	case DRIVE_NONE:
		break;
	}
	return sb_take(&sb);
}
