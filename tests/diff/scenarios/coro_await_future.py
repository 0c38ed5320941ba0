# A coroutine waits on a Future that a callback resolves.
import asyncio

async def waiter():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, 'resolved')
    got = await fut
    return got
#>>> asyncio.run(waiter())
