// The rules of a metadata patch (SPEC 3-5, stage 4 of H9) and the policies
// that select them.
//
// Violations are offered to a Violations collector (errors.mjs) in patch
// document order, by place (SPEC 6, H8): at a member its name's violations
// (key_too_long, invalid_key, reserved_key), then its value's (not_string or
// value_too_long), then the invalid_keys of names nested in the value.

import { OBJ, ARR, STR, NULL, stringValue } from './scanner.mjs';
import { child, charCount } from './text.mjs';

export const DEFAULT_MAX_BYTES = 16777216; // R9

// A policy says which rules apply to one metadata field.
//   names:    'r7' (no . or $, R7/S2) or 'c3' (the client character set, C3)
//   nested:   whether R7 reaches names nested in values ("at any depth");
//             the opt-in prototype rule reaches them under every policy
//   reserved: R8's reserved root names (app_metadata)
//   values:   C2/S1 value rules: { max, nullOk } (null: values are free)
//   maxKeys:  C4/S1 key count limit (0: none)
//   maxKeyLen:C3/S1 name length limit (0: none)
//   empty:    what a patch {} does: 'set' the field to {} (R6, C5) or
//             'remove' it (R6, app_metadata)
//   maxBytes: the default R9 size limit of the merged field (null: none)
export const POLICIES = {
  user_metadata: {
    names: 'r7', nested: true, reserved: false, values: null,
    maxKeys: 0, maxKeyLen: 0, empty: 'set', maxBytes: DEFAULT_MAX_BYTES,
  },
  app_metadata: {
    names: 'r7', nested: true, reserved: true, values: null,
    maxKeys: 0, maxKeyLen: 0, empty: 'remove', maxBytes: DEFAULT_MAX_BYTES,
  },
  client_metadata: {
    names: 'c3', nested: false, reserved: false, values: { max: 255, nullOk: true },
    maxKeys: 10, maxKeyLen: 255, empty: 'set', maxBytes: null,
  },
  // S1, S2 applied to a patch (op merge): null removes a key as in any patch.
  signup: {
    names: 'r7', nested: true, reserved: false, values: { max: 500, nullOk: true },
    maxKeys: 10, maxKeyLen: 100, empty: 'set', maxBytes: null,
  },
};

// validate_signup (S1, S2): the signup rules on one object, where null is
// not a string.
export const SIGNUP_VALIDATION = { ...POLICIES.signup, values: { max: 500, nullOk: false } };

// R8: the 18 names app_metadata may not name at its root, compared exactly.
const RESERVED = new Set([
  '__tenant', '_id', 'blocked', 'clientID', 'created_at', 'email_verified', 'email',
  'globalClientID', 'global_client_id', 'identities', 'lastIP', 'lastLogin', 'loginsCount',
  'metadata', 'multifactor_last_modified', 'multifactor', 'updated_at', 'user_id',
]);

// Option no_prototype_keys (SPEC 11): names that break JavaScript consumers.
const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

// C3: non-empty, only ASCII letters, digits, space, tab and :,-+=_*?"/\()<>@
const C3_NAME = /^[A-Za-z0-9 \t:,\-+=_*?"/\\()<>@]+$/;

const breaksR7 = (name) => name.indexOf('.') >= 0 || name.indexOf('$') >= 0;

// Does a decoded name at the root of a field's patch break the policy's
// character rule, or the opt-in prototype rule (invalid_key, once)?
function badName(policy, name, opts) {
  if (opts.noPrototypeKeys && PROTOTYPE_NAMES.has(name)) return true;
  if (policy.names === 'c3') return !C3_NAME.test(name);
  return breaksR7(name);
}

// Does a name nested in a value break a rule (invalid_key)? R7 where the
// policy reaches that deep; the opt-in prototype rule at every depth, inside
// client values too, where no other nested name is checked (SPEC 11).
function badNestedName(policy, name, opts) {
  if (opts.noPrototypeKeys && PROTOTYPE_NAMES.has(name)) return true;
  return policy.nested && breaksR7(name);
}

// Could a patch name this key at the root of the field at all? (Used by the
// diff: a stored name no patch may name can only be cleared by {}.)
export function nameable(policy, name, opts) {
  if (policy.maxKeyLen && charCount(name, opts.unit) > policy.maxKeyLen) return false;
  return !badName(policy, name, opts);
}

// The violations at the root members of a field's patch object (and inside
// their values), the field being at pointer fieldPtr.
export function checkMembers(policy, patchObj, fieldPtr, opts, v) {
  for (const m of patchObj.m) {
    let p;
    const ptr = () => (p === undefined ? (p = child(fieldPtr, m.n)) : p);
    // at the name
    if (policy.maxKeyLen && charCount(m.n, opts.unit) > policy.maxKeyLen) v.add('key_too_long', ptr);
    if (badName(policy, m.n, opts)) v.add('invalid_key', ptr);
    if (policy.reserved && RESERVED.has(m.n)) v.add('reserved_key', ptr);
    // at the value
    const val = m.v;
    if (policy.values) {
      if (val.t === STR) {
        if (charCount(stringValue(val), opts.unit) > policy.values.max) v.add('value_too_long', ptr);
      } else if (!(val.t === NULL && policy.values.nullOk)) {
        v.add('not_string', ptr);
      }
    }
    // inside the value
    if ((policy.nested || opts.noPrototypeKeys) && (val.t === OBJ || val.t === ARR)) {
      checkNestedNames(policy, val, ptr(), opts, v);
    }
    if (v.cut) return;
  }
}

// R7 and the opt-in prototype rule (badNestedName) on every name nested in
// a value, in document order, with an explicit stack. Values are never
// names: a string after an empty object in an array is an element.
function checkNestedNames(policy, node, ptr, opts, v) {
  // Stack items: [node, pointer] for a value, [member, parent pointer, true]
  // for an object member whose name is still to be checked.
  const stack = [[node, ptr, false]];
  while (stack.length > 0) {
    const [x, p, isMember] = stack.pop();
    if (isMember) {
      const mp = child(p, x.n);
      if (badNestedName(policy, x.n, opts)) {
        v.add('invalid_key', mp);
        if (v.cut) return;
      }
      if (x.v.t === OBJ || x.v.t === ARR) stack.push([x.v, mp, false]);
    } else if (x.t === OBJ) {
      for (let i = x.m.length - 1; i >= 0; i--) stack.push([x.m[i], p, true]);
    } else {
      for (let i = x.a.length - 1; i >= 0; i--) {
        const it = x.a[i];
        if (it.t === OBJ || it.t === ARR) stack.push([it, child(p, i), false]);
      }
    }
  }
}
