/* lesson.h: a lesson file parsed into steps.
 *
 * A lesson is a CommonMark file (see docs/lesson-format.md). Parsing uses
 * cmark; this module never calls Python or curses.
 */
#ifndef YS_LESSON_H
#define YS_LESSON_H

#include <stdbool.h>
#include <stddef.h>

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
} drive_kind;

/* A statement of the form [NAME = ] next(G) | G.send(X) | G.throw(X) | G.close().
 * G is a label-like expression (names, attributes, subscripts). */
typedef struct {
	drive_kind kind;
	char *target;           /* G, NULL when kind is DRIVE_NONE */
	char *arg;              /* X for send and throw, else NULL */
	char *assign;           /* NAME when assigned, else NULL */
} lesson_drive;

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
	char *section;          /* the "## " heading in force, or NULL */
	bool predict;           /* a predict directive stands before it */
	lesson_drive drive;     /* statements only */
	int code_line;          /* code steps: line of its first line in the
	                           lesson's program (all code steps joined in
	                           order, numbered from 1) */
} lesson_step;

/* A fenced block that is shown and never run. */
typedef struct {
	char *info;             /* its info string, may be "" */
	char *text;
	int line;
	int before_step;        /* index of the step it precedes (nsteps at end) */
} lesson_shown;

typedef struct {
	char *path;             /* as given to lesson_load */
	char *title;            /* first "# " heading; the file name when none */
	lesson_step *steps;
	size_t nsteps;
	lesson_shown *shown;
	size_t nshown;
	char *program;          /* all code steps joined, each ending in '\n' */
	char *closing;          /* narration after the last step, or NULL */
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
