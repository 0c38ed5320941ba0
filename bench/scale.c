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
	char setup[512], target[64], err[256];
	double *t = calloc((size_t)steps, sizeof *t);
	engine_options o;
	snap_step st = {0};
	engine *e;

	engine_options_default(&o);
	o.step_timeout = 60;
	e = engine_new(&o, err, sizeof err);
	if (!e || !t) {
		fprintf(stderr, "bench-scale: %s\n", e ? "out of memory" : err);
		return 1;
	}
	snprintf(setup, sizeof setup,
	         "def task(n):\n"
	         "    while True:\n"
	         "        n = yield n\n"
	         "tasks = [task(i) for i in range(%ld)]\n"
	         "for t in tasks:\n"
	         "    next(t)\n", n);
	engine_set_program(e, "<bench>", setup);
	engine_run_code(e, setup, 1, &st);
	if (st.exception) {
		fprintf(stderr, "bench-scale: setup raised %s\n", st.exception);
		return 1;
	}
	snap_step_clear(&st);
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
