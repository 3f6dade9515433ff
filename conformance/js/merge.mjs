// Merging (SPEC 3-5) and the output form (SPEC 7: H5, H6).
//
// A merge is computed as a list of entries, one per member of the merged
// object, each pointing at the spans of its name and value in the document
// they came from; the output is written by copying those spans. The merge is
// always computed with every member of the patch applied, valid or not,
// because R9 and C4 are checked "as if every member of the patch were
// applied"; the checks (checks.mjs) then decide whether there is a result.
//
// An entry is { n, b, ns, ne, v, old, state, field }:
//   n         the decoded name
//   b, ns, ne the buffer and span of the name's text (the stored spelling for
//             a stored member, H6; the patch's for a new one)
//   v         the value node written out (unless `field` is set)
//   old       the stored value node (stored members only)
//   state     'kept', 'replaced', 'removed', 'added' or 'field' (a stored
//             metadata field that the patch merges)
//   field     for a metadata field: the field's merge result (mergeField)

import { OBJ, NULL } from './scanner.mjs';
import { POLICIES, checkMembers } from './checks.mjs';
import { child } from './text.mjs';

// The metadata fields of each kind of document (SPEC 3, 4). Other root
// members are plain (R10): client_metadata in a user, user_metadata in a
// client.
export const FIELDS = {
  user: new Map([['user_metadata', POLICIES.user_metadata], ['app_metadata', POLICIES.app_metadata]]),
  client: new Map([['client_metadata', POLICIES.client_metadata]]),
};

function storedEntries(members) {
  return members.map((m) => ({ n: m.n, b: m.b, ns: m.ns, ne: m.ne, v: m.v, old: m.v, state: 'kept', field: null }));
}

function indexByName(entries) {
  const index = new Map();
  for (let i = 0; i < entries.length; i++) index.set(entries[i].n, i);
  return index;
}

// R3 (and R10 at a root): apply each patch member in order. null removes the
// key (nothing if absent); any other value replaces the stored value whole,
// in the stored key's place and keeping its spelling, or is appended after
// the keys present if new (H6). Names match after decoding.
function applyMember(entries, index, pm) {
  const i = index.get(pm.n);
  if (pm.v.t === NULL) {
    if (i !== undefined) entries[i].state = 'removed';
  } else if (i !== undefined) {
    entries[i].v = pm.v;
    entries[i].state = 'replaced';
  } else {
    index.set(pm.n, entries.length);
    entries.push({ n: pm.n, b: pm.b, ns: pm.ns, ne: pm.ne, v: pm.v, old: null, state: 'added', field: null });
  }
}

// Merges one metadata field. storedNode is the stored value (undefined when
// the field is absent); a stored value that is not an object counts as {}
// (R2). patchObj is the field's patch, an object. Returns
// { present, cleared, stored, entries }: present is false where the field is
// to be absent; cleared where the patch was {} (R6, C5).
export function mergeField(policy, storedNode, patchObj) {
  if (patchObj.m.length === 0) {
    // R6/C5: {} sets the field to {} (created if absent), or for
    // app_metadata removes it.
    return { present: policy.empty === 'set', cleared: true, stored: storedNode, entries: [] };
  }
  const entries = storedNode && storedNode.t === OBJ ? storedEntries(storedNode.m) : [];
  const index = indexByName(entries);
  for (const pm of patchObj.m) applyMember(entries, index, pm);
  // The field is present after a non-empty patch, {} if its last key went.
  return { present: true, cleared: false, stored: storedNode, entries };
}

// Merges a whole profile (kind 'user') or client (kind 'client'): the
// metadata fields as fields, other root members replaced, appended or
// removed (R10). A field whose patch value is not an object has no merge:
// it is left out of the merged profile (SPEC 3: what max_profile_bytes
// measures); R1 makes it an error, so there is no result anyway.
export function mergeProfile(kind, storedRoot, patchRoot) {
  const fields = FIELDS[kind];
  const entries = storedEntries(storedRoot.m);
  const index = indexByName(entries);
  const fieldResults = new Map();
  for (const pm of patchRoot.m) {
    const policy = fields.get(pm.n);
    if (!policy) { applyMember(entries, index, pm); continue; }
    const i = index.get(pm.n);
    if (pm.v.t !== OBJ) {
      if (i !== undefined) entries[i].state = 'removed';
      continue;
    }
    const fr = mergeField(policy, i === undefined ? undefined : entries[i].old, pm.v);
    fieldResults.set(pm.n, fr);
    if (i !== undefined) {
      entries[i].state = fr.present ? 'field' : 'removed';
      entries[i].field = fr;
    } else if (fr.present) {
      // a created field goes at the end, in patch order (H6)
      index.set(pm.n, entries.length);
      entries.push({ n: pm.n, b: pm.b, ns: pm.ns, ne: pm.ne, v: null, old: null, state: 'added', field: fr });
    }
  }
  return { entries, fieldResults };
}

