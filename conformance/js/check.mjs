// A quick in-process runner of the golden vectors: node check.mjs [name-filter]
//
// Runs every case of ../vectors/*.json through runCase and compares the
// result byte for byte (null against null), the errors by code, pointer and
// stored flag in order, and the changes of the report ops in order.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCase } from './metamerge.mjs';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');
const filter = process.argv[2];

const short = (s) => {
  const t = JSON.stringify(s);
  return t !== undefined && t.length > 400 ? `${t.slice(0, 200)}…(${t.length})…${t.slice(-120)}` : t;
};
const errorsOf = (list) => (list ?? []).map((e) => ({ code: e.code, pointer: e.pointer, stored: e.stored === true }));
const REPORT_OPS = new Set(['report_user', 'report_client', 'report']);

function compare(c, got) {
  if ('skipped' in got) return [`skipped: ${got.skipped}`]; // every vector must run
  const problems = [];
  if ('result' in c) {
    if (!('result' in got)) problems.push(`expected result ${short(c.result)}, got errors ${short(got.errors)}`);
    else if (got.result !== c.result) problems.push(`result\n    expected ${short(c.result)}\n    actual   ${short(got.result)}`);
  }
  if ('errors' in c) {
    const want = JSON.stringify(errorsOf(c.errors));
    const have = JSON.stringify(errorsOf(got.errors));
    if ('result' in got && got.result !== null) problems.push(`expected errors ${short(c.errors)}, got result ${short(got.result)}`);
    else if (want !== have) problems.push(`errors\n    expected ${short(errorsOf(c.errors))}\n    actual   ${short(errorsOf(got.errors))}`);
  }
  if (REPORT_OPS.has(c.op) && 'result' in c) {
    const want = JSON.stringify(c.changes ?? []);
    const have = JSON.stringify(got.changes ?? []);
    if (want !== have) problems.push(`changes\n    expected ${want}\n    actual   ${have}`);
  }
  return problems;
}

let passed = 0;
let failed = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const { cases } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  for (const c of cases) {
    if (filter && !c.name.includes(filter)) continue;
    let problems;
    try {
      problems = compare(c, runCase(c));
    } catch (err) {
      problems = [`exception: ${err.stack}`];
    }
    if (problems.length === 0) { passed++; continue; }
    failed++;
    console.log(`FAIL ${file} ${c.name} (${c.op})`);
    for (const p of problems) console.log(`  ${p}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
