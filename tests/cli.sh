#!/bin/sh
# The command line as a user meets it: --check, --play, --play --json,
# bad lessons, and GNU-style options. Needs YS (the program) and srcdir.
set -u
: "${YS:?}" "${srcdir:=.}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0

ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect STATUS WHAT -- COMMAND...: the command exits with STATUS.
expect() {
	want=$1 what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "$what: exit $got, wanted $want"; cat "$tmp/out" "$tmp/err"; fi
}

contains() { # FILE TEXT WHAT
	if grep -qF -- "$2" "$1"; then ok; else
		bad "$3: '$2' not in output"; sed 's/^/    /' "$1" | head -40; fi
}

lesson=$srcdir/lessons/02-four-keys.md

# ---- --check ----------------------------------------------------------------
expect 0 "check a good lesson" -- "$YS" --check "$lesson"
contains "$tmp/out" " passed, 0 failed" "check summary"

# One expected line changed: a diff headed at that line, exit 1.
line=$(grep -n '^>>> d.send(21)$' "$lesson" | cut -d: -f1)
line=$((line + 1))
sed "${line}s/^42\$/43/" "$lesson" >"$tmp/changed.md"
expect 1 "check a changed lesson" -- "$YS" --check "$tmp/changed.md"
contains "$tmp/out" "--- $tmp/changed.md:$line (expected)" "diff header names file:line"
contains "$tmp/out" "+++ $tmp/changed.md:$line (got)" "diff header for what we got"
contains "$tmp/out" "-43" "diff shows the expected line"
contains "$tmp/out" "+42" "diff shows the real line"
contains "$tmp/out" ", 1 failed" "summary counts the failure"

# A code block that raises fails the check too.
printf '# Broken\n\n```python\n1 / 0\n```\n' >"$tmp/raises.md"
expect 1 "a raising code step fails" -- "$YS" --check "$tmp/raises.md"
contains "$tmp/out" "ZeroDivisionError: division by zero" "its exception"

# ---- bad lessons: file:line and exit 2 ----------------------------------------
expect 2 "missing lesson" -- "$YS" --check "$tmp/nosuch.md"
contains "$tmp/err" "$tmp/nosuch.md: cannot open: No such file or directory" "missing file"
for case in bad-unterminated bad-prompt-in-prose bad-prompt-in-python bad-no-steps empty; do
	expect 2 "$case" -- "$YS" --play "$srcdir/tests/lessons/$case.md"
	contains "$tmp/err" "$srcdir/tests/lessons/$case.md:" "$case names its file"
done
printf '# Bad bytes\n\n\377\376\n\n```python\nx = 1\n```\n' >"$tmp/utf8.md"
expect 2 "invalid UTF-8" -- "$YS" --check "$tmp/utf8.md"
contains "$tmp/err" "$tmp/utf8.md:3: invalid UTF-8" "invalid UTF-8 at its line"

# ---- --play ---------------------------------------------------------------------
expect 0 "play" -- "$YS" --play "$srcdir/tests/lessons/chain.md"
contains "$tmp/out" "Step 3/5" "handout numbers steps"
contains "$tmp/out" "t.gi_yieldfrom.gi_yieldfrom  generator leaf()  GEN_SUSPENDED" "handout shows the leaf"
contains "$tmp/out" "line 7 · f_lasti" "handout shows where the leaf waits"
contains "$tmp/out" "delegates to: t.gi_yieldfrom" "handout shows delegation"

# A transcript that cannot be written is not passed off as done.
if [ -w /dev/full ]; then
	expect 2 "play to a full disk" -- sh -c '"$0" --play "$1" >/dev/full' \
		"$YS" "$srcdir/tests/lessons/chain.md"
	contains "$tmp/err" "the transcript was cut short: it cannot be written" "a full disk is reported"
fi

# Output that cannot be written is an error for every mode (issue 12).
if [ -w /dev/full ]; then
	expect 2 "check to a full disk" -- sh -c '"$0" --check "$1" >/dev/full' "$YS" "$lesson"
	contains "$tmp/err" "yieldscope: cannot write the output" "check: a full disk is reported"
	expect 2 "version to a full disk" -- sh -c '"$0" --version >/dev/full' "$YS"
	contains "$tmp/err" "yieldscope: cannot write the output" "version: a full disk is reported"
