/* main.c: options, and the choice of a mode. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "engine.h"
#include "lesson.h"
#include "progress.h"
#include "session.h"
#include "transcript.h"
#include "tui.h"
#include "util.h"

enum { MODE_TUI, MODE_PLAY, MODE_CHECK };

enum {
	OPT_STEP_TIMEOUT = 256, OPT_NO_ANIMATE, OPT_LESSONS, OPT_SCREEN_TEST,
	OPT_SIZE, OPT_VERSION, OPT_HELP, OPT_DO, OPT_MAX_CARDS, OPT_RESET_PROGRESS,
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
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: yieldscope [OPTION]... [LESSON.md | FILE.py]\n"
	        "       yieldscope --play [--json] [--do STATEMENT]... LESSON.md|FILE.py\n"
	        "       yieldscope --check LESSON.md...\n"
	        "Watch Python generators and coroutines work, step by step.\n"
	        "\n"
	        "With no file, show the menu of bundled lessons. A FILE.py runs as\n"
	        "__main__, then its generators can be driven freely.\n"
	        "\n"
	        "  -p, --play             print every step of a lesson with the state\n"
	        "                         of every generator after it\n"
	        "  -j, --json             with --play, one JSON object per step\n"
	        "      --do=STATEMENT     with --play, run STATEMENT after the file's\n"
	        "                         steps (repeatable; next(g), g.send(x),\n"
	        "                         g.throw(e), g.close() drive g)\n"
	        "  -c, --check            run lessons and compare their expected output;\n"
	        "                         exit 1 when any step does not match\n"
	        "      --step-timeout=S   stop a step that runs longer than S seconds\n"
	        "                         (default 2)\n"
	        "      --max-cards=N      describe at most N generators in full per step\n"
	        "                         (default 200); the summary counts them all\n"
	        "      --no-animate       do not show values travelling along a chain\n"
	        "      --reset-progress   forget every lesson's progress and score, and exit\n"
	        "      --lessons=DIR      find the menu's lessons in DIR\n"
	        "      --screen-test=FILE run the terminal UI headless on the keys in\n"
	        "                         FILE and print its screens (for tests)\n"
	        "      --size=COLSxLINES  screen size for --screen-test (default 80x24)\n"
	        "      --help             display this help and exit\n"
	        "      --version          output version information and exit\n"
	        "\n"
	        "\n"
	        "Environment: YIELDSCOPE_LESSONS (the menu's lessons), NO_COLOR\n"
	        "(no colours), XDG_STATE_HOME (where progress is kept), TERM.\n"
	        "\n"
	        "Exit status: 0 on success, 1 when --check finds a mismatch,\n"
	        "2 on a bad lesson, bad usage, or no usable terminal.\n"
	        "\n"
	        "The keys and the lesson format: man yieldscope.\n");
}

/* Print a lesson error as "file:line: message". */
static void report(const lesson_error *err)
{
	if (err->line > 0)
		fprintf(stderr, "%s:%d: %s\n", err->path, err->line, err->message);
	else
		fprintf(stderr, "%s: %s\n", err->path, err->message);
}

static engine *start_engine(const engine_options *o)
{
	char err[512];
	engine *e = engine_new(o, err, sizeof err);

	if (!e)
		fprintf(stderr, "yieldscope: %s\n", err);
	return e;
}

/* --play: the whole lesson as a handout or as JSON Lines, with the
 * statements of --do after its steps. */
