"""tracer.py: the differential test's reference, in plain Python.

    python3 tracer.py [--events] [--labels FILE] SCENARIO.py|LESSON.md

Runs SCENARIO.py the way `yieldscope --play` runs a FILE.py with --do
statements (the file as __main__, then each statement as if typed at
Python's prompt, compiled as "<stdin>" in 'single' mode), or a lesson as
`yieldscope --play` runs it (each python block as module code at its own
lines of the lesson, each pycon statement as at the prompt), and prints one
JSON object per step: what it printed, its value and exception, every
generator, coroutine and async generator the namespace reaches after it,
and, with --events, the hop-by-hop events of the step.  It uses nothing of
yieldscope: only CPython, whose behaviour is the oracle.

Without --events nothing is hooked, so output, lifetimes and states are
exactly those of an untraced run.  With --events the events come from
sys.settrace on 3.11 (the profile hook sees neither throw() nor
exceptions) and from sys.monitoring on 3.12 and later.  The runner
compares the two runs' output to tell when tracing itself changed what
happened (on 3.11 the trace trampoline copies locals into f_locals).

--labels FILE names, one JSON list per line and step, expressions to
evaluate before and after that step (the labels yieldscope printed); each
is resolved to the reference's identity of the generator it names, so that
the comparer matches generators by identity, not by name.

Generators get identities in the order they are first seen: small integers
kept with weak references (see Identities), so the tracer holds no
generator alive.  The value a resumed frame received is read from its value
stack (Hooks.received); depth is the place in the delegation chain
(Hooks.depth).
"""

import argparse
import collections
import dis
import gc
import io
import json
import os
import sys
import threading
import traceback
import types
import weakref

GEN_TYPES = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)
GEN_FLAGS = 0x20 | 0x80 | 0x200          # CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR
KIND = {types.GeneratorType: "generator", types.CoroutineType: "coroutine",
        types.AsyncGeneratorType: "async_generator"}
PREFIX = {types.GeneratorType: "gi", types.CoroutineType: "cr",
          types.AsyncGeneratorType: "ag"}
STATE_PREFIX = {types.GeneratorType: "GEN", types.CoroutineType: "CORO",
                types.AsyncGeneratorType: "AGEN"}
YIELD_VALUE = dis.opmap["YIELD_VALUE"]
PRINT_EXPR = dis.opmap.get("PRINT_EXPR", -1)                 # 3.11
CALL_INTRINSIC_1 = dis.opmap.get("CALL_INTRINSIC_1", -1)     # 3.12+
INTRINSIC_PRINT = 1
RESUME = dis.opmap["RESUME"]
EVENTS_MAX = 1500                   # yieldscope lists 1,000 (MAX_EVENTS); the rest is margin
PEP667 = sys.version_info >= (3, 13)     # f_locals is a write-through proxy


def _version_ok(spec):
    """A lesson's `python 3.12+` / `3.11` / `3.11-3.12` against this CPython."""
    def v(text):
        major, minor = text.split(".")
        return int(major), int(minor)
    here = sys.version_info[:2]
    if spec.endswith("+"):
        return here >= v(spec[:-1])
    if "-" in spec:
        lo, hi = spec.split("-")
        return v(lo) <= here <= v(hi)
    return here == v(spec)


def parse_lesson(path):
    """The steps of a Markdown lesson, as docs/lesson-format.md says they
    run: (source, mode, filename, first line) per python block (module code
    at its own lines of the lesson) and per pycon statement ("<stdin>").
    Fences at the left margin only; a `python` directive keeps or drops
    the next python or pycon block."""
    import re
    steps = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    keep = True
    # An exercise's blocks (starting code, checks, reference solution) are
    # no steps: from its directive to its second python block.
    exercise_pythons = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.search(r"<!--\s*yieldscope:\s*python\s+(\S+)\s*-->", line)
        if m:
            keep = _version_ok(m.group(1))
        if re.search(r"<!--\s*yieldscope:\s*exercise\s", line):
            exercise_pythons = 0
        fence = re.match(r"^(`{3,}|~{3,})\s*(\w*)", line)
        if not fence:
            i += 1
            continue
        mark, info = fence.group(1), fence.group(2)
        body_start = i + 1
        j = body_start
        while j < len(lines) and not lines[j].startswith(mark[0] * len(mark)):
            j += 1
        body = lines[body_start:j]
        if exercise_pythons is not None and info in ("python", "pycon"):
            if info == "python":
                exercise_pythons += 1
                if exercise_pythons == 2:
                    exercise_pythons = None
            i = j + 1
            continue
        if info in ("python", "pycon"):
            if keep and info == "python":
                steps.append(("\n".join(body), "exec", path, body_start + 1))
            elif keep:
                prev_was_source = False
                for k, text in enumerate(body):
                    if text.startswith(">>> ") or text == ">>>":
                        steps.append([text[4:], "single", "<stdin>", body_start + k + 1])
                    elif (text.startswith("... ") or text == "...") and steps and \
                            steps[-1][1] == "single" and prev_was_source:
                        steps[-1][0] += "\n" + text[4:]
                        continue
                    prev_was_source = text.startswith(">>>")
                steps = [tuple(st) for st in steps]
            keep = True
        i = j + 1
    # Empty lines that end a statement only end it at the prompt; a bare
    # ">>> " with nothing is no step.
    out = []
    for source, mode, filename, line in steps:
        if mode == "single":
            source = source.rstrip("\n")
            if not source.strip():
                continue
        out.append((source, mode, filename, line))
    return out


