"""Escape and abuse attempts, each as the candidate's "solution", in Python and JavaScript.

Every test expects the secret the attack is after as the return value, so ``accepted`` would
mean the attack worked. After each run the host must be untouched: no process of the run's
uid alive, no box left behind, canaries intact.
"""

import json
import os
import secrets
import threading
import time
from pathlib import Path

import pytest

from sandbox import isolation, run_submission, state

from .conftest import FAST_LIMITS, full_isolation_reason

pytestmark = pytest.mark.attack


@pytest.fixture(autouse=True)
def _only_with_full_isolation():
    reason = full_isolation_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture
def used_uids(monkeypatch):
    """Record the slot uid of each run, so the test can check nothing of it survives."""
    uids = []
    real_slot = state.slot

    def recording_slot(count):
        context = real_slot(count)
        number = context.__enter__()
        uids.append(isolation.uid_base() + number)

        class Wrapper:
            def __enter__(self):
                return number

            def __exit__(self, *exc):
                return context.__exit__(*exc)

        return Wrapper()

    monkeypatch.setattr(state, "slot", recording_slot)
    return uids


@pytest.fixture
def host(used_uids):
    """Checks after the test that the host was left as it was."""
    boxes_before = set(os.listdir(state.boxes_dir()))
    yield used_uids
    assert used_uids, "the run used no slot uid"
    for uid in used_uids:
        assert state.live_processes_of_uid(uid) == [], f"a process of uid {uid} survived the run"
    deadline = time.monotonic() + 2
    while (leftovers := set(os.listdir(state.boxes_dir())) - boxes_before) and time.monotonic() < deadline:
        time.sleep(0.05)  # another developer's concurrent run may be mid-flight
    assert not leftovers, f"boxes left behind: {leftovers}"


@pytest.fixture
def secret(monkeypatch):
    value = "s3cret-" + secrets.token_hex(8)
    monkeypatch.setenv("SANDBOX_ATTACK_SECRET", value)
    return value


NAMES = {"python": "attack", "javascript": "attack"}


def attack(language, code, args, expected, limits=None):
    """One visible test, so that what the code returned or raised is in the result to check."""
    tests = [{"name": "attack", "args": args, "expected": expected}]
    return run_submission(language, code, NAMES[language], tests, {**FAST_LIMITS, **(limits or {})})


def assert_failed(result, secret=None):
    assert result["verdict"] != "accepted", result
    if secret is not None:
        assert secret not in json.dumps(result)


BOTH = pytest.mark.parametrize("language", ["python", "javascript"])


@BOTH
def test_infinite_loop_is_stopped(host, language):
    code = {
        "python": "def attack():\n    while True:\n        pass\n",
        "javascript": "function attack() { for (;;) {} }",
    }[language]
    started = time.monotonic()
    result = attack(language, code, [], "never")
    assert result["verdict"] == "time_limit_exceeded"
    assert time.monotonic() - started < 3.5


@BOTH
def test_fork_bomb_is_contained(host, language):
    code = {
        "python": "import os\ndef attack():\n    while True:\n        os.fork()\n",
        "javascript": "function attack() {\n  const cp = require('child_process');\n"
        "  for (;;) { const r = cp.spawnSync('/bin/sh', ['-c', ':']); if (r.error) throw r.error; }\n}",
    }[language]
    result = attack(language, code, [], "forked")
    assert_failed(result)
    assert "Operation not permitted" in result["cases"][0]["error"] or "EPERM" in result["cases"][0]["error"]


def test_javascript_thread_bomb_is_contained(host):
    code = (
        "function attack() {\n  const { Worker } = require('worker_threads');\n"
        "  for (let i = 0; i < 1000; i++) new Worker('for (;;) {}', { eval: true });\n"
        "  return new Promise(() => {});\n}"
    )
    assert_failed(attack("javascript", code, [], "threads"))


