package auth0fake

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// maxTerms is the most field:value terms one q parameter may hold.
const maxTerms = 16

// term is one field:value term of a q parameter, in the subset of Auth0's
// Lucene query syntax this package reads:
//
//	email:jane@example.com          a value, exactly (emails ignore case)
//	user_metadata.plan:"pro plan"   a quoted value; \" and \\ escape
//	app_metadata.tier.level:3       a nested name; numbers and booleans as written
//	name:jan*                       a prefix: * at the end only
//	user_metadata.nick\:name:x      a backslash escapes any character of a name
//	_exists_:app_metadata.plan      the member is there and not null
//
// Terms are joined by white space or AND, and all must match; any other
// syntax is refused (parseQuery), never read another way. A path is
// walked member by member, comparing each decoded member name with the
// path's names, so no name of a query or a document is ever read as gjson
// syntax; arrays on the way are looked into element by element, as
// Auth0's search engine does. Metadata names never contain "." (R7, C3),
// so a dotted path is never ambiguous.
type term struct {
	path   []string
	value  string
	prefix bool     // value ends in an unescaped *
	exists bool     // _exists_:path, or path:*
	fold   bool     // compare in lower case (foldFields)
	domain bool     // email.domain: compare the part of the email after "@"
	rng    *bounds  // field:[lo TO hi], {lo TO hi}, or mixed
	anyOf  []string // instead of value: any of these (app_type=a,b)
}

// foldFields are the fields a query compares case-insensitively (M7);
// every other field, metadata included, compares case-sensitively.
var foldFields = []string{"email", "name", "given_name", "family_name", "nickname"}

// unsupported is the start of the message for syntax this package does
// not read.
const unsupported = "Query not supported by the fake: "

// parseQuery reads q. It returns the terms, or the message of a 400: any
// syntax it does not read is refused, never read as something else.
func parseQuery(q string) ([]term, string) {
	var terms []term
	and := false // an AND was read, and no term after it yet
	for i := 0; ; {
		for i < len(q) && isSpace(q[i]) {
			i++
		}
		if i == len(q) {
			if and {
				return nil, unsupported + "AND joins two terms (nothing follows it)"
			}
			return terms, ""
		}
		switch {
		case hasWord(q[i:], "&&") || hasWord(q[i:], "||"):
			return nil, unsupported + "&& and || are not supported (join terms with AND or white space)"
		case strings.IndexByte("-+!()", q[i]) >= 0 || hasWord(q[i:], "OR") || hasWord(q[i:], "NOT"):
			return nil, unsupported + "OR, NOT, groups, + and - are not supported"
		case hasWord(q[i:], "AND"):
			if len(terms) == 0 || and {
				return nil, unsupported + "AND joins two terms"
			}
			and = true
			i += 3
			continue
		}
		if len(terms) == maxTerms {
			return nil, unsupported + "more than " + strconv.Itoa(maxTerms) + " terms"
		}
		t, n, msg := parseTerm(q[i:])
		if msg != "" {
			return nil, msg
		}
		terms = append(terms, t)
		and = false
		i += n
	}
}

