/* engine_step.c: running lesson code as steps.
 *
 * Every step runs the same way: begin_step arms the watchdog and sets the
 * hooks, the code runs in the lesson's namespace, end_step takes them off,
 * and finish_step turns what happened into a snap_step of plain C data:
 * output, value, exception, the heap, and the hops, labelled as the chain
 * a drive (G.send(v) and the like) went into.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed; each function releases them on its one way out.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

/* sys.last_exc (3.12 and later), sys.last_type, last_value and
 * last_traceback, set to exc as the prompt sets them. */
static void remember_exception(PyObject *exc)
{
	PyObject *tb = PyException_GetTraceback(exc);

#if PY_VERSION_HEX >= 0x030C0000
	PySys_SetObject("last_exc", exc);
#endif
	PySys_SetObject("last_type", (PyObject *)Py_TYPE(exc));
	PySys_SetObject("last_value", exc);
	PySys_SetObject("last_traceback", tb ? tb : Py_None);
	Py_XDECREF(tb);
	PyErr_Clear();
}

/* Say why the engine's own Python failed with exc: out of memory only when
 * memory ran out. */
static void note_failure(engine *e, PyObject *exc)
{
	PyObject *s;
	const char *text;

	if (!exc || PyErr_GivenExceptionMatches(exc, PyExc_MemoryError)) {
		snprintf(e->failure, sizeof e->failure, "out of memory");
		return;
	}
	s = PyObject_Repr(exc);
	text = s ? PyUnicode_AsUTF8(s) : NULL;
	snprintf(e->failure, sizeof e->failure, "yieldscope's engine failed "
	         "(%.150s)", text ? text : Py_TYPE(exc)->tp_name);
	Py_XDECREF(s);
	PyErr_Clear();
}

/* What a step drives, for labelling the resumes of its chain. */
typedef struct {
	snap_how how;           /* SNAP_HOW_UNKNOWN when the step drives nothing */
	PyObject *value;        /* repr of what goes in, or NULL */
} drive_info;

/* A step that drives nothing. */
static const drive_info no_drive = { SNAP_HOW_UNKNOWN, NULL };

/* The watchdog too, since a __repr__ may never return. */
PyObject *step_work_begin(engine *e)
{
	PyObject *saved;

	/* Without snapshots (--check) the engine reads no lesson object. */
	if (!e->opts.snapshots)
		return NULL;
	saved = PyObject_CallMethod(e->helper, "pristine_builtins", NULL);
	if (!saved)
		PyErr_Clear();
	/* No time limit on the engine's own work, however slow the machine
	 * (valgrind): only each call into lesson code (a __repr__, a __str__)
	 * gets one, armed by the helper through _guard (engine_watchdog.c). */
	dog_work(true);
	return saved;
}

void step_work_end(engine *e, PyObject *saved)
{
	PyObject *r;

	if (!e->opts.snapshots)
		return;
	dog_work(false);
	if (!saved)
		return;
	r = PyObject_CallMethod(e->helper, "restore_builtins", "(O)", saved);
	Py_XDECREF(r);
	Py_DECREF(saved);
	PyErr_Clear();
}

/* What reading a step holds until it is done, released as one at the
 * end, after the engine's work on the lesson's objects. */
typedef struct {
	PyObject *raw;          /* the step's records */
	PyObject *pauses;       /* its pauses, or NULL */
	PyObject *exc;          /* its exception, or NULL */
	PyObject *taken;        /* the helper's take_output() */
	PyObject *snap;         /* cards() */
	PyObject *entries;      /* the census' entries */
	PyObject *events;       /* events() */
	PyObject *desc;         /* describe() of exc */
	bool ok;                /* every string was copied */
} step_read;

static void step_read_clear(step_read *r)
{
	Py_XDECREF(r->raw);
	Py_XDECREF(r->pauses);
	Py_XDECREF(r->exc);
	Py_XDECREF(r->taken);
	Py_XDECREF(r->snap);
	Py_XDECREF(r->entries);
	Py_XDECREF(r->events);
	Py_XDECREF(r->desc);
}

/* Whether the helper's describe() of exc imports the traceback module
 * (when in doubt, yes). */
static bool needs_traceback(engine *e, PyObject *exc)
{
	PyObject *r = PyObject_CallMethod(e->helper, "needs_traceback", "(O)", exc);
	bool needs = !r || r != Py_False;

	Py_XDECREF(r);
	PyErr_Clear();
	return needs;
}

