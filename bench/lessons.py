"""bench/lessons.py: run the statements of lessons in plain python3, as
yieldscope --check runs them, and print the seconds it took (interpreter
start excluded). The statements come from `yieldscope --play --json`, so
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
sink = io.StringIO()
t0 = time.perf_counter()
for path, steps in lessons:
    ns = {"__name__": "__main__"}
    for kind, line, source in steps:
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
print("%.6f" % (time.perf_counter() - t0), file=sys.__stdout__)
'''

ys, python = sys.argv[1], sys.argv[2]
lessons = []
for path in sys.argv[3:]:
    out = subprocess.run([ys, "--play", "--json", path], capture_output=True,
                         text=True, check=True).stdout
    steps = [json.loads(line) for line in out.splitlines()]
    lessons.append((path, [(s["kind"], s["line"], s["source"]) for s in steps]))
with tempfile.NamedTemporaryFile(suffix=".marshal") as f:
    marshal.dump(lessons, f)
    f.flush()
    print(subprocess.run([python, "-I", "-S", "-c", CHILD, f.name], capture_output=True,
                         text=True, check=True).stdout.strip())
