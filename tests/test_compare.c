/* test_compare.c: expected against actual output under doctest's rules,
 * and the unified diff --check prints. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "compare.h"
#include "util.h"

/* ---- compare_actual ---------------------------------------------------- */

static void actual_output_then_exception(void **state)
{
	char *s;

	s = compare_actual("start 5\n", NULL);
	assert_string_equal(s, "start 5\n");
	ys_free(s);
	s = compare_actual(NULL, "StopIteration");
	assert_string_equal(s, "StopIteration\n");
	ys_free(s);
	/* Output that did not end its line still leaves the exception on a
	 * line of its own. */
	s = compare_actual("partial", "ValueError: bad");
	assert_string_equal(s, "partial\nValueError: bad\n");
	ys_free(s);
	s = compare_actual(NULL, NULL);
	assert_string_equal(s, "");
	ys_free(s);
}

/* ---- compare_match ----------------------------------------------------- */

static void exact_and_mismatch(void **state)
{
	assert_int_equal(1, compare_match("3\n", "3\n"));
	assert_int_equal(1, compare_match("", ""));
	assert_int_equal(1, compare_match(NULL, NULL));
	assert_int_equal(0, compare_match("3\n", "4\n"));
	assert_int_equal(0, compare_match("", "3\n"));
	assert_int_equal(0, compare_match("3\n", ""));
	assert_int_equal(0, compare_match("1\n2\n", "1\n"));
	/* Leading whitespace matters. */
	assert_int_equal(0, compare_match("x\n", " x\n"));
}

static void ellipsis(void **state)
{
	assert_int_equal(1, compare_match("[1, ..., 5]\n", "[1, 2, 3, 4, 5]\n"));
	assert_int_equal(1, compare_match("<generator object ... at 0x...>\n",
	                          "<generator object countdown at 0x7f3a2c1b9e40>\n"));
	/* Across lines, and matching nothing at all. */
	assert_int_equal(1, compare_match("start\n...\nend\n", "start\na\nb\nend\n"));
	assert_int_equal(1, compare_match("a...b\n", "ab\n"));
	assert_int_equal(1, compare_match("...\n", "anything\nat all\n"));
	/* As in doctest, a "..." line still ends a line: it needs output. */
	assert_int_equal(0, compare_match("...", ""));
	/* The pieces must come in order. */
	assert_int_equal(1, compare_match("a...b...c\n", "a1b2c\n"));
	assert_int_equal(0, compare_match("a...c...b\n", "a1b2c\n"));
	/* The first piece is a prefix and the last a suffix. */
	assert_int_equal(0, compare_match("x...\n", "yx\n"));
	assert_int_equal(0, compare_match("...x\n", "xy\n"));
	/* Prefix and suffix may not overlap (doctest's startpos > endpos). */
	assert_int_equal(0, compare_match("aa...aa", "aaa"));
	assert_int_equal(1, compare_match("aa...aa", "aaaa"));
	/* Without "..." it is plain equality. */
	assert_int_equal(0, compare_match("a..b\n", "axxb\n"));
}

static void blankline(void **state)
{
	assert_int_equal(1, compare_match("a\n<BLANKLINE>\nb\n", "a\n\nb\n"));
	assert_int_equal(1, compare_match("a\n<BLANKLINE>\n", "a\n\n"));
	assert_int_equal(1, compare_match("<BLANKLINE>   \n", "\n"));
	assert_int_equal(0, compare_match("a\n<BLANKLINE>\nb\n", "a\nb\n"));
	assert_int_equal(0, compare_match("a\n\n", "a\n"));
	/* Only on the expected side. */
	assert_int_equal(0, compare_match("\n", "<BLANKLINE>\n"));
}

static void trailing_whitespace_ignored(void **state)
{
	assert_int_equal(1, compare_match("x   \n", "x\n"));
	assert_int_equal(1, compare_match("x\n", "x \t\n"));
	assert_int_equal(1, compare_match("a  \nb\n", "a\nb   \n"));
	assert_int_equal(1, compare_match("x\r\n", "x\n"));
	assert_int_equal(0, compare_match("x y\n", "x  y\n"));
}

static void missing_final_newline(void **state)
{
	assert_int_equal(1, compare_match("42", "42\n"));
	assert_int_equal(1, compare_match("42\n", "42"));
	assert_int_equal(1, compare_match("a\nb", "a\nb\n"));
	assert_int_equal(0, compare_match("42", "4"));
}

