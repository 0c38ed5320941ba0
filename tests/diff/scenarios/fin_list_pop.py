# A generator held only by a list is finalized when popped.
def g(n):
    try:
        yield n
    finally:
        print('finalized', n)
#>>> gens = [g(i) for i in range(3)]
#>>> for x in gens: next(x)
#>>> del x
#>>> gens.pop()
#>>> gens.clear()
