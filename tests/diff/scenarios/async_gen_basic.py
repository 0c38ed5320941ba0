# An async generator driven by hand: asend, athrow, aclose.
async def ticker():
    try:
        n = 0
        while True:
            got = yield n
            n += 1
    except ValueError:
        yield 'caught'
    finally:
        print('ticker finally')

def drive(aw):
    try:
        aw.send(None)
    except StopIteration as e:
        return e.value
#>>> a = ticker()
#>>> drive(a.asend(None))
#>>> drive(a.asend('x'))
#>>> drive(a.athrow(ValueError))
#>>> drive(a.aclose())
#>>> a