def parse_scenario(path):
    """The statements of a scenario: '#>>> ' lines, '#... ' continuing them."""
    statements = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#>>> ") or line == "#>>>":
                statements.append(line[5:])
            elif (line.startswith("#... ") or line == "#...") and statements:
                statements[-1] += "\n" + line[5:]
    return statements


class Capture:
    """Where sys.stdout and sys.stderr write, as yieldscope's capture does."""

    encoding = "utf-8"

    def __init__(self):
        self.parts = []
        self.echoes = []

    def write(self, text):
        self.parts.append(str(text))
        # The prompt's displayhook writes repr(value) while the statement's
        # frame is at its PRINT_EXPR (3.11) or CALL_INTRINSIC_1 PRINT
        # (3.12+): so the echoed value is told from a print() of the same
        # text without a Python displayhook, whose frame would change who a
        # warning blames.
        try:
            f = sys._getframe(1)
        except ValueError:
            f = None
        if f is not None and f.f_code.co_filename == "<stdin>" and text != "\n":
            code = f.f_code.co_code
            op, arg = code[f.f_lasti], code[f.f_lasti + 1]
            if op == PRINT_EXPR or (op == CALL_INTRINSIC_1 and arg == INTRINSIC_PRINT):
                self.echoes.append(str(text))
        del f
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def size(self):
        """Characters written so far in the step."""
        return sum(map(len, self.parts))

    def take(self):
        """(everything written, the last value echoed or None)."""
        text = "".join(self.parts)
        echoed = self.echoes[-1] if self.echoes else None
        self.parts = []
        self.echoes = []
        return text, echoed


def exception_line(exc):
    lines = traceback.format_exception_only(type(exc), exc)
    line = lines[-1].rstrip("\n") if lines else type(exc).__name__
    return line + suggestion(exc, line)


def suggestion(exc, line):
    """The ". Did you mean: 'x'?" CPython's prompt prints after line, or "".
    The prompt prints with sys.excepthook's display, which on 3.11 is C
    and offers it where the traceback module does not."""
    if sys.version_info >= (3, 12) or not isinstance(exc, (NameError, AttributeError)):
        return ""
    saved, sys.stderr = sys.stderr, io.StringIO()
    try:
        sys.__excepthook__(type(exc), exc, exc.__traceback__)
        shown = sys.stderr.getvalue()
    finally:
        sys.stderr = saved
    at = shown.rfind(line)
    tail = shown[at + len(line):].split("\n", 1)[0] if at >= 0 else ""
    return tail if tail.startswith(". Did you mean") else ""


def prompt_traceback(exc):
    """exc's traceback as the prompt prints it: without this tracer's own
    frames (the one that runs the step, and those of the stepping methods
    its loops have, which stand for yieldscope's statements)."""
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    te.stack = traceback.StackSummary.from_list(
        [f for f in te.stack if f.filename != __file__])
    return "".join(te.format())


def with_suggestion(tb_text, exc):
    """A traceback's text with its last line as the prompt prints it."""
    line = exception_line(exc)
    head = line.partition(". Did you mean")[0]
    if line == head or line in tb_text:
        return tb_text
    at = tb_text.rfind(head)
    return tb_text[:at] + line + tb_text[at + len(head):] if at >= 0 else tb_text


def remember(exc):
    """Keep exc as CPython's prompt keeps the exception a statement raised
    (PyErr_Print): in sys.last_exc (3.12+), last_type, last_value and
    last_traceback, until the next one replaces it. Its traceback keeps its
    frames, and their locals, alive that long."""
    if sys.version_info >= (3, 12):
        sys.last_exc = exc
    sys.last_type, sys.last_value, sys.last_traceback = type(exc), exc, exc.__traceback__


def unwrap(value):
    """What an async generator yielded: CPython hands its frame's yield
    out wrapped (async_generator_wrapped_value), the one object it holds."""
    if type(value).__name__ == "async_generator_wrapped_value":
        inner = gc.get_referents(value)
        if len(inner) == 1:
            return inner[0]
    return value


def thrown(exc):
    """What a frame resumed by throw() or close() received: the exception,
    as its "Type: message" line and as its repr."""
    out = {"raised": exception_line(exc)}
    out.update(full_repr(exc))
    return out


def full_repr(obj):
    """repr(), or how it failed: yieldscope shows a failed repr as text."""
    try:
        return {"repr": repr(obj)}
    except BaseException as exc:       # a raising __repr__ is a scenario
        return {"raised": exception_line(exc)}


