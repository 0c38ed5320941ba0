# Class 9: the never-awaited warning is printed once, for <stdin>:1.
async def job():
    return 1
#>>> job()
#>>> 'next step'
#>>> 'and another'
