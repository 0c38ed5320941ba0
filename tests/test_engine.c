/* test_engine.c: the embedded interpreter through a generator's whole life,
 * a three-level yield from chain, and every kind of bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "snapshot.h"

static engine *E;

static int setup(void **state)
{
	engine_options o;
	char err[256];

	engine_options_default(&o);
	o.step_timeout = 0.3;
	o.output_cap = 1000;
	E = engine_new(&o, err, sizeof err);
	if (!E)
		fprintf(stderr, "engine_new: %s\n", err);
	return E ? 0 : -1;
}

static int teardown(void **state)
{
	engine_free(E);
	return 0;
}

static int fresh(void **state)
{
	return engine_reset(E);
}

/* Run a code block at line 1 of the program and expect no exception. */
static void code(const char *src)
{
	snap_step st = {0};

	assert_int_equal(engine_set_program(E, NULL, src), 0);
	assert_int_equal(engine_run_code(E, src, 1, &st), ENGINE_OK);
	if (st.exception)
		fail_msg("code raised %s", st.exception);
	snap_step_clear(&st);
}

static void stmt(const char *src, snap_step *st)
{
	memset(st, 0, sizeof *st);
	assert_int_equal(engine_run_statement(E, src, st), ENGINE_OK);
}

static int drive(drive_kind kind, const char *target, const char *arg,
                 const char *assign, snap_step *st)
{
	lesson_drive d = { kind, (char *)target, (char *)arg, (char *)assign };

	memset(st, 0, sizeof *st);
	return engine_drive(E, &d, st);
}

static const char *local_of(const snap_gen *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nlocals; i++)
		if (strcmp(g->locals[i].name, name) == 0)
			return g->locals[i].repr;
	return NULL;
}

static const snap_gen *gen(const snap_step *st, const char *label)
{
	const snap_gen *g = snap_find(st, label);

	if (!g)
		fail_msg("no generator labelled %s", label);
	return g;
}

static const char LIFE[] =
	"def tally(start):\n"                   /* 1 */
	"    total = start\n"                   /* 2 */
	"    try:\n"                            /* 3 */
	"        while True:\n"                 /* 4 */
	"            step = yield total\n"      /* 5 */
	"            if step is None:\n"        /* 6 */
	"                return total\n"        /* 7 */
	"            total += step\n"           /* 8 */
	"    finally:\n"                        /* 9 */
	"        print('tally closed at', total)\n"; /* 10 */

static void test_life(void **state)
{
	snap_step st;
	const snap_gen *g;

	code(LIFE);
	stmt("t = tally(5)", &st);
	g = gen(&st, "t");
	assert_int_equal(g->state, SNAP_CREATED);
	assert_string_equal(snap_state_name(g->kind, g->state), "GEN_CREATED");
	assert_string_equal(g->function, "tally");
	assert_string_equal(g->filename, "<lesson>");
	assert_int_equal(g->first_line, 1);
	assert_string_equal(local_of(g, "start"), "5");
	assert_null(g->delegate);
	snap_step_clear(&st);

	assert_int_equal(drive(DRIVE_NEXT, "t", NULL, NULL, &st), ENGINE_OK);
	assert_string_equal(st.value, "5");
	assert_string_equal(st.output, "5\n");
	g = gen(&st, "t");
	assert_int_equal(g->state, SNAP_SUSPENDED);
	assert_int_equal(g->line, 5);
	assert_true(g->lasti > 0);
	assert_string_equal(local_of(g, "total"), "5");
	snap_step_clear(&st);

	assert_int_equal(drive(DRIVE_SEND, "t", "6", "v", &st), ENGINE_OK);
	assert_null(st.value);              /* assigned, not echoed */
	assert_string_equal(st.output, "");
	assert_string_equal(local_of(gen(&st, "t"), "total"), "11");
	assert_string_equal(local_of(gen(&st, "t"), "step"), "6");
	snap_step_clear(&st);
	stmt("v", &st);
	assert_string_equal(st.value, "11");
	snap_step_clear(&st);

	/* close runs the finally block: its print is this step's output. */
	assert_int_equal(drive(DRIVE_CLOSE, "t", NULL, NULL, &st), ENGINE_OK);
	assert_string_equal(st.output, "tally closed at 11\n");
	assert_null(st.exception);
	g = gen(&st, "t");
	assert_int_equal(g->state, SNAP_CLOSED);
	assert_int_equal(g->line, -1);
	assert_int_equal(g->nlocals, 0);
	snap_step_clear(&st);

	assert_int_equal(drive(DRIVE_NEXT, "t", NULL, NULL, &st), ENGINE_OK);
	assert_string_equal(st.exception, "StopIteration");
	snap_step_clear(&st);
}

