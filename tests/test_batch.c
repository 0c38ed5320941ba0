/* test_batch.c: --play and --check without the command line: a lesson's
 * handout and JSON Lines, --do statements, a transcript that cannot be
 * written, and --check's verdicts and diffs. One engine for all (one
 * Python per process). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"

static engine *E;
static char chain[1024];

typedef struct {
	char *out, *err;
	size_t nout, nerr;
	FILE *fout, *ferr;
} streams;

static void open_streams(streams *s)
{
	memset(s, 0, sizeof *s);
	s->fout = open_memstream(&s->out, &s->nout);
	s->ferr = open_memstream(&s->err, &s->nerr);
	assert_non_null(s->fout);
	assert_non_null(s->ferr);
}

static void close_streams(streams *s)
{
	fclose(s->fout);
	fclose(s->ferr);
}

static void free_streams(streams *s)
{
	free(s->out);
	free(s->err);
}

static int group_setup(void **state)
{
	char err[256];
	const char *dir = getenv("srcdir");

	(void)state;
	snprintf(chain, sizeof chain, "%s/tests/lessons/chain.md", dir ? dir : ".");
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8"))
		return -1;
	E = engine_new(NULL, err, sizeof err);
	return E ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	engine_free(E);
	return 0;
}

/* The handout: the title, a rule per step with its result, the state of
 * the generators, and the lesson's closing. */
static void test_play_text(void **state)
{
	streams s;

	(void)state;
	open_streams(&s);
	assert_int_equal(batch_play(E, chain, false, NULL, 0, s.fout, s.ferr), 0);
	close_streams(&s);
	assert_true(strncmp(s.out, "Three levels\n════", 17) == 0);
	assert_non_null(strstr(s.out, "Step 3/5"));
	assert_non_null(strstr(s.out, "'mid has 40'"));
	assert_null(strstr(s.out, "Step 6"));
	assert_string_equal(s.err, "");
	free_streams(&s);
}

/* --json: one object a line, one line a step; --do adds steps. */
static void test_play_json_with_do(void **state)
{
	char *dos[] = { "list(range(3))" };
	streams s;
	size_t lines = 0;
	const char *p;

	(void)state;
	open_streams(&s);
	assert_int_equal(batch_play(E, chain, true, dos, 1, s.fout, s.ferr), 0);
	close_streams(&s);
	for (p = s.out; *p; p++)
		if (*p == '\n')
			lines++;
	assert_int_equal(lines, 6);
	assert_int_equal(s.out[0], '{');
	assert_non_null(strstr(s.out, "[0, 1, 2]"));
	free_streams(&s);
}

/* A transcript that cannot be written is not a whole one: status 2. */
static void test_play_cut_short(void **state)
{
	streams s;
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (!full)
		skip();
	open_streams(&s);
	setvbuf(full, NULL, _IONBF, 0);
	assert_int_equal(batch_play(E, chain, false, NULL, 0, full, s.ferr), 2);
	fclose(full);
	close_streams(&s);
	assert_non_null(strstr(s.err, "cut short: it cannot be written"));
	free_streams(&s);
}

static void test_play_missing_lesson(void **state)
{
	streams s;

	(void)state;
	open_streams(&s);
	assert_int_equal(batch_play(E, "no/such/lesson.md", false, NULL, 0, s.fout, s.ferr), 2);
	close_streams(&s);
	assert_string_equal(s.out, "");
	assert_true(strncmp(s.err, "no/such/lesson.md", 17) == 0);
	free_streams(&s);
}

/* --check: a lesson that keeps its promises passes; one whose expected
 * output is wrong fails with a diff pointing at its line. */
static void test_check(void **state)
{
	static const char bad[] =
		"# Wrong\n\nA step.\n\n```pycon\n>>> 1 + 1\n3\n```\n";
	char path[] = "/tmp/ys-batch-XXXXXX.md";
	char *paths[2];
	streams s;
	int fd;

	(void)state;
	fd = mkstemps(path, 3);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bad, sizeof bad - 1), (ssize_t)(sizeof bad - 1));
	close(fd);
	paths[0] = chain;
	paths[1] = path;
	open_streams(&s);
	assert_int_equal(batch_check(E, paths, 1, s.fout, s.ferr), 0);
	close_streams(&s);
	assert_string_equal(s.out, "4 passed, 0 failed\n");
	free_streams(&s);
	open_streams(&s);
	assert_int_equal(batch_check(E, paths, 2, s.fout, s.ferr), 1);
	close_streams(&s);
	assert_non_null(strstr(s.out, path));
	assert_non_null(strstr(s.out, ":7"));
	assert_non_null(strstr(s.out, "4 passed, 1 failed\n"));
	free_streams(&s);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_play_text),
		cmocka_unit_test(test_play_json_with_do),
		cmocka_unit_test(test_play_cut_short),
		cmocka_unit_test(test_play_missing_lesson),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
