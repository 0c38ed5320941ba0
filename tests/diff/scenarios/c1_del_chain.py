# Class 1: del of a suspended chain runs every finally at once.
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
#>>> o = outer()
#>>> next(o)
#>>> del o
#>>> 'after'