// parseTerm reads one term at the start of s and returns it and its
// length; the term ends at white space or the end of s.
func parseTerm(s string) (term, int, string) {
	field, i, ok := readUntil(s, ':', false)
	if !ok || len(field.text) == 0 {
		return term{}, 0, unsupported + "only field:value terms joined by AND are supported"
	}
	if msg := field.refuse("field name"); msg != "" {
		return term{}, 0, msg
	}
	if isOperator(field.raw) {
		return term{}, 0, unsupported + "a field name is AND, OR or NOT"
	}
	i++ // the ':'
	exists := field.text == "_exists_"
	var t term
	if i < len(s) && (s[i] == '[' || s[i] == '{') && !exists {
		r, n, msg := parseRange(s[i:])
		if msg != "" {
			return term{}, 0, msg
		}
		t.rng, i = &r, i+n
	} else if strings.HasPrefix(s[i:], `"`) {
		if exists {
			return term{}, 0, unsupported + "_exists_ takes a field name, not a quoted value"
		}
		v, n, ok := readQuoted(s[i+1:])
		if !ok {
			return term{}, 0, unsupported + "a quoted value is not closed"
		}
		t.value, i = v, i+1+n
		if i < len(s) && !isSpace(s[i]) {
			return term{}, 0, unsupported + "a quoted value must be followed by white space (no ~, ^ or * after it)"
		}
	} else {
		v, n, _ := readUntil(s[i:], ' ', true)
		switch {
		case v.text == "" && !v.trailingStar:
			return term{}, 0, unsupported + "a term has no value"
		case v.refuse("value") != "":
			return term{}, 0, v.refuse("value")
		case exists && v.wild > 0:
			return term{}, 0, unsupported + "_exists_ takes a field name, without wildcards"
		case v.wild > 1 || v.wild == 1 && !v.trailingStar:
			return term{}, 0, unsupported + "the only wildcard supported is one * at the end of a value"
		case isOperator(v.raw):
			return term{}, 0, unsupported + "a value is AND, OR or NOT (quote it)"
		case exists && v.escapedDot:
			return term{}, 0, v.refuse("field name")
		}
		t.value, t.prefix, i = v.text, v.trailingStar, i+n
		if v.text == "" && v.trailingStar {
			t.exists, t.value, t.prefix = true, "", false
		}
	}
	name := field.text
	if exists {
		name, t.exists, t.value, t.prefix = t.value, true, "", false
	}
	path, msg := splitPath(name)
	if msg != "" {
		return term{}, 0, msg
	}
	t.path = path
	if len(path) == 2 && path[0] == "email" && path[1] == "domain" {
		t.path, t.domain = path[:1], true
	}
	if len(t.path) == 1 && contains(foldFields, t.path[0]) {
		t.fold, t.value = true, strings.ToLower(t.value)
		if t.rng != nil {
			t.rng.lo, t.rng.hi = strings.ToLower(t.rng.lo), strings.ToLower(t.rng.hi)
		}
	}
	if path[0] == "user_metadata" && !exists && (t.prefix || t.exists || t.rng != nil) {
		return term{}, 0, "Wildcard and range searches are not available on user_metadata fields"
	}
	return t, i, ""
}

// splitPath cuts a field name into the member names of its path.
func splitPath(name string) ([]string, string) {
	path := strings.Split(name, ".")
	for _, seg := range path {
		if seg == "" {
			return nil, unsupported + "a field name has an empty part"
		}
	}
	return path, ""
}

// isOperator reports whether a word, as written, is one of Lucene's
// operators, which the fake does not read as a name or a value.
func isOperator(raw string) bool { return raw == "AND" || raw == "OR" || raw == "NOT" }

// token is a name or value read by readUntil: its text with escapes
// removed, and the unescaped syntax met.
type token struct {
	text         string
	raw          string // as written
	special      string // the first unescaped syntax character, "" if none
	wild         int    // unescaped * and ? in it
	firstWild    string // the first of them
	trailingStar bool   // the last character was an unescaped *, cut from text
	escapedDot   bool   // it has an escaped "."
	lone         bool   // it ends with a backslash that escapes nothing
}

// refuse returns the message of a 400 for a token (a "field name" or a
// "value") with syntax the fake does not read, or "". Wildcards are the
// caller's to judge in a value; in a name there are none.
func (t *token) refuse(what string) string {
	escape := "escape it with \\"
	if what == "value" {
		escape += " or quote the value"
	}
	switch {
	case t.lone:
		return unsupported + "a " + what + " ends with a \\ that escapes nothing"
	case t.special != "":
		return unsupported + "a " + what + " has an unescaped special character " + strconv.Quote(t.special) + " (" + escape + ")"
	case what != "value" && t.wild > 0:
		return unsupported + "a " + what + " has an unescaped special character " + strconv.Quote(t.firstWild) + " (" + escape + ")"
	case what != "value" && t.escapedDot:
		return unsupported + `a field name has an escaped "." (names never hold ".": a dot always separates two names)`
	}
	return ""
}

// specials are the characters of Lucene's syntax (and Elasticsearch's
// ranges) that a name or an unquoted value must escape: groups, ranges,
// phrases, boosts, fuzziness, regular expressions, NOT and a colon
// inside a value. + and - are Lucene's only at the start of a term,
// where parseQuery refuses them.
const specials = `()[]{}"^~:/<>!`

// readUntil reads s up to the first unescaped stop or white space and
// returns what it read, its length, and whether it stopped at stop (or,
// with toSpace, at white space or the end).
func readUntil(s string, stop byte, toSpace bool) (token, int, bool) {
	var t token
	var b strings.Builder
	done := func(n int, ok bool) (token, int, bool) {
		t.text, t.raw = b.String(), s[:n]
		if t.trailingStar {
			t.text = t.text[:len(t.text)-1]
		}
		return t, n, ok
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 == len(s):
			t.lone = true
		case c == '\\':
			i++
			b.WriteByte(s[i])
			t.trailingStar = false
			t.escapedDot = t.escapedDot || s[i] == '.'
			continue
		case c == stop:
			return done(i, true)
		case isSpace(c):
			return done(i, toSpace)
		case strings.HasPrefix(s[i:], "\u3000"): // Lucene's white space too
			t.note("\u3000")
		case (c == '&' || c == '|') && i+1 < len(s) && s[i+1] == c:
			t.note(s[i : i+2])
		case c == '*' || c == '?':
			if t.wild++; t.firstWild == "" {
				t.firstWild = string(c)
			}
		case strings.IndexByte(specials, c) >= 0:
			t.note(string(c))
		}
		b.WriteByte(c)
		t.trailingStar = c == '*'
	}
	return done(len(s), toSpace)
}

