# A three-level chain; close() is handled in mid.
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
    except GeneratorExit as e:
        print('mid handled', repr(e))
        return 'mid closed'
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
