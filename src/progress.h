/* progress.h: what a learner has done in each lesson, remembered between
 * runs.
 *
 * One small JSON file per lesson under $XDG_STATE_HOME/yieldscope
 * (default ~/.local/state/yieldscope), named after a hash of the lesson's
 * absolute path, so a damaged file costs that lesson's progress only.
 * Every write is atomic: a temporary file in the same folder, fsync,
 * rename, so a crash or a full disk leaves the old file or the new one,
 * never half of one. A file that cannot be read or parsed is reported
 * once (progress_warning) and treated as no progress. This module never
 * calls Python or curses.
 */
#ifndef YS_PROGRESS_H
#define YS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* ---- Records ------------------------------------------------------------ */

/* Room for the names of a lesson's solved exercises (64 characters at
 * most each). */
#define PROGRESS_SOLVED_MAX 1024

typedef struct {
	size_t furthest;        /* scripted steps done, at most, in any run */
	size_t nsteps;          /* steps the lesson had then */
	unsigned right, wrong;  /* predictions scored */
	char solved[PROGRESS_SOLVED_MAX];       /* names of the exercises
	                           solved, each followed by one space */
} progress_rec;

/* Whether exercise name is among rec's solved ones. */
bool progress_solved(const progress_rec *rec, const char *name);
/* Add name to rec's solved exercises (nothing when it is there or does not
 * fit). Returns true when rec changed. */
bool progress_mark_solved(progress_rec *rec, const char *name);

typedef struct progress progress;

/* ---- The store ------------------------------------------------------------ */

/* The folder progress lives in: dir when not NULL, else
 * $XDG_STATE_HOME/yieldscope (when absolute), else
 * $HOME/.local/state/yieldscope. Nothing is created until the first save.
 * When there is no folder to use (no HOME), the store remembers nothing
 * and its first warning says why. Returns NULL only when out of memory. */
progress *progress_open(const char *dir);
void progress_free(progress *p);

/* The folder in use (owned by p), NULL when there is none. */
const char *progress_dir(const progress *p);

/* The key of a lesson: its absolute path (realpath), or path itself when
 * it cannot be resolved. Newly allocated; NULL when out of memory. */
char *progress_key(const char *path);

/* The file that holds key's record. Newly allocated; NULL when the store
 * has no folder or out of memory. */
char *progress_path(const progress *p, const char *key);

/* Read the record for key into *out. Returns 1 when there is one, 0 when
 * there is none (also when the file is unreadable or corrupt: then a
 * warning is queued, once per file and run), -1 when out of memory.
 * *out is zeroed unless 1 is returned. */
int progress_get(progress *p, const char *key, progress_rec *out);

/* Write the record for key atomically (title is stored for people who
 * read the file; may be NULL). Returns 0, or -1 with errno set and a
 * warning queued (once per run) when it could not be saved; the old file,
 * if any, is then untouched. */
int progress_put(progress *p, const char *key, const char *title,
                 const progress_rec *rec);

/* The next warning not shown yet ("progress file ... is corrupt:
 * ignored"), or NULL. p may be NULL (the store could not open). The
 * string stays valid until the next call or progress_free. */
const char *progress_warning(progress *p);

/* Delete every progress file in the default folder (what --reset-progress
 * does). Returns 0 (also when there was nothing), or -1 with errno set. */
int progress_reset(void);

/* The same for the folder of p. */
int progress_clear(progress *p);

#endif
