# A three-level chain; close() is handled in top.
def leaf():
    try:
        r = yield 'leaf ready'
        print('leaf got', r)
        yield 'leaf after'
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
    except GeneratorExit as e:
        print('top handled', repr(e))
        return 'top closed'
    finally:
        print('top finally')

#>>> t = top()
#>>> next(t)
#>>> t.close()
#>>> t
