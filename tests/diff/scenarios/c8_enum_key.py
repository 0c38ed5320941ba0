# Class 8: a str-subclass Enum key: the label must evaluate to the generator.
import enum

class Color(str, enum.Enum):
    RED = 'red'

def g():
    yield 1
#>>> d = {Color.RED: g()}
#>>> next(d[Color.RED])
