"""Calls the candidate's function once per test inside the sandbox and reports what it returned.

Runs in the same process as untrusted code, so it is trusted with nothing: it never sees
expected values, and no hidden test's arguments while a visible test's result is still to come.
The worker sends the code, then the visible tests' arguments, then the hidden tests' (docs/sandbox.md,
"Hidden tests"), as length-prefixed JSON frames on stdin; end of input means no more tests. Results
leave as length-prefixed JSON frames on the fd named in argv[1], apart from stdout so that
candidate output cannot pose as a result.
"""

import builtins
import os
import resource
import sys
import time

NON_FINITE = "return value contains NaN or Infinity, which JSON cannot represent"


def json_codec():
    """(loads, dumps) built on the C accelerators: ``import json`` pulls in ``re``, ~6 ms a run."""
    try:
        import _json

        class Options:
            strict = True
            object_hook = object_pairs_hook = None
            parse_float, parse_int = float, int
            parse_constant = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}.__getitem__

        def unserialisable(value):
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

        scan = _json.make_scanner(Options())

        def loads(text):
            return scan(text, 0)[0]

        def dumps(value):
            # A fresh encoder each time: its cycle markers are not cleared after an error. NaN is refused.
            args = ({}, unserialisable, _json.encode_basestring_ascii, None, ":", ",", False, False, False)
            return "".join(_json.make_encoder(*args)(value, 0))

        works = dumps([1, "\u00e9", {"a": 2.5, "b": None}]) == '[1,"\\u00e9",{"a":2.5,"b":null}]'
        if works and loads("[1,{}]") == [1, {}]:
            return loads, dumps
    except (ImportError, TypeError, AttributeError, ValueError):
        pass
    import json

    return json.loads, lambda value: json.dumps(value, separators=(",", ":"), allow_nan=False)


def read_exactly(size):
    """``size`` bytes from stdin, or None when the input ends first."""
    chunks, missing = [], size
    while missing:
        data = os.read(0, missing)
        if not data:
            return None
        chunks.append(data)
        missing -= len(data)
    return b"".join(chunks)


def main():
    loads, dumps = json_codec()
    result_fd = int(sys.argv[1])
    os.closerange(3, result_fd)
    os.closerange(result_fd + 1, 4096)
    sys.setrecursionlimit(20000)

    def send(text):
        data = text.encode()
        data = len(data).to_bytes(4, "big") + data
        while data:
            data = data[os.write(result_fd, data) :]

    def receive():
        head = read_exactly(4)
        body = None if head is None else read_exactly(int.from_bytes(head, "big"))
        return None if body is None else loads(body.decode())

    request = receive()
    try:
        code = compile(request["code"], "solution.py", "exec")
    except (SyntaxError, ValueError) as exc:
        send(dumps({"t": "compile_error", "error": describe_syntax_error(exc)}))
        return
    namespace = {"__name__": "solution", "__builtins__": builtins}
    try:
        exec(code, namespace)  # noqa: S102 - running the candidate's code is this file's job
    except BaseException as exc:  # noqa: BLE001 - anything the module does at load time is the candidate's error
        send(dumps({"t": "load_error", "error": describe(exc), "memory": isinstance(exc, MemoryError)}))
        return
    function = namespace.get(request["function"])
    if not callable(function):
        send(dumps({"t": "compile_error", "error": f"function {request['function']!r} is not defined"}))
        return
    flush_std()
    send(dumps({"t": "ready", "rss_kb": max_rss_kb()}))

    index = 0
    while (args := receive()) is not None:
        start = time.perf_counter()
        try:
            value = function(*args)
        except BaseException as exc:  # noqa: BLE001 - SystemExit and friends are the candidate's errors too
            elapsed = time.perf_counter() - start
            error, memory = describe(exc), isinstance(exc, MemoryError)
        else:
            elapsed = time.perf_counter() - start
            try:
                actual = dumps(value)
            except (TypeError, ValueError, RecursionError, MemoryError) as exc:
                error, memory = unserialisable(exc), isinstance(exc, MemoryError)
            else:
                error = None
        flush_std()
        timing = f'"i":{index},"time_ms":{elapsed * 1000:.3f},"rss_kb":{max_rss_kb()}'
        if error is None:
            send(f'{{"t":"case","ok":true,{timing},"actual":{actual}}}')
        else:
            send(f'{{"t":"case","ok":false,{timing},"error":{dumps(error)},"memory":{dumps(memory)}}}')
        index += 1
    send(dumps({"t": "done", "rss_kb": max_rss_kb()}))


def flush_std():
    for stream in (sys.stdout, sys.stderr):
        # A candidate may have closed or replaced the stream; contextlib would cost an import.
        try:  # noqa: SIM105
            stream.flush()
        except Exception:  # noqa: BLE001, S110
            pass


def max_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def unserialisable(exc):
    if isinstance(exc, ValueError) and "Out of range float" in str(exc):
        return NON_FINITE
    if isinstance(exc, RecursionError):
        return f"return value is nested too deeply to encode ({describe(exc)})"
    return f"return value is not JSON-serialisable: {describe(exc)}"


def describe(exc):
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "solution.py":
            line = tb.tb_lineno
        tb = tb.tb_next
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return f"{text} (line {line})" if line else text


def describe_syntax_error(exc):
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"{type(exc).__name__}: {exc.msg} (line {exc.lineno})"
    return f"{type(exc).__name__}: {exc}"


if __name__ == "__main__":
    main()
    flush_std()
