# A finally that raises during finalization: CPython reports it unraisable.
def g():
    try:
        yield 1
    finally:
        raise ValueError('in finally')
#>>> x = g()
#>>> next(x)
#>>> del x
#>>> 'after'
