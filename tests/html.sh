#!/bin/sh
# --play --html (issue 18): one self-contained page: a section per step,
# no script and nothing fetched from the network, the paused lines marked
# in words, and inline SVG drawings that parse as XML, with state badges
# that name the state. (The page as a browser shows and prints it:
# scripts/check-html, run by make check-browser.)
. "$(dirname "$0")/lib.sh"
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2'"; fi; }
lesson=$srcdir/lessons/10-grouping-with-yield-from.md
py=$(sed -n 's/^PYTHON3 = //p' "$(dirname "$YS")/../Makefile")

if "$YS" --play --html "$lesson" >"$tmp/l.html" 2>"$tmp/err"; then ok; else
	bad "--play --html exits 0"; cat "$tmp/err"; fi
steps=$("$YS" --play --json "$lesson" | wc -l)
n=$(grep -c '<section class="step"' "$tmp/l.html")
if [ "$n" -eq "$steps" ]; then ok; else bad "$n step sections for $steps steps"; fi
if grep -qi '<script\|<link\|src="http\|href="http\|@import\|url(http' "$tmp/l.html"; then
	bad "the page fetches or runs something"; else ok; fi
has "$tmp/l.html" "<style>" "the style sheet is inline"
has "$tmp/l.html" "@media print" "a print style sheet"
has "$tmp/l.html" "paused here: " "paused lines are marked in words"
has "$tmp/l.html" ">GEN_SUSPENDED</text>" "a card's badge names its state"
has "$tmp/l.html" ">yield from</text>" "the delegation chain is drawn"
has "$tmp/l.html" "resume by send" "the timeline names how a frame was resumed"
# Every drawing is well-formed SVG; the page has the lesson's title.
"$py" - "$tmp/l.html" "$lesson" >"$tmp/py" 2>&1 <<'PY'
import re, sys, xml.dom.minidom
page = open(sys.argv[1], encoding="utf-8").read()
svgs = re.findall(r"<svg.*?</svg>", page, re.S)
assert svgs, "no SVG"
for s in svgs:
    xml.dom.minidom.parseString(s)
title = open(sys.argv[2], encoding="utf-8").read().split("\n", 1)[0].lstrip("# ")
assert "<title>%s</title>" % title.replace("&", "&amp;") in page, "title"
print(len(svgs), "drawings")
PY
if [ $? -eq 0 ]; then ok; else bad "the drawings or the title"; cat "$tmp/py"; fi
# Text from the lesson is escaped, never markup.
printf '# A <b>bold</b> & title\n\nSay <i>this</i>.\n\n```pycon\n>>> "<x>"\n'"'"'<x>'"'"'\n```\n' >"$tmp/esc.md"
"$YS" --play --html "$tmp/esc.md" >"$tmp/esc.html" 2>&1
has "$tmp/esc.html" "<title>A bold &amp; title</title>" "the title escaped"
has "$tmp/esc.html" "Say &lt;i&gt;this&lt;/i&gt;." "narration escaped"
has "$tmp/esc.html" "&gt;&gt;&gt; &quot;&lt;x&gt;&quot;" "the statement escaped"
if grep -q '<b>bold\|<x>' "$tmp/esc.html"; then bad "lesson text as markup"; else ok; fi
"$YS" --html "$lesson" >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else bad "--html without --play is refused"; fi

# A program's asyncio.run() step (issue 16): its callbacks, each with the
# loop's clock, the task it resumes and what it printed, then the tasks as
# the step leaves them.
"$YS" --play --html "$srcdir/tests/asyncio/run-callbacks.py" >"$tmp/run.html" 2>&1
has "$tmp/run.html" "callback by callback (19, on its virtual clock)" "the callbacks are listed"
has "$tmp/run.html" "<td>2</td><td>0.000 s</td><td><code>Task.__step</code></td><td>Task-2</td><td><pre>a 0" \
	"the second callback runs Task-2, which prints a 0"
has "$tmp/run.html" "<td>10.000 s</td><td><code>Task.__wakeup</code></td><td>Task-4</td><td><pre>slept" \
	"at 10 s Task-4 wakes and prints slept"
has "$tmp/run.html" "Tasks at the step's end (virtual clock 10.000 s, the loop closed)" \
	"the tasks at the step's end"
has "$tmp/run.html" "<td>Task-4</td><td>done</td><td></td><td>result 'late'</td>" \
	"a task's result"
# What the statement prints after the loop is in a row of its own, not
# the last callback's.
cat >"$tmp/after.py" <<'EOF'
import asyncio

async def main():
    await asyncio.sleep(0)
    print("inside")

asyncio.run(main())
print("after the run")
EOF
"$YS" --play --html "$tmp/after.py" >"$tmp/after.html" 2>&1
has "$tmp/after.html" "<td>Task-1</td><td><pre>inside" "the callback that printed inside"
has "$tmp/after.html" "the statement, not a callback of the loop</td><td><pre>after the run" \
	"the print after the loop, the statement's"

echo "html: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
