# engine_helper.py: the Python half of yieldscope's engine.
#
# engine.c compiles this file into the program and runs it once, in a module
# of its own, when the interpreter starts; it gives the module _guard(on),
# which puts a call into lesson code under the step's time limit, and
# _gen_of(frame), the generator a frame runs (or None), and
# _frame_locals(frame), a frame's (name, value) pairs read without keeping
# any of them alive (engine_census_walk.c), _loop_pause(ready), which
# records a callback pause of the loop whose ready queue that is, and
# _watch_cancels(Task), after which each cancel() and uncancel() of a task
# marks it in its clock's marks (both engine_asyncio.c). It does what is
# simplest to say in Python: capturing output, safe reprs, formatting
# exceptions, walking the lesson namespace for generators, and turning the
# hop records engine_hooks.c takes into labelled hops. It never touches the
# terminal.

import builtins
import sys
import types
from _weakref import ref as _ref
from _collections import deque    # the census looks into deques too
from _io import StringIO as _StringIO
from opcode import opmap

# traceback and linecache (and the re, tokenize and enum they pull in) are
# imported at the first exception: most steps raise nothing, and a start
# that imports them takes twice as long as python3's own.

_MISSING = object()

# The modules loaded when the engine started, and those it imported since:
# what _import gives the engine whatever the lesson did to sys.modules.
_STARTUP_MODULES = dict(sys.modules)
_OWN_MODULES = {}


def _is_real_module(value):
    return isinstance(value, types.ModuleType) and \
        getattr(value, "__spec__", None) is not None


def _import(name):
    """The module `name` for the engine's own use. A lesson may have put
    None or an impostor in sys.modules under that name or one it imports
    (sys.modules["re"] = None): while the engine imports, those entries
    make way for the real modules, and are put back after, as the lesson
    left them."""
    module = _OWN_MODULES.get(name)
    if module is not None:
        return module
    modules = sys.modules
    put_back = {}
    for key, value in list(modules.items()):
        real = _STARTUP_MODULES.get(key, _MISSING)
        if real is not _MISSING:
            if value is not real:
                put_back[key] = value
                modules[key] = real
        elif not _is_real_module(value):
            put_back[key] = value
            del modules[key]
    try:
        __import__(name)
        module = modules[name]
    finally:
        for key, value in put_back.items():
            modules[key] = value
    _OWN_MODULES[name] = module
    return module

# The builtins the helper calls while lesson code may have replaced them
# (the builtins module is the lesson's during a step).
_repr = repr
_getframe = sys._getframe

# The instruction that echoes a statement's value through sys.displayhook:
# PRINT_EXPR up to 3.11, CALL_INTRINSIC_1 with INTRINSIC_PRINT (1) after.
_PRINT_EXPR = opmap.get("PRINT_EXPR")
_CALL_INTRINSIC_1 = opmap.get("CALL_INTRINSIC_1")

# What marks a repr cut to the engine's cap: one character no repr of a
# builtin type ends with.
CUT = "\u2026"

GEN_TYPES = {
    types.GeneratorType: 0,
    types.CoroutineType: 1,
    types.AsyncGeneratorType: 2,
}


class StepTimeout(BaseException):
    """Raised into lesson code that works past the step's time limit.

    A BaseException, like KeyboardInterrupt, so that `except Exception`
    in a lesson does not swallow it."""


def _echoing():
    """Whether the write() that called this is CPython's own sys.displayhook
    echoing a value: the frame below write() is at the instruction that
    calls the hook. Lesson code printing is always at some other one."""
    try:
        frame = _getframe(2)
    except ValueError:
        return False
    code = frame.f_code.co_code
    at = frame.f_lasti
    if at < 0 or at + 1 >= len(code):
        return False
    if _PRINT_EXPR is not None:
        return code[at] == _PRINT_EXPR
    return code[at] == _CALL_INTRINSIC_1 and code[at + 1] == 1


class _Stream:
    """What a text stream offers besides write()."""

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True

    encoding = "utf-8"
    errors = "strict"


class Capture(_Stream):
    """sys.stderr of the lesson, and the buffer sys.stdout (an Output)
    writes into too: everything printed, in order.

    Past `cap` characters further writes are dropped and `capped` is set, so
    a step printing without end cannot exhaust memory."""

    def __init__(self, cap):
        self.cap = cap
        # > 0 while the engine runs lesson code that CPython itself would
        # not have run (a __repr__ for a card): its writes are dropped.
        self.muted = 0
        self.reset()

    def reset(self):
        self.parts = []
        self.size = 0
        self.capped = False
        self.echoed = None      # what the displayhook wrote for a value
        self.echo_open = False  # its repr is written, its newline not yet

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(
                "write() argument must be str, not %s" % type(text).__name__)
        if self.capped or self.muted:
            return len(text)
        room = self.cap - self.size
        if len(text) > room:
            self.parts.append(text[:room])
            self.size = self.cap
            self.capped = True
        else:
            self.parts.append(text)
            self.size += len(text)
        return len(text)

    def take(self):
        """(text, capped, echoed) since the last take, and start afresh."""
        text = "".join(self.parts)
        capped, echoed = self.capped, self.echoed
        self.reset()
        return text, capped, echoed


class Output(_Stream):
    """sys.stdout of the lesson: writes into a Capture, and keeps there, as
    `echoed`, the repr the displayhook writes for a value (it writes the
    repr, then a newline, to sys.stdout only), so the step's value is read
    without calling repr a second time."""

    def __init__(self, capture):
        self.capture = capture

    def write(self, text):
        n = self.capture.write(text)
        if _echoing():
            c = self.capture
            if c.echo_open:
                c.echo_open = False
            else:
                c.echoed = text
                c.echo_open = True
        return n


class NoInput:
    """sys.stdin of the lesson: lesson code cannot read the terminal."""

    def readline(self, size=-1):
        return ""

    def read(self, size=-1):
        return ""

    def isatty(self):
        return False

    encoding = "utf-8"


