"""compare.py: run scenarios through yieldscope and the reference, compare.

    python3 compare.py --ys PATH/yieldscope [--python PY] [--all] [--strict]
                       SCENARIO.py|LESSON.md...

For each scenario: `yieldscope --play --json --do=S...` (S the scenario's
'#>>> ' statements; a lesson plays its own steps), then tracer.py twice on
the same CPython, once with no hooks (output, values, exceptions,
generators) and once with --events (the hop-by-hop events).  The labels
yieldscope printed are handed to the tracer, which says which generator
each names, so generators and events are matched by identity.  Prints the
first difference of each scenario (with --all, every difference of every
step) and exits 1 when any scenario differs.

What counts as equal:
- a repr equals repr(), or is its first characters and one cut marker
  ("..." or "…") when repr() is longer than the engine's cap (80);
  a repr that raised matches text naming the same "Type: message";
- addresses (0x...) are not compared: the two processes differ there;
- an event's `how` is only compared for throw and close: next() and
  send(None) resume a frame the same way, and CPython does not tell them
  apart;
- a received value the reference could not read (null) is not compared;
- an event's locals are compared where yieldscope lists them (a step's
  first hops, json.md), each against f_locals the reference read in the
  same hook: its names in order, its reprs as above;
- a step whose note says only its first hops are listed (1,000, a
  documented summary) is compared on those hops;
- a step whose output the reference's own tracing changed (3.11: the
  settrace trampoline keeps a traced frame's deleted locals alive until
  its next event) has its events not compared, and a note says so;
- asyncio's loops keep time on a virtual clock in yieldscope (json.md,
  asyncio), a deliberate difference from CPython: the reference's loops
  keep the same virtual time (tracer.py virtual_clock), so what a lesson
  prints of loop.time() compares exactly;
- what docs/json.md says the engine does not observe is a note, not a
  difference (--strict makes it one): the value and how of a resume the
  step did not drive (both null), and the hops of other threads when the
  step's note says they are not shown.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from tracer import parse_scenario  # noqa: E402

CAP = 80
ADDR = re.compile(r"0x[0-9a-fA-F]+")


def norm(text):
    return ADDR.sub("0x…", text) if isinstance(text, str) else text


def short(value, n=120):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= n else text[:n - 1] + "…"


def repr_matches(eng, ref):
    """Whether the engine's repr text shows the reference's value."""
    if ref is None:
        return True
    if eng is None:
        return False
    if "raised" in ref:
        return norm(ref["raised"]) in norm(eng)
    full = norm(ref["repr"])
    if norm(eng) == full:
        return True
    if len(ref["repr"]) > CAP:
        for marker in ("...", "…"):
            if eng.endswith(marker) and len(eng) <= CAP + 1:
                head = norm(eng[:-len(marker)])
                # A cut inside an address leaves a shorter hex run.
                head = re.sub(r"0x…$|0x$", "", head)
                if full.startswith(head) and len(head) >= CAP // 2:
                    return True
    return False


def ref_text(ref):
    if ref is None:
        return None
    return ref.get("repr", "raised " + str(ref.get("raised")))


class Scenario:
    def __init__(self, path, ys, python):
        self.path = path
        self.ys = ys
        self.python = python
        self.dir = os.path.dirname(os.path.abspath(path))
        self.name = os.path.basename(path)
        # A lesson plays its own steps; a .py file gets its '#>>> ' lines.
        self.statements = [] if path.endswith(".md") else parse_scenario(path)

    def run_engine(self):
        cmd = [self.ys, "--play", "--json"] + ["--do=" + s for s in self.statements] + \
            [self.name]
        p = subprocess.run(cmd, cwd=self.dir, capture_output=True, text=True,
                           timeout=120, errors="replace")
        steps = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
        return steps, p.returncode, p.stderr

    def run_reference(self, labels, events):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            for step in labels:
                f.write(json.dumps(step) + "\n")
            name = f.name
        try:
            cmd = [self.python, os.path.join(HERE, "tracer.py"), "--labels", name] + \
                (["--events"] if events else []) + [self.name]
            p = subprocess.run(cmd, cwd=self.dir, capture_output=True, text=True,
                               timeout=120)
        finally:
            os.unlink(name)
        if p.returncode != 0:
            raise RuntimeError("tracer failed (%d): %s" % (p.returncode, p.stderr[-2000:]))
        return [json.loads(line) for line in p.stdout.splitlines()]


def labels_of(step):
    out = []
    for g in step.get("generators", []):
        out.append(g["label"])
        if g.get("delegate"):
            out.append(g["delegate"])
    for e in step.get("events", []):
        if e.get("label"):
            out.append(e["label"])
    return sorted(set(out))


# The differences that cannot go, each with its reason: (scenario, the
# start of the step's source, field). Reported as a note, never failed.
_COROUTINES = ("the lesson measures the process's own resident memory "
               "(/proc/self/statm) while a step makes 100,000 coroutines; "
               "yieldscope's records of that step's first 1,000 hops are in it, "
               "a fixed ~450 KB (measured: the same for 100,000 and 200,000 "
               "coroutines), a few bytes more per coroutine")
_THREADS = ("the lesson measures the resident memory 200 threads take, which "
            "is not the same from one run of the same program to the next "
            "(13,517 and 13,537 bytes a thread in two runs of yieldscope)")
KNOWN = {
    ("14-async-await-by-hand.md", 'print(f"one waiting coroutine:', "output"): _COROUTINES,
    ("14-async-await-by-hand.md", 'print(f"100,000 coroutines:', "output"): _COROUTINES,
    ("14-async-await-by-hand.md", 'print(f"one waiting thread:', "output"): _THREADS,
    ("14-async-await-by-hand.md", 'print(f"100,000 threads:', "output"): _THREADS,
}


def known(name, step, field):
    """Why field of step cannot equal CPython's (KNOWN), or None."""
    for (scenario, source, what), why in KNOWN.items():
        if scenario == name and what == field and step.get("source", "").startswith(source):
            return why
    return None


