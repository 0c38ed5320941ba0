/* text.c: glyphs and the width of UTF-8 (see text.h). */
/* wcwidth is X/Open: glibc declares it only when asked, and GCC 14 and
 * later (Debian 13 and sid) refuse a call to an undeclared function. */
#define _GNU_SOURCE
#include "config.h"

#include <langinfo.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "text.h"

const ys_glyphs ys_glyphs_utf8 = {
	.mark = "\u25c0", .sel = "\u25b8", .dot = "\u00b7", .ell = "\u2026",
	.hline = "\u2500", .dline = "\u2550", .vline = "\u2502", .down = "\u25bc",
	.up = "\u25b2", .right = "\u25b6", .left = "\u25c0", .larrow = "\u2190",
	.rarrow = "\u2192", .uarrow = "\u2191", .darrow = "\u2193", .cross = "\u2717",
	.check = "\u2713", .times = "\u00d7", .cursor = "\u258f", .corner = "\u2514",
	.tee = "\u251c", .sep = " \u00b7 ",
};

const ys_glyphs ys_glyphs_ascii = {
	.mark = "<", .sel = ">", .dot = "-", .ell = "...",
	.hline = "-", .dline = "=", .vline = "|", .down = "v",
	.up = "^", .right = ">", .left = "<", .larrow = "<-",
	.rarrow = "->", .uarrow = "^", .darrow = "v", .cross = "x",
	.check = "ok", .times = "x", .cursor = "|", .corner = "`",
	.tee = "|", .sep = ", ",
};

const ys_glyphs *ys_glyphs_get(bool utf8)
{
	return utf8 ? &ys_glyphs_utf8 : &ys_glyphs_ascii;
}

bool ys_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

size_t ys_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c;
	size_t k, need;
	uint32_t v;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (need >= n)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((need == 2 && v < 0x800) || (need == 3 && v < 0x10000) ||
	    (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
		return 0;
	*cp = v;
	return need + 1;
}

int ys_char_width(const char *s, size_t n, bool utf8, size_t *len)
{
	uint32_t cp;
	int w;

	*len = 1;
	if ((unsigned char)*s >= 0x80 && !utf8)
		return 1;
	*len = ys_utf8_decode(s, n, &cp);
	if (*len == 0) {
		*len = 1;
		return 1;
	}
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int ys_width(const char *s, size_t n, bool utf8)
{
	size_t len;
	int w = 0;

	while (n > 0) {
		w += ys_char_width(s, n, utf8, &len);
		s += len;
		n -= len;
	}
	return w;
}
