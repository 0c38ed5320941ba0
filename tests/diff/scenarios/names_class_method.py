# A method's generator: qualname Class.method; a nested function's.
class Reader:
    def lines(self):
        yield 'one'

    @staticmethod
    def static():
        yield 's'

def factory():
    def inner():
        yield 'in'
    return inner()
#>>> r = Reader().lines()
#>>> s = Reader.static()
#>>> i = factory()
#>>> ge = (x * 2 for x in range(3))
#>>> next(r); next(s); next(i); next(ge)
