#!/bin/sh
# Callback pauses (issue 16): a .py program that runs asyncio.run() is
# recorded callback by callback, against plain CPython as the oracle. The
# program's tasks print their name and the loop's clock each time they
# resume; plain CPython prints the same lines in the same order. In
# --play --json, each callback's "printed" cuts the output into what each
# callback printed: a Task.__step or Task.__wakeup of task T prints only
# T's lines, at the clock the pause says; any other callback prints
# nothing. The sleeper resumes at 10.0 on the clock, the counts by state
# are the tasks' own, and a lesson (a .md) records no callback. --play
# and --plain show them callback by callback. The await chains reach the
# sleep through an async generator and a @types.coroutine. Needs YS,
# srcdir, PYTHON3.
. "$(dirname "$0")/lib.sh"
: "${PYTHON3:?}"

cat >"$tmp/prog.py" <<'EOF'
import asyncio

START = []

def say(what):
    # The clock from the run's start: plain CPython's starts anywhere.
    now = asyncio.get_running_loop().time()
    START[:] = START or [now]
    print(asyncio.current_task().get_name(), what, round((now - START[0]) / UNIT))

async def worker(n):
    say("starts")
    for i in range(n):
        await asyncio.sleep(0)
        say("turn %d" % i)
    return n

async def sleeper():
    say("sleeps")
    await asyncio.sleep(10 * UNIT)
    say("wakes")
    return "late"

async def failing():
    say("fails")
    raise ValueError("no")

async def main():
    say("gathers")
    r = await asyncio.gather(worker(2), worker(3), sleeper(), failing(),
                             return_exceptions=True)
    say("has %r" % (r,))

asyncio.run(main())
print("after the run")
EOF
{ echo "UNIT = 0.05"; cat "$tmp/prog.py"; } >"$tmp/plain.py"
"$PYTHON3" "$tmp/plain.py" >"$tmp/plain.out" 2>&1 || bad "plain CPython failed: $(cat "$tmp/plain.out")"
{ echo "UNIT = 1"; cat "$tmp/prog.py"; } >"$tmp/own.py"
"$YS" --play --json "$tmp/own.py" >"$tmp/ys.json" 2>"$tmp/ys.err" ||
	bad "--play --json failed: $(cat "$tmp/ys.err")"

"$PYTHON3" - "$tmp/ys.json" "$tmp/plain.out" >"$tmp/cmp" 2>&1 <<'EOF'
import json, sys
step = [json.loads(line) for line in open(sys.argv[1])][-1]
plain = open(sys.argv[2]).read()
out = step["output"]
if out != plain:
    print("output differs from plain CPython:\n%s---\n%s" % (out, plain))
aio = step["asyncio"]
cbs = aio["callbacks"] if aio else []
if not 10 <= len(cbs) < 1000:
    print("callbacks recorded: %d" % len(cbs))
resumed = []
states = {}     # each task's state as of the callback: "changed" says what changed
for i, cb in enumerate(cbs):
    states.update((t["name"], t["state"]) for t in cb["changed"])
    nxt = cbs[i + 1]["printed"] if i + 1 < len(cbs) else len(out)
    end = cb["returned"]
    lines = out[cb["printed"]:end].splitlines()
    # After a callback returned, only the statement prints: here, once
    # the run is over.
    between = out[end:nxt]
    if between != ("after the run\n" if i + 1 == len(cbs) else ""):
        print("after callback %d (%s) returned, printed %r" % (i + 1, cb["callback"], between))
    if cb["callback"] in ("Task.__step", "Task.__wakeup"):
        for line in lines:
            name, *_, when = line.split()
            if name != cb["task"] or abs(float(when) - cb["time"]) > 1e-9:
                print("callback %d (%s of %s at %.1f) printed %r"
                      % (i + 1, cb["callback"], cb["task"], cb["time"], line))
        resumed += [(cb["task"], cb["time"]) for line in lines]
        if states.get(cb["task"]) != "pending":
            print("callback %d: %s is %s before it runs" % (i + 1, cb["task"],
                                                            states.get(cb["task"])))
    elif lines:
        print("callback %d (%s) printed %r" % (i + 1, cb["callback"], lines))
    if sum(cb["states"][k] for k in ("pending", "running", "done", "cancelled")) \
            != cb["total"]:
        print("callback %d: states %s do not sum to %d" % (i + 1, cb["states"], cb["total"]))
# Who ran, in order, as plain CPython's prints say.
order = [(line.split()[0], float(line.split()[-1])) for line in plain.splitlines()
         if line != "after the run"]
