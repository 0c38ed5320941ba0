# A library generator the lesson holds: its hops (and its delegates) count.
import difflib
#>>> d = difflib.ndiff(['a'], ['b'])
#>>> next(d)