def compare_callbacks(eng, plain):
    """A Python program's statement that ran an event loop, callback by
    callback (json.md, "Callback by callback"): for each callback, the task
    it resumes (none for a callback that is no task's step or wake-up), the
    clock and the characters printed by then, against the reference's
    loop; the first 1,000 when the step's note says only those are kept.
    A lesson records none."""
    aio = eng.get("asyncio") or {}
    got = [(c["task"] if c["callback"] in ("Task.__step", "Task.__wakeup") else None,
            round(c["time"], 3), c["printed"]) for c in aio.get("callbacks", [])]
    want = [(task, round(when, 3), printed) for task, when, printed in plain["callbacks"]]
    if "callbacks of this step are paused at" in (eng.get("note") or ""):
        want = want[:len(got)]
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return [("callback %d (task, clock, printed)" % (i + 1), g, w)]
    if len(got) != len(want):
        return [("callbacks", len(got), len(want))]
    return []


def compare_locals(where, eng, ref):
    """The differences of a frame's locals, the engine's name -> repr
    against the reference's (name, repr) pairs: the same names in the same
    order, the engine's being the first max_locals (32), and each repr."""
    eng = list(eng.items())
    if [k for k, v in eng] != [k for k, v in ref][:len(eng)] or \
            (len(eng) < len(ref) and len(eng) < 32):
        return [("%s.locals names" % where, [k for k, v in eng], [k for k, v in ref])]
    return [("%s.locals[%r]" % (where, k), v, ref_text(rv))
            for (k, v), (rk, rv) in zip(eng, ref) if not repr_matches(v, rv)]


