// Diffs (SPEC 9: D1-D6).
//
// A diff builds the PATCH body that the merge turns "before" into "after":
// a virtual patch object whose members point at the spans of after's (or
// before's, or live's) names and values. Its errors come in two stages (D5,
// as in H9), and only the first that fails is reported:
//   1. reachability, found here while the patch is built: a field that
//      after lacks but before has and that no PATCH can remove (not_object),
//      then in after's order each null that no PATCH can set (unreachable)
//      and each field that is not an object (not_object);
//   2. the merge's own rules: the caller checks the patch exactly as the
//      merge would, against before as the stored document, so its pointers
//      are those of the patch, which name the members in after.
//
// The text of a diff: `{`, the members after sets in after's order, then the
// deletions (null) in before's order, then `}`, without white space; a
// field inside is written the same way.

import { OBJ, NULL } from './scanner.mjs';
import { equal } from './equality.mjs';
import { nameable } from './checks.mjs';
import { FIELDS } from './merge.mjs';
import { child } from './text.mjs';

// A null written by the diff (a deletion).
const NULL_NODE = { t: NULL, b: Buffer.from('null'), s: 0, e: 4 };

// A patch object built by a diff. It is never compared or copied as a span:
// it is written member by member (emitPatch).
function virtualObject(members) {
  return { t: OBJ, virtual: true, m: members };
}

// The patch {}: it removes app_metadata (D4) and empties a field.
export const EMPTY_OBJECT = virtualObject([]);

// The patch of a field that must be created empty, or emptied from a stored
// value that is not an object (D4): {} where the policy's {} sets {}, and
// {"_":null} where it removes the field (app_metadata): a non-empty patch
// leaves the field present (R3), and "_" is a key nobody has.
function emptyFieldPatch(policy) {
  if (policy.empty === 'set') return EMPTY_OBJECT;
  const name = Buffer.from('"_"');
  return virtualObject([{ n: '_', b: name, ns: 0, ne: name.length, v: NULL_NODE }]);
}

// A member with the name (text and decoded) of m and the value v.
function withValue(m, v) {
  return { n: m.n, b: m.b, ns: m.ns, ne: m.ne, v };
}

function byName(members) {
  const map = new Map();
  for (const m of members) map.set(m.n, m);
  return map;
}

// Sets: the members of `want` (a field at pointer ptr) whose value `have`
// lacks or holds with another value (D3), whole, with want's text. A null
// can only delete (R3): a null that have does not already hold is
// unreachable (D5, stage 1), reported to v.
function sets(wantMembers, haveIndex, ptr, v) {
  const out = [];
  for (const m of wantMembers) {
    const h = haveIndex.get(m.n);
    if (h && equal(h.v, m.v)) continue;
    if (m.v.t === NULL) v.add('unreachable', () => child(ptr, m.n));
    else out.push(m);
  }
  return out;
}

// Two-way diff of one field at pointer ptr (D3, D4). before is the stored
// value or undefined; after is an object not equal to before. Returns the
// field's patch, or null where nothing is to be sent.
export function diffField(policy, before, after, ptr, opts, v) {
  const beforeMembers = before && before.t === OBJ ? before.m : [];
  const members = sets(after.m, byName(beforeMembers), ptr, v);
  const afterNames = byName(after.m);
  const deletions = [];
  for (const m of beforeMembers) if (!afterNames.has(m.n)) deletions.push(withValue(m, NULL_NODE));
  if (after.m.length === 0) {
    // Created empty, or a stored non-object emptied: nothing to set or
    // delete, yet the field must become {}.
    if (deletions.length === 0) return emptyFieldPatch(policy);
    // Emptied, with stored names no patch may name (say "a.b", R7), or
    // more of them than a patch may name (C4): {} clears it where {} clears.
    if (policy.empty === 'set' && (deletions.some((d) => !nameable(policy, d.n, opts)) ||
      (policy.maxKeys > 0 && deletions.length > policy.maxKeys))) return EMPTY_OBJECT;
  }
  members.push(...deletions);
  return members.length > 0 ? virtualObject(members) : null;
}

