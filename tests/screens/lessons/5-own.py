def count(n):
    for i in range(n):
        got = yield i
        print("got", got)

c = count(3)
