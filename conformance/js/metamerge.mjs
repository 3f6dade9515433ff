// metamerge: Auth0-style metadata merge semantics over JSON documents.
//
// runCase(c) runs one case in the vectors' form (vectors/README.md): an op,
// a policy, documents as text (or `<name>_base64`) and options. It returns
// { result } (a string or null), { result, changes } for the report ops,
// { errors }, or { skipped } for a case it declines (an option outside its
// range, validate_signup with options). Documents are handled as bytes
// throughout; results are the exact text the library writes, copied span by
// span from its inputs (H5).
//
// Stages (H9), each reported only if every earlier one passed:
//   1. the stored document is read (scanner.mjs); its error has stored: true
//   2. the PATCH body (or other input) is read
//   3. documents that must be objects are objects (not_object at "")
//   4. the rules of the patch (checks.mjs, merge.mjs), every violation, in
//      a list bounded by max_errors and the pointer budget (errors.mjs, H8)
// A diff splits stage 4 in two (D5): reachability (diff.mjs), then the
// merge's rules applied to the diff as a patch.

import { readDocument, OBJ } from './scanner.mjs';
import { Violations } from './errors.mjs';
import { POLICIES, SIGNUP_VALIDATION, checkMembers } from './checks.mjs';
import {
  mergeProfile, mergeField, checkProfile, checkField, emitEntries, toText,
} from './merge.mjs';
import {
  diffProfile, diffField, diff3Profile, diff3Field, emitPatch, EMPTY_OBJECT,
} from './diff.mjs';
import { profileChanges, singleFieldChanges } from './report.mjs';
import { equal } from './equality.mjs';

export const OPS = [
  'merge_user', 'merge_client', 'merge', 'validate_signup',
  'diff_user', 'diff_client', 'diff', 'diff3_user', 'diff3_client', 'diff3',
  'report_user', 'report_client', 'report',
];

export const OPTIONS = [
  'max_depth', 'max_errors', 'max_document_bytes', 'unit', 'max_bytes',
  'max_profile_bytes', 'no_prototype_keys',
];

const UNITS = new Set(['utf16', 'code_points', 'bytes']);

// The range of each integer option (vectors.schema.json, SPEC 11): 0 means
// the option's default, and a value outside the range is not a setting the
// rules define (the reference refuses it too), so the case is declined.
const INTEGER_RANGES = {
  max_depth: [0, 10000],
  max_errors: [0, 1000],
  max_document_bytes: [0, 2147483647],
  max_bytes: [0, Infinity],
  max_profile_bytes: [0, Infinity],
};

// Why the options of a case fall outside what the rules define, or null.
// Such a case is declined (skipped), never run on a guess.
function optionsProblem(o) {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'options must be an object';
  for (const [k, val] of Object.entries(o)) {
    const range = INTEGER_RANGES[k];
    if (range) {
      if (!Number.isSafeInteger(val) || val < range[0] || val > range[1]) {
        const span = range[1] === Infinity ? `of ${range[0]} or more` : `from ${range[0]} to ${range[1]}`;
        return `option ${k} is ${JSON.stringify(val)}; it must be an integer ${span}`;
      }
    } else if (k === 'unit') {
      if (!UNITS.has(val)) return `unknown unit ${JSON.stringify(val)}`;
    } else if (k === 'no_prototype_keys') {
      if (typeof val !== 'boolean') return 'option no_prototype_keys must be true or false';
    } else {
      return `unknown option ${k}`;
    }
  }
  return null;
}

// The options of a case, checked by optionsProblem, with their defaults.
function parseOptions(o) {
  return {
    maxDepth: o.max_depth || 100, // H3; 0 or none means the default
    maxErrors: o.max_errors || 100, // H8
    maxDocumentBytes: o.max_document_bytes || 2147483647, // H10
    unit: o.unit ?? 'utf16', // H4
    maxBytes: o.max_bytes || undefined, // R9; undefined: the policy's default
    maxProfileBytes: o.max_profile_bytes || undefined, // R9 opt-in; undefined: off
    noPrototypeKeys: o.no_prototype_keys === true, // SPEC 11 opt-in
  };
}

// The bytes of a document of the case, or undefined when absent.
function inputBytes(c, name) {
  if (typeof c[name] === 'string') return Buffer.from(c[name], 'utf8');
  if (typeof c[name + '_base64'] === 'string') return Buffer.from(c[name + '_base64'], 'base64');
  return undefined;
}

