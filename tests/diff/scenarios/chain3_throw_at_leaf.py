# A three-level chain; throw() is handled in leaf.
def leaf():
    try:
        r = yield 'leaf ready'
    except ValueError as e:
        print('leaf handled', repr(e))
        yield 'leaf recovered'
    finally:
        print('leaf finally')

def mid():
    try:
        r = yield from leaf()
        print('mid got', r)
        yield 'mid after'
    finally:
        print('mid finally')

def top():
    try:
        r = yield from mid()
        print('top got', r)
        yield 'top after'
    finally:
        print('top finally')

#>>> t = top()
#>>> next(t)
#>>> t.throw(ValueError("x"))
#>>> t
