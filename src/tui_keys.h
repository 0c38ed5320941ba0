/* tui_keys.h: the terminal UI's one table of actions.
 *
 * Every key the program answers to is a row of tui_keys[]: the keys, the
 * action they perform (with an argument per key: Tab +1, Shift-Tab -1),
 * the modes where they apply, the help screen's text and the key bar's
 * label. Dispatch, the help screen and the key bar all read this table,
 * and tests/test_keys.c checks the man page's KEYS section against it,
 * so a key is added in one place (tig's request.h, htop's action table).
 *
 * The table itself needs curses' key codes; this header does not.
 */
#ifndef YS_TUI_KEYS_H
#define YS_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* A key code: a character as it is, a curses key (KEY_LEFT) plus TK_FN. */
#define TK_FN 0x1000000
#define TK_ANY (-1)             /* in a row's keys: any key at all */

/* Where the program is; a row applies in the modes of its mask. */
enum {
	M_MENU = 1 << 0,        /* the lesson menu */
	M_LESSON = 1 << 1,      /* a lesson, its latest state shown */
	M_BROWSE = 1 << 2,      /* a lesson, an earlier step shown */
	M_PAUSE = 1 << 3,       /* a lesson, a line-stepping pause shown */
	M_PROMPT = 1 << 4,      /* the prompt of s, t, : or a prediction */
	M_QUIT = 1 << 5,        /* "Quit yieldscope?" */
	M_RESUME = 1 << 6,      /* "Welcome back" */
	M_HELP = 1 << 7,        /* this table, on screen */
	M_BUSY = 1 << 8,        /* lesson code is running */
	M_ANIM = 1 << 9,        /* the live flow plays */
	M_SMALL = 1 << 10,      /* the screen is too small */
	M_EXERCISE = 1 << 11,   /* an exercise's dialog */
	M_PLAY = M_LESSON | M_BROWSE | M_PAUSE,
};

/* What is true now, for the key bar: a row shows only when all of its
 * bar_need bits are (bar_alt replaces its label when alt_if is). */
enum {
	C_NEXT_STEP = 1 << 0,   /* the script has a next step */
	C_SELECTED = 1 << 1,    /* a generator is selected */
	C_GENS = 1 << 2,        /* more than one generator shown */
	C_MORE_CARDS = 1 << 3,  /* the heap has more generators than cards */
	C_OFF = 1 << 4,         /* off script */
	C_HISTORY = 1 << 5,     /* steps were performed */
	C_FILE = 1 << 6,        /* started on a lesson file: q quits */
	C_ZOOMED = 1 << 7,
	C_PR_SEND = 1 << 8,     /* which prompt is open */
	C_PR_THROW = 1 << 9,
	C_PR_STATEMENT = 1 << 10,
	C_PR_PREDICT = 1 << 11,
	C_EXERCISE = 1 << 12,   /* the lesson offers an exercise here */
	C_TIMELINE = 1 << 15,   /* the Timeline is in view and the step has hops,
	                           or the step is held hop by hop */
	C_LOOP = 1 << 13,       /* an open asyncio loop is shown, named */
	C_LINE_STEP = 1 << 14,  /* line stepping is on */
};

