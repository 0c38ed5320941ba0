# Class 1: the last exception and its traceback must not keep frames alive.
class Noisy:
    def __del__(self):
        print('noisy freed')

def boom():
    n = Noisy()
    yield 1
    raise ValueError('boom')
#>>> g = boom()
#>>> next(g)
#>>> next(g)
#>>> del g
#>>> 'one'
#>>> 'two'
