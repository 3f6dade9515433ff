// The bounded list of violations (SPEC 6, H8).
//
// Violations are offered in order. At most maxErrors are walked; each is kept
// if it is the first, or if the byte length of its pointer is at most what is
// left of a budget of 65,536 bytes, from which every kept violation takes its
// pointer's length. The first that does not fit ends the walk. If fewer were
// kept than were found, the list ends with one too_many_errors at "".
//
// The collector applies the bound while violations are found, so a patch with
// a huge number of violations (or huge pointers) costs no more than the list
// it returns. A pointer may be given as a function, computed only when the
// violation is walked.

export const POINTER_BUDGET = 65536;

export class Violations {
  constructor(maxErrors) {
    this.maxErrors = maxErrors;
    this.list = [];
    this.left = POINTER_BUDGET;
    this.cut = false;
  }

  add(code, pointer, stored = false) {
    if (this.cut) return;
    if (this.list.length >= this.maxErrors) { this.cut = true; return; }
    const p = typeof pointer === 'function' ? pointer() : pointer;
    const len = Buffer.byteLength(p, 'utf8');
    if (this.list.length > 0 && len > this.left) { this.cut = true; return; }
    this.left = Math.max(0, this.left - len);
    const v = { code, pointer: p };
    if (stored) v.stored = true;
    this.list.push(v);
  }

  get any() { return this.list.length > 0 || this.cut; }

  // The final list: the kept violations, then too_many_errors if cut.
  result() {
    return this.cut ? [...this.list, { code: 'too_many_errors', pointer: '' }] : this.list;
  }
}
