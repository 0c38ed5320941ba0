# A task cancelled while it awaits: CancelledError travels into it.
import asyncio

async def sleeper():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print('cancelled')
        raise

async def main():
    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        return 'main saw cancel'
#>>> asyncio.run(main())
