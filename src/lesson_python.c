/* lesson_python.c: a lesson's variants per CPython version: the steps a
 * python directive limits to some versions, kept or dropped for one. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"

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
	v = lp_scan_version(&s, end);
	return s == end ? v : -1;
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

/* What the steps dropped for another version leave to the next step kept:
 * their shared prose, a prediction (what it is about) and the hints for
 * wrong answers. */
typedef struct {
	strbuf prose;
	bool predict;
	predict_kind kind;
	char *target;
	lesson_wrong *wrong;
	size_t nwrong;
} carried;

/* Take from st, a step dropped, what carries over, and clear it. */
static int carry_from(carried *cr, lesson_step *st)
{
	if (join_prose(&cr->prose, st->shared) < 0)
		return -1;
	cr->predict |= st->predict;
	/* What the prediction is about, and the hints for wrong answers, go
	 * with it. */
	if (st->predict && cr->kind == PREDICT_SHOWN) {
		cr->kind = st->predict_kind;
		cr->target = st->predict_target;
		st->predict_target = NULL;
	}
	if (st->nwrong && !cr->wrong) {
		cr->wrong = st->wrong;
		cr->nwrong = st->nwrong;
		st->wrong = NULL;
		st->nwrong = 0;
	}
	lp_step_clear(st);
	return 0;
}

/* Give st, the next step kept, what the dropped ones before it left. */
static int carry_into(carried *cr, lesson_step *st)
{
	if (prepend(&cr->prose, &st->narration) < 0)
		return -1;
	if (cr->predict && !st->predict) {
		st->predict_kind = cr->kind;
		st->predict_target = cr->target;
		cr->target = NULL;
	}
	cr->kind = PREDICT_SHOWN;
	ys_free(cr->target);
	cr->target = NULL;
	st->predict |= cr->predict;
	cr->predict = false;
	if (cr->wrong && !st->nwrong) {
		st->wrong = cr->wrong;
		st->nwrong = cr->nwrong;
		cr->wrong = NULL;
		cr->nwrong = 0;
	}
	return 0;
}

/* The program made again from the code steps kept, joined, each step's
 * code_line renumbered. */
static int rejoin_program(lesson *l)
{
	strbuf program = {0};
	int lines = 0;
	size_t i;

	for (i = 0; i < l->nsteps; i++) {
		lesson_step *st = &l->steps[i];
		if (st->kind != LESSON_CODE)
			continue;
		st->code_line = lines + 1;
		lines += lp_count_lines(st->source, st->source + strlen(st->source)) + 1;
		sb_append(&program, st->source);
		sb_appendc(&program, '\n');
	}
	if (program.failed) {
		sb_free(&program);
		return -1;
	}
	ys_free(l->program);
	l->program = program.len ? sb_take(&program) : ys_strdup("");
	sb_free(&program);
	return l->program ? 0 : -1;
}

int lesson_select_python(lesson *l, const char *version)
{
	int v = lesson_python_number(version), rc = -1;
	size_t i, k = 0, *first_kept = NULL;
	carried cr = { .kind = PREDICT_SHOWN };

	if (v < 0)
		return -1;
	first_kept = ys_calloc(l->nsteps + 1, sizeof *first_kept);
	if (!first_kept)
		return -1;
	for (i = 0; i < l->nsteps; i++) {
		lesson_step *st = &l->steps[i];

		first_kept[i] = k;
		if (st->py_min && (v < st->py_min || v > st->py_max)) {
			if (carry_from(&cr, st) < 0)
				goto out;
			continue;
		}
		if (carry_into(&cr, st) < 0)
			goto out;
		l->steps[k++] = *st;
	}
	first_kept[l->nsteps] = k;
	l->nsteps = k;
	if (prepend(&cr.prose, &l->closing) < 0)
		goto out;
	for (i = 0; i < l->nshown; i++)
		l->shown[i].before_step = (int)first_kept[l->shown[i].before_step];
	for (i = 0; i < l->nexercises; i++)
		l->exercises[i].before_step = (int)first_kept[l->exercises[i].before_step];
	/* The narration moved: its blocks follow. */
	rc = rejoin_program(l) == 0 && lp_narrate(l) == 0 ? 0 : -1;
out:
	lp_wrong_free(cr.wrong, cr.nwrong);
	ys_free(cr.target);
	sb_free(&cr.prose);
	ys_free(first_kept);
	return rc;
}