fi
expect 2 "check with stdout closed" -- sh -c '"$0" --check "$1" >&-' "$YS" "$lesson"
contains "$tmp/err" "yieldscope: cannot write the output" "check: a closed stdout is reported"
expect 2 "version with stdout closed" -- sh -c '"$0" --version >&-' "$YS"
# The terminal UI on a bad lesson exits 2, as the man page says.
printf 'q\n' >"$tmp/q.keys"
expect 2 "terminal UI on a bad lesson" -- "$YS" --screen-test="$tmp/q.keys" \
	"$srcdir/tests/lessons/bad-no-steps.md"
contains "$tmp/err" "bad-no-steps.md" "terminal UI names the bad lesson"

# A fenced block inside a block quote or a list item keeps its lines, under
# the quote's mark or the item's text, in the handout and the terminal UI.
fence=$srcdir/tests/lessons/fence-in-container.md
expect 0 "play fences in containers" -- env LC_ALL=C.UTF-8 "$YS" --play "$fence"
contains "$tmp/out" "  >     line one" "handout: a quoted fence's first line"
contains "$tmp/out" "  >     line two" "handout: a quoted fence's second line"
contains "$tmp/out" "        alpha" "handout: an item's fence under its text"
if grep -q '```' "$tmp/out"; then bad "handout: a fence's markers shown"; else ok; fi
printf 'dump\n' >"$tmp/fence.keys"
expect 0 "fences in containers in the terminal UI" -- env LC_ALL=C.UTF-8 \
	"$YS" --size=80x40 --screen-test "$tmp/fence.keys" "$fence"
contains "$tmp/out" "│ │   line one " "terminal UI: a quoted fence's line under the bar"
contains "$tmp/out" "│ │   line two " "terminal UI: each line of it"
contains "$tmp/out" "│       alpha " "terminal UI: an item's fence under its text"
contains "$tmp/out" "│       beta " "terminal UI: each line of that"

# A --screen-test dump shows a wide character once: every row of the
# screen is as wide as the screen.
expect 0 "wide characters in a dump" -- env LC_ALL=C.UTF-8 \
	"$YS" --screen-test "$tmp/fence.keys" "$srcdir/tests/lessons/wide.md"
contains "$tmp/out" "│ 日本語のテキスト abc 漢字 " "a dump: wide characters once"
if python3 - "$tmp/out" <<'PY'; then ok; else bad "a dump's rows are not 80 columns"; fi
import sys, unicodedata
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")[1:25]
widths = [sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in r) for r in rows]
# Rows end at their last non-blank; a row that ends in a border, at column 80.
bad = [(i, w) for i, w in enumerate(widths) if w > 80 or (rows[i][-1:] in "│┐┘" and w != 80)]
print(bad[:5]) if bad else None
sys.exit(1 if bad else 0)
PY

# A click on row 575 of a 590-row Heap pane (a 1000-line screen), past
# the 512 line tags a pane keeps. (The read past them stayed inside the
# app's memory: no build here saw it; this runs the path.)
printf 'key space\nclick 70 590\ndump\n' >"$tmp/tall.keys"
expect 0 "a click far down a tall pane" -- env LC_ALL=C.UTF-8 \
	"$YS" --size=120x1000 --screen-test "$tmp/tall.keys" "$srcdir/tests/lessons/chain.md"
contains "$tmp/out" "┌ Heap " "a tall screen is dumped"

# A 2,000-character label leaves the send prompt room for what is typed:
# the label's end, ".send(", the text and the cursor stay in view.
python3 - "$tmp/label.md" <<'PY'
import sys
name = "g" + "x" * 1999
open(sys.argv[1], "w").write(
    "# Long label\n\n```python\ndef gen():\n    while True:\n"
    "        got = yield 'ready'\n\n%s = gen()\nnext(%s)\n```\n" % (name, name))
PY
printf 'key space\nkey tab tab\nkey s\ntype 12345\ndump\ntype %s\ndump\n' \
	"$(printf 'y%.0s' $(seq 90))END" >"$tmp/label.keys"
