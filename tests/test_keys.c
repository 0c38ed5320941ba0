/* test_keys.c: the table of actions against the man page's KEYS section,
 * and the table's own consistency: no key does two things in one mode,
 * and the key bar offers what the state allows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_keys.h"
#include "view.h"

#define MAXTOK 4096

typedef struct {
	char *tok[MAXTOK];
	size_t n;
} tokens;

static void add_token(tokens *t, const char *s, size_t n)
{
	if (n == 0 || t->n == MAXTOK)
		return;
	/* "1-6" names the keys 1 to 6. */
	if (n == 3 && s[1] == '-' && s[0] < s[2]) {
		char c;
		for (c = s[0]; c <= s[2] && t->n < MAXTOK; c++) {
			t->tok[t->n] = calloc(1, 2);
			t->tok[t->n++][0] = c;
		}
		return;
	}
	t->tok[t->n] = calloc(1, n + 1);
	memcpy(t->tok[t->n++], s, n);
}

/* A troff line without its macro and escapes, cut into words: "Space,
 * Enter" and ".BR ? \", \" F1" both give their key names. */
static void add_words(tokens *t, const char *line)
{
	char buf[512];
	size_t o = 0;
	const char *s = line;

	if (*s == '.') {
		while (*s && *s != ' ')
			s++;
	}
	while (*s && o + 2 < sizeof buf) {
		if (s[0] == '\\' && s[1] == 'f' && s[2]) {
			s += 3;
		} else if (s[0] == '\\' && s[1] == '-') {
			buf[o++] = '-';
			s += 2;
		} else if (s[0] == '\\' && s[1] == '(' && s[2] && s[3]) {
			buf[o++] = '-';         /* \(en between a range's ends */
			s += 4;
		} else {
			buf[o++] = *s++;
		}
	}
	buf[o] = '\0';
	for (s = buf; *s;) {
		size_t n = strcspn(s, " ,\"();.");
		/* A word's own '.' or ';' ends it, but ":" and "?" are keys. */
		add_token(t, s, n);
		s += n;
		if (*s)
			s++;
	}
}

static bool has(const tokens *t, const char *w)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->tok[i], w) == 0)
			return true;
	return false;
}

static void free_tokens(tokens *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->tok[i]);
	t->n = 0;
}

/* The man page's KEYS section: every word in it (all), and the words of
 * the key lines that start its entries (keys). */
static void read_keys_section(tokens *all, tokens *keys)
{
	const char *srcdir = getenv("srcdir");
	char path[512], line[512];
	FILE *f;
	bool in = false, after_tp = false;

	snprintf(path, sizeof path, "%s/doc/yieldscope.1", srcdir ? srcdir : ".");
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".SH", 3) == 0) {
			in = strcmp(line, ".SH KEYS") == 0;
			continue;
		}
		if (!in)
			continue;
		if (strncmp(line, ".TP", 3) == 0) {
			after_tp = true;
			continue;
		}
		add_words(all, line);
		if (after_tp)
			add_words(keys, line);
		after_tp = false;
	}
	fclose(f);
	assert_true(all->n > 0);
}

static bool named_in_table(const char *w)
{
	size_t i, k;
	char buf[32];

	for (i = 0; i < tui_nkeys; i++)
		for (k = 0; k < TK_MAXKEYS && tui_keys[i].keys[k].code; k++)
			if (strcmp(tui_key_name(tui_keys[i].keys[k].code, buf, sizeof buf), w) == 0)
				return true;
	return false;
}

/* Every key of a lesson, a pause or the prompt is in the man page... */
static void test_man_names_every_key(void **state)
{
	tokens all = { 0 }, keys = { 0 };
	size_t i, k;
	char buf[32];

	(void)state;
	read_keys_section(&all, &keys);
	for (i = 0; i < tui_nkeys; i++) {
		const tui_key *r = &tui_keys[i];
		if (!(r->modes & (M_PLAY | M_PROMPT)) && r->act != TA_INTERRUPT)
			continue;
		for (k = 0; k < TK_MAXKEYS && r->keys[k].code; k++) {
			const char *name = tui_key_name(r->keys[k].code, buf, sizeof buf);
			if (!has(&all, name))
				fail_msg("the man page's KEYS section does not name %s", name);
		}
	}
	free_tokens(&all);
	free_tokens(&keys);
}

