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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_free_play_and_replay),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
