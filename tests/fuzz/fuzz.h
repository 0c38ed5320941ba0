/* fuzz.h: what a fuzz target gives its drivers.
 *
 * A target defines LLVMFuzzerTestOneInput, as libFuzzer expects, and the
 * pathological inputs its corpus must always hold (ys_fuzz_seeds). The
 * same source links into a libFuzzer binary (configure --enable-fuzzing,
 * clang) and into a plain replay driver (replay.c) that make check runs.
 */
#ifndef YS_FUZZ_H
#define YS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One generated input: a name for its seed file, and its bytes. */
typedef struct {
	const char *name;
	strbuf text;
} ys_fuzz_seed;

/* Fill v with up to max generated inputs; returns how many. The caller
 * frees each text with sb_free. Generated rather than stored because some
 * are a megabyte. */
size_t ys_fuzz_seeds(ys_fuzz_seed *v, size_t max);

/* Abort with a message when a target's invariant does not hold: libFuzzer
 * and the replay driver both treat an abort as a crash. */
#define YS_FUZZ_ASSERT(cond) \
	((cond) ? (void)0 : ys_fuzz_fail(__FILE__, __LINE__, #cond))
void ys_fuzz_fail(const char *file, int line, const char *what)
	__attribute__((noreturn));

/* The next seed of v (n of max used), named name: its empty text. Past
 * max, a scratch buffer that ys_fuzz_seeds_done frees. */
strbuf *ys_fuzz_seed_add(ys_fuzz_seed *v, size_t *n, size_t max,
                         const char *name);
void ys_fuzz_seeds_done(void);

/* sb_append s, times times. */
void ys_fuzz_repeat(strbuf *sb, const char *s, size_t times);

#endif