def compare_step(eng, plain, traced, strict=False, program=True):
    """The differences of one step, most visible first, as (field, eng, ref),
    and how many received values the engine says it did not observe.
    program: a Python program's step, which records its callbacks."""
    diffs = []
    unobserved = 0
    for field in ("output", "exception", "traceback"):
        if norm(eng.get(field)) != norm(plain[field]):
            diffs.append((field, eng.get(field), plain[field]))
    if plain["value"] is None:
        if eng.get("value") is not None:
            diffs.append(("value", eng.get("value"), None))
    elif not repr_matches(eng.get("value"), {"repr": plain["value"]}):
        diffs.append(("value", eng.get("value"), plain["value"]))

    if program:
        diffs += compare_callbacks(eng, plain)
    resolved = plain["labels"]
    ref_gens = {g["id"]: g for g in plain["generators"]}
    seen = set()
    for g in eng.get("generators", []):
        rid = resolved.get(g["label"])
        if not isinstance(rid, int):
            diffs.append(("generator label %s" % g["label"],
                          "names a %s" % g["function"], rid))
            continue
        ref = ref_gens.get(rid)
        if ref is None:
            diffs.append(("generator %s" % g["label"], "shown",
                          "not reached from the namespace"))
            continue
        if rid in seen:
            diffs.append(("generator %s" % g["label"], "shown twice", "one object"))
        seen.add(rid)
        for field in ("kind", "function", "state", "line", "lasti", "filename"):
            if g.get(field) != ref[field]:
                diffs.append(("%s.%s" % (g["label"], field), g.get(field), ref[field]))
        diffs += compare_locals(g["label"], g.get("locals", {}), ref["locals"])
        ref_del = ref["delegate"]
        eng_del = g.get("delegate")
        if isinstance(ref_del, int):
            if resolved.get(eng_del) != ref_del:
                diffs.append(("%s.delegate" % g["label"], eng_del,
                              "generator #%d (%s)" % (ref_del, ref_gens.get(ref_del, {}).get(
                                  "function", "?"))))
        elif ref_del is not None:
            # gi_yieldfrom / cr_await of a plain iterator or awaitable (a
            # list_iterator, a Future): the label must name that object.
            if resolved.get(eng_del) != ref_del:
                diffs.append(("%s.delegate" % g["label"], eng_del,
                              "a %s, not what the label names" % ref_del["type"]))
        elif eng_del is not None:
            diffs.append(("%s.delegate" % g["label"], eng_del, ref_del))
    for rid, ref in ref_gens.items():
        if rid not in seen:
            diffs.append(("generators", "missing", "%s %s (%s)" % (
                ref["kind"], ref["function"], ref["state"])))
    summary = eng.get("summary", {})
    if summary.get("total") != len(ref_gens):
        diffs.append(("summary.total", summary.get("total"), len(ref_gens)))
    states = {"created": 0, "running": 0, "suspended": 0, "closed": 0}
    for ref in ref_gens.values():
        states[ref["state"].split("_", 1)[1].lower()] += 1
    if summary.get("states") != states:
        diffs.append(("summary.states", summary.get("states"), states))

    if traced is not None:
        tres = traced["labels"]
        reach = {g["id"] for g in traced["generators"]}
        ee, re_ = eng.get("events", []), traced["events"]
        if "hops of this step are listed" in (eng.get("note") or ""):
            # A summary, documented (json.md): a step lists its first 1,000
            # hops, and says so; those are compared, exactly.
            re_ = re_[:len(ee)]
        if not strict and "other threads" in (eng.get("note") or ""):
            # Documented: the step's note says other threads' hops are not shown.
            re_ = [r for r in re_ if r["thread"] == "main"]
        for i in range(max(len(ee), len(re_))):
            if i >= len(ee):
                r = re_[i]
                diffs.append(("events[%d]" % i, "missing",
                              "%s %s depth %d value %s" % (r["function"], r["event"], r["depth"],
                                                          ref_text(r["value"]))))
                break
            e = ee[i]
            if i >= len(re_):
                diffs.append(("events[%d]" % i, "%s %s %s" % (e["function"], e["event"],
                                                              e.get("value")), "no such event"))
                break
            r = re_[i]
            where = "events[%d] (%s %s)" % (i, r["function"], r["event"])
            for field in ("function", "event", "depth", "line"):
                if e.get(field) != r[field]:
                    diffs.append(("%s.%s" % (where, field), e.get(field), r[field]))
            if "locals" in e and e.get("event") == r["event"]:
                # Only the step's first hops carry them (json.md).
                diffs += compare_locals(where, e["locals"], r["locals"])
            if e.get("event") == r["event"]:
                rv = r["value"] or {}
                carried = False
                if not strict and r["event"] == "resume" and e.get("value") is None and \
                        e.get("how") is None and r["how"] in ("next/send", "unreported"):
                    # Documented (json.md): a resume the step did not drive has
                    # no value and no how. Counted, not failed.
                    unobserved += r["value"] is not None
                    rv = None
                if rv is None:
                    pass
                elif r["event"] == "resume" and "raised" in rv:
                    # A thrown exception: its repr, its "Type: message"
                    # line, or for an empty message its type's name.
                    forms = {norm(rv["raised"]), norm(rv.get("repr"))}
                    stop = rv.get("repr", "")
                    if stop.startswith("StopIteration(") and stop.endswith(")"):
                        # 3.12+ throws a returning delegate's StopIteration
                        # into the frame that waited on it: showing the value
                        # it carries, received, is the same hop.
                        value = norm(stop[len("StopIteration("):-1] or "None")
                        forms.add(value)
                        carried = norm(e.get("value")) == value
                    if e.get("value") is None or norm(e.get("value")) not in forms | \
                            {rv["raised"].split(":")[0]}:
                        diffs.append((where + ".value", e.get("value"), rv["raised"]))
                elif r["event"] == "raise":
                    want = rv.get("raised")
                    if want is not None and norm(e.get("value")) != norm(want):
                        diffs.append((where + ".value", e.get("value"), want))
                elif not repr_matches(e.get("value"), r["value"]):
                    diffs.append((where + ".value", e.get("value"), ref_text(r["value"])))
                if r["event"] == "resume" and not carried and rv is not None:
                    if r["how"] in ("throw", "close"):
                        # A frame cannot tell close() from throw(GeneratorExit).
                        ok = ("close", "throw") if r["how"] == "close" else ("throw",)
                        if e.get("how") not in ok:
                            diffs.append((where + ".how", e.get("how"), r["how"]))
                    elif r["how"] == "next/send" and e.get("how") not in ("next", "send", None):
                        diffs.append((where + ".how", e.get("how"), "next or send"))
            if e.get("label") is not None:
                # Named before the step or after it: either may be meant.
                names = (tres.get(e["label"]), traced["labels_before"].get(e["label"]))
                if r["id"] not in names:
                    diffs.append((where + ".label", e["label"], "another generator" if any(
                        isinstance(x, int) for x in names) else names[0]))
            elif r["id"] in reach:
                diffs.append((where + ".label", None, "reachable at the step's end"))
            if diffs and diffs[-1][0].startswith("events[%d]" % i) and \
                    diffs[-1][0].endswith((".event", ".function")):
                break
    return diffs, unobserved


