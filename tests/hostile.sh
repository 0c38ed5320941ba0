#!/bin/sh
# Hostile lessons (tests/hostile/*.md): each runs under --check, --play,
# --play --json and in the terminal UI (headless), and must give its
# message on the step that misbehaves, run every later step, and exit as a
# normal run does. Needs YS and srcdir.
#
set -u
: "${YS:?}" "${srcdir:=.}"
dir=$srcdir/tests/hostile
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
# A hung step fails the test instead of blocking make check.
LIMIT=${YS_HOSTILE_LIMIT:-300}

ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run NAME MODE...: the program on the lesson, output in $tmp/out, $tmp/err,
# exit status in $got (124 when it hung).
run() {
	name=$1
	shift
	timeout "$LIMIT" "$YS" --step-timeout=1 "$@" "$dir/$name.md" \
		>"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -ne 124 ] || bad "$name $*: still running after $LIMIT s"
	[ "$got" -lt 128 ] || bad "$name $*: killed by signal $((got - 128))"
}

has() { # FILE TEXT WHAT
	if grep -qF -- "$2" "$1"; then ok; else
		bad "$3: '$2' not in its output"; head -c 2000 "$1" | sed 's/^/    /'; fi
}

# steps NAME: the number of steps of the lesson (its python blocks and
# its >>> lines; the fixtures put neither anywhere else).
steps() {
	echo $(($(grep -c '^```python' "$dir/$1.md") + $(grep -c '^>>>' "$dir/$1.md")))
}

# hostile NAME CHECK_STATUS SUMMARY MESSAGE...: --check exits CHECK_STATUS
# with SUMMARY as its last line; --play and --play --json exit 0 and show
# every step, and --play shows every MESSAGE.
hostile() {
	name=$1 want=$2 summary=$3
	shift 3
	n=$(steps "$name")

	run "$name" --check
	if [ "$got" -eq "$want" ]; then ok; else
		bad "$name --check: exit $got, wanted $want"; cat "$tmp/err"; fi
	if [ "$(tail -n 1 "$tmp/out")" = "$summary" ]; then ok; else
		bad "$name --check: last line '$(tail -n 1 "$tmp/out" | cut -c1-100)', wanted '$summary'"; fi

	run "$name" --play
	if [ "$got" -eq 0 ]; then ok; else
		bad "$name --play: exit $got"; head -c 2000 "$tmp/err"; fi
	if grep -q "could not be completed" "$tmp/err"; then
		bad "$name --play: the engine failed: $(head -c 300 "$tmp/err")"; else ok; fi
	has "$tmp/out" "Step $n/$n " "$name --play runs its last step"
	for m in "$@"; do
		has "$tmp/out" "$m" "$name --play"
	done

	run "$name" --play --json
	if [ "$got" -eq 0 ]; then ok; else bad "$name --play --json: exit $got"; fi
	lines=$(wc -l <"$tmp/out")
	if [ "$lines" -eq "$n" ]; then ok; else
		bad "$name --play --json: $lines lines, wanted one per step ($n)"; fi

	# The terminal UI, headless: Space through every step to the end.
	i=0
	while [ "$i" -le "$n" ]; do echo "key space"; i=$((i + 1)); done >"$tmp/keys"
	echo dump >>"$tmp/keys"
	XDG_STATE_HOME=$tmp/state LC_ALL=C.UTF-8 timeout "$LIMIT" "$YS" --step-timeout=1 \
		--screen-test "$tmp/keys" "$dir/$name.md" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq 0 ]; then ok; else
		bad "$name in the terminal UI: exit $got"; head -c 2000 "$tmp/err"; fi
	has "$tmp/out" "the lesson is done" "$name in the terminal UI reaches the end"
}

timeout_msg="yieldscope.StepTimeout: the step ran for 1 s without finishing and was stopped (an endless loop?)"

hostile loop-generator 0 "4 passed, 0 failed" "$timeout_msg" \
	"note: step stopped after 1 s: it did not finish"
