"""bench/lessons.py: run the statements of lessons in plain python3, as
yieldscope --check runs them, and print the seconds it took (interpreter
start excluded). The statements come from `yieldscope --play --json`, so
both run exactly the same code."""
import io
import json
import subprocess
import sys
import time

ys = sys.argv[1]
total = 0.0
for path in sys.argv[2:]:
    out = subprocess.run([ys, "--play", "--json", path], capture_output=True,
                         text=True, check=True).stdout
    steps = [json.loads(line) for line in out.splitlines()]
    ns = {"__name__": "__main__"}
    sink = io.StringIO()
    t0 = time.perf_counter()
    for step in steps:
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = sink
        try:
            if step["kind"] == "code":
                src = "\n" * (step["line"] - 1) + step["source"]
                exec(compile(src, path, "exec"), ns)
            else:
                exec(compile(step["source"] + "\n", "<stdin>", "single"), ns)
        except BaseException:
            pass
        finally:
            sys.stdout, sys.stderr = saved
    total += time.perf_counter() - t0
print("%.6f" % total)
