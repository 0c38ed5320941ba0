/* test_lesson.c: parsing lesson files into steps, and driving statements.
 *
 * Fixtures live in tests/lessons/ under $srcdir; small or binary inputs
 * are built in memory and given to lesson_parse.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lesson.h"
#include "util.h"

/* ---- Helpers ----------------------------------------------------------- */

static char *fixture(const char *name)
{
	const char *dir = getenv("srcdir");
	char *path = ys_asprintf("%s/tests/lessons/%s", dir ? dir : ".", name);

	assert_non_null(path);
	return path;
}

static lesson *load(const char *name)
{
	char *path = fixture(name);
	lesson_error err;
	lesson *l = lesson_load(path, &err);

	if (!l)
		fail_msg("%s:%d: %s", err.path, err.line, err.message);
	ys_free(path);
	return l;
}

static lesson *parse(const char *text)
{
	lesson_error err;
	lesson *l = lesson_parse("mem.md", text, strlen(text), &err);

	if (!l)
		fail_msg("%s:%d: %s", err.path, err.line, err.message);
	return l;
}

/* The file must be refused at `line` with a message containing `what`. */
static void assert_load_error(const char *name, int line, const char *what)
{
	char *path = fixture(name);
	lesson_error err;
	lesson *l = lesson_load(path, &err);

	assert_null(l);
	assert_string_equal(err.path, path);
	assert_int_equal(err.line, line);
	if (!strstr(err.message, what))
		fail_msg("message \"%s\" does not mention \"%s\"", err.message, what);
	ys_free(path);
}

static void assert_parse_error_n(const char *text, size_t len, int line,
                                 const char *what)
{
	lesson_error err;
	lesson *l = lesson_parse("mem.md", text, len, &err);

	assert_null(l);
	assert_string_equal(err.path, "mem.md");
	assert_int_equal(err.line, line);
	if (!strstr(err.message, what))
		fail_msg("message \"%s\" does not mention \"%s\"", err.message, what);
}

static void assert_parse_error(const char *text, int line, const char *what)
{
	assert_parse_error_n(text, strlen(text), line, what);
}

/* ---- A good lesson ----------------------------------------------------- */

static void good_title_sections_and_narration(void **state)
{
	lesson *l = load("good.md");

	assert_string_equal(l->title, "Counting down");
	assert_int_equal(l->nsteps, 8);

	/* Prose before the first section still belongs to the first step. */
	assert_string_equal(l->steps[0].narration,
	                    "Opening words, before any section.\n\nA generator function:");
	assert_string_equal(l->steps[0].section, "Making one");
	/* A list between two blocks is narration for the step after it. */
	assert_string_equal(l->steps[1].narration, "- a list\n- of two items");
	assert_null(l->steps[2].narration);
	assert_string_equal(l->steps[4].section, "Making one");
	assert_string_equal(l->steps[5].section, "Shown, not run");
	assert_string_equal(l->steps[5].narration, "> A quote is narration.");
	/* Smaller headings stay in the narration, as written. */
	assert_string_equal(l->steps[6].narration,
	                    "### A smaller heading\n\nPredict <!-- yieldscope: predict --> inline.");
	assert_string_equal(l->closing, "Closing words.");
	lesson_free(l);
}

static void good_code_steps_and_program(void **state)
{
	lesson *l = load("good.md");

	assert_int_equal(l->steps[0].kind, LESSON_CODE);
	assert_string_equal(l->steps[0].source,
	                    "def countdown(n):\n    while n > 0:\n"
	                    "        yield n\n        n -= 1");
	assert_int_equal(l->steps[0].line, 11);
	assert_int_equal(l->steps[0].code_line, 1);
	assert_null(l->steps[0].expected);
	assert_int_equal(l->steps[6].kind, LESSON_CODE);
	assert_string_equal(l->steps[6].source, "tasks = [countdown(2)]");
	assert_int_equal(l->steps[6].line, 57);
	assert_int_equal(l->steps[6].code_line, 5);
	assert_string_equal(l->program,
	                    "def countdown(n):\n    while n > 0:\n"
	                    "        yield n\n        n -= 1\n"
	                    "tasks = [countdown(2)]\n");
	lesson_free(l);
}

static void good_statements_and_expected(void **state)
{
	lesson *l = load("good.md");
	const lesson_step *st = l->steps;

	assert_int_equal(st[1].kind, LESSON_STATEMENT);
	assert_string_equal(st[1].source, "c = countdown(3)");
	assert_int_equal(st[1].line, 21);
	assert_string_equal(st[1].expected, "");
	assert_int_equal(st[1].expected_line, 22);

	assert_string_equal(st[2].source, "next(c)");
	assert_int_equal(st[2].line, 22);
	assert_string_equal(st[2].expected, "3\n");
	assert_int_equal(st[2].expected_line, 23);

	/* Continuation prompts removed, the closing bare "..." and the blank
	 * line before the next ">>> " dropped. */
	assert_string_equal(st[3].source, "for i in range(2):\n    print(i)");
	assert_int_equal(st[3].line, 24);
	assert_string_equal(st[3].expected, "0\n1\n");
	assert_int_equal(st[3].expected_line, 27);

	assert_string_equal(st[4].source, "v = c.send(None)");
	assert_int_equal(st[4].line, 30);
	assert_string_equal(st[4].expected, "");
	assert_int_equal(st[4].expected_line, 31);

	assert_string_equal(st[5].expected,
	                    "Traceback (most recent call last):\n  ...\nValueError: stop\n");
	assert_int_equal(st[5].line, 46);
	assert_int_equal(st[5].expected_line, 47);
	assert_int_equal(st[5].code_line, 0);
	lesson_free(l);
}

static void good_predict_directives(void **state)
{
	lesson *l = load("good.md");
	size_t i;

	/* One as its own block, one inline in a paragraph. */
	for (i = 0; i < l->nsteps; i++)
		assert_int_equal(l->steps[i].predict, i == 5 || i == 6);
	lesson_free(l);
}

