# A for loop drives a generator the engine did not drive itself.
def count(n):
    for i in range(n):
        yield i
#>>> c = count(3)
#>>> for v in c: print(v)
#>>> c
#>>> list(count(2))
