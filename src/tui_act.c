/* tui_act.c: what the keys of a lesson do to it: open and leave it, step
 * and drive through the session, go back in its history, ask for
 * predictions, pause at lines, and keep the progress between runs.
 *
 * Lesson code runs only here, through the session, between a "running"
 * frame (before_run) and the end of the step (after_run), which fetches
 * what the next frames show (bytecode, cards) so that drawing only reads.
 */
#include "config.h"

#include <string.h>

#include "tui_app.h"
#include "util.h"

/* ---- Lessons --------------------------------------------------------------------- */

void tui_reset_view(app *a)
{
	int i;

	for (i = 0; i < P_COUNT; i++)
		a->panes[i].scroll = -1;
	tui_state_to_now(&a->st);
}

static void progress_open_lesson(app *a);

bool tui_open_lesson(app *a, const char *path)
{
	lesson_error err;
	lesson *l = lesson_load_for(path, engine_python_version(), &err);
	char msg[256];

	ys_set_str(&a->menu.error, NULL);
	if (!l) {
		a->menu.error = ys_asprintf("%s:%d: %s", err.path, err.line, err.message);
		return false;
	}
	if (!a->eng) {
		/* Python starts with the first lesson and serves every one. */
		a->eng = engine_new(&a->o.engine, msg, sizeof msg);
		if (!a->eng) {
			lesson_free(l);
			a->menu.error = ys_asprintf("Python did not start: %s", msg);
			return false;
		}
	}
	a->ses = session_new(l, a->eng);
	if (!a->ses) {
		a->menu.error = ys_strdup("out of memory");
		return false;
	}
	a->in_menu = false;
	a->focus = P_LESSON;
	a->zoom = -1;
	tui_state_open(&a->st, a->ses);
	tui_reset_view(a);
	progress_open_lesson(a);
	return true;
}

void tui_close_lesson(app *a)
{
	tui_state_clear(&a->st);
	tui_exercise_free(a);
	session_free(a->ses);
	a->ses = NULL;
	a->ov = OV_NONE;
}

/* ---- Progress ------------------------------------------------------------------------ */

/* Progress warnings (a corrupt file, a failed save), each shown once, in
 * the message line. */
void tui_show_warnings(app *a)
{
	const char *w;

	while ((w = progress_warning(a->prog)) != NULL) {
		if (a->flash)
			tui_flash(a, "%s  %s", a->flash, w);
		else
			tui_flash(a, "%s", w);
	}
}

static void save_progress(app *a)
{
	progress_rec r = a->rec;
	const lesson *l;

	if (!a->ses || !a->prog || !a->prog_key)
		return;
	l = session_lesson(a->ses);
	if (session_script_pos(a->ses) > r.furthest)
		r.furthest = session_script_pos(a->ses);
	r.nsteps = l->nsteps;
	session_score(a->ses, &r.right, &r.wrong);
	if (memcmp(&r, &a->rec, sizeof r) != 0) {
		/* A failed save is reported (once) and the lesson goes on. */
		if (progress_put(a->prog, a->prog_key, a->prog_title, &r) == 0)
			a->rec = r;
	}
	tui_show_warnings(a);
}

/* Read the lesson's progress; offer to resume where it was left. */
static void progress_open_lesson(app *a)
{
	const lesson *l = session_lesson(a->ses);
	progress_rec r;

	ys_free(a->prog_key);
	a->prog_key = progress_key(l->path);
	ys_set_str(&a->prog_title, l->title);
	memset(&a->rec, 0, sizeof a->rec);
	a->st.score0_right = a->st.score0_wrong = 0;
	if (a->prog && a->prog_key && progress_get(a->prog, a->prog_key, &r) == 1) {
		a->rec = r;
		a->st.score0_right = r.right;
		a->st.score0_wrong = r.wrong;
		session_set_score(a->ses, r.right, r.wrong);
		if (r.furthest > 0 && r.furthest < l->nsteps)
			a->ov = OV_RESUME;
		else if (r.furthest >= l->nsteps)
			tui_flash(a, "You finished this lesson before. Welcome back!");
	}
	tui_show_warnings(a);
}

