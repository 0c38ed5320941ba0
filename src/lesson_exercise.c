/* lesson_exercise.c: the exercise directive (docs/lesson-format.md).
 *
 * <!-- yieldscope: exercise NAME --> opens an exercise; the prose after it
 * is the task, its first ```python block the starting code, its ```pycon
 * block the checks, and its second ```python block the reference
 * solution, which closes it. <!-- yieldscope: hint TEXT --> inside it adds
 * a hint. None of these blocks is a step of the lesson: the narration
 * waiting for the next step is set aside while the exercise is read. */
#include "config.h"

#include <string.h>

#include "lesson_int.h"

/* A name is what progress records: letters, digits, '_' and '-'. */
static bool good_name(const char *s, const char *end)
{
	if (s == end || end - s > 64)
		return false;
	for (; s < end; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

void lp_exercise_open(parser *p, const char *s, const char *end, int line)
{
	lesson *l = p->l;
	lesson_exercise *x;
	size_t i;

	s = lp_skip_space(s, end);
	end = lp_trim_end(s, end);
	if (p->ex) {
		lp_fail(p, line, "exercise inside an exercise: end the one at line %d "
		        "with its solution block first", p->ex->line);
		return;
	}
	if (!good_name(s, end)) {
		lp_fail(p, line, "bad exercise directive: write <!-- yieldscope: "
		        "exercise NAME --> (letters, digits, _ and -)");
		return;
	}
	for (i = 0; i < l->nexercises; i++)
		if (strlen(l->exercises[i].name) == (size_t)(end - s) &&
		    memcmp(l->exercises[i].name, s, (size_t)(end - s)) == 0) {
			lp_fail(p, line, "two exercises named '%.*s'", (int)(end - s), s);
			return;
		}
	if (p->py_pending) {
		lp_fail(p, line, "a python directive cannot govern an exercise");
		return;
	}
	x = ys_grow(l->exercises, l->nexercises, &p->capex, sizeof *x, 4);
	if (!x) {
		lp_fail_oom(p);
		return;
	}
	l->exercises = x;
	x = &l->exercises[l->nexercises++];
	memset(x, 0, sizeof *x);
	x->line = line;
	x->name = ys_strndup(s, (size_t)(end - s));
	if (!x->name) {
		lp_fail_oom(p);
		return;
	}
	p->ex = x;
	p->ex_stage = 0;
	/* The prose waiting is the next step's, not the task's. */
	p->ex_saved = p->narration;
	memset(&p->narration, 0, sizeof p->narration);
}

void lp_exercise_hint(parser *p, const char *s, const char *end, int line)
{
	lesson_exercise *x = p->ex;
	char **n;

	s = lp_skip_space(s, end);
	end = lp_trim_end(s, end);
	if (!x) {
		lp_fail(p, line, "'hint' directive outside an exercise");
		return;
	}
	if (s == end) {
		lp_fail(p, line, "empty hint: write <!-- yieldscope: hint TEXT -->");
		return;
	}
	n = ys_realloc(x->hints, (x->nhints + 1) * sizeof *n);
	if (!n) {
		lp_fail_oom(p);
		return;
	}
	x->hints = n;
	if (!(n[x->nhints] = ys_strndup(s, (size_t)(end - s)))) {
		lp_fail_oom(p);
		return;
	}
	x->nhints++;
}

/* The prose read since the last block joins the task. */
static void take_task(parser *p)
{
	lesson_exercise *x = p->ex;
	char *t;

	if (p->narration.len == 0)
		return;
	t = x->task ? ys_asprintf("%s\n\n%s", x->task, sb_cstr(&p->narration))
	            : ys_strdup(sb_cstr(&p->narration));
	sb_free(&p->narration);
	if (!t) {
		lp_fail_oom(p);
		return;
	}
	ys_free(x->task);
	x->task = t;
}

static char *code_of(parser *p, const char *lit, int line)
{
	size_t len = strlen(lit);
	const char *s;

	for (s = lit; *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : s + strlen(s), line++)
		if (strncmp(s, ">>> ", 4) == 0 || strncmp(s, ">>>\n", 4) == 0) {
			lp_fail(p, line, "%s", lp_outside_pycon);
			return NULL;
		}
	if (len > 0 && lit[len - 1] == '\n')
		len--;
	s = ys_strndup(lit, len);
	if (!s)
		lp_fail_oom(p);
	return (char *)s;
}

/* The check block's statements: parsed as steps of the lesson, then moved
 * out of it. */
static void checks(parser *p, const char *lit, int line)
{
	lesson_exercise *x = p->ex;
	lesson *l = p->l;
	size_t first = l->nsteps, i;
	bool predict = p->predict;
	char *section = p->section;

	p->predict = false;
	p->section = NULL;
	lp_pycon_block(p, lit, line);
	p->predict = predict;
	p->section = section;
	if (p->failed)
		return;
	x->nchecks = l->nsteps - first;
	if (x->nchecks == 0) {
		lp_fail(p, line, "an exercise's check block holds no statement");
		return;
	}
	x->checks = ys_calloc(x->nchecks, sizeof *x->checks);
	if (!x->checks) {
		for (i = first; i < l->nsteps; i++)
			lp_step_clear(&l->steps[i]);
		l->nsteps = first;
		x->nchecks = 0;
		lp_fail_oom(p);
		return;
	}
	memcpy(x->checks, l->steps + first, x->nchecks * sizeof *x->checks);
	l->nsteps = first;
}

bool lp_exercise_block(parser *p, const char *info, const char *lit, int line)
{
	lesson_exercise *x = p->ex;
	size_t word = strcspn(info, " \t");
	bool python = word == 6 && memcmp(info, "python", 6) == 0;
	bool pycon = word == 5 && memcmp(info, "pycon", 5) == 0;

	if (!python && !pycon)
		return false;
	take_task(p);
	if (p->failed)
		return true;
	if (p->ex_stage == 0 && python) {
		x->start = code_of(p, lit, line);
		x->start_line = line;
		p->ex_stage = 1;
	} else if (p->ex_stage == 1 && pycon) {
		checks(p, lit, line);
		p->ex_stage = 2;
	} else if (p->ex_stage == 2 && python) {
		x->solution = code_of(p, lit, line);
		x->solution_line = line;
		x->before_step = (int)p->l->nsteps;
		if (!x->task) {
			lp_fail(p, x->line, "exercise '%s' has no task: write what to "
			        "do after its directive", x->name);
			return true;
		}
		/* Closed: the prose set aside is the next step's again. */
		sb_free(&p->narration);
		p->narration = p->ex_saved;
		memset(&p->ex_saved, 0, sizeof p->ex_saved);
		p->ex = NULL;
	} else {
		/* At the fence: line is the block's first line of code. */
		lp_fail(p, line - 1, "exercise '%s': expected its %s", x->name,
		        p->ex_stage == 0 ? "starting code, a ```python block" :
		        p->ex_stage == 1 ? "checks, a ```pycon block" :
		        "reference solution, a ```python block");
	}
	return true;
}

void lp_exercise_finish(parser *p)
{
	if (p->ex)
		lp_fail(p, p->ex->line, "exercise '%s' is not finished: it needs "
		        "starting code, checks and a solution, in that order",
		        p->ex->name);
}

void lp_exercise_clear(lesson_exercise *x)
{
	size_t i;

	ys_free(x->name);
	ys_free(x->task);
	ys_free(x->start);
	ys_free(x->solution);
	for (i = 0; i < x->nchecks; i++)
		lp_step_clear(&x->checks[i]);
	ys_free(x->checks);
	for (i = 0; i < x->nhints; i++)
		ys_free(x->hints[i]);
	ys_free(x->hints);
}