@BOTH
def test_huge_allocation_fails(host, language):
    code = {
        "python": "def attack():\n    return len(bytearray(4 * 1024 ** 3))\n",
        "javascript": "function attack() { const parts = []; for (let i = 0; i < 64; i++) "
        "parts.push(Buffer.alloc(64 * 1024 * 1024, 1)); return parts.length; }",
    }[language]
    result = attack(language, code, [], 4 * 1024**3)
    assert result["verdict"] == "memory_limit_exceeded", result


@BOTH
def test_huge_file_is_cut_off_and_removed(host, language):
    code = {
        "python": "def attack():\n    chunk = b'x' * (1024 * 1024)\n    with open('big', 'wb') as f:\n"
        "        for _ in range(1024):\n            f.write(chunk)\n    return 'written'\n",
        "javascript": "function attack() {\n  const fs = require('fs');\n"
        "  const chunk = Buffer.alloc(1024 * 1024, 120);\n"
        "  const fd = fs.openSync('big', 'w');\n  for (let i = 0; i < 1024; i++) fs.writeSync(fd, chunk);\n"
        "  return 'written';\n}",
    }[language]
    assert_failed(attack(language, code, [], "written"))


@BOTH
def test_flood_of_stdout_is_cut_off(host, language):
    code = {
        "python": "import sys\ndef attack():\n    line = 'y' * 1024 + '\\n'\n    for _ in range(100 * 1024):\n"
        "        sys.stdout.write(line)\n    return 'flooded'\n",
        "javascript": "function attack() { const line = 'y'.repeat(1024) + '\\n';\n"
        "  for (let i = 0; i < 100 * 1024; i++) process.stdout.write(line); return 'flooded'; }",
    }[language]
    started = time.monotonic()
    result = attack(language, code, [], "flooded")
    assert result["verdict"] == "output_limit_exceeded"
    assert len(result["stdout"]) <= FAST_LIMITS.get("output_kb", 64) * 1024
    assert time.monotonic() - started < 3


@BOTH
@pytest.mark.parametrize("port", [5432, 6379])
def test_loopback_services_are_unreachable(host, language, port):
    code = {
        "python": "import socket\ndef attack(port):\n    s = socket.create_connection(('127.0.0.1', port), timeout=1)\n"
        "    s.sendall(b'PING\\r\\n')\n    return 'connected'\n",
        "javascript": "function attack(port) {\n  return new Promise((resolve, reject) => {\n"
        "    const s = require('net').connect(port, '127.0.0.1', () => resolve('connected'));\n"
        "    s.on('error', reject);\n  });\n}",
    }[language]
    result = attack(language, code, [port], "connected")
    assert_failed(result)
    assert result["cases"][0]["status"] == "error"


@BOTH
def test_worker_environment_is_not_visible(host, language, secret):
    code = {
        "python": "import os\ndef attack():\n    return os.environ.get('SANDBOX_ATTACK_SECRET') or dict(os.environ)\n",
        "javascript": "function attack() { return process.env.SANDBOX_ATTACK_SECRET || process.env; }",
    }[language]
    result = attack(language, code, [], secret)
    assert_failed(result, secret)
    allowed = {"PATH", "PWD", "LANG", "HOME", "TMPDIR", "MALLOC_ARENA_MAX", "UV_THREADPOOL_SIZE"}
    assert set(result["cases"][0]["actual"]) <= allowed


@BOTH
def test_worker_proc_environ_is_not_readable(host, language, secret):
    code = {
        "python": "def attack(pid):\n    found = []\n    for p in (pid, 1, 2):\n        try:\n"
        "            found.append(open(f'/proc/{p}/environ', 'rb').read().decode('latin-1'))\n"
        "        except OSError as e:\n            found.append(str(e))\n    return found\n",
        "javascript": "function attack(pid) { return [pid, 1, 2].map((p) => { try { return require('fs')"
        ".readFileSync(`/proc/${p}/environ`, 'latin1'); } catch (e) { return String(e); } }); }",
    }[language]
    assert_failed(attack(language, code, [os.getpid()], secret), secret)


