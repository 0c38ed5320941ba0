/* view.h: the panes of the terminal UI and what they draw from.
 *
 * Each pane lives in its own view_*.c file and fills one view_ops table
 * (tig's struct view_ops). A pane never draws directly: it turns the
 * view_ctx (a snapshot, the lesson and the history, all read-only) into
 * styled lines, and tui.c puts those lines into the pane's box, scrolls,
 * clips and zooms them. So a pane can be tested with hand-made snapshot
 * data, and every pane scrolls and zooms the same way.
 *
 * Only tui*.c and view_*.c include curses; this header does not.
 */
#ifndef YS_VIEW_H
#define YS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "lesson.h"
#include "session.h"
#include "snapshot.h"
#include "text.h"

/* ---- Styles ---------------------------------------------------------------
 * A role says what a piece of text is; tui_draw.c maps it to colour and
 * attributes (or to attributes alone with NO_COLOR or a monochrome
 * terminal). Meaning is never carried by colour alone: every state is also
 * written out.
 */
typedef enum {
	R_NORMAL,
	R_DIM,
	R_BOLD,
	R_BORDER,
	R_BORDER_FOCUS,
	R_TITLE,
	R_TITLE_FOCUS,
	R_LINENO,
	R_CODE,                 /* inline code in narration, source text */
	R_RUN_LINE,             /* the line running during the live flow */
	R_MARK,                 /* "◀ t": a generator paused on this line */
	R_MARK_SEL,             /* the same for the selected generator */
	R_ERROR,
	R_GOOD,
	R_ST_CREATED,
	R_ST_RUNNING,
	R_ST_SUSPENDED,
	R_ST_CLOSED,
	R_SELECTED,             /* the selected generator's label */
	R_DOWN,                 /* a value going into a generator */
	R_UP,                   /* a value coming out */
	R_ACTION,               /* "press s to send 6 into cri" */
	R_KEY,                  /* a key name in the key bar */
	R_BAR,                  /* the key bar itself */
	R_PROMPT,               /* ">>> " */
	R_OFF,                  /* "off script" */
	R_HEADING,
	R_NROLES
} view_role;

/* The role of a generator state's badge. */
view_role view_state_role(snap_state st);

/* ---- Glyphs ---------------------------------------------------------------
 * The program's one glyph table (text.h), chosen at start for the locale.
 */
typedef ys_glyphs view_glyphs;

extern const view_glyphs *view_g;
/* Choose the glyphs for this locale: UTF-8 when utf8 is true. */
void view_glyphs_init(bool utf8);

/* ---- Styled lines -----------------------------------------------------------
 * What a pane produces: lines of segments, each a run of UTF-8 text in one
 * role. A line's tag lets a click find what it shows (the heap tags a
 * card's lines with the generator's index + 1).
 */
typedef struct {
	view_role role;
	char *text;
} view_seg;

typedef struct {
	view_seg *segs;
	size_t nsegs;
	int tag;
	view_role fill;         /* role of the rest of the line (R_NORMAL: none) */
	bool borrowed;          /* segs belong to a cache (view_narration's):
	                           vl_free leaves them, vl_add copies them first */
} view_line;

typedef struct {
	view_line *lines;
	size_t nlines;
	size_t cap;
	int anchor;             /* line to keep in view when not scrolled, -1 none */
	int anchor_end;         /* last line of the anchored block */
	int pin;                /* trailing lines kept at the bottom of the
	                           pane whatever the scroll */
	bool failed;            /* out of memory somewhere */
} view_lines;

