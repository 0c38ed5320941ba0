"""bench/scale.py: the baseline for bench/scale.c, in plain python3.

The same program: N suspended generators, then STEPS sends round-robin,
each statement run as the interactive prompt runs it. Prints
"N STEPS median_ms worst_ms peak_kb" like bench-scale."""
import io
import sys
import time

n = int(sys.argv[1])
steps = int(sys.argv[2])
ns = {"__name__": "__main__"}
exec(compile(
    "def task(n):\n"
    "    while True:\n"
    "        n = yield n\n"
    "tasks = [task(i) for i in range(%d)]\n"
    "for t in tasks:\n"
    "    next(t)\n" % n, "<bench>", "exec"), ns)
times = []
for i in range(steps):
    code = compile("tasks[%d].send(1)" % ((i * 7919) % n), "<stdin>", "single")
    # The prompt echoes the value; yieldscope captures it, so does this.
    out, sys.stdout = sys.stdout, io.StringIO()
    t0 = time.perf_counter()
    exec(code, ns)
    times.append((time.perf_counter() - t0) * 1e3)
    sys.stdout = out
times.sort()
# VmHWM, as bench/scale.c reads it: ru_maxrss would start from the size of
# the process that started this one.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(n, steps, "%.3f" % times[steps // 2], "%.3f" % times[-1], peak)
