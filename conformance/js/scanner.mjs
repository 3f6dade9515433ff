// Reading a document (SPEC section 1: H1, H2, H3, H10).
//
// A validating JSON scanner over bytes. It never builds JS values from the
// document: it records, for every value, the byte span of its text, and for
// every member the span of its name and the name's decoded form. Results are
// built later by copying those spans (H5), so numbers, escapes and white space
// inside values survive exactly.
//
// The scanner is iterative (an explicit stack of open containers), so nesting
// depth of the input never grows the JS call stack. A document gets at most
// one error (SPEC 1). Which one, when it has several defects, is up to the
// implementation (H9) by the contract, and SPEC section 1 fixes it: the
// document is read once from its start, and the first defect met stops the
// read. invalid_json is met at the byte where the text stops being JSON,
// too_deep at the opening bracket of the container past the limit, and
// duplicate_key at the closing brace of an object that repeats a name.

import { pointerOf, escapeToken } from './text.mjs';

// Node types.
export const OBJ = 1;
export const ARR = 2;
export const STR = 3;
export const NUM = 4;
export const TRUE = 5;
export const FALSE = 6;
export const NULL = 7;

// A node is { t, b, s, e } (type, source buffer, start and end byte offsets of
// its text); objects add m (members), arrays a (items), strings esc (whether
// the text holds a backslash escape). A member is { n, b, ns, ne, v }: the
// decoded name, the buffer and span of the name's text (quotes included), and
// the value node.

const WS = new Uint8Array(256);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) { HEX[0x41 + i] = 10 + i; HEX[0x61 + i] = 10 + i; }

class Defect extends Error {
  constructor(code, pointer) { super(code); this.code = code; this.pointer = pointer; }
}
const INVALID = () => new Defect('invalid_json', '');

// Scans the string whose opening quote is at b[pos]. Validates UTF-8 (no
// overlong forms, no encoded surrogates, no bytes that cannot start or
// continue a sequence), rejects raw control characters, checks escapes and
// that \u escapes pair surrogates correctly (H2). Returns the offset just
// past the closing quote; sets scanString.esc to whether an escape was seen.
function scanString(b, pos) {
  const n = b.length;
  let i = pos + 1;
  let esc = false;
  for (;;) {
    if (i >= n) throw INVALID();
    const c = b[i];
    if (c === 0x22) { scanString.esc = esc; return i + 1; }
    if (c < 0x20) throw INVALID();
    if (c === 0x5c) {
      esc = true;
      const d = b[i + 1];
      if (d === 0x22 || d === 0x5c || d === 0x2f || d === 0x62 || d === 0x66 ||
          d === 0x6e || d === 0x72 || d === 0x74) { i += 2; continue; }
      if (d !== 0x75) throw INVALID();
      const u = hex4(b, i + 2);
      i += 6;
      if (u >= 0xdc00 && u <= 0xdfff) throw INVALID(); // low surrogate first
      if (u >= 0xd800 && u <= 0xdbff) {
        // a high surrogate must be followed at once by an escaped low one
        if (b[i] !== 0x5c || b[i + 1] !== 0x75) throw INVALID();
        const lo = hex4(b, i + 2);
        if (lo < 0xdc00 || lo > 0xdfff) throw INVALID();
        i += 6;
      }
      continue;
    }
    if (c < 0x80) { i++; continue; }
    // Multi-byte UTF-8 (RFC 3629 table 3-7).
    let need, lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0; else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90; else if (c === 0xf4) hi = 0x8f;
    } else throw INVALID();
    if (i + need >= n) throw INVALID();
    const c1 = b[i + 1];
    if (c1 < lo || c1 > hi) throw INVALID();
    for (let k = 2; k <= need; k++) {
      const ck = b[i + k];
      if (ck < 0x80 || ck > 0xbf) throw INVALID();
    }
    i += need + 1;
  }
}

function hex4(b, p) {
  if (p + 4 > b.length) throw INVALID();
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const h = HEX[b[p + k]];
    if (h < 0) throw INVALID();
    v = (v << 4) | h;
  }
  return v;
}

// Decodes the text of a string already validated by scanString, quotes
// included in [s, e), into a JS string.
export function decodeString(b, s, e, esc) {
  if (!esc) return b.toString('utf8', s + 1, e - 1);
  let out = '';
  let run = s + 1;
  let i = s + 1;
  const end = e - 1;
  while (i < end) {
    if (b[i] !== 0x5c) { i++; continue; }
    if (i > run) out += b.toString('utf8', run, i);
    const d = b[i + 1];
    switch (d) {
      case 0x62: out += '\b'; i += 2; break;
      case 0x66: out += '\f'; i += 2; break;
      case 0x6e: out += '\n'; i += 2; break;
      case 0x72: out += '\r'; i += 2; break;
      case 0x74: out += '\t'; i += 2; break;
      case 0x75: out += String.fromCharCode(hex4(b, i + 2)); i += 6; break;
      default: out += String.fromCharCode(d); i += 2; // " \ /
    }
    run = i;
  }
  if (end > run) out += b.toString('utf8', run, end);
  return out;
}

// The decoded value of a string node (cached).
export function stringValue(node) {
  if (node.str === undefined) node.str = decodeString(node.b, node.s, node.e, node.esc);
  return node.str;
}