typedef enum {
	TA_NONE,                /* a note on the help screen, no key */
	/* Playing a lesson. */
	TA_STEP,                /* the script's next step */
	TA_DRIVE,               /* arg: the drive_kind on the selected generator */
	TA_LOOP,                /* arg: the drive_kind of the event loop shown */
	TA_SELECT,              /* arg: +1 / -1 through the generators */
	TA_PAGE,                /* arg: +1 / -1 page of heap cards */
	TA_STATEMENT,           /* the ":" prompt */
	TA_REPLAY,
	TA_HISTORY,             /* arg: -1 earlier, +1 later */
	TA_LINES,               /* line stepping on / off */
	TA_NEXT_PAUSE,
	TA_END_PAUSE,
	TA_PREDICT,             /* predict mode on / off */
	TA_FOCUS,               /* arg: the pane */
	TA_FOCUS_NEXT,
	TA_SCROLL,              /* arg: lines */
	TA_SCROLL_PAGE,         /* arg: -1 / +1 pages */
	TA_SCROLL_END,          /* arg: 0 the top, 1 follow the pane's anchor */
	TA_ZOOM,
	TA_BYTECODE,
	TA_TIMELINE,            /* the Channel pane as a timeline, or back */
	TA_HOP,                 /* arg: -1 / +1 hop through the step shown */
	TA_HELP,
	TA_LEAVE,               /* back to the menu, or quit */
	TA_EXERCISE,            /* open the exercise the lesson offers here */
	TA_INTERRUPT,           /* Ctrl-C: stop running code, or ask to quit */
	/* The menu. */
	TA_MENU_MOVE,           /* arg: -1 / +1 */
	TA_MENU_JUMP,           /* arg: 0 the first, 1 the last */
	TA_MENU_OPEN,
	/* Dialogs. */
	TA_EXIT,                /* quit the program */
	TA_CLOSE,               /* close the dialog (the help, the quit dialog, resume) */
	TA_SKIP,                /* skip the live flow to its end */
	TA_RESUME,              /* replay up to where the lesson was left */
	/* An exercise's dialog. */
	TA_EX_EDIT,             /* edit the code, then run the checks */
	TA_EX_HINT,             /* the next hint */
	TA_EX_CHECKS,           /* show the checks */
	/* The prompt's line editor. */
	TA_PR_SUBMIT,
	TA_PR_CANCEL,
	TA_PR_MOVE,             /* arg: -1 / +1 */
	TA_PR_JUMP,             /* arg: 0 the start, 1 the end */
	TA_PR_HISTORY,          /* arg: -1 older, +1 newer */
	TA_PR_BACKSPACE,
	TA_PR_DELETE,
	TA_PR_CLEAR,
	TA_PR_CHOICE,           /* a prediction's answers: arg -1 / +1 */
} tui_action;

/* Row flags. */
enum {
	K_KEEP_PAUSE = 1 << 0,  /* only changes what is looked at: a pause stays */
};

#define TK_MAXKEYS 8

typedef struct {
	int code;               /* TK_FN + curses key, a character, or TK_ANY */
	int arg;
} tui_bind;

typedef struct {
	tui_action act;
	unsigned modes;         /* where the keys act (0: a label only) */
	tui_bind keys[TK_MAXKEYS];      /* ends at the first code 0 */
	const char *help_keys;  /* the keys as the help screen writes them;
	                           "{L}" "{R}" "{U}" "{D}" stand for arrows */
	const char *help;       /* the help screen's line; NULL: not there */
	const char *bar_keys;   /* the key bar's key label; NULL: not there */
	const char *bar, *bar_alt;
	unsigned bar_modes;     /* where the key bar shows it */
	unsigned bar_need, alt_if;      /* C_* bits */
	int rank;               /* order in the key bar, smallest first */
	unsigned flags;         /* K_* */
} tui_key;

extern const tui_key tui_keys[];
extern const size_t tui_nkeys;

/* The key code of a curses event: key a curses key code, 0 for the
 * character ch. */
int tui_key_code(int key, unsigned ch);

/* The row that acts on code in mode, with the key's argument in *arg;
 * NULL when no row does. */
const tui_key *tui_key_find(unsigned mode, int code, int *arg);

/* A key's name as the man page writes it ("Space", "Shift-Tab", "PgUp",
 * "Ctrl-C", "q"), in buf. */
const char *tui_key_name(int code, char *buf, size_t n);

/* s with "{L}" "{R}" "{U}" "{D}" replaced by the locale's arrows, in buf. */
const char *tui_key_label(const char *s, char *buf, size_t n);

/* A key of the key bar. */
typedef struct {
	char key[32];
	const char *what;
} tui_hint;

/* The key bar's hints in mode when the C_* bits of have are true, in the
 * table's rank order: fills up to max, returns how many. */
size_t tui_key_bar(unsigned mode, unsigned have, tui_hint *out, size_t max);

#endif
