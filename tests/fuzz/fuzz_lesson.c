/* fuzz_lesson.c: the lesson parser on arbitrary bytes.
 *
 * Whatever the bytes, lesson_parse returns either a lesson whose every
 * step is complete or NULL with a message, and frees everything it
 * allocated (libFuzzer's leak check and ASan watch that).
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lesson_error err;
	lesson *l;
	size_t i;

	/* data is not NUL-terminated: lesson_parse must not read past size. */
	l = lesson_parse("fuzz.md", (const char *)data, size, &err);
	if (!l) {
		YS_FUZZ_ASSERT(err.message[0] != '\0');
		YS_FUZZ_ASSERT(err.line >= 0);
		return 0;
	}
	YS_FUZZ_ASSERT(l->nsteps > 0 && l->title && l->program && l->path);
	for (i = 0; i < l->nsteps; i++) {
		const lesson_step *st = &l->steps[i];
		char *stmt;

		YS_FUZZ_ASSERT(st->source != NULL && st->line >= 1);
		if (st->kind == LESSON_CODE) {
			YS_FUZZ_ASSERT(st->code_line >= 1);
			continue;
		}
		YS_FUZZ_ASSERT(st->expected != NULL);
		YS_FUZZ_ASSERT(st->expected_line >= st->line);
		if (st->drive.kind == DRIVE_NONE)
			continue;
		YS_FUZZ_ASSERT(st->drive.target != NULL);
		stmt = lesson_drive_statement(&st->drive);
		YS_FUZZ_ASSERT(stmt != NULL && *stmt);
		ys_free(stmt);
	}
	for (i = 0; i < l->nshown; i++)
		YS_FUZZ_ASSERT(l->shown[i].before_step >= 0 &&
		               (size_t)l->shown[i].before_step <= l->nsteps);
	lesson_free(l);
	return 0;
}

#define SEED(name) sb = ys_fuzz_seed_add(v, &n, max, name);

/* The pathological inputs of issue 7. */
size_t ys_fuzz_seeds(ys_fuzz_seed *v, size_t max)
{
	strbuf *sb;
	size_t n = 0;

	SEED("unterminated-fence")
		sb_append(sb, "# T\n\n```python\nx = 1\n");
	SEED("unterminated-pycon-in-list")
		sb_append(sb, "# T\n\n- item\n\n  ```pycon\n  >>> 1\n  1\n");
	SEED("backticks-100000") {
		sb_append(sb, "# T\n\n");
		ys_fuzz_repeat(sb, "`", 100000);
		sb_append(sb, "\n```python\nx = 1\n```\n");
	}
	SEED("backtick-lines-10000")
		ys_fuzz_repeat(sb, "```\n", 10000);
	SEED("nul-bytes")
		sb_appendn(sb, "# T\n\n```python\nx\0 = 1\n```\n\0", 26);
	SEED("invalid-utf8")
		sb_append(sb, "# T \xff\xfe\n\n```python\nx = '\xc0\xaf\xed\xa0\x80'\n```\n\xf4\x90");
	SEED("crlf-and-lone-cr")
		sb_append(sb, "# T\r\n\r\n```pycon\r\n>>> 1\r2\r\r\n```\r\rtext\r\n```python\rx = 1\r```");
	SEED("line-1mb-code") {
		sb_append(sb, "# T\n\n```python\nx = '");
		ys_fuzz_repeat(sb, "a", 1 << 20);
		sb_append(sb, "'\n```\n");
	}
	SEED("line-1mb-prose") {
		sb_append(sb, "# T\n\n");
		ys_fuzz_repeat(sb, "word ", (1 << 20) / 5);
		sb_append(sb, "\n\n```python\nx = 1\n```\n");
	}
	SEED("fence-inside-pycon")
		sb_append(sb, "# T\n\n```pycon\n>>> x = 1\n```python\n>>> x\n1\n```\n```\n");
	SEED("steps-100000") {
		sb_append(sb, "# T\n\n```python\ndef g():\n    while True:\n        yield 1\nt = g()\n```\n\n```pycon\n");
		ys_fuzz_repeat(sb, ">>> next(t)\n1\n", 100000);
		sb_append(sb, "```\n");
	}
	SEED("blocks-20000")
		ys_fuzz_repeat(sb, "<!-- yieldscope: predict -->\n```python\npass\n```\n", 20000);
	SEED("nested-quotes-100000") {
		ys_fuzz_repeat(sb, ">", 100000);
		sb_append(sb, " ```python\n1\n```\n\n```python\n1\n```\n");
	}
	SEED("nested-lists-100000") {
		ys_fuzz_repeat(sb, "- ", 100000);
		sb_append(sb, "```pycon\n\n```python\n1\n```\n");
	}
	SEED("nested-indented-lists-2000") {
		size_t i;
		for (i = 0; i < 2000; i++) {
			ys_fuzz_repeat(sb, "  ", i);
			sb_append(sb, "- x\n");
		}
		sb_append(sb, "\n```python\n1\n```\n");
	}
	SEED("nested-brackets-drive") {
		sb_append(sb, "```pycon\n>>> t.send(");
		ys_fuzz_repeat(sb, "([{", 30000);
		ys_fuzz_repeat(sb, "}])", 30000);
		sb_append(sb, ")\n```\n");
	}
	SEED("comment-unterminated")
		sb_append(sb, "<!-- yieldscope: predict\n```python\n1\n```\n");
	SEED("comments-10000") {
		ys_fuzz_repeat(sb, "<!-- x --> <!-- yieldscope: -->", 10000);
		sb_append(sb, "\n```python\n1\n```\n");
	}
	SEED("prompts-only")
		ys_fuzz_repeat(sb, ">>> \n... \n", 1000);
	ys_fuzz_seeds_done();
	return n;
}
