# Class 7: a thread the step starts and joins advances a generator.
import threading

def counter():
    n = 0
    while True:
        n += 1
        yield n

def run(g):
    t = threading.Thread(target=lambda: print('thread saw', next(g)))
    t.start()
    t.join()
#>>> c = counter()
#>>> run(c)
#>>> next(c)
