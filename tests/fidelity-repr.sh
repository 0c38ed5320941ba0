#!/bin/sh
# Fidelity of what the engine shows (issue 11, classes 2, 8, 9; issue 12,
# item 1): reprs are repr()'s own text, cut only by length; every label
# evaluates back to the generator it names, and the census reaches every
# name and dict key; no traceback or warning names the engine's files;
# line stepping through close() of a generator in `yield from` does not
# crash. Needs YS, srcdir, and python3 (to read the JSON).
. "$(dirname "$0")/lib.sh"

# ---- Reprs -------------------------------------------------------------------
# The oracle is repr() itself, run by the same CPython in a --do statement:
# every local of the card must be that text, or (past 80 characters) its
# first 79 followed by one "…".
cat >"$tmp/reprs.py" <<'EOF'
def holder():
    d = {'zeta': 1, 'alpha': 2}
    s = {30, 10, 20, 5}
    fs = frozenset({'b', 'a'})
    deep = [[[[1]]]]
    rec = []
    rec.append(rec)
    eight = list(range(8))
    big = 10 ** 60
    long = list(range(100))
    text = 'x' * 200
    t = (1,)
    f = 0.1
    yield 'ready'

h = holder()
next(h)
EOF
"$YS" --play --json "$tmp/reprs.py" \
	--do "import json; print(json.dumps({k: repr(v) for k, v in h.gi_frame.f_locals.items()}))" \
	--do "h.gi_frame.f_locals['d']" \
	>"$tmp/reprs.json" 2>"$tmp/err"
if python3 - "$tmp/reprs.json" <<'PY'; then ok; else bad "reprs are repr()"; fi
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
real = json.loads(steps[-2]["output"])
card = next(g for g in steps[-2]["generators"] if g["label"] == "h")
fail = False
def cut(text):
    return text if len(text) <= 80 else text[:79] + "\u2026"
for name, text in real.items():
    if card["locals"].get(name) != cut(text):
        print("local %s: card shows %r, repr() is %r" % (name, card["locals"].get(name), text))
        fail = True
# What a reader would see of the old abbreviations, said outright.
for name, want in (("d", "{'zeta': 1, 'alpha': 2}"), ("deep", "[[[[1]]]]"),
                   ("rec", "[[...]]"), ("eight", "[0, 1, 2, 3, 4, 5, 6, 7]"),
                   ("big", "1" + "0" * 60)):
    if card["locals"].get(name) != want:
        print("local %s: %r, wanted %r" % (name, card["locals"].get(name), want))
        fail = True
for name in ("long", "text"):
    shown = card["locals"].get(name, "")
    if len(shown) != 80 or not shown.endswith("\u2026") or shown.count("\u2026") != 1:
        print("local %s: %r is not cut once at 80 characters" % (name, shown))
        fail = True
if steps[-1]["value"] != "{'zeta': 1, 'alpha': 2}":
    print("echoed value: %r" % steps[-1]["value"])
    fail = True
sys.exit(1 if fail else 0)
PY

# ---- Labels and the census ---------------------------------------------------
# Generators under every kind of key and name. Each is tagged, and its id
# kept (a plain int, which keeps nothing alive), so a label can be checked
# to evaluate to that very generator.
cat >"$tmp/labels.py" <<'EOF'
import enum
import collections

class Color(str, enum.Enum):
    RED = 'red'

class Key:
    pass

ids = {}

def g(tag):
    yield tag

def made(tag):
    gen = g(tag)
    ids[tag] = id(gen)
    return gen

def top(tag):
    yield from made(tag + '.inner')

k = Key()
d = {Color.RED: made('enum'), True: made('true'), (1, 2): made('pair'),
     None: made('none'), 1.5: made('float'), b'b': made('bytes'),
     'my key': made('str'), frozenset({1}): made('frozenset'),
     float('nan'): made('nan'), k: made('instance'), (1, Key()): made('tuple-obj'),
     10 ** 70: made('bigint'), 'x' * 100: made('longkey')}
