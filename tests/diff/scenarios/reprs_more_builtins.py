# Yielded values of more builtin types.
import collections, decimal, fractions, datetime

def values():
    yield collections.OrderedDict(b=1, a=2)
    yield collections.Counter('abca')
    yield decimal.Decimal('1.10')
    yield fractions.Fraction(3, 4)
    yield datetime.date(2024, 2, 29)
    yield collections.defaultdict(list, {'z': [1]})
    yield -0.0
    yield 2 ** 64
    yield '\x00\x7f\u200b'
#>>> v = values()
#>>> next(v)
#>>> next(v)
#>>> next(v)
#>>> next(v)
#>>> next(v)
#>>> next(v)
#>>> next(v)
#>>> next(v)
#>>> next(v)
