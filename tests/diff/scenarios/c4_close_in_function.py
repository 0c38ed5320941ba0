# Class 4: a chain closed by close() inside a function (not a drive the
# step names): the inner frame runs with its delegator marked running.
def inner():
    try:
        yield 1
    finally:
        print('inner finally')

def outer():
    try:
        yield from inner()
    finally:
        print('outer finally')

def shut(g):
    g.close()
    return 'shut'

def deeper():
    o = outer()
    next(o)
    yield 'ready'
    del o
    yield 'gone'
#>>> o = outer()
#>>> next(o)
#>>> shut(o)
#>>> d = deeper()
#>>> next(d)
#>>> next(d)
