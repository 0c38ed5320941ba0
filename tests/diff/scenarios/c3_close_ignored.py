# Class 3: close(): the middle frame receives RuntimeError, not GeneratorExit.
def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 'no'

def mid():
    try:
        yield from stubborn()
    except RuntimeError as e:
        print('mid got', e)
        raise

def top():
    yield from mid()
#>>> t = top()
#>>> next(t)
#>>> t.close()
