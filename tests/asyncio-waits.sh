#!/bin/sh
# What a pending task waits for (issue 16): in --play --json each task's
# "waits" is a short true sentence read from asyncio's own objects on the
# CPython the engine embeds: the call the program made (Queue.get, a
# Lock, an Event, a Semaphore, a Condition, asyncio.wait, as_completed,
# to_thread, run_in_executor, loop.sock_recv, shield, a Barrier, a
# stream, a child process), the tasks a TaskGroup still waits for (named
# in the order made), a timeout's deadline (asyncio.timeout(); wait_for:
# on 3.11 the task it wraps the coroutine in, from 3.12 a timeout around
# the awaitable). The callbacks that end those waits are named (a
# partial by its function) with the task they wake, and said in words at
# a callback pause on screen; a compact row of the Tasks view shortens a
# wait without leaving half a parenthesis. Needs YS, srcdir, PYTHON3.
. "$(dirname "$0")/lib.sh"
: "${PYTHON3:?}"
# check NAME: the checker's complaints, if any, fail NAME.
check() { if [ -s "$tmp/cmp" ]; then bad "$1: $(cat "$tmp/cmp")"; else ok; fi; }

# ---- Every kind of wait at once, at 0.5 on the clock --------------------------
"$YS" --play --json "$srcdir/tests/asyncio/waits.py" >"$tmp/waits.json" 2>"$tmp/err" ||
	bad "--play --json waits.py failed: $(cat "$tmp/err")"
"$PYTHON3" - "$tmp/waits.json" >"$tmp/cmp" 2>&1 <<'EOF'
import json, re, sys
step = [json.loads(line) for line in open(sys.argv[1])][-1]
out = dict(line.split(" ", 1) for line in step["output"].splitlines())
version = tuple(map(int, out["version"].split()))
group = out["group"].split()
tasks = {}
for cb in step["asyncio"]["callbacks"]:
    tasks.update((t["name"], t) for t in cb["changed"])
    if cb["time"] >= 0.5:
        break
clock = " on the loop's clock"
want = {
    "qget": "an item from a Queue (Queue.get())",
    "qput": "room in a Queue of maxsize 1 (Queue.put())",
    "qjoin": "task_done() for each item put in a Queue (Queue.join())",
    "lock": "its turn to take a Lock (Lock.acquire())",
    "event": "an Event to be set (Event.wait())",
    "sem": "a release() of a Semaphore (Semaphore.acquire())",
    "cond": "a notify() of a Condition (Condition.wait())",
    "cond_re": "its Condition's lock, taken again after a notify() (Condition.wait())",
    "tmo": "sleep until 9.000" + clock + ", or its timeout at 7.000 (asyncio.timeout())",
    "executor": "another thread's concurrent.futures.Future (loop.run_in_executor(), asyncio.wrap_future())",
    "thread": "blocking() to return in another thread (asyncio.to_thread())",
    "recv": "data to read on a socket (loop.sock_recv())",
    "shield": "task shielded, shielded from cancel() (asyncio.shield())",
    "ascomp": "the next of asyncio.as_completed()'s awaitables to finish",
    "group": "its TaskGroup's tasks to finish: %s and 2 more (async with's end)"
             % ", ".join(group[:8]),
    "wait": "the first of w2, w1 to finish, or its timeout at 6.000" + clock + " (asyncio.wait())",
    "party": "all 3 parties of a Barrier to arrive (Barrier.wait())",
    "stream": "data from a stream (StreamReader.readline())",
    "child": "the child process to exit (Process.wait())",
}
for name, words in want.items():
    got = tasks.get(name, {}).get("waits")
    if got != words:
        print("%s waits for %r, not %r" % (name, got, words))
got = tasks["waitfor"]["waits"]
if version >= (3, 12):
    # wait_for awaits slow() itself, in a timeout.
    if got != "sleep until 10.000" + clock + ", or its timeout at 3.000 (asyncio.wait_for())":
        print("waitfor (%s) waits for %r" % (version, got))
