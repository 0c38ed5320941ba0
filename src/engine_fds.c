/* engine_fds.c: the descriptors of a process that lesson code shares.
 *
 * Lesson code can write past sys.stdout: os.write(1, ...), C code, a child
 * process, a thread of its own, a finalizer. From the first engine call on,
 * descriptors 1 and 2 point to a temporary file, read back as the step's
 * output, and descriptor 0 to /dev/null (lesson code cannot read the
 * terminal: it holds the learner's keys). They are never given back to
 * the terminal, because a lesson thread may write at any moment (one that
 * let go of the GIL just before its write, say, or a daemon thread past
 * the interpreter's end): the program
 * writes through streams of its own instead (stdio_own.h), and during a
 * call C's stdin, stdout and stderr are the lesson's. Lesson code
 * can also close or replace descriptors (os.closerange(3, 1024)): the
 * engine keeps its own above that range where the limit allows, checks
 * them after every call, and fails for good, saying why, when one is gone.
 * The working directory is swapped the same way, so that the lesson's
 * os.chdir does not move the program's relative paths.
 */
#include "engine_int.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stdio_own.h"
#include "util.h"

/* The low descriptors watched for the program's (see low_fds). */
#define LOW_FDS 128

/* The descriptors watched: the engine's own (the first OWN_KEPT, which it
 * opens and closes) and the program's streams (stdio_own.h). */
enum { OWN_CAPTURE, OWN_NULL, OWN_CWD, OWN_KEPT,
       OWN_STDIN = OWN_KEPT, OWN_STDOUT, OWN_STDERR, OWN_COUNT };

static int *own_fd(engine *e, int which)
{
	switch (which) {
	case OWN_CAPTURE: return &e->capture_fd;
	case OWN_NULL: return &e->null_fd;
	case OWN_CWD: return &e->cwd_fd;
	default: return &e->stream_fd[which - OWN_STDIN];
	}
}

void fds_close(engine *e)
{
	int i;

	for (i = 0; i < OWN_COUNT; i++) {
		int *fd = own_fd(e, i);

		if (*fd >= 0 && i < OWN_KEPT)
			close(*fd);
		*fd = -1;
	}
	if (e->lesson_cwd_fd >= 0)
		close(e->lesson_cwd_fd);
	e->lesson_cwd_fd = -1;
}

/* Which of the descriptors 3..127 are open, in one system call. */
static void low_fds(uint64_t open[2])
{
	struct pollfd p[LOW_FDS - 3];
	int i;

	for (i = 3; i < LOW_FDS; i++) {
		p[i - 3].fd = i;
		p[i - 3].events = 0;
	}
	open[0] = open[1] = 0;
	if (poll(p, LOW_FDS - 3, 0) < 0)
		return;
	for (i = 3; i < LOW_FDS; i++)
		if (!(p[i - 3].revents & POLLNVAL))
			open[i / 64] |= (uint64_t)1 << (i % 64);
}

/* fd moved to the engine's range, close-on-exec; the old one closed. */
static int fds_keep(int fd, int floor)
{
	int high;

	if (fd < 0)
		return -1;
	high = fcntl(fd, F_DUPFD_CLOEXEC, floor);
	close(fd);
	return high;
}

#if defined(__SANITIZE_ADDRESS__)
#define YS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define YS_ASAN 1
#endif
#endif
#ifdef YS_ASAN
void __sanitizer_set_report_fd(void *fd);
#endif

/* A sanitizer's report (from inside a step, or the leak check at exit)
 * would go to descriptor 2, the capture file or /dev/null, and be lost: it
 * goes to the program's stderr instead, unless the sanitizer was told
 * where to write. */
static void fds_sanitizer_reports(engine *e)
{
#ifdef YS_ASAN
	const char *a = getenv("ASAN_OPTIONS"), *u = getenv("UBSAN_OPTIONS");

	if (!(a && strstr(a, "log_path")) && !(u && strstr(u, "log_path")))
		__sanitizer_set_report_fd((void *)(intptr_t)e->stream_fd[2]);
#else
	(void)e;
#endif
}

/* Without a capture file (no temporary file can be made) lesson code
 * writes to the real descriptors. */