static void good_shown_blocks(void **state)
{
	lesson *l = load("good.md");

	assert_int_equal(l->nshown, 2);
	assert_string_equal(l->shown[0].info, "text");
	assert_string_equal(l->shown[0].text, "not run");
	assert_int_equal(l->shown[0].line, 36);
	assert_int_equal(l->shown[0].before_step, 5);
	assert_string_equal(l->shown[1].info, "");
	assert_string_equal(l->shown[1].text, "indented code, shown too");
	assert_int_equal(l->shown[1].line, 39);
	assert_int_equal(l->shown[1].before_step, 5);
	lesson_free(l);
}

static void good_drives(void **state)
{
	lesson *l = load("good.md");
	const lesson_step *st = l->steps;

	assert_int_equal(st[0].drive.kind, DRIVE_NONE);
	assert_int_equal(st[1].drive.kind, DRIVE_NONE);
	assert_int_equal(st[2].drive.kind, DRIVE_NEXT);
	assert_string_equal(st[2].drive.target, "c");
	assert_int_equal(st[3].drive.kind, DRIVE_NONE);
	assert_int_equal(st[4].drive.kind, DRIVE_SEND);
	assert_string_equal(st[4].drive.target, "c");
	assert_string_equal(st[4].drive.arg, "None");
	assert_string_equal(st[4].drive.assign, "v");
	assert_int_equal(st[5].drive.kind, DRIVE_THROW);
	assert_string_equal(st[5].drive.arg, "ValueError(\"stop\")");
	assert_int_equal(st[7].drive.kind, DRIVE_CLOSE);
	assert_string_equal(st[7].drive.target, "tasks[0]");
	assert_null(st[7].drive.arg);
	lesson_free(l);
}

static void title_falls_back_to_file_name(void **state)
{
	lesson *l = parse("```python\nx = 1\n```\n");

	assert_string_equal(l->title, "mem.md");
	assert_null(l->steps[0].section);
	assert_null(l->steps[0].narration);
	assert_null(l->closing);
	lesson_free(l);
}

/* The complete lesson in docs/lesson-format.md, the first ````markdown
 * block there, must be a valid lesson that says what the page says. */
static void documented_example(void **state)
{
	const char *dir = getenv("srcdir");
	char *path = ys_asprintf("%s/docs/lesson-format.md", dir ? dir : ".");
	size_t len;
	char *doc, *start, *end;
	lesson *l;

	assert_non_null(path);
	doc = ys_read_file(path, &len);
	assert_non_null(doc);
	start = strstr(doc, "\n````markdown\n");
	assert_non_null(start);
	start += strlen("\n````markdown\n");
	end = strstr(start, "\n````\n");
	assert_non_null(end);
	end[1] = '\0';
	l = parse(start);
	assert_string_equal(l->title, "Counting down");
	assert_int_equal(l->nsteps, 11);
	assert_int_equal(l->steps[0].kind, LESSON_CODE);
	assert_true(l->steps[3].predict);
	assert_true(l->steps[6].predict);
	assert_int_equal(l->steps[9].drive.kind, DRIVE_CLOSE);
	assert_int_equal(l->nshown, 1);
	assert_string_equal(l->shown[0].info, "sh");
	assert_non_null(l->closing);
	lesson_free(l);
	ys_free(doc);
	ys_free(path);
}

/* ---- Refused lessons --------------------------------------------------- */

static void missing_file(void **state)
{
	lesson_error err;

	assert_null(lesson_load("/nonexistent/lesson.md", &err));
	assert_string_equal(err.path, "/nonexistent/lesson.md");
	assert_int_equal(err.line, 0);
	assert_string_equal(err.message, "cannot open: No such file or directory");
}

static void unterminated_fence(void **state)
{
	assert_load_error("bad-unterminated.md", 3,
	                  "unterminated ``` fence (opened here)");
	/* A shorter fence does not close a longer one. */
	assert_parse_error("# T\n\n````python\nx = 1\n```\n", 3,
	                   "unterminated ```` fence");
	assert_parse_error("~~~python\nx = 1\n", 1, "unterminated ~~~ fence");
	/* A fence that opens on the last line. */
	assert_parse_error("```python", 1, "unterminated ``` fence");
	/* Indented by four, the would-be closing fence is code. */
	assert_parse_error("```python\nx = 1\n    ```\n", 1, "unterminated");
	/* Inside a list item, the item's end ends the fence. */
	assert_parse_error("- item\n\n  ```\n  code\n- next\n\n```python\nx\n```\n",
	                   3, "unterminated ``` fence");
}

static void closed_fences_in_containers_are_fine(void **state)
{
	lesson *l = parse("> ```\n> quoted\n> ```\n\n- ```\n  in a list\n  ```\n\n"
	                  "```python\nx = 1\n```\n");

	assert_int_equal(l->nsteps, 1);
	assert_string_equal(l->steps[0].narration,
	                    "> ```\n> quoted\n> ```\n\n- ```\n  in a list\n  ```");
	assert_int_equal(l->nshown, 0);
	lesson_free(l);
}

static void indented_code_that_looks_like_a_fence(void **state)
{
	lesson *l = parse("Show a fence:\n\n    ```python\n    x\n\n```python\ny = 2\n```\n");

	assert_int_equal(l->nshown, 1);
	assert_string_equal(l->shown[0].text, "```python\nx");
	assert_int_equal(l->nsteps, 1);
	lesson_free(l);
}

static void prompt_in_python_block(void **state)
{
	assert_load_error("bad-prompt-in-python.md", 6,
	                  "'>>>' outside a pycon block: put the session in a ```pycon fence");
	assert_parse_error("```python\n>>>\n```\n", 2, "'>>>' outside a pycon block");
}

