# Class 1: a generator that drops its only reference to a helper.
class Noisy:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print('freed', self.name)
    def __repr__(self):
        return 'Noisy(%r)' % self.name

def holder():
    x = Noisy('a')
    yield 1
    x = Noisy('b')
    yield 2
    x = None
    yield 3
#>>> h = holder()
#>>> next(h)
#>>> next(h)
#>>> next(h)
#>>> h = None
