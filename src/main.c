/* main.c: options, and the choice of a mode: the terminal UI (tui.c), or
 * --play and --check (batch.c). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "cast.h"
#include "engine.h"
#include "lesson.h"
#include "notebook.h"
#include "plain.h"
#include "progress.h"
#include "stdio_own.h"
#include "text.h"
#include "tui.h"
#include "tui_keys.h"
#include "util.h"

enum { MODE_TUI, MODE_PLAY, MODE_CHECK, MODE_PLAIN };

enum {
	OPT_STEP_TIMEOUT = 256, OPT_NO_ANIMATE, OPT_LESSONS, OPT_SCREEN_TEST,
	OPT_SIZE, OPT_VERSION, OPT_HELP, OPT_DO, OPT_MAX_CARDS, OPT_RESET_PROGRESS,
	OPT_RECORD, OPT_CAST, OPT_PLAIN, OPT_HTML, OPT_IMPORT,
};

static const struct option long_options[] = {
	{ "play", no_argument, NULL, 'p' },
	{ "json", no_argument, NULL, 'j' },
	{ "do", required_argument, NULL, OPT_DO },
	{ "check", no_argument, NULL, 'c' },
	{ "step-timeout", required_argument, NULL, OPT_STEP_TIMEOUT },
	{ "max-cards", required_argument, NULL, OPT_MAX_CARDS },
	{ "reset-progress", no_argument, NULL, OPT_RESET_PROGRESS },
	{ "no-animate", no_argument, NULL, OPT_NO_ANIMATE },
	{ "lessons", required_argument, NULL, OPT_LESSONS },
	{ "screen-test", required_argument, NULL, OPT_SCREEN_TEST },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "cast", no_argument, NULL, OPT_CAST },
	{ "plain", no_argument, NULL, OPT_PLAIN },
	{ "html", no_argument, NULL, OPT_HTML },
	{ "import", required_argument, NULL, OPT_IMPORT },
	{ "output", required_argument, NULL, 'o' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* The keys of the help screen, from the one table of actions, with the
 * arrows written as words. */
static void usage_keys(FILE *f)
{
	size_t r;

	fprintf(f, "Keys in the terminal UI:\n");
	for (r = 0; r < tui_nkeys; r++) {
		const tui_key *k = &tui_keys[r];
		char keys[64];
		const char *p;
		size_t n = 0;

		if (!k->help)
			continue;
		for (p = k->help_keys ? k->help_keys : ""; *p && n + 8 < sizeof keys; p++) {
			static const char *const words[] = { "Left", "Right", "Up", "Down" };
			const char *w = NULL;
			if (p[0] == '{' && p[1] && p[2] == '}')
				w = words[p[1] == 'L' ? 0 : p[1] == 'R' ? 1 : p[1] == 'U' ? 2 : 3];
			if (w) {
				n += (size_t)snprintf(keys + n, sizeof keys - n, "%s", w);
				p += 2;
			} else {
				keys[n++] = *p;
			}
		}
		keys[n] = '\0';
		fprintf(f, "  %-18s %s\n", keys, k->help);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: yieldscope [OPTION]... [LESSON.md | FILE.py]\n"
	        "       yieldscope --play [--json] [--do STATEMENT]... LESSON.md|FILE.py\n"
	        "       yieldscope --check LESSON.md...\n"
	        "       yieldscope --import NOTEBOOK.ipynb [--output LESSON.md]\n"
	        "Watch Python generators and coroutines work, step by step.\n"
	        "\n"
	        "With no file, show the menu of bundled lessons. A FILE.py runs as\n"
	        "__main__, then its generators can be driven freely.\n"
	        "\n"
	        "  -p, --play             print every step of a lesson with the state\n"
	        "                         of every generator after it\n"
	        "  -j, --json             with --play, one JSON object per step\n"
	        "      --html             with --play, one self-contained HTML page with\n"
	        "                         drawings of the heap, chains and hops\n"
	        "      --cast             with --play, an asciicast recording of the\n"
	        "                         terminal UI playing every step (at --size)\n"
	        "      --do=STATEMENT     with --play, run STATEMENT after the file's\n"
	        "                         steps (repeatable; next(g), g.send(x),\n"
	        "                         g.throw(e), g.close() drive g)\n"
	        "      --plain            play a lesson as a stream of lines, for screen\n"
	        "                         readers and slow links (no redraws); the\n"
	        "                         keys are typed one a line, ? lists them\n"
	        "  -c, --check            run lessons and compare their expected output;\n"
	        "                         exit 1 when any step does not match\n"
	        "      --import=NOTEBOOK.ipynb  write a lesson made from a Jupyter\n"
	        "                         notebook (to stdout, or to --output)\n"
	        "  -o, --output=FILE      where --import writes the lesson\n"
	        "      --step-timeout=S   stop a step that runs longer than S seconds\n"
	        "                         (default 2)\n"
	        "      --max-cards=N      describe at most N generators (and N asyncio tasks)\n"
	        "                         in full per step\n"
	        "                         (default 200); the summary counts them all\n"
	        "      --no-animate       do not show values travelling along a chain\n"
	        "      --reset-progress   forget every lesson's progress and score, and exit\n"
	        "      --lessons=DIR      find the menu's lessons in DIR\n"
	        "      --screen-test=FILE run the terminal UI headless on the keys in\n"
	        "                         FILE and print its screens (for tests)\n"
	        "      --size=COLSxLINES  screen size for --screen-test and --play --cast\n"
	        "                         (default 80x24)\n"
	        "      --record=FILE.cast record the session in the terminal UI as an\n"
	        "                         asciicast, with a marker at each step\n"
	        "      --help             display this help and exit\n"
	        "      --version          output version information and exit\n"
	        "\n");
	usage_keys(f);
	fprintf(f,
	        "\n"
	        "Environment: YIELDSCOPE_LESSONS (the menu's lessons), NO_COLOR\n"
	        "(no colours), XDG_STATE_HOME (where progress is kept), TERM.\n"
	        "\n"
	        "Exit status: 0 on success, 1 when --check finds a mismatch,\n"
	        "2 on a bad lesson, bad usage, or no usable terminal.\n"
	        "\n"
	        "The keys and the lesson format: man yieldscope.\n");
}

