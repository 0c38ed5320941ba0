/* test_views.c: the panes as pure functions: a hand-made snapshot in, text
 * lines out, no terminal and no Python. Each test asserts what a learner
 * reads on the pane. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

/* ---- A chain of three: t delegates to mid, old is finished --------------- */

static snap_local locals[] = { { "x", "1" }, { "got", "None" } };
static snap_gen gens[] = {
	{ "t", SNAP_GENERATOR, "top", SNAP_SUSPENDED, "<lesson>", 14, 15, 10, locals, 2,
	  "t.gi_yieldfrom", 1 },
	{ "t.gi_yieldfrom", SNAP_GENERATOR, "mid", SNAP_SUSPENDED, "<lesson>", 10, 11, 12,
	  NULL, 0, NULL, 2 },
	{ "old", SNAP_GENERATOR, "leaf", SNAP_CLOSED, "<lesson>", 1, -1, -1, NULL, 0, NULL, 3 },
};
/* t.send(4): down through t to mid, 'mid has 40' back up. */
static snap_event events[] = {
	{ .label = "t", .function = "top", .event = SNAP_EV_RESUME, .how = SNAP_HOW_SEND, .value = "4", .depth = 0, .line = 15, .id = 1 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_RESUME, .how = SNAP_HOW_SEND, .value = "4", .depth = 1, .line = 11, .id = 2 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_YIELD, .how = SNAP_HOW_UNKNOWN, .value = "'mid has 40'", .depth = 1, .line = 12, .id = 2 },
	{ .label = "t", .function = "top", .event = SNAP_EV_YIELD, .how = SNAP_HOW_UNKNOWN, .value = "'mid has 40'", .depth = 0, .line = 15, .id = 1 },
};

static snap_step st;
static view_ctx ctx;

static int setup(void **state)
{
	(void)state;
	memset(&st, 0, sizeof st);
	st.gens = gens;
	st.ngens = 3;
	st.total_gens = 3;
	st.state_counts[SNAP_SUSPENDED] = 2;
	st.state_counts[SNAP_CLOSED] = 1;
	st.events = events;
	st.nevents = 4;
	memset(&ctx, 0, sizeof ctx);
	ctx.snap = &st;
	ctx.selected = "t";
	ctx.program_file = "<lesson>";
	view_glyphs_init(true);
	return 0;
}

/* The pane's lines as plain text, one string each. */
typedef struct {
	view_lines v;
	char *text[128];
	size_t n;
} shown;

static void render(shown *s, const view_ops *ops, int width, int height)
{
	size_t i, k;

	memset(s, 0, sizeof *s);
	s->v.anchor = -1;
	ops->lines(&ctx, width, height, &s->v);
	assert_false(s->v.failed);
	for (i = 0; i < s->v.nlines && i < 128; i++) {
		size_t len = 1;
		for (k = 0; k < s->v.lines[i].nsegs; k++)
			len += strlen(s->v.lines[i].segs[k].text);
		s->text[i] = calloc(1, len);
		for (k = 0; k < s->v.lines[i].nsegs; k++)
			strcat(s->text[i], s->v.lines[i].segs[k].text);
		s->n++;
	}
}

static void done(shown *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->text[i]);
	vl_free(&s->v);
}

/* The first line holding all of the words given (NULL-terminated), or -1. */
static int find(const shown *s, ...)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		va_list ap;
		const char *w;
		bool all = true;
		va_start(ap, s);
		while ((w = va_arg(ap, const char *)) != NULL)
			if (!strstr(s->text[i], w))
				all = false;
		va_end(ap);
		if (all)
			return (int)i;
	}
	return -1;
}

/* ---- Heap ------------------------------------------------------------------ */

static void test_heap_cards(void **state)
{
	shown s;
	int sel, line;

	(void)state;
	render(&s, &view_heap_ops, 36, 20);
	assert_true(find(&s, "<module>", "no generator running", NULL) >= 0);
	sel = find(&s, "\u25b8 t ", "SUSPENDED", NULL);
	assert_true(sel >= 0);
	/* The selected card is what stays in view. */
	assert_int_equal(s.v.anchor, sel);
	assert_true(find(&s, "top()", "line 15", "f_lasti 10", NULL) > sel);
	line = find(&s, "yield from", "t.gi_yieldfrom", NULL);
	assert_true(line > sel);
	/* A click on any line of the card selects its generator. */
	assert_int_equal(s.v.lines[line].tag, 1);
	assert_int_equal(s.v.lines[find(&s, "x = 1", NULL)].tag, 1);
	assert_int_equal(s.v.lines[find(&s, "mid()", NULL)].tag, 2);
	/* A closed card is one line: no frame, so nothing below it. */
	line = find(&s, "old", "leaf() finished", "CLOSED", NULL);
	assert_true(line >= 0);
	if (line + 1 < (int)s.v.nlines)
		assert_int_not_equal(s.v.lines[line + 1].tag, s.v.lines[line].tag);
	/* A small heap has no summary and no title counts. */
	assert_int_equal(find(&s, "generators", NULL), -1);
	assert_null(view_heap_ops.subtitle(&ctx));
	done(&s);
}

/* A local that holds a generator with a card is named by the card's
 * label, not by its address; an object without a card keeps its repr. */
