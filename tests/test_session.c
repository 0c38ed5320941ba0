/* test_session.c: playing a lesson: the script, free actions, errors in
 * typed expressions, and replay. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "predict.h"
#include "util.h"
#include "session.h"

static engine *E;
static session *S;

static int setup(void **state)
{
	char err[256], path[1024];
	const char *dir = getenv("srcdir");
	lesson_error lerr;
	lesson *l;

	E = engine_new(NULL, err, sizeof err);
	if (!E)
		return -1;
	snprintf(path, sizeof path, "%s/tests/lessons/chain.md", dir ? dir : ".");
	l = lesson_load(path, &lerr);
	if (!l) {
		fprintf(stderr, "%s:%d: %s\n", lerr.path, lerr.line, lerr.message);
		return -1;
	}
	S = session_new(l, E);
	return S ? 0 : -1;
}

static int teardown(void **state)
{
	session_free(S);
	engine_free(E);
	return 0;
}

static void test_script(void **state)
{
	const session_entry *en;

	assert_int_equal(session_count(S), 0);
	assert_int_equal(session_state(S)->ngens, 0);
	assert_int_equal(session_next_step(S)->kind, LESSON_CODE);
	assert_int_equal(session_step(S), ENGINE_OK);
	assert_int_equal(session_step(S), ENGINE_OK);
	assert_int_equal(session_step(S), ENGINE_OK);      /* next(t) */
	en = session_entry_at(S, 2);
	assert_int_equal(en->origin, ENTRY_SCRIPT);
	assert_string_equal(en->source, "next(t)");
	assert_int_equal(en->match, 1);
	assert_string_equal(en->actual, "'leaf ready'\n");
	assert_int_equal(session_state(S)->ngens, 3);
	assert_false(session_off_script(S));
	assert_int_equal(session_script_pos(S), 3);
}

static void test_free_play_and_replay(void **state)
{
	const snap_gen *leaf;
	const session_entry *en;

	/* A bad expression: nothing happens, the message says why. */
	assert_int_equal(session_drive(S, DRIVE_SEND, "t.gi_yieldfrom.gi_yieldfrom",
	                               "undefined_name"), ENGINE_ARG_ERROR);
	assert_string_equal(session_error(S), "NameError: name 'undefined_name' is not defined");
	assert_int_equal(session_count(S), 3);
	assert_false(session_off_script(S));

	/* Drive the innermost generator directly, off the script. */
	assert_int_equal(session_drive(S, DRIVE_SEND, "t.gi_yieldfrom.gi_yieldfrom", "7"),
	                 ENGINE_OK);
	assert_null(session_error(S));
	en = session_entry_at(S, 3);
	assert_int_equal(en->origin, ENTRY_FREE);
	assert_string_equal(en->source, "t.gi_yieldfrom.gi_yieldfrom.send(7)");
	assert_string_equal(en->result.exception, "StopIteration: 70");
	assert_int_equal(en->match, -1);
	assert_true(session_off_script(S));
	leaf = snap_find(session_state(S), "t.gi_yieldfrom.gi_yieldfrom");
	assert_non_null(leaf);
	assert_int_equal(leaf->state, SNAP_CLOSED);

	assert_int_equal(session_run(S, "print('typed')"), ENGINE_OK);
	assert_string_equal(session_state(S)->output, "typed\n");

	/* Replay: back on the script, at the same step, the leaf alive again. */
	assert_int_equal(session_replay(S), ENGINE_OK);
	assert_false(session_off_script(S));
	assert_int_equal(session_count(S), 3);
	assert_int_equal(session_script_pos(S), 3);
	leaf = snap_find(session_state(S), "t.gi_yieldfrom.gi_yieldfrom");
	assert_non_null(leaf);
	assert_int_equal(leaf->state, SNAP_SUSPENDED);

	/* And the script goes on where it stood. */
	assert_int_equal(session_step(S), ENGINE_OK);
	assert_int_equal(session_entry_at(S, 3)->match, 1);
	assert_int_equal(session_step(S), ENGINE_OK);
	assert_int_equal(session_step(S), 1);
	assert_null(session_next_step(S));
}

