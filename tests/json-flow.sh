#!/bin/sh
# The events of --play --json carry the live flow's data (issue 15): each
# resume's callers (the ordinary functions between the step and the
# generator) and each event's printed (characters of output before it),
# as docs/json.md defines them, and both are what CPython did: a plain
# CPython run under sys.setprofile (tests/json-flow/reference.py) must
# see the same hops with the same callers and the same output so far.
set -u
: "${YS:?}" "${srcdir:=.}"
build=$(cd "$(dirname "$YS")/.." && pwd)
PY=$(sed -n 's/^PYTHON3 = //p' "$build/Makefile")
[ -x "$PY" ] || { echo "json-flow.sh: no PYTHON3 in $build/Makefile" >&2; exit 99; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The same path for both, so that code objects name the same file.
cp "$srcdir/tests/json-flow/scenario.md" "$tmp/scenario.md"
cd "$tmp" || exit 99
"$YS" --play --json scenario.md >ys.jsonl 2>ys.err
"$PY" "$srcdir/tests/json-flow/reference.py" scenario.md >ref.jsonl || exit 1
exec "$PY" - ys.jsonl ref.jsonl <<'PY'
import json, sys
ys = [json.loads(l) for l in open(sys.argv[1])]
ref = [json.loads(l) for l in open(sys.argv[2])]
fails = 0
if len(ys) != len(ref):
    print("FAIL: %d steps played, %d in the reference" % (len(ys), len(ref)))
    sys.exit(1)
seen_callers = seen_printed = False
for step, hops in zip(ys, ref):
    got = []
    for e in step["events"]:
        if "callers" not in e or "printed" not in e:
            print("FAIL: step %d: an event without callers or printed: %s" % (step["step"], e))
            sys.exit(1)
        kind = "resume" if e["event"] == "resume" else "leave"
        got.append([e["function"], kind, e["callers"], e["printed"]])
        seen_callers |= bool(e["callers"])
        seen_printed |= bool(e["printed"])
        # printed counts characters of the step's output.
        if e["printed"] is not None and e["printed"] > len(step["output"]):
            print("FAIL: step %d: printed %d past the output's %d characters"
                  % (step["step"], e["printed"], len(step["output"])))
            fails += 1
    if got != hops:
        print("FAIL: step %d (%s):\n  yieldscope %s\n  CPython    %s"
              % (step["step"], step["source"], got, hops))
        fails += 1
# The scenario must exercise both, or the comparison proves nothing.
if not (seen_callers and seen_printed):
    print("FAIL: no event with callers or with output before it")
    fails += 1
print("json-flow: %d steps compared with CPython, %d failed" % (len(ys), fails))
sys.exit(1 if fails else 0)
PY
