/* tui_exercise.c: an exercise in the terminal: its dialog (the task, the
 * hints given, the last try's failing checks as expected / got), the
 * learner's editor ($VISUAL, $EDITOR, or one found on PATH) with the
 * terminal given to it and taken back, and the solved exercises kept in
 * the lesson's progress.
 *
 * A try runs through tui_run_exercise, so the learner's generators and
 * every check are entries of the history: closing the dialog shows them
 * in the panes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stdio_own.h"
#include "tui_app.h"
#include "util.h"

/* One check of the last try, copied: the history may be dropped later. */
typedef struct {
	char *source;
	char *expected;
	char *got;
	bool ok;
} ex_check;

/* What the learner did with one exercise. */
typedef struct {
	char *code;             /* their code; NULL: the starting code */
	size_t hints;           /* hints given */
	bool reveal;            /* the checks are shown */
	bool tried;
	bool solved;            /* in this run or an earlier one */
	bool raised;            /* the last try's code raised */
	char *raised_text;
	ex_check *checks;       /* of the last try */
	size_t nchecks, passed;
} ex_item;

struct tui_ex {
	ex_item *items;
	size_t n;
	int cur;
	char *error;            /* why the editor did not run, or NULL */
};

static void clear_checks(ex_item *it)
{
	size_t i;

	for (i = 0; i < it->nchecks; i++) {
		ys_free(it->checks[i].source);
		ys_free(it->checks[i].expected);
		ys_free(it->checks[i].got);
	}
	ys_free(it->checks);
	it->checks = NULL;
	it->nchecks = it->passed = 0;
	ys_set_str(&it->raised_text, NULL);
}

void tui_exercise_free(app *a)
{
	size_t i;

	if (!a->ex)
		return;
	for (i = 0; i < a->ex->n; i++) {
		clear_checks(&a->ex->items[i]);
		ys_free(a->ex->items[i].code);
	}
	ys_free(a->ex->items);
	ys_free(a->ex->error);
	ys_free(a->ex);
	a->ex = NULL;
}

static const lesson_exercise *current(const app *a)
{
	return &session_lesson(a->ses)->exercises[a->ex->cur];
}

void tui_exercise_open(app *a)
{
	const lesson *l = session_lesson(a->ses);
	int k = exercise_available(l, session_script_pos(a->ses));
	size_t i;

	if (k < 0) {
		tui_flash(a, l->nexercises ? "The exercise comes later in the lesson: "
		          "go on with Space." : "This lesson has no exercise.");
		return;
	}
	if (!a->ex) {
		a->ex = ys_calloc(1, sizeof *a->ex);
		if (a->ex)
			a->ex->items = ys_calloc(l->nexercises, sizeof *a->ex->items);
		if (!a->ex || !a->ex->items) {
			ys_free(a->ex);
			a->ex = NULL;
			tui_flash(a, "Out of memory.");
			return;
		}
		a->ex->n = l->nexercises;
		for (i = 0; i < l->nexercises; i++)
			a->ex->items[i].solved = progress_solved(&a->rec, l->exercises[i].name);
	}
	a->ex->cur = k;
	a->ov = OV_EXERCISE;
}

/* ---- The editor -------------------------------------------------------------------- */

static bool on_path(const char *name)
{
	const char *path = getenv("PATH"), *s, *e;
	char buf[1024];
	bool found = false;

	for (s = path ? path : "/usr/bin:/bin"; !found && *s; s = *e ? e + 1 : e) {
		e = s + strcspn(s, ":");
		if (snprintf(buf, sizeof buf, "%.*s/%s", (int)(e - s), s, name) < (int)sizeof buf)
			found = access(buf, X_OK) == 0;
	}
	return found;
}

/* $VISUAL, $EDITOR, or the first of Debian's `editor`, nano and vi there
 * is; NULL when none. */
