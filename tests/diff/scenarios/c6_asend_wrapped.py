# Class 6: asend(None).send(None) yields 0, not a wrapper object.
async def agen():
    yield 0
    yield 1
#>>> a = agen()
#>>> s = a.asend(None)
#>>> s.send(None)
