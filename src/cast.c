/* cast.c: asciicast v2 recordings (see cast.h). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cast.h"
#include "util.h"

struct cast {
	FILE *f;
	bool own;               /* f was opened here (not stdout) */
	bool failed;            /* a write or an allocation failed */
	double last_t;          /* time of the last event: events never go back */
	char *last_frame;       /* the screen last written */
};

/* Write one JSON value and a newline; it is freed. */
static void put_line(cast *c, json_t *v)
{
	if (!v || json_dumpf(v, c->f, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10)) < 0 ||
	    fputc('\n', c->f) == EOF)
		c->failed = true;
	json_decref(v);
}

cast *cast_open(const char *path, int cols, int lines, const char *title,
                char *err, size_t errlen)
{
	cast *c = ys_calloc(1, sizeof *c);
	json_t *h;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		c->f = stdout;
	} else {
		c->f = fopen(path, "w");
		c->own = true;
	}
	if (!c->f) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		ys_free(c);
		return NULL;
	}
	h = json_pack("{s:i, s:i, s:i, s:I, s:{s:s}}", "version", 2, "width", cols,
	              "height", lines, "timestamp", (json_int_t)time(NULL),
	              "env", "TERM", "xterm-256color");
	if (h && title)
		json_object_set_new(h, "title", json_string(title));
	put_line(c, h);
	return c;
}

/* An event [t, code, data]; t is kept from going back in time. */
static void event(cast *c, double t, const char *code, const char *data)
{
	if (t < c->last_t)
		t = c->last_t;
	c->last_t = t;
	put_line(c, json_pack("[f, s, s]", t, code, data));
}

void cast_frame(cast *c, double t, const char *screen)
{
	strbuf sb = {0};
	const char *p;

	if (!c || (c->last_frame && strcmp(c->last_frame, screen) == 0))
		return;
	ys_set_str(&c->last_frame, screen);
	/* Home, clear, then the rows: a player can start at any frame. */
	sb_append(&sb, "\033[H\033[2J");
	for (p = screen; *p; p++) {
		if (*p == '\n') {
			if (p[1])
				sb_append(&sb, "\r\n");
		} else {
			sb_appendc(&sb, *p);
		}
	}
	if (sb.failed || !c->last_frame)
		c->failed = true;
	else
		event(c, t, "o", sb_cstr(&sb));
	sb_free(&sb);
}

void cast_marker(cast *c, double t, const char *label)
{
	if (c)
		event(c, t, "m", label ? label : "");
}

int cast_close(cast *c)
{
	int rc;

	if (!c)
		return 0;
	if (fflush(c->f) == EOF || ferror(c->f))
		c->failed = true;
	if (c->own && fclose(c->f) == EOF)
		c->failed = true;
	rc = c->failed ? -1 : 0;
	ys_free(c->last_frame);
	ys_free(c);
	return rc;
}

char *cast_step_label(const lesson *l, size_t i)
{
	const lesson_step *st;
	const char *nl;

	if (i >= l->nsteps)
		return ys_asprintf("Step %zu", i + 1);
	st = &l->steps[i];
	if (st->kind == LESSON_CODE)
		return ys_asprintf("Step %zu: code (line %d)", i + 1, st->line);
	nl = strchr(st->source, '\n');
	return ys_asprintf("Step %zu: %.*s", i + 1,
	                   (int)(nl ? (size_t)(nl - st->source) : strlen(st->source)),
	                   st->source);
}

/* Callbacks of a step a recording shows one by one: a screen a second,
 * so half a minute per asyncio.run(). */
#define CAST_CALLBACKS 30

int cast_play_script(const lesson *l, FILE *out)
{
	size_t n = l->path ? strlen(l->path) : 0, i;
	bool program = n > 3 && strcmp(l->path + n - 3, ".py") == 0;

	fprintf(out, "# every step of %s\n", l->path);
	for (i = 0; i < l->nsteps; i++) {
		const lesson_step *st = &l->steps[i];

		fprintf(out, "key space\n");
		/* A Python program's asyncio.run() pauses at its first
		 * callback (the engine records each): the recording steps
		 * through its first CAST_CALLBACKS callbacks, a screen each,
		 * the last of which says how many there are, then Space runs
		 * the rest to the step's end. Keys skipped when no callback
		 * pause is shown: a step that runs no loop, or fewer
		 * callbacks. */
		if (program) {
			int k;

			fprintf(out, "# callbacks 1 to %d one by one, then the rest at once\n"
			        "at-callback", CAST_CALLBACKS);
			for (k = 1; k < CAST_CALLBACKS; k++)
				fprintf(out, " enter");
			fprintf(out, "\nat-callback space\n");
		}
		if (st->predict) {
			const char *e = st->expected ? st->expected : "";
			size_t n = strcspn(e, "\n");
			/* The prediction prompt takes one line: the first of what
			 * the lesson expects, so the recording shows it right. */
			if (n > 0)
				fprintf(out, "type %.*s\n", (int)(n > 200 ? 200 : n), e);
			fprintf(out, "key enter\n");
		}
	}
	return fflush(out) == EOF || ferror(out) ? -1 : 0;
}
