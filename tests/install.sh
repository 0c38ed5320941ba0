#!/bin/sh
# make install into a DESTDIR puts the program, the manual page, every
# bundled lesson and the bash completion in place; make uninstall then
# leaves no file and none of yieldscope's own folders behind.
set -u
: "${YS:?}" "${srcdir:=.}"
build=$(cd "$(dirname "$YS")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

prefix=$(sed -n 's/^prefix = //p' "$build/Makefile")
dest=$tmp/root
if make -C "$build" install DESTDIR="$dest" >"$tmp/log" 2>&1; then ok; else
	bad "make install"; cat "$tmp/log"; fi
root=$dest$prefix
for f in bin/yieldscope share/man/man1/yieldscope.1 \
	share/bash-completion/completions/yieldscope share/doc/yieldscope/README.md; do
	if [ -f "$root/$f" ]; then ok; else bad "make install: no $f"; fi
done
for l in "$srcdir"/lessons/[0-9]*.md; do
	if cmp -s "$l" "$root/share/yieldscope/lessons/$(basename "$l")"; then ok; else
		bad "make install: lesson $(basename "$l") missing or different"; fi
done
# The installed program runs the installed lessons.
if "$root/bin/yieldscope" --check "$root/share/yieldscope/lessons/02-four-keys.md" \
	>"$tmp/out" 2>&1 && grep -q ' 0 failed' "$tmp/out"; then ok; else
	bad "the installed program checks an installed lesson"; cat "$tmp/out"; fi

if make -C "$build" uninstall DESTDIR="$dest" >"$tmp/log" 2>&1; then ok; else
	bad "make uninstall"; cat "$tmp/log"; fi
left=$(find "$dest" ! -type d)
if [ -z "$left" ]; then ok; else bad "make uninstall left files:"; echo "$left"; fi
# Folders of ours below the prefix (the prefix's own name is not ours:
# make distcheck's is yieldscope-VERSION/_inst).
left=$( [ ! -d "$root" ] || find "$root" -mindepth 1 -type d -name 'yieldscope*')
if [ -z "$left" ]; then ok; else bad "make uninstall left folders:"; echo "$left"; fi

echo "install: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
