/* lesson_directive.c: the HTML comments of a lesson, and the directives
 * among them (<!-- yieldscope: predict -->, python, wrong, exercise, hint)
 * recorded in the parser for the step or block they govern. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "lesson_int.h"

const char *lp_skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'))
		s++;
	return s;
}

const char *lp_trim_end(const char *s, const char *end)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		end--;
	return end;
}

/* The end of the word at s: the first blank or end. */
static const char *word_end(const char *s, const char *end)
{
	while (s < end && *s != ' ' && *s != '\t' && *s != '\n')
		s++;
	return s;
}

/* One version "3.12" of a python directive: 312, or -1. */
int lp_scan_version(const char **sp, const char *end)
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

	s = lp_skip_space(s, end);
	end = lp_trim_end(s, end);
	lo = hi = lp_scan_version(&s, end);
	if (lo >= 0 && s < end && *s == '+') {
		s++;
		hi = INT_MAX;
	} else if (lo >= 0 && s < end && *s == '-') {
		s++;
		hi = lp_scan_version(&s, end);
	}
	if (lo < 0 || hi < lo || s != end) {
		lp_fail(p, line, "bad python directive: write a version (3.12), "
		     "a version and later (3.12+) or a range (3.11-3.12)");
		return;
	}
	if (p->py_pending) {
		lp_fail(p, line, "two python directives for one block");
		return;
	}
	p->py_pending = true;
	p->py_line = line;
	p->py_min = lo;
	p->py_max = hi;
	p->py_shared = p->narration.len;
}

/* "predict", "predict state G", "predict line G", "predict resumes" or
 * "predict catches": s..end is what follows the word. */
static void predict_directive(parser *p, const char *s, const char *end, int line)
{
	const char *w, *t;

	s = lp_skip_space(s, end);
	end = lp_trim_end(s, end);
	if (p->predict) {
		lp_fail(p, line, "two predict directives for one step");
		return;
	}
	p->predict_kind = PREDICT_SHOWN;
	w = word_end(s, end);
	t = lp_skip_space(w, end);
	if (s == end) {
		/* What the step shows. */
	} else if (w - s == 7 && memcmp(s, "resumes", 7) == 0 && t == end) {
		p->predict_kind = PREDICT_RESUME;
	} else if (w - s == 7 && memcmp(s, "catches", 7) == 0 && t == end) {
		p->predict_kind = PREDICT_CATCH;
	} else if (((w - s == 5 && memcmp(s, "state", 5) == 0) ||
	            (w - s == 4 && memcmp(s, "line", 4) == 0)) && t < end &&
	           !memchr(t, ' ', (size_t)(end - t)) && !memchr(t, '\n', (size_t)(end - t))) {
		p->predict_kind = *s == 's' ? PREDICT_STATE : PREDICT_LINE;
		ys_free(p->predict_target);
		p->predict_target = ys_strndup(t, (size_t)(end - t));
		if (!p->predict_target) {
			lp_fail_oom(p);
			return;
		}
	} else {
		lp_fail(p, line, "bad predict directive: write predict, predict state "
		        "G, predict line G (G a generator's label), predict resumes "
		        "or predict catches");
		return;
	}
	p->predict = true;
	p->predict_line = line;
}

/* "wrong ANSWER => HINT": the hint for one wrong answer to the prediction
 * waiting for its step; s..end is what follows the word. */
static void wrong_directive(parser *p, const char *s, const char *end, int line)
{
	const char *arrow = NULL, *a, *ae, *h, *q;
	lesson_wrong *n;

	for (q = s; q + 1 < end; q++)
		if (q[0] == '=' && q[1] == '>') {
			arrow = q;
			break;
		}
	if (!p->predict) {
		lp_fail(p, line, "'wrong' directive without a predict directive before it");
		return;
	}
	a = lp_skip_space(s, end);
	for (ae = arrow ? arrow : a; ae > a && (ae[-1] == ' ' || ae[-1] == '\t'); ae--)
		;
	h = lp_skip_space(arrow ? arrow + 2 : end, end);
	end = lp_trim_end(h, end);
	if (!arrow || ae == a || h == end) {
		lp_fail(p, line, "bad wrong directive: write <!-- yieldscope: wrong "
		        "ANSWER => HINT -->");
		return;
	}
	n = ys_realloc(p->wrong, (p->nwrong + 1) * sizeof *n);
	if (!n) {
		lp_fail_oom(p);
		return;
	}
	p->wrong = n;
	n[p->nwrong].answer = ys_strndup(a, (size_t)(ae - a));
	n[p->nwrong].hint = ys_strndup(h, (size_t)(end - h));
	p->nwrong++;
	if (!n[p->nwrong - 1].answer || !n[p->nwrong - 1].hint)
		lp_fail_oom(p);
}

void lp_wrong_free(lesson_wrong *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ys_free(w[i].answer);
		ys_free(w[i].hint);
	}
	ys_free(w);
}

/* The body of one HTML comment, between "<!--" and "-->". */
static void directive(parser *p, const char *s, const char *end, int line)
{
	static const char prefix[] = "yieldscope:";
	const char *w;

	s = lp_skip_space(s, end);
	if ((size_t)(end - s) < sizeof prefix - 1 ||
	    memcmp(s, prefix, sizeof prefix - 1) != 0)
		return;
	w = lp_skip_space(s + sizeof prefix - 1, end);
	s = word_end(w, end);
	if (s == w) {
		lp_fail(p, line, "directive without a word: write <!-- yieldscope: predict -->");
	} else if (s - w == 7 && memcmp(w, "predict", 7) == 0) {
		predict_directive(p, s, end, line);
	} else if (s - w == 6 && memcmp(w, "python", 6) == 0) {
		python_directive(p, s, end, line);
	} else if (s - w == 8 && memcmp(w, "exercise", 8) == 0) {
		lp_exercise_open(p, s, end, line);
	} else if (s - w == 5 && memcmp(w, "wrong", 5) == 0) {
		wrong_directive(p, s, end, line);
	} else if (s - w == 4 && memcmp(w, "hint", 4) == 0) {
		lp_exercise_hint(p, s, end, line);
	} else if (lp_eye_directive(p, w, (size_t)(s - w), s, end, line)) {
		/* select, highlight, panes: lesson_eye.c */
	} else {
		lp_fail(p, line, "unknown directive '%.*s'",
		     (int)(s - w > 64 ? 64 : s - w), w);
	}
}

/* Scan raw HTML (a block's or an inline node's literal, starting on file
 * line `line`) for comments and act on the directives among them. Returns
 * whether anything but comments and whitespace is there. */
bool lp_scan_html(parser *p, const char *s, int line)
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
			lp_fail(p, line, "unterminated <!-- comment (opened here): close it with -->");
			return other;
		}
		directive(p, open + 4, close, line);
		line += lp_count_lines(open, close);
		s = close + 3;
	}
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n')
			other = true;
	return other;
}

