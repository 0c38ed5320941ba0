# Rebinding the only name finalizes the old generator in that step.
def g(n):
    try:
        yield n
    finally:
        print('finalized', n)
#>>> x = g(1)
#>>> next(x)
#>>> x = g(2)
#>>> next(x)
#>>> x = None
