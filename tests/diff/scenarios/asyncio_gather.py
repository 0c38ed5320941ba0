# Two tasks interleave under asyncio.gather.
import asyncio

async def worker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
    return name

async def main():
    return await asyncio.gather(worker('a', 2), worker('b', 2))
#>>> asyncio.run(main())
