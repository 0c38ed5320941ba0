# Keys every way json.md spells them: by repr, by a global bound to the
# key, by Class.attr, and by the value's place.
import enum

class Color(enum.Enum):
    RED = 1

class Opaque:
    pass

def g(tag):
    yield tag

k = Opaque()
other = Opaque()
#>>> d = {1.5: g('f'), (1, ('a', None)): g('t'), k: g('k'), Color.RED: g('e'), other: g('o')}
#>>> globals()[7] = g('seven')
#>>> next(d[k])
#>>> [next(x) for x in d.values()][1:]
