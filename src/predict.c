/* predict.c: predictions about generators (see predict.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "predict.h"
#include "util.h"

/* ---- Naming a generator ------------------------------------------------ */

/* Does answer name the generator of ev? Labels are looked up in the
 * state before the step first: that is what the Heap showed when the
 * learner answered, and a label may name another generator after it (a
 * queue that turned round). Ids, not labels, decide. */
static bool names(const char *answer, const snap_event *ev, const snap_step *before,
                  const snap_step *after)
{
	const snap_gen *g = snap_find(before, answer);
	size_t i;

	if (!g)
		g = snap_find(after, answer);   /* made during the step */
	if (g)
		return g->id == ev->id;
	if (!ev->function || strcmp(answer, ev->function) != 0)
		return false;
	/* A function's name says which generator only when no other one
	 * alive before the step runs it. */
	for (i = 0; i < before->ngens; i++) {
		const snap_gen *o = &before->gens[i];
		if (o->id != ev->id && o->state != SNAP_CLOSED && o->function &&
		    strcmp(o->function, answer) == 0)
			return false;
	}
	return true;
}

/* How the learner saw ev's generator before the step: its label then,
 * else the label the Channel gives it, else NULL. */
static const char *label_before(const snap_event *ev, const snap_step *before)
{
	size_t i;

	for (i = 0; i < before->ngens; i++)
		if (before->gens[i].id == ev->id)
			return before->gens[i].label;
	return ev->label;
}

/* "queue[0] (task())", or "a task() with no label". */
static void say_frame(strbuf *sb, const snap_event *ev, const snap_step *before)
{
	const char *l = label_before(ev, before);

	if (l)
		sb_printf(sb, "%s (%s())", l, ev->function ? ev->function : "?");
	else
		sb_printf(sb, "a %s() with no label", ev->function ? ev->function : "?");
}

/* ---- Naming a task ---------------------------------------------------- */

/* The listed task of st that answer names: by its label, else by its
 * name as the Tasks section shows it (*several is set when more than one
 * task has that name). NULL when none. */
static const snap_task *task_named(const snap_step *st, const char *answer,
                                   bool *several)
{
	const snap_task *t = snap_find_task(st, answer);
	size_t i;

	if (t)
		return t;
	for (i = 0; i < st->ntasks; i++) {
		const snap_task *o = &st->tasks[i];

		if (!o->name || strcmp(o->name, answer) != 0)
			continue;
		if (t)
			*several = true;
		else
			t = o;
	}
	return t;
}

/* Does answer name the task the step's loop resumed first? Tasks are
 * looked up as the Tasks section showed them before the step, then after
 * it (a task made during the step); ids decide. */
static bool names_task(const char *answer, const snap_step *before,
                       const snap_step *after, bool *several)
{
	const snap_task *t = task_named(before, answer, several);

	if (!t)
		t = task_named(after, answer, several);
	return t && !*several && t->id == after->resumed_task_id;
}

/* The label the task the loop resumed had before the step, or NULL. */
static const char *task_label_before(const snap_step *before, unsigned long long id)
{
	size_t i;

	for (i = 0; i < before->ntasks; i++)
		if (before->tasks[i].id == id)
			return before->tasks[i].label;
	return NULL;
}

/* ---- Following a thrown exception ------------------------------------- */

static bool same_frame(const snap_event *a, const snap_event *b)
{
	return a->id == b->id && a->depth == b->depth;
}

/* Is the exception text b ("Type: message") of the same type as a? An
 * unknown text is taken as the same. */
static bool same_type(const char *a, const char *b)
{
	size_t n;

	if (!a || !b)
		return true;
	n = strcspn(a, ":");
	return n == strcspn(b, ":") && strncmp(a, b, n) == 0;
}

static bool is_generator_exit(const char *exc)
{
	return exc && strncmp(exc, "GeneratorExit", 13) == 0 && (!exc[13] || exc[13] == ':');
}

static bool throws_in(const snap_event *ev)
{
	return ev->event == SNAP_EV_RESUME && (ev->how == SNAP_HOW_THROW || ev->how == SNAP_HOW_CLOSE);
}

