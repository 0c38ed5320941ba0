/* lesson.h: a lesson file parsed into steps.
 *
 * A lesson is a CommonMark file (see docs/lesson-format.md). Parsing uses
 * cmark; this module never calls Python or curses.
 */
#ifndef YS_LESSON_H
#define YS_LESSON_H

#include <stdbool.h>
#include <stddef.h>

#include "narration.h"

typedef enum {
	LESSON_CODE,            /* a ```python block, run as module code */
	LESSON_STATEMENT,       /* one >>> statement of a ```pycon block */
} lesson_step_kind;

/* What a driving statement does to a generator. */
typedef enum {
	DRIVE_NONE,
	DRIVE_NEXT,             /* next(G) */
	DRIVE_SEND,             /* G.send(X) */
	DRIVE_THROW,            /* G.throw(X) */
	DRIVE_CLOSE,            /* G.close() */
	/* Stepping an asyncio event loop: ordinary statements, which the
	 * terminal UI offers as keys. */
	DRIVE_RUN_ONE,          /* L.run_one(): one callback of loop L */
	DRIVE_RUN_UNTIL,        /* L.run_until_resumes(T): until task T resumes */
	DRIVE_CANCEL,           /* T.cancel() or T.cancel(MSG) */
} drive_kind;

/* True for the drives of an event loop, false for those of a generator. */
#define DRIVE_ON_LOOP(k) ((k) >= DRIVE_RUN_ONE)

/* A statement of the form [NAME = ] next(G) | G.send(X) | G.throw(X) | G.close()
 * | L.run_one() | L.run_until_resumes(T) | T.cancel() | T.cancel(MSG).
 * G, L and T are label-like expressions (names, attributes, subscripts);
 * run_until_resumes keeps T in arg, cancel keeps T in target. */
typedef struct {
	drive_kind kind;
	char *target;           /* G, NULL when kind is DRIVE_NONE */
	char *arg;              /* X for send and throw, else NULL */
	char *assign;           /* NAME when assigned, else NULL */
} lesson_drive;

/* What a prediction is about
 * (<!-- yieldscope: predict [state G | line G | resumes | catches] -->). */
typedef enum {
	PREDICT_SHOWN,          /* what the step shows: printed text, value */
	PREDICT_STATE,          /* the state G is in after it */
	PREDICT_RESUME,         /* which generator it resumes first */
	PREDICT_LINE,           /* the line G pauses at after it */
	PREDICT_CATCH,          /* the frame that catches what it throws in */
	PREDICT_KINDS
} predict_kind;

/* A wrong answer to a prediction and the hint the lesson gives for it
 * (<!-- yieldscope: wrong ANSWER => HINT -->). */
typedef struct {
	char *answer;           /* matched under compare_match: "..." allowed */
	char *hint;
} lesson_wrong;

/* Panes a step may ask for on a small screen (panes directive). */
enum { EYE_CONSOLE = 1, EYE_HEAP = 2, EYE_CHANNEL = 4 };

/* What the select, highlight and panes directives before a step ask of
 * the screen while its narration is shown (docs/lesson-format.md). */
typedef struct {
	char *select;           /* select G: the generator selected, or NULL */
	char *card;             /* highlight card G: the card lit, or NULL */
	char *hop;              /* highlight hop G: the hop down into G, or NULL */
	int line;               /* highlight line N: the lesson file's line N
	                           lit in Source; 0 none */
	unsigned panes;         /* panes P...: EYE_* bits of the panes a small
	                           screen shows beside Source; 0 none */
} lesson_eye;

typedef struct {
	lesson_step_kind kind;
	char *source;           /* code, or the statement with the ">>> " and
	                           "... " prompts removed; ends without newline */
	int line;               /* lesson file line of the block's first code
	                           line, or of the ">>> " line */
	char *expected;         /* expected output lines, each ending in '\n'
	                           (may be ""); NULL for code steps */
	int expected_line;      /* file line of the first expected line */
	char *narration;        /* prose before this step since the last step,
	                           as Markdown source; NULL when none */
	narration *narr;        /* the same parsed into styled blocks, for
	                           the renderers; NULL when none */
	char *section;          /* the "## " heading in force, or NULL */
	bool predict;           /* a predict directive stands before it */
	predict_kind predict_kind;
	char *predict_target;   /* PREDICT_STATE, PREDICT_LINE: the label G */
	lesson_wrong *wrong;    /* the lesson's hints for wrong predictions
	                           (wrong directives), in the order written */
	size_t nwrong;
	lesson_drive drive;     /* statements only */
	int code_line;          /* code steps: line of its first line in the
	                           lesson's program (all code steps joined in
	                           order, numbered from 1) */
	int py_min, py_max;     /* a python directive's range of CPython
	                           versions, as 100 * major + minor (312),
	                           both inclusive; 0 and 0 when none */
	char *shared;           /* of a step with a python directive: the
	                           narration written before the directive,
	                           kept when the step is dropped; else NULL */
	lesson_eye eye;         /* where its narration points the eye */
} lesson_step;