expect 0 "a send prompt for a long label" -- env LC_ALL=C.UTF-8 \
	"$YS" --screen-test "$tmp/label.keys" "$tmp/label.md"
contains "$tmp/out" "xxxx.send(12345 )" "a long label: what is typed is in view"
contains "$tmp/out" "yyyyEND )" "a long label: the end of a long text is in view"

# ---- --play --json ----------------------------------------------------------------
expect 0 "play json" -- "$YS" --play --json "$srcdir/tests/lessons/chain.md"
if python3 - "$tmp/out" <<'PY'; then ok; else bad "JSON transcript"; fi
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
assert [s["step"] for s in steps] == [1, 2, 3, 4, 5], steps
assert [s["kind"] for s in steps] == ["code"] + ["statement"] * 4
def gens(s): return {g["label"]: g for g in s["generators"]}
created = gens(steps[1])["t"]
assert created["state"] == "GEN_CREATED" and created["line"] == 14, created
run = gens(steps[2])
assert steps[2]["value"] == "'leaf ready'" and steps[2]["match"] is True
assert set(run) == {"t", "t.gi_yieldfrom", "t.gi_yieldfrom.gi_yieldfrom"}, run
assert run["t"]["delegate"] == "t.gi_yieldfrom"
assert run["t.gi_yieldfrom"]["delegate"] == "t.gi_yieldfrom.gi_yieldfrom"
assert run["t.gi_yieldfrom.gi_yieldfrom"]["state"] == "GEN_SUSPENDED"
assert run["t.gi_yieldfrom.gi_yieldfrom"]["line"] == 7
ev = [(e["label"], e["event"], e["value"], e["depth"]) for e in steps[3]["events"]]
assert ev == [
    ("t", "resume", "4", 0),
    ("t.gi_yieldfrom", "resume", "4", 1),
    ("t.gi_yieldfrom.gi_yieldfrom", "resume", "4", 2),
    ("t.gi_yieldfrom.gi_yieldfrom", "return", "40", 2),
    ("t.gi_yieldfrom", "yield", "'mid has 40'", 1),
    ("t", "yield", "'mid has 40'", 0),
], ev
assert all(e["how"] == "send" for e in steps[3]["events"] if e["event"] == "resume")
assert gens(steps[3])["t.gi_yieldfrom"]["locals"]["result"] == "40"
# Each hop carries its frame's locals then: a resume before it runs, a
# leave as it leaves (leaf returns with got bound, mid yields with result).
loc = [(e["function"], e["event"], e.get("locals")) for e in steps[3]["events"]]
assert loc == [
    ("top", "resume", {}), ("mid", "resume", {}), ("leaf", "resume", {}),
    ("leaf", "return", {"got": "4"}), ("mid", "yield", {"result": "40"}),
    ("top", "yield", {}),
], loc
closed = gens(steps[4])["t"]
assert closed["state"] == "GEN_CLOSED" and closed["line"] is None, closed
assert steps[4]["exception"] is None and steps[4]["output"] == ""
PY

# Past a step's first hops, an event has no locals key at all: never {},
# which would say the frame had none (count's hops all have n, then i).
printf 'def count(n):\n    for i in range(n):\n        yield i\n\nc = count(500)\n' >"$tmp/count.py"
expect 0 "play json, 1,000 hops" -- "$YS" --play --json --do 'sum(c)' "$tmp/count.py"
if python3 - "$tmp/out" <<'PY'; then ok; else bad "hop locals only on the first hops"; fi
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])][1]["events"]
carried = [e for e in events if "locals" in e]
assert 1 <= len(carried) <= 64 and carried == events[:len(carried)], len(carried)
assert all(e["locals"].get("n") == "500" for e in carried), carried
assert [e["locals"].get("i") for e in carried if e["event"] == "yield"] == \
    [e["value"] for e in carried if e["event"] == "yield"], carried
PY

# A callback pause knows the hops made before it: each task's step is
# the hops of its coroutine, one resume and one leave, and the other
# callbacks make none (the Channel and the Timeline at a pause show them).
cat >"$tmp/aio.py" <<'EOF'
import asyncio

async def worker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
    return name

async def main():
    return await asyncio.gather(worker("a", 2), worker("b", 2))
