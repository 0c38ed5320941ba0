# Threads that resume generators and coroutines by send() and by asyncio
# (a task sends into its coroutine): the step's note says their hops are
# not shown, on 3.11 (no profile function in those threads) as from 3.12.
import asyncio
import threading

def echo():
    got = None
    while True:
        got = yield got

async def job():
    await asyncio.sleep(0)
    return 'done'

e = echo()
next(e)

def in_thread(fn):
    t = threading.Thread(target=fn)
    t.start()
    t.join()
#>>> in_thread(lambda: print('sent back', e.send('ping')))
#>>> in_thread(lambda: print(asyncio.run(job())))
#>>> e.send('main')
