"""bench/scale.py: the baselines for bench/run's scale figures, in plain
python3, each statement run as the interactive prompt runs it.

    scale.py N STEPS
        N suspended generators, then STEPS sends round-robin, as
        bench/scale.c does. Prints "N STEPS median_ms worst_ms peak_kb".
    scale.py --history LESSON STEPS STATEMENT
        The lesson file's code, then STATEMENT STEPS times, as
        `yieldscope --play LESSON --do STATEMENT ...` runs them. Prints
        "peak_kb".
"""
import io
import sys
import time


def peak_kb():
    # VmHWM, as bench/scale.c reads it: ru_maxrss would start from the size
    # of the process that started this one.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def run(ns, source):
    """One statement at the prompt: the value is echoed; yieldscope captures
    it, so does this."""
    code = compile(source, "<stdin>", "single")
    out, sys.stdout = sys.stdout, io.StringIO()
    try:
        t0 = time.perf_counter()
        exec(code, ns)
        return (time.perf_counter() - t0) * 1e3
    finally:
        sys.stdout = out


if sys.argv[1] == "--history":
    path, steps, statement = sys.argv[2], int(sys.argv[3]), sys.argv[4]
    ns = {"__name__": "__main__"}
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), ns)
    for _ in range(steps):
        run(ns, statement)
    print(peak_kb())
    sys.exit(0)

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
times = sorted(run(ns, "tasks[%d].send(1)" % ((i * 7919) % n)) for i in range(steps))
print(n, steps, "%.3f" % times[steps // 2], "%.3f" % times[-1], peak_kb())
