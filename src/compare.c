/* compare.c: expected output against actual output, under doctest's
 * rules, and a unified diff of the two.
 *
 * Both sides are normalised first (trailing whitespace dropped, a final
 * newline added, <BLANKLINE> and the traceback header handled on the
 * expected side), then compared as whole texts, with "..." matching any
 * text as doctest's ELLIPSIS does. The diff works on lines with Myers'
 * linear-space algorithm, where two lines are equal when they would match.
 */
/* memmem: a linear search bounded by lengths, for ELLIPSIS. */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include "compare.h"
#include "util.h"

/* The two headers doctest's _EXCEPTION_RE knows. */
static const char traceback_header[] = "Traceback (most recent call last):";
static const char traceback_header_old[] = "Traceback (innermost last):";
static const char blankline[] = "<BLANKLINE>";
static const char ellipsis[] = "...";

/* ---- Lines ------------------------------------------------------------- */

typedef struct {
	const char *s;
	size_t n;
} span;

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of the n bytes at s without their trailing whitespace. */
static size_t rstrip(const char *s, size_t n)
{
	while (n > 0 && is_space(s[n - 1]))
		n--;
	return n;
}

static bool line_is(const span *l, const char *word)
{
	size_t n = rstrip(l->s, l->n);

	return n == strlen(word) && memcmp(l->s, word, n) == 0;
}

/* Does the line start with what doctest's \w matches: a letter, a digit,
 * an underscore, or (in UTF-8) any non-ASCII character, taken to be a
 * letter as the exception names that use them are? */
static bool starts_word(const span *l)
{
	unsigned char c = l->n > 0 ? (unsigned char)l->s[0] : 0;

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* Split text into lines (a final newline does not start another one).
 * With expected set, the traceback header and the stack after it are left
 * out, as compare_match ignores them: as in doctest, the stack is every
 * line up to the first that starts with a word character (an indented
 * "File" line, a bare "...", a blank line). Returns the
 * number of lines in *out (NULL when there are none), or -1 when out of
 * memory. */
static long split(const char *text, bool expected, span **out)
{
	size_t count = 0, n = 0;
	const char *s, *nl;
	bool in_stack = false;
	span *v;

	*out = NULL;
	for (s = text; *s; s = nl + 1) {
		count++;
		if (!(nl = strchr(s, '\n')))
			break;
	}
	if (count == 0)
		return 0;
	v = ys_calloc(count, sizeof *v);
	if (!v)
		return -1;
	for (s = text; *s; s = nl + 1) {
		span l;

		nl = strchr(s, '\n');
		l.s = s;
		l.n = nl ? (size_t)(nl - s) : strlen(s);
		if (expected && !in_stack && (line_is(&l, traceback_header) ||
		                              line_is(&l, traceback_header_old))) {
			in_stack = true;
		} else if (!in_stack || starts_word(&l)) {
			in_stack = false;
			v[n++] = l;
		}
		if (!nl)
			break;
	}
	*out = v;
	return (long)n;
}

/* ---- Matching ---------------------------------------------------------- */

/* The lines as compared: trailing whitespace dropped, every line ending
 * in '\n', <BLANKLINE> made empty on the expected side. */
static char *normalise(const char *text, bool expected)
{
	strbuf sb = {0};
	span *v;
	long n, i;

	n = split(text ? text : "", expected, &v);
	if (n < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!(expected && line_is(&v[i], blankline)))
			sb_appendn(&sb, v[i].s, rstrip(v[i].s, v[i].n));
		sb_appendc(&sb, '\n');
	}
	ys_free(v);
	return sb_take(&sb);
}

/* doctest's _ellipsis_match on w[0..wn) and g[0..gn): the pieces of w
 * between its "..." must be found in g in order, the first at its start
 * and the last at its end. */
static bool ellipsis_match(const char *w, size_t wn, const char *g, size_t gn)
{
	const char *wend = w + wn, *mark, *last, *p, *m, *found;
	size_t head, tail, start, end, len;

	mark = memmem(w, wn, ellipsis, 3);
	if (!mark)
		return wn == gn && memcmp(w, g, wn) == 0;
	for (last = mark + 3; (p = memmem(last, (size_t)(wend - last), ellipsis, 3)); )
		last = p + 3;
	head = (size_t)(mark - w);
	tail = (size_t)(wend - last);
	if (head + tail > gn || memcmp(g, w, head) != 0 ||
	    memcmp(g + gn - tail, last, tail) != 0)
		return false;
	start = head;
	end = gn - tail;
	/* The middle pieces, each searched for only between the ends. */
	for (p = mark + 3; p < last; p = m + 3) {
		m = memmem(p, (size_t)(wend - p), ellipsis, 3);
		len = (size_t)(m - p);
		found = memmem(g + start, end - start, p, len);
		if (!found)
			return false;
		start = (size_t)(found - g) + len;
	}
	return true;
}

