# A thread runs a generator of its own to completion.
import threading

def squares(n):
    for i in range(n):
        yield i * i

out = []

def work():
    out.extend(squares(3))
#>>> t = threading.Thread(target=work)
#>>> t.start(); t.join()
#>>> out
