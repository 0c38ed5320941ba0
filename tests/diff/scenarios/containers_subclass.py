# Container subclasses: looked into unless they redefine subscripting.
class Plain(list):
    pass

class Odd(list):
    def __getitem__(self, i):
        return 'not the item'

class Tagged(dict):
    pass

def g(n):
    yield n
#>>> p = Plain([g(1)])
#>>> o = Odd([g(2)])
#>>> t = Tagged(a=g(3))
#>>> next(p[0]); next(t['a'])
