# Class 11: a functools.wraps wrapper: the name is the code's qualname.
import functools

def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        print('calling', fn.__name__)
        yield from fn(*args)
    return wrapper

@logged
def numbers(n):
    yield from range(n)
#>>> g = numbers(2)
#>>> next(g)
#>>> next(g)
