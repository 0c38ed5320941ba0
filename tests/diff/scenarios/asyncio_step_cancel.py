# Cancelling a task between steps of its loop: nothing runs at cancel();
# its next resumption raises CancelledError at its await, inside an
# async generator it iterates; a cancelled timer is skipped.
import asyncio

async def ticks():
    try:
        while True:
            await asyncio.sleep(1)
            yield asyncio.get_running_loop().time()
    finally:
        print("ticks: finally")

async def listen():
    try:
        async for at in ticks():
            print("tick at", at)
    except asyncio.CancelledError:
        print("listen: cancelled")
        raise

loop = asyncio.new_event_loop()
task = loop.create_task(listen(), name="listen")
late = loop.call_later(0.5, print, "never")
#>>> loop.run_until_resumes(task)
#>>> late.cancel()
#>>> loop.run_until_resumes(task)
#>>> task.cancel()
#>>> loop.run_one()
#>>> task.cancelled()
#>>> loop.close()
