/* compare.h: expected output against actual output, under doctest's rules,
 * and the unified diff --check prints when they differ. */
#ifndef YS_COMPARE_H
#define YS_COMPARE_H

#include <stdbool.h>

/* The text a step showed, as doctest sees it: output (may be NULL), then,
 * when the step raised, the line "Type: message". Newly allocated. */
char *compare_actual(const char *output, const char *exception);

/* Does actual match expected under doctest's rules? ELLIPSIS ("..."
 * matches any text, across lines), <BLANKLINE> for an empty line,
 * trailing whitespace of every line ignored, a missing final newline
 * added on both sides, an expected 1 (0) met by a whole output of True
 * (False). When expected holds a "Traceback (most recent call last):"
 * header, it and the stack after it (every line up to the first that
 * starts with a letter, digit or underscore, as doctest reads it) are
 * dropped before comparing, so the header and stack may be given or left
 * out.
 * Returns 1 when it matches, 0 when it does not, -1 when out of memory
 * (never to be taken for either answer). */
int compare_match(const char *expected, const char *actual);

/* A unified diff from expected to actual, headed
 *   --- path:line (expected)
 *   +++ path:line (got)
 * Newly allocated; NULL when out of memory. */
char *compare_diff(const char *path, int line, const char *expected,
                   const char *actual);

#endif
