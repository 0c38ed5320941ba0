#!/bin/sh
# Every bundled lesson and example passes --check.
set -u
: "${YS:?}" "${srcdir:=.}"
exec "$YS" --check "$srcdir"/lessons/[0-9]*.md "$srcdir"/examples/*.md
