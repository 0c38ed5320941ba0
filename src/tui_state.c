/* tui_state.c: what the terminal UI shows of a lesson (see tui_state.h).
 * No curses here: every function is a plain change of state, or a read. */
#include "config.h"

#include <string.h>

#include "tui_state.h"
#include "util.h"

static const snap_step empty_snap;

static void code_clear(tui_state *st);
static void sel_clear(tui_state *st);
static void page_clear(tui_state *st);

void tui_state_clear(tui_state *st)
{
	size_t max_cards = st->max_cards;
	bool animate = st->animate, show_bytecode = st->show_bytecode;
	bool line_step = st->line_step, predict_mode = st->predict_mode;

	page_clear(st);
	code_clear(st);
	sel_clear(st);
	tui_pending_clear(&st->pend);
	ys_free(st->selected);
	ys_free(st->live_sel);
	memset(st, 0, sizeof *st);
	st->max_cards = max_cards;
	st->animate = animate;
	/* The learner's modes outlast a lesson. */
	st->show_bytecode = show_bytecode;
	st->line_step = line_step;
	st->predict_mode = predict_mode;
}

void tui_state_open(tui_state *st, session *ses)
{
	tui_state_clear(st);
	st->ses = ses;
	session_set_line_stepping(ses, st->line_step);
}

size_t tui_state_count(const tui_state *st)
{
	return st->ses ? session_count(st->ses) : 0;
}

void tui_state_to_now(tui_state *st)
{
	st->browsing = false;
	st->shown = tui_state_count(st);
}

/* ---- Pages of cards ------------------------------------------------------------
 * The engine describes the first max_cards generators of each step; a heap
 * of a hundred thousand is looked through a page of cards at a time, each
 * page fetched when it is asked for, so the cost follows what is shown.
 */
static bool page_live(const tui_state *st)
{
	return st->card_page > 0 && st->ses && st->page_count == session_count(st->ses);
}

static void page_clear(tui_state *st)
{
	engine_cards_free(st->page_snap.gens, st->page_snap.ngens);
	memset(&st->page_snap, 0, sizeof st->page_snap);
	st->card_page = 0;
}

static size_t per_page(const tui_state *st)
{
	return st->max_cards ? st->max_cards : 1;
}

/* Show page `page` of the live state's cards (0: the engine's own first
 * cards). Returns false when it could not be fetched. */
static bool page_show(tui_state *st, size_t page)
{
	const snap_step *live = session_state(st->ses);
	size_t per = per_page(st);
	snap_gen *gens;
	size_t n;

	if (page == 0) {
		page_clear(st);
		return true;
	}
	if (session_cards(st->ses, page * per, per, &gens, &n) < 0 || n == 0) {
		engine_cards_free(gens, n);
		return false;
	}
	page_clear(st);
	st->page_snap = *live;
	st->page_snap.gens = gens;
	st->page_snap.ngens = n;
	st->card_page = page;
	st->page_count = session_count(st->ses);
	return true;
}

bool tui_state_page_turn(tui_state *st, int dir)
{
	const snap_step *live, *shown;
	size_t per = per_page(st), pages, page;

	if (!st->ses || st->browsing || st->pausing)
		return false;
	live = session_state(st->ses);
	if (live->total_gens <= live->ngens)
		return false;
	pages = (live->total_gens + per - 1) / per;
	page = page_live(st) ? st->card_page : 0;
	if (dir < 0 && page > 0)
		page--;
	else if (dir > 0 && page + 1 < pages)
		page++;
	if (!page_show(st, page))
		return false;
	shown = page ? &st->page_snap : live;
	ys_set_str(&st->selected, shown->ngens ? shown->gens[0].label : NULL);
	return true;
}

void tui_state_page_refresh(tui_state *st)
{
	if (st->card_page > 0 && !page_live(st) && !page_show(st, st->card_page))
		page_clear(st);
}

/* ---- What is shown ---------------------------------------------------------------- */

const snap_step *tui_state_shown(const tui_state *st)
{
	if (!st->ses)
		return &empty_snap;
	if (st->pausing)
		return &st->pause_snap;
	if (!st->browsing)
		return page_live(st) ? &st->page_snap : session_state(st->ses);
	if (st->shown == 0)
		return &empty_snap;
	return &session_entry_at(st->ses, st->shown - 1)->result;
}