class Engine:
    def __init__(self, output_cap, repr_cap, max_locals, program):
        self.repr_cap = repr_cap
        self.max_locals = max_locals
        self.program = program
        self.program_text = None
        self.out = Capture(output_cap)
        # Labels of generators, by weak reference: nothing the engine keeps
        # between steps may keep a lesson's object alive. Each maps
        # id(gen) -> (weakref, label); the hooks' weakref to the same
        # generator is that same object (CPython shares a plain weakref).
        self.labels = {}        # from the last snapshot
        self.prev_labels = {}   # from the snapshot before, so that a step's
                                # events name generators that ended in it
        self.pause_labels = {}  # at the last pause
        # Callback pauses while a statement runs an event loop
        # (engine_set_loop_pauses, engine_asyncio.c).
        self.loop_pausing = False
        self.codes = {}         # label -> weakref to the code, of the cards shown
        self.builtins = dict(builtins.__dict__)
        # __stdout__ and __stderr__ too: a lesson that writes there means
        # the real terminal, which is the program's own screen or transcript.
        sys.stderr = sys.__stderr__ = self.out
        sys.stdout = sys.__stdout__ = Output(self.out)
        sys.stdin = NoInput()
        # CPython's own displayhook, not one in Python: no frame of the
        # engine's is then on the stack when it raises ("lost sys.stdout")
        # or when resetting `_` finalizes an object that warns.
        sys.displayhook = sys.__displayhook__
        _ENGINE[0] = self

    def tasks(self, max_tasks):
        """The asyncio tasks of the step, the first max_tasks listed: see
        _AsyncioWatch.snapshot()."""
        return _ASYNCIO.snapshot(self, max_tasks)

    def loop_pause(self, entries, ready):
        """A callback pause, as pause() gives a line stepping one, with
        the loop's state last: (kind, None, [], gens, loop), loop as
        _AsyncioWatch.pause_view() gives it. entries come from a census
        taken just now."""
        gens = self.cards(entries)
        return (_PAUSE_CALLBACK, None, [], gens,
                _ASYNCIO.pause_view(self, ready, _PAUSE_TASKS))

    # ---- Values -----------------------------------------------------------

    def cut(self, text):
        """text when it has at most repr_cap characters, else its first
        repr_cap - 1 followed by CUT: cut by length only, never rewritten."""
        if len(text) > self.repr_cap:
            return text[:self.repr_cap - 1] + CUT
        return text

    def safe_repr(self, obj):
        """repr(obj) itself, cut by cut(); it never raises. Lesson code it
        runs (a __repr__) is under the step's time limit, and what it
        prints or warns is dropped: without yieldscope it would not have
        run at all."""
        _guard(True)
        self.out.muted += 1
        try:
            text = _repr(obj)
        except StepTimeout:
            # A __repr__ that never returns: the watchdog stopped it.
            text = "<repr did not finish>"
        except Exception as exc:
            text = "<repr failed: %s>" % self.exception_line(exc)
        finally:
            self.out.muted -= 1
            _guard(False)
        return self.cut(text)

    def take_output(self):
        """(output, capped, value): what the step printed, and the repr the
        prompt echoed for its value (cut), or None."""
        text, capped, echoed = self.out.take()
        return text, capped, None if echoed is None else self.cut(echoed)

    def throw_repr(self, exc):
        # throw(ValueError) reads best as "ValueError", an instance as repr.
        if isinstance(exc, type):
            return exc.__name__
        return self.safe_repr(exc)

    # ---- Exceptions ---------------------------------------------------------

    @staticmethod
    def exception_line(exc):
        """The last line of the traceback CPython prints: "Type: message"."""
        if isinstance(exc, SyntaxError):
            traceback = _import("traceback")
            lines = traceback.format_exception_only(type(exc), exc)
            return lines[-1].rstrip("\n") if lines else "SyntaxError"
        # What traceback.format_exception_only says for any other exception,
        # without importing traceback (and re, tokenize, ...) to say it.
        cls = type(exc)
        name = cls.__qualname__
        if cls.__module__ not in ("__main__", "builtins"):
            name = "%s.%s" % (cls.__module__, name)
        _guard(True)
        try:
            text = str(exc)
            line = "%s: %s" % (name, text) if text else name
        except Exception:
            line = "%s: <exception str() failed>" % name
        except StepTimeout:
            line = "%s: <exception str() did not finish>" % name
        else:
            if isinstance(exc, _SUGGESTING):
                try:
                    line += _suggestion(exc, line)
                except StepTimeout:
                    pass    # a suggestion that never finished is none
        finally:
            _guard(False)
        return line

    @staticmethod
    def needs_traceback(exc):
        """Whether describe(exc) imports the traceback module."""
        return not (_PROMPT_DISPLAY_IN_C and _at_prompt_only(exc))

    def describe(self, exc, full=True):
        """(Type: message, full traceback text, line in the lesson or -1).
        Without full (a --check, which compares the last line only) the
        traceback text is None."""
        # A syntax error is reported as the prompt reports it: where it is,
        # without the frames of the compiler call that found it.
        text = None
        _drop_engine_frames(exc)
        # Once: a suggestion ("Did you mean") runs the whole display.
        last = self.exception_line(exc)
        if full and not self.needs_traceback(exc):
            # The prompt's own display, which is C up to 3.12: for frames
            # of the prompt alone it is the traceback module's text, and
            # spares the first exception importing traceback (and re,
            # tokenize, textwrap, ...).
            text = _display(exc)
        if full and text is None:
            traceback = _import("traceback")
            self.register_program()
            tb = None if isinstance(exc, SyntaxError) else exc.__traceback__
            try:
                text = "".join(traceback.format_exception(type(exc), exc, tb))
                if isinstance(exc, _SUGGESTING) and sys.version_info < (3, 12):
                    # 3.11's traceback module offers no "Did you mean";
                    # the prompt's display, in C, does.
                    head, _, shown = last.partition(". Did you mean")
                    if shown and last not in text:
                        at = text.rfind(head)
                        if at >= 0:
                            text = text[:at] + last + text[at + len(head):]
            except Exception:
                pass
        line = -1
        if isinstance(exc, SyntaxError) and exc.lineno is not None:
            line = exc.lineno
        else:
            tb = exc.__traceback__
            while tb is not None:
                name = tb.tb_frame.f_code.co_filename
                if name == self.program or name == "<stdin>":
                    line = tb.tb_lineno
                tb = tb.tb_next
        return last, text, line

    def pristine_builtins(self):
        """Put back the builtins a lesson replaced, for the engine's own
        work after a step (traceback looks them up like any
        code). Returns what to give restore_builtins, or None when the
        lesson changed nothing."""
        current = builtins.__dict__
        for name, value in self.builtins.items():
            if current.get(name, _MISSING) is not value:
                break
        else:
            if len(current) == len(self.builtins):
                return None
        saved = dict(current)
        current.clear()
        current.update(self.builtins)
        return saved

    @staticmethod
    def restore_builtins(saved):
        """The lesson's builtins again, as pristine_builtins found them."""
        if saved is not None:
            builtins.__dict__.clear()
            builtins.__dict__.update(saved)

    def new_namespace(self):
        """A fresh __main__ and pristine builtins, as a new interpreter has."""
        for name in list(builtins.__dict__):
            if name not in self.builtins:
                del builtins.__dict__[name]
        builtins.__dict__.update(self.builtins)
        module = types.ModuleType("__main__")
        module.__builtins__ = builtins
        sys.modules["__main__"] = module
        self.labels, self.prev_labels = {}, {}
        self.codes = {}
        self.out.reset()
        _ASYNCIO.forget()
        return module.__dict__

    def disassemble(self, gen, label):
        """(offset, line, opname, argrepr) of every instruction of the code
        of gen, or, when gen is no generator (None: its label no longer
        evaluates, as while it runs below a yield from), of the code last
        seen under label."""
        dis = _import("dis")
        kind = GEN_TYPES.get(type(gen))
        if kind is not None:
            code = _code(gen, kind)
        else:
            code = self.codes.get(label)
            code = code() if code is not None else None
        if code is None:
            raise LookupError("no generator labelled %s" % label)
        result = []
        for ins in dis.get_instructions(code):
            line = ins.positions.lineno if ins.positions else None
            result.append((ins.offset, -1 if line is None else line,
                           ins.opname, _argrepr(ins)))
        return result

    # ---- The program's source -------------------------------------------------

    def set_program(self, filename, text):
        self.program = filename
        self.program_text = text

    def register_program(self):
        """Give linecache the program's lines, so tracebacks quote them."""
        linecache = _import("linecache")
        text = self.program_text
        if text is not None:
            linecache.cache[self.program] = (len(text), None,
                                             text.splitlines(True), self.program)

    # ---- Snapshot ---------------------------------------------------------------

    def cards(self, entries, keep=False):
        """The details of the generators shown. entries come from the
        census (engine_census.c) as (gen, label, kind, state, delegate
        label) tuples. With keep, the labels of their frames are kept to
        label the next step's events.

        Returns a list of tuples (label, kind, function, state, filename,
        first_line, line, lasti, [(name, repr)], delegate_label, id):
        function is the code's qualified name, as the events say it (a
        functools.wraps wrapper gives its generator the wrapped function's
        __qualname__, not its code's)."""
        labels = {}
        result = []
        for gen, label, kind, state, delegate_label in entries:
            frame = _frame(gen, kind)
            code = _code(gen, kind)
            self.codes[label] = _ref(code)
            locals_ = []
            line = lasti = -1
            if frame is not None:
                labels[id(gen)] = (_ref(gen), label)
                line = frame.f_lineno if frame.f_lineno is not None else -1
                lasti = frame.f_lasti
                locals_ = self.frame_locals(frame)
            else:
                delegate_label = None
            result.append((label, kind, code.co_qualname, state,
                           code.co_filename, code.co_firstlineno, line, lasti,
                           locals_, delegate_label, id(gen)))
        if keep:
            self.prev_labels, self.labels = self.labels, labels
        else:
            self.pause_labels = labels
        return result

    def frame_locals(self, frame):
        """The first max_locals locals of frame as (name, repr) pairs, as
        a card shows them: its cards() and the hooks' records of the
        first hops of a step (engine_hooks_locals.c) use this, one repr
        for both."""
        locals_ = []
        try:
            for name, value in _frame_locals(frame)[:self.max_locals]:
                locals_.append((str(name), self.safe_repr(value)))
        except StepTimeout:
            # The time limit came between two reprs: the card goes
            # without the rest of its locals.
            locals_.append(("...", "<out of time>"))
        except Exception:
            pass
        return locals_

    @staticmethod
    def _label(key, ref, *tables):
        """The label of the generator whose id is key, in the first table
        that has it, or None. ref is the hooks' weak reference to it, or
        None when it had none: then it is being finalized, and a table's
        entry for it is dead too."""
        for table in tables:
            entry = table.get(key)
            if entry is not None and (entry[0] is ref if ref is not None
                                      else entry[0]() is None):
                return entry[1]
        return None

    @staticmethod
    def _frame_label(frame, *tables):
        """The label of the generator running in frame, or None. No new
        weak reference: the generator may be in its finalizer, where one
        would outlive it."""
        gen = _gen_of(frame)
        if gen is None:
            return None
        for table in tables:
            entry = table.get(id(gen))
            if entry is not None and entry[0]() in (gen, None):
                return entry[1]
        return None

    def pause(self, entries, frame, kind, value):
        """The moment of a line-stepped step: (kind, value, stack, gens),
        stack outermost first as (function, label, filename, line,
        is_generator, locals) tuples, gens as cards() gives them; with the
        loop last (_AsyncioWatch.line_view()) while an event loop runs."""
        gens = self.cards(entries)
        # Frames the census cannot reach now are still known from the last
        # step's cards.
        tables = (self.pause_labels, self.labels)
        stack = []
        f = frame
        while f is not None:
            code = f.f_code
            is_gen = bool(code.co_flags & _GENERATOR_FLAGS)
            locals_ = []
            # A module frame's locals are the whole namespace: the Heap
            # shows what matters of it. (A function's frame is known by its
            # code: reading its f_locals to compare would fill them.)
            if code.co_flags & _CO_NEWLOCALS or f.f_globals is not f.f_locals:
                try:
                    items = _frame_locals(f)
                except Exception:
                    items = []
                for name, val in items[:self.max_locals]:
                    locals_.append((str(name), self.safe_repr(val)))
            stack.append((code.co_qualname, self._frame_label(f, *tables),
                          code.co_filename,
                          f.f_lineno if f.f_lineno is not None else -1,
                          is_gen, locals_))
            f = f.f_back
        stack.reverse()
        # A generator running below another (a yield from in progress) is
        # not reachable from the namespace while it runs: its card comes
        # from its frame.
        shown = {card[0] for card in gens}
        f = frame
        while f is not None:
            code = f.f_code
            label = self._frame_label(f, *tables) \
                if code.co_flags & _GENERATOR_FLAGS else None
            if label and label not in shown:
                self.codes[label] = code
                gkind = 1 if code.co_flags & 0x80 else 2 if code.co_flags & 0x200 else 0
                locals_ = [(str(name), self.safe_repr(val))
                           for name, val in _frame_locals(f)[:self.max_locals]]
                gens.append((label, gkind, code.co_qualname, 1, code.co_filename,
                             code.co_firstlineno,
                             f.f_lineno if f.f_lineno is not None else -1,
                             f.f_lasti, locals_, None, 0))
            f = f.f_back
        # Inside a running event loop, its tasks too, as a callback pause
        # has them.
        loop = _ASYNCIO.line_view(self)
        if loop is not None:
            return (kind, value, stack, gens, loop)
        return (kind, value, stack, gens)

    def chain_frames(self, gen, label):
        """{id(gen): (weakref, label, depth)} for gen and everything it
        delegates to, now: the generators a drive of gen resumes. They are
        labelled even when they have no card, so their hops are named."""
        chain = {}
        depth = 0
        while gen is not None and depth < 1000:
            kind = GEN_TYPES.get(type(gen))
            if kind is None or _frame(gen, kind) is None:
                break
            chain[id(gen)] = (_ref(gen), label, depth)
            gen = _delegate(gen, kind)
            label += _DELEGATE_ATTR[kind]
            depth += 1
        return chain

    # ---- Events -----------------------------------------------------------

    def events(self, raw, chain, how, value, drive_start):
        """Label the hop records of a step (see engine_hooks.c) and say what each
        resumed frame received.

        raw holds [id of gen, weakref to gen or None, function, filename,
        what, text, line, depth, thrown, first, callers, printed, line below,
        locals] lists, what 0 for a
        resume, 1 yield, 2 return, 3 raise; text is what was thrown in (resume), yielded,
        returned or raised, as the hooks saw it. chain, from chain_frames(),
        holds the driven generator and its delegates: the first resume of
        each after record drive_start was by `how` with `value`, unless
        something else was seen arriving. Returns (label, function, what,
        how, value, depth, line, id of gen, callers, printed, locals,
        record, below) tuples, callers (a resume's ordinary lesson functions
        below it, "run tick") None otherwise, printed the characters of
        output written before it, locals the frame's (name, repr) pairs at
        the hop, or None when they were not read, record the index in raw
        of the record it comes from (a pause knows how many records came
        before it), below, for a resume, the line the generator frame right
        below it calls it from (the delegator's await or yield from), else
        -1."""
        chain = chain or {}
        out = []
        resumed = set()
        reused = set()      # ids of labelled generators dead, taken again
        running = set()     # ids of generators resumed and not left
        returned = {}       # depth -> (place after it, value, line below) of
                            # the last return there
        for index, record in enumerate(raw or ()):
            key, ref, function, filename, what, text, line, depth, thrown, \
                first, callers, printed, line_below, locals_ = record
            if ref is None and first:
                # No weakref and starting: a new generator, even where a
                # labelled one lived and died in this step.
                reused.add(key)
            label = None if key in reused else \
                self._label(key, ref, self.labels, self.prev_labels, chain)
            if label is None and filename not in (self.program, "<stdin>"):
                # The library's own generators (an import runs dozens) are
                # not the lesson's story unless the lesson holds them.
                continue
            link = chain.get(key) if key not in reused and \
                self._label(key, ref, chain) is not None else None
            if link is not None:
                # Its place in the driven chain: close() resumes the links
                # one by one, with no frame below them on the stack.
                depth = link[2]
            if what != 0:
                if key not in running and depth + 1 in returned:
                    # CPython 3.11 resumes a frame whose delegate returned
                    # (or whose async generator yielded, ending the
                    # asend() awaitable) during throw() without telling its hooks (it
                    # continues at the yield from, and never passes the
                    # resume instruction): it was sent the value returned.
                    # Its line is where it waited: the line below the
                    # delegate when that returned.
                    at, value_in, waited = returned.pop(depth + 1)
                    # It ran right after the return before it.
                    out.insert(at, (label, function, 0, 2, value_in, depth, waited, key,
                                    None, printed, None, out[at - 1][11], -1))
                    for d, (place, v, w) in returned.items():
                        if place >= at:
                            returned[d] = (place + 1, v, w)
                running.discard(key)
                if what == 2 or what == 1 and line_below >= 0:
                    # A return, or an async generator's yield that ended
                    # the awaitable a throw() reached it through: 3.11
                    # continues the frame that waited on it unseen.
                    returned[depth] = (len(out) + 1, text, line_below)
                out.append((label, function, what, 0, text, depth, line, key,
                            None, printed, locals_, index, -1))
                continue
            running.add(key)
            driven = link is not None and index >= drive_start and \
                key not in resumed
            if link is not None:
                resumed.add(key)
            if thrown:
                # An exception arrived: throw(), close() or a finalizer
                # threw it in, or a delegate raised it (throw() and close()
                # then resume the delegator with it).
                # Anything but GeneratorExit arrives as a throw, even during
                # close(): a delegate that ignored GeneratorExit leaves its
                # RuntimeError to be thrown into the frame above it.
                ev_value = text
                if text != "GeneratorExit" and not text.startswith("GeneratorExit:"):
                    ev_how = 3
                elif driven and how == 3:
                    ev_how = 3      # throw(GeneratorExit)
                else:
                    ev_how = 4
            elif driven:
                ev_how, ev_value = how, value
            elif first:
                # A first run can only be a next() or a send(None), as a
                # yield from starts its subgenerator.
                ev_how, ev_value = 1, "None"
            else:
                ev_how, ev_value = 0, None
            out.append((label, function, 0, ev_how, ev_value, depth, line, key,
                        callers, printed, locals_, index, line_below))
        return out


