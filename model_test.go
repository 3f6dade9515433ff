package metamerge_test

// An independent model of the contract, used to check the engine in fuzz
// tests. It shares no code with the package: syntax is judged by
// encoding/json and unicode/utf8, documents are decoded into an ordered
// tree by a small recursive parser, and merging and checking are written
// straight from the rules, favouring clarity over speed. It only serves
// small inputs.

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/metamerge/metamerge"
)

// mNode is a parsed JSON value. raw is its exact text.
type mNode struct {
	kind    byte // '{', '[', '"', 'n' (null), 't', 'f', '0' (number)
	raw     string
	str     string // decoded, for strings
	members []mMember
	elems   []*mNode
}

type mMember struct {
	rawKey string // with quotes, as written
	name   string // decoded
	val    *mNode
}

// mParser parses a document and finds the parse-level defect that comes
// first reading it once from the start (SPEC 1): each defect is met at a
// byte, invalid_json where the text stops being JSON, too_deep at the
// opening bracket of the container past the limit, duplicate_key at the
// closing brace of the object that repeats a name.
type mParser struct {
	s        string
	i        int
	maxDepth int
	first    metamerge.Code // the defect met first, or ""
	at       int            // the byte where it is met
}

// defect records a defect met at byte at, if it comes before the first.
// A brace that is not JSON where it stands (after a trailing comma) closes
// no object: invalid_json met there comes before the duplicate_key that
// brace would have met.
func (p *mParser) defect(code metamerge.Code, at int) {
	if p.first == "" || at < p.at || at == p.at && p.first == metamerge.CodeDuplicateKey && code == metamerge.CodeInvalidJSON {
		p.first, p.at = code, at
	}
}

// mParse parses doc. The map holds the one defect the engine must report,
// the first met reading once (SPEC 1); empty means valid.
func mParse(doc []byte, maxDepth int) (*mNode, map[metamerge.Code]bool) {
	p := &mParser{s: string(doc), maxDepth: maxDepth}
	var n *mNode
	func() {
		// The parse stops with a panic where text that is not JSON breaks
		// it down; what it met before that point stands.
		defer func() {
			if recover() != nil {
				n = nil
			}
		}()
		p.ws()
		n = p.value(1)
	}()
	// Where the text stops being JSON: encoding/json's syntax error, met
	// after reading Offset bytes (all of them at an unexpected end), or
	// the first byte that is not UTF-8, which it lets through in strings.
	// Recorded last, so that a container past the limit whose bracket is
	// where encoding/json's own depth limit stops it stays too_deep.
	var v any
	var syn *json.SyntaxError
	if err := json.Unmarshal(doc, &v); errors.As(err, &syn) {
		at := int(syn.Offset) - 1
		if strings.Contains(syn.Error(), "unexpected end of JSON input") {
			at = len(doc)
		}
		p.defect(metamerge.CodeInvalidJSON, at)
	}
	for i := 0; i < len(doc); {
		r, size := utf8.DecodeRune(doc[i:])
		if r == utf8.RuneError && size == 1 {
			p.defect(metamerge.CodeInvalidJSON, i)
			break
		}
		i += size
	}
	if p.first == "" {
		return n, map[metamerge.Code]bool{}
	}
	return nil, map[metamerge.Code]bool{p.first: true}
}

func (p *mParser) ws() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *mParser) value(level int) *mNode {
	start := p.i
	n := &mNode{kind: p.s[p.i]}
	switch p.s[p.i] {
	case '{', '[':
		if p.maxDepth > 0 && level > p.maxDepth {
			p.defect(metamerge.CodeTooDeep, p.i)
		}
		closer := byte('}')
		if n.kind == '[' {
			closer = ']'
		}
		p.i++
		p.ws()
		seen, repeats := map[string]bool{}, false
		for p.s[p.i] != closer {
			if n.kind == '{' {
				ks := p.i
				name := p.str()
				repeats = repeats || seen[name]
				seen[name] = true
				m := mMember{rawKey: p.s[ks:p.i], name: name}
				p.ws()
				p.i++ // ':'
				p.ws()
				m.val = p.value(level + 1)
				n.members = append(n.members, m)
			} else {
				n.elems = append(n.elems, p.value(level+1))
			}
			p.ws()
			if p.s[p.i] == ',' {
				p.i++
				p.ws()
			}
		}
		if repeats { // met when the object closes
			p.defect(metamerge.CodeDuplicateKey, p.i)
		}
		p.i++
	case '"':
		n.str = p.str()
	case 't', 'f':
		p.i += map[byte]int{'t': 4, 'f': 5}[n.kind]
	case 'n':
		p.i += 4
	default:
		n.kind = '0'
		for p.i < len(p.s) && strings.IndexByte("+-0123456789.eE", p.s[p.i]) >= 0 {
			p.i++
		}
		if p.i == start {
			panic("no value") // only in text that is not JSON
		}
	}
	n.raw = p.s[start:p.i]
	return n
}

