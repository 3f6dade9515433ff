// The conformance harness (PROTOCOL.md): JSON lines on stdin, one answer
// line on stdout per request but `stop`. Logs, if any, go to stderr only.

import { createInterface } from 'node:readline';
import { runCase, OPS, OPTIONS } from './metamerge.mjs';

const VERSION = '1.3.0';

function send(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

// Exits once everything written so far has reached stdout.
function exit(code) {
  process.stdout.write('', () => process.exit(code));
}

function answer(seq, c) {
  try {
    const out = runCase(c);
    if (out.skipped) return { seq, skipped: out.skipped };
    if (out.errors) return { seq, errors: out.errors };
    const reply = { seq, result: out.result };
    if (out.changes) reply.changes = out.changes; // report ops: [] when nothing changed
    return reply;
  } catch (err) {
    process.stderr.write(`harness: case ${c && c.name}: ${err && err.stack}\n`);
    return { seq, errored: String(err && err.message ? err.message : err) };
  }
}

function handle(line) {
  if (line.trim() === '') return;
  let msg;
  try {
    msg = JSON.parse(line);
  } catch (err) {
    process.stderr.write(`harness: unreadable request: ${err.message}\n`);
    return;
  }
  switch (msg.cmd) {
    case 'start':
      if (msg.protocol !== 1) process.stderr.write(`harness: protocol ${msg.protocol} requested, speaking 1\n`);
      send({
        protocol: 1,
        implementation: { name: 'metamerge-js', language: 'javascript', version: VERSION },
        ops: OPS,
        options: OPTIONS,
      });
      break;
    case 'run':
      send(answer(msg.seq, msg.case));
      break;
    case 'stop':
      exit(0);
      break;
    default:
      send({ seq: msg.seq, errored: `unknown command ${msg.cmd}` });
  }
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', handle);
rl.on('close', () => exit(0));
