# contextlib.contextmanager runs a lesson generator under a with.
import contextlib

@contextlib.contextmanager
def managed():
    print('enter')
    try:
        yield 'resource'
    except ValueError:
        print('handled inside')
    finally:
        print('exit')
#>>> with managed() as r: print(r)
#>>> with managed(): raise ValueError('x')