bool predict_catcher(const snap_step *r, const snap_event **thrown,
                     const snap_event **catcher)
{
	const snap_event *holder = NULL;
	bool left = false;
	size_t i;

	*thrown = *catcher = NULL;
	for (i = 0; i < r->nevents && !holder; i++)
		if (throws_in(&r->events[i]))
			holder = *thrown = &r->events[i];
	if (!holder)
		return false;
	for (; i < r->nevents; i++) {
		const snap_event *ev = &r->events[i];

		if (left) {
			/* Out of a delegate: the frame waiting on it gets it next,
			 * resumed with it at its yield from or await. */
			if (throws_in(ev) && ev->depth == holder->depth - 1) {
				holder = ev;
				left = false;
			}
			continue;
		}
		/* Frames the handler itself runs are not the exception's way. */
		if (!same_frame(ev, holder) || ev->event == SNAP_EV_RESUME)
			continue;
		/* A GeneratorExit that ends a delegate goes on up all the same:
		 * CPython closes the delegate, then raises it in the frame
		 * waiting on it (PEP 380). */
		if ((ev->event != SNAP_EV_RAISE || !same_type((*thrown)->value, ev->value)) &&
		    !(ev->event == SNAP_EV_RETURN && holder->depth > 0 &&
		      is_generator_exit((*thrown)->value))) {
			*catcher = holder;
			return true;
		}
		left = true;
		if (holder->depth == 0)
			return true;
	}
	/* Left and nobody seen taking it: it went on to throw()'s caller. A
	 * frame still holding it at the end of the step (stopped) kept it. */
	*catcher = left ? NULL : holder;
	return true;
}

static bool is_caller(const char *answer)
{
	return !strcasecmp(answer, "caller") || !strcasecmp(answer, "none") ||
	       !strcasecmp(answer, "nobody");
}

static bool catch_prediction(const snap_step *before, const snap_step *after,
                             const char *answer, strbuf *sb)
{
	const snap_event *thrown, *catcher;

	if (!predict_catcher(after, &thrown, &catcher)) {
		sb_append(sb, "Nothing was thrown into a generator in this step: the answer "
		          "was none.");
		return !strcasecmp(answer, "none");
	}
	if (!catcher) {
		if (is_caller(answer))
			return true;
		if (after->exception && same_type(thrown->value, after->exception))
			sb_append(sb, "No generator caught it: it came out to the caller, here "
			          "the prompt, and the Console shows it. The answer was caller.");
		else
			sb_append(sb, "No generator caught it: it came out to the code that "
			          "threw it in, which caught it. The answer was caller.");
		return false;
	}
	if (names(answer, catcher, before, after))
		return true;
	if (same_frame(catcher, thrown)) {
		sb_append(sb, "The Channel shows it: ");
		say_frame(sb, catcher, before);
		sb_append(sb, " got it at the yield where it was paused, caught it and went on.");
	} else {
		sb_append(sb, "The Channel follows it: it left ");
		say_frame(sb, thrown, before);
		sb_append(sb, " and went up the chain to ");
		say_frame(sb, catcher, before);
		sb_append(sb, ", which caught it.");
	}
	return false;
}

/* ---- Scoring ------------------------------------------------------------ */

/* The generator the step resumed first; NULL when it resumed none. */
static const snap_event *first_resume(const snap_step *r)
{
	size_t i;

	for (i = 0; i < r->nevents; i++)
		if (r->events[i].event == SNAP_EV_RESUME)
			return &r->events[i];
	return NULL;
}

/* A step whose event loop ran a task's callback: the answer is that task
 * (or the coroutine the callback resumed, as for any generator). */
