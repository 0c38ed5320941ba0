/* tui_term.c: opening, restoring and dumping the terminal.
 *
 * The terminal must come back as it was whatever happens: normal exit,
 * error exit, SIGTERM, SIGHUP or a crash. endwin() is not safe in a signal
 * handler, so the state needed to restore is prepared at start (the saved
 * termios and the escape strings that leave the alternate screen, show the
 * cursor and stop mouse reports) and the fatal-signal handler writes them
 * with write(2) and tcsetattr(3), both async-signal-safe.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "tui_int.h"
#include "util.h"

#include <term.h>
#undef lines
#undef columns

static SCREEN *screen;
static FILE *headless_out, *headless_in;
static bool active;             /* curses owns the terminal */
static bool real;               /* ... and it is a real one */
static struct termios saved_tio;
static bool have_tio;
static int term_in = 0, term_out = 1; /* the terminal's descriptors */
static char restore_seq[256];
static size_t restore_len;
static volatile int *g_sigint_flag, *g_busy;
static void (*g_interrupt)(void);

bool tui_utf8(void)
{
	return ys_locale_utf8();
}

static void add_seq(const char *s)
{
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

static void at_exit(void)
{
	tui_term_close();
}

bool tui_term_open(bool mouse)
{
	const char *term = getenv("TERM");
	int err = 0;

	/* The program's own streams (stdio_own.h): 0, 1 and 2 are the
	 * lesson's once the engine runs. */
	term_in = fileno(stdin);
	term_out = fileno(stdout);
	if (!isatty(term_in) || !isatty(term_out)) {
		fprintf(stderr, "yieldscope: the lesson viewer needs a terminal, and "
		        "standard %s is not one.\n"
		        "To print a lesson step by step instead, use: yieldscope --play LESSON.md\n",
		        !isatty(term_in) ? "input" : "output");
		return false;
	}
	if (!term || !*term || strcmp(term, "dumb") == 0) {
		fprintf(stderr, "yieldscope: the lesson viewer needs a terminal that can "
		        "move the cursor, and TERM is %s%s%s.\n"
		        "To print a lesson step by step instead, use: yieldscope --play LESSON.md\n",
		        term && *term ? "\"" : "", term && *term ? term : "unset",
		        term && *term ? "\"" : "");
		return false;
	}
	if (setupterm(NULL, term_out, &err) != OK) {
		fprintf(stderr, "yieldscope: the terminal type \"%s\" is unknown here "
		        "(no terminfo entry).\n"
		        "To print a lesson step by step instead, use: yieldscope --play LESSON.md\n",
		        term);
		return false;
	}
	/* What to write to leave the screen usable, prepared while it is safe. */
	restore_len = 0;
	add_seq("\033[?1000l\033[?1002l\033[?1006l");
	add_seq(tigetstr("sgr0"));
	add_seq(tigetstr("rmcup"));
	add_seq(tigetstr("cnorm"));
	add_seq(tigetstr("rmkx"));
	del_curterm(cur_term);
	have_tio = tcgetattr(term_in, &saved_tio) == 0;

	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		fprintf(stderr, "yieldscope: cannot open the terminal \"%s\".\n"
		        "To print a lesson step by step instead, use: yieldscope --play LESSON.md\n",
		        term);
		return false;
	}
	set_term(screen);
	active = true;
	real = true;
	atexit(at_exit);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED, NULL);
	mouseinterval(0);
	tui_styles_init();
	return true;
}

bool tui_term_open_headless(const char *term, int lines, int cols)
{
	char buf[32];

	/* ncurses takes the size from LINES and COLUMNS when the output is not
	 * a terminal, so the virtual screen is exactly the size asked for. */
	snprintf(buf, sizeof buf, "%d", lines);
	setenv("LINES", buf, 1);
	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	headless_out = fopen("/dev/null", "w");
	headless_in = fopen("/dev/null", "r");
	if (!headless_out || !headless_in) {
		fprintf(stderr, "yieldscope: cannot open /dev/null: %s\n", strerror(errno));
		return false;
	}
	screen = newterm(term ? term : "xterm-256color", headless_out, headless_in);
	if (!screen) {
		fprintf(stderr, "yieldscope: no terminfo entry for \"%s\"\n",
		        term ? term : "xterm-256color");
		return false;
	}
	set_term(screen);
	active = true;
	real = false;
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	tui_styles_init();
	return true;
}

void tui_term_close(void)
{
	if (!active)
		return;
	active = false;
	if (real)
		mousemask(0, NULL);
	endwin();
	if (real) {
		/* Mouse reporting off again, in case the terminal kept it. */
		fputs("\033[?1000l", stdout);
		fflush(stdout);
	}
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
	if (headless_out)
		fclose(headless_out);
	if (headless_in)
		fclose(headless_in);
	headless_out = headless_in = NULL;
}

/* ---- Signals ------------------------------------------------------------------------ */

static void restore_raw(void)
{
	ssize_t r;

	if (!active || !real)
		return;
	if (restore_len)
		r = write(term_out, restore_seq, restore_len);
	r = write(term_out, "\r\n", 2);
	(void)r;
	if (have_tio)
		tcsetattr(term_in, TCSAFLUSH, &saved_tio);
}

