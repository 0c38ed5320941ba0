# Two waits in a compact row of the Tasks view (tests/asyncio-waits.sh).
import asyncio

async def tmo():
    async with asyncio.timeout(7):
        await asyncio.sleep(9)

async def main():
    q = asyncio.Queue()
    a = asyncio.create_task(q.get(), name="qget")
    b = asyncio.create_task(tmo(), name="tmo")
    await asyncio.sleep(1)
    a.cancel(); b.cancel()

asyncio.run(main())
