#!/bin/sh
# The census followed step by step (issue 19): with more suspended
# generators than the locals budget, every step below is followed from the
# frames it ran, not walked, and YIELDSCOPE_CENSUS_CHECK=1 walks as well
# and aborts on any difference. The counts must be CPython's own
# (inspect.getgeneratorstate over the list, printed by the same step), and
# a generator the lesson drops must be finalized in that very step.
# CENSUS_N (3000, at least that) sets the number of tasks. Needs YS and
# srcdir, and python3 to read the JSON.
. "$(dirname "$0")/lib.sh"

n=${CENSUS_N:-3000}
cat >"$tmp/heap.py" <<PY
import inspect

def task(n):
    try:
        while True:
            n = yield n
    finally:
        print("finally", n)

def outer(t):
    return (yield from t)

def bare(n):
    while True:
        n = yield n

tasks = [task(i) for i in range($n)]
for t in tasks[:$n - 500]:
    next(t)
# Closed outside any try: from 3.13 close() does not run the frame.
bares = [bare(i) for i in range(100)]
for t in bares:
    next(t)

def counts():
    c = {}
    for t in tasks + bares + [globals().get("w"), globals().get("x")]:
        if t is not None:
            if not inspect.isgenerator(t):
                continue
            s = inspect.getgeneratorstate(t).split("_")[1].lower()
            c[s] = c.get(s, 0) + 1
    return c
PY
count='print("COUNTS", counts())'
set -- --do "tasks[10].send(5)" --do "$count" \
	--do "tasks[-100].close()" --do "$count" \
	--do "tasks[-99].throw(ValueError)" --do "$count" \
	--do "next(tasks[-200])" --do "$count" \
	--do "tasks[2000].close()" --do "$count" \
	--do "tasks[1999].throw(KeyError)" --do "$count" \
	--do "tasks[5] = None" --do "$count" \
	--do "w = outer(tasks[2100])" --do "next(w)" --do "w.send(7)" --do "$count" \
	--do "tasks[2200].send(1)" --do "$count" \
	--do "bares[50].close()" --do "$count" \
	--do "x = tasks[7].send(3)" --do "x = tasks[8].send(3)" --do "$count" \
	--do "x = bare(5)" --do "$count" --do "x = 0" --do "$count"
if YIELDSCOPE_CENSUS_CHECK=1 "$YS" --play --json "$tmp/heap.py" "$@" \
	>"$tmp/out.json" 2>"$tmp/err"; then
	ok
else
	bad "the census followed a step wrongly or the run failed: $(cat "$tmp/err")"
fi

if python3 - "$tmp/out.json" <<'PY'; then ok; else bad "counts and lifetimes are CPython's"; fi
import ast, json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
fail = False
checked = 0
for st in steps:
    out = st.get("output") or ""
    if out.startswith("COUNTS "):
        real = ast.literal_eval(out[len("COUNTS "):].strip())
        shown = {k: v for k, v in st["summary"]["states"].items() if v}
        if shown != real:
            print("step %r: shown %r, CPython counts %r" % (st["source"], shown, real))
            fail = True
        checked += 1
by_source = {st["source"]: st for st in steps}
if "finally 5" not in by_source["tasks[5] = None"]["output"]:
    print("tasks[5] = None did not finalize it in that step: %r"
          % by_source["tasks[5] = None"]["output"])
    fail = True
if checked != 13:
    print("only %d counts checked" % checked)
    fail = True
sys.exit(1 if fail else 0)
PY

echo "census: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