static void prompt_in_prose(void **state)
{
	assert_load_error("bad-prompt-in-prose.md", 9,
	                  "'>>>' outside a pycon block");
	assert_parse_error("```python\nx = 1\n```\n\n- a list\n- >>> x\n", 6,
	                   "'>>>' outside a pycon block");
}

static void prompt_mid_line_and_quotes_are_prose(void **state)
{
	lesson *l = parse("Type `>>> next(g)` at the prompt.\n\n> > > spaced quotes\n\n"
	                  "```python\nx = 1\n```\n");

	assert_string_equal(l->steps[0].narration,
	                    "Type `>>> next(g)` at the prompt.\n\n> > > spaced quotes");
	lesson_free(l);
}

static void text_before_first_prompt(void **state)
{
	assert_load_error("bad-text-before.md", 5,
	                  "text before the first '>>>' in a pycon block");
}

static void unknown_directive(void **state)
{
	assert_load_error("bad-directive.md", 7, "unknown directive 'pridict'");
	/* Inline, on the second line of a paragraph. */
	assert_parse_error("```python\nx = 1\n```\n\nSome text\nand <!-- yieldscope: explain x --> more.\n",
	                   6, "unknown directive 'explain'");
	assert_parse_error("<!-- yieldscope: -->\n```python\nx\n```\n", 1,
	                   "directive without a word");
}

static void other_comments_are_ignored(void **state)
{
	lesson *l = parse("<!-- a note to other teachers -->\n\n<!--\nyieldscope: predict\n-->\n"
	                  "```python\nx = 1\n```\n");

	assert_null(l->steps[0].narration);
	/* A directive may span lines inside its comment. */
	assert_true(l->steps[0].predict);
	lesson_free(l);
}

/* select, highlight and panes belong to the step after them; the one
 * after that has none. */
static void eye_directives(void **state)
{
	lesson *l = parse("```python\ng = iter([1])\n```\n\n"
	                  "Look at g.\n<!-- yieldscope: select g -->\n"
	                  "<!-- yieldscope: highlight card g -->\n<!-- yieldscope: highlight hop g -->\n"
	                  "<!-- yieldscope: highlight line 2 -->\n<!-- yieldscope: panes Heap Channel -->\n\n"
	                  "```pycon\n>>> next(g)\n1\n```\n\n```pycon\n>>> 2\n2\n```\n");

	(void)state;
	assert_int_equal(l->nsteps, 3);
	assert_null(l->steps[0].eye.select);
	assert_string_equal(l->steps[1].eye.select, "g");
	assert_string_equal(l->steps[1].eye.card, "g");
	assert_string_equal(l->steps[1].eye.hop, "g");
	assert_int_equal(l->steps[1].eye.line, 2);
	assert_int_equal(l->steps[1].eye.panes, EYE_HEAP | EYE_CHANNEL);
	assert_null(l->steps[2].eye.select);
	assert_int_equal(l->steps[2].eye.panes, 0);
	lesson_free(l);
}

static void eye_directives_bad(void **state)
{
	(void)state;
	assert_parse_error("<!-- yieldscope: highlight g -->\n\n```python\nx\n```\n", 1,
	                   "bad highlight directive");
	assert_parse_error("<!-- yieldscope: highlight line x -->\n\n```python\nx\n```\n", 1,
	                   "bad highlight directive");
	assert_parse_error("<!-- yieldscope: panes Source -->\n\n```python\nx\n```\n", 1,
	                   "bad panes directive");
	assert_parse_error("<!-- yieldscope: panes Heap Channel Console -->\n\n```python\nx\n```\n",
	                   1, "bad panes directive");
	assert_parse_error("<!-- yieldscope: select -->\n\n```python\nx\n```\n", 1,
	                   "bad select directive");
}

/* What each form of the predict directive asks, and the forms refused. */
static void predict_kinds(void **state)
{
	lesson *l = parse("```pycon\n>>> g = iter([])\n```\n"
	                  "<!-- yieldscope: predict state g -->\n```pycon\n>>> a = 1\n```\n"
	                  "<!-- yieldscope: predict line g -->\n```pycon\n>>> b = 1\n```\n"
	                  "<!-- yieldscope: predict resumes -->\n```pycon\n>>> c = 1\n```\n"
	                  "<!-- yieldscope:\n  predict catches\n-->\n```pycon\n>>> d = 1\n```\n");

	(void)state;
	assert_false(l->steps[0].predict);
	assert_int_equal(l->steps[1].predict_kind, PREDICT_STATE);
	assert_string_equal(l->steps[1].predict_target, "g");
	assert_int_equal(l->steps[2].predict_kind, PREDICT_LINE);
	assert_string_equal(l->steps[2].predict_target, "g");
	assert_int_equal(l->steps[3].predict_kind, PREDICT_RESUME);
	assert_null(l->steps[3].predict_target);
	assert_true(l->steps[4].predict);
	assert_int_equal(l->steps[4].predict_kind, PREDICT_CATCH);
	assert_null(l->steps[4].predict_target);
	lesson_free(l);
	/* catches and resumes take no label; state and line take one. */
	assert_parse_error("<!-- yieldscope: predict catches g -->\n```pycon\n>>> a = 1\n```\n",
	                   1, "or predict catches");
	assert_parse_error("<!-- yieldscope: predict resumes g -->\n```pycon\n>>> a = 1\n```\n",
	                   1, "bad predict directive");
	assert_parse_error("<!-- yieldscope: predict catch -->\n```pycon\n>>> a = 1\n```\n",
	                   1, "bad predict directive");
	assert_parse_error("<!-- yieldscope: predict state -->\n```pycon\n>>> a = 1\n```\n",
	                   1, "bad predict directive");
	assert_parse_error("<!-- yieldscope: predict catches -->\n<!-- yieldscope: predict -->\n"
	                   "```pycon\n>>> a = 1\n```\n", 2, "two predict directives for one step");
}

