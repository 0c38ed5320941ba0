/* tui_record.c: --record, the terminal UI as an asciicast recording.
 *
 * After every draw the screen (curses' own copy of it, as the headless
 * dump reads it) becomes a frame of cast.c, and each lesson step the
 * session reaches gets a marker, so a player can jump from step to step.
 * Time is the wall clock, or (for --play --cast, which has no one
 * watching) a steady pace of one new screen a second.
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "cast.h"
#include "tui_app.h"
#include "tui_record.h"
#include "util.h"

/* Seconds between screens in the steady pace. */
#define STEADY_SECONDS 1.0

static cast *rec;
static bool steady;
static double start, steady_t;
static size_t marked;           /* steps already marked: 0..marked-1 */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

bool tui_record_open(const tui_options *o)
{
	char err[512];

	if (!o->record)
		return true;
	rec = cast_open(o->record, COLS, LINES, "yieldscope", err, sizeof err);
	if (!rec) {
		fprintf(stderr, "yieldscope: --record: %s\n", err);
		return false;
	}
	steady = o->record_steady;
	start = now();
	steady_t = 0;
	marked = 0;
	return true;
}

void tui_record_frame(const app *a)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	double t;

	if (!rec)
		return;
	mem = open_memstream(&text, &len);
	if (!mem)
		return;
	tui_dump(mem, false);
	fclose(mem);
	t = steady ? steady_t : now() - start;
	if (a->ses && !a->in_menu) {
		const lesson *l = session_lesson(a->ses);
		size_t pos = session_script_pos(a->ses);

		/* One marker per step, at the first screen that presents it
		 * (its narration, before it runs); a step presented again after
		 * going back is marked again. */
		if (pos + 1 < marked)
			marked = pos + 1;
		while (marked <= pos && marked < l->nsteps) {
			char *label = cast_step_label(l, marked++);
			cast_marker(rec, t, label);
			ys_free(label);
		}
	}
	if (text) {
		cast_frame(rec, t, text);
		free(text);
		steady_t += STEADY_SECONDS;
	}
}

int tui_record_close(void)
{
	int rc = cast_close(rec);

	rec = NULL;
	return rc;
}