static void on_fatal(int sig)
{
	/* Restore, then die of the same signal so the exit status tells. */
	restore_raw();
	active = false;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_sigint(int sig)
{
	(void)sig;
	if (g_busy && *g_busy && g_interrupt)
		g_interrupt();
	else if (g_sigint_flag)
		*g_sigint_flag = 1;
}

void tui_signals_install(volatile int *sigint_flag, volatile int *busy, void (*interrupt)(void))
{
	/* Every signal whose default ends the process, but the two that cannot
	 * be caught: lesson code may send its own process any of them
	 * (signal.alarm(1), os.kill(os.getpid(), signal.SIGUSR1)). */
	static const int fatal[] = { SIGTERM, SIGHUP, SIGSEGV, SIGABRT, SIGBUS,
	                             SIGFPE, SIGILL, SIGQUIT, SIGALRM, SIGUSR1,
	                             SIGUSR2, SIGPIPE, SIGXCPU, SIGXFSZ, SIGVTALRM,
	                             SIGPROF, SIGSYS, SIGTRAP };
	struct sigaction sa;
	size_t i;

	g_sigint_flag = sigint_flag;
	g_busy = busy;
	g_interrupt = interrupt;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	/* No SA_RESTART: a blocking getch returns so the loop sees the flag. */
	sa.sa_handler = on_sigint;
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
}

/* ---- Dump -----------------------------------------------------------------------------
 * The screen as text, as a person sees it. Cells drawn with the alternate
 * character set (line drawing in an ASCII locale) are written as the
 * characters they look like: box corners and lines in UTF-8, or + - | in
 * ASCII.
 */

static const char *acs_text(char c, bool utf8)
{
	static const struct { char c; const char *u, *a; } map[] = {
		{ 'q', "\u2500", "-" }, { 'x', "\u2502", "|" }, { 'l', "\u250c", "+" },
		{ 'k', "\u2510", "+" }, { 'm', "\u2514", "+" }, { 'j', "\u2518", "+" },
		{ 't', "\u251c", "+" }, { 'u', "\u2524", "+" }, { 'v', "\u2534", "+" },
		{ 'w', "\u252c", "+" }, { 'n', "\u253c", "+" }, { '`', "\u25c6", "+" },
		{ 'a', "\u2592", "#" }, { '~', "\u00b7", "o" }, { ',', "\u2190", "<" },
		{ '+', "\u2192", ">" }, { '.', "\u2193", "v" }, { '-', "\u2191", "^" },
		{ '0', "\u2588", "#" },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].c == c)
			return utf8 ? map[i].u : map[i].a;
	return NULL;
}

/* The letter for a cell's attributes in an attribute dump: the role whose
 * attributes match ('a' + role), '.' for plain text. */
static char attr_letter(attr_t a, short pair)
{
	int r;
	attr_t mask = A_ATTRIBUTES & ~A_ALTCHARSET & ~A_COLOR;

	if ((a & mask) == 0 && pair == 0)
		return '.';
	for (r = 1; r < R_NROLES; r++) {
		attr_t ra = tui_attr((view_role)r);
		if ((ra & mask) == (a & mask) && PAIR_NUMBER(ra) == pair)
			return (char)(r < 26 ? 'a' + r : 'A' + r - 26);
	}
	return '?';
}

/* Does cell (y, x) of the screen hold wc (the right half of a wide
 * character does: ncurses keeps the character in both of its cells)? */
static bool cell_holds(int y, int x, wchar_t wc)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t a = 0;
	short pair = 0;

	return x < COLS && mvwin_wch(curscr, y, x, &cc) != ERR &&
	       getcchar(&cc, wch, &a, &pair, NULL) != ERR && wch[0] == wc;
}

void tui_dump(FILE *out, bool attrs)
{
	bool utf8 = tui_utf8();
	int y, x, pass;

	for (pass = 0; pass < (attrs ? 2 : 1); pass++) {
		if (pass == 1)
			fprintf(out, "--- attributes ---\n");
		for (y = 0; y < LINES; y++) {
			strbuf sb = {0};
			size_t keep = 0;
			for (x = 0; x < COLS; x++) {
				cchar_t cc;
				wchar_t wch[CCHARW_MAX + 1];
				attr_t a = 0;
				short pair = 0;
				const char *t;

				if (mvwin_wch(curscr, y, x, &cc) == ERR)
					break;
				if (getcchar(&cc, wch, &a, &pair, NULL) == ERR)
					wch[0] = ' ';
				if (pass == 1) {
					sb_appendc(&sb, attr_letter(a, pair));
					keep = sb.len;
					continue;
				}
				if (wch[0] == 0)    /* right half of a wide character */
					continue;
				/* A wide character once, its right half skipped; one
				 * half covered by another character, or cut at the
				 * edge, shows as a blank, as a terminal shows it. */
				if (wch[0] >= 0x80 && wcwidth(wch[0]) == 2) {
					if (!cell_holds(y, x + 1, wch[0])) {
						sb_appendc(&sb, ' ');
						continue;
					}
					x++;
				}
				if ((a & A_ALTCHARSET) && wch[0] < 0x80 &&
				    (t = acs_text((char)wch[0], utf8)) != NULL) {
					sb_append(&sb, t);
				} else if (wch[0] < 0x80) {
					sb_appendc(&sb, (char)wch[0]);
				} else if (utf8) {
					char mb[MB_LEN_MAX];
					mbstate_t st;
					size_t n;
					memset(&st, 0, sizeof st);
					n = wcrtomb(mb, wch[0], &st);
					if (n == (size_t)-1)
						sb_appendc(&sb, '?');
					else
						sb_appendn(&sb, mb, n);
				} else {
					sb_appendc(&sb, '?');
				}
				if (wch[0] != ' ')
					keep = sb.len;
			}
			fprintf(out, "%.*s\n", (int)keep, sb.data ? sb.data : "");
			sb_free(&sb);
		}
	}
	fflush(out);
}
