/* text.c: glyphs and the width of UTF-8 (see text.h). */
/* wcwidth is X/Open and fopencookie GNU: glibc declares them only when
 * asked, and GCC 14 and later (Debian 13 and sid) refuse a call to an
 * undeclared function. */
#define _GNU_SOURCE
#include "config.h"

#include <langinfo.h>
#include <stdio.h>
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

const char *ys_ascii_of(uint32_t cp)
{
	/* Typography of the lessons' prose, beside the program's glyphs. */
	static const struct { uint32_t cp; const char *ascii; } extra[] = {
		{ 0x2014, "--" }, { 0x2013, "-" }, { 0x2018, "'" }, { 0x2019, "'" },
		{ 0x201C, "\"" }, { 0x201D, "\"" }, { 0x2022, "*" }, { 0x25BA, ">" },
		{ 0x2264, "<=" }, { 0x2265, ">=" }, { 0x2260, "!=" }, { 0x00A0, " " },
		{ 0x2192, "->" }, { 0x21D2, "=>" }, { 0x2502, "|" }, { 0x2500, "-" },
	};
	const char *const *u = (const char *const *)&ys_glyphs_utf8;
	const char *const *a = (const char *const *)&ys_glyphs_ascii;
	size_t i, k = sizeof ys_glyphs_utf8 / sizeof *u;

	for (i = 0; i < sizeof extra / sizeof *extra; i++)
		if (extra[i].cp == cp)
			return extra[i].ascii;
	/* A glyph of the program's stands for itself as the screen shows
	 * it in ASCII (its fields are all strings). */
	for (i = 0; i < k; i++) {
		uint32_t g;

		if (u[i] && ys_utf8_decode(u[i], strlen(u[i]), &g) == strlen(u[i]) && g == cp)
			return a[i];
	}
	return "?";
}

int ys_char_width(const char *s, size_t n, bool utf8, size_t *len)
{
	uint32_t cp;
	int w;

	*len = ys_utf8_decode(s, n, &cp);
	if (*len == 0) {
		*len = 1;
		return 1;
	}
	if (cp >= 0x80 && !utf8)
		return (int)strlen(ys_ascii_of(cp));
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

size_t ys_utf8_bytes(const char *s, long chars)
{
	size_t b = 0;

	while (s[b] && chars > 0) {
		b++;
		while (((unsigned char)s[b] & 0xC0) == 0x80)
			b++;
		chars--;
	}
	return b;
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

bool ys_is_control(uint32_t cp)
{
	return (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t ys_escape_char(const char *s, size_t n, size_t *len, char out[8])
{
	uint32_t cp;

	*len = ys_utf8_decode(s, n, &cp);
	if (*len == 0) {
		*len = 1;
		return (size_t)snprintf(out, 8, "\\x%02x", (unsigned char)*s);
	}
	if (!ys_is_control(cp))
		return 0;
	return (size_t)snprintf(out, 8, cp <= 0xFF ? "\\x%02x" : "\\u%04x", (unsigned)cp);
}

void ys_escape_append(strbuf *sb, const char *s, size_t n)
{
	char esc[8];
	size_t from = 0, at = 0, len, elen;

	/* Runs of plain text go in whole: the handout of a step that printed
	 * 64 KiB is appended in a few calls, not one per character. */
	while (at < n) {
		if ((unsigned char)s[at] >= 0x20 && (unsigned char)s[at] < 0x7F) {
			at++;
			continue;
		}
		elen = ys_escape_char(s + at, n - at, &len, esc);
		if (elen) {
			sb_appendn(sb, s + from, at - from);
			sb_appendn(sb, esc, elen);
			from = at + len;
		}
		at += len;
	}
	sb_appendn(sb, s + from, at - from);
}

int ys_escape_fputs(const char *s, FILE *f)
{
	strbuf sb = {0};
	int rc;

	ys_escape_append(&sb, s, strlen(s));
	rc = sb.failed || fwrite(sb_cstr(&sb), 1, sb.len, f) != sb.len ? EOF : 0;
	sb_free(&sb);
	return rc;
}

/* An escaping stream: bytes pass to the stream below under the escape
 * rule; a UTF-8 character cut between two writes waits for its end. */
typedef struct {
	FILE *to;
	char pending[4];
	size_t npending;
} escaper;

/* Bytes at the end of s[0..n) that begin a character not yet complete. */
static size_t incomplete_tail(const char *s, size_t n)
{
	size_t k;

	for (k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = (unsigned char)s[n - k];
		if ((c & 0xC0) == 0x80)
			continue;
		if ((c >= 0xC2 && c <= 0xDF && k < 2) || (c >= 0xE0 && c <= 0xEF && k < 3) ||
		    (c >= 0xF0 && c <= 0xF4 && k < 4))
			return k;
		return 0;
	}
	return 0;
}

static ssize_t escaper_write(void *cookie, const char *buf, size_t size)
{
	escaper *e = cookie;
	strbuf in = {0}, out = {0};
	size_t keep;
	int rc;

	sb_appendn(&in, e->pending, e->npending);
	sb_appendn(&in, buf, size);
	keep = in.failed ? 0 : incomplete_tail(in.data, in.len);
	ys_escape_append(&out, sb_cstr(&in), in.len - keep);
	rc = in.failed || out.failed ||
	     fwrite(sb_cstr(&out), 1, out.len, e->to) != out.len || fflush(e->to) != 0;
	if (!rc) {
		memcpy(e->pending, in.data + in.len - keep, keep);
		e->npending = keep;
	}
	sb_free(&in);
	sb_free(&out);
	return rc ? 0 : (ssize_t)size;
}

static int escaper_close(void *cookie)
{
	escaper *e = cookie;
	strbuf out = {0};
	int rc;

	/* A character never completed: its bytes are not UTF-8. */
	ys_escape_append(&out, e->pending, e->npending);
	rc = out.failed || fwrite(sb_cstr(&out), 1, out.len, e->to) != out.len ||
	     fflush(e->to) != 0 ? EOF : 0;
	sb_free(&out);
	ys_free(e);
	return rc;
}

FILE *ys_escape_stream(FILE *to)
{
	cookie_io_functions_t io = { .write = escaper_write, .close = escaper_close };
	escaper *e = ys_calloc(1, sizeof *e);
	FILE *f;

	if (!e)
		return NULL;
	e->to = to;
	f = fopencookie(e, "w", io);
	if (!f)
		ys_free(e);
	return f;
}