# The exceptions CPython's display offers a "Did you mean" for.
_SUGGESTING = (NameError, AttributeError, ImportError)


# Up to 3.12 the prompt's display (sys.__excepthook__) is C; from 3.13 it
# is the traceback module's.
_PROMPT_DISPLAY_IN_C = sys.version_info < (3, 13)


def _display(exc):
    """What the prompt's display (sys.__excepthook__) prints for exc, or
    None when the display itself failed (the lesson broke what it
    imports)."""
    saved = sys.stderr
    # _io, not io: 3.14 starts without importing io.
    sys.stderr = out = _StringIO()
    try:
        sys.__excepthook__(type(exc), exc, exc.__traceback__)
    except Exception:
        return None
    finally:
        sys.stderr = saved
    return out.getvalue()


def _chained(exc):
    """A list of exc and every exception chained to it (its __cause__ and
    __context__, theirs, and so on), each once, even where the chain loops.
    A list, not a generator: a generator of the helper's would run where
    the hooks may be on, a hop of no lesson code."""
    seen = set()
    todo = [exc]
    found = []
    while todo:
        exc = todo.pop()
        if exc is None or id(exc) in seen:
            continue
        seen.add(id(exc))
        found.append(exc)
        todo.append(exc.__cause__)
        todo.append(exc.__context__)
    return found


def _at_prompt_only(exc):
    """Whether every frame in the tracebacks of exc and of the exceptions
    chained to it is the prompt's ("<stdin>", whose lines no display
    quotes), and nothing in it is displayed in a way of its own (a syntax
    error's caret, an exception group's tree)."""
    for exc in _chained(exc):
        if isinstance(exc, (SyntaxError, BaseExceptionGroup)):
            return False
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename != "<stdin>":
                return False
            tb = tb.tb_next
    return True


def _suggestion(exc, line):
    """What CPython's prompt prints after line, the "Type: message" of exc
    (one of _SUGGESTING): ". Did you mean: 'x'?", or "". Taken from the
    display the prompt uses (sys.__excepthook__, which on 3.11 is C and
    from 3.12 the traceback module), never made up here."""
    shown = _display(exc)
    if shown is None:
        # The prompt would then print no suggestion either.
        return ""
    at = shown.rfind(line)
    tail = shown[at + len(line):].split("\n", 1)[0] if at >= 0 else ""
    return tail if tail.startswith(". Did you mean") else ""


def _drop_engine_frames(exc):
    """Take the helper's own frames out of the tracebacks of exc and of the
    exceptions chained to it. Lesson code can raise inside them (a write()
    of a non-str to the captured sys.stdout): CPython's own objects there
    are C, and their tracebacks show no frame for them."""
    for exc in _chained(exc):
        head = last = None
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_globals is not _HELPER_GLOBALS:
                if last is None:
                    head = tb
                else:
                    last.tb_next = tb
                last = tb
            tb = tb.tb_next
        if last is not None:
            last.tb_next = None
        if head is not exc.__traceback__:
            exc.__traceback__ = head


_HELPER_GLOBALS = globals()
_GENERATOR_FLAGS = 0x20 | 0x80 | 0x200     # CO_GENERATOR, CO_COROUTINE, CO_ASYNC_GENERATOR
_CO_NEWLOCALS = 0x2                         # a function's frame, with locals of its own
_FRAME_ATTR = ("gi_frame", "cr_frame", "ag_frame")
_CODE_ATTR = ("gi_code", "cr_code", "ag_code")
_DELEGATE_ATTR = (".gi_yieldfrom", ".cr_await", ".ag_await")
_DELEGATE_NAME = ("gi_yieldfrom", "cr_await", "ag_await")


def _frame(gen, kind):
    return getattr(gen, _FRAME_ATTR[kind])


def _argrepr(ins):
    """What the Bytecode pane shows after an instruction's name: dis's
    argrepr, with the two things it leaves out on newer versions put back.
    From 3.13 on dis names a jump's target by a label ("to L2") that only
    its own listing prints; the pane shows offsets, so the target is one.
    From 3.14 on LOAD_SMALL_INT carries its value as its argument, which
    argrepr leaves empty."""
    target = getattr(ins, "jump_target", None)
    if target is not None and ins.argrepr.startswith("to L"):
        return "to %d" % target
    if ins.opname == "LOAD_SMALL_INT" and not ins.argrepr:
        return repr(ins.argval)
    return ins.argrepr or ""


def _code(gen, kind):
    return getattr(gen, _CODE_ATTR[kind])


def _delegate(gen, kind):
    return getattr(gen, _DELEGATE_NAME[kind])


# ---- asyncio: a virtual clock, and the tasks of the loop --------------------
#
# asyncio is not imported by the engine: a finder at the front of
# sys.meta_path waits for the lesson to import it, then installs an event
# loop policy whose loops keep time on a virtual clock. Such a loop never
# sleeps for a timer: when nothing but the loop's own wake-up socket is
# registered, the select() that would wait `timeout` seconds returns at once
# and the clock moves on by `timeout`. Real I/O stays real: with any other
# descriptor registered, select() waits for real and the clock moves by the
# time that really passed. asyncio.run() and new_event_loop() take their
# loops from the policy, from 3.11 to 3.15.

class _AsyncioHook:
    """The meta path finder: each time the lesson imports asyncio afresh
    (the first time, or after taking it out of sys.modules), install the
    policy in the module just made."""

    def __init__(self):
        self.installed = None      # the asyncio module the policy is for

    def find_spec(self, name, path=None, target=None):
        if name != "asyncio":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        hook = self

        class _Loader(type(loader)):
            # The real loader's class, so that everything it offers stays;
            # only exec_module does one more thing after it.
            def exec_module(self, module):
                loader.exec_module(module)
                hook.install(module)

        wrapped = object.__new__(_Loader)
        wrapped.__dict__.update(getattr(loader, "__dict__", {}))
        spec.loader = wrapped
        return spec

    def install(self, asyncio):
        self.installed = asyncio
        _PARTIAL[0] = _import("functools").partial
        task = asyncio.Task
        _WATCHED_TASK[0] = task if _watch_cancels(task) else None
        base = asyncio.DefaultEventLoopPolicy
        watch = _ASYNCIO

        class VirtualClockPolicy(base):
            def new_event_loop(self):
                return watch.new_loop(asyncio)

        warnings = _import("warnings")
        with warnings.catch_warnings():
            # set_event_loop_policy is deprecated from 3.14 (policies go in
            # 3.16); until then it is the one public way asyncio.run() takes.
            warnings.simplefilter("ignore", DeprecationWarning)
            asyncio.set_event_loop_policy(VirtualClockPolicy())


