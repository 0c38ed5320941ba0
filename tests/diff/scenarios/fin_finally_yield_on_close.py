# A finally that prints when close() is called on a suspended generator.
def g():
    try:
        yield 1
        yield 2
    finally:
        print('cleanup')
#>>> x = g()
#>>> next(x)
#>>> x.close()
#>>> x.close()
#>>> next(x)
