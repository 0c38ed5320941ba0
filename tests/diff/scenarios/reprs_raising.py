# A local whose repr raises, and one whose repr is not a str.
class Bad:
    def __repr__(self):
        raise ValueError('no repr for you')

class NotStr:
    def __repr__(self):
        return 42

def holder():
    bad = Bad()
    odd = NotStr()
    fine = 'fine'
    yield 'ready'
#>>> h = holder()
#>>> next(h)