void tui_state_past(const tui_state *st, size_t n, size_t *pos, bool *off)
{
	size_t i;

	*pos = 0;
	*off = false;
	for (i = 0; i < n; i++) {
		const session_entry *e = session_entry_at(st->ses, i);
		if (e->origin == ENTRY_SCRIPT)
			*pos = e->step + 1;
		else
			*off = true;
	}
}

bool tui_state_off_script(const tui_state *st)
{
	size_t pos;
	bool off = st->ses && session_off_script(st->ses);

	if (st->ses && st->browsing)
		tui_state_past(st, st->shown, &pos, &off);
	return off;
}

/* ---- Bytecode, kept per generator ------------------------------------------------ */

static bool same_code(const tui_code *cb, const snap_gen *g)
{
	return cb->id == g->id && cb->first_line == g->first_line &&
	       cb->function && g->function && strcmp(cb->function, g->function) == 0 &&
	       cb->filename && g->filename && strcmp(cb->filename, g->filename) == 0;
}

static const tui_code *code_find(const tui_state *st, const snap_gen *g)
{
	size_t i;

	for (i = 0; g && i < st->ncodes; i++)
		if (same_code(&st->codes[i], g))
			return &st->codes[i];
	return NULL;
}

static void code_drop_oldest(tui_state *st)
{
	tui_code *cb = &st->codes[0];

	ys_free(cb->function);
	ys_free(cb->filename);
	engine_instrs_free(cb->instrs, cb->n);
	memmove(st->codes, st->codes + 1, (st->ncodes - 1) * sizeof *st->codes);
	st->ncodes--;
}

/* Generators are named by their labels, which only the live state's are
 * valid for. */
void tui_state_code_fill(tui_state *st)
{
	const snap_step *live;
	size_t i;

	if (!st->ses || !st->show_bytecode)
		return;
	live = session_state(st->ses);
	for (i = 0; i < live->ngens; i++) {
		const snap_gen *g = &live->gens[i];
		tui_code *cb;
		engine_instr *in = NULL;
		long n;

		if (!g->label || g->state == SNAP_CLOSED || code_find(st, g))
			continue;
		n = session_disassemble(st->ses, g->label, &in);
		if (n < 0)
			continue;
		if (st->ncodes == TUI_MAX_CODES)
			code_drop_oldest(st);
		cb = &st->codes[st->ncodes++];
		cb->id = g->id;
		cb->first_line = g->first_line;
		cb->function = ys_strdup(g->function);
		cb->filename = ys_strdup(g->filename);
		cb->instrs = in;
		cb->n = n;
	}
}

static void code_clear(tui_state *st)
{
	while (st->ncodes)
		code_drop_oldest(st);
}

/* The code of the running frame f: that of any generator of its function
 * seen before (its label may not evaluate any more once the step ran). */
static const tui_code *code_of_frame(const tui_state *st, const snap_frame *f)
{
	size_t i;

	for (i = st->ncodes; i > 0; i--) {
		const tui_code *cb = &st->codes[i - 1];
		if (cb->function && f->function && strcmp(cb->function, f->function) == 0 &&
		    cb->filename && f->filename && strcmp(cb->filename, f->filename) == 0)
			return cb;
	}
	return NULL;
}

/* ---- Selection ------------------------------------------------------------------------ */

void tui_state_select(tui_state *st, const char *label)
{
	ys_set_str(&st->selected, label);
}

void tui_state_sel_remember(tui_state *st, size_t k)
{
	if (k >= st->sel_cap) {
		size_t cap = st->sel_cap ? st->sel_cap : 64, i;
		char **v;
		while (cap <= k)
			cap *= 2;
		v = ys_realloc(st->sel_at, cap * sizeof *v);
		if (!v)
			return;
		for (i = st->sel_cap; i < cap; i++)
			v[i] = NULL;
		st->sel_at = v;
		st->sel_cap = cap;
	}
	ys_set_str(&st->sel_at[k], st->selected);
}

/* The first generator shown, or none. */
static void select_first(tui_state *st, const snap_step *shown)
{
	ys_set_str(&st->selected, shown->ngens && shown->gens[0].label ? shown->gens[0].label : NULL);
}