class Identities:
    """Small integers for generators, in the order they are first seen.

    A hook may see a generator that is being finalized: a weak reference
    made then would never be cleared (its weak references are cleared
    before the finalizer runs), so hooks only look up, and a new generator
    seen by a hook gets its number by id() until the step's census, when
    every generator still alive is reachable again."""

    def __init__(self):
        self.ids = {}            # id(gen) -> (number, weakref, code)
        self.young = {}          # id(gen) -> number, seen by a hook this step
        self.next = 1

    def peek(self, gen):
        """Its number, making no reference to it (safe in hooks)."""
        entry = self.ids.get(id(gen))
        if entry is not None:
            known = entry[1]()
            # A cleared reference at the same address and of the same code
            # is the generator being finalized now.
            if known is gen or (known is None and entry[2] is attr(gen, "code")):
                return entry[0]
        n = self.young.get(id(gen))
        if n is None:
            n = self.young[id(gen)] = self.next
            self.next += 1
        return n

    def of(self, gen):
        n = self.peek(gen)
        self.ids[id(gen)] = (n, weakref.ref(gen), attr(gen, "code"))
        return n

    def end_step(self):
        self.young.clear()
        for key in [k for k, (n, ref, c) in self.ids.items() if ref() is None]:
            del self.ids[key]

    def alive(self):
        return [g for g in (e[1]() for e in self.ids.values()) if g is not None]


def delegate_of(gen):
    return getattr(gen, "gi_yieldfrom" if isinstance(gen, types.GeneratorType)
                   else PREFIX[type(gen)] + "_await", None)


def holds(gen, obj):
    """Whether gen's frame (locals or value stack) refers to obj."""
    for ref in gc.get_referents(gen):
        if ref is obj:
            return True
    return False


def is_running(gen):
    return bool(getattr(gen, PREFIX[type(gen)] + "_running", False))


def attr(gen, name):
    return getattr(gen, PREFIX[type(gen)] + "_" + name)


def state_of(gen):
    prefix = STATE_PREFIX[type(gen)]
    if attr(gen, "running") if not isinstance(gen, types.AsyncGeneratorType) \
            else gen.ag_running:
        return prefix + "_RUNNING"
    frame = attr(gen, "frame")
    if frame is None:
        return prefix + "_CLOSED"
    if isinstance(gen, types.CoroutineType):
        import inspect
        return inspect.getcoroutinestate(gen)
    if isinstance(gen, types.AsyncGeneratorType):
        import inspect
        if hasattr(inspect, "getasyncgenstate"):
            return inspect.getasyncgenstate(gen)
        return "AGEN_CREATED" if frame.f_lasti == -1 or _at_start(frame) \
            else "AGEN_SUSPENDED"
    import inspect
    return inspect.getgeneratorstate(gen)


def _at_start(frame):
    """Whether the frame has not run past its first RESUME."""
    code = frame.f_code.co_code
    lasti = frame.f_lasti
    for i in range(0, len(code), 2):
        if code[i] == RESUME and code[i + 1] == 0:
            return lasti <= i
    return lasti < 0


def read_locals(frame):
    """(name, repr) of a frame's locals, in f_locals order.  Before 3.13
    f_locals is a dict the frame keeps, holding its values: emptied again
    at once, so that reading never keeps an object alive."""
    fl = frame.f_locals
    items = list(fl.items())
    if not PEP667 and isinstance(fl, dict):
        fl.clear()
    out = [(str(k), full_repr(v)) for k, v in items]
    del items, fl
    return out


def hop_locals(frame):
    """(name, repr) of a running frame's locals, read in a hook at a hop,
    in f_locals order. On 3.11 a hook is sys.settrace's, whose trampoline
    fills f_locals before it and writes it back into the frame after it
    (PyFrame_LocalsToFast): emptied, it would unbind every local, so it is
    left as the trampoline keeps it. On 3.12 sys.monitoring writes nothing
    back, and it is emptied as read_locals does."""
    fl = frame.f_locals
    items = list(fl.items())
    if sys.version_info >= (3, 12) and not PEP667 and isinstance(fl, dict):
        fl.clear()
    out = [(str(k), full_repr(v)) for k, v in items]
    del items, fl
    return out


