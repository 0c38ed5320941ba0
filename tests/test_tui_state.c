/* test_tui_state.c: what the terminal UI shows of a lesson, without a
 * terminal: the selection through the history, pages of heap cards, the
 * bytecode kept for generators that are gone, line stepping's pauses and
 * the callback pauses of an asyncio.run() program, the
 * action waiting for a prediction, and a redraw's context that changes
 * nothing. A real session on tests/lessons/chain.md drives it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_state.h"

static engine *E;
static session *S;
static tui_state ST;

static session *open_chain(engine *e)
{
	char path[1024];
	const char *dir = getenv("srcdir");
	lesson_error lerr;
	lesson *l;

	snprintf(path, sizeof path, "%s/tests/lessons/chain.md", dir ? dir : ".");
	l = lesson_load(path, &lerr);
	if (!l) {
		fprintf(stderr, "%s:%d: %s\n", lerr.path, lerr.line, lerr.message);
		return NULL;
	}
	return session_new(l, e);
}

/* Two cards a step, so that the chain's three generators take two pages
 * (one Python per process: every test shares the engine). */
#define CARDS 2

static int group_setup(void **state)
{
	char err[256];
	engine_options o;

	(void)state;
	engine_options_default(&o);
	o.max_cards = CARDS;
	E = engine_new(&o, err, sizeof err);
	return E ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	engine_free(E);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	S = open_chain(E);
	if (!S)
		return -1;
	memset(&ST, 0, sizeof ST);
	ST.max_cards = CARDS;
	tui_state_open(&ST, S);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ST.show_bytecode = ST.line_step = ST.predict_mode = false;
	tui_state_clear(&ST);
	session_free(S);
	return 0;
}

/* A step as the terminal performs one: the selection follows the script
 * and is remembered for the history. */
static void step(void)
{
	assert_int_equal(session_step(S), ENGINE_OK);
	tui_state_to_now(&ST);
	tui_state_fix_selection(&ST, true);
	tui_state_sel_remember(&ST, tui_state_count(&ST));
	tui_state_code_fill(&ST);
}

static void test_selection_follows_the_script(void **state)
{
	(void)state;
	step();
	assert_null(ST.selected);       /* no generator yet */
	step();                         /* t = top() */
	step();                         /* next(t): three generators */
	assert_string_equal(ST.selected, "t");
	tui_state_cycle(&ST, 1);
	assert_string_not_equal(ST.selected, "t");
	tui_state_cycle(&ST, -1);
	assert_string_equal(ST.selected, "t");
}

/* A step that advanced another live generator (made and started in a
 * function) takes the selection with it; one that drove the selected
 * generator keeps it. */
static void test_selection_follows_what_the_step_drove(void **state)
{
	(void)state;
	step();
	step();
	step();
	assert_string_equal(ST.selected, "t");
	assert_int_equal(session_run(S, "def started():\n    g = top()\n    next(g)\n    return g\n"),
	                 ENGINE_OK);
	tui_state_to_now(&ST);
	tui_state_fix_selection(&ST, false);
	assert_string_equal(ST.selected, "t");   /* nothing ran */
	assert_int_equal(session_run(S, "u = started()"), ENGINE_OK);
	tui_state_to_now(&ST);
	tui_state_fix_selection(&ST, false);
	assert_string_equal(ST.selected, "u");
	tui_state_select(&ST, "t");
	assert_int_equal(session_drive(S, DRIVE_SEND, "t", "4"), ENGINE_OK);
	tui_state_to_now(&ST);
	tui_state_fix_selection(&ST, false);
	assert_string_equal(ST.selected, "t");
}

/* A generator the step closed keeps the selection; one closed before a
 * step that did not run it leaves it (issue 15: never on a closed
 * generator the step is not about). */
static void test_selection_leaves_what_closed_before(void **state)
{
	(void)state;
	step();
	step();
	step();
	step();                         /* t.send(4) */
	step();                         /* t.close(): every generator closed */
	assert_string_equal(ST.selected, "t");
	assert_int_equal(snap_find(tui_state_shown(&ST), "t")->state, SNAP_CLOSED);
	assert_int_equal(session_run(S, "x = 1"), ENGINE_OK);
	tui_state_to_now(&ST);
	tui_state_fix_selection(&ST, false);
	assert_null(ST.selected);
	/* Nor does the next such step take it back as the first card (it
	 * did, every other step, in lesson 17). */
	assert_int_equal(session_run(S, "y = 2"), ENGINE_OK);
	tui_state_to_now(&ST);
	tui_state_fix_selection(&ST, false);
	assert_null(ST.selected);
}

/* Going back shows the selection of that step; coming back to now, the
 * one chosen since. */
