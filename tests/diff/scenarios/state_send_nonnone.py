# Sending a value into a just-started generator raises TypeError.
def g():
    yield 1
#>>> x = g()
#>>> x.send(5)
#>>> x
#>>> next(x)
