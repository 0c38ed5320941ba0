/* text.h: how the program's text is shown, for the terminal and the
 * transcript alike: the glyphs of the locale and the width of UTF-8.
 * No curses, no Python. */
#ifndef YS_TEXT_H
#define YS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Non-ASCII symbols, with ASCII stand-ins for a locale that cannot show
 * UTF-8 (LC_ALL=C): a byte sequence the terminal cannot decode prints as
 * garbage. Box lines of the panes are not here: they come from ncurses'
 * portable line drawing (WACS_*). */
typedef struct {
	const char *mark;       /* ◀ beside a paused line */
	const char *sel;        /* ▸ before the selected generator */
	const char *dot;        /* · separator */
	const char *ell;        /* … (also a value that could not be observed) */
	const char *hline;      /* ─ inside text, a transcript's rule */
	const char *dline;      /* ═ under a transcript's title */
	const char *vline;      /* │ inside text */
	const char *down;       /* ▼ */
	const char *up;         /* ▲ */
	const char *right;      /* ▶ */
	const char *left;       /* ◀ */
	const char *larrow;     /* ← */
	const char *rarrow;     /* → */
	const char *uarrow;     /* ↑ */
	const char *darrow;     /* ↓ */
	const char *cross;      /* ✗ */
	const char *check;      /* ✓ */
	const char *times;      /* × */
	const char *cursor;     /* ▏ (unused when the terminal cursor shows) */
	const char *corner;     /* └ inside text */
	const char *tee;        /* ├ inside text */
	const char *sep;        /* " · " between a line and f_lasti (", ") */
} ys_glyphs;

extern const ys_glyphs ys_glyphs_utf8, ys_glyphs_ascii;
/* The UTF-8 glyphs, or the ASCII ones. */
const ys_glyphs *ys_glyphs_get(bool utf8);
/* Does the locale's character set (LC_CTYPE) say UTF-8? */
bool ys_locale_utf8(void);

/* The UTF-8 character at s (n bytes available): its code point in *cp,
 * returns its length, or 0 when the bytes there are not valid UTF-8
 * (overlong forms, surrogates and values past U+10FFFF included). */
size_t ys_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The one width rule: the columns of the character at s, its length in
 * *len. wcwidth of its code point; an invalid byte, a control character,
 * or (utf8 false, where it shows as '?') each byte of a non-ASCII
 * character is one column. */
int ys_char_width(const char *s, size_t n, bool utf8, size_t *len);
/* Columns of n bytes of s. */
int ys_width(const char *s, size_t n, bool utf8);

#endif