static void test_heap_names_a_held_generator(void **state)
{
	snap_local held[] = { { "inner", "<generator object mid at 0x2>" },
	                      { "other", "<generator object gone at 0x99>" } };
	shown s;

	(void)state;
	gens[0].locals = held;
	render(&s, &view_heap_ops, 60, 30);
	gens[0].locals = locals;
	assert_true(find(&s, "inner = t.gi_yieldfrom", NULL) >= 0);
	assert_int_equal(find(&s, "inner = <generator", NULL), -1);
	assert_true(find(&s, "other = <generator object gone at 0x99>", NULL) >= 0);
	done(&s);
}

/* The selected card's values are broken across rows, never cut: the end
 * of a long repr is on the pane. Another card's is cut with "…". */
static void test_heap_selected_card_whole(void **state)
{
	snap_local longl[] = { { "s", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaEND'" } };
	shown s;

	(void)state;
	gens[0].locals = longl;
	gens[0].nlocals = 1;
	render(&s, &view_heap_ops, 36, 40);
	assert_true(find(&s, "aEND'", NULL) >= 0);
	done(&s);
	ctx.selected = "t.gi_yieldfrom";
	render(&s, &view_heap_ops, 36, 40);
	assert_int_equal(find(&s, "aEND'", NULL), -1);
	assert_true(find(&s, "s = 'aaa", "\u2026", NULL) >= 0);
	done(&s);
	gens[0].locals = locals;
	gens[0].nlocals = 2;
}

static void test_heap_summary_of_a_big_heap(void **state)
{
	shown s;

	(void)state;
	st.total_gens = 100000;
	st.state_counts[SNAP_SUSPENDED] = 99999;
	ctx.card_offset = 3;
	render(&s, &view_heap_ops, 40, 30);
	assert_int_equal(find(&s, "100,000 generators", NULL), 0);
	assert_true(find(&s, "99,999 suspended", NULL) >= 0);
	assert_true(find(&s, "1 closed", NULL) >= 0);
	assert_true(find(&s, "cards 4 to 6 ([ ] for more)", NULL) >= 0);
	assert_string_equal(view_heap_ops.subtitle(&ctx), "100,000 generators \u00b7 99,999 suspended");
	done(&s);
}

/* The live flow: after the first hop t runs, on the stack, and its card
 * points up to it. */
static void test_heap_live_flow(void **state)
{
	shown s;
	int run;

	(void)state;
	ctx.animating = true;
	ctx.anim_events = 1;
	render(&s, &view_heap_ops, 40, 30);
	run = find(&s, "RUNNING", "t", "top()", "line 15", NULL);
	assert_true(run >= 0);
	assert_true(find(&s, "t ", "frame on the stack \u2191", NULL) > run);
	assert_int_equal(find(&s, "no generator running", NULL), -1);
	done(&s);
}

/* Events carry no locals: before t.send(4) has reached t, its card's
 * locals are the step's end, so they say so, dimmed; once every hop has
 * happened they are simply its locals. */
static void test_heap_locals_after_the_step(void **state)
{
	shown s;
	int after, x;

	(void)state;
	ctx.animating = true;
	ctx.anim_events = 0;
	render(&s, &view_heap_ops, 40, 30);
	after = find(&s, "(after the step)", NULL);
	x = find(&s, "x = 1", NULL);
	assert_true(after >= 0 && x == after + 1);
	/* Its line is where the hop to come finds it; its f_lasti, known
	 * only at the step's end, is not shown. */
	assert_true(find(&s, "top() line 15", NULL) >= 0);
	assert_int_equal(find(&s, "f_lasti 10", NULL), -1);
	assert_true(s.v.lines[x].nsegs > 0);
	for (size_t k = 0; k < s.v.lines[x].nsegs; k++)
		if (strstr(s.v.lines[x].segs[k].text, "1"))
			assert_int_equal(s.v.lines[x].segs[k].role, R_DIM);
	done(&s);
	/* The flow's last frame: every hop has happened. */
	ctx.anim_events = st.nevents;
	render(&s, &view_heap_ops, 40, 30);
	assert_int_equal(find(&s, "(after the step)", NULL), -1);
	done(&s);
	ctx.animating = false;
	render(&s, &view_heap_ops, 40, 30);
	assert_true(find(&s, "x = 1", NULL) >= 0);
	assert_true(find(&s, "top() line 15", "f_lasti 10", NULL) >= 0);
	assert_int_equal(find(&s, "(after the step)", NULL), -1);
	done(&s);
}

/* The hops carry locals: each card shows its frame's as of the moment
 * shown. Before t's first hop, the step before's; after mid's yield,
 * mid's then; past the hops that carry locals, the end's, marked. And a
 * generator gone by the step's end (gone, the step before's) keeps its
 * card, told by its hops, until its last one. */
static snap_local x0[] = { { "x", "0" }, { "got", "None" } };
static snap_local mid_then[] = { { "n", "4" } };
static snap_local gone_then[] = { { "left", "3" } };
static snap_gen before[] = {
	{ "t", SNAP_GENERATOR, "top", SNAP_SUSPENDED, "<lesson>", 14, 15, 10, x0, 2,
	  "t.gi_yieldfrom", 1 },
	{ "gone", SNAP_GENERATOR, "work", SNAP_SUSPENDED, "<lesson>", 30, 31, 8, gone_then, 1,
	  NULL, 9 },
};
static snap_event with_locals[] = {
	{ .label = "gone", .function = "work", .event = SNAP_EV_RESUME, .how = SNAP_HOW_NEXT, .depth = 0, .line = 31, .id = 9, .has_locals = true, .locals = gone_then, .nlocals = 1 },
	{ .label = "gone", .function = "work", .event = SNAP_EV_RETURN, .value = "None", .depth = 0, .line = 32, .id = 9, .has_locals = true, .locals = gone_then, .nlocals = 1 },
	{ .label = "t", .function = "top", .event = SNAP_EV_RESUME, .how = SNAP_HOW_SEND, .value = "4", .depth = 0, .line = 15, .id = 1, .has_locals = true, .locals = x0, .nlocals = 2 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_RESUME, .how = SNAP_HOW_SEND, .value = "4", .depth = 1, .line = 11, .id = 2 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_YIELD, .value = "'mid has 40'", .depth = 1, .line = 12, .id = 2, .has_locals = true, .locals = mid_then, .nlocals = 1 },
	{ .label = "t", .function = "top", .event = SNAP_EV_YIELD, .value = "'mid has 40'", .depth = 0, .line = 15, .id = 1 },
	{ .label = "t", .function = "top", .event = SNAP_EV_RESUME, .how = SNAP_HOW_NEXT, .depth = 0, .line = 15, .id = 1 },
	{ .label = "t", .function = "top", .event = SNAP_EV_YIELD, .value = "1", .depth = 0, .line = 15, .id = 1 },
};

static void test_heap_locals_at_each_hop(void **state)
{
	session_entry hist[2];
	shown s;

	(void)state;
	memset(hist, 0, sizeof hist);
	hist[0].result.gens = before;
	hist[0].result.ngens = 2;
	hist[1].result = st;
	st.events = with_locals;
	st.nevents = 8;
	ctx.hist = hist;
	ctx.nhist = 2;
	ctx.animating = true;
	ctx.anim_events = 0;
	render(&s, &view_heap_ops, 40, 40);
	/* t has not run yet: x as the step found it, not the end's 1. */
	assert_true(find(&s, "x = 0", NULL) >= 0);
	assert_int_equal(find(&s, "x = 1", NULL), -1);
	assert_int_equal(find(&s, "(after the step)", NULL), -1);
	/* gone, freed by the step's end, still there, as it was. */
	assert_true(find(&s, "gone", "SUSPENDED", NULL) >= 0);
	assert_true(find(&s, "left = 3", NULL) >= 0);
	done(&s);
	ctx.anim_events = 2;
	render(&s, &view_heap_ops, 40, 40);
	assert_true(find(&s, "gone", "work() finished", "CLOSED", NULL) >= 0);
	done(&s);
	ctx.anim_events = 5;
	render(&s, &view_heap_ops, 40, 40);
	/* Its last hop is past: gone is gone. */
	assert_int_equal(find(&s, "gone", NULL), -1);
	/* mid has yielded: its locals then; t still runs. */
	assert_true(find(&s, "n = 4", NULL) >= 0);
	assert_true(find(&s, "t ", "frame on the stack", NULL) >= 0);
	done(&s);
	/* t's yield carried no locals (past the first hops): the end's,
	 * marked as such. */
	ctx.anim_events = 6;
	render(&s, &view_heap_ops, 40, 40);
	assert_true(find(&s, "(after the step)", NULL) >= 0);
	assert_true(find(&s, "x = 1", NULL) > find(&s, "(after the step)", NULL));
	done(&s);
	ctx.hist = NULL;
	ctx.nhist = 0;
	st.events = events;
	st.nevents = 4;
}

/* The selected card's label is whole, however narrow the pane: another
 * card's is cut. */
static void test_heap_selected_label_whole(void **state)
{
	shown s;
	int at;

	(void)state;
	ctx.selected = "t.gi_yieldfrom";
	render(&s, &view_heap_ops, 24, 30);
	at = find(&s, "t.gi_yiel", NULL);
	assert_true(at >= 0);
	assert_null(strstr(s.text[at], "\u2026"));
	/* The rest of it on the next row, the badge after it. */
	assert_non_null(strstr(s.text[at + 1], "from"));
	assert_non_null(strstr(s.text[at + 1], "SUSPENDED"));
	done(&s);
	ctx.selected = "t";
	render(&s, &view_heap_ops, 24, 30);
	assert_true(find(&s, "t.gi_", "\u2026", "SUSPENDED", NULL) >= 0);
	done(&s);
}

/* A heap with a Tasks section starts at its top when the card selected
 * is a closed one (lesson 16: w finished long before the loop steps). */
static void test_heap_tasks_first(void **state)
{
	snap_task task = { "a", "pending", NULL, 0, NULL, NULL, NULL, "a", 7 };
	shown s;

	(void)state;
	st.loop_used = true;
	st.tasks = &task;
	st.ntasks = 1;
	st.total_tasks = 1;
	ctx.selected = "old";
	render(&s, &view_heap_ops, 40, 6);
	assert_true(find(&s, "old", "CLOSED", NULL) > 0);
	assert_int_equal(s.v.anchor, 0);
	done(&s);
	/* A live card selected, out of view from the top, stays in view. */
	ctx.selected = "t.gi_yieldfrom";
	render(&s, &view_heap_ops, 40, 6);
	assert_int_equal(s.v.anchor, find(&s, "t.gi_yieldfrom", "SUSPENDED", NULL));
	done(&s);
	st.loop_used = false;
	st.tasks = NULL;
	st.ntasks = st.total_tasks = 0;
}

/* Halfway through t.send(4), called from alice(): the call stack holds
 * mid, then t, then alice's frame, then <module>. */
static snap_event from_alice[] = {
	{ "t", "top", SNAP_EV_RESUME, SNAP_HOW_SEND, "4", 0, 15, .id = 1, .callers = "run alice" },
	{ "t.gi_yieldfrom", "mid", SNAP_EV_RESUME, SNAP_HOW_SEND, "4", 1, 11, .id = 2, .callers = NULL },
};

static void test_heap_stack_has_ordinary_frames(void **state)
{
	shown s;
	int mid, t, alice, run, module;

	(void)state;
	st.events = from_alice;
	st.nevents = 2;
	ctx.animating = true;
	ctx.anim_events = 2;
	render(&s, &view_heap_ops, 50, 30);
	mid = find(&s, "RUNNING", "mid()", NULL);
	t = find(&s, "RUNNING", "top()", NULL);
	alice = find(&s, "alice()", NULL);
	run = find(&s, "run()", NULL);
	module = find(&s, "<module>", NULL);
	assert_true(mid >= 0 && mid < t && t < alice && alice < run && run < module);
	done(&s);
}

/* The running frames' locals on the call stack, from their resumes: the
 * top one's as they are (nothing ran since its resume), the one below as
 * it resumed, marked so; a resume past the first hops says they were not
 * recorded. */
static snap_event resumes_with_locals[] = {
	{ .label = "t", .function = "top", .event = SNAP_EV_RESUME, .how = SNAP_HOW_SEND, .value = "4", .depth = 0, .line = 15, .id = 1, .has_locals = true, .locals = x0, .nlocals = 2 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_RESUME, .how = SNAP_HOW_SEND, .value = "4", .depth = 1, .line = 11, .id = 2, .has_locals = true, .locals = mid_then, .nlocals = 1 },
};

static void test_heap_stack_frames_locals(void **state)
{
	shown s;
	int mid, t, n, x, as;

	(void)state;
	st.events = resumes_with_locals;
	st.nevents = 2;
	ctx.animating = true;
	ctx.anim_events = 1;
	render(&s, &view_heap_ops, 50, 40);
	t = find(&s, "RUNNING", "top()", NULL);
	assert_true(t >= 0);
	assert_true(find(&s, "x = 0", NULL) == t + 1);
	assert_true(find(&s, "got = None", NULL) == t + 2);
	assert_int_equal(find(&s, "(as it resumed)", NULL), -1);
	done(&s);
	ctx.anim_events = 2;
	render(&s, &view_heap_ops, 50, 40);
	mid = find(&s, "RUNNING", "mid()", NULL);
	t = find(&s, "RUNNING", "top()", NULL);
	n = find(&s, "n = 4", NULL);
	as = find(&s, "(as it resumed)", NULL);
	x = find(&s, "x = 0", NULL);
	assert_true(mid >= 0 && n == mid + 1 && t == n + 1);
	assert_true(as == t + 1 && x == t + 2);
	done(&s);
	/* Past the first hops: said, not left blank. */
	st.events = from_alice;
	render(&s, &view_heap_ops, 50, 40);
	mid = find(&s, "RUNNING", "mid()", NULL);
	assert_true(mid >= 0 && find(&s, "locals not recorded", NULL) == mid + 1);
	done(&s);
}

/* old.throw(KeyError) closes old: before its raise, in the live flow, the
 * card still says SUSPENDED, then RUNNING's place on the stack, and
 * CLOSED only once the exception has left it. */
static snap_event closing[] = {
	{ .label = "old", .function = "leaf", .event = SNAP_EV_RESUME, .how = SNAP_HOW_THROW, .value = "KeyError", .depth = 0, .line = 5, .id = 3 },
	{ .label = "old", .function = "leaf", .event = SNAP_EV_RAISE, .how = SNAP_HOW_UNKNOWN, .value = "KeyError", .depth = 0, .line = 5, .id = 3 },
};

static void test_heap_states_frame_by_frame(void **state)
{
	shown s;

	(void)state;
	st.events = closing;
	st.nevents = 2;
	ctx.animating = true;
	ctx.anim_events = 0;
	render(&s, &view_heap_ops, 50, 30);
	assert_true(find(&s, "old", "SUSPENDED", NULL) >= 0);
	assert_int_equal(find(&s, "old", "CLOSED", NULL), -1);
	done(&s);
	ctx.anim_events = 1;
	render(&s, &view_heap_ops, 50, 30);
	assert_true(find(&s, "old", "frame on the stack", NULL) >= 0);
	done(&s);
	ctx.anim_events = 2;
	render(&s, &view_heap_ops, 50, 30);
	assert_true(find(&s, "old", "CLOSED", NULL) >= 0);
	done(&s);
}

/* ---- Channel ---------------------------------------------------------------- */

static void test_channel_hops(void **state)
{
	shown s;
	int caller, t, mid;

	(void)state;
	render(&s, &view_channel_ops, 60, 20);
	caller = find(&s, "caller", NULL);
	t = find(&s, "t ", "top()", NULL);
	mid = find(&s, "t.gi_yieldfrom", "mid()", NULL);
	assert_true(caller >= 0 && caller < t && t < mid);
	/* Between each pair, what went down and what came up. */
	assert_true(find(&s, "\u25bc send(4)", "\u25b2 yield 'mid has 40'", NULL) > caller);
	done(&s);
	/* Halfway through the live flow, nothing has come up yet. */
	ctx.animating = true;
	ctx.anim_events = 2;
	render(&s, &view_channel_ops, 60, 20);
	assert_true(find(&s, "send(4)", NULL) >= 0);
	assert_int_equal(find(&s, "\u25b2", NULL), -1);
	done(&s);
}

/* Short of rows and columns, one line a hop: a hop whose values the
 * words would cut shows them bare, whole ("▼ 4 ▲ 'mid has 40'"), before
 * a long name that would be cut anyway widens the names' column. */
static void test_channel_values_whole_on_one_line(void **state)
{
	shown s;
	size_t i;
	int rows = 0;

	(void)state;
	render(&s, &view_channel_ops, 30, 2);
	for (i = 0; i < s.n; i++) {
		if (!strstr(s.text[i], "\u25b2"))
			continue;
		rows++;
		assert_non_null(strstr(s.text[i], "'mid has 40'"));
		assert_null(strstr(strstr(s.text[i], "\u25bc"), "\u2026"));
	}
	assert_int_equal(rows, 2);
	assert_true(find(&s, "caller", "\u25bc4", NULL) >= 0);
	done(&s);
}

/* Paused at a callback after the first two hops of t.send(4): the
 * Timeline draws those two, and its title says where the pause is among
 * the step's four; the Channel shows what went down so far. */
static void test_pause_hops_so_far(void **state)
{
	snap_pause pause = { .kind = SNAP_PAUSE_CALLBACK, .hops = 2 };
	shown s;

	(void)state;
	ctx.pause = &pause;
	ctx.chain_snap = &st;
	ctx.animating = true;
	ctx.anim_events = pause.hops;
	assert_string_equal(view_timeline_ops.subtitle(&ctx), "hop 2 of 4");
	render(&s, &view_timeline_ops, 70, 20);
	assert_true(find(&s, "send(4)", NULL) >= 0);
	assert_int_equal(find(&s, "\u25b2", NULL), -1);
	done(&s);
	render(&s, &view_channel_ops, 60, 20);
	assert_true(find(&s, "send(4)", NULL) >= 0);
	assert_int_equal(find(&s, "\u25b2", NULL), -1);
	done(&s);
	ctx.pause = NULL;
	ctx.chain_snap = NULL;
}

/* t.throw(KeyError) caught by mid, which yields: CPython hands the
 * exception to mid without running t. */
static snap_event thrown[] = {
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_RESUME, .how = SNAP_HOW_THROW, .value = "KeyError", .depth = 1, .line = 11, .id = 2 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_YIELD, .how = SNAP_HOW_UNKNOWN, .value = "'caught'", .depth = 1, .line = 12, .id = 2 },
};

static void test_channel_throw_passes_through(void **state)
{
	shown s;
	int t, hop;

	(void)state;
	st.events = thrown;
	st.nevents = 2;
	render(&s, &view_channel_ops, 60, 20);
	t = find(&s, "t ", "top()", NULL);
	hop = find(&s, "throw(KeyError)", "yield 'caught'", NULL);
	/* The caller-to-t hop carries the throw and the yield, and t says it
	 * did not run: no empty hop. */
	assert_true(hop >= 0 && hop < t);
	assert_non_null(strstr(s.text[t], "not run"));
	assert_int_equal(find(&s, "t.gi_yieldfrom", "not run", NULL), -1);
	done(&s);
}

/* t.send(None): the old delegate returns Totals(...) and t starts a new
 * one, which takes its label. */
static snap_event replaced[] = {
	{ .label = "t", .function = "top", .event = SNAP_EV_RESUME, .how = SNAP_HOW_SEND, .value = "None", .depth = 0, .line = 15, .id = 1 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_RESUME, .how = SNAP_HOW_SEND, .value = "None", .depth = 1, .line = 11, .id = 2 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_RETURN, .how = SNAP_HOW_UNKNOWN, .value = "Totals(items=2)", .depth = 1, .line = 12, .id = 2 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_RESUME, .how = SNAP_HOW_NEXT, .value = "None", .depth = 1, .line = 10, .id = 2 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_YIELD, .how = SNAP_HOW_UNKNOWN, .value = "None", .depth = 1, .line = 11, .id = 2 },
	{ .label = "t", .function = "top", .event = SNAP_EV_YIELD, .how = SNAP_HOW_UNKNOWN, .value = "None", .depth = 0, .line = 15, .id = 1 },
};

static void test_channel_return_of_replaced_delegate(void **state)
{
	shown s;
	int ret, mid;

	(void)state;
	st.events = replaced;
	st.nevents = 6;
	render(&s, &view_channel_ops, 60, 20);
	ret = find(&s, "return Totals(items=2)", NULL);
	mid = find(&s, "t.gi_yieldfrom", "mid()", "suspended", NULL);
	assert_true(ret >= 0 && ret < mid);
	assert_true(find(&s, "next()", "yield None", NULL) > ret);
	done(&s);
}

/* A generator the engine could not name runs a function like a card's:
 * its hops are no card's, and are listed under its function. */
static snap_event unnamed[] = {
	{ .label = NULL, .function = "mid", .event = SNAP_EV_RESUME, .how = SNAP_HOW_NEXT, .value = "None", .depth = 0, .line = 11 },
	{ .label = NULL, .function = "mid", .event = SNAP_EV_RETURN, .how = SNAP_HOW_UNKNOWN, .value = "None", .depth = 0, .line = 12 },
};

static void test_channel_unnamed_not_credited(void **state)
{
	shown s;

	(void)state;
	st.events = unnamed;
	st.nevents = 2;
	ctx.selected = "t.gi_yieldfrom";
	render(&s, &view_channel_ops, 60, 20);
	assert_int_equal(find(&s, "return None", "finished", NULL), -1);
	assert_int_equal(find(&s, "next()", NULL), -1);
	assert_true(find(&s, "mid()", "1 resume", "return None", NULL) >
	            find(&s, "t.gi_yieldfrom", "suspended", NULL));
	done(&s);
}

/* ---- Timeline --------------------------------------------------------------- */

/* Column of the first occurrence of word in line, or -1. */
static int col_of(const char *line, const char *word)
{
	const char *at = strstr(line, word);
	int col = 0;

	if (!at)
		return -1;
	/* Columns, not bytes: the lines hold multi-byte glyphs. */
	for (; line < at; line++)
		if ((*line & 0xC0) != 0x80)
			col++;
	return col;
}

static void test_timeline_rows_and_columns(void **state)
{
	shown s;
	int down, up;

	(void)state;
	render(&s, &view_timeline_ops, 70, 20);
	/* A column per frame, the caller first, outer before inner. */
	assert_true(col_of(s.text[0], "caller") >= 0);
	assert_true(col_of(s.text[0], "caller") < col_of(s.text[0], "t "));
	assert_true(col_of(s.text[0], "t ") < col_of(s.text[0], "t.gi_yieldfrom"));
	/* A row per hop, in order: two down, two up. */
	assert_int_equal(s.n, 5);
	down = find(&s, "\u25bc send(4)", NULL);
	up = find(&s, "\u25b2 yield 'mid has 40'", NULL);
	assert_int_equal(down, 1);
	assert_true(up > down);
	assert_non_null(strstr(s.text[2], "send(4)"));
	assert_non_null(strstr(s.text[4], "yield 'mid has 40'"));
	/* The first hop goes right, from the caller's lifeline to t's. */
	assert_true(col_of(s.text[1], "\u25b6") <= col_of(s.text[0], "t ") + 1);
	done(&s);
}

/* A throw() passed through t to mid: the row crosses t's column, marked. */
static void test_timeline_pass_through(void **state)
{
	shown s;
	int t;

	(void)state;
	st.events = thrown;
	st.nevents = 2;
	render(&s, &view_timeline_ops, 70, 20);
	t = col_of(s.text[0], "t ");
	assert_true(t > 0);
	assert_non_null(strstr(s.text[1], "throw(KeyError)"));
	assert_int_equal(col_of(s.text[1], "+"), t);
	assert_int_equal(col_of(s.text[2], "+"), t);
	done(&s);
}

/* ---- Exceptions with a long qualified type ------------------------------------ */

/* t.throw(asyncio.CancelledError()) passed to mid, which does not catch
 * it: the exception goes down and comes back up through both frames. */
static snap_event cancelled[] = {
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_RESUME, .how = SNAP_HOW_THROW, .value = "asyncio.exceptions.CancelledError", .depth = 1, .line = 11, .id = 2 },
	{ .label = "t.gi_yieldfrom", .function = "mid", .event = SNAP_EV_RAISE, .how = SNAP_HOW_UNKNOWN, .value = "asyncio.exceptions.CancelledError", .depth = 1, .line = 12, .id = 2 },
	{ .label = "t", .function = "top", .event = SNAP_EV_RAISE, .how = SNAP_HOW_UNKNOWN, .value = "asyncio.exceptions.CancelledError", .depth = 0, .line = 15, .id = 1 },
};

