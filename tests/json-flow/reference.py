"""What CPython did, step by step, for tests/json-flow.sh: runs a lesson's
python blocks and >>> statements in one namespace, under sys.setprofile,
and prints one JSON list per step of the hops of generator frames:
[function, "resume" or "leave", callers, printed], where callers are the
qualified names of the ordinary lesson functions right below a resumed
frame (down to a generator frame, the module or non-lesson code),
outermost first, and printed is how many characters the step had printed
before the hop.  docs/json.md says the same of an event's callers and
printed."""
import io
import json
import sys

GEN = 0x20 | 0x80 | 0x200   # CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR


def steps(path):
    """The lesson's steps: ("exec", code) or ("single", statement)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        fence = lines[i].strip()
        if fence in ("```python", "```pycon"):
            j = i + 1
            body = []
            while lines[j].strip() != "```":
                body.append((j + 1, lines[j]))
                j += 1
            if fence == "```python":
                # Padded so that line numbers are the file's.
                out.append(("exec", "\n" * (body[0][0] - 1) +
                            "\n".join(t for _, t in body) + "\n"))
            else:
                for _, t in body:
                    if t.startswith(">>> "):
                        out.append(("single", t[4:]))
            i = j
        i += 1
    return out


def main(path):
    ns = {"__name__": "__main__"}
    real = sys.stdout
    for mode, src in steps(path):
        buf = io.StringIO()
        hops = []

        def lesson(code):
            return code.co_filename in (path, "<stdin>")

        def profile(frame, event, arg):
            code = frame.f_code
            if event not in ("call", "return") or not code.co_flags & GEN or not lesson(code):
                return
            callers = []
            f = frame.f_back
            while f is not None and not f.f_code.co_flags & GEN and lesson(f.f_code) \
                    and f.f_code.co_qualname != "<module>":
                callers.insert(0, f.f_code.co_qualname)
                f = f.f_back
            hops.append([code.co_qualname, "resume" if event == "call" else "leave",
                         callers if event == "call" else None, len(buf.getvalue())])

        sys.stdout = buf
        sys.setprofile(profile)
        try:
            exec(compile(src, path if mode == "exec" else "<stdin>", mode), ns)
        except Exception:
            pass
        finally:
            sys.setprofile(None)
            sys.stdout = real
        print(json.dumps(hops))


main(sys.argv[1])