/* ---- Back in time, predictions, resuming -------------------------------- */

static session *open_chain(void)
{
	char path[1024];
	const char *dir = getenv("srcdir");
	lesson_error lerr;
	lesson *l;

	snprintf(path, sizeof path, "%s/tests/lessons/chain.md", dir ? dir : ".");
	l = lesson_load(path, &lerr);
	assert_non_null(l);
	return session_new(l, E);
}

/* Two results are the same but for object addresses. */
static void assert_same_result(const snap_step *a, const snap_step *b)
{
	size_t i, j;

	assert_int_equal(a->ngens, b->ngens);
	assert_int_equal(a->nevents, b->nevents);
	assert_true((a->output == NULL) == (b->output == NULL));
	if (a->output)
		assert_string_equal(a->output, b->output);
	assert_true((a->exception == NULL) == (b->exception == NULL));
	if (a->exception)
		assert_string_equal(a->exception, b->exception);
	for (i = 0; i < a->ngens; i++) {
		const snap_gen *x = &a->gens[i], *y = &b->gens[i];
		assert_string_equal(x->label, y->label);
		assert_int_equal(x->state, y->state);
		assert_int_equal(x->line, y->line);
		assert_int_equal(x->lasti, y->lasti);
		assert_int_equal(x->nlocals, y->nlocals);
		for (j = 0; j < x->nlocals; j++) {
			assert_string_equal(x->locals[j].name, y->locals[j].name);
			if (!strstr(x->locals[j].repr, " at 0x"))
				assert_string_equal(x->locals[j].repr, y->locals[j].repr);
		}
	}
	for (i = 0; i < a->nevents; i++) {
		assert_int_equal(a->events[i].event, b->events[i].event);
		assert_int_equal(a->events[i].depth, b->events[i].depth);
		assert_int_equal(a->events[i].line, b->events[i].line);
	}
}

static void test_truncate(void **state)
{
	session *s = open_chain();
	snap_step saved[8];
	size_t i, n;

	memset(saved, 0, sizeof saved);
	assert_non_null(s);
	assert_int_equal(session_step(s), ENGINE_OK);       /* code */
	assert_int_equal(session_step(s), ENGINE_OK);       /* t = top() */
	assert_int_equal(session_step(s), ENGINE_OK);       /* next(t) */
	assert_int_equal(session_predict(s, "'leaf ready'"), 1);
	assert_int_equal(session_drive(s, DRIVE_SEND, "t.gi_yieldfrom.gi_yieldfrom", "7"),
	                 ENGINE_OK);                        /* free: leaf returns */
	assert_int_equal(session_run(s, "x = [t]"), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);       /* t.send(4) */
	n = session_count(s);
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++)
		assert_int_equal(snap_step_copy(&saved[i], &session_entry_at(s, i)->result), 0);

	/* Back to just after the free send: the two entries after it go, the
	 * namespace is what it was then, the earlier results are the same. */
	assert_int_equal(session_truncate(s, 4), ENGINE_OK);
	assert_int_equal(session_count(s), 4);
	assert_int_equal(session_script_pos(s), 3);
	assert_true(session_off_script(s));
	for (i = 0; i < 4; i++)
		assert_same_result(&session_entry_at(s, i)->result, &saved[i]);
	assert_int_equal(session_entry_at(s, 2)->predicted, 1);
	assert_string_equal(session_entry_at(s, 2)->prediction, "'leaf ready'");
	assert_int_equal(snap_find(session_state(s), "t.gi_yieldfrom.gi_yieldfrom")->state,
	                 SNAP_CLOSED);
	/* Acting from here does what it did the first time. */
	assert_int_equal(session_run(s, "x = [t]"), ENGINE_OK);
	assert_same_result(session_state(s), &saved[4]);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_same_result(session_state(s), &saved[5]);

	/* Back before the free play: on script again, the leaf alive. */
	assert_int_equal(session_truncate(s, 2), ENGINE_OK);
	assert_int_equal(session_count(s), 2);
	assert_int_equal(session_script_pos(s), 2);
	assert_false(session_off_script(s));
	assert_int_equal(snap_find(session_state(s), "t")->state, SNAP_CREATED);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_same_result(session_state(s), &saved[2]);

	/* Back to the very start. */
	assert_int_equal(session_truncate(s, 0), ENGINE_OK);
	assert_int_equal(session_count(s), 0);
	assert_int_equal(session_state(s)->ngens, 0);
	assert_int_equal(session_script_pos(s), 0);
	/* Past the end is the end. */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_truncate(s, 99), ENGINE_OK);
	assert_int_equal(session_count(s), 1);
	for (i = 0; i < n; i++)
		snap_step_clear(&saved[i]);
	session_free(s);
}

