# Class 1: a generator in a reference cycle is finalized by gc.collect().
import gc

def looper():
    try:
        yield 'spin'
    finally:
        print('looper finalized')

class Box:
    pass
#>>> b = Box()
#>>> b.me = b
#>>> b.gen = looper()
#>>> next(b.gen)
#>>> del b
#>>> n = gc.collect()
#>>> 'done'
