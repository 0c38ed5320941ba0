/* test_transcript.c: the text handout and the JSON Lines, from session
 * entries built by hand, so no engine or Python is needed. */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>

#include "transcript.h"

/* ---- Fixtures: a lesson of three steps and what performing them gave -- */

static lesson_step steps[] = {
	{
		.kind = LESSON_CODE,
		.source = "def tally(start):\n    step = yield start\n\n    return step",
		.line = 10,
		.code_line = 1,
		.narration = "A generator function runs nothing when called.",
	},
	{
		.kind = LESSON_STATEMENT,
		.source = "t.send(6)",
		.line = 21,
		.expected = "got 6\n11\n",
		.section = "Sending values in",
		.narration = "`step` gets its value only when one is sent in. This "
		             "paragraph is long enough that it has to be wrapped "
		             "to fit the handout.\n"
		             "<!-- yieldscope: predict -->\n"
		             "\n"
		             "- a list item that is also long enough to need a "
		             "second line on the printed page, hanging\n"
		             "- a short item",
	},
	{
		.kind = LESSON_STATEMENT,
		.source = "for v in outer():\n    print(v)",
		.line = 30,
		.section = "Delegation",
	},
};

static lesson les = {
	.path = "lessons/send.md",
	.title = "Sending values in",
	.steps = steps,
	.nsteps = 3,
};

static snap_local tally_locals[] = {
	{ "start", "5" }, { "step", "6" }, { "total", "11" },
};

static snap_gen send_gens[] = {
	{ .label = "t", .kind = SNAP_GENERATOR, .function = "tally",
	  .state = SNAP_SUSPENDED, .line = 12, .lasti = 22,
	  .locals = tally_locals, .nlocals = 3 },
	{ .label = "u", .kind = SNAP_GENERATOR, .function = "tally",
	  .state = SNAP_CREATED, .line = 10, .lasti = -1 },
};

static snap_event send_events[] = {
	{ .label = "t", .function = "tally", .event = SNAP_EV_RESUME,
	  .how = SNAP_HOW_SEND, .value = "6", .depth = 0, .line = 11 },
	{ .label = "t", .function = "tally", .event = SNAP_EV_YIELD,
	  .value = "11", .depth = 0, .line = 12 },
};

/* A three-level yield-from chain, paused in the innermost generator. */
static snap_local outer_locals[] = { { "n", "3" } };
static snap_local inner_locals[] = { { "x", "'a'" }, { "acc", "[1, 2]" } };

static snap_gen chain_gens[] = {
	{ .label = "outer", .kind = SNAP_GENERATOR, .function = "outer",
	  .state = SNAP_SUSPENDED, .line = 32, .lasti = 40,
	  .locals = outer_locals, .nlocals = 1,
	  .delegate = "outer.gi_yieldfrom" },
	{ .label = "outer.gi_yieldfrom", .kind = SNAP_GENERATOR,
	  .function = "middle", .state = SNAP_SUSPENDED, .line = 27, .lasti = 18,
	  .delegate = "outer.gi_yieldfrom.gi_yieldfrom" },
	{ .label = "outer.gi_yieldfrom.gi_yieldfrom", .kind = SNAP_GENERATOR,
	  .function = "inner", .state = SNAP_SUSPENDED, .line = 23, .lasti = 0,
	  .locals = inner_locals, .nlocals = 2 },
	{ .label = "done", .kind = SNAP_GENERATOR, .function = "inner",
	  .state = SNAP_CLOSED, .line = -1, .lasti = -1 },
};