static void test_long_history(void **state)
{
	session *s = open_chain();
	size_t i;

	assert_non_null(s);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_run(s, "n = 0"), ENGINE_OK);
	for (i = 0; i < 1000; i++)
		assert_int_equal(session_run(s, "n += 1"), ENGINE_OK);
	assert_int_equal(session_count(s), 1002);
	assert_int_equal(session_run(s, "n"), ENGINE_OK);
	assert_string_equal(session_state(s)->value, "1000");
	assert_int_equal(session_truncate(s, 502), ENGINE_OK);
	assert_int_equal(session_count(s), 502);
	assert_int_equal(session_run(s, "n"), ENGINE_OK);
	assert_string_equal(session_state(s)->value, "500");
	session_free(s);
}

/* A long session over many generators: the latest steps keep their cards
 * and hops for <- and ->, the oldest only their counts and output, so
 * memory stops growing. */
static void test_history_bounded(void **state)
{
	session *s = open_chain();
	const session_entry *old, *last;
	size_t i;

	assert_non_null(s);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_run(s, "forever = lambda: (yield from iter(lambda: 'x' * 70, 0))"),
	                 ENGINE_OK);
	assert_int_equal(session_run(s, "gs = [forever() for _ in range(150)]"), ENGINE_OK);
	for (i = 0; i < 200; i++)
		assert_int_equal(session_run(s, "_ = [next(g) for g in gs]"), ENGINE_OK);
	assert_int_equal(session_count(s), 203);
	last = session_entry_at(s, 202);
	assert_int_equal(last->result.ngens, 150);
	assert_int_equal(last->result.nevents, 300);
	assert_int_equal(session_entry_at(s, 201)->result.nevents, 300);
	old = session_entry_at(s, 3);
	assert_int_equal(old->result.ngens, 0);
	assert_int_equal(old->result.nevents, 0);
	assert_int_equal(old->result.total_gens, 150);
	assert_int_equal(old->result.state_counts[SNAP_SUSPENDED], 150);
	assert_string_equal(old->source, "_ = [next(g) for g in gs]");
	session_free(s);
}