def census(ns, ident):
    """Every generator the namespace reaches, as docs/json.md (Labels) says
    the census reaches them: every global name, the items of top-level
    lists, tuples, deques and dicts (any key), then breadth first the
    delegate and the frame locals of each suspended generator."""
    seen = {}
    order = []

    def add(obj):
        if isinstance(obj, GEN_TYPES) and id(obj) not in seen:
            seen[id(obj)] = obj
            order.append(obj)

    for value in list(ns.values()):
        add(value)
        # A subclass that redefines subscripting is not looked into: its
        # items are not what name[i] gives.
        for base in (list, tuple, collections.deque, dict):
            if isinstance(value, base):
                if type(value).__getitem__ is base.__getitem__:
                    for item in list(value.values() if base is dict else value):
                        add(item)
                break
    cards = []
    k = 0
    while k < len(order):
        gen = order[k]
        k += 1
        state = state_of(gen)
        frame = attr(gen, "frame")
        # Not asked of a running generator: its delegate is read from a
        # value stack that is not kept while it runs.
        delegate = delegate_of(gen) if not state.endswith("_RUNNING") else None
        card = {
            "id": ident.of(gen),
            "kind": KIND[type(gen)],
            "function": attr(gen, "code").co_qualname,
            "state": state,
            "line": frame.f_lineno if frame is not None else None,
            # f_lasti as CPython reports it, a created generator's too (the
            # instruction that made it one); none once closed.
            "lasti": frame.f_lasti if frame is not None else None,
            "locals": [],
            "delegate": None,
            "filename": attr(gen, "code").co_filename,
        }
        if delegate is not None:
            card["delegate"] = ident.of(delegate) if isinstance(delegate, GEN_TYPES) \
                else {"type": type(delegate).__name__, "object": id(delegate)}
        # An async generator whose asend() or athrow() awaitable is
        # waiting is running to inspect, but its frame is suspended (no
        # caller, f_back None) and has its locals, as a suspended one.
        paused = state.endswith("_RUNNING") and frame is not None and frame.f_back is None
        if state.endswith("_SUSPENDED") or paused:
            add(delegate)
            if frame is not None:
                card["locals"] = read_locals(frame)
                for value in list(frame.f_locals.values()):
                    add(value)
                if not PEP667 and isinstance(frame.f_locals, dict):
                    frame.f_locals.clear()
        elif frame is not None and state.endswith("_CREATED"):
            card["locals"] = read_locals(frame)
        cards.append(card)
        del frame, delegate
    return cards


def resolve(labels, ns, ident):
    out = {}
    for label in labels:
        try:
            obj = eval(label, ns)
        except BaseException as exc:
            out[label] = {"error": exception_line(exc)}
            continue
        if isinstance(obj, GEN_TYPES):
            out[label] = ident.of(obj)
        else:
            # Any other object (a delegate that is a plain iterator): what
            # it is, and which one, for the step's census to compare.
            out[label] = {"type": type(obj).__name__, "object": id(obj)}
        del obj
    return out


def _find_exc_state_offset():
    """Where a generator object keeps gi_exc_state.exc_value, found by
    looking: the one pointer-sized field that is NULL in a new generator,
    the exception itself while it is paused in an except block, and None
    (NULL on 3.13) after that block. None when no field is (then the
    received value is taken to be the last thing the traverse visits)."""
    import ctypes

    def paused_in_except():
        try:
            raise KeyError("probe")
        except KeyError:
            yield 1
        yield 2

    def at(obj, off):
        return ctypes.c_void_p.from_address(id(obj) + off).value or 0

    fresh, g = paused_in_except(), paused_in_except()
    next(g)
    exc = gc.get_referents(g)[-1]
    size = type(g).__basicsize__
    candidates = [off for off in range(16, size, ctypes.sizeof(ctypes.c_void_p))
                  if at(fresh, off) == 0 and isinstance(exc, KeyError) and
                  at(g, off) == id(exc)]
    next(g)
    candidates = [off for off in candidates if at(g, off) in (0, id(None))]
    return candidates[0] if len(candidates) == 1 else None


EXC_STATE_OFFSET = _find_exc_state_offset()


def saved_exception_set(gen):
    if EXC_STATE_OFFSET is None:
        return False
    import ctypes
    return bool(ctypes.c_void_p.from_address(id(gen) + EXC_STATE_OFFSET).value)