static void test_return_value(void **state)
{
	snap_step st;

	code(LIFE);
	stmt("t = tally(2)", &st);
	snap_step_clear(&st);
	drive(DRIVE_NEXT, "t", NULL, NULL, &st);
	snap_step_clear(&st);
	/* send(None) is next: the generator returns, StopIteration carries it. */
	assert_int_equal(drive(DRIVE_SEND, "t", "None", NULL, &st), ENGINE_OK);
	assert_string_equal(st.exception, "StopIteration: 2");
	assert_string_equal(st.output, "tally closed at 2\n");
	assert_int_equal(gen(&st, "t")->state, SNAP_CLOSED);
	assert_int_equal(st.nevents, 2);
	assert_int_equal(st.events[1].event, SNAP_EV_RETURN);
	assert_string_equal(st.events[1].value, "2");
	snap_step_clear(&st);

	stmt("try:\n    next(tally(4))\n    next(t)\nexcept StopIteration as e:\n    print(e.value)", &st);
	assert_null(st.exception);
	snap_step_clear(&st);
}

/* The ordinary functions that resumed a generator are on the call stack
 * too: a resume names them, outermost first, down to the step's frame or
 * the generator frame below (the Heap's call stack shows them). */
static void test_resume_callers(void **state)
{
	snap_step st;

	code("def turn(g):\n    return next(g)\n"
	     "def run(g):\n    return turn(g)\n"
	     "def outer(g):\n    yield run(g)\n"
	     "def count():\n    yield 1\n    yield 2\n");
	stmt("c = count()", &st);
	snap_step_clear(&st);
	stmt("run(c)", &st);
	assert_int_equal(st.nevents, 2);
	assert_string_equal(st.events[0].callers, "run turn");
	assert_null(st.events[1].callers);
	snap_step_clear(&st);
	/* Below a generator frame: only the functions above it. */
	stmt("o = outer(c)", &st);
	snap_step_clear(&st);
	stmt("next(o)", &st);
	assert_int_equal(st.nevents, 4);
	assert_null(st.events[0].callers);
	assert_string_equal(st.events[1].function, "count");
	assert_string_equal(st.events[1].callers, "run turn");
	snap_step_clear(&st);
}

/* Each hop says how much the step had printed before it: the live flow
 * shows the output as it was printed. */
