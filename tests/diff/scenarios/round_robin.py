# A scheduler round-robins three generators from a deque.
import collections

def task(name, n):
    for i in range(n):
        yield '%s%d' % (name, i)

def run(q):
    while q:
        t = q.popleft()
        try:
            print(next(t))
            q.append(t)
        except StopIteration:
            pass
#>>> q = collections.deque([task('a', 2), task('b', 1), task('c', 2)])
#>>> run(q)