/* The step's exception, taken (NULL when result is set, its value). */
static PyObject *step_exception(engine *e, PyObject *result)
{
	PyObject *exc = result ? NULL : conv_take_exception();

	/* As the prompt does (PyErr_Print): the last exception stays alive in
	 * sys until the next one, and the one it replaces goes now, its
	 * finalizers printing in this step. */
	if (exc)
		remember_exception(exc);
	/* The traceback module is imported at the first exception that needs
	 * it, outside the time limit of the work below: an import is the
	 * engine's own work, and it may be slow (under valgrind, seconds). */
	if (exc && e->opts.snapshots && needs_traceback(e, exc)) {
		Py_XDECREF(PyImport_ImportModule("traceback"));
		Py_XDECREF(PyImport_ImportModule("linecache"));
	}
	PyErr_Clear();
	return exc;
}

/* The step's output, value and exception into out. Returns 0, or -1 when
 * the helper failed. */
static int read_output(engine *e, step_read *r, snap_step *out)
{
	r->taken = PyObject_CallMethod(e->helper, "take_output", NULL);
	if (!r->taken)
		return -1;
	out->output = conv_str(PyTuple_GET_ITEM(r->taken, 0), &r->ok);
	if (!out->output && r->ok)
		out->output = ys_strdup("");
	out->output_capped = PyObject_IsTrue(PyTuple_GET_ITEM(r->taken, 1)) == 1;
	out->value = conv_str(PyTuple_GET_ITEM(r->taken, 2), &r->ok);
	fds_collect(e, out);
	out->exception_line = -1;
	if (out->output_capped)
		out->note = ys_asprintf("output cut after %zu characters",
		                        e->opts.output_cap);
	if (!r->exc)
		return 0;
	r->desc = PyObject_CallMethod(e->helper, "describe", "(Oi)", r->exc,
	                              (int)e->opts.snapshots);
	if (!r->desc)
		return -1;
	out->exception = conv_str(PyTuple_GET_ITEM(r->desc, 0), &r->ok);
	out->traceback = conv_str(PyTuple_GET_ITEM(r->desc, 1), &r->ok);
	out->exception_line = conv_int(PyTuple_GET_ITEM(r->desc, 2));
	if (PyObject_IsInstance(r->exc, e->timeout_type) == 1) {
		ys_free(out->note);
		out->note = ys_asprintf("step stopped after %.3g s: it did "
		                        "not finish", e->opts.step_timeout);
	}
	return 0;
}

/* The heap after the step: the census, its cards, the pauses. Returns 0,
 * or -1. */
static int read_heap(engine *e, step_read *r, snap_step *out)
{
	/* The hooks told the census of every frame that ran, unless they
	 * stopped or another thread ran generators: then the census walks. */
	e->census = census_update(e->census, e->ns, e->gen_types, e->deque_type,
	                          LOCALS_BUDGET, !e->events_capped && !e->other_threads);
	if (!e->census || census_summary(e->census, out, MAX_FUNCTIONS) < 0)
		return -1;
	r->entries = census_entries(e->census, 0, e->opts.max_cards);
	r->snap = r->entries ? PyObject_CallMethod(e->helper, "cards", "(Oi)",
	                                           r->entries, 1) : NULL;
	if (!r->snap || conv_gens(r->snap, &out->gens, &out->ngens) < 0)
		return -1;
	if (r->pauses && conv_pauses(r->pauses, out) < 0)
		return -1;
	return 0;
}

/* What the step's pane leaves out, said in its note. */
static void add_notes(engine *e, snap_step *out)
{
	if (e->events_capped) {
		ys_free(out->note);
		out->note = ys_asprintf("only the first %d hops of this step are "
		                        "listed", MAX_EVENTS);
	}
	if (e->pauses_capped) {
		ys_free(out->note);
		out->note = ys_asprintf("line stepping stopped recording after %d "
		                        "pauses", MAX_PAUSES);
	}
	if (e->other_threads) {
		char *note = ys_asprintf("%s%shops of other threads are not shown",
		                         out->note ? out->note : "",
		                         out->note ? "; " : "");

		ys_free(out->note);
		out->note = note;
	}
}

/* The step's hops, labelled as the chain it drove (chain, di), and the
 * tasks of the event loops it used. Returns 0, or -1. */
