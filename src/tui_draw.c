/* tui_draw.c: roles to colours and attributes, clipped text, boxes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui_int.h"
#include "util.h"

/* ---- Styles -------------------------------------------------------------------
 * Each role has a colour form and a monochrome form. The monochrome form
 * alone must keep every meaning readable (states are written out anyway);
 * colour adds speed of reading on a projector.
 */

typedef struct {
	short fg, bg;           /* -1: terminal default */
	attr_t color_attr;      /* added to the colour */
	attr_t mono_attr;       /* used alone without colour */
} style;

static const style styles[R_NROLES] = {
	[R_NORMAL]       = { -1, -1, A_NORMAL, A_NORMAL },
	[R_DIM]          = { -1, -1, A_DIM, A_DIM },
	[R_BOLD]         = { -1, -1, A_BOLD, A_BOLD },
	[R_BORDER]       = { -1, -1, A_NORMAL, A_NORMAL },
	[R_BORDER_FOCUS] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[R_TITLE]        = { -1, -1, A_BOLD, A_BOLD },
	[R_TITLE_FOCUS]  = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	[R_LINENO]       = { COLOR_CYAN, -1, A_NORMAL, A_DIM },
	[R_CODE]         = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[R_RUN_LINE]     = { COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE },
	[R_MARK]         = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[R_MARK_SEL]     = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD },
	[R_ERROR]        = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[R_GOOD]           = { COLOR_GREEN, -1, A_BOLD, A_NORMAL },
	[R_ST_CREATED]   = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_UNDERLINE },
	[R_ST_RUNNING]   = { COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD },
	[R_ST_SUSPENDED] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_BOLD },
	[R_ST_CLOSED]    = { COLOR_WHITE, COLOR_MAGENTA, A_NORMAL, A_DIM },
	[R_SELECTED]     = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[R_DOWN]         = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[R_UP]           = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[R_ACTION]       = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[R_KEY]          = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[R_BAR]          = { -1, -1, A_NORMAL, A_NORMAL },
	[R_PROMPT]       = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[R_OFF]          = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE },
	[R_HEADING]      = { -1, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE },
};

static bool use_color;

void tui_styles_init(void)
{
	const char *nc = getenv("NO_COLOR");
	int i;

	use_color = !(nc && *nc) && has_colors();
	if (!use_color)
		return;
	start_color();
	use_default_colors();
	for (i = 0; i < R_NROLES; i++)
		init_pair((short)(i + 1), styles[i].fg, styles[i].bg);
}

bool tui_has_color(void)
{
	return use_color;
}

attr_t tui_attr(view_role r)
{
	if (r < 0 || r >= R_NROLES)
		r = R_NORMAL;
	if (!use_color)
		return styles[r].mono_attr;
	if (styles[r].fg == -1 && styles[r].bg == -1)
		return styles[r].color_attr;
	return styles[r].color_attr | COLOR_PAIR(r + 1);
}

/* ---- Text ----------------------------------------------------------------------- */

int tui_put(WINDOW *w, int y, int x, int maxw, view_role r, const char *text)
{
	bool utf8 = tui_utf8();
	size_t n = text ? strlen(text) : 0;
	const char *s = text;
	attr_t a = tui_attr(r);
	int col = 0;

	wattrset(w, a);
	while (n > 0 && col < maxw) {
		wchar_t wc;
		size_t len;
		int cw;
		cchar_t cc;
		wchar_t wstr[2];

		if ((unsigned char)*s < 0x80) {
			wc = (unsigned char)*s;
			len = 1;
		} else {
			uint32_t cp;
			/* The same decoder as the width rule's (text.h). */
			len = ys_utf8_decode(s, n, &cp);
			wc = len ? (wchar_t)cp : '?';
			if (!len)
				len = 1;
			if (len > 1 && !utf8) {
				/* The locale cannot show it: its ASCII stand-in, as
				 * wide as the width rule counts it. */
				const char *t = ys_ascii_of(cp);
				int tw = (int)strlen(t);

				if (col + tw > maxw)
					break;
				mvwaddnstr(w, y, x + col, t, tw);
				col += tw;
				s += len;
				n -= len;
				continue;
			}
		}
		/* The program's escape rule (text.h), and every control. */
		if (wc < 0x20 || ys_is_control((uint32_t)wc))
			wc = '?';
		cw = wcwidth(wc);
		if (cw < 0) {
			wc = '?';
			cw = 1;
		}
		if (col + cw > maxw)
			break;
		wstr[0] = wc;
		wstr[1] = 0;
		setcchar(&cc, wstr, a, 0, NULL);
		mvwadd_wch(w, y, x + col, &cc);
		col += cw;
		s += len;
		n -= len;
	}
	wattrset(w, A_NORMAL);
	return col;
}