static snap_event chain_events[] = {
	{ .label = "outer", .function = "outer", .event = SNAP_EV_RESUME,
	  .how = SNAP_HOW_NEXT, .value = "None", .depth = 0, .line = 32 },
	{ .label = "outer.gi_yieldfrom", .function = "middle",
	  .event = SNAP_EV_RESUME, .how = SNAP_HOW_NEXT, .value = "None",
	  .depth = 1, .line = 27 },
	{ .label = "outer.gi_yieldfrom.gi_yieldfrom", .function = "inner",
	  .event = SNAP_EV_RETURN, .value = "'done'", .depth = 2, .line = 24 },
	{ .label = NULL, .function = "helper", .event = SNAP_EV_RAISE,
	  .value = "ValueError: bad", .depth = 2, .line = -1 },
	{ .label = "outer.gi_yieldfrom", .function = "middle",
	  .event = SNAP_EV_YIELD, .value = NULL, .depth = 1, .line = 28 },
	{ .label = "outer", .function = "outer", .event = SNAP_EV_YIELD,
	  .value = "7", .depth = 0, .line = 33 },
};

static session_entry code_entry(void)
{
	session_entry e = {
		.origin = ENTRY_SCRIPT, .step = 0, .kind = LESSON_CODE,
		.source = steps[0].source, .line = 10, .match = -1,
	};

	return e;
}

static session_entry send_entry(int match)
{
	session_entry e = {
		.origin = ENTRY_SCRIPT, .step = 1, .kind = LESSON_STATEMENT,
		.source = "t.send(6)", .line = 21, .expected = "got 6\n11\n",
		.match = match,
	};

	e.result.output = match ? "got 6\n11\n" : "got 7\n12\n";
	e.result.value = "11";
	e.result.gens = send_gens;
	e.result.ngens = 2;
	e.result.events = send_events;
	e.result.nevents = 2;
	return e;
}

static session_entry chain_entry(void)
{
	session_entry e = {
		.origin = ENTRY_SCRIPT, .step = 2, .kind = LESSON_STATEMENT,
		.source = steps[2].source, .line = 30, .match = -1,
	};

	e.result.output = "7\n";
	e.result.gens = chain_gens;
	e.result.ngens = 4;
	e.result.events = chain_events;
	e.result.nevents = 6;
	return e;
}

/* ---- Helpers ----------------------------------------------------------- */

static char *render_text(const session_entry *e, size_t number)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(transcript_text_entry(f, &les, e, number, les.nsteps), 0);
	fclose(f);
	return buf;
}

/* The one JSON line for e, parsed back; the raw text in *raw if wanted. */
static json_t *render_json(const session_entry *e, size_t number, char **raw)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_error_t err;
	json_t *j;

	assert_non_null(f);
	assert_int_equal(transcript_json_entry(f, e, number), 0);
	fclose(f);
	assert_true(len > 0);
	/* One object, one line: the only newline is the last byte. */
	assert_int_equal(buf[len - 1], '\n');
	assert_ptr_equal(strchr(buf, '\n'), buf + len - 1);
	j = json_loads(buf, 0, &err);
	if (!j)
		fail_msg("invalid JSON (%s): %s", err.text, buf);
	if (raw)
		*raw = buf;
	else
		free(buf);
	return j;
}

static void assert_str_field(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		fail_msg("missing field %s", key);
	if (!want) {
		if (!json_is_null(v))
			fail_msg("field %s is not null", key);
		return;
	}
	if (!json_is_string(v))
		fail_msg("field %s is not a string", key);
	assert_string_equal(json_string_value(v), want);
}

static void assert_int_field(json_t *o, const char *key, long long want)
{
	json_t *v = json_object_get(o, key);

	if (!v || !json_is_integer(v))
		fail_msg("field %s is missing or not an integer", key);
	assert_int_equal(json_integer_value(v), want);
}

static void assert_null_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v || !json_is_null(v))
		fail_msg("field %s is missing or not null", key);
}

/* Each of want[] appears in text, in that order. */
static void assert_in_order(const char *text, const char *const *want)
{
	const char *p = text, *q;

	for (; *want; want++) {
		q = strstr(p, *want);
		if (!q)
			fail_msg("\"%s\" missing or out of order in:\n%s", *want, text);
		p = q + strlen(*want);
	}
}

