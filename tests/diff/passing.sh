#!/bin/sh
# The differential test's scenarios that pass today (tests/diff/passing),
# under make check until tests/diff.sh passes in full (issue 11).
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export srcdir
set --
while read -r path; do
	case $path in ''|'#'*) continue ;; esac
	set -- "$@" "$srcdir/$path"
done < "$srcdir/tests/diff/passing"
exec "$srcdir/tests/diff.sh" "$@"