class _VirtualSelector:
    """A selector that gives the virtual clock the timeouts it would wait.
    Only the loop calls it, with the timeout to its next timer."""

    def __init__(self, real, clock):
        self._real = real
        self._clock = clock

    def __getattr__(self, name):
        return getattr(self._real, name)

    def only_own(self):
        """True when no descriptor but the loop's own is registered."""
        own = self._clock.own_fds()
        return all(key.fd in own for key in self._real.get_map().values())

    def select(self, timeout=None):
        # A round of the loop polls after its callbacks: the last one ran.
        loop = self._clock.loop()
        if loop is not None:
            loop._ready.ran()
        own = self._clock.own_fds()
        real_io = any(key.fd not in own for key in self._real.get_map().values())
        if timeout is None and not real_io:
            loop = self._clock.loop()
            if loop is not None and loop._ys_stepping:
                # Nothing ready, no timer, no I/O: asyncio would wait for
                # ever; a step of the loop says so instead (run_callbacks).
                raise _NothingToRun
        if timeout is not None and not real_io:
            # Only timers (and the loop's wake-up socket) pending: no need
            # to wait; the clock jumps to the next timer.
            if timeout > 0:
                self._clock.now += timeout
            return self._real.select(0)
        start = _monotonic()
        try:
            return self._real.select(timeout)
        finally:
            self._clock.now += _monotonic() - start


class _Clock:
    """A loop's virtual time, and its tasks: live ones weakly, finished
    ones as summaries. It outlives its loop (asyncio.run() closes and drops
    the loop before the engine looks)."""

    def __init__(self):
        self.now = 0.0
        self.loop = None        # weakref to its loop
        # Tasks by the order they were made (a dict keeps it): weak
        # references, each taken out by its own callback when the task is
        # freed, so that listing the first tasks costs what is listed.
        self.live = {}
        self.finished = []      # (order, weakref to the task, its summary)
        self.made = 0           # tasks made so far: their order
        self.order_of = {}      # id() of each live task -> its order
        # Callbacks that blocked the loop since the last snapshot, each
        # (callback, task or None, seconds of real time): see
        # _ReadyQueue.ran(). asyncio is the module of the loop.
        self.blocked = []
        self.asyncio = None
        # id() of the tasks whose description may have changed since the
        # last snapshot: a callback of the ready queue resumed them, or
        # was queued to (their wake-up), or they ended. The ready queue
        # adds to this same set.
        self.marks = set()
        # The listed tasks as the last snapshot described them; stale when
        # which tasks are listed may have changed since (one was made while
        # fewer than were asked were listed, or a listed one was freed).
        self.listing = None
        self.stale = True
        # The live tasks counted by state, kept as they change (made,
        # ended, freed) so that a summary costs nothing per task: pending,
        # done, cancelled and failed (done with an exception); and how
        # each live task that ended ended, by order.
        self.counts = {"pending": 0, "done": 0, "cancelled": 0, "failed": 0}
        self.ended = {}
        # id() of each task's coroutine by the task's order: what a step's
        # hops carry (their frame's id), so the live flow knows which task
        # a hop runs, ended tasks included. By order, not by the task's
        # id(): tasks made and freed within one step may all have had the
        # same. Those of tasks freed since the last snapshot leave after
        # it (coros_after_snapshot).
        self.coros = {}
        self.gone = []

    def freed(self, order):
        """A task's weak reference callback: it was freed."""
        self.gone.append(order)
        if self.live.pop(order, None) is not None:
            self.counts[self.ended.pop(order, "pending")] -= 1
        if self.listing is not None and order <= self.listing.last:
            self.stale = True

    def coros_after_snapshot(self):
        """The freed tasks' coroutines are no longer any row's."""
        for order in self.gone:
            self.coros.pop(order, None)
        self.gone.clear()

    def made_task(self):
        """A task was made: listed at once if the listing has room."""
        self.counts["pending"] += 1
        if self.listing is None or self.listing.room:
            self.stale = True

    def own_fds(self):
        loop = self.loop()
        fds = set()
        for name in ("_ssock", "_csock"):
            sock = getattr(loop, name, None) if loop is not None else None
            if sock is not None:
                try:
                    fds.add(sock.fileno())
                except OSError:
                    pass
        return fds


def _freed(clock, order, key):
    """The weak reference callback of a clock's task made order-th, id()
    key."""
    def freed(_):
        clock.order_of.pop(key, None)
        clock.freed(order)
    return freed


def _monotonic():
    return _import("time").monotonic()


def _ready_queue_class(collections):
    # Each callback is timed (ran()): the clock read once, here.
    perf_counter = _import("time").perf_counter

    class _ReadyQueue(collections.deque):
        """The loop's ready queue, asyncio's own deque but for stepping.
        Each round asyncio's loop runs as many callbacks as len() says the
        queue held when the round began. While a step counts callbacks
        (until is set), len() says at most 1, so each round runs one
        callback; popleft() stops the loop once it has handed out the one
        the step waits for (until is True: any). The rest stay queued, in
        order."""

        __slots__ = ("until", "stop", "marks", "descs", "task_type",
                     "group_type", "clock", "running", "pausing", "returned")

        def __len__(self):
            n = super().__len__()
            return 1 if n and self.until is not None else n

        def append(self, handle):
            super().append(handle)
            task = _resumes(handle)
            if task is not None:
                # A task whose wake-up is queued now waits for its turn:
                # described anew (see _AsyncioWatch.listed).
                self.marks.add(id(task))

        def clear(self):
            super().clear()
            self.descs.clear()

        def ran(self):
            """The callback handed out last has returned: asyncio's loop
            runs each one as soon as popleft() hands it out, so it ran
            from then until the next popleft(), select() or the end of
            run_forever(). One that took loop.slow_callback_duration of
            real time or more (asyncio's debug mode warns from the same
            threshold) blocked the loop: noted on the clock. A callback
            paused at learns how much had been printed when it returned."""
            running, self.running = self.running, None
            returned, self.returned = self.returned, None
            if returned is not None and _ENGINE[0] is not None:
                returned[0] = _ENGINE[0].out.size
            if running is None:
                return
            took = perf_counter() - running[0]
            loop = self.clock.loop()
            if loop is not None and took >= loop.slow_callback_duration:
                self.clock.blocked.append(
                    _AsyncioWatch.callback(self.clock.asyncio, running[1])
                    + (took,))

        def popleft(self):
            self.ran()
            if self.pausing and super().__len__() and not self[0]._cancelled:
                # A callback pause, before the callback leaves the queue:
                # the screen shows it first in line, about to run.
                _loop_pause(self)
            handle = super().popleft()
            if not handle._cancelled:
                self.running = (perf_counter(), handle)
            # While queued the handle is alive, so its id is its own: its
            # description (queues()) is kept until it leaves.
            self.descs.pop(id(handle), None)
            task = _resumes(handle)
            if task is not None:
                # The tasks that ran since the last snapshot: only those
                # are described anew (see _AsyncioWatch.listed).
                self.marks.add(id(task))
                if type(task) is self.group_type:
                    # TaskGroup._on_task_done: one task fewer for the
                    # task in the group's __aexit__ to wait for.
                    self.marks.add(id(getattr(task, "_parent_task", None)))
                if _RESUMED[0] is None and not handle._cancelled and \
                        isinstance(task, self.task_type):
                    # The first task a callback of the step resumes: what
                    # predict resumes is judged by. Plain data only.
                    _RESUMED[0] = (task.get_name(), id(task))
            until = self.until
            if until is not None and not handle._cancelled and (
                    until is True or task is until):
                self.stop()
            return handle

    return _ReadyQueue


class _Listing:
    """The tasks a clock lists (its first max_tasks live ones) as the last
    snapshot described them: their orders and weak references, and their
    descriptions and rows as plain strings, so that a snapshot describes
    anew only the tasks that changed."""

    __slots__ = ("orders", "refs", "unwatched", "proxies", "max_tasks", "room",
                 "last", "index", "musts", "descs", "rows", "labels", "finder",
                 "running")

    def __init__(self, orders, refs, tasks, max_tasks, old):
        """orders, refs and tasks (alive) of the tasks listed, the first
        max_tasks; old, the listing before or None: the descriptions of its
        tasks still listed are kept (an order is one task's for the clock's
        life)."""
        self.orders, self.refs = orders, refs
        self.max_tasks, self.room = max_tasks, len(orders) < max_tasks
        # The places of the tasks whose cancel() the engine does not see
        # (_watch_cancels): all of them, or none but those of a kind of
        # task of the lesson's own, or asyncio's pure Python one.
        watched = _WATCHED_TASK[0]
        self.unwatched = [i for i, task in enumerate(tasks)
                          if watched is None or not isinstance(task, watched)]
        proxy = _import("weakref").proxy
        self.proxies = [proxy(tasks[i]) for i in self.unwatched]
        self.last = orders[-1] if orders else 0
        # id(task) -> its place: the tasks are alive while listed (a freed
        # one makes the listing stale), so an id is one task's.
        self.index = {id(task): i for i, task in enumerate(tasks)}
        self.descs = [None] * len(orders)
        self.rows = [None] * len(orders)
        self.labels = self.finder = None
        at = {} if old is None else dict(zip(old.orders, range(len(old.orders))))
        for i, order in enumerate(orders):
            j = at.get(order)
            if j is not None and old.descs[j] is not None:
                self.descs[i] = old.descs[j]
        # Each unwatched task's _must_cancel when described; None: to
        # describe.
        old_musts = {} if old is None else \
            dict(zip((old.orders[j] for j in old.unwatched), old.musts))
        self.musts = [old_musts.get(orders[i]) if self.descs[i] is not None
                      else None for i in self.unwatched]
        # The places of the tasks described as running: kept by listed(),
        # which describes them anew at every snapshot.
        self.running = {i for i, desc in enumerate(self.descs)
                        if desc is not None and desc[1] == "running"}

    def read_musts(self):
        """Each unwatched task's _must_cancel (read through weak proxies, at
        C speed), or None when a listed task was freed."""
        try:
            return list(map(_MUST_CANCEL, self.proxies))
        except ReferenceError:
            return None
        except AttributeError:
            # A task factory's own kind of task.
            tasks = [self.refs[i]() for i in self.unwatched]
            if None in tasks:
                return None
            return [getattr(task, "_must_cancel", False) for task in tasks]


