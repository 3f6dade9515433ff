// Diffs (SPEC 9: D1-D6).
//
// A diff builds the PATCH body that the merge turns "before" into "after":
// a virtual patch object whose members point at the spans of after's (or
// before's) names and values. That patch is then checked exactly as the
// merge would check it, against before as the stored document, so a diff
// that needs something no PATCH may carry fails with the merge's own errors
// (D5); its pointers are those of the patch, which are the pointers in after
// for everything after sets. Members a PATCH cannot express are flagged
// `unreachable` and reported at their place.
//
// The text of a diff: `{`, the members after sets in after's order, then the
// deletions (null) in before's order, then `}`, without white space; a
// field inside is written the same way.

import { OBJ, NULL } from './scanner.mjs';
import { equal } from './equality.mjs';
import { nameable } from './checks.mjs';
import { FIELDS } from './merge.mjs';

// A null written by the diff (a deletion).
export const NULL_NODE = { t: NULL, b: Buffer.from('null'), s: 0, e: 4 };

// A patch object built by a diff. It is never compared or copied as a span:
// it is written member by member (emitPatch).
export function virtualObject(members) {
  return { t: OBJ, virtual: true, m: members };
}

// The patch of a field that must be created empty, or emptied from a stored
// value that is not an object (D4): {} where the policy's {} sets {}, and
// {"_":null} where it removes the field (app_metadata): a non-empty patch
// leaves the field present (R3), and "_" is a key nobody has.
function emptyFieldPatch(policy) {
  if (policy.empty === 'set') return virtualObject([]);
  const name = Buffer.from('"_"');
  return virtualObject([{ n: '_', b: name, ns: 0, ne: name.length, v: NULL_NODE }]);
}

// A member with the name (text and decoded) of m and the value v.
function withValue(m, v, unreachable = false) {
  return { n: m.n, b: m.b, ns: m.ns, ne: m.ne, v, unreachable };
}

function byName(members) {
  const map = new Map();
  for (const m of members) map.set(m.n, m);
  return map;
}

// Sets: the members of `want` whose value `have` lacks or holds with another
// value (D3), whole, with want's text. A null can only delete (R3, R10): a
// null that have does not already hold is unreachable (D5).
function sets(wantMembers, haveIndex) {
  const out = [];
  for (const m of wantMembers) {
    const h = haveIndex.get(m.n);
    if (h && equal(h.v, m.v)) continue;
    out.push(withValue(m, m.v, m.v.t === NULL));
  }
  return out;
}

// Two-way diff of one field (D3, D4). before is the stored value or
// undefined; after is an object not equal to before. Returns the field's
// patch, or null where nothing is to be sent.
export function diffField(policy, before, after, opts) {
  const beforeMembers = before && before.t === OBJ ? before.m : [];
  const members = sets(after.m, byName(beforeMembers));
  const afterNames = byName(after.m);
  const deletions = [];
  for (const m of beforeMembers) if (!afterNames.has(m.n)) deletions.push(withValue(m, NULL_NODE));
  if (after.m.length === 0) {
    // Created empty, or a stored non-object emptied: nothing to set or
    // delete, yet the field must become {}.
    if (deletions.length === 0) return emptyFieldPatch(policy);
    // Emptied, with stored names no patch may name (say "a.b", R7): {}
    // clears it where {} clears.
    if (policy.empty === 'set' && deletions.some((d) => !nameable(policy, d.n, opts))) return virtualObject([]);
  }
  members.push(...deletions);
  return members.length > 0 ? virtualObject(members) : null;
}

