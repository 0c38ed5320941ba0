/* tui_prompt.c: the one-line prompt of s, t, : and predictions: its line
 * editor (the keys come from the table of actions), its history per kind
 * of prompt, and how it is drawn over the key bar. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "predict.h"
#include "tui_app.h"
#include "util.h"

static void next_choice(app *a, int dir);

/* Replace what is typed with s (UTF-8; a bad byte is taken as is), the
 * cursor at its end. */
static void set_text(prompt *p, const char *s)
{
	mbstate_t st;
	size_t r;

	p->len = 0;
	memset(&st, 0, sizeof st);
	while (*s && p->len < PROMPT_MAX - 1) {
		wchar_t wc;
		r = mbrtowc(&wc, s, strlen(s), &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			wc = (unsigned char)*s;
			r = 1;
			memset(&st, 0, sizeof st);
		}
		p->buf[p->len++] = wc;
		s += r;
	}
	p->cur = p->len;
}

void tui_prompt_open(app *a, prompt_kind kind, const char *prefill)
{
	prompt *p = &a->pr;

	ys_set_str(&p->target, a->st.selected);
	ys_set_str(&p->error, NULL);
	p->kind = kind;
	set_text(p, prefill ? prefill : "");
	p->fresh = p->len > 0;
	p->hpos = p->nhistory[kind];
	a->ov = OV_PROMPT;
}

static char *prompt_text(const prompt *p)
{
	strbuf sb = {0};
	int i;

	for (i = 0; i < p->len; i++) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n;
		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, p->buf[i], &st);
		if (n == (size_t)-1)
			sb_appendc(&sb, '?');
		else
			sb_appendn(&sb, mb, n);
	}
	if (!sb.data && !sb.failed)
		return ys_strdup("");
	return sb_take(&sb);
}

static void remember(prompt *p, prompt_kind k, const char *text)
{
	if (!*text)
		return;
	if (p->nhistory[k] > 0 && strcmp(p->history[k][p->nhistory[k] - 1], text) == 0)
		return;
	if (p->nhistory[k] == HIST_MAX) {
		ys_free(p->history[k][0]);
		memmove(p->history[k], p->history[k] + 1, (HIST_MAX - 1) * sizeof(char *));
		p->nhistory[k]--;
	}
	p->history[k][p->nhistory[k]++] = ys_strdup(text);
}

static void submit_prompt(app *a)
{
	prompt *p = &a->pr;
	prompt_kind kind = p->kind;
	char *text = prompt_text(p);
	bool ok;

	if (!text)
		return;
	remember(p, kind, text);
	if (kind == PR_PREDICT) {
		tui_run_pending(a, text);
	} else if (kind == PR_STATEMENT && !*text) {
		a->ov = OV_NONE;
	} else {
		if (kind == PR_STATEMENT) {
			ok = tui_run_statement(a, text);
		} else {
			tui_state_select(&a->st, p->target);
			ok = tui_do_drive(a, kind == PR_SEND ? DRIVE_SEND : DRIVE_THROW, text);
		}
		/* A drive may have opened the prediction prompt: leave that open. */
		if (ok && a->pr.kind == kind)
			a->ov = OV_NONE;
	}
	ys_free(text);
}

/* Up and Down in the prompt: an older (dir -1) or newer entry of its
 * history, the newest blank. */
static void prompt_history(app *a, int dir)
{
	prompt *p = &a->pr;
	int k = p->kind, np = p->hpos + dir;
	char *save;

	if (np < 0 || np > p->nhistory[k])
		return;
	save = p->target ? ys_strdup(p->target) : NULL;
	tui_prompt_open(a, p->kind, np < p->nhistory[k] ? p->history[k][np] : "");
	ys_set_str(&p->target, save);
	ys_free(save);
	p->hpos = np;
	p->fresh = false;
}

static void prompt_backspace(prompt *p)
{
	if (p->fresh) {
		p->len = p->cur = 0;
		p->fresh = false;
		return;
	}
	if (p->cur > 0) {
		memmove(p->buf + p->cur - 1, p->buf + p->cur, (size_t)(p->len - p->cur) * sizeof(wchar_t));
		p->cur--;
		p->len--;
	}
}

