# A generator reached only through another generator's locals.
def helper():
    yield 'help'

def owner():
    h = helper()
    first = next(h)
    yield first
    yield next(h, 'done')
#>>> o = owner()
#>>> next(o)
#>>> next(o)