static int read_events(engine *e, step_read *r, PyObject *chain,
                       const drive_info *di, snap_step *out)
{
	r->events = PyObject_CallMethod(e->helper, "events", "OOiOn",
	                                r->raw ? r->raw : Py_None,
	                                chain ? chain : Py_None, (int)di->how,
	                                di->value ? di->value : Py_None,
	                                e->drive_start);
	if (!r->events || conv_events(r->events, out) < 0)
		return -1;
	if (asyncio_snapshot(e, out) < 0)
		return -1;
	conv_pause_hops(r->events, out);
	return 0;
}

/* A failure of the engine's own Python half (its exception is set): say
 * so, plainly. */
static void read_failed(engine *e, snap_step *out)
{
	PyObject *bad = conv_take_exception();

	if (!out->note)
		out->note = ys_strdup("yieldscope could not read the state "
		                      "after this step");
	note_failure(e, bad);
	Py_XDECREF(bad);
}

/* Everything after the lesson's code ran (result is its value or NULL with
 * an exception set): output, exception, snapshot, events. */
static int finish_step(engine *e, PyObject *result, PyObject *chain,
                       const drive_info *di, snap_step *out)
{
	step_read r = { e->raw, e->pauses, NULL, NULL, NULL, NULL, NULL, NULL, true };
	PyObject *saved;
	int rc = ENGINE_FAILED;

	e->raw = NULL;
	e->pauses = NULL;
	r.exc = step_exception(e, result);
	saved = step_work_begin(e);
	if (read_output(e, &r, out) < 0)
		goto out;
	if (e->opts.snapshots) {
		if (read_heap(e, &r, out) < 0)
			goto out;
		add_notes(e, out);
		if (read_events(e, &r, chain, di, out) < 0)
			goto out;
	}
	rc = r.ok ? ENGINE_OK : ENGINE_FAILED;
out:
	if (PyErr_Occurred())
		read_failed(e, out);
	step_work_end(e, saved);
	step_read_clear(&r);
	return rc;
}

/* Start recording: a fresh event list, the hooks and the watchdog.
 * Returns 0, or -1 when out of memory. */
static int begin_step(engine *e)
{
	Py_CLEAR(e->raw);
	Py_CLEAR(e->pauses);
	Py_CLEAR(e->program);
	e->pauses_capped = false;
	e->events_capped = false;
	e->other_threads = false;
	e->drive_start = 0;
	asyncio_step_begin(e);
	hooks_forget(e);
	e->raw = PyList_New(0);
	if (!e->raw)
		return -1;
	e->program = PyObject_GetAttrString(e->helper, "program");
	if (!e->program)
		return -1;
	if (e->line_stepping) {
		e->pauses = PyList_New(0);
		if (!e->pauses)
			return -1;
	}
	/* Let go of what the last census held: a generator the lesson
	 * deletes in this step must be finalized in it, as it would be
	 * without yieldscope. */
	census_release(e->census);
	sandbox_step_begin();
	dog_arm(e->opts.step_timeout);
	if (e->opts.snapshots)
		hooks_on();
	if (e->pauses)
		hooks_lines_on();
	return 0;
}

/* Stop recording. *result is what the lesson's code gave (NULL with its
 * exception set): a signal handler of the lesson's that raises as the step
 * ends makes it the step's exception, as CPython raises it at the end of
 * the statement. */
static void end_step(PyObject **result)
{
	bool kept = true;

	if (the_engine && the_engine->opts.snapshots) {
		kept = hooks_intact();
		hooks_off();
	}
	if (sandbox_step_end(*result != NULL) < 0)
		Py_CLEAR(*result);
	if (the_engine && the_engine->opts.snapshots)
		census_watch(the_engine->census, kept);
	if (dog_last_resort() || (the_engine && the_engine->pauses))
		PyEval_SetTrace(NULL, NULL);
	dog_disarm();
}

/* Run a compiled code object in the namespace as one step. */
static int run_code_object(engine *e, PyObject *code, PyObject *locals,
                           const drive_info *di, snap_step *out)
{
	PyObject *result;
	int rc;

	if (begin_step(e) < 0)
		return ENGINE_FAILED;
	result = PyEval_EvalCode(code, e->ns, locals ? locals : e->ns);
	end_step(&result);
	rc = finish_step(e, result, Py_None, di, out);
	Py_XDECREF(result);
	return rc;
}

/* A step that failed before running (a syntax error, a bad expression):
 * its exception is the one now set. */
