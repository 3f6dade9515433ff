// Equality of JSON values (SPEC 8, D2).
//
// Two values are equal when they mean the same: strings after decoding
// escapes; numbers by exact decimal value (1, 1.0, 1e0 and 10e-1 are equal,
// 0 and -0 are equal, with no rounding at any length or exponent); objects as
// sets of members (order and white space ignored, names decoded); arrays
// element by element; true, false and null by type. The comparison uses an
// explicit stack, never recursion on the input's nesting.

import { OBJ, ARR, STR, NUM, stringValue } from './scanner.mjs';

// The exact decimal value of a number's text as { zero, neg, digits, exp }
// where value = (neg ? -1 : 1) * digits * 10^exp, digits has no leading or
// trailing zeros, and exp is a BigInt (exponents may be arbitrarily long).
function decimal(node) {
  if (node.dec) return node.dec;
  const text = node.b.toString('latin1', node.s, node.e);
  let i = 0;
  const neg = text[0] === '-';
  if (neg) i = 1;
  let intEnd = i;
  while (intEnd < text.length && text[intEnd] >= '0' && text[intEnd] <= '9') intEnd++;
  let digits = text.slice(i, intEnd);
  let fracLen = 0;
  let j = intEnd;
  if (text[j] === '.') {
    let k = j + 1;
    while (k < text.length && text[k] >= '0' && text[k] <= '9') k++;
    digits += text.slice(j + 1, k);
    fracLen = k - j - 1;
    j = k;
  }
  let exp = 0n;
  if (text[j] === 'e' || text[j] === 'E') exp = BigInt(text.slice(j + 1)); // BigInt accepts a leading + or -
  exp -= BigInt(fracLen);
  // strip leading zeros, then trailing zeros (raising the exponent)
  let a = 0;
  while (a < digits.length && digits[a] === '0') a++;
  digits = digits.slice(a);
  let z = digits.length;
  while (z > 0 && digits[z - 1] === '0') z--;
  exp += BigInt(digits.length - z);
  digits = digits.slice(0, z);
  node.dec = digits.length === 0 ? { zero: true } : { zero: false, neg, digits, exp };
  return node.dec;
}

function numbersEqual(x, y) {
  const a = decimal(x);
  const b = decimal(y);
  if (a.zero || b.zero) return a.zero === b.zero;
  return a.neg === b.neg && a.digits === b.digits && a.exp === b.exp;
}

// Are two value nodes equal (D2)? Nodes may come from different documents.
export function equal(x, y) {
  const stack = [x, y];
  while (stack.length > 0) {
    const b = stack.pop();
    const a = stack.pop();
    if (a.t !== b.t) return false;
    // Identical text always means equal values (duplicates are rejected).
    if (a.e - a.s === b.e - b.s && a.b.compare(b.b, b.s, b.e, a.s, a.e) === 0) continue;
    switch (a.t) {
      case STR:
        if (stringValue(a) !== stringValue(b)) return false;
        break;
      case NUM:
        if (!numbersEqual(a, b)) return false;
        break;
      case OBJ: {
        if (a.m.length !== b.m.length) return false;
        const byName = new Map();
        for (const m of b.m) byName.set(m.n, m);
        for (const m of a.m) {
          const o = byName.get(m.n);
          if (!o) return false;
          stack.push(m.v, o.v);
        }
        break;
      }
      case ARR:
        if (a.a.length !== b.a.length) return false;
        for (let i = 0; i < a.a.length; i++) stack.push(a.a[i], b.a[i]);
        break;
      default: // true, false, null: equal by type
    }
  }
  return true;
}
