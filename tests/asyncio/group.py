# A TaskGroup whose tasks end one a second (tests/asyncio-waits.sh).
import asyncio

async def kid(n):
    await asyncio.sleep(n)
    return n

async def main():
    async with asyncio.TaskGroup() as g:
        for n in (1, 2, 3):
            g.create_task(kid(n), name="kid%d" % n)
    print("all done")

asyncio.run(main())