// Two-way diff of a profile or client (D1-D5). Reachability errors go to v.
export function diffProfile(kind, before, after, opts, v) {
  const fields = FIELDS[kind];
  const afterIndex = byName(after.m);
  const deletions = [];
  for (const bm of before.m) {
    if (afterIndex.has(bm.n)) continue;
    const policy = fields.get(bm.n);
    if (!policy) deletions.push(withValue(bm, NULL_NODE)); // R10: null removes
    else if (policy.empty === 'remove') deletions.push(withValue(bm, EMPTY_OBJECT)); // D4: app_metadata
    else v.add('not_object', child('', bm.n)); // D5: user_metadata, client_metadata stay
  }
  const beforeIndex = byName(before.m);
  const members = [];
  for (const am of after.m) {
    const bm = beforeIndex.get(am.n);
    if (bm && equal(bm.v, am.v)) continue; // the same in both: not in the diff
    const policy = fields.get(am.n);
    const ptr = child('', am.n);
    if (!policy) {
      if (am.v.t === NULL) v.add('unreachable', ptr); // R10: a null removes
      else members.push(am);
    } else if (am.v.t !== OBJ) {
      v.add('not_object', ptr); // R1, C1: a PATCH sends an object
    } else {
      const fp = diffField(policy, bm && bm.v, am.v, ptr, opts, v);
      if (fp) members.push(withValue(am, fp));
    }
  }
  members.push(...deletions);
  return virtualObject(members);
}

// Three-way diff of one field at pointer ptr (D6). base and live are stored
// values or undefined; desired is an object. `dropped` means desired does
// not send the field at all: it counts as emptied, but is never created or
// removed.
export function diff3Field(policy, base, desired, live, dropped, ptr, v) {
  const liveObj = live && live.t === OBJ ? live : null;
  const liveIndex = byName(liveObj ? liveObj.m : []);
  const members = sets(desired.m, liveIndex, ptr, v);
  // keys in base but not in desired are deleted where live still has them,
  // in base's order and named as live spells them; live's other keys are
  // left alone
  if (base && base.t === OBJ) {
    const desiredIndex = byName(desired.m);
    for (const m of base.m) {
      const lm = desiredIndex.has(m.n) ? undefined : liveIndex.get(m.n);
      if (lm) members.push(withValue(lm, NULL_NODE));
    }
  }
  if (members.length > 0) return virtualObject(members);
  // desired {} on a live field that is absent or not an object: create it
  if (!dropped && desired.m.length === 0 && !liveObj) return emptyFieldPatch(policy);
  return null;
}

// Three-way diff of a profile or client (D6). Reachability errors go to v.
export function diff3Profile(kind, base, desired, live, v) {
  const fields = FIELDS[kind];
  const liveIndex = byName(live.m);
  const baseIndex = byName(base.m);
  const desiredIndex = byName(desired.m);
  const members = [];
  for (const dm of desired.m) {
    const lm = liveIndex.get(dm.n);
    if (lm && equal(lm.v, dm.v)) continue;
    const policy = fields.get(dm.n);
    const ptr = child('', dm.n);
    if (!policy) {
      if (dm.v.t === NULL) v.add('unreachable', ptr);
      else members.push(dm);
    } else if (dm.v.t !== OBJ) {
      v.add('not_object', ptr);
    } else {
      const bm = baseIndex.get(dm.n);
      const fp = diff3Field(policy, bm && bm.v, dm.v, lm && lm.v, false, ptr, v);
      if (fp) members.push(withValue(dm, fp));
    }
  }
  // deletions in base's order, named as live spells them
  for (const bm of base.m) {
    if (desiredIndex.has(bm.n)) continue;
    const lm = liveIndex.get(bm.n);
    if (!lm) continue; // already gone
    const policy = fields.get(bm.n);
    if (!policy) {
      members.push(withValue(lm, NULL_NODE));
    } else {
      // a field the caller no longer sends counts as emptied: its keys from
      // base are deleted, the others' stay, the field is not removed
      const fp = diff3Field(policy, bm.v, EMPTY_OBJECT, lm.v, true, child('', lm.n), v);
      if (fp) members.push(withValue(lm, fp));
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
