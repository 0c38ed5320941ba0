# asyncio.run of tasks that interleave, sleep, raise and are cancelled,
# callback by callback: which task each callback resumes, the clock, and
# what was printed by then.
import asyncio

async def worker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
    return name

async def sleeper(units):
    await asyncio.sleep(units)
    print("slept", units)
    return units

async def failing():
    await asyncio.sleep(1)
    raise ValueError("no")

async def main():
    late = asyncio.create_task(sleeper(50), name="late")
    r = await asyncio.gather(worker("a", 2), worker("b", 3), sleeper(10),
                             failing(), return_exceptions=True)
    late.cancel()
    print(r, await asyncio.gather(late, return_exceptions=True))
#>>> asyncio.run(main())