/* For entries never shown (replayed on resuming) the selection is the one
 * the script would have chosen. */
void tui_state_sel_recall(tui_state *st, size_t k)
{
	const snap_step *shown = tui_state_shown(st);
	const lesson *l;
	size_t pos;
	bool off;

	if (k < st->sel_cap && st->sel_at[k]) {
		ys_set_str(&st->selected, st->sel_at[k]);
		return;
	}
	tui_state_past(st, k, &pos, &off);
	l = session_lesson(st->ses);
	if (pos < l->nsteps && l->steps[pos].drive.kind != DRIVE_NONE &&
	    snap_find(shown, l->steps[pos].drive.target)) {
		ys_set_str(&st->selected, l->steps[pos].drive.target);
		return;
	}
	if (st->selected && snap_find(shown, st->selected))
		return;
	select_first(st, shown);
}

static void sel_clear(tui_state *st)
{
	size_t i;

	for (i = 0; i < st->sel_cap; i++)
		ys_free(st->sel_at[i]);
	ys_free(st->sel_at);
	st->sel_at = NULL;
	st->sel_cap = 0;
}

/* Select what the step drove (its first hop into a live generator), else
 * the first live card; false when every generator shown is closed. */
static bool follow_live(tui_state *st, const snap_step *shown)
{
	const snap_gen *g;
	size_t i;

	for (i = 0; i < shown->nevents; i++) {
		g = shown->events[i].label ? snap_find(shown, shown->events[i].label) : NULL;
		if (g && g->state != SNAP_CLOSED) {
			ys_set_str(&st->selected, g->label);
			return true;
		}
	}
	for (i = 0; i < shown->ngens; i++) {
		g = &shown->gens[i];
		if (g->label && g->state != SNAP_CLOSED) {
			ys_set_str(&st->selected, g->label);
			return true;
		}
	}
	return false;
}

/* Did the step resume live generators, sel not among them? Then the
 * selection follows the step (a function the lesson called advanced a
 * generator it made) rather than stay where it was. */
static bool drove_other(const snap_step *shown, const snap_gen *sel)
{
	bool other = false;
	size_t i;

	for (i = 0; i < shown->nevents; i++) {
		const snap_event *e = &shown->events[i];
		const snap_gen *g = e->label ? snap_find(shown, e->label) : NULL;
		if (e->event != SNAP_EV_RESUME || !g)
			continue;
		if (g == sel)
			return false;
		if (g->state != SNAP_CLOSED)
			other = true;
	}
	return other;
}

/* Was sel, closed after the latest step, closed already before it (so
 * the step did not close it: a close() of a generator never started runs
 * no frame, and leaves no hop)? */
static bool closed_before(const tui_state *st, const snap_gen *sel)
{
	size_t n = tui_state_count(st), i;
	const snap_step *before;

	if (st->browsing || st->pausing || n < 2)
		return false;
	before = &session_entry_at(st->ses, n - 2)->result;
	for (i = 0; i < before->ngens; i++)
		if (before->gens[i].id == sel->id)
			return before->gens[i].state == SNAP_CLOSED;
	return false;
}

/* Select the task the step's loop resumed, else the first listed task
 * not finished, when it has a label; false when none has. */
static bool follow_task(tui_state *st, const snap_step *shown)
{
	size_t i;

	for (i = 0; shown->resumed_task && i < shown->ntasks; i++)
		if (shown->tasks[i].id == shown->resumed_task_id && shown->tasks[i].label) {
			ys_set_str(&st->selected, shown->tasks[i].label);
			return true;
		}
	for (i = 0; i < shown->ntasks; i++)
		if (shown->tasks[i].label && (strcmp(shown->tasks[i].state, "pending") == 0 ||
		                              strcmp(shown->tasks[i].state, "running") == 0)) {
			ys_set_str(&st->selected, shown->tasks[i].label);
			return true;
		}
	return false;
}