/* No line of s shows the type's module path without its class. */
static void assert_no_cut_module(const shown *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strstr(s->text[i], "asyncio"))
			assert_non_null(strstr(s->text[i], "asyncio.exceptions.CancelledError"));
}

static void test_exception_class_first(void **state)
{
	char *t;

	(void)state;
	/* Whole when it fits: the name CPython's traceback prints. */
	t = view_fit_exception("throw(", "asyncio.exceptions.CancelledError", ")", 40);
	assert_string_equal(t, "throw(asyncio.exceptions.CancelledError)");
	free(t);
	/* Short of room, the class before its module path, message kept. */
	t = view_fit_exception("raise ", "asyncio.exceptions.CancelledError: late", "", 30);
	assert_string_equal(t, "raise CancelledError: late");
	free(t);
	t = view_fit_exception("raise ", "f.<locals>.E: x: y", "", 13);
	assert_string_equal(t, "raise E: x: y");
	free(t);
	/* Shorter still: the class cut, never a dotted prefix. */
	t = view_fit_exception("throw(", "asyncio.exceptions.CancelledError", ")", 14);
	assert_string_equal(t, "throw(Cancell\u2026");
	free(t);
}

static void test_channel_timeline_show_the_class(void **state)
{
	shown s;

	(void)state;
	st.events = cancelled;
	st.nevents = 3;
	/* A Channel and Timeline short of room: the class, not a module path. */
	render(&s, &view_channel_ops, 60, 20);
	assert_true(find(&s, "throw(CancelledError)", NULL) >= 0);
	assert_true(find(&s, "raise CancelledError", NULL) >= 0);
	assert_no_cut_module(&s);
	done(&s);
	render(&s, &view_timeline_ops, 50, 20);
	/* Under its arrow when it would be cut beside it, whole there. */
	assert_true(find(&s, "\u25bc throw(", "CancelledError)", NULL) >= 0);
	assert_true(find(&s, "\u25b2 raise CancelledError", NULL) >= 0);
	assert_no_cut_module(&s);
	done(&s);
	/* Wide enough, the whole name as the traceback prints it. */
	render(&s, &view_channel_ops, 100, 20);
	assert_true(find(&s, "throw(asyncio.exceptions.CancelledError)", NULL) >= 0);
	done(&s);
	/* As narrow as the Channel at 80x24, down and up are no longer
	 * cut side by side: each gets a row, whole (lesson 17's throw). */
	for (int h = 20; h >= 6; h -= 14) {
		render(&s, &view_channel_ops, 38, h);
		assert_true(find(&s, "\u25bc throw(CancelledError)", NULL) >= 0);
		assert_true(find(&s, "\u25b2 raise CancelledError", NULL) >= 0);
		assert_no_cut_module(&s);
		done(&s);
	}
	/* The Timeline puts a value too long beside its arrow under it. */
	render(&s, &view_timeline_ops, 38, 20);
	assert_true(find(&s, "\u25b2 raise CancelledError", NULL) >= 0);
	assert_true(find(&s, "\u25bc throw(CancelledError)", NULL) >= 0);
	for (size_t i = 0; i < s.n; i++)
		if (strstr(s.text[i], "\u25b2") || strstr(s.text[i], "\u25bc"))
			assert_null(strstr(s.text[i], "\u2026"));
	done(&s);
}

