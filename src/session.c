/* session.c: the script of a lesson, free actions, history and replay. */
#include "config.h"

#include <string.h>

#include "compare.h"
#include "session.h"
#include "util.h"

struct session {
	lesson *lesson;
	engine *engine;
	size_t pos;             /* next scripted step */
	bool off_script;
	session_entry *entries;
	size_t count, cap;
	char *error;            /* message of the last ENGINE_ARG_ERROR */
	snap_step empty;        /* the state before any step */
};

/* The lesson as Python sees it: every code step at its own lines of the
 * lesson file, blank lines elsewhere, so that f_lineno, tracebacks and
 * linecache all speak of lines of the file the teacher wrote. */
static char *program_text(const lesson *l)
{
	strbuf sb = {0};
	int line = 1;
	size_t i;

	for (i = 0; i < l->nsteps; i++) {
		const lesson_step *st = &l->steps[i];

		if (st->kind != LESSON_CODE)
			continue;
		for (; line < st->line; line++)
			sb_appendc(&sb, '\n');
		sb_append(&sb, st->source);
		sb_appendc(&sb, '\n');
		for (const char *p = st->source; *p; p++)
			if (*p == '\n')
				line++;
		line++;
	}
	return sb_take(&sb);
}

/* A fresh namespace that knows the lesson's code. */
static int start(session *s)
{
	char *text = program_text(s->lesson);
	int rc = -1;

	if (text && engine_reset(s->engine) == 0 &&
	    engine_set_program(s->engine, s->lesson->path, text) == 0)
		rc = 0;
	ys_free(text);
	return rc;
}

session *session_new(lesson *l, engine *e)
{
	session *s = ys_calloc(1, sizeof *s);

	if (!s) {
		lesson_free(l);
		return NULL;
	}
	s->lesson = l;
	s->engine = e;
	if (start(s) < 0) {
		session_free(s);
		return NULL;
	}
	return s;
}

static void clear_entries(session *s)
{
	size_t i;

	for (i = 0; i < s->count; i++) {
		ys_free(s->entries[i].source);
		ys_free(s->entries[i].actual);
		snap_step_clear(&s->entries[i].result);
	}
	s->count = 0;
}

void session_free(session *s)
{
	if (!s)
		return;
	clear_entries(s);
	ys_free(s->entries);
	ys_free(s->error);
	lesson_free(s->lesson);
	ys_free(s);
}

const lesson *session_lesson(const session *s)
{
	return s->lesson;
}

size_t session_script_pos(const session *s)
{
	return s->pos;
}

const lesson_step *session_next_step(const session *s)
{
	return s->pos < s->lesson->nsteps ? &s->lesson->steps[s->pos] : NULL;
}

bool session_off_script(const session *s)
{
	return s->off_script;
}

const char *session_error(const session *s)
{
	return s->error;
}

size_t session_count(const session *s)
{
	return s->count;
}

const session_entry *session_entry_at(const session *s, size_t i)
{
	return i < s->count ? &s->entries[i] : NULL;
}

const snap_step *session_state(const session *s)
{
	return s->count ? &s->entries[s->count - 1].result : &s->empty;
}

/* Append a performed entry; the entry's strings move into the history. */
static int push(session *s, session_entry *en)
{
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		session_entry *v = ys_realloc(s->entries, cap * sizeof *v);

		if (!v)
			return -1;
		s->entries = v;
		s->cap = cap;
	}
	en->actual = compare_actual(en->result.output, en->result.exception);
	if (!en->actual)
		return -1;
	en->match = en->expected ? compare_match(en->expected, en->actual) : -1;
	s->entries[s->count++] = *en;
	return 0;
}

static void drop(session_entry *en)
{
	ys_free(en->source);
	ys_free(en->actual);
	snap_step_clear(&en->result);
}

/* Run what a lesson step or a free statement says, into en->result. */
static int run(session *s, session_entry *en, const lesson_drive *drive)
{
	if (en->kind == LESSON_CODE)
		return engine_run_code(s->engine, en->source, en->line, &en->result);
	if (drive && drive->kind != DRIVE_NONE)
		return engine_drive(s->engine, drive, &en->result);
	return engine_run_statement(s->engine, en->source, &en->result);
}

int session_step(session *s)
{
	const lesson_step *st = session_next_step(s);
	session_entry en = {0};
	int rc;

	if (!st)
		return 1;
	en.origin = ENTRY_SCRIPT;
	en.step = s->pos;
	en.kind = st->kind;
	en.line = st->line;
	en.expected = st->expected;
	en.source = ys_strdup(st->source);
	if (!en.source)
		return ENGINE_FAILED;
	rc = run(s, &en, &st->drive);
	/* In the script a bad expression is simply the step's exception, as
	 * it would be at Python's prompt. */
	if (rc == ENGINE_ARG_ERROR)
		rc = ENGINE_OK;
	if (rc != ENGINE_OK || push(s, &en) < 0) {
		drop(&en);
		return ENGINE_FAILED;
	}
	s->pos++;
	return ENGINE_OK;
}

/* Record a free action, or on ENGINE_ARG_ERROR keep only its message. */
static int free_action(session *s, session_entry *en, int rc)
{
	ys_free(s->error);
	s->error = NULL;
	if (rc == ENGINE_ARG_ERROR) {
		s->error = ys_strdup(en->result.exception ? en->result.exception
		                                          : "the expression failed");
		drop(en);
		return ENGINE_ARG_ERROR;
	}
	if (rc != ENGINE_OK || push(s, en) < 0) {
		drop(en);
		return ENGINE_FAILED;
	}
	s->off_script = true;
	return ENGINE_OK;
}

int session_drive(session *s, drive_kind kind, const char *target,
                  const char *arg)
{
	lesson_drive d = { kind, (char *)target, (char *)arg, NULL };
	session_entry en = {0};

	en.origin = ENTRY_FREE;
	en.kind = LESSON_STATEMENT;
	en.source = lesson_drive_statement(&d);
	if (!en.source)
		return ENGINE_FAILED;
	return free_action(s, &en, engine_drive(s->engine, &d, &en.result));
}

int session_run(session *s, const char *statement)
{
	session_entry en = {0};

	en.origin = ENTRY_FREE;
	en.kind = LESSON_STATEMENT;
	en.source = ys_strdup(statement);
	if (!en.source)
		return ENGINE_FAILED;
	return free_action(s, &en, engine_run_statement(s->engine, statement,
	                                                &en.result));
}

int session_replay(session *s)
{
	size_t target = s->pos;

	clear_entries(s);
	s->pos = 0;
	s->off_script = false;
	if (start(s) < 0)
		return ENGINE_FAILED;
	while (s->pos < target)
		if (session_step(s) != ENGINE_OK)
			return ENGINE_FAILED;
	return ENGINE_OK;
}
