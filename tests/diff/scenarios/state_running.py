# A generator that looks at itself while it runs.
import inspect

def selfish():
    yield inspect.getgeneratorstate(me)
    yield me.gi_running
#>>> me = selfish()
#>>> next(me)
#>>> next(me)
#>>> next(me, 'end')