// note keeps the first unescaped syntax character of a token.
func (t *token) note(special string) {
	if t.special == "" {
		t.special = special
	}
}

// readQuoted reads a quoted value whose opening quote is just before s,
// and returns it and its length with the closing quote.
func readQuoted(s string) (string, int, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), i + 1, true
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// hasWord reports whether s starts with the word w, followed by white
// space or the end.
func hasWord(s, w string) bool {
	return strings.HasPrefix(s, w) && (len(s) == len(w) || isSpace(s[len(w)]))
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// matches reports whether doc has, at t's path, a value t matches,
// charging w for what it reads; false also when w stops.
func (t *term) matches(doc gjson.Result, w *work) bool {
	return visit(doc, t.path, t.leaf, w)
}

func (t *term) leaf(v gjson.Result) bool {
	if t.exists {
		return v.Type != gjson.Null
	}
	s, ok := scalar(v)
	if !ok {
		return false
	}
	if t.fold {
		s = strings.ToLower(s)
	}
	if t.domain {
		_, d, ok := strings.Cut(s, "@")
		if !ok {
			return false
		}
		s = d
	}
	if t.anyOf != nil {
		return contains(t.anyOf, s)
	}
	if t.rng != nil {
		return t.rng.holds(s)
	}
	if t.prefix {
		return strings.HasPrefix(s, t.value)
	}
	return s == t.value
}

// scalar returns the text a query compares a value with: a string
// decoded, a number or boolean as written; ok is false for the rest.
func scalar(v gjson.Result) (string, bool) {
	switch v.Type {
	case gjson.String:
		return v.Str, true
	case gjson.Number, gjson.True, gjson.False:
		return v.Raw, true
	}
	return "", false
}

// visit calls leaf with each value at path in v, looking into arrays
// element by element, until leaf returns true; it reports whether one
// did. Member names are compared decoded, one level at a time. Stored
// documents are at most 100 levels deep (H3), which bounds the recursion.
//
// Going through an array or object reads all of it (gjson finds the end
// of each value), so visit charges w the whole length of every container
// it goes through (nested arrays are read once per level, and w is what
// bounds that), and valueCost more for each element or member, whose
// handling costs more than its bytes when it is short. It returns false
// as soon as w stops.
func visit(v gjson.Result, path []string, leaf func(gjson.Result) bool, w *work) bool {
	found := false
	switch {
	case v.IsArray():
		if !w.charge(len(v.Raw)) {
			return false
		}
		v.ForEach(func(_, el gjson.Result) bool {
			if !w.charge(valueCost) {
				return false
			}
			found = visit(el, path, leaf, w)
			return !found && w.stop == running
		})
	case len(path) == 0:
		found = leaf(v)
	case v.IsObject():
		if !w.charge(len(v.Raw)) {
			return false
		}
		v.ForEach(func(k, el gjson.Result) bool {
			if !w.charge(valueCost) {
				return false
			}
			if k.Str != path[0] {
				return true
			}
			found = visit(el, path[1:], leaf, w)
			return false // names are unique: the library rejects duplicates (H2)
		})
	}
	return found && w.stop == running
}

// eachMember calls fn with the decoded name, the raw name and the raw
// value of each root member of doc.
func eachMember(doc []byte, fn func(name, rawName, rawValue string)) {
	gjson.ParseBytes(doc).ForEach(func(k, v gjson.Result) bool {
		fn(k.Str, k.Raw, v.Raw)
		return true
	})
}

// sortKey is the sort parameter: a path, read as q reads one, and a
// direction.
type sortKey struct {
	path []string
	desc bool
}

// parseSort reads "field:1" (ascending) or "field:-1" (descending); the
// field is read as q reads one, escapes included.
func parseSort(s string) (*sortKey, string) {
	const msg = "Sort must be field:1 or field:-1"
	field, n, ok := readUntil(s, ':', false)
	if !ok || field.text == "" || field.refuse("field name") != "" {
		return nil, msg
	}
	dir := s[n+1:]
	if dir != "1" && dir != "-1" {
		return nil, msg
	}
	path, perr := splitPath(field.text)
	if perr != "" {
		return nil, msg
	}
	return &sortKey{path: path, desc: dir == "-1"}, ""
}

// apply sorts docs by k, stably; documents without a value at k's path
// come last either way. Strings compare as decoded text, and a number or
// boolean as written. Each comparison is charged to w (compareCost and
// the keys' bytes), which also looks at the context while the sort runs.
// It reports false, leaving docs unsorted, when w stops.
func (k *sortKey) apply(docs [][]byte, w *work) bool {
	type keyed struct {
		doc []byte
		key string
		has bool
	}
	items := make([]keyed, len(docs))
	for i, d := range docs {
		if !w.alive() {
			return false
		}
		items[i].doc = d
		visit(gjson.ParseBytes(d), k.path, func(v gjson.Result) bool {
			items[i].key, items[i].has = scalar(v)
			return items[i].has
		}, w)
		if w.stop != running {
			return false
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if !w.charge(compareCost + len(a.key) + len(b.key)) {
			return false // stopped: the sort runs out on cheap calls, and its order is dropped
		}
		if a.has != b.has {
			return a.has
		}
		if k.desc {
			return a.key > b.key
		}
		return a.key < b.key
	})
	if w.stop != running {
		return false
	}
	for i := range items {
		docs[i] = items[i].doc
	}
	return true
}

// compareCost is what the sort charges for each comparison, besides the
// bytes of the two keys: a call of the comparison function through
// sort.SliceStable, swaps included, takes about as long as scanning 32
// bytes, so sorting many documents of short keys is charged its
// n·log n, not n.
const compareCost = 32

// bounds is a range of a q term: [ ] include their bound, { } leave it
// out, * is open.
type bounds struct {
	lo, hi         string
	loOpen, hiOpen bool // *
	loIn, hiIn     bool // [ and ]
}

// parseRange reads a range at the start of s, "[lo TO hi]" with [ or {
// and ] or }, each bound a value, a quoted value without white space, or
// *; it returns the range and its length, or the message of a 400.
func parseRange(s string) (bounds, int, string) {
	end := strings.IndexAny(s, "]}")
	if end < 0 {
		return bounds{}, 0, unsupported + "a range is not closed (] or })"
	}
	if end+1 < len(s) && !isSpace(s[end+1]) {
		return bounds{}, 0, unsupported + "a range must be followed by white space"
	}
	parts := strings.Fields(s[1:end])
	if len(parts) != 3 || parts[1] != "TO" {
		return bounds{}, 0, unsupported + "a range is [a TO b] or {a TO b}, each bound a value or *"
	}
	b := bounds{loIn: s[0] == '[', hiIn: s[end] == ']'}
	var ok bool
	if b.lo, b.loOpen, ok = rangeBound(parts[0]); !ok {
		return bounds{}, 0, unsupported + "a range bound is a value, a quoted value or *"
	}
	if b.hi, b.hiOpen, ok = rangeBound(parts[2]); !ok {
		return bounds{}, 0, unsupported + "a range bound is a value, a quoted value or *"
	}
	return b, end + 1, ""
}

// rangeBound reads one bound: *, a value without syntax characters, or a
// quoted one.
func rangeBound(p string) (v string, open, ok bool) {
	switch {
	case p == "*":
		return "", true, true
	case len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"':
		v, n, ok := readQuoted(p[1:])
		return v, false, ok && n == len(p)-1
	case strings.ContainsAny(p, specials+`\*?`):
		return "", false, false
	}
	return p, false, true
}

// holds reports whether s is in the range: as numbers when s and every
// closed bound are numbers, otherwise as strings, byte by byte (ISO dates
// compare as their text does).
func (b *bounds) holds(s string) bool {
	cmp := strings.Compare
	if isNumber(s) && (b.loOpen || isNumber(b.lo)) && (b.hiOpen || isNumber(b.hi)) {
		cmp = func(x, y string) int {
			fx, _ := strconv.ParseFloat(x, 64)
			fy, _ := strconv.ParseFloat(y, 64)
			switch {
			case fx < fy:
				return -1
			case fx > fy:
				return 1
			}
			return 0
		}
	}
	if !b.loOpen {
		if c := cmp(s, b.lo); c < 0 || c == 0 && !b.loIn {
			return false
		}
	}
	if !b.hiOpen {
		if c := cmp(s, b.hi); c > 0 || c == 0 && !b.hiIn {
			return false
		}
	}
	return true
}

// isNumber reports whether s is a JSON number, as stored numbers are
// written.
func isNumber(s string) bool {
	return s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') && json.Valid([]byte(s))
}