EOF
expect 0 "play json, callback pauses" -- "$YS" --play --json --do 'asyncio.run(main())' "$tmp/aio.py"
if python3 - "$tmp/out" <<'PY'; then ok; else bad "hops made before each callback"; fi
import json, sys
step = [json.loads(line) for line in open(sys.argv[1])][1]
events, calls = step["events"], step["asyncio"]["callbacks"]
ends = [c["hops"] for c in calls[1:]] + [len(events)]
runs = {"Task-1": "main", "Task-2": "worker", "Task-3": "worker"}
for c, end in zip(calls, ends):
    made = [(e["function"], e["event"]) for e in events[c["hops"]:end]]
    if c["callback"] in ("Task.__step", "Task.__wakeup") and c["task"] in runs:
        f = runs[c["task"]]
        assert made[0] == (f, "resume") and made[-1][0] == f and len(made) == 2, (c, made)
        assert made[-1][1] in ("yield", "return"), (c, made)
    else:
        assert made == [], (c, made)
assert calls[0]["hops"] == 0 and sum(1 for c in calls if c["hops"] > 0) >= 6, calls
PY

# ---- python directives: one variant per CPython version -------------------------------
expect 0 "version variants" -- "$YS" --check "$srcdir/tests/lessons/versions.md"
contains "$tmp/out" "2 passed, 0 failed" "exactly one variant ran"
expect 0 "version variants play" -- "$YS" --play "$srcdir/tests/lessons/versions.md"
contains "$tmp/out" "Step 3/3" "the other variants are dropped"
printf '# V\n\n<!-- yieldscope: python 3.x -->\n\n```python\nx = 1\n```\n' >"$tmp/badver.md"
expect 2 "bad python directive" -- "$YS" --check "$tmp/badver.md"
contains "$tmp/err" "$tmp/badver.md:3: bad python directive" "bad directive at its line"

# ---- exercises: the reference solution passes, the starting code fails ------------------
ex=$srcdir/tests/lessons/exercise.md
expect 0 "exercise checked" -- "$YS" --check "$ex"
# One statement step, the solution's five checks, and "the starting code fails".
contains "$tmp/out" "7 passed, 0 failed" "every check of the solution counted"
sed 's/x > biggest:/x < biggest:/' "$ex" >"$tmp/badsol.md"
expect 1 "a wrong solution fails --check" -- "$YS" --check "$tmp/badsol.md"
contains "$tmp/out" "badsol.md:28: exercise 'running_max': the solution fails this check" "names the check"
contains "$tmp/out" "+++ $tmp/badsol.md:29 (got)" "a diff of the check"
python3 - "$ex" "$tmp/startpasses.md" <<'PY'
import sys
s = open(sys.argv[1]).read()
parts = s.split("```python\n")  # the def, the starting code, the solution
start, sol = parts[2].split("```")[0], parts[3].split("```")[0]
open(sys.argv[2], "w").write(s.replace(start, sol, 1))
PY
expect 1 "starting code that passes fails --check" -- "$YS" --check "$tmp/startpasses.md"
contains "$tmp/out" "exercise 'running_max': its starting code already passes every check" "the teacher is told"
printf '# E\n\n```python\nx = 1\n```\n\n<!-- yieldscope: exercise e -->\n' >"$tmp/openex.md"
expect 2 "an unfinished exercise is refused" -- "$YS" --check "$tmp/openex.md"
contains "$tmp/err" "openex.md:7: exercise 'e' is not finished" "at the directive's line"

# ---- your own Python file: FILE.py and --do ------------------------------------------
py=$srcdir/tests/py/chain3.py
expect 0 "play a .py" -- "$YS" --play "$py"
contains "$tmp/out" "chain3.py" "title is the file name"
contains "$tmp/out" "made top" "the __main__ block ran"
contains "$tmp/out" "t  generator top()  GEN_CREATED" "its generator is shown"
expect 0 "play a .py with --do" -- "$YS" --play --json --do 'next(t)' \
	--do 't.send(4)' --do 'r = t.gi_yieldfrom' --do 'print(r.gi_frame.f_locals)' \
	--do 'v = next(t)' --do 'v' "$py"