// str decodes the string at p.i, recording lone surrogates.
func (p *mParser) str() string {
	start := p.i
	p.i++
	var units []uint16
	var b strings.Builder
	flush := func() {
		for _, r := range utf16.Decode(units) {
			if r == utf8.RuneError {
				p.defect(metamerge.CodeInvalidJSON, start) // within the string: no other defect is met there
			}
			b.WriteRune(r)
		}
		units = units[:0]
	}
	for p.s[p.i] != '"' {
		if p.s[p.i] != '\\' {
			flush()
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			b.WriteRune(r)
			p.i += size
			continue
		}
		c := p.s[p.i+1]
		if c == 'u' {
			v, _ := strconv.ParseUint(p.s[p.i+2:p.i+6], 16, 16)
			if v == 0xFFFD {
				flush()
				b.WriteRune(0xFFFD)
			} else {
				units = append(units, uint16(v))
			}
			p.i += 6
			continue
		}
		flush()
		b.WriteByte(map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[c])
		p.i += 2
	}
	flush()
	p.i++
	return b.String()
}

// mEmit writes an object in the output form: no white space between
// members, names and values as written.
func mEmit(members []mMember) string {
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = m.rawKey + ":" + m.val.raw
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func mObject(members []mMember) *mNode {
	return &mNode{kind: '{', members: members, raw: mEmit(members)}
}

type mErr struct {
	Code    metamerge.Code
	Pointer string
	Stored  bool
}

func mToken(name string) string {
	return strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
}

func mLen(s string, u metamerge.Unit) int {
	switch u {
	case metamerge.UnitBytes:
		return len(s)
	case metamerge.UnitCodePoints:
		return utf8.RuneCountInString(s)
	}
	return len(utf16.Encode([]rune(s)))
}

const clientKeyChars = `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:,-+=_*?"/\()<>@` + "\t "

func mKeyOK(rule metamerge.NameRule, name string) bool {
	switch rule {
	case metamerge.NamesNoDotOrDollar:
		return !strings.ContainsAny(name, ".$")
	case metamerge.NamesClient:
		if name == "" {
			return false
		}
		for _, r := range name {
			if !strings.ContainsRune(clientKeyChars, r) {
				return false
			}
		}
	}
	return true
}

// mMergeMembers applies R3: in place, deletions, appends in patch order.
func mMergeMembers(stored, patch []mMember) []mMember {
	out := []mMember{}
	byName := map[string]*mNode{}
	for _, m := range patch {
		byName[m.name] = m.val
	}
	inStored := map[string]bool{}
	for _, m := range stored {
		inStored[m.name] = true
		v, named := byName[m.name]
		switch {
		case !named:
			out = append(out, m)
		case v.kind != 'n':
			out = append(out, mMember{rawKey: m.rawKey, name: m.name, val: v})
		}
	}
	for _, m := range patch {
		if !inStored[m.name] && m.val.kind != 'n' {
			out = append(out, m)
		}
	}
	return out
}

// mCheck lists the violations of policy p by the members of patch object
// at pointer ptr, in document order. merged is the merged object (nil for
// a complete document).
func mCheck(p metamerge.Policy, patch []mMember, ptr string, merged []mMember, complete bool) []mErr {
	var errs []mErr
	if p.MaxKeys > 0 && (len(patch) > p.MaxKeys || len(merged) > p.MaxKeys) {
		errs = append(errs, mErr{Code: metamerge.CodeTooManyKeys, Pointer: ptr})
	}
	if p.MaxBytes > 0 && merged != nil && len(mEmit(merged)) > p.MaxBytes {
		errs = append(errs, mErr{Code: metamerge.CodeTooLarge, Pointer: ptr})
	}
	for _, m := range patch {
		mp := ptr + "/" + mToken(m.name)
		if p.MaxKeyLen > 0 && mLen(m.name, p.Unit) > p.MaxKeyLen {
			errs = append(errs, mErr{Code: metamerge.CodeKeyTooLong, Pointer: mp})
		}
		if !mKeyOK(p.Names, m.name) || p.NoPrototypeKeys && mProto(m.name) {
			errs = append(errs, mErr{Code: metamerge.CodeInvalidKey, Pointer: mp})
		}
		if slices.Contains(p.Reserved, m.name) {
			errs = append(errs, mErr{Code: metamerge.CodeReservedKey, Pointer: mp})
		}
		switch {
		case m.val.kind == '"':
			if p.MaxValueLen > 0 && mLen(m.val.str, p.Unit) > p.MaxValueLen {
				errs = append(errs, mErr{Code: metamerge.CodeValueTooLong, Pointer: mp})
			}
		case m.val.kind == 'n' && !complete:
		case p.StringValues:
			errs = append(errs, mErr{Code: metamerge.CodeNotString, Pointer: mp})
		}
		if p.Names == metamerge.NamesNoDotOrDollar || p.NoPrototypeKeys {
			errs = append(errs, mNested(p, m.val, mp)...)
		}
	}
	return errs
}

// mNested applies the name rules that reach every depth below a value,
// depth first, in document order.
func mNested(p metamerge.Policy, n *mNode, ptr string) []mErr {
	var errs []mErr
	for _, m := range n.members {
		mp := ptr + "/" + mToken(m.name)
		dotted := p.Names == metamerge.NamesNoDotOrDollar && !mKeyOK(metamerge.NamesNoDotOrDollar, m.name)
		if dotted || p.NoPrototypeKeys && mProto(m.name) {
			errs = append(errs, mErr{Code: metamerge.CodeInvalidKey, Pointer: mp})
		}
		errs = append(errs, mNested(p, m.val, mp)...)
	}
	for i, e := range n.elems {
		errs = append(errs, mNested(p, e, ptr+"/"+strconv.Itoa(i))...)
	}
	return errs
}

func mProto(name string) bool {
	return name == "__proto__" || name == "constructor" || name == "prototype"
}

// mOutcome is what the model expects: a result (nil: absent) or errors.
// parse is set when a parse-level defect is expected: then the engine must
// return a single error of one of those codes, in the stored document or
// not as storedParse says.
type mOutcome struct {
	result      *string
	errs        []mErr
	parse       map[metamerge.Code]bool
	storedParse bool
}

func mParseStage(stored []byte, hasStored bool, patch []byte, depth int, l metamerge.Limits) (*mNode, *mNode, *mOutcome) {
	most := l.MaxDocumentBytes
	if most == 0 {
		most = metamerge.MaxDocumentBytes
	}
	if hasStored && len(stored) > most { // H10, before anything else
		return nil, nil, &mOutcome{errs: []mErr{{Code: metamerge.CodeTooLarge, Stored: true}}}
	}
	if len(patch) > most {
		return nil, nil, &mOutcome{errs: []mErr{{Code: metamerge.CodeTooLarge}}}
	}
	var s *mNode
	if hasStored {
		var d map[metamerge.Code]bool
		if s, d = mParse(stored, depth); len(d) > 0 {
			return nil, nil, &mOutcome{parse: d, storedParse: true}
		}
	}
	pn, d := mParse(patch, depth)
	if len(d) > 0 {
		return nil, nil, &mOutcome{parse: d}
	}
	return s, pn, nil
}

// mLimits returns the depth and error limits of l.
func mLimits(l metamerge.Limits) (depth, maxErrors int) {
	depth, maxErrors = l.MaxDepth, l.MaxErrors
	if depth == 0 {
		depth = metamerge.DefaultMaxDepth
	}
	if maxErrors == 0 {
		maxErrors = metamerge.DefaultMaxErrors
	}
	return depth, maxErrors
}

// mCut applies H8's bound: the first maxErrors violations, fewer where
// their pointers would together pass 64 KiB (the first always stays), and
// too_many_errors at the end of a cut list.
func mCut(errs []mErr, maxErrors int) []mErr {
	budget := 64 << 10
	for i, e := range errs {
		budget -= len(e.Pointer)
		if i == maxErrors || i > 0 && budget < 0 {
			return append(errs[:i:i], mErr{Code: metamerge.CodeTooManyErrors})
		}
	}
	return errs
}

// modelMerge models FieldRules.Merge.
func modelMerge(existing, patch []byte, p metamerge.Policy, l metamerge.Limits) mOutcome {
	depth, maxErrors := mLimits(l)
	s, pn, out := mParseStage(existing, len(existing) > 0, patch, depth, l)
	if out != nil {
		return *out
	}
	if pn.kind != '{' {
		return mOutcome{errs: []mErr{{Code: metamerge.CodeNotObject}}}
	}
	if len(pn.members) == 0 {
		switch {
		case p.Empty == metamerge.EmptyClears:
			r := "{}"
			return mOutcome{result: &r}
		case p.Empty == metamerge.EmptyIgnored && s != nil:
			r := string(existing)
			return mOutcome{result: &r}
		}
		return mOutcome{}
	}
	var stored []mMember
	if s != nil && s.kind == '{' {
		stored = s.members
	}
	merged := mMergeMembers(stored, pn.members)
	if errs := mCheck(p, pn.members, "", merged, false); len(errs) > 0 {
		return mOutcome{errs: mCut(errs, maxErrors)}
	}
	r := mEmit(merged)
	return mOutcome{result: &r}
}

// modelDoc models UserRules.Merge and ClientRules.Merge.
func modelDoc(stored, patch []byte, l metamerge.Limits, maxProfile int, fields map[string]metamerge.Policy) mOutcome {
	depth, maxErrors := mLimits(l)
	s, pn, out := mParseStage(stored, true, patch, depth, l)
	if out != nil {
		return *out
	}
	var errs []mErr
	if s.kind != '{' {
		errs = append(errs, mErr{Code: metamerge.CodeNotObject, Stored: true})
	}
	if pn.kind != '{' {
		errs = append(errs, mErr{Code: metamerge.CodeNotObject})
	}
	if len(errs) > 0 {
		return mOutcome{errs: errs}
	}
	// The value of each root member after the patch; nil: absent.
	result := slices.Clone(s.members)
	find := func(name string) int {
		return slices.IndexFunc(result, func(m mMember) bool { return m.name == name })
	}
	set := func(pm mMember, v *mNode) {
		i := find(pm.name)
		switch {
		case v == nil && i >= 0:
			result = slices.Delete(result, i, i+1)
		case v != nil && i >= 0:
			result[i].val = v
		case v != nil:
			result = append(result, mMember{rawKey: pm.rawKey, name: pm.name, val: v})
		}
	}
	for _, pm := range pn.members {
		pol, special := fields[pm.name]
		if !special {
			if pm.val.kind == 'n' {
				set(pm, nil)
			} else {
				set(pm, pm.val)
			}
			continue
		}
		ptr := "/" + mToken(pm.name)
		if pm.val.kind != '{' {
			errs = append(errs, mErr{Code: metamerge.CodeNotObject, Pointer: ptr})
			set(pm, nil) // no merge: the profile MaxProfileBytes measures leaves the field out (SPEC 3)
			continue
		}
		var cur *mNode
		if i := find(pm.name); i >= 0 {
			cur = result[i].val
		}
		if len(pm.val.members) == 0 {
			switch pol.Empty {
			case metamerge.EmptyClears:
				set(pm, mObject(nil))
			case metamerge.EmptyRemoves:
				set(pm, nil)
			}
			continue
		}
		var storedMembers []mMember
		if cur != nil && cur.kind == '{' {
			storedMembers = cur.members
		}
		merged := mMergeMembers(storedMembers, pm.val.members)
		errs = append(errs, mCheck(pol, pm.val.members, ptr, merged, false)...)
		set(pm, mObject(merged))
	}
	r := mEmit(result)
	if maxProfile > 0 && len(r) > maxProfile {
		errs = append([]mErr{{Code: metamerge.CodeTooLarge}}, errs...)
	}
	if len(errs) > 0 {
		return mOutcome{errs: mCut(errs, maxErrors)}
	}
	return mOutcome{result: &r}
}

// modelValidate models FieldRules.Validate: the checks of a merge into an
// absent field, where null is a value and counts as not a string.
func modelValidate(doc []byte, p metamerge.Policy, l metamerge.Limits) mOutcome {
	depth, maxErrors := mLimits(l)
	if _, _, out := mParseStage(nil, false, doc, depth, l); out != nil {
		return *out
	}
	n, _ := mParse(doc, depth)
	if n.kind != '{' {
		return mOutcome{errs: []mErr{{Code: metamerge.CodeNotObject}}}
	}
	all := append([]mMember{}, n.members...) // the whole object, as a merge into an absent field would emit it
	return mOutcome{errs: mCut(mCheck(p, n.members, "", all, true), maxErrors)}
}

// agree reports how the engine's answer differs from the model's, or "".
func (want mOutcome) agree(got []byte, err error, leaves []*metamerge.Error) string {
	if want.parse != nil {
		if len(leaves) != 1 || !want.parse[leaves[0].Code] || leaves[0].Stored != want.storedParse || got != nil {
			return fmt.Sprintf("want one parse error of %v (stored %v), got %q, %v", want.parse, want.storedParse, got, err)
		}
		return ""
	}
	var gotErrs []mErr
	for _, e := range leaves {
		gotErrs = append(gotErrs, mErr{e.Code, e.Pointer, e.Stored})
	}
	if !slices.Equal(want.errs, gotErrs) {
		return fmt.Sprintf("errors: want %v, got %v", want.errs, gotErrs)
	}
	if want.errs != nil {
		return ""
	}
	switch {
	case want.result == nil && got != nil:
		return fmt.Sprintf("want an absent field, got %q", got)
	case want.result != nil && (got == nil || string(got) != *want.result):
		return fmt.Sprintf("result: want %q, got %q", *want.result, got)
	}
	return ""
}