/* Start a new line; returns it (NULL when out of memory, lines->failed set). */
view_line *vl_new(view_lines *v);
/* Append text in a role to the last line (starting one if none). */
void vl_add(view_lines *v, view_role role, const char *text);
void vl_addn(view_lines *v, view_role role, const char *text, size_t n);
void vl_printf(view_lines *v, view_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Pad the last line with spaces to display column col. */
void vl_pad_to(view_lines *v, int col);
/* Display width of the last line / of a string (text.h's width rule, in
 * the locale given to view_glyphs_init). */
int vl_width(const view_lines *v);
int view_strwidth(const char *s);
/* Cut s to at most width columns, ending in "…" when it was cut. Newly
 * allocated. */
char *view_fit(const char *s, int width);
/* An exception's "Type: message" (Type as CPython's traceback prints it,
 * "asyncio.exceptions.CancelledError") with the type's dotted prefix
 * dropped: "CancelledError", the message kept. Newly allocated. */
char *view_exception_short(const char *exc);
/* before, exc (a thrown or raised exception's "Type: message") and after
 * in at most width columns: the whole text when it fits; else with the
 * type shortened (view_exception_short), then cut with "…". The class
 * name is what a learner needs first; the full name is in the JSON and
 * in the rows that show a value whole. Newly allocated. */
char *view_fit_exception(const char *before, const char *exc, const char *after,
                         int width);
/* n bytes of s with tabs turned to spaces (stops every 8 columns), so
 * widths are what the screen shows. Newly allocated. */
char *view_expand_tabs(const char *s, size_t n);
/* Append s to the last line, broken at width columns as a terminal
 * breaks it (every character kept, spaces included); continuation lines
 * start after indent columns. */
void vl_break(view_lines *v, view_role role, const char *s, int width, int indent);
/* vl_break, but a row that a space ends in its second half breaks after
 * that space: every character kept, words whole where they can be (a
 * value shown whole across rows). */
void vl_break_words(view_lines *v, view_role role, const char *s, int width, int indent);
/* Append text word-wrapped at width, continuing the last line; continuation
 * lines start with indent spaces. */
void vl_wrap(view_lines *v, view_role role, const char *text, int width, int indent);
void vl_free(view_lines *v);

/* ---- What the panes read ----------------------------------------------------- */

/* The stack replayed from a step's events during the live flow. */
typedef struct {
	const char *labels[16];  /* bottom first; borrowed from the snapshot */
	unsigned long long ids[16];     /* of the generators: snap_event.id */
	const char *functions[16];
	int lines[16];
	const char *callers[16]; /* the ordinary functions below each generator
	                            frame ("run tick"), or NULL: snap_event */
	const snap_event *resumes[16];  /* the hop that put each frame on the
	                            stack (its locals then), or NULL */
	bool fresh[16];          /* that hop is the last so far: nothing has run
	                            since, its locals are the frame's now */
	int depth;               /* generator frames on the stack above <module> */
} view_stack;

typedef struct {
	const lesson *lesson;           /* NULL in the menu */
	const snap_step *snap;          /* the state shown (never NULL) */
	size_t card_offset;             /* index of snap->gens[0] among all the
	                                   generators (a later page of cards) */
	const session_entry *hist;      /* entries up to the one shown */
	size_t nhist;
	size_t script_pos;              /* next scripted step */
	bool off_script;
	bool browsing;                  /* looking at an older entry */
	bool busy;                      /* a step is running */
	const char *selected;           /* label of the selected generator */
	const char *program_file;       /* filename code steps are compiled
	                                   under; NULL when unknown */
	/* Live flow: events [0, anim_events) of the last step have happened.
	 * anim_events == snap->nevents (or animating false) shows the end. */
	bool animating;
	size_t anim_events;
	/* The learner holds the step at that moment, hop by hop (, .): the
	 * live flow is not playing. */
	bool scrubbing;
	/* Bytecode of the selected generator, fetched by tui.c. */
	const engine_instr *instrs;
	long ninstrs;
	const char *python_version;
	/* Line stepping: pause pause_index (of npauses) inside the step of
	 * `running` is shown. snap then holds the generators as they were at
	 * that moment (those on the stack RUNNING) and the step's events; hist
	 * ends before `running`, whose result is not known yet. animating is
	 * set with anim_events the hops so far, for the Channel. */
	const snap_pause *pause;
	size_t pause_index, npauses;
	const session_entry *running;
	const snap_step *chain_snap;    /* the step's result, for the Channel */
	/* The bytecode shown is of the running frame's code, which has no
	 * label (a generator the namespace cannot reach while it runs): its
	 * function name; the pane marks the instruction by the frame's line. */
	const char *code_of;
	/* Predict, then see. */
	bool predict_mode;              /* p: predict every driving step */
	unsigned score_right, score_wrong;      /* as of the state shown */
} view_ctx;

/* Is g's code part of the lesson program (so its line is a program line)? */
bool view_in_program(const view_ctx *c, const snap_gen *g);
/* Is l a Python file played freely (not a lesson): every action is the
 * learner's own, so none is "off script" and there is no end to reach. */
bool view_free_play(const lesson *l);
/* The Source pane's line (a lesson file line) of code of filename at
 * line, or -1 when that code is not the lesson's. */
int view_program_line(const view_ctx *c, const char *filename, int line);
/* Does the step of the next scripted step ask for a prediction? */
bool view_asks_prediction(const view_ctx *c, const lesson_step *st);
/* The state g is in at the moment of the live flow shown (events
 * [0, anim_events) of the step have happened), not at the step's end;
 * g->state when no flow plays (or at a pause, whose cards are its own). */
snap_state view_state_now(const view_ctx *c, const snap_gen *g);
/* The locals g's card shows at that moment (view_moment.c): its frame's
 * at its last hop so far, else as the step found it (the card after the
 * step before, or the arguments a first start finds), else, when its
 * frame does not run in the step, its own. Returns false when the hops
 * do not say (only the first hops of a step carry locals): *locals are
 * then the step's end's, to be shown as such. */
bool view_locals_now(const view_ctx *c, const snap_gen *g, const snap_local **locals,
                     size_t *n);
/* The line g's frame is at then: at its last hop so far, else where its
 * first hop to come finds it (0 when the hop does not know it); -1 when
 * that is the step's end (no hop of g is to come), whose line and f_lasti
 * are g's own. */
int view_line_now(const view_ctx *c, const snap_gen *g);
/* The state after the step before the one shown (its result), or NULL
 * for the first. */
const snap_step *view_step_before(const view_ctx *c);
/* Is p, a card of view_step_before(), a generator gone by the end of the
 * step shown that the moment shown must still show? It has hops still to
 * come, or the one just shown was its last. */
bool view_departed(const view_ctx *c, const snap_gen *p);
/* What the directives of the step whose narration is shown ask of the
 * screen (select, highlight, panes), or NULL: none, or no lesson. */
const lesson_eye *view_eye(const view_ctx *c);
/* Replay events [0, n) of st into a stack. */
void view_replay_stack(const snap_step *st, size_t n, view_stack *out);
/* The key and verb of a drive: 'n' "next", 's' "send", ... */
char view_drive_key(drive_kind k);

/* ---- Panes ------------------------------------------------------------------- */

typedef struct view_ops {
	const char *name;               /* "Source": the box title */
	char key;                       /* digit that focuses it */
	/* Fill v with the pane's lines for a content area width columns wide
	 * and height lines high; set v->anchor to the line that should stay
	 * in view. */
	void (*lines)(const view_ctx *c, int width, int height, view_lines *v);
	/* Extra text for the box title ("3.11.2"), may be NULL. */
	const char *(*subtitle)(const view_ctx *c);
	/* Where the pane starts when it was not scrolled: anchor at the top
	 * (false) or the end at the bottom (true, the console). */
	bool stick_bottom;
} view_ops;

extern const view_ops view_lesson_ops;
extern const view_ops view_source_ops;
extern const view_ops view_heap_ops;

/* The Tasks section (view_tasks.c): the clock and the tasks of the event
 * loop of c->snap, appended to v; nothing when it used none. At a
 * callback pause, the task its callback resumes "runs next". */
void view_tasks_lines(const view_ctx *c, int width, view_lines *v);
/* At a callback pause (c->pause->loop): what the loop is about to run,
 * and the keys that go on, for the Lesson pane's pinned lines. */
void view_tasks_pause_lines(const view_ctx *c, int width, view_lines *v);
/* The head of a pause in the Lesson pane: " KIND 3/12 " and what happens
 * there (what, bold, wrapped at width), then a line that starts
 * "▶ Enter: next NEXT", for the caller to go on with its other keys. */
void view_pause_head(view_lines *v, const char *kind, size_t at, size_t n,
                     const char *what, const char *next, int width);
extern const view_ops view_channel_ops;
/* The Channel's other face: the step's hops as a sequence diagram. */
extern const view_ops view_timeline_ops;
/* What a hop carried, as the Channel and the Timeline write it: "▼
 * send(4)", "▲ yield 'x'", "▲ raise KeyError", in at most width columns
 * (view_fit_exception's rule for a thrown or raised exception); role set
 * to its colour. Newly allocated. */
char *view_hop_fit(const snap_event *e, view_role *role, int width);
extern const view_ops view_console_ops;
extern const view_ops view_bytecode_ops;

/* Narration rendered for the terminal (narration.h's blocks): emphasis
 * markers gone, `code` in R_CODE, list items on their own lines,
 * paragraphs wrapped at width, with a blank line where the source has one
 * when gaps is true. */
void view_narration(view_lines *v, const narration *n, int width, bool gaps);
/* The number of lines view_narration would append. Wrapping is done once
 * per narration and width and kept: a 200 MB lesson is not wrapped again
 * at every redraw. The lines view_narration appends are borrowed from that
 * cache, valid until a call for another narration or width. */
size_t view_narration_count(const narration *n, int width, bool gaps);

/* The next action for step st as the learner should do it:
 * "press s to send 6 into cri", "press Space to run  t = tickets(1, 3)".
 * Newly allocated. */
char *view_action_text(const lesson_step *st);

#endif
