# A three-level chain; close() is handled in leaf.
def leaf():
    try:
        r = yield 'leaf ready'
    except GeneratorExit as e:
        print('leaf handled', repr(e))
        return 'leaf closed'
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
#>>> t.close()
#>>> t