class _TaskEnded:
    """A task's done callback: the summary of how it ended, kept for the
    step's snapshot in case the task is freed before."""

    __slots__ = ("watch", "asyncio", "clock", "order", "ref")

    def __init__(self, watch, asyncio, clock, order, ref):
        self.watch, self.asyncio, self.clock = watch, asyncio, clock
        self.order, self.ref = order, ref

    def __call__(self, task):
        clock = self.clock
        clock.marks.add(id(task))
        if self.order in clock.live and self.order not in clock.ended:
            how = "cancelled" if task.cancelled() else \
                "failed" if getattr(task, "_exception", None) is not None \
                else "done"
            clock.ended[self.order] = how
            clock.counts["pending"] -= 1
            clock.counts[how] += 1
        self.clock.finished.append(
            (self.order, self.ref,
             self.watch.describe(self.asyncio, task, None) + (id(task),)))


def _resumes(handle):
    """The task a ready callback resumes (its step, or its wake-up after
    the future it awaited is done), or None; any other bound method's
    object, or a partial's function's."""
    cb = handle._callback
    if type(cb) is _PARTIAL[0]:
        cb = cb.func
    return getattr(cb, "__self__", None)


def _callback_name(cb):
    name = getattr(cb, "__qualname__", None) or type(cb).__name__
    if ".VirtualClockLoop." in name:
        # A method yieldscope's loop class overrides (call_soon, as a
        # child watcher queues it): named by asyncio's class, whose
        # method it runs.
        for klass in type(cb.__self__).__mro__[1:]:
            if cb.__name__ in vars(klass):
                return "%s.%s" % (klass.__name__, cb.__name__)
    return name


class _NothingToRun(Exception):
    """The virtual selector found the stepped loop with nothing to run."""


_NOTHING_TO_RUN = "the loop has nothing to run: no ready callback, no timer, no I/O"


def _stepping_methods(asyncio, Loop):
    """run_one() and run_until_resumes() of yieldscope's loop class."""

    def run_callbacks(loop, until):
        ready = loop._ready
        if not ready and not loop._scheduled and loop._selector.only_own():
            raise RuntimeError(_NOTHING_TO_RUN)
        ready.until, ready.stop = until, loop.stop
        loop._ys_stepping = True
        nothing = False
        try:
            loop.run_forever()
        except _NothingToRun:
            # Found only inside asyncio's round (the timers left were
            # cancelled ones): raised here, after the except clause, so
            # the traceback is the lesson's statement alone, as above,
            # not asyncio's run_forever and _run_once.
            nothing = True
        finally:
            ready.until = ready.stop = None
            loop._ys_stepping = False
            # A frame that outlives its run keeps its locals: one kept by
            # a traceback (3.13 links finished frames to their callers)
            # must not keep the task alive.
            until = None
        if nothing:
            raise RuntimeError(_NOTHING_TO_RUN)

    def run_one(self):
        """Run one callback: the first of the ready queue; when none is
        ready, wait as the loop would for the earliest timer or I/O, then
        run the first callback that became ready."""
        run_callbacks(self, True)

    def run_until_resumes(self, task):
        """Run callbacks one at a time until one has resumed task."""
        if not isinstance(task, asyncio.Task):
            raise TypeError("run_until_resumes() needs a task, not %s"
                            % type(task).__name__)
        if task.done():
            raise ValueError("task %s is done: it will not resume"
                             % task.get_name())
        try:
            run_callbacks(self, task)
        finally:
            task = None     # as in run_callbacks

    Loop.run_one = run_one
    Loop.run_until_resumes = run_until_resumes


# ---- asyncio: what a pending task waits for, in words -----------------------
#
# Each wording is read from the objects asyncio keeps, as CPython 3.11 to
# 3.13 define them: the frames of asyncio's own coroutines the task's chain
# ends in (their locals and self), else the future it awaits and that
# future's done callbacks. A wording keeps its API in a trailing
# parenthesis and the clock in " on the loop's clock", which a compact row
# leaves out (view_tasks.c's short_waits).

def _natural(name):
    """A sort key that puts Task-2 before Task-10: asyncio's default names
    count up as tasks are made, so their order is the order made."""
    parts = _import("re").split(r"(\d+)", name)
    parts[1::2] = map(int, parts[1::2])
    return parts


def _named(asyncio, futures):
    """The first _GATHER_NAMED of a set of futures (a TaskGroup's tasks,
    asyncio.wait()'s), named, then "and N more": in the order they were
    made, tasks by name, other futures by type. The loop's clock lists its
    live tasks in that order: walked from its start, it costs what comes
    before the last one named (done tasks kept alive), not what the set
    holds; a set with a task made without create_task is sorted whole,
    those after, by name."""
    def name(fut):
        return fut.get_name() if isinstance(fut, asyncio.Task) else \
            type(fut).__name__

    members = futures if isinstance(futures, (set, frozenset)) else set(futures)
    want = min(_GATHER_NAMED, len(members))
    if not want:
        return ""
    clock = None
    for fut in members:
        clock = getattr(fut.get_loop(), "_ys_clock", None)
        break
    first = []
    if clock is not None:
        try:
            for ref in clock.live.values():
                task = ref()
                if task is not None and task in members:
                    first.append(task)
                    if len(first) == want:
                        break
        except RuntimeError:
            # A task freed while walking took itself out of the dict.
            first = []
    if len(first) < want:
        order_of = clock.order_of if clock is not None else {}

        def made(fut):
            order = order_of.get(id(fut))
            return (0, order, None) if order is not None else \
                (1, 0, _natural(name(fut)))

        first = _import("heapq").nsmallest(want, members, key=made)
    more = len(members) - len(first)
    return ", ".join(map(name, first)) + (
        " and %d more" % more if more > 0 else "")


def _future_words(asyncio, fut):
    """A future a task awaits, in words: a task by name, a gather by its
    children, what asyncio.shield() shields, another thread's future
    (loop.run_in_executor() and asyncio.wrap_future() chain one to the
    future awaited), or its type."""
    if isinstance(fut, asyncio.Task):
        return "task %s" % fut.get_name()
    children = getattr(fut, "_children", None)
    if children is not None:
        # A gather's children in its own order (the order of its
        # arguments); the first few: the line costs what it shows.
        names = ", ".join(
            c.get_name() if isinstance(c, asyncio.Task) else
            type(c).__name__ for c in children[:_GATHER_NAMED])
        more = len(children) - _GATHER_NAMED
        return "gather of %s%s" % (
            names, " and %d more" % more if more > 0 else "")
    for callback, _ in getattr(fut, "_callbacks", None) or ():
        held = _closure(callback, "asyncio.tasks",
                        "shield.<locals>._outer_done_callback", "inner")
        if held is not None:
            return "%s, shielded from cancel() (asyncio.shield())" % (
                _future_words(asyncio, held))
        held = _closure(callback, "asyncio.futures",
                        "_chain_future.<locals>._call_check_cancel", "source")
        if held is not None and not isinstance(held, asyncio.Future):
            return ("another thread's concurrent.futures.%s "
                    "(loop.run_in_executor(), asyncio.wrap_future())"
                    % type(held).__name__)
    return "a %s" % type(fut).__name__


def _closure(fn, module, qualname, var):
    """The value of var in the closure of fn, when fn is asyncio's function
    module.qualname; else None."""
    # A function's type only: a lesson's callable is never asked an
    # attribute (its __getattr__ would run the lesson's code).
    if type(fn) is not _import("types").FunctionType:
        return None
    code = fn.__code__
    if fn.__module__ != module or fn.__qualname__ != qualname or \
            var not in code.co_freevars:
        return None
    return fn.__closure__[code.co_freevars.index(var)].cell_contents


def _deadline(when, said):
    """A deadline on the loop's clock, "on the loop's clock" unless the
    words around it have said so (said)."""
    return "%.3f%s" % (when, "" if said else " on the loop's clock")


# What a task waits for inside one of asyncio's methods, by (class, method
# name), from the frames of the asyncio call its chain ends in (the
# method's first) and self: words, or None for "Class.method()".
def _queue_get(asyncio, frames, this):
    return "an item from a %s (Queue.get())" % type(this).__name__


def _queue_put(asyncio, frames, this):
    return "room in a %s of maxsize %d (Queue.put())" % (
        type(this).__name__, this.maxsize)


def _queue_join(asyncio, frames, this):
    return "task_done() for each item put in a %s (Queue.join())" % (
        type(this).__name__)


def _condition_wait(asyncio, frames, this):
    if any(f.f_code.co_name == "acquire" for f in frames[1:]):
        # Notified: wait() takes the lock again before it returns.
        return "its Condition's lock, taken again after a notify() " \
            "(Condition.wait())"
    if frames[0].f_code.co_name == "wait_for":
        return "a notify() of a Condition, until its predicate is true " \
            "(Condition.wait_for())"
    return "a notify() of a Condition (Condition.wait())"


def _taskgroup_exit(asyncio, frames, this):
    tasks = getattr(this, "_tasks", None)
    if not tasks:
        return None
    return "its TaskGroup's tasks to finish: %s (async with's end)" % (
        _named(asyncio, tasks))


def _barrier_wait(asyncio, frames, this):
    names = [f.f_code.co_name for f in frames[1:]]
    if "_wait" in names:
        return "all %d parties of a Barrier to arrive (Barrier.wait())" % (
            this.parties)
    if "_block" in names:
        return "a Barrier to drain or reset (Barrier.wait())"
    return None


def _stream_read(asyncio, frames, this):
    return "data from a stream (StreamReader.%s())" % frames[0].f_code.co_name