static void test_history_keeps_each_steps_selection(void **state)
{
	char *chosen;

	(void)state;
	step();
	step();
	step();
	tui_state_cycle(&ST, 1);
	chosen = strdup(ST.selected);
	assert_true(tui_state_history(&ST, -1));
	assert_true(ST.browsing);
	assert_int_equal(ST.shown, 2);
	assert_string_equal(ST.selected, "t");
	assert_ptr_equal(tui_state_shown(&ST), &session_entry_at(S, 1)->result);
	assert_true(tui_state_history(&ST, 1));
	assert_false(ST.browsing);
	assert_string_equal(ST.selected, chosen);
	/* Right at the latest step goes nowhere. */
	assert_false(tui_state_history(&ST, 1));
	free(chosen);
}

/* , and . hold the step shown at the moment after its first hops, which
 * the panes draw; past its last hop, its end again. The live flow stops
 * where it is; another step shown ends it. */
static void test_hop_by_hop(void **state)
{
	view_ctx c;
	size_t n;

	(void)state;
	step();
	step();
	step();                                 /* next(t): six hops */
	n = tui_state_shown(&ST)->nevents;
	assert_int_equal(n, 6);
	assert_true(tui_state_hop(&ST, -1));    /* from the end: its last hop undone */
	assert_true(ST.scrubbing);
	assert_int_equal(ST.anim_events, n - 1);
	tui_state_ctx(&ST, &c, false);
	assert_true(c.animating && c.scrubbing);
	assert_int_equal(c.anim_events, n - 1);
	assert_true(tui_state_hop(&ST, 1));     /* and done again: the end */
	assert_false(ST.scrubbing);
	tui_state_ctx(&ST, &c, false);
	assert_false(c.animating);
	assert_true(tui_state_hop(&ST, 1));     /* from the end, forward: the first hop */
	assert_int_equal(ST.anim_events, 1);
	assert_true(tui_state_hop(&ST, -1));
	assert_int_equal(ST.anim_events, 0);
	assert_false(tui_state_hop(&ST, -1));   /* nothing before the first */
	assert_true(ST.scrubbing);
	/* The live flow, playing, stops at the hop it is at. */
	ST.scrubbing = false;
	ST.animating = true;
	ST.anim_events = 2;
	assert_true(tui_state_hop(&ST, 1));
	assert_false(ST.animating);
	assert_true(ST.scrubbing);
	assert_int_equal(ST.anim_events, 3);
	/* Another step shown: its end; t = top() ran no generator. */
	assert_true(tui_state_history(&ST, -1));
	assert_false(ST.scrubbing);
	assert_false(tui_state_hop(&ST, 1));
	assert_false(ST.scrubbing);
}

/* A redraw reads: the context leaves the state and the session as they
 * were, whatever is shown. */
static void test_ctx_changes_nothing(void **state)
{
	tui_state before;
	view_ctx c;

	(void)state;
	ST.show_bytecode = true;
	step();
	step();
	step();
	assert_true(tui_state_history(&ST, -1));
	memcpy(&before, &ST, sizeof before);
	tui_state_ctx(&ST, &c, false);
	assert_memory_equal(&before, &ST, sizeof before);
	assert_int_equal(session_count(S), 3);
	assert_int_equal(c.nhist, 2);
	assert_true(c.browsing);
	assert_string_equal(c.hist[1].source, "t = top()");
	assert_int_equal(c.script_pos, 2);
}

/* The bytecode of a generator fetched when its step ended is still shown
 * at that step after the generator is gone. */
static void test_bytecode_outlives_the_generator(void **state)
{
	view_ctx c;

	(void)state;
	ST.show_bytecode = true;
	step();
	step();
	step();
	tui_state_ctx(&ST, &c, false);
	assert_non_null(c.instrs);
	assert_true(c.ninstrs > 0);
	step();                         /* t.send(4) */
	step();                         /* t.close() */
	assert_true(tui_state_history(&ST, -1));
	assert_true(tui_state_history(&ST, -1));
	assert_int_equal(ST.shown, 3);
	tui_state_ctx(&ST, &c, false);
	assert_non_null(c.instrs);
	/* Hidden, the pane gets no bytecode. */
	ST.show_bytecode = false;
	tui_state_ctx(&ST, &c, false);
	assert_null(c.instrs);
}

/* Line stepping: a driving step pauses; the pauses are walked through to
 * the end of the step, the history ending before it meanwhile. */
static void test_pauses(void **state)
{
	view_ctx c;
	size_t n = 1;

	(void)state;
	step();
	ST.line_step = true;
	session_set_line_stepping(S, true);
	step();
	step();                         /* next(t) runs generator code */
	assert_true(tui_state_pause_start(&ST));
	assert_true(ST.pausing);
	tui_state_ctx(&ST, &c, false);
	assert_non_null(c.pause);
	assert_int_equal(c.nhist, 2);
	assert_ptr_equal(c.running, session_entry_at(S, 2));
	while (tui_state_pause_next(&ST))
		n++;
	assert_int_equal(n, session_state(S)->npauses);
	assert_false(ST.pausing);
	assert_ptr_equal(tui_state_shown(&ST), session_state(S));
}

/* One's own asyncio.run() program: its step pauses at each callback
 * without line stepping; a pause shows the loop then (the selection on
 * the task the callback resumes), and u's move goes to the next pause
 * where a chosen task resumes, or nowhere once it has ended. */
