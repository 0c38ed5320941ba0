#!/bin/sh
# CPython's own Lib/test/test_generators.py doctests (issue 11, class 10),
# turned into lessons by scripts/doctest-lesson from the file of the CPython
# yieldscope embeds, must pass `yieldscope --check` in full. Skipped (77)
# when that CPython has no test package (Debian: libpython3.X-testsuite).
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
YS=${YS:-$srcdir/src/yieldscope}
build=$(cd "$(dirname "$YS")/.." && pwd)
PY=$(sed -n 's/^PYTHON3 = //p' "$build/Makefile")
if [ -z "$PY" ] || ! [ -x "$PY" ]; then
	echo "doctests.sh: cannot find the build's python (PYTHON3 in $build/Makefile)" >&2
	exit 99
fi
file=$("$PY" -c 'import importlib.util as u; s = u.find_spec("test.test_generators"); print(s.origin if s else "")' 2>/dev/null)
if [ -z "$file" ]; then
	echo "doctests.sh: $PY has no test.test_generators (install libpython3.X-testsuite); skipped"
	exit 77
fi
out=$(mktemp -d) || exit 99
trap 'rm -rf "$out"' EXIT
"$PY" "$srcdir/scripts/doctest-lesson" "$file" "$out" > "$out/list" || exit 99
[ -s "$out/list" ] || { echo "doctests.sh: no doctests found in $file" >&2; exit 99; }
echo "doctests of $file:"
status=0
while read -r lesson; do
	# The lesson runs from the temporary directory: its tracebacks name it
	# by a short path.
	name=$(basename "$lesson")
	if (cd "$out" && "$YS" --check "$name") > "$out/result" 2>&1; then
		echo "ok   $name: $(tail -n 1 "$out/result")"
	else
		status=1
		echo "FAIL $name:"
		sed 's/^/    /' "$out/result"
	fi
done < "$out/list"
exit $status
