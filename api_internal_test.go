package metamerge

// Does the pool keep nothing of a caller's, and does every entry point get checked?

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// ExportedCalls returns the entry points of the package, read from its
// source: every exported function, and every exported method of an
// exported type, that takes a JSON document ([]byte), as "MergeUser" or
// "UserRules.Merge". The tables of calls that must cover every entry
// point are checked against it, so that a new one cannot be forgotten.
func ExportedCalls(t testing.TB) []string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || !fn.Name.IsExported() || !takesBytes(fn.Type) {
				continue
			}
			call := fn.Name.Name
			if fn.Recv != nil {
				recv := fn.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				id, ok := recv.(*ast.Ident)
				if !ok || !id.IsExported() {
					continue
				}
				call = id.Name + "." + call
			}
			calls = append(calls, call)
		}
	}
	slices.Sort(calls)
	if len(calls) < 20 {
		t.Fatalf("found only %d entry points: %v", len(calls), calls)
	}
	return calls
}

// takesBytes reports whether a function has a []byte parameter.
func takesBytes(ft *ast.FuncType) bool {
	for _, p := range ft.Params.List {
		if a, ok := p.Type.(*ast.ArrayType); ok && a.Len == nil {
			if id, ok := a.Elt.(*ast.Ident); ok && id.Name == "byte" {
				return true
			}
		}
	}
	return false
}