static int play(const char *path, bool json, char **dos, int ndo,
                const engine_options *o)
{
	lesson_error err;
	lesson *l = lesson_load(path, &err);
	session *s;
	engine *e;
	size_t i;
	int rc = 0;
	bool cut;

	if (!l) {
		report(&err);
		return 2;
	}
	for (i = 0; i < (size_t)ndo; i++) {
		if (lesson_add_statement(l, dos[i]) < 0) {
			fprintf(stderr, "yieldscope: out of memory\n");
			lesson_free(l);
			return 2;
		}
	}
	e = start_engine(o);
	if (!e) {
		lesson_free(l);
		return 2;
	}
	s = session_new(l, e);
	if (!s) {
		fprintf(stderr, "yieldscope: out of memory\n");
		engine_free(e);
		return 2;
	}
	/* A transcript cut short must not pass for a whole one: a write or
	 * allocation that fails ends the run with status 2. */
	cut = !json && transcript_text_header(stdout, session_lesson(s)) < 0;
	for (i = 0; !cut && session_next_step(s); i++) {
		const session_entry *en;

		if (session_step(s) != ENGINE_OK) {
			fprintf(stderr, "yieldscope: step %zu could not be completed: "
			        "%s\n", i + 1, engine_failure(e));
			rc = 2;
			break;
		}
		en = session_entry_at(s, session_count(s) - 1);
		cut = (json ? transcript_json_entry(stdout, en, i + 1)
		            : transcript_text_entry(stdout, session_lesson(s), en, i + 1,
		                                    session_lesson(s)->nsteps)) < 0;
		fflush(stdout);
	}
	if (!cut && rc == 0 && !json)
		cut = transcript_text_footer(stdout, session_lesson(s)) < 0;
	if (cut) {
		fprintf(stderr, "yieldscope: the transcript was cut short: %s\n",
		        ferror(stdout) ? "it cannot be written" : "out of memory");
		rc = 2;
	}
	session_free(s);
	engine_free(e);
	return rc;
}

/* Check one lesson in the running engine; add to the counts. Returns 0, or
 * 2 when the lesson cannot be read. */
static int check_one(const char *path, engine *e, int *passed, int *failed)
{
	lesson_error err;
	lesson *l = lesson_load(path, &err);
	session *s;
	size_t i;

	if (!l) {
		report(&err);
		return 2;
	}
	s = session_new(l, e);
	if (!s) {
		fprintf(stderr, "yieldscope: out of memory\n");
		return 2;
	}
	while (session_next_step(s)) {
		if (session_step(s) != ENGINE_OK) {
			fprintf(stderr, "%s: the engine failed: %s\n", path,
			        engine_failure(e));
			session_free(s);
			return 2;
		}
	}
	for (i = 0; i < session_count(s); i++) {
		const session_entry *en = session_entry_at(s, i);
		const char *expected = en->expected;
		char *diff;

		/* A code step promises only that it runs: an exception in it is
		 * a failure, whatever it printed. */
		if (en->kind == LESSON_CODE) {
			if (!en->result.exception)
				continue;
			expected = "";
		} else if (en->match < 0) {
			continue;
		}
		if (en->kind == LESSON_STATEMENT && en->match == 1) {
			(*passed)++;
			continue;
		}
		(*failed)++;
		diff = compare_diff(path, en->kind == LESSON_CODE ? en->line
		                    : l->steps[en->step].expected_line,
		                    expected, en->kind == LESSON_CODE ?
		                    en->result.exception : en->actual);
		if (diff) {
			fputs(diff, stdout);
			ys_free(diff);
		}
	}
	session_free(s);
	return 0;
}