/* ...and every key the man page's entries name does something. */
static void test_man_keys_exist(void **state)
{
	tokens all = { 0 }, keys = { 0 };
	size_t i;

	(void)state;
	read_keys_section(&all, &keys);
	assert_true(keys.n > 10);
	for (i = 0; i < keys.n; i++)
		if (!named_in_table(keys.tok[i]))
			fail_msg("the man page names the key %s, which the table does not have", keys.tok[i]);
	free_tokens(&all);
	free_tokens(&keys);
}

/* A key bound twice in one mode would only ever do the first thing. */
static void test_no_key_twice_in_a_mode(void **state)
{
	size_t i, j, k, m;
	unsigned bit;
	char buf[32];

	(void)state;
	for (bit = 1; bit <= M_SMALL; bit <<= 1) {
		for (i = 0; i < tui_nkeys; i++) {
			if (!(tui_keys[i].modes & bit))
				continue;
			for (k = 0; k < TK_MAXKEYS && tui_keys[i].keys[k].code; k++) {
				int c = tui_keys[i].keys[k].code;
				for (j = i + 1; j < tui_nkeys; j++) {
					if (!(tui_keys[j].modes & bit))
						continue;
					for (m = 0; m < TK_MAXKEYS && tui_keys[j].keys[m].code; m++)
						if (tui_keys[j].keys[m].code == c)
							fail_msg("%s is bound twice in mode %#x",
							         tui_key_name(c, buf, sizeof buf), bit);
				}
			}
		}
	}
}

static bool bar_has(const tui_hint *h, size_t n, const char *key, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(h[i].key, key) == 0 && (!what || strcmp(h[i].what, what) == 0))
			return true;
	return false;
}

/* The key bar offers n s t c only with a generator to drive, and says
 * what q does. */
static void test_bar_follows_the_state(void **state)
{
	tui_hint h[32];
	size_t n;

	(void)state;
	view_glyphs_init(false);
	n = tui_key_bar(M_LESSON, C_NEXT_STEP, h, 32);
	assert_true(bar_has(h, n, "Space", "step"));
	assert_false(bar_has(h, n, "n", NULL));
	assert_true(bar_has(h, n, "q", "menu"));
	n = tui_key_bar(M_LESSON, C_SELECTED | C_FILE, h, 32);
	assert_false(bar_has(h, n, "Space", NULL));
	assert_true(bar_has(h, n, "s", "send"));
	assert_true(bar_has(h, n, "q", "quit"));
	/* At a pause, Enter goes on and Space runs to the end. */
	n = tui_key_bar(M_PAUSE, C_SELECTED, h, 32);
	assert_true(n >= 2);
	assert_string_equal(h[0].key, "Enter");
	assert_string_equal(h[1].what, "run to the end");
	assert_false(bar_has(h, n, "n", NULL));
}

/* Dispatch: the same key means what the mode says. */
static void test_find_by_mode(void **state)
{
	int arg = 0;
	const tui_key *r;

	(void)state;
	r = tui_key_find(M_LESSON, ' ', &arg);
	assert_non_null(r);
	assert_int_equal(r->act, TA_STEP);
	r = tui_key_find(M_PAUSE, ' ', &arg);
	assert_non_null(r);
	assert_int_equal(r->act, TA_END_PAUSE);
	r = tui_key_find(M_LESSON, '3', &arg);
	assert_non_null(r);
	assert_int_equal(r->act, TA_FOCUS);
	assert_int_equal(arg, 2);
	/* A dialog takes any key. */
	r = tui_key_find(M_QUIT, 'x', &arg);
	assert_non_null(r);
	assert_int_equal(r->act, TA_CLOSE);
	assert_null(tui_key_find(M_LESSON, 'v', &arg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_man_names_every_key),
		cmocka_unit_test(test_man_keys_exist),
		cmocka_unit_test(test_no_key_twice_in_a_mode),
		cmocka_unit_test(test_bar_follows_the_state),
		cmocka_unit_test(test_find_by_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
