"""bench/loop.py: the baseline for bench/run's asyncio figures: the
program bench/loop.c steps, under plain asyncio.run() in python3.

    loop.py N CALLBACKS
        N tasks, each looping on `await asyncio.sleep(0)`, run by
        asyncio.run() until CALLBACKS task steps have run in all. Prints
        "N callbacks us_per_callback".
"""
import asyncio
import sys
import time

n, total = int(sys.argv[1]), int(sys.argv[2])
left = total


async def spin():
    global left
    while left > 0:
        left -= 1
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(*(spin() for _ in range(n)))


t0 = time.perf_counter()
asyncio.run(main())
elapsed = time.perf_counter() - t0
print(n, total, "%.3f" % (elapsed / total * 1e6))
