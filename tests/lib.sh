# tests/lib.sh: what the shell tests share, sourced by each as
#   . "$(dirname "$0")/lib.sh"
# so that it is found beside the script whether make check runs it (with
# YS and srcdir in the environment) or someone runs it by hand. It needs
# YS (the program under test), defaults srcdir to ".", makes a scratch
# folder $tmp removed on exit, and counts results: ok for a check that
# held, bad WORDS for one that did not (said on stdout).
set -u
: "${YS:?}" "${srcdir:=.}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
