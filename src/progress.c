/* progress.c: per-lesson progress in small JSON files, written atomically. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "progress.h"
#include "util.h"

/* A progress file is a few lines; anything bigger is not one of ours. */
#define MAX_FILE (64 * 1024)
#define FORMAT_VERSION 1

struct progress {
	char *dir;              /* NULL: nothing is remembered */
	char **pending;         /* warnings not shown yet */
	size_t npending;
	char **seen;            /* files (or "save") already warned about */
	size_t nseen;
	char *current;          /* the warning last handed out */
};

/* ---- Warnings ------------------------------------------------------------- */

static bool seen(progress *p, const char *what)
{
	size_t i;

	for (i = 0; i < p->nseen; i++)
		if (strcmp(p->seen[i], what) == 0)
			return true;
	return false;
}

/* Queue a warning about what, unless one was queued for it this run. */
static void warn(progress *p, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn(progress *p, const char *what, const char *fmt, ...)
{
	char **v;
	char *w, *msg;
	strbuf sb = {0};
	va_list ap;

	if (seen(p, what))
		return;
	v = ys_realloc(p->seen, (p->nseen + 1) * sizeof *v);
	if (!v)
		return;
	p->seen = v;
	w = ys_strdup(what);
	if (!w)
		return;
	p->seen[p->nseen++] = w;
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	msg = sb_take(&sb);
	if (!msg)
		return;
	v = ys_realloc(p->pending, (p->npending + 1) * sizeof *v);
	if (!v) {
		ys_free(msg);
		return;
	}
	p->pending = v;
	p->pending[p->npending++] = msg;
}

const char *progress_warning(progress *p)
{
	if (!p)
		return NULL;
	ys_free(p->current);
	p->current = NULL;
	if (p->npending == 0)
		return NULL;
	p->current = p->pending[0];
	memmove(p->pending, p->pending + 1, (p->npending - 1) * sizeof *p->pending);
	p->npending--;
	return p->current;
}

/* ---- The store ------------------------------------------------------------- */

static char *default_dir(void)
{
	const char *x = getenv("XDG_STATE_HOME"), *h = getenv("HOME");

	/* The XDG spec: a relative path in the variable is to be ignored. */
	if (x && x[0] == '/')
		return ys_asprintf("%s/yieldscope", x);
	if (h && *h)
		return ys_asprintf("%s/.local/state/yieldscope", h);
	return NULL;
}

progress *progress_open(const char *dir)
{
	progress *p = ys_calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->dir = dir ? ys_strdup(dir) : default_dir();
	if (!p->dir)
		warn(p, "dir", "Progress is not remembered: neither XDG_STATE_HOME nor HOME is set.");
	return p;
}

void progress_free(progress *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->npending; i++)
		ys_free(p->pending[i]);
	for (i = 0; i < p->nseen; i++)
		ys_free(p->seen[i]);
	ys_free(p->pending);
	ys_free(p->seen);
	ys_free(p->current);
	ys_free(p->dir);
	ys_free(p);
}

const char *progress_dir(const progress *p)
{
	return p->dir;
}

char *progress_key(const char *path)
{
	char *r = realpath(path, NULL);
	char *k;

	if (!r)
		return ys_strdup(path);
	/* realpath's buffer comes from malloc; ours may be counted. */
	k = ys_strdup(r);
	free(r);
	return k;
}

/* FNV-1a: file names that stay short and safe whatever the path holds. */
char *progress_path(const progress *p, const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *s;

	if (!p->dir)
		return NULL;
	for (s = (const unsigned char *)key; *s; s++) {
		h ^= *s;
		h *= 1099511628211ULL;
	}
	return ys_asprintf("%s/%016llx.json", p->dir, (unsigned long long)h);
}

/* An integer field >= 0, or false. */
static bool get_count(json_t *o, const char *name, json_int_t max, json_int_t *out)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_integer(v))
		return false;
	*out = json_integer_value(v);
	return *out >= 0 && *out <= max;
}