// Thrown to end a case with errors from an early stage.
class Rejected {
  constructor(errors) { this.errors = errors; }
}

// Stages 1 and 2: reads the document `name` of the case. Returns its root
// node, or undefined where it is absent and `optional`: a field's value in
// the one-field ops, where an empty document (no bytes) is absent too
// (SPEC 2).
function read(c, name, stored, opts, optional = false) {
  const b = inputBytes(c, name);
  if (b === undefined || (optional && b.length === 0)) {
    if (optional) return undefined;
    throw new Error(`missing document ${name}`);
  }
  const r = readDocument(b, opts);
  if (r.error) throw new Rejected([stored ? { ...r.error, stored: true } : r.error]);
  return r.root;
}

// Stage 3: each document given as [node, stored] must be an object; every
// one that is not is reported, in order. The H8 bound is on stage 4 only.
function requireObjects(docs) {
  const errors = [];
  for (const [node, stored] of docs) {
    if (node.t === OBJ) continue;
    errors.push(stored ? { code: 'not_object', pointer: '', stored: true } : { code: 'not_object', pointer: '' });
  }
  if (errors.length > 0) throw new Rejected(errors);
}

function policyOf(c) {
  const policy = POLICIES[c.policy];
  if (!policy) throw new Error(`unknown policy ${c.policy}`);
  return policy;
}

// ---- merge_user, merge_client, report_user, report_client (SPEC 3, 4, 10)

function mergeDocument(kind, c, opts, report) {
  const stored = read(c, 'stored', true, opts);
  const patch = read(c, 'patch', false, opts);
  requireObjects([[stored, true], [patch, false]]);
  const merged = mergeProfile(kind, stored, patch);
  const v = new Violations(opts.maxErrors);
  checkProfile(kind, merged, patch, opts, v);
  if (v.any) return { errors: v.result() }; // H7: all or nothing
  const out = { result: toText(emitEntries(merged.entries)) };
  if (report) out.changes = profileChanges(merged);
  return out;
}

// ---- merge, report (SPEC 5, 10): one field under a named policy

function mergeOne(c, opts, report) {
  const policy = policyOf(c);
  const stored = read(c, 'stored', true, opts, true); // absent: the field is absent
  const patch = read(c, 'patch', false, opts);
  requireObjects([[patch, false]]); // a stored non-object counts as {} (R2)
  const fr = mergeField(policy, stored, patch);
  const v = new Violations(opts.maxErrors);
  checkField(policy, fr, patch, '', opts, v);
  if (v.any) return { errors: v.result() };
  const out = { result: fr.present ? toText(emitEntries(fr.entries)) : null };
  if (report) out.changes = singleFieldChanges(fr);
  return out;
}

// ---- validate_signup (SPEC 5: S1, S2), always with the default options

function validateSignup(c, opts) {
  const metadata = read(c, 'metadata', false, opts);
  requireObjects([[metadata, false]]);
  const v = new Violations(opts.maxErrors);
  if (metadata.m.length > SIGNUP_VALIDATION.maxKeys) v.add('too_many_keys', '');
  checkMembers(SIGNUP_VALIDATION, metadata, '', opts, v);
  return { errors: v.result() };
}

// ---- diffs (SPEC 9)

// Stage 2 of a diff's errors (D5): the patch is checked as the merge would
// check it, merged into the stored side; then it is written.
// The diff is a PATCH like any other, so it is held to max_depth too
// (SPEC 9): with max_depth 1 the {} that removes an app_metadata that
// before holds as a scalar is a level too deep.
function patchTooDeep(patch, opts) {
  const r = readDocument(Buffer.concat(emitPatch(patch)), opts);
  return r.error ? { errors: [r.error] } : null;
}

function finishProfileDiff(kind, stored, patch, opts) {
  const deep = patchTooDeep(patch, opts);
  if (deep) return deep;
  const merged = mergeProfile(kind, stored, patch);
  const v = new Violations(opts.maxErrors);
  checkProfile(kind, merged, patch, opts, v);
  if (v.any) return { errors: v.result() };
  return { result: toText(emitPatch(patch)) };
}

function finishFieldDiff(policy, stored, patch, opts) {
  if (!patch) return { result: null }; // nothing to change
  const deep = patchTooDeep(patch, opts);
  if (deep) return deep;
  const fr = mergeField(policy, stored, patch);
  const v = new Violations(opts.maxErrors);
  checkField(policy, fr, patch, '', opts, v);
  if (v.any) return { errors: v.result() };
  return { result: toText(emitPatch(patch)) };
}

