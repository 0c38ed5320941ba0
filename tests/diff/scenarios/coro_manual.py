# Coroutines driven by hand through a types.coroutine yield.
import types

@types.coroutine
def pause(tag):
    got = yield tag
    return got

async def inner():
    v = await pause('inner paused')
    return v * 2

async def outer():
    r = await inner()
    print('outer got', r)
    return r
#>>> c = outer()
#>>> c.send(None)
#>>> c.send(21)
