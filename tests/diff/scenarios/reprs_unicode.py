# Wide and combining characters in reprs: the cap counts characters.
def holder():
    cjk = '漢字' * 50
    emoji = '🐍' * 45
    mixed = ['é', 'e\u0301', '\u202e', '\t']
    yield cjk
    yield emoji
#>>> h = holder()
#>>> next(h)
#>>> next(h)
