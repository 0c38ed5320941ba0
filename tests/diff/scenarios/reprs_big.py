# Big reprs: cut by length only, with one marker.
def big():
    long_list = list(range(100))
    long_str = 'x' * 500
    huge = 7 ** 400
    wide = {i: str(i) * 3 for i in range(40)}
    yield long_list
    yield long_str
#>>> b = big()
#>>> next(b)
#>>> next(b)
