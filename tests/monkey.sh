#!/bin/sh
# Monkey test of the terminal UI: random key scripts, clicks and resizes
# (from 1x1 to 320x120) through --screen-test over every bundled lesson,
# from a fixed seed, so that a failure repeats. Every run must end with
# status 0 within its limit: no signal, no hang, no sanitizer report. A
# failing script is kept in $YS_MONKEY_KEEP (default: printed). Needs YS
# and srcdir.
#
#   YS_MONKEY_PER_LESSON  scripts per lesson (default 15; 6 under the
#                         sanitizers)
#   YS_MONKEY_SEED        the seed (default 12)
set -u
: "${YS:?}" "${srcdir:=.}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "${YS_SANITIZERS:-0}" = 1 ]; then per=6; else per=15; fi
per=${YS_MONKEY_PER_LESSON:-$per}
seed=${YS_MONKEY_SEED:-12}
LIMIT=${YS_MONKEY_LIMIT:-120}
runs=0 fails=0

# script SEED: a random script of 40 commands on stdout. Quitting keys are
# rare, so that most scripts go deep; the prompts get typed text.
script() {
	awk -v seed="$1" 'BEGIN {
		srand(seed)
		nk = split("space space space space enter esc tab btab left right up down " \
		           "home end backspace pgup pgdn delete f1 n s t c l r w b g x y ? " \
		           "1 2 3 4 5 6 7 8 9 0 a d e f h i j k m o p u v z", keys, " ")
		nt = split("1|None|ValueError|ValueError(\"x\" * 400)|1/0|[1, 2]|\"\\u00e9\"|" \
		           "while True: pass|next(iter([]))|__import__(\"os\").getpid()", texts, "|")
		if (rand() < 0.5)
			printf "resize %dx%d\n", 20 + int(rand() * 140), 6 + int(rand() * 50)
		for (i = 0; i < 40; i++) {
			r = rand()
			if (r < 0.60)
				printf "key %s\n", keys[1 + int(rand() * nk)]
			else if (r < 0.70)
				printf "type %s\nkey enter\n", texts[1 + int(rand() * nt)]
			else if (r < 0.82)
				printf "click %d %d\n", int(rand() * 160), int(rand() * 60)
			else if (r < 0.90)
				printf "resize %dx%d\n", 1 + int(rand() * 320), 1 + int(rand() * 120)
			else if (r < 0.95)
				print "tick"
			else if (r < 0.97)
				print "key q"
			else
				print "dump"
		}
		print "dump"
	}'
}

# Every bundled lesson, and the menu (a lesson of "menu": no file given).
n=0
for lesson in "$srcdir"/lessons/[0-9]*.md menu; do
	i=0
	while [ "$i" -lt "$per" ]; do
		n=$((n + 1))
		i=$((i + 1))
		script $((seed * 100000 + n)) >"$tmp/keys"
		if [ "$lesson" = menu ]; then
			set -- --lessons="$srcdir/lessons"
		else
			set -- "$lesson"
		fi
		XDG_STATE_HOME=$tmp/state LC_ALL=C.UTF-8 timeout "$LIMIT" "$YS" --step-timeout=1 \
			--screen-test "$tmp/keys" "$@" >"$tmp/out" 2>"$tmp/err"
		st=$?
		runs=$((runs + 1))
		if [ "$st" -ne 0 ] || grep -q 'Sanitizer\|runtime error' "$tmp/err"; then
			fails=$((fails + 1))
			echo "FAIL: exit $st: $(basename "$lesson"), script $n (YS_MONKEY_SEED=$seed):"
			head -c 2000 "$tmp/err" | sed 's/^/    /'
			if [ -n "${YS_MONKEY_KEEP:-}" ]; then
				cp "$tmp/keys" "$YS_MONKEY_KEEP/monkey-$n.keys"
			else
				sed 's/^/    | /' "$tmp/keys"
			fi
		fi
	done
done
echo "monkey: $runs scripts, $fails failed"
[ "$fails" -eq 0 ]
