/* tui_script.c: key scripts for the headless screen-test mode.
 *
 * One command per line; blank lines and lines starting with '#' are
 * ignored:
 *
 *   term NAME        terminfo entry of the virtual terminal (before keys;
 *                    default xterm-256color; "vt100" has no colour)
 *   animate on|off   play the live flow (frames advance with "tick")
 *   key NAME...      keys: a character, or space enter esc tab btab
 *                    left right up down home end backspace pgup pgdn
 *                    delete f1, ctrl-c (as Ctrl-C), C-x (control char)
 *   at-callback NAME...  keys as "key" gives them, each pressed only if a
 *                    callback pause (an event loop's) is shown then: a
 *                    recording steps through the callbacks a run has
 *   type TEXT        each character of TEXT as a key
 *   click X Y        a mouse click at column X, row Y (from 0)
 *   resize COLSxLINES  resize the virtual terminal
 *   tick             advance the live flow one frame
 *   dump             print the screen as text
 *   dump attrs       ... followed by one letter per cell for its style
 *   echo TEXT        print TEXT (to label the dumps)
 *
 * The script ends the program when it runs out of commands.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"
#include "util.h"

struct tui_script {
	FILE *f;
	char *term;
	bool animate;
	int pending[256];       /* keys of a "key a b c" or "type" line */
	int npending, ipending;
	long lineno;
	bool started;
};

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

tui_script *tui_script_open(const char *path)
{
	tui_script *s = ys_calloc(1, sizeof *s);
	char line[1024];
	long pos;

	if (!s)
		return NULL;
	s->f = fopen(path, "r");
	if (!s->f) {
		ys_free(s);
		return NULL;
	}
	/* Read the settings that must be known before the terminal opens. */
	for (;;) {
		char *t;
		pos = ftell(s->f);
		if (!fgets(line, sizeof line, s->f))
			break;
		t = trim(line);
		if (!*t || *t == '#')
			continue;
		if (strncmp(t, "term ", 5) == 0) {
			ys_free(s->term);
			s->term = ys_strdup(trim(t + 5));
		} else if (strncmp(t, "animate ", 8) == 0) {
			s->animate = strcmp(trim(t + 8), "on") == 0;
		} else {
			break;
		}
	}
	fseek(s->f, 0, SEEK_SET);
	(void)pos;
	return s;
}

void tui_script_close(tui_script *s)
{
	if (!s)
		return;
	if (s->f)
		fclose(s->f);
	ys_free(s->term);
	ys_free(s);
}

const char *tui_script_term(const tui_script *s)
{
	return s->term;
}

bool tui_script_animate(const tui_script *s)
{
	return s->animate;
}

static int key_code(const char *name)
{
	static const struct { const char *name; int code; } keys[] = {
		{ "space", ' ' }, { "enter", '\r' }, { "esc", 27 }, { "tab", '\t' },
		{ "btab", KEY_BTAB }, { "left", KEY_LEFT }, { "right", KEY_RIGHT },
		{ "up", KEY_UP }, { "down", KEY_DOWN }, { "home", KEY_HOME },
		{ "end", KEY_END }, { "backspace", KEY_BACKSPACE }, { "pgup", KEY_PPAGE },
		{ "pgdn", KEY_NPAGE }, { "delete", KEY_DC }, { "f1", KEY_F(1) },
		{ "ctrl-c", TUI_EV_SIGINT },
	};
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(name, keys[i].name) == 0)
			return keys[i].code;
	if (name[0] == 'C' && name[1] == '-' && name[2] && !name[3])
		return toupper((unsigned char)name[2]) & 0x1f;
	if (name[0] && !name[1])
		return (unsigned char)name[0];
	return -1;
}

int tui_script_next(tui_script *s, int *my, int *mx, void (*redraw)(void *), void *arg)
{
	char line[1024];

	for (;;) {
		char *t;

		if (s->ipending < s->npending)
			return s->pending[s->ipending++];
		s->ipending = s->npending = 0;
		if (!fgets(line, sizeof line, s->f))
			return TUI_EV_END;
		s->lineno++;
		t = trim(line);
		if (!*t || *t == '#' || strncmp(t, "term ", 5) == 0 ||
		    strncmp(t, "animate ", 8) == 0)
			continue;
		if (strncmp(t, "key ", 4) == 0 || strncmp(t, "at-callback ", 12) == 0) {
			int flag = t[0] == 'a' ? TUI_EV_IF_CALLBACK : 0;
			char *tok = strtok(t + (flag ? 12 : 4), " ");
			while (tok && s->npending < 256) {
				int k = key_code(tok);
				if (k == -1) {
					fprintf(stderr, "screen script line %ld: unknown key \"%s\"\n",
					        s->lineno, tok);
					exit(2);
				}
				s->pending[s->npending++] = k | flag;
				tok = strtok(NULL, " ");
			}
		} else if (strncmp(t, "type ", 5) == 0) {
			const char *p = line + (t - line) + 5;
			while (*p && s->npending < 256)
				s->pending[s->npending++] = (unsigned char)*p++;
		} else if (strncmp(t, "click ", 6) == 0) {
			if (sscanf(t + 6, "%d %d", mx, my) != 2) {
				fprintf(stderr, "screen script line %ld: click X Y\n", s->lineno);
				exit(2);
			}
			return KEY_MOUSE;
		} else if (strncmp(t, "resize ", 7) == 0) {
			int c, l;
			if (sscanf(t + 7, "%dx%d", &c, &l) != 2 || c < 1 || l < 1) {
				fprintf(stderr, "screen script line %ld: resize COLSxLINES\n", s->lineno);
				exit(2);
			}
			resizeterm(l, c);
			return KEY_RESIZE;
		} else if (strcmp(t, "tick") == 0) {
			return TUI_EV_TICK;
		} else if (strcmp(t, "dump") == 0 || strcmp(t, "dump attrs") == 0) {
			redraw(arg);
			printf("=== screen %dx%d ===\n", COLS, LINES);
			tui_dump(stdout, strcmp(t, "dump attrs") == 0);
		} else if (strncmp(t, "echo", 4) == 0) {
			printf("%s\n", trim(t + 4));
		} else {
			fprintf(stderr, "screen script line %ld: unknown command \"%s\"\n",
			        s->lineno, t);
			exit(2);
		}
	}
}
