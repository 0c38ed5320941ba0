# Class 2: reprs are repr(): no reordering, no nesting cut, no item cut.
def keeper():
    d = {'zeta': 1, 'alpha': 2}
    s = {3, 1, 2}
    deep = [[[[1]]]]
    eight = list(range(8))
    big = 10 ** 60
    yield d
    yield s
    yield deep
    yield eight
    yield big
#>>> k = keeper()
#>>> next(k)
#>>> next(k)
#>>> next(k)
#>>> next(k)
#>>> next(k)