/* ---- Performing steps ------------------------------------------------------------------ */

/* Show "running" before lesson code runs, which may take a while. */
static void before_run(app *a)
{
	tui_busy = 1;
	tui_draw(a);
}

/* A pause is shown: the panes that follow it start from their anchors. */
static void pause_shown(app *a)
{
	a->panes[P_HEAP].scroll = -1;
	a->panes[P_SOURCE].scroll = -1;
	a->panes[P_BYTECODE].scroll = -1;
	a->panes[P_CHANNEL].scroll = -1;
}

static void end_pause(app *a)
{
	if (!a->st.pausing)
		return;
	tui_state_pause_end(&a->st);
	tui_reset_view(a);
}

/* The step has run (rc the session's result): show its end, or its first
 * pause when line stepping; fetch what the screen will show of it. */
static void after_run(app *a, int rc, bool scripted)
{
	const snap_step *st;

	tui_busy = 0;
	a->st.pausing = false;
	tui_reset_view(a);
	if (rc == ENGINE_FAILED)
		tui_flash(a, "The engine failed (%s): the step was not completed.",
		          session_failure(a->ses));
	tui_state_page_refresh(&a->st);
	tui_state_fix_selection(&a->st, scripted);
	tui_state_sel_remember(&a->st, tui_state_count(&a->st));
	st = session_state(a->ses);
	a->st.animating = a->st.animate && st->nevents > 0;
	a->st.scrubbing = false;
	a->st.anim_events = 0;
	tui_state_code_fill(&a->st);
	/* Line stepping: the step is shown from its first pause. */
	if (rc == ENGINE_OK && tui_state_pause_start(&a->st))
		pause_shown(a);
	save_progress(a);
}

/* Before an action: when an earlier step is shown, go back to it for
 * real, so the action acts on the state shown (the later steps are
 * dropped, the lesson replayed up to there). Returns false when that
 * failed. */
static bool act_here(app *a)
{
	size_t k, dropped;
	int rc;

	end_pause(a);
	if (!a->st.browsing)
		return true;
	k = a->st.shown;
	if (k >= tui_state_count(&a->st)) {
		tui_reset_view(a);
		return true;
	}
	dropped = tui_state_count(&a->st) - k;
	before_run(a);
	rc = session_truncate(a->ses, k);
	tui_busy = 0;
	/* The selection stays the one shown: the action is on it. */
	tui_reset_view(a);
	if (rc != ENGINE_OK) {
		tui_flash(a, "The engine failed going back (%s).", session_failure(a->ses));
		return false;
	}
	/* The replay made the generators anew: fetch their bytecode. */
	tui_state_code_fill(&a->st);
	tui_flash(a, "Went back to here: %zu later step%s dropped.", dropped,
	          dropped == 1 ? "" : "s");
	return true;
}

/* Perform a step (ACT_STEP) or a drive of the selected generator, then
 * score the prediction when one was made (answer not NULL). Returns the
 * session's result; on ENGINE_ARG_ERROR nothing was done. */
static int perform(app *a, tui_act_kind k, drive_kind kind, const char *arg, const char *answer)
{
	bool scripted = k == ACT_STEP || tui_state_matches_script(&a->st, kind, arg);
	int rc;

	before_run(a);
	if (scripted)
		rc = session_step(a->ses);
	else
		rc = session_drive(a->ses, kind, a->st.selected, arg);
	if (rc == ENGINE_ARG_ERROR) {
		tui_busy = 0;
		return rc;
	}
	if (rc == ENGINE_OK && answer)
		session_predict(a->ses, answer);
	after_run(a, rc, scripted);
	return rc;
}

/* Ask for the prediction; the action runs when it is given. */
static void ask_prediction(app *a, tui_act_kind k, drive_kind kind, const char *arg)
{
	tui_state_pend(&a->st, k, kind, arg);
	tui_prompt_open(a, PR_PREDICT, "");
}

