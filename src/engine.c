/* engine.c: the embedded CPython interpreter's life.
 *
 * It starts an isolated interpreter, loads the engine's Python half
 * (engine_helper.py, compiled in as bytecode and as a string), resets the
 * lesson's namespace, and answers the small questions between steps
 * (bytecode, pages of cards). The engine's other files: engine_step.c
 * runs the steps, engine_hooks.c records their hops, engine_watchdog.c
 * stops them, engine_fds.c keeps the descriptors, engine_convert.c turns
 * Python values into plain C, engine_census.c finds the generators and
 * engine_sandbox.c keeps the lesson's hold on the process small.
 *
 * References: every PyObject * local is a new reference unless a comment
 * says it is borrowed; each function releases them on its one way out.
 */
#include "engine_int.h"
#include <marshal.h>

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static const char helper_source[] =
#include "engine_helper.inc"
	;
#include "engine_helper_code.inc"

engine *the_engine;

/* ---- Life ---------------------------------------------------------------------- */

void engine_options_default(engine_options *o)
{
	o->step_timeout = 2.0;
	o->output_cap = 64 * 1024;
	o->repr_cap = 80;
	o->max_locals = 32;
	o->max_cards = 200;
	o->snapshots = true;
}

PyCFunction engine_wrap_method(PyTypeObject *t, const char *name, int flags,
                               PyCFunction mine)
{
	PyObject *key = PyUnicode_InternFromString(name);
	PyObject *d = key ? _PyType_Lookup(t, key) : NULL;     /* borrowed */
	PyCFunction real = NULL;
	PyMethodDef *m;

	Py_XDECREF(key);
	PyErr_Clear();
	if (!d || !Py_IS_TYPE(d, &PyMethodDescr_Type))
		return NULL;
	m = ((PyMethodDescrObject *)d)->d_method;
	if (m->ml_flags == flags && m->ml_meth != mine) {
		real = m->ml_meth;
		m->ml_meth = mine;
	}
	return real;
}

const char *engine_python_version(void)
{
	static char version[32];
	const char *full = Py_GetVersion();
	size_t n = strcspn(full, " ");

	if (n >= sizeof version)
		n = sizeof version - 1;
	memcpy(version, full, n);
	version[n] = '\0';
	return version;
}

