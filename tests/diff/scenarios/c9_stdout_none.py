# Class 9: with sys.stdout = None the prompt says lost sys.stdout.
import sys
#>>> sys.stdout = None
#>>> 1 + 1
#>>> print('x')
