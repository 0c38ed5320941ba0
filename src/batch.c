/* batch.c: --play and --check (see batch.h). */
#include "config.h"

#include <stdio.h>

#include "batch.h"
#include "compare.h"
#include "html.h"
#include "lesson.h"
#include "session.h"
#include "transcript.h"
#include "util.h"

void batch_report(FILE *err, const char *path, int line, const char *message)
{
	if (line > 0)
		fprintf(err, "%s:%d: %s\n", path, line, message);
	else
		fprintf(err, "%s: %s\n", path, message);
}

/* The lesson at path with the statements dos after it, or NULL (said why). */
static lesson *load_with(const char *path, char *const *dos, size_t ndo, FILE *err)
{
	lesson_error le;
	/* Lessons keep the variants of the CPython embedded here only. */
	lesson *l = lesson_load_for(path, engine_python_version(), &le);
	size_t i;

	if (!l) {
		batch_report(err, le.path, le.line, le.message);
		return NULL;
	}
	for (i = 0; i < ndo; i++) {
		if (lesson_add_statement(l, dos[i]) < 0) {
			fprintf(err, "yieldscope: out of memory\n");
			lesson_free(l);
			return NULL;
		}
	}
	return l;
}

/* A session on the lesson at path (with dos after it), or NULL (said why). */
static session *open_session(engine *e, const char *path, char *const *dos, size_t ndo,
                             FILE *err)
{
	lesson *l = load_with(path, dos, ndo, err);
	session *s;

	if (!l)
		return NULL;
	s = session_new(l, e);
	if (!s)
		fprintf(err, "yieldscope: out of memory\n");
	return s;
}

/* Every step, each written as it is done. Returns 0, 2 when a step could
 * not be completed, or -1 when the output was cut short. */
static int play_steps(engine *e, session *s, batch_format format, FILE *out, FILE *err)
{
	const lesson *l = session_lesson(s);
	size_t i;

	if (format == BATCH_TEXT && transcript_text_header(out, l) < 0)
		return -1;
	if (format == BATCH_HTML && html_header(out, l) < 0)
		return -1;
	for (i = 0; session_next_step(s); i++) {
		const session_entry *en;
		int w;

		if (session_step(s) != ENGINE_OK) {
			fprintf(err, "yieldscope: step %zu could not be completed: "
			        "%s\n", i + 1, engine_failure(e));
			return 2;
		}
		en = session_entry_at(s, session_count(s) - 1);
		w = format == BATCH_JSON ? transcript_json_entry(out, en, i + 1)
		  : format == BATCH_HTML ? html_entry(out, l, en, i + 1, l->nsteps)
		  : transcript_text_entry(out, l, en, i + 1, l->nsteps);
		fflush(out);
		if (w < 0)
			return -1;
	}
	if (format == BATCH_TEXT && transcript_text_footer(out, l) < 0)
		return -1;
	if (format == BATCH_HTML && html_footer(out, l) < 0)
		return -1;
	return 0;
}

int batch_play(engine *e, const char *path, bool json, char *const *dos, size_t ndo,
               FILE *out, FILE *err)
{
	return batch_play_as(e, path, json ? BATCH_JSON : BATCH_TEXT, dos, ndo, out, err);
}

int batch_play_as(engine *e, const char *path, batch_format format, char *const *dos,
                  size_t ndo, FILE *out, FILE *err)
{
	session *s = open_session(e, path, dos, ndo, err);
	int rc;

	if (!s)
		return 2;
	rc = play_steps(e, s, format, out, err);
	if (rc < 0) {
		fprintf(err, "yieldscope: the transcript was cut short: %s\n",
		        ferror(out) ? "it cannot be written" : "out of memory");
		rc = 2;
	}
	session_free(s);
	return rc;
}

/* Score entry en of lesson l (at path): a diff to out for a failure. */
static void check_entry(const char *path, const lesson *l, const session_entry *en,
                        int *passed, int *failed, FILE *out)
{
	const char *expected = en->expected;
	char *diff;

	if (en->kind == LESSON_CODE) {
		if (!en->result.exception)
			return;
		expected = "";
	} else if (en->match < 0) {
		return;
	}
	if (en->kind == LESSON_STATEMENT && en->match == 1) {
		(*passed)++;
		return;
	}
	(*failed)++;
	diff = compare_diff(path, en->kind == LESSON_CODE ? en->line
	                    : l->steps[en->step].expected_line,
	                    expected, en->kind == LESSON_CODE ? en->result.exception : en->actual);
	if (diff) {
		fputs(diff, out);
		ys_free(diff);
	}
}

/* One lesson; adds to the counts. Returns 0, or 2 when it cannot be read
 * or run. */
static int check_one(engine *e, const char *path, int *passed, int *failed,
                     FILE *out, FILE *err)
{
	session *s = open_session(e, path, NULL, 0, err);
	size_t i;

	if (!s)
		return 2;
	while (session_next_step(s)) {
		if (session_step(s) != ENGINE_OK) {
			fprintf(err, "%s: the engine failed: %s\n", path,
			        engine_failure(e));
			session_free(s);
			return 2;
		}
	}
	for (i = 0; i < session_count(s); i++)
		check_entry(path, session_lesson(s), session_entry_at(s, i), passed, failed, out);
	session_free(s);
	return 0;
}

int batch_check(engine *e, char *const *paths, size_t n, FILE *out, FILE *err)
{
	int passed = 0, failed = 0;
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		if (check_one(e, paths[i], &passed, &failed, out, err) != 0)
			bad++;
	fprintf(out, "%d passed, %d failed\n", passed, failed);
	if (bad)
		return 2;
	return failed ? 1 : 0;
}
