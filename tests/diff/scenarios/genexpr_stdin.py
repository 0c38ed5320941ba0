# A generator expression typed at the prompt: filename <stdin>.
#>>> squares = (n * n for n in range(4))
#>>> next(squares)
#>>> sum(squares)
