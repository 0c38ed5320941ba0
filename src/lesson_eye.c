/* lesson_eye.c: the directives that direct the learner's eye while a
 * step's narration is shown: select G, highlight card|hop|line, panes
 * (docs/lesson-format.md, "Directing the eye"), recorded in the parser
 * for the next step. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"
#include "util.h"

void lp_eye_clear(lesson_eye *e)
{
	ys_free(e->select);
	ys_free(e->card);
	ys_free(e->hop);
	memset(e, 0, sizeof *e);
}

/* The words of s..end, blanks around them dropped, as a new string; NULL
 * when there are none (or out of memory, p then failed). */
static char *rest_word(parser *p, const char *s, const char *end)
{
	s = lp_skip_space(s, end);
	end = lp_trim_end(s, end);
	if (s == end)
		return NULL;
	{
		char *w = ys_strndup(s, (size_t)(end - s));
		if (!w)
			lp_fail_oom(p);
		return w;
	}
}

/* "select G": the next step's narration is shown with G selected. */
static void select_directive(parser *p, const char *s, const char *end, int line)
{
	char *g = rest_word(p, s, end);

	if (!g) {
		if (!p->failed)
			lp_fail(p, line, "bad select directive: write select G (G a generator's label)");
		return;
	}
	ys_free(p->eye.select);
	p->eye.select = g;
}

/* "highlight card G", "highlight hop G" or "highlight line N". */
static void highlight_directive(parser *p, const char *s, const char *end, int line)
{
	const char *w;
	char *arg, **slot = NULL;

	w = lp_skip_space(s, end);
	for (s = w; s < end && *s != ' ' && *s != '\t' && *s != '\n'; s++)
		;
	arg = rest_word(p, s, end);
	if (p->failed)
		return;
	if (arg && s - w == 4 && memcmp(w, "card", 4) == 0)
		slot = &p->eye.card;
	else if (arg && s - w == 3 && memcmp(w, "hop", 3) == 0)
		slot = &p->eye.hop;
	if (slot) {
		ys_free(*slot);
		*slot = arg;
		return;
	}
	if (arg && s - w == 4 && memcmp(w, "line", 4) == 0 && atoi(arg) > 0 &&
	    strspn(arg, "0123456789") == strlen(arg)) {
		p->eye.line = atoi(arg);
		ys_free(arg);
		return;
	}
	ys_free(arg);
	lp_fail(p, line, "bad highlight directive: write highlight card G, highlight hop G "
	        "or highlight line N");
}

/* "panes P...": the panes a small screen shows beside Source for the
 * next step, among Console, Heap and Channel (one or two). */
static void panes_directive(parser *p, const char *s, const char *end, int line)
{
	static const char *const names[] = { "Console", "Heap", "Channel" };
	unsigned bits = 0;
	int n = 0;

	for (;;) {
		const char *w;
		size_t k;
		s = lp_skip_space(s, end);
		if (s == end)
			break;
		for (w = s; s < end && *s != ' ' && *s != '\t' && *s != '\n'; s++)
			;
		for (k = 0; k < 3; k++)
			if ((size_t)(s - w) == strlen(names[k]) && memcmp(w, names[k], (size_t)(s - w)) == 0)
				break;
		if (k == 3 || (bits & (1u << k))) {
			bits = 0;
			break;
		}
		bits |= 1u << k;
		n++;
	}
	if (bits == 0 || n > 2) {
		lp_fail(p, line, "bad panes directive: write panes and one or two of Console, "
		        "Heap, Channel");
		return;
	}
	p->eye.panes = bits;
}

bool lp_eye_directive(parser *p, const char *w, size_t wn, const char *s, const char *end,
                      int line)
{
	if (wn == 6 && memcmp(w, "select", 6) == 0)
		select_directive(p, s, end, line);
	else if (wn == 9 && memcmp(w, "highlight", 9) == 0)
		highlight_directive(p, s, end, line);
	else if (wn == 5 && memcmp(w, "panes", 5) == 0)
		panes_directive(p, s, end, line);
	else
		return false;
	return true;
}