def check(path, ys, python, show_all, strict=False):
    sc = Scenario(path, ys, python)
    eng, rc, err = sc.run_engine()
    if not eng:
        return ["%s: yieldscope printed no steps (exit %d): %s" % (sc.name, rc, err[-500:])], []
    labels = [labels_of(s) for s in eng]
    plain = sc.run_reference(labels, events=False)
    traced = sc.run_reference(labels, events=True)
    found = []
    notes = []
    unobserved = 0
    if len(eng) != len(plain):
        found.append("%s: yieldscope ran %d steps, CPython %d" % (sc.name, len(eng), len(plain)))
    for e, p, t in zip(eng, plain, traced):
        perturbed = norm(t["output"]) != norm(p["output"])
        if t.get("perturbed") and not perturbed:
            # The same output, but some of it printed by code the
            # reference's reading of locals ran inside a hook, untraced:
            # hops of it are missing from the reference.
            perturbed = True
            notes.append("%s: step %d: the reference's reading of locals ran code that "
                         "printed, untraced: its events are not compared" % (
                             sc.name, e["step"]))
        elif perturbed:
            # 3.11's sys.settrace trampoline copies a traced frame's locals
            # into its f_locals dict at every event, which keeps a deleted
            # local alive: the traced run's finalizers run late, and its
            # hops are not CPython's. The step's events are not compared
            # (3.12+, with sys.monitoring, compares them).
            notes.append("%s: step %d: the reference's tracing changed the output "
                         "(%s, untraced %s): its events are not compared" % (
                             sc.name, e["step"], short(t["output"]), short(p["output"])))
        diffs, n = compare_step(e, p, None if perturbed else t, strict,
                                program=not path.endswith(".md"))
        unobserved += n
        for d in [d for d in diffs if known(sc.name, e, d[0])]:
            notes.append("%s: step %d: %s differs (%s vs %s), as it must: %s" % (
                sc.name, e["step"], d[0], short(d[1], 60), short(d[2], 60),
                known(sc.name, e, d[0])))
            diffs.remove(d)
        if diffs:
            field, got, want = diffs[0]
            found.append("%s: step %d `%s`: %s: yieldscope %s, CPython %s%s" % (
                sc.name, e["step"], short(e["source"], 60).strip('"'), field, short(got),
                short(want), " (+%d more)" % (len(diffs) - 1) if len(diffs) > 1 else ""))
            if not show_all:
                break
            for field, got, want in diffs[1:]:
                found.append("    step %d: %s: yieldscope %s, CPython %s" % (
                    e["step"], field, short(got), short(want)))
    if unobserved:
        notes.append("%s: %d received values yieldscope does not observe (resumes it "
                     "did not drive; CPython's frames had them)" % (sc.name, unobserved))
    return found, notes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ys", required=True)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--all", action="store_true", help="every difference of every step")
    ap.add_argument("--strict", action="store_true",
                    help="fail on the gaps json.md documents too (unobserved values, "
                    "other threads' hops)")
    ap.add_argument("scenarios", nargs="+")
    args = ap.parse_args()
    args.ys = os.path.abspath(args.ys)      # scenarios run from their own directory
    failed = 0
    for path in args.scenarios:
        try:
            found, notes = check(path, args.ys, args.python, args.all, args.strict)
        except Exception as exc:   # a scenario that breaks the harness still fails
            found = ["%s: %s: %s" % (os.path.basename(path), type(exc).__name__, exc)]
            notes = []
        for line in notes:
            print("note " + line)
        if found:
            failed += 1
            for line in found:
                print("DIFF " + line)
        else:
            print("ok   " + os.path.basename(path))
    print("%d of %d scenarios differ" % (failed, len(args.scenarios)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