static bool task_resume_prediction(const snap_step *before, const snap_step *after,
                                   const char *answer, const snap_event *ev,
                                   strbuf *sb)
{
	const char *label = task_label_before(before, after->resumed_task_id);
	bool several = false;

	if (names_task(answer, before, after, &several) ||
	    (ev && names(answer, ev, before, after)))
		return true;
	sb_printf(sb, "The loop ran a callback of task %s first", after->resumed_task);
	/* A label that is a search through all_tasks(), or the name again,
	 * says nothing more. */
	if (label && !strchr(label, '(') && strcmp(label, after->resumed_task) != 0)
		sb_printf(sb, " (%s)", label);
	sb_printf(sb, ", the front of the ready queue: it resumed %s's coroutine.",
	          after->resumed_task);
	if (several)
		sb_printf(sb, " Several tasks are named %s: name it by its label.", answer);
	return false;
}

static bool resume_prediction(const snap_step *before, const snap_step *after,
                              const char *answer, strbuf *sb)
{
	const snap_event *ev = first_resume(after);

	if (after->resumed_task)
		return task_resume_prediction(before, after, answer, ev, sb);
	if (!ev) {
		sb_append(sb, "No generator resumed in this step: the Channel is empty.");
		return !*answer || !strcasecmp(answer, "none") || !strcasecmp(answer, "nothing");
	}
	if (names(answer, ev, before, after))
		return true;
	sb_append(sb, "The Channel shows the first resume: ");
	say_frame(sb, ev, before);
	if (ev->label && strcmp(label_before(ev, before), ev->label) != 0)
		sb_printf(sb, ", %s on the Heap now", ev->label);
	sb_append(sb, ".");
	if (ev->function && strcmp(answer, ev->function) == 0)
		sb_append(sb, " Other generators run that function too: name it by its label.");
	return false;
}

static bool state_prediction(const lesson_step *st, const snap_step *after,
                             const char *answer, strbuf *sb)
{
	const snap_gen *g = snap_find(after, st->predict_target);
	const char *word = g ? snap_state_word(g->state) : "gone";

	if (!strcasecmp(answer, word) || (g && !strcasecmp(answer, snap_state_name(g->kind, g->state))))
		return true;
	if (g)
		sb_printf(sb, "The Heap's badge for %s reads %s now: look at the line it "
		          "stopped at and what ran to get there.", st->predict_target,
		          snap_state_name(g->kind, g->state));
	else
		sb_printf(sb, "%s is gone: nothing refers to it any more, so the Heap shows "
		          "no card for it.", st->predict_target);
	return false;
}

static bool line_prediction(const lesson_step *st, const snap_step *after,
                            const char *answer, strbuf *sb)
{
	const snap_gen *g = snap_find(after, st->predict_target);
	char *endp;
	long n = strtol(answer, &endp, 10);

	if (g && g->state == SNAP_SUSPENDED) {
		if (*answer && !*endp && n == g->line)
			return true;
		sb_printf(sb, "The Source pane marks %s at line %d: the yield it paused at.",
		          st->predict_target, g->line);
		return false;
	}
	if (!strcasecmp(answer, "none") || !strcasecmp(answer, "nowhere"))
		return true;
	sb_printf(sb, "%s is not paused anywhere after this step (it is %s): the answer "
	          "was none.", st->predict_target, g ? snap_state_word(g->state) : "gone");
	return false;
}

bool predict_generator(const lesson_step *st, const snap_step *before,
                       const snap_step *after, const char *answer, char **hint)
{
	strbuf sb = {0};
	bool right;

	switch (st->predict_kind) {
	case PREDICT_STATE:
		right = state_prediction(st, after, answer, &sb);
		break;
	case PREDICT_LINE:
		right = line_prediction(st, after, answer, &sb);
		break;
	case PREDICT_CATCH:
		right = catch_prediction(before, after, answer, &sb);
		break;
	default:
		right = resume_prediction(before, after, answer, &sb);
		break;
	}
	if (!right)
		*hint = sb_take(&sb);
	sb_free(&sb);
	return right;
}

/* ---- Choices and the summary ------------------------------------------ */

static bool add_choice(char ***c, size_t *n, const char *s)
{
	char **grown;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*c)[i], s) == 0)
			return true;
	grown = ys_realloc(*c, (*n + 1) * sizeof *grown);
	if (!grown)
		return false;
	*c = grown;
	if (!(grown[*n] = ys_strdup(s)))
		return false;
	(*n)++;
	return true;
}

