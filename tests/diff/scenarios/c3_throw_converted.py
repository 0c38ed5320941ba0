# Class 3: leaf turns KeyError into ValueError, mid catches ValueError.
def leaf():
    try:
        yield 'leaf'
    except KeyError:
        raise ValueError('converted')

def mid():
    try:
        yield from leaf()
    except ValueError as e:
        yield 'mid caught %s' % e

def top():
    r = yield from mid()
    yield 'top end'
#>>> t = top()
#>>> next(t)
#>>> t.throw(KeyError('x'))
