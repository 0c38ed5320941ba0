#!/bin/sh
# The Source pane and the call stack during the live flow and at pauses
# (issue 15, points 7 and 8):
# it shows the code the step's hops run, never the lesson's next block (which would
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

# At a pause of line stepping inside a later block, that block runs: the
# Source shows it, neither dimmed nor marked as the next to run, and not
# the block after it.
cat >"$tmp/pause.md" <<'EOF'
# Pause

First block.

```python
def numbers():
    yield 1
    yield 2
```

Second block, stepped line by line.

```python
total = sum(numbers())
doubled = total * 2
```

Third.

```python
third_block_here = 3
```
EOF
printf 'key space\nkey l\nkey space\ndump\n' >"$tmp/pause.keys"
env -u NO_COLOR LC_ALL=C.UTF-8 "$YS" --screen-test "$tmp/pause.keys" --size 80x24 "$tmp/pause.md" \
	>"$tmp/pause.out" 2>&1 || bad "--screen-test of pause.md failed: $(head -5 "$tmp/pause.out")"
grep -q "LINE STEP 1/" "$tmp/pause.out" && ok || bad "no pause of line stepping"
grep -q "^│   14 total = sum(numbers())" "$tmp/pause.out" && ok ||
	bad "the running block is not shown as running at a pause"
if grep -qF "third_block_here" "$tmp/pause.out"; then bad "the block after the running one shows"; else ok; fi
# The call stack of the live flow: a frame that awaits another is at the
# line of its await while that one runs, not at the line it resumed at.
cat >"$tmp/below.md" <<'EOF'
# Below

```python
import types

@types.coroutine
def pause():
    yield "paused"

async def inner():
    await pause()

async def outer():
    print("outer starts")
    await inner()
```

```pycon
>>> c = outer()
>>> c.send(None)
outer starts
'paused'
```
EOF
{
	echo 'animate on'
	echo 'key space space space'
	for i in 0 1 2 3; do echo tick; echo "echo frame $i"; echo dump; done
} >"$tmp/below.keys"
env -u NO_COLOR LC_ALL=C.UTF-8 "$YS" --screen-test "$tmp/below.keys" --size 100x30 "$tmp/below.md" \
	>"$tmp/below.out" 2>&1 || bad "--screen-test of below.md failed: $(head -5 "$tmp/below.out")"
sed -n '/^frame 2$/,/^frame 3$/p' "$tmp/below.out" >"$tmp/below2"
grep -q "RUNNING  c.cr_await  inner()  line 11" "$tmp/below2" && ok ||
	bad "inner is not at its await while pause runs: $(grep RUNNING "$tmp/below2")"
grep -q "RUNNING  c  outer()  line 15" "$tmp/below2" && ok ||
	bad "outer is not at its await while inner runs: $(grep RUNNING "$tmp/below2")"
echo "source-flow: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