/* A value too long to sit beside the other is whole on rows of its own
 * (lesson 04's TypeError in a Channel 48 columns wide). */
static snap_event long_raise[] = {
	{ .label = "t", .function = "top", .event = SNAP_EV_RESUME, .how = SNAP_HOW_NEXT, .depth = 0, .line = 15, .id = 1 },
	{ .label = "t", .function = "top", .event = SNAP_EV_RAISE, .value = "TypeError: unsupported operand type(s) for /: 'int' and 'NoneType'", .depth = 0, .line = 15, .id = 1 },
};

static void test_channel_values_whole(void **state)
{
	shown s;

	(void)state;
	st.events = long_raise;
	st.nevents = 2;
	render(&s, &view_channel_ops, 48, 20);
	assert_true(find(&s, "\u25bc next()", NULL) >= 0);
	assert_true(find(&s, "\u25b2 raise TypeError: unsupported", NULL) >
	            find(&s, "\u25bc next()", NULL));
	assert_true(find(&s, "'NoneType'", NULL) > find(&s, "\u25b2 raise TypeError", NULL));
	for (size_t i = 0; i < s.n; i++)
		assert_null(strstr(s.text[i], "\u2026"));
	done(&s);
}

/* ---- Bytecode --------------------------------------------------------------- */

