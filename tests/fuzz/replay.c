/* replay.c: a fuzz target in a plain build, for make check.
 *
 *   replay_NAME                 the corpus, the past crashers and the
 *                               generated seeds of target NAME
 *   replay_NAME FILE|DIR...     those inputs only (a crasher to debug)
 *   replay_NAME --write-seeds DIR
 *                               write the generated seeds as files, for a
 *                               libFuzzer run (scripts/fuzz)
 *
 * Without arguments it reads $srcdir/tests/fuzz/corpus/NAME and
 * $srcdir/tests/fuzz/crashers/NAME, and for the lesson target the course
 * and the test lessons too. A crash or a failed invariant aborts, which
 * make check reports as a failure; so does a directory that is missing.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef YS_FUZZ_NAME
#error "YS_FUZZ_NAME names the target: lesson or drive"
#endif

#define MAX_SEEDS 64

static size_t replayed;

static int run_bytes(const char *what, const char *data, size_t len)
{
	/* A copy of exactly len bytes, so that ASan sees any read past it. */
	char *copy = ys_malloc(len);

	if (!copy) {
		fprintf(stderr, "replay: out of memory for %s\n", what);
		return -1;
	}
	memcpy(copy, data, len);
	LLVMFuzzerTestOneInput((const uint8_t *)copy, len);
	ys_free(copy);
	replayed++;
	return 0;
}

static int run_file(const char *path)
{
	size_t len;
	char *text = ys_read_file(path, &len);
	int rc;

	if (!text) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = run_bytes(path, text, len);
	ys_free(text);
	return rc;
}

/* A file, or every regular file of a directory (not recursive; dot files
 * such as .gitkeep are skipped). */
static int run_path(const char *path, int missing_ok)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (stat(path, &st) < 0) {
		if (missing_ok)
			return 0;
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	if (!(d = opendir(path))) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *file;

		if (de->d_name[0] == '.')
			continue;
		file = ys_asprintf("%s/%s", path, de->d_name);
		if (!file || stat(file, &st) < 0) {
			ys_free(file);
			rc = -1;
			break;
		}
		if (S_ISREG(st.st_mode))
			rc = run_file(file);
		ys_free(file);
	}
	closedir(d);
	return rc;
}

static int seeds(const char *write_dir)
{
	ys_fuzz_seed v[MAX_SEEDS];
	size_t n = ys_fuzz_seeds(v, MAX_SEEDS), i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		const char *data = v[i].text.data ? v[i].text.data : "";

		if (v[i].text.failed) {
			fprintf(stderr, "replay: out of memory for seed %s\n", v[i].name);
			rc = -1;
		} else if (write_dir) {
			char *file = ys_asprintf("%s/seed-%s", write_dir, v[i].name);
			FILE *f = file ? fopen(file, "wb") : NULL;

			if (!f || fwrite(data, 1, v[i].text.len, f) != v[i].text.len ||
			    fclose(f) != 0) {
				fprintf(stderr, "replay: %s: %s\n", file ? file : write_dir,
				        strerror(errno));
				rc = -1;
			}
			ys_free(file);
		} else if (run_bytes(v[i].name, data, v[i].text.len) < 0) {
			rc = -1;
		}
		sb_free(&v[i].text);
	}
	return rc;
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir");
	static const char *const dirs[] = {
		"tests/fuzz/corpus/" YS_FUZZ_NAME,
		"tests/fuzz/crashers/" YS_FUZZ_NAME,
#ifdef YS_FUZZ_LESSONS
		"lessons",
		"tests/lessons",
		"tests/hostile",
#endif
	};
	size_t i;
	int rc = 0, k;

	if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0)
		return seeds(argv[2]) < 0;
	if (argc > 1) {
		for (k = 1; k < argc && rc == 0; k++)
			rc = run_path(argv[k], 0);
	} else {
		if (!srcdir || !*srcdir)
			srcdir = ".";
		for (i = 0; rc == 0 && i < sizeof dirs / sizeof *dirs; i++) {
			char *dir = ys_asprintf("%s/%s", srcdir, dirs[i]);

			/* Only the corpus itself must be there. */
			rc = dir ? run_path(dir, i > 0) : -1;
			ys_free(dir);
		}
		if (rc == 0)
			rc = seeds(NULL);
	}
	printf("%s: %zu inputs replayed%s\n", YS_FUZZ_NAME, replayed,
	       rc ? ", then an error" : "");
	return rc ? 1 : 0;
}
