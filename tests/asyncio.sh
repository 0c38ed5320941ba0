#!/bin/sh
# asyncio on the engine's virtual clock (issue 16, items 1 to 4), against
# plain CPython as the oracle: the same program prints the same lines in
# the same order; its loop's clock shows the seconds the program slept
# (exactly, and in no real time); task states in --play --json are what
# done()/cancelled() say in plain CPython; real I/O (a socket pair) still
# works; the engine keeps no task alive. Stepping: loop.run_one() runs the
# callbacks plain asyncio runs, one a step, in its order, and leaves the
# ready queue and the timers as plain asyncio has them after that
# callback; run_until_resumes(t) stops right after t's; t.cancel() reaches
# the task. Needs YS, srcdir, PYTHON3.
. "$(dirname "$0")/lib.sh"
: "${PYTHON3:?}"
# has FILE TEXT WHAT: FILE has the line TEXT in it.
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2' in $(cat "$1")"; fi; }

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

# ---- Many tasks, stepped: --max-cards listed, each as it is now ------------------
# The engine describes anew only the tasks that changed since the last
# step; what it lists must still be what the tasks are: a cancel() of a
# task whose step is queued, its end, a task freed (the next one comes
# into the list), a task made once the list is full (counted, not listed).
cat >"$tmp/cache.md" <<'EOF'
# cache

```python
import asyncio

async def spin():
    while True:
        await asyncio.sleep(0)

async def nap():
    await asyncio.sleep(5)

loop = asyncio.new_event_loop()
tasks = [loop.create_task(spin(), name="t%d" % i) for i in range(300)]
```

```pycon
>>> loop.run_one()
>>> tasks[5].cancel()
True
>>> loop.run_until_resumes(tasks[5])
>>> tasks[1].cancel()
True
>>> loop.run_until_resumes(tasks[1])
>>> del tasks[1]
>>> late = loop.create_task(nap(), name="late")
>>> loop.run_until_resumes(late)
```
EOF
"$YS" --play --json --max-cards=20 "$tmp/cache.md" 2>&1 | "$PYTHON3" -c '
import json, sys
steps = [json.loads(l) for l in sys.stdin]
def tasks(i):
    return {t["name"]: t for t in steps[i]["asyncio"]["tasks"]}
for i, st in enumerate(steps):
    aio = st["asyncio"]
    if st["exception"] or len(aio["tasks"]) != 20:
        print("step", i, st["source"], st["exception"], len(aio["tasks"]))
if [steps[i]["asyncio"]["total"] for i in (1, 6, 8)] != [300, 299, 300]:
    print("totals", [s["asyncio"]["total"] for s in steps])
if not tasks(2)["t5"]["waits"].endswith("its next run raises CancelledError"):
    print("t5 after cancel():", tasks(2)["t5"])
if tasks(3)["t5"]["state"] != "cancelled" or tasks(3)["t0"]["waits"] != "the loop'"'"'s next round":
    print("after t5 ran:", tasks(3)["t5"], tasks(3)["t0"])
if tasks(5)["t1"]["state"] != "cancelled" or "t1" in tasks(6) or "t20" not in tasks(6):
    print("t1 freed:", sorted(tasks(6)))
if "late" in tasks(8) or tasks(8)["t2"]["state"] != "pending":
    print("a task made with the list full:", sorted(tasks(8)))
' >"$tmp/cache.out" 2>&1
if [ -s "$tmp/cache.out" ]; then bad "tasks stepped in a list cut at 20: $(cat "$tmp/cache.out")"; else ok; fi

# A cancel() that only sets a task's _must_cancel (its step is queued) is
# seen without reading every listed task: the engine is told of each
# cancel() and uncancel() of asyncio's C Task (3.13's uncancel() clears the
# flag), and reads the flag of other kinds of task (asyncio's pure Python
# one here). Whatever the version, the Tasks view says the next run raises
# CancelledError exactly when CPython's _must_cancel says it will.
cat >"$tmp/cancels.py" <<'EOF'
import asyncio

async def spin():
    while True:
        await asyncio.sleep(0)

