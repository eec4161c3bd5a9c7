// Calls the candidate's function once per test inside the sandbox and reports what it returned.
//
// Runs in the same process as untrusted code, so it is trusted with nothing: it never sees
// expected values, and whatever it reports is compared by the worker outside the sandbox.
// Input arrives on stdin; results leave as length-prefixed JSON frames on the fd named in
// argv[2], apart from stdout so that candidate output cannot pose as a result.
'use strict';

const fs = require('fs');
const vm = require('vm');

const resultFd = Number(process.argv[2]);

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

async function main() {
  const payload = JSON.parse(fs.readFileSync(0, 'utf8'));
  if (!/^[A-Za-z_$][\w$]*$/.test(payload.function)) {
    send({ t: 'compile_error', error: `invalid function name ${JSON.stringify(payload.function)}` });
    return;
  }
  let script;
  try {
    script = new vm.Script(payload.code, { filename: 'solution.js' });
  } catch (error) {
    send({ t: 'compile_error', error: describe(error) });
    return;
  }
  // Solutions are scripts, not modules; give them require as Node's REPL does.
  globalThis.require = require;
  let fn;
  try {
    script.runInThisContext();
    fn = vm.runInThisContext(`typeof ${payload.function} === 'function' ? ${payload.function} : undefined`);
  } catch (error) {
    send({ t: 'load_error', error: describe(error), memory: isMemoryError(error) });
    return;
  }
  if (typeof fn !== 'function') {
    send({ t: 'compile_error', error: `function ${JSON.stringify(payload.function)} is not defined` });
    return;
  }

  for (let index = 0; index < payload.args.length; index++) {
    const start = process.hrtime.bigint();
    let actual;
    let failure;
    try {
      let value = fn(...payload.args[index]);
      if (value !== null && typeof value === 'object' && typeof value.then === 'function') {
        value = await value;
      }
      actual = JSON.stringify(value === undefined ? null : value);
      if (actual === undefined) {
        actual = 'null';
      }
    } catch (error) {
      failure = error;
    }
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    const timing = `"i":${index},"time_ms":${elapsedMs.toFixed(3)},"rss_kb":${maxRssKb()}`;
    if (failure === undefined) {
      sendRaw(`{"t":"case","ok":true,${timing},"actual":${actual}}`);
    } else {
      const error = JSON.stringify(describe(failure));
      sendRaw(`{"t":"case","ok":false,${timing},"error":${error},"memory":${isMemoryError(failure)}}`);
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