if python3 - "$tmp/out" <<'PY'; then ok; else bad "JSON of a .py with --do"; fi
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
assert [s["kind"] for s in steps] == ["code"] + ["statement"] * 6, steps
assert steps[0]["output"] == "made top\n", steps[0]
assert steps[0]["exception"] is None
assert steps[1]["source"] == "next(t)" and steps[1]["value"] == "'leaf ready'"
def gens(s): return {g["label"]: g for g in s["generators"]}
run = gens(steps[1])
assert set(run) == {"t", "t.gi_yieldfrom", "t.gi_yieldfrom.gi_yieldfrom"}, run
assert run["t.gi_yieldfrom.gi_yieldfrom"]["function"].startswith("leaf"), run
assert run["t.gi_yieldfrom.gi_yieldfrom"]["line"] == 5
ev = [(e["label"], e["event"], e["value"]) for e in steps[2]["events"]]
assert ev == [
    ("t", "resume", "4"),
    ("t.gi_yieldfrom", "resume", "4"),
    ("t.gi_yieldfrom.gi_yieldfrom", "resume", "4"),
    ("t.gi_yieldfrom.gi_yieldfrom", "return", "40"),
    ("t.gi_yieldfrom", "yield", "'mid has 40'"),
    ("t", "yield", "'mid has 40'"),
], ev
assert all(s["match"] is None for s in steps[1:]), [s["match"] for s in steps]
assert steps[4]["output"] == "{'result': 40}\n", steps[4]
assert [(e["label"], e["event"]) for e in steps[5]["events"]] == [("t", "resume"), ("r", "resume"), ("r", "return"), ("t", "yield")]
assert steps[6]["value"] == "'top has mid done'", steps[6]
PY
# Driven from the keyboard only: run it, prime, select the leaf, send, type.
cat >"$tmp/py.keys" <<'KEYS'
animate off
key space n tab tab
dump
key s C-u
type 5
key enter
dump
key :
type u = top()
key enter
key left right
dump
KEYS
expect 0 "a .py in the terminal UI" -- env LC_ALL=C.UTF-8 "$YS" --screen-test "$tmp/py.keys" "$py"
contains "$tmp/out" "Free play" "the lesson pane says free play"
contains "$tmp/out" "leaf() line 5" "the leaf's card"
contains "$tmp/out" ">>> t.gi_yieldfrom.gi_yield" "s sent into the selected leaf"
contains "$tmp/out" "StopIteration: 50" "the leaf returned 50"
contains "$tmp/out" ">>> u = top()" "a statement typed after :"
# A syntax error is the code step's exception, at its line.
printf 'def g():\n    yield 1\n\nx = = 2\n' >"$tmp/bad.py"
expect 0 "a .py with a syntax error" -- "$YS" --play "$tmp/bad.py"
contains "$tmp/out" "File \"$tmp/bad.py\", line 4" "the error's line"
contains "$tmp/out" "SyntaxError: invalid syntax" "the error"
printf 'x = 1\n\377\n' >"$tmp/bytes.py"
expect 2 "a .py with bad bytes" -- "$YS" --play "$tmp/bytes.py"
contains "$tmp/err" "$tmp/bytes.py:2: invalid UTF-8" "bad bytes at their line"
# A PEP 263 coding cookie decodes the file as python3 decodes it: on the
# first line, on the second after a comment, and (ignored) after code.
printf '# -*- coding: latin-1 -*-\nprint("caf\351", len("\351"))\n' >"$tmp/latin1.py"
printf '#!/usr/bin/env python3\n# vim: set fileencoding=cp1252 :\nprint("\200 caf\351")\n' >"$tmp/cp1252.py"
printf '# coding: latin-1\nprint("caf\303\251")\n' >"$tmp/mojibake.py"
for f in latin1 cp1252 mojibake; do
	py_says=$(python3 "$tmp/$f.py")
	expect 0 "a .py with a coding cookie ($f)" -- env LC_ALL=C.UTF-8 "$YS" --play "$tmp/$f.py"
	contains "$tmp/out" "  $py_says" "$f.py prints what python3 prints"
