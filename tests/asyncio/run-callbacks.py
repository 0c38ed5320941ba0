import asyncio

async def worker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
    return name

async def sleeper():
    await asyncio.sleep(10)
    print("slept")
    return "late"

async def main():
    r = await asyncio.gather(worker("a", 2), worker("b", 2), sleeper())
    print(r)

asyncio.run(main())