static void test_predict(void **state)
{
	session *s = open_chain();
	const session_entry *en;
	unsigned r, w;

	assert_non_null(s);
	assert_int_equal(session_predict(s, "x"), -1);      /* nothing done yet */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);       /* t = top() */
	assert_int_equal(session_predict(s, "  "), 1);      /* nothing shown */
	assert_int_equal(session_step(s), ENGINE_OK);       /* next(t) */
	assert_int_equal(session_predict(s, "'leaf ready'\n"), 1);
	/* Made once: a second answer does not count. */
	assert_int_equal(session_predict(s, "wrong"), 1);
	assert_int_equal(session_step(s), ENGINE_OK);       /* t.send(4) */
	assert_int_equal(session_predict(s, "40"), 0);
	en = session_entry_at(s, 3);
	assert_int_equal(en->predicted, 0);
	assert_string_equal(en->prediction, "40");
	assert_non_null(en->hint);
	assert_non_null(strstr(en->hint, "t was SUSPENDED at line"));
	assert_non_null(strstr(en->hint, "Channel"));
	assert_int_equal(en->right, 2);
	assert_int_equal(en->wrong, 1);
	assert_int_equal(session_step(s), ENGINE_OK);       /* t.close() */
	assert_int_equal(session_predict(s, "None"), 1);
	/* A drive on a finished generator: the type of what it raised. */
	assert_int_equal(session_drive(s, DRIVE_NEXT, "t", NULL), ENGINE_OK);
	assert_int_equal(session_predict(s, "StopIteration"), 1);
	assert_int_equal(session_drive(s, DRIVE_NEXT, "t", NULL), ENGINE_OK);
	assert_int_equal(session_predict(s, "5"), 0);
	assert_non_null(strstr(session_entry_at(s, 6)->hint, "t was CLOSED"));
	/* The type with its message, the printed text alone, the value alone,
	 * doctest's ellipsis. */
	assert_int_equal(session_run(s, "1/0"), ENGINE_OK);
	assert_int_equal(session_predict(s, "ZeroDivisionError: division by zero"), 1);
	assert_int_equal(session_run(s, "print('hello'); 5"), ENGINE_OK);
	assert_int_equal(session_predict(s, "hello"), 1);
	assert_int_equal(session_run(s, "print('hello'); 5"), ENGINE_OK);
	assert_int_equal(session_predict(s, "5"), 1);
	assert_int_equal(session_run(s, "print('hello'); 5"), ENGINE_OK);
	assert_int_equal(session_predict(s, "hel..."), 1);
	assert_int_equal(session_run(s, "print('hello'); 5"), ENGINE_OK);
	assert_int_equal(session_predict(s, "nothing"), 0);
	session_score(s, &r, &w);
	assert_int_equal(r, 8);
	assert_int_equal(w, 3);
	/* Earlier runs' score carries on. */
	session_set_score(s, 10, 2);
	assert_int_equal(session_run(s, "2"), ENGINE_OK);
	assert_int_equal(session_predict(s, "2"), 1);
	session_score(s, &r, &w);
	assert_int_equal(r, 11);
	assert_int_equal(w, 2);
	session_free(s);
}

/* A wrong prediction gets the lesson's hint for that answer, when it has
 * one, and the built-in hint otherwise. */
static void test_predict_lesson_hints(void **state)
{
	char path[1024];
	const char *dir = getenv("srcdir");
	lesson_error lerr;
	lesson *l;
	session *s;

	(void)state;
	snprintf(path, sizeof path, "%s/tests/lessons/wrong.md", dir ? dir : ".");
	l = lesson_load(path, &lerr);
	assert_non_null(l);
	s = session_new(l, E);
	assert_non_null(s);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);       /* c = countdown(3) */
	assert_int_equal(session_predict(s, " starting at 3 "), 0);
	assert_non_null(strstr(session_entry_at(s, 1)->hint, "The body does not run at call time"));
	assert_int_equal(session_truncate(s, 1), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	/* The lesson's answers may use doctest's ellipsis. */
	assert_int_equal(session_predict(s, "<generator object countdown at 0x7f>"), 0);
	assert_string_equal(session_entry_at(s, 1)->hint,
	                    "Right object, but an assignment shows nothing.");
	/* Another wrong answer: the built-in hint. */
	assert_int_equal(session_step(s), ENGINE_OK);       /* next(c) */
	assert_int_equal(session_predict(s, "4"), 0);
	assert_non_null(strstr(session_entry_at(s, 2)->hint, "Look at the Heap"));
	session_free(s);
}

