/* view_bytecode.c: the Bytecode pane (d toggles it): the disassembly of the
 * selected generator's code, as the dis module shows it, with the
 * instruction at its f_lasti marked, labelled with the CPython version
 * (bytecode changes between versions). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

/* The instruction a running frame without f_lasti is at, found from its
 * line and the pause: a line starts at its first instruction; a yield, a
 * return or a resume is at that instruction within the line. */
static long frame_instr(const view_ctx *c, const snap_frame *f)
{
	const char *op = c->pause->kind == SNAP_PAUSE_YIELD ? "YIELD_VALUE"
	               : c->pause->kind == SNAP_PAUSE_RETURN ? "RETURN_VALUE"
	               : c->pause->kind == SNAP_PAUSE_RESUME ? "RESUME" : NULL;
	long i, first = -1, last_op = -1;

	for (i = 0; i < c->ninstrs; i++) {
		const engine_instr *in = &c->instrs[i];
		int line = in->line;
		long k;

		/* dis gives a line only where one starts. */
		for (k = i; line < 0 && k > 0; k--)
			line = c->instrs[k - 1].line;
		if (line != f->line)
			continue;
		if (first < 0)
			first = i;
		/* A frame resumes after its yield: the last RESUME of the line. */
		if (op && in->opname && strcmp(in->opname, op) == 0) {
			if (c->pause->kind != SNAP_PAUSE_RESUME)
				return i;
			last_op = i;
		}
	}
	return last_op >= 0 ? last_op : first;
}

static void bytecode_lines(const view_ctx *c, int width, int height, view_lines *v)
{
	const snap_gen *g = snap_find(c->snap, c->selected);
	const snap_frame *f = c->code_of ? &c->pause->stack[c->pause->nstack - 1] : NULL;
	long i, at = -1;
	int lastline = -1, opw = 0;

	(void)height;
	v->anchor = -1;
	if (f) {
		if (!c->instrs || c->ninstrs <= 0) {
			vl_new(v);
			vl_printf(v, R_DIM, "No bytecode seen for %s() yet.", c->code_of);
			return;
		}
		at = frame_instr(c, f);
		goto list;
	}
	if (!g) {
		vl_new(v);
		vl_add(v, R_DIM, "Tab selects a generator to see its bytecode.");
		return;
	}
	if (!c->instrs || c->ninstrs <= 0) {
		vl_new(v);
		vl_add(v, R_DIM, "No bytecode for this generator.");
		return;
	}
	/* The instruction it is paused at: the one at f_lasti, else the last
	 * before it. */
	if (g->lasti >= 0)
		for (i = 0; i < c->ninstrs; i++)
			if (c->instrs[i].offset <= g->lasti)
				at = i;
list:
	for (i = 0; i < c->ninstrs; i++) {
		int l = c->instrs[i].opname ? (int)strlen(c->instrs[i].opname) : 0;
		if (l > opw)
			opw = l;
	}
	if (opw > width / 2)
		opw = width / 2;
	for (i = 0; i < c->ninstrs; i++) {
		const engine_instr *in = &c->instrs[i];
		bool here = i == at;
		view_role r = here ? R_MARK_SEL : R_NORMAL;
		char *arg;
		view_line *ln = vl_new(v);

		if (ln && here)
			ln->fill = R_MARK_SEL;
		vl_add(v, r, here ? view_g->right : " ");
		if (in->line >= 0 && in->line != lastline)
			vl_printf(v, here ? r : R_LINENO, "%4d ", in->line);
		else
			vl_add(v, r, "     ");
		lastline = in->line >= 0 ? in->line : lastline;
		vl_printf(v, here ? r : R_DIM, "%5d ", in->offset);
		{
			char *op = view_fit(in->opname ? in->opname : "?", opw);
			vl_add(v, here ? r : R_BOLD, op);
			vl_pad_to(v, vl_width(v) + opw - view_strwidth(op));
			ys_free(op);
		}
		arg = view_fit(in->argrepr ? in->argrepr : "", width - vl_width(v) - 1);
		vl_add(v, r, " ");
		vl_add(v, here ? r : R_CODE, arg);
		ys_free(arg);
		if (here) {
			v->anchor = v->anchor_end = (int)v->nlines - 1;
			if (vl_width(v) + 12 < width) {
				vl_pad_to(v, width - 9);
				vl_add(v, r, view_g->mark);
				vl_add(v, r, f ? " line   " : " f_lasti");
			}
		}
	}
}

static const char *bytecode_subtitle(const view_ctx *c)
{
	static char buf[160];

	if (c->code_of)
		snprintf(buf, sizeof buf, "%s() CPython %s", c->code_of,
		         c->python_version ? c->python_version : "?");
	else
		snprintf(buf, sizeof buf, "%s%sCPython %s", c->selected ? c->selected : "",
		         c->selected ? " " : "", c->python_version ? c->python_version : "?");
	return buf;
}

const view_ops view_bytecode_ops = {
	.name = "Bytecode",
	.key = '6',
	.lines = bytecode_lines,
	.subtitle = bytecode_subtitle,
	.stick_bottom = false,
};