hostile loop-module 1 "2 passed, 1 failed" "$timeout_msg"
hostile loop-swallow 0 "2 passed, 0 failed" "$timeout_msg"
hostile recursion 0 "3 passed, 0 failed" \
	"RecursionError: maximum recursion depth exceeded"
hostile print-gigabytes 0 "2 passed, 0 failed" \
	"note: output cut after 65536 characters"
hostile stdout-rebound 0 "9 passed, 0 failed" \
	"RuntimeError: lost sys.stdout" "RuntimeError: lost sys.displayhook"
hostile sys-exit 1 "7 passed, 1 failed" "SystemExit: 3" "SystemExit: bye" \
	"SystemExit: 0"
hostile keyboard-interrupt 0 "6 passed, 0 failed" "KeyboardInterrupt: by the lesson"
hostile delete-generators 0 "8 passed, 0 failed" \
	"NameError: name 't' is not defined"
hostile repr-raises 0 "4 passed, 0 failed" "ValueError: no repr for you"
hostile repr-huge 0 "4 passed, 0 failed" "still here"
hostile monkeypatch 0 "15 passed, 0 failed" \
	"TypeError: 'NoneType' object is not callable"
hostile yields-itself 0 "5 passed, 0 failed" \
	"ValueError: generator already executing"

# The one thing that cannot be survived: os._exit ends the process from
# inside the step, with the lesson's status; every earlier step has been
# printed, nothing after it.
run os-exit --play
if [ "$got" -eq 7 ]; then ok; else bad "os-exit --play: exit $got, wanted 7"; fi
has "$tmp/out" "Step 2/4 " "os-exit --play prints the steps before"
if grep -qF "Step 4/4" "$tmp/out"; then bad "os-exit: a step after os._exit ran"; else ok; fi

# What a learner types at the send and throw prompts of the terminal UI
# (headless, as tests/screens.sh runs it): each expression gets its
# message, and the generator can be driven after it.
XDG_STATE_HOME=$tmp/state LC_ALL=C.UTF-8 timeout "$LIMIT" "$YS" --step-timeout=1 \
	--screen-test "$dir/typed.keys" "$dir/typed.md" >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" -eq 0 ]; then ok; else bad "typed: exit $got"; head -c 2000 "$tmp/err"; fi
has "$tmp/out" "✗ yieldscope.StepTimeout: the step ran for 1 s without finishing" "typed: an endless send expression"
has "$tmp/out" "✗ ZeroDivisionError: division by zero" "typed: a send expression that raises"
has "$tmp/out" "✗ ValueError: " "typed: a throw with a huge message"
has "$tmp/out" "✗ StopIteration" "typed: a send after the throw closed it"

hostile raw-writes 0 "6 passed, 0 failed" "through descriptor 1" \
	"[output cut: the step printed more than yieldscope keeps]"
hostile monkeypatch-more 0 "8 passed, 0 failed"
hostile monkeypatch-repr 0 "6 passed, 0 failed"
hostile repr-never-returns 0 "7 passed, 0 failed" \
	"yieldscope.StepTimeout: the step ran for 1 s"

# ---- Round two (issue 12) ------------------------------------------------------
# A step blocked in a system call stops at its time limit: seven steps, four
# of them stopped after 1 s, take seconds, not an hour.
start=$(date +%s)
hostile blocking 0 "9 passed, 0 failed" "$timeout_msg" \
	"note: step stopped after 1 s: it did not finish"
took=$(($(date +%s) - start))
if [ "$took" -lt 120 ]; then ok; else bad "blocking: took $took s"; fi

# A thread and an exit function that never end hold up no exit (each run
# would otherwise wait for the whole limit).
LIMIT=30 hostile exit-threads 0 "4 passed, 0 failed" "the end"
hostile close-descriptors 0 "8 passed, 0 failed" "after closing 0, 1 and 2" \
	"through descriptor 1"
