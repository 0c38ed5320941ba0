# An async generator consumed by async for under asyncio.run.
import asyncio

async def numbers(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i

async def main():
    total = 0
    async for x in numbers(3):
        total += x
    return total
#>>> asyncio.run(main())