@BOTH
def test_shadow_file_is_not_readable(host, language):
    shadow = Path("/etc/shadow")
    expected = shadow.read_text() if shadow.exists() else "root:"
    code = {
        "python": "def attack():\n    return open('/etc/shadow').read()\n",
        "javascript": "function attack() { return require('fs').readFileSync('/etc/shadow', 'utf8'); }",
    }[language]
    result = attack(language, code, [], expected)
    assert_failed(result)
    assert "ENOENT" in result["cases"][0]["error"] or "No such file" in result["cases"][0]["error"]


@BOTH
def test_another_running_box_is_not_readable(host, language, secret):
    """The first run keeps its box alive with a secret in it while the second goes looking for it."""
    boxes_before = set(os.listdir(state.boxes_dir()))
    writer = "import time\ndef attack(s):\n    open('secret.txt', 'w').write(s)\n    time.sleep(1.5)\n    return s\n"
    first = {}
    thread = threading.Thread(
        target=lambda: first.update(attack("python", writer, [secret], secret, {"wall_ms": 4000}))
    )
    thread.start()
    deadline = time.monotonic() + 1.5
    while not (new := set(os.listdir(state.boxes_dir())) - boxes_before) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert new, "the first run's box did not appear"
    other_box = str(state.boxes_dir() / sorted(new)[0])
    time.sleep(0.2)
    code = {
        "python": "import glob, os\ndef attack(box):\n    found = []\n"
        "    for path in [box + '/secret.txt', *glob.glob(os.path.dirname(box) + '/*/secret.txt'),"
        " *glob.glob('/proc/*/cwd/secret.txt')]:\n        try:\n            found.append(open(path).read())\n"
        "        except OSError as e:\n            found.append(str(e))\n    return ''.join(found)\n",
        "javascript": "function attack(box) {\n  const fs = require('fs');\n  try { return fs.readFileSync(box + "
        "'/secret.txt', 'utf8'); } catch (e) { return String(e) + fs.readdirSync('/').join(','); }\n}",
    }[language]
    second = attack(language, code, [other_box], secret)
    thread.join()
    assert first["verdict"] == "accepted", "the first run should have passed its own test"
    assert_failed(second, secret)


@BOTH
def test_hidden_expected_values_are_nowhere_in_the_sandbox(host, language, secret):
    code = {
        "python": "import gc, glob, os, re\nNEEDLE = re.compile(''.join(['s3', 'cret-']) + '[0-9a-f]{16}')\n"
        "def attack(x):\n    hay = [repr(o) for o in gc.get_objects() if isinstance(o, (str, dict, list))]\n"
        "    for path in ['/proc/self/cmdline', '/proc/self/environ', *glob.glob('/sandbox/*'), *glob.glob('/box/*'),"
        " *glob.glob('/tmp/*')]:\n        try:\n            hay.append(open(path, 'rb').read().decode('latin-1'))\n"
        "        except OSError:\n            pass\n"
        "    return [m for h in hay for m in NEEDLE.findall(h)] or 'nothing'\n",
        "javascript": "function attack(x) {\n  const fs = require('fs');\n  const needle = ['s3', 'cret-'].join('');\n"
        "  const hay = [JSON.stringify(process.argv), "
        "JSON.stringify(process.env), JSON.stringify(Object.keys(globalThis))];\n"
        "  for (const p of ['/proc/self/cmdline', '/proc/self/environ', ...fs.readdirSync('/sandbox').map((f) => "
        "'/sandbox/' + f)]) { try { hay.push(fs.readFileSync(p, 'latin1')); } catch (e) {} }\n"
        "  const found = hay.filter((h) => h.includes(needle)).map((h) => h.slice(h.indexOf(needle), "
        "h.indexOf(needle) + 23));\n  return found.length ? found : 'nothing';\n}",
    }[language]
    result = attack(language, code, ["visible-arg"], secret)
    assert_failed(result, secret)
    assert result["cases"][0]["actual"] == "nothing"


