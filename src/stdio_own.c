/* stdio_own.c: the program's own standard streams (see stdio_own.h).
 *
 * The GNU C library lets a program assign stdin, stdout and stderr like
 * any other variable (glibc manual, "Standard Streams"), which is what
 * lets every printf and fprintf(stderr) of the program, and ncurses given
 * stdout, write through descriptors lesson code does not know about.
 */
#include "stdio_own.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* The streams on 0, 1 and 2 the process started with, and the program's. */
static FILE *orig[3], *own[3];
static bool tried, moved;

int stdio_own_floor(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 3;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 1024 + 64 &&
	    (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 1024 + 64)) {
		rl.rlim_cur = 1024 + 64;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			return 3;
	}
	return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 1024 + 64 ? 1024 : 3;
}

/* A stream of our own on a copy of descriptor fd, or NULL. */
static FILE *own_stream(int fd, int floor, const char *mode)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, floor);
	FILE *f;

	if (high < 0)
		return NULL;
	f = fdopen(high, mode);
	if (!f)
		close(high);
	return f;
}

bool stdio_own(void)
{
	int floor, i;

	if (tried)
		return moved;
	tried = true;
	fflush(stdout);
	fflush(stderr);
	floor = stdio_own_floor();
	orig[0] = stdin;
	orig[1] = stdout;
	orig[2] = stderr;
	own[0] = own_stream(0, floor, "r");
	own[1] = own_stream(1, floor, "w");
	own[2] = own_stream(2, floor, "w");
	if (!own[1] || !own[2]) {
		for (i = 0; i < 3; i++) {
			if (own[i])
				fclose(own[i]);
			own[i] = NULL;
		}
		return false;
	}
	/* A closed descriptor 0: there is no input to keep apart. */
	if (!own[0])
		own[0] = orig[0];
	setvbuf(own[2], NULL, _IONBF, 0);
	moved = true;
	stdio_own_lesson(false);
	return true;
}

void stdio_own_lesson(bool on)
{
	FILE **from = on ? own : orig, **to = on ? orig : own;

	if (!moved)
		return;
	fflush(from[1]);
	fflush(from[2]);
	stdin = to[0];
	stdout = to[1];
	stderr = to[2];
}

int stdio_own_fd(int which)
{
	return moved && own[which] != orig[which] ? fileno(own[which]) : -1;
}

void stdio_own_give_child(void)
{
	int i;

	if (!moved)
		return;
	for (i = 0; i < 3; i++)
		if (own[i] != orig[i])
			dup2(fileno(own[i]), i);
}
