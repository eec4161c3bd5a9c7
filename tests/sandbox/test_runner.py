"""Correctness of run_submission in both languages, under whatever isolation this machine has."""

import json

import pytest

from sandbox import run_submission

from .conftest import FAST_LIMITS

LANGUAGES = ["python", "javascript"]

TWO_SUM_TESTS = [
    {"name": "example", "args": [[2, 7, 11, 15], 9], "expected": [0, 1]},
    {"name": "negatives", "args": [[-3, 4, 3, 90], 0], "expected": [0, 2], "hidden": True},
    {"name": "any order", "args": [[3, 2, 4], 6], "expected": [2, 1], "compare": "unordered"},
]

CODE = {
    "python": {
        "correct": """
def two_sum(nums, target):
    seen = {}
    for i, n in enumerate(nums):
        if target - n in seen:
            return (seen[target - n], i)
        seen[n] = i
""",
        "wrong": "def two_sum(nums, target):\n    return [9, 9]\n",
        "partial": "def two_sum(nums, target):\n    return [0, 1] if target == 9 else [1, 1]\n",
        "raises": "def two_sum(nums, target):\n    if target == 0:\n        return 1 // 0\n    return [0, 1]\n",
        "syntax": "def two_sum(nums, target)\n    return []\n",
        "slow": "def two_sum(nums, target):\n    while target == 0:\n        pass\n    return [0, 1]\n",
        "prints": "def two_sum(nums, target):\n    print('looking at', target)\n    return [0, 1]\n",
        "floods": "def two_sum(nums, target):\n    print('x' * 100_000)\n    return [0, 1]\n",
        "missing": "def other(nums, target):\n    return [0, 1]\n",
        "undefined": "def two_sum(nums, target):\n    return None\n",
        "unserialisable": "def two_sum(nums, target):\n    return {1, 2}\n",
        "exits": "import os\ndef two_sum(nums, target):\n    os._exit(0)\n",
        "float": "def two_sum(nums, target):\n    return [0.1 + 0.2, target / 3]\n",
        "memory": "def two_sum(nums, target):\n    return len(bytearray(512 * 1024 * 1024))\n",
    },
    "javascript": {
        "correct": """
function twoSum(nums, target) {
  const seen = new Map();
  for (let i = 0; i < nums.length; i++) {
    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];
    seen.set(nums[i], i);
  }
}
""",
        "wrong": "function twoSum(nums, target) { return [9, 9]; }",
        "partial": "function twoSum(nums, target) { return target === 9 ? [0, 1] : [1, 1]; }",
        "raises": "function twoSum(nums, target) {\n  if (target === 0) null.boom();\n  return [0, 1];\n}",
        "syntax": "function twoSum(nums, target) { return [; }",
        "slow": "function twoSum(nums, target) { while (target === 0) {} return [0, 1]; }",
        "prints": "function twoSum(nums, target) { console.log('looking at', target); return [0, 1]; }",
        "floods": "function twoSum(nums, target) { console.log('x'.repeat(100000)); return [0, 1]; }",
        "missing": "function other(nums, target) { return [0, 1]; }",
        "undefined": "function twoSum(nums, target) { }",
        "unserialisable": "function twoSum(nums, target) { return 10n; }",
        "exits": "function twoSum(nums, target) { process.exit(0); }",
        "float": "function twoSum(nums, target) { return [0.1 + 0.2, target / 3]; }",
        "memory": "function twoSum(nums, target) { const a = []; for (;;) a.push(new Array(1e6).fill(1.5)); }",
    },
}
NAMES = {"python": "two_sum", "javascript": "twoSum"}