static int failed_step(engine *e, snap_step *out)
{
	Py_CLEAR(e->raw);
	return finish_step(e, NULL, Py_None, &no_drive, out);
}

/* Compile source as start says (Py_file_input: module code; Py_single_input:
 * a statement at the prompt; Py_eval_input: an expression), with blank
 * lines before it so that its first line is line first_line of filename:
 * frames, f_lineno and tracebacks then speak of the lines the teacher's
 * file has. No future flags are inherited. */
static PyObject *compile_at(const char *source, int first_line, int start,
                            const char *filename)
{
	size_t pad = first_line > 1 ? (size_t)first_line - 1 : 0, n = strlen(source);
	char *buf = ys_malloc(pad + n + 2);
	PyCompilerFlags flags = { .cf_flags = PyCF_IGNORE_COOKIE,
	                          .cf_feature_version = PY_MINOR_VERSION };
	PyObject *code;

	if (!buf)
		return PyErr_NoMemory();
	memset(buf, '\n', pad);
	memcpy(buf + pad, source, n);
	/* The prompt ends a statement with a newline; a compound one needs it. */
	buf[pad + n] = '\n';
	buf[pad + n + 1] = '\0';
	/* The text is UTF-8 whatever a coding cookie in it says (the lesson
	 * decoded it already), as compile() takes a str. */
	code = Py_CompileStringExFlags(buf, filename, start, &flags, -1);
	ys_free(buf);
	return code;
}

/* The lesson's code did not compile: its SyntaxError is the step's
 * exception. Running out of memory while compiling is the engine's
 * failure, not the lesson's. */
static int compile_failed(engine *e, snap_step *out)
{
	if (PyErr_ExceptionMatches(PyExc_MemoryError)) {
		PyErr_Clear();
		return ENGINE_FAILED;
	}
	return failed_step(e, out);
}

/* One step of source, compiled as start says under filename. */
static int run_source(engine *e, const char *source, int first_line,
                      int start, const char *filename, snap_step *out)
{
	PyObject *code;
	int rc;

	if (fds_enter(e) < 0)
		return ENGINE_FAILED;
	code = compile_at(source, first_line, start, filename);
	rc = code ? run_code_object(e, code, NULL, &no_drive, out)
	          : compile_failed(e, out);
	Py_XDECREF(code);
	return fds_leave(e, rc);
}

int engine_run_code(engine *e, const char *source, int first_line,
                    snap_step *out)
{
	return run_source(e, source, first_line, Py_file_input,
	                  e->program_name ? e->program_name : PROGRAM_NAME, out);
}

int engine_run_statement(engine *e, const char *source, snap_step *out)
{
	return run_source(e, source, 1, Py_single_input, "<stdin>", out);
}

/* As part of the step now running, when there is one. */
PyObject *step_eval(engine *e, const char *source)
{
	PyObject *code, *value;

	code = compile_at(source, 1, Py_eval_input, "<stdin>");
	if (!code) {
		/* Out of memory compiling it is ours, not the expression's. */
		if (PyErr_ExceptionMatches(PyExc_MemoryError))
			e->out_of_memory = true;
		return NULL;
	}
	value = PyEval_EvalCode(code, e->ns, e->ns);
	Py_DECREF(code);
	return value;
}

/* What goes into the chain, for its resume events: the repr of the value
 * sent or thrown, and the frames of the chain by label. The engine's own
 * work, so the hooks and the lesson's signal handlers are off meanwhile.
 * Returns 0; 1 when a handler of the lesson's raised, its exception set
 * (the step's); or -1, the engine's failure. */
static int drive_setup(engine *e, const lesson_drive *d, PyObject *target,
                       PyObject *arg, drive_info *di, PyObject **chain)
{
	if (e->opts.snapshots)
		hooks_off();
	if (sandbox_work_begin() < 0)
		return 1;
	switch (d->kind) {
	case DRIVE_NEXT:
		di->value = PyUnicode_FromString("None");
		break;
	case DRIVE_SEND:
		di->value = PyObject_CallMethod(e->helper, "safe_repr", "(O)", arg);
		break;
	case DRIVE_THROW:
		di->value = PyObject_CallMethod(e->helper, "throw_repr", "(O)", arg);
		break;
	default:
		di->value = PyUnicode_FromString("GeneratorExit");
		break;
	}
	Py_XSETREF(*chain, PyObject_CallMethod(e->helper, "chain_frames", "(Os)",
	                                       target, d->target));
	e->drive_start = e->raw ? PyList_GET_SIZE(e->raw) : 0;
	sandbox_work_end();
	if (e->opts.snapshots)
		hooks_on();
	return di->value && *chain ? 0 : -1;
}

