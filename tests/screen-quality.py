#!/usr/bin/env python3
"""Measure what a screen-test run hides from the learner.

Reads the output of `yieldscope --screen-test` for a script that dumps
the screen with its attributes after each Space, and the lesson's
`--play --json` transcript (the cards after each step: the screen titled
"step N" shows the heap after step N-1). For every distinct screen it
counts:

  code   rows of the Source pane whose code is cut (a "…" in the row:
         the lessons' code holds none, so any is the program's cut)
  console  rows of the Console that end in "…" (a result cut short)
  lesson   screens whose Lesson pane says "more" in its border: narration
           out of view
  hidden   code spans of the narration (attribute "i" in the Lesson pane)
           that name a card of the heap shown but not on the Heap pane

  untrue   truths of the Channel (TRUTHS below) missing from a screen of
           their step that shows the Channel
  checked  screens on which such a truth was looked for
  stale    screens whose selected card is closed while a live one is shown
  values   rows of the Channel whose hop value (after a ▼ or ▲) is cut

Prints one line "SIZE screens code console hidden lesson untrue checked stale values" of
totals, then one line per screen with a defect, for the person reading the
log.
"""
import re
import sys

ELLIPSIS = "\u2026"


def boxes(rows):
    """The panes of a screen: name -> (top, left, bottom, right)."""
    found = {}
    for y, row in enumerate(rows):
        for m in re.finditer("\u250c ([A-Za-z]+)", row):
            x = m.start()
            right = row.find("\u2510", x)
            bottom = y + 1
            while bottom < len(rows) and rows[bottom][x:x + 1] != "\u2514":
                bottom += 1
            if right > x and bottom < len(rows):
                found[m.group(1)] = (y, x, bottom, right)
    return found


def inner(rows, box):
    top, left, bottom, right = box
    return [rows[y][left + 2:right - 1] for y in range(top + 1, bottom)]


def selected_closed(lines):
    """The label of the selected card when it is CLOSED, else None."""
    for line in lines:
        m = re.match(r"\u25b8 (\S+)\s.*\sCLOSED\s*$", line)
        if m:
            return m.group(1)
    return None


def headless(lines):
    """Whether a Heap pane starts inside a card: its first row is a card's
    position or locals, whose name is scrolled off (they would read as
    the card above's)."""
    return bool(lines) and re.match(r" {4}(\S+\(\) line \d+|[A-Za-z_]\w*=)", lines[0]) is not None


def card_labels(lines):
    """Labels of the cards among lines of a Heap pane."""
    labels = []
    for line in lines:
        m = re.match(r"[\u25b8 ] (\S+)\s.*\s(SUSPENDED|CREATED|RUNNING|CLOSED)\s*$", line)
        if m:
            labels.append(m.group(1))
    return labels


def code_spans(rows, attrs, box):
    """Words of the narration set as code."""
    top, left, bottom, right = box
    words = []
    for y in range(top + 1, bottom):
        text, style = rows[y], attrs[y]
        word = ""
        for x in range(left + 2, right - 1):
            if x < len(style) and style[x] == "i" and text[x] != " ":
                word += text[x]
            elif word:
                words.append(word)
                word = ""
        if word:
            words.append(word)
    return words


def names(word, label):
    return word == label or word.startswith(label + ".") or word.startswith(label + "(")


def dumps(stream):
    """Each dump as (rows, attrs or None)."""
    lines = stream.read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"=== screen (\d+)x(\d+) ===$", lines[i])
        if not m:
            i += 1
            continue
        h = int(m.group(2))
        rows = lines[i + 1:i + 1 + h]
        i += 1 + h
        attrs = None
        if i < len(lines) and lines[i] == "--- attributes ---":
            attrs = lines[i + 1:i + 1 + h]
            i += 1 + h
        yield rows, attrs


def heaps(path):
    """The labels of the cards after each step, by step number, and those
    of the live ones (not closed)."""
    import json
    after, live = {0: []}, {0: []}
    with open(path) as f:
        for line in f:
            step = json.loads(line)
            gens = step.get("generators") or []
            after[step["step"]] = [g["label"] for g in gens]
            live[step["step"]] = [g["label"] for g in gens if not g["state"].endswith("CLOSED")]
    return after, live


