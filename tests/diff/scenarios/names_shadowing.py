# A global named like a builtin, and one rebound to a new generator.
def g(n):
    yield n
#>>> next = g(1)
#>>> list = g(2)
#>>> del next
#>>> next(list)
#>>> del list