/* Predictions about a generator: its state badge, who resumes first. */
static void test_predict_generators(void **state)
{
	char path[1024];
	const char *dir = getenv("srcdir");
	lesson_error lerr;
	lesson *l;
	session *s;
	unsigned right[PREDICT_KINDS], wrong[PREDICT_KINDS];
	size_t i;

	(void)state;
	snprintf(path, sizeof path, "%s/tests/lessons/predict-gen.md", dir ? dir : ".");
	l = lesson_load(path, &lerr);
	assert_non_null(l);
	assert_int_equal(l->steps[3].predict_kind, PREDICT_STATE);
	assert_string_equal(l->steps[3].predict_target, "a");
	assert_int_equal(l->steps[5].predict_kind, PREDICT_RESUME);
	s = session_new(l, E);
	assert_non_null(s);
	for (i = 0; i < 4; i++)
		assert_int_equal(session_step(s), ENGINE_OK);   /* ... next(a) */
	/* The state word, any case, or inspect's name. */
	assert_int_equal(session_predict(s, "Suspended"), 1);
	assert_int_equal(session_truncate(s, 3), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "GEN_SUSPENDED"), 1);
	assert_int_equal(session_truncate(s, 3), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	/* What the step showed is not what was asked. */
	assert_int_equal(session_predict(s, "'a 0'"), 0);
	assert_non_null(strstr(session_entry_at(s, 3)->hint, "badge for a reads GEN_SUSPENDED"));
	/* next(a, None): a ran out; the lesson's hint for "suspended". */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "suspended"), 0);
	assert_string_equal(session_entry_at(s, 4)->hint,
	                    "Its loop ran out: a finished generator is closed.");
	assert_int_equal(session_truncate(s, 4), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "closed"), 1);
	/* The comprehension resumes b first, then a. */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "a"), 0);
	assert_non_null(strstr(session_entry_at(s, 5)->hint, "first resume: b (worker())"));
	assert_int_equal(session_truncate(s, 5), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "b"), 1);
	/* The line b pauses at, as the Source pane numbers the lesson file. */
	assert_int_equal(session_step(s), ENGINE_OK);       /* next(b) */
	assert_int_equal(session_predict(s, "5"), 0);
	assert_non_null(strstr(session_entry_at(s, 6)->hint, "marks b at line 6"));
	assert_int_equal(session_truncate(s, 6), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "6"), 1);
	/* The summary counts the predictions of the history, by what each was
	 * about: going back dropped the right ones of entries 3 and 4. */
	session_score_by_kind(s, right, wrong);
	assert_int_equal(right[PREDICT_STATE], 1);
	assert_int_equal(wrong[PREDICT_STATE], 1);
	assert_int_equal(right[PREDICT_RESUME], 1);
	assert_int_equal(right[PREDICT_LINE], 1);
	assert_int_equal(right[PREDICT_SHOWN] + wrong[PREDICT_SHOWN], 0);
	session_free(s);
}

/* Which frame catches a thrown exception, read from what CPython did;
 * which generator resumes, named as the Heap showed it before the step. */