/* --check: every lesson, every expectation; "N passed, N failed". */
static int check(char **paths, int n, const engine_options *o)
{
	int passed = 0, failed = 0, bad = 0, i;
	engine_options quiet = *o;
	engine *e;

	/* A check compares what steps print: no generator is shown. */
	quiet.snapshots = false;
	e = start_engine(&quiet);
	if (!e)
		return 2;
	for (i = 0; i < n; i++)
		if (check_one(paths[i], e, &passed, &failed) != 0)
			bad++;
	engine_free(e);
	printf("%d passed, %d failed\n", passed, failed);
	if (bad)
		return 2;
	return failed ? 1 : 0;
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

/* The statements of --do, freed at exit whichever way main ends. */
static char **dos;

static void free_dos(void)
{
	ys_free(dos);
}

int main(int argc, char **argv)
{
	int mode = MODE_TUI, c, ndo = 0;
	bool json = false;
	const char *lessons = NULL;
	tui_options tui = {0};
	engine_options eo;
	char *end;

	setlocale(LC_ALL, "");
	/* Lessons keep the variants of the CPython embedded here only. */
	lesson_set_python(engine_python_version());
	dos = ys_calloc((size_t)argc + 1, sizeof *dos);
	if (!dos) {
		fprintf(stderr, "yieldscope: out of memory\n");
		return 2;
	}
	atexit(free_dos);
	engine_options_default(&eo);
	tui.animate = true;
	tui.screen_lines = 24;
	tui.screen_cols = 80;
	while ((c = getopt_long(argc, argv, "pjc", long_options, NULL)) != -1) {
		switch (c) {
		case 'p':
			mode = MODE_PLAY;
			break;
		case 'j':
			json = true;
			break;
		case OPT_DO:
			dos[ndo++] = optarg;
			break;
		case 'c':
			mode = MODE_CHECK;
			break;
		case OPT_STEP_TIMEOUT:
			eo.step_timeout = strtod(optarg, &end);
			if (*end || eo.step_timeout <= 0 || eo.step_timeout > 86400) {
				fprintf(stderr, "yieldscope: --step-timeout wants seconds, "
				        "more than 0: '%s'\n", optarg);
				return 2;
			}
			break;
		case OPT_MAX_CARDS: {
			long v = strtol(optarg, &end, 10);

			if (*end || v < 1 || v > 1000000) {
				fprintf(stderr, "yieldscope: --max-cards wants a count from 1 "
				        "to 1000000: '%s'\n", optarg);
				return 2;
			}
			eo.max_cards = (size_t)v;
			break;
		}
		case OPT_RESET_PROGRESS:
			if (progress_reset() < 0) {
				fprintf(stderr, "yieldscope: cannot clear progress: %s\n",
				        strerror(errno));
				return 2;
			}
			printf("Progress of every lesson cleared.\n");
			return 0;
		case OPT_NO_ANIMATE:
			tui.animate = false;
			break;
		case OPT_LESSONS:
			lessons = optarg;
			break;
		case OPT_SCREEN_TEST:
			tui.screen_script = optarg;
			break;
		case OPT_SIZE:
			if (sscanf(optarg, "%dx%d", &tui.screen_cols, &tui.screen_lines) != 2 ||
			    tui.screen_cols < 1 || tui.screen_lines < 1 ||
			    tui.screen_cols > 1000 || tui.screen_lines > 1000) {
				fprintf(stderr, "yieldscope: --size wants COLSxLINES, "
				        "like 80x24: '%s'\n", optarg);
				return 2;
			}
			break;
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
	if (json && mode != MODE_PLAY) {
		fprintf(stderr, "yieldscope: --json goes with --play\n");
		return 2;
	}
	if (ndo > 0 && mode != MODE_PLAY) {
		fprintf(stderr, "yieldscope: --do goes with --play\n");
		return 2;
	}
	switch (mode) {
	case MODE_PLAY:
		if (argc - optind != 1) {
			fprintf(stderr, "yieldscope: --play takes one lesson file\n");
			return 2;
		}
		return play(argv[optind], json, dos, ndo, &eo);
	case MODE_CHECK:
		if (argc - optind < 1) {
			fprintf(stderr, "yieldscope: --check takes lesson files\n");
			return 2;
		}
		return check(argv + optind, argc - optind, &eo);
	default:
		if (argc - optind > 1) {
			fprintf(stderr, "yieldscope: one lesson at a time\n");
			return 2;
		}
		tui.lesson_path = optind < argc ? argv[optind] : NULL;
		tui.lessons_dir = lessons_dir(lessons);
		tui.engine = eo;
		return tui_run(&tui);
	}
}