void tui_prompt_key(app *a, int code, wint_t ch)
{
	prompt *p = &a->pr;
	int arg = 0;
	const tui_key *r = tui_key_find(M_PROMPT, code, &arg);
	tui_action act = r ? r->act : TA_NONE;
	bool fn = code >= TK_FN;

	if (act == TA_PR_SUBMIT) {
		submit_prompt(a);
		return;
	}
	if (act == TA_PR_CANCEL) {
		if (p->kind == PR_PREDICT) {
			tui_pending_clear(&a->st.pend);
			tui_flash(a, "Not run: predict first, then see.");
		}
		a->ov = OV_NONE;
		return;
	}
	/* Space before anything is typed: see it without predicting, so a
	 * lesson can still be played with Space alone (no score either way). */
	if (code == ' ' && p->kind == PR_PREDICT && p->len == 0) {
		tui_run_pending(a, NULL);
		return;
	}
	if (fn && act != TA_PR_BACKSPACE)
		p->fresh = false;
	switch (act) {
	case TA_PR_MOVE:
		if (arg < 0 && p->cur > 0)
			p->cur--;
		else if (arg > 0 && p->cur < p->len)
			p->cur++;
		return;
	case TA_PR_JUMP:
		p->cur = arg ? p->len : 0;
		p->fresh = false;
		return;
	case TA_PR_DELETE:
		if (p->cur < p->len) {
			memmove(p->buf + p->cur, p->buf + p->cur + 1, (size_t)(p->len - p->cur - 1) * sizeof(wchar_t));
			p->len--;
		}
		return;
	case TA_PR_HISTORY:
		prompt_history(a, arg);
		return;
	case TA_PR_BACKSPACE:
		prompt_backspace(p);
		return;
	case TA_PR_CLEAR:
		p->len = p->cur = 0;
		return;
	case TA_PR_CHOICE:
		if (p->kind == PR_PREDICT) {
			next_choice(a, arg);
			p->fresh = false;
		}
		return;
	default:
		break;
	}
	if (fn || ch < 32 || p->len >= PROMPT_MAX - 1)
		return;
	/* The script's value is offered as a selection: a key typed first
	 * replaces it, so "s 5" sends 5 and not "215". */
	if (p->fresh)
		p->len = p->cur = 0;
	p->fresh = false;
	memmove(p->buf + p->cur + 1, p->buf + p->cur, (size_t)(p->len - p->cur) * sizeof(wchar_t));
	p->buf[p->cur++] = (wchar_t)ch;
	p->len++;
	ys_set_str(&p->error, NULL);
}

/* The lesson's step whose prediction the prompt asks, when the action
 * waiting for it performs that step (Space, or the key the step names);
 * NULL when the question is what the action will show. */
static const lesson_step *asked_step(const app *a)
{
	const tui_pending *pd = &a->st.pend;
	const lesson_step *nx = session_next_step(a->ses);

	if (nx && nx->predict && (pd->kind == ACT_STEP ||
	                          tui_state_matches_script(&a->st, pd->drive, pd->arg)))
		return nx;
	return NULL;
}

/* The question of a prediction: what the step will show, or, when the
 * lesson's step asks about a generator, its state, line, who resumes or
 * who catches. */
static void predict_title(const app *a, char *title, size_t tn)
{
	const tui_pending *pd = &a->st.pend;
	const lesson_step *nx = asked_step(a);
	const char *stmt = pd->statement ? pd->statement : "it";
	predict_kind k = nx ? nx->predict_kind : PREDICT_SHOWN;

	if (k == PREDICT_STATE)
		snprintf(title, tn, "predict: after  %s  what will %s's state read?",
		         stmt, nx->predict_target);
	else if (k == PREDICT_LINE)
		snprintf(title, tn, "predict: after  %s  at which line will %s pause?",
		         stmt, nx->predict_target);
	else if (k == PREDICT_RESUME)
		snprintf(title, tn, "predict: which %s will  %s  resume first?",
		         DRIVE_ON_LOOP(nx->drive.kind) ? "task" : "generator", stmt);
	else if (k == PREDICT_CATCH)
		snprintf(title, tn, "predict: who catches what  %s  throws in?", stmt);
	else
		snprintf(title, tn, "predict: what will  %s  show?", stmt);
}