/* The drive's call, its target and argument in locals, and the step
 * ended and read into out with the chain and di (finish_step). The
 * assignment's form stores what came back under d->assign; the other
 * echoes it. Returns finish_step's code. */
static int drive_call(engine *e, const lesson_drive *d, PyObject *locals,
                      PyObject *chain, const drive_info *di, snap_step *out)
{
	PyObject *result;
	int rc;

	if (d->assign) {
		result = PyEval_EvalCode(e->drive_code[d->kind], e->ns, locals);
		if (result && PyDict_SetItemString(e->ns, d->assign, result) < 0)
			Py_CLEAR(result);
		end_step(&result);
		/* An assignment echoes nothing, whatever came back. */
		rc = finish_step(e, result ? Py_None : NULL, chain, di, out);
	} else {
		/* The echo code prints the value, through sys.displayhook, in
		 * the statement's own frame, as the prompt does. */
		result = PyEval_EvalCode(e->echo_code[d->kind], e->ns, locals);
		end_step(&result);
		rc = finish_step(e, result, chain, di, out);
	}
	Py_XDECREF(result);
	return rc;
}

int engine_drive(engine *e, const lesson_drive *d, snap_step *out)
{
	static const snap_how hows[] = {
		[DRIVE_NEXT] = SNAP_HOW_NEXT, [DRIVE_SEND] = SNAP_HOW_SEND,
		[DRIVE_THROW] = SNAP_HOW_THROW, [DRIVE_CLOSE] = SNAP_HOW_CLOSE,
	};
	PyObject *target = NULL, *arg = NULL, *locals = NULL, *chain;
	PyObject *none = NULL;          /* what a step ended before its call gave */
	drive_info di = { SNAP_HOW_UNKNOWN, NULL };
	bool with_arg = d->kind == DRIVE_SEND || d->kind == DRIVE_THROW;
	int rc = ENGINE_FAILED, setup;

	if (DRIVE_ON_LOOP(d->kind))
		return asyncio_drive(e, d, out);
	if (d->kind == DRIVE_NONE || !d->target || fds_enter(e) < 0)
		return ENGINE_FAILED;
	e->out_of_memory = false;
	/* The target and the argument are evaluated within the step, as the
	 * statement would evaluate them: in k.send(next(s)), s's hops are the
	 * step's too. */
	if (begin_step(e) < 0)
		return fds_leave(e, ENGINE_FAILED);
	chain = Py_NewRef(Py_None);
	target = step_eval(e, d->target);
	if (target && with_arg)
		arg = step_eval(e, d->arg ? d->arg : "None");
	if (!target || (with_arg && !arg)) {
		end_step(&none);
		if (e->out_of_memory) {
			PyErr_Clear();
			goto out;
		}
		rc = finish_step(e, NULL, chain, &no_drive, out);
		if (rc == ENGINE_OK)
			rc = ENGINE_ARG_ERROR;
		goto out;
	}
	di.how = hows[d->kind];
	locals = Py_BuildValue("{s[O]s[O]}", "_t", target, "_a", arg ? arg : Py_None);
	setup = locals ? drive_setup(e, d, target, arg, &di, &chain) : -1;
	if (setup != 0) {
		end_step(&none);
		if (setup > 0) {
			rc = finish_step(e, NULL, chain, &no_drive, out);
		} else {
			PyObject *bad = conv_take_exception();

			note_failure(e, bad);
			Py_XDECREF(bad);
		}
		goto out;
	}
	/* The call runs as code compiled from "<stdin>" with the objects in
	 * its locals, so that `next` is looked up as the lesson would see it
	 * and the traceback shows the statement's frame. The code pops them
	 * out of one-item lists: the statement's own references then go when
	 * CPython's would, as the call returns, before the echo, and a
	 * generator made for this drive alone is finalized there. */
	Py_CLEAR(target);
	Py_CLEAR(arg);
	rc = drive_call(e, d, locals, chain, &di, out);
out:
	Py_XDECREF(chain);
	Py_XDECREF(target);
	Py_XDECREF(arg);
	Py_XDECREF(locals);
	Py_XDECREF(di.value);
	return fds_leave(e, rc);
}

