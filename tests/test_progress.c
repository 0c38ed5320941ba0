/* test_progress.c: progress files: round trip, atomic writes that fail
 * half way (a file size limit stands in for a full disk), corrupt and
 * unreadable files, the default folder, and --reset-progress. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

static char root[256];          /* a fresh folder per test */

static void rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "/tmp/ys-progress-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_rf(root);
	return 0;
}

static char *sub(const char *name)
{
	static char buf[512];

	snprintf(buf, sizeof buf, "%s/%s", root, name);
	return buf;
}

/* Files in dir, counted. */
static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_round_trip(void **state)
{
	progress *p = progress_open(sub("state/yieldscope"));
	progress_rec r = { 5, 14, 3, 1 }, got;

	(void)state;
	assert_non_null(p);
	assert_null(progress_warning(p));
	/* Nothing yet, and nothing created by looking. */
	assert_int_equal(progress_get(p, "/l/one.md", &got), 0);
	assert_int_equal(got.furthest, 0);
	assert_int_equal(count_files(sub("state")), 0);

	assert_int_equal(progress_put(p, "/l/one.md", "One", &r), 0);
	assert_int_equal(progress_get(p, "/l/one.md", &got), 1);
	assert_int_equal(got.furthest, 5);
	assert_int_equal(got.nsteps, 14);
	assert_int_equal(got.right, 3);
	assert_int_equal(got.wrong, 1);
	/* Another lesson has its own file. */
	r.furthest = 2;
	assert_int_equal(progress_put(p, "/l/two.md", NULL, &r), 0);
	assert_int_equal(count_files(sub("state/yieldscope")), 2);
	assert_int_equal(progress_get(p, "/l/one.md", &got), 1);
	assert_int_equal(got.furthest, 5);
	/* A rewrite replaces, leaving no temporary behind. */
	r.furthest = 6;
	assert_int_equal(progress_put(p, "/l/one.md", "One", &r), 0);
	assert_int_equal(progress_get(p, "/l/one.md", &got), 1);
	assert_int_equal(got.furthest, 6);
	assert_int_equal(count_files(sub("state/yieldscope")), 2);
	assert_null(progress_warning(p));
	progress_free(p);
}

/* A write that fails half way (the file size limit makes write() fail
 * with EFBIG, as a full disk fails with ENOSPC) leaves the old record and
 * no temporary file, and says so once. */
