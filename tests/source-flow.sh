#!/bin/sh
# The Source pane during the live flow (issue 15, point 7): it shows the
# code the step's hops run, never the lesson's next block (which would
# answer a question before its step), and between two hops, when no frame
# of the lesson runs (the loop between two tasks), it stays where the last
# hop left instead of jumping to the end of the code.
. "$(dirname "$0")/lib.sh"

cat >"$tmp/flow.md" <<'EOF'
# Flow

Two tasks take turns.

```python
import asyncio

async def worker(name):
    for n in range(3):
        print(name, n)
        await asyncio.sleep(0)

async def both():
    await asyncio.gather(worker("a"), worker("b"))

def filler():
    # Lines after the code the hops run, so that the end of the
    # code, where the view would jump, is out of the pane.
    first = 1
    second = 2
    third = 3
    fourth = 4
    fifth = 5
    return first + second + third + fourth + fifth
```

Run both. What does it print?

```pycon
>>> asyncio.run(both())
a 0
b 0
a 1
b 1
a 2
b 2
```

The next block must not show while the step above plays.

```python
def spoiler_answer():
    return "not yet"
```
EOF
# One dump a tick from the step's start to past its end.
{
	echo 'animate on'
	echo 'key space'
	echo 'key space'
	i=0
	while [ $i -lt 60 ]; do
		echo tick
		echo "echo frame $i"
		echo dump
		i=$((i + 1))
	done
} >"$tmp/keys"
env -u NO_COLOR LC_ALL=C.UTF-8 "$YS" --screen-test "$tmp/keys" --size 80x24 "$tmp/flow.md" \
	>"$tmp/out" 2>&1 || bad "--screen-test failed: $(head -5 "$tmp/out")"
# The frames of the flow: those whose footer offers to skip it.
awk '/^frame /{f=$2} /any key skips the live flow/{print f}' "$tmp/out" | sort -un >"$tmp/flowing"
n=$(wc -l <"$tmp/flowing")
if [ "$n" -ge 3 ]; then ok; else bad "only $n frames of the live flow were seen"; fi
spoiled=0 jumped=0
for f in $(cat "$tmp/flowing"); do
	sed -n "/^frame $f\$/,/^frame $((f + 1))\$/p" "$tmp/out" >"$tmp/one"
	grep -qF "spoiler_answer" "$tmp/one" && spoiled=$((spoiled + 1))
	# worker's and both's awaits are where the hops run and leave: each
	# frame of the flow shows one of them.
	grep -qF -e "await asyncio.sleep(0)" -e "await asyncio.gather(" "$tmp/one" ||
		jumped=$((jumped + 1))
done
if [ "$spoiled" -eq 0 ]; then ok; else bad "$spoiled frames of the flow show the next block"; fi
if [ "$jumped" -eq 0 ]; then ok; else bad "$jumped frames of the flow do not show the code the hops run"; fi
# Once the flow is over, the next block is there, marked as the one to run.
tail -30 "$tmp/out" | grep -qF "spoiler_answer" && ok || bad "the next block is not shown after the flow"
echo "source-flow: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
