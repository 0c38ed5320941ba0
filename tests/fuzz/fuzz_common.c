/* fuzz_common.c: helpers shared by the fuzz targets. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

void ys_fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
	abort();
}

void ys_fuzz_repeat(strbuf *sb, const char *s, size_t times)
{
	size_t n = strlen(s);

	while (times-- > 0)
		sb_appendn(sb, s, n);
}

static strbuf scratch;

strbuf *ys_fuzz_seed_add(ys_fuzz_seed *v, size_t *n, size_t max,
                         const char *name)
{
	if (*n >= max) {
		sb_free(&scratch);
		return &scratch;
	}
	memset(&v[*n], 0, sizeof v[*n]);
	v[*n].name = name;
	return &v[(*n)++].text;
}

void ys_fuzz_seeds_done(void)
{
	sb_free(&scratch);
}
