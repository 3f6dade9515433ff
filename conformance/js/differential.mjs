// Differential check of the port against another implementation:
//
//   node conformance/js/differential.mjs [-n 3000] [-seed 1] -- CMD ARGS...
//
// Generates n random cases (seeded, so a run can be repeated), answers each
// in-process with runCase, sends them all to the harness CMD (PROTOCOL.md,
// for example `go run ./cmd/metamerge harness`), and prints every case
// where the two answers differ, as the inputs of a vector with both
// answers. Exits 1 if any differs.
//
// The vectors pin what SPEC states; this finds what neither states nor
// pins: the cases mix the names that rules care about (dots, $, reserved
// and prototype names, long names, escapes), values at the length limits,
// fields that are not objects, options, and documents with one or more
// defects (duplicates, depth, broken syntax, bytes that are not UTF-8), in
// every op. Answers are compared as the runner compares them; auth0_message
// is left out, and a case either side declines (skipped) does not count.

import { spawnSync } from 'node:child_process';
import { runCase } from './metamerge.mjs';

function parseArgs(argv) {
  const a = { n: 3000, seed: 1, cmd: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') { a.cmd = argv.slice(i + 1); break; }
    if (argv[i] === '-n') a.n = Number(argv[++i]);
    else if (argv[i] === '-seed') a.seed = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (a.cmd.length === 0 || !(a.n > 0)) {
    throw new Error('usage: node differential.mjs [-n 3000] [-seed 1] -- CMD ARGS...');
  }
  return a;
}

// mulberry32: a small seeded generator, so that a seed names a run.
function rng(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'c', 'a.b', '$x', 'email', 'user_id', '', '__proto__', 'constructor',
  'k'.repeat(101), 'k'.repeat(256), 'é', 'a b', 'a/b', '~', '\\u0061', 'x:y', 'b', '😀'];
const SCALARS = ['1', '1.0', '"s"', 'true', 'null', '-0', '1e2', '"\\u00e9"', '[]', '[1,null]',
  '"' + 'x'.repeat(255) + '"', '"' + 'x'.repeat(256) + '"', '"' + 'x'.repeat(500) + '"',
  '"' + 'x'.repeat(501) + '"', '"' + '😀'.repeat(128) + '"'];
const POLICIES = ['user_metadata', 'app_metadata', 'client_metadata', 'signup'];
const OPS = ['merge_user', 'merge_client', 'merge', 'validate_signup', 'diff_user', 'diff_client',
  'diff', 'diff3_user', 'diff3_client', 'diff3', 'report_user', 'report_client', 'report'];
// Fragments spliced into documents: defects and the characters around them.
const ATOMS = ['{', '}', '[', ']', ',', ':', '"a"', '"a\\u0062"', '01', '-', '1e', 'nul', ' ',
  '[[[[]]]]', '{"q":{"q":1}}', '"\\ud800"', '"\\udc00\\ud800"', '"\x01"', '/*', 'NaN'];
const BYTES = [[0xff], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xef, 0xbb, 0xbf]];