// ---- Output form (H5) -------------------------------------------------------

const live = (e) => e.state !== 'removed';

// Byte length of an object written as {name:value,...} without white space.
export function entriesSize(entries) {
  let size = 2;
  let count = 0;
  for (const e of entries) {
    if (!live(e)) continue;
    size += (e.ne - e.ns) + 1 + (e.field ? entriesSize(e.field.entries) : e.v.e - e.v.s);
    count++;
  }
  return size + (count > 0 ? count - 1 : 0);
}

export function liveCount(entries) {
  let count = 0;
  for (const e of entries) if (live(e)) count++;
  return count;
}

const OPEN = Buffer.from('{');
const CLOSE = Buffer.from('}');
const COMMA = Buffer.from(',');
const COLON = Buffer.from(':');

// Writes entries as an object: `{`, members joined by `,`, each as name
// text, `:`, value text, then `}`. A field is written the same way inside
// (fields sit only at the root, so this nests at most one level).
export function emitEntries(entries, out = []) {
  out.push(OPEN);
  let first = true;
  for (const e of entries) {
    if (!live(e)) continue;
    if (!first) out.push(COMMA);
    first = false;
    out.push(e.b.subarray(e.ns, e.ne), COLON);
    if (e.field) emitEntries(e.field.entries, out);
    else out.push(e.v.b.subarray(e.v.s, e.v.e));
  }
  out.push(CLOSE);
  return out;
}

export function toText(pieces) {
  return Buffer.concat(pieces).toString('utf8');
}

// ---- Stage 4 checks of a merge -------------------------------------------

// The R9 size limit of a merged field: max_bytes when given, under every
// policy (client_metadata and signup too, SPEC 4, 5); by default 16 MiB for
// user_metadata and app_metadata, none (null) for the others.
function fieldLimit(policy, opts) {
  return opts.maxBytes ?? policy.maxBytes;
}

// The rules of one field (SPEC 3-5), the field at pointer ptr: at the field,
// too_many_keys (C4, S1: the patch's members, or the merged keys) before
// too_large (R9); then its members. A field that a patch {} sets to {} is
// never held to its size (R9, R6: emptying is always allowed).
export function checkField(policy, fr, patchObj, ptr, opts, v) {
  if (policy.maxKeys &&
      (patchObj.m.length > policy.maxKeys || (fr.present && liveCount(fr.entries) > policy.maxKeys))) {
    v.add('too_many_keys', ptr);
  }
  const limit = fieldLimit(policy, opts);
  if (limit !== null && fr.present && !fr.cleared && entriesSize(fr.entries) > limit) v.add('too_large', ptr);
  checkMembers(policy, patchObj, ptr, opts, v);
}

// Stage 4 of a profile or client merge: the opt-in whole-profile size first
// of all (R9, max_profile_bytes, user profiles), then each metadata field of
// the patch in order. Other root members are not checked (SPEC 3).
export function checkProfile(kind, merged, patchRoot, opts, v) {
  if (kind === 'user' && opts.maxProfileBytes !== undefined && entriesSize(merged.entries) > opts.maxProfileBytes) {
    v.add('too_large', '');
  }
  const fields = FIELDS[kind];
  for (const pm of patchRoot.m) {
    if (v.cut) return;
    const policy = fields.get(pm.n);
    if (!policy) continue;
    const ptr = child('', pm.n);
    if (pm.v.t !== OBJ) { v.add('not_object', ptr); continue; } // R1, C1
    checkField(policy, merged.fieldResults.get(pm.n), pm.v, ptr, opts, v);
  }
}