def run(language, variant, tests=TWO_SUM_TESTS, limits=None):
    return run_submission(language, CODE[language][variant], NAMES[language], tests, limits or FAST_LIMITS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_correct_solution_is_accepted_with_per_test_times(language):
    result = run(language, "correct")
    assert result["verdict"] == "accepted"
    assert (result["passed"], result["total"]) == (3, 3)
    assert [case["status"] for case in result["cases"]] == ["passed"] * 3
    assert [case["name"] for case in result["cases"]] == ["example", "negatives", "any order"]
    assert all(isinstance(case["time_ms"], float) and case["time_ms"] >= 0 for case in result["cases"])
    assert result["cases"][0]["actual"] == [0, 1]
    assert result["memory_kb"] > 0
    assert result["isolation"]["level"] in ("full", "degraded")


@pytest.mark.parametrize("language", LANGUAGES)
def test_wrong_solution_is_wrong_answer(language):
    result = run(language, "wrong")
    assert result["verdict"] == "wrong_answer"
    assert result["passed"] == 0
    assert {case["status"] for case in result["cases"]} == {"failed"}
    assert result["cases"][0]["actual"] == [9, 9]


@pytest.mark.parametrize("language", LANGUAGES)
def test_partially_correct_solution_counts_passed_tests(language):
    result = run(language, "partial")
    assert result["verdict"] == "wrong_answer"
    assert result["passed"] == 1
    assert [case["status"] for case in result["cases"]] == ["passed", "failed", "failed"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_exception_in_one_test_is_runtime_error_for_that_test_only(language):
    shown = {**TWO_SUM_TESTS[1], "hidden": False}
    tests = [TWO_SUM_TESTS[0], shown, {"name": "again", "args": [[5, 4], 9], "expected": [0, 1]}]
    result = run(language, "raises", tests)
    assert result["verdict"] == "runtime_error"
    assert [case["status"] for case in result["cases"]] == ["passed", "error", "passed"]
    error = result["cases"][1]["error"]
    assert ("ZeroDivisionError" if language == "python" else "TypeError") in error
    assert "line 3" in error if language == "python" else "line 2" in error


@pytest.mark.parametrize("language", LANGUAGES)
def test_syntax_error_is_compile_error_with_the_message(language):
    result = run(language, "syntax")
    assert result["verdict"] == "compile_error"
    assert {case["status"] for case in result["cases"]} == {"error"}
    assert "SyntaxError" in result["error"]
    assert result["cases"][0]["error"] == result["error"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_function_is_compile_error(language):
    result = run(language, "missing")
    assert result["verdict"] == "compile_error"
    assert NAMES[language] in result["error"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_slow_solution_is_time_limit_exceeded_and_later_tests_time_out(language):
    result = run(language, "slow")
    assert result["verdict"] == "time_limit_exceeded"
    # The hidden test runs after the visible ones, so the last (wrong) answer still counts.
    assert [case["status"] for case in result["cases"]] == ["passed", "timeout", "failed"]
    later = run(language, "slow", [{**test, "hidden": False} for test in TWO_SUM_TESTS])
    assert [case["status"] for case in later["cases"]] == ["passed", "timeout", "timeout"]
    assert result["time_ms"] < 4000


@pytest.mark.parametrize("language", LANGUAGES)
def test_slow_solution_is_stopped_by_wall_time_when_cpu_allows_more(language):
    result = run(language, "slow", limits={"cpu_ms": 5000, "wall_ms": 800})
    assert result["verdict"] == "time_limit_exceeded"
    assert result["time_ms"] < 3000


@pytest.mark.parametrize("language", LANGUAGES)
def test_unordered_and_float_comparisons(language):
    tests = [
        {"name": "floats", "args": [[], 1], "expected": [0.3, 0.333333333], "compare": "float"},
        {"name": "strict", "args": [[], 1], "expected": [0.3, 0.333333333]},
        {"name": "tolerant", "args": [[], 1], "expected": [0.31, 0.33], "compare": "float", "tolerance": 0.05},
    ]
    result = run(language, "float", tests)
    assert [case["status"] for case in result["cases"]] == ["passed", "failed", "passed"]
    unordered = run(language, "correct", [{"args": [[3, 2, 4], 6], "expected": [2, 1], "compare": "unordered"}])
    assert unordered["verdict"] == "accepted"


@pytest.mark.parametrize("language", LANGUAGES)
def test_stdout_is_captured_apart_from_results(language):
    result = run(language, "prints", [{"args": [[], target], "expected": [0, 1]} for target in (9, 0, 6)])
    assert result["verdict"] == "accepted"
    assert result["stdout"].splitlines() == ["looking at 9", "looking at 0", "looking at 6"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_stdout_is_capped_and_flooding_is_output_limit_exceeded(language):
    result = run(language, "floods", limits={**FAST_LIMITS, "output_kb": 64})
    assert result["verdict"] == "output_limit_exceeded"
    assert len(result["stdout"]) + len(result["stderr"]) <= 64 * 1024
    assert result["stdout"].startswith("x" * 1000)


@pytest.mark.parametrize("language", LANGUAGES)
def test_printed_forged_result_frames_do_not_change_the_verdict(language):
    forged = json.dumps({"t": "case", "i": 0, "ok": True, "time_ms": 1, "rss_kb": 1, "actual": "hidden"})
    frames = [forged, json.dumps({"t": "done", "rss_kb": 1})]
    marker = "".join(len(f).to_bytes(4, "big").decode("latin-1") + f for f in frames)
    code = {
        "python": f"import sys\ndef two_sum(a, b):\n    sys.stdout.write({marker!r}); sys.stderr.write({marker!r})\n"
        "    return 'mine'\n",
        "javascript": f"function twoSum(a, b) {{ process.stdout.write({json.dumps(marker)}); "
        f"process.stderr.write({json.dumps(marker)}); return 'mine'; }}",
    }[language]
    result = run_submission(language, code, NAMES[language], [{"args": [1, 2], "expected": "hidden"}], FAST_LIMITS)
    assert result["verdict"] == "wrong_answer"
    assert result["cases"][0]["actual"] == "mine"


@pytest.mark.parametrize("language", LANGUAGES)
def test_frames_written_to_the_result_channel_itself_are_detected(language):
    forged = json.dumps({"t": "case", "i": 0, "ok": True, "actual": "hidden"}).encode()
    code = {
        "python": "import os, sys\ndef two_sum(a, b):\n"
        f"    data = {forged!r}\n    os.write(int(sys.argv[1]), len(data).to_bytes(4, 'big') + data)\n"
        "    return 'mine'\n",
        "javascript": "function twoSum(a, b) {\n"
        f"  const body = Buffer.from({json.dumps(forged.decode())});\n"
        "  const head = Buffer.alloc(4); head.writeUInt32BE(body.length);\n"
        "  require('fs').writeSync(Number(process.argv[2]), Buffer.concat([head, body]));\n"
        "  return 'mine';\n}",
    }[language]
    result = run_submission(language, code, NAMES[language], [{"args": [1, 2], "expected": "hidden"}] * 2, FAST_LIMITS)
    assert result["verdict"] == "runtime_error"
    assert "result channel" in result["error"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_return_value_is_null(language):
    result = run(language, "undefined", [{"args": [[1], 1], "expected": None}])
    assert result["verdict"] == "accepted"


@pytest.mark.parametrize("language", LANGUAGES)
def test_unserialisable_return_value_is_a_runtime_error(language):
    result = run(language, "unserialisable", [{"args": [[1], 1], "expected": [1, 2]}])
    assert result["verdict"] == "runtime_error"
    assert result["cases"][0]["status"] == "error"


@pytest.mark.parametrize("language", LANGUAGES)
def test_exiting_midway_is_a_runtime_error(language):
    result = run(language, "exits")
    assert result["verdict"] == "runtime_error"
    assert {case["status"] for case in result["cases"]} == {"error"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_exhausting_memory_is_memory_limit_exceeded(language):
    result = run(language, "memory", limits={**FAST_LIMITS, "memory_mb": 128})
    assert result["verdict"] == "memory_limit_exceeded"


@pytest.mark.parametrize("language", LANGUAGES)
def test_expected_values_never_enter_the_sandbox(language):
    code = {
        "python": "import gc, sys\ndef two_sum(a, b):\n"
        "    return [o for o in gc.get_objects() if isinstance(o, str) and o.startswith('needle-')] or 'none'\n",
        "javascript": "function twoSum(a, b) {\n"
        "  const m = require('fs').readFileSync('/proc/self/cmdline', 'latin1')\n"
        "    + JSON.stringify(process.argv);\n  return m.includes('needle-') ? 'found' : 'none';\n}",
    }[language]
    result = run_submission(language, code, NAMES[language], [{"args": [1, 2], "expected": "needle-7f3a"}], FAST_LIMITS)
    assert result["cases"][0]["actual"] == "none"


def test_invalid_arguments_are_the_callers_error():
    with pytest.raises(ValueError, match="language"):
        run_submission("cobol", "", "f", [])
    with pytest.raises(ValueError, match="function name"):
        run_submission("python", "", "not a name", [])
    with pytest.raises(ValueError, match="args"):
        run_submission("python", "", "f", [{"expected": 1}])


@pytest.mark.parametrize("language", LANGUAGES)
def test_hidden_cases_run_last_and_leave_no_output_or_values_in_the_result(language):
    code = {
        "python": "import sys\nCALLS = []\ndef two_sum(a, b):\n    CALLS.append(b)\n    print('out', b)\n"
        "    print('err', b, file=sys.stderr)\n    if b == 'boom-7c1e':\n        raise ValueError(b)\n"
        "    return list(CALLS)\n",
        "javascript": "const CALLS = [];\nfunction twoSum(a, b) {\n  CALLS.push(b);\n  console.log('out', b);\n"
        "  console.error('err', b);\n  if (b === 'boom-7c1e') throw new Error(b);\n  return [...CALLS];\n}",
    }[language]
    tests = [
        {"name": "hidden", "args": [[], "hidden-4d2a"], "expected": ["hidden-4d2a"], "hidden": True},
        {"name": "visible", "args": [[], "shown"], "expected": ["shown"]},
        {"name": "hidden error", "args": [[], "boom-7c1e"], "expected": None, "hidden": True},
    ]
    result = run_submission(language, code, NAMES[language], tests, FAST_LIMITS)
    assert [case["status"] for case in result["cases"]] == ["failed", "passed", "error"]
    assert result["verdict"] == "wrong_answer"
    assert (result["stdout"], result["stderr"]) == ("out shown\n", "err shown\n")
    assert "hidden-4d2a" not in json.dumps(result)
    assert "boom-7c1e" not in json.dumps(result)
    assert all(isinstance(case["time_ms"], float) for case in result["cases"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_hidden_case_reports_only_what_the_worker_measured(language):
    """Times and memory written by the code itself during a hidden case could carry its input out."""
    forged = [
        json.dumps({"t": "case", "i": 1, "ok": True, "time_ms": 987654321.5, "rss_kb": 987654321, "actual": 1}),
        json.dumps({"t": "done", "rss_kb": 987654321}),
    ]
    code = {
        "python": "import os, sys\ndef two_sum(a, b):\n    if b == 'hidden':\n"
        f"        for body in {forged!r}:\n            data = body.encode()\n"
        "            os.write(int(sys.argv[1]), len(data).to_bytes(4, 'big') + data)\n        os._exit(0)\n"
        "    return 1\n",
        "javascript": "const fs = require('fs');\nfunction twoSum(a, b) {\n  if (b === 'hidden') {\n"
        f"    for (const text of {json.dumps(forged)}) {{\n      const body = Buffer.from(text);\n"
        "      const head = Buffer.alloc(4); head.writeUInt32BE(body.length);\n"
        "      fs.writeSync(Number(process.argv[2]), Buffer.concat([head, body]));\n    }\n    process.exit(0);\n"
        "  }\n  return 1;\n}",
    }[language]
    tests = [{"args": [[], "shown"], "expected": 1}, {"args": [[], "hidden"], "expected": 1, "hidden": True}]
    result = run_submission(language, code, NAMES[language], tests, FAST_LIMITS)
    assert result["cases"][1]["time_ms"] <= result["time_ms"]
    assert result["memory_kb"] != 987654321


def nested(language, depth_expression):
    return {
        "python": f"def two_sum(a, b):\n    value = []\n    for _ in range({depth_expression}):\n"
        "        value = [value]\n    return value\n",
        "javascript": f"function twoSum(a, b) {{ let value = []; for (let i = 0; i < {depth_expression}; i++) "
        "value = [value]; return value; }",
    }[language]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("depth", [200, 5000])
def test_a_deeply_nested_return_value_is_a_runtime_error(language, depth):
    tests = [{"args": [[], depth], "expected": []}, {"args": [[], 0], "expected": []}]
    result = run_submission(language, nested(language, "b"), NAMES[language], tests, FAST_LIMITS)
    assert result["verdict"] == "runtime_error", result["error"]
    assert [case["status"] for case in result["cases"]] == ["error", "passed"]
    assert "nested" in result["cases"][0]["error"]


def result_channel_writer(language, text):
    """Code that writes ``text`` as a frame on the result channel, then returns normally."""
    return {
        "python": "import os, sys\ndef two_sum(a, b):\n"
        f"    data = {text!r}.encode()\n    os.write(int(sys.argv[1]), len(data).to_bytes(4, 'big') + data)\n"
        "    return 1\n",
        "javascript": "function twoSum(a, b) {\n"
        f"  const body = Buffer.from({json.dumps(text)});\n"
        "  const head = Buffer.alloc(4); head.writeUInt32BE(body.length);\n"
        "  require('fs').writeSync(Number(process.argv[2]), Buffer.concat([head, body]));\n  return 1;\n}",
    }[language]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "frame",
    [
        "[" * 5000,
        '{"t":"case","i":0,"ok":true,"time_ms":1,"actual":' + "[" * 5000 + "]" * 5000 + "}",
        '{"t":"case","i":0,"ok":true,"time_ms":1,"actual":NaN}',
        '{"t":"case","i":0,"ok":true,"time_ms":1e999,"actual":1e999}',
        '{"t":"case","i":0,"ok":true,"time_ms":1,"actual":"\\ud800"}',
        '{"t":"case","i":0,"ok":true,"time_ms":1,"actual":' + "1" * 5000 + "}",
        "\xff\xfe not json",
    ],
    ids=["brackets", "deep actual", "nan", "infinity", "surrogate", "huge int", "garbage"],
)
def test_undecodable_result_frames_are_a_runtime_error(language, frame):
    result = run_submission(language, result_channel_writer(language, frame), NAMES[language],
                            [{"args": [[], 0], "expected": 1}], FAST_LIMITS)
    assert result["verdict"] == "runtime_error", result
    assert result["cases"][0]["status"] == "error"
    json.dumps(result, allow_nan=False, ensure_ascii=False).encode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_nan_and_infinity_return_values_are_a_runtime_error(language, value):
    literal = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}[value]
    code = {
        "python": f"def two_sum(a, b):\n    return [1, float({value!r})]\n",
        "javascript": f"function twoSum(a, b) {{ return [1, {literal}]; }}",
    }[language]
    result = run_submission(language, code, NAMES[language], [{"args": [[], 0], "expected": [1, None]}], FAST_LIMITS)
    assert result["verdict"] == "runtime_error"
    assert "NaN or Infinity" in result["cases"][0]["error"]
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("text", ["\ud800", "a\x00b"], ids=["lone surrogate", "nul"])
def test_strings_that_cannot_be_stored_or_shown_are_a_runtime_error(language, text):
    code = {
        "python": f"def two_sum(a, b):\n    s = {text!r}\n    if b:\n        raise ValueError(s)\n"
        "    return {s: [s]}\n",
        "javascript": f"function twoSum(a, b) {{\n  const s = {json.dumps(text)};\n  if (b) throw new Error(s);\n"
        "  return { [s]: [s] };\n}",
    }[language]
    tests = [{"args": [[], 0], "expected": 1}, {"args": [[], 1], "expected": 1}]
    result = run_submission(language, code, NAMES[language], tests, FAST_LIMITS)
    assert result["verdict"] == "runtime_error"
    assert [case["status"] for case in result["cases"]] == ["error", "error"]
    assert "not valid text" in result["cases"][0]["error"]
    encoded = json.dumps(result, ensure_ascii=False)
    encoded.encode()
    assert "\x00" not in encoded
    assert "\\u0000" not in encoded
