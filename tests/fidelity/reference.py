# reference.py: a scenario replayed in plain CPython, without yieldscope.
#
# Usage: python3 reference.py PROGRAM.py STATEMENT...
# Runs PROGRAM as __main__, then each statement as Python's prompt would
# (compiled "single" from "<stdin>", the last exception kept in
# sys.last_value), and prints one JSON line per step:
# its output, the last line of its traceback, and the hops of the program's
# own generator frames as CPython's tracing reports them: (function, event,
# value), value being what was thrown in for a resume (None when a value was
# sent: tracing cannot see it), what was yielded or returned, or what was
# raised.
import _thread
import io
import json
import sys
import traceback

program = sys.argv[1]
hops = []
MAIN = _thread.get_ident()


def ours(code):
    return code.co_filename in (program, "<stdin>") and \
        code.co_flags & (0x20 | 0x80 | 0x200)


def exc_line(exc):
    return traceback.format_exception_only(type(exc), exc)[-1].rstrip("\n")


def safe_repr(value):
    text = repr(value)
    return None if "async_generator_wrapped_value" in text else text


if sys.version_info >= (3, 12):
    mon = sys.monitoring
    E = mon.events
    TOOL = 5

    def cb(event):
        def f(code, offset, *rest):
            # yieldscope shows the main thread's hops (and says when other
            # threads ran generators), as sys.settrace sees them on 3.11.
            if not ours(code) or _thread.get_ident() != MAIN:
                return None
            arg = rest[0] if rest else None
            if event in ("start", "resume"):
                hops.append([code.co_qualname, "resume", None])
            elif event == "throw":
                hops.append([code.co_qualname, "resume", exc_line(arg)])
            elif event == "unwind":
                hops.append([code.co_qualname, "raise", exc_line(arg)])
            else:
                hops.append([code.co_qualname, event, safe_repr(arg)])
        return f
    mon.use_tool_id(TOOL, "reference")
    for name, bit in (("start", E.PY_START), ("resume", E.PY_RESUME),
                      ("throw", E.PY_THROW), ("yield", E.PY_YIELD),
                      ("return", E.PY_RETURN), ("unwind", E.PY_UNWIND)):
        mon.register_callback(TOOL, bit, cb(name))

    def on():
        mon.set_events(TOOL, E.PY_START | E.PY_RESUME | E.PY_THROW |
                       E.PY_YIELD | E.PY_RETURN | E.PY_UNWIND)

    def off():
        mon.set_events(TOOL, 0)
else:
    import dis
    YIELD = dis.opmap["YIELD_VALUE"]
    RETURN = dis.opmap["RETURN_VALUE"]
    # frame -> [lasti at its resume, last exception, index of its resume,
    # an instruction ran since that exception]. The hook's "return" with
    # None is also how an exception leaves a frame: it is a raise when the
    # frame stopped anywhere but a return, or at a yield right where an
    # exception arrived, with no instruction run since.
    state = {}

    def trace(frame, event, arg):
        code = frame.f_code
        if not ours(code):
            return None
        frame.f_trace_lines = False
        frame.f_trace_opcodes = True
        st = state.get(frame)
        if event == "call":
            hops.append([code.co_qualname, "resume", None])
            state[frame] = [frame.f_lasti, None, len(hops) - 1, False]
        elif event == "opcode":
            if st:
                st[3] = True
        elif event == "exception":
            if st and st[0] == frame.f_lasti and st[1] is None and \
                    st[2] == len(hops) - 1:
                hops[-1][2] = exc_line(arg[1])
            if st:
                st[1] = exc_line(arg[1])
                st[3] = False
        elif event == "return":
            state.pop(frame, None)
            op = code.co_code[frame.f_lasti]
            raised = arg is None and st and st[1] is not None and \
                (op not in (YIELD, RETURN) or (op == YIELD and not st[3]))
            if raised:
                hops.append([code.co_qualname, "raise", st[1]])
            elif op == YIELD:
                hops.append([code.co_qualname, "yield", safe_repr(arg)])
            else:
                hops.append([code.co_qualname, "return", safe_repr(arg)])
        return trace

    def on():
        sys.settrace(trace)

    def off():
        sys.settrace(None)

ns = {"__name__": "__main__", "__builtins__": __builtins__}
real = sys.stdout


def step(code):
    out = io.StringIO()
    sys.stdout = sys.stderr = out
    exc = None
    del hops[:]
    on()
    try:
        exec(code, ns)
    except BaseException as e:
        exc = exc_line(e)
        # As the prompt does: the last exception stays alive in sys.
        sys.last_type, sys.last_value, sys.last_traceback = \
            type(e), e, e.__traceback__
        if sys.version_info >= (3, 12):
            sys.last_exc = e
    finally:
        off()
        sys.stdout = sys.stderr = real
        e = None
    print(json.dumps({"output": out.getvalue(), "exception": exc,
                      "events": [list(h) for h in hops]}))
    real.flush()


step(compile(open(program).read(), program, "exec"))
for statement in sys.argv[2:]:
    step(compile(statement + "\n", "<stdin>", "single"))