def cards_of(title, after):
    m = re.search(r"step (\d+)/", title)
    if m:
        return after.get(int(m.group(1)) - 1, [])
    return after[max(after)]


# What the Channel must say on the screen after a step, wherever it is
# shown: (lesson, the title's "step N/" or "done") -> text. Each is a
# truth the engine's events hold and a simpler Channel lost (issue 15).
TRUTHS = {
    # f.throw(...): the exception passes through f to its delegate, f's
    # frame does not run; the hop caller -> f is not empty.
    ("02-four-keys", "step 15/"): "not run",
    ("09-yield-from", "step 20/"): "not run",
    # lg.send(None): the old till's return value ends the yield from,
    # though a new till has taken its place.
    ("10-grouping-with-yield-from", "step 10/"): "Totals(items=2, revenue=10)",
    # read_growing(...) ran an unnamed pieces(): listed under its
    # function, not credited to the closed card reader.
    ("03-sending-values-in", "done"): "pieces()",
    ("13-pipelines-and-pep-479", "step 21/"): "first_of_each()",
}


def truth_of(label, title):
    for (lesson, where), text in TRUTHS.items():
        if lesson == label and where in title:
            return text
    return None


def main():
    size, label, transcript = sys.argv[1], sys.argv[2], sys.argv[3]
    after, live = heaps(transcript)
    seen = set()
    screens = code = console = hidden = lesson = untrue = checked = stale = values = tails = 0
    for rows, attrs in dumps(sys.stdin):
        key = "\n".join(rows[:-1])
        if key in seen:
            continue
        seen.add(key)
        screens += 1
        b = boxes(rows)
        title = rows[0]
        bad = []
        if "Source" in b:
            n = sum(ELLIPSIS in r for r in inner(rows, b["Source"]))
            code += n
            if n:
                bad.append("%d cut code" % n)
        if "Console" in b:
            n = sum(r.rstrip().endswith(ELLIPSIS) for r in inner(rows, b["Console"]))
            console += n
            if n:
                bad.append("%d cut console" % n)
        if "Lesson" in b:
            top, left, bottom, right = b["Lesson"]
            if " more " in rows[top][left:right] or " more " in rows[bottom][left:right]:
                lesson += 1
                bad.append("narration cut")
        # A prompt is drawn over the bottom rows, the Heap's among them
        # (its key bar says "Esc cancel"): such a screen is not measured
        # for cards.
        prompt = "Esc cancel" in rows[-1]
        if "Lesson" in b and "Heap" in b and not prompt:
            shown = set(card_labels(inner(rows, b["Heap"])))
            every = cards_of(title, after)
            words = code_spans(rows, attrs, b["Lesson"])
            for lab in every:
                if lab not in shown and any(names(w, lab) for w in words):
                    hidden += 1
                    bad.append("card %s hidden" % lab)
        if "Heap" in b and not prompt:
            closed = selected_closed(inner(rows, b["Heap"]))
            if closed and cards_of(title, live):
                stale += 1
                bad.append("selection on closed %s" % closed)
        if "Heap" in b and not prompt and headless(inner(rows, b["Heap"])):
            tails += 1
            bad.append("Heap starts inside a card")
        if "Channel" in b and not prompt:
            n = sum(("\u25b2" in r or "\u25bc" in r) and r.rstrip().endswith(ELLIPSIS)
                    for r in inner(rows, b["Channel"]))
            values += n
            if n:
                bad.append("%d cut Channel values" % n)
        truth = truth_of(label, title)
        if truth and "Channel" in b and not prompt:
            checked += 1
            # A long value may be broken across rows: read them joined.
            if truth not in "".join(r.strip() for r in inner(rows, b["Channel"])):
                untrue += 1
                bad.append("Channel lacks %r" % truth)
        if bad:
            step = re.search(r"Lesson \u00b7 ([^\u00b7]*)", title)
            print("#   %s %s %s: %s" % (label, size, step.group(1).strip() if step else "?", ", ".join(bad)))
    print("%s %d %d %d %d %d %d %d %d %d %d" % (size, screens, code, console, hidden, lesson, untrue,
                                                checked, stale, values, tails))


if __name__ == "__main__":
    main()
