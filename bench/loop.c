/* bench/loop.c: the engine stepping an asyncio loop of N tasks, one
 * callback a step (issue 16: a loop of 10,000 tasks steps at the cost of
 * one of 10).
 *
 * Usage: bench-loop N STEPS
 * Each of the N tasks loops on `await asyncio.sleep(0)`, so the ready
 * queue always holds N callbacks and every loop.run_one() resumes one
 * task. Prints one line: "N steps median_ms worst_ms", in CPU time (the
 * steadier clock on a shared machine). The same program
 * under plain asyncio.run() is measured by bench/loop.py; bench/run
 * compares them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "engine.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10, steps = argc > 2 ? atol(argv[2]) : 50, i;
	char setup[512];
	double *t = calloc((size_t)steps, sizeof *t);
	snap_step st = {0};
	engine *e;

	snprintf(setup, sizeof setup,
	         "import asyncio\n"
	         "async def spin():\n"
	         "    while True:\n"
	         "        await asyncio.sleep(0)\n"
	         "loop = asyncio.new_event_loop()\n"
	         "for _ in range(%ld):\n"
	         "    loop.create_task(spin())\n", n);
	e = bench_engine("bench-loop", setup);
	if (!e || !t) {
		if (!t)
			fprintf(stderr, "bench-loop: out of memory\n");
		return 1;
	}
	for (i = 0; i < steps; i++) {
		lesson_drive d = { DRIVE_RUN_ONE, "loop", NULL, NULL };
		double t0 = cpu_ms();

		engine_drive(e, &d, &st);
		t[i] = cpu_ms() - t0;
		if (st.exception || st.total_tasks != (size_t)n ||
		    st.total_ready != (size_t)n) {
			fprintf(stderr, "bench-loop: step %ld: %s, %zu tasks, %zu ready\n", i,
			        st.exception ? st.exception : "no exception", st.total_tasks,
			        st.total_ready);
			return 1;
		}
		snap_step_clear(&st);
	}
	sort_ms(t, (size_t)steps);
	printf("%ld %ld %.3f %.3f\n", n, steps, t[steps / 2], t[steps - 1]);
	engine_free(e);
	free(t);
	return 0;
}