void tui_fill(WINDOW *w, int y, int x, int n, view_role r)
{
	int i;

	wattrset(w, tui_attr(r));
	for (i = 0; i < n; i++)
		mvwaddch(w, y, x + i, ' ');
	wattrset(w, A_NORMAL);
}

void tui_box(WINDOW *win, int y, int x, int h, int w, bool focused,
             const char *title, const char *subtitle)
{
	attr_t a = tui_attr(focused ? R_BORDER_FOCUS : R_BORDER);
	int i, col;

	if (h < 2 || w < 2)
		return;
	wattrset(win, a);
	mvwadd_wch(win, y, x, WACS_ULCORNER);
	mvwadd_wch(win, y, x + w - 1, WACS_URCORNER);
	mvwadd_wch(win, y + h - 1, x, WACS_LLCORNER);
	mvwadd_wch(win, y + h - 1, x + w - 1, WACS_LRCORNER);
	for (i = 1; i < w - 1; i++) {
		mvwadd_wch(win, y, x + i, WACS_HLINE);
		mvwadd_wch(win, y + h - 1, x + i, WACS_HLINE);
	}
	for (i = 1; i < h - 1; i++) {
		mvwadd_wch(win, y + i, x, WACS_VLINE);
		mvwadd_wch(win, y + i, x + w - 1, WACS_VLINE);
	}
	wattrset(win, A_NORMAL);
	if (!title || w < 6)
		return;
	/* " Title " set into the top edge, then a dimmer subtitle. */
	/* Leave the right end for a "more" mark. */
	w -= 8;
	col = x + 1;
	col += tui_put(win, y, col, w - 3, R_NORMAL, " ");
	col += tui_put(win, y, col, x + w - 2 - col, focused ? R_TITLE_FOCUS : R_TITLE, title);
	col += tui_put(win, y, col, x + w - 2 - col, R_NORMAL, " ");
	if (subtitle && *subtitle && x + w - 2 - col > 4) {
		col += tui_put(win, y, col, x + w - 2 - col, R_DIM, view_g->dot);
		col += tui_put(win, y, col, x + w - 2 - col, R_NORMAL, " ");
		/* A subtitle that does not fit ends in "…", never mid-word. */
		char *fit = view_fit(subtitle, x + w - 3 - col);
		col += tui_put(win, y, col, x + w - 2 - col, R_DIM, fit ? fit : "");
		tui_put(win, y, col, x + w - 2 - col, R_NORMAL, " ");
		ys_free(fit);
	}
}

void tui_draw_lines(WINDOW *win, int y, int x, int h, int w,
                    const view_lines *v, int offset)
{
	int row;
	size_t i;

	for (row = 0; row < h; row++) {
		int col = 0;
		size_t li = (size_t)offset + (size_t)row;
		const view_line *l;

		tui_fill(win, y + row, x, w, R_NORMAL);
		if (offset < 0 || li >= v->nlines)
			continue;
		l = &v->lines[li];
		for (i = 0; i < l->nsegs && col < w; i++)
			col += tui_put(win, y + row, x + col, w - col, l->segs[i].role,
			               l->segs[i].text);
		if (l->fill != R_NORMAL && col < w)
			tui_fill(win, y + row, x + col, w - col, l->fill);
	}
}
