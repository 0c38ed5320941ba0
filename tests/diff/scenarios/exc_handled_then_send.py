# A generator that handled an exception, then receives a sent value:
# its saved exception state is set, the value must still be read right.
def meter():
    total = 0
    while True:
        try:
            reading = yield total
            total += reading
        except ValueError as err:
            print('skipping:', err)
#>>> m = meter()
#>>> next(m)
#>>> m.throw(ValueError('bad'))
#>>> m.send(2)
#>>> m.send(3)
