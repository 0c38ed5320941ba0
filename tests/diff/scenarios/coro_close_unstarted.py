# A coroutine closed before it started: no warning, no body.
async def job():
    print('running')
#>>> c = job()
#>>> c.close()
#>>> c