// D5 stage 1 (R1, C1): the field of a one-field diff that after (desired)
// lacks or holds as something other than an object cannot be sent.
function notObjectAtRoot() {
  return { errors: [{ code: 'not_object', pointer: '' }] };
}

// Two-way diffs. Reading order: before (stored), after.
function diffDocument(kind, c, opts) {
  const before = read(c, 'before', true, opts);
  const after = read(c, 'after', false, opts);
  requireObjects([[before, true], [after, false]]);
  const reach = new Violations(opts.maxErrors); // stage 1 of D5
  const patch = diffProfile(kind, before, after, opts, reach);
  if (reach.any) return { errors: reach.result() };
  return finishProfileDiff(kind, before, patch, opts);
}

function diffOne(c, opts) {
  const policy = policyOf(c);
  const before = read(c, 'before', true, opts, true);
  const after = read(c, 'after', false, opts, true);
  if (after === undefined) {
    if (before === undefined) return { result: null };
    // D4: only app_metadata can be removed, with {}; the others never (D5)
    if (policy.empty === 'remove') return { result: toText(emitPatch(EMPTY_OBJECT)) };
    return notObjectAtRoot();
  }
  if (before !== undefined && equal(before, after)) return { result: null };
  if (after.t !== OBJ) return notObjectAtRoot(); // R1: a patch sends an object
  const reach = new Violations(opts.maxErrors);
  const patch = diffField(policy, before, after, '', opts, reach);
  if (reach.any) return { errors: reach.result() };
  return finishFieldDiff(policy, before, patch, opts);
}

// Three-way diffs (D6): live is the stored side. Reading order: live,
// desired, base (SPEC 2, 9).
function diff3Document(kind, c, opts) {
  const live = read(c, 'live', true, opts);
  const desired = read(c, 'desired', false, opts);
  const base = read(c, 'base', false, opts);
  requireObjects([[live, true], [desired, false], [base, false]]);
  const reach = new Violations(opts.maxErrors);
  const patch = diff3Profile(kind, base, desired, live, reach);
  if (reach.any) return { errors: reach.result() };
  return finishProfileDiff(kind, live, patch, opts);
}

function diff3One(c, opts) {
  const policy = policyOf(c);
  const live = read(c, 'live', true, opts, true);
  const desired = read(c, 'desired', false, opts, true);
  const base = read(c, 'base', false, opts, true);
  const reach = new Violations(opts.maxErrors);
  let patch;
  if (desired === undefined) {
    // not sent at all: counts as emptied, never created or removed
    patch = diff3Field(policy, base, EMPTY_OBJECT, live, true, '', reach);
  } else {
    if (live !== undefined && equal(live, desired)) return { result: null };
    if (desired.t !== OBJ) return notObjectAtRoot();
    patch = diff3Field(policy, base, desired, live, false, '', reach);
  }
  if (reach.any) return { errors: reach.result() };
  return finishFieldDiff(policy, live, patch, opts);
}

// ---- dispatch

export function runCase(c) {
  const given = c.options ?? {};
  const problem = optionsProblem(given);
  if (problem) return { skipped: problem };
  // validate_signup applies Auth0's signup rules, fixed: it takes no options
  // (SPEC 11); an empty options object gives none
  if (c.op === 'validate_signup' && Object.keys(given).length > 0) {
    return { skipped: 'validate_signup takes no options' };
  }
  const opts = parseOptions(given);
  try {
    switch (c.op) {
      case 'merge_user': return mergeDocument('user', c, opts, false);
      case 'merge_client': return mergeDocument('client', c, opts, false);
      case 'report_user': return mergeDocument('user', c, opts, true);
      case 'report_client': return mergeDocument('client', c, opts, true);
      case 'merge': return mergeOne(c, opts, false);
      case 'report': return mergeOne(c, opts, true);
      case 'validate_signup': return validateSignup(c, opts);
      case 'diff_user': return diffDocument('user', c, opts);
      case 'diff_client': return diffDocument('client', c, opts);
      case 'diff': return diffOne(c, opts);
      case 'diff3_user': return diff3Document('user', c, opts);
      case 'diff3_client': return diff3Document('client', c, opts);
      case 'diff3': return diff3One(c, opts);
      default: throw new Error(`unknown op ${c.op}`);
    }
  } catch (err) {
    if (err instanceof Rejected) return { errors: err.errors };
    throw err;
  }
}
