/* text.h: how the program's text is shown, for the terminal and the
 * transcript alike: the glyphs of the locale and the width of UTF-8.
 * No curses, no Python. */
#ifndef YS_TEXT_H
#define YS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

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

/* What a locale that cannot show UTF-8 shows for the non-ASCII character
 * cp: the ASCII of the program's glyph it is (▶ is ">"), of a common
 * typographic one (— is "--", “ is a double quote), else "?". */
const char *ys_ascii_of(uint32_t cp);
/* The one width rule: the columns of the character at s, its length in
 * *len. wcwidth of its code point; an invalid byte or a control character
 * is one column; utf8 false, a non-ASCII character is as wide as its
 * ys_ascii_of. */
int ys_char_width(const char *s, size_t n, bool utf8, size_t *len);
/* The bytes of UTF-8 text s that hold its first chars characters (code
 * points, as Python's len() counts what a step printed), at most up to
 * its NUL. */
size_t ys_utf8_bytes(const char *s, long chars);
/* Columns of n bytes of s. */
int ys_width(const char *s, size_t n, bool utf8);

/* ---- Text from lessons on its way to a terminal -------------------------
 * A lesson's title, prose, output, reprs and messages are shown, never
 * obeyed: the one escape rule below turns every character a terminal
 * would act on into visible text, as Python's repr spells it. Escaped are
 * the C0 controls but newline and tab, DEL, the C1 controls U+0080-U+009F
 * (all as \xNN), the bidi embeddings, overrides and isolates U+202A-U+202E
 * and U+2066-U+2069 (as \uNNNN), and each byte that is not part of valid
 * UTF-8 (as \xNN: a lone 0x9B is the 8-bit CSI). A backslash stays as it
 * is. The handout, --check and its diff write through it; --json escapes
 * as JSON does, and the terminal UI shows such a character as '?'. */

/* Is code point cp one the rule escapes (newline and tab are not)? */
bool ys_is_control(uint32_t cp);
/* The escape of the character at s (n > 0 bytes available) into out,
 * NUL-terminated, with its length in *len; returns the length of the
 * escape, or 0 when the character is shown as it is. */
size_t ys_escape_char(const char *s, size_t n, size_t *len, char out[8]);
/* n bytes of s appended to sb under the escape rule. */
void ys_escape_append(strbuf *sb, const char *s, size_t n);
/* s written to f under the escape rule; EOF when it cannot be written. */
int ys_escape_fputs(const char *s, FILE *f);
/* A stream that writes to `to` under the escape rule, for a writer of
 * many fprintf calls (--plain); fclose it (which leaves `to` open) to end.
 * NULL when out of memory. */
FILE *ys_escape_stream(FILE *to);

#endif