static void test_atomic_write(void **state)
{
	progress *p = progress_open(sub("s"));
	progress_rec r = { 3, 10, 1, 0 }, got;
	struct rlimit old, small;
	const char *w;
	int rc, err;

	(void)state;
	assert_int_equal(progress_put(p, "/l/a.md", "A lesson", &r), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	small = old;
	small.rlim_cur = 20;            /* the JSON is longer than this */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	r.furthest = 9;
	rc = progress_put(p, "/l/a.md", "A lesson", &r);
	err = errno;
	/* A second failure is not reported again. */
	assert_int_equal(progress_put(p, "/l/a.md", "A lesson", &r), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(rc, -1);
	assert_int_equal(err, EFBIG);
	assert_int_equal(progress_get(p, "/l/a.md", &got), 1);
	assert_int_equal(got.furthest, 3);
	assert_int_equal(count_files(sub("s")), 1);
	w = progress_warning(p);
	assert_non_null(w);
	assert_non_null(strstr(w, "Progress not saved"));
	assert_null(progress_warning(p));
	progress_free(p);
}

/* A corrupt file costs its own lesson only, and is reported once. */
static void test_corrupt(void **state)
{
	progress *p = progress_open(sub("s"));
	progress_rec r = { 4, 8, 2, 2 }, got;
	char *path;
	const char *w;
	static const char *bad[] = {
		"{\"furthest\": 3, \"nsteps\"",                 /* cut short */
		"[1, 2, 3]",                                    /* not an object */
		"{\"version\":1,\"lesson\":\"/l/b.md\",\"furthest\":-2,\"nsteps\":8,\"right\":0,\"wrong\":0}",
		"{\"version\":1,\"lesson\":\"/l/b.md\",\"furthest\":\"3\",\"nsteps\":8,\"right\":0,\"wrong\":0}",
		"\x01\x02\xff garbage",
	};
	size_t i;

	(void)state;
	assert_int_equal(progress_put(p, "/l/a.md", NULL, &r), 0);
	assert_int_equal(progress_put(p, "/l/b.md", NULL, &r), 0);
	path = progress_path(p, "/l/b.md");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		progress *q = progress_open(sub("s"));
		write_text(path, bad[i]);
		assert_int_equal(progress_get(q, "/l/b.md", &got), 0);
		assert_int_equal(got.furthest, 0);
		w = progress_warning(q);
		assert_non_null(w);
		assert_non_null(strstr(w, "it is corrupt"));
		assert_null(progress_warning(q));
		/* Once per run. */
		assert_int_equal(progress_get(q, "/l/b.md", &got), 0);
		assert_null(progress_warning(q));
		/* The other lesson is untouched. */
		assert_int_equal(progress_get(q, "/l/a.md", &got), 1);
		assert_int_equal(got.furthest, 4);
		progress_free(q);
	}
	/* Saving again replaces the corrupt file with a good one. */
	r.furthest = 1;
	assert_int_equal(progress_put(p, "/l/b.md", NULL, &r), 0);
	assert_int_equal(progress_get(p, "/l/b.md", &got), 1);
	assert_int_equal(got.furthest, 1);
	/* A file that cannot be read at all (here: a folder). */
	unlink(path);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(progress_get(p, "/l/b.md", &got), 0);
	w = progress_warning(p);
	assert_non_null(w);
	assert_non_null(strstr(w, "cannot read it"));
	rmdir(path);
	free(path);
	progress_free(p);
}

static void test_default_dir_and_reset(void **state)
{
	progress *p;
	progress_rec r = { 1, 2, 0, 0 }, got;
	const char *home = getenv("HOME"), *xdg = getenv("XDG_STATE_HOME");
	char *save_home = home ? strdup(home) : NULL, *save_xdg = xdg ? strdup(xdg) : NULL;
	char want[512];

	(void)state;
	setenv("XDG_STATE_HOME", sub("xdg"), 1);
	p = progress_open(NULL);
	snprintf(want, sizeof want, "%s/xdg/yieldscope", root);
	assert_string_equal(progress_dir(p), want);
	assert_int_equal(progress_put(p, "/l/a.md", NULL, &r), 0);
	assert_int_equal(progress_put(p, "/l/b.md", NULL, &r), 0);
	write_text(sub("xdg/yieldscope/notes.txt"), "not ours\n");
	assert_int_equal(count_files(sub("xdg/yieldscope")), 3);
	assert_int_equal(progress_reset(), 0);
	assert_int_equal(count_files(sub("xdg/yieldscope")), 1);     /* notes.txt stays */
	assert_int_equal(progress_get(p, "/l/a.md", &got), 0);
	assert_null(progress_warning(p));
	progress_free(p);

	/* A relative XDG_STATE_HOME is ignored, as the spec says. */
	setenv("XDG_STATE_HOME", "relative/dir", 1);
	setenv("HOME", sub("home"), 1);
	p = progress_open(NULL);
	snprintf(want, sizeof want, "%s/home/.local/state/yieldscope", root);
	assert_string_equal(progress_dir(p), want);
	progress_free(p);

	/* Nowhere to keep it: said once, nothing saved, nothing breaks. */
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	p = progress_open(NULL);
	assert_null(progress_dir(p));
	assert_int_equal(progress_put(p, "/l/a.md", NULL, &r), -1);
	assert_int_equal(progress_get(p, "/l/a.md", &got), 0);
	assert_non_null(progress_warning(p));
	assert_null(progress_warning(p));
	assert_int_equal(progress_reset(), 0);
	progress_free(p);

	if (save_home)
		setenv("HOME", save_home, 1);
	if (save_xdg)
		setenv("XDG_STATE_HOME", save_xdg, 1);
	else
		unsetenv("XDG_STATE_HOME");
	free(save_home);
	free(save_xdg);
}

static void test_key(void **state)
{
	/* realpath writes up to PATH_MAX bytes (glibc's _FORTIFY_SOURCE checks). */
	char *k, cwd[512], want[PATH_MAX + 16];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(root), 0);
	write_text("lesson.md", "# x\n");
	k = progress_key("./lesson.md");
	assert_non_null(realpath(root, want));
	strcat(want, "/lesson.md");
	assert_string_equal(k, want);
	free(k);
	/* A path that does not resolve is its own key. */
	k = progress_key("no/such.md");
	assert_string_equal(k, "no/such.md");
	free(k);
	assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_dir_and_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