items = [made('list0'), made('list1')]
Pair = collections.namedtuple('Pair', 'left right')
pair = Pair(made('namedtuple'), 0)
dd = collections.defaultdict(list, {('a',): made('defaultdict')})
# Subscripting of its own: rev[0] is not the item stored first.
class Rev(list):
    def __getitem__(self, i):
        return list.__getitem__(self, -1 - i)
rev = Rev([g('rev0'), g('rev1')])
q = collections.deque([made('deque0')])
__double = made('double')
__dunder__ = made('dunder')
globals()['my beat'] = made('space')
globals()['if'] = made('keyword')
globals()[7] = made('intname')
globals()[Key()] = made('objname')
t = top('top')
ids['top'] = id(t)
next(t)
expected = len(ids)
EOF
"$YS" --play --json "$tmp/labels.py" >"$tmp/labels1.json" 2>"$tmp/err"
# Every label and delegate label the cards show, each evaluated in a --do
# statement of a second, identical run: it must be the generator tagged so.
python3 - "$tmp/labels1.json" "$tmp/dos" <<'PY' || bad "labels of the first run"
import ast, json, sys
step = [json.loads(line) for line in open(sys.argv[1])][-1]
with open(sys.argv[2], "w") as out:
    for gen in step["generators"]:
        out.write("%s\t%s\n" % (gen["label"], ast.literal_eval(gen["locals"]["tag"])))
PY
set --
while IFS='	' read -r label tag; do
	set -- "$@" --do "print('$tag', id($label) == ids['$tag'])"
done <"$tmp/dos"
"$YS" --play --json "$tmp/labels.py" "$@" >"$tmp/labels2.json" 2>"$tmp/err"
if python3 - "$tmp/labels1.json" "$tmp/labels2.json" <<'PY'; then ok; else bad "labels evaluate to their generators"; fi
import ast, json, sys
first = [json.loads(line) for line in open(sys.argv[1])][-1]
checks = [json.loads(line) for line in open(sys.argv[2])][1:]
fail = False
for step in checks:
    if step["exception"] or not step["output"].endswith(" True\n"):
        print("%s: %s%s" % (step["source"], step["output"], step["exception"] or ""))
        fail = True
labels = {g["label"]: g for g in first["generators"]}
delegates = [g["delegate"] for g in first["generators"] if g["delegate"]]
for label in delegates:
    if label not in labels:
        print("delegate %s has no card" % label)
        fail = True
# Every generator made has a card and is counted.
tags = sorted(ast.literal_eval(g["locals"]["tag"]) for g in first["generators"])
expected = sorted(['enum', 'true', 'pair', 'none', 'float', 'bytes', 'str',
                   'frozenset', 'nan', 'instance', 'tuple-obj', 'bigint',
                   'longkey', 'list0', 'list1', 'deque0', 'double', 'dunder',
                   'space', 'keyword', 'intname', 'objname', 'top', 'top.inner',
                   'namedtuple', 'defaultdict'])
if tags != expected:
    print("cards for %s, wanted %s" % (tags, expected))
    fail = True
if first["summary"]["total"] != len(expected):
    print("summary counts %d, wanted %d" % (first["summary"]["total"], len(expected)))
    fail = True
if any(label.startswith("rev") for label in labels):
    print("a label reads a list whose __getitem__ is its own: %s" % sorted(labels))
    fail = True
for label in ("d[Color.RED]", "d[True]", "d[(1, 2)]", "d[None]", "d[k]",
              "__double", "globals()['my beat']", "globals()['if']",
              "globals()[7]", "t.gi_yieldfrom", "pair[0]", "dd[('a',)]"):
    if label not in labels:
        print("no card labelled %s: %s" % (label, sorted(labels)))
        fail = True
sys.exit(1 if fail else 0)
PY

# ---- The engine's files never show -------------------------------------------
# What CPython's own prompt prints for the same statements (python3 -i):
# the lost stdout is CPython's RuntimeError, and the never-awaited
# coroutine warns once, for <stdin>:1, when `_` lets go of it. A failed
# __del__ is "Exception ignored in: <function ...>" up to 3.13 and
# "Exception ignored while calling deallocator <function ...>:" from 3.14.
cat >"$tmp/internals.md" <<'EOF'
# Internals