_METHOD_WAITS = {
    ("Queue", "get"): _queue_get,
    ("Queue", "put"): _queue_put,
    ("Queue", "join"): _queue_join,
    ("Lock", "acquire"): lambda asyncio, frames, this:
        "its turn to take a Lock (Lock.acquire())",
    ("Semaphore", "acquire"): lambda asyncio, frames, this:
        "a release() of a %s (Semaphore.acquire())" % type(this).__name__,
    ("Event", "wait"): lambda asyncio, frames, this:
        "an Event to be set (Event.wait())",
    ("Condition", "wait"): _condition_wait,
    ("Condition", "wait_for"): _condition_wait,
    ("TaskGroup", "__aexit__"): _taskgroup_exit,
    ("Barrier", "wait"): _barrier_wait,
    ("StreamReader", "read"): _stream_read,
    ("StreamReader", "readline"): _stream_read,
    ("StreamReader", "readexactly"): _stream_read,
    ("StreamReader", "readuntil"): _stream_read,
    ("StreamWriter", "drain"): lambda asyncio, frames, this:
        "the stream's buffer to drain (StreamWriter.drain())",
    ("Process", "wait"): lambda asyncio, frames, this:
        "the child process to exit (Process.wait())",
    ("Process", "communicate"): lambda asyncio, frames, this:
        "the child process's output and exit (Process.communicate())",
}

# The loop's socket methods, by what the socket waits for.
_SOCKET_WAITS = {
    "sock_recv": "data to read on a socket",
    "sock_recv_into": "data to read on a socket",
    "sock_recvfrom": "data to read on a socket",
    "sock_recvfrom_into": "data to read on a socket",
    "sock_sendall": "room to write on a socket",
    "sock_sendto": "room to write on a socket",
    "sock_accept": "a connection to accept on a socket",
    "sock_connect": "a socket's connection",
}


def _wait_for_words(asyncio, frames, last):
    """asyncio.wait_for(): on 3.11 it wraps a coroutine in a task and
    awaits a waiter future that the task's end or the timeout handle
    (call_later(timeout, _release_waiter, waiter)) completes; from 3.12
    it awaits the awaitable itself inside asyncio.timeout(), found by
    _timeout_words. After a timeout (or a cancel), _cancel_and_wait
    cancels the task and waits for it to end."""
    for f in frames[1:]:
        if f.f_code.co_name == "_cancel_and_wait":
            return "%s to end: wait_for cancelled it (asyncio.wait_for())" % (
                _future_words(asyncio, f.f_locals.get("fut")))
    loc = frames[0].f_locals
    fut, handle = loc.get("fut"), loc.get("timeout_handle")
    if handle is None or not isinstance(fut, asyncio.Future):
        return _future_words(asyncio, last) if isinstance(
            last, asyncio.Future) else None
    return "%s, or its timeout at %s (asyncio.wait_for())" % (
        _future_words(asyncio, fut), _deadline(handle.when(), False))


def _wait_words(asyncio, frames, last):
    """asyncio.wait(): its _wait() waits for a waiter future that the
    futures' done callbacks complete as return_when says, or a timeout
    handle (call_later(timeout, _release_waiter, waiter))."""
    inner = [f for f in frames if f.f_code.co_name == "_wait"]
    loc = inner[-1].f_locals if inner else frames[0].f_locals
    fs, when = loc.get("fs"), loc.get("return_when")
    if fs is None:
        return None
    names = _named(asyncio, fs)
    words = {asyncio.FIRST_COMPLETED: "the first of %s to finish",
             asyncio.FIRST_EXCEPTION: "all of %s to finish, or one to raise"
             }.get(when, "all of %s to finish") % names
    handle = loc.get("timeout_handle")
    if handle is not None:
        words += ", or its timeout at %s" % _deadline(handle.when(), False)
    return words + " (asyncio.wait())"


def _asyncio_call_words(asyncio, frames, last):
    """What a task waits for in the asyncio call its chain ends in: frames
    are that call's frames, the one the program called first (its own
    frame, not the helpers it awaits, says what it waits for); last, what
    the chain ends in. None when asyncio's source says nothing more than
    the future."""
    if frames[0].f_code.co_name == "__aenter__" and len(frames) > 1:
        # `async with lock:`: the mixin's __aenter__ awaits acquire().
        frames = frames[1:]
    code = frames[0].f_code
    name = code.co_name
    loc = frames[0].f_locals
    this = loc.get("self")
    if name == "sleep" and this is None:
        handle = loc.get("h")
        # sleep(0) yields once, with no timer: "the loop's next round".
        return None if handle is None else \
            "sleep until %s" % _deadline(handle.when(), False)
    if name == "wait_for" and this is None:
        return _wait_for_words(asyncio, frames, last)
    if name in ("wait", "_wait") and this is None:
        return _wait_words(asyncio, frames, last)
    if name == "_wait_for_one":
        # as_completed()'s iterator: each awaitable it yields gets the
        # next future done from a queue the futures' callbacks fill.
        return "the next of asyncio.as_completed()'s awaitables to finish"
    if name == "to_thread" and this is None:
        func = loc.get("func")
        types = _import("types")
        named = type(func) in (types.FunctionType, types.MethodType,
                               types.BuiltinFunctionType)
        return "%s() to return in another thread (asyncio.to_thread())" % (
            func.__qualname__ if named else type(func).__name__)
    if this is None:
        # One of asyncio's functions the program called by its public
        # name (asyncio.open_connection()); a helper of asyncio's own says
        # no more than the future.
        public = getattr(asyncio, name, None)
        if getattr(public, "__code__", None) is code:
            return "asyncio.%s()" % name
        return None
    if isinstance(this, asyncio.AbstractEventLoop):
        words = _SOCKET_WAITS.get(name)
        return "%s (loop.%s())" % (words, name) if words else \
            "loop.%s()" % name
    if isinstance(this, asyncio.Future):
        return None
    for klass in type(this).__mro__:
        words = _METHOD_WAITS.get((klass.__name__, name))
        if words is not None and klass.__module__.startswith("asyncio."):
            words = words(asyncio, frames, this)
            if words is not None:
                return words
            break
    return "%s.%s()" % (type(this).__name__, name)


def _timeout_words(asyncio, gens, words):
    """", or its timeout at T": the earliest deadline of the
    asyncio.Timeout objects active in the chain's frames (held by an
    `async with asyncio.timeout()`, or from 3.12 by asyncio.wait_for()),
    read from what each frame holds: its locals and, suspended, its value
    stack, where `async with` keeps the bound __aexit__. Empty when none."""
    Timeout = getattr(asyncio, "Timeout", None)
    if Timeout is None:
        return ""
    gc = _import("gc")
    MethodType = _import("types").MethodType
    root = asyncio.__path__[0]
    best = None
    for gen in gens:
        for held in gc.get_referents(gen):
            # Types only: a lesson's object is never asked an attribute.
            if type(held) is MethodType:
                held = held.__self__
            if not issubclass(type(held), Timeout) or getattr(
                    getattr(held, "_state", None), "value", None) != "active":
                continue
            when = held.when()
            if when is None or (best is not None and best[0] <= when):
                continue
            code = _code(gen, GEN_TYPES[type(gen)])
            by = "asyncio.wait_for()" if code.co_name == "wait_for" and \
                code.co_filename.startswith(root) else "asyncio.timeout()"
            best = (when, by)
    if best is None:
        return ""
    return ", or its timeout at %s (%s)" % (
        _deadline(best[0], "on the loop's clock" in words), best[1])


