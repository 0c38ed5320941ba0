# throw() into an async generator through its asend() awaitable, handled
# there by yielding: the coroutine running `async for` gets the value.
import types

@types.coroutine
def pause():
    yield 'paused'

async def ticks():
    try:
        await pause()
        yield 1
    except ValueError:
        yield 'handled'

async def consume():
    async for x in ticks():
        return x

async def main():
    return await consume()
#>>> c = consume()
#>>> c.send(None)
#>>> c.throw(ValueError('at the top'))
#>>> m = main()
#>>> m.send(None)
#>>> m.throw(ValueError('one level down'))