/* The line under a prediction's prompt: what kind of answer it takes,
 * with the answers to choose from when there are some (Tab goes through
 * them). */
static void predict_help(const app *a, char *help, size_t hn)
{
	const lesson_step *nx = asked_step(a);
	predict_kind k = nx ? nx->predict_kind : PREDICT_SHOWN;
	size_t n = 0, i;
	char **c = nx ? session_predict_choices(a->ses, &n) : NULL;
	strbuf sb = {0};

	if (k == PREDICT_LINE)
		sb_append(&sb, "A line number, as the Source pane shows it; none: not paused");
	else if (k == PREDICT_SHOWN)
		sb_append(&sb, "Value, printed text or exception type; Enter alone: nothing");
	else if (!n)
		sb_append(&sb, "A generator's label or function");
	for (i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i == 0 ? "Tab chooses: " : i + 1 < n ? ", " : " or ", c[i]);
	sb_append(&sb, "; Space: skip");
	snprintf(help, hn, "%s", sb.failed ? "Space: skip" : sb_cstr(&sb));
	sb_free(&sb);
	predict_choices_free(c, n);
}

/* Tab (dir 1) or S-Tab (-1) in a prediction's prompt: the answer after
 * (before) the one typed among the choices, the first when it is none of
 * them. */
static void next_choice(app *a, int dir)
{
	size_t n = 0, i;
	char **c = asked_step(a) ? session_predict_choices(a->ses, &n) : NULL;
	char *typed = prompt_text(&a->pr);

	if (n && typed) {
		for (i = 0; i < n && strcmp(c[i], typed) != 0; i++)
			;
		i = i == n ? (dir > 0 ? 0 : n - 1) : (i + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
		set_text(&a->pr, c[i]);
	}
	ys_free(typed);
	predict_choices_free(c, n);
}

/* The end of s in at most max bytes, from a character's first byte. */
static const char *tail_bytes(const char *s, size_t max)
{
	size_t n = strlen(s);
	const char *t;

	if (n <= max)
		return s;
	t = s + n - max;
	while ((*t & 0xC0) == 0x80)
		t++;
	return t;
}

/* The prompt's title, the text before what is typed (in pre) and after
 * it (returned), for its kind. A label too long for pre keeps its end,
 * after "…", so ".send(" is never cut off. */
static const char *prompt_words(const app *a, char *title, size_t tn, char *pre, size_t pn)
{
	const prompt *p = &a->pr;
	const char *target = p->target ? p->target : "?";
	const char *tail = tail_bytes(target, pn - 16);
	const char *cut = tail == target ? "" : view_g->ell;

	pre[0] = '\0';
	switch (p->kind) {
	case PR_SEND:
		snprintf(title, tn, "send a value into %s", target);
		snprintf(pre, pn, "%s%s.send(", cut, tail);
		return ")";
	case PR_THROW:
		snprintf(title, tn, "throw an exception into %s", target);
		snprintf(pre, pn, "%s%s.throw(", cut, tail);
		return ")";
	case PR_PREDICT:
		predict_title(a, title, tn);
		return "";
	default:
		snprintf(title, tn, "run a Python statement");
		return "";
	}
}

/* The end of s that fits maxw columns at (y, col), after "…" when the
 * start is cut; returns the columns used. */
static int put_tail(int y, int col, int maxw, view_role r, const char *s)
{
	int ew = view_strwidth(view_g->ell);

	if (maxw <= 0)
		return 0;
	if (view_strwidth(s) <= maxw)
		return tui_put(stdscr, y, col, maxw, r, s);
	if (maxw <= ew)
		return tui_put(stdscr, y, col, maxw, r, view_g->ell);
	while (*s && view_strwidth(s) > maxw - ew) {
		s++;
		while ((*s & 0xC0) == 0x80)
			s++;
	}
	col += tui_put(stdscr, y, col, ew, r, view_g->ell);
	return ew + tui_put(stdscr, y, col, maxw - ew, r, s);
}

/* Columns of the prompt line left to what comes before the typed text
 * (label.send(): half the room, at least 12 columns stay for what is typed. */
static int pre_room(int room)
{
	int keep = room / 2 > 12 ? room / 2 : 12;

	return keep >= room ? 0 : room - keep;
}

void tui_prompt_draw(app *a)
{
	int w = COLS - 4, h = 4, y, x, bx = 2, by, col, i, avail, start, cursor;
	char title[256], pre[300];
	const char *post;
	prompt *p = &a->pr;

	if (w > 100) {
		w = 100;
		bx = (COLS - w) / 2;
	}
	/* Inside the panes' bottom border, not on it: their corners would
	 * show beside the box's own. */
	by = LINES - 2 - h;
	post = prompt_words(a, title, sizeof title, pre, sizeof pre);
	for (i = 0; i < h; i++)
		tui_fill(stdscr, by + i, bx, w, R_NORMAL);
	tui_box(stdscr, by, bx, h, w, true, title, NULL);
	y = by + 1;
	x = bx + 2;
	col = x;
	col += tui_put(stdscr, y, col, w - 4, R_PROMPT, p->kind == PR_PREDICT ? "you expect: " : ">>> ");
	col += put_tail(y, col, pre_room(x + w - 4 - col), R_DIM, pre);
	avail = x + w - 4 - col - view_strwidth(post) - 1;
	if (avail < 1)
		avail = 1;
	cursor = col;
	/* Scroll the text so the cursor stays in view. */
	start = p->cur > avail ? p->cur - avail : 0;
	for (i = start; i <= p->len && col < x + w - 4; i++) {
		char mb[MB_LEN_MAX + 1];
		mbstate_t st;
		size_t n;
		wchar_t ch = i < p->len ? p->buf[i] : L' ';
		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, ch, &st);
		if (n == (size_t)-1) {
			mb[0] = '?';
			n = 1;
		}
		mb[n] = '\0';
		if (i == p->cur) {
			/* The cursor as a lit cell, visible in screen dumps too. */
			attr_t at = tui_attr(R_CODE) | A_REVERSE;
			attron(at);
			mvaddstr(y, col, mb);
			attroff(at);
			cursor = col;
			col += 1;
		} else if (i < p->len) {
			col += tui_put(stdscr, y, col, 1, p->fresh ? R_SELECTED : R_CODE, mb);
		}
		if (i == p->len)
			break;
	}
	tui_put(stdscr, y, col, x + w - 4 - col, R_DIM, post);
	if (p->error) {
		tui_put(stdscr, y + 1, x, 2, R_ERROR, view_g->cross);
		tui_put(stdscr, y + 1, x + 2, w - 6, R_ERROR, p->error);
	} else if (p->kind == PR_PREDICT) {
		char help[512];
		predict_help(a, help, sizeof help);
		tui_put(stdscr, y + 1, x, w - 4, R_DIM, help);
	} else {
		tui_put(stdscr, y + 1, x, w - 4, R_DIM,
		        p->kind == PR_THROW ? "An exception class or instance, e.g. ValueError('bad'), "
		                              "evaluated in the lesson."
		        : "Any Python expression, evaluated in the lesson's namespace.");
	}
	if (!a->script)
		move(y, cursor > x + w - 4 ? x + w - 4 : cursor);
}


void tui_prompt_free(prompt *p)
{
	int k, i;

	ys_free(p->target);
	ys_free(p->error);
	for (k = 0; k < PR_KINDS; k++)
		for (i = 0; i < p->nhistory[k]; i++)
			ys_free(p->history[k][i]);
	memset(p, 0, sizeof *p);
}
