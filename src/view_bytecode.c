/* view_bytecode.c: the Bytecode pane (d toggles it): the disassembly of the
 * selected generator's code, as the dis module shows it, with the
 * instruction at its f_lasti marked, labelled with the CPython version
 * (bytecode changes between versions). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

static void bytecode_lines(const view_ctx *c, int width, int height, view_lines *v)
{
	const snap_gen *g = snap_find(c->snap, c->selected);
	long i, at = -1;
	int lastline = -1, opw = 0;

	(void)height;
	v->anchor = -1;
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
				vl_add(v, r, " f_lasti");
			}
		}
	}
}

static const char *bytecode_subtitle(const view_ctx *c)
{
	static char buf[160];

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
