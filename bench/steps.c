/* bench/steps.c: the time each step of each lesson takes in the engine,
 * which is what a key press waits for before the screen is redrawn.
 *
 * Usage: bench-steps [--check] LESSON.md...
 * Prints one line per step, "path index ms", in the order they ran. With
 * BENCH_SLOW set, each step over 2 ms is named on stderr.
 *
 * With --check, runs the lessons as --check does (no snapshots; every
 * lesson loaded, played and compared) and prints the CPU seconds that
 * took between the interpreter's start and its end, both left out, as
 * bench/lessons.py measures plain python3. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "session.h"

int main(int argc, char **argv)
{
	bool check = argc > 1 && strcmp(argv[1], "--check") == 0;
	char err[256];
	engine_options o;
	engine *e;
	double start;
	int i;

	engine_options_default(&o);
	o.snapshots = !check;
	e = engine_new(&o, err, sizeof err);
	if (!e) {
		fprintf(stderr, "bench-steps: %s\n", err);
		return 1;
	}
	start = cpu_ms();
	for (i = check ? 2 : 1; i < argc; i++) {
		lesson_error lerr;
		lesson *l = lesson_load(argv[i], &lerr);
		session *s;
		size_t n;

		if (!l) {
			fprintf(stderr, "%s:%d: %s\n", lerr.path, lerr.line, lerr.message);
			return 1;
		}
		s = session_new(l, e);
		if (!s)
			return 1;
		for (n = 0; session_next_step(s); n++) {
			double t0 = now_ms(), t;

			if (session_step(s) != ENGINE_OK)
				return 1;
			t = now_ms() - t0;
			if (!check)
				printf("%s %zu %.4f\n", argv[i], n, t);
			if (getenv("BENCH_SLOW") && t > 2)
				fprintf(stderr, "%.1f ms: %s\n", t,
				        session_entry_at(s, session_count(s) - 1)->source);
		}
		session_free(s);
	}
	if (check)
		printf("%.6f\n", (cpu_ms() - start) / 1e3);
	engine_free(e);
	return 0;
}
