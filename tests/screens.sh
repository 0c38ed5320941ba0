#!/bin/sh
# Screen tests: the real program, headless (--screen-test), fed a script of
# keys from tests/screens/NAME.keys; its screens, dumped as text, must
# equal tests/screens/NAME.screen. Lines starting with "#!" in a script set
# how it runs:
#   #! args ARGS...     arguments after --screen-test (lesson, --lessons)
#   #! size COLSxLINES  (default 80x24)
#   #! env VAR=VALUE... environment (default LC_ALL=C.UTF-8, NO_COLOR unset)
#   #! state DIR        progress files to start from (default: none); each
#                       script has its own $XDG_STATE_HOME
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
	# Progress lives in a fresh folder per script, or in the one it names
	# (#! state DIR, relative to the source tree, copied first).
	state=$(sed -n 's/^#! state //p' "$keys")
	mkdir -p "$tmp/state-$name/yieldscope"
	if [ -n "$state" ]; then
		cp "$state"/* "$tmp/state-$name/yieldscope/" || exit 99
	fi
	# shellcheck disable=SC2086
	env -u NO_COLOR LC_ALL=C.UTF-8 XDG_STATE_HOME="$tmp/state-$name" $envs \
		"$YS" --screen-test "$keys" --size "$size" \
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
	# "echo same TAG: ..." before dumps: every dump under one TAG must be
	# the same screen but for its last row (the key bar, which says where
	# in history it is).
	if grep -q '^echo same ' "$keys"; then
		rm -f "$tmp/$name".same.*
		awk -v base="$tmp/$name.same" '
			/^same [^:]*:/ { tag = $2; sub(":", "", tag); n[tag]++; f = base "." tag "." n[tag]; want = 1; next }
			/^=== screen [0-9]+x[0-9]+ ===$/ && want { split($3, wh, "x"); rows = wh[2]; want = 0; next }
			rows > 0 { if (rows > 1) print > f; rows--; next }
		' "$tmp/$name.out"
		same_fail=0
		for first in "$tmp/$name".same.*.1; do
			tagbase=${first%.1}
			for other in "$tagbase".*; do
				[ "$other" = "$first" ] && continue
				if ! diff -u "$first" "$other" >"$tmp/$name.samediff"; then
					echo "not ok - $name: ${other##*/} is not the screen ${first##*/} was"
					cat "$tmp/$name.samediff"
					same_fail=1
				fi
			done
		done
		if [ "$same_fail" = 1 ]; then
			fail=$((fail + 1))
			continue
		fi
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
