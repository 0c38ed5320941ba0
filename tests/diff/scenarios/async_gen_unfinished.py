# An async for that breaks early: asyncio finalizes the async generator.
import asyncio

async def ticks():
    try:
        for i in range(10):
            yield i
    finally:
        print('ticks finalized')

async def main():
    async for t in ticks():
        if t == 1:
            break
    return t
#>>> asyncio.run(main())
