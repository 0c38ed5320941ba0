# throw() into an awaiting coroutine chain, handled by the outer one.
import types

@types.coroutine
def pause():
    yield 'paused'

async def inner():
    await pause()

async def outer():
    try:
        await inner()
    except KeyError as e:
        return 'outer handled %r' % e
#>>> c = outer()
#>>> c.send(None)
#>>> c.throw(KeyError('k'))
