# A throw no level handles leaves all three, each finally printing.
def leaf():
    try:
        yield 1
    finally:
        print('leaf finally')

def mid():
    try:
        yield from leaf()
    finally:
        print('mid finally')

def top():
    try:
        yield from mid()
    finally:
        print('top finally')
#>>> t = top()
#>>> next(t)
#>>> t.throw(KeyError('k'))
#>>> t