done
# The code is shown as the file has it, its cookie too (not made utf-8).
"$YS" --play "$tmp/latin1.py" >"$tmp/out" 2>&1
contains "$tmp/out" "1 │ # -*- coding: latin-1 -*-" "the cookie line as the file has it"
printf 'x = 1\n# coding: latin-1\nprint("\351")\n' >"$tmp/late.py"
expect 2 "a cookie after code is no cookie" -- "$YS" --play "$tmp/late.py"
contains "$tmp/err" "$tmp/late.py:3: invalid UTF-8" "a late cookie: bad bytes at their line"
printf '# coding: no-such-codec\nx = 1\n' >"$tmp/nocodec.py"
expect 2 "a cookie naming no codec" -- "$YS" --play "$tmp/nocodec.py"
contains "$tmp/err" "$tmp/nocodec.py:1: unknown encoding: no-such-codec" "an unknown codec"
expect 2 "--do without --play" -- "$YS" --do 'next(t)' "$py"

# ---- a heap of 100,000: bounded cards, a summary of them all -----------------------
expect 0 "play json, 100,000 generators" -- "$YS" --play --json --max-cards 5 "$srcdir/examples/round-robin-100k.md"
if python3 - "$tmp/out" <<'PY'; then ok; else bad "JSON of a big heap"; fi
import json, sys
last = [json.loads(line) for line in open(sys.argv[1])][-1]
assert len(last["generators"]) == 5, len(last["generators"])
s = last["summary"]
assert s["total"] == 100000 and s["shown"] == 5, s
assert s["states"]["suspended"] == 100000 and s["functions"] == {"task": 100000}, s
# A global name is the shortest label: `t` (the task popped last) comes
# before the deque's items, whatever order the names were bound in.
assert [g["label"] for g in last["generators"][:2]] == ["t", "ready[0]"], last["generators"]
# Cards and hops are bounded: no line grows with the heap.
assert max(len(line) for line in open(sys.argv[1])) < 300000
PY
expect 2 "bad --max-cards" -- "$YS" --max-cards=0 --play "$lesson"

# ---- --reset-progress: our files go, anything else stays --------------------------
mkdir -p "$tmp/state/yieldscope"
echo '{}' >"$tmp/state/yieldscope/0123456789abcdef.json"
echo 'mine' >"$tmp/state/yieldscope/notes.txt"
expect 0 "--reset-progress" -- env XDG_STATE_HOME="$tmp/state" "$YS" --reset-progress
if [ ! -e "$tmp/state/yieldscope/0123456789abcdef.json" ] &&
   [ -e "$tmp/state/yieldscope/notes.txt" ]; then ok; else bad "--reset-progress removed the wrong files"; fi

# ---- options --------------------------------------------------------------------------
expect 0 "--help" -- "$YS" --help
contains "$tmp/out" "Usage: yieldscope" "help text"
contains "$tmp/out" "--do=STATEMENT" "help lists --do"
contains "$tmp/out" "YIELDSCOPE_LESSONS" "help lists the environment"
expect 0 "--version" -- "$YS" --version
contains "$tmp/out" "yieldscope " "version line"
contains "$tmp/out" "Copyright (C) 2026 the yieldscope authors" "copyright line"
contains "$tmp/out" "License MIT" "license line"
contains "$tmp/out" "NO WARRANTY" "no-warranty line"
contains "$tmp/out" "Embeds CPython 3." "the embedded CPython"
# The manual page documents every option of --help, and every key of the
# help screen's first column.
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$srcdir/doc/yieldscope.1" >"$tmp/man"
"$YS" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/opts"
while read -r opt; do contains "$tmp/man" "$opt" "man page documents $opt"; done <"$tmp/opts"
for var in YIELDSCOPE_LESSONS NO_COLOR XDG_STATE_HOME TERM "python 3.12+" predict; do
	contains "$tmp/man" "$var" "man page documents $var"
done
if command -v groff >/dev/null 2>&1; then
	if groff -man -Tutf8 -ww -z "$srcdir/doc/yieldscope.1" 2>"$tmp/groff" && [ ! -s "$tmp/groff" ]; then
		ok; else bad "man page: groff warnings"; cat "$tmp/groff"; fi
fi
expect 2 "unknown option" -- "$YS" --frobnicate
expect 2 "--json without --play" -- "$YS" --json "$lesson"
expect 2 "bad --step-timeout" -- "$YS" --step-timeout=abc --play "$lesson"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