class Hooks:
    """The hop-by-hop events of lesson code's generator frames."""

    def __init__(self, ident, files):
        self.ident = ident
        self.files = files           # the scenario's path and "<stdin>"
        self.events = []
        self.stacks = {}             # thread id -> frames running, innermost last
        self.pending = {}            # id(frame) -> exception since its last line
        self.last_exc = {}           # id(frame) -> last exception that reached it
        self.started = {}            # id(frame) -> index of its resume, until its next event
        self.full = False            # EVENTS_MAX recorded: the hooks are off for the step
        self.thrown = set()          # id(frame) of frames resumed by an exception, not left
        self.waiting = {}            # id(frame) -> line of its yield from, its delegate returned
        self.suspended = {}          # id(frame) -> (code, line) where it last yielded, across steps
        self.busy = threading.local()
        self.thread0 = threading.get_ident()
        self.perturbed = False       # reading locals ran code that printed

    # ---- what a frame is ----------------------------------------------------

    def ours(self, code):
        """A generator frame worth following: the lesson's code, or the
        library's (whose events count only for a generator the lesson
        holds, see held_only); never this tracer's."""
        return code.co_flags & GEN_FLAGS and code.co_filename != __file__

    def lesson_code(self, code):
        return code.co_filename in self.files

    def gen_of(self, frame):
        # Not gc.get_referrers: traversing a running frame's stack is not
        # safe.  The youngest generation first: a new generator is there.
        # No weak reference is made: one to a generator being finalized
        # would outlive it.
        for generation in (0, None):
            objs = gc.get_objects(generation) if generation is not None \
                else gc.get_objects()
            for obj in objs:
                if isinstance(obj, GEN_TYPES) and attr(obj, "frame") is frame:
                    return obj
            del objs
        return None

    def depth(self, frame, gen):
        """Its place in the delegation chain, as docs/json.md defines
        depth: how many generator frames it runs for, found link by link
        going out: the generator that delegates to it, when one is marked
        running around it (close() closes a chain from the inside out with
        only the innermost frame on the stack), else the generator frame
        that called it; and then any generator frames further down the
        stack that the walk did not pass."""
        below = []
        if not self.thrown:
            # No frame resumed by an exception is running: no close() or
            # finalizer is closing a chain through delegators, and the
            # depth is the generator frames below on the stack.
            f = frame.f_back
            while f is not None:
                below.append(self.ours(f.f_code))
                f = f.f_back
            return sum(1 for b in below if b)
        f = frame.f_back
        while f is not None:
            if self.ours(f.f_code):
                below.append(id(f))
            f = f.f_back
        # Generators marked running whose frames are not executing are
        # the delegators close() is closing through. Their delegate is on
        # their value stack, which gc.get_referents reads (gi_yieldfrom
        # says None for them from 3.12, and on 3.11 crashes for a frame
        # that is executing, whose stack is not kept).
        executing = set()
        for top in sys._current_frames().values():
            while top is not None:
                executing.add(id(top))
                top = top.f_back
        by_frame = {}
        delegators = []
        for obj in gc.get_objects():
            if isinstance(obj, GEN_TYPES):
                of = attr(obj, "frame")
                if of is not None:
                    by_frame[id(of)] = obj
                    if is_running(obj) and id(of) not in executing:
                        delegators.append(obj)
                del of
        n = 0
        visited = set()
        x_gen, x_frame = gen, frame
        while True:
            parent = None
            for p in delegators:
                if x_gen is not None and id(p) not in visited and holds(p, x_gen):
                    parent = p
                    break
            if parent is not None:
                # A delegator whose frame is not on the stack: close() runs
                # a chain's frames one by one, and throw() links no frame
                # below an async generator's through its asend()/athrow()
                # awaitable.
                visited.add(id(parent))
                x_gen, x_frame = parent, attr(parent, "frame")
                visited.add(id(x_frame))
                n += 1
                continue
            f = x_frame.f_back if x_frame is not None else None
            while f is not None and not self.ours(f.f_code):
                f = f.f_back
            if f is None:
                break
            visited.add(id(f))
            x_gen, x_frame = by_frame.get(id(f)), f
            n += 1
        del by_frame, delegators, x_gen, x_frame
        return n + len([fid for fid in below if fid not in visited])

    def received(self, gen):
        """The value a resumed frame received: on top of its value stack,
        which the generator's traverse visits last but for the generator's
        saved exception (gi_exc_state.exc_value), visited after it when
        set: set inside an except block, and None once one has ended."""
        refs = gc.get_referents(gen)
        if not refs:
            return None
        return refs[-2] if saved_exception_set(gen) and len(refs) > 1 else refs[-1]

    def record(self, frame, event, value, how=None):
        gen = self.gen_of(frame)
        e = {
            "id": self.ident.peek(gen) if gen is not None else None,
            "event": event,
            "value": value,
            "depth": self.depth(frame, gen),
            "function": frame.f_code.co_qualname,
            "line": frame.f_lineno,
            "thread": "main" if threading.get_ident() == self.thread0 else "other",
            "library": not self.lesson_code(frame.f_code),
        }
        # The frame's locals at the hook, where yieldscope reads its hops'
        # (engine_hooks_locals.c): a resume's as the frame goes onto the
        # stack, a yield's, return's or raise's as it leaves.
        printed = CAPTURE[0].size()
        e["locals"] = hop_locals(frame)
        if CAPTURE[0].size() != printed:
            # Reading them ran code that printed, untraced: on 3.11 a
            # re-read of f_locals at a leave drops what the trampoline's
            # dict kept of a deleted local, and its finalizer runs inside
            # this hook; or a __repr__ printed.
            self.perturbed = True
        if event == "resume":
            e["how"] = how
        self.events.append(e)
        if len(self.events) >= EVENTS_MAX:
            # Like yieldscope, which lists a step's first 1,000 hops (the
            # comparer compares that many): no need to follow the rest of
            # a step that starts a hundred thousand coroutines.
            self.full = True
            self.uninstall()

    def resume(self, frame, how=None, exc=None):
        stack = self.stacks.setdefault(threading.get_ident(), [])
        stack.append(frame)
        if exc is not None:
            how = "close" if isinstance(exc, GeneratorExit) else "throw"
            self.thrown.add(id(frame))
            self.record(frame, "resume", thrown(exc), how)
            return
        if _at_start(frame):
            self.record(frame, "resume", {"repr": "None"}, "next/send")
            return
        gen = self.gen_of(frame)
        value = full_repr(self.received(gen)) if gen is not None else None
        del gen
        self.record(frame, "resume", value, "next/send")

    def unreported(self, frame):
        """A frame that runs though no hook saw it resumed: when a
        delegate returns during throw(), CPython resumes the delegating
        frame past its RESUME, which neither hook reports.  Its resume is
        recorded at its first sign of life, at the line of the yield from
        it waited at (noted when its delegate returned, else where it last
        yielded: 3.11 does the same when an async generator that throw()
        reached through its asend() awaitable yields); what it received
        is unknown."""
        if not self.running(frame):
            self.stacks.setdefault(threading.get_ident(), []).append(frame)
            self.record(frame, "resume", None, "unreported")
            # At the line it waited at (its yield from), where CPython
            # resumed it, not at the first line it runs after.
            waited = self.waiting.pop(id(frame), None)
            if waited is None:
                # Not a delegate's return: 3.11 continues a coroutine
                # whose async generator yielded during throw(), ending
                # the asend() awaitable between them, where it waited.
                code, waited = self.suspended.get(id(frame), (None, None))
                if code is not frame.f_code:
                    waited = None
            if waited is not None:
                self.events[-1]["line"] = waited

    def leave(self, frame, event, value):
        self.unreported(frame)
        back = frame.f_back
        if event == "return" and back is not None and self.ours(back.f_code):
            self.waiting[id(back)] = back.f_lineno
        del back
        stack = self.stacks.get(threading.get_ident(), [])
        if stack and stack[-1] is frame:
            stack.pop()
        self.pending.pop(id(frame), None)
        if event == "yield":
            self.suspended[id(frame)] = (frame.f_code, frame.f_lineno)
        else:
            self.suspended.pop(id(frame), None)
        self.record(frame, event, value)
        self.thrown.discard(id(frame))

    def running(self, frame):
        stack = self.stacks.get(threading.get_ident(), [])
        return bool(stack) and stack[-1] is frame

    # ---- 3.11: sys.settrace ---------------------------------------------------

    def trace(self, frame, what, arg):
        if self.full or not self.ours(frame.f_code):
            return None
        key = id(frame)
        started = self.started.pop(key, None)
        if what == "call":
            if frame.f_lasti < 0 or frame.f_code.co_code[frame.f_lasti] != RESUME:
                self.thrown.add(key)        # see below: throw() or close()
            self.resume(frame)
            if frame.f_lasti < 0 or frame.f_code.co_code[frame.f_lasti] != RESUME:
                # Resumed by throw() or close(): 3.11 reports the call
                # before the frame reaches a RESUME (at its yield, or where
                # a yield from loop ends); the exception event comes next.
                self.started[key] = len(self.events) - 1
        elif what == "exception":
            exc = arg[1]
            if started is not None:
                # throw() and close(): 3.11 reports a call, then at once the
                # exception the frame was resumed with.
                how = "close" if isinstance(exc, GeneratorExit) else "throw"
                self.events[started]["value"] = thrown(exc)
                self.events[started]["how"] = how
            elif not self.running(frame):
                self.resume(frame, exc=exc)
            self.pending[key] = self.last_exc[key] = exc
        elif what == "line":
            self.pending.pop(key, None)
            self.unreported(frame)
        elif what == "return":
            self.unreported(frame)
            op = frame.f_code.co_code[frame.f_lasti]
            exc = self.last_exc.pop(key, None)
            if op == YIELD_VALUE and key not in self.pending:
                self.leave(frame, "yield", full_repr(unwrap(arg)))
            elif op == dis.opmap["RETURN_VALUE"]:
                self.leave(frame, "return", full_repr(arg))
            else:
                # Leaving from any other instruction is an exception, the
                # last one that reached this frame (a finally re-raises it
                # with no new exception event).
                self.leave(frame, "raise",
                           {"raised": exception_line(exc)} if exc is not None else None)
        return self.trace

    # ---- 3.12+: sys.monitoring --------------------------------------------------

    def _guarded(self, fn, local):
        disable = sys.monitoring.DISABLE if local else None

        def callback(code, offset, *rest):
            if not self.ours(code):
                # Never ours later: other code's locations stop reporting.
                return disable
            if getattr(self.busy, "on", False) or self.full:
                return None
            self.busy.on = True
            try:
                fn(sys._getframe(1), *rest)
            finally:
                self.busy.on = False
            return None
        return callback

    def install(self, frames):
        if sys.version_info < (3, 12):
            # A frame started before tracing has no local trace function,
            # and 3.11 only reports its exceptions to that.
            for frame in frames:
                frame.f_trace = self.trace
            threading.settrace(self.trace)
            sys.settrace(self.trace)
            return
        mon = sys.monitoring
        ev = mon.events
        tool = mon.DEBUGGER_ID
        if mon.get_tool(tool) is None:
            mon.use_tool_id(tool, "diff-tracer")
            cb = {
                ev.LINE: lambda f: self.unreported(f),
                ev.PY_START: lambda f: self.resume(f),
                ev.PY_RESUME: lambda f: self.resume(f),
                ev.PY_THROW: lambda f, exc: self.resume(f, exc=exc),
                ev.PY_YIELD: lambda f, v: self.leave(f, "yield", full_repr(unwrap(v))),
                ev.PY_RETURN: lambda f, v: self.leave(f, "return", full_repr(v)),
                ev.PY_UNWIND: lambda f, exc: self.leave(
                    f, "raise", {"raised": exception_line(exc)}),
            }
            for event, fn in cb.items():
                local = event not in (ev.PY_THROW, ev.PY_UNWIND)
                mon.register_callback(tool, event, self._guarded(fn, local))
        mon.set_events(tool, ev.LINE | ev.PY_START | ev.PY_RESUME | ev.PY_THROW |
                       ev.PY_YIELD | ev.PY_RETURN | ev.PY_UNWIND)

    def uninstall(self):
        if sys.version_info < (3, 12):
            sys.settrace(None)
            threading.settrace(None)
            return
        sys.monitoring.set_events(sys.monitoring.DEBUGGER_ID, 0)

    def take(self):
        events, self.events = self.events, []
        self.stacks.clear()
        self.pending.clear()
        self.waiting.clear()
        self.thrown.clear()
        self.full = False
        self.perturbed = False
        self.last_exc.clear()
        self.started.clear()
        return events


