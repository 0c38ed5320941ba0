# A statement that does not compile.
def g():
    yield 1
#>>> x = g(
#>>> x = g()
#>>> next(x)