static engine *start_engine(const engine_options *o)
{
	char err[512];
	engine *e = engine_new(o, err, sizeof err);

	if (!e)
		fprintf(stderr, "yieldscope: %s\n", err);
	return e;
}

/* The lessons the menu lists: --lessons, $YIELDSCOPE_LESSONS, the source
 * tree this binary was built in, then the installed ones. */
static const char *lessons_dir(const char *option)
{
	const char *env = getenv("YIELDSCOPE_LESSONS");
	struct stat st;

	if (option)
		return option;
	if (env && *env)
		return env;
	if (stat(YS_SOURCE_LESSONS, &st) == 0 && S_ISDIR(st.st_mode))
		return YS_SOURCE_LESSONS;
	return YS_LESSONS_DIR;
}

/* What the command line asks for. */
typedef struct {
	int mode;
	bool json;
	bool cast;                      /* --play --cast */
	bool html;                      /* --play --html */
	const char *import;             /* --import: the notebook */
	const char *output;             /* --output: where --import writes */
	const char *lessons;
	char **dos;                     /* the statements of --do */
	size_t ndo;
	tui_options tui;
	engine_options eo;
} options;

/* The statements of --do, freed at exit whichever way main ends. */
static char **dos;

static void free_dos(void)
{
	ys_free(dos);
}

/* An option with a number: false (said why) when it is off. */
static bool number_option(int c, const char *arg, options *o)
{
	char *end;
	long v;

	switch (c) {
	case OPT_STEP_TIMEOUT:
		o->eo.step_timeout = strtod(arg, &end);
		if (*end || o->eo.step_timeout <= 0 || o->eo.step_timeout > 86400) {
			fprintf(stderr, "yieldscope: --step-timeout wants seconds, "
			        "more than 0: '%s'\n", arg);
			return false;
		}
		return true;
	case OPT_MAX_CARDS:
		v = strtol(arg, &end, 10);
		if (*end || v < 1 || v > 1000000) {
			fprintf(stderr, "yieldscope: --max-cards wants a count from 1 "
			        "to 1000000: '%s'\n", arg);
			return false;
		}
		o->eo.max_cards = (size_t)v;
		return true;
	default:
		if (sscanf(arg, "%dx%d", &o->tui.screen_cols, &o->tui.screen_lines) != 2 ||
		    o->tui.screen_cols < 1 || o->tui.screen_lines < 1 ||
		    o->tui.screen_cols > 1000 || o->tui.screen_lines > 1000) {
			fprintf(stderr, "yieldscope: --size wants COLSxLINES, "
			        "like 80x24: '%s'\n", arg);
			return false;
		}
		return true;
	}
}

