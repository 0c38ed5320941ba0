# An exception raised in the generator body leaves through next().
def g():
    yield 1
    1 / 0
#>>> x = g()
#>>> next(x)
#>>> next(x)
#>>> x
