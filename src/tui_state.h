/* tui_state.h: what the terminal UI shows of a lesson, without curses.
 *
 * The selection and what it was at each step, the page of heap cards,
 * the bytecode seen, line stepping's pauses, the action waiting for a
 * prediction, the step of the history shown and the live flow's frame.
 * tui.c keeps one and turns keys into calls here; tui_state_ctx() turns
 * it into the view_ctx the panes draw from. Unit-tested with a real
 * session (tests/test_tui_state.c).
 */
#ifndef YS_TUI_STATE_H
#define YS_TUI_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "session.h"
#include "view.h"

/* Bytecode of one generator's code, kept so that an earlier step shows
 * the bytecode it showed then even when the generator is gone. */
typedef struct {
	unsigned long long id;
	char *function, *filename;
	int first_line;
	engine_instr *instrs;
	long n;
} tui_code;

#define TUI_MAX_CODES 256

/* An action waiting for the learner's prediction. */
typedef enum { ACT_NONE, ACT_STEP, ACT_DRIVE } tui_act_kind;

typedef struct {
	tui_act_kind kind;
	drive_kind drive;
	char *target, *arg;
	char *statement;                /* what it will run, for the prompt */
} tui_pending;

typedef struct {
	session *ses;                   /* borrowed; NULL in the menu */
	size_t max_cards;               /* cards the engine describes a step */

	char *selected;                 /* label of the selected generator */
	size_t shown;                   /* entries shown (history browsing) */
	bool browsing;
	bool animate;                   /* play the live flow after a step */
	bool animating;
	size_t anim_events;
	/* Hop by hop (, and .): the step shown is held at the moment after
	 * its first anim_events hops, the live flow stopped. */
	bool scrubbing;
	bool show_bytecode;

	tui_code codes[TUI_MAX_CODES];  /* bytecode seen, oldest first */
	size_t ncodes;

	/* History: the selection as it was right after entry k-1 was done,
	 * so an earlier step shows the screen it showed; and the one chosen
	 * since, restored when the learner comes back to now. */
	char **sel_at;
	size_t sel_cap;
	char *live_sel;

	/* Line stepping (l): pause pause_at of the latest step is shown. */
	bool line_step;
	bool pausing;
	size_t pause_at;
	snap_step pause_snap;           /* the pause's generators (borrowed) */

	/* A heap with more generators than cards: [ and ] show the cards of
	 * page card_page (of max_cards each), fetched through the session. */
	size_t card_page;
	size_t page_count;              /* session_count() when fetched */
	snap_step page_snap;            /* the live state with that page's
	                                   cards (gens owned, the rest borrowed) */

	/* Predict, then see (p). */
	bool predict_mode;
	tui_pending pend;
	unsigned score0_right, score0_wrong;    /* before the first entry */
} tui_state;

/* Free what st owns and zero it but for max_cards and animate. */
void tui_state_clear(tui_state *st);
/* A lesson was opened on ses: nothing selected, the latest step shown. */
void tui_state_open(tui_state *st, session *ses);

/* Entries performed (0 in the menu). */
size_t tui_state_count(const tui_state *st);
/* The state shown: a pause, a page of cards, an earlier step or now. */
const snap_step *tui_state_shown(const tui_state *st);
/* The script position and off-script flag as they were after the first
 * n entries. */
void tui_state_past(const tui_state *st, size_t n, size_t *pos, bool *off);
/* Is the state shown off script? */
bool tui_state_off_script(const tui_state *st);
/* Back to the latest step. */
void tui_state_to_now(tui_state *st);

/* ---- Selection ---- */
/* Keep the selection on a generator that exists; prefer the one the next
 * scripted step drives (always when follow_script). */
void tui_state_fix_selection(tui_state *st, bool follow_script);
/* Remember the selection as the one after k entries / restore it. */
void tui_state_sel_remember(tui_state *st, size_t k);
void tui_state_sel_recall(tui_state *st, size_t k);
/* Tab: the next (dir +1) or previous generator shown. */
void tui_state_cycle(tui_state *st, int dir);
/* Select the generator of card tag (a heap line's tag: index + 1). */
void tui_state_select_card(tui_state *st, int tag);
void tui_state_select(tui_state *st, const char *label);

/* ---- History (Left, Right) ---- */
/* One step earlier (dir -1) or later (+1); returns false when there is
 * nowhere to go. */
bool tui_state_history(tui_state *st, int dir);

/* ---- Hop by hop (, .) ---- */
/* The step shown one hop earlier (dir -1) or later (+1): from its end,
 * the hop before its last (-1) or its first (+1); from the live flow,
 * the hop it plays, which stops. Past the last hop, the step's end.
 * Returns false when there is nowhere to go (no hops, a pause). */
bool tui_state_hop(tui_state *st, int dir);

/* ---- Pages of cards ([ ]) ---- */
/* The page dir pages away, live state only; selects its first card.
 * Returns false when nothing changed. */
bool tui_state_page_turn(tui_state *st, int dir);
/* After a step: the same page of the new state (the first when the heap
 * shrank below it). */
void tui_state_page_refresh(tui_state *st);

/* ---- Bytecode ---- */
/* Disassemble every generator of the live state not seen yet. */
void tui_state_code_fill(tui_state *st);

/* ---- Line stepping's pauses ---- */
/* Show the first pause of the latest step; false when it has none. */
bool tui_state_pause_start(tui_state *st);
/* The next pause; false when that was the last (the pause is ended). */
bool tui_state_pause_next(tui_state *st);
/* Leave the pauses for the end of the step. */
void tui_state_pause_end(tui_state *st);
/* Is the pause shown a callback pause (an event loop's, snapshot.h)? */
bool tui_state_loop_pause(const tui_state *st);
/* The next callback pause whose callback resumes the task of that id();
 * false (nothing changed) when none does. */
bool tui_state_pause_until(tui_state *st, unsigned long long task_id);

/* ---- Predict, then see ---- */
/* Does a drive of kind on the selection with arg match the script's next
 * step (so performing it keeps the learner on script)? */
bool tui_state_matches_script(const tui_state *st, drive_kind kind, const char *arg);
/* Should the learner predict this action's result first? */
bool tui_state_wants_prediction(const tui_state *st, tui_act_kind k, drive_kind kind,
                                const char *arg);
/* Make the action wait for a prediction. */
void tui_state_pend(tui_state *st, tui_act_kind k, drive_kind kind, const char *arg);
void tui_pending_clear(tui_pending *p);

/* ---- What the panes draw from ---- */
/* Fill c for the state shown, reading st only (a redraw runs no Python
 * and changes nothing). busy: lesson code is running. */
void tui_state_ctx(const tui_state *st, view_ctx *c, bool busy);

#endif