static void set_err(char *err, size_t errlen, const char *what)
{
	PyObject *exc = PyErr_Occurred() ? conv_take_exception() : NULL;
	PyObject *s = exc ? PyObject_Str(exc) : NULL;
	const char *detail = s ? PyUnicode_AsUTF8(s) : NULL;

	PyErr_Clear();
	snprintf(err, errlen, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
	Py_XDECREF(s);
	Py_XDECREF(exc);
}

/* engine_helper.py as a code object: the bytecode compiled at build time
 * when this CPython reads the same bytecode (its magic number matches),
 * else compiled from the source now. */
static PyObject *helper_code_object(void)
{
	long magic = PyImport_GetMagicNumber();
	PyObject *code;

	if (magic != -1 &&
	    (long)(helper_magic[0] | helper_magic[1] << 8 | helper_magic[2] << 16 |
	           (long)helper_magic[3] << 24) == magic) {
		code = PyMarshal_ReadObjectFromString((const char *)helper_code,
		                                      sizeof helper_code);
		if (code && PyCode_Check(code))
			return code;
		Py_XDECREF(code);
	}
	PyErr_Clear();
	return Py_CompileString(helper_source, "engine_helper.py", Py_file_input);
}

/* The module engine_helper.py runs in: its own copy of the builtins, and
 * the C functions it calls. A new reference, or NULL. */
static PyObject *helper_module(void)
{
	PyObject *module = PyModule_New("yieldscope"), *builtins = NULL;
	PyObject *guard_fn = NULL, *gen_of_fn = NULL, *locals_fn = NULL;
	PyObject *pause_fn = NULL, *cancels_fn = NULL;
	int rc = -1;

	if (!module)
		return NULL;
	/* A copy of the builtins, taken before any lesson runs: a lesson that
	 * replaces builtins.len or builtins.repr changes its own world, not
	 * the engine's. */
	builtins = PyDict_Copy(PyEval_GetBuiltins());
	if (!builtins || PyModule_AddObjectRef(module, "__builtins__", builtins) < 0)
		goto out;
	guard_fn = PyCFunction_New(&dog_guard_def, NULL);
	if (!guard_fn || PyModule_AddObjectRef(module, "_guard", guard_fn) < 0)
		goto out;
	gen_of_fn = PyCFunction_New(&hooks_gen_of_def, NULL);
	if (!gen_of_fn || PyModule_AddObjectRef(module, "_gen_of", gen_of_fn) < 0)
		goto out;
	locals_fn = PyCFunction_New(&census_frame_locals_def, NULL);
	if (!locals_fn || PyModule_AddObjectRef(module, "_frame_locals", locals_fn) < 0)
		goto out;
	pause_fn = PyCFunction_New(&asyncio_loop_pause_def, NULL);
	if (!pause_fn || PyModule_AddObjectRef(module, "_loop_pause", pause_fn) < 0)
		goto out;
	cancels_fn = PyCFunction_New(&asyncio_watch_cancels_def, NULL);
	if (!cancels_fn || PyModule_AddObjectRef(module, "_watch_cancels", cancels_fn) < 0)
		goto out;
	rc = 0;
out:
	Py_XDECREF(builtins);
	Py_XDECREF(guard_fn);
	Py_XDECREF(gen_of_fn);
	Py_XDECREF(locals_fn);
	Py_XDECREF(pause_fn);
	Py_XDECREF(cancels_fn);
	if (rc < 0)
		Py_CLEAR(module);
	return module;
}

/* The drive's code objects, and the opcodes the 3.11 hooks read. Returns
 * 0, or -1 with an exception set. */
static int load_codes(engine *e)
{
	static const char *const drive_src[] = {
		[DRIVE_NEXT] = "next(_t.pop())", [DRIVE_SEND] = "_t.pop().send(_a.pop())",
		[DRIVE_THROW] = "_t.pop().throw(_a.pop())", [DRIVE_CLOSE] = "_t.pop().close()",
	};
	PyObject *opcode, *opmap, *op;
	int rc = -1, k;

	for (k = DRIVE_NEXT; k <= DRIVE_CLOSE; k++) {
		e->drive_code[k] = Py_CompileString(drive_src[k], "<stdin>", Py_eval_input);
		e->echo_code[k] = Py_CompileString(drive_src[k], "<stdin>", Py_single_input);
		if (!e->drive_code[k] || !e->echo_code[k])
			return -1;
	}
	opcode = PyImport_ImportModule("opcode");
	opmap = opcode ? PyObject_GetAttrString(opcode, "opmap") : NULL;
	op = opmap ? PyDict_GetItemString(opmap, "YIELD_VALUE") : NULL; /* borrowed */
	if (!op)
		goto out;
	e->yield_opcode = (int)PyLong_AsLong(op);
	op = PyDict_GetItemString(opmap, "RESUME");       /* borrowed */
	if (!op)
		goto out;
	e->start_opcode = (int)PyLong_AsLong(op);
	rc = 0;
out:
	Py_XDECREF(opcode);
	Py_XDECREF(opmap);
	return rc;
}

/* Run engine_helper.py in a module of its own; build the Engine object. */
static int load_helper(engine *e, char *err, size_t errlen)
{
	PyObject *module = NULL, *code = NULL, *result = NULL, *cls = NULL;
	int rc = -1;

	module = helper_module();
	if (!module)
		goto out;
	code = helper_code_object();
	if (!code)
		goto out;
	result = PyEval_EvalCode(code, PyModule_GetDict(module), PyModule_GetDict(module));
	if (!result)
		goto out;
	cls = PyObject_GetAttrString(module, "Engine");
	if (!cls)
		goto out;
	e->helper = PyObject_CallFunction(cls, "nnns", (Py_ssize_t)e->opts.output_cap,
	                                  (Py_ssize_t)e->opts.repr_cap,
	                                  (Py_ssize_t)e->opts.max_locals, PROGRAM_NAME);
	if (!e->helper)
		goto out;
	e->timeout_type = PyObject_GetAttrString(module, "StepTimeout");
	if (!e->timeout_type)
		goto out;
	e->gen_types = PyObject_GetAttrString(module, "GEN_TYPES");
	e->deque_type = PyObject_GetAttrString(module, "deque");
	if (!e->gen_types || !e->deque_type || load_codes(e) < 0)
		goto out;
	e->main_thread = PyThreadState_Get();
	if (hooks_setup() < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		set_err(err, errlen, "cannot start yieldscope's engine");
	Py_XDECREF(module);
	Py_XDECREF(code);
	Py_XDECREF(result);
	Py_XDECREF(cls);
	return rc;
}

/* Everything alive now stays (the interpreter, the engine, the modules
 * imported so far): gc.freeze() keeps the collections between lessons
 * (see engine_reset) from walking it again and again. */
static void freeze_survivors(void)
{
	PyObject *gc = PyImport_ImportModule("gc");

	if (gc)
		Py_XDECREF(PyObject_CallMethod(gc, "freeze", NULL));
	Py_XDECREF(gc);
	PyErr_Clear();
}

/* The kick signal and the rest of the sandbox (engine_sandbox.c). Without
 * it the engine still works; only a step blocked in a system call can then
 * not be stopped. */
static void start_sandbox(void)
{
	PyObject *fn = PyCFunction_New(&dog_kick_def, NULL);

	if (fn)
		sandbox_setup(fn, SIGRTMAX - 2, 4 /* MONITOR_TOOL, on 3.12+ */);
	Py_XDECREF(fn);
	PyErr_Clear();
}

engine *engine_new(const engine_options *o, char *err, size_t errlen)
{
	PyConfig config;
	PyStatus status;
	engine *e;

	err[0] = '\0';
	if (the_engine) {
		snprintf(err, errlen, "an engine is already running");
		return NULL;
	}
	e = ys_calloc(1, sizeof *e);
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (o)
		e->opts = *o;
	else
		engine_options_default(&e->opts);
	fds_open(e);

	/* Isolated: no PYTHON* variables, no user site, no current directory
	 * on sys.path. No site at all: a lesson must not see what happens to
	 * be installed on this machine. A fixed hash seed keeps set order, and
	 * so every replay, the same. No signal handlers: Ctrl-C is ours. */
	PyConfig_InitIsolatedConfig(&config);
	config.site_import = 0;
	config.install_signal_handlers = 0;
	config.use_hash_seed = 1;
	config.hash_seed = 0;
	config.write_bytecode = 0;
	config.parse_argv = 0;
	status = PyConfig_SetBytesString(&config, &config.program_name, "yieldscope");
	if (!PyStatus_Exception(status))
		status = Py_InitializeFromConfig(&config);
	PyConfig_Clear(&config);
	if (PyStatus_Exception(status)) {
		snprintf(err, errlen, "cannot start Python: %s",
		         status.err_msg ? status.err_msg : "unknown error");
		fds_close(e);
		ys_free(e);
		return NULL;
	}
	the_engine = e;
	if (load_helper(e, err, errlen) < 0 || engine_reset(e) < 0) {
		if (!err[0])
			set_err(err, errlen, "cannot start yieldscope's engine");
		engine_free(e);
		return NULL;
	}
	start_sandbox();
	dog_start();
	return e;
}

void engine_free(engine *e)
{
	bool held;
	int k;

	if (!e)
		return;
	fds_mute(e);
	dog_stop();
	Py_CLEAR(e->helper);
	Py_CLEAR(e->ns);
	Py_CLEAR(e->raw);
	Py_CLEAR(e->pauses);
	Py_CLEAR(e->loop_pauses);
	asyncio_forget();
	hooks_forget(e);
	Py_CLEAR(e->program);
	Py_CLEAR(e->timeout_type);
	census_free(e->census);
	e->census = NULL;
	Py_CLEAR(e->gen_types);
	Py_CLEAR(e->deque_type);
	hooks_teardown();
	ys_free(e->program_name);
	for (k = 0; k < 5; k++) {
		Py_CLEAR(e->drive_code[k]);
		Py_CLEAR(e->echo_code[k]);
	}
	held = sandbox_before_exit();
	the_engine = NULL;
	if (!held)
		Py_FinalizeEx();
	sandbox_after_exit();
	fds_final(e);
	ys_free(e);
}

int engine_reset(engine *e)
{
	PyObject *ns;

	if (fds_enter(e) < 0)
		return -1;
	ns = PyObject_CallMethod(e->helper, "new_namespace", NULL);
	if (!ns) {
		PyErr_Clear();
		return fds_leave(e, -1);
	}
	census_free(e->census);
	e->census = NULL;
	Py_XSETREF(e->ns, ns);
	/* Drop the old lesson's objects now, so their finalizers run here and
	 * not in the middle of the next lesson's first step. */
	PyGC_Collect();
	/* What survives is the interpreter's and the modules lessons imported:
	 * frozen, the next lesson's collection does not walk it again. */
	freeze_survivors();
	Py_XDECREF(PyObject_CallMethod(e->helper, "take_output", NULL));
	PyErr_Clear();
	/* What a finalizer wrote at the reset is the old lesson's. */
	if (e->capture_fd >= 0)
		(void)!ftruncate(e->capture_fd, 0);
	return fds_leave(e, 0) < 0 ? -1 : 0;
}

int engine_set_program(engine *e, const char *filename, const char *text)
{
	char *name;
	PyObject *r;

	if (fds_enter(e) < 0)
		return -1;
	name = ys_strdup(filename ? filename : PROGRAM_NAME);
	r = name ? PyObject_CallMethod(e->helper, "set_program", "ss", name, text)
	         : NULL;
	if (!r) {
		PyErr_Clear();
		ys_free(name);
		return fds_leave(e, -1);
	}
	Py_DECREF(r);
	ys_free(e->program_name);
	e->program_name = name;
	return fds_leave(e, 0) < 0 ? -1 : 0;
}

long engine_disassemble(engine *e, const char *label, engine_instr **out)
{
	PyObject *gen = NULL, *list = NULL;
	engine_instr *v = NULL;
	Py_ssize_t i, n = 0;
	bool ok = true;
	long rc = -1;

	*out = NULL;
	if (fds_enter(e) < 0)
		return -1;
	dog_arm(e->opts.step_timeout);
	gen = step_eval(e, label);
	dog_disarm();
	if (!gen) {
		PyErr_Clear();
		gen = Py_NewRef(Py_None);
	}
	list = PyObject_CallMethod(e->helper, "disassemble", "(Os)", gen, label);
	if (!list)
		goto out;
	n = PyList_GET_SIZE(list);
	v = ys_calloc((size_t)n, sizeof *v);
	if (!v)
		goto out;
	for (i = 0; i < n; i++) {
		PyObject *t = PyList_GET_ITEM(list, i);     /* borrowed */

		v[i].offset = conv_int(PyTuple_GET_ITEM(t, 0));
		v[i].line = conv_int(PyTuple_GET_ITEM(t, 1));
		v[i].opname = conv_str(PyTuple_GET_ITEM(t, 2), &ok);
		v[i].argrepr = conv_str(PyTuple_GET_ITEM(t, 3), &ok);
		if (!v[i].argrepr && ok)
			v[i].argrepr = ys_strdup("");
	}
	if (ok) {
		*out = v;
		v = NULL;
		rc = (long)n;
	}
out:
	PyErr_Clear();
	engine_instrs_free(v, (long)n);
	Py_XDECREF(gen);
	Py_XDECREF(list);
	/* A call that broke the engine still gives what it read; the next
	 * one fails. */
	fds_leave(e, 0);
	return rc;
}

void engine_instrs_free(engine_instr *v, long n)
{
	long i;

	if (!v)
		return;
	for (i = 0; i < n; i++) {
		ys_free(v[i].opname);
		ys_free(v[i].argrepr);
	}
	ys_free(v);
}

void engine_set_line_stepping(engine *e, bool on)
{
	e->line_stepping = on;
}

long engine_cards(engine *e, size_t offset, size_t count, snap_gen **out,
                  size_t *n)
{
	PyObject *entries, *list = NULL, *saved;
	long rc = -1;

	*out = NULL;
	*n = 0;
	if (fds_enter(e) < 0)
		return -1;
	saved = step_work_begin(e);
	/* A repr run since the step may have ended or deleted a generator. */
	if (e->census && census_stale(e->census))
		e->census = census_update(e->census, e->ns, e->gen_types,
		                          e->deque_type, LOCALS_BUDGET, false);
	entries = census_entries(e->census, offset, count);
	if (entries)
		list = PyObject_CallMethod(e->helper, "cards", "(Oi)", entries, 0);
	if (list && conv_gens(list, out, n) == 0)
		rc = (long)*n;
	PyErr_Clear();
	step_work_end(e, saved);
	Py_XDECREF(entries);
	Py_XDECREF(list);
	fds_leave(e, 0);
	return rc;
}

void engine_cards_free(snap_gen *v, size_t n)
{
	snap_step holder = {0};

	holder.gens = v;
	holder.ngens = n;
	snap_step_clear(&holder);
}

const char *engine_failure(const engine *e)
{
	return e->failure[0] ? e->failure : "out of memory";
}

