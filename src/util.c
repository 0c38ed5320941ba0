/* util.c: allocation wrappers, growable strings, files, UTF-8. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#if defined(YS_ALLOC_FAIL) && defined(__GLIBC__)
#include <execinfo.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"
#include "util.h"

/* ---- Failure on demand ---------------------------------------------------
 * In a build configured with --enable-alloc-fail, YS_ALLOC_FAIL=N makes the
 * N-th call of ys_malloc, ys_calloc or ys_realloc (counted from 1 over the
 * whole process) return NULL, and YS_ALLOC_FAIL=N+ that call and every
 * later one: SQLite's and Lua's way of proving that no failure crashes.
 * YS_ALLOC_REPORT=FILE gets "COUNT FAILED" at exit: how many allocations
 * were made and how many were failed on purpose, so that tests/allocfail.sh
 * knows when N has passed the last one. YS_ALLOC_TRACE=1 prints the stack
 * of the N-th one. Other builds compile none of it.
 */
#ifdef YS_ALLOC_FAIL
static unsigned long alloc_count, alloc_failed, fail_at;
static bool fail_after, fail_read;

static void alloc_report(void)
{
	const char *path = getenv("YS_ALLOC_REPORT");
	FILE *f;

	if (!path || !*path || !(f = fopen(path, "w")))
		return;
	fprintf(f, "%lu %lu\n", __atomic_load_n(&alloc_count, __ATOMIC_RELAXED),
	        __atomic_load_n(&alloc_failed, __ATOMIC_RELAXED));
	fclose(f);
}

/* Whether this allocation is the one to fail. The first allocation is made
 * by main's thread before the engine starts any other, so reading the
 * variable needs no lock; the counts are atomic for the watchdog's sake. */
static bool alloc_fails(void)
{
	unsigned long k;

	if (!fail_read) {
		const char *v = getenv("YS_ALLOC_FAIL");
		char *end;

		fail_read = true;
		if (v && *v) {
			fail_at = strtoul(v, &end, 10);
			fail_after = *end == '+';
		}
		atexit(alloc_report);
	}
	k = __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED);
	if (fail_at == 0 || k < fail_at || (k > fail_at && !fail_after))
		return false;
	__atomic_add_fetch(&alloc_failed, 1, __ATOMIC_RELAXED);
#ifdef __GLIBC__
	/* Which caller got the NULL, to find the code that mishandles it. */
	if (k == fail_at && getenv("YS_ALLOC_TRACE")) {
		void *frames[32];
		fprintf(stderr, "ys_alloc: allocation %lu fails here:\n", k);
		backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
	}
#endif
	return true;
}
#define ALLOC_FAILS() alloc_fails()
#else
#define ALLOC_FAILS() false
#endif

/* ---- Allocation ---------------------------------------------------------- */

void *ys_malloc(size_t n)
{
	if (ALLOC_FAILS())
		return NULL;
	return malloc(n ? n : 1);
}

void *ys_calloc(size_t count, size_t n)
{
	if (ALLOC_FAILS())
		return NULL;
	return calloc(count ? count : 1, n ? n : 1);
}

void *ys_realloc(void *p, size_t n)
{
	if (ALLOC_FAILS())
		return NULL;
	return realloc(p, n ? n : 1);
}

void ys_free(void *p)
{
	free(p);
}

void *ys_grow(void *v, size_t n, size_t *cap, size_t size, size_t first)
{
	size_t want = *cap ? *cap * 2 : first;
	void *p;

	if (n < *cap)
		return v;
	if (want < *cap || want > SIZE_MAX / size)
		return NULL;
	p = ys_realloc(v, want * size);
	if (p)
		*cap = want;
	return p;
}

char *ys_strndup(const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	d = ys_malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void ys_set_str(char **dst, const char *s)
{
	char *n = s ? ys_strdup(s) : NULL;

	ys_free(*dst);
	*dst = n;
}

char *ys_strdup(const char *s)
{
	return s ? ys_strndup(s, strlen(s)) : NULL;
}

char *ys_asprintf(const char *fmt, ...)
{
	strbuf sb = {0};
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (!sb.data && !sb.failed)
		return ys_strdup("");
	return sb_take(&sb);
}

/* Make room for n more bytes plus a NUL. */
static bool sb_reserve(strbuf *sb, size_t n)
{
	size_t need, cap;
	char *p;

	if (sb->failed)
		return false;
	if (n > SIZE_MAX / 2 - sb->len) {
		sb->failed = true;
		return false;
	}
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return true;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	p = ys_realloc(sb->data, cap);
	if (!p) {
		sb->failed = true;
		return false;
	}
	sb->data = p;
	sb->cap = cap;
	return true;
}

void sb_appendn(strbuf *sb, const char *s, size_t n)
{
	if (!sb_reserve(sb, n))
		return;
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void sb_append(strbuf *sb, const char *s)
{
	if (s)
		sb_appendn(sb, s, strlen(s));
}

void sb_appendc(strbuf *sb, char c)
{
	sb_appendn(sb, &c, 1);
}

void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !sb_reserve(sb, (size_t)n)) {
		sb->failed = true;
		return;
	}
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void sb_reset(strbuf *sb)
{
	sb->len = 0;
	if (sb->data)
		sb->data[0] = '\0';
}

const char *sb_cstr(strbuf *sb)
{
	return sb->data ? sb->data : "";
}

char *sb_take(strbuf *sb)
{
	char *p;

	if (sb->failed) {
		sb_free(sb);
		return NULL;
	}
	p = sb->data ? sb->data : ys_strdup("");
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void sb_free(strbuf *sb)
{
	ys_free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
	sb->failed = false;
}

char *ys_read_file_max(const char *path, size_t max, size_t *len)
{
	/* Not blocking: opening a FIFO would wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	strbuf sb = {0};
	struct stat st;
	char buf[65536];
	ssize_t n;
	int saved = 0;

	if (fd < 0)
		return NULL;
	/* A FIFO, a terminal or an endless device (/dev/zero) is no file to
	 * read whole; and a regular file can grow while it is read. */
	if (fstat(fd, &st) < 0)
		saved = errno;
	else if (S_ISDIR(st.st_mode))
		saved = EISDIR;
	else if (!S_ISREG(st.st_mode))
		saved = EINVAL;
	else if ((uintmax_t)st.st_size > max)
		saved = EFBIG;
	while (!saved && (n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				saved = errno;
			continue;
		}
		if (sb.len + (size_t)n > max)
			saved = EFBIG;
		else
			sb_appendn(&sb, buf, (size_t)n);
		if (sb.failed)
			saved = ENOMEM;
	}
	close(fd);
	if (saved) {
		sb_free(&sb);
		errno = saved;
		return NULL;
	}
	if (len)
		*len = sb.len;
	return sb_take(&sb);
}

char *ys_read_file(const char *path, size_t *len)
{
	return ys_read_file_max(path, YS_READ_MAX, len);
}

const char *ys_read_error(int err)
{
	if (err == EINVAL)
		return "not a regular file";
	if (err == EFBIG)
		return "the file is too big";
	return strerror(err);
}

size_t ys_utf8_invalid_at(const char *str, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = ys_utf8_decode(str + i, n - i, &cp);
		if (k == 0)
			return i;
		i += k;
	}
	return (size_t)-1;
}
