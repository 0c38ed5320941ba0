# Self-containing list and dict: repr shows [...] and {...}.
def holder():
    l = [1]
    l.append(l)
    d = {}
    d['self'] = d
    yield l
    yield d
#>>> h = holder()
#>>> next(h)
#>>> next(h)