void tui_state_fix_selection(tui_state *st, bool follow_script)
{
	const snap_step *shown = tui_state_shown(st);
	const lesson_step *next = st->ses ? session_next_step(st->ses) : NULL;
	const char *target = next && next->drive.kind != DRIVE_NONE ? next->drive.target : NULL;

	const snap_gen *sel;

	/* The lesson's select directive: its narration is about that one. */
	if (follow_script && next && next->eye.select && snap_find(shown, next->eye.select)) {
		ys_set_str(&st->selected, next->eye.select);
		return;
	}
	if (follow_script && target && snap_find(shown, target)) {
		ys_set_str(&st->selected, target);
		return;
	}
	sel = st->selected ? snap_find(shown, st->selected) : NULL;
	if (sel && sel->state != SNAP_CLOSED && !drove_other(shown, sel))
		return;
	if (!sel && snap_find_task(shown, st->selected))
		return;
	/* The selection does not stay on a finished generator while the step
	 * drove or created a live one. */
	if (follow_live(st, shown))
		return;
	/* A generator closed before this step, which did not run it, is not
	 * what the step is about: a task it ran, or nothing. */
	if (sel && sel->state == SNAP_CLOSED && closed_before(st, sel)) {
		if (!follow_task(st, shown))
			ys_set_str(&st->selected, NULL);
		return;
	}
	if (sel)
		return;
	if (target && snap_find(shown, target)) {
		ys_set_str(&st->selected, target);
		return;
	}
	/* With nothing selected, the first card, unless that is a generator
	 * closed before this step too: the rule above would let it go again
	 * at the next step, and the selection would blink on and off. */
	if (shown->ngens && shown->gens[0].state == SNAP_CLOSED &&
	    closed_before(st, &shown->gens[0]))
		return;
	select_first(st, shown);
}

/* The i-th label Tab goes through: the generators' cards, then the
 * asyncio tasks listed (u and x act on a selected task). */
static const char *nth_label(const snap_step *shown, size_t i)
{
	return i < shown->ngens ? shown->gens[i].label : shown->tasks[i - shown->ngens].label;
}

