/* stdio_own.h: the program's own standard streams, apart from descriptors
 * 0, 1 and 2.
 *
 * Lesson code shares the process: its threads and finalizers may write to
 * descriptors 1 and 2 at any moment, also between two engine calls, when
 * the program is drawing. So the program does not use those descriptors
 * for itself: stdin, stdout and stderr are moved to descriptors of their
 * own (high, close-on-exec), and 0, 1 and 2 are left to the lesson (the
 * engine points them at its capture file). See engine_fds.c.
 */
#ifndef YS_STDIO_OWN_H
#define YS_STDIO_OWN_H

#include <stdbool.h>

/* The lowest descriptor to keep the program's own at: 1024, past where
 * lesson code that closes "every" descriptor stops, when the limit on
 * open files allows it (raising the soft limit if it must); else 3. */
int stdio_own_floor(void);

/* Moves stdin, stdout and stderr onto descriptors of their own, once per
 * process (later calls only say whether it was done). Pending output is
 * flushed first; stdout keeps its buffering rule (lines on a terminal),
 * stderr stays unbuffered. Returns false when the descriptors could not be
 * made: the streams then stay on 0, 1 and 2. */
bool stdio_own(void);

/* While lesson code may run (on), stdin, stdout and stderr are the
 * process's original streams on 0, 1 and 2, so C code the lesson calls
 * (a printf through ctypes, Python's own last-resort messages) writes where
 * the lesson's os.write goes; off gives the program's own back. Each
 * switch flushes the streams it leaves. Nothing when stdio_own failed. */
void stdio_own_lesson(bool on);

/* The descriptor of the program's own stdin (0), stdout (1) or stderr
 * (2), or -1 when it was not moved (stdin: descriptor 0 was closed). */
int stdio_own_fd(int which);

/* Puts the program's own streams back onto 0, 1 and 2 in the calling
 * process: for a child that runs the learner's editor. */
void stdio_own_give_child(void);

#endif
