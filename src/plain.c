/* plain.c: --plain (see plain.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "lesson.h"
#include "narration.h"
#include "plain.h"
#include "predict.h"
#include "session.h"
#include "snapshot.h"
#include "transcript.h"
#include "util.h"

typedef struct {
	session *s;
	FILE *in, *out;
	char *selected;         /* label of the generator n, s, t, c drive */
} plain;

static const char help_text[] =
	"Commands, one a line (the terminal UI's keys):\n"
	"  Enter or space   perform the next step of the lesson\n"
	"  n                next() on the selected generator\n"
	"  s VALUE          send VALUE to it\n"
	"  t EXCEPTION      throw EXCEPTION into it\n"
	"  c                close it\n"
	"  o                run one callback of the event loop shown\n"
	"  u [TASK]         run its callbacks until TASK resumes (the first\n"
	"                   pending task listed, when none is named)\n"
	"  x [TASK]         cancel TASK (the first pending one, when none)\n"
	"  tab, or g LABEL  select the next generator, or the one named LABEL\n"
	"  : STATEMENT      run a Python statement (a driving one drives)\n"
	"  left, or b       go back one action\n"
	"  r                replay the lesson up to where the script stood\n"
	"  w                say where every generator and task stands\n"
	"  ?                this list\n"
	"  q                quit\n";

/* ---- Saying things ---------------------------------------------------------------- */

