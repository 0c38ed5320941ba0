# A chained exception: the traceback shows both, with their frames.
def g():
    try:
        yield 1
        {}['missing']
    except KeyError as e:
        raise RuntimeError('wrapped') from e
#>>> x = g()
#>>> next(x)
#>>> next(x)