// TestReleaseKeepsNoCallerData calls every entry point with documents
// full of a secret, in names and values, long and short, escaped and not,
// in objects small and large, on paths that truncate buffers (a report's
// pointers, a diff that clears a field with {}), and then checks the work
// the call gave back to the pool: no string, pointer or map left, and no
// byte or tag buffer holding anything but zeros over its whole capacity.
func TestReleaseKeepsNoCallerData(t *testing.T) {
	const secret = "SSN-123-45-6789-top-secret"
	large := func(esc string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range 40 { // past smallObject: names go through the hash tables
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"` + secret + esc + string(rune('A'+i%26)) + strings.Repeat("x", i/26) + `":"` + secret + esc + `"`)
		}
		return b.String() + "}"
	}
	// Pairs of metadata objects, before and after.
	pairs := [][2]string{
		{`{}`, `{"` + secret + `":1,"a":2}`},                       // a long change pointer, then a short one
		{`{"` + secret + `.x":1}`, `{}`},                           // undeletable by name: cleared with {}
		{`{"a":"` + secret + `"}`, `{"a":"\u0053` + secret + `"}`}, // escaped strings compared
		{large(""), large(`\u00e9`)},
		{`{"` + secret + `":{"b":[1,{"c":"` + secret + `"}]}}`, `{"` + secret + `":{"b":[1,{"c":"\u0053` + secret + `"}],"` + secret + `\u00e9":null}}`},
	}
	user := func(m string) []byte {
		return []byte(`{"user_metadata":` + m + `,"app_metadata":` + m + `,"name":"` + secret + `"}`)
	}
	client := func(m string) []byte { return []byte(`{"client_metadata":` + m + `,"name":"` + secret + `"}`) }
	field := func(m string) []byte { return []byte(m) }
	ur, cr := UserRules{}, ClientRules{}
	fr := FieldRules{Policy: UserMetadata()}
	calls := map[string]func(a, b []byte) error{
		"MergeUser":               func(a, b []byte) error { _, err := MergeUser(a, b); return err },
		"MergeClient":             func(a, b []byte) error { _, err := MergeClient(a, b); return err },
		"DiffUser":                func(a, b []byte) error { _, err := DiffUser(a, b); return err },
		"DiffClient":              func(a, b []byte) error { _, err := DiffClient(a, b); return err },
		"Equal":                   func(a, b []byte) error { _, err := Equal(a, b); return err },
		"ValidateSignup":          func(a, b []byte) error { return ValidateSignup(b) },
		"Valid":                   func(a, b []byte) error { return Valid(b) },
		"UserRules.Merge":         func(a, b []byte) error { _, err := ur.Merge(a, b); return err },
		"UserRules.Check":         func(a, b []byte) error { return ur.Check(b) },
		"UserRules.Diff":          func(a, b []byte) error { _, err := ur.Diff(a, b); return err },
		"UserRules.Diff3":         func(a, b []byte) error { _, err := ur.Diff3(a, b, a); return err },
		"UserRules.MergeReport":   func(a, b []byte) error { _, _, err := ur.MergeReport(a, b); return err },
		"ClientRules.Merge":       func(a, b []byte) error { _, err := cr.Merge(a, b); return err },
		"ClientRules.Check":       func(a, b []byte) error { return cr.Check(b) },
		"ClientRules.Diff":        func(a, b []byte) error { _, err := cr.Diff(a, b); return err },
		"ClientRules.Diff3":       func(a, b []byte) error { _, err := cr.Diff3(a, b, a); return err },
		"ClientRules.MergeReport": func(a, b []byte) error { _, _, err := cr.MergeReport(a, b); return err },
		"FieldRules.Merge":        func(a, b []byte) error { _, err := fr.Merge(a, b); return err },
		"FieldRules.Check":        func(a, b []byte) error { return fr.Check(b) },
		"FieldRules.Validate":     func(a, b []byte) error { return fr.Validate(b) },
		"FieldRules.Diff":         func(a, b []byte) error { _, err := fr.Diff(a, b); return err },
		"FieldRules.Diff3":        func(a, b []byte) error { _, err := fr.Diff3(a, b, a); return err },
		"FieldRules.MergeReport":  func(a, b []byte) error { _, _, err := fr.MergeReport(a, b); return err },
	}
	docs := map[string]func(string) []byte{"MergeClient": client, "DiffClient": client, "Equal": field, "ValidateSignup": field, "Valid": field}
	if got, want := slices.Sorted(maps(calls)), ExportedCalls(t); !slices.Equal(got, want) {
		t.Fatalf("the calls checked are not the entry points:\n got %v\nwant %v", got, want)
	}
	for name, call := range calls {
		doc := docs[name]
		switch {
		case doc != nil:
		case strings.HasPrefix(name, "ClientRules."):
			doc = client
		case strings.HasPrefix(name, "FieldRules."):
			doc = field
		default:
			doc = user
		}
		for i, p := range pairs {
			for _, dir := range [][2]string{p, {p[1], p[0]}} {
				for _, w := range calledWorks(t, name, func() { _ = call(doc(dir[0]), doc(dir[1])) }) {
					for _, problem := range leftovers(reflect.ValueOf(w).Elem(), "work", secret) {
						t.Errorf("%s, pair %d: %s", name, i, problem)
					}
				}
			}
		}
	}
}

func maps[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// calledWorks runs call and returns the works it used, as they went back
// to the pool: the pool is emptied first, then emptied again after the
// call. A run in which the pool dropped them all (the race detector drops
// a quarter of what is put) is tried again.
func calledWorks(t *testing.T, name string, call func()) []*work {
	t.Helper()
	drain := func() (used []*work) {
		for { // a new work is all zero: the pool is empty
			w := workPool.Get().(*work)
			if reflect.ValueOf(w).Elem().IsZero() {
				return used
			}
			used = append(used, w)
		}
	}
	for range 100 {
		drain()
		call()
		if used := drain(); len(used) > 0 {
			return used
		}
	}
	t.Fatalf("%s never gave a work back to the pool", name)
	return nil
}

// leftovers lists what v, a part of a released work at path, still holds
// of a call: strings, pointers, maps, functions and interfaces not zero,
// and byte or tag buffers not zero over their whole capacity. Integers
// elsewhere are offsets, counts and hashes of names, which the pool may
// keep.
func leftovers(v reflect.Value, path, secret string) []string {
	var out []string
	switch v.Kind() {
	case reflect.String:
		if v.Len() > 0 {
			out = append(out, path+" holds "+v.String())
		}
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Interface, reflect.Chan, reflect.UnsafePointer:
		if !v.IsNil() {
			out = append(out, path+" is not nil")
		}
	case reflect.Struct:
		for i := range v.NumField() {
			out = append(out, leftovers(v.Field(i), path+"."+v.Type().Field(i).Name, secret)...)
		}
	case reflect.Array:
		for i := range v.Len() {
			out = append(out, leftovers(v.Index(i), path+"["+string(rune('0'+i%10))+"]", secret)...)
		}
	case reflect.Slice:
		all := v.Slice(0, v.Cap())
		switch v.Type().Elem().Kind() {
		case reflect.Uint8, reflect.Uint64:
			var held []byte
			for i := range all.Len() {
				x := all.Index(i).Uint()
				for x != 0 {
					held = append(held, byte(x))
					x >>= 8
				}
			}
			if len(held) > 0 {
				out = append(out, path+" holds "+quote(held, secret))
			}
		default:
			for i := range all.Len() {
				out = append(out, leftovers(all.Index(i), path+"[]", secret)...)
			}
		}
	}
	return out
}

// quote shows what a buffer holds, and whether it is the secret.
func quote(b []byte, secret string) string {
	s := string(b)
	if strings.Contains(s, secret[1:]) {
		s = "the secret: " + s
	}
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// TestBuffersShortenOnlyByCut holds the source to what keeps the pool
// free of a caller's bytes: a buffer that can hold them (a field of the
// work, at any depth, of bytes or of 64-bit tags) is shortened only by
// cut, which zeroes what it drops, so that release, which zeroes a buffer
// as far as its length, sees everything a call wrote. A slice expression
// X.f[:n] or X.f[0:n] on such a field is refused anywhere else.
func TestBuffersShortenOnlyByCut(t *testing.T) {
	buffers := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		switch ty.Kind() {
		case reflect.Struct:
			for i := range ty.NumField() {
				f := ty.Field(i)
				if f.Type.Kind() == reflect.Slice {
					if k := f.Type.Elem().Kind(); k == reflect.Uint8 || k == reflect.Uint64 {
						buffers[f.Name] = true
					}
				}
				walk(f.Type)
			}
		case reflect.Array, reflect.Slice:
			walk(ty.Elem())
		}
	}
	walk(reflect.TypeFor[work]())
	for _, name := range []string{"out", "pbuf", "tmp", "nbuf", "na", "nb", "tags"} {
		if !buffers[name] {
			t.Fatalf("the buffer %s is not found among the fields of work: %v", name, buffers)
		}
	}
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || fn.Name.Name == "cut" {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				s, ok := n.(*ast.SliceExpr)
				if !ok || s.High == nil || s.Slice3 {
					return true
				}
				sel, ok := s.X.(*ast.SelectorExpr)
				if !ok || !buffers[sel.Sel.Name] {
					return true
				}
				if lit, ok := s.Low.(*ast.BasicLit); s.Low == nil || ok && lit.Value == "0" {
					t.Errorf("%s: %s shortens the buffer %s without cut, which would leave what it drops for the pool", fset.Position(s.Pos()), fn.Name.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
}
