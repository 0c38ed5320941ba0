# throw() reaching an async generator through its asend() awaitable (an
# `async for` in progress): CPython runs the async generator's frame without
# the frames of the delegators up to that awaitable on the stack; its depth
# (and that of the frames it awaits) counts them all the same. Thrown in at
# the coroutine that runs the `async for`, then one level further out.
import types

@types.coroutine
def pause():
    yield 'paused'

async def ticks():
    try:
        await pause()
        yield 1
    except ValueError:
        raise KeyError('converted')

async def consume():
    try:
        async for x in ticks():
            return x
    except KeyError:
        return 'caught'

async def main():
    return await consume()
#>>> c = consume()
#>>> c.send(None)
#>>> c.throw(ValueError('at the top'))
#>>> m = main()
#>>> m.send(None)
#>>> m.throw(ValueError('one level down'))