/* The generator a step throws into and its delegates, outermost first. */
static bool chain_choices(const lesson_step *st, const snap_step *before, char ***c, size_t *n)
{
	const snap_gen *g;
	size_t hops = 0;

	if (st->drive.kind == DRIVE_NONE || !(g = snap_find(before, st->drive.target)))
		return false;
	/* At most as many hops as cards: a chain never loops, but a broken
	 * snapshot must not hang the prompt. */
	for (; g && hops <= before->ngens; hops++) {
		if (!add_choice(c, n, g->label))
			return false;
		g = g->delegate ? snap_find(before, g->delegate) : NULL;
	}
	return true;
}

char **predict_choices(const lesson_step *st, const snap_step *before, size_t *n)
{
	static const char *const states[] = { "created", "running", "suspended", "closed" };
	char **c = NULL;
	bool ok = true;
	size_t i;

	*n = 0;
	if (!st || !st->predict)
		return NULL;
	switch (st->predict_kind) {
	case PREDICT_STATE:
		for (i = 0; ok && i < sizeof states / sizeof states[0]; i++)
			ok = add_choice(&c, n, states[i]);
		break;
	case PREDICT_RESUME:
	case PREDICT_CATCH:
		if (st->predict_kind == PREDICT_CATCH && chain_choices(st, before, &c, n)) {
			ok = add_choice(&c, n, "caller");
			break;
		}
		/* The pending tasks by name, as the Tasks section shows them,
		 * for a step of the loop. */
		for (i = 0; ok && DRIVE_ON_LOOP(st->drive.kind) && i < before->ntasks; i++)
			if (before->tasks[i].name && before->tasks[i].state &&
			    strcmp(before->tasks[i].state, "pending") == 0)
				ok = add_choice(&c, n, before->tasks[i].name);
		for (i = 0; ok && i < before->ngens; i++)
			if (before->gens[i].state != SNAP_CLOSED)
				ok = add_choice(&c, n, before->gens[i].label);
		if (ok)
			ok = add_choice(&c, n, st->predict_kind == PREDICT_CATCH ? "caller" : "none");
		break;
	default:
		break;
	}
	if (!ok) {
		predict_choices_free(c, *n);
		*n = 0;
		return NULL;
	}
	return c;
}

void predict_choices_free(char **choices, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ys_free(choices[i]);
	ys_free(choices);
}

char *predict_question(const lesson_step *st)
{
	predict_kind k = st && st->predict ? st->predict_kind : PREDICT_SHOWN;

	switch (k) {
	case PREDICT_STATE:
		return ys_asprintf("Predict the state %s will be in", st->predict_target);
	case PREDICT_LINE:
		return ys_asprintf("Predict the line %s will pause at", st->predict_target);
	case PREDICT_RESUME:
		return ys_strdup(DRIVE_ON_LOOP(st->drive.kind)
		                 ? "Predict which task it resumes first"
		                 : "Predict which generator it resumes first");
	case PREDICT_CATCH:
		return ys_strdup("Predict which frame catches it");
	default:
		return ys_strdup("Predict what it shows");
	}
}

char *predict_summary(const unsigned right[PREDICT_KINDS], const unsigned wrong[PREDICT_KINDS])
{
	static const char *const about[PREDICT_KINDS] = {
		"shown", "states", "resumes", "lines", "catches"
	};
	unsigned r = 0, w = 0;
	strbuf sb = {0};
	int k, parts = 0;

	for (k = 0; k < PREDICT_KINDS; k++) {
		r += right[k];
		w += wrong[k];
	}
	if (r + w == 0)
		return NULL;
	sb_printf(&sb, "predictions %u/%u right", r, r + w);
	/* By kind, when there was more than one kind. */
	for (k = 0; k < PREDICT_KINDS; k++)
		if (right[k] + wrong[k] > 0 && right[k] + wrong[k] < r + w) {
			sb_printf(&sb, "%s%s %u/%u", parts ? ", " : " (", about[k], right[k],
			          right[k] + wrong[k]);
			parts++;
		}
	if (parts)
		sb_append(&sb, ")");
	return sb_take(&sb);
}
