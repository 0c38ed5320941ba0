# Locals of every builtin type, shown as repr() shows them.
import types

def holder():
    a = 1; b = -2.5; c = 3+4j; d = 'str\twith "quotes" and \u00e9'
    e = b'by\x00tes'; f = bytearray(b'ba'); g = [1, 'two', 3.0]; h = (1,)
    i = {'k': [1, 2]}; j = {1, 2, 3}; k = frozenset({4}); l = range(0, 10, 2)
    m = slice(1, None, -1); n = None; o = ...; p = NotImplemented; q = True
    r = int; s = len; t = types; u = memoryview(b'm'); v = 1e300 * 10
    w = float('nan'); x = object; y = property(); z = type(None)
    yield 'ready'
#>>> h = holder()
#>>> next(h)
