# A coroutine kept in a global while an event loop runs it step by step.
import asyncio

async def ping():
    await asyncio.sleep(0)
    return 'pong'
#>>> loop = asyncio.new_event_loop()
#>>> c = ping()
#>>> loop.run_until_complete(c)
#>>> c
#>>> loop.close()