static void test_bytecode_marks_f_lasti(void **state)
{
	engine_instr ins[] = {
		{ 0, 14, "RETURN_GENERATOR", "" },
		{ 10, 15, "YIELD_VALUE", "1" },
		{ 12, 15, "RESUME", "1" },
	};
	shown s;
	int at;

	(void)state;
	ctx.instrs = ins;
	ctx.ninstrs = 3;
	render(&s, &view_bytecode_ops, 40, 20);
	at = find(&s, "YIELD_VALUE", NULL);
	assert_true(at >= 0);
	assert_non_null(strstr(s.text[at], "\u25b6"));
	assert_null(strstr(s.text[find(&s, "RETURN_GENERATOR", NULL)], "\u25b6"));
	done(&s);
	/* Nothing fetched: the pane says so rather than staying blank. */
	ctx.instrs = NULL;
	ctx.ninstrs = 0;
	render(&s, &view_bytecode_ops, 40, 20);
	assert_true(s.n > 0);
	assert_int_equal(find(&s, "YIELD_VALUE", NULL), -1);
	done(&s);
}

/* ---- Narration ---------------------------------------------------------------- */

static char *line_text(const view_line *l)
{
	static char buf[256];
	size_t k;

	buf[0] = '\0';
	for (k = 0; k < l->nsegs; k++)
		strncat(buf, l->segs[k].text, sizeof buf - strlen(buf) - 1);
	return buf;
}

