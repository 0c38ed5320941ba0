/* engine.h: the embedded CPython interpreter, behind one door.
 *
 * The engine is the only module that includes Python.h; this header speaks
 * plain C. It runs lesson code in a fresh "__main__" namespace, drives
 * generators, captures output, stops runaway steps, and after every step
 * fills a snap_step with the state of every generator the namespace can
 * reach and the events of the step, hop by hop.
 *
 * There is one interpreter per process: engine_new starts it, engine_free
 * finalizes it, and only one engine exists at a time.
 */
#ifndef YS_ENGINE_H
#define YS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "lesson.h"
#include "snapshot.h"

typedef struct engine engine;

typedef struct {
	double step_timeout;    /* seconds of work before a step is stopped */
	size_t output_cap;      /* bytes of output kept per step */
	size_t repr_cap;        /* characters kept of each repr */
	size_t max_locals;      /* locals listed per generator */
	size_t max_cards;       /* generators described in full per step; the
	                           summary counts them all */
	bool snapshots;         /* false: no generators, no events, no hooks;
	                           output, value and exception only (--check) */
} engine_options;

/* Step results of the engine's run and drive functions. */
enum {
	ENGINE_OK = 0,          /* the step ran (it may have raised: see exception) */
	ENGINE_ARG_ERROR = 1,   /* engine_drive: the target or argument expression
	                           failed; nothing was driven; out->exception says why */
	ENGINE_FAILED = -1,     /* the engine itself failed: engine_failure says why */
};

/* Defaults: 2 s per step, 64 KiB of output, 80 characters per repr, 32
 * locals, 200 cards. */
void engine_options_default(engine_options *o);

/* Start the interpreter with an isolated configuration: PYTHON* variables,
 * the user site and site-packages are ignored and the hash seed is fixed,
 * so a lesson behaves the same on every machine. Returns NULL with a
 * message in err when Python cannot start. */
engine *engine_new(const engine_options *o, char *err, size_t errlen);

/* Finalize the interpreter and free the engine. NULL is fine. */
void engine_free(engine *e);

/* Throw away the lesson namespace and start a fresh one, as if the
 * interpreter had just started. Returns 0, or -1 on failure. */
int engine_reset(engine *e);

/* Make filename's text known to Python (linecache), so that tracebacks
 * show its lines. Code steps are compiled under this filename (NULL: the
 * default "<lesson>"), so generators defined in them have it as their
 * snap_gen.filename. Returns 0 or -1. */
int engine_set_program(engine *e, const char *filename, const char *text);

/* Run source as module code in the namespace, compiled so that its first
 * line is line first_line of the file given to engine_set_program.
 * out must be zeroed; the caller clears it with snap_step_clear. */
int engine_run_code(engine *e, const char *source, int first_line,
                    snap_step *out);

/* Run one statement as Python's interactive prompt does: an expression's
 * value is echoed through sys.displayhook (None is not), an exception
 * leaves "Type: message" in out->exception. */
int engine_run_statement(engine *e, const char *source, snap_step *out);

/* Perform a driving statement: evaluate d->target and d->arg in the
 * namespace, then next/send/throw/close it, echo or assign the result.
 * Behaves as running lesson_drive_statement(d) would, and also knows what
 * went into the chain. Returns ENGINE_ARG_ERROR when an expression failed
 * before anything was driven. */
int engine_drive(engine *e, const lesson_drive *d, snap_step *out);

/* Turn line stepping on or off for the steps that follow: with it on,
 * every step fills out->pauses (see snapshot.h); with it off, no line
 * tracing runs at all. Off after engine_new. */
void engine_set_line_stepping(engine *e, bool on);

/* Turn callback pauses on or off for the steps that follow: with them on,
 * a statement that runs one of yieldscope's event loops (asyncio.run,
 * run_until_complete, run_forever; not run_one, run_until_resumes) fills
 * out->pauses with a SNAP_PAUSE_CALLBACK pause at each callback the loop
 * hands out, its first 1,000 at most (see snapshot.h); interleaved with line
 * stepping's when that is on too. Off after engine_new; no effect with
 * snapshots off. */
void engine_set_loop_pauses(engine *e, bool on);

/* Ask the step now running to stop with KeyboardInterrupt. Safe to call
 * from a signal handler. */
void engine_interrupt(void);

/* The cards of generators [offset, offset + count) of the last step's
 * census, in the order the snapshot lists them: for a Heap that scrolls
 * through more than max_cards. Fills *out and *n (free with
 * engine_cards_free) and returns the count, or -1 on failure. Valid until
 * the next step. */
long engine_cards(engine *e, size_t offset, size_t count, snap_gen **out,
                  size_t *n);
void engine_cards_free(snap_gen *v, size_t n);

/* ---- Bytecode ---------------------------------------------------------- */

typedef struct {
	int offset;             /* byte offset, as f_lasti counts */
	int line;               /* source line, -1 when none */
	char *opname;
	char *argrepr;          /* may be "" */
} engine_instr;

/* The disassembly of the code of the generator labelled label, as the dis
 * module shows it. Fills *out (free with engine_instrs_free) and returns
 * the count, or -1 when label names no generator. */
long engine_disassemble(engine *e, const char *label, engine_instr **out);
void engine_instrs_free(engine_instr *v, long n);

/* "3.11.2": the version of the CPython the engine runs. */
const char *engine_python_version(void);

/* Why the last call that returned ENGINE_FAILED (or -1) failed, as a
 * phrase: "out of memory", or what else went wrong (lesson code closed
 * the engine's descriptors: every later call fails too). */
const char *engine_failure(const engine *e);

#endif
