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

int lesson_select_python(lesson *l, const char *version)
{
	int v = lesson_python_number(version), lines = 0, rc = -1;
	size_t i, k = 0, *first_kept = NULL;
	strbuf carry = {0}, program = {0};
	bool predict = false;
	lesson_wrong *wrong = NULL;
	size_t nwrong = 0;
	predict_kind pkind = PREDICT_SHOWN;
	char *ptarget = NULL;

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
			/* What the prediction is about, and the hints for
			 * wrong answers, go with it. */
			if (st->predict && pkind == PREDICT_SHOWN) {
				pkind = st->predict_kind;
				ptarget = st->predict_target;
				st->predict_target = NULL;
			}
			if (st->nwrong && !wrong) {
				wrong = st->wrong;
				nwrong = st->nwrong;
				st->wrong = NULL;
				st->nwrong = 0;
			}
			lp_step_clear(st);
			continue;
		}
		if (prepend(&carry, &st->narration) < 0)
			goto out;
		if (predict && !st->predict) {
			st->predict_kind = pkind;
			st->predict_target = ptarget;
			ptarget = NULL;
		}
		pkind = PREDICT_SHOWN;
		ys_free(ptarget);
		ptarget = NULL;
		st->predict |= predict;
		predict = false;
		if (wrong && !st->nwrong) {
			st->wrong = wrong;
			st->nwrong = nwrong;
			wrong = NULL;
			nwrong = 0;
		}
		l->steps[k++] = *st;
	}
	first_kept[l->nsteps] = k;
	l->nsteps = k;
	if (prepend(&carry, &l->closing) < 0)
		goto out;
	for (i = 0; i < l->nshown; i++)
		l->shown[i].before_step = (int)first_kept[l->shown[i].before_step];
	for (i = 0; i < l->nexercises; i++)
		l->exercises[i].before_step = (int)first_kept[l->exercises[i].before_step];
	/* The program is the code steps kept, joined. */
	for (i = 0; i < l->nsteps; i++) {
		lesson_step *st = &l->steps[i];
		if (st->kind != LESSON_CODE)
			continue;
		st->code_line = lines + 1;
		lines += lp_count_lines(st->source, st->source + strlen(st->source)) + 1;
		sb_append(&program, st->source);
		sb_appendc(&program, '\n');
	}
	if (program.failed)
		goto out;
	ys_free(l->program);
	l->program = program.len ? sb_take(&program) : ys_strdup("");
	/* The narration moved: its blocks follow. */
	rc = l->program && lp_narrate(l) == 0 ? 0 : -1;
out:
	lp_wrong_free(wrong, nwrong);
	ys_free(ptarget);
	sb_free(&carry);
	sb_free(&program);
	ys_free(first_kept);
	return rc;
}