/* Columns of the longest line, counting UTF-8 code points. */
static size_t widest_line(const char *text)
{
	size_t w = 0, max = 0;

	for (; *text; text++) {
		if (*text == '\n') {
			if (w > max)
				max = w;
			w = 0;
		} else if (((unsigned char)*text & 0xC0) != 0x80) {
			w++;
		}
	}
	return w > max ? w : max;
}

static int utf8_locale(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8") &&
	    !setlocale(LC_ALL, "en_US.UTF-8"))
		return -1;
	return 0;
}

static int c_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C") ? 0 : -1;
}

/* ---- JSON -------------------------------------------------------------- */

static void test_json_code_step(void **state)
{
	session_entry e = code_entry();
	static const char *const keys[] = {
		"step", "origin", "kind", "line", "source", "output",
		"output_capped", "value", "exception", "traceback", "expected",
		"match", "note", "generators", "events",
	};
	json_t *j;
	size_t i;

	(void)state;
	j = render_json(&e, 1, NULL);
	assert_true(json_is_object(j));
	for (i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!json_object_get(j, keys[i]))
			fail_msg("missing field %s", keys[i]);
	assert_int_field(j, "step", 1);
	assert_str_field(j, "origin", "script");
	assert_str_field(j, "kind", "code");
	assert_int_field(j, "line", 10);
	assert_str_field(j, "source", steps[0].source);
	assert_str_field(j, "output", "");
	assert_true(json_is_false(json_object_get(j, "output_capped")));
	assert_null_field(j, "value");
	assert_null_field(j, "exception");
	assert_null_field(j, "traceback");
	assert_null_field(j, "expected");
	assert_null_field(j, "match");
	assert_null_field(j, "note");
	assert_true(json_is_array(json_object_get(j, "generators")));
	assert_int_equal(json_array_size(json_object_get(j, "generators")), 0);
	assert_true(json_is_array(json_object_get(j, "events")));
	assert_int_equal(json_array_size(json_object_get(j, "events")), 0);
	json_decref(j);
}

static void test_json_match(void **state)
{
	session_entry yes = send_entry(1), no = send_entry(0), none = code_entry();
	json_t *j;

	(void)state;
	j = render_json(&yes, 2, NULL);
	assert_true(json_is_true(json_object_get(j, "match")));
	assert_str_field(j, "expected", "got 6\n11\n");
	assert_str_field(j, "output", "got 6\n11\n");
	assert_str_field(j, "value", "11");
	assert_str_field(j, "kind", "statement");
	json_decref(j);
	j = render_json(&no, 2, NULL);
	assert_true(json_is_false(json_object_get(j, "match")));
	assert_str_field(j, "output", "got 7\n12\n");
	json_decref(j);
	j = render_json(&none, 1, NULL);
	assert_null_field(j, "match");
	json_decref(j);
}

static void test_json_generators(void **state)
{
	session_entry e = chain_entry();
	json_t *j, *gens, *g, *locals;
	const char *key;
	void *it;

	(void)state;
	j = render_json(&e, 3, NULL);
	gens = json_object_get(j, "generators");
	assert_int_equal(json_array_size(gens), 4);

	g = json_array_get(gens, 0);
	assert_str_field(g, "label", "outer");
	assert_str_field(g, "kind", "generator");
	assert_str_field(g, "function", "outer");
	assert_str_field(g, "state", "GEN_SUSPENDED");
	assert_int_field(g, "line", 32);
	assert_int_field(g, "lasti", 40);
	assert_str_field(g, "delegate", "outer.gi_yieldfrom");

	g = json_array_get(gens, 2);
	assert_str_field(g, "label", "outer.gi_yieldfrom.gi_yieldfrom");
	assert_int_field(g, "lasti", 0);
	assert_null_field(g, "delegate");
	assert_null_field(g, "filename");
	/* Locals keep the frame's order, not an alphabetical one. */
	locals = json_object_get(g, "locals");
	assert_true(json_is_object(locals));
	assert_int_equal(json_object_size(locals), 2);
	it = json_object_iter(locals);
	key = json_object_iter_key(it);
	assert_string_equal(key, "x");
	assert_string_equal(json_string_value(json_object_iter_value(it)), "'a'");
	it = json_object_iter_next(locals, it);
	assert_string_equal(json_object_iter_key(it), "acc");
	assert_string_equal(json_string_value(json_object_iter_value(it)), "[1, 2]");

	g = json_array_get(gens, 3);
	assert_str_field(g, "state", "GEN_CLOSED");
	assert_null_field(g, "line");
	assert_null_field(g, "lasti");
	assert_int_equal(json_object_size(json_object_get(g, "locals")), 0);
	json_decref(j);
}