@BOTH
def test_planted_symlinks_are_not_followed_by_cleanup(host, language, tmp_path):
    canary_dir = tmp_path / "canary"
    canary_dir.mkdir()
    canary = canary_dir / "canary.txt"
    canary.write_text("untouched")
    code = {
        "python": "import os\ndef attack(target, directory):\n    os.symlink(target, 'link')\n"
        "    os.symlink(directory, 'dirlink')\n    os.mkdir('sub')\n    os.symlink(directory, 'sub/deeper')\n"
        "    try:\n        open('link', 'w').write('owned')\n    except OSError:\n        pass\n    return 'planted'\n",
        "javascript": "function attack(target, directory) {\n  const fs = require('fs');\n"
        "  fs.symlinkSync(target, 'link');\n"
        "  fs.symlinkSync(directory, 'dirlink');\n  fs.mkdirSync('sub');\n  fs.symlinkSync(directory, 'sub/deeper');\n"
        "  try { fs.writeFileSync('link', 'owned'); } catch (e) {}\n  return 'planted';\n}",
    }[language]
    result = attack(language, code, [str(canary), str(canary_dir)], "owned")
    assert_failed(result)
    assert result["cases"][0]["actual"] == "planted", "the symlinks should have been planted"
    assert canary.read_text() == "untouched"
    assert os.listdir(canary_dir) == ["canary.txt"]
    assert canary.stat().st_uid == 0


@BOTH
def test_background_process_does_not_outlive_the_run(host, language, tmp_path):
    code = {
        "python": "import subprocess\ndef attack():\n"
        "    subprocess.Popen(['/bin/sh', '-c', 'sleep 1; touch /box/marker'],"
        " start_new_session=True)\n    return 'spawned'\n",
        "javascript": "function attack() {\n"
        "  require('child_process').spawn('/bin/sh', ['-c', 'sleep 1; touch /box/marker'],"
        " { detached: true, stdio: 'ignore' }).unref();\n  setInterval(() => {}, 1000);\n  return 'spawned';\n}",
    }[language]
    result = attack(language, code, [], "spawned-and-survived")
    assert_failed(result)
    time.sleep(1.2)
    assert not list(state.boxes_dir().glob("*/marker"))


@BOTH
def test_shared_memory_and_tmp_do_not_carry_over_to_the_next_run(host, language, secret):
    writer = {
        "python": "def attack(s):\n    for d in ('/dev/shm', '/tmp'):\n"
        "        open(d + '/leftover', 'w').write(s)\n    return s\n",
        "javascript": "function attack(s) { const fs = require('fs'); for (const d of ['/dev/shm', '/tmp']) "
        "fs.writeFileSync(d + '/leftover', s); return s; }",
    }[language]
    assert attack(language, writer, [secret], secret)["verdict"] == "accepted"
    reader = {
        "python": "import os\ndef attack():\n    out = []\n    for d in ('/dev/shm', '/tmp', '/box'):\n"
        "        for name in os.listdir(d):\n            out.append(open(os.path.join(d, name)).read())\n"
        "    return ''.join(out) or 'empty'\n",
        "javascript": "function attack() { const fs = require('fs'); const out = [];\n"
        "  for (const d of ['/dev/shm', '/tmp', '/box']) for (const n of fs.readdirSync(d)) "
        "out.push(fs.readFileSync(d + '/' + n, 'utf8'));\n  return out.join('') || 'empty'; }",
    }[language]
    result = attack(language, reader, [], secret)
    assert_failed(result, secret)
    assert result["cases"][0]["actual"] == "empty"


def test_kernel_escape_hatches_are_closed_by_seccomp(host):
    code = (
        "import ctypes, socket\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "def attack():\n    results = {}\n"
        "    results['unshare'] = libc.unshare(0x10000000)\n"
        "    results['ptrace'] = libc.ptrace(16, 1, 0, 0)\n"
        "    results['mount'] = libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)\n"
        "    results['io_uring'] = libc.syscall(425, 8, 0)\n"
        "    results['bpf'] = libc.syscall(321, 0, 0, 0)\n"
        "    try:\n        socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n        results['inet'] = 0\n"
        "    except OSError:\n        results['inet'] = -1\n"
        "    return results\n"
    )
    result = attack("python", code, [], {"unshare": 0, "ptrace": 0, "mount": 0, "io_uring": 0, "bpf": 0, "inet": 0})
    assert_failed(result)
    assert set(result["cases"][0]["actual"].values()) == {-1}