def held_only(events, held):
    """The events of the lesson's code, and of the library's generators
    the lesson holds (reachable before or after the step: `d =
    difflib.ndiff(a, b)` and its delegates); not asyncio's own coroutines
    or a library's private helpers. Depths still count every frame."""
    out = []
    for e in events:
        if not e.pop("library") or e["id"] in held:
            out.append(e)
    return out


def suspended_frames(ident):
    """The frames of every generator seen so far that still has one."""
    frames = []
    for gen in ident.alive():
        frame = attr(gen, "frame")
        if frame is not None:
            frames.append(frame)
    return frames


# The callbacks the loops handed out in the running step (virtual_clock's
# Ready), and the step's Capture.
CALLBACKS = []
CAPTURE = [None]


def virtual_clock():
    """yieldscope's event loops keep time on a virtual clock (docs/json.md,
    asyncio): a deliberate difference from CPython, so the reference's
    loops keep the same time, by the rule json.md states: a loop with only
    timers pending (no descriptor but its own wake-up socket) does not
    wait, its clock moves on by the timeout at once; with real I/O it
    waits, and its clock moves by the time that passed. Each loop's clock
    starts at 0.0."""
    import asyncio
    import collections
    import heapq
    import selectors
    import time
    import warnings

    class Selector(selectors.DefaultSelector):
        def real_io(self):
            """Whether a descriptor other than the loop's wake-up socket
            is registered."""
            loop = self.loop()
            own = {loop._ssock.fileno(), loop._csock.fileno()} if loop else set()
            return any(k.fd not in own for k in self.get_map().values())

        def select(self, timeout=None):
            loop = self.loop()
            if timeout is not None and not self.real_io():
                loop.clock += max(timeout, 0)
                return super().select(0)
            start = time.monotonic()
            try:
                return super().select(timeout)
            finally:
                if loop:
                    loop.clock += time.monotonic() - start

    class Ready(collections.deque):
        """The ready queue, noting each callback it hands out (not
        cancelled) while a statement runs the loop (run_forever, so
        asyncio.run and run_until_complete too): the task it resumes (a
        task's step or wake-up) or None, the clock, and how many
        characters the step had printed: what yieldscope's callback
        pauses record (docs/json.md, "Callback by callback")."""
        recording = False

        def popleft(self):
            if self.recording and self and not self[0]._cancelled:
                task = getattr(self[0]._callback, "__self__", None)
                CALLBACKS.append((task.get_name() if isinstance(task, asyncio.Task)
                                  else None, self.loop.clock, CAPTURE[0].size()))
            return super().popleft()

    class Loop(asyncio.SelectorEventLoop):
        def __init__(self):
            self.clock = 0.0
            selector = Selector()
            selector.loop = weakref.ref(self)
            super().__init__(selector)
            self._ready = Ready()
            self._ready.loop = self

        def time(self):
            return self.clock

        def run_forever(self):
            self._ready.recording = True
            try:
                return super().run_forever()
            finally:
                self._ready.recording = False

        # yieldscope's stepping statements (docs/lesson-format.md,
        # "Stepping an event loop"), from the rule the docs state, on
        # asyncio's own queues: before each callback the loop polls I/O
        # and moves due timers to the ready queue, as a round of asyncio
        # does (waiting only when nothing is ready), then runs the first
        # ready callback alone.
        def run_one(self):
            self.run_callbacks(lambda handle: True)

        def run_until_resumes(self, task):
            if not isinstance(task, asyncio.Task):
                raise TypeError("run_until_resumes() needs a task, not %s"
                                % type(task).__name__)
            if task.done():
                raise ValueError("task %s is done: it will not resume"
                                 % task.get_name())
            # A task's first run and each resumption are one callback:
            # its step or its wake-up, both methods of the task.
            self.run_callbacks(
                lambda handle: getattr(handle._callback, "__self__", None) is task)

        def run_callbacks(self, last):
            """Run ready callbacks one at a time, up to and including the
            first handle for which last(handle) is true."""
            self._check_closed()
            self._check_running()
            hooks = sys.get_asyncgen_hooks()
            sys.set_asyncgen_hooks(firstiter=self._asyncgen_firstiter_hook,
                                   finalizer=self._asyncgen_finalizer_hook)
            self._thread_id = threading.get_ident()
            asyncio.events._set_running_loop(self)
            try:
                while True:
                    handle = self.next_ready()
                    if handle._cancelled:
                        continue
                    handle._run()
                    if last(handle):
                        return
            finally:
                asyncio.events._set_running_loop(None)
                self._thread_id = None
                sys.set_asyncgen_hooks(*hooks)

        def next_ready(self):
            """Take the first ready callback, after polling I/O and moving
            due timers; when nothing is ready, wait as asyncio would (for
            the earliest timer, or for I/O) until something is."""
            while True:
                while self._scheduled and self._scheduled[0]._cancelled:
                    self._timer_cancelled_count -= 1
                    heapq.heappop(self._scheduled)._scheduled = False
                if not self._ready and not self._scheduled \
                        and not self._selector.real_io():
                    raise RuntimeError("the loop has nothing to run: no ready "
                                       "callback, no timer, no I/O")
                timeout = None
                if self._ready:
                    timeout = 0
                elif self._scheduled:
                    timeout = min(max(0, self._scheduled[0]._when - self.time()),
                                  asyncio.base_events.MAXIMUM_SELECT_TIMEOUT)
                self._process_events(self._selector.select(timeout))
                end = self.time() + self._clock_resolution
                while self._scheduled and self._scheduled[0]._when < end:
                    handle = heapq.heappop(self._scheduled)
                    handle._scheduled = False
                    self._ready.append(handle)
                if self._ready:
                    return self._ready.popleft()

    # Named as asyncio's own loop, as yieldscope names its loops: what a
    # repr of the loop shows is CPython's.
    for name in ("__module__", "__name__", "__qualname__"):
        setattr(Loop, name, getattr(asyncio.SelectorEventLoop, name))

    class Policy(asyncio.DefaultEventLoopPolicy):
        def new_event_loop(self):
            return Loop()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        asyncio.set_event_loop_policy(Policy())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", action="store_true")
    ap.add_argument("--labels")
    ap.add_argument("scenario")
    args = ap.parse_args()

    labels = []
    if args.labels:
        with open(args.labels, encoding="utf-8") as f:
            labels = [json.loads(line) for line in f]
    if args.scenario.endswith(".md"):
        steps = parse_lesson(args.scenario)
    else:
        with open(args.scenario, encoding="utf-8") as f:
            program = f.read()
        steps = [(program, "exec", args.scenario, 1)] + \
            [(s, "single", "<stdin>", 1) for s in parse_scenario(args.scenario)]

    if any("asyncio" in step[0] for step in steps):
        virtual_clock()
    real_out = sys.stdout
    cap = Capture()
    CAPTURE[0] = cap
    module = types.ModuleType("__main__")
    module.__builtins__ = __builtins__
    sys.modules["__main__"] = module
    ns = module.__dict__
    ident = Identities()
    hooks = Hooks(ident, {args.scenario, "<stdin>"})
    sys.stdout = sys.stderr = cap

    results = []
    for n, (source, mode, filename, first) in enumerate(steps, 1):
        value = exc_text = tb_text = None
        step_labels = labels[n - 1] if n - 1 < len(labels) else []
        before = resolve(step_labels, ns, ident) if n > 1 else {}
        held = {c["id"] for c in census(ns, ident)}   # also empties what labels filled
        ident.end_step()
        try:
            # The prompt ends every statement with a newline.
            # Code blocks run at their own lines of the lesson.
            code = compile(source + "\n" if mode == "single" else "\n" * (first - 1) + source,
                           filename, mode)
        except SyntaxError as exc:
            code = None
            exc_text = exception_line(exc)
            tb_text = "".join(traceback.format_exception_only(type(exc), exc))
            remember(exc)
        if code is not None:
            # The prompt's own displayhook, in C: a Python one would be
            # the frame a warning raised while it frees `_` names.
            sys.displayhook = sys.__displayhook__
            if args.events:
                hooks.install(suspended_frames(ident))
            try:
                exec(code, ns)
            except BaseException as exc:
                if args.events:
                    hooks.uninstall()
                exc_text = exception_line(exc)
                # As the prompt prints it: without this tracer's own frame.
                tb_text = with_suggestion(prompt_traceback(exc), exc)
                remember(exc)
            finally:
                if args.events:
                    hooks.uninstall()
        perturbed = hooks.perturbed
        events = hooks.take() if args.events else None
        callbacks, CALLBACKS[:] = list(CALLBACKS), []
        output, value = cap.take()
        resolved = resolve(step_labels, ns, ident)
        generators = census(ns, ident)
        if events is not None:
            events = held_only(events, held | {c["id"] for c in generators})
        ident.end_step()
        results.append({
            "step": n,
            "source": source,
            "output": output,
            "value": value,
            "exception": exc_text,
            "traceback": tb_text,
            "generators": generators,
            "labels": resolved,
            "labels_before": before,
            "events": events,
            "perturbed": perturbed,
            "callbacks": callbacks,
        })
    sys.stdout = real_out
    sys.stderr = sys.__stderr__
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
    sys.stdout.flush()
    # What is still suspended would print its finally blocks at exit.
    os._exit(0)


if __name__ == "__main__":
    main()
