# asyncio.wait_for() timing out (tests/asyncio-waits.sh): main's task
# waits for slow() with a timeout of 3 s, and slow() sleeps 10.
import asyncio

async def slow():
    await asyncio.sleep(10)
    return 1

async def main():
    try:
        await asyncio.wait_for(slow(), 3)
    except TimeoutError:
        print("timeout")

asyncio.run(main())
