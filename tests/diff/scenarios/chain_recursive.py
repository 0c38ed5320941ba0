# A recursive generator: a yield from chain five deep, then a send.
def nest(n):
    if n == 0:
        got = yield 'bottom'
        return got
    r = yield from nest(n - 1)
    return r + 1
#>>> top = nest(4)
#>>> next(top)
#>>> top.send(100)