```python
def gen():
    yield 1
    yield 2
async def job():
    pass
class Loud:
    def __repr__(self):
        print('repr called')
        return 'Loud()'
def holds():
    x = Loud()
    yield x
    yield x
```

```pycon
>>> it = gen()
>>> job()
<coroutine object job at 0x...>
>>> next(it)
<stdin>:1: RuntimeWarning: coroutine 'job' was never awaited
RuntimeWarning: Enable tracemalloc to get the object allocation traceback
1
>>> x = job()
>>> del x
>>> job()
<coroutine object job at 0x...>
>>> next(it)
2
>>> import sys
>>> h = holds()
>>> v = next(h)
>>> 3
3
>>> next(h)
repr called
Loud()
>>> class Dies:
...     def __del__(self):
...         raise ValueError('bye')
>>> Dies()
<__main__.Dies object at 0x...>
>>> 5
Exception ignored ...Dies.__del__ at 0x...
...ValueError: bye
5
>>> sys.stdout.write(5)
Traceback (most recent call last):
TypeError: write() argument must be str, not int
>>> sys.stdout = None
>>> 1
Traceback (most recent call last):
RuntimeError: lost sys.stdout
```
EOF
"$YS" --play --json "$tmp/internals.md" >"$tmp/internals.json" 2>"$tmp/err"
if python3 - "$tmp/internals.json" <<'PY'; then ok; else bad "engine internals leak"; fi
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
fail = False
warning = "<stdin>:1: RuntimeWarning: coroutine 'job' was never awaited\n"
where = [s["source"] for s in steps if "never awaited" in s["output"]]
if where != ["next(it)"] or warning not in steps[3]["output"]:
    print("the warning was shown for %s: %r" % (where, steps[3]["output"]))
    fail = True
for step in steps:
    for field in ("output", "traceback", "exception", "note"):
        if "engine_helper" in (step[field] or ""):
            print("%s: %s names the engine: %s" % (step["source"], field, step[field]))
            fail = True
# --play shows what --check compares: the prompt's own output, which
# holds nothing of the reprs the engine takes for its cards and events.
for step in steps:
    if step["match"] is False:
        print("%s: printed %r, CPython prints %r" % (step["source"], step["output"], step["expected"]))
        fail = True
if steps[3]["value"] != "1":
    print("next(it) echoed %r" % steps[3]["value"])
    fail = True
echo = next(s for s in steps if s["source"] == "5")
if echo["value"] != "5":
    print("5 after a finalizer wrote to stderr echoed %r" % echo["value"])
    fail = True
last = steps[-1]
if last["traceback"] != ('Traceback (most recent call last):\n'
                         '  File "<stdin>", line 1, in <module>\n'
                         'RuntimeError: lost sys.stdout\n'):
    print("sys.stdout = None; 1: %r" % last["traceback"])
    fail = True
sys.exit(1 if fail else 0)
PY
if "$YS" --check "$tmp/internals.md" >"$tmp/out" 2>&1; then ok; else
	bad "--check of CPython's own prompt texts"; cat "$tmp/out"; fi

# ---- Line stepping, then close() of a generator in yield from ----------------
# Issue 12 item 1: on 3.11 the census read gi_yieldfrom of the running
# frame at a pause and crashed.
printf 'key l space space enter n enter space c\ndump\n' >"$tmp/close.keys"
env LC_ALL=C.UTF-8 XDG_STATE_HOME="$tmp/state" "$YS" --screen-test "$tmp/close.keys" \
	"$srcdir/lessons/09-yield-from.md" >"$tmp/close.out" 2>"$tmp/close.err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q 'LINE STEP.*resumed by close()' "$tmp/close.out"; then ok; else
	bad "line stepping into close() of lesson 09: exit $rc"
	tail -26 "$tmp/close.out"; cat "$tmp/close.err"; fi

echo "fidelity-repr: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
