/* tui_menu.c: the lesson menu: the lessons of a folder, each with its
 * title, its steps and how far the learner got in it. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui_app.h"
#include "util.h"

static int menu_cmp(const void *x, const void *y)
{
	return strcmp(((const menu_item *)x)->name, ((const menu_item *)y)->name);
}

void tui_menu_free(menu *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		ys_free(m->items[i].path);
		ys_free(m->items[i].name);
		ys_free(m->items[i].title);
		ys_free(m->items[i].error);
	}
	ys_free(m->items);
	m->items = NULL;
	m->n = 0;
}

void tui_menu_load(app *a)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0, i;

	tui_menu_free(&a->menu);
	if (!a->o.lessons_dir || !(d = opendir(a->o.lessons_dir)))
		return;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		menu_item *m, *nm;
		/* A folder's README describes the lessons; it is not one. */
		if (n < 4 || strcmp(de->d_name + n - 3, ".md") != 0 || de->d_name[0] == '.' ||
		    strcasecmp(de->d_name, "README.md") == 0)
			continue;
		nm = ys_grow(a->menu.items, a->menu.n, &cap, sizeof *nm, 16);
		if (!nm)
			break;
		a->menu.items = nm;
		m = &a->menu.items[a->menu.n++];
		memset(m, 0, sizeof *m);
		m->name = ys_strdup(de->d_name);
		m->path = ys_asprintf("%s/%s", a->o.lessons_dir, de->d_name);
	}
	closedir(d);
	if (a->menu.n)
		qsort(a->menu.items, a->menu.n, sizeof *a->menu.items, menu_cmp);
	for (i = 0; i < a->menu.n; i++) {
		lesson_error err;
		lesson *l = a->menu.items[i].path ? lesson_load_for(a->menu.items[i].path, engine_python_version(), &err) : NULL;
		if (!l) {
			a->menu.items[i].error = ys_asprintf("line %d: %s", err.line, err.message);
			continue;
		}
		a->menu.items[i].title = ys_strdup(l->title);
		a->menu.items[i].nsteps = l->nsteps;
		lesson_free(l);
		if (a->prog) {
			char *key = progress_key(a->menu.items[i].path);
			if (key)
				progress_get(a->prog, key, &a->menu.items[i].rec);
			ys_free(key);
		}
	}
	tui_show_warnings(a);
}

void tui_menu_draw(app *a)
{
	int w = COLS > 100 ? 100 : COLS, bx = (COLS - w) / 2, h = LINES - 1, y, x, rows, i;

	tui_box(stdscr, 0, bx, h, w, true, "yieldscope", "lessons on generators");
	y = 2;
	x = bx + 3;
	tui_put(stdscr, y, x, w - 6, R_NORMAL,
	        "Choose a lesson. Each one runs real Python, step by step.");
	y += 2;
	rows = h - 1 - y;
	if (a->menu.n == 0) {
		tui_put(stdscr, y, x, w - 6, R_ERROR, "No lessons found in");
		tui_put(stdscr, y + 1, x, w - 6, R_CODE, a->o.lessons_dir ? a->o.lessons_dir : "(no folder)");
	}
	if (a->menu.sel < a->menu.top)
		a->menu.top = a->menu.sel;
	if ((int)(a->menu.sel - a->menu.top) >= rows)
		a->menu.top = a->menu.sel - (size_t)rows + 1;
	for (i = 0; i < rows && a->menu.top + (size_t)i < a->menu.n; i++) {
		const menu_item *m = &a->menu.items[a->menu.top + (size_t)i];
		bool sel = a->menu.top + (size_t)i == a->menu.sel;
		int col = x, right = bx + w - 3;
		char steps[80];
		view_role r = sel ? R_TITLE_FOCUS : R_NORMAL;

		if (sel)
			tui_fill(stdscr, y + i, x - 1, w - 4, R_TITLE_FOCUS);
		col += tui_put(stdscr, y + i, col, 2, r, sel ? view_g->sel : " ");
		col += tui_put(stdscr, y + i, col, 1, r, " ");
		if (m->error)
			snprintf(steps, sizeof steps, "does not load");
		else if (m->rec.furthest >= m->nsteps)
			snprintf(steps, sizeof steps, "done");
		else if (m->rec.furthest > 0)
			snprintf(steps, sizeof steps, "step %zu/%zu", m->rec.furthest + 1, m->nsteps);
		else
			snprintf(steps, sizeof steps, "%zu steps", m->nsteps);
		if (!m->error && m->rec.right + m->rec.wrong > 0) {
			size_t l = strlen(steps);
			if ((unsigned char)view_g->check[0] >= 0x80)
				snprintf(steps + l, sizeof steps - l, "  %s%u %s%u", view_g->check,
				         m->rec.right, view_g->cross, m->rec.wrong);
			else
				snprintf(steps + l, sizeof steps - l, "  %u right %u wrong",
				         m->rec.right, m->rec.wrong);
		}
		right -= view_strwidth(steps);
		if (w >= 90) {
			int nw = view_strwidth(m->name);
			tui_put(stdscr, y + i, right - nw - 2, nw, sel ? r : R_DIM, m->name);
			right -= nw + 2;
		}
		tui_put(stdscr, y + i, col, right - col - 2, sel ? r : R_BOLD, m->title ? m->title : m->name);
		tui_put(stdscr, y + i, bx + w - 3 - view_strwidth(steps), 40,
		        sel ? r : m->error ? R_ERROR : m->rec.furthest >= m->nsteps ? R_GOOD : R_DIM, steps);
	}
	if (a->menu.error)
		tui_put(stdscr, h - 2, x, w - 6, R_ERROR, a->menu.error);
}

void tui_menu_act(app *a, tui_action act, int arg)
{
	switch (act) {
	case TA_MENU_MOVE:
		if (arg < 0 && a->menu.sel > 0)
			a->menu.sel--;
		else if (arg > 0 && a->menu.sel + 1 < a->menu.n)
			a->menu.sel++;
		break;
	case TA_MENU_JUMP:
		if (arg == 0)
			a->menu.sel = 0;
		else if (a->menu.n)
			a->menu.sel = a->menu.n - 1;
		break;
	case TA_MENU_OPEN:
		if (a->menu.n)
			tui_open_lesson(a, a->menu.items[a->menu.sel].path);
		break;
	case TA_HELP:
		a->ov = OV_HELP;
		break;
	case TA_EXIT:
		a->quit = true;
		break;
	default:
		break;
	}
}