class _AsyncioWatch:
    """The loops the policy made, weakly; and what their tasks did. No task
    is kept alive: live tasks are found through weak references, and a task
    that finished leaves a summary of plain strings."""

    def __init__(self):
        self.used = []          # clocks of the loops used since the last snapshot
        self.open = []          # clocks of every loop made, until it is closed

    def new_loop(self, asyncio):
        weakref = _import("weakref")
        selectors = _import("selectors")
        watch = self
        clock = _Clock()
        live = clock.live

        class VirtualClockLoop(asyncio.SelectorEventLoop):
            """yieldscope's loop: asyncio's own, on a virtual clock, with
            run_one() and run_until_resumes() to step it."""

            def time(self):
                return clock.now

            def run_forever(self):
                watch.mark(clock)
                ready = self._ready
                # Callback pauses while a statement runs the loop
                # (asyncio.run, run_until_complete): run_one() and
                # run_until_resumes() already stop at each callback.
                engine = _ENGINE[0]
                ready.pausing = engine is not None and engine.loop_pausing \
                    and not self._ys_stepping
                try:
                    return super().run_forever()
                finally:
                    # The round's last callback returned (or raised).
                    ready.ran()
                    ready.pausing = False

            def create_task(self, coro, **kwargs):
                watch.mark(clock)
                task = super().create_task(coro, **kwargs)
                clock.made += 1
                order = clock.made
                live[order] = weakref.ref(task, _freed(clock, order, id(task)))
                clock.order_of[id(task)] = order
                clock.coros[order] = id(coro)
                clock.made_task()
                if isinstance(task, asyncio.Future):
                    task.add_done_callback(_TaskEnded(watch, asyncio, clock,
                                                      order, weakref.ref(task)))
                return task

            def call_soon(self, callback, *args, **kwargs):
                # The engine's own note of a task's end runs at once, not
                # from the ready queue: stepping counts only the lesson's
                # callbacks, as plain asyncio has them.
                if type(callback) is _TaskEnded:
                    callback(*args)
                    return None
                return super().call_soon(callback, *args, **kwargs)

        # Named as the loop it stands in for: a lesson's repr(loop) or
        # type(loop) reads as without yieldscope.
        for name in ("__module__", "__name__", "__qualname__"):
            setattr(VirtualClockLoop, name, getattr(asyncio.SelectorEventLoop, name))
        _stepping_methods(asyncio, VirtualClockLoop)
        loop = VirtualClockLoop(_VirtualSelector(selectors.DefaultSelector(), clock))
        # asyncio's loop keeps its ready queue in _ready, from 3.11 to 3.15.
        ready = _ready_queue_class(_import("collections"))()
        ready.until = ready.stop = None
        ready.marks = clock.marks
        ready.descs = {}
        ready.task_type = asyncio.Task
        ready.group_type = getattr(asyncio, "TaskGroup", None)
        ready.clock, ready.running, ready.returned = clock, None, None
        ready.pausing = False
        clock.asyncio = asyncio
        loop._ready = ready
        loop._ys_stepping = False
        loop._ys_clock = clock
        clock.loop = weakref.ref(loop)
        self.mark(clock)
        self.open.append(clock)
        return loop

    def forget(self):
        """At a new namespace: the old lesson's loops are not the new one's
        to show, even while a cycle keeps them alive."""
        self.used, self.open = [], []
        _RESUMED[0] = None

    def mark(self, clock):
        if clock not in self.used:
            self.used.append(clock)
    @staticmethod
    def walk(asyncio, task):
        """The objects of a task's await chain, outermost first: its
        coroutine, what each one awaits, down to a future or a bare yield."""
        out = []
        obj = task.get_coro() if hasattr(task, "get_coro") else None
        while obj is not None and len(out) < 64 and \
                all(o is not obj for o in out):
            kind = GEN_TYPES.get(type(obj))
            if kind is not None:
                out.append(obj)
                obj = _delegate(obj, kind)
                continue
            if isinstance(obj, asyncio.Future):
                out.append(obj)
                break
            # An async generator's asend()/athrow(), a future's iterator,
            # a coroutine's __await__() wrapper (a @types.coroutine's
            # `yield from coro.__await__()`): no attribute names what
            # they stand for, but they hold it. An async generator or a
            # future first: asend() also holds the value it sends.
            gc = _import("gc")
            held = gc.get_referents(obj)
            inner = [r for r in held
                     if GEN_TYPES.get(type(r)) == 2 or isinstance(r, asyncio.Future)] \
                or [r for r in held if GEN_TYPES.get(type(r)) is not None]
            if not inner:
                break
            obj = inner[0]
        return out

    def hops(self, asyncio, chain):
        """(kind, function, filename, line, id) of each object of the
        chain: its id() is the one a step's hops carry for its frame, so
        the live flow can tell which task a hop runs."""
        out = []
        for obj in chain:
            kind = GEN_TYPES.get(type(obj))
            if kind is None:
                what = "task" if isinstance(obj, asyncio.Task) else "future"
                name = obj.get_name() if what == "task" else type(obj).__name__
                out.append((what, name, None, -1, id(obj)))
                continue
            frame = _frame(obj, kind)
            code = _code(obj, kind)
            line = frame.f_lineno if frame is not None else -1
            out.append((("generator", "coroutine", "async_generator")[kind],
                        code.co_qualname, code.co_filename, line, id(obj)))
        return out

    @staticmethod
    def waits(asyncio, chain):
        """What a pending task waits for, in words, or None."""
        if not chain:
            return None
        first = chain[0]
        if GEN_TYPES.get(type(first)) is not None and \
                not getattr(first, "cr_suspended", True) and \
                not getattr(first, "cr_running", True) and \
                getattr(first, "cr_frame", None) is not None:
            return "its first run (in the ready queue)"
        last = chain[-1]
        if isinstance(last, asyncio.Future) and last.done():
            return "its turn in the ready queue (what it awaited is done)"
        gens = [o for o in chain if GEN_TYPES.get(type(o)) is not None]
        # The asyncio call the chain ends in: its frames, from the one the
        # program called.
        root = asyncio.__path__[0]
        frames = []
        for gen in reversed(gens):
            frame = _frame(gen, GEN_TYPES[type(gen)])
            if frame is None or not frame.f_code.co_filename.startswith(root):
                break
            frames.append(frame)
        frames.reverse()
        words = _asyncio_call_words(asyncio, frames, last) if frames else None
        if words is None and isinstance(last, asyncio.Future):
            words = _future_words(asyncio, last)
        if words is None:
            words = "the loop's next round"     # a bare yield: sleep(0)
        return words + _timeout_words(asyncio, gens, words)

    def describe(self, asyncio, task, engine):
        """(name, state, hops, waits, result, exception) of a task, plain
        strings. Reads the outcome without retrieving it: asking
        task.exception() would silence asyncio's "never retrieved"."""
        engine = engine or _ENGINE[0]
        name = task.get_name() if hasattr(task, "get_name") else _repr(task)
        result = exception = waits = None
        if task.done():
            if task.cancelled():
                state = "cancelled"
            else:
                state = "done"
                exc = getattr(task, "_exception", None)
                if exc is not None:
                    exception = engine.exception_line(exc)
                else:
                    result = engine.safe_repr(getattr(task, "_result", None))
            hops = []
        else:
            loop = task.get_loop()
            running = loop.is_running() and asyncio.current_task(loop) is task
            state = "running" if running else "pending"
            chain = self.walk(asyncio, task)
            hops = self.hops(asyncio, chain)
            waits = None if running else self.waits(asyncio, chain)
            waiter = chain[-1] if chain else None
            if waits and (getattr(task, "_must_cancel", False) or (
                    isinstance(waiter, asyncio.Future) and waiter.cancelled())):
                waits += "; cancelled: its next run raises CancelledError"
        return (name, state, hops, waits, result, exception)

    @staticmethod
    def callback(asyncio, handle):
        """(callback, task) of a ready or timer handle: the callback's name
        as asyncio's source spells it (a functools.partial as
        "partial(func)"), and the task it resumes (a task's __step or
        __wakeup), wakes (the callback completes a future that task
        awaits, as the timer of asyncio.sleep() does) or cancels (the
        timer of an asyncio.timeout()), or None."""
        cb = handle._callback
        task = _resumes(handle)
        if isinstance(task, asyncio.Task):
            name = getattr(cb, "__name__", type(cb).__name__)
            if type(cb) is _PARTIAL[0]:
                name = getattr(cb.func, "__name__", name)
            return ("Task.__wakeup" if "wakeup" in name else "Task.__step",
                    task.get_name())
        args = handle._args
        if type(cb) is _PARTIAL[0]:
            # functools.partial(_release_waiter, waiter), as wait_for()
            # adds it to a task: the waiter is in the partial's arguments.
            name = "partial(%s)" % _callback_name(cb.func)
            args = cb.args + args
        else:
            name = _callback_name(cb)
        Timeout = getattr(asyncio, "Timeout", None)
        entered = getattr(task, "_task", None) \
            if Timeout is not None and type(task) is Timeout else None
        if isinstance(entered, asyncio.Task):
            # Timeout._on_timeout cancels the task that entered it.
            return (name, entered.get_name())
        if isinstance(task, asyncio.Future):
            # Future.set_result, as call_soon_threadsafe() queues it.
            args = (task,) + args
        for arg in args[:3]:
            if isinstance(arg, asyncio.Future):
                for waiter, _ in getattr(arg, "_callbacks", None) or ():
                    waiter = getattr(waiter, "__self__", None)
                    if isinstance(waiter, asyncio.Task):
                        return (name, waiter.get_name())
        return (name, None)

    def queues(self, asyncio, loop):
        """(ready, nready, timers, ntimers): the first MAX_CALLBACKS
        callbacks of the loop's ready queue, in the order they will run,
        each (callback, task); its first MAX_CALLBACKS pending timers by
        deadline, each (when, callback, task); and how many of each there
        are. Costs what is listed: the timers' heap is walked from its top,
        never sorted whole; a ready callback is described once while it
        stays queued (the queue's descs)."""
        heapq = _import("heapq")
        itertools = _import("itertools")
        descs = loop._ready.descs
        ready = []
        for h in itertools.islice(loop._ready, MAX_CALLBACKS):
            if h._cancelled:
                continue
            desc = descs.get(id(h))
            if desc is None:
                desc = descs[id(h)] = self.callback(asyncio, h)
            ready.append(desc)
        heap = loop._scheduled
        timers, frontier = [], [(heap[0].when(), 0)] if heap else []
        while frontier and len(timers) < MAX_CALLBACKS:
            when, i = heapq.heappop(frontier)
            if not heap[i]._cancelled:
                timers.append((when,) + self.callback(asyncio, heap[i]))
            for child in (2 * i + 1, 2 * i + 2):
                if child < len(heap):
                    heapq.heappush(frontier, (heap[child].when(), child))
        ntimers = len(heap) - getattr(loop, "_timer_cancelled_count", 0)
        return (ready, len(loop._ready), timers, max(ntimers, len(timers)))

    @staticmethod
    def labels():
        """id -> label of the objects the lesson's namespace names: its
        global names, and the items of its global lists, tuples and dicts
        (the first LABEL_ITEMS of each): how a key's echo spells a loop or
        a task."""
        main = sys.modules.get("__main__")
        space = getattr(main, "__dict__", None) or {}
        out = {}
        for name, value in list(space.items()):
            if not isinstance(name, str) or not name.isidentifier():
                continue
            out.setdefault(id(value), name)
        for name, value in list(space.items()):
            if not isinstance(name, str) or not name.isidentifier():
                continue
            if type(value) in (list, tuple):
                for i, item in enumerate(value[:LABEL_ITEMS]):
                    out.setdefault(id(item), "%s[%d]" % (name, i))
            elif type(value) is dict:
                for i, (key, item) in enumerate(value.items()):
                    if i >= LABEL_ITEMS:
                        break
                    if type(key) in (str, int):
                        out.setdefault(id(item), "%s[%r]" % (name, key))
        return out

    def listed(self, asyncio, clock, max_tasks, labels, finder, engine):
        """The rows of the first max_tasks live tasks of a clock, in the
        order they were made: each a description (describe()) with its
        label, id() and its coroutine's id() last. A task keeps the row
        (the same tuple) of the last snapshot
        unless it may have changed: it was marked (a callback of the ready
        queue resumed it or was queued to, it ended, or a cancel() or
        uncancel() was asked of it: a task whose step is queued says
        nothing when cancelled, so engine_asyncio.c marks it at each call),
        or, for a task whose cancel() the engine does not see, its
        _must_cancel changed (read of those tasks only). Which
        tasks are listed is kept too, until one is made while there is room
        or a listed one is freed; so are the places of the running ones
        (listing.running). So a step costs what its tasks did, not what
        the loop holds. The label is Python for the task: its name in
        the lesson (labels), else, pending, finder % its name (see
        task_finder)."""
        listing = clock.listing
        musts = None if clock.stale or listing.max_tasks != max_tasks \
            else listing.read_musts()
        if musts is None:
            # Which tasks are listed may have changed: list them anew,
            # keeping the descriptions of those still listed.
            live = self.first_live(clock, max_tasks)
            listing = _Listing([order for order, _ in live],
                               [clock.live[order] for order, _ in live],
                               [task for _, task in live], max_tasks, listing)
            clock.listing, clock.stale = listing, False
            musts = listing.read_musts()
        redo = {i for i in map(listing.index.get, clock.marks) if i is not None}
        if musts != listing.musts:
            redo.update(i for i, a, b in zip(listing.unwatched, musts, listing.musts)
                        if a != b)
        listing.musts = musts
        marks = clock.marks
        marks.clear()
        relabel = labels != listing.labels or finder != listing.finder
        listing.labels, listing.finder = labels, finder
        descs, rows = listing.descs, listing.rows
        refs, orders, coros = listing.refs, listing.orders, clock.coros
        running = listing.running
        for i in sorted(redo) if not relabel else range(len(refs)):
            task = refs[i]()
            if i in redo or descs[i] is None:
                descs[i] = self.describe(asyncio, task, engine)
                if descs[i][1] == "running":
                    # Running now: it will have moved by the next snapshot.
                    marks.add(id(task))
                    running.add(i)
                else:
                    running.discard(i)
            desc = descs[i]
            label = labels.get(id(task))
            if label is None and finder is not None and desc[1] == "pending":
                label = finder % (desc[0],)
            rows[i] = desc + (label, id(task), coros.get(orders[i], 0))
        return rows

    @staticmethod
    def task_finder(labels, loop):
        """For a named loop, when the lesson has asyncio as a name: Python
        that finds a task by its name among the loop's, with %r for it."""
        where = labels.get(id(loop)) if loop is not None else None
        mod = labels.get(id(_HOOK.installed))
        if where is None or mod is None or "[" in mod:
            return None
        return "next(t for t in %s.all_tasks(%s) if t.get_name() == %%r)" % (
            mod, where.replace("%", "%%"))

    @staticmethod
    def first_live(clock, max_tasks):
        """[(order, task)] of the first max_tasks live tasks of a clock."""
        itertools = _import("itertools")
        while True:
            try:
                refs = list(itertools.islice(clock.live.items(), max_tasks))
                break
            except RuntimeError:
                # A task freed while listing took itself out of the dict.
                continue
        return [(order, task) for order, task in ((o, r()) for o, r in refs)
                if task is not None]

    @staticmethod
    def count(states, row):
        """Count a task's row (or summary) into states: [pending, running,
        done, cancelled, failed], failed the done ones that raised."""
        at = _STATE_INDEX.get(row[1])
        if at is not None:
            states[at] += 1
            if at == 2 and row[5] is not None:
                states[4] += 1

    @staticmethod
    def counted(clock, states):
        """Add a clock's live tasks, as its counts keep them, to states."""
        c = clock.counts
        states[0] += c["pending"]
        states[2] += c["done"] + c["failed"]
        states[3] += c["cancelled"]
        states[4] += c["failed"]

    def pause_view(self, engine, ready, max_tasks, handing=True):
        """The loop whose ready queue is ready, as it hands out ready[0]
        (handing), or as it runs a callback (not handing: a pause of line
        stepping): (clock, tasks, total, ready, nready, timers, ntimers,
        (callback, task) of ready[0] or (None, None), id() of the task it
        resumes or 0, characters printed so far, (pending, running, done,
        cancelled, failed), returned): handing, returned is a list whose
        item ran() sets to the characters printed when that callback
        returns (-1 until then), so that what it printed is known apart
        from what the lesson prints after the loop; else None.
        Tasks as snapshot() lists them (each with its coroutine's id() last), the first max_tasks, but for the
        label: a task no Python names has its name there, for the screen
        to select it by. Reads what snapshot() reads, and takes nothing
        it needs (the step's used loops, ended tasks, first resumed)."""
        asyncio = _HOOK.installed
        clock = ready.clock
        loop = clock.loop()
        handle = ready[0] if handing else None
        labels = self.labels()
        finder = self.task_finder(labels, loop)
        rows = self.listed(asyncio, clock, max_tasks, labels, finder, engine)
        coros = clock.coros
        parts = list(zip(clock.listing.orders, rows))
        states = [0] * 5
        self.counted(clock, states)
        freed = [(order, summary[:-1] + (None, summary[-1], coros.get(order, 0)))
                 for order, ref, summary in clock.finished if ref() is None]
        for _, row in freed:
            self.count(states, row)
        if freed:
            parts = sorted(parts + freed, key=lambda part: part[0])[:max_tasks]
        tasks = [row if row[6] is not None else row[:6] + (row[0],) + row[7:]
                 for _, row in parts]
        task = _resumes(handle) if handing else None
        returned = None
        if handing:
            returned = ready.returned = [-1]
        return ((clock.now, tasks, len(clock.live) + len(freed))
                + self.queues(asyncio, loop)
                + (self.callback(asyncio, handle) if handing else (None, None),
                   id(task) if isinstance(task, asyncio.Task) else 0,
                   engine.out.size, tuple(states), returned))

    def line_view(self, engine):
        """At a pause of line stepping, the loop running then as
        pause_view() gives it (no callback handed out), when it is one of
        yieldscope's; else None."""
        asyncio = _HOOK.installed
        loop = asyncio._get_running_loop() if asyncio is not None else None
        ready = getattr(loop, "_ready", None)
        if getattr(ready, "clock", None) is None:
            return None
        return self.pause_view(engine, ready, _PAUSE_TASKS, handing=False)

    def snapshot(self, engine, max_tasks):
        """None when no loop of the policy was used since the last call and
        none is open, else (clock, tasks, total, ready, nready, timers,
        ntimers, loop, resumed, blocked, closed, states): the clock of the
        last loop used (or open),
        the first max_tasks tasks of those loops, each described with its
        label, id() and its coroutine's id() (0 when not known) last, and
        how many tasks they have; that loop's
        queues (queues()); its label while it is open, or None; (name, id)
        of the first task a callback of the step resumed, or None; the
        callbacks of the step that blocked those loops, each (seconds of
        real time rounded to 0.1 s, callback, task or None, so that a
        transcript is the same from run to run); whether that loop is
        closed; how many of the tasks counted are (pending, running, done,
        cancelled, failed: done with an exception)."""
        asyncio = _HOOK.installed
        used, self.used = self.used, []
        resumed, _RESUMED[0] = _RESUMED[0], None
        self.open = [c for c in self.open
                     if c.loop() is not None and not c.loop().is_closed()]
        clocks = used + [c for c in self.open if c not in used]
        if asyncio is None or not clocks:
            return None
        labels = self.labels()
        blocked = []
        for clock in clocks:
            blocked += [(round(took, 1), cb, task)
                        for cb, task, took in clock.blocked]
            clock.blocked = []
        parts, total = [], 0
        states = [0] * 5
        for ci, clock in enumerate(clocks):
            loop = clock.loop()
            self.counted(clock, states)
            coros = clock.coros
            for order, ref, summary in clock.finished:
                if ref() is None:
                    parts.append(((ci, order), summary[:-1] + (
                        None, summary[-1], coros.get(order, 0))))
                    self.count(states, summary)
                    total += 1
            clock.finished = []
            finder = self.task_finder(labels, loop)
            rows = self.listed(asyncio, clock, max_tasks, labels, finder, engine)
            total += len(clock.live)
            running = len(clock.listing.running)
            states[0] -= running
            states[1] += running
            orders = clock.listing.orders
            if len(clock.live) < max_tasks and loop is not None and \
                    not loop.is_closed():
                # Tasks made without create_task (asyncio.Task(coro, loop=...)):
                # looked for only while the loop has few, as all_tasks()
                # costs what the loop holds; described at every snapshot.
                for task in asyncio.all_tasks(loop):
                    if id(task) not in clock.listing.index:
                        desc = self.describe(asyncio, task, engine)
                        label = labels.get(id(task))
                        if label is None and finder is not None:
                            label = finder % (desc[0],)
                        coro = getattr(task, "get_coro", lambda: None)()
                        parts.append(((ci, clock.made + 1), desc + (
                            label, id(task), 0 if coro is None else id(coro))))
                        self.count(states, desc)
                        total += 1
            if len(clocks) == 1 and not parts:
                # The common case: rows already in order, nothing to merge
                # (and the same tuples as the last snapshot's for the tasks
                # that did not change: engine_asyncio.c keeps those).
                parts = rows
                break
            parts += [((ci, o), row) for o, row in zip(orders, rows)]
        else:
            parts.sort(key=lambda row: row[0])
            parts = [row[1] for row in parts[:max_tasks]]
        for clock in clocks:
            clock.coros_after_snapshot()
        main = used[-1] if used else clocks[-1]
        loop = main.loop()
        if loop is not None and not loop.is_closed():
            queues = self.queues(asyncio, loop)
        else:
            queues = ([], 0, [], 0)
        closed = loop is None or loop.is_closed()
        return (main.now, parts, total) + queues + (
            None if closed else labels.get(id(loop)), resumed, blocked, closed,
            tuple(states))