hostile fork 0 "4 passed, 0 failed" "lessons run in one process"
run fork --play
if [ "$(grep -c '^── Step 4/4' "$tmp/out")" -eq 1 ]; then ok; else
	bad "fork --play: the last step shown $(grep -c '^── Step 4/4' "$tmp/out") times"; fi
hostile modules-none 0 "6 passed, 0 failed" "ZeroDivisionError: division by zero" \
	"SyntaxError: invalid syntax"
hostile trace-raises 0 "4 passed, 0 failed" "ZeroDivisionError: division by zero"
hostile signal-handlers 0 "13 passed, 0 failed" "0 1 2"
hostile monitoring-raises 0 "8 passed, 0 failed"

# Closing the engine's own descriptors: status 2 and a message, never 0.
for mode in --check --play; do
	run close-everything $mode
	if [ "$got" -eq 2 ]; then ok; else bad "close-everything $mode: exit $got, wanted 2"; fi
done

# Lesson threads and finalizers writing to descriptors 1 and 2 after the
# last step: the JSON stream stays one object a line, and no byte of
# theirs reaches stdout or stderr but as a step's output.
run thread-writes --play --json
if [ "$got" -eq 0 ]; then ok; else bad "thread-writes --play --json: exit $got"; fi
if [ "$(wc -l <"$tmp/out")" -eq "$(steps thread-writes)" ]; then ok; else
	bad "thread-writes --play --json: $(wc -l <"$tmp/out") lines"; fi
if grep -q "$(printf '\033')" "$tmp/out" "$tmp/err" || grep -q "NOISE\|FINALIZER" "$tmp/err"; then
	bad "thread-writes --play --json: the thread's bytes escaped"; head -c 300 "$tmp/err"; else ok; fi
i=0
while [ "$i" -le 12 ]; do echo "key space"; i=$((i + 1)); done >"$tmp/keys"
echo "key r" >>"$tmp/keys"; echo dump >>"$tmp/keys"
XDG_STATE_HOME=$tmp/state LC_ALL=C.UTF-8 timeout "$LIMIT" "$YS" --step-timeout=1 \
	--screen-test "$tmp/keys" "$dir/thread-writes.md" >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" -eq 0 ]; then ok; else bad "thread-writes in the terminal UI: exit $got"; fi
if grep -q "$(printf '\033')" "$tmp/out" "$tmp/err" || grep -q "NOISE\|FINALIZER" "$tmp/err"; then
	bad "thread-writes in the terminal UI: the thread's bytes escaped"
else ok; fi

# Ctrl-C (a real SIGINT) stops a step blocked in a sleep in the terminal UI,
# although the lesson installed a SIGINT handler of its own.
printf 'key space\nkey space\nkey space\nkey space\ndump\n' >"$tmp/keys"
XDG_STATE_HOME=$tmp/state LC_ALL=C.UTF-8 "$YS" --step-timeout=60 \
	--screen-test "$tmp/keys" "$dir/sigint.md" >"$tmp/out" 2>"$tmp/err" &
pid=$!
start=$(date +%s)
(sleep 40; kill -9 "$pid" 2>/dev/null) &
killer=$!
sleep 2
kill -INT "$pid"
wait "$pid"
got=$?
took=$(($(date +%s) - start))
kill "$killer" 2>/dev/null
if [ "$got" -eq 0 ]; then ok; else bad "sigint: exit $got"; fi
if [ "$took" -lt 20 ]; then ok; else bad "sigint: Ctrl-C did not stop the sleep ($took s)"; fi
has "$tmp/out" "✗ KeyboardInterrupt" "sigint: Ctrl-C stops the sleep"

