# Tasks blocked in each of asyncio's waits at once (tests/asyncio-waits.sh):
# at 0.5 on the clock the test reads what each pending task waits for.
import asyncio, socket, sys, threading

GATE = threading.Event()
VERSION = sys.version_info[:2]

def blocking():
    GATE.wait(5)

async def slow(n):
    await asyncio.sleep(n)
    return n

async def qget(q): return await q.get()
async def qput(q): await q.put(2)
async def qjoin(q): await q.join()
async def hold(l):
    async with l:
        await asyncio.sleep(5)
async def lock(l):
    async with l:
        pass
async def event(e): await e.wait()
async def sem(s):
    async with s:
        pass
async def cond(c):
    async with c:
        await c.wait()
async def notify(c):
    async with c:
        c.notify()
        await asyncio.sleep(5)      # holds the lock: cond_re waits to take it again
async def tmo():
    async with asyncio.timeout(7):
        await asyncio.sleep(9)
async def waitfor():
    await asyncio.wait_for(slow(10), 3)
async def executor():
    await asyncio.get_running_loop().run_in_executor(None, blocking)
async def thread():
    await asyncio.to_thread(blocking)
async def recv(a):
    return await asyncio.get_running_loop().sock_recv(a, 10)
async def shield(t):
    await asyncio.shield(t)
async def ascomp():
    for f in asyncio.as_completed([slow(2), slow(3)]):
        await f
async def group(names):
    async with asyncio.TaskGroup() as g:
        for _ in range(10):
            names.append(g.create_task(slow(2)).get_name())
async def wait(ts):
    await asyncio.wait(ts, timeout=6, return_when=asyncio.FIRST_COMPLETED)
async def party(b):
    async with b:
        pass
async def stream(sock):
    reader, writer = await asyncio.open_connection(sock=sock)
    try:
        await reader.readline()
    finally:
        writer.close()
async def child(procs):
    procs.append(await asyncio.create_subprocess_exec("/bin/sleep", "30"))
    await procs[-1].wait()

async def main():
    q, full, unjoined = asyncio.Queue(), asyncio.Queue(1), asyncio.Queue()
    full.put_nowait(1)
    unjoined.put_nowait(1)
    l, e, s = asyncio.Lock(), asyncio.Event(), asyncio.Semaphore(0)
    c, cc = asyncio.Condition(), asyncio.Condition()
    a, b = socket.socketpair()
    a.setblocking(False)
    c1, c2 = socket.socketpair()
    b3, procs = asyncio.Barrier(3), []
    names = []
    shielded = asyncio.create_task(slow(4), name="shielded")
    w = [asyncio.create_task(slow(n), name="w%d" % n) for n in (2, 1)]
    ts = [asyncio.create_task(co, name=n) for n, co in [
        ("qget", qget(q)), ("qput", qput(full)), ("qjoin", qjoin(unjoined)),
        ("hold", hold(l)), ("lock", lock(l)), ("event", event(e)),
        ("sem", sem(s)), ("cond", cond(c)), ("cond_re", cond(cc)),
        ("tmo", tmo()), ("waitfor", waitfor()), ("executor", executor()),
        ("thread", thread()), ("recv", recv(a)), ("shield", shield(shielded)),
        ("ascomp", ascomp()), ("group", group(names)), ("wait", wait(w)),
        ("party", party(b3)), ("stream", stream(c1)), ("child", child(procs))]]
    await asyncio.sleep(0.25)
    notifier = asyncio.create_task(notify(cc), name="notify")
    await asyncio.sleep(0.25)
    print("version", *VERSION)
    print("group", *names)
    await asyncio.sleep(0.1)
    GATE.set()
    for p in procs:
        p.kill()
    for t in ts + w + [shielded, notifier]:
        t.cancel()
    await asyncio.gather(*ts, *w, shielded, notifier, return_exceptions=True)
    for sock in a, b, c1, c2:
        sock.close()

asyncio.run(main())