static void traceback(void **state)
{
	char *actual = compare_actual(NULL, "StopIteration");
	char *with_output = compare_actual("doubler: closing down\n", "ValueError: stop");

	/* Header and stack given. */
	assert_int_equal(1, compare_match("Traceback (most recent call last):\n"
	                          "  File \"<stdin>\", line 1, in <module>\n"
	                          "    next(d)\n"
	                          "StopIteration\n", actual));
	/* Header with an ellipsis for the stack, as doctest users write. */
	assert_int_equal(1, compare_match("Traceback (most recent call last):\n"
	                          "  ...\n"
	                          "StopIteration\n", actual));
	/* Header only, and no header at all. */
	assert_int_equal(1, compare_match("Traceback (most recent call last):\nStopIteration\n", actual));
	assert_int_equal(1, compare_match("StopIteration\n", actual));
	/* What was printed first is compared too. */
	assert_int_equal(1, compare_match("doubler: closing down\n"
	                          "Traceback (most recent call last):\n"
	                          "  File \"<stdin>\", line 1, in <module>\n"
	                          "ValueError: stop\n", with_output));
	assert_int_equal(0, compare_match("Traceback (most recent call last):\n"
	                           "ValueError: stop\n", with_output));
	/* The exception line itself must match. */
	assert_int_equal(0, compare_match("Traceback (most recent call last):\n"
	                           "  File \"<stdin>\", line 1, in <module>\n"
	                           "ValueError: go\n", with_output));
	assert_int_equal(0, compare_match("Traceback (most recent call last):\n"
	                           "  File \"<stdin>\", line 1, in <module>\n"
	                           "RuntimeError\n", actual));
	/* Without the header, indented lines are ordinary output. */
	assert_int_equal(0, compare_match("  File \"<stdin>\", line 1, in <module>\n"
	                           "StopIteration\n", actual));
	ys_free(actual);
	ys_free(with_output);
}

/* doctest's default (no DONT_ACCEPT_TRUE_FOR_1): an expected 1 or 0 is
 * satisfied by True or False, when it is the whole output and only then. */
static void true_for_one(void **state)
{
	char *raised = compare_actual("True\n", "ValueError: x");

	assert_int_equal(1, compare_match("1\n", "True\n"));
	assert_int_equal(1, compare_match("0\n", "False\n"));
	assert_int_equal(1, compare_match("1", "True"));
	/* Not the other way round, and not across the pair. */
	assert_int_equal(0, compare_match("True\n", "1\n"));
	assert_int_equal(0, compare_match("0\n", "True\n"));
	assert_int_equal(0, compare_match("1\n", "False\n"));
	/* Only as the whole output, as doctest compares the whole. */
	assert_int_equal(0, compare_match("1\n1\n", "True\nTrue\n"));
	assert_int_equal(0, compare_match("[1]\n", "[True]\n"));
	assert_int_equal(0, compare_match("x\n1\n", "x\nTrue\n"));
	assert_int_equal(0, compare_match("1\n", raised));
	ys_free(raised);
}

/* doctest takes everything between the traceback header and the first
 * line that starts with a letter, digit or underscore as the stack: a
 * bare "..." line, an unindented one, or none at all. */
static void traceback_stack_as_doctest_reads_it(void **state)
{
	char *actual = compare_actual(NULL, "TypeError: can't send non-None value "
	                              "to a just-started generator");
	char *printed = compare_actual("before\n", "ValueError: stop");

	assert_int_equal(1, compare_match("Traceback (most recent call last):\n"
	                          "...\n"
	                          "TypeError: can't send non-None value to a "
	                          "just-started generator\n", actual));
	assert_int_equal(1, compare_match("Traceback (most recent call last):\n"
	                          "...\n"
	                          "  File \"<stdin>\", line 1, in ?\n"
	                          "<BLANKLINE>\n"
	                          "TypeError: can't send non-None value to a "
	                          "just-started generator\n", actual));
	/* The older header doctest also knows. */
	assert_int_equal(1, compare_match("Traceback (innermost last):\n"
	                          "...\n"
	                          "ValueError: stop\n", printed + strlen("before\n")));
	assert_int_equal(1, compare_match("before\n"
	                          "Traceback (most recent call last):\n"
	                          "...\n"
	                          "ValueError: stop\n", printed));
	/* The message still has to match. */
	assert_int_equal(0, compare_match("Traceback (most recent call last):\n"
	                          "...\n"
	                          "ValueError: go\n", printed + strlen("before\n")));
	assert_int_equal(0, compare_match("Traceback (most recent call last):\n"
	                          "...\n"
	                          "ValueError: stop\n", printed));
	ys_free(actual);
	ys_free(printed);
}

