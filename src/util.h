/* util.h: allocation that cannot fail silently, and a growable string.
 *
 * Every allocation in yieldscope's own code goes through ys_malloc and
 * friends, so that a test build can fail the N-th one on purpose. They
 * return NULL on failure like malloc; callers check and report.
 * (configure --enable-alloc-fail: YS_ALLOC_FAIL=N fails the N-th one,
 * N+ every one from the N-th on; see util.c and tests/allocfail.sh.)
 */
#ifndef YS_UTIL_H
#define YS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- Allocation -------------------------------------------------------- */

void *ys_malloc(size_t n);
void *ys_calloc(size_t count, size_t n);
void *ys_realloc(void *p, size_t n);
void ys_free(void *p);
/* Room for item n of array v (items of size bytes, room for *cap of
 * them): v itself while n < *cap, else v reallocated to twice *cap (first
 * when *cap is 0) with *cap updated. NULL when out of memory, v and *cap
 * as they were. */
void *ys_grow(void *v, size_t n, size_t *cap, size_t size, size_t first);

/* Copy of s (NULL gives NULL); NULL when out of memory. */
char *ys_strdup(const char *s);
/* Copy of the first n bytes of s, NUL-terminated. */
char *ys_strndup(const char *s, size_t n);
/* Replace *dst (freed) by a copy of s (NULL gives NULL). */
void ys_set_str(char **dst, const char *s);
/* printf into a new string; NULL when out of memory. */
char *ys_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- Growable string ----------------------------------------------------
 * A zeroed strbuf is empty and valid. After an allocation failure the
 * buffer keeps what it had and sb->failed is set; callers check once at
 * the end instead of after every append.
 */
typedef struct {
	char *data;     /* NUL-terminated when len > 0 or after sb_cstr */
	size_t len;
	size_t cap;
	bool failed;
} strbuf;

void sb_append(strbuf *sb, const char *s);
void sb_appendn(strbuf *sb, const char *s, size_t n);
void sb_appendc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap);
/* Empty again, keeping its room for what comes next. */
void sb_reset(strbuf *sb);
/* The content as a C string ("" for an empty buffer); owned by sb. */
const char *sb_cstr(strbuf *sb);
/* Hand the content over to the caller (NULL if failed); sb is emptied. */
char *sb_take(strbuf *sb);
void sb_free(strbuf *sb);

/* ---- Files and text ---------------------------------------------------- */

/* Read a whole regular file of at most max bytes. Returns a NUL-terminated
 * buffer (its length in *len) or NULL with errno set: EISDIR, EINVAL for
 * anything but a regular file (a FIFO, a device), EFBIG past max (never
 * waiting on a FIFO, never reading an endless device); ys_read_error
 * words them. ys_read_file reads at most YS_READ_MAX bytes. */
#define YS_READ_MAX ((size_t)1 << 30)
char *ys_read_file_max(const char *path, size_t max, size_t *len);
char *ys_read_file(const char *path, size_t *len);
const char *ys_read_error(int err);

/* Offset of the first invalid UTF-8 byte in s[0..n), or (size_t)-1 when
 * all of it is valid. */
size_t ys_utf8_invalid_at(const char *s, size_t n);

#endif
