# A generator two containers deep, and one in a set.
def g():
    yield 1
#>>> nest = {'inner': [g()]}
#>>> st = {g()}
#>>> obj = type('O', (), {})()
#>>> obj.attr = g()