char *compare_actual(const char *output, const char *exception)
{
	strbuf sb = {0};

	sb_append(&sb, output);
	if (exception) {
		if (sb.len > 0 && sb.data[sb.len - 1] != '\n')
			sb_appendc(&sb, '\n');
		sb_append(&sb, exception);
		if (sb.len > 0 && sb.data[sb.len - 1] != '\n')
			sb_appendc(&sb, '\n');
	}
	return sb_take(&sb);
}

/* doctest's default (DONT_ACCEPT_TRUE_FOR_1 unset): the whole output
 * True stands for an expected 1, False for 0, from the days before bool. */
static bool true_for_one(const char *want, const char *got)
{
	return (strcmp(want, "1\n") == 0 && strcmp(got, "True\n") == 0) ||
	       (strcmp(want, "0\n") == 0 && strcmp(got, "False\n") == 0);
}

/* Out of memory counts as a mismatch: a check must never pass unseen. */
int compare_match(const char *expected, const char *actual)
{
	char *want = normalise(expected, true);
	char *got = normalise(actual, false);
	int rc = -1;

	if (want && got)
		rc = true_for_one(want, got) ||
		     ellipsis_match(want, strlen(want), got, strlen(got)) ? 1 : 0;
	ys_free(want);
	ys_free(got);
	return rc;
}

/* ---- Diff -------------------------------------------------------------- */

/* The expected line e and the actual line a match as compare_match would
 * match them if they stood alone: the diff then shows what really
 * differs, not lines that differ only in trailing blanks or by "...". */
static bool line_eq(const span *e, const span *a)
{
	size_t en = line_is(e, blankline) ? 0 : rstrip(e->s, e->n);

	return ellipsis_match(e->s, en, a->s, rstrip(a->s, a->n));
}

typedef struct {
	const span *a, *b;      /* expected, actual */
	bool *del, *ins;        /* per line: not on the common subsequence */
	long *vf, *vb;          /* furthest x per diagonal, forwards and
	                           backwards, offset by vo */
	long vo;
} differ;

/* Myers' middle snake of a[a0..a1) and b[b0..b1), both non-empty: a run
 * of matching lines [*x0, *x1) x [*y0, *y1) on a shortest edit path, found
 * by searching from both ends at once until the searches overlap. */
static void middle_snake(differ *d, long a0, long a1, long b0, long b1,
                         long *x0, long *y0, long *x1, long *y1)
{
	long n = a1 - a0, m = b1 - b0, delta = n - m, max = (n + m + 1) / 2;
	long *vf = d->vf + d->vo, *vb = d->vb + d->vo;
	bool odd = delta & 1;
	long D, k, c, x, y, sx, sy;

	vf[1] = 0;
	vb[1] = 0;
	for (D = 0; D <= max; D++) {
		for (k = -D; k <= D; k += 2) {
			x = (k == -D || (k != D && vf[k - 1] < vf[k + 1])) ?
			    vf[k + 1] : vf[k - 1] + 1;
			y = x - k;
			sx = x;
			sy = y;
			while (x < n && y < m && line_eq(&d->a[a0 + x], &d->b[b0 + y])) {
				x++;
				y++;
			}
			vf[k] = x;
			c = delta - k;
			if (odd && c >= -(D - 1) && c <= D - 1 && x + vb[c] >= n) {
				*x0 = a0 + sx;
				*y0 = b0 + sy;
				*x1 = a0 + x;
				*y1 = b0 + y;
				return;
			}
		}
		/* Backwards, x and y count from the ends of a and b. */
		for (c = -D; c <= D; c += 2) {
			x = (c == -D || (c != D && vb[c - 1] < vb[c + 1])) ?
			    vb[c + 1] : vb[c - 1] + 1;
			y = x - c;
			sx = x;
			sy = y;
			while (x < n && y < m &&
			       line_eq(&d->a[a1 - x - 1], &d->b[b1 - y - 1])) {
				x++;
				y++;
			}
			vb[c] = x;
			k = delta - c;
			if (!odd && k >= -D && k <= D && vf[k] + x >= n) {
				*x0 = a1 - x;
				*y0 = b1 - y;
				*x1 = a1 - sx;
				*y1 = b1 - sy;
				return;
			}
		}
	}
}

/* Mark the lines of a[a0..a1) and b[b0..b1) that a shortest edit script
 * deletes and inserts. Each split halves the edit distance, so the
 * recursion is only logarithmically deep. */
