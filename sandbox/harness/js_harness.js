// Calls the candidate's function once per test inside the sandbox and reports what it returned.
//
// Runs in the same process as untrusted code, so it is trusted with nothing: it never sees
// expected values, and no hidden test's arguments while a visible test's result is still to come.
// The worker sends the code, then the visible tests' arguments, then the hidden tests' (docs/sandbox.md,
// "Hidden tests"), as length-prefixed JSON frames on stdin; end of input means no more tests. Results
// leave as length-prefixed JSON frames on the fd named in argv[2], apart from stdout so that
// candidate output cannot pose as a result.
'use strict';

const fs = require('fs');
const vm = require('vm');

const resultFd = Number(process.argv[2]);
const NON_FINITE = 'return value contains NaN or Infinity, which JSON cannot represent';
const pause = new Int32Array(new SharedArrayBuffer(4));

function sendRaw(text) {
  const body = Buffer.from(text);
  const frame = Buffer.alloc(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  let offset = 0;
  while (offset < frame.length) {
    offset += fs.writeSync(resultFd, frame, offset);
  }
}

function send(record) {
  sendRaw(JSON.stringify(record));
}

// `length` bytes from stdin, or null when the input ends first.
function readExactly(length) {
  const buffer = Buffer.alloc(length);
  let offset = 0;
  while (offset < length) {
    let count;
    try {
      count = fs.readSync(0, buffer, offset, length - offset, null);
    } catch (error) {
      if (error.code !== 'EAGAIN') {
        throw error;
      }
      Atomics.wait(pause, 0, 0, 2); // stdin was made non-blocking (by the candidate): wait, then retry
      continue;
    }
    if (count === 0) {
      return null;
    }
    offset += count;
  }
  return buffer;
}

function receive() {
  const head = readExactly(4);
  const body = head === null ? null : readExactly(head.readUInt32BE(0));
  return body === null ? null : JSON.parse(body.toString('utf8'));
}

function maxRssKb() {
  return process.resourceUsage().maxRSS;
}

function describe(error) {
  if (!(error instanceof Error)) {
    return `Uncaught ${String(error)}`;
  }
  const match = /solution\.js:(\d+)/.exec(String(error.stack));
  const text = error.message ? `${error.name}: ${error.message}` : error.name;
  return match ? `${text} (line ${match[1]})` : text;
}

function isMemoryError(error) {
  return error instanceof RangeError && /allocation failed|out of memory|Invalid (typed )?array length/i.test(error.message);
}

class NonFinite extends Error {}

function rejectNonFinite(key, value) {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new NonFinite(NON_FINITE);
  }
  return value;
}

// JSON text of a return value; JSON.stringify turns NaN and Infinity into null, so where a null
// appears, encode again with a check (a second pass only then keeps the common case fast).
function encode(value) {
  const text = JSON.stringify(value === undefined ? null : value);
  if (text === undefined) {
    return 'null';
  }
  if (text.includes('null')) {
    JSON.stringify(value, rejectNonFinite);
  }
  return text;
}

function unserialisable(error) {
  if (error instanceof NonFinite) {
    return NON_FINITE;
  }
  if (error instanceof RangeError && /call stack/.test(error.message)) {
    return `return value is nested too deeply to encode (${describe(error)})`;
  }
  return `return value is not JSON-serialisable: ${describe(error)}`;
}

async function main() {
  const request = receive();
  if (!/^[A-Za-z_$][\w$]*$/.test(request.function)) {
    send({ t: 'compile_error', error: `invalid function name ${JSON.stringify(request.function)}` });
    return;
  }
  let script;
  try {
    script = new vm.Script(request.code, { filename: 'solution.js' });
  } catch (error) {
    send({ t: 'compile_error', error: describe(error) });
    return;
  }
  // Solutions are scripts, not modules; give them require as Node's REPL does.
  globalThis.require = require;
  let fn;
  try {
    script.runInThisContext();
    fn = vm.runInThisContext(`typeof ${request.function} === 'function' ? ${request.function} : undefined`);
  } catch (error) {
    send({ t: 'load_error', error: describe(error), memory: isMemoryError(error) });
    return;
  }
  if (typeof fn !== 'function') {
    send({ t: 'compile_error', error: `function ${JSON.stringify(request.function)} is not defined` });
    return;
  }
  send({ t: 'ready', rss_kb: maxRssKb() });

  for (let index = 0, args = receive(); args !== null; index++, args = receive()) {
    const start = process.hrtime.bigint();
    let value;
    let failure;
    let memory = false;
    let actual;
    try {
      value = fn(...args);
      if (value !== null && typeof value === 'object' && typeof value.then === 'function') {
        value = await value;
      }
    } catch (error) {
      failure = describe(error);
      memory = isMemoryError(error);
    }
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (failure === undefined) {
      try {
        actual = encode(value);
      } catch (error) {
        failure = unserialisable(error);
        memory = isMemoryError(error);
      }
    }
    const timing = `"i":${index},"time_ms":${elapsedMs.toFixed(3)},"rss_kb":${maxRssKb()}`;
    if (failure === undefined) {
      sendRaw(`{"t":"case","ok":true,${timing},"actual":${actual}}`);
    } else {
      sendRaw(`{"t":"case","ok":false,${timing},"error":${JSON.stringify(failure)},"memory":${memory}}`);
    }
  }
  send({ t: 'done', rss_kb: maxRssKb() });
}

// Writes to a full pipe are queued, and process.exit drops the queue: wait for it to drain.
function drained(stream) {
  return new Promise((resolve) => stream.write('', resolve));
}

main().then(
  async () => {
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`harness failure: ${describe(error)}\n`);
    process.exit(70);
  },
);