static void test_json_events(void **state)
{
	session_entry e = chain_entry();
	json_t *j, *evs, *ev;

	(void)state;
	j = render_json(&e, 3, NULL);
	evs = json_object_get(j, "events");
	assert_int_equal(json_array_size(evs), 6);

	ev = json_array_get(evs, 0);
	assert_str_field(ev, "label", "outer");
	assert_str_field(ev, "event", "resume");
	assert_str_field(ev, "how", "next");
	assert_str_field(ev, "value", "None");
	assert_int_field(ev, "depth", 0);
	assert_str_field(ev, "function", "outer");

	ev = json_array_get(evs, 2);
	assert_str_field(ev, "event", "return");
	assert_str_field(ev, "value", "'done'");
	assert_int_field(ev, "depth", 2);
	/* how belongs to resumes only. */
	assert_null(json_object_get(ev, "how"));

	ev = json_array_get(evs, 3);
	assert_null_field(ev, "label");
	assert_str_field(ev, "function", "helper");
	assert_str_field(ev, "event", "raise");
	assert_str_field(ev, "value", "ValueError: bad");
	assert_null_field(ev, "line");

	ev = json_array_get(evs, 4);
	assert_str_field(ev, "event", "yield");
	assert_null_field(ev, "value");
	assert_int_field(ev, "depth", 1);
	json_decref(j);
}

static void test_json_resume_how_unknown(void **state)
{
	snap_event ev = { .label = "t", .function = "tally",
	                  .event = SNAP_EV_RESUME, .how = SNAP_HOW_UNKNOWN,
	                  .value = "3", .line = 4 };
	session_entry e = code_entry();
	json_t *j, *o;

	(void)state;
	e.result.events = &ev;
	e.result.nevents = 1;
	j = render_json(&e, 1, NULL);
	o = json_array_get(json_object_get(j, "events"), 0);
	assert_null_field(o, "how");
	assert_int_field(o, "line", 4);
	json_decref(j);
}

static void test_json_exception_and_free(void **state)
{
	session_entry e = {
		.origin = ENTRY_FREE, .kind = LESSON_STATEMENT,
		.source = "t.throw(ValueError('bad'))", .line = 0, .match = -1,
	};
	json_t *j;

	(void)state;
	e.result.exception = "ValueError: bad";
	e.result.traceback = "Traceback (most recent call last):\n"
	                     "  File \"<stdin>\", line 1, in <module>\n"
	                     "ValueError: bad\n";
	e.result.note = "step stopped after 2 s";
	e.result.output_capped = true;
	e.result.output = "partial";
	j = render_json(&e, 7, NULL);
	assert_int_field(j, "step", 7);
	assert_str_field(j, "origin", "free");
	assert_null_field(j, "line");
	assert_str_field(j, "exception", "ValueError: bad");
	assert_str_field(j, "traceback", e.result.traceback);
	assert_str_field(j, "note", "step stopped after 2 s");
	assert_true(json_is_true(json_object_get(j, "output_capped")));
	assert_null_field(j, "value");
	json_decref(j);
}

