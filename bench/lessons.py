"""bench/lessons.py: run the statements of lessons in plain python3, as
yieldscope --check runs them, and print the seconds it took (interpreter
start excluded; CPU time, as bench/steps --check measures); with --each, print instead "path index ms" for every step,
as bench/steps does. The statements come from `yieldscope --play --json`, so
both run exactly the same code; they run in a fresh python3 that imports
nothing first (marshal is built in), so that modules a lesson imports cost
it what they cost yieldscope."""
import json
import marshal
import subprocess
import sys
import tempfile

CHILD = r'''
import marshal, sys, time, io
lessons = marshal.load(open(sys.argv[1], "rb"))
each = sys.argv[2] == "each"
sink = io.StringIO()
times = []
t0 = time.process_time()
for path, steps in lessons:
    ns = {"__name__": "__main__"}
    for index, (kind, line, source) in enumerate(steps):
        s0 = time.perf_counter()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = sink
        try:
            if kind == "code":
                exec(compile("\n" * (line - 1) + source, path, "exec"), ns)
            else:
                exec(compile(source + "\n", "<stdin>", "single"), ns)
        except BaseException:
            pass
        finally:
            sys.stdout, sys.stderr = saved
        times.append((path, index, (time.perf_counter() - s0) * 1e3))
total = time.process_time() - t0
if each:
    for path, index, ms in times:
        print(path, index, "%.4f" % ms)
else:
    print("%.6f" % total)
'''

args = sys.argv[1:]
each = args[0] == "--each"
if each:
    args = args[1:]
ys, python = args[0], args[1]
lessons = []
for path in args[2:]:
    out = subprocess.run([ys, "--play", "--json", path], capture_output=True,
                         text=True, check=True).stdout
    steps = [json.loads(line) for line in out.splitlines()]
    lessons.append((path, [(s["kind"], s["line"], s["source"]) for s in steps]))
with tempfile.NamedTemporaryFile(suffix=".marshal") as f:
    marshal.dump(lessons, f)
    f.flush()
    print(subprocess.run([python, "-I", "-S", "-c", CHILD, f.name,
                          "each" if each else "total"], capture_output=True,
                         text=True, check=True).stdout.strip())