static void unterminated_comment(void **state)
{
	assert_parse_error("# T\n\ntext\n\n<!-- yieldscope: predict\n\n```python\nx\n```\n",
	                   5, "unterminated <!-- comment");
}

static void predict_without_step(void **state)
{
	assert_parse_error("```python\nx\n```\n\n<!-- yieldscope: predict -->\n\nThe end.\n",
	                   5, "'predict' directive with no step after it");
}

static void no_steps(void **state)
{
	assert_load_error("bad-no-steps.md", 1,
	                  "no steps: a lesson needs a ```python or ```pycon block");
	assert_load_error("empty.md", 1, "no steps");
	assert_parse_error_n(NULL, 0, 1, "no steps");
	/* A pycon block with nothing but a bare prompt holds no step. */
	assert_parse_error("```pycon\n>>> \n```\n", 1, "no steps");
}

static void invalid_utf8(void **state)
{
	assert_parse_error("# T\n\nnaïve\ncaf\xe9\n", 4, "invalid UTF-8");
	/* Overlong encodings are invalid too. */
	assert_parse_error("```python\nx = '\xc0\xaf'\n```\n", 2, "invalid UTF-8");
}

static void nul_byte(void **state)
{
	static const char text[] = "```python\nx = 1\n\0\n```\n";

	assert_parse_error_n(text, sizeof text - 1, 3, "NUL byte");
}

/* ---- Line endings and sizes -------------------------------------------- */

static void crlf_line_endings(void **state)
{
	lesson *l = parse("# Title\r\n\r\nSome words\r\nmore.\r\n\r\n```python\r\n"
	                  "def f():\r\n    yield 1\r\n```\r\n\r\n```pycon\r\n"
	                  ">>> next(f())\r\n1\r\n```\r\n");

	assert_string_equal(l->title, "Title");
	assert_string_equal(l->steps[0].narration, "Some words\nmore.");
	assert_string_equal(l->steps[0].source, "def f():\n    yield 1");
	assert_int_equal(l->steps[0].line, 7);
	assert_string_equal(l->steps[1].expected, "1\n");
	assert_int_equal(l->steps[1].line, 12);
	assert_int_equal(l->steps[1].expected_line, 13);
	lesson_free(l);
}

static void lone_cr_line_endings(void **state)
{
	lesson *l = parse("# Old Mac\r\r```pycon\r>>> 1 + 1\r2\r```\r");

	assert_string_equal(l->title, "Old Mac");
	assert_string_equal(l->steps[0].source, "1 + 1");
	assert_int_equal(l->steps[0].line, 4);
	assert_string_equal(l->steps[0].expected, "2\n");
	lesson_free(l);
	assert_parse_error("ok\r```python\r>>> x\r```", 3, "'>>>' outside");
}

static void no_final_newline(void **state)
{
	lesson *l = parse("```pycon\n>>> print('a')\na\n```\n\nThe end.");

	assert_string_equal(l->steps[0].expected, "a\n");
	assert_string_equal(l->closing, "The end.");
	lesson_free(l);
	l = parse("```python\nx = 1\n```");
	assert_string_equal(l->steps[0].source, "x = 1");
	assert_string_equal(l->program, "x = 1\n");
	lesson_free(l);
}

static void byte_order_mark(void **state)
{
	lesson *l = parse("\xEF\xBB\xBF# Marked\n\n```python\nx\n```\n");

	assert_string_equal(l->title, "Marked");
	assert_int_equal(l->steps[0].line, 4);
	lesson_free(l);
}

static void one_megabyte_line(void **state)
{
	size_t n = 1 << 20, i;
	strbuf sb = {0};
	lesson *l;

	sb_append(&sb, "```python\nx = '");
	for (i = 0; i < n; i++)
		sb_appendc(&sb, 'a' + i % 26);
	sb_append(&sb, "'\n```\n\nProse ");
	for (i = 0; i < n; i++)
		sb_appendc(&sb, i % 7 ? 'w' : ' ');
	sb_append(&sb, "\n");
	assert_false(sb.failed);
	l = parse(sb_cstr(&sb));
	assert_int_equal(strlen(l->steps[0].source), n + 6);
	assert_int_equal(strlen(l->closing), n + 6);
	lesson_free(l);
	sb_free(&sb);
}

static void hundred_thousand_steps(void **state)
{
	const int n = 100000;
	strbuf sb = {0};
	clock_t t0 = clock();
	lesson *l;
	int i;

	sb_append(&sb, "## Many\n\n```pycon\n");
	for (i = 0; i < n; i++)
		sb_printf(&sb, ">>> next(g)\n%d\n", i);
	sb_append(&sb, "```\n\n");
	for (i = 0; i < n; i++)
		sb_printf(&sb, "Step %d.\n\n```python\nx = %d\n```\n\n", i, i);
	assert_false(sb.failed);
	l = parse(sb_cstr(&sb));
	assert_int_equal(l->nsteps, 2 * n);
	assert_int_equal(l->steps[n - 1].line, 3 + 2 * n - 1);
	assert_string_equal(l->steps[n - 1].expected, "99999\n");
	assert_int_equal(l->steps[n - 1].drive.kind, DRIVE_NEXT);
	assert_string_equal(l->steps[2 * n - 1].source, "x = 99999");
	assert_string_equal(l->steps[2 * n - 1].narration, "Step 99999.");
	assert_int_equal(l->steps[2 * n - 1].code_line, n);
	assert_string_equal(l->steps[2 * n - 1].section, "Many");
	/* Anything quadratic would take minutes here. */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
	lesson_free(l);
	sb_free(&sb);
}

/* ---- pycon details ----------------------------------------------------- */

