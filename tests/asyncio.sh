#!/bin/sh
# asyncio on the engine's virtual clock (issue 16, items 1, 3, 4), against
# plain CPython as the oracle: the same program prints the same lines in
# the same order; its loop's clock shows the seconds the program slept
# (exactly, and in no real time); task states in --play --json are what
# done()/cancelled() say in plain CPython; real I/O (a socket pair) still
# works; the engine keeps no task alive. Needs YS, srcdir, PYTHON3.
. "$(dirname "$0")/lib.sh"
: "${PYTHON3:?}"

# The program: sleeps are in UNITs, so plain CPython can run it in a
# fraction of a second (UNIT = 0.02) and the engine at full length
# (UNIT = 1); elapsed times are printed in UNITs, rounded.
cat >"$tmp/prog.py" <<'EOF'
import asyncio, gc, socket, weakref

async def nap(name, units):
    await asyncio.sleep(units * UNIT)
    print("woke", name)
    return name

async def turns(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)

async def reader(sock):
    loop = asyncio.get_running_loop()
    return await loop.sock_recv(sock, 16)

async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    many = await asyncio.gather(*(asyncio.sleep(UNIT, i) for i in range(100)))
    print("hundred", len(many), round((loop.time() - start) / UNIT, 1))
    print(await asyncio.gather(nap("c", 3), nap("a", 1), nap("b", 2)))
    await asyncio.gather(turns("x", 2), turns("y", 3))
    a, b = socket.socketpair()
    a.setblocking(False)
    loop.call_later(UNIT, b.send, b"ping")
    print("got", await reader(a))
    a.close(); b.close()
    return round((loop.time() - start) / UNIT, 1)
EOF

{
	echo "UNIT = 0.02"
	cat "$tmp/prog.py"
	echo 'print("total", asyncio.run(main()))'
} >"$tmp/plain.py"
"$PYTHON3" "$tmp/plain.py" >"$tmp/plain.out" 2>&1 || bad "plain CPython failed: $(cat "$tmp/plain.out")"

{
	printf '# asyncio\n\n```python\nUNIT = 1\n'
	cat "$tmp/prog.py"
	printf '```\n\n```pycon\n>>> print("total", asyncio.run(main()))\n```\n'
} >"$tmp/lesson.md"
start=$(date +%s)
"$YS" --play --json "$tmp/lesson.md" >"$tmp/ys.json" 2>"$tmp/ys.err" || bad "--play --json failed: $(cat "$tmp/ys.err")"
end=$(date +%s)

"$PYTHON3" - "$tmp/ys.json" "$tmp/plain.out" >"$tmp/cmp" 2>&1 <<'EOF'
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
plain = open(sys.argv[2]).read()
last = steps[-1]
# Same lines, same order; only the total differs: plain CPython's clock
# is real and drifts past the units slept.
def body(text):
    return [l for l in text.splitlines() if not l.startswith(("total", "hundred"))]
if body(last["output"]) != body(plain):
    print("output differs:\n%s---\n%s" % (last["output"], plain))
# 1 + 3 + 0 + 1 units: the last one waits for real, with a socket registered.
if "hundred 100 1.0\n" not in last["output"] or "total 5.0\n" not in last["output"]:
    print("virtual clock did not show the units slept:", last["output"])
aio = last["asyncio"]
if aio is None or aio["clock"] != "virtual" or abs(aio["time"] - 5.0) > 0.5:
    print("asyncio object wrong:", aio)
else:
    states = {t["state"] for t in aio["tasks"]}
    if states != {"done"} or len(aio["tasks"]) < 106:
        print("tasks after asyncio.run: %d, states %s" % (len(aio["tasks"]), states))
    names = [t["result"] for t in aio["tasks"] if t["result"] in ("'a'", "'b'", "'c'")]
    if names != ["'c'", "'a'", "'b'"]:
        print("nap results not in the order made:", names)
if steps[0]["asyncio"] is not None:
    print("a step without a loop has an asyncio object")
EOF
if [ -s "$tmp/cmp" ]; then bad "asyncio.run program: $(cat "$tmp/cmp")"; else ok; fi
# Five seconds of sleeps on the virtual clock take no real time.
if [ $((end - start)) -lt 5 ]; then ok; else bad "virtual sleeps took $((end - start)) s"; fi

# ---- Task states between steps, against plain CPython -------------------------
cat >"$tmp/steps.py" <<'EOF'
import asyncio, weakref
async def nap(units):
    await asyncio.sleep(units * UNIT)
    return units
