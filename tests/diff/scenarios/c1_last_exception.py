# Class 1: the last exception keeps its frames alive exactly as long as the
# prompt keeps it (sys.last_exc, until the next exception replaces it); nothing
# the engine holds keeps them longer.
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
#>>> 1/0
#>>> 'three'