int progress_get(progress *p, const char *key, progress_rec *out)
{
	char *path;
	char *text = NULL;
	size_t len = 0;
	json_t *root = NULL, *k;
	json_error_t jerr;
	json_int_t furthest, nsteps, right, wrong;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (!p->dir)
		return 0;
	path = progress_path(p, key);
	if (!path)
		return -1;
	/* Only a regular file, and a small one: a FIFO or a link to /dev/zero
	 * in its place is refused without reading. */
	text = ys_read_file_max(path, MAX_FILE, &len);
	if (!text) {
		if (errno == ENOMEM)
			rc = -1;
		else if (errno == EFBIG)
			warn(p, path, "Progress file ignored, it is too big: %s", path);
		else if (errno != ENOENT)
			warn(p, path, "Progress file ignored, cannot read it (%s): %s",
			     ys_read_error(errno), path);
		goto out;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(root) ||
	    !get_count(root, "furthest", 1000000000, &furthest) ||
	    !get_count(root, "nsteps", 1000000000, &nsteps) ||
	    !get_count(root, "right", UINT_MAX, &right) ||
	    !get_count(root, "wrong", UINT_MAX, &wrong)) {
		warn(p, path, "Progress file ignored, it is corrupt: %s", path);
		goto out;
	}
	k = json_object_get(root, "lesson");
	if (!json_is_string(k) || strcmp(json_string_value(k), key) != 0)
		goto out;       /* another lesson's file (a hash collision): not ours */
	out->furthest = (size_t)furthest;
	out->nsteps = (size_t)nsteps;
	out->right = (unsigned)right;
	out->wrong = (unsigned)wrong;
	rc = 1;
out:
	json_decref(root);
	ys_free(text);
	ys_free(path);
	return rc;
}

/* mkdir -p, private to the user (progress says what they studied). */
static int make_dirs(const char *dir)
{
	char *d = ys_strdup(dir), *s;
	int rc = 0;

	if (!d)
		return -1;
	for (s = d + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(d, 0700) < 0 && errno != EEXIST) {
				rc = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	ys_free(d);
	return rc;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int progress_put(progress *p, const char *key, const char *title,
                 const progress_rec *rec)
{
	char *path = NULL, *tmp = NULL, *text = NULL;
	json_t *root = NULL;
	int fd = -1, rc = -1, saved = 0;

	if (!p->dir) {
		errno = ENOENT;
		return -1;
	}
	root = json_pack("{s:i, s:s, s:s?, s:I, s:I, s:I, s:I}",
	                 "version", FORMAT_VERSION, "lesson", key, "title", title,
	                 "furthest", (json_int_t)rec->furthest,
	                 "nsteps", (json_int_t)rec->nsteps,
	                 "right", (json_int_t)rec->right,
	                 "wrong", (json_int_t)rec->wrong);
	text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	path = progress_path(p, key);
	tmp = path ? ys_asprintf("%s.tmp.XXXXXX", path) : NULL;
	if (!text || !tmp) {
		errno = ENOMEM;
		goto out;
	}
	if (make_dirs(p->dir) < 0)
		goto out;
	fd = mkstemp(tmp);
	if (fd < 0)
		goto out;
	/* The new content reaches the disk before its name does: after a
	 * crash the old file or the new one is there, never half of one. */
	if (write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0 ||
	    fsync(fd) < 0)
		goto out;
	if (close(fd) < 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto out;
	ys_free(tmp);
	tmp = NULL;
	{
		/* And the rename itself. */
		int dfd = open(p->dir, O_RDONLY | O_DIRECTORY);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	rc = 0;
out:
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (tmp && rc < 0)
		unlink(tmp);
	if (rc < 0)
		warn(p, "save", "Progress not saved (%s) in %s", strerror(saved), p->dir);
	ys_free(tmp);
	ys_free(path);
	free(text);     /* jansson's allocator */
	json_decref(root);
	errno = saved;
	return rc;
}

/* ---- Reset ------------------------------------------------------------------ */

/* Our files: 16 hex digits, ".json", and perhaps a temporary's suffix. */
static bool ours(const char *name)
{
	size_t i;

	for (i = 0; i < 16; i++)
		if (!name[i] || !strchr("0123456789abcdef", name[i]))
			return false;
	return strcmp(name + 16, ".json") == 0 || strncmp(name + 16, ".json.tmp.", 10) == 0;
}

static int clear_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0, saved = 0;

	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		char *path;
		if (!ours(de->d_name))
			continue;
		path = ys_asprintf("%s/%s", dir, de->d_name);
		if (!path || (unlink(path) < 0 && errno != ENOENT)) {
			saved = path ? errno : ENOMEM;
			rc = -1;
		}
		ys_free(path);
	}
	closedir(d);
	if (rc < 0)
		errno = saved;
	return rc;
}

int progress_clear(progress *p)
{
	return p->dir ? clear_dir(p->dir) : 0;
}

int progress_reset(void)
{
	char *dir = default_dir();
	int rc;

	if (!dir)
		return 0;
	rc = clear_dir(dir);
	ys_free(dir);
	return rc;
}
