#!/bin/sh
# The differential test (issue 11): every scenario in tests/diff/scenarios
# (a .py file and its '#>>> ' statements) and every bundled lesson runs
# through `yieldscope --play --json` and through tests/diff/tracer.py,
# a reference tracer in plain Python, on the CPython yieldscope embeds; any
# difference fails, and the first one of each scenario is printed.
#   tests/diff.sh [SCENARIO.py...]        (YS: the program; default the build's)
#   DIFF_ALL=1 tests/diff.sh              every difference of every step
#   DIFF_STRICT=1 tests/diff.sh           the gaps json.md documents fail too
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
YS=${YS:-$srcdir/src/yieldscope}
build=$(cd "$(dirname "$YS")/.." && pwd)
# The CPython the program embeds: the one configure found.
PY=${DIFF_PYTHON:-$(sed -n 's/^PYTHON3 = //p' "$build/Makefile")}
if [ -z "$PY" ] || ! [ -x "$PY" ]; then
	echo "diff.sh: cannot find the build's python (PYTHON3 in $build/Makefile)" >&2
	exit 99
fi
embeds=$("$YS" --version | sed -n 's/^Embeds CPython \([0-9]*\.[0-9]*\).*/\1/p')
has=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$embeds" != "$has" ]; then
	echo "diff.sh: yieldscope embeds CPython $embeds but $PY is $has" >&2
	exit 99
fi
[ $# -gt 0 ] || set -- "$srcdir"/tests/diff/scenarios/*.py "$srcdir"/lessons/[0-9]*.md \
	"$srcdir"/tests/lessons/chain.md "$srcdir"/tests/lessons/versions.md
exec "$PY" "$srcdir/tests/diff/compare.py" --ys "$YS" --python "$PY" \
	${DIFF_ALL:+--all} ${DIFF_STRICT:+--strict} "$@"