def hidden_cases_around_a_visible_one(secret):
    """Hidden cases listed first: a harness that took the cases in list order would hand them over early."""
    return [
        {"name": "hidden", "args": [secret], "expected": secret, "hidden": True},
        {"name": "visible", "args": ["visible-arg"], "expected": secret},
        {"name": "hidden too", "args": [secret + "-again"], "expected": 1, "hidden": True},
    ]


HIDDEN_INPUT_HUNTERS = {
    # Everything the process holds: the caller's frames (the harness), every object, stashed earlier calls.
    "python": "import gc, json, os, re, sys\nNEEDLE = re.compile('s3' + 'cret-[0-9a-f]{16}')\nSEEN = []\n"
    "def hunt(x):\n    SEEN.append(repr(x))\n    frame = sys._getframe(2)\n    while frame is not None:\n"
    "        SEEN.append(repr(frame.f_locals))\n        frame = frame.f_back\n"
    "    SEEN.extend(repr(o) for o in gc.get_objects() if isinstance(o, (str, list, dict)))\n"
    "    return sorted(set(NEEDLE.findall(' '.join(SEEN))))\n"
    "def send(record):\n    body = json.dumps(record).encode()\n"
    "    os.write(int(sys.argv[1]), len(body).to_bytes(4, 'big') + body)\n",
    # The whole V8 heap, through a heap snapshot.
    "javascript": "const fs = require('fs');\nconst NEEDLE = new RegExp(['s3', 'cret-[0-9a-f]{16}'].join(''), 'g');\n"
    "const SEEN = [];\nasync function hunt(x) {\n  SEEN.push(String(x));\n"
    "  const chunks = [];\n  for await (const chunk of require('v8').getHeapSnapshot()) chunks.push(chunk);\n"
    "  SEEN.push(Buffer.concat(chunks).toString('latin1'));\n"
    "  return [...new Set(SEEN.join(' ').match(NEEDLE) || [])].sort();\n}\n"
    "function send(record) {\n  const body = Buffer.from(JSON.stringify(record));\n"
    "  const head = Buffer.alloc(4); head.writeUInt32BE(body.length);\n"
    "  fs.writeSync(Number(process.argv[2]), Buffer.concat([head, body]));\n}\n",
}


@BOTH
def test_hidden_inputs_cannot_be_returned_from_a_visible_case(host, language, secret):
    code = HIDDEN_INPUT_HUNTERS[language] + {
        "python": "def attack(x):\n    found = hunt(x)\n    return found or 'nothing'\n",
        "javascript": "async function attack(x) {\n  const found = await hunt(x);\n"
        "  return found.length ? found : 'nothing';\n}",
    }[language]
    tests = hidden_cases_around_a_visible_one(secret)
    result = run_submission(language, code, "attack", tests, {**FAST_LIMITS, "wall_ms": 6000})
    assert result["cases"][1]["actual"] == "nothing", result["cases"][1]
    assert_failed(result, secret)