static void test_json_invalid_utf8(void **state)
{
	snap_local loc[] = { { "b\xff", "b'\\xff' \xc3(" } };
	snap_gen gen = { .label = "g\xe2\x82", .function = "f", .line = 1,
	                 .lasti = 2, .locals = loc, .nlocals = 1 };
	session_entry e = code_entry();
	json_t *j, *g, *locals;
	char *raw;

	(void)state;
	e.result.output = "caf\xc3\xa9 \xff\xfe end\n";
	e.result.gens = &gen;
	e.result.ngens = 1;
	j = render_json(&e, 1, &raw);
	/* Valid text is kept as UTF-8, not escaped: ENSURE_ASCII is off. */
	assert_non_null(strstr(raw, "caf\xc3\xa9"));
	free(raw);
	assert_str_field(j, "output", "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd end\n");
	g = json_array_get(json_object_get(j, "generators"), 0);
	assert_str_field(g, "label", "g\xef\xbf\xbd\xef\xbf\xbd");
	locals = json_object_get(g, "locals");
	assert_str_field(locals, "b\xef\xbf\xbd", "b'\\xff' \xef\xbf\xbd(");
	json_decref(j);
}

static void test_json_write_error(void **state)
{
	session_entry e = chain_entry();
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	assert_int_equal(transcript_json_entry(f, &e, 3), -1);
	fclose(f);
}

/* ---- Text -------------------------------------------------------------- */

static void test_text_header(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(transcript_text_header(f, &les), 0);
	fclose(f);
	assert_string_equal(buf, "Sending values in\n"
	                         "═════════════════\n"
	                         "lessons/send.md · 3 steps\n\n");
	free(buf);
}

/* A title in wide characters is underlined across the columns it takes,
 * not one column a character (the program's one width rule). */
static void test_text_header_wide_title(void **state)
{
	lesson wide = les;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	wide.title = "生成器";
	assert_int_equal(transcript_text_header(f, &wide), 0);
	fclose(f);
	assert_string_equal(buf, "生成器\n"
	                         "══════\n"
	                         "lessons/send.md · 3 steps\n\n");
	free(buf);
}