static const char *editor(void)
{
	static const char *const fallback[] = { "editor", "nano", "vi" };
	const char *e = getenv("VISUAL");
	size_t i;

	if (!e || !*e)
		e = getenv("EDITOR");
	if (e && *e)
		return e;
	for (i = 0; i < sizeof fallback / sizeof fallback[0]; i++)
		if (on_path(fallback[i]))
			return fallback[i];
	return NULL;
}

/* Run the editor on path and wait for it. The editor string is shell
 * words, as git and crontab read $EDITOR ("code -w" works). Headless (a
 * screen test) it gets no terminal at all. Returns its exit status, or -1
 * when it could not start. */
static int run_editor(app *a, const char *ed, const char *path)
{
	char *cmd = ys_asprintf("%s \"$@\"", ed);
	pid_t pid;
	int status = 0;

	if (!cmd)
		return -1;
	if (!a->script) {
		/* The editor owns the terminal until it exits. */
		def_prog_mode();
		endwin();
	}
	pid = fork();
	if (pid == 0) {
		if (a->script) {
			int fd = open("/dev/null", O_RDWR);
			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
				dup2(fd, 2);
			}
		} else {
			/* 0, 1 and 2 are the lesson's; the editor gets the terminal. */
			stdio_own_give_child();
		}
		execl("/bin/sh", "sh", "-c", cmd, ed, path, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ys_free(cmd);
	if (!a->script) {
		reset_prog_mode();
		clearok(curscr, TRUE);
		refresh();
	}
	if (pid < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The learner's code through the editor: NULL (the reason in the dialog)
 * when it did not run or the file cannot be read back. */
static char *edit(app *a, const char *code)
{
	const char *ed = editor();
	const char *dir = getenv("TMPDIR");
	char *path, *text = NULL;
	size_t len = 0, n = strlen(code);
	int fd, rc;

	ys_set_str(&a->ex->error, NULL);
	if (!ed) {
		ys_set_str(&a->ex->error, "No editor: set VISUAL or EDITOR.");
		return NULL;
	}
	path = ys_asprintf("%s/yieldscope-%s-XXXXXX.py", dir && *dir ? dir : "/tmp",
	                   current(a)->name);
	if (!path || (fd = mkstemps(path, 3)) < 0) {
		ys_set_str(&a->ex->error, "Cannot make a file for the code.");
		ys_free(path);
		return NULL;
	}
	if (write(fd, code, n) != (ssize_t)n || write(fd, "\n", 1) != 1) {
		close(fd);
		ys_set_str(&a->ex->error, "Cannot write the code to a file.");
		goto out;
	}
	close(fd);
	rc = run_editor(a, ed, path);
	if (rc != 0) {
		a->ex->error = ys_asprintf("The editor (%s) exited with status %d: "
		                           "the checks did not run.", ed, rc);
		goto out;
	}
	text = ys_read_file(path, &len);
	if (!text)
		ys_set_str(&a->ex->error, "Cannot read the code back.");
out:
	unlink(path);
	ys_free(path);
	return text;
}

/* ---- A try ------------------------------------------------------------------------ */

static void keep_result(app *a, ex_item *it, const exercise_result *r)
{
	const lesson_exercise *x = current(a);
	size_t i;

	clear_checks(it);
	it->tried = true;
	it->raised = r->code_raised;
	if (r->code_raised)
		it->raised_text = ys_strdup(session_entry_at(a->ses, r->first)->result.exception);
	it->checks = ys_calloc(r->nchecks ? r->nchecks : 1, sizeof *it->checks);
	if (!it->checks)
		return;
	for (i = 0; i < r->nchecks; i++) {
		const session_entry *en = exercise_check_entry(a->ses, r, i);
		ex_check *c = &it->checks[i];
		c->source = ys_strdup(x->checks[i].source);
		c->expected = ys_strdup(x->checks[i].expected);
		c->got = ys_strdup(en->actual);
		c->ok = en->match == 1;
	}
	it->nchecks = r->nchecks;
	it->passed = r->passed;
}

static void mark_solved(app *a, ex_item *it)
{
	progress_rec r = a->rec;

	it->solved = it->reveal = true;
	if (a->prog && a->prog_key && progress_mark_solved(&r, current(a)->name) &&
	    progress_put(a->prog, a->prog_key, a->prog_title, &r) == 0)
		a->rec = r;
	tui_show_warnings(a);
}

static void edit_and_run(app *a)
{
	ex_item *it = &a->ex->items[a->ex->cur];
	const lesson_exercise *x = current(a);
	exercise_result r;
	char *code = edit(a, it->code ? it->code : x->start);

	if (!code)
		return;
	ys_free(it->code);
	it->code = code;
	if (tui_run_exercise(a, x, code, &r) != ENGINE_OK) {
		ys_set_str(&a->ex->error, "The engine failed: the checks did not all run.");
		return;
	}
	keep_result(a, it, &r);
	if (exercise_solved(&r))
		mark_solved(a, it);
	a->ov = OV_EXERCISE;
}

void tui_exercise_act(app *a, tui_action act)
{
	ex_item *it = &a->ex->items[a->ex->cur];
	const lesson_exercise *x = current(a);

	switch (act) {
	case TA_EX_EDIT:
		edit_and_run(a);
		break;
	case TA_EX_HINT:
		if (it->hints < x->nhints)
			it->hints++;
		else
			ys_set_str(&a->ex->error, x->nhints ? "That was the last hint."
			                                    : "This exercise has no hints.");
		break;
	case TA_EX_CHECKS:
		it->reveal = true;
		break;
	case TA_CLOSE:
		a->ov = OV_NONE;
		if (it->tried)
			tui_flash(a, "Your code and its checks, in the panes (%s%s); r: "
			          "back to the lesson.", view_g->larrow, view_g->rarrow);
		break;
	default:
		break;
	}
}

/* ---- The dialog ------------------------------------------------------------------- */

typedef struct {
	int y, x, w, bottom;
} pen;

/* A line of text at the pen, in role r, cut to the box. */
static void line(pen *p, int indent, view_role r, const char *s)
{
	if (p->y >= p->bottom)
		return;
	tui_put(stdscr, p->y++, p->x + indent, p->w - indent, r, s);
}

/* Prose wrapped at words to the box, backticks of code spans left out. */
static void prose(pen *p, int indent, view_role r, const char *text)
{
	char buf[512];
	size_t n = 0, last_space = 0;
	int width = p->w - indent;
	const char *s;

	for (s = text; *s && p->y < p->bottom; s++) {
		if (*s == '`')
			continue;
		if (*s == '\n' && s[1] == '\n') {
			buf[n] = '\0';
			line(p, indent, r, buf);
			n = last_space = 0;
			s++;
			line(p, 0, r, "");
			continue;
		}
		buf[n++] = *s == '\n' ? ' ' : *s;
		buf[n] = '\0';
		if (buf[n - 1] == ' ')
			last_space = n - 1;
		if (view_strwidth(buf) > width || n + 1 >= sizeof buf) {
			size_t cut = last_space ? last_space : n - 1;
			char rest[512];
			snprintf(rest, sizeof rest, "%s", buf + cut + (last_space ? 1 : 0));
			buf[cut] = '\0';
			line(p, indent, r, buf);
			n = (size_t)snprintf(buf, sizeof buf, "%s", rest);
			last_space = 0;
		}
	}
	if (n) {
		buf[n] = '\0';
		line(p, indent, r, buf);
	}
}

/* Each line of text, after a label on the first. */
static void labelled(pen *p, const char *label, view_role r, const char *text)
{
	const char *s = text && *text ? text : "(nothing)\n";
	char buf[512];
	bool first = true;

	while (*s && p->y < p->bottom) {
		size_t n = strcspn(s, "\n");
		snprintf(buf, sizeof buf, "%-10s%.*s", first ? label : "", (int)n, s);
		line(p, 6, r, buf);
		first = false;
		s += n + (s[n] == '\n');
	}
}

/* A statement as the prompt shows it: ">>> " then "... " lines, after a
 * mark (a check or a cross, or nothing). */
static void statement(pen *p, const char *mark, view_role r, const char *source)
{
	char buf[512];
	const char *s = source;
	bool first = true;

	while (p->y < p->bottom) {
		size_t n = strcspn(s, "\n");
		snprintf(buf, sizeof buf, "%s%s%s %.*s", first ? mark : "", *mark ? " " : "",
		         first ? ">>>" : "...", (int)n, s);
		line(p, first || !*mark ? 2 : 2 + view_strwidth(mark), r, buf);
		first = false;
		if (!s[n])
			break;
		s += n + 1;
	}
}

static void draw_checks(pen *p, const ex_item *it, const lesson_exercise *x)
{
	size_t i;

	if (!it->tried) {
		line(p, 0, R_BOLD, "The checks:");
		for (i = 0; i < x->nchecks; i++) {
			statement(p, "", R_CODE, x->checks[i].source);
			if (*x->checks[i].expected)
				labelled(p, "expected", R_NORMAL, x->checks[i].expected);
		}
		return;
	}
	for (i = 0; i < it->nchecks; i++) {
		const ex_check *c = &it->checks[i];
		/* Hidden until asked for: the checks that pass. */
		if (c->ok && !it->reveal)
			continue;
		statement(p, c->ok ? view_g->check : view_g->cross, c->ok ? R_GOOD : R_ERROR,
		          c->source);
		if (!c->ok) {
			labelled(p, "expected", R_NORMAL, c->expected);
			labelled(p, "got", R_ERROR, c->got);
		}
	}
}

void tui_exercise_draw(app *a)
{
	const lesson_exercise *x = current(a);
	const ex_item *it = &a->ex->items[a->ex->cur];
	int h = LINES - 2, w = COLS - 4 > 96 ? 96 : COLS - 4, by = 1, bx = (COLS - w) / 2, i;
	char title[128], buf[256];
	pen p;
	size_t k;

	/* The dialog is the screen for now: the panes' borders would peek
	 * out beside its own, row after row. */
	for (i = 0; i < LINES - 1; i++)
		tui_fill(stdscr, i, 0, COLS, R_NORMAL);
	snprintf(title, sizeof title, "Exercise: %s%s", x->name, it->solved ? " (solved)" : "");
	tui_box(stdscr, by, bx, h, w, true, title, NULL);
	p = (pen){ by + 1, bx + 2, w - 4, by + h - 2 };
	prose(&p, 0, R_NORMAL, x->task);
	for (k = 0; k < it->hints; k++) {
		line(&p, 0, R_NORMAL, "");
		snprintf(buf, sizeof buf, "Hint %zu of %zu:", k + 1, x->nhints);
		line(&p, 0, R_BOLD, buf);
		prose(&p, 2, R_NORMAL, x->hints[k]);
	}
	line(&p, 0, R_NORMAL, "");
	if (it->tried) {
		if (it->raised) {
			snprintf(buf, sizeof buf, "Your code raised %s", it->raised_text ? it->raised_text : "");
			line(&p, 0, R_ERROR, buf);
		}
		if (it->passed == it->nchecks && !it->raised)
			snprintf(buf, sizeof buf, "Solved: all %zu checks pass.", it->nchecks);
		else
			snprintf(buf, sizeof buf, "%zu of %zu checks pass. Esc: your "
			         "generator in the panes.", it->passed, it->nchecks);
		line(&p, 0, it->passed == it->nchecks && !it->raised ? R_GOOD : R_BOLD, buf);
	}
	if (it->reveal || it->tried)
		draw_checks(&p, it, x);
	if (a->ex->error)
		tui_put(stdscr, by + h - 2, bx + 2, w - 4, R_ERROR, a->ex->error);
}