void tui_state_cycle(tui_state *st, int dir)
{
	const snap_step *shown = tui_state_shown(st);
	size_t i, n = shown->ngens + shown->ntasks, at;

	if (n == 0)
		return;
	/* From no selection, Tab takes the first and Shift-Tab the last. */
	at = dir > 0 ? n - 1 : 0;
	for (i = 0; i < n; i++)
		if (st->selected && nth_label(shown, i) && strcmp(nth_label(shown, i), st->selected) == 0)
			at = i;
	/* Tasks without a label (done ones the lesson does not name) are
	 * passed over. */
	for (i = 0; i < n; i++) {
		at = (at + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
		if (nth_label(shown, at))
			break;
	}
	ys_set_str(&st->selected, nth_label(shown, at));
}

void tui_state_select_card(tui_state *st, int tag)
{
	const snap_step *shown = tui_state_shown(st);

	if (tag > 0 && (size_t)tag <= shown->ngens && shown->gens[tag - 1].label)
		ys_set_str(&st->selected, shown->gens[tag - 1].label);
}

/* ---- History ------------------------------------------------------------------------------ */

bool tui_state_history(tui_state *st, int dir)
{
	if (dir < 0) {
		if (!st->browsing) {
			st->shown = tui_state_count(st);
			if (st->shown == 0)
				return false;
			st->browsing = true;
			ys_set_str(&st->live_sel, st->selected);
		}
		if (st->shown > 0)
			st->shown--;
	} else {
		if (!st->browsing)
			return false;
		if (++st->shown >= tui_state_count(st)) {
			tui_state_to_now(st);
			st->animating = false;
			st->scrubbing = false;
			ys_set_str(&st->selected, st->live_sel);
			return true;
		}
	}
	st->animating = false;
	st->scrubbing = false;
	tui_state_sel_recall(st, st->shown);
	return true;
}

/* ---- Hop by hop ------------------------------------------------------------------- */

bool tui_state_hop(tui_state *st, int dir)
{
	size_t n = st->ses ? tui_state_shown(st)->nevents : 0;
	bool playing = st->animating && !st->browsing;
	size_t at = st->scrubbing || playing ? st->anim_events : n;

	if (n == 0 || st->pausing || (dir < 0 && at == 0 && !playing))
		return false;
	if (dir > 0 && at >= n)
		at = 0;         /* from the end: the step's first hop */
	/* The live flow at its very start stops there. */
	at = dir > 0 ? at + 1 : at > 0 ? at - 1 : 0;
	st->animating = false;
	st->scrubbing = at < n;
	st->anim_events = at;
	return true;
}

/* ---- Line stepping's pauses ------------------------------------------------------- */

/* Show pause st->pause_at of the latest step. The selection follows the
 * running generator. */
static void pause_show(tui_state *st)
{
	const snap_step *res = session_state(st->ses);
	const snap_pause *p = &res->pauses[st->pause_at];

	memset(&st->pause_snap, 0, sizeof st->pause_snap);
	st->pause_snap.gens = p->gens;
	st->pause_snap.ngens = p->ngens;
	st->pause_snap.events = res->events;
	st->pause_snap.nevents = res->nevents;
	/* Inside a running loop the Tasks section draws from it. */
	if (p->loop)
		snap_loop_borrow(p->loop, &st->pause_snap);
	if (p->kind == SNAP_PAUSE_CALLBACK && p->loop) {
		/* The selection follows the task the callback resumes. */
		size_t i;

		for (i = 0; i < p->loop->ntasks; i++) {
			const snap_task *t = &p->loop->tasks[i];

			/* Else the task the callback is for (a sleep's timer). */
			if (t->id == p->loop->next_task_id ||
			    (!p->loop->next_task_id && p->loop->next.task && t->name &&
			     strcmp(t->name, p->loop->next.task) == 0))
				ys_set_str(&st->selected, t->label);
		}
		return;
	}
	if (p->nstack > 0 && p->stack[p->nstack - 1].label &&
	    snap_find(&st->pause_snap, p->stack[p->nstack - 1].label)) {
		ys_set_str(&st->selected, p->stack[p->nstack - 1].label);
	} else if (p->loop) {
		/* A line of a task's coroutine, which no card shows: the
		 * selection follows the task running it. */
		size_t i;

		for (i = 0; i < p->loop->ntasks; i++)
			if (p->loop->tasks[i].state && p->loop->tasks[i].label &&
			    strcmp(p->loop->tasks[i].state, "running") == 0)
				ys_set_str(&st->selected, p->loop->tasks[i].label);
	}
}

bool tui_state_pause_start(tui_state *st)
{
	if (!st->ses || session_state(st->ses)->npauses == 0 || session_count(st->ses) == 0)
		return false;
	st->animating = false;
	st->scrubbing = false;
	st->pausing = true;
	st->pause_at = 0;
	pause_show(st);
	return true;
}

void tui_state_pause_end(tui_state *st)
{
	if (!st->pausing)
		return;
	st->pausing = false;
	tui_state_sel_recall(st, tui_state_count(st));
	tui_state_to_now(st);
}

bool tui_state_pause_next(tui_state *st)
{
	if (st->pause_at + 1 >= session_state(st->ses)->npauses) {
		tui_state_pause_end(st);
		return false;
	}
	st->pause_at++;
	pause_show(st);
	return true;
}

bool tui_state_loop_pause(const tui_state *st)
{
	const snap_step *res = st->pausing ? session_state(st->ses) : NULL;

	return res && st->pause_at < res->npauses &&
	       res->pauses[st->pause_at].kind == SNAP_PAUSE_CALLBACK;
}

bool tui_state_pause_until(tui_state *st, unsigned long long task_id)
{
	const snap_step *res = session_state(st->ses);
	size_t i;

	for (i = st->pause_at + 1; task_id && i < res->npauses; i++)
		if (res->pauses[i].loop && res->pauses[i].loop->next_task_id == task_id) {
			st->pause_at = i;
			pause_show(st);
			return true;
		}
	return false;
}

/* ---- Predict, then see ------------------------------------------------------------- */

bool tui_state_matches_script(const tui_state *st, drive_kind kind, const char *arg)
{
	const lesson_step *next = session_next_step(st->ses);

	if (!next || next->kind != LESSON_STATEMENT || next->drive.kind != kind || !st->selected)
		return false;
	if (strcmp(next->drive.target, st->selected) != 0)
		return false;
	if (kind == DRIVE_SEND || kind == DRIVE_THROW)
		return arg && next->drive.arg && strcmp(arg, next->drive.arg) == 0;
	return true;
}

/* A step marked predict asks; in predict mode every driving step does. */
bool tui_state_wants_prediction(const tui_state *st, tui_act_kind k, drive_kind kind,
                                const char *arg)
{
	const lesson_step *next = session_next_step(st->ses);

	if ((k == ACT_STEP || tui_state_matches_script(st, kind, arg)) && next && next->predict)
		return true;
	return st->predict_mode && (k == ACT_DRIVE || (next && next->drive.kind != DRIVE_NONE));
}

void tui_state_pend(tui_state *st, tui_act_kind k, drive_kind kind, const char *arg)
{
	tui_pending *p = &st->pend;

	tui_pending_clear(p);
	p->kind = k;
	p->drive = kind;
	p->target = ys_strdup(st->selected);
	p->arg = ys_strdup(arg);
	if (k == ACT_STEP) {
		const lesson_step *next = session_next_step(st->ses);
		const char *nl = strchr(next->source, '\n');
		p->statement = ys_strndup(next->source, nl ? (size_t)(nl - next->source)
		                                           : strlen(next->source));
	} else {
		lesson_drive d = { kind, st->selected, (char *)arg, NULL };
		p->statement = lesson_drive_statement(&d);
	}
}

void tui_pending_clear(tui_pending *p)
{
	ys_free(p->target);
	ys_free(p->arg);
	ys_free(p->statement);
	memset(p, 0, sizeof *p);
}

/* ---- The context the panes draw from --------------------------------------------- */

/* Line stepping: the pause shown, inside the latest entry. */
static void ctx_pause(const tui_state *st, view_ctx *c, size_t count)
{
	const snap_step *res = session_state(st->ses);

	c->running = session_entry_at(st->ses, count - 1);
	c->pause = &res->pauses[st->pause_at];
	c->chain_snap = res;
	c->pause_index = st->pause_at;
	c->npauses = res->npauses;
	c->animating = true;
	/* The hops so far, for the Channel and the Timeline: a callback's
	 * pause comes after hops of which it has no pause of its own. */
	c->anim_events = c->pause->hops < res->nevents ? c->pause->hops : res->nevents;
}

/* The bytecode shown: of the running frame at a pause, else of the
 * selected generator, from what was fetched when its step ended. */
static void ctx_bytecode(const tui_state *st, view_ctx *c)
{
	const tui_code *cb = NULL;

	if (!st->show_bytecode)
		return;
	if (c->pause && c->pause->nstack > 0 && c->pause->stack[c->pause->nstack - 1].generator) {
		const snap_frame *f = &c->pause->stack[c->pause->nstack - 1];
		cb = code_of_frame(st, f);
		c->code_of = f->function ? f->function : "?";
	} else {
		cb = code_find(st, snap_find(c->snap, st->selected));
	}
	if (cb) {
		c->instrs = cb->instrs;
		c->ninstrs = cb->n;
	}
}

void tui_state_ctx(const tui_state *st, view_ctx *c, bool busy)
{
	size_t count;

	memset(c, 0, sizeof *c);
	c->snap = tui_state_shown(st);
	if (c->snap == &st->page_snap)
		c->card_offset = st->card_page * st->max_cards;
	c->python_version = engine_python_version();
	if (!st->ses)
		return;
	c->lesson = session_lesson(st->ses);
	count = session_count(st->ses);
	c->hist = session_entries(st->ses);
	c->nhist = st->browsing ? st->shown : st->pausing ? count - 1 : count;
	if (st->browsing || st->pausing) {
		tui_state_past(st, c->nhist, &c->script_pos, &c->off_script);
	} else {
		c->script_pos = session_script_pos(st->ses);
		c->off_script = session_off_script(st->ses);
	}
	c->browsing = st->browsing;
	c->busy = busy;
	c->selected = st->selected;
	/* engine.c compiles code steps under this name (its PROGRAM_NAME);
	 * generators whose code has it are paused on program lines. */
	c->program_file = "<lesson>";
	c->animating = (st->animating && !st->browsing) || st->scrubbing;
	c->scrubbing = st->scrubbing;
	c->anim_events = st->anim_events;
	if (st->pausing)
		ctx_pause(st, c, count);
	c->predict_mode = st->predict_mode;
	if (c->nhist > 0) {
		c->score_right = c->hist[c->nhist - 1].right;
		c->score_wrong = c->hist[c->nhist - 1].wrong;
	} else {
		c->score_right = st->score0_right;
		c->score_wrong = st->score0_wrong;
	}
	ctx_bytecode(st, c);
}
