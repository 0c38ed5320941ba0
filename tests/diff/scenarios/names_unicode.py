# Unicode and keyword-like names for generators and keys.
def g():
    yield 'x'
#>>> café = g()
#>>> 变量 = g()
#>>> d = {"it's": g(), 'a"b': g(), 'new\nline': g(), '': g()}
#>>> next(café); next(d["it's"])
