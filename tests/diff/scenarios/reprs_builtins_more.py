# Locals of the builtin types reprs_builtins.py leaves out: views,
# iterators, methods, descriptors, code, exceptions, infinities.
import sys

class K:
    def m(self):
        pass

def holder():
    d = {'a': 1}
    keys = d.keys(); vals = d.values(); items = d.items()
    it = iter([1]); mp = map(str, [1]); zp = zip([1], [2]); en = enumerate('a')
    meth = K().m; bmeth = [].append; sm = staticmethod(len); cm = classmethod(len)
    code = holder.__code__; exc = ValueError('bad', 2); grp = ExceptionGroup('g', [KeyError(1)])
    inf = float('-inf'); tiny = 5e-324; cpl = complex(0, -0.0)
    me = sys.modules[__name__]
    yield 'ready'
#>>> h = holder()
#>>> next(h)
