# A generator with cell and free variables.
def outer():
    shared = ['s']
    def peek():
        return shared
    yield peek
    shared.append('t')
    yield shared
#>>> o = outer()
#>>> next(o)
#>>> next(o)
