/* lesson_drive.c: driving statements: recognising next(g), g.send(x),
 * g.throw(e), g.close(), and an event loop's l.run_one(),
 * l.run_until_resumes(t), t.cancel() (with an assignment before, or not) in a
 * statement, and writing one back out. A scanner of Python's surface
 * syntax, enough to tell a label and an argument apart; the lesson
 * parser (lesson.c) calls it on every statement step. */
#include "config.h"

#include <string.h>

#include "lesson.h"
#include "util.h"

/* ---- Driving statements ------------------------------------------------ */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Bytes past 0x7F count as letters: Python allows Unicode identifiers. */
static bool ident_start(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c >= 0x80;
}

static const char *skip_ident(const char *s)
{
	if (!ident_start((unsigned char)*s))
		return NULL;
	while (ident_start((unsigned char)*s) || (*s >= '0' && *s <= '9'))
		s++;
	return s;
}

/* The end of the string literal whose quote is at s, or NULL. */
static const char *skip_string(const char *s)
{
	char q = *s;
	bool triple = s[1] == q && s[2] == q;

	for (s += triple ? 3 : 1; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == q && (!triple || (s[1] == q && s[2] == q)))
			return s + (triple ? 3 : 1);
	}
	return NULL;
}

/* A subscript of a label: an int or a string literal. */
static const char *skip_key(const char *s)
{
	if (*s == '\'' || *s == '"')
		return skip_string(s);
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9')
		s++;
	return s;
}

/* A label-like expression: NAME, then ".NAME" and "[KEY]" parts, spaces
 * allowed between them. Appends it to out without the spaces and sets
 * *attr to where its last part starts in out when that part is ".NAME"
 * (0 otherwise). Returns the end, or NULL when s holds none. */
static const char *scan_label(const char *s, strbuf *out, size_t *attr)
{
	const char *e = skip_ident(s), *t;

	*attr = 0;
	if (!e)
		return NULL;
	sb_appendn(out, s, (size_t)(e - s));
	for (;;) {
		t = skip_ws(e);
		if (*t == '.') {
			s = skip_ws(t + 1);
			if (!(e = skip_ident(s)))
				return NULL;
			*attr = out->len;
			sb_appendc(out, '.');
			sb_appendn(out, s, (size_t)(e - s));
		} else if (*t == '[') {
			s = skip_ws(t + 1);
			if (!(e = skip_key(s)))
				return NULL;
			t = skip_ws(e);
			if (*t != ']')
				return NULL;
			*attr = 0;
			sb_appendc(out, '[');
			sb_appendn(out, s, (size_t)(e - s));
			sb_appendc(out, ']');
			e = t + 1;
		} else {
			return e;
		}
	}
}

/* The single argument of a call, s just past its '(': returns the ')'
 * that closes the call, or NULL when the brackets or quotes do not
 * balance, or a top-level comma or a comment shows it is not one
 * argument. */
static const char *scan_arg(const char *s)
{
	/* CPython's tokenizer refuses more than 200 nested brackets too. */
	char stack[200];
	size_t depth = 0;

	for (; *s; s++) {
		switch (*s) {
		case '\'':
		case '"':
			if (!(s = skip_string(s)))
				return NULL;
			s--;
			break;
		case '(':
		case '[':
		case '{':
			if (depth == sizeof stack)
				return NULL;
			stack[depth++] = *s == '(' ? ')' : *s == '[' ? ']' : '}';
			break;
		case ')':
		case ']':
		case '}':
			if (depth == 0)
				return *s == ')' ? s : NULL;
			if (stack[--depth] != *s)
				return NULL;
			break;
		case ',':
			if (depth == 0)
				return NULL;
			break;
		case '#':
			return NULL;
		default:
			break;
		}
	}
	return NULL;
}

static const char *const method_names[] = {
	[DRIVE_SEND] = "send", [DRIVE_THROW] = "throw", [DRIVE_CLOSE] = "close",
	[DRIVE_RUN_ONE] = "run_one", [DRIVE_RUN_UNTIL] = "run_until_resumes",
	[DRIVE_CANCEL] = "cancel",
};