loop = asyncio.new_event_loop()
tasks = [loop.create_task(spin(), name="c%d" % i) for i in range(30)]
loop.set_task_factory(lambda loop, coro, **kw: asyncio.tasks._PyTask(coro, loop=loop, **kw))
tasks += [loop.create_task(spin(), name="p%d" % i) for i in range(3)]
EOF
set --
for k in 5 31; do
	set -- "$@" --do "tasks[$k].cancel()" --do "tasks[$k]._must_cancel" \
		--do "tasks[$k].uncancel()" --do "tasks[$k]._must_cancel"
done
"$YS" --play --json --max-cards=40 "$tmp/cancels.py" --do "loop.run_one()" "$@" 2>&1 | "$PYTHON3" -c '
import json, sys
steps = [json.loads(l) for l in sys.stdin]
seen = 0
for st in steps:
    src = st["source"]
    if not src.endswith("._must_cancel"):
        continue
    name = "c5" if "[5]" in src else "p1"
    task = {t["name"]: t for t in st["asyncio"]["tasks"]}[name]
    shown = (task["waits"] or "").endswith("its next run raises CancelledError")
    seen += st["value"] == "True"
    if shown != (st["value"] == "True"):
        print(src, st["value"], task)
if seen < 2:
    print("no cancel() pending after a cancel():", [(s["source"], s["value"]) for s in steps])
' >"$tmp/cancels.out" 2>&1
if [ -s "$tmp/cancels.out" ]; then bad "a cancel() not shown as CPython has it: $(cat "$tmp/cancels.out")"; else ok; fi

# ---- Stepping, one callback at a time, against plain asyncio ----------------
# Plain CPython runs the program with asyncio's Handle._run wrapped: after
# each callback that resumes a task or ends a sleep, what it printed, the
# task it resumed, the tasks of the ready queue's task callbacks, the
# sleeping tasks by deadline, and the line each pending task is at. A callback that is not the program's (the
# wait() that ends the plain run) is left out, on both sides.
cat >"$tmp/loop.py" <<'EOF'
import asyncio

async def worker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)

async def napper(name, units):
    print(name, "sleeps")
    await asyncio.sleep(units * UNIT)
    print(name, "woke")

def make(loop):
    return [loop.create_task(worker("a", 3), name="a"),
            loop.create_task(napper("n", 2), name="n"),
            loop.create_task(worker("b", 2), name="b"),
            loop.create_task(napper("m", 1), name="m")]
EOF
{
	echo "UNIT = 0.02"
	cat "$tmp/loop.py"
	cat <<'EOF'
import io, json, contextlib
from asyncio import events
def resumed(h):
    # A task of the program's; not the one run_until_complete makes of wait().
    t = getattr(h._callback, "__self__", None)
    return t.get_name() if isinstance(t, asyncio.Task) and t in tasks else None
def ours(h):
    return resumed(h) is not None or \
        getattr(h._callback, "__name__", "") == "_set_result_unless_cancelled"
def sleeper(h):
    return h._args[0]._callbacks[0][0].__self__.get_name()
loop = asyncio.new_event_loop()
chunks = []
real_run = events.Handle._run
def run(self):
    if not ours(self):
        return real_run(self)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        real_run(self)
    ready = [resumed(h) for h in loop._ready if resumed(h) and not h._cancelled]
    timers = [sleeper(h) for h in sorted(loop._scheduled, key=lambda h: h.when())
              if not h._cancelled]
    states = {t.get_name(): "done" if t.done() else
              t.get_coro().cr_frame.f_lineno for t in tasks}
    chunks.append([out.getvalue(), resumed(self), ready, timers, states])
events.Handle._run = run
tasks = make(loop)
loop.run_until_complete(asyncio.wait(tasks))
events.Handle._run = real_run
print(json.dumps(chunks))
EOF
} >"$tmp/plainloop.py"
"$PYTHON3" "$tmp/plainloop.py" >"$tmp/plainloop.json" 2>"$tmp/plainloop.err" ||
	bad "plain CPython failed: $(cat "$tmp/plainloop.err")"
