#!/bin/sh
# Hop-by-hop events and object lifetimes against CPython itself (issue 11,
# classes 1, 3-7 and 11). Needs YS (the program), PYTHON3 (the CPython it
# embeds) and srcdir. The checks live in fidelity/check.py, which runs each
# scenario under yieldscope --play --json and in plain CPython.
set -u
: "${YS:?}" "${PYTHON3:?}" "${srcdir:=.}"
exec "$PYTHON3" "$srcdir/tests/fidelity/check.py" "$YS"
