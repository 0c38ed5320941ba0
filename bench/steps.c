/* bench/steps.c: the time each step of each lesson takes in the engine,
 * which is what a key press waits for before the screen is redrawn.
 *
 * Usage: bench-steps LESSON.md...
 * Prints one line per lesson: "path steps median_ms worst_ms". With
 * BENCH_SLOW set, each step over 2 ms is named on stderr. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "session.h"

int main(int argc, char **argv)
{
	char err[256];
	engine *e = engine_new(NULL, err, sizeof err);
	int i;

	if (!e) {
		fprintf(stderr, "bench-steps: %s\n", err);
		return 1;
	}
	for (i = 1; i < argc; i++) {
		lesson_error lerr;
		lesson *l = lesson_load(argv[i], &lerr);
		session *s;
		double *t;
		size_t n = 0;

		if (!l) {
			fprintf(stderr, "%s:%d: %s\n", lerr.path, lerr.line, lerr.message);
			return 1;
		}
		t = calloc(l->nsteps + 1, sizeof *t);
		s = session_new(l, e);
		if (!s || !t)
			return 1;
		while (session_next_step(s)) {
			double t0 = now_ms();

			if (session_step(s) != ENGINE_OK)
				return 1;
			t[n++] = now_ms() - t0;
			if (getenv("BENCH_SLOW") && t[n - 1] > 2)
				fprintf(stderr, "%.1f ms: %s\n", t[n - 1], session_entry_at(s, session_count(s) - 1)->source);
		}
		sort_ms(t, n);
		printf("%s %zu %.3f %.3f\n", argv[i], n, t[n / 2], t[n - 1]);
		session_free(s);
		free(t);
	}
	engine_free(e);
	return 0;
}