// Two-way diff of a profile or client (D1-D5).
export function diffProfile(kind, before, after, opts) {
  const fields = FIELDS[kind];
  const beforeIndex = byName(before.m);
  const members = [];
  for (const am of after.m) {
    const bm = beforeIndex.get(am.n);
    if (bm && equal(bm.v, am.v)) continue; // the same in both: not in the diff
    const policy = fields.get(am.n);
    if (!policy) {
      members.push(withValue(am, am.v, am.v.t === NULL)); // R10: null removes
    } else if (am.v.t !== OBJ) {
      members.push(withValue(am, am.v)); // R1: the merge rejects it (not_object)
    } else {
      const fp = diffField(policy, bm && bm.v, am.v, opts);
      if (fp) members.push(withValue(am, fp));
    }
  }
  const afterIndex = byName(after.m);
  for (const bm of before.m) {
    if (afterIndex.has(bm.n)) continue;
    const policy = fields.get(bm.n);
    // D4: app_metadata leaves with {}; user_metadata and client_metadata can
    // never be removed: a null, which the merge rejects (not_object, R1/C1).
    const v = policy && policy.empty === 'remove' ? virtualObject([]) : NULL_NODE;
    members.push(withValue(bm, v));
  }
  return virtualObject(members);
}

// Three-way diff of one field (D6). base and live are stored values or
// undefined; desired is an object. `dropped` means desired does not send the
// field at all: it counts as emptied, but is never created or removed.
export function diff3Field(policy, base, desired, live, dropped) {
  const liveObj = live && live.t === OBJ ? live : null;
  const liveIndex = byName(liveObj ? liveObj.m : []);
  const members = sets(desired.m, liveIndex);
  // keys in base but not in desired are deleted where live still has them,
  // in base's order; live's other keys are left alone
  if (base && base.t === OBJ) {
    const desiredIndex = byName(desired.m);
    for (const m of base.m) {
      if (!desiredIndex.has(m.n) && liveIndex.has(m.n)) members.push(withValue(m, NULL_NODE));
    }
  }
  if (members.length > 0) return virtualObject(members);
  // desired {} on a live field that is absent or not an object: create it
  if (!dropped && desired.m.length === 0 && !liveObj) return emptyFieldPatch(policy);
  return null;
}

const EMPTY_OBJECT = virtualObject([]);

// Three-way diff of a profile or client (D6).
export function diff3Profile(kind, base, desired, live) {
  const fields = FIELDS[kind];
  const liveIndex = byName(live.m);
  const baseIndex = byName(base.m);
  const desiredIndex = byName(desired.m);
  const members = [];
  for (const dm of desired.m) {
    const lm = liveIndex.get(dm.n);
    if (lm && equal(lm.v, dm.v)) continue;
    const policy = fields.get(dm.n);
    if (!policy) {
      members.push(withValue(dm, dm.v, dm.v.t === NULL));
    } else if (dm.v.t !== OBJ) {
      members.push(withValue(dm, dm.v));
    } else {
      const bm = baseIndex.get(dm.n);
      const fp = diff3Field(policy, bm && bm.v, dm.v, lm && lm.v, false);
      if (fp) members.push(withValue(dm, fp));
    }
  }
  for (const bm of base.m) {
    if (desiredIndex.has(bm.n)) continue;
    const lm = liveIndex.get(bm.n);
    if (!lm) continue; // already gone
    const policy = fields.get(bm.n);
    if (!policy) {
      members.push(withValue(bm, NULL_NODE));
    } else {
      // a field the caller no longer sends counts as emptied: its keys from
      // base are deleted, the others' stay, the field is not removed
      const fp = diff3Field(policy, bm.v, EMPTY_OBJECT, lm.v, true);
      if (fp) members.push(withValue(bm, fp));
    }
  }
  return virtualObject(members);
}

const OPEN = Buffer.from('{');
const CLOSE = Buffer.from('}');
const COMMA = Buffer.from(',');
const COLON = Buffer.from(':');

// Writes a diff's patch. Virtual objects sit only at the root and as field
// values, so this nests at most one level.
export function emitPatch(obj, out = []) {
  out.push(OPEN);
  obj.m.forEach((m, i) => {
    if (i > 0) out.push(COMMA);
    out.push(m.b.subarray(m.ns, m.ne), COLON);
    if (m.v.virtual) emitPatch(m.v, out);
    else out.push(m.v.b.subarray(m.v.s, m.v.e));
  });
  out.push(CLOSE);
  return out;
}
