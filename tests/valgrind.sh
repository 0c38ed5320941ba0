#!/bin/sh
# valgrind memcheck over the test suite: every test program, then the
# program itself on every bundled lesson (--check, --play, --play --json)
# and on the command-line tests (tests/cli.sh), with CPython's allocator
# replaced by malloc so that valgrind sees every block.
#
#   tests/valgrind.sh [BUILDDIR]      (default: the current directory)
#
# BUILDDIR is a plain build (./configure, no sanitizers) whose test
# programs exist (make check, or make check TESTS=). A log per run goes to
# BUILDDIR/valgrind/. The script fails when a definitely lost block, or a
# memory error, has a frame of our code (src/ or tests/) in its stack; what
# CPython itself leaks at exit is counted and shown, not failed.
#
# Suppressions: Debian's CPython suppression file (package python3,
# /usr/lib/valgrind/python3.supp, CPython's Misc/valgrind-python.supp) when
# it is there, and tests/valgrind.supp, limited to libpython frames.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-.}" && pwd)
srcdir=${srcdir:-$here}
out=$build/valgrind
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed (apt-get install valgrind)"; exit 77; }
[ -x "$build/src/yieldscope" ] || { echo "valgrind.sh: no $build/src/yieldscope: build first"; exit 2; }
rm -rf "$out"
mkdir -p "$out"

supp="--suppressions=$here/tests/valgrind.supp"
[ -f /usr/lib/valgrind/python3.supp ] && supp="$supp --suppressions=/usr/lib/valgrind/python3.supp"
PYTHONMALLOC=malloc
export PYTHONMALLOC
n=0

# vg NAME COMMAND...: one run under memcheck, its log in $out/NAME.N.log.
vg() {
	name=$1
	shift
	n=$((n + 1))
	valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --track-origins=no --num-callers=40 \
		$supp --log-file="$out/$name.$n.log" "$@" >"$out/$name.$n.out" 2>&1 ||
		echo "valgrind.sh: note: $name exited $? under valgrind (see $out/$name.$n.out)"
}

# The program under memcheck, for the shell tests: each run a log of its own.
cat >"$out/ys" <<EOS
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
	--errors-for-leak-kinds=definite --num-callers=40 $supp \
	--log-file="$out/ys.%p.log" "$build/src/yieldscope" "\$@"
EOS
chmod +x "$out/ys"

echo "valgrind.sh: test programs"
for t in "$build"/tests/test_* "$build"/tests/fuzz/replay_*; do
	case $t in *.c|*.o|*.log|*.trs) continue ;; esac
	[ -x "$t" ] || continue
	srcdir=$srcdir CMOCKA_MESSAGE_OUTPUT=stdout YS="$build/src/yieldscope" \
		vg "$(basename "$t")" "$t"
done

echo "valgrind.sh: lessons"
for l in "$srcdir"/lessons/[0-9]*.md; do
	b=$(basename "$l" .md)
	vg "play-$b" "$build/src/yieldscope" --step-timeout=60 --play "$l"
	vg "json-$b" "$build/src/yieldscope" --step-timeout=60 --play --json "$l"
done
vg check-all "$build/src/yieldscope" --step-timeout=60 --check "$srcdir"/lessons/[0-9]*.md

echo "valgrind.sh: tests/cli.sh"
YS="$out/ys" srcdir=$srcdir sh "$srcdir/tests/cli.sh" >"$out/cli.out" 2>&1 ||
	echo "valgrind.sh: note: tests/cli.sh did not pass under valgrind (timing); see $out/cli.out"

# ---- Report ------------------------------------------------------------
# A record is ours when a frame of its stack is in one of our files.
ours=$(cd "$here" && ls src/*.c tests/*.c tests/fuzz/*.c | sed 's|.*/||' | tr '\n' '|' | sed 's/|$//')
awk -v ours="($ours):[0-9]+" '
	FNR == 1 { logs++ }
	/ERROR SUMMARY/ { errs += $4 }
	/definitely lost in/ || /^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Source and destination)/ {
		inrec = 1; rec = $0; kind = (/definitely lost/ ? "leak" : "error"); next }
	inrec && /^==[0-9]+== +(at|by) / { rec = rec "\n" $0; if ($0 ~ ours) mine = 1; next }
	inrec {
		if (kind == "leak") { leaks++; if (mine) { ourleaks++; print FILENAME ":\n" rec "\n" } }
		else { others++; if (mine) { ourerrs++; print FILENAME ":\n" rec "\n" } }
		inrec = 0; mine = 0 }
	END {
		printf "valgrind.sh: %d runs; definitely lost records: %d, with a frame of ours: %d; memory errors: %d, with a frame of ours: %d\n",
			logs, leaks, ourleaks, others, ourerrs
		exit (ourleaks + ourerrs > 0)
	}' "$out"/*.log
