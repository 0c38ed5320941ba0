#!/bin/sh
# Recordings (issue 18): --play --cast and --record write asciicast v2 that
# Debian's asciinema plays (asciinema cat, under script(1) for the
# terminal it wants), with one marker per lesson step.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
unset XDG_STATE_HOME
lesson=$srcdir/lessons/02-four-keys.md

# asciinema cat FILE > OUT, exit status of asciinema.
play() {
	script -qec "asciinema cat '$1'" /dev/null </dev/null >"$2" 2>&1
}

if "$YS" --play --cast --size=100x30 "$lesson" >"$tmp/l.cast" 2>"$tmp/err"; then ok; else
	bad "--play --cast exits 0"; cat "$tmp/err"; fi
steps=$("$YS" --play --json "$lesson" | wc -l)
head -1 "$tmp/l.cast" >"$tmp/header"
for want in '"version":2' '"width":100' '"height":30'; do
	if grep -qF "$want" "$tmp/header"; then ok; else bad "header has $want"; cat "$tmp/header"; fi
done
markers=$(grep -c '^\[[0-9.]*,"m",' "$tmp/l.cast")
if [ "$markers" -eq "$steps" ]; then ok; else
	bad "$markers markers for $steps steps"; fi
if grep -qF '"m","Step 4: d.send(21)"' "$tmp/l.cast"; then ok; else
	bad "a marker names its step"; grep '"m"' "$tmp/l.cast"; fi
# Time never goes back.
if awk -F'[[,]' 'NR > 1 { if ($2 + 0 < last) exit 1; last = $2 + 0 }' "$tmp/l.cast"; then ok; else
	bad "event times go back"; fi
# Frames keep the terminal UI's colours and attributes; with NO_COLOR
# only the attributes.
if grep -q '"o",.*\\u001B\[0;1;38;5;[0-9]*m' "$tmp/l.cast"; then ok; else bad "frames have no colour"; fi
NO_COLOR=1 "$YS" --play --cast "$lesson" >"$tmp/nc.cast" 2>&1
if grep -q '38;5;' "$tmp/nc.cast"; then bad "NO_COLOR: colours in the recording"; else ok; fi
if grep -q '\\u001B\[0;1m' "$tmp/nc.cast"; then ok; else bad "NO_COLOR: no bold in the recording"; fi
if play "$tmp/l.cast" "$tmp/cat"; then ok; else bad "asciinema cat plays it"; tail "$tmp/cat"; fi
if grep -aq "step $steps/$steps" "$tmp/cat"; then ok; else bad "asciinema shows the last step"; fi
if grep -aq "Traceback" "$tmp/cat"; then bad "asciinema failed on the file"; tail "$tmp/cat"; else ok; fi
# The check above can fail: asciinema refuses another version.
sed '1s/"version":2/"version":9/' "$tmp/l.cast" >"$tmp/bad.cast"
if play "$tmp/bad.cast" "$tmp/cat2"; then
	bad "asciinema accepts a bad version: the test cannot fail"; else ok; fi

# A program's asyncio.run() (issue 16): the recording steps through its
# callbacks, a screen each, rather than jumping from the first to the
# end; past the first 30, the rest at once, to the step's end.
run=$srcdir/tests/asyncio/run-callbacks.py
"$YS" --play --cast --size=100x30 "$run" >"$tmp/run.cast" 2>"$tmp/err"
n=$(grep -o 'CALLBACK [0-9]*/19' "$tmp/run.cast" | sort -u | wc -l)
if [ "$n" -eq 19 ]; then ok; else bad "--cast of an asyncio.run(): $n of 19 callbacks shown"; fi
if tail -1 "$tmp/run.cast" | grep -qF "['a', 'b', 'late']"; then ok; else
	bad "--cast of an asyncio.run(): the last screen is not the run's end"; fi
printf 'import asyncio\n\nasync def tick(i):\n    await asyncio.sleep(0)\n    return i\n\nasync def main():\n    print(len(await asyncio.gather(*(tick(i) for i in range(40)))), "ticks")\n\nasyncio.run(main())\n' >"$tmp/many.py"
"$YS" --play --cast --size=100x30 "$tmp/many.py" >"$tmp/many.cast" 2>"$tmp/err"
if grep -q 'CALLBACK 30/' "$tmp/many.cast" && ! grep -q 'CALLBACK 31/' "$tmp/many.cast"; then ok; else
	bad "--cast of many callbacks: not the first 30 alone"; grep -o 'CALLBACK [0-9/]*' "$tmp/many.cast" | tail -3; fi
if tail -1 "$tmp/many.cast" | grep -qF "40 ticks"; then ok; else
	bad "--cast of many callbacks: the last screen is not the run's end"; fi
# The jump is said, by a marker where it happens.
if grep -q '"m","the [0-9]* callbacks left run at once, to the step' "$tmp/many.cast"; then ok; else
	bad "--cast of many callbacks: no marker says the rest ran at once"; grep '"m"' "$tmp/many.cast"; fi
if grep -q '"m","the [0-9]* callbacks* left' "$tmp/run.cast"; then
	bad "--cast of 19 callbacks: a marker says some ran at once"; else ok; fi

# --record in the terminal UI (headless): three steps done, the fourth
# presented: four markers, each at the screen that presents its step.
printf 'key space\nkey space\nkey space\nkey q\n' >"$tmp/keys"
if "$YS" --screen-test="$tmp/keys" --record="$tmp/r.cast" "$lesson" >"$tmp/out" 2>&1; then ok; else
	bad "--record exits 0"; cat "$tmp/out"; fi
markers=$(grep -c '"m",' "$tmp/r.cast")
if [ "$markers" -eq 4 ]; then ok; else bad "--record: $markers markers after 3 steps"; fi
# The frame after the second marker shows step 2.
if awk '/"m",/ { m++; next } m == 2 && /"o",/ { found = index($0, "step 2/") > 0; exit }
	END { exit !found }' "$tmp/r.cast"; then ok; else bad "--record: step 2's marker is at its screen"; fi
if play "$tmp/r.cast" "$tmp/cat3" && grep -aq "step 4/" "$tmp/cat3"; then ok; else
	bad "asciinema plays --record's file"; tail "$tmp/cat3"; fi
# A file that cannot be written: exit 2, said why.
"$YS" --screen-test="$tmp/keys" --record="$tmp/no/such/dir.cast" "$lesson" >"$tmp/out" 2>&1
if [ $? -eq 2 ] && grep -q "cannot write" "$tmp/out"; then ok; else
	bad "--record to a missing folder"; cat "$tmp/out"; fi
"$YS" --record=x.cast --play "$lesson" >"$tmp/out" 2>&1
if [ $? -eq 2 ]; then ok; else bad "--record with --play is refused"; fi

echo "cast: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
