# PEP 479: a StopIteration raised inside a generator becomes RuntimeError.
def bad():
    yield 1
    raise StopIteration('oops')
#>>> b = bad()
#>>> next(b)
#>>> next(b)
