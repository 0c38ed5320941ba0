/* session.c: the script of a lesson, free actions, history and replay. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compare.h"
#include "predict.h"
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
	bool line_stepping;
	unsigned right, wrong;  /* predictions scored */
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

/* A Python file played freely (not a lesson): its statements that run an
 * event loop pause at each callback, as a learner opening an asyncio.run()
 * program expects to see its tasks. A lesson scripts its own stepping
 * (run_one, or line stepping, l, which pauses at callbacks too). */
static bool loop_pauses(const session *s)
{
	size_t n = s->lesson->path ? strlen(s->lesson->path) : 0;

	return n > 3 && strcasecmp(s->lesson->path + n - 3, ".py") == 0;
}

/* Replays run at full speed: no line tracing, no callback pause (fast);
 * then back as the learner chose. */
static void set_pausing(session *s, bool fast)
{
	engine_set_line_stepping(s->engine, !fast && s->line_stepping);
	engine_set_loop_pauses(s->engine, !fast && loop_pauses(s));
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
	set_pausing(s, false);
	return s;
}

static void drop(session_entry *en)
{
	ys_free(en->source);
	ys_free(en->actual);
	ys_free(en->prediction);
	ys_free(en->hint);
	snap_step_clear(&en->result);
}

static void clear_entries(session *s)
{
	size_t i;

	for (i = 0; i < s->count; i++)
		drop(&s->entries[i]);
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

const session_entry *session_entries(const session *s)
{
	return s->entries;
}

long session_cards(session *s, size_t offset, size_t count, snap_gen **out, size_t *n)
{
	return engine_cards(s->engine, offset, count, out, n);
}

long session_disassemble(session *s, const char *label, engine_instr **out)
{
	return engine_disassemble(s->engine, label, out);
}

void session_interrupt(void)
{
	engine_interrupt();
}

const char *session_failure(const session *s)
{
	return engine_failure(s->engine);
}

/* ---- Bounded history ---------------------------------------------------------
 * Every entry keeps what the Console, --check and the score read (source,
 * output, value, exception, the summary counts). The detail of a step
 * (its cards, its hops, its line-stepping pauses) is what grows: a step
 * of a thousand hops over a hundred thousand generators holds about
 * 140 KB of it. So the detail is kept for the latest entries only, as
 * many as fit in HISTORY_DETAIL_BYTES (2 MB) and never fewer than
 * HISTORY_DETAIL_MIN (the hint compares a step with the one before);
 * older entries let theirs go, and ← shows them with their counts and
 * output but no cards or hops. Memory then stays flat however long the
 * session runs.
 */
#define HISTORY_DETAIL_BYTES ((size_t)2 << 20)
#define HISTORY_DETAIL_MIN 2

/* Bytes held by a string, malloc's bookkeeping included (roughly). */
static size_t str_bytes(const char *p)
{
	return p ? strlen(p) + 1 + 16 : 0;
}

static size_t locals_bytes(const snap_local *v, size_t n)
{
	size_t i, b = n * sizeof *v;

	for (i = 0; i < n; i++)
		b += str_bytes(v[i].name) + str_bytes(v[i].repr);
	return b;
}

static size_t gens_bytes(const snap_gen *v, size_t n)
{
	size_t i, b = n * sizeof *v;

	for (i = 0; i < n; i++)
		b += str_bytes(v[i].label) + str_bytes(v[i].function) +
		     str_bytes(v[i].filename) + str_bytes(v[i].delegate) +
		     locals_bytes(v[i].locals, v[i].nlocals);
	return b;
}

/* What a callback pause's loop holds: its tasks and queues. */
static size_t loop_bytes(const snap_loop *l)
{
	size_t i, j, b;

	if (!l)
		return 0;
	b = sizeof *l + (l->nready + l->ntimers) * (sizeof *l->ready + 48);
	for (i = 0; i < l->ntasks; i++) {
		const snap_task *t = &l->tasks[i];

		b += sizeof *t + str_bytes(t->name) + str_bytes(t->state) +
		     str_bytes(t->waits) + str_bytes(t->result) +
		     str_bytes(t->exception) + str_bytes(t->label);
		for (j = 0; j < t->nhops; j++)
			b += sizeof *t->hops + str_bytes(t->hops[j].function) +
			     str_bytes(t->hops[j].filename) + str_bytes(t->hops[j].kind);
	}
	return b;
}

/* What the detail of r (cards, hops, pauses) holds. */
static size_t detail_bytes(const snap_step *r)
{
	size_t i, j, b = gens_bytes(r->gens, r->ngens) + r->nevents * sizeof *r->events;

	for (i = 0; i < r->nevents; i++)
		b += str_bytes(r->events[i].label) + str_bytes(r->events[i].function) +
		     str_bytes(r->events[i].value);
	for (i = 0; i < r->npauses; i++) {
		const snap_pause *p = &r->pauses[i];

		b += sizeof *p + str_bytes(p->value) + gens_bytes(p->gens, p->ngens) +
		     loop_bytes(p->loop);
		for (j = 0; j < p->nstack; j++)
			b += sizeof *p->stack + str_bytes(p->stack[j].function) +
			     str_bytes(p->stack[j].label) + str_bytes(p->stack[j].filename) +
			     locals_bytes(p->stack[j].locals, p->stack[j].nlocals);
	}
	return b;
}

/* Let go of r's detail, keeping the rest. */
static void drop_detail(snap_step *r)
{
	snap_step detail = {0};

	detail.gens = r->gens;
	detail.ngens = r->ngens;
	detail.events = r->events;
	detail.nevents = r->nevents;
	detail.pauses = r->pauses;
	detail.npauses = r->npauses;
	snap_step_clear(&detail);
	r->gens = NULL;
	r->ngens = 0;
	r->events = NULL;
	r->nevents = 0;
	r->pauses = NULL;
	r->npauses = 0;
}

/* Keep the detail of the latest entries within the budget. Entries that
 * already let theirs go cost nothing to pass over. */
static void bound_history(session *s)
{
	size_t i = s->count, kept = 0, bytes = 0;
	bool full = false;

	while (i-- > 0) {
		snap_step *r = &s->entries[i].result;
		size_t b = detail_bytes(r);

		if (!b)
			continue;
		/* The latest ones that fit: past the first that does not, none. */
		if (full || (kept >= HISTORY_DETAIL_MIN && bytes + b > HISTORY_DETAIL_BYTES)) {
			full = true;
			drop_detail(r);
			continue;
		}
		bytes += b;
		kept++;
	}
}

/* Append a performed entry; the entry's strings move into the history. */
static int push(session *s, session_entry *en)
{
	session_entry *v = ys_grow(s->entries, s->count, &s->cap, sizeof *v, 32);

	if (!v)
		return -1;
	s->entries = v;
	en->actual = compare_actual(en->result.output, en->result.exception);
	if (!en->actual)
		return -1;
	en->match = en->expected ? compare_match(en->expected, en->actual) : -1;
	/* Out of memory while comparing is no verdict: say the step failed. */
	if (en->expected && en->match < 0)
		return -1;
	en->predicted = -1;
	en->right = s->right;
	en->wrong = s->wrong;
	s->entries[s->count++] = *en;
	bound_history(s);
	return 0;
}

/* Run what a lesson step or a free statement says, into out. */
static int run_into(session *s, const session_entry *en, const lesson_drive *drive,
                    snap_step *out)
{
	if (en->kind == LESSON_CODE)
		return engine_run_code(s->engine, en->source, en->line, out);
	if (drive && drive->kind != DRIVE_NONE)
		return engine_drive(s->engine, drive, out);
	return engine_run_statement(s->engine, en->source, out);
}

static int run(session *s, session_entry *en, const lesson_drive *drive)
{
	return run_into(s, en, drive, &en->result);
}

/* Run a step of the lesson, or one of an exercise's checks, into en:
 * its line, expected output and a copy of its source. A bad expression is
 * simply its exception, as it would be at Python's prompt. Returns what
 * run() does, or ENGINE_FAILED with en->source NULL when out of memory. */
static int run_lesson_step(session *s, session_entry *en, const lesson_step *st)
{
	int rc;

	en->line = st->line;
	en->expected = st->expected;
	en->source = ys_strdup(st->source);
	if (!en->source)
		return ENGINE_FAILED;
	rc = run(s, en, &st->drive);
	return rc == ENGINE_ARG_ERROR ? ENGINE_OK : rc;
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
	rc = run_lesson_step(s, &en, st);
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

int session_fresh_code(session *s, const char *filename, const char *code)
{
	session_entry en = {0};

	if (engine_reset(s->engine) < 0 ||
	    engine_set_program(s->engine, filename, code) < 0)
		return ENGINE_FAILED;
	en.origin = ENTRY_FREE;
	en.kind = LESSON_CODE;
	en.line = 1;
	en.source = ys_strdup(code);
	if (!en.source)
		return ENGINE_FAILED;
	return free_action(s, &en, engine_run_code(s->engine, code, 1, &en.result));
}

int session_check(session *s, const lesson_step *st)
{
	session_entry en = {0};
	int rc;

	en.origin = ENTRY_FREE;
	en.kind = LESSON_STATEMENT;
	rc = run_lesson_step(s, &en, st);
	if (rc == ENGINE_FAILED && !en.source)
		return ENGINE_FAILED;
	return free_action(s, &en, rc);
}

int session_replay_to(session *s, size_t target)
{
	int rc = ENGINE_OK;

	clear_entries(s);
	s->pos = 0;
	s->off_script = false;
	if (start(s) < 0)
		return ENGINE_FAILED;
	set_pausing(s, true);
	while (s->pos < target && s->pos < s->lesson->nsteps)
		if (session_step(s) != ENGINE_OK) {
			rc = ENGINE_FAILED;
			break;
		}
	set_pausing(s, false);
	return rc;
}

int session_replay(session *s)
{
	return session_replay_to(s, s->pos);
}

/* Perform entry en again, as it was performed the first time, into out. */
static int rerun(session *s, const session_entry *en, snap_step *out)
{
	lesson_drive d = {0};
	int rc;

	if (en->origin == ENTRY_SCRIPT)
		return run_into(s, en, &s->lesson->steps[en->step].drive, out);
	/* A free drive's source is lesson_drive_statement() of it, which
	 * parses back to the same drive; a statement typed at the prompt
	 * that reads as a drive behaves the same either way. */
	if (lesson_parse_drive(en->source, &d)) {
		rc = engine_drive(s->engine, &d, out);
		lesson_drive_clear(&d);
		return rc;
	}
	return engine_run_statement(s->engine, en->source, out);
}

int session_truncate(session *s, size_t k)
{
	size_t i;
	int rc = ENGINE_OK;

	if (k > s->count)
		k = s->count;
	for (i = k; i < s->count; i++)
		drop(&s->entries[i]);
	s->count = k;
	s->pos = 0;
	s->off_script = false;
	ys_free(s->error);
	s->error = NULL;
	if (start(s) < 0)
		return ENGINE_FAILED;
	set_pausing(s, true);
	for (i = 0; i < k && rc == ENGINE_OK; i++) {
		session_entry *en = &s->entries[i];
		snap_step r = {0};
		char *actual;

		rc = rerun(s, en, &r);
		/* An expression that failed before (scripted steps keep such a
		 * failure as their exception) fails the same way again. */
		if (rc == ENGINE_ARG_ERROR)
			rc = ENGINE_OK;
		actual = rc == ENGINE_OK ? compare_actual(r.output, r.exception) : NULL;
		if (!actual) {
			snap_step_clear(&r);
			rc = ENGINE_FAILED;
			break;
		}
		snap_step_clear(&en->result);
		en->result = r;
		ys_free(en->actual);
		en->actual = actual;
		en->match = en->expected ? compare_match(en->expected, en->actual) : -1;
		if (en->expected && en->match < 0) {
			rc = ENGINE_FAILED;
			break;
		}
		if (en->origin == ENTRY_SCRIPT)
			s->pos = en->step + 1;
		else
			s->off_script = true;
	}
	set_pausing(s, false);
	if (rc != ENGINE_OK) {
		/* Keep only what matches the namespace now. */
		size_t j;
		for (j = i; j < s->count; j++)
			drop(&s->entries[j]);
		s->count = i;
		return ENGINE_FAILED;
	}
	bound_history(s);
	return ENGINE_OK;
}

void session_set_line_stepping(session *s, bool on)
{
	s->line_stepping = on;
	engine_set_line_stepping(s->engine, on);
}

bool session_line_stepping(const session *s)
{
	return s->line_stepping;
}

/* ---- Predict, then see ------------------------------------------------------ */

/* The step an entry performed, or NULL for a free action. */
static const lesson_step *entry_step(const session *s, const session_entry *en)
{
	return en->origin == ENTRY_SCRIPT ? &s->lesson->steps[en->step] : NULL;
}

void session_score_by_kind(const session *s, unsigned right[PREDICT_KINDS],
                           unsigned wrong[PREDICT_KINDS])
{
	size_t i;

	memset(right, 0, PREDICT_KINDS * sizeof *right);
	memset(wrong, 0, PREDICT_KINDS * sizeof *wrong);
	for (i = 0; i < s->count; i++) {
		const session_entry *en = &s->entries[i];
		const lesson_step *st = entry_step(s, en);
		predict_kind k = st && st->predict ? st->predict_kind : PREDICT_SHOWN;

		if (en->predicted == 1)
			right[k]++;
		else if (en->predicted == 0)
			wrong[k]++;
	}
}

char *session_summary(const session *s)
{
	unsigned right[PREDICT_KINDS], wrong[PREDICT_KINDS], skipped = 0;
	char *sum, *all;
	size_t i;

	session_score_by_kind(s, right, wrong);
	for (i = 0; i < s->count; i++) {
		const lesson_step *st = entry_step(s, &s->entries[i]);
		if (st && st->predict && s->entries[i].predicted < 0)
			skipped++;
	}
	sum = predict_summary(right, wrong);
	/* Steps seen without predicting (Space alone) count too: a score of
	 * none would otherwise hide that the lesson asked. */
	if (!skipped)
		return sum;
	all = sum ? ys_asprintf("%s, %u skipped", sum, skipped)
	          : ys_asprintf("%u prediction%s skipped", skipped, skipped == 1 ? "" : "s");
	ys_free(sum);
	return all;
}

char **session_predict_choices(const session *s, size_t *n)
{
	return predict_choices(session_next_step(s), session_state(s), n);
}

void session_score(const session *s, unsigned *right, unsigned *wrong)
{
	*right = s->right;
	*wrong = s->wrong;
}

void session_set_score(session *s, unsigned right, unsigned wrong)
{
	s->right = right;
	s->wrong = wrong;
}

/* The drive an entry performed, when it was one; d is cleared after. */
static bool entry_drive(const session *s, const session_entry *en, lesson_drive *d)
{
	const lesson_drive *sd;

	memset(d, 0, sizeof *d);
	if (en->origin == ENTRY_SCRIPT) {
		sd = &s->lesson->steps[en->step].drive;
		if (sd->kind == DRIVE_NONE)
			return false;
		d->kind = sd->kind;
		d->target = ys_strdup(sd->target);
		d->arg = ys_strdup(sd->arg);
		d->assign = ys_strdup(sd->assign);
		if (!d->target) {
			lesson_drive_clear(d);
			return false;
		}
		return true;
	}
	return lesson_parse_drive(en->source, d);
}

static char *trimmed(const char *s)
{
	const char *e;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	return ys_strndup(s, (size_t)(e - s));
}

static bool same_word(const char *a, const char *b, size_t bn)
{
	return strlen(a) == bn && strncmp(a, b, bn) == 0;
}

/* Is answer (trimmed) what the entry showed, in one of the ways the
 * learner may say it? */
static bool prediction_right(const session_entry *en, const char *answer, bool drive)
{
	const snap_step *r = &en->result;
	bool right = false;

	if (!*answer || strcmp(answer, "nothing") == 0 ||
	    (drive && strcmp(answer, "None") == 0))
		/* Nothing shown (a drive that gives None shows nothing). */
		return en->actual[0] == '\0';
	if (compare_match(answer, en->actual) == 1)
		return true;
	if (r->value && compare_match(answer, r->value) == 1)
		return true;
	if (r->output && *r->output) {
		/* What was printed alone, without the echoed value. */
		size_t n = strlen(r->output), vn = r->value ? strlen(r->value) : 0;
		char *printed;
		if (r->value && n > vn && r->output[n - 1] == '\n' &&
		    strncmp(r->output + n - 1 - vn, r->value, vn) == 0 &&
		    (n - 1 - vn == 0 || r->output[n - 2 - vn] == '\n'))
			n -= vn + 1;
		printed = n ? ys_strndup(r->output, n) : NULL;
		right = printed && compare_match(answer, printed) == 1;
		ys_free(printed);
		if (right)
			return true;
	}
	if (r->exception) {
		/* The type alone, also without its module ("StopIteration"). */
		size_t tn = strcspn(r->exception, ":\n");
		const char *dot = memchr(r->exception, '.', tn), *last = r->exception;
		for (; dot; dot = memchr(last, '.', tn - (size_t)(last - r->exception)))
			last = dot + 1;
		if (same_word(answer, r->exception, tn) ||
		    same_word(answer, last, tn - (size_t)(last - r->exception)) ||
		    compare_match(answer, r->exception) == 1)
			return true;
	}
	return false;
}

/* A short, kind pointer to what on the screen explains the result. */
static char *hint_for(const session *s, size_t idx)
{
	const session_entry *en = &s->entries[idx];
	const snap_step *r = &en->result;
	const snap_step *before = idx ? &s->entries[idx - 1].result : &s->empty;
	const snap_gen *g = NULL;
	lesson_drive d;
	strbuf sb = {0};
	const char *exc = r->exception ? r->exception : "";
	bool drive = entry_drive(s, en, &d);

	if (drive)
		g = snap_find(before, d.target);
	if (drive && g) {
		const char *t = d.target;
		int line = g->line;

		if (strncmp(exc, "StopIteration", 13) == 0 && g->state == SNAP_CLOSED)
			sb_printf(&sb, "Look at the Heap: %s was CLOSED, and a finished generator "
			          "raises StopIteration at once.", t);
		else if (strncmp(exc, "StopIteration", 13) == 0)
			sb_printf(&sb, "%s reached its end instead of a yield, so StopIteration was "
			          "raised; the Channel shows the return.", t);
		else if (strncmp(exc, "TypeError", 9) == 0 && g->state == SNAP_CREATED)
			sb_printf(&sb, "Look at the Heap: %s was CREATED, not yet at a yield: only "
			          "next() or send(None) can start it.", t);
		else if (g->state == SNAP_CREATED && d.kind != DRIVE_THROW && d.kind != DRIVE_CLOSE)
			sb_printf(&sb, "Look at the Heap: %s was CREATED, so it runs from its first "
			          "line to the first yield, whose value comes back.", t);
		else if (g->state == SNAP_SUSPENDED && d.kind == DRIVE_SEND)
			sb_printf(&sb, "Look at the Heap: %s was SUSPENDED at line %d, so send resumes "
			          "it there; the next yield's value comes back.", t, line);
		else if (g->state == SNAP_SUSPENDED && d.kind == DRIVE_NEXT)
			sb_printf(&sb, "Look at the Heap: %s was SUSPENDED at line %d; next resumes it "
			          "there and the next yield's value comes back.", t, line);
		else if (g->state == SNAP_SUSPENDED && d.kind == DRIVE_THROW)
			sb_printf(&sb, "Look at the Heap: %s was SUSPENDED at line %d; throw raises the "
			          "exception there. Caught, the next yield's value comes back.", t, line);
		else if (d.kind == DRIVE_CLOSE)
			sb_printf(&sb, "close raises GeneratorExit where %s is paused; it finishes and "
			          "close returns None, shown as nothing.", t);
		else
			sb_printf(&sb, "Look at the Heap: %s was %s before the call; the Console shows "
			          "what came back.", t, snap_state_word(g->state));
		if (g->delegate && g->state == SNAP_SUSPENDED && !*exc)
			sb_append(&sb, " The Channel shows every hop.");
	} else if (r->ngens > before->ngens && !*exc) {
		sb_append(&sb, "Calling a generator function runs none of its body: the Heap "
		          "shows a new generator, CREATED.");
	} else if (*exc) {
		sb_append(&sb, "It raised: the Console shows the exception, the Heap where each "
		          "generator stood.");
	} else {
		sb_append(&sb, "The Console shows what it printed and gave back; the Heap where "
		          "each generator is paused.");
	}
	if (drive)
		lesson_drive_clear(&d);
	return sb_take(&sb);
}

/* The lesson's hint for this wrong answer, when it wrote one. */
static char *lesson_hint(const session *s, const session_entry *en, const char *answer)
{
	const lesson_step *st;
	size_t i;

	if (en->origin != ENTRY_SCRIPT)
		return NULL;
	st = &s->lesson->steps[en->step];
	for (i = 0; i < st->nwrong; i++)
		if (strcmp(st->wrong[i].answer, answer) == 0 ||
		    compare_match(st->wrong[i].answer, answer) == 1)
			return ys_strdup(st->wrong[i].hint);
	return NULL;
}

int session_predict(session *s, const char *answer)
{
	session_entry *en;
	lesson_drive d;
	bool drive;
	char *a, *generated = NULL;
	const lesson_step *st;

	if (s->count == 0)
		return -1;
	en = &s->entries[s->count - 1];
	/* A prediction is made once, before the result is seen. */
	if (en->predicted >= 0)
		return en->predicted;
	a = trimmed(answer ? answer : "");
	if (!a)
		return -1;
	drive = entry_drive(s, en, &d);
	if (drive)
		lesson_drive_clear(&d);
	ys_free(en->prediction);
	ys_free(en->hint);
	en->hint = NULL;
	en->prediction = a;
	st = entry_step(s, en);
	if (st && st->predict && st->predict_kind != PREDICT_SHOWN ?
	    predict_generator(st, s->count > 1 ? &s->entries[s->count - 2].result : &s->empty,
	                      &en->result, a, &generated) :
	    prediction_right(en, a, drive)) {
		en->predicted = 1;
		s->right++;
	} else {
		en->predicted = 0;
		s->wrong++;
		en->hint = lesson_hint(s, en, a);
		if (!en->hint && generated) {
			en->hint = generated;
			generated = NULL;
		}
		if (!en->hint)
			en->hint = hint_for(s, s->count - 1);
	}
	ys_free(generated);
	en->right = s->right;
	en->wrong = s->wrong;
	return en->predicted;
}
