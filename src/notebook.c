/* notebook.c: --import (see notebook.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <jansson.h>

#include "lesson.h"
#include "notebook.h"
#include "util.h"

typedef struct {
	const char *path;
	strbuf out;             /* the lesson so far */
	int line;               /* lines in out */
	int *cell_at;           /* cell (from 1) of each lesson line, by line - 1 */
	size_t ncell_at, cap;
	int cell;               /* the cell being converted, from 1 */
	char *err;
	size_t errlen;
	bool failed;
} conv;

static void fail(conv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(conv *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->failed)
		return;
	c->failed = true;
	n = c->cell > 0 ? snprintf(c->err, c->errlen, "%s: cell %d: ", c->path, c->cell)
	                : snprintf(c->err, c->errlen, "%s: ", c->path);
	if (n < 0 || (size_t)n >= c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Append text to the lesson, remembering which cell each line is of. */
static void put(conv *c, const char *s)
{
	for (; *s; s++) {
		sb_appendc(&c->out, *s);
		if (*s != '\n')
			continue;
		if (c->ncell_at == c->cap) {
			size_t cap = c->cap ? 2 * c->cap : 256;
			int *a = ys_realloc(c->cell_at, cap * sizeof *a);
			if (!a) {
				fail(c, "out of memory");
				return;
			}
			c->cell_at = a;
			c->cap = cap;
		}
		c->cell_at[c->ncell_at++] = c->cell;
		c->line++;
	}
}

static void putf(conv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(conv *c, const char *fmt, ...)
{
	va_list ap;
	strbuf sb = {0};

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	put(c, sb_cstr(&sb));
	sb_free(&sb);
}

/* A notebook string: a JSON string or a list of them, joined. NULL (and
 * the conversion failed, naming what) when it is neither. */
static char *text_of(conv *c, json_t *v, const char *what)
{
	strbuf sb = {0};
	size_t i;
	json_t *part;

	if (!v)
		return ys_strdup("");
	if (json_is_string(v))
		return ys_strdup(json_string_value(v));
	if (!json_is_array(v)) {
		fail(c, "its %s is not text", what);
		return NULL;
	}
	json_array_foreach(v, i, part) {
		if (!json_is_string(part)) {
			fail(c, "its %s is not text (item %zu)", what, i + 1);
			sb_free(&sb);
			return NULL;
		}
		sb_append(&sb, json_string_value(part));
	}
	if (sb.failed) {
		fail(c, "out of memory");
		sb_free(&sb);
		return NULL;
	}
	return sb.len ? sb_take(&sb) : ys_strdup("");
}

/* ---- Python source: where top-level statements start ---------------------------------
 * Not a parser: enough of Python's lexical rules (strings of every quote,
 * comments, brackets, backslash continuations) to tell where a top-level
 * statement begins, which is all the split of a cell needs. The
 * lesson's --check runs the result in CPython, which has the last word. */

typedef struct {
	int depth;              /* open brackets */
	char quote;             /* the quote of an open string, or 0 */
	bool triple;
	bool continued;         /* the line ended in a backslash */
} lexer;

static void lex_line(lexer *lx, const char *p, size_t n)
{
	size_t i;

	lx->continued = false;
	for (i = 0; i < n; i++) {
		char ch = p[i];

		if (lx->quote) {
			if (ch == '\\') {
				i++;
				if (i >= n && !lx->triple)
					lx->continued = true;
			} else if (ch == lx->quote) {
				if (!lx->triple)
					lx->quote = 0;
				else if (i + 2 < n && p[i + 1] == ch && p[i + 2] == ch) {
					lx->quote = 0;
					i += 2;
				}
			}
			continue;
		}
		if (ch == '#')
			break;
		if (ch == '\'' || ch == '"') {
			lx->quote = ch;
			lx->triple = i + 2 < n && p[i + 1] == ch && p[i + 2] == ch;
			if (lx->triple)
				i += 2;
		} else if (ch == '(' || ch == '[' || ch == '{') {
			lx->depth++;
		} else if ((ch == ')' || ch == ']' || ch == '}') && lx->depth > 0) {
			lx->depth--;
		} else if (ch == '\\' && i + 1 == n) {
			lx->continued = true;
		}
	}
	/* A one-quote string does not go past its line. */
	if (lx->quote && !lx->triple && !lx->continued)
		lx->quote = 0;
}

/* Does this line go on the statement before it (else:, except ...)? */
static bool clause(const char *p)
{
	static const char *const words[] = { "else", "elif", "except", "finally" };
	size_t i, n;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		n = strlen(words[i]);
		if (strncmp(p, words[i], n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_')
			return true;
	}
	return false;
}

/* The offsets in src at which its top-level statements start; their
 * count in *n. NULL when there are none (or out of memory: *n is 0). */
static size_t *statements(const char *src, size_t *n)
{
	lexer lx = { 0, 0, false, false };
	size_t *starts = NULL, cap = 0;
	const char *p = src;
	bool decorated = false;         /* the last start was a decorator */

	*n = 0;
	while (*p) {
		size_t len = strcspn(p, "\n");
		bool inside = lx.depth > 0 || lx.quote || lx.continued;
		const char *q = p;

		while (q < p + len && (*q == ' ' || *q == '\t'))
			q++;
		if (!inside && q == p && len > 0 && *p != '#' && !clause(p)) {
			if (!decorated) {
				if (*n == cap) {
					size_t *a = ys_realloc(starts, (cap = cap ? 2 * cap : 16) * sizeof *a);
					if (!a) {
						ys_free(starts);
						*n = 0;
						return NULL;
					}
					starts = a;
				}
				starts[(*n)++] = (size_t)(p - src);
			}
			decorated = *p == '@';
		}
		lex_line(&lx, p, len);
		p += len;
		if (*p)
			p++;
	}
	return starts;
}

/* ---- Cells ------------------------------------------------------------------------------ */

/* A fence longer than any run of backticks in text. */
static int fence_len(const char *text)
{
	int best = 0, run = 0;

	for (; *text; text++) {
		run = *text == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best >= 3 ? best + 1 : 3;
}

static void fenced(conv *c, const char *info, const char *body)
{
	int n = fence_len(body);

	putf(c, "%.*s%s\n", n, "``````````````````````````````", info);
	put(c, body);
	if (*body && body[strlen(body) - 1] != '\n')
		put(c, "\n");
	putf(c, "%.*s\n\n", n, "``````````````````````````````");
}

/* What the cell recorded, as the console would show it; notes about
 * what cannot be shown go to notes. */
static char *expected_of(conv *c, json_t *outputs, strbuf *notes)
{
	strbuf sb = {0};
	size_t i;
	json_t *o;

	json_array_foreach(outputs, i, o) {
		const char *type = json_string_value(json_object_get(o, "output_type"));
		json_t *data = json_object_get(o, "data");
		char *t = NULL;

		if (!type) {
			fail(c, "output %zu has no output_type", i + 1);
			break;
		}
		if (strcmp(type, "stream") == 0) {
			t = text_of(c, json_object_get(o, "text"), "stream text");
		} else if (strcmp(type, "display_data") == 0) {
			/* IPython's display() has no plain Python counterpart:
			 * what it showed is never printed by the lesson. */
			sb_printf(notes, "Cell %d displayed %s, which a lesson does not show; "
			          "it is left out.\n\n", c->cell,
			          json_object_get(data, "image/png") ? "a picture" : "rich output");
		} else if (strcmp(type, "execute_result") == 0) {
			json_t *plain = json_object_get(data, "text/plain");
			if (plain) {
				t = text_of(c, plain, "text/plain output");
				if (t && *t && t[strlen(t) - 1] != '\n') {
					char *u = ys_asprintf("%s\n", t);
					ys_free(t);
					t = u;
				}
			} else {
				sb_printf(notes, "Cell %d showed output that is not text "
				          "(%s); a lesson shows text only, so it is left out.\n\n",
				          c->cell, data && json_object_size(data) ?
				          json_object_iter_key(json_object_iter(data)) : "nothing");
			}
		} else if (strcmp(type, "error") == 0) {
			const char *ename = json_string_value(json_object_get(o, "ename"));
			const char *evalue = json_string_value(json_object_get(o, "evalue"));
			if (!ename) {
				fail(c, "output %zu: an error without ename", i + 1);
				break;
			}
			t = evalue && *evalue
			    ? ys_asprintf("Traceback (most recent call last):\n%s: %s\n", ename, evalue)
			    : ys_asprintf("Traceback (most recent call last):\n%s\n", ename);
		} else {
			fail(c, "output %zu: unknown output_type \"%s\"", i + 1, type);
			break;
		}
		if (c->failed)
			break;
		if (t)
			sb_append(&sb, t);
		ys_free(t);
	}
	if (c->failed || sb.failed) {
		sb_free(&sb);
		return NULL;
	}
	return sb.len ? sb_take(&sb) : ys_strdup("");
}

/* The code of a cell with IPython's magic lines taken out (said in
 * notes); NULL and *whole set when the cell is a cell magic. */
static char *without_magics(conv *c, const char *src, strbuf *notes, bool *whole)
{
	strbuf sb = {0};
	const char *p = src;
	size_t dropped = 0;

	*whole = false;
	while (*p == '\n' || *p == ' ')
		p++;
	if (strncmp(p, "%%", 2) == 0) {
		size_t n = strcspn(p, " \n");
		*whole = true;
		sb_printf(notes, "Cell %d is an IPython cell magic (%.*s), which plain Python "
		          "cannot run; it is left out.\n\n", c->cell, (int)n, p);
		return NULL;
	}
	for (p = src; *p;) {
		size_t len = strcspn(p, "\n");
		if (*p == '%' || *p == '!') {
			dropped++;
			sb_printf(notes, "%s`%.*s`", dropped == 1 ? "" : ", ",
			          (int)(len > 60 ? 60 : len), p);
		} else {
			sb_appendn(&sb, p, len);
			sb_appendc(&sb, '\n');
		}
		p += len;
		if (*p)
			p++;
	}
	if (dropped)
		sb_printf(notes, ": IPython's magic%s, which plain Python cannot run, %s left "
		          "out of cell %d.\n\n", dropped == 1 ? "" : "s",
		          dropped == 1 ? "is" : "are", c->cell);
	return sb.len ? sb_take(&sb) : ys_strdup("");
}

/* The last statement as pycon: ">>> " then "... " lines. */
static void put_pycon(conv *c, const char *stmt, const char *expected)
{
	strbuf sb = {0};
	const char *p = stmt;
	bool first = true, compound = false;

	while (*p) {
		size_t len = strcspn(p, "\n");
		if (len == 0 && !p[len])
			break;
		if (first)
			sb_append(&sb, ">>> ");
		else if (len)
			sb_append(&sb, "... ");
		else
			sb_append(&sb, "...");
		compound = !first || compound;
		sb_appendn(&sb, p, len);
		sb_appendc(&sb, '\n');
		first = false;
		p += len;
		if (*p)
			p++;
	}
	if (compound)
		sb_append(&sb, "...\n");
	sb_append(&sb, expected);
	fenced(c, "pycon", sb_cstr(&sb));
	sb_free(&sb);
}

/* Trailing blank lines off code (in place). */
static void rstrip_lines(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

static void code_cell(conv *c, json_t *cell)
{
	strbuf notes = {0};
	char *src = text_of(c, json_object_get(cell, "source"), "source");
	json_t *outputs = json_object_get(cell, "outputs");
	char *code = NULL, *expected = NULL;
	size_t *starts = NULL, n = 0;
	bool whole;

	if (!src)
		return;
	if (outputs && !json_is_array(outputs)) {
		fail(c, "its outputs are not a list");
		goto out;
	}
	code = without_magics(c, src, &notes, &whole);
	if (whole || !code)
		goto out;
	expected = outputs ? expected_of(c, outputs, &notes) : ys_strdup("");
	if (!expected)
		goto out;
	rstrip_lines(code);
	if (!*code)
		goto out;
	starts = statements(code, &n);
	if (n == 0 || !*expected) {
		fenced(c, "python", code);
	} else {
		size_t last = starts[n - 1];
		if (last > 0) {
			char *head = ys_strndup(code, last);
			rstrip_lines(head);
			if (*head)
				fenced(c, "python", head);
			ys_free(head);
		}
		put_pycon(c, code + last, expected);
	}
out:
	if (notes.len && !c->failed) {
		put(c, sb_cstr(&notes));
	}
	sb_free(&notes);
	ys_free(starts);
	ys_free(expected);
	ys_free(code);
	ys_free(src);
}

static void cell_of(conv *c, json_t *cell)
{
	const char *type = json_string_value(json_object_get(cell, "cell_type"));

	if (!json_is_object(cell) || !type) {
		fail(c, "not a cell (no cell_type)");
		return;
	}
	if (strcmp(type, "markdown") == 0) {
		char *md = text_of(c, json_object_get(cell, "source"), "source");
		if (md) {
			rstrip_lines(md);
			if (*md) {
				put(c, md);
				put(c, "\n\n");
			}
		}
		ys_free(md);
	} else if (strcmp(type, "code") == 0) {
		code_cell(c, cell);
	} else if (strcmp(type, "raw") != 0) {
		fail(c, "unknown cell_type \"%s\"", type);
	}
}

char *notebook_convert(const char *path, const char *json, size_t len, char *err,
                       size_t errlen)
{
	conv c;
	json_error_t je;
	json_t *nb = json_loadb(json, len, 0, &je), *cells, *cell;
	size_t i;
	lesson_error le;
	lesson *l;

	memset(&c, 0, sizeof c);
	c.path = path;
	c.err = err;
	c.errlen = errlen;
	if (!nb) {
		fail(&c, "not a notebook: line %d: %s", je.line, je.text);
		return NULL;
	}
	cells = json_object_get(nb, "cells");
	if (json_integer_value(json_object_get(nb, "nbformat")) < 4 || !json_is_array(cells)) {
		fail(&c, "not a notebook of nbformat 4 (no \"nbformat\": 4 and list of \"cells\")");
		json_decref(nb);
		return NULL;
	}
	put(&c, "<!-- Imported from a Jupyter notebook by yieldscope --import. -->\n\n");
	json_array_foreach(cells, i, cell) {
		c.cell = (int)i + 1;
		cell_of(&c, cell);
		if (c.failed)
			break;
	}
	json_decref(nb);
	if (c.out.failed)
		fail(&c, "out of memory");
	if (!c.failed) {
		/* Load what was written: a problem is the cell's it comes from. */
		c.cell = 0;
		l = lesson_parse(path, sb_cstr(&c.out), c.out.len, &le);
		if (!l) {
			if (le.line > 0 && (size_t)le.line <= c.ncell_at)
				c.cell = c.cell_at[le.line - 1];
			else if (le.line > 0 && c.ncell_at)
				c.cell = c.cell_at[c.ncell_at - 1];
			fail(&c, "%s", le.message);
		}
		lesson_free(l);
	}
	ys_free(c.cell_at);
	if (c.failed) {
		sb_free(&c.out);
		return NULL;
	}
	return sb_take(&c.out);
}

int notebook_import(const char *path, FILE *out, char *err, size_t errlen)
{
	size_t len;
	char *json = ys_read_file(path, &len), *text;

	if (!json) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	text = notebook_convert(path, json, len, err, errlen);
	ys_free(json);
	if (!text)
		return -1;
	if (fputs(text, out) == EOF || fflush(out) == EOF) {
		snprintf(err, errlen, "the lesson cannot be written: %s", strerror(errno));
		ys_free(text);
		return -1;
	}
	ys_free(text);
	return 0;
}
