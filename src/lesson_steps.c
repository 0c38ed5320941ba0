/* lesson_steps.c: fenced blocks into steps: ```python blocks are code
 * steps, ```pycon blocks statement steps with their expected output (a
 * driving statement recognised as such), any other block shown and never
 * run; every fence checked for what CommonMark would silently do with it. */
#include "config.h"

#include <string.h>

#include "lesson_int.h"

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
	s = lp_line_at(p, first, &n);
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
	s = lp_line_at(p, last, &n);
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
	    lp_is_blank(s + i + k, n - i - k))
		return;
	memset(buf, f->ch, f->len < sizeof buf ? f->len : sizeof buf - 1);
	lp_fail(p, first, "unterminated %s fence (opened here)", buf);
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

const char lp_outside_pycon[] =
	"'>>>' outside a pycon block: put the session in a ```pycon fence";

static void code_step(parser *p, const char *lit, int line)
{
	const char *cur = lit, *s;
	size_t n, len;
	int i;
	lesson_step *st;

	for (i = 0; next_line(&cur, &s, &n); i++) {
		if (prompt(s, n, ">>>")) {
			lp_fail(p, line + i, "%s", lp_outside_pycon);
			return;
		}
	}
	len = strlen(lit);
	if (len > 0 && lit[len - 1] == '\n')
		len--;
	st = lp_add_step(p, LESSON_CODE, line);
	if (!st)
		return;
	st->source = ys_strndup(lit, len);
	if (!st->source) {
		lp_fail_oom(p);
		return;
	}
	st->code_line = p->program_lines + 1;
	p->program_lines += lp_count_lines(lit, lit + len) + 1;
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
		lp_fail_oom(p);
		goto out;
	}
	st = lp_add_step(p, LESSON_STATEMENT, ps->line);
	if (!st)
		goto out;
	st->expected_line = ps->expected.len > 0 ? ps->expected_line :
	                    ps->last_line + 1;
	st->source = sb_take(&ps->source);
	st->expected = sb_take(&ps->expected);
	if (!st->source || !st->expected ||
	    lesson_scan_drive(st->source, &st->drive) < 0)
		lp_fail_oom(p);
out:
	sb_free(&ps->source);
	sb_free(&ps->expected);
}

void lp_pycon_block(parser *p, const char *lit, int line)
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
			if (!lp_is_blank(s, n))
				lp_fail(p, line, "text before the first '>>>' in a pycon block: output must follow a statement");
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

	sh = ys_grow(l->shown, l->nshown, &p->capshown, sizeof *sh, 8);
	if (!sh) {
		lp_fail_oom(p);
		return;
	}
	l->shown = sh;
	sh = &l->shown[l->nshown++];
	memset(sh, 0, sizeof *sh);
	if (len > 0 && lit[len - 1] == '\n')
		len--;
	sh->info = ys_strdup(info);
	sh->text = ys_strndup(lit, len);
	sh->line = line;
	sh->before_step = (int)l->nsteps;
	if (!sh->info || !sh->text)
		lp_fail_oom(p);
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

void lp_code_block(parser *p, cmark_node *node, bool top)
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
	if (p->ex && lp_exercise_block(p, info, lit, line))
		return;
	word = strcspn(info, " \t");
	if (word == 6 && memcmp(info, "python", 6) == 0)
		run_block(p, lit, line, code_step);
	else if (word == 5 && memcmp(info, "pycon", 5) == 0)
		run_block(p, lit, line, lp_pycon_block);
	else
		shown_block(p, info, lit, line);
}

