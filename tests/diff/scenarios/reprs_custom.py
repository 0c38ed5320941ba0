# A custom repr with a newline and one with a huge length.
class Multi:
    def __repr__(self):
        return 'line one\nline two'

class Long:
    def __repr__(self):
        return 'L' * 200

def holder():
    m = Multi()
    n = Long()
    yield m
    yield n
#>>> h = holder()
#>>> next(h)
#>>> next(h)
