"""Three generators in a yield-from chain: top -> mid -> leaf."""


def leaf():
    got = yield "leaf ready"
    return got * 10


def mid():
    result = yield from leaf()
    yield f"mid has {result}"
    return "mid done"


def top():
    final = yield from mid()
    yield f"top has {final}"


if __name__ == "__main__":
    t = top()
    print("made", t.__name__)
