# A generator that advances itself: ValueError, generator already executing.
def selfish():
    yield next(me)
#>>> me = selfish()
#>>> next(me)
#>>> me