static void test_text_code_step(void **state)
{
	session_entry e = code_entry();
	char *text;
	const char *rule = "── Step 1/3 ";
	const char *const want[] = {
		"  A generator function runs nothing when called.\n\n",
		"  10 │ def tally(start):\n",
		"  11 │     step = yield start\n",
		"  12 │\n",
		"  13 │     return step\n",
		NULL,
	};
	size_t cols = 0;
	const char *p;

	(void)state;
	text = render_text(&e, 1);
	assert_memory_equal(text, rule, strlen(rule));
	/* The rule fills the handout's 72 columns. */
	for (p = text; *p != '\n'; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			cols++;
	assert_int_equal(cols, 72);
	assert_in_order(text, want);
	assert_null(strstr(text, "Generators"));
	assert_null(strstr(text, "expected"));
	free(text);
}

static void test_text_statement(void **state)
{
	session_entry e = send_entry(1);
	char *text;
	const char *const want[] = {
		"── Step 2/3 · Sending values in ──",
		"  `step` gets its value",
		"  - a list item",
		"\n    printed page, hanging\n",
		"  - a short item\n\n",
		"  >>> t.send(6)\n  got 6\n  11\n",
		"  ✓ output as expected\n",
		"  Generators\n",
		"    t  generator tally()  GEN_SUSPENDED  line 12 · f_lasti 22\n",
		"      start = 5\n      step = 6\n      total = 11\n",
		"\n    u  generator tally()  GEN_CREATED  line 10\n",
		"  Events\n",
		"    → resume t (send 6)\n",
		"    ← yield 11 from t\n",
		NULL,
	};

	(void)state;
	text = render_text(&e, 2);
	assert_in_order(text, want);
	/* The narration is rewrapped to the page, its directive dropped. */
	assert_true(widest_line(text) <= 72);
	assert_null(strstr(text, "predict"));
	assert_null(strstr(text, "<!--"));
	free(text);
}

static void test_text_mismatch(void **state)
{
	session_entry e = send_entry(0);
	char *text;
	const char *const want[] = {
		"  got 7\n  12\n",
		"  ✗ expected instead:\n",
		"      got 6\n      11\n",
		NULL,
	};

	(void)state;
	text = render_text(&e, 2);
	assert_in_order(text, want);
	assert_null(strstr(text, "as expected"));
	free(text);
}

static void test_text_exception(void **state)
{
	session_entry e = {
		.origin = ENTRY_FREE, .kind = LESSON_STATEMENT,
		.source = "t.throw(ValueError('bad'))", .match = -1,
	};
	char *text;
	const char *const want[] = {
		"── Free step 4 ──",
		"  >>> t.throw(ValueError('bad'))\n",
		"  partial\n",
		"  [output cut",
		"  Traceback (most recent call last):\n",
		"  ValueError: bad\n",
		"  note: step stopped after 2 s\n",
		NULL,
	};

	(void)state;
	e.result.output = "partial";
	e.result.output_capped = true;
	e.result.exception = "ValueError: bad";
	e.result.traceback = "Traceback (most recent call last):\n"
	                     "  File \"<stdin>\", line 1, in <module>\n"
	                     "ValueError: bad\n";
	e.result.note = "step stopped after 2 s";
	text = render_text(&e, 4);
	assert_in_order(text, want);
	/* The traceback stands for the exception: its last line only once. */
	assert_null(strstr(strstr(text, "ValueError: bad\n") + 1, "ValueError: bad\n"));
	free(text);
	e.result.traceback = NULL;
	text = render_text(&e, 4);
	assert_non_null(strstr(text, "\n  ValueError: bad\n"));
	free(text);
}

static void test_text_chain(void **state)
{
	session_entry e = chain_entry();
	char *text;
	const char *const want[] = {
		"── Step 3/3 · Delegation ──",
		"  >>> for v in outer():\n  ...     print(v)\n",
		"  7\n",
		"    outer  generator outer()  GEN_SUSPENDED  line 32 · f_lasti 40\n",
		"      n = 3\n",
		"      delegates to: outer.gi_yieldfrom\n",
		"    outer.gi_yieldfrom  generator middle()  GEN_SUSPENDED",
		"      delegates to: outer.gi_yieldfrom.gi_yieldfrom\n",
		/* Too long for the page: the position goes below. */
		"    outer.gi_yieldfrom.gi_yieldfrom  generator inner()  "
		"GEN_SUSPENDED\n      line 23 · f_lasti 0\n",
		"      x = 'a'\n      acc = [1, 2]\n",
		"    done  generator inner()  GEN_CLOSED\n",
		"  Events\n",
		"    → resume outer (next)\n",
		"      → resume outer.gi_yieldfrom (next)\n",
		"        ← return 'done' from outer.gi_yieldfrom.gi_yieldfrom\n",
		"        ✗ raise ValueError: bad in helper()\n",
		"      ← yield … from outer.gi_yieldfrom\n",
		"    ← yield 7 from outer\n",
		NULL,
	};

	(void)state;
	text = render_text(&e, 3);
	assert_in_order(text, want);
	free(text);
}

static void test_text_ascii(void **state)
{
	session_entry e = chain_entry(), s = send_entry(0), c = code_entry();
	char *text;
	const char *p;
	const char *const want[] = {
		"-- Step 3/3 - Delegation ---",
		"    outer  generator outer()  GEN_SUSPENDED  line 32, f_lasti 40\n",
		"    -> resume outer (next)\n",
		"        <- return 'done' from outer.gi_yieldfrom.gi_yieldfrom\n",
		"        x raise ValueError: bad in helper()\n",
		"      <- yield ... from outer.gi_yieldfrom\n",
		NULL,
	};

	(void)state;
	text = render_text(&e, 3);
	assert_in_order(text, want);
	for (p = text; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	free(text);
	text = render_text(&s, 2);
	assert_non_null(strstr(text, "  x expected instead:\n"));
	free(text);
	text = render_text(&c, 1);
	assert_non_null(strstr(text, "  10 | def tally(start):\n"));
	assert_non_null(strstr(text, "  12 |\n"));
	free(text);
}

static void test_text_footer(void **state)
{
	lesson_shown shown = { .info = "", .text = "yield from g\n", .before_step = 3 };
	lesson l = les;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	l.closing = "That is all.";
	l.closing_narr = narration_parse(l.closing, NULL);
	l.shown = &shown;
	l.nshown = 1;
	assert_int_equal(transcript_text_footer(f, &l), 0);
	fclose(f);
	assert_in_order(buf, (const char *const[]){
		"── End ──", "  That is all.\n", "    yield from g\n", NULL });
	free(buf);
	narration_free(l.closing_narr);
}

/* A generator paused in a code step is shown at its lesson file line, as
 * the code is numbered; one made by a statement says it is <stdin>'s. */
static void test_text_lesson_lines(void **state)
{
	snap_gen gens[] = {
		{ .label = "t", .function = "tally", .state = SNAP_SUSPENDED,
		  .filename = "lessons/send.md", .line = 11, .lasti = 8 },
		{ .label = "sq", .function = "<genexpr>", .state = SNAP_SUSPENDED,
		  .filename = "<stdin>", .line = 1, .lasti = 4 },
		{ .label = "far", .function = "f", .state = SNAP_SUSPENDED,
		  .filename = "other.py", .line = 99, .lasti = 4 },
	};
	session_entry e = code_entry();
	char *text;
	const char *const want[] = {
		"    t  generator tally()  GEN_SUSPENDED  line 11 · f_lasti 8\n",
		"    sq  generator <genexpr>()  GEN_SUSPENDED\n      line 1 of <stdin>",
		"    far  generator f()  GEN_SUSPENDED  line 99 of other.py",
		NULL,
	};
	json_t *j, *g;

	(void)state;
	e.result.gens = gens;
	e.result.ngens = 3;
	text = render_text(&e, 1);
	assert_in_order(text, want);
	free(text);
	/* JSON gives the same line and says whose it is. */
	j = render_json(&e, 1, NULL);
	g = json_array_get(json_object_get(j, "generators"), 0);
	assert_int_field(g, "line", 11);
	assert_str_field(g, "filename", "lessons/send.md");
	json_decref(j);
}

static void test_text_write_error(void **state)
{
	session_entry e = chain_entry();
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	assert_int_equal(transcript_text_entry(f, &les, &e, 3, 3), -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest json_tests[] = {
		cmocka_unit_test(test_json_code_step),
		cmocka_unit_test(test_json_match),
		cmocka_unit_test(test_json_generators),
		cmocka_unit_test(test_json_events),
		cmocka_unit_test(test_json_resume_how_unknown),
		cmocka_unit_test(test_json_exception_and_free),
		cmocka_unit_test(test_json_invalid_utf8),
		cmocka_unit_test(test_json_write_error),
	};
	const struct CMUnitTest utf8_tests[] = {
		cmocka_unit_test(test_text_header),
		cmocka_unit_test(test_text_header_wide_title),
		cmocka_unit_test(test_text_code_step),
		cmocka_unit_test(test_text_statement),
		cmocka_unit_test(test_text_mismatch),
		cmocka_unit_test(test_text_exception),
		cmocka_unit_test(test_text_chain),
		cmocka_unit_test(test_text_footer),
		cmocka_unit_test(test_text_lesson_lines),
		cmocka_unit_test(test_text_write_error),
	};
	const struct CMUnitTest ascii_tests[] = {
		cmocka_unit_test(test_text_ascii),
	};
	int failed = 0;
	size_t i;

	/* As lesson_load does: the narration parsed into blocks, once. */
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		steps[i].narr = narration_parse(steps[i].narration, NULL);
	failed += cmocka_run_group_tests_name("json", json_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("text (UTF-8 locale)", utf8_tests,
	                                      utf8_locale, NULL);
	failed += cmocka_run_group_tests_name("text (C locale)", ascii_tests,
	                                      c_locale, NULL);
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		narration_free(steps[i].narr);
	return failed ? 1 : 0;
}