int lesson_scan_drive(const char *statement, lesson_drive *out)
{
	strbuf label = {0}, target = {0};
	const char *s = statement, *e, *t, *assign = NULL, *arg = NULL;
	size_t attr, assign_len = 0, arg_len = 0;
	drive_kind kind = DRIVE_NONE;
	int k, rc = 0;

	memset(out, 0, sizeof *out);
	if (strchr(statement, '\n'))
		return 0;
	e = skip_ident(s);
	t = e ? skip_ws(e) : NULL;
	if (t && t[0] == '=' && t[1] != '=') {
		assign = s;
		assign_len = (size_t)(e - s);
		s = skip_ws(t + 1);
	}
	if (!(s = scan_label(s, &label, &attr)))
		goto out;
	s = skip_ws(s);
	if (*s != '(' || label.failed)
		goto out;
	s = skip_ws(s + 1);
	if (strcmp(label.data, "next") == 0) {
		if (!(s = scan_label(s, &target, &attr)))
			goto out;
		s = skip_ws(s);
		if (*s != ')')
			goto out;
		kind = DRIVE_NEXT;
	} else if (attr > 0) {
		for (k = DRIVE_SEND; k <= DRIVE_CANCEL; k++)
			if (strcmp(label.data + attr + 1, method_names[k]) == 0)
				kind = (drive_kind)k;
		if (kind == DRIVE_NONE)
			goto out;
		sb_appendn(&target, label.data, attr);
		if (kind == DRIVE_CLOSE || kind == DRIVE_RUN_ONE ||
		    (kind == DRIVE_CANCEL && *s == ')')) {
			if (*s != ')')
				kind = DRIVE_NONE;
		} else {
			arg = s;
			if (!(s = scan_arg(s)))
				kind = DRIVE_NONE;
			else
				for (arg_len = (size_t)(s - arg); arg_len > 0 &&
				     strchr(" \t", arg[arg_len - 1]); arg_len--)
					;
			if (arg_len == 0)
				kind = DRIVE_NONE;
		}
		if (kind == DRIVE_NONE)
			goto out;
	} else {
		goto out;
	}
	s = skip_ws(s + 1);
	if (*s != '\0' && *s != '#')
		goto out;
	if (target.failed)
		goto oom;
	out->target = sb_take(&target);
	out->arg = arg ? ys_strndup(arg, arg_len) : NULL;
	out->assign = assign ? ys_strndup(assign, assign_len) : NULL;
	if (!out->target || (arg && !out->arg) || (assign && !out->assign))
		goto oom;
	out->kind = kind;
	rc = 1;
	goto out;
oom:
	lesson_drive_clear(out);
	rc = -1;
out:
	if (label.failed)
		rc = -1;
	sb_free(&label);
	sb_free(&target);
	return rc;
}

bool lesson_parse_drive(const char *statement, lesson_drive *out)
{
	if (!statement) {
		memset(out, 0, sizeof *out);
		return false;
	}
	return lesson_scan_drive(statement, out) > 0;
}

void lesson_drive_clear(lesson_drive *d)
{
	if (!d)
		return;
	ys_free(d->target);
	ys_free(d->arg);
	ys_free(d->assign);
	memset(d, 0, sizeof *d);
}

char *lesson_drive_statement(const lesson_drive *d)
{
	strbuf sb = {0};

	if (d->kind == DRIVE_NONE || !d->target)
		return ys_strdup("");
	if (d->assign)
		sb_printf(&sb, "%s = ", d->assign);
	switch (d->kind) {
	case DRIVE_NEXT:
		sb_printf(&sb, "next(%s)", d->target);
		break;
	case DRIVE_SEND:
		/* send(None) is what next does: the natural default. */
		sb_printf(&sb, "%s.send(%s)", d->target, d->arg ? d->arg : "None");
		break;
	case DRIVE_THROW:
		sb_printf(&sb, "%s.throw(%s)", d->target, d->arg ? d->arg : "");
		break;
	case DRIVE_CLOSE:
		sb_printf(&sb, "%s.close()", d->target);
		break;
	case DRIVE_RUN_ONE:
		sb_printf(&sb, "%s.run_one()", d->target);
		break;
	case DRIVE_RUN_UNTIL:
		sb_printf(&sb, "%s.run_until_resumes(%s)", d->target, d->arg ? d->arg : "");
		break;
	case DRIVE_CANCEL:
		sb_printf(&sb, "%s.cancel(%s)", d->target, d->arg ? d->arg : "");
		break;
	case DRIVE_NONE:
		break;
	}
	return sb_take(&sb);
}