function generator(seed) {
  const r = rng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (xs) => xs[int(0, xs.length - 1)];
  const obj = (depth, most) => {
    const names = [...NAMES].sort(() => r() - 0.5).slice(0, int(0, most));
    const parts = names.map((n) => `"${n}":${depth < 2 && r() < 0.25 ? obj(depth + 1, 2) : pick(SCALARS)}`);
    return `{${parts.join(',')}}`;
  };
  const doc = (fields) => {
    const roots = [...fields, 'name', 'nick'].sort(() => r() - 0.5).slice(0, int(0, fields.length + 2));
    const parts = roots.map((f) => {
      if (!fields.includes(f)) return `"${f}":${pick(SCALARS)}`;
      return `"${f}":${r() < 0.85 ? obj(0, 5) : pick(['"s"', 'null', '[1]', '{}'])}`;
    });
    return `{${parts.join(',')}}`;
  };
  // A document with a defect or two spliced in; bytes that are not UTF-8
  // go as base64.
  const damage = (c, key) => {
    let b = Buffer.from(c[key], 'utf8');
    for (let k = int(1, 2); k > 0; k--) {
      const at = int(0, b.length);
      const bit = r() < 0.2 ? Buffer.from(pick(BYTES)) : Buffer.from(pick(ATOMS), 'utf8');
      b = r() < 0.7 ? Buffer.concat([b.subarray(0, at), bit, b.subarray(at)]) : Buffer.concat([b.subarray(0, at), b.subarray(at + int(1, 3))]);
    }
    const text = b.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(b) && !text.startsWith('\ufeff')) c[key] = text;
    else { delete c[key]; c[key + '_base64'] = b.toString('base64'); }
  };
  const options = () => {
    const o = {};
    if (r() < 0.1) o.max_bytes = int(1, 40);
    if (r() < 0.1) o.max_errors = int(1, 3);
    if (r() < 0.15) o.max_depth = int(1, 5);
    if (r() < 0.1) o.no_prototype_keys = true;
    if (r() < 0.05) o.unit = pick(['bytes', 'code_points']);
    if (r() < 0.08) o.max_profile_bytes = int(1, 80);
    return o;
  };
  return (i) => {
    const op = pick(OPS);
    const c = { name: `differential-${seed}-${i}`, op };
    const user = ['user_metadata', 'app_metadata'];
    const client = ['client_metadata'];
    const maybe = (key, make) => { if (r() < 0.85) c[key] = make(); };
    switch (op) {
      case 'merge_user': case 'report_user': c.stored = doc(user); c.patch = doc(user); break;
      case 'merge_client': case 'report_client': c.stored = doc(client); c.patch = doc(client); break;
      case 'merge': case 'report': c.policy = pick(POLICIES); maybe('stored', () => obj(0, 5)); c.patch = obj(0, 5); break;
      case 'diff': c.policy = pick(POLICIES); maybe('before', () => obj(0, 5)); maybe('after', () => obj(0, 5)); break;
      case 'diff3': c.policy = pick(POLICIES); maybe('base', () => obj(0, 5)); maybe('desired', () => obj(0, 5)); maybe('live', () => obj(0, 5)); break;
      case 'validate_signup': c.metadata = obj(0, 12); break;
      case 'diff_user': c.before = doc(user); c.after = doc(user); break;
      case 'diff_client': c.before = doc(client); c.after = doc(client); break;
      case 'diff3_user': c.base = doc(user); c.desired = doc(user); c.live = doc(user); break;
      case 'diff3_client': c.base = doc(client); c.desired = doc(client); c.live = doc(client); break;
    }
    for (const key of ['stored', 'patch', 'metadata', 'before', 'after', 'base', 'desired', 'live']) {
      if (key in c && r() < 0.1) damage(c, key);
    }
    if (op !== 'validate_signup') {
      const o = options();
      if (Object.keys(o).length > 0) c.options = o;
    }
    return c;
  };
}

// An answer as the runner judges it: the result, the errors by code,
// pointer and stored, the changes; or null for a declined case.
function judged(a) {
  if (!a || 'skipped' in a) return null;
  if ('errored' in a) return { errored: true };
  const out = {};
  const errors = (a.errors ?? []).map((e) => ({ code: e.code, pointer: e.pointer, stored: e.stored === true }));
  if (errors.length > 0) out.errors = errors;
  else out.result = a.result ?? null;
  if (a.changes && errors.length === 0) out.changes = a.changes;
  return out;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const make = generator(args.seed);
  const cases = Array.from({ length: args.n }, (_, i) => make(i));
  const lines = [JSON.stringify({ cmd: 'start', protocol: 1, suite: 'differential' })];
  cases.forEach((c, seq) => lines.push(JSON.stringify({ cmd: 'run', seq, case: c })));
  lines.push(JSON.stringify({ cmd: 'stop' }));
  const run = spawnSync(args.cmd[0], args.cmd.slice(1), {
    input: lines.join('\n') + '\n', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (run.error || run.status !== 0) throw new Error(`harness failed: ${run.error ?? `status ${run.status}`}`);
  const answers = new Map();
  for (const line of run.stdout.toString('utf8').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const a = JSON.parse(line);
    answers.set(a.seq, a);
  }
  let differ = 0;
  let compared = 0;
  cases.forEach((c, seq) => {
    let mine;
    try { mine = runCase(c); } catch (err) { mine = { errored: String(err) }; }
    const a = judged(answers.get(seq));
    const b = judged(mine.skipped ? { skipped: mine.skipped } : mine);
    if (a === null || b === null) return;
    compared++;
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    differ++;
    console.log(JSON.stringify({ case: c, harness: a, port: b }));
  });
  console.log(`${compared} compared, ${differ} differ (seed ${args.seed})`);
  process.exitCode = differ > 0 ? 1 : 0;
}

main();
