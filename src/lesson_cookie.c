/* lesson_cookie.c: the text of a .py lesson as CPython reads it: a PEP 263
 * coding cookie in its first two lines says how its bytes decode. The
 * rule is tokenize.detect_encoding's, done in C (the lesson layer has no
 * Python); iconv(3) does the decoding. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "lesson_int.h"

static bool name_char(unsigned char c)
{
	/* The cookie's name is [-\w.]+; a non-ASCII letter is a \w too, and
	 * names no codec either way. */
	return c == '-' || c == '.' || c == '_' || c >= 0x80 ||
	       (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The cookie of line s[0..n) (no newline), as tokenize's cookie_re
 * ^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+) matches it: true with the name's
 * offset and length, false when the line has none. */
static bool find_cookie(const char *s, size_t n, size_t *at, size_t *len)
{
	size_t i = 0, j;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f'))
		i++;
	if (i >= n || s[i] != '#')
		return false;
	/* .*? is lazy: the first "coding" that the rest matches after wins. */
	for (i++; i + 7 <= n; i++) {
		if (memcmp(s + i, "coding", 6) != 0 || (s[i + 6] != ':' && s[i + 6] != '='))
			continue;
		for (j = i + 7; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
			;
		*at = j;
		while (j < n && name_char((unsigned char)s[j]))
			j++;
		if (j > *at) {
			*len = j - *at;
			return true;
		}
	}
	return false;
}

/* tokenize's blank_re, ^[ \t\f]*(?:[#\r\n]|$): may a cookie follow on the
 * second line? */
static bool blank_or_comment(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f'))
		i++;
	return i == n || s[i] == '#' || s[i] == '\r';
}

/* tokenize._get_normal_name: utf-8 and latin-1 under their many spellings
 * (of the first 12 characters), any other name as it is. */
static void normal_name(const char *name, size_t n, char *out, size_t size)
{
	char low[13];
	size_t i, k = n < 12 ? n : 12;

	for (i = 0; i < k; i++) {
		char c = name[i];
		low[i] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	low[k] = '\0';
	if (strcmp(low, "utf-8") == 0 || strncmp(low, "utf-8-", 6) == 0)
		snprintf(out, size, "utf-8");
	else if (strcmp(low, "latin-1") == 0 || strcmp(low, "iso-8859-1") == 0 ||
	         strcmp(low, "iso-latin-1") == 0 || strncmp(low, "latin-1-", 8) == 0 ||
	         strncmp(low, "iso-8859-1-", 11) == 0 || strncmp(low, "iso-latin-1-", 12) == 0)
		snprintf(out, size, "iso-8859-1");
	else
		snprintf(out, size, "%.*s", (int)n, name);
}

/* Line k (from 0, at most 1) of s: its start and length without '\n'. */
static bool nth_line(const char *s, size_t n, int k, size_t *start, size_t *len)
{
	size_t at = 0;
	const char *nl;

	while (k-- > 0) {
		nl = memchr(s + at, '\n', n - at);
		if (!nl)
			return false;
		at = (size_t)(nl - s) + 1;
	}
	if (at >= n)
		return false;
	nl = memchr(s + at, '\n', n - at);
	*start = at;
	*len = nl ? (size_t)(nl - s) - at : n - at;
	return true;
}

/* The cookie of the first two lines of s, as detect_encoding looks for
 * it: the line (1 or 2) and the name's place, or 0 for none. A line it
 * reads must be UTF-8; -1 when it is not. */
static int locate(const char *s, size_t n, size_t *at, size_t *len)
{
	size_t start, ln;
	int k;

	for (k = 0; k < 2 && nth_line(s, n, k, &start, &ln); k++) {
		if (ys_utf8_invalid_at(s + start, ln) != (size_t)-1)
			return -1;
		if (find_cookie(s + start, ln, at, len)) {
			*at += start;
			return k + 1;
		}
		if (!blank_or_comment(s + start, ln))
			break;
	}
	return 0;
}

/* n bytes of s in codec code, as UTF-8 into a new buffer (NUL-terminated,
 * its length in *out_len); NULL with the offset of the first byte that
 * does not decode in *bad (or (size_t)-1 when out of memory). */
static char *convert(iconv_t cd, const char *s, size_t n, size_t *out_len, size_t *bad)
{
	/* UTF-8 takes at most 4 bytes a character, and a character at
	 * least one byte of any codec iconv decodes here. */
	size_t cap = n * 4 + 1, in_left = n, out_left = cap - 1;
	char *out = ys_malloc(cap), *in = (char *)s, *o = out;

	*bad = (size_t)-1;
	if (!out)
		return NULL;
	if (iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &o, &out_left) == (size_t)-1) {
		if (errno != E2BIG)
			*bad = (size_t)(in - s);
		ys_free(out);
		return NULL;
	}
	*o = '\0';
	*out_len = (size_t)(o - out);
	return out;
}

/* Line (from 1) of offset off in s. */
static int line_at(const char *s, size_t off)
{
	int line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/* The iconv descriptor from codec name to UTF-8, or (iconv_t)-1. */
static iconv_t open_codec(const char *name)
{
	char code[64];
	iconv_t cd;
	int k;

	snprintf(code, sizeof code, "%s", name);
	cd = iconv_open("UTF-8", code);
	if (cd != (iconv_t)-1)
		return cd;
	/* iconv spells Python's euc_jp as EUC-JP. */
	for (k = 0; code[k]; k++)
		if (code[k] == '_')
			code[k] = '-';
	return iconv_open("UTF-8", code);
}

char *lp_decode_python(const char *text, size_t len, size_t *out_len,
                       int *line, char *msg, size_t msgsize)
{
	bool bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
	const char *s = bom ? text + 3 : text;
	size_t n = bom ? len - 3 : len, at, nlen, bad;
	char name[64], *out;
	int where = locate(s, n, &at, &nlen);
	iconv_t cd;

	*line = 0;
	if (where < 0) {
		*line = line_at(s, ys_utf8_invalid_at(s, n));
		snprintf(msg, msgsize, "invalid or missing encoding declaration");
		return NULL;
	}
	if (where > 0)
		normal_name(s + at, nlen, name, sizeof name);
	if (where == 0 || strcmp(name, "utf-8") == 0) {
		out = ys_strndup(text, len);
		*out_len = len;
		if (!out)
			snprintf(msg, msgsize, "out of memory");
		return out;
	}
	*line = where;
	if (bom) {
		snprintf(msg, msgsize, "encoding problem: utf-8 (a byte order mark "
		         "and a coding cookie for %s)", name);
		return NULL;
	}
	cd = open_codec(name);
	if (cd == (iconv_t)-1) {
		snprintf(msg, msgsize, "unknown encoding: %s", name);
		return NULL;
	}
	out = convert(cd, s, n, out_len, &bad);
	iconv_close(cd);
	if (!out) {
		if (bad == (size_t)-1) {
			*line = 0;
			snprintf(msg, msgsize, "out of memory");
		} else {
			*line = line_at(s, bad);
			snprintf(msg, msgsize, "cannot be decoded as %s", name);
		}
		return NULL;
	}
	/* The text keeps its cookie, as the file has it: the engine compiles
	 * text as compile() does a str, ignoring the cookie. */
	return out;
}
