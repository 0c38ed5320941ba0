# Output to stderr and without a final newline.
import sys

def g():
    print('to err', file=sys.stderr)
    sys.stdout.write('no newline')
    yield 1
#>>> x = g()
#>>> next(x)
