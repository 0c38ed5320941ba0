# A return value carried by StopIteration, caught at the prompt.
def answer():
    yield 'thinking'
    return 42
#>>> a = answer()
#>>> next(a)
#>>> try:
#...     next(a)
#... except StopIteration as stop:
#...     print('returned', stop.value)
#>>> a
