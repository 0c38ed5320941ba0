# Class 7: the argument's next(src) runs inside the step too.
def source():
    yield 'a'
    yield 'b'

def sink():
    while True:
        got = yield
        print('sink got', got)
#>>> src = source()
#>>> snk = sink()
#>>> next(snk)
#>>> snk.send(next(src))