static void test_narration(void **state)
{
	view_lines v;
	narration *n;
	size_t k;
	bool bold = false, code = false;

	(void)state;
	memset(&v, 0, sizeof v);
	n = narration_parse("A **bold** word, a `code` span and a [link](http://x).\n\n"
	                    "- one\n- two\n\n"
	                    "Predict <!-- yieldscope: predict --> inline.", NULL);
	assert_non_null(n);
	view_narration(&v, n, 72, true);
	assert_true(v.nlines >= 6);
	/* Markers vanish; the link reads as its text, spaced as written. */
	assert_string_equal(line_text(&v.lines[0]), "A bold word, a code span and a link.");
	for (k = 0; k < v.lines[0].nsegs; k++) {
		if (strcmp(v.lines[0].segs[k].text, "bold") == 0)
			bold = v.lines[0].segs[k].role == R_BOLD;
		if (strcmp(v.lines[0].segs[k].text, "code") == 0)
			code = v.lines[0].segs[k].role == R_CODE;
	}
	assert_true(bold);
	assert_true(code);
	/* A blank line between paragraphs, list items on their own lines. */
	assert_string_equal(line_text(&v.lines[1]), " ");
	assert_string_equal(line_text(&v.lines[2]), "  \u00b7 one");
	assert_string_equal(line_text(&v.lines[3]), "  \u00b7 two");
	/* An HTML comment is not prose: it is not shown. */
	assert_string_equal(line_text(&v.lines[5]), "Predict inline.");
	vl_free(&v);
	/* Without gaps, the blocks follow each other. */
	memset(&v, 0, sizeof v);
	view_narration(&v, n, 72, false);
	assert_string_equal(line_text(&v.lines[1]), "  \u00b7 one");
	vl_free(&v);
	narration_free(n);
}

