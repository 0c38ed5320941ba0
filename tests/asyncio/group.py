# A TaskGroup whose tasks end one a second, made in another order than
# their names sort in (tests/asyncio-waits.sh).
import asyncio

async def kid(n):
    await asyncio.sleep(n)
    return n

async def main():
    async with asyncio.TaskGroup() as g:
        for name, n in (("kid3", 1), ("kid1", 2), ("kid2", 3)):
            g.create_task(kid(n), name=name)
    print("all done")

asyncio.run(main())