static void pycon_details(void **state)
{
	lesson *l = parse("```pycon\n"
	                  ">>> def f():\n"
	                  "...     yield 1\n"
	                  "...\n"
	                  "...     yield 2\n"
	                  "...\n"
	                  ">>> print('a\\n\\nb')\n"
	                  "a\n"
	                  "\n"
	                  "b\n"
	                  ">>> print()\n"
	                  "<BLANKLINE>\n"
	                  ">>> \n"
	                  "```\n");

	assert_int_equal(l->nsteps, 3);
	/* A bare "..." inside a statement is an empty line of it. */
	assert_string_equal(l->steps[0].source, "def f():\n    yield 1\n\n    yield 2");
	assert_string_equal(l->steps[0].expected, "");
	assert_int_equal(l->steps[0].expected_line, 7);
	/* Blank lines inside expected output are kept. */
	assert_string_equal(l->steps[1].expected, "a\n\nb\n");
	assert_string_equal(l->steps[2].expected, "<BLANKLINE>\n");
	lesson_free(l);
}

static void python_info_string_first_word(void **state)
{
	lesson *l = parse("```python title=\"x\"\nx = 1\n```\n\n```py\nshown\n```\n\n"
	                  "```pycon extra\n>>> x\n1\n```\n");

	assert_int_equal(l->nsteps, 2);
	assert_int_equal(l->steps[0].kind, LESSON_CODE);
	assert_int_equal(l->steps[1].kind, LESSON_STATEMENT);
	assert_int_equal(l->nshown, 1);
	assert_string_equal(l->shown[0].info, "py");
	assert_int_equal(l->shown[0].before_step, 1);
	lesson_free(l);
}

/* ---- Driving statements ------------------------------------------------ */

typedef struct {
	const char *statement;
	drive_kind kind;
	const char *target, *arg, *assign;
	const char *canonical;
} drive_case;

static void drives_recognised(void **state)
{
	static const drive_case cases[] = {
		{ "next(t)", DRIVE_NEXT, "t", NULL, NULL, "next(t)" },
		{ "v = next(t)", DRIVE_NEXT, "t", NULL, "v", "v = next(t)" },
		{ "v=t.send(6)", DRIVE_SEND, "t", "6", "v", "v = t.send(6)" },
		{ "t . send ( 6 )  ", DRIVE_SEND, "t", "6", NULL, "t.send(6)" },
		{ "t.throw(ValueError)", DRIVE_THROW, "t", "ValueError", NULL,
		  "t.throw(ValueError)" },
		{ "t.throw(ValueError('a, b'))", DRIVE_THROW, "t",
		  "ValueError('a, b')", NULL, "t.throw(ValueError('a, b'))" },
		{ "t.close()", DRIVE_CLOSE, "t", NULL, NULL, "t.close()" },
		{ "next(f.gi_yieldfrom)", DRIVE_NEXT, "f.gi_yieldfrom", NULL, NULL,
		  "next(f.gi_yieldfrom)" },
		{ "tasks[0].send(None)", DRIVE_SEND, "tasks[0]", "None", NULL,
		  "tasks[0].send(None)" },
		{ "next(d['a'] [ -1 ])", DRIVE_NEXT, "d['a'][-1]", NULL, NULL,
		  "next(d['a'][-1])" },
		{ "x = g.send((1, [2, 3], {'k': ')'}))", DRIVE_SEND, "g",
		  "(1, [2, 3], {'k': ')'})", "x", "x = g.send((1, [2, 3], {'k': ')'}))" },
		{ "g.send(\"\"\"a \" b\"\"\")", DRIVE_SEND, "g", "\"\"\"a \" b\"\"\"", NULL,
		  "g.send(\"\"\"a \" b\"\"\")" },
		{ "next(g)  # prime it", DRIVE_NEXT, "g", NULL, NULL, "next(g)" },
		{ "gén.close()", DRIVE_CLOSE, "gén", NULL, NULL, "gén.close()" },
		{ "loop.run_one()", DRIVE_RUN_ONE, "loop", NULL, NULL, "loop.run_one()" },
		{ "loop . run_until_resumes( tasks[1] )", DRIVE_RUN_UNTIL, "loop",
		  "tasks[1]", NULL, "loop.run_until_resumes(tasks[1])" },
		{ "ok = t.cancel()", DRIVE_CANCEL, "t", NULL, "ok", "ok = t.cancel()" },
		{ "t.cancel('late')", DRIVE_CANCEL, "t", "'late'", NULL, "t.cancel('late')" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const drive_case *c = &cases[i];
		lesson_drive d;
		char *s;

		if (!lesson_parse_drive(c->statement, &d))
			fail_msg("not recognised: %s", c->statement);
		assert_int_equal(d.kind, c->kind);
		assert_string_equal(d.target, c->target);
		if (c->arg)
			assert_string_equal(d.arg, c->arg);
		else
			assert_null(d.arg);
		if (c->assign)
			assert_string_equal(d.assign, c->assign);
		else
			assert_null(d.assign);
		s = lesson_drive_statement(&d);
		assert_string_equal(s, c->canonical);
		ys_free(s);
		lesson_drive_clear(&d);
		assert_null(d.target);
	}
}

static void drives_rejected(void **state)
{
	static const char *const rejects[] = {
		"next(g, 0)", "list(g)", "x.y = next(g)", "x[0] = next(g)",
		"v == next(g)", "v += next(g)", "next(g) + 1", "next(g).x",
		"next(g())", "next(iter(x))", "g.send()", "g.send(1, 2)",
		"g.throw(ValueError, 'x')", "g.close(1)", "g.send(f(1)",
		"g.send(x])", "g.send('a)", "next(g)\nnext(g)", " next(g)",
		"tasks[i].close()", "g.sendall(1)", "g.send(1) x", "send(1)",
		"next(g # comment)", "g[0", "", "a, b = next(g), 1",
		"g.send(1)(2)", "loop.run_one(1)", "loop.run_until_resumes()",
		"t.cancel(1, 2)",
	};
	size_t i;

	for (i = 0; i < sizeof rejects / sizeof rejects[0]; i++) {
		lesson_drive d;

		if (lesson_parse_drive(rejects[i], &d))
			fail_msg("taken for a drive: %s", rejects[i]);
		assert_int_equal(d.kind, DRIVE_NONE);
		assert_null(d.target);
		assert_null(d.arg);
		assert_null(d.assign);
	}
}

static void drive_nesting_is_bounded(void **state)
{
	strbuf sb = {0};
	lesson_drive d;
	int i;

	sb_append(&sb, "g.send(");
	for (i = 0; i < 10000; i++)
		sb_appendc(&sb, '(');
	for (i = 0; i < 10000; i++)
		sb_appendc(&sb, ')');
	sb_appendc(&sb, ')');
	assert_false(lesson_parse_drive(sb_cstr(&sb), &d));
	sb_free(&sb);
}

/* ---- Python files ------------------------------------------------------ */

static void python_file_is_one_code_step(void **state)
{
	const char text[] = "def g():\n    yield 1\n\r\n>>> not a prompt here\n"
	                    "if __name__ == \"__main__\":\n    x = g()\n";
	lesson_error err;
	lesson *l = lesson_from_python("dir/own.py", text, sizeof text - 1, &err);

	assert_non_null(l);
	assert_string_equal(l->title, "own.py");
	assert_string_equal(l->path, "dir/own.py");
	assert_int_equal(l->nsteps, 1);
	assert_int_equal(l->steps[0].kind, LESSON_CODE);
	assert_int_equal(l->steps[0].line, 1);
	assert_int_equal(l->steps[0].code_line, 1);
	assert_string_equal(l->steps[0].source,
	                    "def g():\n    yield 1\n\n>>> not a prompt here\n"
	                    "if __name__ == \"__main__\":\n    x = g()");
	assert_string_equal(l->program, "def g():\n    yield 1\n\n>>> not a prompt here\n"
	                    "if __name__ == \"__main__\":\n    x = g()\n");
	assert_non_null(strstr(l->steps[0].narration, "__main__"));
	assert_non_null(strstr(l->closing, "Free play"));
	assert_null(l->steps[0].expected);
	lesson_free(l);
}

static void python_file_checks_bytes(void **state)
{
	lesson_error err;

	assert_null(lesson_from_python("b.py", "x = 1\n\xff\n", 8, &err));
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "invalid UTF-8"));
	assert_null(lesson_from_python("n.py", "x = 1\0", 6, &err));
	assert_non_null(strstr(err.message, "NUL"));
}