# functools.partial, once asyncio is imported (it imports functools).
_PARTIAL = [None]
# Callbacks of the ready queue, and timers, listed per step at most.
MAX_CALLBACKS = 50
# Children of a gather, tasks of a TaskGroup or of asyncio.wait(), a
# task's waits names.
_GATHER_NAMED = 8
# Tasks listed at a callback pause: what a screen shows, not max_cards.
_PAUSE_TASKS = 50
# SNAP_PAUSE_CALLBACK (snapshot.h).
_PAUSE_CALLBACK = 5
# A task state's place in a summary (snap_step.task_states).
_STATE_INDEX = {"pending": 0, "running": 1, "done": 2, "cancelled": 3}
# Items of a global container looked at for a task's or a loop's label.
LABEL_ITEMS = 256
# What listed() reads of each listed task whose cancel() is not watched.
_MUST_CANCEL = _import("operator").attrgetter("_must_cancel")
# asyncio's C Task once its cancel() and uncancel() are watched
# (_watch_cancels), else None.
_WATCHED_TASK = [None]
# (name, id) of the first task a callback of the ready queue resumed since
# the last snapshot, or None.
_RESUMED = [None]
_ASYNCIO = _AsyncioWatch()
_HOOK = _AsyncioHook()
_ENGINE = [None]
sys.meta_path.insert(0, _HOOK)