# os.chdir in a lesson moves neither --lessons=sub nor a relative progress
# folder: back in the menu the lesson is listed, and its progress kept.
mkdir -p "$tmp/cwd/sub"
cp "$dir/chdir.md" "$tmp/cwd/sub/"
printf 'key enter\nkey space\nkey space\nkey space\nkey q\ndump\n' >"$tmp/keys"
# (A relative XDG_STATE_HOME is ignored, as the XDG spec says: a relative
# HOME is not.)
(cd "$tmp/cwd" && HOME=home XDG_STATE_HOME=ignored LC_ALL=C.UTF-8 timeout "$LIMIT" \
	"$YS" --lessons=sub --screen-test "$tmp/keys") >"$tmp/out" 2>"$tmp/err"
has "$tmp/out" "os.chdir in a lesson" "chdir: the menu still lists sub"
if ls "$tmp/cwd/home/.local/state/yieldscope/"* >/dev/null 2>&1; then ok; else
	bad "chdir: no progress kept in the relative HOME"; fi

# A FIFO or an endless device is no lesson and no progress file: a message
# at once, never a wait or an endless read.
mkfifo "$tmp/fifo.md"
for mode in --check --play; do
	timeout 10 "$YS" $mode "$tmp/fifo.md" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq 2 ]; then ok; else bad "FIFO lesson $mode: exit $got, wanted 2"; fi
	has "$tmp/err" "not a regular file" "FIFO lesson $mode"
done
timeout 10 "$YS" --check /dev/zero >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" -eq 2 ]; then ok; else bad "/dev/zero as a lesson: exit $got, wanted 2"; fi
mkdir -p "$tmp/fifodir"
cp "$dir/chdir.md" "$tmp/fifodir/"
mkfifo "$tmp/fifodir/a-fifo.md"
printf 'dump\n' >"$tmp/keys"
XDG_STATE_HOME=$tmp/state LC_ALL=C.UTF-8 timeout 10 "$YS" --lessons="$tmp/fifodir" \
	--screen-test "$tmp/keys" >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" -eq 0 ]; then ok; else bad "a FIFO in --lessons: exit $got"; fi
has "$tmp/out" "os.chdir in a lesson" "a FIFO in --lessons: the menu shows the others"
printf 'key space\nkey space\nkey space\nkey space\nkey space\nkey q\n' >"$tmp/keys"
XDG_STATE_HOME=$tmp/pstate LC_ALL=C.UTF-8 timeout 20 "$YS" --screen-test "$tmp/keys" \
	"$dir/chdir.md" >/dev/null 2>&1
for f in "$tmp/pstate/yieldscope/"*; do
	rm -f "$f"
	mkfifo "$f"
	printf 'key space\nkey q\n' >"$tmp/keys"
	XDG_STATE_HOME=$tmp/pstate LC_ALL=C.UTF-8 timeout 10 "$YS" --screen-test "$tmp/keys" \
		"$dir/chdir.md" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne 124 ]; then ok; else bad "a FIFO as the progress file: still running after 10 s"; fi
	rm -f "$f"
	ln -s /dev/zero "$f"
	XDG_STATE_HOME=$tmp/pstate LC_ALL=C.UTF-8 timeout 10 "$YS" --screen-test "$tmp/keys" \
		"$dir/chdir.md" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne 124 ]; then ok; else bad "/dev/zero as the progress file: still running after 10 s"; fi
done

# Escape sequences and bidi controls in the title, prose, headings, output,
# reprs, names, messages and --check's diff are shown escaped, never written
# raw: the handout, --check and stderr hold no control a terminal obeys.
hostile escapes 1 "2 passed, 1 failed" 'Escapes\x1b]0;retitled\x07 in the title\u202e' \
	'this prose (\x1b[2J, a bell \x07, an 8-bit CSI \x9b31m' 'A heading\x1b[1m' \
	'printed\x1b]0;retitled\x07\x1b[2J\x9b31m\u202e\u2069 end' 'written\x1b[2J\x9b\x07 end' \
	'repr\x1b[31m\u202d end' '<generator object qualname\x1b[5m' \
	'ValueError: message\x1b]0;retitled\x07 end'
