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
 * compares them.
 *
 * Usage: bench-loop N CALLBACKS run
 * One statement, asyncio.run() of the same N tasks until CALLBACKS task
 * steps have run, with callback pauses (a program played freely) and
 * without: "N pauses ms_per_callback_paused ms_per_callback_not", the
 * best of three of each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "engine.h"

/* CPU milliseconds of one asyncio.run() statement, with callback pauses
 * on or off; *pauses the callbacks it recorded. */
static double run_once(engine *e, bool paused, size_t *pauses)
{
	snap_step st = {0};
	double t0, t;

	engine_set_loop_pauses(e, paused);
	engine_run_statement(e, "left = CALLBACKS", &st);
	snap_step_clear(&st);
	t0 = cpu_ms();
	engine_run_statement(e, "asyncio.run(main())", &st);
	t = cpu_ms() - t0;
	if (st.exception)
		fprintf(stderr, "bench-loop: %s\n", st.exception);
	*pauses = st.npauses;
	snap_step_clear(&st);
	return t;
}

/* bench-loop N CALLBACKS run: see the head of the file. */
static int run_statement(long n, long callbacks)
{
	char setup[512];
	double on = 0, off = 0;
	size_t pauses = 0, none = 0;
	engine *e;
	int k;

	snprintf(setup, sizeof setup,
	         "import asyncio\n"
	         "CALLBACKS = %ld\n"
	         "async def spin():\n"
	         "    global left\n"
	         "    while left > 0:\n"
	         "        left -= 1\n"
	         "        await asyncio.sleep(0)\n"
	         "async def main():\n"
	         "    await asyncio.gather(*(spin() for _ in range(%ld)))\n", callbacks, n);
	e = bench_engine("bench-loop", setup);
	if (!e)
		return 1;
	for (k = 0; k < 3; k++) {
		double a = run_once(e, true, &pauses), b = run_once(e, false, &none);

		on = k == 0 || a < on ? a : on;
		off = k == 0 || b < off ? b : off;
	}
	engine_free(e);
	if (pauses == 0 || none != 0) {
		fprintf(stderr, "bench-loop: %zu pauses paused, %zu not\n", pauses, none);
		return 1;
	}
	printf("%ld %zu %.4f %.4f\n", n, pauses, on / (double)pauses, off / (double)pauses);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10, steps = argc > 2 ? atol(argv[2]) : 50, i;
	char setup[512];
	double *t;
	snap_step st = {0};
	engine *e;

	if (argc > 3 && strcmp(argv[3], "run") == 0)
		return run_statement(n, steps);
	t = calloc((size_t)steps, sizeof *t);

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
