/* tui_keys.c: the table of actions (see tui_keys.h) and its readers. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "tui_int.h"
#include "tui_keys.h"

#define FN(k) (TK_FN + (k))
#define ENTER_KEYS { '\r', 0 }, { '\n', 0 }, { FN(KEY_ENTER), 0 }

/* In help order (the help screen lists the rows with help text as they
 * come); the key bar orders by rank. */
const tui_key tui_keys[] = {
	/* ---- Playing a lesson ---- */
	{ TA_STEP, M_LESSON | M_BROWSE, { { ' ', 0 }, ENTER_KEYS },
	  "Space Enter", "perform the lesson's next step as written",
	  "Space", "step", NULL, M_LESSON, C_NEXT_STEP, 0, 20, 0 },
	{ TA_STEP, 0, { { 0, 0 } }, NULL, NULL,
	  "Space", "act from here", NULL, M_BROWSE, 0, 0, 20, 0 },
	{ TA_DRIVE, M_PLAY, { { 'n', DRIVE_NEXT } },
	  "n s t c o u x", "next/send/throw/close it; loop: step/until/cancel",
	  "n", "next", NULL, M_LESSON | M_BROWSE, C_SELECTED, 0, 30, 0 },
	{ TA_DRIVE, M_PLAY, { { 's', DRIVE_SEND } }, NULL, NULL,
	  "s", "send", NULL, M_LESSON | M_BROWSE, C_SELECTED, 0, 31, 0 },
	{ TA_DRIVE, M_PLAY, { { 't', DRIVE_THROW } }, NULL, NULL,
	  "t", "throw", NULL, M_LESSON | M_BROWSE, C_SELECTED, 0, 32, 0 },
	{ TA_DRIVE, M_PLAY, { { 'c', DRIVE_CLOSE } }, NULL, NULL,
	  "c", "close", NULL, M_LESSON | M_BROWSE, C_SELECTED, 0, 33, 0 },
	{ TA_LOOP, M_PLAY, { { 'o', DRIVE_RUN_ONE } }, NULL, NULL,
	  "o", "callback", NULL, M_LESSON | M_BROWSE, C_LOOP, 0, 34, 0 },
	{ TA_LOOP, M_PLAY, { { 'u', DRIVE_RUN_UNTIL } }, NULL, NULL,
	  "u", "until", NULL, M_LESSON | M_BROWSE, C_LOOP, 0, 35, 0 },
	{ TA_LOOP, M_PLAY, { { 'x', DRIVE_CANCEL } }, NULL, NULL,
	  "x", "cancel", NULL, M_LESSON | M_BROWSE, C_LOOP, 0, 36, 0 },
	{ TA_SELECT, M_PLAY, { { '\t', 1 }, { FN(KEY_BTAB), -1 } },
	  "Tab S-Tab", "select another generator or task (or click a card)",
	  "Tab", "select", NULL, M_LESSON | M_BROWSE, C_GENS, 0, 40, K_KEEP_PAUSE },
	{ TA_SELECT, 0, { { 0, 0 } }, NULL, NULL,
	  "Tab", "select", NULL, M_PAUSE, 0, 0, 4, 0 },
	{ TA_PAGE, M_PLAY, { { '[', -1 }, { ']', 1 } },
	  "[ ]", "a big heap: the previous / next page of cards",
	  "[ ]", "more cards", NULL, M_LESSON, C_MORE_CARDS, 0, 50, 0 },
	{ TA_NONE, 0, { { 0, 0 } },
	  NULL, "A key the script does not expect is free play.",
	  NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ TA_STATEMENT, M_PLAY, { { ':', 0 } },
	  ":", "type any Python statement (free play)",
	  ":", "statement", NULL, M_LESSON | M_BROWSE, 0, 0, 140, 0 },
	{ TA_REPLAY, M_PLAY, { { 'r', 0 } },
	  "r", "replay the lesson up to where the script stood",
	  "r", "replay", NULL, M_LESSON | M_BROWSE, C_OFF, 0, 60, 0 },
	{ TA_HISTORY, M_PLAY, { { FN(KEY_LEFT), -1 }, { FN(KEY_RIGHT), 1 } },
	  "{L} {R}", "earlier / later steps; act there to go back",
	  "{L}{R}", "history", NULL, M_LESSON, C_HISTORY, 0, 70, 0 },
	{ TA_HISTORY, 0, { { 0, 0 } }, NULL, NULL,
	  "{L}{R}", "earlier/later", NULL, M_BROWSE, 0, 0, 10, 0 },
	{ TA_LINES, M_PLAY, { { 'l', 0 } },
	  "l", "line stepping: pause at each line in generators",
	  "l", "lines", NULL, M_LESSON | M_BROWSE, 0, 0, 150, 0 },
	{ TA_LINES, 0, { { 0, 0 } }, NULL, NULL,
	  "l", "lines", "line stepping off", M_PAUSE, 0, C_LINE_STEP, 3, 0 },
	{ TA_NEXT_PAUSE, M_PAUSE, { ENTER_KEYS },
	  "Enter Space", "at a pause: the next one / run to the end",
	  "Enter", "next pause", NULL, M_PAUSE, 0, 0, 1, K_KEEP_PAUSE },
	{ TA_END_PAUSE, M_PAUSE, { { ' ', 0 } }, NULL, NULL,
	  "Space", "run to the end", NULL, M_PAUSE, 0, 0, 2, K_KEEP_PAUSE },
	{ TA_PREDICT, M_PLAY, { { 'p', 0 } },
	  "p", "predict mode: predict each driving step first",
	  "p", "predict", NULL, M_LESSON | M_BROWSE, 0, 0, 160, 0 },
	{ TA_EXERCISE, M_PLAY, { { 'e', 0 } },
	  "e", "the lesson's exercise: write code, run its checks",
	  "e", "exercise", NULL, M_LESSON | M_BROWSE, C_EXERCISE, 0, 25, 0 },
	{ TA_FOCUS, M_PLAY, { { '1', 0 }, { '2', 1 }, { '3', 2 }, { '4', 3 }, { '5', 4 }, { '6', 5 } },
	  "1-6", "focus Lesson Source Heap Channel Console Bytecode",
	  NULL, NULL, NULL, 0, 0, 0, 0, K_KEEP_PAUSE },
	{ TA_FOCUS_NEXT, M_PLAY, { { 'w', 0 } }, NULL, NULL,
	  NULL, NULL, NULL, 0, 0, 0, 0, K_KEEP_PAUSE },
	{ TA_SCROLL, M_PLAY, { { FN(KEY_UP), -1 }, { FN(KEY_DOWN), 1 }, { 'k', -1 }, { 'j', 1 } },
	  "{U} {D} PgUp PgDn", "scroll the focused pane",
	  NULL, NULL, NULL, 0, 0, 0, 0, K_KEEP_PAUSE },
	{ TA_SCROLL_PAGE, M_PLAY, { { FN(KEY_PPAGE), -1 }, { FN(KEY_NPAGE), 1 } }, NULL, NULL,
	  NULL, NULL, NULL, 0, 0, 0, 0, K_KEEP_PAUSE },
	{ TA_SCROLL_END, M_PLAY, { { FN(KEY_HOME), 0 }, { FN(KEY_END), 1 } }, NULL, NULL,
	  NULL, NULL, NULL, 0, 0, 0, 0, K_KEEP_PAUSE },
	{ TA_ZOOM, M_PLAY, { { 'z', 0 } },
	  "z", "zoom the focused pane to the whole screen",
	  "z", "zoom", "unzoom", M_LESSON | M_BROWSE, 0, C_ZOOMED, 120, K_KEEP_PAUSE },
	{ TA_BYTECODE, M_PLAY, { { 'd', 0 } },
	  "d h", "Bytecode pane / Channel as a timeline of hops",
	  "d", "bytecode", NULL, M_LESSON | M_BROWSE, 0, 0, 130, K_KEEP_PAUSE },
	{ TA_TIMELINE, M_PLAY, { { 'h', 0 } }, NULL, NULL,
	  "h", "timeline", NULL, M_LESSON | M_BROWSE, 0, 0, 155, K_KEEP_PAUSE },
	{ TA_HOP, M_LESSON | M_BROWSE, { { ',', -1 }, { '.', 1 } },
	  ", .", "the step's hops one by one; the panes follow",
	  ", .", "hop by hop", NULL, M_LESSON | M_BROWSE, C_TIMELINE, 0, 45, 0 },
	{ TA_INTERRUPT, 0, { { 3, 0 } },
	  "Ctrl-C", "stop lesson code that runs too long",
	  "Ctrl-C", "stop the running code", NULL, M_BUSY, 0, 0, 1, 0 },
	{ TA_HELP, M_PLAY, { { '?', 0 }, { FN(KEY_F(1)), 0 } },
	  "?", "this help",
	  "?", "help", NULL, M_PLAY, 0, 0, 100, K_KEEP_PAUSE },
	{ TA_LEAVE, M_PLAY, { { 'q', 0 } },
	  "q", "back to the lesson menu, or quit",
	  "q", "menu", "quit", M_LESSON | M_BROWSE, 0, C_FILE, 110, 0 },

	/* ---- The menu ---- */
	{ TA_MENU_MOVE, M_MENU, { { FN(KEY_UP), -1 }, { FN(KEY_DOWN), 1 }, { 'k', -1 }, { 'j', 1 } },
	  NULL, NULL, "{U}{D}", "choose", NULL, M_MENU, 0, 0, 1, 0 },
	{ TA_MENU_JUMP, M_MENU, { { FN(KEY_HOME), 0 }, { FN(KEY_END), 1 } },
	  NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ TA_MENU_OPEN, M_MENU, { ENTER_KEYS, { ' ', 0 } },
	  NULL, NULL, "Enter", "open", NULL, M_MENU, 0, 0, 2, 0 },
	{ TA_HELP, M_MENU, { { '?', 0 } },
	  NULL, NULL, "?", "help", NULL, M_MENU, 0, 0, 3, 0 },
	{ TA_EXIT, M_MENU, { { 'q', 0 } },
	  NULL, NULL, "q", "quit", NULL, M_MENU, 0, 0, 4, 0 },

	/* ---- Dialogs and the live flow: any key answers ---- */
	{ TA_HOP, M_ANIM, { { ',', -1 }, { '.', 1 } },
	  NULL, NULL, ", .", "hop by hop", NULL, M_ANIM, 0, 0, 2, 0 },
	{ TA_SKIP, M_ANIM, { { TK_ANY, 0 } },
	  NULL, NULL, "any key", "skips the live flow", NULL, M_ANIM, 0, 0, 1, 0 },
	{ TA_CLOSE, M_HELP, { { TK_ANY, 0 } },
	  NULL, NULL, "any key", "closes the help", NULL, M_HELP, 0, 0, 1, 0 },
	{ TA_EXIT, M_QUIT, { { 'y', 0 }, { 'Y', 0 }, { 'q', 0 } },
	  NULL, NULL, "y", "quit", NULL, M_QUIT, 0, 0, 1, 0 },
	{ TA_CLOSE, M_QUIT, { { TK_ANY, 0 } },
	  NULL, NULL, "n", "stay", NULL, M_QUIT, 0, 0, 2, 0 },
	{ TA_RESUME, M_RESUME, { ENTER_KEYS, { ' ', 0 }, { 'y', 0 } },
	  NULL, NULL, "Enter", "continue", NULL, M_RESUME, 0, 0, 1, 0 },
	{ TA_CLOSE, M_RESUME, { { TK_ANY, 0 } },
	  NULL, NULL, "Esc", "start over", NULL, M_RESUME, 0, 0, 2, 0 },
	{ TA_EX_EDIT, M_EXERCISE, { { 'e', 0 }, ENTER_KEYS },
	  NULL, NULL, "e", "edit and run", NULL, M_EXERCISE, 0, 0, 1, 0 },
	{ TA_EX_HINT, M_EXERCISE, { { 'h', 0 } },
	  NULL, NULL, "h", "hint", NULL, M_EXERCISE, 0, 0, 2, 0 },
	{ TA_EX_CHECKS, M_EXERCISE, { { 'k', 0 } },
	  NULL, NULL, "k", "show the checks", NULL, M_EXERCISE, 0, 0, 3, 0 },
	{ TA_CLOSE, M_EXERCISE, { { 27, 0 }, { 'q', 0 } },
	  NULL, NULL, "Esc", "back to the panes", NULL, M_EXERCISE, 0, 0, 4, 0 },
	{ TA_EXIT, M_SMALL, { { 'q', 0 }, { 'Q', 0 } },
	  NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },

	/* ---- The prompt's line editor (other characters are typed in) ---- */
	{ TA_PR_SUBMIT, M_PROMPT, { ENTER_KEYS },
	  NULL, NULL, "Enter", "run", NULL, M_PROMPT, C_PR_STATEMENT, 0, 1, 0 },
	{ TA_PR_SUBMIT, 0, { { 0, 0 } },
	  NULL, NULL, "Enter", "send", NULL, M_PROMPT, C_PR_SEND, 0, 1, 0 },
	{ TA_PR_SUBMIT, 0, { { 0, 0 } },
	  NULL, NULL, "Enter", "throw", NULL, M_PROMPT, C_PR_THROW, 0, 1, 0 },
	{ TA_PR_SUBMIT, 0, { { 0, 0 } },
	  NULL, NULL, "Enter", "see", NULL, M_PROMPT, C_PR_PREDICT, 0, 1, 0 },
	{ TA_PR_CANCEL, M_PROMPT, { { 27, 0 } },
	  NULL, NULL, "Esc", "cancel", NULL, M_PROMPT, 0, 0, 2, 0 },
	{ TA_PR_MOVE, M_PROMPT, { { FN(KEY_LEFT), -1 }, { FN(KEY_RIGHT), 1 } },
	  NULL, NULL, "{L}{R}", "move", NULL, M_PROMPT, 0, 0, 3, 0 },
	{ TA_PR_HISTORY, M_PROMPT, { { FN(KEY_UP), -1 }, { FN(KEY_DOWN), 1 } },
	  NULL, NULL, "{U}{D}", "history", NULL, M_PROMPT, 0, 0, 4, 0 },
	{ TA_PR_JUMP, M_PROMPT, { { FN(KEY_HOME), 0 }, { FN(KEY_END), 1 }, { 1, 0 }, { 5, 1 } },
	  NULL, NULL, "Home End", "jump", NULL, M_PROMPT, 0, 0, 5, 0 },
	{ TA_PR_BACKSPACE, M_PROMPT, { { FN(KEY_BACKSPACE), 0 }, { 127, 0 }, { 8, 0 } },
	  NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ TA_PR_DELETE, M_PROMPT, { { FN(KEY_DC), 0 } },
	  NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ TA_PR_CLEAR, M_PROMPT, { { 21, 0 } },
	  NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ TA_PR_CHOICE, M_PROMPT, { { '\t', 1 }, { FN(KEY_BTAB), -1 } },
	  NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};

const size_t tui_nkeys = sizeof tui_keys / sizeof tui_keys[0];

int tui_key_code(int key, unsigned ch)
{
	return key ? TK_FN + key : (int)ch;
}

const tui_key *tui_key_find(unsigned mode, int code, int *arg)
{
	size_t i, k;

	for (i = 0; i < tui_nkeys; i++) {
		const tui_key *r = &tui_keys[i];
		if (!(r->modes & mode))
			continue;
		for (k = 0; k < TK_MAXKEYS && r->keys[k].code; k++) {
			if (r->keys[k].code == code || r->keys[k].code == TK_ANY) {
				*arg = r->keys[k].arg;
				return r;
			}
		}
	}
	return NULL;
}

const char *tui_key_name(int code, char *buf, size_t n)
{
	static const struct {
		int code;
		const char *name;
	} names[] = {
		{ ' ', "Space" }, { ',', "Comma" }, { '.', "Period" }, { '\r', "Enter" }, { '\n', "Enter" }, { '\t', "Tab" },
		{ 27, "Esc" }, { 127, "Backspace" }, { 8, "Backspace" },
		{ FN(KEY_ENTER), "Enter" }, { FN(KEY_BTAB), "Shift-Tab" },
		{ FN(KEY_LEFT), "Left" }, { FN(KEY_RIGHT), "Right" },
		{ FN(KEY_UP), "Up" }, { FN(KEY_DOWN), "Down" },
		{ FN(KEY_PPAGE), "PgUp" }, { FN(KEY_NPAGE), "PgDn" },
		{ FN(KEY_HOME), "Home" }, { FN(KEY_END), "End" },
		{ FN(KEY_F(1)), "F1" }, { FN(KEY_BACKSPACE), "Backspace" },
		{ FN(KEY_DC), "Delete" }, { TK_ANY, "any key" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].code == code)
			return snprintf(buf, n, "%s", names[i].name), buf;
	if (code > 0 && code < 32)
		snprintf(buf, n, "Ctrl-%c", code + '@');
	else if (code > 32 && code < 127)
		snprintf(buf, n, "%c", code);
	else
		snprintf(buf, n, "key %d", code);
	return buf;
}

const char *tui_key_label(const char *s, char *buf, size_t n)
{
	size_t at = 0;

	buf[0] = '\0';
	while (*s && at + 1 < n) {
		const char *g = NULL;
		if (s[0] == '{' && s[1] && s[2] == '}') {
			g = s[1] == 'L' ? view_g->larrow : s[1] == 'R' ? view_g->rarrow :
			    s[1] == 'U' ? view_g->uarrow : s[1] == 'D' ? view_g->darrow : NULL;
		}
		if (g) {
			at += (size_t)snprintf(buf + at, n - at, "%s", g);
			s += 3;
		} else {
			buf[at++] = *s++;
			buf[at] = '\0';
		}
		if (at >= n)
			at = n - 1;
	}
	return buf;
}

size_t tui_key_bar(unsigned mode, unsigned have, tui_hint *out, size_t max)
{
	size_t n = 0, i;
	int rank, next = -1;

	/* Rows by rank, those of equal rank in table order: ranks are few, so
	 * each pass takes the smallest rank above the last. */
	for (rank = -1;; rank = next) {
		next = -1;
		for (i = 0; i < tui_nkeys; i++) {
			const tui_key *r = &tui_keys[i];
			if (!(r->bar_modes & mode) || !r->bar_keys || (r->bar_need & have) != r->bar_need)
				continue;
			if (r->rank > rank && (next < 0 || r->rank < next))
				next = r->rank;
		}
		if (next < 0)
			return n;
		for (i = 0; i < tui_nkeys && n < max; i++) {
			const tui_key *r = &tui_keys[i];
			if (!(r->bar_modes & mode) || !r->bar_keys || r->rank != next ||
			    (r->bar_need & have) != r->bar_need)
				continue;
			tui_key_label(r->bar_keys, out[n].key, sizeof out[n].key);
			out[n].what = r->alt_if && (r->alt_if & have) == r->alt_if ? r->bar_alt : r->bar;
			n++;
		}
	}
}