static void test_callback_pauses(void **state)
{
	char path[1024];
	const char *dir = getenv("srcdir");
	const snap_step *shown, *res;
	const snap_task *t;
	lesson_error lerr;
	lesson *l;
	size_t at;

	(void)state;
	tui_state_clear(&ST);
	session_free(S);
	snprintf(path, sizeof path, "%s/tests/asyncio/run-callbacks.py", dir ? dir : ".");
	l = lesson_load(path, &lerr);
	assert_non_null(l);
	S = session_new(l, E);
	assert_non_null(S);
	memset(&ST, 0, sizeof ST);
	ST.max_cards = CARDS;
	tui_state_open(&ST, S);
	step();
	res = session_state(S);
	assert_true(res->npauses > 10);
	assert_true(tui_state_pause_start(&ST));
	assert_true(tui_state_loop_pause(&ST));
	shown = tui_state_shown(&ST);
	assert_true(shown->loop_used);
	t = snap_find_task(shown, ST.selected);
	assert_non_null(t);
	assert_int_equal(t->id, res->pauses[0].loop->next_task_id);
	/* Task-3 (worker "b") resumes at its first run, then after each
	 * sleep(0): from its first run, u goes to the next. */
	while (!(t = snap_find_task(tui_state_shown(&ST), ST.selected)) ||
	       strcmp(t->name, "Task-3") != 0)
		assert_true(tui_state_pause_next(&ST));
	at = ST.pause_at;
	assert_true(tui_state_pause_until(&ST, t->id));
	assert_true(ST.pause_at > at + 1);
	assert_int_equal(res->pauses[ST.pause_at].loop->next_task_id, t->id);
	while (tui_state_pause_until(&ST, t->id))
		;
	at = ST.pause_at;
	assert_false(tui_state_pause_until(&ST, t->id));
	assert_int_equal(ST.pause_at, at);
	assert_true(ST.pausing);
}

/* What the prediction prompt says will run. */
static void test_pending_statement(void **state)
{
	(void)state;
	step();
	step();
	step();
	assert_false(tui_state_wants_prediction(&ST, ACT_DRIVE, DRIVE_NEXT, NULL));
	ST.predict_mode = true;
	assert_true(tui_state_wants_prediction(&ST, ACT_DRIVE, DRIVE_NEXT, NULL));
	tui_state_pend(&ST, ACT_STEP, DRIVE_NONE, NULL);
	assert_string_equal(ST.pend.statement, "t.send(4)");
	tui_state_pend(&ST, ACT_DRIVE, DRIVE_SEND, "5");
	assert_string_equal(ST.pend.statement, "t.send(5)");
	assert_string_equal(ST.pend.target, "t");
	/* The script's own drive keeps the learner on script; another not. */
	assert_true(tui_state_matches_script(&ST, DRIVE_SEND, "4"));
	assert_false(tui_state_matches_script(&ST, DRIVE_SEND, "5"));
}

/* A heap of more generators than cards: [ and ] page through them. */
static void test_pages_of_cards(void **state)
{
	const snap_step *shown;
	view_ctx c;
	char *first;

	(void)state;
	step();
	step();
	step();
	assert_int_equal(session_state(S)->total_gens, 3);
	assert_int_equal(session_state(S)->ngens, CARDS);
	first = strdup(session_state(S)->gens[0].label);
	assert_true(tui_state_page_turn(&ST, 1));
	shown = tui_state_shown(&ST);
	assert_int_equal(shown->ngens, 1);
	assert_string_not_equal(shown->gens[0].label, first);
	assert_string_equal(ST.selected, shown->gens[0].label);
	tui_state_ctx(&ST, &c, false);
	assert_int_equal(c.card_offset, CARDS);
	/* The last page stays the last. */
	assert_true(tui_state_page_turn(&ST, 1));
	assert_int_equal(ST.card_page, 1);
	assert_true(tui_state_page_turn(&ST, -1));
	assert_ptr_equal(tui_state_shown(&ST), session_state(S));
	assert_string_equal(ST.selected, first);
	/* Nothing to page through in the past. */
	assert_true(tui_state_history(&ST, -1));
	assert_false(tui_state_page_turn(&ST, 1));
	assert_true(tui_state_history(&ST, 1));
	/* A step that leaves fewer generators than a page shows the first. */
	assert_true(tui_state_page_turn(&ST, 1));
	step();                         /* t.send(4): leaf is done */
	assert_true(session_state(S)->total_gens <= CARDS);
	tui_state_page_refresh(&ST);
	assert_int_equal(ST.card_page, 0);
	assert_ptr_equal(tui_state_shown(&ST), session_state(S));
	free(first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_selection_follows_the_script, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_follows_what_the_step_drove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_leaves_what_closed_before, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_keeps_each_steps_selection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctx_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hop_by_hop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bytecode_outlives_the_generator, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pauses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_pauses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_statement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_of_cards, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
