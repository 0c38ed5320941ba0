# throw() with a class, with an instance, and after exhaustion.
def g():
    while True:
        try:
            yield 'ok'
        except TypeError as e:
            print('caught', type(e).__name__)
#>>> x = g()
#>>> next(x)
#>>> x.throw(TypeError)
#>>> x.throw(TypeError('instance'))
#>>> x.close()
#>>> x.throw(TypeError)
