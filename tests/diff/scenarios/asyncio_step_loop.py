# Stepping a loop one callback at a time: a timer is one callback and the
# task it wakes is the next; call_soon callbacks and call_later timers
# interleave with the tasks in asyncio's order; a done task and an empty
# loop raise.
import asyncio

async def worker(name, pause):
    for n in range(2):
        print(name, "round", n, "at", asyncio.get_running_loop().time())
        await asyncio.sleep(pause)
    return name

loop = asyncio.new_event_loop()
a = loop.create_task(worker("a", 1), name="a")
b = loop.create_task(worker("b", 0.5), name="b")
h = loop.call_soon(print, "plain callback")
t = loop.call_later(0.25, print, "timer at 0.25")
#>>> loop.run_one()
#>>> loop.run_one()
#>>> loop.run_one()
#>>> loop.run_one()
#>>> loop.run_one()
#>>> loop.run_until_resumes(a)
#>>> loop.time()
#>>> loop.run_until_resumes(b)
#>>> b.done(), b.result()
#>>> loop.run_until_resumes(b)
#>>> loop.run_until_resumes(a)
#>>> a.result()
#>>> loop.run_one()
#>>> loop.run_until_resumes(h)
#>>> loop.close()