n=$("$PYTHON3" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/plainloop.json" 2>/dev/null)
{
	printf '# steps\n\n```python\nimport asyncio\nUNIT = 1\n'
	cat "$tmp/loop.py"
	printf 'loop = asyncio.new_event_loop()\ntasks = make(loop)\n```\n\n```pycon\n'
	i=0
	while [ "$i" -lt "${n:-0}" ]; do echo '>>> loop.run_one()'; i=$((i + 1)); done
	echo '>>> loop.run_one()'
	printf '```\n'
} >"$tmp/steploop.md"
"$YS" --play --json "$tmp/steploop.md" >"$tmp/steploop.json" 2>&1 || true
"$PYTHON3" - "$tmp/steploop.json" "$tmp/plainloop.json" >"$tmp/cmp3" 2>&1 <<'EOF'
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
chunks = json.load(open(sys.argv[2]))
if len(chunks) < 12:
    print("plain asyncio ran only %d callbacks" % len(chunks))
# steps[0] is the code; then one run_one() per plain callback, then one more.
for i, (out, task, ready, timers, states) in enumerate(chunks):
    st = steps[i + 1]
    aio = st["asyncio"]
    if st["exception"] or st["output"] != out:
        print("callback %d: printed %r, raised %s; plain asyncio printed %r"
              % (i + 1, st["output"], st["exception"], out))
        break
    got_ready = [c["task"] for c in aio["ready"] if c["callback"].startswith("Task.")]
    # The same callbacks must be queued, none other but a task's.
    if len(aio["ready"]) != len(got_ready):
        print("after callback %d: ready %s" % (i + 1, aio["ready"]))
        break
    got_timers = [c["task"] for c in aio["timers"]]
    # A pending task by the line its coroutine is at: the lesson's code
    # starts 4 lines further down than the plain program's.
    got_states = {t["name"]: t["state"] if t["state"] != "pending" else
                  t["chain"][0]["line"] - 4 for t in aio["tasks"]}
    if got_states != states:
        print("after callback %d: tasks %s; plain asyncio %s" % (i + 1, got_states, states))
        break
    if got_ready != ready or got_timers != timers:
        print("after callback %d: ready %s timers %s; plain asyncio: %s, %s"
              % (i + 1, got_ready, got_timers, ready, timers))
        break
last = steps[len(chunks) + 1]
if not (last["exception"] or "").startswith("RuntimeError: the loop has nothing to run"):
    print("run_one() with nothing left:", last["exception"])
if abs(steps[len(chunks)]["asyncio"]["time"] - 2.0) > 1e-9:
    print("the virtual clock after the sleeps:", steps[len(chunks)]["asyncio"]["time"])
EOF
if [ -s "$tmp/cmp3" ]; then bad "run_one: $(cat "$tmp/cmp3")"; else ok; fi

# run_until_resumes(t): the callbacks up to t's, and no more; cancel().
{
	printf '# until\n\n```python\nimport asyncio\nUNIT = 1\n'
	cat "$tmp/loop.py"
	cat <<'EOF'
async def victim():
    try:
        await asyncio.sleep(100)
    except asyncio.CancelledError:
        print("victim cancelled")
        raise
loop = asyncio.new_event_loop()
tasks = make(loop)
```

```pycon
>>> loop.run_until_resumes(tasks[1])
>>> loop.run_until_resumes(tasks[1])
>>> v = loop.create_task(victim(), name="v")
>>> loop.run_until_resumes(v)
>>> v.cancel()
True
>>> loop.run_until_resumes(v)
victim cancelled
>>> v.cancelled(), loop.time() < 100
(True, True)
>>> loop.run_until_resumes(v)
```
EOF
} >"$tmp/until.md"
"$YS" --play --json "$tmp/until.md" >"$tmp/until.json" 2>&1 || true
"$PYTHON3" - "$tmp/until.json" "$tmp/plainloop.json" >"$tmp/cmp4" 2>&1 <<'EOF'
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
chunks = json.load(open(sys.argv[2]))
# n's callbacks in plain asyncio: its first run, then its wake-up.
at = [i for i, c in enumerate(chunks) if c[1] == "n"]
first = "".join(c[0] for c in chunks[:at[0] + 1])
second = "".join(c[0] for c in chunks[at[0] + 1:at[1] + 1])
if steps[1]["output"] != first or steps[2]["output"] != second:
    print("run_until_resumes(n) printed %r then %r; plain asyncio %r then %r"
          % (steps[1]["output"], steps[2]["output"], first, second))
ready = [c["task"] for c in steps[2]["asyncio"]["ready"] if c["callback"].startswith("Task.")]
if ready != chunks[at[1]][2]:
    print("ready queue after n resumed: %s; plain asyncio %s" % (ready, chunks[at[1]][2]))
aio = steps[5]["asyncio"]
v = {t["name"]: t for t in aio["tasks"]}["v"]
if v["state"] != "pending" or "CancelledError" not in (v["waits"] or "") or \
        not any(c["task"] == "v" for c in aio["ready"]):
    print("after v.cancel():", v, aio["ready"])
if any(c["task"] == "v" for c in aio["timers"]):
    print("v's cancelled sleep is still a timer:", aio["timers"])
for i in (5, 6, 7):
    if steps[i]["exception"]:
        print("step", i, steps[i]["source"], steps[i]["exception"])
v = {t["name"]: t for t in steps[6]["asyncio"]["tasks"]}["v"]
if v["state"] != "cancelled":
    print("v after its next run:", v)
if not (steps[8]["exception"] or "").startswith("ValueError: task v is done"):
    print("run_until_resumes of a done task:", steps[8]["exception"])
EOF
if [ -s "$tmp/cmp4" ]; then bad "run_until_resumes and cancel: $(cat "$tmp/cmp4")"; else ok; fi

# ---- Lesson 16: which task a callback resumes, predicted ----------------------
# Played in --plain with Enter alone, to find how many lines come before
# the question; then answered b (the lesson's hint for it) and a.
l16=$srcdir/lessons/16-asyncio-tasks.md
yes '' | head -300 | "$YS" --plain "$l16" >"$tmp/l16" 2>&1
n=$(awk '/^Predict which task it resumes first/ { print c; exit }
	/^> ?$/ || /^Predict.*: $/ { c++ }' "$tmp/l16")
if [ -n "$n" ]; then ok; else bad "lesson 16 asks no resumes prediction: $(grep Predict "$tmp/l16")"; fi
for answer in b a; do
	{ yes '' | head -"${n:-0}"; echo "$answer"; yes '' | head -300; } |
		"$YS" --plain "$l16" 2>&1 | grep -A4 "^Predict which task" >"$tmp/l16.$answer"
done
has "$tmp/l16.b" "(a, b or none): b" "the question lists the pending tasks"
has "$tmp/l16.b" "Your prediction was wrong. b has just had its turn" "the lesson's hint for b"
has "$tmp/l16.a" "Your prediction was right." "a, whose callback ran"

# A lesson of driving steps on a loop passes --check (the screen test's).
if "$YS" --check "$srcdir/tests/asyncio/loop-steps.md" >"$tmp/ls.out" 2>&1; then ok
else bad "--check of tests/asyncio/loop-steps.md: $(cat "$tmp/ls.out")"; fi

# ---- A blocking call blocks the loop, and says so (issue 16, item 3) ----------
# stuck's first callback sleeps 0.3 s of real time: its step says so, in
# --play --json (rounded to 0.1 s), in --play text and on the Tasks
# section; no other step, and no step of a lesson whose callbacks all
# return at once, reports a block. The virtual clock does not count it.
blk=$srcdir/tests/asyncio/blocking.md
"$YS" --play --json "$blk" >"$tmp/blk.json" 2>&1 || bad "--play --json of blocking.md failed"
"$PYTHON3" - "$tmp/blk.json" >"$tmp/cmp5" 2>&1 <<'EOF2'
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
blocked = [(s["source"], s["asyncio"]["blocked"]) for s in steps
           if s["asyncio"] and s["asyncio"]["blocked"]]
if len(blocked) != 1 or blocked[0][0] != "loop.run_one()":
    print("steps that report a block:", blocked)
else:
    (b,) = blocked[0][1]
    if b["task"] != "stuck" or b["callback"] != "Task.__step" or \
            not 0.3 <= b["seconds"] < 0.6 or round(b["seconds"], 1) != b["seconds"]:
        print("the block reported:", b)
if steps[1]["asyncio"]["time"] != 0.0:
    print("the virtual clock counted the blocking call:", steps[1]["asyncio"]["time"])
EOF2
if [ -s "$tmp/cmp5" ]; then bad "a blocking callback: $(cat "$tmp/cmp5")"; else ok; fi
"$YS" --play "$blk" >"$tmp/blk.txt" 2>&1 || bad "--play of blocking.md failed"
has "$tmp/blk.txt" "stuck blocked the loop for 0.3 s of real time (not on the virtual clock)" \
	"--play text of a blocking callback"
sed 's/time.sleep(0.3)/time.sleep(0)/' "$blk" >"$tmp/quick.md"
"$YS" --play --json "$tmp/quick.md" >"$tmp/quick.json" 2>&1 || bad "--play --json of quick.md failed"
if grep -q '"blocked":\[{' "$tmp/quick.json" || ! grep -q '"blocked":\[\]' "$tmp/quick.json"; then
	bad "a lesson whose callbacks return at once: $(grep -o '"blocked":[^]]*]' "$tmp/quick.json")"
else ok; fi
if "$YS" --check "$blk" >"$tmp/blk.out" 2>&1; then ok
else bad "--check of tests/asyncio/blocking.md: $(cat "$tmp/blk.out")"; fi

# ---- Nothing to run, found inside asyncio's round -------------------------------
# The one timer left is cancelled: asyncio's round drops it, then would
# wait for ever. run_one() raises as when nothing is there at all, with
# the lesson's statement alone in its traceback, not asyncio's frames;
# the loop then closes as usual.
cat >"$tmp/nothing.md" <<'EOF2'
# nothing

```python
import asyncio
loop = asyncio.new_event_loop()
late = loop.call_later(0.5, print, "never")
```

```pycon
>>> late.cancel()
>>> loop.run_one()
>>> loop.close()
```
EOF2
"$YS" --play --json "$tmp/nothing.md" >"$tmp/nothing.json" 2>&1 || bad "--play --json of nothing.md failed"
"$PYTHON3" - "$tmp/nothing.json" >"$tmp/cmp6" 2>&1 <<'EOF2'
import json, sys
steps = {s["source"]: s for s in map(json.loads, open(sys.argv[1]))}
tb = steps["loop.run_one()"]["traceback"] or ""
want = ('Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n'
        "RuntimeError: the loop has nothing to run: no ready callback, no timer, no I/O\n")
if tb != want:
    print("run_one() with only a cancelled timer:\n" + tb)
if steps["loop.close()"]["exception"] is not None:
    print("loop.close() after it:", steps["loop.close()"]["exception"])
EOF2
if [ -s "$tmp/cmp6" ]; then bad "$(cat "$tmp/cmp6")"; else ok; fi

# ---- After asyncio.run(): the closed loop's tasks in one line -----------------
# A card per finished task would fill the Heap and push the Tasks heading
# out of an 80x24 screen: once the loop is closed they are counted by how
# they ended, a way only one task ended naming it. How many tasks there
# are (asyncio.run adds its own) is what --play --json says.
cl=$srcdir/tests/asyncio/closed-loop.md
n=$("$YS" --play --json "$cl" 2>/dev/null | "$PYTHON3" -c '
import json, sys
a = [json.loads(l) for l in sys.stdin][-1]["asyncio"]
print(a["total"] if a["closed"] else "open")')
printf 'key space space space\ndump\n' >"$tmp/cl.keys"
"$YS" --screen-test "$tmp/cl.keys" --size 80x24 "$cl" >"$tmp/cl.screen" 2>&1 ||
	bad "--screen-test of closed-loop.md failed: $(cat "$tmp/cl.screen")"
has "$tmp/cl.screen" "Tasks  virtual clock 1.000 s" "the Tasks heading in view at 80x24"
has "$tmp/cl.screen" "$n tasks done: Task-1 result 'all'," "the closed loop's tasks summed up"
has "$tmp/cl.screen" "Task-2 cancelled, $((n - 2)) with result" "the closed loop's tasks summed up"
if grep -q "Task-[0-9]* done" "$tmp/cl.screen"; then bad "a card for a task of the closed loop"; else ok; fi

# ---- The Tasks section in a narrow Heap: a compact row per task ------------
# Beside the Console at 80 columns the Heap is 40 wide: a task's chain
# stops at what the program awaits (sleep(), not asyncio's Future under
# it), what it waits for is said without the clock's name, and a result
# goes on the task's row; a result is the program's own text and keeps
# its parentheses. The sleep timer's callback and gather's are said as
# what they do. At 160 columns nothing is shortened.
cat >"$tmp/brew.py" <<'EOF'
import asyncio

async def brew(name, minutes):
    await asyncio.sleep(minutes)
    return f"{name} (hot)"

async def main():
    print(await asyncio.gather(brew("tea", 3), brew("coffee", 1)))

asyncio.run(main())
EOF
printf '%s\n' 'key space enter enter enter' 'echo callback 4' dump 'key enter' \
	'echo callback 5' dump 'key enter' 'echo callback 6' dump >"$tmp/brew.keys"
for size in 80x24 160x45; do
	env -u NO_COLOR LC_ALL=C.UTF-8 "$YS" --screen-test "$tmp/brew.keys" --size "$size" \
		"$tmp/brew.py" >"$tmp/brew.$size" 2>&1 ||
		bad "--screen-test of brew.py at $size failed: $(cat "$tmp/brew.$size")"
	for n in 4 5 6; do
		sed -n "/^callback $n\$/,/^callback $((n + 1))\$/p" "$tmp/brew.$size" >"$tmp/brew$n.$size"
	done
done
has "$tmp/brew4.80x24" "Task-3's sleep is over: its timer" "the sleep timer's callback in words"
has "$tmp/brew4.80x24" "Task-3 pending  brew() line 4" "a compact task row"
has "$tmp/brew4.80x24" "waits for sleep until 1.000  " "a sleep's deadline, compact (no \"on the loop's clock\")"
if grep -qF "Future" "$tmp/brew4.80x24"; then bad "asyncio's Future in a compact chain"; else ok; fi
has "$tmp/brew5.80x24" "Task-3 pending  runs next " "two columns between state and 'runs next'"
has "$tmp/brew6.80x24" "Task-3 done  result 'coffee (hot)'" "a result on the task's row, parentheses kept"
has "$tmp/brew6.80x24" "a task gather waits for is done: gather's" "gather's callback in words"
has "$tmp/brew4.160x45" "brew() line 4 → sleep() → Future" "the whole chain in a wide Heap"
has "$tmp/brew4.160x45" "waits for sleep until 1.000 on the loop's clock" "the whole wait in a wide Heap"

# ---- The Tasks section during the live flow ---------------------------------
# While the step's hops play, the call stack is replayed hop by hop, and
# the tasks drawn as that moment knows them (never "done" beside a frame
# still RUNNING): the heading says which hop, and nothing once it is over.
cat >"$tmp/flow.md" <<'EOF'
# Flow

A task.

```python
import asyncio

async def main():
    await asyncio.sleep(0)
    return 1
```

Run it.

```pycon
>>> asyncio.run(main())
1
```
EOF
printf '%s\n' 'animate on' 'key space' 'key x' 'key space' tick 'echo frame 1' dump \
	'key x' 'echo end' dump >"$tmp/flow.keys"
env -u NO_COLOR LC_ALL=C.UTF-8 "$YS" --screen-test "$tmp/flow.keys" --size 80x24 "$tmp/flow.md" \
	>"$tmp/flow.out" 2>&1 || bad "--screen-test of flow.md failed: $(cat "$tmp/flow.out")"
sed -n '/^frame 1$/,/^end$/p' "$tmp/flow.out" >"$tmp/flow1"
sed -n '/^end$/,$p' "$tmp/flow.out" >"$tmp/flow2"
has "$tmp/flow1" "RUNNING  main()  line 8" "the live flow replays main's frame"
# The tasks are the moment's: the heading names the hop, main's task runs;
# the tasks asyncio.run() makes to shut the loop down run no hop of the
# lesson's: known at the step's end only, said so.
has "$tmp/flow1" "Tasks at hop 1/4" "the Tasks heading says when its tasks are from"
has "$tmp/flow1" "Task-1 running  main() line 8" "the task whose coroutine runs is running"
has "$tmp/flow1" "more tasks at the step's end" "tasks not known at the hop are said so"
if grep -qF "step's end" "$tmp/flow2"; then bad "'step's end' after the flow"; else ok; fi

echo "asyncio: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
