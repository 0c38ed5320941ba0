/* bench/scale.c: the engine with N live generators driven round-robin.
 *
 * Usage: bench-scale N STEPS
 * Prints one line: "N steps median_ms worst_ms peak_kb". The same work in
 * plain python3 is measured by bench/scale.py; bench/run compares them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "engine.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000, steps = argc > 2 ? atol(argv[2]) : 50, i;
	char setup[512], target[64];
	double *t = calloc((size_t)steps, sizeof *t);
	snap_step st = {0};
	engine *e;

	snprintf(setup, sizeof setup,
	         "def task(n):\n"
	         "    while True:\n"
	         "        n = yield n\n"
	         "tasks = [task(i) for i in range(%ld)]\n"
	         "for t in tasks:\n"
	         "    next(t)\n", n);
	e = bench_engine("bench-scale", setup);
	if (!e || !t) {
		if (!t)
			fprintf(stderr, "bench-scale: out of memory\n");
		return 1;
	}
	for (i = 0; i < steps; i++) {
		lesson_drive d = { DRIVE_SEND, target, "1", NULL };
		double t0;

		snprintf(target, sizeof target, "tasks[%ld]", (i * 7919) % n);
		t0 = now_ms();
		engine_drive(e, &d, &st);
		t[i] = now_ms() - t0;
		if (st.exception || st.total_gens != (size_t)n) {
			fprintf(stderr, "bench-scale: step %ld: %s, %zu generators\n", i,
			        st.exception ? st.exception : "no exception", st.total_gens);
			return 1;
		}
		snap_step_clear(&st);
	}
	sort_ms(t, (size_t)steps);
	printf("%ld %ld %.3f %.3f %ld\n", n, steps, t[steps / 2], t[steps - 1], peak_kb());
	engine_free(e);
	free(t);
	return 0;
}