/* Wide characters take two columns: a line wraps by what it shows. */
/* A value broken across rows keeps every character, and breaks after a
 * space rather than inside a word when the row keeps half its room. */
static void test_break_between_words(void **state)
{
	view_lines v;
	char joined[128] = "";
	size_t i, k;

	(void)state;
	memset(&v, 0, sizeof v);
	vl_new(&v);
	vl_add(&v, R_NORMAL, "  ");
	vl_break_words(&v, R_NORMAL, "Summary(count=3, lowest=3, highest=9)", 34, 4);
	assert_int_equal(v.nlines, 2);
	for (i = 0; i < v.nlines; i++) {
		for (k = 0; k < v.lines[i].nsegs; k++)
			strcat(joined, v.lines[i].segs[k].text);
		strcat(joined, "|");
	}
	assert_string_equal(joined, "  Summary(count=3, lowest=3, |    highest=9)|");
	vl_free(&v);
	/* No space in the second half of the row: broken where it ends. */
	memset(&v, 0, sizeof v);
	vl_new(&v);
	vl_break_words(&v, R_NORMAL, "a bcdefghijklmnopqrstuvwxyz", 10, 0);
	assert_string_equal(v.lines[0].segs[0].text, "a bcdefghi");
	vl_free(&v);
}

static void test_width_of_wide_text(void **state)
{
	(void)state;
	assert_int_equal(view_strwidth("\u751f\u6210\u5668"), 6);
	assert_int_equal(view_strwidth("caf\u00e9"), 4);
	view_glyphs_init(false);
	/* In an ASCII locale a character shows as its ASCII stand-in, as
	 * wide as that: é has none ("?"), → is "->", — is "--". */
	assert_int_equal(view_strwidth("caf\u00e9"), 4);
	assert_int_equal(view_strwidth("a \u2192 b \u2014 c"), 11);
	assert_string_equal(view_g->rarrow, "->");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_heap_cards, setup),
		cmocka_unit_test_setup(test_heap_names_a_held_generator, setup),
		cmocka_unit_test_setup(test_heap_selected_card_whole, setup),
		cmocka_unit_test_setup(test_heap_summary_of_a_big_heap, setup),
		cmocka_unit_test_setup(test_heap_live_flow, setup),
		cmocka_unit_test_setup(test_heap_locals_after_the_step, setup),
		cmocka_unit_test_setup(test_heap_locals_at_each_hop, setup),
		cmocka_unit_test_setup(test_heap_selected_label_whole, setup),
		cmocka_unit_test_setup(test_heap_tasks_first, setup),
		cmocka_unit_test_setup(test_heap_stack_has_ordinary_frames, setup),
		cmocka_unit_test_setup(test_heap_stack_frames_locals, setup),
		cmocka_unit_test_setup(test_channel_values_whole_on_one_line, setup),
		cmocka_unit_test_setup(test_pause_hops_so_far, setup),
		cmocka_unit_test_setup(test_heap_states_frame_by_frame, setup),
		cmocka_unit_test_setup(test_channel_hops, setup),
		cmocka_unit_test_setup(test_timeline_rows_and_columns, setup),
		cmocka_unit_test_setup(test_timeline_pass_through, setup),
		cmocka_unit_test_setup(test_channel_throw_passes_through, setup),
		cmocka_unit_test_setup(test_channel_return_of_replaced_delegate, setup),
		cmocka_unit_test_setup(test_channel_unnamed_not_credited, setup),
		cmocka_unit_test_setup(test_exception_class_first, setup),
		cmocka_unit_test_setup(test_channel_timeline_show_the_class, setup),
		cmocka_unit_test_setup(test_channel_values_whole, setup),
		cmocka_unit_test_setup(test_bytecode_marks_f_lasti, setup),
		cmocka_unit_test_setup(test_narration, setup),
		cmocka_unit_test_setup(test_break_between_words, setup),
		cmocka_unit_test_setup(test_width_of_wide_text, setup),
	};

	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8"))
		return 77;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
