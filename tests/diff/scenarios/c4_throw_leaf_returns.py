# Class 4: the leaf returns after a throw; mid and top run on (and print).
def leaf():
    try:
        yield 'leaf'
    except ValueError:
        return 'leaf result'

def mid():
    r = yield from leaf()
    print('mid got', r)
    yield 'mid after'

def top():
    yield from mid()
    print('top after')
#>>> t = top()
#>>> next(t)
#>>> t.throw(ValueError)
#>>> next(t)
