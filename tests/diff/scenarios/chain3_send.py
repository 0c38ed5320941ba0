# A send travels three levels down; the leaf's return value comes back up.
def leaf():
    got = yield 'leaf ready'
    return got * 10

def mid():
    result = yield from leaf()
    yield f'mid has {result}'

def top():
    yield from mid()
    return 'top done'
#>>> t = top()
#>>> next(t)
#>>> t.send(4)
#>>> next(t)
