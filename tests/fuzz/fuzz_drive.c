/* fuzz_drive.c: the text a learner types at the prompt, before the engine.
 *
 * A statement typed at the prompt is recognised as a drive or not
 * (lesson_parse_drive); the expression typed for send or throw becomes the
 * argument of a drive of the selected generator and is turned into the
 * statement shown and run (lesson_drive_statement). Whatever the bytes:
 * no crash, no leak, and a recognised drive reads back as itself.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "lesson.h"

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The prompt hands over a C string: the text up to a NUL. */
	char *text = ys_strndup((const char *)data, size);
	lesson_drive d, again, typed;
	char *stmt;
	int k;

	YS_FUZZ_ASSERT(text != NULL);
	if (lesson_parse_drive(text, &d)) {
		YS_FUZZ_ASSERT(d.kind != DRIVE_NONE && d.target && *d.target);
		YS_FUZZ_ASSERT((d.kind == DRIVE_SEND || d.kind == DRIVE_THROW) ==
		               (d.arg != NULL));
		stmt = lesson_drive_statement(&d);
		YS_FUZZ_ASSERT(stmt != NULL);
		/* What the history shows must drive the same thing again. */
		YS_FUZZ_ASSERT(lesson_parse_drive(stmt, &again));
		YS_FUZZ_ASSERT(again.kind == d.kind);
		YS_FUZZ_ASSERT(same(again.target, d.target));
		YS_FUZZ_ASSERT(same(again.arg, d.arg));
		YS_FUZZ_ASSERT(same(again.assign, d.assign));
		lesson_drive_clear(&again);
		ys_free(stmt);
	} else {
		YS_FUZZ_ASSERT(d.kind == DRIVE_NONE && !d.target && !d.arg && !d.assign);
	}
	lesson_drive_clear(&d);

	/* The s and t prompts: the text is the argument, the target the
	 * selected generator (a label). */
	for (k = DRIVE_SEND; k <= DRIVE_THROW; k++) {
		typed.kind = (drive_kind)k;
		typed.target = "t.gi_yieldfrom[0]";
		typed.arg = text;
		typed.assign = NULL;
		stmt = lesson_drive_statement(&typed);
		YS_FUZZ_ASSERT(stmt != NULL);
		YS_FUZZ_ASSERT(strncmp(stmt, "t.gi_yieldfrom[0].", 18) == 0);
		YS_FUZZ_ASSERT(strstr(stmt, text) != NULL);
		ys_free(stmt);
	}
	ys_free(text);
	return 0;
}

#define SEED(nm, s) sb_append(ys_fuzz_seed_add(v, &n, max, nm), s)

size_t ys_fuzz_seeds(ys_fuzz_seed *v, size_t max)
{
	size_t n = 0;
	strbuf *sb;

	SEED("next", "next(t)");
	SEED("send", "x = t.send(4)");
	SEED("throw", "t.gi_yieldfrom.throw(ValueError('no'))");
	SEED("close", "tasks[0].close()  # done");
	SEED("dict-key", "v = jobs['a\\'b'] . send ( (1, [2], {3: 4}) )");
	SEED("triple-quote", "t.send(\'\'\'a\"b\'\'\')");
	SEED("unterminated-string", "t.send('abc)");
	SEED("unbalanced", "t.send((1, 2)");
	SEED("comment", "t.send(1 # )");
	SEED("format", "t.send('%s%n%p%99999999d')");
	SEED("utf8", "t\xc3\xa9.send('\xe2\x82\xac')");
	SEED("invalid-utf8", "t.send('\xff\xfe\xc0')");
	sb = ys_fuzz_seed_add(v, &n, max, "nul");
	sb_appendn(sb, "t.send(1)\0t.close()", 19);
	sb = ys_fuzz_seed_add(v, &n, max, "nested-200");
	sb_append(sb, "t.send(");
	ys_fuzz_repeat(sb, "(", 200);
	ys_fuzz_repeat(sb, ")", 200);
	sb_append(sb, ")");
	sb = ys_fuzz_seed_add(v, &n, max, "nested-100000");
	sb_append(sb, "t.send(");
	ys_fuzz_repeat(sb, "[", 100000);
	ys_fuzz_repeat(sb, "]", 100000);
	sb_append(sb, ")");
	sb = ys_fuzz_seed_add(v, &n, max, "quotes-100000");
	sb_append(sb, "t.throw(");
	ys_fuzz_repeat(sb, "'\\'", 100000);
	sb_append(sb, ")");
	sb = ys_fuzz_seed_add(v, &n, max, "attrs-100000");
	sb_append(sb, "a");
	ys_fuzz_repeat(sb, " . b [ -1 ]", 100000);
	sb_append(sb, ".send(1)");
	ys_fuzz_seeds_done();
	return n;
}