void fds_open(engine *e)
{
	FILE *f = tmpfile();
	int floor = stdio_own_floor(), i;

	for (i = 0; i < OWN_COUNT; i++)
		*own_fd(e, i) = -1;
	e->lesson_cwd_fd = -1;
	/* What the process inherited is no loss when the lesson closes it. */
	low_fds(e->inherited);
	/* The program's own streams first: with them still on 1 and 2, what
	 * the program writes would go to the capture file. */
	if (!f || !stdio_own()) {
		if (f)
			fclose(f);
		return;
	}
	e->capture_fd = fds_keep(dup(fileno(f)), floor);
	fclose(f);
	e->null_fd = fds_keep(open("/dev/null", O_RDWR), floor);
	e->cwd_fd = fds_keep(open(".", O_RDONLY | O_DIRECTORY), floor);
	for (i = 0; i < 3; i++)
		e->stream_fd[i] = stdio_own_fd(i);
	/* The capture is needed; 0 may be closed (then it is left alone) and
	 * a working directory we cannot open is never swapped. */
	if (e->capture_fd < 0 || e->null_fd < 0) {
		fds_close(e);
		return;
	}
	/* Appending: the watchdog may cut the file short while it is written. */
	fcntl(e->capture_fd, F_SETFL, fcntl(e->capture_fd, F_GETFL) | O_APPEND);
	for (i = 0; i < OWN_COUNT; i++) {
		int fd = *own_fd(e, i);

		if (fd >= 0 && fstat(fd, &e->fd_id[i]) < 0)
			*own_fd(e, i) = -1;
	}
	fds_sanitizer_reports(e);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether the engine's descriptor which is still what it opened. */
static bool fds_intact(engine *e, int which)
{
	struct stat st;
	int fd = *own_fd(e, which);

	return fd < 0 || (fstat(fd, &st) == 0 && same_file(&st, &e->fd_id[which]));
}

static void fds_swap_in(engine *e)
{
	uint64_t now[2];
	int k;

	/* What opened since the last call is the program's (its script, a
	 * file it reads); what the lesson opened in earlier steps is not. */
	low_fds(now);
	for (k = 0; k < 2; k++)
		e->program_fds[k] = (e->program_fds[k] |
		                     (now[k] & ~e->open_after[k] & ~e->inherited[k])) &
		                    now[k];
	if (e->capture_fd < 0)
		return;
	/* Again at every call: the lesson may have rebound 0, 1 or 2. */
	if (e->stream_fd[0] >= 0)
		dup2(e->null_fd, 0);
	dup2(e->capture_fd, 1);
	dup2(e->capture_fd, 2);
	stdio_own_lesson(true);
	if (e->lesson_cwd_fd >= 0)
		(void)!fchdir(e->lesson_cwd_fd);
}

/* The lesson's working directory aside, the program's back. */
static void fds_swap_cwd(engine *e)
{
	struct stat st;

	if (e->cwd_fd < 0)
		return;
	if (stat(".", &st) == 0 && same_file(&st, &e->fd_id[OWN_CWD])) {
		if (e->lesson_cwd_fd >= 0)
			close(e->lesson_cwd_fd);
		e->lesson_cwd_fd = -1;
		return;
	}
	if (e->lesson_cwd_fd >= 0)
		close(e->lesson_cwd_fd);
	e->lesson_cwd_fd = fds_keep(open(".", O_RDONLY | O_DIRECTORY), 3);
	(void)!fchdir(e->cwd_fd);
}

static void fds_swap_out(engine *e)
{
	int i;

	low_fds(e->open_after);
	for (i = 0; i < 2; i++) {
		if (e->program_fds[i] & ~e->open_after[i]) {
			e->broken = true;
			snprintf(e->failure, sizeof e->failure, "the lesson closed a "
			         "file descriptor yieldscope uses");
		}
	}
	if (e->capture_fd < 0)
		return;
	for (i = 0; i < OWN_COUNT; i++) {
		if (!fds_intact(e, i)) {
			e->broken = true;
			snprintf(e->failure, sizeof e->failure, "the lesson closed or "
			         "replaced a file descriptor of yieldscope's own");
		}
	}
	fds_swap_cwd(e);
	/* 0, 1 and 2 stay the lesson's: a lesson thread that let go of the
	 * GIL just before a write still writes into the capture file, which
	 * the next step reads, and never reaches the terminal. */
	stdio_own_lesson(false);
}

int fds_enter(engine *e)
{
	if (e->broken)
		return -1;
	if (e->fds_depth++ == 0) {
		e->failure[0] = '\0';
		fds_swap_in(e);
	}
	return 0;
}

int fds_leave(engine *e, int rc)
{
	if (--e->fds_depth == 0)
		fds_swap_out(e);
	if (e->broken)
		return ENGINE_FAILED;
	if (rc == ENGINE_FAILED && !e->failure[0])
		snprintf(e->failure, sizeof e->failure, "out of memory");
	return rc;
}

void fds_collect(engine *e, snap_step *out)
{
	struct stat st;
	char *buf, *joined;
	size_t n, cap = e->opts.output_cap;
	ssize_t r;

	/* What C code of the lesson's printed through stdio is output too. */
	fflush(stdout);
	fflush(stderr);
	if (e->capture_fd < 0 || fstat(e->capture_fd, &st) < 0 || st.st_size == 0)
		return;
	n = (size_t)st.st_size < cap ? (size_t)st.st_size : cap;
	buf = ys_malloc(n + 1);
	if (buf) {
		r = pread(e->capture_fd, buf, n, 0);
		buf[r > 0 ? r : 0] = '\0';
		joined = ys_asprintf("%s%s", out->output ? out->output : "", buf);
		if (joined) {
			ys_free(out->output);
			out->output = joined;
		}
		ys_free(buf);
	}
	/* finish_step writes the note of a capped output. */
	if ((size_t)st.st_size > cap)
		out->output_capped = true;
	if (ftruncate(e->capture_fd, 0) < 0)
		return;
}


/* A step writing to descriptor 1 without end must not fill the disk: what
 * lies past what fds_collect keeps is cut off as it comes. */
void fds_trim(engine *e)
{
	struct stat st;

	if (e && e->capture_fd >= 0 && fstat(e->capture_fd, &st) == 0 &&
	    (size_t)st.st_size > 4 * e->opts.output_cap + 4096)
		(void)!ftruncate(e->capture_fd, (off_t)e->opts.output_cap + 1);
}

/* From here lesson code only runs to end (its threads, finalizers, the
 * finally blocks of its generators): nothing reads what it writes, and
 * none of it reaches the terminal. */
void fds_mute(engine *e)
{
	int k;

	if (e->null_fd < 0)
		return;
	for (k = 0; k < 3; k++)
		dup2(e->null_fd, k);
	stdio_own_lesson(true);
}

void fds_final(engine *e)
{
	/* 0, 1 and 2 stay on /dev/null: a daemon thread of the lesson's may be
	 * inside a write even now, past the interpreter's end. */
	stdio_own_lesson(false);
	if (e->cwd_fd >= 0)
		(void)!fchdir(e->cwd_fd);
	fds_close(e);
}
