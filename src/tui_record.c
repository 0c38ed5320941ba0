/* tui_record.c: --record, the terminal UI as an asciicast recording.
 *
 * After every draw the screen (curses' own copy of it, as the headless
 * dump reads it: its text and the role of each cell) becomes a frame of
 * cast.c, each role drawn with the attributes and colours it has on the
 * terminal; and each lesson step the session reaches gets a marker, so a
 * player can jump from step to step, as does a jump from a callback pause
 * over the callbacks left (Space at one), which no screen shows.
 * Time is the wall clock, or (for --play --cast, which has no one
 * watching) a steady pace of one new screen a second.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cast.h"
#include "text.h"
#include "tui_app.h"
#include "tui_record.h"
#include "util.h"

/* Seconds between screens in the steady pace. */
#define STEADY_SECONDS 1.0

static cast *rec;
static bool steady;
static double start, steady_t;
static size_t marked;           /* steps already marked: 0..marked-1 */
/* Did the last frame show a callback pause, and how many callback pauses
 * come after it. */
static bool at_callback;
static size_t callbacks_left;

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
	at_callback = false;
	callbacks_left = 0;
	return true;
}

/* The escape sequence that draws in role letter (a letter of tui_dump's
 * attribute grid: '.' plain, 'a' + r role r). */
static void sgr(strbuf *sb, char letter)
{
	attr_t at;
	short fg = -1, bg = -1;
	int r = letter >= 'a' && letter <= 'z' ? letter - 'a'
	      : letter >= 'A' && letter <= 'Z' ? letter - 'A' + 26 : 0;

	sb_append(sb, "\033[0");
	if (r <= 0 || r >= R_NROLES) {
		sb_appendc(sb, 'm');
		return;
	}
	at = tui_attr((view_role)r);
	if (at & A_BOLD) sb_append(sb, ";1");
	if (at & A_DIM) sb_append(sb, ";2");
	if (at & A_UNDERLINE) sb_append(sb, ";4");
	if (at & A_REVERSE) sb_append(sb, ";7");
	if (PAIR_NUMBER(at) > 0 && pair_content((short)PAIR_NUMBER(at), &fg, &bg) == OK) {
		if (fg >= 0)
			sb_printf(sb, ";38;5;%d", fg);
		if (bg >= 0)
			sb_printf(sb, ";48;5;%d", bg);
	}
	sb_appendc(sb, 'm');
}

/* The dump of tui_dump(attrs): rows of text, a rule, rows of role
 * letters, one a cell. The text rows again, with the roles as escape
 * sequences, written where the role changes. */
static char *colour(const char *dump)
{
	const char *rule = strstr(dump, "--- attributes ---\n");
	const char *text = dump, *roles;
	bool utf8 = tui_utf8();
	strbuf sb = {0};

	if (!rule)
		return ys_strdup(dump);
	roles = rule + strlen("--- attributes ---\n");
	while (text < rule) {
		size_t tn = strcspn(text, "\n"), rn = strcspn(roles, "\n"), i = 0, col = 0;
		char last = '.';

		while (i < tn) {
			size_t len;
			int w = ys_char_width(text + i, tn - i, utf8, &len);
			char role = col < rn ? roles[col] : '.';

			if (role != last) {
				sgr(&sb, role);
				last = role;
			}
			sb_appendn(&sb, text + i, len);
			i += len;
			col += w > 0 ? (size_t)w : 0;
		}
		if (last != '.')
			sb_append(&sb, "\033[0m");
		sb_appendc(&sb, '\n');
		text += tn + (text[tn] == '\n');
		roles += rn + (roles[rn] == '\n');
	}
	return sb_take(&sb);
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
	tui_dump(mem, true);
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
	/* Left a callback pause for the step's end with callbacks to come:
	 * they ran at once, said by a marker where the recording jumps. */
	if (a->ses && tui_state_loop_pause(&a->st)) {
		at_callback = true;
		callbacks_left = snap_callback_pauses(session_state(a->ses), a->st.pause_at + 1);
	} else if (at_callback) {
		if (!a->st.pausing && callbacks_left > 0) {
			char *label = ys_asprintf("the %zu callback%s left run%s at once, to the "
			                          "step's end", callbacks_left,
			                          callbacks_left == 1 ? "" : "s",
			                          callbacks_left == 1 ? "s" : "");
			cast_marker(rec, t, label);
			ys_free(label);
		}
		at_callback = false;
	}
	if (text) {
		char *frame = colour(text);
		if (frame)
			cast_frame(rec, t, frame);
		ys_free(frame);
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
