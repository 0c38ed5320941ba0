# A generator that yields in its finally during close(): RuntimeError.
def stubborn():
    try:
        yield 1
    finally:
        yield 'again'
#>>> s = stubborn()
#>>> next(s)
#>>> s.close()
#>>> s
#>>> del s