// Scans a number (RFC 8259 grammar) starting at pos; returns its end.
function scanNumber(b, pos) {
  let i = pos;
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (b[i] >= 0x31 && b[i] <= 0x39) { while (b[i] >= 0x30 && b[i] <= 0x39) i++; }
  else throw INVALID();
  if (b[i] === 0x2e) {
    i++;
    if (!(b[i] >= 0x30 && b[i] <= 0x39)) throw INVALID();
    while (b[i] >= 0x30 && b[i] <= 0x39) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!(b[i] >= 0x30 && b[i] <= 0x39)) throw INVALID();
    while (b[i] >= 0x30 && b[i] <= 0x39) i++;
  }
  return i;
}

function literal(b, pos, word) {
  for (let k = 0; k < word.length; k++) if (b[pos + k] !== word.charCodeAt(k)) throw INVALID();
  return pos + word.length;
}

// The pointer of the child being read inside the open containers of stack.
function stackPointer(stack, upTo) {
  const tokens = [];
  for (let k = 0; k < upTo; k++) {
    const f = stack[k];
    tokens.push(f.node.t === OBJ ? f.name : String(f.node.a.length));
  }
  return pointerOf(tokens);
}

// Reads one document. Returns { root } or { error: { code, pointer } }.
// maxDocumentBytes (H10) is checked before anything else; maxDepth is H3.
export function readDocument(b, { maxDepth, maxDocumentBytes }) {
  if (b.length > maxDocumentBytes) return { error: { code: 'too_large', pointer: '' } };
  try {
    return { root: parse(b, maxDepth) };
  } catch (err) {
    if (err instanceof Defect) return { error: { code: err.code, pointer: err.pointer } };
    throw err;
  }
}

function parse(b, maxDepth) {
  const n = b.length;
  let pos = 0;
  const stack = []; // open containers: { node, name, names }
  const skip = () => { while (pos < n && WS[b[pos]]) pos++; };

  // Reads a member name and its colon inside the object frame f.
  const readName = (f) => {
    if (b[pos] !== 0x22) throw INVALID();
    const s = pos;
    pos = scanString(b, pos);
    const esc = scanString.esc;
    const name = decodeString(b, s, pos, esc);
    if (!f.names.has(name)) f.names.add(name);
    else if (f.dup === null) {
      // H2: the first name of this object that repeats an earlier one,
      // reported when the object closes (SPEC 1)
      f.dup = new Defect('duplicate_key', stackPointer(stack, stack.length - 1) + '/' + escapeToken(name));
    }
    f.name = name;
    f.ns = s; f.ne = pos;
    skip();
    if (b[pos] !== 0x3a) throw INVALID();
    pos++;
  };

  skip();
  let value;
  for (;;) {
    // A value starts at pos (after white space).
    skip();
    if (pos >= n) throw INVALID();
    const c = b[pos];
    if (c === 0x7b || c === 0x5b) {
      // H3: the first container past the limit, in document order
      if (stack.length + 1 > maxDepth) throw new Defect('too_deep', stackPointer(stack, stack.length));
      const node = c === 0x7b ? { t: OBJ, b, s: pos, e: 0, m: [] } : { t: ARR, b, s: pos, e: 0, a: [] };
      const f = { node, name: '', ns: 0, ne: 0, names: c === 0x7b ? new Set() : null, dup: null };
      pos++;
      skip();
      const close = c === 0x7b ? 0x7d : 0x5d;
      if (b[pos] === close) {
        pos++;
        node.e = pos;
        value = node;
      } else {
        stack.push(f);
        if (c === 0x7b) readName(f);
        continue;
      }
    } else if (c === 0x22) {
      const s = pos;
      pos = scanString(b, pos);
      value = { t: STR, b, s, e: pos, esc: scanString.esc, str: undefined };
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const s = pos;
      pos = scanNumber(b, pos);
      value = { t: NUM, b, s, e: pos };
    } else if (c === 0x74) { const s = pos; pos = literal(b, pos, 'true'); value = { t: TRUE, b, s, e: pos }; }
    else if (c === 0x66) { const s = pos; pos = literal(b, pos, 'false'); value = { t: FALSE, b, s, e: pos }; }
    else if (c === 0x6e) { const s = pos; pos = literal(b, pos, 'null'); value = { t: NULL, b, s, e: pos }; }
    else throw INVALID();

    // A value is complete: attach it to its container, closing as many
    // containers as end here.
    for (;;) {
      skip();
      if (stack.length === 0) {
        if (pos !== n) throw INVALID(); // trailing text
        return value;
      }
      const f = stack[stack.length - 1];
      const node = f.node;
      if (node.t === OBJ) node.m.push({ n: f.name, b, ns: f.ns, ne: f.ne, v: value });
      else node.a.push(value);
      const d = b[pos];
      if (d === 0x2c) {
        pos++;
        if (node.t === OBJ) { skip(); readName(f); }
        break; // read the next value
      }
      if ((node.t === OBJ && d === 0x7d) || (node.t === ARR && d === 0x5d)) {
        if (f.dup !== null) throw f.dup; // met at the closing brace
        pos++;
        node.e = pos;
        stack.pop();
        value = node;
        continue;
      }
      throw INVALID();
    }
  }
}
