# Class 8: generators under True, (1, 2), None and float keys.
def g():
    yield 1
#>>> d = {True: g(), (1, 2): g(), None: g(), 1.5: g(), b'k': g()}
#>>> next(d[True])
#>>> next(d[(1, 2)])
