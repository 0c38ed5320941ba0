#!/bin/sh
# Every bundled lesson passes --check.
set -u
: "${YS:?}" "${srcdir:=.}"
exec "$YS" --check "$srcdir"/lessons/[0-9]*.md
