package conformance

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// What a person is shown is bounded, whatever the documents: an answer
// comes from the implementation under test, which may be hostile or
// broken, and a diff of two 1 MB documents 10,000 levels deep must not
// cost depth × tokens. A rendering is read as a stream of lines, each cut
// to maxLineBytes and indented at most maxIndent levels; a diff skips the
// lines the two sides start with, aligns at most diffWindow lines of each
// past them, and shows at most maxDiffLines lines and maxDiffBytes bytes,
// then "… N more".
const (
	maxDiffLines = 200      // lines a diff or a document shows
	maxDiffBytes = 32 << 10 // bytes a diff or a document shows, about
	maxLineBytes = 240      // bytes of a line past its indentation
	maxIndent    = 32       // levels of indentation written as spaces
	diffWindow   = 400      // lines of each side aligned past their common start
	contextLines = 3        // equal lines shown before the first difference
	maxRun       = 50       // lines of one run of a diff: kept, removed or added
	maxQuoted    = 200      // bytes of a document shown quoted
)

// rawLine is one line of a rendering, valid until the next call of next:
// its depth, the start of its text, the length of the whole text, and a
// hash of the depth and whole text, so that lines that differ past the cut
// still differ.
type rawLine struct {
	depth int
	text  []byte
	n     int
	sum   uint64
}

// same reports whether two lines are the same line.
func (l rawLine) same(m rawLine) bool {
	return l.sum == m.sum && l.n == m.n && l.depth == m.depth && string(l.text) == string(m.text)
}

// String renders the line: its indentation, its text cut at a rune
// boundary with what Printable escapes escaped (a line feed and a tab
// too), and when it is cut the length and a hash of the whole.
func (l rawLine) String() string {
	b := make([]byte, 0, 2*maxIndent+len(l.text)+48)
	b = append(b, spaces[:2*min(l.depth, maxIndent)]...)
	if l.depth > maxIndent {
		b = fmt.Appendf(b, "(depth %d) ", l.depth)
	}
	text := l.text
	if l.n > len(text) || len(text) > maxLineBytes {
		cut := min(len(text), maxLineBytes)
		for cut > 0 && cut < len(text) && !utf8.RuneStart(text[cut]) {
			cut--
		}
		b = appendEscaped(b, string(text[:cut]), false)
		// The hash tells apart two lines that differ past the cut.
		b = appendCut(b, l.n, l.sum)
		return string(b)
	}
	return string(appendEscaped(b, string(text), false))
}

var spaces = strings.Repeat(" ", 2*maxIndent)

// lineSource yields the lines of a rendering one at a time.
type lineSource interface {
	next() (rawLine, bool)
}

// lineBuf builds one line: it keeps the first bytes of the text and hashes
// all of it (FNV-1a).
type lineBuf struct {
	line   rawLine
	buf    []byte
	quoted []byte // a piece of text being quoted
}

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

func (b *lineBuf) reset(depth int) {
	b.buf = b.buf[:0]
	b.line = rawLine{depth: depth, sum: fnvOffset}
	for d := uint64(depth); ; d >>= 8 {
		b.line.sum = (b.line.sum ^ (d & 0xff)) * fnvPrime
		if d < 0x100 {
			break
		}
	}
}

func (b *lineBuf) write(p []byte) {
	for _, c := range p {
		b.line.sum = (b.line.sum ^ uint64(c)) * fnvPrime
	}
	b.line.n += len(p)
	if keep := maxLineBytes + utf8.UTFMax - len(b.buf); keep > 0 {
		b.buf = append(b.buf, p[:min(keep, len(p))]...)
	}
}

func (b *lineBuf) done() rawLine {
	b.line.text = b.buf
	return b.line
}

// jsonLines renders valid JSON text as json.Indent does with an indent of
// two spaces, a line at a time.
type jsonLines struct {
	doc   []byte
	i     int
	depth int
	b     lineBuf
}