/* An option that does its job and ends the program: its exit status. */
static int final_option(int c)
{
	switch (c) {
	case OPT_RESET_PROGRESS:
		if (progress_reset() < 0) {
			fprintf(stderr, "yieldscope: cannot clear progress: %s\n",
			        strerror(errno));
			return 2;
		}
		printf("Progress of every lesson cleared.\n");
		return 0;
	case OPT_VERSION:
		printf("yieldscope %s\n"
		       "Embeds CPython %s.\n"
		       "Copyright (C) 2026 the yieldscope authors.\n"
		       "License MIT: <https://opensource.org/licenses/MIT>.\n"
		       "This is free software: you are free to change and redistribute it.\n"
		       "There is NO WARRANTY, to the extent permitted by law.\n",
		       PACKAGE_VERSION, engine_python_version());
		return 0;
	case OPT_HELP:
		usage(stdout);
		return 0;
	default:
		fprintf(stderr, "Try 'yieldscope --help' for more information.\n");
		return 2;
	}
}

/* Read the options into o. Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, options *o)
{
	int c;

	while ((c = getopt_long(argc, argv, "pjco:", long_options, NULL)) != -1) {
		switch (c) {
		case 'p': o->mode = MODE_PLAY; break;
		case 'j': o->json = true; break;
		case OPT_DO: o->dos[o->ndo++] = optarg; break;
		case 'c': o->mode = MODE_CHECK; break;
		case OPT_NO_ANIMATE: o->tui.animate = false; break;
		case OPT_LESSONS: o->lessons = optarg; break;
		case OPT_SCREEN_TEST: o->tui.screen_script = optarg; break;
		case OPT_RECORD: o->tui.record = optarg; break;
		case OPT_CAST: o->cast = true; break;
		case OPT_HTML: o->html = true; break;
		case OPT_IMPORT: o->import = optarg; break;
		case 'o': o->output = optarg; break;
		case OPT_PLAIN: o->mode = MODE_PLAIN; break;
		case OPT_STEP_TIMEOUT:
		case OPT_MAX_CARDS:
		case OPT_SIZE:
			if (!number_option(c, optarg, o))
				return 2;
			break;
		default:
			return final_option(c);
		}
	}
	if ((o->json || o->cast || o->html) && o->mode != MODE_PLAY) {
		fprintf(stderr, "yieldscope: --%s goes with --play\n",
		        o->json ? "json" : o->cast ? "cast" : "html");
		return 2;
	}
	if (o->json + o->cast + o->html > 1) {
		fprintf(stderr, "yieldscope: one of --json, --cast and --html\n");
		return 2;
	}
	if (o->output && !o->import) {
		fprintf(stderr, "yieldscope: --output goes with --import\n");
		return 2;
	}
	if (o->tui.record && o->mode != MODE_TUI) {
		fprintf(stderr, "yieldscope: --record goes with the terminal UI "
		        "(for a lesson without one: --play --cast)\n");
		return 2;
	}
	if (o->ndo > 0 && o->mode != MODE_PLAY) {
		fprintf(stderr, "yieldscope: --do goes with --play\n");
		return 2;
	}
	return -1;
}

/* --import: the notebook as a lesson, to --output or stdout. */
static int import_notebook(const options *o, int nfiles)
{
	char err[1024];
	FILE *out = stdout;
	int rc;

	if (nfiles > 0) {
		fprintf(stderr, "yieldscope: --import takes one notebook, and no lesson\n");
		return 2;
	}
	if (o->output && !(out = fopen(o->output, "w"))) {
		fprintf(stderr, "yieldscope: cannot write %s: %s\n", o->output, strerror(errno));
		return 2;
	}
	rc = notebook_import(o->import, out, err, sizeof err);
	if (out != stdout && fclose(out) == EOF && rc == 0) {
		snprintf(err, sizeof err, "cannot write %s: %s", o->output, strerror(errno));
		rc = -1;
	}
	if (rc < 0) {
		fprintf(stderr, "yieldscope: %s\n", err);
		if (out != stdout)
			unlink(o->output);
		return 2;
	}
	return 0;
}

/* --play --cast: the terminal UI, headless at --size, plays every step
 * of the lesson from a key script and records its screens to stdout. */