/* A fenced block that is shown and never run. */
typedef struct {
	char *info;             /* its info string, may be "" */
	char *text;
	int line;
	int before_step;        /* index of the step it precedes (nsteps at end) */
} lesson_shown;

/* An exercise (<!-- yieldscope: exercise NAME -->, see
 * docs/lesson-format.md): the learner writes code that must pass checks. */
typedef struct {
	char *name;             /* the directive's word: what progress records */
	char *task;             /* the prose between the directive and the
	                           solution, as Markdown */
	char *start;            /* the starting code the learner edits */
	char *solution;         /* the reference solution: never shown */
	lesson_step *checks;    /* statements of the check block, each with its
	                           expected output */
	size_t nchecks;
	char **hints;           /* given one at a time, in this order */
	size_t nhints;
	int line;               /* of the directive */
	int start_line;         /* of the starting code's first line */
	int solution_line;      /* of the solution's first line */
	int before_step;        /* index of the step it precedes (nsteps at end):
	                           it can be tried once the steps before it ran */
} lesson_exercise;

typedef struct {
	char *path;             /* as given to lesson_load */
	char *title;            /* first "# " heading; the file name when none */
	lesson_step *steps;
	size_t nsteps;
	lesson_shown *shown;
	size_t nshown;
	char *program;          /* all code steps joined, each ending in '\n' */
	char *closing;          /* narration after the last step, or NULL */
	narration *closing_narr;        /* the same as styled blocks, or NULL */
	lesson_exercise *exercises;
	size_t nexercises;
} lesson;

/* A problem found in a lesson file: where and what. */
typedef struct {
	char path[512];
	int line;               /* 0 when the problem has no line (missing file) */
	char message[256];
} lesson_error;

/* Read and parse a lesson file. Returns a lesson the caller frees with
 * lesson_free, or NULL with *err filled: missing or unreadable file,
 * invalid UTF-8, an unterminated fence, ">>>" outside a pycon block,
 * output before the first ">>>" of a pycon block, an unknown directive,
 * a lesson without steps, or out of memory. */
lesson *lesson_load(const char *path, lesson_error *err);

/* The same on text already in memory (text need not be NUL-terminated);
 * path is only used in messages and stored in the lesson. */
lesson *lesson_parse(const char *path, const char *text, size_t len,
                     lesson_error *err);

/* lesson_load and lesson_parse keep every variant of a step (see "CPython
 * versions" below); these keep only those for CPython python ("3.12.1",
 * NULL: every variant), as lesson_select_python does, and fail when none
 * is left. main passes the embedded CPython's version. */
lesson *lesson_load_for(const char *path, const char *python, lesson_error *err);
lesson *lesson_parse_for(const char *path, const char *text, size_t len,
                         const char *python, lesson_error *err);

/* ---- Python files -------------------------------------------------------
 * lesson_load also opens a Python file: a path ending in ".py" becomes a
 * lesson of one code step, the whole file at its line 1, titled with the
 * file's name, whose narration says how to play freely once it has run
 * (the engine runs it as __main__, so its `if __name__ == "__main__":`
 * block runs too). Bytes are checked as for a lesson (UTF-8, no NUL). */

/* The same on text in memory; path gives the title and the messages. */
lesson *lesson_from_python(const char *path, const char *text, size_t len,
                           lesson_error *err);

/* Append one statement step to l, after its last step, with no expected
 * output (what --do adds). A driving statement (next(g), g.send(1)...)
 * becomes a driving step. Returns 0, or -1 when out of memory. */
int lesson_add_statement(lesson *l, const char *statement);

/* ---- CPython versions -----------------------------------------------------
 * A python directive (<!-- yieldscope: python 3.12+ -->) limits the next
 * ```python or ```pycon block to some CPython versions, so a lesson keeps
 * one variant of a version-dependent step per version. */

/* 100 * major + minor of a version string ("3.12.1" gives 312), or -1. */
int lesson_python_number(const char *version);

/* Keep only the steps meant for CPython version ("3.12.1"; major and
 * minor count): a dropped step's shared narration, predict flag and the
 * shown blocks before it pass to the next step kept (or to the closing
 * words), and code lines and the program are renumbered. Returns 0, or
 * -1 on a bad version or out of memory (l is then unchanged or, on
 * out of memory, still valid but maybe partly selected). */
int lesson_select_python(lesson *l, const char *version);

/* lesson_parse_drive telling "not a drive" (0, *out zeroed) from a drive
 * (1) and out of memory (-1). */
int lesson_scan_drive(const char *statement, lesson_drive *out);

/* Recognise a driving statement. Fills *out (strings owned by the caller,
 * freed with lesson_drive_clear) and returns true, or returns false and
 * leaves out->kind DRIVE_NONE. Returns false on allocation failure too. */
bool lesson_parse_drive(const char *statement, lesson_drive *out);
void lesson_drive_clear(lesson_drive *d);

/* The Python statement a drive performs: "next(t)", "t.send(6)",
 * "v = t.throw(ValueError)". Newly allocated; NULL when out of memory. */
char *lesson_drive_statement(const lesson_drive *d);

void lesson_free(lesson *l);

#endif
