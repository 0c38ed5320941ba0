#!/bin/sh
# Every option of the parser (src/main.c's long_options) is in --help, in
# the manual page and in the bash completion; every option --help lists
# is one the parser takes; every key of the help screen (the one table of
# actions, tui_keys.c) is in --help, with the same words.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8

sed -n '/long_options\[\] = {/,/^};/s/^[[:space:]]*{ "\([a-z-]*\)".*/\1/p' \
	"$srcdir/src/main.c" | sort -u >"$tmp/parser"
n=$(wc -l <"$tmp/parser")
if [ "$n" -ge 15 ]; then ok; else bad "only $n options read from main.c"; fi
"$YS" --help >"$tmp/help"
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$srcdir/doc/yieldscope.1" >"$tmp/man"
while read -r opt; do
	grep -q -- "--$opt\b" "$tmp/help" && ok || bad "--help does not list --$opt"
	grep -q -- "--$opt\b" "$tmp/man" && ok || bad "the man page does not document --$opt"
	grep -q -- "--$opt\b" "$srcdir/completions/yieldscope" && ok ||
		bad "bash completion does not offer --$opt"
done <"$tmp/parser"
# The other way: what --help offers, the parser takes.
grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u >"$tmp/offered"
while read -r opt; do
	"$YS" "$opt" </dev/null >/dev/null 2>"$tmp/err"
	if grep -q "unrecognized option\|invalid option" "$tmp/err"; then
		bad "--help offers $opt, which the parser refuses"; else ok; fi
done <"$tmp/offered"

# The keys: the help screen is drawn from the table; each of its rows is
# a line of --help.
printf 'key ?\ndump\n' >"$tmp/keys"
"$YS" --screen-test="$tmp/keys" --size=120x50 "$srcdir/lessons/02-four-keys.md" >"$tmp/screen"
py=$(sed -n 's/^PYTHON3 = //p' "$(dirname "$YS")/../Makefile")
"$py" - "$tmp/screen" >"$tmp/rows" <<'PY'
import sys
# The box titled Keys: 18 columns of keys, then the row's words; its last
# line of text is the footer, not a row.
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
top = next(i for i, l in enumerate(lines) if "\u250c Keys" in l)
x = lines[top].index("\u250c Keys")
rows = []
for l in lines[top + 1:]:
    cell = l[x:x + 72]
    if cell.startswith("\u2514"):
        break
    rows.append(cell[2 + 18:-1].strip())
rows = [r for r in rows if r][:-1]
print("\n".join(rows))
PY
rows=$(wc -l <"$tmp/rows")
if [ "$rows" -ge 15 ]; then ok; else bad "only $rows rows read from the help screen"; cat "$tmp/screen"; fi
while read -r row; do
	grep -qF -- "$row" "$tmp/help" && ok || bad "--help lacks the key row \"$row\""
done <"$tmp/rows"

# The bash completion at work (bash-completion's helpers): options, lesson
# files, notebooks after --import.
bc=/usr/share/bash-completion/bash_completion
if [ -f "$bc" ] && command -v bash >/dev/null; then
	mkdir "$tmp/files" && touch "$tmp/files/a.md" "$tmp/files/b.py" "$tmp/files/c.txt" \
		"$tmp/files/n.ipynb"
	complete_() { # WORDS...: what completing the last word offers
		(cd "$tmp/files" && bash -c '
			. "$0"; . "$1"; shift
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			_yieldscope yieldscope "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
			printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
			"$bc" "$srcdir/completions/yieldscope" "$@")
	}
	got=$(complete_ yieldscope --pl)
	[ "$got" = "--plain --play " ] && ok || bad "completing --pl offers '$got'"
	got=$(complete_ yieldscope "")
	[ "$got" = "a.md b.py " ] && ok || bad "completing a lesson offers '$got'"
	got=$(complete_ yieldscope --import "")
	[ "$got" = "n.ipynb " ] && ok || bad "completing --import offers '$got'"
else
	bad "bash-completion is not installed (scripts/install-deps installs it)"
fi

echo "options: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