/* At the end of the script: the score of this run's predictions, by what
 * they were about. */
static void lesson_summary(app *a)
{
	char *sum;

	if (session_next_step(a->ses) || a->ov != OV_NONE)
		return;
	sum = session_summary(a->ses);
	if (sum)
		tui_flash(a, "Lesson done: %s.", sum);
	ys_free(sum);
}

static void do_step(app *a)
{
	if (!act_here(a))
		return;
	if (!session_next_step(a->ses)) {
		tui_flash(a, "That was the last step. r replays the lesson; q leaves it.");
		return;
	}
	if (tui_state_wants_prediction(&a->st, ACT_STEP, DRIVE_NONE, NULL)) {
		ask_prediction(a, ACT_STEP, DRIVE_NONE, NULL);
		return;
	}
	perform(a, ACT_STEP, DRIVE_NONE, NULL, NULL);
	lesson_summary(a);
}

static void arg_error(app *a)
{
	ys_set_str(&a->pr.error, session_error(a->ses) ? session_error(a->ses)
	                                               : "the expression failed");
}

/* Perform a drive (asking for a prediction first when wanted); returns
 * false when the argument was in error (the prompt then stays open with
 * the message). */
bool tui_do_drive(app *a, drive_kind kind, const char *arg)
{
	if (tui_state_wants_prediction(&a->st, ACT_DRIVE, kind, arg)) {
		ask_prediction(a, ACT_DRIVE, kind, arg);
		return true;
	}
	if (perform(a, ACT_DRIVE, kind, arg, NULL) == ENGINE_ARG_ERROR) {
		arg_error(a);
		return false;
	}
	/* The send or throw prompt that gave the value has done its work; a
	 * key that performed the lesson's last step ends it as Space does. */
	if (a->ov == OV_PROMPT && a->pr.kind != PR_PREDICT)
		a->ov = OV_NONE;
	lesson_summary(a);
	return true;
}

/* The prediction was given: run the action waiting for it. */
void tui_run_pending(app *a, const char *answer)
{
	tui_pending p = a->st.pend;
	int rc;

	memset(&a->st.pend, 0, sizeof a->st.pend);
	a->ov = OV_NONE;
	if (p.kind == ACT_DRIVE)
		tui_state_select(&a->st, p.target);
	rc = perform(a, p.kind, p.drive, p.arg, answer);
	if (rc == ENGINE_OK)
		lesson_summary(a);
	if (rc == ENGINE_ARG_ERROR) {
		/* The value to send did not evaluate: back to its prompt. */
		tui_prompt_open(a, p.drive == DRIVE_SEND ? PR_SEND : PR_THROW, p.arg);
		arg_error(a);
	}
	tui_pending_clear(&p);
}

/* A statement typed at the ":" prompt; false when going back to the step
 * shown failed. */
bool tui_run_statement(app *a, const char *text)
{
	if (!act_here(a))
		return false;
	before_run(a);
	after_run(a, session_run(a->ses, text), false);
	return true;
}

/* n, s, t, c: drive the selected generator; s and t ask for the value,
 * pre-filled from the script when its next step is that drive. */
static void drive_key(app *a, drive_kind kind)
{
	const lesson_step *st;

	if (!act_here(a))
		return;
	st = session_next_step(a->ses);
	if (!a->st.selected || !snap_find(tui_state_shown(&a->st), a->st.selected)) {
		tui_flash(a, "No generator to drive yet: create one first (Space steps the lesson).");
		return;
	}
	if (kind == DRIVE_SEND || kind == DRIVE_THROW) {
		const char *pre = "";
		if (st && st->drive.kind == kind && st->drive.target &&
		    strcmp(st->drive.target, a->st.selected) == 0 && st->drive.arg)
			pre = st->drive.arg;
		else if (kind == DRIVE_THROW)
			pre = "ValueError";
		tui_prompt_open(a, kind == DRIVE_SEND ? PR_SEND : PR_THROW, pre);
		return;
	}
	tui_do_drive(a, kind, NULL);
}

