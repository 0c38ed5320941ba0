#!/bin/sh
# Screen tests: the real program, headless (--screen-test), fed a script of
# keys from tests/screens/NAME.keys; its screens, dumped as text, must
# equal tests/screens/NAME.screen. Lines starting with "#!" in a script set
# how it runs:
#   #! args ARGS...     arguments after --screen-test (lesson, --lessons)
#   #! size COLSxLINES  (default 80x24)
#   #! env VAR=VALUE... environment (default LC_ALL=C.UTF-8, NO_COLOR unset)
# UPDATE=1 rewrites the expected screens from what the program shows now.
# Bytecode offsets differ between CPython versions: a screen in
# tests/screens/pyX.Y/ is expected instead when the program embeds CPython
# X.Y, and UPDATE=1 writes there when the program is not on 3.11. The patch
# level in a "CPython 3.11.2" title is not compared.
set -u
: "${YS:?YS must name the yieldscope program}"
: "${srcdir:=.}"
cd "$srcdir" || exit 99
dir=tests/screens
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
pyver=$("$YS" --version | sed -n 's/^Embeds CPython \([0-9]*\.[0-9]*\).*/\1/p')
nopatch() { sed -E 's/CPython [0-9]+\.[0-9]+\.[0-9]+[^ ]* ─*/CPython X ─/' "$1"; }
for keys in "$dir"/*.keys; do
	name=$(basename "$keys" .keys)
	args=$(sed -n 's/^#! args //p' "$keys")
	size=$(sed -n 's/^#! size //p' "$keys")
	envs=$(sed -n 's/^#! env //p' "$keys")
	: "${size:=80x24}"
	# shellcheck disable=SC2086
	env -u NO_COLOR LC_ALL=C.UTF-8 $envs "$YS" --screen-test "$keys" --size "$size" \
		$args >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "not ok - $name: exit status $rc"
		cat "$tmp/$name.err"
		fail=$((fail + 1))
		continue
	fi
	expected=$dir/$name.screen
	if [ -f "$dir/py$pyver/$name.screen" ]; then
		expected=$dir/py$pyver/$name.screen
	fi
	if [ "${UPDATE:-}" = 1 ]; then
		if [ "$pyver" != 3.11 ] && ! cmp -s "$dir/$name.screen" "$tmp/$name.out"; then
			expected=$dir/py$pyver/$name.screen
			mkdir -p "$dir/py$pyver"
		fi
		cp "$tmp/$name.out" "$expected"
	fi
	nopatch "$expected" >"$tmp/$name.want"
	nopatch "$tmp/$name.out" >"$tmp/$name.got"
	if diff -u "$tmp/$name.want" "$tmp/$name.got" >"$tmp/$name.diff" 2>&1; then
		echo "ok - $name"
		pass=$((pass + 1))
	else
		echo "not ok - $name: the screen differs"
		cat "$tmp/$name.diff"
		fail=$((fail + 1))
	fi
done
echo "screens: $pass passed, $fail failed"
[ "$pass" -gt 0 ] && [ "$fail" -eq 0 ]