static void test_predict_catches_and_resumes(void **state)
{
	char path[1024];
	const char *dir = getenv("srcdir");
	lesson_error lerr;
	lesson *l;
	session *s;
	char **c, *sum;
	size_t i, n;

	(void)state;
	snprintf(path, sizeof path, "%s/tests/lessons/predict-catch.md", dir ? dir : ".");
	l = lesson_load(path, &lerr);
	assert_non_null(l);
	s = session_new(l, E);
	assert_non_null(s);
	for (i = 0; i < 3; i++)
		assert_int_equal(session_step(s), ENGINE_OK);   /* ... next(mg) */
	/* Before the throw: the chain, outermost first, and the caller. */
	c = session_predict_choices(s, &n);
	assert_int_equal(n, 3);
	assert_string_equal(c[0], "mg");
	assert_string_equal(c[1], "mg.gi_yieldfrom");
	assert_string_equal(c[2], "caller");
	predict_choices_free(c, n);
	/* The worker, paused at the yield, catches the ValueError. */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "mg"), 0);
	assert_string_equal(session_entry_at(s, 3)->hint,
	                    "The worker is where mg is paused: it gets the exception first.");
	assert_int_equal(session_truncate(s, 3), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "caller"), 0);
	assert_non_null(strstr(session_entry_at(s, 3)->hint,
	                       "mg.gi_yieldfrom (worker()) got it at the yield"));
	assert_int_equal(session_truncate(s, 3), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "mg.gi_yieldfrom"), 1);
	/* The KeyError leaves the worker; the manager catches it. */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "worker"), 0);
	assert_non_null(strstr(session_entry_at(s, 4)->hint,
	                       "it left mg.gi_yieldfrom (worker()) and went up the chain to "
	                       "mg (manager()), which caught it"));
	assert_int_equal(session_truncate(s, 4), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "manager"), 1);
	/* The second KeyError leaves the manager too: throw's caller gets it. */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "mg"), 0);
	assert_non_null(strstr(session_entry_at(s, 5)->hint, "the Console shows it"));
	assert_int_equal(session_truncate(s, 5), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "caller"), 1);
	/* Two workers in a queue; one tick moved the first to the back. */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	c = session_predict_choices(s, &n);
	assert_int_equal(n, 3);           /* mg is closed: not a choice */
	assert_string_equal(c[0], "queue[0]");
	assert_string_equal(c[1], "queue[1]");
	assert_string_equal(c[2], "none");
	predict_choices_free(c, n);
	/* tick resumes queue[0], queue[1] once it is back in the queue. */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "queue[1]"), 0);
	assert_non_null(strstr(session_entry_at(s, 8)->hint,
	                       "first resume: queue[0] (worker()), queue[1] on the Heap now"));
	assert_int_equal(session_truncate(s, 8), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	/* Both run worker: its name does not say which. */
	assert_int_equal(session_predict(s, "worker"), 0);
	assert_non_null(strstr(session_entry_at(s, 8)->hint, "name it by its label"));
	assert_int_equal(session_truncate(s, 8), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "queue[0]"), 1);
	assert_int_equal(session_step(s), ENGINE_OK);       /* queue[0].close() */
	assert_null(session_next_step(s));
	sum = session_summary(s);
	assert_string_equal(sum, "predictions 4/4 right (resumes 1/1, catches 3/3)");
	ys_free(sum);
	/* A step that asked, seen without predicting, is counted as skipped. */
	assert_int_equal(session_truncate(s, 8), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	sum = session_summary(s);
	assert_string_equal(sum, "predictions 3/3 right, 1 skipped");
	ys_free(sum);
	assert_int_equal(session_truncate(s, 3), ENGINE_OK);
	sum = session_summary(s);
	assert_null(sum);
	assert_int_equal(session_step(s), ENGINE_OK);
	sum = session_summary(s);
	assert_string_equal(sum, "1 prediction skipped");
	ys_free(sum);
	session_free(s);
}

/* Which task a step of an event loop resumes first: the task whose
 * callback the loop ran first, by its name or its label, judged by id. */
static void test_predict_resumes_task(void **state)
{
	char path[1024];
	const char *dir = getenv("srcdir");
	lesson_error lerr;
	lesson *l;
	session *s;
	char **c, *q;
	size_t n;

	(void)state;
	snprintf(path, sizeof path, "%s/tests/lessons/predict-task.md", dir ? dir : ".");
	l = lesson_load(path, &lerr);
	assert_non_null(l);
	s = session_new(l, E);
	assert_non_null(s);
	assert_int_equal(session_step(s), ENGINE_OK);       /* the code */
	q = predict_question(session_next_step(s));
	assert_string_equal(q, "Predict which task it resumes first");
	ys_free(q);
	/* The pending tasks by name (the twins once), then none. */
	c = session_predict_choices(s, &n);
	assert_int_equal(n, 4);
	assert_string_equal(c[0], "alpha");
	assert_string_equal(c[1], "beta");
	assert_string_equal(c[2], "twin");
	assert_string_equal(c[3], "none");
	predict_choices_free(c, n);
	assert_int_equal(session_step(s), ENGINE_OK);       /* run_one(): alpha */
	assert_int_equal(session_predict(s, "beta"), 0);
	assert_non_null(strstr(session_entry_at(s, 1)->hint,
	                       "The loop ran a callback of task alpha first (a), the front "
	                       "of the ready queue"));
	assert_int_equal(session_truncate(s, 1), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "a"), 1);
	assert_int_equal(session_truncate(s, 1), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "alpha"), 1);
	assert_int_equal(session_step(s), ENGINE_OK);       /* beta */
	assert_int_equal(session_predict(s, "none"), 0);
	/* Two tasks named twin: only the label says which. */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "twin"), 0);
	assert_non_null(strstr(session_entry_at(s, 3)->hint,
	                       "task twin first (twins[0])"));
	assert_non_null(strstr(session_entry_at(s, 3)->hint, "name it by its label"));
	assert_int_equal(session_truncate(s, 3), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "twins[0]"), 1);
	/* run_until_resumes(b) runs twins[1]'s callback first, then alpha's. */
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "b"), 0);
	assert_int_equal(session_truncate(s, 4), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "twins[1]"), 1);
	session_free(s);
}