static void python_file_may_be_empty(void **state)
{
	lesson_error err;
	lesson *l = lesson_from_python("e.py", "", 0, &err);

	assert_non_null(l);
	assert_int_equal(l->nsteps, 1);
	assert_string_equal(l->steps[0].source, "");
	lesson_free(l);
}

static void load_recognises_python_files(void **state)
{
	const char *dir = getenv("srcdir");
	char *path = ys_asprintf("%s/tests/py/chain3.py", dir ? dir : ".");
	lesson_error err;
	lesson *l = lesson_load(path, &err);

	if (!l)
		fail_msg("%s:%d: %s", err.path, err.line, err.message);
	assert_string_equal(l->title, "chain3.py");
	assert_int_equal(l->nsteps, 1);
	assert_non_null(strstr(l->steps[0].source, "yield from mid()"));
	lesson_free(l);
	ys_free(path);
}

static void statements_added_after_the_steps(void **state)
{
	lesson *l = lesson_from_python("a.py", "g = iter(())\n", 13, NULL);

	assert_non_null(l);
	assert_int_equal(lesson_add_statement(l, "v = g.send(3)"), 0);
	assert_int_equal(lesson_add_statement(l, "print(1)"), 0);
	assert_int_equal(l->nsteps, 3);
	assert_int_equal(l->steps[1].kind, LESSON_STATEMENT);
	assert_int_equal(l->steps[1].drive.kind, DRIVE_SEND);
	assert_string_equal(l->steps[1].drive.target, "g");
	assert_string_equal(l->steps[1].drive.arg, "3");
	assert_string_equal(l->steps[1].drive.assign, "v");
	assert_null(l->steps[1].expected);
	assert_int_equal(l->steps[2].drive.kind, DRIVE_NONE);
	assert_string_equal(l->steps[2].source, "print(1)");
	lesson_free(l);
}

/* ---- CPython versions -------------------------------------------------- */

static const char variants[] =
	"# V\n"
	"\n"
	"Shared.\n"
	"\n"
	"<!-- yieldscope: predict -->\n"
	"<!-- yieldscope: python 3.11 -->\n"
	"\n"
	"Only 3.11.\n"
	"\n"
	"```pycon\n"
	">>> v\n"
	"11\n"
	">>> w\n"
	"```\n"
	"\n"
	"Before twelve.\n"
	"\n"
	"<!-- yieldscope: python 3.12-3.12 -->\n"
	"```python\n"
	"v = 12\n"
	"```\n"
	"\n"
	"```text\n"
	"shown\n"
	"```\n"
	"\n"
	"<!-- yieldscope: python 3.13+ -->\n"
	"Only 3.13 and later.\n"
	"\n"
	"```pycon\n"
	">>> v\n"
	"13\n"
	"```\n"
	"\n"
	"```python\n"
	"end = True\n"
	"```\n"
	"\n"
	"Bye.\n";