/* Every line of text, each after prefix. */
static void say_lines(FILE *out, const char *prefix, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");
		fprintf(out, "%s%.*s\n", prefix, (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void say_narration(FILE *out, const narration *n)
{
	size_t i, j;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		const narr_block *b = &n->blocks[i];

		if (b->kind == NB_ITEM)
			fprintf(out, "%*s%s ", 2 * b->level, "", b->marker);
		else if (b->kind == NB_QUOTE)
			fputs("Quote: ", out);
		for (j = 0; j < b->nspans; j++)
			fputs(b->spans[j].text, out);
		fputc('\n', out);
	}
}

static void say_gen(FILE *out, const char *lead, const snap_gen *g)
{
	fprintf(out, "%s%s, %s %s(), %s", lead, g->label, snap_kind_name(g->kind),
	        g->function, snap_state_name(g->kind, g->state));
	if (g->line > 0)
		fprintf(out, " at line %d", g->line);
	if (g->delegate)
		fprintf(out, ", delegating to %s", g->delegate);
	fputc('\n', out);
}

/* The next step of the script, said before it runs. */
static void announce(plain *p)
{
	const lesson *l = session_lesson(p->s);
	size_t pos = session_script_pos(p->s);
	const lesson_step *st = session_next_step(p->s);

	if (!st) {
		char *sum = session_summary(p->s);
		fprintf(p->out, "End of the lesson%s%s. Type : and a statement to go on, or q.\n",
		        sum ? ": " : "", sum ? sum : "");
		ys_free(sum);
		say_narration(p->out, l->closing_narr);
		return;
	}
	fprintf(p->out, "\nStep %zu of %zu%s%s\n", pos + 1, l->nsteps,
	        st->section ? ", " : "", st->section ? st->section : "");
	say_narration(p->out, st->narr);
	if (st->kind == LESSON_CODE) {
		fprintf(p->out, "Code, from line %d:\n", st->line);
		say_lines(p->out, "  ", st->source);
	} else {
		fprintf(p->out, "Statement: %s\n", st->source);
	}
	if (st->predict)
		fprintf(p->out, "This step asks for a prediction.\n");
}

/* The locals of g that are new or hold another value than in b, on one
 * line. Returns whether there were any. */
static bool say_locals(FILE *out, const snap_gen *b, const snap_gen *g)
{
	size_t i, j, n = 0;

	for (i = 0; i < g->nlocals; i++) {
		const snap_local *v = &g->locals[i];

		for (j = 0; j < b->nlocals; j++)
			if (strcmp(b->locals[j].name, v->name) == 0)
				break;
		if (j < b->nlocals && strcmp(b->locals[j].repr, v->repr) == 0)
			continue;
		if (n++ == 0)
			fprintf(out, "  %s: ", g->label);
		else
			fputs(", ", out);
		fprintf(out, "%s = %s", v->name, v->repr);
	}
	if (n)
		fputc('\n', out);
	return n > 0;
}

/* What changed from before to now: generators made, gone, moved. */
static void say_changes(FILE *out, const snap_step *before, const snap_step *now)
{
	size_t i;
	bool any = false;

	for (i = 0; i < now->ngens; i++) {
		const snap_gen *g = &now->gens[i];
		const snap_gen *b = snap_find(before, g->label);

		if (!b) {
			say_gen(out, "  New: ", g);
		} else if (b->state != g->state) {
			fprintf(out, "  %s: %s, was %s", g->label, snap_state_name(g->kind, g->state),
			        snap_state_name(b->kind, b->state));
			if (g->line > 0)
				fprintf(out, ", now at line %d", g->line);
			fputc('\n', out);
		} else if (b->line != g->line && g->line > 0) {
			fprintf(out, "  %s: still %s, now at line %d (was %d)\n", g->label,
			        snap_state_name(g->kind, g->state), g->line, b->line);
		} else if (!say_locals(out, b, g)) {
			continue;
		}
		any = true;
	}
	for (i = 0; i < before->ngens; i++) {
		if (!snap_find(now, before->gens[i].label)) {
			fprintf(out, "  Gone: %s\n", before->gens[i].label);
			any = true;
		}
	}
	if (!any)
		fprintf(out, "  No generator changed.\n");
}

/* The values that travelled, hop by hop. */
static void say_hops(FILE *out, const snap_step *r)
{
	size_t i;

	if (r->nevents == 0)
		return;
	fprintf(out, "Hops:\n");
	for (i = 0; i < r->nevents; i++) {
		const snap_event *ev = &r->events[i];
		const char *who = ev->label ? ev->label : ev->function;
		const char *how = snap_how_name(ev->how);

		fprintf(out, "  %*s%s %s", 2 * ev->depth, "", snap_event_name(ev->event), who);
		if (ev->event == SNAP_EV_RESUME && how)
			fprintf(out, ", by %s", how);
		if (ev->value)
			fprintf(out, ", %s %s", ev->event == SNAP_EV_RESUME ? "receiving"
			        : ev->event == SNAP_EV_YIELD ? "yielding"
			        : ev->event == SNAP_EV_RETURN ? "returning" : "raising", ev->value);
		if (ev->line > 0)
			fprintf(out, " (line %d)", ev->line);
		fputc('\n', out);
	}
}

/* A task on one line: its state, where its coroutine is, what it waits
 * for or how it ended. */
static void say_task(FILE *out, const char *lead, const snap_task *t)
{
	fprintf(out, "%s%s, %s", lead, t->name ? t->name : "?", t->state ? t->state : "?");
	if (t->nhops && t->hops[0].filename && t->hops[0].line > 0)
		fprintf(out, ", %s() at line %d", t->hops[0].function, t->hops[0].line);
	if (t->waits)
		fprintf(out, ", waits for %s", t->waits);
	if (t->result)
		fprintf(out, ", result %s", t->result);
	if (t->exception)
		fprintf(out, ", raised %s", t->exception);
	fputc('\n', out);
}

static const snap_task *task_by_id(const snap_step *st, unsigned long long id)
{
	size_t i;

	for (i = 0; i < st->ntasks; i++)
		if (st->tasks[i].id == id)
			return &st->tasks[i];
	return NULL;
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The first callback of the ready queue: what o runs next. */
static void say_next_callback(FILE *out, const snap_step *now)
{
	const snap_callback *c = now->nready ? &now->ready[0] : NULL;

	if (!c) {
		fprintf(out, "  Ready queue empty%s\n", now->total_timers ? "; o waits for "
		        "the first timer" : "");
		return;
	}
	fprintf(out, "  Next in the ready queue (%zu): %s", now->total_ready,
	        c->callback ? c->callback : "?");
	if (c->task)
		fprintf(out, " %s %s", c->callback && strncmp(c->callback, "Task.", 5) == 0
		        ? "of" : "for", c->task);
	fputc('\n', out);
}

/* After a step that used an event loop: the tasks that changed, by id,
 * and what the loop runs next. */
static void say_tasks(FILE *out, const snap_step *before, const snap_step *now)
{
	size_t i;
	bool any = false;

	if (!now->loop_used)
		return;
	fprintf(out, "Tasks (virtual clock %.3f s):\n", now->loop_time);
	if (now->resumed_task)
		fprintf(out, "  The loop resumed %s first.\n", now->resumed_task);
	for (i = 0; i < now->nblocked; i++)
		fprintf(out, "  %s%s blocked the loop for %.1f s of real time "
		        "(not on the virtual clock).\n",
		        now->blocked[i].task ? now->blocked[i].task : "callback ",
		        now->blocked[i].task ? "" : now->blocked[i].callback ?
		        now->blocked[i].callback : "?", now->blocked[i].when);
	for (i = 0; i < now->ntasks; i++) {
		const snap_task *t = &now->tasks[i], *b = task_by_id(before, t->id);

		if (b && same_text(b->state, t->state) && same_text(b->waits, t->waits) &&
		    (b->nhops ? b->hops[0].line : -1) == (t->nhops ? t->hops[0].line : -1))
			continue;
		say_task(out, b ? "  " : "  New: ", t);
		any = true;
	}
	if (!any)
		fprintf(out, now->ntasks ? "  No task changed.\n" : "  No tasks.\n");
	say_next_callback(out, now);
}

/* The latest entry: its result and what changed since before. */
static void describe(plain *p, const snap_step *before)
{
	const session_entry *en = session_entry_at(p->s, session_count(p->s) - 1);
	const snap_step *r = &en->result;

	fprintf(p->out, "Ran: %s\n", en->kind == LESSON_CODE ? "the code" : en->source);
	if (r->output && *r->output) {
		fprintf(p->out, "Printed:\n");
		say_lines(p->out, "  ", r->output);
	}
	if (r->value)
		fprintf(p->out, "Value: %s\n", r->value);
	if (r->exception)
		fprintf(p->out, "Raised: %s\n", r->exception);
	if (r->note)
		fprintf(p->out, "Note: %s\n", r->note);
	if (en->predicted >= 0)
		fprintf(p->out, "Your prediction was %s.%s%s\n", en->predicted ? "right" : "wrong",
		        en->hint ? " " : "", en->hint ? en->hint : "");
	if (en->match == 0)
		fprintf(p->out, "This differs from what the lesson expects:\n%s", en->expected);
	fprintf(p->out, "Changes:\n");
	say_changes(p->out, before, r);
	say_hops(p->out, r);
	/* One's own asyncio.run(), as --play writes it: callback by callback. */
	transcript_text_callbacks(p->out, r);
	say_tasks(p->out, before, r);
}

/* ---- Doing things ----------------------------------------------------------------- */

/* The selected generator's label, kept valid: the first card when the
 * selection is gone. NULL when there is none. */
static const char *selected(plain *p)
{
	const snap_step *st = session_state(p->s);

	if (p->selected && snap_find(st, p->selected))
		return p->selected;
	ys_set_str(&p->selected, st->ngens ? st->gens[0].label : NULL);
	return p->selected;
}

static void select_next(plain *p)
{
	const snap_step *st = session_state(p->s);
	const char *cur = selected(p);
	size_t i;

	if (!cur) {
		fprintf(p->out, "No generator to select.\n");
		return;
	}
	for (i = 0; i < st->ngens; i++)
		if (strcmp(st->gens[i].label, cur) == 0)
			break;
	ys_set_str(&p->selected, st->gens[(i + 1) % st->ngens].label);
	say_gen(p->out, "Selected: ", snap_find(st, p->selected));
}

/* The state after entry count-1, which the latest entry is compared
 * with: nothing before the first. Taken after the action, by index, as
 * the entries move when the history grows. */
static void describe_after(plain *p, size_t count)
{
	snap_step none;

	memset(&none, 0, sizeof none);
	describe(p, count > 0 ? &session_entry_at(p->s, count - 1)->result : &none);
}

/* What an action that returned rc says: why it was not done, or the
 * state after it (count: the entries before it). Returns false when the
 * engine failed. */
static bool performed(plain *p, int rc, size_t count)
{
	if (rc == ENGINE_ARG_ERROR) {
		fprintf(p->out, "Not done: %s\n", session_error(p->s));
		return true;
	}
	if (rc != ENGINE_OK)
		return false;
	describe_after(p, count);
	return true;
}

/* Run a drive (kind), or a statement (kind < 0), and describe it.
 * Returns false when the engine failed. */
static bool perform(plain *p, int kind, const char *arg)
{
	size_t count = session_count(p->s);
	const char *target = selected(p);
	char *keep = NULL;
	int rc;

	if (kind < 0) {
		rc = session_run(p->s, arg);
	} else if (!target) {
		fprintf(p->out, "No generator to drive: run a step first.\n");
		return true;
	} else {
		keep = ys_strdup(target);
		rc = session_drive(p->s, (drive_kind)kind, keep, arg);
	}
	ys_free(keep);
	return performed(p, rc, count);
}

/* The question of step st's prediction, with the answers to choose
 * from when it has some. */
static void ask(plain *p, const lesson_step *st)
{
	size_t n = 0, i;
	char **c = session_predict_choices(p->s, &n);
	char *q = predict_question(st);

	fputs(q ? q : "Predict", p->out);
	ys_free(q);
	for (i = 0; i < n; i++)
		fprintf(p->out, "%s%s", i == 0 ? " (" : i + 1 < n ? ", " : " or ", c[i]);
	fprintf(p->out, "%s: ", n ? ")" : " (one line)");
	predict_choices_free(c, n);
}

/* A step, with the prediction taken first when it asks for one. */
static bool step(plain *p)
{
	const lesson_step *st = session_next_step(p->s);
	char *answer = NULL;
	size_t cap = 0;

	if (!st) {
		fprintf(p->out, "The lesson has no more steps.\n");
		return true;
	}
	if (st->predict) {
		ask(p, st);
		fflush(p->out);
		if (getline(&answer, &cap, p->in) < 0)
			ys_set_str(&answer, "");
		else if (!isatty(fileno(p->in)))
			fputs(answer, p->out);
		answer[strcspn(answer, "\n")] = '\0';
	}
	if (session_step(p->s) != ENGINE_OK) {
		free(answer);
		return false;
	}
	if (answer)
		session_predict(p->s, answer);
	free(answer);
	describe_after(p, session_count(p->s) - 1);
	announce(p);
	return true;
}

static void say_state(plain *p)
{
	const snap_step *st = session_state(p->s);
	size_t i;

	if (st->ngens == 0)
		fprintf(p->out, "No generators.\n");
	for (i = 0; i < st->ngens; i++)
		say_gen(p->out, "  ", &st->gens[i]);
	if (st->total_gens > st->ngens)
		fprintf(p->out, "  ... and %zu more\n", st->total_gens - st->ngens);
	if (!st->loop_used)
		return;
	for (i = 0; i < st->ntasks; i++)
		say_task(p->out, "  Task ", &st->tasks[i]);
	if (st->total_tasks > st->ntasks)
		fprintf(p->out, "  ... and %zu more tasks\n", st->total_tasks - st->ntasks);
	say_next_callback(p->out, st);
}

/* The first pending task listed that the lesson can name, else NULL. */
static const char *first_task(const snap_step *st)
{
	size_t i;

	for (i = 0; i < st->ntasks; i++)
		if (st->tasks[i].label && st->tasks[i].state &&
		    strcmp(st->tasks[i].state, "pending") == 0)
			return st->tasks[i].label;
	return NULL;
}

/* o, u [TASK], x [TASK]: the event loop's drives, as the terminal UI's
 * keys. The script's next step when it is that drive and no task is
 * named; else the Python it performs on the loop shown, for the task
 * named or the first pending one. Returns false when the engine failed. */
static bool loop_drive(plain *p, drive_kind kind, const char *task)
{
	const lesson_step *st = session_next_step(p->s);
	const snap_step *shown = session_state(p->s);
	size_t count = session_count(p->s);
	int rc;

	if (st && st->kind == LESSON_STATEMENT && st->drive.kind == kind && !*task)
		return step(p);
	if (!shown->loop_label) {
		fprintf(p->out, "No event loop to step: name one, loop = asyncio.new_event_loop().\n");
		return true;
	}
	if (!*task && kind != DRIVE_RUN_ONE && !(task = first_task(shown))) {
		fprintf(p->out, "No task to name: make one, t = loop.create_task(...).\n");
		return true;
	}
	if (kind == DRIVE_CANCEL)
		rc = session_drive(p->s, kind, task, NULL);
	else
		rc = session_drive(p->s, kind, shown->loop_label,
		                   kind == DRIVE_RUN_UNTIL ? task : NULL);
	return performed(p, rc, count);
}

/* One command line. Returns 1 to go on, 0 to quit, -1 when the engine
 * failed. */
static int command(plain *p, char *line)
{
	char *arg;

	line[strcspn(line, "\r\n")] = '\0';
	arg = line + 1;
	while (*arg == ' ')
		arg++;
	if (!*line || strcmp(line, " ") == 0 || strcmp(line, "space") == 0)
		return step(p) ? 1 : -1;
	if (strcmp(line, "q") == 0 || strcmp(line, "quit") == 0)
		return 0;
	if (strcmp(line, "?") == 0 || strcmp(line, "h") == 0) {
		fputs(help_text, p->out);
		return 1;
	}
	if (strcmp(line, "w") == 0) {
		say_state(p);
		return 1;
	}
	if (strcmp(line, "r") == 0) {
		if (session_replay(p->s) != ENGINE_OK)
			return -1;
		fprintf(p->out, "Replayed the lesson up to step %zu, free actions dropped.\n",
		        session_script_pos(p->s));
		say_state(p);
		announce(p);
		return 1;
	}
	if (strcmp(line, "tab") == 0 || strcmp(line, "\t") == 0) {
		select_next(p);
		return 1;
	}
	if (line[0] == 'g' && line[1] == ' ') {
		if (!snap_find(session_state(p->s), arg)) {
			fprintf(p->out, "No generator is labelled %s.\n", arg);
			return 1;
		}
		ys_set_str(&p->selected, arg);
		say_gen(p->out, "Selected: ", snap_find(session_state(p->s), arg));
		return 1;
	}
	if (strcmp(line, "b") == 0 || strcmp(line, "left") == 0) {
		size_t n = session_count(p->s);
		if (n == 0) {
			fprintf(p->out, "Already at the start.\n");
			return 1;
		}
		if (session_truncate(p->s, n - 1) != ENGINE_OK)
			return -1;
		fprintf(p->out, "Back one action.\n");
		say_state(p);
		announce(p);
		return 1;
	}
	if (line[0] == ':')
		return *arg ? (perform(p, -1, arg) ? 1 : -1) : 1;
	if (line[1] == '\0' || line[1] == ' ') {
		static const struct { char key; drive_kind kind; bool needs; } drives[] = {
			{ 'n', DRIVE_NEXT, false }, { 's', DRIVE_SEND, true },
			{ 't', DRIVE_THROW, true }, { 'c', DRIVE_CLOSE, false },
		};
		size_t i;
		for (i = 0; i < sizeof drives / sizeof drives[0]; i++) {
			if (line[0] != drives[i].key)
				continue;
			if (drives[i].needs && !*arg) {
				fprintf(p->out, "%c wants a value: %c VALUE\n", line[0], line[0]);
				return 1;
			}
			return perform(p, (int)drives[i].kind, drives[i].needs ? arg : NULL) ? 1 : -1;
		}
		if (line[0] == 'o' && !*arg)
			return loop_drive(p, DRIVE_RUN_ONE, "") ? 1 : -1;
		if (line[0] == 'u' || line[0] == 'x')
			return loop_drive(p, line[0] == 'u' ? DRIVE_RUN_UNTIL : DRIVE_CANCEL,
			                  arg) ? 1 : -1;
	}
	fprintf(p->out, "Unknown command \"%s\": ? lists them.\n", line);
	return 1;
}

int plain_run(engine *e, const char *path, FILE *in, FILE *out, FILE *err)
{
	lesson_error le;
	lesson *l = lesson_load_for(path, engine_python_version(), &le);
	plain p;
	char *line = NULL;
	size_t cap = 0;
	int rc = 1;
	bool tty = isatty(fileno(in));

	if (!l) {
		if (le.line > 0)
			fprintf(err, "%s:%d: %s\n", le.path, le.line, le.message);
		else
			fprintf(err, "%s: %s\n", le.path, le.message);
		return 2;
	}
	memset(&p, 0, sizeof p);
	p.in = in;
	p.out = out;
	p.s = session_new(l, e);
	if (!p.s) {
		fprintf(err, "yieldscope: out of memory\n");
		return 2;
	}
	fprintf(out, "%s (%zu steps). Enter performs the next step; ? lists the commands.\n",
	        l->title, l->nsteps);
	announce(&p);
	while (rc > 0) {
		fputs("> ", out);
		fflush(out);
		if (getline(&line, &cap, in) < 0)
			break;
		/* Commands from a pipe are echoed, so the stream reads as a
		 * session; a terminal echoes them itself. */
		if (!tty)
			fputs(line, out);
		rc = command(&p, line);
		fflush(out);
	}
	fputc('\n', out);
	free(line);
	ys_free(p.selected);
	session_free(p.s);
	if (rc < 0) {
		fprintf(err, "yieldscope: the step could not be completed: %s\n",
		        engine_failure(e));
		return 2;
	}
	return 0;
}
