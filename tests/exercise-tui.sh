#!/bin/sh
# An exercise solved in the real program in a real terminal (tmux), as
# tests/tmux.sh does it: EDITOR is a script that writes the learner's code,
# first a wrong one (the failing check shows expected and got, the panes
# the learner's generator), then a right one (solved, kept in progress),
# and the terminal is restored after the editor and at the end.
set -u
: "${YS:?YS must name the yieldscope program}"
: "${srcdir:=.}"
if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL: tmux is not installed; the end-to-end tests need it" >&2
	exit 1
fi
cd "$srcdir" || exit 99
L=tests/lessons/exercise.md
sock="ys-ex-$$"
tmp=$(mktemp -d) || exit 99
T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1"; fail=$((fail + 1)); echo "--- screen:"; T capture-pane -t t -p 2>/dev/null; }
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		T capture-pane -t t -p 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
check() { if wait_for "$2"; then ok "$1"; else bad "$1 (no \"$2\")"; fi; }

# The "editor": it writes $tmp/answer.py over the file it is given, and
# records that it was given a .py file holding the code to edit.
cat >"$tmp/editor" <<SH
#!/bin/sh
cp "\$1" "$tmp/seen.py"
cat "$tmp/answer.py" >"\$1"
SH
chmod +x "$tmp/editor"
cat >"$tmp/answer.py" <<'PY'
def running_max():
    biggest = None
    while True:
        biggest = yield biggest
PY

for size in "80 24" "100 30"; do
	set -- $size
	# A new server on a socket of its own, as tests/tmux.sh does: one
	# started on the socket of a server still shutting down can die.
	T kill-server 2>/dev/null
	sock="ys-ex-$$-$1"
	rm -rf "$tmp/state" "$tmp/stty"
	T new-session -d -s t -x "$1" -y "$2" \
		"env LC_ALL=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state VISUAL= EDITOR=$tmp/editor $YS --no-animate $L; stty -a > $tmp/stty; sleep 30"
	check "$1x$2: the lesson opens" "Space step"
	T send-keys -t t e
	check "$1x$2: before its step the exercise is not offered yet" "The exercise comes later"
	T send-keys -t t Space
	check "$1x$2: after it, e is offered" "e exercise"
	T send-keys -t t e
	check "$1x$2: e opens the task" "Write running_max()"
	T send-keys -t t h
	check "$1x$2: h gives the first hint" "Keep the largest value in a local variable."
	T send-keys -t t e
	check "$1x$2: a wrong answer fails a check" "4 of 5 checks pass"
	check "$1x$2: the failing check is named" "✗ >>> m.send(1)"
	check "$1x$2: with what was expected" "expected  3"
	check "$1x$2: and what came back" "got       1"
	if grep -q "yield None" "$tmp/seen.py"; then ok "$1x$2: the editor got the starting code"; else bad "$1x$2: the editor got the starting code"; fi
	T send-keys -t t Escape
	check "$1x$2: the learner's generator is in the Heap" "running_max() line"
	check "$1x$2: the checks ran in the Console" ">>> m.send(7)"
	sed 's/        biggest = yield biggest/        x = yield biggest\n        if biggest is None or x > biggest:\n            biggest = x/' \
		"$tmp/answer.py" >"$tmp/a2" && mv "$tmp/a2" "$tmp/answer.py"
	T send-keys -t t e
	T send-keys -t t e
	check "$1x$2: the right answer solves it" "Solved: all 5 checks pass."
	if grep -q "biggest = yield biggest" "$tmp/seen.py"; then ok "$1x$2: the editor got the learner's last code"; else bad "$1x$2: the editor got the learner's last code"; fi
	if grep -q '"running_max"' "$tmp/state"/yieldscope/*; then ok "$1x$2: progress records it solved"; else bad "$1x$2: progress records it solved"; fi
	T send-keys -t t Escape
	T send-keys -t t q
	i=0
	while [ ! -s "$tmp/stty" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if grep -q ' icanon' "$tmp/stty" && grep -q ' echo ' "$tmp/stty"; then ok "$1x$2: the terminal is restored"; else bad "$1x$2: the terminal is restored"; fi
	# Put the wrong answer back for the next size.
	cat >"$tmp/answer.py" <<'PY'
def running_max():
    biggest = None
    while True:
        biggest = yield biggest
PY
done

echo "exercise-tui: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
