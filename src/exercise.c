/* exercise.c: an exercise's code against its checks (see exercise.h). */
#include "config.h"

#include "exercise.h"
#include "util.h"

char *exercise_filename(const lesson_exercise *x)
{
	return ys_asprintf("<exercise %s>", x->name);
}

int exercise_try(session *s, const lesson_exercise *x, const char *code,
                 exercise_result *r)
{
	char *file = exercise_filename(x);
	const session_entry *en;
	size_t i;
	int rc;

	*r = (exercise_result){0};
	if (!file)
		return ENGINE_FAILED;
	r->first = session_count(s);
	rc = session_fresh_code(s, file, code);
	ys_free(file);
	if (rc != ENGINE_OK)
		return ENGINE_FAILED;
	en = session_entry_at(s, r->first);
	r->code_raised = en->result.exception != NULL;
	/* Every check runs even after one failed: the learner sees them all,
	 * and a later check may be the one that explains the first. */
	for (i = 0; i < x->nchecks; i++) {
		if (session_check(s, &x->checks[i]) != ENGINE_OK)
			return ENGINE_FAILED;
		r->nchecks++;
		if (session_entry_at(s, session_count(s) - 1)->match == 1)
			r->passed++;
	}
	return ENGINE_OK;
}

bool exercise_solved(const exercise_result *r)
{
	return !r->code_raised && r->nchecks > 0 && r->passed == r->nchecks;
}

const session_entry *exercise_check_entry(const session *s,
                                          const exercise_result *r, size_t i)
{
	return session_entry_at(s, r->first + 1 + i);
}

int exercise_available(const lesson *l, size_t pos)
{
	int found = -1;
	size_t i;

	for (i = 0; i < l->nexercises; i++)
		if ((size_t)l->exercises[i].before_step <= pos)
			found = (int)i;
	return found;
}
