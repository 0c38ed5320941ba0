def worker():
    try:
        yield 'w'
    finally:
        print('worker cleaned up')

def boss():
    w = worker()
    yield next(w)
    yield 'boss done'
#>>> b = boss()
#>>> next(b)
#>>> next(b)
#>>> next(b)
#>>> 1
#>>> 2