/* The label of the first pending task shown, else of the first task. */
static const char *first_task(const snap_step *shown)
{
	size_t i;

	for (i = 0; i < shown->ntasks; i++)
		if (shown->tasks[i].label && shown->tasks[i].state &&
		    strcmp(shown->tasks[i].state, "pending") == 0)
			return shown->tasks[i].label;
	for (i = 0; i < shown->ntasks; i++)
		if (shown->tasks[i].label)
			return shown->tasks[i].label;
	return NULL;
}

/* o, u, x at a callback pause: the run has happened, the pauses replay
 * it. o is the next callback, u the next at which the task (the selected
 * one, else the first pending) resumes; x cannot cancel what is past, and
 * says where cancelling can be done. */
static void loop_pause_key(app *a, drive_kind kind, const snap_task *t)
{
	if (kind == DRIVE_RUN_ONE) {
		tui_play_act(a, TA_NEXT_PAUSE, 0);
	} else if (kind == DRIVE_CANCEL) {
		tui_flash(a, "Can't cancel: the pauses replay a finished run. An open loop can "
		          "(lesson 17).");
	} else if (!t) {
		tui_flash(a, "No task to wait for: Tab selects one.");
	} else if (tui_state_pause_until(&a->st, t->id)) {
		pause_shown(a);
	} else {
		tui_flash(a, "%s does not resume again in this run: Space shows its end.",
		          t->name ? t->name : "That task");
	}
}

/* o, u, x: the event loop's drives. The script's next step when it is
 * that drive; else o runs one callback of the loop shown, and u and x
 * open the statement prompt on the Python they perform, for the task
 * selected (Tab goes on from the generators to the tasks), else the
 * first pending one: Enter runs it, or the learner names another task. */
static void loop_key(app *a, drive_kind kind)
{
	const lesson_step *st = session_next_step(a->ses);
	const snap_step *shown = tui_state_shown(&a->st);
	const char *task = snap_find_task(shown, a->st.selected) ? a->st.selected
	                                                         : first_task(shown);
	char *text;

	if (tui_state_loop_pause(&a->st)) {
		loop_pause_key(a, kind, snap_find_task(shown, task));
		return;
	}

	if (st && st->kind == LESSON_STATEMENT && st->drive.kind == kind) {
		do_step(a);
		return;
	}
	if (!shown->loop_label) {
		tui_flash(a, "No event loop to step: name one, loop = asyncio.new_event_loop().");
		return;
	}
	if (kind == DRIVE_RUN_ONE) {
		text = ys_asprintf("%s.run_one()", shown->loop_label);
		if (text)
			tui_run_statement(a, text);
		ys_free(text);
		return;
	}
	if (!task) {
		tui_flash(a, "No task to name: make one, t = loop.create_task(...).");
		return;
	}
	text = kind == DRIVE_RUN_UNTIL
	       ? ys_asprintf("%s.run_until_resumes(%s)", shown->loop_label, task)
	       : ys_asprintf("%s.cancel()", task);
	if (text)
		tui_prompt_open(a, PR_STATEMENT, text);
	ys_free(text);
}

/* ---- Keys of a lesson ------------------------------------------------------------------ */

/* Left (dir -1) and Right (+1) through the history: the screen as it was
 * after the entries shown. */
static void history_step(app *a, int dir)
{
	int i;

	if (!tui_state_history(&a->st, dir))
		return;
	for (i = 0; i < P_COUNT; i++)
		a->panes[i].scroll = -1;
	tui_state_code_fill(&a->st);
}

/* , (dir -1) and . (+1): the step shown one hop earlier or later, on the
 * Timeline, which the Channel pane turns to. */
static void hop_key(app *a, int dir)
{
	if (!tui_state_hop(&a->st, dir)) {
		tui_flash(a, tui_state_shown(&a->st)->nevents == 0
		          ? "No hops in this step: no generator ran."
		          : "Already before the step's first hop: . goes forward.");
		return;
	}
	a->panes[P_CHANNEL].ops = &view_timeline_ops;
}

