# Class 8: a global that is not an identifier, and a private-looking one.
def g():
    yield 1
#>>> globals()['my beat'] = g()
#>>> __double = g()
#>>> next(__double)
#>>> next(globals()['my beat'])
