# yield from a list: the delegate is an iterator, not a generator.
def g():
    yield from [1, 2]
    yield 'end'
#>>> x = g()
#>>> next(x)
#>>> next(x)
#>>> next(x)