static void diff_range(differ *d, long a0, long a1, long b0, long b1)
{
	long x0, y0, x1, y1;

	while (a0 < a1 && b0 < b1 && line_eq(&d->a[a0], &d->b[b0])) {
		a0++;
		b0++;
	}
	while (a0 < a1 && b0 < b1 && line_eq(&d->a[a1 - 1], &d->b[b1 - 1])) {
		a1--;
		b1--;
	}
	if (a0 == a1 || b0 == b1) {
		for (; a0 < a1; a0++)
			d->del[a0] = true;
		for (; b0 < b1; b0++)
			d->ins[b0] = true;
		return;
	}
	/* middle_snake always finds a snake; were it not to, this empty one
	 * would still give a correct, if long, script. */
	x0 = x1 = a0;
	y0 = y1 = b1;
	middle_snake(d, a0, a1, b0, b1, &x0, &y0, &x1, &y1);
	diff_range(d, a0, x0, b0, y0);
	diff_range(d, x1, a1, y1, b1);
}

/* One line of the edit script: ' ', '-' or '+', and how many lines of a
 * and b come before it. */
typedef struct {
	char op;
	long ai, bi;
} edit;

static const int context = 3;

static void hunk_range(strbuf *sb, char sign, long before, long count)
{
	sb_printf(sb, " %c%ld", sign, count > 0 ? before + 1 : before);
	if (count != 1)
		sb_printf(sb, ",%ld", count);
}

/* Print edits [from, to) as one hunk. */
static void hunk(strbuf *sb, const differ *d, const edit *ed, long from, long to)
{
	long i, na = 0, nb = 0;

	for (i = from; i < to; i++) {
		na += ed[i].op != '+';
		nb += ed[i].op != '-';
	}
	sb_append(sb, "@@");
	hunk_range(sb, '-', ed[from].ai, na);
	hunk_range(sb, '+', ed[from].bi, nb);
	sb_append(sb, " @@\n");
	for (i = from; i < to; i++) {
		const span *l = ed[i].op == '+' ? &d->b[ed[i].bi] : &d->a[ed[i].ai];
		sb_appendc(sb, ed[i].op);
		sb_appendn(sb, l->s, l->n);
		sb_appendc(sb, '\n');
	}
}

/* The edit script as unified-diff hunks with `context` lines around each
 * change; changes closer than twice that share a hunk. */
static void hunks(strbuf *sb, const differ *d, long na, long nb)
{
	edit *ed = ys_calloc((size_t)(na + nb), sizeof *ed);
	long n = 0, i = 0, j = 0, k, from, last;

	if (!ed) {
		sb->failed = true;
		return;
	}
	while (i < na || j < nb) {
		ed[n].ai = i;
		ed[n].bi = j;
		if (i < na && d->del[i]) {
			ed[n].op = '-';
			i++;
		} else if (j < nb && d->ins[j]) {
			ed[n].op = '+';
			j++;
		} else {
			ed[n].op = ' ';
			i++;
			j++;
		}
		n++;
	}
	for (k = 0; k < n; k++) {
		if (ed[k].op == ' ')
			continue;
		from = k > context ? k - context : 0;
		last = k;
		for (k++; k < n && k - last <= 2 * context; k++)
			if (ed[k].op != ' ')
				last = k;
		k = last + context + 1 < n ? last + context + 1 : n;
		hunk(sb, d, ed, from, k);
	}
	ys_free(ed);
}

char *compare_diff(const char *path, int line, const char *expected,
                   const char *actual)
{
	strbuf sb = {0};
	differ d = {0};
	span *a = NULL, *b = NULL;
	long na, nb;
	bool ok = false;

	na = split(expected ? expected : "", true, &a);
	nb = split(actual ? actual : "", false, &b);
	if (na < 0 || nb < 0)
		goto out;
	d.a = a;
	d.b = b;
	d.vo = (na + nb + 1) / 2 + 1;
	d.del = ys_calloc((size_t)na + 1, sizeof *d.del);
	d.ins = ys_calloc((size_t)nb + 1, sizeof *d.ins);
	d.vf = ys_calloc((size_t)(2 * d.vo + 1), sizeof *d.vf);
	d.vb = ys_calloc((size_t)(2 * d.vo + 1), sizeof *d.vb);
	if (!d.del || !d.ins || !d.vf || !d.vb)
		goto out;
	if (!path)
		path = "";
	sb_printf(&sb, "--- %s:%d (expected)\n+++ %s:%d (got)\n",
	          path, line, path, line);
	diff_range(&d, 0, na, 0, nb);
	hunks(&sb, &d, na, nb);
	ok = true;
out:
	ys_free(a);
	ys_free(b);
	ys_free(d.del);
	ys_free(d.ins);
	ys_free(d.vf);
	ys_free(d.vb);
	if (!ok) {
		sb_free(&sb);
		return NULL;
	}
	return sb_take(&sb);
}
