# Class 3: a generator raised KeyError, the function around it LookupError.
def gen():
    yield 1
    raise KeyError('k')

def caller(g):
    try:
        next(g)
    except KeyError:
        raise LookupError('wrapped')
#>>> g = gen()
#>>> next(g)
#>>> caller(g)
