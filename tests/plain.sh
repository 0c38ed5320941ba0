#!/bin/sh
# --plain (issue 18): a lesson as a stream of lines, through a pipe and in
# a real terminal (tmux): no cursor movement or screen clearing, each step
# announced and described in words, the terminal UI's keys as commands.
set -u
: "${YS:?}" "${srcdir:=.}"
tmp=$(mktemp -d)
sock="ys-plain-$$"
T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
has() { # FILE TEXT WHAT
	if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2'"; sed 's/^/    /' "$1" | head -60; fi
}
export LC_ALL=C.UTF-8
lesson=$srcdir/lessons/02-four-keys.md

# Through a pipe: three steps, a right prediction, a free send, a
# statement, back, and quit.
printf '\n\n\n\n42\ns 5\n: x = 1\nb\nw\nr\n?\nbogus\nq\n' |
	"$YS" --plain "$lesson" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ]; then ok; else bad "--plain exits 0"; cat "$tmp/err"; fi
has "$tmp/out" "Step 3 of 17" "announces a step"
has "$tmp/out" "Statement: next(d)" "says the statement"
has "$tmp/out" "  New: d, generator doubler(), GEN_CREATED" "a new generator in words"
has "$tmp/out" "  d: GEN_SUSPENDED, was GEN_CREATED, now at line 23" "a state change in words"
has "$tmp/out" "  resume d, by send, receiving 21 (line 23)" "the value that travelled down"
has "$tmp/out" "  yield d, yielding 42 (line 23)" "the value that came back"
has "$tmp/out" "  d: answer = 42, n = 21" "changed locals"
has "$tmp/out" "Your prediction was right." "the prediction scored"
has "$tmp/out" "Ran: d.send(5)" "s drives the selected generator"
has "$tmp/out" "Ran: x = 1" ": runs a statement"
has "$tmp/out" "Back one action." "b goes back"
has "$tmp/out" "Replayed the lesson up to step 4, free actions dropped." "r replays"
has "$tmp/out" "  t EXCEPTION      throw EXCEPTION into it" "? lists the commands"
has "$tmp/out" 'Unknown command "bogus"' "an unknown command is said"
# A stream of lines: no escape sequence, no carriage return.
if LC_ALL=C grep -q "$(printf '\033')\|$(printf '\r')" "$tmp/out"; then
	bad "escape sequences or carriage returns in the stream"; else ok; fi
# Its commands are the terminal UI's keys, as its help screen lists them.
printf 'key ?\ndump\n' >"$tmp/help.keys"
"$YS" --screen-test="$tmp/help.keys" --size=100x40 "$lesson" >"$tmp/help" 2>&1
for k in "Space Enter" "n s t c o u x" "Tab" ":" "r" "← →" "?" "q"; do
	if grep -qF "│ $k " "$tmp/help"; then ok; else
		bad "the key $k of --plain is not on the terminal UI's help screen"; fi
done
# State is never colour alone: on a terminal without colour the heap's
# card of d still says SUSPENDED in words.
printf 'term vt100\nkey space\nkey space\nkey space\ndump\n' >"$tmp/mono.keys"
"$YS" --screen-test="$tmp/mono.keys" "$lesson" >"$tmp/mono" 2>&1
if grep -q '▸ d  *SUSPENDED' "$tmp/mono"; then ok; else
	bad "a card's state without colour"; cat "$tmp/mono"; fi
# The end of input ends it, with status 0.
printf '\n' | "$YS" --plain "$lesson" >/dev/null 2>&1
if [ $? -eq 0 ]; then ok; else bad "end of input ends --plain"; fi
"$YS" --plain "$tmp/nosuch.md" >/dev/null 2>"$tmp/err"
if [ $? -eq 2 ] && grep -q "nosuch.md" "$tmp/err"; then ok; else bad "a missing lesson: exit 2"; fi

# Predictions about generators: the question with the answers to choose
# from, and the lesson's score on its last line.
printf '\n\n\n\nmg.gi_yieldfrom\n\nworker\n\n\n\n\n\nqueue[0]\n\n' |
	"$YS" --plain "$srcdir/tests/lessons/predict-catch.md" >"$tmp/catch" 2>&1
has "$tmp/catch" "Predict which frame catches it (mg, mg.gi_yieldfrom or caller): mg.gi_yieldfrom" \
	"a catches question lists the chain"
has "$tmp/catch" "went up the chain to mg (manager()), which caught it" "a wrong catches answer's hint"
has "$tmp/catch" "Predict which generator it resumes first (queue[0], queue[1] or none): queue[0]" \
	"a resumes question lists the live generators"
has "$tmp/catch" "End of the lesson: predictions 2/4 right (resumes 1/1, catches 1/3)." \
	"the score at the end"

# The event loop's keys: o, u and x, as in the terminal UI. Before a loop
# there is none to step; o performs the script's run_one(); u TASK and x
# (the first pending task) are the Python they perform; the tasks are
# said in words.
printf 'o\n\n\n\n\n\no\nu b\nx\nw\nq\n' |
	"$YS" --plain "$srcdir/tests/asyncio/loop-steps.md" >"$tmp/loop" 2>&1
has "$tmp/loop" "No event loop to step: name one" "o before a loop"
has "$tmp/loop" "  New: a, pending, worker() at line 10, waits for its first run (in the ready queue)" \
	"a new task in words"
has "$tmp/loop" "Step 7 of 10" "o performs the script's run_one()"
has "$tmp/loop" "  The loop resumed a first." "the task a callback resumed"
has "$tmp/loop" "Ran: loop.run_until_resumes(b)" "u runs until the task named"
has "$tmp/loop" "  Next in the ready queue (3): Task.__step of s" "what o runs next"
has "$tmp/loop" "Ran: a.cancel()" "x cancels the first pending task"
has "$tmp/loop" "  Task a, pending, worker() at line 13, waits for the loop's next round; cancelled: its next run raises CancelledError" \
	"w says the tasks"

# In a real terminal: the lines stay in the scrollback, one after the
# other, and nothing redraws.
if command -v tmux >/dev/null 2>&1; then
	T new-session -d -s t -x 80 -y 24 "env LC_ALL=C.UTF-8 TERM=xterm-256color $YS --plain $lesson; echo \"exit \$?\"; sleep 30"
	T set-option -t t history-limit 5000 >/dev/null
	i=0
	until T capture-pane -t t -p | grep -q '^> '; do
		sleep 0.1; i=$((i + 1)); [ $i -lt 100 ] || break; done
	for k in Enter Enter Enter; do T send-keys -t t "$k"; sleep 0.3; done
	T send-keys -t t q Enter
	i=0
	until T capture-pane -t t -p | grep -q '^exit '; do
		sleep 0.1; i=$((i + 1)); [ $i -lt 100 ] || break; done
	T capture-pane -t t -p -S - >"$tmp/pane"
	has "$tmp/pane" "exit 0" "--plain in tmux ends with 0"
	# The first step's announcement is still there (scrolled, not erased).
	has "$tmp/pane" "Step 1 of 17" "tmux keeps the first step in the scrollback"
	has "$tmp/pane" "  d: GEN_SUSPENDED, was GEN_CREATED" "tmux shows the change"
else
	bad "tmux is not installed (scripts/install-deps installs it)"
fi

echo "plain: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