static int play_cast(options *o, const char *path)
{
	lesson_error le;
	lesson *l = lesson_load_for(path, engine_python_version(), &le);
	const char *dir = getenv("TMPDIR");
	char script[512];
	FILE *f;
	int fd, rc;

	if (!l) {
		batch_report(stderr, le.path, le.line, le.message);
		return 2;
	}
	snprintf(script, sizeof script, "%s/yieldscope-cast-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(script);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	rc = f ? cast_play_script(l, f) : -1;
	lesson_free(l);
	if (f && fclose(f) == EOF)
		rc = -1;
	if (rc < 0) {
		fprintf(stderr, "yieldscope: cannot write a key script in %s: %s\n",
		        dir && *dir ? dir : "/tmp", strerror(errno));
		if (fd >= 0)
			unlink(script);
		return 2;
	}
	/* No progress: a recording starts at the first step, never at a
	 * "resume where you left off?" dialog. */
	unsetenv("XDG_STATE_HOME");
	o->tui.lesson_path = path;
	o->tui.lessons_dir = lessons_dir(o->lessons);
	o->tui.engine = o->eo;
	o->tui.screen_script = script;
	o->tui.record = "-";
	o->tui.record_steady = true;
	rc = tui_run(&o->tui);
	unlink(script);
	return rc;
}

/* --plain on path, its output under the escape rule (text.h): lesson text
 * reaches a screen reader as text, never as controls. */
static int run_plain(engine *e, const char *path)
{
	FILE *safe = ys_escape_stream(stdout);
	int rc;

	if (!safe) {
		fprintf(stderr, "yieldscope: out of memory\n");
		return 2;
	}
	rc = plain_run(e, path, stdin, safe, stderr);
	if (fclose(safe) != 0 && rc == 0)
		rc = 2;
	return rc;
}

/* --play or --check on the files named, in an engine of their own. */
static int run_batch(options *o, char **files, int nfiles)
{
	engine_options eo = o->eo;
	engine *e;
	int rc;

	if (o->mode == MODE_PLAY && nfiles != 1) {
		fprintf(stderr, "yieldscope: --play takes one lesson file\n");
		return 2;
	}
	if (o->mode == MODE_PLAIN && nfiles != 1) {
		fprintf(stderr, "yieldscope: --plain takes one lesson file\n");
		return 2;
	}
	if (o->mode == MODE_PLAY && o->cast)
		return play_cast(o, files[0]);
	if (o->mode == MODE_CHECK && nfiles < 1) {
		fprintf(stderr, "yieldscope: --check takes lesson files\n");
		return 2;
	}
	/* A check compares what steps print: no generator is shown. */
	if (o->mode == MODE_CHECK)
		eo.snapshots = false;
	e = start_engine(&eo);
	if (!e)
		return 2;
	if (o->mode == MODE_PLAIN)
		rc = run_plain(e, files[0]);
	else if (o->mode == MODE_PLAY)
		rc = batch_play_as(e, files[0], o->json ? BATCH_JSON : o->html ? BATCH_HTML
		                   : BATCH_TEXT, o->dos, o->ndo, stdout, stderr);
	else
		rc = batch_check(e, files, (size_t)nfiles, stdout, stderr);
	engine_free(e);
	return rc;
}

/* rc, or 2 when standard output could not be written (closed, a full
 * disk): a check whose summary was lost must not read as a pass. A failure
 * already said (rc 2) is not said twice. */
static int close_stdout(int rc)
{
	bool failed = ferror(stdout) != 0;

	errno = 0;
	if (fclose(stdout) != 0)
		failed = true;
	if (!failed)
		return rc;
	if (rc != 2)
		fprintf(stderr, "yieldscope: cannot write the output%s%s\n",
		        errno ? ": " : "", errno ? strerror(errno) : "");
	return 2;
}

int main(int argc, char **argv)
{
	options o;
	int rc;

	setlocale(LC_ALL, "");
	/* Before anything draws: 0, 1 and 2 will be the lesson's. */
	stdio_own();
	dos = ys_calloc((size_t)argc + 1, sizeof *dos);
	if (!dos) {
		fprintf(stderr, "yieldscope: out of memory\n");
		return 2;
	}
	atexit(free_dos);
	memset(&o, 0, sizeof o);
	o.dos = dos;
	engine_options_default(&o.eo);
	o.tui.animate = true;
	o.tui.screen_lines = 24;
	o.tui.screen_cols = 80;
	rc = parse(argc, argv, &o);
	if (rc >= 0)
		return close_stdout(rc);
	if (o.import)
		return close_stdout(import_notebook(&o, argc - optind));
	if (o.mode != MODE_TUI)
		return close_stdout(run_batch(&o, argv + optind, argc - optind));
	if (argc - optind > 1) {
		fprintf(stderr, "yieldscope: one lesson at a time\n");
		return 2;
	}
	o.tui.lesson_path = optind < argc ? argv[optind] : NULL;
	o.tui.lessons_dir = lessons_dir(o.lessons);
	o.tui.engine = o.eo;
	return close_stdout(tui_run(&o.tui));
}
