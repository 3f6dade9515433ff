// Change reports (SPEC 10: D7).
//
// The changes of a merge as {op, pointer} pairs in the order of the merged
// document: changes to stored members in their order, then additions in the
// patch's order (the order of the merge's entries). A member set to an equal
// value (D2), or a null for an absent key, is no change.

import { OBJ } from './scanner.mjs';
import { equal } from './equality.mjs';
import { child } from './text.mjs';

function entryChanges(entries, ptr, out) {
  for (const e of entries) {
    const p = child(ptr, e.n);
    switch (e.state) {
      case 'replaced':
        if (!equal(e.old, e.v)) out.push({ op: 'replace', pointer: p });
        break;
      case 'removed':
        out.push({ op: 'remove', pointer: p });
        break;
      case 'added':
        out.push({ op: 'add', pointer: p });
        if (e.field) entryChanges(e.field.entries, p, out); // a created field: an add per key
        break;
      case 'field':
        fieldChanges(e.field, p, out);
        break;
      default: // kept
    }
  }
}

// The changes of a merged field at ptr whose stored value existed.
function fieldChanges(fr, ptr, out) {
  if (!fr.present) { out.push({ op: 'remove', pointer: ptr }); return; } // app_metadata and {}
  if (fr.stored.t !== OBJ) {
    // a stored value that was not an object is replaced (R2); its keys are new
    out.push({ op: 'replace', pointer: ptr });
    entryChanges(fr.entries, ptr, out);
  } else if (fr.cleared) {
    if (fr.stored.m.length > 0) out.push({ op: 'clear', pointer: ptr }); // {} emptied it
  } else {
    entryChanges(fr.entries, ptr, out);
  }
}

// The changes of a profile or client merge (mergeProfile's result).
export function profileChanges(merged) {
  const out = [];
  entryChanges(merged.entries, '', out);
  return out;
}

// The changes of one field merged on its own (op report), relative to the
// field: "" is the field itself.
export function singleFieldChanges(fr) {
  const out = [];
  if (fr.stored === undefined) {
    if (fr.present) {
      out.push({ op: 'add', pointer: '' });
      entryChanges(fr.entries, '', out);
    }
  } else {
    fieldChanges(fr, '', out);
  }
  return out;
}
