package metamerge_test

// How is each entry point used? Runnable examples.

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/metamerge/metamerge"
)

func ExampleMergeUser() {
	stored := []byte(`{"user_id":"auth0|42","user_metadata":{"theme":"dark","prefs":{"lang":"en","tz":"UTC"}}}`)
	patch := []byte(`{"user_metadata":{"prefs":{"lang":"fr"},"plan":"pro"}}`)

	merged, err := metamerge.MergeUser(stored, patch)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(merged))
	// Output:
	// {"user_id":"auth0|42","user_metadata":{"theme":"dark","prefs":{"lang":"fr"},"plan":"pro"}}
}

func ExampleMergeUser_deleteKey() {
	stored := []byte(`{"user_metadata":{"theme":"dark","beta":true}}`)
	patch := []byte(`{"user_metadata":{"beta":null}}`)

	merged, _ := metamerge.MergeUser(stored, patch)
	fmt.Println(string(merged))
	// Output:
	// {"user_metadata":{"theme":"dark"}}
}

func ExampleMergeUser_clear() {
	stored := []byte(`{"user_metadata":{"theme":"dark"},"app_metadata":{"plan":"pro"},"name":"Ada"}`)

	// {} clears user_metadata but removes app_metadata altogether (R6).
	merged, _ := metamerge.MergeUser(stored, []byte(`{"user_metadata":{},"app_metadata":{}}`))
	fmt.Println(string(merged))
	// Output:
	// {"user_metadata":{},"name":"Ada"}
}

func ExampleMergeClient_tooManyKeys() {
	stored := []byte(`{"name":"shop","client_metadata":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9"}}`)
	patch := []byte(`{"client_metadata":{"j":"10","k":"11"}}`)

	_, err := metamerge.MergeClient(stored, patch)
	var e *metamerge.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Pointer, e.Actual, ">", e.Limit)
	}
	fmt.Println(errors.Is(err, metamerge.CodeTooManyKeys))
	// Output:
	// too_many_keys /client_metadata 11 > 10
	// true
}

func ExampleErrors() {
	patch := []byte(`{"client_metadata":{"tier":3,"region.eu":"yes"}}`)

	_, err := metamerge.MergeClient([]byte(`{}`), patch)
	for _, e := range metamerge.Errors(err) {
		fmt.Printf("%s %s found=%q\n", e.Code, e.Pointer, e.Found)
	}
	// One violation comes back as the *Error itself; Errors lists it too.
	_, err = metamerge.MergeClient([]byte(`{}`), []byte(`{"client_metadata":{"tier":3}}`))
	fmt.Println(len(metamerge.Errors(err)), metamerge.Errors(nil) == nil)
	// Output:
	// not_string /client_metadata/tier found="number"
	// invalid_key /client_metadata/region.eu found=""
	// 1 true
}

func ExampleError_MarshalJSON() {
	_, err := metamerge.MergeClient([]byte(`{}`), []byte(`{"client_metadata":{"tier":3}}`))
	out, _ := json.Marshal(metamerge.Errors(err))
	fmt.Println(string(out))
	// Output:
	// [{"code":"not_string","pointer":"/client_metadata/tier","offset":27,"found":"number","message":"metamerge: \"/client_metadata/tier\": not_string"}]
}

func ExampleUserRules_Check() {
	// Check a PATCH body before the stored profile is read from a database.
	err := metamerge.UserRules{}.Check([]byte(`{"user_metadata":{"prefs":{"ui.theme":"dark"}},"app_metadata":{"email":"x"}}`))
	for _, e := range metamerge.Errors(err) {
		fmt.Println(e.Code, e.Pointer)
	}
	// Output:
	// invalid_key /user_metadata/prefs/ui.theme
	// reserved_key /app_metadata/email
}

func ExampleValidateSignup() {
	err := metamerge.ValidateSignup([]byte(`{"plan":"free","age":42}`))
	var e *metamerge.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Pointer)
		fmt.Println(e.Auth0Message())
	}
	fmt.Println(metamerge.ValidateSignup([]byte(`{"plan":"free","age":"42"}`)))
	// Output:
	// not_string /age
	// invalid user_metadata.age type (only strings are allowed)
	// <nil>
}

