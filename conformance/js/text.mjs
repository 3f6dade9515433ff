// Small text helpers: JSON Pointers (RFC 6901, SPEC 6) and character
// counting (H4, SPEC 7).

// One pointer token: ~ written ~0, / written ~1.
export function escapeToken(name) {
  if (name.indexOf('~') < 0 && name.indexOf('/') < 0) return name;
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

// The pointer of a list of decoded tokens.
export function pointerOf(tokens) {
  let p = '';
  for (const t of tokens) p += '/' + escapeToken(t);
  return p;
}

// A child pointer: parent pointer plus one decoded name or index.
export function child(pointer, token) {
  return pointer + '/' + escapeToken(String(token));
}

// H4: the length of a decoded string in the configured unit. 'utf16' counts
// UTF-16 code units (JavaScript's String.length), 'code_points' Unicode code
// points, 'bytes' the bytes of its UTF-8 encoding. Decoded strings never hold
// lone surrogates (the scanner rejects them), so a high surrogate always
// starts a pair.
export function charCount(s, unit) {
  if (unit === 'bytes') return Buffer.byteLength(s, 'utf8');
  if (unit === 'code_points') {
    let pairs = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) { pairs++; i++; }
    }
    return s.length - pairs;
  }
  return s.length;
}