@BOTH
def test_hidden_inputs_cannot_leave_through_stderr_and_a_forged_compile_error(host, language, secret):
    """Pose as the harness: answer the visible case, read what the worker sends next, print it, then
    claim a compile error so that the caller shows stderr."""
    code = HIDDEN_INPUT_HUNTERS[language] + {
        "python": "def attack(x):\n    found = hunt(x)\n"
        "    send({'t': 'case', 'i': 0, 'ok': True, 'time_ms': 1, 'rss_kb': 1, 'actual': 'x'})\n"
        "    found.append(os.read(0, 1 << 20).decode('latin-1'))\n"
        "    sys.stderr.write(' '.join(found))\n    sys.stderr.flush()\n    sys.stdout.write(' '.join(found))\n"
        "    sys.stdout.flush()\n    send({'t': 'compile_error', 'error': 'see stderr'})\n    os._exit(0)\n",
        "javascript": "async function attack(x) {\n  const found = await hunt(x);\n"
        "  send({ t: 'case', i: 0, ok: true, time_ms: 1, rss_kb: 1, actual: 'x' });\n"
        "  const buffer = Buffer.alloc(1 << 20);\n  let n = 0;\n"
        "  try { n = fs.readSync(0, buffer, 0, buffer.length, null); } catch (e) {}\n"
        "  found.push(buffer.toString('latin1', 0, n));\n"
        "  fs.writeSync(2, found.join(' '));\n  fs.writeSync(1, found.join(' '));\n"
        "  send({ t: 'compile_error', error: 'see stderr' });\n  process.exit(0);\n}\n",
    }[language]
    tests = hidden_cases_around_a_visible_one(secret)
    result = run_submission(language, code, "attack", tests, {**FAST_LIMITS, "wall_ms": 6000})
    assert_failed(result, secret)
    assert result["verdict"] == "runtime_error", result


WRITABLE_PROBE = {
    "python": "import errno, os\ndef attack(places):\n    writable = []\n    for place in places:\n        try:\n"
    "            os.close(os.open(place + '/probe', os.O_CREAT | os.O_WRONLY, 0o600))\n"
    "            writable.append(place)\n        except OSError:\n            pass\n    return writable\n",
    "javascript": "function attack(places) {\n  const fs = require('fs');\n"
    "  return places.filter((place) => { try { fs.closeSync(fs.openSync(place + '/probe', 'w')); return true; }"
    " catch (e) { return false; } });\n}",
}


@BOTH
def test_only_box_tmp_and_shm_are_writable(host, language):
    places = ["/box", "/tmp", "/dev/shm", "", "/dev", "/etc", "/home", "/var", "/usr", "/proc", "/sandbox"]
    result = attack(language, WRITABLE_PROBE[language], [places], places)
    assert_failed(result)
    assert result["cases"][0]["actual"] == ["/box", "/tmp", "/dev/shm"]


FILL_PLACES = {
    # Fill /box, then /tmp, then /dev/shm: up to `count` files of `size` bytes each, until one fails.
    "python": "import errno, os\ndef attack(count, size):\n    made, error = 0, 'none'\n"
    "    for place in ('/box', '/tmp', '/dev/shm'):\n        for i in range(count):\n            try:\n"
    "                fd = os.open(f'{place}/f{i}', os.O_CREAT | os.O_WRONLY, 0o600)\n"
    "                try:\n                    os.write(fd, b'x' * size)\n                finally:\n"
    "                    os.close(fd)\n            except OSError as e:\n"
    "                error = errno.errorcode[e.errno]\n                break\n            made += 1\n"
    "    return [made, error]\n",
    "javascript": "function attack(count, size) {\n  const fs = require('fs');\n"
    "  const data = Buffer.alloc(size, 120);\n  let made = 0;\n  let error = 'none';\n"
    "  for (const place of ['/box', '/tmp', '/dev/shm']) {\n"
    "    for (let i = 0; i < count; i++) {\n"
    "      try { fs.writeFileSync(place + '/f' + i, data); } catch (e) { error = e.code; break; }\n"
    "      made++;\n    }\n  }\n  return [made, error];\n}",
}


@BOTH
def test_box_tmp_and_shm_share_one_total_disk_quota(host, language):
    """2,000 files of 1 MB in /box once wrote 2 GB of host disk from one run."""
    result = attack(language, FILL_PLACES[language], [64, 1024 * 1024], [192, "none"], {"disk_kb": 4096})
    assert_failed(result)
    made, error = result["cases"][0]["actual"]
    assert error == "ENOSPC"
    assert made <= 4


@BOTH
def test_box_tmp_and_shm_share_one_inode_quota(host, language):
    """50,000 empty files in /box once took 0.7 s."""
    result = attack(language, FILL_PLACES[language], [5000, 0], [15000, "none"], {"disk_files": 100})
    assert_failed(result)
    made, error = result["cases"][0]["actual"]
    assert error == "ENOSPC"
    assert made <= 100