# no_controls WHAT FILE...: none of the files holds a control the escape
# rule turns into text (a raw byte 0x80-0x9F outside UTF-8 included).
no_controls() {
	what=$1
	shift
	if python3 - "$@" <<'PY'; then ok; else bad "$what: a control reached the output"; fi
import re, sys
bad = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")
for name in sys.argv[1:]:
    text = open(name, "rb").read().decode("utf-8", "surrogateescape")
    m = bad.search(text)
    if m:
        print(f"    {name}: {m.group()!r} at {m.start()}: {text[max(0, m.start() - 40):m.end() + 40]!r}")
        sys.exit(1)
PY
}
for mode in --play --check; do
	run escapes $mode
	no_controls "escapes $mode" "$tmp/out" "$tmp/err"
done
has "$tmp/out" '-expected\x1b[2J end' "escapes --check: the diff's expected line"
has "$tmp/out" '+diff\x1b[2J end' "escapes --check: the diff's line got"
printf '\n\n\n\n\n\n' | timeout "$LIMIT" "$YS" --plain "$dir/escapes.md" >"$tmp/out" 2>"$tmp/err"
has "$tmp/out" 'Escapes\x1b]0;retitled\x07 in the title\u202e' "escapes --plain"
no_controls "escapes --plain" "$tmp/out" "$tmp/err"
printf 'key space\ndump\n' >"$tmp/keys"
XDG_STATE_HOME=$tmp/state LC_ALL=C.UTF-8 timeout "$LIMIT" "$YS" --screen-test "$tmp/keys" \
	"$dir/escapes.md" >"$tmp/out" 2>"$tmp/err"
has "$tmp/out" "Escapes?]0;retitled? in the title?" "escapes in the terminal UI"
no_controls "escapes in the terminal UI" "$tmp/out" "$tmp/err"

# An 11 MB lesson in the terminal UI: the narration is wrapped once per
# width, not at every redraw. Twenty redraws take about as long as one
# (they took 50 s when each wrapped it again); timed against one redraw,
# so a slow machine slows both. Too slow under the sanitizers to time.
if [ "${YS_SANITIZERS:-0}" != 1 ]; then
	python3 - "$tmp/big.md" <<'PY'
import sys
words = "generator yield send throw close frame value delegate".split()
line = " ".join(words[i % len(words)] for i in range(80))
with open(sys.argv[1], "w") as f:
    f.write("# Big\n\n" + (line + "\n\n") * 20000 + "```python\nx = 1\n```\n")
PY
	echo dump >"$tmp/keys1"
	i=0
	while [ "$i" -lt 20 ]; do echo "key down"; i=$((i + 1)); done >"$tmp/keys"
	echo dump >>"$tmp/keys"
	took=
	for keys in keys1 keys; do
		start=$(date +%s)
		XDG_STATE_HOME=$tmp/state LC_ALL=C.UTF-8 timeout 300 "$YS" --screen-test "$tmp/$keys" \
			"$tmp/big.md" >"$tmp/out" 2>"$tmp/err"
		got=$?
		took="$took $(($(date +%s) - start))"
		if [ "$got" -eq 0 ]; then ok; else bad "an 11 MB lesson ($keys): exit $got"; fi
		has "$tmp/out" "generator yield send" "an 11 MB lesson shows its narration"
	done
	set -- $took
	if [ "$2" -le $(($1 * 2 + 10)) ]; then ok; else
		bad "an 11 MB lesson: twenty redraws took $2 s, one $1 s"; fi
	rm -f "$tmp/big.md"
fi

# Under --enable-sanitizers, a crash inside a step: its report reaches the
# real stderr, where the tests see it.
if [ "${YS_SANITIZERS:-0}" = 1 ]; then
	timeout "$LIMIT" "$YS" --play "$dir/crash-in-c.md" >"$tmp/out" 2>"$tmp/err"
	has "$tmp/err" "AddressSanitizer: SEGV" "crash-in-c: the sanitizer's report"
fi

echo "hostile lessons: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