async def boom():
    raise ValueError("no")
loop = asyncio.new_event_loop()
slow = loop.create_task(nap(5), name="slow")
fast = loop.create_task(nap(1), name="fast")
bad = loop.create_task(boom(), name="bad")
gone = loop.create_task(nap(2), name="gone")
gone.cancel()
EOF
cat >"$tmp/steps2.py" <<'EOF'
loop.run_until_complete(asyncio.sleep(2 * UNIT))
states = {t.get_name(): "cancelled" if t.cancelled() else "done" if t.done() else "pending" for t in (slow, fast, bad, gone)}
freed = weakref.ref(fast)
del fast
EOF
{
	echo "UNIT = 0.02"; cat "$tmp/steps.py" "$tmp/steps2.py"
	echo 'print(sorted(states.items()), freed() is None)'
	echo '_ = bad.exception(), loop.run_until_complete(slow), loop.close()'
} >"$tmp/plain2.py"
"$PYTHON3" "$tmp/plain2.py" >"$tmp/plain2.out" 2>&1 || bad "plain CPython failed: $(cat "$tmp/plain2.out")"
{
	printf '# states\n\n```python\nUNIT = 1\n'
	cat "$tmp/steps.py"
	printf '```\n\n```python\n'
	cat "$tmp/steps2.py"
	printf '```\n\n```pycon\n>>> print(sorted(states.items()), freed() is None)\n'
	printf '>>> _ = bad.exception(), loop.run_until_complete(slow), loop.close()\n```\n'
} >"$tmp/steps.md"
"$YS" --play --json "$tmp/steps.md" >"$tmp/steps.json" 2>&1 || bad "--play --json of steps failed"
"$PYTHON3" - "$tmp/steps.json" "$tmp/plain2.out" >"$tmp/cmp2" 2>&1 <<'EOF'
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
plain = open(sys.argv[2]).read()
if steps[2]["output"] != plain:
    print("states differ: %r vs plain %r" % (steps[2]["output"], plain))
tasks = {t["name"]: t for t in steps[1]["asyncio"]["tasks"]}
want = {"slow": "pending", "fast": "done", "bad": "done", "gone": "cancelled"}
got = {n: tasks[n]["state"] for n in want if n in tasks}
if got != want:
    print("json states", got)
elif tasks["bad"]["exception"] != "ValueError: no" or tasks["fast"]["result"] != "1":
    print("outcomes", tasks["bad"], tasks["fast"])
elif not tasks["slow"]["waits"].startswith("sleep until 5.000") or \
        [h["kind"] for h in tasks["slow"]["chain"]] != ["coroutine", "coroutine", "future"]:
    print("slow's chain", tasks["slow"])
if steps[3]["exception"] is not None or steps[3]["output"] != "":
    print("last step", steps[3]["exception"], steps[3]["output"])
EOF
if [ -s "$tmp/cmp2" ]; then bad "task states: $(cat "$tmp/cmp2")"; else ok; fi

# ---- A fresh import of asyncio gets the virtual clock too -------------------
cat >"$tmp/again.md" <<'EOF'
# again

```python
import sys, asyncio
for name in [n for n in sys.modules if n.split(".")[0] == "asyncio"]:
    del sys.modules[name]
import asyncio as again

async def long():
    await asyncio.sleep(100)
    return asyncio.get_running_loop().time()
```

```pycon
>>> again is asyncio
False
>>> again.run(long())
100.0
```
EOF
if "$YS" --check "$tmp/again.md" >"$tmp/again.out" 2>&1; then ok; else bad "asyncio imported again: $(cat "$tmp/again.out")"; fi

# ---- Many tasks: the first 200 listed, all counted ------------------------------
printf '# many\n\n```python\nimport asyncio\n\nasync def many():\n    await asyncio.gather(*(asyncio.sleep(1) for _ in range(500)))\n    return asyncio.get_running_loop().time()\n```\n\n```pycon\n>>> asyncio.run(many())\n1.0\n```\n' >"$tmp/many.md"
"$YS" --play --json "$tmp/many.md" 2>&1 | "$PYTHON3" -c '
import json, sys
aio = [json.loads(l) for l in sys.stdin][-1]["asyncio"]
if len(aio["tasks"]) != 200 or aio["total"] < 501:
    print(len(aio["tasks"]), aio["total"])' >"$tmp/many.out" 2>&1
if [ -s "$tmp/many.out" ]; then bad "500 tasks: $(cat "$tmp/many.out")"; else ok; fi

echo "asyncio: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