else:
    # wait_for wraps slow() in a task, which sleeps.
    m = re.fullmatch(r"task (Task-\d+), or its timeout at 3\.000 on the loop's clock "
                     r"\(asyncio\.wait_for\(\)\)", got)
    if m is None or tasks[m.group(1)]["waits"] != "sleep until 10.000" + clock:
        print("waitfor (%s) waits for %r" % (version, got))
EOF
check "waits at 0.5 s"

# ---- wait_for() timing out, callback by callback ---------------------------------
"$YS" --play --json "$srcdir/tests/asyncio/waitfor.py" >"$tmp/wf.json" 2>"$tmp/err" ||
	bad "--play --json waitfor.py failed: $(cat "$tmp/err")"
"$PYTHON3" - "$tmp/wf.json" >"$tmp/cmp" 2>&1 <<'EOF'
import json, sys
step = [json.loads(line) for line in open(sys.argv[1])][-1]
cbs = step["asyncio"]["callbacks"]
named = [(cb["callback"], cb["task"], round(cb["time"], 3)) for cb in cbs]
waits = [t["waits"] for cb in cbs for t in cb["changed"] if t["name"] == "Task-1"]
if sys.version_info >= (3, 12):
    # The timeout's timer cancels main's task at 3 s.
    if ("Timeout._on_timeout", "Task-1", 3.0) not in named:
        print("no Timeout._on_timeout for Task-1 at 3.0: %s" % named)
else:
    # The timeout handle wakes main's task; it cancels Task-2 and waits
    # for it to end; Task-2's done callback, a partial, wakes it again.
    for cb in (("_release_waiter", "Task-1", 3.0), ("partial(_release_waiter)", "Task-1", 3.0)):
        if cb not in named:
            print("no %s in %s" % (cb, named))
    if "task Task-2 to end: wait_for cancelled it (asyncio.wait_for())" not in waits:
        print("Task-1 never waits for Task-2 to end: %s" % waits)
if step["output"] != "timeout\n":
    print("printed %r" % step["output"])
EOF
check "wait_for's callbacks"
# The callback's words on screen, at the timeout.
{
	echo 'key space'
	for n in 1 2 3 4 5 6; do printf '%s\n' "echo callback $n" dump 'key enter'; done
} >"$tmp/wf.keys"
env -u NO_COLOR LC_ALL=C.UTF-8 "$YS" --screen-test "$tmp/wf.keys" --size 160x45 \
	"$srcdir/tests/asyncio/waitfor.py" >"$tmp/wf.screen" 2>&1 ||
	bad "--screen-test of waitfor.py failed: $(cat "$tmp/wf.screen")"
if grep -qF "at 3.000 s Task-1's timeout is over: its timer" "$tmp/wf.screen"; then ok; else
	bad "no timeout words on screen: $(grep -F "at 3.000 s" "$tmp/wf.screen")"; fi
# 3.11: Task-2's done callback, partial(_release_waiter), at callback 6.
case $("$YS" --version) in
*"CPython 3.11."*)
	if grep -qF "at 3.000 s Task-1's wait_for sees its task done: _release_waiter" \
		"$tmp/wf.screen"; then ok; else
		bad "no partial(_release_waiter) words: $(grep -F "at 3.000 s" "$tmp/wf.screen")"; fi ;;
esac

# ---- A TaskGroup's tasks, one fewer as each ends -----------------------------------
"$YS" --play --json "$srcdir/tests/asyncio/group.py" >"$tmp/tg.json" 2>"$tmp/err" ||
	bad "--play --json group.py failed: $(cat "$tmp/err")"
"$PYTHON3" - "$tmp/tg.json" >"$tmp/cmp" 2>&1 <<'EOF'
import json, sys
step = [json.loads(line) for line in open(sys.argv[1])][-1]
main = None
# In the order made, not by name: kid3 first, and first to end.
left = {"kid3": "kid3, kid1, kid2", "kid1": "kid1, kid2", "kid2": "kid2"}
for cb in step["asyncio"]["callbacks"]:
    for t in cb["changed"]:
        if t["name"] == "Task-1":
            main = t["waits"]
    if cb["callback"] == "_set_result_unless_cancelled":
        # A kid's sleep ends: the ones before it are done, and its
        # TaskGroup waits for it and those after.
        want = "its TaskGroup's tasks to finish: %s (async with's end)" % left[cb["task"]]
        if main != want:
            print("at %s's timer main waits for %r, not %r" % (cb["task"], main, want))
