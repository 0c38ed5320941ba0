/* bench.h: what the C benchmarks share: a clock and a sort of timings. */
#ifndef YS_BENCH_H
#define YS_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

/* Milliseconds on a clock that only goes forward. */
static inline double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static inline int cmp_ms(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Milliseconds of CPU this process has used: steadier than the wall clock
 * on a machine busy with other work. */
static inline double cpu_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Sort n timings; the median is then t[n / 2], the worst t[n - 1]. */
static inline void sort_ms(double *t, size_t n)
{
	qsort(t, n, sizeof *t, cmp_ms);
}

/* Peak resident memory of this process image in KiB (VmHWM): unlike
 * getrusage's ru_maxrss it does not start from the parent's size. */
static inline long peak_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = atol(line + 6);
	fclose(f);
	return kb;
}

/* An engine (steps may run 60 s) that has run the code setup, or NULL
 * after saying why on stderr, as the program who. */
static inline engine *bench_engine(const char *who, const char *setup)
{
	engine_options o;
	snap_step st = {0};
	char err[256];
	engine *e;

	engine_options_default(&o);
	o.step_timeout = 60;
	e = engine_new(&o, err, sizeof err);
	if (!e) {
		fprintf(stderr, "%s: %s\n", who, err);
		return NULL;
	}
	engine_set_program(e, "<bench>", setup);
	engine_run_code(e, setup, 1, &st);
	if (st.exception) {
		fprintf(stderr, "%s: setup raised %s\n", who, st.exception);
		snap_step_clear(&st);
		engine_free(e);
		return NULL;
	}
	snap_step_clear(&st);
	return e;
}

#endif