static void versions_unselected_keep_every_variant(void **state)
{
	lesson *l = parse(variants);

	assert_int_equal(l->nsteps, 5);
	assert_int_equal(l->steps[0].py_min, 311);
	assert_int_equal(l->steps[0].py_max, 311);
	assert_int_equal(l->steps[1].py_min, 311);
	assert_string_equal(l->steps[0].shared, "Shared.");
	assert_string_equal(l->steps[0].narration, "Shared.\n\nOnly 3.11.");
	assert_null(l->steps[1].shared);
	assert_int_equal(l->steps[2].py_min, 312);
	assert_int_equal(l->steps[2].py_max, 312);
	assert_string_equal(l->steps[2].shared, "Before twelve.");
	assert_int_equal(l->steps[3].py_min, 313);
	assert_true(l->steps[3].py_max > 9999);
	assert_null(l->steps[3].shared);
	assert_int_equal(l->steps[4].py_min, 0);
	lesson_free(l);
}

static void versions_select_311(void **state)
{
	lesson *l = parse(variants);

	assert_int_equal(lesson_select_python(l, "3.11.7"), 0);
	assert_int_equal(l->nsteps, 3);
	assert_string_equal(l->steps[0].source, "v");
	assert_true(l->steps[0].predict);
	assert_string_equal(l->steps[1].source, "w");
	/* 3.12's shared prose, 3.13's none: both dropped steps pass theirs on. */
	assert_string_equal(l->steps[2].narration, "Before twelve.");
	assert_string_equal(l->steps[2].source, "end = True");
	assert_int_equal(l->steps[2].code_line, 1);
	assert_string_equal(l->program, "end = True\n");
	assert_int_equal(l->nshown, 1);
	assert_int_equal(l->shown[0].before_step, 2);
	assert_string_equal(l->closing, "Bye.");
	lesson_free(l);
}

static void versions_select_312(void **state)
{
	lesson *l = parse(variants);

	assert_int_equal(lesson_select_python(l, "3.12.1"), 0);
	assert_int_equal(l->nsteps, 2);
	assert_string_equal(l->steps[0].source, "v = 12");
	assert_string_equal(l->steps[0].narration, "Shared.\n\nBefore twelve.");
	assert_true(l->steps[0].predict);
	assert_string_equal(l->program, "v = 12\nend = True\n");
	assert_int_equal(l->steps[1].code_line, 2);
	assert_int_equal(l->shown[0].before_step, 1);
	lesson_free(l);
}

static void versions_select_313_and_later(void **state)
{
	const char *v[] = { "3.13.0", "3.14.0a1", "4.0" };
	size_t i;

	for (i = 0; i < 3; i++) {
		lesson *l = parse(variants);
		assert_int_equal(lesson_select_python(l, v[i]), 0);
		assert_int_equal(l->nsteps, 2);
		assert_string_equal(l->steps[0].expected, "13\n");
		assert_string_equal(l->steps[0].narration,
		                    "Shared.\n\nBefore twelve.\n\nOnly 3.13 and later.");
		assert_true(l->steps[0].predict);
		lesson_free(l);
	}
}

/* The version to keep is an argument, not a setting of the process: the
 * same text parses for one CPython and another in turn. */
static void versions_selected_on_parse(void **state)
{
	static const char only_new[] = "<!-- yieldscope: python 3.12+ -->\n```python\nx\n```\n";
	lesson_error err;
	lesson *l;

	l = lesson_parse_for("mem.md", variants, strlen(variants), "3.12.0", &err);
	assert_non_null(l);
	assert_int_equal(l->nsteps, 2);
	assert_string_equal(l->steps[0].source, "v = 12");
	lesson_free(l);
	l = lesson_parse("mem.md", variants, strlen(variants), &err);
	assert_non_null(l);
	assert_true(l->nsteps > 2);
	lesson_free(l);
	assert_null(lesson_parse_for("mem.md", only_new, strlen(only_new), "3.10.4", &err));
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.message, "no steps for CPython 3.10.4"));
}

static void versions_numbers(void **state)
{
	assert_int_equal(lesson_python_number("3.12.1"), 312);
	assert_int_equal(lesson_python_number("3.9"), 309);
	assert_int_equal(lesson_python_number("3.13.0rc1"), 313);
	assert_int_equal(lesson_python_number("3"), -1);
	assert_int_equal(lesson_python_number("x.1"), -1);
	assert_int_equal(lesson_python_number(""), -1);
	assert_int_equal(lesson_python_number(NULL), -1);
}

static void versions_bad_directives(void **state)
{
	static const char *const bad[] = {
		"python", "python 3", "python 3.x", "python 3.12 3.13",
		"python 3.13-3.12", "python 3.12-", "python 3.12++", "python +",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *text = ys_asprintf("# T\n\n<!-- yieldscope: %s -->\n\n"
		                         "```python\nx = 1\n```\n", bad[i]);
		assert_parse_error(text, 3, "bad python directive");
		ys_free(text);
	}
	assert_parse_error("<!-- yieldscope: python 3.11 -->\n"
	                   "<!-- yieldscope: python 3.12 -->\n```python\nx\n```\n",
	                   2, "two python directives");
	assert_parse_error("```python\nx\n```\n\n<!-- yieldscope: python 3.11 -->\n",
	                   5, "'python' directive with no step after it");
}


/* ---- Exercises --------------------------------------------------------- */

static void exercise_parsed(void **state)
{
	lesson *l = load("exercise.md");
	const lesson_exercise *x;

	(void)state;
	/* The exercise's blocks are not steps: the lesson keeps its two. */
	assert_int_equal(l->nsteps, 2);
	assert_int_equal(l->nexercises, 1);
	x = &l->exercises[0];
	assert_string_equal(x->name, "running_max");
	assert_int_equal(x->line, 10);
	assert_int_equal(x->before_step, 1);
	assert_non_null(strstr(x->task, "Write `running_max()`"));
	assert_int_equal(x->nhints, 2);
	assert_string_equal(x->hints[0], "Keep the largest value in a local variable.");
	assert_string_equal(x->hints[1], "Start with `biggest = None` and yield it.");
	assert_string_equal(x->start, "def running_max():\n    while True:\n        yield None");
	assert_int_equal(x->start_line, 18);
	assert_non_null(strstr(x->solution, "biggest = x"));
	assert_int_equal(x->nchecks, 5);
	assert_string_equal(x->checks[2].source, "m.send(3)");
	assert_string_equal(x->checks[2].expected, "3\n");
	assert_int_equal(x->checks[2].drive.kind, DRIVE_SEND);
	assert_int_equal(x->checks[2].expected_line, 27);
	/* The prose before the directive is the next step's, not the task's;
	 * the prose of the exercise is not. */
	assert_string_equal(l->steps[1].narration, "Prose for the step.");
	assert_null(strstr(l->program, "running_max"));
	lesson_free(l);
}