func (s *jsonLines) space() {
	for s.i < len(s.doc) {
		switch s.doc[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonLines) next() (rawLine, bool) {
	s.space()
	if s.i >= len(s.doc) {
		return rawLine{}, false
	}
	if c := s.doc[s.i]; c == '}' || c == ']' {
		s.depth--
	}
	s.b.reset(s.depth)
	for first := true; ; first = false {
		s.space()
		if s.i >= len(s.doc) {
			return s.b.done(), true
		}
		start := s.i
		switch c := s.doc[s.i]; c {
		case '}', ']':
			if !first {
				return s.b.done(), true
			}
			s.i++
			s.b.write(s.doc[start:s.i])
		case ',':
			s.i++
			s.b.write(s.doc[start:s.i])
			return s.b.done(), true
		case ':':
			s.i++
			s.b.write([]byte(": "))
		case '{', '[':
			s.i++
			s.b.write(s.doc[start:s.i])
			s.space()
			if s.i < len(s.doc) && (s.doc[s.i] == '}' || s.doc[s.i] == ']') {
				s.b.write(s.doc[s.i : s.i+1])
				s.i++
				continue
			}
			s.depth++
			return s.b.done(), true
		case '"':
			s.i++
			for s.i < len(s.doc) && s.doc[s.i] != '"' {
				if s.doc[s.i] == '\\' {
					s.i++
				}
				s.i++
			}
			s.i = min(s.i+1, len(s.doc))
			s.b.write(s.doc[start:s.i])
		default:
			for s.i < len(s.doc) && !strings.ContainsRune(",:]} \t\n\r", rune(s.doc[s.i])) {
				s.i++
			}
			s.b.write(s.doc[start:s.i])
		}
	}
}

// oneLine is a source of one line: text as it is, or quoted.
type oneLine struct {
	text  []byte // the whole line
	quote bool   // show text quoted, as strconv.Quote would
	done  bool
	b     lineBuf
}

func (s *oneLine) next() (rawLine, bool) {
	if s.done {
		return rawLine{}, false
	}
	s.done = true
	s.b.reset(0)
	if s.quote {
		s.b.writeQuoted(string(s.text), true)
	} else {
		s.b.write(s.text)
	}
	return s.b.done(), true
}

// listLines is a source of n lines, the ith written by at.
type listLines struct {
	n, i int
	at   func(int, *lineBuf)
	b    lineBuf
}

func (s *listLines) next() (rawLine, bool) {
	if s.i >= s.n {
		return rawLine{}, false
	}
	s.b.reset(0)
	s.at(s.i, &s.b)
	s.i++
	return s.b.done(), true
}

// docLines renders a document: indented when it is JSON text (nesting to
// the 10,000 levels of encoding/json), else quoted on one line; nil is
// "null".
func docLines(doc []byte) lineSource {
	switch {
	case doc == nil:
		return &oneLine{text: []byte("null")}
	case json.Valid(doc):
		return &jsonLines{doc: doc}
	default:
		return &oneLine{text: doc, quote: true}
	}
}

// boundedWriter collects what a person is shown and stops taking lines
// past maxDiffLines or maxDiffBytes.
type boundedWriter struct {
	strings.Builder
	lines int
}

// line writes prefix and l, or reports false when the budget is spent.
func (w *boundedWriter) line(prefix, l string) bool {
	if w.lines >= maxDiffLines || w.Len()+len(prefix)+len(l) > maxDiffBytes {
		return false
	}
	w.lines++
	w.WriteString(prefix)
	w.WriteString(l)
	w.WriteByte('\n')
	return true
}

// showDoc renders a document for a person, each line after prefix, within
// the budget.
func showDoc(doc []byte, prefix string) string {
	var w boundedWriter
	src := docLines(doc)
	for {
		l, ok := src.next()
		if !ok {
			break
		}
		if !w.line(prefix, l.String()) {
			n := 1
			for _, ok := src.next(); ok; _, ok = src.next() {
				n++
			}
			fmt.Fprintf(&w, "%s… (%d more lines)\n", prefix, n)
			break
		}
	}
	return strings.TrimSuffix(w.String(), "\n")
}

// diffLines is a line diff of two renderings within the budget: the lines
// they start with are skipped but for a few, the next diffWindow lines of
// each are aligned on their longest common subsequence, kept with "    ",
// the rest marked "  - " (want) and "  + " (got). It returns "" when the
// renderings are the same.
func diffLines(want, got lineSource) string {
	var w boundedWriter
	wl, wok, gl, gok := skipCommon(&w, want, got)
	if !wok && !gok {
		return ""
	}
	// The windows past the lines both start with.
	window := func(src lineSource, l rawLine, ok bool) (lines []string, sums []uint64, rest int) {
		for ; ok && len(lines) < diffWindow; l, ok = src.next() {
			lines, sums = append(lines, l.String()), append(sums, l.sum)
		}
		for ; ok; _, ok = src.next() {
			rest++
		}
		return lines, sums, rest
	}
	wa, wsum, wrest := window(want, wl, wok)
	ga, gsum, grest := window(got, gl, gok)
	done := writeScript(&w, editScript(wa, wsum, ga, gsum))
	i, j := done[' ']+done['-'], done[' ']+done['+']
	if n, m := len(wa)-i+wrest, len(ga)-j+grest; n+m > 0 {
		fmt.Fprintf(&w, "  … (%d more lines of want, %d of got)\n", n, m)
	}
	return w.String()
}

// skipCommon reads the lines want and got start with, writes how many
// there were and the last few of them, kept for context, and returns the
// first line of each after them (ok false at the end of one).
func skipCommon(w *boundedWriter, want, got lineSource) (wl rawLine, wok bool, gl rawLine, gok bool) {
	var ring [contextLines]struct {
		depth, n int
		text     []byte
	}
	equal := 0
	wl, wok = want.next()
	gl, gok = got.next()
	for wok && gok && wl.same(gl) {
		r := &ring[equal%contextLines]
		r.depth, r.n, r.text = wl.depth, wl.n, append(r.text[:0], wl.text...)
		equal++
		wl, wok = want.next()
		gl, gok = got.next()
	}
	if !wok && !gok {
		return wl, wok, gl, gok
	}
	if equal > contextLines {
		fmt.Fprintf(w, "  … (%d equal lines)\n", equal-contextLines)
	}
	for k := max(0, equal-contextLines); k < equal; k++ {
		r := ring[k%contextLines]
		w.line("    ", rawLine{depth: r.depth, n: r.n, text: r.text}.String())
	}
	return wl, wok, gl, gok
}

// edit is one line of an edit script: kept (' '), of want only ('-') or
// of got only ('+').
type edit struct {
	op   byte
	text string
}

// editScript aligns the windows wa and ga (with the hashes of their whole
// lines) on their longest common subsequence.
func editScript(wa []string, wsum []uint64, ga []string, gsum []uint64) []edit {
	eq := func(i, j int) bool { return wsum[i] == gsum[j] && wa[i] == ga[j] }
	// lcs[i*(len(ga)+1)+j] is the length of the longest common subsequence
	// of wa[i:] and ga[j:].
	cols := len(ga) + 1
	lcs := make([]uint16, (len(wa)+1)*cols)
	for i := len(wa) - 1; i >= 0; i-- {
		for j := len(ga) - 1; j >= 0; j-- {
			if eq(i, j) {
				lcs[i*cols+j] = lcs[(i+1)*cols+j+1] + 1
			} else {
				lcs[i*cols+j] = max(lcs[(i+1)*cols+j], lcs[i*cols+j+1])
			}
		}
	}
	var script []edit
	for i, j := 0, 0; i < len(wa) || j < len(ga); {
		switch {
		case i < len(wa) && j < len(ga) && eq(i, j):
			script = append(script, edit{' ', wa[i]})
			i, j = i+1, j+1
		case i < len(wa) && (j == len(ga) || lcs[(i+1)*cols+j] >= lcs[i*cols+j+1]):
			script = append(script, edit{'-', wa[i]})
			i++
		default:
			script = append(script, edit{'+', ga[j]})
			j++
		}
	}
	return script
}

// writeScript writes the runs of script, each cut to maxRun lines so that
// a long run on one side leaves room for the other, within w's budget, and
// returns how many lines of each kind it showed or summed up.
func writeScript(w *boundedWriter, script []edit) map[byte]int {
	prefix := map[byte]string{' ': "    ", '-': "  - ", '+': "  + "}
	done := map[byte]int{}
	for k := 0; k < len(script); {
		run := k
		for run < len(script) && script[run].op == script[k].op {
			run++
		}
		op, n, limit := script[k].op, 0, maxRun
		if op == ' ' {
			limit = 2 * contextLines // lines in common between changes
			if run == len(script) {
				limit = contextLines // after the last change
			}
		}
		for ; k < run && n < limit && w.line(prefix[op], script[k].text); k, n = k+1, n+1 {
		}
		done[op] += n
		if k < run && n == limit {
			fmt.Fprintf(w, "  … (%d more lines %s)\n", run-k, map[byte]string{' ': "in common", '-': "of want", '+': "of got"}[op])
			done[op] += run - k
			k = run
			continue
		}
		if k < run {
			break // the budget is spent
		}
	}
	return done
}

// quoteCut quotes doc, or the part of it around byte at when it is long,
// saying where the part is; nil is "null".
func quoteCut(doc []byte, at int) string {
	if doc == nil {
		return "null"
	}
	if len(doc) <= maxQuoted {
		return strconv.Quote(string(doc))
	}
	from := max(0, min(at-maxQuoted/4, len(doc)-maxQuoted))
	to := min(len(doc), from+maxQuoted)
	s := strconv.Quote(string(doc[from:to]))
	if from > 0 {
		s = "…" + s
	}
	if to < len(doc) {
		s += "…"
	}
	return fmt.Sprintf("%s (bytes %d to %d of %d)", s, from, to, len(doc))
}

// firstDifference is the offset of the first byte where a and b differ.
func firstDifference(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