static void test_printed_before_hops(void **state)
{
	snap_step st;

	code("def talk():\n    print('a\u00e9')\n    yield 1\n    print('bc')\n    yield 2\n");
	stmt("t = talk()", &st);
	snap_step_clear(&st);
	stmt("print('>'); next(t); next(t)", &st);
	assert_int_equal(st.nevents, 4);
	/* Characters, not bytes: 'a\u00e9' is two; as at >>>, the first
	 * next(t) echoes its value (1) before the second runs. */
	assert_int_equal(st.events[0].printed, 2);
	assert_int_equal(st.events[1].printed, 5);
	assert_int_equal(st.events[2].printed, 7);
	assert_int_equal(st.events[3].printed, 10);
	snap_step_clear(&st);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static const char *event_local(const snap_event *ev, const char *name)
{
	size_t i;

	for (i = 0; i < ev->nlocals; i++)
		if (strcmp(ev->locals[i].name, name) == 0)
			return ev->locals[i].repr;
	return NULL;
}

/* The first hops of a step carry their frame's locals as its card shows
 * them, same repr, same cut: the live flow draws each card as it was at
 * that hop. */
static void test_locals_at_hops(void **state)
{
	snap_step st;
	size_t i, read;
	double t0, took;
	char want[32];

	code("class Bad:\n    def __repr__(self):\n        raise KeyError('no')\n"
	     "def count(n):\n    word = 'w' * 200\n    bad = Bad()\n"
	     "    for i in range(n):\n        yield i\n");
	stmt("c = count(100)", &st);
	snap_step_clear(&st);
	stmt("next(c)", &st);
	assert_int_equal(st.nevents, 2);
	/* Resumed: the arguments only; yielding: what ran has bound. */
	assert_true(st.events[0].has_locals);
	assert_string_equal(event_local(&st.events[0], "n"), "100");
	assert_null(event_local(&st.events[0], "i"));
	assert_true(st.events[1].has_locals);
	assert_string_equal(event_local(&st.events[1], "i"), "0");
	/* The card's repr, cut where the card cuts, failing as it fails. */
	assert_string_equal(event_local(&st.events[1], "word"), local_of(gen(&st, "c"), "word"));
	assert_string_equal(event_local(&st.events[1], "bad"), local_of(gen(&st, "c"), "bad"));
	assert_non_null(strstr(event_local(&st.events[1], "bad"), "KeyError"));
	snap_step_clear(&st);
	t0 = now_ms();
	stmt("for _ in range(40): next(c)", &st);
	took = now_ms() - t0;
	assert_int_equal(st.nevents, 80);
	/* The hops that carry locals come first, each as it was then (a
	 * resume: the i of the hop before; a yield: the new one). */
	for (read = 0; read < st.nevents && st.events[read].has_locals; read++) {
		snprintf(want, sizeof want, "%zu", (read + 1) / 2);
		assert_string_equal(event_local(&st.events[read], "i"), want);
	}
	/* All of the first 64, unless the step took longer than the 10 ms
	 * its reprs may spend (valgrind, a loaded machine): then at least the
	 * first. Past the first hops, nothing is read. */
	assert_true(read == 64 || (took > 10.0 && read >= 1));
	for (i = read; i < st.nevents; i++)
		assert_false(st.events[i].has_locals);
	snap_step_clear(&st);
	/* Nor once the step's reprs have taken their share of its time: a
	 * repr of 5 ms each, the fourth hop on reads none. */
	code("import time\nclass Slow:\n    def __repr__(self):\n        time.sleep(0.005)\n"
	     "        return 'slow'\ndef slowly():\n    s = Slow()\n    while True:\n        yield\n");
	stmt("w = slowly()", &st);
	snap_step_clear(&st);
	stmt("for _ in range(10): next(w)", &st);
	assert_int_equal(st.nevents, 20);
	assert_true(st.events[1].has_locals);
	assert_string_equal(event_local(&st.events[1], "s"), "slow");
	for (i = 4; i < st.nevents; i++)
		assert_false(st.events[i].has_locals);
	snap_step_clear(&st);
}

static const char CATCHER[] =
	"def catcher():\n"
	"    while True:\n"
	"        try:\n"
	"            yield 'ready'\n"
	"        except ValueError as e:\n"
	"            yield 'handled ' + str(e)\n";

static void test_throw(void **state)
{
	snap_step st;

	code(CATCHER);
	stmt("c = catcher()", &st);
	snap_step_clear(&st);
	drive(DRIVE_NEXT, "c", NULL, NULL, &st);
	snap_step_clear(&st);

	/* Handled: throw returns the next value yielded, and it goes on. */
	assert_int_equal(drive(DRIVE_THROW, "c", "ValueError('bad')", NULL, &st), ENGINE_OK);
	assert_string_equal(st.value, "'handled bad'");
	assert_int_equal(gen(&st, "c")->state, SNAP_SUSPENDED);
	assert_int_equal(gen(&st, "c")->line, 6);
	assert_int_equal(st.events[0].how, SNAP_HOW_THROW);
	assert_string_equal(st.events[0].value, "ValueError: bad");
	snap_step_clear(&st);

	/* Unhandled: it propagates and the generator is closed for good. */
	assert_int_equal(drive(DRIVE_THROW, "c", "KeyError", NULL, &st), ENGINE_OK);
	assert_string_equal(st.exception, "KeyError");
	assert_int_equal(gen(&st, "c")->state, SNAP_CLOSED);
	assert_int_equal(st.events[st.nevents - 1].event, SNAP_EV_RAISE);
	assert_string_equal(st.events[st.nevents - 1].value, "KeyError");
	snap_step_clear(&st);
}

static const char CHAIN[] =
	"def inner():\n"                        /* 1 */
	"    got = yield 'i1'\n"                /* 2 */
	"    return got * 2\n"                  /* 3 */
	"def middle():\n"                       /* 4 */
	"    res = yield from inner()\n"        /* 5 */
	"    yield ('middle got', res)\n"       /* 6 */
	"def outer():\n"                        /* 7 */
	"    yield from middle()\n"             /* 8 */
	"    return 'done'\n";                  /* 9 */

static void test_chain(void **state)
{
	static const char *const mid = "o.gi_yieldfrom";
	static const char *const inn = "o.gi_yieldfrom.gi_yieldfrom";
	snap_step st;
	size_t i;

	code(CHAIN);
	stmt("o = outer()", &st);
	snap_step_clear(&st);
	assert_int_equal(drive(DRIVE_NEXT, "o", NULL, NULL, &st), ENGINE_OK);
	assert_string_equal(st.value, "'i1'");
	assert_int_equal(st.ngens, 3);
	assert_string_equal(gen(&st, "o")->delegate, mid);
	assert_string_equal(gen(&st, mid)->function, "middle");
	assert_string_equal(gen(&st, mid)->delegate, inn);
	assert_string_equal(gen(&st, inn)->function, "inner");
	assert_null(gen(&st, inn)->delegate);
	assert_int_equal(gen(&st, inn)->line, 2);
	assert_int_equal(gen(&st, mid)->line, 5);
	assert_int_equal(gen(&st, "o")->line, 8);
	snap_step_clear(&st);

	/* A value sent in goes down every hop; the answer comes back up. */
	assert_int_equal(drive(DRIVE_SEND, "o", "21", NULL, &st), ENGINE_OK);
	assert_string_equal(st.value, "('middle got', 42)");
	{
		static const struct { const char *label; snap_event_kind ev; int depth; const char *value; } want[] = {
			{ "o", SNAP_EV_RESUME, 0, "21" },
			{ "o.gi_yieldfrom", SNAP_EV_RESUME, 1, "21" },
			{ "o.gi_yieldfrom.gi_yieldfrom", SNAP_EV_RESUME, 2, "21" },
			{ NULL, SNAP_EV_RETURN, 2, "42" },
			{ "o.gi_yieldfrom", SNAP_EV_YIELD, 1, "('middle got', 42)" },
			{ "o", SNAP_EV_YIELD, 0, "('middle got', 42)" },
		};
		assert_int_equal(st.nevents, 6);
		for (i = 0; i < 6; i++) {
			const snap_event *ev = &st.events[i];

			assert_int_equal(ev->event, want[i].ev);
			assert_int_equal(ev->depth, want[i].depth);
			assert_string_equal(ev->value, want[i].value);
			if (want[i].label)
				assert_string_equal(ev->label, want[i].label);
			if (ev->event == SNAP_EV_RESUME)
				assert_int_equal(ev->how, SNAP_HOW_SEND);
		}
		/* The inner generator returned in this step: it was labelled
		 * by the snapshot before it. */
		assert_string_equal(st.events[3].label, "o.gi_yieldfrom.gi_yieldfrom");
		assert_string_equal(st.events[3].function, "inner");
	}
	assert_int_equal(st.ngens, 2);
	assert_string_equal(gen(&st, mid)->delegate ? "x" : "none", "none");
	assert_string_equal(local_of(gen(&st, mid), "res"), "42");
	snap_step_clear(&st);

	/* Driving the middle of the chain directly is allowed. */
	assert_int_equal(drive(DRIVE_CLOSE, mid, NULL, NULL, &st), ENGINE_OK);
	assert_int_equal(gen(&st, "o")->state, SNAP_SUSPENDED);
	snap_step_clear(&st);
	assert_int_equal(drive(DRIVE_NEXT, "o", NULL, NULL, &st), ENGINE_OK);
	assert_string_equal(st.exception, "StopIteration: done");
	snap_step_clear(&st);
}

static void test_labels_through_locals_and_lists(void **state)
{
	snap_step st;

	code("def worker(n):\n    yield n\n"
	     "def boss():\n    helper = worker(1)\n    yield helper\n");
	stmt("b = boss(); next(b); tasks = [worker(2), worker(3)]", &st);
	assert_non_null(snap_find(&st, "b.gi_frame.f_locals['helper']"));
	assert_non_null(snap_find(&st, "tasks[0]"));
	assert_non_null(snap_find(&st, "tasks[1]"));
	snap_step_clear(&st);
}

static void test_statement_echo(void **state)
{
	snap_step st;

	stmt("1 + 1", &st);
	assert_string_equal(st.value, "2");
	assert_string_equal(st.output, "2\n");
	snap_step_clear(&st);
	stmt("None", &st);
	assert_null(st.value);
	assert_string_equal(st.output, "");
	snap_step_clear(&st);
	stmt("print('a'); import sys; print('b', file=sys.stderr)", &st);
	assert_string_equal(st.output, "a\nb\n");
	snap_step_clear(&st);
	/* Output belongs to its own step only. */
	stmt("x = 3", &st);
	assert_string_equal(st.output, "");
	snap_step_clear(&st);
}

static void test_isolated(void **state)
{
	snap_step st;

	stmt("import sys; (sys.flags.isolated, sys.flags.no_user_site, "
	     "'site' in sys.modules, sys.flags.hash_randomization)", &st);
	assert_string_equal(st.value, "(1, 1, False, 0)");
	snap_step_clear(&st);
	stmt("__name__", &st);
	assert_string_equal(st.value, "'__main__'");
	snap_step_clear(&st);
}

/* ---- Bad input: CPython's own words, and the engine goes on ---------------- */

static void expect_exc(const char *statement, const char *exception)
{
	snap_step st;

	stmt(statement, &st);
	assert_non_null(st.exception);
	assert_string_equal(st.exception, exception);
	snap_step_clear(&st);
	stmt("6 * 7", &st);
	assert_string_equal(st.value, "42");
	snap_step_clear(&st);
}

static void test_bad_input(void **state)
{
	snap_step st;

	code("def g():\n    yield 1\n"
	     "def me():\n    yield next(mine)\n"
	     "def ignores():\n    while True:\n        try:\n            yield 1\n"
	     "        except GeneratorExit:\n            pass\n"
	     "def stops():\n    raise StopIteration(3)\n    yield\n");
	expect_exc("x = = 1", "SyntaxError: invalid syntax");
	expect_exc("1 / 0", "ZeroDivisionError: division by zero");
	expect_exc("g().send(5)", "TypeError: can't send non-None value to a just-started generator");
	expect_exc("g().throw(1)", "TypeError: exceptions must be classes or instances deriving from BaseException, not int");
	expect_exc("mine = me(); next(mine)", "ValueError: generator already executing");
	expect_exc("i = ignores(); next(i); i.close()", "RuntimeError: generator ignored GeneratorExit");
	expect_exc("next(stops())", "RuntimeError: generator raised StopIteration");
	expect_exc("raise KeyError('k')", "KeyError: 'k'");

	/* The same through the driving path. */
	stmt("h = g()", &st);
	snap_step_clear(&st);
	assert_int_equal(drive(DRIVE_SEND, "h", "5", NULL, &st), ENGINE_OK);
	assert_string_equal(st.exception, "TypeError: can't send non-None value to a just-started generator");
	snap_step_clear(&st);
	/* A bad argument: nothing is sent, the generator is untouched. */
	assert_int_equal(drive(DRIVE_SEND, "h", "nosuch + 1", NULL, &st), ENGINE_ARG_ERROR);
	assert_string_equal(st.exception, "NameError: name 'nosuch' is not defined");
	assert_int_equal(gen(&st, "h")->state, SNAP_CREATED);
	snap_step_clear(&st);
	assert_int_equal(drive(DRIVE_THROW, "h", "(", NULL, &st), ENGINE_ARG_ERROR);
	assert_non_null(strstr(st.exception, "SyntaxError"));
	snap_step_clear(&st);

	/* A syntax error in a code step names its line in the program. */
	memset(&st, 0, sizeof st);
	assert_int_equal(engine_run_code(E, "x = 1\ndef f(:\n", 10, &st), ENGINE_OK);
	assert_non_null(st.exception);
	assert_non_null(strstr(st.exception, "SyntaxError"));
	assert_int_equal(st.exception_line, 11);
	snap_step_clear(&st);
}

static void test_pep479_events(void **state)
{
	snap_step st;

	code("def stops():\n    yield 1\n    raise StopIteration('x')\n");
	stmt("s = stops(); next(s)", &st);
	snap_step_clear(&st);
	assert_int_equal(drive(DRIVE_NEXT, "s", NULL, NULL, &st), ENGINE_OK);
	assert_string_equal(st.exception, "RuntimeError: generator raised StopIteration");
	assert_int_equal(st.events[st.nevents - 1].event, SNAP_EV_RAISE);
	/* On 3.11 the StopIteration left the frame and the generator machinery
	 * turned it into RuntimeError; from 3.12 the frame's own code does
	 * the turning, so RuntimeError is what leaves it. */
	if (strncmp(engine_python_version(), "3.11.", 5) == 0)
		assert_string_equal(st.events[st.nevents - 1].value, "StopIteration: x");
	else
		assert_string_equal(st.events[st.nevents - 1].value,
		                    "RuntimeError: generator raised StopIteration");
	snap_step_clear(&st);
}

/* Issue 11: a finalizer runs in the step where CPython runs it, even for
 * generators the last snapshot showed and the hooks saw. */
static void test_lifetimes(void **state)
{
	snap_step st;

	code("def worker():\n"
	     "    try:\n"
	     "        yield 'w'\n"
	     "    finally:\n"
	     "        print('worker cleaned up')\n"
	     "def boss():\n"
	     "    w = worker()\n"
	     "    yield next(w)\n"
	     "    yield 'boss done'\n");
	stmt("b = boss()", &st);
	snap_step_clear(&st);
	drive(DRIVE_NEXT, "b", NULL, NULL, &st);
	snap_step_clear(&st);
	drive(DRIVE_NEXT, "b", NULL, NULL, &st);
	assert_null(strstr(st.output, "cleaned up"));
	snap_step_clear(&st);
	/* boss returns, and w, its only owner's local, goes with it. */
	drive(DRIVE_NEXT, "b", NULL, NULL, &st);
	assert_string_equal(st.exception, "StopIteration");
	assert_string_equal(st.output, "worker cleaned up\n");
	snap_step_clear(&st);
	stmt("1", &st);
	assert_string_equal(st.output, "1\n");
	snap_step_clear(&st);
	/* A generator made for one drive goes before the echo, as it does in
	 * the statement `next(worker())`. */
	drive(DRIVE_NEXT, "worker()", NULL, NULL, &st);
	assert_string_equal(st.output, "worker cleaned up\n'w'\n");
	snap_step_clear(&st);
}

/* Issue 11: throw() into a chain, hop by hop: the leaf turns the KeyError
 * into a ValueError, which mid receives; top never runs. */
static void test_throw_chain(void **state)
{
	snap_step st;
	size_t i;

	code("def leaf():\n"
	     "    try:\n"
	     "        yield 'leaf'\n"
	     "    except KeyError:\n"
	     "        raise ValueError('from leaf')\n"
	     "def mid():\n"
	     "    try:\n"
	     "        yield from leaf()\n"
	     "    except ValueError:\n"
	     "        yield 'mid handled'\n"
	     "def top():\n"
	     "    yield from mid()\n");
	stmt("t = top(); next(t)", &st);
	snap_step_clear(&st);
	assert_int_equal(drive(DRIVE_THROW, "t", "KeyError('x')", NULL, &st), ENGINE_OK);
	assert_string_equal(st.value, "'mid handled'");
	assert_int_equal(st.nevents, 4);
	assert_string_equal(st.events[0].function, "leaf");
	assert_int_equal(st.events[0].event, SNAP_EV_RESUME);
	assert_int_equal(st.events[0].depth, 2);
	assert_int_equal(st.events[0].how, SNAP_HOW_THROW);
	assert_string_equal(st.events[0].value, "KeyError: 'x'");
	assert_int_equal(st.events[1].event, SNAP_EV_RAISE);
	assert_string_equal(st.events[1].value, "ValueError: from leaf");
	assert_string_equal(st.events[2].function, "mid");
	assert_int_equal(st.events[2].depth, 1);
	assert_string_equal(st.events[2].value, "ValueError: from leaf");
	assert_int_equal(st.events[3].event, SNAP_EV_YIELD);
	for (i = 0; i < st.nevents; i++)
		assert_string_not_equal(st.events[i].function, "top");
	snap_step_clear(&st);
}

static void test_runaway(void **state)
{
	snap_step st;

	code("def spin():\n    yield 'start'\n    while True:\n        pass\n");
	stmt("s = spin(); next(s)", &st);
	snap_step_clear(&st);
	assert_int_equal(drive(DRIVE_NEXT, "s", NULL, NULL, &st), ENGINE_OK);
	assert_non_null(st.exception);
	assert_non_null(strstr(st.exception, "StepTimeout"));
	assert_non_null(st.note);
	assert_non_null(strstr(st.note, "stopped"));
	snap_step_clear(&st);
	/* Swallowing the stop does not help: it comes again. */
	stmt("while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass\n", &st);
	assert_non_null(st.exception);
	snap_step_clear(&st);
	stmt("6 * 7", &st);
	assert_string_equal(st.value, "42");
	snap_step_clear(&st);
}

static void test_output_cap(void **state)
{
	snap_step st;

	stmt("print('x' * 5000)", &st);
	assert_true(st.output_capped);
	assert_int_equal(strlen(st.output), 1000);
	assert_non_null(st.note);
	snap_step_clear(&st);
	stmt("while True: print('again')", &st);
	assert_true(st.output_capped);
	assert_non_null(strstr(st.exception, "StepTimeout"));
	snap_step_clear(&st);
	stmt("print('ok')", &st);
	assert_false(st.output_capped);
	assert_string_equal(st.output, "ok\n");
	snap_step_clear(&st);
}

/* Between two engine calls, descriptor 1 is still the lesson's: a byte a
 * lesson thread writes there (one that let go of the GIL just before its
 * write) is output of the next step, never the program's stdout. The
 * main thread writes it here, exactly as such a thread would. */
static void test_stray_write_between_calls(void **state)
{
	struct stat ours, one;
	snap_step st;

	stmt("print('first')", &st);
	snap_step_clear(&st);
	assert_int_equal(fstat(fileno(stdout), &ours), 0);
	assert_int_equal(fstat(1, &one), 0);
	assert_false(ours.st_dev == one.st_dev && ours.st_ino == one.st_ino);
	assert_int_equal(write(1, "stray\n", 6), 6);
	stmt("print('second')", &st);
	assert_non_null(st.output);
	assert_non_null(strstr(st.output, "stray\n"));
	assert_non_null(strstr(st.output, "second\n"));
	snap_step_clear(&st);
}

static void test_hostile_basics(void **state)
{
	snap_step st;

	expect_exc("raise SystemExit(3)", "SystemExit: 3");
	expect_exc("import sys; sys.exit()", "SystemExit");
	expect_exc("raise KeyboardInterrupt", "KeyboardInterrupt");
	expect_exc("input()", "EOFError: EOF when reading a line");
	code("class Bad:\n    def __repr__(self):\n        raise ValueError('no')\n"
	     "def holds():\n    b = Bad()\n    yield 1\n");
	stmt("h = holds(); next(h)", &st);
	/* A repr that raises is shown as the exception it raised. */
	assert_string_equal(local_of(gen(&st, "h"), "b"), "<repr failed: ValueError: no>");
	snap_step_clear(&st);
	/* A monkey-patched builtin does not outlive its lesson. */
	stmt("import builtins; builtins.next = lambda g: 'patched'", &st);
	snap_step_clear(&st);
	assert_int_equal(engine_reset(E), 0);
	stmt("next(iter([1]))", &st);
	assert_string_equal(st.value, "1");
	snap_step_clear(&st);
}

static void test_disassemble(void **state)
{
	snap_step st;
	engine_instr *v;
	long n, i;
	bool at_yield = false;

	code(LIFE);
	stmt("t = tally(1); next(t)", &st);
	n = engine_disassemble(E, "t", &v);
	assert_true(n > 5);
	/* f_lasti marks the YIELD_VALUE it paused at; from 3.13 it marks the
	 * RESUME that follows it. */
	for (i = 0; i < n; i++)
		if (v[i].offset == gen(&st, "t")->lasti)
			at_yield = strcmp(v[i].opname, "YIELD_VALUE") == 0 ||
			           (i > 0 && strcmp(v[i].opname, "RESUME") == 0 &&
			            strcmp(v[i - 1].opname, "YIELD_VALUE") == 0);
	assert_true(at_yield);
	engine_instrs_free(v, n);
	assert_int_equal(engine_disassemble(E, "nosuch", &v), -1);
	snap_step_clear(&st);
}

/* The Bytecode pane names a jump's target by its offset, which the pane
 * shows, on every version (3.13's dis names it by a label instead), and a
 * small int by its value (3.14's LOAD_SMALL_INT has an empty argrepr). */
static void test_disassemble_args(void **state)
{
	snap_step st;
	engine_instr *v;
	long n, i, j, jumps = 0;
	bool seven = false;

	code("def count():\n"
	     "    n = 0\n"
	     "    while n < 7:\n"
	     "        yield n\n"
	     "        n += 1\n");
	stmt("c = count(); next(c)", &st);
	n = engine_disassemble(E, "c", &v);
	assert_true(n > 5);
	for (i = 0; i < n; i++) {
		long target;

		if (strcmp(v[i].argrepr, "7") == 0)
			seven = true;
		if (strncmp(v[i].argrepr, "to ", 3) != 0)
			continue;
		jumps++;
		assert_true(sscanf(v[i].argrepr, "to %ld", &target) == 1);
		for (j = 0; j < n && v[j].offset != target; j++)
			;
		assert_true(j < n);
	}
	assert_true(jumps >= 1);
	assert_true(seven);
	engine_instrs_free(v, n);
	snap_step_clear(&st);
}

static void test_line_stepping(void **state)
{
	snap_step st, at = {0};
	size_t i, deepest = 0, lines = 0, returns = 0;
	const snap_pause *p;

	code(CHAIN);
	stmt("o = outer(); next(o)", &st);
	assert_int_equal(st.npauses, 0);            /* off: nothing recorded */
	snap_step_clear(&st);

	engine_set_line_stepping(E, true);
	assert_int_equal(drive(DRIVE_SEND, "o", "21", NULL, &st), ENGINE_OK);
	engine_set_line_stepping(E, false);
	assert_string_equal(st.value, "('middle got', 42)");
	assert_true(st.npauses >= 6);

	/* First pause: o resumed, on the stack above the prompt's frame. */
	p = &st.pauses[0];
	assert_int_equal(p->kind, SNAP_PAUSE_RESUME);
	assert_int_equal(p->nstack, 2);
	assert_string_equal(p->stack[0].function, "<module>");
	assert_string_equal(p->stack[1].function, "outer");
	assert_string_equal(p->stack[1].label, "o");
	assert_true(p->stack[1].generator);
	at.gens = p->gens;
	at.ngens = p->ngens;
	assert_int_equal(snap_find(&at, "o")->state, SNAP_RUNNING);

	for (i = 0; i < st.npauses; i++) {
		p = &st.pauses[i];
		if (p->nstack > deepest)
			deepest = p->nstack;
		if (p->kind == SNAP_PAUSE_LINE) {
			lines++;
			assert_true(p->stack[p->nstack - 1].generator);
		}
		/* The inner frame at its return: three generator frames on the
		 * stack, and got holding what was sent down. */
		if (p->kind == SNAP_PAUSE_RETURN) {
			const snap_frame *top = &p->stack[p->nstack - 1];

			assert_int_equal(p->nstack, 4);
			assert_string_equal(top->function, "inner");
			/* Every frame on the stack is named, the running ones too. */
			assert_string_equal(p->stack[2].label, "o.gi_yieldfrom");
			assert_string_equal(top->label, "o.gi_yieldfrom.gi_yieldfrom");
			assert_int_equal(p->ngens, 3);
			returns++;
			assert_string_equal(p->value, "42");
			assert_string_equal(top->locals[0].name, "got");
			assert_string_equal(top->locals[0].repr, "21");
		}
	}
	assert_int_equal(deepest, 4);
	assert_int_equal(returns, 1);
	assert_true(lines >= 2);                    /* line 3 of inner, line 6 of middle */
	p = &st.pauses[st.npauses - 1];
	assert_int_equal(p->kind, SNAP_PAUSE_YIELD);
	assert_int_equal(p->nstack, 2);
	/* At its yield, o is shown suspended and delegating to middle, as it
	 * is a moment later (3.14 reports a yield before the generator is
	 * marked suspended, with no gi_yieldfrom yet). */
	at.gens = p->gens;
	at.ngens = p->ngens;
	assert_int_equal(snap_find(&at, "o")->state, SNAP_SUSPENDED);
	assert_non_null(snap_find(&at, "o.gi_yieldfrom"));
	assert_string_equal(snap_find(&at, "o.gi_yieldfrom")->function, "middle");
	snap_step_clear(&st);

	/* Off again: no pauses, no tracing. */
	assert_int_equal(drive(DRIVE_NEXT, "o", NULL, NULL, &st), ENGINE_OK);
	assert_int_equal(st.npauses, 0);
	snap_step_clear(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_life, fresh),
		cmocka_unit_test_setup(test_return_value, fresh),
		cmocka_unit_test_setup(test_resume_callers, fresh),
		cmocka_unit_test_setup(test_printed_before_hops, fresh),
		cmocka_unit_test_setup(test_locals_at_hops, fresh),
		cmocka_unit_test_setup(test_throw, fresh),
		cmocka_unit_test_setup(test_chain, fresh),
		cmocka_unit_test_setup(test_labels_through_locals_and_lists, fresh),
		cmocka_unit_test_setup(test_statement_echo, fresh),
		cmocka_unit_test_setup(test_isolated, fresh),
		cmocka_unit_test_setup(test_bad_input, fresh),
		cmocka_unit_test_setup(test_pep479_events, fresh),
		cmocka_unit_test_setup(test_lifetimes, fresh),
		cmocka_unit_test_setup(test_throw_chain, fresh),
		cmocka_unit_test_setup(test_runaway, fresh),
		cmocka_unit_test_setup(test_output_cap, fresh),
		cmocka_unit_test_setup(test_stray_write_between_calls, fresh),
		cmocka_unit_test_setup(test_hostile_basics, fresh),
		cmocka_unit_test_setup(test_disassemble, fresh),
		cmocka_unit_test_setup(test_disassemble_args, fresh),
		cmocka_unit_test_setup(test_line_stepping, fresh),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