func ExampleFieldRules_Merge() {
	// A custom policy: the client rules, with up to 20 keys, counting
	// characters as code points.
	r := metamerge.FieldRules{Policy: metamerge.ClientMetadata()}
	r.Policy.MaxKeys = 20
	r.Policy.Unit = metamerge.UnitCodePoints

	merged, err := r.Merge([]byte(`{"a":"1"}`), []byte(`{"b":"😀"}`))
	fmt.Println(string(merged), err)

	// An absent field is nil; {} under app_metadata's policy removes it.
	merged, err = metamerge.FieldRules{Policy: metamerge.AppMetadata()}.Merge([]byte(`{"a":1}`), []byte(`{}`))
	fmt.Println(merged == nil, err)
	// Output:
	// {"a":"1","b":"😀"} <nil>
	// true <nil>
}

func ExampleUserRules_Merge() {
	// Opt in to the 10 KB whole-profile cap that Auth0 announced; the zero
	// policies stand for Auth0's.
	r := metamerge.UserRules{MaxProfileBytes: 10 * 1024}

	bio := strings.Repeat("la", 5200)
	_, err := r.Merge([]byte(`{"user_id":"auth0|42"}`), []byte(`{"user_metadata":{"bio":"`+bio+`"}}`))
	var e *metamerge.Error
	if errors.As(err, &e) {
		fmt.Printf("%s at %q: %d bytes > %d\n", e.Code, e.Pointer, e.Actual, e.Limit)
	}
	// Output:
	// too_large at "": 10449 bytes > 10240
}

func ExampleDiffUser() {
	before := []byte(`{"user_metadata":{"addresses":{"home":"A","work":"B"},"beta":true},"name":"Ada"}`)
	after := []byte(`{"user_metadata":{"addresses":{"home":"A","work":"C"}},"name":"Ada"}`)

	// The changed key is sent whole (a deep patch would drop "home"), the
	// removed one as null; nothing else is named.
	patch, _ := metamerge.DiffUser(before, after)
	fmt.Println(string(patch))

	// Nothing changed: {} at the root, never a field set to {}.
	patch, _ = metamerge.DiffUser(after, after)
	fmt.Println(string(patch))

	// No PATCH can give after: the merge's own errors, located in after.
	_, err := metamerge.DiffUser(before, []byte(`{"user_metadata":{"ui.theme":"dark"}}`))
	for _, e := range metamerge.Errors(err) {
		fmt.Println(e.Code, e.Pointer)
	}
	// Output:
	// {"user_metadata":{"addresses":{"home":"A","work":"C"},"beta":null}}
	// {}
	// invalid_key /user_metadata/ui.theme
}

func ExampleUserRules_Diff3() {
	base := []byte(`{"app_metadata":{"plan":"pro","trial":true}}`)       // what we applied last time
	desired := []byte(`{"app_metadata":{"plan":"team"}}`)                // what we want now
	live := []byte(`{"app_metadata":{"plan":"pro","trial":true,"x":1}}`) // "x" was set by someone else

	patch, _ := metamerge.UserRules{}.Diff3(base, desired, live)
	fmt.Println(string(patch))
	// Output:
	// {"app_metadata":{"plan":"team","trial":null}}
}

func ExampleUserRules_MergeReport() {
	stored := []byte(`{"user_metadata":{"theme":"dark","n":1},"name":"Ada"}`)
	patch := []byte(`{"user_metadata":{"theme":"light","n":1.0,"lang":"fr"},"name":"Ada"}`)

	_, changes, _ := metamerge.UserRules{}.MergeReport(stored, patch)
	for _, c := range changes {
		fmt.Println(c.Op, c.Pointer) // n set to an equal value and name unchanged: no change
	}
	// Output:
	// replace /user_metadata/theme
	// add /user_metadata/lang
}

func ExampleEqual() {
	eq, _ := metamerge.Equal([]byte(`{"a":1,"b":"\u00e9"}`), []byte(`{ "b": "é", "a": 1.0 }`))
	fmt.Println(eq)
	eq, _ = metamerge.Equal([]byte(`12345678901234567890`), []byte(`12345678901234567891`))
	fmt.Println(eq)
	// Output:
	// true
	// false
}

func ExampleValid() {
	fmt.Println(metamerge.Valid([]byte(`{"a":[1,2],"b":{"c":null}}`)))
	err := metamerge.Valid([]byte(`{"a":1,"b":{"c":1,"c":2}}`))
	fmt.Println(err)
	var e *metamerge.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Pointer)
	}
	// Output:
	// <nil>
	// metamerge: "/b/c": duplicate_key
	// duplicate_key /b/c
}
