# Generators under every top-level container: list, tuple, deque, dict.
import collections

def g(tag):
    yield tag
#>>> lst = [g('l0'), g('l1')]
#>>> tup = (g('t0'),)
#>>> dq = collections.deque([g('d0')])
#>>> dct = {'a': g('a'), 7: g('seven'), -1: g('neg')}
#>>> next(lst[1]); next(tup[0]); next(dq[0]); next(dct[7])
#>>> lst.reverse()