/* A GeneratorExit that ends a delegate is raised in the frame waiting on
 * it all the same: that frame catches it, not the delegate that returned. */
static void test_predict_catches_generator_exit(void **state)
{
	char path[1024];
	const char *dir = getenv("srcdir");
	lesson_error lerr;
	lesson *l;
	session *s;
	size_t i;

	(void)state;
	snprintf(path, sizeof path, "%s/tests/lessons/predict-close.md", dir ? dir : ".");
	l = lesson_load(path, &lerr);
	assert_non_null(l);
	s = session_new(l, E);
	assert_non_null(s);
	for (i = 0; i < 4; i++)
		assert_int_equal(session_step(s), ENGINE_OK);   /* ... o.throw(GeneratorExit) */
	assert_int_equal(session_predict(s, "o.gi_yieldfrom"), 0);
	assert_non_null(strstr(session_entry_at(s, 3)->hint,
	                       "it left o.gi_yieldfrom (inner()) and went up the chain to o (outer())"));
	assert_int_equal(session_truncate(s, 3), ENGINE_OK);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_predict(s, "outer"), 1);
	session_free(s);
}

static void test_replay_to_and_line_stepping(void **state)
{
	session *s = open_chain();
	const snap_step *st;

	assert_non_null(s);
	assert_int_equal(session_replay_to(s, 3), ENGINE_OK);
	assert_int_equal(session_count(s), 3);
	assert_int_equal(session_script_pos(s), 3);
	assert_string_equal(session_state(s)->value, "'leaf ready'");
	assert_int_equal(session_replay_to(s, 1000), ENGINE_OK);
	assert_null(session_next_step(s));

	/* Line stepping: on for new steps, never during a replay. */
	assert_int_equal(session_replay_to(s, 3), ENGINE_OK);
	session_set_line_stepping(s, true);
	assert_true(session_line_stepping(s));
	assert_int_equal(session_truncate(s, 3), ENGINE_OK);
	assert_int_equal(session_entry_at(s, 2)->result.npauses, 0);
	assert_int_equal(session_step(s), ENGINE_OK);       /* t.send(4) */
	st = session_state(s);
	assert_true(st->npauses > 4);
	assert_int_equal(st->pauses[0].kind, SNAP_PAUSE_RESUME);
	session_set_line_stepping(s, false);
	assert_int_equal(session_step(s), ENGINE_OK);
	assert_int_equal(session_state(s)->npauses, 0);
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_free_play_and_replay),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_long_history),
		cmocka_unit_test(test_history_bounded),
		cmocka_unit_test(test_predict),
		cmocka_unit_test(test_predict_lesson_hints),
		cmocka_unit_test(test_predict_generators),
		cmocka_unit_test(test_predict_catches_and_resumes),
		cmocka_unit_test(test_predict_catches_generator_exit),
		cmocka_unit_test(test_predict_resumes_task),
		cmocka_unit_test(test_replay_to_and_line_stepping),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
