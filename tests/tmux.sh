#!/bin/sh
# End-to-end tests as a person would do them: the real program in a real
# terminal (tmux), keys typed, the screen read back. tmux is required:
# scripts/install-deps installs it; without it this test FAILS (never skips).
set -u
: "${YS:?YS must name the yieldscope program}"
: "${srcdir:=.}"
if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL: tmux is not installed; the end-to-end tests need it (scripts/install-deps installs it)" >&2
	exit 1
fi
cd "$srcdir" || exit 99
L=tests/screens/lessons/1-chain.md
sock="ys-test-$$-0"
nsock=0
tmp=$(mktemp -d) || exit 99
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$tmp"; }
# A fresh tmux server for each run of the program, so no run sees the
# previous one going away.
fresh() {
	T kill-server 2>/dev/null
	nsock=$((nsock + 1))
	sock="ys-test-$$-$nsock"
}
trap cleanup EXIT
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1"; fail=$((fail + 1)); echo "--- screen:"; T capture-pane -t t -p 2>/dev/null; }

# Wait until the screen shows text (up to 10 s).
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		if T capture-pane -t t -p 2>/dev/null | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
check() {   # check NAME TEXT
	if wait_for "$2"; then ok "$1"; else bad "$1 (no \"$2\")"; fi
}
# Start the program in a shell that, after it ends, records its status
# and the terminal modes, so we can see the terminal was restored.
start() {   # start COLS LINES ARGS...
	cols=$1 lines=$2
	shift 2
	fresh
	rm -f "$tmp/status" "$tmp/stty"
	T new-session -d -s t -x "$cols" -y "$lines" \
		"env LC_ALL=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=${STATE:-$tmp/state-$nsock} $YS $*; echo \$? > $tmp/status; stty -a > $tmp/stty; sleep 30"
}
wait_exit() {
	i=0
	while [ ! -s "$tmp/stty" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$tmp/stty" ]
}
restored() {   # the terminal is back in cooked mode with echo
	grep -q ' icanon' "$tmp/stty" && grep -q ' echo ' "$tmp/stty"
}

# ---- Guided play at 80x24 -------------------------------------------------
start 80 24 --no-animate "$L"
check "the lesson opens" "A chain of two generators"
T send-keys -t t Space; sleep 0.3
T send-keys -t t Space; sleep 0.3
T send-keys -t t Space
check "priming pauses o on its yield from" "◀ o"
check "the subgenerator has a card" "o.gi_yieldfrom"
check "the lesson asks for a send" "press s to send 5 into o"
T send-keys -t t s
check "s opens the send prompt pre-filled" "o.send(5"
T send-keys -t t Enter
check "the lesson's predict step asks first" "predict: what will  o.send(5)  show?"
T send-keys -t t -l "5"
T send-keys -t t Enter
check "the value went down the chain" "send(5)"
# At 80x24 the Channel shares its place with the Heap: 4 brings it.
T send-keys -t t 4
check "and came back up" "yield 5"
check "the prediction is scored" "Right: you predicted 5."

# ---- Free play on the subgenerator ------------------------------------------
T send-keys -t t Tab; sleep 0.2
T send-keys -t t n
check "next on the subgenerator is echoed" ">>> next(o.gi_yieldfrom)"
check "off script is shown" "OFF SCRIPT"
T send-keys -t t r
check "r replays back on script" "Replayed the lesson"

# ---- A bad expression keeps the prompt open -----------------------------------
T send-keys -t t s C-u
T send-keys -t t -l "nosuch"
T send-keys -t t Enter
check "the error shows under the prompt" "NameError"
T send-keys -t t Escape
sleep 0.3

# ---- Resize, too small, back ------------------------------------------------------
T resize-window -t t -x 120 -y 40
check "a resize redraws" "Channel"
T resize-window -t t -x 60 -y 20
check "too small says so" "make the window at least 80×24"
T resize-window -t t -x 200 -y 60
check "enlarged again it recovers" "Heap"
T send-keys -t t '?'
check "help lists the keys" "zoom the focused pane"
T send-keys -t t x
T send-keys -t t q
if wait_exit && [ "$(cat "$tmp/status")" = 0 ] && restored; then
	ok "q quits with status 0 and the terminal restored"
else
	bad "q quits with status 0 and the terminal restored"
fi

# ---- Ctrl-C when idle asks, y quits -------------------------------------------------
start 80 24 --no-animate "$L"
check "started again" "A chain of two generators"
T send-keys -t t C-c
check "Ctrl-C when idle asks before quitting" "Quit yieldscope?"
T send-keys -t t y
if wait_exit && restored; then ok "y quits, terminal restored"; else bad "y quits, terminal restored"; fi

# ---- Ctrl-C while lesson code runs interrupts it -------------------------------------
start 80 24 --no-animate --step-timeout 60 tests/screens/lessons/3-loop.md
check "loop lesson opens" "A step that never ends"
T send-keys -t t Space
sleep 1
T send-keys -t t C-c
check "Ctrl-C interrupts the running step" "KeyboardInterrupt"
T send-keys -t t Space
check "and the lesson goes on" ">>> 1 + 1"

# ---- Fatal signals restore the terminal --------------------------------------------------
for sig in TERM HUP SEGV ABRT ALRM USR1 PIPE; do
	start 80 24 --no-animate "$L"
	wait_for "A chain of two generators" >/dev/null
	pid=$(T list-panes -t t -F '#{pane_pid}')
	pid=$(pgrep -P "$pid" -f yieldscope | head -n 1)
	if [ -z "$pid" ]; then bad "SIG$sig: program not found"; continue; fi
	kill -s "$sig" "$pid"
	if wait_exit && restored; then ok "SIG$sig restores the terminal"; else bad "SIG$sig restores the terminal"; fi
done

# ---- The menu at 200x60 ---------------------------------------------------------------------
start 200 60 --no-animate --lessons tests/screens/lessons
check "the menu lists lessons with step counts" "6 steps"
T send-keys -t t Enter
check "Enter opens the lesson" "step 1/6"
T send-keys -t t q
check "q goes back to the menu" "Choose a lesson"
T send-keys -t t q
if wait_exit; then ok "q in the menu quits"; else bad "q in the menu quits"; fi

# ---- Back and forward: the same screen at the same step ----------------------------------------
start 80 24 --no-animate "$L"
check "history: the lesson opens" "step 1/6"
for k in Space Space Space; do T send-keys -t t $k; sleep 0.3; done
check "history: primed" "press s to send 5 into o"
T capture-pane -t t -p | sed '$d' > "$tmp/at3"
T send-keys -t t Space; sleep 0.3
T send-keys -t t -l 5; T send-keys -t t Enter; sleep 0.3
T send-keys -t t Space
check "history: two steps on" "press c to close o"
T send-keys -t t Left; sleep 0.2; T send-keys -t t Left
check "history: two back" "HISTORY 3/5"
T capture-pane -t t -p | sed '$d' > "$tmp/back3"
if diff -u "$tmp/at3" "$tmp/back3" >"$tmp/diff3"; then
	ok "history: two steps back shows the screen step 3 showed"
else
	bad "history: two steps back shows the screen step 3 showed"; cat "$tmp/diff3"
fi
T send-keys -t t q; wait_exit

# ---- Progress: remembered, resumed, a corrupt file ignored ------------------------------------------
STATE=$tmp/keep
start 80 24 --no-animate "$L"
check "progress: a fresh lesson" "step 1/6"
for k in Space Space Space; do T send-keys -t t $k; sleep 0.3; done
check "progress: three steps done" "press s to send 5 into o"
T send-keys -t t q; wait_exit
if ls "$STATE"/yieldscope/*.json >/dev/null 2>&1; then ok "progress: saved under XDG_STATE_HOME"; else bad "progress: saved under XDG_STATE_HOME"; fi
start 80 24 --no-animate "$L"
check "progress: reopening offers to resume" "Last time you reached step 4 of 6."
T send-keys -t t Enter
check "progress: Enter resumes there" "Resumed at step 4 of 6"
check "progress: the namespace is rebuilt" "◀ o"
T send-keys -t t q; wait_exit
start 200 60 --no-animate --lessons tests/screens/lessons
check "progress: the menu shows it" "step 4/6"
T send-keys -t t q; wait_exit
for f in "$STATE"/yieldscope/*.json; do printf '{"furthest": ' > "$f"; done
start 80 24 --no-animate "$L"
check "progress: a corrupt file is reported" "Progress file ignored, it is corrupt"
check "progress: and the lesson starts anyway" "step 1/6"
T send-keys -t t Space
check "progress: the lesson goes on" "o = outer()"
T send-keys -t t q
if wait_exit && [ "$(cat "$tmp/status")" = 0 ]; then ok "progress: quits normally"; else bad "progress: quits normally"; fi
unset STATE

# ---- Line stepping through a three-level chain, at 200x60 ---------------------------------------------
start 200 60 --no-animate tests/lessons/chain.md
check "line stepping: lesson opens" "Three levels"
T send-keys -t t l
check "l turns line stepping on" "Line stepping on"
for k in Space Space Space; do T send-keys -t t $k; sleep 0.3; done
check "next(t) stops at its first pause" "LINE STEP 1/9"
for k in Enter Enter Enter Enter; do T send-keys -t t $k; sleep 0.2; done
check "the fifth pause: leaf resumed" "LINE STEP 5/9  leaf is resumed"
if T capture-pane -t t -p | grep -q "RUNNING  leaf()" &&
   T capture-pane -t t -p | grep -q "RUNNING  mid()" &&
   T capture-pane -t t -p | grep -q "RUNNING  t  top()"; then
	ok "three frames on the call stack"
else
	bad "three frames on the call stack"
fi
T send-keys -t t Space
check "Space runs to where the call returns" "'leaf ready'"
T send-keys -t t q; wait_exit

# ---- Going back to act keeps the Bytecode pane filled ----------------------------------------
# Acting on an earlier step replays the lesson, which makes the generators
# anew: their bytecode is fetched again, not lost, even when nothing runs
# next (predict mode asks first).
start 80 24 --no-animate "$L"
check "the lesson opens again" "A chain of two generators"
T send-keys -t t d; sleep 0.2
T send-keys -t t Space; sleep 0.3
T send-keys -t t Space; sleep 0.3
T send-keys -t t Space
check "the bytecode of o shows" "YIELD_VALUE"
T send-keys -t t p; sleep 0.2
T send-keys -t t Left; sleep 0.2
T send-keys -t t n
check "acting there went back, to ask for a prediction" "predict: what will"
if T capture-pane -t t -p | grep -qF "No bytecode for this generator"; then
	bad "the bytecode is fetched again after going back"
else
	ok "the bytecode is fetched again after going back"
fi
T send-keys -t t q

# ---- No terminal: a message pointing to --play, exit 2 ----------------------------------------
out=$("$YS" "$L" </dev/null 2>&1 >/dev/null); rc=$?
if [ $rc = 2 ] && echo "$out" | grep -q -- --play; then ok "no terminal: exit 2, points to --play"; else bad "no terminal: exit 2 ($rc: $out)"; fi
for term in dumb "" no-such-terminal; do
	fresh
	rm -f "$tmp/status" "$tmp/stty" "$tmp/err"
	T new-session -d -s t -x 80 -y 24 \
		"env TERM=$term $YS $L 2>$tmp/err; echo \$? > $tmp/status; stty -a > $tmp/stty; sleep 30"
	wait_exit
	if [ "$(cat "$tmp/status")" = 2 ] && grep -q -- --play "$tmp/err"; then
		ok "TERM=\"$term\": exit 2, points to --play"
	else
		bad "TERM=\"$term\": exit 2, points to --play ($(cat "$tmp/status"): $(cat "$tmp/err"))"
	fi
done

echo "tmux: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
