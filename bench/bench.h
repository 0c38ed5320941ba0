/* bench.h: what the C benchmarks share: a clock and a sort of timings. */
#ifndef YS_BENCH_H
#define YS_BENCH_H

#include <stdlib.h>
#include <time.h>

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

/* Sort n timings; the median is then t[n / 2], the worst t[n - 1]. */
static inline void sort_ms(double *t, size_t n)
{
	qsort(t, n, sizeof *t, cmp_ms);
}

#endif