if resumed != order:
    print("tasks resumed %s, plain CPython %s" % (resumed, order))
if ("Task-4", 10.0) not in resumed:
    print("the sleeper did not resume at 10.0:", resumed)
want = {"pending": 0, "running": 0, "done": 5, "cancelled": 0, "failed": 1}
got = {k: aio["states"][k] for k in want}
# asyncio.run() adds the tasks of its own shutdown, done too.
got["done"] = min(got["done"], 5)
if got != want:
    print("states after the run:", aio["states"])
if "failed" not in cbs[-1]["states"] or cbs[0]["states"]["pending"] != 1:
    print("states at the first and last callbacks:", cbs[0]["states"], cbs[-1]["states"])
EOF
if [ -s "$tmp/cmp" ]; then bad "asyncio.run callback by callback: $(cat "$tmp/cmp")"; else ok; fi

# --play writes them too, in order, with what each printed.
"$YS" --play "$tmp/own.py" >"$tmp/ys.txt" 2>&1 || bad "--play failed: $(cat "$tmp/ys.txt")"
if grep -q "Callback by callback (" "$tmp/ys.txt" &&
   grep -q "Task.__wakeup of Task-4" "$tmp/ys.txt" &&
   grep -q "printed Task-4 wakes 10" "$tmp/ys.txt"; then ok
else bad "--play has no callbacks: $(cat "$tmp/ys.txt")"; fi
# What the statement printed after the loop is not the last callback's.
if grep -q "printed by the statement after the run" "$tmp/ys.txt" &&
   ! grep -q "  printed after the run" "$tmp/ys.txt"; then ok
else bad "--play credits the statement's print to a callback: $(grep -n 'after the run' "$tmp/ys.txt")"; fi

# --plain says them too, after the step's hops.
printf ' \nq\n' | "$YS" --plain "$tmp/own.py" >"$tmp/plain.txt" 2>&1
if grep -q "Callback by callback (" "$tmp/plain.txt" &&
   grep -q "printed Task-4 wakes 10" "$tmp/plain.txt"; then ok
else bad "--plain has no callbacks: $(cat "$tmp/plain.txt")"; fi

# The await chain goes through a @types.coroutine's yield from of a
# coroutine's __await__() and through an async generator down to the
# sleep's future (CPython 3.14's capture_call_graph stops at both).
cat >"$tmp/chain.py" <<'EOF'
import asyncio, types

async def ticks():
    await asyncio.sleep(1)
    yield 1

async def via_agen():
    async for x in ticks():
        return x

@types.coroutine
def gen_based():
    yield from asyncio.sleep(1).__await__()

async def via_gen():
    await gen_based()

async def main():
    await asyncio.gather(asyncio.create_task(via_agen(), name="agen"),
                         asyncio.create_task(via_gen(), name="genbased"))

asyncio.run(main())
EOF
"$YS" --play --json "$tmp/chain.py" >"$tmp/chain.json" 2>&1 || bad "chain.py failed: $(cat "$tmp/chain.json")"
"$PYTHON3" - "$tmp/chain.json" >"$tmp/cmp" 2>&1 <<'EOF'
import json, sys
step = json.loads(open(sys.argv[1]).readline())
seen = {}
for cb in step["asyncio"]["callbacks"]:
    for t in cb["changed"]:
        if t["state"] == "pending" and t["waits"].startswith("sleep until"):
            seen[t["name"]] = [h["function"] for h in t["chain"]]
want = {"agen": ["via_agen", "ticks", "sleep", "Future"],
        "genbased": ["via_gen", "gen_based", "sleep", "Future"]}
if seen != want:
    print("chains while they sleep:", seen)
EOF
if [ -s "$tmp/cmp" ]; then bad "await chains: $(cat "$tmp/cmp")"; else ok; fi

# A lesson scripts its own stepping: its asyncio.run() records none.
{ printf '# l\n\n```python\nUNIT = 1\n'; cat "$tmp/prog.py"; printf '```\n'; } >"$tmp/l.md"
"$YS" --play --json "$tmp/l.md" >"$tmp/l.json" 2>&1 || bad "lesson failed: $(cat "$tmp/l.json")"
if "$PYTHON3" -c '
import json, sys
s = [json.loads(l) for l in open(sys.argv[1])][-1]
sys.exit(s["asyncio"]["callbacks"] != [])' "$tmp/l.json"; then ok
else bad "a lesson recorded callbacks"; fi

echo "asyncio-callbacks: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
