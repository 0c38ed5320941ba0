# Class 5: finalizing a never-started generator runs no body code.
def f():
    print('body')
    yield 1
#>>> g = f()
#>>> del g
#>>> h = f()
#>>> h.close()
#>>> h
