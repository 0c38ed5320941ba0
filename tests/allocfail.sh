#!/bin/sh
# The allocation-failure loop: --play a lesson once for every allocation
# our allocator makes, failing that one allocation (YS_ALLOC_FAIL=N), then
# once more failing it and every later one (YS_ALLOC_FAIL=N+). Every run
# must end as a normal run or with a message and exit status 2: never a
# signal, a hang, or a sanitizer report.
#
#   tests/allocfail.sh [--screen-test KEYS] [--every K] BUILDDIR [LESSON...]
#
# With --screen-test the runs are of the terminal UI, headless, reading
# the key script KEYS (tests/screens/*.keys are such scripts) instead of
# --play; there a run may also end with status 1 and a message. With
# --every K only every K-th N is tried (1, 1+K, 1+2K, ...), to keep the
# time small.
#
# BUILDDIR is configured with --enable-alloc-fail (and best with
# --enable-sanitizers, so that a bad access on an error path is caught
# too). The default lessons are tests/lessons/chain.md and
# lessons/02-four-keys.md.
#
# A run that exits 0 although an allocation failed is counted as
# "absorbed", and listed when its output is not the one of the run without
# failures (something was silently left out or judged wrong): a bug, but
# not a crash, so it fails the script only with YS_ALLOCFAIL_STRICT=1.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
keys= every=1
while [ $# -gt 0 ]; do
	case $1 in
	--screen-test) keys=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
	--every) every=$2; shift 2 ;;
	*) break ;;
	esac
done
build=$(cd "${1:?usage: tests/allocfail.sh [--screen-test KEYS] [--every K] BUILDDIR [LESSON...]}" && pwd)
shift
[ $# -gt 0 ] || set -- "$here/tests/lessons/chain.md" "$here/lessons/02-four-keys.md"
YS=$build/src/yieldscope
grep -q '^#define YS_ALLOC_FAIL 1' "$build/config.h" ||
	{ echo "allocfail.sh: $build is not configured with --enable-alloc-fail"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# CPython leaks at exit and error paths may too: leaks are tests/valgrind.sh's.
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS
LIMIT=${YS_ALLOCFAIL_LIMIT:-60}
bad=0
runs=0
# mode: how the program runs the lesson.
if [ -n "$keys" ]; then
	mode="--screen-test $keys"
	XDG_STATE_HOME=$tmp/state LC_ALL=C.UTF-8
	export XDG_STATE_HOME LC_ALL
else
	mode=--play
fi

# ranges 1 2 3 7 8+ 9+: "1-3 7 8+-9+", to list many N in a line.
ranges() {
	echo "$@" | tr ' ' '\n' | awk '
		function flush() { if (n) printf " %s", (first == last ? first : first "-" last) }
		{ m = /[+]$/; v = $0 + 0
		  if (n && m == pm && v == pv + 1) { last = $0; pv = v; next }
		  flush(); n = 1; first = last = $0; pv = v; pm = m }
		END { flush(); print "" }'
}

for lesson in "$@"; do
	# shellcheck disable=SC2086 # $mode is words
	YS_ALLOC_REPORT=$tmp/report "$YS" $mode "$lesson" >"$tmp/ref" 2>"$tmp/referr" ||
		{ echo "allocfail.sh: $lesson does not play without failures"; cat "$tmp/referr"; exit 2; }
	read -r total failed <"$tmp/report"
	clean=0 absorbed=0 differs=0 list=
	for plus in "" "+"; do
		n=1
		while [ "$n" -le "$total" ]; do
			rm -f "$tmp/report"
			# shellcheck disable=SC2086
			YS_ALLOC_FAIL=$n$plus YS_ALLOC_REPORT=$tmp/report \
				timeout "$LIMIT" "$YS" $mode "$lesson" >"$tmp/out" 2>"$tmp/err"
			st=$?
			runs=$((runs + 1))
			what="YS_ALLOC_FAIL=$n$plus $YS $mode $lesson"
			if [ "$st" -ge 124 ]; then
				echo "CRASH ($([ "$st" -eq 124 ] && echo hang || echo "signal $((st - 128))")): $what"
				head -n 30 "$tmp/err"
				bad=$((bad + 1))
			elif grep -q 'Sanitizer\|runtime error' "$tmp/err"; then
				echo "SANITIZER: $what"
				head -n 40 "$tmp/err"
				bad=$((bad + 1))
			elif [ "$st" -eq 0 ]; then
				absorbed=$((absorbed + 1))
				if ! cmp -s "$tmp/out" "$tmp/ref"; then
					differs=$((differs + 1))
					list="$list $n$plus"
				fi
			elif { [ "$st" -eq 2 ] || { [ -n "$keys" ] && [ "$st" -eq 1 ]; }; } &&
			     [ -s "$tmp/err" ]; then
				clean=$((clean + 1))
			else
				echo "UNCLEAR (exit $st, $(wc -c <"$tmp/err") bytes of message): $what"
				head -n 5 "$tmp/err"
				bad=$((bad + 1))
			fi
			n=$((n + every))
		done
	done
	echo "allocfail.sh: $mode $lesson: N = 1..$total (every $every), each alone and from N on: $clean clean errors (exit 2), $absorbed absorbed (exit 0; $differs with other output)"
	if [ "$differs" -gt 0 ]; then
		echo "  exit 0 with other output, YS_ALLOC_FAIL =$(ranges $list)"
		[ "${YS_ALLOCFAIL_STRICT:-0}" != 1 ] || bad=$((bad + differs))
	fi
done
echo "allocfail.sh: $runs runs, $bad bad"
[ "$bad" -eq 0 ]
