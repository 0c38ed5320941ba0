# Class 4: throw() through three levels: depth of every hop.
def leaf():
    try:
        yield 'leaf'
    except ValueError:
        yield 'leaf handled'

def mid():
    yield from leaf()

def top():
    yield from mid()
#>>> t = top()
#>>> next(t)
#>>> t.throw(ValueError('in'))