static void toggle_modes(app *a, tui_action act)
{
	if (act == TA_LINES) {
		a->st.line_step = !a->st.line_step;
		session_set_line_stepping(a->ses, a->st.line_step);
		tui_flash(a, a->st.line_step
		          ? "Line stepping on: steps pause at each line and hop in generators."
		          : "Line stepping off: steps run through.");
	} else {
		a->st.predict_mode = !a->st.predict_mode;
		tui_flash(a, a->st.predict_mode
		          ? "Predict mode on: before every driving step, say what it will show."
		          : "Predict mode off: only the lesson's predict steps ask.");
	}
}

static void replay(app *a)
{
	before_run(a);
	after_run(a, session_replay(a->ses), true);
	tui_flash(a, "Replayed the lesson from a fresh start, back on script.");
}

static void leave(app *a)
{
	if (a->started_with_file) {
		a->quit = true;
		return;
	}
	tui_close_lesson(a);
	a->in_menu = true;
	tui_menu_load(a);
}

void tui_play_act(app *a, tui_action act, int arg)
{
	switch (act) {
	case TA_STEP: do_step(a); break;
	case TA_DRIVE: drive_key(a, (drive_kind)arg); break;
	case TA_LOOP: loop_key(a, (drive_kind)arg); break;
	case TA_PAGE: tui_state_page_turn(&a->st, arg); break;
	case TA_STATEMENT: tui_prompt_open(a, PR_STATEMENT, ""); break;
	case TA_REPLAY: replay(a); break;
	case TA_HISTORY: history_step(a, arg); break;
	case TA_HOP: hop_key(a, arg); break;
	case TA_LINES:
	case TA_PREDICT: toggle_modes(a, act); break;
	case TA_NEXT_PAUSE:
		if (tui_state_pause_next(&a->st))
			pause_shown(a);
		else
			tui_reset_view(a);
		break;
	case TA_END_PAUSE: end_pause(a); break;
	case TA_LEAVE: leave(a); break;
	case TA_EXERCISE: tui_exercise_open(a); break;
	default: tui_view_act(a, act, arg); break;
	}
}

int tui_run_exercise(app *a, const lesson_exercise *x, const char *code,
                     exercise_result *r)
{
	int rc;

	if (!act_here(a))
		return ENGINE_FAILED;
	before_run(a);
	rc = exercise_try(a->ses, x, code, r);
	after_run(a, rc, false);
	return rc;
}

/* The offer to resume a lesson where it was left was taken. */
void tui_resume(app *a)
{
	size_t to = a->rec.furthest;
	int rc;

	before_run(a);
	rc = session_replay_to(a->ses, to);
	after_run(a, rc, true);
	if (rc == ENGINE_OK)
		tui_flash(a, "Resumed at step %zu of %zu. %s goes back through the steps replayed.",
		          session_script_pos(a->ses) + 1, session_lesson(a->ses)->nsteps,
		          view_g->larrow);
}

/* A key in a lesson, through the table of actions. At a pause, a key that
 * does more than look ends the pause first (the step runs to its end),
 * then acts. */
void tui_lesson_key(app *a, int code)
{
	int arg = 0;
	const tui_key *r = tui_key_find(a->st.pausing ? M_PAUSE : a->st.browsing ? M_BROWSE : M_LESSON,
	                                code, &arg);

	/* o, u and x at a callback pause move through its pauses. */
	if (a->st.pausing && !(r && ((r->flags & K_KEEP_PAUSE) ||
	                             (r->act == TA_LOOP && tui_state_loop_pause(&a->st)))))
		end_pause(a);
	/* Hop by hop, the Lesson pane still tells the step held: Space goes
	 * to its end before any next step. */
	if (a->st.scrubbing && r && r->act == TA_STEP) {
		a->st.scrubbing = false;
		return;
	}
	if (r)
		tui_play_act(a, r->act, arg);
}
