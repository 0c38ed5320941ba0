#!/bin/sh
# --import (issue 18): Jupyter notebooks in tests/notebooks become lessons
# that load and play; --check then says what differs on this CPython; a
# broken notebook is refused, naming the cell.
. "$(dirname "$0")/lib.sh"
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2'"; sed 's/^/    /' "$1" | head -80; fi; }
hasnt() { if grep -qF -- "$2" "$1"; then bad "$3: '$2' is there"; else ok; fi; }
nb=$srcdir/tests/notebooks

if "$YS" --import "$nb/countdown.ipynb" --output "$tmp/c.md" 2>"$tmp/err"; then ok; else
	bad "--import exits 0"; cat "$tmp/err"; fi
L=$tmp/c.md
has "$L" "# Counting down with a generator" "a Markdown cell is narration"
has "$L" "The third \`next\` runs off the end" "narration between steps"
has "$L" '`%load_ext autoreload`: IPython'"'"'s magic' "a magic line is left out, and said"
has "$L" "Cell 8 is an IPython cell magic (%%timeit)" "a cell magic is left out, and said"
has "$L" "Cell 9 displayed a picture" "a display output is left out, and said"
hasnt "$L" "raw text, not for the lesson" "a raw cell"
hasnt "$L" "<Figure size" "display output as expected output"
if LC_ALL=C grep -q "$(printf '\033')" "$L"; then bad "ANSI colour of a traceback in the lesson"; else ok; fi
# Recorded outputs are the expected output of the cell's last statement.
has "$L" ">>> next(g)
2" "an execute_result is expected output"
has "$L" "liftoff
Traceback (most recent call last):
StopIteration" "stream then error"
# The cell's earlier statements are code, the last the statement.
has "$L" "total = sum(x)
\`\`\`" "a multi-line statement stays whole"
has "$L" 'second line, at column 0"""
```' "a string's line at column 0 is no statement"
has "$L" "...     print(v)" "a compound statement at the prompt"

# It plays: every step but the one whose recorded wording is old.
"$YS" --check "$L" >"$tmp/check" 2>&1
if [ $? -eq 1 ]; then ok; else bad "--check of the imported lesson exits 1"; fi
has "$tmp/check" "7 passed, 1 failed" "--check's count"
has "$tmp/check" "-TypeError: can't send non-None value to a just-started generator (old wording)" \
	"--check shows the notebook's line"
has "$tmp/check" "+TypeError: can't send non-None value to a just-started generator" \
	"--check shows today's line"
if "$YS" --play "$L" >/dev/null 2>&1; then ok; else bad "--play of the imported lesson"; fi
# To stdout, the same.
"$YS" --import "$nb/countdown.ipynb" >"$tmp/stdout.md" 2>&1
if cmp -s "$tmp/stdout.md" "$L"; then ok; else bad "--import to stdout differs from --output"; fi

# Broken notebooks: exit 2, the cell named, no lesson left behind.
refused() { # NOTEBOOK MESSAGE
	"$YS" --import "$nb/$1" --output "$tmp/out.md" >/dev/null 2>"$tmp/err"
	st=$?
	if [ $st -eq 2 ] && grep -qF -- "$2" "$tmp/err"; then ok; else
		bad "$1: exit $st"; cat "$tmp/err"; fi
	if [ -e "$tmp/out.md" ]; then bad "$1: a lesson was left"; rm -f "$tmp/out.md"; else ok; fi
}
refused bad-prose.ipynb "bad-prose.ipynb: cell 1: '>>>' outside a pycon block"
refused bad-source.ipynb "bad-source.ipynb: cell 3: its source is not text"
refused bad-output.ipynb 'bad-output.ipynb: cell 2: output 1: unknown output_type "hologram"'
refused not-json.ipynb "not-json.ipynb: not a notebook: line 3"
refused nosuch.ipynb "nosuch.ipynb: cannot open"
"$YS" --output x.md "$nb/countdown.ipynb" >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else bad "--output without --import is refused"; fi

echo "notebook: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