/* ---- compare_diff ------------------------------------------------------ */

static void diff_headed_with_changes(void **state)
{
	char *d = compare_diff("lessons/03.md", 42, "start 5\n5\n", "start 5\n6\n");

	assert_string_equal(d,
	                    "--- lessons/03.md:42 (expected)\n"
	                    "+++ lessons/03.md:42 (got)\n"
	                    "@@ -1,2 +1,2 @@\n"
	                    " start 5\n"
	                    "-5\n"
	                    "+6\n");
	ys_free(d);
}

static void diff_context_and_hunks(void **state)
{
	char *d = compare_diff("l.md", 7,
	                       "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n",
	                       "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\nm\nn\n");

	/* Three lines of context, two hunks, as diff -u prints them. */
	assert_string_equal(d,
	                    "--- l.md:7 (expected)\n"
	                    "+++ l.md:7 (got)\n"
	                    "@@ -1,5 +1,5 @@\n"
	                    " a\n-b\n+B\n c\n d\n e\n"
	                    "@@ -9,5 +9,6 @@\n"
	                    " i\n j\n k\n-l\n+L\n m\n+n\n");
	ys_free(d);
}

static void diff_from_nothing_and_to_nothing(void **state)
{
	char *d = compare_diff("l.md", 3, "", "surprise\n");

	assert_string_equal(d, "--- l.md:3 (expected)\n+++ l.md:3 (got)\n"
	                       "@@ -0,0 +1 @@\n+surprise\n");
	ys_free(d);
	d = compare_diff("l.md", 3, "42\n", "");
	assert_string_equal(d, "--- l.md:3 (expected)\n+++ l.md:3 (got)\n"
	                       "@@ -1 +0,0 @@\n-42\n");
	ys_free(d);
}

static void diff_shows_only_real_differences(void **state)
{
	char *d = compare_diff("l.md", 9,
	                       "<gen at 0x...>   \n"
	                       "<BLANKLINE>\n"
	                       "Traceback (most recent call last):\n"
	                       "  File \"<stdin>\", line 1\n"
	                       "ValueError: one\n",
	                       "<gen at 0x7f00>\n\nValueError: two\n");

	/* Lines that match under the rules are context; the dropped
	 * traceback header and stack are not reported as missing. */
	assert_string_equal(d,
	                    "--- l.md:9 (expected)\n"
	                    "+++ l.md:9 (got)\n"
	                    "@@ -1,3 +1,3 @@\n"
	                    " <gen at 0x...>   \n"
	                    " <BLANKLINE>\n"
	                    "-ValueError: one\n"
	                    "+ValueError: two\n");
	ys_free(d);
}

static void diff_of_long_outputs(void **state)
{
	strbuf a = {0}, b = {0};
	char *d;
	int i;

	for (i = 0; i < 20000; i++) {
		sb_printf(&a, "line %d\n", i);
		sb_printf(&b, "line %d\n", i % 1000 == 500 ? -i : i);
	}
	d = compare_diff("big.md", 1, sb_cstr(&a), sb_cstr(&b));
	assert_non_null(d);
	assert_non_null(strstr(d, "@@ -498,7 +498,7 @@\n line 497\n line 498\n line 499\n"
	                          "-line 500\n+line -500\n line 501\n"));
	assert_non_null(strstr(d, "-line 19500\n+line -19500\n"));
	ys_free(d);
	sb_free(&a);
	sb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(actual_output_then_exception),
		cmocka_unit_test(exact_and_mismatch),
		cmocka_unit_test(ellipsis),
		cmocka_unit_test(blankline),
		cmocka_unit_test(trailing_whitespace_ignored),
		cmocka_unit_test(missing_final_newline),
		cmocka_unit_test(traceback),
		cmocka_unit_test(true_for_one),
		cmocka_unit_test(traceback_stack_as_doctest_reads_it),
		cmocka_unit_test(diff_headed_with_changes),
		cmocka_unit_test(diff_context_and_hunks),
		cmocka_unit_test(diff_from_nothing_and_to_nothing),
		cmocka_unit_test(diff_shows_only_real_differences),
		cmocka_unit_test(diff_of_long_outputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
