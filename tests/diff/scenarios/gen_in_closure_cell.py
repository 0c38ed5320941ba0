# A generator kept only in a closure cell: not reached from the names.
def make():
    g = (i for i in range(3))
    def peek():
        return next(g)
    return peek
#>>> p = make()
#>>> p()
#>>> p()