EOF
check "a TaskGroup's tasks left"

# ---- A callback of yieldscope's own loop class, named as asyncio names it -------
# loop.call_soon queued as a callback (as the child watcher of 3.11 does
# from its thread): the method run is asyncio's BaseEventLoop.call_soon;
# the future's set_result it queues wakes the task that awaits it.
cat >"$tmp/soon.py" <<'EOF'
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_soon(loop.call_soon, done.set_result, 1)
    await done

asyncio.run(main())
EOF
"$YS" --play --json "$tmp/soon.py" >"$tmp/soon.json" 2>"$tmp/err" ||
	bad "--play --json soon.py failed: $(cat "$tmp/err")"
"$PYTHON3" - "$tmp/soon.json" >"$tmp/cmp" 2>&1 <<'EOF'
import json, sys
step = [json.loads(line) for line in open(sys.argv[1])][-1]
named = [(cb["callback"], cb["task"]) for cb in step["asyncio"]["callbacks"]]
for cb in (("BaseEventLoop.call_soon", None), ("Future.set_result", "Task-1")):
    if cb not in named:
        print("no %s in %s" % (cb, named))
EOF
check "a loop method as a callback"

# ---- Waits in a compact row -----------------------------------------------------
# At 100 columns the Heap is narrow: a wait drops its parenthesis (a call
# in it, whole) and " on the loop's clock"; the timeout's timer cancels.
printf '%s\n' 'key space' 'key enter' 'key enter' 'key enter' 'key enter' dump >"$tmp/compact.keys"
env -u NO_COLOR LC_ALL=C.UTF-8 "$YS" --screen-test "$tmp/compact.keys" --size 100x30 \
	"$srcdir/tests/asyncio/compact.py" >"$tmp/compact.screen" 2>&1 ||
	bad "--screen-test of compact.py failed: $(cat "$tmp/compact.screen")"
for want in "waits for an item from a Queue   " "waits for sleep until 9.000, or its" "7.000 cancels tmo"; do
	if grep -qF "$want" "$tmp/compact.screen"; then ok; else
		bad "no '$want' in: $(grep -F "Tasks" -A12 "$tmp/compact.screen")"; fi
done

# ---- asyncio's own callbacks, in words, callback by callback --------------------
# Every callback of waits.py's run, paused at on screen: the ones asyncio
# runs for shield(), run_in_executor(), as_completed(), a TaskGroup and
# loop.sock_recv() say what they do.
{
	echo 'key space'
	n=0
	while [ $n -lt 200 ]; do printf 'dump\nkey enter\n'; n=$((n + 1)); done
} >"$tmp/walk.keys"
env -u NO_COLOR LC_ALL=C.UTF-8 "$YS" --screen-test "$tmp/walk.keys" --size 200x50 \
	"$srcdir/tests/asyncio/waits.py" >"$tmp/walk.screen" 2>&1 ||
	bad "--screen-test of waits.py failed: $(tail -5 "$tmp/walk.screen")"
for want in "the future asyncio.shield() returned is done: _outer_done_callback lets go of" \
	"the future of a call in another thread is done: _call_check_cancel cancels" \
	"a task of asyncio.as_completed() is done: _" \
	"a socket read is done: _sock_read_done stops watching the socket" \
	"a TaskGroup's task is done: TaskGroup._on_task_done"; do
	if grep -qF "$want" "$tmp/walk.screen"; then ok; else
		bad "no '$want' among: $(grep -o 'CALLBACK [0-9/]*  at [0-9.]* s [^│]*' "$tmp/walk.screen" | sort -u -k5 | head -40)"; fi
done

echo "asyncio-waits: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