static void wrong_answers_parsed(void **state)
{
	lesson *l = load("wrong.md");

	(void)state;
	assert_int_equal(l->nsteps, 3);
	assert_true(l->steps[1].predict);
	assert_int_equal(l->steps[1].nwrong, 2);
	assert_string_equal(l->steps[1].wrong[0].answer, "starting at 3");
	assert_string_equal(l->steps[1].wrong[0].hint, "The body does not run at call time:\n"
	                    "calling countdown only builds the generator.");
	assert_string_equal(l->steps[1].wrong[1].answer, "<generator ...>");
	/* The next prediction has none of its own. */
	assert_true(l->steps[2].predict);
	assert_int_equal(l->steps[2].nwrong, 0);
	lesson_free(l);
	assert_parse_error("<!-- yieldscope: wrong 3 => no -->\n```python\nx\n```\n", 1,
	                   "'wrong' directive without a predict directive before it");
	assert_parse_error("<!-- yieldscope: predict -->\n<!-- yieldscope: wrong 3 -->\n"
	                   "```python\nx\n```\n", 2, "bad wrong directive");
	assert_parse_error("<!-- yieldscope: predict -->\n<!-- yieldscope: wrong => h -->\n"
	                   "```python\nx\n```\n", 2, "bad wrong directive");
}

static void exercise_errors(void **state)
{


	(void)state;
	assert_parse_error("<!-- yieldscope: exercise -->\n", 1, "bad exercise directive");
	assert_parse_error("<!-- yieldscope: exercise a b -->\n", 1, "bad exercise directive");
	assert_parse_error("<!-- yieldscope: hint h -->\n", 1, "'hint' directive outside an exercise");
	assert_parse_error("```python\nx\n```\n<!-- yieldscope: exercise e -->\nDo.\n"
	                   "```python\nx\n```\n", 4, "exercise 'e' is not finished");
	assert_parse_error("```python\nx\n```\n<!-- yieldscope: exercise e -->\nDo.\n"
	                   "```pycon\n>>> x\n```\n", 6, "exercise 'e': expected its starting code");
	assert_parse_error("```python\nx\n```\n<!-- yieldscope: exercise e -->\n"
	                   "```python\nx\n```\n```pycon\n>>> x\n```\n```python\nx\n```\n",
	                   4, "exercise 'e' has no task");
	assert_parse_error("```python\nx\n```\n<!-- yieldscope: exercise e -->\nDo.\n"
	                   "<!-- yieldscope: exercise f -->\n", 6, "exercise inside an exercise");

}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_title_sections_and_narration),
		cmocka_unit_test(eye_directives),
		cmocka_unit_test(eye_directives_bad),
		cmocka_unit_test(good_code_steps_and_program),
		cmocka_unit_test(good_statements_and_expected),
		cmocka_unit_test(good_predict_directives),
		cmocka_unit_test(good_shown_blocks),
		cmocka_unit_test(good_drives),
		cmocka_unit_test(title_falls_back_to_file_name),
		cmocka_unit_test(documented_example),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(unterminated_fence),
		cmocka_unit_test(closed_fences_in_containers_are_fine),
		cmocka_unit_test(indented_code_that_looks_like_a_fence),
		cmocka_unit_test(prompt_in_python_block),
		cmocka_unit_test(prompt_in_prose),
		cmocka_unit_test(prompt_mid_line_and_quotes_are_prose),
		cmocka_unit_test(text_before_first_prompt),
		cmocka_unit_test(unknown_directive),
		cmocka_unit_test(other_comments_are_ignored),
		cmocka_unit_test(unterminated_comment),
		cmocka_unit_test(predict_without_step),
		cmocka_unit_test(predict_kinds),
		cmocka_unit_test(no_steps),
		cmocka_unit_test(invalid_utf8),
		cmocka_unit_test(nul_byte),
		cmocka_unit_test(crlf_line_endings),
		cmocka_unit_test(lone_cr_line_endings),
		cmocka_unit_test(no_final_newline),
		cmocka_unit_test(byte_order_mark),
		cmocka_unit_test(one_megabyte_line),
		cmocka_unit_test(hundred_thousand_steps),
		cmocka_unit_test(pycon_details),
		cmocka_unit_test(python_info_string_first_word),
		cmocka_unit_test(drives_recognised),
		cmocka_unit_test(drives_rejected),
		cmocka_unit_test(drive_nesting_is_bounded),
		cmocka_unit_test(python_file_is_one_code_step),
		cmocka_unit_test(python_file_checks_bytes),
		cmocka_unit_test(python_file_may_be_empty),
		cmocka_unit_test(load_recognises_python_files),
		cmocka_unit_test(statements_added_after_the_steps),
		cmocka_unit_test(versions_unselected_keep_every_variant),
		cmocka_unit_test(versions_select_311),
		cmocka_unit_test(versions_select_312),
		cmocka_unit_test(versions_select_313_and_later),
		cmocka_unit_test(versions_selected_on_parse),
		cmocka_unit_test(versions_numbers),
		cmocka_unit_test(versions_bad_directives),
		cmocka_unit_test(exercise_parsed),
		cmocka_unit_test(exercise_errors),
		cmocka_unit_test(wrong_answers_parsed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
